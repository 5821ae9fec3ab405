"""The analyses' results, kept per store version and shared by every request.

Requests filter a cached list instead of re-running an analysis; a write to the
store changes its version, and so empties the cache.

    cache = AnalysisCache(store)
    cache.overlaps()          # computed once per store version
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from graph.analyses import Gap, Overlap, SplitApproval, find_gaps, find_overlaps, find_splits
from graph.analyses.staffing import Staffing, staffing_figures
from graph.store import GraphReader

__all__ = ["AnalysisCache"]

T = TypeVar("T")


class AnalysisCache:
    """The full result of each analysis for the store's current version, shared by every request."""

    def __init__(self, reader: GraphReader) -> None:
        self.reader = reader
        self._lock = threading.Lock()
        self._results: dict[tuple[Any, ...], Any] = {}
        self._version: int | None = None

    def overlaps(self) -> list[Overlap]:
        return self._cached(("overlaps",), lambda: find_overlaps(self.reader))

    def gaps(self, at: date) -> list[Gap]:
        return self._cached(("gaps", at), lambda: find_gaps(self.reader, at=at))

    def staffing(self, at: date) -> dict[str, Staffing]:
        return self._cached(("staffing", at), lambda: staffing_figures(self.reader, at=at))

    def splits(self) -> list[SplitApproval]:
        return self._cached(("splits",), lambda: find_splits(self.reader, min_departments=1))

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        version = self.reader.version
        with self._lock:
            if version != self._version:
                self._results.clear()
                self._version = version
            if key not in self._results:
                if len(self._results) > 64:  # many reference dates: keep memory bounded
                    self._results.clear()
                self._results[key] = compute()
            result: T = self._results[key]
            return result
