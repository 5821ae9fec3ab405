"""Legal bases as the demo city's lists write them: the law extract they cite, and the styles of citation.

`Laws` reads `laws.json` (full names, ranks, versions and the cited articles' texts by short
name); `render_basis` writes a citation the way real lists do: full or short law names, 【法律】
tags, version notes, quoted article text, ranges, now and then Arabic or full-width numbers or
traditional script.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import Any

import opencc

from loaders.demo.articles import arabic_number, article_of
from loaders.demo.catalogue import EXTRA_LAWS

__all__ = ["Laws", "arabic_number_of", "render_basis", "to_traditional"]


class Laws:
    """The law extract (`laws.json`): full names, ranks, versions and cited article texts by short name."""

    def __init__(self, extract: dict[str, Any]) -> None:
        self.by_short: dict[str, dict[str, Any]] = {law["short"]: law for law in extract["laws"]}
        self.articles: dict[str, dict[str, dict[str, Any]]] = {
            law["short"]: {a["article"]: a for a in law["articles"]} for law in extract["laws"]
        }

    def name(self, short: str) -> str:
        law = self.by_short.get(short)
        return str(law["name"]) if law else short

    def rank(self, short: str) -> str | None:
        law = self.by_short.get(short)
        return str(law["rank"]) if law else EXTRA_LAWS.get(short)

    def text(self, short: str, article: str) -> str | None:
        found = self.articles.get(short, {}).get(article)
        return "\n".join(found["paragraphs"]) if found else None


def render_basis(
    cited: Sequence[tuple[str, str]],
    laws: Laws,
    rng: random.Random,
    *,
    styles: Sequence[str] = (
        "full",
        "full",
        "full",
        "tagged",
        "tagged",
        "short",
        "short",
        "version",
        "quoted",
    ),
    traditional: bool = False,
) -> str:
    """A citation text for (law, articles) pairs, in one of the styles real lists use.

    >>> laws = Laws({"laws": [{"short": "城乡规划法", "name": "中华人民共和国城乡规划法", "rank": "法律",
    ...                         "version": "2019-04-23", "articles": []}]})
    >>> render_basis([("城乡规划法", "第四十条第一款")], laws, random.Random(1), styles=("full",))
    '《中华人民共和国城乡规划法》第四十条第一款'
    """
    style = rng.choice(styles)
    parts = []
    for short, articles in cited:
        name = laws.name(short)
        rank = laws.rank(short) or ""
        if style == "short" or (style == "full" and short in EXTRA_LAWS):
            part = f"《{name.removeprefix('中华人民共和国')}》"
        elif style == "tagged":
            part = rng.choice(_RANK_TAGS.get(rank, ("",))) + f"《{name}》"
        elif style == "version" and laws.by_short.get(short, {}).get("version"):
            year, month, day = laws.by_short[short]["version"].split("-")
            part = f"《{name}》（{int(year)}年{int(month)}月{int(day)}日修订）"
        else:
            part = f"《{name}》"
        written = (
            _arabic(articles, full_width=rng.random() < 0.4) if articles and rng.random() < 0.02 else articles
        )
        part += written
        if (
            style == "quoted"
            and written == articles
            and articles
            and "、" not in articles
            and "至" not in articles
        ):
            text = laws.text(short, article_of(articles))
            if text:
                part += "：" + text.split("\n")[0][:60] + ("……" if len(text) > 60 else "")
        parts.append(part)
    joined = ("\n" if style in ("tagged", "quoted") else "；").join(parts)
    return _TO_TRADITIONAL.convert(joined) if traditional else joined


def to_traditional(text: str) -> str:
    """`text` in traditional script, as some departments write their lists."""
    return str(_TO_TRADITIONAL.convert(text))


def arabic_number_of(article: str) -> int:
    """The number of an article such as 第三十七条, for sorting."""
    return arabic_number(article_of(article)[1:-1])


_TO_TRADITIONAL = opencc.OpenCC("s2t")
_RANK_TAGS = {
    "法律": ("【法律】",),
    "行政法规": ("【法规】", "【行政法规】"),
    "部门规章": ("【规章】",),
    "地方性法规": ("【地方性法规】",),
}
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _arabic(articles: str, *, full_width: bool) -> str:
    """`第三十五条` as `第35条` or full-width `第３５条`, as some users type it."""

    def replace(match: re.Match[str]) -> str:
        number = str(arabic_number(match.group(1)))
        return f"第{number.translate(_FULL_WIDTH) if full_width else number}条"

    return re.sub(r"第([一二三四五六七八九十百零]+)条", replace, articles)
