"""Bounded answers: the cost model counts list sizes × selected fields, text fields weighing more, and
refuses before anything runs; an answer larger than the cap is replaced by an error. The views' own
queries fit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graphql import parse

from api.app import create_app
from api.limits import DEFAULT_LIMITS, check
from api.settings import Settings, hash_token
from graph import MemoryStore
from graph.ledger import Source, SQLiteLedger, item_snapshots
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook

SCRIPTS = Path(__file__).resolve().parents[2] / "api" / "static" / "js"
VIEWS = SCRIPTS / "views"
#: a string constant of a script (`const REVIEW = "review { … }";`, exported or not)
STRING_CONSTANT = re.compile(r'^(?:export )?const (\w+) =\s*((?:"[^"]*"(?:\s*\+\s*)?)+);', re.M)
TOKENS = {"staff-token": "staffing", "inv-token": "investigator"}
#: the token each script's queries are sent with (the others are public): js/token.js asks `viewer` and
#: js/review.js a review by its id only with a token
#: the views whose `$from` and `$to` are dates (the editions view's are edition labels)
DATE_RANGES = {"case_search": {"from": "2024-01-01", "to": "2024-12-31"}}
VIEW_TOKENS = {
    "case_search": "inv-token",
    "trace": "inv-token",
    "staffing": "staff-token",
    "ledger": "staff-token",
    "token": "inv-token",
    "review": "staff-token",
    "scorecards": "staff-token",
    "warnings": "staff-token",
    "transfers": "inv-token",
}
LAWS_PAGE = "laws(first: 500) { edges { node { id law article text } } }"


def string_constants(text: str) -> dict[str, str]:
    """The string constants of a script, by name: each a literal, or literals joined with `+`."""
    return {name: "".join(re.findall(r'"([^"]*)"', value)) for name, value in STRING_CONSTANT.findall(text)}


def view_queries() -> dict[str, str]:
    """Every GraphQL query of the views, as their JavaScript holds it (template constants), with the
    string constants they interpolate expanded: the script's own and those of the shared scripts
    (js/review.js's review selections), so that the queries run here are the ones the views send. The
    shared scripts' own queries (js/token.js's `viewer`, js/review.js's review by id) are among them."""
    shared: dict[str, str] = {}
    for script in sorted(SCRIPTS.glob("*.js")):
        shared.update(string_constants(script.read_text(encoding="utf-8")))
    found = {}
    for script in sorted(SCRIPTS.glob("*.js")) + sorted(VIEWS.glob("*.js")):
        text = script.read_text(encoding="utf-8")
        constants = {**shared, **string_constants(text)}
        for name, body in re.findall(r"const (\w+) = `(.*?)`;", text, re.S):
            if re.match(r"\s*query\b", body):
                for constant, value in constants.items():
                    body = body.replace(f"${{{constant}}}", value)
                assert "${" not in body, f"{script.stem}.{name} interpolates what the test cannot expand"
                found[f"{script.stem}.{name}"] = body
    return found


VIEW_QUERIES = view_queries()


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


def _client(store: MemoryStore, ledger: SQLiteLedger | None = None, **settings: Any) -> TestClient:
    tokens = {hash_token(token): role for token, role in TOKENS.items()}
    return TestClient(create_app(Settings(tokens=tokens, **settings), store, ledger=ledger))


@pytest.fixture(scope="module")
def ledger(store: MemoryStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteLedger]:
    """A ledger with two editions of the demo, for the edition diff's query."""
    ledger = SQLiteLedger(tmp_path_factory.mktemp("ledger") / "ledger.sqlite3")
    items = item_snapshots(store)
    ledger.record_edition("2024", [Source("demo.xlsx", "a" * 64)], items, [])
    ledger.record_edition("2025", [Source("demo.xlsx", "b" * 64)], items[1:], [])
    yield ledger
    ledger.close()


@pytest.fixture(scope="module")
def client(store: MemoryStore, ledger: SQLiteLedger) -> TestClient:
    return _client(store, ledger)


@pytest.fixture(scope="module")
def reviewed(client: TestClient) -> str:
    """An overlap confirmed by the staffing token: the finding the review by id asks for, and a row of the
    ledger's page."""
    first = client.post("/graphql", json={"query": "{ overlaps { id } }"}).json()["data"]["overlaps"][0]
    confirm = "mutation($id: ID!) { reviewFinding(id: $id, status: CONFIRMED) { status } }"
    answer = client.post(
        "/graphql",
        json={"query": confirm, "variables": {"id": first["id"]}},
        headers={"Authorization": "Bearer staff-token"},
    ).json()
    assert answer["data"]["reviewFinding"]["status"] == "CONFIRMED", answer
    return str(first["id"])


def test_every_view_has_its_queries_found() -> None:
    assert {name.split(".")[0] for name in VIEW_QUERIES} == {
        "case_search",
        "chains",
        "editions",
        "graphql",
        "ledger",
        "list",
        "overlaps",
        "review",
        "scorecards",
        "staffing",
        "token",
        "trace",
        "transfers",
        "warnings",
    }
    assert {"review.REVIEW_BY_ID", "token.VIEWER"} <= set(VIEW_QUERIES)
    assert len(VIEW_QUERIES) >= 15


@pytest.mark.parametrize("name", sorted(VIEW_QUERIES))
def test_the_views_queries_fit_the_limits_and_run(client: TestClient, reviewed: str, name: str) -> None:
    query = VIEW_QUERIES[name]
    token = VIEW_TOKENS.get(name.split(".")[0])
    variables = {
        "first": 20,
        "name": "巴中市财政局",
        "department": "巴中市财政局",
        "caseId": "BJ20241126001",
        "from": "2024",
        "to": "2025",
        "findingId": reviewed,
        "id": reviewed,  # the review histories read a finding through node(id)
        **DATE_RANGES.get(name.split(".")[0], {}),
    }
    assert check(parse(query), variables) == [], name
    operation = parse(query).definitions[0]
    declared = {d.variable.name.value for d in operation.variable_definitions or ()}  # type: ignore[attr-defined]
    sent = {key: value for key, value in variables.items() if key in declared}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": query, "variables": sent}, headers=headers)
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.json()["errors"]


def test_many_pages_of_law_texts_are_refused_before_they_run(client: TestClient) -> None:
    query = "{ " + " ".join(f"a{n}: {LAWS_PAGE}" for n in range(16)) + " }"
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    cost = int(re.search(r"estimated cost is ([\d,]+)", error["message"]).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert cost > DEFAULT_LIMITS.max_cost
    assert f"at most {DEFAULT_LIMITS.max_cost:,}" in error["message"]


def test_text_fields_cost_more_than_names() -> None:
    names = check(parse("{ powerItems(first: 500) { edges { node { code name laws { law } } } } }"), {})
    texts = check(parse("{ powerItems(first: 500) { edges { node { code name laws { law text } } } } }"), {})
    assert names == [] and texts and texts[0].extensions == {"code": "QUERY_TOO_COMPLEX"}


def test_a_list_costs_by_the_type_it_is_on() -> None:
    # An overlap has two sides; a department has many units: the same field name costs apart.
    overlap_items = "{ overlaps { items { code name basis duties triggers laws { law text } } } }"
    assert check(parse(overlap_items), {}) == []
    departments = (
        "{ departments(first: 500) { edges { node { units { name duties posts { code duties } } } } } }"
    )
    assert check(parse(departments), {})


def test_an_answer_over_the_cap_is_replaced_by_an_error(store: MemoryStore) -> None:
    # The cost model let these through (raised limits); the cap on the answer's size still holds.
    small = _client(store, max_response_bytes=20_000, max_cost=10_000_000, max_aliases=100)
    response = small.post("/graphql", json={"query": "{ laws(first: 200) { edges { node { text } } } }"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "RESPONSE_TOO_LARGE"}
    assert "20,000" in error["message"]
    assert "data" not in response.json() and len(response.content) < 1000
    assert small.post("/graphql", json={"query": "{ laws(first: 2) { totalCount } }"}).status_code == 200


def test_the_default_cap_stops_sixteen_pages_of_law_texts(store: MemoryStore) -> None:
    lenient = _client(store, max_cost=10_000_000)  # the default cap of 4 MB
    query = "{ " + " ".join(f"a{n}: {LAWS_PAGE}" for n in range(16)) + " }"
    response = lenient.post("/graphql", json={"query": query})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "RESPONSE_TOO_LARGE"
    assert len(response.content) < 1000


def test_graphiqls_introspection_query_passes_the_limits(client: TestClient) -> None:
    """GraphiQL asks for the schema with graphql-core's standard introspection query, whose `ofType`
    chain is deeper than any data query may be: it must run, or GraphiQL never shows the schema."""
    from graphql import get_introspection_query

    query = get_introspection_query(descriptions=True)
    assert check(parse(query), {}) == []
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    assert "errors" not in response.json()
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_introspection_is_no_way_around_the_depth_limit_for_data() -> None:
    deep = (
        '{ __schema { queryType { name } } department(name: "x") { '
        + "parent { " * 14
        + "name"
        + " }" * 15
        + " }"
    )
    [error] = check(parse(deep), {})
    assert "fields deep" in error.message


def test_aliases_inside_introspection_still_count() -> None:
    many = (
        "{ __schema { "
        + " ".join(f"a{n}: types {{ name }}" for n in range(DEFAULT_LIMITS.max_aliases + 1))
        + " } }"
    )
    [error] = check(parse(many), {})
    assert "aliases" in error.message
