"""The graph a reader makes of a source, before it is written into a store, and how readers merge into it.

Every reader (a workbook, published lists, a service catalogue) returns a `WorkbookGraph`: nodes by
id, edges by (source, kind, target), and the problems it met. A node named by several rows is merged
(`merge_node`: the first value of each property wins, gaps are filled); the same relation read twice
keeps both readings (`merge_edge`). Articles are labelled as the lists write them (`article_label`), and
a citation's paragraph and item kept on its edge (`citation_part`). `write_graph` writes the graph into
a store in one transaction (and, for a caller that reads only to load, empties the graph as it goes).

    >>> article_label(40), article_label(10, 1)
    ('第四十条', '第十条之一')
    >>> graph = WorkbookGraph("lists.xlsx")
    >>> graph.counts()[NodeKind.POWER_ITEM]
    0
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from graph.errors import Problem
from graph.model import Edge, Node
from graph.store import GraphStore
from loaders.citations import Citation
from loaders.numerals import chinese_numeral
from ontology import EdgeKind, NodeKind

__all__ = [
    "LoadReport",
    "WorkbookGraph",
    "article_label",
    "article_props",
    "citation_part",
    "merge_edge",
    "merge_node",
    "write_graph",
]


@dataclass(slots=True)
class WorkbookGraph:
    """What a source holds, as nodes and edges, and the problems met reading it."""

    source: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, EdgeKind, str], Edge] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)

    def counts(self) -> dict[NodeKind, int]:
        """How many nodes of each kind."""
        counts = dict.fromkeys(NodeKind, 0)
        for node in self.nodes.values():
            counts[node.kind] += 1
        return counts

    def add_node(self, node: Node) -> None:
        """Add `node`, merged into the node of its id when there is one (`merge_node`)."""
        old = self.nodes.get(node.id)
        self.nodes[node.id] = node if old is None else merge_node(old, node)

    def add_edge(self, edge: Edge) -> None:
        """Add `edge`, merged into the edge of its key when there is one (`merge_edge`)."""
        old = self.edges.get(edge.key)
        self.edges[edge.key] = edge if old is None else merge_edge(old, edge)


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load wrote: nodes per kind, edges, the rows skipped, and how long it took."""

    source: str
    counts: dict[NodeKind, int]
    edges: int
    skipped: list[Problem]
    seconds: float


def write_graph(
    graph: WorkbookGraph,
    store: GraphStore,
    *,
    replace: bool = False,
    started: float | None = None,
    release: bool = False,
) -> LoadReport:
    """Write what a reader made of a source into `store`, in one transaction; `replace` empties it first.

    With `release`, the graph hands its nodes and edges over as they are written and is left empty (its
    problems stay): a caller that reads a source only to load it does not hold a province twice, once
    as read and once as stored, while the store applies the write.
    """
    started = time.perf_counter() if started is None else started
    counts, edge_count = graph.counts(), len(graph.edges)
    with store.writer() as writer:
        if replace:
            writer.clear()
        nodes, edges = graph.nodes, graph.edges
        if release:
            graph.nodes, graph.edges = {}, {}
        for node in nodes.values():
            writer.add_node(node)
        del nodes
        for edge in edges.values():
            writer.add_edge(edge)
        del edges  # released: the edges' keys go before the store builds its own
    return LoadReport(
        source=graph.source,
        counts=counts,
        edges=edge_count,
        skipped=graph.problems,
        seconds=time.perf_counter() - started,
    )


def merge_node(old: Node, new: Node) -> Node:
    """A node named by several rows: the first value of each property wins, gaps are filled."""
    props = {**new.props, **old.props}
    return Node(old.id, old.kind, props, old.origin or new.origin)


def merge_edge(old: Edge, new: Edge) -> Edge:
    """The same relation read twice (one item citing two paragraphs of one article): keep both readings."""
    props = dict(old.props)
    for key in ("citations", "paragraphs"):
        if key in new.props:
            props[key] = tuple(dict.fromkeys((*old.props.get(key, ()), *new.props[key])))
    return Edge(old.source, old.kind, old.target, props, old.origin)


def article_label(number: int, suffix: int | None = None) -> str:
    """The Chinese label of an article: 40 -> '第四十条', (10, 1) -> '第十条之一'."""
    label = f"第{_chinese(number)}条"
    return f"{label}之{_chinese(suffix)}" if suffix else label


def article_props(number: int, suffix: int | None = None) -> dict[str, Any]:
    """What an Article node is made with: its number, its suffix (第十条之一: 1; None when it has none)
    and its label (`article_label`)."""
    return {"number": number, "suffix": suffix, "label": article_label(number, suffix)}


def citation_part(citation: Citation) -> tuple[str, ...]:
    """The part of the article a citation names, below the article: ('第一款第三项',) or ()."""
    parts = ""
    if citation.paragraph:
        parts += f"第{_chinese(citation.paragraph)}款"
    if citation.item:
        parts += f"第{_chinese(citation.item)}项"
    return (parts,) if parts else ()


def _chinese(number: int) -> str:
    """`number` in Chinese numerals below 1000 (`chinese_numeral`); from 1000 on, in Arabic digits, as
    the labels have been written so far (第1062条)."""
    return chinese_numeral(number) if number < 1000 else str(number)
