"""What the demo city's departments hold: the laws they enforce and the items of their power lists.

Penalties (the bulk of any real list) are read from the penalty articles of the laws each
department enforces (`LAW_HOLDERS`, see `mining.penalty_of`); every other item is written out in
`catalogue.toml`, as published lists word them, with the real article it rests on: its type as
the two-letter code of the power type (`TYPE_CODES`), its basis as `法:条` items joined by `；`
(`城乡规划法:第四十条第一款`, `食品安全法:第三十五条、第三十六条`, `…:第三十条至第三十二条`), the
law named by its short name (no 中华人民共和国), as in `laws.json`. This module gives the data its types.
"""

from __future__ import annotations

from typing import NamedTuple

from loaders.demo import read_data

__all__ = [
    "DUTIES",
    "DUTY_ARTICLES",
    "EXTRA_LAWS",
    "GENERAL_ARTICLES",
    "HAND_ITEMS",
    "LAW_HOLDERS",
    "LAW_SPLITS",
    "MINED_OVERRIDES",
    "PENALTY_CAP",
    "STATUTORY_DAYS",
    "TRADITIONAL_ITEMS",
    "TRIGGERS",
    "TYPE_CODES",
    "UNBASED_ITEMS",
    "DutyArticle",
    "HandItem",
    "parse_basis",
]

_DATA = read_data("catalogue")

TYPE_CODES: dict[str, str] = _DATA["type_codes"]

#: at most this many penalty items are read from one law (evenly spread over its penalty articles)
PENALTY_CAP: int = _DATA["penalty_cap"]


class HandItem(NamedTuple):
    """One written-out item: department key, type code, name, basis [(law, articles)], sub-items."""

    department: str
    type_code: str
    name: str
    basis: tuple[tuple[str, str], ...]
    sub_items: tuple[str, ...]


class DutyArticle(NamedTuple):
    """A law article that imposes a duty (a row of the laws sheet with 规定职责 and 主管部门)."""

    law: str
    article: str
    duty: str
    competent: str


def parse_basis(spec: str) -> tuple[tuple[str, str], ...]:
    """`法:条；法:条` as pairs; `法` alone (no article) gives an empty article.

    >>> parse_basis("城乡规划法:第四十条第一款；土地管理法:第五条")
    (('城乡规划法', '第四十条第一款'), ('土地管理法', '第五条'))
    """
    pairs = []
    for part in spec.split("；"):
        law, _, article = part.strip().partition(":")
        pairs.append((law, article))
    return tuple(pairs)


# Which department enforces (and so lists the penalties of) each law. A law held by two
# departments is split by the competent department its penalty articles name (`LAW_SPLITS`).
LAW_HOLDERS: dict[str, str] = {
    law: department for department, laws in _DATA["law_holders"].items() for law in laws
}

#: a law enforced by two departments: penalty articles naming this competent department go to it
LAW_SPLITS: dict[str, dict[str, str]] = _DATA["law_splits"]

#: statutory limits (working days) where the law sets one other than 行政许可法's twenty days
STATUTORY_DAYS: dict[str, int] = _DATA["statutory_days"]

#: general articles nearly every department cites next to its own basis (weak overlap evidence)
GENERAL_ARTICLES: dict[str, tuple[str, str]] = {
    code: (law, article) for code, (law, article) in _DATA["general_articles"].items()
}

DUTY_ARTICLES: tuple[DutyArticle, ...] = tuple(
    DutyArticle(duty["law"], duty["article"], duty["duty"], duty["competent"])
    for duty in _DATA["duty_articles"]
)

#: items listed with a basis that cites no law (越位 candidates), as users' lists have them
UNBASED_ITEMS: tuple[tuple[str, str, str, str], ...] = tuple(
    (item["department"], item["type"], item["name"], item["basis"]) for item in _DATA["items"]["unbased"]
)

#: penalty articles listed by another department than the law's holder (planted 错位)
MINED_OVERRIDES: dict[tuple[str, str], str] = {
    (override["law"], override["article"]): override["department"]
    for override in _DATA["items"]["mined_overrides"]
}

#: items one department writes in traditional script (users' data arrives that way)
TRADITIONAL_ITEMS: set[tuple[str, str]] = {
    (department, name) for department, name in _DATA["items"]["traditional"]
}

#: laws cited that are not in the national extract (local regulations, ministry rules)
EXTRA_LAWS: dict[str, str] = _DATA["extra_laws"]

HAND_ITEMS: tuple[HandItem, ...] = tuple(
    HandItem(
        item["department"],
        item["type"],
        item["name"],
        parse_basis(item["basis"]),
        tuple(item.get("sub_items", ())),
    )
    for item in _DATA["items"]["written"]
)

#: what each kind of power makes its holder do (责任事项), as published lists word it
DUTIES: dict[str, tuple[str, ...]] = {
    power_type: tuple(texts) for power_type, texts in _DATA["duties"].items()
}

#: when the holder is held to account (追责情形), as published lists word it
TRIGGERS: dict[str, str] = _DATA["triggers"]
