"""Read the tables of a workbook: an .xlsx or .xls file, or a folder of .csv files.

A `Table` is one sheet's cells as a grid, with merged cells carrying their value
into every cell of the range (published lists merge one 权力名称 over several
子项 rows), and with where it came from: the file, the file's sha256 and the
sheet. Row and column numbers are the spreadsheet's own (row 1, column A), so a
problem can name the cell a user sees.

    >>> tables = read_tables(Path("loaders/demo/quanze-demo.xlsx"))  # doctest: +SKIP
    >>> tables[0].sheet, tables[0].cell_name(1, 0)                    # doctest: +SKIP
    ('部门', 'A2')

CSV files may be UTF-8, UTF-8 with a byte-order mark, or GB18030 (what Excel on a
Chinese Windows writes); the encoding is detected per file.

Spreadsheets are read through `loaders.spreadsheets.read_spreadsheet`, which looks at a file before
calamine does: a sheet that cannot be read (broken or missing XML, larger than the caps there) is a
`Table` without rows whose `unreadable` says why, with the file and sheet; a CSV file with a field
longer than any spreadsheet cell is one too, naming the row. Cells that read as empty though they
are not (a formula without a saved value, an error value) are `flagged`, for the reader to report.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import InvalidData, Problem
from loaders.spreadsheets import read_spreadsheet

__all__ = ["SPREADSHEET_SUFFIXES", "Table", "column_letter", "read_tables"]

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(slots=True)
class Table:
    """One sheet: `rows[i][j]` is the cell at spreadsheet row i + 1, column j + 1."""

    file: str
    sha256: str
    sheet: str
    rows: list[list[Any]]
    flagged: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    """0-based (row, column) -> (what the cell holds, why it reads as empty): a formula without a
    saved value, an error value (see `loaders.spreadsheets.SheetCells.flagged`)."""
    unreadable: Problem | None = None
    """Why the sheet could not be read (its rows are then empty), with the file, sheet and row."""

    def cell_name(self, row: int, column: int) -> str:
        """The spreadsheet's name of the cell at 0-based `row`, `column`, e.g. 'C12'."""
        return f"{column_letter(column)}{row + 1}"


def column_letter(column: int) -> str:
    """The letters of the 0-based column: 0 -> 'A', 26 -> 'AA'."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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
        return [_read_csv(file) for file in files if wanted is None or wanted(file.stem)]
    if not path.exists():
        raise InvalidData(f"{path}: no such file or folder", [_file_problem(path, "no such file or folder")])
    if path.suffix.lower() == ".csv":
        return [_read_csv(path)]
    return _read_spreadsheet(path, wanted)


def _file_problem(path: Path, reason: str) -> Problem:
    return Problem(sheet="", row=None, column=None, value=None, reason=reason, file=str(path))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_spreadsheet(path: Path, wanted: Callable[[str], bool] | None) -> list[Table]:
    data = path.read_bytes()
    book = read_spreadsheet(path, data, wanted=wanted)
    digest = _sha256(data)
    read: dict[str, list[Table]] = defaultdict(list)
    for problem in book.problems:
        read[problem.sheet].append(Table(str(path), digest, problem.sheet, [], unreadable=problem))
    for sheet in book.sheets:
        _fill_merged(sheet.rows, sheet.merged)
        read[sheet.name].append(Table(str(path), digest, sheet.name, sheet.rows, sheet.flagged))
    return [read[name].pop(0) for name in book.names if read.get(name)]  # in the file's order


def _fill_merged(rows: list[list[Any]], ranges: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> None:
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


def _read_csv(path: Path) -> Table:
    data = path.read_bytes()
    text = None
    for encoding in _CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        reason = "not UTF-8 or GB18030 text"
        raise InvalidData(f"{path}: {reason}", [_file_problem(path, reason)])
    if "\x00" in text:
        reason = "a binary file, not CSV text"
        raise InvalidData(f"{path}: {reason}", [_file_problem(path, reason)])
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
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
        return Table(str(path), _sha256(data), path.stem, [], unreadable=problem)
    return Table(file=str(path), sha256=_sha256(data), sheet=path.stem, rows=rows)
