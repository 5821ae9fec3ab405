"""The RDF export: the graph in the ontology's terms, as Turtle and JSON-LD, checked by SHACL."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import CSVW, DCTERMS, ORG, PROV

from graph import Edge, MemoryStore, Node, Origin, QuanzeError
from graph.ids import (
    article_id,
    case_id,
    case_step_id,
    department_id,
    function_id,
    government_id,
    holding_id,
    law_id,
    person_id,
    post_id,
    power_item_id,
    record_id,
    stage_id,
    unit_id,
)
from graph.ledger import ReviewStatus, Source, SQLiteLedger
from graph.rdf import ID_NAMESPACE, QUANZE, node_iri, serialize, to_rdf, validate
from ontology import ONTOLOGY_FILE, EdgeKind, NodeKind, PowerType

CV = Namespace("http://data.europa.eu/m8g/")
# open namespaces, so that pytest's collection may probe them without a warning
TIME = Namespace("http://www.w3.org/2006/time#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

WORKBOOK = "/home/someone/数据/示例市.xlsx"
SHA256 = "0f" * 32

GOVERNMENT = government_id("示例市人民政府")
MARKET = department_id("示例市人民政府", "示例市市场监督管理局")
COMMERCE = department_id("示例市人民政府", "示例市商务局")
APPROVALS = unit_id(MARKET, "行政审批科")
TRADE = unit_id(COMMERCE, "市场运行科")
HEAD, DEPUTY, CHIEF, CLERK = (post_id(code) for code in ("SJ-01", "SJ-02", "SJ-11", "SW-11"))
ZHANG, WANG = person_id("P01"), person_id("P02")
ZHANG_AS_CHIEF = holding_id(ZHANG, CHIEF, date(2020, 1, 1), 2)
ZHANG_AS_HEAD = holding_id(ZHANG, HEAD, date(2023, 1, 1), 3)
WANG_AS_DEPUTY = holding_id(WANG, DEPUTY, date(2019, 3, 1), 4)
FUNCTION = function_id("F-SJ-1")
FOOD_LAW = law_id("中华人民共和国食品安全法")
ARTICLE_35, ARTICLE_122 = article_id("食品安全法", 35), article_id("食品安全法", 122)
LICENCE, RETAIL = power_item_id("XK-001"), power_item_id("XK-002")
STAGES = [stage_id(LICENCE, step) for step in (1, 2, 3)]
CASE = case_id("C-001")
STEPS = [case_step_id("C-001", step) for step in (1, 2, 3)]
RECORD = record_id("R-001")


# -- builders ------------------------------------------------------------------------------------


def _origin(sheet: str, row: int) -> Origin:
    return Origin(WORKBOOK, SHA256, sheet, row)


def small_government() -> tuple[dict[str, Node], list[Edge]]:
    """One small government: two departments, units, posts, people, a licence with three stages, a case."""
    n = NodeKind
    nodes = [
        Node(GOVERNMENT, n.GOVERNMENT, {"name": "示例市人民政府"}, _origin("部门", 2)),
        Node(
            MARKET,
            n.DEPARTMENT,
            {"name": "示例市市场监督管理局", "code": "SJ", "admin_quota": 3},
            _origin("部门", 2),
        ),
        Node(COMMERCE, n.DEPARTMENT, {"name": "示例市商务局", "code": "SW"}, _origin("部门", 3)),
        Node(APPROVALS, n.UNIT, {"name": "行政审批科", "quota": 2}, _origin("内设机构", 2)),
        Node(TRADE, n.UNIT, {"name": "市场运行科"}, _origin("内设机构", 3)),
        Node(HEAD, n.POST, {"code": "SJ-01", "name": "局长", "category": "行政首长"}),
        Node(DEPUTY, n.POST, {"code": "SJ-02", "name": "副局长", "category": "分管领导"}),
        Node(CHIEF, n.POST, {"code": "SJ-11", "name": "科长"}),
        Node(CLERK, n.POST, {"code": "SW-11", "name": "科长"}),
        Node(ZHANG, n.PERSON, {"person_id": "P01", "name": "张伟"}, _origin("任职", 2)),
        Node(WANG, n.PERSON, {"person_id": "P02", "name": "王芳"}, _origin("任职", 4)),
        Node(
            ZHANG_AS_CHIEF,
            n.HOLDING,
            {"start": date(2020, 1, 1), "end": date(2023, 1, 1)},
            _origin("任职", 2),
        ),
        Node(
            ZHANG_AS_HEAD,
            n.HOLDING,
            {"start": date(2023, 1, 1), "quota_type": "行政编制"},
            _origin("任职", 3),
        ),
        Node(WANG_AS_DEPUTY, n.HOLDING, {"start": date(2019, 3, 1)}, _origin("任职", 4)),
        Node(FUNCTION, n.FUNCTION, {"code": "F-SJ-1", "text": "负责食品经营许可", "category": "市场监管"}),
        Node(FOOD_LAW, n.LAW, {"name": "中华人民共和国食品安全法", "rank": "法律"}, _origin("法律依据", 2)),
        Node(ARTICLE_35, n.ARTICLE, {"number": 35, "label": "第三十五条"}, _origin("法律依据", 2)),
        Node(ARTICLE_122, n.ARTICLE, {"number": 122, "label": "第一百二十二条"}, _origin("法律依据", 3)),
        Node(
            LICENCE,
            n.POWER_ITEM,
            {
                "code": "XK-001",
                "name": "食品经营许可",
                "power_type": "行政许可",
                "statutory_days": 20,
                "promised_days": 10,
                "basis": "《中华人民共和国食品安全法》第三十五条第一款",
                "extra": {"联系电话": "0827-1234567"},
            },
            _origin("权责清单", 2),
        ),
        Node(
            RETAIL,
            n.POWER_ITEM,
            {"code": "XK-002", "name": "酒类商品零售许可", "power_type": PowerType.LICENSING},
        ),
        *(
            Node(
                stage,
                n.STAGE,
                {"step": step, "name": name, "role": role, "days": days},
                _origin("审批环节", step + 1),
            )
            for step, (stage, name, role, days) in enumerate(
                zip(STAGES, ("受理", "审核", "批准"), ("承办", "审核", "批准"), (1, 5, 3), strict=True),
                start=1,
            )
        ),
        Node(CASE, n.CASE, {"case_id": "C-001", "accepted": date(2024, 9, 27), "closed": date(2024, 10, 15)}),
        *(
            Node(step, n.CASE_STEP, {"step": number, "started": date(2024, 9, 26 + number)})
            for number, step in enumerate(STEPS, start=1)
        ),
        Node(
            RECORD,
            n.ACCOUNTABILITY_RECORD,
            {"record_id": "R-001", "date": date(2024, 11, 1), "sanction": "诫勉谈话"},
        ),
    ]
    e = EdgeKind
    edges = [
        Edge(MARKET, e.DEPARTMENT_OF, GOVERNMENT),
        Edge(COMMERCE, e.DEPARTMENT_OF, GOVERNMENT),
        Edge(APPROVALS, e.UNIT_OF, MARKET),
        Edge(TRADE, e.UNIT_OF, COMMERCE),
        Edge(HEAD, e.POST_IN, MARKET),
        Edge(DEPUTY, e.POST_IN, MARKET),
        Edge(DEPUTY, e.SUPERVISES, APPROVALS),
        Edge(CHIEF, e.POST_IN, APPROVALS),
        Edge(CLERK, e.POST_IN, TRADE),
        *_holding_edges(ZHANG_AS_CHIEF, ZHANG, CHIEF, MARKET),
        *_holding_edges(ZHANG_AS_HEAD, ZHANG, HEAD, MARKET),
        *_holding_edges(WANG_AS_DEPUTY, WANG, DEPUTY, MARKET),
        Edge(FUNCTION, e.FUNCTION_OF, MARKET),
        Edge(FUNCTION, e.CARRIED_BY, APPROVALS),
        Edge(FUNCTION, e.CITES, ARTICLE_35),
        Edge(ARTICLE_35, e.ARTICLE_OF, FOOD_LAW),
        Edge(ARTICLE_122, e.ARTICLE_OF, FOOD_LAW),
        Edge(LICENCE, e.HELD_BY, MARKET),
        Edge(LICENCE, e.HANDLED_BY, APPROVALS),
        Edge(LICENCE, e.CITES, ARTICLE_35, {"paragraph": 1}),
        Edge(LICENCE, e.CITES, ARTICLE_122),
        Edge(RETAIL, e.HELD_BY, COMMERCE),
        Edge(RETAIL, e.REQUIRES, LICENCE),
        *(Edge(stage, e.STAGE_OF, LICENCE) for stage in STAGES),
        Edge(STAGES[0], e.STAGE_POST, CHIEF),
        Edge(STAGES[1], e.STAGE_POST, CHIEF),
        Edge(STAGES[2], e.STAGE_POST, DEPUTY),
        Edge(STAGES[2], e.STAGE_DEPARTMENT, MARKET),
        Edge(STAGES[0], e.STAGE_UNIT, APPROVALS),
        Edge(CASE, e.CASE_OF, LICENCE),
        *(Edge(step, e.STEP_OF, CASE) for step in STEPS),
        *(Edge(step, e.STEP_STAGE, stage) for step, stage in zip(STEPS, STAGES, strict=True)),
        Edge(STEPS[0], e.PERFORMED_BY, ZHANG),
        Edge(STEPS[1], e.PERFORMED_BY, ZHANG),
        Edge(STEPS[2], e.PERFORMED_BY, WANG),
        Edge(RECORD, e.RECORD_OF, ZHANG),
        Edge(RECORD, e.RECORD_CASE, CASE),
    ]
    return {node.id: node for node in nodes}, edges


def _holding_edges(holding: str, person: str, post: str, quota: str) -> list[Edge]:
    return [
        Edge(holding, EdgeKind.HOLDING_OF, person),
        Edge(holding, EdgeKind.HOLDING_POST, post),
        Edge(holding, EdgeKind.QUOTA_IN, quota),
    ]


def store_of(nodes: Iterable[Node], edges: Iterable[Edge]) -> MemoryStore:
    store = MemoryStore()
    with store.writer() as writer:
        for node in nodes:
            writer.add_node(node)
        for edge in edges:
            writer.add_edge(edge)
    return store


def changed(nodes: dict[str, Node], node_id: str, **props: Any) -> list[Node]:
    """`nodes` with the properties of `node_id` changed (None removes one)."""
    node = nodes[node_id]
    new_props = {key: value for key, value in {**node.props, **props}.items() if value is not None}
    return [*{**nodes, node_id: replace(node, props=new_props)}.values()]


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    nodes, edges = small_government()
    return store_of(nodes.values(), edges)


@pytest.fixture(scope="module")
def graph(store: MemoryStore) -> Graph:
    return to_rdf(store)


# -- what the export writes ----------------------------------------------------------------------


def test_every_node_is_typed_with_its_class(store: MemoryStore, graph: Graph) -> None:
    for kind in NodeKind:
        typed = set(graph.subjects(RDF.type, QUANZE[kind.value]))
        assert typed == {node_iri(node.id) for node in store.nodes(kind)}, kind


def test_properties_are_typed_literals(graph: Graph) -> None:
    licence, department = node_iri(LICENCE), node_iri(MARKET)
    assert (licence, QUANZE.statutoryDays, Literal(20, datatype=XSD.integer)) in graph
    assert (licence, QUANZE.powerType, Literal("行政许可")) in graph
    assert (node_iri(RETAIL), QUANZE.powerType, Literal("行政许可")) in graph  # given as PowerType.LICENSING
    assert (department, QUANZE.adminQuota, Literal(3, datatype=XSD.integer)) in graph
    assert (node_iri(CASE), QUANZE.accepted, Literal(date(2024, 9, 27), datatype=XSD.date)) in graph
    assert (node_iri(ZHANG), QUANZE.name, Literal("张伟")) in graph


def test_edges_are_object_properties(store: MemoryStore, graph: Graph) -> None:
    licence = node_iri(LICENCE)
    assert (node_iri(MARKET), QUANZE.departmentOf, node_iri(GOVERNMENT)) in graph
    assert set(graph.objects(licence, QUANZE.cites)) == {node_iri(ARTICLE_35), node_iri(ARTICLE_122)}
    assert (node_iri(RETAIL), QUANZE.requires, licence) in graph
    for kind in EdgeKind:
        assert len(list(graph.triples((None, QUANZE[kind.value], None)))) == len(list(store.edges(kind=kind)))


def test_a_holding_has_its_period_as_an_org_membership_interval(graph: Graph) -> None:
    def dates(holding: str) -> dict[str, str]:
        interval = graph.value(node_iri(holding), ORG.memberDuring)
        assert (interval, RDF.type, TIME.Interval) in graph
        found = {}
        for relation, name in ((TIME.hasBeginning, "start"), (TIME.hasEnd, "end")):
            instant = graph.value(interval, relation)
            if instant is not None:
                assert (instant, RDF.type, TIME.Instant) in graph
                found[name] = str(graph.value(instant, TIME.inXSDDate))
        return found

    assert dates(ZHANG_AS_CHIEF) == {"start": "2020-01-01", "end": "2023-01-01"}
    assert dates(ZHANG_AS_HEAD) == {"start": "2023-01-01"}


def test_a_node_is_derived_from_its_workbook_row(graph: Graph) -> None:
    row = graph.value(node_iri(LICENCE), PROV.wasDerivedFrom)
    assert row == URIRef(f"{ID_NAMESPACE}source/{SHA256}/权责清单/2")
    assert graph.value(row, CSVW.rownum) == Literal(2, datatype=XSD.integer)
    sheet = graph.value(row, DCTERMS.isPartOf)
    assert graph.value(sheet, DCTERMS.title) == Literal("权责清单")
    workbook = graph.value(sheet, DCTERMS.isPartOf)
    assert graph.value(workbook, DCTERMS.title) == Literal("示例市.xlsx")
    assert graph.value(workbook, DCTERMS.identifier) == Literal(f"sha256:{SHA256}")
    # nodes read from one row share it; nodes with no origin have none
    assert graph.value(node_iri(MARKET), PROV.wasDerivedFrom) == graph.value(
        node_iri(GOVERNMENT), PROV.wasDerivedFrom
    )
    assert graph.value(node_iri(HEAD), PROV.wasDerivedFrom) is None


def test_the_controlled_lists_are_linked_as_concepts(graph: Graph) -> None:
    assert (node_iri(LICENCE), CV.isClassifiedBy, QUANZE["power-licensing"]) in graph
    roles = {}
    for step, person in zip(STEPS, (ZHANG, ZHANG, WANG), strict=True):
        association = graph.value(node_iri(step), PROV.qualifiedAssociation)
        assert graph.value(association, PROV.agent) == node_iri(person)
        roles[step] = graph.value(association, PROV.hadRole)
    assert list(roles.values()) == [QUANZE["role-handle"], QUANZE["role-review"], QUANZE["role-approve"]]


def test_unknown_columns_are_one_json_string(graph: Graph) -> None:
    extra = graph.value(node_iri(LICENCE), QUANZE.extra)
    assert json.loads(str(extra)) == {"联系电话": "0827-1234567"}


@pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)  # rdflib's JSON-LD parser
@pytest.mark.parametrize(("format", "parser"), [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_turtle_and_jsonld_read_back_as_the_same_graph(
    store: MemoryStore, graph: Graph, format: str, parser: str
) -> None:
    text = serialize(store, format)
    assert "示例市市场监督管理局" in text  # Chinese is written as is, not escaped
    assert isomorphic(Graph().parse(data=text, format=parser), graph)


def test_an_unknown_format_is_refused(store: MemoryStore) -> None:
    with pytest.raises(QuanzeError, match="cannot write RDF as 'xml'"):
        serialize(store, "xml")


# -- personal data -------------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["turtle", "jsonld"])
def test_without_personal_data_no_name_of_a_person_is_written(store: MemoryStore, format: str) -> None:
    text = serialize(store, format, include_personal=False)
    assert "张伟" not in text
    assert "王芳" not in text
    assert "0827-1234567" not in text  # unknown columns may hold anything
    assert str(node_iri(ZHANG)) in text  # the person is still there, by staff number
    assert "示例市市场监督管理局" in text


def test_without_personal_data_the_graph_still_conforms(store: MemoryStore) -> None:
    graph = to_rdf(store, include_personal=False)
    assert (node_iri(ZHANG), QUANZE.personId, Literal("P01")) in graph
    assert validate(graph)[0]


# -- SHACL ---------------------------------------------------------------------------------------


def test_the_small_government_conforms(graph: Graph) -> None:
    conforms, report = validate(graph)
    assert conforms, report


Broken = tuple[list[Node], list[Edge], str]  # the nodes, the edges, and the node that breaks a shape


def _broken_holding(nodes: dict[str, Node], edges: list[Edge]) -> Broken:
    return changed(nodes, ZHANG_AS_CHIEF, end=date(2019, 1, 1)), edges, ZHANG_AS_CHIEF


def _holding_without_start(nodes: dict[str, Node], edges: list[Edge]) -> Broken:
    return changed(nodes, WANG_AS_DEPUTY, start=None), edges, WANG_AS_DEPUTY


def _department_without_government(nodes: dict[str, Node], edges: list[Edge]) -> Broken:
    orphan = department_id("示例市人民政府", "示例市无主局")
    return [*nodes.values(), Node(orphan, NodeKind.DEPARTMENT, {"name": "示例市无主局"})], edges, orphan


def _unknown_power_type(nodes: dict[str, Node], edges: list[Edge]) -> Broken:
    return changed(nodes, RETAIL, power_type="行政审批"), edges, RETAIL


def _unknown_stage_role(nodes: dict[str, Node], edges: list[Edge]) -> Broken:
    return changed(nodes, STAGES[1], role="复核"), edges, STAGES[1]


def _item_held_by_nobody(nodes: dict[str, Node], edges: list[Edge]) -> Broken:
    return list(nodes.values()), [edge for edge in edges if edge.source != RETAIL], RETAIL


def _case_without_accepted(nodes: dict[str, Node], edges: list[Edge]) -> Broken:
    return changed(nodes, CASE, accepted=None), edges, CASE


@pytest.mark.parametrize(
    ("breaking", "message"),
    [
        pytest.param(_broken_holding, "a holding ends after it starts", id="end-before-start"),
        pytest.param(_holding_without_start, "a holding of a post has a start date", id="no-start"),
        pytest.param(_department_without_government, "exactly one government", id="no-government"),
        pytest.param(_unknown_power_type, "ten power types", id="unknown-power-type"),
        pytest.param(_unknown_stage_role, "承办, 审核, 批准", id="unknown-role"),
        pytest.param(_item_held_by_nobody, "held by at least one department", id="held-by-nobody"),
        pytest.param(_case_without_accepted, "quanze:accepted", id="case-not-accepted"),
    ],
)
def test_a_broken_graph_does_not_conform_and_the_report_names_the_node(breaking: Any, message: str) -> None:
    nodes, edges = small_government()
    broken_nodes, broken_edges, focus = breaking(nodes, edges)
    conforms, report = validate(to_rdf(store_of(broken_nodes, broken_edges)))
    assert not conforms
    assert f"Focus Node: <{node_iri(focus)}>" in report
    assert message in report


# -- node IRIs -----------------------------------------------------------------------------------


def test_a_node_iri_is_readable() -> None:
    assert str(node_iri(MARKET)) == (
        "https://w3id.org/quanze/id/department:示例市人民政府%2F示例市市场监督管理局"
    )
    assert str(node_iri("item:A 1#(2)?%")) == "https://w3id.org/quanze/id/item:A%201%23%282%29%3F%25"


@given(st.text(min_size=1))
def test_a_node_iri_gives_back_its_id_and_survives_turtle(node_id: str) -> None:
    iri = node_iri(node_id)
    assert unquote(iri.removeprefix(str(ID_NAMESPACE))) == node_id
    graph = Graph()
    graph.add((iri, RDF.type, QUANZE.Department))
    assert set(Graph().parse(data=graph.serialize(format="turtle"), format="turtle")) == set(graph)


# -- the ledger as PROV-O ------------------------------------------------------------------------


def test_reviews_and_editions_are_prov_activities_and_the_reviewer_is_personal(tmp_path: Path) -> None:
    at = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    ledger = SQLiteLedger(tmp_path / "ledger.sqlite3")
    finding = "overlap:0123456789ab"
    ledger.review(finding, "RECTIFYING", role="staffing", reviewer="王芳", note="限期整改", at=at)
    ledger.record_edition("2025", [Source("清单.xlsx", "ab" * 32)], [], [], at=at.replace(year=2025))
    store = MemoryStore()
    personal, public = (to_rdf(store, include_personal=flag, ledger=ledger) for flag in (True, False))
    ledger.close()

    edition = ID_NAMESPACE["edition/2025"]
    assert (edition, RDF.type, PROV.Activity) in public
    assert (edition, PROV.used, ID_NAMESPACE[f"source/{'ab' * 32}"]) in public
    assert (edition, PROV.generated, ID_NAMESPACE["edition/2025/items"]) in public
    reviews = [ID_NAMESPACE[f"review/{finding}/{number}"] for number in (1, 2)]
    assert [public.value(review, DCTERMS.type) for review in reviews] == [
        QUANZE["status-rectifying"],
        QUANZE["status-rectified"],  # set by the load of 2025, which informed it
    ]
    assert all((review, PROV.used, ID_NAMESPACE[finding]) in public for review in reviews)
    assert public.value(reviews[1], PROV.wasInformedBy) == edition
    assert public.value(reviews[0], PROV.endedAtTime) == Literal(at, datatype=XSD.dateTime)
    assert public.value(reviews[0], PROV.wasAssociatedWith) is None
    assert public.value(reviews[0], RDFS.comment) is None
    agent = personal.value(reviews[0], PROV.wasAssociatedWith)
    assert personal.value(agent, RDFS.label) == Literal("王芳")
    assert personal.value(reviews[0], RDFS.comment) == Literal("限期整改", lang="zh")
    assert validate(personal)[0]
    assert {str(status) for status in ReviewStatus} <= _status_notations()


def _status_notations() -> set[str]:
    """The notations of the review statuses the ontology lists."""
    ontology = Graph().parse(ONTOLOGY_FILE, format="turtle")
    return {
        str(ontology.value(concept, SKOS.notation))
        for concept in ontology.subjects(SKOS.inScheme, QUANZE.ReviewStatuses)
    }
