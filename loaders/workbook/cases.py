"""Read the case sheets of a workbook: cases (办件), their steps (办件环节) and accountability records (问责).

A case is of one power item, accepted on a date and closed on one not before it; each step is one of
the item's stages, performed by a person of the holdings sheet from a date; an accountability record
names a person, and the case when there is one.
"""

from __future__ import annotations

from graph import ids
from graph.text import normalize
from loaders.workbook.builder import WorkbookBuilder
from loaders.workbook.rows import SheetRow
from ontology import EdgeKind, NodeKind

__all__ = ["read_case", "read_case_step", "read_record"]

_OUTCOMES = {normalize(name): name for name in ("准予", "不予", "退回", "逾期", "撤回")}
_RESPONSIBILITIES = {normalize(name): name for name in ("直接责任", "主要领导责任", "重要领导责任")}


def read_case(builder: WorkbookBuilder, row: SheetRow) -> None:
    code, item_code = row.required("case_id"), row.required("item_code")
    accepted, closed = row.date("accepted"), row.date("closed")
    if accepted is None and not row.text("accepted"):
        row.problem("accepted", "", "is required")
    if accepted and closed and closed < accepted:
        row.problem("closed", closed.isoformat(), f"is before the acceptance {accepted.isoformat()}")
    items = builder.find_items(row, "item_code", item_code) if item_code else []
    row.defines.append(("cases", normalize(code)))
    if not code or not items or accepted is None:
        return
    case = ids.case_id(code)
    if case in builder.case_items:
        row.problem("case_id", code, "is a duplicate case number")
        return
    row.node(
        case,
        NodeKind.CASE,
        case_id=code,
        accepted=accepted,
        closed=closed,
        outcome=row.choice("outcome", _OUTCOMES),
        problem=row.text("problem"),
        extra=row.extra(),
    )
    row.edge(case, EdgeKind.CASE_OF, items[0])
    if not row.problems:
        builder.case_items[case] = items[0]


def read_case_step(builder: WorkbookBuilder, row: SheetRow) -> None:
    code, step, person_code = row.required("case_id"), row.integer("step"), row.required("person_id")
    started, finished = row.date("started"), row.date("finished")
    if started is None and not row.text("started"):
        row.problem("started", "", "is required")
    if started and finished and finished < started:
        row.problem("finished", finished.isoformat(), f"is before the start {started.isoformat()}")
    case = ids.case_id(code) if code else None
    if case and case not in builder.case_items:
        builder.unknown(
            row,
            "cases",
            normalize(code),
            "case_id",
            code,
            "names an unknown case (not in the cases sheet)",
        )
        case = None
    person = builder.find_person(row, "person_id", person_code) if person_code else None
    if case is None or step is None or person is None or started is None:
        if step is None and not row.text("step"):
            row.problem("step", "", "is required")
        return
    case_step = ids.case_step_id(code, step)
    if case_step in builder.result.nodes:
        row.problem("step", step, f"is a duplicate step of case {code}")
        return
    stage = ids.stage_id(builder.case_items[case], step)
    if stage not in builder.result.nodes:
        key = f"{builder.case_items[case]}/{step}"
        builder.unknown(row, "stages", key, "step", str(step), f"the case's item has no stage {step}")
        return
    row.node(
        case_step,
        NodeKind.CASE_STEP,
        step=step,
        started=started,
        finished=finished,
        opinion=row.text("opinion"),
        extra=row.extra(),
    )
    row.edge(case_step, EdgeKind.STEP_OF, case)
    row.edge(case_step, EdgeKind.STEP_STAGE, stage)
    row.edge(case_step, EdgeKind.PERFORMED_BY, person)


def read_record(builder: WorkbookBuilder, row: SheetRow) -> None:
    code, person_code = row.required("record_id"), row.required("person_id")
    decided = row.date("date")
    if decided is None and not row.text("date"):
        row.problem("date", "", "is required")
    person = builder.find_person(row, "person_id", person_code) if person_code else None
    case_code = row.text("case_id")
    case = ids.case_id(case_code) if case_code else None
    if case and case not in builder.case_items:
        reason = "names an unknown case (not in the cases sheet)"
        builder.unknown(row, "cases", normalize(case_code), "case_id", case_code, reason)
    record = ids.record_id(code) if code else None
    if record and record in builder.result.nodes:
        row.problem("record_id", code, "is a duplicate record number")
    if not record or person is None or decided is None:
        return
    row.node(
        record,
        NodeKind.ACCOUNTABILITY_RECORD,
        record_id=code,
        fault=row.text("fault"),
        responsibility=row.choice("responsibility", _RESPONSIBILITIES),
        sanction=row.text("sanction"),
        date=decided,
        raised_by=row.text("raised_by"),
        extra=row.extra(),
    )
    row.edge(record, EdgeKind.RECORD_OF, person)
    if case:
        row.edge(record, EdgeKind.RECORD_CASE, case)
