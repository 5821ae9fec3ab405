"""Read the tables of a source: each sheet of a spreadsheet (.xlsx, .xls, .ods), or each .csv file, as a `Table`.

A `Table` is one sheet's cells as a grid, each cell its own value, with its merged ranges and where it
came from: the file, the file's sha256 and the sheet. Row and column numbers are the spreadsheet's own
(row 1, column A), so a problem can name the cell a user sees. A merged range is read in one of two
ways: `shown` gives a cell's own value, else the value of the range over it (a published list: a value
hidden under a merge is the row's own), and `filled` gives the table with every cell of a range holding
the range's top-left value (a workbook: merged cells carry down, one 权力名称 over several 子项 rows).

    >>> tables = read_tables(Path("loaders/demo/quanze-demo.xlsx"))  # doctest: +SKIP
    >>> tables[0].sheet, tables[0].cell_name(1, 0)                    # doctest: +SKIP
    ('部门', 'A2')

A file is read from disk once (`open_table_file`): its bytes and sha256, and for a spreadsheet the look
before calamine (`loaders.spreadsheets`) and calamine's opening; each sheet is read when first asked
for, once. So the kind detection of `loaders.sources` and the reader it hands the file to share what
was read.

CSV files may be UTF-8, UTF-8 with a byte-order mark, or GB18030 (what Excel on a Chinese Windows
writes); the encoding is detected per file, and the text decoded as it is parsed, each distinct cell
text kept once (a list repeats its 责任事项 on every row: a province's sheet holds them once). A sheet that cannot be read (broken or missing XML, larger
than the caps of `loaders.spreadsheets`) is a `Table` without cells whose `unreadable` says why, with the
file and sheet; a CSV file with a field longer than any spreadsheet cell is one too, naming the row.
Cells that read as empty though they are not (a formula without a saved value, an error value) are
`flagged`, for the reader to report.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import InvalidData, Problem
from loaders.cells import column_letter
from loaders.spreadsheets import SheetCells, SpreadsheetFile, open_spreadsheet

__all__ = ["MergedRange", "Table", "TableFile", "open_table_file", "read_tables"]

#: A merged range: its top-left and bottom-right cells, 0-based (row, column), inclusive.
MergedRange = tuple[tuple[int, int], tuple[int, int]]

_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(slots=True)
class Table:
    """One sheet: `cells[i][j]` is the cell at spreadsheet row i + 1, column j + 1, as its own value."""

    file: str
    sha256: str
    sheet: str
    cells: list[list[Any]]
    merged: list[MergedRange] = field(default_factory=list)
    """The merged ranges, clipped to the cells, in the file's order."""
    flagged: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    """0-based (row, column) -> (what the cell holds, why it reads as empty): a formula without a
    saved value, an error value (see `loaders.spreadsheets.SheetCells.flagged`)."""
    unreadable: Problem | None = None
    """Why the sheet could not be read (its cells are then empty), with the file, sheet and row."""
    covered: dict[tuple[int, int], tuple[int, int]] = field(init=False, repr=False, compare=False)
    """Each cell under a merged range but its top-left one -> that top-left cell."""

    def __post_init__(self) -> None:
        self.covered = {}
        for (top, left), (bottom, right) in self.merged:
            for row in range(top, bottom + 1):
                for column in range(left, right + 1):
                    if row != top or column != left:
                        self.covered[(row, column)] = (top, left)

    def cell_name(self, row: int, column: int) -> str:
        """The spreadsheet's name of the cell at 0-based `row`, `column`, e.g. 'C12'."""
        return f"{column_letter(column)}{row + 1}"

    def own(self, row: int, column: int) -> Any:
        """The cell's own value ('' beyond the end of its row)."""
        cells = self.cells[row]
        return cells[column] if column < len(cells) else ""

    def shown(self, row: int, column: int) -> Any:
        """The cell's own value, else (when it has none) the value of the merged range over it."""
        value = self.own(row, column)
        if value:
            return value
        top = self.covered.get((row, column))
        return self.own(*top) if top is not None else ""

    def merged_from_above(self, row: int, column: int) -> bool:
        """Whether the cell is under a merged range that starts on a row above it."""
        top = self.covered.get((row, column))
        return top is not None and top[0] < row

    def filled(self) -> Table:
        """The table as a workbook reads it: every cell of a merged range holds the range's top-left
        value (rows are widened to the ranges), and no range is left merged."""
        if not self.merged:
            return self
        rows = [list(cells) for cells in self.cells]
        _fill_merged(rows, self.merged)
        return Table(self.file, self.sha256, self.sheet, rows, [], dict(self.flagged), self.unreadable)

    def with_cells(self, cells: list[list[Any]], merged: list[MergedRange] | None = None) -> Table:
        """The same sheet with other cells (its text, or its rows and columns turned), and its merged
        ranges (default: the same)."""
        ranges = self.merged if merged is None else merged
        return Table(self.file, self.sha256, self.sheet, cells, ranges, self.flagged, self.unreadable)


class TableFile:
    """A spreadsheet or CSV file read from disk once: its bytes and sha256, the names of its sheets,
    and each sheet as a `Table` when first asked for, once. A CSV file is one table, named after the
    file (without .csv)."""

    def __init__(self, path: Path, data: bytes, *, is_csv: bool) -> None:
        self.path = path
        self.data = data
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.is_csv = is_csv
        self._spreadsheet: SpreadsheetFile | None = None
        self._tables: dict[str, Table] = {}

    @property
    def spreadsheet(self) -> SpreadsheetFile:
        """The file as a spreadsheet, looked at and opened by calamine on first use. Raises
        `InvalidData` naming the file when it is not a spreadsheet that can be read (or is CSV)."""
        if self.is_csv:
            reason = "a CSV file, not a spreadsheet"
            raise InvalidData(f"{self.path}: {reason}", [_file_problem(self.path, reason)])
        if self._spreadsheet is None:
            self._spreadsheet = open_spreadsheet(self.path, self.data)
        return self._spreadsheet

    @property
    def names(self) -> list[str]:
        """The sheets of the file in its order (of a CSV file, its name without .csv). Raises
        `InvalidData` when the file is not a spreadsheet that can be read."""
        return [self.path.stem] if self.is_csv else self.spreadsheet.names

    def tables(self, wanted: Callable[[str], bool] | None = None) -> list[Table]:
        """The sheets whose name `wanted` accepts (default: all), in the file's order; a CSV file's one
        table whatever its name. Raises `InvalidData` when the file cannot be read (a spreadsheet that
        is none, CSV text in no encoding read)."""
        if self.is_csv:
            return [self._table(self.path.stem)]
        return [self._table(name) for name in self.names if wanted is None or wanted(name)]

    def _table(self, name: str) -> Table:
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = self._read(name)
        return table

    def _read(self, name: str) -> Table:
        if self.is_csv:
            return _read_csv(self.path, self.data, self.sha256)
        found = self.spreadsheet.sheet(name)
        if isinstance(found, SheetCells):
            return Table(str(self.path), self.sha256, name, found.rows, found.merged, found.flagged)
        return Table(str(self.path), self.sha256, name, [], unreadable=found)


def open_table_file(path: Path, *, data: bytes | None = None, is_csv: bool | None = None) -> TableFile:
    """The file at `path` (its bytes `data`, when already read), to read its tables from: CSV text when
    `is_csv` (default: when it is named .csv), else a spreadsheet. Raises `OSError` when it cannot be read
    from disk; what it holds is read when asked for."""
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    return TableFile(path, data, is_csv=path.suffix.lower() == ".csv" if is_csv is None else is_csv)


def read_tables(path: Path, *, wanted: Callable[[str], bool] | None = None) -> list[Table]:
    """Every sheet of the spreadsheet at `path`, or every .csv file of the folder at `path`; with
    `wanted`, only the sheets (or files, by their name without .csv) whose name it accepts.

    A sheet that cannot be read is a table with its `unreadable` problem. Raises `InvalidData`
    (naming the file) when the path does not exist or is not a spreadsheet this reader knows.
    """
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
        if not files:
            raise InvalidData(f"{path}: the folder has no .csv files", [_file_problem(path, "no .csv files")])
        return [open_table_file(file).tables()[0] for file in files if wanted is None or wanted(file.stem)]
    if not path.exists():
        raise InvalidData(f"{path}: no such file or folder", [_file_problem(path, "no such file or folder")])
    return open_table_file(path).tables(wanted)


def _file_problem(path: Path, reason: str) -> Problem:
    return Problem(sheet="", row=None, column=None, value=None, reason=reason, file=str(path))


def _fill_merged(rows: list[list[Any]], ranges: Sequence[MergedRange]) -> None:
    """Give every cell of a merged range the value of its top-left cell."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows):
            continue
        value = rows[top][left] if left < len(rows[top]) else ""
        for row in range(top, min(bottom, len(rows) - 1) + 1):
            cells = rows[row]
            if len(cells) <= right:
                cells.extend([""] * (right + 1 - len(cells)))
            for column in range(left, right + 1):
                if row != top or column != left:
                    cells[column] = value


def _read_csv(path: Path, data: bytes, digest: str) -> Table:
    encoding = next((encoding for encoding in _CSV_ENCODINGS if _decodes(data, encoding)), None)
    if encoding is None:
        reason = "not UTF-8 or GB18030 text"
        raise InvalidData(f"{path}: {reason}", [_file_problem(path, reason)])
    if b"\x00" in data:  # in UTF-8 and GB18030 alike, a NUL byte is a NUL character and nothing else
        reason = "a binary file, not CSV text"
        raise InvalidData(f"{path}: {reason}", [_file_problem(path, reason)])
    rows: list[list[Any]] = []
    cells: dict[str, str] = {}  # each text once: the lists repeat theirs on every row (责任事项, 追责情形 …)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")  # decoded as it is read
    try:
        for row in csv.reader(text):
            rows.append([cells.setdefault(cell, cell) for cell in row])
    except csv.Error as error:  # a field longer than csv's limit (131,072 characters), a broken quote …
        if "field larger than field limit" in str(error):
            reason = (
                f"a field longer than {csv.field_size_limit():,} characters (a spreadsheet cell holds at "
                "most 32,767); the file was not read"
            )
        else:
            reason = f"not CSV that can be read ({error}); the file was not read"
        problem = Problem(
            sheet=path.stem, row=len(rows) + 1, column=None, value=None, reason=reason, file=str(path)
        )
        return Table(str(path), digest, path.stem, [], unreadable=problem)
    return Table(file=str(path), sha256=digest, sheet=path.stem, cells=rows)


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether `data` is text in `encoding`, decoded a megabyte at a time (the text is not kept)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    step = 1 << 20
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step], final=start + step >= len(data))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
