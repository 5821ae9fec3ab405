"""The supervision transfers of `quanze` (shared/spec/cli.md; registered by `api.cli`).

    quanze transfers [SOURCE] [--department D] [--at DATE] [--format table|json|csv|xlsx] [--out FILE]

The matters due for transfer to the supervision department on `--at` (default today): two supervision
notices (督办通知书) or more to one department on one matter (`graph.analyses.supervision`), as the
API's `supervisionTransfers` finds them. The table has Chinese heads (部门, 督办事项, 督办通知, 应移送日期,
移送日期, 是否移送, 移送用时 and 已等待 in working days, 编号); csv and xlsx carry the same columns, every cell a text (a value
a spreadsheet would run is shown, never run); json is the API's `Transfer` shape.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from api.arguments import date_argument, output_arguments
from api.help import help_text
from api.reports import FORMATS, Report, write_report, write_workbook
from graph.analyses.supervision import Transfer, find_transfers
from graph.errors import QuanzeError
from graph.store import GraphReader

__all__ = ["TRANSFER_COLUMNS", "register", "transfer_json"]

#: the columns of the table, the CSV and the sheet
TRANSFER_COLUMNS = (
    "部门",
    "督办事项",
    "督办通知",
    "应移送日期",
    "移送日期",
    "是否移送",
    "移送用时(工作日)",
    "已等待(工作日)",
    "编号",
)
TRANSFER_SHEET = "督办移送"

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]
Option = Callable[..., None]


def register(command: Command, source: Option) -> None:
    """Add `transfers` to the parser through `api.cli`'s helpers: `command` makes a subcommand, `source`
    adds the SOURCE and its options."""
    found = command(
        "transfers",
        _transfers,
        help_text(
            "同一事项收到两次督办通知书、应移送监察的事项（督办移送）",
            "matters with two supervision notices, due for transfer (督办移送)",
        ),
    )
    source(found)
    found.add_argument(
        "--department",
        help=help_text(
            "只列出该部门的事项（按部门名称，简繁均可）",
            "only this department's matters (by name, either script)",
        ),
    )
    found.add_argument(
        "--at",
        type=date_argument,
        metavar="DATE",
        default=None,
        help=help_text(
            "计至此日发出的督办通知（默认今天；如 2024-03-05、2024/3/5、2024年3月5日）",
            "the notices sent by this date (default today)",
        ),
    )
    output_arguments(found, FORMATS)


def transfer_json(transfer: Transfer, names: dict[str, str]) -> dict[str, Any]:
    """The transfer as the API's `Transfer` answers it (camelCase fields; the department's id and name)."""
    return {
        "id": transfer.id,
        "kind": transfer.kind,
        "department": {"id": transfer.department, "name": names[transfer.department]},
        "matter": transfer.matter,
        "notices": list(transfer.notice_numbers),
        "noticeDetails": [
            {
                "noticeId": notice.number,
                "matter": notice.matter,
                "date": notice.issued.isoformat(),
                "deadline": _day(notice.deadline),
                "done": _day(notice.done),
                "transferred": _day(notice.transferred),
            }
            for notice in transfer.notices
        ],
        "due": transfer.due.isoformat(),
        "transferred": _day(transfer.transferred),
        "workingDays": transfer.working_days,
        "waitingDays": transfer.waiting_days,
        "detail": transfer.detail,
    }


# -- the command ----------------------------------------------------------------------------------


def _transfers(args: argparse.Namespace) -> int:
    from api import cli  # the shared helpers of the command line (which imports this module)

    if args.format == "xlsx" and args.out is None:
        raise QuanzeError("--format xlsx needs --out FILE.xlsx")
    store = cli._open_store(args)
    department = cli._department(store, args.department)
    found = find_transfers(store, at=args.at or date.today(), department=department)
    names = _names(store, found)
    if args.format == "json":
        text = json.dumps([transfer_json(t, names) for t in found], ensure_ascii=False, indent=2) + "\n"
        cli._write_text(text, args.out)
        return 0
    rows = [_row(transfer, names) for transfer in found]
    if args.format == "xlsx":
        write_workbook({TRANSFER_SHEET: (TRANSFER_COLUMNS, rows)}, args.out)
        print(f"wrote {len(rows)} transfers to {args.out}", file=sys.stderr)
        return 0
    write_report(Report("transfers", TRANSFER_COLUMNS, rows), args.format, args.out)
    return 0


def _row(transfer: Transfer, names: dict[str, str]) -> dict[str, Any]:
    notices = "、".join(f"{notice.number}（{notice.issued.isoformat()}）" for notice in transfer.notices)
    return {
        "部门": names[transfer.department],
        "督办事项": transfer.matter,
        "督办通知": notices,
        "应移送日期": transfer.due,
        "移送日期": transfer.transferred,
        "是否移送": "是" if transfer.transferred else "否",
        "移送用时(工作日)": transfer.working_days,
        "已等待(工作日)": transfer.waiting_days,
        "编号": transfer.id,
    }


def _names(reader: GraphReader, found: Sequence[Transfer]) -> dict[str, str]:
    wanted = sorted({transfer.department for transfer in found})
    return {
        department: str(node.get("name", department)) if node is not None else department
        for department, node in zip(wanted, reader.nodes_by_id(wanted), strict=True)
    }


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
