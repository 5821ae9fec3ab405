"""Split approvals on the small government: stages over departments, prerequisite chains, the same matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import Edge, MemoryStore
from graph.analyses import SplitApproval, SplitKind, find_splits
from graph.ids import department_id
from loaders.workbook import load_workbook
from ontology import EdgeKind
from tests.builders import Sheets, small, write_xlsx

MARKET = department_id("示例市人民政府", "示例市市场监督管理局")
COMMERCE = department_id("示例市人民政府", "示例市商务局")
CENTRE = department_id("示例市人民政府", "示例市政务服务中心")


def _splits(tmp_path: Path, sheets: Sheets, min_departments: int = 2) -> list[SplitApproval]:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "s.xlsx", sheets), store)
    return find_splits(store, min_departments=min_departments)


@pytest.fixture(scope="module")
def splits(tmp_path_factory: pytest.TempPathFactory) -> list[SplitApproval]:
    return _splits(tmp_path_factory.mktemp("splits"), small())


def test_an_item_whose_stages_are_carried_by_several_departments(splits: list[SplitApproval]) -> None:
    (split,) = [s for s in splits if s.kind is SplitKind.STAGES]
    assert split.items == ("item:XK-001",)
    assert split.departments == (MARKET, CENTRE)  # 市场监管 carries stages 2 and 3, the centre stage 1
    assert (split.stage_count, split.total_days) == (3, 9)
    assert split.lead_department == MARKET
    assert split.saved_days == 1  # the centre's 受理 stage, 1 day, goes


def test_a_prerequisite_chain_across_departments(splits: list[SplitApproval]) -> None:
    (chain,) = [s for s in splits if s.kind is SplitKind.CHAIN]
    assert chain.items == ("item:XK-002", "item:XK-001")  # the last approval first, then what it needs
    assert set(chain.departments) == {MARKET, COMMERCE, CENTRE}
    assert chain.stage_count == 4
    assert chain.total_days == 35  # statutory: 15 + 20
    assert chain.lead_department == MARKET
    assert chain.saved_days == 15  # 商务局's own item's limit


def test_the_same_matter_approved_by_two_departments_but_not_by_two_levels(tmp_path: Path) -> None:
    sheets = small()
    sheets["权责清单"].append(
        ["XK-009", "行政许可", "食品经营许可", "", "示例市商务局", "", "", "", "", 20, 10, "", ""]
    )
    found = [s for s in _splits(tmp_path, sheets) if s.kind is SplitKind.SAME_MATTER]
    assert [s.items for s in found] == [("item:XK-001", "item:XK-009")]  # not XK-001Q, the district's
    assert found[0].total_days == 20  # approved side by side: the longer of 20 and 20
    assert found[0].lead_department == MARKET  # three stages against one
    assert found[0].saved_days == 0  # the lead's own 20 days remain


def test_a_tie_on_stages_goes_to_the_department_that_approves(tmp_path: Path) -> None:
    sheets = small()
    sheets["审批环节"] = [row for row in sheets["审批环节"] if row[0] != "XK-002"]
    sheets["审批环节"] += [
        ["XK-002", 1, "受理", "承办", "示例市商务局", "", "SW-11", 2],
        ["XK-002", 2, "决定", "批准", "示例市市场监督管理局", "", "SJ-02", 3],
    ]
    (split,) = [
        s for s in _splits(tmp_path, sheets) if s.kind is SplitKind.STAGES and s.items == ("item:XK-002",)
    ]
    assert split.lead_department == MARKET
    assert split.saved_days == 2


def test_a_cycle_of_prerequisites_ends(tmp_path: Path) -> None:
    # The workbook loader refuses a loop of prerequisites; a store may still hold one written another way
    # (a Neo4j graph edited by hand), and the analysis must end on it.
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "s.xlsx", small()), store)
    [needs] = [e for e in store.edges(kind=EdgeKind.REQUIRES)]
    with store.writer() as writer:  # XK-001 needs XK-002, which now needs XK-001
        writer.add_edge(Edge(needs.target, EdgeKind.REQUIRES, needs.source))
    splits = find_splits(store, min_departments=2)
    assert splits and all(len(s.items) <= 2 for s in splits)


def test_min_departments(splits: list[SplitApproval], tmp_path: Path) -> None:
    assert [s for s in _splits(tmp_path, small(), min_departments=3)] == [
        s for s in splits if len(s.departments) >= 3
    ]
