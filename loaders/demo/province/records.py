"""The records a government of the province is built of before they become rows: departments, items, functions.

An item is a catalogue `Entry` given a code and its holders; its ids, and the names the analyses
compare, are those of its sub-items when it has some.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from graph import ids
from loaders.demo.province.catalogue import Citation, Entry
from loaders.demo.province.kinds import Kind

__all__ = ["Department", "Function", "Item", "iso_day", "quota_type"]


@dataclass
class Department:
    """A department of one government: name, code, kind, its units and posts (codes by unit)."""

    name: str
    code: str
    kind: Kind
    index: int
    units: list[str] = field(default_factory=list)
    approval_unit: str = ""
    posts: dict[str, list[str]] = field(default_factory=dict)  # unit ("" = leadership) -> post codes
    head: str = ""
    deputies: list[tuple[str, list[str]]] = field(default_factory=list)  # (post, units supervised)
    unit_heads: dict[str, str] = field(default_factory=dict)


@dataclass
class Item:
    """One row group of the power list: an item and its sub-items, held by one or more departments."""

    code: str
    entry: Entry
    departments: list[Department]
    statutory: int | None = None
    promised: int | None = None
    prerequisites: list[str] = field(default_factory=list)
    note: str = ""
    unit: str = ""

    @property
    def ids(self) -> list[str]:
        """The ids the analyses give it: one a sub-item, or the item's own."""
        return [ids.power_item_id(self.code, sub) for sub in self.entry.subs] or [
            ids.power_item_id(self.code)
        ]

    def subjects(self) -> list[tuple[str, str]]:
        """(item id, the name the analyses compare) of each of its items."""
        if not self.entry.subs:
            return [(ids.power_item_id(self.code), self.entry.name)]
        return [(ids.power_item_id(self.code, sub), f"{self.entry.name}（{sub}）") for sub in self.entry.subs]


@dataclass
class Function:
    """A charter function of a department; `planted` names what it was planted for, if anything."""

    code: str
    department: Department
    category: str
    text: str
    units: list[str]
    roots: tuple[str, ...] = ()
    citations: list[Citation] = field(default_factory=list)
    planted: str = ""

    @property
    def id(self) -> str:
        """The id the analyses give it."""
        return ids.function_id(self.code)


def quota_type(department: Department) -> str:
    """The quota the department's people are on: 事业编制 in a public institution, else 行政编制."""
    return "事业编制" if department.kind.kind == "事业单位" else "行政编制"


def iso_day(ordinal: int) -> str:
    """The day `ordinal` (`date.toordinal`) as a sheet writes it: ISO text."""
    return date.fromordinal(ordinal).isoformat()
