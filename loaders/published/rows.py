"""Read a published list's sheets into rows: items, sub-items, the items at other levels, and notes.

A sheet's header is found by `loaders.headers.find_layout` (or, when its headers are down column A, it
is read `turned`). Below it, a row with a number (序号 `1`, `2,3`) starts an item; a row without one
continues the item above: a sub-item (its own 子项名称), the same item at another level of government
(its own 行使主体 or 实施层级), or more text for the item. A row with one text of its own across the
table or at its front heads a group of rows when it names a level or a place (`二、区县级`) or a power
type (`（一）行政许可类`), and is a note otherwise; a row that cannot be placed is reported with file,
sheet and row. A sheet or group numbering its items from 1 again gives their codes a part of its own.

    >>> reader = ListReader(load_mapping(), "lists")                               # doctest: +SKIP
    >>> reader.read_file(Path("lists/农业农村局.xlsx"))                              # doctest: +SKIP
    >>> [row.kind for row, _ in reader.lists[0].rows][:3]                          # doctest: +SKIP
    ['item', 'sub', 'item']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InvalidData, Problem
from graph.model import Origin
from graph.text import normalize
from loaders.headers import Layout, find_layout, item_numbers
from loaders.mapping import ListMapping, parse_power_type
from loaders.published.sheets import (
    LABEL_LINE,
    SHORT_COLUMNS,
    banner_of,
    code_label,
    column_numbers,
    file_problem,
    header_words_of,
    is_group_place,
    is_repeated_header,
    join_lines,
    level_in_title,
    merged_spans,
    read_sheets,
    read_turned,
    repeats_header,
    type_in_title,
)
from loaders.published.summary import LEVEL_LABELS, FileSummary, SheetRead
from loaders.published.text import DECLARED, squeeze
from loaders.tables import Table, TableFile, open_table_file
from ontology import PowerType

__all__ = ["ListReader", "ListRow", "ListRows"]


@dataclass(slots=True)
class ListRow:
    """One placed row: an item, a sub-item, the item at another level, or more text for one."""

    kind: str  # "item", "sub", "level", "more"
    table: Table
    layout: Layout
    index: int  # 0-based
    values: dict[str, str]  # model column -> text (own, or shown by a merge)
    own: dict[str, str]  # model column -> text of the row's own cells
    extra: dict[str, str]
    numbers: tuple[str, ...] = ()
    anchor: ListRow | None = None
    group: str = ""  # the row over the group of rows this one is in, when it names a level or a place
    section_type: PowerType | None = None  # the power type the row over its group names

    @property
    def number(self) -> int:
        """The row's number in the sheet (1-based)."""
        return self.index + 1

    def problem(self, column: str | None, value: str | None, reason: str) -> Problem:
        """A problem of the row, at the model column's cell when `column` is given."""
        header = self.layout.headers.get(column) if column else None
        return Problem(self.table.sheet, self.number, header, value, reason, self.table.file)

    def origin(self, column: str | None = None) -> Origin:
        """Where the row (and, with `column`, the model column's cell) came from."""
        header = self.layout.headers.get(column) if column else None
        return Origin(self.table.file, self.table.sha256, self.table.sheet, self.number, header)


@dataclass(slots=True)
class ListRows:
    """What one file holds: its rows, its sheets' power types, and where its department is named."""

    file: Path
    summary: FileSummary
    rows: list[tuple[ListRow, PowerType | None]]  # each row with its sheet's power type
    titles: list[str]
    bodies: list[str]  # the implementing bodies the rows write
    bases: list[str]
    # (sheet, group row's text) -> what the codes of its items add to the type and number
    code_parts: dict[tuple[str, str], str] = field(default_factory=dict)
    sheet_titles: dict[str, list[str]] = field(default_factory=dict)  # sheet -> its title rows


class ListReader:
    """Reads list files into rows (`lists`), with a summary of each file (`summaries`)."""

    def __init__(self, mapping: ListMapping, source: str) -> None:
        self.mapping = mapping
        self.source = source
        self.lists: list[ListRows] = []
        self.summaries: list[FileSummary] = []
        self.seen: dict[str, str] = {}  # sha256 -> the file read with it

    def read_file(self, path: Path, opened: TableFile | None = None) -> None:
        """Read the list at `path` (`opened`: its file, when already read) into rows, with its summary;
        the same file twice (by sha256) is read once. Raises `InvalidData` when it is not a power list."""
        file = opened or open_table_file(path, data=None if path.is_file() else b"", is_csv=False)
        digest = file.sha256
        if digest in self.seen and file.data:
            self.summaries.append(FileSummary(str(path), digest, duplicate_of=self.seen[digest]))
            return
        grids, problems = read_sheets(file)
        summary = FileSummary(str(path), digest)
        summary.not_placed.extend(problems)
        found = ListRows(path, summary, [], [], [], [])
        layouts = [(grid, find_layout(grid, self.mapping)) for grid in grids]
        turned: set[str] = set()
        for position, (grid, layout) in enumerate(layouts):
            if layout is None and (found_turned := read_turned(grid, self.mapping)) is not None:
                layouts[position] = found_turned
                turned.add(grid.sheet)
        if not any(layout for _, layout in layouts):
            wanted = "、".join(self.mapping.columns.get("item", ("事项名称",))[:3])
            reason = (
                f"not a power list: no sheet has a header naming the item ({wanted} …), or a column whose "
                f"cells read as items' names, and {self.mapping.header_min_columns - 1} more columns known by "
                f"their wording or contents in its first {self.mapping.header_search_rows} rows"
            )
            raise InvalidData(f"{path}: {reason}", [file_problem(path, reason)])
        declared: list[int] = []
        numbered: dict[tuple[str, str], set[tuple[str, str]]] = {}  # (sheet, group) -> (type, number)
        reads: dict[str, SheetRead] = {}
        for grid, layout in layouts:
            if layout is None:
                rows = sum(1 for row in grid.cells if any(row))
                if rows:
                    reason = (
                        f"has {rows} row(s) of text but no header of a power list; the sheet was not read"
                    )
                    summary.not_placed.append(file_problem(path, reason, grid.sheet))
                    summary.rows_read += rows
                    summary.item_rows += rows
                    summary.rows_not_placed += rows
                continue
            summary.sheets.append(grid.sheet)
            found.titles.extend(layout.titles)
            found.sheet_titles[grid.sheet] = layout.titles
            for text in (grid.sheet, *layout.titles):
                match = DECLARED.search(text)
                if match:
                    declared.append(int(match.group(1)))
                    break
            sheet_type = self.mapping.power_type_in(grid.sheet) or next(
                (t for title in layout.titles if (t := type_in_title(self.mapping, title))), None
            )
            level = self.mapping.level_in(grid.sheet) or next(
                (v for title in layout.titles if (v := level_in_title(self.mapping, title))), None
            )
            read = SheetRead(
                grid.sheet,
                tuple(row + 1 for row in layout.header_rows),
                list(layout.reads),
                LEVEL_LABELS.get(level) if level else None,
                sheet_type.value if sheet_type else None,
            )
            read.transposed = grid.sheet in turned
            summary.sheet_reads.append(read)
            reads[grid.sheet] = read
            for row in self._rows(grid, layout, summary, read):
                found.rows.append((row, sheet_type))
                if row.values.get("department"):
                    found.bodies.append(row.values["department"])
                if row.kind == "item" and row.values.get("basis"):
                    found.bases.append(row.values["basis"])
                if row.kind == "item" and not row.values.get("code"):
                    type_text = re.sub(r"\s+", "", row.values.get("power_type", ""))
                    power_type = row.section_type or sheet_type or parse_power_type(type_text, self.mapping)
                    code = self.mapping.type_code(power_type) if power_type else ""
                    numbers = numbered.setdefault((grid.sheet, row.group), set())
                    numbers.update((code, number) for number in row.numbers if not number.startswith("R"))
        self._code_parts(found, numbered, reads)
        summary.declared_items = sum(declared) if declared else None
        self.seen[digest] = str(path)
        self.lists.append(found)
        self.summaries.append(summary)

    @staticmethod
    def _code_parts(
        found: ListRows, numbered: dict[tuple[str, str], set[tuple[str, str]]], reads: dict[str, SheetRead]
    ) -> None:
        """A sheet, or a group of rows (`二、县级`), numbering its items again (from 1, as one before it
        did) gives its codes a part of their own, from its name: the same number twice is two items."""
        used: set[tuple[str, str]] = set()
        parts: set[str] = set()
        first_sheet = next(iter(reads), "")
        for position, ((sheet, group), numbers) in enumerate(numbered.items(), start=1):
            if numbers & used:
                named = [code_label(sheet) if sheet != first_sheet or not group else "", code_label(group)]
                part = "".join(named) or f"S{position}"
                if part in parts:
                    part = f"{part}{position}"
                parts.add(part)
                found.code_parts[(sheet, group)] = reads[sheet].code_parts[group] = part
            used |= numbers

    def _rows(self, grid: Table, layout: Layout, summary: FileSummary, read: SheetRead) -> Iterator[ListRow]:
        mapping = self.mapping
        anchor: ListRow | None = None
        sequence = layout.columns.get("sequence", [])
        item_positions = layout.columns.get("item", [])
        spans = merged_spans(grid)
        header_words = header_words_of(grid, layout)
        group = ""
        section: PowerType | None = None
        first = True
        for index in range(layout.data_start, len(grid.cells)):
            cells = grid.cells[index]
            own_text = [text for text in cells if text]
            if not own_text:
                continue  # empty, or the lower part of merged cells: nothing of its own
            values: dict[str, str] = {}
            own: dict[str, str] = {}
            for name, positions in layout.columns.items():
                values[name] = join_lines(grid.shown(index, p) for p in positions)
                own[name] = join_lines(grid.own(index, p) for p in positions)
            extra = {
                header: text
                for position, header in layout.extras.items()
                if (text := grid.shown(index, position))
            }
            for name in SHORT_COLUMNS:
                for found in (values, own):
                    text = squeeze(found.get(name, ""))
                    found[name] = "" if mapping.is_empty(text) else text
            if is_repeated_header(mapping, own, layout) or repeats_header(cells, header_words):
                continue
            if first and column_numbers(own_text):
                first = False
                continue  # the header's columns numbered 1, 2, 3 … under it
            first = False
            summary.rows_read += 1
            if len(own_text) == 1 and mapping.is_note(own_text[0]):
                summary.notes.append(
                    Problem(grid.sheet, index + 1, None, own_text[0][:80], "a note below the list", grid.file)
                )
                continue
            banner = banner_of(cells, index, spans, sequence, item_positions)
            if banner is not None and item_numbers(banner) is None:
                bare = squeeze(banner)
                level = mapping.level_in(bare)
                if level is not None or (len(bare) <= 20 and is_group_place(bare)):
                    group = bare
                    read.groups.append(bare)
                    summary.notes.append(
                        Problem(
                            grid.sheet, index + 1, None, bare[:80], "a row over a group: its level", grid.file
                        )
                    )
                    continue
                section_type = mapping.type_in(bare)
                if section_type is not None:
                    section = section_type
                    read.groups.append(bare)
                    summary.notes.append(
                        Problem(grid.sheet, index + 1, None, bare[:80], "a section title", grid.file)
                    )
                    continue
                across = spans.get((index, next(c for c, t in enumerate(cells) if t)), 1)
                labelled = LABEL_LINE.match(bare) is not None  # 填表人：…, 联系电话：…
                if across >= 3 or ((len(bare) > 12 or labelled) and not own.get("item")):
                    summary.notes.append(
                        Problem(
                            grid.sheet,
                            index + 1,
                            None,
                            bare[:80],
                            "a line of text across the table (a heading or a footnote), not an item",
                            grid.file,
                        )
                    )
                    continue
            summary.item_rows += 1
            number_text = own.get("sequence", "") if sequence else ""
            row = ListRow("item", grid, layout, index, values, own, extra, group=group, section_type=section)
            if number_text:
                numbers = item_numbers(number_text)
                if numbers is None:
                    if mapping.power_type_in(number_text) and not own.get("item"):
                        summary.item_rows -= 1
                        section = mapping.power_type_in(number_text)
                        summary.notes.append(
                            Problem(
                                grid.sheet, index + 1, None, number_text[:80], "a section title", grid.file
                            )
                        )
                        continue
                    numbers = (re.sub(r"\s+", "", number_text),)
                row.numbers = numbers
                anchor = row
                yield row
                continue
            if anchor is None:
                if own.get("item"):
                    row.numbers = (f"R{index + 1}",)
                    anchor = row
                    yield row
                else:
                    summary.rows_not_placed += 1
                    summary.not_placed.append(
                        Problem(
                            grid.sheet,
                            index + 1,
                            None,
                            own_text[0][:80],
                            "a row before the first item, without an item name",
                            grid.file,
                        )
                    )
                continue
            row.anchor = anchor
            for name, value in anchor.values.items():
                if not values.get(name):
                    values[name] = value
            if (
                own.get("item")
                and normalize(own["item"]) != normalize(anchor.values.get("item", ""))
                and not own.get("sub_item")
            ):
                row.numbers = (f"R{index + 1}",)  # an item without a number of its own
                row.anchor = None
                anchor = row
                yield row
                continue
            if own.get("sub_item") and normalize(own["sub_item"]) != normalize(
                anchor.own.get("sub_item", "")
            ):
                row.kind = "sub"
            elif (
                own.get("department")
                and normalize(own["department"]) != normalize(anchor.values.get("department", ""))
            ) or (
                own.get("level")
                and mapping.level_of(own["level"]) != mapping.level_of(anchor.values.get("level", ""))
            ):
                row.kind = "level"
            else:
                row.kind = "more"
            yield row
