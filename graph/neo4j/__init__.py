"""The Neo4j store: the reader and the all-or-nothing writer of `graph.store`, on a Neo4j 5 server.

`Neo4jStore` answers exactly as `MemoryStore` does for the same writes, so every
analysis runs on it unchanged. The package, a module a topic:

* `settings`: `Neo4jSettings`, where the server is and how to log in, checked;
* `cypher`: every Cypher statement the store sends, as constants;
* `codec`: properties in and out (the rows stored, the nodes and edges read);
* `connection`: the driver, its sessions, its failures as our errors, and what
  reads and writes share (the schema, the version node, the size of a transaction);
* `store`: `Neo4jStore`, the reads and a write in one transaction, and `Neo4jWriter`;
* `bulk`: a write too big for one transaction, as a load in several, undone if one fails.

How the graph is laid out in Neo4j:

* a node is `(:Node:<kind> {id, ...})`: every node carries the label `Node`,
  whose uniqueness constraint covers every id, and its `NodeKind` value
  (`PowerItem`) as a second label;
* an edge is a relationship whose type is the `EdgeKind` value, as the ontology
  spells the property (`heldBy`, `holdingPost`), not Neo4j's usual UPPER_SNAKE,
  so one vocabulary runs from `quanze.ttl` to Cypher;
* properties as `codec` stores them (what Neo4j cannot hold as it is, under
  names starting with `_`), a power item's search text in `_text`, held by the
  full-text index `TEXT_INDEX` (`quanze_power_item_text`);
* the version is a counter on one `(:QuanzeMeta {name: "graph"})` node, raised
  in the transaction of every write, so every process sharing the database sees
  the change (and concurrent writers queue on that node).

Labels and types in Cypher come only from the enums, values only as parameters.
Beside the store, the package offers what tests and `bench/neo4j.py` look at
from outside: the statements they run or profile (`SEARCH_POWER_ITEMS`, `EDGES`,
`EDGES_OF_KIND`), the index's name, the query of a text search (`search_phrase`),
the decoding of an edge (`edge_of`); on a store, `driver`, `read_query` and the
hook `write_load_transaction`.

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

from graph.neo4j.codec import edge_of, search_phrase
from graph.neo4j.cypher import EDGES, EDGES_OF_KIND, SEARCH_POWER_ITEMS, TEXT_INDEX
from graph.neo4j.settings import DEFAULT_URI, Neo4jSettings
from graph.neo4j.store import Neo4jStore, Neo4jWriter

__all__ = [
    "DEFAULT_URI",
    "EDGES",
    "EDGES_OF_KIND",
    "SEARCH_POWER_ITEMS",
    "TEXT_INDEX",
    "Neo4jSettings",
    "Neo4jStore",
    "Neo4jWriter",
    "edge_of",
    "search_phrase",
]
