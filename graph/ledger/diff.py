"""The difference between two editions: items added, removed and changed, findings appeared and resolved.

An item keeps its identity across editions (shared/spec/ledger.md) by its code where the list gives
real codes, and where the reader made the code from the list's 序号 (the snapshot's `code_made`, from
the item's property the published-list reader sets) by its government, departments, power type and
normalised name (and sub-item), as `graph.identity.made_item_identity` says for the findings' ids too:
a 序号 changes whenever a list gains or loses a row above the item. `item_identity` is the default
identity; `edition_diff` takes another.

Among the items left unmatched, one whose name changed a little (similarity of the names 0.8 or more,
plain Jaccard of `graph.similarity`, with the same legal basis and the same departments) is *changed*,
not removed and added; the candidates are compared within one department and basis only, so a
province's items are never compared all pairs.

    >>> item_identity(ItemSnapshot("商务局-CF-2", "对违规发卡的处罚", "行政处罚", code_made=True))[0]
    'name'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from graph.identity import made_item_identity
from graph.ledger.model import EditionDiff, ItemChange, ItemSnapshot
from graph.similarity import Text, similar_pairs
from graph.text import normalize

__all__ = ["RENAMED_SIMILARITY", "edition_diff", "item_identity"]

#: how similar two names must be for an unmatched item to be the same item renamed
RENAMED_SIMILARITY = 0.8


def item_identity(item: ItemSnapshot) -> tuple[str, ...]:
    """What names `item` across editions: its government, code and sub-item for a real code; its
    government, departments, power type, normalised name and sub-item for a code made from a 序号.

    >>> item_identity(ItemSnapshot("XK-001", "食品经营许可", "行政许可", government="示例市人民政府"))
    ('code', '示例市人民政府', 'XK-001', '')
    """
    if item.code_made:
        return made_item_identity(
            item.government, item.departments, item.power_type, item.name, item.sub_item
        )
    return ("code", item.government or "", item.code, normalize(item.sub_item or ""))


def edition_diff(
    from_label: str,
    to_label: str,
    before: Iterable[ItemSnapshot],
    after: Iterable[ItemSnapshot],
    findings_before: Iterable[str],
    findings_after: Iterable[str],
    *,
    identity: Callable[[ItemSnapshot], tuple[str, ...]] = item_identity,
) -> EditionDiff:
    """The diff of two editions' items and findings.

    Items are matched by `identity`, then renamed ones among the rest (see the module). A change
    lists the fields that differ, but not the code when both codes were made from a 序号 (they move
    with the rows above). Items added and removed are sorted by code, name and sub-item, changes by
    code, findings by id.

        >>> old = [ItemSnapshot("XK-1", "食品经营许可", "行政许可")]
        >>> new = [ItemSnapshot("XK-1", "食品经营许可证核发", "行政许可")]
        >>> edition_diff("2024", "2025", old, new, ["gap:a"], ["gap:b"]).changed[0].fields
        ('name',)
    """
    old = _by_identity(before, identity)
    new = _by_identity(after, identity)
    changed: list[tuple[ItemSnapshot, ItemSnapshot]] = []
    removed: list[ItemSnapshot] = []
    for key, item in old.items():
        later = new.pop(key, None)
        if later is None:
            removed.append(item)
        elif later != item:
            changed.append((item, later))
    added = list(new.values())  # those the earlier edition did not match
    renamed = _renamed(removed, added)
    if renamed:
        gone = {id(pair[0]) for pair in renamed}
        came = {id(pair[1]) for pair in renamed}
        removed = [item for item in removed if id(item) not in gone]
        added = [item for item in added if id(item) not in came]
    changes = [
        ItemChange(after_item.code, fields, before_item, after_item)
        for before_item, after_item in [*changed, *renamed]
        if (fields := _changed_fields(before_item, after_item))
    ]
    old_findings, new_findings = set(findings_before), set(findings_after)
    return EditionDiff(
        from_label=from_label,
        to_label=to_label,
        added=sorted(added, key=_item_order),
        removed=sorted(removed, key=_item_order),
        changed=sorted(changes, key=lambda change: (change.code, _item_order(change.after))),
        findings_appeared=sorted(new_findings - old_findings),
        findings_resolved=sorted(old_findings - new_findings),
    )


def _by_identity(
    items: Iterable[ItemSnapshot], identity: Callable[[ItemSnapshot], tuple[str, ...]]
) -> dict[tuple[str, ...], ItemSnapshot]:
    """The items by identity; of two with one identity (a list that repeats an item), the first."""
    found: dict[tuple[str, ...], ItemSnapshot] = {}
    for item in items:
        found.setdefault(identity(item), item)
    return found


def _renamed(
    removed: Sequence[ItemSnapshot], added: Sequence[ItemSnapshot]
) -> list[tuple[ItemSnapshot, ItemSnapshot]]:
    """Pairs (removed, added) of one item renamed a little: same departments and basis, similar names;
    each item in one pair at most, the most similar first."""
    blocks: dict[tuple[str, ...], list[tuple[str, ItemSnapshot]]] = defaultdict(list)
    for side, items in (("removed", removed), ("added", added)):
        for index, item in enumerate(items):
            block = (*sorted(item.departments), normalize(item.basis or ""), item.government or "")
            blocks[block].append((f"{side}:{index}", item))
    texts: list[Text] = []
    by_id: dict[str, ItemSnapshot] = {}
    for number, members in enumerate(blocks.values()):
        if {text_id.partition(":")[0] for text_id, _ in members} != {"removed", "added"}:
            continue  # nothing to pair in this block
        for text_id, item in members:
            texts.append(Text(text_id, item.name, str(number), text_id.partition(":")[0]))
            by_id[text_id] = item
    pairs: list[tuple[ItemSnapshot, ItemSnapshot]] = []
    taken: set[str] = set()
    for pair in similar_pairs(texts, RENAMED_SIMILARITY, weights="none"):
        if pair.a in taken or pair.b in taken:
            continue
        taken.update((pair.a, pair.b))
        first, second = by_id[pair.a], by_id[pair.b]
        pairs.append((first, second) if pair.b.startswith("added:") else (second, first))
    return pairs


def _changed_fields(before: ItemSnapshot, after: ItemSnapshot) -> tuple[str, ...]:
    """The fields that differ, in the order of an `ItemSnapshot`'s fields: departments in any order are the same, and
    two codes made from a 序号 are not compared."""
    differ = []
    if before.code != after.code and not (before.code_made and after.code_made):
        differ.append("code")
    if before.name != after.name:
        differ.append("name")
    if before.power_type != after.power_type:
        differ.append("power_type")
    if before.sub_item != after.sub_item:
        differ.append("sub_item")
    if before.departments != after.departments and sorted(before.departments) != sorted(after.departments):
        differ.append("departments")
    if before.basis != after.basis:
        differ.append("basis")
    if before.government != after.government:
        differ.append("government")
    return tuple(differ)


def _item_order(item: ItemSnapshot) -> tuple[str, str, str, str]:
    return (item.code, item.name, item.sub_item or "", item.government or "")
