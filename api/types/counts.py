"""Counts and breakdowns for views of departments: items, overlaps and gaps per department, items per
power type.

Every count is read from the indexes of `api.types.indexes`, made in one pass over what the analysis
cache holds (the overlaps, the gaps of a date) and over the items' power types (once per store
version). `api.types.tables` puts them together for a table of every department.

    count_overlaps(context, department_id, kinds=None, verdicts=DEFAULT_VERDICTS)
    power_type_counts(item_types(context), item_ids)        # [PowerTypeCount(行政许可, XK, 12), …]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from datetime import date

import strawberry
from graphql import GraphQLError

from api.context import Context
from api.roles import Grant
from api.types import enums  # noqa: F401  (the analyses' enums, as GraphQL enums)
from api.types.indexes import gaps_by_department, overlaps_by_department
from graph import analyses
from loaders.mapping import packaged_mapping
from ontology import PowerType

__all__ = [
    "DEFAULT_VERDICTS",
    "PowerTypeCount",
    "count_gaps",
    "count_overlaps",
    "power_type_counts",
    "visible_gap_kinds",
]

#: the overlaps' verdicts when a query names none (`analyses.DEFAULT_VERDICTS`, in the enum's order)
DEFAULT_VERDICTS = [verdict for verdict in analyses.OverlapVerdict if verdict in analyses.DEFAULT_VERDICTS]


@strawberry.type(description="How many power items are of one power type.")
class PowerTypeCount:
    power_type: str = strawberry.field(description="The power type, e.g. 行政许可.")
    code: str = strawberry.field(
        description="The two letters item codes use for it, e.g. XK (loaders/mappings/power_lists.toml)."
    )
    count: int = strawberry.field(description="How many items of this type.")


def visible_gap_kinds(context: Context, kinds: Collection[analyses.GapKind] | None) -> set[analyses.GapKind]:
    """The gap kinds asked for (every kind the caller's role may see when none); FORBIDDEN when
    `kinds` names a staffing kind and the role may not see staffing figures."""
    may_see_staffing = context.role.may(Grant.STAFFING)
    if kinds:
        forbidden = sorted(set(kinds) & analyses.STAFFING_KINDS)
        if forbidden and not may_see_staffing:
            raise GraphQLError(
                f"FORBIDDEN: {', '.join(forbidden)} are staffing gaps, for the staffing role and above",
                extensions={"code": "FORBIDDEN"},
            )
        return set(kinds)
    every = set(analyses.GapKind)
    return every if may_see_staffing else every - analyses.STAFFING_KINDS


def count_overlaps(
    context: Context,
    department: str,
    kinds: Collection[analyses.OverlapKind] | None,
    verdicts: Collection[analyses.OverlapVerdict] | None,
) -> int:
    """The overlaps naming `department` (an id) with one of `kinds` and `verdicts` (None or empty: every)."""
    found = overlaps_by_department(context).get(department, [])
    return len(analyses.select_overlaps(found, kinds=kinds or None, verdicts=verdicts or None))


def count_gaps(context: Context, department: str, kinds: Collection[analyses.GapKind], at: date) -> int:
    """The gaps of `kinds` about `department` (an id) on `at`."""
    return sum(gap.kind in kinds for gap in gaps_by_department(context, at).get(department, []))


def power_type_counts(
    types: Mapping[str, str], item_ids: Iterable[str] | None = None
) -> list[PowerTypeCount]:
    """How many of `item_ids` (every item when None) are of each power type, in the order of the ten
    types; types with none left out."""
    counted = Counter(types.values()) if item_ids is None else Counter(types.get(i) for i in item_ids)
    mapping = packaged_mapping()
    return [
        PowerTypeCount(
            power_type=power_type.value, code=mapping.type_code(power_type), count=counted[power_type]
        )
        for power_type in PowerType
        if counted[power_type]
    ]
