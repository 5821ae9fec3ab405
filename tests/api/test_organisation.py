"""The organisation through GraphQL: a holding without a start date, as the analyses see it
(tests/graph/test_organisation.py builds the graph and checks the other paths)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest

from api.app import execute
from api.roles import Role
from graph import MemoryStore
from tests.graph.test_organisation import HEAD_ON, write_organisation

QUERY = """query($at: Date!) { department(name: "示例市测试局") {
  head(at: $at) { person { id } end }
  posts { code department { name } unit { name } holders(at: $at) { person { id } } } } }"""


@pytest.fixture(scope="module")
def organisation() -> MemoryStore:
    store = MemoryStore()
    write_organisation(store)
    return store


def run(store: MemoryStore, query: str, role: Role, **variables: Any) -> dict[str, Any]:
    return asyncio.run(execute(store, query, variables=variables, role=role))


@pytest.mark.parametrize("on", sorted(HEAD_ON))
def test_the_head_and_the_holders_on_a_date(organisation: MemoryStore, on: date) -> None:
    response = run(organisation, QUERY, Role.STAFFING, at=on.isoformat())
    assert "errors" not in response, response
    department = response["data"]["department"]
    assert department["head"]["person"]["id"] == HEAD_ON[on]
    holders = {post["code"]: [h["person"]["id"] for h in post["holders"]] for post in department["posts"]}
    assert holders == {"CS-01": [HEAD_ON[on]], "CS-02": [], "CS-03": ["person:P03"], "CS-04": []}
    places = {post["code"]: (post["department"]["name"], post["unit"]) for post in department["posts"]}
    assert places == {
        "CS-01": ("示例市测试局", None),
        "CS-02": ("示例市测试局", None),
        "CS-03": ("示例市测试局", {"name": "综合科"}),
        "CS-04": ("示例市测试局", {"name": "综合科"}),
    }
