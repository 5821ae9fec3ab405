"""The case search of `quanze` (shared/spec/cli.md; registered by `api.cli`).

    quanze cases [SOURCE] [--department D] [--item CODE] [--power-type T] [--from DATE] [--to DATE]
                 [--outcome O] [--overdue | --not-overdue] [--sort accepted|delay] [--limit N]
                 [--format table|json|csv|xlsx] [--out FILE]

The cases the filters keep (those of `graph.analyses.cases`, as the API's `cases` finds them), newest
first or by delay, at most `--limit` of them (0: all). The table has Chinese heads (办件编号, 事项, 部门,
受理日期, 办结日期, 结果, 用时, 时限, 超期); csv and xlsx carry the same columns, the days as dates and
the working days as numbers (a text that a spreadsheet would run is shown, never run); json is the
API's `Case` shape.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from api.arguments import date_argument, output_arguments
from api.help import help_text
from api.reports import FORMATS, Report, write_report, write_workbook
from graph.analyses.cases import CaseQuery, CaseRow, CaseSort, build_case_index, is_power_item
from graph.errors import QuanzeError
from graph.store import GraphReader
from loaders.mapping import parse_power_type
from ontology import PowerType

__all__ = ["CASE_COLUMNS", "register"]

#: the columns of the table, the CSV and the sheet
CASE_COLUMNS = ("办件编号", "事项", "部门", "受理日期", "办结日期", "结果", "用时", "时限", "超期")
CASE_SHEET = "办件"
#: the cases listed when --limit is not given
DEFAULT_LIMIT = 100

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]
Option = Callable[..., None]


def register(command: Command, source: Option) -> None:
    """Add `cases` to the parser through `api.cli`'s helpers: `command` makes a subcommand, `source` adds
    the SOURCE and its options."""
    found = command(
        "cases",
        _cases,
        help_text(
            "按部门、事项、受理期间、办理结果和是否超期查找办件",
            "find cases (办件) by department, item, period, outcome and overdue",
        ),
    )
    source(found)
    found.add_argument(
        "--department",
        help=help_text(
            "该部门事项的办件（按部门名称，简繁均可）",
            "the cases of this department's items (by name, either script)",
        ),
    )
    found.add_argument(
        "--item",
        help=help_text("该事项的办件（事项编码或其 id）", "the cases of this item (its code, or its id)"),
    )
    found.add_argument(
        "--power-type",
        help=help_text(
            f"该权力类型事项的办件（{PowerType.LICENSING}、{PowerType.PENALTY} …，简繁均可）",
            f"the cases of items of this power type ({PowerType.LICENSING} …)",
        ),
    )
    found.add_argument(
        "--from",
        dest="accepted_from",
        type=date_argument,
        metavar="DATE",
        help=help_text("受理日期不早于此日（如 2024-03-05、2024/3/5、2024年3月5日）", "accepted on or after"),
    )
    found.add_argument(
        "--to",
        dest="accepted_to",
        type=date_argument,
        metavar="DATE",
        help=help_text("受理日期不晚于此日", "accepted on or before"),
    )
    found.add_argument(
        "--outcome",
        help=help_text(
            "办理结果：准予、不予、退回、逾期或撤回（简繁均可）",
            "准予, 不予, 退回, 逾期 or 撤回 (either script)",
        ),
    )
    overdue = found.add_mutually_exclusive_group()
    overdue.add_argument(
        "--overdue",
        dest="overdue",
        action="store_const",
        const=True,
        help=help_text("只列出超期的办件", "only overdue cases"),
    )
    overdue.add_argument(
        "--not-overdue",
        dest="overdue",
        action="store_const",
        const=False,
        help=help_text("只列出未超期的办件", "only cases not overdue"),
    )
    found.add_argument(
        "--sort",
        choices=[sort.value.lower() for sort in CaseSort],
        default="accepted",
        help=help_text(
            "accepted：受理日期最新的在前（默认）；delay：超出时限工作日最多的在前",
            "accepted: newest first (default); delay: the most working days beyond the limit first",
        ),
    )
    found.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=help_text(
            f"最多列出的办件数（默认 {DEFAULT_LIMIT}；0：全部）",
            f"the most cases to list (default {DEFAULT_LIMIT}; 0: all)",
        ),
    )
    output_arguments(found, FORMATS)


def _cases(args: argparse.Namespace) -> int:
    from api import cli  # the shared helpers of the command line (which imports this module)

    if args.limit < 0:
        raise QuanzeError("--limit must be 0 (all) or more")
    if args.accepted_from and args.accepted_to and args.accepted_from > args.accepted_to:
        raise QuanzeError(f"--from {args.accepted_from} is after --to {args.accepted_to}")
    if args.format == "xlsx" and args.out is None:
        raise QuanzeError("--format xlsx needs --out FILE.xlsx")
    store = cli._open_store(args)
    query = CaseQuery(
        department=cli._department(store, args.department),
        item=args.item,
        power_type=_power_type(args.power_type),
        accepted_from=args.accepted_from,
        accepted_to=args.accepted_to,
        outcome=args.outcome,
        overdue=args.overdue,
    )
    index = build_case_index(store)
    if args.item is not None and not index.has_item(args.item) and not is_power_item(store, args.item):
        raise QuanzeError(f"no power item {args.item!r} (give its code or id)")
    page = index.search(query, CaseSort(args.sort.upper()), args.limit or len(index))
    names = _names(store, page.rows)
    if page.total > len(page.rows):
        print(f"{len(page.rows)} of {page.total} cases (--limit 0 lists all)", file=sys.stderr)
    if args.format == "json":
        cli._write_text(_json([case_json(row, names) for row in page.rows]), args.out)
        return 0
    rows = [_case_row(row, names) for row in page.rows]
    if args.format == "xlsx":
        write_workbook({CASE_SHEET: (CASE_COLUMNS, rows)}, args.out)
        print(f"wrote {len(rows)} cases to {args.out}", file=sys.stderr)
        return 0
    write_report(Report("cases", CASE_COLUMNS, rows), args.format, args.out)
    return 0


def case_json(row: CaseRow, names: dict[str, str]) -> dict[str, Any]:
    """The case as the API's `Case` answers it (camelCase fields; the item's code and name, the
    departments' ids and names)."""
    return {
        "id": row.case_id,
        "item": {"id": row.item, "code": row.item_code, "name": names.get(row.item, "")},
        "departments": [{"id": d, "name": names.get(d, d)} for d in row.departments],
        "accepted": row.accepted.isoformat(),
        "closed": row.closed.isoformat() if row.closed else None,
        "outcome": row.outcome,
        "overdue": row.overdue,
        "workingDays": row.working_days,
        "limitDays": row.limit_days,
        "delayDays": row.delay_days,
    }


def _case_row(row: CaseRow, names: dict[str, str]) -> dict[str, Any]:
    """A row of the table: texts, the days as dates, the working days as numbers (None: not known)."""
    return {
        "办件编号": row.case_id,
        "事项": f"{row.item_code} {names.get(row.item, '')}".strip(),
        "部门": "、".join(names.get(department, department) for department in row.departments),
        "受理日期": row.accepted,
        "办结日期": row.closed,
        "结果": row.outcome or "",
        "用时": row.working_days,
        "时限": row.limit_days,
        "超期": _overdue(row),
    }


def _overdue(row: CaseRow) -> str:
    """超期: by how many working days, 否 when closed in time, nothing when open or without a limit."""
    if row.delay_days is None:
        return ""
    return f"{row.delay_days}个工作日" if row.overdue else "否"


def _power_type(text: str | None) -> str | None:
    """The power type named (`行政許可`, `许可` …) as the lists write it; the text itself when unknown."""
    known = parse_power_type(text) if text else None
    return known.value if known else text


def _names(reader: GraphReader, rows: Sequence[CaseRow]) -> dict[str, str]:
    """The names of the items and departments of these cases, by id (read in one call)."""
    wanted = sorted({node for row in rows for node in (row.item, *row.departments)})
    return {node.id: str(node.get("name") or node.id) for node in reader.nodes_by_id(wanted) if node}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
