"""What truth.json says the city's overlaps and gaps are: the planted ones found again by name (the
catalogue plants most of them by itself), by code, with the pairs that must not be reported.
"""

from __future__ import annotations

from typing import Any

from graph.text import normalize
from loaders.demo import read_data
from loaders.demo.catalogue import DUTY_ARTICLES, GENERAL_ARTICLES, MINED_OVERRIDES, UNBASED_ITEMS
from loaders.demo.city import FUNCTIONS
from loaders.demo.records import DemoCity, Item

__all__ = ["describe_gaps", "describe_overlaps"]

C = "巴中市"


def describe_overlaps(
    city: DemoCity, general_citers: dict[str, set[str]], district_copies: list[tuple[str, str]]
) -> dict[str, Any]:
    """Planted overlaps (by kind) and the pairs that must not be reported as overlaps."""
    city_items = [i for i in city.items if i.government == city.departments[0].government]
    same: dict[tuple[str, str], list[Item]] = {}
    for item in city_items:
        if len(item.departments) == 1:
            same.setdefault((normalize(item.name), item.power_type), []).append(item)
    overlaps = []
    for (_, power_type), items in sorted(same.items()):
        if len({i.departments[0] for i in items}) > 1:
            kinds = ["SAME_ITEM"]
            if _shared_specific_article(items):
                kinds.append("SHARED_BASIS")
            overlaps.append(
                {
                    "kinds": kinds,
                    "power_type": power_type,
                    "name": items[0].name,
                    "items": [i.code for i in items],
                    "departments": [i.departments[0] for i in items],
                    "written": [i.shown_name or i.name for i in items],
                }
            )
    for item in city_items:
        if len(item.departments) > 1:
            overlaps.append(
                {
                    "kinds": ["JOINT"],
                    "power_type": item.power_type,
                    "name": item.name,
                    "items": [item.code],
                    "departments": list(item.departments),
                }
            )
    for department_a, name_a, department_b, name_b in _SHARED_BASIS_PAIRS:
        a, b = city.items_named(department_a, name_a), city.items_named(department_b, name_b)
        overlaps.append(
            {
                "kinds": ["SHARED_BASIS"],
                "power_type": a.power_type,
                "items": [a.code, b.code],
                "departments": [department_a, department_b],
                "articles": sorted({f"{law}{art}" for law, art in set(a.cited) & set(b.cited)}),
            }
        )
    for department_a, department_b, text_a, text_b in _SIMILAR_FUNCTIONS:
        fa = next(f for f in city.functions if f.department == department_a and f.text == text_a)
        fb = next(f for f in city.functions if f.department == department_b and f.text == text_b)
        overlaps.append(
            {
                "kinds": ["SIMILAR_TEXT"],
                "functions": [fa.code, fb.code],
                "departments": [department_a, department_b],
                "texts": [fa.text, fb.text],
            }
        )
    for department_a, name_a, department_b, name_b in _SIMILAR_ITEMS:
        a, b = city.items_named(department_a, name_a), city.items_named(department_b, name_b)
        overlaps.append(
            {
                "kinds": ["SIMILAR_TEXT"],
                "power_type": a.power_type,
                "items": [a.code, b.code],
                "departments": [department_a, department_b],
                "texts": [a.name, b.name],
            }
        )
    not_overlaps: list[dict[str, Any]] = [
        {
            "kind": "CROSS_LEVEL",
            "items": [city_code, district_code],
            "departments": [city.item(city_code).departments[0], city.item(district_code).departments[0]],
            "name": city.item(city_code).name,
        }
        for city_code, district_code in district_copies
    ]
    for law, article in GENERAL_ARTICLES.values():
        departments = sorted(general_citers.get(f"{law}{article}", set()))
        not_overlaps.append(
            {
                "kind": "GENERAL_ARTICLE",
                "law": law,
                "article": article,
                "departments": departments,
                "department_count": len(departments),
            }
        )
    return {"overlaps": overlaps, "not_overlaps": not_overlaps}


def describe_gaps(
    city: DemoCity, facts: dict[str, Any], over: dict[str, tuple[int, int]]
) -> list[dict[str, Any]]:
    """Every planted gap, with the ids to check it by."""
    gaps: list[dict[str, Any]] = []
    for department, _, name, basis in UNBASED_ITEMS:
        item = city.items_named(C + department, name)
        gaps.append(
            {
                "kind": "UNBASED_POWER",
                "item": item.code,
                "department": item.departments[0],
                "basis": basis or None,
                "may_also": ["POWER_OUTSIDE_MANDATE"],  # with no basis, only its wording can match a function
            }
        )
    cited = {(law, art) for item in city.items for law, art in item.cited}
    for duty in DUTY_ARTICLES:
        if (duty.law, duty.article) not in cited and not _function_cites(city, duty.law, duty.article):
            gaps.append(
                {
                    "kind": "UNHELD_DUTY",
                    "law": duty.law,
                    "article": duty.article,
                    "duty": duty.duty,
                    "competent": duty.competent,
                }
            )
    for (law, article), department in MINED_OVERRIDES.items():
        item = next(i for i in city.items if (law, article) in i.cited and i.departments == (C + department,))
        competent = next(d.competent for d in DUTY_ARTICLES if (d.law, d.article) == (law, article))
        gaps.append(
            {
                "kind": "MISPLACED",
                "item": item.code,
                "department": item.departments[0],
                "law": law,
                "article": article,
                "competent": competent,
            }
        )
    for department, text in _NOT_EXERCISED:
        function = next(f for f in city.functions if f.department == department and f.text.startswith(text))
        gaps.append({"kind": "FUNCTION_NOT_EXERCISED", "function": function.code, "department": department})
    for department, name in _OUTSIDE_MANDATE:
        item = city.items_named(department, name)
        gaps.append({"kind": "POWER_OUTSIDE_MANDATE", "item": item.code, "department": department})
    for function in city.functions:
        if not function.units:
            gaps.append(
                {
                    "kind": "FUNCTION_WITHOUT_UNIT",
                    "function": function.code,
                    "department": function.department,
                }
            )
    staffed = {(p.department, p.unit) for p in city.posts}
    for unit in city.units:
        if (unit.department, unit.name) not in staffed:
            gaps.append(
                {
                    "kind": "FUNCTION_WITHOUT_UNIT",
                    "unit": unit.name,
                    "department": unit.department,
                    "reason": "unit with no post",
                }
            )
    for stage in city.stages:
        if not stage.post:
            gaps.append(
                {"kind": "STAGE_WITHOUT_POST", "item": stage.item, "step": stage.step, "stage": stage.name}
            )
    for vacant in facts["vacant_stage_posts"]:
        gaps.append(
            {
                "kind": "VACANT_POST",
                "post": vacant["post"],
                "department": vacant["department"],
                "since": vacant["since"],
                "why": "stage post",
            }
        )
    for no_head in facts["no_head"]:
        gaps.append(
            {
                "kind": "VACANT_POST",
                "post": no_head["post"],
                "department": no_head["department"],
                "since": no_head["since"],
                "why": "head post",
            }
        )
        gaps.append(
            {
                "kind": "NO_HEAD",
                "department": no_head["department"],
                "post": no_head["post"],
                "since": no_head["since"],
            }
        )
    for department, (quota, people) in sorted(over.items()):
        gaps.append(
            {
                "kind": "OVER_QUOTA",
                "department": department,
                "quota_type": "行政编制",
                "quota": quota,
                "on_quota": people,
            }
        )
    for ghost in facts["ghosts"]:
        gaps.append({"kind": "GHOST_PAYROLL", **ghost})
    for mixed in facts["mixed"]:
        gaps.append({"kind": "MIXED_QUOTA", **mixed})
    for concurrent in facts["concurrent"]:
        gaps.append({"kind": "CONCURRENT_POSTS", **concurrent, "may_also": ["MIXED_QUOTA"]})
    return gaps


def _function_cites(city: DemoCity, law: str, article: str) -> bool:
    return any((law, article) in function.basis for function in FUNCTIONS)


def _shared_specific_article(items: list[Item]) -> bool:
    general = set(GENERAL_ARTICLES.values())
    common = set(items[0].cited)
    for item in items[1:]:
        common &= set(item.cited)
    return bool(common - general)


_PLANTS = read_data("plants")
_SHARED_BASIS_PAIRS: list[list[str]] = _PLANTS["overlaps"]["shared_basis"]
_SIMILAR_FUNCTIONS: list[list[str]] = _PLANTS["overlaps"]["similar_functions"]
_SIMILAR_ITEMS: list[list[str]] = _PLANTS["overlaps"]["similar_items"]
_NOT_EXERCISED: list[list[str]] = _PLANTS["gaps"]["not_exercised"]
_OUTSIDE_MANDATE: list[list[str]] = _PLANTS["gaps"]["outside_mandate"]
