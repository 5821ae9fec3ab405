"""What the ledger holds: reviews and their statuses, audit entries, editions and their item snapshots.

Every record is a frozen value; the ledger only ever appends them. A finding's current review is its
latest record and its history all of them in order (shared/spec/ledger.md).

    >>> Review("overlap:1", ReviewStatus.CONFIRMED, datetime.fromisoformat("2024-03-01T09:00+08:00")).status
    <ReviewStatus.CONFIRMED: 'CONFIRMED'>
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from graph.errors import QuanzeError

__all__ = [
    "AuditEntry",
    "Edition",
    "EditionDiff",
    "EditionExists",
    "EditionRecord",
    "InvalidReview",
    "ItemChange",
    "ItemSnapshot",
    "LedgerError",
    "Review",
    "ReviewForbidden",
    "ReviewStatus",
    "Source",
    "UnknownEdition",
]


class LedgerError(QuanzeError):
    """A write or read the ledger refuses."""


class InvalidReview(LedgerError):
    """A review that breaks a rule of the statuses (a missing note or deadline, a status set by loads …)."""


class ReviewForbidden(LedgerError):
    """The caller's role may not review this kind of finding."""


class EditionExists(LedgerError):
    """An edition with this label is already recorded."""


class UnknownEdition(LedgerError):
    """No edition with this label is recorded."""


class ReviewStatus(StrEnum):
    """Where a finding stands in the office's cycle (shared/spec/ledger.md, "Reviews")."""

    OPEN = "OPEN"
    CONFIRMED = "CONFIRMED"
    DISMISSED = "DISMISSED"
    RECTIFYING = "RECTIFYING"
    RECTIFIED = "RECTIFIED"
    REOPENED = "REOPENED"


@dataclass(frozen=True, slots=True)
class Review:
    """One decision on a finding: by a person, or by the load of an edition (`edition` set, no reviewer).

    `at` is an aware datetime; `deadline` is the day a `RECTIFYING` finding is to be fixed by.
    """

    finding_id: str
    status: ReviewStatus
    at: datetime
    note: str | None = None
    reviewer: str | None = None
    deadline: date | None = None
    edition: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The review as JSON values, as the audit log keeps it (dates in ISO 8601)."""
        return {
            "finding_id": self.finding_id,
            "status": self.status.value,
            "at": self.at.isoformat(),
            "note": self.note,
            "reviewer": self.reviewer,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "edition": self.edition,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Review:
        """The review `to_json` gave."""
        deadline = data.get("deadline")
        return cls(
            finding_id=data["finding_id"],
            status=ReviewStatus(data["status"]),
            at=datetime.fromisoformat(data["at"]),
            note=data.get("note"),
            reviewer=data.get("reviewer"),
            deadline=date.fromisoformat(deadline) if deadline else None,
            edition=data.get("edition"),
        )


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One write, as the audit log keeps it: who, when, what, on what, and the values before and after
    as JSON text (None where there was nothing: a first review has no before). `seq` orders the log."""

    seq: int
    actor: str
    at: datetime
    action: str
    subject: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class Source:
    """A file an edition was read from, by its name and the SHA-256 digest of its bytes."""

    name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class ItemSnapshot:
    """A power item as one edition lists it (the spec's `ItemSnapshot`); `government` is the government
    whose list holds it, which a code alone does not tell (several governments' lists share codes);
    `code_made` says the reader made the code from the list's 序号 (`graph.identity`)."""

    code: str
    name: str
    power_type: str
    sub_item: str | None = None
    departments: tuple[str, ...] = ()
    basis: str | None = None
    government: str | None = None
    code_made: bool = False


@dataclass(frozen=True, slots=True)
class Edition:
    """A load recorded in the ledger: its label (`2024`), when it was loaded, its sources, how many items."""

    label: str
    loaded_at: datetime
    sources: tuple[Source, ...]
    items: int


@dataclass(frozen=True, slots=True)
class EditionRecord:
    """What recording an edition did: the reviews it wrote (findings `RECTIFIED` or `REOPENED`), and the
    rectifications past their deadline whose findings are still present (their current reviews)."""

    edition: Edition
    changed: list[Review] = field(default_factory=list)
    overdue: list[Review] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ItemChange:
    """An item both editions list, with the fields whose values differ (`name`, `basis` …)."""

    code: str
    fields: tuple[str, ...]
    before: ItemSnapshot
    after: ItemSnapshot


@dataclass(frozen=True, slots=True)
class EditionDiff:
    """What changed from one edition to another: items and findings, each list sorted."""

    from_label: str
    to_label: str
    added: list[ItemSnapshot]
    removed: list[ItemSnapshot]
    changed: list[ItemChange]
    findings_appeared: list[str]
    findings_resolved: list[str]
