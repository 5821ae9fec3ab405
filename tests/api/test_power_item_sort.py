"""`powerItems(sort:)`: RELEVANCE by default when a text is searched, CODE otherwise, and pages that follow
each other in either order (the cursor continues the order it came from)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api.app import execute
from graph import MemoryStore
from graph.queries import PowerItemSort, list_power_items
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook

PAGE = """query($text: String, $sort: PowerItemSort, $first: Int, $after: String) {
  powerItems(text: $text, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } }
  }
}"""


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


def every_page(store: MemoryStore, **variables: Any) -> list[str]:
    """The ids of every page of `powerItems` with `variables`, three at a time."""
    ids: list[str] = []
    after = None
    while True:
        answer = asyncio.run(execute(store, PAGE, variables={**variables, "first": 3, "after": after}))
        assert "errors" not in answer, answer["errors"]
        connection = answer["data"]["powerItems"]
        ids.extend(edge["node"]["id"] for edge in connection["edges"])
        if not connection["pageInfo"]["hasNextPage"]:
            assert len(ids) == connection["totalCount"]
            return ids
        after = connection["pageInfo"]["endCursor"]


def test_a_search_pages_through_its_relevance_order_by_default(store: MemoryStore) -> None:
    expected = [item.id for item in list_power_items(store, text="建筑垃圾", sort=PowerItemSort.RELEVANCE)]
    assert len(expected) > 3 and expected != sorted(expected)  # more than a page, not the code order
    assert every_page(store, text="建築垃圾") == expected
    assert every_page(store, text="建築垃圾", sort="RELEVANCE") == expected


def test_the_code_order_on_request_and_without_a_text(store: MemoryStore) -> None:
    assert every_page(store, text="建筑垃圾", sort="CODE") == sorted(
        item.id for item in list_power_items(store, text="建筑垃圾")
    )
    first = asyncio.run(execute(store, PAGE, variables={"sort": "RELEVANCE", "first": 5}))
    ids = [edge["node"]["id"] for edge in first["data"]["powerItems"]["edges"]]
    assert ids == sorted(ids)  # nothing to be relevant to: by code
