"""Responsibility traces on the small government: each finding planted and absent, dates as held then."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import MemoryStore
from graph.analyses.trace import CaseTrace, accountability_counts, responsibility, trace_case
from graph.ids import department_id, person_id
from graph.workdays import add_working_days, is_workday, working_days
from loaders.workbook import load_workbook
from tests.builders import Sheets, small, write_xlsx

P = person_id


def _store(tmp_path: Path, sheets: Sheets) -> MemoryStore:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "t.xlsx", sheets), store)
    return store


def _case(sheets: Sheets, case: str, item: str, accepted: str, closed: str, steps: list[tuple]) -> None:
    sheets["办件"].append([case, item, accepted, closed, "准予", ""])
    for step in steps:
        sheets["办件环节"].append([case, *step, ""])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    sheets = small()
    _case(
        sheets,
        "C-003",
        "XK-001",
        "2025-03-03",
        "2025-03-12",  # clean: every stage in time, by its holder
        [
            (1, "P08", "2025-03-03", "2025-03-03"),
            (2, "P04", "2025-03-04", "2025-03-07"),
            (3, "P03", "2025-03-10", "2025-03-12"),
        ],
    )
    _case(
        sheets,
        "C-004",
        "XK-001",
        "2025-04-01",
        "2025-04-08",  # stage 2 skipped
        [(1, "P08", "2025-04-01", "2025-04-01"), (3, "P03", "2025-04-02", "2025-04-08")],
    )
    _case(
        sheets,
        "C-005",
        "XK-002",
        "2025-05-06",
        "2025-05-07",  # SW-11 held by nobody
        [(1, "P07", "2025-05-06", "2025-05-07")],
    )
    _case(
        sheets,
        "C-006",
        "XK-001",
        "2025-06-02",
        "2025-06-06",  # P03 reviews and approves
        [
            (1, "P08", "2025-06-02", "2025-06-02"),
            (2, "P03", "2025-06-03", "2025-06-04"),
            (3, "P03", "2025-06-05", "2025-06-06"),
        ],
    )
    return _store(tmp_path_factory.mktemp("trace"), sheets)


def _trace(store: MemoryStore, case: str) -> CaseTrace:
    found = trace_case(store, f"case:{case}")
    assert found is not None
    return found


def _findings(trace: CaseTrace) -> list[tuple[str, int | None]]:
    return [(finding.kind, finding.step) for finding in trace.findings]


def test_a_clean_case_has_no_findings(store: MemoryStore) -> None:
    trace = _trace(store, "C-003")
    assert trace.findings == ()
    assert [(s.step, s.performer, s.holder_then) for s in trace.stages] == [
        (1, P("P08"), P("P08")),
        (2, P("P04"), P("P04")),
        (3, P("P03"), P("P03")),
    ]
    assert not trace.overdue


def test_the_chain_of_a_stage_as_held_on_the_day(store: MemoryStore) -> None:
    stage = _trace(store, "C-003").stages[1]  # 审核 by the 行政审批科
    assert stage.department == department_id("示例市人民政府", "示例市市场监督管理局")
    assert stage.unit_head == P("P04")  # SJ-11 科长
    assert stage.deputy_in_charge == P("P03")  # SJ-02 分管 行政审批科
    assert stage.department_head == P("P02")  # 王芳, head since 2024-06-01
    assert stage.role == "审核"
    assert stage.triggers == "不依法受理的"
    assert stage.laws == ("article:食品安全法/35",)


def test_a_person_who_holds_the_post_today_but_did_not_then_is_never_named(store: MemoryStore) -> None:
    trace = _trace(store, "C-002")  # May 2023: 张伟 was head, 王芳 (head today) was not
    assert {s.department_head for s in trace.stages if s.department_head} == {P("P01")}
    assert P("P02") not in {
        person
        for s in trace.stages
        for person in (s.holder_then, s.unit_head, s.deputy_in_charge, s.department_head)
    }


def test_not_holder_overdue_stage_and_overdue_case(store: MemoryStore) -> None:
    trace = _trace(store, "C-002")  # P06 did the 审核 of SJ-11, held by P04; 12 working days against 5
    assert _findings(trace) == [("NOT_HOLDER", 2), ("OVERDUE_STAGE", 2), ("CASE_OVERDUE", None)]
    stage = trace.stages[1]
    assert (stage.performer, stage.holder_then, stage.working_days, stage.limit_days) == (
        P("P06"),
        P("P04"),
        12,
        5,
    )
    assert trace.total_working_days == 16 and trace.overdue
    assert "P06" in trace.findings[0].detail and "杨磊" not in trace.findings[0].detail


def test_a_stage_spanning_national_day_counts_working_days(store: MemoryStore) -> None:
    trace = _trace(store, "C-001")
    review = trace.stages[1]  # 2024-09-29 (a make-up Sunday) to 2024-10-09, over the National Day week
    assert (review.started, review.finished, review.working_days) == (date(2024, 9, 29), date(2024, 10, 9), 3)
    approve = trace.stages[2]  # 2024-10-10 to 10-15: Saturday 10-12 is a make-up working day
    assert approve.working_days == 4 and approve.overdue
    assert _findings(trace) == [("OVERDUE_STAGE", 3)]
    assert trace.total_working_days == 9 and not trace.overdue  # promised 10


def test_a_skipped_stage(store: MemoryStore) -> None:
    assert _findings(_trace(store, "C-004")) == [("SKIPPED_STAGE", 2)]


def test_a_vacant_post_done_by_someone_else_is_also_not_holder(store: MemoryStore) -> None:
    trace = _trace(store, "C-005")  # 赵敏, the department head, did the step of the vacant SW-11
    assert _findings(trace) == [("NOT_HOLDER", 1), ("VACANT_POST", 1)]
    assert trace.stages[0].holder_then is None
    not_holder = trace.findings[0]
    assert not_holder.people == (("经办人", P("P07")),) and not_holder.posts == ("post:SW-11",)
    assert "赵敏（P07）" in not_holder.detail_with_names and "科长（SW-11）" in not_holder.detail_with_names
    assert "P07" in not_holder.detail and "赵敏" not in not_holder.detail


def test_no_separation_of_duties(store: MemoryStore) -> None:
    kinds = _findings(_trace(store, "C-006"))
    assert ("NO_SEPARATION", None) in kinds
    assert ("NOT_HOLDER", 2) in kinds  # P03 does not hold the 审核 post either


def test_an_unknown_case(store: MemoryStore) -> None:
    assert trace_case(store, "case:NOPE") is None
    assert trace_case(store, "post:SJ-01") is None


def test_responsibility_of_an_item_on_a_date(store: MemoryStore) -> None:
    before = responsibility(store, "item:XK-001", date(2024, 5, 31))
    after = responsibility(store, "item:XK-001", date(2024, 6, 1))
    assert [s.department_head for s in before] == [None, P("P01"), P("P01")]  # the centre has no head
    assert [s.department_head for s in after] == [None, P("P02"), P("P02")]
    assert [s.holder_then for s in after] == [P("P08"), P("P04"), P("P03")]


def test_accountability_counts(store: MemoryStore) -> None:
    (count,) = accountability_counts(store)
    assert count.department == department_id("示例市人民政府", "示例市市场监督管理局")
    # P04, the unit head, answers for C-002 without having performed a step in it
    assert (count.role, count.responsibility, count.sanction, count.count) == (
        "领导",
        "直接责任",
        "责令书面检查",
        1,
    )


# -- waits between stages, and a vacant post covered ------------------------------------------


@pytest.fixture(scope="module")
def waits(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    """XK-001's cases with waits between stages, and XK-003 (审查 at SJ-13: 孙丽 until 2025-12-31, then
    nobody, 吴磊 from 2026-03-02) for a wait over a change of hands and a vacancy covered by the unit head."""
    sheets = small()
    sheets["岗位"].append(
        ["SJ-13", "示例市市场监督管理局", "行政审批科", "审查员", "工作人员", "科员", "", "审查许可"]
    )
    sheets["任职"] += [
        ["P10", "孙丽", "SJ-13", "2022-01-01", "2026-01-01", "行政编制", "示例市市场监督管理局"],
        ["P11", "吴磊", "SJ-13", "2026-03-02", "", "行政编制", "示例市市场监督管理局"],
    ]
    xk001 = next(row for row in sheets["权责清单"] if row[0] == "XK-001")
    sheets["权责清单"].append(["XK-003", "行政许可", "食品经营许可延续", *xk001[3:]])
    sheets["审批环节"] += [
        ["XK-003", 1, "受理", "承办", "示例市政务服务中心", "综合窗口", "ZW-11", 1],
        ["XK-003", 2, "审查", "承办", "", "行政审批科", "SJ-13", 5],
        ["XK-003", 3, "决定", "批准", "", "", "SJ-02", 3],
    ]
    # 春节 2026: 02-15..02-23 off, Saturday 02-14 a make-up working day; (02-13, 02-24] holds 02-14 and
    # 02-24, two working days in eleven calendar days (without the make-up day, one: no finding)
    _case(
        sheets,
        "C-101",
        "XK-001",
        "2026-02-12",
        "2026-02-26",
        [
            (1, "P08", "2026-02-12", "2026-02-13"),
            (2, "P04", "2026-02-24", "2026-02-25"),
            (3, "P03", "2026-02-25", "2026-02-26"),
        ],
    )
    # Friday 03-06 to Monday 03-09: one working day, the tolerance; to Tuesday 03-10: two
    _case(
        sheets,
        "C-102",
        "XK-001",
        "2026-03-05",
        "2026-03-11",
        [
            (1, "P08", "2026-03-05", "2026-03-06"),
            (2, "P04", "2026-03-09", "2026-03-10"),
            (3, "P03", "2026-03-10", "2026-03-11"),
        ],
    )
    _case(
        sheets,
        "C-103",
        "XK-001",
        "2026-03-05",
        "2026-03-12",
        [
            (1, "P08", "2026-03-05", "2026-03-06"),
            (2, "P04", "2026-03-10", "2026-03-11"),
            (3, "P03", "2026-03-11", "2026-03-12"),
        ],
    )
    # SJ-13 vacant from 2026-01-01 until 吴磊 takes it on 03-02; the wait (02-27, 03-04] is 4 working days:
    # Saturday 02-28 (the Spring Festival's second make-up day), 03-02, 03-03 and 03-04
    _case(
        sheets,
        "C-104",
        "XK-003",
        "2026-02-26",
        "2026-03-06",
        [
            (1, "P08", "2026-02-26", "2026-02-27"),
            (2, "P11", "2026-03-04", "2026-03-05"),
            (3, "P03", "2026-03-05", "2026-03-06"),
        ],
    )
    # 刘洋, the 行政审批科's head (SJ-11), covers the vacant SJ-13
    _case(
        sheets,
        "C-105",
        "XK-003",
        "2026-01-12",
        "2026-01-15",
        [
            (1, "P08", "2026-01-12", "2026-01-12"),
            (2, "P04", "2026-01-12", "2026-01-14"),
            (3, "P03", "2026-01-14", "2026-01-15"),
        ],
    )
    return _store(tmp_path_factory.mktemp("waits"), sheets)


def test_a_wait_over_the_spring_festival_counts_the_make_up_saturday(waits: MemoryStore) -> None:
    trace = _trace(waits, "C-101")
    review = trace.stages[1]
    assert (review.waited_from, review.started, review.waited_days) == (
        date(2026, 2, 13),
        date(2026, 2, 24),
        2,
    )
    assert [s.waited_days for s in trace.stages] == [None, 2, 0]
    assert _findings(trace) == [("IDLE_BETWEEN_STAGES", 2)]
    (idle,) = trace.findings
    assert idle.id == "finding:case:C-101:2:IDLE_BETWEEN_STAGES"
    assert idle.people == (("上一环节经办人", P("P08")), ("等待期间在岗人员", P("P04")))
    assert idle.posts == ("post:SJ-11",)
    assert "等待2个工作日" in idle.detail and "超过容许的1个工作日" in idle.detail
    assert "P08" in idle.detail and "黄勇" not in idle.detail and "刘洋" not in idle.detail
    assert "黄勇（P08）" in idle.detail_with_names and "由刘洋（P04）在岗" in idle.detail_with_names
    assert "科长（SJ-11）" in idle.detail_with_names
    assert _findings(trace_case(waits, "case:C-101", idle_tolerance=2) or trace) == []


def test_a_wait_of_the_tolerance_is_no_finding_and_one_day_more_is(waits: MemoryStore) -> None:
    at_tolerance, over = _trace(waits, "C-102"), _trace(waits, "C-103")
    assert at_tolerance.stages[1].waited_days == 1 and at_tolerance.findings == ()
    assert over.stages[1].waited_days == 2
    assert _findings(over) == [("IDLE_BETWEEN_STAGES", 2)]


def test_a_wait_names_each_holder_of_the_post_while_it_lasted(waits: MemoryStore) -> None:
    trace = _trace(waits, "C-104")
    assert _findings(trace) == [("IDLE_BETWEEN_STAGES", 2)]
    (idle,) = trace.findings
    assert idle.people == (("上一环节经办人", P("P08")), ("等待期间在岗人员", P("P11")))
    assert "等待4个工作日" in idle.detail
    assert "等待开始时责任岗位SJ-13无人在岗；等待期间岗位易手：2026-03-02起由P11在岗" in idle.detail
    assert "2026-03-02起由吴磊（P11）在岗" in idle.detail_with_names


def test_the_unit_head_covering_a_vacant_post_is_vacant_post_and_not_holder(waits: MemoryStore) -> None:
    trace = _trace(waits, "C-105")
    assert _findings(trace) == [("NOT_HOLDER", 2), ("VACANT_POST", 2)]
    stage = trace.stages[1]
    assert (stage.performer, stage.holder_then, stage.unit_head) == (P("P04"), None, P("P04"))
    not_holder, vacant = trace.findings
    assert not_holder.people == (("经办人", P("P04")),) and vacant.posts == ("post:SJ-13",)
    assert "刘洋（P04）" in not_holder.detail_with_names and "该岗位当日无人在岗" in not_holder.detail
    assert "审查员（SJ-13）" in vacant.detail_with_names and "审查员" not in vacant.detail


# -- working days -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        (date(2024, 9, 29), True),  # Sunday, make-up working day for National Day
        (date(2024, 10, 1), False),
        (date(2024, 10, 7), False),
        (date(2024, 10, 12), True),  # Saturday, make-up working day
        (date(2025, 1, 26), True),  # Sunday, make-up working day for the Spring Festival
        (date(2025, 1, 28), False),  # New Year's Eve
        (date(2008, 5, 1), False),  # the first year of the range the issue asks for
        (date(2026, 10, 1), False),
        (date(2026, 11, 27), True),
    ],
)
def test_official_holidays_and_make_up_days(day: date, workday: bool) -> None:
    assert is_workday(day) is workday


def test_the_start_day_does_not_count() -> None:
    assert working_days(date(2025, 3, 3), date(2025, 3, 3)) == 0
    assert working_days(date(2025, 3, 7), date(2025, 3, 10)) == 1  # Friday to Monday


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2008, 1, 1), date(2026, 12, 1)), st.integers(0, 60))
def test_adding_and_counting_working_days_agree(start: date, days: int) -> None:
    end = add_working_days(start, days)
    assert working_days(start, end) == days
