"""`quanze scorecard` and `quanze warnings` on the demo city: the three formats of the cards, a manual
score from the ledger, and the workbook a staffing office hands out (no formula from the data)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from api.cli import main
from graph.evaluation import ManualScore
from graph.ledger import SQLiteLedger
from loaders.demo import DEMO_WORKBOOK, REFERENCE_DATE

AT = REFERENCE_DATE.isoformat()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main([*argv]) == 0
    return capsys.readouterr().out


def test_json_is_ranked_and_a_ledger_score_moves_a_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    base = ("scorecard", str(DEMO_WORKBOOK), "--at", AT, "--ledger", str(ledger), "--format", "json")
    cards = json.loads(_run(capsys, *base))
    last = cards[-1]
    government = [
        card for card in cards if card["department"]["government"] == last["department"]["government"]
    ]
    assert [card["rank"] for card in government] == sorted(card["rank"] for card in government)
    for card in cards:
        assert card["total"] == pytest.approx(
            sum((i["score"] or 0) * i["weight"] for i in card["indicators"])
        )
    unscored = max(
        (i for i in last["indicators"] if i["score"] is None and not i["computedScore"]),
        key=lambda i: i["weight"],
    )
    kept = SQLiteLedger(ledger)
    kept.record_score(
        ManualScore(last["department"]["id"], unscored["code"], 100, "王芳", datetime.now(UTC), "核实")
    )
    kept.close()
    one = json.loads(_run(capsys, *base, "--department", last["department"]["name"]))
    assert one["total"] == pytest.approx(last["total"] + 100 * unscored["weight"])
    assert one["rank"] < last["rank"]


def test_the_table_has_chinese_heads(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ledger = str(tmp_path / "ledger.sqlite3")
    ranking = _run(capsys, "scorecard", str(DEMO_WORKBOOK), "--at", AT, "--ledger", ledger)
    assert ranking.splitlines()[0].split()[:5] == ["排名", "部门", "总分", "等级", "是否完整"]
    warnings = _run(capsys, "warnings", str(DEMO_WORKBOOK), "--at", AT, "--level", "red", "--format", "json")
    found = json.loads(warnings)
    assert found and {w["level"] for w in found} == {"RED"}


def test_the_workbook_has_a_ranking_and_a_sheet_per_department(tmp_path: Path) -> None:
    out = tmp_path / "cards.xlsx"
    argv = ["scorecard", str(DEMO_WORKBOOK), "--at", AT, "--ledger", str(tmp_path / "l.sqlite3")]
    assert main([*argv, "--format", "xlsx", "--out", str(out)]) == 0
    workbook = openpyxl.load_workbook(out)
    ranking = workbook["排名"]
    heads = [cell.value for cell in ranking[1]]
    assert heads[:5] == ["排名", "部门", "总分", "等级", "是否完整"]
    rows = list(ranking.iter_rows(min_row=2, values_only=True))
    assert len(workbook.sheetnames) == len(rows) + 1
    assert all(isinstance(row[2], float | int) for row in rows)  # numbers stay numbers
    sheet = workbook[str(rows[0][1])[:31]]
    assert [cell.value for cell in sheet[1]] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "权重",
        "得分",
        "折合分",
        "是否计算",
        "依据/扣分说明",
    ]
    for name in workbook.sheetnames:
        for row in workbook[name].iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, cell.coordinate, cell.value)
