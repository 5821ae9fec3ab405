"""The analyses of shared/spec/analyses.md, each a plain function over a `GraphReader`.

They run unchanged on every store: `find_overlaps`, `find_gaps` and
`find_splits` read the graph through the reader's primitives (in bulk, through
`Links`), and return sorted, deterministic findings that carry their evidence.
"""

from __future__ import annotations

from graph.analyses.gap import STAFFING_KINDS, Gap, GapKind
from graph.analyses.gaps import find_gaps
from graph.analyses.overlaps import Cluster, Overlap, OverlapKind, clusters_of, find_overlaps, overlap_matrix
from graph.analyses.splits import SplitApproval, SplitKind, find_splits

__all__ = [
    "STAFFING_KINDS",
    "Cluster",
    "Gap",
    "GapKind",
    "Overlap",
    "OverlapKind",
    "SplitApproval",
    "SplitKind",
    "clusters_of",
    "find_gaps",
    "find_overlaps",
    "find_splits",
    "overlap_matrix",
]
