"""An Evaluation given the analyses a service already holds answers as one that computes them itself.

The service's cache keeps every overlap (all verdicts), every split approval (over one department or
more) and every gap of a date; `Evaluation` takes those and counts only what its indicators count
(the default verdicts, splits over two departments or more, the gap kinds of its keys).
"""

from __future__ import annotations

from datetime import date

import pytest

from api.cache import AnalysisCache
from api.evaluation import evaluate
from graph import MemoryStore
from graph.analyses import find_gaps, find_overlaps, find_splits
from graph.evaluation.compute import Evaluation
from loaders.demo import DEMO_WORKBOOK, REFERENCE_DATE
from loaders.sources import load_source
from ontology import NodeKind


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_source(DEMO_WORKBOOK, store)
    return store


def test_the_indicators_are_the_same_from_the_analyses_given(store: MemoryStore) -> None:
    alone = Evaluation(store, REFERENCE_DATE)
    given = Evaluation(
        store,
        REFERENCE_DATE,
        gaps=find_gaps(store, at=REFERENCE_DATE),
        overlaps=find_overlaps(store, verdicts=None),
        splits=find_splits(store, min_departments=1),
    )
    departments = sorted(alone.links.nodes(NodeKind.DEPARTMENT))
    deducted = 0
    for department in departments:
        assert given.indicators(department) == alone.indicators(department), department
        deducted += sum(len(r.deductions) for r in alone.indicators(department).values())
    assert deducted > 50  # the demo's findings are counted, not an empty answer twice


def test_the_cache_evaluates_as_evaluate_does(store: MemoryStore) -> None:
    at = date(2025, 12, 31)
    cache = AnalysisCache(store)
    cache.overlaps(), cache.splits(), cache.gaps(at)  # held before the evaluation is asked for
    served = cache.evaluation(at)
    direct = evaluate(store, at)
    assert served.results == direct.results
    assert served.warnings == direct.warnings
    assert cache.computations["overlaps"] == cache.computations["evaluation"] == 1
