"""The GraphQL types of the graph's nodes: departments, units, posts, persons, holdings, functions, power
items, stages and accountability records.

Each type wraps a graph `Node`; relations are resolved through the request's
DataLoaders, so lists fan out in a fixed number of store calls. Fields that
carry personal data or staffing figures need a grant (`api.roles`). The types
refer to each other (a department's posts, a post's department; a person's
records, a record's person), so they live in one module.

    Department.of(node)          # the GraphQL type of a department node
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated

import strawberry

from api.context import Info
from api.roles import Grant, requires
from api.types.counts import (
    DEFAULT_VERDICTS,
    PowerTypeCount,
    count_gaps,
    count_overlaps,
    power_type_counts,
    visible_gap_kinds,
)
from api.types.identified import Identified
from api.types.indexes import item_types
from api.types.laws import LawArticle, cited_laws
from api.types.paging import Connection, paginate, paginate_ids
from api.types.properties import Source, described_enum, prop_date, prop_int, prop_text, source_of
from graph import organisation
from graph.analyses import GapKind, OverlapKind, OverlapVerdict
from graph.model import Node
from graph.organisation import LoaderView
from ontology import EdgeKind, NodeKind, StageRole

__all__ = [
    "AccountabilityRecord",
    "Department",
    "DeprecatedRole",
    "Function",
    "Holding",
    "Person",
    "Post",
    "PowerItem",
    "StaffingFigures",
    "Stage",
    "Unit",
    "stage_role",
]


#: the descriptions of the arguments several fields take
_AT = "The date (ISO 8601, e.g. 2024-03-05); default today."
_FIRST = "How many at most, 0 to 500; default 50."
_AFTER = "The `endCursor` of the page before; none for the first page."
#: what a stage's role means, by its GraphQL name (the enum `StageRole`, and the deprecated `Role`)
_STAGE_ROLE_VALUES = {
    "HANDLE": "承办: handles the matter: receives, examines and proposes.",
    "REVIEW": "审核: checks what the handler proposes.",
    "APPROVE": "批准: decides.",
}
_RENAMED = "Renamed `StageRole` (issue 20): `Role` was easily taken for the caller's `AccessRole`."

# the ontology's stage roles are the GraphQL enum (the value is the graph's, 承办 …; the name is served)
described_enum(
    StageRole,
    "StageRole",
    "The responsibility role of an approval stage (责任类型: 承办 / 审核 / 批准); not the caller's "
    "`AccessRole`. Named `Role` until issue 20.",
    _STAGE_ROLE_VALUES,
)


@strawberry.enum(
    name="Role",
    description="Deprecated: renamed `StageRole`, which every stage's `role` now is; no field returns "
    "`Role`, kept one release for clients generated from the schema.",
)
class DeprecatedRole(Enum):
    """The GraphQL enum `Role` as it was before its rename to `StageRole`: in the schema one more
    release (`api.schema` adds it), so that a client's types generated from the schema still find it."""

    HANDLE = strawberry.enum_value(
        "HANDLE", description=_STAGE_ROLE_VALUES["HANDLE"], deprecation_reason=_RENAMED
    )
    REVIEW = strawberry.enum_value(
        "REVIEW", description=_STAGE_ROLE_VALUES["REVIEW"], deprecation_reason=_RENAMED
    )
    APPROVE = strawberry.enum_value(
        "APPROVE", description=_STAGE_ROLE_VALUES["APPROVE"], deprecation_reason=_RENAMED
    )


_STAGE_ROLES = {role.value: role for role in StageRole}


def stage_role(value: str | None) -> StageRole | None:
    """The `StageRole` of a stage role as the graph writes it (承办 …), or None for none or another."""
    return _STAGE_ROLES.get(value) if value else None


@strawberry.type(
    description="A department's quotas (编制) against the people on them and at work, on a date."
)
class StaffingFigures:
    admin_quota: int | None = strawberry.field(description="行政编制 places")
    institution_quota: int | None = strawberry.field(description="事业编制 places")
    on_admin_quota: int = strawberry.field(description="people on the 行政编制")
    on_institution_quota: int = strawberry.field(description="people on the 事业编制")
    on_other_quota: int = strawberry.field(description="people on 工勤编制 or 编外")
    posts: int = strawberry.field(description="posts in the department, the leadership's and the units'")
    posts_held: int = strawberry.field(description="posts somebody holds")
    people_at_work: int = strawberry.field(description="people holding a post in the department")


@strawberry.type(description="A body of a government (工作部门).")
class Department(Identified):
    node: strawberry.Private[Node]
    id: strawberry.ID = strawberry.field(
        description="Stable across loads: `department:<government>/<name>`, in simplified script."
    )
    name: str = strawberry.field(description="Its name as the list writes it.")
    government: str = strawberry.field(description="The government it belongs to (所属政府), by name.")
    kind: str | None = strawberry.field(
        description="机构类型: 组成部门 / 直属机构 / 部门管理机构 / 事业单位 / 议事协调机构"
    )
    code: str | None = strawberry.field(description="部门编码; null when the list gives none.")
    source: Source | None = strawberry.field(description="Where it was read; null when not from a file.")

    @classmethod
    def of(cls, node: Node) -> Department:
        return cls(
            node=node,
            id=strawberry.ID(node.id),
            name=str(node["name"]),
            government=str(node.get("government", "")),
            kind=prop_text(node, "department_kind"),
            code=prop_text(node, "code"),
            source=source_of(node),
        )

    @strawberry.field(permission_classes=requires(Grant.STAFFING), description="行政编制 (staffing role)")
    def admin_quota(self) -> int | None:
        return prop_int(self.node, "admin_quota")

    @strawberry.field(permission_classes=requires(Grant.STAFFING), description="事业编制 (staffing role)")
    def institution_quota(self) -> int | None:
        return prop_int(self.node, "institution_quota")

    @strawberry.field(
        permission_classes=requires(Grant.STAFFING),
        description="Quotas against the people on them and at work on `at` (default today; staffing role).",
    )
    def staffing(
        self, info: Info, at: Annotated[date | None, strawberry.argument(description=_AT)] = None
    ) -> StaffingFigures:
        figures = info.context.cache.staffing(at or info.context.today)[self.node.id]
        return StaffingFigures(
            admin_quota=figures.admin_quota,
            institution_quota=figures.institution_quota,
            on_admin_quota=figures.on_admin_quota,
            on_institution_quota=figures.on_institution_quota,
            on_other_quota=figures.on_other_quota,
            posts=figures.posts,
            posts_held=figures.posts_held,
            people_at_work=figures.people_at_work,
        )

    @strawberry.field(description="The department that manages it (主管部门).")
    def parent(self, info: Info) -> Department | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.MANAGED_BY)
        return Department.of(found) if found else None

    @strawberry.field(description="Its internal units (内设机构).")
    def units(self, info: Info) -> list[Unit]:
        return [Unit.of(n) for n in info.context.loaders.sources(self.node.id, EdgeKind.UNIT_OF)]

    @strawberry.field(
        description="Every post: the leadership's and the units', ordered by id.",
        deprecation_reason="Use `postsConnection`, a page of them with `totalCount`: a department's posts "
        "grow with its units. `posts` stays one release.",
    )
    def posts(self, info: Info) -> list[Post]:
        return [Post.of(n) for n in info.context.loaders.nodes(self._post_ids(info))]

    @strawberry.field(
        description="Every post, the leadership's and the units', ordered by id: a page of them "
        "(`totalCount` in all)."
    )
    def posts_connection(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
    ) -> Connection[Post]:
        return paginate_ids(self._post_ids(info), info.context.loaders, Post.of, first, after)

    def _post_ids(self, info: Info) -> list[str]:
        """The ids of the department's posts, sorted."""
        return organisation.posts_of_department(LoaderView(info.context.loaders), self.node.id)

    @strawberry.field(description="Its functions as its charter (三定) states them.")
    def functions(self, info: Info) -> list[Function]:
        found = info.context.loaders.sources(self.node.id, EdgeKind.FUNCTION_OF)
        return [Function.of(n) for n in found]

    @strawberry.field(
        description="The power items it implements (实施主体), alone or jointly: a page of them "
        "(`totalCount` in all)."
    )
    def power_items(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
    ) -> Connection[PowerItem]:
        found = info.context.loaders.sources(self.node.id, EdgeKind.HELD_BY)
        return paginate(found, lambda node: PowerItem.of(node), first, after, deadline=info.context.deadline)

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Accountability decisions about people working in the department when decided, "
        "ordered by id (investigator role).",
        deprecation_reason="Use `accountabilityRecordsConnection`, a page of them with `totalCount`: the "
        "records grow every year. `accountabilityRecords` stays one release.",
    )
    def accountability_records(self, info: Info) -> list[AccountabilityRecord]:
        records = info.context.records_by_department().get(self.node.id, [])
        return [AccountabilityRecord(node=node) for node in info.context.loaders.nodes(records)]

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Accountability decisions about people working in the department when decided, "
        "ordered by id: a page of them (`totalCount` in all; investigator role).",
    )
    def accountability_records_connection(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
    ) -> Connection[AccountabilityRecord]:
        records = info.context.records_by_department().get(self.node.id, [])
        return paginate_ids(records, info.context.loaders, AccountabilityRecord.of, first, after)

    @strawberry.field(
        permission_classes=requires(Grant.PERSONS),
        description="Who held the head post (行政首长) on `at`; null when nobody did (staffing, "
        "investigator and admin roles).",
    )
    def head(
        self, info: Info, at: Annotated[date | None, strawberry.argument(description=_AT)] = None
    ) -> Holding | None:
        view = LoaderView(info.context.loaders)
        found = organisation.department_head(view, self.node.id, at or info.context.today)
        return Holding.of(found) if found is not None else None

    # -- counts (api.types.counts: from the cached analyses, no store call per department) --

    @strawberry.field(description="How many power items it holds (as `powerItems { totalCount }`).")
    def item_count(self, info: Info) -> int:
        return len(info.context.loaders.into(self.node.id, EdgeKind.HELD_BY))

    @strawberry.field(
        description="Its power items per power type, in the order of the ten types; none left out."
    )
    def items_by_power_type(self, info: Info) -> list[PowerTypeCount]:
        held = [edge.source for edge in info.context.loaders.into(self.node.id, EdgeKind.HELD_BY)]
        return power_type_counts(item_types(info.context), held)

    @strawberry.field(
        description="How many overlaps name it, of `verdicts` and `kinds` as `overlaps` takes them "
        "(by default those the office must act on: OVERLAP and BOUNDARY)."
    )
    def overlap_count(
        self,
        info: Info,
        kinds: Annotated[
            list[OverlapKind] | None,
            strawberry.argument(description="Of these kinds; null or none: every kind."),
        ] = None,
        verdicts: Annotated[
            list[OverlapVerdict] | None,
            strawberry.argument(description="Of these verdicts; null or an empty list: every verdict."),
        ] = DEFAULT_VERDICTS,
    ) -> int:
        return count_overlaps(info.context, self.node.id, kinds, verdicts)

    @strawberry.field(
        description="How many gaps are about it on `at` (default today), of `kinds` as `gaps` takes them "
        "(without `kinds`, of every kind the caller's role may see)."
    )
    def gap_count(
        self,
        info: Info,
        kinds: Annotated[
            list[GapKind] | None,
            strawberry.argument(description="Of these kinds; null: every kind the caller's role may see."),
        ] = None,
        at: Annotated[date | None, strawberry.argument(description=_AT)] = None,
    ) -> int:
        wanted = visible_gap_kinds(info.context, kinds)
        return count_gaps(info.context, self.node.id, wanted, at or info.context.today)


@strawberry.type(description="An internal unit of a department (内设机构).")
class Unit(Identified):
    node: strawberry.Private[Node]
    id: strawberry.ID = strawberry.field(
        description="Stable across loads: `unit:<government>/<department>/<name>`, in simplified script."
    )
    name: str = strawberry.field(description="Its name as the list writes it.")
    duties: str | None = strawberry.field(description="职责 as the list writes them; null when none.")
    source: Source | None = strawberry.field(description="Where it was read; null when not from a file.")

    @classmethod
    def of(cls, node: Node) -> Unit:
        return cls(
            node=node,
            id=strawberry.ID(node.id),
            name=str(node["name"]),
            duties=prop_text(node, "duties"),
            source=source_of(node),
        )

    @strawberry.field(permission_classes=requires(Grant.STAFFING), description="编制数 (staffing role)")
    def quota(self) -> int | None:
        return prop_int(self.node, "quota")

    @strawberry.field(description="The department it is part of.")
    def department(self, info: Info) -> Department:
        found = info.context.loaders.target(self.node.id, EdgeKind.UNIT_OF)
        assert found is not None, "a unit always belongs to a department"
        return Department.of(found)

    @strawberry.field(description="The posts placed in it (the leadership's are the department's).")
    def posts(self, info: Info) -> list[Post]:
        return [Post.of(n) for n in info.context.loaders.sources(self.node.id, EdgeKind.POST_IN)]


@strawberry.type(description="A post (岗位) in a unit or in a department's leadership.")
class Post(Identified):
    node: strawberry.Private[Node]
    id: strawberry.ID = strawberry.field(description="Stable across loads: `post:<code>`.")
    code: str = strawberry.field(description="岗位编码 as the list writes it.")
    name: str = strawberry.field(description="岗位名称 as the list writes it.")
    category: str | None = strawberry.field(description="行政首长 / 分管领导 / 内设机构负责人 / 工作人员")
    rank: str | None = strawberry.field(description="职级 as the list writes it; null when none.")
    duties: str | None = strawberry.field(description="岗位职责 as the list writes them; null when none.")
    source: Source | None = strawberry.field(description="Where it was read; null when not from a file.")

    @classmethod
    def of(cls, node: Node) -> Post:
        return cls(
            node=node,
            id=strawberry.ID(node.id),
            code=str(node["code"]),
            name=str(node["name"]),
            category=prop_text(node, "category"),
            rank=prop_text(node, "rank"),
            duties=prop_text(node, "duties"),
            source=source_of(node),
        )

    @strawberry.field(description="The unit it is in; null for a post of the department's leadership.")
    def unit(self, info: Info) -> Unit | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.POST_IN)
        return Unit.of(found) if found is not None and found.kind is NodeKind.UNIT else None

    @strawberry.field(description="The department it is in, directly or through its unit.")
    def department(self, info: Info) -> Department:
        loaders = info.context.loaders
        department = organisation.department_of_post(LoaderView(loaders), self.node.id)
        found = loaders.node(department) if department is not None else None
        assert found is not None, "a post always belongs to a department"
        return Department.of(found)

    @strawberry.field(description="The units a 分管领导 post is in charge of.")
    def supervises(self, info: Info) -> list[Unit]:
        return [Unit.of(n) for n in info.context.loaders.targets(self.node.id, EdgeKind.SUPERVISES)]

    @strawberry.field(
        permission_classes=requires(Grant.PERSONS),
        description="The holdings of this post on `at` (default today); every holding, oldest first, when "
        "`all` is true (staffing, investigator and admin roles).",
    )
    def holders(
        self,
        info: Info,
        at: Annotated[
            date | None, strawberry.argument(description=_AT + " Not read when `all` is true.")
        ] = None,
        all: Annotated[
            bool, strawberry.argument(description="Every holding, past and present, whatever `at`.")
        ] = False,
    ) -> list[Holding]:
        context = info.context
        if all:
            held = context.loaders.sources(self.node.id, EdgeKind.HOLDING_POST)
            found = organisation.holdings_in_order(held)
        else:
            found = context.loaders.holders(self.node.id, at or context.today)
        return [Holding.of(n) for n in found]


@strawberry.type(description="A person. Personal data: only for the staffing, investigator and admin roles.")
class Person(Identified):
    node: strawberry.Private[Node]
    id: strawberry.ID = strawberry.field(
        description="Stable across loads: `person:<人员编号>` (a number, never the name), for every role."
    )

    @classmethod
    def of(cls, node: Node) -> Person:
        return cls(
            node=node,
            id=strawberry.ID(node.id),
        )

    @strawberry.field(
        permission_classes=requires(Grant.PERSONS),
        description="姓名 (staffing, investigator and admin roles; FORBIDDEN for the public).",
    )
    def name(self) -> str:
        return str(self.node["name"])

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Accountability decisions about the person (investigator role).",
    )
    def accountability_records(self, info: Info) -> list[AccountabilityRecord]:
        found = info.context.loaders.sources(self.node.id, EdgeKind.RECORD_OF)
        return [AccountabilityRecord(node=n) for n in found]

    @strawberry.field(
        permission_classes=requires(Grant.PERSONS),
        description="The posts the person held and holds, oldest first; a quota without a post is not one "
        "(staffing, investigator and admin roles).",
    )
    def holdings(self, info: Info) -> list[Holding]:
        loaders = info.context.loaders
        found = loaders.sources(self.node.id, EdgeKind.HOLDING_OF)
        posts = [loaders.out(n.id, EdgeKind.HOLDING_POST) for n in found]
        held = [
            n for n, post in zip(found, posts, strict=True) if post
        ]  # a quota without a post is not a holding
        held.sort(key=lambda node: (node.get("start") or date.min, node.id))
        return [Holding.of(n) for n in held]


@strawberry.type(description="A person holding a post over [start, end) (任职); end is null while it lasts.")
class Holding(Identified):
    node: strawberry.Private[Node]
    id: strawberry.ID = strawberry.field(
        description="Stable across loads: `holding:<人员编号>/<岗位编码>/<start>`."
    )
    end: date | None = strawberry.field(
        description="The first day not held (任职结束, ISO 8601): [start, end); null while it lasts."
    )

    @classmethod
    def of(cls, node: Node) -> Holding:
        return cls(
            node=node,
            id=strawberry.ID(node.id),
            end=prop_date(node, "end"),
        )

    @strawberry.field(description="The person holding the post.")
    def person(self, info: Info) -> Person:
        found = info.context.loaders.target(self.node.id, EdgeKind.HOLDING_OF)
        assert found is not None, "a holding always has a person"
        return Person.of(found)

    @strawberry.field(description="The post held.")
    def post(self, info: Info) -> Post:
        found = info.context.loaders.target(self.node.id, EdgeKind.HOLDING_POST)
        assert found is not None, "only holdings of a post are served"
        return Post.of(found)

    @strawberry.field(description="The first day held (任职开始, ISO 8601).")
    def start(self) -> date:
        start = prop_date(self.node, "start")
        assert start is not None, "a holding of a post always starts"
        return start

    @strawberry.field(permission_classes=requires(Grant.STAFFING), description="编制类型 (staffing role)")
    def quota_type(self) -> str | None:
        return prop_text(self.node, "quota_type")


@strawberry.type(description="A function of a department's charter (职能, 三定).")
class Function(Identified):
    node: strawberry.Private[Node]
    id: strawberry.ID = strawberry.field(description="Stable across loads: `function:<code>`.")
    code: str = strawberry.field(description="职能编码 as the charter's list writes it.")
    text: str = strawberry.field(description="职能内容 as the charter writes it.")
    category: str | None = strawberry.field(description="经济调节 / 市场监管 / 社会管理 / 公共服务")
    source: Source | None = strawberry.field(description="Where it was read; null when not from a file.")

    @classmethod
    def of(cls, node: Node) -> Function:
        return cls(
            node=node,
            id=strawberry.ID(node.id),
            code=str(node["code"]),
            text=str(node["text"]),
            category=prop_text(node, "category"),
            source=source_of(node),
        )

    @strawberry.field(description="The department whose function it is.")
    def department(self, info: Info) -> Department:
        found = info.context.loaders.target(self.node.id, EdgeKind.FUNCTION_OF)
        assert found is not None, "a function always belongs to a department"
        return Department.of(found)

    @strawberry.field(description="The units carrying it (承担内设机构).")
    def units(self, info: Info) -> list[Unit]:
        return [Unit.of(n) for n in info.context.loaders.targets(self.node.id, EdgeKind.CARRIED_BY)]

    @strawberry.field(description="The articles and laws its legal basis (设定依据) cites, in its order.")
    def laws(self, info: Info) -> list[LawArticle]:
        return cited_laws(info, self.node.id)


@strawberry.type(description="A power item (权力事项): one row of a published power list.")
class PowerItem(Identified):
    node: strawberry.Private[Node]
    id: strawberry.ID = strawberry.field(
        description="Stable across loads: `item:<code>`, then `/<sub-item>` for a sub-item (and the "
        "government before the code for an item of a list other than the government's own)."
    )
    code: str = strawberry.field(description="事项编码 as the list writes it; the sub-items of one share it.")
    name: str = strawberry.field(description="权力名称 as the list writes it.")
    sub_item: str | None = strawberry.field(description="子项; null for an item without sub-items.")
    power_type: str = strawberry.field(description="One of the ten power types, e.g. 行政许可")
    duties: str | None = strawberry.field(
        description="责任事项: what the implementing department answers for, as the list writes it."
    )
    triggers: str | None = strawberry.field(
        description="追责情形: when someone is held accountable, as the list writes it."
    )
    statutory_days: int | None = strawberry.field(
        description="法定时限 in working days; null when the list gives none, or gives calendar days."
    )
    promised_days: int | None = strawberry.field(
        description="承诺时限 in working days; null when the list gives none, or gives calendar days."
    )
    source: Source | None = strawberry.field(description="Where it was read; null when not from a file.")

    @classmethod
    def of(cls, node: Node) -> PowerItem:
        return cls(
            node=node,
            id=strawberry.ID(node.id),
            code=str(node["code"]),
            name=str(node["name"]),
            sub_item=prop_text(node, "sub_item"),
            power_type=str(node["power_type"]),
            duties=prop_text(node, "duties"),
            triggers=prop_text(node, "triggers"),
            statutory_days=prop_int(node, "statutory_days"),
            promised_days=prop_int(node, "promised_days"),
            source=source_of(node),
        )

    @strawberry.field(description="The implementing departments (实施主体), in the list's order.")
    def departments(self, info: Info) -> list[Department]:
        edges = info.context.loaders.out(self.node.id, EdgeKind.HELD_BY)
        ordered = sorted(edges, key=lambda edge: edge.get("position", 0))
        found = info.context.loaders.nodes([edge.target for edge in ordered])
        return [Department.of(n) for n in found if n is not None]

    @strawberry.field(description="True when the list names several implementing departments (联合实施).")
    def joint(self, info: Info) -> bool:
        return len(info.context.loaders.out(self.node.id, EdgeKind.HELD_BY)) > 1

    @strawberry.field(description="The unit handling it (承办机构); null when the list names none.")
    def unit(self, info: Info) -> Unit | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.HANDLED_BY)
        return Unit.of(found) if found else None

    @strawberry.field(description="The articles and laws its legal basis cites.")
    def laws(self, info: Info) -> list[LawArticle]:
        return cited_laws(info, self.node.id)

    @strawberry.field(description="The legal basis as written (设定依据).")
    def basis(self) -> str | None:
        return prop_text(self.node, "basis")

    @strawberry.field(description="Its approval stages (审批环节), by step.")
    def stages(self, info: Info) -> list[Stage]:
        found = info.context.loaders.sources(self.node.id, EdgeKind.STAGE_OF)
        return [Stage.of(n) for n in sorted(found, key=lambda node: node["step"])]

    @strawberry.field(description="The items to be done before it (前置事项).")
    def prerequisites(self, info: Info) -> list[PowerItem]:
        return [PowerItem.of(n) for n in info.context.loaders.targets(self.node.id, EdgeKind.REQUIRES)]


@strawberry.type(description="A stage of an approval (审批环节).")
class Stage:
    node: strawberry.Private[Node]
    step: int = strawberry.field(description="环节序号: 1 for the first stage.")
    name: str = strawberry.field(description="环节名称 as the list writes it (受理, 审查, 决定 …).")
    days: int | None = strawberry.field(description="The stage's time limit in working days.")

    @classmethod
    def of(cls, node: Node) -> Stage:
        return cls(
            node=node,
            step=int(node["step"]),
            name=str(node["name"]),
            days=prop_int(node, "days"),
        )

    @strawberry.field(description="责任类型; null when the list gives none.")
    def role(self) -> StageRole | None:
        return stage_role(self.node.get("role"))

    @strawberry.field(description="The department carrying the stage (it may differ from the item's).")
    def department(self, info: Info) -> Department:
        found = info.context.loaders.target(self.node.id, EdgeKind.STAGE_DEPARTMENT)
        assert found is not None, "a stage always has a department"
        return Department.of(found)

    @strawberry.field(description="The unit carrying the stage; null when the list names none.")
    def unit(self, info: Info) -> Unit | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.STAGE_UNIT)
        return Unit.of(found) if found else None

    @strawberry.field(description="The post answerable for the stage.")
    def post(self, info: Info) -> Post | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.STAGE_POST)
        return Post.of(found) if found else None


@strawberry.type(description="A fault accountability decision (问责).")
class AccountabilityRecord(Identified):
    node: strawberry.Private[Node]

    @classmethod
    def of(cls, node: Node) -> AccountabilityRecord:
        return cls(node=node)

    @strawberry.field(description="Stable across loads: `record:<记录编号>`.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field(description="记录编号 as the records write it.")
    def record_id(self) -> str:
        return str(self.node["record_id"])

    @strawberry.field(description="The person decided about; null when the person is not in the graph.")
    def person(self, info: Info) -> Person | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.RECORD_OF)
        return Person.of(found) if found else None

    @strawberry.field(description="The number (办件编号) of the case it is about; null when about none.")
    def case_id(self, info: Info) -> strawberry.ID | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.RECORD_CASE)
        return strawberry.ID(str(found["case_id"])) if found else None

    @strawberry.field(description="过错情形")
    def fault(self) -> str | None:
        return prop_text(self.node, "fault")

    @strawberry.field(description="直接责任 / 主要领导责任 / 重要领导责任")
    def responsibility(self) -> str | None:
        return prop_text(self.node, "responsibility")

    @strawberry.field(description="问责方式")
    def sanction(self) -> str | None:
        return prop_text(self.node, "sanction")

    @strawberry.field(description="The day it was decided (决定日期, ISO 8601).")
    def date(self) -> date:
        return self.node["date"]  # type: ignore[no-any-return]

    @strawberry.field(description="提出机关")
    def raised_by(self) -> str | None:
        return prop_text(self.node, "raised_by")
