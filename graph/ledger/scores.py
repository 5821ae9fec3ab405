"""Manual scores in the ledger: what a score must hold to be kept, and how the ledger keeps it.

A manual score (`graph.evaluation.results.ManualScore`: a person's score of one indicator of one
department, `scoreIndicator`) is appended like a review, never changed: the current score of an
indicator is the latest given for its department, code and evaluation date (`period_end`; None: for
every date), and its history every one given, in order. Whether a score fits its indicator (the
code, the range, a note for an override) is the scorecard's to decide
(`graph.evaluation.scorecard.check_score`), which knows the template; the ledger refuses only a score
that cannot be a record: an empty department, code or scorer, a score that is not a finite number, a
time without a time zone.

    >>> score_subject(ManualScore("department:示例市财政局", "4.3.1", 80, "王芳", datetime(2024, 3, 1)))
    'score:department:示例市财政局:4.3.1'
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from graph.evaluation.results import ManualScore
from graph.ledger.model import LedgerError

__all__ = ["SCORE_ACTION", "check_record", "score_from_json", "score_json", "score_subject"]

#: the action of a manual score's audit entries
SCORE_ACTION = "score"


def check_record(score: ManualScore) -> None:
    """Raise `LedgerError` naming the field when `score` cannot be kept as a record."""
    for field, value in (("department", score.department), ("code", score.code), ("scorer", score.scorer)):
        if not value or not value.strip():
            raise LedgerError(f"{field}: a manual score needs a {field}")
    if (
        isinstance(score.score, bool)
        or not isinstance(score.score, int | float)
        or not math.isfinite(score.score)
    ):
        raise LedgerError(f"score: {score.score!r} is not a number (indicator {score.code})")
    if score.at.tzinfo is None or score.at.utcoffset() is None:
        raise LedgerError(f"at: {score.at.isoformat()} has no time zone; give an aware datetime")


def score_subject(score: ManualScore) -> str:
    """The subject of a score's audit entries: its department and indicator."""
    return f"score:{score.department}:{score.code}"


def score_json(score: ManualScore) -> dict[str, Any]:
    """The score as JSON values, as the audit log keeps it (dates in ISO 8601)."""
    return {
        "department": score.department,
        "code": score.code,
        "score": float(score.score),
        "scorer": score.scorer,
        "at": score.at.isoformat(),
        "note": score.note,
        "period_end": score.period_end.isoformat() if score.period_end else None,
    }


def score_from_json(data: dict[str, Any]) -> ManualScore:
    """The score `score_json` gave (a backend's record of it, with any further keys, will do)."""
    period_end = data.get("period_end")
    return ManualScore(
        department=data["department"],
        code=data["code"],
        score=float(data["score"]),
        scorer=data["scorer"],
        at=datetime.fromisoformat(data["at"]),
        note=data.get("note"),
        period_end=date.fromisoformat(period_end) if period_end else None,
    )
