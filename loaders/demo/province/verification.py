"""The checks of a government's planted overlaps, with the weights, kinds and thresholds the analyses use.

A planted pair goes into the truth as planted; here it is scored again on the final data (a
SIMILAR_TEXT pair that ends below the threshold is dropped), and every pair a planted item or
text makes with another department's by the definitions of the analyses is added (marked
`implied` where no plant meant it). The texts are compared as `graph.analyses.overlaps` compares
them: by `graph.similarity.similar_pairs`, each power type's names and the functions a block of their
own kind, at the analysis' thresholds.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from graph import ids
from graph.analyses.overlaps import (
    DEFAULT_BASIS_THRESHOLD,
    DEFAULT_FUNCTION_THRESHOLD,
    DEFAULT_RARE_SHARE,
    DEFAULT_TEXT_THRESHOLD,
)
from graph.corpus import FUNCTION_KIND
from graph.similarity import SimilarPair, Text, similar_pairs
from graph.text import normalize
from loaders.demo.catalogue import TYPE_CODES
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.records import Item
from loaders.demo.province.state import IdfWeights

__all__ = [
    "FUNCTIONS",
    "block_weights",
    "item_blocks",
    "similar_texts",
    "text_kind",
    "text_threshold",
    "verify_item_plants",
    "verify_text_plants",
]

FUNCTIONS = "function"
"""The block of a government's charter functions, beside its power types' codes."""


def text_kind(code: str) -> str:
    """The kind of text `graph.similarity` weighs a block's tokens by: the power type of code `code`
    (`行政处罚` for `CF`), or `职能` for the functions."""
    return FUNCTION_KIND if code == FUNCTIONS else TYPE_CODES[code]


def text_threshold(code: str) -> float:
    """The score from which the overlap analysis pairs two texts of the block `code`."""
    return DEFAULT_FUNCTION_THRESHOLD if code == FUNCTIONS else DEFAULT_TEXT_THRESHOLD


def similar_texts(texts: Iterable[Text], below: float = 0.0) -> list[SimilarPair]:
    """The pairs of `texts` (their kinds as `text_kind` names them) that score at least the analysis'
    threshold for their kind less `below`, found as the analysis finds them."""
    items: list[Text] = []
    functions: list[Text] = []
    for text in texts:
        (functions if text.kind == FUNCTION_KIND else items).append(text)
    return [
        *similar_pairs(items, text_threshold("") - below),
        *similar_pairs(functions, text_threshold(FUNCTIONS) - below),
    ]


def item_blocks(builder: GovernmentBuilder) -> dict[str, list[tuple[str, str, frozenset[str]]]]:
    """Power type -> (item id, the name compared, its departments) of every item of this government."""
    blocks: dict[str, list[tuple[str, str, frozenset[str]]]] = defaultdict(list)
    for item in builder.items:
        names = frozenset(d.name for d in item.departments)
        for item_id, name in item.subjects():
            blocks[item.entry.type_code].append((item_id, name, names))
    return blocks


def block_weights(builder: GovernmentBuilder) -> dict[str, IdfWeights]:
    """Power type -> the weights of its block now, a token not seen yet weighing as it will once a text has it."""
    return {
        code: IdfWeights([name for _, name, _ in block], text_kind(code))
        for code, block in item_blocks(builder).items()
    }


def verify_text_plants(builder: GovernmentBuilder) -> None:
    """Score each planted pair as the analysis will on the final texts (dropping the rare one that ends
    below the threshold), and add every pair a planted text makes with another department's text. A pair
    of two background texts is not in the truth: it is counted (`background_similar_text`), and the
    benchmark reports it as a false positive."""
    gov = builder.gov.name
    texts: list[Text] = []
    holders: dict[str, frozenset[str]] = {}
    for item in builder.items:
        departments = frozenset(d.name for d in item.departments)
        kind = text_kind(item.entry.type_code)
        for item_id, name in item.subjects():
            texts.append(Text(item_id, name, gov, item.departments[0].name, kind))
            holders[item_id] = departments
    for function in builder.functions:
        texts.append(Text(function.id, function.text, gov, function.department.name, FUNCTION_KIND))
        holders[function.id] = frozenset((function.department.name,))
    by_id = {text.id: text for text in texts}
    found: dict[tuple[str, ...], float] = {}
    for pair in similar_texts(texts):
        a, b = by_id[pair.a], by_id[pair.b]
        if holders[a.id] & holders[b.id]:
            continue  # one department's own texts
        if a.kind != FUNCTION_KIND and normalize(a.text) == normalize(b.text):
            continue  # the same name is SAME_ITEM, not SIMILAR_TEXT
        found[(a.id, b.id)] = pair.score
    for source, variant in builder.similar_plants:
        if isinstance(source, Item):
            key = tuple(sorted((source.ids[0], variant.ids[0])))
        else:
            key = tuple(sorted((source.id, variant.id)))
        if key in found:
            builder.truth.overlaps[key]["text_score"] = found[key]
        else:
            del builder.truth.overlaps[key]
            builder.truth.counts["similar_text_plants_dropped"] += 1
    planted = {item_id for item in builder.planted_items for item_id in item.ids}
    planted.update(function.id for function in builder.planted_functions)
    for key, score in found.items():
        if not planted.intersection(key):
            builder.truth.counts["background_similar_text"] += 1
            continue
        facts: dict[str, Any] = {"text_score": score}
        if key not in builder.truth.overlaps:
            builder.truth.counts["implied_similar_text"] += 1
            facts["implied"] = True
        department_ids = sorted(ids.department_id(gov, d) for d in holders[key[0]] | holders[key[1]])
        builder.truth.overlap(key, "SIMILAR_TEXT", gov, department_ids, **facts)


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
