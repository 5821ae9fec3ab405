"""Long work draws a progress bar on a terminal and stays quiet when output is not one (shared/spec/cli.md).

The command runs in a real pseudo-terminal (os.openpty) for its stderr, its stdout a pipe, as when a
user redirects a report to a file and watches the bar.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys

from graph import progress
from loaders.demo import DEMO_WORKBOOK


def run_with_terminal(*args: str) -> tuple[int, str, bytes]:
    """Run `quanze ARGS` with stderr on a pseudo-terminal; return its exit code, stdout and what the
    terminal showed."""
    primary, secondary = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args],
        stdout=subprocess.PIPE,
        stderr=secondary,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    os.close(secondary)
    shown = bytearray()
    stdout = bytearray()
    assert process.stdout is not None
    streams = {primary: shown, process.stdout.fileno(): stdout}
    while streams:
        ready, _, _ = select.select(list(streams), [], [], 120)
        assert ready, "quanze gave no output for two minutes"
        for stream in ready:
            try:
                chunk = os.read(stream, 65536)
            except OSError:  # the terminal is closed when the process ends
                chunk = b""
            if chunk:
                streams[stream].extend(chunk)
            else:
                del streams[stream]
    os.close(primary)
    return process.wait(timeout=60), stdout.decode("utf-8"), bytes(shown)


def test_a_terminal_sees_the_bar_of_each_piece_of_work_and_the_report_is_untouched() -> None:
    code, stdout, shown = run_with_terminal("gaps", str(DEMO_WORKBOOK), "--format", "json")

    assert code == 0
    assert b"reading quanze-demo.xlsx [" in shown
    assert b"finding gaps [" in shown
    assert shown.endswith(b"\r\x1b[K")  # wiped when done
    gaps = json.loads(stdout)  # nothing of the bar went into the report
    assert gaps and {"kind", "detail"} <= set(gaps[0])


def test_output_that_is_not_a_terminal_gets_no_bar() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "overlaps", str(DEMO_WORKBOOK), "--format", "json"],
        capture_output=True,
        timeout=120,
    )

    assert done.returncode == 0
    assert done.stderr == b""
    assert json.loads(done.stdout)


def test_analyses_report_their_steps_to_whoever_listens() -> None:
    from graph.analyses import find_splits
    from graph.memory import MemoryStore
    from loaders.workbook import load_workbook

    store = MemoryStore()
    heard: list[tuple[str, int, int]] = []
    with progress.showing(lambda what, done, total: heard.append((what, done, total))):
        load_workbook(DEMO_WORKBOOK, store)
        find_splits(store)
    progress.step("nobody hears this", 1, 2)

    reading = [(done, total) for what, done, total in heard if what == "reading quanze-demo.xlsx"]
    splitting = [(done, total) for what, done, total in heard if what == "finding split approvals"]
    assert reading[-1][0] == reading[-1][1] > 0
    assert [done for done, _ in reading] == sorted(done for done, _ in reading)
    assert splitting == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert all(what != "nobody hears this" for what, _, _ in heard)
