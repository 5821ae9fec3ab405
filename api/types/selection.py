"""What the lists' arguments select: departments and power types by name (with suggestions for a name
that finds none), and the orders of the finding lists.

A department is named by name (either script, full-width or not: the normalised form) or by id; a
power type by any wording of the one table the loaders read (`loaders.mapping.parse_power_type`:
行政许可, 许可, licensing …) or by the two letters of its item codes (`XK`). A name that finds nothing
answers BAD_USER_INPUT with `extensions.suggestions`, never an empty list that looks like no data.

A sort is an enum whose values each have their natural direction (SCORE: highest first, DEPARTMENT:
A to Z), as `cases(sort:)` has; `direction` reverses it. Ties keep the list's own order, and items
without the value sorted by (a split approval without stated limits, a gap of no department) come last
either way.

    department_ids(info, "市场监督管理局", ["巴中市財政局"])     # {'department:…/…', …}, or BAD_USER_INPUT
    power_type_value("XK")                                   # '行政许可', or BAD_USER_INPUT
    ordered(overlaps, OVERLAP_ORDERS[OverlapSort.SCORE], SortDirection.ASC)
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Any, NamedTuple, TypeVar

import strawberry
from graphql import GraphQLError

from api.context import Info
from api.types import scorecards
from api.types.indexes import item_types
from graph import queries
from graph.model import Node
from graph.text import normalize
from loaders.mapping import packaged_mapping, parse_power_type
from ontology import EdgeKind, NodeKind, PowerType

__all__ = [
    "GAP_ORDERS",
    "OVERLAP_ORDERS",
    "RECORD_ORDERS",
    "SPLIT_ORDERS",
    "GapSort",
    "Order",
    "OverlapSort",
    "RecordSort",
    "SortDirection",
    "SplitSort",
    "check_department_name",
    "department_ids",
    "department_named",
    "kept_items",
    "ordered",
    "power_type_value",
]

T = TypeVar("T")


@strawberry.enum(description="The direction of a sort: ASC, smallest (or A) first; DESC, largest first.")
class SortDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Smallest, earliest or A first.")
    DESC = strawberry.enum_value("DESC", description="Largest, latest or Z first.")


@strawberry.enum(
    description="The order of overlaps: SCORE, highest first (then by id: the default); DEPARTMENT, by "
    "the departments' ids (government, then name), then highest score first."
)
class OverlapSort(Enum):
    SCORE = strawberry.enum_value("SCORE", description="Highest score first, then by id.")
    DEPARTMENT = strawberry.enum_value(
        "DEPARTMENT", description="By the departments' ids, then highest score."
    )


@strawberry.enum(
    description="The order of gaps: SEVERITY, most serious first (then by kind, department, subject: "
    "the default); DEPARTMENT, by the department's id, then most serious first; gaps of no department last."
)
class GapSort(Enum):
    SEVERITY = strawberry.enum_value(
        "SEVERITY", description="Most serious first, then kind, department, subject."
    )
    DEPARTMENT = strawberry.enum_value("DEPARTMENT", description="By the department's id, then most serious.")


@strawberry.enum(
    name="SplitApprovalSort",
    description="The order of split approvals: DEPARTMENTS, most departments first (the default); DAYS, "
    "the longest total stated limit first; SAVED_DAYS, the most working days a single-department "
    "procedure would save first. Those without the figure (a limit not stated) last.",
)
class SplitSort(Enum):
    DEPARTMENTS = strawberry.enum_value("DEPARTMENTS", description="Over the most departments first.")
    DAYS = strawberry.enum_value("DAYS", description="The longest total stated limit first.")
    SAVED_DAYS = strawberry.enum_value("SAVED_DAYS", description="The most working days saved first.")


@strawberry.enum(
    name="AccountabilityRecordSort",
    description="The order of accountability decisions: DATE, the newest first (then by id: the default).",
)
class RecordSort(Enum):
    DATE = strawberry.enum_value("DATE", description="The newest decision first, then by id.")


class Order(NamedTuple):
    """What a sort sorts by (None: the item lacks it) and whether largest first is its natural way."""

    value: Callable[[Any], Any]
    descending: bool


OVERLAP_ORDERS = {
    OverlapSort.SCORE: Order(lambda overlap: overlap.score, descending=True),
    OverlapSort.DEPARTMENT: Order(lambda overlap: overlap.departments, descending=False),
}
GAP_ORDERS = {
    GapSort.SEVERITY: Order(lambda gap: gap.severity, descending=True),
    GapSort.DEPARTMENT: Order(lambda gap: gap.department, descending=False),
}
SPLIT_ORDERS = {
    SplitSort.DEPARTMENTS: Order(lambda split: len(split.departments), descending=True),
    SplitSort.DAYS: Order(lambda split: split.total_days, descending=True),
    SplitSort.SAVED_DAYS: Order(lambda split: split.saved_days, descending=True),
}
RECORD_ORDERS = {RecordSort.DATE: Order(lambda record: record.get("date"), descending=True)}


def ordered(items: Iterable[T], order: Order, direction: SortDirection | None = None) -> list[T]:
    """`items` by `order`, its natural way unless `direction` says; ties keep the order given, and the
    items lacking the value come last."""
    descending = order.descending if direction is None else direction is SortDirection.DESC
    listed = list(items)
    known = [item for item in listed if order.value(item) is not None]
    lacking = [item for item in listed if order.value(item) is None]
    return sorted(known, key=order.value, reverse=descending) + lacking


def department_named(info: Info, name: str) -> Node:
    """The department `name` names (by name, in either script, or by id); BAD_USER_INPUT with the
    closest names as `suggestions` when it names none (or several)."""
    if name.startswith("department:"):
        found = info.context.loaders.node(name)
        if found is not None and found.kind is NodeKind.DEPARTMENT:
            return found
    else:
        found = queries.find_department(info.context.reader, name)
        if found is not None:
            return found
    raise scorecards.unknown_department(info.context, name)


def department_ids(info: Info, department: str | None, departments: Sequence[str] | None) -> set[str] | None:
    """The ids of the departments `department` and `departments` name (None when they name none: no
    filter); BAD_USER_INPUT with suggestions for a name that finds no department."""
    names = [*([department] if department is not None else []), *(departments or [])]
    if not names:
        return None
    return {department_named(info, name).id for name in names}


def power_type_value(text: str) -> str:
    """The power type (its value, 行政许可) that `text` names: a wording of the loaders' table or the
    two letters of its item codes (XK, in any case); BAD_USER_INPUT with the closest types as
    `suggestions` for a text that names none."""
    known = parse_power_type(text)
    if known is not None:
        return known.value
    by_code = _types_by_code()
    found = by_code.get(normalize(text).strip().upper())
    if found is not None:
        return found.value
    names = [power_type.value for power_type in PowerType]
    close = difflib.get_close_matches(normalize(text), names, n=3, cutoff=0.3)
    hint = f"; did you mean {'、'.join(close)}?" if close else ""
    codes = ", ".join(f"{code} {power_type.value}" for code, power_type in by_code.items())
    raise GraphQLError(
        f"no power type {text!r}{hint} (a name or a code: {codes})",
        extensions={"code": "BAD_USER_INPUT", "suggestions": close},
    )


def _types_by_code() -> dict[str, PowerType]:
    mapping = packaged_mapping()
    return {mapping.type_code(power_type): power_type for power_type in PowerType}


def check_department_name(info: Info, name: str) -> None:
    """BAD_USER_INPUT with suggestions when no department (of any government) is named `name`, in
    either script: for the filters that take every department of a name."""
    if not info.context.reader.find(NodeKind.DEPARTMENT, "key", normalize(name)):
        raise scorecards.unknown_department(info.context, name)


def kept_items(
    info: Info,
    department: str | None,
    departments: Sequence[str] | None,
    power_type: str | None,
    power_types: Sequence[str] | None,
) -> set[str] | None:
    """The ids of the power items held by any department named (by `department` and `departments`:
    every department of a name, or one by id) and of any power type named (by `power_type` and
    `power_types`, as `power_type_value` reads them); None when neither list is given (the single
    filters then do). An unknown name answers BAD_USER_INPUT with suggestions."""
    if not departments and not power_types:
        return None
    reader = info.context.reader
    kept: set[str] | None = None
    named = [*([department] if department else []), *(departments or [])]
    if named:
        found: set[str] = set()
        for name in named:
            if name.startswith("department:") and department_named(info, name):
                found.add(name)
            else:
                check_department_name(info, name)
                found.update(d.id for d in reader.find(NodeKind.DEPARTMENT, "key", normalize(name)))
        held = reader.edges_to(sorted(found), EdgeKind.HELD_BY)
        kept = {edge.source for edges in held.values() for edge in edges}
    types = {power_type_value(text) for text in [*([power_type] if power_type else []), *(power_types or [])]}
    if types:
        of_types = {item for item, value in item_types(info.context).items() if value in types}
        kept = of_types if kept is None else kept & of_types
    return kept
