"""Typed nodes and edges with stable ids, and where each came from.

A `Node` is one thing of the ontology (a department, a post, a power item …); an
`Edge` one relation between two nodes. Both are immutable. Relations that carry
dates (a person holding a post) are nodes of their own (`Holding`), as in W3C
ORG's `Membership`; edges carry only small properties, such as the paragraph of a
cited article.

Every node and edge remembers its `Origin`: the file, the file's hash, the sheet
and the row it was read from, so an investigator can go from any answer back to
the cell.

A node's properties are any mapping. A loader of many nodes gives them as `Props`:
a read-only mapping that keeps the values in a tuple and shares the names and their
positions with every node of the same shape (a power item's dozen properties take
some 200 bytes, not a dict's 464).

    >>> from ontology import NodeKind
    >>> node = Node("department:巴中市人民政府/巴中市财政局", NodeKind.DEPARTMENT, {"name": "巴中市财政局"})
    >>> node["name"], node.get("code")
    ('巴中市财政局', None)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ontology import EdgeKind, NodeKind

__all__ = ["EMPTY", "Edge", "Node", "Origin", "Props"]

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


class Props(Mapping[str, Any]):
    """Properties kept compactly: their values in a tuple, their names (name -> position) in a dict
    shared by every `Props` of the same names. A read-only mapping, equal to the dict of the same items.

        >>> shapes: dict[tuple[str, ...], dict[str, int]] = {}
        >>> props = Props.of({"name": "巴中市财政局", "code": "CZ"}, shapes)
        >>> props["name"], props.get("quota"), props == {"code": "CZ", "name": "巴中市财政局"}
        ('巴中市财政局', None, True)
        >>> Props.of({"name": "巴中市商务局", "code": "SW"}, shapes)._positions is props._positions
        True
    """

    __slots__ = ("_positions", "_values")

    def __init__(self, positions: Mapping[str, int], values: tuple[Any, ...]) -> None:
        self._positions = positions
        self._values = values

    @classmethod
    def of(
        cls, props: Mapping[str, Any], shapes: dict[tuple[str, ...], dict[str, int]] | None = None
    ) -> Props:
        """`props` kept compactly; `shapes` (names -> positions) lets properties of the same names share
        their positions (give one dict to every call of a load)."""
        names = tuple(props)
        positions = None if shapes is None else shapes.get(names)
        if positions is None:
            positions = {name: position for position, name in enumerate(names)}
            if shapes is not None:
                shapes[names] = positions
        return cls(positions, tuple(props.values()))

    def __getitem__(self, name: str) -> Any:
        return self._values[self._positions[name]]

    def get(self, name: str, default: Any = None) -> Any:
        position = self._positions.get(name)
        return default if position is None else self._values[position]

    def __contains__(self, name: object) -> bool:
        return name in self._positions

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Props) and other._positions is self._positions:
            return self._values == other._values
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # a mapping: equal to a dict, which has no hash

    def __repr__(self) -> str:
        return repr(dict(zip(self._positions, self._values, strict=True)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Props, (self._positions, self._values))
