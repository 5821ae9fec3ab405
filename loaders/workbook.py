"""Read a workbook (see shared/spec/workbook.md) into the graph, all or nothing.

`read_workbook` turns the sheets into nodes and edges and collects every problem
it meets, each with the file, sheet, row, column and value; `load_workbook`
writes the result into a store in one transaction. A workbook with any problem
raises `InvalidData` listing all of them and changes nothing, unless the caller
asks to skip bad rows, in which case those rows (and rows that depend on them)
are left out and their problems returned in the report.

    >>> from graph import MemoryStore
    >>> store = MemoryStore()
    >>> report = load_workbook(DEMO_WORKBOOK, store)            # doctest: +SKIP
    >>> report.counts[NodeKind.DEPARTMENT]                       # doctest: +SKIP
    47

Every node and edge remembers where it came from (`Origin`: file, sha256, sheet,
row, and for edges read from one cell, the column).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from graph import ids, progress
from graph.errors import InvalidData, Problem
from graph.model import Edge, Node, Origin
from graph.store import GraphStore
from graph.text import normalize
from loaders.cells import CellError, cell_text, parse_count, parse_date, parse_list
from loaders.citations import Citation, parse_citations
from loaders.numerals import chinese_numeral
from loaders.sheets import SHEETS, Sheet, sheet_for
from loaders.tables import Table, column_letter, read_tables
from ontology import EdgeKind, NodeKind, PostCategory, PowerType, StageRole

__all__ = [
    "POWER_TYPES",
    "LoadReport",
    "WorkbookGraph",
    "article_label",
    "citation_part",
    "load_workbook",
    "merge_edge",
    "merge_node",
    "read_workbook",
    "stage_role",
    "write_graph",
]


@dataclass(slots=True)
class WorkbookGraph:
    """What a workbook holds, as nodes and edges, and the problems met reading it."""

    source: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, EdgeKind, str], Edge] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)

    def counts(self) -> dict[NodeKind, int]:
        """How many nodes of each kind."""
        counts = dict.fromkeys(NodeKind, 0)
        for node in self.nodes.values():
            counts[node.kind] += 1
        return counts


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load wrote: nodes per kind, edges, the rows skipped, and how long it took."""

    source: str
    counts: dict[NodeKind, int]
    edges: int
    skipped: list[Problem]
    seconds: float


def read_workbook(path: Path, *, skip_bad_rows: bool = False) -> WorkbookGraph:
    """The graph a workbook describes.

    Raises `InvalidData` with every problem found, unless `skip_bad_rows`, in
    which case bad rows are left out and their problems kept in `problems`.
    """
    tables = read_tables(Path(path), wanted=lambda name: sheet_for(name) is not None)
    builder = _Builder(str(path), skip_bad_rows)
    builder.build(tables)
    result = builder.result
    if result.problems and not skip_bad_rows:
        count = len(result.problems)
        raise InvalidData(
            f"{path}: {count} problem{'s' if count != 1 else ''}; nothing was loaded", result.problems
        )
    return result


def load_workbook(
    path: Path, store: GraphStore, *, skip_bad_rows: bool = False, replace: bool = False
) -> LoadReport:
    """Read the workbook at `path` and write it into `store` in one transaction.

    With `replace`, what the store held before is removed in the same
    transaction. Raises `InvalidData` (nothing written) when the workbook has
    problems and `skip_bad_rows` is false.
    """
    started = time.perf_counter()
    graph = read_workbook(path, skip_bad_rows=skip_bad_rows)
    return write_graph(graph, store, replace=replace, started=started)


def write_graph(
    graph: WorkbookGraph, store: GraphStore, *, replace: bool = False, started: float | None = None
) -> LoadReport:
    """Write what a reader made of a source into `store`, in one transaction; `replace` empties it first."""
    started = time.perf_counter() if started is None else started
    with store.writer() as writer:
        if replace:
            writer.clear()
        for node in graph.nodes.values():
            writer.add_node(node)
        for edge in graph.edges.values():
            writer.add_edge(edge)
    return LoadReport(
        source=graph.source,
        counts=graph.counts(),
        edges=len(graph.edges),
        skipped=graph.problems,
        seconds=time.perf_counter() - started,
    )


# -- vocabularies -----------------------------------------------------------------------------

POWER_TYPES: dict[str, PowerType] = {}
for _type in PowerType:
    for _name in (_type.value, _type.value.removeprefix("行政"), _type.name.lower()):
        POWER_TYPES[normalize(_name).casefold()] = _type
POWER_TYPES[normalize("其他")] = PowerType.OTHER
POWER_TYPES[normalize("其他权力")] = PowerType.OTHER
POWER_TYPES[normalize("其它行政权力")] = PowerType.OTHER

_ROLE_NAMES: dict[str, StageRole] = {
    normalize(name).casefold(): role
    for role, names in {
        StageRole.HANDLE: ("承办", "handle", "经办", "办理"),
        StageRole.REVIEW: ("审核", "review", "复核"),
        StageRole.APPROVE: ("批准", "approve", "审批", "决定", "签发"),
    }.items()
    for name in names
}

# Stage names and the role they carry when the 责任类型 is left empty.
_STAGE_ROLES: tuple[tuple[str, StageRole], ...] = (
    ("审核", StageRole.REVIEW),
    ("复核", StageRole.REVIEW),
    ("复审", StageRole.REVIEW),
    ("会审", StageRole.REVIEW),
    ("批准", StageRole.APPROVE),
    ("决定", StageRole.APPROVE),
    ("审批", StageRole.APPROVE),
    ("签发", StageRole.APPROVE),
    ("审定", StageRole.APPROVE),
    ("受理", StageRole.HANDLE),
    ("审查", StageRole.HANDLE),
    ("初审", StageRole.HANDLE),
    ("核查", StageRole.HANDLE),
    ("勘", StageRole.HANDLE),
    ("送达", StageRole.HANDLE),
    ("制证", StageRole.HANDLE),
    ("发证", StageRole.HANDLE),
    ("办结", StageRole.HANDLE),
)

#: rows read between two reports of progress
_PROGRESS_ROWS = 5000
_POST_CATEGORIES = {normalize(category.value): category.value for category in PostCategory}
_QUOTA_TYPES = {normalize(name): name for name in ("行政编制", "事业编制", "工勤编制", "编外")}
_FUNCTION_CATEGORIES = {normalize(name): name for name in ("经济调节", "市场监管", "社会管理", "公共服务")}
_OUTCOMES = {normalize(name): name for name in ("准予", "不予", "退回", "逾期", "撤回")}
_RESPONSIBILITIES = {normalize(name): name for name in ("直接责任", "主要领导责任", "重要领导责任")}


def stage_role(name: str) -> StageRole | None:
    """The role a stage carries by its name when none is given: 受理 -> HANDLE, 审核 -> REVIEW …"""
    key = normalize(name)
    for word, role in _STAGE_ROLES:
        if word in key:
            return role
    return None


def article_label(number: int, suffix: int | None = None) -> str:
    """The Chinese label of an article: 40 -> '第四十条', (10, 1) -> '第十条之一'."""
    label = f"第{_chinese(number)}条"
    return f"{label}之{_chinese(suffix)}" if suffix else label


def _chinese(number: int) -> str:
    """`number` in Chinese numerals below 1000 (`chinese_numeral`); from 1000 on, in Arabic digits, as
    the labels have been written so far (第1062条)."""
    return chinese_numeral(number) if number < 1000 else str(number)


# -- reading rows ---------------------------------------------------------------------------


class _Row:
    """One data row of a sheet: typed access to its cells, its problems, and what it adds."""

    def __init__(self, builder: _Builder, layout: _Layout, index: int):
        self.builder = builder
        self.layout = layout
        self.table = table = layout.table
        self.columns = layout.columns
        self.index = index
        self.cells = table.rows[index]
        self.number = index + 1
        self._texts: dict[str, str] = {}
        self._flagged: set[str] = set()  # columns whose cell is flagged (and was reported)
        self.problems: list[Problem] = []
        self.dropped = False  # left out because of a problem reported elsewhere
        self.defines: list[tuple[str, str]] = []  # (sheet, key) of what the row defines
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.origin = Origin(table.file, table.sha256, table.sheet, self.number)

    def raw(self, name: str) -> Any:
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

    def again(self) -> _Row:
        """A fresh row for the same cells, for checks that run once every row of a sheet is read."""
        return _Row(self.builder, self.layout, self.index)

    def header(self, name: str) -> str:
        """How the sheet names the column, with its letter: '实施主体 (E)'."""
        return self.layout.headers[name]

    def text(self, name: str) -> str:
        value = self._texts.get(name)
        if value is None:
            value = self._texts[name] = cell_text(self.raw(name))
        return value

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            self.problem(name, "", "is required")
        return value

    def integer(self, name: str) -> int | None:
        value: int | None = self._typed(name, parse_count)  # every whole-number column is a count
        return value

    def date(self, name: str) -> date | None:
        value: date | None = self._typed(name, parse_date)
        return value

    def items(self, name: str) -> list[str]:
        return parse_list(self.raw(name))

    def choice(self, name: str, allowed: dict[str, str]) -> str | None:
        value = self.text(name)
        if not value:
            return None
        canonical = allowed.get(normalize(value))
        if canonical is None:
            self.problem(name, value, "must be one of " + " / ".join(allowed.values()))
        return canonical

    def problem(self, name: str | None, value: Any, reason: str) -> None:
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
        node = Node(node_id, kind, {k: v for k, v in props.items() if v not in (None, "")}, self.origin)
        self.nodes.append(node)
        return node

    def edge(self, source: str, kind: EdgeKind, target: str, column: str | None = None, **props: Any) -> None:
        origin = self.origin
        if column is not None:
            origin = Origin(origin.file, origin.sha256, origin.sheet, origin.row, self.header(column))
        self.edges.append(
            Edge(source, kind, target, {k: v for k, v in props.items() if v is not None}, origin)
        )

    def extra(self) -> dict[str, str] | None:
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


@dataclass(slots=True)
class _Layout:
    """Where a sheet's header row is and which column holds what."""

    table: Table
    sheet: Sheet
    header_row: int
    columns: dict[str, int]  # column name -> 0-based position
    headers: dict[str, str]  # column name -> how the sheet writes it, with its letter
    extras: dict[str, int]  # headers of columns quanze does not know -> position


class _Builder:
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

    # -- driving --

    def build(self, tables: list[Table]) -> None:
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
                self._problem(
                    table,
                    None,
                    None,
                    table.sheet,
                    f"a second {sheet.name} sheet (the first is {first!r}); merge them into one",
                )
                continue
            by_sheet[sheet.name] = table
        for sheet in SHEETS.values():
            if sheet.required and sheet.name not in by_sheet and sheet.name not in self.unreadable:
                self.unreadable.add(sheet.name)
                reason = f"the required sheet {sheet.title} ({sheet.name}) is missing"
                self.result.problems.append(
                    Problem(sheet.title, None, None, None, reason, self.result.source)
                )
        readers: dict[str, Callable[[_Row], None]] = {
            "departments": self._department,
            "units": self._unit,
            "posts": self._post,
            "holdings": self._holding,
            "laws": self._law,
            "functions": self._function,
            "powers": self._power,
            "stages": self._stage,
            "cases": self._case,
            "case_steps": self._case_step,
            "accountability": self._record,
        }
        what = f"reading {Path(self.result.source).name}"
        total = sum(len(by_sheet[name].rows) for name in readers if name in by_sheet)
        done = 0
        for name, read in readers.items():
            found = by_sheet.get(name)
            if found is not None:
                self.result.sheets.append(found.sheet)
                for row in self._rows(found, SHEETS[name]):
                    try:
                        read(row)
                    except Exception as error:  # a case the reader did not foresee: the row, not a traceback
                        row.problem(None, None, f"cannot be read ({type(error).__name__}: {error})")
                    self._finish(row)
                    done += 1
                    if not done % _PROGRESS_ROWS:
                        progress.step(what, done, total)
            self._run_pending()
            if name == "departments":
                self._break_loops(
                    EdgeKind.MANAGED_BY, "the 主管部门 (parent) chain of {count} departments loops"
                )
            elif name == "powers":
                self._break_loops(EdgeKind.REQUIRES, "the 前置事项 (prerequisites) of {count} items loop")
        progress.step(what, total, total)

    def _rows(self, table: Table, sheet: Sheet) -> Iterator[_Row]:
        layout = self._layout(table, sheet)
        if layout is None:
            self.unreadable.add(sheet.name)
            return
        read = {*layout.columns.values(), *layout.extras.values()}
        flagged_rows = {row for row, column in table.flagged if column in read}  # they read as empty
        for index in range(layout.header_row + 1, len(table.rows)):
            if index in flagged_rows or any(cell_text(cell) for cell in table.rows[index]):
                yield _Row(self, layout, index)

    def _layout(self, table: Table, sheet: Sheet) -> _Layout | None:
        """Find the header row (the first of the top rows naming a required column) and map its columns.

        A sheet without a required column gets one problem, not one per row.
        """
        for index, cells in enumerate(table.rows[:10]):
            columns: dict[str, int] = {}
            extras: dict[str, int] = {}
            for position, cell in enumerate(cells):
                header = cell_text(cell)
                column = sheet.column_for(header) if header else None
                if column is None:
                    if header:
                        extras.setdefault(header, position)
                elif column.name in columns:
                    self._problem(table, index, position, header, f"a second column for {column.header}")
                else:
                    columns[column.name] = position
            if not any(column.name in columns for column in sheet.required_columns):
                continue
            missing = [column for column in sheet.required_columns if column.name not in columns]
            for column in missing:
                self._problem(
                    table,
                    index,
                    None,
                    None,
                    f"the required column {column.header} ({column.name}) is missing",
                )
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
            return _Layout(table, sheet, index, columns, headers, extras)
        self._problem(
            table,
            0,
            None,
            None,
            "no header row naming " + ", ".join(c.header for c in sheet.required_columns),
        )
        return None

    def _problem(
        self, table: Table, row: int | None, column: int | None, value: str | None, reason: str
    ) -> None:
        self.result.problems.append(
            Problem(
                sheet=table.sheet,
                row=None if row is None else row + 1,
                column=None if column is None else column_letter(column),
                value=value,
                reason=reason,
                file=table.file,
            )
        )

    def _finish(self, row: _Row) -> bool:
        """Keep what the row adds, unless it has problems or was dropped; say whether it was kept."""
        if row.problems or row.dropped:
            self.result.problems.extend(row.problems)
            self.rejected.update(row.defines)
            return False
        nodes = self.result.nodes
        for node in row.nodes:
            nodes[node.id] = merge_node(nodes[node.id], node) if node.id in nodes else node
        for edge in row.edges:
            existing = self.result.edges.get(edge.key)
            self.result.edges[edge.key] = edge if existing is None else merge_edge(existing, edge)
        return True

    def _run_pending(self) -> None:
        pending, self.pending = self.pending, []
        for task in pending:
            task()

    def _break_loops(self, kind: EdgeKind, reason: str) -> None:
        """Report each loop of `kind` edges (a department managed, through others, by itself; items each
        the prerequisite of the other) once, at its first row, naming the rows of every member, and take
        its edges out (with `skip_bad_rows`, the rows load without them)."""
        edges = [edge for edge in self.result.edges.values() if edge.kind is kind]
        targets: dict[str, list[str]] = defaultdict(list)
        for edge in edges:
            targets[edge.source].append(edge.target)
        for members in _loops(targets):
            inside = set(members)
            looping = [edge for edge in edges if edge.source in inside and edge.target in inside]
            first: dict[str, Edge] = {}
            for edge in sorted(looping, key=lambda e: e.origin.row if e.origin and e.origin.row else 0):
                first.setdefault(edge.source, edge)
            named = sorted(first.values(), key=lambda e: e.origin.row if e.origin and e.origin.row else 0)
            listed = ", ".join(
                f"{self._label(edge.source)} (row {edge.origin.row if edge.origin else '?'})"
                for edge in named
            )
            where = named[0].origin
            self.result.problems.append(
                Problem(
                    sheet=where.sheet if where else "",
                    row=where.row if where else None,
                    column=where.column if where else None,
                    value=self._label(named[0].target),
                    reason=f"{reason.format(count=len(members))}: {listed}",
                    file=where.file if where else self.result.source,
                )
            )
            for edge in looping:
                del self.result.edges[edge.key]

    def _label(self, node_id: str) -> str:
        node = self.result.nodes.get(node_id)
        if node is None:
            return node_id
        if node.kind is NodeKind.POWER_ITEM:
            sub_item = node.get("sub_item")
            return f"{node['code']} {sub_item}" if sub_item else str(node["code"])
        return str(node.get("name") or node_id)

    # -- look-ups --

    def _department(self, row: _Row) -> None:
        name = row.required("department")
        government = row.required("government")
        row.defines.append(("departments", normalize(name)))
        if not name or not government:
            return
        department = ids.department_id(government, name)
        if department in self.result.nodes:
            row.problem("department", name, f"is a duplicate: {government} already has this department")
            return
        code = row.text("code")
        row.node(
            ids.government_id(government), NodeKind.GOVERNMENT, name=government, key=normalize(government)
        )
        row.node(
            department,
            NodeKind.DEPARTMENT,
            name=name,
            key=normalize(name),
            code=code,
            government=government,
            department_kind=row.text("kind"),
            admin_quota=row.integer("admin_quota"),
            institution_quota=row.integer("institution_quota"),
            extra=row.extra(),
        )
        row.edge(department, EdgeKind.DEPARTMENT_OF, ids.government_id(government))
        if not row.problems:
            self.departments[normalize(name)].append(department)
            if code:
                self.departments[normalize(code)].append(department)
            parent = row.text("parent")
            if parent:
                self.pending.append(lambda: self._managed_by(row.again(), department, parent, government))

    def _managed_by(self, row: _Row, department: str, parent: str, government: str) -> None:
        """Runs once every department is known, since a parent may come after its child."""
        candidates = self.departments.get(normalize(parent), [])
        same_government = [c for c in candidates if c.startswith(f"department:{normalize(government)}/")]
        found = same_government or candidates
        if len(found) != 1:
            row.problem("parent", parent, "names no known department" if not found else "is ambiguous")
        elif found[0] == department:
            row.problem("parent", parent, "names the department itself")
        else:
            row.edge(department, EdgeKind.MANAGED_BY, found[0], "parent")
        self._finish(row)

    def _unknown(self, row: _Row, sheet: str, key: str, column: str, value: str, reason: str) -> None:
        """Report a reference to nothing, unless what it names is on a bad row or an unreadable sheet.

        Those are reported where they are; the rows naming them are left out quietly.
        """
        if sheet in self.unreadable or (sheet, key) in self.rejected:
            row.dropped = True
        else:
            row.problem(column, value, reason)

    def _find_department(self, row: _Row, column: str, name: str) -> str | None:
        found = self.departments.get(normalize(name), [])
        if not found:
            self._unknown(
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

    def _find_unit(self, row: _Row, column: str, department: str, name: str) -> str | None:
        unit = self.units.get((department, normalize(name)))
        if unit is None:
            self._unknown(
                row,
                "units",
                f"{department}/{normalize(name)}",
                column,
                name,
                f"names an unknown unit of {self.result.nodes[department]['name']}",
            )
        return unit

    def _find_post(self, row: _Row, column: str, code: str) -> str | None:
        post = self.posts.get(normalize(code))
        if post is None:
            self._unknown(
                row, "posts", normalize(code), column, code, "names an unknown post (not in the posts sheet)"
            )
        return post

    def _find_items(self, row: _Row, column: str, code: str) -> list[str]:
        found = self.items.get(normalize(code), [])
        if not found:
            self._unknown(
                row,
                "powers",
                normalize(code),
                column,
                code,
                "names an unknown power item (not in the powers sheet)",
            )
        return found

    def _find_person(self, row: _Row, column: str, code: str) -> str | None:
        if normalize(code) not in self.persons:
            self._unknown(
                row,
                "holdings",
                normalize(code),
                column,
                code,
                "names an unknown person (not in the holdings sheet)",
            )
            return None
        return ids.person_id(code)

    # -- sheets --

    def _unit(self, row: _Row) -> None:
        department_name, name = row.required("department"), row.required("unit")
        department = department_name and self._find_department(row, "department", department_name)
        if not department or not name:
            return
        row.defines.append(("units", f"{department}/{normalize(name)}"))
        unit = ids.unit_id(department, name)
        if unit in self.result.nodes:
            row.problem("unit", name, "is a duplicate unit of this department")
            return
        row.node(
            unit,
            NodeKind.UNIT,
            name=name,
            key=normalize(name),
            quota=row.integer("quota"),
            duties=row.text("duties"),
            extra=row.extra(),
        )
        row.edge(unit, EdgeKind.UNIT_OF, department)
        if not row.problems:
            self.units[(department, normalize(name))] = unit

    def _post(self, row: _Row) -> None:
        code, department_name, name = (
            row.required("post_code"),
            row.required("department"),
            row.required("post"),
        )
        row.defines.append(("posts", normalize(code)))
        department = department_name and self._find_department(row, "department", department_name)
        if not code or not department or not name:
            return
        post = ids.post_id(code)
        if normalize(code) in self.posts:
            row.problem("post_code", code, "is a duplicate post code")
            return
        unit_name = row.text("unit")
        unit = self._find_unit(row, "unit", department, unit_name) if unit_name else None
        category = row.choice("category", _POST_CATEGORIES) or PostCategory.STAFF.value
        row.node(
            post,
            NodeKind.POST,
            name=name,
            key=normalize(name),
            code=code,
            category=category,
            rank=row.text("rank"),
            duties=row.text("duties"),
            extra=row.extra(),
        )
        row.edge(post, EdgeKind.POST_IN, unit or department)
        for supervised in row.items("supervises"):
            target = self._find_unit(row, "supervises", department, supervised)
            if target:
                row.edge(post, EdgeKind.SUPERVISES, target)
        if not row.problems:
            self.posts[normalize(code)] = post

    def _holding(self, row: _Row) -> None:
        person_code, name = row.required("person_id"), row.required("name")
        row.defines.append(("holdings", normalize(person_code)))
        post_code = row.text("post_code")
        post = self._find_post(row, "post_code", post_code) if post_code else None
        start, end = row.date("start"), row.date("end")
        if post_code and start is None and not row.text("start"):
            row.problem("start", "", "is required for a holding of a post")
        if start and end and end < start:
            row.problem("end", end.isoformat(), f"is before the start {start.isoformat()}")
        quota_type = row.choice("quota_type", _QUOTA_TYPES)
        quota_name = row.text("quota_department")
        quota = self._find_department(row, "quota_department", quota_name) if quota_name else None
        if not person_code or not name:
            return
        person = ids.person_id(person_code)
        first = self.persons.get(normalize(person_code))
        known = self.result.nodes.get(person)
        if known is not None and normalize(known["name"]) != normalize(name):
            # The names themselves are personal data: the problem says where, not what.
            row.problem("name", None, f"differs from the name of {person_code} in row {first}")
        holding = ids.holding_id(person_code, post_code or None, start, row.number)
        if holding in self.result.nodes:
            row.problem("start", start, f"{person_code} already holds {post_code} from this date")
        row.node(person, NodeKind.PERSON, person_id=person_code, name=name)
        row.node(holding, NodeKind.HOLDING, start=start, end=end, quota_type=quota_type, extra=row.extra())
        row.edge(holding, EdgeKind.HOLDING_OF, person)
        if post:
            row.edge(holding, EdgeKind.HOLDING_POST, post)
        if quota:
            row.edge(holding, EdgeKind.QUOTA_IN, quota)
        if not row.problems:
            self.persons.setdefault(normalize(person_code), row.number)

    def _law(self, row: _Row) -> None:
        name = row.required("law")
        if not name:
            return
        law = ids.law_id(name)
        row.node(law, NodeKind.LAW, name=name, key=law.removeprefix("law:"), rank=row.text("rank"))
        article_text = row.text("article")
        if not article_text:
            return
        cited = [c for c in parse_citations(f"《{name}》{article_text}") if c.article is not None]
        if len(cited) != 1:
            row.problem(
                "article", article_text, "is not one article (write it as 第四十条 or 第四十条第一款)"
            )
            return
        citation = cited[0]
        assert citation.article is not None
        article = ids.article_id(name, citation.article, citation.article_suffix)
        row.node(
            article,
            NodeKind.ARTICLE,
            number=citation.article,
            suffix=citation.article_suffix,
            label=article_label(citation.article, citation.article_suffix),
            text=row.text("text"),
            mandated_duty=row.text("mandated_duty"),
            competent=row.text("competent"),
            extra=row.extra(),
        )
        row.edge(article, EdgeKind.ARTICLE_OF, law)

    def _cite(self, row: _Row, source: str, column: str, text: str) -> str:
        """Add edges from `source` to what the text cites; return the basis status."""
        if not text:
            return "empty"
        citations = parse_citations(text)
        if not citations:
            return "unparsed"
        for position, citation in enumerate(citations):
            row.edge(
                source,
                EdgeKind.CITES,
                self._cited(row, citation),
                column,
                citations=(citation.text,),
                paragraphs=citation_part(citation),
                position=position,  # the order the basis cites them in: stores return edges in any order
            )
        return "parsed" if any(c.article is not None for c in citations) else "law_only"

    def _cited(self, row: _Row, citation: Citation) -> str:
        law = ids.law_id(citation.law)
        if law not in self.result.nodes:
            row.node(law, NodeKind.LAW, name=citation.law, key=citation.law_key, rank=citation.rank)
        if citation.article is None:
            return law
        article = ids.article_id(citation.law, citation.article, citation.article_suffix)
        if article not in self.result.nodes:
            row.node(
                article,
                NodeKind.ARTICLE,
                number=citation.article,
                suffix=citation.article_suffix,
                label=article_label(citation.article, citation.article_suffix),
            )
            row.edge(article, EdgeKind.ARTICLE_OF, law)
        return article

    def _function(self, row: _Row) -> None:
        code, department_name, text = (
            row.required("function_code"),
            row.required("department"),
            row.required("text"),
        )
        department = department_name and self._find_department(row, "department", department_name)
        if not code or not department or not text:
            return
        function = ids.function_id(code)
        if function in self.result.nodes:
            row.problem("function_code", code, "is a duplicate function code")
            return
        basis = row.text("basis")
        row.node(
            function,
            NodeKind.FUNCTION,
            code=code,
            text=text,
            category=row.choice("category", _FUNCTION_CATEGORIES),
            basis=basis,
            extra=row.extra(),
        )
        row.edge(function, EdgeKind.FUNCTION_OF, department)
        for unit_name in row.items("units"):
            unit = self._find_unit(row, "units", department, unit_name)
            if unit:
                row.edge(function, EdgeKind.CARRIED_BY, unit)
        self._cite(row, function, "basis", basis)

    def _power(self, row: _Row) -> None:
        code, name = row.required("item_code"), row.required("item")
        row.defines.append(("powers", normalize(code)))
        type_text = row.required("power_type")
        power_type = POWER_TYPES.get(normalize(type_text).casefold()) if type_text else None
        if type_text and power_type is None:
            row.problem(
                "power_type", type_text, "is not a power type: " + " / ".join(t.value for t in PowerType)
            )
        names = row.items("department")
        if not names:
            row.problem("department", "", "is required")
        departments = [d for d in (self._find_department(row, "department", n) for n in names) if d]
        if not code or not name or power_type is None or len(departments) != len(names) or not names:
            return
        sub_item = row.text("sub_item") or None
        item = ids.power_item_id(code, sub_item)
        if item in self.result.nodes:
            row.problem("item_code", code, "is a duplicate item code" + (" and sub-item" if sub_item else ""))
            return
        unit_name = row.text("unit")
        unit = None
        if unit_name:
            unit = next((u for d in departments if (u := self.units.get((d, normalize(unit_name))))), None)
            if unit is None:
                key = f"{departments[0]}/{normalize(unit_name)}"
                self._unknown(
                    row, "units", key, "unit", unit_name, "names no unit of the implementing department"
                )
        basis = row.text("basis")
        row.node(
            item,
            NodeKind.POWER_ITEM,
            code=code,
            name=name,
            key=normalize(name),
            sub_item=sub_item,
            power_type=power_type.value,
            duties=row.text("duties"),
            triggers=row.text("triggers"),
            statutory_days=row.integer("statutory_days"),
            promised_days=row.integer("promised_days"),
            basis=basis,
            basis_status=self._cite(row, item, "basis", basis),
            note=row.text("note"),
            extra=row.extra(),
        )
        joint = len(departments) > 1 or None  # marked on a joint item only: nothing reads a false one
        for position, department in enumerate(departments):
            row.edge(item, EdgeKind.HELD_BY, department, joint=joint, position=position)
        if unit:
            row.edge(item, EdgeKind.HANDLED_BY, unit)
        if not row.problems:
            self.items[normalize(code)].append(item)
            self.item_departments[item] = departments[0]
            prerequisites = row.items("prerequisites")
            if prerequisites:
                self.pending.append(lambda: self._requires(row.again(), item, prerequisites))

    def _requires(self, row: _Row, item: str, codes: list[str]) -> None:
        """Runs once every item is known, since a prerequisite may come after the item needing it."""
        for code in codes:
            for prerequisite in self._find_items(row, "prerequisites", code):
                if prerequisite == item:
                    row.problem("prerequisites", code, "names the item itself")
                else:
                    row.edge(item, EdgeKind.REQUIRES, prerequisite, "prerequisites")
        self._finish(row)

    def _stage(self, row: _Row) -> None:
        code, step, name = row.required("item_code"), row.integer("step"), row.required("stage")
        if step is None and not row.text("step"):
            row.problem("step", "", "is required")
        elif step is not None and step < 1:
            row.problem("step", step, "must be 1 or more")
        items = self._find_items(row, "item_code", code) if code else []
        role_text = row.text("role")
        role = _ROLE_NAMES.get(normalize(role_text).casefold()) if role_text else stage_role(name)
        if role_text and role is None:
            row.problem("role", role_text, "must be 承办 / 审核 / 批准")
        department_name = row.text("department")
        department = self._find_department(row, "department", department_name) if department_name else None
        unit_name = row.text("unit")
        post_code = row.text("post_code")
        post = self._find_post(row, "post_code", post_code) if post_code else None
        days = row.integer("days")
        if not items or step is None or not name:
            return
        row.defines.extend(("stages", f"{item}/{step}") for item in items)
        for item in items:
            holder = department or self.item_departments.get(item)
            stage = ids.stage_id(item, step)
            if stage in self.result.nodes:
                row.problem("step", step, f"is a duplicate step of item {code}")
                return
            unit = self._find_unit(row, "unit", holder, unit_name) if unit_name and holder else None
            row.node(
                stage,
                NodeKind.STAGE,
                step=step,
                name=name,
                role=role.value if role else None,
                days=days,
                extra=row.extra(),
            )
            row.edge(stage, EdgeKind.STAGE_OF, item)
            if holder:
                row.edge(stage, EdgeKind.STAGE_DEPARTMENT, holder)
            if unit:
                row.edge(stage, EdgeKind.STAGE_UNIT, unit)
            if post:
                row.edge(stage, EdgeKind.STAGE_POST, post)

    def _case(self, row: _Row) -> None:
        code, item_code = row.required("case_id"), row.required("item_code")
        accepted, closed = row.date("accepted"), row.date("closed")
        if accepted is None and not row.text("accepted"):
            row.problem("accepted", "", "is required")
        if accepted and closed and closed < accepted:
            row.problem("closed", closed.isoformat(), f"is before the acceptance {accepted.isoformat()}")
        items = self._find_items(row, "item_code", item_code) if item_code else []
        row.defines.append(("cases", normalize(code)))
        if not code or not items or accepted is None:
            return
        case = ids.case_id(code)
        if case in self.case_items:
            row.problem("case_id", code, "is a duplicate case number")
            return
        row.node(
            case,
            NodeKind.CASE,
            case_id=code,
            accepted=accepted,
            closed=closed,
            outcome=row.choice("outcome", _OUTCOMES),
            problem=row.text("problem"),
            extra=row.extra(),
        )
        row.edge(case, EdgeKind.CASE_OF, items[0])
        if not row.problems:
            self.case_items[case] = items[0]

    def _case_step(self, row: _Row) -> None:
        code, step, person_code = row.required("case_id"), row.integer("step"), row.required("person_id")
        started, finished = row.date("started"), row.date("finished")
        if started is None and not row.text("started"):
            row.problem("started", "", "is required")
        if started and finished and finished < started:
            row.problem("finished", finished.isoformat(), f"is before the start {started.isoformat()}")
        case = ids.case_id(code) if code else None
        if case and case not in self.case_items:
            self._unknown(
                row,
                "cases",
                normalize(code),
                "case_id",
                code,
                "names an unknown case (not in the cases sheet)",
            )
            case = None
        person = self._find_person(row, "person_id", person_code) if person_code else None
        if case is None or step is None or person is None or started is None:
            if step is None and not row.text("step"):
                row.problem("step", "", "is required")
            return
        case_step = ids.case_step_id(code, step)
        if case_step in self.result.nodes:
            row.problem("step", step, f"is a duplicate step of case {code}")
            return
        stage = ids.stage_id(self.case_items[case], step)
        if stage not in self.result.nodes:
            key = f"{self.case_items[case]}/{step}"
            self._unknown(row, "stages", key, "step", str(step), f"the case's item has no stage {step}")
            return
        row.node(
            case_step,
            NodeKind.CASE_STEP,
            step=step,
            started=started,
            finished=finished,
            opinion=row.text("opinion"),
            extra=row.extra(),
        )
        row.edge(case_step, EdgeKind.STEP_OF, case)
        row.edge(case_step, EdgeKind.STEP_STAGE, stage)
        row.edge(case_step, EdgeKind.PERFORMED_BY, person)

    def _record(self, row: _Row) -> None:
        code, person_code = row.required("record_id"), row.required("person_id")
        decided = row.date("date")
        if decided is None and not row.text("date"):
            row.problem("date", "", "is required")
        person = self._find_person(row, "person_id", person_code) if person_code else None
        case_code = row.text("case_id")
        case = ids.case_id(case_code) if case_code else None
        if case and case not in self.case_items:
            reason = "names an unknown case (not in the cases sheet)"
            self._unknown(row, "cases", normalize(case_code), "case_id", case_code, reason)
        record = ids.record_id(code) if code else None
        if record and record in self.result.nodes:
            row.problem("record_id", code, "is a duplicate record number")
        if not record or person is None or decided is None:
            return
        row.node(
            record,
            NodeKind.ACCOUNTABILITY_RECORD,
            record_id=code,
            fault=row.text("fault"),
            responsibility=row.choice("responsibility", _RESPONSIBILITIES),
            sanction=row.text("sanction"),
            date=decided,
            raised_by=row.text("raised_by"),
            extra=row.extra(),
        )
        row.edge(record, EdgeKind.RECORD_OF, person)
        if case:
            row.edge(record, EdgeKind.RECORD_CASE, case)


def _loops(targets: dict[str, list[str]]) -> list[list[str]]:
    """The loops of a directed graph (its strongly connected components of two or more nodes), each
    sorted, in order of their smallest node; Tarjan's algorithm without recursion (a chain of 100,000
    prerequisites would exhaust Python's stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(targets):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            following = targets.get(node, [])
            if position < len(following):
                work.append((node, position + 1))
                target = following[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    found.append(sorted(members))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(found)


def merge_node(old: Node, new: Node) -> Node:
    """A node named by several rows: the first value of each property wins, gaps are filled."""
    props = {**new.props, **old.props}
    return Node(old.id, old.kind, props, old.origin or new.origin)


def merge_edge(old: Edge, new: Edge) -> Edge:
    """The same relation read twice (one item citing two paragraphs of one article): keep both readings."""
    props = dict(old.props)
    for key in ("citations", "paragraphs"):
        if key in new.props:
            props[key] = tuple(dict.fromkeys((*old.props.get(key, ()), *new.props[key])))
    return Edge(old.source, old.kind, old.target, props, old.origin)


def citation_part(citation: Citation) -> tuple[str, ...]:
    """The part of the article a citation names, below the article: ('第一款第三项',) or ()."""
    parts = ""
    if citation.paragraph:
        parts += f"第{_chinese(citation.paragraph)}款"
    if citation.item:
        parts += f"第{_chinese(citation.item)}项"
    return (parts,) if parts else ()
