"""Properties in and out of Neo4j: the rows a node or edge is stored as, and the nodes and edges read back.

Neo4j holds strings, numbers, booleans, dates and lists of one of them; the
rest of what a property of ours may be is spelled out in names of our own:

* strings, numbers, booleans and `datetime.date` (a Neo4j Date) as they are;
  tuples and lists as lists, read back as tuples;
* a dict (the loader's `extra`) as JSON in `_json_<name>`;
* `None` as the name listed in `_nulls`;
* a property of ours named `id` or starting with `_` as `_p_<name>`;
* the `Origin` as `_origin_file`, `_origin_sha256`, `_origin_sheet`,
  `_origin_row` and `_origin_column`, on nodes and relationships alike;
* a power item also carries `_text`: the texts a search looks in (its name,
  sub-item and code, normalised: `graph.store.searched_texts`), a character at a
  time, which the full-text index holds; `search_phrase` makes the query of that
  index for a text.

    >>> row = node_row(Node("person:P1", NodeKind.PERSON, {"name": "张三", "note": None}))
    >>> row
    {'id': 'person:P1', 'name': '张三', '_nulls': ['note']}
    >>> node_of(NodeKind.PERSON, row)
    Node(id='person:P1', kind=<NodeKind.PERSON: 'Person'>, props={'name': '张三', 'note': None}, origin=None)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from neo4j import Record
from neo4j import time as driver_time

from graph.errors import GraphIntegrityError
from graph.model import Edge, Node, Origin
from graph.store import searched_texts
from ontology import EdgeKind, NodeKind

__all__ = [
    "EDGE_KINDS",
    "Stored",
    "decode_properties",
    "decode_value",
    "edge_from_record",
    "edge_of",
    "edge_row",
    "encode_value",
    "kind_of",
    "node_from_record",
    "node_of",
    "node_row",
    "same_value",
    "search_phrase",
    "stored_name",
]

Stored = tuple[NodeKind, dict[str, Any]]
"""A node's kind and its properties as Neo4j holds them."""

EDGE_KINDS = {kind.value: kind for kind in EdgeKind}
"""The edge kinds by their relationship type (`"heldBy"`)."""


# -- in -----------------------------------------------------------------------------------------


def stored_name(prop: str) -> str:
    """The name a property of ours is stored under: `id` and names starting with `_` are ours to use.

    >>> stored_name("name"), stored_name("id"), stored_name("_rank")
    ('name', '_p_id', '_p__rank')
    """
    return f"_p_{prop}" if prop == "id" or prop.startswith("_") else prop


def encode_value(value: Any) -> Any:
    """`value` as Neo4j stores it: a tuple or list as a list; raises `GraphIntegrityError` for a list of
    values of several types or of other than simple ones, which Neo4j cannot hold."""
    if isinstance(value, tuple | list):
        kinds = {type(item) for item in value}
        if len(kinds) > 1 or not all(isinstance(item, _SCALARS) for item in value):
            raise GraphIntegrityError(
                f"a list property must hold values of one simple type to be stored in Neo4j, not {value!r}"
            )
        return list(value)
    return value


def node_row(node: Node, *, searched: bool = True) -> dict[str, Any]:
    """The row a node is stored from; without its searched text when only checking it can be stored.
    Raises `GraphIntegrityError` for a property that cannot be stored."""
    row: dict[str, Any] = {"id": node.id}
    _encode(node.props, node.origin, row, f"node {node.id}")
    if searched and node.kind is NodeKind.POWER_ITEM:
        row["_text"] = "\n".join(" ".join(text) for text in searched_texts(node))
    return row


def edge_row(edge: Edge) -> dict[str, Any]:
    """The row an edge is stored from: its ends `s` and `t`, and its properties `p`. Raises
    `GraphIntegrityError` for a property that cannot be stored."""
    props: dict[str, Any] = {}
    _encode(edge.props, edge.origin, props, f"edge {edge.kind.value} {edge.source} -> {edge.target}")
    return {"s": edge.source, "t": edge.target, "p": props}


def search_phrase(wanted: str) -> str | None:
    """The query of the full-text index for `wanted`: its characters one after the other, as a phrase
    of the whitespace analyser's terms (None for a text without any: it would find nothing).

    >>> search_phrase('第1"条')
    '"第 1 \\\\" 条"'
    """
    terms = [char.translate(_PHRASE_ESCAPES) for char in wanted if not char.isspace()]
    return '"' + " ".join(terms) + '"' if terms else None


def same_value(new: Any, old: Any) -> bool:
    """Whether a value to store is the one already stored (a Neo4j Date equals its date)."""
    new, old = decode_value(new), decode_value(old)
    return type(new) is type(old) and bool(new == old)


# -- out ----------------------------------------------------------------------------------------


def decode_value(value: Any) -> Any:
    """A stored value as ours: a list as a tuple, a Neo4j Date, DateTime or Time as Python's."""
    if type(value) in _AS_READ:
        return value
    if isinstance(value, list):
        return tuple(decode_value(item) for item in value)
    if isinstance(value, _NATIVE):
        return value.to_native()
    return value


def decode_properties(stored: Mapping[str, Any]) -> tuple[dict[str, Any], Origin | None]:
    """Our properties and the origin of a node or edge as Neo4j holds them (analyses read hundreds of
    thousands at a time, so the common case goes first)."""
    props: dict[str, Any] = {}
    for name, value in stored.items():
        if name[:1] != "_":
            props[name] = value if type(value) in _AS_READ else decode_value(value)
        elif name.startswith("_json_"):
            props[name.removeprefix("_json_")] = json.loads(value)
        elif name == "_nulls":
            props.update(dict.fromkeys(value))
        elif name.startswith("_p_"):
            props[name.removeprefix("_p_")] = decode_value(value)
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


def kind_of(labels: Sequence[str]) -> NodeKind:
    """The kind of a node from its labels (`["Node", "PowerItem"]`)."""
    return next(_KINDS[label] for label in labels if label in _KINDS)


def node_from_record(record: Record) -> Node:
    """The node of a record with its properties `p` and labels `l` (`cypher.RETURN_NODE`)."""
    stored = dict(record["p"])
    node_id = stored.pop("id")
    props, origin = decode_properties(stored)
    return Node(node_id, kind_of(record["l"]), props, origin)


def edge_from_record(record: Record) -> Edge:
    """The edge of a record with its source `s`, type `k`, target `t` and properties `p`."""
    props, origin = decode_properties(record["p"])
    return Edge(record["s"], EDGE_KINDS[record["k"]], record["t"], props, origin)


def node_of(kind: NodeKind, stored: dict[str, Any]) -> Node:
    """The node of `kind` whose stored properties, its `id` among them, are `stored` (emptied of the id)."""
    node_id = stored.pop("id")
    props, origin = decode_properties(stored)
    return Node(node_id, kind, props, origin)


def edge_of(source: str, kind: EdgeKind, target: str, stored: dict[str, Any]) -> Edge:
    """The edge of `kind` from `source` to `target` whose stored properties are `stored`."""
    props, origin = decode_properties(stored)
    return Edge(source, kind, target, props, origin)


# -- private ------------------------------------------------------------------------------------

_KINDS = {kind.value: kind for kind in NodeKind}
_PLAIN = frozenset({str, int, float, bool, date})
_SCALARS = (str, int, float, bool, date)
_NATIVE = (driver_time.Date, driver_time.DateTime, driver_time.Time)
_AS_READ = frozenset({str, int, float, bool})
_PHRASE_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"'})


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
                into[stored_name(name)] = encode_value(value)
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
