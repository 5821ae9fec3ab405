"""Running one GraphQL request: persisted queries, limits, the timeout, and errors masked.

`QueryService.run(request, role)` is the whole path a request takes, for the
HTTP service and for `quanze query` alike:

1. the request's shape: `query` a string, `variables` and `extensions` objects,
   `operationName` a string naming an operation of the document; anything else
   is answered 400 `BAD_REQUEST` with a GraphQL error body, never a 500;
2. automatic persisted queries (the sha256-hash protocol Apollo clients use):
   a request may send `extensions.persistedQuery.sha256Hash` without the query
   text once the service has seen it;
3. parsing (cached) with a token limit, then depth, alias and cost limits
   (`api.limits`; their verdict kept per query text, variables and operation), before anything runs;
4. execution with the request's context, in a worker thread, within the timeout: by strawberry the
   first time a query is seen for a role, then by the plan learnt from that answer (`api.plans`), the
   fields worked out once per document and resolved without graphql-core's per-field executor; a
   plan that took less processor time than one thread switch interval runs on the event loop (over
   the memory store only), and anything a plan meets but a plain answer is run again by strawberry,
   which reports it.
   The context carries the request's deadline: the resolvers and loaders check it
   as they go, so a query past its timeout stops working at the next check
   instead of running on in its thread. The analyses are computed once per store
   version in the background (`api.cache`); a query that needs one not ready yet
   waits for it on the event loop, holding no thread, at most until its deadline,
   and then runs again;
5. the answer is encoded in the worker thread too (a plan's on the event loop, where it ran), and one
   over `max_response_bytes` is replaced by a `RESPONSE_TOO_LARGE` error: a query the cost model let
   through cannot pull megabytes either;
6. a response cache: an answer without errors is kept for the same query, variables, role, day and
   store version (the graph changes only when data is loaded, which changes the version), so the
   views' repeated queries are served without running again;
   An answer that read or wrote the ledger is never kept (reviews change without the store's
   version, and other processes may write them), nor is a mutation's;
7. errors: those of the query (bad input, forbidden fields, limits) go to the
   client as they are; anything unexpected is masked as "internal error" with a
   request id, and logged with that id and the path of the field, never the
   query's variables (they may hold names).

A mutation (`reviewFinding`) is refused over `GET` (405): a link or a prefetch must never write.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import re
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    parse,
)

from api.cache import AnalysesBusy, AnalysisCache, AnalysisPending
from api.context import Context
from api.deadline import Deadline, DeadlineExceeded
from api.limits import DEFAULT_LIMITS, Limits, check
from api.plans import Plan, PlanAbandoned, PlanCache
from api.roles import Role
from api.schema import build_schema
from graph import MemoryStore
from graph.analyses.trace import DEFAULT_IDLE_TOLERANCE
from graph.errors import QuanzeError, StoreUnavailable
from graph.ledger import Ledger
from graph.store import GraphReader

__all__ = ["QueryService", "Response"]

log = logging.getLogger("quanze.api")

APQ_VERSION = 1
MAX_CACHED_BYTES = 512 * 1024
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
#: how many (query, variables, operation) the service remembers the limits' verdict on
CHECKED_SIZE = 512
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(slots=True)
class Response:
    """A GraphQL response and the HTTP status it travels with; `encoded` when it came from the cache."""

    body: dict[str, Any]
    status: int = 200
    operation: str | None = None
    encoded: bytes | None = None

    def json(self) -> bytes:
        """The body as the wire has it (UTF-8; text that UTF-8 cannot carry is escaped)."""
        if self.encoded is None:
            text = json.dumps(self.body, ensure_ascii=False, default=str)
            try:
                self.encoded = text.encode()
            except UnicodeEncodeError:  # a lone surrogate: JSON's escapes carry it
                self.encoded = json.dumps(self.body, default=str).encode()
        return self.encoded


@dataclass
class QueryService:
    """Runs GraphQL requests against one reader, with one analysis cache shared by every request, and
    the ledger the reviews are recorded in (none: every finding is OPEN and none can be reviewed)."""

    reader: GraphReader
    ledger: Ledger | None = None
    limits: Limits = DEFAULT_LIMITS
    timeout: float = 15.0
    introspection: bool = True
    persisted_size: int = 2000
    response_cache: int = 512
    max_response_bytes: int = MAX_RESPONSE_BYTES
    idle_tolerance: int = DEFAULT_IDLE_TOLERANCE
    analyses: AnalysisCache = field(init=False)
    schema: strawberry.Schema = field(init=False)
    _persisted: OrderedDict[str, str] = field(init=False, default_factory=OrderedDict)
    _responses: OrderedDict[tuple[Any, ...], Response] = field(init=False, default_factory=OrderedDict)
    plans: PlanCache = field(init=False)
    _in_process: bool = field(init=False, default=False)
    _checked: OrderedDict[tuple[str, str, str | None], list[GraphQLError]] = field(
        init=False, default_factory=OrderedDict
    )

    def __post_init__(self) -> None:
        self.analyses = AnalysisCache(self.reader)
        self.schema = build_schema(introspection=self.introspection)
        self.plans = PlanCache(self.schema)
        # a plan may run on the event loop only over a store in this process: no network to wait on
        self._in_process = isinstance(self.reader, MemoryStore)

    async def run(
        self,
        request: Any,
        role: Role,
        request_id: str = "-",
        *,
        reviewer: str | None = None,
        mutations: bool = True,
    ) -> Response:
        """Answer one request body ({query, variables, operationName, extensions}) of a caller of `role`
        whose reviews are recorded under the name `reviewer`; with `mutations` False (a GET), a
        mutation is refused."""
        malformed = _malformed(request)
        if malformed is not None:
            return _client_error(malformed, "BAD_REQUEST", 400)
        query, error = self._query_text(request)
        if error is not None:
            return error
        assert query is not None
        variables: dict[str, Any] = request.get("variables") or {}
        operation: str | None = request.get("operationName") or None
        document = _parse(query, self.limits.max_tokens)
        if isinstance(document, GraphQLError):
            return Response({"errors": [dict(document.formatted)]}, 400)
        unknown = _operation_problem(document, operation)
        if unknown is not None:
            return _client_error(unknown, "BAD_REQUEST", 400)
        mutation = _is_mutation(document, operation)
        if mutation and not mutations:
            return _client_error("a mutation is sent with POST, never GET", "BAD_REQUEST", 405, operation)
        arguments = json.dumps(variables, sort_keys=True)
        refused = self._refusals(query, document, variables, arguments, operation)
        if refused:
            return Response({"errors": [dict(e.formatted) for e in refused]}, 400, operation)
        try:
            version = self.reader.version
        except StoreUnavailable as error:
            return _client_error(str(error), "STORE_UNAVAILABLE", 503)
        self.analyses.observe_version(version)
        context = Context(
            reader=self.reader,
            role=role,
            analyses=self.analyses,
            deadline=Deadline.after(self.timeout),
            defer_analyses=True,
            ledger=self.ledger,
            reviewer=reviewer,
            idle_tolerance=self.idle_tolerance,
        )
        key = (
            version,
            role,
            context.today,
            query,
            arguments,
            operation,
        )
        cached = self._responses.get(key) if self.response_cache else None
        if cached is not None:
            self._responses.move_to_end(key)
            return cached
        try:
            async with asyncio.timeout(self.timeout):
                response = await self._answer(query, document, variables, operation, context, request_id)
        except TimeoutError:
            response = _timed_out(self.timeout, operation)
        if response.status == 503:
            log.warning("request %s: %s", request_id, response.body["errors"][0]["message"])
        cacheable = (
            response.status == 200
            and "errors" not in response.body
            and not mutation
            and not context.reviews.used
        )
        if cacheable and self.response_cache and len(response.json()) <= MAX_CACHED_BYTES:
            self._responses[key] = response
            while len(self._responses) > self.response_cache:
                self._responses.popitem(last=False)
        return response

    async def _answer(
        self,
        query: str,
        document: DocumentNode,
        variables: dict[str, Any],
        operation: str | None,
        context: Context,
        request_id: str,
    ) -> Response:
        """Run the query in a worker thread; while it needs analyses not computed yet, wait for them here
        (holding no thread) and run it again. A plan whose last run took less processor time than one
        of the interpreter's thread switch intervals (`Plan.quick`) runs here, on the event loop: a
        thread would hold the interpreter as long, and only add the hand-offs between threads."""
        plan = self.plans.get(query, operation, context.role) if self._in_process else None
        if plan is not None and plan.quick:
            planned = self._by_plan(plan, variables, operation, context, request_id)
            if planned is not None:
                return planned  # else strawberry runs it in the thread, and says what went wrong
        while True:
            # Resolvers are plain functions (see api.context): the query runs in a worker thread, so the
            # timeout can answer the client even while it runs; the thread stops at its next check of the
            # deadline.
            outcome = await asyncio.to_thread(
                self._execute, query, document, variables, operation, context, request_id
            )
            if isinstance(outcome, Response):
                return outcome
            for computation in outcome:
                await _until_done(computation)

    def _execute(
        self,
        query: str,
        document: DocumentNode,
        variables: dict[str, Any],
        operation: str | None,
        context: Context,
        request_id: str,
    ) -> Response | list[Future[Any]]:
        """Run the query and encode its answer (in a worker thread: neither may hold up the event loop);
        or the computations of the analyses it needs that are not done yet.

        A query answered before without errors, for the same role, runs by its plan (`api.plans`);
        when the plan meets anything but a plain answer, strawberry runs it again and reports it."""
        plan = self.plans.get(query, operation, context.role)
        planned = self._by_plan(plan, variables, operation, context, request_id) if plan else None
        if planned is not None:
            return planned
        result = self.schema.execute_sync(
            query, variable_values=variables, operation_name=operation, context_value=context
        )
        errors = result.errors or []
        if not errors and not self.plans.known(query, operation, context.role):
            self.plans.learn(query, document, operation, context.role)
        originals = [error.original_error for error in errors]
        pending = [o.computation for o in originals if isinstance(o, AnalysisPending)]
        if pending:
            return pending
        if any(isinstance(original, DeadlineExceeded) for original in originals):
            return _timed_out(self.timeout, operation)
        busy = next((original for original in originals if isinstance(original, AnalysesBusy)), None)
        if busy is not None:
            return Response({"errors": [dict(busy.formatted)]}, 503, operation)
        body: dict[str, Any] = {"data": result.data}
        if errors:
            body["errors"] = [_format(error, request_id) for error in errors]
        return self._sized(Response(body, 200, operation), request_id)

    def _by_plan(
        self, plan: Plan, variables: dict[str, Any], operation: str | None, context: Context, request_id: str
    ) -> Response | None:
        """The plan's answer, encoded; None when the plan gave up (strawberry must answer)."""
        try:
            data = plan.run(context, variables)
        except PlanAbandoned:
            return None
        if context.reviews.used:  # it waited on the ledger's file: never on the event loop
            plan.quick = False
        return self._sized(Response({"data": data}, 200, operation), request_id)

    def _sized(self, response: Response, request_id: str) -> Response:
        """The response, encoded; or `RESPONSE_TOO_LARGE` in its place when it is over the limit."""
        operation = response.operation
        size = len(response.json())
        if size > self.max_response_bytes:
            log.warning("request %s: an answer of %d bytes withheld", request_id, size)
            message = (
                f"the answer is {size:,} bytes; at most {self.max_response_bytes:,} are sent "
                "(ask for smaller pages with `first`, or fewer fields)"
            )
            return _client_error(message, "RESPONSE_TOO_LARGE", 400, operation)
        return response

    def _refusals(
        self,
        query: str,
        document: DocumentNode,
        variables: dict[str, Any],
        arguments: str,
        operation: str | None,
    ) -> list[GraphQLError]:
        """The limits' errors for the query (`api.limits.check`), worked out once for each query text,
        variables (`arguments`, as JSON) and operation: they depend on nothing else."""
        key = (query, arguments, operation)
        found = self._checked.get(key)
        if found is not None:
            self._checked.move_to_end(key)
            return found
        found = check(document, variables, self.limits, operation, self.schema._schema)
        self._checked[key] = found
        while len(self._checked) > CHECKED_SIZE:
            self._checked.popitem(last=False)
        return found

    def _query_text(self, request: dict[str, Any]) -> tuple[str | None, Response | None]:
        query = request.get("query")
        persisted = (request.get("extensions") or {}).get("persistedQuery")
        if persisted is None:
            if not isinstance(query, str) or not query.strip():
                return None, _client_error("the request needs a query", "BAD_REQUEST", 400)
            return query, None
        if persisted.get("version") != APQ_VERSION:
            return None, _client_error(
                "unsupported persisted query version", "PERSISTED_QUERY_NOT_SUPPORTED", 400
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            return None, _client_error(
                "extensions.persistedQuery.sha256Hash must be a sha256 hex digest", "BAD_REQUEST", 400
            )
        digest = digest.lower()
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


async def _until_done(computation: Future[Any]) -> None:
    """Wait for an analysis' computation to end, however it ends (its result or its error comes out of
    the query when it runs again). A request that gives up leaves it running for the others."""
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[None] = loop.create_future()

    def wake(_: Future[Any]) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            loop.call_soon_threadsafe(_end, ended)

    computation.add_done_callback(wake)
    await ended


def _end(ended: asyncio.Future[None]) -> None:
    if not ended.done():
        ended.set_result(None)


def _timed_out(timeout: float, operation: str | None) -> Response:
    return Response({"errors": [dict(DeadlineExceeded(timeout).formatted)]}, 503, operation)


def _malformed(request: Any) -> str | None:
    """What is wrong with the shape of a request body, or None: the types of its members, and text
    that is not Unicode (a lone surrogate, which JSON allows)."""
    if not isinstance(request, dict):
        return "the request must be a JSON object"
    kinds: tuple[tuple[str, type, str], ...] = (
        ("query", str, "a string"),
        ("operationName", str, "a string"),
        ("variables", dict, "a JSON object"),
        ("extensions", dict, "a JSON object"),
    )
    for name, kind, said in kinds:
        value = request.get(name)
        if value is not None and not isinstance(value, kind):
            return f"{name} must be {said}, not {_json_type(value)}"
    persisted = (request.get("extensions") or {}).get("persistedQuery")
    if persisted is not None and not isinstance(persisted, dict):
        return f"extensions.persistedQuery must be a JSON object, not {_json_type(persisted)}"
    if not _unicode(request):
        return "the request holds text that is not valid Unicode"
    return None


def _operation_problem(document: DocumentNode, name: str | None) -> str | None:
    """Why `name` does not pick one operation of the document to run, or None."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if not operations:
        return "the document has no operation to run (only fragments)"
    if name is None:
        if len(operations) > 1:
            return "the document has several operations: name the one to run in operationName"
        return None
    if not any(o.name is not None and o.name.value == name for o in operations):
        named = sorted(o.name.value for o in operations if o.name is not None)
        known = f" (it has {', '.join(named)})" if named else " (its operation has no name)"
        return f"the document has no operation named {name[:100]!r}{known}"
    return None


def _is_mutation(document: DocumentNode, name: str | None) -> bool:
    """Whether the operation to run (named `name`, or the only one) is a mutation."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next((o for o in operations if name is None or (o.name and o.name.value == name)), None)
    return chosen is not None and chosen.operation is OperationType.MUTATION


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def _unicode(value: Any) -> bool:
    """Whether every string in a decoded JSON value (keys too) can be written as UTF-8."""
    pending = [value]
    while pending:  # a loop, not recursion: JSON nests as deep as its sender likes
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode()
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


def _client_error(message: str, code: str, status: int, operation: str | None = None) -> Response:
    return Response({"errors": [{"message": message, "extensions": {"code": code}}]}, status, operation)


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
