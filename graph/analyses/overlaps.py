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

Each overlap then gets a verdict (`graph.analyses.verdicts`): `OVERLAP`, `BOUNDARY` (with the general
side, whose list should state its boundary) or `DIVIDED`, read from the two items' names, sub-items,
the paragraphs they cite and their departments' fields of work. The default answer is what the
office must act on, `OVERLAP` and `BOUNDARY`; `verdicts=None` gives every overlap.

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
from graph.analyses.fields import department_fields
from graph.analyses.links import Links
from graph.analyses.verdicts import OverlapVerdict, Side, judge_overlaps
from graph.collector import pausing_collector
from graph.corpus import FUNCTION_KIND
from graph.identity import FindingKind, SubjectIdentities, digest, finding_id
from graph.similarity import Text, similar_pairs
from graph.store import GraphReader
from graph.text import normalize
from ontology import EdgeKind, NodeKind

__all__ = [
    "DEFAULT_VERDICTS",
    "Cluster",
    "Overlap",
    "OverlapKind",
    "OverlapVerdict",
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


DEFAULT_VERDICTS: frozenset[OverlapVerdict] = frozenset({OverlapVerdict.OVERLAP, OverlapVerdict.BOUNDARY})
"""What the office is shown unless it asks for more: `DIVIDED` overlaps are kept, but left out."""


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
    verdict: OverlapVerdict = OverlapVerdict.OVERLAP
    general: str | None = None  # for BOUNDARY: the subject naming no sector, whose list should state it
    reason: str = ""  # why the verdict, in Chinese; also the last line of `evidence`
    identities: tuple[str, ...] = ()  # of the subjects, in their order (`_with_identities` sets them)

    @property
    def subjects(self) -> tuple[str, ...]:
        return tuple(sorted((*self.items, *self.functions)))

    @property
    def id(self) -> str:
        """`overlap:` and a digest of the subjects' identities, sorted (`graph.identity`): their ids, but
        for an item whose code was made from a 序号, which keeps its id when the list is reordered."""
        return finding_id(FindingKind.OVERLAP, digest(sorted(self.identities or self.subjects)))


@dataclass(frozen=True, slots=True)
class Cluster:
    """Overlaps linked through shared subjects: one tangle for the staffing office to sort out."""

    id: str
    departments: tuple[str, ...]
    items: tuple[str, ...]
    functions: tuple[str, ...]
    overlaps: tuple[str, ...]


DEFAULT_TEXT_THRESHOLD = 0.6
DEFAULT_FUNCTION_THRESHOLD = 0.55
"""Functions pair from 0.55: two wordings of one 三定 duty in a small city (负责全市农田水利建设和管理，指导农田
灌溉排水工作 / 负责全市农田水利设施建设与管理，指导农村灌溉排水工作) score 0.57 with the reference weights."""
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
    function_threshold: float = DEFAULT_FUNCTION_THRESHOLD,
    basis_threshold: float = DEFAULT_BASIS_THRESHOLD,
    rare_share: float = DEFAULT_RARE_SHARE,
    verdicts: Collection[OverlapVerdict] | None = DEFAULT_VERDICTS,
    links: Links | None = None,
) -> list[Overlap]:
    """Every overlap with at least one of `kinds` (all when None) and one of `verdicts` (every verdict
    when None; by default `OVERLAP` and `BOUNDARY`), involving `department` (an id) when given, scoring
    at least `min_score`; ordered by score, highest first, then by id. Each carries its verdict and
    the id of its cluster (computed before filtering, over the overlaps of the default verdicts, and
    apart over the `DIVIDED` ones, so that a division never links two tangles). `links` are the reader's
    `Links` when the caller has them already (what they have read is reused)."""
    links = Links(reader) if links is None else links
    subjects = _subjects(links)
    evidence: dict[tuple[str, ...], list[_Evidence]] = defaultdict(list)
    finders: list[Callable[[], Iterable[_Evidence]]] = [
        lambda: _same_items(links, subjects),
        lambda: _joint(links, subjects),
        lambda: _shared_basis(links, subjects, basis_threshold, rare_share),
        lambda: _similar_text(subjects, text_threshold, function_threshold),
    ]
    for done, finder in enumerate(finders):
        progress.step("finding overlaps", done, len(finders) + 1)
        for item in finder():
            evidence[item.subjects].append(item)
    progress.step("finding overlaps", len(finders), len(finders) + 1)
    overlaps = _with_identities(links, [_merge(subjects, key, found) for key, found in evidence.items()])
    overlaps = _with_verdicts(links, subjects, overlaps)
    overlaps = _with_clusters(overlaps)
    progress.step("finding overlaps", len(finders) + 1, len(finders) + 1)
    return select_overlaps(
        overlaps, kinds=kinds, department=department, min_score=min_score, verdicts=verdicts
    )


def select_overlaps(
    overlaps: Iterable[Overlap],
    *,
    kinds: Collection[OverlapKind] | None = None,
    department: str | None = None,
    min_score: float = 0.0,
    verdicts: Collection[OverlapVerdict] | None = DEFAULT_VERDICTS,
) -> list[Overlap]:
    """The overlaps with at least one of `kinds` (all when None) and one of `verdicts` (every verdict
    when None; by default `OVERLAP` and `BOUNDARY`), involving `department` (an id) when given, scoring
    at least `min_score`; ordered as `find_overlaps` orders them (by score, highest first, then by id).
    So a list of every overlap, computed once, answers each filter:

        every_overlap = find_overlaps(store, verdicts=None)
        select_overlaps(every_overlap, kinds={OverlapKind.JOINT})   # = find_overlaps(store, kinds=…)
    """
    wanted = set(OverlapKind) if kinds is None else set(kinds)
    judged = set(OverlapVerdict) if verdicts is None else set(verdicts)
    selected = [
        overlap
        for overlap in overlaps
        if wanted & set(overlap.kinds)
        and overlap.verdict in judged
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


def _with_identities(links: Links, overlaps: Iterable[Overlap]) -> list[Overlap]:
    """The overlaps with their subjects' identities (`graph.identity.SubjectIdentities`), which their
    ids are made of."""
    identities = SubjectIdentities(links)
    return [replace(overlap, identities=identities.all(overlap.subjects)) for overlap in overlaps]


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
    level: str = ""  # of government, as the item's list gives it (市级, 县级); "" for functions and workbooks
    block: tuple[str, str, str] = ("", "", "")  # `_block` of the subject, set once it is made


def _subjects(links: Links) -> dict[str, _Subject]:
    """Every item held by a department and every function of one, with what they are compared by."""
    subjects: dict[str, _Subject] = {}
    held = links.out(EdgeKind.HELD_BY)
    government_of = links.government_of
    for item in links.nodes(NodeKind.POWER_ITEM).values():
        edges = held.get(item.id)
        if not edges:
            continue
        # most items name one department; the order of several is the list's (`departments_of_item`)
        departments = [edges[0].target] if len(edges) == 1 else links.departments_of_item(item.id)
        props = item.props
        sub = props.get("sub_item")
        name = f"{props['name']}（{sub}）" if sub else str(props["name"])
        subjects[item.id] = _Subject(
            item.id,
            NodeKind.POWER_ITEM,
            name,
            departments,
            government_of.get(departments[0], ""),
            str(props["power_type"]),
            level=str(props.get("level") or ""),
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
            government_of.get(department, ""),
        )
    for subject in subjects.values():
        subject.block = _block(subject)
    return subjects


def _block(subject: _Subject) -> tuple[str, str, str]:
    """What a subject is compared within: its government, its level of government, and its power type
    (`职能` for a function). Items of two levels of one government are a division between levels."""
    return (subject.government, subject.level, subject.power_type or FUNCTION_KIND)


def _department_name(links: Links, department: str) -> str:
    node = links.node(NodeKind.DEPARTMENT, department)
    return str(node["name"]) if node else department


def _same_items(links: Links, subjects: dict[str, _Subject]) -> Iterable[_Evidence]:
    groups: dict[tuple[str, ...], list[_Subject]] = defaultdict(list)
    for subject in subjects.values():
        if subject.kind is NodeKind.POWER_ITEM:
            groups[(*subject.block, normalize(subject.name))].append(subject)
    for (_, _, power_type, _), members in groups.items():
        if len(members) < 2 or len({m.departments[0] for m in members}) < 2:
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
    cites = links.out(EdgeKind.CITES)
    # per block (government, level, power type): the departments citing each article and the items
    # citing it, and the departments citing any
    citing: dict[tuple[str, str, str], dict[str, set[str]]] = defaultdict(dict)
    cited_by: dict[tuple[str, str, str], dict[str, list[_Subject]]] = defaultdict(dict)
    departments_of: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for subject in subjects.values():
        edges = cites.get(subject.id) if subject.kind is NodeKind.POWER_ITEM else None
        if not edges:
            continue
        subject.articles = {e.target for e in edges if e.target.startswith("article:")}
        if not subject.articles:
            continue
        by_article, items = citing[subject.block], cited_by[subject.block]
        for article in subject.articles:
            departments = by_article.get(article)
            if departments is None:
                by_article[article] = set(subject.departments)
                items[article] = [subject]
            else:
                departments.update(subject.departments)
                items[article].append(subject)
        departments_of[subject.block].update(subject.departments)
    # candidate pairs: items of one block sharing a rare article; each pair scored once
    seen: set[tuple[str, str]] = set()
    for block, by_article in citing.items():
        count = len(departments_of[block])
        for article, departments in by_article.items():
            if len(departments) < 2 or len(departments) > max(2, int(rare_share * count)):
                continue  # an article one department alone cites pairs none of its items
            for a, b in combinations(sorted(cited_by[block][article], key=_subject_id), 2):
                if (a.id, b.id) in seen or set(a.departments) & set(b.departments):
                    continue
                seen.add((a.id, b.id))
                yield from _basis_pair(links, a, b, by_article, count, threshold)


def _subject_id(subject: _Subject) -> str:
    return subject.id


def _basis_pair(
    links: Links, a: _Subject, b: _Subject, citing: dict[str, set[str]], count: int, threshold: float
) -> Iterable[_Evidence]:
    """The SHARED_BASIS evidence of two items of one block when their articles' weighted Jaccard reaches
    `threshold`: an article weighs its smoothed idf among the `count` departments of the block citing
    any, log((count + 1) / departments citing it), so that one every department cites weighs a little,
    never nothing; `citing` gives the departments citing each article of the block."""
    weigh = {x: math.log((count + 1) / len(citing[x])) for x in a.articles | b.articles}
    shared = a.articles & b.articles
    score = round(sum(weigh[x] for x in shared) / sum(weigh.values()), 4)
    if score < threshold:
        return
    rare = sorted(shared, key=lambda x: (-weigh[x], x))
    rarest = "；".join(
        f"{_article_label(links, x)}（{count}个部门中{len(citing[x])}个引用）" for x in rare[:3]
    )
    yield _Evidence(
        OverlapKind.SHARED_BASIS,
        (a.id, b.id),
        tuple(sorted({*a.departments, *b.departments})),
        score,
        f"共同依据（{score:.2f}）：两项{a.power_type}事项都引用{rarest}",
        articles=tuple(rare),
    )


def _article_label(links: Links, article: str) -> str:
    node = links.node(NodeKind.ARTICLE, article)
    law = links.node(NodeKind.LAW, links.first_target(article, EdgeKind.ARTICLE_OF) or "")
    return f"《{law['name'] if law else '?'}》{node.get('label', '') if node else article}"


def _similar_text(
    subjects: dict[str, _Subject], threshold: float, function_threshold: float
) -> Iterable[_Evidence]:
    """Items of one block (government, level, power type), or functions of one government, worded
    nearly alike: bigrams weighed by their rarity among the reference corpus's texts of that power type
    (or of functions) and all the loaded ones (`graph.similarity`). Functions are compared at their
    own threshold: a 三定 duty is long and told in set phrases (负责全市…工作), so that two wordings of one
    duty differ in many rare junctions of words (`DEFAULT_FUNCTION_THRESHOLD`)."""
    items: list[Text] = []
    functions: list[Text] = []
    for subject in subjects.values():
        government, level, kind = subject.block
        text = Text(subject.id, subject.name, f"{government}|{level}", subject.departments[0], kind)
        (functions if subject.kind is NodeKind.FUNCTION else items).append(text)
    pairs = sorted(
        (*similar_pairs(items, threshold), *similar_pairs(functions, function_threshold)),
        key=lambda pair: (-pair.score, pair.a, pair.b),
    )
    for pair in pairs:
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


def _with_verdicts(links: Links, subjects: dict[str, _Subject], overlaps: list[Overlap]) -> list[Overlap]:
    """Each overlap with its verdict, the general side of a boundary, and the reason as its last evidence."""
    cites = links.out(EdgeKind.CITES)
    fields = department_fields(links)
    items = links.nodes(NodeKind.POWER_ITEM)
    sub_items = {s: str(items[s]["sub_item"]) for o in overlaps for s in o.items if items[s].get("sub_item")}

    def side(subject: _Subject) -> Side:
        parts = {
            edge.target: tuple(str(part) for part in edge.props.get("paragraphs", ()) or ())
            for edge in cites.get(subject.id, ())
            if edge.target.startswith("article:")
        }
        work = tuple(f for d in subject.departments for f in fields.fields(d))
        return Side(
            subject.id,
            subject.name,
            subject.power_type,
            tuple(subject.departments),
            parts,
            work,
            subject.government,
            sub_items.get(subject.id),
        )

    names = {d: _department_name(links, d) for o in overlaps for d in o.departments}
    wanted = {subjects[s].government for o in overlaps for s in o.subjects}
    lists: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for subject in subjects.values():
        if subject.kind is NodeKind.POWER_ITEM and subject.government in wanted:
            for department in subject.departments:
                lists[subject.government][department].append(subject.name)
    judgements = judge_overlaps(
        [tuple(side(subjects[s]) for s in o.subjects) for o in overlaps], names, lists
    )
    del lists
    return [
        replace(
            overlap,
            verdict=judgement.verdict,
            general=judgement.general,
            reason=judgement.reason,
            evidence=(*overlap.evidence, judgement.reason) if judgement.reason else overlap.evidence,
        )
        for overlap, judgement in zip(overlaps, judgements, strict=True)
    ]


def _with_clusters(overlaps: list[Overlap]) -> list[Overlap]:
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def layer(overlap: Overlap) -> str:
        return "divided|" if overlap.verdict is OverlapVerdict.DIVIDED else ""

    for overlap in overlaps:
        first, *rest = (layer(overlap) + subject for subject in overlap.subjects)
        for other in rest:
            a, b = find(first), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return [
        replace(
            overlap,
            cluster="cluster:"
            + hashlib.sha1(find(layer(overlap) + overlap.subjects[0]).encode()).hexdigest()[:12],
        )
        for overlap in overlaps
    ]
