"""The city's staffing plants: a head replaced by the deputy, heads and stage posts left empty, an acting
unit head, people in two posts or on another department's quota, people on a quota holding no post.

`plan_staffing` writes them as holdings of their own, on posts the simulation of
`loaders.demo.staffing` then leaves alone, and returns the facts truth.json describes them by.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from loaders.demo import read_data
from loaders.demo.names import NameSource
from loaders.demo.records import DemoCity, Holding, Post
from loaders.demo.staffing import StaffingPlan

__all__ = ["OVER_QUOTA", "plan_staffing"]

C = "巴中市"

#: departments with more people on their 行政编制 than places (by how many)
OVER_QUOTA: dict[str, int] = read_data("plants")["over_quota"]


class _PlanWriter:
    """Writes the plan's holdings: people P0001… with fictional names, reserving every post touched."""

    def __init__(self, city: DemoCity, rng: random.Random, plan: StaffingPlan) -> None:
        self.city, self.plan = city, plan
        self.names = NameSource(rng, ())
        self.count = 0

    def person(self) -> tuple[str, str]:
        self.count += 1
        return f"P{self.count:04d}", self.names.new()

    def hold(
        self,
        who: tuple[str, str],
        post: Post,
        start: date,
        end: date | None = None,
        *,
        quota: tuple[str, str] | bool | None = True,
    ) -> None:
        """`who` holds `post` over [start, end); quota True: the post's department's 行政编制 (事业编制 in 事业单位)."""
        quota_type: str | None
        quota_department: str | None
        if quota is True:
            kind = self.city.department(post.department).kind
            quota_type, quota_department = ("事业编制" if kind == "事业单位" else "行政编制"), post.department
        elif quota:
            quota_type, quota_department = quota
        else:
            quota_type = quota_department = None
        self.plan.holdings.append(
            Holding(who[0], who[1], post.code, start, end, quota_type, quota_department)
        )
        self.plan.reserved_posts.add(post.code)

    def on_quota(self, who: tuple[str, str], start: date, end: date | None, quota: tuple[str, str]) -> None:
        """A quota row with no post: `who` is counted on `quota` over [start, end)."""
        self.plan.holdings.append(Holding(who[0], who[1], None, start, end, quota[0], quota[1]))


def plan_staffing(city: DemoCity, rng: random.Random) -> tuple[StaffingPlan, dict[str, Any]]:
    """The staffing plants: returns the plan for `build_holdings` and the facts truth.json needs."""
    plan = StaffingPlan()
    writer = _PlanWriter(city, rng, plan)
    facts: dict[str, Any] = {}

    # the head of 市场监督管理局 replaced on 2024-06-01 by the deputy, whose post then stays empty six weeks
    market = C + "市场监督管理局"
    head, deputy = city.head_post(market), _deputies(city, market)[0]
    old, new, successor = writer.person(), writer.person(), writer.person()
    writer.hold(old, head, date(2016, 4, 11), date(2024, 6, 1))
    writer.hold(new, deputy, date(2017, 9, 4), date(2024, 6, 1))
    writer.hold(new, head, date(2024, 6, 1))
    writer.hold(successor, deputy, date(2024, 7, 15))
    facts["head_change"] = {
        "department": market,
        "post": head.code,
        "date": "2024-06-01",
        "before": old[0],
        "after": new[0],
        "deputy_post": deputy.code,
        "deputy_vacant": ["2024-06-01", "2024-07-15"],
    }

    # departments whose head left this autumn and has no successor yet
    facts["no_head"] = []
    for department, since in ((C + "档案局", date(2026, 9, 30)), (C + "气象局", date(2026, 7, 15))):
        post = city.head_post(department)
        who = writer.person()
        writer.hold(who, post, date(2015, 2, 2), since)
        facts["no_head"].append(
            {"department": department, "post": post.code, "since": since.isoformat(), "last_holder": who[0]}
        )

    # stage posts left empty this autumn
    facts["vacant_stage_posts"] = []
    for department, role, since in (
        (C + "林业局", "受理岗", date(2026, 10, 31)),
        (C + "教育局", "审查岗", date(2026, 11, 16)),
    ):
        post = _unit_post(city, department, "行政审批科", role)
        who = writer.person()
        writer.hold(who, post, date(2013, 9, 2), since)
        facts["vacant_stage_posts"].append(
            {"department": department, "post": post.code, "since": since.isoformat(), "last_holder": who[0]}
        )

    # a stage post empty in spring 2024, when cases still came in
    health = C + "卫生健康委员会"
    review = _unit_post(city, health, "行政审批科", "审查岗")
    before, after = writer.person(), writer.person()
    writer.hold(before, review, date(2012, 7, 2), date(2024, 3, 29))
    writer.hold(after, review, date(2024, 6, 17))
    facts["vacancy_window"] = {
        "department": health,
        "post": review.code,
        "from": "2024-03-29",
        "to": "2024-06-17",
    }

    # the reviewer of 自然资源和规划局 replaced in 2025 by the clerk at the counter (who holds it today)
    land = C + "自然资源和规划局"
    review, counter = (_unit_post(city, land, "行政审批科", role) for role in ("审查岗", "受理岗"))
    reviewer, clerk, new_clerk = writer.person(), writer.person(), writer.person()
    writer.hold(reviewer, review, date(2013, 3, 1), date(2025, 3, 3))
    writer.hold(clerk, counter, date(2016, 8, 1), date(2025, 3, 3))
    writer.hold(clerk, review, date(2025, 3, 3))
    writer.hold(new_clerk, counter, date(2025, 3, 3))
    facts["reviewer_change"] = {
        "department": land,
        "post": review.code,
        "date": "2025-03-03",
        "before": reviewer[0],
        "after": clerk[0],
        "after_held_before": counter.code,
    }

    # a reviewer acting as unit head for a few months (one person reviews and checks the same case)
    facts["acting"] = []
    for department, start, end in (
        (C + "交通运输局", date(2025, 5, 6), date(2025, 9, 1)),
        (C + "人力资源和社会保障局", date(2023, 8, 1), date(2023, 11, 20)),
    ):
        review = _unit_post(city, department, "行政审批科", "审查岗")
        unit_head = _unit_head(city, department, "行政审批科")
        acting, former, latter = writer.person(), writer.person(), writer.person()
        writer.hold(acting, review, date(2015, 10, 12))
        writer.hold(former, unit_head, date(2012, 4, 1), start)
        writer.hold(acting, unit_head, start, end, quota=None)
        writer.hold(latter, unit_head, end)
        facts["acting"].append(
            {
                "department": department,
                "person": acting[0],
                "posts": [review.code, unit_head.code],
                "from": start.isoformat(),
                "to": end.isoformat(),
            }
        )

    # people holding posts in two departments at once (兼职), the second post without a quota
    facts["concurrent"] = []
    efficiency = C + "行政效能监察领导小组办公室"
    reform = C + "审批制度改革办公室"
    pairs = [
        (
            _deputies(city, C + "人民政府办公室")[0],
            city.head_post(efficiency),
            date(2016, 3, 1),
            date(2019, 3, 1),
        ),
        (
            _deputies(city, C + "监察局")[0],
            _deputies(city, efficiency)[0],
            date(2017, 5, 2),
            date(2021, 6, 1),
        ),
        (city.head_post(C + "政务服务中心"), city.head_post(reform), date(2015, 9, 1), date(2020, 1, 2)),
    ]
    for own, second, since, also in pairs:
        who = writer.person()
        writer.hold(who, own, since)
        writer.hold(who, second, also, quota=None)
        facts["concurrent"].append(
            {
                "person": who[0],
                "posts": [own.code, second.code],
                "departments": [own.department, second.department],
                "since": also.isoformat(),
                "quota_department": own.department,
            }
        )

    # people on one department's quota holding a post in another (seconded, or in a public institution)
    facts["mixed"] = []
    seconded = [
        (_deputies(city, efficiency)[1], C + "财政局", date(2018, 6, 1)),
        (_unit_head(city, efficiency, "绩效评估科"), C + "审计局", date(2019, 9, 2)),
        (city.posts_of(efficiency, "绩效评估科")[1], C + "统计局", date(2020, 4, 1)),
        (city.posts_of(C + "政务服务中心", "审批效能监督科")[1], C + "发展和改革委员会", date(2018, 10, 8)),
    ]
    for post, quota_department, since in seconded:
        who = writer.person()
        writer.hold(who, post, since, quota=("行政编制", quota_department))
        facts["mixed"].append(
            {
                "person": who[0],
                "post": post.code,
                "post_department": post.department,
                "quota_department": quota_department,
                "quota_type": "行政编制",
            }
        )
    for post in city.posts_of(efficiency):
        plan.reserved_posts.add(post.code)  # the office's other posts stay empty: it has no staff of its own

    # on a quota, holding no post (吃空饷); and one who was, but has left
    facts["ghosts"], facts["not_ghosts"] = [], []
    for department, unit, left, refilled in (
        (C + "民政局", "社会救助科", date(2023, 6, 30), date(2023, 7, 10)),
        (C + "财政局", "预算科", date(2025, 1, 1), date(2025, 2, 17)),
    ):
        post = _unit_staff(city, department, unit)
        who, replacement = writer.person(), writer.person()
        writer.hold(who, post, date(2011, 5, 3), left)
        writer.on_quota(who, left, None, ("行政编制", department))
        writer.hold(replacement, post, refilled)
        facts["ghosts"].append(
            {
                "person": who[0],
                "department": department,
                "quota_type": "行政编制",
                "since": left.isoformat(),
                "left_post": post.code,
            }
        )
    who = writer.person()
    writer.on_quota(who, date(2021, 9, 1), None, ("事业编制", C + "政务服务中心"))
    facts["ghosts"].append(
        {
            "person": who[0],
            "department": C + "政务服务中心",
            "quota_type": "事业编制",
            "since": "2021-09-01",
            "left_post": None,
        }
    )
    statistics = C + "统计局"
    post = _unit_staff(city, statistics, "综合统计科")
    who, replacement = writer.person(), writer.person()
    writer.hold(who, post, date(2010, 9, 1), date(2019, 1, 1))
    writer.on_quota(who, date(2019, 1, 1), date(2020, 7, 1), ("行政编制", statistics))
    writer.hold(replacement, post, date(2019, 1, 1))
    facts["not_ghosts"].append(
        {
            "person": who[0],
            "department": statistics,
            "reason": "left: post ended 2019-01-01, quota row ended 2020-07-01",
        }
    )
    return plan, facts


def _deputies(city: DemoCity, department: str) -> list[Post]:
    return [p for p in city.posts_of(department) if p.category == "分管领导"]


def _unit_head(city: DemoCity, department: str, unit: str) -> Post:
    return next(p for p in city.posts_of(department, unit) if p.category == "内设机构负责人")


def _unit_post(city: DemoCity, department: str, unit: str, role: str) -> Post:
    return next(p for p in city.posts_of(department, unit) if p.name.endswith(role))


def _unit_staff(city: DemoCity, department: str, unit: str) -> Post:
    return next(p for p in city.posts_of(department, unit) if p.category == "工作人员")
