"""The HTTP service: `POST /graphql`, GraphiQL on `GET /graphql`, and `GET /health`.

    app = create_app(Settings(), store)        # uvicorn runs it; `quanze serve` does both

The caller's role comes from the `Authorization: Bearer <token>` header, looked
up by the token's sha256 in the settings; no header means `public`. Unexpected
errors are masked: the client gets "internal error" and a request id, the log
gets the details (never a person's data: the log names the request, not its
variables).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from graphql import GraphQLError
from strawberry.http.ides import get_graphql_ide_html

from api.context import Context
from api.roles import Role
from api.schema import SCHEMA
from api.settings import Settings, hash_token
from graph.errors import QuanzeError
from graph.store import GraphReader
from ontology import NodeKind

__all__ = ["create_app", "execute"]

log = logging.getLogger("quanze.api")


def create_app(settings: Settings, reader: GraphReader) -> FastAPI:
    """The FastAPI application serving `reader` under `settings`."""
    app = FastAPI(
        title="quanze",
        description="Powers and duties of a government, as a graph.",
        docs_url=None,
        redoc_url=None,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    tokens = {digest.lower(): Role.parse(role) for digest, role in settings.tokens.items()}

    @app.get("/health")
    def health() -> JSONResponse:
        try:
            reader.count(NodeKind.DEPARTMENT)
        except QuanzeError as error:
            return JSONResponse({"status": "unavailable", "reason": str(error)}, status_code=503)
        return JSONResponse({"status": "ok"})

    @app.get("/graphql", response_model=None)
    def graphiql() -> HTMLResponse | JSONResponse:
        if not settings.graphiql:
            return JSONResponse({"errors": [{"message": "GraphiQL is turned off; POST queries here"}]}, 404)
        return HTMLResponse(get_graphql_ide_html("graphiql"))

    @app.post("/graphql")
    async def graphql(request: Request) -> JSONResponse:
        request_id = uuid.uuid4().hex[:12]
        role = _role(request.headers.get("authorization"), tokens)
        if role is None:
            return _error_response("the bearer token is not known to this service", "UNAUTHENTICATED", 401)
        try:
            body = await request.json()
        except ValueError:
            return _error_response("the request body is not JSON", "BAD_REQUEST", 400)
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return _error_response("the request needs a JSON body with a query", "BAD_REQUEST", 400)
        response = await execute(
            reader,
            body["query"],
            variables=body.get("variables") or {},
            operation_name=body.get("operationName"),
            role=role,
            request_id=request_id,
        )
        return JSONResponse(response, headers={"X-Request-Id": request_id})

    return app


async def execute(
    reader: GraphReader,
    query: str,
    *,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
    role: Role = Role.PUBLIC,
    request_id: str = "-",
) -> dict[str, Any]:
    """Run one GraphQL operation and return the response as the wire has it ({data, errors})."""
    context = Context(reader=reader, role=role)
    result = await SCHEMA.execute(
        query, variable_values=variables, operation_name=operation_name, context_value=context
    )
    response: dict[str, Any] = {"data": result.data}
    if result.errors:
        response["errors"] = [_format(error, request_id) for error in result.errors]
    return response


def _format(error: GraphQLError, request_id: str) -> dict[str, Any]:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError | QuanzeError):
        return dict(error.formatted)
    log.error("request %s: internal error at %s", request_id, error.path, exc_info=original)
    masked = GraphQLError(
        f"internal error (request {request_id})",
        path=error.path,
        nodes=error.nodes,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )
    return dict(masked.formatted)


def _role(header: str | None, tokens: dict[str, Role]) -> Role | None:
    if not header:
        return Role.PUBLIC
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return tokens.get(hash_token(token.strip()))


def _error_response(message: str, code: str, status: int) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status)
