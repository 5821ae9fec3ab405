"""What the data says cannot attack the views' readers: every view, in real Chromium, on a workbook whose
names and texts carry HTML and script payloads (`tests/views/payloads.py`).

Each test opens a view as a user would, hovers its charts so their tooltips render, opens what can be
opened, and fails on any JS dialog, any `window.__xss` set, any element made from a payload (an
`img[src="x"]`, an `svg[onload]`, a script the app did not load, seen by a MutationObserver from the
first byte on, so one removed again is caught too) and any Content-Security-Policy violation. Each also
checks that the payloads are on screen as text, so a view cannot pass by showing nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.views.conftest import wait_heading
from tests.views.payloads import LEDGER_PAYLOADS, MARKER, PAYLOADS

DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 20_000

# Runs before the page's own scripts: records what a payload would leave behind.
GUARD = """(() => {
  window.__injected = [];
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample || ""}`);
  });
  const LINKS = ["href", "src", "action", "formaction", "xlink:href", "data"];
  const suspicious = (node) => {
    if (node.nodeType !== 1) return false;
    const tag = node.localName;
    if (tag === "script") return !(node.src || "").endsWith("/js/main.js");
    if (tag === "img" && node.getAttribute("src") === "x") return true;
    if (tag === "iframe" || tag === "object" || tag === "embed") return true;
    return [...node.attributes].some(
      (a) => a.name.startsWith("on") || (LINKS.includes(a.name) && /^\\s*javascript:/i.test(a.value)),
    );
  };
  const look = (node) => {
    if (suspicious(node)) window.__injected.push(node.outerHTML.slice(0, 200));
    if (node.querySelectorAll) for (const child of node.querySelectorAll("*")) look(child);
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes") look(record.target);
      for (const node of record.addedNodes) look(node);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
})();"""

# Whatever the page holds now that a payload could have made, besides what the observer saw.
LEFT_BEHIND = """() => [...document.querySelectorAll(
  'img[src="x"], svg[onload], [onerror], [onload], iframe, object, embed, script, a[href^="javascript:" i]'
)].filter((e) => !(e.localName === "script" && e.src.endsWith("/js/main.js"))).map((e) => e.outerHTML.slice(0, 200))"""

# The chart's tooltip text, if one shows (ECharts puts it in a div beside the canvas).
TOOLTIP = """(selector) => {
  const tips = [...document.querySelectorAll(selector + " > div")].filter(
    (d) => !d.querySelector("canvas") && d.style.display !== "none" && d.style.opacity !== "0");
  return tips.map((d) => d.textContent).join("\\n");
}"""

# Points where the chart draws its data, in pixels of its container: each cell of a heat map,
# each bar of a bar chart.
DATA_POINTS = """async (selector) => {
  const echarts = await import("/vendor/echarts/echarts.esm.min.js");
  const chart = echarts.getInstanceByDom(document.querySelector(selector));
  const points = [];
  chart.getOption().series.forEach((series, seriesIndex) => {
    series.data.forEach((entry, index) => {
      const value = entry && entry.value !== undefined ? entry.value : entry;
      const at = Array.isArray(value) ? value.slice(0, 2) : [value || 0, index];
      if (series.type === "bar") at[0] = (value || 0) / 2;
      const point = chart.convertToPixel({ seriesIndex }, at);
      if (point && point.every(Number.isFinite)) points.push(point);
    });
  });
  return points;
}"""


class Guard:
    """A page and what it recorded: dialogs, script errors and, through GUARD, injections and violations."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or (message.type == "error" and "status of 401" not in text):
            self.errors.append(text)

    def check(self, where: str) -> None:
        """Fail if anything a payload could do has happened on the page so far."""
        page = self.page
        assert not self.dialogs, f"{where}: a payload opened a dialog: {self.dialogs}"
        assert page.evaluate("window.__xss") is None, f"{where}: a payload ran (window.__xss is set)"
        injected = page.evaluate("window.__injected")
        assert not injected, f"{where}: elements were made from the data: {injected[:5]}"
        left = page.evaluate(LEFT_BEHIND)
        assert not left, f"{where}: the page holds elements made from the data: {left[:5]}"
        violations = page.evaluate("window.__violations")
        assert not violations, f"{where}: Content-Security-Policy violations: {violations[:5]}"
        assert not self.errors, f"{where}: the page logged errors: {self.errors[:5]}"

    def shows_payloads(self, where: str, selector: str = "body") -> None:
        """The payloads are on the page as text (the view shows the data, it is not just empty)."""
        text = self.page.evaluate("(s) => document.querySelector(s).textContent", selector)
        assert MARKER in text, f"{where}: no payload is shown as text"
        assert any(payload in text for payload in PAYLOADS), f"{where}: the payloads are not shown as written"

    def hover_chart(self, selector: str) -> list[str]:
        """Move the mouse over every data point of an ECharts chart; return the tooltips that showed."""
        page = self.page
        page.wait_for_selector(f'{selector}[data-rendered="echarts"]')
        page.locator(selector).scroll_into_view_if_needed()
        points = page.evaluate(DATA_POINTS, selector)
        assert points, f"{selector} draws no data"
        tips: list[str] = []
        for x, y in points:
            box = page.locator(selector).bounding_box()
            page.mouse.move(box["x"] + x, box["y"] + y)
            page.wait_for_timeout(40)
            tip = page.evaluate(TOOLTIP, selector)
            if tip:
                tips.append(tip)
        page.mouse.move(0, 0)
        return tips


@pytest.fixture
def guard(browser: Any, payload_server: Any) -> Iterator[Guard]:
    context = browser.new_context(base_url=payload_server.base, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(GUARD)
    page = context.new_page()
    watched = Guard(page)
    response = page.goto("/")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    yield watched
    context.close()


def use_token(page: Any, token: str) -> None:
    page.fill("#token-input", token)
    page.press("#token-input", "Enter")


def test_the_published_list_shows_payloads_as_text(guard: Guard) -> None:
    page = guard.page
    page.goto("/#/list")
    page.wait_for_selector("#results-heading[data-total]")
    page.wait_for_selector(".dept-tree a[data-department]")
    guard.check("the list")
    guard.shows_payloads("the government and department tree", ".dept-tree")
    guard.shows_payloads("the first page of items", ".results")

    # a department: its card, its functions, its items
    page.locator(".dept-tree a[data-department]").nth(1).click()
    page.wait_for_selector(".dept-card")
    page.locator(".dept-card details summary").click()
    guard.shows_payloads("the department card", ".dept-card")
    cards = page.locator(".items > li")
    first = cards.first
    for summary in first.locator("details summary").all():
        summary.click()
    guard.shows_payloads("an item card", ".items > li")
    # the text of a cited article, in its dialog
    citation = page.locator(".items a.citation").first
    citation.click()
    dialog = page.locator("#article-dialog")
    assert dialog.is_visible()
    guard.shows_payloads("an article's dialog", "#article-dialog")
    page.keyboard.press("Escape")
    guard.check("a department of the list")

    # a search for what the payloads have in common: the heading repeats it, the items carry it
    page.fill("#filter-q", MARKER)
    page.press("#filter-q", "Enter")
    searched = "(q) => document.querySelector('#results-heading').textContent.includes(`“${q}”`)"
    page.wait_for_function(searched, arg=MARKER)
    assert int(page.get_attribute("#results-heading", "data-total")) > 0
    guard.shows_payloads("the search results", ".results")
    page.fill("#filter-q", PAYLOADS[1])
    page.press("#filter-q", "Enter")
    page.wait_for_function(searched, arg=PAYLOADS[1])
    guard.check("a search of the list")


def test_the_overlap_map_shows_payloads_as_text_in_its_tooltips_and_evidence(
    guard: Guard, payload_server: Any
) -> None:
    page = guard.page
    answer = payload_server.query("{ overlaps(verdicts: []) { id reason general { id } } }")["overlaps"]
    reasons = {overlap["id"]: overlap["reason"] for overlap in answer}
    generals = {overlap["id"] for overlap in answer if overlap["general"]}
    assert generals, "no overlap of the payloads has a general side"
    assert any(MARKER in reason for reason in reasons.values()), "no verdict's reason names a payload"
    page.goto("/#/overlaps")
    tips = guard.hover_chart("#overlap-heatmap")
    guard.check("the heat map's tooltips")
    assert tips, "no tooltip showed over the heat map"
    assert any(payload in tip for tip in tips for payload in PAYLOADS), (
        f"the tooltips lost the names: {tips[:3]}"
    )
    guard.shows_payloads("the clusters", ".cluster-list")
    guard.shows_payloads("the overlaps", ".overlap-list")

    # a cell: the pair's overlaps
    page.locator("details summary", has_text="以表格查看部门对").click()
    page.locator(".table-wrap a").first.click()
    page.wait_for_function("() => location.hash.includes('pair=')")
    wait_heading(page, " 与 ")  # the hash changes before the list is drawn
    guard.shows_payloads("the pair's heading", "#overlaps-heading")

    # every overlap's evidence, with the divisions too, and every cluster
    page.goto("/#/overlaps?divided=1")
    page.wait_for_selector('[data-verdicts="every"] #overlap-heatmap[data-rendered="echarts"]')
    assert page.locator(".overlap-list a").count() == len(reasons)
    for index in range(page.locator(".overlap-list a").count()):
        link = page.locator(".overlap-list a").nth(index)
        overlap = link.get_attribute("data-overlap")
        link.click()
        page.wait_for_selector("#evidence-heading")
        guard.shows_payloads(f"the evidence of overlap {index + 1}", ".evidence")
        assert page.inner_text(".verdict-reason") == reasons[overlap], f"the reason of overlap {index + 1}"
        if overlap in generals:
            guard.shows_payloads(f"the general side of overlap {index + 1}", ".general-side")
        else:
            assert page.locator(".general-side").count() == 0, f"overlap {index + 1} has no general side"
        citations = page.locator(".evidence a.citation")
        if citations.count():
            citations.first.click()
            assert page.locator("#article-dialog").is_visible()
            page.keyboard.press("Escape")
        guard.check(f"the evidence of overlap {index + 1}")
    for index in range(page.locator(".cluster-list a").count()):
        page.locator(".cluster-list a").nth(index).click()
        page.wait_for_function("() => location.hash.includes('cluster=')")
        wait_heading(page, "所选聚类")
    guard.check("the overlap map")


def test_the_approval_chains_show_payloads_as_text(guard: Guard) -> None:
    page = guard.page
    page.goto("/#/chains")
    page.wait_for_selector('#chain-flow[data-rendered="cytoscape"]')
    links = page.locator(".split-list a")
    assert links.count() > 0
    guard.shows_payloads("the list of approvals", ".split-list")
    for index in range(links.count()):
        split = links.nth(index).get_attribute("data-split")
        links.nth(index).click()
        page.wait_for_function(
            "(id) => [...document.querySelectorAll('.split-list a[aria-current]')].some((a) => a.dataset.split === id)",
            arg=split,
        )
        page.wait_for_selector('#chain-flow[data-rendered="cytoscape"]')
        guard.shows_payloads(f"approval {index + 1}", ".split-detail")
        box = page.locator("#chain-flow").bounding_box()
        for step in range(1, 8):  # over the drawing: the stages are canvas, nothing pops up
            page.mouse.move(box["x"] + box["width"] * step / 8, box["y"] + box["height"] / 2)
        guard.check(f"approval {index + 1}")


def test_the_case_traces_show_payloads_as_text(guard: Guard, payload_server: Any) -> None:
    page = guard.page
    page.goto("/#/trace")
    use_token(page, payload_server.investigator_token)
    page.wait_for_selector(".case-list a")
    guard.shows_payloads("the list of cases", ".case-list")
    cases = page.locator(".case-list a")
    for index in range(cases.count()):
        cases.nth(index).click()
        page.wait_for_selector(".timeline > li")
        page.wait_for_function(
            "(id) => document.querySelector('#trace-title')?.textContent.includes(id)",
            arg=cases.nth(index).get_attribute("data-case"),
        )
        guard.shows_payloads(f"case {index + 1}", ".trace")
        tips = guard.hover_chart("#trace-chart")
        guard.check(f"case {index + 1}")
        assert any(MARKER in tip for tip in tips), (
            f"the tooltips of case {index + 1} lost the stage names: {tips[:3]}"
        )
    # the persons' names (the investigator sees them) carry payloads too
    assert MARKER in page.inner_text(".timeline .people")
    guard.check("the case traces")


def test_the_staffing_view_shows_payloads_as_text(guard: Guard, payload_server: Any) -> None:
    page = guard.page
    page.goto("/#/staffing")
    use_token(page, payload_server.staffing_token)
    tips = guard.hover_chart("#staffing-chart")
    guard.check("the staffing chart's tooltips")
    assert tips, "no tooltip showed over the staffing chart"
    assert any(MARKER in tip for tip in tips), f"the tooltips lost the names: {tips[:3]}"
    guard.shows_payloads("the staffing gaps", ".gap-list")
    guard.shows_payloads("the staffing tables", ".staffing-table")
    guard.check("the staffing view")


# The ledger's texts: an edition's label, a reviewer's name and a review's note

REVIEWER, NOTE, EDITIONS = LEDGER_PAYLOADS["reviewer"], LEDGER_PAYLOADS["note"], LEDGER_PAYLOADS["editions"]


@pytest.fixture
def ledger_guard(browser: Any, ledger_payload_server: Any) -> Iterator[Guard]:
    """A guarded page on the payloads served with a ledger of payloads, with the staffing token set."""
    context = browser.new_context(base_url=ledger_payload_server.base, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(GUARD)
    page = context.new_page()
    watched = Guard(page)
    page.goto("/")
    page.evaluate(
        "(token) => sessionStorage.setItem('quanze.token', token)", ledger_payload_server.staffing_token
    )
    yield watched
    context.close()


def shows_as_written(guard: Guard, where: str, selector: str, *texts: str) -> None:
    """Each of `texts` (payloads of the ledger) is on the page as text under `selector`."""
    shown = guard.page.evaluate("(s) => document.querySelector(s).textContent", selector)
    missing = [text for text in texts if text not in shown]
    assert not missing, f"{where}: not shown as written: {missing}"


def css_string(text: str) -> str:
    """`text` inside a double-quoted CSS string (the finding ids of the payloads carry quotes)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def test_the_ledger_shows_notes_reviewers_and_edition_labels_as_text(
    ledger_guard: Guard, ledger_payload_server: Any
) -> None:
    page = ledger_guard.page
    reviewed = ledger_payload_server.query(
        "{ ledger { edges { node { findingId kind } } } }", token=ledger_payload_server.staffing_token
    )["ledger"]["edges"]
    assert {edge["node"]["kind"] for edge in reviewed} == {"OVERLAP", "GAP", "SPLIT"}

    # the ledger's table: every review's reviewer and note
    page.goto("/#/ledger")
    page.wait_for_selector(".ledger-table tbody tr")
    assert page.locator(".ledger-table tbody tr").count() == len(reviewed)
    shows_as_written(ledger_guard, "the ledger", ".ledger-table", REVIEWER, NOTE)
    ledger_guard.check("the ledger")

    # each finding's history where it is shown: the overlap's evidence, the split, the gap's card
    for edge in reviewed:
        finding, kind = edge["node"]["findingId"], edge["node"]["kind"]
        page.goto(
            {"OVERLAP": f"/#/overlaps?divided=1&overlap={finding}", "SPLIT": f"/#/chains?id={finding}"}.get(
                kind, "/#/staffing"
            )
        )
        selector = f'.review-panel[data-finding="{css_string(finding)}"]'
        panel = page.locator(selector)
        panel.locator(".review-history summary").click()
        panel.locator(".review-records li").first.wait_for()
        shows_as_written(
            ledger_guard,
            f"the history of {finding}",
            selector,
            REVIEWER,
            NOTE,
        )
        ledger_guard.check(f"the history of {finding}")

    # the editions: their list, the choice of two and the diff's heading
    page.goto("/#/editions")
    page.wait_for_selector("#diff-heading")
    shows_as_written(ledger_guard, "the editions", ".edition-list", *EDITIONS)
    shows_as_written(ledger_guard, "the diff's heading", "#diff-heading", *EDITIONS)
    assert page.locator("#diff-removed tbody tr").count() == 1
    ledger_guard.shows_payloads("the removed item", "#diff-removed")
    ledger_guard.check("the edition diff")


def test_the_scorecards_and_warnings_show_payloads_as_text(guard: Guard, payload_server: Any) -> None:
    """The ranking and a card (department names and evidence with payloads), a manual score's note
    written as a payload and read back in its history, and the warnings' details."""
    page = guard.page
    page.goto("/#/scorecards")
    use_token(page, payload_server.staffing_token)
    page.wait_for_selector(".ranking-table tbody tr")
    guard.shows_payloads("the ranking", ".view-scorecards")
    guard.check("the ranking")
    page.locator(".ranking-table tbody a").first.click()
    page.wait_for_selector("#scorecard-summary")
    guard.shows_payloads("the scorecard", ".view-scorecards")
    indicator = page.locator(".indicator").filter(has=page.locator(".score-form")).first
    indicator.locator("input[name=score]").fill("90")
    indicator.locator("textarea").fill(PAYLOADS[0])
    indicator.locator(".score-form button[type=submit]").click()
    page.wait_for_selector(".score-done")
    scored = page.locator(f'.indicator[data-code="{indicator.get_attribute("data-code")}"]')
    scored.locator(".score-history summary").click()
    scored.locator(".score-records li").first.wait_for()
    assert PAYLOADS[0] in scored.locator(".score-records").inner_text()
    guard.check("the scorecard and its manual score")
    page.goto("/#/warnings")
    page.wait_for_selector(".warning")
    guard.shows_payloads("the warnings", ".view-warnings")
    guard.check("the warnings")


def test_the_supervision_transfers_show_payloads_as_text(guard: Guard, payload_server: Any) -> None:
    """Matters, departments and notice numbers with payloads, in the table of matters due for transfer."""
    page = guard.page
    page.goto("/#/transfers")
    use_token(page, payload_server.investigator_token)
    page.wait_for_selector(".transfer-table tbody tr")
    guard.shows_payloads("the transfers", ".view-transfers")
    assert MARKER in page.inner_text(".transfer-table .transfer-matter")
    guard.check("the transfers")
