"""The analyses' enums as GraphQL enums: `OverlapKind`, `OverlapVerdict`, `GapKind`, `SplitKind`.

`strawberry.enum` gives each class of `graph.analyses` its GraphQL definition (and returns the class
itself), so resolvers return the analyses' values. It is done here, once, before any type names an
enum: importing this module is what makes them GraphQL enums. Each value is described here too
(`shared/spec/analyses.md` says what each finds).
"""

from __future__ import annotations

from enum import Enum

import strawberry

from graph.analyses import gaps, overlaps, splits

__all__: list[str] = []

# The analyses' enums are the GraphQL enums, under the same names: `strawberry.enum` gives each class
# its GraphQL definition (and returns the class itself), so resolvers return the analyses' values.
strawberry.enum(overlaps.OverlapKind, name="OverlapKind", description="The kinds of overlap evidence.")
strawberry.enum(
    overlaps.OverlapVerdict,
    name="OverlapVerdict",
    description="What an overlap is. OVERLAP: the same conduct on the same objects, nothing drawing a line "
    "between the two; BOUNDARY: one side names a sector or object the other does not (the general side "
    "should state its boundary); DIVIDED: each names its own, or they do different things.",
)
strawberry.enum(gaps.GapKind, name="GapKind", description="The kinds of gap.")
strawberry.enum(
    splits.SplitKind,
    name="SplitKind",
    description="STAGES: one item's stages over several departments; CHAIN: prerequisite approvals across "
    "departments; SAME_MATTER: one licensing matter approved separately by several departments.",
)


def _describe(enum: type[Enum], descriptions: dict[str, str]) -> None:
    """Give each value of a GraphQL enum made of an analyses' class its description."""
    for value in enum.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = descriptions[value.name]


_describe(
    overlaps.OverlapKind,
    {
        "SAME_ITEM": "Items with the same normalised name and power type, of different departments.",
        "JOINT": "One item whose 实施主体 names several departments.",
        "SHARED_BASIS": "The same article cited by different departments, for items of the same type.",
        "SIMILAR_TEXT": "Functions or items of different departments whose texts are similar.",
    },
)
_describe(
    overlaps.OverlapVerdict,
    {
        "OVERLAP": "The same conduct on the same objects, nothing drawing a line between the two.",
        "BOUNDARY": "One side names a sector or object the other does not: the general side should state it.",
        "DIVIDED": "Each names its own, or they do different things: divided, nothing to act on.",
    },
)
_describe(
    gaps.GapKind,
    {
        "UNBASED_POWER": "越位: a power item whose legal basis is empty or cites no law that can be read.",
        "UNHELD_DUTY": "缺位: a law article with a 规定职责 that no power item or function cites.",
        "MISPLACED": "错位: an item held by a department of another kind than the article's 主管部门.",
        "FUNCTION_NOT_EXERCISED": "A function of the department's charter (三定) that none of its items exercises.",
        "POWER_OUTSIDE_MANDATE": "A power item that matches none of its department's functions.",
        "FUNCTION_WITHOUT_UNIT": "A function with no unit that carries it, or a unit with no post.",
        "STAGE_WITHOUT_POST": "An approval stage with no answerable post.",
        "VACANT_POST": "A post on an approval stage, or a head post, held by nobody (staffing).",
        "NO_HEAD": "A department with nobody in its head post (staffing).",
        "OVER_QUOTA": "More people on a department's quota than its places (staffing).",
        "GHOST_PAYROLL": "On a quota, holding no post (staffing).",
        "MIXED_QUOTA": "On one department's quota while holding a post in another (staffing).",
        "CONCURRENT_POSTS": "Holding posts in several departments at once (staffing).",
        "UNKNOWN_LAW": "A citation of a law the law catalogue does not hold.",
        "NO_SUCH_ARTICLE": "A citation of an article the law in force does not have.",
        "REPEALED_LAW": "A citation of a law that has expired.",
    },
)
_describe(
    splits.SplitKind,
    {
        "STAGES": "One item's stages carried by several departments.",
        "CHAIN": "Prerequisite approvals across departments.",
        "SAME_MATTER": "One licensing matter approved separately by several departments.",
    },
)
