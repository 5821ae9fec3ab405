"""One test body, every store: the same workbook gives the same overlaps, gaps, splits and traces on the
memory store and on a real Neo4j, compared as sorted results."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph import GraphStore, MemoryStore
from graph.analyses import find_gaps, find_overlaps, find_splits, overlap_matrix
from graph.analyses.trace import accountability_counts, responsibility, trace_case
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import NodeKind

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
