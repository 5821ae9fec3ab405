"""The loader refuses a file that does not hold an indicator system, naming the file, the indicator
and the field of every problem; and it reads back what it writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InvalidData
from graph.evaluation import MAX_FILE_BYTES, MAX_INDICATORS, default_system, load_system, load_template
from graph.evaluation.loading import SYSTEMS, parse_template
from graph.evaluation.writing import template_toml
from tests.evaluation.small import SMALL, write_small


def _refusal(tmp_path: Path, text: str) -> list[str]:
    """The problems the loader finds in `text`, as the user reads them; the file is named in each."""
    path = write_small(tmp_path, text)
    with pytest.raises(InvalidData, match=r"small\.toml") as refused:
        load_template(path)
    problems = [str(problem) for problem in refused.value.problems]
    assert problems and all(problem.startswith(str(path)) for problem in problems)
    return problems


def test_the_small_system_loads(tmp_path: Path) -> None:
    template = load_template(write_small(tmp_path))
    assert [i.code for i in template.scored] == ["1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.1.2"]
    assert template.bodies == ("组成部门",) and template.period_years == 3


def test_weights_that_do_not_sum_to_100_are_refused(tmp_path: Path) -> None:
    text = SMALL.replace('name = "编制使用率"\nweight = 30', 'name = "编制使用率"\nweight = 20')
    assert _refusal(tmp_path, text) == [
        f"{tmp_path / 'small.toml'}: indicator 1.1, field weight: the weights of its third-level "
        "indicators (1.1.1 70, 1.1.2 20) sum to 90, not 100"
    ]
    text = SMALL.replace('name = "效益"\nweight = 40', 'name = "效益"\nweight = 45')
    assert _refusal(tmp_path, text)[0].endswith(
        "the first-level indicators, field weight: their weights (1 60, 2 45) sum to 105, not 100"
    )


def test_an_unknown_kind_of_rule_is_refused(tmp_path: Path) -> None:
    (problem,) = _refusal(tmp_path, SMALL.replace('kind = "manual"', 'kind = "points"'))
    assert "indicator 2.1.2, field rule.kind: an unknown kind of rule" in problem and "'points'" in problem


@pytest.mark.parametrize(
    ("bands", "reason"),
    [
        ("{ above = 90, score = 100 }", "the band 90 < x overlaps the band 75 < x ≦ 95"),
        ("{ from = 95, score = 100 }", "the band 95 ≦ x overlaps the band 75 < x ≦ 95 at 95"),
        ("{ above = 96, score = 100 }", "a gap between the band 75 < x ≦ 95 and the band 96 < x"),
    ],
)
def test_a_band_that_overlaps_another_or_leaves_a_gap_is_refused(
    tmp_path: Path, bands: str, reason: str
) -> None:
    (problem,) = _refusal(tmp_path, SMALL.replace("{ above = 95, score = 100 }", bands))
    assert f"indicator 1.1.2, field rule.bands: {reason}" in problem


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('name = "相关部门评价"\n', "", "indicator 1.2.1, field name: missing"),
        ('name = "履职"\nweight = 60', 'name = "履职"', "indicator 1, field weight: missing"),
        ('[indicator.rule]\nkind = "manual"', "", "indicator 2.1.2, field rule: missing"),
        ("points = 25\ncap = 100", "points = 25", "indicator 2.1.1, field rule.cap: missing"),
        (
            "{ up_to = 75, score = 0 }",
            "{ up_to = 75 }",
            "indicator 1.1.2, field rule.bands[2].score: missing",
        ),
        ('name = "示例部门"\n', "", "the template, field name: missing"),
    ],
)
def test_a_missing_field_is_refused(tmp_path: Path, old: str, new: str, where: str) -> None:
    assert old in SMALL
    assert any(where in problem for problem in _refusal(tmp_path, SMALL.replace(old, new)))


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("weight = 70", "wieght = 70", "indicator 1.1.1, field wieght: an unknown field"),
        (
            'key = "ghost_payroll"',
            'key = "ghosts"',
            "indicator 1.1.1, field rule.occurrences[0].key: an unknown occurrence",
        ),
        (
            'measure = "quota_usage_rate"',
            'measure = "usage"',
            "indicator 1.1.2, field rule.measure: an unknown measure",
        ),
        ("weight = 70", "weight = nan", "indicator 1.1.1, field weight: not a number"),
        ("weight = 70", "weight = 170", "indicator 1.1.1, field weight: out of range"),
        (
            "points = 10, key",
            "points = 0, key",
            "indicator 1.1.1, field rule.occurrences[0].points: out of range",
        ),
        (
            'code = "2.1.2"',
            'code = "2.1.1"',
            "indicator 2.1.1, field code: a second indicator with this code",
        ),
        ('code = "2.1.2"', 'code = "2.2.1"', "indicator 2.2.1, field code: its parent 2.2 is not before it"),
        ('code = "2.1.2"', 'code = "2.1.2.1"', "field code: not the code of an indicator"),
        (
            '{ name = "认可度一般", score = 60 }',
            '{ name = "认可度非常高", score = 60 }',
            "indicator 1.2.1, field rule.grades: names the same grade twice",
        ),
        (
            '{ name = "不合格", at_least = 0 }',
            '{ name = "不合格", at_least = 10 }',
            "the template, field grades: the grades go from the highest",
        ),
        (
            'key = "ghost_payroll"',
            'key = "dormant_item"',
            "indicator 1.1.1, field rule.occurrences[0].at_most: missing",
        ),
    ],
)
def test_a_wrong_field_is_refused(tmp_path: Path, old: str, new: str, where: str) -> None:
    assert old in SMALL
    assert any(where in problem for problem in _refusal(tmp_path, SMALL.replace(old, new)))


def test_a_heading_with_nothing_under_it_or_a_rule_above_the_third_level_is_refused(tmp_path: Path) -> None:
    text = SMALL + '\n[[indicator]]\ncode = "3"\nname = "空"\nweight = 10\n'
    assert any(
        "indicator 3, field code: no indicator of the next level under it" in p
        for p in _refusal(tmp_path, text)
    )
    text = SMALL.replace(
        'name = "肯定"\nweight = 100', 'name = "肯定"\nweight = 100\nrule = { kind = "manual" }'
    )
    assert any(
        "indicator 2.1, field rule: only a third-level indicator has one" in p
        for p in _refusal(tmp_path, text)
    )


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = SMALL.replace("weight = 70", "wieght = 70").replace('kind = "manual"', 'kind = "points"')
    assert len(_refusal(tmp_path, text)) == 3  # the unknown field, the missing weight, the unknown kind


def test_a_file_too_large_or_not_toml_is_refused(tmp_path: Path) -> None:
    path = write_small(tmp_path, SMALL + "#" * MAX_FILE_BYTES)
    with pytest.raises(InvalidData, match=rf"small\.toml: the file is larger than {MAX_FILE_BYTES} bytes"):
        load_template(path)
    with pytest.raises(InvalidData, match=r"small\.toml: the file is not TOML"):
        load_template(write_small(tmp_path, "name = "))
    path.write_bytes(b'name = "\xff"')
    with pytest.raises(InvalidData, match=r"small\.toml: the file is not UTF-8 text"):
        load_template(path)


def test_too_many_indicators_are_refused(tmp_path: Path) -> None:
    many = "".join(
        f'\n[[indicator]]\ncode = "9.{n}"\nname = "多"\nweight = 1\n' for n in range(1, MAX_INDICATORS)
    )
    problems = _refusal(tmp_path, SMALL + many)
    assert problems == [
        f"{tmp_path / 'small.toml'}: the template, field indicator: more than {MAX_INDICATORS} entries "
        f"({SMALL.count('[[indicator]]') + MAX_INDICATORS - 1})"
    ]


def test_two_templates_for_one_kind_of_body_are_refused(tmp_path: Path) -> None:
    write_small(tmp_path)
    write_small(tmp_path, SMALL.replace('name = "示例部门"', 'name = "另一部门"'), "other.toml")
    with pytest.raises(InvalidData) as refused:
        load_system(tmp_path)
    (problem,) = refused.value.problems
    assert "small.toml: the template, field bodies: another template scores this kind of body" in str(problem)
    assert "other.toml" in str(problem) and "组成部门" in str(problem)


def test_a_folder_without_templates_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidData, match=r"1 to 50 \.toml files"):
        load_system(tmp_path)


def test_what_is_written_reads_back_the_same() -> None:
    for path in sorted(SYSTEMS.glob("*.toml")):
        template = load_template(path)
        assert parse_template(template_toml(template), str(path)) == template
    assert len(default_system().templates) == 3
