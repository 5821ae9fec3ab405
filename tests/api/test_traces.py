"""Traces, responsibility chains and accountability records through GraphQL and the command line."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app, execute
from api.roles import Role
from api.settings import Settings, hash_token
from graph import MemoryStore
from loaders.demo import DEMO_TRUTH, DEMO_WORKBOOK
from loaders.workbook import load_workbook
from tests.api.test_cli import quanze

TRUTH = json.loads(DEMO_TRUTH.read_text(encoding="utf-8"))
NOT_HOLDER = next(p for p in TRUTH["cases"]["planted"] if p["planted"] == "NOT_HOLDER")

TRACE = """query($case: ID!) { trace(caseId: $case) { caseId accepted closed totalWorkingDays overdue
  item { code } findings { kind step detail }
  stages { step name role on post { code } performer { id name } holderThen { id name } unitHead { name }
           deputyInCharge { name } departmentHead { name } department { name } workingDays limitDays overdue
           laws { law article } triggers }
  accountability { recordId responsibility sanction } } }"""


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


def run(store: MemoryStore, query: str, role: Role, **variables: Any) -> dict[str, Any]:
    return asyncio.run(execute(store, query, variables=variables, role=role))


def test_an_investigator_traces_a_case(store: MemoryStore) -> None:
    response = run(store, TRACE, Role.INVESTIGATOR, case=NOT_HOLDER["case"])
    assert "errors" not in response, response
    trace = response["data"]["trace"]
    finding = NOT_HOLDER["findings"][0]
    assert [(f["kind"], f["step"]) for f in trace["findings"]] == [("NOT_HOLDER", finding["step"])]
    stage = trace["stages"][finding["step"] - 1]
    assert stage["performer"]["id"] == f"person:{finding['performed_by']}"
    assert stage["holderThen"]["id"] == f"person:{finding['holder']}"
    assert stage["on"] == finding["on"]
    assert stage["post"]["code"] == finding["post"]
    assert all(s["department"]["name"] and s["laws"] for s in trace["stages"])


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.STAFFING])
def test_only_investigators_may_trace(store: MemoryStore, role: Role) -> None:
    response = run(store, TRACE, role, case=NOT_HOLDER["case"])
    assert response["data"] == {"trace": None}
    assert [error["extensions"]["code"] for error in response["errors"]] == ["FORBIDDEN"]
    assert "person" not in json.dumps(response["data"])


def test_responsibility_of_an_item_on_a_date(store: MemoryStore) -> None:
    query = """query($at: Date) { responsibility(itemCode: "XK-511900026-002", at: $at) {
        step name role holder { name } unitHead { name } departmentHead { name } department { name } } }"""
    before = run(store, query, Role.INVESTIGATOR, at="2024-05-31")["data"]["responsibility"]
    after = run(store, query, Role.INVESTIGATOR, at="2024-06-01")["data"]["responsibility"]
    head_change = TRUTH["staffing"]
    assert before and len(before) == len(after)
    heads = {(b["departmentHead"] or {}).get("name") for b in before} ^ {
        (a["departmentHead"] or {}).get("name") for a in after
    }
    assert heads, head_change  # 市场监督管理局 changed heads on 2024-06-01
    forbidden = run(store, query, Role.STAFFING, at="2024-06-01")
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_accountability_records_and_counts(store: MemoryStore) -> None:
    query = """{ accountabilityCounts { department { name } role responsibility sanction count }
                 accountabilityRecords { recordId person { name } caseId } }"""
    data = run(store, query, Role.INVESTIGATOR)["data"]
    assert (
        sum(row["count"] for row in data["accountabilityCounts"]) == len(data["accountabilityRecords"]) == 26
    )
    assert {row["responsibility"] for row in data["accountabilityCounts"]} == {
        "直接责任",
        "主要领导责任",
        "重要领导责任",
    }
    query = "query($case: ID) { accountabilityRecords(caseId: $case) { recordId } }"
    by_case = run(store, query, Role.INVESTIGATOR, case=NOT_HOLDER["case"])
    assert by_case["data"]["accountabilityRecords"]
    public = run(store, "{ accountabilityCounts { count } }", Role.PUBLIC)
    assert public["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_records_are_reachable_from_the_person_and_the_department(store: MemoryStore) -> None:
    query = "{ accountabilityRecords { recordId person { accountabilityRecords { recordId } } } }"
    records = run(store, query, Role.INVESTIGATOR)["data"]["accountabilityRecords"]
    assert all(
        r["recordId"] in {x["recordId"] for x in r["person"]["accountabilityRecords"]} for r in records
    )
    query = '{ department(name: "巴中市卫生健康委员会") { accountabilityRecords { recordId } } }'
    department = run(store, query, Role.INVESTIGATOR)
    assert department["data"]["department"]["accountabilityRecords"]
    denied = run(
        store,
        '{ department(name: "巴中市卫生健康委员会") { accountabilityRecords { recordId } } }',
        Role.STAFFING,
    )
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


EVERY_CASE_FIELD = """query($case: ID!) {
  trace(caseId: $case) { caseId stages { step performer { name } holderThen { name } } accountability { recordId } }
  responsibility(itemCode: "XK-511900026-002", at: "2024-06-01") { step holder { name } departmentHead { name } }
  accountabilityRecords { recordId sanction person { name accountabilityRecords { recordId } } }
  accountabilityCounts { department { name } role responsibility sanction count }
  department(name: "巴中市卫生健康委员会") { accountabilityRecords { recordId } } }"""


def test_admin_sees_every_case_field_an_investigator_sees(store: MemoryStore) -> None:
    # Roles are cumulative: admin adds loading data to what an investigator may see.
    investigator = run(store, EVERY_CASE_FIELD, Role.INVESTIGATOR, case=NOT_HOLDER["case"])
    admin = run(store, EVERY_CASE_FIELD, Role.ADMIN, case=NOT_HOLDER["case"])
    assert "errors" not in admin, admin
    assert admin == investigator
    data = admin["data"]
    assert data["trace"]["caseId"] == NOT_HOLDER["case"] and data["trace"]["accountability"]
    assert data["responsibility"] and len(data["accountabilityRecords"]) == 26
    assert data["department"]["accountabilityRecords"]


def test_an_admin_token_reaches_the_case_fields_over_http(store: MemoryStore) -> None:
    tokens = {hash_token("admin-token"): "admin", hash_token("staff-token"): "staffing"}
    client = TestClient(create_app(Settings(tokens=tokens), store))
    body = {"query": EVERY_CASE_FIELD, "variables": {"case": NOT_HOLDER["case"]}}
    admin = client.post("/graphql", json=body, headers={"Authorization": "Bearer admin-token"})
    assert admin.status_code == 200
    assert admin.json() == run(store, EVERY_CASE_FIELD, Role.INVESTIGATOR, case=NOT_HOLDER["case"])
    staffing = client.post("/graphql", json=body, headers={"Authorization": "Bearer staff-token"}).json()
    assert {error["extensions"]["code"] for error in staffing["errors"]} == {"FORBIDDEN"}


def test_the_trace_command() -> None:
    table = quanze("trace", str(DEMO_WORKBOOK), NOT_HOLDER["case"])
    assert table.returncode == 0, table.stderr
    assert "非岗位人员办理" in table.stdout and "当时岗位人员" in table.stdout
    as_json = json.loads(quanze("trace", str(DEMO_WORKBOOK), NOT_HOLDER["case"], "--format", "json").stdout)
    assert as_json["findings"][0]["kind"] == "NOT_HOLDER"
    missing = quanze("trace", str(DEMO_WORKBOOK), "NO-SUCH-CASE")
    assert missing.returncode == 2 and "no case 'NO-SUCH-CASE'" in missing.stderr


WAITED = next(p for p in TRUTH["cases"]["planted"] if p["case"] == "BJ20240204001")
IDLE = next(f for f in WAITED["findings"] if f["kind"] == "IDLE_BETWEEN_STAGES")
WAITS = """query($case: ID!) { trace(caseId: $case) { caseId stages { step started waitedFrom waitedDays }
  findings { id kind step detail people { part person { id name } } posts { code name } } } }"""


def test_a_wait_between_stages_with_the_people_and_the_post_it_names(store: MemoryStore) -> None:
    response = run(store, WAITS, Role.INVESTIGATOR, case=WAITED["case"].lower())
    assert "errors" not in response, response
    trace = response["data"]["trace"]
    assert trace["caseId"] == WAITED["case"]
    stage = trace["stages"][IDLE["step"] - 1]
    assert (stage["waitedFrom"], stage["started"], stage["waitedDays"]) == (
        IDLE["from"],
        IDLE["to"],
        IDLE["waited"],
    )
    assert trace["stages"][0]["waitedDays"] is None
    (idle,) = [f for f in trace["findings"] if f["kind"] == "IDLE_BETWEEN_STAGES"]
    assert idle["id"] == f"finding:case:{WAITED['case']}:{IDLE['step']}:IDLE_BETWEEN_STAGES"
    assert [(p["part"], p["person"]["id"]) for p in idle["people"]] == [
        ("上一环节经办人", f"person:{IDLE['finished_by']}"),
        ("等待期间在岗人员", f"person:{IDLE['holder']}"),
    ]
    for person in idle["people"]:  # an investigator reads the names, the codes beside them
        assert (
            f"{person['person']['name']}（{person['person']['id'].removeprefix('person:')}）"
            in idle["detail"]
        )
    (post,) = idle["posts"]
    assert f"{post['name']}（{post['code']}）" in idle["detail"]


def test_the_idle_tolerance_is_a_setting_of_the_service(store: MemoryStore) -> None:
    tokens = {hash_token("investigator-token"): "investigator"}
    body = {"query": WAITS, "variables": {"case": WAITED["case"]}}
    headers = {"Authorization": "Bearer investigator-token"}

    def kinds(settings: Settings) -> list[str]:
        answer = TestClient(create_app(settings, store)).post("/graphql", json=body, headers=headers).json()
        return [f["kind"] for f in answer["data"]["trace"]["findings"]]

    assert "IDLE_BETWEEN_STAGES" in kinds(Settings(tokens=tokens))
    tolerant = kinds(Settings(tokens=tokens, idle_tolerance=IDLE["waited"]))
    assert tolerant == [f["kind"] for f in WAITED["findings"] if f["kind"] != "IDLE_BETWEEN_STAGES"]


def test_a_vacant_post_covered_by_its_unit_head(store: MemoryStore) -> None:
    covered = next(p for p in TRUTH["cases"]["planted"] if p.get("covered_by"))
    query = """query($case: ID!) { trace(caseId: $case) {
      stages { step performer { id } holderThen { id } unitHead { id } } findings { kind step } } }"""
    trace = run(store, query, Role.INVESTIGATOR, case=covered["case"])["data"]["trace"]
    assert sorted((f["kind"], f["step"]) for f in trace["findings"]) == sorted(
        (f["kind"], f.get("step")) for f in covered["findings"]
    )
    stage = trace["stages"][covered["step"] - 1]
    assert stage["holderThen"] is None and stage["performer"] == stage["unitHead"]
