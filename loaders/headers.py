"""Find a published list's header: which row (or two rows) it is, and what each column holds.

A header wording the mapping table knows (`loaders/mappings/power_lists.toml`, `[columns]`) names
its model column. A wording it does not know is read from the column's *contents*: a column whose
cells are power types, numbers counting up, codes, levels or places, citations in 《》, bodies'
names (…局, …委, …中心) or power names (…许可, …处罚, 对……的处罚) is that model column (`[content]`).
Every candidate row of the first `search_rows` is scored, alone and with the row below it (a header
split over two rows: `责任事项` over `内容` and `依据`), a wording counting twice what contents do; the
best wins, the first among equals. So a list heading its item column `职权`, with a dozen columns no
table has heard of (its region, its parent body, a count of cases, who is responsible), is still read:
the unknown columns are kept as written. A sheet is a `loaders.tables.Table` of text cells (a cell's
own text, and what a merged range over it shows).

    >>> layout = find_layout(grid, load_mapping())                                  # doctest: +SKIP
    >>> [(read.header, read.column, read.how) for read in layout.reads][:2]        # doctest: +SKIP
    [('序号', 'sequence', 'wording'), ('职权', 'item', 'contents')]

`item_numbers('2,3')` is how a 序号 cell is read (`('2', '3')`), here and by the reader.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from loaders.cells import CellError, column_letter, parse_int
from loaders.mapping import ListMapping, parse_power_type
from loaders.tables import Table

__all__ = [
    "COLUMN_NAMES",
    "CONTENT_COLUMNS",
    "ColumnRead",
    "Layout",
    "find_layout",
    "item_numbers",
    "letters",
]

#: The model columns a column's contents can show, in the order they are given to columns.
CONTENT_COLUMNS = ("power_type", "sequence", "code", "level", "basis", "department", "unit", "item")
#: How a report names each model column.
COLUMN_NAMES = {
    "code": "the item code",
    "sequence": "the item number",
    "item": "the item name",
    "sub_item": "the sub-item",
    "power_type": "the power type",
    "basis": "the legal basis",
    "department": "the implementing body",
    "unit": "the handling unit",
    "level": "the level of government",
    "duties": "the duties",
    "triggers": "the accountability triggers",
    "note": "the note",
    "statutory_days": "the statutory time limit",
    "promised_days": "the promised time limit",
    "duty_of_department": "the department's duty",
    "duties_basis": "the basis of the duties",
    "accountable": "who is accountable",
    "remedy": "the remedies",
}


@dataclass(frozen=True, slots=True)
class ColumnRead:
    """How one column was read: its header as written, its letter, the model column it feeds (None:
    kept as written in `extra`), and what decided it: `wording` (the mapping knows the header) or
    `contents` (with the share of its cells that looked so)."""

    header: str
    letters: str
    column: str | None
    how: str  # "wording", "contents" or "" (kept in extra)
    share: float = 0.0
    cells: int = 0  # for contents: the filled cells looked at

    def describe(self) -> str:
        """`column 职权 (B) read as the item name (item), from its contents (95% of 40 cells)`."""
        where = f"column {self.header or '(no header)'} ({self.letters})"
        if self.column is None:
            return f"{where} kept as written (in each item's extra)"
        what = COLUMN_NAMES.get(self.column)
        what = f"{what} ({self.column})" if what else self.column
        if self.how == "contents":
            return f"{where} read as {what}, from its contents ({self.share:.0%} of {self.cells} cells)"
        return f"{where} read as {what}, by its wording"


@dataclass(slots=True)
class Layout:
    """Where a sheet's header is, which columns feed which model column, and its unknown columns."""

    header_rows: tuple[int, ...]  # 0-based: one row, or two for a header split over two
    columns: dict[str, list[int]]  # model column -> positions (a spanning header feeds several)
    headers: dict[str, str]  # model column -> the header as written, with its letters
    extras: dict[int, str]  # position -> header as written, for columns the mapping does not know
    titles: list[str]  # the text of the rows above the header
    how: dict[str, str] = field(default_factory=dict)  # model column -> "wording" or "contents"
    reads: list[ColumnRead] = field(default_factory=list)  # every column with a header, in order
    header_texts: dict[int, str] = field(default_factory=dict)  # position -> header as written

    @property
    def header_row(self) -> int:
        return self.header_rows[0]

    @property
    def data_start(self) -> int:
        """The first row below the header."""
        return self.header_rows[-1] + 1


def find_layout(grid: Table, mapping: ListMapping) -> Layout | None:
    """The header of a sheet, or None when no row of its first `search_rows` names the item column
    and `min_columns` columns in all, by wording or by contents."""
    contents = _Contents(grid, mapping)
    best: tuple[int, Layout] | None = None
    for index in range(min(mapping.header_search_rows, len(grid.cells))):
        if not _may_be_header(grid, mapping, index):
            continue
        for depth in (1, 2):
            if depth == 2 and not _may_be_lower_header(grid, index + 1):
                continue
            found = _candidate(grid, mapping, contents, index, depth)
            if found is not None and (best is None or found[0] > best[0]):
                best = found
        if (
            best is not None
            and all(read.how == "wording" for read in best[1].reads)
            and not _may_be_lower_header(grid, best[1].data_start)
        ):
            break  # every header is known by its wording, and data follows: no row below does better
    return best[1] if best else None


def item_numbers(text: str) -> tuple[str, ...] | None:
    """The item numbers a 序号 cell writes: '3' -> ('3',), '2,3' -> ('2', '3'), '4-6'; None for text."""
    text = re.sub(r"\s+", "", text)
    decorated = _DECORATED.match(text)  # 1、 1. 第1项
    if decorated:
        text = next(group for group in decorated.groups() if group)
    if _NUMBERS.match(text):  # before parse_int, which reads '2,3' as 23
        return tuple(str(int(part)) for part in re.split(r"[,，、/]", text))
    try:
        return (str(parse_int(text)),)
    except CellError:
        pass
    match = _RANGE.match(text)
    if match and 0 < int(match.group(2)) - int(match.group(1)) <= 20:
        return tuple(str(n) for n in range(int(match.group(1)), int(match.group(2)) + 1))
    if re.fullmatch(r"\d+(\.\d+)+", text):
        return (text,)
    return None


def letters(positions: list[int]) -> str:
    """The letters of a column, or of the first and last of a spanning header: 'E', 'H-I'."""
    first, last = column_letter(positions[0]), column_letter(positions[-1])
    return first if first == last else f"{first}-{last}"


# -- candidates -------------------------------------------------------------------------------

_NUMBERS = re.compile(r"^\d+(?:\s*[,，、/]\s*\d+)+$")
_RANGE = re.compile(r"^(\d+)\s*[-~—至]\s*(\d+)$")
_DECORATED = re.compile(r"^(?:(\d+)[.、．](?!\d)|第(\d+)项)$")  # not （1）: a sub-item's mark, in some lists
_CODE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9._\-]{3,40}$")
_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇\d]+条")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,10}?(?:市|区|县|旗|州|盟|地区)(?:本级|辖区|全域)?$")
#: A header is a few words: longer text is a cell's content.
_HEADER_LENGTH = 24
WORDING, CONTENTS = 2, 1  # what a column read by its wording, and by its contents, adds to a row's score


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _may_be_header(grid: Table, mapping: ListMapping, index: int) -> bool:
    """Whether a row can be (the top of) a header: two different short texts at least, and, when it
    has several long texts (the legal bases, duties and triggers of an item), a known wording."""
    texts = {t for c in range(len(grid.cells[index])) if (t := _squeeze(grid.shown(index, c)))}
    short = [t for t in texts if len(t) <= _HEADER_LENGTH]
    if sum(1 for t in texts if len(t) > 2 * _HEADER_LENGTH) > 1 and not any(map(mapping.column_for, short)):
        return False
    return len(short) >= 2


def _may_be_lower_header(grid: Table, index: int) -> bool:
    """Whether a row can be the lower half of a header: short texts of its own, none a number."""
    if index >= len(grid.cells):
        return False
    own = [t for c in range(len(grid.cells[index])) if (t := _squeeze(grid.own(index, c)))]
    return bool(own) and all(len(t) <= _HEADER_LENGTH and item_numbers(t) is None for t in own)


def _candidate(
    grid: Table, mapping: ListMapping, contents: _Contents, index: int, depth: int
) -> tuple[int, Layout] | None:
    """The layout if the header is the `depth` rows from `index`, and its score; None if it lacks
    the item column or `min_columns` columns."""
    width = max(len(grid.cells[row]) for row in range(index, index + depth))
    texts: dict[int, str] = {}
    named: dict[int, str] = {}
    for position in range(width):
        upper = _squeeze(grid.shown(index, position))
        lower = _squeeze(grid.shown(index + 1, position)) if depth == 2 else ""
        if lower == upper:
            lower = ""  # a header merged over both rows
        text = upper + lower
        if not text:
            continue
        texts[position] = text
        if depth == 1:
            column = mapping.column_for(text)
        else:  # `责任事项` over `内容` is 责任事项内容; `事项` over `子项` is 子项, not 事项…
            column = (
                mapping.column_for(text, prefix=False)
                or (mapping.column_for(lower) if lower else None)
                or mapping.column_for(text)
                or mapping.column_for(upper)
            )
        if column is not None:
            named[position] = column
    how = dict.fromkeys(named.values(), "wording")
    shares: dict[int, tuple[float, int]] = {}
    start = index + depth
    proposals: list[tuple[float, int, str, float, int]] = []
    for position, text in texts.items():
        if position in named or len(text) > _HEADER_LENGTH or item_numbers(text) is not None:
            continue
        if mapping.never_from_content(text):
            continue
        hinted = mapping.hinted(text)
        for column, share, coverage, cells in contents.profile(position, start):
            if column in how:
                continue
            weight = share + 0.3 * coverage + (0.5 if column in hinted else 0.0)
            proposals.append((weight, position, column, share, cells))
    for _, position, column, share, cells in sorted(proposals, key=lambda p: (-p[0], p[1])):
        if column in how or position in named:
            continue
        named[position] = column
        how[column] = "contents"
        shares[position] = (share, cells)
    if "item" not in how or len(how) < mapping.header_min_columns:
        return None
    score = sum(WORDING if way == "wording" else CONTENTS for way in how.values())
    # a header over two rows must do better than one over one: a title row above is no header
    return 2 * score - (depth - 1), _make_layout(grid, index, depth, texts, named, how, shares)


def _make_layout(
    grid: Table,
    index: int,
    depth: int,
    texts: dict[int, str],
    named: dict[int, str],
    how: dict[str, str],
    shares: dict[int, tuple[float, int]],
) -> Layout:
    columns: dict[str, list[int]] = defaultdict(list)
    for position in sorted(named):
        columns[named[position]].append(position)
    extras = {position: text for position, text in texts.items() if position not in named}
    headers = {name: f"{texts[positions[0]]} ({letters(positions)})" for name, positions in columns.items()}
    reads = [
        ColumnRead(
            text,
            column_letter(position),
            named.get(position),
            how[named[position]] if position in named else "",
            *shares.get(position, (0.0, 0)),
        )
        for position, text in sorted(texts.items())
    ]
    titles = [
        text for row in range(index) if (text := " ".join(dict.fromkeys(c for c in grid.cells[row] if c)))
    ]
    return Layout(
        tuple(range(index, index + depth)), dict(columns), headers, extras, titles, how, reads, dict(texts)
    )


# -- contents ---------------------------------------------------------------------------------


class _Contents:
    """What the cells of a sheet look like, by column, below a candidate header (each cell read once)."""

    def __init__(self, grid: Table, mapping: ListMapping) -> None:
        self.grid = grid
        self.mapping = mapping
        self._kinds: dict[tuple[int, int], frozenset[str]] = {}
        self._profiles: dict[tuple[int, int], list[tuple[str, float, float, int]]] = {}

    def profile(self, position: int, start: int) -> list[tuple[str, float, float, int]]:
        """The model columns the column's cells from row `start` look like: (column, the share of
        its filled cells that look so, the share of rows filled, the filled cells), for each share
        of at least `min_share`."""
        key = (position, start)
        if key not in self._profiles:
            self._profiles[key] = self._profile(position, start)
        return self._profiles[key]

    def _profile(self, position: int, start: int) -> list[tuple[str, float, float, int]]:
        mapping = self.mapping
        kinds: list[frozenset[str]] = []
        numbers: list[int] = []
        values: list[str] = []
        rows = 0
        for row, text in self._cells(position, start):
            rows += 1
            if not text:
                continue
            looks = self._kind(row, position, text)
            kinds.append(looks)
            values.append(text)
            if "sequence" in looks:
                parsed = item_numbers(text)
                if parsed and parsed[0].isdigit():
                    numbers.append(int(parsed[0]))
        filled = len(kinds)
        if filled < 2 and not (filled == 1 and rows == 1):
            return []  # one cell says too little, unless the sheet has one row
        coverage = filled / rows if rows else 0.0
        found: list[tuple[str, float, float, int]] = []
        for column in CONTENT_COLUMNS:
            share = sum(1 for k in kinds if column in k) / filled
            if share < mapping.content_min_share:
                continue
            if column == "sequence" and not _counts_up(numbers):
                continue
            if column == "code" and len(set(values)) < 0.8 * len(values):
                continue
            found.append((column, share, coverage, filled))
        if {"department", "unit"} <= {
            c for c, _, _, _ in found
        }:  # a 大队, a 中心: the body unless it says 科
            unit = next(s for c, s, _, _ in found if c == "unit")
            body = next(s for c, s, _, _ in found if c == "department")
            found = [f for f in found if f[0] != ("department" if unit > body else "unit")]
        return found

    def _cells(self, position: int, start: int) -> Iterator[tuple[int, str]]:
        """The column's shown texts from `start`, up to `sample_rows` rows with any text of their own."""
        grid = self.grid
        taken = 0
        for row in range(start, len(grid.cells)):
            if not any(grid.cells[row]):
                continue
            text = grid.shown(row, position).strip()
            yield row, "" if self.mapping.is_empty(_squeeze(text)) else text
            taken += 1
            if taken >= self.mapping.content_sample_rows:
                return

    def _kind(self, row: int, position: int, text: str) -> frozenset[str]:
        key = (row, position)
        found = self._kinds.get(key)
        if found is None:
            found = self._kinds[key] = frozenset(_kinds_of(self.mapping, text))
        return found


def _kinds_of(mapping: ListMapping, text: str) -> Iterator[str]:
    """The model columns a cell's text looks like a value of."""
    short = _squeeze(text)
    if len(short) <= 12 and (
        parse_power_type(short, mapping) or parse_power_type(short.removesuffix("类"), mapping)
    ):
        yield "power_type"
    if len(short) <= 12 and item_numbers(short) is not None:
        yield "sequence"
    if (_CODE.match(short) and not short.isdigit()) or (short.isdigit() and len(short) >= 6):
        yield "code"
    if len(short) <= 30 and (mapping.level_of(short) or _PLACE.match(short)):
        yield "level"
    citation = "《" in text and "》" in text
    if citation:
        yield "basis"
    if mapping.is_body_name(text):
        yield "department"
    if mapping.is_unit_name(text):
        yield "unit"
    if mapping.is_item_name(text) and not (citation and _ARTICLE.search(text)):
        yield "item"


def _counts_up(numbers: list[int]) -> bool:
    """Whether numbers read down a column count up (a 序号), not a count of cases or a year."""
    if len(numbers) < 2:
        return len(numbers) == 1 and numbers[0] <= 3
    rising = sum(1 for a, b in pairwise(numbers) if b > a)
    return rising >= 0.7 * (len(numbers) - 1) and numbers[0] < 1000
