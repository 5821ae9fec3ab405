"""The sheets of the input workbook and their columns, as data (see shared/spec/workbook.md).

A sheet and a column may be named in simplified or traditional Chinese or by the
English alias; names are compared in normalised form (`graph.text.normalize`,
case-folded, without brackets and a trailing colon), so `部門名稱`, ` 部门名称：`
and `department` all name the same column.

    >>> SHEETS["departments"].column_for("部門名稱").name
    'department'
    >>> sheet_for("辦件環節").name
    'case_steps'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from graph.text import normalize

__all__ = ["SHEETS", "Column", "Sheet", "Type", "header_key", "sheet_for"]


class Type(Enum):
    """How a column's cells are read."""

    TEXT = "text"
    INT = "int"
    DATE = "date"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its English alias (the name used in code), its Chinese header, and how it is read."""

    name: str
    header: str
    required: bool = False
    type: Type = Type.TEXT
    also: tuple[str, ...] = ()  # other headers users write for it


@dataclass(frozen=True, slots=True)
class Sheet:
    """A sheet: its English name, its Chinese name, and its columns."""

    name: str
    title: str
    columns: tuple[Column, ...]
    required: bool = False
    also: tuple[str, ...] = ()
    _by_key: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for column in self.columns:
            for header in (column.name, column.header, *column.also):
                self._by_key[header_key(header)] = column

    def column_for(self, header: str) -> Column | None:
        """The column a header names, or None for a column this sheet does not know."""
        key = header_key(header)
        column = self._by_key.get(key)
        if column is None and "(" in key:
            column = self._by_key.get(re.sub(r"\(.*?\)", "", key))
        return column

    @property
    def required_columns(self) -> list[Column]:
        return [column for column in self.columns if column.required]


_BRACKETS = re.compile(r"[【】\[\]<>《》〈〉]")
_TRAILING_COLON = re.compile(r"[:：]+$")


def header_key(header: str) -> str:
    """The form headers and sheet names are compared in."""
    key = normalize(header).casefold()
    key = _TRAILING_COLON.sub("", _BRACKETS.sub("", key))
    return key.replace("（", "(").replace("）", ")").replace(" ", "").replace("_", "")


def _col(
    name: str, header: str, *, required: bool = False, type: Type = Type.TEXT, also: tuple[str, ...] = ()
) -> Column:
    return Column(name, header, required, type, also)


_T, _I, _D, _L = Type.TEXT, Type.INT, Type.DATE, Type.LIST

SHEETS: dict[str, Sheet] = {
    sheet.name: sheet
    for sheet in (
        Sheet(
            "departments",
            "部门",
            (
                _col("department", "部门名称", required=True, also=("部门", "单位名称", "机构名称")),
                _col("code", "部门编码", also=("单位编码",)),
                _col("government", "所属政府", required=True),
                _col("kind", "机构类型"),
                _col("parent", "主管部门"),
                _col("admin_quota", "行政编制", type=_I),
                _col("institution_quota", "事业编制", type=_I),
                _col("leader_quota", "领导职数", type=_I),
            ),
            required=True,
        ),
        Sheet(
            "units",
            "内设机构",
            (
                _col("department", "部门", required=True, also=("部门名称",)),
                _col("unit", "内设机构", required=True, also=("内设机构名称", "科室")),
                _col("quota", "编制数", type=_I),
                _col("duties", "职责"),
            ),
        ),
        Sheet(
            "posts",
            "岗位",
            (
                _col("post_code", "岗位编码", required=True),
                _col("department", "部门", required=True, also=("部门名称",)),
                _col("unit", "内设机构"),
                _col("post", "岗位名称", required=True),
                _col("category", "岗位类别"),
                _col("rank", "职级"),
                _col("supervises", "分管内设机构", type=_L),
                _col("duties", "岗位职责"),
            ),
        ),
        Sheet(
            "holdings",
            "任职",
            (
                _col("person_id", "人员编号", required=True),
                _col("name", "姓名", required=True),
                _col("post_code", "岗位编码"),
                _col("start", "任职开始", type=_D, also=("任职开始时间", "开始时间")),
                _col("end", "任职结束", type=_D, also=("任职结束时间", "结束时间")),
                _col("quota_type", "编制类型"),
                _col("quota_department", "编制所在单位"),
                _col("mode", "任职方式"),
            ),
        ),
        Sheet(
            "functions",
            "职能",
            (
                _col("function_code", "职能编码", required=True),
                _col("department", "部门", required=True, also=("部门名称",)),
                _col("category", "职能类别"),
                _col("text", "职能内容", required=True),
                _col("units", "承担内设机构", type=_L),
                _col("basis", "设定依据"),
            ),
        ),
        Sheet(
            "powers",
            "权责清单",
            (
                _col("item_code", "事项编码", required=True),
                _col("power_type", "权力类型", required=True),
                _col("item", "权力名称", required=True, also=("事项名称",)),
                _col("sub_item", "子项", also=("子项名称",)),
                _col("department", "实施主体", required=True, type=_L, also=("行使主体",)),
                _col("unit", "承办机构"),
                _col("basis", "设定依据", also=("实施依据",)),
                _col("duties", "责任事项", also=("责任事项内容",)),
                _col("triggers", "追责情形"),
                _col("statutory_days", "法定时限", type=_I),
                _col("promised_days", "承诺时限", type=_I),
                _col("prerequisites", "前置事项", type=_L),
                _col("note", "备注"),
            ),
            required=True,
            also=("权力清单", "权责事项"),
        ),
        Sheet(
            "stages",
            "审批环节",
            (
                _col("item_code", "事项编码", required=True),
                _col("step", "环节序号", required=True, type=_I),
                _col("stage", "环节名称", required=True),
                _col("role", "责任类型"),
                _col("department", "实施部门"),
                _col("unit", "内设机构"),
                _col("post_code", "岗位编码"),
                _col("days", "时限", type=_I),
            ),
        ),
        Sheet(
            "laws",
            "法律依据",
            (
                _col("law", "依据名称", required=True, also=("法律名称",)),
                _col("rank", "效力层级"),
                _col("article", "条款"),
                _col("text", "条文"),
                _col("mandated_duty", "规定职责"),
                _col("competent", "主管部门"),
            ),
        ),
        Sheet(
            "cases",
            "办件",
            (
                _col("case_id", "办件编号", required=True),
                _col("item_code", "事项编码", required=True),
                _col("accepted", "受理时间", required=True, type=_D),
                _col("closed", "办结时间", type=_D),
                _col("outcome", "办理结果"),
                _col("problem", "问题描述"),
            ),
        ),
        Sheet(
            "case_steps",
            "办件环节",
            (
                _col("case_id", "办件编号", required=True),
                _col("step", "环节序号", required=True, type=_I),
                _col("person_id", "经办人编号", required=True),
                _col("started", "开始时间", required=True, type=_D),
                _col("finished", "完成时间", type=_D),
                _col("opinion", "处理意见"),
            ),
        ),
        Sheet(
            "accountability",
            "问责",
            (
                _col("record_id", "记录编号", required=True),
                _col("person_id", "人员编号", required=True),
                _col("case_id", "办件编号"),
                _col("fault", "过错情形"),
                _col("responsibility", "责任类型"),
                _col("sanction", "问责方式"),
                _col("date", "决定日期", required=True, type=_D),
                _col("raised_by", "提出机关"),
            ),
            also=("问责记录",),
        ),
        Sheet(
            "supervision",
            "督办",
            (
                _col("notice_id", "通知编号", required=True, also=("督办编号", "通知书编号")),
                _col("department", "部门", required=True, also=("督办部门", "被督办部门", "部门名称")),
                _col("matter", "督办事项", required=True, also=("事项",)),
                _col("date", "发出日期", required=True, type=_D, also=("督办日期", "发文日期")),
                _col("deadline", "办结时限", type=_D),
                _col("done", "办结日期", type=_D),
                _col("transferred", "移送日期", type=_D, also=("移送监察日期",)),
            ),
            also=("督办通知", "督办通知书"),
        ),
    )
}

_SHEET_KEYS = {
    header_key(name): sheet for sheet in SHEETS.values() for name in (sheet.name, sheet.title, *sheet.also)
}


def sheet_for(name: str) -> Sheet | None:
    """The sheet a sheet (or CSV file) name stands for, or None for a sheet quanze does not read."""
    return _SHEET_KEYS.get(header_key(name))
