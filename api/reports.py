"""Findings as reports: rows a person reads on a terminal, in a spreadsheet, or a script reads as JSON/CSV.

Staffing offices work in Excel, so every report also writes `.xlsx`: one sheet
per kind of finding, its evidence in columns of their own.

    report = gap_report(store, gaps)
    write_report(report, "xlsx", Path("gaps.xlsx"))

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
import io
import json
import re
import shutil
import sys
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from api.files import atomic_write
from graph.analyses import Gap, Overlap, OverlapVerdict, SplitApproval
from graph.analyses.trace import CaseTrace
from graph.ledger import EditionDiff, ItemSnapshot
from graph.model import Node
from graph.store import GraphReader
from ontology import EdgeKind, NodeKind

__all__ = [
    "FORMATS",
    "SNAPSHOT_HEADS",
    "VERDICT_LABELS",
    "Report",
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

#: the overlaps' verdicts as the office reads them (the views' `OVERLAP_VERDICTS` say the same)
VERDICT_LABELS: dict[OverlapVerdict, str] = {
    OverlapVerdict.OVERLAP: "交叉",
    OverlapVerdict.BOUNDARY: "边界未明",
    OverlapVerdict.DIVIDED: "已分工",
}


@dataclass(frozen=True, slots=True)
class Report:
    """Rows of one report, each with the sheet it goes to in a workbook (its kind)."""

    title: str
    columns: tuple[str, ...]  # the columns every row has, shown in tables and CSV
    rows: list[dict[str, Any]]
    sheet_of: str  # the column that names a row's sheet in the .xlsx
    sheet_separator: str | None = None  # set when that column names several sheets: the row goes on each

    def sheets(self) -> dict[str, list[dict[str, Any]]]:
        """The rows by sheet, sheets in the order they first come: `SAME_ITEM+JOINT` on both sheets
        when the report has a `sheet_separator` of `+`."""
        sheets: dict[str, list[dict[str, Any]]] = {}
        for row in self.rows:
            value = str(row[self.sheet_of])
            for name in value.split(self.sheet_separator) if self.sheet_separator else (value,):
                sheets.setdefault(name, []).append(row)
        return sheets


def overlap_report(reader: GraphReader, overlaps: Sequence[Overlap]) -> Report:
    """The overlaps, each with its verdict in Chinese (and as the enum value, in `verdict code`), the
    general side of a boundary (边界应由…写明) and the verdict's reason."""
    names = _Names(reader)
    rows = [
        {
            "kinds": "+".join(overlap.kinds),
            "score": overlap.score,
            "verdict": VERDICT_LABELS[overlap.verdict],
            "departments": "、".join(names.of(d) for d in overlap.departments),
            "items": "；".join(names.item(i) for i in overlap.items),
            "functions": "；".join(names.of(f) for f in overlap.functions),
            "general side": names.general_side(overlap),
            "reason": overlap.reason,
            "evidence": "；".join(overlap.evidence),
            "verdict code": overlap.verdict.value,
            "cluster": overlap.cluster,
            "id": overlap.id,
            **{f"score {kind}": score for kind, score in overlap.scores},
            "shared words": "、".join(overlap.shared_words),
            "shared articles": "；".join(names.article(a) for a in overlap.shared_articles),
        }
        for overlap in overlaps
    ]
    columns = (
        "kinds",
        "score",
        "verdict",
        "departments",
        "items",
        "functions",
        "general side",
        "reason",
        "evidence",
    )
    return Report("overlaps", columns, rows, "kinds", sheet_separator="+")  # a sheet per kind


def gap_report(reader: GraphReader, gaps: Sequence[Gap]) -> Report:
    names = _Names(reader)
    rows = [
        {
            "kind": gap.kind.value,
            "severity": gap.severity,
            "department": names.of(gap.department) if gap.department else "",
            "subject": gap.subject_name,
            "detail": gap.detail,
            "subject id": gap.subject_id,
            **{label: value for label, value in gap.evidence},
        }
        for gap in gaps
    ]
    return Report("gaps", ("kind", "severity", "department", "subject", "detail"), rows, "kind")


def split_report(reader: GraphReader, splits: Sequence[SplitApproval]) -> Report:
    names = _Names(reader)
    rows = [
        {
            "kind": split.kind.value,
            "items": " ← ".join(names.item(i) for i in split.items),
            "departments": "、".join(names.of(d) for d in split.departments),
            "stages": split.stage_count,
            "total days": split.total_days,
            "lead department": names.of(split.lead_department) if split.lead_department else "",
            "saved days": split.saved_days,
            "detail": split.detail,
            "id": split.id,
        }
        for split in splits
    ]
    columns = ("kind", "items", "departments", "stages", "total days", "lead department", "saved days")
    return Report("split approvals", columns, rows, "kind")


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
    return Report(f"changes from {diff.from_label} to {diff.to_label}", columns, rows, "变化")


def _snapshot_row(item: ItemSnapshot) -> dict[str, Any]:
    return {head: _snapshot_value(item, field) for field, head in SNAPSHOT_HEADS.items()}


def _snapshot_value(item: ItemSnapshot, field: str) -> str:
    value = getattr(item, field)
    return "、".join(value) if isinstance(value, tuple) else (value or "")


def trace_document(reader: GraphReader, trace: CaseTrace) -> dict[str, Any]:
    """A trace as JSON-ready data: persons by id and name, posts and departments by code and name, the
    findings' details with names (the command line runs on the operator's own machine) and their ids,
    and the case's accountability decisions."""
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
        "closed": trace.closed.isoformat() if trace.closed else None,
        "outcome": trace.outcome,
        "statutory_days": trace.statutory_days,
        "promised_days": trace.promised_days,
        "total_working_days": trace.total_working_days,
        "overdue": trace.overdue,
        "calendar_known": trace.calendar_known,
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
                "holder_then": person(stage.holder_then),
                "unit_head": person(stage.unit_head),
                "deputy_in_charge": person(stage.deputy_in_charge),
                "department_head": person(stage.department_head),
                "started": stage.started.isoformat() if stage.started else None,
                "finished": stage.finished.isoformat() if stage.finished else None,
                "limit_days": stage.limit_days,
                "working_days": stage.working_days,
                "overdue": stage.overdue,
                "waited_from": stage.waited_from.isoformat() if stage.waited_from else None,
                "waited_days": stage.waited_days,
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


def trace_text(document: dict[str, Any]) -> str:
    """A trace as a person reads it on a terminal: the case, a table of its stages (dates, working days
    taken against the limit, the wait before each), the findings and the accountability decisions."""

    def who(person: dict[str, str] | None) -> str:
        return f"{person['name']} ({person['id']})" if person else "—"

    def days(value: int | None) -> str:
        return "—" if value is None else str(value)

    head = (
        f"case {_printable(document['case'])}: {_printable(document['item'])}\n"
        f"accepted {document['accepted']}, closed {document['closed'] or '—'}, "
        f"{_printable(document['outcome'] or '—')}; "
        f"{days(document['total_working_days'])} working days "
        f"(promised {document['promised_days']}, statutory {document['statutory_days']})"
        + (", OVERDUE" if document["overdue"] else "")
        + "\n"
    )
    rows = [
        {
            "step": stage["step"],
            "stage": f"{stage['name']} ({stage['role'] or '—'})",
            "department": stage["department"] or "—",
            "post": stage["post"] or "—",
            "performer": who(stage["performer"]),
            "holder then": who(stage["holder_then"]),
            "unit head": who(stage["unit_head"]),
            "deputy": who(stage["deputy_in_charge"]),
            "head": who(stage["department_head"]),
            "started": stage["started"] or "—",
            "finished": stage["finished"] or "—",
            "days": f"{days(stage['working_days'])}/{days(stage['limit_days'])}"
            + (" !" if stage["overdue"] else ""),
            "waited": days(stage["waited_days"]),
        }
        for stage in document["stages"]
    ]
    columns = (
        "step",
        "stage",
        "department",
        "post",
        "performer",
        "holder then",
        "unit head",
        "deputy",
        "head",
        "started",
        "finished",
        "days",
        "waited",
    )
    table = _table(Report("stages", columns, rows, "step"))
    findings = (
        "".join(
            f"  {_printable(f['kind'])}"
            + (f" (stage {f['step']})" if f["step"] is not None else "")
            + f": {_printable(f['detail'])}\n"
            for f in document["findings"]
        )
        or "  none\n"
    )
    decisions = (
        "".join(
            f"  {_printable(d['record'])} {d['date']}: {who(d['person'])}, "
            f"{_printable(d['responsibility'] or '—')}, {_printable(d['sanction'] or '—')}\n"
            for d in document["accountability"]
        )
        or "  none\n"
    )
    return f"{head}\n{table}\nfindings:\n{findings}\naccountability:\n{decisions}"


def trace_report(document: dict[str, Any]) -> Report:
    """A trace (as `trace_document` makes it) as rows for CSV and `.xlsx`: one for the case, one per
    stage, one per finding, one per accountability decision; the `record` column says which, and names
    the row's sheet in a workbook. Persons are given by name and, in a column of their own, by id."""
    case = document["case"]
    rows: list[dict[str, Any]] = [
        {
            "record": "case",
            "case": case,
            "item": document["item"],
            "accepted": document["accepted"],
            "closed": document["closed"],
            "outcome": document["outcome"],
            "statutory days": document["statutory_days"],
            "promised days": document["promised_days"],
            "working days": document["total_working_days"],
            "overdue": document["overdue"],
            "laws": "；".join(document["laws"]),
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
        for key in ("performer", "holder_then", "unit_head", "deputy_in_charge", "department_head"):
            _person_columns(row, key.replace("_", " "), stage[key])
        row.update(
            {
                "started": stage["started"],
                "finished": stage["finished"],
                "limit days": stage["limit_days"],
                "working days": stage["working_days"],
                "overdue": stage["overdue"],
                "waited from": stage["waited_from"],
                "waited days": stage["waited_days"],
            }
        )
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
        row.update(
            {
                "responsibility": decision["responsibility"],
                "sanction": decision["sanction"],
                "date": decision["date"],
                "fault": decision["fault"],
            }
        )
        rows.append(row)
    columns = (
        "record",
        "case",
        "step",
        "stage",
        "department",
        "post",
        "performer",
        "started",
        "finished",
        "working days",
        "waited days",
        "kind",
        "detail",
        "person",
        "responsibility",
        "sanction",
        "date",
    )
    return Report("trace records", columns, rows, "record")


def _person_columns(row: dict[str, Any], label: str, person: dict[str, str] | None) -> None:
    """A person as two columns of a report row: `label` (the name) and `label id`."""
    row[label] = person["name"] if person else None
    row[f"{label} id"] = person["id"] if person else None


def write_report(report: Report, format: str, out: Path | None = None, stream: TextIO | None = None) -> None:
    """Write the report as a table, JSON, CSV (to `out` or the stream) or a workbook (to `out`).

    A file is replaced only once it is written whole (`atomic_write`); raises `OSError` when it
    cannot be, and `ValueError` for an `.xlsx` without `out` or a format not in `FORMATS`.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}: one of {', '.join(FORMATS)}")
    if format == "xlsx":
        if out is None:
            raise ValueError("an .xlsx report needs a file to write to")
        with atomic_write(out) as binary:
            _write_xlsx(report, binary)
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


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text + " " * (width - _width(text))
    out, used = "", 0
    for ch in text:
        step = _width(ch)
        if used + step > width - 1:
            break
        out, used = out + ch, used + step
    return out + "…" + " " * (width - used - 1)


def _table(report: Report) -> str:
    if not report.rows:
        return f"no {report.title}\n"
    cells = [[_cell(row.get(column)) for column in report.columns] for row in report.rows]
    widths = [
        max(_width(column), *(_width(row[i]) for row in cells)) for i, column in enumerate(report.columns)
    ]
    total = shutil.get_terminal_size((160, 40)).columns
    while sum(widths) + 2 * len(widths) > total and max(widths) > 12:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    lines = ["  ".join(_clip(c, w) for c, w in zip(report.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(_clip(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    lines.append(f"({len(report.rows)} {report.title})")
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return _printable(str(value).replace("\n", " "))


#: what a terminal would act on: C0 and C1 controls (ESC starts an escape sequence), DEL, and the
#: characters that reorder or break the text shown (bidirectional overrides, line separators)
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """`text` for a terminal: every character it would act on written as an escape (`\x1b`, `\t`)."""
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def _write_text(report: Report, format: str, handle: TextIO) -> None:
    if format == "table":
        handle.write(_table(report))
    elif format == "json":
        json.dump(report.rows, handle, ensure_ascii=False, indent=2)  # row by row, not one string
        handle.write("\n")
    else:
        _write_csv(report, handle)


#: how a field starts that a spreadsheet would read as a formula (OWASP, "CSV Injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _write_csv(report: Report, handle: TextIO) -> None:
    columns = list(dict.fromkeys(column for row in report.rows for column in row)) or list(report.columns)
    writer = csv.writer(handle, lineterminator="\r\n")  # RFC 4180; a "\r" in a text is then quoted too
    writer.writerow(_csv_field(column) for column in columns)
    for row in report.rows:
        writer.writerow(_csv_field(row.get(column)) for column in columns)


def _csv_field(value: Any) -> Any:
    """A text that a spreadsheet would run, prefixed with `'` so it shows it; numbers, which the
    analyses computed (a negative one too), as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _xlsx_text(text: str) -> str:
    """`text` for a cell: the control characters XML cannot carry written as OOXML's `_x001B_`,
    which Excel and calamine read back as the character."""
    return str(ILLEGAL_CHARACTERS_RE.sub(lambda found: f"_x{ord(found.group()):04X}_", text))


def write_workbook(
    sheets: Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, Any]]]], out: Path
) -> None:
    """Sheets, each its columns and its rows (by column), as an `.xlsx` at `out`, written as a report's:
    every text a text cell (never a formula, whatever it begins with), numbers as numbers, whole or
    not at all. A sheet's name is cut to Excel's 31 characters, those Excel refuses (`[]:*?/\\`) as `_`."""
    with atomic_write(out) as binary:
        _write_sheets({name: (list(columns), list(rows)) for name, (columns, rows) in sheets.items()}, binary)


def _write_xlsx(report: Report, out: IO[bytes]) -> None:
    sheets = report.sheets() or {report.title: []}
    _write_sheets(
        {
            name: (
                list(dict.fromkeys(column for row in rows for column in row)) or list(report.columns),
                rows,
            )
            for name, rows in sheets.items()
        },
        out,
    )


#: the characters Excel refuses in a sheet's name
_SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")


def _write_sheets(
    sheets: Mapping[str, tuple[list[str], Sequence[Mapping[str, Any]]]], out: IO[bytes]
) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    returns = False  # whether a text has a carriage return, which XML would turn into a line feed
    for name, (columns, rows) in sheets.items():
        sheet = workbook.create_sheet(_SHEET_NAME_REFUSED.sub("_", name)[:31])
        lines: list[list[Any]] = [list(columns), *([row.get(column) for column in columns] for row in rows)]
        for row_number, values in enumerate(lines, start=1):
            for column_number, value in enumerate(values, start=1):
                if isinstance(value, str):
                    cell = sheet.cell(row_number, column_number, _xlsx_text(value))
                    cell.data_type = "s"  # text, even when it begins with "=" (openpyxl made it a formula)
                    returns = returns or "\r" in value
                else:
                    sheet.cell(row_number, column_number, value)  # numbers stay numbers
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(columns, start=1):
            longest = max([_width(str(column)), *(_width(_cell(row.get(column))) for row in rows)])
            letter = openpyxl.utils.get_column_letter(index)
            sheet.column_dimensions[letter].width = min(max(8, longest + 2), 60)
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    saved = io.BytesIO()  # then written at once: openpyxl leaves its zip open when a write fails
    workbook.save(saved)
    out.write(_keep_carriage_returns(saved.getvalue()) if returns else saved.getvalue())


def _keep_carriage_returns(workbook: bytes) -> bytes:
    """The `workbook` with each carriage return in a cell written as `&#13;`.

    openpyxl writes a carriage return in a text as it is, and every XML reader (Excel's, calamine's,
    openpyxl's) reads that as a line feed; as a character reference it is kept. In what openpyxl
    writes of a sheet, a carriage return is only ever in a cell's text (in an attribute it is
    already a reference), so replacing each one changes nothing else.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                content = content.replace(b"\r", b"&#13;")
            target.writestr(entry, content)  # compressed as it was
    return out.getvalue()
