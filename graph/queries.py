"""Look-ups and listings over any `GraphReader`: the entity part of the API, written once.

Listings are sorted (by id, which follows government, department and code), so
every backend gives the same pages. Names are matched in normalised form, so a
query in traditional script finds what was written in simplified. A text search
takes its candidates from the store's index when it has one (`PowerItemSearch`,
on Neo4j a full-text index) and checks and orders each here, so every store finds
the same in the same order: by code, or by relevance (`PowerItemSort`).

    >>> from graph import MemoryStore
    >>> find_department(MemoryStore(), "巴中市財政局") is None
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from graph.model import Node
from graph.store import GraphReader, PowerItemSearch, searched_texts, sorted_ids
from graph.text import normalize
from ontology import EdgeKind, NodeKind

__all__ = [
    "PowerItemSort",
    "department_suggestions",
    "find_department",
    "find_power_item",
    "list_departments",
    "list_laws",
    "list_power_items",
    "power_item_ids",
    "relevance",
]


class PowerItemSort(StrEnum):
    """The order of a listing of power items: RELEVANCE to the searched text (`relevance`), or CODE (by id,
    which follows the code)."""

    RELEVANCE = "RELEVANCE"
    CODE = "CODE"


def list_departments(
    reader: GraphReader, *, government: str | None = None, kind: str | None = None
) -> list[Node]:
    """The departments, of one government and of one kind (机构类型) when given, ordered by id."""
    if government:
        found = reader.find(NodeKind.DEPARTMENT, "government", government)
        if not found:  # the government may be written in another script or width
            wanted = normalize(government)
            found = [
                d for d in reader.nodes(NodeKind.DEPARTMENT) if normalize(d.get("government", "")) == wanted
            ]
    else:
        found = list(reader.nodes(NodeKind.DEPARTMENT))
    if kind:
        wanted_kind = normalize(kind)
        found = [d for d in found if normalize(d.get("department_kind", "")) == wanted_kind]
    return sorted(found, key=lambda node: node.id)


def find_department(reader: GraphReader, name: str, government: str | None = None) -> Node | None:
    """The department named `name` (in either script), of `government` when given; None if none or several."""
    found = reader.find(NodeKind.DEPARTMENT, "key", normalize(name))
    if government:
        wanted = normalize(government)
        found = [d for d in found if normalize(d.get("government", "")) == wanted]
    return found[0] if len(found) == 1 else None


def department_suggestions(reader: GraphReader, name: str, limit: int = 3) -> list[str]:
    """The names of the departments closest to `name`, for a name that finds none: first those whose
    name holds its characters in order (市场监管局 in 巴中市市场监督管理局), then by the share of its
    character pairs they hold; at most `limit`, none that shares too little. Read on a failed look-up
    only: it reads every department's name.

    >>> from graph import MemoryStore, Node
    >>> store = MemoryStore()
    >>> with store.writer() as w:
    ...     for n in ("巴中市市场监督管理局", "巴中市财政局"):
    ...         w.add_node(Node(f"department:{n}", NodeKind.DEPARTMENT, {"name": n, "key": n}))
    >>> department_suggestions(store, "市场监管局")
    ['巴中市市场监督管理局']
    """
    wanted = normalize(name)
    pairs = _pairs(wanted)
    scored: list[tuple[float, str]] = []
    for department in reader.nodes(NodeKind.DEPARTMENT):
        shown = str(department.get("name", ""))
        key = normalize(shown)
        shared = len(pairs & _pairs(key)) / len(pairs) if pairs else 0.0
        score = shared + (1.0 if wanted and _in_order(wanted, key) else 0.0)
        if score >= 0.5:
            scored.append((score, shown))
    scored.sort(key=lambda entry: (-entry[0], len(entry[1]), entry[1]))
    return list(dict.fromkeys(shown for _, shown in scored))[:limit]


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def _in_order(wanted: str, text: str) -> bool:
    """Whether `text` holds every character of `wanted`, in its order (not necessarily together)."""
    rest = iter(text)
    return all(char in rest for char in wanted)


def list_power_items(
    reader: GraphReader,
    *,
    department: str | None = None,
    power_type: str | None = None,
    text: str | None = None,
    sort: PowerItemSort = PowerItemSort.CODE,
) -> list[Node]:
    """The power items, filtered by department name, power type and text (in either script), ordered by id,
    or with `sort` RELEVANCE and a text, by `relevance` to it and then by id.

    `text` matches an item whose name, sub-item or code contains it, both normalised (`SEARCHED_PROPS`).
    Without a department, the store's index (`PowerItemSearch`) gives the items to look at, when it can.
    The order costs a sort of the matches (n log n of those found), each ranked once as it is checked.
    """
    wanted = normalize(text) if text else ""
    candidates = None
    if wanted and not department and isinstance(reader, PowerItemSearch):
        candidates = reader.power_items_containing(wanted)
    if candidates is not None:
        items = candidates
    elif department:
        departments = reader.find(NodeKind.DEPARTMENT, "key", normalize(department))
        held = reader.edges_to([d.id for d in departments], EdgeKind.HELD_BY)
        item_ids = sorted({edge.source for edges in held.values() for edge in edges})
        items = [node for node in reader.nodes_by_id(item_ids) if node is not None]
    elif power_type:
        items = reader.find(NodeKind.POWER_ITEM, "power_type", normalize(power_type))
    else:
        items = list(reader.nodes(NodeKind.POWER_ITEM))
    if power_type:
        wanted_type = normalize(power_type)
        items = [item for item in items if item.get("power_type") == wanted_type]
    if not text:
        return sorted(items, key=lambda node: node.id)
    ranked = [(rank, item) for item in items if (rank := relevance(item, wanted)) is not None]
    if sort is PowerItemSort.RELEVANCE:
        ranked.sort(key=lambda entry: (entry[0], entry[1].id))
    else:
        ranked.sort(key=lambda entry: entry[1].id)
    return [item for _, item in ranked]


def relevance(item: Node, wanted: str) -> int | None:
    """How well a power item matches the normalised text `wanted`, best first: 0, its name is the text;
    1, its name starts with it; 2, its name holds it; 3, only another searched text (its sub-item or code)
    holds it; None, none does. Names are compared normalised, so either script and width rank alike.

    >>> item = Node("powerItem:XK-1", NodeKind.POWER_ITEM, {"name": "食品經營許可", "code": "XK-1"})
    >>> [relevance(item, wanted) for wanted in ("食品经营许可", "食品", "许可", "XK", "罚款")]
    [0, 1, 2, 3, None]
    """
    name = item.get("name")
    if isinstance(name, str) and wanted in (key := normalize(name)):
        return 0 if key == wanted else 1 if key.startswith(wanted) else 2
    return 3 if any(wanted in searched for searched in searched_texts(item)) else None


def power_item_ids(
    reader: GraphReader,
    *,
    department: str | None = None,
    power_type: str | None = None,
    text: str | None = None,
) -> Sequence[str]:
    """The ids of the power items `list_power_items` would give, in order, reading as few nodes as it can:
    none without filters (the store's sorted ids), the indexed ones by type, the department's by its edges."""
    if text or (department and power_type):
        return [
            node.id
            for node in list_power_items(reader, department=department, power_type=power_type, text=text)
        ]
    if department:
        departments = reader.find(NodeKind.DEPARTMENT, "key", normalize(department))
        held = reader.edges_to([d.id for d in departments], EdgeKind.HELD_BY)
        return sorted({edge.source for edges in held.values() for edge in edges})
    if power_type:
        return [node.id for node in reader.find(NodeKind.POWER_ITEM, "power_type", normalize(power_type))]
    return sorted_ids(reader, NodeKind.POWER_ITEM)


def find_power_item(reader: GraphReader, code: str, sub_item: str | None = None) -> Node | None:
    """The power item with this code (and sub-item); with several sub-items and none asked, the first."""
    found = reader.find(NodeKind.POWER_ITEM, "code", code)
    if not found:
        wanted_code = normalize(code)
        found = [item for item in reader.nodes(NodeKind.POWER_ITEM) if normalize(item["code"]) == wanted_code]
        found.sort(key=lambda node: node.id)
    if sub_item:
        wanted = normalize(sub_item)
        found = [item for item in found if normalize(item.get("sub_item", "")) == wanted]
    return found[0] if found else None


def list_laws(reader: GraphReader) -> list[tuple[Node, Node | None]]:
    """Every law as (law, None), each followed by its articles as (law, article) in number order."""
    laws = sorted(reader.nodes(NodeKind.LAW), key=lambda node: node.id)
    articles = reader.edges_to([law.id for law in laws], EdgeKind.ARTICLE_OF)
    ordered: list[tuple[Node, Node | None]] = []
    for law in laws:
        ordered.append((law, None))
        found = [
            node for node in reader.nodes_by_id([e.source for e in articles[law.id]]) if node is not None
        ]
        found.sort(key=lambda node: (node.get("number", 0), node.get("suffix", 0)))
        ordered.extend((law, article) for article in found)
    return ordered
