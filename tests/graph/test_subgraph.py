"""A `Subgraph` of every node and edge of a store answers every read as the store does; of some, as a
store holding only those would."""

from __future__ import annotations

from datetime import date

import pytest

from graph import Edge, MemoryStore, Node
from graph.store import GraphReader
from graph.subgraph import Subgraph
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import EdgeKind, NodeKind


@pytest.fixture(scope="module")
def demo() -> MemoryStore:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


def everything(store: MemoryStore) -> Subgraph:
    nodes = [node for kind in NodeKind for node in store.nodes(kind)]
    return Subgraph(nodes, [edge for kind in EdgeKind for edge in store.edges(kind=kind)])


def keys(edges: object) -> list[tuple[str, EdgeKind, str]]:
    return sorted(edge.key for edge in edges)  # type: ignore[attr-defined]


def test_it_reads_as_the_store(demo: MemoryStore) -> None:
    part: GraphReader = everything(demo)
    assert isinstance(part, GraphReader)
    for kind in NodeKind:
        assert part.count(kind) == demo.count(kind)
        assert sorted(node.id for node in part.nodes(kind)) == sorted(node.id for node in demo.nodes(kind))
    for kind in EdgeKind:
        assert keys(part.edges(kind=kind)) == keys(demo.edges(kind=kind))
    departments = sorted(node.id for node in demo.nodes(NodeKind.DEPARTMENT))[:5]
    for department in departments:
        assert keys(part.edges(target=department)) == keys(demo.edges(target=department))
        assert part.node(department) == demo.node(department)
    for kind in (EdgeKind.HELD_BY, EdgeKind.POST_IN, EdgeKind.UNIT_OF):
        assert {t: keys(e) for t, e in part.edges_to(departments, kind).items()} == {
            t: keys(e) for t, e in demo.edges_to(departments, kind).items()
        }
    items = sorted(node.id for node in demo.nodes(NodeKind.POWER_ITEM))[:50]
    assert {s: keys(e) for s, e in part.edges_from(items, EdgeKind.CITES).items()} == {
        s: keys(e) for s, e in demo.edges_from(items, EdgeKind.CITES).items()
    }
    assert part.nodes_by_id([*items[:3], "item:none"]) == demo.nodes_by_id([*items[:3], "item:none"])
    code = demo.node(items[0])["code"]  # type: ignore[index]
    assert part.find(NodeKind.POWER_ITEM, "code", code) == demo.find(NodeKind.POWER_ITEM, "code", code)
    on = date(2024, 5, 31)
    for post in sorted(node.id for node in demo.nodes(NodeKind.POST))[:200]:
        assert part.holders(post, on) == demo.holders(post, on)


def test_edges_to_a_node_not_given_are_left_out() -> None:
    government = Node("government:示例市人民政府", NodeKind.GOVERNMENT)
    department = Node("department:示例市财政局", NodeKind.DEPARTMENT)
    part = Subgraph(
        [government, department],
        [
            Edge(department.id, EdgeKind.DEPARTMENT_OF, government.id),
            Edge("item:elsewhere", EdgeKind.HELD_BY, department.id),
        ],
    )
    assert keys(part.edges(target=department.id)) == []
    assert part.count(NodeKind.POWER_ITEM) == 0
    assert keys(part.edges(kind=EdgeKind.DEPARTMENT_OF)) == [
        (department.id, EdgeKind.DEPARTMENT_OF, government.id)
    ]
    with pytest.raises(ValueError, match="needs a source"):
        part.edges()
