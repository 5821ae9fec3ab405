"""The caps on what a spreadsheet may hand calamine, and what a look at a file before calamine finds.

A sheet may span at most `MAX_SHEET_ROWS` rows, `MAX_SHEET_COLUMNS` columns and `MAX_SHEET_CELLS` cells
counted from A1 to its last cell with a value, and be covered by merged ranges over at most
`MAX_MERGED_CELLS` cells; a part of an .xlsx or .ods may unpack to at most `MAX_PART_BYTES`. What a
look finds is `Refused` (why a file, a sheet or a cell is not handed to calamine, with the cell to
blame), a sheet's `Extent` (how far its cells reach, checked against the caps), and a `SheetScan` per
sheet (its refusal, or the cells that read as empty though they are not), gathered in an `Inspection`.

    >>> extent = Extent()
    >>> extent.add(0, 600)
    >>> extent.over().reason                                                        # doctest: +ELLIPSIS
    'the sheet reaches column WC (601 columns); at most 512 columns are read'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import Problem
from loaders.cells import column_letter

__all__ = [
    "EXCEL_COLUMNS",
    "MAX_MERGED_CELLS",
    "MAX_PART_BYTES",
    "MAX_SHEET_CELLS",
    "MAX_SHEET_COLUMNS",
    "MAX_SHEET_ROWS",
    "SHOWN_TEXT",
    "Extent",
    "Inspection",
    "Refused",
    "SheetScan",
    "error_text",
]

#: Excel's own limit of rows (a province's list of every item and sub-item fits in it many times over).
MAX_SHEET_ROWS = 1_048_576
#: The widest sheet read: a power list has 10 to 30 columns, a staffing sheet fewer; Excel allows 16,384.
MAX_SHEET_COLUMNS = 512
#: Rows × columns from A1 to the last cell with a value: calamine holds each as 32 bytes, so a sheet at
#: the cap costs about 1.3 GB while it is read; a province's list of 100,000 items is about 1.5 million.
MAX_SHEET_CELLS = 20_000_000
#: The cells of one sheet covered by merged ranges (each is remembered): real lists merge a name over
#: its sub-items, a few cells per item.
MAX_MERGED_CELLS = 2_000_000
#: The most XML one part of an .xlsx or .ods may unpack to (a sheet at the cap is about 1 GB of XML):
#: more is a zip bomb.
MAX_PART_BYTES = 2 << 30
#: Excel's own limit of columns (XFD).
EXCEL_COLUMNS = 16_384
#: The characters of a formula shown in a problem.
SHOWN_TEXT = 60


class Refused(Exception):
    """Something not handed to calamine, and why: `cell` is the 0-based cell to blame, `sheet` the sheet
    that makes a whole file be refused (an .xls or .ods, which calamine reads whole)."""

    def __init__(self, reason: str, cell: tuple[int, int] | None = None, sheet: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cell = cell
        self.sheet = sheet

    def problem(self, path: Path, sheet: str, consequence: str) -> Problem:
        row, column = self.cell if self.cell is not None else (None, None)
        return Problem(
            sheet=sheet,
            row=None if row is None else row + 1,
            column=None if column is None else column_letter(column),
            value=None,
            reason=f"{self.reason}; {consequence}",
            file=str(path),
        )


@dataclass(slots=True)
class Extent:
    """How far the cells of a sheet reach, and the cells that reach furthest."""

    last_row: int = -1
    last_column: int = -1
    row_cell: tuple[int, int] = (0, 0)
    column_cell: tuple[int, int] = (0, 0)

    def add(self, row: int, column: int) -> None:
        if row > self.last_row:
            self.last_row, self.row_cell = row, (row, column)
        if column > self.last_column:
            self.last_column, self.column_cell = column, (row, column)

    def over(self) -> Refused | None:
        """Why the sheet is over the caps (naming the cell that takes it there), or None."""
        rows, columns = self.last_row + 1, self.last_column + 1
        if columns > MAX_SHEET_COLUMNS:
            return Refused(
                f"the sheet reaches column {column_letter(self.last_column)} ({columns:,} columns); "
                f"at most {MAX_SHEET_COLUMNS:,} columns are read",
                self.column_cell,
            )
        if rows > MAX_SHEET_ROWS or rows * columns > MAX_SHEET_CELLS:
            return Refused(
                f"the sheet spans {rows:,} rows × {columns:,} columns from A1 to its last cell; at most "
                f"{MAX_SHEET_ROWS:,} rows and {MAX_SHEET_CELLS:,} cells are read",
                self.row_cell,
            )
        return None


@dataclass(slots=True)
class SheetScan:
    """What the look before calamine found in one sheet."""

    refused: Refused | None = None
    flagged: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)


@dataclass(slots=True)
class Inspection:
    """The bytes to hand calamine (an .xlsx may have had blank far cells taken out) and the sheets' scans,
    by name (.xlsx, .ods) or for every sheet (.xls, which only a whole-file look can vouch for)."""

    data: bytes
    by_name: dict[str, SheetScan] | None = None
    every_sheet: SheetScan | None = None

    def sheet(self, name: str) -> SheetScan | None:
        if self.by_name is None:
            return self.every_sheet
        return self.by_name.get(name)


def error_text(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__
