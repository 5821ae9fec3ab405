"""Staffing figures (编制 and 在岗): who sits on each department's quota and who works there, on a date.

`placements(links, at)` reads every holding once and says, for each person, the
quotas they sit on and the posts they hold on `at`; the staffing gaps
(`graph.analyses.gaps`) and `staffing_figures` are both built on it.

    figures = staffing_figures(store, at=date(2026, 11, 28))
    figures["department:巴中市人民政府/巴中市财政局"].on_admin_quota
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from graph.analyses.links import Links
from graph.organisation import covers
from graph.store import GraphReader
from ontology import NodeKind

__all__ = ["ADMIN_QUOTA", "INSTITUTION_QUOTA", "Placements", "Staffing", "placements", "staffing_figures"]

ADMIN_QUOTA = "行政编制"
INSTITUTION_QUOTA = "事业编制"


@dataclass(frozen=True, slots=True)
class Placements:
    """Per person id: the (department, quota type) they sit on, and the posts they hold, on one date."""

    quotas: dict[str, set[tuple[str, str]]]
    posts: dict[str, set[str]]


@dataclass(frozen=True, slots=True)
class Staffing:
    """One department's quotas against the people on them and at work, on one date."""

    department: str
    admin_quota: int | None
    institution_quota: int | None
    on_admin_quota: int
    on_institution_quota: int
    on_other_quota: int  # 工勤编制 and 编外
    posts: int
    posts_held: int
    people_at_work: int


def placements(links: Links, at: date) -> Placements:
    """Everyone's quotas and posts on `at`, from one pass over the holdings."""
    quotas: dict[str, set[tuple[str, str]]] = defaultdict(set)
    posts: dict[str, set[str]] = defaultdict(set)
    for holding in links.nodes(NodeKind.HOLDING).values():
        if not covers(holding, at):
            continue
        person = links.person_of(holding.id)
        if person is None:
            continue
        quota = links.quota_of(holding.id)
        if quota is not None:
            quotas[person].add((quota, str(holding.get("quota_type") or ADMIN_QUOTA)))
        post = links.post_of(holding.id)
        if post is not None:
            posts[person].add(post)
    return Placements(dict(quotas), dict(posts))


def staffing_figures(reader: GraphReader, *, at: date) -> dict[str, Staffing]:
    """Every department's staffing figures on `at`, by department id."""
    links = Links(reader)
    placed = placements(links, at)
    on_quota: Counter[tuple[str, str]] = Counter()
    for held in placed.quotas.values():
        on_quota.update(held)
    working: dict[str, set[str]] = defaultdict(set)
    held_posts: set[str] = set()
    for person, person_posts in placed.posts.items():
        held_posts |= person_posts
        for post in person_posts:
            department = links.department_of_post(post)
            if department is not None:
                working[department].add(person)
    figures: dict[str, Staffing] = {}
    others: Counter[str] = Counter()
    for (quota_department, kind), count in on_quota.items():
        if kind not in (ADMIN_QUOTA, INSTITUTION_QUOTA):
            others[quota_department] += count
    for node in links.nodes(NodeKind.DEPARTMENT).values():
        department_posts = links.posts_of_department(node.id)
        figures[node.id] = Staffing(
            department=node.id,
            admin_quota=node.get("admin_quota"),
            institution_quota=node.get("institution_quota"),
            on_admin_quota=on_quota[(node.id, ADMIN_QUOTA)],
            on_institution_quota=on_quota[(node.id, INSTITUTION_QUOTA)],
            on_other_quota=others[node.id],
            posts=len(department_posts),
            posts_held=sum(1 for post in department_posts if post in held_posts),
            people_at_work=len(working.get(node.id, ())),
        )
    return figures
