"""The organisation's rules (graph/organisation.py): one answer through every way of reading.

A head post held without a start date until 2024-06-01, then by another person: every store, the
analyses' bulk `Links`, a trace's `ReaderView`, the gaps and the staffing figures all see the first
holder on 2024-05-31 and the second on 2024-06-01 (tests/api/test_organisation.py: the API too).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from graph import GraphStore, organisation
from graph.analyses import GapKind, find_gaps
from graph.analyses.links import Links
from graph.analyses.staffing import staffing_figures
from graph.analyses.trace import responsibility
from graph.model import Edge, Node
from graph.organisation import ReaderView, covers, holdings_on
from ontology import EdgeKind, NodeKind, PostCategory

DEPARTMENT = "department:示例市人民政府/示例市测试局"
UNIT = "unit:示例市测试局/综合科"
HEAD, DEPUTY, UNIT_HEAD, STAFF = "post:CS-01", "post:CS-02", "post:CS-03", "post:CS-04"
ITEM = "powerItem:CS-XK-001"
BEFORE, CHANGE = date(2024, 5, 31), date(2024, 6, 1)
#: the head's holder on each date: P01 holds from no known date until 2024-06-01, P02 from then
HEAD_ON = {BEFORE: "person:P01", CHANGE: "person:P02"}


def write_organisation(store: GraphStore) -> GraphStore:
    """`store` with a department, a unit, its four kinds of post, an item with one stage, and holdings;
    the head post's first holding and the unit head's have no start."""
    posts = [
        (HEAD, DEPARTMENT, PostCategory.HEAD),
        (DEPUTY, DEPARTMENT, PostCategory.DEPUTY),
        (UNIT_HEAD, UNIT, PostCategory.UNIT_HEAD),
        (STAFF, UNIT, PostCategory.STAFF),
    ]
    holdings = [
        ("holding:1", "person:P01", HEAD, {"end": CHANGE}),
        ("holding:2", "person:P02", HEAD, {"start": CHANGE}),
        ("holding:3", "person:P03", UNIT_HEAD, {}),
    ]
    with store.writer() as writer:
        writer.add_node(Node("government:示例市人民政府", NodeKind.GOVERNMENT, {"name": "示例市人民政府"}))
        writer.add_node(
            Node(DEPARTMENT, NodeKind.DEPARTMENT, {"name": "示例市测试局", "key": "示例市测试局"})
        )
        writer.add_edge(Edge(DEPARTMENT, EdgeKind.DEPARTMENT_OF, "government:示例市人民政府"))
        writer.add_node(Node(UNIT, NodeKind.UNIT, {"name": "综合科"}))
        writer.add_edge(Edge(UNIT, EdgeKind.UNIT_OF, DEPARTMENT))
        for post, place, category in posts:
            code = post.removeprefix("post:")
            writer.add_node(
                Node(post, NodeKind.POST, {"code": code, "name": code, "category": category.value})
            )
            writer.add_edge(Edge(post, EdgeKind.POST_IN, place))
        writer.add_edge(Edge(DEPUTY, EdgeKind.SUPERVISES, UNIT))
        for holding, person, post, dates in holdings:
            code = person.removeprefix("person:")
            writer.add_node(Node(person, NodeKind.PERSON, {"person_id": code, "name": code}))
            writer.add_node(Node(holding, NodeKind.HOLDING, dates))
            writer.add_edge(Edge(holding, EdgeKind.HOLDING_OF, person))
            writer.add_edge(Edge(holding, EdgeKind.HOLDING_POST, post))
        writer.add_node(Node(ITEM, NodeKind.POWER_ITEM, {"code": "CS-XK-001", "name": "测试许可"}))
        writer.add_edge(Edge(ITEM, EdgeKind.HELD_BY, DEPARTMENT))
        writer.add_node(Node("stage:CS-XK-001/1", NodeKind.STAGE, {"step": 1, "name": "受理"}))
        writer.add_edge(Edge("stage:CS-XK-001/1", EdgeKind.STAGE_OF, ITEM))
        writer.add_edge(Edge("stage:CS-XK-001/1", EdgeKind.STAGE_POST, STAFF))
    return store


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    return write_organisation(store)


@pytest.mark.parametrize(
    ("props", "on", "covered"),
    [
        ({}, date(1900, 1, 1), True),  # no dates: every date
        ({"end": CHANGE}, BEFORE, True),  # no start: every date until the end
        ({"end": CHANGE}, CHANGE, False),  # the end is the first day not held
        ({"start": CHANGE}, BEFORE, False),
        ({"start": CHANGE}, CHANGE, True),
        ({"start": BEFORE, "end": CHANGE}, BEFORE, True),
    ],
)
def test_a_holding_covers_its_half_open_period(props: dict[str, date], on: date, covered: bool) -> None:
    assert covers(Node("holding:x", NodeKind.HOLDING, props), on) is covered


def test_holdings_on_a_date_come_without_a_start_first() -> None:
    holdings = [
        Node("holding:b", NodeKind.HOLDING, {"start": BEFORE}),
        Node("holding:c", NodeKind.HOLDING, {}),
        Node("holding:a", NodeKind.HOLDING, {"start": BEFORE}),
        Node("holding:d", NodeKind.HOLDING, {"start": CHANGE}),
    ]
    assert [holding.id for holding in holdings_on(holdings, BEFORE)] == [
        "holding:c",
        "holding:a",
        "holding:b",
    ]


@pytest.mark.parametrize("on", sorted(HEAD_ON))
def test_every_reader_gives_the_same_holders(graph: GraphStore, on: date) -> None:
    holding = {BEFORE: "holding:1", CHANGE: "holding:2"}[on]
    holders: dict[str, Callable[[str, date], list[Node]]] = {
        "store": graph.holders,
        "links": Links(graph).holders,
        "view": ReaderView(graph).holders,
    }
    for name, holders_on_date in holders.items():
        assert [h.id for h in holders_on_date(HEAD, on)] == [holding], name
        assert [h.id for h in holders_on_date(UNIT_HEAD, on)] == ["holding:3"], name
    for reader in (Links(graph), ReaderView(graph)):
        assert organisation.holder(reader, HEAD, on) == HEAD_ON[on]
        head = organisation.department_head(reader, DEPARTMENT, on)
        assert head is not None and head.id == holding
        assert organisation.holder_of_category(reader, UNIT, PostCategory.UNIT_HEAD, on) == "person:P03"
        assert organisation.deputy_in_charge(reader, UNIT, on) is None


def test_every_reader_places_the_posts_alike(graph: GraphStore) -> None:
    for reader in (Links(graph), ReaderView(graph)):
        assert [organisation.department_of_post(reader, post) for post in (HEAD, STAFF)] == [DEPARTMENT] * 2
        assert [organisation.unit_of_post(reader, post) for post in (HEAD, STAFF)] == [None, UNIT]
        assert organisation.posts_of_department(reader, DEPARTMENT) == sorted(
            [HEAD, DEPUTY, UNIT_HEAD, STAFF]
        )
        assert [post.id for post in organisation.head_posts(reader, DEPARTMENT)] == [HEAD]
        assert organisation.department_of_post(reader, "post:none") is None


@pytest.mark.parametrize("on", sorted(HEAD_ON))
def test_a_trace_names_the_holder_without_a_start(graph: GraphStore, on: date) -> None:
    (stage,) = responsibility(graph, ITEM, on)
    assert (stage.department, stage.unit, stage.post) == (DEPARTMENT, UNIT, STAFF)
    assert (stage.holder_then, stage.unit_head, stage.deputy_in_charge) == (None, "person:P03", None)
    assert stage.department_head == HEAD_ON[on]


@pytest.mark.parametrize("on", sorted(HEAD_ON))
def test_the_gaps_and_the_figures_count_the_holding_without_a_start(graph: GraphStore, on: date) -> None:
    gaps = find_gaps(graph, at=on, kinds={GapKind.NO_HEAD, GapKind.VACANT_POST})
    assert [(gap.kind, gap.subject_id) for gap in gaps] == [(GapKind.VACANT_POST, STAFF)]
    figures = staffing_figures(graph, at=on)[DEPARTMENT]
    assert (figures.posts, figures.posts_held, figures.people_at_work) == (4, 2, 2)
