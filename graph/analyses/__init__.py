"""The analyses of shared/spec/analyses.md, each a plain function over a `GraphReader`.

They run unchanged on every store: `find_overlaps`, `find_gaps` and
`find_splits` read the graph through the reader's primitives (in bulk, through
`Links`), and return sorted, deterministic findings that carry their evidence.
"""

from __future__ import annotations

from graph.analyses.gap_kinds import STAFFING_KINDS, Gap, GapKind
from graph.analyses.gaps import NotComputed, find_gaps, gaps_not_computed
from graph.analyses.overlaps import (
    DEFAULT_VERDICTS,
    Cluster,
    Overlap,
    OverlapKind,
    OverlapVerdict,
    clusters_of,
    find_overlaps,
    overlap_matrix,
    select_overlaps,
)
from graph.analyses.splits import SplitApproval, SplitKind, find_splits

__all__ = [
    "DEFAULT_VERDICTS",
    "STAFFING_KINDS",
    "Cluster",
    "Gap",
    "GapKind",
    "NotComputed",
    "Overlap",
    "OverlapKind",
    "OverlapVerdict",
    "SplitApproval",
    "SplitKind",
    "clusters_of",
    "find_gaps",
    "find_overlaps",
    "find_splits",
    "gaps_not_computed",
    "overlap_matrix",
    "select_overlaps",
]
