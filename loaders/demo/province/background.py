"""How alike a government's unplanted texts of different departments are, and the cleaning that keeps them apart.

Similar texts of two departments should be the planted ones: `clean_background` makes again the
local names and charter texts that come out similar (0.5 or more by `graph.similarity` with the
blocks' idf weights) to another department's, and `background_similarity` measures what is left
on a sample, for truth.json.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from typing import Any

from graph.similarity import Text, idf_weights, similar_pairs, similarity
from graph.text import normalize
from loaders.demo.province.government import GovernmentBuilder

__all__ = ["background_similarity", "background_texts", "clean_background", "similarity_report"]


def background_texts(builder: GovernmentBuilder) -> list[Text]:
    """The unplanted texts the analyses compare, each in its block (power type, or function)."""
    texts = [
        Text(item_id, name, item.entry.type_code, item.departments[0].name)
        for item in builder.items
        if item.note in ("", "local", "unbased")
        for item_id, name in item.subjects()
    ]
    texts += [Text(f.id, f.text, "function", f.department.name) for f in builder.functions if not f.planted]
    return texts


def clean_background(builder: GovernmentBuilder) -> None:
    """Make again the local names and charter texts that came out similar (0.5 or more, by
    `graph.similarity` with the blocks' idf weights) to another department's, so that similar texts of
    different departments are the planted ones. Standard-list items were cleaned when the list was
    made; what is left over (two standard items, demo charters) is counted."""
    if builder.sample:
        builder.truth.background.setdefault("before_cleaning", []).append(similarity_report(builder))
    local = {item_id: item for item in builder.items if item.note == "local" for item_id in item.ids}
    synthetic = {f.id: f for f in builder.functions if f.roots and f.text not in builder.demo_texts}
    for _ in range(4):
        pairs = similar_pairs(background_texts(builder), 0.5)
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
    with `graph.similarity.similar_pairs`, per block, with the blocks' idf weights), and
    `graph.similarity.similarity` over a random sample of pairs of different departments."""
    blocks: dict[str, list[Text]] = defaultdict(list)
    for text in texts:
        blocks[text.block].append(text)
    pairs = similar_pairs(texts, 0.5)
    by_id = {text.id: text for text in texts}
    weights = {code: idf_weights([t.text for t in block]) for code, block in blocks.items()}
    checked = [similarity(by_id[p.a].text, by_id[p.b].text, weights[by_id[p.a].block]) for p in pairs]
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
