"""The approval stages of the demo city's licences (and of a few confirmations), and who answers for each.

A licence's promised days are spread over 受理, 审查, 审核, 决定 (or 批准) and 送达; each stage is
carried by the item's unit (or, for a split approval, another department's), answered for by its
受理岗 or 审查岗, the unit head, or the deputy in charge of the unit.
"""

from __future__ import annotations

import random

from loaders.demo.records import DemoCity, Item, Stage

__all__ = ["STAGED_CONFIRMATIONS", "build_stages"]

#: confirmation items handled in stages like approvals (the rest of 行政确认 has no stages)
STAGED_CONFIRMATIONS = {
    "不动产登记",
    "工伤认定",
    "教师资格认定",
    "事业单位设立登记",
    "道路运输驾驶员从业资格证核发",
}


def build_stages(
    city: DemoCity,
    rng: random.Random,
    splits: dict[str, list[tuple[str, str, str]]],
    without_post: set[tuple[str, str]],
) -> None:
    """Approval stages of licensing items (and a few confirmations).

    `splits` maps an item code to (stage name, department, unit) overrides: the stage is carried
    by that department's unit (its head, or its 受理岗 for 受理 and 送达). `without_post` lists
    (item code, stage name) stages left without an answerable post.
    """
    for item in city.items:
        if not _is_staged(item):
            continue
        layout = _stage_layout(item.promised_days or 1, rng)
        overrides = {name: (department, unit) for name, department, unit in splits.get(item.code, [])}
        for step, (name, days) in enumerate(layout, start=1):
            department, unit = overrides.get(name, (item.departments[0], item.unit or ""))
            post = (
                None if (item.code, name) in without_post else _answerable_post(city, department, unit, name)
            )
            role = _role(name)
            city.stages.append(
                Stage(
                    item.code,
                    step,
                    name,
                    role,
                    department,
                    unit,
                    post,
                    days,
                    written_role=rng.random() < 0.7,
                    written_department=department != item.departments[0] or rng.random() < 0.15,
                )
            )


def _is_staged(item: Item) -> bool:
    return item.power_type == "行政许可" or (
        item.power_type == "行政确认" and item.name in STAGED_CONFIRMATIONS
    )


def _stage_layout(promised: int, rng: random.Random) -> list[tuple[str, int]]:
    decide = "批准" if rng.random() < 0.3 else "决定"
    if promised < 5:
        return [("受理", 1), ("审查", max(1, promised - 2)), (decide, 1)]
    budget = promised - 2 - (2 if promised >= 10 else 0)
    review = max(1, int(budget * 0.5))
    check = max(1, int(budget * 0.3))
    approve = max(1, budget - review - check)
    return [("受理", 1), ("审查", review), ("审核", check), (decide, approve), ("送达", 1)]


def _role(stage: str) -> str:
    return {"审核": "审核", "批准": "批准", "决定": "批准"}.get(stage, "承办")


def _answerable_post(city: DemoCity, department: str, unit: str, stage: str) -> str | None:
    posts = city.posts_of(department, unit)
    if stage in ("受理", "送达", "审查"):
        wanted = "受理岗" if stage != "审查" else "审查岗"
        found = [p for p in posts if p.name.endswith(wanted)]
        if found:
            return found[0].code
    if stage in ("审核", "受理", "送达", "审查"):
        heads = [p for p in posts if p.category == "内设机构负责人"]
        return heads[0].code if heads else None
    deputies = [p for p in city.posts_of(department) if p.category == "分管领导" and unit in p.supervises]
    return deputies[0].code if deputies else city.head_post(department).code
