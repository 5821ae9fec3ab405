"""Text for a terminal: how many cells a text takes (a wide, CJK character two), texts wrapped in
columns of a width, a table's columns fitted to the terminal, a block per row when they cannot be,
and every character a terminal would act on (an escape sequence, a bidirectional override) written
as an escape instead of sent.

    widths = fit_widths([text_width(head) for head in heads], 78)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

__all__ = [
    "MIN_COLUMN",
    "cell_text",
    "fit_widths",
    "pad",
    "printable",
    "row_blocks",
    "row_lines",
    "shown_text",
    "text_width",
    "wrap",
]

MIN_COLUMN = 10  # five Chinese characters a line


def text_width(text: str) -> int:
    """The cells `text` takes on a terminal: a wide (CJK) character two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """`text` cut into lines of at most `width` cells (a wide character never split); one line, "", for
    an empty text."""
    lines, line, used = [], "", 0
    for ch in text:
        step = text_width(ch)
        if used + step > width and line:
            lines.append(line)
            line, used = "", 0
        line, used = line + ch, used + step
    return [*lines, line]


def pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def fit_widths(natural: list[int], room: int) -> list[int] | None:
    """The columns' widths within `room` cells, the widest narrowed first; None when that would take
    one below `MIN_COLUMN`."""
    widths = list(natural)
    while (excess := sum(widths) - room) > 0:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= MIN_COLUMN:
            return None
        others = max((w for i, w in enumerate(widths) if i != widest), default=0)
        widths[widest] -= max(1, min(excess, widths[widest] - max(others, MIN_COLUMN)))
    return widths


def row_lines(cells: Sequence[str], widths: Sequence[int]) -> list[str]:
    """One row of the table, each cell wrapped in its column: as many lines as its longest cell."""
    columns = [wrap(cell, width) for cell, width in zip(cells, widths, strict=True)]
    height = max(len(column) for column in columns)
    return [
        "  ".join(
            pad(column[line] if line < len(column) else "", width)
            for column, width in zip(columns, widths, strict=True)
        ).rstrip()
        for line in range(height)
    ]


def row_blocks(heads: Sequence[str], rows: Sequence[Sequence[str]], total: int) -> str:
    """A block per row, a blank line between them: a `标签：值` line per cell that is not empty, the
    values aligned and wrapped within `total` cells. When the labels would leave the values less than
    half the width, each label is a line of its own and its value follows, indented by two."""
    label = max(text_width(h) for h in heads) + 2  # and the full-width colon
    beside = total - label >= max(MIN_COLUMN, total // 2)
    room = total - label if beside else max(total - 2, MIN_COLUMN)
    blocks = []
    for row in rows:
        lines = []
        for h, cell in zip(heads, row, strict=True):
            if not cell:
                continue
            first, *rest = wrap(cell, room)
            if beside:
                lines.append(pad(f"{h}：", label) + first)
                lines.extend(" " * label + more for more in rest)
            else:
                lines.append(f"{h}：")
                lines.extend("  " + part for part in (first, *rest))
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks) + "\n"


def shown_text(value: Any) -> str:
    """A cell's value as a person reads it: nothing for None, a float to two places, a date in ISO."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cell_text(value: Any) -> str:
    """A cell's value on one line of a terminal, every character it would act on escaped."""
    return printable(shown_text(value).replace("\r\n", " ").replace("\n", " "))


#: what a terminal would act on: C0 and C1 controls (ESC starts an escape sequence), DEL, and the
#: characters that reorder or break the text shown (bidirectional overrides, line separators)
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` for a terminal: every character it would act on written as an escape (`\x1b`, `\t`)."""
    return _UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)
