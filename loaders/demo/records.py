"""The rows of the demo workbook while they are being built, one record type per sheet.

`DemoCity` holds them all, with the lookups the builders need and the `truth` being assembled.
Each record's `row()` is its sheet row, in the order of `sheets.SHEETS`; `sheet_rows` gives every
sheet's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "Case",
    "DemoCity",
    "DepartmentRecord",
    "FunctionRecord",
    "Holding",
    "Item",
    "LawRow",
    "Notice",
    "Post",
    "Record",
    "Stage",
    "Step",
    "UnitRecord",
    "sheet_rows",
]

Cell = str | int | date | None
Row = tuple[Cell, ...]


@dataclass
class DepartmentRecord:
    name: str
    code: str
    government: str
    kind: str
    parent: str | None
    key: str
    admin_quota: int | None = None
    institution_quota: int | None = None
    leader_quota: int | None = None

    def row(self) -> tuple[Cell, ...]:
        return (
            self.name,
            self.code,
            self.government,
            self.kind,
            self.parent,
            self.admin_quota,
            self.institution_quota,
            self.leader_quota,
        )


@dataclass
class UnitRecord:
    department: str
    name: str
    duties: str
    quota: int | None = None

    def row(self) -> tuple[Cell, ...]:
        return (self.department, self.name, self.quota, self.duties)


@dataclass
class Post:
    code: str
    department: str
    unit: str | None
    name: str
    category: str
    rank: str
    duties: str
    supervises: tuple[str, ...] = ()

    def row(self) -> tuple[Cell, ...]:
        return (
            self.code,
            self.department,
            self.unit,
            self.name,
            self.category,
            self.rank,
            "、".join(self.supervises) or None,
            self.duties,
        )


@dataclass
class Holding:
    person: str
    name: str
    post: str | None
    start: date | None
    end: date | None
    quota_type: str | None
    quota_department: str | None
    mode: str | None = None  # 任职方式: None for 任职 (an empty cell), 兼任, 借调 or 挂职

    def row(self) -> tuple[Cell, ...]:
        return (
            self.person,
            self.name,
            self.post,
            self.start,
            self.end,
            self.quota_type,
            self.quota_department,
            self.mode,
        )

    def covers(self, day: date) -> bool:
        """Whether the holding covers `day`: [start, end)."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class FunctionRecord:
    code: str
    department: str
    category: str
    text: str
    units: tuple[str, ...]
    basis: str

    def row(self) -> tuple[Cell, ...]:
        return (
            self.code,
            self.department,
            self.category,
            self.text,
            "、".join(self.units) or None,
            self.basis or None,
        )


@dataclass
class Item:
    code: str
    power_type: str
    name: str
    departments: tuple[str, ...]
    unit: str | None
    basis: str
    duties: str
    triggers: str
    cited: tuple[tuple[str, str], ...]  # (law short name, article) pairs, for checks
    government: str
    cited_spec: tuple[tuple[str, str], ...] = ()  # (law, articles as written: 第七条至第九条)
    sub_items: tuple[str, ...] = ()
    statutory_days: int | None = None
    promised_days: int | None = None
    prerequisites: tuple[str, ...] = ()
    note: str | None = None
    shown_name: str | None = None  # the name as written, when written differently (traditional script)

    def rows(self) -> list[tuple[Cell, ...]]:
        """One row, or one row per sub-item (same code, name and department)."""
        common = (self.power_type, self.shown_name or self.name)
        tail = (
            "、".join(self.departments),
            self.unit,
            self.basis,
            self.duties,
            self.triggers,
            self.statutory_days,
            self.promised_days,
            "、".join(self.prerequisites) or None,
            self.note,
        )
        return [(self.code, *common, sub, *tail) for sub in (self.sub_items or (None,))]


@dataclass
class Stage:
    item: str
    step: int
    name: str
    role: str | None
    department: str | None
    unit: str | None
    post: str | None
    days: int
    written_role: bool = True
    written_department: bool = False

    def row(self) -> tuple[Cell, ...]:
        return (
            self.item,
            self.step,
            self.name,
            self.role if self.written_role else None,
            self.department if self.written_department else None,
            self.unit,
            self.post,
            self.days,
        )


@dataclass
class LawRow:
    law: str
    rank: str | None
    article: str | None
    text: str | None
    duty: str | None = None
    competent: str | None = None

    def row(self) -> tuple[Cell, ...]:
        return (self.law, self.rank, self.article, self.text, self.duty, self.competent)


@dataclass
class Step:
    case: str
    step: int
    person: str
    started: date
    finished: date | None
    opinion: str

    def row(self) -> tuple[Cell, ...]:
        return (self.case, self.step, self.person, self.started, self.finished, self.opinion)


@dataclass
class Case:
    code: str
    item: str
    accepted: date
    closed: date | None
    outcome: str | None
    problem: str | None = None
    steps: list[Step] = field(default_factory=list)

    def row(self) -> tuple[Cell, ...]:
        return (self.code, self.item, self.accepted, self.closed, self.outcome, self.problem)


@dataclass
class Record:
    code: str
    person: str
    case: str | None
    fault: str
    responsibility: str
    sanction: str
    decided: date
    raised_by: str

    def row(self) -> tuple[Cell, ...]:
        return (
            self.code,
            self.person,
            self.case,
            self.fault,
            self.responsibility,
            self.sanction,
            self.decided,
            self.raised_by,
        )


@dataclass
class Notice:
    """A supervision notice (督办通知书): a row of 督办."""

    code: str
    department: str
    matter: str
    issued: date
    deadline: date | None = None
    done: date | None = None
    transferred: date | None = None

    def row(self) -> tuple[Cell, ...]:
        return (
            self.code,
            self.department,
            self.matter,
            self.issued,
            self.deadline,
            self.done,
            self.transferred,
        )


@dataclass
class DemoCity:
    """Everything generated so far, with lookups; `truth` collects what was planted."""

    departments: list[DepartmentRecord] = field(default_factory=list)
    units: list[UnitRecord] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    functions: list[FunctionRecord] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    laws: list[LawRow] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    truth: dict[str, Any] = field(default_factory=dict)
    _post_index: dict[str, Post] = field(default_factory=dict, repr=False)

    def department(self, name: str) -> DepartmentRecord:
        return next(d for d in self.departments if d.name == name)

    def post(self, code: str) -> Post:
        return self._posts()[code]

    def item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)

    def items_named(self, department: str, name: str) -> Item:
        return next(i for i in self.items if department in i.departments and i.name == name)

    def posts_of(self, department: str, unit: str | None = None) -> list[Post]:
        return [p for p in self.posts if p.department == department and (unit is None or p.unit == unit)]

    def head_post(self, department: str) -> Post:
        return next(p for p in self.posts if p.department == department and p.category == "行政首长")

    def holder(self, post: str, day: date) -> str | None:
        """The person holding `post` on `day` (the first by start date when several do)."""
        holders = sorted(
            (h.start or date.min, h.person) for h in self.holdings if h.post == post and h.covers(day)
        )
        return holders[0][1] if holders else None

    def stages_of(self, item: str) -> list[Stage]:
        return sorted((s for s in self.stages if s.item == item), key=lambda s: s.step)

    def name_of(self, person: str) -> str:
        return next(h.name for h in self.holdings if h.person == person)

    def _posts(self) -> dict[str, Post]:
        if len(self._post_index) != len(self.posts):
            self._post_index = {p.code: p for p in self.posts}
        return self._post_index


def sheet_rows(city: DemoCity) -> dict[str, list[Row]]:
    """The rows of every sheet, in the order of the workbook format."""
    return {
        "部门": [d.row() for d in city.departments],
        "内设机构": [u.row() for u in city.units],
        "岗位": [p.row() for p in city.posts],
        "任职": [_holding_row(h.row()) for h in city.holdings],
        "职能": [f.row() for f in city.functions],
        "权责清单": [row for item in city.items for row in item.rows()],
        "审批环节": [s.row() for s in city.stages],
        "法律依据": [law.row() for law in city.laws],
        "办件": [c.row() for c in city.cases],
        "办件环节": [s.row() for c in city.cases for s in c.steps],
        "问责": [r.row() for r in city.records],
        "督办": [n.row() for n in city.notices],
    }


def _holding_row(row: Row) -> Row:
    """A few start dates written as users type them (2024/3/5, 2024年3月5日) rather than as Excel dates."""
    person, start = row[0], row[3]
    number = int(str(person)[1:])
    if isinstance(start, date) and number % 37 == 5:
        start = f"{start.year}/{start.month}/{start.day}"
    elif isinstance(start, date) and number % 41 == 7:
        start = f"{start.year}年{start.month}月{start.day}日"
    return (*row[:3], start, *row[4:])
