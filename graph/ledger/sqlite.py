"""The ledger in an embedded SQLite file: what the memory store's service writes its decisions to.

The file is opened in WAL mode with `synchronous=FULL`, so a write acknowledged is on disk and
survives a crash of the process or of the machine; every write is one transaction (`BEGIN
IMMEDIATE`: writers queue, and a review reads the current one it replaces in the transaction that
appends it). The tables are append-only, kept so by triggers that refuse an UPDATE or a DELETE. The
schema's version is the file's `user_version`, so a later change can migrate it; a file of a newer
version is refused.

Threads: each thread gets a connection of its own (the service runs resolvers in threads); SQLite
serialises the writers, and readers see the last commit without waiting.

    >>> ledger = SQLiteLedger(default_ledger_path())                       # doctest: +SKIP
    >>> ledger.history("overlap:item:a|item:b")                            # doctest: +SKIP
    []
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.errors import StoreUnavailable
from graph.evaluation.results import ManualScore
from graph.ledger.base import SYSTEM, Judge, LedgerBase, audit_json, edition_json
from graph.ledger.model import (
    AuditEntry,
    Edition,
    EditionExists,
    ItemSnapshot,
    LedgerError,
    Review,
    ReviewStatus,
    Source,
    UnknownEdition,
)
from graph.ledger.scores import SCORE_ACTION, score_from_json, score_subject

__all__ = ["SCHEMA_VERSION", "SQLiteLedger", "default_ledger_path"]

#: the version of the tables this module writes, kept as the file's `user_version`
SCHEMA_VERSION = 3


def default_ledger_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the ledger lives when none is given: `$XDG_DATA_HOME/quanze/ledger.sqlite3`, by default
    `~/.local/share/quanze/ledger.sqlite3`.

        >>> default_ledger_path({"XDG_DATA_HOME": "/data"}).as_posix()
        '/data/quanze/ledger.sqlite3'
    """
    env = os.environ if environ is None else environ
    base = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return base / "quanze" / "ledger.sqlite3"


class SQLiteLedger(LedgerBase):
    """The ledger in the SQLite file `path` (created, with its folder, when missing).

    Raises `StoreUnavailable` naming the file when it cannot be opened, is not a SQLite database, or
    holds a schema newer than this code's. `timeout` is how long a writer waits for another's
    transaction, in seconds.
    """

    def __init__(self, path: Path | str, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writing = threading.Lock()  # one write transaction at a time in this process
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(f"ledger {self.path}: cannot create its folder ({error})") from error
        with self._translated("opening"):
            self._migrate(self._connection())

    def close(self) -> None:
        """Close every thread's connection; using the ledger afterwards raises `LedgerError`."""
        with self._lock:
            self._closed = True
            for connection in self._connections:
                connection.close()
            self._connections.clear()

    # -- reads ------------------------------------------------------------------------------------

    def current(self, finding_ids: Iterable[str] | None = None) -> dict[str, Review]:
        if finding_ids is None:
            rows = self._read(f"{_LATEST} GROUP BY finding")
        else:
            rows = self._read_of(finding_ids, f"{_LATEST} WHERE finding IN ({{}}) GROUP BY finding")
        return {review.finding_id: review for review in map(_review, rows)}

    def history(self, finding_id: str) -> list[Review]:
        return [
            _review(row)
            for row in self._read(f"{_REVIEW_COLUMNS} WHERE finding = ? ORDER BY seq", [finding_id])
        ]

    def histories(self, finding_ids: Iterable[str]) -> dict[str, list[Review]]:
        found: dict[str, list[Review]] = {}
        for row in self._read_of(finding_ids, f"{_REVIEW_COLUMNS} WHERE finding IN ({{}}) ORDER BY seq"):
            review = _review(row)
            found.setdefault(review.finding_id, []).append(review)
        return found

    def audit(self) -> list[AuditEntry]:
        rows = self._read("SELECT seq, actor, at, action, subject, before, after FROM audit ORDER BY seq")
        return [AuditEntry(row[0], row[1], datetime.fromisoformat(row[2]), *row[3:]) for row in rows]

    def scores(self, department: str | None = None) -> list[ManualScore]:
        where, params = ("", []) if department is None else ("WHERE department = ? ", [department])
        rows = self._read(
            f"{_LATEST_SCORE} {where}GROUP BY department, code, period_end "
            "ORDER BY department, code, period_end",
            params,
        )
        return [_score(row) for row in rows]

    def score_history(self, department: str, code: str) -> list[ManualScore]:
        rows = self._read(
            f"{_SCORE_COLUMNS} WHERE department = ? AND code = ? ORDER BY seq", [department, code]
        )
        return [_score(row) for row in rows]

    def editions(self) -> list[Edition]:
        rows = self._read("SELECT label, at, sources, items FROM editions ORDER BY seq")
        return [_edition(*row) for row in rows]

    def findings(self, label: str) -> list[str]:
        self._known(label)
        rows = self._read("SELECT finding FROM edition_findings WHERE edition = ? ORDER BY finding", [label])
        return [row[0] for row in rows]

    def _snapshots(self, label: str) -> list[ItemSnapshot]:
        self._known(label)
        return _snapshots(
            self._read(f"SELECT {_SNAPSHOT_COLUMNS} FROM item_snapshots WHERE edition = ?", [label])
        )

    def _differing_snapshots(
        self, from_label: str, to_label: str
    ) -> tuple[list[ItemSnapshot], list[ItemSnapshot]]:
        # SQLite leaves out the rows both editions hold alike (most of a year's items), in C.
        self._known(from_label)
        self._known(to_label)
        only_in = (
            f"SELECT {_SNAPSHOT_COLUMNS} FROM item_snapshots WHERE edition = ? "
            f"EXCEPT SELECT {_SNAPSHOT_COLUMNS} FROM item_snapshots WHERE edition = ?"
        )
        before = _snapshots(self._read(only_in, [from_label, to_label]))
        return before, _snapshots(self._read(only_in, [to_label, from_label]))

    # -- writes -----------------------------------------------------------------------------------

    def _append_review(self, review: Review, actor: str) -> None:
        with self._transaction("writing a review") as connection:
            before = connection.execute(
                f"{_REVIEW_COLUMNS} WHERE finding = ? ORDER BY seq DESC LIMIT 1", [review.finding_id]
            ).fetchone()
            _insert_review(connection, review)
            _insert_audit(
                connection,
                actor,
                review.at,
                "review",
                review.finding_id,
                audit_json(before and _review(before)),
                audit_json(review),
            )

    def _append_score(self, score: ManualScore) -> None:
        with self._transaction("writing a manual score") as connection:
            before = connection.execute(
                f"{_SCORE_COLUMNS} WHERE department = ? AND code = ? AND period_end IS ? "
                "ORDER BY seq DESC LIMIT 1",
                [score.department, score.code, _period_end(score)],
            ).fetchone()
            connection.execute(
                "INSERT INTO scores (department, code, score, scorer, at, note, period_end) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    score.department,
                    score.code,
                    float(score.score),
                    score.scorer,
                    score.at.isoformat(),
                    score.note,
                    _period_end(score),
                ],
            )
            _insert_audit(
                connection,
                score.scorer,
                score.at,
                SCORE_ACTION,
                score_subject(score),
                audit_json(before and _score(before)),
                audit_json(score),
            )

    def _append_audit(
        self, actor: str, at: datetime, action: str, subject: str, before: Any, after: Any
    ) -> AuditEntry:
        with self._transaction("writing an audit entry") as connection:
            seq = _insert_audit(connection, actor, at, action, subject, audit_json(before), audit_json(after))
        return AuditEntry(seq, actor, at, action, subject, audit_json(before), audit_json(after))

    def _append_edition(
        self, edition: Edition, items: list[ItemSnapshot], findings: list[str], judge: Judge
    ) -> tuple[list[Review], list[Review]]:
        with self._transaction("recording an edition") as connection:
            if connection.execute("SELECT 1 FROM editions WHERE label = ?", [edition.label]).fetchone():
                raise EditionExists(
                    f"edition {edition.label!r} is recorded already; give the new one another label"
                )
            sources = json.dumps(
                [[source.name, source.sha256] for source in edition.sources], ensure_ascii=False
            )
            connection.execute(
                "INSERT INTO editions (label, at, sources, items) VALUES (?, ?, ?, ?)",
                [edition.label, edition.loaded_at.isoformat(), sources, edition.items],
            )
            departments_text: dict[tuple[str, ...], str] = {}  # a department's items share one text
            connection.executemany(
                "INSERT INTO item_snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        edition.label,
                        item.code,
                        item.name,
                        item.power_type,
                        item.sub_item,
                        departments_text.get(item.departments)
                        or _departments_json(departments_text, item.departments),
                        item.basis,
                        item.government,
                        int(item.code_made),
                    )
                    for item in items
                ),
            )
            connection.executemany(
                "INSERT INTO edition_findings VALUES (?, ?)",
                ((edition.label, finding) for finding in findings),
            )
            _insert_audit(
                connection,
                SYSTEM,
                edition.loaded_at,
                "edition",
                edition.label,
                None,
                audit_json(edition_json(edition, len(findings))),
            )
            current = {
                review.finding_id: review
                for review in map(_review, connection.execute(f"{_LATEST} GROUP BY finding"))
            }
            changed, overdue = judge(current)
            for review in changed:
                _insert_review(connection, review)
                _insert_audit(
                    connection,
                    SYSTEM,
                    review.at,
                    "review",
                    review.finding_id,
                    audit_json(current[review.finding_id]),
                    audit_json(review),
                )
        return changed, overdue

    # -- connections ------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None and not self._closed:
            return connection
        with self._lock:
            if self._closed:
                raise LedgerError(f"ledger {self.path} is closed")
            connection = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            self._connections.append(connection)
        self._local.connection = connection
        return connection

    def _read(self, query: str, params: Iterable[Any] = ()) -> list[Any]:
        with self._translated("reading"):
            return self._connection().execute(query, list(params)).fetchall()

    def _read_of(self, finding_ids: Iterable[str], query: str) -> list[Any]:
        """The rows of `query` (whose `{}` is a list of placeholders) for these findings, read in
        chunks of `_IDS_PER_READ` ids (SQLite bounds the parameters of one statement); each chunk's
        rows in the query's order."""
        wanted = sorted(set(finding_ids))
        return [
            row
            for start in range(0, len(wanted), _IDS_PER_READ)
            for chunk in [wanted[start : start + _IDS_PER_READ]]
            for row in self._read(query.format(",".join("?" * len(chunk))), chunk)
        ]

    @contextmanager
    def _transaction(self, doing: str) -> Iterator[sqlite3.Connection]:
        # The threads of one process take turns here rather than in SQLite's busy handler, whose
        # sleeps of up to 100 ms made a burst of concurrent reviews slow; other processes wait there.
        with self._writing, self._translated(doing):
            connection = self._connection()
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    @contextmanager
    def _translated(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise StoreUnavailable(f"ledger {self.path}: failed while {doing}: {error}") from error

    def _known(self, label: str) -> None:
        if not self._read("SELECT 1 FROM editions WHERE label = ?", [label]):
            known = ", ".join(edition.label for edition in self.editions()) or "none"
            raise UnknownEdition(f"edition {label!r} is not recorded (recorded: {known})")

    def _migrate(self, connection: sqlite3.Connection) -> None:
        """Create the tables in a new file, migrate one of an older schema; refuse one of a newer."""
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreUnavailable(
                f"ledger {self.path} has schema version {version}, newer than this quanze's {SCHEMA_VERSION}: "
                "use a newer quanze"
            )
        if version == SCHEMA_VERSION:
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            found = connection.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
            steps = _MIGRATIONS[max(found, 1) - 1 :]
            for statement in [*(_SCHEMA if found == 0 else ()), *(part for step in steps for part in step)]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


#: finding ids bound in one statement (SQLite allows 32,766 parameters; fewer keep a statement small)
_IDS_PER_READ = 500
_REVIEW_COLUMNS = "SELECT finding, status, at, note, reviewer, deadline, edition FROM reviews"
# SQLite takes the other columns of a row from the row where max() is found
_LATEST = "SELECT finding, status, at, note, reviewer, deadline, edition, max(seq) FROM reviews"
_SNAPSHOT_COLUMNS = "code, name, power_type, sub_item, departments, basis, government, code_made"
_SCORE_COLUMNS = "SELECT department, code, score, scorer, at, note, period_end FROM scores"
_LATEST_SCORE = "SELECT department, code, score, scorer, at, note, period_end, max(seq) FROM scores"
_TABLES = ("reviews", "audit", "editions", "item_snapshots", "edition_findings")


def _append_only(table: str) -> list[str]:
    """The triggers that refuse an UPDATE or a DELETE of `table`."""
    return [
        f"CREATE TRIGGER {table}_append_only_{change.lower()} BEFORE {change} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: {table} cannot be changed'); END"
        for change in ("UPDATE", "DELETE")
    ]


#: the statements taking a file of schema version n (from 1) to n + 1, after `_SCHEMA` made version 1
_MIGRATIONS: list[list[str]] = [
    ["ALTER TABLE item_snapshots ADD COLUMN code_made INTEGER NOT NULL DEFAULT 0"],  # 1 -> 2
    [  # 2 -> 3: manual scores
        "CREATE TABLE scores (seq INTEGER PRIMARY KEY, department TEXT NOT NULL, code TEXT NOT NULL, "
        "score REAL NOT NULL, scorer TEXT NOT NULL, at TEXT NOT NULL, note TEXT, period_end TEXT)",
        "CREATE INDEX scores_by_indicator ON scores (department, code, seq)",
        *_append_only("scores"),
    ],
]
_SCHEMA = [
    "CREATE TABLE reviews (seq INTEGER PRIMARY KEY, finding TEXT NOT NULL, status TEXT NOT NULL, "
    "at TEXT NOT NULL, note TEXT, reviewer TEXT, deadline TEXT, edition TEXT)",
    "CREATE INDEX reviews_by_finding ON reviews (finding, seq)",
    "CREATE TABLE audit (seq INTEGER PRIMARY KEY, actor TEXT NOT NULL, at TEXT NOT NULL, action TEXT NOT NULL, "
    "subject TEXT NOT NULL, before TEXT, after TEXT)",
    "CREATE TABLE editions (seq INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE, at TEXT NOT NULL, "
    "sources TEXT NOT NULL, items INTEGER NOT NULL)",
    "CREATE TABLE item_snapshots (edition TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, "
    "power_type TEXT NOT NULL, sub_item TEXT, departments TEXT NOT NULL, basis TEXT, government TEXT)",
    "CREATE INDEX item_snapshots_by_edition ON item_snapshots (edition)",
    "CREATE TABLE edition_findings (edition TEXT NOT NULL, finding TEXT NOT NULL, PRIMARY KEY (edition, finding)) "
    "WITHOUT ROWID",
    *(trigger for table in _TABLES for trigger in _append_only(table)),
]


def _insert_review(connection: sqlite3.Connection, review: Review) -> None:
    connection.execute(
        "INSERT INTO reviews (finding, status, at, note, reviewer, deadline, edition) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            review.finding_id,
            review.status.value,
            review.at.isoformat(),
            review.note,
            review.reviewer,
            review.deadline.isoformat() if review.deadline else None,
            review.edition,
        ],
    )


def _insert_audit(
    connection: sqlite3.Connection,
    actor: str,
    at: datetime,
    action: str,
    subject: str,
    before: str | None,
    after: str | None,
) -> int:
    cursor = connection.execute(
        "INSERT INTO audit (actor, at, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?)",
        [actor, at.isoformat(), action, subject, before, after],
    )
    return int(cursor.lastrowid or 0)


def _departments_json(known: dict[tuple[str, ...], str], departments: tuple[str, ...]) -> str:
    known[departments] = json.dumps(departments, ensure_ascii=False)
    return known[departments]


def _snapshots(rows: Iterable[tuple[Any, ...]]) -> list[ItemSnapshot]:
    departments_of: dict[str, tuple[str, ...]] = {}  # a department's items share its JSON text
    return [
        ItemSnapshot(
            code,
            name,
            power_type,
            sub_item,
            departments_of.get(departments)
            or departments_of.setdefault(departments, tuple(json.loads(departments))),
            basis,
            government,
            bool(code_made),
        )
        for code, name, power_type, sub_item, departments, basis, government, code_made in rows
    ]


def _review(row: tuple[Any, ...]) -> Review:
    finding, status, at, note, reviewer, deadline, edition = row[:7]
    return Review(
        finding,
        ReviewStatus(status),
        datetime.fromisoformat(at),
        note=note,
        reviewer=reviewer,
        deadline=date.fromisoformat(deadline) if deadline else None,
        edition=edition,
    )


def _period_end(score: ManualScore) -> str | None:
    return score.period_end.isoformat() if score.period_end else None


def _score(row: tuple[Any, ...]) -> ManualScore:
    department, code, score, scorer, at, note, period_end = row[:7]
    return score_from_json(
        {
            "department": department,
            "code": code,
            "score": score,
            "scorer": scorer,
            "at": at,
            "note": note,
            "period_end": period_end,
        }
    )


def _edition(label: str, at: str, sources: str, items: int) -> Edition:
    return Edition(
        label, datetime.fromisoformat(at), tuple(Source(*pair) for pair in json.loads(sources)), items
    )
