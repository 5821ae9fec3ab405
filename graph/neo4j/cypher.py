"""The Cypher the Neo4j store sends: every statement as a constant, built once from the enums.

The graph as Neo4j holds it (`graph.neo4j`'s docstring has the whole layout): a
node is `(:Node:<kind> {id, ...})`, an edge a relationship whose type is the
`EdgeKind` value, the version a counter on one `(:QuanzeMeta {name: "graph"})`
node. Labels, types and property names below come from the enums and the
ontology only (checked here to be plain identifiers when the module is
imported), and are quoted all the same (`Case` and `exists` are Cypher words);
values are always parameters (`$id`, `$rows`). A statement for each kind is a
dict by kind (`CREATE_NODES[NodeKind.POST]`).

    >>> NODE
    'MATCH (n:Node {id: $id}) RETURN properties(n) AS p, labels(n) AS l'
    >>> EDGES[(True, EdgeKind.HELD_BY, False)]
    'MATCH (a:Node {id: $source})-[e:`heldBy`]->(b:Node) RETURN a.id AS s, type(e) AS k, b.id AS t, properties(e) AS p'
"""

from __future__ import annotations

import re

from ontology import PROPERTIES, EdgeKind, NodeKind

__all__ = [
    "ALL_NODES",
    "ANY_NODE",
    "AWAIT_TEXT_INDEX",
    "BEGIN_WRITE",
    "CASE_NEIGHBOURHOOD",
    "CLEARED",
    "CONTINUE_LOAD",
    "COUNT",
    "CREATE_EDGES",
    "CREATE_NODES",
    "CREATE_TEXT_INDEX",
    "DELETE_EDGES",
    "DELETE_IN_BATCHES",
    "DELETE_LOAD_IN_BATCHES",
    "DELETE_NODES",
    "DROP_TEXT_INDEX",
    "EDGES",
    "EDGES_AROUND",
    "EDGES_FROM",
    "EDGES_OF_KIND",
    "EDGES_TO",
    "END_LOAD",
    "FIND",
    "FIND_ANY",
    "HOLDERS",
    "IDS_OF_KIND",
    "LOAD_EDGES",
    "LOAD_NODES",
    "MARK_LOAD",
    "MEMORY_SETTINGS",
    "MERGE_EDGES",
    "NODE",
    "NODES_BY_ID",
    "NODES_OF_KIND",
    "PATCH_NODES",
    "REPLACE_NODES",
    "RETURN_NODE",
    "SCHEMA",
    "SEARCH_POWER_ITEMS",
    "TEXT_INDEX",
    "VERSION",
    "WITHOUT_TEXT",
]

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
assert all(_IDENTIFIER.fullmatch(kind.value) for kind in (*NodeKind, *EdgeKind))
assert all(_IDENTIFIER.fullmatch(prop) for props in PROPERTIES.values() for prop in props)

# -- the schema: constraints, the indexes `find` uses, the full-text index of the power items' text ---

_INDEXED_PROPS = ("key", "name", "code", "government", "power_type", "person_id", "case_id", "record_id")
_INDEXED = [
    (kind, prop)
    for kind in NodeKind
    for prop in _INDEXED_PROPS
    if prop in PROPERTIES[kind] and (prop != "name" or "key" in PROPERTIES[kind])
]
TEXT_INDEX = "quanze_power_item_text"
CREATE_TEXT_INDEX = (
    f"CREATE FULLTEXT INDEX {TEXT_INDEX} IF NOT EXISTS FOR (n:`{NodeKind.POWER_ITEM.value}`) ON EACH [n._text] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}}"
)
SCHEMA = [
    "CREATE CONSTRAINT quanze_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT quanze_meta_name IF NOT EXISTS FOR (m:QuanzeMeta) REQUIRE m.name IS UNIQUE",
    *(
        f"CREATE INDEX quanze_{kind.value.lower()}_{prop} IF NOT EXISTS FOR (n:`{kind.value}`) ON (n.`{prop}`)"
        for kind, prop in _INDEXED
    ),
    "DROP INDEX quanze_text IF EXISTS",  # a CJK index of the shown texts, which no query could use
    CREATE_TEXT_INDEX,
]
DROP_TEXT_INDEX = f"DROP INDEX {TEXT_INDEX} IF EXISTS"
AWAIT_TEXT_INDEX = f"CALL db.awaitIndex('{TEXT_INDEX}', 3600)"

# -- reading nodes ---------------------------------------------------------------------------

RETURN_NODE = "RETURN properties(n) AS p, labels(n) AS l"
NODE = f"MATCH (n:Node {{id: $id}}) {RETURN_NODE}"
NODES_BY_ID = f"UNWIND $ids AS id MATCH (n:Node {{id: id}}) {RETURN_NODE}"
ALL_NODES = f"MATCH (n:Node) {RETURN_NODE}"
ANY_NODE = "MATCH (n:Node) RETURN n.id LIMIT 1"
NODES_OF_KIND = {  # the nodes held as references, their properties sent in lists of $batch
    kind: f"MATCH (n:`{kind.value}`) WITH collect(n) AS nodes UNWIND range(0, size(nodes) - 1, $batch) AS start "
    "RETURN [n IN nodes[start..start + $batch] | properties(n)] AS rows"
    for kind in NodeKind
}
IDS_OF_KIND = {kind: f"MATCH (n:`{kind.value}`) RETURN n.id AS id" for kind in NodeKind}
COUNT = {kind: f"MATCH (n:`{kind.value}`) RETURN count(n) AS count" for kind in NodeKind}
FIND = {
    (kind, prop): f"MATCH (n:`{kind.value}`) WHERE n.`{prop}` = $value {RETURN_NODE}"
    for kind in NodeKind
    for prop in PROPERTIES[kind]
}
FIND_ANY = {kind: f"MATCH (n:`{kind.value}`) WHERE n[$prop] = $value {RETURN_NODE}" for kind in NodeKind}
HOLDERS = (
    f"MATCH (n:`{NodeKind.HOLDING.value}`)-[:`{EdgeKind.HOLDING_POST.value}`]->(:Node {{id: $post}}) "
    f"WHERE (n.start IS NULL OR n.start <= $on) AND (n.end IS NULL OR $on < n.end) {RETURN_NODE}"
)
# What a trace of a case reads (graph/analyses/trace.py), gathered hop by hop: the case's item, steps,
# their performers and the case's records; the item's citations and stages; the stages' posts, units and
# departments, the places of those posts and the departments of those units; every post placed in, or
# supervising, one of those places; the holdings of all those posts and their persons.
CASE_NEIGHBOURHOOD = f"""
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
SEARCH_POWER_ITEMS = (
    f"CALL db.index.fulltext.queryNodes('{TEXT_INDEX}', $phrase) YIELD node AS n {RETURN_NODE}"
)
WITHOUT_TEXT = f"MATCH (n:`{NodeKind.POWER_ITEM.value}`) WHERE n._text IS NULL RETURN n.id LIMIT 1"

# -- reading edges ---------------------------------------------------------------------------

_RETURN_EDGE = "RETURN a.id AS s, type(e) AS k, b.id AS t, properties(e) AS p"


def _edges_query(source: bool, kind: EdgeKind | None, target: bool) -> str:
    a = "(a:Node {id: $source})" if source else "(a:Node)"
    b = "(b:Node {id: $target})" if target else "(b:Node)"
    e = f"[e:`{kind.value}`]" if kind else "[e]"
    return f"MATCH {a}-{e}->{b} {_RETURN_EDGE}"


EDGES = {
    (source, kind, target): _edges_query(source, kind, target)
    for source in (False, True)
    for target in (False, True)
    for kind in (None, *EdgeKind)
}
EDGES_OF_KIND = {
    kind: f"MATCH (:Node)-[e:`{kind.value}`]->(:Node) WITH collect(e) AS edges "
    "UNWIND range(0, size(edges) - 1, $batch) AS start "
    "RETURN [e IN edges[start..start + $batch] | [startNode(e).id, endNode(e).id, properties(e)]] AS rows"
    for kind in EdgeKind
}
EDGES_FROM = {
    kind: f"UNWIND $ids AS id MATCH (a:Node {{id: id}})-[e:`{kind.value}`]->(b:Node) {_RETURN_EDGE}"
    for kind in EdgeKind
}
EDGES_TO = {
    kind: f"UNWIND $ids AS id MATCH (a:Node)-[e:`{kind.value}`]->(b:Node {{id: id}}) {_RETURN_EDGE}"
    for kind in EdgeKind
}

EDGES_AROUND = {  # the edges of several kinds of a list of nodes, as lists of rows in one record
    False: "UNWIND $ids AS id MATCH (a:Node {id: id})-[e]->(b:Node) WHERE type(e) IN $kinds "
    "RETURN collect([id, type(e), b.id, properties(e)]) AS rows",
    True: "UNWIND $ids AS id MATCH (a:Node)-[e]->(b:Node {id: id}) WHERE type(e) IN $kinds "
    "RETURN collect([a.id, type(e), id, properties(e)]) AS rows",
}

# -- writing: one transaction's nodes and edges, a load's (counting what they made), deleting ----

CREATE_NODES = {kind: f"UNWIND $rows AS r CREATE (n:Node:`{kind.value}`) SET n = r" for kind in NodeKind}
REPLACE_NODES = "UNWIND $rows AS r MATCH (n:Node {id: r.id}) SET n = r"
PATCH_NODES = "UNWIND $rows AS r MATCH (n:Node {id: r.id}) SET n += r.p"
_MATCH_ENDS = "UNWIND $rows AS r MATCH (a:Node {id: r.s}) MATCH (b:Node {id: r.t})"
CREATE_EDGES = {kind: f"{_MATCH_ENDS} CREATE (a)-[e:`{kind.value}`]->(b) SET e = r.p" for kind in EdgeKind}
MERGE_EDGES = {kind: f"{_MATCH_ENDS} MERGE (a)-[e:`{kind.value}`]->(b) SET e = r.p" for kind in EdgeKind}
LOAD_NODES = {
    kind: f"UNWIND $rows AS r CREATE (n:Node:`{kind.value}`) SET n = r, n._load = $load RETURN count(*) AS made"
    for kind in NodeKind
}
LOAD_EDGES = {kind: f"{CREATE_EDGES[kind]} RETURN count(*) AS made" for kind in EdgeKind}

DELETE_EDGES = "MATCH (:Node)-[e]->(:Node) DELETE e"
DELETE_IN_BATCHES = (
    "MATCH (:Node)-[e]->(:Node) CALL { WITH e DELETE e } IN TRANSACTIONS OF $rows ROWS",
    "MATCH (n:Node) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF $rows ROWS",
)
DELETE_LOAD_IN_BATCHES = (  # every edge of a load goes from a node of it
    "MATCH (a:Node)-[e]->(:Node) WHERE a._load = $load CALL { WITH e DELETE e } IN TRANSACTIONS OF $rows ROWS",
    "MATCH (n:Node) WHERE n._load = $load CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF $rows ROWS",
)
DELETE_NODES = "UNWIND $ids AS id MATCH (n:Node {id: id}) DETACH DELETE n"
# The version node: the version, a count of the transactions of loads (whose negation `version` reads
# while one runs), and the mark of a load under way.
VERSION = "OPTIONAL MATCH (m:QuanzeMeta {name: 'graph'}) RETURN properties(m) AS meta"
BEGIN_WRITE = (  # the mark's properties read from a map: Neo4j warns of a key it has never seen
    "MERGE (m:QuanzeMeta {name: 'graph'}) "
    "SET m.version = coalesce(m.version, 0) + $versions, m.changes = coalesce(m.changes, 0) + $changes "
    "RETURN properties(m) AS meta"
)
MARK_LOAD = (
    "MATCH (m:QuanzeMeta {name: 'graph'}) SET m.loading = $load, m.loading_since = datetime(), "
    "m.loading_seen = datetime()"
)
CONTINUE_LOAD = (
    "MATCH (m:QuanzeMeta {name: 'graph'}) WHERE m.loading = $load "
    "SET m.changes = m.changes + 1, m.loading_seen = datetime() RETURN m.changes AS changes"
)
END_LOAD = (
    "MATCH (m:QuanzeMeta {name: 'graph'}) WHERE m.loading = $load "
    "SET m.version = m.version + 1 REMOVE m.loading, m.loading_since, m.loading_seen "
    "RETURN m.version AS version"
)
CLEARED = (
    "MERGE (m:QuanzeMeta {name: 'graph'}) SET m.version = coalesce(m.version, 0) + 1 "
    "REMOVE m.loading, m.loading_since, m.loading_seen"
)
MEMORY_SETTINGS = "CALL dbms.listConfig('memory.transaction') YIELD name, value RETURN name, value"
