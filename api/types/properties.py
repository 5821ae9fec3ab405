"""A node's properties as GraphQL fields read them: typed getters, and `Source`, where it was read.

prop_text(item, "duties")      # the property as text, or None when the node has none
source_of(item)                # Source(file="清单.xlsx", sha256=…, sheet="权责清单", row=7, column=None)
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

import strawberry

from graph.model import Node

__all__ = ["Source", "prop_date", "prop_int", "prop_text", "source_of"]


@strawberry.type(description="Where a node was read: the file, its sha256, the sheet and the row.")
class Source:
    file: str  # the file's name only: the folders it was read from are the server's
    sha256: str
    sheet: str
    row: int
    column: str | None


def source_of(node: Node) -> Source | None:
    """Where `node` was read, or None for a node that was not read from a file."""
    origin = node.origin
    if origin is None:
        return None
    return Source(
        file=_file_name(origin.file),
        sha256=origin.sha256,
        sheet=origin.sheet,
        row=origin.row,
        column=origin.column,
    )


def prop_text(node: Node | None, prop: str) -> str | None:
    """The property as text; None without a node or the property."""
    value = None if node is None else node.get(prop)
    return None if value is None else str(value)


def prop_int(node: Node | None, prop: str) -> int | None:
    """The property when it is an integer, else None."""
    value = None if node is None else node.get(prop)
    return value if isinstance(value, int) else None


def prop_date(node: Node | None, prop: str) -> date | None:
    """The property when it is a date, else None."""
    value = None if node is None else node.get(prop)
    return value if isinstance(value, date) else None


def _file_name(file: str) -> str:
    """A file's name without its folders, whether the path was written on POSIX or on Windows: the
    folders are the server's, and nobody's business (the sha256 tells the file apart)."""
    return PurePath(file.replace("\\", "/")).name or file
