"""Pausing Python's cyclic garbage collector around work that makes many objects and no cycles.

An analysis of a province makes millions of small tuples, lists and dicts that live until it
returns and form no cycles. Each of them counts towards the collector's next pass, and its full
passes walk every object alive, the loaded graph's millions included, to find nothing: a third of
the time of `find_gaps` on 100,000 items (bench/analyses.py). `collector_paused` turns the
collector off for the length of a call and on again when the last call that paused it returns,
so that calls in several threads (the service runs queries in worker threads) do not turn it on
under each other. Reference counting still frees everything as usual; only cycles wait.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = ["collector_paused", "pausing_collector"]

_lock = threading.Lock()
_pausers = 0
_was_enabled = False

_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector is off inside the block, unless another thread still needs it off,
    and afterwards as it was before the first block began."""
    global _pausers, _was_enabled
    with _lock:
        if _pausers == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausers += 1
    try:
        yield
    finally:
        with _lock:
            _pausers -= 1
            if _pausers == 0 and _was_enabled:
                gc.enable()


def pausing_collector(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """`function`, run with the collector paused (see `collector_paused`)."""

    @functools.wraps(function)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with collector_paused():
            return function(*args, **kwargs)

    return paused
