"""Turn spreadsheet cells into values: text, integers, dates and lists; and name a cell's column.

Cells are trimmed and full-width digits and letters folded to half-width. Dates
may be `2024-03-05`, `2024/3/5`, `2024.3.5`, `2024年3月5日` (with or without a
time after them: `10:30`, `10:30:15`, `10时30分`) or a date the spreadsheet stores
as a date or an Excel serial number; the date and the time must be real ones (no
February 29 of 2023, no 25:61). Counts (quotas, days, step numbers) are whole
numbers from 0 to `MAX_COUNT`. A list in a cell is separated by `、`, `；`, `;` or
a line break.

Every parser raises `CellError` with a reason a user can act on; the loader adds
where the cell is.

    >>> parse_date("2024年3月5日"), parse_date("2024/3/5")
    (datetime.date(2024, 3, 5), datetime.date(2024, 3, 5))
    >>> parse_int("１２"), parse_count("3"), parse_list("财政局、审计局；统计局")
    (12, 3, ['财政局', '审计局', '统计局'])
    >>> column_letter(0), column_letter(26)
    ('A', 'AA')
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from graph.errors import QuanzeError
from graph.text import fold_alnum

__all__ = [
    "MAX_COUNT",
    "CellError",
    "cell_text",
    "column_letter",
    "parse_count",
    "parse_date",
    "parse_int",
    "parse_list",
]

#: The largest count a cell may hold: no department has more staff, no procedure more working days
#: (a province's whole staffing is in the hundreds of thousands, but one department's quota is not).
MAX_COUNT = 100_000

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]\s*(?P<time>.*))?$")
_TIME = re.compile(
    r"(?P<hour>\d{1,2})\s*[:：时]\s*(?P<minute>\d{1,2})\s*分?"
    r"(?:\s*[:：]?\s*(?P<second>\d{1,2})(?:\.\d+)?\s*秒?)?\s*(?:Z|[+-]\d{2}:?\d{2})?"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_LIST_SEPARATORS = re.compile(r"[、；;\n\r]+")
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(20000, 80000)  # Excel serial numbers from 1954 to 2119


class CellError(QuanzeError):
    """A cell's value cannot be read as what its column needs."""


def cell_text(value: Any) -> str:
    """The cell as trimmed, width-folded text; '' for an empty cell; 12.0 -> '12'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return fold_alnum(str(value)).replace("\u3000", " ").strip()


def column_letter(column: int) -> str:
    """The spreadsheet's letters of the 0-based column: 0 -> 'A', 26 -> 'AA' (a problem names its cell so)."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def parse_int(value: Any) -> int:
    """The cell as a whole number; raises `CellError` for text, fractions and the like."""
    if isinstance(value, bool):
        raise CellError("is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError("is not a whole number")
    text = cell_text(value).replace(",", "")
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(float(text))
    raise CellError("is not a whole number")


def parse_count(value: Any) -> int:
    """The cell as a count: a whole number from 0 to `MAX_COUNT`; raises `CellError` for fractions,
    negative numbers, infinities and numbers too large to be a count."""
    number = parse_int(value)
    if number < 0:
        raise CellError("is negative (a count is 0 or more)")
    if number > MAX_COUNT:
        raise CellError(f"is implausibly large for a count (more than {MAX_COUNT:,})")
    return number


def parse_date(value: Any) -> date:
    """The cell as a date; raises `CellError` naming the formats that are understood."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and int(value) in _SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = cell_text(value)
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups()[:3])
        try:
            found = date(year, month, day)
        except ValueError as error:
            raise CellError(f"is not a real date ({error})") from None
        time = match.groupdict().get("time")
        if time:
            _check_time(time)
        return found
    if re.fullmatch(r"\d+(\.\d+)?", text) and int(float(text)) in _SERIALS:
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    raise CellError("is not a date (write 2024-03-05, 2024/3/5 or 2024年3月5日)")


def _check_time(text: str) -> None:
    """Raise `CellError` unless `text` is a real time of day (00:00 to 23:59:59)."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise CellError(
            "is not a date (write 2024-03-05, 2024/3/5 or 2024年3月5日, a time after it as 10:30)"
        )
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    second = int(match.group("second") or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(f"is not a real time of day ({text.strip()})")


def parse_list(value: Any) -> list[str]:
    """The cell split on 、 ； ; and line breaks, each part trimmed, empty parts dropped."""
    return [part.strip() for part in _LIST_SEPARATORS.split(cell_text(value)) if part.strip()]
