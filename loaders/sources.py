"""Read whatever a user gives as a WORKBOOK: a quanze workbook, published lists, or a service catalogue.

Every command that reads data takes one path. `read_source` tells what it is and reads it:

- a quanze workbook (shared/spec/workbook.md): an .xlsx/.xls file whose sheets include 部门 and
  权责清单 (by any of their names), or a folder of .csv files named after the sheets
  -> `loaders.workbook.read_workbook`;
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

import io
import time
from datetime import date
from pathlib import Path

import python_calamine

from graph.errors import InvalidData, Problem
from graph.store import GraphStore
from loaders.catalogue import read_service_catalogue
from loaders.duties import add_duties, extract_duties
from loaders.laws import attach_catalogue, read_law_catalogue
from loaders.published import PUBLISHED_SUFFIXES, read_published
from loaders.sheets import SHEETS, sheet_for
from loaders.workbook import LoadReport, WorkbookGraph, read_workbook, write_graph
from ontology import NodeKind

__all__ = ["CATALOGUE_SUFFIXES", "kind_of_source", "load_source", "read_source"]

CATALOGUE_SUFFIXES = (".jsonl", ".json", ".ndjson")
_OLE = b"\xd0\xcf\x11\xe0"
_ZIP = b"PK\x03\x04"
EXPECTED = (
    "a quanze workbook (.xlsx with the sheets 部门 and 权责清单, or a folder of .csv files), "
    "a published power list (.xls / .xlsx) or a folder of them, or a service catalogue (.jsonl)"
)


def kind_of_source(path: Path) -> str:
    """What `path` holds: 'workbook', 'published' or 'catalogue'.

    Raises `InvalidData` naming the path when it is none of them (or does not exist).
    """
    path = Path(path)
    if path.is_dir():
        return _kind_of_folder(path)
    if not path.exists():
        raise _invalid(path, "no such file or folder")
    data = path.read_bytes()
    if not data.strip():
        raise _invalid(path, f"the file is empty; expected {EXPECTED}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "workbook"
    if data[:4] in (_OLE, _ZIP) or suffix in PUBLISHED_SUFFIXES:
        return _kind_of_spreadsheet(path, data)
    if suffix in CATALOGUE_SUFFIXES or data.lstrip()[:1] == b"{":
        return "catalogue"
    reason = "a binary file" if b"\x00" in data[:4096] else "a file of unknown kind"
    raise _invalid(path, f"{reason} ({suffix or 'no suffix'}); expected {EXPECTED}")


def read_source(path: Path, *, government: str | None = None, skip_bad_rows: bool = False) -> WorkbookGraph:
    """The graph of what `path` holds (see the module's description).

    `government` names the government of published lists (default: the place they name most);
    `skip_bad_rows` leaves out a workbook's bad rows (published lists never stop on a row: what
    they cannot place is in the result's `problems`). Raises `InvalidData` for anything else.
    """
    path = Path(path)
    kind = kind_of_source(path)
    if kind == "workbook":
        return read_workbook(path, skip_bad_rows=skip_bad_rows)
    if kind == "published":
        return read_published(path, government=government)
    return read_service_catalogue(path)


def load_source(
    path: Path,
    store: GraphStore,
    *,
    government: str | None = None,
    laws: Path | None = None,
    on: date | None = None,
    skip_bad_rows: bool = False,
    replace: bool = False,
) -> LoadReport:
    """Read `path` (any source `read_source` knows) and write its graph into `store` in one transaction.

    With `laws` (a law catalogue: a folder like shared/data/laws, or a workbook with a laws sheet),
    each cited law and article is checked against it on the date `on` (default today), for the gaps
    UNKNOWN_LAW, NO_SUCH_ARTICLE and REPEALED_LAW, and the duties the cited laws give to kinds of
    department are added to their articles, for UNHELD_DUTY and MISPLACED.
    """
    started = time.perf_counter()
    graph = read_source(path, government=government, skip_bad_rows=skip_bad_rows)
    if laws is not None:
        catalogue = read_law_catalogue(laws)
        attach_catalogue(graph, catalogue, on=on)
        cited = [
            str(node["key"]) for node in graph.nodes.values() if node.kind is NodeKind.LAW and node.get("key")
        ]
        add_duties(graph, extract_duties(catalogue, laws=cited, on=on))
    return write_graph(graph, store, replace=replace, started=started)


def _invalid(path: Path, reason: str) -> InvalidData:
    return InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])


def _kind_of_folder(folder: Path) -> str:
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))]
    csvs = [p for p in files if p.suffix.lower() == ".csv"]
    if any(
        (sheet := sheet_for(p.stem)) is not None and sheet.name in ("departments", "powers") for p in csvs
    ):
        return "workbook"
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


def _kind_of_spreadsheet(path: Path, data: bytes) -> str:
    try:
        names = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names
    except Exception as error:  # calamine raises its own error types for every unreadable file
        raise _invalid(
            path, f"not a spreadsheet that can be read ({type(error).__name__}); expected {EXPECTED}"
        ) from None
    sheets = {sheet.name for name in names if (sheet := sheet_for(name)) is not None}
    required = {sheet.name for sheet in SHEETS.values() if sheet.required}
    if required <= sheets:
        return "workbook"
    return "published"  # read_published says clearly when it is not a power list either
