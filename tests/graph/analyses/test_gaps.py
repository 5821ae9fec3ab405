"""Gaps on the small government: each kind planted, and its absence where it would be a false alarm."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph import MemoryStore
from graph.analyses import Gap, GapKind, find_gaps
from graph.ids import department_id
from loaders.workbook import load_workbook
from tests.builders import Sheets, small, write_xlsx

AT = date(2026, 11, 28)
MARKET = department_id("示例市人民政府", "示例市市场监督管理局")
COMMERCE = department_id("示例市人民政府", "示例市商务局")


def _gaps(tmp_path: Path, sheets: Sheets, at: date = AT, **options: object) -> list[Gap]:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "gaps.xlsx", sheets), store)
    return find_gaps(store, at=at, **options)  # type: ignore[arg-type]


def _subjects(gaps: list[Gap], kind: GapKind) -> list[str]:
    return sorted(gap.subject_id for gap in gaps if gap.kind is kind)


@pytest.fixture(scope="module")
def gaps(tmp_path_factory: pytest.TempPathFactory) -> list[Gap]:
    return _gaps(tmp_path_factory.mktemp("gaps"), small())


def test_unbased_powers_are_the_empty_and_unreadable_bases(gaps: list[Gap]) -> None:
    assert _subjects(gaps, GapKind.UNBASED_POWER) == [
        "item:JC-001/专项检查",
        "item:JC-001/日常检查",
        "item:QT-001",
    ]


def test_an_unheld_duty_is_an_article_with_a_duty_nobody_cites(gaps: list[Gap]) -> None:
    assert _subjects(gaps, GapKind.UNHELD_DUTY) == ["article:食品安全法/109"]  # 第三十五条 is cited


def test_misplaced_names_the_department_whose_field_the_article_names(tmp_path: Path) -> None:
    sheets = small()
    sheets["法律依据"].append(["酒类流通管理办法", "部门规章", "第六条", "……", "", "县级以上商务主管部门"])
    sheets["法律依据"].append(
        [
            "中华人民共和国食品安全法",
            "法律",
            "第三十九条",
            "……",
            "",
            "县级以上地方人民政府食品安全监督管理部门",
        ]
    )
    sheets["权责清单"].append(
        [
            "XK-003",
            "行政许可",
            "食品小作坊登记",
            "",
            "示例市商务局",
            "市场运行科",
            "《食品安全法》第三十九条",
            "",
            "",
            10,
            5,
            "",
            "",
        ]
    )
    found = [gap for gap in _gaps(tmp_path, sheets) if gap.kind is GapKind.MISPLACED]
    assert [gap.subject_id for gap in found] == ["item:XK-003"]
    assert found[0].department == COMMERCE
    assert "示例市市场监督管理局" in found[0].detail  # 食品安全 is the field of 市场监督管理 (ALIASES)
    # XK-002 cites 酒类流通管理办法 第六条, whose 主管部门 is its own holder's field: not misplaced


def test_functions_not_exercised_and_powers_outside_the_mandate(tmp_path: Path) -> None:
    sheets = small()
    sheets["职能"].append(
        [
            "F-SJ-2",
            "示例市市场监督管理局",
            "市场监管",
            "负责计量器具的强制检定和计量监督管理",
            "执法稽查科",
            "",
        ]
    )
    found = _gaps(tmp_path, sheets)
    assert _subjects(found, GapKind.FUNCTION_NOT_EXERCISED) == ["function:F-SJ-2"]
    # F-SJ-1 (食品经营许可和食品安全监督管理) is carried out by XK-001 食品经营许可, by text and by basis
    outside = _subjects(found, GapKind.POWER_OUTSIDE_MANDATE)
    assert "item:XK-001" not in outside
    assert "item:XK-002" in outside  # 酒类商品零售许可 is not 市场运行监测和商品流通管理 by any measure here
    detail = next(g for g in found if g.subject_id == "function:F-SJ-2").detail
    assert "最接近：JC-001" in detail and "阈值 0.20" in detail


def test_a_lower_threshold_accepts_weaker_matches(tmp_path: Path) -> None:
    strict = _subjects(_gaps(tmp_path, small(), mandate_threshold=0.9), GapKind.POWER_OUTSIDE_MANDATE)
    lenient = _subjects(_gaps(tmp_path, small(), mandate_threshold=0.0), GapKind.POWER_OUTSIDE_MANDATE)
    assert lenient == [] and len(strict) > 2


def test_functions_without_a_unit_and_units_without_posts(tmp_path: Path) -> None:
    sheets = small()
    sheets["职能"][2][4] = ""  # F-SW-1 names no unit
    sheets["内设机构"].append(["示例市商务局", "对外贸易科", 1, ""])
    found = _subjects(_gaps(tmp_path, sheets), GapKind.FUNCTION_WITHOUT_UNIT)
    assert found == ["function:F-SW-1", "unit:示例市人民政府/示例市商务局/对外贸易科"]


def test_a_stage_without_a_post(tmp_path: Path) -> None:
    sheets = small()
    sheets["审批环节"].append(["XK-002", 2, "决定", "批准", "", "", "", 3])
    assert _subjects(_gaps(tmp_path, sheets), GapKind.STAGE_WITHOUT_POST) == ["stage:XK-002/2"]


def test_vacant_posts_are_stage_and_head_posts_held_by_nobody_on_the_date(gaps: list[Gap]) -> None:
    assert _subjects(gaps, GapKind.VACANT_POST) == ["post:SW-11", "post:ZW-01"]


def test_no_head_on_the_date_and_no_head_post_at_all(gaps: list[Gap]) -> None:
    assert _subjects(gaps, GapKind.NO_HEAD) == [
        department_id("示例区人民政府", "示例区市场监督管理局"),  # no head post
        department_id("示例市人民政府", "示例市政务服务中心"),  # ZW-01 is held by nobody
    ]


def test_a_head_change_is_judged_on_the_reference_date(tmp_path: Path) -> None:
    sheets = small()
    sheets["任职"][2][3] = "2024-07-01"  # 王芳 takes over a month after 张伟 left on 2024-06-01

    def market_heads(at: date) -> list[Gap]:
        found = _gaps(tmp_path, sheets, at=at)
        return [g for g in found if g.kind is GapKind.NO_HEAD and g.subject_id == MARKET]

    assert market_heads(date(2024, 6, 15))
    assert not market_heads(date(2024, 5, 31))
    assert not market_heads(date(2024, 7, 1))


def test_staffing_gaps(gaps: list[Gap]) -> None:
    assert _subjects(gaps, GapKind.OVER_QUOTA) == [COMMERCE]  # P06, P07, P09 on 2 places
    assert _subjects(gaps, GapKind.GHOST_PAYROLL) == ["person:P09"]  # on the quota, no post
    assert _subjects(gaps, GapKind.MIXED_QUOTA) == ["person:P06"]  # 商务局's quota, a post in 市场监管
    assert _subjects(gaps, GapKind.CONCURRENT_POSTS) == []


def test_people_who_left_are_not_ghost_payroll(gaps: list[Gap]) -> None:
    ghosts = _subjects(gaps, GapKind.GHOST_PAYROLL)
    assert "person:P01" not in ghosts  # left the head post on 2024-06-01, and the quota with it
    assert "person:P05" not in ghosts


def test_over_quota_counts_only_the_people_there_on_the_date(tmp_path: Path) -> None:
    early = _gaps(tmp_path, small(), at=date(2021, 6, 1))
    assert _subjects(early, GapKind.OVER_QUOTA) == []  # P06 joined in 2024


def test_concurrent_posts(tmp_path: Path) -> None:
    sheets = small()
    sheets["任职"].append(["P03", "李强", "SW-11", "2025-01-01", "", "", ""])
    assert _subjects(_gaps(tmp_path, sheets), GapKind.CONCURRENT_POSTS) == ["person:P03"]


def test_filters_and_order(tmp_path: Path, gaps: list[Gap]) -> None:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "g.xlsx", small()), store)
    only = find_gaps(store, at=AT, kinds={GapKind.NO_HEAD, GapKind.GHOST_PAYROLL})
    assert {gap.kind for gap in only} == {GapKind.NO_HEAD, GapKind.GHOST_PAYROLL}
    assert all(gap.department == COMMERCE for gap in find_gaps(store, at=AT, department=COMMERCE))
    assert [gap.severity for gap in gaps] == sorted((gap.severity for gap in gaps), reverse=True)
    assert find_gaps(store, at=AT) == gaps  # deterministic
