"""The kinds of department every government of a province has (every 市场监督管理局), and the laws they cite.

A kind is one of the demo city's departments (`city.DEPARTMENTS`) with what its lists are made
of: its units (the demo's, topped up with generic ones), its vocabulary, the laws it enforces
(`catalogue.LAW_HOLDERS`), its mix of power types and the demo's charter texts. A law is laid out
from its name alone (`law_of`): how many articles it has, which one sets the department's duty,
which ones punish.

    >>> law_of("食品安全法").written
    '中华人民共和国食品安全法'
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass

from graph.similarity import similarity
from loaders.demo.catalogue import LAW_HOLDERS
from loaders.demo.city import DEPARTMENTS, FUNCTIONS
from loaders.demo.province.vocabulary import (
    DROPPED,
    ENFORCING_MIX,
    EXTRA_KIND_LAWS,
    GENERIC_UNITS,
    MAX_LAWS,
    SERVING,
    SERVING_MIX,
    VOCABULARY,
)

__all__ = ["Kind", "Law", "kinds", "law_of", "stable_hash"]


@dataclass(frozen=True)
class Kind:
    """A kind of department (every 市场监督管理局 of the province) and what its lists are made of."""

    key: str
    kind: str
    parent: str | None
    head_rank: str
    units: tuple[str, ...]
    roots: tuple[str, ...]
    subjects: tuple[str, ...]
    laws: tuple[str, ...]
    mix: dict[str, float]
    weight: float
    functions: tuple[str, ...]  # the demo city's charter texts for this kind


@dataclass(frozen=True)
class Law:
    """A law as cited: its short name, the name lists write, its rank and article layout."""

    short: str
    written: str
    rank: str
    articles: int
    duty_article: int

    @property
    def penalty_articles(self) -> range:
        """The articles that punish: the last three tenths but one."""
        return range(max(self.duty_article + 2, int(self.articles * 0.7)), self.articles - 1)

    @property
    def other_articles(self) -> range:
        """The articles between the duty article and the penalties."""
        return range(self.duty_article + 2, max(self.duty_article + 4, int(self.articles * 0.7)))


def kinds() -> list[Kind]:
    """Every kind of department a government of the province may have, in the demo city's order."""
    laws_of: dict[str, list[str]] = defaultdict(list)
    for law, holder in LAW_HOLDERS.items():
        laws_of[holder].append(law)
    demo_functions: dict[str, list[str]] = defaultdict(list)
    for function in FUNCTIONS:
        # the demo city plants a few charters two departments share; a background charter is its own
        if not any(
            similarity(function.text, text) >= 0.4
            for key, texts in demo_functions.items()
            if key != function.department
            for text in texts
        ):
            demo_functions[function.department].append(function.text)
    found = []
    for department in DEPARTMENTS:
        if department.key in DROPPED:
            continue
        roots, subjects = VOCABULARY[department.key]
        laws = tuple(laws_of.get(department.key, ())[:MAX_LAWS]) or EXTRA_KIND_LAWS[department.key]
        units = [name for name, _ in department.units]
        for generic in GENERIC_UNITS:
            if len(units) >= 6:
                break
            if generic not in units:
                units.append(generic)
        found.append(
            Kind(
                key=department.key,
                kind=department.kind,
                parent=department.parent if department.parent not in DROPPED else None,
                head_rank=department.head_rank,
                units=tuple(units[:8]),
                roots=roots,
                subjects=subjects,
                laws=laws,
                mix=SERVING_MIX if department.key in SERVING else ENFORCING_MIX,
                weight=3.0 + len(laws_of.get(department.key, ())),
                functions=tuple(demo_functions.get(department.key, ())),
            )
        )
    return found


def stable_hash(*parts: object) -> int:
    """A hash of `parts` that is the same in every process (Python's own is salted per process)."""
    return zlib.crc32("|".join(map(str, parts)).encode())


def law_of(short: str) -> Law:
    """The layout of the law `short`: a 法 has 60–159 articles, a 条例 35–84, anything else 25–54."""
    if short.endswith("法") and not short.endswith("办法"):
        rank, written, articles = "法律", f"中华人民共和国{short}", 60 + stable_hash(short) % 100
    elif short.endswith("条例"):
        rank, written, articles = "行政法规", short, 35 + stable_hash(short) % 50
    else:
        rank, written, articles = "部门规章", short, 25 + stable_hash(short) % 30
    return Law(short, written, rank, articles, 4 + stable_hash(short, "duty") % 6)
