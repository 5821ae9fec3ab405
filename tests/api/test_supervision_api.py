"""`supervisionTransfers` in the service: the demo's planted TRANSFER_DUE findings for the investigator,
refused to the public and the staffing role, filtered by department and date, and reviewed with
`reviewFinding` like the other findings (the ledger lists them by department)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph import MemoryStore
from loaders.demo import DEMO_TRUTH, DEMO_WORKBOOK
from loaders.workbook import load_workbook
from tests.api.test_ledger_api import INVESTIGATOR, STAFFING, TOKENS, Client

TRUTH: dict[str, Any] = json.loads(DEMO_TRUTH.read_text(encoding="utf-8"))
PLANTED = TRUTH["supervision"]["transfers"]
AT = TRUTH["reference_date"]
QUERY = """query T($department: String, $at: Date) {
  supervisionTransfers(department: $department, at: $at) {
    id kind department { name } matter notices due transferred workingDays waitingDays detail reviewStatus
    noticeDetails { noticeId date transferred } } }"""


@pytest.fixture(scope="module")
def demo_store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


@pytest.fixture
def service(demo_store: MemoryStore, tmp_path: Path) -> Any:
    settings = Settings(tokens=TOKENS, ledger=tmp_path / "ledger.sqlite3")
    with TestClient(create_app(settings, demo_store)) as client:
        yield Client(client)


def _transfers(service: Client, **variables: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = service.data(QUERY, INVESTIGATOR, **variables)["supervisionTransfers"]
    return found


def test_the_investigator_gets_the_planted_transfers(service: Client) -> None:
    found = _transfers(service, at=AT)
    assert sorted(
        (t["department"]["name"], t["notices"], t["transferred"], t["workingDays"]) for t in found
    ) == (sorted((p["department"], p["notices"], p["transferred"], p["working_days"]) for p in PLANTED))
    assert {t["kind"] for t in found} == {"TRANSFER_DUE"} and {t["reviewStatus"] for t in found} == {"OPEN"}
    for transfer in found:
        assert [n["noticeId"] for n in transfer["noticeDetails"]] == transfer["notices"]
        assert transfer["due"] == transfer["noticeDetails"][1]["date"]
        assert (transfer["waitingDays"] is None) == (transfer["transferred"] is not None)


def test_the_public_and_the_staffing_role_are_refused(service: Client) -> None:
    for token in (None, STAFFING):
        body = service.post(QUERY, token, at=AT)
        assert {error["extensions"]["code"] for error in body["errors"]} == {"FORBIDDEN"}


def test_one_department_and_an_earlier_date(service: Client) -> None:
    planted = PLANTED[0]
    [found] = _transfers(service, department=planted["department"], at=AT)
    assert found["notices"] == planted["notices"]
    assert _transfers(service, at=planted["due"][:4] + "-01-01") == []
    body = service.post(QUERY, INVESTIGATOR, department="巴中市不存在局")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_transfer_is_reviewed_by_the_investigator_and_listed_by_department(service: Client) -> None:
    transfer = _transfers(service)[0]
    refused = service.review(STAFFING, transfer["id"], "CONFIRMED")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    made = service.review(INVESTIGATOR, transfer["id"], "CONFIRMED")["data"]["reviewFinding"]
    assert made["status"] == "CONFIRMED"
    again = {t["id"]: t["reviewStatus"] for t in _transfers(service)}
    assert again[transfer["id"]] == "CONFIRMED"
    listed = service.data(
        "query L($department: String) { ledger(department: $department) { edges { node { findingId "
        "departments { name } } } } }",
        INVESTIGATOR,
        department=transfer["department"]["name"],
    )["ledger"]["edges"]
    assert [edge["node"]["findingId"] for edge in listed] == [transfer["id"]]
    assert listed[0]["node"]["departments"] == [transfer["department"]]
    unknown = service.review(INVESTIGATOR, "transfer:department:nowhere/无此事项", "CONFIRMED")
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
