"""A department name that finds none is answered with the closest names: on the command line and in the
API's BAD_USER_INPUT (its `suggestions`), in either script; a name like none suggests nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api.roles import Role
from api.service import QueryService
from graph import MemoryStore
from graph.queries import department_suggestions
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from tests.api.test_cli import quanze


@pytest.fixture(scope="module")
def demo() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


@pytest.mark.parametrize("written", ["市场监管局", "市場監管局", "市场监督管理局"])
def test_a_short_name_suggests_the_departments_that_hold_it(demo: MemoryStore, written: str) -> None:
    found = department_suggestions(demo, written)
    assert found[:2] == ["巴中市市场监督管理局", "巴州区市场监督管理局"]


def test_a_name_like_none_suggests_nothing(demo: MemoryStore) -> None:
    assert department_suggestions(demo, "月球开发委员会") == []


def test_the_api_says_the_closest_names(demo: MemoryStore) -> None:
    query = '{ warnings(department: "财政") { id } }'
    body: dict[str, Any] = asyncio.run(QueryService(demo).run({"query": query}, Role.ADMIN)).body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "巴中市财政局" in error["extensions"]["suggestions"]
    assert "did you mean" in error["message"]


def test_the_command_line_says_the_closest_names() -> None:
    result = quanze("transfers", str(DEMO_WORKBOOK), "--department", "市场监管局")
    assert result.returncode != 0
    assert "did you mean 巴中市市场监督管理局" in result.stderr
