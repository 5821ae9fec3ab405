"""A table of departments with their counts (`departmentCounts`): every department in one answer.

The counts come from `api.types.counts`: the departments' list, one read of their `heldBy` edges and
look-ups in indexes made once per cached analysis, at a city as at a province; never a store call per
department.

    department_counts(info, departments, kinds=None, verdicts=DEFAULT_VERDICTS, gap_kinds=…, at=today)
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import strawberry

from api.context import Info
from api.types.counts import PowerTypeCount, count_overlaps, power_type_counts
from api.types.entities import Department
from api.types.indexes import gaps_by_department, item_types
from graph import analyses
from ontology import EdgeKind

__all__ = ["DepartmentCounts", "department_counts"]


@strawberry.type(description="One department's counts, for a table of departments.")
class DepartmentCounts:
    department: Department = strawberry.field(description="The department counted.")
    item_count: int = strawberry.field(description="The power items it holds (as `Department.itemCount`).")
    overlap_count: int = strawberry.field(
        description="The overlaps naming it, of the query's `verdicts` and `kinds`."
    )
    gap_count: int = strawberry.field(description="The gaps about it on the query's `at`, of its `kinds`.")
    items_by_power_type: list[PowerTypeCount] = strawberry.field(
        description="Its items per power type, in the order of the ten types; types it has none of left out."
    )


def department_counts(
    info: Info,
    departments: list[Department],
    kinds: Collection[analyses.OverlapKind] | None,
    verdicts: Collection[analyses.OverlapVerdict] | None,
    gap_kinds: Collection[analyses.GapKind],
    at: date,
) -> list[DepartmentCounts]:
    """The counts of each of `departments`, from one read of their items' edges and the cached indexes."""
    context = info.context
    types = item_types(context)
    gaps = gaps_by_department(context, at)
    counts = []
    for department in departments:
        held = [edge.source for edge in context.loaders.into(department.id, EdgeKind.HELD_BY)]
        counts.append(
            DepartmentCounts(
                department=department,
                item_count=len(held),
                overlap_count=count_overlaps(context, department.id, kinds, verdicts),
                gap_count=sum(gap.kind in gap_kinds for gap in gaps.get(department.id, [])),
                items_by_power_type=power_type_counts(types, held),
            )
        )
    return counts
