"""The supervision transfers (督办移送) in real Chromium, on the demo served with a ledger of its own and two
notices whose matter is a script payload: the planted matters as the API lists them, the ones not
transferred in red, the working days, a department and a date picked, one confirmed through the review
buttons, the public kept out without a query, and the payload shown as text. Screenshots go to
`test-output/views/`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph import Edge, MemoryStore, Node
from graph import ids as graph_ids
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook.supervision import notice_id
from ontology import EdgeKind, NodeKind
from tests.views.conftest import INVESTIGATOR_TOKEN, STAFFING_TOKEN, Server, loaded, serve_with_ledger
from tests.views.payloads import PAYLOADS
from tests.views.test_ledger_views import graphql_requests
from tests.views.test_views import shoot, use_token
from tests.views.test_xss import DESKTOP, GUARD, TIMEOUT_MS, Guard

FINANCE = graph_ids.department_id("巴中市人民政府", "巴中市财政局")
PAYLOAD = PAYLOADS[0]
TRANSFERS = """{ supervisionTransfers { id matter notices transferred workingDays waitingDays
  department { id name } } }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = loaded(DEMO_WORKBOOK)
    _add_payload_notices(store)
    ledger = tmp_path_factory.mktemp("transfer-views") / "ledger.sqlite3"
    callers = {
        STAFFING_TOKEN: {"role": "staffing", "name": "王芳"},
        INVESTIGATOR_TOKEN: {"role": "investigator", "name": "李强"},
    }
    yield from serve_with_ledger(store, ledger, callers)


def _add_payload_notices(store: MemoryStore) -> None:
    """Two notices to the finance bureau on a matter that is a script payload."""
    with store.writer() as writer:
        for number, issued in (("XSS-1", date(2025, 2, 3)), ("XSS-2", date(2025, 3, 3))):
            props = {"notice_id": number, "matter": PAYLOAD, "issued": issued}
            writer.add_node(Node(notice_id(number), NodeKind.SUPERVISION_NOTICE, props))
            writer.add_edge(Edge(notice_id(number), EdgeKind.NOTICE_TO, FINANCE))


@pytest.fixture
def guard(browser: Any, server: Server) -> Iterator[Guard]:
    context = browser.new_context(base_url=server.base, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(GUARD)
    watched = Guard(context.new_page())
    yield watched
    context.close()


def transfers(server: Server) -> list[dict[str, Any]]:
    return list(server.query(TRANSFERS, token=server.investigator_token)["supervisionTransfers"])


def shown_rows(page: Any) -> Any:
    page.wait_for_function("() => document.querySelector('#transfers-heading')?.dataset.filters")
    return page.locator("tr.transfer")


def test_the_public_sees_why_it_is_kept_out_and_sends_no_query(guard: Guard) -> None:
    page = guard.page
    sent = graphql_requests(page)
    page.goto("/#/transfers")
    assert page.locator("nav a[data-route=transfers]").inner_text() == "督办移送"
    page.wait_for_selector("#transfers-locked")
    assert not any("supervisionTransfers" in body for _, body in sent)
    guard.check("the locked transfers view")


def test_the_investigator_sees_the_matters_due_in_the_apis_order_with_the_untransferred_in_red(
    guard: Guard, server: Server, screenshots: Path
) -> None:
    page = guard.page
    page.goto("/#/transfers")
    use_token(page, server.investigator_token)
    rows = shown_rows(page)
    expected = transfers(server)
    assert [row.get_attribute("data-transfer") for row in rows.all()] == [t["id"] for t in expected]
    for row, transfer in zip(rows.all(), expected, strict=True):
        assert row.locator(".transfer-department").inner_text() == transfer["department"]["name"]
        assert [n.get_attribute("data-notice") for n in row.locator("[data-notice]").all()] == transfer[
            "notices"
        ]
        state = row.locator(".transfer-state .badge")
        if transfer["transferred"]:
            assert "good" in state.get_attribute("class")
            assert transfer["transferred"] in state.inner_text()
            assert f"{transfer['workingDays']} 个工作日" in row.locator(".transfer-days").inner_text()
        else:
            assert "bad" in state.get_attribute("class") and state.inner_text() == "未移送"
            assert f"{transfer['waitingDays']} 个工作日" in row.locator(".transfer-days").inner_text()
    assert any(not t["transferred"] for t in expected) and any(t["transferred"] for t in expected)
    shoot(page, screenshots, "10-transfers-desktop")

    # the payload's matter, shown as written and never run
    payload = page.locator('tr.transfer:has(.transfer-department:text-is("巴中市财政局"))')
    assert PAYLOAD in payload.locator(".transfer-matter strong").inner_text()
    guard.check("the transfers view")


def test_a_department_and_an_earlier_date(guard: Guard, server: Server) -> None:
    page = guard.page
    page.goto("/")
    page.evaluate("(token) => sessionStorage.setItem('quanze.token', token)", server.investigator_token)
    expected = transfers(server)
    department = next(t["department"] for t in expected if t["department"]["id"] != FINANCE)
    page.goto("/#/transfers")
    shown_rows(page)
    page.select_option("#transfers-dept", department["id"])
    page.wait_for_function(
        "(d) => document.querySelector('#transfers-heading')?.dataset.filters?.includes(d)",
        arg=department["id"],
    )
    rows = page.locator("tr.transfer")
    assert [row.get_attribute("data-transfer") for row in rows.all()] == [
        t["id"] for t in expected if t["department"]["id"] == department["id"]
    ]
    page.goto("/#/transfers?at=2024-12-31")
    page.wait_for_function(
        "() => document.querySelector('#transfers-heading')?.dataset.filters?.includes('2024')"
    )
    assert page.locator("tr.transfer").count() == 0 and page.locator(".results .empty").is_visible()
    guard.check("the transfers view, filtered")


def test_a_transfer_is_confirmed_through_the_buttons(guard: Guard, server: Server) -> None:
    page = guard.page
    page.goto("/")
    page.evaluate("(token) => sessionStorage.setItem('quanze.token', token)", server.investigator_token)
    page.goto("/#/transfers")
    first = shown_rows(page).first.get_attribute("data-transfer")
    panel = page.locator(f'.review-panel[data-finding="{first}"]')
    panel.locator('button[data-action="CONFIRMED"]').click()
    panel.locator('.review-form button[type="submit"]').click()
    panel.locator(".review-done").wait_for()
    assert panel.locator(".review-status").inner_text() == "已确认"
    status = server.query("{ supervisionTransfers { id reviewStatus } }", token=server.investigator_token)
    assert next(t["reviewStatus"] for t in status["supervisionTransfers"] if t["id"] == first) == "CONFIRMED"
    guard.check("the transfers view, reviewed")
