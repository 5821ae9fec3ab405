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

import strawberry

from api.context import Info
from api.roles import Grant, requires
from api.types.laws import LawArticle, cited_laws
from api.types.paging import Connection, paginate
from api.types.properties import Source, prop_date, prop_int, prop_text, source_of
from graph import organisation
from graph.model import Node
from graph.organisation import LoaderView
from ontology import EdgeKind, NodeKind, StageRole

__all__ = [
    "AccountabilityRecord",
    "Department",
    "Function",
    "Holding",
    "Person",
    "Post",
    "PowerItem",
    "Role",
    "StaffingFigures",
    "Stage",
    "Unit",
    "stage_role",
]


@strawberry.enum(
    name="Role", description="The responsibility role of an approval stage (承办 / 审核 / 批准)."
)
class Role(Enum):
    """The GraphQL enum `Role`: the role of an approval stage (`ontology.StageRole`), not a caller's."""

    HANDLE = "HANDLE"
    REVIEW = "REVIEW"
    APPROVE = "APPROVE"


_STAGE_ROLES = {role.value: Role[role.name] for role in StageRole}


def stage_role(value: str | None) -> Role | None:
    """The GraphQL `Role` of a stage role as the graph writes it (承办 …), or None."""
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
    posts: int
    posts_held: int = strawberry.field(description="posts somebody holds")
    people_at_work: int = strawberry.field(description="people holding a post in the department")


@strawberry.type(description="A body of a government (工作部门).")
class Department:
    node: strawberry.Private[Node]
    id: strawberry.ID
    name: str
    government: str
    kind: str | None = strawberry.field(
        description="机构类型: 组成部门 / 直属机构 / 部门管理机构 / 事业单位 / 议事协调机构"
    )
    code: str | None
    source: Source | None

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
    def staffing(self, info: Info, at: date | None = None) -> StaffingFigures:
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

    @strawberry.field
    def units(self, info: Info) -> list[Unit]:
        return [Unit.of(n) for n in info.context.loaders.sources(self.node.id, EdgeKind.UNIT_OF)]

    @strawberry.field(description="Every post: the leadership's and the units'.")
    def posts(self, info: Info) -> list[Post]:
        loaders = info.context.loaders
        posts = organisation.posts_of_department(LoaderView(loaders), self.node.id)
        return [Post.of(n) for n in loaders.nodes(posts)]

    @strawberry.field
    def functions(self, info: Info) -> list[Function]:
        found = info.context.loaders.sources(self.node.id, EdgeKind.FUNCTION_OF)
        return [Function.of(n) for n in found]

    @strawberry.field
    def power_items(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[PowerItem]:
        found = info.context.loaders.sources(self.node.id, EdgeKind.HELD_BY)
        return paginate(found, lambda node: PowerItem.of(node), first, after, deadline=info.context.deadline)

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Accountability decisions about people working in the department when decided "
        "(investigator role).",
    )
    def accountability_records(self, info: Info) -> list[AccountabilityRecord]:
        records = info.context.records_by_department().get(self.node.id, [])
        return [AccountabilityRecord(node=node) for node in info.context.loaders.nodes(records)]

    @strawberry.field(
        permission_classes=requires(Grant.PERSONS), description="Who held the head post on `at`."
    )
    def head(self, info: Info, at: date | None = None) -> Holding | None:
        view = LoaderView(info.context.loaders)
        found = organisation.department_head(view, self.node.id, at or info.context.today)
        return Holding.of(found) if found is not None else None


@strawberry.type(description="An internal unit of a department (内设机构).")
class Unit:
    node: strawberry.Private[Node]
    id: strawberry.ID
    name: str
    duties: str | None
    source: Source | None

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

    @strawberry.field
    def department(self, info: Info) -> Department:
        found = info.context.loaders.target(self.node.id, EdgeKind.UNIT_OF)
        assert found is not None, "a unit always belongs to a department"
        return Department.of(found)

    @strawberry.field
    def posts(self, info: Info) -> list[Post]:
        return [Post.of(n) for n in info.context.loaders.sources(self.node.id, EdgeKind.POST_IN)]


@strawberry.type(description="A post (岗位) in a unit or in a department's leadership.")
class Post:
    node: strawberry.Private[Node]
    id: strawberry.ID
    code: str
    name: str
    category: str | None = strawberry.field(description="行政首长 / 分管领导 / 内设机构负责人 / 工作人员")
    rank: str | None
    duties: str | None
    source: Source | None

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

    @strawberry.field
    def unit(self, info: Info) -> Unit | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.POST_IN)
        return Unit.of(found) if found is not None and found.kind is NodeKind.UNIT else None

    @strawberry.field
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
        description="The holdings of this post on `at` (default today); every holding when `all` is true.",
    )
    def holders(self, info: Info, at: date | None = None, all: bool = False) -> list[Holding]:
        context = info.context
        if all:
            held = context.loaders.sources(self.node.id, EdgeKind.HOLDING_POST)
            found = organisation.holdings_in_order(held)
        else:
            found = context.loaders.holders(self.node.id, at or context.today)
        return [Holding.of(n) for n in found]


@strawberry.type(description="A person. Personal data: only for the staffing, investigator and admin roles.")
class Person:
    node: strawberry.Private[Node]
    id: strawberry.ID

    @classmethod
    def of(cls, node: Node) -> Person:
        return cls(
            node=node,
            id=strawberry.ID(node.id),
        )

    @strawberry.field(permission_classes=requires(Grant.PERSONS))
    def name(self) -> str:
        return str(self.node["name"])

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Accountability decisions about the person (investigator role).",
    )
    def accountability_records(self, info: Info) -> list[AccountabilityRecord]:
        found = info.context.loaders.sources(self.node.id, EdgeKind.RECORD_OF)
        return [AccountabilityRecord(node=n) for n in found]

    @strawberry.field(permission_classes=requires(Grant.PERSONS))
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
class Holding:
    node: strawberry.Private[Node]
    id: strawberry.ID
    end: date | None

    @classmethod
    def of(cls, node: Node) -> Holding:
        return cls(
            node=node,
            id=strawberry.ID(node.id),
            end=prop_date(node, "end"),
        )

    @strawberry.field
    def person(self, info: Info) -> Person:
        found = info.context.loaders.target(self.node.id, EdgeKind.HOLDING_OF)
        assert found is not None, "a holding always has a person"
        return Person.of(found)

    @strawberry.field(description="The post held.")
    def post(self, info: Info) -> Post:
        found = info.context.loaders.target(self.node.id, EdgeKind.HOLDING_POST)
        assert found is not None, "only holdings of a post are served"
        return Post.of(found)

    @strawberry.field
    def start(self) -> date:
        start = prop_date(self.node, "start")
        assert start is not None, "a holding of a post always starts"
        return start

    @strawberry.field(permission_classes=requires(Grant.STAFFING), description="编制类型 (staffing role)")
    def quota_type(self) -> str | None:
        return prop_text(self.node, "quota_type")


@strawberry.type(description="A function of a department's charter (职能, 三定).")
class Function:
    node: strawberry.Private[Node]
    id: strawberry.ID
    code: str
    text: str
    category: str | None = strawberry.field(description="经济调节 / 市场监管 / 社会管理 / 公共服务")
    source: Source | None

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

    @strawberry.field
    def department(self, info: Info) -> Department:
        found = info.context.loaders.target(self.node.id, EdgeKind.FUNCTION_OF)
        assert found is not None, "a function always belongs to a department"
        return Department.of(found)

    @strawberry.field
    def units(self, info: Info) -> list[Unit]:
        return [Unit.of(n) for n in info.context.loaders.targets(self.node.id, EdgeKind.CARRIED_BY)]

    @strawberry.field
    def laws(self, info: Info) -> list[LawArticle]:
        return cited_laws(info, self.node.id)


@strawberry.type(description="A power item (权力事项): one row of a published power list.")
class PowerItem:
    node: strawberry.Private[Node]
    id: strawberry.ID
    code: str
    name: str
    sub_item: str | None
    power_type: str = strawberry.field(description="One of the ten power types, e.g. 行政许可")
    duties: str | None
    triggers: str | None
    statutory_days: int | None
    promised_days: int | None
    source: Source | None

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

    @strawberry.field
    def departments(self, info: Info) -> list[Department]:
        edges = info.context.loaders.out(self.node.id, EdgeKind.HELD_BY)
        ordered = sorted(edges, key=lambda edge: edge.get("position", 0))
        found = info.context.loaders.nodes([edge.target for edge in ordered])
        return [Department.of(n) for n in found if n is not None]

    @strawberry.field(description="True when the list names several implementing departments (联合实施).")
    def joint(self, info: Info) -> bool:
        return len(info.context.loaders.out(self.node.id, EdgeKind.HELD_BY)) > 1

    @strawberry.field
    def unit(self, info: Info) -> Unit | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.HANDLED_BY)
        return Unit.of(found) if found else None

    @strawberry.field(description="The articles and laws its legal basis cites.")
    def laws(self, info: Info) -> list[LawArticle]:
        return cited_laws(info, self.node.id)

    @strawberry.field(description="The legal basis as written (设定依据).")
    def basis(self) -> str | None:
        return prop_text(self.node, "basis")

    @strawberry.field
    def stages(self, info: Info) -> list[Stage]:
        found = info.context.loaders.sources(self.node.id, EdgeKind.STAGE_OF)
        return [Stage.of(n) for n in sorted(found, key=lambda node: node["step"])]

    @strawberry.field
    def prerequisites(self, info: Info) -> list[PowerItem]:
        return [PowerItem.of(n) for n in info.context.loaders.targets(self.node.id, EdgeKind.REQUIRES)]


@strawberry.type(description="A stage of an approval (审批环节).")
class Stage:
    node: strawberry.Private[Node]
    step: int
    name: str
    days: int | None = strawberry.field(description="The stage's time limit in working days.")

    @classmethod
    def of(cls, node: Node) -> Stage:
        return cls(
            node=node,
            step=int(node["step"]),
            name=str(node["name"]),
            days=prop_int(node, "days"),
        )

    @strawberry.field
    def role(self) -> Role | None:
        return stage_role(self.node.get("role"))

    @strawberry.field(description="The department carrying the stage (it may differ from the item's).")
    def department(self, info: Info) -> Department:
        found = info.context.loaders.target(self.node.id, EdgeKind.STAGE_DEPARTMENT)
        assert found is not None, "a stage always has a department"
        return Department.of(found)

    @strawberry.field
    def unit(self, info: Info) -> Unit | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.STAGE_UNIT)
        return Unit.of(found) if found else None

    @strawberry.field(description="The post answerable for the stage.")
    def post(self, info: Info) -> Post | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.STAGE_POST)
        return Post.of(found) if found else None


@strawberry.type(description="A fault accountability decision (问责).")
class AccountabilityRecord:
    node: strawberry.Private[Node]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field
    def record_id(self) -> str:
        return str(self.node["record_id"])

    @strawberry.field
    def person(self, info: Info) -> Person | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.RECORD_OF)
        return Person.of(found) if found else None

    @strawberry.field
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

    @strawberry.field
    def date(self) -> date:
        return self.node["date"]  # type: ignore[no-any-return]

    @strawberry.field(description="提出机关")
    def raised_by(self) -> str | None:
        return prop_text(self.node, "raised_by")
