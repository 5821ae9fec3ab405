"""The organisation's relations, written once: post -> unit -> department, holdings on a date, heads and
deputies in charge.

A post is placed in a unit, or directly in its department (the leadership's posts); a unit belongs to
a department; a holding is of a person and of a post, for a period. Every rule about these is here, and
every part of quanze asks them through one small protocol, `OrganisationReader`, that each way of
reading offers: the analyses' bulk `Links` as it is, a store through `ReaderView`, a GraphQL request's
loaders through `LoaderView`. So a trace, a gap and an API answer name the same department and the same
holder.

A holding covers a date when it started on or before it (or has no start) and has not ended: its
period is half-open, [start, end), the end being the first day not held. `covers` says so for one
holding, `holdings_on` picks and orders them, and every store's `holders` gives that answer.

    >>> from graph import MemoryStore
    >>> department_of_post(ReaderView(MemoryStore()), "post:none") is None
    True
    >>> covers(Node("holding:1", NodeKind.HOLDING, {"end": date(2024, 6, 1)}), date(2024, 5, 31))
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from graph.model import Edge, Node
from graph.store import GraphReader
from ontology import EdgeKind, NodeKind, PostCategory

__all__ = [
    "LEADING_CATEGORIES",
    "LoaderView",
    "NodeLoader",
    "OrganisationReader",
    "ReaderView",
    "covers",
    "department_head",
    "department_of_post",
    "department_of_unit",
    "deputy_in_charge",
    "head_posts",
    "holder",
    "holder_of_category",
    "holdings_in_order",
    "holdings_on",
    "posts_in",
    "posts_of_department",
    "unit_of_post",
]

LEADING_CATEGORIES = frozenset({PostCategory.HEAD, PostCategory.DEPUTY, PostCategory.UNIT_HEAD})
"""The categories of the posts that lead: a person holding one answers as a leader."""


def covers(holding: Node, on: date) -> bool:
    """Whether the holding lasts on `on`: started on or before it (or no start) and not ended by it.

    The period is half-open, [start, end): on its end date the holding is over. A holding without
    dates (a place on a quota without a post) covers every date.
    """
    start: date | None = holding.get("start")
    end: date | None = holding.get("end")
    return (start is None or start <= on) and (end is None or on < end)


def holdings_in_order(holdings: Iterable[Node]) -> list[Node]:
    """The holdings ordered by start (those without one first), then by id."""
    return sorted(holdings, key=lambda holding: (holding.get("start") or date.min, holding.id))


def holdings_on(holdings: Iterable[Node], on: date) -> list[Node]:
    """The holdings that cover `on` (`covers`), ordered by start, then by id: what `holders` gives."""
    return holdings_in_order(holding for holding in holdings if covers(holding, on))


class OrganisationReader(Protocol):
    """The reads the rules of this module are written over."""

    def node(self, kind: NodeKind, node_id: str) -> Node | None:
        """The node of `kind` with this id; None when there is none, or it is of another kind."""
        ...

    def targets(self, source: str, kind: EdgeKind) -> list[str]:
        """The ids `source` points to by `kind`, ordered by id."""
        ...

    def sources(self, target: str, kind: EdgeKind) -> list[str]:
        """The ids pointing to `target` by `kind`, ordered by id."""
        ...

    def holders(self, post: str, on: date) -> list[Node]:
        """The holdings of `post` on `on`, as `holdings_on` orders them."""
        ...


def department_of_post(reader: OrganisationReader, post: str) -> str | None:
    """The id of the department a post belongs to: the one it is placed in (a leadership post), or its
    unit's; None for a post placed nowhere."""
    place = _first(reader.targets(post, EdgeKind.POST_IN))
    if place is None:
        return None
    if reader.node(NodeKind.DEPARTMENT, place) is not None:
        return place
    return department_of_unit(reader, place)


def unit_of_post(reader: OrganisationReader, post: str) -> str | None:
    """The id of the unit a post is placed in; None for a leadership post (placed in its department)."""
    place = _first(reader.targets(post, EdgeKind.POST_IN))
    return place if place is not None and reader.node(NodeKind.UNIT, place) is not None else None


def department_of_unit(reader: OrganisationReader, unit: str) -> str | None:
    """The id of the department a unit belongs to."""
    return _first(reader.targets(unit, EdgeKind.UNIT_OF))


def posts_of_department(reader: OrganisationReader, department: str) -> list[str]:
    """The ids of every post of a department, its leadership's and its units', ordered by id."""
    posts = list(reader.sources(department, EdgeKind.POST_IN))
    for unit in reader.sources(department, EdgeKind.UNIT_OF):
        posts.extend(reader.sources(unit, EdgeKind.POST_IN))
    return sorted(posts)


def posts_in(reader: OrganisationReader, place: str, category: PostCategory | None = None) -> list[Node]:
    """The posts placed directly in a unit or department (of `category` when given), ordered by id."""
    found = (reader.node(NodeKind.POST, post) for post in reader.sources(place, EdgeKind.POST_IN))
    return [
        post for post in found if post is not None and (category is None or post.get("category") == category)
    ]


def head_posts(reader: OrganisationReader, department: str) -> list[Node]:
    """The department's head posts (`PostCategory.HEAD`, in its leadership), ordered by id."""
    return posts_in(reader, department, PostCategory.HEAD)


def department_head(reader: OrganisationReader, department: str, on: date) -> Node | None:
    """The holding of the department's head post on `on` (of the first head post held, the earliest
    started holding), or None."""
    for post in head_posts(reader, department):
        holdings = reader.holders(post.id, on)
        if holdings:
            return holdings[0]
    return None


def holder(reader: OrganisationReader, post: str, on: date) -> str | None:
    """The id of the person who held `post` on `on` (the earliest started, if several), or None."""
    for holding in reader.holders(post, on):
        person = _first(reader.targets(holding.id, EdgeKind.HOLDING_OF))
        if person:
            return person
    return None


def holder_of_category(
    reader: OrganisationReader, place: str, category: PostCategory, on: date
) -> str | None:
    """The id of the person holding, on `on`, a post of `category` placed directly in the unit or
    department (the first such post held, by id): the unit head, the department head."""
    for post in posts_in(reader, place, category):
        person = holder(reader, post.id, on)
        if person:
            return person
    return None


def deputy_in_charge(reader: OrganisationReader, unit: str, on: date) -> str | None:
    """The id of the person holding, on `on`, a post that supervises the unit (分管领导; the first such
    post held, by id), or None."""
    for post in reader.sources(unit, EdgeKind.SUPERVISES):
        person = holder(reader, post, on)
        if person:
            return person
    return None


class ReaderView:
    """A `GraphReader` as an `OrganisationReader`: each question one call to the store (for a trace,
    which asks about a few posts; the analyses, which ask about all of them, read through `Links`)."""

    def __init__(self, reader: GraphReader) -> None:
        self.reader = reader

    def node(self, kind: NodeKind, node_id: str) -> Node | None:
        """The node of `kind` with this id, or None."""
        return _of_kind(self.reader.node(node_id), kind)

    def targets(self, source: str, kind: EdgeKind) -> list[str]:
        """The ids `source` points to by `kind`, ordered by id."""
        return sorted(edge.target for edge in self.reader.edges(source=source, kind=kind))

    def sources(self, target: str, kind: EdgeKind) -> list[str]:
        """The ids pointing to `target` by `kind`, ordered by id."""
        return sorted(edge.source for edge in self.reader.edges(target=target, kind=kind))

    def holders(self, post: str, on: date) -> list[Node]:
        """The store's holdings of `post` on `on`."""
        return self.reader.holders(post, on)


class NodeLoader(Protocol):
    """A reader that loads nodes and the edges of one node, batching as it likes (the API's request
    loaders, `api.context.Loaders`)."""

    def node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""
        ...

    def out(self, node_id: str, kind: EdgeKind) -> list[Edge]:
        """The node's out-edges of `kind`."""
        ...

    def into(self, node_id: str, kind: EdgeKind) -> list[Edge]:
        """The node's in-edges of `kind`."""
        ...

    def holders(self, post: str, on: date) -> list[Node]:
        """The holdings of `post` on `on`, as `holdings_on` orders them."""
        ...


class LoaderView:
    """A `NodeLoader` as an `OrganisationReader`, so that the API's fields batch as its loaders do."""

    def __init__(self, loader: NodeLoader) -> None:
        self.loader = loader

    def node(self, kind: NodeKind, node_id: str) -> Node | None:
        """The node of `kind` with this id, or None."""
        return _of_kind(self.loader.node(node_id), kind)

    def targets(self, source: str, kind: EdgeKind) -> list[str]:
        """The ids `source` points to by `kind`, ordered by id."""
        return sorted(edge.target for edge in self.loader.out(source, kind))

    def sources(self, target: str, kind: EdgeKind) -> list[str]:
        """The ids pointing to `target` by `kind`, ordered by id."""
        return sorted(edge.source for edge in self.loader.into(target, kind))

    def holders(self, post: str, on: date) -> list[Node]:
        """The loader's holdings of `post` on `on`."""
        return self.loader.holders(post, on)


def _first(ids: list[str]) -> str | None:
    return ids[0] if ids else None


def _of_kind(node: Node | None, kind: NodeKind) -> Node | None:
    return node if node is not None and node.kind is kind else None
