"""The evaluation's commands of `quanze` (shared/spec/cli.md; registered by `api.cli`).

    quanze scorecard SOURCE [--department D] [--government G] [--at DATE]
                            [--format table|json|xlsx] [--out FILE] [--ledger FILE]
    quanze warnings SOURCE [--level red|yellow|blue] [--at DATE] [--format table|csv|json] [--out FILE]

`scorecard` scores every department (of `--government`), ranked in its government, with the manual
scores of the ledger; with `--department`, that one department's card. The table is the ranking (or
the card's indicators) with Chinese heads; json is the API's shapes (`Scorecard`, `IndicatorScore`);
xlsx is a report a staffing office hands out: a ranking sheet (排名, 部门, 总分, 等级, 是否完整) and a
sheet per department with each indicator, its weight, score and the evidence of its deductions,
written by `api.reports.write_workbook` (every text a text cell: nothing from the data becomes a
formula). `warnings` lists the warnings, red first.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from api.arguments import date_argument, output_arguments
from api.evaluation import Evaluated, cards, evaluate, findings_of
from api.help import help_text
from api.reports import Report, write_report, write_workbook
from graph.errors import QuanzeError
from graph.evaluation import EarlyWarning, IndicatorScore, Scorecard, WarningLevel
from graph.ledger import ReviewStatus
from graph.store import GraphReader

__all__ = ["RANKING_COLUMNS", "SCORE_COLUMNS", "WARNING_COLUMNS", "register"]

#: the ranking's columns (its sheet, and the table without --department)
RANKING_COLUMNS = ("排名", "部门", "总分", "等级", "是否完整", "评估模板", "未评分指标")
#: a department's sheet: one row per third-level indicator
SCORE_COLUMNS = ("一级指标", "二级指标", "三级指标", "权重", "得分", "折合分", "是否计算", "依据/扣分说明")
WARNING_COLUMNS = ("等级", "规则", "部门", "说明", "编号")
LEVEL_NAMES = {WarningLevel.RED: "红色", WarningLevel.YELLOW: "黄色", WarningLevel.BLUE: "蓝色"}
RANKING_SHEET = "排名"

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]
Option = Callable[..., None]


def register(command: Command, source: Option, ledger: Option) -> None:
    """Add `scorecard` and `warnings` to the parser through `api.cli`'s helpers: `command` makes a
    subcommand, `source` adds the SOURCE and its options, `ledger` the --ledger option."""
    scorecard = command(
        "scorecard",
        _scorecard,
        help_text(
            "机构编制评估的评分表，各部门在本级政府内排名", "the evaluation scorecards, ranked (机构编制评估)"
        ),
    )
    source(scorecard)
    _at(scorecard)
    scorecard.add_argument(
        "--department",
        help=help_text(
            "只列出该部门的评分表（按部门名称，简繁均可）", "only this department's card (by name)"
        ),
    )
    output_arguments(scorecard, ("table", "json", "xlsx"))
    ledger(scorecard)

    found = command(
        "warnings",
        _warnings,
        help_text(
            "预警：按红、黄、蓝三级归类的问题，红色在前",
            "the warnings: findings sorted into red, yellow and blue",
        ),
    )
    source(found)
    _at(found)
    found.add_argument(
        "--level",
        action="append",
        choices=[level.value.lower() for level in WarningLevel],
        dest="levels",
        help=help_text(
            "只列出这一级的预警（可重复）：red 红色、yellow 黄色、blue 蓝色",
            "only warnings of this level (repeatable)",
        ),
    )
    found.add_argument(
        "--department",
        help=help_text(
            "只列出涉及该部门的预警（按部门名称，简繁均可）",
            "only warnings about this department (by name)",
        ),
    )
    output_arguments(found, ("table", "csv", "json"))


def _at(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--at",
        type=date_argument,
        metavar="DATE",
        default=None,
        help=help_text(
            "评估日期（默认今天；如 2024-03-05、2024/3/5、2024年3月5日）",
            "the evaluation date (default today)",
        ),
    )


# -- the commands ---------------------------------------------------------------------------------


def _scorecard(args: argparse.Namespace) -> int:
    from api import cli  # the shared helpers of the command line (which imports this module)

    store = cli._open_store(args)
    department = cli._department(store, args.department)
    evaluated = evaluate(store, args.at or date.today())
    with contextlib.closing(cli._ledger(args)) as ledger:
        scores = ledger.scores()  # every department's: the others' scores move the department's rank
        reviews = ledger.current(findings_of(evaluated))
    dismissed = {finding for finding, review in reviews.items() if review.status is ReviewStatus.DISMISSED}
    found = cards(evaluated, scores, dismissed=dismissed)
    if department is not None:
        government = evaluated.governments[department]
        found = [card for card in found if evaluated.governments[card.department] == government]
    names = _names(store, evaluated)
    if args.format == "xlsx":
        if args.out is None:
            raise QuanzeError("--format xlsx needs --out FILE.xlsx")
        chosen = [card for card in found if department in (None, card.department)]
        write_workbook(_sheets(found, chosen, names), args.out)
        print(f"wrote {len(chosen)} scorecards to {args.out}", file=sys.stderr)
        return 0
    if department is not None:
        (card,) = (card for card in found if card.department == department)
        if args.format == "json":
            cli._write_text(_json(card_json(card, names, evaluated.governments)), args.out)
            return 0
        return _table(_card_report(card, names), args)
    if args.format == "json":
        cli._write_text(_json([card_json(card, names, evaluated.governments) for card in found]), args.out)
        return 0
    return _table(Report("scorecards", RANKING_COLUMNS, [_ranking_row(c, names) for c in found]), args)


def _warnings(args: argparse.Namespace) -> int:
    from api import cli

    store = cli._open_store(args)
    department = cli._department(store, args.department)
    evaluated = evaluate(store, args.at or date.today())
    levels = {WarningLevel(level.upper()) for level in args.levels or ()}
    found = [
        warning
        for warning in evaluated.warnings
        if (not levels or warning.level in levels)
        and (department is None or department in warning.departments)
    ]
    names = _names(store, evaluated)
    if args.format == "json":
        cli._write_text(_json([warning_json(warning, names) for warning in found]), args.out)
        return 0
    rows = [_warning_row(warning, names) for warning in found]
    return _table(Report("warnings", WARNING_COLUMNS, rows), args)


# -- the shapes -----------------------------------------------------------------------------------


def card_json(card: Scorecard, names: dict[str, str], governments: Mapping[str, str]) -> dict[str, Any]:
    """The card as the API's `Scorecard` answers it (camelCase fields; the department's id, name and
    government)."""
    department = {"id": card.department, "name": names[card.department]}
    return {
        "department": {**department, "government": governments[card.department]},
        "template": card.template,
        "at": card.at.isoformat(),
        "total": card.total,
        "maxTotal": card.max_total,
        "grade": card.grade,
        "complete": card.complete,
        "rank": card.rank,
        "unscored": list(card.unscored),
        "ownScore": card.own_score,
        "indicators": [_indicator_json(indicator) for indicator in card.indicators],
    }


def warning_json(warning: EarlyWarning, names: dict[str, str]) -> dict[str, Any]:
    """The warning as the API's `Warning` answers it."""
    return {
        "id": warning.id,
        "level": warning.level.value,
        "rule": warning.rule,
        "department": _department_json(warning.department, names),
        "departments": [_department_json(d, names) for d in warning.departments],
        "finding": warning.finding,
        "detail": warning.detail,
        "evidence": list(warning.evidence),
    }


def _indicator_json(indicator: IndicatorScore) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "level1": indicator.level1,
        "level2": indicator.level2,
        "weight": indicator.weight,
        "score": indicator.score,
        "points": indicator.points,
        "computed": indicator.computed,
        "computedScore": indicator.computed_score,
        "overridden": indicator.overridden,
        "rule": indicator.rule,
        "evidence": list(indicator.evidence),
        "findings": list(indicator.findings),
    }


def _department_json(department: str | None, names: dict[str, str]) -> dict[str, str] | None:
    return None if department is None else {"id": department, "name": names.get(department, department)}


def _ranking_row(card: Scorecard, names: dict[str, str]) -> dict[str, Any]:
    return {
        "排名": card.rank,
        "部门": names[card.department],
        "总分": round(card.total, 2),
        "等级": card.grade,
        "是否完整": "是" if card.complete else "否",
        "评估模板": card.template,
        "未评分指标": len(card.unscored),
    }


def _score_row(indicator: IndicatorScore) -> dict[str, Any]:
    return {
        "一级指标": indicator.level1,
        "二级指标": indicator.level2,
        "三级指标": f"{indicator.code} {indicator.name}",
        "权重": round(indicator.weight * 100, 4),  # the points it gives at full marks, as the views show it
        "得分": indicator.score,
        "折合分": round(indicator.points, 4),
        "是否计算": "是" if indicator.computed else "否",
        "依据/扣分说明": "\n".join(indicator.evidence),
    }


def _card_report(card: Scorecard, names: dict[str, str]) -> Report:
    title = f"{names[card.department]}的评估指标（总分 {card.total:.2f}，{card.grade}，第 {card.rank} 名）"
    return Report(title, SCORE_COLUMNS, [_score_row(i) for i in card.indicators])


def _sheets(
    ranked: list[Scorecard], chosen: list[Scorecard], names: dict[str, str]
) -> dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]]:
    """The workbook: the ranking of `ranked`, then a sheet per card of `chosen`."""
    sheets: dict[str, tuple[tuple[str, ...], list[dict[str, Any]]]] = {
        RANKING_SHEET: (RANKING_COLUMNS, [_ranking_row(card, names) for card in ranked])
    }
    for card in chosen:
        rows = [_score_row(indicator) for indicator in card.indicators]
        rows.append({"三级指标": "总分", "折合分": round(card.total, 4), "依据/扣分说明": card.grade})
        sheets[names[card.department]] = (SCORE_COLUMNS, rows)
    return sheets


def _warning_row(warning: EarlyWarning, names: dict[str, str]) -> dict[str, Any]:
    return {
        "等级": LEVEL_NAMES[warning.level],
        "规则": warning.rule,
        "部门": "、".join(names.get(d, d) for d in warning.departments),
        "说明": warning.detail,
        "编号": warning.id,
    }


def _names(reader: GraphReader, evaluated: Evaluated) -> dict[str, str]:
    """Department id -> its name, for every department evaluated."""
    nodes = reader.nodes_by_id(list(evaluated.templates))
    return {node.id: str(node.get("name") or node.id) for node in nodes if node is not None}


def _table(report: Report, args: argparse.Namespace) -> int:
    write_report(report, args.format, args.out)
    return 0


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
