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
row, and for edges read from one cell, the column). The modules of the package:
`rows` (a sheet's header and typed access to its rows), `builder` (the sheets in
the order their references need, and the look-ups), `organisation`, `powers`,
`cases` and `supervision` (what each sheet's rows add), `checks` (loops of parents and prerequisites).
"""

from __future__ import annotations

import time
from pathlib import Path

from graph.errors import InvalidData
from graph.store import GraphStore
from loaders.readgraph import LoadReport, WorkbookGraph, write_graph
from loaders.sheets import sheet_for
from loaders.tables import TableFile, read_tables
from loaders.workbook.builder import SheetReader, WorkbookBuilder
from loaders.workbook.cases import read_case, read_case_step, read_record
from loaders.workbook.organisation import read_department, read_holding, read_post, read_unit
from loaders.workbook.powers import read_function, read_law, read_power, read_stage
from loaders.workbook.supervision import read_notice

__all__ = ["load_workbook", "read_workbook"]

#: Each sheet's reader, in the order the sheets are read: what a row names is read before it.
_READERS: dict[str, SheetReader] = {
    "departments": read_department,
    "units": read_unit,
    "posts": read_post,
    "holdings": read_holding,
    "laws": read_law,
    "functions": read_function,
    "powers": read_power,
    "stages": read_stage,
    "cases": read_case,
    "case_steps": read_case_step,
    "accountability": read_record,
    "supervision": read_notice,
}


def read_workbook(
    path: Path, *, skip_bad_rows: bool = False, opened: TableFile | None = None
) -> WorkbookGraph:
    """The graph a workbook describes; `opened` is the workbook's file when already read (a folder of
    .csv files is read here).

    Raises `InvalidData` with every problem found, unless `skip_bad_rows`, in
    which case bad rows are left out and their problems kept in `problems`.
    """
    wanted = _is_workbook_sheet
    tables = opened.tables(wanted) if opened is not None else read_tables(Path(path), wanted=wanted)
    builder = WorkbookBuilder(str(path), skip_bad_rows)
    builder.build(tables, _READERS)
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
    return write_graph(graph, store, replace=replace, started=started, release=True)


def _is_workbook_sheet(name: str) -> bool:
    return sheet_for(name) is not None
