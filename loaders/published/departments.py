"""The departments of published lists: one department per field of work, level and place.

Names of one government that share their main name or a bracketed second name
(`克拉玛依市委办公室（市档案局）`, `克拉玛依市档案局`) are one department (`_department_keys`, short forms
written out: 科技 -> 科学技术), shown by the form its lists write most. A department is named by its
government's place and the implementing body's name without its level word: `地州市农业农村局` and
`市农业农村局` are 克拉玛依市农业农村局, `自治区农业农村厅` is 新疆维吾尔自治区农业农村厅. A list is of
the department its rows name most at its level, else of the one its title (or its file name) names.

    >>> departments = Departments(places)                                          # doctest: +SKIP
    >>> departments.register("市农业农村局") is departments.register("地州市农业农村局")  # doctest: +SKIP
    True
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from graph import ids
from graph.text import normalize
from loaders.mapping import ListMapping
from loaders.published.places import Places, is_government
from loaders.published.rows import ListRows
from loaders.published.text import BRACKETED, title_of

__all__ = ["Department", "Departments", "departments_of_lists"]

_DEPARTMENT_LABEL = re.compile(r"(?:部门名称|单位名称|填报单位|部门)[:：]\s*(\S+)")


@dataclass(slots=True)
class Department:
    """A department of the lists: its level and place, the keys it is known by, the names its lists
    write (with how often), and once named (`Departments.name_all`), its id and name."""

    level: str
    keys: set[str]
    names: Counter[str]
    fallback: str  # a title's or file name's form, when no row names it
    id: str = ""
    name: str = ""
    rest: str = ""  # the name without the government's place
    place: str | None = None  # a government the list names below the city (独山子区); None: the level's own


class Departments:
    """The departments of the lists, by level and place, and how an implementing body's name finds one."""

    def __init__(self, places: Places) -> None:
        self.places = places
        # (level, place) -> departments: place None for the level's own government
        self.departments: dict[tuple[str, str | None], list[Department]] = defaultdict(list)
        self.titles: dict[int, str] = {}  # a department (by id()) -> the form a list's title writes
        self._found: dict[str, Department | None] = {}

    def register(self, written: str, fallback: bool = False) -> Department | None:
        """The department an implementing body's name (or, with `fallback`, a title's) stands for, made
        when new; a body's name counts towards the department's name, a title's does not. None for a
        name that is only a level word."""
        level, place, rest = self.places.seat(written)
        level = level or self.places.list_level
        rest = BRACKETED.sub(lambda m: f"（{m.group(1)}）", rest)
        if not rest:
            return None
        keys = _department_keys(self.places, rest)
        for department in self.departments[(level, place)]:
            if department.keys & keys:
                department.keys |= keys
                if not fallback:
                    department.names[rest] += 1
                return department
        department = Department(level, keys, Counter() if fallback else Counter({rest: 1}), rest, place=place)
        self.departments[(level, place)].append(department)
        return department

    def find(self, written: str) -> Department | None:
        """The department registered for an implementing body's name, or None."""
        if written in self._found:
            return self._found[written]
        found = self._lookup(written)
        self._found[written] = found
        return found

    def at_level(self, department: Department, level: str, place: str | None = None) -> Department:
        """The department of the same field as `department` at another level (of the named place, or
        the level's own government), made when missing."""
        for other in self.departments[(level, place)]:
            if other.keys & department.keys:
                return other
        other = Department(level, set(department.keys), Counter(), department.rest, place=place)
        other.rest = department.rest
        other.name = (place or self.places.place.get(level, "")) + department.rest
        other.id = ids.department_id(self.places.government(level, place), other.name)
        self.departments[(level, place)].append(other)
        return other

    def name_all(self) -> None:
        """Name every department: by the form its lists write most (or its title's, when that writes
        the same name out in full), after its government's place; and give it its id."""
        for (level, named), departments in self.departments.items():
            government = self.places.government(level, named)
            place = named or self.places.place.get(level, "")
            for department in departments:
                best = (
                    max(department.names.items(), key=lambda pair: (pair[1], len(pair[0])))[0]
                    if department.names
                    else department.fallback
                )
                title = self.titles.get(id(department))
                if (
                    title
                    and len(title) > len(best)
                    and _expand(self.places.mapping, normalize(title))
                    == _expand(self.places.mapping, normalize(BRACKETED.sub("", best)))
                ):
                    best = title  # the title writes the same name out in full: 科技局 -> 科学技术局
                department.rest = best
                department.name = place + best
                department.id = ids.department_id(government, department.name)

    def _lookup(self, written: str) -> Department | None:
        level, place, rest = self.places.seat(written)
        level = level or self.places.list_level
        keys = _department_keys(self.places, BRACKETED.sub(lambda m: f"（{m.group(1)}）", rest))
        for department in self.departments[(level, place)]:
            if department.keys & keys:
                return department
        return None


def departments_of_lists(departments: Departments, lists: list[ListRows]) -> dict[Path, Department | None]:
    """The department of each list (by its file), and every department named: the department the list's
    rows name most at the list's level, else the one its title (or its file name) names."""
    chosen: dict[Path, Department | None] = {}
    for found in lists:
        held: Counter[int] = Counter()
        by_position: dict[int, Department] = {}
        for written in found.bodies:
            if is_government(departments.places, written):
                continue
            department = departments.register(written)
            if (
                department is not None
                and department.level == departments.places.list_level
                and department.place is None
            ):
                position = id(department)
                held[position] += 1
                by_position[position] = department
        title = _title_department(departments.places.mapping, found)
        if held:  # the department the list's rows name most, at the list's level
            department_of_list = by_position[held.most_common(1)[0][0]]
            chosen[found.file] = department_of_list
            _, title_rest = departments.places.split(title)
            if _department_keys(departments.places, title_rest) & department_of_list.keys:
                departments.titles[id(department_of_list)] = title_rest
        else:
            chosen[found.file] = departments.register(
                _title_department(departments.places.mapping, found), fallback=True
            )
    departments.name_all()
    return chosen


def _department_keys(places: Places, rest: str) -> set[str]:
    """The names a department is known by: its main name and each bracketed second name, each also
    without its suffix (局, 委员会 …) and with short forms written out (科技 -> 科学技术)."""
    main = BRACKETED.sub("", rest)
    names = [main] if main else []
    for inner in BRACKETED.findall(rest):
        for part in re.split(r"[、，,]", inner):
            _, core = places.split(part)
            if len(core) >= 2:
                names.append(core)
    keys: set[str] = set()
    for name in names:
        key = normalize(name)
        core = _SUFFIX.sub("", key)
        for form in (key, core):
            if len(form) >= 2:
                keys.add(form)
                keys.add(_expand(places.mapping, form))
    return keys


_SUFFIX = re.compile(r"(委员会|办公室|管理局|局|厅|委|办|中心)$")


def _expand(mapping: ListMapping, key: str) -> str:
    """`key` with the short forms of fields written out: 科技局 -> 科学技术局, 发改 -> 发展和改革."""
    for short, long in sorted(mapping.abbreviations.items(), key=lambda pair: len(pair[0]), reverse=True):
        if short in key and long not in key:
            key = key.replace(short, long)
    return key


def _title_department(mapping: ListMapping, found: ListRows) -> str:
    """The department a list's title names (a `部门名称：` row first), else its file name's."""
    for title in found.titles:
        match = _DEPARTMENT_LABEL.search(re.sub(r"[ \u3000]+", "", title))
        if match:
            return match.group(1)
    for title in found.titles:
        name = title_of(mapping, title)
        if len(name) >= 3:
            return name
    return title_of(mapping, found.file.stem)
