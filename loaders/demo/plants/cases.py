"""The city's planted cases: two or more a finding a trace must report, stages over 国庆节 and 春节, a few
open cases, then clean ones, with the accountability records of the planted ones; last, with a random
source of their own (so every case before them stays as it was), waits between stages over 国庆节 2025
and 春节 2026 and a vacant post covered by its unit head.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from graph.workdays import add_working_days, is_workday, working_days
from loaders.demo.cases import (
    CASES_FROM,
    add_accountability,
    add_head_accountability,
    build_case,
    case_findings,
)
from loaders.demo.records import Case, DemoCity, Item, Stage

__all__ = ["plant_cases"]

C = "巴中市"


def plant_cases(
    city: DemoCity, rng: random.Random, facts: dict[str, Any], clean: int = 230
) -> dict[str, Any]:
    """All cases: planted ones (two or more per finding, the holiday stages, a few open cases), then clean ones.

    Case ids are given in order of acceptance once all cases exist. Returns truth.json's case part.
    """
    planted: list[dict[str, Any]] = []
    used_items: set[str] = set()

    def attempt(
        kind: str, item: Item, accepted: Callable[[], date], expect: set[str], tries: int, **options: Any
    ) -> Case | None:
        for _ in range(tries):
            case = build_case(
                city, rng, item, accepted(), **{k: v for k, v in options.items() if k != "step"}
            )
            if case is not None and {f["kind"] for f in case_findings(city, case)} == expect:
                city.cases.append(case)
                used_items.add(item.code)
                planted.append({"planted": kind, "case_record": case, "step": options.get("step")})
                return case
        return None

    def plant(
        kind: str, department: str, name: str, accepted: Callable[[], date], expect: set[str], **options: Any
    ) -> Case:
        case = attempt(kind, city.items_named(department, name), accepted, expect, 200, **options)
        if case is None:
            raise RuntimeError(f"could not plant {kind} on {name}")
        return case

    def between(first: date, last: date) -> Callable[[], date]:
        return lambda: _workday(first + timedelta(days=rng.randint(0, (last - first).days)))

    def stage_named(item_name: str, department: str, stage: str) -> int:
        return next(
            s.step for s in city.stages_of(city.items_named(department, item_name).code) if s.name == stage
        )

    anytime = between(CASES_FROM, date(2026, 9, 30))

    # a stage over its limit (the case as a whole still within its promised days)
    for department, name in (
        (C + "市场监督管理局", "食品添加剂生产许可"),
        (C + "生态环境局", "排污许可证核发"),
    ):
        review = stage_named(name, department, "审查")
        plant(
            "OVERDUE_STAGE",
            department,
            name,
            anytime,
            {"OVERDUE_STAGE"},
            step=review,
            takes=lambda s, r=review: s.days + 2 if s.step == r else 0,
        )

    # done by someone who did not hold the answerable post then (one of them holds it today)
    land = C + "自然资源和规划局"
    change = facts["reviewer_change"]
    plant(
        "NOT_HOLDER",
        land,
        "建设工程规划许可证核发",
        between(date(2024, 10, 8), date(2024, 12, 20)),
        {"NOT_HOLDER"},
        step=2,
        performer=_performer_map(city, {"审查": lambda day: change["after"]}),
    )
    market = C + "市场监督管理局"
    plant(
        "NOT_HOLDER",
        market,
        "食品生产许可",
        anytime,
        {"NOT_HOLDER"},
        step=2,
        performer=_performer_map(city, {"审查": _holder_of_stage(city, market, "食品生产许可", "受理")}),
    )

    # a stage skipped
    for department, name in (
        (C + "住房和城乡建设局", "商品房预售许可"),
        (C + "公安局", "保安服务公司设立许可"),
    ):
        check = stage_named(name, department, "审核")
        plant("SKIPPED_STAGE", department, name, anytime, {"SKIPPED_STAGE"}, step=check, skip={check})

    # the answerable post empty on the day (the counter clerk did the review)
    window = facts["vacancy_window"]
    health = C + "卫生健康委员会"
    counter = _holder_of_stage(city, health, "公共场所卫生许可", "受理")
    opened, closed = date.fromisoformat(window["from"]), date.fromisoformat(window["to"])
    middle = opened + (closed - opened) / 2
    for first, last in (
        (opened + timedelta(days=3), middle),
        (middle + timedelta(days=3), closed - timedelta(days=12)),
    ):
        plant(
            "VACANT_POST",
            health,
            "公共场所卫生许可",
            between(first, last),
            {"VACANT_POST", "NOT_HOLDER"},
            step=2,
            performer=_performer_map(city, {"审查": counter}),
        )

    # one person handling and checking the same case (acting unit head)
    for acting, (department, name) in zip(
        facts["acting"],
        ((C + "交通运输局", "道路货物运输经营许可"), (C + "人力资源和社会保障局", "人力资源服务许可")),
        strict=True,
    ):
        start, end = date.fromisoformat(acting["from"]), date.fromisoformat(acting["to"])
        plant(
            "NO_SEPARATION",
            department,
            name,
            between(start + timedelta(days=3), end - timedelta(days=45)),
            {"NO_SEPARATION"},
            step=stage_named(name, department, "审核"),
        )

    # every stage in time, the case as a whole not: it waited between stages (and the wait is a finding)
    for department, name in ((C + "农业农村局", "农药经营许可"), (C + "文化广电旅游局", "旅行社设立许可")):
        item = city.items_named(department, name)
        check = stage_named(name, department, "审核")
        wait = (item.promised_days or 10) + 3
        plant(
            "CASE_OVERDUE",
            department,
            name,
            anytime,
            {"CASE_OVERDUE", "IDLE_BETWEEN_STAGES"},
            step=check,
            takes=lambda s: min(s.days, 1),
            waits=lambda s, c=check, w=wait: w if s.step == c else 0,
        )

    # stages spanning 国庆节 2024 and 春节 2025 (working days counted with the official calendar)
    holidays: list[dict[str, Any]] = []
    for holiday, department, name, accept, span in (
        (
            "国庆节 2024",
            C + "水利局",
            "取水许可",
            (date(2024, 9, 26), date(2024, 9, 27)),
            (date(2024, 9, 27), date(2024, 10, 12)),
        ),
        (
            "春节 2025",
            C + "民政局",
            "社会团体成立、变更、注销登记",
            (date(2025, 1, 23), date(2025, 1, 24)),
            (date(2025, 1, 24), date(2025, 2, 10)),
        ),
    ):
        preferred = city.items_named(department, name)
        candidates = [preferred] + [
            i
            for i in city.items
            if i.government == preferred.government
            and _case_ready(city, i)
            and len(city.stages_of(i.code)) > 2
            and city.stages_of(i.code)[1].days >= working_days(*span)
        ]
        case = next(
            found
            for candidate in candidates
            if (
                found := attempt(
                    "HOLIDAY",
                    candidate,
                    _fixed_day(accept[0]),
                    set(),
                    1,
                    fixed={1: accept, 2: span},
                    takes=lambda s: 1,
                )
            )
        )
        holidays.append(
            {
                "case_record": case,
                "step": 2,
                "holiday": holiday,
                "started": span[0].isoformat(),
                "finished": span[1].isoformat(),
                "working_days": working_days(*span),
                "weekdays": _weekdays(*span),
                "limit": city.stages_of(case.item)[1].days,
            }
        )

    # open cases: accepted in late October, review not finished yet
    staged = [
        i for i in city.items if city.stages_of(i.code) and i.government == city.departments[0].government
    ]
    open_cases = []
    eligible = [i for i in staged if _case_ready(city, i) and i.code not in used_items]
    for item in rng.sample(eligible, 3):
        for _ in range(50):
            accepted = _workday(date(2026, 10, 19) + timedelta(days=rng.randint(0, 4)))
            open_case = build_case(city, rng, item, accepted, until=2)
            if open_case is not None and not case_findings(city, open_case):
                city.cases.append(open_case)
                open_cases.append(open_case)
                break

    # clean cases
    weights = [
        3 if any(word in i.name for word in ("食品", "不动产", "医疗", "道路", "建设工程", "工伤")) else 1
        for i in eligible
    ]
    added = attempts = 0
    while added < clean:
        attempts += 1
        if attempts > clean * 20:
            raise RuntimeError(f"only {added} clean cases could be made")
        item = rng.choices(eligible, weights)[0]
        candidate = build_case(city, rng, item, anytime())
        if candidate is not None and not case_findings(city, candidate):
            city.cases.append(candidate)
            added += 1

    waits = _plant_waits_and_cover(city, random.Random("quanze demo: waits and a covered vacancy"), facts)
    _number_cases(city)
    accountability = add_accountability(city, planted, rng)
    add_head_accountability(
        city,
        rng,
        [
            (market, date(2024, 3, 15), "对辖区食品安全监管不力，发生群体性食品安全事件", "责令公开道歉"),
            (
                C + "住房和城乡建设局",
                date(2023, 11, 20),
                "逾期未完成市政府交办的保障性住房建设任务，两次督办仍未完成",
                "责令书面检查",
            ),
            (C + "交通运输局", date(2025, 8, 12), "重点项目推进不力，未完成年度工作目标任务", "诫勉谈话"),
            (C + "生态环境局", date(2024, 12, 9), "审计发现专项资金使用违反财经法规", "通报批评"),
        ],
    )
    _number_records(city)
    return {
        "planted": [_describe_case(city, p) for p in planted + waits if p["planted"] != "HOLIDAY"],
        "holiday_stages": [
            {
                "case": h["case_record"].code,
                "item": h["case_record"].item,
                "step": h["step"],
                "holiday": h["holiday"],
                "started": h["started"],
                "finished": h["finished"],
                "working_days": h["working_days"],
                "calendar_weekdays": h["weekdays"],
                "limit": h["limit"],
                "findings": case_findings(city, h["case_record"]),
            }
            for h in holidays
        ],
        "open": [c.code for c in open_cases],
        "accountability": [
            {
                "record": a["record"].code,
                "case": a["case"],
                "kind": a["kind"],
                "person": a["person"],
                "responsibility": a["responsibility"],
            }
            for a in accountability
        ],
    }


def _plant_waits_and_cover(city: DemoCity, rng: random.Random, facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Cases a trace finds waits in, across holidays with make-up working days, and one whose vacant
    审查 post its unit head covered; described as `plant_cases`' plants (no accountability records).

    国庆节 2025 (10-01..10-08 off, Sunday 09-28 a make-up day): from Friday 09-26 to Thursday 10-09 is 4
    working days. 春节 2026 (02-15..02-23 off, Saturday 02-14 a make-up day): from Friday 02-13 to
    Tuesday 02-24 is 2 working days, one more than the tolerance only because of the make-up Saturday.
    """
    plants: list[dict[str, Any]] = []
    government = city.departments[0].government
    runs = Counter(case.item for case in city.cases)
    # the items run most already, so that one run more changes no item's standing in the scorecards
    waiting = sorted(
        (
            i
            for i in city.items
            if i.government == government and _case_ready(city, i) and len(city.stages_of(i.code)) > 2
        ),
        key=lambda i: (-runs[i.code], i.code),
    )
    for accept, span in (
        ((date(2025, 9, 25), date(2025, 9, 26)), (date(2025, 10, 9), date(2025, 10, 10))),
        ((date(2026, 2, 12), date(2026, 2, 13)), (date(2026, 2, 24), date(2026, 2, 25))),
    ):
        case = next(
            found
            for item in waiting
            if (
                found := build_case(city, rng, item, accept[0], fixed={1: accept, 2: span}, takes=lambda s: 1)
            )
            and {f["kind"] for f in case_findings(city, found)} == {"IDLE_BETWEEN_STAGES"}
        )
        city.cases.append(case)
        plants.append({"planted": "IDLE_BETWEEN_STAGES", "case_record": case, "step": 2})
    window = facts["vacancy_window"]
    health = C + "卫生健康委员会"
    item = city.items_named(health, "公共场所卫生许可")
    head = _holder_of_stage(city, health, "公共场所卫生许可", "审核")  # the 行政审批科's head
    accepted = date.fromisoformat(window["to"]) - timedelta(days=14)
    covered = build_case(
        city,
        rng,
        item,
        _workday(accepted),
        takes=lambda s: 1,
        performer=_performer_map(city, {"审查": head}),
    )
    expected = {"VACANT_POST", "NOT_HOLDER", "NO_SEPARATION"}  # the head then checks what they handled
    if covered is None or {f["kind"] for f in case_findings(city, covered)} != expected:
        raise RuntimeError("could not plant the unit head covering the vacant 审查 post")
    city.cases.append(covered)
    plants.append(
        {"planted": "VACANT_POST", "case_record": covered, "step": 2, "covered_by": "内设机构负责人"}
    )
    return plants


def _fixed_day(day: date) -> Callable[[], date]:
    return lambda: day


def _performer_map(
    city: DemoCity, by_stage: dict[str, Callable[[date], str | None]]
) -> Callable[[Stage, date], str | None]:
    def performer(stage: Stage, day: date) -> str | None:
        if stage.name in by_stage:
            return by_stage[stage.name](day)
        return city.holder(stage.post, day) if stage.post else None

    return performer


def _holder_of_stage(city: DemoCity, department: str, name: str, stage: str) -> Callable[[date], str | None]:
    item = city.items_named(department, name)
    post = next(s.post for s in city.stages_of(item.code) if s.name == stage)
    return lambda day: city.holder(post, day) if post else None


def _case_ready(city: DemoCity, item: Item) -> bool:
    return all(s.post for s in city.stages_of(item.code))


def _workday(day: date) -> date:
    return day if is_workday(day) else add_working_days(day, 1)


def _weekdays(started: date, finished: date) -> int:
    return sum(
        1 for n in range(1, (finished - started).days + 1) if (started + timedelta(days=n)).weekday() < 5
    )


def _number_cases(city: DemoCity) -> None:
    city.cases.sort(key=lambda c: (c.accepted, c.item, c.steps[0].person if c.steps else ""))
    per_day: dict[date, int] = {}
    for case in city.cases:
        per_day[case.accepted] = per_day.get(case.accepted, 0) + 1
        case.code = f"BJ{case.accepted:%Y%m%d}{per_day[case.accepted]:03d}"
        for step in case.steps:
            step.case = case.code


def _number_records(city: DemoCity) -> None:
    city.records.sort(key=lambda r: (r.decided, r.person))
    per_year: dict[int, int] = {}
    for record in city.records:
        per_year[record.decided.year] = per_year.get(record.decided.year, 0) + 1
        record.code = f"WZ-{record.decided.year}-{per_year[record.decided.year]:03d}"


def _describe_case(city: DemoCity, plant: dict[str, Any]) -> dict[str, Any]:
    case: Case = plant["case_record"]
    return {
        "case": case.code,
        "item": case.item,
        "planted": plant["planted"],
        "step": plant["step"],
        **({"covered_by": plant["covered_by"]} if "covered_by" in plant else {}),
        "findings": case_findings(city, case),
    }
