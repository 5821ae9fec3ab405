"""Stable identities: of findings, and of the power items they are about (shared/spec/ledger.md).

A finding's id is the prefix of its kind (`FindingKind`) followed by the identities of its subjects,
never a score, the wording of its evidence or the order the sources were read in: loading the same
sources again, in another order or into the other store, gives the same ids, and so does a new
edition in which the same subjects show the same problem. The analyses make their ids here; the
ledger reads the kind back from the prefix (`graph.ledger.findings`).

A subject's identity is its node id, which the sources' own keys make (`graph.ids`), except for a
power item whose code the reader made from the list's 序号 (the item's property `code_made`, set by
the published-list reader): a 序号 moves whenever a row above the item comes or goes, so such an
item is known by its government, departments, power type, normalised name and sub-item instead
(`made_item_identity`), as `item~` and a digest of those. A stage of such an item follows it.

    >>> finding_id(FindingKind.GAP, "NO_HEAD", "department:示例市人民政府/示例市财政局")
    'gap:NO_HEAD:department:示例市人民政府/示例市财政局'
    >>> made_item_identity("示例市人民政府", ["示例市商务局"], "行政处罚", "对违规发卡的处罚", None)
    ('name', '示例市人民政府', '示例市商务局', '行政处罚', '对违规发卡的处罚', '')
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Protocol

from graph.model import Node
from graph.text import normalize
from ontology import EdgeKind, NodeKind

__all__ = [
    "CODE_MADE",
    "FindingKind",
    "SubjectIdentities",
    "digest",
    "finding_id",
    "made_item_identity",
]

#: the power item property that says its code was made by the reader from a 序号, not given by the list
CODE_MADE = "code_made"


class FindingKind(StrEnum):
    """A kind of finding; its value is the prefix of its ids, before the first colon."""

    OVERLAP = "overlap"
    GAP = "gap"
    SPLIT = "split"
    FINDING = "finding"  # a finding of a case trace
    WARNING = "warning"
    TRANSFER = "transfer"  # a supervision transfer (移送)


def finding_id(kind: FindingKind, *parts: str) -> str:
    """The id of a finding of `kind` whose subjects' identities (and qualifiers) are `parts`."""
    return ":".join((kind.value, *parts))


def digest(parts: Iterable[str]) -> str:
    """A short digest of `parts` (12 hex digits of SHA-1), for an id over many or long parts.

    >>> digest(["item:XK-001", "item:XK-002"])
    '693f5d700258'
    """
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()[:12]


def made_item_identity(
    government: str | None,
    departments: Iterable[str],
    power_type: str,
    name: str,
    sub_item: str | None,
) -> tuple[str, ...]:
    """What names an item whose code was made from a 序号: its government, the names of its
    departments (any order), its power type, normalised name and sub-item."""
    return (
        "name",
        normalize(government or ""),
        *sorted(normalize(department) for department in departments),
        power_type,
        normalize(name),
        normalize(sub_item or ""),
    )


class _Graph(Protocol):
    """What `SubjectIdentities` reads of a graph (`graph.analyses.links.Links` is one)."""

    def node(self, kind: NodeKind, node_id: str) -> Node | None: ...

    def departments_of_item(self, item: str) -> list[str]: ...

    def first_target(self, source: str, kind: EdgeKind) -> str | None: ...


class SubjectIdentities:
    """The identity of each subject of a finding of one graph, by node id (each item's made once)."""

    def __init__(self, graph: _Graph) -> None:
        self.graph = graph
        self._items: dict[str, str] = {}

    def of(self, node_id: str) -> str:
        """The identity of the subject `node_id`: its node id, but for an item whose code was made
        (and a stage of one) the identity that survives a reordered list."""
        if node_id.startswith("item:"):
            return self._item(node_id)
        if node_id.startswith("stage:"):
            item = self.graph.first_target(node_id, EdgeKind.STAGE_OF)
            stage = self.graph.node(NodeKind.STAGE, node_id)
            if item is not None and stage is not None and self._item(item) != item:
                return f"{self._item(item)}/{stage.get('step')}"
        return node_id

    def all(self, node_ids: Sequence[str]) -> tuple[str, ...]:
        """The identities of `node_ids`, in their order."""
        return tuple(self.of(node_id) for node_id in node_ids)

    def _item(self, item_id: str) -> str:
        found = self._items.get(item_id)
        if found is None:
            found = self._items[item_id] = self._made_identity(item_id) or item_id
        return found

    def _made_identity(self, item_id: str) -> str | None:
        item = self.graph.node(NodeKind.POWER_ITEM, item_id)
        if item is None or not item.get(CODE_MADE):
            return None
        holders = [
            department
            for department_id in self.graph.departments_of_item(item_id)
            if (department := self.graph.node(NodeKind.DEPARTMENT, department_id)) is not None
        ]
        identity = made_item_identity(
            min((str(d["government"]) for d in holders if d.get("government")), default=None),
            {str(d.get("name", d.id)) for d in holders},
            str(item.get("power_type", "")),
            str(item.get("name", "")),
            item.get("sub_item"),
        )
        return f"item~{digest(identity)}"
