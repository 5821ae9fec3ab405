"""Gaps on sources without staffing data (shared/spec/analyses.md): the staffing kinds and NO_HEAD
are not computed, and the answer says so, instead of reporting every department as headless."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from pathlib import Path

import pytest

from api.app import execute
from api.cli import main
from api.roles import Role
from graph import MemoryStore
from graph.analyses import STAFFING_KINDS, GapKind, find_gaps
from graph.analyses.gaps import NO_STAFFING_DATA, gaps_not_computed, has_staffing_data
from graph.ids import department_id, government_id, post_id
from graph.model import Edge, Node
from loaders.published import read_published
from loaders.workbook import load_workbook
from ontology import EdgeKind, NodeKind
from tests.builders import small, write_xlsx
from tests.loaders.test_published import LISTS

AT = date(2026, 11, 28)
STAFFING = [kind for kind in GapKind if kind in STAFFING_KINDS]  # in GapKind order


@pytest.fixture(scope="module")
def karamay() -> MemoryStore:
    if not LISTS.is_dir():
        pytest.skip("the shared data is not there")
    graph = read_published(LISTS)
    store = MemoryStore()
    with store.writer() as writer:
        for node in graph.nodes.values():
            writer.add_node(node)
        for edge in graph.edges.values():
            writer.add_edge(edge)
    return store


def test_the_karamay_lists_get_no_staffing_finding_and_say_why(karamay: MemoryStore) -> None:
    assert karamay.count(NodeKind.DEPARTMENT) == 19 and not has_staffing_data(karamay)
    gaps = find_gaps(karamay, at=AT)
    assert not [gap for gap in gaps if gap.kind in STAFFING_KINDS]  # was 19 × NO_HEAD, one per department
    skipped = gaps_not_computed(karamay)
    assert [item.kind for item in skipped] == STAFFING
    assert {item.reason for item in skipped} == {NO_STAFFING_DATA}
    assert gaps_not_computed(karamay, [GapKind.UNBASED_POWER]) == []
    assert [item.kind for item in gaps_not_computed(karamay, [GapKind.NO_HEAD])] == [GapKind.NO_HEAD]
    assert find_gaps(karamay, at=AT, kinds=[GapKind.NO_HEAD]) == []


def test_one_post_or_one_quota_is_staffing_data() -> None:
    government = government_id("示例市人民政府")
    department = department_id("示例市人民政府", "示例市测试局")
    store = MemoryStore()
    with store.writer() as writer:
        writer.add_node(Node(government, NodeKind.GOVERNMENT, {"name": "示例市人民政府"}))
        writer.add_node(
            Node(department, NodeKind.DEPARTMENT, {"name": "示例市测试局", "government": "示例市人民政府"})
        )
        writer.add_edge(Edge(department, EdgeKind.DEPARTMENT_OF, government, {}))
    assert not has_staffing_data(store) and find_gaps(store, at=AT) == []
    with store.writer() as writer:  # a quota, and no post: the department has staff to answer for
        writer.add_node(
            Node(
                department,
                NodeKind.DEPARTMENT,
                {"name": "示例市测试局", "government": "示例市人民政府", "admin_quota": 3},
            )
        )
    assert has_staffing_data(store) and gaps_not_computed(store) == []
    assert [gap.kind for gap in find_gaps(store, at=AT)] == [GapKind.NO_HEAD]
    post = post_id("CS-01")
    with store.writer() as writer:
        writer.add_node(
            Node(department, NodeKind.DEPARTMENT, {"name": "示例市测试局", "government": "示例市人民政府"})
        )
        writer.add_node(Node(post, NodeKind.POST, {"code": "CS-01", "name": "局长", "category": "行政首长"}))
        writer.add_edge(Edge(post, EdgeKind.POST_IN, department, {}))
    assert has_staffing_data(store)
    assert {gap.kind for gap in find_gaps(store, at=AT)} == {GapKind.NO_HEAD, GapKind.VACANT_POST}


def test_a_workbook_with_staffing_still_gets_its_staffing_gaps(tmp_path: Path) -> None:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "small.xlsx", small()), store)
    assert has_staffing_data(store) and gaps_not_computed(store) == []
    assert {gap.kind for gap in find_gaps(store, at=AT)} & STAFFING_KINDS


def test_the_command_says_which_kinds_were_not_computed(
    karamay: MemoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gaps", str(LISTS), "--at", "2026-11-28"]) == 0
    out = capsys.readouterr().out
    assert "NO_HEAD" not in out.split("not computed:")[0]
    assert f"not computed: {', '.join(STAFFING)}: {NO_STAFFING_DATA}" in out
    assert main(["gaps", str(LISTS), "--format", "json", "--at", "2026-11-28"]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)  # stdout stays JSON; the note goes to stderr
    assert isinstance(rows, list) and not [row for row in rows if row["kind"] in STAFFING]
    assert "not computed: VACANT_POST, NO_HEAD" in captured.err


def test_graphql_names_the_kinds_not_computed(karamay: MemoryStore) -> None:
    def run(query: str, role: Role) -> dict[str, object]:
        return asyncio.run(execute(karamay, query, role=role))

    staffing = run("{ gapsNotComputed { kind reason } gaps { kind } }", Role.STAFFING)
    assert "errors" not in staffing
    data = staffing["data"]
    assert isinstance(data, dict)
    assert [item["kind"] for item in data["gapsNotComputed"]] == [kind.value for kind in STAFFING]
    assert {item["reason"] for item in data["gapsNotComputed"]} == {NO_STAFFING_DATA}
    assert not [gap for gap in data["gaps"] if gap["kind"] in STAFFING]
    public = run("{ gapsNotComputed { kind } }", Role.PUBLIC)  # the kinds a public caller may see
    assert public == {"data": {"gapsNotComputed": []}}
    asked = run("{ gapsNotComputed(kinds: [NO_HEAD, UNBASED_POWER]) { kind } }", Role.PUBLIC)
    assert asked == {"data": {"gapsNotComputed": [{"kind": "NO_HEAD"}]}}
