"""One test body, every store: the same workbook gives the same overlaps, gaps, splits and traces on the
memory store and on a real Neo4j, compared as sorted results."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph import Edge, GraphStore, MemoryStore, Node
from graph.analyses import find_gaps, find_overlaps, find_splits, overlap_matrix
from graph.analyses.trace import accountability_counts, responsibility, trace_case
from graph.neo4j import Neo4jStore
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import NodeKind
from tests.stores import CountingReads

AT = date(2026, 11, 28)


def _results(store: GraphStore) -> dict[str, object]:
    cases = sorted(node.id for node in store.nodes(NodeKind.CASE))
    return {
        "overlaps": find_overlaps(store),
        "matrix": overlap_matrix(find_overlaps(store)),
        "gaps": find_gaps(store, at=AT),
        "gaps then": find_gaps(store, at=date(2024, 6, 1)),
        "splits": find_splits(store, min_departments=1),
        "traces": [trace_case(store, case) for case in cases],
        "responsibility": responsibility(store, "item:XK-511900026-002", date(2024, 5, 31)),
        "accountability": accountability_counts(store),
    }


@pytest.fixture(scope="module")
def expected() -> dict[str, object]:
    memory = MemoryStore()
    load_workbook(DEMO_WORKBOOK, memory)
    return _results(memory)


def test_every_store_gives_the_same_answers_on_the_demo(
    store: GraphStore, expected: dict[str, object]
) -> None:
    load_workbook(DEMO_WORKBOOK, store)
    found = _results(store)
    for name, answer in expected.items():
        assert found[name] == answer, name


def test_the_answers_are_not_empty(expected: dict[str, object]) -> None:
    """The comparison above means something only if there is something to compare."""
    for name, answer in expected.items():
        assert answer, name


def test_a_small_workbook_with_every_gap_kind(store: GraphStore, tmp_path: Path) -> None:
    from tests.builders import small, write_xlsx

    path = write_xlsx(tmp_path / "small.xlsx", small())
    memory = MemoryStore()
    load_workbook(path, memory)
    load_workbook(path, store)
    assert find_gaps(store, at=AT) == find_gaps(memory, at=AT)
    assert trace_case(store, "case:C-002") == trace_case(memory, "case:C-002")


class _AskingNeo4jStore(CountingReads, Neo4jStore):  # type: ignore[misc]  # typed as over a MemoryStore
    """The real Neo4j store, counting the questions a trace asks it, the one about a case's neighbourhood
    with the others."""

    def case_neighbourhood(self, case_id: str) -> tuple[list[Node], list[Edge]] | None:
        self.calls["case_neighbourhood"] += 1
        return super().case_neighbourhood(case_id)


@pytest.mark.neo4j
def test_a_trace_on_neo4j_asks_one_question_and_answers_as_the_memory_store(
    neo4j_store: Neo4jStore, expected: dict[str, object]
) -> None:
    neo4j_store.clear()
    load_workbook(DEMO_WORKBOOK, neo4j_store)
    cases = sorted(node.id for node in neo4j_store.nodes(NodeKind.CASE))
    store = _AskingNeo4jStore(neo4j_store.settings)
    try:
        traces = [trace_case(store, case) for case in cases]
        assert traces == expected["traces"]
        assert store.calls == {"case_neighbourhood": len(cases)}
        assert trace_case(store, "case:无此办件") is None
        assert trace_case(store, cases[0].replace("case:", "item:")) is None  # not a case
    finally:
        store.close()
    assert any(trace is not None and trace.findings for trace in traces)
