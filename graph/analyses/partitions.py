"""The analyses of a province, government by government, on every core: the same answers, in parts.

Overlaps, gaps and split approvals never cross a government: two items are compared only within one,
a department's staffing is its own, a chain of approvals is one government's. So a province is
analysed as partitions, each a government with everything that belongs to it (departments, units,
posts, holdings, functions, power items and their stages) and what they refer to (the persons
holding its posts, the laws and articles its items cite), read from the store by its own bulk calls
(`gather`) into a `graph.subgraph.Subgraph`, analysed there by the very functions that analyse a
whole graph, and merged into the same sorted answers (`analyse`). The analysing process holds one
government at a time; a pool of worker processes takes one each, on every core.

Where the data does cross governments, the partitions follow it, so that the answers are always the
whole graph's: a person holding posts in two governments, an item held by departments of two, a
stage carried by another government's department, an item requiring another government's item
(each a *bridge*, found while gathering) join those governments into one partition, which is
analysed again. What belongs to no government (a department of none, an item of no department) is
one partition more, found by counting: only when the partitions hold fewer nodes of a kind than the
store does is the store searched for them. The one finding that needs every government at once, a
duty of a law that nothing anywhere cites (`UNHELD_DUTY`), is found from the articles alone.

    found = analyse(store, AnalysisRequest(at=date(2024, 6, 30)))
    found.overlaps, found.gaps, found.splits        # as find_overlaps, find_gaps and find_splits give them

Worker processes are forked (they inherit a store in this process's memory without copying it; a
store across a network opens a connection of its own in each, `Reopenable`), and only from a
process with one thread, as `graph.elsewhere`; elsewhere, or with `workers=1`, the partitions are
analysed one after the other in this process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable

from graph import progress
from graph.analyses.gap_kinds import Gap, GapKind
from graph.analyses.gaps import (
    DEFAULT_MANDATE_THRESHOLD,
    find_gaps_of_kinds,
    gaps_not_computed,
    unheld_duties,
)
from graph.analyses.links import Links
from graph.analyses.overlaps import Overlap, find_overlaps
from graph.analyses.splits import SplitApproval, find_splits, split_order
from graph.collector import collector_paused, pausing_collector
from graph.model import Edge, Node
from graph.store import EdgesAround, GraphReader, sorted_ids
from graph.subgraph import Parts, Subgraph
from ontology import EDGE_ENDS, EdgeKind, NodeKind

__all__ = [
    "OWNERSHIP",
    "Analysed",
    "AnalysisRequest",
    "Gathered",
    "Reopenable",
    "analyse",
    "gather",
    "partitioned_gaps",
    "partitioned_overlaps",
    "partitioned_splits",
]

OWNERSHIP: dict[NodeKind, tuple[EdgeKind, ...]] = {
    NodeKind.DEPARTMENT: (EdgeKind.DEPARTMENT_OF,),
    NodeKind.UNIT: (EdgeKind.UNIT_OF,),
    NodeKind.POST: (EdgeKind.POST_IN,),
    NodeKind.HOLDING: (EdgeKind.HOLDING_POST, EdgeKind.QUOTA_IN),
    NodeKind.FUNCTION: (EdgeKind.FUNCTION_OF, EdgeKind.CARRIED_BY),
    NodeKind.POWER_ITEM: (EdgeKind.HELD_BY, EdgeKind.HANDLED_BY),
    NodeKind.STAGE: (EdgeKind.STAGE_OF, EdgeKind.STAGE_DEPARTMENT, EdgeKind.STAGE_UNIT, EdgeKind.STAGE_POST),
}
"""The edges by which a node of each kind belongs to its parent, and so, up the chain, to a government:
a partition holds a government and, going down these edges, everything that belongs to it."""

#: what every partition that refers to them holds: a person of its posts, the laws and articles it cites
SHARED = frozenset({NodeKind.PERSON, NodeKind.LAW, NodeKind.ARTICLE})
#: the kinds the three analyses read (not the cases, their steps and records, nor supervision notices)
ANALYSED = frozenset({NodeKind.GOVERNMENT, *OWNERSHIP, *SHARED})
#: the edges between those kinds, by the kind of their source
_OUT: dict[NodeKind, tuple[EdgeKind, ...]] = {
    kind: tuple(
        edge for edge, (sources, targets) in EDGE_ENDS.items() if kind in sources and targets <= ANALYSED
    )
    for kind in ANALYSED
}
#: the ownership edges by the kind of their target: (edge, the kind of its source)
_CHILDREN: dict[NodeKind, tuple[tuple[EdgeKind, NodeKind], ...]] = {
    parent: tuple(
        (edge, child) for child, edges in OWNERSHIP.items() for edge in edges if parent in EDGE_ENDS[edge][1]
    )
    for parent in ANALYSED
}
#: the kinds of edge from a node of each kind that a partition keeps
_OUT_KINDS: dict[NodeKind, frozenset[EdgeKind]] = {kind: frozenset(edges) for kind, edges in _OUT.items()}
#: the ownership edges into a node of each kind (by which its children belong to it)
_CHILD_EDGES: dict[NodeKind, frozenset[EdgeKind]] = {
    kind: frozenset(edge for edge, _ in children) for kind, children in _CHILDREN.items()
}
#: the edges to shared nodes (a person, an article, a law), which a partition takes in with it
_TO_SHARED = frozenset(edge for edge, (_, targets) in EDGE_ENDS.items() if targets <= SHARED)
#: the power items from which a process of several threads (the service) starts workers afresh (spawned:
#: importing quanze and opening the store, or sent the partitions): below, starting them costs more than
#: they save, and the graph is analysed in this process
SPAWN_FROM = 20_000
#: partitions gathered and on their way to the workers at most, for each worker
_IN_FLIGHT = 2
#: ids sent to the store in one call while gathering or searching
_CHUNK = 20_000

Key = tuple[str, str]
"""What a partition is made of: ("government", id), or ("root", id) for a node of no government."""


@runtime_checkable
class Reopenable(Protocol):
    """A store across a network: a worker process opens a connection of its own rather than sharing this one."""

    def opener(self) -> Callable[[], GraphReader]:
        """A function, picklable, that opens the same store on a new connection (in a worker process)."""
        ...


@dataclass(frozen=True, slots=True)
class AnalysisRequest:
    """Which analyses to run, with what settings: None for an analysis not wanted.

    `overlaps` and `splits` are keyword arguments of `find_overlaps` and `find_splits`; the gaps are of
    the date `at` (None: no gaps), of `gap_kinds` (all when None) and `department` (all when None).
    """

    overlaps: dict[str, Any] | None = field(default_factory=dict)
    splits: dict[str, Any] | None = field(default_factory=dict)
    at: date | None = None
    gap_kinds: frozenset[GapKind] | None = None
    department: str | None = None
    mandate_threshold: float = DEFAULT_MANDATE_THRESHOLD


@dataclass(frozen=True, slots=True)
class Analysed:
    """The answers of `analyse`, each sorted as its single-graph function sorts it; how many partitions
    were analysed, and in how many processes side by side (1: in this one)."""

    overlaps: list[Overlap]
    gaps: list[Gap]
    splits: list[SplitApproval]
    partitions: int
    processes: int = 1


@dataclass(slots=True)
class Gathered:
    """One partition read from a store: its graph, the bridges it reaches across (`Key`s of other
    partitions), its members that belong to nothing above them, and how many owned nodes of each kind."""

    graph: Subgraph
    bridges: frozenset[Key]
    parentless: frozenset[str]
    counts: dict[NodeKind, int]


def analyse(reader: GraphReader, request: AnalysisRequest, *, workers: int | None = None) -> Analysed:
    """The answers of `request` on the whole graph of `reader`, computed government by government.

    `workers` is how many processes analyse partitions side by side (default: the environment's
    `QUANZE_WORKERS`, else one for each core this process may use). They are forked from a process of
    one thread; from one of several (the service), they are started afresh for a graph of `SPAWN_FROM`
    power items or more, and otherwise the partitions are analysed here in turn (`workers=1` asks for
    that too). A graph of one government, and, when `workers` is not given and no worker can be had,
    a graph in this process's memory or a small one, is analysed as it is, in one piece.
    """
    governments = sorted(node.id for node in reader.nodes(NodeKind.GOVERNMENT))
    wanted = _wanted_gaps(reader, request)
    start = _start_method(
        reader, _usable_cores() if workers is None else max(1, workers), asked=workers is not None
    )
    if len(governments) <= 1 or (workers is None and start is None and _one_piece(reader)):
        # one piece: a single government, or a graph in this process's memory that no worker can share,
        # or a small one (the partitions would only add their reading to the same work on the same core)
        answers = _analyse_graph(reader, request, wanted)  # UNHELD_DUTY too: this is the whole graph
        return Analysed(*answers, partitions=1)
    partitioner = _Partitioner(reader, request, wanted, workers, start)
    outcomes = partitioner.run(governments)
    overlaps = sorted(
        (overlap for outcome in outcomes for overlap in outcome[0]),
        key=lambda overlap: (-overlap.score, overlap.id),
    )
    gaps = [gap for outcome in outcomes for gap in outcome[1]]
    if request.at is not None and GapKind.UNHELD_DUTY in wanted and request.department is None:
        gaps.extend(unheld_duties(reader))
    splits = sorted((split for outcome in outcomes for split in outcome[2]), key=split_order)
    gaps.sort(key=lambda gap: gap.order)
    return Analysed(overlaps, gaps, splits, partitions=len(outcomes), processes=partitioner.processes)


def partitioned_overlaps(reader: GraphReader, *, workers: int | None = None, **options: Any) -> list[Overlap]:
    """`find_overlaps(reader, **options)`, computed government by government (`analyse`)."""
    return analyse(reader, AnalysisRequest(overlaps=options, splits=None), workers=workers).overlaps


def partitioned_gaps(
    reader: GraphReader,
    *,
    at: date,
    kinds: Collection[GapKind] | None = None,
    department: str | None = None,
    mandate_threshold: float = DEFAULT_MANDATE_THRESHOLD,
    workers: int | None = None,
) -> list[Gap]:
    """`find_gaps(reader, at=at, …)`, computed government by government (`analyse`)."""
    request = AnalysisRequest(
        overlaps=None,
        splits=None,
        at=at,
        gap_kinds=None if kinds is None else frozenset(kinds),
        department=department,
        mandate_threshold=mandate_threshold,
    )
    return analyse(reader, request, workers=workers).gaps


def partitioned_splits(
    reader: GraphReader, *, workers: int | None = None, **options: Any
) -> list[SplitApproval]:
    """`find_splits(reader, **options)`, computed government by government (`analyse`)."""
    return analyse(reader, AnalysisRequest(overlaps=None, splits=options), workers=workers).splits


@pausing_collector
def gather(reader: GraphReader, keys: Collection[Key]) -> Gathered:
    """The partition of `keys` (governments, and nodes of no government): every node that belongs to one of
    them down the `OWNERSHIP` edges, the persons, articles and laws those refer to, and the edges
    between them of the kinds the analyses read; with the bridges to other partitions.

    Reads level by level: for the nodes of one kind found so far, their children and their out-edges
    (one call for every node's edges on a store in memory, `EdgesAround`; one for each kind of edge
    elsewhere), then the nodes found. The in-edges of a shared node (every item citing an article)
    are never read, but for the holdings of a person.
    """
    members: dict[str, Node] = {}
    for node in reader.nodes_by_id([node_id for _, node_id in keys]):
        if node is not None:
            members[node.id] = node
    edges: list[Edge] = []
    outside: set[str] = set()  # owned nodes referred to by a member, that are not (yet) members
    parentless: set[str] = set()
    frontier = list(members.values())
    while frontier:
        by_kind: dict[NodeKind, list[str]] = defaultdict(list)
        for node in frontier:
            by_kind[node.kind].append(node.id)
        found: set[str] = set()
        for kind, ids in by_kind.items():
            for chunk in _chunks(ids):
                children = _CHILD_EDGES[kind]
                if children:
                    for into in _edges_of(reader, chunk, children, incoming=True).values():
                        found.update(edge.source for edge in into)
                wanted, owning = _OUT_KINDS[kind], OWNERSHIP.get(kind, ())
                for source, out in _edges_of(reader, chunk, wanted).items():
                    parent = False
                    for edge in out:
                        edges.append(edge)
                        parent = parent or edge.kind in owning
                        if edge.target not in members:
                            (found if edge.kind in _TO_SHARED else outside).add(edge.target)
                    if owning and not parent:
                        parentless.add(source)
                # a person holding posts of another partition joins it to this one
                if kind is NodeKind.PERSON:
                    for held in _edges_of(reader, chunk, {EdgeKind.HOLDING_OF}, incoming=True).values():
                        outside.update(edge.source for edge in held if edge.source not in members)
        frontier = []
        for chunk in _chunks(sorted(found - members.keys())):
            for node in reader.nodes_by_id(chunk):
                if node is not None and node.kind in ANALYSED:
                    members[node.id] = node
                    frontier.append(node)
    outside -= members.keys()
    counts: dict[NodeKind, int] = defaultdict(int)
    for node in members.values():
        if node.kind in OWNERSHIP:
            counts[node.kind] += 1
    bridges = frozenset(_owners(reader, outside)) - frozenset(keys)
    return Gathered(Subgraph(members.values(), edges), bridges, frozenset(parentless), dict(counts))


def _edges_of(
    reader: GraphReader, ids: Sequence[str], kinds: Collection[EdgeKind], *, incoming: bool = False
) -> dict[str, list[Edge]]:
    """The out-edges (in-edges when `incoming`) of `ids` of `kinds`: in one call from a store that can
    (`EdgesAround`), else one a kind."""
    if isinstance(reader, EdgesAround):
        return dict(reader.edges_around(ids, kinds, incoming=incoming))
    found: dict[str, list[Edge]] = {node_id: [] for node_id in ids}
    read = reader.edges_to if incoming else reader.edges_from
    for kind in kinds:
        for node_id, edges in read(ids, kind).items():
            found[node_id].extend(edges)
    return found


# -- the partitions, merged where they bridge ---------------------------------------------------------

_Answers = tuple[list[Overlap], list[Gap], list[SplitApproval]]
_Outcome = tuple[frozenset[Key], frozenset[Key], frozenset[str], dict[NodeKind, int], _Answers | None]

#: the store a forked worker reads, and what it is asked (set in this process just before the fork)
_inherited: tuple[GraphReader, AnalysisRequest, frozenset[GapKind]] | None = None
_opened: GraphReader | None = None
_asked: tuple[AnalysisRequest, frozenset[GapKind]] | None = None


class _Partitioner:
    """Runs the partitions, joins the ones that bridge and runs them again, until none does."""

    def __init__(
        self,
        reader: GraphReader,
        request: AnalysisRequest,
        wanted: frozenset[GapKind],
        workers: int | None,
        start: str | None,
    ) -> None:
        self.reader = reader
        self.request = request
        self.wanted = wanted
        self.workers = _usable_cores() if workers is None else max(1, workers)
        self.start = start
        self.parent: dict[Key, Key] = {}
        self.processes = 1

    def run(self, governments: Sequence[str]) -> list[_Answers]:
        done: dict[frozenset[Key], _Outcome] = {}
        pending = [frozenset({("government", government)}) for government in governments]
        searched = False
        with contextlib.ExitStack() as stack:
            in_workers: Callable[[list[frozenset[Key]]], Iterator[_Outcome]] | None = None
            while pending:
                if len(pending) > 1 and self.start is not None:  # a pool once there are two to run at once
                    in_workers = in_workers or stack.enter_context(_WorkerPool(self))
                    self.processes = self.workers
                    outcomes = in_workers(pending)
                else:  # one partition (the joined ones, often): here, telling its own progress
                    outcomes = _InPlace(self).run_all(pending)
                for outcome in outcomes:
                    done[outcome[0]] = outcome
                    for key in outcome[0] | outcome[1]:
                        self._union(next(iter(outcome[0])), key)
                pending = self._regroup(done)
                if not pending and not searched:
                    searched = True
                    orphans = self._orphans(done.values())
                    if orphans:
                        pending = [frozenset(("root", root) for root in orphans)]
        return [outcome[4] for outcome in done.values() if outcome[4] is not None]

    def _regroup(self, done: dict[frozenset[Key], _Outcome]) -> list[frozenset[Key]]:
        """The partitions to run again: those whose bridges joined several of the ones run so far (whose
        answers are dropped, as they saw only part of what belongs together)."""
        components: dict[Key, set[Key]] = defaultdict(set)
        for group in done:
            for key in group:
                components[self._find(key)].add(key)
        for outcome in done.values():
            for key in outcome[1]:
                components[self._find(key)].add(key)
        again: list[frozenset[Key]] = []
        for keys in components.values():
            group = frozenset(keys)
            if group in done:
                continue
            for old in [old for old in done if old <= group]:
                del done[old]
            again.append(group)
        return again

    def _orphans(self, outcomes: Iterable[_Outcome]) -> list[str]:
        """The nodes that belong to nothing above them and that no partition holds: only searched for when
        the partitions hold fewer nodes of some kind than the store."""
        outcomes = list(outcomes)
        held: dict[NodeKind, int] = defaultdict(int)
        for outcome in outcomes:
            for kind, count in outcome[3].items():
                held[kind] += count
        if all(held[kind] >= self.reader.count(kind) for kind in OWNERSHIP):
            return []
        taken = {node_id for outcome in outcomes for node_id in outcome[2]}
        return [root for root in _parentless(self.reader) if root not in taken]

    def _find(self, key: Key) -> Key:
        parent = self.parent.setdefault(key, key)
        while parent != key:
            self.parent[key] = self.parent.setdefault(parent, parent)
            key, parent = parent, self.parent[parent]
        return key

    def _union(self, a: Key, b: Key) -> None:
        root_a, root_b = self._find(a), self._find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


class _InPlace:
    """Analyses partitions one after the other, in this process."""

    def __init__(self, partitioner: _Partitioner) -> None:
        self.partitioner = partitioner

    def run_all(self, groups: list[frozenset[Key]]) -> Iterator[_Outcome]:
        p = self.partitioner
        if len(groups) == 1:  # its analyses tell their own progress
            yield _run_group(p.reader, p.request, p.wanted, groups[0])
            return
        for done, group in enumerate(groups):
            progress.step("analysing governments", done, len(groups))
            yield _run_group(p.reader, p.request, p.wanted, group)
        progress.step("analysing governments", len(groups), len(groups))


class _WorkerPool:
    """Analyses partitions in worker processes: forked (inheriting the store), spawned (opening it), or
    spawned and sent each partition as this process gathers it ("ship")."""

    def __init__(self, partitioner: _Partitioner) -> None:
        self.partitioner = partitioner
        self.pool: Any = None

    def __enter__(self) -> Callable[[list[frozenset[Key]]], Iterator[_Outcome]]:
        global _inherited
        p = self.partitioner
        if p.start == "fork":
            # the objects alive now leave the collector's care, so that no pass of it in a worker walks
            # (and so copies, page by page) the graph the workers share with this process
            gc.freeze()
            _inherited = (p.reader, p.request, p.wanted)
            try:
                self.pool = multiprocessing.get_context("fork").Pool(
                    p.workers, initializer=_start_worker, initargs=(None,)
                )
            finally:
                _inherited = None
        else:
            opener = p.reader.opener() if isinstance(p.reader, Reopenable) else None
            self.pool = multiprocessing.get_context("spawn").Pool(
                p.workers, initializer=_start_worker, initargs=((opener, p.request, p.wanted),)
            )
        return self.run_all if p.start != "ship" else self.ship_all

    def __exit__(self, *_: object) -> None:
        self.pool.terminate()
        self.pool.join()
        if self.partitioner.start == "fork":
            gc.unfreeze()

    def run_all(self, groups: list[frozenset[Key]]) -> Iterator[_Outcome]:
        for done, outcome in enumerate(self.pool.imap_unordered(_run_in_worker, groups)):
            progress.step("analysing governments", done, len(groups))
            yield outcome
        progress.step("analysing governments", len(groups), len(groups))

    def ship_all(self, groups: list[frozenset[Key]]) -> Iterator[_Outcome]:
        """Gathers the partitions here, one after the other, and sends each to a worker to analyse: a few
        on their way at a time, so that this process holds a few partitions, not the answers' worth."""
        p = self.partitioner
        sent: list[Any] = []
        for done, group in enumerate(groups):
            progress.step("analysing governments", done, len(groups))
            with collector_paused():
                gathered = gather(p.reader, group)
            if gathered.bridges:
                yield (group, gathered.bridges, gathered.parentless, gathered.counts, None)
                continue
            facts = (group, gathered.bridges, gathered.parentless, gathered.counts)
            sent.append(self.pool.apply_async(_analyse_shipped, (facts, gathered.graph.parts())))
            del gathered
            while len(sent) >= _IN_FLIGHT * p.workers:
                yield sent.pop(0).get()
        for waiting in sent:
            yield waiting.get()
        progress.step("analysing governments", len(groups), len(groups))


def _start_worker(
    opening: tuple[Callable[[], GraphReader] | None, AnalysisRequest, frozenset[GapKind]] | None,
) -> None:
    """In a worker: the store it reads (inherited, on a connection of its own when across a network; or
    opened; or none, when it is sent its partitions), and what it is asked."""
    global _opened, _asked
    if opening is None:  # forked: what this process held at the fork
        assert _inherited is not None
        reader, request, wanted = _inherited
        _opened = reader.opener()() if isinstance(reader, Reopenable) else reader
    else:
        opener, request, wanted = opening
        _opened = opener() if opener is not None else None
    _asked = (request, wanted)


def _run_in_worker(group: frozenset[Key]) -> _Outcome:
    assert _opened is not None and _asked is not None
    # the parent tells the progress, by partitions; the collector rests, as in the analyses themselves
    with progress.showing(lambda *_: None), collector_paused():
        return _run_group(_opened, *_asked, group)


def _analyse_shipped(
    facts: tuple[frozenset[Key], frozenset[Key], frozenset[str], dict[NodeKind, int]],
    parts: Parts,
) -> _Outcome:
    """In a worker: the answers of a partition the parent gathered and sent."""
    assert _asked is not None
    request, wanted = _asked
    with progress.showing(lambda *_: None), collector_paused():
        answers = _analyse_graph(Subgraph.of_parts(parts), request, wanted - {GapKind.UNHELD_DUTY})
    return (*facts, answers)


def _run_group(
    reader: GraphReader, request: AnalysisRequest, wanted: frozenset[GapKind], group: frozenset[Key]
) -> _Outcome:
    gathered = gather(reader, group)
    if gathered.bridges:  # it reaches into other partitions: analysed once they are joined
        return (group, gathered.bridges, gathered.parentless, gathered.counts, None)
    answers = _analyse_graph(gathered.graph, request, wanted - {GapKind.UNHELD_DUTY})
    return (group, gathered.bridges, gathered.parentless, gathered.counts, answers)


def _analyse_graph(reader: GraphReader, request: AnalysisRequest, kinds: frozenset[GapKind]) -> _Answers:
    """The answers of `request` on the graph of `reader`, the three analyses reading its edges once."""
    links = Links(reader)
    overlaps = [] if request.overlaps is None else find_overlaps(reader, links=links, **request.overlaps)
    gaps: list[Gap] = []
    if request.at is not None:
        gaps = find_gaps_of_kinds(
            reader,
            at=request.at,
            kinds=kinds,
            department=request.department,
            mandate_threshold=request.mandate_threshold,
            links=links,
        )
    splits = [] if request.splits is None else find_splits(reader, links=links, **request.splits)
    return overlaps, gaps, splits


def _wanted_gaps(reader: GraphReader, request: AnalysisRequest) -> frozenset[GapKind]:
    """The kinds of gap asked for that the whole graph allows (`gaps_not_computed` is the whole graph's:
    a government without posts still has its vacant posts counted when the province has staffing data)."""
    if request.at is None:
        return frozenset()
    wanted = set(GapKind) if request.gap_kinds is None else set(request.gap_kinds)
    return frozenset(wanted - {skipped.kind for skipped in gaps_not_computed(reader, wanted)})


# -- reading the store -------------------------------------------------------------------------------


def _owners(reader: GraphReader, node_ids: Iterable[str]) -> Iterator[Key]:
    """The partitions the nodes belong to: up the ownership edges to their governments, or to the
    nodes of none at the top of the chain."""
    seen: set[str] = set()
    frontier = [node for node in reader.nodes_by_id(sorted(set(node_ids))) if node is not None]
    while frontier:
        above: set[str] = set()
        for node in frontier:
            if node.id in seen:
                continue
            seen.add(node.id)
            if node.kind is NodeKind.GOVERNMENT:
                yield ("government", node.id)
                continue
            parents = [
                edge.target
                for kind in OWNERSHIP.get(node.kind, ())
                for edge in reader.edges(source=node.id, kind=kind)
            ]
            if parents:
                above.update(parents)
            elif node.kind in OWNERSHIP:
                yield ("root", node.id)
        frontier = [node for node in reader.nodes_by_id(sorted(above - seen)) if node is not None]


def _parentless(reader: GraphReader) -> Iterator[str]:
    """Every node of an owned kind without an ownership edge: the top of a chain that reaches no government."""
    for kind, ownership in OWNERSHIP.items():
        for chunk in _chunks(sorted_ids(reader, kind)):
            has_parent: set[str] = set()
            for edge_kind in ownership:
                has_parent.update(
                    source for source, out in reader.edges_from(chunk, edge_kind).items() if out
                )
            yield from (node_id for node_id in chunk if node_id not in has_parent)


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _usable_cores() -> int:
    """The workers by default: `QUANZE_WORKERS` when set (1: none), else one for each core this process may use."""
    given = os.environ.get("QUANZE_WORKERS", "").strip()
    if given.isdigit() and int(given) >= 1:
        return int(given)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start_method(reader: GraphReader, workers: int, *, asked: bool) -> str | None:
    """How worker processes start: forked from a process of one thread (where there is `fork`: the
    child of a threaded process could inherit a lock another thread held, such as the collector's);
    from one of several, for a graph of `SPAWN_FROM` power items or more, spawned afresh, each opening
    the store again (`Reopenable`) or, for a graph in this process's memory when workers were `asked`
    for, each sent the partitions this process gathers ("ship": on 2 cores it costs more than it saves,
    docs/benchmarks.md, so the service does not); None when there are to be none."""
    if workers <= 1:
        return None
    if _may_fork():
        return "fork"
    if reader.count(NodeKind.POWER_ITEM) < SPAWN_FROM:
        return None
    if isinstance(reader, Reopenable):
        return "spawn"
    return "ship" if asked else None


def _one_piece(reader: GraphReader) -> bool:
    """Whether a graph no worker analyses is analysed at once rather than a partition at a time: one in
    this process's memory (held whole already), or a small one; not a big one across a network."""
    return not isinstance(reader, Reopenable) or reader.count(NodeKind.POWER_ITEM) < SPAWN_FROM


def _may_fork() -> bool:
    """Whether worker processes may be forked: where there is `fork`, from a process of one thread."""
    return hasattr(os, "fork") and threading.active_count() == 1
