"""The per-request context of a GraphQL call: the reader, the caller's role and the DataLoaders.

DataLoaders are made anew for every request, so users never read each other's
cache, and every relation a list can fan out into goes through one: a page of
50 items with their departments and laws costs a fixed number of store calls.

    context = Context(reader=store, role=Role.PUBLIC)
    department = await context.loaders.node.load("department:巴中市人民政府/巴中市财政局")
    held_by = await context.loaders.out(EdgeKind.HELD_BY).load(item_id)   # -> list[Edge]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from strawberry.dataloader import DataLoader

from api.cache import AnalysisCache
from api.roles import Role
from graph.model import Edge, Node
from graph.store import GraphReader, covers
from ontology import EdgeKind

__all__ = ["Context", "Loaders"]


class Loaders:
    """One request's DataLoaders over a reader: nodes by id, out- and in-edges by kind."""

    def __init__(self, reader: GraphReader) -> None:
        self.reader = reader
        self.node: DataLoader[str, Node | None] = DataLoader(load_fn=self._load_nodes)
        self._out: dict[EdgeKind, DataLoader[str, list[Edge]]] = {}
        self._in: dict[EdgeKind, DataLoader[str, list[Edge]]] = {}

    def out(self, kind: EdgeKind) -> DataLoader[str, list[Edge]]:
        """Loads a node's out-edges of `kind`."""
        loader = self._out.get(kind)
        if loader is None:
            loader = self._out[kind] = DataLoader(load_fn=self._edges_loader(kind, outgoing=True))
        return loader

    def into(self, kind: EdgeKind) -> DataLoader[str, list[Edge]]:
        """Loads a node's in-edges of `kind`."""
        loader = self._in.get(kind)
        if loader is None:
            loader = self._in[kind] = DataLoader(load_fn=self._edges_loader(kind, outgoing=False))
        return loader

    async def targets(self, source: str, kind: EdgeKind) -> list[Node]:
        """The nodes `source` points to by `kind`, in the order of the edges."""
        edges = await self.out(kind).load(source)
        return _present(await self.node.load_many([edge.target for edge in edges]))

    async def sources(self, target: str, kind: EdgeKind) -> list[Node]:
        """The nodes pointing to `target` by `kind`, ordered by id."""
        edges = await self.into(kind).load(target)
        return _present(await self.node.load_many(sorted(edge.source for edge in edges)))

    async def target(self, source: str, kind: EdgeKind) -> Node | None:
        """The first node `source` points to by `kind`, or None."""
        found = await self.targets(source, kind)
        return found[0] if found else None

    async def targets_of_many(self, sources: Sequence[str], kind: EdgeKind) -> list[Node | None]:
        """For each source, the first node it points to by `kind` (None for none), in one batch."""
        edges = await self.out(kind).load_many(list(sources))
        return await self.node.load_many([found[0].target if found else "" for found in edges])

    async def holders(self, post: str, on: date) -> list[Node]:
        """The holdings of `post` that cover `on`, ordered by start: batched, unlike `reader.holders`."""
        holdings = await self.sources(post, EdgeKind.HOLDING_POST)
        return sorted((h for h in holdings if covers(h, on)), key=lambda h: (h["start"], h.id))

    async def _load_nodes(self, ids: Sequence[str]) -> list[Node | None]:
        return self.reader.nodes_by_id(list(ids))

    def _edges_loader(self, kind: EdgeKind, *, outgoing: bool):  # type: ignore[no-untyped-def]
        async def load(ids: Sequence[str]) -> list[list[Edge]]:
            keys = list(ids)
            found = self.reader.edges_from(keys, kind) if outgoing else self.reader.edges_to(keys, kind)
            return [found.get(key, []) for key in keys]

        return load


@dataclass
class Context:
    """What every resolver sees: the reader, the caller's role, today's date, the request's loaders and
    the analyses' results (shared across requests when the service passes its cache in)."""

    reader: GraphReader
    role: Role = Role.PUBLIC
    today: date = field(default_factory=date.today)
    analyses: AnalysisCache | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.reader)
        if self.analyses is None:
            self.analyses = AnalysisCache(self.reader)

    @property
    def cache(self) -> AnalysisCache:
        assert self.analyses is not None
        return self.analyses


def _present(nodes: Sequence[Node | None]) -> list[Node]:
    return [node for node in nodes if node is not None]
