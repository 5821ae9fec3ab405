"""Article numbers as Chinese law writes them: `第一百二十二条`, `第三十七条第二款`, ranges and lists.

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

__all__ = ["arabic_number", "article_of", "chinese_number", "expand_articles"]

_DIGITS = "零一二三四五六七八九"
_ARTICLE = re.compile(r"第([零〇一二三四五六七八九十百千]+)条(之[一二三四五六七八九十]+)?")


def chinese_number(number: int) -> str:
    """`number` (1–9999) in Chinese numerals as laws write them: 十, 十二, 一百零五, 一百二十."""
    if not 0 < number < 10000:
        raise ValueError(f"no Chinese article number for {number}")
    if number < 10:
        return _DIGITS[number]
    if number < 20:
        return "十" + (_DIGITS[number - 10] if number > 10 else "")
    parts = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            parts.append(_DIGITS[digit] + unit)
        elif parts and number and not parts[-1].endswith("零"):
            parts.append("零")
    return "".join(parts).rstrip("零")


def arabic_number(text: str) -> int:
    """The value of a Chinese numeral such as 一百零五 or 十二."""
    total, digit = 0, 0
    for char in text.replace("〇", "零"):
        if char in _DIGITS:
            digit = _DIGITS.index(char)
        elif char in "十百千":
            total += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[char]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text}")
    return total + digit


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
