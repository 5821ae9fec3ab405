"""Scorecards on the small hand-made template (tests/evaluation/small.py), each total worked out on paper.

The small template's third-level weights in the total (weight × its second-level × its first-level):
1.1.1 0.7 × 0.5 × 0.6 = 0.21, 1.1.2 0.3 × 0.5 × 0.6 = 0.09, 1.2.1 1 × 0.5 × 0.6 = 0.30,
2.1.1 0.4 × 1 × 0.4 = 0.16, 2.1.2 0.6 × 1 × 0.4 = 0.24; the own indicators (3) up to 20 on top.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from graph.evaluation.loading import parse_template
from graph.evaluation.model import Template, UnknownIndicator
from graph.evaluation.results import Deduction, IndicatorResult, ManualScore
from graph.evaluation.scorecard import InvalidScore, Scorecard, check_score, rank_scorecards, scorecard
from tests.evaluation.small import SMALL

AT = date(2024, 12, 31)
GIVEN = datetime(2025, 1, 10, 9, tzinfo=UTC)
A, B, C, D = (f"department:示例市人民政府/部门{letter}" for letter in "ABCD")


@pytest.fixture(scope="module")
def template() -> Template:
    return parse_template(SMALL, "small.toml")


def manual(
    department: str,
    code: str,
    points: float,
    *,
    days: int = 0,
    note: str | None = "依据",
    period_end: date | None = None,
) -> ManualScore:
    return ManualScore(department, code, points, "王芳", GIVEN + timedelta(days=days), note, period_end)


def ghost_payroll(department: str, people: int, person_counts: bool = True) -> IndicatorResult:
    """1.1.1 with `people` on the payroll not at work, 10 points each."""
    deductions = tuple(
        Deduction(
            "ghost_payroll", 10, f"任职 第{row}行：人员编号 P00{row} 未在岗", f"gap:GHOST:person:P00{row}"
        )
        for row in range(1, people + 1)
    )
    return IndicatorResult(
        "1.1.1", department, True, 100.0 - 10 * people, deductions, person_counts=person_counts
    )


def usage(department: str, rate: float, score: float) -> IndicatorResult:
    return IndicatorResult("1.1.2", department, True, score, measure=rate, evidence=(f"使用率 {rate:g}%",))


def test_a_card_takes_computed_and_manual_scores_and_totals_by_the_official_formula(
    template: Template,
) -> None:
    results = {"1.1.1": ghost_payroll(A, 2), "1.1.2": usage(A, 90, 50)}
    scores = [
        manual(A, "1.1.1", 70),  # 1.1.1 counts people too (person_counts): the manual score is the whole
        manual(A, "1.2.1", 100),
        manual(A, "2.1.1", 75),
        manual(A, "2.1.2", 50),
        manual(A, "3", 10),  # the own indicators
    ]
    card = scorecard(template, A, AT, results, scores)
    # 70 × 0.21 + 50 × 0.09 + 100 × 0.30 + 75 × 0.16 + 50 × 0.24 + 10 = 14.7 + 4.5 + 30 + 12 + 12 + 10
    assert (card.total, card.grade, card.complete, card.max_total) == (83.2, "良好", True, 120.0)
    assert card.own_score == 10 and card.own_manual == scores[-1] and card.unscored == ()
    first, rate = card.indicators[0], card.indicators[1]
    assert (first.code, first.name, first.level1, first.level2, first.weight) == (
        "1.1.1",
        "在编人员在岗情况",
        "履职",
        "编制",
        0.21,
    )
    assert (first.score, first.computed, first.computed_score, first.overridden) == (70, False, 80.0, False)
    assert first.manual == scores[0] and first.rule.startswith("存在1例“吃空饷”的")
    assert first.findings == ("gap:GHOST:person:P001", "gap:GHOST:person:P002")
    assert first.evidence[-1] == "人工评分 70 分（2025-01-10）：依据"
    assert (rate.score, rate.computed, rate.manual, rate.evidence) == (50.0, True, None, ("使用率 90%",))
    assert rate.points == pytest.approx(4.5)


def test_an_indicator_neither_computed_nor_scored_counts_0_and_the_card_is_not_complete(
    template: Template,
) -> None:
    absent = IndicatorResult("1.1.2", B, False, None, absent="工作簿未提供编制数")
    card = scorecard(
        template, B, AT, {"1.1.1": ghost_payroll(B, 0), "1.1.2": absent}, [manual(B, "2.1.1", 100)]
    )
    # 100 × 0.21 + 100 × 0.16: the rest unscored
    assert (card.total, card.grade, card.complete) == (37.0, "不合格", False)
    assert card.unscored == ("1.1.2", "1.2.1", "2.1.2") and card.own_score is None
    rate = card.indicators[1]
    assert (rate.score, rate.computed, rate.evidence) == (None, False, ("未计算：工作簿未提供编制数",))
    filled = scorecard(template, B, AT, {"1.1.2": absent}, [manual(B, "1.1.2", 75)])
    assert (filled.indicators[1].score, filled.indicators[1].overridden) == (75, False)  # the data was absent


def test_a_manual_score_over_a_fully_computed_one_is_an_override_with_its_note(template: Template) -> None:
    results = {"1.1.1": ghost_payroll(A, 1, person_counts=False), "1.1.2": usage(A, 90, 50)}
    with pytest.raises(
        InvalidScore,
        match=re.escape(
            "indicator 1.1.2: the graph computed this score; a manual score over it needs a note"
        ),
    ):
        scorecard(template, A, AT, results, [manual(A, "1.1.2", 100, note="  ")])
    card = scorecard(template, A, AT, results, [manual(A, "1.1.2", 100, note="编制已于年中核减")])
    rate = card.indicators[1]
    assert (rate.score, rate.computed, rate.computed_score, rate.overridden) == (100, False, 50.0, True)
    assert rate.evidence == ("使用率 90%", "人工评分 100 分（2025-01-10）：编制已于年中核减")
    # 90 × 0.21 + 100 × 0.09: the override counts, the graph's 50 stays on the card
    assert card.total == pytest.approx(27.9)


@pytest.mark.parametrize(
    ("score", "error", "message"),
    [
        (
            manual(A, "9.9.9", 50),
            UnknownIndicator,
            "indicator 9.9.9: template 示例部门 has no third-level indicator 9.9.9",
        ),
        (manual(A, "1.1", 50), UnknownIndicator, "indicator 1.1: template"),
        (manual(A, "2.1.1", 100.5), InvalidScore, "indicator 2.1.1: a score is from 0 to 100, not 100.5"),
        (manual(A, "2.1.1", -1), InvalidScore, "indicator 2.1.1: a score is from 0 to 100, not -1"),
        (manual(A, "2.1.1", float("nan")), InvalidScore, "indicator 2.1.1: a score is from 0 to 100"),
        (manual(A, "3", 20.5), InvalidScore, "indicator 3: a score is from 0 to 20, not 20.5"),
    ],
)
def test_a_score_its_indicator_cannot_take_is_refused_naming_the_code(
    template: Template, score: ManualScore, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        check_score(template, score)
    with pytest.raises(error, match=message):
        scorecard(template, A, AT, {}, [score])


def test_the_latest_score_for_the_cards_date_applies_before_one_for_every_date(template: Template) -> None:
    scores = [
        manual(A, "2.1.1", 25, days=0, period_end=AT),
        manual(A, "2.1.1", 50, days=1),  # later, but for every date: the one for the date goes first
        manual(A, "2.1.2", 25, days=0),
        manual(A, "2.1.2", 50, days=2),  # the latest for every date
        manual(A, "1.2.1", 100, period_end=date(2023, 12, 31)),  # for another card
        manual(B, "1.2.1", 100),  # of another department
    ]
    card = scorecard(template, A, AT, {}, scores)
    assert [(i.code, i.score) for i in card.indicators if i.score is not None] == [
        ("2.1.1", 25),
        ("2.1.2", 50),
    ]
    assert card.total == 16.0  # 25 × 0.16 + 50 × 0.24 = 4 + 12


def test_cards_are_ranked_best_first_and_equal_totals_share_a_rank(template: Template) -> None:
    full = {"1.1.1": ghost_payroll(A, 0), "1.1.2": usage(A, 96, 100)}
    cards = [
        scorecard(template, D, AT, {}),  # nothing scored: 0
        # B: 100 × 0.21 + 100 × 0.09 + 60 × 0.30 + 100 × 0.16 = 21 + 9 + 18 + 16 = 64, 2.1.2 unscored
        scorecard(template, B, AT, full, [manual(B, "1.2.1", 60), manual(B, "2.1.1", 100)]),
        # C: 100 × 0.21 + 0 × 0.09 + 100 × 0.30 + 25 × 0.16 + 37.5 × 0.24 = 21 + 0 + 30 + 4 + 9 = 64
        scorecard(
            template,
            C,
            AT,
            {"1.1.1": ghost_payroll(C, 0), "1.1.2": usage(C, 70, 0)},
            [manual(C, "1.2.1", 100), manual(C, "2.1.1", 25), manual(C, "2.1.2", 37.5)],
        ),
        # A: 21 + 9 + 30 + 16 + 24 = 100, and 20 of its own
        scorecard(
            template,
            A,
            AT,
            full,
            [manual(A, c, 100) for c in ("1.2.1", "2.1.1", "2.1.2")] + [manual(A, "3", 20)],
        ),
    ]
    ranked = rank_scorecards(cards)
    assert [(card.department, card.total, card.rank, card.complete) for card in ranked] == [
        (A, 120.0, 1, True),
        (B, 64.0, 2, False),  # ranked like the others, marked not complete
        (C, 64.0, 2, True),
        (D, 0.0, 4, False),
    ]
    assert [card.grade for card in ranked] == ["优秀", "合格", "合格", "不合格"]
    assert all(card.rank is None for card in cards)  # ranking gives new cards
    assert rank_scorecards([]) == [] and isinstance(ranked[0], Scorecard)
