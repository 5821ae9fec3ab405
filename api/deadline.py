"""A request's deadline: when its time is up, and the error that ends its work then.

A request runs in a worker thread, which nothing can stop from outside: when the service has
answered TIMEOUT, the thread must stop by itself. So the request's `Deadline` is checked wherever
its work goes on (the loaders of `api.context`, every page of `api.types.paging`, the resolvers that
work through a list of their own, the wait for an analysis in `api.cache`) and raises
`DeadlineExceeded`, which ends the execution at the next check instead of letting it run to the end.

    deadline = Deadline.after(15.0)
    deadline.check()                                    # raises DeadlineExceeded once 15 s have passed
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from graphql import GraphQLError

__all__ = ["Deadline", "DeadlineExceeded"]


class DeadlineExceeded(GraphQLError):
    """The request's time is up: raised at the next check, so that its thread stops working."""

    def __init__(self, timeout: float | None) -> None:
        limit = f" than {timeout:g} s" if timeout is not None else ""
        super().__init__(f"the query took longer{limit}; ask for less", extensions={"code": "TIMEOUT"})


@dataclass(frozen=True, slots=True)
class Deadline:
    """When a request's time is up, on the monotonic clock; `Deadline()` never is.

    >>> Deadline().remaining() is None
    True
    >>> Deadline.after(0.0).check()
    Traceback (most recent call last):
    api.deadline.DeadlineExceeded: the query took longer than 0 s; ask for less
    """

    at: float | None = None
    timeout: float | None = None  # the seconds it was set for, for the message

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        """The deadline `seconds` from now."""
        return cls(time.monotonic() + seconds, seconds)

    def remaining(self) -> float | None:
        """Seconds left (0 when past), or None without a deadline."""
        return None if self.at is None else max(0.0, self.at - time.monotonic())

    def check(self) -> None:
        """Raise `DeadlineExceeded` when the time is up."""
        if self.at is not None and time.monotonic() >= self.at:
            raise DeadlineExceeded(self.timeout)

    def exceeded(self) -> DeadlineExceeded:
        """The error to raise when waiting for something ran out of time."""
        return DeadlineExceeded(self.timeout)
