"""Reading the tables of an indicator-system file with their checks, every problem collected.

`Fields` reads one TOML table: each getter checks its field (present when required, of the right
type, within its bounds) and, when it is not, records a `Problem` naming the file, the indicator
(or the part of the file) and the field, and returns None; `finish` records every field the table
has that no getter asked for (a misspelt `wieght` is refused, not ignored).

    >>> problems = Problems("x.toml")
    >>> fields = Fields({"weight": "25%", "colour": 1}, "indicator 4.1", problems)
    >>> fields.number("weight", low=0, high=100), fields.finish()
    (None, None)
    >>> [str(problem) for problem in problems.found]                                 # doctest: +ELLIPSIS
    ["x.toml: indicator 4.1, field weight: not a number (value '25%')", 'x.toml: indicator 4.1, field colour: an unknown field...']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from graph.errors import Problem

__all__ = ["MAX_LIST", "MAX_TEXT", "Fields", "Problems"]

#: the longest text a field may hold, in characters (the longest 评估方式及标准 of the real workbook: ~330)
MAX_TEXT = 5_000
#: the most entries a list of a file may hold (bands, grades, occurrences, bodies)
MAX_LIST = 50


class Problems:
    """The problems found in one file, in the order they were found."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[Problem] = []

    def add(self, where: str, name: str, reason: str, value: Any = None) -> None:
        """Record that the field `name` of `where` (indicator 4.1.1, the template …) is wrong."""
        shown = None if value is None else str(value)[:80]
        self.found.append(Problem("", None, None, shown, f"{where}, field {name}: {reason}", self.file))


class Fields:
    """The fields of one table of a file, read with their checks."""

    def __init__(self, table: Mapping[str, Any], where: str, problems: Problems, prefix: str = "") -> None:
        self.table = table
        self.where = where
        self.problems = problems
        self.prefix = prefix
        self._asked: set[str] = set()

    def has(self, name: str) -> bool:
        """Whether the table has the field `name` (asking counts as reading it)."""
        self._asked.add(name)
        return name in self.table

    def problem(self, name: str, reason: str, value: Any = None) -> None:
        """Record a problem with the field `name` of this table."""
        self.problems.add(self.where, self.prefix + name, reason, value)

    def text(self, name: str, *, required: bool = False, max_chars: int = MAX_TEXT) -> str | None:
        """The text `name` (stripped), or None when absent or wrong."""
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(name, "not a text", value)
            return None
        if len(value) > max_chars:
            self.problem(name, f"longer than {max_chars} characters ({len(value)})")
            return None
        if required and not value.strip():
            self.problem(name, "empty")
            return None
        return value.strip()

    def number(
        self, name: str, *, low: float, high: float, low_included: bool = True, required: bool = False
    ) -> float | None:
        """The number `name`, within `low` (included or not) and `high` (included), or None."""
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.problem(name, "not a number", value)
            return None
        if value < low or (value == low and not low_included) or value > high:
            bounds = f"{'from' if low_included else 'above'} {low:g} to {high:g}"
            self.problem(name, f"out of range ({bounds})", value)
            return None
        return float(value)

    def integer(self, name: str, *, low: int, high: int) -> int | None:
        """The whole number `name`, from `low` to `high`, or None."""
        value = self._get(name, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(name, f"not a whole number from {low} to {high}", value)
            return None
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        """The list of texts `name` (empty when absent or wrong)."""
        value = self._get(name, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            self.problem(name, "not a list of texts", value)
            return ()
        if len(value) > MAX_LIST:
            self.problem(name, f"more than {MAX_LIST} entries ({len(value)})")
            return ()
        return tuple(item.strip() for item in value)

    def table_of(self, name: str, where: str | None = None) -> Fields | None:
        """The table `name`, to read in turn, or None when absent or not a table."""
        value = self._get(name, False)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(name, "not a table", value)
            return None
        return Fields(value, where or self.where, self.problems, f"{self.prefix}{name}.")

    def tables(self, name: str, *, required: bool = False, most: int = MAX_LIST) -> list[Fields]:
        """The list of tables `name` (at most `most`), each to read in turn."""
        value = self._get(name, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(name, "not a list of tables")
            return []
        if len(value) > most:
            self.problem(name, f"more than {most} entries ({len(value)})")
            return []
        if required and not value:
            self.problem(name, "empty")
        return [
            Fields(item, self.where, self.problems, f"{self.prefix}{name}[{i}].")
            for i, item in enumerate(value)
        ]

    def finish(self) -> None:
        """Record the fields of the table no getter asked for."""
        for name in self.table:
            if name not in self._asked:
                self.problem(name, "an unknown field (misspelt, or not part of an indicator system)")

    def _get(self, name: str, required: bool) -> Any:
        self._asked.add(name)
        if name not in self.table:
            if required:
                self.problem(name, "missing")
            return None
        return self.table[name]
