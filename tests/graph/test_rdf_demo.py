"""The whole demo city, exported as RDF, meets the SHACL shapes."""

from __future__ import annotations

from graph import MemoryStore
from graph.rdf import to_rdf, validate
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import NodeKind


def test_the_demo_export_conforms_to_the_shapes() -> None:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    graph = to_rdf(store, include_personal=False)
    conforms, report = validate(graph)
    assert conforms, report[:4000]
    typed = {str(kind) for kind in NodeKind}
    assert len(graph) > 100_000
    assert all(store.count(kind) > 0 for kind in NodeKind), typed
