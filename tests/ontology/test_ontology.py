"""The Python names agree with the ontology, and the shapes with both.

`ontology/quanze.ttl` is the one statement of what exists: the `NodeKind`s are its classes,
the `EdgeKind`s its object properties (with `EDGE_ENDS` as domain and range), the entries of
`PROPERTIES` its datatype properties. `ontology/shapes.ttl` constrains exactly those terms.
The alignments with ORG, CPSV-AP, ELI, PROV-O and FOAF are a promise to users of the export,
kept here as a golden list.
"""

from __future__ import annotations

from collections import defaultdict
from enum import Enum

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, SH
from rdflib.term import Node as Term

from ontology import (
    EDGE_ENDS,
    NAMESPACE,
    ONTOLOGY_FILE,
    PROPERTIES,
    SHAPES_FILE,
    EdgeKind,
    NodeKind,
    PostCategory,
    PowerType,
    StageRole,
    rdf_name,
)

QUANZE = Namespace(NAMESPACE)
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # open, so pytest's collection may probe it

ALIGNMENTS = [
    # W3C ORG
    (QUANZE.Government, RDFS.subClassOf, ORG.FormalOrganization),
    (QUANZE.Department, RDFS.subClassOf, ORG.FormalOrganization),
    (QUANZE.Unit, RDFS.subClassOf, ORG.OrganizationalUnit),
    (QUANZE.Post, RDFS.subClassOf, ORG.Post),
    (QUANZE.Holding, RDFS.subClassOf, ORG.Membership),
    (QUANZE.departmentOf, RDFS.subPropertyOf, ORG.subOrganizationOf),
    (QUANZE.managedBy, RDFS.subPropertyOf, ORG.linkedTo),
    (QUANZE.unitOf, RDFS.subPropertyOf, ORG.unitOf),
    (QUANZE.postIn, RDFS.subPropertyOf, ORG.postIn),
    (QUANZE.holdingOf, RDFS.subPropertyOf, ORG.member),
    # CPSV-AP and the EU Core Vocabularies
    (QUANZE.Government, RDFS.subClassOf, CV.PublicOrganisation),
    (QUANZE.Department, RDFS.subClassOf, CV.PublicOrganisation),
    (QUANZE.PowerItem, RDFS.subClassOf, CPSV.PublicService),
    (QUANZE.heldBy, RDFS.subPropertyOf, CV.hasCompetentAuthority),
    (QUANZE.cites, RDFS.subPropertyOf, CV.hasLegalResource),
    (QUANZE.requires, RDFS.subPropertyOf, DCTERMS.requires),
    (QUANZE.statutoryDays, RDFS.seeAlso, CV.processingTime),
    # ELI
    (QUANZE.Law, RDFS.subClassOf, ELI.LegalResource),
    (QUANZE.Article, RDFS.subClassOf, ELI.LegalResourceSubdivision),
    (QUANZE.articleOf, RDFS.subPropertyOf, ELI.is_part_of),
    # PROV-O and FOAF
    (QUANZE.Person, RDFS.subClassOf, FOAF.Person),
    (QUANZE.Person, RDFS.subClassOf, PROV.Agent),
    (QUANZE.Case, RDFS.subClassOf, PROV.Activity),
    (QUANZE.CaseStep, RDFS.subClassOf, PROV.Activity),
    (QUANZE.AccountabilityRecord, RDFS.subClassOf, PROV.Entity),
    (QUANZE.performedBy, RDFS.subPropertyOf, PROV.wasAssociatedWith),
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


# -- the ontology and the Python names -----------------------------------------------------------


def test_the_classes_are_the_node_kinds(ontology: Graph) -> None:
    assert _local_names(ontology, OWL.Class) == {kind.value for kind in NodeKind}


def test_the_object_properties_are_the_edge_kinds_with_their_ends(ontology: Graph) -> None:
    assert _local_names(ontology, OWL.ObjectProperty) == {kind.value for kind in EdgeKind}
    for kind, (sources, targets) in EDGE_ENDS.items():
        prop = QUANZE[kind.value]
        assert _kinds(ontology, ontology.value(prop, RDFS.domain)) == sources, kind
        assert _kinds(ontology, ontology.value(prop, RDFS.range)) == targets, kind


def test_the_datatype_properties_are_the_node_properties(ontology: Graph) -> None:
    expected: dict[str, tuple[set[NodeKind], set[str]]] = defaultdict(lambda: (set(), set()))
    for kind, props in PROPERTIES.items():
        for prop, datatype in props.items():
            kinds, datatypes = expected[rdf_name(prop)]
            kinds.add(kind)
            datatypes.add(datatype)
    assert _local_names(ontology, OWL.DatatypeProperty) == set(expected)
    for name, (kinds, datatypes) in expected.items():
        assert len(datatypes) == 1, f"{name} has several datatypes in PROPERTIES: {datatypes}"
        prop = QUANZE[name]
        assert _kinds(ontology, ontology.value(prop, RDFS.domain)) == kinds, name
        assert ontology.value(prop, RDFS.range) == XSD[datatypes.pop()], name


def test_every_term_has_an_english_and_a_chinese_label_and_a_comment(ontology: Graph) -> None:
    terms = [
        subject
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for subject in ontology.subjects(RDF.type, kind)
        if isinstance(subject, URIRef) and subject.startswith(NAMESPACE)
    ]
    assert terms
    for term in [*terms, URIRef(NAMESPACE.rstrip("#"))]:
        labels = ontology.objects(term, RDFS.label)
        languages = {label.language for label in labels if isinstance(label, Literal)}
        assert {"en", "zh"} <= languages, term
        assert ontology.value(term, RDFS.comment) is not None, term


@pytest.mark.parametrize(
    ("scheme", "enum", "prefix"),
    [("PowerTypes", PowerType, "power-"), ("StageRoles", StageRole, "role-")],
)
def test_the_concept_schemes_list_the_enums(
    ontology: Graph, scheme: str, enum: type[Enum], prefix: str
) -> None:
    concepts = set(ontology.subjects(SKOS.inScheme, QUANZE[scheme]))
    assert (QUANZE[scheme], RDF.type, SKOS.ConceptScheme) in ontology
    assert set(ontology.objects(QUANZE[scheme], SKOS.hasTopConcept)) == concepts
    by_notation = {str(ontology.value(concept, SKOS.notation)): concept for concept in concepts}
    assert set(by_notation) == {member.name for member in enum}
    for member in enum:
        concept = by_notation[member.name]
        assert concept == QUANZE[prefix + member.name.lower()]
        pref_labels = ontology.objects(concept, SKOS.prefLabel)
        labels = {label.language: str(label) for label in pref_labels if isinstance(label, Literal)}
        assert labels["zh"] == member.value
        assert labels["en"]


def test_the_post_categories_are_a_concept_scheme_too(ontology: Graph) -> None:
    test_the_concept_schemes_list_the_enums(ontology, "PostCategories", PostCategory, "post-")


def test_the_stage_roles_are_prov_roles(ontology: Graph) -> None:
    for role in StageRole:
        assert (QUANZE[f"role-{role.name.lower()}"], RDF.type, PROV.Role) in ontology


@pytest.mark.parametrize("triple", ALIGNMENTS, ids=lambda triple: f"{triple[0].fragment}-{triple[2]}")
def test_the_promised_alignments_are_there(ontology: Graph, triple: tuple[URIRef, URIRef, URIRef]) -> None:
    assert triple in ontology


def test_every_term_aligned_with_is_declared(ontology: Graph) -> None:
    for relation in (RDFS.subClassOf, RDFS.subPropertyOf):
        for external in set(ontology.objects(None, relation)):
            declared_as = ontology.value(external, RDF.type)
            assert declared_as in {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, external


# -- the shapes ----------------------------------------------------------------------------------


def test_every_class_has_one_shape(shapes: Graph) -> None:
    targets = [str(target) for target in shapes.objects(None, SH.targetClass)]
    assert sorted(targets) == sorted(NAMESPACE + kind.value for kind in NodeKind)


def test_every_shape_path_is_a_declared_property(ontology: Graph, shapes: Graph) -> None:
    declared = {
        subject
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for subject in ontology.subjects(RDF.type, kind)
    }
    paths = set(shapes.objects(None, SH.path))
    assert paths
    assert paths <= declared, paths - declared


def test_the_shapes_give_each_property_its_datatype(shapes: Graph) -> None:
    for kind, props in PROPERTIES.items():
        shape = _shape(shapes, kind)
        for prop, datatype in props.items():
            datatypes = {
                shapes.value(property_shape, SH.datatype)
                for property_shape in _property_shapes(shapes, shape, QUANZE[rdf_name(prop)])
            }
            assert XSD[datatype] in datatypes, f"{kind.value}.{prop}"


def test_the_shapes_give_each_edge_its_target_classes(shapes: Graph) -> None:
    for edge_kind, (sources, targets) in EDGE_ENDS.items():
        for source in sources:
            found = [
                _shape_classes(shapes, property_shape)
                for property_shape in _edge_shapes(shapes, source, edge_kind)
            ]
            assert set(targets) in found, f"{source.value} {edge_kind.value}"


def test_functional_properties_are_the_edges_with_at_most_one_target(ontology: Graph, shapes: Graph) -> None:
    for edge_kind, (sources, _targets) in EDGE_ENDS.items():
        functional = (QUANZE[edge_kind.value], RDF.type, OWL.FunctionalProperty) in ontology
        for source in sources:
            max_counts = {
                shapes.value(property_shape, SH.maxCount)
                for property_shape in _edge_shapes(shapes, source, edge_kind)
            }
            assert (Literal(1) in max_counts) == functional, f"{source.value} {edge_kind.value}"


@pytest.mark.parametrize(
    ("kind", "prop", "enum"),
    [(NodeKind.POWER_ITEM, "power_type", PowerType), (NodeKind.STAGE, "role", StageRole)],
)
def test_the_shapes_allow_exactly_the_listed_values(
    shapes: Graph, kind: NodeKind, prop: str, enum: type[Enum]
) -> None:
    allowed = [
        shapes.value(property_shape, SH["in"])
        for property_shape in _property_shapes(shapes, _shape(shapes, kind), QUANZE[rdf_name(prop)])
    ]
    lists = [Collection(shapes, head) for head in allowed if head is not None]
    assert len(lists) == 1
    assert {str(value) for value in lists[0]} == {member.value for member in enum}


# -- helpers -------------------------------------------------------------------------------------


def _local_names(graph: Graph, rdf_type: URIRef) -> set[str]:
    return {
        subject.removeprefix(NAMESPACE)
        for subject in graph.subjects(RDF.type, rdf_type)
        if isinstance(subject, URIRef) and subject.startswith(NAMESPACE)
    }


def _kinds(graph: Graph, term: Term | None) -> frozenset[NodeKind]:
    """The node kinds a domain or range names: one class, or an owl:unionOf of classes."""
    assert term is not None
    union = graph.value(term, OWL.unionOf)
    members = list(Collection(graph, union)) if union is not None else [term]
    return frozenset(NodeKind(str(member).removeprefix(NAMESPACE)) for member in members)


def _shape(shapes: Graph, kind: NodeKind) -> Term:
    shape = shapes.value(None, SH.targetClass, QUANZE[kind.value])
    assert shape is not None, kind
    return shape


def _property_shapes(shapes: Graph, shape: Term, path: URIRef) -> list[Term]:
    return [
        property_shape
        for property_shape in shapes.objects(shape, SH.property)
        if shapes.value(property_shape, SH.path) == path
    ]


def _edge_shapes(shapes: Graph, source: NodeKind, edge_kind: EdgeKind) -> list[Term]:
    return _property_shapes(shapes, _shape(shapes, source), QUANZE[edge_kind.value])


def _shape_classes(shapes: Graph, property_shape: Term) -> set[NodeKind]:
    """The classes a property shape allows: its sh:class, or the sh:class of each sh:or member."""
    single = shapes.value(property_shape, SH["class"])
    alternatives = shapes.value(property_shape, SH["or"])
    classes: list[Term | None] = [single]
    if alternatives is not None:
        classes += [shapes.value(member, SH["class"]) for member in Collection(shapes, alternatives)]
    return {NodeKind(str(term).removeprefix(NAMESPACE)) for term in classes if term is not None}
