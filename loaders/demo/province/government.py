"""One government of the province while it is built: its departments, items, functions and rows so far.

`GovernmentBuilder` holds the state the build steps (`organisation`, `lists`, `plants_*`,
`verification`, `approvals`, `expectations`) read and write, and the few helpers they share:
another department to pair with, a fresh article, a name nobody uses yet, a reworded copy of a
text. Every random draw goes through the province's one generator, in the order of the steps
(`build.build_government`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from graph import ids
from graph.analyses.overlaps import DEFAULT_FUNCTION_THRESHOLD, DEFAULT_TEXT_THRESHOLD
from graph.similarity import similarity
from graph.text import normalize
from loaders.demo.province.catalogue import Citation, citations_of
from loaders.demo.province.governments import Government
from loaders.demo.province.kinds import Kind, law_of
from loaders.demo.province.naming import edit
from loaders.demo.province.records import Department, Function, Item
from loaders.demo.province.state import Province

__all__ = ["PLANT_MARGIN", "GovernmentBuilder"]

#: planted SIMILAR_TEXT pairs must score at least this above the analysis' threshold for their kind of text
PLANT_MARGIN = 0.1


class GovernmentBuilder:
    """One government's sheets as they are built, and the findings planted in them (into `province.truth`)."""

    def __init__(self, province: Province, government: Government, sample: bool = False) -> None:
        self.p = province
        self.sample = sample  # measure how similar the background is, before and after cleaning
        self.demo_texts: set[str] = set()
        self.gov = government
        self.rng = province.rng
        self.truth = province.truth
        self.departments: list[Department] = []
        self.by_key: dict[str, Department] = {}
        self.items: list[Item] = []
        self.items_of: dict[str, list[Item]] = defaultdict(list)  # department name -> items
        self.names: set[str] = set()
        self.functions: list[Function] = []
        self.function_texts: set[str] = set()
        self.unit_rows: list[tuple[Any, ...]] = []
        self.post_rows: list[tuple[Any, ...]] = []
        self.holding_rows: list[list[Any]] = []
        self.holders: dict[str, list[tuple[int, int | None, str]]] = defaultdict(list)
        self.people = 0
        self.seq: Counter[str] = Counter()
        self.cited: dict[tuple[str, str, int], list[Item]] = defaultdict(list)  # (type, law, article)
        self.cited_any: set[tuple[str, int]] = set()
        self.planted_items: list[Item] = []
        self.planted_functions: list[Function] = []
        self.pending_pairs: list[tuple[Item, Item, str]] = []  # (a, b, kind) whose basis is checked last
        self.similar_plants: list[tuple[Any, Any]] = []  # (source, variant): items or functions
        self.stage_rows: list[tuple[Any, ...]] = []
        self.stage_posts: set[str] = set()
        self.staged: list[
            tuple[Item, list[tuple[int, str, int, str]]]
        ] = []  # item, [(step, post, days, dept)]
        self.over_quota: set[str] = set()
        self.quota: dict[str, int] = {}
        self.no_head = ""
        self.level = government.place[-1]
        self.scope = f"全{self.level}"

    def scoped(self, text: str) -> str:
        """A city text said of this government's level (全市 -> 全县, 市政府 -> 县政府 …)."""
        level = self.level
        for old, new in (
            ("全市", f"全{level}"),
            ("市政府", f"{level}政府"),
            ("本市", f"本{level}"),
            ("市级", f"{level}级"),
        ):
            text = text.replace(old, new)
        return text

    def index(self, item: Item) -> None:
        """Note the articles `item` cites (for its type, and at all)."""
        for short, article, _ in item.entry.citations:
            if article is not None:
                self.cited[(item.entry.type_code, short, article)].append(item)
                self.cited_any.add((short, article))

    def other(self, department: Department) -> Department:
        """Another department of this government that lists items."""
        return self.rng.choice([d for d in self.departments if d is not department and self.items_of[d.name]])

    def own_citations(self, department: Department, type_code: str) -> tuple[Citation, ...]:
        """What an item of `department` of this type would cite."""
        return citations_of(department.kind, type_code, self.p.laws, self.rng)

    def fresh(self, short: str, penalty: bool, competent: bool | None) -> int:
        """An article of `short` nothing in this government cites yet."""
        law = self.p.laws.setdefault(short, law_of(short))
        span = list(law.penalty_articles if penalty else law.other_articles)
        self.rng.shuffle(span)
        for article in span:
            if (short, article) in self.cited_any:
                continue
            if competent is not None and self.p.has_competent(short, article) != competent:
                continue
            return article
        article = law.articles + 1
        while (short, article) in self.cited_any:
            article += 1
        return article

    def unique_name(self, kind: Kind, type_code: str, roots: Sequence[str] | None = None) -> str:
        """A name of this kind and type no department of this government, and no standard list, uses."""
        for _ in range(200):
            name = self.p.namer.item(kind, type_code, roots)
            if normalize(name) not in self.names and normalize(name) not in self.p.catalogue_names:
                return name
        raise RuntimeError("no unique name left")

    def variant(self, text: str, weights: dict[str, float] | None, functions: bool = False) -> str | None:
        """`text` with a phrase reworded, a word put in or a character left out, or in traditional script and
        reworded, scoring at least the analysis' threshold (for names, or for `functions`) + margin against it;
        None when no edit does."""
        rng = self.rng
        taken = self.function_texts if functions else self.names
        threshold = DEFAULT_FUNCTION_THRESHOLD if functions else DEFAULT_TEXT_THRESHOLD
        for _ in range(40):
            edited = text
            for _ in range(rng.choice((1, 1, 2))):
                edited = edit(edited, rng)
            if rng.random() < 0.2:
                edited = str(self.p.traditional.convert(edited))
            key = normalize(edited)
            if key == normalize(text) or key in taken or key in self.p.catalogue_names:
                continue
            if similarity(text, edited, weights) >= threshold + PLANT_MARGIN:
                return edited
        return None

    def department_id(self, department: Department) -> str:
        """The id the analyses give `department`."""
        return ids.department_id(self.gov.name, department.name)

    def department_ids(self, *items: Item) -> list[str]:
        """The ids of the departments holding `items`, sorted."""
        return sorted({ids.department_id(self.gov.name, d.name) for item in items for d in item.departments})
