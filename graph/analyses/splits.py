"""Split approvals (多部门、多环节审批): what the approval reform office must consolidate.

Three shapes, each a `SplitApproval`:

- `STAGES`: one item whose stages are carried by several departments (the department the list
  names for the item counts among them, even when other departments carry all its stages);
- `CHAIN`: a chain of prerequisite approvals (前置事项) that crosses departments:
  an item that no other item needs, with every item it needs, transitively;
- `SAME_MATTER`: the same licensing matter approved separately by several
  departments of one government (a `SAME_ITEM` overlap among licensing items).

Each carries its departments, its number of stages, its total time limit, a
suggested lead department and the working days one department alone would save, and a stable `id`
from its kind and its items' identities:

- lead: the department that already carries the most stages; ties go to the one
  carrying the approval (批准) role, then to the one whose item it is, then by id;
- stage totals use an item's stages when it has some and count an item without
  stages as one stage carried by its department;
- total days: the longest path (the critical path), what an applicant waits at most.
  An item's stages follow one another (one stage a step), so they add up; a chain's
  item starts when everything it needs is granted, so prerequisites needed side by
  side count once, the longest of them; the approvals of one matter by several
  departments run side by side, so the longest counts. None when a limit is not stated;
- saved days: the total less the total left when the lead takes the matter, the
  limits of what other departments carry cancelled: for `STAGES` their stages', for
  `CHAIN` and `SAME_MATTER` their items' statutory limits. So never more than the
  total: two departments approving one matter side by side in 20 days each save none.
  None when the limits needed are not stated.

    splits = find_splits(store, min_departments=2)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from graph import progress
from graph.analyses.links import Links
from graph.collector import pausing_collector
from graph.identity import FindingKind, SubjectIdentities, digest, finding_id
from graph.model import Node
from graph.store import GraphReader
from graph.text import normalize
from ontology import EdgeKind, NodeKind, PowerType, StageRole

__all__ = ["SplitApproval", "SplitKind", "find_splits", "split_order"]


class SplitKind(StrEnum):
    STAGES = "STAGES"
    CHAIN = "CHAIN"
    SAME_MATTER = "SAME_MATTER"


@dataclass(frozen=True, slots=True)
class SplitApproval:
    """One split approval, its departments and what consolidating it would save."""

    kind: SplitKind
    items: tuple[str, ...]  # item ids; for a chain, the last approval first, then what it needs
    departments: tuple[str, ...]  # department ids, by stages carried (most first), then id
    stage_count: int
    total_days: int | None
    lead_department: str | None
    saved_days: int | None
    detail: str
    identities: tuple[str, ...] = ()  # the items' identities, in their order (`graph.identity`)

    @property
    def id(self) -> str:
        """`split:<kind>:<digest>` of the kind and its items' identities (their ids, without them)."""
        return finding_id(
            FindingKind.SPLIT, self.kind.lower(), digest((self.kind, *(self.identities or self.items)))
        )


@pausing_collector
def find_splits(
    reader: GraphReader, *, min_departments: int = 2, links: Links | None = None
) -> list[SplitApproval]:
    """Every split approval over at least `min_departments` departments, most departments first.
    `links` are the reader's `Links` when the caller has them already (what they have read is reused)."""
    links = Links(reader) if links is None else links
    found: list[SplitApproval] = []
    finders = (_stage_splits, _chains, _same_matters)
    for done, finder in enumerate(finders):
        progress.step("finding split approvals", done, len(finders))
        found.extend(finder(links))
    progress.step("finding split approvals", len(finders), len(finders))
    identities = SubjectIdentities(links)
    found = [
        replace(split, identities=identities.all(split.items))
        for split in found
        if len(split.departments) >= min_departments
    ]
    return sorted(found, key=split_order)


def split_order(split: SplitApproval) -> tuple[int, int, str, tuple[str, ...]]:
    """The order of `find_splits`' answer: most departments first, then most stages, then kind and items."""
    return (-len(split.departments), -split.stage_count, split.kind, split.items)


@dataclass(frozen=True, slots=True)
class _Stage:
    department: str | None
    role: str | None
    days: int | None


def _stages(links: Links, item: str) -> list[_Stage]:
    """The item's stages in order; an item without stages is one stage of its first department."""
    stages = [links.node(NodeKind.STAGE, s) for s in links.sources(item, EdgeKind.STAGE_OF)]
    present = sorted((s for s in stages if s is not None), key=lambda s: s["step"])
    if not present:
        departments = links.departments_of_item(item)
        return [_Stage(departments[0] if departments else None, None, None)]
    return [
        _Stage(links.first_target(s.id, EdgeKind.STAGE_DEPARTMENT), s.get("role"), s.get("days"))
        for s in present
    ]


def _lead(
    stages: list[_Stage], owner: str | None, holders: Sequence[str] = ()
) -> tuple[tuple[str, ...], str | None]:
    """The departments ordered by stages carried, and the suggested lead; `holders` (the departments the
    list names for the item) count among the departments even when they carry no stage."""
    carried = Counter(s.department for s in stages if s.department)
    for holder in holders:
        carried.setdefault(holder, 0)
    approves = {s.department for s in stages if s.role == StageRole.APPROVE.value}
    ranked = sorted(carried, key=lambda d: (-carried[d], d not in approves, d != owner, d))
    return tuple(ranked), (ranked[0] if ranked else None)


def _stage_splits(links: Links) -> Iterator[SplitApproval]:
    for item_id in sorted(links.into(EdgeKind.STAGE_OF)):
        item = links.node(NodeKind.POWER_ITEM, item_id)
        if item is None:
            continue
        stages = _stages(links, item_id)
        owners = links.departments_of_item(item_id)
        departments, lead = _lead(stages, owners[0] if owners else None, owners)
        if len(departments) < 2:
            continue
        others = [s.days for s in stages if s.department != lead]
        saved = (
            sum(d for d in others if d is not None) if others and all(d is not None for d in others) else None
        )
        days = [s.days for s in stages]
        total = sum(d for d in days if d is not None) if all(d is not None for d in days) else None
        yield SplitApproval(
            SplitKind.STAGES,
            (item_id,),
            departments,
            len(stages),
            total if total is not None else item.get("statutory_days"),
            lead,
            saved,
            f"{item['code']} {item['name']}：{len(stages)}个环节分由{len(departments)}个部门办理",
        )


def _chains(links: Links) -> Iterator[SplitApproval]:
    requires = {item: [e.target for e in edges] for item, edges in links.out(EdgeKind.REQUIRES).items()}
    needed = {target for targets in requires.values() for target in targets}
    for end in sorted(set(requires) - needed):
        chain = _closure(end, requires)
        if len(chain) < 2:
            continue
        items = [links.node(NodeKind.POWER_ITEM, i) for i in chain]
        stages = [stage for item in chain for stage in _stages(links, item)]
        owner_of: dict[str, str | None] = {i: next(iter(links.departments_of_item(i)), None) for i in chain}
        departments, lead = _lead(stages, owner_of[end])
        limits = {
            i: item.get("statutory_days") if item else None for i, item in zip(chain, items, strict=True)
        }
        total = saved = None
        if all(d is not None for d in limits.values()):
            days = {i: int(d) for i, d in limits.items() if d is not None}
            total = _critical_path(end, requires, days)
            kept = {i: d if owner_of[i] == lead else 0 for i, d in days.items()}
            saved = total - _critical_path(end, requires, kept)
        yield SplitApproval(
            SplitKind.CHAIN,
            tuple(chain),
            departments,
            len(stages),
            total,
            lead,
            saved,
            " ← ".join(str(item["name"]) for item in items if item is not None),
        )


def _critical_path(end: str, requires: dict[str, list[str]], days: dict[str, int]) -> int:
    """The working days of the longest path of prerequisites ending at `end`, over the items of `days`:
    an item starts when all it needs is granted, so what it needs side by side counts once, the longest
    (the critical path), never added up. An edge closing a cycle is cut, as in `_closure`.

    >>> _critical_path("end", {"end": ["a", "b"], "a": ["c"]}, {"end": 5, "a": 10, "b": 20, "c": 15})
    30
    """
    longest: dict[str, int] = {}
    on_path: set[str] = set()
    stack = [(end, False)]
    while stack:
        item, needs_done = stack.pop()
        if needs_done:  # everything it needs is measured, but what would close a cycle
            on_path.discard(item)
            before = [longest[r] for r in requires.get(item, ()) if r in longest]
            longest[item] = days[item] + max(before, default=0)
        elif item not in longest and item not in on_path:
            on_path.add(item)
            stack.append((item, True))
            stack.extend((r, False) for r in requires.get(item, ()) if r in days and r not in longest)
    return longest[end]


def _closure(end: str, requires: dict[str, list[str]]) -> list[str]:
    """The item and everything it needs, transitively, depth first; cycles are cut."""
    seen: list[str] = []
    stack = [end]
    while stack:
        item = stack.pop()
        if item in seen:
            continue
        seen.append(item)
        stack.extend(sorted(requires.get(item, ()), reverse=True))
    return seen


def _same_matters(links: Links) -> Iterator[SplitApproval]:
    groups: dict[tuple[str, str], list[Node]] = defaultdict(list)
    for item in links.nodes(NodeKind.POWER_ITEM).values():
        if item.get("power_type") != PowerType.LICENSING.value:
            continue
        departments = links.departments_of_item(item.id)
        if not departments:
            continue
        government = links.government_of.get(departments[0], "")
        key = normalize(f"{item['name']}{item.get('sub_item') or ''}")
        groups[(government, key)].append(item)
    for _, items in sorted(groups.items()):
        owner_of = {item.id: links.departments_of_item(item.id)[0] for item in items}
        if len(set(owner_of.values())) < 2:
            continue
        items.sort(key=lambda item: item.id)
        stages = [stage for item in items for stage in _stages(links, item.id)]
        ranked, lead = _lead(stages, None)
        limits = [item.get("statutory_days") for item in items]
        total = saved = None
        if all(d is not None for d in limits):  # approved side by side: the longest is what one waits
            total = max(int(item["statutory_days"]) for item in items)
            kept = [int(item["statutory_days"]) for item in items if owner_of[item.id] == lead]
            saved = total - max(kept, default=0)
        yield SplitApproval(
            SplitKind.SAME_MATTER,
            tuple(item.id for item in items),
            ranked,
            len(stages),
            total,
            lead,
            saved,
            f"{items[0]['name']}由{len(set(owner_of.values()))}个部门分别审批",
        )
