"""The gaps planted in a government's lists and charters, and the laws its charters cite.

MISPLACED items (an article naming another kind of department), POWER_OUTSIDE_MANDATE items (on
a local rule none of the department's functions cite), SIMILAR_TEXT pairs of functions,
FUNCTION_NOT_EXERCISED charters (a duty no item carries out) and FUNCTION_WITHOUT_UNIT ones.
"""

from __future__ import annotations

from graph.analyses.fields import competent_field
from graph.corpus import FUNCTION_KIND
from graph.similarity import tokens
from graph.text import normalize
from loaders.demo.province.catalogue import Entry
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.kinds import Law
from loaders.demo.province.lists import add_function, add_item
from loaders.demo.province.state import IdfWeights, department_fields, fields_match
from loaders.demo.province.vocabulary import NOT_EXERCISED

__all__ = ["cite_in_charters", "plant_function_findings", "plant_item_gaps"]


def plant_item_gaps(builder: GovernmentBuilder) -> None:
    """MISPLACED and POWER_OUTSIDE_MANDATE items."""
    rng = builder.rng
    # MISPLACED (错位): an item citing an article that names another kind of department
    placed, wanted = 0, rng.randint(1, 3)
    for _ in range(40):
        if placed >= wanted:
            break
        a = rng.choice(builder.departments)
        b = builder.other(a)
        wording = builder.p.competent.get(b.kind.key)
        if wording is None:
            continue
        words = competent_field(wording)
        if fields_match(department_fields(a.name, builder.gov.place), words):
            continue
        short = rng.choice(b.kind.laws)
        if builder.p.law_kind.get(short) != b.kind.key:
            continue
        article = builder.fresh(short, True, True)
        if not builder.p.has_competent(short, article):
            continue
        name = builder.unique_name(a.kind, "CF")
        item = add_item(builder, a, Entry("CF", name, ((short, article, None),)), planted="MISPLACED")
        builder.index(item)
        builder.truth.planted_gaps["MISPLACED"].append(item.ids[0])
        builder.truth.may_also["POWER_OUTSIDE_MANDATE"].append(item.ids[0])
        placed += 1
    # POWER_OUTSIDE_MANDATE (越位 within a department): an item on a local rule none of its functions cite
    province = builder.p.governments[0].place
    for _ in range(rng.randint(1, 3)):
        a = rng.choice(builder.departments)
        charter = {token for f in builder.functions if f.department is a for token in tokens(f.text)}
        free = [root for root in a.kind.roots if not charter.intersection(tokens(root))]
        if not free:
            continue
        root = rng.choice(free)
        name = builder.unique_name(a.kind, "CF", roots=(root,))
        rule = f"{province}{root}管理办法"
        builder.p.laws.setdefault(rule, Law(rule, rule, "地方政府规章", 40, 3))
        item = add_item(
            builder,
            a,
            Entry("CF", name, ((rule, rng.randint(20, 36), None),)),
            planted="POWER_OUTSIDE_MANDATE",
        )
        builder.index(item)
        builder.truth.planted_gaps["POWER_OUTSIDE_MANDATE"].append(item.ids[0])


def cite_in_charters(builder: GovernmentBuilder) -> None:
    """Each department's functions cite the laws its own items cite (the first with its duty article), so
    every background item carries out some function and every function is carried out."""
    for department in builder.departments:
        functions = [f for f in builder.functions if f.department is department and not f.planted]
        own = list(
            dict.fromkeys(
                c[0]
                for item in builder.items_of[department.name]
                for c in item.entry.citations
                if c[0] in department.kind.laws
            )
        )
        if not own or not functions:
            continue
        for i, function in enumerate(functions):
            laws = own[i :: len(functions)] or [own[i % len(own)]]
            duty = builder.p.laws[laws[0]].duty_article
            function.citations = [(laws[0], duty, None), *((law, None, None) for law in laws[1:])]
            builder.p.duty_cited.add(laws[0])
            builder.p.cited.add((laws[0], duty))


def plant_function_findings(builder: GovernmentBuilder) -> None:
    """SIMILAR_TEXT functions of two departments, FUNCTION_NOT_EXERCISED and FUNCTION_WITHOUT_UNIT charters."""
    rng = builder.rng
    gov = builder.gov.name
    weights = IdfWeights([f.text for f in builder.functions], FUNCTION_KIND)
    for _ in range(rng.randint(1, 3)):  # SIMILAR_TEXT between functions of two departments
        sources = [f for f in builder.functions if not f.planted and len(f.text) >= 12]
        source = rng.choice(sources)
        b = builder.other(source.department)
        variant = builder.variant(source.text, weights, functions=True)
        if variant is None:
            continue
        function = add_function(builder, b, variant, source.roots, planted="SIMILAR_TEXT")
        if rng.random() < 0.5:
            function.citations = list(source.citations)
        builder.similar_plants.append((source, function))
        builder.truth.overlap(
            (source.id, function.id),
            "SIMILAR_TEXT",
            gov,
            sorted({builder.department_id(source.department), builder.department_id(b)}),
        )
        builder.truth.may_also["FUNCTION_NOT_EXERCISED"].append(function.id)
    templates = rng.sample(NOT_EXERCISED, rng.randint(1, 2))
    for template in templates:  # FUNCTION_NOT_EXERCISED: a charter duty no item carries out
        department = rng.choice(builder.departments)
        text = template
        if normalize(text) in builder.function_texts:
            continue
        function = add_function(builder, department, text, planted="FUNCTION_NOT_EXERCISED")
        builder.truth.planted_gaps["FUNCTION_NOT_EXERCISED"].append(function.id)
    background = [f for f in builder.functions if not f.planted]
    for function in rng.sample(background, rng.randint(1, 2)):  # FUNCTION_WITHOUT_UNIT
        function.units = []
        builder.truth.planted_gaps["FUNCTION_WITHOUT_UNIT"].append(function.id)
