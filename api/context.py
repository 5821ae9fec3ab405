"""The per-request context of a GraphQL call: the reader, the caller's role, the request's loaders and
its deadline.

`Loaders` batches every relation a list can fan out into, the way DataLoaders
do, but synchronously and with look-ahead: it remembers every node id the
request has met (the page a root field returned, the ends of every edge read),
and when a resolver first asks for one node's edges of some kind, it reads
those edges for all the nodes met so far that can have them, in one store call.
A page of 50 items with their departments and laws so costs the same handful
of store calls as a page of 5, and resolvers stay plain functions (no future
per field), which is what keeps a page fast on the memory store. Loaders are
made anew for every request, so users never read each other's cache.

    loaders = Loaders(store)
    loaders.seed(page)                                  # the nodes a root field returned
    loaders.targets(item.id, EdgeKind.HELD_BY)          # reads heldBy for the whole page at once

Every question asked of the loaders first checks the request's `Deadline` (`api.deadline`), so
that a request whose time is up stops at the next relation a resolver reads; the analyses, computed
elsewhere (`api.cache`), are waited for at most until then:

    context = Context(reader=store, deadline=Deadline.after(15.0))
    context.deadline.check()                            # raises DeadlineExceeded once 15 s have passed

`LedgerReads` does for the ledger what `Loaders` does for the store: the findings a list returned are
announced (`expect`), and the first resolver asking for one finding's review reads the reviews of
them all in one ledger call, as the first asking for a history reads every history (and the first
asking for the manual scores, every current score):

    context.reviews.expect(overlap.id for overlap in found)
    context.reviews.current(found[0].id)                # one read for the whole list
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import strawberry
from graphql import GraphQLError

from api.cache import Analyses, AnalysisCache
from api.deadline import Deadline
from api.roles import Role
from graph.analyses import trace
from graph.evaluation import ManualScore
from graph.ledger import Ledger, Review, ReviewStatus
from graph.model import Edge, Node
from graph.organisation import holdings_on
from graph.store import GraphReader
from ontology import EDGE_ENDS, EdgeKind

__all__ = ["Context", "Info", "LedgerReads", "LedgerUnavailable", "Loaders"]


class Loaders:
    """One request's batched, cached view of a reader; every question asked of it first checks the
    request's deadline (so every resolver of a relation does)."""

    def __init__(self, reader: GraphReader, deadline: Deadline | None = None) -> None:
        self.reader = reader
        self.deadline = deadline or Deadline()
        self._nodes: dict[str, Node | None] = {}
        self._pending: set[str] = set()  # ids met but not read yet
        self._out: dict[EdgeKind, dict[str, list[Edge]]] = {}
        self._in: dict[EdgeKind, dict[str, list[Edge]]] = {}

    # -- what the request has met --

    def seed(self, nodes: Iterable[Node]) -> None:
        """Nodes the request already holds (a root field's page): cached, and batched with from now on."""
        for node in nodes:
            self._nodes[node.id] = node
            self._pending.discard(node.id)

    def expect(self, node_ids: Iterable[str]) -> None:
        """Ids the request will ask about (a list of findings): read together on the first ask."""
        self._pending.update(i for i in node_ids if i not in self._nodes)

    # -- nodes --

    def node(self, node_id: str) -> Node | None:
        self.deadline.check()
        if node_id not in self._nodes:
            self._pending.add(node_id)
            self._read_pending()
        return self._nodes.get(node_id)

    def nodes(self, node_ids: Sequence[str]) -> list[Node]:
        """The nodes with these ids that exist, in order."""
        self.deadline.check()
        missing = [i for i in node_ids if i not in self._nodes]
        if missing:
            self._pending.update(missing)
            self._read_pending()
        return [node for i in node_ids if (node := self._nodes.get(i)) is not None]

    # -- edges --

    def out(self, node_id: str, kind: EdgeKind) -> list[Edge]:
        """The node's out-edges of `kind`."""
        return self._edges(node_id, kind, outgoing=True)

    def into(self, node_id: str, kind: EdgeKind) -> list[Edge]:
        """The node's in-edges of `kind`."""
        return self._edges(node_id, kind, outgoing=False)

    def targets(self, source: str, kind: EdgeKind) -> list[Node]:
        """The nodes `source` points to by `kind`, in the order of the edges."""
        return self.nodes([edge.target for edge in self.out(source, kind)])

    def target(self, source: str, kind: EdgeKind) -> Node | None:
        """The first node `source` points to by `kind`, or None."""
        found = self.targets(source, kind)
        return found[0] if found else None

    def sources(self, target: str, kind: EdgeKind) -> list[Node]:
        """The nodes pointing to `target` by `kind`, ordered by id."""
        return self.nodes(sorted(edge.source for edge in self.into(target, kind)))

    def holders(self, post: str, on: date) -> list[Node]:
        """The holdings of `post` that cover `on`, ordered by start (the same as `reader.holders`)."""
        holdings = self.sources(post, EdgeKind.HOLDING_POST)
        return holdings_on(holdings, on)

    # -- reading --

    def _read_pending(self) -> None:
        pending = sorted(self._pending)
        self._pending.clear()
        for node_id, node in zip(pending, self.reader.nodes_by_id(pending), strict=True):
            self._nodes[node_id] = node

    def _edges(self, node_id: str, kind: EdgeKind, *, outgoing: bool) -> list[Edge]:
        self.deadline.check()
        cache = (self._out if outgoing else self._in).setdefault(kind, {})
        found = cache.get(node_id)
        if found is not None:
            return found
        if self._pending:
            self._read_pending()
        ends = EDGE_ENDS[kind][0 if outgoing else 1]
        batch = {node_id} | {
            i for i, n in self._nodes.items() if n is not None and n.kind in ends and i not in cache
        }
        ids = sorted(batch)
        read = self.reader.edges_from(ids, kind) if outgoing else self.reader.edges_to(ids, kind)
        for key in ids:
            edges = list(read.get(key, ()))
            cache[key] = edges
            self._pending.update(e.target if outgoing else e.source for e in edges)
        self._pending.difference_update(self._nodes)
        return cache[node_id]


class LedgerUnavailable(GraphQLError):
    """The service keeps no ledger, so a review cannot be recorded (nor an edition read)."""

    def __init__(self) -> None:
        super().__init__(
            "this service keeps no ledger: serve with --ledger FILE (or QUANZE_LEDGER) to record reviews",
            extensions={"code": "LEDGER_UNAVAILABLE"},
        )


class LedgerReads:
    """One request's batched, cached reads of the ledger (none: every finding is OPEN, nothing can be
    written). `used` says whether the request read or wrote the ledger: its answer then depends on
    more than the store's version, so the service does not keep it in its response cache."""

    def __init__(self, ledger: Ledger | None, deadline: Deadline | None = None) -> None:
        self.ledger = ledger
        self.deadline = deadline or Deadline()
        self.used = False
        self._expected: set[str] = set()
        self._current: dict[str, Review | None] = {}
        self._histories: dict[str, list[Review]] = {}
        self._scores: list[ManualScore] | None = None

    def expect(self, finding_ids: Iterable[str]) -> None:
        """Findings the request will ask about (a list of findings): read together on the first ask."""
        self._expected.update(finding_ids)

    def current(self, finding_id: str) -> Review | None:
        """The finding's current review, or None when it was never reviewed (it is OPEN)."""
        if finding_id not in self._current:
            self._expected.add(finding_id)
            wanted = sorted(self._expected - self._current.keys())
            ledger = self._reading()
            found = ledger.current(wanted) if ledger else {}
            self._current.update({wanted_id: found.get(wanted_id) for wanted_id in wanted})
        return self._current[finding_id]

    def status(self, finding_id: str) -> ReviewStatus:
        """Where the finding stands: its current review's status, OPEN when it has none."""
        review = self.current(finding_id)
        return ReviewStatus.OPEN if review is None else review.status

    def history(self, finding_id: str) -> list[Review]:
        """Every review of the finding, oldest first; with the histories of every finding met so far."""
        if finding_id not in self._histories:
            met = {finding_id} | self._expected | self._current.keys()
            wanted = sorted(met - self._histories.keys())
            ledger = self._reading()
            found = ledger.histories(wanted) if ledger else {}
            self._histories.update({wanted_id: found.get(wanted_id, []) for wanted_id in wanted})
        return self._histories[finding_id]

    def listed(self) -> dict[str, Review]:
        """The current review of every finding that has one, by finding id."""
        ledger = self._reading()
        found = ledger.current() if ledger else {}
        self._current.update(found)
        return found

    def require(self) -> Ledger:
        """The ledger, to write to or to read editions from; raises `LedgerUnavailable` when the
        service keeps none."""
        ledger = self._reading()
        if ledger is None:
            raise LedgerUnavailable()
        return ledger

    def scores(self) -> list[ManualScore]:
        """The current manual score of every indicator scored (none without a ledger), read once a request."""
        if self._scores is None:
            ledger = self._reading()
            self._scores = ledger.scores() if ledger else []
        return self._scores

    def score_history(self, department: str, code: str) -> list[ManualScore]:
        """Every score given to the department's indicator `code`, oldest first: read from the ledger
        only for an indicator with a current score (one without has no history)."""
        if not any(s.department == department and s.code == code for s in self.scores()):
            return []
        ledger = self._reading()
        return ledger.score_history(department, code) if ledger else []

    def scored(self, score: ManualScore) -> None:
        """A manual score the request has just recorded: read again from the ledger from now on."""
        self._scores = None

    def written(self, review: Review) -> None:
        """A review the request has just recorded: the finding's current one from now on."""
        self._current[review.finding_id] = review
        self._histories.pop(review.finding_id, None)

    def _reading(self) -> Ledger | None:
        """The ledger (None without one), once the deadline is checked; the request has used it."""
        self.deadline.check()
        if self.ledger is not None:
            self.used = True
        return self.ledger


@dataclass
class Context:
    """What every resolver sees: the reader, the caller's role (and name, the reviewer of the reviews
    the caller records: never shown to the public, never logged), today's date, the request's loaders,
    its deadline, the analyses' results as `cache` (shared across requests when the service passes
    its cache in; waited for at most until the deadline, or, with `defer_analyses`, not in the
    request's thread at all: see `api.cache.Analyses`), the ledger, read through `reviews`, and the
    working days a trace lets a case wait between stages (`idle_tolerance`)."""

    reader: GraphReader
    role: Role = Role.PUBLIC
    today: date = field(default_factory=date.today)
    analyses: AnalysisCache | None = None
    deadline: Deadline = field(default_factory=Deadline)
    defer_analyses: bool = False
    ledger: Ledger | None = None
    reviewer: str | None = field(default=None, repr=False)
    idle_tolerance: int = trace.DEFAULT_IDLE_TOLERANCE
    loaders: Loaders = field(init=False)
    cache: Analyses = field(init=False)
    reviews: LedgerReads = field(init=False)
    _records_by_department: dict[str | None, list[str]] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.reader, self.deadline)
        if self.analyses is None:
            self.analyses = AnalysisCache(self.reader)
        self.cache = Analyses(self.analyses, self.deadline, defer=self.defer_analyses)
        self.reviews = LedgerReads(self.ledger, self.deadline)

    def check(self) -> None:
        """Raise `DeadlineExceeded` when the request's time is up (resolvers call it where they loop)."""
        self.deadline.check()

    def records_by_department(self) -> dict[str | None, list[str]]:
        """Accountability record ids (sorted) by the department their person worked in when decided.

        Working that out reads every record, so a request does it once, however many departments
        it lists; the records' ids are handed to the loaders, so their nodes are read in one call.
        """
        if self._records_by_department is None:
            self.check()
            grouped: dict[str | None, list[str]] = {}
            for record, department in sorted(trace.record_departments(self.reader).items()):
                grouped.setdefault(department, []).append(record)
            self.loaders.expect(record for records in grouped.values() for record in records)
            self._records_by_department = grouped
        return self._records_by_department


#: what a resolver is given: `info.context` is the request's `Context`
Info = strawberry.Info[Context, None]
