"""Overlaps (职能交叉): departments of one government holding the same or nearly the same duty.

An `Overlap` is a pair of subjects (two power items, or two functions) of
different departments of the same government, or one item that names several
departments; with every kind of evidence found for it:

- `SAME_ITEM`: items with the same normalised name (and sub-item) and power
  type, held by different departments and not declared joint;
- `JOINT`: one item whose 实施主体 names several departments (declared);
- `SHARED_BASIS`: items of the same power type citing the same article, where
  articles weigh by how rare they are among the departments of the government
  citing articles for that power type (smoothed idf: log((departments + 1) /
  departments citing it)); the score is the weighted Jaccard of the two items'
  articles, and only an article cited by at most `rare_share` of those
  departments (or by two) can start a pair, so a general article (行政许可法 第十
  二条, 行政处罚法's general articles) never makes an overlap alone;
- `SIMILAR_TEXT`: items (of one power type) or functions whose texts are
  similar: idf-weighted Jaccard of character bigrams, found by prefix filtering
  (`graph.similarity`), never by comparing all pairs.

A pair found by several kinds is one overlap; its score combines the kinds'
scores as independent evidence, 1 − Π(1 − sₖ). The same item held at city and
county level is a division between levels, not an overlap: pairs are only made
within one government. Overlaps link into clusters (connected subjects), and
`overlap_matrix` counts them per pair of departments.

    overlaps = find_overlaps(store)
    matrix = overlap_matrix(overlaps)
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import combinations

from graph import progress
from graph.analyses.links import Links
from graph.collector import pausing_collector
from graph.similarity import Text, similar_pairs
from graph.store import GraphReader
from graph.text import normalize
from ontology import EdgeKind, NodeKind

__all__ = [
    "Cluster",
    "Overlap",
    "OverlapKind",
    "clusters_of",
    "find_overlaps",
    "overlap_matrix",
    "select_overlaps",
]


class OverlapKind(StrEnum):
    """The kinds of overlap evidence, as the GraphQL enum `OverlapKind` names them."""

    SAME_ITEM = "SAME_ITEM"
    JOINT = "JOINT"
    SHARED_BASIS = "SHARED_BASIS"
    SIMILAR_TEXT = "SIMILAR_TEXT"


@dataclass(frozen=True, slots=True)
class Overlap:
    """Two subjects (or one joint item) of several departments, and why they overlap."""

    kinds: tuple[OverlapKind, ...]
    score: float
    departments: tuple[str, ...]
    items: tuple[str, ...]
    functions: tuple[str, ...]
    evidence: tuple[str, ...]
    scores: tuple[tuple[OverlapKind, float], ...] = ()
    shared_words: tuple[str, ...] = ()
    shared_articles: tuple[str, ...] = ()
    cluster: str = ""

    @property
    def subjects(self) -> tuple[str, ...]:
        return tuple(sorted((*self.items, *self.functions)))

    @property
    def id(self) -> str:
        return "overlap:" + hashlib.sha1("|".join(self.subjects).encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Cluster:
    """Overlaps linked through shared subjects: one tangle for the staffing office to sort out."""

    id: str
    departments: tuple[str, ...]
    items: tuple[str, ...]
    functions: tuple[str, ...]
    overlaps: tuple[str, ...]


DEFAULT_TEXT_THRESHOLD = 0.6
DEFAULT_BASIS_THRESHOLD = 0.3
DEFAULT_RARE_SHARE = 0.25


@pausing_collector
def find_overlaps(
    reader: GraphReader,
    *,
    kinds: Collection[OverlapKind] | None = None,
    department: str | None = None,
    min_score: float = 0.0,
    text_threshold: float = DEFAULT_TEXT_THRESHOLD,
    basis_threshold: float = DEFAULT_BASIS_THRESHOLD,
    rare_share: float = DEFAULT_RARE_SHARE,
) -> list[Overlap]:
    """Every overlap with at least one of `kinds` (all when None), involving `department` (an id) when
    given, scoring at least `min_score`; ordered by score, highest first, then by id. Each carries the
    id of its cluster (computed over all overlaps, before filtering)."""
    links = Links(reader)
    subjects = _subjects(links)
    evidence: dict[tuple[str, ...], list[_Evidence]] = defaultdict(list)
    finders: list[Callable[[], Iterable[_Evidence]]] = [
        lambda: _same_items(links, subjects),
        lambda: _joint(links, subjects),
        lambda: _shared_basis(links, subjects, basis_threshold, rare_share),
        lambda: _similar_text(subjects, text_threshold),
    ]
    for done, finder in enumerate(finders):
        progress.step("finding overlaps", done, len(finders) + 1)
        for item in finder():
            evidence[item.subjects].append(item)
    progress.step("finding overlaps", len(finders), len(finders) + 1)
    overlaps = [_merge(subjects, key, found) for key, found in evidence.items()]
    overlaps = _with_clusters(overlaps)
    progress.step("finding overlaps", len(finders) + 1, len(finders) + 1)
    return select_overlaps(overlaps, kinds=kinds, department=department, min_score=min_score)


def select_overlaps(
    overlaps: Iterable[Overlap],
    *,
    kinds: Collection[OverlapKind] | None = None,
    department: str | None = None,
    min_score: float = 0.0,
) -> list[Overlap]:
    """The overlaps with at least one of `kinds` (all when None), involving `department` (an id) when
    given, scoring at least `min_score`; ordered as `find_overlaps` orders them (by score, highest first,
    then by id). So a list of every overlap, computed once, answers each filter:

        select_overlaps(every_overlap, kinds={OverlapKind.JOINT})   # = find_overlaps(store, kinds=…)
    """
    wanted = set(OverlapKind) if kinds is None else set(kinds)
    selected = [
        overlap
        for overlap in overlaps
        if wanted & set(overlap.kinds)
        and overlap.score >= min_score
        and (department is None or department in overlap.departments)
    ]
    return sorted(selected, key=lambda overlap: (-overlap.score, overlap.id))


def overlap_matrix(overlaps: Iterable[Overlap]) -> list[tuple[str, str, int]]:
    """(department a, department b, count) for every pair of departments sharing overlaps, a < b."""
    counts: Counter[tuple[str, str]] = Counter()
    for overlap in overlaps:
        counts.update(combinations(sorted(set(overlap.departments)), 2))
    return sorted(
        ((a, b, count) for (a, b), count in counts.items()), key=lambda row: (-row[2], row[0], row[1])
    )


def clusters_of(overlaps: Iterable[Overlap]) -> list[Cluster]:
    """The clusters the overlaps belong to, largest first."""
    members: dict[str, list[Overlap]] = defaultdict(list)
    for overlap in overlaps:
        members[overlap.cluster].append(overlap)
    clusters = [
        Cluster(
            cluster,
            tuple(sorted({d for o in found for d in o.departments})),
            tuple(sorted({i for o in found for i in o.items})),
            tuple(sorted({f for o in found for f in o.functions})),
            tuple(sorted(o.id for o in found)),
        )
        for cluster, found in members.items()
    ]
    return sorted(clusters, key=lambda c: (-len(c.overlaps), -len(c.departments), c.id))


# -- evidence ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Evidence:
    kind: OverlapKind
    subjects: tuple[str, ...]  # sorted
    departments: tuple[str, ...]
    score: float
    text: str
    words: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()


@dataclass(slots=True)
class _Subject:
    id: str
    kind: NodeKind
    name: str
    departments: list[str]
    government: str
    power_type: str | None = None
    articles: set[str] = field(default_factory=set)


def _subjects(links: Links) -> dict[str, _Subject]:
    subjects: dict[str, _Subject] = {}
    for item in links.nodes(NodeKind.POWER_ITEM).values():
        departments = links.departments_of_item(item.id)
        if not departments:
            continue
        sub = item.get("sub_item")
        name = f"{item['name']}（{sub}）" if sub else str(item["name"])
        subjects[item.id] = _Subject(
            item.id,
            NodeKind.POWER_ITEM,
            name,
            departments,
            links.government_of.get(departments[0], ""),
            str(item["power_type"]),
        )
    for function in links.nodes(NodeKind.FUNCTION).values():
        department = links.first_target(function.id, EdgeKind.FUNCTION_OF)
        if department is None:
            continue
        subjects[function.id] = _Subject(
            function.id,
            NodeKind.FUNCTION,
            str(function["text"]),
            [department],
            links.government_of.get(department, ""),
        )
    return subjects


def _department_name(links: Links, department: str) -> str:
    node = links.node(NodeKind.DEPARTMENT, department)
    return str(node["name"]) if node else department


def _same_items(links: Links, subjects: dict[str, _Subject]) -> Iterable[_Evidence]:
    groups: dict[tuple[str, str, str], list[_Subject]] = defaultdict(list)
    for subject in subjects.values():
        if subject.kind is NodeKind.POWER_ITEM:
            groups[(subject.government, str(subject.power_type), normalize(subject.name))].append(subject)
    for (_, power_type, _), members in groups.items():
        if len({m.departments[0] for m in members}) < 2:
            continue
        for a, b in combinations(sorted(members, key=lambda m: m.id), 2):
            if set(a.departments) & set(b.departments):
                continue  # the same department listing an item twice is not an overlap between departments
            departments = tuple(sorted({*a.departments, *b.departments}))
            text = (
                f"同一事项：{power_type}“{a.name}”由"
                f"{'、'.join(_department_name(links, d) for d in a.departments)}和"
                f"{'、'.join(_department_name(links, d) for d in b.departments)}分别列入清单，未作为联合实施事项"
            )
            yield _Evidence(OverlapKind.SAME_ITEM, (a.id, b.id), departments, 1.0, text)


def _joint(links: Links, subjects: dict[str, _Subject]) -> Iterable[_Evidence]:
    for subject in subjects.values():
        if subject.kind is NodeKind.POWER_ITEM and len(subject.departments) > 1:
            names = "、".join(_department_name(links, d) for d in subject.departments)
            yield _Evidence(
                OverlapKind.JOINT,
                (subject.id,),
                tuple(sorted(subject.departments)),
                1.0,
                f"联合实施：“{subject.name}”的实施主体为{names}",
            )


def _shared_basis(
    links: Links, subjects: dict[str, _Subject], threshold: float, rare_share: float
) -> Iterable[_Evidence]:
    for item_id, edges in links.out(EdgeKind.CITES).items():
        subject = subjects.get(item_id)
        if subject is not None and subject.kind is NodeKind.POWER_ITEM:
            subject.articles = {e.target for e in edges if e.target.startswith("article:")}
    # departments citing each article for items of each power type, per government
    citing: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    departments_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for subject in subjects.values():
        block = (subject.government, str(subject.power_type))
        for article in subject.articles:
            citing[(*block, article)].update(subject.departments)
        if subject.articles:
            departments_of[block].update(subject.departments)
    # smoothed idf: an article every department cites still weighs a little, never nothing
    weight: dict[tuple[str, str, str], float] = {
        cited: math.log((len(departments_of[cited[:2]]) + 1) / len(departments))
        for cited, departments in citing.items()
    }
    # candidate pairs: items of one government and power type sharing a rare article
    postings: dict[tuple[str, str, str], list[_Subject]] = defaultdict(list)
    for cited, departments in citing.items():
        if len(departments) <= max(2, int(rare_share * len(departments_of[cited[:2]]))):
            postings[cited] = []
    for subject in subjects.values():
        for article in subject.articles:
            posting = postings.get((subject.government, str(subject.power_type), article))
            if posting is not None:
                posting.append(subject)
    seen: set[tuple[str, str]] = set()
    for (government, power_type, _), members in postings.items():
        members.sort(key=lambda m: m.id)
        for a, b in combinations(members, 2):
            if (a.id, b.id) in seen or set(a.departments) & set(b.departments):
                continue
            seen.add((a.id, b.id))
            weigh = {x: weight[(government, power_type, x)] for x in a.articles | b.articles}
            shared = a.articles & b.articles
            score = round(sum(weigh[x] for x in shared) / sum(weigh.values()), 4)
            if score < threshold:
                continue
            rare = sorted(shared, key=lambda x: (-weigh[x], x))
            rarest = "；".join(
                f"{_article_label(links, x)}（{len(departments_of[(government, power_type)])}个部门中"
                f"{len(citing[(government, power_type, x)])}个引用）"
                for x in rare[:3]
            )
            yield _Evidence(
                OverlapKind.SHARED_BASIS,
                (a.id, b.id),
                tuple(sorted({*a.departments, *b.departments})),
                score,
                f"共同依据（{score:.2f}）：两项{power_type}事项都引用{rarest}",
                articles=tuple(rare),
            )


def _article_label(links: Links, article: str) -> str:
    node = links.node(NodeKind.ARTICLE, article)
    law = links.node(NodeKind.LAW, links.first_target(article, EdgeKind.ARTICLE_OF) or "")
    return f"《{law['name'] if law else '?'}》{node.get('label', '') if node else article}"


def _similar_text(subjects: dict[str, _Subject], threshold: float) -> Iterable[_Evidence]:
    texts = [
        Text(
            subject.id,
            subject.name,
            f"{subject.government}|{subject.power_type or 'function'}",
            subject.departments[0],
        )
        for subject in subjects.values()
    ]
    for pair in similar_pairs(texts, threshold):
        a, b = subjects[pair.a], subjects[pair.b]
        if set(a.departments) & set(b.departments):
            continue  # one department's own texts
        if a.kind is NodeKind.POWER_ITEM and normalize(a.name) == normalize(b.name):
            continue  # the very same item name is SAME_ITEM
        what = "职能" if a.kind is NodeKind.FUNCTION else f"{a.power_type}事项"
        shared = "、".join(pair.shared)
        yield _Evidence(
            OverlapKind.SIMILAR_TEXT,
            (a.id, b.id),
            tuple(sorted({*a.departments, *b.departments})),
            pair.score,
            f"表述相近（{pair.score:.2f}）：{what}“{a.name}”与“{b.name}”共有“{shared}”",
            words=pair.shared,
        )


# -- merging and clusters ---------------------------------------------------------------------


def _merge(subject_nodes: dict[str, _Subject], subjects: tuple[str, ...], found: list[_Evidence]) -> Overlap:
    by_kind: dict[OverlapKind, float] = {}
    for evidence in found:
        by_kind[evidence.kind] = max(by_kind.get(evidence.kind, 0.0), evidence.score)
    remaining = 1.0
    for score in by_kind.values():
        remaining *= 1.0 - score
    kinds = tuple(kind for kind in OverlapKind if kind in by_kind)
    return Overlap(
        kinds=kinds,
        score=round(1.0 - remaining, 4),
        departments=tuple(sorted({d for e in found for d in e.departments})),
        items=tuple(s for s in subjects if subject_nodes[s].kind is NodeKind.POWER_ITEM),
        functions=tuple(s for s in subjects if subject_nodes[s].kind is NodeKind.FUNCTION),
        evidence=tuple(
            e.text for e in sorted(found, key=lambda e: (list(OverlapKind).index(e.kind), e.text))
        ),
        scores=tuple((kind, by_kind[kind]) for kind in kinds),
        shared_words=tuple(dict.fromkeys(w for e in found for w in e.words)),
        shared_articles=tuple(dict.fromkeys(a for e in found for a in e.articles)),
    )


def _with_clusters(overlaps: list[Overlap]) -> list[Overlap]:
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for overlap in overlaps:
        first, *rest = overlap.subjects
        for other in rest:
            a, b = find(first), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return [
        replace(
            overlap, cluster="cluster:" + hashlib.sha1(find(overlap.subjects[0]).encode()).hexdigest()[:12]
        )
        for overlap in overlaps
    ]
