"""Charters against power lists: which function each item carries out, and how well.

A department's charter (三定) lists its functions; its power list, its items. An
item carries out a function when their texts share rare words or they cite the
same legal basis. For every function and every item of a department that has a
charter, `match_mandates` gives the best matches on the other side and their
scores, so an officer can confirm or reject them:

- text score: the idf-weighted share of the shorter text's character bigrams
  that the other text has too (weights over the government's functions and
  items, so boilerplate such as 对……的处罚 or 负责 weighs little);
- basis score: 1 when they cite the same article, 0.5 the same law, else 0;
- score: the larger of the two.

Departments without functions are left out: with no charter there is nothing
to judge against. The work is per department (items × functions of one
department), so it grows linearly with the number of departments; and as the
weights are a government's, the governments can be shared out between processes
(`governments=`), each matching its share with the same answers.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from graph.analyses.links import Links
from graph.similarity import tokens_of
from ontology import EdgeKind, NodeKind

__all__ = ["MandateMatch", "match_mandates"]

BEST = 3


@dataclass(frozen=True, slots=True)
class MandateMatch:
    """A function or an item, and its best matches on the other side of its department's charter."""

    kind: str  # "function" or "item"
    subject: str
    name: str
    department: str
    best: tuple[tuple[str, float], ...]  # (name, score), best first

    @property
    def best_score(self) -> float:
        return self.best[0][1] if self.best else 0.0


def match_mandates(links: Links, governments: Collection[str] | None = None) -> Iterator[MandateMatch]:
    """Every function and item of every department that has functions, with its best matches; only of
    the departments of `governments` (ids; "" for departments of none) when given."""
    government_of = links.government_of
    owners = {
        **{f: e[0].target for f, e in links.out(EdgeKind.FUNCTION_OF).items()},
        **{i: e[0].target for i, e in links.out(EdgeKind.HELD_BY).items()},
    }
    chosen = None if governments is None else set(governments)
    functions_of: dict[str, list[str]] = defaultdict(list)
    for function, edges in links.out(EdgeKind.FUNCTION_OF).items():
        if chosen is None or government_of.get(edges[0].target, "") in chosen:
            functions_of[edges[0].target].append(function)
    items_of: dict[str, list[str]] = defaultdict(list)
    for item, edges in links.out(EdgeKind.HELD_BY).items():
        for edge in edges:
            if chosen is None or government_of.get(edge.target, "") in chosen:
                items_of[edge.target].append(item)
    # the texts of the chosen departments, and every text counted in a chosen government's weights
    keep = {node for nodes in (*functions_of.values(), *items_of.values()) for node in nodes}

    def wanted(node_id: str) -> bool:
        return chosen is None or node_id in keep or government_of.get(owners.get(node_id, ""), "") in chosen

    texts = _texts(links, wanted)
    weights = _weights(links, texts, owners)
    bases = _bases(links, texts)
    for department in sorted(functions_of):
        functions = sorted(functions_of[department])
        items = sorted(items_of.get(department, ()))
        government = links.government_of.get(department, "")
        weight = weights.get(government, {})
        rows = _scores(functions, items, texts, weight, bases)
        for column, function in enumerate(functions):
            best = heapq.nsmallest(BEST, range(len(items)), key=lambda row: -rows[row][column])
            yield MandateMatch(
                "function",
                function,
                texts[function][0],
                department,
                tuple((texts[items[row]][0], rows[row][column]) for row in best),
            )
        for item, scores in zip(items, rows, strict=True):
            best = sorted(range(len(functions)), key=lambda column: -scores[column])[:BEST]
            yield MandateMatch(
                "item",
                item,
                texts[item][0],
                department,
                tuple((texts[functions[column]][0], scores[column]) for column in best),
            )


def _texts(links: Links, wanted: Callable[[str], bool]) -> dict[str, tuple[str, frozenset[str]]]:
    """Node id -> (the name shown, its bigram set) for every function and item that is `wanted`."""
    ids: list[str] = []
    shown: list[str] = []
    written: list[str] = []
    for function in links.nodes(NodeKind.FUNCTION).values():
        if not wanted(function.id):
            continue
        ids.append(function.id)
        shown.append(str(function["text"]))
        written.append(str(function["text"]))
    for item in links.nodes(NodeKind.POWER_ITEM).values():
        if not wanted(item.id):
            continue
        sub = item.get("sub_item")
        ids.append(item.id)
        shown.append(f"{item['code']} {item['name']}" + (f"（{sub}）" if sub else ""))
        written.append(f"{item['name']}{sub or ''}")
    return {
        node_id: (name, frozenset(bigrams))
        for node_id, name, bigrams in zip(ids, shown, tokens_of(written), strict=True)
    }


def _weights(
    links: Links, texts: dict[str, tuple[str, frozenset[str]]], owners: dict[str, str]
) -> dict[str, dict[str, float]]:
    """Government id -> bigram -> idf over that government's functions and items."""
    documents: dict[str, Counter[str]] = defaultdict(Counter)
    sizes: Counter[str] = Counter()
    for node_id, (_, bigrams) in texts.items():
        government = links.government_of.get(owners.get(node_id, ""), "")
        documents[government].update(bigrams)
        sizes[government] += 1
    return {
        government: {token: math.log(1 + sizes[government] / df) for token, df in counts.items()}
        for government, counts in documents.items()
    }


def _bases(links: Links, texts: Collection[str]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Node id -> (articles cited, laws cited) for every function and item of `texts` that cites something."""
    law_of = {article: edges[0].target for article, edges in links.out(EdgeKind.ARTICLE_OF).items()}
    bases: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for source, edges in links.out(EdgeKind.CITES).items():
        if source not in texts:
            continue
        articles = frozenset(e.target for e in edges if e.target in law_of)
        laws = frozenset(law_of.get(e.target, e.target) for e in edges)
        bases[source] = (articles, laws)
    return bases


def _scores(
    functions: list[str],
    items: list[str],
    texts: dict[str, tuple[str, frozenset[str]]],
    weight: dict[str, float],
    bases: dict[str, tuple[frozenset[str], frozenset[str]]],
) -> list[list[float]]:
    """The scores of one department: a row for each item, a column for each function.

    The shared weight of a pair is summed from an index of the functions by
    bigram, item by item, so only the bigrams a pair has in common are visited.
    """
    having: dict[str, list[int]] = defaultdict(list)
    for column, function in enumerate(functions):
        for token in texts[function][1]:
            having[token].append(column)
    function_total = [sum(weight.get(t, 1.0) for t in texts[function][1]) for function in functions]
    with_basis = [(column, bases[f]) for column, f in enumerate(functions) if f in bases]
    rows: list[list[float]] = []
    for item in items:
        bigrams = texts[item][1]
        item_total = sum(weight.get(t, 1.0) for t in bigrams)
        shared = [0.0] * len(functions)
        for token in bigrams:
            if token in having:
                share = weight.get(token, 1.0)
                for column in having[token]:
                    shared[column] += share
        row = [
            round(common / smaller, 4) if (smaller := min(total, item_total)) else 0.0
            for common, total in zip(shared, function_total, strict=True)
        ]
        cited = bases.get(item)
        if cited is not None:
            # A shared article counts as a full match and a shared law as half of one (a rounded
            # score is below 1.0 exactly when the score is, so this equals rounding last).
            for column, basis in with_basis:
                if row[column] < 1.0:
                    row[column] = max(
                        row[column], 1.0 if basis[0] & cited[0] else 0.5 if basis[1] & cited[1] else 0.0
                    )
        rows.append(row)
    return rows
