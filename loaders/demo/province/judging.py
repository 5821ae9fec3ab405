"""The verdict the overlap analysis will give each overlap of the truth, judged once the province is built.

The analysis judges an overlap (`graph.analyses.verdicts.judge_overlaps`) by the two subjects' names,
the paragraphs they cite, their departments' fields of work, and the qualifiers it learns from every
overlap it found: a word one government's lists teach it counts in every other government too. So a
plant whose names were checked alone (`plants_overlaps`) can end `DIVIDED` once a later government
has taught a word in it, and the analysis then leaves it out of its default answer. `Judging` keeps
what the analysis will read, government by government, and `judge` gives every overlap of the truth
its verdict on the whole province: a `DIVIDED` one moves from the truth's overlaps (what the analysis
must report) to its divided ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph import ids
from graph.analyses.verdicts import OverlapVerdict, Side, judge_overlaps
from loaders.citations import parse_citations
from loaders.demo.catalogue import TYPE_CODES
from loaders.demo.province.catalogue import basis_text
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.records import Department
from loaders.demo.province.state import Truth, department_fields
from loaders.readgraph import citation_part

__all__ = ["Judging"]


class Judging:
    """The sides of the truth's overlaps and the lists of every government, as the analysis reads them."""

    def __init__(self) -> None:
        self.sides: dict[str, Side] = {}
        self.names: dict[str, str] = {}  # department id -> name
        self.lists: dict[str, dict[str, list[str]]] = {}  # government -> department id -> item names

    def read(self, builder: GovernmentBuilder) -> None:
        """Keep what the analysis reads of one government: its items' names by department, and the sides
        of the subjects of its overlaps in the truth."""
        gov = builder.gov.name
        place = gov.removesuffix("人民政府")
        subjects = {
            subject
            for entry in builder.truth.overlaps.values()
            if entry["government"] == gov and len(entry["subjects"]) == 2
            for subject in entry["subjects"]
        }
        fields = {d.name: department_fields(d.name, place) for d in builder.departments}
        lists = self.lists.setdefault(gov, {})
        for department in builder.departments:
            self.names[builder.department_id(department)] = department.name
        for item in builder.items:
            departments = tuple(builder.department_id(d) for d in item.departments)
            subs = item.entry.subs or (None,)
            for (item_id, name), sub in zip(item.subjects(), subs, strict=True):
                for holder in departments:
                    lists.setdefault(holder, []).append(name)
                if item_id in subjects:
                    basis = item.entry.basis_text
                    parts = _parts(
                        basis if basis is not None else basis_text(item.entry.citations, builder.p.laws)
                    )
                    work = _work(item.departments, fields)
                    power_type = TYPE_CODES[item.entry.type_code]
                    self.sides[item_id] = Side(item_id, name, power_type, departments, parts, work, gov, sub)
        for function in builder.functions:
            if function.id in subjects:
                holders = (builder.department_id(function.department),)
                parts = _parts(basis_text(function.citations, builder.p.laws))
                work = _work((function.department,), fields)
                self.sides[function.id] = Side(function.id, function.text, None, holders, parts, work, gov)

    def judge(self, truth: Truth) -> None:
        """Give each overlap of the truth the verdict the analysis will give it, and move the `DIVIDED` ones
        to `truth.divided` (counted as `divided_overlaps`)."""
        pairs = [key for key, entry in truth.overlaps.items() if len(entry["subjects"]) == 2]
        judgements = judge_overlaps(
            [tuple(self.sides[s] for s in key) for key in pairs], self.names, self.lists
        )
        for key, judgement in zip(pairs, judgements, strict=True):
            entry = truth.overlaps[key]
            entry["verdict"] = judgement.verdict.value
            if judgement.verdict is OverlapVerdict.DIVIDED:
                truth.divided[key] = truth.overlaps.pop(key)
                truth.counts["divided_overlaps"] += 1
        for entry in truth.overlaps.values():
            entry.setdefault("verdict", OverlapVerdict.OVERLAP.value)  # a joint item


def _parts(basis: str) -> dict[str, tuple[str, ...]]:
    """Article id -> the parts of it cited (款, 项), as the loader reads a basis; () for the whole article."""
    return {
        ids.article_id(c.law, c.article, c.article_suffix): citation_part(c)
        for c in parse_citations(basis)
        if c.article is not None
    }


def _work(departments: Sequence[Department], fields: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The fields of work of `departments`, in their order (as the analysis gives a side)."""
    return tuple(f for d in departments for f in fields[d.name])
