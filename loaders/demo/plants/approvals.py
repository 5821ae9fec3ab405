"""The city's split approvals: licences whose stages other departments carry, prerequisite chains, and
stages left without an answerable post, as `plants.toml` names them.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import Any

from loaders.demo import read_data
from loaders.demo.records import DemoCity

__all__ = [
    "CHAINS",
    "SPLITS",
    "STAGES_WITHOUT_POST",
    "describe_split_approvals",
    "plant_prerequisites",
    "resolve_splits",
    "stages_without_post",
]

_DATA = read_data("plants")["approvals"]

#: licensing items whose stages other departments carry: (department, item) -> [(stage, department, unit)]
SPLITS: dict[tuple[str, str], list[tuple[str, str, str]]] = {
    (split["department"], split["item"]): [
        (stage, department, unit) for stage, department, unit in split["stages"]
    ]
    for split in _DATA["splits"]
}

#: prerequisite chains, last approval first: each item needs the next one approved before
CHAINS: list[list[tuple[str, str]]] = [
    [(department, item) for department, item in chain] for chain in _DATA["chains"]
]

#: (department, item, stage) left without an answerable post
STAGES_WITHOUT_POST: list[tuple[str, str, str]] = [
    (department, item, stage) for department, item, stage in _DATA["stages_without_post"]
]


def resolve_splits(city: DemoCity) -> dict[str, list[tuple[str, str, str]]]:
    """`SPLITS` keyed by item code."""
    return {city.items_named(department, name).code: stages for (department, name), stages in SPLITS.items()}


def stages_without_post(city: DemoCity) -> set[tuple[str, str]]:
    """(item code, stage name) of `STAGES_WITHOUT_POST`."""
    return {
        (city.items_named(department, name).code, stage) for department, name, stage in STAGES_WITHOUT_POST
    }


def plant_prerequisites(city: DemoCity) -> list[dict[str, Any]]:
    """Write the chains' 前置事项 and describe them (items, departments; days come later)."""
    described = []
    for chain in CHAINS:
        items = [city.items_named(department, name) for department, name in chain]
        for item, prerequisite in pairwise(items):
            item.prerequisites = (*item.prerequisites, prerequisite.code)
        described.append(
            {
                "items": [i.code for i in items],
                "names": [i.name for i in items],
                "departments": sorted({i.departments[0] for i in items}),
            }
        )
    return described


def describe_split_approvals(
    city: DemoCity, chains: list[dict[str, Any]], overlaps: list[dict[str, Any]]
) -> dict[str, Any]:
    """The split approvals truth.json lists: items whose stages several departments carry (with the lead
    department, the one carrying most stages), the chains with their days, and the same licence
    approved by two departments (the SAME_ITEM overlaps of licences)."""
    split_items = []
    for item in city.items:
        stages = city.stages_of(item.code)
        departments = [s.department or item.departments[0] for s in stages]
        if len(set(departments)) > 1:
            count = Counter(departments)
            approver = next((d for s, d in zip(stages, departments, strict=True) if s.role == "批准"), None)
            lead = max(count, key=lambda d: (count[d], d == approver))
            split_items.append(
                {
                    "item": item.code,
                    "name": item.name,
                    "departments": sorted(set(departments)),
                    "stages": [
                        {"step": s.step, "stage": s.name, "department": d}
                        for s, d in zip(stages, departments, strict=True)
                    ],
                    "lead": lead,
                }
            )
    for chain in chains:
        items = [city.item(code) for code in chain["items"]]
        chain["stages"] = sum(len(city.stages_of(i.code)) for i in items)
        chain["statutory_days"] = sum(i.statutory_days or 0 for i in items)
        chain["promised_days"] = sum(i.promised_days or 0 for i in items)
        chain["crosses_departments"] = len(chain["departments"]) > 1
    same_matter = [o for o in overlaps if "SAME_ITEM" in o["kinds"] and o["power_type"] == "行政许可"]
    return {"split_items": split_items, "chains": chains, "same_matter": same_matter}
