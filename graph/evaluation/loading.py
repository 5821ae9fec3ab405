"""Reading an indicator system from its files, and refusing a file that does not hold one.

One TOML file per template (`systems/` holds the shipped ones, read from the real workbook by
`python -m loaders.indicators`); a user can point quanze at another year's or another province's.
`load_template(path)` reads one file, `load_system(path)` a file or every `*.toml` of a folder,
`default_system()` the shipped files. A file:

    name = "政府部门"                       # the template's name
    bodies = ["组成部门", "直属机构"]        # the 机构类型 it scores
    title = "…"                            # optional, as are source and period_years (default 5)
    grades = [{ name = "优秀", at_least = 90 }, …, { name = "不合格", at_least = 0 }]
    own = { code = "6", name = "个性指标", max = 20, note = "…" }      # optional

    [[indicator]]                          # one per indicator, each parent before its children
    code = "4.1.1"
    name = "编制使用率"
    weight = 40                            # percent of its parent (of the total, for the first level)
    points = "…"                           # third level: 评估要点, and 评估方式及标准 as written
    scoring = "…"
    rule = { kind = "bands", … }           # third level: see graph.evaluation.rule_tables

A file is refused (`InvalidData`, every problem listed, each naming the file, the indicator and the
field) when it is larger than `MAX_FILE_BYTES`, is not TOML, has more than `MAX_INDICATORS`
indicators, misses a field, has a field it should not, a code that is not `1`, `1.2` or `1.2.3` or
whose parent is not before it, an indicator of the first or second level with nothing under it, a
rule on one that is not scored, weights under one parent (or of the first level) that do not sum to
100, grades that do not descend to 0, or a rule `read_rule` refuses.

    >>> system = default_system()
    >>> [template.name for template in system.templates]
    ['政府部门', '党委部门', '直属事业单位']
    >>> system.template_for("组成部门").find("4.1.1").rule.measure
    'quota_usage_rate'
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import NoReturn

from graph.errors import InvalidData, Problem
from graph.evaluation.fields import MAX_LIST, Fields, Problems
from graph.evaluation.model import LEVELS, Grade, Indicator, IndicatorSystem, OwnIndicators, Template
from graph.evaluation.rule_tables import read_rule
from graph.evaluation.rules import FULL_MARKS

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_INDICATORS",
    "MAX_TEMPLATES",
    "SYSTEMS",
    "default_system",
    "load_system",
    "load_template",
    "parse_template",
]

#: the folder of the shipped templates
SYSTEMS = Path(__file__).with_name("systems")
#: the largest file read (the shipped ones are ~30 KB)
MAX_FILE_BYTES = 1_000_000
#: the most indicators a template may have (the real ones have 40 to 45)
MAX_INDICATORS = 1_000
#: the most templates a folder may hold
MAX_TEMPLATES = 50
#: how far weights under one parent may be from 100 and still sum to it (rounding in a file)
WEIGHT_TOLERANCE = 1e-6
_CODE = re.compile(r"[1-9][0-9]{0,2}(\.[1-9][0-9]{0,2}){0,2}")
_TEMPLATE = "the template"


@cache
def default_system() -> IndicatorSystem:
    """The indicator system shipped with quanze (the Xinjiang templates, `SYSTEMS`)."""
    return load_system(SYSTEMS)


def load_system(path: Path) -> IndicatorSystem:
    """The indicator system in `path`: one template file, or every `*.toml` of a folder (by name).

    Raises `InvalidData` with every problem of every file, or when two templates share a name or a
    kind of body, or the folder holds no template or more than `MAX_TEMPLATES`.
    """
    files = sorted(path.glob("*.toml")) if path.is_dir() else [path]
    if not files or len(files) > MAX_TEMPLATES:
        reason = f"a folder of indicator systems holds 1 to {MAX_TEMPLATES} .toml files ({len(files)} here)"
        raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])
    templates: list[tuple[Template, Path]] = []
    problems: list[Problem] = []
    for file in files:
        try:
            templates.append((load_template(file), file))
        except InvalidData as error:
            problems.extend(error.problems)
    problems.extend(_shared(templates))
    if problems:
        raise InvalidData(f"{path}: not a valid indicator system", problems)
    return IndicatorSystem(tuple(template for template, _ in templates))


def load_template(path: Path) -> Template:
    """The template in the file `path`; raises `InvalidData` naming the file for every problem."""
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_FILE_BYTES else b""
    except OSError as error:
        _refuse(path, f"the file cannot be read ({error.strerror or error})")
    if size > MAX_FILE_BYTES:
        _refuse(path, f"the file is larger than {MAX_FILE_BYTES} bytes ({size})")
    try:
        return parse_template(data.decode("utf-8"), str(path))
    except UnicodeDecodeError as error:
        _refuse(path, f"the file is not UTF-8 text ({error.reason} at byte {error.start})")


def parse_template(text: str, file: str) -> Template:
    """The template the TOML `text` (of the file `file`, named in the problems) states.

    Raises `InvalidData` with every problem found.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        _refuse(Path(file), f"the file is not TOML ({error})")
    problems = Problems(file)
    fields = Fields(data, _TEMPLATE, problems)
    name = fields.text("name", required=True, max_chars=200)
    template = Template(
        name or "",
        _indicators(fields, problems),
        bodies=fields.texts("bodies"),
        title=fields.text("title", max_chars=500) or "",
        source=fields.text("source", max_chars=1000) or "",
        period_years=fields.integer("period_years", low=1, high=50) or 5,
        own=_own(fields),
        grades=_grades(fields),
    )
    fields.finish()
    if problems.found:
        raise InvalidData(f"{file}: not a valid indicator system", problems.found)
    return template


def _indicators(fields: Fields, problems: Problems) -> tuple[Indicator, ...]:
    entries = fields.tables("indicator", required=True, most=MAX_INDICATORS)
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, 1):
        indicator = _indicator(entry, position, seen)
        if indicator is not None:
            indicators.append(indicator)
            seen.add(indicator.code)
    found = tuple(indicators)
    if len(found) == len(entries):
        _check_structure(found, problems)
    return found


def _indicator(entry: Fields, position: int, seen: set[str]) -> Indicator | None:
    """One `[[indicator]]` table; `seen`: the codes of the indicators before it."""
    code = entry.text("code", required=True, max_chars=20)
    entry.where = f"indicator {code}" if code else f"indicator #{position} (no code)"
    entry.prefix = ""
    if code is not None and not _CODE.fullmatch(code):
        entry.problem(
            "code", "not the code of an indicator of the first, second or third level (4.1.1)", code
        )
        code = None
    elif code is not None and code in seen:
        entry.problem("code", "a second indicator with this code", code)
        code = None
    elif code is not None and code.count(".") and code.rpartition(".")[0] not in seen:
        entry.problem("code", f"its parent {code.rpartition('.')[0]} is not before it", code)
        code = None
    name = entry.text("name", required=True, max_chars=500)
    weight = entry.number("weight", low=0, high=100, low_included=False, required=True)
    scored = code is not None and code.count(".") + 1 == LEVELS
    points = entry.text("points") or ""
    scoring = entry.text("scoring") or ""
    rule_fields = entry.table_of("rule")
    rule = read_rule(rule_fields) if rule_fields is not None else None
    if scored and not entry.has("rule"):
        entry.problem("rule", "missing (a third-level indicator is scored by its rule)")
    for field in ("points", "scoring", "rule"):
        if code is not None and not scored and entry.has(field):
            entry.problem(field, "only a third-level indicator has one")
    entry.finish()
    if code is None or name is None or weight is None or (scored and rule is None):
        return None
    return Indicator(code, name, weight, points, scoring, rule if scored else None)


def _check_structure(indicators: tuple[Indicator, ...], problems: Problems) -> None:
    """Every first- and second-level indicator has indicators under it, whose weights sum to 100, as
    do the first level's."""
    children: dict[str | None, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        children[indicator.parent].append(indicator)
    for indicator in indicators:
        if indicator.level < LEVELS and indicator.code not in children:
            problems.add(f"indicator {indicator.code}", "code", "no indicator of the next level under it")
    for parent, under in children.items():
        total = math.fsum(indicator.weight for indicator in under)
        if abs(total - 100) > WEIGHT_TOLERANCE:
            codes = ", ".join(f"{i.code} {i.weight:g}" for i in under)
            if parent is None:
                where, whose = "the first-level indicators", "their weights"
            else:
                level = "second" if parent.count(".") == 0 else "third"
                where, whose = f"indicator {parent}", f"the weights of its {level}-level indicators"
            problems.add(where, "weight", f"{whose} ({codes}) sum to {total:g}, not 100")


def _own(fields: Fields) -> OwnIndicators | None:
    own = fields.table_of("own", "the department's own indicators (own)")
    if own is None:
        return None
    code = own.text("code", required=True, max_chars=20)
    name = own.text("name", required=True, max_chars=200)
    most = own.number("max", low=0, high=FULL_MARKS, low_included=False, required=True)
    note = own.text("note") or ""
    own.finish()
    if code is None or name is None or most is None:
        return None
    return OwnIndicators(code, name, most, note)


def _grades(fields: Fields) -> tuple[Grade, ...]:
    """The grades of a total, highest first, the last from 0; each problem recorded."""
    grades: list[Grade] = []
    for entry in fields.tables("grades", required=True, most=MAX_LIST):
        name = entry.text("name", required=True, max_chars=50)
        at_least = entry.number("at_least", low=0, high=2 * FULL_MARKS, required=True)
        entry.finish()
        if name is not None and at_least is not None:
            grades.append(Grade(name, at_least))
    floors = [grade.at_least for grade in grades]
    if grades and (floors != sorted(set(floors), reverse=True) or floors[-1] != 0):
        fields.problem("grades", "the grades go from the highest floor (at_least) down to 0, each lower")
    names = [grade.name for grade in grades]
    if len(set(names)) < len(names):
        fields.problem("grades", "names the same grade twice")
    return tuple(grades)


def _shared(templates: list[tuple[Template, Path]]) -> list[Problem]:
    """The problems between the templates of a folder: a name or a kind of body in two of them."""
    problems = Problems("")
    names: dict[str, Path] = {}
    bodies: dict[str, Path] = {}
    for template, file in templates:
        problems.file = str(file)
        if template.name in names:
            problems.add(
                _TEMPLATE, "name", f"another template has this name ({names[template.name]})", template.name
            )
        names.setdefault(template.name, file)
        for body in template.bodies:
            if body in bodies:
                problems.add(
                    _TEMPLATE, "bodies", f"another template scores this kind of body ({bodies[body]})", body
                )
            bodies.setdefault(body, file)
    return problems.found


def _refuse(path: Path, reason: str) -> NoReturn:
    raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])
