"""The GraphQL types of the case search (investigator role): `Case`, `CaseSort` and the `cases` page.

A search is answered from the case index of the store's version
(`graph.analyses.cases`, built once in the analyses cache and shared by every
request): the filters, the order, the total and the page are a few vector
operations over a million cases, and only the page's items and departments are
read from the store. `Case.trace` traces the case when asked, and only then.

    search_cases(info, CaseQuery(department=…, overdue=True), CaseSort.DELAY, first=50, after=None)
"""

from __future__ import annotations

from datetime import date

import strawberry
from graphql import GraphQLError

from api.context import Info
from api.types.entities import Department, PowerItem
from api.types.paging import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    BadCursor,
    Connection,
    Edge,
    PageInfo,
    decode_cursor,
    encode_cursor,
)
from api.types.properties import described_enum
from api.types.traces import CaseTrace
from graph.analyses import cases, trace
from graph.analyses.cases import CaseQuery, CaseRow, CaseSort

__all__ = ["Case", "CaseSort", "search_cases"]

# the index's order is the GraphQL enum, under the same name
described_enum(
    CaseSort,
    "CaseSort",
    "The order of a case search: ACCEPTED, newest first (then by case number); DELAY, the "
    "most working days beyond the limit first (then newest), cases without a delay last.",
    {
        "ACCEPTED": "The newest accepted first, then by case number.",
        "DELAY": "The most working days beyond the limit first, then the newest; cases without a delay "
        "(in time, open, or without a limit) last.",
    },
)


@strawberry.type(description="A case (办件) as the case search finds it; its trace when asked.")
class Case:
    row: strawberry.Private[CaseRow]

    @strawberry.field(description="The case number (办件编号).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row.case_id)

    @strawberry.field(description="The power item the case applies.")
    def item(self, info: Info) -> PowerItem:
        node = info.context.loaders.node(self.row.item)
        assert node is not None, "the index holds only cases whose item is in the graph"
        return PowerItem.of(node)

    @strawberry.field(description="The day it was accepted (受理时间, ISO 8601).")
    def accepted(self) -> date:
        return self.row.accepted

    @strawberry.field(description="The day it was closed (办结时间); null while it is open.")
    def closed(self) -> date | None:
        return self.row.closed

    @strawberry.field(description="准予 / 不予 / 退回 / 逾期 / 撤回, as the case log writes it.")
    def outcome(self) -> str | None:
        return self.row.outcome

    @strawberry.field(
        description="Closed over its limit (the promised one, else the statutory one), as its trace says."
    )
    def overdue(self) -> bool:
        return self.row.overdue

    @strawberry.field(
        description="Working days from acceptance to closing (the day of acceptance does not count)."
    )
    def working_days(self) -> int | None:
        return self.row.working_days

    @strawberry.field(
        description="The case's limit in working days: the promised one, else the statutory one."
    )
    def limit_days(self) -> int | None:
        return self.row.limit_days

    @strawberry.field(
        description="Working days beyond the limit (0 when in time); null when open or without a limit."
    )
    def delay_days(self) -> int | None:
        return self.row.delay_days

    @strawberry.field(
        description="The departments of the case's item: those the list names and those carrying a stage."
    )
    def departments(self, info: Info) -> list[Department]:
        nodes = info.context.loaders.nodes(list(self.row.departments))
        return [Department.of(node) for node in nodes if node is not None]

    @strawberry.field(description="The case traced: who answered for each stage then, and the findings.")
    def trace(self, info: Info) -> CaseTrace:
        found = trace.trace_case(
            info.context.reader, self.row.case, idle_tolerance=info.context.idle_tolerance
        )
        if found is None:
            raise GraphQLError(
                f"case {self.row.case_id!r} is no longer in the graph", extensions={"code": "BAD_USER_INPUT"}
            )
        return CaseTrace(result=found)


def search_cases(
    info: Info, query: CaseQuery, sort: CaseSort, first: int | None, after: str | None
) -> Connection[Case]:
    """A page of the cases `query` keeps, in `sort`'s order, after the cursor `after`; raises a
    BAD_USER_INPUT error for acceptance dates the wrong way round, an item that is not in the graph,
    a page size out of bounds or a cursor this service did not give out."""
    if query.accepted_from and query.accepted_to and query.accepted_from > query.accepted_to:
        raise _bad_input(f"from ({query.accepted_from}) is after to ({query.accepted_to})")
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise BadCursor(f"first must be between 0 and {MAX_PAGE_SIZE}")
    index = info.context.cache.cases()
    if (
        query.item is not None
        and not index.has_item(query.item)
        and not cases.is_power_item(info.context.reader, query.item)
    ):
        raise _bad_input(f"no power item {query.item!r} (give its code or id)")
    try:
        page = index.search(query, sort, size, decode_cursor(after) if after else None)
    except cases.UnknownCase:
        raise BadCursor(f"{after!r} points to nothing in this list (the data may have changed)") from None
    info.context.check()
    info.context.loaders.expect(node for row in page.rows for node in (row.item, *row.departments))
    edges = [Edge(cursor=encode_cursor(row.case), node=Case(row=row)) for row in page.rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=page.total,
    )


def _bad_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})
