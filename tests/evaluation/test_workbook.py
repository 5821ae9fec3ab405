"""The shipped indicator system agrees with the real workbook it was read from, and the script that
reads the workbook writes files that keep the rules written in them."""

from __future__ import annotations

import shutil
from math import fsum
from pathlib import Path

import pytest

from graph.evaluation import Indicator, ManualRule, Template, default_system, load_system
from graph.evaluation.loading import SYSTEMS
from loaders.indicators import WorkbookTemplate, main, read_indicator_workbook

WORKBOOK = next(
    (Path(__file__).resolve().parents[2].parent / "shared/data/real/evaluation-indicators").glob("*.xls")
)
#: the indicators the spec says the graph computes (evaluation.md), with the codes of the 政府部门 template
COMPUTED = {
    "4.1.1",
    "4.1.2",
    "4.1.3",
    "2.3.1",
    "2.3.2",
    "2.1.1",
    "2.2.2",
    "1.3.1",
    "1.3.2",
    "4.2.2",
    "1.5.1",
    "1.4.1",
}


@pytest.fixture(scope="module")
def workbook() -> list[WorkbookTemplate]:
    return read_indicator_workbook(WORKBOOK)


def _indicator(template: Template, code: str) -> Indicator:
    found = template.find(code)
    assert found is not None, f"{template.name} has no indicator {code}"
    return found


def _shipped(name: str) -> Template:
    template = default_system().template(name)
    assert template is not None, f"no shipped template {name}"
    return template


def test_every_sheet_is_a_shipped_template(workbook: list[WorkbookTemplate]) -> None:
    assert [found.template.name for found in workbook] == ["党委部门", "政府部门", "直属事业单位"]
    assert sorted(t.name for t in default_system().templates) == sorted(f.template.name for f in workbook)


def test_every_indicator_name_weight_and_text_agrees(workbook: list[WorkbookTemplate]) -> None:
    for found in workbook:
        read, shipped = found.template, _shipped(found.template.name)
        assert [i.code for i in shipped.indicators] == [i.code for i in read.indicators], read.name
        for mine, theirs in zip(shipped.indicators, read.indicators, strict=True):
            assert (mine.name, mine.weight, mine.level, mine.parent) == (
                theirs.name,
                theirs.weight,
                theirs.level,
                theirs.parent,
            ), f"{read.name} {mine.code}"
            assert (mine.points, mine.scoring) == (theirs.points, theirs.scoring), f"{read.name} {mine.code}"
        assert (shipped.title, shipped.period_years, shipped.own) == (read.title, read.period_years, read.own)


def test_the_weights_of_each_level_sum_as_the_workbook_says(workbook: list[WorkbookTemplate]) -> None:
    for found in workbook:
        read = found.template
        assert found.common_max == 100  # 共性指标100分，个性指标20分
        assert read.own is not None and read.own.max_score == 20
        for parent in [None, *(i.code for i in read.indicators if i.level < 3)]:
            under = read.children(parent)
            assert under and fsum(i.weight for i in under) == 100, f"{read.name} under {parent}"
        assert read.common_max == found.common_max
        assert _shipped(read.name).max_total == found.common_max + read.own.max_score


def test_the_workbook_is_read_with_its_quirks_noted(workbook: list[WorkbookTemplate]) -> None:
    party = workbook[0]
    notes = [str(note) for note in party.notes]
    # 3.1's weight stands in the 二级 column but is labelled 所在一级指标权重100%
    assert any("3.1: the weight in the 二级 column is labelled 一级" in note for note in notes)
    assert _indicator(party.template, "3.1").weight == 100
    # 履行机构编制主体责任情况 has no code in the workbook: it is the only indicator under 1.1
    assert _indicator(party.template, "1.1.1").name == "履行机构编制主体责任情况"
    assert sum("has no code" in note for note in notes) == 3
    government = workbook[1].template
    assert _indicator(government, "1.5.1").name == "解决问题的时效性"
    assert _indicator(government, "4.1.1").scoring.endswith("使用率≦60%，扣100分。")
    assert _indicator(government, "4.1.1").points == "部门编制资源使用效率。"
    assert all(isinstance(i.rule, ManualRule) for i in government.scored)


def test_the_spec_s_computed_indicators_have_rules_the_graph_decides() -> None:
    government = _shipped("政府部门")
    assert {i.code for i in government.scored if i.rule is not None and i.rule.graph_keys} == COMPUTED
    for name in ("政府部门", "党委部门", "直属事业单位"):
        for indicator in _shipped(name).scored:
            assert not isinstance(indicator.rule, ManualRule), f"{name} {indicator.code} has no rule written"


def test_the_script_keeps_the_rules_written_in_the_files(tmp_path: Path) -> None:
    shutil.copytree(SYSTEMS, tmp_path / "systems")
    assert main([str(WORKBOOK), "--out", str(tmp_path / "systems")]) == 0
    for path in sorted(SYSTEMS.glob("*.toml")):
        assert (tmp_path / "systems" / path.name).read_text(encoding="utf-8") == path.read_text(
            encoding="utf-8"
        )


def test_the_script_writes_skeletons_that_load(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(WORKBOOK), "--out", str(tmp_path)]) == 0
    written = capsys.readouterr()
    assert sorted(Path(line).name for line in written.out.split()) == [
        "government.toml",
        "party-committee.toml",
        "public-institution.toml",
    ]
    assert "read as 1.1.1" in written.err
    skeleton = load_system(tmp_path)
    for template in skeleton.templates:
        assert template.bodies == ()
        assert all(isinstance(i.rule, ManualRule) for i in template.scored)
        shipped = _shipped(template.name)
        assert [(i.code, i.name, i.weight) for i in template.indicators] == [
            (i.code, i.name, i.weight) for i in shipped.indicators
        ]


def test_the_script_refuses_what_is_not_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "指标.xls"
    bad.write_bytes(b"not a workbook")
    assert main([str(bad), "--out", str(tmp_path / "out")]) == 1
    assert "指标.xls" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
