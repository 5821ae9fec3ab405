"""The five views in a real browser (headless Debian Chromium, driven by Playwright) on the demo city.

Each test opens a view as a user would, clicks through what `loaders/demo/truth.json` plants, checks
what is on screen against the GraphQL API, and saves desktop and phone screenshots under
`test-output/views/`. The public pages must show no person's name and ask for no person field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.test_verdicts import FORESTRY, GENERAL, write_verdict_workbook
from tests.views.conftest import serve, wait_heading

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
TIMEOUT_MS = 20_000

# Counts the painted pixels of the canvases under a selector (sampling every 16th pixel).
CANVAS_INK = """(selector) => {
  let ink = 0;
  for (const canvas of document.querySelectorAll(selector + " canvas")) {
    if (!canvas.width || !canvas.height) continue;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 64) if (pixels[i]) ink++;
  }
  return ink;
}"""

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"

#: the verdicts' badges (api/static/js/labels.js)
VERDICTS_SHOWN = {"OVERLAP": "交叉", "BOUNDARY": "边界未明", "DIVIDED": "已分工"}


@pytest.fixture
def page(browser: Any, server: Any) -> Iterator[Any]:
    """A desktop page in a new context (its own sessionStorage), failing on any script error."""
    yield from _page(browser, server, DESKTOP)


@pytest.fixture
def phone(browser: Any, server: Any) -> Iterator[Any]:
    yield from _page(browser, server, PHONE, is_mobile=True, has_touch=True)


def _page(browser: Any, server: Any, viewport: dict[str, int], **options: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=server.base, viewport=viewport, locale="zh-CN", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if _unexpected(message) else None)
    yield page
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def _unexpected(message: Any) -> bool:
    # the browser logs the 401 of a wrong token, which the page shows as it should
    return bool(message.type == "error" and "status of 401" not in message.text)


def shoot(page: Any, folder: Path, name: str, *, full: bool = True) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full)


def no_names(page: Any, names: set[str], where: str) -> None:
    text = page.evaluate("document.body.innerText")
    shown = sorted(name for name in names if name in text)
    assert not shown, f"{where} shows person names: {shown[:10]}"


def use_token(page: Any, token: str) -> None:
    page.fill("#token-input", token)
    page.press("#token-input", "Enter")


def count(server: Any, **filters: str) -> int:
    text = "query($d: String, $t: String, $q: String) { powerItems(department: $d, powerType: $t, text: $q, first: 1) { totalCount } }"
    variables = {"d": filters.get("department"), "t": filters.get("power_type"), "q": filters.get("text")}
    return int(server.query(text, variables)["powerItems"]["totalCount"])


def total_shown(page: Any) -> int:
    page.wait_for_selector("#results-heading[data-total]")
    return int(page.get_attribute("#results-heading", "data-total"))


def wait_total(page: Any, expected: int) -> None:
    page.wait_for_function(
        "(n) => document.querySelector('#results-heading')?.dataset.total === String(n)", arg=expected
    )


# 1. The published list


def test_list_browses_a_government_and_department_and_opens_an_article(
    page: Any, server: Any, truth: dict[str, Any], people: dict[str, str], screenshots: Path
) -> None:
    page.goto("/")
    assert page.evaluate("location.hash") == "#/list"
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert total_shown(page) == count(server)
    tree = page.locator(".dept-tree")
    for government in truth["governments"]:
        assert tree.get_by_role("heading", name=re.compile(government)).is_visible()
    assert tree.locator("a[data-department]").count() == truth["counts"]["部门"]

    # a department, then one power type of it
    department = "巴中市住房和城乡建设局"
    tree.get_by_role("link", name=department, exact=True).click()
    wait_total(page, count(server, department=department))
    assert page.locator(".dept-card h2").inner_text() == department
    assert page.locator(".items > li").count() == 20
    page.select_option("#filter-type", "行政许可")
    wait_total(page, count(server, department=department, power_type="行政许可"))
    cards = page.locator(".items > li")
    assert cards.first.locator(".badge.type").inner_text() == "行政许可"
    assert all(text == department for text in cards.locator(".facts dd:first-of-type a").all_inner_texts())

    # duties and accountability triggers open in place
    first = cards.first
    first.get_by_text("追责情形").click()
    assert first.locator(".text-block").nth(1).locator("p").is_visible()

    # a citation opens the article's text as the law catalogue has it
    code = first.get_attribute("data-code")
    laws = server.query(
        "query($c: String!) { powerItem(code: $c) { laws { law article text } } }", {"c": code}
    )["powerItem"]["laws"]
    cited = next(law for law in laws if law["text"])
    first.locator("a.citation").first.click()
    dialog = page.locator("#article-dialog")
    assert dialog.is_visible()
    assert cited["law"] in dialog.locator("#article-title").inner_text()
    assert dialog.locator("#article-text").inner_text().strip()[:20] == cited["text"].strip()[:20]
    shoot(page, screenshots, "1-list-article-desktop", full=False)
    page.keyboard.press("Escape")
    assert not dialog.is_visible()

    # paging through the whole list
    page.goto("/#/list")
    wait_total(page, count(server))
    first_code = page.locator(".items > li").first.get_attribute("data-code")
    page.click("#page-next")
    page.wait_for_function("() => document.querySelector('.page-info').textContent.startsWith('第 2 页')")
    assert page.locator(".items").get_attribute("start") == "21"
    assert page.locator(".items > li").first.get_attribute("data-code") != first_code
    page.click("#page-prev")
    page.wait_for_function("() => document.querySelector('.page-info').textContent.startsWith('第 1 页')")

    page.goto(f"/#/list?dept={department}")
    wait_total(page, count(server, department=department))
    shoot(page, screenshots, "1-list-desktop", full=False)
    no_names(page, set(people.values()), "the published list")


def test_list_is_usable_by_keyboard_in_either_script(page: Any, server: Any) -> None:
    page.goto("/#/list")
    total_shown(page)
    for _ in range(15):  # skip link, the five sections, then the search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "filter-q":
            break
    else:
        pytest.fail("Tab never reached the search box")
    page.keyboard.type("建築垃圾")  # traditional script
    page.keyboard.press("Enter")
    expected = count(server, text="建筑垃圾")
    assert expected > 0
    wait_total(page, expected)
    assert page.evaluate("document.activeElement.id") == "results-heading"
    assert "“建築垃圾”" in page.inner_text("#results-heading")

    # on from the results: the first item's department link, followed with Enter
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert page.evaluate("document.activeElement.tagName") == "A"
    page.keyboard.press("Enter")
    wait_total(page, count(server, department=focused))
    assert page.input_value("#filter-dept") == focused
    # a visible focus ring
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


# 2. The overlap map


def test_overlap_map_shows_the_heat_map_a_pair_and_the_evidence_side_by_side(
    page: Any, server: Any, truth: dict[str, Any], people: dict[str, str], screenshots: Path
) -> None:
    api = server.query(
        "{ overlaps { id } overlapMatrix { count a { name } b { name } } overlapClusters { id } }"
    )
    page.goto("/#/overlaps")
    page.wait_for_selector('#overlap-heatmap[data-rendered="echarts"]')
    assert page.evaluate(CANVAS_INK, "#overlap-heatmap") > 200
    assert f"{len(api['overlaps'])} 处" in page.inner_text(".summary-grid")
    assert page.locator(".cluster-list > li").count() == len(api["overlapClusters"])

    # a cell of the heat map: the pair of the planted 城市建筑垃圾处置核准
    planted = next(o for o in truth["overlaps"] if o.get("name") == "城市建筑垃圾处置核准")
    a, b = planted["departments"]
    pair = next(p for p in api["overlapMatrix"] if {p["a"]["name"], p["b"]["name"]} == {a, b})
    point = page.evaluate(
        """async ([a, b]) => {
          const echarts = await import("/vendor/echarts/echarts.esm.min.js");
          const chart = echarts.getInstanceByDom(document.getElementById("overlap-heatmap"));
          const labels = chart.getOption().yAxis[0].data;
          const index = (name) => labels.findIndex((label) => name.endsWith(label));
          return chart.convertToPixel({ seriesIndex: 0 }, [index(a), index(b)]);
        }""",
        [a, b],
    )
    box = page.locator("#overlap-heatmap").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_function("() => location.hash.includes('pair=')")
    wait_heading(page, " 与 ")  # the hash changes before the list is drawn
    heading = page.locator("#overlaps-heading")
    assert f"（{pair['count']} 处）" in heading.inner_text()
    assert page.locator(".overlap-list > li").count() == pair["count"]

    # the overlap: both items side by side, the shared articles and their text
    page.locator(".overlap-list a", has_text=planted["name"]).first.click()
    page.wait_for_selector("#evidence-heading")
    sides = page.locator(".evidence-side")
    assert sides.count() == 2
    shown = " ".join(sides.all_inner_texts())
    for code in planted["items"]:
        assert code in shown
    assert (
        sides.nth(0).locator("h4").inner_text() == sides.nth(1).locator("h4").inner_text() == planted["name"]
    )
    assert page.locator(".article-box").count() >= 1
    assert "城市市容和环境卫生管理条例" in page.inner_text(".evidence")
    assert page.locator(".evidence-side mark").count() >= 2  # the shared citations marked on both sides
    shoot(page, screenshots, "2-overlaps-evidence-desktop", full=False)
    shoot(page, screenshots, "2-overlaps-desktop")

    # a cluster, then a similar-text overlap with its shared words marked on both sides
    page.locator(".cluster-list a").first.click()
    page.wait_for_function("() => location.hash.includes('cluster=')")
    wait_heading(page, "所选聚类")  # fails by timing out if the cluster is never drawn
    similar = next(o for o in truth["overlaps"] if o["kinds"] == ["SIMILAR_TEXT"] and "items" in o)
    page.goto("/#/overlaps")
    page.locator(".overlap-list a", has_text=similar["texts"][1]).first.click()
    page.wait_for_selector("#evidence-heading")
    assert page.locator(".shared-words mark").count() >= 1
    assert page.locator(".evidence-side h4 mark").count() >= 2
    no_names(page, set(people.values()), "the overlap map")


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """`quanze serve` on the small city of the three verdicts (tests/api/test_verdicts.py)."""
    yield from serve(write_verdict_workbook(tmp_path_factory.mktemp("verdicts") / "seeds.xlsx"))


@pytest.fixture
def seeds_page(browser: Any, seeds_server: Any) -> Iterator[Any]:
    yield from _page(browser, seeds_server, DESKTOP)


def test_overlap_map_shows_each_verdict_and_includes_the_divisions_on_request(
    seeds_page: Any, seeds_server: Any, screenshots: Path
) -> None:
    page = seeds_page
    every = seeds_server.query(
        "{ overlaps(verdicts: []) { id verdict reason items { code } } overlapClusters(verdicts: []) { id } }"
    )
    verdict_of = {o["id"]: o["verdict"] for o in every["overlaps"]}
    boundary = next(o for o in every["overlaps"] if o["verdict"] == "BOUNDARY")
    page.goto("/#/overlaps")
    page.wait_for_selector('[data-verdicts="default"] #overlap-heatmap[data-rendered="echarts"]')
    assert not page.is_checked("#include-divided")

    # by default: the overlaps and the boundaries, each with its verdict's badge
    shown = {link.get_attribute("data-overlap"): link for link in page.locator(".overlap-list a").all()}
    assert set(shown) == {i for i, verdict in verdict_of.items() if verdict != "DIVIDED"}
    for overlap, link in shown.items():
        assert link.locator(".badge.verdict").inner_text() == VERDICTS_SHOWN[verdict_of[overlap]]
    stats = page.inner_text(".summary-grid")
    assert "边界未明\n1 处" in stats and "已分工" not in stats

    # a boundary's evidence: its verdict, its reason, and who should state the boundary
    shown[boundary["id"]].click()
    page.wait_for_selector("#evidence-heading")
    assert page.inner_text(".verdict-box .badge.verdict") == "边界未明"
    assert page.inner_text(".verdict-reason") == boundary["reason"]
    assert page.inner_text(".general-side") == f"边界应由{FORESTRY}写明：对生产经营假种子的处罚 {GENERAL}"
    assert boundary["reason"] not in page.inner_text(".evidence-list")  # shown once, as the verdict's
    shoot(page, screenshots, "2-overlaps-verdict-desktop", full=False)

    # with the divisions: every verdict, the page's links keep asking for them
    page.check("#include-divided")
    page.wait_for_selector('[data-verdicts="every"]')
    assert "divided=1" in page.evaluate("location.hash")
    assert page.locator(".overlap-list a").count() == len(every["overlaps"])
    assert page.locator(".cluster-list > li").count() == len(every["overlapClusters"])
    assert "已分工\n1 处" in page.inner_text(".summary-grid")
    divided = next(i for i, verdict in verdict_of.items() if verdict == "DIVIDED")
    page.locator(f'.overlap-list a[data-overlap="{divided}"]').click()
    page.wait_for_selector("#evidence-heading")
    assert "divided=1" in page.evaluate("location.hash")
    page.wait_for_function(  # an overlap's evidence may still be shown while the division's is drawn
        "() => document.querySelector('.verdict-box .badge.verdict')?.textContent === '已分工'"
    )
    assert page.locator(".general-side").count() == 0
    assert all("divided=1" in (a.get_attribute("href") or "") for a in page.locator(".cluster-list a").all())

    # and back to the default
    page.uncheck("#include-divided")
    page.wait_for_selector('[data-verdicts="default"]')
    assert page.locator(".overlap-list a").count() == len(shown)


# 3. Approval chains


def test_approval_chain_is_drawn_across_departments_with_days_and_lead(
    page: Any, server: Any, truth: dict[str, Any], people: dict[str, str], screenshots: Path
) -> None:
    splits = server.query(
        "{ splitApprovals { id kind totalDays stageCount leadDepartment { name } items { code name } } }"
    )["splitApprovals"]
    chain = truth["split_approvals"]["chains"][0]
    api = next(
        s for s in splits if s["kind"] == "CHAIN" and [i["code"] for i in s["items"]] == chain["items"]
    )
    page.goto("/#/chains")
    title = " → ".join(reversed(chain["names"]))
    page.locator(".split-list a", has_text=title).click()
    flow = page.locator("#chain-flow")
    page.wait_for_selector('#chain-flow[data-rendered="cytoscape"]')
    assert flow.get_attribute("data-stages") == str(chain["stages"])
    assert flow.get_attribute("data-layout") == "lanes-down"
    assert page.evaluate(CANVAS_INK, "#chain-flow") > 200
    assert page.inner_text("#split-title") == title
    summary = page.inner_text(".summary-grid")
    assert f"{chain['stages']} 个" in summary
    assert f"{chain['statutory_days']} 个工作日" in summary
    assert api["leadDepartment"]["name"] in page.inner_text(".stat.lead-dept")
    assert page.locator(".stage-table").count() == len(chain["items"])
    shoot(page, screenshots, "3-chains-desktop")

    # one item's stages over several departments: the stages in order, each in its department
    split = truth["split_approvals"]["split_items"][0]
    stages = next(s for s in splits if s["kind"] == "STAGES" and s["items"][0]["code"] == split["item"])
    page.click(f'.split-list a[data-split="{stages["id"]}"]')
    page.wait_for_function(
        "(name) => document.querySelector('#split-title')?.textContent === name", arg=split["name"]
    )
    page.wait_for_selector('#chain-flow[data-layout="lanes-across"]')
    assert flow.get_attribute("data-stages") == str(len(split["stages"]))
    assert split["lead"] in page.inner_text(".stat.lead-dept")
    rows = page.locator(".stage-table tbody tr:not(.total)")
    assert [rows.nth(i).locator("td").nth(2).inner_text() for i in range(rows.count())] == [
        stage["department"] for stage in split["stages"]
    ]
    shoot(page, screenshots, "3-chains-stages-desktop", full=False)
    no_names(page, set(people.values()), "the approval chains")


# 4. Case trace


def test_case_trace_needs_an_investigator_token_and_shows_the_timeline_and_findings(
    page: Any, server: Any, truth: dict[str, Any], people: dict[str, str], screenshots: Path
) -> None:
    planted = next(c for c in truth["cases"]["planted"] if c["planted"] == "NOT_HOLDER")
    page.goto(f"/#/trace?case={planted['case']}")
    assert "调查人员" in page.inner_text(".view-trace .alert")
    no_names(page, set(people.values()), "the case trace without a token")

    # a staffing token is not enough: the API's FORBIDDEN is shown
    use_token(page, server.staffing_token)
    page.wait_for_selector(".alert-error")
    assert "FORBIDDEN" in page.inner_text(".alert-error")
    shoot(page, screenshots, "4-trace-forbidden-desktop", full=False)
    page.click("text=清除令牌")
    use_token(page, "not-a-token")
    page.wait_for_function(
        "() => document.querySelector('.alert-error')?.textContent.includes('UNAUTHENTICATED')"
    )
    assert page.evaluate("sessionStorage.getItem('quanze.token')") == "not-a-token"
    assert page.evaluate("localStorage.length") == 0
    page.click("text=清除令牌")

    use_token(page, server.investigator_token)
    every = server.query("{ cases { totalCount } }", token=server.investigator_token)["cases"]["totalCount"]
    page.wait_for_selector(".case-list a")
    assert page.get_attribute("#case-heading", "data-total") == str(every)  # no filter: every case
    page.wait_for_selector(".timeline > li")

    finding = planted["findings"][0]
    stages = page.locator(".timeline > li")
    trace = server.query(
        "query($c: ID!) { trace(caseId: $c) { stages { step } } }",
        {"c": planted["case"]},
        server.investigator_token,
    )["trace"]
    assert stages.count() == len(trace["stages"])
    flagged = page.locator(".stage-card.flagged")
    assert flagged.count() == 1
    assert flagged.get_attribute("data-step") == str(finding["step"])
    card = flagged.inner_text()
    assert "非岗位人员办理" in card
    assert people[finding["performed_by"]] in card  # who did it
    assert people[finding["holder"]] in card  # who held the post then
    for role in ("经办人", "当时在岗人员", "科室负责人", "分管领导", "主要负责人"):
        assert role in card
    assert page.locator(".findings .finding").count() == len(planted["findings"])
    page.wait_for_selector('#trace-chart[data-rendered="echarts"]')
    assert page.evaluate(CANVAS_INK, "#trace-chart") > 100
    shoot(page, screenshots, "4-trace-desktop")

    # another case, by its link: a stage over its limit
    overdue = next(c for c in truth["cases"]["planted"] if c["planted"] == "OVERDUE_STAGE")
    page.goto(f"/#/trace?case={overdue['case']}")
    page.wait_for_function(
        "(id) => document.querySelector('#trace-title')?.textContent.includes(id)", arg=overdue["case"]
    )
    step = overdue["findings"][0]
    card = page.locator(f'.stage-card[data-step="{step["step"]}"]')
    assert "超时" in card.inner_text()
    assert f"用时 {step['took']} / 时限 {step['limit']} 个工作日" in card.inner_text()
    shoot(page, screenshots, "4-trace-overdue-desktop", full=False)


def test_case_trace_shows_the_wait_between_stages_and_who_held_the_post(
    page: Any, server: Any, truth: dict[str, Any], people: dict[str, str], screenshots: Path
) -> None:
    waited = next(c for c in truth["cases"]["planted"] if c["case"] == "BJ20240204001")
    idle = next(f for f in waited["findings"] if f["kind"] == "IDLE_BETWEEN_STAGES")
    page.goto(f"/#/trace?case={waited['case'].lower()}")  # any letter case finds the case
    use_token(page, server.investigator_token)
    page.wait_for_function(
        "(id) => document.querySelector('#trace-title')?.textContent.includes(id)", arg=waited["case"]
    )
    gaps = page.locator(".timeline .wait-gap")
    assert gaps.count() == 1  # the other stages start the day the one before finished
    gap = gaps.first
    assert gap.get_attribute("data-idle") == "true" and gap.get_attribute("data-waited") == str(
        idle["waited"]
    )
    text = gap.inner_text()
    assert (
        "环节间等待超时" in text
        and f"等待 {idle['waited']} 个工作日（{idle['from']} → {idle['to']}）" in text
    )
    assert people[idle["holder"]] in text  # who held the later stage's post while the case waited
    card = page.locator(f'.stage-card[data-step="{idle["step"]}"]')
    assert "环节间等待超时" in card.inner_text() and people[idle["finished_by"]] in card.inner_text()
    finding = page.locator('.findings .finding[data-kind="IDLE_BETWEEN_STAGES"]')
    assert people[idle["holder"]] in finding.inner_text()
    gap.scroll_into_view_if_needed()
    shoot(page, screenshots, "4-trace-wait-desktop", full=False)

    covered = next(c for c in truth["cases"]["planted"] if c.get("covered_by"))
    page.goto(f"/#/trace?case={covered['case']}")
    page.wait_for_function(
        "(id) => document.querySelector('#trace-title')?.textContent.includes(id)", arg=covered["case"]
    )
    card = page.locator(f'.stage-card[data-step="{covered["step"]}"]').inner_text()
    assert "岗位空缺时办理" in card and "非岗位人员办理" in card  # both, for the unit head covering


# 5. Staffing


def test_staffing_shows_quotas_against_people_and_the_gaps(
    page: Any, server: Any, truth: dict[str, Any], screenshots: Path
) -> None:
    page.goto("/#/staffing")
    assert "编制管理" in page.inner_text(".view-staffing .alert")
    use_token(page, server.staffing_token)
    page.wait_for_selector('#staffing-chart[data-rendered="echarts"]')
    assert page.evaluate(CANVAS_INK, "#staffing-chart") > 200
    gaps = server.query(
        "{ gaps(kinds: [NO_HEAD, VACANT_POST, OVER_QUOTA, GHOST_PAYROLL, MIXED_QUOTA, CONCURRENT_POSTS]) { kind department { name } } }",
        token=server.staffing_token,
    )["gaps"]
    assert page.locator(".gap-list > li").count() == len(gaps)
    no_head = {
        item.get_attribute("data-department") for item in page.locator('.gap[data-kind="NO_HEAD"]').all()
    }
    assert no_head == {entry["department"] for entry in truth["staffing"]["no_head"]}
    over = next(g["department"]["name"] for g in gaps if g["kind"] == "OVER_QUOTA")
    assert "超编" in page.locator(f'.staffing-table tr[data-department="{over}"]').inner_text()
    assert page.locator(".staffing-table tbody tr").count() == truth["counts"]["部门"]
    shoot(page, screenshots, "5-staffing-desktop")


# Every view on a phone, and what the public pages ask for


VIEWS = {
    "1-list": ("/#/list?dept=巴中市住房和城乡建设局", None, "#results-heading[data-total]"),
    "2-overlaps": ("/#/overlaps", None, '#overlap-heatmap[data-rendered="echarts"]'),
    "3-chains": ("/#/chains", None, '#chain-flow[data-rendered="cytoscape"]'),
    "4-trace": ("/#/trace?case=BJ20241126001", "investigator", '#trace-chart[data-rendered="echarts"]'),
    "5-staffing": ("/#/staffing", "staffing", '#staffing-chart[data-rendered="echarts"]'),
}


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_every_view_fits_a_phone(phone: Any, server: Any, view: str, screenshots: Path) -> None:
    url, role, ready = VIEWS[view]
    if role:
        token = getattr(server, f"{role}_token")
        phone.goto("/")
        phone.evaluate("(token) => sessionStorage.setItem('quanze.token', token)", token)
    phone.goto(url)
    phone.wait_for_selector(ready)
    assert phone.evaluate(NO_OVERFLOW), (
        f"{view} is wider than the phone: {phone.evaluate('document.documentElement.scrollWidth')} px"
    )
    if view == "3-chains":
        assert phone.get_attribute("#chain-flow", "data-layout") == "single"
    shoot(phone, screenshots, f"{view}-phone-full")
    phone.locator(ready).scroll_into_view_if_needed()
    phone.evaluate("(selector) => document.querySelector(selector).scrollIntoView({ block: 'start' })", ready)
    shoot(phone, screenshots, f"{view}-phone", full=False)


def test_public_pages_send_no_token_and_ask_for_no_person(
    page: Any, people: dict[str, str], server: Any
) -> None:
    page.goto("/")
    page.evaluate("(token) => sessionStorage.setItem('quanze.token', token)", server.investigator_token)
    sent: list[tuple[str | None, str]] = []
    page.on(
        "request",
        lambda request: (
            sent.append((request.headers.get("authorization"), request.post_data or ""))
            if request.url.endswith("/graphql")
            else None
        ),
    )
    for view in ("1-list", "2-overlaps", "3-chains"):
        url, _, ready = VIEWS[view]
        page.goto(url)
        page.wait_for_selector(ready)
        no_names(page, set(people.values()), view)
    assert sent
    for authorization, body in sent:
        assert authorization is None
        for field in ("person", "performer", "holder", "unitHead", "departmentHead", "staffing"):
            assert field not in body, f"a public page asks for {field}: {body[:200]}"
