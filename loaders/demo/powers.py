"""The demo city's power lists: its items, its charter functions and the laws sheet.

Items come from three places: the written-out catalogue (`catalogue.HAND_ITEMS`), the penalty
articles of the laws each department enforces (`mining.penalty_of`), and the district
departments' copies of their city counterparts' items. Their legal bases are written in the
styles real lists use (`bases.render_basis`); their stages are `stages.build_stages`'.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from graph.text import normalize
from loaders.demo.articles import chinese_number, expand_articles
from loaders.demo.bases import Laws, arabic_number_of, render_basis, to_traditional
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
from loaders.demo.records import DemoCity, FunctionRecord, Item, LawRow
from loaders.demo.stages import STAGED_CONFIRMATIONS

__all__ = ["build_functions", "build_items", "build_laws_sheet"]

_TYPE_ORDER = list(TYPE_CODES)


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
        shown_name=to_traditional(draft.name) if traditional else None,
    )
    return item


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
