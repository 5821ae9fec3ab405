"""The law catalogue (../shared/data/laws), citation resolution, the three legal gaps on the real
citations of the Karamay lists, and duties read from the law."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from graph import MemoryStore
from graph.analyses import GapKind, find_gaps
from graph.analyses.gaps import LEGAL_KINDS
from graph.analyses.legal import find_legal_gaps, law_scope
from loaders.citations import parse_citations
from loaders.duties import add_duties, duties_of_text, extract_duties
from loaders.laws import (
    LawCatalogue,
    ResolutionStatus,
    attach_catalogue,
    check_citations,
    read_law_catalogue,
    resolve,
)
from loaders.published import read_published
from loaders.readgraph import WorkbookGraph
from ontology import NodeKind

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LAWS = DATA / "laws"
LISTS = DATA / "real" / "karamay-power-lists"
JUDGED = Path(__file__).with_name("data") / "duties_judged.tsv"
ON = date(2025, 6, 1)

pytestmark = pytest.mark.skipif(
    not LAWS.is_dir() or not LISTS.is_dir(), reason="the shared data is not there"
)


@pytest.fixture(scope="module")
def catalogue() -> LawCatalogue:
    return read_law_catalogue(LAWS)


@pytest.fixture(scope="module")
def karamay() -> WorkbookGraph:
    return read_published(LISTS)


def _resolve(
    catalogue: LawCatalogue, text: str, on: date = ON
) -> tuple[ResolutionStatus, str | None, str | None]:
    found = resolve(catalogue, parse_citations(text)[0], on)
    return found.status, found.law, found.matched_by


def test_the_catalogue_holds_laws_versions_and_articles(catalogue: LawCatalogue) -> None:
    assert len(catalogue.laws) > 1400
    license_law = catalogue.in_force("行政许可法", ON)
    assert license_law is not None and license_law.title == "中华人民共和国行政许可法"
    assert license_law.rank == "法律" and license_law.published == date(2019, 4, 23) and license_law.complete
    article = license_law.article(12)
    assert (
        article is not None
        and article.label == "第十二条"
        and article.text.startswith("第十二条 下列事项可以设定行政许可")
    )
    criminal = catalogue.in_force("刑法", ON)
    assert criminal is not None and criminal.article(120, 1) is not None  # 第一百二十条之一
    sport = catalogue.versions("体育法")
    assert [(v.published, v.expired) for v in sport] == [
        (date(2016, 11, 7), True),
        (date(2022, 6, 24), False),
    ]
    civil = catalogue.in_force("民法典", ON)  # one code in eight files
    assert civil is not None and civil.article(1) is not None and civil.article(500) is not None


def test_a_citation_resolves_by_full_short_and_abbreviated_name(catalogue: LawCatalogue) -> None:
    assert _resolve(catalogue, "《中华人民共和国行政许可法》第十二条") == (
        ResolutionStatus.RESOLVED,
        "行政许可法",
        "full",
    )
    assert _resolve(catalogue, "《行政许可法》第十二条") == (ResolutionStatus.RESOLVED, "行政许可法", "short")
    assert _resolve(catalogue, "《食安法》第三十五条") == (
        ResolutionStatus.RESOLVED,
        "食品安全法",
        "abbreviation",
    )
    assert _resolve(catalogue, "《合同法》第五百条")[:2] == (ResolutionStatus.RESOLVED, "民法典")
    assert _resolve(catalogue, "《行政许可法》")[0] is ResolutionStatus.LAW_ONLY


def test_the_version_in_force_on_the_date(catalogue: LawCatalogue) -> None:
    citation = parse_citations("《中华人民共和国体育法》第三十条")[0]
    old = resolve(catalogue, citation, date(2020, 1, 1))
    new = resolve(catalogue, citation, date(2024, 1, 1))
    assert old.version is not None and old.version.published == date(2016, 11, 7)
    assert new.version is not None and new.version.starts == date(2023, 1, 1)  # valid_from, not publication
    assert old.article is not None and new.article is not None and old.article.text != new.article.text
    repealed = resolve(catalogue, parse_citations("《环境噪声污染防治法》第十条")[0], ON)
    assert repealed.status is ResolutionStatus.REPEALED_LAW
    missing = resolve(catalogue, parse_citations("《行政许可法》第九十九条")[0], ON)
    assert missing.status is ResolutionStatus.NO_SUCH_ARTICLE
    truncated = resolve(catalogue, parse_citations("《麻醉药品和精神药品管理条例》第七十四条")[0], ON)
    assert truncated.status is ResolutionStatus.NO_TEXT  # the catalogue's text stops after article 3
    assert _resolve(catalogue, "《新疆维吾尔自治区道路运输条例》第三条")[0] is ResolutionStatus.UNKNOWN_LAW


@pytest.fixture(scope="module")
def legal_gaps(karamay: WorkbookGraph, catalogue: LawCatalogue) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for gap in check_citations(karamay, catalogue, on=ON):
        evidence = dict(gap.evidence)
        found.setdefault((gap.kind.value, gap.subject_id), []).append(evidence["law"])
    return found


def test_each_new_gap_kind_on_real_citations(legal_gaps: dict[tuple[str, str], list[str]]) -> None:
    # 《中华人民共和国环境噪声污染防治法》 expired when the 噪声污染防治法 took effect on 2022-06-05
    assert legal_gaps[("REPEALED_LAW", "item:克拉玛依市生态环境局-XK-1")] == [
        "中华人民共和国环境噪声污染防治法"
    ]
    # 《公司登记管理条例》 expired with the 市场主体登记管理条例 (2022)
    assert legal_gaps[("REPEALED_LAW", "item:克拉玛依市市场监督管理局-CF-232")] == [
        "中华人民共和国公司登记管理条例"
    ]
    # 《植物检疫条例》 has 24 articles; the list cites 第二十五条
    assert legal_gaps[("NO_SUCH_ARTICLE", "item:克拉玛依市农业农村局-CF-35")] == ["植物检疫条例"]
    # the quoted text is 直销管理条例 第三十五条; the list names 禁止传销条例 (29 articles)
    assert legal_gaps[("NO_SUCH_ARTICLE", "item:克拉玛依市市场监督管理局-JC-390")] == ["禁止传销条例"]
    # a national law cited by a wrong name (固体废物污染环境防治法), and a local regulation
    assert legal_gaps[("UNKNOWN_LAW", "item:克拉玛依市生态环境局-CF-128")] == ["固体废物污染防治法"]
    assert legal_gaps[("UNKNOWN_LAW", "item:克拉玛依市交通运输局-CF-106")] == ["新疆维吾尔自治区道路运输条例"]
    counts = {
        kind: sum(1 for k, _ in legal_gaps if k == kind) for kind in ("REPEALED_LAW", "NO_SUCH_ARTICLE")
    }
    assert counts == {"REPEALED_LAW": 15, "NO_SUCH_ARTICLE": 3}


def test_the_facts_are_on_the_nodes_and_a_pure_graph_finder_reads_them(
    karamay: WorkbookGraph, catalogue: LawCatalogue
) -> None:
    graph = WorkbookGraph(karamay.source, dict(karamay.nodes), dict(karamay.edges))
    attach_catalogue(graph, catalogue, on=ON)
    noise = graph.nodes["law:环境噪声污染防治法"]
    assert (noise["in_catalogue"], noise["expired"], noise["version"]) == (True, True, date(2018, 12, 29))
    assert noise["title"] == "中华人民共和国环境噪声污染防治法"
    assert graph.nodes["law:新疆维吾尔自治区道路运输条例"]["in_catalogue"] is False
    article = graph.nodes["article:行政许可法/61"]
    assert article["exists"] is True and str(article["text"]).startswith("第六十一条")
    assert graph.nodes["article:植物检疫条例/25"]["exists"] is False
    store = MemoryStore()
    with store.writer() as writer:
        for node in graph.nodes.values():
            writer.add_node(node)
        for edge in graph.edges.values():
            writer.add_edge(edge)
    gaps = find_legal_gaps(store)
    assert {gap.kind for gap in gaps} == set(LEGAL_KINDS)
    assert gaps == sorted(gaps, key=lambda gap: gap.order) and gaps[0].severity == 4
    first = gaps[0]
    assert first.department and "已经失效" in first.detail and dict(first.evidence)["code"]
    assert law_scope("新疆维吾尔自治区道路运输条例") == "local" and law_scope("道路运输条例") == "national"


def test_a_graph_without_catalogue_facts_has_no_legal_gaps(karamay: WorkbookGraph) -> None:
    store = MemoryStore()
    with store.writer() as writer:
        for node in karamay.nodes.values():
            writer.add_node(node)
        for edge in karamay.edges.values():
            writer.add_edge(edge)
    assert find_legal_gaps(store) == []


def test_duties_are_read_from_the_law(catalogue: LawCatalogue) -> None:
    [(competent, duty, _)] = duties_of_text(
        "第五条 国务院农业农村主管部门负责全国畜牧业的监督管理工作。"
        "县级以上地方人民政府农业农村主管部门负责本行政区域内的畜牧业监督管理工作。"
    )
    assert (competent, duty) == (
        "县级以上地方人民政府农业农村主管部门",
        "负责本行政区域内的畜牧业监督管理工作",
    )
    assert duties_of_text("县级以上人民政府有关部门可以给予奖励。") == []
    assert (
        duties_of_text("受理申请的农业农村主管部门应当自收到申请之日起六十个工作日内依法决定。")[0][0]
        == "农业农村主管部门"
    )
    duties = extract_duties(catalogue, laws={"畜牧法", "中华人民共和国食品安全法"}, on=ON)
    assert {d.law for d in duties} == {"畜牧法", "食品安全法"}
    assert any(
        d.label == "第五条" and d.law == "畜牧法" and "农业农村主管部门" in d.competent for d in duties
    )


def test_the_hand_judged_sample_of_duties(catalogue: LawCatalogue) -> None:
    lines = [line for line in JUDGED.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    assert len(rows) == 50
    correct = sum(row["correct"] == "1" for row in rows)
    assert correct / len(rows) >= 0.9  # 46 of 50
    extracted = {
        (d.law, d.label, d.competent, d.duty)
        for d in extract_duties(catalogue, laws={r["law"] for r in rows})
    }
    assert all((r["law"], r["article"], r["competent"], r["duty"]) in extracted for r in rows)


def test_duties_from_the_law_feed_unheld_duty_and_misplaced(
    karamay: WorkbookGraph, catalogue: LawCatalogue
) -> None:
    graph = WorkbookGraph(karamay.source, dict(karamay.nodes), dict(karamay.edges))
    cited = {node.id.removeprefix("law:") for node in graph.nodes.values() if node.kind is NodeKind.LAW}
    add_duties(graph, extract_duties(catalogue, laws=cited, on=ON))
    article = graph.nodes["article:生猪屠宰管理条例/3"]
    assert "农业农村主管部门" in str(article["competent"]) and str(article["mandated_duty"]).startswith(
        "负责"
    )
    store = MemoryStore()
    with store.writer() as writer:
        for node in graph.nodes.values():
            writer.add_node(node)
        for edge in graph.edges.values():
            writer.add_edge(edge)
    gaps = find_gaps(store, at=ON, kinds={GapKind.UNHELD_DUTY, GapKind.MISPLACED})
    kinds = {gap.kind for gap in gaps}
    assert kinds == {GapKind.UNHELD_DUTY, GapKind.MISPLACED}
    misplaced = {gap.subject_id for gap in gaps if gap.kind is GapKind.MISPLACED}
    # the 煤矿 quality inspection cites an article giving the duty to 建设行政主管部门
    assert "item:克拉玛依市应急管理局-JC-121" in misplaced


def test_a_workbook_laws_sheet_is_a_catalogue_too() -> None:
    from loaders.demo import DEMO_WORKBOOK

    catalogue = read_law_catalogue(DEMO_WORKBOOK)
    assert catalogue.laws
    versions = next(iter(catalogue.laws.values()))
    assert versions[0].articles()
