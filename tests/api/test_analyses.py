"""The analyses through GraphQL and the command line, on the demo city."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from api.app import execute
from api.roles import Role
from graph import MemoryStore
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from tests.api.test_cli import quanze

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
    assert rows and all(row["kinds"] == "JOINT" for row in rows)


def test_gaps_command_writes_one_sheet_per_kind(tmp_path: Path) -> None:
    out = tmp_path / "gaps.xlsx"
    result = quanze("gaps", DEMO, "--at", "2026-11-28", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(out)
    assert {"GHOST_PAYROLL", "UNBASED_POWER", "NO_HEAD", "OVER_QUOTA"} <= set(workbook.sheetnames)
    ghost = workbook["GHOST_PAYROLL"]
    header = [cell.value for cell in ghost[1]]
    assert {"kind", "severity", "department", "detail", "person", "quota"} <= set(header)
    assert ghost.max_row >= 4  # the header and three people


def test_splits_command_as_a_table_and_csv() -> None:
    table = quanze("splits", DEMO)
    assert table.returncode == 0
    assert "lead department" in table.stdout and "CHAIN" in table.stdout
    csv_text = quanze("splits", DEMO, "--format", "csv", "--min-departments", "3").stdout
    assert csv_text.splitlines()[0].startswith("kind,items,departments,stages")


def test_xlsx_needs_an_output_file() -> None:
    result = quanze("gaps", DEMO, "--format", "xlsx")
    assert result.returncode == 2
    assert "--format xlsx needs --out" in result.stderr
