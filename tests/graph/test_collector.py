"""The collector is paused for the length of the calls that pause it, across threads, and restored."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from graph.collector import collector_paused, pausing_collector


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_it_comes_back_on_after_an_error() -> None:
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_the_first_thread_to_finish_does_not_turn_it_on_under_another() -> None:
    gc.enable()
    inside, leave = threading.Event(), threading.Event()
    seen: list[bool] = []

    @pausing_collector
    def long_call() -> None:
        inside.set()
        leave.wait(10)
        seen.append(gc.isenabled())

    thread = threading.Thread(target=long_call)
    thread.start()
    assert inside.wait(10)
    with collector_paused():
        pass  # a short call in this thread ends while the long one runs
    assert not gc.isenabled()
    leave.set()
    thread.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_the_decorated_function_keeps_its_name_and_result() -> None:
    @pausing_collector
    def add(a: int, b: int) -> int:
        """Add."""
        return a + b

    assert add(2, 3) == 5
    assert add.__name__ == "add"
    assert add.__doc__ == "Add."
