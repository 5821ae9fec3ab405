"""The GraphQL types of the analyses' findings: overlaps, clusters, the matrix, gaps, split approvals.

Each wraps one finding of `graph.analyses` and resolves the nodes it names
through the request's loaders; an overlap, a gap and a split approval carry their current review
(null when never reviewed) and `reviewStatus`, OPEN then, so that a view shows a status on every
finding without telling "never reviewed" from a missing field. Each implements `Node`: `node(id:)`
finds it again by its id (`api.types.lookup`); a gap's subject is a `Node` too.
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from api.context import Info
from api.types import indexes
from api.types.entities import Department, Function, PowerItem
from api.types.identified import Identified
from api.types.laws import LawArticle, law_articles
from api.types.nodes import entity_by_id
from api.types.reviews import Review, review_of
from graph.analyses import gaps, overlaps, splits
from graph.analyses.overlaps import Cluster
from graph.ledger import ReviewStatus

__all__ = [
    "DepartmentPairCount",
    "Evidence",
    "Gap",
    "GapNotComputed",
    "Overlap",
    "OverlapCluster",
    "OverlapScore",
    "SplitApproval",
]


@strawberry.type(description="The score of one kind of evidence of an overlap.")
class OverlapScore:
    kind: overlaps.OverlapKind = strawberry.field(description="The kind of evidence.")
    score: float = strawberry.field(description="Its score, 0 to 1.")


@strawberry.type(description="Two subjects (or one joint item) of several departments, and why.")
class Overlap(Identified):
    overlap: strawberry.Private[overlaps.Overlap]

    @strawberry.field(description="Stable: a digest of its subjects' identities; `node(id:)` finds it.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.overlap.id)

    @strawberry.field(description="The kinds of evidence found, strongest first.")
    def kinds(self) -> list[overlaps.OverlapKind]:
        return list(self.overlap.kinds)

    @strawberry.field(description="The kinds' scores combined as independent evidence: 1 − Π(1 − s).")
    def score(self) -> float:
        return self.overlap.score

    @strawberry.field(description="The score of each kind of evidence.")
    def scores(self) -> list[OverlapScore]:
        return [OverlapScore(kind=kind, score=score) for kind, score in self.overlap.scores]

    @strawberry.field(description="The departments the subjects belong to.")
    def departments(self, info: Info) -> list[Department]:
        return _departments(info, self.overlap.departments)

    @strawberry.field(description="The power items that overlap (none for two functions).")
    def items(self, info: Info) -> list[PowerItem]:
        nodes = info.context.loaders.nodes(list(self.overlap.items))
        return [PowerItem.of(node) for node in nodes if node is not None]

    @strawberry.field(description="The functions (职能) that overlap (none for two items).")
    def functions(self, info: Info) -> list[Function]:
        nodes = info.context.loaders.nodes(list(self.overlap.functions))
        return [Function.of(node) for node in nodes if node is not None]

    @strawberry.field(description="Why it was raised, one sentence per kind of evidence.")
    def evidence(self) -> list[str]:
        return list(self.overlap.evidence)

    @strawberry.field(description="The phrases two similar texts share.")
    def shared_words(self) -> list[str]:
        return list(self.overlap.shared_words)

    @strawberry.field(description="The articles two items share, rarest first.")
    def shared_articles(self, info: Info) -> list[LawArticle]:
        nodes = info.context.loaders.nodes(list(self.overlap.shared_articles))
        return law_articles(info, nodes)

    @strawberry.field(
        description="The id of the cluster of overlaps this one belongs to.",
        deprecation_reason="use overlapCluster { id }; removed in the next release",
    )
    def cluster(self) -> str:
        return self.overlap.cluster

    @strawberry.field(
        description="The cluster of overlaps this one belongs to: every overlap linked to it through "
        "shared items or functions, of every verdict of its side (divisions, DIVIDED, are clustered apart)."
    )
    def overlap_cluster(self, info: Info) -> OverlapCluster:
        return OverlapCluster(cluster=indexes.clusters_by_id(info.context)[self.overlap.cluster])

    @strawberry.field(description="What the overlap is: whether the office must act on it.")
    def verdict(self) -> overlaps.OverlapVerdict:
        return self.overlap.verdict

    @strawberry.field(
        description="For BOUNDARY between two items: the item that names no sector, whose list should "
        "state its boundary; null otherwise."
    )
    def general(self, info: Info) -> PowerItem | None:
        general = self.overlap.general
        if general is None or general not in self.overlap.items:
            return None
        found = info.context.loaders.nodes([general])
        return PowerItem.of(found[0]) if found else None

    @strawberry.field(
        description="For BOUNDARY between two functions: the function that names no sector, whose "
        "department should state its boundary; null otherwise."
    )
    def general_function(self, info: Info) -> Function | None:
        general = self.overlap.general
        if general is None or general not in self.overlap.functions:
            return None
        found = info.context.loaders.nodes([general])
        return Function.of(found[0]) if found else None

    @strawberry.field(description="Why the verdict, in Chinese (also the last sentence of `evidence`).")
    def reason(self) -> str:
        return self.overlap.reason

    @strawberry.field(description="The current review; null when never reviewed (the status is OPEN).")
    def review(self, info: Info) -> Review | None:
        return review_of(info.context, self.overlap.id)

    @strawberry.field(description="The current review's status; OPEN when never reviewed.")
    def review_status(self, info: Info) -> ReviewStatus:
        return info.context.reviews.status(self.overlap.id)


@strawberry.type(description="Overlaps linked through shared items or functions.")
class OverlapCluster(Identified):
    cluster: strawberry.Private[Cluster]

    @strawberry.field(description="Stable while its overlaps are; `node(id:)` finds it.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.cluster.id)

    @strawberry.field(description="Every department of its overlaps.")
    def departments(self, info: Info) -> list[Department]:
        return _departments(info, self.cluster.departments)

    @strawberry.field(description="Every power item of its overlaps.")
    def items(self, info: Info) -> list[PowerItem]:
        nodes = info.context.loaders.nodes(list(self.cluster.items))
        return [PowerItem.of(node) for node in nodes if node is not None]

    @strawberry.field(description="Every function of its overlaps.")
    def functions(self, info: Info) -> list[Function]:
        nodes = info.context.loaders.nodes(list(self.cluster.functions))
        return [Function.of(node) for node in nodes if node is not None]

    @strawberry.field(description="The overlaps in it, highest score first.")
    def overlaps(self, info: Info) -> list[Overlap]:
        by_id = indexes.overlaps_by_id(info.context)
        found = sorted((by_id[i] for i in self.cluster.overlaps), key=lambda o: (-o.score, o.id))
        info.context.loaders.expect(i for o in found for i in (*o.departments, *o.items, *o.functions))
        info.context.reviews.expect(overlap.id for overlap in found)
        return [Overlap(overlap=overlap) for overlap in found]

    @strawberry.field(description="The ids of the overlaps in it, sorted.")
    def overlap_ids(self) -> list[strawberry.ID]:
        return [strawberry.ID(overlap) for overlap in self.cluster.overlaps]

    @strawberry.field(description="How many overlaps it holds.")
    def overlap_count(self) -> int:
        return len(self.cluster.overlaps)


@strawberry.type(description="How many overlaps two departments share.")
class DepartmentPairCount:
    a_id: strawberry.Private[str]
    b_id: strawberry.Private[str]
    count: int = strawberry.field(description="How many overlaps name both.")

    @strawberry.field(description="One of the two departments.")
    def a(self, info: Info) -> Department:
        return (_departments(info, [self.a_id]))[0]

    @strawberry.field(description="The other department.")
    def b(self, info: Info) -> Department:
        return (_departments(info, [self.b_id]))[0]


@strawberry.type(description="One piece of a gap's evidence: what it is and what the data says.")
class Evidence:
    label: str = strawberry.field(description="What the piece is, in Chinese (e.g. 法律依据).")
    value: str = strawberry.field(description="What the data says.")


@strawberry.type(description="A gap (缺位, 越位, 错位, a broken chain or a staffing problem).")
class Gap(Identified):
    gap: strawberry.Private[gaps.Gap]

    @strawberry.field(
        description="Stable: the kind and the identities of its subjects; `node(id:)` finds it."
    )
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.gap.id)

    @strawberry.field(description="The kind of gap.")
    def kind(self) -> gaps.GapKind:
        return self.gap.kind

    @strawberry.field(description="5 is the most serious.")
    def severity(self) -> int:
        return self.gap.severity

    @strawberry.field(description="The id of what the gap is about (an item, a function, a post …).")
    def subject_id(self) -> strawberry.ID:
        return strawberry.ID(self.gap.subject_id)

    @strawberry.field(
        description="What the gap is about, as a `Node` (`... on PowerItem { code }`); null when it is "
        "of a kind no `Node` type serves (a stage, a law); FORBIDDEN as its type is for the caller's role."
    )
    def subject(self, info: Info) -> Identified | None:
        return entity_by_id(info, self.gap.subject_id)

    @strawberry.field(description="The name of what the gap is about.")
    def subject_name(self) -> str:
        return self.gap.subject_name

    @strawberry.field(description="The department the gap is in; null for one of no department.")
    def department(self, info: Info) -> Department | None:
        if self.gap.department is None:
            return None
        found = _departments(info, [self.gap.department])
        return found[0] if found else None

    @strawberry.field(description="A sentence an officer can act on.")
    def detail(self) -> str:
        return self.gap.detail

    @strawberry.field(description="What the data says, piece by piece.")
    def evidence(self) -> list[Evidence]:
        return [Evidence(label=label, value=value) for label, value in self.gap.evidence]

    @strawberry.field(description="The current review; null when never reviewed (the status is OPEN).")
    def review(self, info: Info) -> Review | None:
        return review_of(info.context, self.gap.id)

    @strawberry.field(description="The current review's status; OPEN when never reviewed.")
    def review_status(self, info: Info) -> ReviewStatus:
        return info.context.reviews.status(self.gap.id)


@strawberry.type(
    description="A kind of gap not computed for this data, and why (the staffing kinds, without staffing data)."
)
class GapNotComputed:
    not_computed: strawberry.Private[gaps.NotComputed]

    @strawberry.field(description="The kind not computed.")
    def kind(self) -> gaps.GapKind:
        return self.not_computed.kind

    @strawberry.field(description="Why it was not computed (in Chinese, as the findings).")
    def reason(self) -> str:
        return self.not_computed.reason


@strawberry.type(description="An approval split over several departments.")
class SplitApproval(Identified):
    split: strawberry.Private[splits.SplitApproval]

    @strawberry.field(description="Stable: its kind and its items' identities; `node(id:)` finds it.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.split.id)

    @strawberry.field(description="How the approval is split.")
    def kind(self) -> splits.SplitKind:
        return self.split.kind

    @strawberry.field(description="The items; for a chain, the last approval first, then what it needs.")
    def items(self, info: Info) -> list[PowerItem]:
        nodes = info.context.loaders.nodes(list(self.split.items))
        return [PowerItem.of(node) for node in nodes if node is not None]

    @strawberry.field(description="By stages carried, most first.")
    def departments(self, info: Info) -> list[Department]:
        return _departments(info, self.split.departments)

    @strawberry.field(description="How many stages the approval has, over every department.")
    def stage_count(self) -> int:
        return self.split.stage_count

    @strawberry.field(description="The total stated limit in working days, when every limit is stated.")
    def total_days(self) -> int | None:
        return self.split.total_days

    @strawberry.field(description="The department carrying most stages (ties: the one that approves).")
    def lead_department(self, info: Info) -> Department | None:
        if self.split.lead_department is None:
            return None
        found = _departments(info, [self.split.lead_department])
        return found[0] if found else None

    @strawberry.field(
        description="Working days a single-department procedure would save on the stated limits."
    )
    def saved_days(self) -> int | None:
        return self.split.saved_days

    @strawberry.field(description="What the split is, in Chinese.")
    def detail(self) -> str:
        return self.split.detail

    @strawberry.field(description="The current review; null when never reviewed (the status is OPEN).")
    def review(self, info: Info) -> Review | None:
        return review_of(info.context, self.split.id)

    @strawberry.field(description="The current review's status; OPEN when never reviewed.")
    def review_status(self, info: Info) -> ReviewStatus:
        return info.context.reviews.status(self.split.id)


def _departments(info: Info, ids: Sequence[str]) -> list[Department]:
    nodes = info.context.loaders.nodes(list(ids))
    return [Department.of(node) for node in nodes if node is not None]
