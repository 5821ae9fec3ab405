"""The GraphQL types of the entities: departments, units, posts, persons, items, stages, laws.

Each type wraps a graph `Node`; relations are resolved through the request's
DataLoaders, so lists fan out in a fixed number of store calls. Fields that
carry personal data or staffing figures need a grant (`api.roles`).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Generic, TypeVar

import strawberry
from graphql import GraphQLError

from api.context import Context
from api.roles import Grant, requires
from graph.analyses.trace import record_departments
from graph.model import Node, Origin
from graph.queries import HEAD_CATEGORY
from ontology import EdgeKind, NodeKind, StageRole

if TYPE_CHECKING:
    from api.traces import AccountabilityRecord

__all__ = [
    "MAX_PAGE_SIZE",
    "BadCursor",
    "Connection",
    "Department",
    "Function",
    "Holding",
    "LawArticle",
    "Person",
    "Post",
    "PowerItem",
    "Source",
    "Stage",
    "StageRoleEnum",
    "Unit",
    "law_article",
    "law_articles",
    "paginate",
    "prop_date",
    "prop_int",
    "prop_text",
]

MAX_PAGE_SIZE = 500

Info = strawberry.Info[Context, None]
T = TypeVar("T")
X = TypeVar("X")


@strawberry.enum(
    name="Role", description="The responsibility role of an approval stage (承办 / 审核 / 批准)."
)
class StageRoleEnum(Enum):
    HANDLE = "HANDLE"
    REVIEW = "REVIEW"
    APPROVE = "APPROVE"


_STAGE_ROLES = {role.value: StageRoleEnum[role.name] for role in StageRole}


@strawberry.type(description="Where a node was read: the file, its sha256, the sheet and the row.")
class Source:
    file: str
    sha256: str
    sheet: str
    row: int
    column: str | None


def prop_text(node: Node | None, prop: str) -> str | None:
    value = None if node is None else node.get(prop)
    return None if value is None else str(value)


def prop_int(node: Node | None, prop: str) -> int | None:
    value = None if node is None else node.get(prop)
    return value if isinstance(value, int) else None


def prop_date(node: Node | None, prop: str) -> date | None:
    value = None if node is None else node.get(prop)
    return value if isinstance(value, date) else None


def _source(node: Node) -> Source | None:
    origin: Origin | None = node.origin
    if origin is None:
        return None
    return Source(
        file=origin.file, sha256=origin.sha256, sheet=origin.sheet, row=origin.row, column=origin.column
    )


@strawberry.type(description="A body of a government (工作部门).")
class Department:
    node: strawberry.Private[Node]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field
    def name(self) -> str:
        return str(self.node["name"])

    @strawberry.field
    def government(self) -> str:
        return str(self.node.get("government", ""))

    @strawberry.field(description="机构类型: 组成部门 / 直属机构 / 部门管理机构 / 事业单位 / 议事协调机构")
    def kind(self) -> str | None:
        return prop_text(self.node, "department_kind")

    @strawberry.field
    def code(self) -> str | None:
        return prop_text(self.node, "code")

    @strawberry.field(permission_classes=requires(Grant.STAFFING), description="行政编制 (staffing role)")
    def admin_quota(self) -> int | None:
        return prop_int(self.node, "admin_quota")

    @strawberry.field(permission_classes=requires(Grant.STAFFING), description="事业编制 (staffing role)")
    def institution_quota(self) -> int | None:
        return prop_int(self.node, "institution_quota")

    @strawberry.field(description="The department that manages it (主管部门).")
    async def parent(self, info: Info) -> Department | None:
        found = await info.context.loaders.target(self.node.id, EdgeKind.MANAGED_BY)
        return Department(node=found) if found else None

    @strawberry.field
    async def units(self, info: Info) -> list[Unit]:
        return [Unit(node=n) for n in await info.context.loaders.sources(self.node.id, EdgeKind.UNIT_OF)]

    @strawberry.field(description="Every post: the leadership's and the units'.")
    async def posts(self, info: Info) -> list[Post]:
        loaders = info.context.loaders
        units = await loaders.sources(self.node.id, EdgeKind.UNIT_OF)
        found = await asyncio.gather(
            *(
                loaders.sources(place, EdgeKind.POST_IN)
                for place in [self.node.id, *(unit.id for unit in units)]
            )
        )
        posts = [post for group in found for post in group]
        return [Post(node=n) for n in sorted(posts, key=lambda node: node.id)]

    @strawberry.field
    async def functions(self, info: Info) -> list[Function]:
        found = await info.context.loaders.sources(self.node.id, EdgeKind.FUNCTION_OF)
        return [Function(node=n) for n in found]

    @strawberry.field
    async def power_items(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[PowerItem]:
        found = await info.context.loaders.sources(self.node.id, EdgeKind.HELD_BY)
        return paginate(found, lambda node: PowerItem(node=node), first, after)

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Accountability decisions about people working in the department when decided "
        "(investigator role).",
    )
    def accountability_records(
        self, info: Info
    ) -> list[Annotated[AccountabilityRecord, strawberry.lazy("api.traces")]]:
        from api.traces import AccountabilityRecord

        reader = info.context.reader
        records = [r for r, d in record_departments(reader).items() if d == self.node.id]
        return [AccountabilityRecord(node=n) for n in reader.nodes_by_id(sorted(records)) if n is not None]

    @strawberry.field(
        permission_classes=requires(Grant.PERSONS), description="Who held the head post on `at`."
    )
    async def head(self, info: Info, at: date | None = None) -> Holding | None:
        loaders = info.context.loaders
        on = at or info.context.today
        posts = await loaders.sources(self.node.id, EdgeKind.POST_IN)
        heads = [post for post in posts if post.get("category") == HEAD_CATEGORY]
        held = await asyncio.gather(*(loaders.holders(post.id, on) for post in heads))
        return next((Holding(node=holdings[0]) for holdings in held if holdings), None)

    @strawberry.field
    def source(self) -> Source | None:
        return _source(self.node)


@strawberry.type(description="An internal unit of a department (内设机构).")
class Unit:
    node: strawberry.Private[Node]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field
    def name(self) -> str:
        return str(self.node["name"])

    @strawberry.field
    def duties(self) -> str | None:
        return prop_text(self.node, "duties")

    @strawberry.field(permission_classes=requires(Grant.STAFFING), description="编制数 (staffing role)")
    def quota(self) -> int | None:
        return prop_int(self.node, "quota")

    @strawberry.field
    async def department(self, info: Info) -> Department:
        found = await info.context.loaders.target(self.node.id, EdgeKind.UNIT_OF)
        assert found is not None, "a unit always belongs to a department"
        return Department(node=found)

    @strawberry.field
    async def posts(self, info: Info) -> list[Post]:
        return [Post(node=n) for n in await info.context.loaders.sources(self.node.id, EdgeKind.POST_IN)]

    @strawberry.field
    def source(self) -> Source | None:
        return _source(self.node)


@strawberry.type(description="A post (岗位) in a unit or in a department's leadership.")
class Post:
    node: strawberry.Private[Node]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field
    def code(self) -> str:
        return str(self.node["code"])

    @strawberry.field
    def name(self) -> str:
        return str(self.node["name"])

    @strawberry.field(description="行政首长 / 分管领导 / 内设机构负责人 / 工作人员")
    def category(self) -> str | None:
        return prop_text(self.node, "category")

    @strawberry.field
    def rank(self) -> str | None:
        return prop_text(self.node, "rank")

    @strawberry.field
    def duties(self) -> str | None:
        return prop_text(self.node, "duties")

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        found = await info.context.loaders.target(self.node.id, EdgeKind.POST_IN)
        return Unit(node=found) if found is not None and found.kind is NodeKind.UNIT else None

    @strawberry.field
    async def department(self, info: Info) -> Department:
        loaders = info.context.loaders
        found = await loaders.target(self.node.id, EdgeKind.POST_IN)
        if found is not None and found.kind is NodeKind.UNIT:
            found = await loaders.target(found.id, EdgeKind.UNIT_OF)
        assert found is not None, "a post always belongs to a department"
        return Department(node=found)

    @strawberry.field(description="The units a 分管领导 post is in charge of.")
    async def supervises(self, info: Info) -> list[Unit]:
        return [Unit(node=n) for n in await info.context.loaders.targets(self.node.id, EdgeKind.SUPERVISES)]

    @strawberry.field(
        permission_classes=requires(Grant.PERSONS),
        description="The holdings of this post on `at` (default today); every holding when `all` is true.",
    )
    async def holders(self, info: Info, at: date | None = None, all: bool = False) -> list[Holding]:
        context = info.context
        if all:
            found = await context.loaders.sources(self.node.id, EdgeKind.HOLDING_POST)
            found.sort(key=lambda node: (node.get("start") or date.min, node.id))
        else:
            found = await context.loaders.holders(self.node.id, at or context.today)
        return [Holding(node=n) for n in found]

    @strawberry.field
    def source(self) -> Source | None:
        return _source(self.node)


@strawberry.type(description="A person. Personal data: only for the staffing, investigator and admin roles.")
class Person:
    node: strawberry.Private[Node]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field(permission_classes=requires(Grant.PERSONS))
    def name(self) -> str:
        return str(self.node["name"])

    @strawberry.field(
        permission_classes=requires(Grant.CASES),
        description="Accountability decisions about the person (investigator role).",
    )
    async def accountability_records(
        self, info: Info
    ) -> list[Annotated[AccountabilityRecord, strawberry.lazy("api.traces")]]:
        from api.traces import AccountabilityRecord

        found = await info.context.loaders.sources(self.node.id, EdgeKind.RECORD_OF)
        return [AccountabilityRecord(node=n) for n in found]

    @strawberry.field(permission_classes=requires(Grant.PERSONS))
    async def holdings(self, info: Info) -> list[Holding]:
        loaders = info.context.loaders
        found = await loaders.sources(self.node.id, EdgeKind.HOLDING_OF)
        posts = await loaders.out(EdgeKind.HOLDING_POST).load_many([n.id for n in found])
        held = [
            n for n, post in zip(found, posts, strict=True) if post
        ]  # a quota without a post is not a holding
        held.sort(key=lambda node: (node.get("start") or date.min, node.id))
        return [Holding(node=n) for n in held]


@strawberry.type(description="A person holding a post over [start, end) (任职); end is null while it lasts.")
class Holding:
    node: strawberry.Private[Node]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field
    async def person(self, info: Info) -> Person:
        found = await info.context.loaders.target(self.node.id, EdgeKind.HOLDING_OF)
        assert found is not None, "a holding always has a person"
        return Person(node=found)

    @strawberry.field(description="The post held.")
    async def post(self, info: Info) -> Post:
        found = await info.context.loaders.target(self.node.id, EdgeKind.HOLDING_POST)
        assert found is not None, "only holdings of a post are served"
        return Post(node=found)

    @strawberry.field
    def start(self) -> date:
        start = prop_date(self.node, "start")
        assert start is not None, "a holding of a post always starts"
        return start

    @strawberry.field
    def end(self) -> date | None:
        return prop_date(self.node, "end")

    @strawberry.field(permission_classes=requires(Grant.STAFFING), description="编制类型 (staffing role)")
    def quota_type(self) -> str | None:
        return prop_text(self.node, "quota_type")


@strawberry.type(description="A function of a department's charter (职能, 三定).")
class Function:
    node: strawberry.Private[Node]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field
    def code(self) -> str:
        return str(self.node["code"])

    @strawberry.field
    def text(self) -> str:
        return str(self.node["text"])

    @strawberry.field(description="经济调节 / 市场监管 / 社会管理 / 公共服务")
    def category(self) -> str | None:
        return prop_text(self.node, "category")

    @strawberry.field
    async def department(self, info: Info) -> Department:
        found = await info.context.loaders.target(self.node.id, EdgeKind.FUNCTION_OF)
        assert found is not None, "a function always belongs to a department"
        return Department(node=found)

    @strawberry.field
    async def units(self, info: Info) -> list[Unit]:
        return [Unit(node=n) for n in await info.context.loaders.targets(self.node.id, EdgeKind.CARRIED_BY)]

    @strawberry.field
    async def laws(self, info: Info) -> list[LawArticle]:
        return await _cited(info, self.node.id)

    @strawberry.field
    def source(self) -> Source | None:
        return _source(self.node)


@strawberry.type(description="A power item (权力事项): one row of a published power list.")
class PowerItem:
    node: strawberry.Private[Node]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field
    def code(self) -> str:
        return str(self.node["code"])

    @strawberry.field
    def name(self) -> str:
        return str(self.node["name"])

    @strawberry.field
    def sub_item(self) -> str | None:
        return prop_text(self.node, "sub_item")

    @strawberry.field(description="One of the ten power types, e.g. 行政许可")
    def power_type(self) -> str:
        return str(self.node["power_type"])

    @strawberry.field
    async def departments(self, info: Info) -> list[Department]:
        edges = await info.context.loaders.out(EdgeKind.HELD_BY).load(self.node.id)
        ordered = sorted(edges, key=lambda edge: edge.get("position", 0))
        found = await info.context.loaders.node.load_many([edge.target for edge in ordered])
        return [Department(node=n) for n in found if n is not None]

    @strawberry.field(description="True when the list names several implementing departments (联合实施).")
    async def joint(self, info: Info) -> bool:
        return len(await info.context.loaders.out(EdgeKind.HELD_BY).load(self.node.id)) > 1

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        found = await info.context.loaders.target(self.node.id, EdgeKind.HANDLED_BY)
        return Unit(node=found) if found else None

    @strawberry.field(description="The articles and laws its legal basis cites.")
    async def laws(self, info: Info) -> list[LawArticle]:
        return await _cited(info, self.node.id)

    @strawberry.field(description="The legal basis as written (设定依据).")
    def basis(self) -> str | None:
        return prop_text(self.node, "basis")

    @strawberry.field
    def duties(self) -> str | None:
        return prop_text(self.node, "duties")

    @strawberry.field
    def triggers(self) -> str | None:
        return prop_text(self.node, "triggers")

    @strawberry.field
    def statutory_days(self) -> int | None:
        return prop_int(self.node, "statutory_days")

    @strawberry.field
    def promised_days(self) -> int | None:
        return prop_int(self.node, "promised_days")

    @strawberry.field
    async def stages(self, info: Info) -> list[Stage]:
        found = await info.context.loaders.sources(self.node.id, EdgeKind.STAGE_OF)
        return [Stage(node=n) for n in sorted(found, key=lambda node: node["step"])]

    @strawberry.field
    async def prerequisites(self, info: Info) -> list[PowerItem]:
        return [
            PowerItem(node=n) for n in await info.context.loaders.targets(self.node.id, EdgeKind.REQUIRES)
        ]

    @strawberry.field
    def source(self) -> Source | None:
        return _source(self.node)


@strawberry.type(description="A stage of an approval (审批环节).")
class Stage:
    node: strawberry.Private[Node]

    @strawberry.field
    def step(self) -> int:
        return int(self.node["step"])

    @strawberry.field
    def name(self) -> str:
        return str(self.node["name"])

    @strawberry.field
    def role(self) -> StageRoleEnum | None:
        role = self.node.get("role")
        return _STAGE_ROLES.get(role) if role else None

    @strawberry.field(description="The department carrying the stage (it may differ from the item's).")
    async def department(self, info: Info) -> Department:
        found = await info.context.loaders.target(self.node.id, EdgeKind.STAGE_DEPARTMENT)
        assert found is not None, "a stage always has a department"
        return Department(node=found)

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        found = await info.context.loaders.target(self.node.id, EdgeKind.STAGE_UNIT)
        return Unit(node=found) if found else None

    @strawberry.field(description="The post answerable for the stage.")
    async def post(self, info: Info) -> Post | None:
        found = await info.context.loaders.target(self.node.id, EdgeKind.STAGE_POST)
        return Post(node=found) if found else None

    @strawberry.field(description="The stage's time limit in working days.")
    def days(self) -> int | None:
        return prop_int(self.node, "days")


@strawberry.type(description="A law, or one article of it (法律依据).")
class LawArticle:
    article_node: strawberry.Private[Node | None]
    law_node: strawberry.Private[Node]
    parts: strawberry.Private[Sequence[str]] = ()

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID((self.article_node or self.law_node).id)

    @strawberry.field(description="The law's name as written.")
    def law(self) -> str:
        return str(self.law_node["name"])

    @strawberry.field(description="The article, e.g. 第四十条; null when the whole law is cited.")
    def article(self) -> str | None:
        return prop_text(self.article_node, "label")

    @strawberry.field(description="The paragraphs and items cited below the article, e.g. 第一款.")
    def parts_cited(self) -> list[str]:
        return list(self.parts)

    @strawberry.field(description="效力层级: 法律 / 行政法规 / 地方性法规 / 部门规章 …")
    def rank(self) -> str | None:
        return prop_text(self.law_node, "rank")

    @strawberry.field
    def text(self) -> str | None:
        return prop_text(self.article_node, "text")

    @strawberry.field(description="The duty the article imposes (规定职责).")
    def mandated_duty(self) -> str | None:
        return prop_text(self.article_node, "mandated_duty")

    @strawberry.field(description="The kind of department the article names (主管部门).")
    def competent(self) -> str | None:
        return prop_text(self.article_node, "competent")


async def law_article(info: Info, node: Node, parts: Sequence[str] = ()) -> LawArticle:
    """A `LawArticle` for an article or a law node."""
    if node.kind is NodeKind.LAW:
        return LawArticle(article_node=None, law_node=node, parts=parts)
    law = await info.context.loaders.target(node.id, EdgeKind.ARTICLE_OF)
    assert law is not None, "an article always belongs to a law"
    return LawArticle(article_node=node, law_node=law, parts=parts)


async def law_articles(
    info: Info, nodes: Sequence[Node | None], parts: Sequence[Sequence[str]] = ()
) -> list[LawArticle]:
    """`LawArticle`s for article and law nodes, their laws loaded in one batch."""
    present = [(node, parts[i] if i < len(parts) else ()) for i, node in enumerate(nodes) if node is not None]
    articles = [node.id for node, _ in present if node.kind is not NodeKind.LAW]
    laws = dict(
        zip(articles, await info.context.loaders.targets_of_many(articles, EdgeKind.ARTICLE_OF), strict=True)
    )
    found = []
    for node, cited in present:
        if node.kind is NodeKind.LAW:
            found.append(LawArticle(article_node=None, law_node=node, parts=cited))
        elif (law := laws.get(node.id)) is not None:
            found.append(LawArticle(article_node=node, law_node=law, parts=cited))
    return found


async def _cited(info: Info, source: str) -> list[LawArticle]:
    loaders = info.context.loaders
    edges = await loaders.out(EdgeKind.CITES).load(source)
    nodes = await loaders.node.load_many([edge.target for edge in edges])
    return await law_articles(info, nodes, [edge.get("paragraphs", ()) for edge in edges])


# -- connections ------------------------------------------------------------------------------


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list, in the Relay convention.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int


class BadCursor(GraphQLError):
    """An `after` cursor this service did not give out, or a page size out of bounds."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})


def encode_cursor(node_id: str) -> str:
    """An opaque cursor for the position after `node_id`."""
    return base64.urlsafe_b64encode(f"quanze:{node_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The node id inside a cursor; raises `BadCursor`."""
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise BadCursor(f"{cursor!r} is not a cursor this service gave out") from None
    if not decoded.startswith("quanze:"):
        raise BadCursor(f"{cursor!r} is not a cursor this service gave out")
    return decoded.removeprefix("quanze:")


def paginate(
    items: Sequence[X],
    wrap_item: Callable[[X], T],
    first: int | None,
    after: str | None,
    key: Callable[[X], str] = lambda item: item.id,  # type: ignore[attr-defined]
) -> Connection[T]:
    """A page of `items` (in the order given): `first` of them after the cursor `after`."""
    if first is not None and not 0 <= first <= MAX_PAGE_SIZE:
        raise BadCursor(f"first must be between 0 and {MAX_PAGE_SIZE}")
    start = 0
    if after:
        wanted = decode_cursor(after)
        position = next((i for i, item in enumerate(items) if key(item) == wanted), None)
        if position is None:
            raise BadCursor(f"{after!r} points to nothing in this list (the data may have changed)")
        start = position + 1
    size = 50 if first is None else first
    page = items[start : start + size]
    edges = [Edge(cursor=encode_cursor(key(item)), node=wrap_item(item)) for item in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + size < len(items),
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=len(items),
    )
