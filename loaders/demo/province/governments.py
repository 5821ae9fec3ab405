"""The governments of a generated province: a province, its cities and their counties and districts.

Below 12 governments the province is one city and its districts and counties. Each government
gets a share of the items, a place name made of two characters (`青川`) and a code after the
pattern of Sichuan's (510000, 510100, 510101 …).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from loaders.demo.province.vocabulary import PLACE_FIRST, PLACE_SECOND

__all__ = ["ITEMS_PER_GOVERNMENT", "Government", "plan_governments"]

#: by default, one government for every this many items
ITEMS_PER_GOVERNMENT = 5000


@dataclass(frozen=True)
class Government:
    """One government: its name, the place its departments are named after, code, level and parent."""

    name: str
    place: str  # what its departments are prefixed with: 青川县
    code: str
    level: str  # 省 / 市 / 县
    parent: str | None
    items: int  # power items and functions it lists


def plan_governments(items: int, rng: random.Random, count: int | None = None) -> list[Government]:
    """A province (or, below 12 governments, a city), its cities and their counties and districts:
    `count` governments (by default one for every 5,000 items) sharing the items."""
    count = count or max(1, items // ITEMS_PER_GOVERNMENT)
    names = _place_names(count + 1, rng)
    share = [items // count + (1 if i < items % count else 0) for i in range(count)]
    governments: list[Government] = []
    if count < 12:
        city = names[0] + "市"
        governments.append(Government(f"{city}人民政府", city, "510100", "市", None, share[0]))
        for i in range(1, count):
            place = names[i] + ("区" if i % 3 else "县")
            governments.append(
                Government(f"{place}人民政府", place, f"5101{i:02d}", "县", governments[0].name, share[i])
            )
        return governments
    province = names[0] + "省"
    governments.append(Government(f"{province}人民政府", province, "510000", "省", None, share[0]))
    cities = max(1, round((count - 1) / 11))
    for c in range(cities):
        place = names[1 + c] + "市"
        governments.append(
            Government(f"{place}人民政府", place, f"51{c + 1:02d}00", "市", governments[0].name, share[1 + c])
        )
    for i in range(1 + cities, count):
        parent = governments[1 + (i - 1 - cities) % cities]
        number = (i - 1 - cities) // cities + 1
        place = names[i] + ("区" if number <= 2 else "县")
        code = f"{parent.code[:4]}{number:02d}"
        governments.append(Government(f"{place}人民政府", place, code, "县", parent.name, share[i]))
    return governments


def _place_names(count: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)
        if name[0] != name[1] and name not in seen:
            seen.add(name)
            names.append(name)
    return names
