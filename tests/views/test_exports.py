"""Exporting and printing the views in Chromium: 导出 Excel / 导出 CSV / 打印 above every view (js/export.js).

A download is taken as the user gets it and opened with openpyxl: its sheets are the view's tables (and
what a view of cards registers), named and headed in Chinese as shown, numbers as numbers, the rows
those on screen. Printing is checked with the print media (the menu, the token form, the case picker
and the toolbar are not shown; the content and a heading with 生成日期 are) and as a PDF on A4 whose
pages are counted and measured.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.views.conftest import Server

DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 20_000
#: A4 in PostScript points, portrait (width, height)
A4 = (595.28, 841.89)


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A desktop page that accepts downloads and fails on any script error."""
    context = browser.new_context(
        base_url=server.base, viewport=DESKTOP, locale="zh-CN", accept_downloads=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def download(page: Any, button: str, folder: Path) -> Path:
    """Click the toolbar's `button` and save what the browser downloads under its suggested name."""
    with page.expect_download() as started:
        page.click(f".view-toolbar >> text={button}")
    done = started.value
    path = folder / done.suggested_filename
    done.save_as(path)
    return path


def column(sheet: Any, header: str) -> list[Any]:
    """The cells of the column headed `header`, below the header row."""
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header)
    return [row[index].value for row in sheet.iter_rows(min_row=2)]


def open_trace(page: Any, server: Server, case: str) -> None:
    page.goto(f"/#/trace?case={case}")
    page.fill("#token-input", server.investigator_token)
    page.press("#token-input", "Enter")
    page.wait_for_selector(".timeline > li")


def test_the_overlap_map_exports_its_pairs_table_and_its_list(
    page: Any, server: Server, tmp_path: Path
) -> None:
    page.goto("/#/overlaps")
    page.wait_for_selector(".overlap-list li")
    path = download(page, "导出 Excel", tmp_path)
    assert path.name == f"职能交叉-{date.today().isoformat()}.xlsx"
    book = openpyxl.load_workbook(path)

    table = page.locator("#view .table-wrap table").first
    headers = table.locator("thead th").evaluate_all("cells => cells.map(c => c.textContent.trim())")
    assert headers == ["部门", "部门", "交叉数"]
    pairs = next(book[name] for name in book.sheetnames if name != "交叉事项")
    assert pairs.title in page.inner_text("#view")  # a heading of the view
    assert [cell.value for cell in pairs[1]] == ["部门", "部门 (2)", "交叉数"]
    matrix = server.query("{ overlapMatrix { count a { name } b { name } } }")["overlapMatrix"]
    shown = table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))"
    )
    assert pairs.max_row - 1 == len(shown) == len(matrix)
    assert [[row[0].value, row[1].value] for row in pairs.iter_rows(min_row=2)] == [
        cells[:2] for cells in shown
    ]
    counts = column(pairs, "交叉数")
    assert all(isinstance(count, int) for count in counts)  # "5 处" on screen, 5 in the sheet (data-value)
    assert sorted(counts) == sorted(pair["count"] for pair in matrix)

    listed = book["交叉事项"]
    assert [cell.value for cell in listed[1]] == ["判定", "交叉类型", "事项或职能", "部门", "置信度"]
    assert listed.max_row - 1 == page.locator(".overlap-list li").count()
    assert all(isinstance(score, float | int) and 0 <= score <= 1 for score in column(listed, "置信度"))


def test_the_list_exports_the_page_of_items_it_shows(page: Any, server: Server, tmp_path: Path) -> None:
    page.goto("/#/list?type=行政许可")
    page.wait_for_selector(".items > li")
    book = openpyxl.load_workbook(download(page, "导出 Excel", tmp_path))
    assert book.sheetnames == ["权力事项"]
    sheet = book["权力事项"]
    codes = page.locator(".items > li").evaluate_all("items => items.map(i => i.dataset.code)")
    assert column(sheet, "事项编码") == codes
    assert column(sheet, "序号") == list(range(1, len(codes) + 1))
    assert set(column(sheet, "权力类型")) == {"行政许可"}
    assert any(isinstance(days, int) for days in column(sheet, "法定时限（工作日）"))

    text = download(page, "导出 CSV", tmp_path).read_bytes()
    assert text.startswith("\ufeff".encode())  # for Excel on a Chinese Windows
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "事项编码", "事项名称"] and [row[1] for row in rows[1:]] == codes


def test_the_trace_exports_its_stages_and_findings(
    page: Any, server: Server, truth: dict[str, Any], tmp_path: Path
) -> None:
    planted = next(c for c in truth["cases"]["planted"] if c["planted"] == "NOT_HOLDER")
    open_trace(page, server, planted["case"])
    book = openpyxl.load_workbook(download(page, "导出 Excel", tmp_path))
    assert book.sheetnames[:2] == ["办理环节", "发现的问题"]
    assert all("case" not in name.lower() for name in book.sheetnames)  # not the case picker's table
    stages = book["办理环节"]
    cards = page.locator(".timeline .stage-card").evaluate_all(
        "cards => cards.map(c => Number(c.dataset.step))"
    )
    assert column(stages, "步骤") == cards
    trace = server.query(
        "query($c: ID!) { trace(caseId: $c) { stages { workingDays started } findings { kind } } }",
        {"c": planted["case"]},
        server.investigator_token,
    )["trace"]
    assert column(stages, "用时（工作日）") == [stage["workingDays"] for stage in trace["stages"]]
    assert column(stages, "开始日期") == [
        datetime.fromisoformat(stage["started"]) if stage["started"] else None for stage in trace["stages"]
    ]  # dates as dates
    assert (
        book["发现的问题"].max_row - 1 == len(trace["findings"]) == page.locator(".findings .finding").count()
    )
    assert "非岗位人员办理" in column(book["发现的问题"], "问题")

    page.click("text=清除令牌")  # the trace is gone from the page: nothing of it is exported any more
    page.wait_for_function("() => !document.querySelector('.timeline')")
    page.click(".view-toolbar >> text=导出 Excel")
    page.wait_for_function(
        "() => document.querySelector('.export-status').textContent.includes('没有可导出')"
    )


def hidden_in_print(page: Any, selectors: list[str]) -> None:
    for selector in selectors:
        locator = page.locator(selector)
        assert locator.count() > 0, f"{selector} is not on the page at all"
        assert not any(locator.nth(i).is_visible() for i in range(locator.count())), f"{selector} prints"


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The size (width, height) in points of each page of a PDF Chromium wrote."""
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert len(boxes) == len(re.findall(rb"/Type /Page\b", pdf))
    return [(float(width), float(height)) for width, height in boxes]


def is_a4(size: tuple[float, float], *, landscape: bool) -> bool:
    width, height = A4[::-1] if landscape else A4
    return abs(size[0] - width) < 2 and abs(size[1] - height) < 2


def test_the_trace_prints_its_content_alone_upright_on_a4(
    page: Any, server: Server, truth: dict[str, Any], tmp_path: Path
) -> None:
    planted = next(c for c in truth["cases"]["planted"] if c["planted"] == "NOT_HOLDER")
    open_trace(page, server, planted["case"])
    page.emulate_media(media="print")
    hidden_in_print(page, [".site-nav", ".token-panel", ".case-picker", ".view-toolbar", "#view form"])
    for content in ("#trace-title", ".timeline", ".findings"):
        assert page.locator(content).is_visible(), f"{content} does not print"
    heading = page.locator(".print-heading")
    assert heading.is_visible() and "办件追溯" in heading.inner_text()
    assert f"生成日期：{date.today().isoformat()}" in heading.inner_text()

    pages = pdf_pages(page.pdf(prefer_css_page_size=True))  # the stylesheet's @page decides
    assert pages and all(is_a4(size, landscape=False) for size in pages)
    stages = page.locator(".timeline > li").count()
    assert len(pages) <= stages  # at least one stage card to a page: no page of menus or forms
    (tmp_path / "trace.pdf").write_bytes(page.pdf(format="A4"))


def test_a_list_and_the_overlap_map_print_on_a4(page: Any, server: Server) -> None:
    page.goto("/#/list")
    page.wait_for_selector(".items > li")
    page.emulate_media(media="print")
    hidden_in_print(page, [".site-nav", ".view-toolbar", ".pager", "#view form", ".sidebar"])
    assert page.locator(".items").is_visible() and page.locator("#results-heading").is_visible()
    upright = pdf_pages(page.pdf(prefer_css_page_size=True))
    assert upright and all(is_a4(size, landscape=False) for size in upright)
    cards = page.locator(".items > li").count()
    assert len(upright) <= cards  # the 20 cards of a page, several to a printed page

    page.emulate_media(media="screen")
    page.goto("/#/overlaps")
    page.wait_for_selector(".overlap-list li")
    page.emulate_media(media="print")
    hidden_in_print(page, [".site-nav", ".view-toolbar"])
    assert "职能交叉" in page.inner_text(".print-heading")
    wide = pdf_pages(page.pdf(prefer_css_page_size=True))
    assert wide and all(is_a4(size, landscape=True) for size in wide)
    dialog = pdf_pages(page.pdf(format="A4", landscape=True))  # as the print dialog's A4 landscape
    assert len(dialog) == len(wide) and all(is_a4(size, landscape=True) for size in dialog)
