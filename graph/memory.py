"""The embedded store: the whole graph in memory, on networkx.

`MemoryStore` keeps the nodes by id and by kind, a lean `networkx.DiGraph` of their
edges, and a few indexes beside it (property values, built on first use;
the edges of a node with many neighbours by kind, built when a write touches
it: a department's posts are a look-up away, not a walk past its thousands of
items). Writes are
collected by a `MemoryWriter` and applied together after they have been checked,
so a failed write leaves the store as it was.

The graph is lean, for a province in a few gigabytes: its nodes share one empty
attribute dict (the store keeps the `Node`s beside it), and the data of the edge
u -> v is an `EdgesOfPair`, a small read-only mapping of kind to `Edge` (almost
always one edge), rather than networkx's dict of attributes per edge (two dicts
per edge in a `MultiDiGraph`: some 400 bytes). The store writes the graph's
adjacency itself; networkx's own readers see a `DiGraph` whose edge data maps
each edge kind to its `Edge`.

    >>> from ontology import NodeKind, EdgeKind
    >>> store = MemoryStore()
    >>> with store.writer() as writer:
    ...     writer.add_node(Node("government:巴中市人民政府", NodeKind.GOVERNMENT, {"name": "巴中市人民政府"}))
    ...     writer.add_node(Node("department:巴中市人民政府/巴中市财政局", NodeKind.DEPARTMENT))
    ...     writer.add_edge(Edge("department:巴中市人民政府/巴中市财政局", EdgeKind.DEPARTMENT_OF,
    ...                          "government:巴中市人民政府"))
    >>> store.count(NodeKind.DEPARTMENT)
    1
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, ClassVar

import networkx as nx

from graph.model import Edge, Node
from graph.organisation import holdings_on
from graph.store import check_write
from ontology import EDGE_ENDS, EdgeKind, NodeKind

__all__ = ["EdgesOfPair", "MemoryStore", "MemoryWriter"]

#: a node with more neighbours than this on one side has its edges on that side indexed by kind
_WIDE = 32


class MemoryStore:
    """A graph held in this process's memory; writes are applied one at a time, under a lock."""

    def __init__(self) -> None:
        self._graph: _Graph = _Graph()
        self._nodes: dict[str, Node] = {}
        self._by_kind: dict[NodeKind, dict[str, Node]] = {kind: {} for kind in NodeKind}
        self._index: dict[tuple[NodeKind, str], dict[Any, list[str]]] = {}
        self._sorted: dict[NodeKind, list[str]] = {}
        self._wide: dict[tuple[str, bool], dict[EdgeKind, list[Edge]]] = {}  # (node, outgoing) -> by kind
        self._several = False  # whether a pair of nodes has edges of several kinds (rare: reads check then)
        self._lock = threading.RLock()
        self._version = 0

    # -- reading -----------------------------------------------------------------

    @property
    def version(self) -> int:
        return self._version

    def node(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def nodes_by_id(self, node_ids: Sequence[str]) -> list[Node | None]:
        get = self._nodes.get
        return [get(node_id) for node_id in node_ids]

    def nodes(self, kind: NodeKind) -> Iterator[Node]:
        return iter(list(self._by_kind[kind].values()))

    def count(self, kind: NodeKind) -> int:
        return len(self._by_kind[kind])

    def sorted_ids(self, kind: NodeKind) -> Sequence[str]:
        """Every id of `kind` in order (kept until the next write)."""
        found = self._sorted.get(kind)
        if found is None:
            found = self._sorted[kind] = sorted(self._by_kind[kind])
        return found

    def find(self, kind: NodeKind, prop: str, value: Any) -> list[Node]:
        index = self._index.get((kind, prop))
        if index is None:
            with self._lock:
                index = self._build_index(kind, prop)
        nodes = self._by_kind[kind]
        return [nodes[node_id] for node_id in index.get(value, ())]

    def edges(
        self,
        *,
        source: str | None = None,
        kind: EdgeKind | None = None,
        target: str | None = None,
    ) -> Iterator[Edge]:
        if source is None and target is None and kind is None:
            raise ValueError("edges() needs a source, a target or a kind")
        return iter(self._edges(source, kind, target))

    def edges_from(self, sources: Sequence[str], kind: EdgeKind) -> Mapping[str, list[Edge]]:
        return {source: self._edges(source, kind, None) for source in sources}

    def edges_to(self, targets: Sequence[str], kind: EdgeKind) -> Mapping[str, list[Edge]]:
        return {target: self._edges(None, kind, target) for target in targets}

    def edges_around(
        self, node_ids: Sequence[str], kinds: Collection[EdgeKind], *, incoming: bool = False
    ) -> Mapping[str, list[Edge]]:
        """For each id, its edges of any of `kinds`, out (or, when `incoming`, in): `graph.store.EdgesAround`."""
        wanted = frozenset(kinds)
        if incoming:
            return {
                node_id: [edge for edge in self._edges(None, None, node_id) if edge.kind in wanted]
                for node_id in node_ids
            }
        return {
            node_id: [edge for edge in self._edges(node_id, None, None) if edge.kind in wanted]
            for node_id in node_ids
        }

    def holders(self, post_id: str, on: date) -> list[Node]:
        holdings = (self.node(edge.source) for edge in self._edges(None, EdgeKind.HOLDING_POST, post_id))
        return holdings_on((holding for holding in holdings if holding is not None), on)

    # -- writing -----------------------------------------------------------------

    @contextmanager
    def writer(self) -> Iterator[MemoryWriter]:
        """A writer whose nodes and edges are applied together when the block ends cleanly."""
        writer = MemoryWriter()
        yield writer
        with self._lock:
            self._apply(writer)

    # -- internals ---------------------------------------------------------------

    def _edges(self, source: str | None, kind: EdgeKind | None, target: str | None) -> list[Edge]:
        graph = self._graph
        if source is not None:
            if source not in graph:
                return []
            neighbours = graph._succ[source]
            if target is not None:
                pair = neighbours.get(target)
                return [] if pair is None else pair.of_kind(kind)
            if kind is not None and len(neighbours) > _WIDE:
                return list(self._by_edge_kind(source, outgoing=True).get(kind, ()))
            return self._of_kind(neighbours.values(), kind)
        if target is not None:
            if target not in graph:
                return []
            if kind is not None and len(graph._pred[target]) > _WIDE:
                return list(self._by_edge_kind(target, outgoing=False).get(kind, ()))
            return self._of_kind(graph._pred[target].values(), kind)
        assert kind is not None
        succ = graph._succ
        sources = [node_id for source_kind in EDGE_ENDS[kind][0] for node_id in self._by_kind[source_kind]]
        if self._several:
            return [edge for node_id in sources for edge in self._of_kind(succ[node_id].values(), kind)]
        return [pair.edge for node_id in sources for pair in succ[node_id].values() if pair.edge.kind == kind]

    def _of_kind(self, pairs: Iterable[EdgesOfPair], kind: EdgeKind | None) -> list[Edge]:
        """The edges of `kind` (every edge when None) of the pairs."""
        if not self._several:  # one edge a pair: the first is the only one
            if kind is None:
                return [pair.edge for pair in pairs]
            return [pair.edge for pair in pairs if pair.edge.kind == kind]
        return [edge for pair in pairs for edge in pair.of_kind(kind)]

    def _by_edge_kind(self, node_id: str, *, outgoing: bool) -> dict[EdgeKind, list[Edge]]:
        """The edges on one side of a node by kind, in the graph's order; built under the lock, so that
        a write applied meanwhile (which drops the indexes of the nodes it touches) is all in it or not at all."""
        found = self._wide.get((node_id, outgoing))
        if found is None:
            with self._lock:
                graph = self._graph
                grouped: dict[EdgeKind, list[Edge]] = defaultdict(list)
                for pair in (graph._succ if outgoing else graph._pred).get(node_id, {}).values():
                    for edge in pair.edges():
                        grouped[edge.kind].append(edge)
                found = self._wide[(node_id, outgoing)] = dict(grouped)
        return found

    def _build_index(self, kind: NodeKind, prop: str) -> dict[Any, list[str]]:
        index: dict[Any, list[str]] = defaultdict(list)
        for node_id in sorted(self._by_kind[kind]):
            value = self._by_kind[kind][node_id].props.get(prop)
            if value is not None:
                index[value].append(node_id)
        self._index[(kind, prop)] = dict(index)
        return self._index[(kind, prop)]

    def _apply(self, writer: MemoryWriter) -> None:
        """Check everything the writer holds, then apply it; on any problem, apply nothing."""

        def existing_kind(node_id: str) -> NodeKind | None:
            node = None if writer.cleared else self.node(node_id)
            return None if node is None else node.kind

        check_write(writer.nodes, writer.edges, existing_kind)
        if writer.cleared:
            self._graph = _Graph()
            self._nodes = {}
            self._several = False
            self._by_kind = {kind: {} for kind in NodeKind}
        graph, nodes, by_kind = self._graph, self._nodes, self._by_kind
        graph.add_nodes_from(node_id for node_id in writer.nodes if node_id not in nodes)
        for node_id, node in writer.nodes.items():
            nodes[node_id] = by_kind[node.kind][node_id] = node
        # the adjacency written as DiGraph.add_edge writes it, with the pair's edges as the edge's data
        succ, pred = graph._succ, graph._pred
        for edge in writer.edges:
            source, target = edge.source, edge.target
            pair = succ[source].get(target)
            if pair is None:
                succ[source][target] = pred[target][source] = EdgesOfPair(edge)
            else:
                pair = succ[source][target] = pred[target][source] = pair.with_edge(edge)
                self._several = self._several or bool(pair.others)
        self._index = {}
        self._sorted = {}
        self._index_wide_nodes(writer)
        self._version += 1

    def _index_wide_nodes(self, writer: MemoryWriter) -> None:
        """Index by kind the edges of the nodes with many neighbours that the write touched (all of them
        after a big write), so that no query waits while one is built."""
        graph = self._graph
        sides: Iterable[tuple[str, bool]]
        if writer.cleared or len(writer.edges) > graph.number_of_nodes():
            self._wide = {}
            sides = [
                (node_id, outgoing)
                for outgoing, adjacency in ((True, graph._succ), (False, graph._pred))
                for node_id, neighbours in adjacency.items()
                if len(neighbours) > _WIDE
            ]
        else:
            sides = {(e.source, True) for e in writer.edges} | {(e.target, False) for e in writer.edges}
            for side in sides:
                self._wide.pop(side, None)
        for node_id, outgoing in sides:
            if len((graph._succ if outgoing else graph._pred)[node_id]) > _WIDE:
                self._by_edge_kind(node_id, outgoing=outgoing)


class MemoryWriter:
    """Holds a write until the store applies it: the nodes by id, the edges in the order written (an edge
    written again with the same source, kind and target replaces the first when the write is applied)."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.cleared = False

    def add_node(self, node: Node) -> None:
        self.nodes[node.id] = node

    def add_edge(self, edge: Edge) -> None:
        self.edges.append(edge)

    def clear(self) -> None:
        self.cleared = True
        self.nodes.clear()
        self.edges.clear()


class EdgesOfPair(Mapping[EdgeKind, Edge]):
    """The edges from one node to another, by kind: the data of the pair's edge in the store's networkx
    graph. Read-only, and small: almost every pair has one edge, kept in a slot rather than a dict.

        >>> pair = EdgesOfPair(Edge("unit:1", EdgeKind.UNIT_OF, "department:1"))
        >>> list(pair), pair[EdgeKind.UNIT_OF].target
        ([<EdgeKind.UNIT_OF: 'unitOf'>], 'department:1')
    """

    __slots__ = ("edge", "others")

    def __init__(self, edge: Edge, others: tuple[Edge, ...] = ()) -> None:
        self.edge = edge
        self.others = others  # the pair's edges of other kinds (rare)

    def __getitem__(self, kind: EdgeKind) -> Edge:
        for edge in self.edges():
            if edge.kind == kind:
                return edge
        raise KeyError(kind)

    def __iter__(self) -> Iterator[EdgeKind]:
        return (edge.kind for edge in self.edges())

    def __len__(self) -> int:
        return 1 + len(self.others)

    def __repr__(self) -> str:
        return f"EdgesOfPair({', '.join(repr(edge) for edge in self.edges())})"

    def edges(self) -> tuple[Edge, ...]:
        """The pair's edges, the first written first."""
        return (self.edge, *self.others)

    def of_kind(self, kind: EdgeKind | None) -> list[Edge]:
        """The pair's edges of `kind` (every edge when None)."""
        if not self.others:
            return [self.edge] if kind is None or self.edge.kind == kind else []
        return [edge for edge in self.edges() if kind is None or edge.kind == kind]

    def with_edge(self, edge: Edge) -> EdgesOfPair:
        """The pair with `edge` added, in place of the pair's edge of its kind when there is one."""
        edges = [edge if other.kind == edge.kind else other for other in self.edges()]
        if edge not in edges:  # `in` compares the identity of edges: source, kind, target
            edges.append(edge)
        return EdgesOfPair(edges[0], tuple(edges[1:]))


class _Graph(nx.DiGraph):  # type: ignore[misc]  # networkx has no type hints
    """A `networkx.DiGraph` whose nodes share one empty attribute dict (the store keeps its nodes beside
    the graph), as networkx's documentation shares one edge dict in its `ThinGraph`."""

    _no_attributes: ClassVar[dict[str, Any]] = {}

    def _shared_attributes(self) -> dict[str, Any]:
        return self._no_attributes

    node_attr_dict_factory = _shared_attributes
