"""The demo city's computed indicators against its truth: what the generator planted and counted from its
own records (truth.json's `scorecards`), department by department, key by key.

The truth counts the keys the records decide exactly (`exact_keys`: 超职数, 借调, 吃空饷, 超编, 混编混岗,
内设机构职责交叉, 长期不运行, 超时限办件, the two rank mismatches) and, for the keys an analysis decides
(`planted_keys`: 越位, 缺位, 错位, 职责空白, 分段审批, 职责交叉), the planted findings, which the
evaluation must find among others.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from graph import MemoryStore
from graph.evaluation.compute import Evaluation
from graph.evaluation.results import IndicatorResult
from graph.evaluation.rules import BandsRule, DeductRule
from loaders.demo import DEMO_TRUTH, DEMO_WORKBOOK, REFERENCE_DATE
from loaders.sources import load_source

TRUTH: dict[str, Any] = json.loads(DEMO_TRUTH.read_text(encoding="utf-8"))
SCORECARDS: dict[str, Any] = TRUTH["scorecards"]
DEPARTMENTS: dict[str, dict[str, Any]] = SCORECARDS["departments"]


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    store = MemoryStore()
    load_source(DEMO_WORKBOOK, store)
    return Evaluation(store, REFERENCE_DATE)


def counted(evaluation: Evaluation, department: str) -> dict[str, list[int]]:
    """Key -> the deductions of it in each indicator of the department's template that counts it (0 for
    an indicator not computed)."""
    results = evaluation.indicators(department)
    found: dict[str, list[int]] = {}
    for indicator in evaluation.template(department).scored:
        if isinstance(indicator.rule, DeductRule) and indicator.code in results:
            by_key = Counter(d.key for d in results[indicator.code].deductions)
            for key in indicator.rule.graph_keys:
                found.setdefault(key, []).append(by_key[key])
    return found


def usage(evaluation: Evaluation, department: str) -> IndicatorResult:
    """The department's 编制使用率 indicator."""
    template = evaluation.template(department)
    code = next(
        i.code
        for i in template.scored
        if isinstance(i.rule, BandsRule) and i.rule.measure == "quota_usage_rate"
    )
    return evaluation.indicators(department)[code]


@pytest.mark.parametrize("department", sorted(DEPARTMENTS))
def test_exact_counts_match_the_truth(evaluation: Evaluation, department: str) -> None:
    expected = DEPARTMENTS[department]["counts"]
    found = counted(evaluation, department)
    wrong = {
        key: (expected.get(key, 0), found[key])
        for key in SCORECARDS["exact_keys"]
        if key in found and any(n != expected.get(key, 0) for n in found[key])
    }
    assert not wrong, f"{DEPARTMENTS[department]['name']}: (truth, computed) {wrong}"


@pytest.mark.parametrize("department", sorted(DEPARTMENTS))
def test_planted_findings_are_counted(evaluation: Evaluation, department: str) -> None:
    expected = DEPARTMENTS[department]["at_least"]
    found = counted(evaluation, department)
    short = {key: (n, found[key]) for key, n in expected.items() if key in found and min(found[key]) < n}
    assert not short, f"{DEPARTMENTS[department]['name']}: (planted, computed) {short}"


@pytest.mark.parametrize("department", sorted(DEPARTMENTS))
def test_quota_usage_rate_matches_the_truth(evaluation: Evaluation, department: str) -> None:
    expected = DEPARTMENTS[department]["quota_usage_rate"]
    result = usage(evaluation, department)
    if expected is None:
        assert not result.computed and result.absent
    else:
        assert result.computed
        assert result.measure == pytest.approx(expected, abs=1e-3)


def test_the_planted_departments_are_over_their_leader_quota(evaluation: Evaluation) -> None:
    over = {
        department: entry["leading_posts_filled"] - entry["leader_quota"]
        for department, entry in DEPARTMENTS.items()
        if entry["leading_posts_filled"] > entry["leader_quota"]
    }
    names = {DEPARTMENTS[department]["name"]: n for department, n in over.items()}
    assert names == TRUTH["evaluation"]["over_leadership"]
    for department, n in over.items():
        assert set(counted(evaluation, department)["over_leadership_quota"]) == {n}


def test_only_the_long_secondment_counts(evaluation: Evaluation) -> None:
    """The 借调 of years counts, in its post's department; a 借调 of five months and a 挂职 of a year
    and more do not."""
    long, *others = TRUTH["evaluation"]["secondments"]
    assert long["end"] is None and {o["mode"] for o in others} == {"借调", "挂职"}
    by_name = {entry["name"]: department for department, entry in DEPARTMENTS.items()}
    results = evaluation.indicators(by_name[long["department"]])
    deductions = [d for r in results.values() for d in r.deductions if d.key == "long_secondment"]
    assert len(deductions) == 1 and long["person"] in deductions[0].evidence
    for other in others:
        assert set(counted(evaluation, by_name[other["department"]])["long_secondment"]) == {0}
