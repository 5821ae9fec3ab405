"""Pages of a list in the Relay convention: `Connection`, `Edge`, `PageInfo`, opaque cursors.

A cursor is the id of the last node of a page, encoded; the next page starts after it.

    paginate(departments, Department.of, first=50, after=None)      # a list already in hand
    paginate_ids(item_ids, info.context.loaders, PowerItem.of, 50, after)   # reads only the page's nodes
    paginate_sorted(reviews, 50, after, key=lambda review: review.review.finding_id)   # sorted by key
"""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError

from api.context import Loaders
from api.deadline import Deadline
from graph.model import Node

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "BadCursor",
    "Connection",
    "Edge",
    "PageInfo",
    "decode_cursor",
    "encode_cursor",
    "paginate",
    "paginate_ids",
    "paginate_sorted",
]

MAX_PAGE_SIZE = 500
#: the page size when `first` is not given
DEFAULT_PAGE_SIZE = 50

T = TypeVar("T")
X = TypeVar("X")


@strawberry.type(description="Where a page is in its list (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether more follow: ask again with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(description="Whether the page starts after the first.")
    start_cursor: str | None = strawberry.field(description="The cursor of the page's first node.")
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last node: the next page's `after`."
    )


@strawberry.type(description="One node of a page, with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque: the page after this node starts with `after:` it.")
    node: T = strawberry.field(description="The node.")


@strawberry.type(description="A page of a list, in the Relay convention.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The page's nodes, in the list's order.")
    page_info: PageInfo = strawberry.field(description="Where the page is in the list.")
    total_count: int = strawberry.field(description="How many the whole list holds, with its filters.")


class BadCursor(GraphQLError):
    """An `after` cursor this service did not give out, or a page size out of bounds."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})


def encode_cursor(node_id: str) -> str:
    """An opaque cursor for the position after `node_id`."""
    return base64.urlsafe_b64encode(f"quanze:{node_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The node id inside a cursor; raises `BadCursor`."""
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise BadCursor(f"{cursor!r} is not a cursor this service gave out") from None
    if not decoded.startswith("quanze:"):
        raise BadCursor(f"{cursor!r} is not a cursor this service gave out")
    return decoded.removeprefix("quanze:")


def paginate_ids(
    ids: Sequence[str],
    loaders: Loaders,
    wrap_node: Callable[[Node], T],
    first: int | None,
    after: str | None,
) -> Connection[T]:
    """A page of the nodes with these ids (sorted): the total and the page without reading the other nodes
    (through the request's loaders, which check its deadline); raises `BadCursor`."""
    size = _page_size(first)
    start = bisect.bisect_right(ids, decode_cursor(after)) if after else 0
    page = loaders.nodes(list(ids[start : start + size]))
    edges = [Edge(cursor=encode_cursor(node.id), node=wrap_node(node)) for node in page]
    return _connection(edges, start, size, len(ids))


def paginate(
    items: Sequence[X],
    wrap_item: Callable[[X], T],
    first: int | None,
    after: str | None,
    key: Callable[[X], str] = lambda item: item.id,  # type: ignore[attr-defined]
    deadline: Deadline | None = None,
) -> Connection[T]:
    """A page of `items` (in the order given): `first` of them after the cursor `after`; raises
    `BadCursor`, or `DeadlineExceeded` instead when the request's `deadline` has passed."""
    size = _page_size(first)
    start = 0
    if after:
        wanted = decode_cursor(after)
        position = next((i for i, item in enumerate(items) if key(item) == wanted), None)
        if position is None:
            raise BadCursor(f"{after!r} points to nothing in this list (the data may have changed)")
        start = position + 1
    page = items[start : start + size]
    if deadline is not None:
        deadline.check()
    edges = [Edge(cursor=encode_cursor(key(item)), node=wrap_item(item)) for item in page]
    return _connection(edges, start, size, len(items))


def paginate_sorted(
    items: Sequence[T], first: int | None, after: str | None, key: Callable[[T], str]
) -> Connection[T]:
    """A page of `items`, sorted by `key` and unique in it: the page starts after the cursor's key
    wherever it falls, so a page is found even when the item the cursor named is gone; raises
    `BadCursor`."""
    size = _page_size(first)
    start = bisect.bisect_right(items, decode_cursor(after), key=key) if after else 0
    edges = [Edge(cursor=encode_cursor(key(item)), node=item) for item in items[start : start + size]]
    return _connection(edges, start, size, len(items))


def _page_size(first: int | None) -> int:
    if first is not None and not 0 <= first <= MAX_PAGE_SIZE:
        raise BadCursor(f"first must be between 0 and {MAX_PAGE_SIZE}")
    return DEFAULT_PAGE_SIZE if first is None else first


def _connection(edges: list[Edge[T]], start: int, size: int, total: int) -> Connection[T]:
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + size < total,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )
