"""How far long work has got, for whoever shows it; nobody, unless a caller asks.

Loading a province or analysing it takes minutes. The loaders, the analyses and the Neo4j writer
call `step(what, done, total)` as they go; the call costs a context-variable read when nobody
listens. The command line listens on a terminal (`showing`, with its bar in api/cli.py), and
stays quiet when its output is not one (shared/spec/cli.md). `what` names the work, never the
data: no person's name ever passes through here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["Listener", "showing", "step"]

#: told (what is being done, how much of it is done, how much there is in all)
Listener = Callable[[str, int, int], None]

_listener: ContextVar[Listener | None] = ContextVar("quanze_progress", default=None)


def step(what: str, done: int, total: int) -> None:
    """Say that `done` of `total` parts of `what` are done."""
    listener = _listener.get()
    if listener is not None:
        listener(what, done, total)


@contextmanager
def showing(listener: Listener) -> Iterator[None]:
    """Tell `listener` of the progress of the work done in this context (in this thread)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
