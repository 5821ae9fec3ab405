"""The embedded store: the whole graph in memory, on networkx.

`MemoryStore` keeps a `networkx.MultiDiGraph` whose edge keys are the edge kinds,
and a few indexes beside it (nodes by kind; property values, built on first use;
the edges of a node with many neighbours by kind, built when a write touches
it: a department's posts are a look-up away, not a walk past its thousands of
items). Writes are
collected by a `MemoryWriter` and applied together after they have been checked,
so a failed write leaves the store as it was.

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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import networkx as nx

from graph.model import Edge, Node
from graph.organisation import holdings_on
from graph.store import check_write
from ontology import EDGE_ENDS, EdgeKind, NodeKind

__all__ = ["MemoryStore", "MemoryWriter"]

#: a node with more neighbours than this on one side has its edges on that side indexed by kind
_WIDE = 32


class MemoryStore:
    """A graph held in this process's memory; writes are applied one at a time, under a lock."""

    def __init__(self) -> None:
        self._graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._by_kind: dict[NodeKind, dict[str, Node]] = {kind: {} for kind in NodeKind}
        self._index: dict[tuple[NodeKind, str], dict[Any, list[str]]] = {}
        self._sorted: dict[NodeKind, list[str]] = {}
        self._wide: dict[tuple[str, bool], dict[EdgeKind, list[Edge]]] = {}  # (node, outgoing) -> by kind
        self._lock = threading.RLock()
        self._version = 0

    # -- reading -----------------------------------------------------------------

    @property
    def version(self) -> int:
        return self._version

    def node(self, node_id: str) -> Node | None:
        data = self._graph.nodes.get(node_id)
        if data is None:
            return None
        node: Node = data["node"]
        return node

    def nodes_by_id(self, node_ids: Sequence[str]) -> list[Node | None]:
        nodes = self._graph.nodes
        return [data["node"] if (data := nodes.get(node_id)) is not None else None for node_id in node_ids]

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
                keyed = neighbours.get(target, {})
                return [data["edge"] for key, data in keyed.items() if kind is None or key == kind]
            if kind is not None and len(neighbours) > _WIDE:
                return list(self._by_edge_kind(source, outgoing=True).get(kind, ()))
            return [
                data["edge"]
                for keyed in neighbours.values()
                for key, data in keyed.items()
                if kind is None or key == kind
            ]
        if target is not None:
            if target not in graph:
                return []
            if kind is not None and len(graph._pred[target]) > _WIDE:
                return list(self._by_edge_kind(target, outgoing=False).get(kind, ()))
            return [
                data["edge"]
                for keyed in graph._pred[target].values()
                for key, data in keyed.items()
                if kind is None or key == kind
            ]
        assert kind is not None
        found: list[Edge] = []
        for source_kind in EDGE_ENDS[kind][0]:
            for node_id in self._by_kind[source_kind]:
                for keyed in graph._succ[node_id].values():
                    data = keyed.get(kind)
                    if data is not None:
                        found.append(data["edge"])
        return found

    def _by_edge_kind(self, node_id: str, *, outgoing: bool) -> dict[EdgeKind, list[Edge]]:
        """The edges on one side of a node by kind, in the graph's order; built under the lock, so that
        a write applied meanwhile (which drops the indexes of the nodes it touches) is all in it or not at all."""
        found = self._wide.get((node_id, outgoing))
        if found is None:
            with self._lock:
                graph = self._graph
                grouped: dict[EdgeKind, list[Edge]] = defaultdict(list)
                for keyed in (graph._succ if outgoing else graph._pred).get(node_id, {}).values():
                    for key, data in keyed.items():
                        grouped[key].append(data["edge"])
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

        check_write(writer.nodes, writer.edges.values(), existing_kind)
        if writer.cleared:
            self._graph = nx.MultiDiGraph()
            self._by_kind = {kind: {} for kind in NodeKind}
        graph = self._graph
        for node_id, node in writer.nodes.items():
            graph.add_node(node_id, node=node)
            self._by_kind[node.kind][node_id] = node
        for edge in writer.edges.values():
            graph.add_edge(edge.source, edge.target, key=edge.kind, edge=edge)
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
            sides = {(e.source, True) for e in writer.edges.values()} | {
                (e.target, False) for e in writer.edges.values()
            }
            for side in sides:
                self._wide.pop(side, None)
        for node_id, outgoing in sides:
            if len((graph._succ if outgoing else graph._pred)[node_id]) > _WIDE:
                self._by_edge_kind(node_id, outgoing=outgoing)


class MemoryWriter:
    """Holds a write until the store applies it."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, EdgeKind, str], Edge] = {}
        self.cleared = False

    def add_node(self, node: Node) -> None:
        self.nodes[node.id] = node

    def add_edge(self, edge: Edge) -> None:
        self.edges[edge.key] = edge

    def clear(self) -> None:
        self.cleared = True
        self.nodes.clear()
        self.edges.clear()
