"""Findings as reports: rows a person reads on a terminal, in a spreadsheet, or a script reads as JSON/CSV.

Staffing offices work in Excel, so every report also writes `.xlsx`: one sheet
per kind of finding, its evidence in columns of their own.

    report = gap_report(store, gaps)
    write_report(report, "xlsx", Path("gaps.xlsx"))
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import openpyxl
from openpyxl.styles import Alignment, Font

from graph.analyses import Gap, Overlap, SplitApproval
from graph.analyses.trace import CaseTrace
from graph.model import Node
from graph.store import GraphReader
from ontology import NodeKind

__all__ = [
    "FORMATS",
    "Report",
    "gap_report",
    "overlap_report",
    "split_report",
    "trace_document",
    "trace_text",
    "write_report",
]

FORMATS = ("table", "json", "csv", "xlsx")


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
    names = _Names(reader)
    rows = [
        {
            "kinds": "+".join(overlap.kinds),
            "score": overlap.score,
            "departments": "、".join(names.of(d) for d in overlap.departments),
            "items": "；".join(names.item(i) for i in overlap.items),
            "functions": "；".join(names.of(f) for f in overlap.functions),
            "evidence": "；".join(overlap.evidence),
            "cluster": overlap.cluster,
            "id": overlap.id,
            **{f"score {kind}": score for kind, score in overlap.scores},
            "shared words": "、".join(overlap.shared_words),
            "shared articles": "；".join(names.article(a) for a in overlap.shared_articles),
        }
        for overlap in overlaps
    ]
    columns = ("kinds", "score", "departments", "items", "functions", "evidence")
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


def trace_document(reader: GraphReader, trace: CaseTrace) -> dict[str, Any]:
    """A trace as JSON-ready data: persons by id and name, posts and departments by code and name."""
    names = _Names(reader)

    def person(node_id: str | None) -> dict[str, str] | None:
        node = names._node(node_id) if node_id else None
        return {"id": str(node.get("person_id")), "name": str(node.get("name"))} if node else None

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
            }
            for stage in trace.stages
        ],
        "laws": [names.article(law) for law in (trace.stages[0].laws if trace.stages else ())],
        "triggers": trace.stages[0].triggers if trace.stages else None,
        "findings": [{"kind": f.kind, "step": f.step, "detail": f.detail} for f in trace.findings],
        "accountability": [names.of(record) for record in trace.records],
    }


def trace_text(document: dict[str, Any]) -> str:
    """A trace as a person reads it on a terminal: the case, a table of its stages, the findings."""

    def who(person: dict[str, str] | None) -> str:
        return f"{person['name']} ({person['id']})" if person else "—"

    head = (
        f"case {document['case']}: {document['item']}\n"
        f"accepted {document['accepted']}, closed {document['closed'] or '—'}, {document['outcome'] or '—'}; "
        f"{document['total_working_days'] if document['total_working_days'] is not None else '—'} working days "
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
            "days": f"{stage['working_days'] if stage['working_days'] is not None else '—'}/"
            f"{stage['limit_days'] if stage['limit_days'] is not None else '—'}"
            + (" !" if stage["overdue"] else ""),
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
        "days",
    )
    table = _table(Report("stages", columns, rows, "step"))
    findings = (
        "".join(
            f"  {f['kind']}"
            + (f" (stage {f['step']})" if f["step"] is not None else "")
            + f": {f['detail']}\n"
            for f in document["findings"]
        )
        or "  none\n"
    )
    return f"{head}\n{table}\nfindings:\n{findings}"


def write_report(report: Report, format: str, out: Path | None = None, stream: TextIO | None = None) -> None:
    """Write the report as a table, JSON, CSV (to `out` or the stream) or a workbook (to `out`)."""
    stream = stream or sys.stdout
    if format == "xlsx":
        if out is None:
            raise ValueError("an .xlsx report needs a file to write to")
        _write_xlsx(report, out)
        return
    text = {"table": _table, "json": _json, "csv": _csv}[format](report)
    if out is None:
        stream.write(text)
    else:
        out.write_text(text, encoding="utf-8-sig" if format == "csv" else "utf-8")


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
    return str(value).replace("\n", " ")


def _json(report: Report) -> str:
    return json.dumps(report.rows, ensure_ascii=False, indent=2) + "\n"


def _csv(report: Report) -> str:
    columns = list(dict.fromkeys(column for row in report.rows for column in row)) or list(report.columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(report.rows)
    return buffer.getvalue()


def _write_xlsx(report: Report, out: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    sheets = report.sheets() or {report.title: []}
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name[:31])
        columns = list(dict.fromkeys(column for row in rows for column in row)) or list(report.columns)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(column) for column in columns])
        for index, column in enumerate(columns, start=1):
            longest = max([_width(str(column)), *(_width(_cell(row.get(column))) for row in rows)])
            letter = openpyxl.utils.get_column_letter(index)
            sheet.column_dimensions[letter].width = min(max(8, longest + 2), 60)
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    workbook.save(out)
