"""The small view bugs of issue 20, each in real Chromium on the demo: a search lists its best matches
first and marks them as written; a table cut by a phone scrolls and says so; a date in the hash that is
no date is answered in Chinese before anything is sent; the service's errors reach the reader in Chinese
with its suggestions; a split approval approved side by side shows its longest path, not a sum; and the
two bugs fixed before (a `hidden` pager or clear-token button that still showed) stay fixed.
"""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.views.conftest import Server
from tests.views.test_views import DESKTOP, PHONE, TIMEOUT_MS, _page, total_shown, use_token, wait_total
from tests.views.test_xss import GUARD, Guard

SEARCH = """query($q: String, $sort: PowerItemSort) {
  powerItems(text: $q, sort: $sort, first: 20) { totalCount edges { node { code name subItem } } }
}"""


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A desktop page in a new context, failing on any script error."""
    yield from _page(browser, server, DESKTOP)


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Any]:
    yield from _page(browser, server, PHONE, is_mobile=True, has_touch=True)


def signed_in(page: Any, token: str) -> None:
    page.goto("/")
    page.evaluate("(token) => sessionStorage.setItem('quanze.token', token)", token)


def sent(page: Any) -> list[str]:
    """The bodies of the GraphQL requests the page sends from now on."""
    bodies: list[str] = []
    page.on(
        "request",
        lambda request: bodies.append(request.post_data or "") if "/graphql" in request.url else None,
    )
    return bodies


# 1. Search relevance


def search(server: Server, text: str, sort: str) -> list[dict[str, Any]]:
    return [edge["node"] for edge in server.query(SEARCH, {"q": text, "sort": sort})["powerItems"]["edges"]]


def test_a_search_lists_names_that_match_first_and_marks_what_was_written(page: Any, server: Server) -> None:
    found = search(server, "建筑垃圾", "RELEVANCE")
    by_code = search(server, "建筑垃圾", "CODE")
    assert [i["code"] for i in found] != [i["code"] for i in by_code]  # the orders differ on the demo
    in_name = [i for i in found if "建筑垃圾" in i["name"]]
    assert in_name and found[: len(in_name)] == in_name  # a name holding it before a sub-item holding it
    assert len(in_name) < len(found)

    page.goto(f"/#/list?q={quote('建築垃圾')}")  # traditional script
    wait_total(page, len(found))
    cards = page.locator(".items > li")
    assert [cards.nth(i).get_attribute("data-code") for i in range(cards.count())] == [
        i["code"] for i in found
    ]
    # the marks are on the simplified text that was written, not on the query as typed
    names = page.locator(".items > li .item-name mark").all_inner_texts()
    assert len(names) == len(in_name) and set(names) == {"建筑垃圾"}
    sub_items = page.locator(".items > li .sub-item mark").all_inner_texts()
    assert sub_items and set(sub_items) == {"建筑垃圾"}
    first = cards.first.locator(".item-name")
    assert first.inner_text() == in_name[0]["name"]  # marking changes no character of the name


def test_an_exact_name_comes_before_one_that_starts_with_it(page: Any, server: Server) -> None:
    found = search(server, "食品经营许可", "RELEVANCE")
    names = [i["name"] for i in found]
    assert "食品经营许可" in names and names[0] == "食品经营许可"
    page.goto(f"/#/list?q={quote('食品經營許可')}")
    wait_total(page, int(server.query(SEARCH, {"q": "食品经营许可"})["powerItems"]["totalCount"]))
    assert page.locator(".items > li").first.locator(".item-name").inner_text() == "食品经营许可"
    assert page.locator(".items > li").first.locator(".item-name mark").inner_text() == "食品经营许可"


def test_the_views_table_of_characters_is_the_one_the_service_normalises_with() -> None:
    """api/static/js/t2s.js is what scripts/t2s-table writes from the installed OpenCC: run it if not."""
    script = runpy.run_path(str(Path(__file__).parents[2] / "scripts" / "t2s-table"))
    assert script["TARGET"].read_text(encoding="utf-8") == script["table"](), "run scripts/t2s-table"


@pytest.fixture
def guard(browser: Any, payload_server: Server) -> Iterator[Guard]:
    context = browser.new_context(base_url=payload_server.base, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(GUARD)
    page = context.new_page()
    watched = Guard(page)
    yield watched
    context.close()


def test_a_search_for_markup_marks_it_as_text(guard: Guard) -> None:
    page = guard.page
    wanted = "<img src=x onerror"  # the service matches without the spaces; the mark keeps them
    page.goto(f"/#/list?q={quote(wanted)}")
    assert total_shown(page) > 0
    marks = page.locator(".items mark").all_text_contents()
    assert marks and set(marks) == {wanted}
    guard.check("the list's search marks")
    guard.shows_payloads("the list's search marks", ".items")


# 2. The stage table on a phone

CUT = "(box) => box.scrollWidth > box.clientWidth"


def test_a_stage_table_cut_by_a_phone_scrolls_with_a_cue(phone: Any, server: Server) -> None:
    phone.goto("/#/chains")
    table = phone.locator(".scroll-table").filter(has=phone.locator(".stage-table")).first
    box = table.locator(".table-wrap")
    box.wait_for()
    assert box.evaluate("(box) => getComputedStyle(box).overflowX") == "auto"
    assert box.evaluate(CUT)
    hint = table.locator(".scroll-hint")
    assert hint.is_visible() and "左右滑动查看" in hint.inner_text()
    frame = table.locator(".scroll-frame")
    assert frame.evaluate("(f) => getComputedStyle(f, '::after').opacity") == "1"  # the right edge is cut
    assert frame.evaluate("(f) => getComputedStyle(f, '::before').opacity") == "0"
    box.evaluate("(box) => box.scrollTo({ left: box.scrollWidth })")
    phone.wait_for_function(
        "(f) => f.classList.contains('cut-left') && !f.classList.contains('cut-right')",
        arg=frame.element_handle(),
    )


def test_the_accountability_table_of_a_trace_says_it_scrolls_on_a_phone(phone: Any, server: Server) -> None:
    signed_in(phone, server.investigator_token)
    phone.goto("/#/trace?case=BJ20241008001")
    table = phone.locator(".trace .scroll-table, .scroll-table").last
    table.locator("table").wait_for()
    assert table.locator(".table-wrap").evaluate(CUT)
    assert table.locator(".scroll-hint").is_visible()


def test_the_case_search_results_scroll_with_a_cue_on_a_phone(phone: Any, server: Server) -> None:
    signed_in(phone, server.investigator_token)
    phone.goto("/#/trace")
    table = phone.locator(".scroll-table").filter(has=phone.locator(".case-table")).first
    table.locator(".case-list tr").first.wait_for()
    assert table.locator(".table-wrap").evaluate(CUT)
    assert table.locator(".scroll-hint").is_visible()


def test_no_cue_where_the_table_fits(page: Any) -> None:
    page.goto("/#/chains")
    table = page.locator(".scroll-table").first
    table.locator("table").wait_for()
    assert not table.locator(".table-wrap").evaluate(CUT)
    assert not table.locator(".scroll-hint").is_visible()
    assert table.locator(".scroll-frame").evaluate("(f) => getComputedStyle(f, '::after').opacity") == "0"


# 3. Dates and errors in Chinese

BAD_DATE = "2023-13-45"


@pytest.mark.parametrize(
    ("view", "role"),
    [
        ("staffing", "staffing"),
        ("scorecards", "staffing"),
        ("warnings", "staffing"),
        ("transfers", "investigator"),
    ],
)
def test_a_date_in_the_hash_that_is_no_date_is_answered_in_chinese_and_never_sent(
    page: Any, server: Server, view: str, role: str
) -> None:
    signed_in(page, server.staffing_token if role == "staffing" else server.investigator_token)
    bodies = sent(page)
    page.goto(f"/#/{view}?at={BAD_DATE}")
    alert = page.locator("[role=alert]").filter(has_text="日期无效")
    alert.wait_for()
    assert f"日期无效：{BAD_DATE}，应为 YYYY-MM-DD 形式的日期" in alert.inner_text()
    assert "Variable" not in page.inner_text("body")
    assert not [body for body in bodies if BAD_DATE in body]


def test_a_refused_name_is_told_in_chinese_with_the_services_suggestions(page: Any, server: Server) -> None:
    signed_in(page, server.staffing_token)
    page.goto(f"/#/warnings?dept={quote('市场监管局')}")  # warnings(department:) refuses it
    alert = page.locator("[role=alert]").filter(has_text="您是否要找")
    alert.wait_for()
    text = alert.inner_text()
    assert "查询条件有误" in text and "巴中市市场监督管理局" in text
    assert "no department" not in text


def test_a_token_the_service_does_not_know_is_told_in_chinese(page: Any) -> None:
    page.goto("/#/staffing")
    use_token(page, "not-a-token-of-this-service")
    alert = page.locator("#view [role=alert]").first
    alert.wait_for()
    assert "令牌" in alert.inner_text()
    assert not any(word in alert.inner_text() for word in ("token", "Unauthorized", "authentication"))


# 4. Parallel approvals


def test_two_departments_approving_one_matter_side_by_side_count_the_longest(
    page: Any, server: Server
) -> None:
    splits = server.query("{ splitApprovals { id kind totalDays items { name statutoryDays } } }")[
        "splitApprovals"
    ]
    same = next(s for s in splits if s["kind"] == "SAME_MATTER" and len(s["items"]) == 2)
    limits = [item["statutoryDays"] for item in same["items"]]
    assert same["totalDays"] == max(limits) < sum(limits)
    page.goto(f"/#/chains?id={quote(same['id'])}")
    stat = page.locator(".stat.total-days")
    stat.wait_for()
    assert stat.locator(".label").inner_text() == "法定时限（最长路径）"
    assert stat.locator(".value").inner_text() == f"{max(limits)} 个工作日"
    assert "并行" in page.inner_text("#total-days-note")


# 5. The bugs fixed before


def test_a_hidden_pager_and_clear_token_button_do_not_show(page: Any, server: Server) -> None:
    page.goto(f"/#/list?q={quote('建筑垃圾')}")  # five items: one page
    total_shown(page)
    pager = page.locator(".pager")
    assert pager.get_attribute("hidden") is not None
    assert pager.evaluate("(p) => getComputedStyle(p).display") == "none"
    page.goto("/#/staffing")  # no token yet: nothing to clear
    clear = page.locator("button", has_text="清除令牌")  # hidden, so out of the accessibility tree
    assert clear.get_attribute("hidden") is not None
    assert clear.evaluate("(b) => getComputedStyle(b).display") == "none"
    use_token(page, server.staffing_token)
    page.wait_for_function("() => !document.querySelector('.token-state')?.closest('[hidden]')")
    assert clear.is_visible()
