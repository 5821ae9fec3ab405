"""The ledger's interface (`Ledger`), and its behaviour written once over a few primitives of storage.

A backend (`graph.ledger.sqlite`, `graph.ledger.neo4j`) stores records and reads them back; what a
review may be, what the load of an edition changes, what goes into the audit log and how two
editions differ is decided here, so that both backends behave the same (tests/ledger run one body
against both). Every write appends: a review record and its audit entry, a manual score and its
audit entry, or an edition, its item
snapshots, its finding ids, the reviews its load sets and their audit entries, each in one
transaction as the backend sees it. The reviews an edition's load sets have no reviewer; their audit
entries name the actor `system`.

    ledger = SQLiteLedger(default_ledger_path())
    ledger.review("overlap:item:a|item:b", "CONFIRMED", role="staffing", reviewer="王芳").status   # <ReviewStatus.CONFIRMED: 'CONFIRMED'>
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any, Protocol

from graph.collector import pausing_collector
from graph.evaluation.results import ManualScore
from graph.ledger.diff import edition_diff, item_identity
from graph.ledger.findings import FindingKind
from graph.ledger.model import (
    AuditEntry,
    Edition,
    EditionDiff,
    EditionRecord,
    ItemSnapshot,
    LedgerError,
    Review,
    ReviewStatus,
    Source,
)
from graph.ledger.rules import decide, now, verify
from graph.ledger.scores import check_record, score_json

__all__ = ["SYSTEM", "Judge", "Ledger", "LedgerBase", "audit_json", "edition_json"]

#: the actor of the audit entries an edition's load writes
SYSTEM = "system"
#: what an edition's load decides from the findings' current reviews: (new reviews, overdue ones)
Judge = Callable[[Mapping[str, Review]], tuple[list[Review], list[Review]]]


class Ledger(Protocol):
    """Where the office's decisions live: reviews of findings, manual scores of indicators, the audit
    log, and the editions."""

    def review(
        self,
        finding_id: str,
        status: ReviewStatus | str,
        *,
        role: str,
        reviewer: str | None,
        note: str | None = None,
        deadline: date | None = None,
        at: datetime | None = None,
    ) -> Review:
        """Record a person's review (see `graph.ledger.rules.decide` for the rules and errors)."""
        ...

    def current(self, finding_ids: Iterable[str] | None = None) -> dict[str, Review]:
        """The current (latest) review of each of these findings that has one (of every one, for None)."""
        ...

    def history(self, finding_id: str) -> list[Review]:
        """Every review of the finding, oldest first (empty for a finding never reviewed: it is OPEN)."""
        ...

    def histories(self, finding_ids: Iterable[str]) -> dict[str, list[Review]]:
        """Every review of each of these findings that has one, oldest first: `history` for many
        findings in one read (a page of findings with their histories)."""
        ...

    def record(
        self, actor: str, action: str, subject: str, before: Any, after: Any, *, at: datetime | None = None
    ) -> AuditEntry:
        """Append an audit entry for a write the ledger does not model itself."""
        ...

    def audit(self) -> list[AuditEntry]:
        """Every audit entry, in the order written."""
        ...

    def record_score(self, score: ManualScore) -> ManualScore:
        """Append a person's score of an indicator and its audit entry (see `LedgerBase.record_score`)."""
        ...

    def scores(self, department: str | None = None) -> list[ManualScore]:
        """The current score of each indicator scored (of one department's, for a `department`)."""
        ...

    def score_history(self, department: str, code: str) -> list[ManualScore]:
        """Every score given to the department's indicator `code`, oldest first."""
        ...

    def record_edition(
        self,
        label: str,
        sources: Iterable[Source],
        items: Iterable[ItemSnapshot],
        findings: Iterable[str],
        *,
        at: datetime | None = None,
        kinds: Collection[FindingKind] | None = None,
    ) -> EditionRecord:
        """Record an edition and verify the findings' reviews against it (see `LedgerBase.record_edition`)."""
        ...

    def editions(self) -> list[Edition]:
        """The editions recorded, in the order they were."""
        ...

    def items(self, label: str) -> list[ItemSnapshot]:
        """The item snapshots of an edition, sorted; raises `UnknownEdition`."""
        ...

    def findings(self, label: str) -> list[str]:
        """The ids of the findings present in an edition, sorted; raises `UnknownEdition`."""
        ...

    def edition_diff(
        self,
        from_label: str,
        to_label: str,
        *,
        identity: Callable[[ItemSnapshot], tuple[str, ...]] = item_identity,
    ) -> EditionDiff:
        """What changed from one edition to the other (`graph.ledger.diff.edition_diff`)."""
        ...

    def close(self) -> None:
        """Release the backend's connections; the records stay."""
        ...


class LedgerBase(ABC):
    """The ledger's behaviour over the primitives a backend implements (the methods below `close`)."""

    def review(
        self,
        finding_id: str,
        status: ReviewStatus | str,
        *,
        role: str,
        reviewer: str | None,
        note: str | None = None,
        deadline: date | None = None,
        at: datetime | None = None,
    ) -> Review:
        """Record a person's review and its audit entry (actor: the reviewer, else the role); return it.

        Raises what `graph.ledger.rules.decide` raises, before anything is written.
        """
        made = decide(finding_id, status, role=role, reviewer=reviewer, note=note, deadline=deadline, at=at)
        self._append_review(made, reviewer or role)
        return made

    def record(
        self, actor: str, action: str, subject: str, before: Any, after: Any, *, at: datetime | None = None
    ) -> AuditEntry:
        """Append an audit entry; `before` and `after` are JSON values (None: nothing)."""
        if not actor or not action or not subject:
            missing = [
                name
                for name, value in (("actor", actor), ("action", action), ("subject", subject))
                if not value
            ]
            raise LedgerError(f"an audit entry needs {', '.join(missing)}")
        return self._append_audit(actor, now() if at is None else at, action, subject, before, after)

    def record_score(self, score: ManualScore) -> ManualScore:
        """Append a person's score of an indicator and its audit entry (actor: the scorer; before: the
        current score of the same department, code and evaluation date); return it.

        Raises `LedgerError` naming the field, before anything is written, for a score that cannot be
        a record (`graph.ledger.scores.check_record`); whether it fits its indicator is the
        scorecard's to check (`graph.evaluation.scorecard.check_score`).
        """
        check_record(score)
        self._append_score(score)
        return score

    @pausing_collector
    def record_edition(
        self,
        label: str,
        sources: Iterable[Source],
        items: Iterable[ItemSnapshot],
        findings: Iterable[str],
        *,
        at: datetime | None = None,
        kinds: Collection[FindingKind] | None = None,
    ) -> EditionRecord:
        """Record the edition `label` with its sources, item snapshots and the ids of the findings present
        in it; then move every finding `CONFIRMED`, `RECTIFYING` or `REOPENED` and absent to `RECTIFIED`,
        and every `RECTIFIED` one present again to `REOPENED` (`graph.ledger.rules.verify`; `kinds`: the
        kinds of finding the edition's analyses looked for, default all). Returns the reviews written
        and the rectifications past their deadline whose findings are still present.

        Raises `EditionExists` when the label is recorded already, and `LedgerError` for an empty label.
        """
        label = label.strip()
        if not label:
            raise LedgerError("label: an edition needs a label (such as 2024)")
        when = now() if at is None else at
        snapshots = list(items)
        present = sorted(set(findings))
        edition = Edition(label, when, tuple(sources), len(snapshots))

        def judge(current: Mapping[str, Review]) -> tuple[list[Review], list[Review]]:
            return verify(current, present, edition=label, at=when, kinds=kinds)

        changed, overdue = self._append_edition(edition, snapshots, present, judge)
        return EditionRecord(edition, changed, overdue)

    @pausing_collector
    def edition_diff(
        self,
        from_label: str,
        to_label: str,
        *,
        identity: Callable[[ItemSnapshot], tuple[str, ...]] = item_identity,
    ) -> EditionDiff:
        """What changed from the edition `from_label` to `to_label`; raises `UnknownEdition`."""
        before, after = self._differing_snapshots(from_label, to_label)
        return edition_diff(
            from_label,
            to_label,
            before,
            after,
            self.findings(from_label),
            self.findings(to_label),
            identity=identity,
        )

    def items(self, label: str) -> list[ItemSnapshot]:
        """The item snapshots of the edition `label`, sorted by code, name, sub-item and government."""
        return sorted(
            self._snapshots(label),
            key=lambda item: (item.code, item.name, item.sub_item or "", item.government or ""),
        )

    # -- what a backend implements -----------------------------------------------------------------

    @abstractmethod
    def current(self, finding_ids: Iterable[str] | None = None) -> dict[str, Review]: ...

    @abstractmethod
    def history(self, finding_id: str) -> list[Review]: ...

    @abstractmethod
    def histories(self, finding_ids: Iterable[str]) -> dict[str, list[Review]]: ...

    @abstractmethod
    def audit(self) -> list[AuditEntry]: ...

    @abstractmethod
    def scores(self, department: str | None = None) -> list[ManualScore]:
        """The latest score of each (department, code, period_end), of every department or of
        `department`, sorted by department, code and period_end (None first)."""

    @abstractmethod
    def score_history(self, department: str, code: str) -> list[ManualScore]: ...

    @abstractmethod
    def editions(self) -> list[Edition]: ...

    @abstractmethod
    def findings(self, label: str) -> list[str]: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def _append_review(self, review: Review, actor: str) -> None:
        """In one transaction: append `review` and an audit entry whose before is the finding's
        current review (JSON, or None) and after the review."""

    @abstractmethod
    def _append_audit(
        self, actor: str, at: datetime, action: str, subject: str, before: Any, after: Any
    ) -> AuditEntry:
        """Append one audit entry (before and after as `audit_json` text) and return it."""

    @abstractmethod
    def _append_score(self, score: ManualScore) -> None:
        """In one transaction: append `score` and an audit entry (`graph.ledger.scores.SCORE_ACTION`,
        actor the scorer) whose before is the current score of its department, code and period_end
        (JSON, or None) and after the score."""

    @abstractmethod
    def _append_edition(
        self, edition: Edition, items: list[ItemSnapshot], findings: list[str], judge: Judge
    ) -> tuple[list[Review], list[Review]]:
        """Append the edition, its items and findings, and the reviews `judge` makes of the current
        reviews (read in the transaction that appends them), with an audit entry for the edition and
        each review; raise `EditionExists` when the label is recorded. Return what `judge` returned."""

    @abstractmethod
    def _snapshots(self, label: str) -> list[ItemSnapshot]:
        """The item snapshots of an edition, in any order; raises `UnknownEdition`."""

    def _differing_snapshots(
        self, from_label: str, to_label: str
    ) -> tuple[list[ItemSnapshot], list[ItemSnapshot]]:
        """The item snapshots of the two editions for their diff: a backend that can tell cheaply which
        items both list alike, field for field, leaves those out (they are in no part of a diff); raises
        `UnknownEdition`."""
        return self._snapshots(from_label), self._snapshots(to_label)


def audit_json(value: Any) -> str | None:
    """A value as the audit log keeps it: JSON text, keys sorted, Chinese as written; None for None."""
    if value is None:
        return None
    if isinstance(value, Review):
        value = value.to_json()
    elif isinstance(value, ManualScore):
        value = score_json(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def edition_json(edition: Edition, findings: int) -> dict[str, Any]:
    """An edition as its audit entry keeps it."""
    return {
        "label": edition.label,
        "loaded_at": edition.loaded_at.isoformat(),
        "sources": [{"name": source.name, "sha256": source.sha256} for source in edition.sources],
        "items": edition.items,
        "findings": findings,
    }
