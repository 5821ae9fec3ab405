"""The ledger in the service: reviews recorded through `reviewFinding` and read on every finding, the
role rules, the ledger's list, editions and their diff; one body for the memory store with its SQLite
ledger and for a real Neo4j with the ledger in its database. A restart is a new app on the same
store and ledger."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings, hash_token
from graph import GraphStore, MemoryStore
from graph.ledger import Ledger, Source, SQLiteLedger, item_snapshots
from graph.ledger.neo4j import Neo4jLedger
from graph.neo4j import Neo4jStore
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from tests.ledger.conftest import empty_neo4j_ledger
from tests.stores import BACKENDS

STAFFING, INVESTIGATOR, ADMIN = "ledger-staffing", "ledger-investigator", "ledger-admin"
#: the people behind the tokens: their names are the reviewers recorded
NAMES = {STAFFING: "王芳", INVESTIGATOR: "李强"}
TOKENS = {
    hash_token(STAFFING): {"role": "staffing", "name": NAMES[STAFFING]},
    hash_token(INVESTIGATOR): {"role": "investigator", "name": NAMES[INVESTIGATOR]},
    hash_token(ADMIN): "admin",
}
REVIEW = """mutation Review($id: ID!, $status: ReviewStatus!, $note: String, $deadline: Date) {
  reviewFinding(id: $id, status: $status, note: $note, deadline: $deadline) {
    findingId status note reviewer deadline at history { status } } }"""
CASE = "BJ20241126001"


@dataclass
class Demo:
    """The demo in a store, and a ledger of the same backend; `serve` runs the app on both."""

    store: GraphStore
    settings: Settings

    @contextmanager
    def serve(self) -> Iterator[Client]:
        """The service (started, its analyses computing), stopped when the block ends."""
        with TestClient(create_app(self.settings, self.store)) as client:
            yield Client(client)

    def open_ledger(self) -> Ledger:
        """The ledger the service uses, opened apart from it (as another process would)."""
        if isinstance(self.store, Neo4jStore):
            return Neo4jLedger(self.store)
        assert self.settings.ledger is not None
        return SQLiteLedger(self.settings.ledger)


@dataclass
class Client:
    client: TestClient

    def post(self, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, token: str | None = None, **variables: Any) -> Any:
        body = self.post(query, token, **variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def review(self, token: str | None, finding: str, status: str, **fields: Any) -> dict[str, Any]:
        return self.post(REVIEW, token, id=finding, status=status, **fields)

    def overlap_ids(self) -> list[str]:
        return [o["id"] for o in self.data("{ overlaps(verdicts: []) { id } }")["overlaps"]]


@pytest.fixture(scope="module")
def demo_store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


@pytest.fixture(params=BACKENDS)
def demo(request: pytest.FixtureRequest, tmp_path: Path, demo_store: MemoryStore) -> Demo:
    """The demo served from memory with the SQLite ledger of `QUANZE_LEDGER` (a file under tmp_path),
    or from the tests' Neo4j with the ledger in its database (emptied first)."""
    if request.param == "memory":
        return Demo(demo_store, Settings(tokens=TOKENS, ledger=tmp_path / "ledger.sqlite3"))
    store: Neo4jStore = request.getfixturevalue("neo4j_store")
    store.clear()
    empty_neo4j_ledger(store.settings)
    load_workbook(DEMO_WORKBOOK, store)
    return Demo(store, Settings(tokens=TOKENS))


def _code(body: dict[str, Any]) -> str:
    codes = {error["extensions"]["code"] for error in body["errors"]}
    assert len(codes) == 1, body["errors"]
    return codes.pop()


def test_decisions_survive_a_restart_with_their_history(demo: Demo) -> None:
    with demo.serve() as service:
        confirmed, rectifying, *_ = service.overlap_ids()
        made = service.review(STAFFING, confirmed, "CONFIRMED")["data"]["reviewFinding"]
        assert made["status"] == "CONFIRMED" and made["reviewer"] == NAMES[STAFFING]
        service.review(STAFFING, rectifying, "CONFIRMED")
        deadline = made["at"][:10]  # the day of the review: the earliest deadline allowed
        sent = service.review(STAFFING, rectifying, "RECTIFYING", note="请两部门厘清边界", deadline=deadline)
        assert sent["data"]["reviewFinding"]["deadline"] == deadline
    with demo.serve() as restarted:
        found = restarted.data(
            "{ overlaps(verdicts: []) { id reviewStatus review { status reviewer note deadline "
            "history { status reviewer } } } }",
            STAFFING,
        )["overlaps"]
        reviews = {o["id"]: o["review"] for o in found if o["review"]}
        assert set(reviews) == {confirmed, rectifying}
        assert reviews[confirmed]["history"] == [{"status": "CONFIRMED", "reviewer": NAMES[STAFFING]}]
        assert reviews[rectifying]["status"] == "RECTIFYING" and reviews[rectifying]["deadline"] == deadline
        assert reviews[rectifying]["note"] == "请两部门厘清边界"
        assert [h["status"] for h in reviews[rectifying]["history"]] == ["CONFIRMED", "RECTIFYING"]
        assert {o["reviewStatus"] for o in found if o["id"] not in reviews} == {"OPEN"}
        listed = restarted.data("{ ledger { totalCount edges { node { findingId status } } } }", STAFFING)
        assert listed["ledger"]["totalCount"] == 2
        assert [e["node"]["status"] for e in listed["ledger"]["edges"]] == [
            reviews[finding]["status"] for finding in sorted(reviews)
        ]


def test_the_public_writes_nothing_and_sees_statuses_but_no_reviewer_or_note(demo: Demo) -> None:
    with demo.serve() as service:
        dismissed, other, *_ = service.overlap_ids()
        service.review(STAFFING, dismissed, "DISMISSED", note="两项分属不同行业，已分工")
        refused = service.review(None, other, "CONFIRMED")
        assert _code(refused) == "FORBIDDEN" and refused["data"] is None
        public = service.data(
            "{ overlaps(verdicts: []) { id reviewStatus review { status at history { status } } } }"
        )
        statuses = {o["id"]: o["reviewStatus"] for o in public["overlaps"]}
        assert statuses[dismissed] == "DISMISSED" and statuses[other] == "OPEN"
        for field in ("reviewer", "note"):
            body = service.post(f"{{ overlaps(verdicts: []) {{ id review {{ status {field} }} }} }}")
            assert _code(body) == "FORBIDDEN"
            assert all(error["path"][-1] == field for error in body["errors"])
            assert NAMES[STAFFING] not in json.dumps(body, ensure_ascii=False)
        assert _code(service.post("{ ledger { totalCount } }")) == "FORBIDDEN"
    ledger = demo.open_ledger()
    assert list(ledger.current()) == [dismissed]  # the public's attempt wrote nothing
    ledger.close()


def test_each_role_reviews_its_kinds_of_finding(demo: Demo) -> None:
    with demo.serve() as service:
        overlap = service.overlap_ids()[0]
        split = service.data("{ splitApprovals(minDepartments: 1) { id } }")["splitApprovals"][0]["id"]
        gap = service.data("{ gaps { id } }")["gaps"][0]["id"]
        trace = f'{{ trace(caseId: "{CASE}") {{ findings {{ id reviewStatus review {{ reviewer }} }} }} }}'
        finding = service.data(trace, INVESTIGATOR)["trace"]["findings"][0]["id"]
        assert _code(service.review(INVESTIGATOR, overlap, "CONFIRMED")) == "FORBIDDEN"
        assert _code(service.review(STAFFING, finding, "CONFIRMED")) == "FORBIDDEN"
        for token, finding_id in (
            (STAFFING, split),
            (STAFFING, gap),
            (INVESTIGATOR, finding),
            (ADMIN, overlap),
        ):
            made = service.review(token, finding_id, "CONFIRMED")
            assert made["data"]["reviewFinding"]["reviewer"] == NAMES.get(token), made
        (traced,) = service.data(trace, INVESTIGATOR)["trace"]["findings"][:1]
        assert traced["reviewStatus"] == "CONFIRMED" and traced["review"]["reviewer"] == NAMES[INVESTIGATOR]
        kinds = service.data("{ ledger { edges { node { kind } } } }", STAFFING)["ledger"]["edges"]
        assert sorted(e["node"]["kind"] for e in kinds) == ["GAP", "OVERLAP", "SPLIT"]  # no case's finding
        every = service.data("{ ledger { edges { node { kind } } } }", INVESTIGATOR)["ledger"]["edges"]
        assert sorted(e["node"]["kind"] for e in every) == ["FINDING", "GAP", "OVERLAP", "SPLIT"]


def test_reviews_the_rules_refuse_are_bad_input_and_unknown_findings_not_found(demo: Demo) -> None:
    with demo.serve() as service:
        overlap = service.overlap_ids()[0]
        refusals = {
            "note": service.review(STAFFING, overlap, "DISMISSED"),
            "set only by the load": service.review(STAFFING, overlap, "RECTIFIED"),
            "only a RECTIFYING review has a deadline": service.review(
                STAFFING, overlap, "CONFIRMED", deadline="2099-01-01"
            ),
            "before the day of the review": service.review(
                STAFFING, overlap, "RECTIFYING", deadline="2000-01-01"
            ),
        }
        for message, body in refusals.items():
            assert _code(body) == "BAD_USER_INPUT" and message in body["errors"][0]["message"]
        for missing in (
            "overlap:000000000000",
            "gap:UNHELD_DUTY:nothing",
            f"finding:case:{CASE}:9:NOT_HOLDER",
            "x",
        ):
            assert _code(service.review(ADMIN, missing, "CONFIRMED")) == "NOT_FOUND"
        assert service.data("{ ledger { totalCount } }", ADMIN)["ledger"]["totalCount"] == 0


def test_the_ledger_filters_and_pages(demo: Demo) -> None:
    with demo.serve() as service:
        overlaps = service.data("{ overlaps(verdicts: []) { id departments { name } } }")["overlaps"]
        gaps = service.data("{ gaps { id department { name } } }")["gaps"]
    late = overlaps[5]["id"]
    ledger = demo.open_ledger()  # a rectification sent long ago: its deadline, 30 days on, has passed
    ledger.review(
        late, "RECTIFYING", role="staffing", reviewer=NAMES[STAFFING], at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    ledger.close()
    with demo.serve() as service:
        for overlap in overlaps[:4]:
            service.review(STAFFING, overlap["id"], "CONFIRMED")
        service.review(STAFFING, overlaps[4]["id"], "RECTIFYING")
        service.review(STAFFING, gaps[0]["id"], "DISMISSED", note="已核实")
        query = """query L($status: [ReviewStatus!], $kinds: [FindingKind!], $department: String,
                           $overdue: Boolean, $first: Int, $after: String) {
          ledger(status: $status, kinds: $kinds, department: $department, overdue: $overdue,
                 first: $first, after: $after) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { findingId status overdue } } } }"""

        def ids(**filters: Any) -> list[str]:
            page = service.data(query, STAFFING, **filters)["ledger"]
            return [edge["node"]["findingId"] for edge in page["edges"]]

        assert ids(status=["CONFIRMED"]) == sorted(o["id"] for o in overlaps[:4])
        assert ids(status=["RECTIFYING", "DISMISSED"]) == sorted([late, overlaps[4]["id"], gaps[0]["id"]])
        assert ids(kinds=["GAP"]) == [gaps[0]["id"]]
        assert ids(overdue=True) == [late] and late not in ids(overdue=False)
        department = overlaps[0]["departments"][0]["name"]
        naming = {o["id"] for o in overlaps[:6] if {"name": department} in o["departments"]}
        naming |= {gaps[0]["id"]} if gaps[0]["department"] == {"name": department} else set()
        assert ids(department=department) == sorted(naming)
        seen, after = [], None
        while True:
            page = service.data(query, STAFFING, first=2, after=after)["ledger"]
            seen += [edge["node"]["findingId"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert seen == sorted(seen) == ids() and len(seen) == 7


def test_a_review_shows_at_once_though_answers_are_cached(demo: Demo) -> None:
    with demo.serve() as service:
        query = "{ overlaps(verdicts: []) { id reviewStatus } }"
        before = service.data(query)["overlaps"]
        assert service.data(query)["overlaps"] == before  # asked twice: the response cache may answer
        service.review(STAFFING, before[0]["id"], "CONFIRMED")
        assert service.data(query)["overlaps"][0]["reviewStatus"] == "CONFIRMED"
        again = service.review(STAFFING, before[0]["id"], "CONFIRMED")["data"]["reviewFinding"]
        assert [h["status"] for h in again["history"]] == ["CONFIRMED", "CONFIRMED"]  # written twice


def test_editions_and_their_diff_are_public(demo: Demo) -> None:
    items = item_snapshots(demo.store)
    renamed, removed = items[0], items[1]
    later = [replace(renamed, name=renamed.name + "（新）"), *items[2:]]
    ledger = demo.open_ledger()
    first = ledger.record_edition("2024", [Source("demo.xlsx", "a" * 64)], items, ["overlap:gone"])
    ledger.record_edition(
        "2025",
        [Source("demo.xlsx", "b" * 64)],
        later,
        ["overlap:new"],
        at=first.edition.loaded_at + timedelta(days=365),
    )
    ledger.close()
    with demo.serve() as service:
        editions = service.data("{ editions { label sources items } }")["editions"]
        assert editions == [
            {"label": "2024", "sources": ["demo.xlsx"], "items": len(items)},
            {"label": "2025", "sources": ["demo.xlsx"], "items": len(later)},
        ]
        diff = service.data(
            '{ editionDiff(from: "2024", to: "2025") { from to added { code } removed { code name } '
            "changed { code fields before { name } after { name } } findingsAppeared findingsResolved } }"
        )["editionDiff"]
        assert diff["removed"] == [{"code": removed.code, "name": removed.name}] and diff["added"] == []
        assert diff["changed"] == [
            {
                "code": renamed.code,
                "fields": ["name"],
                "before": {"name": renamed.name},
                "after": {"name": renamed.name + "（新）"},
            }
        ]
        assert (diff["findingsAppeared"], diff["findingsResolved"]) == (["overlap:new"], ["overlap:gone"])
        paged = service.data(
            '{ editionDiff(from: "2025", to: "2024") { addedCount removedCount changedCount '
            "first: added(first: 1) { code } rest: added(first: 5, offset: 1) { code } } }"
        )["editionDiff"]
        assert (paged["addedCount"], paged["removedCount"], paged["changedCount"]) == (1, 0, 1)
        assert paged["first"] == [{"code": removed.code}] and paged["rest"] == []
        before_the_start = service.post(
            '{ editionDiff(from: "2024", to: "2025") { added(offset: -1) { code } } }'
        )
        assert _code(before_the_start) == "BAD_USER_INPUT"
        unknown = service.post('{ editionDiff(from: "2024", to: "2030") { from } }')
        assert _code(unknown) == "NOT_FOUND" and "2025" in unknown["errors"][0]["message"]


def test_the_access_log_names_no_reviewer_and_no_note(demo: Demo, caplog: pytest.LogCaptureFixture) -> None:
    with demo.serve() as service, caplog.at_level(logging.INFO, logger="quanze.access"):
        service.review(STAFFING, service.overlap_ids()[0], "DISMISSED", note="秘密的理由")
        service.data("{ ledger { edges { node { reviewer note } } } }", STAFFING)
    logged = [record.getMessage() for record in caplog.records if record.name == "quanze.access"]
    assert sum('"role": "staffing"' in line for line in logged) == 2
    assert not any(NAMES[STAFFING] in line or "秘密的理由" in line for line in logged)


def test_the_caller_reads_its_role_and_one_review_by_its_id(demo: Demo) -> None:
    with demo.serve() as service:
        ask = "{ viewer { role name reviews } }"
        assert service.data(ask)["viewer"] == {"role": "PUBLIC", "name": None, "reviews": []}
        assert service.data(ask, STAFFING)["viewer"] == {
            "role": "STAFFING",
            "name": NAMES[STAFFING],
            "reviews": ["OVERLAP", "GAP", "SPLIT", "WARNING"],
        }
        assert service.data(ask, ADMIN)["viewer"]["name"] is None  # a token configured with a role alone
        overlap, other = service.overlap_ids()[:2]
        service.review(STAFFING, overlap, "CONFIRMED", note="属实")
        one = "query One($id: ID!) { review(findingId: $id) { findingId status note history { status } } }"
        assert service.data(one, STAFFING, id=overlap)["review"] == {
            "findingId": overlap,
            "status": "CONFIRMED",
            "note": "属实",
            "history": [{"status": "CONFIRMED"}],
        }
        assert service.data(one, STAFFING, id=other)["review"] is None  # never reviewed: OPEN
        named = service.data("{ ledger { edges { node { departments { id } } } } }", STAFFING)["ledger"]
        listed = service.data("{ overlaps(verdicts: []) { id departments { id } } }")["overlaps"]
        assert [edge["node"]["departments"] for edge in named["edges"]] == [
            o["departments"] for o in listed if o["id"] == overlap
        ]
        assert _code(service.post(one, None, id=overlap)) == "FORBIDDEN"  # the public lists no reviews
        case_finding = f"finding:{CASE}:1:IDLE_BETWEEN_STAGES"
        assert _code(service.post(one, STAFFING, id=case_finding)) == "FORBIDDEN"  # a case's: investigators'
        assert service.data(one, INVESTIGATOR, id=case_finding)["review"] is None
        assert _code(service.post(one, STAFFING, id="nonsense")) == "NOT_FOUND"
