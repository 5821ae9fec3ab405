"""The GraphQL types of the ledger: reviews of findings, editions and their diff, and the mutation that
records a review (shared/spec/graphql.md, "Added"; shared/spec/ledger.md).

Each type wraps a record of `graph.ledger`. A review's reviewer and note are for the staffing role and
above (`Grant.REVIEWS`): the public reads statuses, the published results, and gets `FORBIDDEN` on
those two fields. `reviewFinding` refuses, before anything is written, a caller who may not review
(`FORBIDDEN`), a finding the current answers do not hold (`NOT_FOUND`) and a review the rules of the
statuses refuse (`BAD_USER_INPUT`, with the ledger's message); it answers once the ledger has the
review on disk.

    mutation { reviewFinding(id: "overlap:1a2b3c4d5e6f", status: CONFIRMED) { status at } }
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Annotated, TypeVar

import strawberry
from graphql import GraphQLError

from api.cache import Analyses
from api.context import Context, Info
from api.roles import Grant, Role, requires
from api.types.entities import Department
from api.types.paging import MAX_PAGE_SIZE
from api.types.properties import described_enum
from graph import ledger
from graph.analyses import trace
from graph.analyses.trace import CaseTrace
from graph.ledger import FindingKind, ReviewStatus, finding_kind

__all__ = [
    "Edition",
    "EditionDiff",
    "ItemChange",
    "ItemSnapshot",
    "Review",
    "ReviewMutation",
    "edition_diff",
    "editions",
    "ledger_reviews",
    "review_of",
]

described_enum(
    ReviewStatus,
    "ReviewStatus",
    "Where a finding stands: OPEN (not decided: no review needed), CONFIRMED, DISMISSED (with a "
    "note saying why), RECTIFYING (with a deadline), and, set only by the load of an edition, RECTIFIED "
    "(gone) and REOPENED (back after it was rectified).",
    {
        "OPEN": "Not decided yet: every finding starts so, without a review.",
        "CONFIRMED": "A reviewer holds it a real problem.",
        "DISMISSED": "A reviewer holds it no problem; the note says why.",
        "RECTIFYING": "Being put right, by the review's deadline.",
        "RECTIFIED": "Gone from the answers after the load of an edition (set by the load only).",
        "REOPENED": "Back in the answers after it was rectified (set by the load only).",
    },
)
described_enum(
    FindingKind,
    "FindingKind",
    "The kinds of finding, by the prefix of their ids: OVERLAP, GAP, SPLIT (approvals), "
    "FINDING (of a case trace), WARNING, TRANSFER (a supervision transfer).",
    {
        "OVERLAP": "An overlap of functions or powers (`overlap:…`).",
        "GAP": "A gap (`gap:…`).",
        "SPLIT": "A split approval (`split:…`).",
        "FINDING": "A finding of a case trace (`finding:…`; investigator role).",
        "WARNING": "A warning (`warning:…`; staffing role).",
        "TRANSFER": "A matter due for transfer to the supervision department (`transfer:…`; investigator "
        "role).",
    },
)

#: the items of an edition diff's list in a page, when the query does not say (`first`)
DIFF_PAGE = MAX_PAGE_SIZE
_First = Annotated[
    int, strawberry.argument(description=f"How many at most, 0 to {MAX_PAGE_SIZE}; default {DIFF_PAGE}.")
]
_Offset = Annotated[int, strawberry.argument(description="How many to skip from the first.")]
T = TypeVar("T")

#: what a role must be granted to read reviews of each kind of finding (beyond `Grant.REVIEWS`)
_READ_GRANTS: dict[FindingKind, Grant] = {
    FindingKind.WARNING: Grant.STAFFING,
    FindingKind.FINDING: Grant.CASES,
    FindingKind.TRANSFER: Grant.CASES,
}


@strawberry.type(
    description="A decision on a finding, by a person or by the load of an edition (`edition` set, no "
    "reviewer). The reviewer and the note are not for the public role."
)
class Review:
    review: strawberry.Private[ledger.Review]

    @strawberry.field(description="The id of the finding reviewed (`overlap:…`, `gap:…` …).")
    def finding_id(self) -> strawberry.ID:
        return strawberry.ID(self.review.finding_id)

    @strawberry.field(description="The kind of the finding, from its id.")
    def kind(self) -> FindingKind:
        return finding_kind(self.review.finding_id)

    @strawberry.field(description="The status this review set.")
    def status(self) -> ReviewStatus:
        return self.review.status

    @strawberry.field(permission_classes=requires(Grant.REVIEWS), description="Why (needed to dismiss).")
    def note(self) -> str | None:
        return self.review.note

    @strawberry.field(
        permission_classes=requires(Grant.REVIEWS),
        description="The name configured for the reviewer's token; null for a load's review, or a token "
        "configured without a name.",
    )
    def reviewer(self) -> str | None:
        return self.review.reviewer

    @strawberry.field(description="When it was recorded (ISO 8601 with the offset).")
    def at(self) -> datetime:
        return self.review.at

    @strawberry.field(description="The day a RECTIFYING finding is to be fixed by.")
    def deadline(self) -> date | None:
        return self.review.deadline

    @strawberry.field(description="RECTIFYING and its deadline before today.")
    def overdue(self, info: Info) -> bool:
        return _overdue(self.review, info.context.today)

    @strawberry.field(
        description="The departments the finding names in the current answers (none for a finding gone "
        "from them, such as a RECTIFIED one): what a list of reviews shows it by."
    )
    def departments(self, info: Info) -> list[Department]:
        context = info.context
        kind = finding_kind(self.review.finding_id)
        if kind is FindingKind.FINDING:
            ids = _case_finding_departments(context, self.review.finding_id, {}) or ()
        else:
            ids = context.cache.finding_departments(kind, context.today).get(self.review.finding_id, ())
        nodes = context.loaders.nodes(list(ids))
        return [Department.of(node) for node in nodes if node is not None]

    @strawberry.field(description="The edition whose load set this review (RECTIFIED, REOPENED).")
    def edition(self) -> str | None:
        return self.review.edition

    @strawberry.field(description="Every review of the finding, oldest first (this one among them).")
    def history(self, info: Info) -> list[Review]:
        return [Review(review=review) for review in info.context.reviews.history(self.review.finding_id)]


def review_of(context: Context, finding_id: str) -> Review | None:
    """The finding's current review (null when it was never reviewed: its status is OPEN)."""
    found = context.reviews.current(finding_id)
    return Review(review=found) if found else None


@strawberry.type(description="A load recorded in the ledger: a published edition of the lists.")
class Edition:
    edition: strawberry.Private[ledger.Edition]

    @strawberry.field(description="Its label, as the load named it (`editionDiff` takes it).")
    def label(self) -> str:
        return self.edition.label

    @strawberry.field(description="When it was loaded (ISO 8601 with the offset).")
    def loaded_at(self) -> datetime:
        return self.edition.loaded_at

    @strawberry.field(description="The names of the files it was read from.")
    def sources(self) -> list[str]:
        return [source.name for source in self.edition.sources]

    @strawberry.field(description="The SHA-256 digests of those files, in the same order.")
    def digests(self) -> list[str]:
        return [source.sha256 for source in self.edition.sources]

    @strawberry.field(description="How many power items it lists.")
    def items(self) -> int:
        return self.edition.items


@strawberry.type(description="A power item as one edition lists it.")
class ItemSnapshot:
    item: strawberry.Private[ledger.ItemSnapshot]

    @strawberry.field(description="事项编码 as the edition lists it.")
    def code(self) -> str:
        return self.item.code

    @strawberry.field(description="权力名称 as the edition lists it.")
    def name(self) -> str:
        return self.item.name

    @strawberry.field(description="One of the ten power types, e.g. 行政许可.")
    def power_type(self) -> str:
        return self.item.power_type

    @strawberry.field(description="子项; null for an item without sub-items.")
    def sub_item(self) -> str | None:
        return self.item.sub_item

    @strawberry.field(description="The names of the departments holding it.")
    def departments(self) -> list[str]:
        return list(self.item.departments)

    @strawberry.field(description="Its legal basis, as the list states it.")
    def basis(self) -> str | None:
        return self.item.basis

    @strawberry.field(description="The government whose list holds it.")
    def government(self) -> str | None:
        return self.item.government

    @strawberry.field(description="Whether the reader made the code from the list's 序号 (no real code).")
    def code_made(self) -> bool:
        return self.item.code_made


@strawberry.type(description="An item both editions list, and the fields whose values differ.")
class ItemChange:
    change: strawberry.Private[ledger.ItemChange]

    @strawberry.field(description="事项编码 of the item.")
    def code(self) -> str:
        return self.change.code

    @strawberry.field(description="camelCase, as ItemSnapshot names them (name, basis, departments …).")
    def fields(self) -> list[str]:
        return [_camel(name) for name in self.change.fields]

    @strawberry.field(description="The item as the earlier edition lists it.")
    def before(self) -> ItemSnapshot:
        return ItemSnapshot(item=self.change.before)

    @strawberry.field(description="The item as the later edition lists it.")
    def after(self) -> ItemSnapshot:
        return ItemSnapshot(item=self.change.after)


@strawberry.type(description="What changed from one edition to another: items, and findings.")
class EditionDiff:
    diff: strawberry.Private[ledger.EditionDiff]

    @strawberry.field(name="from", description="The label of the earlier edition.")
    def from_label(self) -> str:
        return self.diff.from_label

    @strawberry.field(name="to", description="The label of the later edition.")
    def to_label(self) -> str:
        return self.diff.to_label

    @strawberry.field(description="The items the later edition adds, a page of them (`addedCount` in all).")
    def added(self, first: _First = DIFF_PAGE, offset: _Offset = 0) -> list[ItemSnapshot]:
        return [ItemSnapshot(item=item) for item in _page(self.diff.added, first, offset)]

    @strawberry.field(description="The items the later edition no longer lists, a page of them.")
    def removed(self, first: _First = DIFF_PAGE, offset: _Offset = 0) -> list[ItemSnapshot]:
        return [ItemSnapshot(item=item) for item in _page(self.diff.removed, first, offset)]

    @strawberry.field(description="The items both list with fields that differ, a page of them.")
    def changed(self, first: _First = DIFF_PAGE, offset: _Offset = 0) -> list[ItemChange]:
        return [ItemChange(change=change) for change in _page(self.diff.changed, first, offset)]

    @strawberry.field(description="How many items the later edition adds.")
    def added_count(self) -> int:
        return len(self.diff.added)

    @strawberry.field(description="How many items it no longer lists.")
    def removed_count(self) -> int:
        return len(self.diff.removed)

    @strawberry.field(description="How many items changed.")
    def changed_count(self) -> int:
        return len(self.diff.changed)

    @strawberry.field(description="Findings of the later edition the earlier one did not have.")
    def findings_appeared(self) -> list[strawberry.ID]:
        return [strawberry.ID(finding) for finding in self.diff.findings_appeared]

    @strawberry.field(description="Findings of the earlier edition gone from the later one.")
    def findings_resolved(self) -> list[strawberry.ID]:
        return [strawberry.ID(finding) for finding in self.diff.findings_resolved]


@strawberry.type
class ReviewMutation:
    @strawberry.mutation(
        description="Record a review of a finding of the current answers. OVERLAP, GAP and SPLIT findings "
        "are reviewed by the staffing role, a case's findings by the investigator role, any by admin; "
        "DISMISSED needs a note; RECTIFYING takes a deadline (default 30 days on); RECTIFIED and REOPENED "
        "are set only by the load of an edition. The reviewer is the name configured for the token."
    )
    def review_finding(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The finding's id (`overlap:…` …).")],
        status: Annotated[ReviewStatus, strawberry.argument(description="The status it is given.")],
        note: Annotated[
            str | None, strawberry.argument(description="Why, in Chinese; needed to dismiss.")
        ] = None,
        deadline: Annotated[
            date | None,
            strawberry.argument(description="RECTIFYING only: the day to fix it by (default 30 days on)."),
        ] = None,
    ) -> Review:
        context = info.context
        finding_id = str(id)
        _check_reviewer(context.role, finding_id)
        _check_found(context, finding_id)
        try:
            made = context.reviews.require().review(
                finding_id,
                status,
                role=context.role.value,
                reviewer=context.reviewer,
                note=note,
                deadline=deadline,
            )
        except ledger.InvalidReview as error:  # the role was checked above: the rules of the statuses
            raise _error(str(error), "BAD_USER_INPUT") from None
        context.reviews.written(made)
        return Review(review=made)


def ledger_reviews(
    context: Context,
    statuses: Iterable[ReviewStatus] | None,
    kinds: Iterable[FindingKind] | None,
    department: str | None,
    overdue: bool | None,
) -> list[Review]:
    """The current reviews of the ledger the caller may read (`_visible_kinds`), filtered, sorted by
    finding id (so that a page's cursor keeps its place while reviews are written). A department
    filter (a department's id) keeps the findings of the current answers that name it (a finding gone
    from them, such as a RECTIFIED one, names no department any more)."""
    wanted = _visible_kinds(context.role) & (set(kinds) if kinds else set(FindingKind))
    chosen = set(statuses) if statuses else None
    listed = context.reviews.listed()
    departments_of = _departments_of(context, wanted, listed) if department is not None else {}
    found = []
    for finding_id, review in sorted(listed.items()):
        if finding_kind(finding_id) not in wanted or (chosen is not None and review.status not in chosen):
            continue
        if department is not None and department not in departments_of.get(finding_id, ()):
            continue
        if overdue is not None and _overdue(review, context.today) != overdue:
            continue
        found.append(Review(review=review))
    return found


def _page(items: Sequence[T], first: int, offset: int) -> Sequence[T]:
    """`first` of `items` from `offset`; BAD_USER_INPUT for a page out of bounds."""
    if not 0 <= first <= MAX_PAGE_SIZE or offset < 0:
        raise _error(f"first must be between 0 and {MAX_PAGE_SIZE}, offset 0 or more", "BAD_USER_INPUT")
    return items[offset : offset + first]


def _visible_kinds(role: Role) -> set[FindingKind]:
    """The kinds of finding whose reviews a role may list: those it may see the findings of."""
    return {kind for kind in FindingKind if role.may(_READ_GRANTS.get(kind, Grant.REVIEWS))}


# the callers' roles as the GraphQL enum `AccessRole`
described_enum(
    Role,
    "AccessRole",
    "What a caller's token lets it see (not the `StageRole` of an approval stage).",
    {
        "PUBLIC": "No token: the published lists and the findings on them, never a person's name.",
        "STAFFING": "Adds persons, holdings, quotas, staffing gaps, scorecards and reviews.",
        "INVESTIGATOR": "Adds cases, traces and accountability records.",
        "ADMIN": "Everything, and loading data.",
    },
)


@strawberry.type(description="Who is asking: the role of the caller's token, and what it may review.")
class Viewer:
    role: Role = strawberry.field(description="The role of the caller's token (PUBLIC without one).")
    name: str | None = strawberry.field(
        description="The name configured for the caller's token: the reviewer its reviews record (null "
        "without a token, or for a token configured without one)."
    )
    reviews: list[FindingKind] = strawberry.field(
        description="The kinds of finding the caller may review (none for the public)."
    )


def viewer(context: Context) -> Viewer:
    """The caller as its token makes it."""
    kinds = [kind for kind in FindingKind if context.role.value in ledger.REVIEWERS[kind]]
    return Viewer(role=context.role, name=context.reviewer, reviews=kinds)


def review_by_id(context: Context, finding_id: str) -> Review | None:
    """The current review of one finding (null when never reviewed): FORBIDDEN for a role that may not
    list that kind's reviews, NOT_FOUND for an id of no known kind."""
    try:
        kind = finding_kind(finding_id)
    except ledger.InvalidReview as error:
        raise _error(str(error), "NOT_FOUND") from None
    if kind not in _visible_kinds(context.role):
        raise _error(
            f"FORBIDDEN: the role {context.role.value} may not read reviews of {kind.value} findings",
            "FORBIDDEN",
        )
    return review_of(context, finding_id)


def editions(context: Context) -> list[Edition]:
    """The editions recorded, in the order they were (none without a ledger)."""
    if context.reviews.ledger is None:
        return []
    return [Edition(edition=edition) for edition in context.reviews.require().editions()]


def edition_diff(context: Context, from_label: str, to_label: str) -> EditionDiff:
    """The diff of two recorded editions; `NOT_FOUND` naming the labels recorded for another."""
    try:
        return EditionDiff(diff=context.reviews.require().edition_diff(from_label, to_label))
    except ledger.UnknownEdition as error:
        raise _error(str(error), "NOT_FOUND") from None


def _check_reviewer(role: Role, finding_id: str) -> None:
    """FORBIDDEN for a role that may review nothing, or not this kind of finding."""
    if not any(role.value in roles for roles in ledger.REVIEWERS.values()):
        raise _error("FORBIDDEN: reviews are for the roles staffing, investigator and admin", "FORBIDDEN")
    try:
        ledger.check_reviewer(role.value, finding_id)
    except ledger.ReviewForbidden as error:
        raise _error(f"FORBIDDEN: {error}", "FORBIDDEN") from None
    except ledger.InvalidReview as error:  # an id of no known kind
        raise _error(str(error), "NOT_FOUND") from None


def _check_found(context: Context, finding_id: str) -> None:
    """NOT_FOUND unless the current answers hold the finding. The analyses are waited for here (within
    the request's deadline) rather than deferred: a deferred request runs again once they are
    computed, and a mutation must not run twice."""
    assert context.analyses is not None
    kind = finding_kind(finding_id)
    if kind is FindingKind.FINDING:
        found = _case_finding_departments(context, finding_id, {}) is not None
    else:
        analyses = Analyses(context.analyses, context.deadline)
        found = finding_id in analyses.finding_departments(kind, context.today)
    if not found:
        raise _not_found(finding_id, f"the current answers hold no {kind.value} finding with this id")


def _case_finding_departments(
    context: Context, finding_id: str, traces: dict[str, CaseTrace | None]
) -> tuple[str, ...] | None:
    """The departments of the stages of the case a trace finding is about, when tracing the case
    finds it (`finding:<case id>:<steps>:<kind>`); None when it does not. `traces` keeps the cases
    traced, by case id, for the next finding of the same case."""
    case_id = finding_id.removeprefix(f"{FindingKind.FINDING.value}:").rsplit(":", 2)[0]
    if case_id not in traces:
        context.check()
        traces[case_id] = (
            trace.trace_case(context.reader, case_id, idle_tolerance=context.idle_tolerance)
            if case_id.startswith("case:")
            else None
        )
    found = traces[case_id]
    if found is None or all(finding.id != finding_id for finding in found.findings):
        return None
    return tuple(sorted({stage.department for stage in found.stages if stage.department}))


def _departments_of(
    context: Context, kinds: set[FindingKind], reviewed: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """The department ids of the current answers' findings of these kinds, by finding id (of a case's
    findings, those `reviewed`: each of their cases is traced once)."""
    found: dict[str, tuple[str, ...]] = {}
    for kind in kinds:
        found.update(context.cache.finding_departments(kind, context.today))
    if FindingKind.FINDING in kinds:
        traces: dict[str, CaseTrace | None] = {}
        for finding_id in reviewed:
            if finding_kind(finding_id) is FindingKind.FINDING:
                departments = _case_finding_departments(context, finding_id, traces)
                if departments is not None:
                    found[finding_id] = departments
    return found


def _overdue(review: ledger.Review, today: date) -> bool:
    return (
        review.status is ReviewStatus.RECTIFYING and review.deadline is not None and review.deadline < today
    )


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def _not_found(finding_id: str, why: str) -> GraphQLError:
    return _error(f"no finding {finding_id!r}: {why}", "NOT_FOUND")


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
