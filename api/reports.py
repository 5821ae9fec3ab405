"""Findings as reports: rows a person reads on a terminal, in a spreadsheet, or a script reads as JSON/CSV.

A report's rows are keyed by machine keys in camelCase (`kinds`, `departments`, as the API names its
fields), their values texts, numbers, dates, lists and mappings. JSON writes them so: lists as lists,
kinds as their codes, dates as `YYYY-MM-DD`. A table, a CSV and a workbook show them in Chinese: each
key as its head (`api.labels.HEADS`: 类型, 分值, 涉及部门), each kind by its name with its code in a
column of its own (类型代码, so filters and scripts still work), a list joined with 、 or ；, a
mapping as a column per key (同一事项分值), yes and no as 是 and 否.

    report = gap_report(store, gaps)
    write_report(report, "xlsx", Path("gaps.xlsx"))

A workbook is one an office prints and filters: a bold header row, frozen and with an autofilter,
repeated on every printed page; columns sized to their texts, which wrap; A4 landscape, one page
wide. Numbers are number cells, dates date cells (yyyy-mm-dd). Overlaps, splits, audit entries,
cases and transfers have one sheet; gaps a sheet per kind (each kind has evidence of its own), a
trace a sheet each for the case, its stages, findings and decisions, a diff one per kind of change.

A table on a terminal wraps each cell within the terminal's width (`COLUMNS` when set; written to a
file or a pipe, a table has no width and wraps nothing); when even wrapped its columns would be
narrower than `MIN_COLUMN` cells, it prints a block per row instead (`标签：值` lines). A CSV is UTF-8 with a BOM (Excel on a Chinese Windows reads it so) in a file,
not on standard output, which scripts read (a BOM there would stick to the first head).

What departments wrote never acts on the reader: a name that begins with `=`, `+`, `-` or `@`
is text in an `.xlsx` (a string cell, never a formula), and in a CSV it is prefixed with `'` (as
OWASP's guidance on CSV injection says, also before a leading tab or carriage return), so a
spreadsheet shows it instead of running it; a table on a terminal shows control characters and
escape sequences as `\x1b`, never sends them. JSON keeps every text as written. Numbers the
analyses computed stay numbers in every format. A file is written whole or not at all
(`api.files.atomic_write`).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from api.files import atomic_write
from api.labels import FINDING_KINDS, GAP_KINDS, OVERLAP_KINDS, SPLIT_KINDS, VERDICTS, head, report_title
from api.sheets import write_sheets
from api.terminal import MIN_COLUMN, cell_text, fit_widths, printable, row_blocks, row_lines, text_width
from graph.analyses import Gap, Overlap, OverlapVerdict, SplitApproval
from graph.analyses.trace import CaseTrace
from graph.ledger import EditionDiff, ItemSnapshot
from graph.model import Node
from graph.store import GraphReader
from ontology import EdgeKind, NodeKind

__all__ = [
    "FORMATS",
    "MIN_COLUMN",
    "SNAPSHOT_HEADS",
    "VERDICT_LABELS",
    "Report",
    "camel_case",
    "diff_document",
    "diff_report",
    "gap_report",
    "overlap_report",
    "split_report",
    "trace_document",
    "trace_report",
    "trace_text",
    "write_report",
    "write_workbook",
]

FORMATS = ("table", "json", "csv", "xlsx")

#: the overlaps' verdicts as the office reads them (`api.labels.VERDICTS`, as the views say them)
VERDICT_LABELS: dict[OverlapVerdict, str] = {verdict: VERDICTS[verdict] for verdict in OverlapVerdict}

#: the narrowest a table's column is wrapped to (display cells); narrower, a table prints blocks

#: how a list is joined in a cell where its parts may hold a 、 themselves (names of items, citations)
_JOINED_BY = {"items": "；", "functions": "；", "evidence": "；", "sharedArticles": "；", "laws": "；"}


@dataclass(frozen=True, slots=True)
class Report:
    """Rows of one report by machine key, the keys a table shows, and how a workbook sorts them into
    sheets.

    `title` is the report's key in `api.labels.REPORTS` (`overlaps`), or a title as it is shown. With
    `sheet_of`, a row goes on the sheet its value there names (as shown: a kind by its name); without,
    every row is on one sheet, the title's. `codes` names the keys whose values are codes (a code or
    a list of them) and the table of their names: shown by name, their codes in `<key>Code`."""

    title: str
    columns: tuple[str, ...]  # the keys a table shows; CSV and .xlsx show every key of the rows
    rows: list[dict[str, Any]]
    sheet_of: str | None = None
    codes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    printed: tuple[str, ...] | None = None  # the keys a printed sheet shows (None: all but `_machine`)

    def sheet_columns(self, rows: Sequence[Mapping[str, Any]]) -> tuple[list[str], int]:
        """A sheet's columns, those a printed page shows first, and how many of them there are: the
        codes, ids and whatever else a page would be too narrow for are in the sheet, after them."""
        keys = _keys(rows, self.columns)
        printed = [key for key in keys if (key in self.printed if self.printed else not _machine(key))]
        return [*printed, *(key for key in keys if key not in printed)], len(printed)

    def shown(self) -> list[dict[str, Any]]:
        """The rows as CSV and a workbook show them (`_shown_row`), still by key."""
        return [_shown_row(row, self.codes) for row in self.rows]

    def sheets(self) -> dict[str, list[dict[str, Any]]]:
        """The shown rows by sheet, sheets in the order they first come (no row: one empty sheet)."""
        if self.sheet_of is None or not self.rows:
            return {report_title(self.title).name: self.shown()}
        sheets: dict[str, list[dict[str, Any]]] = {}
        for row in self.shown():
            sheets.setdefault(str(row.get(self.sheet_of, "")), []).append(row)
        return sheets


def _machine(key: str) -> bool:
    """Whether `key` is for filters and scripts rather than for reading: a code, an id, a cluster."""
    return key in ("id", "cluster") or key.endswith(("Code", "Id"))


def _shown_row(row: Mapping[str, Any], codes: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """`row` flat: a coded value by its name, then its code in `<key>Code`; a list joined; a mapping
    as `<key>.<part>` columns; a yes or no as 是 or 否. Numbers and dates stay as they are."""
    shown: dict[str, Any] = {}
    for key, value in row.items():
        if key in codes:
            names = codes[key]
            coded = value if isinstance(value, list | tuple) else [value]
            shown[key] = _joined(key, [names.get(code, code) for code in coded if code is not None])
            shown[f"{key}Code"] = _joined(key, [code for code in coded if code is not None])
        elif isinstance(value, Mapping):
            shown.update({f"{key}.{part}": _scalar(key, inner) for part, inner in value.items()})
        else:
            shown[key] = _scalar(key, value)
    return shown


def _scalar(key: str, value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return _joined(key, [str(part) for part in value])
    return value


def _joined(key: str, parts: Sequence[str]) -> str:
    return _JOINED_BY.get(key, "、").join(parts)


def overlap_report(reader: GraphReader, overlaps: Sequence[Overlap]) -> Report:
    """The overlaps, one row each: its kinds, its verdict (by name, and its code in 判定代码), the
    general side of a boundary (边界应由…写明), the verdict's reason, and a score per kind."""
    names = _Names(reader)
    rows = [
        {
            "kinds": list(overlap.kinds),
            "score": overlap.score,
            "verdict": overlap.verdict.value,
            "departments": [names.of(d) for d in overlap.departments],
            "items": [names.item(i) for i in overlap.items],
            "functions": [names.of(f) for f in overlap.functions],
            "generalSide": names.general_side(overlap),
            "reason": overlap.reason,
            "evidence": list(overlap.evidence),
            "scores": {kind.value: score for kind, score in overlap.scores},
            "sharedWords": list(overlap.shared_words),
            "sharedArticles": [names.article(a) for a in overlap.shared_articles],
            "cluster": overlap.cluster,
            "id": overlap.id,
        }
        for overlap in overlaps
    ]
    columns = ("kinds", "score", "verdict", "departments", "items", "functions", "generalSide", "reason")
    codes = {"kinds": OVERLAP_KINDS, "verdict": VERDICTS}
    return Report("overlaps", columns, rows, codes=codes, printed=columns)  # a page is too narrow for more


def gap_report(reader: GraphReader, gaps: Sequence[Gap]) -> Report:
    """The gaps, a sheet per kind in a workbook; their evidence in columns of their own (a number as
    a number)."""
    names = _Names(reader)
    rows = [
        {
            "kind": gap.kind.value,
            "severity": gap.severity,
            "department": names.of(gap.department) if gap.department else "",
            "subject": gap.subject_name,
            "detail": gap.detail,
            "subjectId": gap.subject_id,
            "id": gap.id,
            "evidence": {camel_case(label): _evidence_value(value) for label, value in gap.evidence},
        }
        for gap in gaps
    ]
    columns = ("kind", "severity", "department", "subject", "detail")
    return Report("gaps", columns, rows, sheet_of="kind", codes={"kind": GAP_KINDS})


#: a text that is a number as the analyses write one (no leading zero: `0012` is a code)
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")


def _evidence_value(value: str) -> str | int | float:
    """A gap's evidence as a number when it is one (编制数 `18`, 匹配度 `0.18`), else its text."""
    if not _NUMBER.fullmatch(value):
        return value
    return float(value) if "." in value else int(value)


def split_report(reader: GraphReader, splits: Sequence[SplitApproval]) -> Report:
    """The split approvals, one sheet: the items (for a chain, the last approval first), the
    departments, the stages, the total and saved days and the suggested lead department."""
    names = _Names(reader)
    rows = [
        {
            "kind": split.kind.value,
            "items": [names.item(i) for i in split.items],
            "departments": [names.of(d) for d in split.departments],
            "stageCount": split.stage_count,
            "totalDays": split.total_days,
            "leadDepartment": names.of(split.lead_department) if split.lead_department else "",
            "savedDays": split.saved_days,
            "detail": split.detail,
            "id": split.id,
        }
        for split in splits
    ]
    columns = ("kind", "items", "departments", "stageCount", "totalDays", "leadDepartment", "savedDays")
    return Report("splits", columns, rows, codes={"kind": SPLIT_KINDS})


#: the fields of an item snapshot as the columns of an edition diff name them
SNAPSHOT_HEADS = {
    "code": "编码",
    "name": "事项名称",
    "power_type": "权力类型",
    "sub_item": "子项",
    "departments": "实施部门",
    "basis": "设定依据",
    "government": "所属政府",
}


def diff_report(diff: EditionDiff) -> Report:
    """The diff of two editions, in Chinese column heads: a row for each item added (新增事项), removed
    (取消事项) or changed (变更事项: the fields that changed, and their values before), then one for each
    finding that appeared (新出现的问题) or was resolved (已消失的问题), by its id. The `变化` column
    names the row's sheet in a workbook."""
    rows: list[dict[str, Any]] = []
    for change, items in (("新增事项", diff.added), ("取消事项", diff.removed)):
        rows.extend({"变化": change, **_snapshot_row(item)} for item in items)
    rows.extend(
        {
            "变化": "变更事项",
            **_snapshot_row(change.after),
            "变更字段": "、".join(SNAPSHOT_HEADS[field] for field in change.fields),
            "变更前": "；".join(
                f"{SNAPSHOT_HEADS[field]}：{_snapshot_value(change.before, field)}" for field in change.fields
            ),
        }
        for change in diff.changed
    )
    for change, findings in (
        ("新出现的问题", diff.findings_appeared),
        ("已消失的问题", diff.findings_resolved),
    ):
        rows.extend({"变化": change, "问题编号": finding} for finding in findings)
    columns = ("变化", "编码", "事项名称", "权力类型", "实施部门", "变更字段", "变更前", "问题编号")
    return Report("diff", columns, rows, sheet_of="变化")


def diff_document(diff: EditionDiff) -> dict[str, Any]:
    """The diff as JSON-ready data in the API's camelCase: `fromLabel`, the items `added`, `removed`
    and `changed` (with the `fields` that changed, as `powerType`), `findingsAppeared` and
    `findingsResolved`."""
    document: dict[str, Any] = _camel_keys(dataclasses.asdict(diff))
    for change in document["changed"]:
        change["fields"] = [camel_case(name) for name in change["fields"]]
    return document


def camel_case(name: str) -> str:
    """`name` in camelCase, as the API names its fields: `total_working_days` as `totalWorkingDays`,
    an evidence label `best score` as `bestScore`."""
    first, *rest = re.split(r"[_ ]+", name)
    return first + "".join(part[:1].upper() + part[1:] for part in rest)


def _camel_keys(value: Any) -> Any:
    """`value` with every key of its mappings, at any depth, in camelCase."""
    if isinstance(value, Mapping):
        return {camel_case(str(key)): _camel_keys(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_camel_keys(inner) for inner in value]
    return value


def _snapshot_row(item: ItemSnapshot) -> dict[str, Any]:
    return {head: _snapshot_value(item, field) for field, head in SNAPSHOT_HEADS.items()}


def _snapshot_value(item: ItemSnapshot, field: str) -> str:
    value = getattr(item, field)
    return "、".join(value) if isinstance(value, tuple) else (value or "")


def trace_document(reader: GraphReader, trace: CaseTrace) -> dict[str, Any]:
    """A trace as JSON-ready data, its keys in the API's camelCase: persons by id and name, posts and
    departments by code and name, the findings' details with names (the command line runs on the
    operator's own machine) and their ids, and the case's accountability decisions."""
    names = _Names(reader)

    def person(node_id: str | None) -> dict[str, str] | None:
        node = names._node(node_id) if node_id else None
        return {"id": str(node.get("person_id")), "name": str(node.get("name"))} if node else None

    def decision(record_id: str) -> dict[str, Any]:
        record = names._node(record_id)
        assert record is not None, "a trace lists the records it found"
        edge = next(iter(reader.edges(source=record_id, kind=EdgeKind.RECORD_OF)), None)
        return {
            "record": str(record.get("record_id")),
            "person": person(edge.target if edge else None),
            "responsibility": record.get("responsibility"),
            "sanction": record.get("sanction"),
            "date": record["date"].isoformat(),
            "fault": record.get("fault"),
        }

    return {
        "case": trace.case_id,
        "item": names.item(trace.item),
        "accepted": trace.accepted.isoformat(),
        "closed": _day(trace.closed),
        "outcome": trace.outcome,
        "statutoryDays": trace.statutory_days,
        "promisedDays": trace.promised_days,
        "totalWorkingDays": trace.total_working_days,
        "overdue": trace.overdue,
        "calendarKnown": trace.calendar_known,
        "stages": [
            {
                "step": stage.step,
                "name": stage.name,
                "role": stage.role,
                "on": stage.on.isoformat(),
                "department": names.of(stage.department) if stage.department else None,
                "unit": names.of(stage.unit) if stage.unit else None,
                "post": names.post(stage.post) if stage.post else None,
                "performer": person(stage.performer),
                "holderThen": person(stage.holder_then),
                "unitHead": person(stage.unit_head),
                "deputyInCharge": person(stage.deputy_in_charge),
                "departmentHead": person(stage.department_head),
                "started": _day(stage.started),
                "finished": _day(stage.finished),
                "limitDays": stage.limit_days,
                "workingDays": stage.working_days,
                "overdue": stage.overdue,
                "waitedFrom": _day(stage.waited_from),
                "waitedDays": stage.waited_days,
            }
            for stage in trace.stages
        ],
        "laws": [names.article(law) for law in (trace.stages[0].laws if trace.stages else ())],
        "triggers": trace.stages[0].triggers if trace.stages else None,
        "findings": [
            {
                "id": f.id,
                "kind": f.kind,
                "step": f.step,
                "detail": f.detail_with_names,
                "people": [{"part": part, **(person(who) or {"id": who})} for part, who in f.people],
                "posts": [names.post(post) for post in f.posts],
            }
            for f in trace.findings
        ],
        "accountability": [decision(record) for record in trace.records],
    }


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


#: the persons of a stage, as `trace_document` keys them
_STAGE_PERSONS = ("performer", "holderThen", "unitHead", "deputyInCharge", "departmentHead")


def trace_text(document: dict[str, Any]) -> str:
    """A trace as a person reads it on a terminal, in Chinese: the case, a table of its stages (posts
    and persons by name, dates, working days taken against the limit, the wait before each), the
    findings and the accountability decisions (persons with their ids)."""

    def who(person: dict[str, str] | None) -> str:
        return f"{person['name']}（{person['id']}）" if person else "—"

    def named(person: dict[str, str] | None) -> str:
        return person["name"] if person else "—"

    def days(value: int | None) -> str:
        return "—" if value is None else str(value)

    head_lines = (
        f"办件 {printable(document['case'])}：{printable(document['item'])}\n"
        f"受理 {document['accepted']}，办结 {document['closed'] or '—'}，"
        f"{printable(document['outcome'] or '—')}；用时 {days(document['totalWorkingDays'])} 个工作日"
        f"（承诺 {days(document['promisedDays'])}，法定 {days(document['statutoryDays'])}）"
        + ("，已超期" if document["overdue"] else "")
        + "\n"
    )
    rows = [
        {
            "step": stage["step"],
            "stage": f"{stage['name']}（{stage['role'] or '—'}）",
            "department": stage["department"] or "—",
            "post": (stage["post"] or "—").partition(" ")[2] or stage["post"],  # by its name
            **{key: named(stage[key]) for key in _STAGE_PERSONS},
            "started": stage["started"] or "—",
            "finished": stage["finished"] or "—",
            "days": f"{days(stage['workingDays'])}/{days(stage['limitDays'])}"
            + ("（超时）" if stage["overdue"] else ""),
            "waited": days(stage["waitedDays"]),
        }
        for stage in document["stages"]
    ]
    columns = (
        "step",
        "stage",
        "department",
        "post",
        *_STAGE_PERSONS,
        "started",
        "finished",
        "days",
        "waited",
    )
    table = _table(Report("stages", columns, rows))
    findings = (
        "".join(
            f"  {printable(FINDING_KINDS.get(f['kind'], f['kind']))}"
            + (f"（第 {f['step']} 环节）" if f["step"] is not None else "")
            + f"：{printable(f['detail'])}\n"
            for f in document["findings"]
        )
        or "  无\n"
    )
    decisions = (
        "".join(
            f"  {printable(d['record'])} {d['date']}：{who(d['person'])}，"
            f"{printable(d['responsibility'] or '—')}，{printable(d['sanction'] or '—')}\n"
            for d in document["accountability"]
        )
        or "  无\n"
    )
    return f"{head_lines}\n{table}\n发现问题：\n{findings}\n问责情况：\n{decisions}"


#: the rows of a trace's workbook, by what they record: each its sheet
_TRACE_RECORDS = {"case": "办件", "stage": "环节", "finding": "发现问题", "accountability": "问责"}
#: the keys of a trace's rows that are days
_TRACE_DATES = ("accepted", "closed", "on", "started", "finished", "waitedFrom", "date")


def trace_report(document: dict[str, Any]) -> Report:
    """A trace (as `trace_document` makes it) as rows for CSV and `.xlsx`: one for the case, one per
    stage, one per finding, one per accountability decision; the `record` column says which (办件, 环节,
    发现问题, 问责), and names the row's sheet in a workbook. Persons are given by name and, in a column
    of their own, by id; dates are dates."""
    case = document["case"]
    rows: list[dict[str, Any]] = [
        {
            "record": "case",
            "case": case,
            "item": document["item"],
            "accepted": document["accepted"],
            "closed": document["closed"],
            "outcome": document["outcome"],
            "statutoryDays": document["statutoryDays"],
            "promisedDays": document["promisedDays"],
            "workingDays": document["totalWorkingDays"],
            "overdue": document["overdue"],
            "laws": document["laws"],
            "triggers": document["triggers"],
        }
    ]
    for stage in document["stages"]:
        row: dict[str, Any] = {
            "record": "stage",
            "case": case,
            "step": stage["step"],
            "stage": stage["name"],
            "role": stage["role"],
            "on": stage["on"],
            "department": stage["department"],
            "unit": stage["unit"],
            "post": stage["post"],
        }
        for key in _STAGE_PERSONS:
            _person_columns(row, key, stage[key])
        row.update({key: stage[key] for key in ("started", "finished", "limitDays", "workingDays")})
        row.update({key: stage[key] for key in ("overdue", "waitedFrom", "waitedDays")})
        rows.append(row)
    rows.extend(
        {
            "record": "finding",
            "case": case,
            "step": f["step"],
            "kind": f["kind"],
            "detail": f["detail"],
            "id": f["id"],
        }
        for f in document["findings"]
    )
    for decision in document["accountability"]:
        row = {"record": "accountability", "case": case, "id": decision["record"]}
        _person_columns(row, "person", decision["person"])
        row.update({key: decision[key] for key in ("responsibility", "sanction", "date", "fault")})
        rows.append(row)
    for row in rows:
        row.update({key: date.fromisoformat(row[key]) for key in _TRACE_DATES if row.get(key)})
    columns = (
        *("record", "case", "step", "stage", "department", "post", "performer", "started", "finished"),
        *("workingDays", "waitedDays", "kind", "detail", "person", "responsibility", "sanction", "date"),
    )
    codes = {"record": _TRACE_RECORDS, "kind": FINDING_KINDS}
    return Report("trace", columns, rows, sheet_of="record", codes=codes, printed=columns)


def _person_columns(row: dict[str, Any], key: str, person: dict[str, str] | None) -> None:
    """A person as two columns of a report row: `key` (the name) and `<key>Id`."""
    row[key] = person["name"] if person else None
    row[f"{key}Id"] = person["id"] if person else None


def write_report(report: Report, format: str, out: Path | None = None, stream: TextIO | None = None) -> None:
    """Write the report as a table, JSON, CSV (to `out` or the stream) or a workbook (to `out`).

    A CSV has a BOM in a file, never on standard output (which a script reads: `--out` writes the
    file for Excel). A file is replaced
    only once it is written whole (`atomic_write`); raises `OSError` when it cannot be, and
    `ValueError` for an `.xlsx` without `out` or a format not in `FORMATS`.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}: one of {', '.join(FORMATS)}")
    if format == "xlsx":
        if out is None:
            raise ValueError("an .xlsx report needs a file to write to")
        with atomic_write(out) as binary:
            write_sheets(
                {name: (*report.sheet_columns(rows), rows) for name, rows in report.sheets().items()}, binary
            )
        return
    if out is None:
        _write_text(report, format, stream or sys.stdout)
        return
    if format == "csv":  # with a BOM, so that Excel on a Chinese Windows reads UTF-8
        with atomic_write(out, encoding="utf-8-sig", newline="") as text:
            _write_text(report, format, text)
    else:
        with atomic_write(out, encoding="utf-8") as text:
            _write_text(report, format, text)


def _keys(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[str]:
    """Every key of the rows, in the order they first come; the report's columns when there is no row."""
    return list(dict.fromkeys(key for row in rows for key in row)) or list(columns)


def _write_text(report: Report, format: str, handle: TextIO) -> None:
    if format == "table":
        handle.write(_table(report))
    elif format == "json":
        json.dump(report.rows, handle, ensure_ascii=False, indent=2, default=_json_value)
        handle.write("\n")
    else:
        _write_csv(report, handle)


def _json_value(value: Any) -> Any:
    """What JSON cannot carry as it is: a date (or a time) as ISO 8601."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class _Names:
    """How nodes are named in reports: departments by name, items by code and name, articles as cited."""

    def __init__(self, reader: GraphReader) -> None:
        self.reader = reader
        self._cache: dict[str, Node | None] = {}

    def _node(self, node_id: str) -> Node | None:
        if node_id not in self._cache:
            self._cache[node_id] = self.reader.node(node_id)
        return self._cache[node_id]

    def of(self, node_id: str) -> str:
        node = self._node(node_id)
        if node is None:
            return node_id
        return str(node.get("name") or node.get("text") or node.get("code") or node_id)

    def item(self, node_id: str) -> str:
        node = self._node(node_id)
        if node is None:
            return node_id
        sub = node.get("sub_item")
        return f"{node['code']} {node['name']}" + (f"（{sub}）" if sub else "")

    def general_side(self, overlap: Overlap) -> str:
        """Who should state a boundary: "边界应由<its departments>写明：<the general item or function>",
        or "" when the overlap has no general side."""
        general = overlap.general
        if general is None:
            return ""
        is_item = general in overlap.items
        holders = self.reader.edges(
            source=general, kind=EdgeKind.HELD_BY if is_item else EdgeKind.FUNCTION_OF
        )
        departments = "、".join(sorted(self.of(edge.target) for edge in holders))
        subject = self.item(general) if is_item else self.of(general)
        return f"边界应由{departments}写明：{subject}"

    def post(self, node_id: str) -> str:
        node = self._node(node_id)
        return f"{node['code']} {node['name']}" if node else node_id

    def article(self, node_id: str) -> str:
        node = self._node(node_id)
        if node is None or node.kind is not NodeKind.ARTICLE:
            return self.of(node_id)
        law = next(iter(self.reader.edges(source=node_id)), None)
        law_node = self._node(law.target) if law else None
        return f"《{law_node['name'] if law_node else '?'}》{node.get('label', '')}"


def _table(report: Report) -> str:
    """The report's columns as a table within the terminal's width, each cell wrapped in its column
    (a column empty in every row left out); a block per row (`row_blocks`) when the columns would be
    narrower than `MIN_COLUMN`."""
    title = report_title(report.title)
    if not report.rows:
        return f"无{title.name}\n"
    shown = report.shown()
    columns = [
        c for c in report.columns if any(row.get(c) not in (None, "") for row in shown)
    ] or report.columns
    heads = [printable(head(column)) for column in columns]
    cells = [[cell_text(row.get(column)) for column in columns] for row in shown]
    total = shutil.get_terminal_size((0, 0)).columns or sys.maxsize  # not a terminal: no width
    widths = fit_widths(
        [max(text_width(h), *(text_width(row[i]) for row in cells)) for i, h in enumerate(heads)],
        total - 2 * (len(heads) - 1),
    )
    footer = f"共 {len(report.rows)} {title.counted}"
    if widths is None:
        return row_blocks(heads, cells, total) + footer + "\n"
    wrapped = [row_lines(row, widths) for row in cells]
    between = [""] if any(len(lines) > 1 for lines in wrapped) else []  # rows of several lines apart
    lines = [*row_lines(heads, widths), "  ".join("-" * w for w in widths)]
    for number, row in enumerate(wrapped):
        lines.extend([*(between if number else []), *row])
    return "\n".join([*lines, footer]) + "\n"


#: how a field starts that a spreadsheet would read as a formula (OWASP, "CSV Injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _write_csv(report: Report, handle: TextIO) -> None:
    """The shown rows under their Chinese heads, every key of the rows a column."""
    rows = report.shown()
    columns = _keys(rows, report.columns)
    writer = csv.writer(handle, lineterminator="\r\n")  # RFC 4180; a "\r" in a text is then quoted too
    writer.writerow(_csv_field(head(column)) for column in columns)
    for row in rows:
        writer.writerow(_csv_field(_csv_value(row.get(column))) for column in columns)


def _csv_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _csv_field(value: Any) -> Any:
    """A text that a spreadsheet would run, prefixed with `'` so it shows it; numbers, which the
    analyses computed (a negative one too), as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_workbook(
    sheets: Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, Any]]]], out: Path
) -> None:
    """Sheets, each its columns and its rows (by column), as an `.xlsx` at `out`, written as a report's:
    every text a text cell (never a formula, whatever it begins with), numbers as numbers, a `date` as
    a date, the heads (a column's key as `api.labels.head` shows it) in a header row made to print
    and filter, whole or not at all. A sheet's name is cut to Excel's 31 characters, those Excel
    refuses (`[]:*?/\\`) as `_`."""
    with atomic_write(out) as binary:
        write_sheets(
            {name: (list(columns), len(columns), list(rows)) for name, (columns, rows) in sheets.items()},
            binary,
        )


#: the characters Excel refuses in a sheet's name
