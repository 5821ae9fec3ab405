"""Finding cases (办件): every case of the graph in columns, filtered, sorted and paged in milliseconds.

`build_case_index(reader)` reads every case once (a store across a network hands
them over through `graph.store.CaseColumns`; any other reads them in bulk), with
its item, the item's departments (those the list names for it, `heldBy`, and
those carrying one of its stages, `stageDepartment`: a case of a split approval
is one of each), its power type and its time limit, and works out what the
trace would: the working days from acceptance to closing (`graph.workdays`: the
day of acceptance does not count), the limit (`trace.case_limit`: the promised
one, else the statutory one), `overdue` (closed and over the limit) and the
delay, the working days beyond the limit (0 when in time; None when the case is
open or its item states no limit).

`CaseIndex.search` filters by department, item (by id, or by code: every item of
that code), power type, acceptance dates (inclusive), outcome (准予 / 不予 / 退回 /
逾期 / 撤回, in either script) and overdue; sorts by acceptance (newest first, then
case number) or by delay (largest first, then newest, cases without a delay
last); and pages after a case. The columns are numpy arrays in acceptance order,
so a search over a million cases is a few vector operations, not a loop.

    index = build_case_index(store)
    page = index.search(CaseQuery(department="department:…", overdue=True), CaseSort.DELAY, first=50)
    [(row.case_id, row.delay_days) for row in page.rows], page.total
    index.search(query, CaseSort.DELAY, first=50, after=page.rows[-1].case)    # the next page
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from graph.analyses.trace import case_limit
from graph.collector import pausing_collector
from graph.errors import QuanzeError
from graph.store import CaseColumns, CaseFacts, GraphReader, ItemFacts
from graph.text import normalize
from graph.workdays import is_workday
from ontology import EdgeKind, NodeKind

__all__ = [
    "CaseIndex",
    "CasePage",
    "CaseQuery",
    "CaseRow",
    "CaseSort",
    "UnknownCase",
    "build_case_index",
    "is_power_item",
    "read_case_facts",
]

_Mask = npt.NDArray[np.bool_]


class CaseSort(StrEnum):
    """The orders of a case search."""

    ACCEPTED = "ACCEPTED"  # newest first, then by case number
    DELAY = "DELAY"  # the most working days beyond the limit first, then newest; no delay last


class UnknownCase(QuanzeError):
    """A search was asked to page after a case the index does not hold (the graph may have changed)."""


@dataclass(frozen=True, slots=True)
class CaseQuery:
    """What a search keeps: every filter given must hold (None: any). `department` is a department id;
    `item` an item id or code; `power_type`, `outcome` texts matched after `normalize`."""

    department: str | None = None
    item: str | None = None
    power_type: str | None = None
    accepted_from: date | None = None
    accepted_to: date | None = None
    outcome: str | None = None
    overdue: bool | None = None


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One case as the index holds it; `case` is its node id, `case_id` its number (办件编号)."""

    case: str
    case_id: str
    item: str
    item_code: str
    departments: tuple[str, ...]
    power_type: str | None
    accepted: date
    closed: date | None
    outcome: str | None
    working_days: int | None
    limit_days: int | None
    overdue: bool
    delay_days: int | None


@dataclass(frozen=True, slots=True)
class CasePage:
    """A page of a search: its rows, how many cases the search keeps, and where the page starts in them."""

    rows: list[CaseRow]
    total: int
    start: int

    @property
    def has_next(self) -> bool:
        return self.start + len(self.rows) < self.total


def build_case_index(reader: GraphReader) -> CaseIndex:
    """The index of every case of the graph that has an item (a case without one cannot be traced)."""
    cases, items = reader.case_columns() if isinstance(reader, CaseColumns) else read_case_facts(reader)
    return CaseIndex(cases, items)


def read_case_facts(reader: GraphReader) -> tuple[list[CaseFacts], list[ItemFacts]]:
    """What `CaseColumns.case_columns` gives, read through the primitives (each relation in one call)."""
    item_of = {edge.source: edge.target for edge in reader.edges(kind=EdgeKind.CASE_OF)}
    cases: list[CaseFacts] = [
        (
            node.id,
            str(node["case_id"]),
            item_of[node.id],
            node["accepted"],
            node.get("closed"),
            node.get("outcome"),
        )
        for node in reader.nodes(NodeKind.CASE)
        if node.id in item_of
    ]
    item_ids = sorted(set(item_of.values()))
    held = reader.edges_from(item_ids, EdgeKind.HELD_BY)
    stages = reader.edges_to(item_ids, EdgeKind.STAGE_OF)
    carried = reader.edges_from(
        [e.source for found in stages.values() for e in found], EdgeKind.STAGE_DEPARTMENT
    )
    items: list[ItemFacts] = []
    for item in reader.nodes_by_id(item_ids):
        if item is None:
            continue
        departments = {edge.target for edge in held[item.id]}
        departments.update(e.target for stage in stages[item.id] for e in carried[stage.source])
        items.append((item, tuple(sorted(departments))))
    return cases, items


def is_power_item(reader: GraphReader, item: str) -> bool:
    """Whether `item` is the id or the code of a power item (one without cases, which a search of the
    index alone cannot tell from a misspelt one)."""
    node = reader.node(item)
    return (node is not None and node.kind is NodeKind.POWER_ITEM) or bool(
        reader.find(NodeKind.POWER_ITEM, "code", item)
    )


class CaseIndex:
    """Every case in columns, in acceptance order (newest first, then by number); see the module."""

    @pausing_collector  # a million tuples and no cycles
    def __init__(self, cases: Sequence[CaseFacts], items: Sequence[ItemFacts]) -> None:
        self._items = _Items(items)
        known = [case for case in cases if case[2] in self._items.position]
        accepted = np.fromiter((case[3].toordinal() for case in known), np.int64, len(known))
        numbers = np.array([case[1] for case in known], dtype=str) if known else np.array([], dtype=str)
        order = np.lexsort((numbers, -accepted)) if known else np.array([], dtype=np.int64)
        ordered = [known[i] for i in order]
        self._cases = [case[0] for case in ordered]
        self._numbers = [case[1] for case in ordered]
        self._position = {case: position for position, case in enumerate(self._cases)}
        self._accepted = accepted[order]
        self._accepted_negated = -self._accepted  # ascending, for `searchsorted`
        self._item = np.fromiter((self._items.position[c[2]] for c in ordered), np.int64, len(ordered))
        closed = np.fromiter((c[4].toordinal() if c[4] else 0 for c in ordered), np.int64, len(ordered))
        self._outcomes, self._outcome = _codes([case[5] for case in ordered])
        is_closed = closed > 0
        working = np.where(
            is_closed, _WorkingDays(self._accepted, closed).between(self._accepted, closed), -1
        )
        limit = self._items.limit[self._item]
        judged = is_closed & (limit >= 0)
        self._closed = closed
        self._working = working
        self._limit = limit
        self._overdue = judged & (working > limit)
        self._delay = np.where(judged, np.maximum(working - limit, 0), -1)
        # by delay: the largest first, then newest (the acceptance order); no delay after every delay
        self._by_delay = np.lexsort((np.arange(len(ordered)), np.where(judged, -self._delay, 1)))
        self._delay_rank = np.empty_like(self._by_delay)
        self._delay_rank[self._by_delay] = np.arange(len(ordered))

    def __len__(self) -> int:
        return len(self._cases)

    def search(
        self, query: CaseQuery, sort: CaseSort = CaseSort.ACCEPTED, first: int = 50, after: str | None = None
    ) -> CasePage:
        """The `first` cases the query keeps, in `sort`'s order, after the case whose node id is `after`
        (from the start when None); raises `UnknownCase` when the index does not hold that case."""
        mask = self._mask(query)
        ranks = np.flatnonzero(mask if sort is CaseSort.ACCEPTED else mask[self._by_delay])
        start = 0
        if after is not None:
            position = self._position.get(after)
            if position is None:
                raise UnknownCase(f"no case {after!r} in the index (the graph may have changed)")
            rank = position if sort is CaseSort.ACCEPTED else int(self._delay_rank[position])
            start = int(np.searchsorted(ranks, rank, side="right"))
        chosen = ranks[start : start + first]
        positions = chosen if sort is CaseSort.ACCEPTED else self._by_delay[chosen]
        return CasePage([self._row(int(position)) for position in positions], len(ranks), start)

    def has_item(self, item: str) -> bool:
        """Whether some case is of the item with this id or code."""
        return item in self._items.position or normalize(item) in self._items.by_code

    def row(self, case: str) -> CaseRow | None:
        """The case with this node id, or None when the index does not hold it."""
        position = self._position.get(case)
        return None if position is None else self._row(position)

    def _mask(self, query: CaseQuery) -> _Mask:
        """Which cases, by position, the query keeps."""
        mask = np.ones(len(self._cases), dtype=bool)
        wanted_items = self._items.matching(query)
        if wanted_items is not None:
            mask &= wanted_items[self._item]
        if query.accepted_to is not None:  # acceptance is in descending order: the newer ones lead
            newer = np.searchsorted(self._accepted_negated, -query.accepted_to.toordinal(), side="left")
            mask[: int(newer)] = False
        if query.accepted_from is not None:
            older = np.searchsorted(self._accepted_negated, -query.accepted_from.toordinal(), side="right")
            mask[int(older) :] = False
        if query.outcome is not None:
            wanted = normalize(query.outcome)
            table = np.array([normalize(text) == wanted for text in self._outcomes] + [False], dtype=bool)
            mask &= table[self._outcome]  # a case without an outcome has the code -1: the last, False
        if query.overdue is not None:
            mask &= self._overdue == query.overdue
        return mask

    def _row(self, position: int) -> CaseRow:
        item = int(self._item[position])
        closed, outcome = int(self._closed[position]), int(self._outcome[position])
        working, limit, delay = (
            int(column[position]) for column in (self._working, self._limit, self._delay)
        )
        return CaseRow(
            case=self._cases[position],
            case_id=self._numbers[position],
            item=self._items.ids[item],
            item_code=self._items.codes[item],
            departments=self._items.departments[item],
            power_type=self._items.power_types[item],
            accepted=date.fromordinal(int(self._accepted[position])),
            closed=date.fromordinal(closed) if closed else None,
            outcome=self._outcomes[outcome] if outcome >= 0 else None,
            working_days=working if working >= 0 else None,
            limit_days=limit if limit >= 0 else None,
            overdue=bool(self._overdue[position]),
            delay_days=delay if delay >= 0 else None,
        )


class _Items:
    """The items that have cases: their ids, codes, departments, power types and limits, by position."""

    def __init__(self, items: Sequence[ItemFacts]) -> None:
        ordered = sorted(items, key=lambda facts: facts[0].id)
        self.ids = [item.id for item, _ in ordered]
        self.position = {item_id: position for position, item_id in enumerate(self.ids)}
        self.codes = [str(item.get("code") or "") for item, _ in ordered]
        self.departments = [departments for _, departments in ordered]
        self.power_types: list[str | None] = [item.get("power_type") for item, _ in ordered]
        types, self._type = _codes(self.power_types)
        self._types = [normalize(text) for text in types]  # normalised once for each distinct text
        limits = (case_limit(item)[0] for item, _ in ordered)
        self.limit = np.fromiter((-1 if days is None else days for days in limits), np.int64, len(ordered))
        self.by_code: dict[str, list[int]] = defaultdict(list)
        self._by_department: dict[str, list[int]] = defaultdict(list)
        for position, (code, departments) in enumerate(zip(self.codes, self.departments, strict=True)):
            self.by_code[normalize(code)].append(position)
            for department in departments:
                self._by_department[department].append(position)

    def matching(self, query: CaseQuery) -> _Mask | None:
        """Which items, by position, the query's department, item and power type keep; None for all."""
        if query.department is None and query.item is None and query.power_type is None:
            return None
        wanted = np.ones(len(self.ids), dtype=bool)
        if query.department is not None:
            wanted &= self._mark(self._by_department.get(query.department, []))
        if query.item is not None:
            position = self.position.get(query.item)
            wanted &= self._mark(
                [position] if position is not None else self.by_code.get(normalize(query.item), [])
            )
        if query.power_type is not None:
            wanted_type = normalize(query.power_type)
            wanted &= np.array([text == wanted_type for text in self._types] + [False])[self._type]
        return wanted

    def _mark(self, positions: list[int]) -> _Mask:
        marked = np.zeros(len(self.ids), dtype=bool)
        marked[positions] = True
        return marked


class _WorkingDays:
    """`graph.workdays.working_days` for arrays of ordinals: a running count of working days over the days
    the cases span, so that the working days in (start, end] are two look-ups and a subtraction."""

    def __init__(self, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]) -> None:
        spanned = np.concatenate([starts, ends[ends > 0]])
        self._first = int(spanned.min()) if len(spanned) else 1  # no case: no day (ordinals start at 1)
        last = int(spanned.max()) if len(spanned) else 0
        workdays = [is_workday(date.fromordinal(day)) for day in range(self._first, last + 1)]
        self._count: npt.NDArray[np.int64] = np.cumsum(np.array(workdays, dtype=np.int64))

    def between(self, starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The working days in (start, end] for each pair (0 when end <= start); an end of 0 counts as start."""
        if not len(starts):
            return np.zeros(0, dtype=np.int64)
        ends = np.where(ends > 0, ends, starts)
        counted: npt.NDArray[np.int64] = self._count[ends - self._first] - self._count[starts - self._first]
        return np.maximum(counted, 0)


def _codes(texts: list[str | None]) -> tuple[list[str], npt.NDArray[np.int64]]:
    """The distinct texts, sorted, and each text's position among them (-1 for None)."""
    distinct = sorted({text for text in texts if text is not None})
    code = {text: position for position, text in enumerate(distinct)}
    return distinct, np.fromiter((-1 if t is None else code[t] for t in texts), np.int64, len(texts))
