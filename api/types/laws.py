"""`LawArticle`: a law, or one article of it, as a legal basis cites it.

law_articles(info, [article_node, law_node])   # LawArticles, their laws read in one batch
cited_laws(info, item.id)                      # what the item's (or function's) legal basis cites
"""

from __future__ import annotations

from collections.abc import Sequence

import strawberry

from api.context import Info
from api.types.properties import prop_text
from graph.model import Node
from ontology import EdgeKind, NodeKind

__all__ = ["LawArticle", "cited_laws", "law_articles"]


@strawberry.type(description="A law, or one article of it (法律依据).")
class LawArticle:
    id: strawberry.ID = strawberry.field(
        description="Stable across loads: `article:<law>/<number>` (`-<n>` for 第X条之N), `law:<law>` for "
        "a whole law; the law's name in simplified script, without 中华人民共和国."
    )
    law: str = strawberry.field(description="The law's name as written.")
    article: str | None = strawberry.field(
        description="The article, e.g. 第四十条; null when the whole law is cited."
    )
    parts_cited: list[str] = strawberry.field(
        description="The paragraphs and items cited below the article, e.g. 第一款."
    )
    rank: str | None = strawberry.field(description="效力层级: 法律 / 行政法规 / 地方性法规 / 部门规章 …")
    text: str | None = strawberry.field(
        description="The article's text (条文); null for a whole law, or when no catalogue gives it."
    )
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


def cited_laws(info: Info, source: str) -> list[LawArticle]:
    """The laws and articles the node `source` cites, in the order its legal basis gives them."""
    loaders = info.context.loaders
    edges = sorted(loaders.out(source, EdgeKind.CITES), key=lambda e: (e.get("position", 0), e.target))
    nodes = [loaders.node(edge.target) for edge in edges]
    return law_articles(info, nodes, [edge.get("paragraphs", ()) for edge in edges])
