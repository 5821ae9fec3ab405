"""The look at an .xls before calamine reads it: the compound file's sector chains and the sheets' records.

The compound file's sector chains are walked (a loop or a sector past the end of the file is
refused), and the BIFF records of each sheet give its cells and its declared dimensions, which must
fit the caps: calamine reserves room for what a DIMENSIONS record declares. An .xls always stores a
formula's last result, so no cell is flagged.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator

from loaders.spreadsheets.caps import MAX_SHEET_CELLS, Extent, Refused

__all__ = ["check_xls"]


_END_OF_CHAIN = 0xFFFFFFFE
_RESERVED = 0xFFFFFFFA
_DIFAT_SECTOR = 0xFFFFFFFC
_STREAM_NAMES = ("Workbook", "Book", "WORKBOOK", "BOOK")
_CELL_RECORDS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})
_MUL_RK = 0x00BD
_DIMENSIONS = 0x0200
_BOF, _EOF, _BOUND_SHEET, _CONTINUE = 0x0809, 0x000A, 0x0085, 0x003C


def check_xls(data: bytes) -> None:
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
            raise Refused(f"sheet {name} starts past the end of the workbook stream")
        try:
            over = _xls_sheet_extent(stream, position).over()
        except Refused as refused:
            raise Refused(refused.reason, refused.cell, name) from None
        if over is not None:
            raise Refused(over.reason, over.cell, name)


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


def _xls_sheet_extent(stream: bytes, position: int) -> Extent:
    extent = Extent()
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
        raise Refused(
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
            raise Refused("a compound file shorter than its header")
        self.data = data
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12) or struct.unpack_from("<H", data, 32)[0] != 6:
            raise Refused("a compound file with an unknown sector size")
        self.size = 1 << shift
        if len(data) < self.size:
            raise Refused("a compound file shorter than its header")
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
                raise Refused("a compound file whose DIFAT chain loops")
        self.mini_stream = b""
        self.mini_fat: list[int] = []
        fat_sectors = [sector for sector in difat if sector < _DIFAT_SECTOR]
        if len(fat_sectors) > self.sectors:  # calamine would read a FAT sector as often as it is listed
            raise Refused("a compound file that lists more FAT sectors than it has sectors")
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
            raise Refused("a compound file without a root directory")
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
        raise Refused("a compound file without a Workbook stream (a password-protected file?)")

    def _sector(self, sector: int) -> bytes:
        if sector > self.sectors:
            raise Refused("a compound file with a sector past its end")
        at = (sector + 1) * self.size
        if at + self.size > len(self.data):
            raise Refused("a compound file cut short (a sector past its end)")
        return self.data[at : at + self.size]

    def _mini_sector(self, sector: int) -> bytes:
        at = sector * 64
        if at + 64 > len(self.mini_stream):
            raise Refused("a compound file with a mini sector past the end of its mini stream")
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
                raise Refused("a compound file whose sector chain leaves its allocation table")
            current = fat[current]
        raise Refused("a compound file whose sector chain loops")

    @staticmethod
    def _words(data: bytes) -> list[int]:
        return list(struct.unpack_from(f"<{len(data) // 4}I", data))
