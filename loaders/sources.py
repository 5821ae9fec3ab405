"""Read whatever a user gives as a WORKBOOK: a quanze workbook, published lists, or a service catalogue.

Every command that reads data takes one path. `read_source` tells what it is (`open_source`, which
reads the file once and hands what it read to the reader: a spreadsheet is parsed once) and reads it:

- a quanze workbook (shared/spec/workbook.md): an .xlsx/.xls file whose sheets include 部门 and
  权责清单 (by any of their names), or a folder of .csv files named after the sheets
  -> `loaders.workbook.read_workbook`; also one that lacks a required sheet but has a sheet only a
  workbook has (内设机构, 岗位, 任职, 审批环节, 办件, 办件环节, 问责: a published list has none of them)
  or a 权责清单 sheet headed by the workbook's own required columns (事项编码 …), so that the missing
  sheet is reported rather than the file read as a published list;
- a published power list (`.xls`, also when named `.xlsx`, or `.xlsx`), or a folder of them
  -> `loaders.published.read_published` (one government's graph of all of them);
- a service-item catalogue in JSON Lines (`.jsonl`, `.json`, `.ndjson`, or any file whose first
  line is a JSON object) -> `loaders.catalogue.read_service_catalogue`.

Anything else ends with `InvalidData` and a message that says what was expected: a random
spreadsheet (no sheet a power list or a workbook would have), an empty file, a binary file, a
folder of unrelated files.

    >>> graph = read_source(Path("karamay-power-lists"))                           # doctest: +SKIP
    >>> kind_of_source(Path("policy.jsonl"))                                        # doctest: +SKIP
    'catalogue'
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graph.errors import InvalidData, Problem, QuanzeError
from graph.store import GraphStore
from loaders.catalogue import read_service_catalogue
from loaders.cells import cell_text
from loaders.duties import add_duties, extract_duties
from loaders.laws import attach_catalogue, read_law_catalogue
from loaders.published import PUBLISHED_SUFFIXES, read_published
from loaders.readgraph import LoadReport, WorkbookGraph, write_graph
from loaders.sheets import SHEETS, sheet_for
from loaders.tables import TableFile, open_table_file
from loaders.workbook import read_workbook
from ontology import NodeKind

__all__ = [
    "CATALOGUE_SUFFIXES",
    "WORKBOOK_ONLY_SHEETS",
    "Source",
    "kind_of_source",
    "load_source",
    "open_source",
    "read_source",
    "reading",
]

CATALOGUE_SUFFIXES = (".jsonl", ".json", ".ndjson")
#: Sheets that only a quanze workbook has: a published power list is one department's items, with
#: sheets by power type or level, and never staffing records or case logs. (法律依据 and 职能 are left
#: out: a list may carry its legal bases or its department's functions on a sheet of that name.)
WORKBOOK_ONLY_SHEETS = frozenset(
    {"units", "posts", "holdings", "stages", "cases", "case_steps", "accountability", "supervision"}
)
_OLE = b"\xd0\xcf\x11\xe0"
_ZIP = b"PK\x03\x04"
EXPECTED = (
    "a quanze workbook (.xlsx with the sheets 部门 and 权责清单, or a folder of .csv files), "
    "a published power list (.xls / .xlsx) or a folder of them, or a service catalogue (.jsonl)"
)


@dataclass(frozen=True, slots=True)
class Source:
    """What a path holds, as telling its kind read it: 'workbook', 'published' or 'catalogue', and the
    file it read (once), which the reader then reads on: a spreadsheet or CSV file (`file`, its sheets
    read when first asked for), or a catalogue's bytes (`data`). A folder's files are read by the reader."""

    path: Path
    kind: str
    file: TableFile | None = None
    data: bytes | None = None


def open_source(path: Path) -> Source:
    """What `path` holds (see the module's description), with what was read to tell it.

    Raises `InvalidData` naming the path when it is none of them (or does not exist).
    """
    path = Path(path)
    if path.is_dir():
        return Source(path, _kind_of_folder(path))
    if not path.exists():
        raise _invalid(path, "no such file or folder")
    data = path.read_bytes()
    if not data.strip():
        raise _invalid(path, f"the file is empty; expected {EXPECTED}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return Source(path, "workbook", open_table_file(path, data=data, is_csv=True))
    if data[:4] in (_OLE, _ZIP) or suffix in PUBLISHED_SUFFIXES:
        file = open_table_file(path, data=data, is_csv=False)
        return Source(path, _kind_of_spreadsheet(file), file)
    if suffix in CATALOGUE_SUFFIXES or data.lstrip()[:1] == b"{":
        return Source(path, "catalogue", data=data)
    reason = "a binary file" if b"\x00" in data[:4096] else "a file of unknown kind"
    raise _invalid(path, f"{reason} ({suffix or 'no suffix'}); expected {EXPECTED}")


def kind_of_source(path: Path) -> str:
    """What `path` holds: 'workbook', 'published' or 'catalogue' (`open_source(path).kind`).

    Raises `InvalidData` naming the path when it is none of them (or does not exist).
    """
    return open_source(path).kind


def read_source(
    path: Path | Source, *, government: str | None = None, skip_bad_rows: bool = False, strict: bool = False
) -> WorkbookGraph:
    """The graph of what `path` holds (see the module's description), or of the `Source` already opened:
    each file is read from disk, and parsed, once.

    `government` names the government of published lists (default: the place they name most);
    `skip_bad_rows` leaves out a workbook's bad rows (published lists never stop on a row: what
    they cannot place is in the result's `problems`, with the files of a folder that are not power
    lists, unless `strict`, which makes such a file fail the read). Raises `InvalidData` for
    anything else.
    """
    where = path.path if isinstance(path, Source) else Path(path)
    with reading(where):
        source = path if isinstance(path, Source) else open_source(where)
        if source.kind == "workbook":
            return read_workbook(where, skip_bad_rows=skip_bad_rows, opened=source.file)
        if source.kind == "published":
            return read_published(where, government=government, strict=strict, opened=source.file)
        return read_service_catalogue(where, data=source.data)


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn an error no reader foresaw (a bug met on odd input) into `InvalidData` naming `path`, so that
    a command shows a message, never a traceback; the readers locate what they foresee themselves.

        >>> with reading(Path("lists")):                                              # doctest: +SKIP
        ...     graph, summaries = read_published_with_summary(Path("lists"))
    """
    try:
        yield
    except (QuanzeError, OSError, KeyboardInterrupt):
        raise
    except Exception as error:
        reason = f"cannot be read ({type(error).__name__}: {error})"
        raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))]) from error


def load_source(
    path: Path | Source,
    store: GraphStore,
    *,
    government: str | None = None,
    laws: Path | None = None,
    on: date | None = None,
    skip_bad_rows: bool = False,
    replace: bool = False,
    strict: bool = False,
) -> LoadReport:
    """Read `path` (any source `read_source` knows) and write its graph into `store` in one transaction.

    With `laws` (a law catalogue: a folder like shared/data/laws, or a workbook with a laws sheet),
    each cited law and article is checked against it on the date `on` (default today), for the gaps
    UNKNOWN_LAW, NO_SUCH_ARTICLE and REPEALED_LAW, and the duties the cited laws give to kinds of
    department are added to their articles, for UNHELD_DUTY and MISPLACED.
    """
    started = time.perf_counter()
    graph = read_source(path, government=government, skip_bad_rows=skip_bad_rows, strict=strict)
    if laws is not None:
        catalogue = read_law_catalogue(laws)
        attach_catalogue(graph, catalogue, on=on)
        cited = [
            str(node["key"]) for node in graph.nodes.values() if node.kind is NodeKind.LAW and node.get("key")
        ]
        add_duties(graph, extract_duties(catalogue, laws=cited, on=on))
    return write_graph(graph, store, replace=replace, started=started, release=True)


def _invalid(path: Path, reason: str) -> InvalidData:
    return InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])


def _kind_of_folder(folder: Path) -> str:
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))]
    csvs = [p for p in files if p.suffix.lower() == ".csv"]
    if any(sheet_for(p.stem) is not None for p in csvs):
        return "workbook"  # the workbook reader says which required sheets are missing
    spreadsheets = [p for p in files if p.suffix.lower() in PUBLISHED_SUFFIXES]
    if spreadsheets:
        return "published"
    catalogues = [p for p in files if p.suffix.lower() in CATALOGUE_SUFFIXES]
    if len(catalogues) == 1:
        return "catalogue"
    what = (
        f"{len(files)} file(s), none of them a workbook sheet, a spreadsheet or a catalogue"
        if files
        else "nothing"
    )
    raise _invalid(folder, f"the folder holds {what}; expected {EXPECTED}")


def _kind_of_spreadsheet(file: TableFile) -> str:
    try:
        names = file.names
    except InvalidData as error:
        reason = error.problems[0].reason if error.problems else str(error)
        raise _invalid(file.path, f"{reason}; expected {EXPECTED}") from None
    sheets = {sheet.name for name in names if (sheet := sheet_for(name)) is not None}
    required = {sheet.name for sheet in SHEETS.values() if sheet.required}
    if required <= sheets or sheets & WORKBOOK_ONLY_SHEETS:
        return "workbook"  # the workbook reader says which required sheets are missing
    if "powers" in sheets and _headed_as_workbook_powers(file):
        return "workbook"
    return "published"  # read_published says clearly when it is not a power list either


def _headed_as_workbook_powers(file: TableFile) -> bool:
    """Whether the file's 权责清单 sheet has, in its first rows, a header naming every required column of
    the workbook's powers sheet (事项编码, 权力类型, 权力名称, 实施主体): published lists have no item codes."""
    powers = SHEETS["powers"]

    def wanted(name: str) -> bool:
        sheet = sheet_for(name)
        return sheet is not None and sheet.name == "powers"

    required = {column.name for column in powers.required_columns}
    for table in file.tables(wanted):
        for cells in table.cells[:10]:
            named = {column.name for cell in cells if (column := powers.column_for(cell_text(cell)))}
            if required <= named:
                return True
    return False
