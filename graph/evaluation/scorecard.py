"""A department's scorecard: every indicator's score and where it comes from, the total, grade and rank.

A `Scorecard` puts together what the graph computed for a department (`IndicatorResult`s,
`graph.evaluation.compute`) and what people scored (`ManualScore`s, kept in the ledger) under one
template. Which score an indicator gets:

- a manual score, where there is one that applies to the card's date (given for it, or for every
  date; the latest given), and the indicator's rule is a person's (`ManualRule`, graded, bonus …),
  or the graph did not compute it (its data is absent), or the graph computed only its own part of
  it (`person_counts`: occurrences only a person can count; the manual score is the whole score);
- a manual score on an indicator the graph computed in full is kept as an override (`overridden`)
  with its note, required: the office corrects a score it knows to be wrong (a ledger out of date,
  a finding already put right) and says why, as a correction over synchronised data is kept and
  marked 已修正 in the office's requirements; the graph's score and its evidence stay on the card;
- else the computed score; else none (`score` None), which counts 0 in the total and makes the card
  not `complete`: a missing score is shown as missing, never as full or zero marks.

The department's own indicators (个性指标, `Template.own`, up to its `max_score`) come only from a
manual score under their code; a card without one is still complete (they are the department's to
propose, on top of the common 100). The total is `Template.total`, the official formula; the grade
`Template.grade`. `rank_scorecards` ranks the cards of one government's departments.

    >>> from datetime import UTC, datetime
    >>> from graph.evaluation.model import Indicator, Template
    >>> from graph.evaluation.rules import ManualRule
    >>> template = Template("示例", (Indicator("1", "履职", 100), Indicator("1.1", "职责", 100),
    ...     Indicator("1.1.1", "越位", 50, rule=ManualRule()), Indicator("1.1.2", "缺位", 50, rule=ManualRule())))
    >>> card = scorecard(template, "department:x", date(2024, 12, 31), {}, [
    ...     ManualScore("department:x", "1.1.1", 80, "王芳", datetime(2025, 1, 5, tzinfo=UTC))])
    >>> card.total, card.grade, card.complete, card.unscored
    (40.0, '不合格', False, ('1.1.2',))
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from graph.errors import QuanzeError
from graph.evaluation.model import LEVELS, Indicator, Template, UnknownIndicator
from graph.evaluation.results import Deduction, IndicatorResult, ManualScore
from graph.evaluation.rules import FULL_MARKS, DeductRule

__all__ = [
    "IndicatorScore",
    "InvalidScore",
    "Scorecard",
    "applying_scores",
    "check_score",
    "rank_scorecards",
    "scorecard",
    "without_dismissed",
]


class InvalidScore(QuanzeError):
    """A manual score its indicator cannot take: out of range, for another department, or an override
    of a computed score without a note."""


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """A third-level indicator on a department's card."""

    code: str
    name: str
    level1: str
    """The name of its first-level indicator."""
    level2: str
    """The name of its second-level indicator."""
    weight: float
    """Its share of the total, as a fraction (`Template.weight_in_total`: 0.05 for 4.1.1)."""
    score: float | None
    """Out of `FULL_MARKS`; None when neither the graph nor a person scored it."""
    computed: bool
    """True when `score` is the graph's (no manual score replaced it)."""
    rule: str
    """The rule as the template writes it (评估方式及标准)."""
    evidence: tuple[str, ...] = ()
    """What the score rests on, in Chinese: each deduction's evidence, the result's, why it was not
    computed, and the manual score with its note."""
    findings: tuple[str, ...] = ()
    """The ids of the findings its computed deductions are."""
    deductions: tuple[Deduction, ...] = ()
    manual: ManualScore | None = None
    """The manual score that gave `score`, if one did."""
    computed_score: float | None = None
    """The graph's score, kept when a manual score replaced it; None when the graph gave none."""
    overridden: bool = False
    """True when `manual` overrides a score the graph computed in full (已修正)."""

    @property
    def points(self) -> float:
        """What it adds to the total: its score times its weight (0 when unscored)."""
        return (self.score or 0.0) * self.weight


@dataclass(frozen=True, slots=True)
class Scorecard:
    """One department's card on a date under one template."""

    department: str
    template: str
    at: date
    total: float
    max_total: float
    grade: str
    complete: bool
    """Every third-level indicator has a score (the own indicators are not required)."""
    indicators: tuple[IndicatorScore, ...]
    own_score: float | None = None
    """The score of the department's own indicators (个性指标), from a manual score; None: none given."""
    own_manual: ManualScore | None = None
    rank: int | None = None
    """Its place among the departments of its government, best first (`rank_scorecards`)."""

    @property
    def unscored(self) -> tuple[str, ...]:
        """The codes of the indicators without a score."""
        return tuple(indicator.code for indicator in self.indicators if indicator.score is None)


def check_score(template: Template, score: ManualScore, result: IndicatorResult | None = None) -> None:
    """Raise unless `score` fits its indicator of `template`: `UnknownIndicator` for a code that is
    neither a third-level indicator nor the own indicators'; `InvalidScore` for a score outside 0 to
    `FULL_MARKS` (to the own indicators' max for theirs), and for one on an indicator the graph
    computed in full (`result` computed, not `person_counts`) without a note."""
    own = template.own
    if own is not None and score.code == own.code:
        most, indicator = own.max_score, None
    else:
        indicator = template.find(score.code)
        if indicator is None or indicator.level != LEVELS:
            raise UnknownIndicator(
                f"indicator {score.code}: template {template.name} has no third-level indicator {score.code}"
            )
        most = FULL_MARKS
    if not math.isfinite(score.score) or not 0 <= score.score <= most:
        raise InvalidScore(f"indicator {score.code}: a score is from 0 to {most:g}, not {score.score:g}")
    if indicator is not None and _overrides(result) and not (score.note or "").strip():
        raise InvalidScore(
            f"indicator {score.code}: the graph computed this score; a manual score over it needs a note "
            "saying why"
        )


def applying_scores(scores: Iterable[ManualScore], department: str, at: date) -> dict[str, ManualScore]:
    """Code -> the manual score of `department` that applies on `at`: the latest given of those given
    for `at` (`period_end`) or for every date, a score given for `at` before one for every date."""
    chosen: dict[str, ManualScore] = {}
    for score in scores:
        if score.department != department or score.period_end not in (None, at):
            continue
        held = chosen.get(score.code)
        if held is None or (score.period_end is not None, score.at) > (held.period_end is not None, held.at):
            chosen[score.code] = score
    return chosen


def scorecard(
    template: Template,
    department: str,
    at: date,
    results: Mapping[str, IndicatorResult],
    scores: Iterable[ManualScore] = (),
    dismissed: Collection[str] = frozenset(),
) -> Scorecard:
    """The card of `department` on `at`: `results`, code -> the graph's result (as
    `graph.evaluation.compute` gives them), and the department's manual `scores` (the ledger's
    `scores(department)`; those of other departments or dates are left out, see `applying_scores`).
    A deduction whose finding is `dismissed` (the office judged it no problem, and said why in the
    ledger) takes no points off: it stays on the card, marked (`without_dismissed`).

    Raises what `check_score` raises for a manual score that applies.
    """
    if dismissed:
        results = {code: without_dismissed(template, result, dismissed) for code, result in results.items()}
    manual = applying_scores(scores, department, at)
    for score in manual.values():
        check_score(template, score, results.get(score.code))
    indicators = tuple(
        _indicator_score(template, indicator, results.get(indicator.code), manual.get(indicator.code))
        for indicator in template.scored
    )
    own_manual = manual.get(template.own.code) if template.own else None
    own_score = own_manual.score if own_manual else None
    total = template.total(
        {indicator.code: indicator.score for indicator in indicators if indicator.score is not None},
        own=own_score or 0.0,
    )
    return Scorecard(
        department=department,
        template=template.name,
        at=at,
        total=total,
        max_total=template.max_total,
        grade=template.grade(total),
        complete=all(indicator.score is not None for indicator in indicators),
        indicators=indicators,
        own_score=own_score,
        own_manual=own_manual,
    )


def without_dismissed(
    template: Template, result: IndicatorResult, dismissed: Collection[str]
) -> IndicatorResult:
    """`result` scored again without the deductions whose finding is in `dismissed`: those take no
    points off and are shown as evidence, marked 已驳回. A result with none of them is returned as it is.

    >>> from graph.evaluation.model import Indicator
    >>> from graph.evaluation.rules import DeductRule, Occurrence
    >>> rule = DeductRule((Occurrence("与其他部门职责交叉", 50, "overlap"),))
    >>> template = Template("示例", (Indicator("1", "履职", 100), Indicator("1.1", "协同", 100),
    ...     Indicator("1.1.1", "协同高效", 100, rule=rule)))
    >>> result = IndicatorResult("1.1.1", "department:x", True, 0.0, (
    ...     Deduction("overlap", 50, "甲", "overlap:a"), Deduction("overlap", 50, "乙", "overlap:b")))
    >>> again = without_dismissed(template, result, {"overlap:b"})
    >>> again.score, [d.finding for d in again.deductions], again.evidence
    (50.0, ['overlap:a'], ('已驳回，不扣分：乙',))
    """
    if not result.computed or not any(d.finding in dismissed for d in result.deductions):
        return result
    indicator = template.find(result.code)
    rule = indicator.rule if indicator is not None else None
    if not isinstance(rule, DeductRule):
        return result
    kept = tuple(d for d in result.deductions if d.finding not in dismissed)
    left_out = tuple(f"已驳回，不扣分：{d.evidence}" for d in result.deductions if d.finding in dismissed)
    return replace(
        result,
        score=rule.score(Counter(d.key for d in kept)),
        deductions=kept,
        evidence=(*result.evidence, *left_out),
    )


def rank_scorecards(cards: Iterable[Scorecard]) -> list[Scorecard]:
    """The cards of one government's departments, best total first, each with its `rank`: equal
    totals share a rank and the next is counted on (1, 1, 3); a card not complete is ranked by its
    total like the others and stays marked (`complete` False). Equal totals are in department order."""
    ordered = sorted(cards, key=lambda card: (-card.total, card.department))
    ranked: list[Scorecard] = []
    for place, card in enumerate(ordered, 1):
        rank = ranked[-1].rank if ranked and ranked[-1].total == card.total else place
        ranked.append(replace(card, rank=rank))
    return ranked


def _overrides(result: IndicatorResult | None) -> bool:
    """Whether a manual score would override a score the graph computed in full."""
    return result is not None and result.computed and not result.person_counts


def _indicator_score(
    template: Template, indicator: Indicator, result: IndicatorResult | None, manual: ManualScore | None
) -> IndicatorScore:
    parents = _parents(template, indicator)
    computed_score = result.score if result is not None and result.computed else None
    deductions = result.deductions if result is not None else ()
    evidence = [deduction.evidence for deduction in deductions]
    if result is not None:
        evidence.extend(result.evidence)
        if not result.computed and result.absent:
            evidence.append(f"未计算：{result.absent}")
    if manual is not None:
        evidence.append(_manual_evidence(manual))
    return IndicatorScore(
        code=indicator.code,
        name=indicator.name,
        level1=parents[0].name,
        level2=parents[1].name,
        weight=template.weight_in_total(indicator.code),
        score=manual.score if manual is not None else computed_score,
        computed=manual is None and computed_score is not None,
        rule=indicator.scoring,
        evidence=tuple(evidence),
        findings=result.findings if result is not None else (),
        deductions=deductions,
        manual=manual,
        computed_score=computed_score,
        overridden=manual is not None and _overrides(result),
    )


def _parents(template: Template, indicator: Indicator) -> tuple[Indicator, Indicator]:
    """The first- and second-level indicators `indicator` is under."""
    level2 = template.find(indicator.parent or "")
    level1 = template.find(level2.parent or "") if level2 is not None else None
    if level1 is None or level2 is None:
        raise UnknownIndicator(f"template {template.name} has no parents for indicator {indicator.code}")
    return level1, level2


def _manual_evidence(score: ManualScore) -> str:
    """The manual score as the card shows it (the scorer's name is not: it is personal data)."""
    given = score.at.date().isoformat()  # the day in the scorer's own time zone
    note = f"：{score.note.strip()}" if score.note and score.note.strip() else ""
    return f"人工评分 {score.score:g} 分（{given}）{note}"
