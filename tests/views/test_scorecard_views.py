"""The scorecards and warnings in real Chromium, on the demo served with a ledger of its own: the ranking
in the API's order, a department's card against the API's `scorecard`, a deduction followed to its
finding, a manual score given as a staffing officer would and the total and rank it changes, the public
kept out without a query, and the warnings by level with one confirmed. Screenshots go to
`test-output/views/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loaders.demo import DEMO_WORKBOOK
from tests.views.conftest import INVESTIGATOR_TOKEN, STAFFING_TOKEN, Server, loaded, serve_with_ledger
from tests.views.test_ledger_views import _page, graphql_requests
from tests.views.test_views import DESKTOP, shoot, use_token

#: the person behind the staffing token: the scorer the ledger records
SCORER = "王芳"
CARDS = "{ scorecards(first: 500) { rank total department { id name government } } }"
CARD = """query($d: String!) { scorecard(department: $d) {
  total rank indicators { code score points computed findings } } }"""
#: the levels' badges (api/static/js/labels.js WARNING_LEVELS)
LEVELS_SHOWN = {"RED": "红色 · 合规", "YELLOW": "黄色 · 履职", "BLUE": "蓝色 · 效益"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    ledger = tmp_path_factory.mktemp("scorecard-views") / "ledger.sqlite3"
    callers = {
        STAFFING_TOKEN: {"role": "staffing", "name": SCORER},
        INVESTIGATOR_TOKEN: {"role": "investigator", "name": "李强"},
    }
    yield from serve_with_ledger(loaded(DEMO_WORKBOOK), ledger, callers)


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    yield from _page(browser, server, DESKTOP)


def cards(server: Server) -> list[dict[str, Any]]:
    return list(server.query(CARDS, token=server.staffing_token)["scorecards"])


def card(server: Server, department: str) -> dict[str, Any]:
    return dict(server.query(CARD, {"d": department}, token=server.staffing_token)["scorecard"])


def open_card(page: Any, department: str) -> None:
    page.goto(f"/#/scorecards?department={department}")
    page.wait_for_function(
        "(d) => document.querySelector('#scorecard-summary')?.dataset.department === d", arg=department
    )


def shown_total(page: Any) -> tuple[float, int]:
    summary = page.locator("#scorecard-summary")
    return float(summary.get_attribute("data-total")), int(summary.get_attribute("data-rank"))


def signed_in(page: Any, server: Server, token: str | None = None) -> None:
    """The staffing token (or `token`) stored as the token panel stores it."""
    page.goto("/")
    page.evaluate("(token) => sessionStorage.setItem('quanze.token', token)", token or server.staffing_token)


def test_the_ranking_lists_the_apis_departments_in_its_order_and_opens_their_cards(
    page: Any, server: Server, screenshots: Path
) -> None:
    page.goto("/#/scorecards")
    assert page.locator("nav a[data-route=scorecards]").inner_text() == "考核评估"
    use_token(page, server.staffing_token)
    page.wait_for_selector("#ranking-heading")
    expected = cards(server)
    rows = page.locator(".ranking-table tbody tr")
    assert [row.get_attribute("data-department") for row in rows.all()] == [
        c["department"]["id"] for c in expected
    ]
    assert [int(row.get_attribute("data-rank")) for row in rows.all()] == [c["rank"] for c in expected]
    shoot(page, screenshots, "7-scorecards-ranking-desktop", full=False)

    # one government only: its departments, in the same order
    government = expected[-1]["department"]["government"]
    page.select_option("#scorecards-government", government)
    page.locator(".case-form button[type=submit]").click()
    page.wait_for_function(
        "(g) => document.querySelector('#ranking-heading')?.textContent.startsWith(g)", arg=government
    )
    assert [row.get_attribute("data-department") for row in rows.all()] == [
        c["department"]["id"] for c in expected if c["department"]["government"] == government
    ]

    # a row's link opens the department's card: its total and indicators as the API has them
    first = expected[0]["department"]
    page.goto("/#/scorecards")
    page.get_by_role("link", name=first["name"], exact=True).click()
    page.wait_for_selector("#scorecard-summary")
    answer = card(server, first["id"])
    assert shown_total(page) == (answer["total"], answer["rank"])
    assert page.locator("#scorecard-title").inner_text() == first["name"]
    indicators = page.locator(".indicator")
    assert [i.get_attribute("data-code") for i in indicators.all()] == [
        i["code"] for i in answer["indicators"]
    ]
    for shown, indicator in zip(indicators.all(), answer["indicators"], strict=True):
        score = shown.locator(".indicator-score").inner_text()
        assert score == ("未计算" if indicator["score"] is None else f"{indicator['score']:g} / 100")
    shoot(page, screenshots, "7-scorecard-desktop")


def test_a_deductions_finding_link_lands_on_that_finding(page: Any, server: Server) -> None:
    found: dict[str, tuple[str, str]] = {}  # kind -> (department, finding)
    for entry in cards(server):
        for indicator in card(server, entry["department"]["id"])["indicators"]:
            for finding in indicator["findings"]:
                kind = finding.split(":")[0] if not finding.startswith("gap:") else "gap"
                if kind in {"overlap", "finding", "split"} or finding.startswith("gap:GHOST_PAYROLL"):
                    found.setdefault(kind, (entry["department"]["id"], finding))
    assert set(found) == {"overlap", "gap", "split", "finding"}, found

    landing = {
        "overlap": lambda f: f'a.choice[aria-current="true"][data-overlap="{f}"]',
        "split": lambda f: f'a[aria-current="true"][data-split="{f}"]',
        "gap": lambda f: f'.gap-list li.picked[data-finding="{f}"]',
        "finding": lambda f: f'.findings .finding[data-finding="{f}"]',
    }
    for kind, (department, finding) in found.items():
        # a case's trace is the investigator's (who reads the cards too), the rest the staffing role's
        signed_in(page, server, server.investigator_token if kind == "finding" else None)
        open_card(page, department)
        page.locator(f'.indicator-findings li[data-finding="{finding}"] a').click()
        page.wait_for_selector(landing[kind](finding))


def test_a_manual_score_changes_the_total_and_the_rank_as_the_api_reports_them(
    page: Any, server: Server, screenshots: Path
) -> None:
    # the last of its government, with an indicator no one scored: a full score raises it
    last = cards(server)[-1]["department"]
    before = card(server, last["id"])
    unscored = next(i for i in before["indicators"] if i["score"] is None)
    computed = next(i for i in before["indicators"] if i["computed"])
    signed_in(page, server)
    open_card(page, last["id"])
    assert shown_total(page) == (before["total"], before["rank"])

    # over a computed score, a note is needed: the form says so and sends nothing without one
    form = page.locator(f'.indicator[data-code="{computed["code"]}"] .score-form')
    form.locator("input[name=score]").fill("80")
    form.locator("button[type=submit]").click()
    assert form.locator("textarea").evaluate("(note) => !note.validity.valid")
    assert card(server, last["id"])["total"] == before["total"]

    form = page.locator(f'.indicator[data-code="{unscored["code"]}"] .score-form')
    form.locator("input[name=score]").fill("100")
    form.locator("textarea").fill("现场核查：内设机构职责清晰")
    form.locator("button[type=submit]").click()
    page.wait_for_function(
        "(t) => document.querySelector('#scorecard-summary')?.dataset.total !== String(t)",
        arg=before["total"],
    )
    after = card(server, last["id"])
    assert after["total"] > before["total"] and after["rank"] < before["rank"]
    assert shown_total(page) == (after["total"], after["rank"])
    scored = page.locator(f'.indicator[data-code="{unscored["code"]}"]')
    assert scored.locator(".indicator-score").inner_text() == "100 / 100"
    assert "人工评分" in scored.locator(".indicator-head").inner_text()
    assert "已记录" in scored.locator(".score-done").inner_text()

    # the history on demand: the score, the note and the scorer the token names
    scored.locator(".score-history summary").click()
    record = scored.locator(".score-records li")
    record.first.wait_for()
    assert "100 分" in record.first.inner_text() and SCORER in record.first.inner_text()
    assert "现场核查" in record.first.inner_text()
    shoot(page, screenshots, "7-scorecard-scored-desktop", full=False)

    # a score the API refuses: said in Chinese beside the form
    form = page.locator(f'.indicator[data-code="{unscored["code"]}"] .score-form')
    form.locator("input[name=score]").evaluate("(input) => input.removeAttribute('max')")
    form.locator("input[name=score]").fill("150")
    form.locator("button[type=submit]").click()
    assert "评分不符合规则" in form.locator(".score-message .alert-error").inner_text()


def test_the_public_sees_the_message_and_no_figures(page: Any, server: Server) -> None:
    sent = graphql_requests(page)
    department = cards(server)[0]["department"]
    for route, message in [
        ("/#/scorecards", "#scorecards-locked"),
        (f"/#/scorecards?department={department['id']}", "#scorecards-locked"),
        ("/#/warnings", "#warnings-locked"),
    ]:
        page.goto(route)
        assert "编制管理" in page.locator(message).inner_text()
        assert page.locator(".ranking-table, #scorecard-summary, .warning").count() == 0
    asked = " ".join(body for _, body in sent)
    assert "scorecard" not in asked and "warnings(" not in asked
    assert all(authorization is None for authorization, _ in sent)


def test_the_warnings_show_each_level_with_its_badge_text_and_one_is_confirmed(
    page: Any, server: Server, screenshots: Path
) -> None:
    warnings = server.query(
        "{ warnings(first: 500) { id level reviewStatus } }", token=server.staffing_token
    )["warnings"]
    assert {w["level"] for w in warnings} == set(LEVELS_SHOWN)
    signed_in(page, server)
    page.goto("/#/warnings")
    assert page.locator("nav a[data-route=warnings]").inner_text() == "预警"
    page.wait_for_selector(".warning-level")
    for level, text in LEVELS_SHOWN.items():
        section = page.locator(f'.warning-level[data-level="{level}"]')
        assert section.locator("h2 .warning-badge").inner_text() == text
        shown = section.locator(".warning")
        assert shown.count() == sum(1 for w in warnings[:50] if w["level"] == level)
        assert {b.inner_text() for b in shown.locator(".warning-head .warning-badge").all()} == {text}
    shoot(page, screenshots, "8-warnings-desktop", full=False)

    # one level only
    page.select_option("#warnings-level", "YELLOW")
    page.wait_for_function(
        "() => document.querySelector('#warnings-heading')?.dataset.filters?.includes('YELLOW')"
    )
    assert {w.get_attribute("data-level") for w in page.locator(".warning").all()} == {"YELLOW"}

    # confirmed through the buttons, as the other findings
    first = page.locator(".warning").first.get_attribute("data-warning")
    panel = page.locator(f'.review-panel[data-finding="{first}"]')
    panel.locator('button[data-action="CONFIRMED"]').click()
    panel.locator('.review-form button[type="submit"]').click()
    panel.locator(".review-done").wait_for()
    assert panel.locator(".review-status").inner_text() == "已确认"
    status = server.query(
        "{ warnings(first: 500, levels: [YELLOW]) { id reviewStatus } }", token=server.staffing_token
    )["warnings"]
    assert next(w["reviewStatus"] for w in status if w["id"] == first) == "CONFIRMED"
