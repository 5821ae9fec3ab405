"""`node(id:)`: whatever has an id the API gave out, found again by it.

A finding's id starts with its kind (`overlap:`, `gap:`, `split:`) and a cluster's with `cluster:`:
those are looked up in the cached analyses (a gap among today's gaps, the date every `at` defaults
to; a staffing gap needs the staffing role, as `gaps(kinds:)` does). Any other id is a graph node's,
read from the store and given its type as the caller's role may see it (`api.types.nodes`). An id
that finds nothing is null.

    resolve_node(info, "department:巴中市人民政府/巴中市财政局")   # a Department
"""

from __future__ import annotations

from api.context import Info
from api.types import indexes
from api.types.counts import visible_gap_kinds
from api.types.findings import Gap, Overlap, OverlapCluster, SplitApproval
from api.types.identified import Identified
from api.types.nodes import entity_by_id
from graph.identity import FindingKind

__all__ = ["resolve_node"]

CLUSTER_PREFIX = "cluster:"


def resolve_node(info: Info, node_id: str) -> Identified | None:
    """The thing whose id is `node_id`, or None; FORBIDDEN for one the caller's role may not see."""
    context = info.context
    prefix = node_id.partition(":")[0]
    if prefix == FindingKind.OVERLAP:
        overlap = indexes.overlaps_by_id(context).get(node_id)
        return Overlap(overlap=overlap) if overlap else None
    if prefix == FindingKind.SPLIT:
        split = indexes.splits_by_id(context).get(node_id)
        return SplitApproval(split=split) if split else None
    if prefix == FindingKind.GAP:
        gap = indexes.gaps_by_id(context, context.today).get(node_id)
        if gap is None:
            return None
        visible_gap_kinds(context, [gap.kind])  # FORBIDDEN for a staffing gap without the role
        return Gap(gap=gap)
    if node_id.startswith(CLUSTER_PREFIX):
        cluster = indexes.clusters_by_id(context).get(node_id)
        return OverlapCluster(cluster=cluster) if cluster else None
    return entity_by_id(info, node_id)
