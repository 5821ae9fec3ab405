"""Read the power lists (权责清单) departments publish, as they are, into one government's graph.

A published list is a spreadsheet (`.xls`, also when named `.xlsx`, or `.xlsx`) of one department:
title rows, then a header, then one row per item, often one sheet per power type. What the headers
and words mean is data (`loaders/mapping.py`, `loaders/mappings/power_lists.toml`); this module
reads the rows:

- the header is the first row naming the item column and enough known columns; a header spanning
  two columns (`实施层级及权限` over the level and its scope) feeds one model column;
- merged cells carry their value into the empty cells they cover; a value hidden under a merge
  (a print layout merged over a row that has its own cells) is the row's own value;
- a row with a number (序号 `1`, `1.0`, `2,3`) starts an item; `2,3` is two items, named by the
  parts of `（两项：甲、乙）` when the name lists them;
- a row without a number continues the item above: a sub-item (its own 子项名称), the same item at
  another level of government (its own 行使主体 or 实施层级: `自治区级`, `县市区级`), or more text for
  the item (its own cells in other columns, appended); a continuation row leaves empty what it
  repeats from the item;
- a row whose only text is a note (`备注：…`) is a note; anything else that cannot be placed is
  reported with file, sheet and row, never dropped silently.

Governments and departments. The lists belong to one city: `government` when given, else the place
the titles, file names and implementing bodies name most (克拉玛依市 -> 克拉玛依市人民政府). The level
words make items of other governments: the province's (新疆维吾尔自治区人民政府, from the mapping's
`[places]` or the province the bases name most), and one grouped government for all the counties
and districts below the city, `克拉玛依市所辖县市区人民政府` (a list names them only as a level, never
one by one). A department is named by its government's place and the implementing body's name
without its level word: `地州市农业农村局` and `市农业农村局` are 克拉玛依市农业农村局, `自治区农业农村厅`
is 新疆维吾尔自治区农业农村厅, `县市区农业农村局` is 克拉玛依市所辖县市区农业农村局. Names of one
government that share their main name or a bracketed second name (`克拉玛依市委办公室（市档案局）`,
`克拉玛依市档案局`) are one department, shown by the form its lists write most. Without an
implementing body, the department is the one the title row names, else the file name's.

Items. Published lists number items but give no codes, so an item's code is made from the list's
department, the power type's two letters (from the mapping) and the number: `克拉玛依市农业农村局-XK-2`
(a list that has a code column keeps its codes). The same item at another level keeps the code; its
id adds the government (`graph.ids.power_item_id(code, sub_item, government)`). The number as
written is kept in `extra["序号"]`, the level in `level` (省级 / 市级 / 县级 / 乡镇级), the handling unit
and the columns the model has no property for in `extra`, under their headers.

    >>> graph, summaries = read_published_with_summary(Path("lists/"))           # doctest: +SKIP
    >>> print(summary_table(summaries))                                           # doctest: +SKIP

The same file twice (by sha256) is read once. Raises `InvalidData` when a path holds no published
list: a file that is not a spreadsheet, is empty, or has no sheet with a power-list header.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import python_calamine

from graph import ids
from graph.errors import InvalidData, Problem
from graph.model import Edge, Node, Origin
from graph.text import fold_alnum, normalize
from loaders.cells import CellError, parse_int
from loaders.citations import Citation, parse_citations
from loaders.mapping import ListMapping, load_mapping
from loaders.tables import column_letter
from loaders.workbook import WorkbookGraph, article_label, citation_part, merge_edge, merge_node
from ontology import EdgeKind, NodeKind, PowerType

__all__ = [
    "LEVEL_LABELS",
    "MAPPING_FILE_NAME",
    "PUBLISHED_SUFFIXES",
    "FileSummary",
    "published_files",
    "read_published",
    "read_published_with_summary",
    "summary_table",
]

PUBLISHED_SUFFIXES = (".xls", ".xlsx", ".xlsm", ".xlsb", ".ods")
#: A mapping file beside the lists, read on top of the packaged one.
MAPPING_FILE_NAME = "quanze-mapping.toml"
#: How `PowerItem.level` writes each level.
LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}


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
    skip_bad_files: bool = False,
) -> WorkbookGraph:
    """The graph of one published list, or of every list in a folder, as one government's.

    `government` names the lists' government (`克拉玛依市人民政府`); by default the place the
    lists name most. Rows that cannot be placed are in the result's `problems` (and never make
    it raise). Raises `InvalidData` when the path holds no published list, or when a file of a
    folder is not one (unless `skip_bad_files`, which leaves such files out and reports them).

        >>> graph = read_published(Path("karamay-power-lists"))                  # doctest: +SKIP
    """
    graph, _ = read_published_with_summary(
        path, government=government, mapping=mapping, skip_bad_files=skip_bad_files
    )
    return graph


def read_published_with_summary(
    path: Path,
    *,
    government: str | None = None,
    mapping: ListMapping | None = None,
    skip_bad_files: bool = False,
) -> tuple[WorkbookGraph, list[FileSummary]]:
    """`read_published`, with what each file gave (in file-name order) for `quanze check`."""
    path = Path(path)
    files = published_files(path)
    if mapping is None:
        user = path / MAPPING_FILE_NAME if path.is_dir() else None
        mapping = load_mapping(user if user is not None and user.is_file() else None)
    reader = _Reader(mapping, str(path))
    bad: list[Problem] = []
    for file in files:
        try:
            reader.read_file(file)
        except InvalidData as error:
            bad.extend(error.problems or [Problem("", None, None, None, str(error), str(file))])
            reader.summaries.append(FileSummary(str(file), "", not_placed=list(error.problems)))
    if bad and (not skip_bad_files or len(bad) == len(files) == 1 or not reader.lists):
        what = "is not a published power list" if len(files) == 1 else "holds files that are not power lists"
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
    if not data:
        raise InvalidData(f"{path}: the file is empty", [_file_problem(path, "the file is empty")])
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(name, workbook.get_sheet_by_name(name)) for name in workbook.sheet_names]
        grids = []
        for name, sheet in sheets:
            rows = sheet.to_python(skip_empty_area=False)
            cells = [[_cell(value) for value in row] for row in rows]
            covered: dict[tuple[int, int], tuple[int, int]] = {}
            for (top, left), (bottom, right) in sheet.merged_cell_ranges or ():
                for row in range(top, min(bottom, len(cells) - 1) + 1):
                    for column in range(left, right + 1):
                        if row != top or column != left:
                            covered[(row, column)] = (top, left)
            grids.append(_Grid(str(path), digest, name, cells, covered))
    except Exception as error:  # calamine raises its own error types for every unreadable file
        reason = f"not a spreadsheet that can be read ({type(error).__name__}: {error})"
        raise InvalidData(f"{path}: {reason}", [_file_problem(path, reason)]) from error
    return grids


@dataclass(slots=True)
class _Layout:
    """Where a sheet's header is, which columns feed which model column, and its unknown columns."""

    header_row: int
    columns: dict[str, list[int]]  # model column -> positions (a spanning header feeds several)
    headers: dict[str, str]  # model column -> the header as written, with its letters
    extras: dict[int, str]  # position -> header as written, for columns the mapping does not know
    titles: list[str]  # the text of the rows above the header


def _layout(grid: _Grid, mapping: ListMapping) -> _Layout | None:
    """The header: the first top row naming the item column and `header_min_columns` known columns."""
    for index in range(min(mapping.header_search_rows, len(grid.cells))):
        width = len(grid.cells[index])
        named = {column: mapping.column_for(grid.shown(index, column)) for column in range(width)}
        found = {name for name in named.values() if name}
        if "item" not in found or len(found) < mapping.header_min_columns:
            continue
        columns: dict[str, list[int]] = defaultdict(list)
        extras: dict[int, str] = {}
        for position in range(width):
            name = named[position]
            text = re.sub(r"\s+", "", grid.shown(index, position))
            if name is not None:
                columns[name].append(position)
            elif text:
                extras[position] = text
        headers = {
            name: f"{_squeeze(grid.shown(index, positions[0]))} ({_letters(positions)})"
            for name, positions in columns.items()
        }
        titles = [
            text for row in range(index) if (text := " ".join(dict.fromkeys(c for c in grid.cells[row] if c)))
        ]
        return _Layout(index, dict(columns), headers, extras, titles)
    return None


def _squeeze(text: str) -> str:
    """`text` without whitespace: headers and names wrap inside their cells."""
    return re.sub(r"\s+", "", text)


def _letters(positions: list[int]) -> str:
    """The letters of a column, or of the first and last of a spanning header: 'E', 'H-I'."""
    first, last = column_letter(positions[0]), column_letter(positions[-1])
    return first if first == last else f"{first}-{last}"


_DECLARED = re.compile(r"[（(]\s*(\d+)\s*项\s*[)）]")
_LIST_MARKER = re.compile(
    r"^\s*(?:[（(]?\d{1,3}[)）.、．]|[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)\s*"
)
_ENUMERATION = re.compile(r"[（(][一二两三四五六七八九十\d]+项[:：](?P<parts>[^（）()]+)[)）]\s*$")
_NUMBERS = re.compile(r"^\d+(?:\s*[,，、/]\s*\d+)+$")
_RANGE = re.compile(r"^(\d+)\s*[-~—至]\s*(\d+)$")


@lru_cache(maxsize=8192)
def _citations(text: str) -> tuple[Citation, ...]:
    return tuple(parse_citations(text))


# -- rows -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """One placed row: an item, a sub-item, the item at another level, or more text for one."""

    kind: str  # "item", "sub", "level", "more"
    grid: _Grid
    layout: _Layout
    index: int  # 0-based
    values: dict[str, str]  # model column -> text (own, or shown by a merge)
    own: dict[str, str]  # model column -> text of the row's own cells
    extra: dict[str, str]
    numbers: tuple[str, ...] = ()
    anchor: _Row | None = None

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
        found = _List(path, summary, [], [], [], [])
        layouts = [(grid, _layout(grid, self.mapping)) for grid in grids]
        if not any(layout for _, layout in layouts):
            wanted = "、".join(self.mapping.columns.get("item", ("事项名称",))[:3])
            reason = (
                f"not a power list: no sheet has a header naming the item ({wanted} …) and "
                f"{self.mapping.header_min_columns - 1} more known columns in its first "
                f"{self.mapping.header_search_rows} rows"
            )
            raise InvalidData(f"{path}: {reason}", [_file_problem(path, reason)])
        declared: list[int] = []
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
            for text in (grid.sheet, *layout.titles):
                match = _DECLARED.search(text)
                if match:
                    declared.append(int(match.group(1)))
                    break
            sheet_type = self.mapping.power_type_in(grid.sheet) or next(
                (t for title in layout.titles if (t := _type_in_title(self.mapping, title))), None
            )
            for row in self._rows(grid, layout, summary):
                found.rows.append((row, sheet_type))
                if row.values.get("department"):
                    found.bodies.append(row.values["department"])
                if row.kind == "item" and row.values.get("basis"):
                    found.bases.append(row.values["basis"])
        summary.declared_items = sum(declared) if declared else None
        self.seen[digest] = str(path)
        self.lists.append(found)
        self.summaries.append(summary)

    def _rows(self, grid: _Grid, layout: _Layout, summary: FileSummary) -> Iterator[_Row]:
        mapping = self.mapping
        anchor: _Row | None = None
        sequence = layout.columns.get("sequence", [])
        for index in range(layout.header_row + 1, len(grid.cells)):
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
            if _is_repeated_header(mapping, own, layout):
                continue
            summary.rows_read += 1
            if len(own_text) == 1 and mapping.is_note(own_text[0]):
                summary.notes.append(
                    Problem(grid.sheet, index + 1, None, own_text[0][:80], "a note below the list", grid.file)
                )
                continue
            summary.item_rows += 1
            number_text = own.get("sequence", "") if sequence else ""
            row = _Row("item", grid, layout, index, values, own, extra)
            if number_text:
                numbers = _numbers(number_text)
                if numbers is None:
                    if mapping.power_type_in(number_text) and not own.get("item"):
                        summary.item_rows -= 1
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


def _is_repeated_header(mapping: ListMapping, own: dict[str, str], layout: _Layout) -> bool:
    """Whether a row repeats the header (lists printed page by page repeat it on every page)."""
    item = own.get("item", "")
    return 0 < len(item) <= 12 and mapping.column_for(item) == "item" and len(layout.columns) > 1


def _type_in_title(mapping: ListMapping, title: str) -> PowerType | None:
    """The power type a title names in brackets at its end: `…指导目录（行政检查类）`."""
    match = re.search(r"[（(]([^（）()]+?)类?[)）]\s*$", title)
    return mapping.power_type(match.group(1)) if match else None


def _numbers(text: str) -> tuple[str, ...] | None:
    """The item numbers a 序号 cell writes: '3' -> ('3',), '2,3' -> ('2', '3'), '4-6'; None for text."""
    text = re.sub(r"\s+", "", text)
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

    def government(self, level: str) -> str:
        return self.place.get(level, self.city) + self.mapping.government_suffix

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


class _Builder:
    """Builds nodes and edges from the rows of every list read."""

    def __init__(self, reader: _Reader, government: str | None) -> None:
        self.reader = reader
        self.mapping = reader.mapping
        self.result = WorkbookGraph(reader.source)
        city = (government or self._city()).removesuffix(self.mapping.government_suffix)
        self.places = _Places(self.mapping, city, self._province(city))
        self.departments: dict[str, list[_Department]] = defaultdict(list)  # level -> departments
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
        level, rest = self.places.split(written)
        level = level or self.places.list_level
        rest = _BRACKETED.sub(lambda m: f"（{m.group(1)}）", rest)
        if not rest:
            return None
        keys = _department_keys(self.places, rest)
        for department in self.departments[level]:
            if department.keys & keys:
                department.keys |= keys
                if not fallback:
                    department.names[rest] += 1
                return department
        department = _Department(level, keys, Counter() if fallback else Counter({rest: 1}), rest)
        self.departments[level].append(department)
        return department

    def _department(self, written: str) -> _Department | None:
        if written in self._found:
            return self._found[written]
        found = self._lookup(written)
        self._found[written] = found
        return found

    def _lookup(self, written: str) -> _Department | None:
        level, rest = self.places.split(written)
        level = level or self.places.list_level
        keys = _department_keys(self.places, _BRACKETED.sub(lambda m: f"（{m.group(1)}）", rest))
        for department in self.departments[level]:
            if department.keys & keys:
                return department
        return None

    def at_level(self, department: _Department, level: str) -> _Department:
        """The department of the same field as `department` at another level, made when missing."""
        for other in self.departments[level]:
            if other.keys & department.keys:
                return other
        other = _Department(level, set(department.keys), Counter(), department.rest)
        other.rest = department.rest
        other.name = self.places.place.get(level, "") + department.rest
        other.id = ids.department_id(self.places.government(level), other.name)
        self.departments[level].append(other)
        return other

    def _name_departments(self) -> None:
        for level, departments in self.departments.items():
            government = self.places.government(level)
            place = self.places.place.get(level, "")
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
                if department is not None and department.level == self.places.list_level:
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
        self.nodes: dict[int, list[str]] = {}  # row index of an anchor -> the item ids it made
        self.items: set[str] = set()  # the codes of the list's own government
        self.basis_cells: set[tuple[str, int, str]] = set()
        self.unplaced: set[tuple[str, int]] = set()  # (sheet, row) of the rows not placed

    def build(self) -> None:
        for row, sheet_type in self.found.rows:
            if row.kind == "more":
                self._more(row)
                continue
            self._item(row, sheet_type)

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
        level, department = self._holder(row)
        if department is None:
            self._not_placed(
                row,
                "department",
                values.get("department", ""),
                "names no department, and the title gives none",
            )
            return
        government = self.builder.places.government(level)
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
        for number, item_name in zip(numbers, names, strict=True):
            code = re.sub(r"\s+", "", values.get("code", "")) or (
                f"{self.code_prefix}-{self.mapping.type_code(sheet_type or power_type)}-{number.replace(',', '+')}"
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
            if government == list_government:
                self.items.add(code)
            if sub_item:
                self.summary.sub_items += 1
            if government != list_government:
                self.summary.other_levels += 1
        self.summary.items = len(self.items)
        self.nodes[row.index] = made

    def _holder(self, row: _Row) -> tuple[str, _Department | None]:
        """The level and department of a row: the implementing body, else the list's department; a
        level the 实施层级 column names and the body does not moves it to that level's department."""
        places = self.builder.places
        written = row.values.get("department", "")
        level_text = row.values.get("level", "")
        column_level = self.mapping.level_of(level_text) if level_text else None
        department: _Department | None = None
        written_level: str | None = None
        if written and not _is_government(places, written):
            written_level, _ = places.split(written)
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
        if (
            department is not None
            and written_level is None
            and column_level
            and column_level != department.level
        ):
            department = self.builder.at_level(department, column_level)
        return (department.level if department else column_level or places.list_level), department

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
        government = builder.places.government(department.level)
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
                {"joint": False, "position": 0},
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
        made = self.nodes.get(anchor.index, []) if anchor else []
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
