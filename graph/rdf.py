"""The graph as RDF in the quanze ontology, and its check against the SHACL shapes.

`to_rdf` writes every node and edge of a reader in the terms of `ontology/quanze.ttl`;
`serialize` gives it as Turtle or JSON-LD; `validate` checks a graph against
`ontology/shapes.ttl`.

    >>> from graph.memory import MemoryStore
    >>> from graph.model import Node
    >>> from ontology import NodeKind
    >>> store = MemoryStore()
    >>> government = Node("government:巴中市人民政府", NodeKind.GOVERNMENT, {"name": "巴中市人民政府"})
    >>> with store.writer() as writer:
    ...     writer.add_node(government)
    >>> graph = to_rdf(store)
    >>> str(node_iri("government:巴中市人民政府"))
    'https://w3id.org/quanze/id/government:巴中市人民政府'
    >>> validate(graph)[0]
    True

What the export writes:

- A node is the IRI `https://w3id.org/quanze/id/` + its id, with every character an IRI may
  not hold unescaped (and `/`, `%`, `#`, `?`) percent-encoded, so ids stay readable, Chinese
  included, and the id is `urllib.parse.unquote` of the rest. It is typed `quanze:<Kind>`.
- A property in `ontology.PROPERTIES` is a literal of the datatype given there
  (`quanze:statutoryDays 20`); other properties are not exported. `props["extra"]`, the
  source's unknown columns, is one `quanze:extra` string holding a JSON object.
- An edge is one triple `source quanze:<edgeKind> target`. Edge properties (the paragraph a
  citation names) and edge origins are not exported.
- What the ontology's alignments cannot infer is added in the standard terms: a holding's
  period as `org:memberDuring [ a time:Interval ; time:hasBeginning … ; time:hasEnd … ]`
  (the end is the first day not held, as in the workbook); a power item's type as
  `cv:isClassifiedBy` its concept in `quanze:PowerTypes`; a case step performed under a stage
  with a role as `prov:qualifiedAssociation [ prov:agent person ; prov:hadRole role ]`.
- A node read from a workbook is `prov:wasDerivedFrom` its row:
  `<…/id/source/{sha256}/{sheet}/{row}>` (a `csvw:Row`, `csvw:rownum` the row as the
  spreadsheet shows it), part of the sheet `<…/source/{sha256}/{sheet}>` (a `csvw:Table`),
  part of the file `<…/source/{sha256}>` (a `prov:Entity` with its name and hash). The file is
  named without its folder, so an export does not show where it was read on a machine.

With `include_personal=False` the properties in `ontology.PERSONAL` (a person's name) and every
`quanze:extra` (unknown columns may hold anything) are left out. What a public role may see
beyond that (no holdings, no cases) is for the caller to choose.

Given a ledger (`graph.ledger`), the export carries its decisions in PROV-O terms as well:

- a review is a `prov:Activity` `<…/id/review/{finding id}/{n}>` (the n-th review of the finding),
  `dct:type` its status (a concept of `quanze:ReviewStatuses`), `prov:used` the finding
  `<…/id/{finding id}>` (a `prov:Entity`), its time as `prov:startedAtTime` and `prov:endedAtTime`
  (`xsd:dateTime`), `prov:wasInformedBy` the edition whose load set it; its reviewer (a
  `prov:Agent`, `prov:wasAssociatedWith`) and note (`rdfs:comment`) are personal data, exported only
  with `include_personal`;
- an edition is a `prov:Activity` `<…/id/edition/{label}>` that `prov:used` its source files (the
  file entities of the rows above, `<…/id/source/{sha256}>`) and `prov:generated` its snapshot of
  items `<…/id/edition/{label}/items>`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any
from urllib.parse import quote

import pyshacl
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import CSVW, DCTERMS, ORG, PROV, RDF, RDFS, TIME, XSD

from graph.errors import QuanzeError
from graph.ledger import Ledger, Review
from graph.model import Node, Origin
from graph.store import GraphReader
from ontology import (
    NAMESPACE,
    PERSONAL,
    PROPERTIES,
    SHAPES_FILE,
    EdgeKind,
    NodeKind,
    PowerType,
    StageRole,
    rdf_name,
)

__all__ = [
    "FORMATS",
    "ID_NAMESPACE",
    "QUANZE",
    "node_iri",
    "serialize",
    "to_rdf",
    "validate",
]

QUANZE = Namespace(NAMESPACE)
ID_NAMESPACE = Namespace("https://w3id.org/quanze/id/")
CV = Namespace("http://data.europa.eu/m8g/")

FORMATS = {"turtle": "turtle", "jsonld": "json-ld"}
"""The formats `serialize` writes, by the name the command line uses, to rdflib's name."""

_PREFIXES: dict[str, Namespace] = {  # the namespaces the export uses, with their usual prefixes
    "quanze": QUANZE,
    "org": Namespace(str(ORG)),
    "cv": CV,
    "prov": Namespace(str(PROV)),
    "time": Namespace(str(TIME)),
    "dct": Namespace(str(DCTERMS)),
    "csvw": Namespace(str(CSVW)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}
_POWER_TYPES = {power_type.value: QUANZE[f"power-{power_type.name.lower()}"] for power_type in PowerType}
_STAGE_ROLES = {role.value: QUANZE[f"role-{role.name.lower()}"] for role in StageRole}
_IRI_SAFE_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:")
_FOLDERS = re.compile(r"^.*[\\/]")


def node_iri(node_id: str) -> URIRef:
    """The IRI of the node whose id is `node_id`.

    ASCII letters, digits, `-._~:` and the non-ASCII characters an IRI may hold are kept;
    everything else (`/`, `%`, spaces, brackets …) is percent-encoded as UTF-8.

        >>> str(node_iri("department:巴中市人民政府/巴中市财政局"))
        'https://w3id.org/quanze/id/department:巴中市人民政府%2F巴中市财政局'
    """
    return ID_NAMESPACE[_encode(node_id)]


def to_rdf(reader: GraphReader, *, include_personal: bool = True, ledger: Ledger | None = None) -> Graph:
    """Every node and edge of `reader` as an rdflib graph in the quanze ontology, and the reviews and
    editions of `ledger` when given.

    `include_personal=False` leaves out personal properties (`ontology.PERSONAL`), the
    source's unknown columns, and the reviewers and notes of reviews. The module's docstring says
    how each thing is written.

        >>> from graph.memory import MemoryStore
        >>> len(to_rdf(MemoryStore()))
        0
    """
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace)
    described: set[URIRef] = set()
    for kind in NodeKind:
        left_out: frozenset[str] = frozenset() if include_personal else PERSONAL.get(kind, frozenset())
        for node in reader.nodes(kind):
            _add_node(graph, node, left_out, include_extra=include_personal)
            if node.origin is not None:
                graph.add(
                    (node_iri(node.id), PROV.wasDerivedFrom, _add_origin(graph, node.origin, described))
                )
    for edge_kind in EdgeKind:
        predicate = QUANZE[edge_kind.value]
        for edge in reader.edges(kind=edge_kind):
            graph.add((node_iri(edge.source), predicate, node_iri(edge.target)))
    _add_step_roles(graph, reader)
    if ledger is not None:
        _add_ledger(graph, ledger, include_personal=include_personal)
    return graph


def serialize(
    reader: GraphReader, format: str, *, include_personal: bool = True, ledger: Ledger | None = None
) -> str:
    """The graph of `reader` (and the ledger's reviews and editions, when given) as text: `format` is
    "turtle" or "jsonld".

    Raises `QuanzeError` for any other format.

        >>> from graph.memory import MemoryStore
        >>> serialize(MemoryStore(), "turtle")
        '\\n'
    """
    rdflib_format = FORMATS.get(format)
    if rdflib_format is None:
        raise QuanzeError(f"cannot write RDF as {format!r}: choose one of {', '.join(FORMATS)}")
    graph = to_rdf(reader, include_personal=include_personal, ledger=ledger)
    if rdflib_format == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in _PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, indent=2)
    return graph.serialize(format=rdflib_format)


def validate(graph: Graph) -> tuple[bool, str]:
    """Whether `graph` meets the SHACL shapes, and pyshacl's report as text.

    The report names each failing focus node, the path and the shape's message. No
    inference is run: the export types every node with its exact quanze class.

        >>> conforms, report = validate(Graph())
        >>> conforms, report.splitlines()[1]
        (True, 'Conforms: True')
    """
    conforms, _report_graph, report_text = pyshacl.validate(
        graph,
        shacl_graph=_shapes(),
        inference="none",
        advanced=False,
        allow_warnings=False,
    )
    return bool(conforms), str(report_text)


# -- private helpers ---------------------------------------------------------------------------


@cache
def _shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def _encode(text: str) -> str:
    return "".join(char if _keeps(char) else quote(char, safe="") for char in text)


def _keeps(char: str) -> bool:
    """Whether an IRI may hold `char` unescaped in a path segment (RFC 3987's ucschar)."""
    if char in _IRI_SAFE_ASCII:
        return True
    code = ord(char)
    ucschar = (
        0xA0 <= code <= 0xD7FF
        or 0xF900 <= code <= 0xFDCF
        or 0xFDF0 <= code <= 0xFFEF
        or (0x10000 <= code <= 0xEFFFD and code & 0xFFFF <= 0xFFFD)
    )
    return ucschar and char.isprintable()


def _add_node(graph: Graph, node: Node, left_out: frozenset[str], *, include_extra: bool) -> None:
    subject = node_iri(node.id)
    graph.add((subject, RDF.type, QUANZE[node.kind.value]))
    for prop, datatype in PROPERTIES[node.kind].items():
        if prop in left_out:
            continue
        for value in _values(node.props.get(prop)):
            graph.add((subject, QUANZE[rdf_name(prop)], _literal(value, datatype)))
    extra = node.props.get("extra")
    if include_extra and isinstance(extra, Mapping) and extra:
        text = json.dumps(dict(extra), ensure_ascii=False, sort_keys=True, default=str)
        graph.add((subject, QUANZE.extra, Literal(text)))
    if node.kind is NodeKind.HOLDING:
        _add_period(graph, subject, node.get("start"), node.get("end"))
    elif node.kind is NodeKind.POWER_ITEM:
        concept = _POWER_TYPES.get(node.get("power_type"))
        if concept is not None:
            graph.add((subject, CV.isClassifiedBy, concept))


def _values(value: Any) -> Iterable[Any]:
    if value is None:
        return ()
    if isinstance(value, list | tuple | set | frozenset):
        return [item for item in value if item is not None]
    return (value,)


def _literal(value: Any, datatype: str) -> Literal:
    if isinstance(value, Enum):  # PowerType.LICENSING is written as 行政许可
        value = value.value
    if datatype == "string":
        return Literal(str(value))
    if datatype == "date" and isinstance(value, datetime):
        value = value.date()
    return Literal(value, datatype=XSD[datatype])


def _add_period(graph: Graph, holding: URIRef, start: date | None, end: date | None) -> None:
    """`holding org:memberDuring` a `time:Interval` from `start` to `end` (either may be missing)."""
    if start is None and end is None:
        return
    interval = _blank(holding, "period")
    graph.add((holding, ORG.memberDuring, interval))
    graph.add((interval, RDF.type, TIME.Interval))
    for relation, day in ((TIME.hasBeginning, start), (TIME.hasEnd, end)):
        if day is None:
            continue
        instant = _blank(holding, relation)
        graph.add((interval, relation, instant))
        graph.add((instant, RDF.type, TIME.Instant))
        graph.add((instant, TIME.inXSDDate, _literal(day, "date")))


def _add_origin(graph: Graph, origin: Origin, described: set[URIRef]) -> URIRef:
    """The IRI of the row `origin` names, described (with its sheet and file) once per graph."""
    file_name = _FOLDERS.sub("", origin.file)
    file_iri = ID_NAMESPACE[f"source/{origin.sha256 or _encode(file_name)}"]
    sheet_iri = URIRef(f"{file_iri}/{_encode(origin.sheet)}")
    row_iri = URIRef(f"{sheet_iri}/{origin.row}")
    if row_iri in described:
        return row_iri
    described.add(row_iri)
    if file_iri not in described:
        described.add(file_iri)
        graph.add((file_iri, RDF.type, PROV.Entity))
        graph.add((file_iri, DCTERMS.title, Literal(file_name)))
        if origin.sha256:
            graph.add((file_iri, DCTERMS.identifier, Literal(f"sha256:{origin.sha256}")))
    if sheet_iri not in described:
        described.add(sheet_iri)
        graph.add((sheet_iri, RDF.type, CSVW.Table))
        graph.add((sheet_iri, DCTERMS.title, Literal(origin.sheet)))
        graph.add((sheet_iri, DCTERMS.isPartOf, file_iri))
    graph.add((row_iri, RDF.type, CSVW.Row))
    graph.add((row_iri, RDF.type, PROV.Entity))
    graph.add((row_iri, CSVW.rownum, Literal(origin.row, datatype=XSD.integer)))
    graph.add((row_iri, DCTERMS.isPartOf, sheet_iri))
    graph.add((row_iri, RDFS.label, Literal(f"{file_name}, sheet {origin.sheet}, row {origin.row}")))
    return row_iri


def _add_step_roles(graph: Graph, reader: GraphReader) -> None:
    """Each case step's performer with the role of the step's stage, as a PROV qualified association."""
    performers = {edge.source: edge.target for edge in reader.edges(kind=EdgeKind.PERFORMED_BY)}
    steps = sorted(performers)
    step_stages = reader.edges_from(steps, EdgeKind.STEP_STAGE)
    stage_of_step = {step: edges[0].target for step, edges in step_stages.items() if edges}
    stages = reader.nodes_by_id(sorted(set(stage_of_step.values())))
    role_of_stage = {stage.id: _STAGE_ROLES.get(stage.get("role")) for stage in stages if stage is not None}
    for step, stage_id in stage_of_step.items():
        role = role_of_stage.get(stage_id)
        if role is None:
            continue
        subject = node_iri(step)
        association = _blank(subject, "association")
        graph.add((subject, PROV.qualifiedAssociation, association))
        graph.add((association, RDF.type, PROV.Association))
        graph.add((association, PROV.agent, node_iri(performers[step])))
        graph.add((association, PROV.hadRole, role))


def _add_ledger(graph: Graph, ledger: Ledger, *, include_personal: bool) -> None:
    """The ledger's editions and reviews as PROV-O activities (see the module's docstring)."""
    for edition in ledger.editions():
        activity = ID_NAMESPACE[f"edition/{_encode(edition.label)}"]
        items = URIRef(f"{activity}/items")
        graph.add((activity, RDF.type, PROV.Activity))
        graph.add((activity, RDFS.label, Literal(f"{edition.label}版权责清单的载入", lang="zh")))
        for relation in (PROV.startedAtTime, PROV.endedAtTime):
            graph.add((activity, relation, Literal(edition.loaded_at, datatype=XSD.dateTime)))
        for source in edition.sources:
            file_iri = ID_NAMESPACE[f"source/{source.sha256}"]
            graph.add((file_iri, RDF.type, PROV.Entity))
            graph.add((file_iri, DCTERMS.title, Literal(_FOLDERS.sub("", source.name))))
            graph.add((file_iri, DCTERMS.identifier, Literal(f"sha256:{source.sha256}")))
            graph.add((activity, PROV.used, file_iri))
        graph.add((activity, PROV.generated, items))
        graph.add((items, RDF.type, PROV.Entity))
        graph.add((items, RDFS.label, Literal(f"{edition.label}版事项快照（{edition.items}项）", lang="zh")))
    histories = ledger.histories(ledger.current())
    for finding_id in sorted(histories):
        finding = ID_NAMESPACE[_encode(finding_id)]
        graph.add((finding, RDF.type, PROV.Entity))
        for number, review in enumerate(histories[finding_id], start=1):
            activity = ID_NAMESPACE[f"review/{_encode(finding_id)}/{number}"]
            _add_review(graph, activity, finding, review, include_personal=include_personal)


def _add_review(
    graph: Graph, activity: URIRef, finding: URIRef, review: Review, *, include_personal: bool
) -> None:
    """One review of `finding` as the activity `activity`; its reviewer and note only `include_personal`."""
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, DCTERMS.type, QUANZE[f"status-{review.status.value.lower()}"]))
    graph.add((activity, PROV.used, finding))
    for relation in (PROV.startedAtTime, PROV.endedAtTime):
        graph.add((activity, relation, Literal(review.at, datatype=XSD.dateTime)))
    if review.edition is not None:
        graph.add((activity, PROV.wasInformedBy, ID_NAMESPACE[f"edition/{_encode(review.edition)}"]))
    if include_personal and review.reviewer:
        agent = ID_NAMESPACE[f"reviewer/{_encode(review.reviewer)}"]
        graph.add((agent, RDF.type, PROV.Agent))
        graph.add((agent, RDFS.label, Literal(review.reviewer)))
        graph.add((activity, PROV.wasAssociatedWith, agent))
    if include_personal and review.note:
        graph.add((activity, RDFS.comment, Literal(review.note, lang="zh")))


def _blank(subject: URIRef, part: str) -> BNode:
    """A blank node named after `subject` and `part`, so the same graph serialises the same way."""
    digest = hashlib.sha1(f"{subject} {part}".encode(), usedforsecurity=False).hexdigest()
    return BNode(f"b{digest[:20]}")
