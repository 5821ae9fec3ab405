"""Working days (工作日) in China: weekends and official holidays off, make-up working days on.

The calendar is the State Council's yearly holiday notices, as kept by the
maintained `chinesecalendar` package (2004 to 2026 in the version pinned here;
e.g. 2024's National Day week 10-01..10-07 is off and Sunday 2024-09-29 and
Saturday 2024-10-12 are make-up working days).

A period is counted the way Chinese administrative law counts it: the day it
starts does not count (行政许可法 and 民法典 第二百零一条: 开始的当日不计入), so
a stage started on a Friday and finished the next Monday took one working day.
`working_days(start, end)` counts the working days in (start, end].

    >>> working_days(date(2024, 9, 27), date(2024, 10, 8))   # Sun 09-29 (make-up), Mon 09-30, Tue 10-08
    3
    >>> is_workday(date(2024, 9, 29)), is_workday(date(2024, 10, 1))
    (True, False)

Outside the years the calendar knows, only weekends are taken off and
`calendar_known` says so, so a caller can flag the figure as approximate.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

__all__ = ["FIRST_YEAR", "LAST_YEAR", "add_working_days", "calendar_known", "is_workday", "working_days"]

FIRST_YEAR: int = min(day.year for day in chinese_calendar.holidays)
LAST_YEAR: int = max(day.year for day in chinese_calendar.holidays)


def calendar_known(day: date) -> bool:
    """Whether the official holidays of `day`'s year are known."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


@lru_cache(maxsize=16384)
def is_workday(day: date) -> bool:
    """Whether `day` is a working day (weekends only, outside the known years)."""
    if calendar_known(day):
        known: bool = chinese_calendar.is_workday(day)
        return known
    return day.weekday() < 5


def working_days(start: date, end: date) -> int:
    """The working days in (start, end]: the start day does not count; 0 when end <= start."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += is_workday(day)
        day += timedelta(days=1)
    return count


def add_working_days(start: date, days: int) -> date:
    """The day on which a period of `days` working days that starts on `start` ends."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        remaining -= is_workday(day)
    return day
