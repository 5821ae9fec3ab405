"""`quanze trace`: the stages' dates and waits, the findings with names, the accountability decisions, in
every format; case numbers in any letter case; the idle tolerance as an option."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from loaders.demo import DEMO_TRUTH, DEMO_WORKBOOK
from tests.api.test_cli import quanze

TRUTH = json.loads(DEMO_TRUTH.read_text(encoding="utf-8"))
PLANTED = {p["case"]: p for p in TRUTH["cases"]["planted"]}
WAITED = "BJ20240204001"  # stage 2 finished 02-06, stage 3 started 03-06, over 春节 2024
IDLE = next(f for f in PLANTED[WAITED]["findings"] if f["kind"] == "IDLE_BETWEEN_STAGES")
DECISIONS = [a for a in TRUTH["cases"]["accountability"] if a["case"] == WAITED]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    result = quanze("trace", str(DEMO_WORKBOOK), WAITED, "--format", "json")
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def test_the_json_has_the_wait_the_named_finding_and_the_decisions(document: dict[str, Any]) -> None:
    stage = document["stages"][IDLE["step"] - 1]
    assert (stage["waitedFrom"], stage["started"], stage["waitedDays"]) == (
        IDLE["from"],
        IDLE["to"],
        IDLE["waited"],
    )
    (idle,) = [f for f in document["findings"] if f["kind"] == "IDLE_BETWEEN_STAGES"]
    assert idle["id"] == f"finding:case:{WAITED}:{IDLE['step']}:IDLE_BETWEEN_STAGES"
    parts = {(p["part"], p["id"]) for p in idle["people"]}
    assert parts == {("上一环节经办人", IDLE["finished_by"]), ("等待期间在岗人员", IDLE["holder"])}
    finished_by = next(p for p in idle["people"] if p["part"] == "上一环节经办人")
    assert f"{finished_by['name']}（{IDLE['finished_by']}）" in idle["detail"]
    assert {(d["record"], d["person"]["id"], d["responsibility"]) for d in document["accountability"]} == {
        (a["record"], a["person"], a["responsibility"]) for a in DECISIONS
    }
    assert all(d["sanction"] and d["date"] for d in document["accountability"])


def test_the_table_shows_dates_waits_and_decisions(document: dict[str, Any]) -> None:
    table = quanze("trace", str(DEMO_WORKBOOK), WAITED)
    assert table.returncode == 0, table.stderr
    head = next(line for line in table.stdout.splitlines() if line.startswith("步骤"))
    assert head.split() == [
        *(
            "步骤",
            "环节",
            "部门",
            "岗位",
            "经办人",
            "当时岗位人员",
            "内设机构负责人",
            "分管领导",
            "部门负责人",
        ),
        *("开始日期", "完成日期", "用时/时限", "等待"),
    ]
    waited_row = next(line for line in table.stdout.splitlines() if line.startswith(f"{IDLE['step']} "))
    assert waited_row.split()[-4:-2] == [IDLE["to"], document["stages"][IDLE["step"] - 1]["finished"]]
    assert waited_row.split()[-1] == str(IDLE["waited"])
    decisions = table.stdout.split("问责情况：\n")[1]
    for decision in document["accountability"]:
        assert f"{decision['record']} {decision['date']}：{decision['person']['name']}" in decisions


def test_csv_and_xlsx_carry_the_new_columns(tmp_path: Path, document: dict[str, Any]) -> None:
    as_csv = quanze("trace", str(DEMO_WORKBOOK), WAITED, "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    stages = [r for r in rows if r["记录"] == "环节"]
    waits = ["" if s["waitedDays"] is None else str(s["waitedDays"]) for s in document["stages"]]
    assert [r["等待(工作日)"] for r in stages] == waits
    decisions = [r for r in rows if r["记录"] == "问责"]
    assert {(r["编号"], r["人员编号"], r["处理结果"]) for r in decisions} == {
        (d["record"], d["person"]["id"], d["sanction"]) for d in document["accountability"]
    }
    out = tmp_path / "trace.xlsx"
    as_xlsx = quanze("trace", str(DEMO_WORKBOOK), WAITED, "--format", "xlsx", "--out", str(out))
    assert as_xlsx.returncode == 0, as_xlsx.stderr
    workbook = openpyxl.load_workbook(out, read_only=True)
    assert {"办件", "环节", "发现问题", "问责"} <= set(workbook.sheetnames)
    heads = next(workbook["环节"].iter_rows(max_row=1, values_only=True))
    assert {"开始日期", "完成日期", "等待起始日期", "等待(工作日)"} <= set(heads)
    decision_heads = next(workbook["问责"].iter_rows(max_row=1, values_only=True))
    assert {"人员", "责任类型", "处理结果", "日期"} <= set(decision_heads)


def test_a_case_number_matches_in_any_letter_case(document: dict[str, Any]) -> None:
    lower = quanze("trace", str(DEMO_WORKBOOK), WAITED.lower(), "--format", "json")
    assert lower.returncode == 0, lower.stderr
    assert json.loads(lower.stdout) == document


def test_the_idle_tolerance_is_an_option(document: dict[str, Any]) -> None:
    tolerant = quanze(
        "trace", str(DEMO_WORKBOOK), WAITED, "--format", "json", "--idle-tolerance", str(IDLE["waited"])
    )
    assert tolerant.returncode == 0, tolerant.stderr
    kinds = [f["kind"] for f in json.loads(tolerant.stdout)["findings"]]
    assert kinds == [f["kind"] for f in document["findings"] if f["kind"] != "IDLE_BETWEEN_STAGES"]
    refused = quanze("trace", str(DEMO_WORKBOOK), WAITED, "--idle-tolerance", "-1")
    assert refused.returncode == 2 and "a number of working days" in refused.stderr
