"""What the demo plants for the analyses to find, planted the way such things occur in real data.

Each `plant_*` function lays one family of findings into the city and returns its description
for truth.json (department names, item, function, post, person and case ids, and the expected
kind): `approvals` (split approvals, chains, stages without a post), `staffing` (the staffing
plants), `cases` (planted and clean cases) and `evaluation` (what the scorecards count besides:
领导职数, 任职方式, busy approvals), which `scorecards` counts for truth.json. Overlaps and
legal-basis gaps are mostly planted by the catalogue itself (two departments listing the same
item, an item citing no law); `findings` finds them again by name, so truth.json names them by
code. What is planted where is data: `plants.toml`.
"""

from loaders.demo.plants.approvals import (
    CHAINS,
    SPLITS,
    STAGES_WITHOUT_POST,
    describe_split_approvals,
    plant_prerequisites,
    resolve_splits,
    stages_without_post,
)
from loaders.demo.plants.cases import plant_cases
from loaders.demo.plants.evaluation import plant_evaluation
from loaders.demo.plants.findings import describe_gaps, describe_overlaps
from loaders.demo.plants.scorecards import describe_scorecards
from loaders.demo.plants.staffing import OVER_QUOTA, plan_staffing

__all__ = [
    "CHAINS",
    "OVER_QUOTA",
    "SPLITS",
    "STAGES_WITHOUT_POST",
    "describe_gaps",
    "describe_overlaps",
    "describe_scorecards",
    "describe_split_approvals",
    "plan_staffing",
    "plant_cases",
    "plant_evaluation",
    "plant_prerequisites",
    "resolve_splits",
    "stages_without_post",
]
