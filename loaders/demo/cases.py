"""The service centre's case log: cases (办件) of approval items, their steps, and accountability records.

Working days are `graph.workdays`': weekends and official holidays do not count, the official
make-up days do, and the day a period starts does not count, so a stage started on `started` and
finished on `finished` took the working days in (started, finished].

`case_findings` is the demo's own reference reading of a case (the findings `trace(case)` must
report); the generator uses it to keep clean cases clean and to write the planted cases' expected
findings into truth.json.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from graph.analyses.trace import DEFAULT_IDLE_TOLERANCE
from graph.workdays import add_working_days, working_days
from loaders.demo.records import Case, DemoCity, Item, Record, Stage, Step

__all__ = [
    "CASES_FROM",
    "CASES_TO",
    "build_case",
    "case_findings",
]

CASES_FROM = date(2023, 1, 3)
CASES_TO = date(2026, 10, 16)

_OPINIONS = {
    "受理": ("材料齐全，符合法定形式，予以受理。", "申请材料齐全，同意受理。"),
    "审查": (
        "经审查，申请材料真实有效，符合法定条件。",
        "经现场核查，符合许可条件，建议准予。",
        "审查通过。",
    ),
    "审核": ("同意审查意见，报分管领导审批。", "审核同意。"),
    "决定": ("准予许可。", "同意，准予办理。"),
    "批准": ("同意。", "批准。"),
    "送达": ("已送达申请人，送达回证存档。", "已通过窗口送达。"),
}


def build_case(
    city: DemoCity,
    rng: random.Random,
    item: Item,
    accepted: date,
    *,
    takes: Callable[[Stage], int] | None = None,
    waits: Callable[[Stage], int] | None = None,
    performer: Callable[[Stage, date], str | None] | None = None,
    skip: set[int] | None = None,
    fixed: dict[int, tuple[date, date]] | None = None,
    until: int | None = None,
) -> Case | None:
    """A case of `item` accepted on `accepted`, its steps following the item's stages in order.

    `takes` gives a stage's working days (default: within its limit), `waits` the idle working days
    before a stage starts, `performer` who did a stage on a day (default: the post's holder),
    `skip` stages left out, `fixed` (started, finished) of some stages, `until` the last stage done
    so far (an open case). Returns None when some stage's post has no holder to do it.
    """
    stages = city.stages_of(item.code)
    case = Case("", item.code, accepted, None, None)
    day = accepted
    for stage in stages:
        if until is not None and stage.step > until:
            break
        if skip and stage.step in skip:
            continue
        if fixed and stage.step in fixed:
            started, finished = fixed[stage.step]
        else:
            started = add_working_days(day, waits(stage) if waits else 0)
            limit = 1 if stage.name == "受理" else stage.days
            finished = add_working_days(started, takes(stage) if takes else rng.randint(0, limit))
        person = (
            performer(stage, started) if performer else _holder_throughout(city, stage, started, finished)
        )
        if person is None:
            return None
        opinion = rng.choice(_OPINIONS.get(stage.name, ("同意。",)))
        open_step = until is not None and stage.step == until
        case.steps.append(Step("", stage.step, person, started, None if open_step else finished, opinion))
        day = finished
    if until is None:
        case.closed = day
        case.outcome = "准予" if rng.random() < 0.88 else "不予"
        if case.outcome == "不予" and case.steps:
            case.steps[-1].opinion = "申请不符合法定条件，不予许可，已书面告知理由。"
    return case


def case_findings(city: DemoCity, case: Case) -> list[dict[str, Any]]:
    """What a trace of `case` must find, in stage order, then the whole-case findings.

    Conventions: the answerable person is the post's holder on the day the step started;
    VACANT_POST when nobody held the post then, NOT_HOLDER when the step's performer did not (so
    both for a vacant post); IDLE_BETWEEN_STAGES when more than the default tolerance of working
    days passed from the finish of the step before to the step's start (naming who finished the
    step before and who held the later stage's post when the wait began); CASE_OVERDUE when the
    case took more working days than the promised limit (or the statutory one where no limit is
    promised); skipped stages count only for closed cases.
    """
    item = city.item(case.item)
    steps = {s.step: s for s in case.steps}
    findings: list[dict[str, Any]] = []
    roles: dict[str, set[str]] = {}
    previous: Step | None = None
    for stage in city.stages_of(item.code):
        step = steps.get(stage.step)
        if step is None:
            if case.closed is not None:
                findings.append({"kind": "SKIPPED_STAGE", "step": stage.step, "stage": stage.name})
            continue
        roles.setdefault(step.person, set()).add(stage.role or "承办")
        if stage.post:
            holder = city.holder(stage.post, step.started)
            on = step.started.isoformat()
            if holder is None:
                findings.append(
                    {
                        "kind": "VACANT_POST",
                        "step": stage.step,
                        "post": stage.post,
                        "on": on,
                        "performed_by": step.person,
                    }
                )
            if holder != step.person:
                findings.append(
                    {
                        "kind": "NOT_HOLDER",
                        "step": stage.step,
                        "post": stage.post,
                        "on": on,
                        "performed_by": step.person,
                        "holder": holder,
                    }
                )
        if previous is not None and previous.finished is not None:
            waited = working_days(previous.finished, step.started)
            if waited > DEFAULT_IDLE_TOLERANCE:
                findings.append(
                    {
                        "kind": "IDLE_BETWEEN_STAGES",
                        "step": stage.step,
                        "after_step": previous.step,
                        "from": previous.finished.isoformat(),
                        "to": step.started.isoformat(),
                        "waited": waited,
                        "finished_by": previous.person,
                        "holder": city.holder(stage.post, previous.finished) if stage.post else None,
                    }
                )
        previous = step
        if step.finished is not None:
            taken = working_days(step.started, step.finished)
            if taken > stage.days:
                findings.append(
                    {"kind": "OVERDUE_STAGE", "step": stage.step, "limit": stage.days, "took": taken}
                )
    for person, held in sorted(roles.items()):
        if len(held) > 1:
            findings.append({"kind": "NO_SEPARATION", "person": person, "roles": sorted(held)})
    if case.closed is not None:
        total = working_days(case.accepted, case.closed)
        limit = item.promised_days or item.statutory_days
        if limit is not None and total > limit:
            findings.append(
                {
                    "kind": "CASE_OVERDUE",
                    "took": total,
                    "promised": item.promised_days,
                    "statutory": item.statutory_days,
                }
            )
    return findings


def add_accountability(
    city: DemoCity, planted: list[dict[str, Any]], rng: random.Random
) -> list[dict[str, Any]]:
    """Accountability records for the planted cases, and head-of-department accountability.

    Direct responsibility falls on whoever performed the faulty step, leadership responsibility
    on the unit's deputy in charge and the department's head as held on the case's dates.
    Returns the records' descriptions for truth.json.
    """
    sanctions = {
        "OVERDUE_STAGE": ("办理环节超过承诺时限，效率低下", "诫勉谈话"),
        "CASE_OVERDUE": ("办件超过承诺办结时限，造成群众多次往返", "责令书面检查"),
        "NOT_HOLDER": ("非本岗位人员代为审查签批，违反岗位责任制", "责令限期改正"),
        "VACANT_POST": ("岗位空缺期间未明确代理人员，审查环节由他人代办", "通报批评"),
        "SKIPPED_STAGE": ("未经审核环节即作出许可决定，违反法定程序", "通报批评"),
        "NO_SEPARATION": ("同一人承办并审核同一办件，未落实审批分离", "责令书面检查"),
    }
    raisers = ("巴中市监察局", "巴中市政务服务中心", "巴中市政府法制办公室", "巴中市人民政府办公室")
    described = []
    for plant in planted:
        case = plant["case_record"]
        kind = plant["planted"]
        if kind not in sanctions or not case.steps:
            continue
        fault, sanction = sanctions[kind]
        step = next((s for s in case.steps if s.step == plant.get("step")), case.steps[-1])
        decided = (case.closed or case.accepted) + timedelta(days=rng.randint(20, 60))
        item = city.item(case.item)
        department = item.departments[0]
        direct = step.person
        head = city.holder(city.head_post(department).code, step.started)
        raised_by = rng.choice(raisers)
        entries = [(direct, "直接责任", sanction)]
        if kind in ("SKIPPED_STAGE", "CASE_OVERDUE", "VACANT_POST") and head and head != direct:
            entries.append((head, "主要领导责任", "诫勉谈话"))
        deputy = _deputy_of(city, item, step.started)
        if kind in ("SKIPPED_STAGE", "NO_SEPARATION") and deputy and deputy not in (direct, head):
            entries.append((deputy, "重要领导责任", "诫勉谈话"))
        for person, responsibility, how in entries:
            record = Record("", person, case.code, fault, responsibility, how, decided, raised_by)
            city.records.append(record)
            described.append(
                {
                    "record": record,
                    "case": case.code,
                    "kind": kind,
                    "person": person,
                    "responsibility": responsibility,
                }
            )
    return described


def add_head_accountability(
    city: DemoCity, rng: random.Random, heads: list[tuple[str, date, str, str]]
) -> None:
    """行政首长问责 without a case: (department, date, fault, sanction) for the head in post that day."""
    for department, decided, fault, sanction in heads:
        person = city.holder(city.head_post(department).code, decided)
        if person:
            raised_by = (
                "巴中市人民政府办公室" if "任务" in fault else rng.choice(("巴中市审计局", "巴中市监察局"))
            )
            city.records.append(Record("", person, None, fault, "主要领导责任", sanction, decided, raised_by))


def _holder_throughout(city: DemoCity, stage: Stage, started: date, finished: date) -> str | None:
    if stage.post is None:
        return None
    holder = city.holder(stage.post, started)
    return holder if holder and holder == city.holder(stage.post, finished) else None


def _deputy_of(city: DemoCity, item: Item, day: date) -> str | None:
    for post in city.posts_of(item.departments[0]):
        if post.category == "分管领导" and item.unit in post.supervises:
            return city.holder(post.code, day)
    return None
