"""The demo's trace findings are the same on every store: ids (the ledger keys its reviews on them),
details with codes and with names, and the people and posts they name."""

from __future__ import annotations

import json
from typing import Any

import pytest

from graph import GraphStore, MemoryStore
from graph.analyses.trace import trace_case
from loaders.demo import DEMO_TRUTH, DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import NodeKind

TRUTH = json.loads(DEMO_TRUTH.read_text(encoding="utf-8"))


def _findings(store: GraphStore) -> dict[str, list[tuple[Any, ...]]]:
    """Case node id -> its findings as (id, detail, detail with names, people, posts)."""
    found = {}
    for case in sorted(node.id for node in store.nodes(NodeKind.CASE)):
        trace = trace_case(store, case)
        assert trace is not None
        found[case] = [(f.id, f.detail, f.detail_with_names, f.people, f.posts) for f in trace.findings]
    return found


@pytest.fixture(scope="module")
def expected() -> dict[str, list[tuple[Any, ...]]]:
    memory = MemoryStore()
    load_workbook(DEMO_WORKBOOK, memory)
    return _findings(memory)


def test_the_findings_are_the_same_on_every_store(store: GraphStore, expected: dict[str, Any]) -> None:
    load_workbook(DEMO_WORKBOOK, store)
    assert _findings(store) == expected


def test_the_findings_compared_are_the_planted_ones_with_their_ids(expected: dict[str, Any]) -> None:
    """The comparison above means something only if the planted findings are there, keyed as the ledger
    keys them: `finding:case:<case>:<step or steps or ->:<kind>`."""
    for planted in TRUTH["cases"]["planted"]:
        ids = [finding[0] for finding in expected[f"case:{planted['case']}"]]
        stage_findings = {
            f"finding:case:{planted['case']}:{f['step']}:{f['kind']}"
            for f in planted["findings"]
            if "step" in f
        }
        assert stage_findings <= set(ids), planted["case"]
        assert len(ids) == len(planted["findings"])
    named = [finding for findings in expected.values() for finding in findings if finding[3]]
    assert named and all(finding[1] != finding[2] for finding in named)
