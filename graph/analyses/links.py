"""The graph's relations as dictionaries, read once per analysis in a few bulk calls.

Analyses over a province touch every item, post and holding; asking the store
one node at a time would cost a round trip each on Neo4j. `Links` reads each
edge kind it is asked for once (`reader.edges(kind=…)`), and answers the
questions every analysis asks: which department a post, unit or item belongs
to, which government a department belongs to, who held a post on a date. It is
an `OrganisationReader`: the rules of the organisation are `graph.organisation`'s,
asked of the bulk read.

    >>> from graph import MemoryStore
    >>> links = Links(MemoryStore())
    >>> links.department_of_post("post:none") is None
    True
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cached_property
from operator import attrgetter

from graph import organisation
from graph.model import Edge, Node
from graph.store import GraphReader
from ontology import EdgeKind, NodeKind

__all__ = ["Links"]


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
        """The ids `source` points to by `kind`, ordered by id."""
        return [edge.target for edge in self.out(kind).get(source, ())]

    def sources(self, target: str, kind: EdgeKind) -> list[str]:
        """The ids pointing to `target` by `kind`, ordered by id."""
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
        """The department of a unit (`graph.organisation.department_of_unit`)."""
        return organisation.department_of_unit(self, unit)

    def department_of_post(self, post: str) -> str | None:
        """The department of a post, directly (leadership) or through its unit
        (`graph.organisation.department_of_post`)."""
        return organisation.department_of_post(self, post)

    def unit_of_post(self, post: str) -> str | None:
        """The unit of a post; None for a leadership post (`graph.organisation.unit_of_post`)."""
        return organisation.unit_of_post(self, post)

    def departments_of_item(self, item: str) -> list[str]:
        """The implementing departments of an item, in the order the list names them."""
        edges = sorted(self.out(EdgeKind.HELD_BY).get(item, ()), key=lambda edge: edge.get("position", 0))
        return [edge.target for edge in edges]

    def posts_of_department(self, department: str) -> list[str]:
        """Every post of a department: its leadership's and its units' (`graph.organisation`)."""
        return organisation.posts_of_department(self, department)

    # -- holdings --

    def holders(self, post: str, on: date) -> list[Node]:
        """The holdings of `post` on `on` (from the bulk read; the same answer as `reader.holders`)."""
        holdings = self.nodes(NodeKind.HOLDING)
        found = (holdings.get(holding) for holding in self.sources(post, EdgeKind.HOLDING_POST))
        return organisation.holdings_on((holding for holding in found if holding is not None), on)

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
            if len(edges) > 1:  # most nodes have one edge of a kind: nothing to order
                edges.sort(key=_edge_order)
        self._out[kind] = dict(out)
        self._in[kind] = dict(into)


#: the order of a node's edges of one kind: by source, then target
_edge_order = attrgetter("source", "target")
