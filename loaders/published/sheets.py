"""A published list's sheets as tables of text, and how the lines of a sheet read.

`read_sheets` gives each sheet of a list file once, its cells as text (numbers as written: `1.0` is
`1`), with the problems of its sheets: one that cannot be read, and the cells that read as empty
though they are not (a formula without a saved value, an error value). The rest says what a line of a
sheet is: the header repeated (`is_repeated_header`, `repeats_header`), the columns numbered under it
(`column_numbers`), a line standing across the table or at its front (`banner`: a heading, a group's
level or type, a footnote), a place heading a group (`is_group_place`); and what a sheet's title
names (`level_in_title`, `type_in_title`). A sheet with its headers down column A is read turned (`read_turned`).

    >>> column_numbers(["1", "2", "3"]), is_group_place("二、独山子区")
    (True, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.errors import InvalidData, Problem
from graph.text import fold_alnum
from loaders.cells import column_letter
from loaders.headers import Layout, find_layout
from loaders.mapping import ListMapping, parse_power_type
from loaders.published.text import DECLARED, LIST_MARKER, TITLE_BRACKET, squeeze
from loaders.tables import Table, TableFile
from ontology import PowerType

__all__ = [
    "LABEL_LINE",
    "SHORT_COLUMNS",
    "banner_of",
    "code_label",
    "column_numbers",
    "file_problem",
    "header_words_of",
    "is_group_place",
    "is_repeated_header",
    "join_lines",
    "level_in_title",
    "merged_spans",
    "read_sheets",
    "read_turned",
    "repeats_header",
    "type_in_title",
]

#: The flagged cells (formulas without a saved value, error values) of one sheet reported one by one.
_FLAGGED_SHOWN = 20


def read_sheets(file: TableFile) -> tuple[list[Table], list[Problem]]:
    """The sheets of a list file as tables of text, each name once in the file's order, and the problems
    of its sheets: a sheet that cannot be read is an empty table with its problem, and a formula without
    a saved value or an error value (which read as empty) is a problem of its sheet (the first 20, then
    their count). Raises `InvalidData` when the file cannot be read, or none of its sheets can."""
    tables = file.tables()  # looks at the file before calamine: no far cell, no zip bomb
    unreadable = [table.unreadable for table in tables if table.unreadable is not None]
    if unreadable and len(unreadable) == len(tables):
        count = len(unreadable)
        raise InvalidData(
            f"{file.path}: no sheet can be read ({count} problem{'s' if count != 1 else ''})", unreadable
        )
    texts: dict[str, Table] = {}
    problems: list[Problem] = []
    for table in tables:
        if table.sheet in texts:
            continue  # calamine reads the first sheet of a name
        if table.unreadable is not None:
            texts[table.sheet] = table
            problems.append(table.unreadable)
            continue
        texts[table.sheet] = table.with_cells([[_cell(value) for value in row] for row in table.cells])
        flagged = sorted(table.flagged.items())
        problems.extend(
            Problem(table.sheet, row + 1, column_letter(column), value, reason, str(file.path))
            for (row, column), (value, reason) in flagged[:_FLAGGED_SHOWN]
        )
        if len(flagged) > _FLAGGED_SHOWN:
            more = f"{len(flagged) - _FLAGGED_SHOWN} more cells like these, which read as empty"
            problems.append(file_problem(file.path, more, table.sheet))
    return list(texts.values()), problems


def file_problem(path: Path | str, reason: str, sheet: str = "") -> Problem:
    """A problem of a whole file (or, with `sheet`, of a whole sheet)."""
    return Problem(sheet=sheet, row=None, column=None, value=None, reason=reason, file=str(path))


#: Columns holding a name or a word: what a narrow column wraps onto several lines is joined again.
SHORT_COLUMNS = ("code", "sequence", "item", "sub_item", "power_type", "department", "unit", "level")


def join_lines(parts: Iterable[str]) -> str:
    """The parts that have text, each once, a line each (a column of several cells, a spanning header)."""
    return "\n".join(dict.fromkeys(part for part in parts if part))


def is_repeated_header(mapping: ListMapping, own: dict[str, str], layout: Layout) -> bool:
    """Whether a row repeats the header (lists printed page by page repeat it on every page)."""
    item = own.get("item", "")
    return 0 < len(item) <= 12 and mapping.column_for(item) == "item" and len(layout.columns) > 1


def read_turned(grid: Table, mapping: ListMapping) -> tuple[Table, Layout] | None:
    """A sheet listing its items in columns (its headers down column A), turned, and its layout;
    None when turned it is no power list either (or it is too wide a sheet to be one)."""
    rows = len(grid.cells)
    width = max((len(cells) for cells in grid.cells), default=0)
    if not 2 <= rows <= 60 or width < 2 or width > 5000:
        return None
    cells = [[grid.own(row, column) for row in range(rows)] for column in range(width)]
    merged = [((left, top), (right, bottom)) for (top, left), (bottom, right) in grid.merged]
    turned = grid.with_cells(cells, merged)
    layout = find_layout(turned, mapping)
    return (turned, layout) if layout is not None and layout.header_row == 0 else None


def code_label(text: str) -> str:
    """A sheet's name or a group row's text as a part of item codes: `二、区县级（30项）` -> 区县级."""
    text = DECLARED.sub("", LIST_MARKER.sub("", re.sub(r"\s+", "", text)))
    return re.sub(r"[-\s]+|权责事项$|事项$", "", text)


def header_words_of(grid: Table, layout: Layout) -> dict[int, set[str]]:
    """Per column, the texts of its header (each row of a two-row header, and both joined)."""
    words: dict[int, set[str]] = {}
    for position, text in layout.header_texts.items():
        words[position] = {text} | {
            t for row in layout.header_rows if (t := squeeze(grid.shown(row, position)))
        }
    return words


def repeats_header(cells: list[str], header_words: dict[int, set[str]]) -> bool:
    """Whether a row's own cells are the header's texts (two at least, and most of the row)."""
    own = [(position, squeeze(text)) for position, text in enumerate(cells) if text]
    same = sum(1 for position, text in own if text in header_words.get(position, ()))
    return same >= 2 and same * 2 > len(own)


def column_numbers(own_text: list[str]) -> bool:
    """Whether a row under the header numbers its columns: 1, 2, 3 … (or （1）（2）…)."""
    digits = [re.sub(r"[（()）\s]", "", text) for text in own_text]
    if len(digits) < 3 or not all(d.isdigit() for d in digits):
        return False
    numbers = [int(d) for d in digits]
    return numbers[0] in (0, 1) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def merged_spans(grid: Table) -> dict[tuple[int, int], int]:
    """How many columns a merged range spans, by its top-left cell (only ranges of two or more)."""
    spans: dict[tuple[int, int], int] = {}
    for (row, _), top in grid.covered.items():
        if row == top[0]:
            spans[top] = spans.get(top, 1) + 1
    return spans


def banner_of(
    cells: list[str],
    index: int,
    spans: dict[tuple[int, int], int],
    sequence: list[int],
    items: list[int],
) -> str | None:
    """The text of a row with one cell of its own, when it stands across the table (merged over three
    columns or more) or at its front (the first column, the number's or the item's): a heading, a
    group's level or type, or a footnote. None for any other row."""
    filled = [position for position, text in enumerate(cells) if text]
    if len(filled) != 1:
        return None
    position = filled[0]
    if spans.get((index, position), 1) >= 3 or position == 0 or position in sequence or position in items:
        return cells[position]
    return None


LABEL_LINE = re.compile(r"^[\u4e00-\u9fff]{2,6}[:：]")


def is_group_place(text: str) -> bool:
    """Whether a group row names a place below the city (`独山子区`, `克拉玛依区权责事项`)."""
    return bool(_GROUP_PLACE.match(LIST_MARKER.sub("", text)))


_GROUP_PLACE = re.compile(
    r"^[\u4e00-\u9fff]{2,8}?(?:区|县|旗|乡|镇|街道)(?:本级)?(?:权责事项|事项|权力事项)?(?:[（(]\d+项[)）])?$"
)


def level_in_title(mapping: ListMapping, title: str) -> str | None:
    """The level a title names in brackets at its end: `…权责清单（区县级）`."""
    match = TITLE_BRACKET.search(title)
    return mapping.level_in(match.group(1)) if match else None


def type_in_title(mapping: ListMapping, title: str) -> PowerType | None:
    """The power type a title names in brackets at its end: `…指导目录（行政检查类）`."""
    match = re.search(r"[（(]([^（）()]+?)类?[)）]\s*$", title)
    return parse_power_type(match.group(1), mapping) if match else None


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return fold_alnum(value).replace("\u3000", " ").strip()
    return str(value).strip()
