"""Reports an office reads: workbooks that print on A4 in landscape, one page wide, the header on every
page; cells of the right type; a CSV Excel reads; JSON a script reads; a table that fits the terminal.

The demo city's overlaps, gaps and a trace are written as the command line writes them and printed
to PDF by LibreOffice (`libreoffice --headless --convert-to pdf`), the pages counted in the PDF.
"""

from __future__ import annotations

import io
import json
import math
import re
import shutil
import subprocess
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from api.cli import main
from api.labels import GAP_KINDS, OVERLAP_KINDS, head
from api.reports import (
    Report,
    gap_report,
    overlap_report,
    trace_document,
    trace_report,
    trace_text,
    write_report,
    write_workbook,
)
from graph import MemoryStore
from graph.analyses import find_gaps, find_overlaps
from graph.analyses.trace import trace_case
from graph.ids import case_id
from loaders.sources import load_source

DEMO = Path(__file__).parents[2] / "loaders" / "demo" / "quanze-demo.xlsx"
TRUTH = json.loads((DEMO.parent / "truth.json").read_text(encoding="utf-8"))
AT = date.fromisoformat(TRUTH["reference_date"])
OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
#: a name longer than any column of an 80-column terminal
LONG = "巴中市住房和城乡建设局城市建设档案馆（巴中市城市建设档案信息管理中心）"


@pytest.fixture(scope="module")
def demo() -> MemoryStore:
    store = MemoryStore()
    load_source(DEMO, store)
    return store


@pytest.fixture(scope="module")
def reports(demo: MemoryStore) -> dict[str, Report]:
    """The overlaps, the gaps and the trace of the first planted case, as the command line writes them."""
    found = trace_case(demo, case_id(TRUTH["cases"]["planted"][0]["case"]))
    assert found is not None
    return {
        "overlaps": overlap_report(demo, find_overlaps(demo)),
        "gaps": gap_report(demo, find_gaps(demo, at=AT)),
        "trace": trace_report(trace_document(demo, found)),
    }


# -- printed: LibreOffice's PDF ------------------------------------------------------------------


def _pdf(workbook: Path, folder: Path) -> bytes:
    """The workbook printed to PDF by LibreOffice (a profile of its own, so runs never share one)."""
    profile = (folder / "profile").as_uri()
    command = [OFFICE or "libreoffice", f"-env:UserInstallation={profile}", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(folder), str(workbook)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return (folder / workbook.with_suffix(".pdf").name).read_bytes()


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    """The width and height of each page: a `/Type /Page` object (not `/Pages`) has a MediaBox."""
    pages = re.findall(rb"/Type\s*/Page(?![a-z])", pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert pages and len(boxes) >= len(pages)  # LibreOffice gives each page its box
    return [(float(width), float(height)) for width, height in boxes[: len(pages)]]


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed (scripts/test installs it)")
@pytest.mark.parametrize("kind", ["overlaps", "gaps", "trace"])
def test_the_workbooks_print_on_a4_landscape_one_page_wide(
    reports: dict[str, Report], kind: str, tmp_path: Path
) -> None:
    """A page holds at least ten rows, and each sheet begins a page: a sheet printed a column a page
    (gaps.xlsx took 58 pages so) or several pages wide takes more than that allows."""
    report = reports[kind]
    out = tmp_path / f"{kind}.xlsx"
    write_report(report, "xlsx", out)
    pages = _pages(_pdf(out, tmp_path))
    sheets = report.sheets()
    assert all(width > height for width, height in pages), pages  # landscape
    assert all(round(width) == 842 and round(height) == 595 for width, height in pages)  # A4, in points
    assert len(pages) <= len(sheets) + math.ceil(len(report.rows) / 10), (len(pages), len(sheets))


@pytest.mark.parametrize("kind", ["overlaps", "gaps", "trace"])
def test_every_sheet_is_set_up_to_filter_and_print(
    reports: dict[str, Report], kind: str, tmp_path: Path
) -> None:
    out = tmp_path / f"{kind}.xlsx"
    write_report(reports[kind], "xlsx", out)
    for sheet in openpyxl.load_workbook(out):
        assert sheet.print_title_rows == "$1:$1"  # the header on every printed page (as openpyxl reads 1:1)
        assert (
            sheet.auto_filter.ref
            == sheet.dimensions
            == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        )
        assert sheet.freeze_panes == "A2" and all(cell.font.bold for cell in sheet[1])
        setup = sheet.page_setup
        assert (str(setup.paperSize), setup.orientation) == (sheet.PAPERSIZE_A4, "landscape")
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (
            1,
            0,
        )


# -- sheets and heads ----------------------------------------------------------------------------


def test_an_overlap_is_one_row_with_its_kinds_named_and_coded(
    reports: dict[str, Report], tmp_path: Path
) -> None:
    report = reports["overlaps"]
    out = tmp_path / "overlaps.xlsx"
    write_report(report, "xlsx", out)
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["职能交叉"]
    header, *rows = [[cell.value for cell in row] for row in workbook["职能交叉"].iter_rows()]
    assert len(rows) == len(report.rows) and any(len(row["kinds"]) > 1 for row in report.rows)
    kinds, codes = header.index("类型"), header.index("类型代码")
    for row, overlap in zip(rows, report.rows, strict=True):
        assert row[codes] == "、".join(overlap["kinds"])
        assert row[kinds] == "、".join(OVERLAP_KINDS[kind] for kind in overlap["kinds"])


def test_gaps_have_a_sheet_per_kind_named_in_chinese(reports: dict[str, Report], tmp_path: Path) -> None:
    report = reports["gaps"]
    out = tmp_path / "gaps.xlsx"
    write_report(report, "xlsx", out)
    kinds = list(dict.fromkeys(row["kind"] for row in report.rows))
    assert openpyxl.load_workbook(out).sheetnames == [GAP_KINDS[kind] for kind in kinds]


# -- cells of the right type ---------------------------------------------------------------------


def test_numbers_dates_and_texts_are_cells_of_their_type(reports: dict[str, Report], tmp_path: Path) -> None:
    out = tmp_path / "gaps.xlsx"
    write_report(reports["gaps"], "xlsx", out)
    over = openpyxl.load_workbook(out)[GAP_KINDS["OVER_QUOTA"]]
    header = [cell.value for cell in over[1]]
    places = [row[header.index("核定编制数")] for row in over.iter_rows(min_row=2)]
    assert places and all(cell.data_type == "n" and isinstance(cell.value, int) for cell in places)
    # the trace's dates
    out = tmp_path / "trace.xlsx"
    write_report(reports["trace"], "xlsx", out)
    stages = openpyxl.load_workbook(out)["环节"]
    header = [cell.value for cell in stages[1]]
    started = [row[header.index("开始日期")] for row in stages.iter_rows(min_row=2)]
    assert started and all(cell.is_date and cell.number_format == "yyyy-mm-dd" for cell in started)
    assert all(isinstance(cell.value, datetime) for cell in started)


def test_a_view_export_keeps_its_heads_numbers_dates_and_formula_like_texts(tmp_path: Path) -> None:
    """As `POST /export` writes the rows a view shows, keyed by their Chinese heads."""
    rows = [{"部门": "=1+1", "交叉数": 18, "分值": 0.5, "日期": date(2024, 3, 5)}]
    write_workbook({"部门间交叉": (["部门", "交叉数", "分值", "日期"], rows)}, tmp_path / "view.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "view.xlsx")["部门间交叉"]
    assert [cell.value for cell in sheet[1]] == ["部门", "交叉数", "分值", "日期"]
    text, count, score, day = sheet[2]
    assert (text.value, text.data_type) == ("=1+1", "s")
    assert (count.value, count.data_type, score.value, score.data_type) == (18, "n", 0.5, "n")
    assert day.is_date and day.value == datetime(2024, 3, 5) and day.number_format == "yyyy-mm-dd"
    assert sheet.print_title_rows == "$1:$1" and sheet.auto_filter.ref == "A1:D2"


# -- csv and json --------------------------------------------------------------------------------


def test_csv_has_a_bom_and_chinese_heads(reports: dict[str, Report], tmp_path: Path) -> None:
    write_report(reports["gaps"], "csv", tmp_path / "gaps.csv")
    raw = (tmp_path / "gaps.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    first = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert first[:4] == ["类型", "类型代码", "严重程度", "部门"]


def test_json_has_lists_ids_and_camel_case_keys(reports: dict[str, Report]) -> None:
    stream = io.StringIO()
    write_report(reports["overlaps"], "json", stream=stream)
    overlaps = json.loads(stream.getvalue())
    assert all(isinstance(o["departments"], list) and len(o["departments"]) >= 2 for o in overlaps)
    assert all(o["id"].startswith("overlap:") and set(o["scores"]) <= set(OVERLAP_KINDS) for o in overlaps)
    assert all(isinstance(score, float) for o in overlaps for score in o["scores"].values())
    keys = {key for o in overlaps for key in o}
    assert "generalSide" in keys and not [key for key in keys if " " in key or "_" in key]


def test_the_trace_document_is_camel_case(reports: dict[str, Report], demo: MemoryStore) -> None:
    found = trace_case(demo, case_id(TRUTH["cases"]["planted"][0]["case"]))
    assert found is not None
    document = trace_document(demo, found)
    keys = set(document) | {key for stage in document["stages"] for key in stage}
    assert {"totalWorkingDays", "statutoryDays", "holderThen", "limitDays", "waitedDays"} <= keys
    assert not [key for key in keys if "_" in key]


# -- the table on a terminal ---------------------------------------------------------------------


def _table(report: Report, columns: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    stream = io.StringIO()
    write_report(report, "table", stream=stream)
    return stream.getvalue()


def _cells(text: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def _long_names() -> Report:
    rows: list[dict[str, Any]] = [
        {"kind": "NO_HEAD", "severity": 5, "department": LONG, "detail": f"{LONG}的行政首长岗位空缺"},
        {"kind": "OVER_QUOTA", "severity": 4, "department": "巴中市财政局", "detail": "超编 2 人"},
    ]
    return Report("gaps", ("kind", "severity", "department", "detail"), rows, codes={"kind": GAP_KINDS})


def test_a_table_at_80_columns_wraps_every_cell_and_cuts_none(monkeypatch: pytest.MonkeyPatch) -> None:
    table = _table(_long_names(), 80, monkeypatch)
    lines = table.splitlines()
    assert all(_cells(line) <= 80 for line in lines)
    assert lines[0].split() == [head(key) for key in ("kind", "severity", "department", "detail")]
    shown = Counter(table)  # the name is in two columns, wrapped within them: each character twice
    assert all(shown[ch] >= 2 * count for ch, count in Counter(LONG).items()) and "…" not in table
    assert lines[-1] == "共 2 个问题" and "无行政首长" in table


def test_a_table_too_narrow_for_its_columns_prints_a_block_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    table = _table(_long_names(), 40, monkeypatch)
    blocks = table.removesuffix("共 2 个问题\n").strip("\n").split("\n\n")
    assert len(blocks) == 2
    assert blocks[1].splitlines() == [
        "类型：    超编",
        "严重程度：4",
        "部门：    巴中市财政局",
        "说明：    超编 2 人",
    ]
    assert table.replace(" ", "").replace("\n", "").count(LONG) == 2  # wrapped, never cut
    assert all(_cells(line) <= 40 for line in table.splitlines())


def test_labels_too_wide_to_sit_beside_their_values_go_above_them(monkeypatch: pytest.MonkeyPatch) -> None:
    # five columns cannot share 40 cells; 法定时限（最长路径，工作日） alone takes 28 of them
    row = {"totalDays": 67, "departments": LONG, "stageCount": 4, "savedDays": 20, "leadDepartment": LONG}
    table = _table(Report("split approvals", tuple(row), [row]), 40, monkeypatch)
    lines = table.splitlines()
    assert lines[:2] == [f"{head('totalDays')}：", "  67"]
    assert f"{head('departments')}：" in lines and all(_cells(line) <= 40 for line in lines)
    assert table.replace(" ", "").replace("\n", "").count(LONG) == 2


def test_the_trace_text_is_in_chinese(reports: dict[str, Report], demo: MemoryStore) -> None:
    found = trace_case(demo, case_id(TRUTH["cases"]["planted"][0]["case"]))
    assert found is not None
    text = trace_text(trace_document(demo, found))
    assert text.startswith(f"办件 {found.case_id}：") and "发现问题：" in text and "问责情况：" in text
    assert "环节超时" in text and "OVERDUE_STAGE" not in text


# -- every report of the command line, printed -----------------------------------------------------


@pytest.fixture(scope="module")
def command_workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The `.xlsx` of every report the command line writes, as a user runs it on the demo: the
    findings, a trace, the scorecards, cases and transfers, and the diff and audit of a ledger that
    recorded the demo as two editions (the second without one item)."""
    folder = tmp_path_factory.mktemp("reports")
    ledger = folder / "ledger.sqlite3"
    second = folder / "2025" / DEMO.name
    second.parent.mkdir()
    book = openpyxl.load_workbook(DEMO)
    for cell in next(book["权责清单"].iter_rows(min_row=2)):  # the first item gone in 2025
        cell.value = None
    book.save(second)
    for source, label in ((DEMO, "2024"), (second, "2025")):
        load = ["load", str(source), "--store", "memory", "--edition", label, "--ledger", str(ledger)]
        assert main(load) == 0
    case = TRUTH["cases"]["planted"][0]["case"]
    commands = {
        "overlaps": ["overlaps", str(DEMO)],
        "gaps": ["gaps", str(DEMO), "--at", AT.isoformat()],
        "splits": ["splits", str(DEMO)],
        "trace": ["trace", str(DEMO), case],
        "scorecard": ["scorecard", str(DEMO), "--at", AT.isoformat()],
        "cases": ["cases", str(DEMO)],
        "transfers": ["transfers", str(DEMO), "--at", AT.isoformat()],
        "diff": ["diff", "2024", "2025", "--ledger", str(ledger)],
        "audit": ["audit", "--ledger", str(ledger)],
    }
    written = {}
    for name, command in commands.items():
        out = folder / f"{name}.xlsx"
        assert main([*command, "--format", "xlsx", "--out", str(out)]) == 0, name
        written[name] = out
    return written


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed (scripts/test installs it)")
def test_every_report_of_the_command_line_prints_on_a4_landscape_with_its_header_repeated(
    command_workbooks: dict[str, Path], tmp_path: Path
) -> None:
    """Each workbook, as LibreOffice prints it: A4 landscape pages, one page wide (a page holds at
    least ten rows and each sheet begins one), the header row repeated on every page."""
    profile = (tmp_path / "profile").as_uri()
    command = [OFFICE or "libreoffice", f"-env:UserInstallation={profile}", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, command_workbooks.values())]
    subprocess.run(command, check=True, capture_output=True, timeout=600)  # one start for them all
    for name, workbook in command_workbooks.items():
        sheets = openpyxl.load_workbook(workbook).worksheets
        rows = sum(sheet.max_row - 1 for sheet in sheets)
        pages = _pages((tmp_path / f"{name}.pdf").read_bytes())
        assert all(round(w) == 842 and round(h) == 595 for w, h in pages), (name, pages)
        assert len(pages) <= len(sheets) + math.ceil(rows / 10), (name, len(pages), len(sheets), rows)
        for sheet in sheets:
            assert sheet.print_title_rows == "$1:$1", (name, sheet.title)
            assert sheet.page_setup.fitToWidth == 1 and sheet.auto_filter.ref, (name, sheet.title)
            assert re.search("[\u4e00-\u9fff]", sheet.title), (name, sheet.title)  # named in Chinese
