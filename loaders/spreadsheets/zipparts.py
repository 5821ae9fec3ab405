"""The parts of a zip (an .xlsx or an .ods), found as calamine finds them, and their XML parsed safely.

`ZipParts` finds a part by calamine's rule (case-insensitively, `\\` read as `/`) and unpacks it in
chunks, refusing one that unpacks to more than `MAX_PART_BYTES` (a zip bomb); `parse_xml` parses XML
with expat, refusing a DTD, so that no entity can expand. `office_document` and `is_ods` tell an
.xlsx package from an .ods one, as calamine does.
"""

from __future__ import annotations

import xml.parsers.expat
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from loaders.spreadsheets.caps import MAX_PART_BYTES, Refused, error_text

__all__ = ["ZipParts", "ignore_end", "is_ods", "local_name", "office_document", "parse_xml", "plain_target"]

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _no_dtd(*_: Any) -> None:
    raise Refused("its XML declares a document type (DTD), which a spreadsheet never does")


def parse_xml(
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
        raise Refused(f"its XML is broken ({error})") from None


def local_name(name: str) -> str:
    return name.rpartition(":")[2]


def ignore_end(name: str) -> None:
    pass


class ZipParts:
    """A zip's parts, found by calamine's rule: case-insensitively, `\\` read as `/`."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        names = archive.namelist()
        if len(set(names)) != len(names):
            raise Refused("the zip holds two parts with the same name; not a spreadsheet that can be read")
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
                        raise Refused(f"{name} unpacks to more than {MAX_PART_BYTES:,} bytes")
                    yield chunk
        except Refused:
            raise
        except Exception as error:  # a bad CRC, an unknown compression, an encrypted part …
            raise Refused(f"{name} cannot be unpacked ({error_text(error)})") from None

    def read(self, name: str) -> bytes:
        return b"".join(self.chunks(name))


def is_ods(parts: ZipParts) -> bool:
    if "mimetype" not in parts.archive.NameToInfo:
        return False
    try:
        with parts.archive.open("mimetype") as file:
            return file.read(len(_ODS_MIMETYPE)) == _ODS_MIMETYPE  # calamine compares these bytes only
    except Exception:  # a broken part: calamine cannot read it as .ods either
        return False


def office_document(parts: ZipParts, package: str) -> str | None:
    """The target of the package's officeDocument relationship (the workbook part), as calamine reads it."""
    found: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if local_name(name) == "Relationship" and attrs.get("Type", "").endswith(
            "/relationships/officeDocument"
        ):
            target = attrs.get("Target")
            if target is not None:
                found.append(plain_target(target))

    parse_xml(parts.chunks(package), start, ignore_end)
    return found[-1] if found else None


def plain_target(target: str) -> str:
    """A part's path as written; calamine reads some paths without decoding them, so one that XML would
    decode or normalise (an entity, white space) might not name the part expat reads: refused."""
    if "&" in target or any(char.isspace() for char in target):
        raise Refused(f"a part path {target[:80]!r} that is not a plain path")
    return target
