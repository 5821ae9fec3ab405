"""The checks of a government's planted overlaps, with the weights the analyses will use.

A planted pair goes into the truth as planted; here it is scored again on the final data (a
SIMILAR_TEXT pair that ends below the threshold is dropped), and every pair a planted item or
text makes with another department's by the definitions of the analyses is added (marked
`implied` where no plant meant it).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from graph import ids
from graph.analyses.overlaps import DEFAULT_BASIS_THRESHOLD, DEFAULT_RARE_SHARE, DEFAULT_TEXT_THRESHOLD
from graph.similarity import idf_weights, similarity, tokens
from graph.text import normalize
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.records import Item
from loaders.demo.province.state import IdfWeights

__all__ = ["block_weights", "item_blocks", "verify_item_plants", "verify_text_plants"]


def item_blocks(builder: GovernmentBuilder) -> dict[str, list[tuple[str, str, frozenset[str]]]]:
    """Power type -> (item id, the name compared, its departments) of every item of this government."""
    blocks: dict[str, list[tuple[str, str, frozenset[str]]]] = defaultdict(list)
    for item in builder.items:
        names = frozenset(d.name for d in item.departments)
        for item_id, name in item.subjects():
            blocks[item.entry.type_code].append((item_id, name, names))
    return blocks


def block_weights(builder: GovernmentBuilder) -> dict[str, dict[str, float]]:
    """Power type -> the idf weights of its block now, a token not seen yet weighing as a new one will."""
    return {
        code: IdfWeights(idf_weights([name for _, name, _ in block]), len(block))
        for code, block in item_blocks(builder).items()
    }


def verify_text_plants(builder: GovernmentBuilder) -> None:
    """Score each planted pair with the final idf weights of its block (dropping the rare one that ends
    below the threshold), and add every pair a planted text makes with another department's text."""
    gov = builder.gov.name
    blocks = item_blocks(builder)
    blocks["function"] = [(f.id, f.text, frozenset((f.department.name,))) for f in builder.functions]
    weights = {code: idf_weights([name for _, name, _ in block]) for code, block in blocks.items()}
    for source, variant in builder.similar_plants:
        if isinstance(source, Item):
            code, a, b = source.entry.type_code, source.entry.name, variant.entry.name
            key = tuple(sorted((source.ids[0], variant.ids[0])))
        else:
            code, a, b = "function", source.text, variant.text
            key = tuple(sorted((source.id, variant.id)))
        score = similarity(a, b, weights[code])
        if score < DEFAULT_TEXT_THRESHOLD:
            del builder.truth.overlaps[key]
            builder.truth.counts["similar_text_plants_dropped"] += 1
        else:
            builder.truth.overlaps[key]["text_score"] = round(score, 4)
    planted = [
        (item.entry.type_code, item_id, name)
        for item in builder.planted_items
        for item_id, name in item.subjects()
    ]
    planted += [("function", f.id, f.text) for f in builder.planted_functions]
    sets: dict[str, list[tuple[str, str, frozenset[str], frozenset[str], float]]] = defaultdict(list)
    for code, block in blocks.items():
        for i, n, d in block:
            bigrams = frozenset(tokens(n))
            sets[code].append((i, n, d, bigrams, sum((weights[code][t] for t in bigrams), 0.0)))
    for code, item_id, name in planted:
        weight = weights[code]
        mine = next(d for i, _, d in blocks[code] if i == item_id)
        own = frozenset(tokens(name))
        total = sum(weight[t] for t in own)
        for other_id, other_name, departments, other_tokens, other_total in sets[code]:
            if other_id == item_id or departments & mine:
                continue
            shared = own & other_tokens
            if not shared:
                continue
            common = sum(weight[t] for t in shared)
            union = total + other_total - common
            if union <= 0 or common / union < DEFAULT_TEXT_THRESHOLD:
                continue
            if code != "function" and normalize(name) == normalize(other_name):
                continue  # the same name is SAME_ITEM, not SIMILAR_TEXT
            score = similarity(name, other_name, weight)
            if score < DEFAULT_TEXT_THRESHOLD:
                continue
            key = tuple(sorted((item_id, other_id)))
            facts: dict[str, Any] = {"text_score": round(score, 4)}
            if key not in builder.truth.overlaps:
                builder.truth.counts["implied_similar_text"] += 1
                facts["implied"] = True
            departments_ids = sorted(ids.department_id(gov, d) for d in mine | departments)
            builder.truth.overlap(key, "SIMILAR_TEXT", gov, departments_ids, **facts)


def verify_item_plants(builder: GovernmentBuilder) -> None:
    """Every SAME_ITEM and SHARED_BASIS pair a planted item makes with another department's item, by the
    definitions: the same name and power type; an article cited for items of the same power type, scored
    by the rarity weighting the analyses document (smoothed idf over the departments of this government
    citing articles for that power type; rare when at most a quarter of them, or two, cite it). A pair
    no plant meant (two copies of one item, an article a plant happened to share) is marked implied."""
    gov = builder.gov.name
    citing: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    departments_of: dict[str, set[str]] = defaultdict(set)
    named: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = defaultdict(list)
    for item in builder.items:
        cited = _articles(item)
        names = frozenset(d.name for d in item.departments)
        for short, article in cited:
            citing[(item.entry.type_code, short, article)] |= names
        if cited:
            departments_of[item.entry.type_code] |= names
        for item_id, name in item.subjects():
            named[(item.entry.type_code, normalize(name))].append((item_id, names))

    planted_pairs = {tuple(sorted((a.ids[0], b.ids[0]))) for a, b, _ in builder.pending_pairs}

    def add(key: tuple[str, ...], kind: str, departments: Iterable[str], **facts: Any) -> None:
        if key not in builder.truth.overlaps and key not in planted_pairs:
            facts["implied"] = True
            builder.truth.counts[f"implied_{kind.lower()}"] += 1
        builder.truth.overlap(key, kind, gov, sorted(ids.department_id(gov, d) for d in departments), **facts)

    for planted in builder.planted_items:
        mine = frozenset(d.name for d in planted.departments)
        type_code = planted.entry.type_code
        for item_id, name in planted.subjects():
            for other_id, departments in named[(type_code, normalize(name))]:
                if other_id != item_id and not departments & mine:
                    add(tuple(sorted((item_id, other_id))), "SAME_ITEM", mine | departments)
        count = len(departments_of[type_code])
        mine_cited = set(_articles(planted))
        for short, article in mine_cited:
            for other in builder.cited[(type_code, short, article)]:
                departments = frozenset(d.name for d in other.departments)
                if other is planted or departments & mine:
                    continue
                theirs = set(_articles(other))
                weight = {
                    x: math.log((count + 1) / len(citing[(type_code, *x)])) for x in mine_cited | theirs
                }
                shared = mine_cited & theirs
                rare = any(
                    len(citing[(type_code, *x)]) <= max(2, int(DEFAULT_RARE_SHARE * count)) for x in shared
                )
                score = sum(weight[x] for x in shared) / sum(weight.values())
                if rare and score >= DEFAULT_BASIS_THRESHOLD:
                    for item_id, other_id in itertools.product(planted.ids, other.ids):
                        key = tuple(sorted((item_id, other_id)))
                        add(key, "SHARED_BASIS", mine | departments, basis_score=round(score, 4))
    for a, b, kind in builder.pending_pairs:
        entry = builder.truth.overlaps.get(tuple(sorted((a.ids[0], b.ids[0]))))
        if kind == "SHARED_BASIS" and (entry is None or "SHARED_BASIS" not in entry["kinds"]):
            builder.truth.counts["shared_basis_plants_dropped"] += 1


def _articles(item: Item) -> list[tuple[str, int]]:
    """The (law, article) pairs `item` cites, in its order (citations of a whole law left out)."""
    return [(short, article) for short, article, _ in item.entry.citations if article is not None]
