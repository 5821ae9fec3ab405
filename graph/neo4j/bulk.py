"""A write too big for one transaction: a load in several into an empty graph, undone if one fails.

A write is a load in several transactions when it holds more nodes and edges
than one transaction may (`Neo4jConnection.transaction_rows()`), and only into
an empty graph, so that undoing it is deleting what it made:

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

The store calls `load_in_transactions` from its writer; each transaction goes
through `Neo4jStore.write_load_transaction`, which runs `write_transaction`:

    >>> store = Neo4jStore(settings, max_transaction_rows=5_000)       # doctest: +SKIP
    >>> write_graph(read_workbook(DEMO_WORKBOOK), store)               # doctest: +SKIP
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from neo4j import ManagedTransaction
from neo4j import exceptions as driver_errors

from graph import progress
from graph.errors import GraphIntegrityError, StoreUnavailable
from graph.model import Edge, Node
from graph.neo4j import codec, cypher
from graph.neo4j.connection import Neo4jConnection
from graph.store import check_write

__all__ = ["WriteTransaction", "load_in_transactions", "write_transaction"]

WriteTransaction = Callable[[str, Sequence[Node] | Sequence[Edge]], None]
"""Writes one transaction of a load: the load's id, and its nodes or its edges (`write_transaction`)."""


def load_in_transactions(
    connection: Neo4jConnection,
    nodes: Mapping[str, Node],
    edges: Sequence[Edge],
    *,
    replacing: bool,
    write_transaction: WriteTransaction,
) -> None:
    """Apply a write too big for one transaction as a load in several into an empty graph (or, `replacing`,
    in place of the graph), every node tagged with the load's id, each transaction written by
    `write_transaction`; if anything fails, delete what is tagged and raise, saying so.

    Raises `GraphIntegrityError` for a write with a problem (nothing written) or into a graph that holds
    something without `replacing`, `StoreUnavailable` while another load runs or when the server fails;
    any error of a load under way is raised again with what was undone.
    """
    node_list = list(nodes.values())
    for node in node_list:  # every property can be stored (the rows are made again as they are sent)
        codec.node_row(node, searched=False)
    for edge in edges:
        codec.edge_row(edge)
    check_write(nodes, edges, lambda _: None)  # the graph is empty, or will be
    load = uuid.uuid4().hex
    # side by side, in the server's memory for transactions; not bigger than needed to keep it busy
    rows = max(1, min(connection.transaction_rows() // connection.load_workers, _LOAD_TRANSACTION_ROWS))
    size = len(node_list) + len(edges)
    with (
        connection.translated(f"beginning a load of {size:,} nodes and edges"),
        connection.session() as session,
    ):
        replaces = session.execute_write(_begin_load, connection, load, replacing, size)
    try:
        with connection.translated(f"loading {size:,} nodes and edges in transactions of {rows:,}"):
            # The text index is built once at the end: kept up to date row by row, it costs a tenth
            # of the load's time. Meanwhile a search reads every item (`power_items_containing`).
            _drop_text_index(connection)
            if replaces:
                with connection.session(notifications=False) as session:
                    connection.delete_in_batches(session, None)
                    session.execute_write(_continue_load, connection, load)
            # The nodes, then the edges, whose ends must be there: each in transactions side by side.
            _in_parallel(connection, write_transaction, load, node_list, rows, (0, size))
            _in_parallel(connection, write_transaction, load, edges, rows, (len(node_list), size))
        with connection.translated("indexing the power items' text after a load"):
            connection.create_text_index()
        with connection.translated("ending a load"), connection.session() as session:
            session.execute_write(_end_load, connection, load)
    except BaseException as error:
        undone = _undo_load(connection, load, replaces)
        if isinstance(error, GraphIntegrityError | StoreUnavailable):
            raise type(error)(f"{error}; {undone}") from error
        error.add_note(undone)
        raise


def write_transaction(connection: Neo4jConnection, load: str, items: Sequence[Node] | Sequence[Edge]) -> None:
    """One transaction of the load `load` (again, when Neo4j broke a deadlock with a transaction beside it),
    then a short one that counts it on the version node and checks that the load is still marked.

    Raises `GraphIntegrityError` when an edge found an end missing, `StoreUnavailable` when the load was
    ended from outside; the driver's errors as they are (the load translates them).
    """
    chunk: dict[str, list[dict[str, Any]]] = defaultdict(list)  # the rows by their statement
    for item in items:
        if isinstance(item, Node):
            chunk[cypher.LOAD_NODES[item.kind]].append(codec.node_row(item))
        else:
            chunk[cypher.LOAD_EDGES[item.kind]].append(codec.edge_row(item))
    with connection.session(notifications=False) as session:
        for attempt in range(_DEADLOCK_RETRIES + 1):
            try:
                session.execute_write(_load_chunk, connection, chunk, load)
                break
            except driver_errors.TransientError as error:
                if error.code != _DEADLOCK or attempt == _DEADLOCK_RETRIES:
                    raise
        session.execute_write(_continue_load, connection, load)


_LOAD_TRANSACTION_ROWS = 20_000
_DEADLOCK = "Neo.TransientError.Transaction.DeadlockDetected"
_DEADLOCK_RETRIES = 5


def _begin_load(
    tx: ManagedTransaction, connection: Neo4jConnection, load: str, replacing: bool, size: int
) -> bool:
    """Mark the load as under way if the graph is empty or the write replaces it; return whether it has
    a graph to delete first."""
    connection.begin_write(tx, changes=1)
    occupied = tx.run(cypher.ANY_NODE).single() is not None
    if occupied and not replacing:
        raise GraphIntegrityError(
            f"a write of {size:,} nodes and edges is more than one transaction holds on Neo4j at "
            f"{connection.settings.uri} ({connection.transaction_rows():,}, max_transaction_rows), and it can be "
            "written in several only into an empty graph, or replacing the graph (writer.clear()), so that a "
            "failure half way can be undone; nothing was written. Write it in smaller writes, replace "
            "the whole graph, or give the server more heap"
        )
    tx.run(cypher.MARK_LOAD, load=load).consume()
    return occupied


def _drop_text_index(connection: Neo4jConnection) -> None:
    with connection.session() as session:
        session.run(cypher.DROP_TEXT_INDEX).consume()


def _in_parallel(
    connection: Neo4jConnection,
    write: WriteTransaction,
    load: str,
    items: Sequence[Node] | Sequence[Edge],
    size: int,
    reported: tuple[int, int],
) -> None:
    """Write nodes or edges in transactions of `size`, `load_workers` at a time; on the first failure,
    start no more and raise it once those under way have ended. `reported` is (how many of the load's
    nodes and edges were written before these, how many it has in all), for its progress."""
    done, total = reported
    with ThreadPoolExecutor(connection.load_workers, thread_name_prefix="quanze-load") as pool:
        chunks = [items[start : start + size] for start in range(0, len(items), size)]
        futures = {pool.submit(write, load, chunk): len(chunk) for chunk in chunks}
        try:
            for future in as_completed(futures):
                future.result()
                done += futures[future]
                progress.step("writing to Neo4j", done, total)
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _load_chunk(
    tx: ManagedTransaction, connection: Neo4jConnection, chunk: dict[str, list[dict[str, Any]]], load: str
) -> None:
    """Create one transaction's share of a load, checking that every row made its node or edge."""
    batch_size = connection.batch_size
    for query, rows in chunk.items():
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            made = tx.run(query, rows=batch, load=load).single(strict=True)["made"]
            if made != len(batch):
                raise GraphIntegrityError(
                    f"Neo4j at {connection.settings.uri}: {len(batch) - made} of {len(batch)} edges found an end "
                    "missing: a node of the load was deleted while it ran"
                )


def _continue_load(tx: ManagedTransaction, connection: Neo4jConnection, load: str) -> None:
    """Count a transaction of the load (`version` reads the count, negated); raise if it was ended."""
    if tx.run(cypher.CONTINUE_LOAD, load=load).single() is None:
        raise StoreUnavailable(
            f"Neo4j at {connection.settings.uri}: the load was ended from outside (Neo4jStore.clear())"
        )


def _end_load(tx: ManagedTransaction, connection: Neo4jConnection, load: str) -> None:
    """End the mark of the load, raising the version; raise if it was ended from outside."""
    if tx.run(cypher.END_LOAD, load=load).single() is None:
        raise StoreUnavailable(
            f"Neo4j at {connection.settings.uri}: the load was ended from outside (Neo4jStore.clear())"
        )


def _undo_load(connection: Neo4jConnection, load: str, replaced: bool) -> str:
    """Delete everything tagged with `load` and end its mark, raising the version (an answer computed
    while the load ran must not be taken for one of the graph before); say what the graph holds now."""
    try:
        with connection.translated("undoing a load"), connection.session(notifications=False) as session:
            session.execute_write(lambda tx: tx.run(cypher.CONTINUE_LOAD, load=load).consume())
            connection.delete_in_batches(session, load)
            connection.create_text_index()  # dropped when the load began
            session.execute_write(lambda tx: tx.run(cypher.END_LOAD, load=load).consume())
    except Exception as error:  # the server is gone, most likely: say so beside the first error
        connection.schema_ready = False  # the text index may be missing: the next write sets it up again
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
