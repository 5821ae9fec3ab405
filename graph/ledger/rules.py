"""The rules of the statuses, as code: what a person may decide, and what the load of an edition sets.

A person's review (`decide`) may set `OPEN`, `CONFIRMED`, `DISMISSED` (with a note saying why) or
`RECTIFYING` (with a deadline: by default `RECTIFICATION_DAYS`, 30 calendar days after the day of the
review, counted in the review's own time zone); `RECTIFIED` and `REOPENED` are set only by the load of
an edition (`verify`), never by a person.

    >>> at = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    >>> decide("overlap:x", "RECTIFYING", role="staffing", reviewer="王芳", at=at).deadline
    datetime.date(2024, 3, 31)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime, timedelta

from graph.ledger.findings import FindingKind, check_reviewer, finding_kind
from graph.ledger.model import InvalidReview, Review, ReviewStatus

__all__ = ["BY_LOADS", "RECTIFICATION_DAYS", "decide", "now", "verify"]

#: the calendar days a rectification is given when the review sets no deadline
RECTIFICATION_DAYS = 30
#: the statuses only the load of an edition sets
BY_LOADS = frozenset({ReviewStatus.RECTIFIED, ReviewStatus.REOPENED})
#: the statuses whose finding, gone from a new edition, is verified as rectified
_TO_VERIFY = frozenset({ReviewStatus.CONFIRMED, ReviewStatus.RECTIFYING, ReviewStatus.REOPENED})


def now() -> datetime:
    """The time of a write: now, in UTC."""
    return datetime.now(UTC)


def decide(
    finding_id: str,
    status: ReviewStatus | str,
    *,
    role: str,
    reviewer: str | None,
    note: str | None = None,
    deadline: date | None = None,
    at: datetime | None = None,
) -> Review:
    """The review a person of `role` makes, once the rules allow it.

    Raises `ReviewForbidden` when the role may not review the finding's kind, and `InvalidReview`
    naming the field for an unknown status or finding kind, a status set only by loads, a
    `DISMISSED` review without a note, a deadline on another status than `RECTIFYING` or before the
    day of the review, or a naive `at`.

        >>> decide("gap:x", "DISMISSED", role="staffing", reviewer="王芳")
        Traceback (most recent call last):
        graph.ledger.model.InvalidReview: note: a DISMISSED review needs a note saying why
    """
    chosen = _status(status)
    check_reviewer(role, finding_id)
    when = now() if at is None else at
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidReview(f"at: {when.isoformat()} has no time zone; give an aware datetime")
    if chosen in BY_LOADS:
        raise InvalidReview(
            f"status: {chosen.value} is set only by the load of an edition, never by a reviewer"
        )
    note = note.strip() if note and note.strip() else None
    if chosen is ReviewStatus.DISMISSED and note is None:
        raise InvalidReview("note: a DISMISSED review needs a note saying why")
    if deadline is not None and chosen is not ReviewStatus.RECTIFYING:
        raise InvalidReview(f"deadline: only a RECTIFYING review has a deadline, not a {chosen.value} one")
    if chosen is ReviewStatus.RECTIFYING:
        if deadline is None:
            deadline = when.date() + timedelta(days=RECTIFICATION_DAYS)
        elif deadline < when.date():
            raise InvalidReview(
                f"deadline: {deadline.isoformat()} is before the day of the review, {when.date()}"
            )
    return Review(finding_id, chosen, when, note=note, reviewer=reviewer, deadline=deadline)


def verify(
    current: Mapping[str, Review],
    present: Collection[str],
    *,
    edition: str,
    at: datetime,
    kinds: Collection[FindingKind] | None = None,
) -> tuple[list[Review], list[Review]]:
    """What the load of the edition `edition` sets, given the findings' current reviews and the ids of
    the findings `present` in it: the new reviews, and the overdue rectifications (current reviews).

    A finding `CONFIRMED`, `RECTIFYING` or `REOPENED` and absent becomes `RECTIFIED`; one `RECTIFIED`
    and present again becomes `REOPENED`; each new review carries the edition's label and no reviewer.
    A `RECTIFYING` finding still present whose deadline is before the day of `at` is overdue.
    Only findings of `kinds` (default: every kind) are judged by their absence: an edition whose
    analyses did not look for a kind (case traces are not run at a load) says nothing of it.
    Both lists are sorted by finding id.

        >>> at = datetime(2025, 3, 1, tzinfo=UTC)
        >>> confirmed = Review("overlap:x", ReviewStatus.CONFIRMED, at - timedelta(days=300))
        >>> [review.status for review in verify({"overlap:x": confirmed}, [], edition="2025", at=at)[0]]
        [<ReviewStatus.RECTIFIED: 'RECTIFIED'>]
    """
    judged = frozenset(FindingKind) if kinds is None else frozenset(kinds)
    present = set(present)
    changed: list[Review] = []
    overdue: list[Review] = []
    for finding_id in sorted(current):
        review = current[finding_id]
        if finding_id in present:
            if review.status is ReviewStatus.RECTIFIED:
                changed.append(Review(finding_id, ReviewStatus.REOPENED, at, edition=edition))
            elif review.status is ReviewStatus.RECTIFYING and review.deadline and review.deadline < at.date():
                overdue.append(review)
        elif review.status in _TO_VERIFY and finding_kind(finding_id) in judged:
            changed.append(Review(finding_id, ReviewStatus.RECTIFIED, at, edition=edition))
    return changed, overdue


def _status(status: ReviewStatus | str) -> ReviewStatus:
    if isinstance(status, ReviewStatus):
        return status
    try:
        return ReviewStatus(status.strip().upper())
    except ValueError:
        names = ", ".join(ReviewStatus)
        raise InvalidReview(f"status: {status!r} is not one of {names}") from None
