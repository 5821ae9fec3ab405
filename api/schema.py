"""The GraphQL schema of shared/spec/graphql.md: the `Query` type and the built schema.

Resolvers are thin: they call `graph.queries` (and, for the analyses, the
functions of `graph.analyses`) over the request's reader and wrap the nodes.

    result = await SCHEMA.execute("{ departments { totalCount } }", context_value=Context(reader=store))
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.extensions import ParserCache, ValidationCache

from api.context import Context
from api.types import (
    Connection,
    Department,
    LawArticle,
    PowerItem,
    paginate,
)
from graph import queries
from graph.text import normalize
from loaders.workbook import POWER_TYPES

__all__ = ["SCHEMA", "Query", "print_schema"]

Info = strawberry.Info[Context, None]


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
        return paginate(found, lambda node: Department(node=node), first, after)

    @strawberry.field(description="One department by name, in either script; null if none or ambiguous.")
    def department(self, info: Info, name: str, government: str | None = None) -> Department | None:
        found = queries.find_department(info.context.reader, name, government)
        return Department(node=found) if found else None

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
            known = POWER_TYPES.get(normalize(power_type).casefold())
            power_type = known.value if known else power_type
        found = queries.list_power_items(
            info.context.reader, department=department, power_type=power_type, text=text
        )
        return paginate(found, lambda node: PowerItem(node=node), first, after)

    @strawberry.field(description="One power item by its code (and sub-item, when the code has several).")
    def power_item(self, info: Info, code: str, sub_item: str | None = None) -> PowerItem | None:
        found = queries.find_power_item(info.context.reader, code, sub_item)
        return PowerItem(node=found) if found else None

    @strawberry.field(description="The laws and articles the lists cite, each law followed by its articles.")
    def laws(self, info: Info, first: int | None = 50, after: str | None = None) -> Connection[LawArticle]:
        return paginate(
            queries.list_laws(info.context.reader),
            lambda pair: LawArticle(law_node=pair[0], article_node=pair[1]),
            first,
            after,
            key=lambda pair: (pair[1] or pair[0]).id,
        )

    @strawberry.field(description="Today's date as the service sees it (the default of every `at`).")
    def today(self, info: Info) -> date:
        return info.context.today


SCHEMA = strawberry.Schema(
    query=Query,
    # factories: a fresh extension per request, over module-level caches shared by every request
    extensions=[lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)],
)


def print_schema() -> str:
    """The schema in SDL, as kept in api/schema.graphql."""
    return SCHEMA.as_str() + "\n"
