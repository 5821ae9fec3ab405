"""The analyses through GraphQL and the command line, on the demo city."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from api.app import execute
from api.cli import main
from api.roles import Role
from graph import MemoryStore
from loaders.demo import DEMO_WORKBOOK
from loaders.published import read_published
from loaders.workbook import load_workbook
from ontology import NodeKind
from tests.api.test_cli import quanze
from tests.loaders.test_catalogue import CATALOGUE, SINGLE_BODY
from tests.loaders.test_published import LISTS

DEMO = str(DEMO_WORKBOOK)


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


def run(store: MemoryStore, query: str, role: Role = Role.PUBLIC, **variables: Any) -> dict[str, Any]:
    return asyncio.run(execute(store, query, variables=variables, role=role))


def test_overlaps_with_their_evidence(store: MemoryStore) -> None:
    response = run(
        store,
        """{ overlaps(kinds: [SAME_ITEM], minScore: 0.5) { id kinds score
        departments { name } items { code name } evidence cluster } }""",
    )
    assert "errors" not in response
    overlaps = response["data"]["overlaps"]
    assert len(overlaps) >= 5
    assert all("SAME_ITEM" in o["kinds"] and o["score"] >= 0.5 for o in overlaps)
    assert all(len(o["departments"]) >= 2 and o["evidence"] for o in overlaps)
    assert [o["score"] for o in overlaps] == sorted((o["score"] for o in overlaps), reverse=True)


def test_overlaps_of_one_department_by_name_in_traditional_script(store: MemoryStore) -> None:
    response = run(store, '{ overlaps(department: "巴中市商務局") { departments { name } } }')
    overlaps = response["data"]["overlaps"]
    assert overlaps and all("巴中市商务局" in {d["name"] for d in o["departments"]} for o in overlaps)
    unknown = run(store, '{ overlaps(department: "巴中市无此局") { id } }')
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_matrix_and_clusters(store: MemoryStore) -> None:
    response = run(
        store,
        "{ overlapMatrix { a { name } b { name } count } overlapClusters { id overlapCount departments { name } } overlaps { id cluster } }",
    )
    data = response["data"]
    assert data["overlapMatrix"] and all(row["count"] >= 1 for row in data["overlapMatrix"])
    assert sum(c["overlapCount"] for c in data["overlapClusters"]) == len(data["overlaps"])
    assert {c["id"] for c in data["overlapClusters"]} == {o["cluster"] for o in data["overlaps"]}


def test_split_approvals(store: MemoryStore) -> None:
    response = run(
        store,
        """{ splitApprovals(minDepartments: 3) { kind stageCount totalDays savedDays
        departments { name } leadDepartment { name } items { code } } }""",
    )
    splits = response["data"]["splitApprovals"]
    assert splits and all(len(s["departments"]) >= 3 for s in splits)
    chain = next(s for s in splits if s["kind"] == "CHAIN")
    assert chain["leadDepartment"]["name"] in {d["name"] for d in chain["departments"]}


def test_the_public_sees_only_the_public_gap_kinds(store: MemoryStore) -> None:
    response = run(store, '{ gaps(at: "2026-11-28") { kind subjectName detail } }')
    kinds = {gap["kind"] for gap in response["data"]["gaps"]}
    assert kinds and kinds.isdisjoint(
        {"GHOST_PAYROLL", "MIXED_QUOTA", "OVER_QUOTA", "CONCURRENT_POSTS", "VACANT_POST", "NO_HEAD"}
    )
    forbidden = run(store, "{ gaps(kinds: [GHOST_PAYROLL]) { subjectName } }")
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert forbidden["data"] is None


def test_staffing_sees_staffing_gaps_on_a_date(store: MemoryStore) -> None:
    response = run(
        store,
        '{ gaps(kinds: [GHOST_PAYROLL, NO_HEAD], at: "2026-11-28") { kind severity department { name } evidence { label value } } }',
        role=Role.STAFFING,
    )
    gaps = response["data"]["gaps"]
    assert {gap["kind"] for gap in gaps} == {"GHOST_PAYROLL", "NO_HEAD"}
    assert [gap["severity"] for gap in gaps] == sorted((gap["severity"] for gap in gaps), reverse=True)
    before = run(
        store, '{ gaps(kinds: [NO_HEAD], at: "2026-01-01") { department { name } } }', role=Role.STAFFING
    )
    assert len(before["data"]["gaps"]) < sum(
        1 for g in gaps if g["kind"] == "NO_HEAD"
    )  # 档案局 lost its head in 2026-09


def test_results_are_cached_per_store_version(store: MemoryStore) -> None:
    from api.cache import AnalysisCache

    cache = AnalysisCache(store)
    assert cache.overlaps() is cache.overlaps()


# -- the command line -------------------------------------------------------------------------


def test_overlaps_command_as_json() -> None:
    result = quanze("overlaps", DEMO, "--format", "json", "--kind", "JOINT")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and all(row["kinds"] == ["JOINT"] for row in rows)
    assert all(isinstance(row["departments"], list) and len(row["departments"]) >= 2 for row in rows)
    assert all(row["scores"]["JOINT"] > 0 and row["id"].startswith("overlap:") for row in rows)


def test_gaps_command_writes_one_sheet_per_kind(tmp_path: Path) -> None:
    out = tmp_path / "gaps.xlsx"
    result = quanze("gaps", DEMO, "--at", "2026-11-28", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(out)
    assert {"吃空饷", "无设定依据", "无行政首长", "超编"} <= set(workbook.sheetnames)  # in Chinese
    ghost = _sheet_rows(workbook["吃空饷"])
    assert {"类型", "严重程度", "部门", "说明", "人员", "编制", "类型代码"} <= set(ghost[0])
    assert len(ghost) >= 3  # three people
    assert {row["类型代码"] for row in ghost} == {"GHOST_PAYROLL"}
    assert {row["类型"] for row in ghost} == {"吃空饷"}
    assert all(isinstance(row["严重程度"], int | float) for row in ghost)  # numbers as numbers


def test_splits_command_as_a_table_and_csv() -> None:
    table = quanze("splits", DEMO)
    assert table.returncode == 0
    assert "建议牵头部门" in table.stdout and "前置审批链" in table.stdout
    csv_text = quanze("splits", DEMO, "--format", "csv", "--min-departments", "3").stdout
    assert csv_text.splitlines()[0].startswith("类型,类型代码,涉及事项,涉及部门,环节数")


def test_xlsx_needs_an_output_file() -> None:
    result = quanze("gaps", DEMO, "--format", "xlsx")
    assert result.returncode == 2
    assert "--format xlsx needs --out" in result.stderr


def _json_of(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    """The rows a command prints as JSON, run in this process."""
    assert main([*args, "--format", "json"]) == 0, capsys.readouterr().err
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return rows


def _sheet_rows(sheet: Any) -> list[dict[str, Any]]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.skipif(not LISTS.is_dir(), reason="the shared data is not there")
def test_overlaps_command_on_the_real_lists_of_karamay(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json_of(capsys, "overlaps", str(LISTS))
    graph = read_published(LISTS)
    karamay = {str(n["name"]) for n in graph.nodes.values() if n.kind is NodeKind.DEPARTMENT}
    karamay = {name for name in karamay if name.startswith("克拉玛依市")}
    assert len(rows) >= 50
    assert {kind for row in rows for kind in row["kinds"]} >= {"SHARED_BASIS", "SIMILAR_TEXT"}
    for row in rows:
        departments = set(row["departments"])
        assert len(departments) >= 2 and departments <= karamay, row["departments"]
        # each item's code starts with the name of the list's department, brackets left out
        codes = {m.group(1) for item in row["items"] if (m := re.match(r"(\S+)-[A-Z]{2}-\d+", item))}
        assert codes == {re.sub(r"（[^（）]*）", "", name) for name in departments}, row["items"]
        if "SHARED_BASIS" in row["kinds"]:
            evidence = "；".join(row["evidence"])
            assert row["sharedArticles"] and all(article in evidence for article in row["sharedArticles"])


@pytest.mark.skipif(not CATALOGUE.is_file(), reason="the shared data is not there")
def test_splits_command_on_the_guangdong_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json_of(capsys, "splits", str(CATALOGUE))
    stages = [row for row in rows if row["kind"] == "STAGES"]
    lines = [json.loads(line) for line in CATALOGUE.read_text(encoding="utf-8").splitlines() if line.strip()]
    with_co = {str(line["TASK_CODE"]) for line in lines if line["co_department"] not in ("无", "", None)}
    assert len(stages) == 82
    assert {row["items"][0].split(" ")[0] for row in stages} == with_co - set(SINGLE_BODY)
    for row in stages:
        departments = row["departments"]
        assert len(departments) >= 2 and row["leadDepartment"] in departments
        count = row["stageCount"]
        assert count >= 2 and f"{count}个环节分由{len(departments)}个部门办理" in row["detail"]
    school = next(r for r in stages if r["items"][0].startswith("11440000006940116U244010200300101 "))
    assert (school["stageCount"], school["leadDepartment"]) == (12, "广东省教育厅")
    assert "广东省机构编制委员会办公室" in school["departments"]


def test_overlaps_xlsx_has_one_row_per_overlap(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An overlap of two kinds is one row (its kinds in a column), with every kind's score and evidence."""
    rows = _json_of(capsys, "overlaps", DEMO)
    several = [row for row in rows if len(row["kinds"]) > 1]
    assert several
    out = tmp_path / "overlaps.xlsx"
    assert main(["overlaps", DEMO, "--format", "xlsx", "--out", str(out)]) == 0
    assert f"wrote {len(rows)} overlaps to {out}" in capsys.readouterr().err
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["职能交叉"]
    sheet = {row["编号"]: row for row in _sheet_rows(workbook["职能交叉"])}
    assert sorted(sheet) == sorted(row["id"] for row in rows)  # one row each
    for overlap in rows:
        row = sheet[overlap["id"]]
        assert row["类型代码"].split("、") == overlap["kinds"]
        assert isinstance(row["分值"], int | float) and row["分值"] == overlap["score"]  # a number cell
        assert row["证据"]
    for overlap in several:  # every kind's score in its own column, the shared articles beside them
        row = sheet[overlap["id"]]
        assert (row["同一事项分值"], row["共同依据分值"]) == (
            overlap["scores"]["SAME_ITEM"],
            overlap["scores"]["SHARED_BASIS"],
        )
        assert row["共同引用条款"] == "；".join(overlap["sharedArticles"])


def test_splits_xlsx_has_one_row_per_split(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = _json_of(capsys, "splits", DEMO)
    out = tmp_path / "splits.xlsx"
    assert main(["splits", DEMO, "--format", "xlsx", "--out", str(out)]) == 0
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["多部门审批"]
    sheet = _sheet_rows(workbook["多部门审批"])
    assert [row["编号"] for row in sheet] == [row["id"] for row in rows]
    for row, split in zip(sheet, rows, strict=True):
        assert row["类型代码"] == split["kind"] and row["环节数"] == split["stageCount"]
        assert row["涉及部门"] == "、".join(split["departments"])
    chain = [row for row in sheet if row["类型代码"] == "CHAIN"]
    assert chain and all(row["可压减（工作日）"] > 0 and "；" in row["涉及事项"] for row in chain)
