"""The audit log as rows of a CSV file, for an admin to export (`quanze audit --format csv`).

>>> import csv, sys
>>> csv.writer(sys.stdout).writerows(audit_rows(ledger.audit()))    # doctest: +SKIP
seq,actor,at,action,subject,before,after
1,王芳,2024-03-01T09:00:00+08:00,review,overlap:…,,"{""finding_id"": …}"
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.ledger.model import AuditEntry

__all__ = ["AUDIT_COLUMNS", "audit_rows"]

#: the header of the export
AUDIT_COLUMNS = ("seq", "actor", "at", "action", "subject", "before", "after")


def audit_rows(entries: Iterable[AuditEntry]) -> list[list[str]]:
    """The header, then one row of text per entry in the order given (before and after as JSON text,
    empty where there was nothing), for `csv.writer(…).writerows`."""
    rows = [list(AUDIT_COLUMNS)]
    rows.extend(
        [
            str(entry.seq),
            entry.actor,
            entry.at.isoformat(),
            entry.action,
            entry.subject,
            entry.before or "",
            entry.after or "",
        ]
        for entry in entries
    )
    return rows
