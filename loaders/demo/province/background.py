"""How alike a government's unplanted texts of different departments are, and the cleaning that keeps them apart.

Similar texts of two departments should be the planted ones: `clean_background` makes again the
local names and charter texts that come out similar to another department's (from `BACKGROUND_MARGIN`
below the analysis' threshold for their kind, scored as the analysis scores them), and
`background_similarity` measures what is left on a sample, for truth.json.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from typing import Any

from graph.similarity import Text, idf_weights, similar_pairs, similarity
from graph.text import normalize
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.verification import FUNCTIONS, similar_texts, text_kind

__all__ = [
    "BACKGROUND_MARGIN",
    "background_similarity",
    "background_texts",
    "clean_background",
    "similarity_report",
]

BACKGROUND_MARGIN = 0.1
"""A background text is made again when it scores this little below the analysis' threshold against another
department's: the plants added later change the weights a little."""
CLEANING_ROUNDS = 12
"""Rounds of cleaning at most: each makes again one text of every pair found, and the next checks what it
made (four rounds left a pair of a million items' charters similar)."""


def background_texts(builder: GovernmentBuilder) -> list[Text]:
    """The unplanted texts the analyses compare, of their kind (power type, or function)."""
    government = builder.gov.name
    texts = [
        Text(item_id, name, government, item.departments[0].name, text_kind(item.entry.type_code))
        for item in builder.items
        if item.note in ("", "local", "unbased")
        for item_id, name in item.subjects()
    ]
    kind = text_kind(FUNCTIONS)
    texts += [
        Text(f.id, f.text, government, f.department.name, kind) for f in builder.functions if not f.planted
    ]
    return texts


def clean_background(builder: GovernmentBuilder) -> None:
    """Make again the local names and charter texts that came out similar to another department's
    (`BACKGROUND_MARGIN` below the analysis' threshold, or more), so that similar texts of different
    departments are the planted ones. Standard-list items were cleaned when the list was
    made; what is left over (two standard items, demo charters) is counted."""
    if builder.sample:
        builder.truth.background.setdefault("before_cleaning", []).append(similarity_report(builder))
    local = {item_id: item for item in builder.items if item.note == "local" for item_id in item.ids}
    synthetic = {f.id: f for f in builder.functions if f.roots and f.text not in builder.demo_texts}
    for _ in range(CLEANING_ROUNDS):
        pairs = similar_texts(background_texts(builder), BACKGROUND_MARGIN)
        if not pairs:
            break
        remade: set[str] = set()
        for pair in pairs:
            target = next((x for x in (pair.b, pair.a) if x in local or x in synthetic), None)
            if target is None or pair.a in remade or pair.b in remade:
                if target is None:
                    builder.truth.counts["background_pairs_kept"] += 1
                continue
            remade.add(target)
            if target in local:
                item = local.pop(target)
                builder.names.discard(normalize(item.entry.name))
                name = builder.unique_name(item.departments[0].kind, item.entry.type_code)
                item.entry = replace(item.entry, name=name)
                local.update(dict.fromkeys(item.ids, item))
            else:
                function = synthetic.pop(target)
                builder.function_texts.discard(normalize(function.text))
                text, roots = builder.p.namer.function(function.department.kind, builder.scope)
                while normalize(text) in builder.function_texts:
                    text, roots = builder.p.namer.function(function.department.kind, builder.scope)
                function.text, function.roots = text, roots
                builder.function_texts.add(normalize(text))
                synthetic[function.id] = function
        builder.truth.counts["background_texts_remade"] += len(remade)
        if not remade:
            break


def similarity_report(builder: GovernmentBuilder, sample: int = 20_000) -> dict[str, Any]:
    """`background_similarity` of this government's background texts, on `sample` random pairs."""
    return background_similarity(
        builder.gov.name, background_texts(builder), random.Random(builder.gov.code), sample
    )


def background_similarity(
    government: str, texts: list[Text], rng: random.Random, sample: int
) -> dict[str, Any]:
    """How similar one government's texts of different departments are: every pair at 0.5 or more (found
    with `graph.similarity.similar_pairs`, each kind of text weighed as the analysis weighs it), and
    `graph.similarity.similarity` over a random sample of pairs of different departments."""
    blocks: dict[str, list[Text]] = defaultdict(list)
    for text in texts:
        blocks[text.kind].append(text)
    pairs = similar_pairs(texts, 0.5)
    by_id = {text.id: text for text in texts}
    weights = {kind: idf_weights([t.text for t in block], kind) for kind, block in blocks.items()}
    checked = [similarity(by_id[p.a].text, by_id[p.b].text, weights[by_id[p.a].kind]) for p in pairs]
    codes = [code for code, block in blocks.items() if len(block) > 1]
    sizes = [len(blocks[code]) ** 2 for code in codes]
    scores: list[float] = []
    while len(scores) < sample and codes:
        code = rng.choices(codes, sizes)[0]
        a, b = rng.sample(blocks[code], 2)
        if a.group != b.group:
            scores.append(similarity(a.text, b.text, weights[code]))
    scores.sort()
    return {
        "government": government,
        "texts": len(texts),
        "pairs_at_least_0.5": sum(1 for score in checked if score >= 0.5),
        "pairs_at_least_0.6": sum(1 for score in checked if score >= 0.6),
        "examples": [[by_id[p.a].text, by_id[p.b].text, p.score] for p in pairs[:8]],
        "random_pairs": len(scores),
        "random_pairs_at_least_0.3": sum(1 for s in scores if s >= 0.3),
        "random_pairs_at_least_0.5": sum(1 for s in scores if s >= 0.5),
        "random_pairs_median": round(scores[len(scores) // 2], 4) if scores else None,
        "random_pairs_max": round(scores[-1], 4) if scores else None,
    }
