"""A loaded graph recorded as an edition (`record_loaded_edition`), on both backends: its files and
digests, its items with the codes the reader made, the findings present; a restart records nothing,
a label taken by other files is refused. And a ledger file of the first schema is migrated."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from api.cache import AnalysisCache
from api.ledgers import served_findings
from graph import MemoryStore
from graph.ledger import (
    SCHEMA_VERSION,
    EditionExists,
    LedgerBase,
    ReviewStatus,
    SQLiteLedger,
    default_label,
    record_loaded_edition,
    source_files,
)
from loaders.sources import load_source
from tests.graph.analyses.test_finding_ids import GOVERNMENT, LISTS, finding_ids, write_lists
from tests.ledger.conftest import AT


def _loaded(folder: Path) -> MemoryStore:
    store = MemoryStore()
    load_source(folder, store, government=GOVERNMENT)
    return store


def test_a_loaded_list_is_recorded_with_its_files_items_and_findings(
    open_ledger: Callable[[], LedgerBase], tmp_path: Path
) -> None:
    folder = write_lists(tmp_path / "2024", LISTS)
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / "~$示例市商务局权责清单.xlsx").write_bytes(b"\0")  # an office suite's lock file
    store, sources = _loaded(folder), source_files(folder)
    assert [source.name for source in sources] == sorted(f"{name}权责清单.xlsx" for name in LISTS)
    ledger = open_ledger()
    record = record_loaded_edition(store, ledger, "2024", sources, at=AT)
    assert record is not None and record.edition.items == 6
    found = finding_ids(store)
    assert ledger.findings("2024") == sorted(found["overlap"] + found["gap"] + found["split"])
    assert served_findings(AnalysisCache(store)) == ledger.findings("2024")  # as `quanze serve` finds them
    items = open_ledger().items("2024")  # read back by another connection
    assert all(item.code_made for item in items) and len(items) == 6

    assert record_loaded_edition(store, ledger, " 2024 ", sources, at=AT) is None  # a restart
    assert len(ledger.editions()) == 1
    changed = write_lists(tmp_path / "2025", {**LISTS, "示例市商务局": LISTS["示例市商务局"][:1]})
    with pytest.raises(EditionExists, match=r"示例市商务局权责清单\.xlsx changed"):
        record_loaded_edition(_loaded(changed), ledger, "2024", source_files(changed), at=AT)


def test_the_next_list_verifies_the_rectified_gap_though_every_number_moved(
    ledger: LedgerBase, tmp_path: Path
) -> None:
    """The 2025 lists drop an item without a basis and add one at the top: the 序号 of every other
    item moves, yet only the dropped item's gap is verified as rectified."""
    first = write_lists(tmp_path / "2024", LISTS)
    store = _loaded(first)
    record_loaded_edition(store, ledger, "2024", source_files(first), at=AT)
    gaps = finding_ids(store)["gap"]
    for gap in gaps:
        ledger.review(gap, "RECTIFYING", role="staffing", reviewer="王芳", at=AT)
    lists = {
        "示例市商务局": [("拍卖业务许可", ""), *LISTS["示例市商务局"]],
        "示例市市场监督管理局": LISTS["示例市市场监督管理局"][:2],
    }
    second = write_lists(tmp_path / "2025", lists)
    record = record_loaded_edition(
        _loaded(second), ledger, "2025", source_files(second), at=AT + timedelta(days=365)
    )
    assert record is not None
    rectified = [review.finding_id for review in record.changed]
    assert len(rectified) == 1 and rectified[0] in gaps
    assert [review.finding_id for review in record.overdue] == [gap for gap in gaps if gap not in rectified]
    assert ledger.current()[rectified[0]].status is ReviewStatus.RECTIFIED
    diff = ledger.edition_diff("2024", "2025")
    assert [item.name for item in diff.added] == ["拍卖业务许可"] and diff.changed == []
    assert [item.name for item in diff.removed] == ["广告发布登记"]


def test_the_default_label_is_the_year_of_the_newest_file(tmp_path: Path) -> None:
    folder = write_lists(tmp_path / "lists", LISTS)
    newest, *others = sorted(folder.iterdir())
    for path, year in ((newest, 2023), *((other, 2021) for other in others)):
        written = datetime(year, 6, 1, 12).timestamp()
        os.utime(path, (written, written))
    assert default_label(folder) == "2023" and default_label(others[0]) == "2021"


def test_a_ledger_file_of_the_first_schema_is_migrated_and_keeps_its_records(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger = SQLiteLedger(path)
    ledger.review("gap:NO_HEAD:department:x", "CONFIRMED", role="staffing", reviewer="王芳", at=AT)
    ledger.close()
    with sqlite3.connect(path) as connection:  # as the first schema wrote it: no code_made column, no scores
        connection.execute("DROP TABLE scores")
        connection.execute("DROP INDEX item_snapshots_by_edition")
        connection.execute("ALTER TABLE item_snapshots DROP COLUMN code_made")
        connection.execute("CREATE INDEX item_snapshots_by_edition ON item_snapshots (edition)")
        connection.execute("PRAGMA user_version = 1")
    ledger = SQLiteLedger(path)
    assert [review.status for review in ledger.history("gap:NO_HEAD:department:x")] == [
        ReviewStatus.CONFIRMED
    ]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    ledger.close()
