"""The graph: typed nodes and edges, the store protocols and the memory store.

`graph` imports `ontology` and nothing else of ours; loaders and the API build on it.
"""

from __future__ import annotations

from graph.errors import GraphIntegrityError, InvalidData, Problem, QuanzeError, StoreUnavailable
from graph.memory import MemoryStore
from graph.model import Edge, Node, Origin
from graph.organisation import covers
from graph.store import GraphReader, GraphStore, GraphWriter

__all__ = [
    "Edge",
    "GraphIntegrityError",
    "GraphReader",
    "GraphStore",
    "GraphWriter",
    "InvalidData",
    "MemoryStore",
    "Node",
    "Origin",
    "Problem",
    "QuanzeError",
    "StoreUnavailable",
    "covers",
]
