"""What the analyses must find in a government, computed from its rows: every gap of the kinds that can be
computed (vacant posts, departments without a head, the staffing kinds on the reference date,
MISPLACED items, functions without a unit), the licences approved twice (SAME_MATTER), and what
the laws sheet and truth.json's counts need from it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from graph import ids
from graph.analyses.fields import competent_field
from graph.text import normalize
from loaders.demo import REFERENCE_DATE
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.state import department_fields, fields_match

__all__ = ["expect"]


def expect(builder: GovernmentBuilder) -> None:
    """Write into the truth what the analyses must find in this government."""
    gov = builder.gov.name
    reference = REFERENCE_DATE.toordinal()
    department_of_post = {row[0]: row[1] for row in builder.post_rows}

    def held(post: str) -> bool:
        return any(
            start <= reference and (end is None or reference < end) for start, end, _ in builder.holders[post]
        )

    heads = {d.head: d for d in builder.departments}
    for post in sorted(builder.stage_posts | set(heads)):
        if not held(post):
            builder.truth.gaps["VACANT_POST"].append(ids.post_id(post))
            if post in heads:
                builder.truth.gaps["NO_HEAD"].append(builder.department_id(heads[post]))
    if builder.no_head:
        builder.truth.planted_gaps["NO_HEAD"].append(builder.department_id(heads[builder.no_head]))
    # staffing on the reference date
    quota_of: dict[str, set[tuple[str, str]]] = defaultdict(set)
    posts_of: dict[str, set[str]] = defaultdict(set)
    for row in builder.holding_rows:
        start = date.fromisoformat(row[3]).toordinal()
        if start > reference or (row[4] and reference >= date.fromisoformat(row[4]).toordinal()):
            continue
        if row[6]:
            quota_of[row[0]].add((row[6], row[5]))
        if row[2]:
            posts_of[row[0]].add(row[2])
    people: Counter[str] = Counter(name for held_quota in quota_of.values() for name, _ in held_quota)
    builder.quota = {}
    for department in builder.departments:
        count = people[department.name]
        if department.name in builder.over_quota and count > 1:
            builder.quota[department.name] = count - builder.rng.randint(1, min(3, count - 1))
            builder.truth.gaps["OVER_QUOTA"].append(builder.department_id(department))
        else:
            builder.quota[department.name] = count + builder.rng.randint(0, 4)
    for person in sorted(set(quota_of) | set(posts_of)):
        person_id = ids.person_id(person)
        departments = {department_of_post[post] for post in posts_of.get(person, ())}
        if quota_of.get(person) and not posts_of.get(person):
            builder.truth.gaps["GHOST_PAYROLL"].append(person_id)
        if departments and any(q not in departments for q, _ in quota_of.get(person, ())):
            builder.truth.gaps["MIXED_QUOTA"].append(person_id)
        if len(departments) > 1:
            builder.truth.gaps["CONCURRENT_POSTS"].append(person_id)
    # 错位: every item citing an article whose 主管部门 names a field none of its holders works in
    fields = {d.name: department_fields(d.name, builder.gov.place) for d in builder.departments}
    for item in builder.items:
        for short, article, _ in item.entry.citations:
            if not builder.p.has_competent(short, article):
                continue
            words = competent_field(builder.p.competent[builder.p.law_kind[short]] or "")
            if any(fields_match(fields[d.name], words) for d in item.departments):
                continue
            if any(fields_match(f, words) for f in fields.values()):
                builder.truth.gaps["MISPLACED"].extend(item.ids)
                break
    for function in builder.functions:
        if not function.units:
            builder.truth.gaps["FUNCTION_WITHOUT_UNIT"].append(function.id)
    # SAME_MATTER: one licence (name and sub-item) approved by several departments
    matters: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in builder.items:
        if item.entry.type_code == "XK":
            for sub, item_id in zip(item.entry.subs or ("",), item.ids, strict=True):
                matters[normalize(item.entry.name + sub)].append((item_id, item.departments[0].name))
    for group in matters.values():
        if len({owner for _, owner in group}) > 1:
            builder.truth.splits["SAME_MATTER"].append(sorted(item_id for item_id, _ in group))
    for item in builder.items:
        for short, article, _ in item.entry.citations:
            if article is not None:
                builder.p.cited.add((short, article))
                if builder.p.has_competent(short, article):
                    builder.p.competent_cited.add((short, article))
        if item.note == "" and len(builder.truth.cross_level) < 100:
            first = builder.p.first_listed.setdefault(id(item.entry), (gov, item.ids[0]))
            if first[0] != gov and builder.rng.random() < 0.02:
                builder.truth.cross_level.append([first[1], item.ids[0]])
    for function in builder.functions:
        for short, article, _ in function.citations:
            builder.p.cited_laws.add(short)
            if article is not None:
                builder.p.cited.add((short, article))
    builder.p.cited_laws.update(c[0] for item in builder.items for c in item.entry.citations)
    builder.truth.counts["items"] += sum(len(item.ids) for item in builder.items)
    builder.truth.counts["functions"] += len(builder.functions)
