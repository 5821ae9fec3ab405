"""The memory store: the reader primitives and the all-or-nothing writer."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from graph import Edge, GraphIntegrityError, GraphReader, GraphStore, MemoryStore, Node
from graph.memory import EdgesOfPair
from graph.model import Props
from ontology import EdgeKind, NodeKind

GOV = "government:示例市人民政府"
DEPT = "department:示例市人民政府/示例市商务局"
POST = "post:SW-01"


def _seed(store: MemoryStore) -> None:
    with store.writer() as writer:
        writer.add_node(Node(GOV, NodeKind.GOVERNMENT, {"name": "示例市人民政府"}))
        writer.add_node(Node(DEPT, NodeKind.DEPARTMENT, {"name": "示例市商务局", "key": "示例市商务局"}))
        writer.add_edge(Edge(DEPT, EdgeKind.DEPARTMENT_OF, GOV))
        writer.add_node(Node(POST, NodeKind.POST, {"code": "SW-01", "name": "局长"}))
        writer.add_edge(Edge(POST, EdgeKind.POST_IN, DEPT))
        for number, (start, end) in enumerate(
            [(date(2018, 1, 1), date(2024, 6, 1)), (date(2024, 6, 1), None)]
        ):
            holding = f"holding:{number}"
            person = f"person:P{number}"
            writer.add_node(Node(person, NodeKind.PERSON, {"name": f"人{number}"}))
            writer.add_node(Node(holding, NodeKind.HOLDING, {"start": start, "end": end}))
            writer.add_edge(Edge(holding, EdgeKind.HOLDING_OF, person))
            writer.add_edge(Edge(holding, EdgeKind.HOLDING_POST, POST))


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    _seed(store)
    return store


def test_the_memory_store_meets_the_protocols(store: MemoryStore) -> None:
    assert isinstance(store, GraphReader)
    assert isinstance(store, GraphStore)


def test_nodes_count_and_find(store: MemoryStore) -> None:
    assert store.count(NodeKind.DEPARTMENT) == 1
    assert [node.id for node in store.nodes(NodeKind.PERSON)] == ["person:P0", "person:P1"]
    assert store.find(NodeKind.DEPARTMENT, "key", "示例市商务局")[0].id == DEPT
    assert store.find(NodeKind.DEPARTMENT, "key", "无此部门") == []
    assert store.nodes_by_id([POST, "post:none"]) == [store.node(POST), None]


def test_a_node_with_many_neighbours_gives_its_edges_of_a_kind_in_order_and_after_a_write(
    store: MemoryStore,
) -> None:
    """A department with hundreds of items and a few posts: its posts come from an index by kind (built
    on first use), the same edges in the same order as a walk over all its neighbours, and a later
    write is seen."""
    with store.writer() as writer:
        for number in range(300):
            item = f"item:{number:03d}"
            writer.add_node(Node(item, NodeKind.POWER_ITEM, {"code": f"X{number:03d}", "name": "事项"}))
            writer.add_edge(Edge(item, EdgeKind.HELD_BY, DEPT))
            if number % 100 == 0:
                post = f"post:P{number:03d}"
                writer.add_node(Node(post, NodeKind.POST, {"code": post, "name": "科员"}))
                writer.add_edge(Edge(post, EdgeKind.POST_IN, DEPT))
    everything = list(store.edges(target=DEPT))
    walked = [edge for edge in everything if edge.kind is EdgeKind.POST_IN]

    posts = list(store.edges(target=DEPT, kind=EdgeKind.POST_IN))

    assert [edge.source for edge in posts] == [edge.source for edge in walked]
    assert [edge.source for edge in posts] == [POST, "post:P000", "post:P100", "post:P200"]
    assert len(list(store.edges(target=DEPT, kind=EdgeKind.HELD_BY))) == 300
    assert list(store.edges(target=DEPT, kind=EdgeKind.UNIT_OF)) == []
    with store.writer() as writer:
        writer.add_node(Node("post:P999", NodeKind.POST, {"code": "P999", "name": "科员"}))
        writer.add_edge(Edge("post:P999", EdgeKind.POST_IN, DEPT))
    assert [edge.source for edge in store.edges(target=DEPT, kind=EdgeKind.POST_IN)][-1] == "post:P999"
    assert len(store.edges_from(["item:000"], EdgeKind.HELD_BY)["item:000"]) == 1


def test_edges_by_source_target_and_kind(store: MemoryStore) -> None:
    assert [edge.target for edge in store.edges(source=DEPT)] == [GOV]
    assert sorted(edge.source for edge in store.edges(target=POST)) == ["holding:0", "holding:1"]
    assert len(list(store.edges(kind=EdgeKind.HOLDING_OF))) == 2
    assert list(store.edges(source=POST, kind=EdgeKind.DEPARTMENT_OF)) == []
    assert store.edges_to([POST, "post:none"], EdgeKind.HOLDING_POST)["post:none"] == []
    with pytest.raises(ValueError, match="needs a source"):
        store.edges()


@pytest.mark.parametrize(
    ("on", "holder"),
    [
        (date(2018, 1, 1), "holding:0"),  # the first day counts
        (date(2024, 5, 31), "holding:0"),
        (date(2024, 6, 1), "holding:1"),  # the end is not part of the holding: [start, end)
        (date(2030, 1, 1), "holding:1"),  # an open end lasts
    ],
)
def test_holders_of_a_post_on_a_date_are_half_open(store: MemoryStore, on: date, holder: str) -> None:
    assert [holding.id for holding in store.holders(POST, on)] == [holder]


def test_nobody_holds_a_post_before_its_first_holding(store: MemoryStore) -> None:
    assert store.holders(POST, date(2017, 12, 31)) == []


def test_a_write_that_raises_changes_nothing(store: MemoryStore) -> None:
    version = store.version
    with pytest.raises(RuntimeError), store.writer() as writer:
        writer.add_node(Node("department:示例市人民政府/新部门", NodeKind.DEPARTMENT, {"name": "新部门"}))
        raise RuntimeError("the load failed half way")
    assert store.count(NodeKind.DEPARTMENT) == 1
    assert store.version == version


def test_an_edge_to_a_missing_node_rejects_the_whole_write(store: MemoryStore) -> None:
    with pytest.raises(GraphIntegrityError, match="no node department:nowhere"), store.writer() as writer:
        writer.add_node(Node("unit:x", NodeKind.UNIT, {"name": "x"}))
        writer.add_edge(Edge("unit:x", EdgeKind.UNIT_OF, "department:nowhere"))
    assert store.node("unit:x") is None


def test_an_edge_between_the_wrong_kinds_is_rejected(store: MemoryStore) -> None:
    with (
        pytest.raises(GraphIntegrityError, match="cannot go from a Post to a Government"),
        store.writer() as w,
    ):
        w.add_edge(Edge(POST, EdgeKind.UNIT_OF, GOV))


def test_a_node_cannot_change_its_kind(store: MemoryStore) -> None:
    with pytest.raises(GraphIntegrityError, match="is a Post"), store.writer() as writer:
        writer.add_node(Node(POST, NodeKind.UNIT, {"name": "x"}))


def test_clear_replaces_everything_in_one_write(store: MemoryStore) -> None:
    with store.writer() as writer:
        writer.clear()
        writer.add_node(Node(GOV, NodeKind.GOVERNMENT, {"name": "示例市人民政府"}))
    assert store.count(NodeKind.DEPARTMENT) == 0
    assert store.count(NodeKind.GOVERNMENT) == 1
    assert store.find(NodeKind.DEPARTMENT, "key", "示例市商务局") == []


def test_find_sees_nodes_written_after_a_first_lookup(store: MemoryStore) -> None:
    assert store.find(NodeKind.POST, "code", "SW-02") == []
    with store.writer() as writer:
        writer.add_node(Node("post:SW-02", NodeKind.POST, {"code": "SW-02", "name": "副局长"}))
        writer.add_edge(Edge("post:SW-02", EdgeKind.POST_IN, DEPT))
    assert [node.id for node in store.find(NodeKind.POST, "code", "SW-02")] == ["post:SW-02"]


def test_two_nodes_joined_by_edges_of_several_kinds_keep_each(store: MemoryStore) -> None:
    """Most pairs of nodes have one edge, kept without a dict; a pair with edges of several kinds keeps
    each, in every read, and an edge written again replaces its reading."""
    unit = "unit:示例市商务局/办公室"
    with store.writer() as writer:
        writer.add_node(Node(unit, NodeKind.UNIT, {"name": "办公室"}))
        writer.add_edge(Edge(unit, EdgeKind.UNIT_OF, DEPT))
        writer.add_edge(Edge(POST, EdgeKind.POST_IN, unit))
        writer.add_edge(Edge(POST, EdgeKind.SUPERVISES, unit, {"note": "first"}))
    with store.writer() as writer:
        writer.add_edge(Edge(POST, EdgeKind.SUPERVISES, unit, {"note": "again"}))

    between = list(store.edges(source=POST, target=unit))
    assert sorted(edge.kind for edge in between) == [EdgeKind.POST_IN, EdgeKind.SUPERVISES]
    assert [edge.get("note") for edge in store.edges(source=POST, kind=EdgeKind.SUPERVISES)] == ["again"]
    assert [edge.source for edge in store.edges(target=unit, kind=EdgeKind.POST_IN)] == [POST]
    assert len(list(store.edges(kind=EdgeKind.SUPERVISES))) == 1
    assert [edge.kind for edge in store.edges_from([POST], EdgeKind.POST_IN)[POST]] == [EdgeKind.POST_IN] * 2
    assert sorted(edge.target for edge in store.edges_from([POST], EdgeKind.POST_IN)[POST]) == [DEPT, unit]
    assert store.edges_to([unit], EdgeKind.SUPERVISES)[unit][0].get("note") == "again"


def test_a_pair_of_nodes_is_a_mapping_of_its_edges_by_kind() -> None:
    first = Edge(POST, EdgeKind.POST_IN, DEPT)
    pair = EdgesOfPair(first).with_edge(Edge(POST, EdgeKind.SUPERVISES, DEPT))
    assert dict(pair) == {EdgeKind.POST_IN: first, EdgeKind.SUPERVISES: pair[EdgeKind.SUPERVISES]}
    assert (
        pair.with_edge(Edge(POST, EdgeKind.POST_IN, DEPT, {"note": "new"}))[EdgeKind.POST_IN].get("note")
        == "new"
    )
    with pytest.raises(KeyError):
        pair[EdgeKind.UNIT_OF]


def test_nodes_with_compact_properties_read_compare_and_pickle_as_with_a_dict(store: MemoryStore) -> None:
    shapes: dict[tuple[str, ...], dict[str, int]] = {}
    props = Props.of({"code": "SW-03", "name": "科员"}, shapes)
    compact = Node("post:SW-03", NodeKind.POST, props)
    plain = Node("post:SW-03", NodeKind.POST, {"code": "SW-03", "name": "科员"})
    with store.writer() as writer:
        writer.add_node(compact)
        writer.add_edge(Edge(compact.id, EdgeKind.POST_IN, DEPT))

    assert compact == plain and plain == compact and props == {"name": "科员", "code": "SW-03"}
    assert (compact["name"], compact.get("rank"), "code" in props, len(props)) == ("科员", None, True, 2)
    assert dict(props) == {**props} == {"code": "SW-03", "name": "科员"}
    assert pickle.loads(pickle.dumps(compact)) == compact
    assert pickle.loads(pickle.dumps(compact)).props == plain.props
    assert store.find(NodeKind.POST, "code", "SW-03") == [plain]
    assert repr(props) == "{'code': 'SW-03', 'name': '科员'}"
    assert Props.of({"code": "SW-04", "name": "科员"}, shapes)._positions is props._positions
