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
from api.types import arguments, reviews, scorecards
from api.types.cases import Case, CaseSort, search_cases
from api.types.counts import PowerTypeCount, power_type_counts, visible_gap_kinds
from api.types.entities import AccountabilityRecord, Department, DeprecatedRole, PowerItem
from api.types.findings import (
    DepartmentPairCount,
    Gap,
    GapNotComputed,
    Overlap,
    OverlapCluster,
    SplitApproval,
)
from api.types.identified import Identified
from api.types.indexes import item_types
from api.types.laws import LawArticle
from api.types.lookup import resolve_node
from api.types.pages import (
    OverlapFilter,
    gaps_page,
    overlaps_page,
    record_nodes,
    records_page,
    selected_gaps,
    selected_overlaps,
    selected_splits,
    splits_page,
)
from api.types.paging import Connection, paginate, paginate_ids, paginate_sorted
from api.types.properties import described_enum
from api.types.reviews import Edition, EditionDiff, Review, ReviewMutation, Viewer
from api.types.scorecards import PAGE, Scorecard, ScoreMutation, Warning
from api.types.selection import (
    GapSort,
    OverlapSort,
    RecordSort,
    SplitSort,
    check_department_name,
    department_ids,
    department_named,
    kept_items,
    power_type_value,
)
from api.types.supervision import Transfer, transfers_of
from api.types.tables import DepartmentCounts, department_counts
from api.types.traces import AccountabilityCount, CaseTrace, StageResponsibility
from graph import analyses, ids, queries
from graph.analyses import trace
from graph.analyses.cases import CaseQuery
from graph.evaluation import WarningLevel
from graph.ledger import FindingKind, ReviewStatus
from graph.queries import PowerItemSort
from ontology import EdgeKind

__all__ = ["SCHEMA", "Mutation", "Query", "build_schema", "print_schema"]

#: the overlaps' verdicts when a query names none (`analyses.DEFAULT_VERDICTS`, in the enum's order)
_DEFAULT_VERDICTS = [verdict for verdict in analyses.OverlapVerdict if verdict in analyses.DEFAULT_VERDICTS]

described_enum(
    PowerItemSort,
    "PowerItemSort",
    "The order of `powerItems`: RELEVANCE to `text` (an exact name first, then a name that "
    "starts with it, a name holding it, a match in the sub-item or code only; ties by code), or CODE.",
    {
        "RELEVANCE": "By relevance to `text`: exact name, name starting with it, name holding it, "
        "sub-item or code only; ties by code. The default when `text` is given.",
        "CODE": "By code (the item's id), the order of the published list. The default without `text`.",
    },
)


@strawberry.type(
    description="What the service answers: the published lists, the analyses' findings, cases, the ledger, the evaluation."
)
class Query:
    @strawberry.field(description="The departments, of one government and of one kind when given.")
    def departments(
        self,
        info: Info,
        government: arguments.Government = None,
        kind: arguments.DepartmentKind = None,
        first: arguments.First = 50,
        after: arguments.After = None,
    ) -> Connection[Department]:
        found = queries.list_departments(info.context.reader, government=government, kind=kind)
        info.context.loaders.seed(found)
        return paginate(found, lambda node: Department.of(node), first, after, deadline=info.context.deadline)

    @strawberry.field(
        description="One department by name, in either script (of `government` when given); null if "
        "several have the name. A name that finds none is null with a BAD_USER_INPUT error whose "
        "`extensions.suggestions` are the closest names."
    )
    def department(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="A department's name, in either script.")],
        government: arguments.Government = None,
    ) -> Department | None:
        found = queries.find_department(info.context.reader, name, government)
        if found is None:
            check_department_name(info, name)  # ambiguous: null; unknown: BAD_USER_INPUT
        return Department.of(found) if found else None

    @strawberry.field(
        description="The power items, by department (every department of the name), power type (a name, "
        "e.g. 行政许可 or 许可, or its code, e.g. XK) and text, in either script. An unknown department or "
        "power type answers BAD_USER_INPUT with `extensions.suggestions`."
    )
    def power_items(
        self,
        info: Info,
        department: Annotated[
            str | None,
            strawberry.argument(
                description="A department by name (either script): the items of every department of the name."
            ),
        ] = None,
        power_type: arguments.PowerTypeName = None,
        text: arguments.Text = None,
        first: arguments.First = 50,
        after: arguments.After = None,
        sort: Annotated[
            PowerItemSort | None,
            strawberry.argument(description="The order; RELEVANCE when `text` is given, else CODE."),
        ] = None,
        departments: arguments.Departments = None,
        power_types: Annotated[
            list[str] | None,
            strawberry.argument(
                description="Power types by name or code: items of any of them (or `powerType`)."
            ),
        ] = None,
    ) -> Connection[PowerItem]:
        kept = kept_items(info, department, departments, power_type, power_types)
        if kept is not None:  # the lists, with the single filters among them
            department = power_type = None
        if department:
            check_department_name(info, department)
        power_type = power_type_value(power_type) if power_type else None
        reader = info.context.reader
        if text and sort is not PowerItemSort.CODE:  # by relevance: the matches are read to rank them
            ranked = queries.list_power_items(
                reader, department=department, power_type=power_type, text=text, sort=PowerItemSort.RELEVANCE
            )
            ranked = ranked if kept is None else [node for node in ranked if node.id in kept]
            info.context.loaders.seed(ranked)
            return paginate(ranked, PowerItem.of, first, after, deadline=info.context.deadline)
        found = queries.power_item_ids(reader, department=department, power_type=power_type, text=text)
        found = found if kept is None else [item for item in found if item in kept]
        info.context.check()
        return paginate_ids(found, info.context.loaders, lambda node: PowerItem.of(node), first, after)

    @strawberry.field(description="One power item by its code (and sub-item, when the code has several).")
    def power_item(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="The item's code (编码).")],
        sub_item: Annotated[
            str | None, strawberry.argument(description="The sub-item (子项), for a code several share.")
        ] = None,
    ) -> PowerItem | None:
        found = queries.find_power_item(info.context.reader, code, sub_item)
        return PowerItem.of(found) if found else None

    @strawberry.field(description="The laws and articles the lists cite, each law followed by its articles.")
    def laws(
        self, info: Info, first: arguments.First = 50, after: arguments.After = None
    ) -> Connection[LawArticle]:
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

    @strawberry.field(
        description="Whatever has this id (a department, post, power item …, an overlap, cluster, gap or "
        "split approval; a gap among today's); null when nothing has it. A person, holding or "
        "accountability record the caller's role may not see answers FORBIDDEN."
    )
    def node(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="An id the API gave.")]
    ) -> Identified | None:
        return resolve_node(info, str(id))

    # -- counts, for tables of departments (api.types.counts: from the cached analyses) --

    @strawberry.field(
        description="How many power items are of each power type, in the order of the ten types (types "
        "with none left out): of `department` or one of `departments` (by name, either script, or id) "
        "when given, else of every item."
    )
    def power_type_counts(
        self,
        info: Info,
        department: arguments.DepartmentName = None,
        departments: arguments.Departments = None,
    ) -> list[PowerTypeCount]:
        wanted = department_ids(info, department, departments)
        types = item_types(info.context)
        if wanted is None:
            return power_type_counts(types)
        held = info.context.reader.edges_to(sorted(wanted), EdgeKind.HELD_BY)
        return power_type_counts(types, {edge.source for edges in held.values() for edge in edges})

    @strawberry.field(
        description="Every department (of `government` and of `kind` when given, as `departments` lists "
        "them) with its counts in one answer: its items, its overlaps of `verdicts` and `kinds` (as "
        "`overlaps`), its gaps on `at` (default today) of `gapKinds` (as `gaps`: without them, every "
        "kind the caller's role may see), its items per power type."
    )
    def department_counts(
        self,
        info: Info,
        government: Annotated[str | None, strawberry.argument(description="A government, by name.")] = None,
        kind: Annotated[str | None, strawberry.argument(description="A 机构类型, e.g. 组成部门.")] = None,
        kinds: arguments.OverlapKinds = None,
        verdicts: arguments.Verdicts = _DEFAULT_VERDICTS,
        gap_kinds: arguments.GapKinds = None,
        at: arguments.At = None,
    ) -> list[DepartmentCounts]:
        context = info.context
        wanted_gaps = visible_gap_kinds(context, gap_kinds)
        found = queries.list_departments(context.reader, government=government, kind=kind)
        context.loaders.seed(found)
        departments = [Department.of(node) for node in found]
        return department_counts(info, departments, kinds, verdicts, wanted_gaps, at or context.today)

    # -- analyses --

    @strawberry.field(
        description="Overlapping functions and powers (职能交叉), highest score first: by default those the "
        "office must act on (OVERLAP and BOUNDARY); `verdicts` null or empty: every verdict.",
        deprecation_reason="use overlapsConnection; removed in the next release",
    )
    def overlaps(
        self,
        info: Info,
        kinds: arguments.OverlapKinds = None,
        verdicts: arguments.Verdicts = _DEFAULT_VERDICTS,
        department: arguments.DepartmentName = None,
        min_score: arguments.MinScore = 0.0,
    ) -> list[Overlap]:
        wanted = OverlapFilter(kinds, verdicts, department_ids(info, department, None), min_score)
        found = selected_overlaps(info, wanted)
        info.context.loaders.expect(i for o in found for i in (*o.departments, *o.items, *o.functions))
        info.context.reviews.expect(overlap.id for overlap in found)
        return [Overlap(overlap=overlap) for overlap in found]

    @strawberry.field(
        description="A page of the overlaps (职能交叉) `overlaps` gives, with their `totalCount`: of `kinds` "
        "and `verdicts` (by default OVERLAP and BOUNDARY; null or empty: every verdict), naming "
        "`department` or one of `departments` (by name, either script, or id), scoring `minScore` or more; "
        "in `sort`'s order (default SCORE, highest first), `direction` reversing it."
    )
    def overlaps_connection(
        self,
        info: Info,
        kinds: arguments.OverlapKinds = None,
        verdicts: arguments.Verdicts = _DEFAULT_VERDICTS,
        department: arguments.DepartmentName = None,
        departments: arguments.Departments = None,
        min_score: arguments.MinScore = 0.0,
        sort: Annotated[OverlapSort, strawberry.argument(description="The order.")] = OverlapSort.SCORE,
        direction: arguments.Direction = None,
        first: arguments.First = 50,
        after: arguments.After = None,
    ) -> Connection[Overlap]:
        wanted = OverlapFilter(kinds, verdicts, department_ids(info, department, departments), min_score)
        return overlaps_page(info, wanted, sort, direction, first, after)

    @strawberry.field(
        description="Department × department counts of the overlaps of `verdicts` (as `overlaps`), most first."
    )
    def overlap_matrix(
        self, info: Info, verdicts: arguments.Verdicts = _DEFAULT_VERDICTS
    ) -> list[DepartmentPairCount]:
        matrix = analyses.overlap_matrix(_overlaps_of(info, verdicts))
        info.context.loaders.expect(i for a, b, _ in matrix for i in (a, b))
        return [DepartmentPairCount(a_id=a, b_id=b, count=count) for a, b, count in matrix]

    @strawberry.field(
        description="The overlaps of `verdicts` (as `overlaps`) linked through shared items or functions, "
        "largest first. Divisions (DIVIDED) are clustered apart: one never links two tangles."
    )
    def overlap_clusters(
        self, info: Info, verdicts: arguments.Verdicts = _DEFAULT_VERDICTS
    ) -> list[OverlapCluster]:
        clusters = analyses.clusters_of(_overlaps_of(info, verdicts))
        info.context.loaders.expect(i for c in clusters for i in (*c.departments, *c.items, *c.functions))
        return [OverlapCluster(cluster=c) for c in clusters]

    @strawberry.field(
        description="Gaps on the date `at` (default today), most serious first. Staffing kinds (VACANT_POST, "
        "NO_HEAD, OVER_QUOTA, GHOST_PAYROLL, MIXED_QUOTA, CONCURRENT_POSTS) need the staffing role; without "
        "`kinds`, every kind the caller's role may see.",
        deprecation_reason="use gapsConnection; removed in the next release",
    )
    def gaps(
        self,
        info: Info,
        kinds: arguments.GapKinds = None,
        department: arguments.DepartmentName = None,
        at: arguments.At = None,
    ) -> list[Gap]:
        found = selected_gaps(info, kinds, department_ids(info, department, None), at)
        info.context.loaders.expect(gap.department for gap in found if gap.department)
        info.context.reviews.expect(gap.id for gap in found)
        return [Gap(gap=gap) for gap in found]

    @strawberry.field(
        description="A page of the gaps `gaps` gives, with their `totalCount`: on `at` (default today), of "
        "`kinds` (staffing kinds need the staffing role; without `kinds`, every kind the caller's role may "
        "see), about `department` or one of `departments` (by name, either script, or id); in `sort`'s "
        "order (default SEVERITY, most serious first), `direction` reversing it."
    )
    def gaps_connection(
        self,
        info: Info,
        kinds: arguments.GapKinds = None,
        department: arguments.DepartmentName = None,
        departments: arguments.Departments = None,
        at: arguments.At = None,
        sort: Annotated[GapSort, strawberry.argument(description="The order.")] = GapSort.SEVERITY,
        direction: arguments.Direction = None,
        first: arguments.First = 50,
        after: arguments.After = None,
    ) -> Connection[Gap]:
        found = selected_gaps(info, kinds, department_ids(info, department, departments), at)
        return gaps_page(info, found, sort, direction, first, after)

    @strawberry.field(
        description="The kinds of gap `gaps` does not compute for this data, and why: the staffing kinds "
        "and NO_HEAD where the data has no posts, holdings or quotas at all (a folder of published lists). "
        "Of `kinds` when given, else of every kind the caller's role may see."
    )
    def gaps_not_computed(
        self,
        info: Info,
        kinds: arguments.GapKinds = None,
    ) -> list[GapNotComputed]:
        if kinds:
            wanted = set(kinds)  # that a kind was not computed is no staffing figure: any role may ask
        elif info.context.role.may(Grant.STAFFING):
            wanted = set(analyses.GapKind)
        else:
            wanted = set(analyses.GapKind) - analyses.STAFFING_KINDS
        found = analyses.gaps_not_computed(info.context.reader, wanted)
        return [GapNotComputed(not_computed=item) for item in found]

    @strawberry.field(
        description="Approvals split over several departments (多部门、多环节审批).",
        deprecation_reason="use splitApprovalsConnection; removed in the next release",
    )
    def split_approvals(
        self,
        info: Info,
        min_departments: Annotated[
            int | None, strawberry.argument(description="The fewest departments an approval is split over.")
        ] = 2,
    ) -> list[SplitApproval]:
        found = selected_splits(info, min_departments, None)
        info.context.loaders.expect(i for s in found for i in (*s.items, *s.departments))
        info.context.reviews.expect(split.id for split in found)
        return [SplitApproval(split=split) for split in found]

    @strawberry.field(
        description="A page of the approvals split over `minDepartments` departments or more (default 2; "
        "多部门、多环节审批), with their `totalCount`, naming `department` or one of `departments` (by name, "
        "either script, or id); in `sort`'s order (default DEPARTMENTS, most first), `direction` reversing it."
    )
    def split_approvals_connection(
        self,
        info: Info,
        min_departments: Annotated[
            int | None, strawberry.argument(description="The fewest departments an approval is split over.")
        ] = 2,
        department: arguments.DepartmentName = None,
        departments: arguments.Departments = None,
        sort: Annotated[SplitSort, strawberry.argument(description="The order.")] = SplitSort.DEPARTMENTS,
        direction: arguments.Direction = None,
        first: arguments.First = 50,
        after: arguments.After = None,
    ) -> Connection[SplitApproval]:
        found = selected_splits(info, min_departments, department_ids(info, department, departments))
        return splits_page(info, found, sort, direction, first, after)

    # -- responsibility (investigator role) --

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Who answered for each stage of a case, as the posts were held then.",
    )
    def trace(
        self,
        info: Info,
        case_id: Annotated[
            strawberry.ID, strawberry.argument(description="A case number (办件编号), any letter case.")
        ],
    ) -> CaseTrace | None:
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
        department: arguments.DepartmentName = None,
        item: Annotated[str | None, strawberry.argument(description="A power item by code or id.")] = None,
        accepted_from: Annotated[
            date | None, strawberry.argument(name="from", description="Accepted on or after.")
        ] = None,
        to: Annotated[date | None, strawberry.argument(description="Accepted on or before.")] = None,
        outcome: Annotated[
            str | None, strawberry.argument(description="The outcome (办理结果), in either script.")
        ] = None,
        overdue: Annotated[
            bool | None, strawberry.argument(description="Overdue cases only (true) or in time only (false).")
        ] = None,
        first: arguments.First = 50,
        after: arguments.After = None,
        power_type: arguments.PowerTypeName = None,
        sort: Annotated[CaseSort, strawberry.argument(description="The order.")] = CaseSort.ACCEPTED,
    ) -> Connection[Case]:
        query = CaseQuery(
            department=_department_id(info, department),
            item=item,
            power_type=power_type_value(power_type) if power_type else None,
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
    def responsibility(
        self,
        info: Info,
        item_code: Annotated[str, strawberry.argument(description="The item's code.")],
        at: arguments.At = None,
    ) -> list[StageResponsibility]:
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
        deprecation_reason="use accountabilityRecordsConnection; removed in the next release",
    )
    def accountability_records(
        self, info: Info, department: arguments.DepartmentName = None, case_id: arguments.CaseNumber = None
    ) -> list[AccountabilityRecord]:
        found = record_nodes(info, department_ids(info, department, None), case_id)
        return [AccountabilityRecord(node=node) for node in found]

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="A page of the accountability decisions (问责), with their `totalCount`: about people "
        "of `department` or one of `departments` when decided (by name, either script, or id), on the case "
        "`caseId` when given; in `sort`'s order (default DATE, newest first), `direction` reversing it.",
    )
    def accountability_records_connection(
        self,
        info: Info,
        department: arguments.DepartmentName = None,
        departments: arguments.Departments = None,
        case_id: Annotated[strawberry.ID | None, strawberry.argument(description="A case number.")] = None,
        sort: Annotated[RecordSort, strawberry.argument(description="The order.")] = RecordSort.DATE,
        direction: arguments.Direction = None,
        first: arguments.First = 50,
        after: arguments.After = None,
    ) -> Connection[AccountabilityRecord]:
        found = record_nodes(info, department_ids(info, department, departments), case_id)
        return records_page(info, found, sort, direction, first, after)

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
        self, info: Info, department: arguments.DepartmentName = None, at: arguments.At = None
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
        status: Annotated[
            list[ReviewStatus] | None,
            strawberry.argument(description="Of these statuses; null: every status."),
        ] = None,
        department: arguments.DepartmentName = None,
        first: arguments.First = 50,
        after: arguments.After = None,
        kinds: Annotated[
            list[FindingKind] | None,
            strawberry.argument(description="Of these kinds of finding; null: every kind the role lists."),
        ] = None,
        overdue: Annotated[
            bool | None,
            strawberry.argument(description="Overdue rectifications only (true) or the others (false)."),
        ] = None,
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
    def review(
        self,
        info: Info,
        finding_id: Annotated[strawberry.ID, strawberry.argument(description="A finding's id.")],
    ) -> Review | None:
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
        from_label: Annotated[
            str, strawberry.argument(name="from", description="The earlier edition's label.")
        ],
        to_label: Annotated[str, strawberry.argument(name="to", description="The later edition's label.")],
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
        department: Annotated[
            str, strawberry.argument(description="A department by name (either script) or id.")
        ],
        government: arguments.Government = None,
        at: arguments.At = None,
        template: Annotated[
            str | None, strawberry.argument(description="The template's name: the one its 机构类型 gives it.")
        ] = None,
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
        government: arguments.Government = None,
        at: arguments.At = None,
        first: arguments.PageSize = PAGE,
        offset: arguments.Offset = 0,
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
        levels: Annotated[
            list[WarningLevel] | None, strawberry.argument(description="Of these levels; null: every level.")
        ] = None,
        department: arguments.DepartmentName = None,
        at: arguments.At = None,
        first: arguments.PageSize = PAGE,
        offset: arguments.Offset = 0,
    ) -> list[Warning]:
        return scorecards.warnings_of(info.context, levels, department, at, first, offset)


@strawberry.type(description="The writes: reviews of findings and manual scores of indicators.")
class Mutation(ReviewMutation, ScoreMutation):
    """The writes: reviews of findings (`api.types.reviews`) and manual scores (`api.types.scorecards`)."""


def _overlaps_of(info: Info, verdicts: list[analyses.OverlapVerdict] | None) -> list[analyses.Overlap]:
    """The overlaps of `verdicts` (null or empty: every verdict), computed once per store version."""
    return analyses.select_overlaps(info.context.cache.overlaps(), verdicts=verdicts or None)


def _department_id(info: Info, name: str | None) -> str | None:
    """The id of the department `name` names (by name or id); BAD_USER_INPUT with suggestions for none."""
    return department_named(info, name).id if name is not None else None


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
            types=[DeprecatedRole],
            extensions=extensions,
            config=StrawberryConfig(name_converter=_Names()),
        )
    extensions += [DisableIntrospection, _WithoutSuggestions]
    return _Schema(
        query=Query,
        mutation=Mutation,
        types=[DeprecatedRole],
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
