"""A government's power lists and charters: items from its kinds' standard lists and its own, and functions.

Each department lists some 85% of its count from its kind's catalogue (so one item is held at
several levels), the rest items of its own (`local`), named from its vocabulary; each has four to
six charter functions, the demo city's for its kind first.
"""

from __future__ import annotations

from graph.text import normalize
from loaders.demo.province.catalogue import Entry, citations_of, sub_items_of
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.records import Department, Function, Item
from loaders.demo.province.vocabulary import FUNCTION_CATEGORY

__all__ = ["add_function", "add_item", "list_items", "write_charters"]


def list_items(builder: GovernmentBuilder) -> None:
    """Every department's items: from its standard list, then its own, about as many as its kind weighs."""
    rng = builder.rng
    functions = 5 * len(builder.departments)
    budget = max(len(builder.departments) * 3, builder.gov.items - functions)
    total = sum(d.kind.weight for d in builder.departments)
    for department in builder.departments:
        count = max(3, round(budget * department.kind.weight / total * rng.uniform(0.85, 1.15)))
        catalogue = builder.p.catalogue[department.kind.key]
        nodes = 0
        for entry in rng.sample(catalogue, len(catalogue)):
            if nodes >= count * 0.85:
                break
            add_item(builder, department, entry)
            nodes += max(1, len(entry.subs))
        attempts = 0
        while nodes < count and attempts < count * 20:
            attempts += 1
            type_code = rng.choices(list(department.kind.mix), list(department.kind.mix.values()))[0]
            name = builder.p.namer.item(department.kind, type_code)
            if normalize(name) in builder.names or normalize(name) in builder.p.catalogue_names:
                continue
            entry = Entry(
                type_code,
                name,
                citations_of(department.kind, type_code, builder.p.laws, rng),
                sub_items_of(type_code, rng),
            )
            add_item(builder, department, entry, local=True)
            nodes += max(1, len(entry.subs))


def write_charters(builder: GovernmentBuilder) -> None:
    """Every department's charter functions: the demo's for its kind, said of this level, then made ones."""
    rng = builder.rng
    for department in builder.departments:
        kind = department.kind
        count = rng.randint(4, 6)
        texts: list[tuple[str, tuple[str, ...]]] = []
        for demo in kind.functions:
            text = builder.scoped(demo)
            builder.demo_texts.add(text)
            texts.append((text, tuple(r for r in kind.roots if r in text)))
        attempts = 0
        while len(texts) < count and attempts < 50:
            attempts += 1
            text, roots = builder.p.namer.function(kind, builder.scope)
            if normalize(text) not in builder.function_texts and all(t != text for t, _ in texts):
                texts.append((text, roots))
        for text, roots in texts[: max(count, 1)]:
            add_function(builder, department, text, roots)


def add_item(
    builder: GovernmentBuilder,
    department: Department | list[Department],
    entry: Entry,
    local: bool = False,
    planted: str = "",
) -> Item:
    """A new item of `department` (or of several, a joint item) made of `entry`: its code, time limits and
    handling unit; `local` marks a department's own item, `planted` what it was planted for."""
    departments = department if isinstance(department, list) else [department]
    owner = departments[0]
    builder.seq[entry.type_code] += 1
    code = f"{builder.gov.code}-{entry.type_code}-{builder.seq[entry.type_code]:05d}"
    rng = builder.rng
    statutory = promised = None
    if entry.type_code == "XK":
        statutory = rng.choice((20, 20, 20, 15, 10, 30, 45))
        promised = max(1, statutory // rng.choice((2, 3)))
    elif entry.type_code in ("QR", "JF"):
        statutory = rng.choice((10, 15, 20, 30))
        promised = max(1, statutory // 2) if rng.random() < 0.6 else None
    elif entry.type_code == "CF" and rng.random() < 0.3:
        statutory = 90
    enforcement = [u for u in owner.units if u.endswith(("支队", "大队"))]
    business = [u for u in owner.units if u not in ("办公室", "组织人事科", "财务审计科")] or owner.units
    if entry.type_code == "XK":
        unit = owner.approval_unit
    elif entry.type_code in ("CF", "QZ", "JC") and enforcement:
        unit = enforcement[0]
    else:
        unit = rng.choice(business)
    item = Item(code, entry, departments, statutory, promised, unit=unit)
    item.note = "local" if local else ""
    builder.items.append(item)
    for d in departments:
        builder.items_of[d.name].append(item)
    builder.names.add(normalize(entry.name))
    if planted:
        builder.planted_items.append(item)
        item.note = planted
    return item


def add_function(
    builder: GovernmentBuilder,
    department: Department,
    text: str,
    roots: tuple[str, ...] = (),
    units: list[str] | None = None,
    planted: str = "",
) -> Function:
    """A new charter function of `department` (its units drawn from its business units unless given);
    `planted` marks what it was planted for."""
    rng = builder.rng
    business = [
        u for u in department.units if u not in ("办公室", "组织人事科", "财务审计科")
    ] or department.units
    if units is None:
        units = rng.sample(business, min(len(business), rng.choice((1, 1, 2))))
    number = sum(1 for f in builder.functions if f.department is department) + 1
    mix = department.kind.mix
    main = max(mix, key=mix.__getitem__)
    category = (
        FUNCTION_CATEGORY.get(main, "公共服务")
        if rng.random() < 0.7
        else rng.choice(("经济调节", "市场监管", "社会管理", "公共服务"))
    )
    function = Function(
        f"{builder.gov.code}-ZN-{department.index:02d}{number:02d}",
        department,
        category,
        text,
        units,
        roots,
        planted=planted,
    )
    builder.functions.append(function)
    builder.function_texts.add(normalize(text))
    if planted:
        builder.planted_functions.append(function)
    return function
