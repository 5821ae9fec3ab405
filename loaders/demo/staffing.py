"""The demo city's organisation and its people: departments, units, posts, holdings and quotas.

`build_organisation` lays out departments and units; `build_posts` gives each department a head,
two to four deputies in charge of its units, and each unit a head and staff (more staff where a
unit handles approvals). `build_holdings` fills the posts from 2018 (first holders started
earlier) and simulates eight years of retirements, promotions and transfers, each vacancy filled
by promotion or transfer (which opens a vacancy in turn) or by a new recruit. The staffing plants
(`StaffingPlan`) are laid over the simulation on posts it leaves alone. `set_quotas` fixes each
department's quota from the people on it on the reference date.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from loaders.demo import REFERENCE_DATE
from loaders.demo.city import (
    CITY,
    CITY_CODE,
    DEPARTMENTS,
    DISTRICT,
    DISTRICT_CODE,
    DISTRICT_DEPARTMENTS,
    UNITS_WITHOUT_POSTS,
)
from loaders.demo.names import NameSource, unit_head_title
from loaders.demo.records import DemoCity, DepartmentRecord, Holding, Post, UnitRecord

__all__ = [
    "StaffingPlan",
    "build_holdings",
    "build_organisation",
    "build_posts",
    "set_quotas",
]

SIMULATION_START = date(2018, 3, 1)
SIMULATION_END = date(2026, 5, 31)
LAST_FILL = date(2026, 10, 15)

_PUBLIC_INSTITUTION = "事业单位"


@dataclass
class StaffingPlan:
    """Posts and people the simulation must leave alone, and the holdings written for them."""

    reserved_posts: set[str] = field(default_factory=set)
    holdings: list[Holding] = field(default_factory=list)


def build_organisation(city: DemoCity) -> None:
    """Departments (city, then district) and their units."""
    for number, spec in enumerate(DEPARTMENTS, start=1):
        name = "巴中市" + spec.key
        parent = "巴中市" + spec.parent if spec.parent else None
        city.departments.append(
            DepartmentRecord(name, f"{CITY_CODE}{number:03d}", CITY, spec.kind, parent, spec.key)
        )
        city.units.extend(UnitRecord(name, unit, duties) for unit, duties in spec.units)
    for number, district in enumerate(DISTRICT_DEPARTMENTS, start=1):
        code = f"{DISTRICT_CODE}{number:03d}"
        city.departments.append(
            DepartmentRecord(district.name, code, DISTRICT, "组成部门", None, district.city_key)
        )
        city.units.extend(UnitRecord(district.name, unit, duties) for unit, duties in district.units)


def build_posts(city: DemoCity, rng: random.Random, approval_units: set[tuple[str, str]]) -> None:
    """Posts of every department; units in `approval_units` (department, unit) get 受理岗 and 审查岗."""
    head_ranks = {"巴中市" + spec.key: spec.head_rank for spec in DEPARTMENTS}
    for department in city.departments:
        units = [u for u in city.units if u.department == department.name]
        head_rank = head_ranks.get(department.name, "局长")
        counter = _Counter(department.code)
        city.posts.append(
            Post(
                counter.next(),
                department.name,
                None,
                head_rank,
                "行政首长",
                head_rank,
                f"主持{department.name}全面工作，对本部门依法行政、权责清单事项的实施和行政审批负总责，"
                "是本部门行政过错责任追究的主要领导责任人。",
            )
        )
        deputies = max(2, min(4, (len(units) + 1) // 2))
        for index in range(deputies):
            share = tuple(u.name for u in units[index::deputies])
            supervises = "、".join(share) or "办公室"
            city.posts.append(
                Post(
                    counter.next(),
                    department.name,
                    None,
                    "副" + head_rank,
                    "分管领导",
                    "副" + head_rank,
                    f"协助{head_rank}工作，分管{supervises}，对分管领域事项的审批、处罚决定负重要领导责任。",
                    share,
                )
            )
        for unit in units:
            if (department.key, unit.name) in UNITS_WITHOUT_POSTS:
                continue
            title = unit_head_title(unit.name)
            city.posts.append(
                Post(
                    counter.next(),
                    department.name,
                    unit.name,
                    unit.name + title,
                    "内设机构负责人",
                    "科长" if title == "科长" else "正科级",
                    f"主持{unit.name}工作，{unit.duties}；对本科室承办事项进行审核。",
                )
            )
            for role in _staff_roles(unit.name, (department.name, unit.name) in approval_units, rng):
                city.posts.append(
                    Post(
                        counter.next(),
                        department.name,
                        unit.name,
                        unit.name + role,
                        "工作人员",
                        rng.choice(_STAFF_RANKS),
                        _staff_duties(role, unit),
                    )
                )
    for unit in city.units:
        posts = [p for p in city.posts if p.department == unit.department and p.unit == unit.name]
        unit.quota = len(posts) + rng.choice((0, 0, 1)) if posts else 2


def build_holdings(city: DemoCity, rng: random.Random, plan: StaffingPlan) -> None:
    """Holdings 2018–2026: first holders, eight years of moves, and the plan's holdings on top."""
    _Simulation(city, rng, plan).run()
    city.holdings.extend(plan.holdings)
    city.holdings.sort(key=lambda h: (h.person, h.start or date.min, h.post or ""))


def set_quotas(city: DemoCity, rng: random.Random, over_quota: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Each department's quotas: the people on them on the reference date, plus a little slack.

    A department in `over_quota` gets that many places fewer than it has people on its 行政编制.
    Returns department -> (行政编制 quota, people on it) for the over-quota departments.
    """
    on_quota: dict[tuple[str, str], set[str]] = {}
    for holding in city.holdings:
        if holding.quota_department and holding.quota_type and holding.covers(REFERENCE_DATE):
            on_quota.setdefault((holding.quota_department, holding.quota_type), set()).add(holding.person)
    over: dict[str, tuple[int, int]] = {}
    for department in city.departments:
        admin = len(on_quota.get((department.name, "行政编制"), ()))
        institution = len(on_quota.get((department.name, "事业编制"), ()))
        if department.kind == "议事协调机构" and not admin:
            continue
        if department.name in over_quota:
            department.admin_quota = admin - over_quota[department.name]
            over[department.name] = (department.admin_quota, admin)
        else:
            department.admin_quota = (
                admin + rng.choice((0, 1, 1, 2, 3)) if department.kind != _PUBLIC_INSTITUTION else None
            )
        department.institution_quota = institution + rng.choice((0, 1, 2)) if institution else None
    return over


# --- posts -----------------------------------------------------------------------------------

_STAFF_RANKS = ("一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "科员")


class _Counter:
    def __init__(self, prefix: str) -> None:
        self.prefix, self.value = prefix, 0

    def next(self) -> str:
        self.value += 1
        return f"{self.prefix}-{self.value:03d}"


def _staff_roles(unit: str, approvals: bool, rng: random.Random) -> list[str]:
    if approvals:
        roles = ["受理岗", "审查岗", "综合岗"][: rng.choice((2, 3))]
    elif "执法" in unit or "监察" in unit:
        roles = ["执法岗一", "执法岗二", "案件审核岗"][: rng.choice((2, 3))]
    elif unit == "办公室":
        roles = ["文秘岗", "财务岗", "综合岗"][: rng.choice((1, 2, 3))]
    else:
        roles = ["业务岗", "综合岗", "统计岗"][: rng.choice((1, 2, 2, 3))]
    return roles


def _staff_duties(role: str, unit: UnitRecord) -> str:
    area = unit.duties.split("，")[0].removeprefix("负责")
    if unit.name in ("行政审批科", "综合受理科"):
        area = "进驻政务服务中心的行政审批"
    return {
        "受理岗": f"负责{area}事项的受理、材料初审和一次性告知，按时限流转办件，承担送达工作。",
        "审查岗": f"负责{area}事项的审查、现场核查，提出审查意见。",
        "案件审核岗": "负责行政处罚案件的法制审核，审查证据、程序和法律适用。",
        "文秘岗": "负责公文起草、文件运转、会务和政务信息工作。",
        "财务岗": "负责机关财务、国有资产和政府采购事务。",
        "统计岗": f"负责{area}相关数据的统计分析和报表报送。",
    }.get(
        role,
        f"承办{area}的具体工作，负责本科室综合事务和档案管理。"
        if "执法" not in role
        else f"负责{area}中违法行为的立案、调查取证和执法文书制作。",
    )


# --- holdings --------------------------------------------------------------------------------


class _Simulation:
    """Retirements and the chains of moves they set off, one vacancy at a time."""

    def __init__(self, city: DemoCity, rng: random.Random, plan: StaffingPlan) -> None:
        self.city, self.rng, self.plan = city, rng, plan
        self.kinds = {d.name: d.kind for d in city.departments}
        self.government = {d.name: d.government for d in city.departments}
        self.free_posts = [p for p in city.posts if p.code not in plan.reserved_posts]
        self.current: dict[str, Holding] = {}
        self.names = NameSource(rng, {h.name for h in plan.holdings})
        self.people = _PersonSource(plan.holdings)
        self.quota_types: dict[str, str] = {}
        self.queue: list[tuple[date, int, str, str]] = []
        self.sequence = 0

    def run(self) -> None:
        for post in self.free_posts:
            self._first_holder(post)
        for post in self.free_posts:
            if self.rng.random() < 0.22:
                self._push(self._random_day(SIMULATION_START, SIMULATION_END), "leave", post.code)
        while self.queue:
            day, _, event, code = heapq.heappop(self.queue)
            if event == "leave":
                self._leave(code, day)
            else:
                self._fill(code, day)

    def _first_holder(self, post: Post) -> None:
        leader = post.category in ("行政首长", "分管领导")
        start = self._random_day(date(2012, 1, 1) if leader else date(2009, 3, 1), date(2017, 12, 28))
        self._start(self.people.new(), self.names.new(), post, start)

    def _leave(self, code: str, day: date) -> None:
        holding = self.current.get(code)
        if holding is None or (holding.start and holding.start >= day - timedelta(days=180)):
            return
        holding.end = day
        del self.current[code]
        self._push(day + timedelta(days=self._gap()), "fill", code)

    def _fill(self, code: str, day: date) -> None:
        if code in self.current:
            return
        day = min(day, LAST_FILL)
        post = self.city.post(code)
        candidate = self._candidate(post, day)
        if candidate is None:
            self._start(self.people.new(), self.names.new(), post, day)
            return
        old = self.current.pop(candidate.post or "")
        old.end = day
        self._start(old.person, old.name, post, day)
        self._push(day + timedelta(days=self._gap()), "fill", old.post or "")

    def _candidate(self, post: Post, day: date) -> Holding | None:
        """Whom to move into `post`: a deputy for a head, a unit head for a deputy, staff for a unit head."""
        below = {"行政首长": "分管领导", "分管领导": "内设机构负责人", "内设机构负责人": "工作人员"}.get(
            post.category
        )
        if below is None and self.rng.random() < 0.75:
            return None
        same_department = self.rng.random() < 0.7
        pool = []
        for holding in self.current.values():
            other = self.city.post(holding.post or "")
            if (
                other.category != (below or "工作人员")
                or (holding.start and holding.start >= day - timedelta(days=730))
                or self.government[other.department] != self.government[post.department]
            ):
                continue
            if (other.department == post.department) == same_department:
                pool.append(holding)
        if not pool:
            return None
        pool.sort(key=lambda h: (h.post or "", h.person))
        return self.rng.choice(pool)

    def _start(self, person: str, name: str, post: Post, day: date) -> None:
        previous = self.quota_types.get(person)
        if self.kinds[post.department] == _PUBLIC_INSTITUTION:
            quota_type = "事业编制"
        elif post.category != "工作人员" or previous == "事业编制":
            quota_type = "行政编制"
        else:
            quota_type = previous or self.rng.choices(("行政编制", "事业编制", "编外"), (90, 6, 4))[0]
        self.quota_types[person] = quota_type
        holding = Holding(person, name, post.code, day, None, quota_type, post.department)
        self.current[post.code] = holding
        self.city.holdings.append(holding)

    def _push(self, day: date, event: str, code: str) -> None:
        self.sequence += 1
        heapq.heappush(self.queue, (day, self.sequence, event, code))

    def _gap(self) -> int:
        return 0 if self.rng.random() < 0.6 else self.rng.randint(10, 100)

    def _random_day(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, (last - first).days))


class _PersonSource:
    """Person ids P0001…, after those the plan already uses."""

    def __init__(self, planned: list[Holding]) -> None:
        used = [int(h.person[1:]) for h in planned]
        self.value = max(used, default=0)

    def new(self) -> str:
        self.value += 1
        return f"P{self.value:04d}"
