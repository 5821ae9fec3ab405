"""A workbook sheet's layout (its header row, which column holds what) and typed access to its rows.

`find_layout` finds a sheet's header row among its first ten, the first naming a required column, and
maps each column it names (in either script, or by the English alias: `loaders.sheets`); a sheet
missing a required column gets one problem, not one per row. A `SheetRow` reads one data row's cells
as text, counts, dates, lists or one of a few words, records each problem with the file, sheet, row,
column and value, and collects the nodes and edges the row adds, kept only when it has no problem.
What the rows add is `Interned`: a text, a date or a set of edge properties that many rows repeat
(a power type, a department's id, the same 责任事项 on every item) is kept once, not once per row, and
a node's properties are compact `Props`.

    >>> layout = find_layout(table, SHEETS["units"], problems)                    # doctest: +SKIP
    >>> [row.text("unit") for row in data_rows(layout)][:2]                       # doctest: +SKIP
    ['办公室', '登记注册科']
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph.errors import Problem
from graph.model import EMPTY, Edge, Node, Origin, Props
from graph.text import normalize
from loaders.cells import CellError, cell_text, column_letter, parse_count, parse_date, parse_list
from loaders.sheets import Sheet
from loaders.tables import Table
from ontology import EdgeKind, NodeKind

__all__ = ["Interned", "SheetLayout", "SheetRow", "data_rows", "find_layout", "table_problem"]


class Interned:
    """One copy of each value the rows of a workbook repeat: texts and dates (equal values, one object),
    and the properties of edges (equal sets, one mapping; none, the shared `EMPTY`). Kept while the
    workbook is read, so the graph holds a repeated value once.

        >>> interned = Interned()
        >>> interned.value("".join(["行政", "许可"])) is interned.value("行政许可")
        True
        >>> interned.props({}) is EMPTY, interned.props({"position": 0}) is interned.props({"position": 0})
        (True, True)
    """

    __slots__ = ("_props", "_shapes", "_values")

    def __init__(self) -> None:
        self._values: dict[Any, Any] = {}
        self._props: dict[Hashable, Mapping[str, Any]] = {}
        self._shapes: dict[tuple[str, ...], dict[str, int]] = {}  # the names of nodes' properties (`Props`)

    def value(self, value: Any) -> Any:
        """The one copy of `value` when it is a text or a date, else `value` itself."""
        if type(value) is str or type(value) is date:
            return self._values.setdefault(value, value)
        return value

    def node_props(self, props: dict[str, Any]) -> Props:
        """A node's properties as `Props`, their values interned, sharing their names with other nodes'."""
        value = self.value
        return Props.of({name: value(v) for name, v in props.items()}, self._shapes)

    def props(self, props: dict[str, Any]) -> Mapping[str, Any]:
        """The one copy of an edge's properties (`EMPTY` for none); never to be changed in place."""
        if not props:
            return EMPTY
        key = tuple((name, type(value), value) for name, value in props.items())  # True is not 1
        try:
            return self._props.setdefault(key, props)
        except TypeError:  # a value that cannot be hashed: kept as it is
            return props


@dataclass(slots=True)
class SheetLayout:
    """Where a sheet's header row is and which column holds what."""

    table: Table
    sheet: Sheet
    header_row: int
    columns: dict[str, int]  # column name -> 0-based position
    headers: dict[str, str]  # column name -> how the sheet writes it, with its letter
    extras: dict[str, int]  # headers of columns quanze does not know -> position
    interned: Interned = field(default_factory=Interned)  # the values the rows repeat, shared by the sheets


def find_layout(
    table: Table, sheet: Sheet, problems: list[Problem], interned: Interned | None = None
) -> SheetLayout | None:
    """Where the sheet's header row is (the first of the top rows naming a required column) and which
    column holds what; None, with the problems added to `problems`, when no row names a required
    column or the header misses one. A sheet without a required column gets one problem, not one per row.
    The rows' values are kept once in `interned` (give the workbook's, to share them across its sheets).
    """
    for index, cells in enumerate(table.cells[:10]):
        columns: dict[str, int] = {}
        extras: dict[str, int] = {}
        for position, cell in enumerate(cells):
            header = cell_text(cell)
            column = sheet.column_for(header) if header else None
            if column is None:
                if header:
                    extras.setdefault(header, position)
            elif column.name in columns:
                reason = f"a second column for {column.header}"
                problems.append(table_problem(table, index, position, header, reason))
            else:
                columns[column.name] = position
        if not any(column.name in columns for column in sheet.required_columns):
            continue
        missing = [column for column in sheet.required_columns if column.name not in columns]
        for column in missing:
            reason = f"the required column {column.header} ({column.name}) is missing"
            problems.append(table_problem(table, index, None, None, reason))
        if missing:
            return None
        headers = {
            column.name: (
                f"{cell_text(cells[columns[column.name]])} ({column_letter(columns[column.name])})"
                if column.name in columns
                else column.header
            )
            for column in sheet.columns
        }
        return SheetLayout(table, sheet, index, columns, headers, extras, interned or Interned())
    reason = "no header row naming " + ", ".join(c.header for c in sheet.required_columns)
    problems.append(table_problem(table, 0, None, None, reason))
    return None


def data_rows(layout: SheetLayout) -> Iterator[SheetRow]:
    """The rows below the header with a cell of their own (a flagged cell counts: it reads as empty)."""
    table = layout.table
    read = {*layout.columns.values(), *layout.extras.values()}
    flagged_rows = {row for row, column in table.flagged if column in read}  # they read as empty
    for index in range(layout.header_row + 1, len(table.cells)):
        if index in flagged_rows or any(cell_text(cell) for cell in table.cells[index]):
            yield SheetRow(layout, index)


def table_problem(
    table: Table, row: int | None, column: int | None, value: str | None, reason: str
) -> Problem:
    """A problem of the table at 0-based `row` and `column` (None: the whole row, or the whole sheet)."""
    return Problem(
        sheet=table.sheet,
        row=None if row is None else row + 1,
        column=None if column is None else column_letter(column),
        value=value,
        reason=reason,
        file=table.file,
    )


class SheetRow:
    """One data row of a sheet: typed access to its cells, its problems, and what it adds."""

    def __init__(self, layout: SheetLayout, index: int) -> None:
        self.layout = layout
        self.table = table = layout.table
        self.columns = layout.columns
        self.index = index
        self.cells = table.cells[index]
        self.number = index + 1
        self._texts: dict[str, str] = {}
        self._flagged: set[str] = set()  # columns whose cell is flagged (and was reported)
        self.problems: list[Problem] = []
        self.dropped = False  # left out because of a problem reported elsewhere
        self.defines: list[tuple[str, str]] = []  # (sheet, key) of what the row defines
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.origin = Origin(table.file, table.sha256, table.sheet, self.number)
        self._origins: dict[str, Origin] = {}  # column name -> the origin of edges read from its cell

    def raw(self, name: str) -> Any:
        """The cell of the column `name` as read; None when the sheet has no such column, or the cell
        is flagged (its problem is noted once)."""
        column = self.columns.get(name)
        if column is None:
            return None
        flagged = self.table.flagged.get((self.index, column)) if self.table.flagged else None
        if flagged is not None:  # a formula without a saved value, an error value: reads as empty
            if name not in self._flagged:
                self.problem(name, flagged[0], flagged[1])
                self._flagged.add(name)
            return None
        if column >= len(self.cells):
            return None
        return self.cells[column]

    def again(self) -> SheetRow:
        """A fresh row for the same cells, for checks that run once every row of a sheet is read."""
        return SheetRow(self.layout, self.index)

    def header(self, name: str) -> str:
        """How the sheet names the column, with its letter: '实施主体 (E)'."""
        return self.layout.headers[name]

    def text(self, name: str) -> str:
        """The cell as trimmed text ('' when empty)."""
        value = self._texts.get(name)
        if value is None:
            value = self._texts[name] = cell_text(self.raw(name))
        return value

    def required(self, name: str) -> str:
        """The cell as text, noting a problem when it is empty."""
        value = self.text(name)
        if not value:
            self.problem(name, "", "is required")
        return value

    def integer(self, name: str) -> int | None:
        """The cell as a count (None when empty or not one: the problem is noted)."""
        value: int | None = self._typed(name, parse_count)  # every whole-number column is a count
        return value

    def date(self, name: str) -> date | None:
        """The cell as a date (None when empty or not one: the problem is noted)."""
        value: date | None = self._typed(name, parse_date)
        return value

    def items(self, name: str) -> list[str]:
        """The cell as a list (split on 、 ； ; and line breaks)."""
        return parse_list(self.raw(name))

    def choice(self, name: str, allowed: dict[str, str]) -> str | None:
        """The cell as one of the `allowed` words (normalised -> as written), None when empty or none."""
        value = self.text(name)
        if not value:
            return None
        canonical = allowed.get(normalize(value))
        if canonical is None:
            self.problem(name, value, "must be one of " + " / ".join(allowed.values()))
        return canonical

    def problem(self, name: str | None, value: Any, reason: str) -> None:
        """Note a problem of the row, at the column `name` (None: the whole row)."""
        if name is not None and name in self._flagged:
            return  # the cell's own problem is reported: what follows from it (empty, required …) is not
        self.problems.append(
            Problem(
                sheet=self.table.sheet,
                row=self.number,
                column=self.header(name) if name else None,
                value=None if value is None else str(value),
                reason=reason,
                file=self.table.file,
            )
        )

    def node(self, node_id: str, kind: NodeKind, **props: Any) -> Node:
        """A node the row adds (empty properties left out), kept when the row has no problem."""
        interned = self.layout.interned
        kept = interned.node_props({name: v for name, v in props.items() if v not in (None, "")})
        node = Node(interned.value(node_id), kind, kept, self.origin)
        self.nodes.append(node)
        return node

    def edge(self, source: str, kind: EdgeKind, target: str, column: str | None = None, **props: Any) -> None:
        """An edge the row adds (read from the cell of `column`, when given), kept when the row has no
        problem."""
        origin = self.origin
        if column is not None:
            origin = self._origins.get(column) or self._origins.setdefault(
                column, Origin(origin.file, origin.sha256, origin.sheet, origin.row, self.header(column))
            )
        interned = self.layout.interned
        kept = interned.props({name: v for name, v in props.items() if v is not None})
        self.edges.append(Edge(interned.value(source), kind, interned.value(target), kept, origin))

    def extra(self) -> dict[str, str] | None:
        """The cells of the columns quanze does not know, by their headers (None when there are none)."""
        flagged = self.table.flagged
        for header, column in self.layout.extras.items() if flagged else ():
            found = flagged.get((self.index, column))
            if found is not None:
                self.problems.append(
                    Problem(
                        self.table.sheet,
                        self.number,
                        f"{header} ({column_letter(column)})",
                        found[0],
                        found[1],
                        self.table.file,
                    )
                )
        extra = {
            header: cell_text(self.cells[column])
            for header, column in self.layout.extras.items()
            if column < len(self.cells) and cell_text(self.cells[column])
        }
        return extra or None

    def _typed(self, name: str, parse: Callable[[Any], Any]) -> Any:
        raw = self.raw(name)
        if cell_text(raw) == "":
            return None
        try:
            return parse(raw)
        except CellError as error:
            self.problem(name, cell_text(raw), str(error))
            return None
