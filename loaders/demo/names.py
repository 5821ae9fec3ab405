"""Names the generator gives people and posts: fictional persons' names, and the titles of unit heads.

Both scales name people the same way, a surname and one or two given-name characters drawn from
`city.toml`'s `names`, and unit heads after what their unit is called (a 支队 is led by its 支队长).

    >>> import random
    >>> person_name(random.Random(1))
    '孔雨'
    >>> unit_head_title("治安管理支队"), unit_head_title("预算科")
    ('支队长', '科长')
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from loaders.demo.city import GIVEN_NAME_CHARACTERS, SURNAMES

__all__ = ["NameSource", "person_name", "unit_head_title"]


def person_name(rng: random.Random) -> str:
    """A fictional name: one or two given-name characters (drawn first), after a surname."""
    given = "".join(rng.choice(GIVEN_NAME_CHARACTERS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


class NameSource:
    """Unique fictional names: `person_name`s nobody has yet."""

    def __init__(self, rng: random.Random, taken: Iterable[str]) -> None:
        self.rng, self.taken = rng, set(taken)

    def new(self) -> str:
        """A name nobody has yet."""
        while True:
            name = person_name(self.rng)
            if name not in self.taken:
                self.taken.add(name)
                return name


def unit_head_title(unit: str) -> str:
    """The title of the head of `unit`: 支队长, 大队长, 主任 (of a 中心 or a 室), 股长, else 科长."""
    for suffix, title in _HEAD_TITLES:
        if unit.endswith(suffix):
            return title
    return "科长"


_HEAD_TITLES = (("支队", "支队长"), ("大队", "大队长"), ("中心", "主任"), ("室", "主任"), ("股", "股长"))
