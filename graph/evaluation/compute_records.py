"""What the computed indicators count from the records themselves: staffing, units and the case log.

`Records` indexes a store once (by department: posts, units, items, cases, holdings) and counts, for
one department, the occurrences and measures that no analysis reports as findings:

- `quota_usage` (编制使用率): people on the department's quotas on the date (holdings by 编制所在单位,
  行政编制 and 事业编制) / its approved 行政编制 + 事业编制, in percent;
- `over_leadership` (超职数): the leading posts (行政首长, 分管领导, 内设机构负责人) held on the date
  beyond the department's 领导职数, one occurrence per post over: the posts filled last;
- `long_secondments` (长期借调): holdings of the department's posts with 任职方式 借调 lasting more
  than a year within the period;
- `unit_duty_overlaps` (内设机构职责交叉): two units of the department sharing a duty (one of the
  duties their 职责 cell lists, normalised), one occurrence per pair of units;
- `dormant_items` (长期不运行): the department's items run `at_most` times or fewer in the period, of
  the power types the case log records (a log of approvals says nothing of penalties);
- `overdue_cases` (未按规定时限办理): cases of the department's items accepted in the period and
  closed after their time limit, or open past it on the date, as `graph.analyses.trace` decides:
  more working days than the promised limit (the statutory one when none is promised);
- `item_load_mismatches` (1.3.2) and `workload_mismatches` (4.2.2): units whose rank by work and rank
  by quota disagree (`rank_mismatches`); the work of a unit is, for 1.3.2, the cases in the period of
  the items it handles (承办机构), for 4.2.2 the case steps in the period at the stages it carries.

Each count is a `Found`: its occurrences (the evidence, in Chinese, and the finding's id when there
is one), what the measure rests on, or why the data is absent. Evidence names the source row
(`任职 第6行`) and people by their 人员编号 only.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from itertools import combinations

from graph.analyses.links import Links
from graph.analyses.staffing import ADMIN_QUOTA, INSTITUTION_QUOTA, placements
from graph.analyses.trace import Finding, case_limit
from graph.model import Node
from graph.organisation import LEADING_CATEGORIES
from graph.text import normalize
from graph.workdays import add_working_days, working_days
from ontology import EdgeKind, NodeKind

__all__ = ["SECONDED", "Found", "Records", "rank_mismatches", "rows_of", "years_before"]

#: 任职方式 of a seconded person
SECONDED = "借调"
#: the fewest units with a quota a department needs for its units to be ranked (thirds of fewer are
#: not thirds)
LEAST_RANKED = 3
#: what separates the duties in a unit's 职责 cell (not 、, which joins the objects of one duty)
_DUTY_SEPARATORS = re.compile(r"[；;。\n]+")
_DUTY_ENDS = "，,。；;：: "


@dataclass(frozen=True, slots=True)
class Found:
    """What one department shows of one occurrence key or measure."""

    occurrences: tuple[tuple[str, str | None], ...] = ()
    """(evidence, finding id or None) of each occurrence."""
    evidence: tuple[str, ...] = ()
    """What the count or the measure rests on, beyond its occurrences."""
    absent: str | None = None
    """Why it cannot be counted (the data it needs is absent), in Chinese; None when counted."""
    measure: float | None = None


def absent(reason: str) -> Found:
    return Found(absent=reason)


def years_before(day: date, years: int) -> date:
    """The same day `years` years before (28 February for a 29th of February).

    >>> years_before(date(2026, 11, 28), 5), years_before(date(2024, 2, 29), 1)
    (datetime.date(2021, 11, 28), datetime.date(2023, 2, 28))
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def rows_of(nodes: Iterable[Node | None]) -> str:
    """Where the nodes were read, sheet by sheet: '任职 第4、6行'; '' when none kept its row.

    >>> from graph.model import Origin
    >>> rows = [Node("a", NodeKind.HOLDING, origin=Origin("w.xlsx", "", "任职", r)) for r in (6, 4)]
    >>> rows_of(rows)
    '任职 第4、6行'
    """
    by_sheet: dict[str, set[int]] = defaultdict(set)
    for node in nodes:
        if node is not None and node.origin is not None:
            by_sheet[node.origin.sheet].add(node.origin.row)
    return "；".join(
        f"{sheet} 第{'、'.join(map(str, sorted(rows)))}行" for sheet, rows in sorted(by_sheet.items())
    )


def _at_rows(text: str, nodes: Iterable[Node | None]) -> str:
    where = rows_of(nodes)
    return f"{text}（{where}）" if where else text


def rank_mismatches(units: Mapping[str, tuple[float, float]]) -> list[tuple[str, bool]]:
    """The units whose rank by work and rank by quota disagree: (unit, True when it has much work and
    little quota; False when little work and much quota), in the order of `units`.

    `units` maps each unit to (work, quota). A unit is in the top third by a measure when at least
    two thirds of the other units have strictly less of it, in the bottom third when at least two
    thirds have strictly more (ties never split: equal units fall in the same third). A unit in the
    top third by work and the bottom third by quota, or the reverse, is a mismatch. Fewer than
    `LEAST_RANKED` units are not ranked.

    >>> rank_mismatches({"A": (30, 1), "B": (10, 3), "C": (5, 5)})
    [('A', True), ('C', False)]
    >>> rank_mismatches({"A": (30, 1), "B": (30, 3), "C": (5, 3)})
    []
    """
    if len(units) < LEAST_RANKED:
        return []
    works = sorted(work for work, _ in units.values())
    quotas = sorted(quota for _, quota in units.values())
    others = len(units) - 1

    def third(values: list[float], value: float) -> int:
        """1: top third, -1: bottom third, 0: neither."""
        if 3 * bisect_left(values, value) >= 2 * others:
            return 1
        return -1 if 3 * (len(values) - bisect_right(values, value)) >= 2 * others else 0

    found = []
    for unit, (work, quota) in units.items():
        by_work, by_quota = third(works, work), third(quotas, quota)
        if by_work and by_work == -by_quota:
            found.append((unit, by_work == 1))
    return found


@lru_cache(maxsize=65536)
def _first_overdue_day(accepted: date, limit: int) -> date:
    """The first day on which a case accepted on `accepted` has taken more than `limit` working days."""
    return add_working_days(accepted, limit + 1)


class Records:
    """The store's records, indexed by department once; each method counts one department."""

    def __init__(self, links: Links, at: date, period_start: date) -> None:
        self.links = links
        self.at = at
        self.start = period_start

    # -- the indexes, each made on first use --

    @cached_property
    def departments(self) -> dict[str, Node]:
        return self.links.nodes(NodeKind.DEPARTMENT)

    @cached_property
    def holdings(self) -> dict[str, Node]:
        return self.links.nodes(NodeKind.HOLDING)

    @cached_property
    def people_on_quota(self) -> Counter[tuple[str, str]]:
        """(department, quota type) -> the people on it on the date."""
        counted: Counter[tuple[str, str]] = Counter()
        for held in placements(self.links, self.at).quotas.values():
            counted.update(held)
        return counted

    @cached_property
    def modes_given(self) -> bool:
        """Whether any holding says its 任职方式 (the column is in the workbook)."""
        return any(holding.get("mode") for holding in self.holdings.values())

    @cached_property
    def secondments(self) -> dict[str, list[tuple[Node, str]]]:
        """Department -> (holding, post) of every seconded holding of its posts."""
        found: dict[str, list[tuple[Node, str]]] = defaultdict(list)
        for holding in self.holdings.values():
            post = self.links.post_of(holding.id) if holding.get("mode") == SECONDED else None
            department = self.links.department_of_post(post) if post else None
            if post and department:
                found[department].append((holding, post))
        return found

    @cached_property
    def cases(self) -> dict[str, Node]:
        return self.links.nodes(NodeKind.CASE)

    @cached_property
    def cases_of_item(self) -> dict[str, list[Node]]:
        """Item -> its cases accepted in the period."""
        found: dict[str, list[Node]] = defaultdict(list)
        for item, edges in self.links.into(EdgeKind.CASE_OF).items():
            for edge in edges:
                case = self.cases.get(edge.source)
                if case is not None and self.start <= case["accepted"] <= self.at:
                    found[item].append(case)
        return found

    @cached_property
    def logged_types(self) -> frozenset[str]:
        """The power types of the items the case log has a case of (in any period)."""
        items = self.links.nodes(NodeKind.POWER_ITEM)
        return frozenset(
            str(items[item].get("power_type")) for item in self.links.into(EdgeKind.CASE_OF) if item in items
        )

    @cached_property
    def steps_of_stage(self) -> Counter[str]:
        """Stage -> the case steps performed at it that started in the period."""
        steps = self.links.nodes(NodeKind.CASE_STEP)
        counted: Counter[str] = Counter()
        for stage, edges in self.links.into(EdgeKind.STEP_STAGE).items():
            counted[stage] = sum(
                1
                for edge in edges
                if (step := steps.get(edge.source)) is not None
                and self.start <= step.get("started", date.min) <= self.at
            )
        return counted

    def items(self, department: str) -> list[str]:
        return self.links.sources(department, EdgeKind.HELD_BY)

    def units(self, department: str) -> list[Node]:
        units = self.links.nodes(NodeKind.UNIT)
        return [units[u] for u in self.links.sources(department, EdgeKind.UNIT_OF) if u in units]

    def _person(self, holding: Node) -> str:
        person = self.links.node(NodeKind.PERSON, self.links.person_of(holding.id) or "")
        return str(person.get("person_id")) if person else "?"

    def _post_label(self, post_id: str) -> str:
        post = self.links.node(NodeKind.POST, post_id)
        return f"{post['code']} {post['name']}" if post else post_id

    def _item_label(self, item_id: str) -> str:
        item = self.links.node(NodeKind.POWER_ITEM, item_id)
        if item is None:
            return item_id
        sub = item.get("sub_item")
        return f"{item['code']} {item['name']}" + (f"（{sub}）" if sub else "")

    # -- staffing --

    def quota_usage(self, department: str) -> Found:
        node = self.departments[department]
        admin, institution = node.get("admin_quota"), node.get("institution_quota")
        if admin is None and institution is None:
            return absent("工作簿未提供本部门核定的行政编制、事业编制数")
        places = int(admin or 0) + int(institution or 0)
        if not places:
            return absent("本部门核定编制数为0，无法计算编制使用率")
        if not self.holdings:
            return absent("工作簿未提供任职（实名制）数据")
        on_admin = self.people_on_quota[(department, ADMIN_QUOTA)]
        on_institution = self.people_on_quota[(department, INSTITUTION_QUOTA)]
        rate = 100 * (on_admin + on_institution) / places
        line = (
            f"{self.at.isoformat()}在编 {on_admin + on_institution} 人（行政编制 {on_admin}、事业编制 "
            f"{on_institution}）/ 核定编制 {places} 名（行政编制 {admin or 0}、事业编制 {institution or 0}）"
            f" = {rate:.1f}%"
        )
        return Found(evidence=(_at_rows(line, [node]),), measure=rate)

    def over_leadership(self, department: str) -> Found:
        node = self.departments[department]
        quota = node.get("leader_quota")
        if quota is None:
            return absent("工作簿未提供本部门领导职数")
        if not self.links.nodes(NodeKind.POST):
            return absent("工作簿未提供岗位数据")
        posts = self.links.nodes(NodeKind.POST)
        held: list[tuple[Node, str]] = []  # (the latest holding of the post on the date, the post)
        for post in self.links.posts_of_department(department):
            if posts[post].get("category") in LEADING_CATEGORIES:
                holders = self.links.holders(post, self.at)
                if holders:
                    held.append((holders[-1], post))
        over = len(held) - int(quota)
        line = f"{self.at.isoformat()}在岗领导岗位 {len(held)} 个 / 核定领导职数 {quota} 名"
        if over <= 0:
            return Found(evidence=(_at_rows(line, [node]),))
        held.sort(key=lambda found: (found[0].get("start") or date.min, found[1]), reverse=True)
        occurrences = tuple(
            (
                _at_rows(
                    f"领导岗位 {self._post_label(post)}（{posts[post].get('category')}）由 "
                    f"{self._person(holding)} 任职，超出核定领导职数 {quota} 名",
                    [holding],
                ),
                None,
            )
            for holding, post in sorted(held[:over], key=lambda found: found[1])
        )
        return Found(occurrences, (_at_rows(line + f"，超出 {over} 个", [node]),))

    def long_secondments(self, department: str) -> Found:
        if not self.holdings:
            return absent("工作簿未提供任职（实名制）数据")
        if not self.modes_given:
            return absent("工作簿未提供任职方式（借调）")
        found = []
        for holding, post in sorted(self.secondments.get(department, ()), key=lambda h: h[0].id):
            start = max(holding.get("start") or self.start, self.start)
            end = min(holding.get("end") or self.at, self.at)
            if end > _year_after(start):
                until = holding.get("end")
                when = f"{holding.get('start') or '?'}至{until.isoformat() if until else '今'}"
                text = f"{self._person(holding)} 借调至 {self._post_label(post)}，{when}，评估期内超过一年"
                found.append((_at_rows(text, [holding]), None))
        return Found(tuple(found))

    # -- units --

    def unit_duty_overlaps(self, department: str) -> Found:
        units = self.units(department)
        if not units:
            return absent("工作簿未提供本部门内设机构")
        duties = {unit.id: _duties(str(unit.get("duties", ""))) for unit in units}
        if not any(duties.values()):
            return absent("本部门内设机构均未写明职责")
        by_id = {unit.id: unit for unit in units}
        found = []
        for a, b in combinations(sorted(duties), 2):
            shared = duties[a].keys() & duties[b].keys()
            if shared:
                written = "；".join(duties[a][duty] for duty in sorted(shared))
                text = f"内设机构{by_id[a]['name']}与{by_id[b]['name']}职责交叉：“{written}”"
                found.append((_at_rows(text, [by_id[a], by_id[b]]), None))
        return Found(tuple(found))

    # -- the case log --

    def dormant_items(self, department: str, at_most: int) -> Found:
        """The department's items run `at_most` times or fewer in the period, an item counted by its code:
        a case names an item's code, not its sub-item, so an item's runs are those of all its sub-items."""
        if not self.cases:
            return absent("工作簿未提供办件记录")
        found = []
        items = self.links.nodes(NodeKind.POWER_ITEM)
        by_code: dict[str, list[Node]] = {}
        for item in sorted(self.items(department)):
            node = items.get(item)
            if node is not None and node.get("power_type") in self.logged_types:
                by_code.setdefault(str(node.get("code") or node.id), []).append(node)
        for code, nodes in by_code.items():
            runs = sum(len(self.cases_of_item.get(node.id, ())) for node in nodes)
            if runs <= at_most:
                text = (
                    f"事项 {code} {nodes[0]['name']}在{self.start.isoformat()}至{self.at.isoformat()}"
                    f"运行 {runs} 次，不超过{at_most}次"
                )
                found.append((_at_rows(text, nodes), None))
        line = f"按办件记录所含权力类型（{'、'.join(sorted(self.logged_types))}）统计本部门事项运行次数"
        return Found(tuple(found), (line,))

    def overdue_cases(self, department: str) -> Found:
        if not self.cases:
            return absent("工作簿未提供办件记录")
        items = self.links.nodes(NodeKind.POWER_ITEM)
        found = []
        for item in sorted(self.items(department)):
            node = items.get(item)
            limit, which = case_limit(node) if node is not None else (None, "")
            if limit is None:
                continue
            for case in sorted(self.cases_of_item.get(item, ()), key=lambda c: c.id):
                accepted, closed = case["accepted"], case.get("closed")
                done = closed is not None and closed <= self.at
                end = closed if done else self.at
                if end < _first_overdue_day(accepted, limit):
                    continue
                taken = working_days(accepted, end)
                if done:
                    how, finding = f"{closed.isoformat()}办结，用时", _case_overdue(case.id)
                else:
                    how, finding = f"至{self.at.isoformat()}未办结，已用", None
                text = (
                    f"办件 {case['case_id']}（事项 {self._item_label(item)}）{accepted.isoformat()}受理，"
                    f"{how} {taken} 个工作日，超过{which}时限 {limit} 个工作日"
                )
                found.append((_at_rows(text, [case]), finding))
        return Found(tuple(found))

    def item_load_mismatches(self, department: str) -> Found:
        if not self.cases:
            return absent("工作簿未提供办件记录")
        units = self._ranked_units(department)
        if isinstance(units, Found):
            return units
        handled = self.links.into(EdgeKind.HANDLED_BY)
        if not any(unit.id in handled for unit in units):
            return absent("本部门权责事项均未写明承办机构")
        work = {
            unit.id: sum(len(self.cases_of_item.get(e.source, ())) for e in handled.get(unit.id, ()))
            for unit in units
        }
        return self._mismatches(units, work, "办件")

    def workload_mismatches(self, department: str) -> Found:
        if not self.links.nodes(NodeKind.CASE_STEP):
            return absent("工作簿未提供办件环节记录")
        units = self._ranked_units(department)
        if isinstance(units, Found):
            return units
        stages = self.links.into(EdgeKind.STAGE_UNIT)
        if not any(unit.id in stages for unit in units):
            return absent("本部门审批环节均未写明内设机构")
        work = {
            unit.id: sum(self.steps_of_stage[e.source] for e in stages.get(unit.id, ())) for unit in units
        }
        return self._mismatches(units, work, "办理环节")

    def _ranked_units(self, department: str) -> list[Node] | Found:
        units = [unit for unit in self.units(department) if unit.get("quota") is not None]
        if len(units) < LEAST_RANKED:
            return absent(f"本部门核定编制数的内设机构不足{LEAST_RANKED}个，无法在部门内部排名")
        return units

    def _mismatches(self, units: list[Node], work: dict[str, int], what: str) -> Found:
        by_id = {unit.id: unit for unit in units}
        ranked = {unit.id: (float(work[unit.id]), float(unit["quota"])) for unit in units}
        found = []
        for unit_id, busy in rank_mismatches(ranked):
            unit = by_id[unit_id]
            how = "较多、编制较少（均按部门内部排名，前三分之一与后三分之一）"
            if not busy:
                how = "较少、编制较多（均按部门内部排名，后三分之一与前三分之一）"
            text = f"内设机构{unit['name']}评估期内{what} {work[unit_id]} 件、编制 {unit['quota']} 名：{what}{how}"
            found.append((_at_rows(text, [unit]), None))
        line = "；".join(
            f"{by_id[u]['name']} {what} {work[u]} 件、编制 {by_id[u]['quota']} 名" for u in ranked
        )
        return Found(tuple(found), (line,))


def _duties(text: str) -> dict[str, str]:
    """The duties a unit's 职责 cell lists: normalised -> as written."""
    found: dict[str, str] = {}
    for part in _DUTY_SEPARATORS.split(text):
        written = part.strip(_DUTY_ENDS)
        if written:
            found.setdefault(normalize(written), written)
    return found


def _case_overdue(case: str) -> str:
    """The id of the finding `graph.analyses.trace.trace_case` gives a case closed past its limit."""
    return Finding("CASE_OVERDUE", None, "", case=case).id
