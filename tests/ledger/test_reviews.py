"""Reviews on both backends: the rules of the statuses and their errors, who may review what, the
history, the audit log, and what survives closing the ledger. One body for SQLite and Neo4j."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import pytest

from graph.ledger import (
    AUDIT_COLUMNS,
    REVIEWERS,
    FindingKind,
    InvalidReview,
    LedgerBase,
    ReviewForbidden,
    ReviewStatus,
    audit_rows,
    may_review,
)
from tests.ledger.conftest import AT

OVERLAP = "overlap:item:XK-1|item:XK-2"
ROLES = ("public", "staffing", "investigator", "admin")
#: one finding id of each kind
FINDINGS = {
    FindingKind.OVERLAP: OVERLAP,
    FindingKind.GAP: "gap:UNHELD_DUTY:article:食品安全法:34",
    FindingKind.SPLIT: "split:item:XK-3",
    FindingKind.FINDING: "finding:case:2024-001:3",
    FindingKind.WARNING: "warning:RED:department:示例市市场监督管理局",
    FindingKind.TRANSFER: "transfer:case:2024-002",
}


def test_a_review_is_current_and_every_review_is_in_the_history_in_order(ledger: LedgerBase) -> None:
    first = ledger.review(OVERLAP, "CONFIRMED", role="staffing", reviewer="王芳", at=AT)
    second = ledger.review(
        OVERLAP, ReviewStatus.RECTIFYING, role="staffing", reviewer="李强", at=AT + timedelta(days=1)
    )
    third = ledger.review(
        OVERLAP,
        "dismissed",
        role="admin",
        reviewer="赵敏",
        note="  两部门分工已明确  ",
        at=AT + timedelta(days=2),
    )
    assert ledger.history(OVERLAP) == [first, second, third]
    assert ledger.current([OVERLAP, "gap:never"]) == {OVERLAP: third}
    assert third.note == "两部门分工已明确" and third.status is ReviewStatus.DISMISSED
    assert ledger.history("gap:never") == []


def test_a_dismissal_needs_a_note(ledger: LedgerBase) -> None:
    for note in (None, "", "   "):
        with pytest.raises(InvalidReview, match="note: a DISMISSED review needs a note"):
            ledger.review(OVERLAP, "DISMISSED", role="staffing", reviewer="王芳", note=note, at=AT)
    assert ledger.history(OVERLAP) == [] and ledger.audit() == []


def test_a_rectification_has_a_deadline_30_days_on_by_default(ledger: LedgerBase) -> None:
    late_evening = datetime(2024, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=8)))
    by_default = ledger.review(OVERLAP, "RECTIFYING", role="staffing", reviewer="王芳", at=late_evening)
    assert by_default.deadline == date(2024, 3, 31)  # the review's own day, in its own time zone
    given = ledger.review(
        OVERLAP, "RECTIFYING", role="staffing", reviewer="王芳", deadline=date(2024, 6, 30), at=AT
    )
    assert given.deadline == date(2024, 6, 30)
    assert [review.deadline for review in ledger.history(OVERLAP)] == [date(2024, 3, 31), date(2024, 6, 30)]
    with pytest.raises(InvalidReview, match="deadline: 2024-02-29 is before the day of the review"):
        ledger.review(
            OVERLAP, "RECTIFYING", role="staffing", reviewer="王芳", deadline=date(2024, 2, 29), at=AT
        )
    with pytest.raises(InvalidReview, match="deadline: only a RECTIFYING review has a deadline"):
        ledger.review(
            OVERLAP, "CONFIRMED", role="staffing", reviewer="王芳", deadline=date(2024, 6, 30), at=AT
        )


@pytest.mark.parametrize("status", ["RECTIFIED", "REOPENED"])
def test_rectified_and_reopened_are_set_only_by_loads(ledger: LedgerBase, status: str) -> None:
    with pytest.raises(InvalidReview, match=f"status: {status} is set only by the load of an edition"):
        ledger.review(OVERLAP, status, role="admin", reviewer="赵敏", at=AT)
    assert ledger.history(OVERLAP) == []


def test_bad_statuses_ids_and_times_are_named(ledger: LedgerBase) -> None:
    with pytest.raises(InvalidReview, match="status: 'DONE' is not one of OPEN, CONFIRMED"):
        ledger.review(OVERLAP, "DONE", role="admin", reviewer="赵敏", at=AT)
    with pytest.raises(InvalidReview, match="finding id 'item:XK-1' is of no known kind: it must start with"):
        ledger.review("item:XK-1", "CONFIRMED", role="admin", reviewer="赵敏", at=AT)
    with pytest.raises(InvalidReview, match="at: 2024-03-01T09:30:00 has no time zone"):
        ledger.review(OVERLAP, "CONFIRMED", role="admin", reviewer="赵敏", at=datetime(2024, 3, 1, 9, 30))
    assert ledger.audit() == []


@pytest.mark.parametrize("kind", list(FindingKind))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_review_what(ledger: LedgerBase, kind: FindingKind, role: str) -> None:
    case_kinds = {FindingKind.FINDING, FindingKind.TRANSFER}
    expected = (
        role == "admin"
        or (role == "staffing" and kind not in case_kinds)
        or (role == "investigator" and kind in case_kinds)
    )
    finding = FINDINGS[kind]
    assert may_review(role, finding) is expected and (role in REVIEWERS[kind]) is expected
    if expected:
        assert ledger.review(finding, "CONFIRMED", role=role, reviewer="某人", at=AT).reviewer == "某人"
    else:
        with pytest.raises(ReviewForbidden, match=f"role '{role}' may not review {kind.value} findings"):
            ledger.review(finding, "CONFIRMED", role=role, reviewer="某人", at=AT)
    assert len(ledger.history(finding)) == int(expected)


def test_every_write_is_audited_with_before_and_after(ledger: LedgerBase) -> None:
    first = ledger.review(OVERLAP, "CONFIRMED", role="staffing", reviewer="王芳", at=AT)
    second = ledger.review(OVERLAP, "RECTIFYING", role="staffing", reviewer=None, at=AT + timedelta(hours=1))
    scored = ledger.record(
        "李强",
        "score",
        "indicator:示例市财政局:A1",
        {"score": 3.0},
        {"score": 4.5},
        at=AT + timedelta(hours=2),
    )
    entries = ledger.audit()
    assert [entry.seq for entry in entries] == sorted({entry.seq for entry in entries})
    assert [(entry.actor, entry.action, entry.subject) for entry in entries] == [
        ("王芳", "review", OVERLAP),
        ("staffing", "review", OVERLAP),  # a token without a name: the role
        ("李强", "score", "indicator:示例市财政局:A1"),
    ]
    assert entries[0].before is None and json.loads(entries[0].after or "") == first.to_json()
    assert json.loads(entries[1].before or "") == first.to_json()
    assert json.loads(entries[1].after or "") == second.to_json()
    assert entries[2] == scored and json.loads(scored.before or "") == {"score": 3.0}
    rows = list(csv.reader(io.StringIO(_csv(audit_rows(entries)))))
    assert rows[0] == list(AUDIT_COLUMNS) and len(rows) == 4
    assert rows[1][1:5] == ["王芳", AT.isoformat(), "review", OVERLAP] and rows[1][5] == ""
    assert json.loads(rows[2][5])["reviewer"] == "王芳"


def test_the_ledger_survives_closing(open_ledger: Callable[[], LedgerBase]) -> None:
    ledger = open_ledger()
    made = ledger.review(OVERLAP, "RECTIFYING", role="staffing", reviewer="王芳", note="限期整改", at=AT)
    audit = ledger.audit()
    ledger.close()
    again = open_ledger()
    assert again.history(OVERLAP) == [made] and again.current() == {OVERLAP: made}
    assert again.audit() == audit


def test_threads_write_at_once_and_lose_nothing(ledger: LedgerBase) -> None:
    def burst(worker: int) -> None:
        for number in range(10):
            ledger.review(f"gap:burst:{worker}", "CONFIRMED", role="staffing", reviewer=f"员{number}", at=AT)

    threads = [threading.Thread(target=burst, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {finding: len(ledger.history(finding)) for finding in ledger.current()} == {
        f"gap:burst:{worker}": 10 for worker in range(4)
    }
    entries = ledger.audit()
    assert len(entries) == 40 and len({entry.seq for entry in entries}) == 40
    for finding in ledger.current():  # each entry's before is the review written just before it
        afters = [entry.after for entry in entries if entry.subject == finding]
        befores = [entry.before for entry in entries if entry.subject == finding]
        assert befores == [None, *afters[:-1]]


def _csv(rows: list[list[str]]) -> str:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue()
