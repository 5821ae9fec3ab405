"""What a store offers: a read view with a few primitives and an all-or-nothing writer.

Everything derived (analyses, traces, the GraphQL types) is written once, over
`GraphReader`, so it runs unchanged on every backend. A backend may offer faster
paths through optional protocols; callers check for them with `isinstance` and
fall back to the primitives.

    with store.writer() as writer:       # all or nothing
        writer.add_node(node)
        writer.add_edge(edge)
    store.holders("post:CZ-001", date(2024, 3, 5))
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any, Protocol, runtime_checkable

from graph.errors import GraphIntegrityError
from graph.model import Edge, Node
from graph.text import normalize
from ontology import EDGE_ENDS, EdgeKind, NodeKind

__all__ = [
    "SEARCHED_PROPS",
    "CaseColumns",
    "CaseFacts",
    "EdgesAround",
    "GraphReader",
    "GraphStore",
    "GraphWriter",
    "ItemFacts",
    "PowerItemSearch",
    "SortedIds",
    "check_write",
    "searched_texts",
    "sorted_ids",
]

SEARCHED_PROPS = ("name", "sub_item", "code")
"""The properties of a power item that a text search looks in (normalised), the same on every store."""


@runtime_checkable
class GraphReader(Protocol):
    """A read view of a graph."""

    @property
    def version(self) -> int:
        """A number that changes whenever the graph does (for caches)."""
        ...

    def node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""
        ...

    def nodes_by_id(self, node_ids: Sequence[str]) -> list[Node | None]:
        """The nodes with these ids, in the same order, None for each missing one."""
        ...

    def nodes(self, kind: NodeKind) -> Iterator[Node]:
        """Every node of `kind`, in no particular order."""
        ...

    def count(self, kind: NodeKind) -> int:
        """How many nodes of `kind` there are."""
        ...

    def find(self, kind: NodeKind, prop: str, value: Any) -> list[Node]:
        """The nodes of `kind` whose property `prop` equals `value`, ordered by id."""
        ...

    def edges(
        self,
        *,
        source: str | None = None,
        kind: EdgeKind | None = None,
        target: str | None = None,
    ) -> Iterator[Edge]:
        """The edges matching every given end and kind, in no particular order (an order that matters is an
        edge property, such as the `position` of a citation); at least one end or the kind must be given."""
        ...

    def edges_from(self, sources: Sequence[str], kind: EdgeKind) -> Mapping[str, list[Edge]]:
        """For each source id, its out-edges of `kind` (an empty list for none)."""
        ...

    def edges_to(self, targets: Sequence[str], kind: EdgeKind) -> Mapping[str, list[Edge]]:
        """For each target id, its in-edges of `kind` (an empty list for none)."""
        ...

    def holders(self, post_id: str, on: date) -> list[Node]:
        """The holdings of `post_id` that cover the date `on`, ordered by start, then id: the answer of
        `graph.organisation.holdings_on` (a period is [start, end); a holding without a start covers
        every date until its end)."""
        ...


class GraphWriter(Protocol):
    """Collects nodes and edges and applies them together when the `with` block ends cleanly.

    If the block raises, or what was written would break the graph (an edge to a
    missing node, an edge between the wrong kinds), nothing is applied.
    """

    def add_node(self, node: Node) -> None:
        """Add `node`, or replace the node with the same id."""
        ...

    def add_edge(self, edge: Edge) -> None:
        """Add `edge`, or replace the edge with the same source, kind and target."""
        ...

    def clear(self) -> None:
        """Remove everything already in the store when this write is applied."""
        ...


@runtime_checkable
class GraphStore(GraphReader, Protocol):
    """A reader that can also be written to."""

    def writer(self) -> AbstractContextManager[GraphWriter]:
        """A writer, all or nothing: use it in a `with` block."""
        ...


@runtime_checkable
class SortedIds(Protocol):
    """An optional fast path: the ids of a kind in order, without reading the nodes (for paging)."""

    def sorted_ids(self, kind: NodeKind) -> Sequence[str]:
        """Every id of `kind`, in ascending order."""
        ...


@runtime_checkable
class PowerItemSearch(Protocol):
    """An optional fast path: the power items a text search should look at, from an index."""

    def power_items_containing(self, wanted: str) -> list[Node] | None:
        """The power items one of whose `searched_texts` may contain `wanted` (normalised): every item that
        does, and perhaps some that do not (the caller checks each); None when the store cannot tell
        without reading every item (the caller then does)."""
        ...


@runtime_checkable
class EdgesAround(Protocol):
    """An optional fast path: the edges of several kinds of many nodes in one call (for reading a part of
    the graph, `graph.analyses.partitions`, rather than one call for each kind)."""

    def edges_around(
        self, node_ids: Sequence[str], kinds: Collection[EdgeKind], *, incoming: bool = False
    ) -> Mapping[str, list[Edge]]:
        """For each id, its out-edges of any of `kinds` (its in-edges when `incoming`), an empty list for none."""
        ...


@runtime_checkable
class CaseNeighbourhood(Protocol):
    """An optional fast path for a store across a network: everything a trace of one case reads, in one
    round trip, so that the trace runs on a copy in memory rather than asking ~50 questions in turn."""

    def case_neighbourhood(self, case_id: str) -> tuple[list[Node], list[Edge]] | None:
        """The case, its item, steps, performers and records, the item's citations and stages, the
        stages' posts, units and departments, every post placed in those units and departments or
        supervising those units, their holdings and the persons holding them: the nodes, and the edges
        of those kinds between them. None when there is no such case."""
        ...


CaseFacts = tuple[str, str, str, date, date | None, str | None]
"""A case as the case index reads it: its node id, number (办件编号), item id, accepted, closed, outcome."""

ItemFacts = tuple[Node, tuple[str, ...]]
"""A power item that has cases, and its departments (the list's, then its stages'), sorted and unique."""


@runtime_checkable
class CaseColumns(Protocol):
    """An optional fast path for a store across a network: what the case index (`graph.analyses.cases`)
    reads, in a few queries rather than a million records of nodes and edges."""

    def case_columns(self) -> tuple[list[CaseFacts], list[ItemFacts]]:
        """Every case that has an item (`caseOf`), in no particular order, and every item those cases are
        of, with the departments that hold it (`heldBy`) or carry one of its stages (`stageDepartment`)."""
        ...


def sorted_ids(reader: GraphReader, kind: NodeKind) -> Sequence[str]:
    """The ids of `kind` in order: from the store's fast path when it has one."""
    if isinstance(reader, SortedIds):
        return reader.sorted_ids(kind)
    return sorted(node.id for node in reader.nodes(kind))


def check_write(
    nodes: Mapping[str, Node], edges: Iterable[Edge], kind_of_existing: Callable[[str], NodeKind | None]
) -> None:
    """Raise `GraphIntegrityError` if a write of `nodes` and `edges` would break the graph: a node
    changing its kind, an edge to a node that is nowhere, an edge between the wrong kinds.

    `kind_of_existing` gives the kind of a node already in the store (None when there is none): every
    store checks its writes with this one function, so they refuse the same writes with the same words.
    """
    for node_id, node in nodes.items():
        was = kind_of_existing(node_id)
        if was is not None and was != node.kind:
            raise GraphIntegrityError(
                f"node {node_id} is a {was.value}; it cannot become a {node.kind.value}"
            )

    def kind_of(node_id: str) -> NodeKind | None:
        node = nodes.get(node_id)
        return node.kind if node is not None else kind_of_existing(node_id)

    problems: list[str] = []
    for edge in edges:
        sources, targets = EDGE_ENDS[edge.kind]
        source_kind, target_kind = kind_of(edge.source), kind_of(edge.target)
        if source_kind is None or target_kind is None:
            missing = edge.source if source_kind is None else edge.target
            problems.append(f"edge {edge.kind.value} {edge.source} -> {edge.target}: no node {missing}")
        elif source_kind not in sources or target_kind not in targets:
            problems.append(
                f"edge {edge.kind.value} cannot go from a {source_kind.value} to a {target_kind.value}"
            )
        if len(problems) >= 20:
            break
    if problems:
        raise GraphIntegrityError("the write would break the graph:\n  " + "\n  ".join(problems))


def searched_texts(item: Node) -> list[str]:
    """The normalised texts of a power item that a text search looks in: its `SEARCHED_PROPS` that are text
    (a missing sub-item, None, has none).

    >>> searched_texts(Node("powerItem:1", NodeKind.POWER_ITEM, {"name": "行政許可", "sub_item": None}))
    ['行政许可']
    """
    return [normalize(value) for prop in SEARCHED_PROPS if isinstance(value := item.get(prop), str)]
