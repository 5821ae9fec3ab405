"""What only the SQLite ledger does: a file in the user's data directory, append-only tables, a
versioned schema, and no acknowledged write lost when the process is killed in the middle of a burst."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from graph.errors import StoreUnavailable
from graph.ledger import SCHEMA_VERSION, ReviewStatus, SQLiteLedger, default_ledger_path
from tests.ledger.conftest import AT

REPO = Path(__file__).resolve().parents[2]
#: writes reviews one by one, printing each finding id once its write has returned
BURST = """
import sys
from graph.ledger import SQLiteLedger
ledger = SQLiteLedger(sys.argv[1])
for number in range(1_000_000):
    finding = f"gap:crash:{number}"
    ledger.review(finding, "CONFIRMED", role="staffing", reviewer="王芳")
    print(finding, flush=True)
"""


def test_no_acknowledged_review_is_lost_when_the_writer_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    writer = subprocess.Popen(
        [sys.executable, "-c", BURST, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    acknowledged = [writer.stdout.readline().strip() for _ in range(300)]
    writer.send_signal(signal.SIGKILL)
    rest, _ = writer.communicate()
    acknowledged += rest.split()  # printed before the kill, still in the pipe
    assert writer.returncode == -signal.SIGKILL and len(acknowledged) < 1_000_000
    ledger = SQLiteLedger(path)
    current = ledger.current()
    assert set(acknowledged) <= current.keys()
    assert len(current) - len(acknowledged) <= 1  # at most the write under way when it was killed
    assert {review.status for review in current.values()} == {ReviewStatus.CONFIRMED}
    ledger.close()


def test_the_file_is_in_wal_mode_and_its_tables_are_append_only(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = SQLiteLedger(path)
    ledger.review("overlap:a|b", "CONFIRMED", role="staffing", reviewer="王芳", at=AT)
    ledger.close()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    for change in ("UPDATE reviews SET status = 'DISMISSED'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="the ledger is append-only"):
            connection.execute(change)
    connection.close()


def test_a_newer_schema_or_a_file_that_is_no_ledger_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    connection = sqlite3.connect(newer)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreUnavailable, match=f"has schema version {SCHEMA_VERSION + 1}, newer than"):
        SQLiteLedger(newer)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreUnavailable, match=r"garbage\.sqlite3: failed while opening"):
        SQLiteLedger(garbage)


def test_the_default_file_is_in_the_users_data_directory(tmp_path: Path) -> None:
    assert default_ledger_path({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "quanze" / "ledger.sqlite3"
    assert default_ledger_path({}) == Path.home() / ".local" / "share" / "quanze" / "ledger.sqlite3"
    ledger = SQLiteLedger(default_ledger_path({"XDG_DATA_HOME": str(tmp_path / "fresh")}))
    assert ledger.path.is_file() and ledger.editions() == []
    ledger.close()
