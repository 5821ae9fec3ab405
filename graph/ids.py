"""Stable node ids, made from each thing's natural key in normalised form.

The same workbook always gives the same ids, a name written in traditional
script gives the same id as in simplified, and an id tells a person what it is:

    >>> department_id("巴中市人民政府", "巴中市財政局")
    'department:巴中市人民政府/巴中市财政局'
    >>> article_id("中华人民共和国行政许可法", 12)
    'article:行政许可法/12'
    >>> article_id("刑法", 120, 1)
    'article:刑法/120-1'
"""

from __future__ import annotations

from datetime import date

from graph.text import normalize, normalize_law_name

__all__ = [
    "article_id",
    "case_id",
    "case_step_id",
    "department_id",
    "function_id",
    "government_id",
    "holding_id",
    "law_id",
    "person_id",
    "post_id",
    "power_item_id",
    "record_id",
    "stage_id",
    "unit_id",
]


def government_id(name: str) -> str:
    return f"government:{normalize(name)}"


def department_id(government: str, name: str) -> str:
    return f"department:{normalize(government)}/{normalize(name)}"


def unit_id(department: str, name: str) -> str:
    """The id of unit `name` of the department whose id is `department`."""
    return f"unit:{department.removeprefix('department:')}/{normalize(name)}"


def post_id(code: str) -> str:
    return f"post:{normalize(code)}"


def person_id(code: str) -> str:
    return f"person:{normalize(code)}"


def holding_id(person: str, post: str | None, start: date | None, row: int) -> str:
    """A holding is one person on one post from one date; a quota without a post is keyed by its row."""
    if post is None or start is None:
        return f"holding:{normalize(person)}/-/{row}"
    return f"holding:{normalize(person)}/{normalize(post)}/{start.isoformat()}"


def function_id(code: str) -> str:
    return f"function:{normalize(code)}"


def power_item_id(code: str, sub_item: str | None = None, government: str | None = None) -> str:
    """A power item by its code; a sub-item (子项) and a government other than the list's own add to it."""
    key = normalize(code)
    if government:
        key = f"{normalize(government)}/{key}"
    if sub_item:
        key = f"{key}/{normalize(sub_item)}"
    return f"item:{key}"


def stage_id(item: str, step: int) -> str:
    """The id of stage `step` of the power item whose id is `item`."""
    return f"stage:{item.removeprefix('item:')}/{step}"


def law_id(name: str) -> str:
    return f"law:{normalize_law_name(name)}"


def article_id(law: str, number: int, suffix: int | None = None) -> str:
    """Article `number` of law `law` (by name); `suffix` for 第X条之N."""
    key = f"{normalize_law_name(law)}/{number}"
    return f"article:{key}-{suffix}" if suffix else f"article:{key}"


def case_id(code: str) -> str:
    """A case by its number, in capitals: case numbers match whatever their letters' case
    (`bj20240204001` is `case:BJ20240204001`), and a lookup stays one node read."""
    return f"case:{normalize(code).upper()}"


def case_step_id(case: str, step: int) -> str:
    """Step `step` of the case numbered `case`, its number in capitals as in `case_id`."""
    return f"casestep:{normalize(case).upper()}/{step}"


def record_id(code: str) -> str:
    return f"record:{normalize(code)}"
