"""An indicator system for evaluating departments (机构编制执行情况和使用效益评估指标体系), as data.

A `Template` is the system for one kind of body (党委部门, 政府部门, 直属事业单位): first-, second- and
third-level `Indicator`s, each with its weight in percent of its parent (of the total, for the first
level), and for the third level the points to check (评估要点), the scoring rule as written and as a
`Rule`. The official formula: a department's total is Σ(third-level score × its weight × its
second-level weight × its first-level weight), out of 100 for the common indicators, plus up to
`OwnIndicators.max_score` (20) for the department's own (个性指标); its grade is the first of
`Template.grades` whose floor the total reaches (优秀 ≥ 90, 良好 80–89.99, 合格 60–79.99, 不合格 < 60).
An `IndicatorSystem` holds the templates, one per kind of body.

    >>> from graph.evaluation.rules import ManualRule
    >>> template = Template("示例", (
    ...     Indicator("1", "履职", 60), Indicator("1.1", "职责", 100),
    ...     Indicator("1.1.1", "越位", 50, rule=ManualRule()), Indicator("1.1.2", "缺位", 50, rule=ManualRule()),
    ...     Indicator("2", "编制", 40), Indicator("2.1", "使用", 100), Indicator("2.1.1", "使用率", 100, rule=ManualRule()),
    ... ))
    >>> template.weight_in_total("1.1.2"), template.common_max
    (0.3, 100.0)
    >>> total = template.total({"1.1.1": 100, "1.1.2": 50, "2.1.1": 75})   # 30 + 15 + 30
    >>> total, template.grade(total)
    (75.0, '合格')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from math import fsum

from graph.errors import QuanzeError
from graph.evaluation.rules import FULL_MARKS, Rule

__all__ = [
    "DEFAULT_GRADES",
    "LEVELS",
    "Grade",
    "Indicator",
    "IndicatorSystem",
    "OwnIndicators",
    "Template",
    "UnknownIndicator",
    "grade_of",
]

#: first, second and third level
LEVELS = 3
#: the places a total is rounded to, so that sums of products of percentages compare as on paper
TOTAL_PLACES = 6


class UnknownIndicator(QuanzeError):
    """A code that is not an indicator of the template (or not one that is scored)."""


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade of a total: `name` for a total of at least `at_least` (and below the grade above)."""

    name: str
    at_least: float


#: the grades of evaluation.md: 优秀 ≥ 90, 良好 80–89.99, 合格 60–79.99, 不合格 < 60
DEFAULT_GRADES = (Grade("优秀", 90.0), Grade("良好", 80.0), Grade("合格", 60.0), Grade("不合格", 0.0))


def grade_of(total: float, grades: tuple[Grade, ...] = DEFAULT_GRADES) -> str:
    """The name of the grade of `total`: the first of `grades` (highest floor first) it reaches.

    >>> grade_of(90), grade_of(89.99), grade_of(80), grade_of(79.99), grade_of(60), grade_of(59.99)
    ('优秀', '良好', '良好', '合格', '合格', '不合格')
    """
    return next((grade.name for grade in grades if total >= grade.at_least), grades[-1].name)


@dataclass(frozen=True, slots=True)
class Indicator:
    """An indicator: `code` (`4.1.1`: its level is the count of its parts, its parent the code
    without the last), `name`, `weight` in percent of its parent; for the third level, `points`
    (评估要点) and `scoring` (评估方式及标准) as written, and the `rule` they state."""

    code: str
    name: str
    weight: float
    points: str = ""
    scoring: str = ""
    rule: Rule | None = None

    @property
    def level(self) -> int:
        """1, 2 or 3."""
        return self.code.count(".") + 1

    @property
    def parent(self) -> str | None:
        """The code of the indicator this one is part of; None for a first-level indicator."""
        return self.code.rpartition(".")[0] or None


@dataclass(frozen=True, slots=True)
class OwnIndicators:
    """The department's own indicators (个性指标): a first-level heading the department fills in,
    worth up to `max_score` on top of the common indicators."""

    code: str
    name: str
    max_score: float
    note: str = ""


@dataclass(frozen=True)
class Template:
    """The indicator system for some kinds of body (`bodies`: the 机构类型 it scores), its indicators
    in order (each parent before its children), and how a total is graded."""

    name: str
    indicators: tuple[Indicator, ...]
    bodies: tuple[str, ...] = ()
    title: str = ""
    source: str = ""
    period_years: int = 5
    """The evaluation period, in years before the scorecard's date (评估时间段为近5年)."""
    own: OwnIndicators | None = None
    grades: tuple[Grade, ...] = DEFAULT_GRADES
    _by_code: dict[str, Indicator] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {indicator.code: indicator for indicator in self.indicators})

    def find(self, code: str) -> Indicator | None:
        """The indicator `code`, or None."""
        return self._by_code.get(code)

    def children(self, code: str | None) -> tuple[Indicator, ...]:
        """The indicators directly under `code` (None: the first-level indicators), in order."""
        return tuple(indicator for indicator in self.indicators if indicator.parent == code)

    @property
    def scored(self) -> tuple[Indicator, ...]:
        """The third-level indicators: those that are given a score."""
        return tuple(indicator for indicator in self.indicators if indicator.level == LEVELS)

    def weight_in_total(self, code: str) -> float:
        """The share of the total an indicator carries: its weight times its parents', as fractions.

        Raises `UnknownIndicator` for a code the template does not have (or whose parent it lacks).
        """
        share = 1.0
        current: str | None = code
        while current is not None:
            indicator = self._by_code.get(current)
            if indicator is None:
                raise UnknownIndicator(f"template {self.name} has no indicator {current}")
            share *= indicator.weight / 100
            current = indicator.parent
        return round(share, TOTAL_PLACES + 4)

    @cached_property
    def common_max(self) -> float:
        """The most the common indicators can give: `FULL_MARKS` on every third-level indicator."""
        return self.total({indicator.code: FULL_MARKS for indicator in self.scored})

    @property
    def max_total(self) -> float:
        """The most a department can get: the common indicators and its own."""
        return self.common_max + (self.own.max_score if self.own else 0.0)

    def total(self, scores: Mapping[str, float], own: float = 0.0) -> float:
        """The official total of the third-level `scores` (code -> score out of 100) and `own`, the
        score of the department's own indicators (at most `own.max_score`). An indicator not in
        `scores` adds nothing (see `unscored`); a code that is not a third-level indicator of the
        template raises `UnknownIndicator`."""
        for code in scores:
            indicator = self._by_code.get(code)
            if indicator is None or indicator.level != LEVELS:
                raise UnknownIndicator(f"template {self.name} has no third-level indicator {code}")
        own_max = self.own.max_score if self.own else 0.0
        parts = [score * self.weight_in_total(code) for code, score in scores.items()]
        return round(fsum([*parts, min(own, own_max)]), TOTAL_PLACES)

    def unscored(self, scores: Mapping[str, float]) -> tuple[str, ...]:
        """The codes of the third-level indicators `scores` does not score: the card is not complete."""
        return tuple(indicator.code for indicator in self.scored if indicator.code not in scores)

    def grade(self, total: float) -> str:
        """The name of the grade of `total` (see `grade_of`)."""
        return grade_of(total, self.grades)


@dataclass(frozen=True, slots=True)
class IndicatorSystem:
    """The templates of an indicator system, one per kind of body; no kind of body is in two."""

    templates: tuple[Template, ...]

    def template(self, name: str) -> Template | None:
        """The template named `name` (政府部门 …), or None."""
        return next((template for template in self.templates if template.name == name), None)

    def template_for(self, body: str) -> Template | None:
        """The template that scores bodies of the kind `body` (a department's 机构类型), or None."""
        return next((template for template in self.templates if body in template.bodies), None)
