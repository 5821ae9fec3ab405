"""The graph's relations as dictionaries, read once per analysis in a few bulk calls.

Analyses over a province touch every item, post and holding; asking the store
one node at a time would cost a round trip each on Neo4j. `Links` reads each
edge kind it is asked for once (`reader.edges(kind=…)`), and answers the
questions every analysis asks: which department a post, unit or item belongs
to, which government a department belongs to, who held a post on a date.

    >>> from graph import MemoryStore
    >>> links = Links(MemoryStore())
    >>> links.department_of_post("post:none") is None
    True
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cached_property

from graph.model import Edge, Node
from graph.store import GraphReader
from ontology import EdgeKind, NodeKind

__all__ = ["Links", "on_date"]


def on_date(holding: Node, on: date) -> bool:
    """Whether a holding lasts on `on`; a holding without dates (a quota without a post) always does."""
    start: date | None = holding.get("start")
    end: date | None = holding.get("end")
    return (start is None or start <= on) and (end is None or on < end)


class Links:
    """Bulk-read relations of one reader, each edge kind read on first use."""

    def __init__(self, reader: GraphReader) -> None:
        self.reader = reader
        self._out: dict[EdgeKind, dict[str, list[Edge]]] = {}
        self._in: dict[EdgeKind, dict[str, list[Edge]]] = {}
        self._nodes: dict[NodeKind, dict[str, Node]] = {}

    def nodes(self, kind: NodeKind) -> dict[str, Node]:
        """Every node of `kind` by id."""
        found = self._nodes.get(kind)
        if found is None:
            found = self._nodes[kind] = {node.id: node for node in self.reader.nodes(kind)}
        return found

    def node(self, kind: NodeKind, node_id: str) -> Node | None:
        """The node of `kind` with this id, from the bulk read."""
        return self.nodes(kind).get(node_id)

    def out(self, kind: EdgeKind) -> dict[str, list[Edge]]:
        """Out-edges of `kind` by source id."""
        if kind not in self._out:
            self._read(kind)
        return self._out[kind]

    def into(self, kind: EdgeKind) -> dict[str, list[Edge]]:
        """In-edges of `kind` by target id."""
        if kind not in self._in:
            self._read(kind)
        return self._in[kind]

    def targets(self, source: str, kind: EdgeKind) -> list[str]:
        """The ids `source` points to by `kind`."""
        return [edge.target for edge in self.out(kind).get(source, ())]

    def sources(self, target: str, kind: EdgeKind) -> list[str]:
        """The ids pointing to `target` by `kind`."""
        return [edge.source for edge in self.into(kind).get(target, ())]

    def first_target(self, source: str, kind: EdgeKind) -> str | None:
        edges = self.out(kind).get(source)
        return edges[0].target if edges else None

    # -- the organisation --

    @cached_property
    def government_of(self) -> dict[str, str]:
        """Department id -> government id."""
        return {source: edges[0].target for source, edges in self.out(EdgeKind.DEPARTMENT_OF).items()}

    def department_of_unit(self, unit: str) -> str | None:
        return self.first_target(unit, EdgeKind.UNIT_OF)

    def department_of_post(self, post: str) -> str | None:
        """The department of a post, directly (leadership) or through its unit."""
        place = self.first_target(post, EdgeKind.POST_IN)
        if place is None:
            return None
        if place in self.nodes(NodeKind.DEPARTMENT):
            return place
        return self.department_of_unit(place)

    def unit_of_post(self, post: str) -> str | None:
        place = self.first_target(post, EdgeKind.POST_IN)
        return place if place is not None and place in self.nodes(NodeKind.UNIT) else None

    def departments_of_item(self, item: str) -> list[str]:
        """The implementing departments of an item, in the order the list names them."""
        edges = sorted(self.out(EdgeKind.HELD_BY).get(item, ()), key=lambda edge: edge.get("position", 0))
        return [edge.target for edge in edges]

    def posts_of_department(self, department: str) -> list[str]:
        """Every post of a department: its leadership's and its units'."""
        posts = list(self.sources(department, EdgeKind.POST_IN))
        for unit in self.sources(department, EdgeKind.UNIT_OF):
            posts.extend(self.sources(unit, EdgeKind.POST_IN))
        return sorted(posts)

    # -- holdings --

    @cached_property
    def holdings_of_post(self) -> dict[str, list[Node]]:
        """Post id -> its holdings, ordered by start."""
        holdings = self.nodes(NodeKind.HOLDING)
        found: dict[str, list[Node]] = defaultdict(list)
        for post, edges in self.into(EdgeKind.HOLDING_POST).items():
            found[post] = sorted(
                (holdings[edge.source] for edge in edges if edge.source in holdings),
                key=lambda holding: (holding.get("start") or date.min, holding.id),
            )
        return found

    def holders(self, post: str, on: date) -> list[Node]:
        """The holdings of `post` on `on` (from the bulk read; the same answer as `reader.holders`)."""
        return [holding for holding in self.holdings_of_post.get(post, ()) if on_date(holding, on)]

    def person_of(self, holding: str) -> str | None:
        return self.first_target(holding, EdgeKind.HOLDING_OF)

    def post_of(self, holding: str) -> str | None:
        return self.first_target(holding, EdgeKind.HOLDING_POST)

    def quota_of(self, holding: str) -> str | None:
        return self.first_target(holding, EdgeKind.QUOTA_IN)

    def _read(self, kind: EdgeKind) -> None:
        out: dict[str, list[Edge]] = defaultdict(list)
        into: dict[str, list[Edge]] = defaultdict(list)
        for edge in self.reader.edges(kind=kind):
            out[edge.source].append(edge)
            into[edge.target].append(edge)
        for edges in (*out.values(), *into.values()):
            edges.sort(key=lambda edge: (edge.source, edge.target))
        self._out[kind] = dict(out)
        self._in[kind] = dict(into)
