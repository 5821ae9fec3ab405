"""Every store backend answers alike: one test body per behaviour, run on memory and on Neo4j.

The `store` fixture (tests/stores.py) gives an empty store of each backend in
turn; results are compared sorted, as the protocol promises no order where it
names none.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import (
    Edge,
    GraphIntegrityError,
    GraphReader,
    GraphStore,
    MemoryStore,
    Node,
    Origin,
)
from graph.ids import person_id, post_id
from graph.neo4j import SEARCH_POWER_ITEMS, TEXT_INDEX, Neo4jSettings, Neo4jStore, search_phrase
from graph.queries import list_power_items, power_item_ids
from graph.store import EdgesAround, PowerItemSearch, SortedIds, sorted_ids
from graph.text import normalize
from loaders.workbook import load_workbook
from ontology import EDGE_ENDS, EdgeKind, NodeKind
from tests.builders import small, write_xlsx
from tests.stores import snapshot

GOV = "government:示例市人民政府"
DEPT = "department:示例市人民政府/示例市商务局"
POST = "post:SW-01"
ORIGIN = Origin("示例.xlsx", "ab" * 32, "部门", 3)


def _seed(store: GraphStore) -> None:
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
def seeded(store: GraphStore) -> GraphStore:
    _seed(store)
    return store


# -- the primitives -------------------------------------------------------------------------------


def test_every_store_meets_the_protocols(store: GraphStore) -> None:
    assert isinstance(store, GraphReader)
    assert isinstance(store, GraphStore)
    assert isinstance(store, SortedIds)


def test_nodes_count_and_find(seeded: GraphStore) -> None:
    assert seeded.count(NodeKind.DEPARTMENT) == 1
    assert seeded.count(NodeKind.LAW) == 0
    assert sorted(node.id for node in seeded.nodes(NodeKind.PERSON)) == ["person:P0", "person:P1"]
    assert seeded.find(NodeKind.DEPARTMENT, "key", "示例市商务局")[0].id == DEPT
    assert seeded.find(NodeKind.DEPARTMENT, "key", "无此部门") == []
    assert seeded.find(NodeKind.POST, "key", "示例市商务局") == []  # find looks at one kind only
    assert seeded.find(NodeKind.DEPARTMENT, "nothing_like_it", "x") == []
    assert [node.id for node in seeded.find(NodeKind.HOLDING, "start", date(2024, 6, 1))] == ["holding:1"]
    assert seeded.nodes_by_id([POST, "post:none", POST]) == [seeded.node(POST), None, seeded.node(POST)]
    assert seeded.nodes_by_id([]) == []
    assert seeded.node("post:none") is None


def test_find_is_ordered_by_id(store: GraphStore) -> None:
    ids = [
        "post:b",
        "post:𠀀",
        "post:a",
        "post:乙",
        "post:甲",
    ]  # 𠀀 is outside the BMP: orders as Python does
    with store.writer() as writer:
        for node_id in ids:
            writer.add_node(Node(node_id, NodeKind.POST, {"category": "工作人员"}))
    assert [node.id for node in store.find(NodeKind.POST, "category", "工作人员")] == sorted(ids)


def test_cypher_words_are_fine_as_kinds_and_properties(store: GraphStore) -> None:
    with store.writer() as writer:
        writer.add_node(Node("case:C-1", NodeKind.CASE, {"case_id": "C-1"}))  # CASE is a Cypher word
        writer.add_node(Node("article:法/1", NodeKind.ARTICLE, {"number": 1, "exists": True}))
    assert [node.id for node in store.find(NodeKind.CASE, "case_id", "C-1")] == ["case:C-1"]
    assert [node.id for node in store.find(NodeKind.ARTICLE, "exists", True)] == ["article:法/1"]
    assert store.count(NodeKind.CASE) == 1


def test_sorted_ids_are_in_python_order(store: GraphStore) -> None:
    ids = ["unit:b", "unit:𠀀", "unit:a", "unit:乙", "unit:ｂ"]
    with store.writer() as writer:
        for node_id in ids:
            writer.add_node(Node(node_id, NodeKind.UNIT))
    assert list(sorted_ids(store, NodeKind.UNIT)) == sorted(ids)
    assert list(sorted_ids(store, NodeKind.POST)) == []


def test_edges_by_source_target_and_kind(seeded: GraphStore) -> None:
    assert [edge.target for edge in seeded.edges(source=DEPT)] == [GOV]
    assert sorted(edge.source for edge in seeded.edges(target=POST)) == ["holding:0", "holding:1"]
    assert len(list(seeded.edges(kind=EdgeKind.HOLDING_OF))) == 2
    assert list(seeded.edges(source=POST, kind=EdgeKind.DEPARTMENT_OF)) == []
    assert [edge.key for edge in seeded.edges(source=POST, target=DEPT)] == [(POST, EdgeKind.POST_IN, DEPT)]
    assert list(seeded.edges(source="post:none")) == []
    with pytest.raises(ValueError, match="needs a source"):
        seeded.edges()


def test_edges_from_and_to_answer_for_every_id_asked(seeded: GraphStore) -> None:
    held = seeded.edges_to([POST, "post:none", GOV], EdgeKind.HOLDING_POST)
    assert set(held) == {POST, "post:none", GOV}
    assert sorted(edge.source for edge in held[POST]) == ["holding:0", "holding:1"]
    assert held["post:none"] == [] and held[GOV] == []
    out = seeded.edges_from(["holding:0", "holding:1", "person:P0"], EdgeKind.HOLDING_OF)
    assert {source: [edge.target for edge in edges] for source, edges in out.items()} == {
        "holding:0": ["person:P0"],
        "holding:1": ["person:P1"],
        "person:P0": [],
    }
    assert seeded.edges_from([], EdgeKind.HOLDING_OF) == {}


def test_edges_around_are_the_edges_of_those_kinds_on_that_side(store: GraphStore, tmp_path: Path) -> None:
    load_workbook(write_xlsx(tmp_path / "small.xlsx", small()), store)
    assert isinstance(store, EdgesAround)
    ids = sorted(node.id for kind in (NodeKind.DEPARTMENT, NodeKind.POWER_ITEM) for node in store.nodes(kind))
    ids.append("item:none")
    kinds = {EdgeKind.HELD_BY, EdgeKind.CITES, EdgeKind.STAGE_DEPARTMENT, EdgeKind.UNIT_OF}
    for incoming in (False, True):
        around = store.edges_around(ids, kinds, incoming=incoming)
        assert set(around) == set(ids)
        for node_id in ids:
            one_by_one = [
                edge
                for kind in kinds
                for edge in (store.edges_to if incoming else store.edges_from)([node_id], kind)[node_id]
            ]
            assert sorted(edge.key for edge in around[node_id]) == sorted(edge.key for edge in one_by_one)
            assert {edge.key: dict(edge.props) for edge in around[node_id]} == {
                edge.key: dict(edge.props) for edge in one_by_one
            }
    assert any(around[node_id] for node_id in ids)
    assert store.edges_around([], kinds) == {}
    assert store.edges_around(ids[:1], set()) == {ids[0]: []}


@pytest.mark.parametrize(
    ("on", "holder"),
    [
        (date(2018, 1, 1), "holding:0"),  # the first day counts
        (date(2024, 5, 31), "holding:0"),
        (date(2024, 6, 1), "holding:1"),  # the end is not part of the holding: [start, end)
        (date(2030, 1, 1), "holding:1"),  # an open end lasts
    ],
)
def test_holders_of_a_post_on_a_date_are_half_open(seeded: GraphStore, on: date, holder: str) -> None:
    assert [holding.id for holding in seeded.holders(POST, on)] == [holder]


def test_nobody_holds_a_post_before_its_first_holding(seeded: GraphStore) -> None:
    assert seeded.holders(POST, date(2017, 12, 31)) == []
    assert seeded.holders("post:none", date(2020, 1, 1)) == []


def test_holders_are_ordered_by_start_then_id(seeded: GraphStore) -> None:
    with seeded.writer() as writer:
        for holding, start in [("holding:c", date(2020, 1, 1)), ("holding:b", date(2019, 1, 1))]:
            writer.add_node(Node(holding, NodeKind.HOLDING, {"start": start}))
            writer.add_edge(Edge(holding, EdgeKind.HOLDING_POST, POST))
    on = date(2021, 1, 1)
    assert [holding.id for holding in seeded.holders(POST, on)] == ["holding:0", "holding:b", "holding:c"]


def test_properties_and_origins_come_back_as_written(store: GraphStore) -> None:
    props = {
        "name": "示例市商务局 'quoted' `ticked` $dollar \\ back",
        "admin_quota": 3,
        "ratio": 0.5,
        "open": True,
        "founded": date(1999, 12, 31),
        "codes": ("SW", "商务"),
        "none_yet": None,
        "empty": (),
        "extra": {"备注": "合署办公", "编号": "7"},
        "id": "a property named id",
        "_private": "a property starting with _",
    }
    node = Node(DEPT, NodeKind.DEPARTMENT, props, ORIGIN)
    edge_origin = Origin("示例.xlsx", "ab" * 32, "部门", 3, "所属政府 (C)")
    edge = Edge(DEPT, EdgeKind.DEPARTMENT_OF, GOV, {"paragraphs": ("第一款",), "position": 0}, edge_origin)
    with store.writer() as writer:
        writer.add_node(Node(GOV, NodeKind.GOVERNMENT))  # no properties, no origin
        writer.add_node(node)
        writer.add_edge(edge)
    read = store.node(DEPT)
    assert read == node
    assert read is not None and dict(read.props) == props and read.origin == ORIGIN
    government = store.node(GOV)
    assert government is not None and dict(government.props) == {} and government.origin is None
    (found,) = store.edges(source=DEPT)
    assert dict(found.props) == {"paragraphs": ("第一款",), "position": 0}
    assert found.origin == edge_origin
    assert [n.id for n in store.find(NodeKind.DEPARTMENT, "codes", ("SW", "商务"))] == [DEPT]
    assert [n.id for n in store.find(NodeKind.DEPARTMENT, "id", "a property named id")] == [DEPT]


def test_a_node_written_again_is_replaced_whole(seeded: GraphStore) -> None:
    with seeded.writer() as writer:
        writer.add_node(Node(DEPT, NodeKind.DEPARTMENT, {"name": "示例市商务和经济合作局", "code": "SW"}))
        writer.add_edge(Edge(DEPT, EdgeKind.DEPARTMENT_OF, GOV, {"position": 1}))
    department = seeded.node(DEPT)
    assert department is not None and dict(department.props) == {
        "name": "示例市商务和经济合作局",
        "code": "SW",
    }
    assert seeded.find(NodeKind.DEPARTMENT, "key", "示例市商务局") == []
    assert [n.id for n in seeded.find(NodeKind.DEPARTMENT, "code", "SW")] == [DEPT]
    (edge,) = seeded.edges(source=DEPT, kind=EdgeKind.DEPARTMENT_OF)
    assert dict(edge.props) == {"position": 1}
    assert [e.source for e in seeded.edges(target=DEPT)] == [POST]  # its other edges stay


def test_the_version_changes_with_every_write(seeded: GraphStore) -> None:
    seen = {seeded.version}
    for name in ("甲", "乙"):
        with seeded.writer() as writer:
            writer.add_node(Node(f"person:{name}", NodeKind.PERSON, {"name": name}))
        seen.add(seeded.version)
    with seeded.writer():
        pass
    seen.add(seeded.version)
    assert len(seen) == 4


# -- all or nothing -------------------------------------------------------------------------------


def test_a_write_that_raises_changes_nothing(seeded: GraphStore) -> None:
    before, version = snapshot(seeded), seeded.version
    with pytest.raises(RuntimeError), seeded.writer() as writer:
        writer.add_node(Node("department:示例市人民政府/新部门", NodeKind.DEPARTMENT, {"name": "新部门"}))
        writer.add_node(Node(DEPT, NodeKind.DEPARTMENT, {"name": "改名"}))
        raise RuntimeError("the load failed half way")
    assert snapshot(seeded) == before
    assert seeded.version == version


def test_an_edge_to_a_missing_node_rejects_the_whole_write(seeded: GraphStore) -> None:
    before, version = snapshot(seeded), seeded.version
    with pytest.raises(GraphIntegrityError, match="no node department:nowhere"), seeded.writer() as writer:
        writer.add_node(Node("unit:x", NodeKind.UNIT, {"name": "x"}))
        writer.add_node(Node(DEPT, NodeKind.DEPARTMENT, {"name": "改名"}))
        writer.add_edge(Edge("unit:x", EdgeKind.UNIT_OF, DEPT))
        writer.add_edge(Edge("unit:x", EdgeKind.UNIT_OF, "department:nowhere"))
    assert seeded.node("unit:x") is None
    assert snapshot(seeded) == before
    assert seeded.version == version


def test_an_edge_between_the_wrong_kinds_is_rejected(seeded: GraphStore) -> None:
    before = snapshot(seeded)
    with (
        pytest.raises(GraphIntegrityError, match="cannot go from a Post to a Government"),
        seeded.writer() as w,
    ):
        w.add_edge(Edge(POST, EdgeKind.UNIT_OF, GOV))
    assert snapshot(seeded) == before


def test_a_node_cannot_change_its_kind(seeded: GraphStore) -> None:
    before = snapshot(seeded)
    with pytest.raises(GraphIntegrityError, match="is a Post"), seeded.writer() as writer:
        writer.add_node(Node(POST, NodeKind.UNIT, {"name": "x"}))
    assert snapshot(seeded) == before


def test_clear_replaces_everything_in_one_write(seeded: GraphStore) -> None:
    with seeded.writer() as writer:
        writer.clear()
        writer.add_node(Node(GOV, NodeKind.GOVERNMENT, {"name": "示例市人民政府"}))
        writer.add_node(
            Node(POST, NodeKind.UNIT, {"name": "a post no more"})
        )  # after a clear, a kind may change
    assert seeded.count(NodeKind.DEPARTMENT) == 0
    assert seeded.count(NodeKind.GOVERNMENT) == 1
    assert seeded.count(NodeKind.POST) == 0
    assert seeded.find(NodeKind.DEPARTMENT, "key", "示例市商务局") == []
    assert list(seeded.edges(kind=EdgeKind.HOLDING_POST)) == []
    assert seeded.node(POST) == Node(POST, NodeKind.UNIT, {"name": "a post no more"})


def test_a_clear_with_a_bad_edge_keeps_the_old_graph(seeded: GraphStore) -> None:
    before = snapshot(seeded)
    with pytest.raises(GraphIntegrityError, match=f"no node {DEPT}"), seeded.writer() as writer:
        writer.clear()
        writer.add_node(Node(POST, NodeKind.POST))
        writer.add_edge(Edge(POST, EdgeKind.POST_IN, DEPT))  # DEPT goes with the clear
    assert snapshot(seeded) == before


def test_find_sees_nodes_written_after_a_first_lookup(seeded: GraphStore) -> None:
    assert seeded.find(NodeKind.POST, "code", "SW-02") == []
    with seeded.writer() as writer:
        writer.add_node(Node("post:SW-02", NodeKind.POST, {"code": "SW-02", "name": "副局长"}))
        writer.add_edge(Edge("post:SW-02", EdgeKind.POST_IN, DEPT))
    assert [node.id for node in seeded.find(NodeKind.POST, "code", "SW-02")] == ["post:SW-02"]


# -- a real workbook ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_xlsx(tmp_path_factory.mktemp("small") / "small.xlsx", small())


@pytest.fixture(scope="module")
def reference(workbook: Path) -> MemoryStore:
    reference = MemoryStore()
    load_workbook(workbook, reference)
    return reference


def test_the_small_government_reads_the_same_from_every_store(
    store: GraphStore, workbook: Path, reference: MemoryStore
) -> None:
    load_workbook(workbook, store)
    nodes, edges = snapshot(store)
    assert (nodes, edges) == snapshot(reference)
    assert all(origin is not None for _, origin in nodes)
    assert all(origin is not None for _, _, origin in edges)
    for kind in NodeKind:
        assert store.count(kind) == reference.count(kind)


def test_loading_again_with_or_without_replace_gives_the_same_graph(
    store: GraphStore, workbook: Path, reference: MemoryStore, tmp_path: Path
) -> None:
    load_workbook(workbook, store)
    load_workbook(workbook, store)
    assert snapshot(store) == snapshot(reference)
    load_workbook(workbook, store, replace=True)
    assert snapshot(store) == snapshot(reference)

    sheets = small()
    sheets["任职"] = [row for row in sheets["任职"] if "P09" not in row]  # a holding and a person go
    sheets["部门"][2][1] = "SWJ"  # a department's code changes
    changed = write_xlsx(tmp_path / "changed.xlsx", sheets)
    expected = MemoryStore()
    load_workbook(changed, expected)
    load_workbook(changed, store, replace=True)
    assert snapshot(store) == snapshot(expected)


@pytest.mark.parametrize(("on", "person"), [(date(2024, 5, 31), "P01"), (date(2024, 6, 1), "P02")])
def test_the_head_changes_on_the_first_of_june(
    store: GraphStore, workbook: Path, reference: MemoryStore, on: date, person: str
) -> None:
    load_workbook(workbook, store)
    holders = store.holders(post_id("SJ-01"), on)
    assert holders == reference.holders(post_id("SJ-01"), on)
    (holding,) = holders
    held_by = store.edges_from([holding.id], EdgeKind.HOLDING_OF)[holding.id]
    assert [edge.target for edge in held_by] == [person_id(person)]


# -- random graphs --------------------------------------------------------------------------------

_TEXT = st.text(alphabet="ab甲乙𠀀'`$\\ ", max_size=3)
_PROPS: dict[str, st.SearchStrategy[Any]] = {
    "name": st.one_of(st.none(), st.sampled_from(["甲", "乙", "a", "𠀀"])),
    "code": _TEXT,
    "start": st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 1, 1))),
    "end": st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 1, 1))),
    "count": st.integers(-(2**40), 2**40),
    "tags": st.lists(_TEXT, max_size=3).map(tuple),
    "extra": st.dictionaries(_TEXT, _TEXT, max_size=2),
    "id": _TEXT,
    "_hidden": st.booleans(),
}
_EDGE_PROPS: dict[str, st.SearchStrategy[Any]] = {
    "paragraphs": st.lists(_TEXT, max_size=2).map(tuple),
    "position": st.integers(0, 3),
    "joint": st.booleans(),
}
_ORIGINS = st.one_of(
    st.none(),
    st.builds(Origin, st.just("随机.xlsx"), st.just("0" * 64), _TEXT, st.integers(1, 99), st.none() | _TEXT),
)


@st.composite
def _graphs(draw: st.DrawFn) -> tuple[list[Node], list[Edge], list[int]]:
    """Nodes, valid edges between them, and the write (0, 1 or 2) each node goes in."""
    nodes = []
    for number in range(draw(st.integers(1, 10))):
        kind = draw(st.sampled_from(list(NodeKind)))
        names = draw(st.sets(st.sampled_from(sorted(_PROPS)), max_size=4))
        props = {name: draw(_PROPS[name]) for name in sorted(names)}
        suffix = draw(st.sampled_from(["", "甲", "𠀀", "/a b"]))
        nodes.append(Node(f"{kind.value.lower()}:{number}{suffix}", kind, props, draw(_ORIGINS)))
    possible = [
        (edge_kind, source, target)
        for edge_kind, (sources, targets) in EDGE_ENDS.items()
        for source in nodes
        if source.kind in sources
        for target in nodes
        if target.kind in targets
    ]
    edges = []
    if possible:
        for edge_kind, source, target in draw(st.lists(st.sampled_from(possible), max_size=12, unique=True)):
            names = draw(st.sets(st.sampled_from(sorted(_EDGE_PROPS)), max_size=2))
            props = {name: draw(_EDGE_PROPS[name]) for name in sorted(names)}
            edges.append(Edge(source.id, edge_kind, target.id, props, draw(_ORIGINS)))
    writes = draw(st.lists(st.integers(0, 2), min_size=len(nodes), max_size=len(nodes)))
    return nodes, edges, writes


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(graph=_graphs(), data=st.data())
def test_random_graphs_read_the_same_from_every_store(
    store: GraphStore, graph: tuple[list[Node], list[Edge], list[int]], data: st.DataObject
) -> None:
    nodes, edges, writes = graph
    reference = MemoryStore()
    with reference.writer() as writer:
        for node in nodes:
            writer.add_node(node)
        for edge in edges:
            writer.add_edge(edge)

    # The same graph in another order, over up to three writes; an edge goes with its later end.
    write_of = {node.id: write for node, write in zip(nodes, writes, strict=True)}
    with store.writer() as writer:
        writer.clear()  # hypothesis runs many examples on one store
    for write in range(3):
        with store.writer() as writer:
            for node in data.draw(st.permutations(nodes)):
                if write_of[node.id] == write:
                    writer.add_node(node)
            for edge in data.draw(st.permutations(edges)):
                if max(write_of[edge.source], write_of[edge.target]) == write:
                    writer.add_edge(edge)

    assert snapshot(store) == snapshot(reference)
    ids = [node.id for node in nodes] + ["post:nobody"]
    assert store.nodes_by_id(ids) == reference.nodes_by_id(ids)
    for kind in NodeKind:
        assert store.count(kind) == reference.count(kind)
        for prop in ("name", "id", "code"):
            for value in {node.props.get(prop) for node in nodes} | {"missing"}:
                assert store.find(kind, prop, value) == reference.find(kind, prop, value)
    for edge_kind in {edge.kind for edge in edges} | {EdgeKind.HOLDING_POST}:
        for ours, theirs in [
            (store.edges_from(ids, edge_kind), reference.edges_from(ids, edge_kind)),
            (store.edges_to(ids, edge_kind), reference.edges_to(ids, edge_kind)),
        ]:
            assert list(ours) == list(theirs)
            for node_id in ids:
                assert _edge_set(ours[node_id]) == _edge_set(theirs[node_id])
    for post in [node.id for node in nodes if node.kind is NodeKind.POST]:
        for on in (date(2000, 1, 1), date(2015, 6, 1), date(2030, 1, 1)):
            assert store.holders(post, on) == reference.holders(post, on)


def _edge_set(edges: list[Edge]) -> list[Any]:
    return sorted((edge.key, sorted(edge.props.items()), edge.origin) for edge in edges)


# -- text search ----------------------------------------------------------------------------------


def _item(code: str, name: str, power_type: str, sub_item: str | None = None) -> Node:
    props = {"code": code, "name": name, "power_type": power_type, "sub_item": sub_item}
    return Node(f"powerItem:{code}", NodeKind.POWER_ITEM, props)


# Written as published lists write them: in either script, with full-width letters, digits and brackets.
_ITEMS = [
    _item("XK-001", "行政许可证核发", "行政许可"),
    _item("ＸＫ－００２", "建設工程規劃許可證核發", "行政许可"),
    _item("CF-001", "对违法建设的处罚", "行政处罚", "責令限期拆除（一般）"),
    _item("CF 002", "違法排污的處罰", "行政处罚"),
    _item("QT-001", "其他权力", "其他"),
]
XK1, XK2, CF1, CF2, QT1 = (item.id for item in _ITEMS)


def _write_items(store: GraphStore, items: list[Node]) -> None:
    with store.writer() as writer:
        for item in items:
            writer.add_node(item)


@pytest.mark.parametrize(
    ("text", "power_type", "expected"),
    [
        ("许可证", None, [XK1, XK2]),  # simplified finds the traditional too
        ("許可證", None, [XK1, XK2]),  # and traditional the simplified
        ("证", None, [XK1, XK2]),  # one character, inside a longer name
        ("規劃 许可", None, [XK2]),  # both scripts in one text; spaces do not count
        ("ＸＫ－００", None, [XK1, XK2]),  # full-width, a part of a code
        ("K-002", None, [XK2]),  # half-width finds a code written full-width
        ("xk", None, []),  # letters match in their case, as written
        ("（一般）", None, [CF1]),  # full-width brackets, in the sub-item
        ("(一般", None, [CF1]),
        ("处罚", None, [CF1, CF2]),
        ("F00", None, [CF2]),  # the space of "CF 002" does not count either
        ("罚责", None, []),  # the end of a name and the start of its sub-item are not one text
        ("處罰", "行政处罚", [CF1, CF2]),
        ("處罰", "行政许可", []),
        ("权力", "其他", [QT1]),
        ("无此事项", None, []),
        ("  ", None, [XK1, XK2, CF1, CF2, QT1]),  # nothing left to look for: every item
    ],
)
def test_a_text_search_finds_the_same_items_on_every_store(
    store: GraphStore, text: str, power_type: str | None, expected: list[str]
) -> None:
    _write_items(store, _ITEMS)
    found = [item.id for item in list_power_items(store, power_type=power_type, text=text)]
    assert found == sorted(expected)
    assert list(power_item_ids(store, power_type=power_type, text=text)) == found


def test_any_piece_of_a_text_in_either_form_finds_the_same_items_on_every_store(store: GraphStore) -> None:
    """Generated items and pieces of their texts, as they are and in the other script and width: each finds
    the items whose normalised name, sub-item or code contains it, on every store."""
    rng = random.Random(6)
    letters = "许可證证處处罚罰规劃划权力（）()-ＡA１1ab 条條"
    items = [
        _item(
            f"{rng.choice('ABＣ')}-{number:03d}",
            "".join(rng.choices(letters, k=rng.randint(1, 9))),
            "行政许可",
            "".join(rng.choices(letters, k=rng.randint(0, 4))) or None,
        )
        for number in range(60)
    ]
    _write_items(store, items)
    texts = [normalize(item.get(prop, "")) for item in items for prop in ("name", "sub_item", "code")]
    pieces = {
        text[start : start + size] for text in texts for size in (1, 2, 3) for start in range(len(text))
    }
    other_form = str.maketrans("许证处罚规划条A1()-", "許證處罰規劃條Ａ１（）－")
    for piece in rng.sample(sorted(pieces), 120):
        for query in (piece, piece.translate(other_form)):
            wanted = normalize(query)
            expected = [
                item.id
                for item in items
                if any(wanted in normalize(item.get(prop, "")) for prop in ("name", "sub_item", "code"))
            ]
            assert [item.id for item in list_power_items(store, text=query)] == sorted(expected), query


class _CountingNeo4jStore(Neo4jStore):
    """The real Neo4j store, counting the nodes its reads of power items bring back."""

    def __init__(self, settings: Neo4jSettings) -> None:
        super().__init__(settings)
        self.read: Counter[str] = Counter()

    def nodes(self, kind: NodeKind) -> Iterator[Node]:
        found = list(super().nodes(kind))
        self.read[f"nodes({kind.value})"] += len(found)
        return iter(found)

    def find(self, kind: NodeKind, prop: str, value: Any) -> list[Node]:
        found = super().find(kind, prop, value)
        self.read[f"find({kind.value})"] += len(found)
        return found

    def power_items_containing(self, wanted: str) -> list[Node] | None:
        found = super().power_items_containing(wanted)
        self.read["power_items_containing"] += len(found) if found is not None else -1
        return found


def _operators(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("children", []):
        yield from _operators(child)


@pytest.mark.neo4j
def test_a_text_search_on_neo4j_reads_the_full_text_index_not_every_item(neo4j_store: Neo4jStore) -> None:
    neo4j_store.clear()
    others = [_item(f"QT-{number:03d}", f"其他权力事项{number}", "其他") for number in range(2, 300)]
    _write_items(neo4j_store, _ITEMS + others)
    assert isinstance(neo4j_store, PowerItemSearch)

    store = _CountingNeo4jStore(neo4j_store.settings)
    try:
        assert [item.id for item in list_power_items(store, text="許可證")] == [XK1, XK2]
        penalties = list_power_items(store, power_type="行政处罚", text="罰")
        assert [item.id for item in penalties] == sorted([CF1, CF2])
    finally:
        store.close()
    # Two and two nodes read, of 303 power items: none by kind or by type.
    assert store.read == {"power_items_containing": 4}

    # The server's side: the index gives the two, without a scan of the power items.
    records, summary, _ = neo4j_store.driver.execute_query(
        f"PROFILE {SEARCH_POWER_ITEMS}",
        phrase=search_phrase(normalize("許可證")),
        database_=neo4j_store.settings.database,
    )
    assert sorted(record["p"]["id"] for record in records) == [XK1, XK2]
    assert summary.profile is not None
    operators = list(_operators(summary.profile))
    assert any(
        operator["operatorType"].startswith("ProcedureCall")
        and "db.index.fulltext.queryNodes" in operator["args"]["Details"]
        for operator in operators
    )
    assert not [operator["operatorType"] for operator in operators if "Scan" in operator["operatorType"]]
    assert operators[0]["rows"] == 2


@pytest.mark.neo4j
def test_a_text_search_on_neo4j_reads_every_item_when_the_index_cannot_answer(
    neo4j_store: Neo4jStore,
) -> None:
    neo4j_store.clear()
    _write_items(neo4j_store, _ITEMS)
    # An item as an older store wrote it, without its search text (and raising the version, as writes do).
    neo4j_store.driver.execute_query(
        "MATCH (n:PowerItem {id: $id}) MATCH (m:QuanzeMeta {name: 'graph'}) "
        "REMOVE n._text SET m.version = m.version + 1",
        id=XK2,
        database_=neo4j_store.settings.database,
    )
    assert neo4j_store.power_items_containing("许可证") is None
    assert [item.id for item in list_power_items(neo4j_store, text="許可證")] == [XK1, XK2]

    _write_items(neo4j_store, [_ITEMS[1]])  # written again, it has its search text
    assert [item.id for item in neo4j_store.power_items_containing("许可证") or []] == [XK1, XK2]

    neo4j_store.driver.execute_query(f"DROP INDEX {TEXT_INDEX}", database_=neo4j_store.settings.database)
    try:
        assert neo4j_store.power_items_containing("许可证") is None
        assert [item.id for item in list_power_items(neo4j_store, text="許可證")] == [XK1, XK2]
    finally:
        neo4j_store.setup_schema()
