"""The demo city loaded once per test module into each backend, and a GraphQL runner over it.

    from tests.api.demo_stores import demo, graphql   # noqa: F401  (the fixture, by its name)

    def test_something(demo: GraphStore) -> None:
        data = graphql(demo, "{ departments { totalCount } }")["data"]

The Neo4j run is marked `neo4j` (as `tests.stores.store` is); it empties the tests' Neo4j and loads
the demo into it once for the module, so a module using `demo` must not use `store` as well.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api.cache import AnalysisCache
from api.context import Context
from api.roles import Role
from api.schema import SCHEMA
from graph import GraphStore, MemoryStore
from graph.neo4j import Neo4jStore
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from tests.stores import BACKENDS

__all__ = ["demo", "graphql"]

#: one analysis cache per store (by id, with the store), so that the analyses are computed once per
#: store version, as the service computes them, not once per query
_caches: dict[int, tuple[GraphStore, AnalysisCache]] = {}


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request: pytest.FixtureRequest) -> GraphStore:
    """The demo workbook in a store of each backend in turn, loaded once for the module."""
    if request.param == "memory":
        store: GraphStore = MemoryStore()
    else:
        neo4j: Neo4jStore = request.getfixturevalue("neo4j_store")
        neo4j.clear()
        store = neo4j
    load_workbook(DEMO_WORKBOOK, store)
    return store


def graphql(store: GraphStore, query: str, role: Role = Role.PUBLIC, **variables: Any) -> dict[str, Any]:
    """The response ({data, errors}) of `query` over `store`, as `role`; errors as the service writes
    them (message, path, extensions)."""
    kept, cache = _caches.setdefault(id(store), (store, AnalysisCache(store)))
    assert kept is store
    context = Context(reader=store, role=role, analyses=cache)
    result = asyncio.run(SCHEMA.execute(query, variable_values=variables, context_value=context))
    response: dict[str, Any] = {"data": result.data}
    if result.errors:
        response["errors"] = [
            {"message": e.message, "path": e.path, "extensions": e.extensions or {}} for e in result.errors
        ]
    return response
