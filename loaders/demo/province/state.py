"""What the governments of a province share while they are built: kinds, laws, standard lists, and the truth.

`Province` holds the one random generator every government draws from (in order), the laws as
cited, the catalogue, what has been cited so far (for the laws sheet), and `Truth`: what was
planted, in the ids the analyses report, as it is assembled government by government.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import opencc

from graph.analyses.fields import ALIASES, competent_field, department_field
from graph.corpus import ReferenceCorpus, reference_corpus
from graph.similarity import idf_weights
from graph.text import normalize
from loaders.demo.province.catalogue import build_catalogue
from loaders.demo.province.governments import plan_governments
from loaders.demo.province.kinds import Kind, Law, kinds, law_of, stable_hash
from loaders.demo.province.naming import Namer

__all__ = ["IdfWeights", "Province", "Truth", "department_fields", "fields_match"]


@dataclass
class Truth:
    """What was planted, in the ids the analyses report."""

    overlaps: dict[tuple[str, ...], dict[str, Any]] = field(default_factory=dict)
    divided: dict[tuple[str, ...], dict[str, Any]] = field(default_factory=dict)  # overlaps judged DIVIDED
    gaps: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    planted_gaps: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    may_also: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    splits: dict[str, list[list[str]]] = field(default_factory=lambda: defaultdict(list))
    cross_level: list[list[str]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    background: dict[str, Any] = field(default_factory=dict)

    def overlap(
        self, subjects: Iterable[str], kind: str, government: str, departments: Iterable[str], **facts: Any
    ) -> None:
        """Record that `subjects` overlap with evidence of `kind` (facts already recorded are kept)."""
        key = tuple(sorted(subjects))
        entry = self.overlaps.setdefault(
            key, {"subjects": list(key), "kinds": [], "government": government, "departments": []}
        )
        if kind not in entry["kinds"]:
            entry["kinds"].append(kind)
        entry["departments"] = sorted({*entry["departments"], *departments})
        for name, value in facts.items():
            entry.setdefault(name, value)


class Province:
    """What the governments share: kinds, laws, the standard lists, and the truth being assembled."""

    def __init__(self, items: int, seed: int, cases: int, governments: int | None = None) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.items = items
        self.cases = cases
        self.kinds = kinds()
        self.namer = Namer(self.rng)
        self.laws: dict[str, Law] = {}
        for kind in self.kinds:
            for short in kind.laws:
                self.laws.setdefault(short, law_of(short))
        self.law_kind: dict[str, str] = {}
        for kind in self.kinds:
            for short in kind.laws:
                self.law_kind.setdefault(short, kind.key)
        self.competent = {kind.key: self._competent(kind) for kind in self.kinds}
        self.governments = plan_governments(items, self.rng, governments)
        per_government = items // len(self.governments)
        self.catalogue, remade = build_catalogue(self.kinds, per_government, self.namer, self.laws, self.rng)
        self.catalogue_names = {normalize(e.name) for entries in self.catalogue.values() for e in entries}
        self.traditional = opencc.OpenCC("s2t")
        self.cited: set[tuple[str, int]] = set()  # (law, article) cited anywhere
        self.competent_cited: set[tuple[str, int]] = set()
        self.duty_cited: set[str] = set()  # laws whose duty article a function cites
        self.cited_laws: set[str] = set()
        self.first_listed: dict[int, tuple[str, str]] = {}  # catalogue entry -> (government, item id)
        self.truth = Truth()
        self.truth.counts["catalogue_names_remade"] = remade

    def has_competent(self, short: str, article: int | None) -> bool:
        """Whether the laws sheet names a 主管部门 for this article: every duty article, and a third of the
        penalty articles, of the laws a kind of department holds."""
        law = self.laws.get(short)
        kind = self.law_kind.get(short)
        if law is None or kind is None or article is None or self.competent[kind] is None:
            return False
        if article == law.duty_article:
            return True
        return article in law.penalty_articles and stable_hash(short, article, "competent") % 10 < 3

    def _competent(self, kind: Kind) -> str | None:
        """The 主管部门 wording of the kind's laws, if it names the kind (checked as the analyses read it)."""
        core = department_field(f"某某县{kind.key}", "某某县")
        wording = f"县级以上地方人民政府{core}主管部门"
        words = competent_field(wording)
        if not words or not fields_match(department_fields(f"某某县{kind.key}", "某某县"), words):
            return None
        return wording


class IdfWeights(dict[str, float]):
    """The weights `graph.similarity` gives the tokens of a block of `texts` of `kind` (`idf_weights`: the
    block and the reference corpus's texts of that kind), a token no text holds yet weighing what it will
    once one more text holds it (`similarity` reads `.get`)."""

    def __init__(self, texts: Sequence[str], kind: str) -> None:
        super().__init__(idf_weights(texts, kind))
        corpus = reference_corpus()
        self.kind = kind
        self.documents = len(texts) + corpus.documents.get(kind, 0)
        self.known = corpus.frequency.get(kind, {})

    def get(self, key: str, default: Any = None) -> float:
        weight = dict.get(self, key)
        if weight is None:
            # one text holding it among the block's texts and the corpus's: the texts so far as the reference
            once = ReferenceCorpus({self.kind: self.documents}, {self.kind: {key: self.known.get(key, 0)}})
            weight = self[key] = idf_weights([key], self.kind, once)[key]
        return weight


def department_fields(name: str, place: str) -> tuple[str, ...]:
    """The fields of work a department's name gives it (as `graph.analyses.fields` reads names)."""
    core = department_field(name, place)
    return tuple(_unlinked(f) for f in (core, *ALIASES.get(core, ())))


def fields_match(fields: Sequence[str], words: Sequence[str]) -> bool:
    """Whether any of the competent `words` names one of the `fields`."""
    return any(_unlinked(word) in f for word in words for f in fields)


_LINKS = ("和", "与", "及")


def _unlinked(text: str) -> str:
    for link in _LINKS:
        text = text.replace(link, "")
    return text
