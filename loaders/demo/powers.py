"""The demo city's power lists: functions, items, their legal bases, approval stages and the laws sheet.

Items come from three places: the written-out catalogue (`catalogue.HAND_ITEMS`), the penalty
articles of the laws each department enforces (`mining.penalty_of`), and the district
departments' copies of their city counterparts' items. Legal bases are written in the styles real
lists use (full or short law names, 【法律】 tags, version notes, quoted article text, ranges,
now and then Arabic or full-width numbers or traditional script).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import opencc

from graph.text import normalize
from loaders.demo.articles import arabic_number, article_of, chinese_number, expand_articles
from loaders.demo.catalogue import (
    DUTIES,
    DUTY_ARTICLES,
    EXTRA_LAWS,
    GENERAL_ARTICLES,
    HAND_ITEMS,
    LAW_HOLDERS,
    LAW_SPLITS,
    MINED_OVERRIDES,
    STATUTORY_DAYS,
    TRADITIONAL_ITEMS,
    TRIGGERS,
    TYPE_CODES,
    UNBASED_ITEMS,
)
from loaders.demo.city import CITY, DISTRICT, DISTRICT_DEPARTMENTS, FUNCTIONS, UNITS_WITHOUT_POSTS
from loaders.demo.mining import penalty_of
from loaders.demo.records import DemoCity, FunctionRecord, Item, LawRow, Stage

__all__ = [
    "STAGED_CONFIRMATIONS",
    "Laws",
    "arabic_number_of",
    "build_functions",
    "build_items",
    "build_laws_sheet",
    "build_stages",
    "render_basis",
]

#: confirmation items handled in stages like approvals (the rest of 行政确认 has no stages)
STAGED_CONFIRMATIONS = {
    "不动产登记",
    "工伤认定",
    "教师资格认定",
    "事业单位设立登记",
    "道路运输驾驶员从业资格证核发",
}
_TYPE_ORDER = list(TYPE_CODES)
_TO_TRADITIONAL = opencc.OpenCC("s2t")
_RANK_TAGS = {
    "法律": ("【法律】",),
    "行政法规": ("【法规】", "【行政法规】"),
    "部门规章": ("【规章】",),
    "地方性法规": ("【地方性法规】",),
}
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


class Laws:
    """The law extract (`laws.json`): full names, ranks, versions and cited article texts by short name."""

    def __init__(self, extract: dict[str, Any]) -> None:
        self.by_short: dict[str, dict[str, Any]] = {law["short"]: law for law in extract["laws"]}
        self.articles: dict[str, dict[str, dict[str, Any]]] = {
            law["short"]: {a["article"]: a for a in law["articles"]} for law in extract["laws"]
        }

    def name(self, short: str) -> str:
        law = self.by_short.get(short)
        return str(law["name"]) if law else short

    def rank(self, short: str) -> str | None:
        law = self.by_short.get(short)
        return str(law["rank"]) if law else EXTRA_LAWS.get(short)

    def text(self, short: str, article: str) -> str | None:
        found = self.articles.get(short, {}).get(article)
        return "\n".join(found["paragraphs"]) if found else None


@dataclass
class _Draft:
    departments: tuple[str, ...]
    type_code: str
    name: str
    cited: tuple[tuple[str, str], ...]
    sub_items: tuple[str, ...] = ()
    literal_basis: str | None = None
    unit_hint: str | None = None


def build_functions(city: DemoCity, laws: Laws, rng: random.Random) -> None:
    """The charter functions of city departments, and of district departments for what they hold."""
    counters: dict[str, int] = {}
    for function in FUNCTIONS:
        department = city.department("巴中市" + function.department)
        basis = render_basis(
            tuple((law, article or "") for law, article in function.basis),
            laws,
            rng,
            styles=("full", "short"),
        )
        _add_function(
            city,
            counters,
            department.name,
            department.code,
            function.category,
            function.text,
            tuple(function.units),
            basis,
        )
    for district in DISTRICT_DEPARTMENTS:
        department = city.department(district.name)
        held = {law for item in city.items if district.name in item.departments for law, _ in item.cited}
        units = tuple(u for u, _ in district.units[1:])
        for function in FUNCTIONS:
            if function.department == district.city_key and held & {law for law, _ in function.basis}:
                text = function.text.replace("全市", "全区").replace("市本级", "区本级")
                basis = render_basis(
                    tuple((law, "") for law, _ in function.basis), laws, rng, styles=("full",)
                )
                _add_function(
                    city, counters, department.name, department.code, function.category, text, units, basis
                )


def build_items(city: DemoCity, laws: Laws, rng: random.Random) -> dict[str, Any]:
    """All power items, city then district; returns what the item plants need to be described."""
    drafts = _hand_drafts() + _mined_drafts(laws)
    planted_same = _planted_same_items()
    seen: dict[tuple[str, str], tuple[str, ...]] = {}
    kept: list[_Draft] = []
    for draft in drafts:
        key = (normalize(draft.name), draft.type_code)
        if key in seen and key not in planted_same:
            continue  # the same offence read from two articles: real lists keep one row
        seen.setdefault(key, draft.departments)
        kept.append(draft)
    kept.sort(key=lambda d: (_department_order(city, d.departments[0]), _TYPE_ORDER.index(d.type_code)))
    counters: dict[tuple[str, str], int] = {}
    general_citers: dict[str, set[str]] = {}
    for draft in kept:
        item = _make_item(city, laws, rng, draft, CITY, counters)
        city.items.append(item)
        general = GENERAL_ARTICLES.get(draft.type_code)
        if general and general in item.cited:
            general_citers.setdefault(f"{general[0]}{general[1]}", set()).update(item.departments)
    copies = _district_copies(city, laws, rng, counters)
    return {"general_citers": general_citers, "district_copies": copies}


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


def build_laws_sheet(city: DemoCity, laws: Laws, extract: dict[str, Any]) -> None:
    """The laws sheet: every cited article with its text, and the duty articles' duty and competent department."""
    duties = {(d.law, d.article): d for d in DUTY_ARTICLES}
    for law in extract["laws"]:
        if not law["articles"]:
            city.laws.append(LawRow(law["name"], law["rank"], None, None))
        for article in law["articles"]:
            duty = duties.get((law["short"], article["article"]))
            city.laws.append(
                LawRow(
                    law["name"],
                    law["rank"],
                    article["article"],
                    "\n".join(article["paragraphs"]),
                    duty.duty if duty else None,
                    duty.competent if duty else None,
                )
            )
    cited = {(law, article) for item in city.items for law, article in item.cited if law in EXTRA_LAWS}
    for short, rank in EXTRA_LAWS.items():
        articles: list[str | None] = [
            a for _, a in sorted((arabic_number_of(a), a) for law, a in cited if law == short)
        ]
        city.laws.extend(LawRow(short, rank, article, None) for article in articles or [None])


def render_basis(
    cited: Sequence[tuple[str, str]],
    laws: Laws,
    rng: random.Random,
    *,
    styles: Sequence[str] = (
        "full",
        "full",
        "full",
        "tagged",
        "tagged",
        "short",
        "short",
        "version",
        "quoted",
    ),
    traditional: bool = False,
) -> str:
    """A citation text for (law, articles) pairs, in one of the styles real lists use.

    >>> laws = Laws({"laws": [{"short": "城乡规划法", "name": "中华人民共和国城乡规划法", "rank": "法律",
    ...                         "version": "2019-04-23", "articles": []}]})
    >>> render_basis([("城乡规划法", "第四十条第一款")], laws, random.Random(1), styles=("full",))
    '《中华人民共和国城乡规划法》第四十条第一款'
    """
    style = rng.choice(styles)
    parts = []
    for short, articles in cited:
        name = laws.name(short)
        rank = laws.rank(short) or ""
        if style == "short" or (style == "full" and short in EXTRA_LAWS):
            part = f"《{name.removeprefix('中华人民共和国')}》"
        elif style == "tagged":
            part = rng.choice(_RANK_TAGS.get(rank, ("",))) + f"《{name}》"
        elif style == "version" and laws.by_short.get(short, {}).get("version"):
            year, month, day = laws.by_short[short]["version"].split("-")
            part = f"《{name}》（{int(year)}年{int(month)}月{int(day)}日修订）"
        else:
            part = f"《{name}》"
        written = (
            _arabic(articles, full_width=rng.random() < 0.4) if articles and rng.random() < 0.02 else articles
        )
        part += written
        if (
            style == "quoted"
            and written == articles
            and articles
            and "、" not in articles
            and "至" not in articles
        ):
            text = laws.text(short, article_of(articles))
            if text:
                part += "：" + text.split("\n")[0][:60] + ("……" if len(text) > 60 else "")
        parts.append(part)
    joined = ("\n" if style in ("tagged", "quoted") else "；").join(parts)
    return _TO_TRADITIONAL.convert(joined) if traditional else joined


# --- items -----------------------------------------------------------------------------------


def _planted_same_items() -> set[tuple[str, str]]:
    """(normalised name, type code) of items the catalogue deliberately lists in two departments."""
    count: dict[tuple[str, str], set[str]] = {}
    for item in HAND_ITEMS:
        count.setdefault((normalize(item.name), item.type_code), set()).add(item.department)
    return {key for key, departments in count.items() if len(departments) > 1}


def _hand_drafts() -> list[_Draft]:
    drafts = [
        _Draft(
            tuple(item.department.split("、")),
            item.type_code,
            item.name,
            item.basis,
            item.sub_items,
        )
        for item in HAND_ITEMS
    ]
    drafts.extend(
        _Draft((department,), type_code, name, (), literal_basis=basis)
        for department, type_code, name, basis in UNBASED_ITEMS
    )
    return drafts


def _mined_drafts(laws: Laws) -> list[_Draft]:
    drafts = []
    for short, holder in LAW_HOLDERS.items():
        for number, article in laws.articles.get(short, {}).items():
            penalty = penalty_of(article, short)
            if penalty is None:
                continue
            department = MINED_OVERRIDES.get((short, number)) or _split_holder(short, article) or holder
            cited = number + (f"第{chinese_number(penalty.paragraph)}款" if penalty.paragraph > 1 else "")
            subs = penalty.sub_items if 2 <= len(penalty.sub_items) <= 5 else ()
            drafts.append(_Draft((department,), "CF", penalty.name, ((short, cited),), subs))
    return drafts


def _split_holder(short: str, article: dict[str, Any]) -> str | None:
    text = "".join(article["paragraphs"])
    for keyword, department in LAW_SPLITS.get(short, {}).items():
        if keyword in text:
            return department
    return None


def _make_item(
    city: DemoCity,
    laws: Laws,
    rng: random.Random,
    draft: _Draft,
    government: str,
    counters: dict[tuple[str, str], int],
) -> Item:
    departments = tuple(d if d.startswith(("巴中市", "巴州区")) else "巴中市" + d for d in draft.departments)
    first = city.department(departments[0])
    counters[(first.code, draft.type_code)] = counters.get((first.code, draft.type_code), 0) + 1
    code = f"{draft.type_code}-{first.code}-{counters[(first.code, draft.type_code)]:03d}"
    power_type = TYPE_CODES[draft.type_code]
    cited = draft.cited
    general = GENERAL_ARTICLES.get(draft.type_code)
    if (
        general
        and cited
        and draft.literal_basis is None
        and rng.random() < {"XK": 0.5, "CF": 0.3}.get(draft.type_code, 0.4)
    ):
        cited = (general, *cited) if rng.random() < 0.5 else (*cited, general)
    traditional = (draft.departments[0], draft.name) in TRADITIONAL_ITEMS
    if draft.literal_basis is not None:
        basis = draft.literal_basis
    else:
        basis = render_basis(cited, laws, rng, traditional=traditional or rng.random() < 0.01)
    statutory, promised = _time_limits(draft, rng)
    item = Item(
        code=code,
        power_type=power_type,
        name=draft.name,
        departments=departments,
        unit=draft.unit_hint or _handling_unit(city, departments[0], draft),
        basis=basis,
        duties=rng.choice(DUTIES[power_type]),
        triggers=TRIGGERS[power_type],
        cited=tuple(
            (law, a) for law, articles in cited for a in (expand_articles(articles) if articles else [""])
        ),
        government=government,
        cited_spec=tuple(draft.cited),
        sub_items=draft.sub_items,
        statutory_days=statutory,
        promised_days=promised,
        note=("联合实施" if len(departments) > 1 else None),
        shown_name=_TO_TRADITIONAL.convert(draft.name) if traditional else None,
    )
    return item


def arabic_number_of(article: str) -> int:
    """The number of an article such as 第三十七条, for sorting."""
    return arabic_number(article_of(article)[1:-1])


def _time_limits(draft: _Draft, rng: random.Random) -> tuple[int | None, int | None]:
    if draft.type_code == "XK" or (draft.type_code == "QR" and draft.name in STAGED_CONFIRMATIONS):
        statutory = STATUTORY_DAYS.get(draft.name, 20)
        promised = max(min(5, statutory - 1), min(statutory - 1, round(statutory * rng.uniform(0.45, 0.75))))
        return statutory, promised
    if draft.type_code == "QR":
        return 20, rng.choice((1, 5, 10))
    return None, None


def _handling_unit(city: DemoCity, department: str, draft: _Draft) -> str | None:
    """The unit that handles an item: approvals go to 行政审批科, penalties to the enforcement unit,
    the rest to the unit whose name and duties share most with the item's name."""
    key = city.department(department).key
    units = [
        u.name
        for u in city.units
        if u.department == department and u.name != "办公室" and (key, u.name) not in UNITS_WITHOUT_POSTS
    ]
    if not units:
        return None
    if draft.type_code in ("XK", "QR") and "行政审批科" in units and draft.name not in _LINE_APPROVALS:
        return "行政审批科"
    if draft.type_code in ("CF", "QZ"):
        enforcement = [u for u in units if "执法" in u or "监察支队" in u]
        if enforcement:
            return enforcement[0]
    duties = {u.name: u.duties for u in city.units if u.department == department}
    return max(units, key=lambda u: (_overlap(draft.name, u + duties.get(u, "")), -units.index(u)))


#: approvals a line unit handles itself even where the department has an approval unit
_LINE_APPROVALS = {"不动产登记"}


def _overlap(name: str, text: str) -> int:
    pairs = {name[i : i + 2] for i in range(len(name) - 1)}
    return sum(1 for pair in pairs if pair in text)


def _department_order(city: DemoCity, department: str) -> int:
    full = department if department.startswith(("巴中市", "巴州区")) else "巴中市" + department
    return next(i for i, d in enumerate(city.departments) if d.name == full)


def _district_copies(
    city: DemoCity, laws: Laws, rng: random.Random, counters: dict[tuple[str, str], int]
) -> list[tuple[str, str]]:
    """District departments' items: their city counterpart's approvals and a share of the rest."""
    pairs = []
    for district in DISTRICT_DEPARTMENTS:
        counterpart = "巴中市" + district.city_key
        own = [
            i
            for i in city.items
            if i.departments == (counterpart,) and i.government == CITY and i.cited and not i.shown_name
        ]
        approvals = [i for i in own if i.power_type == "行政许可"][:6]
        others = [i for i in own if i.power_type != "行政许可"]
        chosen = approvals + rng.sample(others, min(len(others), rng.randint(18, 30)))
        chosen.sort(key=lambda i: i.code)
        units = [u for u, _ in district.units[1:]]
        for original in chosen:
            draft = _Draft(
                (district.name,),
                original.code[:2],
                original.name,
                original.cited_spec,
                original.sub_items,
                unit_hint=units[-1] if original.power_type in ("行政处罚", "行政强制") else units[0],
            )
            copy = _make_item(city, laws, rng, draft, DISTRICT, counters)
            copy.note = "区级"
            city.items.append(copy)
            pairs.append((original.code, copy.code))
    return pairs


# --- functions -------------------------------------------------------------------------------


def _add_function(
    city: DemoCity,
    counters: dict[str, int],
    department: str,
    code: str,
    category: str,
    text: str,
    units: tuple[str, ...],
    basis: str,
) -> None:
    counters[code] = counters.get(code, 0) + 1
    city.functions.append(
        FunctionRecord(f"ZN-{code}-{counters[code]:02d}", department, category, text, units, basis)
    )


# --- stages ----------------------------------------------------------------------------------


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


def _arabic(articles: str, *, full_width: bool) -> str:
    """`第三十五条` as `第35条` or full-width `第３５条`, as some users type it."""

    def replace(match: re.Match[str]) -> str:
        number = str(arabic_number(match.group(1)))
        return f"第{number.translate(_FULL_WIDTH) if full_width else number}条"

    return re.sub(r"第([一二三四五六七八九十百零]+)条", replace, articles)
