"""Builders of real spreadsheet files for the tests of bad input: .xlsx parts rewritten, a small .xls
(a compound file holding a BIFF8 workbook stream) and a small .ods, all as bytes.

    >>> data = xlsx_bytes({"部门": [["部门名称"], ["示例市商务局"]]})
    >>> data = replace_part(data, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    >>> book = compound_file(biff_workbook([(0, 0, 1.0), (65000, 60000, 5.0)]))    # a far cell in an .xls
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl

__all__ = [
    "biff_workbook",
    "compound_file",
    "ods_file",
    "replace_part",
    "xlsx_bytes",
]


def xlsx_bytes(sheets: dict[str, list[list[Any]]], cells: dict[str, dict[str, Any]] | None = None) -> bytes:
    """An .xlsx written by openpyxl: `sheets` row by row, then `cells` ({sheet: {'XFD1048576': 'x'}}).
    The same sheets give the same bytes (no time of writing in them), as hypothesis needs."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for reference, value in (cells or {}).get(name, {}).items():
            sheet[reference] = value
    out = io.BytesIO()
    workbook.save(out)
    timestamps = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    return replace_part(
        out.getvalue(), "docProps/core.xml", lambda xml: timestamps.sub(b"2024-01-01T00:00:00Z", xml)
    )


def replace_part(data: bytes, name: str, change: Callable[[bytes], bytes | None]) -> bytes:
    """The zip `data` with its part `name` changed (`change` returns the new bytes, or None to remove
    it), or added when it is not there (`change` is given b"")."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        names = source.namelist()
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == name:
                changed = change(part)
                if changed is None:
                    continue
                part = changed
            copy.writestr(_entry(info.filename), part)
        if name not in names:
            added = change(b"")
            if added is not None:
                copy.writestr(_entry(name), added)
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry dated 1980-01-01, deflated: the same parts give the same bytes."""
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def biff_workbook(
    cells: list[tuple[int, int, float]],
    name: str = "Sheet1",
    dimensions: bytes | None = None,
    records: tuple[tuple[int, bytes], ...] = (),
) -> bytes:
    """A BIFF8 workbook stream of one sheet holding the numbers at (row, column), with a DIMENSIONS
    record of the given body when one is given, and the other `records` (type, body) in its globals."""
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0)
    encoded = name.encode("utf-16-le")

    def bound(position: int) -> bytes:
        return _record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(name), 1) + encoded)

    end = _record(0x000A, b"")
    extra = b"".join(_record(kind, body) for kind, body in records)
    workbook_globals = _record(0x0809, bof) + extra + bound(0) + end
    sheet = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
    if dimensions is not None:
        sheet += _record(0x0200, dimensions)
    for row, column, value in cells:
        sheet += _record(0x0203, struct.pack("<HHHd", row, column, 0, value))
    sheet += end
    return _record(0x0809, bof) + extra + bound(len(workbook_globals)) + end + sheet


def compound_file(stream: bytes, *, looping_directory: bool = False) -> bytes:
    """A compound file of 512-byte sectors whose Workbook stream is `stream` (padded to 4,096 bytes, so
    that it is kept in sectors, not in the mini stream): sector 0 holds the allocation table, sector 1
    the directory, the stream follows. `looping_directory` makes the directory's chain point at itself."""
    size = 512
    stream += b"\x00" * max(0, 4096 - len(stream))
    stream += b"\x00" * (-len(stream) % size)
    count = len(stream) // size
    fat = [0xFFFFFFFD, 1 if looping_directory else 0xFFFFFFFE]
    fat += [2 + i + 1 if i + 1 < count else 0xFFFFFFFE for i in range(count)]
    fat += [0xFFFFFFFF] * (size // 4 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x003E, 3, 0xFFFE, 9)  # minor, major version 3, byte order, 512
    struct.pack_into("<H", header, 32, 6)  # 64-byte mini sectors
    # directory sectors, FAT sectors, first directory sector, transaction, mini cutoff, mini FAT, DIFAT
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 76, 0, *([0xFFFFFFFF] * 108))

    def entry(name: str, kind: int, start: int, length: int, child: int = 0xFFFFFFFF) -> bytes:
        raw = (name + "\x00").encode("utf-16-le")
        data = bytearray(128)
        data[: len(raw)] = raw
        struct.pack_into("<HBB", data, 64, len(raw), kind, 1)
        struct.pack_into("<III", data, 68, 0xFFFFFFFF, 0xFFFFFFFF, child)
        struct.pack_into("<II", data, 116, start, length)
        return bytes(data)

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1) + entry("Workbook", 2, 2, len(stream))
    directory += b"\x00" * (size - len(directory))
    return bytes(header) + struct.pack(f"<{size // 4}I", *fat) + directory + stream


def ods_file(rows: str, name: str = "Sheet1") -> bytes:
    """An .ods whose one table `name` holds the `table:table-row` elements `rows` (XML text)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{name}">{rows}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(  # calamine looks in the manifest for encryption
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return out.getvalue()
