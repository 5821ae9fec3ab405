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


def test_a_vacant_post_is_not_also_a_wrong_holder(store: MemoryStore) -> None:
    trace = _trace(store, "C-005")
    assert _findings(trace) == [("VACANT_POST", 1)]
    assert trace.stages[0].holder_then is None


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
