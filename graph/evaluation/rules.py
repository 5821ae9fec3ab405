"""The scoring rule of a third-level indicator, as data: what the workbook's 评估方式及标准 says, exactly.

A third-level indicator is scored out of `FULL_MARKS` (100) by one of five kinds of rule:

- `DeductRule` (扣分制): so many points off per occurrence, at most `cap` off in all ("100分扣完为止");
  each `Occurrence` says what counts (`what`, as the rule words it) and, when the graph can count it,
  its `key` in `OCCURRENCES` (what a computed indicator counts: `ghost_payroll`, `overdue_case` …);
  an occurrence without a key is counted by a person;
- `BandsRule`: ranges of a measured value (a rate in percent, a satisfaction score) -> a score, as
  编制使用率's bands; its `measure`, when the graph measures it, is a key of `MEASURES`;
- `GradedRule`: named grades -> a score (认可度非常高 -> 100 …), picked by a person;
- `BonusRule` (加分制): so many points per occurrence, up to `cap`, counted by a person;
- `ManualRule`: a rule none of these holds; a person gives the score.

Each rule scores what it is given; which indicators the graph decides is what their `graph_keys` name.

    >>> rule = DeductRule((Occurrence("存在1例“吃空饷”", 50, "ghost_payroll"),))
    >>> rule.score({"ghost_payroll": 1}), rule.score({"ghost_payroll": 3}), rule.graph_keys
    (50.0, 0.0, frozenset({'ghost_payroll'}))
    >>> usage = BandsRule((Band(95, False, None, False, 100.0), Band(None, False, 95, True, 75.0)), "quota_usage_rate")
    >>> usage.score(96.0), usage.score(95.0)
    (100.0, 75.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import fsum
from typing import ClassVar

__all__ = [
    "FULL_MARKS",
    "MEASURES",
    "OCCURRENCES",
    "RULE_KINDS",
    "THRESHOLD_OCCURRENCES",
    "Band",
    "BandsRule",
    "BonusRule",
    "DeductRule",
    "GradedRule",
    "ManualRule",
    "Occurrence",
    "Rule",
    "RuleGrade",
]

#: what a third-level indicator is scored out of (分值)
FULL_MARKS = 100.0

#: The occurrences the computed indicators count from the graph: key -> what one occurrence is.
OCCURRENCES: dict[str, str] = {
    "ghost_payroll": "a person paid on the department's quota who does not work there (吃空饷)",
    "long_secondment": "a person seconded in or out for more than a year (长期借调)",
    "over_quota": "more people on one of the department's quotas than it allows (非政策性超编)",
    "mixed_quota": "people of the department and of its institutions on each other's quotas (混编混岗)",
    "over_leadership_quota": "more leading posts filled than the approved 领导职数 (超职数配备)",
    "overreach": "a power held without a duty of the department behind it (越位)",
    "absence": "a duty of the department that no one carries out (缺位)",
    "misplacement": "a power whose law names another department's field (错位)",
    "unit_duty_overlap": "two internal units of the department holding the same duty (职责交叉)",
    "unit_duty_gap": "a duty of the department no internal unit carries (职责空白)",
    "dormant_item": "a power item run at most `at_most` times in the period (长期不运行)",
    "item_load_mismatch": "an internal unit whose rank by item runs and rank by quota disagree (错位)",
    "workload_mismatch": "an internal unit whose rank by workload and rank by quota disagree",
    "overdue_case": "a case not handled within its time limit (未按规定时限办理)",
    "split_approval": "one matter approved in pieces by several departments (职责协调不畅)",
    "overlap": "a duty of the department overlapping another department's (政出多门)",
}
#: the occurrences that take a threshold (`Occurrence.at_most`)
THRESHOLD_OCCURRENCES = frozenset({"dormant_item"})

#: The values the computed indicators measure from the graph: key -> what it is.
MEASURES: dict[str, str] = {
    "quota_usage_rate": "people on the department's quotas / its approved quotas, in percent (编制使用率)",
}


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One thing a `DeductRule` takes points off for: `points` for each, as the rule words it."""

    what: str
    points: float
    key: str | None = None
    """The key in `OCCURRENCES` of what the graph counts; None: a person counts it."""
    at_most: int | None = None
    """For an occurrence in `THRESHOLD_OCCURRENCES`: the most times a thing may happen to count."""


@dataclass(frozen=True, slots=True)
class DeductRule:
    """扣分制: `FULL_MARKS` less the points of every occurrence, at most `cap` off in all."""

    occurrences: tuple[Occurrence, ...]
    cap: float = FULL_MARKS
    note: str = ""
    kind: ClassVar[str] = "deduct"

    @property
    def graph_keys(self) -> frozenset[str]:
        """The keys of the occurrences the graph counts."""
        return frozenset(occurrence.key for occurrence in self.occurrences if occurrence.key)

    @property
    def counted_by_person(self) -> tuple[Occurrence, ...]:
        """The occurrences the graph cannot count."""
        return tuple(occurrence for occurrence in self.occurrences if occurrence.key is None)

    def score(self, counts: Mapping[str, int]) -> float:
        """The score for `counts` (occurrence key -> how many times); keys not given count 0.

        >>> rule = DeductRule((Occurrence("越位", 25, "overreach"), Occurrence("缺位", 25, "absence")))
        >>> rule.score({"overreach": 2, "absence": 1}), rule.score({"absence": 9})
        (25.0, 0.0)
        """
        deducted = fsum(o.points * counts.get(o.key, 0) for o in self.occurrences if o.key is not None)
        return FULL_MARKS - min(self.cap, deducted)


@dataclass(frozen=True, slots=True)
class Band:
    """A range of a measured value: from `lower` (None: no bound) to `upper`, each end included or
    not as the rule says (＜ or ≦), and the `score` a value in it gets."""

    lower: float | None
    lower_included: bool
    upper: float | None
    upper_included: bool
    score: float

    def __contains__(self, value: float) -> bool:
        if self.lower is not None and (
            value < self.lower or (value == self.lower and not self.lower_included)
        ):
            return False
        return not (
            self.upper is not None
            and (value > self.upper or (value == self.upper and not self.upper_included))
        )

    def __str__(self) -> str:
        """The range as the rule writes it.

        >>> str(Band(85, False, 95, True, 75)), str(Band(None, False, 60, True, 0))
        ('85 < x ≦ 95', 'x ≦ 60')
        """
        lower = "" if self.lower is None else f"{self.lower:g} {'≦' if self.lower_included else '<'} "
        upper = "" if self.upper is None else f" {'≦' if self.upper_included else '<'} {self.upper:g}"
        return f"{lower}x{upper}"


@dataclass(frozen=True, slots=True)
class BandsRule:
    """Bands of a measured value -> a score; the bands do not overlap and leave no gap between them."""

    bands: tuple[Band, ...]
    measure: str | None = None
    """The key in `MEASURES` of what the graph measures; None: a person gives the value."""
    unit: str = "%"
    note: str = ""
    kind: ClassVar[str] = "bands"

    @property
    def graph_keys(self) -> frozenset[str]:
        """The measure, when the graph measures it."""
        return frozenset({self.measure} if self.measure else ())

    def score(self, value: float) -> float | None:
        """The score of the band `value` falls in; None when it falls in none (out of every range)."""
        return next((band.score for band in self.bands if value in band), None)


@dataclass(frozen=True, slots=True)
class RuleGrade:
    """A named grade of a `GradedRule` and its score."""

    name: str
    score: float


@dataclass(frozen=True, slots=True)
class GradedRule:
    """Named grades -> a score (认可度非常高 -> 100, 较高 -> 80 …); a person picks the grade.

    >>> rule = GradedRule((RuleGrade("认可度较高", 80.0), RuleGrade("认可度一般", 60.0)))
    >>> rule.score("认可度一般"), rule.score("很好")
    (60.0, None)
    """

    grades: tuple[RuleGrade, ...]
    note: str = ""
    kind: ClassVar[str] = "grades"
    graph_keys: ClassVar[frozenset[str]] = frozenset()

    def score(self, grade: str) -> float | None:
        """The score of the grade named `grade`; None when the rule has no such grade."""
        return next((g.score for g in self.grades if g.name == grade), None)


@dataclass(frozen=True, slots=True)
class BonusRule:
    """加分制: `points` per occurrence (`what`), at most `cap`; a person counts them.

    >>> BonusRule("得到1次批示肯定", 25, 100).score(5)
    100.0
    """

    what: str
    points: float
    cap: float
    note: str = ""
    kind: ClassVar[str] = "bonus"
    graph_keys: ClassVar[frozenset[str]] = frozenset()

    def score(self, count: int) -> float:
        """The score for `count` occurrences."""
        return float(min(self.cap, self.points * count))


@dataclass(frozen=True, slots=True)
class ManualRule:
    """A rule that none of the other kinds holds: a person gives the score, out of `FULL_MARKS`."""

    note: str = ""
    kind: ClassVar[str] = "manual"
    graph_keys: ClassVar[frozenset[str]] = frozenset()


Rule = DeductRule | BandsRule | GradedRule | BonusRule | ManualRule
#: the kinds of rule, as the files name them
RULE_KINDS = ("deduct", "bands", "grades", "bonus", "manual")
