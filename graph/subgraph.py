"""A read-only graph of given nodes and edges, held in plain dictionaries: a part of a store, read once.

An analysis of one partition of a province (`graph.analyses.partitions`) runs on the nodes and edges
of that partition only, read from the store in a few bulk calls; `Subgraph` answers the `GraphReader`
protocol over them, as the store would for a graph made of them alone. It is a reader and nothing
more: no writer, no checks (what it is given comes from a store that checked it), no indexes beyond
the ones every read needs. Edges to or from a node that is not given are kept out.

    >>> from ontology import NodeKind, EdgeKind
    >>> part = Subgraph(
    ...     [Node("government:示例市人民政府", NodeKind.GOVERNMENT), Node("department:示例市财政局", NodeKind.DEPARTMENT)],
    ...     [Edge("department:示例市财政局", EdgeKind.DEPARTMENT_OF, "government:示例市人民政府")],
    ... )
    >>> [edge.target for edge in part.edges(source="department:示例市财政局")]
    ['government:示例市人民政府']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from graph.model import EMPTY, Edge, Node, Origin
from graph.organisation import holdings_on
from ontology import EdgeKind, NodeKind

__all__ = ["Parts", "Subgraph"]

Parts = tuple[
    list[tuple[str, NodeKind, dict[str, Any], Origin | None]],
    list[tuple[str, EdgeKind, str, dict[str, Any], Origin | None]],
]
"""A subgraph's nodes and edges as plain tuples (`Subgraph.parts`)."""


class Subgraph:
    """The nodes and edges given, as a `GraphReader` (with `version` 0: it never changes)."""

    def __init__(self, nodes: Iterable[Node], edges: Iterable[Edge]) -> None:
        self._nodes: dict[str, Node] = {}
        self._by_kind: dict[NodeKind, dict[str, Node]] = {kind: {} for kind in NodeKind}
        for node in nodes:
            self._nodes[node.id] = node
            self._by_kind[node.kind][node.id] = node
        known = self._nodes
        self._of_kind: dict[EdgeKind, list[Edge]] = defaultdict(list)
        for edge in edges:
            if edge.source in known and edge.target in known:
                self._of_kind[edge.kind].append(edge)
        # the edges of each node by kind, on each side: made for a kind when first asked (the analyses
        # read edges by kind, `Links`, and seldom ask a node's own)
        self._sides: dict[tuple[EdgeKind, bool], dict[str, list[Edge]]] = {}
        self._index: dict[tuple[NodeKind, str], dict[Any, list[Node]]] = {}

    def parts(self) -> Parts:
        """Its nodes and edges as plain tuples (a node's or edge's properties as a dict), which pickle and
        from which `Subgraph.of_parts` makes it again, in another process."""
        nodes = [(node.id, node.kind, dict(node.props), node.origin) for node in self._nodes.values()]
        edges = [
            (edge.source, edge.kind, edge.target, dict(edge.props), edge.origin)
            for of_kind in self._of_kind.values()
            for edge in of_kind
        ]
        return nodes, edges

    @classmethod
    def of_parts(cls, parts: Parts) -> Subgraph:
        """The subgraph whose `parts()` these are."""
        nodes, edges = parts
        return cls(
            (Node(node_id, kind, props or EMPTY, origin) for node_id, kind, props, origin in nodes),
            (
                Edge(source, kind, target, props or EMPTY, origin)
                for source, kind, target, props, origin in edges
            ),
        )

    @property
    def version(self) -> int:
        return 0

    def node(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def nodes_by_id(self, node_ids: Sequence[str]) -> list[Node | None]:
        return [self._nodes.get(node_id) for node_id in node_ids]

    def nodes(self, kind: NodeKind) -> Iterator[Node]:
        return iter(list(self._by_kind[kind].values()))

    def count(self, kind: NodeKind) -> int:
        return len(self._by_kind[kind])

    def sorted_ids(self, kind: NodeKind) -> Sequence[str]:
        return sorted(self._by_kind[kind])

    def find(self, kind: NodeKind, prop: str, value: Any) -> list[Node]:
        index = self._index.get((kind, prop))
        if index is None:
            index = defaultdict(list)
            for node_id in sorted(self._by_kind[kind]):
                node = self._by_kind[kind][node_id]
                found = node.props.get(prop)
                if found is not None and not isinstance(found, Mapping):
                    index[found].append(node)
            index = self._index[(kind, prop)] = dict(index)
        return list(index.get(value, ()))

    def edges(
        self,
        *,
        source: str | None = None,
        kind: EdgeKind | None = None,
        target: str | None = None,
    ) -> Iterator[Edge]:
        if source is None and target is None and kind is None:
            raise ValueError("edges() needs a source, a target or a kind")
        if source is not None:
            found = self._of(source, kind, outgoing=True)
            return iter([edge for edge in found if target is None or edge.target == target])
        if target is not None:
            return iter(self._of(target, kind, outgoing=False))
        assert kind is not None
        return iter(list(self._of_kind.get(kind, ())))

    def edges_from(self, sources: Sequence[str], kind: EdgeKind) -> Mapping[str, list[Edge]]:
        return {source: self._of(source, kind, outgoing=True) for source in sources}

    def edges_to(self, targets: Sequence[str], kind: EdgeKind) -> Mapping[str, list[Edge]]:
        return {target: self._of(target, kind, outgoing=False) for target in targets}

    def holders(self, post_id: str, on: date) -> list[Node]:
        into = self._of(post_id, EdgeKind.HOLDING_POST, outgoing=False)
        holdings = (self._nodes.get(edge.source) for edge in into)
        return holdings_on((holding for holding in holdings if holding is not None), on)

    def _of(self, node_id: str, kind: EdgeKind | None, *, outgoing: bool) -> list[Edge]:
        """The edges of `kind` (every kind when None) on one side of a node."""
        kinds = list(self._of_kind) if kind is None else [kind]
        found: list[Edge] = []
        for each in kinds:
            side = self._sides.get((each, outgoing))
            if side is None:
                side = defaultdict(list)
                for edge in self._of_kind.get(each, ()):
                    side[edge.source if outgoing else edge.target].append(edge)
                side = self._sides[(each, outgoing)] = dict(side)
            found.extend(side.get(node_id, ()))
        return found
