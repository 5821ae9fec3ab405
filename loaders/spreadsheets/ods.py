"""The look at an .ods before calamine reads it: content.xml, its tables, rows and repeated cells.

content.xml is parsed with expat as calamine follows it, with its repeated rows and columns counted,
so that a table repeating an empty row a million times is refused before calamine builds it. A
formula without a saved value is flagged: calamine reads it as empty.
"""

from __future__ import annotations

from loaders.spreadsheets.caps import (
    EXCEL_COLUMNS,
    MAX_SHEET_CELLS,
    MAX_SHEET_ROWS,
    SHOWN_TEXT,
    Extent,
    Inspection,
    Refused,
    SheetScan,
)
from loaders.spreadsheets.zipparts import ZipParts, parse_xml

__all__ = ["inspect_ods"]


_ODS_VALUES = (
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
)


class _OdsContent:
    """Follows content.xml as calamine does (by the qualified names it matches): the tables, their rows
    and cells with their repeat counts; calamine caps rows at 1,048,576 and columns at 16,384 itself."""

    def __init__(self) -> None:
        self.tables: list[tuple[str, Extent, dict[tuple[int, int], tuple[str, str]]]] = []
        self.table: tuple[str, Extent, dict[tuple[int, int], tuple[str, str]]] | None = None
        self.depth = 0  # of tables inside the table read
        self.row = self.column = 0
        self.row_repeats = 1
        self.row_used = False
        self.cell: tuple[int, bool, str | None] | None = None  # (repeats, has a value, formula)
        self.cells = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "table:table":
            if self.table is not None:
                self.depth += 1
            elif "table:name" in attrs:
                self.table = (attrs["table:name"], Extent(), {})
                self.row = 0
            return
        if self.table is None:
            return
        if self.cell is not None:
            repeats, _, formula = self.cell
            self.cell = (repeats, True, formula)  # any element inside a cell: text, a link, a note …
            return
        if tag == "table:table-row":
            self.row_repeats = min(_repeats(attrs.get("table:number-rows-repeated")), MAX_SHEET_ROWS)
            self.row_used = False
            self.column = 0
        elif tag in ("table:table-cell", "table:covered-table-cell"):
            has_value = any(name in attrs for name in (*_ODS_VALUES, "office:value-type"))
            formula = attrs.get("table:formula")
            self.cell = (_repeats(attrs.get("table:number-columns-repeated")), has_value, formula)

    def end(self, tag: str) -> None:
        if self.table is None:
            return
        name, extent, flagged = self.table
        if tag == "table:table":
            if self.depth:
                self.depth -= 1
            else:
                self.tables.append(self.table)
                self.table = None
            return
        if tag in ("table:table-cell", "table:covered-table-cell") and self.cell is not None:
            repeats, has_value, formula = self.cell
            self.cell = None
            repeats = min(repeats, EXCEL_COLUMNS)
            if has_value or formula:
                if formula and not has_value:
                    flagged[(self.row, self.column)] = (
                        formula[:SHOWN_TEXT],
                        "is a formula without a saved value: open the file in LibreOffice and save it",
                    )
                self.row_used = True
                extent.add(self.row + max(self.row_repeats, 1) - 1, self.column + repeats - 1)
                self.cells += repeats * max(self.row_repeats, 1)
                if self.cells > MAX_SHEET_CELLS:
                    raise Refused(
                        f"the sheet has more than {MAX_SHEET_CELLS:,} cells", (self.row, self.column), name
                    )
            self.column += repeats
        elif tag == "table:table-row":
            self.row += self.row_repeats
            over = extent.over()
            if over is not None:
                raise Refused(over.reason, over.cell, name)


def _repeats(text: str | None) -> int:
    if text is None:
        return 1
    if not text.isdigit():
        raise Refused(f"a repeat count {text[:20]!r} that is not a number")
    return int(text)


def inspect_ods(parts: ZipParts, data: bytes) -> Inspection:
    name = parts.archive.NameToInfo.get("content.xml")
    if name is None:
        raise Refused("an .ods file without its content.xml")
    content = _OdsContent()
    parse_xml(parts.chunks("content.xml"), content.start, content.end)
    scans: dict[str, SheetScan] = {}
    for table, extent, flagged in content.tables:
        over = extent.over()
        if over is not None:
            raise Refused(over.reason, over.cell, table)
        scans[table] = SheetScan(flagged=flagged)  # calamine keeps the last table of a name
    return Inspection(data, by_name=scans)
