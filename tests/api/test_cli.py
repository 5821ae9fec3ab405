"""The `quanze` command as a user runs it: a real process, its output and its exit code."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import rdflib

from api.cli import main
from graph.rdf import validate
from tests.api.test_verdicts import (
    BOUNDARY,
    DIVIDED,
    FORESTRY,
    GENERAL,
    SAME,
    VERDICTS,
    write_verdict_workbook,
)
from tests.builders import small, write_xlsx
from tests.loaders.test_published import COUNTS, DUPLICATE, LISTS


def quanze(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        env={
            **os.environ,
            "PYTHONIOENCODING": "utf-8",
            "COLUMNS": "160",
        },  # tables as wide whatever runs them
    )


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_xlsx(tmp_path_factory.mktemp("cli") / "small.xlsx", small())


def test_check_passes_a_good_workbook(workbook: Path) -> None:
    result = quanze("check", str(workbook))
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


def test_check_lists_every_problem_and_exits_1_without_a_traceback(tmp_path: Path) -> None:
    sheets = small()
    sheets["任职"][1][4] = "2019-12-31"
    sheets["权责清单"][2][4] = "示例市环保局"
    path = write_xlsx(tmp_path / "bad.xlsx", sheets)
    result = quanze("check", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}, sheet 任职, row 2, column 任职结束 (E): is before the start 2020-01-01" in result.stderr
    assert f"{path}, sheet 权责清单, row 3, column 实施主体 (E): names an unknown department" in result.stderr


def test_a_missing_workbook_is_a_clear_error(tmp_path: Path) -> None:
    result = quanze("check", str(tmp_path / "nothing.xlsx"))
    assert result.returncode == 1
    assert "no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not LISTS.is_dir(), reason="the shared data is not there")
def test_check_of_a_folder_of_published_lists_prints_a_line_per_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(LISTS)]) == 0
    out = capsys.readouterr().out
    header, _, *lines = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in out.splitlines()
        if line.startswith("|")
    ]
    files = sorted(path.name for path in LISTS.iterdir() if path.suffix in (".xls", ".xlsx"))
    table = {cells[0]: dict(zip(header[1:], cells[1:], strict=False)) for cells in lines}
    assert sorted(table) == files and len(lines) == len(files) == 17
    for name, (items, sub_items, other_levels, _, titled, rows) in COUNTS.items():
        row = table[name]
        counted = ("rows read", "items", "sub-items", "other levels", "basis 《》 cells", "not placed")
        assert [row[column] for column in counted] == [
            str(n) for n in (rows, items, sub_items, other_levels, titled, 0)
        ], name
    copy, first = DUPLICATE
    assert table[copy]["rows read"] == f"same file as {first}: read once"
    assert f"{LISTS}: 19 Department, 0 Unit, 0 Post, 2373 PowerItem, 0 Case, " in out


def test_query_prints_the_response_and_types_variables_by_the_query(workbook: Path) -> None:
    query = "query($code: String!) { powerItem(code: $code) { name statutoryDays } }"
    result = quanze("query", str(workbook), query, "--var", "code=XK-001")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"data": {"powerItem": {"name": "食品经营许可", "statutoryDays": 20}}}


def test_query_reads_the_query_from_standard_input(workbook: Path) -> None:
    result = quanze("query", str(workbook), "-", stdin="{ departments { totalCount } }")
    assert json.loads(result.stdout)["data"]["departments"]["totalCount"] == 4


def test_query_role_rules_hold_on_the_command_line(workbook: Path) -> None:
    query = '{ department(name: "示例市商务局") { posts { holders { person { name } } } } }'
    public = quanze("query", str(workbook), query)
    assert public.returncode == 1
    assert json.loads(public.stdout)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "赵敏" not in public.stdout
    staffing = quanze("query", str(workbook), query, "--role", "staffing")
    assert staffing.returncode == 0
    assert "赵敏" in staffing.stdout
    unknown = quanze("query", str(workbook), query, "--role", "mayor")
    assert unknown.returncode == 2
    assert "unknown role 'mayor'" in unknown.stderr


def test_export_turtle_passes_the_shapes(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "small.ttl"
    result = quanze("export", str(workbook), "--format", "turtle", "--out", str(out))
    assert result.returncode == 0, result.stderr
    graph = rdflib.Graph().parse(out, format="turtle")
    conforms, report = validate(graph)
    assert conforms, report
    assert len(graph) > 300


def test_export_jsonld_without_personal_data(workbook: Path) -> None:
    result = quanze("export", str(workbook), "--format", "jsonld", "--no-personal")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)
    assert "张伟" not in result.stdout


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small city of the three verdicts (tests/api/test_verdicts.py)."""
    return write_verdict_workbook(tmp_path_factory.mktemp("verdicts") / "seeds.xlsx")


def _verdicts_of(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """The verdict of each overlap a JSON report lists, by its items' codes."""
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    return {"+".join(sorted(item.split(" ")[0] for item in row["items"])): row["verdict"] for row in rows}


def test_overlaps_leaves_the_divisions_out_unless_asked_for_every_verdict(seeds: Path) -> None:
    default = _verdicts_of(quanze("overlaps", str(seeds), "--format", "json"))
    every = _verdicts_of(quanze("overlaps", str(seeds), "--format", "json", "--verdicts", "all"))
    assert every == {"+".join(sorted(codes)): verdict for codes, verdict in VERDICTS.items()}
    assert default == {pair: verdict for pair, verdict in every.items() if verdict != "DIVIDED"}
    named = quanze("overlaps", str(seeds), "--format", "json", "--verdicts", "OVERLAP,BOUNDARY")
    assert _verdicts_of(named) == default
    divided = _verdicts_of(quanze("overlaps", str(seeds), "--format", "json", "--verdicts", "DIVIDED"))
    assert divided == {pair: verdict for pair, verdict in every.items() if verdict == "DIVIDED"}


@pytest.mark.parametrize("value", ["SIMILAR", "OVERLAP,divided", ","])
def test_a_verdict_the_command_does_not_know_names_the_valid_ones(seeds: Path, value: str) -> None:
    result = quanze("overlaps", str(seeds), "--verdicts", value)
    assert result.returncode == 2
    assert "argument --verdicts:" in result.stderr
    assert "one or more of OVERLAP, BOUNDARY, DIVIDED, or all" in result.stderr
    assert "Traceback" not in result.stderr and not result.stdout


def test_the_overlaps_table_shows_the_verdict_in_chinese_and_who_should_state_the_boundary(
    seeds: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # a table as wide as it needs, nothing cut
    assert main(["overlaps", str(seeds), "--verdicts", "all"]) == 0
    header, _, *lines, count = capsys.readouterr().out.splitlines()
    assert header.split()[:3] == ["类型", "分值", "判定"] and count == "共 3 条交叉"
    by_item = {code: line for line in lines for code in re.findall(r"[A-Z]{2}-[A-Z]{2}-\d\d", line)}
    assert " 交叉 " in by_item[SAME[0]] and " 已分工 " in by_item[DIVIDED[0]]
    boundary = by_item[BOUNDARY[0]]
    assert " 边界未明 " in boundary
    assert f"边界应由{FORESTRY}写明：{GENERAL} 对生产经营假种子的处罚" in boundary
    assert "判定为边界未明" in boundary  # the reason, in a column of its own


def test_demo_writes_a_workbook_that_checks_clean(tmp_path: Path) -> None:
    result = quanze("demo", "--out", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "demo").iterdir())
    assert "quanze-demo.xlsx" in written
    for name in written:
        checked = quanze("check", str(tmp_path / "demo" / name))
        assert checked.returncode == 0, checked.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_health_and_a_query_on_the_demo() -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "quanze serve did not answer within 60 s"
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        response = httpx.post(f"{base}/graphql", json={"query": "{ departments(first: 5) { totalCount } }"})
        assert response.json()["data"]["departments"]["totalCount"] >= 40
    finally:
        server.terminate()
        _, log = server.communicate(timeout=20)
    # uvicorn shuts down cleanly on SIGTERM, then re-raises the signal so the exit status tells why
    assert server.returncode in (0, -15), log
    assert "Application shutdown complete" in log
