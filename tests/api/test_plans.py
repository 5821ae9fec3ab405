"""Execution plans (api/plans.py): a query answered by its plan answers what strawberry answers, for
the role it was learnt for only, with the limits, errors, mutations and introspection as before."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.context import Context
from api.deadline import Deadline
from api.limits import Limits
from api.plans import PlanAbandoned
from api.roles import Role
from api.service import QueryService, Response
from api.settings import Settings
from api.types import entities
from graph import MemoryStore
from graph.ledger import SQLiteLedger
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook

PAGE = (
    "{ powerItems(first: 50) { totalCount edges { cursor node { code name powerType "
    "departments { name } laws { law article partsCited } } } pageInfo { hasNextPage endCursor } } }"
)
DEPARTMENT = (
    '{ department(name: "巴中市市场监督管理局") { id name units { name posts { code name category } } } }'
)
TRACE = (
    '{ trace(caseId: "BJ20241126001") { caseId findings { kind step } stages { step name '
    "performer { name } holderThen { name } departmentHead { name } workingDays } } }"
)
#: fragments (named, inline, on an interface), aliases, __typename, variables with defaults, enums
SHAPES = """
query Shapes($first: Int = 3, $code: String!) {
  first: powerItems(first: $first) { ...page }
  again: powerItems(first: 2, sort: CODE) { edges { node { __typename code } } }
  powerItem(code: $code) { ...item ... on PowerItem { stages { step name role } } }
  node(id: "department:巴中市/巴中市市场监督管理局") { __typename id ... on Department { name kind } }
  departments(first: 2) { totalCount edges { node { name source { file row column } } } }
  today
}
fragment page on PowerItemConnection { totalCount edges { node { ...item } } }
fragment item on PowerItem { id code name subItem statutoryDays joint unit { name } source { sheet row } }
"""


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


def _service(store: MemoryStore, **options: Any) -> QueryService:
    return QueryService(store, response_cache=0, **options)


def _run(
    service: QueryService, query: str, role: Role = Role.PUBLIC, variables: dict[str, Any] | None = None
) -> Response:
    return asyncio.run(service.run({"query": query, "variables": variables or {}}, role))


def _code(store: MemoryStore) -> str:
    answer = _run(_service(store), "{ powerItems(first: 1) { edges { node { code } } } }")
    return str(answer.body["data"]["powerItems"]["edges"][0]["node"]["code"])


@pytest.mark.parametrize(
    ("query", "role"),
    [(PAGE, Role.PUBLIC), (DEPARTMENT, Role.STAFFING), (TRACE, Role.INVESTIGATOR), (SHAPES, Role.PUBLIC)],
    ids=["page", "department", "trace", "shapes"],
)
def test_a_planned_answer_is_strawberrys_answer(store: MemoryStore, query: str, role: Role) -> None:
    service = _service(store)
    variables = {"code": _code(store)} if "$code" in query else {}
    first = _run(service, query, role, variables)  # strawberry's, and the plan is learnt from it
    assert "errors" not in first.body
    assert service.plans.get(query, None, role) is not None
    second = _run(service, query, role, variables)  # the plan's
    assert second.json() == first.json()


def test_a_plan_answers_on_its_own_as_strawberry_does(store: MemoryStore) -> None:
    service = _service(store)
    _run(service, PAGE)
    plan = service.plans.get(PAGE, None, Role.PUBLIC)
    assert plan is not None
    context = Context(reader=store, analyses=service.analyses, deadline=Deadline.after(15))
    strawberry = service.schema.execute_sync(
        PAGE, context_value=Context(reader=store, analyses=service.analyses)
    )
    assert plan.run(context) == strawberry.data


def test_a_plan_learnt_for_one_role_is_not_used_for_another(store: MemoryStore) -> None:
    service = _service(store)
    for _ in range(2):  # learnt, then answered by its plan
        answer = _run(service, TRACE, Role.INVESTIGATOR)
        assert answer.body["data"]["trace"]["caseId"] == "BJ20241126001"
    assert service.plans.get(TRACE, None, Role.INVESTIGATOR) is not None
    assert service.plans.get(TRACE, None, Role.PUBLIC) is None
    for _ in range(2):
        refused = _run(service, TRACE, Role.PUBLIC)
        assert refused.body["data"] == {"trace": None}
        assert [e["extensions"]["code"] for e in refused.body["errors"]] == ["FORBIDDEN"]


def test_a_role_refused_a_field_gets_no_plan(store: MemoryStore) -> None:
    query = '{ department(name: "巴中市市场监督管理局") { name adminQuota } }'
    service = _service(store)
    assert _run(service, query, Role.STAFFING).body["data"]["department"]["adminQuota"] is not None
    _run(service, query, Role.STAFFING)
    public = _run(service, query, Role.PUBLIC)
    assert [e["extensions"]["code"] for e in public.body["errors"]] == ["FORBIDDEN"]
    assert service.plans.get(query, None, Role.PUBLIC) is None


def test_the_limits_are_checked_for_each_requests_variables(store: MemoryStore) -> None:
    query = "query Page($first: Int) { powerItems(first: $first) { edges { node { code laws { text } } } } }"
    service = _service(store, limits=Limits(max_cost=5_000))
    assert "errors" not in _run(service, query, variables={"first": 5}).body
    assert "errors" not in _run(service, query, variables={"first": 5}).body  # by its plan
    refused = _run(service, query, variables={"first": 400})
    assert refused.status == 400
    assert refused.body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "errors" not in _run(service, query, variables={"first": 5}).body


def test_the_errors_of_a_planned_query_are_strawberrys(store: MemoryStore) -> None:
    query = "query Items($department: String) { powerItems(department: $department) { totalCount } }"
    service = _service(store)
    _run(service, query, variables={"department": "巴中市市场监督管理局"})
    assert service.plans.get(query, None, Role.PUBLIC) is not None
    unknown = _run(service, query, variables={"department": "巴中市不存在局"})
    assert unknown.body["data"] is None
    assert unknown.body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    fresh = _run(_service(store), query, variables={"department": "巴中市不存在局"})  # strawberry's
    assert unknown.json() == fresh.json()
    wrong = _run(service, query, variables={"department": 7})  # a variable that does not coerce
    assert wrong.json() == _run(_service(store), query, variables={"department": 7}).json()


def test_an_internal_error_under_a_plan_is_masked_as_before(
    store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = _service(store)
    _run(service, PAGE)
    assert service.plans.get(PAGE, None, Role.PUBLIC) is not None

    def broken(node: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(entities.Department, "of", broken)
    answer = _run(service, PAGE)
    assert answer.status == 200
    assert answer.body["data"] is None  # departments are non-null, up to the nullable root
    assert {e["extensions"]["code"] for e in answer.body["errors"]} == {"INTERNAL_SERVER_ERROR"}
    assert "a bug" not in answer.json().decode()


def test_a_planned_query_past_its_deadline_times_out(store: MemoryStore) -> None:
    service = _service(store)
    _run(service, PAGE)
    _run(service, PAGE)
    service.timeout = 0.0
    answer = _run(service, PAGE)
    assert answer.status == 503
    assert answer.body["errors"][0]["extensions"]["code"] == "TIMEOUT"


def test_a_plan_gives_up_on_what_it_does_not_expect(store: MemoryStore) -> None:
    service = _service(store)
    _run(service, PAGE)
    plan = service.plans.get(PAGE, None, Role.PUBLIC)
    assert plan is not None
    past = Context(reader=store, analyses=service.analyses, deadline=Deadline.after(-1))
    with pytest.raises(PlanAbandoned):
        plan.run(past)


def test_mutations_introspection_and_directives_are_strawberrys(tmp_path: Any, store: MemoryStore) -> None:
    ledger = SQLiteLedger(tmp_path / "ledger.sqlite")
    service = _service(store, ledger=ledger)
    finding = _run(service, "{ gaps { id } }", Role.STAFFING)
    while "errors" in finding.body:  # the analyses are computing
        finding = _run(service, "{ gaps { id } }", Role.STAFFING)
    gap = finding.body["data"]["gaps"][0]["id"]
    mutation = f'mutation {{ reviewFinding(id: "{gap}", status: CONFIRMED, note: "核实") {{ status note }} }}'
    for note in ("核实", "核实"):
        written = _run(service, mutation, Role.STAFFING)
        assert written.body["data"]["reviewFinding"] == {"status": "CONFIRMED", "note": note}
    assert service.plans.get(mutation, None, Role.STAFFING) is None
    introspection = "{ __schema { queryType { name } } }"
    for _ in range(2):
        assert _run(service, introspection).body["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    assert service.plans.get(introspection, None, Role.PUBLIC) is None
    directed = (
        "query D($all: Boolean!) { powerItems(first: 2) { totalCount edges @include(if: $all) { cursor } } }"
    )
    _run(service, directed, variables={"all": True})
    without = _run(service, directed, variables={"all": False})
    assert "edges" not in without.body["data"]["powerItems"]
    assert service.plans.get(directed, None, Role.PUBLIC) is None
    ledger.close()


def test_the_http_service_answers_by_plan_over_post_and_persisted_get(store: MemoryStore) -> None:
    client = TestClient(create_app(Settings(response_cache=0), store))
    digest = hashlib.sha256(PAGE.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    first = client.post("/graphql", json={"query": PAGE, "extensions": extensions})  # strawberry's
    again = client.post("/graphql", json={"query": PAGE})  # the plan's
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert client.app.state.service.plans.get(PAGE, None, Role.PUBLIC) is not None  # type: ignore[attr-defined]
    by_get = client.get("/graphql", params={"extensions": json.dumps(extensions)})
    assert by_get.status_code == 200
    assert by_get.content == first.content
