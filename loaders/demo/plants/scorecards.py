"""What truth.json says the city's scorecards count, department by department, from the generator's records.

`describe_scorecards` counts each occurrence key of `graph.evaluation.rules.OCCURRENCES` the demo
decides, and the quota usage rate, from what the generator wrote (its holdings, posts, units,
items and cases) and from the other plants' facts, never by running the analyses:

- `counts` (exact): the keys the records decide completely (`EXACT_KEYS`), by the definitions of
  the truth's conventions; a key not listed counts 0;
- `at_least`: the keys an analysis decides (`PLANTED_KEYS`) counted from the planted findings
  (truth.json's gaps, overlaps and split approvals): the demo guarantees these, among others.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import combinations
from typing import Any

from graph import ids
from graph.text import normalize
from graph.workdays import working_days
from loaders.demo import REFERENCE_DATE
from loaders.demo.plants.evaluation import SECONDED, leading_posts_filled
from loaders.demo.records import DemoCity, DepartmentRecord

__all__ = ["AT_MOST", "EXACT_KEYS", "PERIOD_YEARS", "PLANTED_KEYS", "describe_scorecards"]

#: the evaluation period: the years before the reference date (evaluation.md)
PERIOD_YEARS = 5
#: 长期不运行: run this many times or fewer in the period
AT_MOST = 3
#: the keys `counts` gives exactly, for every department
EXACT_KEYS = (
    "over_leadership_quota",
    "long_secondment",
    "ghost_payroll",
    "over_quota",
    "mixed_quota",
    "unit_duty_overlap",
    "dormant_item",
    "overdue_case",
    "item_load_mismatch",
    "workload_mismatch",
)
#: the keys `at_least` gives from the planted findings, and the truth's gap kind each counts (a
#: FUNCTION_WITHOUT_UNIT of a function: a unit without posts is no duty without a unit)
PLANTED_KEYS: dict[str, str | None] = {
    "overreach": "POWER_OUTSIDE_MANDATE",
    "absence": "FUNCTION_NOT_EXERCISED",
    "misplacement": "MISPLACED",
    "unit_duty_gap": "FUNCTION_WITHOUT_UNIT",
    "split_approval": None,
    "overlap": None,
}
_QUOTA_TYPES = ("行政编制", "事业编制")
_DUTY_SEPARATORS = re.compile(r"[；;。\n]+")
_DUTY_ENDS = "，,。；;：: "


def describe_scorecards(
    city: DemoCity, facts: Mapping[str, Any], over: Mapping[str, Any], truth: Mapping[str, Any]
) -> dict[str, Any]:
    """The keys counted exactly and at least, and by department id what its scorecard counts on the
    reference date.

    `facts` are the staffing plants' facts, `over` the over-quota plants (department -> its places
    and people on its 行政编制), `truth` the truth so far (its gaps, overlaps and split approvals).
    """
    start = _years_before(REFERENCE_DATE, PERIOD_YEARS)
    exact = {
        "over_leadership_quota": _over_leadership(city),
        "long_secondment": _long_secondments(city, start),
        "ghost_payroll": Counter(ghost["department"] for ghost in facts["ghosts"]),
        "over_quota": Counter(over.keys()),
        "mixed_quota": Counter(mixed["quota_department"] for mixed in facts["mixed"]),
        "unit_duty_overlap": _unit_duty_overlaps(city),
        "dormant_item": _dormant_items(city, start),
        "overdue_case": _overdue_cases(city, start),
        "item_load_mismatch": _mismatches(city, _item_load(city, start)),
        "workload_mismatch": _mismatches(city, _workload(city, start)),
    }
    planted = _planted(truth)
    described = {}
    for department in city.departments:
        filled = leading_posts_filled(city, department.name, REFERENCE_DATE)
        described[ids.department_id(department.government, department.name)] = {
            "name": department.name,
            "leader_quota": department.leader_quota,
            "leading_posts_filled": len(filled),
            "quota_usage_rate": _quota_usage(city, department),
            "counts": {key: n for key in EXACT_KEYS if (n := exact[key][department.name])},
            "at_least": {key: n for key in PLANTED_KEYS if (n := planted[key][department.name])},
        }
    return {"exact_keys": list(EXACT_KEYS), "planted_keys": list(PLANTED_KEYS), "departments": described}


# --- staffing --------------------------------------------------------------------------------------


def _over_leadership(city: DemoCity) -> Counter[str]:
    """Leading posts filled on the reference date beyond the 领导职数, one for each post over."""
    over: Counter[str] = Counter()
    for department in city.departments:
        filled = len(leading_posts_filled(city, department.name, REFERENCE_DATE))
        if department.leader_quota is not None and filled > department.leader_quota:
            over[department.name] = filled - department.leader_quota
    return over


def _long_secondments(city: DemoCity, start: date) -> Counter[str]:
    """Holdings 借调 to a department's post lasting more than a year within the period."""
    found: Counter[str] = Counter()
    for holding in city.holdings:
        if holding.mode != SECONDED or holding.post is None:
            continue
        first = max(holding.start or start, start)
        last = min(holding.end or REFERENCE_DATE, REFERENCE_DATE)
        if last > _years_before(first, -1):
            found[city.post(holding.post).department] += 1
    return found


def _quota_usage(city: DemoCity, department: DepartmentRecord) -> float | None:
    """People on the department's 行政编制 and 事业编制 on the reference date / its places, in percent;
    None when it has no places."""
    places = (department.admin_quota or 0) + (department.institution_quota or 0)
    if not places:
        return None
    people = {
        (h.person, h.quota_type)
        for h in city.holdings
        if h.quota_department == department.name and h.quota_type in _QUOTA_TYPES and h.covers(REFERENCE_DATE)
    }
    return round(100 * len(people) / places, 4)


# --- units -----------------------------------------------------------------------------------------


def _unit_duty_overlaps(city: DemoCity) -> Counter[str]:
    """Pairs of a department's units whose 职责 list a duty alike (split at ；。, normalised)."""
    duties: dict[str, list[set[str]]] = defaultdict(list)
    for unit in city.units:
        parts = (part.strip(_DUTY_ENDS) for part in _DUTY_SEPARATORS.split(unit.duties))
        duties[unit.department].append({normalize(part) for part in parts if part})
    return Counter(
        {
            department: shared
            for department, units in duties.items()
            if (shared := sum(1 for a, b in combinations(units, 2) if a & b))
        }
    )


def _mismatches(city: DemoCity, work: Mapping[tuple[str, str], int]) -> Counter[str]:
    """Units whose third by `work` and third by 编制数 are opposite, within their department."""
    found: Counter[str] = Counter()
    for department in city.departments:
        units = {
            u.name: u.quota for u in city.units if u.department == department.name and u.quota is not None
        }
        if len(units) < 3:
            continue
        works = {unit: work.get((department.name, unit), 0) for unit in units}
        for unit in units:
            by_work, by_quota = _third(works, unit), _third(units, unit)
            if by_work and by_work == -by_quota:
                found[department.name] += 1
    return found


def _third(values: Mapping[str, int | None], unit: str) -> int:
    """1 when at least two thirds of the other units have strictly less than `unit`, -1 when two thirds
    have strictly more, else 0."""
    value = values[unit] or 0
    others = [v or 0 for name, v in values.items() if name != unit]
    if 3 * sum(v < value for v in others) >= 2 * len(others):
        return 1
    return -1 if 3 * sum(v > value for v in others) >= 2 * len(others) else 0


# --- the case log ----------------------------------------------------------------------------------


def _cases_in(city: DemoCity, start: date) -> Counter[str]:
    """Item code -> its cases accepted in the period."""
    return Counter(c.item for c in city.cases if start <= c.accepted <= REFERENCE_DATE)


def _dormant_items(city: DemoCity, start: date) -> Counter[str]:
    """Items of the power types the case log records, run `AT_MOST` times or fewer in the period, by
    each department holding them (an item with sub-items is one item: its cases name its code)."""
    logged = {city.item(c.item).power_type for c in city.cases}
    runs = _cases_in(city, start)
    return Counter(
        department
        for item in city.items
        if item.power_type in logged and runs[item.code] <= AT_MOST
        for department in item.departments
    )


def _overdue_cases(city: DemoCity, start: date) -> Counter[str]:
    """Cases accepted in the period that took more working days than their item's limit (the promised
    one, else the statutory one) by the closing day, or by the reference date when still open."""
    found: Counter[str] = Counter()
    for case in city.cases:
        item = city.item(case.item)
        limit = item.promised_days if item.promised_days is not None else item.statutory_days
        if limit is None or not start <= case.accepted <= REFERENCE_DATE:
            continue
        end = case.closed if case.closed is not None and case.closed <= REFERENCE_DATE else REFERENCE_DATE
        if working_days(case.accepted, end) > limit:
            found.update(item.departments)
    return found


def _item_load(city: DemoCity, start: date) -> Counter[tuple[str, str]]:
    """(department, unit) -> the cases in the period of the items it handles (承办机构)."""
    runs = _cases_in(city, start)
    return Counter({(i.departments[0], i.unit): runs[i.code] for i in city.items if i.unit and runs[i.code]})


def _workload(city: DemoCity, start: date) -> Counter[tuple[str, str]]:
    """(department, unit) -> the case steps started in the period at the stages it carries."""
    stages = {(s.item, s.step): s for s in city.stages}
    work: Counter[tuple[str, str]] = Counter()
    for case in city.cases:
        for step in case.steps:
            stage = stages[(case.item, step.step)]
            if stage.unit and start <= step.started <= REFERENCE_DATE:
                work[(stage.department or city.item(case.item).departments[0], stage.unit)] += 1
    return work


# --- what the analyses decide: the planted findings ------------------------------------------------


def _planted(truth: Mapping[str, Any]) -> dict[str, Counter[str]]:
    """Key -> department -> the planted findings of it that name the department."""
    planted: dict[str, Counter[str]] = {key: Counter() for key in PLANTED_KEYS}
    for gap in truth["gaps"]:
        for key, kind in PLANTED_KEYS.items():
            if gap["kind"] == kind and (kind != "FUNCTION_WITHOUT_UNIT" or "function" in gap):
                planted[key][gap["department"]] += 1
    approvals = truth["split_approvals"]
    splits: Iterable[dict[str, Any]] = [
        *approvals["split_items"],
        *(chain for chain in approvals["chains"] if chain["crosses_departments"]),
        *approvals["same_matter"],
    ]
    for split in splits:
        planted["split_approval"].update(set(split["departments"]))
    for overlap in truth["overlaps"]:
        planted["overlap"].update(set(overlap["departments"]))
    return planted


def _years_before(day: date, years: int) -> date:
    """The same day `years` years before (after, for a negative `years`); 28 February for a 29th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
