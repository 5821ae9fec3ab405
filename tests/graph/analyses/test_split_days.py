"""A split approval's total days are its longest path (critical path), on every store: approvals that run
side by side count once, the longest of them, and what consolidating saves is never more than the total."""

from __future__ import annotations

from pathlib import Path

from graph import GraphStore
from graph.analyses import SplitApproval, SplitKind, find_splits
from graph.ids import department_id
from loaders.workbook import load_workbook
from tests.builders import Sheets, small, write_xlsx

MARKET = department_id("示例市人民政府", "示例市市场监督管理局")
LIST_COLUMNS = 13  # the 权责清单 sheet's columns (tests.builders)


def _item(code: str, name: str, department: str, days: int, needs: str = "") -> list[object]:
    row: list[object] = [code, "行政许可", name, "", department, "", "", "", "", days, days // 2, needs, ""]
    assert len(row) == LIST_COLUMNS
    return row


def _splits(store: GraphStore, tmp_path: Path, sheets: Sheets) -> list[SplitApproval]:
    load_workbook(write_xlsx(tmp_path / "s.xlsx", sheets), store)
    return find_splits(store, min_departments=2)


def test_one_matter_approved_side_by_side_takes_the_longest_not_the_sum(
    store: GraphStore, tmp_path: Path
) -> None:
    sheets = small()  # XK-001 食品经营许可 by 市场监管, 20 days
    sheets["权责清单"].append(_item("XK-009", "食品经营许可", "示例市商务局", 30))
    (same,) = [s for s in _splits(store, tmp_path, sheets) if s.kind is SplitKind.SAME_MATTER]
    assert same.items == ("item:XK-001", "item:XK-009")
    assert same.total_days == 30  # max(20, 30), not 50
    # the lead (市场监管, most stages) keeps its 20 days: 10 of the 30 go
    assert same.saved_days == 10


def test_prerequisites_needed_side_by_side_count_once_on_a_chain(store: GraphStore, tmp_path: Path) -> None:
    sheets = small()  # XK-002 酒类商品零售许可 (商务局, 15 days) needs XK-001 (市场监管, 20 days)
    rows = sheets["权责清单"]
    at = next(i for i, row in enumerate(rows) if row[0] == "XK-002")
    rows[at] = [*rows[at][:11], "XK-001、XK-010", rows[at][12]]
    rows.append(_item("XK-010", "酒类批发许可", "示例市政务服务中心", 30))
    (chain,) = [s for s in _splits(store, tmp_path, sheets) if s.kind is SplitKind.CHAIN]
    assert set(chain.items) == {"item:XK-002", "item:XK-001", "item:XK-010"}
    assert chain.total_days == 15 + 30  # XK-002 after the longer of XK-001 (20) and XK-010 (30), not 65
    assert chain.lead_department == MARKET  # two stages of XK-001 against one each
    # the lead keeps XK-001's 20 days, the rest go: 45 - 20, where adding up the others would say 45
    assert chain.saved_days == 45 - 20


def test_the_stages_of_one_item_follow_one_another_and_add_up(store: GraphStore, tmp_path: Path) -> None:
    (split,) = [s for s in _splits(store, tmp_path, small()) if s.kind is SplitKind.STAGES]
    assert split.total_days == 1 + 5 + 3  # 受理, 审核, 决定 in turn
