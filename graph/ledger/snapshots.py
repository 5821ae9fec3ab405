"""The snapshot of a graph's power items that an edition records.

>>> items = item_snapshots(store)                                       # doctest: +SKIP
>>> items[0].code, items[0].departments                                 # doctest: +SKIP
('JC-511900001-001', ('示例市市场监督管理局',))
"""

from __future__ import annotations

from graph.collector import pausing_collector
from graph.identity import CODE_MADE
from graph.ledger.model import ItemSnapshot
from graph.store import GraphReader, sorted_ids
from ontology import EdgeKind, NodeKind

__all__ = ["item_snapshots"]


@pausing_collector
def item_snapshots(reader: GraphReader, batch: int = 50_000) -> list[ItemSnapshot]:
    """Every power item of `reader` as an `ItemSnapshot`, in the order of their ids: code, name, power
    type, sub-item, the names of the departments holding it (sorted), legal basis as written, the
    government of its departments, and whether the reader made its code from a 序号. Reads the items, their `heldBy` edges and the departments in
    batches of `batch` ids."""
    item_ids = list(sorted_ids(reader, NodeKind.POWER_ITEM))
    snapshots: list[ItemSnapshot] = []
    departments: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(item_ids), batch):
        ids = item_ids[start : start + batch]
        held = reader.edges_from(ids, EdgeKind.HELD_BY)
        wanted = sorted({edge.target for edges in held.values() for edge in edges} - departments.keys())
        for node in reader.nodes_by_id(wanted):
            if node is not None:
                departments[node.id] = (str(node.get("name", node.id)), node.get("government"))
        for item in reader.nodes_by_id(ids):
            if item is None:
                continue
            holders = [
                departments[edge.target] for edge in held.get(item.id, []) if edge.target in departments
            ]
            snapshots.append(
                ItemSnapshot(
                    code=str(item.get("code", "")),
                    name=str(item.get("name", "")),
                    power_type=str(item.get("power_type", "")),
                    sub_item=item.get("sub_item"),
                    departments=tuple(sorted({name for name, _ in holders})),
                    basis=item.get("basis"),
                    government=min((government for _, government in holders if government), default=None),
                    code_made=bool(item.get(CODE_MADE)),
                )
            )
    return snapshots
