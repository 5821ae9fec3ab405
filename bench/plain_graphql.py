"""The yardstick for bench/api.py: bare graphql-core answering the page-of-50 query from the same store.

    python bench/plain_graphql.py --port 8001

No roles, no limits, no loaders: a minimal schema whose resolvers read the
memory store directly, the parsed and validated document cached, served by a
bare Starlette app on one uvicorn worker. It answers only what the benchmark
asks, so it shows what quanze's own layers cost.
"""

from __future__ import annotations

import argparse
import json
from functools import lru_cache
from typing import Any

import uvicorn
from graphql import DocumentNode, build_schema, execute, parse, validate
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph import MemoryStore
from graph.queries import power_item_ids
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import EdgeKind

SDL = """
type Query { powerItems(first: Int = 50): PowerItemConnection! }
type PowerItemConnection { totalCount: Int! edges: [PowerItemEdge!]! }
type PowerItemEdge { node: PowerItem! }
type PowerItem { code: String! name: String! powerType: String! departments: [Department!]! laws: [LawArticle!]! }
type Department { name: String! }
type LawArticle { law: String! article: String }
"""

STORE = MemoryStore()
load_workbook(DEMO_WORKBOOK, STORE)
SCHEMA = build_schema(SDL)


def _power_items(_: Any, info: Any, first: int = 50) -> dict[str, Any]:
    ids = power_item_ids(STORE)
    page = [node for node in STORE.nodes_by_id(list(ids[:first])) if node is not None]
    return {"totalCount": len(ids), "edges": [{"node": node} for node in page]}


def _field(name: str) -> Any:
    return lambda node, info: node.get(name)


def _departments(node: Any, info: Any) -> list[Any]:
    return STORE.nodes_by_id([edge.target for edge in STORE.edges(source=node.id, kind=EdgeKind.HELD_BY)])


def _laws(node: Any, info: Any) -> list[dict[str, Any]]:
    found = []
    for edge in STORE.edges(source=node.id, kind=EdgeKind.CITES):
        target = STORE.node(edge.target)
        if target is None:
            continue
        law = next(
            (STORE.node(e.target) for e in STORE.edges(source=target.id, kind=EdgeKind.ARTICLE_OF)), target
        )
        found.append({"law": law["name"] if law else "", "article": target.get("label")})
    return found


SCHEMA.query_type.fields["powerItems"].resolve = _power_items  # type: ignore[union-attr]
item_type: Any = SCHEMA.type_map["PowerItem"]
item_type.fields["code"].resolve = _field("code")
item_type.fields["name"].resolve = _field("name")
item_type.fields["powerType"].resolve = _field("power_type")
item_type.fields["departments"].resolve = _departments
item_type.fields["laws"].resolve = _laws
department_type: Any = SCHEMA.type_map["Department"]
department_type.fields["name"].resolve = _field("name")


@lru_cache(maxsize=64)
def _document(query: str) -> DocumentNode:
    document = parse(query)
    errors = validate(SCHEMA, document)
    if errors:
        raise ValueError(errors[0].message)
    return document


async def graphql(request: Request) -> Response:
    body = json.loads(await request.body())
    result = execute(SCHEMA, _document(body["query"]))
    return JSONResponse(
        {"data": result.data} if not result.errors else {"errors": [str(e) for e in result.errors]}
    )


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"]), Route("/health", health)])

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8001)
    uvicorn.run(app, host="127.0.0.1", port=parser.parse_args().port, log_level="warning", access_log=False)
