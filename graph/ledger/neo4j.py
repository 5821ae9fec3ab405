"""The ledger in the graph's Neo4j database, as nodes of its own labels, shared by every service process.

Reviews, manual scores, audit entries, editions and item snapshots are nodes labelled `Review`,
`ManualScore`, `AuditEntry`, `Edition` and `ItemSnapshot`, never `Node`: the graph store's `clear()` and the writes that replace
the graph delete only `:Node` nodes and their edges, so reloading the graph keeps the ledger. One
node `LedgerMeta {name: 'ledger'}` holds the last sequence number; every write locks it first, so
writers queue, records are ordered by their `seq`, and a review reads the current one it replaces in
its own transaction.

An edition's snapshots are many (a province has a million items): each `ItemSnapshot` node holds a
part of them, up to `part_size` items as zlib-compressed JSON, which records and reads a province's
edition about ten times faster than a node per item (bench/ledger.py; the ledger reads an edition
whole, never one item by Cypher). The parts are written first, in transactions of their own, tagged
with the edition's label and a token of this attempt; one last transaction then creates the `Edition`
node naming the token, with its findings and the reviews its load sets. Until then no read sees
them; parts of an attempt that failed or died (no `Edition` names their token) are deleted by the
next attempt at that label.

    >>> ledger = Neo4jLedger(Neo4jSettings.from_env())                     # doctest: +SKIP
    >>> ledger.editions()                                                  # doctest: +SKIP
    []
"""

from __future__ import annotations

import json
import uuid
import zlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from neo4j import ManagedTransaction

from graph.evaluation.results import ManualScore
from graph.ledger.base import SYSTEM, Judge, LedgerBase, audit_json, edition_json
from graph.ledger.model import (
    AuditEntry,
    Edition,
    EditionExists,
    ItemSnapshot,
    Review,
    ReviewStatus,
    Source,
    UnknownEdition,
)
from graph.ledger.scores import SCORE_ACTION, score_from_json, score_json, score_subject
from graph.neo4j.connection import Neo4jConnection
from graph.neo4j.settings import Neo4jSettings

__all__ = ["Neo4jLedger"]


class Neo4jLedger(LedgerBase):
    """The ledger in the database of `connection` (the graph's `Neo4jStore` will do: it is one), or of a
    connection made from `settings` and closed with the ledger. The schema (constraints and indexes of
    the ledger's labels) is set up on the first use. Raises `StoreUnavailable` when the server cannot
    be reached. `part_size` is the items of one `ItemSnapshot` node."""

    def __init__(self, connection: Neo4jConnection | Neo4jSettings, *, part_size: int = 1000) -> None:
        self._owned = isinstance(connection, Neo4jSettings)
        self.connection = Neo4jConnection(connection) if isinstance(connection, Neo4jSettings) else connection
        self.part_size = part_size
        self._schema_ready = False

    def close(self) -> None:
        """Close the connection if the ledger made it (a store given stays open)."""
        if self._owned:
            self.connection.close()

    # -- reads ------------------------------------------------------------------------------------

    def current(self, finding_ids: Iterable[str] | None = None) -> dict[str, Review]:
        if finding_ids is None:
            records = self._read(_LATEST_OF_ALL, {})
        else:
            records = self._read(_LATEST, {"ids": sorted(set(finding_ids))})
        return {review.finding_id: review for review in (_review(record["r"]) for record in records)}

    def history(self, finding_id: str) -> list[Review]:
        records = self._read(
            "MATCH (r:Review {finding: $id}) RETURN properties(r) AS r ORDER BY r.seq", {"id": finding_id}
        )
        return [_review(record["r"]) for record in records]

    def histories(self, finding_ids: Iterable[str]) -> dict[str, list[Review]]:
        records = self._read(
            "UNWIND $ids AS id MATCH (r:Review {finding: id}) RETURN properties(r) AS r ORDER BY r.seq",
            {"ids": sorted(set(finding_ids))},
        )
        found: dict[str, list[Review]] = {}
        for record in records:
            review = _review(record["r"])
            found.setdefault(review.finding_id, []).append(review)
        return found

    def audit(self) -> list[AuditEntry]:
        records = self._read("MATCH (a:AuditEntry) RETURN properties(a) AS a ORDER BY a.seq", {})
        return [_audit(record["a"]) for record in records]

    def scores(self, department: str | None = None) -> list[ManualScore]:
        where = "" if department is None else "WHERE s.department = $department "
        records = self._read(
            f"MATCH (s:ManualScore) {where}WITH s ORDER BY s.seq DESC "
            "WITH s.department AS department, s.code AS code, coalesce(s.period_end, '') AS period_end, "
            "head(collect(s)) AS s RETURN properties(s) AS s ORDER BY department, code, period_end",
            {"department": department},
        )
        return [score_from_json(record["s"]) for record in records]

    def score_history(self, department: str, code: str) -> list[ManualScore]:
        records = self._read(
            "MATCH (s:ManualScore {department: $department, code: $code}) RETURN properties(s) AS s "
            "ORDER BY s.seq",
            {"department": department, "code": code},
        )
        return [score_from_json(record["s"]) for record in records]

    def editions(self) -> list[Edition]:
        records = self._read("MATCH (e:Edition) RETURN properties(e) AS e ORDER BY e.seq", {})
        return [_edition(record["e"]) for record in records]

    def findings(self, label: str) -> list[str]:
        return sorted(self._recorded(label)["findings"])

    def _snapshots(self, label: str) -> list[ItemSnapshot]:
        token = self._recorded(label)["token"]
        records = self._read(
            "MATCH (s:ItemSnapshot {token: $token}) RETURN s.items AS items", {"token": token}
        )
        departments_of: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple for a department's items
        return [
            ItemSnapshot(
                code,
                name,
                power_type,
                sub_item,
                departments_of.setdefault(held := tuple(departments), held),
                basis,
                government,
                bool(code_made),  # a part written before the flag holds seven fields
            )
            for record in records
            for code, name, power_type, sub_item, departments, basis, government, *code_made in json.loads(
                zlib.decompress(record["items"])
            )
        ]

    # -- writes -----------------------------------------------------------------------------------

    def _append_review(self, review: Review, actor: str) -> None:
        def work(tx: ManagedTransaction) -> None:  # two round trips: the lock and the one before, the writes
            found = tx.run(_LOCK_AND_LATEST, n=2, id=review.finding_id).single(strict=True)
            seq, previous = int(found["seq"]), _review(found["r"]) if found["r"] else None
            audit = _audit_props(seq, actor, review.at, "review", review.finding_id, previous, review)
            tx.run(_CREATE_RECORDS, reviews=[_review_props(review, seq - 1)], audit=[audit]).consume()

        self._write(work, "writing a review")

    def _append_score(self, score: ManualScore) -> None:
        def work(tx: ManagedTransaction) -> None:
            seq = _lock(tx, 2)
            found = tx.run(
                _LATEST_SCORE,
                department=score.department,
                code=score.code,
                period_end=score_json(score)["period_end"] or "",
            ).single()
            previous = score_from_json(found["s"]) if found else None
            audit = _audit_props(
                seq, score.scorer, score.at, SCORE_ACTION, score_subject(score), previous, score
            )
            tx.run(
                "CREATE (s:ManualScore) SET s = $score CREATE (a:AuditEntry) SET a = $audit",
                score={**score_json(score), "seq": seq - 1},
                audit=audit,
            ).consume()

        self._write(work, "writing a manual score")

    def _append_audit(
        self, actor: str, at: datetime, action: str, subject: str, before: Any, after: Any
    ) -> AuditEntry:
        def work(tx: ManagedTransaction) -> int:
            seq = _lock(tx, 1)
            audit = _audit_props(seq, actor, at, action, subject, before, after)
            tx.run(_CREATE_RECORDS, reviews=[], audit=[audit]).consume()
            return seq

        seq = self._write(work, "writing an audit entry")
        return AuditEntry(seq, actor, at, action, subject, audit_json(before), audit_json(after))

    def _append_edition(
        self, edition: Edition, items: list[ItemSnapshot], findings: list[str], judge: Judge
    ) -> tuple[list[Review], list[Review]]:
        if self._read("MATCH (e:Edition {label: $label}) RETURN e.seq", {"label": edition.label}):
            raise _exists(edition.label)
        token = uuid.uuid4().hex
        self._delete_snapshots("n.edition = $label", {"label": edition.label})  # of attempts that died
        try:
            self._write_snapshots(edition.label, token, items)

            def work(tx: ManagedTransaction) -> tuple[list[Review], list[Review]]:
                _lock(tx, 0)  # before reading the current reviews, so that none is written meanwhile
                current = {
                    review.finding_id: review for review in (_review(r["r"]) for r in tx.run(_LATEST_OF_ALL))
                }
                changed, overdue = judge(current)
                seq = _lock(tx, 2 + 2 * len(changed))
                if tx.run("MATCH (e:Edition {label: $label}) RETURN e.seq", label=edition.label).single():
                    raise _exists(edition.label)
                tx.run(
                    "CREATE (:Edition {label: $label, seq: $seq, loaded_at: $at, sources: $sources, items: $items, "
                    "findings: $findings, token: $token})",
                    label=edition.label,
                    seq=seq - 1 - 2 * len(changed),
                    at=edition.loaded_at.isoformat(),
                    sources=json.dumps([[s.name, s.sha256] for s in edition.sources], ensure_ascii=False),
                    items=edition.items,
                    findings=findings,
                    token=token,
                ).consume()
                first = seq - 2 * len(changed)  # the edition's audit entry; then each review and its entry
                edition_entry = edition_json(edition, len(findings))
                audit = [
                    _audit_props(
                        first, SYSTEM, edition.loaded_at, "edition", edition.label, None, edition_entry
                    )
                ]
                reviews = []
                for offset, review in enumerate(changed):
                    reviews.append(_review_props(review, first + 1 + 2 * offset))
                    previous = current[review.finding_id]
                    audit.append(
                        _audit_props(
                            first + 2 + 2 * offset,
                            SYSTEM,
                            review.at,
                            "review",
                            review.finding_id,
                            previous,
                            review,
                        )
                    )
                tx.run(_CREATE_RECORDS, reviews=reviews, audit=audit).consume()
                return changed, overdue

            verified: tuple[list[Review], list[Review]] = self._write(work, "recording an edition")
            return verified
        except BaseException:
            self._delete_snapshots("n.token = $token", {"token": token})
            raise

    def _write_snapshots(self, label: str, token: str, items: list[ItemSnapshot]) -> None:
        """The snapshots in parts of `part_size` items, `_PARTS_PER_TRANSACTION` parts a transaction."""
        parts = [
            zlib.compress(
                json.dumps(
                    [_row(item) for item in items[start : start + self.part_size]], ensure_ascii=False
                ).encode(),
                1,
            )
            for start in range(0, len(items), self.part_size)
        ]
        for first in range(0, len(parts), _PARTS_PER_TRANSACTION):

            def work(tx: ManagedTransaction, first: int = first) -> None:
                tx.run(
                    _CREATE_SNAPSHOTS,
                    parts=parts[first : first + _PARTS_PER_TRANSACTION],
                    first=first,
                    label=label,
                    token=token,
                ).consume()

            self._write(work, "writing an edition's item snapshots")

    def _delete_snapshots(self, where: str, params: dict[str, Any]) -> None:
        self._ensure_schema()
        query = (
            f"MATCH (n:ItemSnapshot) WHERE {where} CALL {{ WITH n DELETE n }} IN TRANSACTIONS OF $rows ROWS"
        )
        with (
            self.connection.translated("deleting unrecorded item snapshots"),
            self.connection.session(notifications=False) as session,
        ):
            session.run(query, {**params, "rows": _PARTS_PER_TRANSACTION}).consume()

    # -- the connection ---------------------------------------------------------------------------

    def _recorded(self, label: str) -> dict[str, Any]:
        records = self._read("MATCH (e:Edition {label: $label}) RETURN properties(e) AS e", {"label": label})
        if not records:
            known = ", ".join(edition.label for edition in self.editions()) or "none"
            raise UnknownEdition(f"edition {label!r} is not recorded (recorded: {known})")
        found: dict[str, Any] = records[0]["e"]
        return found

    def _read(self, query: str, params: dict[str, Any]) -> list[Any]:
        self._ensure_schema()
        return self.connection.read_query(query, params, "reading the ledger")

    def _write(self, work: Any, doing: str) -> Any:
        self._ensure_schema()
        with self.connection.translated(doing), self.connection.session() as session:
            return session.execute_write(work)

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with (
            self.connection.translated("setting up the ledger's schema"),
            self.connection.session() as session,
        ):
            for statement in _SCHEMA:
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()
        self._schema_ready = True


_SCHEMA = [
    "CREATE CONSTRAINT quanze_ledger_meta IF NOT EXISTS FOR (m:LedgerMeta) REQUIRE m.name IS UNIQUE",
    "CREATE CONSTRAINT quanze_edition_label IF NOT EXISTS FOR (e:Edition) REQUIRE e.label IS UNIQUE",
    "CREATE INDEX quanze_review_finding IF NOT EXISTS FOR (r:Review) ON (r.finding)",
    "CREATE INDEX quanze_review_seq IF NOT EXISTS FOR (r:Review) ON (r.seq)",
    "CREATE INDEX quanze_score_indicator IF NOT EXISTS FOR (s:ManualScore) ON (s.department, s.code)",
    "CREATE INDEX quanze_audit_seq IF NOT EXISTS FOR (a:AuditEntry) ON (a.seq)",
    "CREATE INDEX quanze_snapshot_token IF NOT EXISTS FOR (s:ItemSnapshot) ON (s.token)",
    "CREATE INDEX quanze_snapshot_edition IF NOT EXISTS FOR (s:ItemSnapshot) ON (s.edition)",
]
_LATEST = (
    "UNWIND $ids AS id MATCH (r:Review {finding: id}) WITH id, r ORDER BY r.seq DESC "
    "WITH id, head(collect(r)) AS r RETURN properties(r) AS r"
)
_LATEST_SCORE = (
    "MATCH (s:ManualScore {department: $department, code: $code}) "
    "WHERE coalesce(s.period_end, '') = $period_end "
    "RETURN properties(s) AS s ORDER BY s.seq DESC LIMIT 1"
)
_LOCK_AND_LATEST = (
    "MERGE (m:LedgerMeta {name: 'ledger'}) SET m.seq = coalesce(m.seq, 0) + $n WITH m.seq AS seq "
    "OPTIONAL MATCH (r:Review {finding: $id}) WITH seq, r ORDER BY r.seq DESC LIMIT 1 "
    "RETURN seq, properties(r) AS r"
)
_CREATE_RECORDS = (
    "FOREACH (props IN $reviews | CREATE (r:Review) SET r = props) "
    "FOREACH (props IN $audit | CREATE (a:AuditEntry) SET a = props)"
)
_LATEST_OF_ALL = "MATCH (r:Review) WITH r ORDER BY r.seq DESC WITH r.finding AS id, head(collect(r)) AS r RETURN properties(r) AS r"
_CREATE_SNAPSHOTS = (
    "UNWIND range(0, size($parts) - 1) AS offset "
    "CREATE (:ItemSnapshot {edition: $label, token: $token, part: $first + offset, items: $parts[offset]})"
)
#: parts of an edition's snapshots written in one transaction (some 2 MB at 1,000 items a part)
_PARTS_PER_TRANSACTION = 50


def _row(item: ItemSnapshot) -> list[Any]:
    return [
        item.code,
        item.name,
        item.power_type,
        item.sub_item,
        list(item.departments),
        item.basis,
        item.government,
        *((True,) if item.code_made else ()),
    ]


def _lock(tx: ManagedTransaction, records: int) -> int:
    """Lock the ledger's sequence, take `records` numbers from it and return the last one."""
    record = tx.run(
        "MERGE (m:LedgerMeta {name: 'ledger'}) SET m.seq = coalesce(m.seq, 0) + $n RETURN m.seq AS seq",
        n=records,
    ).single(strict=True)
    return int(record["seq"])


def _review_props(review: Review, seq: int) -> dict[str, Any]:
    """The properties of a `Review` node (a property set to None is left out)."""
    return {
        "finding": review.finding_id,
        "seq": seq,
        "status": review.status.value,
        "at": review.at.isoformat(),
        "note": review.note,
        "reviewer": review.reviewer,
        "deadline": review.deadline.isoformat() if review.deadline else None,
        "edition": review.edition,
    }


def _audit_props(
    seq: int, actor: str, at: datetime, action: str, subject: str, before: Any, after: Any
) -> dict[str, Any]:
    """The properties of an `AuditEntry` node."""
    return {
        "seq": seq,
        "actor": actor,
        "at": at.isoformat(),
        "action": action,
        "subject": subject,
        "before": audit_json(before),
        "after": audit_json(after),
    }


def _exists(label: str) -> EditionExists:
    return EditionExists(f"edition {label!r} is recorded already; give the new one another label")


def _review(props: dict[str, Any]) -> Review:
    deadline = props.get("deadline")
    return Review(
        props["finding"],
        ReviewStatus(props["status"]),
        datetime.fromisoformat(props["at"]),
        note=props.get("note"),
        reviewer=props.get("reviewer"),
        deadline=date.fromisoformat(deadline) if deadline else None,
        edition=props.get("edition"),
    )


def _audit(props: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        int(props["seq"]),
        props["actor"],
        datetime.fromisoformat(props["at"]),
        props["action"],
        props["subject"],
        props.get("before"),
        props.get("after"),
    )


def _edition(props: dict[str, Any]) -> Edition:
    sources = tuple(Source(name, digest) for name, digest in json.loads(props["sources"]))
    return Edition(props["label"], datetime.fromisoformat(props["loaded_at"]), sources, int(props["items"]))
