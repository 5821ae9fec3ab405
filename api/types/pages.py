"""The finding lists as pages (`overlapsConnection`, `gapsConnection`, `splitApprovalsConnection`,
`accountabilityRecordsConnection`) and as the deprecated plain lists, selected by the same filters.

A page is cut from the cached analysis, filtered and sorted in memory (`api.types.selection`), so
`totalCount` is the length of the filtered list and costs nothing more; only the page's own nodes are
announced to the loaders and its findings to the ledger, so a page of 50 reads what 50 findings name,
whatever the total. A cursor is a finding's id: the next page starts after it in the same order.

    overlaps_page(info, OverlapFilter(department_ids=None, …), OverlapSort.SCORE, None, first=50, after=None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import strawberry

from api.context import Info
from api.types.counts import visible_gap_kinds
from api.types.entities import AccountabilityRecord
from api.types.findings import Gap, Overlap, SplitApproval
from api.types.paging import Connection, paginate
from api.types.selection import (
    GAP_ORDERS,
    OVERLAP_ORDERS,
    RECORD_ORDERS,
    SPLIT_ORDERS,
    GapSort,
    OverlapSort,
    RecordSort,
    SortDirection,
    SplitSort,
    ordered,
)
from graph import analyses, ids
from graph.analyses import trace
from graph.model import Node
from ontology import EdgeKind

__all__ = [
    "OverlapFilter",
    "gaps_page",
    "overlaps_page",
    "record_nodes",
    "records_page",
    "selected_gaps",
    "selected_overlaps",
    "selected_splits",
    "splits_page",
]

F = TypeVar("F")
T = TypeVar("T")


@dataclass(frozen=True)
class OverlapFilter:
    """What `overlaps` keeps: kinds and verdicts (None or empty: every), departments (ids; None:
    every), the least score."""

    kinds: list[analyses.OverlapKind] | None
    verdicts: list[analyses.OverlapVerdict] | None
    department_ids: set[str] | None
    min_score: float | None


def selected_overlaps(info: Info, wanted: OverlapFilter) -> list[analyses.Overlap]:
    """The cached overlaps `wanted` keeps, in the cache's order (highest score first, then id)."""
    found = analyses.select_overlaps(
        info.context.cache.overlaps(),
        kinds=wanted.kinds or None,  # none given, or an empty list: every kind
        verdicts=wanted.verdicts or None,  # null, or an empty list: every verdict
        min_score=wanted.min_score or 0.0,
    )
    return _of_departments(found, wanted.department_ids, lambda overlap: overlap.departments)


def overlaps_page(
    info: Info,
    wanted: OverlapFilter,
    sort: OverlapSort,
    direction: SortDirection | None,
    first: int | None,
    after: str | None,
) -> Connection[Overlap]:
    found = ordered(selected_overlaps(info, wanted), OVERLAP_ORDERS[sort], direction)
    page = paginate(found, lambda overlap: Overlap(overlap=overlap), first, after)
    shown = [edge.node.overlap for edge in page.edges]
    info.context.loaders.expect(i for o in shown for i in (*o.departments, *o.items, *o.functions))
    info.context.reviews.expect(overlap.id for overlap in shown)
    return page


def selected_gaps(
    info: Info, kinds: list[analyses.GapKind] | None, department_ids: set[str] | None, at: date | None
) -> list[analyses.Gap]:
    """The gaps on `at` (default today) of `kinds` (without: every kind the role may see; FORBIDDEN for
    a staffing kind asked for without the staffing role) about `department_ids` (None: every), most
    serious first."""
    context = info.context
    wanted = visible_gap_kinds(context, kinds)
    found = [gap for gap in context.cache.gaps(at or context.today) if gap.kind in wanted]
    return _of_departments(found, department_ids, lambda gap: (gap.department,) if gap.department else ())


def gaps_page(
    info: Info,
    found: list[analyses.Gap],
    sort: GapSort,
    direction: SortDirection | None,
    first: int | None,
    after: str | None,
) -> Connection[Gap]:
    page = paginate(ordered(found, GAP_ORDERS[sort], direction), lambda gap: Gap(gap=gap), first, after)
    shown = [edge.node.gap for edge in page.edges]
    info.context.loaders.expect(gap.department for gap in shown if gap.department)
    info.context.reviews.expect(gap.id for gap in shown)
    return page


def selected_splits(
    info: Info, min_departments: int | None, department_ids: set[str] | None
) -> list[analyses.SplitApproval]:
    """The split approvals over `min_departments` departments or more (default 2) naming one of
    `department_ids` (None: every), most departments first."""
    least = 2 if min_departments is None else min_departments
    found = [split for split in info.context.cache.splits() if len(split.departments) >= least]
    return _of_departments(found, department_ids, lambda split: split.departments)


def splits_page(
    info: Info,
    found: list[analyses.SplitApproval],
    sort: SplitSort,
    direction: SortDirection | None,
    first: int | None,
    after: str | None,
) -> Connection[SplitApproval]:
    found = ordered(found, SPLIT_ORDERS[sort], direction)
    page = paginate(found, lambda split: SplitApproval(split=split), first, after)
    shown = [edge.node.split for edge in page.edges]
    info.context.loaders.expect(i for s in shown for i in (*s.items, *s.departments))
    info.context.reviews.expect(split.id for split in shown)
    return page


def record_nodes(info: Info, department_ids: set[str] | None, case_id: strawberry.ID | None) -> list[Node]:
    """The accountability records about people of `department_ids` when decided (None: every), on
    the case `case_id` when given, by id."""
    reader = info.context.reader
    wanted = trace.record_departments(reader)
    info.context.check()
    if department_ids is not None:
        wanted = {r: d for r, d in wanted.items() if d in department_ids}
    if case_id is not None:
        case = ids.case_id(str(case_id))
        on_case = {e.source for e in reader.edges(target=case, kind=EdgeKind.RECORD_CASE)}
        wanted = {r: d for r, d in wanted.items() if r in on_case}
    info.context.check()
    return [node for node in reader.nodes_by_id(sorted(wanted)) if node is not None]


def records_page(
    info: Info,
    found: list[Node],
    sort: RecordSort,
    direction: SortDirection | None,
    first: int | None,
    after: str | None,
) -> Connection[AccountabilityRecord]:
    found = ordered(found, RECORD_ORDERS[sort], direction)
    page = paginate(found, lambda node: AccountabilityRecord(node=node), first, after)
    info.context.loaders.seed(edge.node.node for edge in page.edges)
    return page


def _of_departments(
    found: Iterable[F], department_ids: set[str] | None, departments: Callable[[F], Iterable[str]]
) -> list[F]:
    if department_ids is None:
        return list(found)
    return [finding for finding in found if department_ids.intersection(departments(finding))]
