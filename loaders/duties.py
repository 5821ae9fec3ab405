"""Duties the law gives to a kind of department, read from the articles of a law catalogue.

Laws name the department that must do something by its kind, not by its name:

    第五条 …县级以上地方人民政府农业农村主管部门负责本行政区域内的畜牧业监督管理工作。

`extract_duties` reads every clause (a sentence, or a part between ；) of the laws in force and keeps
those that start with a department of a field of work and go on with what it must do:

- the subject: an optional level (县级以上地方人民政府, 设区的市人民政府, 县级人民政府 …), a field
  and a department word (主管部门, 行政部门, 监督管理部门, 部门, 机构), optionally after 由; what
  follows 和其他有关部门 or 会同 is not part of it;
- then an obligation: 负责, 应当, 对…负责, 在各自的职责范围内负责, 依法 …, or 按照…负责;
- the field must be one (`graph.analyses.fields.competent_field` gives words, not 有关 or 相关), and
  the subject a government body (部门, 主管机构, 监督管理机构, 行政机关), not an institution or a
  business (医疗机构, 经营机构);
- 可以 / 有权 (a power, not a duty), 不得 (a prohibition), a department named by its role in a
  procedure (原审批部门, 发证部门: no field to match), a military body (军队…部门), who interprets
  the text (本条例由…负责解释),
  and duties of the State Council's or a province's departments alone (`国务院…部门`,
  `省、自治区、直辖市人民政府…部门`) are left out: a city or county holds none of them.

`add_duties(graph, duties)` records each duty on the Article node (`mandated_duty`, `competent`), for
the laws the graph cites, so that `find_gaps` reports `UNHELD_DUTY` (an article no item cites) and
`MISPLACED` (an item held by a department of another field than the article names) without a
hand-made laws sheet.

    >>> [(competent, duty) for competent, duty, _ in duties_of_text(
    ...     "县级以上地方人民政府农业农村主管部门负责本行政区域内的畜牧业监督管理工作。")]
    [('县级以上地方人民政府农业农村主管部门', '负责本行政区域内的畜牧业监督管理工作')]
    >>> duties_of_text("县级以上人民政府有关部门可以组织评估。")
    []
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from graph import ids
from graph.analyses.fields import competent_field
from graph.model import Edge, Node, Origin
from graph.text import normalize_law_name
from loaders.laws import LawCatalogue
from loaders.readgraph import WorkbookGraph, article_label
from ontology import EdgeKind, NodeKind

__all__ = ["DUTY_RANKS", "Duty", "add_duties", "duties_of_text", "extract_duties"]

#: The ranks of the catalogue whose articles give duties to departments.
DUTY_RANKS = frozenset({"法律", "行政法规", "部门规章"})


@dataclass(frozen=True, slots=True)
class Duty:
    """One duty an article gives to a kind of department."""

    law: str
    """The catalogue key of the law (行政许可法)."""
    title: str
    article: int
    suffix: int | None
    duty: str
    """What the department must do, as the article says it: 负责本行政区域内的畜牧业监督管理工作."""
    competent: str
    """The kind of department, as the article names it: 县级以上地方人民政府农业农村主管部门."""
    clause: str
    """The whole clause the duty was read from."""
    source: str = ""
    """The law text the duty was read from (a file of the catalogue)."""

    @property
    def label(self) -> str:
        return article_label(self.article, self.suffix)


_LEVEL = (
    r"(?:(?:县级以上|设区的市级?|市、县级?|县级|乡、镇|乡镇|地方各级|各级)(?:地方)?(?:各级)?(?:人民政府)?(?:的)?"
    r"|(?:地方)?人民政府(?:的)?)?"
)
_SUBJECT = re.compile(
    r"^(?:由|并由|并|其中，?)?(?P<competent>" + _LEVEL + r"[\u4e00-\u9fff、]{2,24}?"
    r"(?:行政主管部门|主管部门|行政管理部门|监督管理部门|管理部门|行政部门|部门|主管机构|监督管理机构|行政机构|行政机关))"
    r"(?P<duty>(?:应当|负责|依法负责|依照[^，。；]{1,30}?负责|按照[^，。；]{1,30}?负责|"
    r"在各自(?:的)?职责范围内(?:负责)?|在各自职责范围内(?:负责)?|对[^，。；]{1,40}?负责|依法(?:对|实施|履行|组织|开展))"
    r"[^。；]*)"
)
_NOT_PART = re.compile(
    r"(和|及|以及|、|或者|会同|与)(其他|各)?(有关|相关)[\u4e00-\u9fff]*?(部门|机关|单位|机构)$|(会同|与)[^、，]*$"
)
_NATIONAL_ONLY = re.compile(r"^(国务院|国家|中央|省、自治区、直辖市|省级|省人民政府|自治区)")
_VAGUE = re.compile(r"^(有关|相关|其他有关|其他相关|其他)")
_NOT_SUBJECT = re.compile(
    r"应当|可以|负责|不得|或者|及其|人民政府或|政府及|以外|所属|委托|指定|军队|军区|部队|军事|武警"
)
_AFTER_LEVEL = re.compile("^" + _LEVEL)
_PROVINCE = re.compile(r"省、自治区、直辖市|省级|两省一市|省人民政府|自治区人民政府|直辖市人民政府")
#: A department named by its role in a procedure (原审批部门, 发证部门), not by a field of work.
_ROLE = re.compile(
    r"^(原|审批|发证|登记|受理|办案|作出|组织|负责|该|上述|前款|同级|上级|下级|设计|承办|主办|牵头|处理|项目|核准|投诉)"
)


def duties_of_text(text: str) -> list[tuple[str, str, str]]:
    """The (competent, duty, clause) of each duty-giving clause of an article's text."""
    found: list[tuple[str, str, str]] = []
    for clause in re.split(
        r"[。；;\n]",
        re.sub(r"^第[零〇一二两三四五六七八九十百千\d]+条(之[一二三四五六七八九十]+)?\s*", "", text),
    ):
        clause = clause.strip(" \u3000，,")
        if not clause:
            continue
        match = _SUBJECT.match(clause)
        if match is None:
            continue
        if clause.startswith(("本法", "本条例", "本规定", "本办法", "本细则", "本决定")):
            continue  # 本条例由…部门负责解释: who interprets the text, not a duty
        competent = match.group("competent").removeprefix("并由").removeprefix("由")
        if "由" in competent:  # 地震小区划图由国务院地震工作主管部门: the department is after 由
            competent = competent.rsplit("由", 1)[1]
        competent = _NOT_PART.sub("", competent) or competent
        if "的" in competent:  # 受理申请的农业农村主管部门: the department, without the clause before it
            competent = competent.rsplit("的", 1)[1]
        duty = match.group("duty").strip("，, ")
        if (
            _NATIONAL_ONLY.match(competent)
            or _PROVINCE.search(competent)
            or _NOT_SUBJECT.search(competent)
            or _VAGUE.match(_AFTER_LEVEL.sub("", competent))
            or _ROLE.match(_AFTER_LEVEL.sub("", competent))
            or duty.startswith(("可以", "不得", "负责人"))
            or (competent.endswith("有关部门") and "等有关部门" not in competent)
            or (("可以" in duty[:20] or "有权" in duty[:20]) and "应当" not in duty)
            or ("应当" not in duty and not duty.startswith(("负责", "依法", "对", "在各自", "按照", "依照")))
        ):
            continue
        words = competent_field(competent)
        if not words or all(_VAGUE.match(word) for word in words):
            continue
        if duty.startswith("在各自") and len(duty) < 14:
            continue  # 在各自职责范围内 with nothing said of what
        found.append((competent, duty, clause))
    return found


def extract_duties(
    catalogue: LawCatalogue,
    *,
    laws: Collection[str] | None = None,
    on: date | None = None,
    ranks: Collection[str] = DUTY_RANKS,
) -> list[Duty]:
    """The duties the articles of the laws in force give to kinds of department, in law, article order.

    `laws` limits the reading to these law keys (normalised names); `on` is the date the versions
    must be in force on (default today).
    """
    wanted = {normalize_law_name(name) for name in laws} if laws is not None else None
    duties: list[Duty] = []
    for key in sorted(catalogue.laws):
        if wanted is not None and key not in wanted:
            continue
        version = catalogue.in_force(key, on)
        if version is None or catalogue.is_repealed(version) or version.rank not in ranks:
            continue
        for (number, suffix), article in sorted(
            version.articles().items(), key=lambda pair: (pair[0][0], pair[0][1] or 0)
        ):
            source = str(version.files[0]) if version.files else catalogue.source
            for competent, duty, clause in duties_of_text(article.text):
                duties.append(Duty(key, version.title, number, suffix, duty, competent, clause, source))
    return duties


def add_duties(graph: WorkbookGraph, duties: Iterable[Duty], *, cited_only: bool = True) -> WorkbookGraph:
    """`graph` with each duty on its Article node (`mandated_duty`, `competent`), changed in place.

    With `cited_only`, only duties of laws the graph cites are added (a city's lists cite the laws
    that concern its departments; every duty of every law would be noise). Several duties of one
    article are joined with ；, their competent departments with 、.
    """
    cited = {node.id for node in graph.nodes.values() if node.kind is NodeKind.LAW}
    grouped: dict[tuple[str, int, int | None], list[Duty]] = {}
    for duty in duties:
        law = ids.law_id(duty.law)
        if cited_only and law not in cited:
            continue
        grouped.setdefault((duty.law, duty.article, duty.suffix), []).append(duty)
    for (key, number, suffix), found in grouped.items():
        law = ids.law_id(key)
        article = ids.article_id(key, number, suffix)
        origin = Origin(found[0].source or found[0].title, "", found[0].title, number, found[0].label)
        if law not in graph.nodes:
            graph.nodes[law] = Node(law, NodeKind.LAW, {"name": found[0].title, "key": key}, origin)
        old = graph.nodes.get(article)
        props = dict(old.props) if old else {"number": number, "label": article_label(number, suffix)}
        if suffix and not old:
            props["suffix"] = suffix
        props["mandated_duty"] = "；".join(dict.fromkeys(d.duty for d in found))
        props["competent"] = "、".join(dict.fromkeys(d.competent for d in found))
        graph.nodes[article] = Node(article, NodeKind.ARTICLE, props, old.origin if old else origin)
        key_edge = (article, EdgeKind.ARTICLE_OF, law)
        if key_edge not in graph.edges:
            graph.edges[key_edge] = Edge(article, EdgeKind.ARTICLE_OF, law, {}, origin)
    return graph
