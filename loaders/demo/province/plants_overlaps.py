"""The overlaps planted in a government, at rates seen in clean-ups, and the unbased items.

SAME_ITEM pairs (one item listed by two departments, a quarter of the copies in traditional
script), JOINT items (one item naming two departments), SHARED_BASIS pairs (two departments
citing one article no other item of theirs cites) and SIMILAR_TEXT pairs (an item of another
department worded a few characters differently), each written into the truth as it is planted;
`verification` checks them against the final data.
"""

from __future__ import annotations

from graph.analyses.verdicts import OverlapVerdict, Side, judge_overlaps
from graph.similarity import similarity
from graph.text import normalize
from loaders.demo.province.catalogue import Citation, Entry, general_citation
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.lists import add_item
from loaders.demo.province.records import Item
from loaders.demo.province.verification import block_weights
from loaders.demo.province.vocabulary import UNBASED_TEXTS

__all__ = ["index_citations", "plant_overlaps", "plant_unbased"]


def plant_unbased(builder: GovernmentBuilder) -> None:
    """Local items listed without a basis that names a law (越位), as clean-ups find them."""
    local = [item for item in builder.items if item.note == "local"]
    for item in builder.rng.sample(local, min(len(local), builder.rng.randint(2, 6))):
        item.entry = Entry(
            item.entry.type_code, item.entry.name, (), item.entry.subs, builder.rng.choice(UNBASED_TEXTS)
        )
        item.note = "unbased"
        for item_id in item.ids:
            builder.truth.gaps["UNBASED_POWER"].append(item_id)
            builder.truth.planted_gaps["UNBASED_POWER"].append(item_id)
            builder.truth.may_also["POWER_OUTSIDE_MANDATE"].append(item_id)


def index_citations(builder: GovernmentBuilder) -> None:
    """Note the articles every item cites so far."""
    for item in builder.items:
        builder.index(item)


def plant_overlaps(builder: GovernmentBuilder) -> None:
    """SAME_ITEM, JOINT, SHARED_BASIS and SIMILAR_TEXT overlaps between departments of this government."""
    rng = builder.rng
    gov = builder.gov.name
    weights = block_weights(builder)
    # SAME_ITEM: one item listed by two departments, some copies in traditional script
    same = rng.randint(6, 10)
    for n in range(same):
        source = _source(builder, "XK" if n < 2 else None)
        if source is None:
            continue
        a = source.departments[0]
        b = builder.other(a)
        name = source.entry.name
        traditional = rng.random() < 0.25
        if traditional:
            written = str(builder.p.traditional.convert(name))
            traditional = written != name and normalize(written) == normalize(name)
            name = written if traditional else name
        same_basis = rng.random() < 0.6
        citations = source.entry.citations if same_basis else builder.own_citations(b, source.entry.type_code)
        copy = add_item(builder, b, Entry(source.entry.type_code, name, citations), planted="SAME_ITEM")
        builder.index(copy)
        builder.truth.overlap(
            (source.ids[0], copy.ids[0]),
            "SAME_ITEM",
            gov,
            builder.department_ids(source, copy),
            traditional=traditional,
        )
        if same_basis:
            builder.pending_pairs.append((source, copy, "SAME_ITEM"))
            builder.truth.may_also["POWER_OUTSIDE_MANDATE"].append(copy.ids[0])
    # JOINT: one item naming two departments, on an article of each one's law
    for _ in range(rng.randint(2, 5)):
        a = rng.choice(builder.departments)
        b = builder.other(a)
        type_code = rng.choice(("JC", "JC", "XK", "JF", "QT", "CF"))
        name = builder.unique_name(a.kind, type_code)
        joint: list[Citation] = []
        for d in (a, b):
            short = rng.choice(d.kind.laws)
            joint.append((short, builder.fresh(short, type_code in ("CF", "QZ"), None), None))
        item = add_item(builder, [a, b], Entry(type_code, name, tuple(joint)), planted="JOINT")
        builder.index(item)
        builder.truth.overlap((item.ids[0],), "JOINT", gov, builder.department_ids(item))
    # SHARED_BASIS: two departments citing an article no other item of that type here cites
    for _ in range(rng.randint(4, 7)):
        a = rng.choice(builder.departments)
        b = builder.other(a)
        type_code = rng.choice(("CF", "CF", "CF", "XK", "JC", "QZ"))
        short = rng.choice(a.kind.laws)
        article = builder.fresh(short, type_code in ("CF", "QZ"), False)
        name_a = builder.unique_name(a.kind, type_code)
        name_b = builder.unique_name(b.kind, type_code)
        if similarity(name_a, name_b, weights.get(type_code)) >= 0.5 or _divided(name_a, name_b):
            continue
        shared: Citation = (short, article, None)
        first = add_item(builder, a, Entry(type_code, name_a, (shared,)), planted="SHARED_BASIS")
        own = builder.own_citations(b, type_code)[:1] if rng.random() < 0.5 else ()
        second = add_item(builder, b, Entry(type_code, name_b, (shared, *own)), planted="SHARED_BASIS")
        builder.index(first)
        builder.index(second)
        builder.pending_pairs.append((first, second, "SHARED_BASIS"))
        if not own:
            builder.truth.may_also["POWER_OUTSIDE_MANDATE"].append(second.ids[0])
    # SIMILAR_TEXT: an item of another department worded a few characters differently
    for _ in range(rng.randint(6, 10)):
        source = _source(builder)
        if source is None:
            continue
        a = source.departments[0]
        b = builder.other(a)
        variant = builder.variant(source.entry.name, weights.get(source.entry.type_code))
        if variant is None or _divided(source.entry.name, variant):
            continue
        same_basis = rng.random() < 0.5
        citations = source.entry.citations if same_basis else builder.own_citations(b, source.entry.type_code)
        item = add_item(builder, b, Entry(source.entry.type_code, variant, citations), planted="SIMILAR_TEXT")
        builder.index(item)
        builder.similar_plants.append((source, item))
        builder.truth.overlap(
            (source.ids[0], item.ids[0]), "SIMILAR_TEXT", gov, builder.department_ids(source, item)
        )
        if same_basis:
            builder.pending_pairs.append((source, item, "SIMILAR_TEXT"))
            builder.truth.may_also["POWER_OUTSIDE_MANDATE"].append(item.ids[0])


def _source(builder: GovernmentBuilder, type_code: str | None = None) -> Item | None:
    """An item to copy: one of a department's own, without sub-items, whose articles nothing else of its
    type in this government cites (so the copy overlaps with it alone), and that two departments can
    overlap on (not the obstruction of one's own inspections)."""
    rng = builder.rng
    for _ in range(200):
        item = rng.choice(builder.items)
        if item.note not in ("", "local") or item.entry.subs or len(item.departments) > 1:
            continue
        if _divided(item.entry.name, item.entry.name):
            continue
        if type_code and item.entry.type_code != type_code:
            continue
        general = general_citation(item.entry.type_code)
        specific = [(c[0], c[1]) for c in item.entry.citations if c != general and c[1] is not None]
        if specific and all(len(builder.cited[(item.entry.type_code, *c)]) == 1 for c in specific):
            return item
    return None


def _divided(name_a: str, name_b: str) -> bool:
    """Whether two names tell their matters apart (each its own sector, different acts, the obstruction
    of each one's own inspections): such a pair is a division of work (verdict DIVIDED), not the overlap
    a plant stands for."""
    sides = (Side("a", name_a, None, ("a",)), Side("b", name_b, None, ("b",)))
    return judge_overlaps([sides], {})[0].verdict is OverlapVerdict.DIVIDED
