"""A government's approval stages, and the split approvals planted in them.

Every licence gets one of `STAGE_PLANS`' stage sequences, carried by its department's approval
unit (staff, then the unit head, then the deputy in charge); then a stage now and then carried by
another department (STAGES), prerequisite chains across departments (CHAIN; and some within one,
which are not splits), and stages nobody answers for (STAGE_WITHOUT_POST).
"""

from __future__ import annotations

import itertools
from typing import Any

from graph import ids
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.vocabulary import STAGE_PLANS

__all__ = ["stage"]


def stage(builder: GovernmentBuilder) -> None:
    """The stages of every licence, with the split approvals planted."""
    rng = builder.rng
    rows: dict[str, list[list[Any]]] = {}
    licences = [item for item in builder.items if item.entry.type_code == "XK"]
    for item in licences:
        owner = item.departments[0]
        plan = rng.choice(STAGE_PLANS)
        unit = owner.approval_unit
        posts = owner.posts.get(unit) or owner.posts[""]
        staff = posts[1:] or posts
        chief = owner.unit_heads.get(unit, owner.head)
        deputy = next((post for post, units in owner.deputies if unit in units), owner.head)
        total = item.statutory or 20
        stages: list[list[Any]] = []
        for step, (name, role) in enumerate(plan, start=1):
            post = (
                chief
                if name == "审核"
                else deputy
                if name in ("决定", "批准")
                else staff[1 % len(staff)]
                if name in ("审查", "现场核查")
                else staff[0]
            )
            days = max(1, round(total / len(plan) * rng.uniform(0.6, 1.2)))
            stages.append(
                [item.code, step, name, role, owner.name if rng.random() < 0.2 else "", unit, post, days]
            )
        rows[item.code] = stages
    plain = [
        item
        for item in licences
        if not item.entry.subs and len(item.departments) == 1 and item.note in ("", "local")
    ]
    rng.shuffle(plain)
    # STAGES: one stage carried by another department (a 现场核查 by the department that knows the site)
    for item in plain[: rng.randint(1, 3)]:
        stages = rows[item.code]
        other = builder.other(item.departments[0])
        unit = (
            other.approval_unit
            if other.posts.get(other.approval_unit)
            else next(u for u in other.units if other.posts.get(u))
        )
        index = rng.randrange(1, len(stages) - 1)
        stages[index][4], stages[index][5] = other.name, unit
        stages[index][6] = rng.choice(other.posts[unit][1:] or other.posts[unit])
        item.note = "STAGES"
        builder.truth.splits["STAGES"].append([item.ids[0]])
    chained = [item for item in plain if item.note != "STAGES"]
    # CHAIN: prerequisite approvals across departments; and some within one department (not a split)
    for _ in range(rng.randint(1, 2)):
        if len(chained) < 3:
            break
        first = chained.pop()
        picks = [first]
        for _ in range(2 if rng.random() < 0.4 else 1):
            following = next(
                (i for i in chained if i.departments[0] not in [p.departments[0] for p in picks]), None
            )
            if following is None:
                break
            chained.remove(following)
            picks.append(following)
        if len(picks) < 2:
            continue
        for before, after in itertools.pairwise(picks):
            before.prerequisites.append(after.code)
        builder.truth.splits["CHAIN"].append([p.ids[0] for p in picks])
    for _ in range(rng.randint(1, 3)):
        if len(chained) < 2:
            break
        first = chained.pop()
        following = next((i for i in chained if i.departments[0] is first.departments[0]), None)
        if following is not None:
            chained.remove(following)
            first.prerequisites.append(following.code)
    # STAGE_WITHOUT_POST: a stage nobody answers for
    for code in rng.sample(sorted(rows), min(len(rows), rng.randint(1, 3))):
        stage = rng.choice(rows[code])
        stage[6] = ""
        for item in licences:
            if item.code == code:
                for item_id in item.ids:
                    builder.truth.gaps["STAGE_WITHOUT_POST"].append(ids.stage_id(item_id, stage[1]))
                    builder.truth.planted_gaps["STAGE_WITHOUT_POST"].append(ids.stage_id(item_id, stage[1]))
    for item in licences:
        if len(item.departments) > 1:  # a joint licence: the departments the list names count as carrying it
            builder.truth.splits["STAGES"].extend([item_id] for item_id in item.ids)
        stages = rows[item.code]
        builder.stage_rows.extend(tuple(stage) for stage in stages)
        builder.stage_posts.update(stage[6] for stage in stages if stage[6])
        builder.staged.append((item, [(s[1], s[6], s[7], s[4] or item.departments[0].name) for s in stages]))
