"""Turn the tables of a workbook into a `WorkbookGraph`, sheet by sheet, in the order the references need.

`WorkbookBuilder.build` takes the tables and a reader per sheet (`loaders.workbook.organisation`,
`.powers`, `.cases`), reads each row of each sheet in order (departments before the units that name
them, items before their stages), keeps what a row adds only when the row has no problem, runs what
waits for a whole sheet (a department's parent may come after it), and breaks the loops of parents
and prerequisites (`loaders.workbook.checks`). The look-ups (`find_department`, `find_unit` …) report
a reference to nothing, unless what it names is on a bad row or an unreadable sheet: those are
reported where they are, and the rows naming them left out quietly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from graph import ids, progress
from graph.errors import Problem
from graph.text import normalize
from loaders.readgraph import WorkbookGraph
from loaders.sheets import SHEETS, Sheet, sheet_for
from loaders.tables import Table
from loaders.workbook.checks import break_loops
from loaders.workbook.rows import Interned, SheetRow, data_rows, find_layout, table_problem
from ontology import EdgeKind

__all__ = ["SheetReader", "WorkbookBuilder"]

#: What reads one row of a sheet into the builder.
SheetReader = Callable[["WorkbookBuilder", SheetRow], None]

#: rows read between two reports of progress
_PROGRESS_ROWS = 5000


class WorkbookBuilder:
    """Turns tables into a `WorkbookGraph`, sheet by sheet, in the order the references need."""

    def __init__(self, source: str, skip_bad_rows: bool) -> None:
        self.result = WorkbookGraph(source)
        self.skip_bad_rows = skip_bad_rows
        self.departments: dict[str, list[str]] = defaultdict(list)  # normalised name or code -> ids
        self.units: dict[tuple[str, str], str] = {}  # (department id, normalised name) -> unit id
        self.posts: dict[str, str] = {}  # normalised code -> post id
        self.persons: dict[str, int] = {}  # normalised person id -> the row that named them first
        self.items: dict[str, list[str]] = defaultdict(list)  # normalised code -> item ids
        self.item_departments: dict[str, str] = {}  # item id -> its first implementing department
        self.case_items: dict[str, str] = {}  # case id -> item id
        self.pending: list[Callable[[], None]] = []
        self.unreadable: set[str] = set()  # sheets whose header could not be read
        self.rejected: set[tuple[str, str]] = set()  # (sheet, key) of the things bad rows define
        self.interned = Interned()  # the values the rows repeat, kept once (see `Interned`)

    def build(self, tables: list[Table], readers: Mapping[str, SheetReader]) -> None:
        """Read the tables, each sheet by its reader (sheet name -> reader), in the readers' order."""
        by_sheet: dict[str, Table] = {}
        for table in tables:
            sheet = sheet_for(table.sheet)
            if sheet is None:
                continue
            if table.unreadable is not None:  # reported once; rows naming what it holds are left out quietly
                self.result.problems.append(table.unreadable)
                self.unreadable.add(sheet.name)
                continue
            if sheet.name in by_sheet:
                first = by_sheet[sheet.name].sheet
                reason = f"a second {sheet.name} sheet (the first is {first!r}); merge them into one"
                self.result.problems.append(table_problem(table, None, None, table.sheet, reason))
                continue
            by_sheet[sheet.name] = table.filled()  # merged cells carry down
        for sheet in SHEETS.values():
            if sheet.required and sheet.name not in by_sheet and sheet.name not in self.unreadable:
                self.unreadable.add(sheet.name)
                reason = f"the required sheet {sheet.title} ({sheet.name}) is missing"
                self.result.problems.append(
                    Problem(sheet.title, None, None, None, reason, self.result.source)
                )
        what = f"reading {Path(self.result.source).name}"
        total = sum(len(by_sheet[name].cells) for name in readers if name in by_sheet)
        done = 0
        for name, read in readers.items():
            found = by_sheet.get(name)
            if found is not None:
                self.result.sheets.append(found.sheet)
                for row in self._rows(found, SHEETS[name]):
                    try:
                        read(self, row)
                    except Exception as error:  # a case the reader did not foresee: the row, not a traceback
                        row.problem(None, None, f"cannot be read ({type(error).__name__}: {error})")
                    self.finish(row)
                    done += 1
                    if not done % _PROGRESS_ROWS:
                        progress.step(what, done, total)
            self._run_pending()
            if name == "departments":
                break_loops(
                    self.result,
                    EdgeKind.MANAGED_BY,
                    "the 主管部门 (parent) chain of {count} departments loops",
                )
            elif name == "powers":
                break_loops(
                    self.result, EdgeKind.REQUIRES, "the 前置事项 (prerequisites) of {count} items loop"
                )
        progress.step(what, total, total)

    def finish(self, row: SheetRow) -> bool:
        """Keep what the row adds, unless it has problems or was dropped; say whether it was kept."""
        if row.problems or row.dropped:
            self.result.problems.extend(row.problems)
            self.rejected.update(row.defines)
            return False
        for node in row.nodes:
            self.result.add_node(node)
        for edge in row.edges:
            self.result.add_edge(edge)
        return True

    # -- look-ups --

    def unknown(self, row: SheetRow, sheet: str, key: str, column: str, value: str, reason: str) -> None:
        """Report a reference to nothing, unless what it names is on a bad row or an unreadable sheet.

        Those are reported where they are; the rows naming them are left out quietly.
        """
        if sheet in self.unreadable or (sheet, key) in self.rejected:
            row.dropped = True
        else:
            row.problem(column, value, reason)

    def find_department(self, row: SheetRow, column: str, name: str) -> str | None:
        """The department a name or code names (in `column` of `row`), or None with the problem noted."""
        found = self.departments.get(normalize(name), [])
        if not found:
            self.unknown(
                row,
                "departments",
                normalize(name),
                column,
                name,
                "names an unknown department (not in the departments sheet)",
            )
            return None
        if len(found) > 1:
            row.problem(column, name, "names departments of several governments; use the department code")
            return None
        return found[0]

    def find_unit(self, row: SheetRow, column: str, department: str, name: str) -> str | None:
        """The unit of `department` a name names, or None with the problem noted."""
        unit = self.units.get((department, normalize(name)))
        if unit is None:
            self.unknown(
                row,
                "units",
                f"{department}/{normalize(name)}",
                column,
                name,
                f"names an unknown unit of {self.result.nodes[department]['name']}",
            )
        return unit

    def find_post(self, row: SheetRow, column: str, code: str) -> str | None:
        """The post a code names, or None with the problem noted."""
        post = self.posts.get(normalize(code))
        if post is None:
            self.unknown(
                row, "posts", normalize(code), column, code, "names an unknown post (not in the posts sheet)"
            )
        return post

    def find_items(self, row: SheetRow, column: str, code: str) -> list[str]:
        """The items (and their sub-items) an item code names; none, with the problem noted."""
        found = self.items.get(normalize(code), [])
        if not found:
            self.unknown(
                row,
                "powers",
                normalize(code),
                column,
                code,
                "names an unknown power item (not in the powers sheet)",
            )
        return found

    def find_person(self, row: SheetRow, column: str, code: str) -> str | None:
        """The person a person id names, or None with the problem noted."""
        if normalize(code) not in self.persons:
            self.unknown(
                row,
                "holdings",
                normalize(code),
                column,
                code,
                "names an unknown person (not in the holdings sheet)",
            )
            return None
        return ids.person_id(code)

    # -- driving --

    def _rows(self, table: Table, sheet: Sheet) -> Iterator[SheetRow]:
        layout = find_layout(table, sheet, self.result.problems, self.interned)
        if layout is None:
            self.unreadable.add(sheet.name)
            return
        yield from data_rows(layout)

    def _run_pending(self) -> None:
        pending, self.pending = self.pending, []
        for task in pending:
            task()
