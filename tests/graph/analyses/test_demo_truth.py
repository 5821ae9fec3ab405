"""The analyses on the demo city find everything planted in it (loaders/demo/truth.json), and none of the
false alarms it plants next to them."""

from __future__ import annotations

import json
from datetime import date
from itertools import combinations
from typing import Any

import pytest

from graph import MemoryStore
from graph.analyses import (
    Gap,
    GapKind,
    Overlap,
    SplitApproval,
    SplitKind,
    find_gaps,
    find_overlaps,
    find_splits,
)
from graph.analyses.trace import trace_case
from graph.queries import find_department
from loaders.demo import DEMO_TRUTH, DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import NodeKind

TRUTH: dict[str, Any] = json.loads(DEMO_TRUTH.read_text(encoding="utf-8"))
AT = date.fromisoformat(TRUTH["reference_date"])


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


@pytest.fixture(scope="module")
def overlaps(store: MemoryStore) -> list[Overlap]:
    return find_overlaps(store)


@pytest.fixture(scope="module")
def gaps(store: MemoryStore) -> list[Gap]:
    return find_gaps(store, at=AT)


@pytest.fixture(scope="module")
def splits(store: MemoryStore) -> list[SplitApproval]:
    return find_splits(store)


def _item(code: str) -> str:
    return f"item:{code}"


def _codes(overlap: Overlap) -> tuple[str, ...]:
    """The overlap's subjects by code: an item with sub-items is named by its code alone in the truth."""
    return tuple(
        sorted(
            s.removeprefix("item:").split("/")[0] if s.startswith("item:") else s for s in overlap.subjects
        )
    )


def _pairs(planted: dict[str, Any]) -> set[tuple[str, ...]]:
    subjects = list(planted.get("items", ())) or [f"function:{f}" for f in planted["functions"]]
    if planted["kinds"] == ["JOINT"]:
        return {tuple(subjects)}
    return {tuple(sorted(pair)) for pair in combinations(subjects, 2)}


@pytest.mark.parametrize("planted", TRUTH["overlaps"], ids=lambda p: "+".join(p["kinds"]))
def test_every_planted_overlap_is_found_with_its_kinds(
    overlaps: list[Overlap], planted: dict[str, Any]
) -> None:
    found: dict[tuple[str, ...], set[str]] = {}
    for overlap in overlaps:
        found.setdefault(_codes(overlap), set()).update(overlap.kinds)
    for pair in _pairs(planted):
        assert pair in found, f"not found: {pair}"
        assert set(planted["kinds"]) <= found[pair], (pair, found[pair])


def test_no_overlap_between_levels_or_from_a_general_article(overlaps: list[Overlap]) -> None:
    subjects = {overlap.subjects for overlap in overlaps}
    for planted in TRUTH["not_overlaps"]:
        if planted["kind"] == "CROSS_LEVEL":
            assert tuple(sorted(_item(c) for c in planted["items"])) not in subjects
    general = {a for p in TRUTH["not_overlaps"] if p["kind"] == "GENERAL_ARTICLE" for a in [p["article"]]}
    assert general
    for overlap in overlaps:
        assert not (overlap.kinds == ("SHARED_BASIS",) and set(overlap.shared_articles) <= general)


def _gap_subject(store: MemoryStore, planted: dict[str, Any]) -> str:
    kind = planted["kind"]
    if kind in ("NO_HEAD", "OVER_QUOTA"):
        department = find_department(store, planted["department"])
        assert department is not None
        return department.id
    if "function" in planted:
        return f"function:{planted['function']}"
    if "unit" in planted:
        department = find_department(store, planted["department"])
        assert department is not None
        return f"unit:{department.id.removeprefix('department:')}/{planted['unit']}"
    if kind == "STAGE_WITHOUT_POST":
        return f"stage:{planted['item']}/{planted['step']}"
    if "item" in planted:
        return _item(planted["item"])
    if "person" in planted:
        return f"person:{planted['person']}"
    if "post" in planted:
        return f"post:{planted['post']}"
    return f"article:{planted['law']}/"  # UNHELD_DUTY: matched on the law below


@pytest.mark.parametrize("planted", TRUTH["gaps"], ids=lambda p: p["kind"])
def test_every_planted_gap_is_found(store: MemoryStore, gaps: list[Gap], planted: dict[str, Any]) -> None:
    subject = _gap_subject(store, planted)
    kind = GapKind(planted["kind"])
    found = [gap for gap in gaps if gap.kind is kind]
    if kind is GapKind.UNHELD_DUTY:
        assert any(
            planted["law"] in gap.subject_name and planted["article"] in gap.subject_name for gap in found
        )
    else:
        assert subject in {gap.subject_id for gap in found}, subject


def test_no_gap_where_the_truth_says_there_is_none(gaps: list[Gap]) -> None:
    for planted in TRUTH["not_gaps"]:
        assert f"person:{planted['person']}" not in {g.subject_id for g in gaps if g.kind == planted["kind"]}


def test_no_more_staffing_gaps_than_planted(gaps: list[Gap]) -> None:
    """Staffing gaps are exact on the demo: each found is planted (or allowed as a 'may also')."""
    planted: dict[str, set[str]] = {}
    for gap in TRUTH["gaps"]:
        for kind in (gap["kind"], *gap.get("may_also", ())):
            if "person" in gap:
                planted.setdefault(kind, set()).add(f"person:{gap['person']}")
    for kind in ("GHOST_PAYROLL", "MIXED_QUOTA", "CONCURRENT_POSTS"):
        found = {gap.subject_id for gap in gaps if gap.kind == kind}
        assert found <= planted.get(kind, set()), (kind, found - planted.get(kind, set()))


def test_every_planted_split_is_found_with_its_lead(store: MemoryStore, splits: list[SplitApproval]) -> None:
    by_items = {split.items: split for split in splits}
    truth = TRUTH["split_approvals"]
    for planted in truth["split_items"]:
        split = by_items[(_item(planted["item"]),)]
        assert split.kind is SplitKind.STAGES
        lead = find_department(store, planted["lead"])
        assert lead is not None and split.lead_department == lead.id
        assert len(split.departments) == len(planted["departments"])
    chains = [s for s in splits if s.kind is SplitKind.CHAIN]
    for planted in truth["chains"]:
        if len(planted["departments"]) < 2:
            assert not any(s.items[0] == _item(planted["items"][0]) for s in chains)
            continue
        (chain,) = [s for s in chains if s.items[0] == _item(planted["items"][0])]
        assert set(chain.items) == {_item(code) for code in planted["items"]}
        assert chain.total_days == planted["statutory_days"]
    same = [set(s.items) for s in splits if s.kind is SplitKind.SAME_MATTER]
    for planted in truth["same_matter"]:
        assert {_item(code) for code in planted["items"]} in same


# -- cases ------------------------------------------------------------------------------------


@pytest.mark.parametrize("planted", TRUTH["cases"]["planted"], ids=lambda p: p["planted"])
def test_every_planted_case_shows_exactly_its_findings(store: MemoryStore, planted: dict[str, Any]) -> None:
    trace = trace_case(store, f"case:{planted['case']}")
    assert trace is not None
    expected = sorted((f["kind"], f.get("step")) for f in planted["findings"])
    assert sorted((f.kind, f.step) for f in trace.findings) == expected


@pytest.mark.parametrize("planted", TRUTH["cases"]["holiday_stages"], ids=lambda p: p["holiday"])
def test_holiday_spanning_stages_count_working_days(store: MemoryStore, planted: dict[str, Any]) -> None:
    trace = trace_case(store, f"case:{planted['case']}")
    assert trace is not None
    (stage,) = [s for s in trace.stages if s.step == planted["step"]]
    assert stage.working_days == planted["working_days"] < planted["calendar_weekdays"]


def test_only_the_planted_cases_have_findings(store: MemoryStore) -> None:
    planted = {p["case"] for p in TRUTH["cases"]["planted"]}
    with_findings = set()
    for case in store.nodes(NodeKind.CASE):
        trace = trace_case(store, case.id)
        assert trace is not None
        if trace.findings:
            with_findings.add(trace.case_id)
    assert with_findings == planted
