"""The ledger in the views, in real Chromium: the demo served with a ledger of its own (a temporary SQLite
file holding two editions recorded with `graph.ledger`), reviewed through the buttons as a staffing
officer would, read back after a reload, listed and filtered on the ledger page and exported, seen by
the public without a button or a reviewer's name, and two editions compared on the diff page. Who a
token stands for, and so which buttons show, is the service's answer to `viewer`, named in the token
panel. Screenshots go to `test-output/views/` as the other view tests'.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from graph.ledger import Source, SQLiteLedger, findings_present, item_snapshots
from loaders.demo import DEMO_WORKBOOK
from tests.views.conftest import INVESTIGATOR_TOKEN, STAFFING_TOKEN, Server, loaded, serve_with_ledger
from tests.views.test_views import DESKTOP, NO_OVERFLOW, PHONE, TIMEOUT_MS, shoot, use_token

#: the person behind the staffing token: the reviewer the ledger records
REVIEWER = "王芳"
STAFFING_GAPS = "[NO_HEAD, VACANT_POST, OVER_QUOTA, GHOST_PAYROLL, MIXED_QUOTA, CONCURRENT_POSTS]"
#: a note that a spreadsheet would run as a formula: the CSV export must disarm it
FORMULA_NOTE = "=1+1 两部门均已核实"


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo in a store, and a ledger file holding its editions 2024 and 2025: in 2025 the first item
    is renamed, the second gone, and the first overlap resolved."""
    store = loaded(DEMO_WORKBOOK)
    path = tmp_path_factory.mktemp("ledger-views") / "ledger.sqlite3"
    items = item_snapshots(store)
    findings = findings_present(store, date.today())
    renamed = replace(items[0], name=items[0].name + "（调整）")
    ledger = SQLiteLedger(path)
    first = ledger.record_edition("2024", [Source("示例市-2024.xlsx", "a" * 64)], items, findings)
    ledger.record_edition(
        "2025",
        [Source("示例市-2025.xlsx", "b" * 64)],
        [renamed, *items[2:]],
        findings[1:],
        at=first.edition.loaded_at + timedelta(days=365),
    )
    ledger.close()
    return {"store": store, "path": path, "items": items, "findings": findings, "renamed": renamed}


@pytest.fixture(scope="module")
def server(editions: dict[str, Any]) -> Iterator[Server]:
    callers = {
        STAFFING_TOKEN: {"role": "staffing", "name": REVIEWER},
        INVESTIGATOR_TOKEN: {"role": "investigator", "name": "李强"},
    }
    yield from serve_with_ledger(editions["store"], editions["path"], callers)


#: what Chromium logs for an answer of HTTP 401: the service's answer to a token it does not know
UNAUTHORIZED = "status of 401"


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    yield from _page(browser, server, DESKTOP)


@pytest.fixture
def refused_page(browser: Any, server: Server) -> Iterator[Any]:
    """A page on which the service refusing a token (HTTP 401) is expected, not an error."""
    yield from _page(browser, server, DESKTOP, allowed=UNAUTHORIZED)


def _page(
    browser: Any, server: Server, viewport: dict[str, int], allowed: str | None = None, **options: Any
) -> Iterator[Any]:
    """A page in a new context (its own sessionStorage), failing on any script error but those naming
    `allowed`; a refused review (the 403-less FORBIDDEN of GraphQL) is an answer, not an error."""
    context = browser.new_context(
        base_url=server.base, viewport=viewport, locale="zh-CN", accept_downloads=True, **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
    unexpected = [error for error in errors if allowed is None or allowed not in error]
    assert not unexpected, f"the page logged errors: {unexpected}"


def badge(page: Any, finding: str) -> Any:
    """The status badges of the finding `finding` (in a list and in its review panel)."""
    return page.locator(f'.review-status[data-finding="{finding}"]')


def review(page: Any, finding: str, action: str, note: str = "") -> None:
    """Click the button of `action` in the finding's panel, write `note`, submit, wait for the record."""
    panel = page.locator(f'.review-panel[data-finding="{finding}"]')
    panel.locator(f'button[data-action="{action}"]').click()
    if note:
        panel.locator(".review-form textarea").fill(note)
    panel.locator('.review-form button[type="submit"]').click()
    panel.locator(".review-done").wait_for()


def ledger_shows(page: Any, **filters: str) -> set[str]:
    """The findings the ledger page lists once it shows `filters` (status, kind, dept, overdue)."""
    wanted = {"status": "", "kind": "", "dept": "", "overdue": "", **filters}
    page.wait_for_function(
        "(wanted) => document.querySelector('#ledger-heading')?.dataset.filters === JSON.stringify(wanted)",
        arg=wanted,
    )
    return {row.get_attribute("data-finding") for row in page.locator(".ledger-table tbody tr").all()}


def token_state(page: Any, role: str) -> str:
    """What the token panel says once the service has named the token's role `role` (AccessRole)."""
    return str(page.locator(f'.token-state[data-role="{role}"]').inner_text())


def graphql_requests(page: Any) -> list[tuple[str | None, str]]:
    """The GraphQL requests the page sends from now on: (Authorization header, body), in order."""
    sent: list[tuple[str | None, str]] = []
    page.on(
        "request",
        lambda request: (
            sent.append((request.headers.get("authorization"), request.post_data or ""))
            if request.url.endswith("/graphql")
            else None
        ),
    )
    return sent


def statuses(server: Server, token: str | None = None) -> dict[str, Any]:
    """The current reviews of the service, by finding id (as staffing: every kind it reviews)."""
    answer = server.query(
        "{ ledger(first: 100) { edges { node { findingId status deadline reviewer note } } } }",
        token=token or server.staffing_token,
    )
    return {edge["node"]["findingId"]: edge["node"] for edge in answer["ledger"]["edges"]}


def test_staffing_reviews_through_the_buttons_and_finds_them_after_a_reload_and_in_the_ledger(
    page: Any, server: Server, tmp_path: Path, screenshots: Path
) -> None:
    overlaps = server.query("{ overlaps { id departments { name } } }")["overlaps"]
    overlap = overlaps[0]
    page.goto(f"/#/overlaps?overlap={overlap['id']}")
    page.wait_for_selector("#evidence-heading")
    assert badge(page, overlap["id"]).first.inner_text() == "待核实"
    assert page.locator(".review-actions").count() == 0  # no token: no buttons
    page.locator(".review-login summary").click()
    assert page.locator("#token-role").count() == 0  # no role to pick: the service says it
    sent = graphql_requests(page)
    use_token(page, server.staffing_token)
    said = token_state(page, "STAFFING")
    assert "编制管理人员" in said and REVIEWER in said and "职能交叉" in said
    page.wait_for_selector(f'.review-panel[data-finding="{overlap["id"]}"] .review-actions')

    # dismissing needs a note: the form says so and sends nothing without one
    panel = page.locator(f'.review-panel[data-finding="{overlap["id"]}"]')
    panel.locator('button[data-action="DISMISSED"]').click()
    assert "必填" in panel.locator(".review-form").inner_text()
    panel.locator('.review-form button[type="submit"]').click()
    assert panel.locator(".review-form textarea").evaluate("(note) => !note.validity.valid")
    assert overlap["id"] not in statuses(server)

    review(page, overlap["id"], "CONFIRMED", FORMULA_NOTE)
    assert {b.inner_text() for b in badge(page, overlap["id"]).all()} == {"已确认"}
    assert badge(page, overlap["id"]).count() == 2  # the list's and the panel's
    # the history on demand: this finding's review by its id, with the token, not the list of overlaps again
    asked = len(sent)
    panel.locator(".review-history summary").click()
    record = panel.locator(".review-records li")
    record.first.wait_for()
    assert REVIEWER in record.first.inner_text() and FORMULA_NOTE in record.first.inner_text()
    [(authorization, body)] = sent[asked:]
    assert authorization == f"Bearer {server.staffing_token}"
    assert "review(findingId:" in body and overlap["id"] in body and "overlaps" not in body
    shoot(page, screenshots, "2-overlaps-review-desktop", full=False)

    # a staffing gap sent for rectification: the deadline 30 days ahead unless changed
    gaps = server.query(
        f"{{ gaps(kinds: {STAFFING_GAPS}) {{ id department {{ name }} }} }}", token=server.staffing_token
    )["gaps"]
    gap = gaps[0]["id"]
    page.goto("/#/staffing")
    gap_panel = page.locator(f'.review-panel[data-finding="{gap}"]')
    gap_panel.locator('button[data-action="RECTIFYING"]').click()
    due = date.today() + timedelta(days=30)
    assert gap_panel.locator('input[name="deadline"]').input_value() == due.isoformat()
    review(page, gap, "RECTIFYING", "请于期限内补齐岗位人员")
    assert badge(page, gap).first.inner_text() == f"整改中 · 限 {due.isoformat()} 前"
    shoot(page, screenshots, "5-staffing-review-desktop", full=False)

    recorded = statuses(server)
    assert (
        recorded[overlap["id"]]["status"] == "CONFIRMED" and recorded[overlap["id"]]["reviewer"] == REVIEWER
    )
    assert recorded[gap]["status"] == "RECTIFYING" and recorded[gap]["deadline"] == due.isoformat()

    # after a reload the badges come from the service
    page.reload()
    assert badge(page, gap).first.inner_text() == f"整改中 · 限 {due.isoformat()} 前"
    reloaded = len(sent)
    page.goto(f"/#/overlaps?overlap={overlap['id']}")
    page.reload()
    page.wait_for_selector("#evidence-heading")
    assert {b.inner_text() for b in badge(page, overlap["id"]).all()} == {"已确认"}
    # the buttons again, from the role the service named for this token: the public page sends no token
    page.wait_for_selector(f'.review-panel[data-finding="{overlap["id"]}"] .review-actions')
    assert sent[reloaded:] and all(authorization is None for authorization, _ in sent[reloaded:])

    # the ledger page: both, then each filter
    page.goto("/#/ledger")
    listed = ledger_shows(page)
    assert listed == set(statuses(server)) and {overlap["id"], gap} <= listed
    assert REVIEWER in page.inner_text(".ledger-table")
    # each row names the departments of its finding beside its id
    row = page.locator(f'.ledger-table tbody tr[data-finding="{overlap["id"]}"]')
    shown = set(row.locator(".finding-departments").inner_text().split("、"))
    assert shown == {d["name"] for d in overlap["departments"]} and len(shown) >= 2
    gap_row = page.locator(f'.ledger-table tbody tr[data-finding="{gap}"]')
    assert gap_row.locator(".finding-departments").inner_text() == gaps[0]["department"]["name"]
    shoot(page, screenshots, "6-ledger-desktop")
    page.select_option("#ledger-status", "CONFIRMED")
    assert ledger_shows(page, status="CONFIRMED") == {overlap["id"]}
    page.select_option("#ledger-status", "RECTIFYING")
    assert ledger_shows(page, status="RECTIFYING") == {gap}
    page.select_option("#ledger-kind", "OVERLAP")
    assert ledger_shows(page, status="RECTIFYING", kind="OVERLAP") == set()
    assert "没有符合条件" in page.inner_text(".view-ledger .results")
    page.select_option("#ledger-status", "")
    assert ledger_shows(page, kind="OVERLAP") == {overlap["id"]}
    department = overlap["departments"][0]["name"]
    page.select_option("#ledger-dept", department)
    assert overlap["id"] in ledger_shows(page, kind="OVERLAP", dept=department)
    page.goto("/#/ledger")
    ledger_shows(page)
    page.check("#ledger-overdue")
    assert ledger_shows(page, overdue="1") == set()  # the deadline is 30 days ahead

    # the export: the rows shown, a formula's start disarmed
    page.goto("/#/ledger?kind=OVERLAP")
    ledger_shows(page, kind="OVERLAP")
    with page.expect_download() as download:
        page.click("#ledger-export")
    saved = tmp_path / "ledger.csv"
    download.value.save_as(saved)
    header, *lines = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert header[:4] == ["问题编号", "涉及部门", "类别", "审核状态"]
    [line] = lines
    assert line[0] == overlap["id"] and line[header.index("审核状态")] == "已确认"
    assert set(line[1].split("、")) == {d["name"] for d in overlap["departments"]}
    assert line[header.index("审核人")] == REVIEWER
    assert line[header.index("说明")] == "'" + FORMULA_NOTE


def test_the_public_sees_statuses_but_no_button_and_no_reviewer(page: Any, server: Server) -> None:
    splits = server.query("{ splitApprovals { id } }")["splitApprovals"]
    split = splits[0]["id"]
    secret = "内部讨论意见，不公开"
    dismissed = server.query(
        "mutation($id: ID!) { reviewFinding(id: $id, status: DISMISSED, note: "
        f'"{secret}") {{ reviewer }} }}',
        {"id": split},
        token=server.staffing_token,
    )
    assert dismissed["reviewFinding"]["reviewer"] == REVIEWER
    sent = graphql_requests(page)

    page.goto(f"/#/chains?id={split}")
    page.wait_for_selector('#chain-flow[data-rendered="cytoscape"]')
    assert {b.inner_text() for b in badge(page, split).all()} == {"已排除"}
    panel = page.locator(f'.review-panel[data-finding="{split}"]')
    panel.locator(".review-history summary").click()
    panel.locator(".review-records li").first.wait_for()
    assert page.locator(".review-actions").count() == 0
    for url, ready in [
        ("/#/overlaps?divided=1", '#overlap-heatmap[data-rendered="echarts"]'),
        ("/#/ledger", ".view-ledger .alert"),
        ("/#/editions", "#diff-heading"),
    ]:
        page.goto(url)
        page.wait_for_selector(ready)
        assert page.locator(".review-actions, .ledger-table").count() == 0, url
        text = page.evaluate("document.body.innerText")
        assert REVIEWER not in text and secret not in text, url
    assert sent and all(authorization is None for authorization, _ in sent)
    assert not any(REVIEWER in body or secret in body for _, body in sent)
    # the public's history comes from the list it reads, never from the ledger's review by id
    assert not any("review(findingId:" in body or "viewer" in body for _, body in sent)


def test_an_investigators_buttons_are_those_the_service_says_it_may_use(page: Any, server: Server) -> None:
    case = "BJ20241126001"
    trace = server.query(
        "query($c: ID!) { trace(caseId: $c) { findings { id } } }", {"c": case}, server.investigator_token
    )["trace"]
    finding = trace["findings"][0]["id"]
    page.goto(f"/#/trace?case={case}")
    with page.expect_response(
        lambda r: r.url.endswith("/graphql") and "viewer" in (r.request.post_data or "")
    ) as asked:
        use_token(page, server.investigator_token)
    viewer = asked.value.json()["data"]["viewer"]
    assert viewer["role"] == "INVESTIGATOR" and "FINDING" in viewer["reviews"]
    assert "OVERLAP" not in viewer["reviews"]
    said = token_state(page, "INVESTIGATOR")
    assert "调查人员" in said and "李强" in said and "职能交叉" not in said
    review(page, finding, "CONFIRMED")
    assert badge(page, finding).first.inner_text() == "已确认"
    assert statuses(server, server.investigator_token)[finding]["reviewer"] == "李强"

    # on the overlap map the same token shows no button: `viewer.reviews` names no overlap
    overlap = server.query("{ overlaps { id } }")["overlaps"][-1]["id"]
    before = statuses(server).get(overlap)
    page.goto(f"/#/overlaps?overlap={overlap}")
    page.locator(f'.review-panel[data-finding="{overlap}"][data-may-review="false"]').wait_for()
    assert page.locator(".review-actions").count() == 0
    assert page.locator("#token-role").count() == 0

    # a token whose role changed after the page asked (written under it): the service refuses the review,
    # and the page says in Chinese who may make it
    page.locator(".review-login summary").click()
    page.click("text=清除令牌")
    use_token(page, server.staffing_token)
    panel = page.locator(f'.review-panel[data-finding="{overlap}"][data-may-review="true"]')
    panel.locator('button[data-action="CONFIRMED"]').click()
    page.evaluate("(token) => sessionStorage.setItem('quanze.token', token)", server.investigator_token)
    panel.locator('.review-form button[type="submit"]').click()
    alert = panel.locator(".review-message .alert-error")
    alert.wait_for()
    assert "无权审核" in alert.inner_text() and "编制管理人员" in alert.inner_text()
    assert statuses(server).get(overlap) == before


def test_a_token_the_service_does_not_know_is_said_so_and_shows_no_button(
    refused_page: Any, server: Server
) -> None:
    page = refused_page
    overlap = server.query("{ overlaps { id } }")["overlaps"][0]["id"]
    page.goto(f"/#/overlaps?overlap={overlap}")
    page.locator(".review-login summary").click()
    use_token(page, "not-a-token")
    state = page.locator('.token-state[data-error="UNAUTHENTICATED"]')
    assert "令牌无效" in state.inner_text()
    page.locator(f'.review-panel[data-finding="{overlap}"][data-may-review="false"]').wait_for()
    assert page.locator(".review-actions").count() == 0
    page.goto("/#/ledger")
    assert "UNAUTHENTICATED" in page.locator(".view-ledger .results .alert-error").inner_text()
    assert "令牌无效" in page.locator(".token-state").inner_text()


def test_the_diff_page_compares_two_recorded_editions(
    page: Any, server: Server, editions: dict[str, Any], screenshots: Path
) -> None:
    page.goto("/#/editions")
    page.wait_for_selector("#diff-heading")
    assert [li.get_attribute("data-edition") for li in page.locator(".edition-list li").all()] == [
        "2024",
        "2025",
    ]
    assert (page.input_value("#edition-from"), page.input_value("#edition-to")) == ("2024", "2025")
    removed, renamed = editions["items"][1], editions["renamed"]
    assert [r.get_attribute("data-code") for r in page.locator("#diff-removed tbody tr").all()] == [
        removed.code
    ]
    assert page.locator("#diff-added tbody tr").count() == 0
    change = page.locator(f'#diff-changed li[data-code="{renamed.code}"]')
    assert change.locator("dt").all_inner_texts() == ["事项名称"]
    assert change.locator("del").inner_text() == editions["items"][0].name
    assert change.locator("ins").inner_text() == renamed.name
    resolved = [li.get_attribute("data-finding") for li in page.locator("#findings-resolved li").all()]
    assert resolved == editions["findings"][:1]
    assert page.locator("#findings-appeared li").count() == 0
    shoot(page, screenshots, "7-editions-desktop")

    # the other way round: what was removed is added back, what was resolved appears
    page.select_option("#edition-from", "2025")
    page.select_option("#edition-to", "2024")
    page.click(".view-editions form button[type=submit]")
    page.wait_for_function("() => document.querySelector('#diff-heading')?.dataset.from === '2025'")
    assert [r.get_attribute("data-code") for r in page.locator("#diff-added tbody tr").all()] == [
        removed.code
    ]
    appeared = page.locator("#findings-appeared li a")
    assert [a.inner_text() for a in appeared.all()] == editions["findings"][:1]


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Any]:
    yield from _page(browser, server, PHONE, is_mobile=True, has_touch=True)


@pytest.mark.parametrize("route", ["ledger", "editions"])
def test_the_ledger_and_the_diff_fit_a_phone(
    phone: Any, server: Server, route: str, screenshots: Path
) -> None:
    phone.goto("/")
    phone.evaluate("(token) => sessionStorage.setItem('quanze.token', token)", server.staffing_token)
    phone.goto(f"/#/{route}")
    phone.wait_for_selector("#ledger-heading[data-filters]" if route == "ledger" else "#diff-heading")
    assert phone.evaluate(NO_OVERFLOW), f"{route} is wider than the phone"
    shoot(phone, screenshots, f"{'6' if route == 'ledger' else '7'}-{route}-phone-full")
