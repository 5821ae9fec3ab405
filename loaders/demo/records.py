"""The rows of the demo workbook while they are being built, one record type per sheet.

`DemoCity` holds them all, with the lookups the builders need and the `truth` being assembled.
Each record's `row()` is its sheet row, in the order of `SHEETS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "SHEETS",
    "Case",
    "DemoCity",
    "DepartmentRecord",
    "FunctionRecord",
    "Holding",
    "Item",
    "LawRow",
    "Post",
    "Record",
    "Stage",
    "Step",
    "UnitRecord",
]

Cell = str | int | date | None

#: sheet name -> headers, as users write them (simplified Chinese), in the order of workbook.md
SHEETS: dict[str, tuple[str, ...]] = {
    "部门": ("部门名称", "部门编码", "所属政府", "机构类型", "主管部门", "行政编制", "事业编制"),
    "内设机构": ("部门", "内设机构", "编制数", "职责"),
    "岗位": ("岗位编码", "部门", "内设机构", "岗位名称", "岗位类别", "职级", "分管内设机构", "岗位职责"),
    "任职": ("人员编号", "姓名", "岗位编码", "任职开始", "任职结束", "编制类型", "编制所在单位"),
    "职能": ("职能编码", "部门", "职能类别", "职能内容", "承担内设机构", "设定依据"),
    "权责清单": (
        "事项编码",
        "权力类型",
        "权力名称",
        "子项",
        "实施主体",
        "承办机构",
        "设定依据",
        "责任事项",
        "追责情形",
        "法定时限",
        "承诺时限",
        "前置事项",
        "备注",
    ),
    "审批环节": ("事项编码", "环节序号", "环节名称", "责任类型", "实施部门", "内设机构", "岗位编码", "时限"),
    "法律依据": ("依据名称", "效力层级", "条款", "条文", "规定职责", "主管部门"),
    "办件": ("办件编号", "事项编码", "受理时间", "办结时间", "办理结果", "问题描述"),
    "办件环节": ("办件编号", "环节序号", "经办人编号", "开始时间", "完成时间", "处理意见"),
    "问责": ("记录编号", "人员编号", "办件编号", "过错情形", "责任类型", "问责方式", "决定日期", "提出机关"),
}


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

    def row(self) -> tuple[Cell, ...]:
        return (
            self.name,
            self.code,
            self.government,
            self.kind,
            self.parent,
            self.admin_quota,
            self.institution_quota,
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

    def row(self) -> tuple[Cell, ...]:
        return (
            self.person,
            self.name,
            self.post,
            self.start,
            self.end,
            self.quota_type,
            self.quota_department,
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
