"""Warnings: each shipped rule's level on hand-made results, ids that do not depend on the order of
the departments, the accountability records of a loaded workbook, and the rules file's refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph import MemoryStore
from graph.errors import InvalidData
from graph.evaluation import default_system
from graph.evaluation.results import Deduction, IndicatorResult
from graph.evaluation.rules import BandsRule
from graph.evaluation.warnings import (
    AccountabilityRule,
    OccurrenceRule,
    WarningLevel,
    accountability_records,
    default_warning_rules,
    load_warning_rules,
    parse_warning_rules,
    warnings,
)
from graph.ids import department_id
from loaders.workbook import load_workbook
from tests.builders import small, write_xlsx

A, B, C, D, E = (f"department:示例市人民政府/部门{letter}" for letter in "ABCDE")
RED, YELLOW, BLUE = WarningLevel


def deducted(department: str, code: str, *deductions: tuple[str, str | None]) -> IndicatorResult:
    """The result of `code` with a deduction of each (key, finding)."""
    made = tuple(Deduction(key, 10, f"{key} 见 {finding or '台账'}", finding) for key, finding in deductions)
    return IndicatorResult(code, department, True, 100.0 - 10 * len(made), made)


def usage(department: str, rate: float) -> IndicatorResult:
    return IndicatorResult("4.1.1", department, True, 0.0, measure=rate, evidence=(f"使用率 {rate:g}%",))


def test_each_shipped_rule_gives_its_level_and_red_comes_first() -> None:
    results = {
        A: {
            "2.3.1": deducted(A, "2.3.1", ("over_quota", "gap:OVER_QUOTA:quota:A")),
            "2.3.2": deducted(A, "2.3.2", ("over_leadership_quota", None)),
            "4.1.2": deducted(A, "4.1.2", ("ghost_payroll", "gap:GHOST:person:P01"), ("ghost_payroll", None)),
            "2.1.1": deducted(A, "2.1.1", ("absence", "gap:UNHELD_DUTY:article:x")),
            "1.4.1": deducted(
                A, "1.4.1", ("split_approval", "split:item:XK-1"), ("overlap", "overlap:item:1|item:2")
            ),
            "4.1.1": usage(A, 55),
        },
        B: {"1.4.1": deducted(B, "1.4.1", ("overlap", "overlap:item:1|item:2"))},
    }
    found = warnings(results, default_warning_rules())
    assert [(w.level, w.rule_key, w.department, w.finding) for w in found] == [
        (RED, "absence", A, "gap:UNHELD_DUTY:article:x"),
        (RED, "ghost_payroll", A, None),  # the deduction that names no finding: one for the department
        (RED, "ghost_payroll", A, "gap:GHOST:person:P01"),
        (RED, "over_leadership_quota", A, None),
        (RED, "over_quota", A, "gap:OVER_QUOTA:quota:A"),
        (YELLOW, "split_approval", A, "split:item:XK-1"),
        (BLUE, "idle_quota", A, None),
        (BLUE, "overlap", A, "overlap:item:1|item:2"),  # one warning for the two departments
    ]
    overlap = found[-1]
    assert overlap.id == "warning:overlap:overlap:item:1|item:2" and overlap.departments == (A, B)
    assert (
        found[1].id == f"warning:ghost_payroll:{A}"
        and found[1].detail == "吃空饷：1 起。ghost_payroll 见 台账"
    )
    assert found[6].detail == "编制闲置：指标 4.1.1 的测量值 55%，不高于 60%。使用率 55%"
    assert [w.rule for w in found[:2]] == ["法定职责缺位", "吃空饷"]
    reordered = warnings(dict(reversed(results.items())), tuple(reversed(default_warning_rules())))
    assert reordered == found  # the same warnings, ids and order, whatever order they were read in


def test_overdue_cases_warn_from_the_rules_count_and_the_idle_quota_at_its_bound() -> None:
    def overdue(department: str, cases: int) -> dict[str, IndicatorResult]:
        findings = [("overdue_case", f"finding:case:{department[-1]}{n}:1") for n in range(cases)]
        return {"1.5.1": deducted(department, "1.5.1", *findings)}

    found = warnings({A: overdue(A, 2), B: overdue(B, 3)}, default_warning_rules())
    assert [(w.level, w.rule_key, w.department, w.finding) for w in found] == [
        (YELLOW, "overdue_cases", B, None)
    ]
    assert found[0].id == f"warning:overdue_cases:{B}" and found[0].detail.startswith(
        "办件多次超时：3 起（达 3 起即预警）"
    )
    rates = {A: {"4.1.1": usage(A, 60)}, B: {"4.1.1": usage(B, 60.1)}}
    rates[C] = {"4.1.1": IndicatorResult("4.1.1", C, False, None, absent="工作簿未提供编制数")}
    assert [w.department for w in warnings(rates, default_warning_rules())] == [A]  # ≦ 60, as the band


def test_little_work_is_under_half_the_median_of_the_departments_with_cases() -> None:
    # with cases: A 10, B 20, C 30, D 4 -> median 15, bound 7.5: D is under it; E has no cases
    per_person = {A: 10.0, B: 20.0, C: 30.0, D: 4.0, E: 0.0}
    found = warnings({}, default_warning_rules(), cases_per_person=per_person)
    assert [(w.level, w.rule_key, w.department) for w in found] == [(BLUE, "little_work", D)]
    assert (
        found[0].detail
        == "人均业务量偏低：人均办件 4.0 件，低于本级政府有办件部门的中位数 15.0 件的 50%（7.5 件）"
    )
    assert warnings({}, default_warning_rules()) == []


def test_accountability_piling_up_on_a_department_is_yellow(tmp_path: Path) -> None:
    sheets = small()
    sheets["问责"] += [
        ["R-002", "P04", "C-002", "审核超期", "直接责任", "诫勉谈话", "2024-02-01", "示例市监察局"],
        ["R-003", "P04", "C-002", "审核超期", "重要领导责任", "通报批评", "2024-05-01", "示例市监察局"],
    ]
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "t.xlsx", sheets), store)
    bureau = department_id("示例市人民政府", "示例市市场监督管理局")
    records = accountability_records(store, date(2020, 1, 1), date(2024, 12, 31))
    assert {d: len(ids) for d, ids in records.items()} == {bureau: 3}
    assert {
        d: len(ids) for d, ids in accountability_records(store, date(2024, 1, 1), date(2024, 12, 31)).items()
    } == {bureau: 2}
    (found,) = warnings({}, default_warning_rules(), accountability=records)
    assert (found.level, found.rule, found.department, found.id) == (
        YELLOW,
        "问责集中",
        bureau,
        f"warning:accountability:{bureau}",
    )
    assert (
        warnings({}, [AccountabilityRule("accountability", YELLOW, "问责集中", 4)], accountability=records)
        == []
    )


def test_the_shipped_idle_quota_bound_is_the_lowest_band_of_every_shipped_template() -> None:
    (idle,) = [rule for rule in default_warning_rules() if rule.key == "idle_quota"]
    for template in default_system().templates:
        rule = template.find(idle.indicator).rule  # type: ignore[union-attr]
        assert isinstance(rule, BandsRule) and rule.measure == "quota_usage_rate"
        lowest = min(rule.bands, key=lambda band: band.score)
        assert lowest.lower is None and lowest.upper == idle.at_most and lowest.upper_included


RULE = '[[rule]]\nkey = "k"\nlevel = "RED"\nname = "名"\nmatch = "occurrence"\noccurrence = "over_quota"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rule = 1", "the rules, field rule: not a list of tables"),
        ("", "the rules, field rule: missing"),
        ("[[rule", "the file is not TOML"),
        (RULE.replace('"RED"', '"red"'), "rule k, field level: not a level (RED, YELLOW, BLUE)"),
        (RULE.replace('"k"', '"K-1"'), "rule K-1, field key: not a key"),
        (RULE + RULE, "rule k, field key: a second rule with this key"),
        (
            RULE.replace('occurrence = "over_quota"', 'occurrence = "late"'),
            "rule k, field occurrence: not an occurrence",
        ),
        (RULE + "share = 0.5\n", "rule k, field share: not a field of a rule matching occurrence"),
        (RULE + "at_least = 0\n", "rule k, field at_least: not a whole number from 1"),
        (RULE + "colour = 1\n", "rule k, field colour: an unknown field"),
        (
            RULE.replace('"occurrence"\noccurrence = "over_quota"', '"accountability"'),
            "rule k, field at_least: missing",
        ),
        (
            RULE.replace('"occurrence"\noccurrence = "over_quota"', '"workload"\nshare = 1.5'),
            "rule k, field share: out of range",
        ),
        (
            RULE.replace(
                '"occurrence"\noccurrence = "over_quota"', '"measure"\nindicator = "4.1"\nat_most = 60'
            ),
            "rule k, field indicator: not the code of a third-level",
        ),
        (RULE.replace('"occurrence"', '"mood"'), "rule k, field match: not something a rule matches"),
        (RULE.replace('name = "名"\n', ""), "rule k, field name: missing"),
        (RULE.replace('key = "k"\n', ""), "rule #1 (no key), field key: missing"),
    ],
)
def test_a_rules_file_is_refused_naming_the_file_the_rule_and_the_field(text: str, message: str) -> None:
    with pytest.raises(InvalidData) as refused:
        parse_warning_rules(text, "mine.toml")
    assert any(
        str(problem).startswith("mine.toml") and message in str(problem) for problem in refused.value.problems
    ), refused.value.problems


def test_a_rules_file_is_read_from_its_path_and_a_large_one_refused(tmp_path: Path) -> None:
    path = tmp_path / "warnings.toml"
    path.write_text(RULE + "at_least = 2\n", encoding="utf-8")
    assert load_warning_rules(path) == (OccurrenceRule("k", RED, "名", "over_quota", 2),)
    path.write_text(RULE + "#" * 100_001, encoding="utf-8")
    with pytest.raises(InvalidData, match=r"warnings\.toml: the file is larger than 100000 bytes"):
        load_warning_rules(path)
