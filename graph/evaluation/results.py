"""What an evaluation says of one department's indicator: its score and where every point of it comes from.

The computed indicators (`graph.evaluation.compute`) give an `IndicatorResult` for each third-level
indicator whose rule the graph can decide, each deduction a `Deduction` naming the finding and the
source rows it comes from; the scorecards (`graph.evaluation.scorecard`) put them together with the
scores people gave (`ManualScore`, kept in the ledger), and the warnings (`graph.evaluation.warnings`)
sort the same deductions and measures into the office's levels. Evidence is in Chinese, as users read
it, and names people by their 人员编号, never by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["Deduction", "IndicatorResult", "ManualScore"]


@dataclass(frozen=True, slots=True)
class Deduction:
    """One occurrence the graph counted against an indicator."""

    key: str
    """What it is: a key of `graph.evaluation.rules.OCCURRENCES` (`ghost_payroll`, `overdue_case` …)."""
    points: float
    """Points off, as the rule gives them for one occurrence (before the rule's cap)."""
    evidence: str
    """What happened and where it is written, in Chinese: the sheet and row, the item's code, the case's
    number, the person's 人员编号 (`任职 第12行：人员编号 P0031 …`)."""
    finding: str | None = None
    """The id of the finding it is (`graph.identity`), when the analyses report it as one."""


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """A third-level indicator of one department on a date, as the graph decides it."""

    code: str
    """The indicator's code in its template (`4.1.1`)."""
    department: str
    """The department's node id."""
    computed: bool
    """True when the graph decided the score; False when the data it needs is absent (`absent` says which),
    and then `score` is None: never full or zero marks for want of data."""
    score: float | None
    """Out of `graph.evaluation.rules.FULL_MARKS`; None when not computed."""
    deductions: tuple[Deduction, ...] = ()
    measure: float | None = None
    """The value a bands rule scores (the quota usage rate, in percent), when it has one."""
    evidence: tuple[str, ...] = ()
    """What the score rests on beyond its deductions, in Chinese (`在编 18 人 / 编制 20 名 = 90.0%`)."""
    absent: str | None = None
    """Why it is not computed, in Chinese (`工作簿未提供领导职数`)."""
    person_counts: bool = False
    """True when the rule also takes points off for occurrences only a person can count: the computed
    score is then the graph's part, which a manual score replaces."""

    @property
    def findings(self) -> tuple[str, ...]:
        """The ids of the findings its deductions are, each once, in order."""
        return tuple(dict.fromkeys(d.finding for d in self.deductions if d.finding))


@dataclass(frozen=True, slots=True)
class ManualScore:
    """A score a person gave an indicator of a department (`scoreIndicator`), kept in the ledger."""

    department: str
    code: str
    score: float
    scorer: str
    at: datetime
    """When it was given."""
    note: str | None = None
    period_end: date | None = None
    """The evaluation date it was given for; None: for every date."""
