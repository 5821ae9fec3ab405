"""Legal-basis gaps found against a law catalogue: unknown laws, missing articles, repealed laws.

A loader that reads a law catalogue (`loaders.laws.attach_catalogue`) records on the graph what the
catalogue says of each cited law and article:

- Law: `in_catalogue` (bool), `expired` (bool: no version of it is in force), `title`, `version`;
- Article: `exists` (bool: whether the version in force has the article; absent when the catalogue
  holds no text to tell).

`find_legal_gaps(reader)` then needs only the graph, so it runs on every store. For each power item
(and function) it reports, once per cited law or article:

- `UNKNOWN_LAW`: it cites a law the catalogue does not hold (severity 2 for a national law or
  regulation, which the catalogue should hold; 1 for a local regulation, a ministry rule or a
  normative document, which it may not);
- `REPEALED_LAW`: it cites a law that has expired (severity 4: the power rests on a void basis);
- `NO_SUCH_ARTICLE`: it cites an article the law in force does not have (severity 3).

A graph whose laws carry no catalogue facts gives no findings.

    gaps = find_legal_gaps(store)
"""

from __future__ import annotations

import re
from collections import defaultdict

from graph.analyses.gap_kinds import Gap, GapKind
from graph.analyses.links import Links
from graph.collector import pausing_collector
from graph.model import Node
from graph.store import GraphReader
from ontology import EdgeKind, NodeKind

__all__ = ["find_legal_gaps", "law_scope"]


_LOCAL = re.compile(
    r"^(北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|"
    r"四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|自治区|省|[\u4e00-\u9fff]{2,4}(市|州|县|盟)[^场政容])"
)
_NATIONAL = re.compile(r"((?<!办)法|条例)$")


def law_scope(name: str) -> str:
    """What kind of text a law's name says it is: 'local' (a province's or a city's), 'national' (a law
    or a State Council regulation: 法, 条例), or 'rule' (a ministry rule, a decision, a normative
    document: 规定, 办法, 决定, 通知 …).

    >>> law_scope("新疆维吾尔自治区道路运输条例"), law_scope("道路运输条例"), law_scope("国际道路运输管理规定")
    ('local', 'national', 'rule')
    """
    if _LOCAL.match(name):
        return "local"
    return "national" if _NATIONAL.search(re.sub(r"[（(][^（）()]*[)）]$", "", name)) else "rule"


@pausing_collector
def find_legal_gaps(reader: GraphReader, *, links: Links | None = None) -> list[Gap]:
    """Every UNKNOWN_LAW, REPEALED_LAW and NO_SUCH_ARTICLE gap, most serious first, then by subject.

    `links` are the reader's `Links` when the caller has them already (what they have read is reused).
    """
    links = Links(reader) if links is None else links
    laws = links.nodes(NodeKind.LAW)
    articles = links.nodes(NodeKind.ARTICLE)
    subjects = {**links.nodes(NodeKind.POWER_ITEM), **links.nodes(NodeKind.FUNCTION)}
    found: list[Gap] = []
    for subject_id, edges in sorted(links.out(EdgeKind.CITES).items()):
        subject = subjects.get(subject_id)
        if subject is None:
            continue
        by_law: dict[str, list[Node]] = defaultdict(list)  # law id -> cited articles (none: the law)
        cited_as: dict[str, list[str]] = defaultdict(list)
        for edge in edges:
            article = articles.get(edge.target)
            law_id = links.first_target(edge.target, EdgeKind.ARTICLE_OF) if article else edge.target
            if law_id is None:
                continue
            if article is not None:
                by_law[law_id].append(article)
            else:
                by_law.setdefault(law_id, [])
            cited_as[law_id].extend(str(text) for text in edge.get("citations", ()))
        department: str | None = None
        for law_id, cited in sorted(by_law.items()):
            law = laws.get(law_id)
            if law is None or not _in_question(law, cited):
                continue
            department = department or _department(links, subject)
            found.extend(_law_gaps(subject, department, law, cited, cited_as[law_id]))
    return sorted(found, key=lambda gap: gap.order)


def _in_question(law: Node, cited: list[Node]) -> bool:
    """Whether citing these articles of `law` makes a gap: the law unknown or expired, or an article missing."""
    return (
        law.get("in_catalogue") is False
        or law.get("expired") is True
        or any(article.get("exists") is False for article in cited)
    )


def _department(links: Links, subject: Node) -> str | None:
    if subject.kind is NodeKind.POWER_ITEM:
        departments = links.departments_of_item(subject.id)
        return departments[0] if departments else None
    return links.first_target(subject.id, EdgeKind.FUNCTION_OF)


def _label(subject: Node) -> str:
    if subject.kind is NodeKind.FUNCTION:
        return f"职能{subject.get('code', '')}“{subject.get('text', '')}”"
    sub = subject.get("sub_item")
    name = f"{subject.get('name', '')}（{sub}）" if sub else str(subject.get("name", ""))
    return f"{subject.get('power_type', '')} {subject.get('code', '')} {name}".strip()


def _name(subject: Node) -> str:
    if subject.kind is NodeKind.FUNCTION:
        return str(subject.get("text") or subject.id)
    sub = subject.get("sub_item")
    return f"{subject.get('name', '')}（{sub}）" if sub else str(subject.get("name") or subject.id)


def _law_gaps(
    subject: Node, department: str | None, law: Node, cited: list[Node], cited_as: list[str]
) -> list[Gap]:
    name = str(law.get("name") or law.id.removeprefix("law:"))
    title = str(law.get("title") or name)
    labels = "、".join(str(a.get("label", "")) for a in sorted(cited, key=lambda a: a.id))
    evidence_base = (
        ("code", str(subject.get("code", ""))),
        ("law", name),
        ("cited as", " | ".join(dict.fromkeys(cited_as))[:300]),
    )
    if law.get("in_catalogue") is False:
        scope = law_scope(name)
        why = {
            "local": "这是地方性法规或文件，国家法规库不收录：请对照地方政府公报核实",
            "rule": "这是部门规章、决定或规范性文件，法规库可能未收录：请对照发布机关公报核实，并确认其仍然有效",
            "national": "同名的国家法律或行政法规应当在库中：请核对名称（可能有错字，或是已更名、已废止法律的旧称）"
            "并更正依据",
        }[scope]
        return [
            Gap(
                GapKind.UNKNOWN_LAW,
                2 if scope == "national" else 1,
                subject.id,
                _name(subject),
                department,
                f"{_label(subject)}引用的《{name}》不在法规库中；{why}。",
                (*evidence_base, ("articles", labels), ("scope", scope)),
            )
        ]
    if law.get("expired") is True:
        version = law.get("version")
        return [
            Gap(
                GapKind.REPEALED_LAW,
                4,
                subject.id,
                _name(subject),
                department,
                f"{_label(subject)}引用的《{title}》"
                + (f"（{version}版）" if version else "")
                + "已经失效：请改引取代它的法律法规，没有的应予取消。",
                (*evidence_base, ("articles", labels), ("version", str(version or ""))),
            )
        ]
    gaps = []
    for article in sorted(cited, key=lambda a: a.id):
        if article.get("exists") is not False:
            continue
        version = law.get("version")
        gaps.append(
            Gap(
                GapKind.NO_SUCH_ARTICLE,
                3,
                subject.id,
                _name(subject),
                department,
                f"{_label(subject)}引用了《{title}》{article.get('label', '')}，但现行文本"
                + (f"（{version}版）" if version else "")
                + "没有这一条：请更正条号（可能沿用了旧版本的条文顺序）。",
                (*evidence_base, ("article", str(article.get("label", ""))), ("version", str(version or ""))),
            )
        )
    return gaps
