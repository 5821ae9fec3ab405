"""The official total and grades, on the small hand-made system whose total was worked out on paper."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.evaluation import (
    BandsRule,
    BonusRule,
    DeductRule,
    GradedRule,
    Template,
    UnknownIndicator,
    default_system,
    grade_of,
    load_template,
)
from tests.evaluation.small import write_small


@pytest.fixture
def small(tmp_path: Path) -> Template:
    return load_template(write_small(tmp_path))


def _scores(template: Template) -> dict[str, float]:
    """Each scored indicator of the small system scored by its rule, as a staffing officer would."""
    rules = {indicator.code: indicator.rule for indicator in template.scored}
    ghosts, usage, appraisal, praise = rules["1.1.1"], rules["1.1.2"], rules["1.2.1"], rules["2.1.1"]
    assert isinstance(ghosts, DeductRule) and isinstance(usage, BandsRule)
    assert isinstance(appraisal, GradedRule) and isinstance(praise, BonusRule)
    graded = appraisal.score("认可度一般")
    usage_score = usage.score(80.0)
    assert graded is not None and usage_score is not None
    return {
        "1.1.1": ghosts.score({"ghost_payroll": 2}),  # 100 - 2 × 10 = 80
        "1.1.2": usage_score,  # 75 < 80 ≦ 95: 50
        "1.2.1": graded,  # 认可度一般: 60
        "2.1.1": praise.score(1),  # 1 × 25 = 25
        "2.1.2": 75.0,  # given by a person
    }


def test_the_total_is_the_weighted_sum_worked_out_on_paper(small: Template) -> None:
    # score × third-level weight × second-level weight × first-level weight:
    #   1.1.1  80 × 0.7 × 0.5 × 0.6 = 16.8
    #   1.1.2  50 × 0.3 × 0.5 × 0.6 =  4.5
    #   1.2.1  60 × 1.0 × 0.5 × 0.6 = 18.0
    #   2.1.1  25 × 0.4 × 1.0 × 0.4 =  4.0
    #   2.1.2  75 × 0.6 × 1.0 × 0.4 = 18.0        total 61.3: 合格
    scores = _scores(small)
    assert scores == {"1.1.1": 80, "1.1.2": 50, "1.2.1": 60, "2.1.1": 25, "2.1.2": 75}
    total = small.total(scores)
    assert total == 61.3
    assert small.grade(total) == "合格"
    # the department's own indicators add up to 20: 61.3 + 18.7 = 80.0 is 良好, and 25 counts as 20
    assert small.total(scores, own=18.7) == 80.0 and small.grade(80.0) == "良好"
    assert small.total(scores, own=25) == 81.3


def test_full_marks_everywhere_make_the_maximum(small: Template) -> None:
    full = {indicator.code: 100.0 for indicator in small.scored}
    assert small.total(full) == small.common_max == 100
    assert small.total(full, own=20) == small.max_total == 120
    assert small.grade(small.max_total) == "优秀"


def test_an_indicator_not_scored_adds_nothing_and_is_listed(small: Template) -> None:
    scores = _scores(small)
    del scores["1.2.1"]
    assert small.total(scores) == pytest.approx(61.3 - 18.0)
    assert small.unscored(scores) == ("1.2.1",)
    assert small.unscored(_scores(small)) == ()


def test_a_score_for_what_is_not_a_scored_indicator_is_refused(small: Template) -> None:
    with pytest.raises(UnknownIndicator, match=r"no third-level indicator 1\.1$"):
        small.total({"1.1": 100})
    with pytest.raises(UnknownIndicator, match="no indicator 9"):
        small.weight_in_total("9.1.1")


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (100, "优秀"),
        (90, "优秀"),
        (89.99, "良好"),
        (80, "良好"),
        (79.99, "合格"),
        (60, "合格"),
        (59.99, "不合格"),
        (0, "不合格"),
    ],
)
def test_the_grades_of_the_spec(total: float, grade: str) -> None:
    assert grade_of(total) == grade
    assert default_system().templates[0].grade(total) == grade


def test_the_deductions_stop_at_the_cap_and_count_only_what_the_graph_counts(small: Template) -> None:
    rule = small.scored[0].rule
    assert isinstance(rule, DeductRule)
    assert rule.score({"ghost_payroll": 2}) == 80
    assert rule.score({"ghost_payroll": 5}) == 70  # 50 off, but at most 30
    assert rule.graph_keys == {"ghost_payroll"}
    assert [o.what for o in rule.counted_by_person] == ["其他不在岗的情况"]


def test_the_shipped_quota_usage_bands_end_as_the_workbook_writes() -> None:
    # 85%<使用率≦95%，扣25分；75%<使用率≦85%，扣50分；60%<使用率≦75%，扣75分；使用率≦60%，扣100分
    government = default_system().template("政府部门")
    indicator = government.find("4.1.1") if government else None
    usage = indicator.rule if indicator else None
    assert isinstance(usage, BandsRule)
    assert [usage.score(rate) for rate in (120, 95.01, 95, 85.01, 85, 75, 60.01, 60, 0)] == [
        100,
        100,
        75,
        75,
        50,
        25,
        25,
        0,
        0,
    ]


def test_the_shipped_weights_give_each_indicator_its_share() -> None:
    government = default_system().template("政府部门")
    assert government is not None
    # 4.1.1: 50% of 4.1, itself 50% of 4, which is 20% of the total: 5 points of 100
    assert government.weight_in_total("4.1.1") == pytest.approx(0.05)
    # 1.4.1 协同高效: 50% × 10% × 25% = 1.25 points
    assert government.weight_in_total("1.4.1") == pytest.approx(0.0125)
    assert government.common_max == 100
