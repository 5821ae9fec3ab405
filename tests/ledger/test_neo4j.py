"""What only the Neo4j ledger does: it shares the graph's database, and the graph's clear and
replacing writes leave its nodes alone; snapshots of an edition whose recording died are never read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from graph import Node
from graph.ledger import ItemSnapshot, Source
from graph.ledger.neo4j import Neo4jLedger
from graph.neo4j import Neo4jStore
from ontology import NodeKind
from tests.ledger.conftest import AT, empty_neo4j_ledger, neo4j_settings

pytestmark = pytest.mark.neo4j

ITEMS = [
    ItemSnapshot(
        "XK-001", "食品经营许可", "行政许可", None, ("示例市市场监督管理局",), None, "示例市人民政府"
    )
]


def test_the_graph_store_keeps_the_ledger_when_it_clears_or_replaces_the_graph(
    neo4j_store: Neo4jStore,
) -> None:
    empty_neo4j_ledger(neo4j_store.settings)
    neo4j_store.clear()
    ledger = Neo4jLedger(neo4j_store)  # on the store's own connection
    review = ledger.review("overlap:item:a|item:b", "CONFIRMED", role="staffing", reviewer="王芳", at=AT)
    record = ledger.record_edition(
        "2024", [Source("a.xlsx", "00" * 32)], ITEMS, ["overlap:item:a|item:b"], at=AT
    )
    with neo4j_store.writer() as writer:
        writer.add_node(Node("government:示例市人民政府", NodeKind.GOVERNMENT, {"name": "示例市人民政府"}))
    with neo4j_store.writer() as writer:  # a write that replaces the whole graph
        writer.clear()
        writer.add_node(Node("government:另一市人民政府", NodeKind.GOVERNMENT, {"name": "另一市人民政府"}))
    neo4j_store.clear()
    assert neo4j_store.count(NodeKind.GOVERNMENT) == 0
    assert ledger.history("overlap:item:a|item:b") == [review]
    assert ledger.editions() == [record.edition] and ledger.items("2024") == ITEMS
    ledger.close()
    neo4j_store.ping()  # closing a ledger on a store's connection leaves the store open


def test_snapshots_of_a_recording_that_died_are_not_read_and_go(neo4j_uri: str) -> None:
    settings = neo4j_settings(neo4j_uri)
    empty_neo4j_ledger(settings)
    ledger = Neo4jLedger(settings, part_size=2)
    died = [ItemSnapshot(f"XK-{number:03}", f"事项{number}", "行政许可") for number in range(5)]
    ledger._write_snapshots("2024", "a-dead-attempt", died)  # as a process killed before its last transaction
    assert ledger.editions() == []
    ledger.record_edition("2024", [], ITEMS, [], at=AT + timedelta(days=1))
    assert ledger.items("2024") == ITEMS
    (record,) = ledger.connection.read_query("MATCH (s:ItemSnapshot) RETURN count(s) AS n", {}, "counting")
    assert record["n"] == 1  # the one part of the edition recorded; the three of the dead attempt are gone
    ledger.close()
