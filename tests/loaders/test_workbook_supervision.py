"""The supervision sheet (督办) of a workbook: notices to departments, read in either script, with every
problem named by file, sheet, row and column; `quanze check` reports them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph import InvalidData, MemoryStore
from graph.rdf import to_rdf, validate
from loaders.workbook import load_workbook, read_workbook
from loaders.workbook.supervision import notice_id
from ontology import EdgeKind, NodeKind
from tests.builders import small, write_csv, write_xlsx

MARKET = "department:示例市人民政府/示例市市场监督管理局"
HEADER = ["通知编号", "部门", "督办事项", "发出日期", "办结时限", "办结日期", "移送日期"]


def _workbook(tmp_path: Path, rows: list[list[Any]], header: list[str] = HEADER, sheet: str = "督办") -> Path:
    sheets = small()
    sheets[sheet] = [header, *rows]
    return write_xlsx(tmp_path / "notices.xlsx", sheets)


def test_a_notice_is_a_node_sent_to_its_department(tmp_path: Path) -> None:
    rows = [["DB-01", "示例市市场监督管理局", "整治占道经营", "2024-03-01", "2024/3/8", "", "2024年3月15日"]]
    store = MemoryStore()
    load_workbook(_workbook(tmp_path, rows), store)
    [notice] = store.nodes(NodeKind.SUPERVISION_NOTICE)
    assert notice.id == notice_id("DB-01")
    assert notice.props["matter"] == "整治占道经营"
    assert (notice["issued"], notice["deadline"], notice["transferred"]) == (
        date(2024, 3, 1),
        date(2024, 3, 8),
        date(2024, 3, 15),
    )
    assert "done" not in notice.props
    assert [edge.target for edge in store.edges(source=notice.id, kind=EdgeKind.NOTICE_TO)] == [MARKET]
    assert notice.origin is not None and (notice.origin.sheet, notice.origin.row) == ("督办", 2)
    assert validate(to_rdf(store))[0]


def test_traditional_full_width_and_alias_headers_name_the_columns(tmp_path: Path) -> None:
    header = ["通知編號", "被督辦部門", "督辦事項", "ｄａｔｅ", "办结时限：", "辦結日期", "移送監察日期"]
    rows = [["DB-01", "示例市市場監督管理局", "整治占道經營", "2024-03-01", "", "2024-03-05", ""]]
    store = MemoryStore()
    load_workbook(_workbook(tmp_path, rows, header, sheet="督辦通知書"), store)
    [notice] = store.nodes(NodeKind.SUPERVISION_NOTICE)
    assert (notice["matter"], notice["done"]) == ("整治占道經營", date(2024, 3, 5))


def test_a_folder_of_csv_files_has_the_sheet_too(tmp_path: Path) -> None:
    sheets = small()
    sheets["督办"] = [HEADER, ["DB-01", "SJ", "整治占道经营", "2024-03-01", "", "", ""]]
    store = MemoryStore()
    load_workbook(write_csv(tmp_path / "csv", sheets), store)
    assert store.count(NodeKind.SUPERVISION_NOTICE) == 1


def test_a_workbook_without_the_sheet_has_no_notices(tmp_path: Path) -> None:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "small.xlsx", small()), store)
    assert store.count(NodeKind.SUPERVISION_NOTICE) == 0


def test_every_problem_names_the_row_and_the_column(tmp_path: Path) -> None:
    rows = [
        ["DB-01", "示例市环保局", "整治占道经营", "2024-03-01", "", "", ""],
        ["DB-02", "示例市商务局", "", "2024-03-01", "", "", ""],
        ["DB-03", "示例市商务局", "整治占道经营", "三月一日", "", "", ""],
        ["DB-04", "示例市商务局", "整治占道经营", "2024-03-01", "", "2024-02-28", "2024-02-01"],
        ["DB-01", "示例市商务局", "整治占道经营", "2024-03-02", "", "", ""],
        ["DB-01", "示例市商务局", "整治占道经营", "2024-03-02", "", "", ""],
        ["", "示例市商务局", "整治占道经营", "", "", "", ""],
    ]
    path = _workbook(tmp_path, rows)
    with pytest.raises(InvalidData) as caught:
        read_workbook(path)
    found = {(p.row, p.column, p.reason.split(" (")[0]) for p in caught.value.problems}
    assert (2, "部门 (B)", "names an unknown department") in found
    assert (3, "督办事项 (C)", "is required") in found
    assert any(row == 4 and column == "发出日期 (D)" for row, column, _ in found)
    assert (5, "办结日期 (F)", "the day it was done is before the notice was sent") in found
    assert (5, "移送日期 (G)", "the day of transfer is before the notice was sent") in found
    assert (7, "通知编号 (A)", "is a duplicate notice number") in found
    assert (8, "通知编号 (A)", "is required") in found and (8, "发出日期 (D)", "is required") in found
    assert all(p.file == str(path) and p.sheet == "督办" for p in caught.value.problems)


def test_a_sheet_without_a_required_column_is_one_problem(tmp_path: Path) -> None:
    header = ["通知编号", "部门", "发出日期"]
    path = _workbook(tmp_path, [["DB-01", "示例市商务局", "2024-03-01"]], header)
    with pytest.raises(InvalidData) as caught:
        read_workbook(path)
    [problem] = caught.value.problems
    assert "the required column 督办事项 (matter) is missing" in problem.reason


def test_check_reports_the_sheets_problems(tmp_path: Path) -> None:
    path = _workbook(tmp_path, [["DB-01", "示例市环保局", "整治占道经营", "2024-03-01", "", "", ""]])
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 1
    assert f"{path}, sheet 督办, row 2, column 部门 (B): names an unknown department" in result.stderr
    assert "Traceback" not in result.stderr
