"""The mapping table of published power lists: what their headers and words mean, as data.

`loaders/mappings/power_lists.toml` says which header wordings name which model column, which words
name a power type (the one table of them: `parse_power_type` reads power types so for every reader and
the API's filter) or a level of government, how governments below the list's are named, and what a
title row looks like. `load_mapping()` reads it; `load_mapping(path)` reads a user's file on top of
it (the user's words are added, or replace a section that says `replace = true`), so a new shape of
list needs a few lines of TOML, not code.

    >>> mapping = load_mapping()
    >>> mapping.column_for("事项\\n名称"), mapping.column_for("行使主体："), mapping.column_for("救助渠道")
    ('item', 'department', 'remedy')
    >>> parse_power_type("行政|确认".replace("|", ""), mapping).value, mapping.type_code("行政处罚")
    ('行政确认', 'CF')
    >>> mapping.level_of("地州市级。负责行政区域内……"), mapping.level_of("县市区级"), mapping.level_of("本级")
    ('city', 'county', None)
    >>> mapping.level_in("二、区县级权责事项（30项）"), mapping.level_in("市级文物保护单位认定")
    ('county', None)
    >>> mapping.type_in("（一）行政许可类"), mapping.hinted("实施机关"), mapping.is_item_name("对甲的处罚")
    (<PowerType.LICENSING: '行政许可'>, ('department',), True)

What a column's cells look like when its header is not in the table is data too (`[content]`):
the endings of power names and of bodies' names, the words that lean a header towards a column.
`suggested_mapping(columns)` writes the TOML a user can keep beside the lists for the columns read
from their contents, so that the next reading knows them by their wording.

Raises `InvalidData` naming the file when a mapping file cannot be read or is not a mapping.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from graph.errors import InvalidData, Problem
from graph.text import normalize
from ontology import PowerType

__all__ = [
    "DEFAULT_MAPPING",
    "LEVELS",
    "ListMapping",
    "header_text",
    "load_mapping",
    "packaged_mapping",
    "parse_power_type",
    "suggested_mapping",
]

DEFAULT_MAPPING = Path(__file__).with_name("mappings") / "power_lists.toml"

#: The levels of government a mapping names, from the highest.
LEVELS = ("province", "city", "county", "township")

_LIST_MARKER = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）.、．]|第[一二三四五六七八九十\d]{1,3}部分)"
)
_LABEL_NOISE = re.compile(r"(?:权责事项|权力事项|行政权力|事项|权力|权责清单|清单|目录|部分|类)+$")


def _bare_label(text: str) -> str:
    """A sheet's name or a group row's text without its number, counts and words like 事项, for lookup."""
    bare = _LIST_MARKER.sub("", re.sub(r"\s+", "", text))
    bare = re.sub(r"[（(][^（）()]*[)）]", "", bare).strip("：:、")
    return header_text(_LABEL_NOISE.sub("", bare))


#: The ontology's English names of the power types (`licensing`), which every reader understands too.
_ENGLISH_NAMES = {power_type.name.lower(): power_type for power_type in PowerType}

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "", "】": "", "[": "", "]": ""})
_TRAILING_COLON = re.compile(r"[:：]+$")


def header_text(text: str) -> str:
    """The form headers and words are compared in: normalised, brackets half-width, no trailing colon."""
    return _TRAILING_COLON.sub("", normalize(text).translate(_BRACKETS)).casefold()


@dataclass(frozen=True, slots=True)
class _PowerTypeEntry:
    type: PowerType
    code: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class ListMapping:
    """The mapping table, read: every lookup the published-list reader makes."""

    source: str
    columns: dict[str, tuple[str, ...]]
    header_search_rows: int
    header_min_columns: int
    power_types: dict[PowerType, _PowerTypeEntry]
    levels: dict[str, tuple[str, ...]]
    department_prefixes: dict[str, tuple[str, ...]]
    not_prefixes: tuple[str, ...]
    list_level: str
    government_suffix: str
    grouped_government: str
    government_groups: dict[str, str]
    places: dict[str, str]
    provinces: tuple[str, ...]
    abbreviations: dict[str, str]
    empty_words: frozenset[str]
    note_prefixes: tuple[str, ...]
    title_noise: tuple[str, ...]
    content_min_share: float = 0.6
    content_sample_rows: int = 40
    item_endings: tuple[str, ...] = ()
    item_starts: tuple[str, ...] = ()
    not_item_starts: tuple[str, ...] = ()
    body_endings: tuple[str, ...] = ()
    unit_endings: tuple[str, ...] = ()
    hints: dict[str, tuple[str, ...]] = field(default_factory=dict)
    never_words: tuple[str, ...] = ()
    _headers: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for column, wordings in self.columns.items():
            for wording in (column, *wordings):
                self._headers.setdefault(header_text(wording), column)

    # -- headers --

    def column_for(self, header: str, *, prefix: bool = True) -> str | None:
        """The model column a header names, or None for a header the table does not know; without
        `prefix`, only a header that is a wording (but for a bracketed note), not one starting with it."""
        if len(header) > 40:
            return None  # a header is a few words; long text is a cell's content
        key = header_text(header)
        if not key:
            return None
        found = self._headers.get(key)
        if found is not None:
            return found
        without_note = re.sub(r"\(.*?\)", "", key)
        if without_note != key and without_note in self._headers:
            return self._headers[without_note]
        if not prefix:
            return None
        for wording in self._header_prefixes:
            if key.startswith(wording) and len(wording) >= 2:
                return self._headers[wording]
        return None

    @cached_property
    def _header_prefixes(self) -> list[str]:
        return sorted(self._headers, key=len, reverse=True)

    def hinted(self, header: str) -> tuple[str, ...]:
        """The model columns an unknown header leans towards by a word it contains (`[content.hints]`)."""
        key = header_text(header)
        return tuple(column for column, words in self.hints.items() if any(w in key for w in words))

    def never_from_content(self, header: str) -> bool:
        """Whether a header says its column is not to be read from its contents (`上级主管部门`, `联系电话`)."""
        key = header_text(header)
        return any(word in key for word in self.never_words)

    # -- contents --

    def is_item_name(self, text: str) -> bool:
        """Whether a cell reads like a power's name: `对……的处罚`, `……许可证核发` (not `负责……的处罚`)."""
        text = re.sub(r"\s+", "", text)
        if not 3 <= len(text) <= 120 or text.startswith(self.not_item_starts):
            return False
        bare = re.sub(r"[（(][^（）()]*[)）]$", "", text).rstrip("。；;，,")
        return bare.endswith(self.item_endings) or text.startswith(self.item_starts)

    def is_body_name(self, text: str) -> bool:
        """Whether a cell reads like the name of a body (`克拉玛依市交通运输局`), or of several."""
        parts = [p for p in re.split(r"[、，,；;\n/]", re.sub(r"[ \t\u3000]+", "", text)) if p]
        return bool(parts) and all(
            3 <= len(p) <= 40 and re.sub(r"[（(][^（）()]*[)）]$", "", p).endswith(self.body_endings)
            for p in parts
        )

    def is_unit_name(self, text: str) -> bool:
        """Whether a cell reads like the name of a unit (`登记注册科`), or of several."""
        parts = [p for p in re.split(r"[、，,；;\n/]", re.sub(r"[ \t\u3000]+", "", text)) if p]
        return bool(parts) and all(
            2 <= len(p) <= 30 and re.sub(r"[（(][^（）()]*[)）]$", "", p).endswith(self.unit_endings)
            for p in parts
        )

    # -- power types --

    def power_type_in(self, text: str) -> PowerType | None:
        """The power type named at the start of a sheet name: `行政许可（11项）` -> LICENSING."""
        key = header_text(text)
        for word, power_type in self._type_prefixes:
            if key.startswith(word):
                return power_type
        return None

    def type_code(self, power_type: PowerType | str) -> str:
        """The two letters item codes use for a power type: 行政许可 -> 'XK'."""
        entry = self.power_types.get(PowerType(power_type))
        return entry.code if entry else "QT"

    @cached_property
    def type_words(self) -> dict[str, PowerType]:
        """Every wording of a power type in the table (`[power_types]`), in compared form -> its type."""
        words: dict[str, PowerType] = {}
        for entry in self.power_types.values():
            for word in (entry.type.value, *entry.words):
                words.setdefault(header_text(word), entry.type)
        return words

    @cached_property
    def _type_prefixes(self) -> list[tuple[str, PowerType]]:
        return sorted(self.type_words.items(), key=lambda pair: len(pair[0]), reverse=True)

    # -- levels and places --

    def level_of(self, text: str) -> str | None:
        """The level a 实施层级 cell starts with (longest word first), or None."""
        key = header_text(text)
        for word, level in self._level_words:
            if key.startswith(word):
                return level
        return None

    @cached_property
    def _level_words(self) -> list[tuple[str, str]]:
        pairs = [(header_text(word), level) for level, words in self.levels.items() for word in words]
        return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)

    def level_in(self, text: str) -> str | None:
        """The level a sheet's name or a row over a group of rows names, all of it a level word but
        for a number, a count and words like 事项: `区县级`, `二、县级事项（30项）`, `乡镇`; None for
        `市级文物保护单位认定` (an item's name)."""
        bare = _bare_label(text)
        return self._level_exact.get(bare) if bare else None

    def type_in(self, text: str) -> PowerType | None:
        """The power type a row over a group of rows names, all of it: `一、行政许可类（5项）`."""
        bare = _bare_label(text)
        return self.type_words.get(bare) if bare else None

    @cached_property
    def _level_exact(self) -> dict[str, str]:
        return {word: level for word, level in self._level_words}

    def prefixes(self, level: str) -> tuple[str, ...]:
        """The words an implementing body's name starts with to show `level`, longest first."""
        return tuple(sorted(self.department_prefixes.get(level, ()), key=len, reverse=True))

    def is_empty(self, text: str) -> bool:
        """Whether a cell says nothing: empty, or one of the empty words (`无`, `/` …)."""
        return not text or text.strip() in self.empty_words

    def is_note(self, text: str) -> bool:
        """Whether a row's text is a note below the list (`备注：…`)."""
        return text.strip().startswith(self.note_prefixes)


def parse_power_type(text: str, mapping: ListMapping | None = None) -> PowerType | None:
    """The power type a cell, a sheet name or a query writes, or None: one of the ten by its name
    (`行政许可`), a wording of the mapping's `[power_types]` (`许可`, `行政审批`), either with a note in
    brackets or a trailing 类 / 事项 / 权力 (`许可类`, `行政处罚（简易程序）`), or the ontology's English
    name (`licensing`). `mapping` is the packaged table (`loaders/mappings/power_lists.toml`) unless
    given; the workbook, the published lists, the service catalogue and the API's filter all read
    power types so.

        >>> parse_power_type("行政审批"), parse_power_type("處罰類"), parse_power_type("licensing")
        (<PowerType.LICENSING: '行政许可'>, <PowerType.PENALTY: '行政处罚'>, <PowerType.LICENSING: '行政许可'>)
        >>> parse_power_type("行政审查") is None
        True
    """
    key = header_text(text)
    if not key:
        return None
    words = (mapping or packaged_mapping()).type_words
    found = words.get(key) or _ENGLISH_NAMES.get(key)
    if found is None:
        bare = re.sub(r"(?:类|事项|权力)$", "", re.sub(r"\(.*?\)$", "", key))
        found = words.get(bare) if bare and bare != key else None
    return found


@cache
def packaged_mapping() -> ListMapping:
    """The packaged mapping table, read once (`load_mapping()` reads it anew)."""
    return load_mapping()


def load_mapping(path: Path | None = None) -> ListMapping:
    """The packaged mapping table; with `path`, a user's table read on top of it.

    Raises `InvalidData` naming the file when it cannot be read, is not TOML, or gives a section
    the wrong shape.
    """
    data = _read_toml(DEFAULT_MAPPING)
    if path is not None:
        data = _extend(data, _read_toml(Path(path)), Path(path))
    return _build(data, str(path or DEFAULT_MAPPING))


def suggested_mapping(
    columns: Mapping[str, Iterable[str]], unknown: Iterable[str] = (), base: str = ""
) -> str:
    """A `quanze-mapping.toml` that names `columns` (model column -> header wordings) by their wording.

    `unknown` are headers kept in `extra` (listed as comments, for the user to assign); `base` is the
    text of a user's mapping file to extend (its `[columns]` keep their wordings, the new are added).
    Raises `InvalidData` when `base` is not TOML.

        >>> print(suggested_mapping({"item": ["职权"]}).splitlines()[-1])
        item = ["职权"]
    """
    data: dict[str, Any] = {}
    if base:
        try:
            data = tomllib.loads(base)
        except tomllib.TOMLDecodeError as error:
            reason = f"the mapping file is not TOML ({error})"
            raise InvalidData(reason, [Problem("", None, None, None, reason, MAPPING_SUGGESTION)]) from None
    merged = {name: list(words) for name, words in _as_dict(data.get("columns")).items() if name != "replace"}
    for name, wordings in columns.items():
        words = merged.setdefault(name, [])
        words.extend(w for w in wordings if w not in words)
    lines = [
        "# Written by `quanze check --write-mapping`: the columns read from their contents, by their",
        "# wording, so that the next reading knows them. Correct a line that names the wrong model column",
        "# (the model columns are listed in loaders/mappings/power_lists.toml), and keep this file beside",
        "# the lists as quanze-mapping.toml.",
    ]
    left = sorted(set(unknown) - {w for words in merged.values() for w in words})
    if left:
        lines.append("# Headers kept as written in each item's `extra` (add one to a column to read it so):")
        lines.extend(f"#   {header}" for header in left)
    for section, value in data.items():
        if section != "columns":
            lines.extend(["", *_toml_lines(section, value)])
    lines.extend(["", "[columns]"])
    lines.extend(f"{name} = {_toml_value(words)}" for name, words in merged.items())
    return "\n".join(lines) + "\n"


MAPPING_SUGGESTION = "quanze-mapping.toml"


def _toml_lines(section: str, value: Any) -> list[str]:
    """A table of a mapping file as TOML: its values, then its sub-tables."""
    if not isinstance(value, dict):
        return [f"{_toml_key(section)} = {_toml_value(value)}"]
    lines = [f"[{section}]"]
    tables = []
    for key, item in value.items():
        if isinstance(item, dict):
            tables.append((key, item))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(item)}")
    for key, item in tables:
        lines.extend(["", *_toml_lines(f"{section}.{_toml_key(key)}", item)])
    return lines


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except OSError as error:
        reason = f"the mapping file cannot be read ({error.strerror or error})"
    except tomllib.TOMLDecodeError as error:
        reason = f"the mapping file is not TOML ({error})"
    raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])


def _extend(base: dict[str, Any], extra: dict[str, Any], path: Path) -> dict[str, Any]:
    """`base` with the sections of `extra` added: lists are joined, tables merged, values replaced."""
    merged = dict(base)
    for section, value in extra.items():
        old = merged.get(section)
        if isinstance(value, dict) and isinstance(old, dict):
            if value.get("replace") is True:
                merged[section] = {k: v for k, v in value.items() if k != "replace"}
            else:
                merged[section] = _extend(old, value, path)
        elif isinstance(value, list) and isinstance(old, list):
            merged[section] = [*old, *(item for item in value if item not in old)]
        else:
            merged[section] = value
    return merged


def _build(data: dict[str, Any], source: str) -> ListMapping:
    problems: list[Problem] = []

    def table(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            problems.append(Problem(name, None, None, None, "must be a table ([section])", source))
            return {}
        return {k: v for k, v in value.items() if k != "replace"}

    def words(value: Any, where: str) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        problems.append(Problem(where, None, None, None, "must be a list of words", source))
        return ()

    columns = {name: words(value, f"columns.{name}") for name, value in table("columns").items()}
    power_types: dict[PowerType, _PowerTypeEntry] = {}
    for name, entry in table("power_types").items():
        try:
            power_type = PowerType(normalize(name))
        except ValueError:
            problems.append(
                Problem("power_types", None, None, name, "is not one of the ten power types", source)
            )
            continue
        if not isinstance(entry, dict):
            problems.append(Problem(f"power_types.{name}", None, None, None, "must be a table", source))
            continue
        code = str(entry.get("code") or power_type.name[:2])
        power_types[power_type] = _PowerTypeEntry(power_type, code, words(entry.get("also", []), name))
    levels = {name: words(value, f"levels.{name}") for name, value in table("levels").items()}
    prefixes_table = table("department_prefixes")
    not_prefixes = words(prefixes_table.pop("not_prefixes", []), "department_prefixes.not_prefixes")
    prefixes = {name: words(value, f"department_prefixes.{name}") for name, value in prefixes_table.items()}
    for level in (*levels, *prefixes):
        if level not in LEVELS:
            problems.append(
                Problem("levels", None, None, level, f"is not a level ({', '.join(LEVELS)})", source)
            )
    governments = table("governments")
    groups = governments.pop("groups", {})
    header = table("header")
    rows = table("rows")
    content = table("content")
    hints = _as_dict(content.pop("hints", {}))
    never = _as_dict(content.pop("never", {}))
    content_fields: dict[str, Any] = {
        "content_min_share": float(content.get("min_share", 0.6)),
        "content_sample_rows": int(content.get("sample_rows", 40)),
        "hints": {
            str(name): tuple(header_text(w) for w in words(value, f"content.hints.{name}"))
            for name, value in hints.items()
        },
        "never_words": tuple(header_text(w) for w in words(never.get("words", []), "content.never.words")),
    }
    for name in ("item_endings", "item_starts", "not_item_starts", "body_endings", "unit_endings"):
        content_fields[name] = words(content.get(name, []), f"content.{name}")
    if problems:
        raise InvalidData(f"{source}: the mapping has {len(problems)} problem(s)", problems)
    list_level = str(governments.get("list_level", "city"))
    return ListMapping(
        source=source,
        columns=columns,
        header_search_rows=int(header.get("search_rows", 15)),
        header_min_columns=int(header.get("min_columns", 3)),
        power_types=power_types,
        levels=levels,
        department_prefixes=prefixes,
        not_prefixes=not_prefixes,
        list_level=list_level if list_level in LEVELS else "city",
        government_suffix=str(governments.get("suffix", "人民政府")),
        grouped_government=str(governments.get("grouped", "{place}所辖{group}人民政府")),
        government_groups={str(k): str(v) for k, v in _as_dict(groups).items()},
        places={str(k): str(v) for k, v in table("places").items()},
        provinces=words(table("provinces").get("names", []), "provinces.names"),
        abbreviations={
            normalize(str(k)): normalize(str(v)) for k, v in table("department_abbreviations").items()
        },
        empty_words=frozenset(words(rows.get("empty_words", []), "rows.empty_words")),
        note_prefixes=words(rows.get("note_prefixes", []), "rows.note_prefixes"),
        title_noise=tuple(
            sorted(words(table("titles").get("noise", []), "titles.noise"), key=len, reverse=True)
        ),
        **content_fields,
    )


def _as_dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}
