"""What `quanze check` says of published lists: per file, the rows read, items, citations and rows not
placed (`summary_table`), each sheet's header, level and column map (`summary_details`), and the
`quanze-mapping.toml` that names the columns read from their contents (`mapping_suggestion`).

    >>> print(summary_table(summaries))                                           # doctest: +SKIP
    | file | rows read | items | sub-items | other levels | placed | basis 《》 cells | with article | …
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import Problem
from loaders.headers import ColumnRead
from loaders.mapping import suggested_mapping

__all__ = [
    "LEVEL_LABELS",
    "FileSummary",
    "GovernmentCount",
    "SheetRead",
    "mapping_suggestion",
    "summary_details",
    "summary_table",
]

#: How `PowerItem.level` writes each level.
LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}


@dataclass(slots=True)
class SheetRead:
    """How one sheet was read: its header rows (1-based), the level and power type its name (or a
    title) gives, and how each column was read."""

    sheet: str
    header_rows: tuple[int, ...]
    columns: list[ColumnRead]
    level: str | None = None
    """The level (`LEVEL_LABELS`) the sheet's name or title gives its rows, None for the list's own."""
    power_type: str | None = None
    code_parts: dict[str, str] = field(default_factory=dict)
    """What the item codes of the sheet ("") or of a group of its rows (by the group row's text) carry
    besides the type and number, when their numbers repeat those of a sheet or group before them."""
    groups: list[str] = field(default_factory=list)
    """Rows over a group of rows that give a level or a power type (`二、县级`), as written."""
    transposed: bool = False
    """The sheet lists its items in columns, its headers down the first column: read turned, so that
    its `row N` (in problems and origins) is the sheet's column N."""


@dataclass(frozen=True, slots=True)
class GovernmentCount:
    """The items and sub-items a list gave one government at one level."""

    government: str
    level: str
    items: int
    sub_items: int


@dataclass(slots=True)
class FileSummary:
    """What one file gave: rows read, items, sub-items, citations, and every row it could not place."""

    file: str
    sha256: str
    department: str | None = None
    sheets: list[str] = field(default_factory=list)
    declared_items: int | None = None
    """The items the sheet names or titles declare (`行政许可（11项）`), summed; None when none do."""
    rows_read: int = 0
    """Rows with text of their own below the header: items, continuations, notes, rows not placed."""
    item_rows: int = 0
    """Rows that carry an item (numbered rows and their continuations), placed or not."""
    items: int = 0
    """Items of the list's own government (distinct codes): sub-items count once, with their item."""
    sub_items: int = 0
    """Item nodes that are a sub-item (子项)."""
    other_levels: int = 0
    """Item nodes of a government other than the list's (the same item at another level)."""
    basis_cells: int = 0
    titled_basis_cells: int = 0
    """Basis cells naming a law in 《》."""
    parsed_basis_cells: int = 0
    """Titled basis cells from which at least one law and article was read."""
    citations: int = 0
    """Citations of a law and article read from the basis cells."""
    rows_not_placed: int = 0
    """Item rows that gave nothing (each is in `not_placed`, or its sheet is, when it has no header)."""
    not_placed: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    """Rows that are not items: a note below the list, a section title."""
    remarks: list[Problem] = field(default_factory=list)
    """Placed rows with something a reader should know (the implementing body is the government …)."""
    unparsed_bases: list[Problem] = field(default_factory=list)
    """Titled basis cells from which no article could be read, with the text."""
    duplicate_of: str | None = None
    """The file with the same content read before this one; then nothing else is counted."""
    refused: str | None = None
    """Why the file was not read (not a spreadsheet, no power-list header …); None when it was."""
    sheet_reads: list[SheetRead] = field(default_factory=list)
    governments: list[GovernmentCount] = field(default_factory=list)
    """Items and sub-items by government and level, the list's own government first."""

    @property
    def placed(self) -> int:
        return self.item_rows - self.rows_not_placed

    @property
    def placed_share(self) -> float:
        """The share of item rows placed (1.0 for a file without item rows)."""
        return self.placed / self.item_rows if self.item_rows else 1.0

    @property
    def parsed_share(self) -> float:
        """The share of titled basis cells with a law and article read."""
        return self.parsed_basis_cells / self.titled_basis_cells if self.titled_basis_cells else 1.0


def summary_details(summaries: Iterable[FileSummary]) -> str:
    """What `quanze check` prints under the table, per file: its sheets with their header rows,
    levels and power types, the column map each used (header -> model column, and whether its
    wording or its contents decided), and the items and sub-items by level and government; a file
    left out, with the reason. No line starts with `|`.

        >>> print(summary_details(summaries))                                     # doctest: +SKIP
        附件：克拉玛依市财政局2025年权责清单 (1).xlsx (克拉玛依市财政局)
          sheet Sheet1: header row 3; the list's level
          columns of Sheet1:
            序号 (A) -> sequence, by its wording
          …
          市级 克拉玛依市人民政府: 19 items, 0 sub-items
    """
    lines: list[str] = []
    for summary in summaries:
        name = Path(summary.file).name
        if summary.duplicate_of:
            continue
        if summary.refused is not None:
            lines.append(f"{name}: refused: {summary.refused}")
            continue
        lines.append(f"{name} ({summary.department or 'no department named'})")
        maps: dict[tuple[str, ...], list[str]] = {}
        for sheet in summary.sheet_reads:
            rows = " and ".join(str(row) for row in sheet.header_rows)
            parts = [
                f"header row{'s' if len(sheet.header_rows) > 1 else ''} {rows}",
                f"level {sheet.level} (from its name)" if sheet.level else "the list's level",
            ]
            if sheet.power_type:
                parts.append(f"type {sheet.power_type} (from its name or title)")
            for group, part in sheet.code_parts.items():
                whose = f"the group {group}" if group else "its items"
                parts.append(f"codes …-{part}-… for {whose} (their numbers repeat earlier ones)")
            if sheet.groups:
                parts.append("row groups " + " / ".join(dict.fromkeys(sheet.groups)))
            if sheet.transposed:
                parts.append("read turned: its items are columns, and its 'row N' is column N")
            lines.append(f"  sheet {sheet.sheet}: " + "; ".join(parts))
            maps.setdefault(tuple(read.describe() for read in _spanning(sheet.columns)), []).append(
                sheet.sheet
            )
        for described, sheets in maps.items():
            lines.append(f"  columns of {', '.join(sheets)}:")
            lines.extend(f"    {line}" for line in described)
        for count in summary.governments:
            lines.append(
                f"  {count.level} {count.government}: {count.items} items, {count.sub_items} sub-items"
            )
        lines.extend(f"  note: sheet {n.sheet}, row {n.row}: {n.reason}: {n.value}" for n in summary.notes)
    return "\n".join(lines)


def _spanning(reads: list[ColumnRead]) -> list[ColumnRead]:
    """Neighbouring columns under one header (`实施层级及权限` over H and I) as one: 'H-I'."""
    joined: list[ColumnRead] = []
    for read in reads:
        last = joined[-1] if joined else None
        if last is not None and (last.header, last.column, last.how) == (read.header, read.column, read.how):
            first = last.letters.split("-")[0]
            joined[-1] = ColumnRead(read.header, f"{first}-{read.letters}", read.column, read.how, last.share)
        else:
            joined.append(read)
    return joined


def mapping_suggestion(summaries: Iterable[FileSummary], base: str = "") -> str | None:
    """The `quanze-mapping.toml` that names by their wording the columns read from their contents
    (None when there are none); `base` is the text of the user's mapping file to extend."""
    columns: dict[str, list[str]] = defaultdict(list)
    unknown: set[str] = set()
    for summary in summaries:
        for sheet in summary.sheet_reads:
            for read in sheet.columns:
                if read.how == "contents" and read.column and read.header not in columns[read.column]:
                    columns[read.column].append(read.header)
                elif read.column is None and read.header:
                    unknown.add(read.header)
    found = {column: headers for column, headers in columns.items() if headers}
    return suggested_mapping(found, unknown, base) if found else None


def summary_table(summaries: Iterable[FileSummary]) -> str:
    """The per-file summary as a Markdown table: rows read, items, sub-items, citations, not placed."""
    lines = [
        "| file | rows read | items | sub-items | other levels | placed | basis 《》 cells | with article | citations | not placed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for summary in summaries:
        name = Path(summary.file).name
        if summary.duplicate_of:
            lines.append(f"| {name} | same file as {Path(summary.duplicate_of).name}: read once |||||||||")
            continue
        if summary.refused is not None:
            lines.append(f"| {name} | refused: {summary.refused} |||||||||")
            continue
        lines.append(
            f"| {name} | {summary.rows_read} | {summary.items} | {summary.sub_items} | {summary.other_levels} | "
            f"{summary.placed_share:.1%} | {summary.titled_basis_cells} | {summary.parsed_share:.1%} | "
            f"{summary.citations} | {len(summary.not_placed)} |"
        )
    return "\n".join(lines)
