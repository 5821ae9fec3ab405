"""The quanze ontology: the kinds of node and edge, and where the Turtle files are.

`quanze.ttl` is the OWL ontology (aligned with W3C ORG, CPSV-AP, ELI, PROV-O and
SKOS), `shapes.ttl` the SHACL shapes a loaded graph must meet. The Python names
in `ontology.kinds` and `ontology.properties` agree with them.
"""

from __future__ import annotations

from pathlib import Path

from ontology.kinds import EDGE_ENDS, NAMESPACE, EdgeKind, NodeKind, PostCategory, PowerType, StageRole
from ontology.properties import PERSONAL, PROPERTIES, rdf_name

__all__ = [
    "EDGE_ENDS",
    "NAMESPACE",
    "ONTOLOGY_FILE",
    "PERSONAL",
    "PROPERTIES",
    "SHAPES_FILE",
    "EdgeKind",
    "NodeKind",
    "PostCategory",
    "PowerType",
    "StageRole",
    "rdf_name",
]

ONTOLOGY_FILE = Path(__file__).with_name("quanze.ttl")
SHAPES_FILE = Path(__file__).with_name("shapes.ttl")
