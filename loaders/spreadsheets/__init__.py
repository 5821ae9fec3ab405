"""Read the sheets of a spreadsheet file (.xlsx, .xls, .ods) without letting a bad file take the process down.

python-calamine reads spreadsheets fast, but it builds each sheet as one dense grid from its first to its
last cell, and it trusts the counts a file declares: a single cell at XFD1048576, a shared-string table
that claims 10^11 strings, or a chain of sectors in an .xls that loops make it ask for hundreds of
gigabytes and abort (Rust's allocator gives up: no exception reaches Python). So before calamine sees a
file, `open_spreadsheet` (and `read_spreadsheet`) looks at it with a streaming reader of its own, and
refuses what would not fit:

- .xlsx (`loaders.spreadsheets.xlsx`): the package's relationships, the shared strings and each sheet's
  XML are parsed with expat (no DTD, so no entities to expand), by the same rules calamine follows to
  find the parts and place the cells; the cells present (not the `<dimension>` a file declares) give
  the sheet's extent;
- .xls (`loaders.spreadsheets.xls`): the compound file's sector chains are walked (a loop or a sector
  past the end of the file is refused) and the BIFF records of each sheet give its cells and its
  declared dimensions;
- .ods (`loaders.spreadsheets.ods`): content.xml is parsed the same way, with its repeated rows and
  columns counted;
- anything else (a zip that is none of these, .xlsb) is refused with a message.

A sheet may span at most `MAX_SHEET_ROWS` rows, `MAX_SHEET_COLUMNS` columns and `MAX_SHEET_CELLS` cells
counted from A1 to its last cell with a value (`loaders.spreadsheets.caps`). Beyond that it is a
`Problem` naming the file, the sheet and the far cell, and the sheet is not read (an .xls or .ods file
is read whole by calamine, so there the whole file is refused). In an .xlsx, cells holding only
whitespace beyond the last real value are dropped first, so a stray space at XFD1048576 leaves a small
sheet small.

The rows come back from A1, trailing empty cells and rows trimmed; merged ranges are clipped to them.
Cells that look empty but are not are `flagged`: in an .xlsx and an .ods a formula without a saved
value (a file written by a program that does not compute formulas, such as openpyxl), and in an .xlsx
an error value (`#DIV/0!`) and a number cell without a number (`<v/>`, what openpyxl writes for an
infinite value); calamine reads them all as empty. An .xls always stores a formula's last result,
and a CSV file has no formulas, so neither has flagged cells.

    >>> book = read_spreadsheet(Path("lists.xlsx"), Path("lists.xlsx").read_bytes())  # doctest: +SKIP
    >>> [sheet.name for sheet in book.sheets], [str(p) for p in book.problems]         # doctest: +SKIP
    (['部门', '权责清单'], ['lists.xlsx, sheet 办件, row 1048576, column XFD: ...'])
"""

from loaders.spreadsheets.caps import (
    MAX_MERGED_CELLS,
    MAX_PART_BYTES,
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
)
from loaders.spreadsheets.reader import (
    SheetCells,
    Spreadsheet,
    SpreadsheetFile,
    open_spreadsheet,
    read_spreadsheet,
)

__all__ = [
    "MAX_MERGED_CELLS",
    "MAX_PART_BYTES",
    "MAX_SHEET_CELLS",
    "MAX_SHEET_COLUMNS",
    "MAX_SHEET_ROWS",
    "SheetCells",
    "Spreadsheet",
    "SpreadsheetFile",
    "open_spreadsheet",
    "read_spreadsheet",
]
