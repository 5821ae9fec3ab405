"""The evaluation of departments (机构编制执行情况和使用效益评估): the official indicator system, as data,
the indicators the graph computes, the scorecards and the warnings.

The system (shared/spec/evaluation.md) is read from files shipped in `systems/`, one per template
(党委部门, 政府部门, 直属事业单位), never written in Python: a user can point quanze at another
year's or another province's. Its model is `graph.evaluation.model` (templates, indicators, the
official total and grades), its scoring rules `graph.evaluation.rules`, and the files are read by
`graph.evaluation.loading`. What the graph decides of each indicator is an `IndicatorResult`
(`graph.evaluation.results`, computed by `graph.evaluation.compute`); `graph.evaluation.scorecard`
puts a department's results and the scores people gave into its scorecard and ranks them, and
`graph.evaluation.warnings` sorts the same findings into red, yellow and blue by rules kept as data
(`warnings.toml`).

    >>> template = default_system().template("政府部门")
    >>> [indicator.code for indicator in template.children(None)]
    ['1', '2', '3', '4', '5']
    >>> template.weight_in_total("4.1.1"), template.max_total
    (0.05, 120.0)
"""

from graph.evaluation.loading import (
    MAX_FILE_BYTES,
    MAX_INDICATORS,
    default_system,
    load_system,
    load_template,
)
from graph.evaluation.model import (
    DEFAULT_GRADES,
    Grade,
    Indicator,
    IndicatorSystem,
    OwnIndicators,
    Template,
    UnknownIndicator,
    grade_of,
)
from graph.evaluation.results import Deduction, IndicatorResult, ManualScore
from graph.evaluation.rules import (
    FULL_MARKS,
    MEASURES,
    OCCURRENCES,
    Band,
    BandsRule,
    BonusRule,
    DeductRule,
    GradedRule,
    ManualRule,
    Occurrence,
    Rule,
    RuleGrade,
)
from graph.evaluation.scorecard import (
    IndicatorScore,
    InvalidScore,
    Scorecard,
    applying_scores,
    check_score,
    rank_scorecards,
    scorecard,
    without_dismissed,
)
from graph.evaluation.warnings import (
    EarlyWarning,
    WarningLevel,
    WarningRule,
    accountability_records,
    default_warning_rules,
    load_warning_rules,
    parse_warning_rules,
    warnings,
)

__all__ = [
    "DEFAULT_GRADES",
    "FULL_MARKS",
    "MAX_FILE_BYTES",
    "MAX_INDICATORS",
    "MEASURES",
    "OCCURRENCES",
    "Band",
    "BandsRule",
    "BonusRule",
    "DeductRule",
    "Deduction",
    "EarlyWarning",
    "Grade",
    "GradedRule",
    "Indicator",
    "IndicatorResult",
    "IndicatorScore",
    "IndicatorSystem",
    "InvalidScore",
    "ManualRule",
    "ManualScore",
    "Occurrence",
    "OwnIndicators",
    "Rule",
    "RuleGrade",
    "Scorecard",
    "Template",
    "UnknownIndicator",
    "WarningLevel",
    "WarningRule",
    "accountability_records",
    "applying_scores",
    "check_score",
    "default_system",
    "default_warning_rules",
    "grade_of",
    "load_system",
    "load_template",
    "load_warning_rules",
    "parse_warning_rules",
    "rank_scorecards",
    "scorecard",
    "warnings",
    "without_dismissed",
]
