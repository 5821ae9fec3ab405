"""Typed nodes and edges with stable ids, and where each came from.

A `Node` is one thing of the ontology (a department, a post, a power item …); an
`Edge` one relation between two nodes. Both are immutable. Relations that carry
dates (a person holding a post) are nodes of their own (`Holding`), as in W3C
ORG's `Membership`; edges carry only small properties, such as the paragraph of a
cited article.

Every node and edge remembers its `Origin`: the file, the file's hash, the sheet
and the row it was read from, so an investigator can go from any answer back to
the cell.

    >>> from ontology import NodeKind
    >>> node = Node("department:巴中市人民政府/巴中市财政局", NodeKind.DEPARTMENT, {"name": "巴中市财政局"})
    >>> node["name"], node.get("code")
    ('巴中市财政局', None)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ontology import EdgeKind, NodeKind

__all__ = ["EMPTY", "Edge", "Node", "Origin"]

EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True, order=True)
class Origin:
    """Where a node or edge was read: file, its sha256, sheet, row (1-based, as a spreadsheet shows)."""

    file: str
    sha256: str
    sheet: str
    row: int
    column: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}, sheet {self.sheet}, row {self.row}"
        return f"{where}, column {self.column}" if self.column else where


@dataclass(frozen=True, slots=True)
class Node:
    """A node: a stable `id`, its `kind`, its properties and its origin."""

    id: str
    kind: NodeKind
    props: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    origin: Origin | None = field(default=None, compare=False)

    def __hash__(self) -> int:
        return hash(self.id)

    def __getitem__(self, prop: str) -> Any:
        return self.props[prop]

    def get(self, prop: str, default: Any = None) -> Any:
        """The property `prop`, or `default` when the node has none."""
        value = self.props.get(prop)
        return default if value is None else value


@dataclass(frozen=True, slots=True)
class Edge:
    """A directed edge `source -> target` of one kind; (source, kind, target) is its identity."""

    source: str
    kind: EdgeKind
    target: str
    props: Mapping[str, Any] = field(default_factory=lambda: EMPTY, compare=False)
    origin: Origin | None = field(default=None, compare=False)

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def key(self) -> tuple[str, EdgeKind, str]:
        """The edge's identity: two edges with the same key are the same relation."""
        return (self.source, self.kind, self.target)

    def get(self, prop: str, default: Any = None) -> Any:
        """The property `prop`, or `default` when the edge has none."""
        value = self.props.get(prop)
        return default if value is None else value
