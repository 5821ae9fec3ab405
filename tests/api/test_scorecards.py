"""Scorecards, manual scores and warnings through the real service (the app, its analysis cache, a SQLite
ledger in a temp file, tokens for each role), on the demo city and on the small hand-made government
of `tests.builders` (two governments: 示例市 with three departments, 示例区 with one)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings, hash_token
from graph import MemoryStore
from graph.evaluation import default_system
from loaders.demo import DEMO_WORKBOOK, REFERENCE_DATE
from loaders.workbook import load_workbook
from tests.builders import small, write_xlsx

STAFFING, INVESTIGATOR, ADMIN = "score-staffing", "score-investigator", "score-admin"
NAME = "王芳"
TOKENS = {
    hash_token(STAFFING): {"role": "staffing", "name": NAME},
    hash_token(INVESTIGATOR): "investigator",
    hash_token(ADMIN): "admin",
}
AT = REFERENCE_DATE.isoformat()
CARDS = """query Cards($at: Date, $government: String) { scorecards(at: $at, government: $government) {
  rank total maxTotal grade complete template department { id name government }
  indicators { code score weight computed findings } } }"""
SCORE = """mutation Score($department: String!, $code: String!, $score: Float!, $note: String, $at: Date) {
  scoreIndicator(department: $department, code: $code, score: $score, note: $note, at: $at) {
    code score computed evidence history { score note scorer periodEnd } } }"""


class Client:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def post(self, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def data(self, query: str, token: str | None = STAFFING, **variables: Any) -> Any:
        body = self.post(query, token, **variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def cards(self, at: str = AT, government: str | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.data(CARDS, at=at, government=government)["scorecards"]
        return found


@contextmanager
def serving(store: MemoryStore, ledger: Path) -> Iterator[Client]:
    with TestClient(create_app(Settings(tokens=TOKENS, ledger=ledger), store)) as client:
        yield Client(client)


@pytest.fixture(scope="module")
def demo_store() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


@pytest.fixture
def demo(demo_store: MemoryStore, tmp_path: Path) -> Iterator[Client]:
    with serving(demo_store, tmp_path / "ledger.sqlite3") as client:
        yield client


@pytest.fixture
def small_city(tmp_path: Path) -> Iterator[Client]:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "small.xlsx", small()), store)
    with serving(store, tmp_path / "ledger.sqlite3") as client:
        yield client


def _code(body: dict[str, Any]) -> str:
    codes = {error["extensions"]["code"] for error in body["errors"]}
    assert len(codes) == 1, body["errors"]
    return codes.pop()


def _manual_codes(template: str) -> list[str]:
    """The third-level indicators of the template that only a person scores (their rule names no graph key)."""
    found = default_system().template(template)
    assert found is not None
    return [i.code for i in found.scored if i.rule is not None and not i.rule.graph_keys]


def _manual_code(template: str) -> str:
    return _manual_codes(template)[0]


def _check_ranked(cards: list[dict[str, Any]]) -> None:
    """Each government's cards best first, ranked 1, 1, 3 …, totals by the official formula."""
    for card in cards:
        formula = sum((i["score"] or 0) * i["weight"] for i in card["indicators"])
        assert card["total"] == pytest.approx(formula)
        assert card["complete"] == all(i["score"] is not None for i in card["indicators"])
    by_government: dict[str, list[dict[str, Any]]] = {}
    for card in cards:
        by_government.setdefault(card["department"]["government"], []).append(card)
    for ranked in by_government.values():
        totals = [card["total"] for card in ranked]
        assert totals == sorted(totals, reverse=True)
        for place, card in enumerate(ranked, 1):
            better = sum(1 for other in ranked if other["total"] > card["total"])
            assert card["rank"] == better + 1 <= place


def test_the_demo_scorecards_are_ranked_by_the_official_formula(demo: Client) -> None:
    cards = demo.cards()
    assert len(cards) == demo.data("{ departments { totalCount } }")["departments"]["totalCount"]
    _check_ranked(cards)
    computed = [i for card in cards for i in card["indicators"] if i["computed"]]
    assert computed and any(i["findings"] for i in computed)
    assert all(i["score"] is not None for i in computed)
    not_computed = [i for card in cards for i in card["indicators"] if not i["computed"]]
    assert all(i["score"] is None for i in not_computed)  # nothing scored yet: never full or zero marks


def test_a_manual_score_changes_the_total_and_the_rank(small_city: Client) -> None:
    cards = small_city.cards(at="2025-06-30", government="示例市人民政府")
    assert {card["department"]["government"] for card in cards} == {"示例市人民政府"}
    _check_ranked(cards)
    last = cards[-1]
    department = last["department"]["id"]
    weights = {i["code"]: i["weight"] for i in last["indicators"]}
    manual = sorted(_manual_codes(last["template"]), key=lambda code: -weights[code])
    chosen: list[str] = []  # the manual indicators that, at full marks, lift it past the first
    while sum(100 * weights[code] for code in chosen) <= cards[0]["total"] - last["total"]:
        chosen.append(manual[len(chosen)])
    for code in chosen:
        given = small_city.data(
            SCORE, department=department, code=code, score=100, note="材料齐全", at="2025-06-30"
        )["scoreIndicator"]
        assert given["score"] == 100 and not given["computed"]
        assert given["history"] == [
            {"score": 100.0, "note": "材料齐全", "scorer": NAME, "periodEnd": "2025-06-30"}
        ]
    after = small_city.cards(at="2025-06-30", government="示例市人民政府")
    _check_ranked(after)
    moved = next(card for card in after if card["department"]["id"] == department)
    assert moved["total"] == pytest.approx(last["total"] + sum(100 * weights[code] for code in chosen))
    assert moved["rank"] == 1 and after[0]["department"]["id"] == department
    other_day = small_city.cards(at="2025-07-31", government="示例市人民政府")  # given for 2025-06-30 only
    assert next(c for c in other_day if c["department"]["id"] == department)["rank"] != 1


def test_the_score_history_keeps_every_score(demo: Client) -> None:
    card = demo.cards()[0]
    code = _manual_code(card["template"])
    name = card["department"]["name"]
    demo.data(SCORE, department=name, code=code, score=60)
    second = demo.data(SCORE, ADMIN, department=card["department"]["id"], code=code, score=85, note="复核")
    history = second["scoreIndicator"]["history"]
    assert [(h["score"], h["scorer"]) for h in history] == [(60.0, NAME), (85.0, "admin")]
    query = """query One($department: String!, $at: Date) { scorecard(department: $department, at: $at) {
      total rank indicators { code score history { score } } } }"""
    found = demo.data(query, department=name)["scorecard"]  # today, as the scores were given for every date
    scored = next(i for i in found["indicators"] if i["code"] == code)
    assert scored["score"] == 85 and [h["score"] for h in scored["history"]] == [60.0, 85.0]
    assert demo.data(query, department="没有这个部门")["scorecard"] is None


def test_refusals(demo: Client) -> None:
    card = demo.cards()[0]
    department, code = card["department"]["id"], _manual_code(card["template"])
    assert _code(demo.post(CARDS, None, at=AT)) == "FORBIDDEN"
    assert _code(demo.post("{ warnings { id } }")) == "FORBIDDEN"
    assert _code(demo.post(SCORE, None, department=department, code=code, score=50)) == "FORBIDDEN"
    assert _code(demo.post(SCORE, INVESTIGATOR, department=department, code=code, score=50)) == "FORBIDDEN"
    assert demo.data(CARDS, INVESTIGATOR, at=AT)["scorecards"]  # investigators read the cards
    high = demo.post(SCORE, STAFFING, department=department, code=code, score=150)
    assert _code(high) == "BAD_USER_INPUT" and code in high["errors"][0]["message"]
    unknown = demo.post(SCORE, STAFFING, department=department, code="9.9.9", score=50)
    assert _code(unknown) == "BAD_USER_INPUT" and "9.9.9" in unknown["errors"][0]["message"]
    computed = next(i["code"] for i in card["indicators"] if i["computed"])
    override = demo.post(SCORE, STAFFING, department=department, code=computed, score=50)  # without a note
    assert _code(override) == "BAD_USER_INPUT"
    missing = demo.post(SCORE, STAFFING, department="没有这个部门", code=code, score=50)
    assert _code(missing) == "NOT_FOUND"
    assert demo.data(CARDS, at=AT) == {"scorecards": demo.cards()}  # nothing refused was written
    assert all(i["score"] is None for c in demo.cards() for i in c["indicators"] if i["code"] == code)


def test_warnings_by_level_and_reviewed_like_any_finding(demo: Client) -> None:
    query = """query W($levels: [WarningLevel!], $department: String) { warnings(levels: $levels,
      department: $department) { id level rule finding detail reviewStatus department { id name } } }"""
    every = demo.data(query)["warnings"]
    levels = [w["level"] for w in every]
    assert set(levels) == {"RED", "YELLOW", "BLUE"}
    assert levels == sorted(levels, key=["RED", "YELLOW", "BLUE"].index)
    red = demo.data(query, levels=["RED"])["warnings"]
    assert red == [w for w in every if w["level"] == "RED"]
    one = red[0]["department"]
    about = demo.data(query, department=one["name"])["warnings"]
    assert about and red[0] in about
    assert all(w["reviewStatus"] == "OPEN" for w in every)
    review = (
        """mutation R($id: ID!) { reviewFinding(id: $id, status: CONFIRMED) { findingId status reviewer } }"""
    )
    made = demo.data(review, id=red[0]["id"])["reviewFinding"]
    assert made == {"findingId": red[0]["id"], "status": "CONFIRMED", "reviewer": NAME}
    assert _code(demo.post(review, INVESTIGATOR, id=red[0]["id"])) == "FORBIDDEN"
    again = {w["id"]: w["reviewStatus"] for w in demo.data(query, levels=["RED"])["warnings"]}
    assert again[red[0]["id"]] == "CONFIRMED"
    assert _code(demo.post(review, STAFFING, id="warning:none:department:x")) == "NOT_FOUND"


def test_the_evaluation_is_computed_once_per_version(demo: Client, demo_store: MemoryStore) -> None:
    cache = demo.client.app.state.service.analyses  # type: ignore[attr-defined]
    demo.cards()
    card = demo.cards()[0]
    demo.data(SCORE, department=card["department"]["id"], code=_manual_code(card["template"]), score=70)
    demo.cards()
    demo.data("{ warnings { id } }")
    assert cache.computations["evaluation"] == 2  # the date AT, and today (the warnings and the score)
    assert date.fromisoformat(AT) != date.today()


def test_a_dismissed_finding_takes_no_points_off(demo: Client) -> None:
    # 1.4.1 (协同高效) takes 50 points off per overlap or split approval: a department at 50 has one
    # such finding; once the office dismisses it (with its reason) the indicator is back at 100, and the
    # total rises by 50 × the indicator's weight
    cards = demo.cards()
    card, indicator = next(
        (card, i)
        for card in cards
        for i in card["indicators"]
        if i["code"] == "1.4.1" and len(i["findings"]) == 1 and i["score"] == 50.0
    )
    finding = indicator["findings"][0]
    demo.data(
        'mutation($id: ID!) { reviewFinding(id: $id, status: DISMISSED, note: "已有分工文件") { status } }',
        id=finding,
    )
    again = next(c for c in demo.cards() if c["department"]["id"] == card["department"]["id"])
    scored = next(i for i in again["indicators"] if i["code"] == "1.4.1")
    assert scored["score"] == 100.0 and scored["findings"] == []
    assert again["total"] == pytest.approx(card["total"] + 50 * indicator["weight"])
    evidence = demo.data(
        "query($d: String!, $at: Date) { scorecard(department: $d, at: $at) { indicators { code evidence } } }",
        d=card["department"]["id"],
        at=AT,
    )["scorecard"]["indicators"]
    assert any(
        line.startswith("已驳回，不扣分") for i in evidence if i["code"] == "1.4.1" for line in i["evidence"]
    )
