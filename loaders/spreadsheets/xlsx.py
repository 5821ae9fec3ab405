"""The look at an .xlsx before calamine reads it: its parts, shared strings and each sheet's XML.

The package's relationships, the shared strings and each sheet's XML are parsed with expat (no DTD,
so no entities to expand), by the same rules calamine follows to find the parts and place the cells;
the cells present (not the `<dimension>` a file declares) give the sheet's extent. Cells holding only
white space beyond the last real value are dropped first (the sheet's XML is rewritten without them),
so a stray space at XFD1048576 leaves a small sheet small. A formula without a saved value, an error
value and a number cell without a number are flagged: calamine reads them as empty.
"""

from __future__ import annotations

import io
import re
import xml.parsers.expat
import zipfile
from collections.abc import Iterator

from loaders.cells import column_letter
from loaders.spreadsheets.caps import (
    EXCEL_COLUMNS,
    MAX_PART_BYTES,
    MAX_SHEET_CELLS,
    MAX_SHEET_ROWS,
    SHOWN_TEXT,
    Extent,
    Inspection,
    Refused,
    SheetScan,
)
from loaders.spreadsheets.zipparts import ZipParts, ignore_end, local_name, parse_xml, plain_target

__all__ = ["inspect_xlsx"]

_ROW_REFERENCE = re.compile(r"[A-Za-z]{0,3}([0-9]{1,7})")
_COUNT = re.compile(r"[+-]?[0-9]+")
_TRIMMED_BYTES = 256 << 20  # the most XML of a sheet whose far blank cells are cut out (in memory)
_COLUMNS = {column_letter(column): column for column in range(EXCEL_COLUMNS)}  # 'A' -> 0 … 'XFD'


def inspect_xlsx(parts: ZipParts, document: str, data: bytes) -> Inspection:
    folder = document[: document.rfind("/") + 1].removeprefix("/") if "/" in document else ""
    blank_strings = _blank_strings(parts, folder)
    relationships = parts.find(f"{folder}_rels/workbook.xml.rels")
    if relationships is None:
        raise Refused("the workbook's relationships (workbook.xml.rels) are missing")
    targets = _relationships(parts, relationships)
    workbook = parts.find(f"{folder}workbook.xml")
    sheets = _workbook_sheets(parts, workbook) if workbook is not None else []
    scans: dict[str, SheetScan] = {}
    rewritten: dict[str, bytes] = {}
    for name, relation in sheets:
        if name in scans:
            continue  # calamine reads the first sheet of a name
        target = targets.get(relation)
        if target is None:
            raise Refused(f"sheet {name} names a relationship {relation!r} that is not there")
        part = parts.find(target.removeprefix("/") if target.startswith("/") else f"{folder}{target}")
        if part is None:
            scans[name] = SheetScan(Refused(f"its part {target} is not in the file"))
            continue
        try:
            scan, trimmed = _scan_xlsx_sheet(parts, part, blank_strings)
        except Refused as refused:
            scans[name] = SheetScan(refused)
            continue
        scans[name] = scan
        if trimmed is not None:
            rewritten[part] = trimmed
    if rewritten:
        data = _replace_parts(parts, rewritten)
    return Inspection(data, by_name=scans)


def _blank_strings(parts: ZipParts, folder: str) -> frozenset[int]:
    """The indexes of the shared strings that are only white space; a bogus declared count is refused."""
    name = parts.find(f"{folder}sharedStrings.xml")
    if name is None:
        return frozenset()
    size = parts.archive.getinfo(name).file_size
    blank: set[int] = set()
    state = {"index": -1, "phonetic": 0, "in_text": False}
    text: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = local_name(tag)
        if local == "sst":
            count = attrs.get("uniqueCount", "").strip()
            # calamine reserves room for the declared count: each string takes at least `<si/>`, 5 bytes
            if _COUNT.fullmatch(count) and int(count) > max(size, 1 << 16) // 5:
                raise Refused(f"sharedStrings.xml declares {count} strings in {size:,} bytes")
        elif local == "si":
            state["index"] += 1
            text.clear()
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "t" and not state["phonetic"]:
            state["in_text"] = True

    def end(tag: str) -> None:
        local = local_name(tag)
        if local == "si":
            if not "".join(text).strip():
                blank.add(state["index"])
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "t":
            state["in_text"] = False

    def chars(data: str) -> None:
        if state["in_text"]:
            text.append(data)

    try:
        parse_xml(parts.chunks(name), start, end, chars)
    except Refused as refused:
        raise Refused(f"the shared strings cannot be read: {refused.reason}") from None
    return frozenset(blank)


def _relationships(parts: ZipParts, name: str) -> dict[str, str]:
    targets: dict[str, str] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if local_name(tag) == "Relationship" and "Id" in attrs:
            targets[attrs["Id"]] = plain_target(attrs.get("Target", ""))

    parse_xml(parts.chunks(name), start, ignore_end)
    return targets


def _workbook_sheets(parts: ZipParts, name: str) -> list[tuple[str, str]]:
    """(name, relationship id) of each sheet the workbook lists, in order."""
    sheets: list[tuple[str, str]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if local_name(tag) == "sheet":
            relation = ""
            for key, value in attrs.items():
                if local_name(key) == "id":
                    relation = value
            sheets.append((attrs.get("name", ""), relation))

    parse_xml(parts.chunks(name), start, ignore_end)
    return sheets


class _XlsxSheet:
    """Follows a sheet's XML as calamine does: cells are placed by their `r`, or after the cell before;
    rows by their `r`, or after the row before. Only cells with a value count (calamine skips the rest).
    The handlers run once per element of a sheet of a million cells: they are kept lean."""

    def __init__(self, blank_strings: frozenset[int], drop_beyond: tuple[int, int] | None = None) -> None:
        self.blank_strings = blank_strings
        self.drop_beyond = drop_beyond  # on a second pass: the last row and column to keep
        self.parser: xml.parsers.expat.XMLParserType | None = None
        self.in_data = False
        self.row = self.column = 0
        # the cell being read: its place, type, first byte, and the text of its <v>, <is> and <f>
        self.in_cell = False
        self.position = (0, 0)
        self.type: str | None = None
        self.offset = 0
        self.value: list[str] | None = None
        self.inline: list[str] | None = None
        self.formula: list[str] | None = None
        self.text: list[str] | None = None
        self.phonetic = 0
        self.cells = 0
        self.every = Extent()  # cells with any value
        self.kept = Extent()  # cells with a value that is not white space
        self.placed_by_reference = True
        self.flagged: dict[tuple[int, int], tuple[str, str]] = {}
        self.dropped: list[tuple[int, int]] = []  # byte ranges of blank cells beyond `drop_beyond`

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag[tag.rfind(":") + 1 :]
        if self.in_cell:
            if local == "v":
                self.value = self.text = []
            elif local == "f":
                self.formula = self.text = []
            elif local == "is":
                self.inline = []
            elif local == "rPh":
                self.phonetic += 1
            elif local == "t" and self.inline is not None and not self.phonetic:
                self.text = self.inline
            return
        if not self.in_data:
            self.in_data = local == "sheetData"
            return
        if local == "c":
            reference = attrs.get("r")
            if reference is None:
                self.placed_by_reference = False
                self.position = (self.row, self.column)
                if self.row >= MAX_SHEET_ROWS or self.column >= EXCEL_COLUMNS:
                    raise Refused("a cell placed beyond the last row or column of a sheet", self.position)
            else:
                self.position = _cell_of(reference)
                self.column = self.position[1]
            self.in_cell = True
            self.type = attrs.get("t")
            self.value = self.inline = self.formula = None
            if self.drop_beyond is not None:
                assert self.parser is not None
                self.offset = self.parser.CurrentByteIndex
        elif local == "row":
            reference = attrs.get("r")
            if reference is not None:
                self.row = _row_of(reference)

    def end(self, tag: str) -> None:
        local = tag[tag.rfind(":") + 1 :]
        if self.in_cell:
            if local == "c":
                self.finish()
                self.in_cell = False
                self.column += 1
            elif local in ("v", "f", "t"):
                self.text = None
            elif local == "rPh":
                self.phonetic -= 1
            return
        if not self.in_data:
            return
        if local == "row":
            self.row += 1
            self.column = 0
        elif local == "sheetData":
            self.in_data = False

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def finish(self) -> None:
        kind, position = self.type, self.position
        inline_type = kind in ("inlineStr", "is")
        value = "".join(self.value) if self.value else ""
        if self.formula is not None or kind == "e" or (kind in (None, "n") and not value.strip()):
            self.flag(kind, value)
        if inline_type:
            if self.inline is None:
                return
        elif self.value is None and self.inline is None:
            return
        self.cells += 1
        if self.cells > MAX_SHEET_CELLS:
            raise Refused(f"the sheet has more than {MAX_SHEET_CELLS:,} cells", position)
        if kind == "s":
            blank = value.isdigit() and int(value) in self.blank_strings
        elif inline_type:
            blank = not "".join(self.inline or ()).strip()
        elif kind == "str":
            blank = not value.strip()
        else:
            blank = False
        row, column = position
        self.every.add(row, column)
        if not blank:
            self.kept.add(row, column)
        elif self.drop_beyond is not None and (row > self.drop_beyond[0] or column > self.drop_beyond[1]):
            assert self.parser is not None
            self.dropped.append((self.offset, self.parser.CurrentByteIndex))

    def flag(self, kind: str | None, value: str) -> None:
        """Note a cell that reads as empty though it is not: a formula without a saved value, an error
        value, a number cell without a number."""
        saved = self.inline is not None or (
            self.value is not None and (bool(value.strip()) or kind in ("str", "s"))
        )
        if self.formula is not None:
            if not saved:  # a string formula may have saved an empty string; a number one saves a number
                formula = "".join(self.formula).strip()
                shown = f"={formula[:SHOWN_TEXT]}" if formula else "(a shared formula)"
                self.flagged[self.position] = (
                    shown,
                    "is a formula without a saved value (the file was written by a program that does not "
                    "compute formulas): open it in Excel or WPS and save it, or write the value",
                )
        elif kind == "e":
            if value.strip():
                self.flagged[self.position] = (
                    value.strip()[:SHOWN_TEXT],
                    "is an error value, which reads as empty",
                )
        elif self.value is not None and not value.strip():
            self.flagged[self.position] = (
                "",
                "is a number cell without a number (what a program writes for an infinite or undefined "
                "value), which reads as empty",
            )


def _scan_xlsx_sheet(
    parts: ZipParts, part: str, blank_strings: frozenset[int]
) -> tuple[SheetScan, bytes | None]:
    """The sheet's scan, and its XML without its far blank cells when only they take it over the caps."""
    scan = _scan_xlsx_xml(parts.chunks(part), blank_strings)
    over = scan.every.over()
    if over is None:
        return SheetScan(flagged=scan.flagged), None
    if scan.kept.over() is not None or not scan.placed_by_reference:
        raise over
    if parts.archive.getinfo(part).file_size > _TRIMMED_BYTES:
        raise over  # cut out in memory: only a sheet of a sensible size
    data = parts.read(part)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2] == b"<\x00":
        raise over  # UTF-16: the cells cannot be cut out by their bytes
    keep = (scan.kept.last_row, scan.kept.last_column)
    again = _scan_xlsx_xml(iter([data]), blank_strings, keep)
    pieces: list[bytes] = []
    at = 0
    for start, end in again.dropped:
        if data[end : end + 2] == b"</":  # the end tag of the cell: keep up to its '>'
            end = data.index(b">", end) + 1
        pieces.append(data[at:start])
        at = end
    pieces.append(data[at:])
    trimmed = b"".join(pieces)
    check = _scan_xlsx_xml(iter([trimmed]), blank_strings)
    if check.every.over() is not None:
        raise over
    return SheetScan(flagged=check.flagged), trimmed


def _scan_xlsx_xml(
    chunks: Iterator[bytes], blank_strings: frozenset[int], drop_beyond: tuple[int, int] | None = None
) -> _XlsxSheet:
    sheet = _XlsxSheet(blank_strings, drop_beyond)
    sheet.parser = xml.parsers.expat.ParserCreate()
    parse_xml(chunks, sheet.start, sheet.end, sheet.chars, sheet.parser)
    return sheet


def _cell_of(reference: str) -> tuple[int, int]:
    """The 0-based (row, column) of a reference like 'B12'; anything else, or beyond Excel's last row
    and column, is refused (calamine would read a wrapped-around number)."""
    digits = reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    letters = reference[: len(reference) - len(digits)]
    column = _COLUMNS.get(letters)
    if column is None and letters.isascii():
        column = _COLUMNS.get(letters.upper())  # calamine reads lower-case letters too
    if column is not None and 0 < len(digits) <= 7 and digits.isascii() and digits.isdigit():
        row = int(digits)
        if 1 <= row <= MAX_SHEET_ROWS:
            return row - 1, column
    raise Refused(f"a cell reference {reference[:40]!r} that is not a cell of a sheet")


def _row_of(reference: str) -> int:
    match = _ROW_REFERENCE.fullmatch(reference)
    if match is not None and 1 <= int(match.group(1)) <= MAX_SHEET_ROWS:
        return int(match.group(1)) - 1
    raise Refused(f"a row number {reference[:40]!r} that is not a row of a sheet")


def _replace_parts(parts: ZipParts, replaced: dict[str, bytes]) -> bytes:
    """The zip with the parts `replaced` and the others copied, but for those that cannot be unpacked
    (calamine could not read them either; it reads a part missing as it reads one broken: it fails)."""
    if sum(info.file_size for info in parts.archive.infolist()) > MAX_PART_BYTES:
        raise Refused(f"the file unpacks to more than {MAX_PART_BYTES:,} bytes")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in parts.archive.infolist():
            data = replaced.get(info.filename)
            if data is None:
                try:
                    data = parts.read(info.filename)
                except Refused:
                    continue
            copy.writestr(info.filename, data)
    return out.getvalue()
