"""The service as the public meets it: role rules on every path, limits, batching, paging, persisted
queries, masked errors, logs without personal data, and the HTTP settings."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from graphql import parse

from api.app import create_app
from api.limits import Limits, check
from api.settings import Settings, hash_token
from graph import MemoryStore
from graph.model import Node
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import NodeKind
from tests.stores import CountingReads

TOKENS = {"staff-token": "staffing", "inv-token": "investigator"}


class CountingStore(CountingReads, MemoryStore):
    """The real memory store, counting the calls made to its read primitives."""


@pytest.fixture(scope="module")
def store() -> CountingStore:
    store = CountingStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


def _client(store: MemoryStore, **settings: Any) -> TestClient:
    tokens = {hash_token(token): role for token, role in TOKENS.items()}
    return TestClient(create_app(Settings(tokens=tokens, **settings), store))


@pytest.fixture(scope="module")
def client(store: CountingStore) -> TestClient:
    return _client(store)


def post(client: TestClient, query: str, token: str | None = None, **variables: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)


def _names(store: MemoryStore) -> set[str]:
    return {str(person["name"]) for person in store.nodes(NodeKind.PERSON)}


# -- role rules -------------------------------------------------------------------------------

SNEAKY = {
    "nested": '{ department(name: "巴中市财政局") { posts { holders { person { name } } } } }',
    "aliased": '{ a: department(name: "巴中市财政局") { b: head { c: person { d: name } } } }',
    "fragment": """{ department(name: "巴中市财政局") { ...D } }
                   fragment D on Department { head { ...H } } fragment H on Holding { person { name } }""",
    "inline fragment": '{ department(name: "巴中市财政局") { head { ... on Holding { person { name } } } } }',
    "through overlaps": "{ overlaps { departments { posts { holders(all: true) { person { name } } } } } }",
    "through splits": "{ splitApprovals { items { stages { post { holders { start } } } } } }",
    "through laws": "{ powerItems(first: 5) { edges { node { departments { head { start } } } } } }",
    "a staffing gap": "{ gaps(kinds: [GHOST_PAYROLL]) { subjectName } }",
    "a trace": '{ trace(caseId: "BJ20241126001") { stages { performer { name } } } }',
    "quotas": "{ departments(first: 5) { edges { node { adminQuota institutionQuota } } } }",
}


@pytest.mark.parametrize("path", SNEAKY, ids=list(SNEAKY))
def test_the_public_never_reaches_personal_data(client: TestClient, store: CountingStore, path: str) -> None:
    response = post(client, SNEAKY[path])
    assert response.status_code == 200
    body = response.json()
    assert body.get("errors"), body
    assert {error["extensions"]["code"] for error in body["errors"]} == {"FORBIDDEN"}
    text = response.text
    assert not any(name in text for name in _names(store))


def test_staffing_reaches_holders_by_the_same_paths(client: TestClient) -> None:
    for path in ("nested", "aliased", "fragment", "inline fragment"):
        body = post(client, SNEAKY[path], token="staff-token").json()
        assert "errors" not in body, (path, body)


# -- limits -----------------------------------------------------------------------------------


def _code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def test_too_deep_a_query_is_refused(client: TestClient) -> None:
    deep = (
        '{ department(name: "巴中市财政局") { ' + "units { department { " * 8 + "name" + " } }" * 8 + " } }"
    )
    response = post(client, deep)
    assert response.status_code == 400
    assert _code(response) == "QUERY_TOO_COMPLEX"
    assert "deep" in response.json()["errors"][0]["message"]


def test_too_many_aliases_are_refused(client: TestClient) -> None:
    query = "{ " + " ".join(f"a{n}: today" for n in range(40)) + " }"
    response = post(client, query)
    assert _code(response) == "QUERY_TOO_COMPLEX"
    assert "aliases" in response.json()["errors"][0]["message"]


def test_too_many_tokens_are_refused(client: TestClient) -> None:
    query = "{ " + " ".join("today" for _ in range(6000)) + " }"
    response = post(client, query)
    assert _code(response) == "QUERY_TOO_COMPLEX"


def test_a_costly_query_is_refused_and_a_page_of_fifty_is_not(client: TestClient) -> None:
    costly = """query($n: Int) { powerItems(first: $n) { edges { node { departments { posts { holders { start } }
                units { posts { code } } } laws { law } stages { post { code } } } } } }"""
    refused = post(client, costly, n=500)
    assert refused.status_code == 400 and _code(refused) == "QUERY_TOO_COMPLEX"
    page = "{ powerItems(first: 50) { totalCount edges { node { code name departments { name } laws { law article } } } } }"
    assert "errors" not in post(client, page).json()


def _nested_fragments(levels: int, spreads: int, aliased: bool) -> str:
    """A query whose fragments each spread the next one `spreads` times, `levels` deep: about a kilobyte
    that a walk expanding every spread would follow spreads ** levels times. Spread inside aliased
    fields, the expansion is real (execution would fetch it all); spread side by side, execution
    collects each fragment once per selection, as the check must."""
    parts = ['{ department(name: "巴中市财政局") { ...F0 } }']
    for level in range(levels - 1):
        if aliased:
            body = " ".join(f"a{n}: units {{ department {{ ...F{level + 1} }} }}" for n in range(spreads))
        else:
            body = " ".join([f"...F{level + 1}"] * spreads)
        parts.append(f"fragment F{level} on Department {{ {body} }}")
    parts.append(f"fragment F{levels - 1} on Department {{ name }}")
    return "\n".join(parts)


def test_fragments_spread_inside_fragments_are_refused_clearly(client: TestClient) -> None:
    query = _nested_fragments(levels=5, spreads=30, aliased=True)
    response = post(client, query)
    assert response.status_code == 400
    messages = [error["message"] for error in response.json()["errors"]]
    assert {error["extensions"]["code"] for error in response.json()["errors"]} == {"QUERY_TOO_COMPLEX"}
    assert any("aliases" in message for message in messages)
    assert any("could fetch" in message for message in messages)
    # The check works each field of the document out once: it visits about 3,000 selections, where
    # the query expanded has over a million fields.
    frugal = check(parse(query), {}, Limits(max_visits=4000))
    assert [error.message for error in frugal] == messages


def test_a_fragment_spread_many_times_in_one_selection_counts_once(client: TestClient) -> None:
    query = _nested_fragments(levels=5, spreads=30, aliased=False)
    body = post(client, query).json()
    assert "errors" not in body, body
    assert body["data"]["department"]["name"] == "巴中市财政局"


def test_a_query_expanding_to_too_many_selections_is_refused(client: TestClient) -> None:
    fields = " ".join(["name"] * 1000)
    query = (
        "{ " + " ".join(f'd{n}: department(name: "巴中市财政局") {{ ...D }}' for n in range(25)) + " }"
        f" fragment D on Department {{ {fields} }}"
    )
    response = post(client, query)
    assert response.status_code == 400 and _code(response) == "QUERY_TOO_COMPLEX"
    assert "selections" in response.json()["errors"][-1]["message"]


def test_a_variables_default_counts_when_it_is_not_sent(client: TestClient) -> None:
    query = """query($n: Int = 500) { powerItems(first: $n) { edges { node { code
               departments { name units { name } } laws { law text } } } } }"""
    refused = post(client, query)
    assert refused.status_code == 400 and _code(refused) == "QUERY_TOO_COMPLEX"
    assert "could fetch" in refused.json()["errors"][0]["message"]
    assert _code(post(client, query, n=500)) == "QUERY_TOO_COMPLEX"
    assert "errors" not in post(client, query, n=50).json()
    assert "errors" not in post(client, query.replace(" = 500", "")).json()


def test_the_page_size_is_bounded(client: TestClient) -> None:
    assert _code(post(client, "{ powerItems(first: 100000) { totalCount } }")) in (
        "BAD_USER_INPUT",
        "QUERY_TOO_COMPLEX",
    )


def test_a_large_body_is_refused(store: CountingStore) -> None:
    small = _client(store, max_body_bytes=1000)
    response = small.post("/graphql", json={"query": "{ today }", "variables": {"x": "y" * 2000}})
    assert response.status_code == 413
    assert _code(response) == "PAYLOAD_TOO_LARGE"


def test_a_slow_query_times_out(store: CountingStore) -> None:
    impatient = _client(store, request_timeout=0.000001)
    response = post(impatient, "{ powerItems(first: 50) { edges { node { laws { law } } } } }")
    assert response.status_code == 503
    assert _code(response) == "TIMEOUT"


def test_introspection_and_graphiql_can_be_turned_off(store: CountingStore) -> None:
    closed = _client(store, introspection=False, graphiql=False)
    response = post(closed, "{ __schema { types { name } } }")
    assert response.json()["errors"]
    assert closed.get("/graphql").status_code == 404
    assert "errors" not in post(closed, "{ today }").json()
    assert "__schema" in json.dumps(post(_client(store), "{ __schema { queryType { name } } }").json())


# -- batching and paging ----------------------------------------------------------------------


def _calls(client: TestClient, store: CountingStore, first: int) -> int:
    query = """query($n: Int) { powerItems(first: $n) { edges { node { code departments { name units { name } }
               laws { law article } stages { post { code } department { name } } } } } }"""
    store.calls.clear()
    body = post(client, query, n=first).json()
    assert "errors" not in body
    return sum(store.calls.values())


def test_a_page_costs_a_fixed_number_of_store_calls(client: TestClient, store: CountingStore) -> None:
    ten, fifty = _calls(client, store, 10), _calls(client, store, 50)
    assert fifty == ten
    assert fifty < 25


def _record_calls(client: TestClient, store: CountingStore, first: int) -> int:
    query = """query($n: Int) { departments(first: $n) { edges { node { name
               accountabilityRecords { recordId responsibility } } } } }"""
    store.calls.clear()
    body = post(client, query, token="inv-token", n=first).json()
    assert "errors" not in body, body
    departments = [edge["node"] for edge in body["data"]["departments"]["edges"]]
    assert len(departments) == first
    assert any(department["accountabilityRecords"] for department in departments)
    return sum(store.calls.values())


def test_departments_with_their_accountability_records_cost_a_fixed_number_of_store_calls(
    client: TestClient, store: CountingStore
) -> None:
    # The department a record belongs to is worked out from every record once per request, not once
    # per department listed; the records' nodes are then read together.
    few, many = _record_calls(client, store, 3), _record_calls(client, store, 30)
    assert many == few


def test_cursor_paging_visits_every_item_once(client: TestClient) -> None:
    query = """query($after: String) { powerItems(first: 100, after: $after) { totalCount
               edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = post(client, query, after=after).json()["data"]["powerItems"]
        seen.extend(edge["node"]["id"] for edge in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] > 2000
    assert all(not edge["cursor"].startswith("item:") for edge in page["edges"])  # opaque


# -- persisted queries ------------------------------------------------------------------------

PERSISTED = "{ departments(first: 3) { totalCount } }"
DIGEST = hashlib.sha256(PERSISTED.encode()).hexdigest()


def _apq(client: TestClient, query: str | None, digest: str = DIGEST) -> httpx.Response:
    body: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    if query is not None:
        body["query"] = query
    return client.post("/graphql", json=body)


def test_automatic_persisted_queries(store: CountingStore) -> None:
    client = _client(store)
    unknown = _apq(client, None)
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert unknown.json()["errors"][0]["message"] == "PersistedQueryNotFound"  # what Apollo clients look for
    registered = _apq(client, PERSISTED)
    assert registered.json()["data"]["departments"]["totalCount"] >= 40
    assert _apq(client, None).json() == registered.json()
    params = {"extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": DIGEST}})}
    assert client.get("/graphql", params=params).json() == registered.json()
    wrong = _apq(client, "{ today }")
    assert wrong.status_code == 400


# -- errors and logs --------------------------------------------------------------------------


class BrokenStore(MemoryStore):
    def nodes_by_id(self, node_ids: Sequence[str]) -> list[Node | None]:
        raise RuntimeError("disk on fire at /secret/path")


def test_unexpected_errors_are_masked_and_logged_with_a_request_id(caplog: pytest.LogCaptureFixture) -> None:
    store = BrokenStore()
    load_workbook(DEMO_WORKBOOK, store)
    client = _client(store)
    with caplog.at_level(logging.INFO):
        response = post(client, '{ powerItem(code: "XK-511900026-002") { departments { name } } }')
    error = response.json()["errors"][0]
    request_id = response.headers["X-Request-Id"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert "secret" not in response.text and "Traceback" not in response.text
    assert any(request_id in record.getMessage() and record.exc_info for record in caplog.records)


def test_access_logs_carry_no_query_variables_or_names(
    client: TestClient, store: CountingStore, caplog: pytest.LogCaptureFixture
) -> None:
    query = "query($name: String!) { department(name: $name) { head { person { name } } } }"
    with caplog.at_level(logging.INFO, logger="quanze.access"):
        response = post(client, query, token="staff-token", name="巴中市财政局")
    assert response.status_code == 200
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "quanze.access"]
    assert lines and lines[-1]["status"] == 200 and lines[-1]["role"] == "staffing"
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "巴中市财政局" not in logged and "staff-token" not in logged
    assert not any(name in logged for name in _names(store))


# -- HTTP -------------------------------------------------------------------------------------


def test_cors_allows_only_the_configured_origins(store: CountingStore) -> None:
    client = _client(store, cors_origins=["https://views.example.gov.cn"])
    allowed = client.options(
        "/graphql",
        headers={"Origin": "https://views.example.gov.cn", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.headers.get("access-control-allow-origin") == "https://views.example.gov.cn"
    denied = client.options(
        "/graphql", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in denied.headers


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    # /ready is 503 until the analyses of the store's current version are computed (in the background;
    # asking starts them), then 200; tests/api/test_deadlines.py follows them on a slow store.
    for _ in range(200):
        ready = client.get("/ready")
        if ready.status_code == 200:
            break
        assert ready.json()["status"] == "not ready" and ready.json()["analyses"]
        time.sleep(0.05)
    assert ready.json() == {"status": "ready"}


def test_settings_refuse_tokens_in_clear() -> None:
    with pytest.raises(ValueError, match="sha256 hex digest"):
        Settings(tokens={"my-secret-token": "admin"})
