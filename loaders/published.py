"""Read the power lists (权责清单) departments publish, as they are, into one government's graph.

A published list is a spreadsheet (`.xls`, also when named `.xlsx`, or `.xlsx`) of one department:
title rows, then a header, then one row per item, often one sheet per power type. What the headers
and words mean is data (`loaders/mapping.py`, `loaders/mappings/power_lists.toml`); this module
reads the rows:

- the header is found by `loaders.headers.find_layout`: the row (or two rows) whose columns are
  known best, by their wording or, for a wording the mapping does not know, by their contents
  (`职权` over power names is the item column); a header spanning two columns (`实施层级及权限` over
  the level and its scope) feeds one model column; a sheet with its headers down column A is read
  turned; a row numbering the columns under the header is skipped;
- merged cells carry their value into the empty cells they cover; a value hidden under a merge
  (a print layout merged over a row that has its own cells) is the row's own value;
- a row with a number (序号 `1`, `1.0`, `2,3`) starts an item; `2,3` is two items, named by the
  parts of `（两项：甲、乙）` when the name lists them;
- a row without a number continues the item above: a sub-item (its own 子项名称), the same item at
  another level of government (its own 行使主体 or 实施层级: `自治区级`, `县市区级`), or more text for
  the item (its own cells in other columns, appended); a continuation row leaves empty what it
  repeats from the item;
- a row with one text of its own, across the table or at its front, heads a group of rows when
  it names a level or a place (`二、区县级`, `独山子区`) or a power type (`（一）行政许可类`), and is a
  note otherwise (`备注：…`, a footnote, `填表人：…`); anything else that cannot be placed is
  reported with file, sheet and row, never dropped silently.

Governments and departments. The lists belong to one city: `government` when given, else the place
the titles, file names and implementing bodies name most (克拉玛依市 -> 克拉玛依市人民政府). Levels
are data: an implementing body's name (`自治区…`, `县市区…`, `…各区…分局`, `独山子区…`), else the
row's level column (`实施层级`, `行使层级`, `所属行政区划`: a level word or a place), the row heading
its group, or its sheet's name or title (`区县级`, `…（地州级）`) make an item another government's,
never the city's: the province's (新疆维吾尔自治区人民政府, from the mapping's `[places]` or the
province the bases name most), a district the list names (独山子区人民政府), or, when it names none,
one grouped government of the districts below the city, `克拉玛依市所辖县市区人民政府`. A department
is named by its government's place and the implementing body's name without its level word:
`地州市农业农村局` and `市农业农村局` are 克拉玛依市农业农村局, `自治区农业农村厅` is
新疆维吾尔自治区农业农村厅, `县市区农业农村局` is 克拉玛依市所辖县市区农业农村局,
`克拉玛依市自然资源局各区自然资源分局` is 克拉玛依市所辖县市区自然资源分局. Names of one
government that share their main name or a bracketed second name (`克拉玛依市委办公室（市档案局）`,
`克拉玛依市档案局`) are one department, shown by the form its lists write most. Without an
implementing body, the department is the one the title row names, else the file name's.

Items. Published lists number items but give no codes, so an item's code is made from the list's
department, the power type's two letters (from the mapping) and the number: `克拉玛依市农业农村局-XK-2`
(a list that has a code column keeps its codes). The same item at another level keeps the code; its
id adds the government (`graph.ids.power_item_id(code, sub_item, government)`). A sheet or a group
of rows numbering from 1 again gives its codes its name (`克拉玛依市自然资源局-区县级-XK-1`): the same
number on two sheets is two items, not a repeat. The number as
written is kept in `extra["序号"]`, the level in `level` (省级 / 市级 / 县级 / 乡镇级), the handling unit
and the columns the model has no property for in `extra`, under their headers.

    >>> graph, summaries = read_published_with_summary(Path("lists/"))           # doctest: +SKIP
    >>> print(summary_table(summaries))                                           # doctest: +SKIP

`summary_details` says, per file, how each column was read and what each level and government got;
`mapping_suggestion` writes the columns read from their contents into a `quanze-mapping.toml`.

The same file twice (by sha256) is read once. A file of a folder that is not a power list is left
out and listed (`FileSummary.refused`), unless `strict`. Raises `InvalidData` when a path holds no
published list: a file that is not a spreadsheet, is empty, or has no sheet with a power-list header.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph import ids
from graph.errors import InvalidData, Problem
from graph.model import Edge, Node, Origin
from graph.text import fold_alnum, normalize
from loaders.citations import Citation, parse_citations
from loaders.headers import ColumnRead, Layout, find_layout, item_numbers
from loaders.mapping import ListMapping, load_mapping, suggested_mapping
from loaders.spreadsheets import read_spreadsheet
from loaders.tables import column_letter
from loaders.workbook import WorkbookGraph, article_label, citation_part, merge_edge, merge_node
from ontology import EdgeKind, NodeKind, PowerType

__all__ = [
    "LEVEL_LABELS",
    "MAPPING_FILE_NAME",
    "PUBLISHED_SUFFIXES",
    "ColumnRead",
    "FileSummary",
    "GovernmentCount",
    "SheetRead",
    "mapping_suggestion",
    "published_files",
    "read_published",
    "read_published_with_summary",
    "summary_details",
    "summary_table",
]

PUBLISHED_SUFFIXES = (".xls", ".xlsx", ".xlsm", ".xlsb", ".ods")
#: A mapping file beside the lists, read on top of the packaged one.
MAPPING_FILE_NAME = "quanze-mapping.toml"
#: How `PowerItem.level` writes each level.
LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}


@dataclass(slots=True)
class SheetRead:
    """How one sheet was read: its header rows (1-based), the level and power type its name (or a
    title) gives, and how each column was read."""

    sheet: str
    header_rows: tuple[int, ...]
    columns: list[ColumnRead]
    level: str | None = None
    """The level (`LEVEL_LABELS`) the sheet's name or title gives its rows, None for the list's own."""
    power_type: str | None = None
    code_parts: dict[str, str] = field(default_factory=dict)
    """What the item codes of the sheet ("") or of a group of its rows (by the group row's text) carry
    besides the type and number, when their numbers repeat those of a sheet or group before them."""
    groups: list[str] = field(default_factory=list)
    """Rows over a group of rows that give a level or a power type (`二、县级`), as written."""
    transposed: bool = False
    """The sheet lists its items in columns, its headers down the first column: read turned, so that
    its `row N` (in problems and origins) is the sheet's column N."""


@dataclass(frozen=True, slots=True)
class GovernmentCount:
    """The items and sub-items a list gave one government at one level."""

    government: str
    level: str
    items: int
    sub_items: int


@dataclass(slots=True)
class FileSummary:
    """What one file gave: rows read, items, sub-items, citations, and every row it could not place."""

    file: str
    sha256: str
    department: str | None = None
    sheets: list[str] = field(default_factory=list)
    declared_items: int | None = None
    """The items the sheet names or titles declare (`行政许可（11项）`), summed; None when none do."""
    rows_read: int = 0
    """Rows with text of their own below the header: items, continuations, notes, rows not placed."""
    item_rows: int = 0
    """Rows that carry an item (numbered rows and their continuations), placed or not."""
    items: int = 0
    """Items of the list's own government (distinct codes): sub-items count once, with their item."""
    sub_items: int = 0
    """Item nodes that are a sub-item (子项)."""
    other_levels: int = 0
    """Item nodes of a government other than the list's (the same item at another level)."""
    basis_cells: int = 0
    titled_basis_cells: int = 0
    """Basis cells naming a law in 《》."""
    parsed_basis_cells: int = 0
    """Titled basis cells from which at least one law and article was read."""
    citations: int = 0
    """Citations of a law and article read from the basis cells."""
    rows_not_placed: int = 0
    """Item rows that gave nothing (each is in `not_placed`, or its sheet is, when it has no header)."""
    not_placed: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    """Rows that are not items: a note below the list, a section title."""
    remarks: list[Problem] = field(default_factory=list)
    """Placed rows with something a reader should know (the implementing body is the government …)."""
    unparsed_bases: list[Problem] = field(default_factory=list)
    """Titled basis cells from which no article could be read, with the text."""
    duplicate_of: str | None = None
    """The file with the same content read before this one; then nothing else is counted."""
    refused: str | None = None
    """Why the file was not read (not a spreadsheet, no power-list header …); None when it was."""
    sheet_reads: list[SheetRead] = field(default_factory=list)
    governments: list[GovernmentCount] = field(default_factory=list)
    """Items and sub-items by government and level, the list's own government first."""

    @property
    def placed(self) -> int:
        return self.item_rows - self.rows_not_placed

    @property
    def placed_share(self) -> float:
        """The share of item rows placed (1.0 for a file without item rows)."""
        return self.placed / self.item_rows if self.item_rows else 1.0

    @property
    def parsed_share(self) -> float:
        """The share of titled basis cells with a law and article read."""
        return self.parsed_basis_cells / self.titled_basis_cells if self.titled_basis_cells else 1.0


def read_published(
    path: Path,
    *,
    government: str | None = None,
    mapping: ListMapping | None = None,
    strict: bool = False,
) -> WorkbookGraph:
    """The graph of one published list, or of every list in a folder, as one government's.

    `government` names the lists' government (`克拉玛依市人民政府`); by default the place the
    lists name most. Rows that cannot be placed are in the result's `problems` (and never make
    it raise). A file of a folder that is not a power list is left out, and in `problems` with
    the reason; with `strict`, it makes the whole read fail. Raises `InvalidData` when the path
    holds no published list (a file that is not one, a folder with none), or, with `strict`,
    when any file of the folder is not one.

        >>> graph = read_published(Path("karamay-power-lists"))                  # doctest: +SKIP
    """
    graph, _ = read_published_with_summary(path, government=government, mapping=mapping, strict=strict)
    return graph


def read_published_with_summary(
    path: Path,
    *,
    government: str | None = None,
    mapping: ListMapping | None = None,
    strict: bool = False,
) -> tuple[WorkbookGraph, list[FileSummary]]:
    """`read_published`, with what each file gave (in file-name order) for `quanze check`; a file
    left out has its reason in `FileSummary.refused`."""
    path = Path(path)
    files = published_files(path)
    if mapping is None:
        user = (path if path.is_dir() else path.parent) / MAPPING_FILE_NAME
        mapping = load_mapping(user if user.is_file() else None)
    reader = _Reader(mapping, str(path))
    bad: list[Problem] = []
    for file in files:
        try:
            reader.read_file(file)
        except InvalidData as error:
            problems = error.problems or [_file_problem(file, str(error))]
            bad.extend(problems)
            reason = "; ".join(dict.fromkeys(problem.reason for problem in problems))
            reader.summaries.append(FileSummary(str(file), "", refused=reason))
    if bad and (strict or not path.is_dir() or not reader.lists):
        if not path.is_dir():
            what = "is not a published power list"
        elif reader.lists:
            what = f"holds {len(bad)} file(s) that are not power lists (--strict)"
        else:
            what = "holds no file that is a published power list"
        raise InvalidData(f"{path}: {what}", bad)
    graph = reader.build(government)
    graph.problems.extend(bad)
    return graph, reader.summaries


def published_files(path: Path) -> list[Path]:
    """The spreadsheet at `path`, or the spreadsheets of the folder at `path` (by name).

    Raises `InvalidData` when the path does not exist, or is a folder without spreadsheets.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.suffix.lower() in PUBLISHED_SUFFIXES and not p.name.startswith(("~$", "."))
        )
        if not files:
            reason = "the folder has no spreadsheet (.xls, .xlsx)"
            raise InvalidData(f"{path}: {reason}", [_file_problem(path, reason)])
        return files
    if not path.exists():
        raise InvalidData(f"{path}: no such file or folder", [_file_problem(path, "no such file or folder")])
    return [path]


def summary_details(summaries: Iterable[FileSummary]) -> str:
    """What `quanze check` prints under the table, per file: its sheets with their header rows,
    levels and power types, the column map each used (header -> model column, and whether its
    wording or its contents decided), and the items and sub-items by level and government; a file
    left out, with the reason. No line starts with `|`.

        >>> print(summary_details(summaries))                                     # doctest: +SKIP
        附件：克拉玛依市财政局2025年权责清单 (1).xlsx (克拉玛依市财政局)
          sheet Sheet1: header row 3; the list's level
          columns of Sheet1:
            序号 (A) -> sequence, by its wording
          …
          市级 克拉玛依市人民政府: 19 items, 0 sub-items
    """
    lines: list[str] = []
    for summary in summaries:
        name = Path(summary.file).name
        if summary.duplicate_of:
            continue
        if summary.refused is not None:
            lines.append(f"{name}: refused: {summary.refused}")
            continue
        lines.append(f"{name} ({summary.department or 'no department named'})")
        maps: dict[tuple[str, ...], list[str]] = {}
        for sheet in summary.sheet_reads:
            rows = " and ".join(str(row) for row in sheet.header_rows)
            parts = [
                f"header row{'s' if len(sheet.header_rows) > 1 else ''} {rows}",
                f"level {sheet.level} (from its name)" if sheet.level else "the list's level",
            ]
            if sheet.power_type:
                parts.append(f"type {sheet.power_type} (from its name or title)")
            for group, part in sheet.code_parts.items():
                whose = f"the group {group}" if group else "its items"
                parts.append(f"codes …-{part}-… for {whose} (their numbers repeat earlier ones)")
            if sheet.groups:
                parts.append("row groups " + " / ".join(dict.fromkeys(sheet.groups)))
            if sheet.transposed:
                parts.append("read turned: its items are columns, and its 'row N' is column N")
            lines.append(f"  sheet {sheet.sheet}: " + "; ".join(parts))
            maps.setdefault(tuple(read.describe() for read in _spanning(sheet.columns)), []).append(
                sheet.sheet
            )
        for described, sheets in maps.items():
            lines.append(f"  columns of {', '.join(sheets)}:")
            lines.extend(f"    {line}" for line in described)
        for count in summary.governments:
            lines.append(
                f"  {count.level} {count.government}: {count.items} items, {count.sub_items} sub-items"
            )
        lines.extend(f"  note: sheet {n.sheet}, row {n.row}: {n.reason}: {n.value}" for n in summary.notes)
    return "\n".join(lines)


def _spanning(reads: list[ColumnRead]) -> list[ColumnRead]:
    """Neighbouring columns under one header (`实施层级及权限` over H and I) as one: 'H-I'."""
    joined: list[ColumnRead] = []
    for read in reads:
        last = joined[-1] if joined else None
        if last is not None and (last.header, last.column, last.how) == (read.header, read.column, read.how):
            first = last.letters.split("-")[0]
            joined[-1] = ColumnRead(read.header, f"{first}-{read.letters}", read.column, read.how, last.share)
        else:
            joined.append(read)
    return joined


def mapping_suggestion(summaries: Iterable[FileSummary], base: str = "") -> str | None:
    """The `quanze-mapping.toml` that names by their wording the columns read from their contents
    (None when there are none); `base` is the text of the user's mapping file to extend."""
    columns: dict[str, list[str]] = defaultdict(list)
    unknown: set[str] = set()
    for summary in summaries:
        for sheet in summary.sheet_reads:
            for read in sheet.columns:
                if read.how == "contents" and read.column and read.header not in columns[read.column]:
                    columns[read.column].append(read.header)
                elif read.column is None and read.header:
                    unknown.add(read.header)
    found = {column: headers for column, headers in columns.items() if headers}
    return suggested_mapping(found, unknown, base) if found else None


def summary_table(summaries: Iterable[FileSummary]) -> str:
    """The per-file summary as a Markdown table: rows read, items, sub-items, citations, not placed."""
    lines = [
        "| file | rows read | items | sub-items | other levels | placed | basis 《》 cells | with article | citations | not placed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for summary in summaries:
        name = Path(summary.file).name
        if summary.duplicate_of:
            lines.append(f"| {name} | same file as {Path(summary.duplicate_of).name}: read once |||||||||")
            continue
        if summary.refused is not None:
            lines.append(f"| {name} | refused: {summary.refused} |||||||||")
            continue
        lines.append(
            f"| {name} | {summary.rows_read} | {summary.items} | {summary.sub_items} | {summary.other_levels} | "
            f"{summary.placed_share:.1%} | {summary.titled_basis_cells} | {summary.parsed_share:.1%} | "
            f"{summary.citations} | {len(summary.not_placed)} |"
        )
    return "\n".join(lines)


# -- reading sheets ----------------------------------------------------------------------------


def _file_problem(path: Path | str, reason: str, sheet: str = "") -> Problem:
    return Problem(sheet=sheet, row=None, column=None, value=None, reason=reason, file=str(path))


@dataclass(slots=True)
class _Grid:
    """One sheet's cells as text: a cell's own value, and the value a merged range shows in it."""

    file: str
    sha256: str
    sheet: str
    cells: list[list[str]]
    covered: dict[tuple[int, int], tuple[int, int]]  # a merged cell -> the top-left cell of its range
    problems: list[Problem] = field(default_factory=list)
    """The sheet could not be read, or cells of it read as empty though they are not (see `_read_grids`)."""

    def own(self, row: int, column: int) -> str:
        cells = self.cells[row]
        return cells[column] if column < len(cells) else ""

    def shown(self, row: int, column: int) -> str:
        """The cell's own value, else the value of the merged range over it."""
        value = self.own(row, column)
        if value:
            return value
        top = self.covered.get((row, column))
        return self.own(*top) if top is not None else ""

    def merged_from_above(self, row: int, column: int) -> bool:
        top = self.covered.get((row, column))
        return top is not None and top[0] < row


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return fold_alnum(value).replace("\u3000", " ").strip()
    return str(value).strip()


def _read_grids(path: Path, data: bytes, digest: str) -> list[_Grid]:
    """The sheets of a list as grids; a sheet that cannot be read is an empty grid carrying its problem,
    and a formula without a saved value or an error value (which read as empty) is a problem of its
    grid. Raises `InvalidData` when the file cannot be read, or none of its sheets can."""
    book = read_spreadsheet(path, data)  # looks at the file before calamine: no far cell, no zip bomb
    if book.problems and not book.sheets:
        count = len(book.problems)
        raise InvalidData(
            f"{path}: no sheet can be read ({count} problem{'s' if count != 1 else ''})", book.problems
        )
    grids = {
        problem.sheet: _Grid(str(path), digest, problem.sheet, [], {}, [problem]) for problem in book.problems
    }
    for sheet in book.sheets:
        cells = [[_cell(value) for value in row] for row in sheet.rows]
        covered: dict[tuple[int, int], tuple[int, int]] = {}
        for (top, left), (bottom, right) in sheet.merged:
            for row in range(top, bottom + 1):
                for column in range(left, right + 1):
                    if row != top or column != left:
                        covered[(row, column)] = (top, left)
        flagged = sorted(sheet.flagged.items())
        problems = [
            Problem(sheet.name, row + 1, column_letter(column), value, reason, str(path))
            for (row, column), (value, reason) in flagged[:_FLAGGED_SHOWN]
        ]
        if len(flagged) > _FLAGGED_SHOWN:
            more = f"{len(flagged) - _FLAGGED_SHOWN} more cells like these, which read as empty"
            problems.append(_file_problem(path, more, sheet.name))
        grids[sheet.name] = _Grid(str(path), digest, sheet.name, cells, covered, problems)
    return [grids[name] for name in dict.fromkeys(book.names) if name in grids]


#: The flagged cells (formulas without a saved value, error values) of one sheet reported one by one.
_FLAGGED_SHOWN = 20


def _squeeze(text: str) -> str:
    """`text` without whitespace: headers and names wrap inside their cells."""
    return re.sub(r"\s+", "", text)


_DECLARED = re.compile(r"[（(]\s*(\d+)\s*项\s*[)）]")
_LIST_MARKER = re.compile(
    r"^\s*(?:[（(]?\d{1,3}[)）.、．]|[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)\s*"
)
_ENUMERATION = re.compile(r"[（(][一二两三四五六七八九十\d]+项[:：](?P<parts>[^（）()]+)[)）]\s*$")


@lru_cache(maxsize=8192)
def _citations(text: str) -> tuple[Citation, ...]:
    return tuple(parse_citations(text))


# -- rows -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """One placed row: an item, a sub-item, the item at another level, or more text for one."""

    kind: str  # "item", "sub", "level", "more"
    grid: _Grid
    layout: Layout
    index: int  # 0-based
    values: dict[str, str]  # model column -> text (own, or shown by a merge)
    own: dict[str, str]  # model column -> text of the row's own cells
    extra: dict[str, str]
    numbers: tuple[str, ...] = ()
    anchor: _Row | None = None
    group: str = ""  # the row over the group of rows this one is in, when it names a level or a place
    section_type: PowerType | None = None  # the power type the row over its group names

    @property
    def number(self) -> int:
        return self.index + 1

    def origin(self, column: str | None = None) -> Origin:
        header = self.layout.headers.get(column) if column else None
        return Origin(self.grid.file, self.grid.sha256, self.grid.sheet, self.number, header)


@dataclass(slots=True)
class _List:
    """What one file holds: its rows, its sheets' power types, and where its department is named."""

    file: Path
    summary: FileSummary
    rows: list[tuple[_Row, PowerType | None]]  # each row with its sheet's power type
    titles: list[str]
    bodies: list[str]  # the implementing bodies the rows write
    bases: list[str]
    # (sheet, group row's text) -> what the codes of its items add to the type and number
    code_parts: dict[tuple[str, str], str] = field(default_factory=dict)
    sheet_titles: dict[str, list[str]] = field(default_factory=dict)  # sheet -> its title rows


class _Reader:
    """Reads files into rows, then builds one government's graph from all of them."""

    def __init__(self, mapping: ListMapping, source: str) -> None:
        self.mapping = mapping
        self.source = source
        self.lists: list[_List] = []
        self.summaries: list[FileSummary] = []
        self.seen: dict[str, str] = {}  # sha256 -> the file read with it

    def build(self, government: str | None) -> WorkbookGraph:
        """The graph of every list read (phase 2)."""
        return _Builder(self, government).build()

    # -- phase 1: rows --

    def read_file(self, path: Path) -> None:
        data = path.read_bytes() if path.is_file() else b""
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.seen and data:
            self.summaries.append(FileSummary(str(path), digest, duplicate_of=self.seen[digest]))
            return
        grids = _read_grids(path, data, digest)
        summary = FileSummary(str(path), digest)
        summary.not_placed.extend(problem for grid in grids for problem in grid.problems)
        found = _List(path, summary, [], [], [], [])
        layouts = [(grid, find_layout(grid, self.mapping)) for grid in grids]
        turned: set[str] = set()
        for position, (grid, layout) in enumerate(layouts):
            if layout is None and (found_turned := _turned(grid, self.mapping)) is not None:
                layouts[position] = found_turned
                turned.add(grid.sheet)
        if not any(layout for _, layout in layouts):
            wanted = "、".join(self.mapping.columns.get("item", ("事项名称",))[:3])
            reason = (
                f"not a power list: no sheet has a header naming the item ({wanted} …), or a column whose "
                f"cells read as items' names, and {self.mapping.header_min_columns - 1} more columns known by "
                f"their wording or contents in its first {self.mapping.header_search_rows} rows"
            )
            raise InvalidData(f"{path}: {reason}", [_file_problem(path, reason)])
        declared: list[int] = []
        numbered: dict[tuple[str, str], set[tuple[str, str]]] = {}  # (sheet, group) -> (type, number)
        reads: dict[str, SheetRead] = {}
        for grid, layout in layouts:
            if layout is None:
                rows = sum(1 for row in grid.cells if any(row))
                if rows:
                    reason = (
                        f"has {rows} row(s) of text but no header of a power list; the sheet was not read"
                    )
                    summary.not_placed.append(_file_problem(path, reason, grid.sheet))
                    summary.rows_read += rows
                    summary.item_rows += rows
                    summary.rows_not_placed += rows
                continue
            summary.sheets.append(grid.sheet)
            found.titles.extend(layout.titles)
            found.sheet_titles[grid.sheet] = layout.titles
            for text in (grid.sheet, *layout.titles):
                match = _DECLARED.search(text)
                if match:
                    declared.append(int(match.group(1)))
                    break
            sheet_type = self.mapping.power_type_in(grid.sheet) or next(
                (t for title in layout.titles if (t := _type_in_title(self.mapping, title))), None
            )
            level = self.mapping.level_in(grid.sheet) or next(
                (v for title in layout.titles if (v := _level_in_title(self.mapping, title))), None
            )
            read = SheetRead(
                grid.sheet,
                tuple(row + 1 for row in layout.header_rows),
                list(layout.reads),
                LEVEL_LABELS.get(level) if level else None,
                sheet_type.value if sheet_type else None,
            )
            read.transposed = grid.sheet in turned
            summary.sheet_reads.append(read)
            reads[grid.sheet] = read
            for row in self._rows(grid, layout, summary, read):
                found.rows.append((row, sheet_type))
                if row.values.get("department"):
                    found.bodies.append(row.values["department"])
                if row.kind == "item" and row.values.get("basis"):
                    found.bases.append(row.values["basis"])
                if row.kind == "item" and not row.values.get("code"):
                    type_text = re.sub(r"\s+", "", row.values.get("power_type", ""))
                    power_type = row.section_type or sheet_type or self.mapping.power_type(type_text)
                    code = self.mapping.type_code(power_type) if power_type else ""
                    numbers = numbered.setdefault((grid.sheet, row.group), set())
                    numbers.update((code, number) for number in row.numbers if not number.startswith("R"))
        self._code_parts(found, numbered, reads)
        summary.declared_items = sum(declared) if declared else None
        self.seen[digest] = str(path)
        self.lists.append(found)
        self.summaries.append(summary)

    @staticmethod
    def _code_parts(
        found: _List, numbered: dict[tuple[str, str], set[tuple[str, str]]], reads: dict[str, SheetRead]
    ) -> None:
        """A sheet, or a group of rows (`二、县级`), numbering its items again (from 1, as one before it
        did) gives its codes a part of their own, from its name: the same number twice is two items."""
        used: set[tuple[str, str]] = set()
        parts: set[str] = set()
        first_sheet = next(iter(reads), "")
        for position, ((sheet, group), numbers) in enumerate(numbered.items(), start=1):
            if numbers & used:
                named = [_code_label(sheet) if sheet != first_sheet or not group else "", _code_label(group)]
                part = "".join(named) or f"S{position}"
                if part in parts:
                    part = f"{part}{position}"
                parts.add(part)
                found.code_parts[(sheet, group)] = reads[sheet].code_parts[group] = part
            used |= numbers

    def _rows(self, grid: _Grid, layout: Layout, summary: FileSummary, read: SheetRead) -> Iterator[_Row]:
        mapping = self.mapping
        anchor: _Row | None = None
        sequence = layout.columns.get("sequence", [])
        item_positions = layout.columns.get("item", [])
        spans = _spans(grid)
        header_words = _header_words(grid, layout)
        group = ""
        section: PowerType | None = None
        first = True
        for index in range(layout.data_start, len(grid.cells)):
            cells = grid.cells[index]
            own_text = [text for text in cells if text]
            if not own_text:
                continue  # empty, or the lower part of merged cells: nothing of its own
            values: dict[str, str] = {}
            own: dict[str, str] = {}
            for name, positions in layout.columns.items():
                values[name] = _join(grid.shown(index, p) for p in positions)
                own[name] = _join(grid.own(index, p) for p in positions)
            extra = {
                header: text
                for position, header in layout.extras.items()
                if (text := grid.shown(index, position))
            }
            for name in _SHORT_COLUMNS:
                for found in (values, own):
                    text = _squeeze(found.get(name, ""))
                    found[name] = "" if mapping.is_empty(text) else text
            if _is_repeated_header(mapping, own, layout) or _repeats_header(cells, header_words):
                continue
            if first and _column_numbers(own_text):
                first = False
                continue  # the header's columns numbered 1, 2, 3 … under it
            first = False
            summary.rows_read += 1
            if len(own_text) == 1 and mapping.is_note(own_text[0]):
                summary.notes.append(
                    Problem(grid.sheet, index + 1, None, own_text[0][:80], "a note below the list", grid.file)
                )
                continue
            banner = _banner(cells, index, spans, sequence, item_positions)
            if banner is not None and item_numbers(banner) is None:
                bare = _squeeze(banner)
                level = mapping.level_in(bare)
                if level is not None or (len(bare) <= 20 and _is_group_place(bare)):
                    group = bare
                    read.groups.append(bare)
                    summary.notes.append(
                        Problem(
                            grid.sheet, index + 1, None, bare[:80], "a row over a group: its level", grid.file
                        )
                    )
                    continue
                section_type = mapping.type_in(bare)
                if section_type is not None:
                    section = section_type
                    read.groups.append(bare)
                    summary.notes.append(
                        Problem(grid.sheet, index + 1, None, bare[:80], "a section title", grid.file)
                    )
                    continue
                across = spans.get((index, next(c for c, t in enumerate(cells) if t)), 1)
                labelled = _LABEL_LINE.match(bare) is not None  # 填表人：…, 联系电话：…
                if across >= 3 or ((len(bare) > 12 or labelled) and not own.get("item")):
                    summary.notes.append(
                        Problem(
                            grid.sheet,
                            index + 1,
                            None,
                            bare[:80],
                            "a line of text across the table (a heading or a footnote), not an item",
                            grid.file,
                        )
                    )
                    continue
            summary.item_rows += 1
            number_text = own.get("sequence", "") if sequence else ""
            row = _Row("item", grid, layout, index, values, own, extra, group=group, section_type=section)
            if number_text:
                numbers = item_numbers(number_text)
                if numbers is None:
                    if mapping.power_type_in(number_text) and not own.get("item"):
                        summary.item_rows -= 1
                        section = mapping.power_type_in(number_text)
                        summary.notes.append(
                            Problem(
                                grid.sheet, index + 1, None, number_text[:80], "a section title", grid.file
                            )
                        )
                        continue
                    numbers = (re.sub(r"\s+", "", number_text),)
                row.numbers = numbers
                anchor = row
                yield row
                continue
            if anchor is None:
                if own.get("item"):
                    row.numbers = (f"R{index + 1}",)
                    anchor = row
                    yield row
                else:
                    summary.rows_not_placed += 1
                    summary.not_placed.append(
                        Problem(
                            grid.sheet,
                            index + 1,
                            None,
                            own_text[0][:80],
                            "a row before the first item, without an item name",
                            grid.file,
                        )
                    )
                continue
            row.anchor = anchor
            for name, value in anchor.values.items():
                if not values.get(name):
                    values[name] = value
            if (
                own.get("item")
                and normalize(own["item"]) != normalize(anchor.values.get("item", ""))
                and not own.get("sub_item")
            ):
                row.numbers = (f"R{index + 1}",)  # an item without a number of its own
                row.anchor = None
                anchor = row
                yield row
                continue
            if own.get("sub_item") and normalize(own["sub_item"]) != normalize(
                anchor.own.get("sub_item", "")
            ):
                row.kind = "sub"
            elif (
                own.get("department")
                and normalize(own["department"]) != normalize(anchor.values.get("department", ""))
            ) or (
                own.get("level")
                and mapping.level_of(own["level"]) != mapping.level_of(anchor.values.get("level", ""))
            ):
                row.kind = "level"
            else:
                row.kind = "more"
            yield row


#: Columns holding a name or a word: what a narrow column wraps onto several lines is joined again.
_SHORT_COLUMNS = ("code", "sequence", "item", "sub_item", "power_type", "department", "unit", "level")


def _join(parts: Iterable[str]) -> str:
    return "\n".join(dict.fromkeys(part for part in parts if part))


def _is_repeated_header(mapping: ListMapping, own: dict[str, str], layout: Layout) -> bool:
    """Whether a row repeats the header (lists printed page by page repeat it on every page)."""
    item = own.get("item", "")
    return 0 < len(item) <= 12 and mapping.column_for(item) == "item" and len(layout.columns) > 1


def _turned(grid: _Grid, mapping: ListMapping) -> tuple[_Grid, Layout] | None:
    """A sheet listing its items in columns (its headers down column A), turned, and its layout;
    None when turned it is no power list either (or it is too wide a sheet to be one)."""
    rows = len(grid.cells)
    width = max((len(cells) for cells in grid.cells), default=0)
    if not 2 <= rows <= 60 or width < 2 or width > 5000:
        return None
    cells = [[grid.own(row, column) for row in range(rows)] for column in range(width)]
    covered = {(column, row): (left, top) for (row, column), (top, left) in grid.covered.items()}
    turned = _Grid(grid.file, grid.sha256, grid.sheet, cells, covered)
    layout = find_layout(turned, mapping)
    return (turned, layout) if layout is not None and layout.header_row == 0 else None


def _code_label(text: str) -> str:
    """A sheet's name or a group row's text as a part of item codes: `二、区县级（30项）` -> 区县级."""
    text = _DECLARED.sub("", _LIST_MARKER.sub("", re.sub(r"\s+", "", text)))
    return re.sub(r"[-\s]+|权责事项$|事项$", "", text)


def _header_words(grid: _Grid, layout: Layout) -> dict[int, set[str]]:
    """Per column, the texts of its header (each row of a two-row header, and both joined)."""
    words: dict[int, set[str]] = {}
    for position, text in layout.header_texts.items():
        words[position] = {text} | {
            t for row in layout.header_rows if (t := _squeeze(grid.shown(row, position)))
        }
    return words


def _repeats_header(cells: list[str], header_words: dict[int, set[str]]) -> bool:
    """Whether a row's own cells are the header's texts (two at least, and most of the row)."""
    own = [(position, _squeeze(text)) for position, text in enumerate(cells) if text]
    same = sum(1 for position, text in own if text in header_words.get(position, ()))
    return same >= 2 and same * 2 > len(own)


def _column_numbers(own_text: list[str]) -> bool:
    """Whether a row under the header numbers its columns: 1, 2, 3 … (or （1）（2）…)."""
    digits = [re.sub(r"[（()）\s]", "", text) for text in own_text]
    if len(digits) < 3 or not all(d.isdigit() for d in digits):
        return False
    numbers = [int(d) for d in digits]
    return numbers[0] in (0, 1) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _spans(grid: _Grid) -> dict[tuple[int, int], int]:
    """How many columns a merged range spans, by its top-left cell (only ranges of two or more)."""
    spans: dict[tuple[int, int], int] = {}
    for (row, _), top in grid.covered.items():
        if row == top[0]:
            spans[top] = spans.get(top, 1) + 1
    return spans


def _banner(
    cells: list[str],
    index: int,
    spans: dict[tuple[int, int], int],
    sequence: list[int],
    items: list[int],
) -> str | None:
    """The text of a row with one cell of its own, when it stands across the table (merged over three
    columns or more) or at its front (the first column, the number's or the item's): a heading, a
    group's level or type, or a footnote. None for any other row."""
    filled = [position for position, text in enumerate(cells) if text]
    if len(filled) != 1:
        return None
    position = filled[0]
    if spans.get((index, position), 1) >= 3 or position == 0 or position in sequence or position in items:
        return cells[position]
    return None


_LABEL_LINE = re.compile(r"^[\u4e00-\u9fff]{2,6}[:：]")


def _is_group_place(text: str) -> bool:
    """Whether a group row names a place below the city (`独山子区`, `克拉玛依区权责事项`)."""
    return bool(_GROUP_PLACE.match(_LIST_MARKER.sub("", text)))


_GROUP_PLACE = re.compile(
    r"^[\u4e00-\u9fff]{2,8}?(?:区|县|旗|乡|镇|街道)(?:本级)?(?:权责事项|事项|权力事项)?(?:[（(]\d+项[)）])?$"
)


def _level_in_title(mapping: ListMapping, title: str) -> str | None:
    """The level a title names in brackets at its end: `…权责清单（区县级）`."""
    match = re.search(r"[（(]([^（）()]+?)[)）]\s*$", title)
    return mapping.level_in(match.group(1)) if match else None


def _type_in_title(mapping: ListMapping, title: str) -> PowerType | None:
    """The power type a title names in brackets at its end: `…指导目录（行政检查类）`."""
    match = re.search(r"[（(]([^（）()]+?)类?[)）]\s*$", title)
    return mapping.power_type(match.group(1)) if match else None


# -- phase 2: the graph ------------------------------------------------------------------------


_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,6}?(?:市|州|盟|地区))")
_YEAR = re.compile(r"\d{4}\s*年度?")
_COPY = re.compile(r"\s*[（(]\s*\d+\s*[)）]\s*$")
_BRACKETED = re.compile(r"[（(]([^（）()]*)[)）]")
_DEPARTMENT_LABEL = re.compile(r"(?:部门名称|单位名称|填报单位|部门)[:：]\s*(\S+)")


@dataclass(slots=True)
class _Department:
    level: str
    keys: set[str]
    names: Counter[str]
    fallback: str  # a title's or file name's form, when no row names it
    id: str = ""
    name: str = ""
    rest: str = ""  # the name without the government's place
    place: str | None = None  # a government the list names below the city (独山子区); None: the level's own


class _Places:
    """The lists' governments by level, and how an implementing body's name shows its level."""

    def __init__(self, mapping: ListMapping, city_place: str, province: str | None) -> None:
        self.mapping = mapping
        self.city = city_place
        self.province = province
        self.list_level = mapping.list_level
        self.place: dict[str, str] = {mapping.list_level: city_place}
        if province:
            self.place["province"] = province
        for level, group in mapping.government_groups.items():
            if level != mapping.list_level and level not in self.place:
                self.place[level] = mapping.grouped_government.format(
                    place=city_place, group=group
                ).removesuffix(mapping.government_suffix)
        self.place.setdefault("province", "省级")
        prefixes = [(province, "province")] if province else []
        prefixes.append((city_place, mapping.list_level))
        for level in ("province", "city", "county", "township"):
            prefixes.extend((word, level) for word in mapping.prefixes(level))
        self._prefixes = sorted(prefixes, key=lambda pair: len(pair[0]), reverse=True)

    def government(self, level: str, place: str | None = None) -> str:
        """The government of a level: the named place's (独山子区人民政府), else the level's own (the
        city's, the province's, or the one grouped government of the counties below the city)."""
        return (place or self.place.get(level, self.city)) + self.mapping.government_suffix

    def seat(self, written: str) -> tuple[str | None, str | None, str]:
        """The level and place an implementing body's name shows (None, None: it shows none), and the
        rest of the name: `县市区农业农村局` -> county; `克拉玛依市自然资源局各区自然资源分局` -> county,
        自然资源分局; `独山子区农业农村局` and `克拉玛依市自然资源局独山子区分局` -> county, 独山子区."""
        level, rest = self.split(written)
        each = _EACH_BELOW.search(rest)
        if each is not None:
            below = "township" if each.group("township") else "county"
            after = rest[each.end() :]
            if len(after) >= 2:
                return below, None, after
            return below, None, _branch(rest[: each.start()])
        if level not in (None, self.list_level):
            return level, None, rest
        branch = _BRANCH.match(rest)
        if branch is not None:
            return "county", branch.group("place"), _branch(branch.group("body"))
        named = _COUNTY_PLACE.match(rest)
        if named is not None and not named.group(1).endswith("自治区") and len(rest) - named.end() >= 2:
            return "county", named.group(1), rest[named.end() :]
        return level, None, rest

    def declared(self, text: str, *, whole: bool = False) -> tuple[str, str | None] | None:
        """The level and place a level column (`县市区级`, `所属行政区划`: `独山子区`), a row over a
        group or a sheet's name (`whole`: all of the text names it) gives; None when it gives none."""
        text = re.sub(r"\s+", "", text)
        level = self.mapping.level_in(text) if whole else self.mapping.level_of(text)
        if level is not None:
            return level, None
        bare = re.sub(r"(?:权责事项|权力事项|事项|权责清单|清单)$", "", _DECLARED.sub("", text))
        bare = re.sub(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）])", "", bare)
        if self.province and bare.startswith(self.province):
            return "province", None
        if bare.startswith(self.city):
            bare = bare[len(self.city) :]
            if bare in ("", "本级", "市本级", "辖区", "全市"):
                return self.list_level, None
        named = _COUNTY_PLACE.match(bare + "·")
        if (
            named is not None
            and bare[named.end() :] in ("", "本级")
            and not named.group(1).endswith("自治区")
        ):
            return "county", named.group(1)
        return None

    def split(self, written: str) -> tuple[str | None, str]:
        """The level an implementing body's name starts with (None: no level word) and the rest."""
        text = re.sub(r"\s+", "", written)
        for word, level in self._prefixes:
            if text.startswith(word) and len(text) > len(word):
                rest = text[len(word) :]
                if len(word) == 1 and any(text.startswith(n) for n in self.mapping.not_prefixes):
                    continue
                if rest.startswith("级"):
                    rest = rest[1:]
                return level, rest
        return None, text


_EACH_BELOW = re.compile(
    r"各(?:(?P<township>乡镇|街道|乡（镇）|乡\(镇\))|县市区|县（市、区）|县\(市、区\)|县区|区县|县市|县|区)"
)
#: A district's or county's name at the start of a body's name (独山子区…): two to five characters,
#: none of them what ends a body's name (生态环境局区县 names no place)
_COUNTY_PLACE = re.compile(
    r"^((?:(?![局委厅办院所站队部会处科室司])[\u4e00-\u9fff]){2,5}?(?:区|县|旗))(?=[\u4e00-\u9fff·]{1,})"
)
_BRANCH = re.compile(r"^(?P<body>[\u4e00-\u9fff]{2,}?局)(?P<place>[\u4e00-\u9fff]{2,5}?(?:区|县))分局$")


def _branch(body: str) -> str:
    """A bureau's branch below it, named by the bureau: 自然资源局 -> 自然资源分局."""
    return body.removesuffix("局") + "分局" if body.endswith("局") and not body.endswith("分局") else body


class _Builder:
    """Builds nodes and edges from the rows of every list read."""

    def __init__(self, reader: _Reader, government: str | None) -> None:
        self.reader = reader
        self.mapping = reader.mapping
        self.result = WorkbookGraph(reader.source)
        city = (government or self._city()).removesuffix(self.mapping.government_suffix)
        self.places = _Places(self.mapping, city, self._province(city))
        # (level, place) -> departments: place None for the level's own government
        self.departments: dict[tuple[str, str | None], list[_Department]] = defaultdict(list)
        self.titles: dict[int, str] = {}  # a department (by id()) -> the form a list's title writes
        self._found: dict[str, _Department | None] = {}

    # -- governments --

    def _city(self) -> str:
        counts: Counter[str] = Counter()
        level_words = {word for level in self.mapping.department_prefixes.values() for word in level}
        for found in self.reader.lists:
            texts = [*found.titles, _title_of(self.mapping, found.file.stem), *found.bodies]
            for text in texts:
                text = _YEAR.sub("", re.sub(r"^附件[:：]?", "", re.sub(r"\s+", "", text)))
                match = _PLACE.match(text)
                if match and match.group(1) not in level_words:
                    counts[match.group(1)] += 1
        if not counts:
            reason = (
                "cannot tell which government the lists belong to (no title, file name or implementing "
                "body names a city); give it, e.g. government='克拉玛依市人民政府'"
            )
            raise InvalidData(f"{self.reader.source}: {reason}", [_file_problem(self.reader.source, reason)])
        return counts.most_common(1)[0][0] + self.mapping.government_suffix

    def _province(self, city: str) -> str | None:
        known = self.mapping.places.get(city)
        if known:
            return known
        counts: Counter[str] = Counter()
        for found in self.reader.lists:
            for text in found.bases:
                for province in self.mapping.provinces:
                    if province in text:
                        counts[province] += 1
        return counts.most_common(1)[0][0] if counts else None

    # -- departments --

    def _register(self, written: str, fallback: bool = False) -> _Department | None:
        level, place, rest = self.places.seat(written)
        level = level or self.places.list_level
        rest = _BRACKETED.sub(lambda m: f"（{m.group(1)}）", rest)
        if not rest:
            return None
        keys = _department_keys(self.places, rest)
        for department in self.departments[(level, place)]:
            if department.keys & keys:
                department.keys |= keys
                if not fallback:
                    department.names[rest] += 1
                return department
        department = _Department(
            level, keys, Counter() if fallback else Counter({rest: 1}), rest, place=place
        )
        self.departments[(level, place)].append(department)
        return department

    def _department(self, written: str) -> _Department | None:
        if written in self._found:
            return self._found[written]
        found = self._lookup(written)
        self._found[written] = found
        return found

    def _lookup(self, written: str) -> _Department | None:
        level, place, rest = self.places.seat(written)
        level = level or self.places.list_level
        keys = _department_keys(self.places, _BRACKETED.sub(lambda m: f"（{m.group(1)}）", rest))
        for department in self.departments[(level, place)]:
            if department.keys & keys:
                return department
        return None

    def at_level(self, department: _Department, level: str, place: str | None = None) -> _Department:
        """The department of the same field as `department` at another level (of the named place, or
        the level's own government), made when missing."""
        for other in self.departments[(level, place)]:
            if other.keys & department.keys:
                return other
        other = _Department(level, set(department.keys), Counter(), department.rest, place=place)
        other.rest = department.rest
        other.name = (place or self.places.place.get(level, "")) + department.rest
        other.id = ids.department_id(self.places.government(level, place), other.name)
        self.departments[(level, place)].append(other)
        return other

    def _name_departments(self) -> None:
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
                    and _expand(self.mapping, normalize(title))
                    == _expand(self.mapping, normalize(_BRACKETED.sub("", best)))
                ):
                    best = title  # the title writes the same name out in full: 科技局 -> 科学技术局
                department.rest = best
                department.name = place + best
                department.id = ids.department_id(government, department.name)

    # -- building --

    def build(self) -> WorkbookGraph:
        lists = self.reader.lists
        list_departments: dict[Path, _Department | None] = {}
        for found in lists:
            held: Counter[int] = Counter()
            by_position: dict[int, _Department] = {}
            for written in found.bodies:
                if _is_government(self.places, written):
                    continue
                department = self._register(written)
                if (
                    department is not None
                    and department.level == self.places.list_level
                    and department.place is None
                ):
                    position = id(department)
                    held[position] += 1
                    by_position[position] = department
            title = _list_department(self.mapping, found)
            if held:  # the department the list's rows name most, at the list's level
                chosen = by_position[held.most_common(1)[0][0]]
                list_departments[found.file] = chosen
                _, title_rest = self.places.split(title)
                if _department_keys(self.places, title_rest) & chosen.keys:
                    self.titles[id(chosen)] = title_rest
            else:
                list_departments[found.file] = self._register(
                    _list_department(self.mapping, found), fallback=True
                )
        self._name_departments()
        for found in lists:
            own = list_departments[found.file]
            found.summary.department = own.name if own else None
            _ListBuilder(self, found, own).build()
        self.result.sheets = sorted({row.grid.sheet for found in lists for row, _ in found.rows})
        return self.result

    def add_node(self, node: Node) -> None:
        old = self.result.nodes.get(node.id)
        self.result.nodes[node.id] = node if old is None else merge_node(old, node)

    def add_edge(self, edge: Edge) -> None:
        old = self.result.edges.get(edge.key)
        self.result.edges[edge.key] = edge if old is None else merge_edge(old, edge)


def _department_keys(places: _Places, rest: str) -> set[str]:
    """The names a department is known by: its main name and each bracketed second name, each also
    without its suffix (局, 委员会 …) and with short forms written out (科技 -> 科学技术)."""
    main = _BRACKETED.sub("", rest)
    names = [main] if main else []
    for inner in _BRACKETED.findall(rest):
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


def _is_government(places: _Places, written: str) -> bool:
    _, rest = places.split(written)
    return normalize(rest) in ("人民政府", "政府")


def _title_of(mapping: ListMapping, text: str) -> str:
    """A title or file name without the noise: `附件：克拉玛依市财政局2025年权责清单 (1)` -> 克拉玛依市财政局."""
    text = _COPY.sub("", re.sub(r"\s+", "", text))
    text = _YEAR.sub("", text)
    for noise in mapping.title_noise:
        text = text.replace(noise, "")
    text = re.sub(r"[（(][^（）()]*(类|项)[)）]$", "", text)
    return text.strip("：:（）() ")


def _list_department(mapping: ListMapping, found: _List) -> str:
    """The department a list's title names (a `部门名称：` row first), else its file name's."""
    for title in found.titles:
        match = _DEPARTMENT_LABEL.search(re.sub(r"[ \u3000]+", "", title))
        if match:
            return match.group(1)
    for title in found.titles:
        name = _title_of(mapping, title)
        if len(name) >= 3:
            return name
    return _title_of(mapping, found.file.stem)


class _ListBuilder:
    """The nodes and edges of one list's rows."""

    def __init__(self, builder: _Builder, found: _List, own: _Department | None) -> None:
        self.builder = builder
        self.mapping = builder.mapping
        self.found = found
        self.summary = found.summary
        self.own = own
        self.code_prefix = (
            normalize(_BRACKETED.sub("", own.name))
            if own
            else normalize(_title_of(self.mapping, found.file.stem))
        )
        self.nodes: dict[tuple[str, int], list[str]] = {}  # (sheet, row index) of an anchor -> its item ids
        self.items: set[str] = set()  # the codes of the list's own government
        self.basis_cells: set[tuple[str, int, str]] = set()
        self.unplaced: set[tuple[str, int]] = set()  # (sheet, row) of the rows not placed
        self.declared: dict[tuple[str, str], tuple[str, str | None] | None] = {}
        # (government, level) -> the codes of its items, and its sub-items
        self.governments: dict[tuple[str, str], tuple[set[str], list[str]]] = {}

    def build(self) -> None:
        for row, sheet_type in self.found.rows:
            if row.kind == "more":
                self._more(row)
                continue
            self._item(row, sheet_type)
        places = self.builder.places
        own = places.government(places.list_level)
        self.summary.governments = [
            GovernmentCount(government, level, len(codes), len(subs))
            for (government, level), (codes, subs) in sorted(
                self.governments.items(),
                key=lambda pair: (pair[0][0] != own, _LEVEL_ORDER.get(pair[0][1], 9), pair[0]),
            )
        ]
        for read in self.summary.sheet_reads:
            seat = self._declared_by(read.sheet, "sheet", read.sheet)
            if seat is not None:
                read.level = LEVEL_LABELS[seat[0]] + (f" ({seat[1]})" if seat[1] else "")

    def _not_placed(self, row: _Row, column: str | None, value: str, reason: str) -> None:
        header = row.layout.headers.get(column) if column else None
        problem = Problem(
            row.grid.sheet, row.number, header, value[:80] if value else None, reason, row.grid.file
        )
        if (row.grid.sheet, row.number) not in self.unplaced:
            self.unplaced.add((row.grid.sheet, row.number))
            self.summary.rows_not_placed += 1
        self.summary.not_placed.append(problem)
        self.builder.result.problems.append(problem)

    def _item(self, row: _Row, sheet_type: PowerType | None) -> None:
        values = row.values
        name = re.sub(r"\s+", "", values.get("item", ""))
        if not name:
            self._not_placed(row, "item", "", "has no item name (事项名称)")
            return
        type_text = re.sub(r"\s+", "", values.get("power_type", ""))
        power_type = self.mapping.power_type(type_text) if type_text else None
        if power_type is None:
            power_type = sheet_type
            if type_text and sheet_type is not None:
                self.summary.remarks.append(
                    Problem(
                        row.grid.sheet,
                        row.number,
                        row.layout.headers.get("power_type"),
                        type_text,
                        f"is not a power type; the sheet's type {sheet_type.value} is used",
                        row.grid.file,
                    )
                )
        if power_type is None:
            reason = "names no power type" if not type_text else "is not a power type"
            self._not_placed(row, "power_type", type_text, reason + " (and the sheet's name gives none)")
            return
        level, place, department = self._holder(row)
        if department is None:
            self._not_placed(
                row,
                "department",
                values.get("department", ""),
                "names no department, and the title gives none",
            )
            return
        government = self.builder.places.government(level, place)
        anchor = row.anchor or row
        numbers = anchor.numbers or (f"R{row.number}",)
        names = [name] * len(numbers)
        if len(numbers) > 1:
            match = _ENUMERATION.search(name)
            parts = re.split(r"[、，,；;]", match.group("parts")) if match else []
            if len(parts) == len(numbers):
                names = [part.strip() for part in parts]
        sub_item = _LIST_MARKER.sub("", re.sub(r"\s+", "", values.get("sub_item", ""))) or None
        list_government = self.builder.places.government(self.builder.places.list_level)
        made: list[str] = []
        part = self.found.code_parts.get((row.grid.sheet, row.group))
        type_code = self.mapping.type_code(row.section_type or sheet_type or power_type)
        counted = self.governments.setdefault((government, LEVEL_LABELS.get(level, level)), (set(), []))
        for number, item_name in zip(numbers, names, strict=True):
            code = re.sub(r"\s+", "", values.get("code", "")) or (
                f"{self.code_prefix}-{part + '-' if part else ''}{type_code}-{number.replace(',', '+')}"
            )
            item = ids.power_item_id(code, sub_item, None if government == list_government else government)
            if item in self.builder.result.nodes:
                self._not_placed(
                    row,
                    "sequence",
                    number,
                    f"repeats the item {code}" + (f" / {sub_item}" if sub_item else ""),
                )
                continue
            self._node(row, item, code, item_name, sub_item, power_type, level, department, number, numbers)
            made.append(item)
            counted[0].add(code)
            if sub_item:
                counted[1].append(sub_item)
            if government == list_government:
                self.items.add(code)
            if sub_item:
                self.summary.sub_items += 1
            if government != list_government:
                self.summary.other_levels += 1
        self.summary.items = len(self.items)
        self.nodes[(row.grid.sheet, row.index)] = made

    def _declared_by(self, sheet: str, where: str, text: str) -> tuple[str, str | None] | None:
        key = (where, text)
        if key not in self.declared:
            places = self.builder.places
            found = places.declared(text, whole=where != "column")
            if found is None and where == "sheet":
                titles = self.found.sheet_titles.get(sheet, [])
                found = next(
                    (
                        d
                        for t in titles
                        if (m := _TITLE_BRACKET.search(t)) and (d := places.declared(m.group(1), whole=True))
                    ),
                    None,
                )
            self.declared[key] = found
        return self.declared[key]

    def _declared(self, row: _Row) -> tuple[str, str | None] | None:
        """The level (and place) the row's level column, the row over its group, or its sheet's name
        gives, in that order; None when none gives one."""
        level_text = row.values.get("level", "")
        if level_text:
            found = self._declared_by(row.grid.sheet, "column", level_text[:40])
            if found is not None:
                return found
        if row.group:
            found = self._declared_by(row.grid.sheet, "group", row.group)
            if found is not None:
                return found
        return self._declared_by(row.grid.sheet, "sheet", row.grid.sheet)

    def _holder(self, row: _Row) -> tuple[str, str | None, _Department | None]:
        """The level, place and department of a row: the implementing body, else the list's
        department. A body whose name shows another level than the list's is of that level; else a
        level the row's 实施层级 column, its group or its sheet names moves it to that level's
        department (of the place named, or of the level's own government: never the city's)."""
        places = self.builder.places
        written = row.values.get("department", "")
        declared = self._declared(row)
        department: _Department | None = None
        written_level: str | None = None
        if written and not _is_government(places, written):
            written_level, _, _ = places.seat(written)
            department = self.builder._department(written)
        elif written:
            self.summary.remarks.append(
                Problem(
                    row.grid.sheet,
                    row.number,
                    row.layout.headers.get("department"),
                    written,
                    "the implementing body is the government itself; the list's department holds the item",
                    row.grid.file,
                )
            )
        if department is None:
            department = self.own
        if department is None:
            level, place = declared or (places.list_level, None)
            return level, place, None
        if (
            declared is not None
            and written_level in (None, places.list_level)
            and declared != (department.level, department.place)
        ):
            department = self.builder.at_level(department, *declared)
        return department.level, department.place, department

    def _node(
        self,
        row: _Row,
        item: str,
        code: str,
        name: str,
        sub_item: str | None,
        power_type: PowerType,
        level: str,
        department: _Department,
        number: str,
        numbers: tuple[str, ...],
    ) -> None:
        builder = self.builder
        values = row.values
        basis = values.get("basis", "")
        extra = dict(row.extra)
        extra["序号"] = ",".join(numbers) if len(numbers) > 1 else number
        for column in ("unit", "level", "duty_of_department", "duties_basis", "accountable", "remedy"):
            if values.get(column):
                extra[row.layout.headers[column].rsplit(" (", 1)[0]] = values[column]
        for column, text in values.items():
            if column not in _ITEM_COLUMNS and text and column in row.layout.headers:
                extra.setdefault(row.layout.headers[column].rsplit(" (", 1)[0], text)
        if (
            department.name
            and values.get("department")
            and normalize(values["department"]) != normalize(department.name)
        ):
            extra["行使主体"] = re.sub(r"\s+", "", values["department"])
        origin = row.origin()
        props: dict[str, Any] = {
            "code": code,
            "name": name,
            "key": normalize(name),
            "sub_item": sub_item,
            "power_type": power_type.value,
            "duties": values.get("duties") or None,
            "triggers": values.get("triggers") or None,
            "statutory_days": _days(values.get("statutory_days", "")),
            "promised_days": _days(values.get("promised_days", "")),
            "basis": basis or None,
            "basis_status": self._cite(row, item, basis),
            "note": values.get("note") or None,
            "level": LEVEL_LABELS.get(level, level),
            "extra": extra or None,
        }
        builder.add_node(
            Node(item, NodeKind.POWER_ITEM, {k: v for k, v in props.items() if v is not None}, origin)
        )
        government = builder.places.government(department.level, department.place)
        government_node = ids.government_id(government)
        builder.add_node(
            Node(
                government_node,
                NodeKind.GOVERNMENT,
                {"name": government, "key": normalize(government)},
                origin,
            )
        )
        builder.add_node(
            Node(
                department.id,
                NodeKind.DEPARTMENT,
                {"name": department.name, "key": normalize(department.name), "government": government},
                origin,
            )
        )
        builder.add_edge(Edge(department.id, EdgeKind.DEPARTMENT_OF, government_node, {}, origin))
        builder.add_edge(
            Edge(
                item,
                EdgeKind.HELD_BY,
                department.id,
                {"position": 0},
                row.origin("department"),
            )
        )

    def _cite(self, row: _Row, item: str, basis: str) -> str:
        """CITES edges for what the basis cites, as `loaders.workbook` makes them; the basis status."""
        if not basis:
            return "empty"
        cell = self._basis_cell(row)
        new_cell = cell not in self.basis_cells
        if new_cell:
            self.basis_cells.add(cell)
            self.summary.basis_cells += 1
        citations = _citations(basis)
        with_article = [c for c in citations if c.article is not None]
        if new_cell and "《" in basis:
            self.summary.titled_basis_cells += 1
            if with_article:
                self.summary.parsed_basis_cells += 1
            else:
                self.summary.unparsed_bases.append(
                    Problem(
                        row.grid.sheet,
                        cell[1],
                        row.layout.headers.get("basis"),
                        basis[:120],
                        "no article could be read",
                        row.grid.file,
                    )
                )
        if new_cell:
            self.summary.citations += len(with_article)
        builder = self.builder
        origin = row.origin("basis")
        for position, citation in enumerate(citations):
            law = ids.law_id(citation.law)
            builder.add_node(
                Node(
                    law,
                    NodeKind.LAW,
                    _props(name=citation.law, key=citation.law_key, rank=citation.rank),
                    origin,
                )
            )
            target = law
            if citation.article is not None:
                target = ids.article_id(citation.law, citation.article, citation.article_suffix)
                builder.add_node(
                    Node(
                        target,
                        NodeKind.ARTICLE,
                        _props(
                            number=citation.article,
                            suffix=citation.article_suffix,
                            label=article_label(citation.article, citation.article_suffix),
                        ),
                        origin,
                    )
                )
                builder.add_edge(Edge(target, EdgeKind.ARTICLE_OF, law, {}, origin))
            builder.add_edge(
                Edge(
                    item,
                    EdgeKind.CITES,
                    target,
                    {
                        "citations": (citation.text,),
                        "paragraphs": citation_part(citation),
                        "position": position,
                    },
                    origin,
                )
            )
        if not citations:
            return "unparsed"
        return "parsed" if with_article else "law_only"

    def _basis_cell(self, row: _Row) -> tuple[str, int, str]:
        """The cell a row's basis was written in: its own, the top of a merge over it, or its anchor's."""
        positions = row.layout.columns.get("basis", [])
        for position in positions:
            if row.grid.own(row.index, position):
                return (row.grid.sheet, row.number, row.grid.file)
            top = row.grid.covered.get((row.index, position))
            if top is not None and row.grid.own(*top):
                return (row.grid.sheet, top[0] + 1, row.grid.file)
        anchor = row.anchor
        return (row.grid.sheet, anchor.number if anchor else row.number, row.grid.file)

    def _more(self, row: _Row) -> None:
        """A row that adds text to the item above: its own cells are appended to the item's."""
        anchor = row.anchor
        made = self.nodes.get((anchor.grid.sheet, anchor.index), []) if anchor else []
        if not made:
            self._not_placed(
                row,
                None,
                next(iter(v for v in row.own.values() if v), ""),
                "continues an item that was not placed",
            )
            return
        nodes = self.builder.result.nodes
        for item in made:
            node = nodes[item]
            props = dict(node.props)
            extra = dict(props.get("extra") or {})
            for column, text in row.own.items():
                if not text or column in ("sequence", "item", "power_type", "code"):
                    continue
                if column in ("duties", "triggers", "note", "basis"):
                    if text not in str(props.get(column, "")):
                        props[column] = f"{props[column]}\n{text}" if props.get(column) else text
                elif column in row.layout.headers:
                    header = row.layout.headers[column].rsplit(" (", 1)[0]
                    if text not in extra.get(header, ""):
                        extra[header] = f"{extra[header]}\n{text}" if extra.get(header) else text
            if extra:
                props["extra"] = extra
            nodes[item] = Node(node.id, node.kind, props, node.origin)


_LEVEL_ORDER = {label: position for position, label in enumerate(LEVEL_LABELS.values())}
_TITLE_BRACKET = re.compile(r"[（(]([^（）()]+?)[)）]\s*$")

_ITEM_COLUMNS = frozenset(
    {
        "code",
        "sequence",
        "item",
        "sub_item",
        "power_type",
        "basis",
        "department",
        "unit",
        "level",
        "duties",
        "triggers",
        "note",
        "statutory_days",
        "promised_days",
    }
)


def _props(**props: Any) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v not in (None, "")}


def _days(text: str) -> int | None:
    match = re.search(r"\d+", text or "")
    return int(match.group()) if match else None
