"""What the service does around its ledger, on the memory store: ledger reads batched per request, a
service without a ledger, mutations never over GET, and tokens configured with the reviewer's name."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.roles import Caller, Role, UnknownRole
from api.settings import Settings, hash_token
from graph import MemoryStore
from graph.ledger import Review, SQLiteLedger
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook

REPO = Path(__file__).resolve().parents[2]
STAFFING = "service-staffing"
TOKENS = {hash_token(STAFFING): {"role": "staffing", "name": "王芳"}}
REVIEW = 'mutation { reviewFinding(id: "%s", status: CONFIRMED) { status reviewer } }'


class CountingLedger(SQLiteLedger):
    """The real SQLite ledger, counting the reads made of it, by name."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.calls: Counter[str] = Counter()

    def current(self, finding_ids: Iterable[str] | None = None) -> dict[str, Review]:
        self.calls["current"] += 1
        return super().current(finding_ids)

    def history(self, finding_id: str) -> list[Review]:
        self.calls["history"] += 1
        return super().history(finding_id)

    def histories(self, finding_ids: Iterable[str]) -> dict[str, list[Review]]:
        self.calls["histories"] += 1
        return super().histories(finding_ids)


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


def _post(client: TestClient, query: str, token: str | None = STAFFING) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body: dict[str, Any] = client.post("/graphql", json={"query": query}, headers=headers).json()
    return body


def test_a_list_of_findings_reads_the_ledger_once_for_reviews_and_once_for_histories(
    store: MemoryStore, tmp_path: Path
) -> None:
    ledger = CountingLedger(tmp_path / "ledger.sqlite3")
    with TestClient(create_app(Settings(tokens=TOKENS, response_cache=0), store, ledger=ledger)) as client:
        found = _post(
            client, "{ overlaps(verdicts: []) { id } gaps { id } splitApprovals(minDepartments: 1) { id } }"
        )
        for finding in (finding for findings in found["data"].values() for finding in findings[:3]):
            assert "errors" not in _post(client, REVIEW % finding["id"])
        ledger.calls.clear()
        query = "{ %s { id reviewStatus review { status history { status at } } } }"
        for field in ("overlaps(verdicts: [])", "gaps", "splitApprovals(minDepartments: 1)"):
            answer = _post(client, query % field)
            assert "errors" not in answer, answer
            assert len(answer["data"][field.partition("(")[0]]) > 3
            assert ledger.calls == {"current": 1, "histories": 1}, field
            ledger.calls.clear()
    ledger.close()


def test_without_a_ledger_every_finding_is_open_and_none_can_be_reviewed(store: MemoryStore) -> None:
    with TestClient(create_app(Settings(tokens=TOKENS), store)) as client:
        overlaps = _post(client, "{ overlaps { id reviewStatus review { status } } editions { label } }")[
            "data"
        ]
        assert {o["reviewStatus"] for o in overlaps["overlaps"]} == {"OPEN"}
        assert {o["review"] is None for o in overlaps["overlaps"]} == {True} and overlaps["editions"] == []
        refused = _post(client, REVIEW % overlaps["overlaps"][0]["id"])
        assert refused["errors"][0]["extensions"]["code"] == "LEDGER_UNAVAILABLE"


def test_a_mutation_is_never_run_over_get(store: MemoryStore, tmp_path: Path) -> None:
    ledger = SQLiteLedger(tmp_path / "ledger.sqlite3")
    with TestClient(create_app(Settings(tokens=TOKENS), store, ledger=ledger)) as client:
        overlap = _post(client, "{ overlaps { id } }")["data"]["overlaps"][0]["id"]
        headers = {"Authorization": f"Bearer {STAFFING}"}
        response = client.get("/graphql", params={"query": REVIEW % overlap}, headers=headers)
        assert (
            response.status_code == 405
            and response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        )
        assert ledger.current() == {}
    ledger.close()


def test_a_token_is_a_role_or_a_role_with_the_reviewers_name() -> None:
    named = Caller.parse({"role": "Staffing", "name": " 王芳 "})
    assert (named.role, named.name) == (Role.STAFFING, "王芳") and "王芳" not in repr(named)
    assert Caller.parse("admin") == Caller(Role.ADMIN)
    for bad in ({"role": "staffing", "nme": "王芳"}, {"name": "王芳"}, {"role": "mayor"}):
        with pytest.raises(UnknownRole):
            Caller.parse(bad)


def test_tokens_with_names_come_from_the_environment(tmp_path: Path) -> None:
    """QUANZE_TOKENS as JSON, read by a process of its own (so that this one's environment stays)."""
    tokens = json.dumps({hash_token("t"): {"role": "investigator", "name": "李强"}}, ensure_ascii=False)
    script = (
        "from api.settings import Settings; s = Settings(); "
        "print([(c.role.value, c.name) for c in s.callers.values()], s.ledger)"
    )
    printed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={"QUANZE_TOKENS": tokens, "QUANZE_LEDGER": str(tmp_path / "l.sqlite3"), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.strip() == f"[('investigator', '李强')] {tmp_path / 'l.sqlite3'}"
