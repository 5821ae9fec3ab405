"""Reports carry what departments wrote as text: never a live formula in an .xlsx or a CSV, never a
terminal escape in a table; every file quanze writes is written whole or not at all.

Two graphs carry the payloads. A workbook (a folder of .csv files, which keep a cell as written) whose
departments and persons are named `=HYPERLINK(...)`, `=cmd|' /C calc'!A0`, `+1+1`, `-2+3`, `@SUM(A1)`
and `-5` goes through the command line as a user runs it; the loader strips a leading tab or carriage
return from a cell, so names that begin with them are made by hand in a store loaded from it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import resource
import stat
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from api.files import atomic_write
from api.labels import head
from api.reports import (
    VERDICT_LABELS,
    Report,
    gap_report,
    overlap_report,
    split_report,
    trace_document,
    trace_report,
    trace_text,
    write_report,
)
from graph import MemoryStore
from graph.analyses import OverlapVerdict, find_gaps, find_overlaps, find_splits
from graph.analyses.trace import trace_case
from graph.ids import case_id
from graph.model import Node
from loaders.sources import load_source
from ontology import NodeKind
from tests.api.test_verdicts import FORESTRY, GENERAL, write_verdict_workbook
from tests.builders import small, write_csv

#: names in the workbook, and what they are renamed to
PAYLOADS = {
    "示例市市场监督管理局": '=HYPERLINK("http://x","y")',
    "示例市商务局": "=cmd|' /C calc'!A0",
    "李强": "+1+1",
    "黄勇": "-2+3",
    "刘洋": "@SUM(A1)",
    "周杰": "-5",  # a negative number as a department wrote it: text, not a number
}
#: names made by hand in the store, beginning with a tab or a carriage return
BY_HAND = {
    '=HYPERLINK("http://x","y")': '\t=HYPERLINK("http://x","y")',
    "示例市政务服务中心": "\r=2+3",
    "张伟": "\r@SUM(A1)",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
AT = date(2025, 1, 1)
CASE = "C-002"  # its stages were handled by 黄勇, 刘洋 and 李强, 张伟 heading the department
KINDS = ("overlaps", "gaps", "splits", "trace")
#: what a terminal acts on, that a table must never pass on (a line feed ends a line of the table)
UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def quanze(*args: str, limit: int | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The `quanze` command in a process of its own; with `limit`, no file it writes may grow past
    that many bytes (RLIMIT_FSIZE: what a full disk does to a write)."""

    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        preexec_fn=limited,
        env={
            **os.environ,
            "PYTHONIOENCODING": "utf-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": str(Path(__file__).parents[2]),
            "COLUMNS": "1000",  # a table as wide as it needs, nothing cut
        },
    )


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sheets = small()
    for rows in sheets.values():
        for row in rows:
            row[:] = [_renamed(value) if isinstance(value, str) else value for value in row]
    return write_csv(tmp_path_factory.mktemp("payloads") / "workbook", sheets)


def _renamed(cell: str) -> str:
    """The cell with each name in it renamed (a cell may list several, as 实施主体 does)."""
    return "、".join(PAYLOADS.get(name, name) for name in cell.split("、"))


@pytest.fixture(scope="module")
def store(workbook: Path) -> MemoryStore:
    store = MemoryStore()
    load_source(workbook, store)
    return store


@pytest.fixture(scope="module")
def by_hand(workbook: Path) -> MemoryStore:
    """The same graph, with names that begin with a tab or a carriage return."""
    store = MemoryStore()
    load_source(workbook, store)
    _rename(store, BY_HAND)
    return store


def _rename(store: MemoryStore, names: dict[str, str]) -> None:
    with store.writer() as writer:
        for kind in (NodeKind.DEPARTMENT, NodeKind.PERSON, NodeKind.POWER_ITEM):
            for node in store.nodes(kind):
                if node.get("name") in names:
                    props = {**node.props, "name": names[node["name"]]}
                    writer.add_node(Node(node.id, node.kind, props, node.origin))


def _report(store: MemoryStore, kind: str) -> Report:
    """The report the command of that name makes (as run below)."""
    if kind == "overlaps":
        return overlap_report(store, find_overlaps(store))
    if kind == "gaps":
        return gap_report(store, find_gaps(store, at=AT))
    if kind == "splits":
        return split_report(store, find_splits(store))
    return trace_report(_trace(store))


def _trace(store: MemoryStore) -> dict[str, Any]:
    found = trace_case(store, case_id(CASE))
    assert found is not None
    return trace_document(store, found)


def _command(kind: str, workbook: Path) -> list[str]:
    if kind == "gaps":
        return ["gaps", str(workbook), "--at", AT.isoformat()]
    if kind == "trace":
        return ["trace", str(workbook), CASE]
    return [kind, str(workbook)]


def _leading(report: Report) -> set[str]:
    """The texts of the report, as a table, a CSV and a workbook show them, that begin as a formula does."""
    return {
        v
        for row in report.shown()
        for v in row.values()
        if isinstance(v, str) and v.startswith(FORMULA_START)
    }


# -- the payloads reach every report ------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_report_has_texts_that_begin_as_formulas(
    store: MemoryStore, by_hand: MemoryStore, kind: str
) -> None:
    """Else the tests below would prove nothing."""
    assert {text[0] for text in _leading(_report(store, kind))} >= {"="}
    assert {text[0] for text in _leading(_report(by_hand, kind))} >= {"\t"}
    everything = set().union(*(_leading(_report(by_hand, k)) for k in KINDS))
    assert {text[0] for text in everything} == set(FORMULA_START)
    assert {"-5", "+1+1", "-2+3", "@SUM(A1)", "\r@SUM(A1)", "\r=2+3"} <= everything


# -- xlsx: text, never a formula ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_xlsx_from_the_command_has_no_formula(
    workbook: Path, store: MemoryStore, kind: str, tmp_path: Path
) -> None:
    out = tmp_path / f"{kind}.xlsx"
    result = quanze(*_command(kind, workbook), "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    _assert_xlsx_as_written(out, _report(store, kind))


@pytest.mark.parametrize("kind", KINDS)
def test_xlsx_keeps_a_leading_tab_and_carriage_return(
    by_hand: MemoryStore, kind: str, tmp_path: Path
) -> None:
    out = tmp_path / f"{kind}.xlsx"
    report = _report(by_hand, kind)
    write_report(report, "xlsx", out)
    _assert_xlsx_as_written(out, report)


def _assert_xlsx_as_written(out: Path, report: Report) -> None:
    """Each sheet has the report's rows of its kind, every text as written and as a text (openpyxl
    and calamine read it so), no cell a formula, numbers as numbers."""
    expected = _sheets(report)
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == list(expected)
    for sheet in workbook:
        cells = list(sheet.iter_rows())
        assert [cell.coordinate for row in cells for cell in row if cell.data_type == "f"] == []
        assert all(cell.data_type == "s" for row in cells for cell in row if isinstance(cell.value, str))
        read = [[_day(cell.value) for cell in row] for row in cells]
        assert read == [[None if v == "" else v for v in row] for row in expected[sheet.title]]
    calamine = CalamineWorkbook.from_path(str(out))
    for name, rows in expected.items():
        read = calamine.get_sheet_by_name(name).to_python()
        width = len(rows[0])
        assert [[_day(v) for v in row] + [""] * (width - len(row)) for row in read] == [
            [
                "" if v is None else float(v) if isinstance(v, int) and not isinstance(v, bool) else v
                for v in row
            ]
            for row in rows
        ]
    assert _leading(report)  # and so texts that begin as formulas came back as texts


def _day(value: Any) -> Any:
    """A date cell as the date it holds (openpyxl and calamine read it as a datetime at midnight)."""
    return value.date() if isinstance(value, datetime) else value


def _sheets(report: Report) -> dict[str, list[list[Any]]]:
    """The report as its workbook should hold it: its sheets, the columns their rows have under their
    Chinese heads."""
    sheets: dict[str, list[list[Any]]] = {}
    for name, rows in report.sheets().items():
        columns, _ = report.sheet_columns(rows)  # those a page prints first
        sheets[name[:31]] = [
            [head(column) for column in columns],
            *([row.get(column) for column in columns] for row in rows),
        ]
    return sheets


# -- csv: prefixed as OWASP says ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_csv_from_the_command_prefixes_formulas(
    workbook: Path, store: MemoryStore, kind: str, tmp_path: Path
) -> None:
    printed = quanze(*_command(kind, workbook), "--format", "csv")
    assert printed.returncode == 0, printed.stderr
    out = tmp_path / f"{kind}.csv"
    written = quanze(*_command(kind, workbook), "--format", "csv", "--out", str(out))
    assert written.returncode == 0, written.stderr
    report = _report(store, kind)
    assert not printed.stdout.startswith("\ufeff")  # for a script: only a file has a BOM, for Excel
    _assert_csv_prefixed(printed.stdout, report)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    _assert_csv_prefixed(out.read_text(encoding="utf-8-sig"), report)


@pytest.mark.parametrize("kind", KINDS)
def test_csv_prefixes_a_leading_tab_and_carriage_return(
    by_hand: MemoryStore, kind: str, tmp_path: Path
) -> None:
    out = tmp_path / f"{kind}.csv"
    report = _report(by_hand, kind)
    write_report(report, "csv", out)
    text = out.read_bytes().decode("utf-8-sig")
    _assert_csv_prefixed(text, report)
    assert any(field.startswith(("'\t", "'\r")) for row in csv.reader(io.StringIO(text)) for field in row)


def _assert_csv_prefixed(text: str, report: Report) -> None:
    """The CSV has every row of the report; a text that begins with = + - @, a tab or a carriage return
    is prefixed with `'`, every other field is as written, numbers as numbers."""
    rows = report.shown()
    columns = list(dict.fromkeys(column for row in rows for column in row))
    expected = [
        [head(column) for column in columns],
        *([_prefixed(row.get(column)) for column in columns] for row in rows),
    ]
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read == expected
    assert not [field for row in read for field in row if field.startswith(FORMULA_START)]
    prefixed = {field for row in read for field in row if field.startswith("'")}
    assert prefixed == {"'" + text for text in _leading(report)}


def _prefixed(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)  # numbers of the analyses, negative ones too, as numbers


def test_a_negative_number_of_the_analyses_stays_a_number_in_csv_and_xlsx(tmp_path: Path) -> None:
    report = Report(
        "gaps", ("kind", "saved days", "name"), [{"kind": "K", "saved days": -3, "name": "-3"}], "kind"
    )
    write_report(report, "csv", tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()[1] == "K,-3,'-3"
    write_report(report, "xlsx", tmp_path / "r.xlsx")
    saved, name = openpyxl.load_workbook(tmp_path / "r.xlsx")["K"][2][1:]
    assert (saved.value, saved.data_type, name.value, name.data_type) == (-3, "n", "-3", "s")


# -- json: as written ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_json_keeps_every_text_as_written(
    workbook: Path, store: MemoryStore, by_hand: MemoryStore, kind: str, tmp_path: Path
) -> None:
    printed = quanze(*_command(kind, workbook), "--format", "json")
    assert printed.returncode == 0, printed.stderr
    out = tmp_path / f"{kind}.json"
    assert quanze(*_command(kind, workbook), "--format", "json", "--out", str(out)).returncode == 0
    expected = _trace(store) if kind == "trace" else _report(store, kind).rows
    assert json.loads(printed.stdout) == json.loads(out.read_text(encoding="utf-8")) == expected
    if kind != "trace":  # the trace's JSON is its document, written by the command (above)
        report = _report(by_hand, kind)
        write_report(report, "json", tmp_path / "by-hand.json")
        assert json.loads((tmp_path / "by-hand.json").read_text(encoding="utf-8")) == report.rows


# -- the table on a terminal: shown, not sent ----------------------------------------------------


#: the names each table shows
SHOWN = {
    "overlaps": ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0"],
    "gaps": ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0"],
    "splits": ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0"],
    "trace": ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"],
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_table_shows_the_names_as_written(workbook: Path, kind: str) -> None:
    result = quanze(*_command(kind, workbook))
    assert result.returncode == 0, result.stderr
    assert not UNPRINTABLE.search(result.stdout)
    assert all(name in result.stdout for name in SHOWN[kind])  # no prefix: a terminal runs nothing


@pytest.mark.parametrize("kind", KINDS)
def test_the_table_shows_a_tab_and_a_carriage_return_as_escapes(
    by_hand: MemoryStore, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")
    stream = io.StringIO()
    if kind == "trace":
        stream.write(trace_text(_trace(by_hand)))
    else:
        write_report(_report(by_hand, kind), "table", stream=stream)
    table = stream.getvalue()
    assert not UNPRINTABLE.search(table)
    assert '\\t=HYPERLINK("http://x","y")' in table
    assert kind == "overlaps" or "\\r=2+3" in table


def test_the_table_never_sends_an_escape_sequence_to_the_terminal(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # a table as wide as it needs, nothing cut
    store = MemoryStore()
    load_source(workbook, store)
    attack = "食品经营许可\x1b]0;owned\x07\x1b[2J\x9b31m\u202e"  # a window title, a clear screen, C1 CSI, RLO
    _rename(store, {"食品经营许可": attack, "张伟": "张\x1b[8m伟"})
    stream = io.StringIO()
    write_report(_report(store, "splits"), "table", stream=stream)
    trace = trace_text(_trace(store))
    for table in (stream.getvalue(), trace):
        assert not UNPRINTABLE.search(table)
    assert "食品经营许可\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202e" in stream.getvalue()
    assert "食品经营许可\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202e" in trace.splitlines()[0]
    assert "张\\x1b[8m伟" in trace
    # JSON keeps it as written; an .xlsx, which XML cannot hold it in, as OOXML's escape (_x001B_)
    # that Excel and calamine read back as the character
    printed = io.StringIO()
    write_report(_report(store, "splits"), "json", stream=printed)
    assert json.loads(printed.getvalue()) == _report(store, "splits").rows
    assert "\\u001b]0;owned" in printed.getvalue()  # JSON's own escape, the character kept
    write_report(_report(store, "splits"), "xlsx", tmp_path / "splits.xlsx")
    read = (
        CalamineWorkbook.from_path(str(tmp_path / "splits.xlsx")).get_sheet_by_name("多部门审批").to_python()
    )
    items = read[0].index("涉及事项")
    assert f"XK-001 {attack}" in {row[items] for row in read[1:]}


# -- files are written whole or not at all -------------------------------------------------------

OLD = b"the report of last week\n"
#: every command that writes a file with --out, and its formats
WRITERS = [
    *((kind, fmt) for kind in ("overlaps", "gaps", "splits") for fmt in ("table", "json", "csv", "xlsx")),
    *(("trace", fmt) for fmt in ("table", "json", "csv", "xlsx")),
    ("export", "turtle"),
    ("export", "jsonld"),
]


def _writer(kind: str, fmt: str, workbook: Path) -> list[str]:
    return [*(_command(kind, workbook) if kind != "export" else ["export", str(workbook)]), "--format", fmt]


@pytest.mark.parametrize(("kind", "fmt"), WRITERS)
def test_a_full_disk_leaves_the_old_file_whole_and_no_temporary_file(
    workbook: Path, kind: str, fmt: str, tmp_path: Path
) -> None:
    out = tmp_path / "report.out"
    out.write_bytes(OLD)
    result = quanze(*_writer(kind, fmt, workbook), "--out", str(out), limit=64)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"quanze: File too large: {out}\n"  # the file asked for, not a temporary one
    assert out.read_bytes() == OLD
    assert [path.name for path in tmp_path.iterdir()] == ["report.out"]


@pytest.mark.parametrize(("kind", "fmt"), WRITERS)
def test_a_file_is_replaced_when_written_whole_and_keeps_its_permissions(
    workbook: Path, kind: str, fmt: str, tmp_path: Path
) -> None:
    out = tmp_path / "report.out"
    out.write_bytes(OLD)
    out.chmod(0o640)
    result = quanze(*_writer(kind, fmt, workbook), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() != OLD and len(out.read_bytes()) > 64
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [path.name for path in tmp_path.iterdir()] == ["report.out"]


def test_the_demo_workbook_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    old = tmp_path / "quanze-demo.xlsx"
    old.write_bytes(OLD)
    result = quanze("demo", "--out", str(tmp_path), limit=4096)
    assert result.returncode == 2 and result.stderr == f"quanze: File too large: {old}\n"
    assert old.read_bytes() == OLD and [path.name for path in tmp_path.iterdir()] == [old.name]
    new = tmp_path / "new"
    assert quanze("demo", "--out", str(new)).returncode == 0
    assert [path.name for path in new.iterdir()] == [old.name]
    assert openpyxl.load_workbook(new / old.name).sheetnames[0] == "部门"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_device_is_written_as_it_is_never_replaced(workbook: Path) -> None:
    result = quanze("splits", str(workbook), "--format", "csv", "--out", "/dev/full")
    assert result.returncode == 2
    assert result.stderr == "quanze: No space left on device: /dev/full\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # still the device, not a file put in its place
    assert not [name for name in os.listdir("/dev") if name.startswith(".full.")]


def test_a_report_that_fails_midway_leaves_the_old_file(tmp_path: Path) -> None:
    """json writes row by row: the first row is in the temporary file when the second cannot be written."""
    out = tmp_path / "gaps.json"
    out.write_bytes(OLD)
    rows = [{"kind": "K", "detail": "x" * 100_000}, {"kind": "K", "detail": object()}]
    with pytest.raises(TypeError, match="not JSON serializable"):
        write_report(Report("gaps", ("kind", "detail"), rows, "kind"), "json", out)
    assert out.read_bytes() == OLD
    assert [path.name for path in tmp_path.iterdir()] == ["gaps.json"]


def test_atomic_write_replaces_only_a_whole_file(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with pytest.raises(RuntimeError), atomic_write(out, encoding="utf-8") as handle:
        handle.write("half")
        handle.flush()
        assert sorted(path.name for path in tmp_path.iterdir())[0].startswith(".out.txt.")
        raise RuntimeError("stopped midway")
    assert list(tmp_path.iterdir()) == []
    with atomic_write(out) as binary:
        binary.write(b"whole")
    assert out.read_bytes() == b"whole" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    link = tmp_path / "link.txt"
    link.symlink_to(out)
    with atomic_write(link, encoding="utf-8") as handle:
        handle.write("through the link")
    assert link.is_symlink() and out.read_text(encoding="utf-8") == "through the link"
    with pytest.raises(FileNotFoundError, match="no-folder"), atomic_write(tmp_path / "no-folder" / "out"):
        pass


# -- the overlaps' verdicts ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small city of the three verdicts (tests/api/test_verdicts.py)."""
    return write_verdict_workbook(tmp_path_factory.mktemp("verdicts") / "seeds.xlsx")


def test_overlap_reports_give_the_verdict_who_should_state_the_boundary_and_why(
    seeds: Path, tmp_path: Path
) -> None:
    store = MemoryStore()
    load_source(seeds, store)
    overlaps = {overlap.id: overlap for overlap in find_overlaps(store, verdicts=None)}
    assert {overlap.verdict for overlap in overlaps.values()} == set(OverlapVerdict)
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"overlaps.{fmt}"
        result = quanze("overlaps", str(seeds), "--verdicts", "all", "--format", fmt, "--out", str(out))
        assert result.returncode == 0, result.stderr
        if fmt == "csv":
            header, *lines = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
            rows = [dict(zip(header, line, strict=True)) for line in lines]
        else:
            sheet = openpyxl.load_workbook(out)["职能交叉"]  # one sheet, an overlap on one row
            header, *lines = [[cell.value or "" for cell in row] for row in sheet.iter_rows()]
            rows = [dict(zip(header, line, strict=True)) for line in lines]
        assert header[0] == "类型" and {"类型代码", "分值", "判定", "判定代码"} <= set(header), fmt
        assert sorted(row["编号"] for row in rows) == sorted(overlaps), fmt
        for row in rows:
            overlap = overlaps[row["编号"]]
            assert row["类型代码"] == "、".join(overlap.kinds), fmt
            assert row["判定"] == VERDICT_LABELS[overlap.verdict], fmt
            assert row["判定代码"] == overlap.verdict.value, fmt
            assert row["判定理由"] == overlap.reason and row["证据"].endswith(overlap.reason), fmt
            general = f"边界应由{FORESTRY}写明：{GENERAL} 对生产经营假种子的处罚"
            assert row["应写明边界"] == (general if overlap.verdict is OverlapVerdict.BOUNDARY else ""), fmt


def test_the_views_name_the_verdicts_as_the_reports_do() -> None:
    labels = (Path(__file__).parents[2] / "api" / "static" / "js" / "labels.js").read_text(encoding="utf-8")
    found = re.search(r"OVERLAP_VERDICTS = \{(.*?)\}", labels, re.DOTALL)
    assert found, "api/static/js/labels.js has no OVERLAP_VERDICTS"
    assert dict(re.findall(r'(\w+): "([^"]+)"', found.group(1))) == {
        verdict.value: label for verdict, label in VERDICT_LABELS.items()
    }
    assert set(VERDICT_LABELS) == set(OverlapVerdict)
