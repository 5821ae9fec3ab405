"""The GraphQL schema of shared/spec/graphql.md: the `Query` type (and the `Mutation` of
`api.types.reviews`) and the built schema.

Resolvers are thin: they call `graph.queries` (and, for the analyses, the
functions of `graph.analyses`) over the request's reader and wrap the nodes.

    result = await SCHEMA.execute("{ departments { totalCount } }", context_value=Context(reader=store))
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache, lru_cache
from typing import Annotated, Any, ClassVar

import strawberry
from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, validate
from strawberry.extensions import DisableIntrospection, ParserCache, SchemaExtension, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from api.context import Info
from api.roles import Grant, requires
from api.types import reviews, scorecards
from api.types.cases import Case, CaseSort, search_cases
from api.types.entities import AccountabilityRecord, Department, PowerItem
from api.types.findings import (
    DepartmentPairCount,
    Gap,
    GapNotComputed,
    Overlap,
    OverlapCluster,
    SplitApproval,
)
from api.types.laws import LawArticle
from api.types.paging import Connection, paginate, paginate_ids, paginate_sorted
from api.types.reviews import Edition, EditionDiff, Review, ReviewMutation, Viewer
from api.types.scorecards import PAGE, Scorecard, ScoreMutation, Warning
from api.types.supervision import Transfer, transfers_of
from api.types.traces import AccountabilityCount, CaseTrace, StageResponsibility
from graph import analyses, ids, queries
from graph.analyses import trace
from graph.analyses.cases import CaseQuery
from graph.evaluation import WarningLevel
from graph.ledger import FindingKind, ReviewStatus
from loaders.mapping import parse_power_type
from ontology import EdgeKind

__all__ = ["SCHEMA", "Mutation", "Query", "build_schema", "print_schema"]

#: the overlaps' verdicts when a query names none (`analyses.DEFAULT_VERDICTS`, in the enum's order)
_DEFAULT_VERDICTS = [verdict for verdict in analyses.OverlapVerdict if verdict in analyses.DEFAULT_VERDICTS]


@strawberry.type
class Query:
    @strawberry.field(description="The departments, of one government and of one kind when given.")
    def departments(
        self,
        info: Info,
        government: str | None = None,
        kind: str | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[Department]:
        found = queries.list_departments(info.context.reader, government=government, kind=kind)
        info.context.loaders.seed(found)
        return paginate(found, lambda node: Department.of(node), first, after, deadline=info.context.deadline)

    @strawberry.field(description="One department by name, in either script; null if none or ambiguous.")
    def department(self, info: Info, name: str, government: str | None = None) -> Department | None:
        found = queries.find_department(info.context.reader, name, government)
        return Department.of(found) if found else None

    @strawberry.field(description="The power items, by department, power type and text (either script).")
    def power_items(
        self,
        info: Info,
        department: str | None = None,
        power_type: str | None = None,
        text: str | None = None,
        first: int | None = 50,
        after: str | None = None,
    ) -> Connection[PowerItem]:
        if power_type:
            known = parse_power_type(power_type)
            power_type = known.value if known else power_type
        reader = info.context.reader
        found = queries.power_item_ids(reader, department=department, power_type=power_type, text=text)
        info.context.check()
        return paginate_ids(found, info.context.loaders, lambda node: PowerItem.of(node), first, after)

    @strawberry.field(description="One power item by its code (and sub-item, when the code has several).")
    def power_item(self, info: Info, code: str, sub_item: str | None = None) -> PowerItem | None:
        found = queries.find_power_item(info.context.reader, code, sub_item)
        return PowerItem.of(found) if found else None

    @strawberry.field(description="The laws and articles the lists cite, each law followed by its articles.")
    def laws(self, info: Info, first: int | None = 50, after: str | None = None) -> Connection[LawArticle]:
        return paginate(
            queries.list_laws(info.context.reader),
            lambda pair: LawArticle.of(pair[0], pair[1]),
            first,
            after,
            key=lambda pair: (pair[1] or pair[0]).id,
            deadline=info.context.deadline,
        )

    @strawberry.field(description="Today's date as the service sees it (the default of every `at`).")
    def today(self, info: Info) -> date:
        return info.context.today

    # -- analyses --

    @strawberry.field(
        description="Overlapping functions and powers (职能交叉), highest score first: by default those the "
        "office must act on (OVERLAP and BOUNDARY); `verdicts` null or empty: every verdict."
    )
    def overlaps(
        self,
        info: Info,
        kinds: list[analyses.OverlapKind] | None = None,
        verdicts: list[analyses.OverlapVerdict] | None = _DEFAULT_VERDICTS,
        department: str | None = None,
        min_score: float | None = 0.0,
    ) -> list[Overlap]:
        department_id = _department_id(info, department)
        found = analyses.select_overlaps(
            info.context.cache.overlaps(),
            kinds=kinds or None,  # none given, or an empty list: every kind
            verdicts=verdicts or None,  # null, or an empty list: every verdict
            department=department_id,
            min_score=min_score or 0.0,
        )
        info.context.loaders.expect(i for o in found for i in (*o.departments, *o.items, *o.functions))
        info.context.reviews.expect(overlap.id for overlap in found)
        return [Overlap(overlap=overlap) for overlap in found]

    @strawberry.field(
        description="Department × department counts of the overlaps of `verdicts` (as `overlaps`), most first."
    )
    def overlap_matrix(
        self, info: Info, verdicts: list[analyses.OverlapVerdict] | None = _DEFAULT_VERDICTS
    ) -> list[DepartmentPairCount]:
        matrix = analyses.overlap_matrix(_overlaps_of(info, verdicts))
        info.context.loaders.expect(i for a, b, _ in matrix for i in (a, b))
        return [DepartmentPairCount(a_id=a, b_id=b, count=count) for a, b, count in matrix]

    @strawberry.field(
        description="The overlaps of `verdicts` (as `overlaps`) linked through shared items or functions, "
        "largest first. Divisions (DIVIDED) are clustered apart: one never links two tangles."
    )
    def overlap_clusters(
        self, info: Info, verdicts: list[analyses.OverlapVerdict] | None = _DEFAULT_VERDICTS
    ) -> list[OverlapCluster]:
        clusters = analyses.clusters_of(_overlaps_of(info, verdicts))
        info.context.loaders.expect(i for c in clusters for i in (*c.departments, *c.items, *c.functions))
        return [OverlapCluster(cluster=c) for c in clusters]

    @strawberry.field(
        description="Gaps on the date `at` (default today), most serious first. Staffing kinds (VACANT_POST, "
        "NO_HEAD, OVER_QUOTA, GHOST_PAYROLL, MIXED_QUOTA, CONCURRENT_POSTS) need the staffing role; without "
        "`kinds`, every kind the caller's role may see."
    )
    def gaps(
        self,
        info: Info,
        kinds: list[analyses.GapKind] | None = None,
        department: str | None = None,
        at: date | None = None,
    ) -> list[Gap]:
        context = info.context
        may_see_staffing = context.role.may(Grant.STAFFING)
        if kinds:
            forbidden = sorted(set(kinds) & analyses.STAFFING_KINDS)
            if forbidden and not may_see_staffing:
                raise _forbidden(f"{', '.join(forbidden)} are staffing gaps, for the staffing role and above")
            wanted = set(kinds)
        else:
            every = set(analyses.GapKind)
            wanted = every if may_see_staffing else every - analyses.STAFFING_KINDS
        department_id = _department_id(info, department)
        found = [
            gap
            for gap in context.cache.gaps(at or context.today)
            if gap.kind in wanted and (department_id is None or gap.department == department_id)
        ]
        context.loaders.expect(gap.department for gap in found if gap.department)
        context.reviews.expect(gap.id for gap in found)
        return [Gap(gap=gap) for gap in found]

    @strawberry.field(
        description="The kinds of gap `gaps` does not compute for this data, and why: the staffing kinds "
        "and NO_HEAD where the data has no posts, holdings or quotas at all (a folder of published lists). "
        "Of `kinds` when given, else of every kind the caller's role may see."
    )
    def gaps_not_computed(
        self,
        info: Info,
        kinds: list[analyses.GapKind] | None = None,
    ) -> list[GapNotComputed]:
        if kinds:
            wanted = set(kinds)  # that a kind was not computed is no staffing figure: any role may ask
        elif info.context.role.may(Grant.STAFFING):
            wanted = set(analyses.GapKind)
        else:
            wanted = set(analyses.GapKind) - analyses.STAFFING_KINDS
        found = analyses.gaps_not_computed(info.context.reader, wanted)
        return [GapNotComputed(not_computed=item) for item in found]

    @strawberry.field(description="Approvals split over several departments (多部门、多环节审批).")
    def split_approvals(self, info: Info, min_departments: int | None = 2) -> list[SplitApproval]:
        min_departments = 2 if min_departments is None else min_departments
        splits = info.context.cache.splits()
        found = [split for split in splits if len(split.departments) >= min_departments]
        info.context.loaders.expect(i for s in found for i in (*s.items, *s.departments))
        info.context.reviews.expect(split.id for split in found)
        return [SplitApproval(split=split) for split in found]

    # -- responsibility (investigator role) --

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Who answered for each stage of a case, as the posts were held then.",
    )
    def trace(self, info: Info, case_id: strawberry.ID) -> CaseTrace | None:
        found = trace.trace_case(
            info.context.reader, ids.case_id(str(case_id)), idle_tolerance=info.context.idle_tolerance
        )
        return CaseTrace(result=found) if found else None

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="The cases (办件) of a department (by name, either script), an item (code or id), a "
        "power type, accepted from/to (inclusive), an outcome (either script) and overdue or not; "
        "newest first, or by delay.",
    )
    def cases(
        self,
        info: Info,
        department: str | None = None,
        item: str | None = None,
        accepted_from: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
        outcome: str | None = None,
        overdue: bool | None = None,
        first: int | None = 50,
        after: str | None = None,
        power_type: str | None = None,
        sort: CaseSort = CaseSort.ACCEPTED,
    ) -> Connection[Case]:
        known = parse_power_type(power_type) if power_type else None
        query = CaseQuery(
            department=_department_id(info, department),
            item=item,
            power_type=known.value if known else power_type,
            accepted_from=accepted_from,
            accepted_to=to,
            outcome=outcome,
            overdue=overdue,
        )
        return search_cases(info, query, sort, first, after)

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Who answers for each stage of an item on the date `at` (default today).",
    )
    def responsibility(self, info: Info, item_code: str, at: date | None = None) -> list[StageResponsibility]:
        item = queries.find_power_item(info.context.reader, item_code)
        if item is None:
            raise GraphQLError(
                f"no power item with code {item_code!r}", extensions={"code": "BAD_USER_INPUT"}
            )
        info.context.check()
        chain = trace.responsibility(info.context.reader, item.id, at or info.context.today)
        return [StageResponsibility(stage=stage) for stage in chain]

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Accountability decisions (问责), of one "
        "department (where the person worked when decided) or one case when given.",
    )
    def accountability_records(
        self, info: Info, department: str | None = None, case_id: strawberry.ID | None = None
    ) -> list[AccountabilityRecord]:
        reader = info.context.reader
        wanted = trace.record_departments(reader)
        info.context.check()
        department_id = _department_id(info, department)
        if department_id is not None:
            wanted = {r: d for r, d in wanted.items() if d == department_id}
        if case_id is not None:
            case = ids.case_id(str(case_id))
            on_case = {e.source for e in reader.edges(target=case, kind=EdgeKind.RECORD_CASE)}
            wanted = {r: d for r, d in wanted.items() if r in on_case}
        info.context.check()
        return [AccountabilityRecord(node=n) for n in reader.nodes_by_id(sorted(wanted)) if n is not None]

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Accountability decisions counted by "
        "department, stage role, responsibility type and sanction (the seed's statistical analysis).",
    )
    def accountability_counts(self, info: Info) -> list[AccountabilityCount]:
        counts = trace.accountability_counts(info.context.reader)
        info.context.check()
        return [AccountabilityCount(counted=count) for count in counts]

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="The matters due for transfer to the supervision department on the date `at` (default "
        "today): two supervision notices or more to one department on one matter (of `department` when "
        "given). Each is a finding, reviewed with reviewFinding.",
    )
    def supervision_transfers(
        self, info: Info, department: str | None = None, at: date | None = None
    ) -> list[Transfer]:
        return transfers_of(info.context, department, at)

    # -- the ledger --

    @strawberry.field(
        permission_classes=requires(Grant.REVIEWS),
        description="The current reviews of the findings, by finding id: of `status`, of `kinds`, of "
        "findings of the current answers naming `department`, overdue rectifications or not. The staffing "
        "role lists every kind but a case's findings (FINDING, TRANSFER); investigator and admin, all.",
    )
    def ledger(
        self,
        info: Info,
        status: list[ReviewStatus] | None = None,
        department: str | None = None,
        first: int | None = 50,
        after: str | None = None,
        kinds: list[FindingKind] | None = None,
        overdue: bool | None = None,
    ) -> Connection[Review]:
        department_id = _department_id(info, department)
        found = reviews.ledger_reviews(info.context, status, kinds, department_id, overdue)
        info.context.reviews.expect(review.review.finding_id for review in found)
        return paginate_sorted(found, first, after, key=lambda review: review.review.finding_id)

    @strawberry.field(
        permission_classes=requires(Grant.REVIEWS),
        description="The current review of one finding, by its id (null when it was never reviewed: it is "
        "OPEN), with its history; the roles that may list the ledger read it, each the kinds it lists.",
    )
    def review(self, info: Info, finding_id: strawberry.ID) -> Review | None:
        return reviews.review_by_id(info.context, finding_id)

    @strawberry.field(description="Who is asking: the role of the caller's token and what it may review.")
    def viewer(self, info: Info) -> Viewer:
        return reviews.viewer(info.context)

    @strawberry.field(description="The editions recorded in the ledger, in the order they were loaded.")
    def editions(self, info: Info) -> list[Edition]:
        return reviews.editions(info.context)

    @strawberry.field(
        description="What changed from the edition `from` to `to`: items added, removed and changed, "
        "findings appeared and resolved."
    )
    def edition_diff(
        self,
        info: Info,
        from_label: Annotated[str, strawberry.argument(name="from")],
        to_label: Annotated[str, strawberry.argument(name="to")],
    ) -> EditionDiff:
        return reviews.edition_diff(info.context, from_label, to_label)

    # -- the evaluation (staffing role and above) --

    @strawberry.field(
        permission_classes=requires(Grant.STAFFING),
        description="A department's scorecard (by name or id) on the date `at` (default today), ranked "
        "among its government's departments; null for no such department. `template`, when given, must "
        "be the one its 机构类型 gives it.",
    )
    def scorecard(
        self,
        info: Info,
        department: str,
        government: str | None = None,
        at: date | None = None,
        template: str | None = None,
    ) -> Scorecard | None:
        return scorecards.scorecard_of(info.context, department, government, at, template)

    @strawberry.field(
        permission_classes=requires(Grant.STAFFING),
        description="The scorecards of every department (of one government when given) on the date `at`, "
        "each ranked in its government: by government, then best first; a page of them.",
    )
    def scorecards(
        self,
        info: Info,
        government: str | None = None,
        at: date | None = None,
        first: int = PAGE,
        offset: int = 0,
    ) -> list[Scorecard]:
        return scorecards.scorecards_of(info.context, government, at, first, offset)

    @strawberry.field(
        permission_classes=requires(Grant.STAFFING),
        description="The warnings on the date `at` (default today), of `levels` and about `department` when "
        "given: red first, then yellow and blue; a page of them. Each is a finding, reviewed with "
        "reviewFinding.",
    )
    def warnings(
        self,
        info: Info,
        levels: list[WarningLevel] | None = None,
        department: str | None = None,
        at: date | None = None,
        first: int = PAGE,
        offset: int = 0,
    ) -> list[Warning]:
        return scorecards.warnings_of(info.context, levels, department, at, first, offset)


@strawberry.type
class Mutation(ReviewMutation, ScoreMutation):
    """The writes: reviews of findings (`api.types.reviews`) and manual scores (`api.types.scorecards`)."""


def _overlaps_of(info: Info, verdicts: list[analyses.OverlapVerdict] | None) -> list[analyses.Overlap]:
    """The overlaps of `verdicts` (null or empty: every verdict), computed once per store version."""
    return analyses.select_overlaps(info.context.cache.overlaps(), verdicts=verdicts or None)


def _department_id(info: Info, name: str | None) -> str | None:
    if name is None:
        return None
    found = queries.find_department(info.context.reader, name)
    if found is None:
        raise scorecards.unknown_department(info.context, name)
    return found.id


def _forbidden(message: str) -> GraphQLError:
    return GraphQLError(f"FORBIDDEN: {message}", extensions={"code": "FORBIDDEN"})


class _Schema(strawberry.Schema):
    """The schema, quiet: errors are logged once by the service, with a request id and no query text."""

    def process_errors(self, errors: list[GraphQLError], execution_context: object = None) -> None:
        return None


class _Names(NameConverter):
    """Strawberry's names, but the contract's for the law connection (LawConnection, not LawArticleConnection)."""

    RENAMED: ClassVar[dict[str, str]] = {"LawArticleConnection": "LawConnection", "LawArticleEdge": "LawEdge"}

    def from_generic(self, generic_type: Any, types: list[Any]) -> str:
        name = super().from_generic(generic_type, types)
        return self.RENAMED.get(name, name)


class _WithoutSuggestions(SchemaExtension):
    """Validation as `ValidationCache` does it, but whose messages never suggest names ("Did you mean
    …?"): with introspection off, they would tell the schema's fields, arguments and types anyway."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = _validate_quietly(
            context.schema._schema, context.graphql_document, context.validation_rules
        )
        yield


@lru_cache(maxsize=512)
def _validate_quietly(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[type[ASTValidationRule], ...]
) -> list[GraphQLError]:
    rules = (*rules, MaybeNullValidationRule, OneOfInputValidationRule)  # strawberry's own, as it runs them
    return validate(schema, document, rules, hide_suggestions=True)


class _ExecutionWithoutSuggestions(StrawberryGraphQLCoreExecutionContext):
    """Execution whose errors (a variable's enum value misspelt …) never suggest names either."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        return super().build(*args, **{**kwargs, "hide_suggestions": True})


@cache
def build_schema(*, introspection: bool = True) -> strawberry.Schema:
    """The schema; without introspection (and without suggestions of names in its errors) for
    production services that want it off."""
    extensions: list[Any] = [
        # factories: a fresh extension per request, over module-level caches shared by every request
        lambda: ParserCache(maxsize=512),
    ]
    if introspection:
        extensions.append(lambda: ValidationCache(maxsize=512))
        return _Schema(
            query=Query,
            mutation=Mutation,
            extensions=extensions,
            config=StrawberryConfig(name_converter=_Names()),
        )
    extensions += [DisableIntrospection, _WithoutSuggestions]
    return _Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(name_converter=_Names()),
        execution_context_class=_ExecutionWithoutSuggestions,
    )


SCHEMA = build_schema()


def print_schema() -> str:
    """The schema in SDL, as kept in api/schema.graphql."""
    return SCHEMA.as_str() + "\n"


if __name__ == "__main__":  # python -m api.schema > api/schema.graphql
    import sys

    sys.stdout.write(print_schema())
