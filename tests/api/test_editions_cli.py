"""Editions from the command line: `quanze load|serve SOURCE --edition LABEL`, `quanze diff`, `quanze
audit` and `quanze export --ledger`, on the demo workbook and a changed copy of it for 2025 (an
item gone, so an overlap goes with it: a rectification of it is verified)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import rdflib
from rdflib.namespace import PROV, RDF

from api.cli import main
from api.labels import head
from graph import MemoryStore
from graph.analyses import find_overlaps
from graph.ledger import AUDIT_COLUMNS, ReviewStatus, SQLiteLedger
from loaders.demo import DEMO_WORKBOOK
from loaders.sources import load_source
from tests.builders import small, write_xlsx
from tests.ledger.conftest import empty_neo4j_ledger, neo4j_settings
from tests.stores import free_port

#: an item of the demo in no merged row and needed by no other sheet; gone from the 2025 copy
GONE = "CF-511900030-001"
REVIEWER = "王芳"


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo as `quanze demo` writes it (2024), and a copy without the item `GONE` (2025)."""
    folder = tmp_path_factory.mktemp("editions")
    assert main(["demo", "--out", str(folder / "2024")]) == 0
    first = folder / "2024" / DEMO_WORKBOOK.name
    book = openpyxl.load_workbook(first)
    sheet = book["权责清单"]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == GONE)
    for cell in row:
        cell.value = None
    (folder / "2025").mkdir()
    second = folder / "2025" / DEMO_WORKBOOK.name
    book.save(second)
    return first, second


@pytest.fixture
def ledger_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the test's ledger is; no other ledger (QUANZE_LEDGER, the user's data folder) is touched."""
    monkeypatch.delenv("QUANZE_LEDGER", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "ledger.sqlite3"


def _load(source: Path, label: str, ledger: Path) -> int:
    return main(["load", str(source), "--store", "memory", "--edition", label, "--ledger", str(ledger)])


def _gone_overlap(source: Path) -> str:
    """The id of the overlap of the demo whose item `GONE` the 2025 copy drops."""
    store = MemoryStore()
    load_source(source, store)
    code_of = {item: store.node(item)["code"] for overlap in find_overlaps(store) for item in overlap.items}
    found = [o.id for o in find_overlaps(store) if GONE in {code_of[item] for item in o.items}]
    assert found, f"no overlap of {GONE} in the demo"
    return found[0]


def test_a_load_records_an_edition_and_a_restart_records_nothing(
    editions: tuple[Path, Path], ledger_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = editions
    assert _load(first, "2024", ledger_file) == 0
    assert "recorded edition 2024" in capsys.readouterr().err
    ledger = SQLiteLedger(ledger_file)
    [edition] = ledger.editions()
    assert [source.name for source in edition.sources] == [first.name]
    assert len(edition.sources[0].sha256) == 64 and edition.items == len(ledger.items("2024")) > 2000
    findings = ledger.findings("2024")
    assert {finding.partition(":")[0] for finding in findings} == {"overlap", "gap", "split"}
    assert _gone_overlap(first) in findings

    assert _load(first, "2024", ledger_file) == 0  # the same files again: a restart
    assert "recorded already from these files" in capsys.readouterr().err
    assert len(ledger.editions()) == 1 and len(ledger.audit()) == 1

    assert _load(second, "2024", ledger_file) == 2  # the label with other files
    error = capsys.readouterr().err
    assert "recorded from other files" in error and f"{second.name} changed" in error
    assert "Traceback" not in error and len(ledger.editions()) == 1
    ledger.close()


def test_the_next_edition_verifies_a_rectification_and_diffs_the_two(
    editions: tuple[Path, Path], ledger_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = editions
    gone = _gone_overlap(first)
    assert _load(first, "2024", ledger_file) == 0
    ledger = SQLiteLedger(ledger_file)
    kept = next(
        finding for finding in ledger.findings("2024") if finding.startswith("overlap:") and finding != gone
    )
    ledger.review(gone, "RECTIFYING", role="staffing", reviewer=REVIEWER, deadline=date(2099, 1, 1))
    ledger.review(kept, "CONFIRMED", role="staffing", reviewer=REVIEWER)
    assert _load(second, "2025", ledger_file) == 0
    assert "1 reviews set by the load" in capsys.readouterr().err
    current = ledger.current()
    assert (current[gone].status, current[gone].edition) == (ReviewStatus.RECTIFIED, "2025")
    assert current[kept].status is ReviewStatus.CONFIRMED

    assert main(["diff", "2024", "2025", "--ledger", str(ledger_file), "--format", "json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    assert [item["code"] for item in diff["removed"]] == [GONE]
    assert diff["added"] == [] and diff["changed"] == []
    assert gone in diff["findingsResolved"] and kept not in diff["findingsResolved"]

    out = tmp_path / "diff.csv"
    assert (
        main(["diff", "2024", "2025", "--ledger", str(ledger_file), "--format", "csv", "--out", str(out)])
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {row["变化"] for row in rows} == {"取消事项", "已消失的问题"}
    assert [row["编码"] for row in rows if row["变化"] == "取消事项"] == [GONE]

    sheet = tmp_path / "diff.xlsx"
    assert (
        main(["diff", "2024", "2025", "--ledger", str(ledger_file), "--format", "xlsx", "--out", str(sheet)])
        == 0
    )
    book = openpyxl.load_workbook(sheet)
    assert set(book.sheetnames) == {"取消事项", "已消失的问题"}
    cells = [cell for row in book["已消失的问题"].iter_rows() for cell in row]
    assert all(cell.data_type in ("s", "n") for cell in cells)  # text, never a formula
    assert gone in {cell.value for cell in cells}

    assert main(["diff", "2024", "2026", "--ledger", str(ledger_file)]) == 2
    assert "edition '2026' is not recorded" in capsys.readouterr().err
    ledger.close()


def test_the_audit_log_exports_as_csv_and_the_ledger_is_found_by_its_variable(
    editions: tuple[Path, Path],
    ledger_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, _ = editions
    monkeypatch.setenv("QUANZE_LEDGER", str(ledger_file))
    assert main(["load", str(first), "--store", "memory", "--edition", "2024"]) == 0
    ledger = SQLiteLedger(ledger_file)
    finding = ledger.findings("2024")[0]
    ledger.review(finding, "DISMISSED", role="staffing", reviewer="=HYPERLINK(1)", note="属正常分工")
    ledger.close()
    capsys.readouterr()
    assert main(["audit", "--format", "csv"]) == 0
    header, *rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert tuple(header) == tuple(head(column) for column in AUDIT_COLUMNS)
    assert [(row[1], row[3], row[4]) for row in rows] == [
        ("system", "edition", "2024"),
        ("'=HYPERLINK(1)", "review", finding),  # a spreadsheet shows it, never runs it
    ]
    assert json.loads(rows[1][6])["note"] == "属正常分工"


def test_export_carries_the_ledger_as_prov_activities_and_leaves_out_reviewers_on_request(
    editions: tuple[Path, Path], ledger_file: Path, tmp_path: Path
) -> None:
    first, _ = editions
    assert _load(first, "2024", ledger_file) == 0
    ledger = SQLiteLedger(ledger_file)
    finding = ledger.findings("2024")[0]
    ledger.review(finding, "CONFIRMED", role="staffing", reviewer=REVIEWER)
    ledger.close()
    workbook = write_xlsx(tmp_path / "small.xlsx", small())  # any graph: the ledger is exported beside it
    for personal, flags in ((True, []), (False, ["--no-personal"])):
        out = tmp_path / f"graph-{personal}.ttl"
        assert main(["export", str(workbook), "--ledger", str(ledger_file), "--out", str(out), *flags]) == 0
        graph = rdflib.Graph().parse(out, format="turtle")
        activities = set(graph.subjects(RDF.type, PROV.Activity))
        assert any(str(subject).endswith("/edition/2024") for subject in activities)
        [review] = [subject for subject in activities if "/review/" in str(subject)]
        assert str(graph.value(review, PROV.used)).endswith(finding)
        assert (REVIEWER in out.read_text(encoding="utf-8")) is personal


def test_serve_records_the_edition_once_across_a_restart(
    editions: tuple[Path, Path], ledger_file: Path
) -> None:
    first, _ = editions
    for said in ("recorded edition 2024", "recorded already from these files"):
        log = _serve_until_up(first, ledger_file)
        assert said in log, log
    ledger = SQLiteLedger(ledger_file)
    assert [edition.label for edition in ledger.editions()] == ["2024"]
    ledger.close()


def _serve_until_up(source: Path, ledger: Path) -> str:
    """Run `quanze serve SOURCE --edition 2024 --ledger LEDGER` until it serves; stop it; its stderr."""
    command = ["serve", str(source), "--port", str(free_port()), "--edition", "2024", "--ledger", str(ledger)]
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", *command],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    lines: list[str] = []
    deadline = time.monotonic() + 120
    try:
        assert server.stderr is not None
        while not any("serving" in line for line in lines):
            line = server.stderr.readline()
            assert line or server.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "quanze serve did not start within 120 s"
            lines.append(line)
    finally:
        server.terminate()
        server.communicate(timeout=30)
    return "".join(lines)


@pytest.mark.neo4j
def test_load_into_neo4j_records_the_edition_in_the_database(
    editions: tuple[Path, Path],
    neo4j_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, second = editions
    empty_neo4j_ledger(neo4j_settings(neo4j_uri))
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    neo4j = ["--store", "neo4j"]
    assert main(["load", str(first), *neo4j, "--replace", "--edition", "2024"]) == 0
    assert main(["load", str(second), *neo4j, "--replace", "--edition", "2024"]) == 2  # other files
    assert "recorded from other files" in capsys.readouterr().err
    assert main(["load", str(second), *neo4j, "--replace", "--edition", "2025"]) == 0
    capsys.readouterr()
    assert main(["diff", "2024", "2025", *neo4j, "--format", "json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    assert [item["code"] for item in diff["removed"]] == [GONE] and diff["findingsResolved"]
