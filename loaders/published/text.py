"""The patterns of a published list's text: declared counts, list markers, brackets, titles.

Headers and names wrap inside their cells (`squeeze` takes the white space out); a sheet's name or a
title declares its items' count (`行政许可（11项）`: `DECLARED`); rows and titles are numbered
(`一、`, `（二）`, `3.`: `LIST_MARKER`); a department's second name is in brackets (`BRACKETED`); and
a title or a file name carries a year, a copy's number and words of no use for naming (`title_of`).

    >>> squeeze("事项\\n名称"), DECLARED.search("行政许可（11项）").group(1)
    ('事项名称', '11')
"""

from __future__ import annotations

import re

from loaders.mapping import ListMapping

__all__ = ["BRACKETED", "DECLARED", "LIST_MARKER", "TITLE_BRACKET", "YEAR", "squeeze", "title_of"]

#: A note in brackets at the end of a title: `…权责清单（区县级）`.
TITLE_BRACKET = re.compile(r"[（(]([^（）()]+?)[)）]\s*$")


def squeeze(text: str) -> str:
    """`text` without whitespace: headers and names wrap inside their cells."""
    return re.sub(r"\s+", "", text)


DECLARED = re.compile(r"[（(]\s*(\d+)\s*项\s*[)）]")
LIST_MARKER = re.compile(
    r"^\s*(?:[（(]?\d{1,3}[)）.、．]|[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)\s*"
)


YEAR = re.compile(r"\d{4}\s*年度?")
_COPY = re.compile(r"\s*[（(]\s*\d+\s*[)）]\s*$")
BRACKETED = re.compile(r"[（(]([^（）()]*)[)）]")


def title_of(mapping: ListMapping, text: str) -> str:
    """A title or file name without the noise: `附件：克拉玛依市财政局2025年权责清单 (1)` -> 克拉玛依市财政局."""
    text = _COPY.sub("", re.sub(r"\s+", "", text))
    text = YEAR.sub("", text)
    for noise in mapping.title_noise:
        text = text.replace(noise, "")
    text = re.sub(r"[（(][^（）()]*(类|项)[)）]$", "", text)
    return text.strip("：:（）() ")
