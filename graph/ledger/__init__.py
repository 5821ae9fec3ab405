"""The ledger: the office's decisions on findings, manual scores, the audit log of every write, and
the editions.

The graph is derived from the sources and can always be read again; the ledger is where people's
decisions live and must never lose one (shared/spec/ledger.md). It is append-only: reviews, manual
scores, audit entries, editions and their item snapshots are only ever added.

- `model`: the records (`Review`, `ReviewStatus`, `AuditEntry`, `Edition`, `ItemSnapshot` …) and errors;
- `findings`: the kinds of finding by the prefix of their ids, and which role reviews which kind;
- `rules`: what a person's review may be (`decide`) and what an edition's load sets (`verify`);
- `diff`: item identity across editions and the diff of two editions;
- `snapshots`: a graph's power items as snapshots for an edition;
- `scores`: what a manual score must hold to be kept, and its audit entries;
- `editions`: a loaded source recorded as an edition (its files, items and findings);
- `audit`: the audit log as CSV rows;
- `base`: the `Ledger` protocol and its behaviour, written once over a backend's primitives;
- `sqlite`, `neo4j`: the two backends (an embedded file; the graph's Neo4j database). `Neo4jLedger` is
  imported from `graph.ledger.neo4j`, so that the ledger of the memory store never loads the driver.

    ledger = SQLiteLedger(default_ledger_path())
    ledger.review("gap:UNHELD_DUTY:article:x", "RECTIFYING", role="staffing", reviewer="王芳").deadline   # datetime.date(2024, 3, 31)
"""

from __future__ import annotations

from graph.ledger.audit import AUDIT_COLUMNS, audit_rows
from graph.ledger.base import SYSTEM, Ledger, LedgerBase
from graph.ledger.diff import RENAMED_SIMILARITY, edition_diff, item_identity
from graph.ledger.editions import (
    LOAD_KINDS,
    default_label,
    finding_ids,
    findings_present,
    record_loaded_edition,
    recorded_from,
    source_files,
)
from graph.ledger.findings import REVIEWERS, FindingKind, check_reviewer, finding_kind, may_review
from graph.ledger.model import (
    AuditEntry,
    Edition,
    EditionDiff,
    EditionExists,
    EditionRecord,
    InvalidReview,
    ItemChange,
    ItemSnapshot,
    LedgerError,
    Review,
    ReviewForbidden,
    ReviewStatus,
    Source,
    UnknownEdition,
)
from graph.ledger.rules import BY_LOADS, RECTIFICATION_DAYS, decide, verify
from graph.ledger.scores import SCORE_ACTION
from graph.ledger.snapshots import item_snapshots
from graph.ledger.sqlite import SCHEMA_VERSION, SQLiteLedger, default_ledger_path

__all__ = [
    "AUDIT_COLUMNS",
    "BY_LOADS",
    "LOAD_KINDS",
    "RECTIFICATION_DAYS",
    "RENAMED_SIMILARITY",
    "REVIEWERS",
    "SCHEMA_VERSION",
    "SCORE_ACTION",
    "SYSTEM",
    "AuditEntry",
    "Edition",
    "EditionDiff",
    "EditionExists",
    "EditionRecord",
    "FindingKind",
    "InvalidReview",
    "ItemChange",
    "ItemSnapshot",
    "Ledger",
    "LedgerBase",
    "LedgerError",
    "Review",
    "ReviewForbidden",
    "ReviewStatus",
    "SQLiteLedger",
    "Source",
    "UnknownEdition",
    "audit_rows",
    "check_reviewer",
    "decide",
    "default_label",
    "default_ledger_path",
    "edition_diff",
    "finding_ids",
    "finding_kind",
    "findings_present",
    "item_identity",
    "item_snapshots",
    "may_review",
    "record_loaded_edition",
    "recorded_from",
    "source_files",
    "verify",
]
