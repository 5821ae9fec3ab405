"""Item names and charter texts of a kind of department, made from its vocabulary, and a clerk's edits of them.

Names follow templates of real wording (`对{主体}{违法行为}的处罚`, `{事项}许可`, `{对象}监督检查`),
filled with the kind's own roots and subjects, so two departments' texts are rarely alike.

    >>> import random
    >>> from loaders.demo.province.kinds import kinds
    >>> market = next(kind for kind in kinds() if kind.key == "市场监督管理局")
    >>> Namer(random.Random(3)).item(market, "XK").endswith(("许可", "审批", "核准", "认定", "延续", "换发"))
    True
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from loaders.demo.province.kinds import Kind
from loaders.demo.province.vocabulary import (
    ANCHORS,
    FILLERS,
    FUNCTION_SLOTS,
    FUNCTION_TEMPLATES,
    GENERIC_SUBJECTS,
    QUALIFIERS,
    REWORDINGS,
    SLOTS,
    TEMPLATES,
)

__all__ = ["Namer", "edit"]


class Namer:
    """Makes item names and function texts of one kind of department from its vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.slot_names = {
            template: [name for name in SLOTS if "{" + name + "}" in template]
            for templates in TEMPLATES.values()
            for template in templates
        }

    def item(self, kind: Kind, type_code: str, roots: Sequence[str] | None = None) -> str:
        """A name for an item of this kind and type; with `roots`, about one of them and a generic subject."""
        rng = self.rng
        template = rng.choice(TEMPLATES[type_code])
        slots = {name: rng.choice(SLOTS[name]) for name in self.slot_names[template]}
        root = rng.choice(roots or kind.roots)
        specific = roots is None and rng.random() < 0.7
        subject = rng.choice(kind.subjects) if specific else rng.choice(GENERIC_SUBJECTS)
        text = template.format(r=root, s=subject, **slots)
        if type_code == "CF":
            text = f"对{subject}{text}的处罚" if rng.random() < 0.7 else f"对{text}的处罚"
        return text

    def function(self, kind: Kind, scope: str) -> tuple[str, tuple[str, ...]]:
        """A charter text and the roots it names."""
        rng = self.rng
        first, second = rng.sample(kind.roots, 2)
        template = rng.choice(FUNCTION_TEMPLATES)
        slots = {name: rng.choice(words) for name, words in FUNCTION_SLOTS.items()}
        return template.format(scope=scope, r1=first, r2=second, **slots), (first, second)


def edit(text: str, rng: random.Random) -> str:
    """One edit a clerk makes copying a text: a phrase reworded, a word put in front of a phrase, or a
    qualifier left out."""
    roll = rng.random()
    options = [(old, new) for old, new in REWORDINGS if old in text]
    if options and roll < 0.55:
        old, new = rng.choice(options)
        return text.replace(old, new, 1)
    anchors = [anchor for anchor in ANCHORS if anchor in text]
    if anchors and roll < 0.85:
        anchor = rng.choice(anchors)
        return text.replace(anchor, anchor + rng.choice(FILLERS), 1)
    dropped = [word for word in QUALIFIERS if word in text]
    if dropped:
        return text.replace(rng.choice(dropped), "", 1)
    if text.endswith(("的处罚", "的检查", "的奖励")):
        return text[:-3] + "行为" + text[-3:]
    return text if text.endswith(("事项", "工作")) else text + rng.choice(("事项", "工作"))
