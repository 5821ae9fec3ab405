"""`quanze transfers` as a user runs it: the matters due for transfer, as a table with Chinese heads, JSON,
CSV and a workbook whose cells are text (a matter that looks like a formula is shown, never run)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.api.test_cli import quanze
from tests.builders import small, write_csv

FORMULA = '=HYPERLINK("http://example.com","整治占道经营")'
NOTICES = [
    ["通知编号", "部门", "督办事项", "发出日期", "办结时限", "办结日期", "移送日期"],
    ["DB-01", "示例市市场监督管理局", FORMULA, "2024-03-01", "", "", ""],
    ["DB-02", "示例市市场监督管理局", FORMULA, "2024-03-11", "", "", "2024-03-15"],
    ["DB-03", "示例市商务局", "推进农贸市场改造", "2024-05-06", "", "", ""],
    ["DB-04", "示例市商務局", "關於推進農貿市場改造的督辦", "2024-06-03", "", "", ""],
]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sheets = small()
    sheets["督办"] = NOTICES
    return write_csv(tmp_path_factory.mktemp("transfers") / "notices", sheets)  # a formula's text, as typed


def _json(workbook: Path, *options: str) -> list[dict[str, Any]]:
    result = quanze("transfers", str(workbook), "--at", "2024-12-31", "--format", "json", *options)
    assert result.returncode == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_json_is_the_api_shape(workbook: Path) -> None:
    found = {tuple(t["notices"]): t for t in _json(workbook)}
    assert set(found) == {("DB-01", "DB-02"), ("DB-03", "DB-04")}
    moved, waiting = found[("DB-01", "DB-02")], found[("DB-03", "DB-04")]
    assert (moved["due"], moved["transferred"], moved["workingDays"], moved["waitingDays"]) == (
        "2024-03-11",
        "2024-03-15",
        4,
        None,
    )
    assert waiting["transferred"] is None and waiting["workingDays"] is None and waiting["waitingDays"] > 0
    assert waiting["department"]["name"] == "示例市商务局"
    assert [n["date"] for n in waiting["noticeDetails"]] == ["2024-05-06", "2024-06-03"]


def test_one_department_and_an_unknown_one(workbook: Path) -> None:
    assert [t["notices"] for t in _json(workbook, "--department", "示例市商務局")] == [["DB-03", "DB-04"]]
    result = quanze("transfers", str(workbook), "--department", "示例市环保局")
    assert result.returncode == 2 and "no department named '示例市环保局'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_table_has_chinese_heads(workbook: Path) -> None:
    result = quanze("transfers", str(workbook), "--at", "2024-12-31")
    assert result.returncode == 0, result.stderr
    head = result.stdout.splitlines()[0].split()
    assert head[:6] == ["部门", "督办事项", "督办通知", "应移送日期", "移送日期", "是否移送"]


def test_csv_and_xlsx_show_a_formula_as_text(workbook: Path, tmp_path: Path) -> None:
    result = quanze("transfers", str(workbook), "--at", "2024-12-31", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["督办事项"] for row in rows} == {"'" + FORMULA, "推进农贸市场改造"}
    out = tmp_path / "transfers.xlsx"
    result = quanze("transfers", str(workbook), "--at", "2024-12-31", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(out)["督办移送"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == FORMULA]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert quanze("transfers", str(workbook), "--format", "xlsx").returncode != 0
