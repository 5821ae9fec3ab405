"""A node's properties as GraphQL fields read them: typed getters, and `Source`, where it was read;
and `described_enum`, which makes an enum of the graph a GraphQL enum with a description of each value.

prop_text(item, "duties")      # the property as text, or None when the node has none
source_of(item)                # Source(file="清单.xlsx", sha256=…, sheet="权责清单", row=7, column=None)
described_enum(ReviewStatus, "ReviewStatus", "Where a finding stands …", {"OPEN": "Not decided …", …})
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from enum import Enum
from functools import lru_cache
from pathlib import PurePath

import strawberry

from graph.model import Node

__all__ = ["Source", "described_enum", "prop_date", "prop_int", "prop_text", "source_of"]


@strawberry.type(description="Where a node was read: the file, its sha256, the sheet and the row.")
class Source:
    file: str = strawberry.field(description="The file's name, without the folders it was read from.")
    sha256: str = strawberry.field(
        description="The SHA-256 digest of the file, in lowercase hexadecimal; empty when not known."
    )
    sheet: str = strawberry.field(
        description="The sheet's name as the workbook writes it; for a file without sheets, its name or "
        "title."
    )
    row: int = strawberry.field(description="The row, 1-based as a spreadsheet shows it.")
    column: str | None = strawberry.field(
        description="The header of the column the value was read from; null when it was the whole row."
    )


def described_enum(cls: type[Enum], name: str, description: str, values: Mapping[str, str]) -> None:
    """Make `cls`, an enum of a module that knows nothing of GraphQL (the graph's, the roles'), the
    GraphQL enum `name`, each value described by `values` (by its GraphQL name, the member's). A value
    `values` does not describe is served without a description (and
    tests/api/test_schema_descriptions.py fails)."""
    strawberry.enum(cls, name=name, description=description)
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    definition.values = [
        dataclasses.replace(value, description=values.get(value.name)) for value in definition.values
    ]


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


@lru_cache(maxsize=1024)  # a few files a store; every node read from them asks
def _file_name(file: str) -> str:
    """A file's name without its folders, whether the path was written on POSIX or on Windows: the
    folders are the server's, and nobody's business (the sha256 tells the file apart)."""
    return PurePath(file.replace("\\", "/")).name or file
