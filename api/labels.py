"""The Chinese a person reads in what quanze writes: the heads of a report's columns, its titles and
sheets, and the names of the kinds of finding.

A report's rows are keyed by stable machine keys in camelCase (`kinds`, `score`, `departments`), as
the API names its fields; JSON keeps those keys, and a table, a CSV or a workbook shows each as its
head here (类型, 分值, 涉及部门). A key not in `HEADS` is shown as it is written: rows whose keys are
already heads (the views' exports, the evaluation's sheets) pass through unchanged. The names of the
kinds say what the views say (api/static/js/labels.js), so an office reads one word for one thing.

    head("departments")            # "涉及部门"
    label(GAP_KINDS, "NO_HEAD")    # "无行政首长"
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

__all__ = [
    "FINDING_KINDS",
    "GAP_KINDS",
    "HEADS",
    "OVERLAP_KINDS",
    "REPORTS",
    "SPLIT_KINDS",
    "VERDICTS",
    "ReportTitle",
    "head",
    "label",
    "report_title",
]

#: the kinds of overlap evidence (OverlapKind), as labels.js `OVERLAP_KINDS`
OVERLAP_KINDS = {
    "SAME_ITEM": "同一事项",
    "JOINT": "联合实施",
    "SHARED_BASIS": "共同依据",
    "SIMILAR_TEXT": "表述相近",
}

#: the overlaps' verdicts (OverlapVerdict), as labels.js `OVERLAP_VERDICTS`
VERDICTS = {"OVERLAP": "交叉", "BOUNDARY": "边界未明", "DIVIDED": "已分工"}

#: the kinds of gap (GapKind): the staffing ones as labels.js `STAFFING_GAPS`, the others after the
#: spec's 缺位 / 越位 / 错位 (shared/spec/analyses.md, "Gaps")
GAP_KINDS = {
    "UNBASED_POWER": "无设定依据",
    "UNHELD_DUTY": "法定职责无人承担",
    "MISPLACED": "实施主体错位",
    "FUNCTION_NOT_EXERCISED": "职能未履行",
    "POWER_OUTSIDE_MANDATE": "超出职能范围",
    "FUNCTION_WITHOUT_UNIT": "职能无承担机构",
    "STAGE_WITHOUT_POST": "环节无责任岗位",
    "VACANT_POST": "岗位空缺",
    "NO_HEAD": "无行政首长",
    "OVER_QUOTA": "超编",
    "GHOST_PAYROLL": "吃空饷",
    "MIXED_QUOTA": "混用编制",
    "CONCURRENT_POSTS": "兼职",
    "UNKNOWN_LAW": "依据法规未收录",
    "NO_SUCH_ARTICLE": "引用条款不存在",
    "REPEALED_LAW": "依据已废止",
}

#: the kinds of split approval (SplitKind), as labels.js `SPLIT_KINDS`
SPLIT_KINDS = {"CHAIN": "前置审批链", "STAGES": "跨部门环节", "SAME_MATTER": "同一事项多头审批"}

#: what a trace finds in a case (its findings' kinds), as labels.js `FINDINGS`
FINDING_KINDS = {
    "OVERDUE_STAGE": "环节超时",
    "NOT_HOLDER": "非岗位人员办理",
    "SKIPPED_STAGE": "跳过环节",
    "VACANT_POST": "岗位空缺时办理",
    "NO_SEPARATION": "承办与审核未分离",
    "IDLE_BETWEEN_STAGES": "环节间等待超时",
    "CASE_OVERDUE": "办件超期",
    "TRANSFER_DUE": "应移送未移送",
}

#: the head of each column, by its key
HEADS = {
    # the findings
    "id": "编号",
    "kind": "类型",
    "kinds": "类型",
    "kindCode": "类型代码",
    "kindsCode": "类型代码",
    "score": "分值",
    "verdict": "判定",
    "verdictCode": "判定代码",
    "departments": "涉及部门",
    "department": "部门",
    "items": "涉及事项",
    "functions": "涉及职能",
    "generalSide": "应写明边界",
    "reason": "判定理由",
    "evidence": "证据",
    "cluster": "交叉组",
    "sharedWords": "共同词语",
    "sharedArticles": "共同引用条款",
    "severity": "严重程度",
    "subject": "对象",
    "subjectId": "对象编号",
    "detail": "说明",
    "stageCount": "环节数",
    "stages": "涉及环节",
    "totalDays": "法定时限（最长路径，工作日）",
    "leadDepartment": "建议牵头部门",
    "savedDays": "可压减（工作日）",
    # a gap's evidence (its labels, as `graph.analyses` names them)
    "code": "编码",
    "law": "法规",
    "citedAs": "原文引用",
    "articles": "引用条款",
    "article": "条款",
    "scope": "法规层级",
    "version": "版本",
    "headPosts": "首长岗位",
    "person": "人员",
    "quota": "编制",
    "quotaType": "编制类型",
    "places": "核定编制数",
    "people": "实有人数",
    "basis": "设定依据",
    "duty": "法定职责",
    "competent": "主管部门",
    "item": "事项",
    "stage": "环节",
    "post": "岗位",
    "posts": "涉及岗位",
    "field": "领域",
    "suggested": "建议部门",
    "bestScore": "最高匹配度",
    "bestMatches": "最接近的职能",
    "worksIn": "实际工作单位",
    "unit": "内设机构",
    # a trace
    "record": "记录",
    "case": "办件编号",
    "accepted": "受理日期",
    "closed": "办结日期",
    "outcome": "结果",
    "statutoryDays": "法定时限(工作日)",
    "promisedDays": "承诺时限(工作日)",
    "workingDays": "用时(工作日)",
    "overdue": "超期",
    "calendarKnown": "有工作日历",
    "laws": "法律依据",
    "triggers": "问责情形",
    "step": "步骤",
    "role": "环节类型",
    "on": "任职认定日期",
    "days": "用时/时限",  # a trace's table: working days taken, and the limit
    "waited": "等待",
    "performer": "经办人",
    "performerId": "经办人编号",
    "holderThen": "当时岗位人员",
    "holderThenId": "当时岗位人员编号",
    "unitHead": "内设机构负责人",
    "unitHeadId": "内设机构负责人编号",
    "deputyInCharge": "分管领导",
    "deputyInChargeId": "分管领导编号",
    "departmentHead": "部门负责人",
    "departmentHeadId": "部门负责人编号",
    "started": "开始日期",
    "finished": "完成日期",
    "limitDays": "时限(工作日)",
    "waitedFrom": "等待起始日期",
    "waitedDays": "等待(工作日)",
    "personId": "人员编号",
    "responsibility": "责任类型",
    "sanction": "处理结果",
    "date": "日期",
    "fault": "过错情形",
    # the audit log (graph.ledger AUDIT_COLUMNS)
    "seq": "序号",
    "actor": "操作人",
    "at": "时间",
    "action": "操作",
    "before": "操作前",
    "after": "操作后",
}
HEADS.update({f"scores.{kind}": f"{name}分值" for kind, name in OVERLAP_KINDS.items()})


class ReportTitle(NamedTuple):
    """A report's name as a person reads it, and how its rows are counted (`共 19 条交叉`)."""

    name: str
    counted: str


#: each report of the command line, by its key: its title (the sheet of a one-sheet workbook, the
#: "无…" of an empty table) and the measure word and noun of its count
REPORTS = {
    "overlaps": ReportTitle("职能交叉", "条交叉"),
    "gaps": ReportTitle("问题清单", "个问题"),
    "splits": ReportTitle("多部门审批", "项多部门审批"),
    "stages": ReportTitle("办理环节", "个环节"),
    "trace": ReportTitle("办件追溯", "条记录"),
    "diff": ReportTitle("版本变化", "处变化"),
    "audit": ReportTitle("操作日志", "条操作记录"),
    "scorecards": ReportTitle("评估排名", "个部门"),
    "indicators": ReportTitle("评估指标", "项指标"),
    "warnings": ReportTitle("预警", "条预警"),
    "cases": ReportTitle("办件", "件办件"),
    "transfers": ReportTitle("督办移送", "项督办事项"),
}


def head(key: str) -> str:
    """The column's head: `HEADS[key]`; for a key within a structured column (`evidence.places`,
    `scores.JOINT`), its own head or that of its last part; else the key as written."""
    if key in HEADS:
        return HEADS[key]
    _, dot, last = key.rpartition(".")
    return HEADS.get(last, last) if dot else key


def label(table: Mapping[str, str], code: str) -> str:
    """The Chinese name of `code` in `table`, or the code itself when the table does not name it."""
    return table.get(code, code)


def report_title(key: str) -> ReportTitle:
    """The title of the report `key`; a title not in `REPORTS` (a view's export) counts its rows in 条."""
    return REPORTS.get(key, ReportTitle(key, f"条{key}"))
