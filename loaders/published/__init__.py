"""Read the power lists (权责清单) departments publish, as they are, into one government's graph.

A published list is a spreadsheet (`.xls`, also when named `.xlsx`, or `.xlsx`) of one department:
title rows, then a header, then one row per item, often one sheet per power type. What the headers
and words mean is data (`loaders/mapping.py`, `loaders/mappings/power_lists.toml`); this package
reads the rows:

- the header is found by `loaders.headers.find_layout`: the row (or two rows) whose columns are
  known best, by their wording or, for a wording the mapping does not know, by their contents
  (`职权` over power names is the item column); a header spanning two columns (`实施层级及权限` over
  the level and its scope) feeds one model column; a sheet with its headers down column A is read
  turned; a row numbering the columns under the header is skipped;
- merged cells carry their value into the empty cells they cover; a value hidden under a merge
  (a print layout merged over a row that has its own cells) is the row's own value;
- a row with a number (序号 `1`, `1.0`, `2,3`) starts an item; `2,3` is two items, named by the
  parts of `（两项：甲、乙）` when the name lists them;
- a row without a number continues the item above: a sub-item (its own 子项名称), the same item at
  another level of government (its own 行使主体 or 实施层级: `自治区级`, `县市区级`), or more text for
  the item (its own cells in other columns, appended); a continuation row leaves empty what it
  repeats from the item;
- a row with one text of its own, across the table or at its front, heads a group of rows when
  it names a level or a place (`二、区县级`, `独山子区`) or a power type (`（一）行政许可类`), and is a
  note otherwise (`备注：…`, a footnote, `填表人：…`); anything else that cannot be placed is
  reported with file, sheet and row, never dropped silently.

Governments and departments. The lists belong to one city: `government` when given, else the place
the titles, file names and implementing bodies name most (克拉玛依市 -> 克拉玛依市人民政府). Levels
are data: an implementing body's name (`自治区…`, `县市区…`, `…各区…分局`, `独山子区…`), else the
row's level column (`实施层级`, `行使层级`, `所属行政区划`: a level word or a place), the row heading
its group, or its sheet's name or title (`区县级`, `…（地州级）`) make an item another government's,
never the city's: the province's (新疆维吾尔自治区人民政府, from the mapping's `[places]` or the
province the bases name most), a district the list names (独山子区人民政府), or, when it names none,
one grouped government of the districts below the city, `克拉玛依市所辖县市区人民政府`. A department
is named by its government's place and the implementing body's name without its level word:
`地州市农业农村局` and `市农业农村局` are 克拉玛依市农业农村局, `自治区农业农村厅` is
新疆维吾尔自治区农业农村厅, `县市区农业农村局` is 克拉玛依市所辖县市区农业农村局,
`克拉玛依市自然资源局各区自然资源分局` is 克拉玛依市所辖县市区自然资源分局. Names of one
government that share their main name or a bracketed second name (`克拉玛依市委办公室（市档案局）`,
`克拉玛依市档案局`) are one department, shown by the form its lists write most. Without an
implementing body, the department is the one the title row names, else the file name's.

Items. Published lists number items but give no codes, so an item's code is made from the list's
department, the power type's two letters (from the mapping) and the number: `克拉玛依市农业农村局-XK-2`
(a list that has a code column keeps its codes). The same item at another level keeps the code; its
id adds the government (`graph.ids.power_item_id(code, sub_item, government)`). A sheet or a group
of rows numbering from 1 again gives its codes its name (`克拉玛依市自然资源局-区县级-XK-1`): the same
number on two sheets is two items, not a repeat. The number as
written is kept in `extra["序号"]`, the level in `level` (省级 / 市级 / 县级 / 乡镇级), the handling unit
and the columns the model has no property for in `extra`, under their headers.

    >>> graph, summaries = read_published_with_summary(Path("lists/"))           # doctest: +SKIP
    >>> print(summary_table(summaries))                                           # doctest: +SKIP

`summary_details` says, per file, how each column was read and what each level and government got;
`mapping_suggestion` writes the columns read from their contents into a `quanze-mapping.toml`.

The same file twice (by sha256) is read once. A file of a folder that is not a power list is left
out and listed (`FileSummary.refused`), unless `strict`. Raises `InvalidData` when a path holds no
published list: a file that is not a spreadsheet, is empty, or has no sheet with a power-list header.

The package, in the order a list is read: `sheets` (a file's sheets as text, and how a line of a
sheet reads), `rows` (the rows placed: items, sub-items, other levels, notes), `places` (the lists'
governments and levels), `departments` (one department per field, level and place), `items` (rows ->
items, their departments and legal bases), `summary` (what `quanze check` prints), `text` (patterns).
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import InvalidData, Problem
from loaders.headers import ColumnRead
from loaders.mapping import ListMapping, load_mapping
from loaders.published.departments import Departments, departments_of_lists
from loaders.published.items import ItemBuilder
from loaders.published.places import Places, city_of, province_of
from loaders.published.rows import ListReader
from loaders.published.sheets import file_problem
from loaders.published.summary import (
    LEVEL_LABELS,
    FileSummary,
    GovernmentCount,
    SheetRead,
    mapping_suggestion,
    summary_details,
    summary_table,
)
from loaders.readgraph import WorkbookGraph
from loaders.tables import TableFile

__all__ = [
    "LEVEL_LABELS",
    "MAPPING_FILE_NAME",
    "PUBLISHED_SUFFIXES",
    "ColumnRead",
    "FileSummary",
    "GovernmentCount",
    "SheetRead",
    "mapping_suggestion",
    "published_files",
    "read_published",
    "read_published_with_summary",
    "summary_details",
    "summary_table",
]

PUBLISHED_SUFFIXES = (".xls", ".xlsx", ".xlsm", ".xlsb", ".ods")
#: A mapping file beside the lists, read on top of the packaged one.
MAPPING_FILE_NAME = "quanze-mapping.toml"


def read_published(
    path: Path,
    *,
    government: str | None = None,
    mapping: ListMapping | None = None,
    strict: bool = False,
    opened: TableFile | None = None,
) -> WorkbookGraph:
    """The graph of one published list, or of every list in a folder, as one government's.

    `government` names the lists' government (`克拉玛依市人民政府`); by default the place the
    lists name most. Rows that cannot be placed are in the result's `problems` (and never make
    it raise). A file of a folder that is not a power list is left out, and in `problems` with
    the reason; with `strict`, it makes the whole read fail. Raises `InvalidData` when the path
    holds no published list (a file that is not one, a folder with none), or, with `strict`,
    when any file of the folder is not one.

        >>> graph = read_published(Path("karamay-power-lists"))                  # doctest: +SKIP
    """
    graph, _ = read_published_with_summary(
        path, government=government, mapping=mapping, strict=strict, opened=opened
    )
    return graph


def read_published_with_summary(
    path: Path,
    *,
    government: str | None = None,
    mapping: ListMapping | None = None,
    strict: bool = False,
    opened: TableFile | None = None,
) -> tuple[WorkbookGraph, list[FileSummary]]:
    """`read_published`, with what each file gave (in file-name order) for `quanze check`; a file
    left out has its reason in `FileSummary.refused`. `opened` is the list's file when already read
    (by `loaders.sources`, which tells what a source is)."""
    path = Path(path)
    files = published_files(path)
    if mapping is None:
        user = (path if path.is_dir() else path.parent) / MAPPING_FILE_NAME
        mapping = load_mapping(user if user.is_file() else None)
    reader = ListReader(mapping, str(path))
    bad: list[Problem] = []
    for file in files:
        try:
            reader.read_file(file, opened if opened is not None and opened.path == file else None)
        except InvalidData as error:
            problems = error.problems or [file_problem(file, str(error))]
            bad.extend(problems)
            reason = "; ".join(dict.fromkeys(problem.reason for problem in problems))
            reader.summaries.append(FileSummary(str(file), "", refused=reason))
    if bad and (strict or not path.is_dir() or not reader.lists):
        if not path.is_dir():
            what = "is not a published power list"
        elif reader.lists:
            what = f"holds {len(bad)} file(s) that are not power lists (--strict)"
        else:
            what = "holds no file that is a published power list"
        raise InvalidData(f"{path}: {what}", bad)
    graph = _build_graph(reader, government)
    graph.problems.extend(bad)
    return graph, reader.summaries


def published_files(path: Path) -> list[Path]:
    """The spreadsheet at `path`, or the spreadsheets of the folder at `path` (by name).

    Raises `InvalidData` when the path does not exist, or is a folder without spreadsheets.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.suffix.lower() in PUBLISHED_SUFFIXES and not p.name.startswith(("~$", "."))
        )
        if not files:
            reason = "the folder has no spreadsheet (.xls, .xlsx)"
            raise InvalidData(f"{path}: {reason}", [file_problem(path, reason)])
        return files
    if not path.exists():
        raise InvalidData(f"{path}: no such file or folder", [file_problem(path, "no such file or folder")])
    return [path]


def _build_graph(reader: ListReader, government: str | None) -> WorkbookGraph:
    """The graph of every list read: one government's (`government`, or the city the lists name most),
    with the governments at the other levels the lists name."""
    mapping = reader.mapping
    graph = WorkbookGraph(reader.source)
    city = (government or city_of(reader.lists, mapping, reader.source)).removesuffix(
        mapping.government_suffix
    )
    departments = Departments(Places(mapping, city, province_of(reader.lists, mapping, city)))
    own = departments_of_lists(departments, reader.lists)
    for found in reader.lists:
        department = own[found.file]
        found.summary.department = department.name if department else None
        ItemBuilder(graph, departments, found, department).build()
    graph.sheets = sorted({row.table.sheet for found in reader.lists for row, _ in found.rows})
    return graph
