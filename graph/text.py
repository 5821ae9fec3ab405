"""Normalised forms of Chinese text, for matching; what was written is kept for showing.

Text arrives in simplified and traditional script, with full-width letters,
digits and brackets, and with stray spaces and line breaks (published lists wrap
long names inside a cell). Two strings match when their normalised forms are
equal:

- `fold_width`: full-width ASCII (`ＡＢＣ１２３（）`) to half-width, ideographic space to space;
- `fold_alnum`: only full-width digits and letters to half-width (what a cell shows keeps its
  full-width brackets and punctuation);
- `to_simplified`: traditional to simplified characters (OpenCC's `t2s` table);
- `normalize`: both, with every kind of whitespace removed;
- `normalize_law_name`: `normalize`, without 《》 and the `中华人民共和国` prefix.

    >>> normalize(" 巴中市 財政局\\n")
    '巴中市财政局'
    >>> normalize_law_name("《中華人民共和國行政許可法》")
    '行政许可法'
    >>> fold_width("２０２４年（修正）")
    '2024年(修正)'
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

__all__ = ["fold_alnum", "fold_width", "normalize", "normalize_law_name", "to_simplified"]

_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20  # ideographic space
_ALNUM = {
    code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_SPACE = re.compile(r"\s+")
_CONVERTER = opencc.OpenCC("t2s")
_LAW_WRAPPERS = re.compile(r"[《》〈〉<>“”\"']")
_LAW_PREFIX = "中华人民共和国"


def fold_width(text: str) -> str:
    """`text` with full-width ASCII folded to half-width."""
    return text.translate(_WIDTH)


def fold_alnum(text: str) -> str:
    """`text` with full-width digits and Latin letters folded to half-width, and nothing else.

    >>> fold_alnum("第１２条（ＡＢ）")
    '第12条（AB）'
    """
    # most text has none: a search in C is much cheaper than a translate of a long cell
    return text.translate(_ALNUM) if _FULL_WIDTH_ALNUM.search(text) else text


def to_simplified(text: str) -> str:
    """`text` with traditional characters converted to simplified ones."""
    return str(_CONVERTER.convert(text))


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """The form names are matched on: simplified, half-width, without whitespace."""
    return _SPACE.sub("", to_simplified(fold_width(text)))


@lru_cache(maxsize=16384)
def normalize_law_name(text: str) -> str:
    """A law's name as matched: `normalize`d, without 《》 and the 中华人民共和国 prefix.

    >>> normalize_law_name("中华人民共和国城乡规划法") == normalize_law_name("城乡规划法")
    True
    """
    name = _LAW_WRAPPERS.sub("", normalize(text))
    if name.startswith(_LAW_PREFIX) and len(name) > len(_LAW_PREFIX):
        name = name[len(_LAW_PREFIX) :]
    return name
