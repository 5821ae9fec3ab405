"""The city of 巴中 from a seed: every builder and plant in turn, and the truth they describe.

`build_city` lays out the organisation and the power lists, plants what the analyses must find
and fills the posts around the plants, then writes the truth (`truth.json`'s content) into
`DemoCity.truth`. The order of the steps is the order of the random draws: the same seed gives
the same city.

    >>> city = build_city()  # doctest: +SKIP
    >>> len(city.departments), city.truth["seed"]  # doctest: +SKIP
    (52, 2008)
"""

from __future__ import annotations

import json
import random
from collections import Counter
from typing import Any

from loaders.demo import DEMO_LAWS, REFERENCE_DATE
from loaders.demo.bases import Laws
from loaders.demo.plants import (
    OVER_QUOTA,
    describe_gaps,
    describe_overlaps,
    describe_scorecards,
    describe_split_approvals,
    plan_staffing,
    plant_cases,
    plant_evaluation,
    plant_prerequisites,
    resolve_splits,
    stages_without_post,
)
from loaders.demo.powers import build_functions, build_items, build_laws_sheet
from loaders.demo.records import DemoCity, sheet_rows
from loaders.demo.staffing import build_holdings, build_organisation, build_posts, set_quotas
from loaders.demo.stages import STAGED_CONFIRMATIONS, build_stages
from loaders.demo.supervision import plant_supervision

__all__ = ["DEFAULT_SEED", "build_city"]

DEFAULT_SEED = 2008
#: added to the seed for what the scorecards count (`plant_evaluation`): a random source of its own,
#: so that what the city had before stays as it was
EVALUATION_SEED = 1818


def build_city(seed: int = DEFAULT_SEED) -> DemoCity:
    """The whole demo city for `seed`, with its truth; deterministic for a seed."""
    rng = random.Random(seed)
    extract = json.loads(DEMO_LAWS.read_text(encoding="utf-8"))
    laws = Laws(extract)
    city = DemoCity()
    build_organisation(city)
    item_facts = build_items(city, laws, rng)
    chains = plant_prerequisites(city)
    splits = resolve_splits(city)
    approval_units = {
        (i.departments[0], i.unit or "")
        for i in city.items
        if i.power_type == "行政许可" or i.name in STAGED_CONFIRMATIONS
    }
    approval_units |= {(department, unit) for stages in splits.values() for _, department, unit in stages}
    build_posts(city, rng, approval_units)
    build_stages(city, rng, splits, stages_without_post(city))
    plan, staffing_facts = plan_staffing(city, rng)
    build_holdings(city, rng, plan)
    over = set_quotas(city, rng, OVER_QUOTA)
    build_functions(city, laws, rng)
    build_laws_sheet(city, laws, extract)
    case_truth = plant_cases(city, rng, staffing_facts)
    overlaps = describe_overlaps(city, item_facts["general_citers"], item_facts["district_copies"])
    evaluation = plant_evaluation(city, random.Random(seed + EVALUATION_SEED), staffing_facts)
    supervision = plant_supervision(city)
    city.truth = {
        "about": "What the demo workbook plants for the analyses to find (generated with it; do not edit).",
        "seed": seed,
        "reference_date": REFERENCE_DATE.isoformat(),
        "governments": sorted({d.government for d in city.departments}),
        "counts": _counts(city),
        "conventions": _CONVENTIONS,
        **overlaps,
        "gaps": describe_gaps(city, staffing_facts, over),
        "not_gaps": [{"kind": "GHOST_PAYROLL", **fact} for fact in staffing_facts["not_ghosts"]]
        + [
            {
                "kind": "GHOST_PAYROLL",
                "person": fact["last_holder"],
                "department": fact["department"],
                "reason": f"left: head post ended {fact['since']}, no quota row after",
            }
            for fact in staffing_facts["no_head"]
        ],
        "split_approvals": describe_split_approvals(city, chains, overlaps["overlaps"]),
        "staffing": {
            key: staffing_facts[key]
            for key in ("head_change", "no_head", "acting", "reviewer_change", "vacancy_window")
        },
        "cases": case_truth,
        "evaluation": evaluation,
        "supervision": supervision,
    }
    city.truth["scorecards"] = describe_scorecards(city, staffing_facts, over, city.truth)
    return city


_CONVENTIONS = [
    "Dates are ISO; the reference date is the day the staffing and vacancy findings are checked for.",
    "Working days exclude weekends and official holidays and include official make-up days; a stage "
    "started on S and finished on F took the working days in (S, F].",
    "The answerable person of a step is the holder of the stage's post on the day the step started. "
    "VACANT_POST: nobody held it; NOT_HOLDER: the performer did not hold it, also when it was vacant. "
    "IDLE_BETWEEN_STAGES: more than 1 working day from one performed step's finish to the next one's start.",
    "CASE_OVERDUE: the working days from acceptance to closing exceed the promised limit (the statutory one "
    "where none is promised). SKIPPED_STAGE applies to closed cases only.",
    "Overlaps are within one government: items held by 巴中市人民政府 and 巴州区人民政府 departments are divisions "
    "between levels (not_overlaps, CROSS_LEVEL).",
    "A holding row without 岗位编码 is a person on a quota holding no post over [任职开始, 任职结束); a holding "
    "row without 编制类型 (a concurrent post) puts nobody on a quota.",
    "Each planted case lists every finding a trace must report for it; clean cases have none.",
    "may_also names kinds an analysis may also report for the same subject, depending on how it reads "
    "the definition (a concurrent post without a quota; an item with no basis matched by wording only).",
    "The lists of planted findings are what the demo guarantees, not all there is: like real lists, the data "
    "has other near-duplicate wordings where two laws word an offence alike (SIMILAR_TEXT candidates).",
    "scorecards: per department id, what its computed indicators count on the reference date over the "
    "evaluation period (the five years before it, both ends included), counted from the generator's records "
    "and the other plants' facts, never by the analyses. `counts` gives every key of `exact_keys` (a key not "
    "listed counts 0), `at_least` the planted findings of the keys of `planted_keys` naming the department "
    "(found among others). leader_quota is the 领导职数 (the department's leading posts, fewer for the "
    "departments of evaluation.over_leadership); leading_posts_filled the posts of 行政首长, 分管领导 and "
    "内设机构负责人 held on the date; quota_usage_rate the people on its 行政编制 and 事业编制 on the date / "
    "its places, in percent (null: no places).",
    "scorecards counts: over_leadership_quota one per leading post filled beyond the 领导职数; "
    "long_secondment a 任职方式 借调 holding lasting more than a year within the period, in its post's "
    "department (挂职 and 兼任 are not 借调); ghost_payroll, over_quota and mixed_quota the gaps of those "
    "kinds, in the department of the quota; unit_duty_overlap a pair of the department's units whose 职责 "
    "list a duty alike (split at ；。, normalised); dormant_item an item of the power types the case log "
    "records run 3 times or fewer, by each department holding it, an item with sub-items being one item "
    "(its cases name its code); overdue_case a case past its limit (promised, else statutory) in working "
    "days when closed, or on the date when open; item_load_mismatch and workload_mismatch a unit (of three "
    "or more with a 编制数) in the top third by work and the bottom third by 编制数 or the reverse, a third "
    "being at least two thirds of the other units strictly below (above) it, work being the cases of the "
    "items it handles (承办机构) or the case steps at the stages it carries.",
]


def _counts(city: DemoCity) -> dict[str, Any]:
    sheets = sheet_rows(city)
    counts: dict[str, Any] = {sheet: len(rows) for sheet, rows in sheets.items()}
    city_items = [i for i in city.items if i.government == city.departments[0].government]
    counts["departments_city"] = sum(d.government == city.departments[0].government for d in city.departments)
    counts["departments_district"] = len(city.departments) - counts["departments_city"]
    counts["items"] = len(city.items)
    counts["items_city"] = len(city_items)
    counts["items_by_type"] = dict(Counter(i.power_type for i in city_items).most_common())
    counts["people"] = len({h.person for h in city.holdings})
    return counts
