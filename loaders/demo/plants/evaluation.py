"""What the city's scorecards count besides the other plants: 领导职数 (one or two departments over it),
任职方式 (兼任, a long and a short 借调, a 挂职), busy approvals, and units with much work and few places.

`plant_evaluation` runs once the rest of the city is built, with a random source of its own, and
only adds to it: a column's values, two holdings on dates no other analysis checks, clean cases
numbered after those of their day, two units' 编制数. Everything the city had stays as it was (the
same rows, the same case numbers). It returns the facts the truth's `scorecards` section is counted
from (`plants.scorecards`). What is planted where is `plants.toml`'s `[evaluation]`.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

from graph.workdays import is_workday
from loaders.demo import REFERENCE_DATE, read_data
from loaders.demo.cases import CASES_FROM, build_case, case_findings
from loaders.demo.names import NameSource
from loaders.demo.records import Case, DemoCity, Holding, Item, Post

__all__ = ["CONCURRENT", "LEADING_CATEGORIES", "SECONDED", "leading_posts_filled", "plant_evaluation"]

_DATA = read_data("plants")["evaluation"]

#: the 岗位类别 that count against a department's 领导职数
LEADING_CATEGORIES = ("行政首长", "分管领导", "内设机构负责人")
#: 任职方式 of a second post held at once, and of a person seconded from another department
CONCURRENT, SECONDED = "兼任", "借调"
#: the runs in all a busy department's item is topped up to (at least one more than 长期不运行's 3)
_BUSY_RUNS = (4, 9)
#: the last day a topped-up case is accepted (closed well before the reference date)
_LAST_ACCEPTED = date(2026, 9, 30)


def plant_evaluation(city: DemoCity, rng: random.Random, facts: dict[str, Any]) -> dict[str, Any]:
    """Lay the scorecards' data into `city` (built, with its staffing `facts`); returns what was planted."""
    planted: dict[str, Any] = {"over_leadership": _set_leader_quotas(city)}
    planted["concurrent"] = _mark_concurrent(city, facts["concurrent"])
    planted["secondments"] = [_mark_long_secondment(city, facts["mixed"])]
    planted["secondments"] += _place_people(city, rng)
    planted["busy"] = _top_up_cases(city, rng)
    planted["thin_units"] = _thin_units(city)
    return planted


def leading_posts_filled(city: DemoCity, department: str, day: date) -> list[Post]:
    """The leading posts of `department` somebody holds on `day`."""
    held = {h.post for h in city.holdings if h.covers(day)}
    return [p for p in city.posts_of(department) if p.category in LEADING_CATEGORIES and p.code in held]


def _set_leader_quotas(city: DemoCity) -> dict[str, int]:
    """Every department's 领导职数: its leading posts, or (planted) so many fewer than it fills today."""
    over: dict[str, int] = _DATA["over_leadership"]
    for department in city.departments:
        if department.name in over:
            filled = len(leading_posts_filled(city, department.name, REFERENCE_DATE))
            department.leader_quota = filled - over[department.name]
        else:
            posts = [p for p in city.posts_of(department.name) if p.category in LEADING_CATEGORIES]
            department.leader_quota = len(posts)
    return dict(over)


def _mark_concurrent(city: DemoCity, concurrent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The second posts of the people holding two at once (the 兼职 plants) are 兼任."""
    for plant in concurrent:
        _holding(city, plant["person"], plant["posts"][1]).mode = CONCURRENT
    return [{"person": plant["person"], "post": plant["posts"][1]} for plant in concurrent]


def _mark_long_secondment(city: DemoCity, mixed: list[dict[str, Any]]) -> dict[str, Any]:
    """The mixed-quota plant working in `long_secondment`'s department is 借调 there (since 2018-20)."""
    plant = next(m for m in mixed if m["post_department"] == _DATA["long_secondment"])
    holding = _holding(city, plant["person"], plant["post"])
    holding.mode = SECONDED
    return _described(holding, plant["post_department"])


def _place_people(city: DemoCity, rng: random.Random) -> list[dict[str, Any]]:
    """New people placed for a while on another department's staff post (`placements`).

    Each ends before the reference date and neither starts nor ends around the other analyses'
    dates: it puts nobody on a quota or a post the staffing findings see, and its post is no stage's.
    """
    names = NameSource(rng, {h.name for h in city.holdings})
    number = max(int(h.person[1:]) for h in city.holdings)
    staged = {s.post for s in city.stages}
    described = []
    for mode, department, unit, quota_department, start, end in _DATA["placements"]:
        post = next(
            p for p in city.posts_of(department, unit) if p.category == "工作人员" and p.code not in staged
        )
        number += 1
        person = (f"P{number:04d}", names.new())
        holding = Holding(*person, post.code, start, end, "行政编制", quota_department, mode)
        city.holdings.append(holding)
        described.append(_described(holding, department))
    return described


def _top_up_cases(city: DemoCity, rng: random.Random) -> dict[str, dict[str, int]]:
    """Clean cases for the busy departments' items, each up to 4-9 runs, but their quiet items.

    A topped-up case is numbered after the cases already accepted on its day. Returns, by department,
    the cases each item got.
    """
    runs = Counter(c.item for c in city.cases)
    per_day = Counter(c.accepted for c in city.cases)
    added: dict[str, dict[str, int]] = {}
    for department, quiet in _DATA["busy"].items():
        added[department] = {}
        for item in city.items:
            if item.departments[0] != department or item.name in quiet or not _case_ready(city, item):
                continue
            wanted = rng.randint(*_BUSY_RUNS) - runs[item.code]
            added[department][item.code] = max(wanted, 0)
            for _ in range(wanted):
                case = _clean_case(city, rng, item)
                per_day[case.accepted] += 1
                case.code = f"BJ{case.accepted:%Y%m%d}{per_day[case.accepted]:03d}"
                for step in case.steps:
                    step.case = case.code
                city.cases.append(case)
    return added


def _clean_case(city: DemoCity, rng: random.Random, item: Item) -> Case:
    """A case of `item` no trace finds anything in, accepted on a working day of the case log."""
    span = (_LAST_ACCEPTED - CASES_FROM).days
    for _ in range(200):
        accepted = CASES_FROM + timedelta(days=rng.randint(0, span))
        case = build_case(city, rng, item, accepted) if is_workday(accepted) else None
        if case is not None and not case_findings(city, case):
            return case
    raise RuntimeError(f"no clean case of {item.code} could be made")


def _thin_units(city: DemoCity) -> list[dict[str, Any]]:
    """The units whose 编制数 is set below the others' (`thin_units`)."""
    thin = []
    for department, name, quota in _DATA["thin_units"]:
        unit = next(u for u in city.units if u.department == department and u.name == name)
        thin.append({"department": department, "unit": name, "quota": quota, "was": unit.quota})
        unit.quota = quota
    return thin


def _case_ready(city: DemoCity, item: Item) -> bool:
    stages = city.stages_of(item.code)
    return bool(stages) and all(s.post for s in stages)


def _holding(city: DemoCity, person: str, post: str) -> Holding:
    return next(h for h in city.holdings if h.person == person and h.post == post)


def _described(holding: Holding, department: str) -> dict[str, Any]:
    return {
        "person": holding.person,
        "post": holding.post,
        "department": department,
        "quota_department": holding.quota_department,
        "mode": holding.mode,
        "start": holding.start.isoformat() if holding.start else None,
        "end": holding.end.isoformat() if holding.end else None,
    }
