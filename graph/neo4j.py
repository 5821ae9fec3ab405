"""The Neo4j store: the reader and the all-or-nothing writer of `graph.store`, on a Neo4j 5 server.

`Neo4jStore` answers exactly as `MemoryStore` does for the same writes (the
tests in `tests/graph/test_backends.py` run one body against both), so every
analysis runs on it unchanged; the look-ups that pay (a node by id, edges of a
batch of ids, the holders of a post on a date, `find` by an indexed property)
are single Cypher queries.

How the graph is laid out in Neo4j:

* a node is `(:Node:<kind> {id, ...})`: every node carries the label `Node`,
  whose uniqueness constraint covers every id, and its `NodeKind` value
  (`PowerItem`) as a second label;
* an edge is a relationship whose type is the `EdgeKind` value, as the ontology
  spells the property (`heldBy`, `holdingPost`), not Neo4j's usual UPPER_SNAKE,
  so one vocabulary runs from `quanze.ttl` to Cypher;
* properties: strings, numbers, booleans and `datetime.date` (a Neo4j Date) as
  they are; tuples and lists as lists, read back as tuples; a dict (the
  loader's `extra`) as JSON in `_json_<name>`; `None` as the name listed in
  `_nulls`; a property of ours named `id` or starting with `_` as `_p_<name>`;
  the `Origin` as `_origin_file`, `_origin_sha256`, `_origin_sheet`,
  `_origin_row` and `_origin_column`, on nodes and relationships alike;
* a power item also carries `_text`: the texts a search looks in (its name,
  sub-item and code, normalised: `graph.store.searched_texts`), a character at a
  time, which the full-text index `quanze_power_item_text` holds (see
  `Neo4jStore.power_items_containing`);
* the version is a counter on one `(:QuanzeMeta {name: "graph"})` node, raised
  in the transaction of every write, so every process sharing the database sees
  the change (and concurrent writers queue on that node).

A write that fits in one transaction is one transaction: up to
`max_transaction_rows` nodes and edges, by default worked out from the server's
transaction memory limit at about 8 KB a node or edge (Neo4j holds 2-4 KB of
transaction state for each; the default limit of a 512 MB heap gives 45,000).
It locks the version node, looks up the ids it names, makes the same checks as
the memory store (and raises the same `GraphIntegrityError`s), then sends its
nodes and edges as batched `UNWIND` statements, one per label or type: `CREATE`
for what is new, only the changed properties (`SET n += …`) for a node written
again, `MERGE` for an edge that may exist. A write that clears the graph keeps
the nodes it names again (updated in place: deleting and creating the same ids
in one transaction makes Neo4j's index look-ups crawl), deletes every edge and
every other node, and creates its edges anew. Any problem or failure rolls
everything back.

A bigger write is a load in several transactions, and only into an empty graph,
so that undoing it is deleting what it made:

* it is checked whole first, by the checks of the memory store (with the graph
  empty they need nothing from the server), so a bad write changes nothing;
* one transaction, holding the version node, finds the graph empty, or the
  write replacing it (`writer.clear()`), and marks a load as under way on the
  version node; a write too big for one transaction into a graph that holds
  something, without `clear()`, is refused there with `GraphIntegrityError`,
  before anything changes (merging it could not be undone);
* a graph it replaces is deleted, in batches, then its nodes, then its edges
  are created, in transactions of `max_transaction_rows / load_workers`,
  `load_workers` (2) side by side, every node tagged with the load's id
  (`_load`, kept afterwards), every transaction checking that it made all it
  was sent, and a short one after each counting it and checking that the load
  is still marked;
* the full-text index of the power items' text is dropped when the load begins
  and built again, once, before it ends (kept up to date row by row, it cost
  a tenth of the load's time); meanwhile a text search reads every item;
* the last transaction raises the version once and ends the mark.

If anything fails on the way (the server, the connection, this process: any
exception), everything tagged with the load's id is deleted, the mark ended, the
version raised and the error raised, saying so. Then the graph is empty: as it
was when the write did not replace one; when it did, the old graph is gone too.
A replacing write too big for one transaction is all or nothing about the new
graph only: the old one is deleted once the write has been checked (so never
for a write with a problem), before the new one is in. What it does not give is
isolation: readers see the graph grow during a load, and shrink when it is
undone; meanwhile `version` reads a negative number, a new one after every
transaction of the load and never one read outside it, and an undone load
raises the version all the same (an answer computed while the load ran, under
the version read before it began, must not pass for one of the graph after).
Other writes are refused with `StoreUnavailable` while the load runs. If this
process dies during a load, or the server goes away so that the undo cannot
run, what was written stays, marked as unfinished: every write is refused,
naming the load, until `Neo4jStore.clear()` removes it (and sets up the text
index again). A load creates 21,000 to 22,000 nodes and edges a second here,
on two cores shared with the writing process (`bench/neo4j.py`). There is no
staging of a bigger write beside the old graph: the ids are unique, and
swapping a staging label costs as much as creating the nodes, in transactions
just as bounded.

Labels and types in Cypher come only from the enums, values only as parameters.
Every driver failure to reach the server or to log in becomes `StoreUnavailable`,
naming the URI and never the password; the driver does not retry, so a call
against a dead server fails at once, and the same store works again when the
server is back.

    >>> settings = Neo4jSettings.from_env({"NEO4J_URI": "bolt://db:7687", "NEO4J_PASSWORD": "s3cret"})
    >>> settings
    Neo4jSettings(uri='bolt://db:7687', user='neo4j', database='neo4j')
    >>> store = Neo4jStore(settings)                                    # doctest: +SKIP
    >>> with store.writer() as writer:                                  # doctest: +SKIP
    ...     writer.add_node(Node("government:示例市人民政府", NodeKind.GOVERNMENT, {"name": "示例市人民政府"}))
    >>> store.count(NodeKind.GOVERNMENT)                                # doctest: +SKIP
    1
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    Record,
    RoutingControl,
    Session,
)
from neo4j import exceptions as driver_errors
from neo4j import time as driver_time

from graph import progress
from graph.errors import GraphIntegrityError, StoreUnavailable
from graph.model import Edge, Node, Origin
from graph.store import check_write, searched_texts
from ontology import PROPERTIES, EdgeKind, NodeKind

__all__ = ["DEFAULT_URI", "Neo4jSettings", "Neo4jStore", "Neo4jWriter"]

DEFAULT_URI = "bolt://127.0.0.1:7687"


@dataclass(frozen=True, slots=True)
class Neo4jSettings:
    """Where the Neo4j server is and how to log in; an empty password means a server without auth.

    The password is left out of the `repr`, so settings can be logged. A URI that
    is not one (a scheme the driver does not speak, no host, a port that is not a
    number) raises `StoreUnavailable` naming the setting, NEO4J_URI, and the URI
    without any password written into it.

        >>> Neo4jSettings(password="s3cret")
        Neo4jSettings(uri='bolt://127.0.0.1:7687', user='neo4j', database='neo4j')
        >>> Neo4jSettings(uri="bolt://localhost:abc")
        Traceback (most recent call last):
        graph.errors.StoreUnavailable: NEO4J_URI bolt://localhost:abc is not a Neo4j URI: the port 'abc' is not a number
    """

    uri: str = DEFAULT_URI
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str = "neo4j"

    def __post_init__(self) -> None:
        problem = _uri_problem(self.uri)
        if problem is not None:
            raise StoreUnavailable(f"NEO4J_URI {_shown_uri(self.uri)} is not a Neo4j URI: {problem}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Neo4jSettings:
        """Settings from `NEO4J_URI`, `NEO4J_USER`, `NEO4J_PASSWORD` and `NEO4J_DATABASE` (or `environ`).

        >>> Neo4jSettings.from_env({"NEO4J_DATABASE": "quanze"}).database
        'quanze'
        """
        env = os.environ if environ is None else environ
        return cls(
            uri=env.get("NEO4J_URI") or DEFAULT_URI,
            user=env.get("NEO4J_USER") or "neo4j",
            password=env.get("NEO4J_PASSWORD", ""),
            database=env.get("NEO4J_DATABASE") or "neo4j",
        )

    @property
    def auth(self) -> tuple[str, str] | None:
        """The driver's basic auth, or None for a server without auth."""
        return (self.user, self.password) if self.password else None


class Neo4jStore:
    """A graph kept in a Neo4j database; reads are Cypher queries, a write one transaction or a load in several.

    The constructor does not connect: the first call does, and `ping()` checks
    the server, the login and the database. Every method raises `StoreUnavailable`
    when the server cannot be reached or refuses the login.

    `batch_size` is the rows of one `UNWIND` statement; `max_transaction_rows`
    the nodes and edges of one transaction, above which a write is a load in
    several (see the module's docstring): None works it out from the server's
    transaction memory limit on the first write; `load_workers` how many
    transactions of a load run side by side.
    """

    def __init__(
        self,
        settings: Neo4jSettings | None = None,
        *,
        batch_size: int = 10_000,
        max_transaction_rows: int | None = None,
        load_workers: int = 2,
        connection_timeout: float = 5.0,
    ) -> None:
        self.settings = settings if settings is not None else Neo4jSettings.from_env()
        self.batch_size = batch_size
        self.max_transaction_rows = max_transaction_rows
        self.load_workers = load_workers
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        self._text_indexed_at: int | None = None  # the version at which every power item had its `_text`
        try:  # the settings have checked the URI's scheme, host and port
            self._driver: Driver = GraphDatabase.driver(
                self.settings.uri,
                auth=self.settings.auth,
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=2 * connection_timeout,
                # The driver's default retries make a call against a dead server hang for 30-60 s.
                max_transaction_retry_time=0.0,
            )
        except (driver_errors.ConfigurationError, ValueError) as error:
            raise StoreUnavailable(f"Neo4j at {self.settings.uri} cannot be used: {error}") from error

    # -- lifecycle ---------------------------------------------------------------

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def ping(self) -> None:
        """Check that the server answers, takes the login and has the database; else raise `StoreUnavailable`."""
        self._query("RETURN 1 AS ok", {}, "checking the connection")

    def setup_schema(self) -> None:
        """Create the constraints and indexes the store relies on (idempotent) and wait until they are online.

        A uniqueness constraint on `Node.id`; range indexes on the properties
        `find` is called with (`key`, `name`, `code`, `government`, `power_type`,
        `person_id`, `case_id`, `record_id`) for the kinds that have them; and
        the full-text index `quanze_power_item_text` (whitespace analyser) over
        the power items' `_text`, for `power_items_containing` (it replaces
        `quanze_text`, a CJK index of the shown texts, which is dropped). Codes
        are indexed, not unique: one code names several sub-items of a power
        item, and several governments' lists.
        """
        with self._translated("setting up the schema"), self._session() as session:
            for statement in _SCHEMA:
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()
        self._schema_ready = True

    def clear(self) -> None:
        """Delete every node and edge (the schema stays) and raise the version.

        Meant for tests and administration: the deletion runs in batches of its
        own transactions, so unlike `writer().clear()` it is not all or nothing.
        It also ends the mark of an unfinished load (whose process died) and sets
        up again the full-text index such a load dropped, and makes a load under
        way fail and undo itself.
        """
        with self._translated("clearing the graph"), self._session(notifications=False) as session:
            self._delete_in_batches(session, None)
            self._create_text_index()
            session.execute_write(lambda tx: tx.run(_CLEARED).consume())

    # -- reading -----------------------------------------------------------------

    @property
    def version(self) -> int:
        """The version of the graph; while a load in several transactions runs, minus the number of them so far."""
        (record,) = self._query(_VERSION, {}, "reading the version")
        meta = record["meta"] or {}
        return -int(meta["changes"]) if meta.get("loading") is not None else int(meta.get("version", 0))

    def transaction_rows(self) -> int:
        """How many nodes and edges one write may hold to be one transaction: `max_transaction_rows`, or
        the server's limit on the memory of a transaction (or of all of them) over 8 KB, or 50,000 when
        the server sets no limit or does not say."""
        if self.max_transaction_rows is None:
            with self._translated("reading the transaction memory limits"):
                try:
                    records, _, _ = self._driver.execute_query(
                        _MEMORY_SETTINGS, database_=self.settings.database, routing_=RoutingControl.READ
                    )
                except driver_errors.ClientError as error:
                    if error.code not in _SETTINGS_REFUSED:
                        raise
                    records = []  # a user not allowed to read the settings
            known = [limit for limit in (_bytes(record["value"]) for record in records) if limit]
            found = min(known) // _TRANSACTION_BYTES_PER_ROW if known else _DEFAULT_TRANSACTION_ROWS
            self.max_transaction_rows = max(found, 100)
        return self.max_transaction_rows

    def node(self, node_id: str) -> Node | None:
        records = self._query(_NODE, {"id": node_id}, "reading a node")
        return _node(records[0]) if records else None

    def nodes_by_id(self, node_ids: Sequence[str]) -> list[Node | None]:
        if not node_ids:
            return []
        records = self._query(_NODES_BY_ID, {"ids": list(dict.fromkeys(node_ids))}, "reading nodes")
        found = {node.id: node for node in map(_node, records)}
        return [found.get(node_id) for node_id in node_ids]

    def nodes(self, kind: NodeKind) -> Iterator[Node]:
        """Every node of `kind`, read in lists of `batch_size` (a record each: the driver's time goes on
        records more than on the values in them)."""
        records = self._query(
            _NODES_OF_KIND[kind], {"batch": self.batch_size}, f"reading the {kind.value} nodes"
        )
        return iter([_node_of(kind, stored) for record in records for stored in record["rows"]])

    def count(self, kind: NodeKind) -> int:
        records = self._query(_COUNT[kind], {}, f"counting the {kind.value} nodes")
        return int(records[0]["count"])

    def sorted_ids(self, kind: NodeKind) -> Sequence[str]:
        """Every id of `kind`, in ascending order (Python's, which Cypher's differs from beyond the BMP)."""
        records = self._query(_IDS_OF_KIND[kind], {}, f"reading the {kind.value} ids")
        return sorted(record["id"] for record in records)

    def find(self, kind: NodeKind, prop: str, value: Any) -> list[Node]:
        if value is None or isinstance(value, Mapping):
            return []  # the memory store indexes neither None nor dicts
        stored = _stored_name(prop)
        query = _FIND.get((kind, stored))
        params: dict[str, Any] = {"value": _encode_value(value)}
        if query is None:  # a property outside the ontology: looked up by name, without an index
            query = _FIND_ANY[kind]
            params["prop"] = stored
        records = self._query(query, params, f"finding {kind.value} nodes")
        return sorted(map(_node, records), key=lambda node: node.id)

    def edges(
        self,
        *,
        source: str | None = None,
        kind: EdgeKind | None = None,
        target: str | None = None,
    ) -> Iterator[Edge]:
        if source is None and target is None and kind is None:
            raise ValueError("edges() needs a source, a target or a kind")
        if source is None and target is None and kind is not None:  # every edge of a kind, in lists
            records = self._query(
                _EDGES_OF_KIND[kind], {"batch": self.batch_size}, f"reading the {kind.value} edges"
            )
            return iter(
                [_edge_of(s, kind, t, stored) for record in records for s, t, stored in record["rows"]]
            )
        query = _EDGES[(source is not None, kind, target is not None)]
        records = self._query(query, {"source": source, "target": target}, "reading edges")
        return iter([_edge(record) for record in records])

    def edges_from(self, sources: Sequence[str], kind: EdgeKind) -> Mapping[str, list[Edge]]:
        found: dict[str, list[Edge]] = {source: [] for source in sources}
        if found:
            for record in self._query(_EDGES_FROM[kind], {"ids": list(found)}, "reading edges"):
                found[record["s"]].append(_edge(record))
        return found

    def edges_to(self, targets: Sequence[str], kind: EdgeKind) -> Mapping[str, list[Edge]]:
        found: dict[str, list[Edge]] = {target: [] for target in targets}
        if found:
            for record in self._query(_EDGES_TO[kind], {"ids": list(found)}, "reading edges"):
                found[record["t"]].append(_edge(record))
        return found

    def case_neighbourhood(self, case_id: str) -> tuple[list[Node], list[Edge]] | None:
        """Everything a trace of the case reads (graph.store.CaseNeighbourhood), in one query."""
        # `CALL { WITH … }`, deprecated from 5.23 on but understood before, hence no notifications
        doing = "reading the neighbourhood of a case"
        with self._translated(doing), self._session(read=True, notifications=False) as session:
            records = list(session.run(_CASE_NEIGHBOURHOOD, {"case": case_id}))
        if not records:
            return None
        nodes = {
            node.id: node for node in (_node_of(_kind(labels), dict(p)) for p, labels in records[0]["nodes"])
        }
        edges = [_edge_of(s, _EDGE_KINDS[k], t, dict(p)) for s, k, t, p in records[0]["edges"]]
        return list(nodes.values()), edges

    def holders(self, post_id: str, on: date) -> list[Node]:
        records = self._query(_HOLDERS, {"post": post_id, "on": on}, "reading the holders of a post")
        return sorted(map(_node, records), key=lambda holding: (holding["start"], holding.id))

    def power_items_containing(self, wanted: str) -> list[Node] | None:
        """The power items whose normalised name, sub-item or code may contain `wanted` (normalised), from
        the full-text index `quanze_power_item_text`: every item where one does, and the few where `wanted`
        only runs from one text into the next, for the caller to check (`queries.list_power_items`). None
        when the index cannot answer for every item: `wanted` is empty, the index is missing (a graph whose
        schema was set up before it, or a load in several transactions under way, which builds it at its
        end) or still being built, or some power item has no `_text` (written before this store wrote it;
        looked for once per version of the graph).

        The index reads `_text`, the texts a character at a time, with the whitespace analyser: a term for
        each character, in order, as it is. `wanted`, a character at a time, is a phrase query, which finds
        the items whose text holds those characters one after the other: every substring, of any length,
        in any script, letters, digits and punctuation alike. The CJK analyser would lose true matches: it
        indexes two Chinese characters at a time (one character is found only where it stands alone),
        makes one term of a run of letters and digits (a part of a code finds nothing), drops English stop
        words and punctuation, and folds case.

            >>> store.power_items_containing("行政許可")                          # doctest: +SKIP
            []
            >>> [item.id for item in store.power_items_containing("行政许可")]   # doctest: +SKIP
            ['powerItem:XK-001']
        """
        phrase = _phrase(wanted)
        if phrase is None:
            return None
        version = self.version
        if self._text_indexed_at != version:
            if self._query(_WITHOUT_TEXT, {}, "looking for power items written without their search text"):
                return None
            self._text_indexed_at = version
        try:
            records = self._query(_SEARCH_POWER_ITEMS, {"phrase": phrase}, "searching the power items' text")
        except driver_errors.ClientError as error:
            if error.code != _PROCEDURE_FAILED:  # a missing index fails the procedure
                raise
            return None
        return [_node(record) for record in records]

    # -- writing -----------------------------------------------------------------

    @contextmanager
    def writer(self) -> Iterator[Neo4jWriter]:
        """A writer whose nodes and edges are applied when the block ends cleanly: in one transaction, or
        for a write bigger than `transaction_rows()` into an empty graph (or replacing the graph), as a
        load in several that is undone if one fails (see the module's docstring for what that guarantees).

        Raises `GraphIntegrityError` (nothing applied) for an edge to a missing
        node or between the wrong kinds, a node changing its kind, or a write too
        big for one transaction into a graph that holds something without
        `clear()`; `StoreUnavailable` while a load in several transactions runs,
        or when the server fails (a load then says that it was undone).
        """
        writer = Neo4jWriter()
        yield writer
        self._apply(writer)

    # -- internals ---------------------------------------------------------------

    def _session(self, *, notifications: bool = True, read: bool = False) -> Session:
        return self._driver.session(
            database=self.settings.database,
            default_access_mode=READ_ACCESS if read else WRITE_ACCESS,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
            notifications_min_severity=None if notifications else "OFF",
        )

    def _query(self, query: str, params: dict[str, Any], doing: str) -> list[Record]:
        """The records of a read, in a transaction of its own (one round trip: `execute_query` takes two)."""
        with self._translated(doing), self._session(read=True) as session:
            return list(session.run(query, params))

    def _apply(self, writer: Neo4jWriter) -> None:
        """Check the write against the graph and apply it, in one transaction (on any problem, nothing), or
        when it is too big for one, as a load in several."""
        if not self._schema_ready:
            with self._schema_lock:
                if not self._schema_ready:
                    self.setup_schema()
        if len(writer.nodes) + len(writer.edges) > self.transaction_rows():
            self._load(writer)
            return
        nodes = {node_id: (node, _node_row(node)) for node_id, node in writer.nodes.items()}
        edges = [(edge, _edge_row(edge)) for edge in writer.edges.values()]

        def work(tx: ManagedTransaction) -> None:
            self._begin_write(tx, versions=1)  # first: it locks the version node, so writers take turns
            if writer.cleared:
                check_write(writer.nodes, writer.edges.values(), lambda _: None)
                existing = self._replace(tx, writer)
            else:
                wanted = set(writer.nodes)
                wanted.update(end for edge in writer.edges.values() for end in (edge.source, edge.target))
                existing = self._existing(tx, wanted)
                kinds = {node_id: kind for node_id, (kind, _) in existing.items()}
                check_write(writer.nodes, writer.edges.values(), kinds.get)

            created: dict[NodeKind, list[dict[str, Any]]] = defaultdict(list)
            replaced: list[dict[str, Any]] = []
            patched: list[dict[str, Any]] = []
            for node_id, (node, row) in nodes.items():
                was = existing.get(node_id)
                if was is None:
                    created[node.kind].append(row)
                elif was[1].keys() - row.keys() - {"_load"}:
                    replaced.append(row)
                else:  # only what changed, so that unchanged indexed values are not touched
                    old = was[1]
                    changed = {k: v for k, v in row.items() if k not in old or not _same(v, old[k])}
                    if changed:
                        patched.append({"id": node_id, "p": changed})
            for kind, rows in created.items():
                self._batched(tx, _CREATE_NODES[kind], rows)
            self._batched(tx, _REPLACE_NODES, replaced)
            self._batched(tx, _PATCH_NODES, patched)

            fresh_edges: dict[EdgeKind, list[dict[str, Any]]] = defaultdict(list)
            other_edges: dict[EdgeKind, list[dict[str, Any]]] = defaultdict(list)
            for edge, row in edges:
                # After a clear no edge is left; between two new nodes none can be.
                fresh = writer.cleared or (edge.source not in existing and edge.target not in existing)
                (fresh_edges if fresh else other_edges)[edge.kind].append(row)
            for edge_kind, rows in fresh_edges.items():
                self._batched(tx, _CREATE_EDGES[edge_kind], rows)
            for edge_kind, rows in other_edges.items():
                self._batched(tx, _MERGE_EDGES[edge_kind], rows)

        with self._translated("writing"), self._session() as session:
            session.execute_write(work)

    def _begin_write(self, tx: ManagedTransaction, *, versions: int = 0, changes: int = 0) -> None:
        """Lock the version node, raising the version and the count of changes; refuse while a load runs."""
        meta = tx.run(_BEGIN_WRITE, versions=versions, changes=changes).single(strict=True)["meta"]
        if meta.get("loading") is not None:
            since, seen = (_when(meta.get(name)) for name in ("loading_since", "loading_seen"))
            raise StoreUnavailable(
                f"Neo4j at {self.settings.uri} is busy: a load in several transactions ({meta['loading']}), "
                f"begun {since} and last heard of {seen}, is under way, and writes wait until it ends. If the "
                "process that ran it is gone, Neo4jStore.clear() removes what it wrote"
            )

    def _load(self, writer: Neo4jWriter) -> None:
        """Apply a write too big for one transaction as a load in several into an empty graph, every node
        tagged with the load's id; if anything fails, delete what is tagged and raise, saying so."""
        nodes, edges = list(writer.nodes.values()), list(writer.edges.values())
        for node in nodes:  # every property can be stored (the rows are made again as they are sent)
            _node_row(node, searched=False)
        for edge in edges:
            _edge_row(edge)
        check_write(writer.nodes, edges, lambda _: None)  # the graph is empty, or will be
        load = uuid.uuid4().hex
        # side by side, in the server's memory for transactions; not bigger than needed to keep it busy
        rows = max(1, min(self.transaction_rows() // self.load_workers, _LOAD_TRANSACTION_ROWS))
        size = len(nodes) + len(edges)
        with self._translated(f"beginning a load of {size:,} nodes and edges"), self._session() as session:
            replaces = session.execute_write(self._begin_load, load, writer.cleared, size)
        try:
            with self._translated(f"loading {size:,} nodes and edges in transactions of {rows:,}"):
                # The text index is built once at the end: kept up to date row by row, it costs a tenth
                # of the load's time. Meanwhile a search reads every item (`power_items_containing`).
                self._drop_text_index()
                if replaces:
                    with self._session(notifications=False) as session:
                        self._delete_in_batches(session, None)
                        session.execute_write(self._continue_load, load)
                # The nodes, then the edges, whose ends must be there: each in transactions side by side.
                self._in_parallel(load, nodes, rows, (0, size))
                self._in_parallel(load, edges, rows, (len(nodes), size))
            with self._translated("indexing the power items' text after a load"):
                self._create_text_index()
            with self._translated("ending a load"), self._session() as session:
                session.execute_write(self._end_load, load)
        except BaseException as error:
            undone = self._undo_load(load, replaces)
            if isinstance(error, GraphIntegrityError | StoreUnavailable):
                raise type(error)(f"{error}; {undone}") from error
            error.add_note(undone)
            raise

    def _drop_text_index(self) -> None:
        with self._session() as session:
            session.run(_DROP_TEXT_INDEX).consume()

    def _create_text_index(self) -> None:
        """Create the full-text index of the power items' text if it is missing, and wait until it is online."""
        with self._session() as session:
            session.run(_CREATE_TEXT_INDEX).consume()
            session.run(_AWAIT_TEXT_INDEX).consume()

    def _begin_load(self, tx: ManagedTransaction, load: str, replacing: bool, size: int) -> bool:
        """Mark the load as under way if the graph is empty or the write replaces it; return whether it has
        a graph to delete first."""
        self._begin_write(tx, changes=1)
        occupied = tx.run(_ANY_NODE).single() is not None
        if occupied and not replacing:
            raise GraphIntegrityError(
                f"a write of {size:,} nodes and edges is more than one transaction holds on Neo4j at "
                f"{self.settings.uri} ({self.transaction_rows():,}, max_transaction_rows), and it can be written "
                "in several only into an empty graph, or replacing the graph (writer.clear()), so that a "
                "failure half way can be undone; nothing was written. Write it in smaller writes, replace "
                "the whole graph, or give the server more heap"
            )
        tx.run(_MARK_LOAD, load=load).consume()
        return occupied

    def _in_parallel(
        self, load: str, items: Sequence[Node] | Sequence[Edge], size: int, reported: tuple[int, int]
    ) -> None:
        """Write nodes or edges in transactions of `size`, `load_workers` at a time; on the first failure,
        start no more and raise it once those under way have ended. `reported` is (how many of the load's
        nodes and edges were written before these, how many it has in all), for its progress."""
        done, total = reported
        with ThreadPoolExecutor(self.load_workers, thread_name_prefix="quanze-load") as pool:
            chunks = [items[start : start + size] for start in range(0, len(items), size)]
            futures = {pool.submit(self._write_chunk, load, chunk): len(chunk) for chunk in chunks}
            try:
                for future in as_completed(futures):
                    future.result()
                    done += futures[future]
                    progress.step("writing to Neo4j", done, total)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise

    def _write_chunk(self, load: str, items: Sequence[Node] | Sequence[Edge]) -> None:
        """One transaction of a load (again, when Neo4j broke a deadlock with a transaction beside it), then
        a short one that counts it on the version node and checks that the load is still marked."""
        chunk: dict[str, list[dict[str, Any]]] = defaultdict(list)  # the rows by their statement
        for item in items:
            if isinstance(item, Node):
                chunk[_LOAD_NODES[item.kind]].append(_node_row(item))
            else:
                chunk[_LOAD_EDGES[item.kind]].append(_edge_row(item))
        with self._session(notifications=False) as session:
            for attempt in range(_DEADLOCK_RETRIES + 1):
                try:
                    session.execute_write(self._load_chunk, chunk, load)
                    break
                except driver_errors.TransientError as error:
                    if error.code != _DEADLOCK or attempt == _DEADLOCK_RETRIES:
                        raise
            session.execute_write(self._continue_load, load)

    def _load_chunk(self, tx: ManagedTransaction, chunk: dict[str, list[dict[str, Any]]], load: str) -> None:
        """Create one transaction's share of a load, checking that every row made its node or edge."""
        for query, rows in chunk.items():
            for start in range(0, len(rows), self.batch_size):
                batch = rows[start : start + self.batch_size]
                made = tx.run(query, rows=batch, load=load).single(strict=True)["made"]
                if made != len(batch):
                    raise GraphIntegrityError(
                        f"Neo4j at {self.settings.uri}: {len(batch) - made} of {len(batch)} edges found an end "
                        "missing: a node of the load was deleted while it ran"
                    )

    def _continue_load(self, tx: ManagedTransaction, load: str) -> None:
        """Count a transaction of the load (`version` reads the count, negated); raise if it was ended."""
        if tx.run(_CONTINUE_LOAD, load=load).single() is None:
            raise StoreUnavailable(
                f"Neo4j at {self.settings.uri}: the load was ended from outside (Neo4jStore.clear())"
            )

    def _end_load(self, tx: ManagedTransaction, load: str) -> None:
        """End the mark of the load, raising the version; raise if it was ended from outside."""
        if tx.run(_END_LOAD, load=load).single() is None:
            raise StoreUnavailable(
                f"Neo4j at {self.settings.uri}: the load was ended from outside (Neo4jStore.clear())"
            )

    def _undo_load(self, load: str, replaced: bool) -> str:
        """Delete everything tagged with `load` and end its mark, raising the version (an answer computed
        while the load ran must not be taken for one of the graph before); say what the graph holds now."""
        try:
            with self._translated("undoing a load"), self._session(notifications=False) as session:
                session.execute_write(lambda tx: tx.run(_CONTINUE_LOAD, load=load).consume())
                self._delete_in_batches(session, load)
                self._create_text_index()  # dropped when the load began
                session.execute_write(lambda tx: tx.run(_END_LOAD, load=load).consume())
        except Exception as error:  # the server is gone, most likely: say so beside the first error
            self._schema_ready = False  # the text index may be missing: the next write sets it up again
            return (
                f"the load could not be undone ({error}): the graph holds part of it, marked as the unfinished "
                f"load {load}, and refuses writes until Neo4jStore.clear() removes it"
            )
        if replaced:
            return (
                "the load was undone, and the graph is EMPTY: the graph it replaced was deleted before it "
                "began (a replacing write too big for one transaction is all or nothing about the new graph)"
            )
        return "the load was undone: the graph is empty, as it was"

    def _delete_in_batches(self, session: Session, load: str | None) -> None:
        """Delete every edge, then every node, tagged with `load` (or all of them), in transactions of their own."""
        # Edges first, as a node may have thousands; `CALL { WITH … }` is deprecated from 5.23 on,
        # but its successor `CALL (e) { … }` is not understood before, hence no notifications.
        rows = min(self.transaction_rows(), 10_000)
        for delete in _DELETE_IN_BATCHES if load is None else _DELETE_LOAD_IN_BATCHES:
            session.run(delete, load=load, rows=rows).consume()

    def _existing(self, tx: ManagedTransaction, node_ids: set[str] | None) -> dict[str, _Stored]:
        """The kind and stored properties of each of these ids (of every id, for None) in the graph."""
        if node_ids is None:
            records = list(tx.run(_ALL_NODES))
        elif not node_ids or tx.run(_ANY_NODE).single() is None:
            records = []
        else:
            ordered = sorted(node_ids)
            records = [
                record
                for start in range(0, len(ordered), self.batch_size)
                for record in tx.run(_NODES_BY_ID, ids=ordered[start : start + self.batch_size])
            ]
        return {record["p"]["id"]: (_kind(record["l"]), record["p"]) for record in records}

    def _replace(self, tx: ManagedTransaction, writer: Neo4jWriter) -> dict[str, _Stored]:
        """Empty the graph for a write that replaces it; return the nodes kept, to be updated in place.

        Deleting every node and creating the same ids again in one transaction
        makes Neo4j's index look-ups crawl (each id is both removed and added in
        the transaction's state), so the nodes the write names again, with the
        same kind, stay and get their new properties; every edge and every other
        node goes.
        """
        existing = self._existing(tx, None)
        tx.run(_DELETE_EDGES).consume()
        kept: dict[str, _Stored] = {}
        stale: list[str] = []
        for node_id, (kind, props) in existing.items():
            node = writer.nodes.get(node_id)
            if node is not None and node.kind == kind:
                kept[node_id] = (kind, props)
            else:
                stale.append(node_id)
        for start in range(0, len(stale), self.batch_size):
            tx.run(_DELETE_NODES, ids=stale[start : start + self.batch_size]).consume()
        return kept

    def _batched(self, tx: ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), self.batch_size):
            tx.run(query, rows=rows[start : start + self.batch_size]).consume()

    @contextmanager
    def _translated(self, doing: str) -> Iterator[None]:
        """Turn the driver's errors into ours: `StoreUnavailable` naming the URI, never the password."""
        where = f"Neo4j at {self.settings.uri}"
        try:
            yield
        except driver_errors.AuthError as error:
            raise StoreUnavailable(
                f"{where} refused the login of user {self.settings.user!r} while {doing}: "
                f"{self._reason(error)} (check NEO4J_USER and NEO4J_PASSWORD)"
            ) from error
        except driver_errors.IncompleteCommit as error:
            raise StoreUnavailable(
                f"{where}: the connection broke during the commit while {doing}; "
                f"the write may or may not have been applied ({self._reason(error)})"
            ) from error
        except (
            driver_errors.ServiceUnavailable,
            driver_errors.SessionExpired,
            driver_errors.ConnectionAcquisitionTimeoutError,
        ) as error:
            raise StoreUnavailable(f"{where} is unavailable while {doing}: {self._reason(error)}") from error
        except driver_errors.ConstraintError as error:  # a concurrent writer created the same id
            raise GraphIntegrityError(f"{where} rejected the write: {self._reason(error)}") from error
        except (driver_errors.TransientError, driver_errors.DatabaseError) as error:
            if error.code in _MEMORY_CODES:
                rows = self.max_transaction_rows
                raise StoreUnavailable(
                    f"{where} ran out of transaction memory while {doing}; the transaction was rolled back: "
                    f"{self._reason(error)}. Neo4j holds 2-4 KB of transaction state for each new node or edge, "
                    f"more for big properties, and this store writes up to {f'{rows:,}' if rows else 'a number'} of "
                    "them in one transaction (max_transaction_rows): give the server more heap, or the store "
                    "a lower max_transaction_rows"
                ) from error
            raise StoreUnavailable(f"{where} failed while {doing}: {self._reason(error)}") from error
        except driver_errors.ClientError as error:
            if (error.code or "").startswith("Neo.ClientError.Security."):
                raise StoreUnavailable(
                    f"{where} refused user {self.settings.user!r} while {doing}: {self._reason(error)}"
                ) from error
            if error.code in _UNAVAILABLE_CODES:
                raise StoreUnavailable(
                    f"{where} has no usable database {self.settings.database!r}: {self._reason(error)}"
                ) from error
            raise
        except OSError as error:
            raise StoreUnavailable(f"{where} is unavailable while {doing}: {self._reason(error)}") from error

    def _reason(self, error: BaseException) -> str:
        reason = " ".join(str(error).split())
        # "Couldn't connect to … (resolved to …): Failed to … (reason [Errno 111] Connection refused)"
        refused = _CONNECT_REASON.search(reason)
        if refused:
            reason = refused.group(1)
        if isinstance(error, driver_errors.Neo4jError) and error.code:
            reason = f"{error.code}: {error.message or reason}"
        if len(reason) > 300:
            reason = reason[:297] + "..."
        password = self.settings.password
        return reason.replace(password, "***") if password else reason


class Neo4jWriter:
    """Holds a write until the store applies it (the same contract as `MemoryWriter`)."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, EdgeKind, str], Edge] = {}
        self.cleared = False

    def add_node(self, node: Node) -> None:
        self.nodes[node.id] = node

    def add_edge(self, edge: Edge) -> None:
        self.edges[edge.key] = edge

    def clear(self) -> None:
        self.cleared = True
        self.nodes.clear()
        self.edges.clear()


# -- Cypher ------------------------------------------------------------------------------------
# Labels, types and property names below come from the enums and the ontology only, and are
# quoted all the same (`Case` and `exists` are Cypher words).

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
assert all(_IDENTIFIER.fullmatch(kind.value) for kind in (*NodeKind, *EdgeKind))
assert all(_IDENTIFIER.fullmatch(prop) for props in PROPERTIES.values() for prop in props)

_INDEXED_PROPS = ("key", "name", "code", "government", "power_type", "person_id", "case_id", "record_id")
_INDEXED = [
    (kind, prop)
    for kind in NodeKind
    for prop in _INDEXED_PROPS
    if prop in PROPERTIES[kind] and (prop != "name" or "key" in PROPERTIES[kind])
]
_TEXT_INDEX = "quanze_power_item_text"
_CREATE_TEXT_INDEX = (
    f"CREATE FULLTEXT INDEX {_TEXT_INDEX} IF NOT EXISTS FOR (n:`{NodeKind.POWER_ITEM.value}`) ON EACH [n._text] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}}"
)
_SCHEMA = [
    "CREATE CONSTRAINT quanze_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT quanze_meta_name IF NOT EXISTS FOR (m:QuanzeMeta) REQUIRE m.name IS UNIQUE",
    *(
        f"CREATE INDEX quanze_{kind.value.lower()}_{prop} IF NOT EXISTS FOR (n:`{kind.value}`) ON (n.`{prop}`)"
        for kind, prop in _INDEXED
    ),
    "DROP INDEX quanze_text IF EXISTS",  # a CJK index of the shown texts, which no query could use
    _CREATE_TEXT_INDEX,
]
_DROP_TEXT_INDEX = f"DROP INDEX {_TEXT_INDEX} IF EXISTS"
_AWAIT_TEXT_INDEX = f"CALL db.awaitIndex('{_TEXT_INDEX}', 3600)"

_RETURN_NODE = "RETURN properties(n) AS p, labels(n) AS l"
_NODE = f"MATCH (n:Node {{id: $id}}) {_RETURN_NODE}"
_NODES_BY_ID = f"UNWIND $ids AS id MATCH (n:Node {{id: id}}) {_RETURN_NODE}"
_ALL_NODES = f"MATCH (n:Node) {_RETURN_NODE}"
_ANY_NODE = "MATCH (n:Node) RETURN n.id LIMIT 1"
_DELETE_EDGES = "MATCH (:Node)-[e]->(:Node) DELETE e"
_DELETE_IN_BATCHES = (
    "MATCH (:Node)-[e]->(:Node) CALL { WITH e DELETE e } IN TRANSACTIONS OF $rows ROWS",
    "MATCH (n:Node) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF $rows ROWS",
)
_DELETE_LOAD_IN_BATCHES = (  # every edge of a load goes from a node of it
    "MATCH (a:Node)-[e]->(:Node) WHERE a._load = $load CALL { WITH e DELETE e } IN TRANSACTIONS OF $rows ROWS",
    "MATCH (n:Node) WHERE n._load = $load CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF $rows ROWS",
)
_DELETE_NODES = "UNWIND $ids AS id MATCH (n:Node {id: id}) DETACH DELETE n"
_NODES_OF_KIND = {  # the nodes held as references, their properties sent in lists of $batch
    kind: f"MATCH (n:`{kind.value}`) WITH collect(n) AS nodes UNWIND range(0, size(nodes) - 1, $batch) AS start "
    "RETURN [n IN nodes[start..start + $batch] | properties(n)] AS rows"
    for kind in NodeKind
}
_IDS_OF_KIND = {kind: f"MATCH (n:`{kind.value}`) RETURN n.id AS id" for kind in NodeKind}
_COUNT = {kind: f"MATCH (n:`{kind.value}`) RETURN count(n) AS count" for kind in NodeKind}
_FIND = {
    (kind, prop): f"MATCH (n:`{kind.value}`) WHERE n.`{prop}` = $value {_RETURN_NODE}"
    for kind in NodeKind
    for prop in PROPERTIES[kind]
}
_FIND_ANY = {kind: f"MATCH (n:`{kind.value}`) WHERE n[$prop] = $value {_RETURN_NODE}" for kind in NodeKind}
_HOLDERS = (
    f"MATCH (n:`{NodeKind.HOLDING.value}`)-[:`{EdgeKind.HOLDING_POST.value}`]->(:Node {{id: $post}}) "
    f"WHERE n.start <= $on AND (n.end IS NULL OR $on < n.end) {_RETURN_NODE}"
)
# What a trace of a case reads (graph/analyses/trace.py), gathered hop by hop: the case's item, steps,
# their performers and the case's records; the item's citations and stages; the stages' posts, units and
# departments, the places of those posts and the departments of those units; every post placed in, or
# supervising, one of those places; the holdings of all those posts and their persons.
_CASE_NEIGHBOURHOOD = f"""
MATCH (c:Node {{id: $case}}) WHERE c:`{NodeKind.CASE.value}`
OPTIONAL MATCH (c)-[ce:`{EdgeKind.CASE_OF.value}`]->(item:Node)
CALL {{ WITH c
  OPTIONAL MATCH (step:Node)-[e:`{EdgeKind.STEP_OF.value}`]->(c)
  OPTIONAL MATCH (step)-[pe:`{EdgeKind.PERFORMED_BY.value}`]->(performer:Node)
  OPTIONAL MATCH (record:Node)-[re:`{EdgeKind.RECORD_CASE.value}`]->(c)
  RETURN collect(DISTINCT step) + collect(DISTINCT performer) + collect(DISTINCT record) AS caseNodes,
         collect(DISTINCT e) + collect(DISTINCT pe) + collect(DISTINCT re) AS caseEdges }}
CALL {{ WITH item
  OPTIONAL MATCH (item)-[e:`{EdgeKind.CITES.value}`]->(article:Node)
  OPTIONAL MATCH (stage:Node)-[se:`{EdgeKind.STAGE_OF.value}`]->(item)
  OPTIONAL MATCH (stage)-[te:`{EdgeKind.STAGE_POST.value}`|`{EdgeKind.STAGE_DEPARTMENT.value}`|`{EdgeKind.STAGE_UNIT.value}`]->(target:Node)
  RETURN collect(DISTINCT article) + collect(DISTINCT stage) AS itemNodes, collect(DISTINCT target) AS targets,
         collect(DISTINCT e) + collect(DISTINCT se) + collect(DISTINCT te) AS itemEdges }}
CALL {{ WITH targets
  UNWIND [t IN targets WHERE t:`{NodeKind.POST.value}`] AS post
  OPTIONAL MATCH (post)-[e:`{EdgeKind.POST_IN.value}`]->(place:Node)
  RETURN collect(DISTINCT place) AS postPlaces, collect(DISTINCT e) AS postPlaceEdges }}
CALL {{ WITH targets, postPlaces
  UNWIND [u IN targets + postPlaces WHERE u:`{NodeKind.UNIT.value}`] AS unit
  OPTIONAL MATCH (unit)-[e:`{EdgeKind.UNIT_OF.value}`]->(department:Node)
  RETURN collect(DISTINCT department) AS unitDepartments, collect(DISTINCT e) AS unitEdges }}
WITH c, item, ce, caseNodes, caseEdges, itemNodes, itemEdges, targets, postPlaces, postPlaceEdges,
     unitDepartments, unitEdges,
     [x IN targets + postPlaces + unitDepartments WHERE x:`{NodeKind.UNIT.value}` OR x:`{NodeKind.DEPARTMENT.value}`] AS places
CALL {{ WITH places
  UNWIND places AS place
  OPTIONAL MATCH (post:Node)-[e:`{EdgeKind.POST_IN.value}`|`{EdgeKind.SUPERVISES.value}`]->(place)
  RETURN collect(DISTINCT post) AS placePosts, collect(DISTINCT e) AS placePostEdges }}
CALL {{ WITH targets, placePosts
  UNWIND [p IN targets WHERE p:`{NodeKind.POST.value}`] + placePosts AS post
  OPTIONAL MATCH (holding:Node)-[he:`{EdgeKind.HOLDING_POST.value}`]->(post)
  OPTIONAL MATCH (holding)-[pe:`{EdgeKind.HOLDING_OF.value}`]->(person:Node)
  RETURN collect(DISTINCT holding) + collect(DISTINCT person) AS holdingNodes,
         collect(DISTINCT he) + collect(DISTINCT pe) AS holdingEdges }}
WITH [c] + [x IN [item] WHERE x IS NOT NULL] + caseNodes + itemNodes + targets + postPlaces + unitDepartments
       + placePosts + holdingNodes AS found,
     [x IN [ce] WHERE x IS NOT NULL] + caseEdges + itemEdges + postPlaceEdges + unitEdges + placePostEdges
       + holdingEdges AS links
RETURN [n IN found | [properties(n), labels(n)]] AS nodes,
       [e IN links | [startNode(e).id, type(e), endNode(e).id, properties(e)]] AS edges
"""
_SEARCH_POWER_ITEMS = (
    f"CALL db.index.fulltext.queryNodes('{_TEXT_INDEX}', $phrase) YIELD node AS n {_RETURN_NODE}"
)
_WITHOUT_TEXT = f"MATCH (n:`{NodeKind.POWER_ITEM.value}`) WHERE n._text IS NULL RETURN n.id LIMIT 1"
_PROCEDURE_FAILED = "Neo.ClientError.Procedure.ProcedureCallFailed"

_RETURN_EDGE = "RETURN a.id AS s, type(e) AS k, b.id AS t, properties(e) AS p"


def _edges_query(source: bool, kind: EdgeKind | None, target: bool) -> str:
    a = "(a:Node {id: $source})" if source else "(a:Node)"
    b = "(b:Node {id: $target})" if target else "(b:Node)"
    e = f"[e:`{kind.value}`]" if kind else "[e]"
    return f"MATCH {a}-{e}->{b} {_RETURN_EDGE}"


_EDGES = {
    (source, kind, target): _edges_query(source, kind, target)
    for source in (False, True)
    for target in (False, True)
    for kind in (None, *EdgeKind)
}
_EDGES_OF_KIND = {
    kind: f"MATCH (:Node)-[e:`{kind.value}`]->(:Node) WITH collect(e) AS edges "
    "UNWIND range(0, size(edges) - 1, $batch) AS start "
    "RETURN [e IN edges[start..start + $batch] | [startNode(e).id, endNode(e).id, properties(e)]] AS rows"
    for kind in EdgeKind
}
_EDGES_FROM = {
    kind: f"UNWIND $ids AS id MATCH (a:Node {{id: id}})-[e:`{kind.value}`]->(b:Node) {_RETURN_EDGE}"
    for kind in EdgeKind
}
_EDGES_TO = {
    kind: f"UNWIND $ids AS id MATCH (a:Node)-[e:`{kind.value}`]->(b:Node {{id: id}}) {_RETURN_EDGE}"
    for kind in EdgeKind
}

_CREATE_NODES = {kind: f"UNWIND $rows AS r CREATE (n:Node:`{kind.value}`) SET n = r" for kind in NodeKind}
_REPLACE_NODES = "UNWIND $rows AS r MATCH (n:Node {id: r.id}) SET n = r"
_PATCH_NODES = "UNWIND $rows AS r MATCH (n:Node {id: r.id}) SET n += r.p"
_MATCH_ENDS = "UNWIND $rows AS r MATCH (a:Node {id: r.s}) MATCH (b:Node {id: r.t})"
_CREATE_EDGES = {kind: f"{_MATCH_ENDS} CREATE (a)-[e:`{kind.value}`]->(b) SET e = r.p" for kind in EdgeKind}
_LOAD_NODES = {
    kind: f"UNWIND $rows AS r CREATE (n:Node:`{kind.value}`) SET n = r, n._load = $load RETURN count(*) AS made"
    for kind in NodeKind
}
_LOAD_EDGES = {kind: f"{_CREATE_EDGES[kind]} RETURN count(*) AS made" for kind in EdgeKind}

# The version node: the version, a count of the transactions of loads (whose negation `version` reads
# while one runs), and the mark of a load under way.
_VERSION = "OPTIONAL MATCH (m:QuanzeMeta {name: 'graph'}) RETURN properties(m) AS meta"
_BEGIN_WRITE = (  # the mark's properties read from a map: Neo4j warns of a key it has never seen
    "MERGE (m:QuanzeMeta {name: 'graph'}) "
    "SET m.version = coalesce(m.version, 0) + $versions, m.changes = coalesce(m.changes, 0) + $changes "
    "RETURN properties(m) AS meta"
)
_MARK_LOAD = (
    "MATCH (m:QuanzeMeta {name: 'graph'}) SET m.loading = $load, m.loading_since = datetime(), "
    "m.loading_seen = datetime()"
)
_CONTINUE_LOAD = (
    "MATCH (m:QuanzeMeta {name: 'graph'}) WHERE m.loading = $load "
    "SET m.changes = m.changes + 1, m.loading_seen = datetime() RETURN m.changes AS changes"
)
_END_LOAD = (
    "MATCH (m:QuanzeMeta {name: 'graph'}) WHERE m.loading = $load "
    "SET m.version = m.version + 1 REMOVE m.loading, m.loading_since, m.loading_seen "
    "RETURN m.version AS version"
)
_CLEARED = (
    "MERGE (m:QuanzeMeta {name: 'graph'}) SET m.version = coalesce(m.version, 0) + 1 "
    "REMOVE m.loading, m.loading_since, m.loading_seen"
)
_MEMORY_SETTINGS = "CALL dbms.listConfig('memory.transaction') YIELD name, value RETURN name, value"
_SETTINGS_REFUSED = {
    "Neo.ClientError.Security.Forbidden",
    "Neo.ClientError.Procedure.ProcedureNotFound",
    "Neo.ClientError.Procedure.ProcedureCallFailed",
}
_TRANSACTION_BYTES_PER_ROW = 8 * 1024
_DEFAULT_TRANSACTION_ROWS = 50_000
_LOAD_TRANSACTION_ROWS = 20_000
_DEADLOCK = "Neo.TransientError.Transaction.DeadlockDetected"
_DEADLOCK_RETRIES = 5
_MERGE_EDGES = {kind: f"{_MATCH_ENDS} MERGE (a)-[e:`{kind.value}`]->(b) SET e = r.p" for kind in EdgeKind}

_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_CONNECT_REASON = re.compile(r"\(reason (.+)\)$")
_MEMORY_CODES = {
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
    "Neo.TransientError.General.OutOfMemoryError",
}
_UNAVAILABLE_CODES = {
    "Neo.ClientError.Database.DatabaseNotFound",
    "Neo.ClientError.Database.DatabaseUnavailable",
}


def _when(value: Any) -> str:
    """A Neo4j DateTime as an ISO time to the second, in UTC."""
    if isinstance(value, driver_time.DateTime):
        return value.to_native().isoformat(timespec="seconds")
    return "?"


_BYTE_UNITS = {"B": 1, "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3, "TIB": 1024**4}


def _bytes(setting: Any) -> int:
    """A memory setting as Neo4j shows it (`358.40MiB`, `0B`) in bytes; 0 for none or what cannot be read."""
    found = re.fullmatch(r"\s*([0-9.]+)\s*([KMGT]iB|B)\s*", str(setting), re.IGNORECASE)
    if not found:
        return 0
    return int(float(found.group(1)) * _BYTE_UNITS[found.group(2).upper()])


# -- checking a write -------------------------------------------------------------------------


# -- properties in and out --------------------------------------------------------------------

_KINDS = {kind.value: kind for kind in NodeKind}
_Stored = tuple[NodeKind, dict[str, Any]]  # a node's kind and its properties as Neo4j holds them
_EDGE_KINDS = {kind.value: kind for kind in EdgeKind}
_PLAIN = frozenset({str, int, float, bool, date})
_SCALARS = (str, int, float, bool, date)
_NATIVE = (driver_time.Date, driver_time.DateTime, driver_time.Time)
_AS_READ = frozenset({str, int, float, bool})


def _stored_name(prop: str) -> str:
    """The name a property of ours is stored under: `id` and names starting with `_` are ours to use."""
    return f"_p_{prop}" if prop == "id" or prop.startswith("_") else prop


def _encode_value(value: Any) -> Any:
    if isinstance(value, tuple | list):
        kinds = {type(item) for item in value}
        if len(kinds) > 1 or not all(isinstance(item, _SCALARS) for item in value):
            raise GraphIntegrityError(
                f"a list property must hold values of one simple type to be stored in Neo4j, not {value!r}"
            )
        return list(value)
    return value


def _encode(props: Mapping[str, Any], origin: Origin | None, into: dict[str, Any], what: str) -> None:
    nulls = []
    for name, value in props.items():
        if type(value) in _PLAIN and name[:1] != "_" and name != "id":  # the common case, quickly
            into[name] = value
        elif value is None:
            nulls.append(name)
        elif isinstance(value, Mapping):
            try:
                into[f"_json_{name}"] = json.dumps(dict(value), ensure_ascii=False)
            except TypeError as error:
                raise GraphIntegrityError(f"{what}: property {name} cannot be stored: {error}") from None
        else:
            try:
                into[_stored_name(name)] = _encode_value(value)
            except GraphIntegrityError as error:
                raise GraphIntegrityError(f"{what}: property {name}: {error}") from None
    if nulls:
        into["_nulls"] = nulls
    if origin is not None:
        into["_origin_file"] = origin.file
        into["_origin_sha256"] = origin.sha256
        into["_origin_sheet"] = origin.sheet
        into["_origin_row"] = origin.row
        if origin.column is not None:
            into["_origin_column"] = origin.column


def _node_row(node: Node, *, searched: bool = True) -> dict[str, Any]:
    """The row a node is stored from; without its searched text when only checking it can be stored."""
    row: dict[str, Any] = {"id": node.id}
    _encode(node.props, node.origin, row, f"node {node.id}")
    if searched and node.kind is NodeKind.POWER_ITEM:
        row["_text"] = "\n".join(" ".join(text) for text in searched_texts(node))
    return row


_PHRASE_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"'})


def _phrase(wanted: str) -> str | None:
    """The query of the full-text index for `wanted`: its characters one after the other, as a phrase
    of the whitespace analyser's terms (None for a text without any: it would find nothing).

    >>> _phrase('第1"条')
    '"第 1 \\\\" 条"'
    """
    terms = [char.translate(_PHRASE_ESCAPES) for char in wanted if not char.isspace()]
    return '"' + " ".join(terms) + '"' if terms else None


def _edge_row(edge: Edge) -> dict[str, Any]:
    props: dict[str, Any] = {}
    _encode(edge.props, edge.origin, props, f"edge {edge.kind.value} {edge.source} -> {edge.target}")
    return {"s": edge.source, "t": edge.target, "p": props}


def _same(new: Any, old: Any) -> bool:
    """Whether a value to store is the one already stored (a Neo4j Date equals its date)."""
    new, old = _decode_value(new), _decode_value(old)
    return type(new) is type(old) and bool(new == old)


def _decode_value(value: Any) -> Any:
    if type(value) in _AS_READ:
        return value
    if isinstance(value, list):
        return tuple(_decode_value(item) for item in value)
    if isinstance(value, _NATIVE):
        return value.to_native()
    return value


def _decode(stored: Mapping[str, Any]) -> tuple[dict[str, Any], Origin | None]:
    """Our properties and the origin of a node or edge as Neo4j holds them (analyses read hundreds of
    thousands at a time, so the common case goes first)."""
    props: dict[str, Any] = {}
    for name, value in stored.items():
        if name[:1] != "_":
            props[name] = value if type(value) in _AS_READ else _decode_value(value)
        elif name.startswith("_json_"):
            props[name.removeprefix("_json_")] = json.loads(value)
        elif name == "_nulls":
            props.update(dict.fromkeys(value))
        elif name.startswith("_p_"):
            props[name.removeprefix("_p_")] = _decode_value(value)
    file = stored.get("_origin_file")
    if file is None:
        return props, None
    return props, Origin(
        file,
        stored["_origin_sha256"],
        stored["_origin_sheet"],
        stored["_origin_row"],
        stored.get("_origin_column"),
    )


def _kind(labels: Sequence[str]) -> NodeKind:
    return next(_KINDS[label] for label in labels if label in _KINDS)


def _node(record: Record) -> Node:
    stored = dict(record["p"])
    node_id = stored.pop("id")
    props, origin = _decode(stored)
    return Node(node_id, _kind(record["l"]), props, origin)


def _edge(record: Record) -> Edge:
    props, origin = _decode(record["p"])
    return Edge(record["s"], _EDGE_KINDS[record["k"]], record["t"], props, origin)


def _node_of(kind: NodeKind, stored: dict[str, Any]) -> Node:
    node_id = stored.pop("id")
    props, origin = _decode(stored)
    return Node(node_id, kind, props, origin)


def _edge_of(source: str, kind: EdgeKind, target: str, stored: dict[str, Any]) -> Edge:
    props, origin = _decode(stored)
    return Edge(source, kind, target, props, origin)


def _uri_problem(uri: str) -> str | None:
    """What keeps `uri` from being a Neo4j server's address, or None."""
    parts = urlsplit(uri)
    if parts.scheme not in _SCHEMES:
        return "it must start with " + " or ".join(f"{scheme}://" for scheme in _SCHEMES)
    if not parts.hostname:
        return "it names no host"
    port = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]
    if port and not (port.isascii() and port.isdigit()):
        return f"the port {port!r} is not a number"
    if port and not 0 < int(port) < 65536:
        return f"the port {port} is not between 1 and 65535"
    return None


def _shown_uri(uri: str) -> str:
    """`uri` as it may be shown: without a password written into it (`bolt://user:secret@host`)."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user.partition(':')[0]}:***@{host}"))
