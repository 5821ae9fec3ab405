"""Work in a forked second process (graph/elsewhere.py), and the gaps that use it.

Forking happens only in a process with one thread, which a test runner is not always: the forking
cases run in a fresh interpreter of their own (`python -c`), as the command line would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading

from graph.elsewhere import in_a_second_process


def run_alone(code: str) -> str:
    """Run `code` in a fresh single-threaded interpreter; return what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_work_is_done_in_a_child_and_its_answer_comes_back() -> None:
    printed = run_alone(
        """
        import os
        from graph.elsewhere import in_a_second_process
        pending = in_a_second_process(lambda: (os.getpid(), [n * n for n in range(100_000)]))
        pid, squares = pending.result()
        print(pending.elsewhere, pid != os.getpid(), squares[-1] == 99_999 ** 2, len(squares))
        """
    )
    assert printed == "False True True 100000"  # `elsewhere` is False once the result is in


def test_a_child_that_fails_leaves_the_work_to_be_done_here_where_its_error_shows() -> None:
    printed = run_alone(
        """
        import os
        from graph.elsewhere import in_a_second_process
        parent = os.getpid()
        def work():
            if os.getpid() != parent:
                raise RuntimeError("only in the child")
            return "done here"
        print(in_a_second_process(work).result())
        def broken():
            raise ValueError("a real error")
        try:
            in_a_second_process(broken).result()
        except ValueError as error:
            print("raised:", error)
        """
    )
    assert printed.splitlines() == ["done here", "raised: a real error"]


def test_a_child_no_longer_wanted_is_stopped() -> None:
    printed = run_alone(
        """
        import os, time
        from graph.elsewhere import in_a_second_process
        pending = in_a_second_process(lambda: time.sleep(60))
        child = pending._child
        pending.cancel()
        try:
            os.kill(child, 0)
            print("still there")
        except ProcessLookupError:
            print("gone")
        """
    )
    assert printed == "gone"


def test_a_process_with_threads_does_the_work_in_place() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        pending = in_a_second_process(os.getpid)
        assert not pending.elsewhere
        assert pending.result() == os.getpid()
    finally:
        stop.set()
        other.join()


def test_gaps_with_charters_matched_in_a_second_process_are_the_same() -> None:
    printed = run_alone(
        """
        from datetime import date
        import graph.analyses.gaps as gaps
        from graph.memory import MemoryStore
        from loaders.demo import DEMO_WORKBOOK
        from loaders.workbook import load_workbook
        store = MemoryStore()
        load_workbook(DEMO_WORKBOOK, store)
        here = gaps.find_gaps(store, at=date(2025, 6, 1))
        forked = []
        def watched(work, real=gaps.in_a_second_process):
            pending = real(work)
            forked.append(pending.elsewhere)
            return pending
        gaps.in_a_second_process = watched
        gaps.SECOND_PROCESS_FROM = 0
        there = gaps.find_gaps(store, at=date(2025, 6, 1))
        kinds = {gap.kind.value for gap in there}
        print(forked, here == there, {"FUNCTION_NOT_EXERCISED", "POWER_OUTSIDE_MANDATE"} <= kinds)
        """
    )
    assert printed == "[True] True True"
