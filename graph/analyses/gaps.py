"""Gaps: 缺位, 越位, 错位, broken responsibility chains and staffing problems (shared/spec/analyses.md).

`find_gaps(reader, at=…)` returns every gap as a `Gap`: its kind, a severity
from 1 to 5, the node it is about, its department, a sentence a staffing officer
can act on (in Chinese, the language of the lists and of their readers), and the
evidence as (label, value) pairs, and its stable `id` (`Gap.id`). Everything that
depends on holdings is judged on the reference date `at`. Gaps are ordered most
serious first, then by kind and subject.

    gaps = find_gaps(store, at=date(2026, 11, 28), kinds={GapKind.NO_HEAD})

Every kind is computed in one pass over the nodes and edges it needs, so the
whole analysis is linear in the size of the graph.

A graph with no staffing data at all (no posts, holdings or quotas: a folder of published lists)
gets no staffing gaps: every department would be `NO_HEAD`. `gaps_not_computed(reader)` says which
kinds `find_gaps` left out, and why:

    gaps_not_computed(store)   # [NotComputed(GapKind.VACANT_POST, "…"), NotComputed(GapKind.NO_HEAD, "…"), …]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from graph import progress
from graph.analyses.fields import competent_field, department_fields
from graph.analyses.gap_kinds import STAFFING_KINDS, Gap, GapKind
from graph.analyses.legal import find_legal_gaps
from graph.analyses.links import Links
from graph.analyses.mandate import MandateMatch, match_mandates
from graph.analyses.staffing import ADMIN_QUOTA, INSTITUTION_QUOTA, placements
from graph.collector import pausing_collector
from graph.elsewhere import Pending, in_a_second_process
from graph.identity import SubjectIdentities
from graph.memory import MemoryStore
from graph.model import Node
from graph.store import GraphReader
from graph.subgraph import Subgraph
from ontology import EdgeKind, NodeKind, PostCategory

__all__ = [
    "STAFFING_KINDS",
    "Gap",
    "GapKind",
    "NotComputed",
    "find_gaps",
    "find_gaps_of_kinds",
    "gaps_not_computed",
    "has_staffing_data",
    "unheld_duties",
]


HEAD = PostCategory.HEAD
DEFAULT_MANDATE_THRESHOLD = 0.2
#: power items from which charters are matched in a second process (graph/elsewhere.py): below, the fork
#: costs more than it saves
SECOND_PROCESS_FROM = 50_000
#: the share of the power items whose charters the second process matches: it has no other work, and this
#: process has every other kind of gap (measured at 100,000 items: charters are ~57% of the whole)
SECOND_PROCESS_SHARE = 0.85
MANDATE_KINDS = frozenset({GapKind.FUNCTION_NOT_EXERCISED, GapKind.POWER_OUTSIDE_MANDATE})
LEGAL_KINDS = frozenset({GapKind.UNKNOWN_LAW, GapKind.NO_SUCH_ARTICLE, GapKind.REPEALED_LAW})
QUOTA_KINDS = frozenset(
    {GapKind.OVER_QUOTA, GapKind.GHOST_PAYROLL, GapKind.MIXED_QUOTA, GapKind.CONCURRENT_POSTS}
)
#: The department properties that are quotas (编制): staffing data even without posts.
QUOTA_PROPERTIES = ("admin_quota", "institution_quota", "leader_quota")
NO_STAFFING_DATA = (
    "数据中没有任何岗位、任职或编制信息（例如只有公布的权责清单），无法判断人员配备，此类问题未计算"
)


@dataclass(frozen=True, slots=True)
class NotComputed:
    """A kind of gap `find_gaps` did not compute for a graph, and why (in Chinese, as the findings)."""

    kind: GapKind
    reason: str


def has_staffing_data(reader: GraphReader) -> bool:
    """Whether the graph holds any staffing data: a post, a holding, or a department with a quota."""
    if reader.count(NodeKind.POST) or reader.count(NodeKind.HOLDING):
        return True
    return any(
        department.get(prop) is not None
        for department in reader.nodes(NodeKind.DEPARTMENT)
        for prop in QUOTA_PROPERTIES
    )


def gaps_not_computed(reader: GraphReader, kinds: Collection[GapKind] | None = None) -> list[NotComputed]:
    """The kinds of gap (of `kinds`, all when None) that `find_gaps` leaves out for this graph, and why:
    the staffing kinds and `NO_HEAD` when the graph has no staffing data at all. In `GapKind` order.

        >>> gaps_not_computed(MemoryStore())[0]                                    # doctest: +SKIP
        NotComputed(kind=<GapKind.VACANT_POST: 'VACANT_POST'>, reason='数据中没有任何岗位……')
    """
    wanted = set(GapKind) if kinds is None else set(kinds)
    if not wanted & STAFFING_KINDS or has_staffing_data(reader):
        return []
    return [NotComputed(kind, NO_STAFFING_DATA) for kind in GapKind if kind in wanted & STAFFING_KINDS]


@pausing_collector
def find_gaps(
    reader: GraphReader,
    *,
    at: date,
    kinds: Collection[GapKind] | None = None,
    department: str | None = None,
    mandate_threshold: float = DEFAULT_MANDATE_THRESHOLD,
) -> list[Gap]:
    """Every gap of the given kinds (all when None), of one department id when given, on the date `at`.

    `mandate_threshold` is the least match score (0 to 1) between a charter
    function and a power item for the one to count as carrying out the other.
    The kinds `gaps_not_computed` names (the staffing kinds, on a graph without staffing
    data) are left out.
    """
    wanted = set(GapKind) if kinds is None else set(kinds)
    wanted -= {skipped.kind for skipped in gaps_not_computed(reader, wanted)}
    return find_gaps_of_kinds(
        reader, at=at, kinds=wanted, department=department, mandate_threshold=mandate_threshold
    )


@pausing_collector
def find_gaps_of_kinds(
    reader: GraphReader,
    *,
    at: date,
    kinds: Collection[GapKind],
    department: str | None = None,
    mandate_threshold: float = DEFAULT_MANDATE_THRESHOLD,
    links: Links | None = None,
) -> list[Gap]:
    """`find_gaps` of exactly `kinds`, none left out for want of staffing data: for a part of a graph
    (`graph.analyses.partitions`), whose kinds the whole graph's `gaps_not_computed` decided. `links`
    are the reader's `Links` when the caller has them already (what they have read is reused)."""
    wanted = set(kinds)
    links = Links(reader) if links is None else links
    finders: dict[GapKind, Callable[[], Iterable[Gap]]] = {
        GapKind.UNBASED_POWER: lambda: _unbased(links),
        GapKind.UNHELD_DUTY: lambda: _unheld(links),
        GapKind.MISPLACED: lambda: _misplaced(links),
        GapKind.FUNCTION_WITHOUT_UNIT: lambda: _without_unit(links),
        GapKind.STAGE_WITHOUT_POST: lambda: _stage_without_post(links),
        GapKind.VACANT_POST: lambda: _vacant(links, at),
        GapKind.NO_HEAD: lambda: _no_head(links, at),
    }
    stages = len(finders) + 3  # and the charter, the law and the staffing
    found: list[Gap] = []
    charters: Pending[list[Gap]] | None = None
    matched_here: Collection[str] | None = None  # the governments whose charters are matched here (None: all)
    if wanted & MANDATE_KINDS and _worth_a_second_process(reader):
        # Matching charters is half the work: in a province, a second core takes most of the governments
        # meanwhile, and this process the rest after its own kinds of gap.
        there, matched_here = _shares(links)
        for shared in (EdgeKind.FUNCTION_OF, EdgeKind.CITES, EdgeKind.ARTICLE_OF):
            links.out(shared)  # what both processes read, read once, before they part
        links.nodes(NodeKind.FUNCTION)
        links.nodes(NodeKind.POWER_ITEM)
        charters = in_a_second_process(lambda: list(_mandate(links, wanted, mandate_threshold, there)))
    try:
        for done, (kind, finder) in enumerate(finders.items()):
            progress.step("finding gaps", done, stages)
            if kind in wanted:
                found.extend(finder())
        progress.step("finding gaps", len(finders), stages)
        if wanted & LEGAL_KINDS:
            found.extend(
                _about_law(gap) for gap in find_legal_gaps(reader, links=links) if gap.kind in wanted
            )
        progress.step("finding gaps", len(finders) + 1, stages)
        if wanted & QUOTA_KINDS:
            found.extend(gap for gap in _staffing(links, at) if gap.kind in wanted)
        progress.step("finding gaps", len(finders) + 2, stages)
        if wanted & MANDATE_KINDS:
            found.extend(_mandate(links, wanted, mandate_threshold, matched_here))
        if charters is not None:
            found.extend(charters.result())
    finally:
        if charters is not None:
            charters.cancel()
    progress.step("finding gaps", stages, stages)
    if department is not None:
        found = [gap for gap in found if gap.department == department]
    identities = SubjectIdentities(links)
    found = [replace(gap, subject_identity=identities.of(gap.subject_id)) for gap in found]
    return sorted(found, key=lambda gap: gap.order)


def unheld_duties(reader: GraphReader) -> list[Gap]:
    """The UNHELD_DUTY gaps of the whole graph, read from the articles alone: the articles that state a
    duty (`mandated_duty`), which of them anything cites (`reader.edges_to`, in lists), and their laws.
    The same gaps, identities and order as `find_gaps(kinds={UNHELD_DUTY})`, without reading the items."""
    articles = [article for article in reader.nodes(NodeKind.ARTICLE) if article.get("mandated_duty")]
    uncited: list[Node] = []
    for start in range(0, len(articles), 5_000):
        chunk = articles[start : start + 5_000]
        cited = reader.edges_to([article.id for article in chunk], EdgeKind.CITES)
        uncited.extend(article for article in chunk if not cited.get(article.id))
    law_edges = [
        edge
        for edges in reader.edges_from([a.id for a in uncited], EdgeKind.ARTICLE_OF).values()
        for edge in edges
    ]
    laws = [law for law in reader.nodes_by_id(sorted({edge.target for edge in law_edges})) if law is not None]
    links = Links(Subgraph([*uncited, *laws], law_edges))
    identities = SubjectIdentities(links)
    found = [replace(gap, subject_identity=identities.of(gap.subject_id)) for gap in _unheld(links)]
    return sorted(found, key=lambda gap: gap.order)


def _shares(links: Links) -> tuple[list[str], list[str]]:
    """The governments whose charters the second process matches (the biggest first, until they hold
    `SECOND_PROCESS_SHARE` of the power items), and the rest, for this process."""
    items: Counter[str] = Counter()
    for edges in links.out(EdgeKind.HELD_BY).values():
        items[links.government_of.get(edges[0].target, "")] += 1
    governments = {links.government_of.get(d, "") for d in links.nodes(NodeKind.DEPARTMENT)} | set(items)
    share = SECOND_PROCESS_SHARE * sum(items.values())
    there: list[str] = []
    taken = 0
    for government in sorted(governments, key=lambda g: (-items[g], g)):
        if taken < share:
            there.append(government)
            taken += items[government]
    return there, sorted(governments - set(there))


def _worth_a_second_process(reader: GraphReader) -> bool:
    """Whether charters are matched in a second process: for a graph in this process's memory (a
    forked child must not share a database connection) big enough to pay for the fork."""
    return isinstance(reader, MemoryStore) and reader.count(NodeKind.POWER_ITEM) >= SECOND_PROCESS_FROM


# -- legal basis ------------------------------------------------------------------------------


def _about_law(gap: Gap) -> Gap:
    """A gap of `find_legal_gaps` with the law it is about (and, for NO_SUCH_ARTICLE, the article),
    which that finder gives as evidence: an item citing two unknown laws has a gap for each."""
    evidence = dict(gap.evidence)
    return replace(gap, about=tuple(evidence[label] for label in ("law", "article") if label in evidence))


def _name(node: Node) -> str:
    return str(node.get("name") or node.get("text") or node.get("code") or node.id)


def _item_name(item: Node) -> str:
    sub = item.get("sub_item")
    return f"{item['name']}（{sub}）" if sub else str(item["name"])


def _unbased(links: Links) -> Iterator[Gap]:
    for item in links.nodes(NodeKind.POWER_ITEM).values():
        status = item.get("basis_status")
        if status not in ("empty", "unparsed"):
            continue
        departments = links.departments_of_item(item.id)
        basis = item.get("basis", "")
        why = "没有设定依据" if status == "empty" else f"的设定依据“{basis}”中没有可识别的法律法规"
        yield Gap(
            GapKind.UNBASED_POWER,
            4,
            item.id,
            _item_name(item),
            departments[0] if departments else None,
            f"{item['power_type']} {item['code']} {_item_name(item)}{why}；请补充设定该权力的法律法规及条款，"
            "或予以取消（越位）。",
            (("code", str(item["code"])), ("basis", str(basis))),
        )


def _unheld(links: Links) -> Iterator[Gap]:
    cited = links.into(EdgeKind.CITES)
    for article in links.nodes(NodeKind.ARTICLE).values():
        duty = article.get("mandated_duty")
        if not duty or article.id in cited:
            continue
        law = links.node(NodeKind.LAW, links.first_target(article.id, EdgeKind.ARTICLE_OF) or "")
        law_name = law["name"] if law else "?"
        competent = article.get("competent", "")
        yield Gap(
            GapKind.UNHELD_DUTY,
            4,
            article.id,
            f"《{law_name}》{article.get('label', '')}",
            None,
            f"《{law_name}》{article.get('label', '')}规定了“{duty}”的职责"
            + (f"（主管部门：{competent}）" if competent else "")
            + "，但没有任何权力事项或职能引用该条款；请明确承担该职责的部门（缺位）。",
            (
                ("law", str(law_name)),
                ("article", str(article.get("label", ""))),
                ("duty", str(duty)),
                ("competent", str(competent)),
            ),
        )


def _misplaced(links: Links) -> Iterator[Gap]:
    fields = department_fields(links)
    articles = links.nodes(NodeKind.ARTICLE)
    by_government: dict[str, list[str]] = defaultdict(list)
    for department, government in links.government_of.items():
        by_government[government].append(department)
    for item_id, edges in links.out(EdgeKind.CITES).items():
        item = links.node(NodeKind.POWER_ITEM, item_id)
        if item is None:
            continue
        holders = links.departments_of_item(item_id)
        for edge in edges:
            article = articles.get(edge.target)
            wording = article.get("competent") if article else None
            if not article or not wording:
                continue
            field_words = competent_field(str(wording))
            if not field_words:
                continue
            if any(fields.matches(holder, field_words) for holder in holders):
                continue
            government = links.government_of.get(holders[0], "") if holders else ""
            rightful = [d for d in by_government.get(government, []) if fields.matches(d, field_words)]
            if not rightful:
                continue  # no department of this government does that work: not a misplacement we can name
            names = "、".join(fields.name(d) for d in rightful)
            yield Gap(
                GapKind.MISPLACED,
                3,
                item_id,
                _item_name(item),
                holders[0] if holders else None,
                f"{item['code']} {_item_name(item)}由{'、'.join(fields.name(h) for h in holders)}实施，"
                f"但所引条款规定的主管部门为{wording}，属于{names}的职责领域（错位）。",
                (
                    ("code", str(item["code"])),
                    ("article", article.id),
                    ("competent", str(wording)),
                    ("field", "、".join(field_words)),
                    ("suggested", names),
                ),
            )
            break


# -- functions and units ----------------------------------------------------------------------


def _without_unit(links: Links) -> Iterator[Gap]:
    carried = links.out(EdgeKind.CARRIED_BY)
    for function in links.nodes(NodeKind.FUNCTION).values():
        if function.id in carried:
            continue
        department = links.first_target(function.id, EdgeKind.FUNCTION_OF)
        yield Gap(
            GapKind.FUNCTION_WITHOUT_UNIT,
            2,
            function.id,
            str(function["text"]),
            department,
            f"职能{function['code']}“{function['text']}”未明确承担的内设机构；请指定承担科室。",
            (("code", str(function["code"])),),
        )
    staffed = links.into(EdgeKind.POST_IN)
    for unit in links.nodes(NodeKind.UNIT).values():
        if unit.id in staffed:
            continue
        yield Gap(
            GapKind.FUNCTION_WITHOUT_UNIT,
            2,
            unit.id,
            str(unit["name"]),
            links.department_of_unit(unit.id),
            f"内设机构{unit['name']}未设置岗位，其职责无人承担；请依编定岗。",
            (("unit", str(unit["name"])),),
        )


def _stage_without_post(links: Links) -> Iterator[Gap]:
    with_post = links.out(EdgeKind.STAGE_POST)
    for stage in links.nodes(NodeKind.STAGE).values():
        if stage.id in with_post:
            continue
        item = links.node(NodeKind.POWER_ITEM, links.first_target(stage.id, EdgeKind.STAGE_OF) or "")
        department = links.first_target(stage.id, EdgeKind.STAGE_DEPARTMENT)
        label = f"{item['code']} {_item_name(item)}" if item else stage.id
        yield Gap(
            GapKind.STAGE_WITHOUT_POST,
            4,
            stage.id,
            f"{label} · {stage['step']} {stage['name']}",
            department,
            f"{label}的第{stage['step']}环节“{stage['name']}”未明确责任岗位，出了问题无人可追责；请指定责任岗位。",
            (("item", label), ("stage", f"{stage['step']} {stage['name']}")),
        )


# -- posts and heads --------------------------------------------------------------------------


def _vacant(links: Links, at: date) -> Iterator[Gap]:
    posts = links.nodes(NodeKind.POST)
    stage_posts: dict[str, list[str]] = defaultdict(list)
    for stage, edges in links.out(EdgeKind.STAGE_POST).items():
        for edge in edges:
            stage_posts[edge.target].append(stage)
    watched = set(stage_posts) | {post.id for post in posts.values() if post.get("category") == HEAD}
    for post_id in sorted(watched):
        post = posts.get(post_id)
        if post is None or links.holders(post_id, at):
            continue
        stages = sorted(stage_posts.get(post_id, ()))
        role = "行政首长岗位" if post.get("category") == HEAD else f"负责{len(stages)}个审批环节的岗位"
        yield Gap(
            GapKind.VACANT_POST,
            4,
            post_id,
            f"{post['code']} {post['name']}",
            links.department_of_post(post_id),
            f"{post['code']} {post['name']}（{role}）在{at.isoformat()}无人在岗；请配备人员，"
            "或将相关环节调整到有人在岗的岗位。",
            (("post", str(post["code"])), ("stages", "、".join(stages))),
        )


def _no_head(links: Links, at: date) -> Iterator[Gap]:
    posts = links.nodes(NodeKind.POST)
    for department in links.nodes(NodeKind.DEPARTMENT).values():
        heads = [p for p in links.posts_of_department(department.id) if posts[p].get("category") == HEAD]
        if any(links.holders(post, at) for post in heads):
            continue
        why = "未设行政首长岗位" if not heads else f"的行政首长岗位在{at.isoformat()}空缺"
        yield Gap(
            GapKind.NO_HEAD,
            5,
            department.id,
            str(department["name"]),
            department.id,
            f"{department['name']}{why}，无人作为主要负责人承担责任；请任命或明确主持工作的负责人。",
            (("head posts", "、".join(posts[p]["code"] for p in heads)),),
        )


# -- charters ---------------------------------------------------------------------------------


def _mandate(
    links: Links, wanted: set[GapKind], threshold: float, governments: Collection[str] | None = None
) -> Iterator[Gap]:
    for match in match_mandates(links, governments):
        if match.kind == "function" and GapKind.FUNCTION_NOT_EXERCISED in wanted:
            if match.best_score < threshold:
                yield _mandate_gap(GapKind.FUNCTION_NOT_EXERCISED, match, threshold)
        elif (
            match.kind == "item" and GapKind.POWER_OUTSIDE_MANDATE in wanted and match.best_score < threshold
        ):
            yield _mandate_gap(GapKind.POWER_OUTSIDE_MANDATE, match, threshold)


def _mandate_gap(kind: GapKind, match: MandateMatch, threshold: float) -> Gap:
    best = "；".join(f"{name}（{score:.2f}）" for name, score in match.best) or "无"
    if kind is GapKind.FUNCTION_NOT_EXERCISED:
        detail = (
            f"职能“{match.name}”没有本部门的权力事项承接（最接近：{best}；阈值 {threshold:.2f}）；"
            "请确认由哪一事项履行，或补充列入清单（缺位）。"
        )
    else:
        detail = (
            f"权力事项{match.name}与本部门“三定”职能均不匹配（最接近：{best}；阈值 {threshold:.2f}）；"
            "请确认该事项是否属于本部门职责（越位）。"
        )
    return Gap(
        kind,
        3,
        match.subject,
        match.name,
        match.department,
        detail,
        (("best score", f"{match.best_score:.2f}"), ("best matches", best)),
    )


# -- staffing ---------------------------------------------------------------------------------


def _staffing(links: Links, at: date) -> Iterator[Gap]:
    """OVER_QUOTA, GHOST_PAYROLL, MIXED_QUOTA and CONCURRENT_POSTS, from one pass over the holdings."""
    persons = links.nodes(NodeKind.PERSON)
    departments = links.nodes(NodeKind.DEPARTMENT)
    placed = placements(links, at)
    quota_of, posts_of = placed.quotas, placed.posts

    people_on: Counter[tuple[str, str]] = Counter()
    for held in quota_of.values():
        people_on.update(held)
    for (department_id, quota_type), count in sorted(people_on.items()):
        department = departments.get(department_id)
        if department is None:
            continue
        prop = {ADMIN_QUOTA: "admin_quota", INSTITUTION_QUOTA: "institution_quota"}.get(quota_type)
        places = department.get(prop) if prop else None
        if places is None or count <= int(places):
            continue
        yield Gap(
            GapKind.OVER_QUOTA,
            4,
            department_id,
            str(department["name"]),
            department_id,
            f"{department['name']}在{at.isoformat()}占用{quota_type}{count}名，超出核定的{places}名"
            f"{count - int(places)}名；请停止进人并逐步消化（超编）。",
            (("quota type", quota_type), ("places", str(places)), ("people", str(count))),
            about=(quota_type,),
        )

    for person_id in sorted(set(quota_of) | set(posts_of)):
        person_node = persons.get(person_id)
        if person_node is None:
            continue
        label = str(person_node.get("person_id") or person_id)
        quotas = sorted(quota_of.get(person_id, set()))
        posts = sorted(posts_of.get(person_id, set()))
        post_departments = sorted({d for p in posts if (d := links.department_of_post(p))})
        if quotas and not posts:
            quota_names = "、".join(f"{_dept_name(departments, d)} {t}" for d, t in quotas)
            yield Gap(
                GapKind.GHOST_PAYROLL,
                5,
                person_id,
                str(person_node.get("name", label)),
                quotas[0][0],
                f"{label}在{at.isoformat()}占用{quota_names}，但未在任何岗位任职；请核实其是否在岗，"
                "或收回编制（吃空饷）。",
                (("person", label), ("quota", quota_names)),
            )
        for quota_department, quota_type in quotas:
            elsewhere = [d for d in post_departments if d != quota_department]
            if posts and elsewhere and quota_department not in post_departments:
                yield Gap(
                    GapKind.MIXED_QUOTA,
                    3,
                    person_id,
                    str(person_node.get("name", label)),
                    quota_department,
                    f"{label}占用{_dept_name(departments, quota_department)}的{quota_type}，但在{at.isoformat()}"
                    f"于{'、'.join(_dept_name(departments, d) for d in elsewhere)}任职；"
                    "请将其编制调整到实际工作的单位（混用编制）。",
                    (
                        ("person", label),
                        ("quota", f"{_dept_name(departments, quota_department)} {quota_type}"),
                        ("works in", "、".join(_dept_name(departments, d) for d in elsewhere)),
                    ),
                    about=(quota_department, quota_type),
                )
        if len(post_departments) > 1:
            yield Gap(
                GapKind.CONCURRENT_POSTS,
                2,
                person_id,
                str(person_node.get("name", label)),
                post_departments[0],
                f"{label}在{at.isoformat()}同时在{len(post_departments)}个部门任职"
                f"（{'、'.join(_dept_name(departments, d) for d in post_departments)}）；请核实兼职是否经过批准（兼职）。",
                (("person", label), ("posts", "、".join(posts))),
            )


def _dept_name(departments: dict[str, Node], department: str) -> str:
    node = departments.get(department)
    return str(node["name"]) if node else department
