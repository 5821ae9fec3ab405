"""Article numbers as Chinese law writes them: `第一百二十二条`, `第三十七条第二款`, ranges and lists.

`chinese_number` and `arabic_number` are `loaders.numerals`' `chinese_numeral` and
`parse_chinese_numeral`, under the names the demo has used.

>>> chinese_number(122), arabic_number("一百二十二")
('一百二十二', 122)
>>> expand_articles("第五条、第十二条")
['第五条', '第十二条']
>>> expand_articles("第三十条至第三十二条")
['第三十条', '第三十一条', '第三十二条']
>>> article_of("第三十七条第二款")
'第三十七条'
"""

from __future__ import annotations

import re

from loaders.numerals import chinese_numeral as chinese_number
from loaders.numerals import parse_chinese_numeral as arabic_number

__all__ = ["arabic_number", "article_of", "chinese_number", "expand_articles"]

_ARTICLE = re.compile(r"第([零〇一二三四五六七八九十百千]+)条(之[一二三四五六七八九十]+)?")


def article_of(citation: str) -> str:
    """The article (条) a citation such as 第三十七条第二款第（三）项 points into."""
    match = _ARTICLE.search(citation)
    if not match:
        raise ValueError(f"no article in {citation!r}")
    return match.group(0)


def expand_articles(spec: str) -> list[str]:
    """The articles of `第五条、第十二条` or `第三十条至第三十二条` (paragraphs dropped), in order."""
    articles: list[str] = []
    for part in re.split(r"[、，,；;]", spec):
        if not part.strip():
            continue
        if "至" in part:
            first, last = (arabic_number(article_of(side)[1:-1]) for side in part.split("至", 1))
            articles.extend(f"第{chinese_number(n)}条" for n in range(first, last + 1))
        else:
            articles.append(article_of(part))
    return articles
