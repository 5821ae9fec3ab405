"""Manual scores on both backends: appended with their audit entries, the latest of each indicator and
evaluation date current, every one in the history, kept across reopening; and a ledger file of the
second schema, made before scores, migrated with its records. One body for SQLite and Neo4j."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from graph.evaluation.results import ManualScore
from graph.ledger import SCHEMA_VERSION, SCORE_ACTION, LedgerBase, LedgerError, SQLiteLedger
from tests.ledger.conftest import AT

FINANCE = "department:示例市人民政府/示例市财政局"
TAX = "department:示例市人民政府/示例市税务局"


def score(
    code: str, points: float, minutes: int = 0, *, department: str = FINANCE, period_end: date | None = None
) -> ManualScore:
    """A score given by 王芳 `minutes` after `AT`."""
    return ManualScore(
        department, code, points, "王芳", AT + timedelta(minutes=minutes), f"依据 {points:g}", period_end
    )


def test_the_latest_score_of_each_indicator_and_date_is_current_and_all_are_in_the_history(
    ledger: LedgerBase,
) -> None:
    given = [
        score("1.1.1", 80, 0),
        score("1.1.1", 90, 1),
        score("1.1.1", 70, 2, period_end=date(2023, 12, 31)),  # for the 2023 card only: replaces neither
        score("2.1.1", 60, 3),
        score("1.1.1", 50, 4, department=TAX),
    ]
    assert [ledger.record_score(s) for s in given] == given
    assert ledger.scores(FINANCE) == [given[1], given[2], given[3]]
    assert ledger.scores() == sorted([given[1], given[2], given[3], given[4]], key=lambda s: s.department)
    assert ledger.score_history(FINANCE, "1.1.1") == given[:3]
    assert ledger.score_history(FINANCE, "9.9.9") == [] and ledger.scores("department:none") == []


def test_every_score_is_in_the_audit_log_with_the_one_it_replaces(ledger: LedgerBase) -> None:
    first, second = score("1.1.1", 80, 0), score("1.1.1", 90, 1)
    ledger.record_score(first)
    ledger.record_score(second)
    entries = ledger.audit()
    assert [(e.actor, e.action, e.subject) for e in entries] == [
        ("王芳", SCORE_ACTION, f"score:{FINANCE}:1.1.1")
    ] * 2
    assert entries[0].before is None and json.loads(entries[0].after or "")["score"] == 80
    assert json.loads(entries[1].before or "")["score"] == 80
    assert json.loads(entries[1].after or "") == {
        "department": FINANCE,
        "code": "1.1.1",
        "score": 90.0,
        "scorer": "王芳",
        "at": second.at.isoformat(),
        "note": "依据 90",
        "period_end": None,
    }


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        ({"department": " "}, "department: a manual score needs a department"),
        ({"code": ""}, "code: a manual score needs a code"),
        ({"scorer": ""}, "scorer: a manual score needs a scorer"),
        ({"score": float("nan")}, "score: nan is not a number"),
        ({"at": datetime(2024, 3, 1, 9)}, "at: 2024-03-01T09:00:00 has no time zone"),
    ],
)
def test_a_score_that_cannot_be_a_record_is_refused_before_anything_is_written(
    ledger: LedgerBase, wrong: dict[str, object], message: str
) -> None:
    fields = {"department": FINANCE, "code": "1.1.1", "score": 80.0, "scorer": "王芳", "at": AT}
    with pytest.raises(LedgerError, match=message):
        ledger.record_score(ManualScore(**{**fields, **wrong}))  # type: ignore[arg-type]
    assert ledger.scores() == [] and ledger.audit() == []


def test_scores_survive_closing_the_ledger(open_ledger: Callable[[], LedgerBase]) -> None:
    ledger = open_ledger()
    given = score("4.3.1", 75, period_end=date(2024, 12, 31))
    ledger.record_score(given)
    ledger.close()
    assert open_ledger().scores(FINANCE) == [given]


def test_a_ledger_file_of_the_second_schema_is_migrated_and_takes_scores(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = SQLiteLedger(path)
    ledger.review("gap:NO_HEAD:department:x", "CONFIRMED", role="staffing", reviewer="王芳", at=AT)
    ledger.close()
    with sqlite3.connect(path) as connection:  # as the second schema wrote it: no scores
        connection.execute("DROP TABLE scores")
        connection.execute("PRAGMA user_version = 2")
    ledger = SQLiteLedger(path)
    assert len(ledger.history("gap:NO_HEAD:department:x")) == 1
    ledger.record_score(score("1.1.1", 80))
    assert ledger.scores() == [score("1.1.1", 80)]
    ledger.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,) == (3,)
        with pytest.raises(sqlite3.IntegrityError, match="the ledger is append-only: scores"):
            connection.execute("UPDATE scores SET score = 100")
