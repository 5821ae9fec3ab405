"""The GraphQL types of the entities: departments, units, posts, persons, items, stages, laws.

Each type wraps a graph `Node`; relations are resolved through the request's
DataLoaders, so lists fan out in a fixed number of store calls. Fields that
carry personal data or staffing figures need a grant (`api.roles`).
"""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from pathlib import PurePath
from typing import TYPE_CHECKING, Annotated, Generic, TypeVar

import strawberry
from graphql import GraphQLError

from api.context import Context, Deadline, Loaders
from api.roles import Grant, requires
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
    "StaffingFigures",
    "Stage",
    "StageRoleEnum",
    "Unit",
    "law_article",
    "law_articles",
    "paginate",
    "paginate_ids",
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
    file: str  # the file's name only: the folders it was read from are the server's
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
        file=_file_name(origin.file),
        sha256=origin.sha256,
        sheet=origin.sheet,
        row=origin.row,
        column=origin.column,
    )


def _file_name(file: str) -> str:
    """A file's name without its folders, whether the path was written on POSIX or on Windows: the
    folders are the server's, and nobody's business (the sha256 tells the file apart)."""
    return PurePath(file.replace("\\", "/")).name or file


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
            source=_source(node),
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
        units = loaders.sources(self.node.id, EdgeKind.UNIT_OF)
        places = [self.node.id, *(unit.id for unit in units)]
        posts = [post for place in places for post in loaders.sources(place, EdgeKind.POST_IN)]
        return [Post.of(n) for n in sorted(posts, key=lambda node: node.id)]

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
    def accountability_records(
        self, info: Info
    ) -> list[Annotated[AccountabilityRecord, strawberry.lazy("api.traces")]]:
        from api.traces import AccountabilityRecord

        records = info.context.records_by_department().get(self.node.id, [])
        return [AccountabilityRecord(node=node) for node in info.context.loaders.nodes(records)]

    @strawberry.field(
        permission_classes=requires(Grant.PERSONS), description="Who held the head post on `at`."
    )
    def head(self, info: Info, at: date | None = None) -> Holding | None:
        loaders = info.context.loaders
        on = at or info.context.today
        posts = loaders.sources(self.node.id, EdgeKind.POST_IN)
        heads = [post for post in posts if post.get("category") == HEAD_CATEGORY]
        held = [loaders.holders(post.id, on) for post in heads]
        return next((Holding.of(holdings[0]) for holdings in held if holdings), None)


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
            source=_source(node),
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
            source=_source(node),
        )

    @strawberry.field
    def unit(self, info: Info) -> Unit | None:
        found = info.context.loaders.target(self.node.id, EdgeKind.POST_IN)
        return Unit.of(found) if found is not None and found.kind is NodeKind.UNIT else None

    @strawberry.field
    def department(self, info: Info) -> Department:
        loaders = info.context.loaders
        found = loaders.target(self.node.id, EdgeKind.POST_IN)
        if found is not None and found.kind is NodeKind.UNIT:
            found = loaders.target(found.id, EdgeKind.UNIT_OF)
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
            found = context.loaders.sources(self.node.id, EdgeKind.HOLDING_POST)
            found.sort(key=lambda node: (node.get("start") or date.min, node.id))
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
    def accountability_records(
        self, info: Info
    ) -> list[Annotated[AccountabilityRecord, strawberry.lazy("api.traces")]]:
        from api.traces import AccountabilityRecord

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
            source=_source(node),
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
        return _cited(info, self.node.id)


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
            source=_source(node),
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
        return _cited(info, self.node.id)

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
    def role(self) -> StageRoleEnum | None:
        role = self.node.get("role")
        return _STAGE_ROLES.get(role) if role else None

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


@strawberry.type(description="A law, or one article of it (法律依据).")
class LawArticle:
    id: strawberry.ID
    law: str = strawberry.field(description="The law's name as written.")
    article: str | None = strawberry.field(
        description="The article, e.g. 第四十条; null when the whole law is cited."
    )
    parts_cited: list[str] = strawberry.field(
        description="The paragraphs and items cited below the article, e.g. 第一款."
    )
    rank: str | None = strawberry.field(description="效力层级: 法律 / 行政法规 / 地方性法规 / 部门规章 …")
    text: str | None
    mandated_duty: str | None = strawberry.field(description="The duty the article imposes (规定职责).")
    competent: str | None = strawberry.field(
        description="The kind of department the article names (主管部门)."
    )

    @classmethod
    def of(cls, law: Node, article: Node | None = None, parts: Sequence[str] = ()) -> LawArticle:
        return cls(
            id=strawberry.ID((article or law).id),
            law=str(law["name"]),
            article=prop_text(article, "label"),
            parts_cited=list(parts),
            rank=prop_text(law, "rank"),
            text=prop_text(article, "text"),
            mandated_duty=prop_text(article, "mandated_duty"),
            competent=prop_text(article, "competent"),
        )


def law_article(info: Info, node: Node, parts: Sequence[str] = ()) -> LawArticle:
    """A `LawArticle` for an article or a law node."""
    if node.kind is NodeKind.LAW:
        return LawArticle.of(node, parts=parts)
    law = info.context.loaders.target(node.id, EdgeKind.ARTICLE_OF)
    assert law is not None, "an article always belongs to a law"
    return LawArticle.of(law, node, parts)


def law_articles(
    info: Info, nodes: Sequence[Node | None], parts: Sequence[Sequence[str]] = ()
) -> list[LawArticle]:
    """`LawArticle`s for article and law nodes, their laws loaded in one batch."""
    present = [(node, parts[i] if i < len(parts) else ()) for i, node in enumerate(nodes) if node is not None]
    articles = [node.id for node, _ in present if node.kind is not NodeKind.LAW]
    loaders = info.context.loaders
    laws = {article: loaders.target(article, EdgeKind.ARTICLE_OF) for article in articles}
    found = []
    for node, cited in present:
        if node.kind is NodeKind.LAW:
            found.append(LawArticle.of(node, parts=cited))
        elif (law := laws.get(node.id)) is not None:
            found.append(LawArticle.of(law, node, cited))
    return found


def _cited(info: Info, source: str) -> list[LawArticle]:
    loaders = info.context.loaders
    edges = sorted(loaders.out(source, EdgeKind.CITES), key=lambda e: (e.get("position", 0), e.target))
    nodes = [loaders.node(edge.target) for edge in edges]
    return law_articles(info, nodes, [edge.get("paragraphs", ()) for edge in edges])


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


def paginate_ids(
    ids: Sequence[str],
    loaders: Loaders,
    wrap_node: Callable[[Node], T],
    first: int | None,
    after: str | None,
) -> Connection[T]:
    """A page of the nodes with these ids (sorted): the total and the page without reading the other nodes
    (through the request's loaders, which check its deadline)."""
    if first is not None and not 0 <= first <= MAX_PAGE_SIZE:
        raise BadCursor(f"first must be between 0 and {MAX_PAGE_SIZE}")
    start = bisect.bisect_right(ids, decode_cursor(after)) if after else 0
    size = 50 if first is None else first
    page = loaders.nodes(list(ids[start : start + size]))
    edges = [Edge(cursor=encode_cursor(node.id), node=wrap_node(node)) for node in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=start + size < len(ids),
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=len(ids),
    )


def paginate(
    items: Sequence[X],
    wrap_item: Callable[[X], T],
    first: int | None,
    after: str | None,
    key: Callable[[X], str] = lambda item: item.id,  # type: ignore[attr-defined]
    deadline: Deadline | None = None,
) -> Connection[T]:
    """A page of `items` (in the order given): `first` of them after the cursor `after`; raises
    `DeadlineExceeded` instead when the request's `deadline` has passed."""
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
    if deadline is not None:
        deadline.check()
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
