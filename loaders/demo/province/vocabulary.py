"""What a province's governments are made of, as `province.toml` states it, typed.

The kinds of department come from the demo city (`city.toml`); this is the rest: which kinds a
government leaves out, the mixes of power types, the vocabularies and templates item names and
charter texts are made from, the wordings clerks use, and the posts and stages of approvals.
"""

from __future__ import annotations

from typing import Any

from loaders.demo import read_data

__all__ = [
    "ANCHORS",
    "APPROVAL_POSTS",
    "DROPPED",
    "ENFORCING_MIX",
    "EXTRA_KIND_LAWS",
    "FILLERS",
    "FUNCTION_CATEGORY",
    "FUNCTION_SLOTS",
    "FUNCTION_TEMPLATES",
    "GENERIC_SUBJECTS",
    "GENERIC_UNITS",
    "MAX_LAWS",
    "NOT_EXERCISED",
    "OPTIONAL_AT_COUNTY",
    "OUTCOMES",
    "PLACE_FIRST",
    "PLACE_SECOND",
    "QUALIFIERS",
    "REWORDINGS",
    "SERVING",
    "SERVING_MIX",
    "SLOTS",
    "STAFF_POSTS",
    "STAGE_PLANS",
    "SUB_ITEMS",
    "TEMPLATES",
    "UNBASED_TEXTS",
    "VOCABULARY",
]

_DATA = read_data("province")


def _words(values: list[str]) -> tuple[str, ...]:
    return tuple(str(value) for value in values)


def _table(table: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {name: _words(values) for name, values in table.items()}


#: the laws a kind lists at most, of those the catalogue gives it
MAX_LAWS: int = _DATA["max_laws"]
#: kinds of department the demo city has that a post-2018 government no longer has
DROPPED: frozenset[str] = frozenset(_DATA["kinds"]["dropped"])
#: kinds a county may not have
OPTIONAL_AT_COUNTY: tuple[str, ...] = _words(_DATA["kinds"]["optional_at_county"])
#: kinds that mostly serve rather than enforce
SERVING: frozenset[str] = frozenset(_DATA["kinds"]["serving"])
#: units a kind gets besides the demo's, up to six
GENERIC_UNITS: tuple[str, ...] = _words(_DATA["kinds"]["generic_units"])
#: laws for kinds that enforce none of the catalogue's
EXTRA_KIND_LAWS: dict[str, tuple[str, ...]] = _table(_DATA["kinds"]["extra_laws"])

#: power type mix of a department that enforces laws, and of one that mostly does not
ENFORCING_MIX: dict[str, float] = _DATA["mix"]["enforcing"]
SERVING_MIX: dict[str, float] = _DATA["mix"]["serving"]

#: per kind: (the things its items are about, whom its items are about)
VOCABULARY: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    kind: (_words(words["roots"]), _words(words["subjects"])) for kind, words in _DATA["vocabulary"].items()
}
GENERIC_SUBJECTS: tuple[str, ...] = _words(_DATA["names"]["generic_subjects"])
PLACE_FIRST: str = _DATA["names"]["place_first"]
PLACE_SECOND: str = _DATA["names"]["place_second"]
STAFF_POSTS: tuple[str, ...] = _words(_DATA["names"]["staff_posts"])
APPROVAL_POSTS: tuple[str, ...] = _words(_DATA["names"]["approval_posts"])

#: the slots of the item name templates, and the templates by type code
SLOTS: dict[str, tuple[str, ...]] = _table(_DATA["slots"])
TEMPLATES: dict[str, tuple[str, ...]] = _table(_DATA["templates"])

FUNCTION_TEMPLATES: tuple[str, ...] = _words(_DATA["functions"]["templates"])
FUNCTION_SLOTS: dict[str, tuple[str, ...]] = _table(_DATA["functions"]["slots"])
FUNCTION_CATEGORY: dict[str, str] = _DATA["functions"]["categories"]
NOT_EXERCISED: tuple[str, ...] = _words(_DATA["functions"]["not_exercised"])

#: the sub-item lists an item of a type code may have
SUB_ITEMS: dict[str, tuple[tuple[str, ...], ...]] = {
    code: tuple(_words(option) for option in options) for code, options in _DATA["sub_items"].items()
}
#: stage sequences of licensing items: (name, role written in the 责任类型 column or "")
STAGE_PLANS: tuple[tuple[tuple[str, str], ...], ...] = tuple(
    tuple((name, role) for name, role in plan) for plan in _DATA["approvals"]["stage_plans"]
)
OUTCOMES: tuple[str, ...] = _words(_DATA["approvals"]["outcomes"])
UNBASED_TEXTS: tuple[str, ...] = _words(_DATA["approvals"]["unbased_texts"])

#: how a clerk rewords a text copying it: phrases reworded, words put in after anchors, qualifiers left out
REWORDINGS: tuple[tuple[str, str], ...] = tuple((old, new) for old, new in _DATA["rewording"]["phrases"])
FILLERS: tuple[str, ...] = _words(_DATA["rewording"]["fillers"])
ANCHORS: tuple[str, ...] = _words(_DATA["rewording"]["anchors"])
QUALIFIERS: tuple[str, ...] = _words(_DATA["rewording"]["qualifiers"])
