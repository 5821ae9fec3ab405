"""Power items read out of real law articles: what a penalty article punishes, what an inspection covers.

Published power lists name most penalties after the offence their article describes
(`对未取得食品生产经营许可从事食品生产经营活动的处罚`), so the demo derives its penalty
items from the penalty articles of real laws, and so can anyone rebuilding `laws.json`.
An article is a dict with `article` (`第一百二十二条`) and `paragraphs` (its 款, and the
enumerated 项 as paragraphs of their own), as stored in `laws.json`.

    >>> article = {"article": "第六十五条", "paragraphs": [
    ...     "违反本条例的规定，未经许可擅自从事道路旅客运输站（场）经营的，由县级以上地方人民政府"
    ...     "交通运输主管部门责令停止经营；有违法所得的，没收违法所得，处2万元以上5万元以下的罚款。"]}
    >>> penalty_of(article, "道路运输条例")
    Penalty(name='对未经许可擅自从事道路旅客运输站（场）经营的处罚', paragraph=1, sub_items=())
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

__all__ = ["Penalty", "competent_of", "penalty_of"]


class Penalty(NamedTuple):
    """A penalty item read from an article: its name, the 款 it is in (1-based) and its 子项."""

    name: str
    paragraph: int
    sub_items: tuple[str, ...]


def penalty_of(article: Mapping[str, Any], short_name: str) -> Penalty | None:
    """The penalty item `article` sets, or None when it sets none a department would list.

    `short_name` is the law's name without 中华人民共和国; it replaces 本法 / 本条例 in names.
    Articles that punish officials, refer to other paragraphs or name no offence are skipped.
    """
    paragraphs: Sequence[str] = article["paragraphs"]
    for index, paragraph in enumerate(paragraphs):
        if _ENUMERATED.match(paragraph):
            continue
        penalty = _penalty_of_paragraph(paragraphs, index, short_name)
        if penalty is not None:
            return penalty
    return None


def competent_of(text: str) -> str | None:
    """The department an article names as the one that acts (`县级以上人民政府…部门`), if any.

    >>> competent_of("由县级以上人民政府食品安全监督管理部门没收违法所得")
    '县级以上人民政府食品安全监督管理部门'
    """
    match = _COMPETENT.search(text)
    return match.group(1) if match else None


_PENALTY_WORDS = re.compile(r"罚款|警告|吊销|没收违法|责令停产停业|暂扣|降低资质等级")
_ENUMERATED = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_OFFICIAL_SUBJECT = re.compile(
    r"工作人员|^县级以上|^国务院|^各级|^有关部门|^[^，]{0,14}(部门|机关)(、|或者|及其|有|未|不|违反)|主管部门的"
)
_REFERENCE = re.compile(
    r"前款|前两款|前三款|本条(?!例)|上述|除[^，]*外|按照第|第[一二三四五六七八九十]+项|依照本"
)
_LEAD = re.compile(r"违反本(法|条例|办法|规定|细则)(第[^，的]*?条[^，的]*?)?(的)?(有关)?规定[，,]?(或者)?")
_LISTED = re.compile(r"(有|存在)下列[^，]*?之一[，,]?(尚不构成犯罪)?$")
_THIS_LAW = re.compile(r"本(法|条例|办法|规定|细则)")
_COMPETENT = re.compile(r"由((?:县级以上|设区的市|市、县)[^，；。由]*?(?:部门|机构|机关))")


def _penalty_of_paragraph(paragraphs: Sequence[str], index: int, short_name: str) -> Penalty | None:
    sentence = paragraphs[index].split("。")[0]
    cut = sentence.find("的，")
    if cut < 0 or not _PENALTY_WORDS.search(sentence[cut:]):
        return None
    head = sentence[:cut]
    lead = _LEAD.search(head)
    head = _LEAD.sub("", head).strip("，,")
    head = re.sub(r"[，,]?尚不构成犯罪$", "", head)
    if _OFFICIAL_SUBJECT.search(head) or _REFERENCE.search(head):
        return None
    listed = _LISTED.search(head)
    if listed:
        return _listed_penalty(paragraphs, index, head[: listed.start()].rstrip("，,"), short_name)
    if not head:
        if lead and lead.group(2):
            return Penalty(f"对违反《{short_name}》{lead.group(2)}规定的处罚", index + 1, ())
        return None
    if head.startswith("有"):
        return None
    offence = _shorten(head)
    if not 6 <= len(offence) <= 60:
        return None
    return Penalty(_finish(f"对{offence}的处罚", short_name), index + 1, ())


def _listed_penalty(paragraphs: Sequence[str], index: int, subject: str, short_name: str) -> Penalty | None:
    clauses = []
    for paragraph in paragraphs[index + 1 :]:
        if not _ENUMERATED.match(paragraph):
            break
        if not _REFERENCE.search(paragraph):
            clauses.append(_clause(paragraph))
    if not clauses:
        return None
    subs = _sub_items(subject, clauses, short_name, 40)
    if len(set(subs)) < len(subs):  # clauses alike up to their first comma: keep more of each
        subs = _sub_items(subject, clauses, short_name, 90)
    subs = tuple(dict.fromkeys(subs))
    if len(clauses) == 1:
        return Penalty(subs[0], index + 1, ())
    first = _shorten(clauses[0], 30).removesuffix("的").removesuffix("等")
    name = _finish(f"对{subject}{first}等行为的处罚", short_name)
    return Penalty(name, index + 1, subs)


def _sub_items(subject: str, clauses: list[str], short_name: str, limit: int) -> tuple[str, ...]:
    return tuple(
        _finish(f"对{subject}{_shorten(c, limit).removesuffix('的')}的处罚", short_name) for c in clauses
    )


def _clause(text: str) -> str:
    text = _ENUMERATED.sub("", text).strip().rstrip("；;。.，,：:")
    return re.sub(r"的$", "", text)


def _shorten(text: str, limit: int = 40) -> str:
    for separator in ("；", "，或者", "，并且", "，且"):
        if separator in text and len(text) > limit:
            text = text.split(separator)[0]
    if len(text) > limit and "，" in text:
        first = text.split("，")[0]
        if len(first) >= 8:
            text = first
    return text


def _finish(name: str, short_name: str) -> str:
    return _THIS_LAW.sub(f"《{short_name}》", name).replace("的的", "的")
