"""The workbook columns the evaluation reads (issue 18): 领导职数 of departments, 任职方式 of holdings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from graph import InvalidData, MemoryStore
from graph.ids import department_id
from loaders.workbook import load_workbook, read_workbook
from ontology import NodeKind
from tests.builders import Sheets, small, write_csv, write_xlsx

MARKET = department_id("示例市人民政府", "示例市市场监督管理局")


def _with_columns(modes: dict[str, str], header: str = "任职方式") -> Sheets:
    sheets = small()
    sheets["部门"][0].append("领导职数")
    for row, quota in zip(sheets["部门"][1:], (4, "", "2", ""), strict=True):
        row.append(quota)
    sheets["任职"][0].append(header)
    for row in sheets["任职"][1:]:
        row.append(modes.get(row[0], ""))
    return sheets


def _modes(store: MemoryStore) -> dict[str, str | None]:
    return {holding.id.split("/")[0]: holding.get("mode") for holding in store.nodes(NodeKind.HOLDING)}


def test_leader_quota_is_read_as_a_count(tmp_path: Path) -> None:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "w.xlsx", _with_columns({})), store)
    quotas = {node["name"]: node.get("leader_quota") for node in store.nodes(NodeKind.DEPARTMENT)}
    assert quotas == {
        "示例市市场监督管理局": 4,
        "示例市商务局": None,
        "示例市政务服务中心": 2,
        "示例区市场监督管理局": None,
    }


@pytest.mark.parametrize("write", [write_xlsx, write_csv])
def test_mode_is_one_of_four_words_in_either_script(
    tmp_path: Path, write: Callable[[Path, Sheets], Path]
) -> None:
    sheets = _with_columns({"P01": "任職", "P03": "兼任", "P04": " 借調 ", "P06": "挂职"}, header="任職方式")
    store = MemoryStore()
    path = tmp_path / ("w.xlsx" if write is write_xlsx else "csv")
    load_workbook(write(path, sheets), store)
    modes = _modes(store)
    assert (modes["holding:P01"], modes["holding:P03"], modes["holding:P04"], modes["holding:P06"]) == (
        "任职",
        "兼任",
        "借调",
        "挂职",
    )
    assert modes["holding:P02"] is None  # empty: held in post, the default


def test_another_mode_is_refused_where_it_is(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", _with_columns({"P04": "借用"}))
    with pytest.raises(InvalidData) as caught:
        read_workbook(path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{path}, sheet 任职, row 5, column 任职方式 (H): must be one of 任职 / 兼任 / 借调 / 挂职 (value '借用')"
    ]


def test_a_leader_quota_that_is_no_count_is_refused(tmp_path: Path) -> None:
    sheets = _with_columns({})
    sheets["部门"][1][7] = "三"
    problems = [p.split(": ", 1)[0] for p in _problems(write_xlsx(tmp_path / "w.xlsx", sheets))]
    assert problems == [f"{tmp_path / 'w.xlsx'}, sheet 部门, row 2, column 领导职数 (H)"]


def _problems(path: Path) -> list[str]:
    with pytest.raises(InvalidData) as caught:
        read_workbook(path)
    return [str(problem) for problem in caught.value.problems]
