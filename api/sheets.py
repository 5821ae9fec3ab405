"""Sheets written as an office reads and prints them (the `.xlsx` of every report and every view's
export): every text a text cell (never a formula), numbers as numbers, dates as dates, a bold header
row in Chinese that is frozen, filtered and repeated on every printed page, columns as wide as their
texts, A4 landscape one page wide.

    write_sheets({"职能交叉": (columns, len(columns), rows)}, binary)
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import IO, Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from api.labels import head
from api.terminal import shown_text, text_width, wrap

__all__ = ["write_sheets", "xlsx_text"]


def xlsx_text(text: str) -> str:
    """`text` for a cell: the control characters XML cannot carry written as OOXML's `_x001B_`,
    which Excel and calamine read back as the character."""
    return str(ILLEGAL_CHARACTERS_RE.sub(lambda found: f"_x{ord(found.group()):04X}_", text))


_SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")
#: the widest a column is made (in characters, a Chinese one two), its texts wrapped within it: 15
#: Chinese characters, so that a page of eight columns still prints at about 8 points
_WIDEST_COLUMN = 30
#: the height of a line of text in a cell (points, for the default 11-point font)
_LINE_HEIGHT = 15
#: the printed columns wrap their texts; the others (codes, ids, long evidence) keep to one line
_WRAPPED = Alignment(wrap_text=True, vertical="top")
_UNWRAPPED = Alignment(vertical="top")


def write_sheets(
    sheets: Mapping[str, tuple[list[str], int, Sequence[Mapping[str, Any]]]], out: IO[bytes]
) -> None:
    """The sheets, each its columns, how many of them a printed page shows, and its rows."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    returns = False  # whether a text has a carriage return, which XML would turn into a line feed
    for name, (columns, printed, rows) in sheets.items():
        sheet = workbook.create_sheet(_SHEET_NAME_REFUSED.sub("_", name)[:31] or "Sheet")
        sheet.append([xlsx_text(head(column)) for column in columns])
        for row in rows:
            sheet.append([_xlsx_value(row.get(column)) for column in columns])
            returns = returns or any(isinstance(v, str) and "\r" in v for v in row.values())
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, even when it begins with "=" (openpyxl made it a formula)
                elif isinstance(cell.value, date):
                    cell.number_format = (
                        "yyyy-mm-dd" if not isinstance(cell.value, datetime) else "yyyy-mm-dd hh:mm"
                    )
                cell.alignment = _WRAPPED if cell.column <= printed else _UNWRAPPED
        _lay_out(sheet, columns, rows, printed)
    saved = io.BytesIO()  # then written at once: openpyxl leaves its zip open when a write fails
    workbook.save(saved)
    out.write(_keep_carriage_returns(saved.getvalue()) if returns else saved.getvalue())


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return xlsx_text(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _lay_out(
    sheet: Worksheet, columns: Sequence[str], rows: Sequence[Mapping[str, Any]], printed: int
) -> None:
    """The sheet made to read, filter and print: a bold header row, frozen, filtered and repeated on
    every page; each column as wide as its longest line (up to `_WIDEST_COLUMN`); A4 landscape, its
    first `printed` columns one page wide, and as many pages tall as it takes."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [
        min(max(6, max(text_width(line) for line in _cell_lines(column, rows)) + 2), _WIDEST_COLUMN)
        for column in columns
    ]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    for number, row in enumerate([{column: head(column) for column in columns}, *rows], start=1):
        wrapped = zip(columns[:printed], widths, strict=False)
        lines = max(
            (_lines_in(shown_text(row.get(column)), width - 1) for column, width in wrapped), default=1
        )
        sheet.row_dimensions[number].height = lines * _LINE_HEIGHT  # no spreadsheet grows a row to fit
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    if 0 < printed < len(columns):
        sheet.print_area = f"A1:{openpyxl.utils.get_column_letter(printed)}{len(rows) + 1}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4  # inches, as Excel's "narrow" margins


def _cell_lines(column: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The lines of the column's head and cells, as a cell shows them."""
    return [
        line
        for text in (head(column), *(shown_text(row.get(column)) for row in rows))
        for line in text.split("\n")
    ]


def _lines_in(text: str, width: int) -> int:
    """How many lines `text` takes in a cell `width` characters wide that wraps it."""
    return sum(len(wrap(line, max(width, 1))) for line in text.split("\n"))


def _keep_carriage_returns(workbook: bytes) -> bytes:
    """The `workbook` with each carriage return in a cell written as `&#13;`.

    openpyxl writes a carriage return in a text as it is, and every XML reader (Excel's, calamine's,
    openpyxl's) reads that as a line feed; as a character reference it is kept. In what openpyxl
    writes of a sheet, a carriage return is only ever in a cell's text (in an attribute it is
    already a reference), so replacing each one changes nothing else.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                content = content.replace(b"\r", b"&#13;")
            target.writestr(entry, content)  # compressed as it was
    return out.getvalue()
