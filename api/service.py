"""Running one GraphQL request: persisted queries, limits, the timeout, and errors masked.

`QueryService.run(request, role)` is the whole path a request takes, for the
HTTP service and for `quanze query` alike:

1. automatic persisted queries (the sha256-hash protocol Apollo clients use):
   a request may send `extensions.persistedQuery.sha256Hash` without the query
   text once the service has seen it;
2. parsing (cached) with a token limit, then depth, alias and cost limits
   (`api.limits`), before anything runs;
3. execution with the request's context, in a worker thread, within the timeout;
4. a response cache: an answer without errors is kept for the same query, variables, role, day and
   store version (the graph changes only when data is loaded, which changes the version), so the
   views' repeated queries are served without running again;
5. errors: those of the query (bad input, forbidden fields, limits) go to the
   client as they are; anything unexpected is masked as "internal error" with a
   request id, and logged with that id and the path of the field, never the
   query's variables (they may hold names).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import strawberry
from graphql import DocumentNode, GraphQLError, GraphQLSyntaxError, parse

from api.cache import AnalysisCache
from api.context import Context
from api.limits import DEFAULT_LIMITS, Limits, check
from api.roles import Role
from api.schema import build_schema
from graph.errors import QuanzeError, StoreUnavailable
from graph.store import GraphReader

__all__ = ["QueryService", "Response"]

log = logging.getLogger("quanze.api")

APQ_VERSION = 1
MAX_CACHED_BYTES = 512 * 1024


@dataclass(slots=True)
class Response:
    """A GraphQL response and the HTTP status it travels with; `encoded` when it came from the cache."""

    body: dict[str, Any]
    status: int = 200
    operation: str | None = None
    encoded: bytes | None = None

    def json(self) -> bytes:
        """The body as the wire has it."""
        if self.encoded is None:
            self.encoded = json.dumps(self.body, ensure_ascii=False, default=str).encode()
        return self.encoded


@dataclass
class QueryService:
    """Runs GraphQL requests against one reader, with one analysis cache shared by every request."""

    reader: GraphReader
    limits: Limits = DEFAULT_LIMITS
    timeout: float = 15.0
    introspection: bool = True
    persisted_size: int = 2000
    response_cache: int = 512
    analyses: AnalysisCache = field(init=False)
    schema: strawberry.Schema = field(init=False)
    _persisted: OrderedDict[str, str] = field(init=False, default_factory=OrderedDict)
    _responses: OrderedDict[tuple[Any, ...], Response] = field(init=False, default_factory=OrderedDict)

    def __post_init__(self) -> None:
        self.analyses = AnalysisCache(self.reader)
        self.schema = build_schema(introspection=self.introspection)

    async def run(self, request: dict[str, Any], role: Role, request_id: str = "-") -> Response:
        """Answer one request body ({query, variables, operationName, extensions})."""
        query, error = self._query_text(request)
        if error is not None:
            return error
        assert query is not None
        variables = request.get("variables") or {}
        if not isinstance(variables, dict):
            return _client_error("variables must be a JSON object", "BAD_REQUEST", 400)
        operation = request.get("operationName")
        document = _parse(query, self.limits.max_tokens)
        if isinstance(document, GraphQLError):
            return Response({"errors": [dict(document.formatted)]}, 400)
        refused = check(document, variables, self.limits, operation)
        if refused:
            return Response({"errors": [dict(e.formatted) for e in refused]}, 400, operation)
        context = Context(reader=self.reader, role=role, analyses=self.analyses)
        try:
            version = self.reader.version
        except StoreUnavailable as error:
            return _client_error(str(error), "STORE_UNAVAILABLE", 503)
        key = (
            version,
            role,
            context.today,
            query,
            json.dumps(variables, sort_keys=True),
            operation,
        )
        cached = self._responses.get(key) if self.response_cache else None
        if cached is not None:
            self._responses.move_to_end(key)
            return cached
        try:
            # Resolvers are plain functions (see api.context): the query runs in a worker thread, so the
            # timeout can answer the client even while a long computation goes on.
            result = await asyncio.wait_for(
                asyncio.to_thread(
                    self.schema.execute_sync,
                    query,
                    variable_values=variables,
                    operation_name=operation,
                    context_value=context,
                ),
                self.timeout,
            )
        except TimeoutError:
            log.warning("request %s: timed out after %.1f s", request_id, self.timeout)
            message = f"the query took longer than {self.timeout:g} s; ask for less"
            return _client_error(message, "TIMEOUT", 503)
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [_format(error, request_id) for error in result.errors]
            return Response(body, 200, operation)
        response = Response(body, 200, operation)
        if self.response_cache and len(response.json()) <= MAX_CACHED_BYTES:
            self._responses[key] = response
            while len(self._responses) > self.response_cache:
                self._responses.popitem(last=False)
        return response

    def _query_text(self, request: dict[str, Any]) -> tuple[str | None, Response | None]:
        query = request.get("query")
        persisted = (request.get("extensions") or {}).get("persistedQuery")
        if persisted is None:
            if not isinstance(query, str) or not query.strip():
                return None, _client_error("the request needs a query", "BAD_REQUEST", 400)
            return query, None
        if not isinstance(persisted, dict) or persisted.get("version") != APQ_VERSION:
            return None, _client_error(
                "unsupported persisted query version", "PERSISTED_QUERY_NOT_SUPPORTED", 400
            )
        digest = str(persisted.get("sha256Hash", "")).lower()
        if query is None:
            known = self._persisted.get(digest)
            if known is None:
                return None, _client_error("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", 200)
            self._persisted.move_to_end(digest)
            return known, None
        if not isinstance(query, str) or hashlib.sha256(query.encode()).hexdigest() != digest:
            return None, _client_error("provided sha does not match query", "BAD_REQUEST", 400)
        self._persisted[digest] = query
        while len(self._persisted) > self.persisted_size:
            self._persisted.popitem(last=False)
        return query, None


@lru_cache(maxsize=512)
def _parse(query: str, max_tokens: int) -> DocumentNode | GraphQLError:
    try:
        return parse(query, max_tokens=max_tokens)
    except GraphQLSyntaxError as error:
        if "token limit" in error.message.lower() or "tokens" in error.message.lower():
            return GraphQLError(
                f"the query has more than {max_tokens} tokens", extensions={"code": "QUERY_TOO_COMPLEX"}
            )
        return GraphQLError(
            error.message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            extensions={"code": "GRAPHQL_PARSE_FAILED"},
        )


def _client_error(message: str, code: str, status: int) -> Response:
    return Response({"errors": [{"message": message, "extensions": {"code": code}}]}, status)


def _format(error: GraphQLError, request_id: str) -> dict[str, Any]:
    original = error.original_error
    if isinstance(original, StoreUnavailable):
        return {**error.formatted, "extensions": {"code": "STORE_UNAVAILABLE"}}
    if original is None or isinstance(original, GraphQLError | QuanzeError):
        return dict(error.formatted)
    log.error(
        "request %s: internal error at %s: %s",
        request_id,
        error.path,
        type(original).__name__,
        exc_info=original,
    )
    masked = GraphQLError(
        f"internal error (request {request_id})",
        path=error.path,
        nodes=error.nodes,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )
    return dict(masked.formatted)
