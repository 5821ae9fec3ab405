"""A department's lists that grow with the data, in pages: `postsConnection` and
`accountabilityRecordsConnection` give what the deprecated `posts` and `accountabilityRecords` give, in
the same order, page by page, with the total."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api.app import execute
from api.roles import Role
from graph import MemoryStore
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook

LISTS = (
    """{ departments(first: 500) { edges { node { name posts { id } accountabilityRecords { id } } } } }"""
)
#: a page of one of a department's connections (`FIELD`)
PAGE = """query($name: String!, $first: Int!, $after: String) { department(name: $name) {
  FIELD(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
} }"""


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


def run(store: MemoryStore, query: str, role: Role, **variables: Any) -> dict[str, Any]:
    return asyncio.run(execute(store, query, variables=variables, role=role))


@pytest.mark.parametrize(
    "field, listed",
    [("postsConnection", "posts"), ("accountabilityRecordsConnection", "accountabilityRecords")],
)
def test_the_pages_of_a_list_are_the_list(store: MemoryStore, field: str, listed: str) -> None:
    response = run(store, LISTS, Role.INVESTIGATOR)
    assert "errors" not in response, response
    departments = [edge["node"] for edge in response["data"]["departments"]["edges"]]
    department = max(departments, key=lambda d: len(d[listed]))
    expected = [node["id"] for node in department[listed]]
    assert len(expected) >= 3  # so that pages of two take more than one
    seen: list[str] = []
    after = None
    while True:
        query = PAGE.replace("FIELD", field)
        page = run(store, query, Role.INVESTIGATOR, name=department["name"], first=2, after=after)
        assert "errors" not in page, page
        connection = page["data"]["department"][field]
        assert connection["totalCount"] == len(expected)
        seen += [edge["node"]["id"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == expected


def test_the_records_page_is_for_investigators(store: MemoryStore) -> None:
    query = """{ department(name: "巴中市财政局") { accountabilityRecordsConnection { totalCount } } }"""
    response = run(store, query, Role.STAFFING)
    assert [error["extensions"]["code"] for error in response["errors"]] == ["FORBIDDEN"]
