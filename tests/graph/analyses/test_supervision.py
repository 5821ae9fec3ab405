"""Supervision transfers (TRANSFER_DUE) on hand-made notices, on every store, and on the demo city's
planted ones (loaders/demo/truth.json, `supervision`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph import GraphStore, MemoryStore, ids
from graph.analyses.supervision import Transfer, find_transfers, matter_key
from graph.identity import FindingKind, finding_id
from graph.workdays import is_workday
from loaders.demo import DEMO_TRUTH, DEMO_WORKBOOK
from loaders.workbook import load_workbook
from tests.builders import small, write_xlsx

MARKET = "department:示例市人民政府/示例市市场监督管理局"
COMMERCE = "department:示例市人民政府/示例市商务局"
HEADER = ["通知编号", "部门", "督办事项", "发出日期", "办结时限", "办结日期", "移送日期"]
NOTICES = [
    # one matter, transferred in time: 4 working days after the second notice (Mon 03-11 to Fri 03-15)
    ["DB-01", "示例市市场监督管理局", "整治城区占道经营问题", "2024-03-01", "2024-03-08", "", ""],
    ["DB-02", "示例市市场监督管理局", "关于整治城区占道经营问题的督办", "2024-03-11", "", "", "2024-03-15"],
    # one matter never transferred (the second notice in traditional script and full-width digits)
    ["DB-03", "示例市商务局", "推进2024年农贸市场改造", "2024-05-06", "", "", ""],
    ["DB-04", "示例市商務局", "推進２０２４年農貿市場改造", "2024-06-03", "", "", ""],
    # across National Day 2024: 10-01..07 off, Sat 10-12 a make-up working day
    ["DB-05", "示例市商务局", "清理商业预付卡违规发卡", "2024-09-02", "", "", ""],
    ["DB-06", "示例市商务局", "清理商业预付卡违规发卡", "2024-09-30", "", "", "2024-10-12"],
    # two different tasks of one department, and one notice alone
    ["DB-07", "示例市市场监督管理局", "整治城区占道停车问题", "2024-04-01", "", "", ""],
    ["DB-08", "示例市市场监督管理局", "开展第一季度食品安全抽检", "2024-04-02", "", "", ""],
    ["DB-09", "示例市市场监督管理局", "开展第二季度食品安全抽检", "2024-07-01", "", "", ""],
]
AT = date(2024, 12, 31)


def _workbook(tmp_path: Path, rows: list[list[Any]]) -> Path:
    sheets = small()
    sheets["督办"] = [HEADER, *rows]
    return write_xlsx(tmp_path / "notices.xlsx", sheets)


@pytest.fixture
def transfers(store: GraphStore, tmp_path: Path) -> list[Transfer]:
    load_workbook(_workbook(tmp_path, NOTICES), store)
    return find_transfers(store, at=AT)


def _by_notices(transfers: list[Transfer]) -> dict[tuple[str, ...], Transfer]:
    return {transfer.notice_numbers: transfer for transfer in transfers}


def test_two_notices_on_one_matter_are_due_for_transfer_and_nothing_else(transfers: list[Transfer]) -> None:
    assert set(_by_notices(transfers)) == {("DB-01", "DB-02"), ("DB-03", "DB-04"), ("DB-05", "DB-06")}


def test_a_matter_transferred_in_time_counts_the_working_days_after_the_second_notice(
    transfers: list[Transfer],
) -> None:
    found = _by_notices(transfers)[("DB-01", "DB-02")]
    assert (found.department, found.matter) == (MARKET, "整治城区占道经营问题")
    assert (found.due, found.transferred, found.working_days, found.waiting_days) == (
        date(2024, 3, 11),
        date(2024, 3, 15),
        4,
        None,
    )
    assert found.id == finding_id(FindingKind.TRANSFER, MARKET, "整治城区占道经营问题")
    assert "已于2024-03-15移送" in found.detail


def test_a_matter_never_transferred_waits_until_the_date(transfers: list[Transfer]) -> None:
    found = _by_notices(transfers)[("DB-03", "DB-04")]
    assert (found.department, found.due, found.transferred, found.working_days) == (
        COMMERCE,
        date(2024, 6, 3),
        None,
        None,
    )
    assert found.waiting_days is not None and found.waiting_days > 100
    assert "未移送" in found.detail


def test_a_transfer_across_a_holiday_counts_the_make_up_workday(transfers: list[Transfer]) -> None:
    found = _by_notices(transfers)[("DB-05", "DB-06")]
    # in (09-30, 10-12]: 10-01..07 National Day, then Tue 10-08 to Fri 10-11 and the make-up Sat 10-12
    assert not any(is_workday(date(2024, 10, day)) for day in range(1, 8))
    assert is_workday(date(2024, 10, 12))
    assert found.working_days == 5


def test_the_date_decides_which_notices_and_transfers_are_known(store: GraphStore, tmp_path: Path) -> None:
    load_workbook(_workbook(tmp_path, NOTICES), store)
    before_second = find_transfers(store, at=date(2024, 3, 10))
    assert before_second == []
    before_transfer = _by_notices(find_transfers(store, at=date(2024, 3, 14)))[("DB-01", "DB-02")]
    assert (before_transfer.transferred, before_transfer.waiting_days) == (None, 3)


def test_one_department_at_a_time(store: GraphStore, tmp_path: Path) -> None:
    load_workbook(_workbook(tmp_path, NOTICES), store)
    found = find_transfers(store, at=AT, department=COMMERCE)
    assert {transfer.notice_numbers for transfer in found} == {("DB-03", "DB-04"), ("DB-05", "DB-06")}


def test_the_same_matter_to_two_departments_is_two_single_notices(tmp_path: Path) -> None:
    store = MemoryStore()
    rows = [
        ["DB-11", "示例市商务局", "清理商业预付卡违规发卡", "2024-09-02", "", "", ""],
        ["DB-12", "示例市市场监督管理局", "清理商业预付卡违规发卡", "2024-09-30", "", "", ""],
    ]
    load_workbook(_workbook(tmp_path, rows), store)
    assert find_transfers(store, at=AT) == []


def test_three_notices_are_one_transfer_due_at_the_second(tmp_path: Path) -> None:
    store = MemoryStore()
    rows = [
        ["DB-21", "示例市商务局", "清理商业预付卡违规发卡工作", "2024-09-02", "", "", ""],
        ["DB-22", "示例市商务局", "清理商业预付卡违规发卡", "2024-09-10", "", "", ""],
        ["DB-23", "示例市商务局", "督办：清理商业预付卡违规发卡", "2024-09-20", "", "", "2024-09-25"],
    ]
    load_workbook(_workbook(tmp_path, rows), store)
    [found] = find_transfers(store, at=AT)
    assert found.notice_numbers == ("DB-21", "DB-22", "DB-23")
    # in (09-10, 09-25]: 11-13, the make-up Sat 14, Mid-Autumn 15-17 off, 18-20, 23-25
    assert (found.due, found.transferred, found.working_days) == (date(2024, 9, 10), date(2024, 9, 25), 10)


def test_a_matter_transferred_after_its_first_notice_is_transferred_in_no_working_days(
    tmp_path: Path,
) -> None:
    store = MemoryStore()
    rows = [
        ["DB-31", "示例市商务局", "规范成品油市场秩序", "2024-09-02", "", "", "2024-09-05"],
        ["DB-32", "示例市商务局", "规范成品油市场秩序", "2024-09-10", "", "", ""],
    ]
    load_workbook(_workbook(tmp_path, rows), store)
    [found] = find_transfers(store, at=AT)
    assert (found.transferred, found.working_days) == (date(2024, 9, 5), 0)
    assert "第二次督办前的2024-09-05移送" in found.detail


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("关于推进老旧小区改造的督办", "推進老舊小區改造", True),
        ("推进老旧小区改造督办通知书", "推进老旧小区改造", True),
        ("督办：推进老旧小区改造", "推进老旧小区改造", True),
        ("开展第一季度食品安全抽检", "开展第二季度食品安全抽检", False),
        ("整治城区占道经营问题", "整治城区占道停车问题", False),
    ],
)
def test_matter_keys(a: str, b: str, same: bool) -> None:
    assert (matter_key(a) == matter_key(b)) is same


# --- the demo city's planted notices -----------------------------------------------------------------

TRUTH: dict[str, Any] = json.loads(DEMO_TRUTH.read_text(encoding="utf-8"))


def test_the_demo_finds_exactly_the_planted_transfers() -> None:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    planted = TRUTH["supervision"]
    found = find_transfers(store, at=date.fromisoformat(TRUTH["reference_date"]))
    assert sorted(
        (t.department, list(t.notice_numbers), t.transferred, t.working_days) for t in found
    ) == sorted(
        (
            ids.department_id("巴中市人民政府", entry["department"]),
            entry["notices"],
            date.fromisoformat(entry["transferred"]) if entry["transferred"] else None,
            entry["working_days"],
        )
        for entry in planted["transfers"]
    )
    numbers = {number for t in found for number in t.notice_numbers}
    assert not numbers & {number for entry in planted["not_transfers"] for number in entry["notices"]}
