"""Counts per department and per power type: the same numbers as the lists they count, from one answer,
on the demo city in each store; a table of every department asks the store no question per department."""

from __future__ import annotations

import asyncio

from api.cache import AnalysisCache
from api.context import Context
from api.schema import SCHEMA
from graph import GraphStore, MemoryStore
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from tests.api.demo_stores import demo, graphql
from tests.stores import CountingReads

__all__ = ["demo"]  # the fixture, used by name

COUNTS = """{ departmentCounts { department { id name } itemCount overlapCount gapCount
  itemsByPowerType { powerType code count } } }"""

LISTS = """query($id: String!, $name: String!) {
  powerItems(department: $name) { totalCount }
  overlapsConnection(department: $id) { totalCount }
  divided: overlapsConnection(department: $id, verdicts: [DIVIDED]) { totalCount }
  gapsConnection(department: $id) { totalCount }
  department(name: $name) { itemCount overlapCount gapCount dividedCount: overlapCount(verdicts: [DIVIDED])
    itemsByPowerType { code count } } }"""


def test_department_counts_are_the_totals_of_the_lists(demo: GraphStore) -> None:
    rows = graphql(demo, COUNTS)["data"]["departmentCounts"]
    listed = graphql(demo, "{ departments(first: 500) { totalCount } }")["data"]["departments"]
    assert len(rows) == listed["totalCount"]
    assert any(row["overlapCount"] for row in rows) and any(row["gapCount"] for row in rows)
    names = [row["department"]["name"] for row in rows]
    for row in rows:
        assert row["itemCount"] == sum(entry["count"] for entry in row["itemsByPowerType"])
        if names.count(row["department"]["name"]) > 1:
            continue  # a name of several governments' departments: `department(name:)` is null for it
        data = graphql(demo, LISTS, id=row["department"]["id"], name=row["department"]["name"])["data"]
        assert row["itemCount"] == data["powerItems"]["totalCount"] == data["department"]["itemCount"]
        assert (
            row["overlapCount"]
            == data["overlapsConnection"]["totalCount"]
            == data["department"]["overlapCount"]
        )
        assert row["gapCount"] == data["gapsConnection"]["totalCount"] == data["department"]["gapCount"]
        assert data["department"]["dividedCount"] == data["divided"]["totalCount"]
        assert data["department"]["itemsByPowerType"] == [
            {"code": entry["code"], "count": entry["count"]} for entry in row["itemsByPowerType"]
        ]


POWER_TYPES = (
    """query($department: String) { powerTypeCounts(department: $department) { powerType code count } }"""
)


def test_power_type_counts_are_the_totals_of_the_items_by_type(demo: GraphStore) -> None:
    counts = graphql(demo, POWER_TYPES)["data"]["powerTypeCounts"]
    assert len(counts) > 3
    for entry in counts:
        for wording in (entry["powerType"], entry["code"]):
            query = "query($t: String) { powerItems(powerType: $t) { totalCount } }"
            assert graphql(demo, query, t=wording)["data"]["powerItems"]["totalCount"] == entry["count"]
    total = graphql(demo, "{ powerItems { totalCount } }")["data"]["powerItems"]["totalCount"]
    assert sum(entry["count"] for entry in counts) == total
    rows = graphql(demo, COUNTS)["data"]["departmentCounts"]
    row = max(rows, key=lambda row: len(row["itemsByPowerType"]))
    of_one = graphql(demo, POWER_TYPES, department=row["department"]["id"])["data"]["powerTypeCounts"]
    assert of_one == row["itemsByPowerType"]


def test_a_table_of_every_department_asks_the_store_once_per_kind_of_question() -> None:
    class Counting(CountingReads, MemoryStore):
        pass

    store = Counting()
    load_workbook(DEMO_WORKBOOK, store)
    cache = AnalysisCache(store)

    def ask() -> None:
        result = asyncio.run(SCHEMA.execute(COUNTS, context_value=Context(reader=store, analyses=cache)))
        assert result.errors is None and result.data is not None
        assert len(result.data["departmentCounts"]) > 20

    ask()  # computes the analyses and the item types once
    store.calls.clear()
    ask()
    assert store.calls["edges_to"] == 1  # every department's items, in one read
    assert sum(store.calls.values()) <= 3  # the departments, their items' edges, their nodes
