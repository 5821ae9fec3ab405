"""Verdicts on overlaps: which of them the office must act on (spec analyses.md, "Verdicts").

Evidence (the same name, a rare article, close wording) says that two departments touch the same
matter; on real lists most such pairs are not two departments doing one job. Each overlap gets a
verdict from what the two items (or functions) say:

- `OVERLAP`: the same conduct on the same objects, and nothing in either name that draws a line
  (`对拒绝阻碍安全生产监督检查的处罚` in two departments, citing the same article);
- `BOUNDARY`: one side names a sector or object that the other does not
  (`对使用不符合标准的船舶用燃油的处罚` and `对渔业船舶使用……渔业船舶用燃油的处罚`; `社会保险登记` and
  `医疗保险登记`). The division is probably real but unstated: the general side (the one naming no
  sector) should state its boundary, and the overlap names it (`general`);
- `DIVIDED`: each names its own, different sector or object in the same place (`农作物种子` and
  `林草种子`), they do different things to the same objects (`采集` and `出售、收购`), they cite different
  paragraphs or items of the article they share, or each punishes the obstruction of its own
  inspections under its own law.

How a name is read
------------------
A name is normalised (`graph.text.normalize`) and its frame taken off: a leading `对`, a trailing power
type (`的行政处罚`, `的处罚`, `的行政强制` …) and the words that never tell two matters apart (`的`, `行为`,
`等`, `违法`, `相关` …). What is left is the *core*. Qualifiers are found in the core:

- a sector named with `领域`, `行业` or `方面` (`交通运输领域`, `交通运输建设工程领域`);
- a word of the qualifier lexicon (`QUALIFIERS`: the sectors and objects by which departments divide
  the work: `农作物`, `林草`, `渔业`, `水生`, `医疗`, `煤矿`, `人民防空` …);
- a word *learned from the lists themselves*: where the names of two departments are equal but
  for short insertions on one side (`对……船舶……` and `对渔业船舶……`), the insertions are qualifiers,
  and they count in every other pair of that government too (never in another's: a government's
  overlaps are its own, whatever else is analysed beside it).

The two cores are aligned (`difflib.SequenceMatcher`, characters); a qualifier is *one-sided* when the
other core does not contain it. Conduct is the set of acts named (`ACTS`: `采集`, `出售`, `收购`, `转让`,
`伪造` …), after compound nouns that contain an act (`安全生产`, `生产经营单位`) are set aside.

The rules, in order
-------------------
1. Both cite parts (款, 项) of an article they share, and for every shared article the parts are
   disjoint: `DIVIDED` (different clauses of one article).
2. Both obstruct inspections (`拒绝`, `阻碍` … `检查`) and share no article: `DIVIDED` (each
   department's own inspections, under its own law).
3. Both name acts and none is shared, while the rest of the two cores is close: `DIVIDED`.
4. Both have one-sided qualifiers, aligned in the same place (a replaced segment holding a qualifier
   on each side: `农作物种子` / `林草种子`), or each matching its own department's field of work
   (`graph.analyses.fields`): `DIVIDED`.
5. One side has one-sided qualifiers (or only one side's match its department's field): `BOUNDARY`,
   the general side being the other.
6. Otherwise `OVERLAP`.
A declared joint item (`JOINT`) is an `OVERLAP`: one item shared by several departments whose lists do
not say who does which part. The verdict's reason, in Chinese, says which rule decided and on which
words; it is the last line of the overlap's evidence.

Everything here runs on the pairs the overlap finders produced, never on all pairs: a province's
tens of thousands of overlaps are judged in well under a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum

from graph.text import normalize

__all__ = ["ACTS", "QUALIFIERS", "Judgement", "OverlapVerdict", "Side", "core", "judge_overlaps"]


class OverlapVerdict(StrEnum):
    """What the overlap is, as the GraphQL enum `OverlapVerdict` names it.

    `OVERLAP`: the same conduct on the same objects, nothing drawing a line between the two;
    `BOUNDARY`: one side names a sector or object the other does not (the general side should state
    its boundary); `DIVIDED`: each names its own sector or object, or they do different things.
    """

    OVERLAP = "OVERLAP"
    BOUNDARY = "BOUNDARY"
    DIVIDED = "DIVIDED"


@dataclass(frozen=True, slots=True)
class Side:
    """One subject of an overlap as the verdict reads it."""

    id: str
    name: str  # as written, with its sub-item
    power_type: str | None  # None for a function
    departments: tuple[str, ...]
    parts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # article -> parts cited, () = whole
    fields: tuple[str, ...] = ()  # the fields of work of its departments (graph.analyses.fields)
    government: str = ""
    sub_item: str | None = None


@dataclass(frozen=True, slots=True)
class Judgement:
    """A verdict, the general side of a boundary (a subject id), and why, in Chinese."""

    verdict: OverlapVerdict
    general: str | None
    reason: str


# The sectors and objects by which departments divide work, as list names write them in front of
# what they qualify. Only words that mark a sector: not 建筑 (建筑材料 is an object anywhere), not 农村.
QUALIFIERS: tuple[str, ...] = (
    # agriculture, forestry, fisheries
    "农作物", "林木", "林草", "林业", "草原", "草种", "水生", "陆生", "渔业", "渔港", "农业", "农用地",
    "食用农产品", "畜禽", "种畜禽", "兽药", "饲料", "农药", "肥料", "蜂",
    # social insurance and health
    "医疗保险", "医疗", "医保", "工伤", "失业", "生育", "养老", "职业病", "医疗机构", "药品", "医疗器械",
    "化妆品", "保健食品", "食品", "特殊医学用途", "婴幼儿配方",
    # industry, mines, dangerous goods
    "煤矿", "非煤矿山", "矿山", "金属冶炼", "烟花爆竹", "民用爆炸物品", "特种设备", "放射性",
    # transport
    "交通运输", "公路", "水运", "水路", "港口", "航道", "铁路", "民航", "城市轨道交通", "道路运输", "海事",
    "内河", "机动车", "船舶", "非道路移动机械",
    # building and towns
    "人民防空", "人防", "房屋", "市政", "园林", "绿化", "燃气", "供水", "城镇排水", "水利", "河道",
    # culture, education and others
    "文物", "宗教", "旅游", "体育", "广播电视", "新闻出版", "出版", "电影", "印刷", "互联网", "网络", "电信",
    "无线电", "气象", "地震", "消防", "教育", "学校", "校外培训", "托育",
)  # fmt: skip

# Acts a name can accuse, when two items on the same objects accuse different ones.
ACTS: tuple[str, ...] = (
    "采集", "采挖", "出售", "收购", "购买", "运输", "携带", "寄递", "邮寄", "进口", "出口", "加工", "利用",
    "猎捕", "捕捞", "杀害", "转让", "出租", "出借", "伪造", "变造", "涂改", "冒用", "倒卖", "买卖", "倾倒",
    "占用", "开垦", "砍伐", "滥伐", "盗伐", "毁坏", "驯养", "繁育", "引进", "放生", "丢弃", "转包", "分包",
    "泄露", "串通", "未取得",
)  # fmt: skip

# Compound nouns that contain an act but name none (安全生产, 运输工具); set aside before acts are read.
_NOT_ACTS = re.compile(
    r"安全生产|生产安全|生产经营单位|生产经营者|经营者|使用权人|运输工具|运输企业|道路运输|水路运输|交通运输"
    r"|运输经营|加工企业|利用率|出版|转让方|受让|分包单位|分包人"
)
_SECTOR = re.compile(
    r"([^对在与和及或、，,的（()）]{2,8}?)(?:建设工程|工程建设|建设)?(?:领域|行业(?!标准|协会|组织|主管))"
)
_LEADING = re.compile(r"^(对|关于)")
_TRAILING = re.compile(
    r"(等)?(违法|违规)?(行为|活动|情形|情况)?(的)*(行政)?"
    r"(处罚|强制措施|强制|监督检查|检查|许可|确认|征收|征用|给付|裁决|奖励|备案|登记|审批|核准)*$"
)
# Words that never tell two matters apart; removed from the cores.
_NOISE = re.compile(
    r"等违法行为|违法行为|等行为|行为|违法|违规|相关|有关|依法|按照|按|规定|或者|以及|或|及|和|与|的|等"
    r"|[^\w]|_"
)
_OBSTRUCTION = re.compile(r"(拒绝|阻碍|阻挠|妨碍|拒不配合|拒不接受|不配合|逃避).{0,20}(检查|调查|执法|监督)")
_QUALIFIER_STARTS = tuple(QUALIFIERS)
_SEPARATOR = "\ue000"  # joins names for one pass of normalisation; private use, never in a name
_PERSONS = re.compile(r"责任人员|负有责任的?.{0,8}人员|直接负责的主管人员|直接责任人")
_CLOSE_REST = 0.5  # how close the rest of two cores must be for different acts to divide them
_LEARNED_MAX = 6  # the longest insertion learned as a qualifier, in characters
_OWN_ITEMS = 2  # a learned qualifier is said by at least this many of its department's items
_OWN_SHARE = 0.75  # and by at least this share of the items that say it


def core(name: str) -> str:
    """`name` without its frame and the words that tell no two matters apart, normalised.

    >>> core("对使用不符合标准或者要求的船舶用燃油行为的行政处罚")
    '使用不符合标准要求船舶用燃油'
    >>> core("對農作物種子生產經營許可")
    '农作物种子生产经营'
    """
    return _core_of(normalize(name))


def _core_of(normal: str) -> str:
    """`core` of a name already normalised."""
    text = _LEADING.sub("", normal)
    text = _TRAILING.sub("", text)
    return _NOISE.sub("", text)


def judge_overlaps(
    pairs: Sequence[tuple[Side, ...]],
    department_names: Mapping[str, str],
    lists: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
) -> list[Judgement]:
    """One judgement per overlap's subjects (two sides, or one joint item), in order.

    `lists` gives, per government, the names of each department's items (as written), for learning
    qualifiers: an insertion by which two otherwise equal names differ is learned when it is its
    department's own word (at least `_OWN_ITEMS` of the department's items say it, and `_OWN_SHARE` of
    the items of that government that say it are that department's), so that a word every list uses
    (`进行`, `安全`) is never taken for a sector. Qualifiers are learned from all of `pairs` first, so
    each pair is judged with what every other pair of its government taught."""
    readings = {side.id: _Reading.of(side) for sides in pairs for side in sides}
    learned = _learned_qualifiers(
        ((readings[s[0].id], readings[s[1].id]) for s in pairs if len(s) == 2), lists or {}
    )
    judges: dict[str, _Judge] = {}

    def judge_of(government: str) -> _Judge:
        found = judges.get(government)
        if found is None:
            found = judges[government] = _Judge(learned.get(government, frozenset()), department_names)
        return found

    judgements = []
    for sides in pairs:
        judge = judge_of(sides[0].government)
        if len(sides) == 2:
            judgements.append(judge.pair(readings[sides[0].id], readings[sides[1].id]))
        else:
            judgements.append(judge.joint(sides))
    return judgements


# -- reading a name ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    side: Side
    normal: str  # the name, normalised
    core: str
    acts: frozenset[str]
    sectors: tuple[str, ...]  # named with 领域 / 行业 / 方面
    obstruction: bool
    persons: bool  # punishes the persons responsible for a unit's wrong (责任人员)

    @classmethod
    def of(cls, side: Side) -> _Reading:
        normal = normalize(side.name)
        text = _core_of(normal)
        plain = _NOT_ACTS.sub("", text)
        acts = frozenset(act for act in ACTS if act in plain)
        sectors = tuple(dict.fromkeys(filter(None, map(_sector, _SECTOR.finditer(normal)))))
        obstruction = bool(_OBSTRUCTION.search(normal))
        persons = bool(_PERSONS.search(normal))
        return cls(side, normal, text, acts, sectors, obstruction, persons)


def _sector(match: re.Match[str]) -> str:
    """The sector a `领域` phrase names: from the first qualifier word of the run before it on (收受交通运输
    -> 交通运输, 公路水运 -> 公路水运), or the whole run when it is short and names none."""
    run = match.group(1)
    for start in range(len(run) - 1):
        if run[start:].startswith(_QUALIFIER_STARTS):
            return run[start:]
    return run if len(run) <= 4 else ""


def _learned_qualifiers(
    pairs: Iterable[tuple[_Reading, _Reading]], lists: Mapping[str, Mapping[str, Sequence[str]]]
) -> dict[str, frozenset[str]]:
    """By government: the short insertions by which otherwise equal cores of two of its departments
    differ, that are the inserting department's own words (see `judge_overlaps`)."""
    # government -> word -> the departments that inserted it
    candidates: dict[str, dict[str, set[str]]] = {}
    for a, b in pairs:
        if not a.core or not b.core or a.core == b.core:
            continue
        inserted = _pure_insertions(a.core, b.core)
        if inserted is None:
            continue
        words, side = inserted
        inserting = (a, b)[side].side
        for word in words:
            if 2 <= len(word) <= _LEARNED_MAX and not _has_act(word):
                by_word = candidates.setdefault(inserting.government, {})
                by_word.setdefault(word, set()).update(inserting.departments)
    learned: dict[str, frozenset[str]] = {}
    for government, by_word in candidates.items():
        own: set[str] = set()
        # one government at a time, each department's names normalised in one pass
        joined = {d: normalize(_SEPARATOR.join(names)) for d, names in lists.get(government, {}).items()}
        for word, inserting_departments in by_word.items():
            counts = {
                d: sum(1 for name in text.split(_SEPARATOR) if word in name) if word in text else 0
                for d, text in joined.items()
            }
            total = sum(counts.values())
            if any(counts.get(d, 0) >= max(_OWN_ITEMS, _OWN_SHARE * total) for d in inserting_departments):
                own.add(word)
        learned[government] = frozenset(own)
    return learned


def _pure_insertions(a: str, b: str) -> tuple[list[str], int] | None:
    """The segments inserted into one core to give the other, when that is all that differs, and
    which side has them (0: `a`, 1: `b`); None otherwise."""
    inserted_a: list[str] = []
    inserted_b: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            inserted_a.append(a[i1:i2])
        elif tag == "insert":
            inserted_b.append(b[j1:j2])
        else:
            return None
    if inserted_a and inserted_b:
        return None
    return (inserted_a, 0) if inserted_a else (inserted_b, 1)


def _has_act(text: str) -> bool:
    plain = _NOT_ACTS.sub("", text)
    return any(act in plain for act in ACTS)


# -- judging ----------------------------------------------------------------------------------


class _Judge:
    def __init__(self, learned: frozenset[str], department_names: Mapping[str, str]) -> None:
        # longest first, so that 医疗保险 is found before 医疗 and 交通运输 before 运输
        self.words = tuple(sorted({*QUALIFIERS, *learned}, key=lambda w: (-len(w), w)))
        self.lexicon = frozenset(QUALIFIERS)
        self.names = department_names

    def joint(self, sides: Sequence[Side]) -> Judgement:
        names = "、".join(self.names.get(d, d) for side in sides for d in side.departments)
        return Judgement(
            OverlapVerdict.OVERLAP, None, f"判定为交叉：联合实施事项，{names}之间的分工未在清单中写明"
        )

    def pair(self, a: _Reading, b: _Reading) -> Judgement:
        divided = (
            self._different_parts(a, b)
            or self._own_inspections(a, b)
            or self._different_sub_items(a, b)
            or self._different_addressees(a, b)
            or self._different_acts(a, b)
        )
        if divided:
            return Judgement(OverlapVerdict.DIVIDED, None, "判定为已分工：" + divided)
        only_a, only_b = self._one_sided(a, b), self._one_sided(b, a)
        if only_a and only_b:
            own_a, own_b = self._own_field(a, only_a), self._own_field(b, only_b)
            if own_a == own_b or self._aligned(a, b, only_a, only_b):
                return Judgement(
                    OverlapVerdict.DIVIDED,
                    None,
                    f"判定为已分工：{self._who(a)}限定“{'、'.join(only_a)}”，{self._who(b)}限定“{'、'.join(only_b)}”，"
                    "各管各的领域或对象",
                )
            # qualifiers on both sides, in different places, and only one of them its department's own
            # field of work: that one is the specific side
            if own_a:
                only_b = ()
            else:
                only_a = ()
        if only_a:
            return self._boundary(specific=a, general=b, words=only_a)
        if only_b:
            return self._boundary(specific=b, general=a, words=only_b)
        return Judgement(
            OverlapVerdict.OVERLAP, None, "判定为交叉：两项的行为和对象相同，双方均未写明领域或对象的界限"
        )

    # the rules

    def _different_parts(self, a: _Reading, b: _Reading) -> str:
        shared = set(a.side.parts) & set(b.side.parts)
        if not shared:
            return ""
        for article in shared:
            parts_a, parts_b = a.side.parts[article], b.side.parts[article]
            if not parts_a or not parts_b or set(parts_a) & set(parts_b):
                return ""
            if _contains(parts_a, parts_b) or _contains(parts_b, parts_a):
                return ""
        article = min(shared)
        return (
            f"两项引用同一条文的不同款项（{self._who(a)}：{'、'.join(a.side.parts[article])}；"
            f"{self._who(b)}：{'、'.join(b.side.parts[article])}），所管行为不同"
        )

    def _own_inspections(self, a: _Reading, b: _Reading) -> str:
        """Both punish obstructing inspections: a department punishes the obstruction of its own
        inspections only, so two such items never do one job (whether the two inspections overlap is
        a question for the inspection items)."""
        if not (a.obstruction and b.obstruction):
            return ""
        return "两项都是对拒绝、阻碍本部门依法检查的处罚，各管各的检查"

    def _different_sub_items(self, a: _Reading, b: _Reading) -> str:
        """Both name sub-items, and the sub-items are different acts (参保登记 / 注销登记)."""
        sub_a, sub_b = core(a.side.sub_item or ""), core(b.side.sub_item or "")
        if not sub_a or not sub_b or _containment(sub_a, sub_b) >= _CLOSE_REST:
            return ""
        return f"两项的子项不同（{self._who(a)}：{a.side.sub_item}；{self._who(b)}：{b.side.sub_item}）"

    def _different_addressees(self, a: _Reading, b: _Reading) -> str:
        """One punishes the persons responsible for a unit's wrong, the other the unit's own act."""
        if a.persons == b.persons:
            return ""
        persons, unit = (a, b) if a.persons else (b, a)
        return f"{self._who(persons)}处罚的是单位违法的责任人员，{self._who(unit)}处罚的是单位的违法行为"

    def _different_acts(self, a: _Reading, b: _Reading) -> str:
        if not a.acts or not b.acts or a.acts & b.acts:
            return ""
        rest_a, rest_b = _without(a.core, a.acts), _without(b.core, b.acts)
        if _containment(rest_a, rest_b) < _CLOSE_REST:
            return ""
        return (
            f"两项针对同一对象的不同行为（{self._who(a)}：{'、'.join(sorted(a.acts))}；"
            f"{self._who(b)}：{'、'.join(sorted(b.acts))}）"
        )

    def _one_sided(self, this: _Reading, other: _Reading) -> tuple[str, ...]:
        """The qualifiers `this` names that `other` does not contain."""
        other_text = other.normal
        found = [sector for sector in this.sectors if sector not in other_text]
        found += [
            word
            for word in self.words
            if word in this.core and word not in other_text and self._qualifies(word, other_text)
        ]
        distinct = dict.fromkeys(found)
        return tuple(w for w in distinct if not any(w != longer and w in longer for longer in distinct))

    def _qualifies(self, word: str, other_text: str) -> bool:
        """Whether a word found on one side only tells the sides apart: a word of the lexicon always; a
        learned one when what it adds to the other's words is a qualifier itself (水利工程设施 against
        水利设施 adds 工程, a wording; 渔业船舶 against 船舶 adds 渔业)."""
        if word in self.lexicon:
            return True
        added = _not_in(word, other_text)
        return added == word or any(q in added for q in self.words if q != word)

    def _aligned(self, a: _Reading, b: _Reading, only_a: tuple[str, ...], only_b: tuple[str, ...]) -> bool:
        """Whether a qualifier of each side stands in the same place: one replaced segment holds both."""
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, a.core, b.core, autojunk=False).get_opcodes():
            if tag != "replace":
                continue
            segment_a, segment_b = a.core[max(i1 - 3, 0) : i2 + 3], b.core[max(j1 - 3, 0) : j2 + 3]
            if any(w in segment_a for w in only_a) and any(w in segment_b for w in only_b):
                return True
        return False

    def _own_field(self, reading: _Reading, words: tuple[str, ...]) -> bool:
        fields = reading.side.fields
        return any(word in f or f in word for word in words for f in fields if len(f) >= 2)

    def _boundary(self, *, specific: _Reading, general: _Reading, words: tuple[str, ...]) -> Judgement:
        return Judgement(
            OverlapVerdict.BOUNDARY,
            general.side.id,
            f"判定为边界未明：{self._who(specific)}的事项限定了“{'、'.join(words)}”，"
            f"{self._who(general)}的事项未作限定，应在其清单中写明职责边界",
        )

    def _who(self, reading: _Reading) -> str:
        return "、".join(self.names.get(d, d) for d in reading.side.departments)


def _not_in(word: str, text: str) -> str:
    """The characters of `word` not covered by a run of two or more of them that `text` contains."""
    covered = [False] * len(word)
    for start in range(len(word) - 1):
        end = start + 2
        while end <= len(word) and word[start:end] in text:
            end += 1
        if end - 1 - start >= 2:
            covered[start : end - 1] = [True] * (end - 1 - start)
    return "".join(char for char, hit in zip(word, covered, strict=True) if not hit)


def _contains(parts: tuple[str, ...], others: tuple[str, ...]) -> bool:
    """Whether a part of `parts` contains one of `others` (第一款 contains 第一款第二项)."""
    return any(o.startswith(p) for p in parts for o in others)


def _without(text: str, words: Iterable[str]) -> str:
    for word in words:
        text = text.replace(word, "")
    return text


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text} if text else set()


def _containment(a: str, b: str) -> float:
    """The share of the shorter text's bigrams found in the other."""
    set_a, set_b = _bigrams(a), _bigrams(b)
    if not set_a or not set_b:
        return 0.0
    return len(set_a & set_b) / min(len(set_a), len(set_b))
