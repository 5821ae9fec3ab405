"""The computed indicators on hand-made departments, each score worked out on paper in its test.

The workbook is the small government of `tests.builders` with what the indicators need added
(`evaluated`): 领导职数, 任职方式 (one written in traditional script), a third unit of 示例市市场监督管理局
sharing a duty, a function no unit carries, a ghost on the payroll, a short and a long secondment and
an open case. The date is 2025-06-30, so the period of the templates (five years) starts 2020-06-30.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph import MemoryStore
from graph.evaluation import default_system
from graph.evaluation.compute import Evaluation, UnknownDepartment
from graph.evaluation.results import IndicatorResult
from graph.ids import department_id
from loaders.workbook import load_workbook
from tests.builders import Sheets, small, write_xlsx

AT = date(2025, 6, 30)
MARKET = department_id("示例市人民政府", "示例市市场监督管理局")
COMMERCE = department_id("示例市人民政府", "示例市商务局")
CENTRE = department_id("示例市人民政府", "示例市政务服务中心")


def evaluated() -> Sheets:
    """The small government with the data every computed indicator needs."""
    sheets = small()
    departments = sheets["部门"]
    departments[0].append("领导职数")
    for row, quota in zip(departments[1:], (2, "", 5, ""), strict=True):
        row.append(quota)
    departments[1][5] = 5  # 市场监督管理局: 5 行政编制
    units = sheets["内设机构"]
    units[1][2], units[2][2] = 1, 2  # 行政审批科 1, 执法稽查科 2
    units.append(["示例市市场监督管理局", "综合科", 4, "负责案件查处；负责文电会务"])
    holdings = sheets["任职"]
    holdings[0].append("任职方式")
    modes = {"P03": "兼任", "P04": "借調"}  # 借調: traditional script
    for row in holdings[1:]:
        row.append(modes.get(row[0], ""))
    holdings.append(["P10", "孙丽", "", "", "", "行政编制", "示例市市场监督管理局", ""])
    holdings.append(["P11", "吴刚", "SJ-21", "2025-01-01", "", "", "", "借调"])
    sheets["职能"].append(["F-SJ-2", "示例市市场监督管理局", "市场监管", "负责计量器具强制检定管理", "", ""])
    sheets["办件"].append(["C-003", "XK-001", "2025-06-01", "", "", ""])
    return sheets


def _evaluate(tmp_path: Path, sheets: Sheets, at: date = AT) -> Evaluation:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "evaluated.xlsx", sheets), store)
    return Evaluation(store, at)


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    return _evaluate(tmp_path_factory.mktemp("evaluation"), evaluated())


@pytest.fixture(scope="module")
def market(evaluation: Evaluation) -> dict[str, IndicatorResult]:
    return evaluation.indicators(MARKET)


def _keys(result: IndicatorResult) -> list[str]:
    return [deduction.key for deduction in result.deductions]


def test_the_template_follows_the_kind_of_body(evaluation: Evaluation) -> None:
    assert evaluation.template(MARKET).name == "政府部门"  # 组成部门
    assert evaluation.template(CENTRE).name == "直属事业单位"  # 事业单位
    with pytest.raises(UnknownDepartment):
        evaluation.indicators("department:示例市人民政府/没有这个局")


def test_every_indicator_with_graph_keys_is_answered(market: dict[str, IndicatorResult]) -> None:
    template = default_system().template("政府部门")
    assert template is not None
    expected = [i.code for i in template.scored if i.rule is not None and i.rule.graph_keys]
    assert list(market) == expected


def test_quota_usage_rate_is_banded(market: dict[str, IndicatorResult], evaluation: Evaluation) -> None:
    # P02, P03, P04 and the ghost P10 sit on its 行政编制 on the date (P01 left, P11 is on none):
    # 4 / 5 = 80%, in 75 < x ≦ 85 -> 50
    usage = market["4.1.1"]
    assert (usage.computed, usage.measure, usage.score) == (True, 80.0, 50.0)
    assert "在编 4 人" in usage.evidence[0] and "部门 第2行" in usage.evidence[0]
    # 商务局: P06, P07, P09 on 2 places: 150%, above 95 -> 100 (its over-quota is 2.3.1's)
    assert evaluation.indicators(COMMERCE)["4.1.1"].score == 100.0


def test_ghost_payroll(market: dict[str, IndicatorResult]) -> None:
    # P10 is on the quota and holds no post: 1 × 50 off -> 50
    ghost = market["4.1.2"]
    assert ghost.score == 50.0
    assert ghost.findings == ("gap:GHOST_PAYROLL:person:P10",)
    assert ghost.deductions[0].evidence.startswith("任职 第11行：P10")
    assert "孙丽" not in ghost.deductions[0].evidence  # people by their 人员编号 only


def test_long_secondment_counts_only_secondments_over_a_year(market: dict[str, IndicatorResult]) -> None:
    # P04 (借調, from 2021-01-01) is seconded for over four years; P11 (借调, from 2025-01-01) for half
    # a year; P03 holds concurrently (兼任): 1 × 10 off -> 90
    secondment = market["4.1.3"]
    assert secondment.score == 90.0
    assert len(secondment.deductions) == 1
    assert secondment.deductions[0].evidence.startswith("P04 借调至 SJ-11")


def test_over_quota_and_mixed_quota(evaluation: Evaluation, market: dict[str, IndicatorResult]) -> None:
    # 商务局: 3 people on 2 places (over quota), and P06 on its quota works in 市场监督管理局 (mixed):
    # 50 + 50 = 100 off -> 0
    staffing = evaluation.indicators(COMMERCE)["2.3.1"]
    assert staffing.score == 0.0
    assert sorted(_keys(staffing)) == ["mixed_quota", "over_quota"]
    assert all(d.finding and d.finding.startswith("gap:") for d in staffing.deductions)
    assert market["2.3.1"].score == 100.0  # 4 on 5 places, nobody of it on another's quota


def test_over_the_leadership_quota_one_occurrence_per_post(market: dict[str, IndicatorResult]) -> None:
    # held on the date: SJ-01 (P02 from 2024-06-01), SJ-02, SJ-11, SJ-21 (P11 from 2025-01-01) = 4 on a
    # 领导职数 of 2: the two filled last are over, 2 × 50 = 100 off -> 0
    leaders = market["2.3.2"]
    assert leaders.score == 0.0
    assert [d.evidence.split("（")[0] for d in leaders.deductions] == [
        "领导岗位 SJ-01 局长",
        "领导岗位 SJ-21 科长",
    ]


def test_overreach_absence_and_misplacement(market: dict[str, IndicatorResult]) -> None:
    # QT-001 matches none of its charter's functions (越位), F-SJ-2 no item carries out (缺位): 2 × 25 off -> 50
    duties = market["2.1.1"]
    assert duties.score == 50.0
    assert duties.findings == (
        "gap:POWER_OUTSIDE_MANDATE:item:QT-001",
        "gap:FUNCTION_NOT_EXERCISED:function:F-SJ-2",
    )
    assert duties.person_counts  # 未经批准将职责委托 is counted by a person


def test_unit_duty_overlap_and_gap(market: dict[str, IndicatorResult]) -> None:
    # 执法稽查科 and 综合科 both list 负责案件查处 (交叉), F-SJ-2 has no unit (空白): 25 + 25 off -> 50
    units = market["2.2.2"]
    assert units.score == 50.0
    assert _keys(units) == ["unit_duty_overlap", "unit_duty_gap"]
    assert "执法稽查科与综合科" in units.deductions[0].evidence
    assert "内设机构 第3、6行" in units.deductions[0].evidence
    assert units.findings == ("gap:FUNCTION_WITHOUT_UNIT:function:F-SJ-2",)  # not 综合科 without posts


def test_dormant_items_from_the_case_log(tmp_path: Path, market: dict[str, IndicatorResult]) -> None:
    # of its licensing items (the only type the log records), XK-001 ran 3 times in the period,
    # not more than 3: 1 × 25 off -> 75; CF-001 and JC-001 (no penalty or inspection is logged) do not count
    assert market["1.3.1"].score == 75.0
    assert market["1.3.1"].deductions[0].evidence.startswith("事项 XK-001 食品经营许可")
    sheets = evaluated()
    sheets["办件"].append(["C-004", "XK-001", "2025-03-03", "2025-03-05", "准予", ""])  # a 4th run
    sheets["办件"].append(["C-005", "XK-001", "2019-03-04", "2019-03-05", "准予", ""])  # before the period
    assert _evaluate(tmp_path, sheets).indicators(MARKET)["1.3.1"].score == 100.0


def test_overdue_cases_closed_late_or_open_past_the_limit(market: dict[str, IndicatorResult]) -> None:
    # XK-001 promises 10 working days: C-002 took 16 (closed late), C-003 is open after 20 on the date
    # (June 2025 less the Dragon Boat holiday on 06-02), C-001 took 9: 2 × 50 off -> 0
    overdue = market["1.5.1"]
    assert overdue.score == 0.0
    assert [d.evidence.split("（")[0] for d in overdue.deductions] == ["办件 C-002", "办件 C-003"]
    assert "用时 16 个工作日" in overdue.deductions[0].evidence
    assert "已用 20 个工作日" in overdue.deductions[1].evidence
    # the closed case's deduction is the trace's CASE_OVERDUE finding; the open one is no finding yet
    assert overdue.findings == ("finding:case:C-002:-:CASE_OVERDUE",)


def test_rank_mismatches_between_work_and_quota(market: dict[str, IndicatorResult]) -> None:
    # units with a quota: 行政审批科 (quota 1), 执法稽查科 (2), 综合科 (4). 1.3.2 counts the cases of the
    # items each handles: 3, 0, 0; 4.2.2 the case steps at its stages: 2 (C-001 and C-002, step 2), 0, 0.
    # 行政审批科 is in the top third by work and the bottom third by quota in both; 综合科 is top by
    # quota but ties 执法稽查科 at the bottom by work, so not in its bottom third: 1 × 25 off -> 75
    for code in ("1.3.2", "4.2.2"):
        assert market[code].score == 75.0, code
        assert len(market[code].deductions) == 1
        assert market[code].deductions[0].evidence.startswith("内设机构行政审批科")


def test_split_approvals_and_overlaps(market: dict[str, IndicatorResult]) -> None:
    # two split approvals (the XK-002 ← XK-001 chain, XK-001's stages) and the joint item QT-001:
    # 3 × 50 = 150, at most 100 off -> 0
    cooperation = market["1.4.1"]
    assert cooperation.score == 0.0
    assert sorted(_keys(cooperation)) == ["overlap", "split_approval", "split_approval"]
    assert {f.split(":")[0] for f in cooperation.findings} == {"split", "overlap"}
    assert all("权责清单 第" in d.evidence for d in cooperation.deductions)


def test_no_leader_quota_leaves_the_leadership_indicator_not_computed(evaluation: Evaluation) -> None:
    leaders = evaluation.indicators(COMMERCE)["2.3.2"]
    assert (leaders.computed, leaders.score, leaders.absent) == (False, None, "工作簿未提供本部门领导职数")


def test_too_few_units_are_not_ranked(evaluation: Evaluation) -> None:
    result = evaluation.indicators(COMMERCE)["1.3.2"]
    assert not result.computed and result.absent and "不足3个" in result.absent


def test_without_a_case_log_its_indicators_are_not_computed(tmp_path: Path) -> None:
    sheets = evaluated()
    for name in ("办件", "办件环节", "问责"):
        del sheets[name]
    results = _evaluate(tmp_path, sheets).indicators(MARKET)
    for code in ("1.3.1", "1.3.2", "1.5.1", "4.2.2"):
        assert not results[code].computed and results[code].score is None, code
    assert results["1.5.1"].absent == "工作簿未提供办件记录"
    assert results["4.1.2"].computed  # the staffing ones still are


def test_without_staffing_records_their_indicators_are_not_computed(tmp_path: Path) -> None:
    sheets = evaluated()
    for name in ("岗位", "任职", "办件环节", "问责"):
        del sheets[name]
    for stage in sheets["审批环节"][1:]:
        stage[6] = ""  # no posts to answer for the stages
    results = _evaluate(tmp_path, sheets).indicators(MARKET)
    for code in ("2.3.1", "4.1.1", "4.1.2", "4.1.3", "4.2.2"):
        assert not results[code].computed, code
    assert results["4.1.2"].absent == "工作簿未提供任职（实名制）数据"


def test_without_the_mode_column_secondments_are_not_computed(tmp_path: Path) -> None:
    sheets = evaluated()
    sheets["任职"] = [row[:-1] for row in sheets["任职"]]
    secondment = _evaluate(tmp_path, sheets).indicators(MARKET)["4.1.3"]
    assert (secondment.computed, secondment.absent) == (False, "工作簿未提供任职方式（借调）")


def test_a_party_body_is_scored_by_the_party_template(tmp_path: Path) -> None:
    sheets = evaluated()
    sheets["部门"].append(["中共示例市委组织部", "ZZB", "示例市人民政府", "党委工作部门", "", 4, "", 3])
    evaluation = _evaluate(tmp_path, sheets)
    party = department_id("示例市人民政府", "中共示例市委组织部")
    assert evaluation.template(party).name == "党委部门"
    # nobody on its 4 places: 0%, in x ≦ 60 -> 0
    assert evaluation.indicators(party)["4.1.1"].score == 0.0
