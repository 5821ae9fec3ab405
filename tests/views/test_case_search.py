"""The case search of the trace view in real Chromium, on the demo: the overdue cases of one department by
delay, a busy department's cases a page at a time, the search kept in the link, and a trace opened from the
results. What the page must show is asked of the API, never written down here. Screenshots go to
`test-output/views/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.views.conftest import Server
from tests.views.test_views import page, shoot, use_token

__all__ = ["page"]  # the fixture, used by name

SEARCH = """query($department: String, $overdue: Boolean, $sort: CaseSort, $after: String) {
  cases(department: $department, overdue: $overdue, sort: $sort, first: 20, after: $after) {
    totalCount pageInfo { endCursor } edges { node { id delayDays departments { name } } } } }"""


def _cases(server: Server, **variables: Any) -> dict[str, Any]:
    found: dict[str, Any] = server.query(SEARCH, variables, server.investigator_token)["cases"]
    return found


def _ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


def _shown(page: Any) -> list[str]:
    return [
        str(case)
        for case in page.locator(".case-list tr").evaluate_all("rows => rows.map(r => r.dataset.case)")
    ]


def _search(page: Any, department: str, sort: str, overdue: str = "") -> None:
    page.select_option("#case-dept", label=department)
    page.select_option("#case-overdue", overdue)
    page.select_option("#case-sort", sort)
    page.click(".case-search button[type=submit]")
    page.wait_for_function(
        "(d) => (document.querySelector('#case-heading')?.dataset.search || '').includes(d)", arg=department
    )


def test_an_investigator_finds_cases_by_delay_pages_them_and_opens_a_trace(
    page: Any, server: Server, screenshots: Path
) -> None:
    page.goto("/#/trace")
    assert "调查人员" in page.inner_text(".case-picker .alert")
    use_token(page, server.investigator_token)
    page.wait_for_selector("#case-heading[data-total]")
    assert page.get_attribute("#case-heading", "data-total") == str(_cases(server)["totalCount"])

    # the overdue cases of the department of one of them, the longest delay first
    overdue = _cases(server, overdue=True)["edges"][0]["node"]
    department = overdue["departments"][0]["name"]
    _search(page, department, "delay", overdue="1")
    expected = _cases(server, department=department, overdue=True, sort="DELAY")
    assert _shown(page) == _ids(expected) and overdue["id"] in _shown(page)
    row = page.locator(f'.case-list tr[data-case="{overdue["id"]}"]')
    assert "bad" in (row.get_attribute("class") or "")
    assert f"{overdue['delayDays']} 个工作日" in row.inner_text()
    shoot(page, screenshots, "4-trace-case-search-desktop", full=False)

    # a department with more than a page of cases, by delay: page 2 is the API's page 2
    everything = server.query(
        "{ cases(first: 500) { edges { node { departments { name } } } } }", {}, server.investigator_token
    )
    counts: dict[str, int] = {}
    for edge in everything["cases"]["edges"]:
        for found in edge["node"]["departments"]:
            counts[found["name"]] = counts.get(found["name"], 0) + 1
    busy = max(counts, key=lambda name: counts[name])
    assert counts[busy] > 20
    _search(page, busy, "delay")
    first = _cases(server, department=busy, sort="DELAY")
    assert _shown(page) == _ids(first)
    assert page.get_attribute("#case-heading", "data-total") == str(first["totalCount"])
    delays = page.locator(".case-list tr").evaluate_all("rows => rows.map(r => r.dataset.delay)")
    assert [int(d) for d in delays if d] == sorted((int(d) for d in delays if d), reverse=True)
    page.click("#page-next")
    page.wait_for_function("() => location.hash.includes('page=2')")
    second = _cases(server, department=busy, sort="DELAY", after=first["pageInfo"]["endCursor"])
    page.wait_for_function(
        "(id) => document.querySelector('.case-list tr')?.dataset.case === id", arg=_ids(second)[0]
    )
    assert _shown(page) == _ids(second)
    assert "第 2 页" in page.inner_text(".pager .page-info")

    # the link gives the same result in a page of its own
    link = page.evaluate("location.hash")
    again = page.context.new_page()
    again.goto(f"/{link}")
    use_token(again, server.investigator_token)  # a tab of its own keeps a token of its own
    again.wait_for_selector(".case-list tr")
    assert _shown(again) == _ids(second)
    again.close()

    # a case of the results opens its trace, and the results stay, the case marked
    opened = _ids(second)[0]
    page.locator(f'.case-list a[data-case="{opened}"]').click()
    page.wait_for_function(
        "(id) => document.querySelector('#trace-title')?.textContent.includes(id)", arg=opened
    )
    page.wait_for_selector(".timeline > li")
    assert page.get_attribute(f'.case-list a[data-case="{opened}"]', "aria-current") == "true"
    assert _shown(page) == _ids(second)
    shoot(page, screenshots, "4-trace-case-search-opened-desktop", full=False)
