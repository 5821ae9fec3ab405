"""The HTTP service: `POST /graphql` (and `GET` for persisted queries), GraphiQL, `/export`, `/health`, `/ready`.

    app = create_app(Settings(), store)        # uvicorn runs it; `quanze serve` does both
    app = create_app(Settings(), store, ledger=SQLiteLedger(path))   # reviews recorded in `path`

When the app starts (its lifespan), the analyses of the store's current version
start computing in the background (`api.cache`); `/ready` answers 200 once they
are computed and 503 with those still pending until then, while `/health` only
says that the process answers and the store can be read, and never computes.
A malformed request is answered 400 with a GraphQL error body, never a 500.

The caller's role comes from `Authorization: Bearer <token>`, looked up by the
token's sha256 in the settings; no header means `public`. The name configured
for a token is the reviewer of the caller's reviews. Every response
carries an `X-Request-Id`; every request is logged as one JSON line on the
`quanze.access` logger (method, path, status, milliseconds, role, operation
name), never with its query text, variables, token or the caller's name.

The ledger (`graph.ledger`) the reviews are written to is the one given; else,
with a Neo4j store, the store's own database (`Neo4jLedger`, shared by every
process serving it); else the SQLite file of the `QUANZE_LEDGER` setting; else
none: findings are all OPEN and `reviewFinding` answers `LEDGER_UNAVAILABLE`.
Never a file the caller did not name: a test or a program embedding the app
must not write into the user's home by accident (`quanze serve` names the
default file of the user's data directory itself). A ledger the app opened is
closed when it stops.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.cache import AnalysesBusy
from api.exports import answer_export
from api.headers import SecurityHeaders
from api.roles import Caller, Role
from api.service import QueryService
from api.settings import Settings, hash_token
from graph.errors import QuanzeError
from graph.ledger import Ledger, SQLiteLedger
from graph.store import GraphReader
from ontology import NodeKind

__all__ = ["create_app", "default_ledger", "execute", "start_analyses"]

access = logging.getLogger("quanze.access")
log = logging.getLogger("quanze.api")
STATIC = Path(__file__).with_name("static")
GRAPHIQL = STATIC / "graphiql.html"  # GraphiQL from the files vendored beside it: no other origin


def create_app(settings: Settings, reader: GraphReader, *, ledger: Ledger | None = None) -> FastAPI:
    """The FastAPI application serving `reader` under `settings`, recording reviews in `ledger` (when
    None, the store's or the settings' ledger: see the module's docstring)."""
    opened = ledger is None
    if ledger is None:
        ledger = default_ledger(settings, reader)
    service = QueryService(
        reader,
        ledger=ledger,
        limits=settings.limits,
        timeout=settings.request_timeout,
        introspection=settings.introspection,
        persisted_size=settings.persisted_queries,
        response_cache=settings.response_cache,
        max_response_bytes=settings.max_response_bytes,
        idle_tolerance=settings.idle_tolerance,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        start_analyses(service)
        yield
        if opened and service.ledger is not None:
            service.ledger.close()

    app = FastAPI(
        title="quanze",
        description="Powers and duties of a government, as a graph.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.service = service
    tokens = settings.callers
    app.add_middleware(AccessLog)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["X-Request-Id"],
        )

    @app.get("/health")
    def health() -> JSONResponse:
        """Liveness: the process answers and the store can be read (never an analysis)."""
        return _store_state(reader)

    @app.get("/ready")
    def ready() -> JSONResponse:
        """Readiness: the store can be read and the analyses of its current version are computed; asking
        starts the computation of those that have not started, and does not wait for them."""
        state = _store_state(reader)
        if state.status_code != 200:
            return state
        try:
            pending = service.analyses.pending()
        except QuanzeError as error:
            return JSONResponse({"status": "unavailable", "reason": str(error)}, status_code=503)
        except AnalysesBusy as error:
            return JSONResponse({"status": "not ready", "reason": error.message}, status_code=503)
        if pending:
            return JSONResponse({"status": "not ready", "analyses": pending}, status_code=503)
        return JSONResponse({"status": "ready"})

    @app.get("/graphql", response_model=None)
    async def graphql_get(request: Request) -> Response:
        params = request.query_params
        if "query" not in params and "extensions" not in params:
            if not settings.graphiql:
                return _json({"errors": [{"message": "GraphiQL is turned off; POST queries here"}]}, 404)
            return HTMLResponse(GRAPHIQL.read_text(encoding="utf-8"))
        if len(request.url.query) > settings.max_body_bytes:
            return _error(
                f"the request's parameters are over {settings.max_body_bytes} bytes", "PAYLOAD_TOO_LARGE", 413
            )
        try:
            body = {key: json.loads(params[key]) for key in ("variables", "extensions") if key in params}
        except (ValueError, RecursionError):  # not JSON, a number of too many digits, nested too deep
            return _error("variables and extensions must be JSON", "BAD_REQUEST", 400)
        body["query"] = params.get("query")
        body["operationName"] = params.get("operationName")
        return await _answer(request, body, mutations=False)

    @app.post("/graphql")
    async def graphql_post(request: Request) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > settings.max_body_bytes:
            return _error(
                f"the request body is over {settings.max_body_bytes} bytes", "PAYLOAD_TOO_LARGE", 413
            )
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > settings.max_body_bytes:
                return _error(
                    f"the request body is over {settings.max_body_bytes} bytes", "PAYLOAD_TOO_LARGE", 413
                )
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):  # not JSON or not UTF-8, too many digits, nested too deep
            return _error("the request body is not JSON", "BAD_REQUEST", 400)
        if not isinstance(body, dict):
            return _error("the request body must be a JSON object", "BAD_REQUEST", 400)
        return await _answer(request, body)

    @app.post("/export")
    async def export(request: Request) -> Response:
        """A view's tables as a workbook or a CSV file (api/exports.py): no role needed, only formatting."""
        caller = _caller(request.headers.get("authorization"), tokens)
        if caller is None:
            return _error("the bearer token is not known to this service", "UNAUTHENTICATED", 401)
        request.state.role = caller.role
        return await answer_export(request)

    async def _answer(request: Request, body: dict[str, Any], *, mutations: bool = True) -> Response:
        caller = _caller(request.headers.get("authorization"), tokens)
        if caller is None:
            return _error("the bearer token is not known to this service", "UNAUTHENTICATED", 401)
        request.state.role = caller.role  # the access log's: never the caller's name
        result = await service.run(
            body, caller.role, request.state.request_id, reviewer=caller.name, mutations=mutations
        )
        request.state.operation = result.operation
        return Response(result.json(), result.status, media_type="application/json")

    if STATIC.joinpath("index.html").is_file():  # the views (issue 8), served as they are: no build step
        app.mount("/", StaticFiles(directory=STATIC, html=True), name="views")
    app.add_middleware(SecurityHeaders)  # outermost: every response, CORS preflights too (api/headers.py)
    return app


def default_ledger(settings: Settings, reader: GraphReader) -> Ledger | None:
    """The ledger of a service given none: a Neo4j store's own, else the `QUANZE_LEDGER` file's, else
    none. (A Neo4j store was made by `graph.neo4j`, so it is imported already when the reader is one:
    the memory store's service never loads the Neo4j driver.)"""
    connection = sys.modules.get("graph.neo4j.connection")
    if connection is not None and isinstance(reader, connection.Neo4jConnection):
        from graph.ledger.neo4j import Neo4jLedger

        return Neo4jLedger(reader)
    return SQLiteLedger(settings.ledger) if settings.ledger is not None else None


def start_analyses(service: QueryService) -> None:
    """Start computing the analyses of the service's store in the background (the app does when it
    starts); when the store cannot be read yet, they start with the first request that reads it."""
    try:
        service.analyses.start()
    except QuanzeError as error:
        log.warning("the analyses will start when the store answers: %s", error)


async def execute(
    reader: GraphReader,
    query: str,
    *,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
    role: Role = Role.PUBLIC,
    ledger: Ledger | None = None,
    reviewer: str | None = None,
) -> dict[str, Any]:
    """Run one GraphQL operation without a server and return the response body ({data, errors});
    reviews read from and written to `ledger` (none: every finding is OPEN), as `reviewer`."""
    service = QueryService(reader, ledger=ledger)
    request = {"query": query, "variables": variables or {}, "operationName": operation_name}
    return (await service.run(request, role, reviewer=reviewer)).body


class AccessLog:
    """Gives every request an id (the `X-Request-Id` header) and logs it as one JSON line when it ends.

    A plain ASGI middleware: it sees the status and the time, and what the GraphQL route noted in the
    request's state (role, operation name), never the body, the query or the headers' values.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:12]
        state = scope.setdefault("state", {})
        state.update(request_id=request_id, role=None, operation=None)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            role: Role | None = state.get("role")
            access.info(
                json.dumps(
                    {
                        "request": request_id,
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "role": role.value if role else None,
                        "operation": state.get("operation"),
                    },
                    ensure_ascii=False,
                )
            )


def _store_state(reader: GraphReader) -> JSONResponse:
    try:
        reader.count(NodeKind.DEPARTMENT)
    except QuanzeError as error:
        return JSONResponse({"status": "unavailable", "reason": str(error)}, status_code=503)
    return JSONResponse({"status": "ok"})


def _caller(header: str | None, tokens: dict[str, Caller]) -> Caller | None:
    if not header:
        return Caller(Role.PUBLIC)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return tokens.get(hash_token(token.strip()))


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, default=str), status, media_type="application/json")


def _error(message: str, code: str, status: int) -> Response:
    return _json({"errors": [{"message": message, "extensions": {"code": code}}]}, status)
