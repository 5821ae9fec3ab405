"""Read the sheets of a spreadsheet file (.xlsx, .xls, .ods) without letting a bad file take the process down.

python-calamine reads spreadsheets fast, but it builds each sheet as one dense grid from its first to its
last cell, and it trusts the counts a file declares: a single cell at XFD1048576, a shared-string table
that claims 10^11 strings, or a chain of sectors in an .xls that loops make it ask for hundreds of
gigabytes and abort (Rust's allocator gives up: no exception reaches Python). So before calamine sees a
file, `read_spreadsheet` looks at it with a streaming reader of its own, and refuses what would not fit:

- .xlsx: the package's relationships, the shared strings and each sheet's XML are parsed with expat
  (no DTD, so no entities to expand), by the same rules calamine follows to find the parts and place
  the cells; the cells present (not the `<dimension>` a file declares) give the sheet's extent;
- .xls: the compound file's sector chains are walked (a loop or a sector past the end of the file is
  refused) and the BIFF records of each sheet give its cells and its declared dimensions;
- .ods: content.xml is parsed the same way, with its repeated rows and columns counted;
- anything else (a zip that is none of these, .xlsb) is refused with a message.

What calamine still raises, and its panics on malformed records (a Rust index out of range comes back
as pyo3's PanicException, a BaseException), become problems too; Rust's own report of a panic, which
it writes on the process's stderr, is kept off the terminal.

A sheet may span at most `MAX_SHEET_ROWS` rows, `MAX_SHEET_COLUMNS` columns and `MAX_SHEET_CELLS` cells
counted from A1 to its last cell with a value. Beyond that it is a `Problem` naming the file, the sheet
and the far cell, and the sheet is not read (an .xls or .ods file is read whole by calamine, so there
the whole file is refused). In an .xlsx, cells holding only whitespace beyond the last real value are
dropped first, so a stray space at XFD1048576 leaves a small sheet small.

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

from __future__ import annotations

import contextlib
import io
import os
import re
import struct
import sys
import tempfile
import xml.parsers.expat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import python_calamine

from graph.errors import InvalidData, Problem

__all__ = [
    "MAX_MERGED_CELLS",
    "MAX_PART_BYTES",
    "MAX_SHEET_CELLS",
    "MAX_SHEET_COLUMNS",
    "MAX_SHEET_ROWS",
    "SheetCells",
    "Spreadsheet",
    "read_spreadsheet",
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

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_EXCEL_COLUMNS = 16_384  # XFD
_ROW_REFERENCE = re.compile(r"[A-Za-z]{0,3}([0-9]{1,7})")
_COUNT = re.compile(r"[+-]?[0-9]+")
_SHOWN_TEXT = 60  # characters of a formula shown in a problem
_TRIMMED_BYTES = 256 << 20  # the most XML of a sheet whose far blank cells are cut out (in memory)


@dataclass(slots=True)
class SheetCells:
    """One sheet as calamine read it: `rows[i][j]` is the cell at row i + 1, column j + 1."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    """Merged ranges ((top, left), (bottom, right)), 0-based and inclusive, clipped to `rows`."""
    flagged: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    """(row, column) -> (what the cell holds, why its value is missing): formulas without a saved value
    and error values, which read as empty."""


@dataclass(slots=True)
class Spreadsheet:
    """The sheets that could be read, and a located problem for each sheet that could not."""

    names: list[str]
    """Every sheet of the file, in its order (also those not asked for)."""
    sheets: list[SheetCells]
    problems: list[Problem]


def read_spreadsheet(path: Path, data: bytes, *, wanted: Callable[[str], bool] | None = None) -> Spreadsheet:
    """The sheets of the spreadsheet `data` (the bytes of the file at `path`), in the file's order.

    Only the sheets whose name `wanted` accepts are read (default: all). A sheet that cannot be read
    (its XML broken or missing, larger than the caps) is left out and in `problems`, with the file,
    the sheet, and the cell when one is to blame. Raises `InvalidData` naming the file when the file
    itself cannot be read (not a spreadsheet, a broken container, an .xls or .ods with a sheet over
    the caps).
    """
    if not data:
        _refuse_file(path, "the file is empty")
    inspection = _inspect(path, data)
    try:
        with _quiet_panics():
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(inspection.data))
            names = list(workbook.sheet_names)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # calamine's own errors, and its panics (a BaseException in pyo3)
        _refuse_file(path, f"not a spreadsheet that can be read ({_error_text(error)})")
    sheets: list[SheetCells] = []
    problems: list[Problem] = []
    for name in names:
        if wanted is not None and not wanted(name):
            continue
        scan = inspection.sheet(name)
        if scan is None:
            problems.append(_sheet_problem(path, name, f"its part is not in the file; {_SHEET_LEFT_OUT}"))
            continue
        if scan.refused is not None:
            problems.append(scan.refused.problem(path, name, _SHEET_LEFT_OUT))
            continue
        try:
            with _quiet_panics():
                sheets.append(_read_sheet(workbook, name, scan))
        except _Refused as refused:
            problems.append(refused.problem(path, name, _SHEET_LEFT_OUT))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # a sheet whose XML calamine cannot read, a panic …
            reason = f"the sheet cannot be read ({_error_text(error)}); {_SHEET_LEFT_OUT}"
            problems.append(_sheet_problem(path, name, reason))
    return Spreadsheet(names, sheets, problems)


# -- what a scan finds -------------------------------------------------------------------------


class _Refused(Exception):
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
            column=None if column is None else _column_letters(column),
            value=None,
            reason=f"{self.reason}; {consequence}",
            file=str(path),
        )


@dataclass(slots=True)
class _Extent:
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

    def over(self) -> _Refused | None:
        """Why the sheet is over the caps (naming the cell that takes it there), or None."""
        rows, columns = self.last_row + 1, self.last_column + 1
        if columns > MAX_SHEET_COLUMNS:
            return _Refused(
                f"the sheet reaches column {_column_letters(self.last_column)} ({columns:,} columns); "
                f"at most {MAX_SHEET_COLUMNS:,} columns are read",
                self.column_cell,
            )
        if rows > MAX_SHEET_ROWS or rows * columns > MAX_SHEET_CELLS:
            return _Refused(
                f"the sheet spans {rows:,} rows × {columns:,} columns from A1 to its last cell; at most "
                f"{MAX_SHEET_ROWS:,} rows and {MAX_SHEET_CELLS:,} cells are read",
                self.row_cell,
            )
        return None


@dataclass(slots=True)
class _SheetScan:
    """What the look before calamine found in one sheet."""

    refused: _Refused | None = None
    flagged: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)


@dataclass(slots=True)
class _Inspection:
    """The bytes to hand calamine (an .xlsx may have had blank far cells taken out) and the sheets' scans,
    by name (.xlsx, .ods) or for every sheet (.xls, which only a whole-file look can vouch for)."""

    data: bytes
    by_name: dict[str, _SheetScan] | None = None
    every_sheet: _SheetScan | None = None

    def sheet(self, name: str) -> _SheetScan | None:
        if self.by_name is None:
            return self.every_sheet
        return self.by_name.get(name)


def _inspect(path: Path, data: bytes) -> _Inspection:
    """Look at the file before calamine does; raise `InvalidData` for a file it must not be given."""
    try:
        if data[:8] == _OLE:  # calamine tries .xls first: a compound file that passes here opens as one
            _check_xls(data)
            return _Inspection(data, every_sheet=_SheetScan())
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except Exception:  # not a zip, a broken one, a zip of a version or method zipfile does not know …
            raise _Refused(
                "not a spreadsheet that can be read (neither a compound file, as .xls is, nor a zip "
                "file, as .xlsx and .ods are)"
            ) from None
        with archive:
            return _inspect_zip(archive, data)
    except _Refused as refused:
        if refused.sheet is None:
            _refuse_file(path, refused.reason)
        problem = refused.problem(path, refused.sheet, _WHOLE_FILE)
        raise InvalidData(f"{path}: sheet {refused.sheet}: {problem.reason}", [problem]) from None


_WHOLE_FILE = "the file was not read (calamine reads every sheet of an .xls or .ods file when it opens it)"
_SHEET_LEFT_OUT = "the sheet was not read"


@contextlib.contextmanager
def _quiet_panics() -> Iterator[None]:
    """Keep what a panic in calamine prints out of the user's way: Rust's panic hook writes it on the
    process's stderr (with a backtrace when RUST_BACKTRACE is set), while the panic itself comes back
    as an exception that becomes a located problem. Whatever else is written meanwhile is passed on."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to guard
        yield
        return
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            written = captured.read()
            start = written.find(b"thread '")
            if start >= 0 and b"panicked at" in written[start:]:
                cut = start - 1 if written[:start].endswith(b"\n") else start  # it starts on a new line
                written = written[:cut]  # the panic's report, and its backtrace
            if written:
                os.write(2, written)


def _refuse_file(path: Path, reason: str) -> NoReturn:
    raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])


def _sheet_problem(path: Path, sheet: str, reason: str) -> Problem:
    return Problem(sheet=sheet, row=None, column=None, value=None, reason=reason, file=str(path))


def _error_text(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


def _column_letters(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_COLUMNS = {_column_letters(column): column for column in range(_EXCEL_COLUMNS)}  # 'A' -> 0 … 'XFD'


# -- reading a sheet that passed -------------------------------------------------------------------


def _read_sheet(workbook: Any, name: str, scan: _SheetScan) -> SheetCells:
    sheet = workbook.get_sheet_by_name(name)
    end = sheet.end  # calamine's own extent: checked again, whatever the look before found
    if end is not None:
        extent = _Extent()
        extent.add(end[0], end[1])
        over = extent.over()
        if over is not None:
            raise over
    rows: list[list[Any]] = []
    last = -1  # the last row with a value
    for index, values in enumerate(sheet.iter_rows()):
        cells = list(values)
        while cells and _blank(cells[-1]):
            cells.pop()
        rows.append(cells)
        if cells:
            last = index
    del rows[last + 1 :]
    for row, column in scan.flagged:  # a flagged cell reads as empty: keep it within the rows
        while len(rows) <= row:
            rows.append([])
        cells = rows[row]
        if len(cells) <= column:
            cells.extend([""] * (column + 1 - len(cells)))
    merged = _clip_merged(rows, sheet.merged_cell_ranges or ())
    return SheetCells(name, rows, merged, dict(scan.flagged))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clip_merged(rows: list[list[Any]], ranges: Any) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The merged ranges that start within the rows, clipped to them; refused beyond `MAX_MERGED_CELLS`."""
    width = max((len(cells) for cells in rows), default=0)
    clipped: list[tuple[tuple[int, int], tuple[int, int]]] = []
    covered = 0
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= width or bottom < top or right < left:
            continue
        bottom, right = min(bottom, len(rows) - 1), min(right, width - 1)
        covered += (bottom - top + 1) * (right - left + 1)
        if covered > MAX_MERGED_CELLS:
            raise _Refused(
                f"merged ranges cover more than {MAX_MERGED_CELLS:,} cells",
                (top, left),
            )
        clipped.append(((top, left), (bottom, right)))
    return clipped


# -- XML, safely ------------------------------------------------------------------------------------


def _no_dtd(*_: Any) -> None:
    raise _Refused("its XML declares a document type (DTD), which a spreadsheet never does")


def _parse(
    stream: Iterator[bytes],
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    text: Callable[[str], None] | None = None,
    parser: xml.parsers.expat.XMLParserType | None = None,
) -> None:
    """Parse XML chunk by chunk with expat (`parser`, for a caller that reads its byte offsets),
    refusing a DTD, and so every entity but the five of XML: no entity can expand."""
    parser = parser or xml.parsers.expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        for chunk in stream:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as error:
        raise _Refused(f"its XML is broken ({error})") from None


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _ignore(name: str) -> None:
    pass


# -- .xlsx and .ods: the zip ---------------------------------------------------------------------


class _Zip:
    """A zip's parts, found by calamine's rule: case-insensitively, `\\` read as `/`."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        names = archive.namelist()
        if len(set(names)) != len(names):
            raise _Refused("the zip holds two parts with the same name; not a spreadsheet that can be read")
        self.names = {name.replace("\\", "/").lower(): name for name in names}

    def find(self, path: str) -> str | None:
        name = self.names.get(path.lower(), path)
        return name if name in self.archive.NameToInfo else None

    def chunks(self, name: str) -> Iterator[bytes]:
        """The part's bytes in chunks, refused past `MAX_PART_BYTES` or when the zip is broken."""
        read = 0
        try:
            with self.archive.open(name) as part:
                while chunk := part.read(1 << 20):
                    read += len(chunk)
                    if read > MAX_PART_BYTES:
                        raise _Refused(f"{name} unpacks to more than {MAX_PART_BYTES:,} bytes")
                    yield chunk
        except _Refused:
            raise
        except Exception as error:  # a bad CRC, an unknown compression, an encrypted part …
            raise _Refused(f"{name} cannot be unpacked ({_error_text(error)})") from None

    def read(self, name: str) -> bytes:
        return b"".join(self.chunks(name))


def _inspect_zip(archive: zipfile.ZipFile, data: bytes) -> _Inspection:
    parts = _Zip(archive)
    package = parts.find("_rels/.rels")
    if package is not None:
        target = _office_document(parts, package)
        if target is not None and target.lower().endswith(".bin"):
            raise _Refused("an .xlsb (binary) workbook, which is not read: save it as .xlsx")
        if target is not None:
            if _is_ods(parts):
                raise _Refused("both an .xlsx and an .ods package; not a spreadsheet that can be read")
            return _inspect_xlsx(parts, target, data)
    if _is_ods(parts):
        return _inspect_ods(parts, data)
    raise _Refused("a zip file that is not a spreadsheet (.xlsx, .ods)")


def _is_ods(parts: _Zip) -> bool:
    if "mimetype" not in parts.archive.NameToInfo:
        return False
    try:
        with parts.archive.open("mimetype") as file:
            return file.read(len(_ODS_MIMETYPE)) == _ODS_MIMETYPE  # calamine compares these bytes only
    except Exception:  # a broken part: calamine cannot read it as .ods either
        return False


def _office_document(parts: _Zip, package: str) -> str | None:
    """The target of the package's officeDocument relationship (the workbook part), as calamine reads it."""
    found: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship" and attrs.get("Type", "").endswith("/relationships/officeDocument"):
            target = attrs.get("Target")
            if target is not None:
                found.append(_plain_target(target))

    _parse(parts.chunks(package), start, _ignore)
    return found[-1] if found else None


def _plain_target(target: str) -> str:
    """A part's path as written; calamine reads some paths without decoding them, so one that XML would
    decode or normalise (an entity, white space) might not name the part expat reads: refused."""
    if "&" in target or any(char.isspace() for char in target):
        raise _Refused(f"a part path {target[:80]!r} that is not a plain path")
    return target


# -- .xlsx ---------------------------------------------------------------------------------------


def _inspect_xlsx(parts: _Zip, document: str, data: bytes) -> _Inspection:
    folder = document[: document.rfind("/") + 1].removeprefix("/") if "/" in document else ""
    blank_strings = _blank_strings(parts, folder)
    relationships = parts.find(f"{folder}_rels/workbook.xml.rels")
    if relationships is None:
        raise _Refused("the workbook's relationships (workbook.xml.rels) are missing")
    targets = _relationships(parts, relationships)
    workbook = parts.find(f"{folder}workbook.xml")
    sheets = _workbook_sheets(parts, workbook) if workbook is not None else []
    scans: dict[str, _SheetScan] = {}
    rewritten: dict[str, bytes] = {}
    for name, relation in sheets:
        if name in scans:
            continue  # calamine reads the first sheet of a name
        target = targets.get(relation)
        if target is None:
            raise _Refused(f"sheet {name} names a relationship {relation!r} that is not there")
        part = parts.find(target.removeprefix("/") if target.startswith("/") else f"{folder}{target}")
        if part is None:
            scans[name] = _SheetScan(_Refused(f"its part {target} is not in the file"))
            continue
        try:
            scan, trimmed = _scan_xlsx_sheet(parts, part, blank_strings)
        except _Refused as refused:
            scans[name] = _SheetScan(refused)
            continue
        scans[name] = scan
        if trimmed is not None:
            rewritten[part] = trimmed
    if rewritten:
        data = _replace_parts(parts, rewritten)
    return _Inspection(data, by_name=scans)


def _blank_strings(parts: _Zip, folder: str) -> frozenset[int]:
    """The indexes of the shared strings that are only white space; a bogus declared count is refused."""
    name = parts.find(f"{folder}sharedStrings.xml")
    if name is None:
        return frozenset()
    size = parts.archive.getinfo(name).file_size
    blank: set[int] = set()
    state = {"index": -1, "phonetic": 0, "in_text": False}
    text: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "sst":
            count = attrs.get("uniqueCount", "").strip()
            # calamine reserves room for the declared count: each string takes at least `<si/>`, 5 bytes
            if _COUNT.fullmatch(count) and int(count) > max(size, 1 << 16) // 5:
                raise _Refused(f"sharedStrings.xml declares {count} strings in {size:,} bytes")
        elif local == "si":
            state["index"] += 1
            text.clear()
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "t" and not state["phonetic"]:
            state["in_text"] = True

    def end(tag: str) -> None:
        local = _local(tag)
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
        _parse(parts.chunks(name), start, end, chars)
    except _Refused as refused:
        raise _Refused(f"the shared strings cannot be read: {refused.reason}") from None
    return frozenset(blank)


def _relationships(parts: _Zip, name: str) -> dict[str, str]:
    targets: dict[str, str] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and "Id" in attrs:
            targets[attrs["Id"]] = _plain_target(attrs.get("Target", ""))

    _parse(parts.chunks(name), start, _ignore)
    return targets


def _workbook_sheets(parts: _Zip, name: str) -> list[tuple[str, str]]:
    """(name, relationship id) of each sheet the workbook lists, in order."""
    sheets: list[tuple[str, str]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if _local(tag) == "sheet":
            relation = ""
            for key, value in attrs.items():
                if _local(key) == "id":
                    relation = value
            sheets.append((attrs.get("name", ""), relation))

    _parse(parts.chunks(name), start, _ignore)
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
        self.every = _Extent()  # cells with any value
        self.kept = _Extent()  # cells with a value that is not white space
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
                if self.row >= MAX_SHEET_ROWS or self.column >= _EXCEL_COLUMNS:
                    raise _Refused("a cell placed beyond the last row or column of a sheet", self.position)
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
            raise _Refused(f"the sheet has more than {MAX_SHEET_CELLS:,} cells", position)
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
                shown = f"={formula[:_SHOWN_TEXT]}" if formula else "(a shared formula)"
                self.flagged[self.position] = (
                    shown,
                    "is a formula without a saved value (the file was written by a program that does not "
                    "compute formulas): open it in Excel or WPS and save it, or write the value",
                )
        elif kind == "e":
            if value.strip():
                self.flagged[self.position] = (
                    value.strip()[:_SHOWN_TEXT],
                    "is an error value, which reads as empty",
                )
        elif self.value is not None and not value.strip():
            self.flagged[self.position] = (
                "",
                "is a number cell without a number (what a program writes for an infinite or undefined "
                "value), which reads as empty",
            )


def _scan_xlsx_sheet(
    parts: _Zip, part: str, blank_strings: frozenset[int]
) -> tuple[_SheetScan, bytes | None]:
    """The sheet's scan, and its XML without its far blank cells when only they take it over the caps."""
    scan = _scan_xlsx_xml(parts.chunks(part), blank_strings)
    over = scan.every.over()
    if over is None:
        return _SheetScan(flagged=scan.flagged), None
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
    return _SheetScan(flagged=check.flagged), trimmed


def _scan_xlsx_xml(
    chunks: Iterator[bytes], blank_strings: frozenset[int], drop_beyond: tuple[int, int] | None = None
) -> _XlsxSheet:
    sheet = _XlsxSheet(blank_strings, drop_beyond)
    sheet.parser = xml.parsers.expat.ParserCreate()
    _parse(chunks, sheet.start, sheet.end, sheet.chars, sheet.parser)
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
    raise _Refused(f"a cell reference {reference[:40]!r} that is not a cell of a sheet")


def _row_of(reference: str) -> int:
    match = _ROW_REFERENCE.fullmatch(reference)
    if match is not None and 1 <= int(match.group(1)) <= MAX_SHEET_ROWS:
        return int(match.group(1)) - 1
    raise _Refused(f"a row number {reference[:40]!r} that is not a row of a sheet")


def _replace_parts(parts: _Zip, replaced: dict[str, bytes]) -> bytes:
    """The zip with the parts `replaced` and the others copied, but for those that cannot be unpacked
    (calamine could not read them either; it reads a part missing as it reads one broken: it fails)."""
    if sum(info.file_size for info in parts.archive.infolist()) > MAX_PART_BYTES:
        raise _Refused(f"the file unpacks to more than {MAX_PART_BYTES:,} bytes")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in parts.archive.infolist():
            data = replaced.get(info.filename)
            if data is None:
                try:
                    data = parts.read(info.filename)
                except _Refused:
                    continue
            copy.writestr(info.filename, data)
    return out.getvalue()


# -- .ods ------------------------------------------------------------------------------------------

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
        self.tables: list[tuple[str, _Extent, dict[tuple[int, int], tuple[str, str]]]] = []
        self.table: tuple[str, _Extent, dict[tuple[int, int], tuple[str, str]]] | None = None
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
                self.table = (attrs["table:name"], _Extent(), {})
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
            repeats = min(repeats, _EXCEL_COLUMNS)
            if has_value or formula:
                if formula and not has_value:
                    flagged[(self.row, self.column)] = (
                        formula[:_SHOWN_TEXT],
                        "is a formula without a saved value: open the file in LibreOffice and save it",
                    )
                self.row_used = True
                extent.add(self.row + max(self.row_repeats, 1) - 1, self.column + repeats - 1)
                self.cells += repeats * max(self.row_repeats, 1)
                if self.cells > MAX_SHEET_CELLS:
                    raise _Refused(
                        f"the sheet has more than {MAX_SHEET_CELLS:,} cells", (self.row, self.column), name
                    )
            self.column += repeats
        elif tag == "table:table-row":
            self.row += self.row_repeats
            over = extent.over()
            if over is not None:
                raise _Refused(over.reason, over.cell, name)


def _repeats(text: str | None) -> int:
    if text is None:
        return 1
    if not text.isdigit():
        raise _Refused(f"a repeat count {text[:20]!r} that is not a number")
    return int(text)


def _inspect_ods(parts: _Zip, data: bytes) -> _Inspection:
    name = parts.archive.NameToInfo.get("content.xml")
    if name is None:
        raise _Refused("an .ods file without its content.xml")
    content = _OdsContent()
    _parse(parts.chunks("content.xml"), content.start, content.end)
    scans: dict[str, _SheetScan] = {}
    for table, extent, flagged in content.tables:
        over = extent.over()
        if over is not None:
            raise _Refused(over.reason, over.cell, table)
        scans[table] = _SheetScan(flagged=flagged)  # calamine keeps the last table of a name
    return _Inspection(data, by_name=scans)


# -- .xls --------------------------------------------------------------------------------------------

_END_OF_CHAIN = 0xFFFFFFFE
_RESERVED = 0xFFFFFFFA
_DIFAT_SECTOR = 0xFFFFFFFC
_STREAM_NAMES = ("Workbook", "Book", "WORKBOOK", "BOOK")
_CELL_RECORDS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})
_MUL_RK = 0x00BD
_DIMENSIONS = 0x0200
_BOF, _EOF, _BOUND_SHEET, _CONTINUE = 0x0809, 0x000A, 0x0085, 0x003C


def _check_xls(data: bytes) -> None:
    """Refuse an .xls whose compound file or sheets calamine would read into a loop or a huge grid."""
    stream = _CompoundFile(data).workbook()
    sheets: list[tuple[int, str]] = []
    for kind, body in _records(stream, 0):
        if kind == _BOUND_SHEET and len(body) >= 8:
            sheets.append((struct.unpack_from("<I", body)[0], _sheet_name(body)))
        elif kind == _EOF:
            break
    for position, name in sheets:
        if position > len(stream):
            raise _Refused(f"sheet {name} starts past the end of the workbook stream")
        try:
            over = _xls_sheet_extent(stream, position).over()
        except _Refused as refused:
            raise _Refused(refused.reason, refused.cell, name) from None
        if over is not None:
            raise _Refused(over.reason, over.cell, name)


def _records(stream: bytes, position: int) -> Iterator[tuple[int, bytes]]:
    """The BIFF records from `position`, as calamine splits them (CONTINUE records left out); stops
    where a record does not fit (calamine fails there)."""
    at, size = position, len(stream)
    while at + 4 <= size:
        kind, length = struct.unpack_from("<HH", stream, at)
        if at + 4 + length > size:
            return
        if kind != _CONTINUE:
            yield kind, stream[at + 4 : at + 4 + length]
        at += 4 + length


def _xls_sheet_extent(stream: bytes, position: int) -> _Extent:
    extent = _Extent()
    seen_bof = False
    depth = 0
    for kind, body in _records(stream, position):
        if depth:
            depth += kind == _BOF
            depth -= kind == _EOF
            continue
        if kind == _BOF:
            if seen_bof:
                depth += 1
            seen_bof = True
        elif kind == _EOF:
            break
        elif kind == _DIMENSIONS:
            _check_dimensions(body)
        elif kind in _CELL_RECORDS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            extent.add(row, column)
        elif kind == _MUL_RK and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            last = max(first, first + (len(body) - 6) // 6 - 1)
            extent.add(row, last)
    return extent


def _check_dimensions(body: bytes) -> None:
    """calamine reserves room for the cells a DIMENSIONS record declares, with 32-bit wrap-around."""
    if len(body) == 10:
        first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", body)
    elif len(body) in (14, 16):
        first_row, last_row = struct.unpack_from("<II", body)
        first_column, last_column = struct.unpack_from("<HH", body, 8)
    else:
        return  # calamine refuses the record
    if first_column > 0xFF or last_column < first_column:
        first_column = 0
    if last_row >= 1 and last_column >= 1:
        end_row, end_column = last_row - 1, last_column - 1
    else:
        end_row, end_column = first_row, first_column
    rows = ((end_row - first_row) % (1 << 32) + 1) % (1 << 32)
    columns = ((end_column - first_column) % (1 << 32) + 1) % (1 << 32)
    if rows * columns > MAX_SHEET_CELLS:
        raise _Refused(
            f"a sheet declares {rows:,} rows × {columns:,} columns; at most {MAX_SHEET_CELLS:,} cells are read"
        )


def _sheet_name(body: bytes) -> str:
    """The name a BOUNDSHEET record gives (BIFF8; a best effort for older files, for messages only)."""
    if len(body) < 8:
        return "?"
    count, flags = body[6], body[7]
    if flags & 1:
        return body[8 : 8 + 2 * count].decode("utf-16-le", "replace")
    return body[8 : 8 + count].decode("latin-1")


class _CompoundFile:
    """The sector chains of a compound file (MS-CFB), walked as calamine walks them, but refusing a chain
    that loops or leaves the file, where calamine would read forever or past its end."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512:
            raise _Refused("a compound file shorter than its header")
        self.data = data
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12) or struct.unpack_from("<H", data, 32)[0] != 6:
            raise _Refused("a compound file with an unknown sector size")
        self.size = 1 << shift
        if len(data) < self.size:
            raise _Refused("a compound file shorter than its header")
        self.version = struct.unpack_from("<H", data, 26)[0]
        self.sectors = len(data) // self.size  # calamine's last sector id (its `maxid`)
        (_, self.directory_start, _, _, mini_start, mini_length, difat_start) = struct.unpack_from(
            "<IIIIIII", data, 44
        )
        difat = list(struct.unpack_from("<109I", data, 76))
        steps = 0
        sector = difat_start
        while sector < _RESERVED:
            difat.extend(self._words(self._sector(sector)))
            sector = difat.pop()
            steps += 1
            if steps > self.sectors + 1:
                raise _Refused("a compound file whose DIFAT chain loops")
        self.mini_stream = b""
        self.mini_fat: list[int] = []
        fat_sectors = [sector for sector in difat if sector < _DIFAT_SECTOR]
        if len(fat_sectors) > self.sectors:  # calamine would read a FAT sector as often as it is listed
            raise _Refused("a compound file that lists more FAT sectors than it has sectors")
        self.fat: list[int] = []
        for sector in fat_sectors:
            self.fat.extend(self._words(self._sector(sector)))
        directories = self._chain(self.directory_start, self.fat, self._sector, None)
        self.entries: list[tuple[str, int, int]] = []
        for at in range(0, len(directories) - 127, 128):
            entry = directories[at : at + 128]
            name = entry[:64].decode("utf-16-le", "replace").split("\x00", 1)[0]
            start = struct.unpack_from("<I", entry, 116)[0]
            length = struct.unpack_from("<I" if self.size == 512 else "<Q", entry, 120)[0]
            self.entries.append((name, start, length))
        if not self.entries or (self.version != 3 and self.entries[0][1] == _END_OF_CHAIN):
            raise _Refused("a compound file without a root directory")
        if mini_length > 0:
            root_start, root_length = self.entries[0][1], self.entries[0][2]
            self.mini_stream = self._chain(root_start, self.fat, self._sector, root_length)
            self.mini_fat = self._words(
                self._chain(mini_start, self.fat, self._sector, mini_length * self.size)
            )

    def workbook(self) -> bytes:
        """The Workbook stream (or Book, as calamine looks for it)."""
        for wanted in _STREAM_NAMES:
            for name, start, length in self.entries:
                if name == wanted:
                    if length < 4096:
                        return self._chain(start, self.mini_fat, self._mini_sector, length)
                    return self._chain(start, self.fat, self._sector, length)
        raise _Refused("a compound file without a Workbook stream (a password-protected file?)")

    def _sector(self, sector: int) -> bytes:
        if sector > self.sectors:
            raise _Refused("a compound file with a sector past its end")
        at = (sector + 1) * self.size
        if at + self.size > len(self.data):
            raise _Refused("a compound file cut short (a sector past its end)")
        return self.data[at : at + self.size]

    def _mini_sector(self, sector: int) -> bytes:
        at = sector * 64
        if at + 64 > len(self.mini_stream):
            raise _Refused("a compound file with a mini sector past the end of its mini stream")
        return self.mini_stream[at : at + 64]

    def _chain(self, start: int, fat: list[int], sector: Callable[[int], bytes], length: int | None) -> bytes:
        """The bytes of the chain from `start` (up to `length`); a chain that visits more sectors than
        there are loops (each sector is in one chain, once)."""
        pieces: list[bytes] = []
        read = 0
        current = start
        sectors = len(self.mini_stream) // 64 if sector == self._mini_sector else self.sectors
        for _ in range(sectors + 1):
            if current == _END_OF_CHAIN:
                return b"".join(pieces)
            piece = sector(current)
            if length is not None:
                piece = piece[: length - read]
            pieces.append(piece)
            read += len(piece)
            if length is not None and read >= length:
                return b"".join(pieces)
            if current >= len(fat):
                raise _Refused("a compound file whose sector chain leaves its allocation table")
            current = fat[current]
        raise _Refused("a compound file whose sector chain loops")

    @staticmethod
    def _words(data: bytes) -> list[int]:
        return list(struct.unpack_from(f"<{len(data) // 4}I", data))
