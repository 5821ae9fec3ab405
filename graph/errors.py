"""The project's errors: one root, and errors that carry their evidence.

`QuanzeError` is the root every package raises from; the command line turns it
into a message and an exit code, the GraphQL service into a typed error.

    >>> problem = Problem("powers", 12, "实施主体", "某某局", "names an unknown department", file="demo.xlsx")
    >>> str(problem)
    "demo.xlsx, sheet powers, row 12, column 实施主体: names an unknown department (value '某某局')"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "GraphIntegrityError",
    "InvalidData",
    "Problem",
    "QuanzeError",
    "StoreUnavailable",
]


class QuanzeError(Exception):
    """The root of every error quanze raises on purpose."""


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the input, and exactly where it is."""

    sheet: str
    row: int | None
    column: str | None
    value: str | None
    reason: str
    file: str = ""

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{', '.join(where)}: {self.reason}{value}"


class InvalidData(QuanzeError):
    """The input has problems; `problems` lists every one of them, in order."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        self.problems = list(problems)
        super().__init__(message)

    def __str__(self) -> str:
        lines = [self.args[0], *(f"  {problem}" for problem in self.problems)]
        return "\n".join(lines)


class GraphIntegrityError(QuanzeError):
    """A write would leave the graph inconsistent (an edge to a missing node, a wrong kind …)."""


class StoreUnavailable(QuanzeError):
    """The store cannot be reached or refuses us (a database down, a login refused)."""
