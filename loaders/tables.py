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
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from graph.errors import InvalidData, Problem

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


def read_tables(path: Path) -> list[Table]:
    """Every sheet of the spreadsheet at `path`, or every .csv file of the folder at `path`.

    Raises `InvalidData` (naming the file) when the path does not exist or is not
    a spreadsheet this reader knows.
    """
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
        if not files:
            raise InvalidData(f"{path}: the folder has no .csv files", [_file_problem(path, "no .csv files")])
        return [_read_csv(file) for file in files]
    if not path.exists():
        raise InvalidData(f"{path}: no such file or folder", [_file_problem(path, "no such file or folder")])
    if path.suffix.lower() == ".csv":
        return [_read_csv(path)]
    return _read_spreadsheet(path)


def _file_problem(path: Path, reason: str) -> Problem:
    return Problem(sheet="", row=None, column=None, value=None, reason=reason, file=str(path))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_spreadsheet(path: Path) -> list[Table]:
    data = path.read_bytes()
    if not data:
        raise InvalidData(f"{path}: the file is empty", [_file_problem(path, "the file is empty")])
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own error types for every unreadable file
        reason = f"not a spreadsheet that can be read ({type(error).__name__}: {error})"
        raise InvalidData(f"{path}: {reason}", [_file_problem(path, reason)]) from error
    digest = _sha256(data)
    tables = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
        _fill_merged(rows, sheet.merged_cell_ranges or ())
        tables.append(Table(file=str(path), sha256=digest, sheet=name, rows=rows))
    return tables


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
    rows: list[list[Any]] = [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    return Table(file=str(path), sha256=_sha256(data), sheet=path.stem, rows=rows)
