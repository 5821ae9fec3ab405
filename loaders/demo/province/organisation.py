"""A government's organisation: its departments, their units and posts, and the people who hold them.

Each government has the kinds of department of the province (a county one to three fewer), named
after its place, each with its kind's units, a head, two or three deputies sharing the units, a
head and two to four staff a unit. Posts are held over the years up to the reference date; the
staffing plants (a department without a head, people on a quota without a post, on another
department's quota, in two posts at once, departments over quota) are laid over them.
"""

from __future__ import annotations

from typing import Any

from graph import ids
from loaders.demo import REFERENCE_DATE
from loaders.demo.city import DEPARTMENTS
from loaders.demo.names import person_name, unit_head_title
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.records import Department, iso_day, quota_type
from loaders.demo.province.vocabulary import APPROVAL_POSTS, OPTIONAL_AT_COUNTY, STAFF_POSTS

__all__ = ["organise", "staff"]


def organise(builder: GovernmentBuilder) -> None:
    """The departments, their units and posts; now and then a unit left without posts (planted)."""
    rng = builder.rng
    kinds = list(builder.p.kinds)
    if builder.gov.level == "县":
        dropped = set(rng.sample(OPTIONAL_AT_COUNTY, rng.randint(1, 3)))
        kinds = [kind for kind in kinds if kind.key not in dropped]
    unit_without_post = rng.random() < 0.3
    for index, kind in enumerate(kinds, start=1):
        key = kind.key
        if builder.gov.level == "省" and kind.kind == "组成部门" and key.endswith("局"):
            key = key[:-1] + "厅"
        department = Department(f"{builder.gov.place}{key}", f"{builder.gov.code}{index:02d}", kind, index)
        department.units = list(kind.units)
        department.approval_unit = (
            "行政审批科"
            if "行政审批科" in department.units
            else department.units[min(1, len(department.units) - 1)]
        )
        builder.departments.append(department)
        builder.by_key[kind.key] = department
    for department in builder.departments:
        _posts(builder, department)
    if unit_without_post:
        department = rng.choice(builder.departments)
        spare = [u for u in department.units if u != department.approval_unit and u in department.posts]
        if spare:
            unit = rng.choice(spare)
            codes = set(department.posts.pop(unit))
            builder.post_rows = [row for row in builder.post_rows if row[0] not in codes]
            department.unit_heads.pop(unit, None)
            builder.truth.gaps["FUNCTION_WITHOUT_UNIT"].append(
                ids.unit_id(ids.department_id(builder.gov.name, department.name), unit)
            )
            builder.truth.planted_gaps["FUNCTION_WITHOUT_UNIT"].append(
                ids.unit_id(ids.department_id(builder.gov.name, department.name), unit)
            )
    for department in builder.departments:
        for unit in department.units:
            duty = _unit_duty(builder, department, unit)
            builder.unit_rows.append((department.name, unit, len(department.posts.get(unit, ())), duty))


def staff(builder: GovernmentBuilder) -> None:
    """The holders of every post over the years, then the staffing plants."""
    rng = builder.rng
    if rng.random() < 0.4:
        builder.no_head = rng.choice(builder.departments).head
    for department in builder.departments:
        for unit, posts in department.posts.items():
            for post in posts:
                category = (
                    "行政首长"
                    if post == department.head
                    else "分管领导"
                    if unit == ""
                    else "内设机构负责人"
                    if post == department.unit_heads.get(unit)
                    else "工作人员"
                )
                _staff_post(builder, department, post, category)
    _plant_staffing(builder)


def _unit_duty(builder: GovernmentBuilder, department: Department, unit: str) -> str:
    for demo in DEPARTMENTS:
        if demo.key == department.kind.key:
            for name, duty in demo.units:
                if name == unit:
                    return builder.scoped(duty)
    return f"负责{builder.rng.choice(department.kind.roots)}相关业务工作"


def _posts(builder: GovernmentBuilder, department: Department) -> None:
    rng = builder.rng
    code = department.code
    head_rank = department.kind.head_rank
    department.head = f"{code}0000"
    builder.post_rows.append(
        (department.head, department.name, "", head_rank, "行政首长", head_rank, "", "主持全面工作")
    )
    deputies = 2 + (len(department.units) > 6)
    for d in range(deputies):
        supervised = department.units[d::deputies]
        post = f"{code}00{d + 1:02d}"
        department.deputies.append((post, supervised))
        builder.post_rows.append(
            (
                post,
                department.name,
                "",
                f"副{head_rank}",
                "分管领导",
                f"副{head_rank}",
                "、".join(supervised),
                f"分管{'、'.join(supervised)}工作",
            )
        )
    for u, unit in enumerate(department.units, start=1):
        chief = unit_head_title(unit)
        head = f"{code}{u:02d}01"
        department.unit_heads[unit] = head
        codes = [head]
        builder.post_rows.append(
            (
                head,
                department.name,
                unit,
                f"{unit}{chief}",
                "内设机构负责人",
                chief,
                "",
                f"负责{unit}全面工作",
            )
        )
        names = APPROVAL_POSTS if unit == department.approval_unit else STAFF_POSTS
        for p in range(2, 2 + rng.choice((2, 3, 3, 4))):
            post = f"{code}{u:02d}{p:02d}"
            codes.append(post)
            rank = rng.choice(("一级科员", "四级主任科员", "三级主任科员", "二级主任科员", "一级主任科员"))
            builder.post_rows.append(
                (post, department.name, unit, names[(p - 2) % len(names)], "工作人员", rank, "", "")
            )
        department.posts[unit] = codes
    department.posts[""] = [department.head, *(post for post, _ in department.deputies)]


def _staff_post(builder: GovernmentBuilder, department: Department, post: str, category: str) -> None:
    rng = builder.rng
    held = {"行政首长": 0.97, "分管领导": 0.95, "内设机构负责人": 0.94}.get(category, 0.92)
    reference = REFERENCE_DATE.toordinal()
    if post != builder.no_head and rng.random() < held:
        start = reference - rng.randint(20, 8 * 365)
        _hold(builder, department, post, start, None)
        end = start - (0 if rng.random() < 0.75 else rng.randint(10, 240))
    else:
        end = reference - rng.randint(10, 500)
        if post == builder.no_head:
            start = end - rng.randint(300, 5 * 365)
            _hold(builder, department, post, start, end)
            end = start
    for chance in (0.55, 0.15):
        if rng.random() >= chance:
            break
        start = end - rng.randint(300, 6 * 365)
        _hold(builder, department, post, start, end)
        end = start - (0 if rng.random() < 0.75 else rng.randint(10, 240))


def _person(builder: GovernmentBuilder) -> tuple[str, str]:
    builder.people += 1
    return f"R{builder.gov.code}{builder.people:05d}", person_name(builder.rng)


def _hold(
    builder: GovernmentBuilder,
    department: Department,
    post: str,
    start: int,
    end: int | None,
    person: tuple[str, str] | None = None,
    quota: bool = True,
) -> list[Any]:
    code, name = person or _person(builder)
    row = [
        code,
        name,
        post,
        iso_day(start),
        iso_day(end) if end else "",
        quota_type(department) if quota else "",
        department.name if quota else "",
    ]
    builder.holding_rows.append(row)
    if post:
        builder.holders[post].append((start, end, code))
    return row


def _plant_staffing(builder: GovernmentBuilder) -> None:
    rng = builder.rng
    reference = REFERENCE_DATE.toordinal()
    for _ in range(rng.randint(1, 2)):  # on a quota, holding no post (吃空饷)
        department = rng.choice(builder.departments)
        _hold(builder, department, "", reference - rng.randint(200, 3000), None)
    current = [
        row for row in builder.holding_rows if row[2] and not row[4] and row[2][-2:] not in ("00", "01")
    ]
    for _ in range(rng.randint(0, 2)):  # a post in one department, the quota of another (混编混岗)
        row = rng.choice(current)
        other = rng.choice([d for d in builder.departments if d.name != row[6]])
        row[5], row[6] = quota_type(other), other.name
    for _ in range(rng.randint(0, 2)):  # a second post in another department at once (兼职)
        row = rng.choice(current)
        other = rng.choice([d for d in builder.departments if d.name != row[6]])
        unit = rng.choice([u for u in other.units if u in other.posts])
        post = rng.choice(other.posts[unit][1:] or other.posts[unit])
        _hold(
            builder, other, post, reference - rng.randint(30, 900), None, person=(row[0], row[1]), quota=False
        )
    builder.over_quota = {d.name for d in rng.sample(builder.departments, rng.randint(0, 2))}
