"""Malformed requests are answered 400 with a GraphQL error body, never a 500 or a reset connection; with
introspection off, no error suggests the schema's names."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.settings import Settings
from graph import MemoryStore
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


@pytest.fixture(scope="module")
def client(store: MemoryStore) -> TestClient:
    return TestClient(create_app(Settings(max_body_bytes=16 * 1024), store))


@pytest.fixture(scope="module")
def closed(store: MemoryStore) -> TestClient:
    return TestClient(create_app(Settings(introspection=False, graphiql=False), store))


def assert_graphql_error(response: httpx.Response, status: int, code: str) -> str:
    """The response is `status` with a GraphQL error body of `code`; returns the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errors"}, body
    [error] = body["errors"]
    assert isinstance(error["message"], str) and error["message"]
    assert error["extensions"] == {"code": code}
    return str(error["message"])


MALFORMED: dict[str, Any] = {
    "extensions a string": {"query": "{ today }", "extensions": "x"},
    "extensions an array": {"query": "{ today }", "extensions": []},
    "persistedQuery a string": {"query": "{ today }", "extensions": {"persistedQuery": "x"}},
    "sha256Hash a number": {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": 5}}},
    "sha256Hash not a digest": {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}},
    "operationName a number": {"query": "{ today }", "operationName": 5},
    "operationName an object": {"query": "{ today }", "operationName": {"a": 1}},
    "operationName unknown": {"query": "query Today { today }", "operationName": "Tomorrow"},
    "operationName of an anonymous query": {"query": "{ today }", "operationName": "Today"},
    "two operations, no name": {"query": "query A { today } query B { today }"},
    "only fragments": {"query": "fragment F on Query { today }"},
    "variables an array": {"query": "{ today }", "variables": [1]},
    "variables a string": {"query": "{ today }", "variables": "{}"},
    "variables a number": {"query": "{ today }", "variables": 0},
    "query a number": {"query": 5},
    "query an array": {"query": ["{ today }"]},
    "query missing": {"variables": {}},
    "query blank": {"query": "  "},
    "a lone surrogate": {
        "query": "query($n: String!) { department(name: $n) { name } }",
        "variables": {"n": "\ud800"},
    },
}


@pytest.mark.parametrize("body", MALFORMED.values(), ids=list(MALFORMED))
def test_a_malformed_request_is_a_400_with_a_graphql_error(client: TestClient, body: Any) -> None:
    raw = json.dumps(body).encode()  # as a client sends it: \ud800 travels escaped
    response = client.post("/graphql", content=raw, headers={"Content-Type": "application/json"})
    message = assert_graphql_error(response, 400, "BAD_REQUEST")
    assert "Traceback" not in message


RAW: dict[str, bytes] = {
    "not JSON": b"{ today }",
    "not UTF-8": b'{"query": "\xff\xfe"}',
    "an array": b'[{"query": "{ today }"}]',
    "a string": b'"{ today }"',
    "null": b"null",
    "nested too deep": b"[" * 20_000 + b"]" * 20_000,
    "a number of too many digits": b'{"query": "{ today }", "variables": {"n": ' + b"9" * 5000 + b"}}",
    "empty": b"",
}


@pytest.mark.parametrize("raw", RAW.values(), ids=list(RAW))
def test_a_body_that_is_not_a_json_object_is_a_400(store: MemoryStore, raw: bytes) -> None:
    client = TestClient(create_app(Settings(max_body_bytes=64 * 1024), store))
    response = client.post("/graphql", content=raw, headers={"Content-Type": "application/json"})
    assert_graphql_error(response, 400, "BAD_REQUEST")


GET: dict[str, dict[str, str]] = {
    "variables not JSON": {"query": "{ today }", "variables": "{"},
    "variables an array": {"query": "{ today }", "variables": "[]"},
    "extensions not JSON": {"query": "{ today }", "extensions": "x"},
    "extensions a string": {"query": "{ today }", "extensions": '"x"'},
    "extensions nested too deep": {"query": "{ today }", "extensions": "[" * 1500 + "]" * 1500},
    "operationName unknown": {"query": "{ today }", "operationName": "Nope"},
}


@pytest.mark.parametrize("params", GET.values(), ids=list(GET))
def test_a_malformed_get_is_a_400(client: TestClient, params: dict[str, str]) -> None:
    assert_graphql_error(client.get("/graphql", params=params), 400, "BAD_REQUEST")


def test_an_over_long_get_is_refused(client: TestClient) -> None:
    params = {"query": "{ today }", "variables": json.dumps({"x": "y" * 20_000})}
    assert_graphql_error(client.get("/graphql", params=params), 413, "PAYLOAD_TOO_LARGE")


def test_a_named_operation_of_several_runs(client: TestClient) -> None:
    body = {
        "query": "query A { today } query B { departments(first: 1) { totalCount } }",
        "operationName": "B",
    }
    response = client.post("/graphql", json=body)
    assert response.status_code == 200
    assert response.json()["data"]["departments"]["totalCount"] >= 40


# -- any shape ---------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
queries = st.sampled_from(
    [
        "{ today }",
        "query Q($n: Int) { departments(first: $n) { totalCount } }",
        "query A { today } query B { today }",
        "query($name: String!) { department(name: $name) { name } }",
        "{ powerItems(first: 100000) { totalCount } }",
        "{ nothing }",
        "fragment F on Query { today }",
        "{",
        "",
    ]
)
members = {
    "query": queries | json_values,
    "variables": st.dictionaries(st.sampled_from(["n", "name", "x"]), json_values, max_size=3) | json_values,
    "operationName": st.sampled_from(["Q", "A", "B", "", "Nope"]) | json_values,
    "extensions": st.fixed_dictionaries(
        {},
        optional={
            "persistedQuery": st.fixed_dictionaries(
                {}, optional={"version": json_values, "sha256Hash": st.text(max_size=64) | json_values}
            )
            | json_values
        },
    )
    | json_values,
}
bodies = st.fixed_dictionaries({}, optional=members) | json_values


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, method=st.sampled_from(["POST", "GET"]))
def test_no_request_shape_is_a_server_error(client: TestClient, body: Any, method: str) -> None:
    if method == "POST":
        response = client.post("/graphql", content=json.dumps(body).encode())
    else:
        if not isinstance(body, dict):
            return
        params = {key: value if isinstance(value, str) and key in ("query", "operationName") else json.dumps(value)
                  for key, value in body.items()}  # fmt: skip
        response = client.get("/graphql", params=params)
        if "query" not in params and "extensions" not in params:
            assert response.status_code == 200 and "graphiql" in response.text.lower()
            return
    assert response.status_code in (200, 400, 413), response.text
    answer = response.json()
    assert isinstance(answer, dict) and ("errors" in answer or "data" in answer), answer
    for error in answer.get("errors") or []:
        assert isinstance(error["message"], str)
    if response.status_code != 200:
        assert answer["errors"] and "data" not in answer


# -- no suggestions without introspection ------------------------------------------------------

MISSPELT = {
    "a field": "{ departmnts { totalCount } }",
    "an argument": "{ powerItems(frist: 5) { totalCount } }",
    "a type": "{ ...F } fragment F on Quer { today }",
    "an enum value": "{ gaps(kinds: [VACANT_PST]) { kind } }",
    "a field of a type": '{ department(name: "巴中市财政局") { nam } }',
}


@pytest.mark.parametrize("query", MISSPELT.values(), ids=list(MISSPELT))
def test_without_introspection_errors_suggest_no_names(
    client: TestClient, closed: TestClient, query: str
) -> None:
    told = client.post("/graphql", json={"query": query}).json()["errors"]
    assert any("Did you mean" in error["message"] for error in told)  # the schema's names, as told
    quiet = closed.post("/graphql", json={"query": query}).json()["errors"]
    assert quiet and not any("Did you mean" in error["message"] for error in quiet), quiet


def test_without_introspection_a_misspelt_enum_in_variables_suggests_nothing(
    client: TestClient, closed: TestClient
) -> None:
    body = {"query": "query($k: [GapKind!]) { gaps(kinds: $k) { kind } }", "variables": {"k": ["VACANT_PST"]}}
    assert "Did you mean" in client.post("/graphql", json=body).text
    quiet = closed.post("/graphql", json=body)
    assert quiet.json()["errors"] and "Did you mean" not in quiet.text
    assert "VACANT_POST" not in quiet.text
