"""Read the sheets of a spreadsheet file (.xlsx, .xls, .ods) without letting a bad file take the process down.

`open_spreadsheet` looks at the file first (`loaders.spreadsheets.xlsx`, `.ods`, `.xls`) and hands
calamine only what passed; the file is opened once, and each sheet is read when first asked for,
once (`SpreadsheetFile.sheet`). `read_spreadsheet` reads the sheets wanted at once. What calamine
still raises, and its panics on malformed records (a Rust index out of range comes back as pyo3's
PanicException, a BaseException), become problems too; Rust's own report of a panic, which it writes
on the process's stderr, is kept off the terminal.

The rows come back from A1, trailing empty cells and rows trimmed, each distinct text one object; merged
ranges are clipped to them.

    >>> book = open_spreadsheet(Path("lists.xlsx"), Path("lists.xlsx").read_bytes())  # doctest: +SKIP
    >>> book.names, book.sheet("部门")                                                # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import python_calamine

from graph.errors import InvalidData, Problem
from loaders.spreadsheets.caps import MAX_MERGED_CELLS, Extent, Inspection, Refused, SheetScan, error_text
from loaders.spreadsheets.ods import inspect_ods
from loaders.spreadsheets.xls import check_xls
from loaders.spreadsheets.xlsx import inspect_xlsx
from loaders.spreadsheets.zipparts import ZipParts, is_ods, office_document

__all__ = ["SheetCells", "Spreadsheet", "SpreadsheetFile", "open_spreadsheet", "read_spreadsheet"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


class SpreadsheetFile:
    """A spreadsheet file that passed the look before calamine and that calamine opened: its sheets'
    `names` in the file's order, and each sheet read when first asked for, once."""

    def __init__(self, path: Path, inspection: Inspection, workbook: Any, names: list[str]) -> None:
        self.path = path
        self.names = names
        self._inspection = inspection
        self._workbook = workbook
        self._read: dict[str, SheetCells | Problem] = {}

    def sheet(self, name: str) -> SheetCells | Problem:
        """The sheet `name` as calamine reads it, or, when it cannot be read (its XML broken or missing,
        larger than the caps), the problem why, with the file, the sheet, and the cell to blame."""
        found = self._read.get(name)
        if found is None:
            found = self._read[name] = self._read_sheet(name)
        return found

    def read(self, wanted: Callable[[str], bool] | None = None) -> Spreadsheet:
        """The sheets whose name `wanted` accepts (default: all), in the file's order."""
        sheets: list[SheetCells] = []
        problems: list[Problem] = []
        for name in self.names:
            if wanted is not None and not wanted(name):
                continue
            found = self.sheet(name)
            if isinstance(found, Problem):
                problems.append(found)
            else:
                sheets.append(found)
        return Spreadsheet(list(self.names), sheets, problems)

    def _read_sheet(self, name: str) -> SheetCells | Problem:
        path = self.path
        scan = self._inspection.sheet(name)
        if scan is None:
            return _sheet_problem(path, name, f"its part is not in the file; {_SHEET_LEFT_OUT}")
        if scan.refused is not None:
            return scan.refused.problem(path, name, _SHEET_LEFT_OUT)
        try:
            with _quiet_panics():
                return _read_sheet(self._workbook, name, scan)
        except Refused as refused:
            return refused.problem(path, name, _SHEET_LEFT_OUT)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # a sheet whose XML calamine cannot read, a panic …
            reason = f"the sheet cannot be read ({error_text(error)}); {_SHEET_LEFT_OUT}"
            return _sheet_problem(path, name, reason)


def open_spreadsheet(path: Path, data: bytes) -> SpreadsheetFile:
    """The spreadsheet `data` (the bytes of the file at `path`), looked at and opened by calamine.

    Raises `InvalidData` naming the file when the file itself cannot be read (empty, not a
    spreadsheet, a broken container, an .xls or .ods with a sheet over the caps).
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
        _refuse_file(path, f"not a spreadsheet that can be read ({error_text(error)})")
    return SpreadsheetFile(path, inspection, workbook, names)


def read_spreadsheet(path: Path, data: bytes, *, wanted: Callable[[str], bool] | None = None) -> Spreadsheet:
    """The sheets of the spreadsheet `data` (the bytes of the file at `path`), in the file's order.

    Only the sheets whose name `wanted` accepts are read (default: all). A sheet that cannot be read
    (its XML broken or missing, larger than the caps) is left out and in `problems`, with the file,
    the sheet, and the cell when one is to blame. Raises `InvalidData` naming the file when the file
    itself cannot be read (not a spreadsheet, a broken container, an .xls or .ods with a sheet over
    the caps).
    """
    return open_spreadsheet(path, data).read(wanted)


# -- the look before calamine -----------------------------------------------------------------------


def _inspect(path: Path, data: bytes) -> Inspection:
    """Look at the file before calamine does; raise `InvalidData` for a file it must not be given."""
    try:
        if data[:8] == _OLE:  # calamine tries .xls first: a compound file that passes here opens as one
            check_xls(data)
            return Inspection(data, every_sheet=SheetScan())
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except Exception:  # not a zip, a broken one, a zip of a version or method zipfile does not know …
            raise Refused(
                "not a spreadsheet that can be read (neither a compound file, as .xls is, nor a zip "
                "file, as .xlsx and .ods are)"
            ) from None
        with archive:
            return _inspect_zip(archive, data)
    except Refused as refused:
        if refused.sheet is None:
            _refuse_file(path, refused.reason)
        problem = refused.problem(path, refused.sheet, _WHOLE_FILE)
        raise InvalidData(f"{path}: sheet {refused.sheet}: {problem.reason}", [problem]) from None


def _inspect_zip(archive: zipfile.ZipFile, data: bytes) -> Inspection:
    parts = ZipParts(archive)
    package = parts.find("_rels/.rels")
    if package is not None:
        target = office_document(parts, package)
        if target is not None and target.lower().endswith(".bin"):
            raise Refused("an .xlsb (binary) workbook, which is not read: save it as .xlsx")
        if target is not None:
            if is_ods(parts):
                raise Refused("both an .xlsx and an .ods package; not a spreadsheet that can be read")
            return inspect_xlsx(parts, target, data)
    if is_ods(parts):
        return inspect_ods(parts, data)
    raise Refused("a zip file that is not a spreadsheet (.xlsx, .ods)")


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


# -- reading a sheet that passed -------------------------------------------------------------------


def _read_sheet(workbook: Any, name: str, scan: SheetScan) -> SheetCells:
    sheet = workbook.get_sheet_by_name(name)
    end = sheet.end  # calamine's own extent: checked again, whatever the look before found
    if end is not None:
        extent = Extent()
        extent.add(end[0], end[1])
        over = extent.over()
        if over is not None:
            raise over
    rows: list[list[Any]] = []
    texts: dict[str, str] = {}  # each text once: a list repeats its own on every row (责任事项 …)
    last = -1  # the last row with a value
    for index, values in enumerate(sheet.iter_rows()):
        cells = [texts.setdefault(value, value) if type(value) is str else value for value in values]
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
            raise Refused(
                f"merged ranges cover more than {MAX_MERGED_CELLS:,} cells",
                (top, left),
            )
        clipped.append(((top, left), (bottom, right)))
    return clipped
