"""What the demo plants for the analyses to find, planted the way such things occur in real data.

Each `plant_*` function lays one family of findings into the city and returns its description
for truth.json (department names, item, function, post, person and case ids, and the expected
kind). Overlaps and legal-basis gaps are mostly planted by the catalogue itself (two
departments listing the same item, an item citing no law); the functions here find them again
by name, so truth.json names them by code.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from graph.text import normalize
from loaders.demo.cases import (
    CASES_FROM,
    add_accountability,
    add_head_accountability,
    add_working_days,
    build_case,
    case_findings,
    working_days,
)
from loaders.demo.catalogue import DUTY_ARTICLES, GENERAL_ARTICLES, MINED_OVERRIDES, UNBASED_ITEMS
from loaders.demo.city import FUNCTIONS
from loaders.demo.records import Case, DemoCity, Holding, Item, Post, Stage
from loaders.demo.staffing import NameSource, StaffingPlan

__all__ = [
    "CHAINS",
    "OVER_QUOTA",
    "SPLITS",
    "STAGES_WITHOUT_POST",
    "describe_gaps",
    "describe_overlaps",
    "plan_staffing",
    "plant_cases",
    "plant_prerequisites",
    "resolve_splits",
    "stages_without_post",
]

C = "巴中市"

#: licensing items whose stages other departments carry: (department, item) -> [(stage, department, unit)]
SPLITS: dict[tuple[str, str], list[tuple[str, str, str]]] = {
    (C + "住房和城乡建设局", "建筑工程施工许可证核发"): [
        ("受理", C + "政务服务中心", "综合受理科"),
        ("审核", C + "人民防空办公室", "工程建设管理科"),
        ("送达", C + "政务服务中心", "综合受理科"),
    ],
    (C + "水利局", "取水许可"): [("审核", C + "生态环境局", "水生态环境科")],
    (C + "市场监督管理局", "食品经营许可"): [
        ("受理", C + "政务服务中心", "综合受理科"),
        ("送达", C + "政务服务中心", "综合受理科"),
    ],
    (C + "文化广电旅游局", "娱乐场所经营许可"): [("审查", C + "公安局", "治安管理支队")],
}

#: prerequisite chains, last approval first: each item needs the next one approved before
CHAINS: list[list[tuple[str, str]]] = [
    [
        (C + "住房和城乡建设局", "建筑工程施工许可证核发"),
        (C + "自然资源和规划局", "建设工程规划许可证核发"),
        (C + "自然资源和规划局", "建设项目用地预审与选址意见书核发"),
        (C + "发展和改革委员会", "企业投资项目核准"),
    ],
    [
        (C + "文化广电旅游局", "娱乐场所经营许可"),
        (C + "卫生健康委员会", "公共场所卫生许可"),
        (C + "住房和城乡建设局", "建设工程消防验收"),
    ],
    [
        (C + "应急管理局", "危险化学品经营许可"),
        (C + "应急管理局", "危险化学品建设项目安全条件审查"),
        (C + "生态环境局", "建设项目环境影响评价文件审批"),
    ],
    [(C + "卫生健康委员会", "医疗机构执业登记"), (C + "卫生健康委员会", "医疗机构设置审批")],
]

#: (department, item, stage) left without an answerable post
STAGES_WITHOUT_POST = [
    (C + "气象局", "雷电防护装置竣工验收", "送达"),
    (C + "民族宗教事务局", "宗教临时活动地点审批", "审查"),
    (C + "林业局", "森林高火险期内进入森林高火险区的活动审批", "送达"),
]

#: departments with more people on their 行政编制 than places (by how many)
OVER_QUOTA = {C + "城市管理执法局": 2, C + "文化广电旅游局": 1}


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


# --- staffing --------------------------------------------------------------------------------


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


# --- cases -----------------------------------------------------------------------------------


def plant_cases(
    city: DemoCity, rng: random.Random, facts: dict[str, Any], clean: int = 230
) -> dict[str, Any]:
    """All cases: planted ones (two or more per finding, the holiday stages, a few open cases), then clean ones.

    Case ids are given in order of acceptance once all cases exist. Returns truth.json's case part.
    """
    planted: list[dict[str, Any]] = []
    used_items: set[str] = set()

    def attempt(
        kind: str, item: Item, accepted: Callable[[], date], expect: set[str], tries: int, **options: Any
    ) -> Case | None:
        for _ in range(tries):
            case = build_case(
                city, rng, item, accepted(), **{k: v for k, v in options.items() if k != "step"}
            )
            if case is not None and {f["kind"] for f in case_findings(city, case)} == expect:
                city.cases.append(case)
                used_items.add(item.code)
                planted.append({"planted": kind, "case_record": case, "step": options.get("step")})
                return case
        return None

    def plant(
        kind: str, department: str, name: str, accepted: Callable[[], date], expect: set[str], **options: Any
    ) -> Case:
        case = attempt(kind, city.items_named(department, name), accepted, expect, 200, **options)
        if case is None:
            raise RuntimeError(f"could not plant {kind} on {name}")
        return case

    def between(first: date, last: date) -> Callable[[], date]:
        return lambda: _workday(first + timedelta(days=rng.randint(0, (last - first).days)))

    def stage_named(item_name: str, department: str, stage: str) -> int:
        return next(
            s.step for s in city.stages_of(city.items_named(department, item_name).code) if s.name == stage
        )

    anytime = between(CASES_FROM, date(2026, 9, 30))

    # a stage over its limit (the case as a whole still within its promised days)
    for department, name in (
        (C + "市场监督管理局", "食品添加剂生产许可"),
        (C + "生态环境局", "排污许可证核发"),
    ):
        review = stage_named(name, department, "审查")
        plant(
            "OVERDUE_STAGE",
            department,
            name,
            anytime,
            {"OVERDUE_STAGE"},
            step=review,
            takes=lambda s, r=review: s.days + 2 if s.step == r else 0,
        )

    # done by someone who did not hold the answerable post then (one of them holds it today)
    land = C + "自然资源和规划局"
    change = facts["reviewer_change"]
    plant(
        "NOT_HOLDER",
        land,
        "建设工程规划许可证核发",
        between(date(2024, 10, 8), date(2024, 12, 20)),
        {"NOT_HOLDER"},
        step=2,
        performer=_performer_map(city, {"审查": lambda day: change["after"]}),
    )
    market = C + "市场监督管理局"
    plant(
        "NOT_HOLDER",
        market,
        "食品生产许可",
        anytime,
        {"NOT_HOLDER"},
        step=2,
        performer=_performer_map(city, {"审查": _holder_of_stage(city, market, "食品生产许可", "受理")}),
    )

    # a stage skipped
    for department, name in (
        (C + "住房和城乡建设局", "商品房预售许可"),
        (C + "公安局", "保安服务公司设立许可"),
    ):
        check = stage_named(name, department, "审核")
        plant("SKIPPED_STAGE", department, name, anytime, {"SKIPPED_STAGE"}, step=check, skip={check})

    # the answerable post empty on the day (the counter clerk did the review)
    window = facts["vacancy_window"]
    health = C + "卫生健康委员会"
    counter = _holder_of_stage(city, health, "公共场所卫生许可", "受理")
    opened, closed = date.fromisoformat(window["from"]), date.fromisoformat(window["to"])
    middle = opened + (closed - opened) / 2
    for first, last in (
        (opened + timedelta(days=3), middle),
        (middle + timedelta(days=3), closed - timedelta(days=12)),
    ):
        plant(
            "VACANT_POST",
            health,
            "公共场所卫生许可",
            between(first, last),
            {"VACANT_POST"},
            step=2,
            performer=_performer_map(city, {"审查": counter}),
        )

    # one person handling and checking the same case (acting unit head)
    for acting, (department, name) in zip(
        facts["acting"],
        ((C + "交通运输局", "道路货物运输经营许可"), (C + "人力资源和社会保障局", "人力资源服务许可")),
        strict=True,
    ):
        start, end = date.fromisoformat(acting["from"]), date.fromisoformat(acting["to"])
        plant(
            "NO_SEPARATION",
            department,
            name,
            between(start + timedelta(days=3), end - timedelta(days=45)),
            {"NO_SEPARATION"},
            step=stage_named(name, department, "审核"),
        )

    # every stage in time, the case as a whole not: it waited between stages
    for department, name in ((C + "农业农村局", "农药经营许可"), (C + "文化广电旅游局", "旅行社设立许可")):
        item = city.items_named(department, name)
        check = stage_named(name, department, "审核")
        wait = (item.promised_days or 10) + 3
        plant(
            "CASE_OVERDUE",
            department,
            name,
            anytime,
            {"CASE_OVERDUE"},
            step=check,
            takes=lambda s: min(s.days, 1),
            waits=lambda s, c=check, w=wait: w if s.step == c else 0,
        )

    # stages spanning 国庆节 2024 and 春节 2025 (working days counted with the official calendar)
    holidays: list[dict[str, Any]] = []
    for holiday, department, name, accept, span in (
        (
            "国庆节 2024",
            C + "水利局",
            "取水许可",
            (date(2024, 9, 26), date(2024, 9, 27)),
            (date(2024, 9, 27), date(2024, 10, 12)),
        ),
        (
            "春节 2025",
            C + "民政局",
            "社会团体成立、变更、注销登记",
            (date(2025, 1, 23), date(2025, 1, 24)),
            (date(2025, 1, 24), date(2025, 2, 10)),
        ),
    ):
        preferred = city.items_named(department, name)
        candidates = [preferred] + [
            i
            for i in city.items
            if i.government == preferred.government
            and _case_ready(city, i)
            and len(city.stages_of(i.code)) > 2
            and city.stages_of(i.code)[1].days >= working_days(*span)
        ]
        case = next(
            found
            for candidate in candidates
            if (
                found := attempt(
                    "HOLIDAY",
                    candidate,
                    _fixed_day(accept[0]),
                    set(),
                    1,
                    fixed={1: accept, 2: span},
                    takes=lambda s: 1,
                )
            )
        )
        holidays.append(
            {
                "case_record": case,
                "step": 2,
                "holiday": holiday,
                "started": span[0].isoformat(),
                "finished": span[1].isoformat(),
                "working_days": working_days(*span),
                "weekdays": _weekdays(*span),
                "limit": city.stages_of(case.item)[1].days,
            }
        )

    # open cases: accepted in late October, review not finished yet
    staged = [
        i for i in city.items if city.stages_of(i.code) and i.government == city.departments[0].government
    ]
    open_cases = []
    eligible = [i for i in staged if _case_ready(city, i) and i.code not in used_items]
    for item in rng.sample(eligible, 3):
        for _ in range(50):
            accepted = _workday(date(2026, 10, 19) + timedelta(days=rng.randint(0, 4)))
            open_case = build_case(city, rng, item, accepted, until=2)
            if open_case is not None and not case_findings(city, open_case):
                city.cases.append(open_case)
                open_cases.append(open_case)
                break

    # clean cases
    weights = [
        3 if any(word in i.name for word in ("食品", "不动产", "医疗", "道路", "建设工程", "工伤")) else 1
        for i in eligible
    ]
    added = attempts = 0
    while added < clean:
        attempts += 1
        if attempts > clean * 20:
            raise RuntimeError(f"only {added} clean cases could be made")
        item = rng.choices(eligible, weights)[0]
        candidate = build_case(city, rng, item, anytime())
        if candidate is not None and not case_findings(city, candidate):
            city.cases.append(candidate)
            added += 1

    _number_cases(city)
    accountability = add_accountability(city, planted, rng)
    add_head_accountability(
        city,
        rng,
        [
            (market, date(2024, 3, 15), "对辖区食品安全监管不力，发生群体性食品安全事件", "责令公开道歉"),
            (
                C + "住房和城乡建设局",
                date(2023, 11, 20),
                "逾期未完成市政府交办的保障性住房建设任务，两次督办仍未完成",
                "责令书面检查",
            ),
            (C + "交通运输局", date(2025, 8, 12), "重点项目推进不力，未完成年度工作目标任务", "诫勉谈话"),
            (C + "生态环境局", date(2024, 12, 9), "审计发现专项资金使用违反财经法规", "通报批评"),
        ],
    )
    _number_records(city)
    return {
        "planted": [_describe_case(city, p) for p in planted if p["planted"] != "HOLIDAY"],
        "holiday_stages": [
            {
                "case": h["case_record"].code,
                "item": h["case_record"].item,
                "step": h["step"],
                "holiday": h["holiday"],
                "started": h["started"],
                "finished": h["finished"],
                "working_days": h["working_days"],
                "calendar_weekdays": h["weekdays"],
                "limit": h["limit"],
                "findings": case_findings(city, h["case_record"]),
            }
            for h in holidays
        ],
        "open": [c.code for c in open_cases],
        "accountability": [
            {
                "record": a["record"].code,
                "case": a["case"],
                "kind": a["kind"],
                "person": a["person"],
                "responsibility": a["responsibility"],
            }
            for a in accountability
        ],
    }


def _fixed_day(day: date) -> Callable[[], date]:
    return lambda: day


def _performer_map(
    city: DemoCity, by_stage: dict[str, Callable[[date], str | None]]
) -> Callable[[Stage, date], str | None]:
    def performer(stage: Stage, day: date) -> str | None:
        if stage.name in by_stage:
            return by_stage[stage.name](day)
        return city.holder(stage.post, day) if stage.post else None

    return performer


def _holder_of_stage(city: DemoCity, department: str, name: str, stage: str) -> Callable[[date], str | None]:
    item = city.items_named(department, name)
    post = next(s.post for s in city.stages_of(item.code) if s.name == stage)
    return lambda day: city.holder(post, day) if post else None


def _case_ready(city: DemoCity, item: Item) -> bool:
    return all(s.post for s in city.stages_of(item.code))


def _workday(day: date) -> date:
    return add_working_days(day, 1) if not _is_workday(day) else day


def _is_workday(day: date) -> bool:
    return add_working_days(day - timedelta(days=1), 1) == day


def _weekdays(started: date, finished: date) -> int:
    return sum(
        1 for n in range(1, (finished - started).days + 1) if (started + timedelta(days=n)).weekday() < 5
    )


def _number_cases(city: DemoCity) -> None:
    city.cases.sort(key=lambda c: (c.accepted, c.item, c.steps[0].person if c.steps else ""))
    per_day: dict[date, int] = {}
    for case in city.cases:
        per_day[case.accepted] = per_day.get(case.accepted, 0) + 1
        case.code = f"BJ{case.accepted:%Y%m%d}{per_day[case.accepted]:03d}"
        for step in case.steps:
            step.case = case.code


def _number_records(city: DemoCity) -> None:
    city.records.sort(key=lambda r: (r.decided, r.person))
    per_year: dict[int, int] = {}
    for record in city.records:
        per_year[record.decided.year] = per_year.get(record.decided.year, 0) + 1
        record.code = f"WZ-{record.decided.year}-{per_year[record.decided.year]:03d}"


def _describe_case(city: DemoCity, plant: dict[str, Any]) -> dict[str, Any]:
    case: Case = plant["case_record"]
    return {
        "case": case.code,
        "item": case.item,
        "planted": plant["planted"],
        "step": plant["step"],
        "findings": case_findings(city, case),
    }


# --- overlaps and gaps -----------------------------------------------------------------------


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


_SHARED_BASIS_PAIRS = [
    (
        C + "生态环境局",
        "对排放油烟的餐饮服务业经营者未安装油烟净化设施、不正常使用油烟净化设施或者未采取其他油烟净化措施的处罚",
        C + "城市管理执法局",
        "对露天烧烤食品、在禁止区域内露天烧烤污染大气的处罚",
    ),
    (C + "卫生健康委员会", "公共场所卫生监督检查", C + "文化广电旅游局", "对娱乐场所卫生状况的检查"),
    (C + "文化广电旅游局", "娱乐场所经营活动监督检查", C + "公安局", "娱乐场所治安状况检查"),
]
_SIMILAR_FUNCTIONS = [
    (
        C + "发展和改革委员会",
        C + "粮食和物资储备局",
        "负责全市粮食和重要物资储备的宏观调控和统筹规划，拟订储备品种目录并组织实施",
        "负责全市粮食和重要物资储备的统筹规划和宏观调控，拟订储备品种目录并组织实施",
    ),
    (
        C + "住房和城乡建设局",
        C + "城市管理执法局",
        "负责城市市容环境卫生、园林绿化和市政公用设施的监督管理",
        "负责城市市容环境卫生、园林绿化和市政公用设施的监督管理工作",
    ),
]
_SIMILAR_ITEMS = [
    (
        C + "商务局",
        "对单用途商业预付卡发卡企业违规发卡行为的检查",
        C + "市场监督管理局",
        "对单用途商业预付卡发卡企业违规发卡的检查",
    ),
    # two laws word the same offence alike, and two departments list both (read from the laws, not written)
    (
        C + "农业农村局",
        "对非法捕杀国家重点保护的水生野生动物的处罚",
        C + "林业局",
        "对非法捕杀国家重点保护野生动物的处罚",
    ),
    (
        C + "农业农村局",
        "对外国人未经批准在中国境内对国家重点保护的水生野生动物进行科学考察、标本采集、拍摄电影、录像的处罚",
        C + "林业局",
        "对外国人未经批准在中国境内对国家重点保护野生动物进行野外考察、标本采集或者在野外拍摄电影、录像的处罚",
    ),
    (
        C + "文化广电旅游局",
        "对公共文化设施管理单位开展与公共文化设施功能、用途不符的服务活动等行为的处罚",
        C + "体育局",
        "对公共文化体育设施管理单位开展与公共文化体育设施功能、用途不相适应的服务活动等行为的处罚",
    ),
]
_NOT_EXERCISED = [
    (C + "发展和改革委员会", "负责全市粮食和重要物资储备"),  # kept after the reserve bureau took it over
    (C + "统计局", "负责组织实施全市人口普查"),
    (C + "商务局", "负责全市对外劳务合作"),
    (C + "退役军人事务局", "负责全市双拥工作"),
    (C + "供销合作社", "负责指导全市供销合作社"),
]
_OUTSIDE_MANDATE = [
    (C + "商务局", "对生猪屠宰活动的监督检查"),
    (C + "机关事务管理局", "对党政机关会议费、差旅费支出的监督检查"),
]
