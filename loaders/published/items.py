"""Turn a published list's rows into power items, their governments, departments and legal bases.

An item's type is the row's (through `loaders.mapping.parse_power_type`), else its group's or its
sheet's; its department is the implementing body's (at the level the body's name shows, or the level
the row's level column, its group or its sheet declares), else the list's. Published lists number
items but give no codes, so an item's code is made from the list's department, the power type's two
letters and the number: `克拉玛依市农业农村局-XK-2`, marked `code_made` (a list with a code column
keeps its codes); the same item at another level keeps the code, its id adding the government. A row
continuing an item adds its text to it. A basis cell is read into citations as the workbook's are,
each cell counted once for the summary.

    >>> ItemBuilder(graph, departments, rows, own).build()                         # doctest: +SKIP
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from graph import ids
from graph.errors import Problem
from graph.identity import CODE_MADE
from graph.model import Edge, Node
from graph.text import normalize
from loaders.citations import Citation, parse_citations
from loaders.mapping import parse_power_type
from loaders.published.departments import Department, Departments
from loaders.published.places import is_government
from loaders.published.rows import ListRow, ListRows
from loaders.published.summary import LEVEL_LABELS, GovernmentCount
from loaders.published.text import BRACKETED, LIST_MARKER, TITLE_BRACKET, title_of
from loaders.readgraph import WorkbookGraph, article_props, citation_part
from ontology import EdgeKind, NodeKind, PowerType

__all__ = ["ItemBuilder", "cached_citations"]

_ENUMERATION = re.compile(r"[（(][一二两三四五六七八九十\d]+项[:：](?P<parts>[^（）()]+)[)）]\s*$")


@lru_cache(maxsize=8192)
def cached_citations(text: str) -> tuple[Citation, ...]:
    """The citations of a basis cell (`loaders.citations.parse_citations`), kept for the cells repeated."""
    return tuple(parse_citations(text))


class ItemBuilder:
    """The nodes and edges of one list's rows, added to `graph`, and what they gave in its summary."""

    def __init__(
        self, graph: WorkbookGraph, departments: Departments, found: ListRows, own: Department | None
    ) -> None:
        self.graph = graph
        self.departments = departments
        self.places = departments.places
        self.mapping = departments.places.mapping
        self.found = found
        self.summary = found.summary
        self.own = own
        self.code_prefix = (
            normalize(BRACKETED.sub("", own.name))
            if own
            else normalize(title_of(self.mapping, found.file.stem))
        )
        self.nodes: dict[tuple[str, int], list[str]] = {}  # (sheet, row index) of an anchor -> its item ids
        self.items: set[str] = set()  # the codes of the list's own government
        self.basis_cells: set[tuple[str, int, str]] = set()
        self.unplaced: set[tuple[str, int]] = set()  # (sheet, row) of the rows not placed
        self.declared: dict[tuple[str, str], tuple[str, str | None] | None] = {}
        # (government, level) -> the codes of its items, and its sub-items
        self.governments: dict[tuple[str, str], tuple[set[str], list[str]]] = {}

    def build(self) -> None:
        """Place every row of the list: an item (or the item at another level, a sub-item), or more text
        for the item above; count what each government and level got."""
        for row, sheet_type in self.found.rows:
            if row.kind == "more":
                self._more(row)
                continue
            self._item(row, sheet_type)
        places = self.places
        own = places.government(places.list_level)
        self.summary.governments = [
            GovernmentCount(government, level, len(codes), len(subs))
            for (government, level), (codes, subs) in sorted(
                self.governments.items(),
                key=lambda pair: (pair[0][0] != own, _LEVEL_ORDER.get(pair[0][1], 9), pair[0]),
            )
        ]
        for read in self.summary.sheet_reads:
            seat = self._declared_by(read.sheet, "sheet", read.sheet)
            if seat is not None:
                read.level = LEVEL_LABELS[seat[0]] + (f" ({seat[1]})" if seat[1] else "")

    def _not_placed(self, row: ListRow, column: str | None, value: str, reason: str) -> None:
        problem = row.problem(column, value[:80] if value else None, reason)
        if (row.table.sheet, row.number) not in self.unplaced:
            self.unplaced.add((row.table.sheet, row.number))
            self.summary.rows_not_placed += 1
        self.summary.not_placed.append(problem)
        self.graph.problems.append(problem)

    def _item(self, row: ListRow, sheet_type: PowerType | None) -> None:
        values = row.values
        name = re.sub(r"\s+", "", values.get("item", ""))
        if not name:
            self._not_placed(row, "item", "", "has no item name (事项名称)")
            return
        type_text = re.sub(r"\s+", "", values.get("power_type", ""))
        power_type = parse_power_type(type_text, self.mapping) if type_text else None
        if power_type is None:
            power_type = sheet_type
            if type_text and sheet_type is not None:
                reason = f"is not a power type; the sheet's type {sheet_type.value} is used"
                self.summary.remarks.append(row.problem("power_type", type_text, reason))
        if power_type is None:
            reason = "names no power type" if not type_text else "is not a power type"
            self._not_placed(row, "power_type", type_text, reason + " (and the sheet's name gives none)")
            return
        level, place, department = self._holder(row)
        if department is None:
            self._not_placed(
                row,
                "department",
                values.get("department", ""),
                "names no department, and the title gives none",
            )
            return
        government = self.places.government(level, place)
        anchor = row.anchor or row
        numbers = anchor.numbers or (f"R{row.number}",)
        names = [name] * len(numbers)
        if len(numbers) > 1:
            match = _ENUMERATION.search(name)
            parts = re.split(r"[、，,；;]", match.group("parts")) if match else []
            if len(parts) == len(numbers):
                names = [part.strip() for part in parts]
        sub_item = LIST_MARKER.sub("", re.sub(r"\s+", "", values.get("sub_item", ""))) or None
        list_government = self.places.government(self.places.list_level)
        made: list[str] = []
        part = self.found.code_parts.get((row.table.sheet, row.group))
        type_code = self.mapping.type_code(row.section_type or sheet_type or power_type)
        counted = self.governments.setdefault((government, LEVEL_LABELS.get(level, level)), (set(), []))
        for number, item_name in zip(numbers, names, strict=True):
            given = re.sub(r"\s+", "", values.get("code", ""))
            code = given or (
                f"{self.code_prefix}-{part + '-' if part else ''}{type_code}-{number.replace(',', '+')}"
            )
            item = ids.power_item_id(code, sub_item, None if government == list_government else government)
            if item in self.graph.nodes:
                self._not_placed(
                    row,
                    "sequence",
                    number,
                    f"repeats the item {code}" + (f" / {sub_item}" if sub_item else ""),
                )
                continue
            self._node(
                row,
                item,
                code,
                not given,
                item_name,
                sub_item,
                power_type,
                level,
                department,
                number,
                numbers,
            )
            made.append(item)
            counted[0].add(code)
            if sub_item:
                counted[1].append(sub_item)
            if government == list_government:
                self.items.add(code)
            if sub_item:
                self.summary.sub_items += 1
            if government != list_government:
                self.summary.other_levels += 1
        self.summary.items = len(self.items)
        self.nodes[(row.table.sheet, row.index)] = made

    def _declared_by(self, sheet: str, where: str, text: str) -> tuple[str, str | None] | None:
        key = (where, text)
        if key not in self.declared:
            places = self.places
            found = places.declared(text, whole=where != "column")
            if found is None and where == "sheet":
                titles = self.found.sheet_titles.get(sheet, [])
                found = next(
                    (
                        d
                        for t in titles
                        if (m := TITLE_BRACKET.search(t)) and (d := places.declared(m.group(1), whole=True))
                    ),
                    None,
                )
            self.declared[key] = found
        return self.declared[key]

    def _declared(self, row: ListRow) -> tuple[str, str | None] | None:
        """The level (and place) the row's level column, the row over its group, or its sheet's name
        gives, in that order; None when none gives one."""
        level_text = row.values.get("level", "")
        if level_text:
            found = self._declared_by(row.table.sheet, "column", level_text[:40])
            if found is not None:
                return found
        if row.group:
            found = self._declared_by(row.table.sheet, "group", row.group)
            if found is not None:
                return found
        return self._declared_by(row.table.sheet, "sheet", row.table.sheet)

    def _holder(self, row: ListRow) -> tuple[str, str | None, Department | None]:
        """The level, place and department of a row: the implementing body, else the list's
        department. A body whose name shows another level than the list's is of that level; else a
        level the row's 实施层级 column, its group or its sheet names moves it to that level's
        department (of the place named, or of the level's own government: never the city's)."""
        places = self.places
        written = row.values.get("department", "")
        declared = self._declared(row)
        department: Department | None = None
        written_level: str | None = None
        if written and not is_government(places, written):
            written_level, _, _ = places.seat(written)
            department = self.departments.find(written)
        elif written:
            reason = "the implementing body is the government itself; the list's department holds the item"
            self.summary.remarks.append(row.problem("department", written, reason))
        if department is None:
            department = self.own
        if department is None:
            level, place = declared or (places.list_level, None)
            return level, place, None
        if (
            declared is not None
            and written_level in (None, places.list_level)
            and declared != (department.level, department.place)
        ):
            department = self.departments.at_level(department, *declared)
        return department.level, department.place, department

    def _node(
        self,
        row: ListRow,
        item: str,
        code: str,
        code_made: bool,
        name: str,
        sub_item: str | None,
        power_type: PowerType,
        level: str,
        department: Department,
        number: str,
        numbers: tuple[str, ...],
    ) -> None:
        values = row.values
        basis = values.get("basis", "")
        extra = dict(row.extra)
        extra["序号"] = ",".join(numbers) if len(numbers) > 1 else number
        for column in ("unit", "level", "duty_of_department", "duties_basis", "accountable", "remedy"):
            if values.get(column):
                extra[row.layout.headers[column].rsplit(" (", 1)[0]] = values[column]
        for column, text in values.items():
            if column not in _ITEM_COLUMNS and text and column in row.layout.headers:
                extra.setdefault(row.layout.headers[column].rsplit(" (", 1)[0], text)
        if (
            department.name
            and values.get("department")
            and normalize(values["department"]) != normalize(department.name)
        ):
            extra["行使主体"] = re.sub(r"\s+", "", values["department"])
        origin = row.origin()
        props: dict[str, Any] = {
            "code": code,
            CODE_MADE: code_made or None,  # a code made from the 序号 moves with the rows above it
            "name": name,
            "key": normalize(name),
            "sub_item": sub_item,
            "power_type": power_type.value,
            "duties": values.get("duties") or None,
            "triggers": values.get("triggers") or None,
            "statutory_days": _days(values.get("statutory_days", "")),
            "promised_days": _days(values.get("promised_days", "")),
            "basis": basis or None,
            "basis_status": self._cite(row, item, basis),
            "note": values.get("note") or None,
            "level": LEVEL_LABELS.get(level, level),
            "extra": extra or None,
        }
        self.graph.add_node(
            Node(item, NodeKind.POWER_ITEM, {k: v for k, v in props.items() if v is not None}, origin)
        )
        government = self.places.government(department.level, department.place)
        government_node = ids.government_id(government)
        self.graph.add_node(
            Node(
                government_node,
                NodeKind.GOVERNMENT,
                {"name": government, "key": normalize(government)},
                origin,
            )
        )
        self.graph.add_node(
            Node(
                department.id,
                NodeKind.DEPARTMENT,
                {"name": department.name, "key": normalize(department.name), "government": government},
                origin,
            )
        )
        self.graph.add_edge(Edge(department.id, EdgeKind.DEPARTMENT_OF, government_node, {}, origin))
        self.graph.add_edge(
            Edge(
                item,
                EdgeKind.HELD_BY,
                department.id,
                {"position": 0},
                row.origin("department"),
            )
        )

    def _cite(self, row: ListRow, item: str, basis: str) -> str:
        """CITES edges for what the basis cites, as `loaders.workbook` makes them; the basis status."""
        if not basis:
            return "empty"
        cell = self._basis_cell(row)
        new_cell = cell not in self.basis_cells
        if new_cell:
            self.basis_cells.add(cell)
            self.summary.basis_cells += 1
        citations = cached_citations(basis)
        with_article = [c for c in citations if c.article is not None]
        if new_cell and "《" in basis:
            self.summary.titled_basis_cells += 1
            if with_article:
                self.summary.parsed_basis_cells += 1
            else:
                self.summary.unparsed_bases.append(
                    Problem(
                        row.table.sheet,
                        cell[1],
                        row.layout.headers.get("basis"),
                        basis[:120],
                        "no article could be read",
                        row.table.file,
                    )
                )
        if new_cell:
            self.summary.citations += len(with_article)
        origin = row.origin("basis")
        for position, citation in enumerate(citations):
            law = ids.law_id(citation.law)
            self.graph.add_node(
                Node(
                    law,
                    NodeKind.LAW,
                    _props(name=citation.law, key=citation.law_key, rank=citation.rank),
                    origin,
                )
            )
            target = law
            if citation.article is not None:
                target = ids.article_id(citation.law, citation.article, citation.article_suffix)
                self.graph.add_node(
                    Node(
                        target,
                        NodeKind.ARTICLE,
                        _props(**article_props(citation.article, citation.article_suffix)),
                        origin,
                    )
                )
                self.graph.add_edge(Edge(target, EdgeKind.ARTICLE_OF, law, {}, origin))
            self.graph.add_edge(
                Edge(
                    item,
                    EdgeKind.CITES,
                    target,
                    {
                        "citations": (citation.text,),
                        "paragraphs": citation_part(citation),
                        "position": position,
                    },
                    origin,
                )
            )
        if not citations:
            return "unparsed"
        return "parsed" if with_article else "law_only"

    def _basis_cell(self, row: ListRow) -> tuple[str, int, str]:
        """The cell a row's basis was written in: its own, the top of a merge over it, or its anchor's."""
        positions = row.layout.columns.get("basis", [])
        for position in positions:
            if row.table.own(row.index, position):
                return (row.table.sheet, row.number, row.table.file)
            top = row.table.covered.get((row.index, position))
            if top is not None and row.table.own(*top):
                return (row.table.sheet, top[0] + 1, row.table.file)
        anchor = row.anchor
        return (row.table.sheet, anchor.number if anchor else row.number, row.table.file)

    def _more(self, row: ListRow) -> None:
        """A row that adds text to the item above: its own cells are appended to the item's."""
        anchor = row.anchor
        made = self.nodes.get((anchor.table.sheet, anchor.index), []) if anchor else []
        if not made:
            self._not_placed(
                row,
                None,
                next(iter(v for v in row.own.values() if v), ""),
                "continues an item that was not placed",
            )
            return
        nodes = self.graph.nodes
        for item in made:
            node = nodes[item]
            props = dict(node.props)
            extra = dict(props.get("extra") or {})
            for column, text in row.own.items():
                if not text or column in ("sequence", "item", "power_type", "code"):
                    continue
                if column in ("duties", "triggers", "note", "basis"):
                    if text not in str(props.get(column, "")):
                        props[column] = f"{props[column]}\n{text}" if props.get(column) else text
                elif column in row.layout.headers:
                    header = row.layout.headers[column].rsplit(" (", 1)[0]
                    if text not in extra.get(header, ""):
                        extra[header] = f"{extra[header]}\n{text}" if extra.get(header) else text
            if extra:
                props["extra"] = extra
            nodes[item] = Node(node.id, node.kind, props, node.origin)


_LEVEL_ORDER = {label: position for position, label in enumerate(LEVEL_LABELS.values())}

_ITEM_COLUMNS = frozenset(
    {
        "code",
        "sequence",
        "item",
        "sub_item",
        "power_type",
        "basis",
        "department",
        "unit",
        "level",
        "duties",
        "triggers",
        "note",
        "statutory_days",
        "promised_days",
    }
)


def _props(**props: Any) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v not in (None, "")}


def _days(text: str) -> int | None:
    match = re.search(r"\d+", text or "")
    return int(match.group()) if match else None
