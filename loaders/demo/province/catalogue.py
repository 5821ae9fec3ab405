"""The standard lists of a province: what every department of a kind lists, at every level, and how items cite.

Provinces standardise their lists, so departments of one kind list items from one catalogue and
the same item is held at several levels (a division between levels, never an overlap). The
demo's written-out items come first (real names, real articles), then names made from the kind's
vocabulary, kept unique across kinds and apart by `graph.similarity`.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from graph.similarity import Text, similar_pairs
from graph.text import normalize
from loaders.citations import parse_citations
from loaders.demo.catalogue import GENERAL_ARTICLES, HAND_ITEMS, TYPE_CODES
from loaders.demo.province.kinds import Kind, Law, law_of
from loaders.demo.province.naming import Namer
from loaders.demo.province.vocabulary import SUB_ITEMS
from loaders.readgraph import article_label

__all__ = [
    "Citation",
    "Entry",
    "basis_text",
    "build_catalogue",
    "citations_of",
    "general_citation",
    "sub_items_of",
]

Citation = tuple[str, int | None, int | None]  # (law short name, article or None for the law, paragraph)


@dataclass
class Entry:
    """A power item as a catalogue or a department writes it, before it gets a code."""

    type_code: str
    name: str
    citations: tuple[Citation, ...]
    subs: tuple[str, ...] = ()
    basis_text: str | None = None  # written as is instead of the citations (unbased items)


def build_catalogue(
    kinds: Sequence[Kind], items_per_government: int, namer: Namer, laws: dict[str, Law], rng: random.Random
) -> tuple[dict[str, list[Entry]], int]:
    """The standard list of each kind of department: what its departments at every level list; and how many
    names were made again because they came out similar to another kind's (by the bigram measure of
    `graph.similarity`, at 0.45 with the catalogue's idf weights).

    Names are unique across kinds, so two departments of one government never list the same item by
    chance; the demo's written-out items (real names, real articles) come first.
    """
    total_weight = sum(kind.weight for kind in kinds)
    taken: set[str] = set()
    catalogue: dict[str, list[Entry]] = {}
    hand: dict[str, list[Entry]] = defaultdict(list)
    for item in HAND_ITEMS:
        if "、" in item.department or not item.basis[0][1]:
            continue
        text = "；".join(f"《{law}》{articles}" for law, articles in item.basis)
        citations = tuple(
            (c.law_key, c.article, c.paragraph) for c in parse_citations(text) if c.article is not None
        )
        kind = next((kind for kind in kinds if kind.key == item.department), None)
        # an item on another kind's law is one of the demo's planted overlaps: not background
        if kind is not None and citations and all(c[0] in kind.laws for c in citations):
            hand[item.department].append(Entry(item.type_code, item.name, citations))
    sizes = {
        kind.key: math.ceil(items_per_government * kind.weight / total_weight * 1.2) + 5 for kind in kinds
    }
    for kind in kinds:
        entries: list[Entry] = []
        for entry in hand.get(kind.key, ()):
            if normalize(entry.name) not in taken:
                taken.add(normalize(entry.name))
                entries.append(entry)
        catalogue[kind.key] = entries
    remade = 0
    for _ in range(5):
        for kind in kinds:
            _fill(catalogue[kind.key], sizes[kind.key], kind, namer, laws, taken, rng)
        texts = [
            Text(
                f"{kind.key}#{i:05d}",
                _compared(entry),
                entry.type_code,
                kind.key,
                TYPE_CODES[entry.type_code],
            )
            for kind in kinds
            for i, entry in enumerate(catalogue[kind.key])
        ]
        dropped: set[str] = set()
        for pair in similar_pairs(texts, 0.45):
            if pair.a not in dropped and pair.b not in dropped:
                dropped.add(max(pair.a, pair.b, key=lambda key: key.split("#")[1]))
        if not dropped:
            break
        remade += len(dropped)
        for kind in kinds:
            catalogue[kind.key] = [
                e for i, e in enumerate(catalogue[kind.key]) if f"{kind.key}#{i:05d}" not in dropped
            ]
    return catalogue, remade


def general_citation(type_code: str) -> Citation | None:
    """The general article of the law on this kind of power (行政许可法第十二条 for licences), if any."""
    if type_code not in GENERAL_ARTICLES:
        return None
    if type_code not in _GENERAL:
        law, article = GENERAL_ARTICLES[type_code]
        parsed = parse_citations(f"《{law}》{article}")[0]
        _GENERAL[type_code] = (law, parsed.article, None)
    return _GENERAL[type_code]


def citations_of(
    kind: Kind, type_code: str, laws: dict[str, Law], rng: random.Random
) -> tuple[Citation, ...]:
    """What an item of this kind and type cites: mostly one article of one of the kind's laws (the main
    laws more often), sometimes a second article, and for licences, penalties and coercion often the
    general article of the law on that kind of power."""
    weights = [1 / math.sqrt(i + 1) for i in range(len(kind.laws))]
    short = rng.choices(kind.laws, weights)[0]
    law = laws.setdefault(short, law_of(short))
    span = law.penalty_articles if type_code in ("CF", "QZ") else law.other_articles
    citations: list[Citation] = [(short, rng.choice(span), rng.choice((None, None, 1, 2)))]
    if rng.random() < 0.15:
        other = laws.setdefault(second := rng.choice(kind.laws), law_of(second))
        citations.append((second, rng.choice(other.other_articles), None))
    general = general_citation(type_code)
    if general is not None and rng.random() < 0.35:
        citations.append(general)
    return tuple(dict.fromkeys(citations))


def sub_items_of(type_code: str, rng: random.Random) -> tuple[str, ...]:
    """The sub-items of a new item of this type: mostly none, now and then one of `SUB_ITEMS`' lists."""
    options = SUB_ITEMS.get(type_code)
    if options is None or rng.random() > 0.06:
        return ()
    return rng.choice(options)


def basis_text(citations: Sequence[Citation], laws: dict[str, Law]) -> str:
    """The 设定依据 cell: `《中华人民共和国食品安全法》第一百二十四条第一款；《…》第九条`."""
    parts: dict[str, list[str]] = {}
    for short, article, paragraph in citations:
        law = laws.setdefault(short, law_of(short))
        labels = parts.setdefault(law.written, [])
        if article is not None:
            labels.append(
                article_label(article) + (article_label(paragraph)[:-1] + "款" if paragraph else "")
            )
    return "；".join(f"《{written}》{'、'.join(labels)}" for written, labels in parts.items())


_GENERAL: dict[str, Citation] = {}


def _compared(entry: Entry) -> str:
    """The text the analyses compare for an entry (its first sub-item's, when it has sub-items)."""
    return f"{entry.name}（{entry.subs[0]}）" if entry.subs else entry.name


def _fill(
    entries: list[Entry],
    size: int,
    kind: Kind,
    namer: Namer,
    laws: dict[str, Law],
    taken: set[str],
    rng: random.Random,
) -> None:
    types, shares = list(kind.mix), list(kind.mix.values())
    attempts = 0
    while len(entries) < size and attempts < size * 20:
        attempts += 1
        type_code = rng.choices(types, shares)[0]
        name = namer.item(kind, type_code)
        if normalize(name) in taken:
            continue
        taken.add(normalize(name))
        entries.append(
            Entry(type_code, name, citations_of(kind, type_code, laws, rng), sub_items_of(type_code, rng))
        )
