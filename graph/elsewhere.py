"""Work done in a forked second process, on a second core, while this one goes on.

An analysis of a province is pure Python over a graph already in memory, so one core does all of
it while the machine has two or more. `in_a_second_process(work)` forks: the child inherits the
graph without copying it (its pages are shared until written), does `work`, sends the pickled
answer back through a pipe and exits; `Pending.result()` reads it. If the child fails, the work is
done again in this process, where its error shows itself as usual.

Only a process with one thread forks (the command line, a benchmark): the child of a threaded
process (the service) could inherit a lock that another thread held. Elsewhere, and where there is
no `fork`, the work is simply done in place when its result is asked for.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Pending", "in_a_second_process"]

_T = TypeVar("_T")


class Pending(Generic[_T]):
    """The result of some work, done in a second process or, failing that, when asked for."""

    def __init__(self, work: Callable[[], _T], child: int | None = None, pipe: int | None = None) -> None:
        self._work = work
        self._child = child
        self._pipe = pipe

    @property
    def elsewhere(self) -> bool:
        """Whether the work is being done in a second process."""
        return self._child is not None

    def result(self) -> _T:
        """The work's result: the child's, or the work done here if there is no child or it failed."""
        if self._child is None or self._pipe is None:
            return self._work()
        with os.fdopen(self._pipe, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._child, 0)
        self._child = self._pipe = None
        if status != 0 or not data:
            return self._work()
        answer: _T = pickle.loads(data)
        return answer

    def cancel(self) -> None:
        """Stop the child if it is still at work (when the caller no longer wants the result)."""
        if self._child is not None and self._pipe is not None:
            os.kill(self._child, signal.SIGKILL)
            os.waitpid(self._child, 0)
            os.close(self._pipe)
            self._child = self._pipe = None


def in_a_second_process(work: Callable[[], _T]) -> Pending[_T]:
    """Start `work` in a forked child when this process may fork; see the module's docstring."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return Pending(work)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: do the work, hand it over, and leave without running any clean-up
        code = 1
        try:
            os.close(read)
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return Pending(work, child, read)
