"""The Neo4j store: the reader and the all-or-nothing writer of `graph.store`, on a Neo4j 5 server.

`Neo4jStore` answers exactly as `MemoryStore` does for the same writes (the
tests in `tests/graph/test_backends.py` run one body against both), so every
analysis runs on it unchanged; the look-ups that pay (a node by id, edges of a
batch of ids, the holders of a post on a date, `find` by an indexed property,
the neighbourhood of a case, a text search of the power items) are single
Cypher queries, and the columns of the case index two.

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
everything back. A bigger write is a load in several transactions
(`graph.neo4j.bulk`).

    >>> store = Neo4jStore(Neo4jSettings.from_env({"NEO4J_URI": "bolt://db:7687"}))   # doctest: +SKIP
    >>> with store.writer() as writer:                                                # doctest: +SKIP
    ...     writer.add_node(Node("government:示例市人民政府", NodeKind.GOVERNMENT, {"name": "示例市人民政府"}))
    >>> store.count(NodeKind.GOVERNMENT)                                              # doctest: +SKIP
    1
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from neo4j import ManagedTransaction
from neo4j import exceptions as driver_errors

from graph.model import Edge, Node
from graph.neo4j import bulk, codec, cypher
from graph.neo4j.connection import Neo4jConnection
from graph.organisation import holdings_in_order
from graph.store import CaseFacts, ItemFacts, check_write
from ontology import EdgeKind, NodeKind

__all__ = ["Neo4jStore", "Neo4jWriter"]


class Neo4jStore(Neo4jConnection):
    """A graph kept in a Neo4j database; reads are Cypher queries, a write one transaction or a load in several.

    The constructor does not connect: the first call does, and `ping()` checks
    the server, the login and the database. Every method raises `StoreUnavailable`
    when the server cannot be reached or refuses the login.

    `batch_size` is the rows of one `UNWIND` statement; `max_transaction_rows`
    the nodes and edges of one transaction, above which a write is a load in
    several (see `graph.neo4j.bulk`): None works it out from the server's
    transaction memory limit on the first write; `load_workers` how many
    transactions of a load run side by side.
    """

    _text_indexed_at: int | None = None  # the version at which every power item had its `_text`

    def clear(self) -> None:
        """Delete every node and edge (the schema stays) and raise the version.

        Meant for tests and administration: the deletion runs in batches of its
        own transactions, so unlike `writer().clear()` it is not all or nothing.
        It also ends the mark of an unfinished load (whose process died) and sets
        up again the full-text index such a load dropped, and makes a load under
        way fail and undo itself.
        """
        with self.translated("clearing the graph"), self.session(notifications=False) as session:
            self.delete_in_batches(session, None)
            self.create_text_index()
            session.execute_write(lambda tx: tx.run(cypher.CLEARED).consume())

    # -- reading -----------------------------------------------------------------

    @property
    def version(self) -> int:
        """The version of the graph; while a load in several transactions runs, minus the number of them so far."""
        (record,) = self.read_query(cypher.VERSION, {}, "reading the version")
        meta = record["meta"] or {}
        return -int(meta["changes"]) if meta.get("loading") is not None else int(meta.get("version", 0))

    def opener(self) -> Callable[[], Neo4jStore]:
        """A picklable function that opens this database on a driver of its own, for a worker process
        (`graph.analyses.partitions.Reopenable`): a driver's connections are never shared across processes."""
        return functools.partial(
            Neo4jStore,
            self.settings,
            batch_size=self.batch_size,
            max_transaction_rows=self.max_transaction_rows,
            load_workers=self.load_workers,
        )

    def node(self, node_id: str) -> Node | None:
        records = self.read_query(cypher.NODE, {"id": node_id}, "reading a node")
        return codec.node_from_record(records[0]) if records else None

    def nodes_by_id(self, node_ids: Sequence[str]) -> list[Node | None]:
        if not node_ids:
            return []
        records = self.read_query(cypher.NODES_BY_ID, {"ids": list(dict.fromkeys(node_ids))}, "reading nodes")
        found = {node.id: node for node in map(codec.node_from_record, records)}
        return [found.get(node_id) for node_id in node_ids]

    def nodes(self, kind: NodeKind) -> Iterator[Node]:
        """Every node of `kind`, read in lists of `batch_size` (a record each: the driver's time goes on
        records more than on the values in them)."""
        records = self.read_query(
            cypher.NODES_OF_KIND[kind], {"batch": self.batch_size}, f"reading the {kind.value} nodes"
        )
        return iter([codec.node_of(kind, stored) for record in records for stored in record["rows"]])

    def count(self, kind: NodeKind) -> int:
        records = self.read_query(cypher.COUNT[kind], {}, f"counting the {kind.value} nodes")
        return int(records[0]["count"])

    def sorted_ids(self, kind: NodeKind) -> Sequence[str]:
        """Every id of `kind`, in ascending order (Python's, which Cypher's differs from beyond the BMP)."""
        records = self.read_query(cypher.IDS_OF_KIND[kind], {}, f"reading the {kind.value} ids")
        return sorted(record["id"] for record in records)

    def find(self, kind: NodeKind, prop: str, value: Any) -> list[Node]:
        if value is None or isinstance(value, Mapping):
            return []  # the memory store indexes neither None nor dicts
        stored = codec.stored_name(prop)
        query = cypher.FIND.get((kind, stored))
        params: dict[str, Any] = {"value": codec.encode_value(value)}
        if query is None:  # a property outside the ontology: looked up by name, without an index
            query = cypher.FIND_ANY[kind]
            params["prop"] = stored
        records = self.read_query(query, params, f"finding {kind.value} nodes")
        return sorted(map(codec.node_from_record, records), key=lambda node: node.id)

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
            records = self.read_query(
                cypher.EDGES_OF_KIND[kind], {"batch": self.batch_size}, f"reading the {kind.value} edges"
            )
            return iter(
                [codec.edge_of(s, kind, t, stored) for record in records for s, t, stored in record["rows"]]
            )
        query = cypher.EDGES[(source is not None, kind, target is not None)]
        records = self.read_query(query, {"source": source, "target": target}, "reading edges")
        return iter([codec.edge_from_record(record) for record in records])

    def edges_from(self, sources: Sequence[str], kind: EdgeKind) -> Mapping[str, list[Edge]]:
        found: dict[str, list[Edge]] = {source: [] for source in sources}
        if found:
            for record in self.read_query(cypher.EDGES_FROM[kind], {"ids": list(found)}, "reading edges"):
                found[record["s"]].append(codec.edge_from_record(record))
        return found

    def edges_to(self, targets: Sequence[str], kind: EdgeKind) -> Mapping[str, list[Edge]]:
        found: dict[str, list[Edge]] = {target: [] for target in targets}
        if found:
            for record in self.read_query(cypher.EDGES_TO[kind], {"ids": list(found)}, "reading edges"):
                found[record["t"]].append(codec.edge_from_record(record))
        return found

    def edges_around(
        self, node_ids: Sequence[str], kinds: Collection[EdgeKind], *, incoming: bool = False
    ) -> Mapping[str, list[Edge]]:
        """The edges of `kinds` of the nodes (graph.store.EdgesAround), in one query sending one record."""
        found: dict[str, list[Edge]] = {node_id: [] for node_id in node_ids}
        if found and kinds:
            params = {"ids": list(found), "kinds": sorted(kind.value for kind in kinds)}
            edge_kinds = codec.EDGE_KINDS
            for record in self.read_query(cypher.EDGES_AROUND[incoming], params, "reading edges"):
                for source, kind, target, stored in record["rows"]:
                    edge = codec.edge_of(source, edge_kinds[kind], target, dict(stored))
                    found[target if incoming else source].append(edge)
        return found

    def case_neighbourhood(self, case_id: str) -> tuple[list[Node], list[Edge]] | None:
        """Everything a trace of the case reads (graph.store.CaseNeighbourhood), in one query."""
        # `CALL { WITH … }`, deprecated from 5.23 on but understood before, hence no notifications
        doing = "reading the neighbourhood of a case"
        with self.translated(doing), self.session(read=True, notifications=False) as session:
            records = list(session.run(cypher.CASE_NEIGHBOURHOOD, {"case": case_id}))
        if not records:
            return None
        nodes = {
            node.id: node
            for node in (codec.node_of(codec.kind_of(labels), dict(p)) for p, labels in records[0]["nodes"])
        }
        edges = [codec.edge_of(s, codec.EDGE_KINDS[k], t, dict(p)) for s, k, t, p in records[0]["edges"]]
        return list(nodes.values()), edges

    def case_columns(self) -> tuple[list[CaseFacts], list[ItemFacts]]:
        """What the case index reads (graph.store.CaseColumns), in two queries: every case with its item,
        sent in lists of `batch_size` (a record each), and the items with their departments."""
        records = self.read_query(_CASE_FACTS, {"batch": self.batch_size}, "reading the cases")
        decode = codec.decode_value
        cases: list[CaseFacts] = [
            (case, str(number), item, decode(accepted), decode(closed), outcome)
            for record in records
            for case, number, item, accepted, closed, outcome in record["rows"]
        ]
        records = self.read_query(_CASE_ITEMS, {}, "reading the items of the cases")
        items: list[ItemFacts] = [
            (codec.node_of(NodeKind.POWER_ITEM, dict(record["p"])), tuple(sorted(set(record["departments"]))))
            for record in records
        ]
        return cases, items

    def holders(self, post_id: str, on: date) -> list[Node]:
        records = self.read_query(
            cypher.HOLDERS, {"post": post_id, "on": on}, "reading the holders of a post"
        )
        return holdings_in_order(map(codec.node_from_record, records))

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
        phrase = codec.search_phrase(wanted)
        if phrase is None:
            return None
        version = self.version
        if self._text_indexed_at != version:
            if self.read_query(
                cypher.WITHOUT_TEXT, {}, "looking for power items written without their search text"
            ):
                return None
            self._text_indexed_at = version
        try:
            records = self.read_query(
                cypher.SEARCH_POWER_ITEMS, {"phrase": phrase}, "searching the power items' text"
            )
        except driver_errors.ClientError as error:
            if error.code != _PROCEDURE_FAILED:  # a missing index fails the procedure
                raise
            return None
        return [codec.node_from_record(record) for record in records]

    # -- writing -----------------------------------------------------------------

    @contextmanager
    def writer(self) -> Iterator[Neo4jWriter]:
        """A writer whose nodes and edges are applied when the block ends cleanly: in one transaction, or
        for a write bigger than `transaction_rows()` into an empty graph (or replacing the graph), as a
        load in several that is undone if one fails (see `graph.neo4j.bulk` for what that guarantees).

        Raises `GraphIntegrityError` (nothing applied) for an edge to a missing
        node or between the wrong kinds, a node changing its kind, or a write too
        big for one transaction into a graph that holds something without
        `clear()`; `StoreUnavailable` while a load in several transactions runs,
        or when the server fails (a load then says that it was undone).
        """
        writer = Neo4jWriter()
        yield writer
        self._apply(writer)

    def write_load_transaction(self, load_id: str, items: Sequence[Node] | Sequence[Edge]) -> None:
        """Write one transaction of the load `load_id` in several: these nodes or these edges (`bulk.write_transaction`).

        A hook as much as a step: the load calls it through the store, so a test
        or a benchmark may wrap it on one store to count a load's transactions or
        to act between them (`monkeypatch.setattr(store, "write_load_transaction", …)`).
        """
        bulk.write_transaction(self, load_id, items)

    # -- one transaction ---------------------------------------------------------

    def _apply(self, writer: Neo4jWriter) -> None:
        """Check the write against the graph and apply it, in one transaction (on any problem, nothing), or
        when it is too big for one, as a load in several."""
        self.ensure_schema()
        if len(writer.nodes) + len(writer.edges) > self.transaction_rows():
            bulk.load_in_transactions(
                self,
                writer.nodes,
                list(writer.edges.values()),
                replacing=writer.cleared,
                write_transaction=self.write_load_transaction,
            )
            return
        nodes = {node_id: (node, codec.node_row(node)) for node_id, node in writer.nodes.items()}
        edges = [(edge, codec.edge_row(edge)) for edge in writer.edges.values()]

        def work(tx: ManagedTransaction) -> None:
            self.begin_write(tx, versions=1)  # first: it locks the version node, so writers take turns
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
                    changed = {
                        k: v for k, v in row.items() if k not in old or not codec.same_value(v, old[k])
                    }
                    if changed:
                        patched.append({"id": node_id, "p": changed})
            for kind, rows in created.items():
                self._batched(tx, cypher.CREATE_NODES[kind], rows)
            self._batched(tx, cypher.REPLACE_NODES, replaced)
            self._batched(tx, cypher.PATCH_NODES, patched)

            fresh_edges: dict[EdgeKind, list[dict[str, Any]]] = defaultdict(list)
            other_edges: dict[EdgeKind, list[dict[str, Any]]] = defaultdict(list)
            for edge, row in edges:
                # After a clear no edge is left; between two new nodes none can be.
                fresh = writer.cleared or (edge.source not in existing and edge.target not in existing)
                (fresh_edges if fresh else other_edges)[edge.kind].append(row)
            for edge_kind, rows in fresh_edges.items():
                self._batched(tx, cypher.CREATE_EDGES[edge_kind], rows)
            for edge_kind, rows in other_edges.items():
                self._batched(tx, cypher.MERGE_EDGES[edge_kind], rows)

        with self.translated("writing"), self.session() as session:
            session.execute_write(work)

    def _existing(self, tx: ManagedTransaction, node_ids: set[str] | None) -> dict[str, codec.Stored]:
        """The kind and stored properties of each of these ids (of every id, for None) in the graph."""
        if node_ids is None:
            records = list(tx.run(cypher.ALL_NODES))
        elif not node_ids or tx.run(cypher.ANY_NODE).single() is None:
            records = []
        else:
            ordered = sorted(node_ids)
            records = [
                record
                for start in range(0, len(ordered), self.batch_size)
                for record in tx.run(cypher.NODES_BY_ID, ids=ordered[start : start + self.batch_size])
            ]
        return {record["p"]["id"]: (codec.kind_of(record["l"]), record["p"]) for record in records}

    def _replace(self, tx: ManagedTransaction, writer: Neo4jWriter) -> dict[str, codec.Stored]:
        """Empty the graph for a write that replaces it; return the nodes kept, to be updated in place.

        Deleting every node and creating the same ids again in one transaction
        makes Neo4j's index look-ups crawl (each id is both removed and added in
        the transaction's state), so the nodes the write names again, with the
        same kind, stay and get their new properties; every edge and every other
        node goes.
        """
        existing = self._existing(tx, None)
        tx.run(cypher.DELETE_EDGES).consume()
        kept: dict[str, codec.Stored] = {}
        stale: list[str] = []
        for node_id, (kind, props) in existing.items():
            node = writer.nodes.get(node_id)
            if node is not None and node.kind == kind:
                kept[node_id] = (kind, props)
            else:
                stale.append(node_id)
        for start in range(0, len(stale), self.batch_size):
            tx.run(cypher.DELETE_NODES, ids=stale[start : start + self.batch_size]).consume()
        return kept

    def _batched(self, tx: ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), self.batch_size):
            tx.run(query, rows=rows[start : start + self.batch_size]).consume()


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


_PROCEDURE_FAILED = "Neo.ClientError.Procedure.ProcedureCallFailed"

#: every case with its item, as (id, number, item, accepted, closed, outcome) in lists of $batch
_CASE_FACTS = (
    f"MATCH (c:`{NodeKind.CASE.value}`)-[:`{EdgeKind.CASE_OF.value}`]->(i:Node) "
    "WITH collect([c.id, c.case_id, i.id, c.accepted, c.closed, c.outcome]) AS cases "
    "UNWIND range(0, size(cases) - 1, $batch) AS start RETURN cases[start..start + $batch] AS rows"
)
#: the items of the cases, each with the departments holding it or carrying one of its stages
_CASE_ITEMS = (
    f"MATCH (i:`{NodeKind.POWER_ITEM.value}`) WHERE EXISTS {{ (:`{NodeKind.CASE.value}`)-[:`{EdgeKind.CASE_OF.value}`]->(i) }} "
    f"RETURN properties(i) AS p, [(i)-[:`{EdgeKind.HELD_BY.value}`]->(d) | d.id] + "
    f"[(i)<-[:`{EdgeKind.STAGE_OF.value}`]-()-[:`{EdgeKind.STAGE_DEPARTMENT.value}`]->(d) | d.id] AS departments"
)
