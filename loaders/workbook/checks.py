"""The checks of a workbook that need every row of a sheet read: loops of parents and of prerequisites.

A department managed, through others, by itself (主管部门), or items each the prerequisite of the
other (前置事项), is reported once, at its first row, naming the rows of every member; its edges are
taken out, so that with `skip_bad_rows` the rows load without them.
"""

from __future__ import annotations

from collections import defaultdict

from graph.errors import Problem
from graph.model import Edge
from loaders.readgraph import WorkbookGraph
from ontology import EdgeKind, NodeKind

__all__ = ["break_loops"]


def break_loops(graph: WorkbookGraph, kind: EdgeKind, reason: str) -> None:
    """Report each loop of `kind` edges of `graph` (a department managed, through others, by itself;
    items each the prerequisite of the other) once, at its first row, naming the rows of every member,
    and take its edges out. `reason` is the problem's reason, with `{count}` for the loop's members."""
    edges = [edge for edge in graph.edges.values() if edge.kind is kind]
    targets: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        targets[edge.source].append(edge.target)
    for members in _loops(targets):
        inside = set(members)
        looping = [edge for edge in edges if edge.source in inside and edge.target in inside]
        first: dict[str, Edge] = {}
        for edge in sorted(looping, key=lambda e: e.origin.row if e.origin and e.origin.row else 0):
            first.setdefault(edge.source, edge)
        named = sorted(first.values(), key=lambda e: e.origin.row if e.origin and e.origin.row else 0)
        listed = ", ".join(
            f"{_label(graph, edge.source)} (row {edge.origin.row if edge.origin else '?'})" for edge in named
        )
        where = named[0].origin
        graph.problems.append(
            Problem(
                sheet=where.sheet if where else "",
                row=where.row if where else None,
                column=where.column if where else None,
                value=_label(graph, named[0].target),
                reason=f"{reason.format(count=len(members))}: {listed}",
                file=where.file if where else graph.source,
            )
        )
        for edge in looping:
            del graph.edges[edge.key]


def _label(graph: WorkbookGraph, node_id: str) -> str:
    node = graph.nodes.get(node_id)
    if node is None:
        return node_id
    if node.kind is NodeKind.POWER_ITEM:
        sub_item = node.get("sub_item")
        return f"{node['code']} {sub_item}" if sub_item else str(node["code"])
    return str(node.get("name") or node_id)


def _loops(targets: dict[str, list[str]]) -> list[list[str]]:
    """The loops of a directed graph (its strongly connected components of two or more nodes), each
    sorted, in order of their smallest node; Tarjan's algorithm without recursion (a chain of 100,000
    prerequisites would exhaust Python's stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(targets):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            following = targets.get(node, [])
            if position < len(following):
                work.append((node, position + 1))
                target = following[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    found.append(sorted(members))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(found)
