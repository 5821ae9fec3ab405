"""The analyses' results, computed once per store version in the background and shared by every request.

Requests filter a cached list instead of re-running an analysis; a write to the
store changes its version, and so starts the cache afresh.

An analysis of a large graph takes longer than a request may: it runs in a
worker thread of the cache, never in a request's thread, and once per key and
store version however many requests ask for it. A request waits for it at most
until its own deadline and then answers TIMEOUT, while the computation goes on
for whoever asks next. After `start()` (the service calls it when it starts)
the analyses the views need — overlaps, split approvals, today's gaps and
staffing figures, and the case index — are computed without waiting for a request, now and whenever
the store's version changes; `pending()` says which of them are not ready yet.
The evaluation of a date (`api.evaluation`: every department's computed
indicators and the warnings) is computed on its first ask, once per version and
date, like the gaps of another date than today, taking the overlaps, split
approvals and gaps of its date the cache already holds instead of computing them
again. The case index (`graph.analyses.cases`) is built on the first search of a
version, in a worker like the rest: seconds at a million cases, so not for a
view that may never search.

    cache = AnalysisCache(store)
    cache.start()                                  # the current version's analyses, in the background
    cache.overlaps()                               # waits for them (once computed, at once)
    cache.overlaps(Deadline.after(2.0))            # waits 2 s at most, then raises DeadlineExceeded

A request sees the cache through `Analyses` (its context's `cache`): with
`defer`, a result not ready yet raises `AnalysisPending` instead of blocking the
request's thread, and the service awaits the computation on its event loop and
runs the query again — so requests waiting for an analysis hold no thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphql import GraphQLError

from api.deadline import Deadline
from api.evaluation import Evaluated, evaluate
from graph.analyses import Gap, Overlap, SplitApproval
from graph.analyses.cases import CaseIndex, build_case_index
from graph.analyses.partitions import (
    Analysed,
    AnalysisRequest,
    analyse,
    partitioned_gaps,
    partitioned_overlaps,
    partitioned_splits,
)
from graph.analyses.staffing import Staffing, staffing_figures
from graph.analyses.supervision import Transfer, find_transfers
from graph.errors import QuanzeError
from graph.ledger import FindingKind
from graph.store import GraphReader

__all__ = ["Analyses", "AnalysesBusy", "AnalysisCache", "AnalysisPending"]

log = logging.getLogger("quanze.api")

Key = tuple[Any, ...]

#: results kept per version beyond the eager ones (gaps and staffing on other dates): older ones go first
MAX_KEPT = 64
#: seconds a worker thread waits for work before it ends (another starts when there is work again)
IDLE_SECONDS = 30.0


class AnalysesBusy(GraphQLError):
    """Too many analyses wait to be computed already: the request is refused rather than queued."""

    def __init__(self, waiting: int) -> None:
        super().__init__(
            f"the service is computing {waiting} analyses already; ask again in a while",
            extensions={"code": "TIMEOUT"},
        )


class AnalysisPending(Exception):
    """An analysis a request needs is not computed yet; raised in the request's thread (with `defer`)
    so that its `computation` is awaited elsewhere."""

    def __init__(self, key: Key, computation: Future[Any]) -> None:
        super().__init__(f"the analysis {key[0]} is being computed")
        self.key = key
        self.computation = computation


class Analyses:
    """The analyses as one caller waits for them: at most until `deadline` (raising `DeadlineExceeded`),
    or, with `defer`, not at all (raising `AnalysisPending`). Every computation asked for is kept, so
    that the caller, asking again once it is done, gets its result (or its error) at once."""

    def __init__(
        self, cache: AnalysisCache, deadline: Deadline | None = None, *, defer: bool = False
    ) -> None:
        self.cache = cache
        self.deadline = deadline
        self.defer = defer
        self._computations: dict[Key, Future[Any]] = {}

    def overlaps(self) -> list[Overlap]:
        """Every overlap (`find_overlaps`)."""
        found: list[Overlap] = self._result(("overlaps",))
        return found

    def gaps(self, at: date) -> list[Gap]:
        """Every gap on `at` (`find_gaps`)."""
        found: list[Gap] = self._result(("gaps", at))
        return found

    def staffing(self, at: date) -> dict[str, Staffing]:
        """Every department's staffing figures on `at`, by department id."""
        found: dict[str, Staffing] = self._result(("staffing", at))
        return found

    def splits(self) -> list[SplitApproval]:
        """Every split approval over one department or more (`find_splits`)."""
        found: list[SplitApproval] = self._result(("splits",))
        return found

    def evaluation(self, at: date) -> Evaluated:
        """Every department's computed indicators and the warnings on `at` (`api.evaluation.evaluate`)."""
        found: Evaluated = self._result(("evaluation", at))
        return found

    def transfers(self, at: date) -> list[Transfer]:
        """Every matter due for transfer to the supervision department on `at` (`find_transfers`)."""
        found: list[Transfer] = self._result(("transfers", at))
        return found

    def cases(self) -> CaseIndex:
        """Every case in columns, for searches (`graph.analyses.cases`)."""
        found: CaseIndex = self._result(("cases",))
        return found

    def finding_departments(self, kind: FindingKind, at: date) -> Mapping[str, tuple[str, ...]]:
        """The findings of `kind` the analyses find (overlaps of every verdict, gaps on `at`, split
        approvals, the warnings and the supervision transfers on `at`) by id, each with the ids of its departments; empty for the kinds found otherwise
        (a case's findings, by tracing it). Built once per result, so a review checks its finding in
        a look-up."""
        if kind is FindingKind.OVERLAP:
            return self.cache.index(("overlaps",), self.overlaps(), _overlap_departments)
        if kind is FindingKind.SPLIT:
            return self.cache.index(("splits",), self.splits(), _split_departments)
        if kind is FindingKind.GAP:
            return self.cache.index(("gaps", at), self.gaps(at), _gap_departments)
        if kind is FindingKind.WARNING:
            evaluated = self.evaluation(at)
            return self.cache.index(("evaluation", at), evaluated, lambda e: e.warning_departments)
        if kind is FindingKind.TRANSFER:
            return self.cache.index(("transfers", at), self.transfers(at), _transfer_departments)
        return {}

    def _result(self, key: Key) -> Any:
        for _ in range(3):  # a computation is dropped when the version changes before it starts
            computation = self._computations.get(key)
            if computation is None or computation.cancelled():
                computation = self._computations[key] = self.cache.computation(key)
            if self.defer and not computation.done():
                raise AnalysisPending(key, computation)
            try:
                timeout = None if self.deadline is None else self.deadline.remaining()
                return computation.result(timeout=timeout)
            except FutureTimeout:
                assert self.deadline is not None
                raise self.deadline.exceeded() from None
            except CancelledError:
                continue
        raise AnalysesBusy(self.cache.max_queued)


class AnalysisCache:
    """The full result of each analysis for the store's current version, shared by every request.

    `workers` threads compute the analyses, one computation per key and version
    at a time; at most `max_queued` computations wait for a worker (asking for
    more raises `AnalysesBusy`). `computations` counts the computations started,
    by analysis name.
    """

    def __init__(self, reader: GraphReader, *, workers: int = 2, max_queued: int = 16) -> None:
        self.reader = reader
        self.workers = workers
        self.max_queued = max_queued
        self.computations: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._results: OrderedDict[Key, Future[Any]] = OrderedDict()
        self._version: int | None = None
        self._eager = False
        self._tasks: queue.SimpleQueue[_Task] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._indexes: dict[Key, tuple[Any, Mapping[str, tuple[str, ...]]]] = {}
        self._together_lock = threading.Lock()
        self._together: tuple[tuple[int | None, date], Analysed] | None = None

    # -- the analyses (waiting until `deadline`, raising `DeadlineExceeded` then) --

    def overlaps(self, deadline: Deadline | None = None) -> list[Overlap]:
        """Every overlap (`find_overlaps`)."""
        return Analyses(self, deadline).overlaps()

    def gaps(self, at: date, deadline: Deadline | None = None) -> list[Gap]:
        """Every gap on `at` (`find_gaps`)."""
        return Analyses(self, deadline).gaps(at)

    def staffing(self, at: date, deadline: Deadline | None = None) -> dict[str, Staffing]:
        """Every department's staffing figures on `at`, by department id."""
        return Analyses(self, deadline).staffing(at)

    def splits(self, deadline: Deadline | None = None) -> list[SplitApproval]:
        """Every split approval over one department or more (`find_splits`)."""
        return Analyses(self, deadline).splits()

    def evaluation(self, at: date, deadline: Deadline | None = None) -> Evaluated:
        """Every department's computed indicators and the warnings on `at`."""
        return Analyses(self, deadline).evaluation(at)

    def transfers(self, at: date, deadline: Deadline | None = None) -> list[Transfer]:
        """Every matter due for transfer to the supervision department on `at` (`find_transfers`)."""
        return Analyses(self, deadline).transfers(at)

    def cases(self, deadline: Deadline | None = None) -> CaseIndex:
        """Every case in columns, for searches (`graph.analyses.cases`)."""
        return Analyses(self, deadline).cases()

    def index(
        self, key: Key, result: Any, build: Callable[[Any], Mapping[str, tuple[str, ...]]]
    ) -> Mapping[str, tuple[str, ...]]:
        """`build(result)`, made once for the result of `key` the cache holds (made again when the
        result is another: a new version's)."""
        with self._lock:
            known = self._indexes.get(key)
        if known is not None and known[0] is result:
            return known[1]
        built = build(result)
        with self._lock:
            self._indexes[key] = (result, built)
        return built

    def computation(self, key: Key) -> Future[Any]:
        """The computation of `key` (("overlaps",), ("gaps", date) …) for the store's current version,
        started when there is none, or the last one failed; raises `AnalysesBusy` when too many wait."""
        version = self.reader.version
        with self._lock:
            self._see(version)
            return self._future(key)

    # -- in the background --

    def start(self) -> None:
        """Compute the current version's analyses in the background, and every later version's as soon
        as the cache sees it (a request, or `pending()`). Raises `StoreUnavailable` when the store's
        version cannot be read; the computation starts at the next look then."""
        self._eager = True
        self.observe_version(self.reader.version)

    def observe_version(self, version: int) -> None:
        """The store's version as a request saw it: a new one empties the cache (and, after `start()`,
        starts computing the new version's analyses)."""
        with self._lock:
            self._see(version)

    def pending(self) -> dict[str, str]:
        """The analyses of the current version not computed yet, each `queued` or `computing`; {} when
        all are ready. Asking starts the computation of any that has not started, or has failed."""
        version = self.reader.version
        with self._lock:
            self._see(version)
            found: dict[str, str] = {}
            for key in _eager_keys():
                future = self._future(key)
                if not future.done():
                    found[key[0]] = "computing" if future.running() else "queued"
            return found

    # -- the machinery --

    def _see(self, version: int) -> None:
        """Under the lock: start afresh when `version` is new."""
        if version == self._version:
            return
        for future in self._results.values():
            future.cancel()  # those not started yet: nobody needs the old version's any more
        self._results.clear()
        self._indexes.clear()
        self._together = None  # the old version's answers go with its results
        self._version = version
        if self._eager:
            for key in _eager_keys():
                self._future(key)

    def _future(self, key: Key) -> Future[Any]:
        """Under the lock: the computation of `key` for the current version, started when there is none
        (or the last one failed)."""
        known = self._results.get(key)
        if known is not None and not (known.done() and (known.cancelled() or known.exception())):
            self._results.move_to_end(key)
            return known
        waiting = sum(1 for f in self._results.values() if not f.running() and not f.done())
        if waiting >= self.max_queued:
            raise AnalysesBusy(waiting)
        future: Future[Any] = Future()
        self._results[key] = future
        self._forget_old()
        self._tasks.put(_Task(key, self._version, future))
        if len(self._threads) < self.workers:
            thread = threading.Thread(
                target=self._work, name=f"quanze-analyses-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            thread.start()
        return future

    def _forget_old(self) -> None:
        eager = set(_eager_keys())
        done = [k for k, f in self._results.items() if f.done() and k not in eager]
        for key in done[: max(0, len(self._results) - len(eager) - MAX_KEPT)]:
            del self._results[key]

    def _work(self) -> None:
        """A worker thread: computes what is asked for, one analysis at a time, until it has been idle."""
        while True:
            try:
                task = self._tasks.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:  # `_future` adds work and counts the workers under the same lock
                    if self._tasks.empty():
                        self._threads.remove(threading.current_thread())
                        return
                continue
            with self._lock:
                current = task.version == self._version
            if not current:
                task.future.cancel()
            if not task.future.set_running_or_notify_cancel():
                continue
            with self._lock:
                self.computations[task.key[0]] += 1
            what = " ".join(str(part) for part in task.key)
            started = time.perf_counter()
            try:
                result = self._compute(task)
            except QuanzeError as error:  # handed to every request waiting for it
                log.warning("analysis %s of version %s failed: %s", what, task.version, error)
                task.future.set_exception(error)
            except Exception as error:
                log.error("analysis %s of version %s failed", what, task.version, exc_info=error)
                task.future.set_exception(error)
            else:
                seconds = time.perf_counter() - started
                log.info("analysis %s of version %s computed in %.2f s", what, task.version, seconds)
                task.future.set_result(result)

    def _compute(self, task: _Task) -> Any:
        """The analysis of `task`: the overlaps, split approvals and today's gaps of an eager cache in one
        pass (`graph.analyses.partitions.analyse`: each government read once for the three, the three
        sharing their reading of the graph), the first of them to be asked computing all three."""
        today = date.today()
        if self._eager and task.key in (("overlaps",), ("splits",), ("gaps", today)):
            with self._together_lock:  # a second worker asking for another of the three waits for the first
                if self._together is None or self._together[0] != (task.version, today):
                    request = AnalysisRequest(
                        overlaps={"verdicts": None}, splits={"min_departments": 1}, at=today
                    )
                    self._together = ((task.version, today), analyse(self.reader, request))
                found = self._together[1]
            return {"overlaps": found.overlaps, "splits": found.splits, "gaps": found.gaps}[task.key[0]]
        return _compute(self.reader, task.key, self._known(task))

    def _known(self, task: _Task) -> dict[str, Any]:
        """What the evaluation of `task` can take from the analyses of its version already computed
        (without waiting for any): the overlaps, the split approvals, the gaps of its date."""
        if task.key[0] != "evaluation":
            return {}
        wanted = {"overlaps": ("overlaps",), "splits": ("splits",), "gaps": ("gaps", task.key[1])}
        known: dict[str, Any] = {}
        with self._lock:
            if task.version != self._version:
                return known
            for name, key in wanted.items():
                future = self._results.get(key)
                if future is not None and future.done() and not future.cancelled() and not future.exception():
                    known[name] = future.result()
        return known


@dataclass(frozen=True, slots=True)
class _Task:
    key: Key
    version: int | None
    future: Future[Any]


def _eager_keys() -> tuple[Key, ...]:
    """The analyses computed without waiting for a request: those the views ask for, as of today, and
    the case index (a million cases take seconds in memory and some forty on Neo4j: a first search
    should not wait for it)."""
    today = date.today()
    return (("overlaps",), ("splits",), ("gaps", today), ("staffing", today), ("cases",))


_ANALYSES: dict[str, Callable[..., Any]] = {
    # government by government: on Neo4j in worker processes, each holding one government at a time
    "overlaps": lambda reader: partitioned_overlaps(reader, verdicts=None),
    "splits": lambda reader: partitioned_splits(reader, min_departments=1),
    "gaps": lambda reader, at: partitioned_gaps(reader, at=at),
    "staffing": lambda reader, at: staffing_figures(reader, at=at),
    "evaluation": lambda reader, at, known: evaluate(reader, at, known=known),
    "transfers": lambda reader, at: find_transfers(reader, at=at),
    "cases": build_case_index,
}


def _overlap_departments(found: list[Overlap]) -> dict[str, tuple[str, ...]]:
    return {overlap.id: overlap.departments for overlap in found}


def _gap_departments(found: list[Gap]) -> dict[str, tuple[str, ...]]:
    return {gap.id: (gap.department,) if gap.department else () for gap in found}


def _split_departments(found: list[SplitApproval]) -> dict[str, tuple[str, ...]]:
    return {split.id: split.departments for split in found}


def _transfer_departments(found: list[Transfer]) -> dict[str, tuple[str, ...]]:
    return {transfer.id: (transfer.department,) for transfer in found}


def _compute(reader: GraphReader, key: Key, known: Mapping[str, Any]) -> Any:
    """The analysis `key` of `reader`; the evaluation also takes the analyses `known` already."""
    name, *arguments = key
    if name == "evaluation":
        arguments.append(known)
    return _ANALYSES[name](reader, *arguments)
