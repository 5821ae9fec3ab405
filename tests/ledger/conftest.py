"""The ledgers of the tests: `open_ledger` opens the same ledger of each backend again and again (a file
under tmp_path; the tests' Neo4j server, emptied of ledger nodes first), `ledger` is one opened."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph.ledger import LedgerBase, SQLiteLedger
from graph.ledger.neo4j import Neo4jLedger
from graph.neo4j import Neo4jSettings
from tests.stores import *  # noqa: F403

LEDGERS = ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)]
#: the labels of the ledger's nodes in Neo4j
LEDGER_LABELS = ("Review", "ManualScore", "AuditEntry", "Edition", "ItemSnapshot", "LedgerMeta")
#: a time of day in the office's zone, for reviews made "now" in a test
AT = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


def neo4j_settings(uri: str) -> Neo4jSettings:
    """The settings of the tests' Neo4j at `uri`."""
    return Neo4jSettings(uri=uri, password=os.environ.get("QUANZE_TEST_NEO4J_PASSWORD", ""))


def empty_neo4j_ledger(settings: Neo4jSettings) -> None:
    """Delete every node of the ledger's labels (the graph's nodes stay)."""
    ledger = Neo4jLedger(settings)
    labels = " OR ".join(f"n:{label}" for label in LEDGER_LABELS)
    with ledger.connection.session() as session:
        session.run(f"MATCH (n) WHERE {labels} DETACH DELETE n").consume()
    ledger.close()


@pytest.fixture(params=LEDGERS)
def open_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], LedgerBase]]:
    """A function opening the test's ledger (an empty one at first); every ledger it opened is closed
    when the test ends."""
    opened: list[LedgerBase] = []
    if request.param == "sqlite":
        path = tmp_path / "ledger.sqlite3"

        def make() -> LedgerBase:
            return SQLiteLedger(path)
    else:
        settings = neo4j_settings(request.getfixturevalue("neo4j_uri"))
        empty_neo4j_ledger(settings)

        def make() -> LedgerBase:
            return Neo4jLedger(settings)

    def opening() -> LedgerBase:
        opened.append(make())
        return opened[-1]

    yield opening
    for ledger in opened:
        ledger.close()


@pytest.fixture
def ledger(open_ledger: Callable[[], LedgerBase]) -> LedgerBase:
    """An empty ledger of each backend in turn."""
    return open_ledger()
