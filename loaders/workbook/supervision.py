"""Read the supervision sheet of a workbook (督办): the supervision notices (督办通知书) sent to departments.

A notice names the department it is sent to (by name or code, as the departments sheet has it), the
matter as written and the day it was sent; the day the matter was to be finished by, finished and
transferred to the supervision department (移送监察) are optional, and none of them may come before
the day the notice was sent. `graph.analyses.supervision` finds the matters due for transfer.
"""

from __future__ import annotations

from datetime import date

from graph.text import normalize
from loaders.workbook.builder import WorkbookBuilder
from loaders.workbook.rows import SheetRow
from ontology import EdgeKind, NodeKind

__all__ = ["notice_id", "read_notice"]

#: the optional dates of a notice, which cannot be before the day it was sent
_LATER_DATES = {"deadline": "time limit", "done": "day it was done", "transferred": "day of transfer"}


def notice_id(code: str) -> str:
    """The node id of the supervision notice numbered `code` (in either script).

    >>> notice_id("督辦〔2024〕３号")
    'notice:督办〔2024〕3号'
    """
    return f"notice:{normalize(code)}"


def read_notice(builder: WorkbookBuilder, row: SheetRow) -> None:
    code, department_name, matter = (
        row.required("notice_id"),
        row.required("department"),
        row.required("matter"),
    )
    issued = row.date("date")
    if issued is None and not row.text("date"):
        row.problem("date", "", "is required")
    later = {name: row.date(name) for name in _LATER_DATES}
    if issued is not None:
        _check_not_before(row, issued, later)
    department = builder.find_department(row, "department", department_name) if department_name else None
    notice = notice_id(code) if code else None
    if notice and notice in builder.result.nodes:
        row.problem("notice_id", code, "is a duplicate notice number")
    if not notice or department is None or not matter or issued is None:
        return
    row.node(
        notice,
        NodeKind.SUPERVISION_NOTICE,
        notice_id=code,
        matter=matter,
        issued=issued,
        extra=row.extra(),
        **later,
    )
    row.edge(notice, EdgeKind.NOTICE_TO, department, "department")


def _check_not_before(row: SheetRow, issued: date, later: dict[str, date | None]) -> None:
    for name, day in later.items():
        if day is not None and day < issued:
            what = _LATER_DATES[name]
            row.problem(
                name, day.isoformat(), f"the {what} is before the notice was sent ({issued.isoformat()})"
            )
