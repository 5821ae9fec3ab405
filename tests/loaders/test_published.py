"""The published-list reader on the 17 real power lists of Karamay (../shared/data/real/karamay-power-lists).

The expected counts were established independently of the reader: a 60-line script read every file
with other libraries (xlrd for the BIFF files, also the one named .xlsx; openpyxl in read-only,
data-only mode for the OOXML ones, so that cells hidden under merged ranges and the cached values of
the formula-numbered 序号 columns of the transport and culture lists are seen), took the first row
holding 序号 as the header, and counted by rules written from reading the files by hand: a row whose
序号 is a number is an item (`2,3` is two items), a row with a 子项名称 of its own (not 无) is a
sub-item, a row without 序号 whose 行使主体 starts with 自治区 or 县市区 is the item at another level, a
row starting 备注 is a note, and a 实施依据 cell of its own with 《 is a titled basis cell. The numbered
row of the agriculture levy sheet whose 行使主体 is 自治区农业农村厅 is the item at the region's level:
the script counted it as an item, so the agriculture list has 312 numbered items = 311 of the city +
1 of the region, and 1 county row. Where sheets declare their counts (行政许可（11项）, 市生态环境局
（217项）, the 人防 sheets), the sums agree.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from graph import InvalidData, MemoryStore
from graph.analyses import find_overlaps
from graph.ids import department_id, government_id, power_item_id
from loaders.mapping import load_mapping
from loaders.published import FileSummary, read_published, read_published_with_summary, summary_table
from loaders.readgraph import WorkbookGraph
from ontology import EdgeKind, NodeKind

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LISTS = DATA / "real" / "karamay-power-lists"
CITY = "克拉玛依市人民政府"
REGION = "新疆维吾尔自治区人民政府"
COUNTIES = "克拉玛依市所辖县市区人民政府"

pytestmark = pytest.mark.skipif(not LISTS.is_dir(), reason="the shared data is not there")

# file: (items of the city, sub-items, items at other levels, notes, titled basis cells, rows read)
COUNTS = {
    "2024年市农业农村局权责清单.xls": (311, 0, 2, 0, 311, 312),
    "2025年克拉玛依市统计局权责清单.xlsx": (3, 0, 0, 0, 3, 3),
    "克拉玛依市人力资源和社会保障局2024年权责清单.xls": (100, 12, 0, 0, 106, 108),
    "克拉玛依市住房和城乡建设局2024年权责清单.xls": (323, 8, 0, 0, 327, 327),
    "克拉玛依市发展和改革委员会2024年权责清单.xls": (57, 0, 0, 0, 57, 57),
    "克拉玛依市委宣传部（新闻出版局）2024年权责清单 (1).xlsx": (1, 0, 0, 0, 1, 1),
    "克拉玛依市应急管理局2024年权责清单.xls": (137, 21, 0, 0, 149, 149),
    "克拉玛依市文化体育广播电视和旅游局2024年权责清单.xlsx": (301, 0, 32, 0, 301, 333),
    "克拉玛依市机关事务管理局2024年权责清单.xls": (10, 1, 0, 0, 10, 10),
    "克拉玛依市档案局2024年权责清单 (1).xlsx": (12, 0, 0, 0, 12, 12),
    "克拉玛依市生态环境局2024年权责清单.xls": (217, 0, 0, 0, 217, 217),
    "克拉玛依市科学技术局2024年权责清单.xls": (4, 0, 0, 0, 4, 6),
    "国动办权责清单公示.xlsx": (17, 2, 0, 0, 18, 18),
    "附件：克拉玛依市交通运输局2024年权责清单.xlsx": (360, 1, 0, 0, 360, 360),
    "附件：克拉玛依市市场监督管理局2024年权责清单.xls": (442, 0, 0, 0, 442, 442),
    "附件：克拉玛依市财政局2025年权责清单 (1).xlsx": (19, 0, 0, 1, 19, 20),
}
DUPLICATE = ("克拉玛依市档案局2024年权责清单.xlsx", "克拉玛依市档案局2024年权责清单 (1).xlsx")

# file: (item id, name starts with, power type, department, articles it cites (some of them))
SAMPLES = {
    "2024年市农业农村局权责清单.xls": (
        "克拉玛依市农业农村局-CF-125",
        "对研制新兽药不具备规定的条件",
        "行政处罚",
        "克拉玛依市农业农村局",
        {"article:兽药管理条例/59", "article:兽药管理条例/70"},
    ),
    "2025年克拉玛依市统计局权责清单.xlsx": (
        "克拉玛依市统计局-CF-2",
        "对单位和个体工商户迟报统计资料",
        "行政处罚",
        "克拉玛依市统计局",
        {"article:统计法/45"},
    ),
    "克拉玛依市人力资源和社会保障局2024年权责清单.xls": (
        "克拉玛依市人力资源和社会保障局-CF-47",
        "对用人单位违反法律、法规规定，扣押劳动者证件",
        "行政处罚",
        "克拉玛依市人力资源和社会保障局",
        {"article:劳动合同法/84"},
    ),
    "克拉玛依市住房和城乡建设局2024年权责清单.xls": (
        "克拉玛依市住房和城乡建设局-CF-162",
        "对《建设工程安全生产管理条例》第六十二条禁止行为的处罚",
        "行政处罚",
        "克拉玛依市住房和城乡建设局",
        {"article:建设工程安全生产管理条例/62"},
    ),
    "克拉玛依市发展和改革委员会2024年权责清单.xls": (
        "克拉玛依市发展和改革委员会-QZ-29",
        "查封、扣押非法收购或者不符合国家粮食质量安全标准的粮食",
        "行政强制",
        "克拉玛依市发展和改革委员会（粮食和物资储备局）",
        {"article:粮食流通管理条例/38"},
    ),
    "克拉玛依市委宣传部（新闻出版局）2024年权责清单 (1).xlsx": (
        "克拉玛依市委宣传部-XK-1",
        "企业从事包装装潢印刷品和其他印刷品印刷经营活动的审批",
        "行政许可",
        "克拉玛依市委宣传部（新闻出版局、版权局）",
        {"article:印刷业管理条例/8", "article:印刷业管理条例/12"},
    ),
    "克拉玛依市应急管理局2024年权责清单.xls": (
        "克拉玛依市应急管理局-CF-74",
        "对煤矿存在重大安全生产隐患仍然进行生产的处罚",
        "行政处罚",
        "克拉玛依市应急管理局",
        {"article:国务院关于预防煤矿生产安全事故的特别规定/10"},
    ),
    "克拉玛依市文化体育广播电视和旅游局2024年权责清单.xlsx": (
        "克拉玛依市文化体育广播电视和旅游局-CF-149",
        "对印刷业经营者印刷明知或者应知含有",
        "行政处罚",
        "克拉玛依市文化体育广播电视和旅游局",
        {"article:印刷业管理条例/37", "article:内部资料性出版物管理办法/23"},
    ),
    "克拉玛依市机关事务管理局2024年权责清单.xls": (
        "克拉玛依市机关事务管理局-QR-6/办公用房权属管理",
        "党政机关办公用房管权属登记",
        "行政确认",
        "克拉玛依市机关事务管理局",
        {"article:机关事务管理条例/21", "article:新疆维吾尔自治区党政机关办公用房管理办法/4"},
    ),
    "克拉玛依市档案局2024年权责清单 (1).xlsx": (
        "克拉玛依市委办公室-QT-7",
        "对重大活动和突发事件档案工作的统筹协调和监督指导",
        "其他行政权力",
        "克拉玛依市委办公室（市档案局）",
        {"article:重大活动和突发事件档案管理办法/8"},
    ),
    "克拉玛依市生态环境局2024年权责清单.xls": (
        "克拉玛依市生态环境局-CF-109",
        "对未按规定对辐射工作人员进行辐射安全培训的处罚",
        "行政处罚",
        "克拉玛依市生态环境局",
        {"article:放射性同位素与射线装置安全和防护管理办法/17"},
    ),
    "克拉玛依市科学技术局2024年权责清单.xls": (
        "克拉玛依市科学技术局-QR-3",
        "自治区级科技企业孵化器初审",
        "行政确认",
        "克拉玛依市科学技术局",
        {"article:自治区科技企业孵化器管理办法/11"},
    ),
    "国动办权责清单公示.xlsx": (
        "克拉玛依市国防动员办公室-CF-2",
        "对拆除人民防空工程后拒不补建的处罚",
        "行政处罚",
        "克拉玛依市国防动员办公室（克拉玛依市人民防空办公室）",
        {"article:人民防空法/49"},
    ),
    "附件：克拉玛依市交通运输局2024年权责清单.xlsx": (
        "克拉玛依市交通运输局-CF-181",
        "对取得经营许可的经营者使用无道路运输证的车辆",
        "行政处罚",
        "克拉玛依市交通运输局",
        {"article:道路运输条例/10", "article:道路旅客运输及客运站管理规定/97"},
    ),
    "附件：克拉玛依市市场监督管理局2024年权责清单.xls": (
        "克拉玛依市市场监督管理局-CF-222",
        "对伪造、涂改、出租、出借、转让、出卖营业执照的处罚",
        "行政处罚",
        "克拉玛依市市场监督管理局",
        {"article:企业法人登记管理条例施行细则/49"},
    ),
    "附件：克拉玛依市财政局2025年权责清单 (1).xlsx": (
        "克拉玛依市财政局-CF-10",
        "对政府采购供应商违法违规行为的处罚",
        "行政处罚",
        "克拉玛依市财政局",
        {"article:政府采购法/77", "article:政府采购法实施条例/72"},
    ),
}


@pytest.fixture(scope="module")
def lists() -> tuple[WorkbookGraph, dict[str, FileSummary]]:
    graph, summaries = read_published_with_summary(LISTS)
    return graph, {Path(summary.file).name: summary for summary in summaries}


def _targets(graph: WorkbookGraph, source: str, kind: EdgeKind) -> set[str]:
    return {edge.target for edge in graph.edges.values() if edge.source == source and edge.kind is kind}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_every_list_gives_the_counts_made_by_hand(
    lists: tuple[WorkbookGraph, dict[str, FileSummary]], name: str
) -> None:
    _, summaries = lists
    summary = summaries[name]
    items, sub_items, other_levels, notes, titled, rows = COUNTS[name]
    assert (summary.items, summary.sub_items, summary.other_levels) == (items, sub_items, other_levels)
    assert (len(summary.notes), summary.titled_basis_cells, summary.rows_read) == (notes, titled, rows)
    assert summary.not_placed == [] and summary.placed_share == 1.0
    assert summary.parsed_share >= 0.95


def test_sheet_declared_counts_agree(lists: tuple[WorkbookGraph, dict[str, FileSummary]]) -> None:
    _, summaries = lists
    assert summaries["2024年市农业农村局权责清单.xls"].declared_items == 311
    assert summaries["克拉玛依市生态环境局2024年权责清单.xls"].declared_items == 217
    assert summaries["国动办权责清单公示.xlsx"].declared_items == 17


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_sample_item_and_its_citations_per_list(
    lists: tuple[WorkbookGraph, dict[str, FileSummary]], name: str
) -> None:
    graph, _ = lists
    code, start, power_type, department, articles = SAMPLES[name]
    item = graph.nodes[f"item:{code}"]
    assert item.origin is not None and Path(item.origin.file).name == name
    assert str(item["name"]).startswith(start)
    assert item["power_type"] == power_type and item["level"] == "市级"
    assert item["basis_status"] == "parsed"
    assert _targets(graph, item.id, EdgeKind.HELD_BY) == {department_id(CITY, department)}
    assert articles <= _targets(graph, item.id, EdgeKind.CITES)
    for article in articles:
        assert _targets(graph, article, EdgeKind.ARTICLE_OF) == {"law:" + article.split(":")[1].split("/")[0]}


def test_the_same_item_at_other_levels_belongs_to_those_governments(
    lists: tuple[WorkbookGraph, dict[str, FileSummary]],
) -> None:
    graph, _ = lists
    code = "克拉玛依市农业农村局-ZS-1"
    city, region, counties = (
        power_item_id(code),
        power_item_id(code, government=REGION),
        power_item_id(code, government=COUNTIES),
    )
    assert [graph.nodes[i]["level"] for i in (region, counties, city)] == ["省级", "县级", "市级"]
    assert {graph.nodes[i]["name"] for i in (city, region, counties)} == {"对渔业资源增殖保护费的征收"}
    assert _targets(graph, region, EdgeKind.HELD_BY) == {department_id(REGION, "新疆维吾尔自治区农业农村厅")}
    assert _targets(graph, counties, EdgeKind.HELD_BY) == {
        department_id(COUNTIES, "克拉玛依市所辖县市区农业农村局")
    }
    county_culture = power_item_id("克拉玛依市文化体育广播电视和旅游局-CF-131", government=COUNTIES)
    assert graph.nodes[county_culture].origin.row == 282  # a row hidden under the print layout's merge
    assert graph.nodes[county_culture]["extra"]["承办机构"] == "文化市场综合执法队"
    for department, government in (
        (department_id(REGION, "新疆维吾尔自治区农业农村厅"), REGION),
        (department_id(COUNTIES, "克拉玛依市所辖县市区文体广电旅游局"), COUNTIES),
        (department_id(CITY, "克拉玛依市财政局"), CITY),
    ):
        assert _targets(graph, department, EdgeKind.DEPARTMENT_OF) == {government_id(government)}
    governments = {n.id for n in graph.nodes.values() if n.kind is NodeKind.GOVERNMENT}
    assert governments == {government_id(CITY), government_id(REGION), government_id(COUNTIES)}


def test_sub_items_share_their_item_code(lists: tuple[WorkbookGraph, dict[str, FileSummary]]) -> None:
    graph, _ = lists
    code = "克拉玛依市人力资源和社会保障局-XK-3"
    subs = {
        str(n["sub_item"])
        for n in graph.nodes.values()
        if n.kind is NodeKind.POWER_ITEM and n["code"] == code
    }
    assert subs == {
        "民办职业培训学校设立审批",
        "民办职业培训学校分立审批",
        "民办职业培训学校合并审批",
        "民办职业培训学校变更审批",
        "民办职业学校终止审批",
    }  # the numbering 1. … 5. is dropped, the item name carried down the merged cells
    assert {graph.nodes[power_item_id(code, s)]["name"] for s in subs} == {
        "民办职业培训学校设立、分立、合并、变更及终止审批"
    }


def test_two_numbers_on_one_row_are_two_items(lists: tuple[WorkbookGraph, dict[str, FileSummary]]) -> None:
    graph, _ = lists
    two = [graph.nodes[f"item:克拉玛依市农业农村局-XK-{n}"] for n in (2, 3)]
    assert [item["name"] for item in two] == ["农业植物检疫证书核发", "农业植物产地检疫合格证签发"]
    assert [item["extra"]["序号"] for item in two] == ["2,3", "2,3"]
    assert (
        graph.nodes["item:克拉玛依市农业农村局-XK-7"]["power_type"] == "行政许可"
    )  # empty: the sheet's type


def test_rows_that_only_add_text_and_bodies_that_are_the_government(
    lists: tuple[WorkbookGraph, dict[str, FileSummary]],
) -> None:
    graph, summaries = lists
    summary = summaries["克拉玛依市科学技术局2024年权责清单.xls"]
    assert summary.rows_read == 6 and summary.items == 4  # two rows only add to the item above
    nomination = graph.nodes["item:克拉玛依市科学技术局-QT-4"]
    assert nomination["extra"]["行使主体"] == "市人民政府"
    assert [r.row for r in summary.remarks] == [9]
    note = summaries["附件：克拉玛依市财政局2025年权责清单 (1).xlsx"].notes[0]
    assert (note.sheet, note.row, note.reason) == ("Sheet1", 23, "a note below the list")


def test_nodes_and_edges_remember_their_cells(lists: tuple[WorkbookGraph, dict[str, FileSummary]]) -> None:
    graph, _ = lists
    file = LISTS / "克拉玛依市住房和城乡建设局2024年权责清单.xls"
    item = graph.nodes[power_item_id("克拉玛依市住房和城乡建设局-XK-1", "建筑业企业资质审批")]
    assert item.origin is not None
    assert (item.origin.file, item.origin.sheet, item.origin.row) == (str(file), "准确版", 4)
    assert item.origin.sha256 == hashlib.sha256(file.read_bytes()).hexdigest()
    held = graph.edges[(item.id, EdgeKind.HELD_BY, department_id(CITY, "克拉玛依市住房和城乡建设局"))]
    assert held.origin is not None and held.origin.column == "行使主体 (F)"
    cites = [e for e in graph.edges.values() if e.source == item.id and e.kind is EdgeKind.CITES]
    assert cites and all(e.origin is not None and e.origin.column == "实施依据 (E)" for e in cites)


def test_the_same_file_twice_is_read_once(lists: tuple[WorkbookGraph, dict[str, FileSummary]]) -> None:
    graph, summaries = lists
    copy, first = DUPLICATE
    assert summaries[copy].duplicate_of == str(LISTS / first)
    assert summaries[copy].items == 0
    assert all(n.origin is None or Path(n.origin.file).name != copy for n in graph.nodes.values())
    assert "read once" in summary_table(summaries.values())


def test_all_lists_make_one_graph_the_analyses_run_on(
    lists: tuple[WorkbookGraph, dict[str, FileSummary]],
) -> None:
    graph, summaries = lists
    store = MemoryStore()
    with store.writer() as writer:  # the writer checks every edge's ends: none dangles
        for node in graph.nodes.values():
            writer.add_node(node)
        for edge in graph.edges.values():
            writer.add_edge(edge)
    # 2,314 items of the city, the 20 with sub-items as their 45 sub-item nodes (2,339), and 34 at other levels
    assert store.count(NodeKind.POWER_ITEM) == 2373
    assert store.count(NodeKind.DEPARTMENT) == 19
    overlaps = find_overlaps(store)
    assert overlaps and all(len(set(o.departments)) >= 2 for o in overlaps)
    placed = sum(s.placed for s in summaries.values())
    rows = sum(s.item_rows for s in summaries.values())
    assert placed / rows >= 0.99
    titled = sum(s.titled_basis_cells for s in summaries.values())
    assert sum(s.parsed_basis_cells for s in summaries.values()) / titled >= 0.95
    unparsed = [p for s in summaries.values() for p in s.unparsed_bases]
    assert len(unparsed) == 13 and all(p.file and p.sheet and p.row for p in unparsed)


def test_a_list_that_names_no_city_needs_its_government() -> None:
    one = LISTS / "2024年市农业农村局权责清单.xls"
    with pytest.raises(InvalidData, match="government="):
        read_published(one)
    graph = read_published(one, government=CITY)
    assert department_id(CITY, "克拉玛依市农业农村局") in graph.nodes


def _write(path: Path, rows: list[list[object]], title: str = "示例市测试局2024年权责清单") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "行政处罚（2项）"
    sheet.append([title])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_user_mapping_reads_headers_the_table_does_not_know(tmp_path: Path) -> None:
    rows = [
        ["编号", "管理事项", "执法主体", "处罚依据"],
        [1, "对甲的处罚", "示例市测试局", "《中华人民共和国行政处罚法》第二十八条"],
        [2, "对乙的处罚", "示例市测试局", "《行政处罚法》第三十条"],
    ]
    folder = tmp_path / "lists"
    folder.mkdir()
    _write(folder / "list.xlsx", rows)
    _, [summary] = read_published_with_summary(folder)  # 管理事项 and 处罚依据 read from their contents
    hows = {read.header: (read.column, read.how) for read in summary.sheet_reads[0].columns}
    assert hows["管理事项"] == ("item", "contents") and hows["处罚依据"] == ("basis", "contents")
    mapping = tmp_path / "mine.toml"
    mapping.write_text('[columns]\nitem = ["管理事项"]\nbasis = ["处罚依据"]\n', encoding="utf-8")
    graph, [summary] = read_published_with_summary(folder, mapping=load_mapping(mapping))
    assert graph.nodes["item:示例市测试局-CF-2"]["power_type"] == "行政处罚"  # from the sheet's name
    assert {read.how for read in summary.sheet_reads[0].columns} == {"wording"}
    (folder / "quanze-mapping.toml").write_text(mapping.read_text(encoding="utf-8"), encoding="utf-8")
    _, [summary] = read_published_with_summary(folder)
    assert "item:示例市测试局-CF-1" in read_published(folder).nodes
    assert {read.how for read in summary.sheet_reads[0].columns} == {"wording"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("random.xlsx", None, "not a power list"),
        ("empty.xlsx", b"", "the file is empty"),
        ("binary.xls", bytes(range(256)) * 16, "not a spreadsheet that can be read"),
        ("text.xlsx", "序号,事项名称\n1,甲\n".encode(), "not a spreadsheet that can be read"),
    ],
)
def test_a_file_that_is_not_a_power_list_is_a_clear_error(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is None:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["日期", "产品", "数量"])
        sheet.append(["2024-01-01", "苹果", 3])
        book.save(path)
    else:
        path.write_bytes(content)
    with pytest.raises(InvalidData, match=message) as caught:
        read_published(path)
    assert caught.value.problems and caught.value.problems[0].file == str(path)


def test_a_folder_with_one_bad_file_names_it(tmp_path: Path) -> None:
    rows = [
        ["序号", "事项名称", "权力类型", "实施主体", "设定依据"],
        [1, "对甲的处罚", "行政处罚", "示例市测试局", "《行政处罚法》第二十八条"],
    ]
    _write(tmp_path / "good.xlsx", rows)
    (tmp_path / "bad.xlsx").write_bytes(b"not a spreadsheet")
    graph, summaries = read_published_with_summary(tmp_path)  # the folder loads what it can read
    assert "item:示例市测试局-CF-1" in graph.nodes
    assert [Path(p.file).name for p in graph.problems] == ["bad.xlsx"]
    assert [(Path(s.file).name, bool(s.refused)) for s in summaries] == [
        ("bad.xlsx", True),
        ("good.xlsx", False),
    ]
    with pytest.raises(InvalidData) as caught:
        read_published(tmp_path, strict=True)
    assert [Path(p.file).name for p in caught.value.problems] == ["bad.xlsx"]
    (tmp_path / "good.xlsx").unlink()
    with pytest.raises(InvalidData, match="no file that is a published power list"):
        read_published(tmp_path)


def test_a_sheet_without_a_header_and_rows_that_cannot_be_placed_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "示例市测试局权责清单.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "行政处罚"
    for row in (
        ["序号", "事项名称", "权力类型", "实施主体", "设定依据"],
        [1, "对甲的处罚", "", "示例市测试局", "《行政处罚法》第二十八条"],
        [2, "", "行政处罚", "示例市测试局", ""],
        [3, "对丙的奖励", "行政表彰", "示例市测试局", ""],
        ["备注：本清单动态调整。"],
    ):
        sheet.append(row)
    legend = book.create_sheet("说明")
    legend.append(["本表由测试局编制"])
    legend.append(["联系电话：0000"])
    book.save(path)
    graph, [summary] = read_published_with_summary(path)
    assert "item:示例市测试局-CF-1" in graph.nodes  # the type from the sheet's name
    assert [(p.sheet, p.row, p.column, p.reason) for p in summary.not_placed] == [
        ("说明", None, None, "has 2 row(s) of text but no header of a power list; the sheet was not read"),
        ("行政处罚", 3, "事项名称 (B)", "has no item name (事项名称)"),
    ]
    assert (summary.item_rows, summary.rows_not_placed, summary.placed) == (5, 3, 2)
    assert [p.row for p in summary.notes] == [5]
    assert (
        graph.nodes["item:示例市测试局-CF-3"]["power_type"] == "行政处罚"
    )  # 行政表彰 is no type: the sheet's
    assert [(p.row, p.value) for p in summary.remarks] == [(4, "行政表彰")]
    assert [p.row for p in graph.problems] == [3]


def test_a_list_naming_its_department_nowhere_else_takes_it_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "附件：示例市测试局2024年权责清单 (1).xlsx"  # no title row, no 实施主体 column
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    for row in (
        ["序号", "事项名称", "权力类型", "设定依据"],
        [1, "对甲的处罚", "行政处罚", "《中华人民共和国行政处罚法》第二十八条"],
        [2, "对乙的检查", "行政检查", "《行政处罚法》第三十条"],
    ):
        sheet.append(row)
    book.save(path)
    graph, [summary] = read_published_with_summary(path)
    department = department_id("示例市人民政府", "示例市测试局")
    assert summary.department == "示例市测试局" and summary.not_placed == []
    assert graph.nodes[department]["name"] == "示例市测试局"
    assert _targets(graph, department, EdgeKind.DEPARTMENT_OF) == {government_id("示例市人民政府")}
    items = sorted(n.id for n in graph.nodes.values() if n.kind is NodeKind.POWER_ITEM)
    assert items == ["item:示例市测试局-CF-1", "item:示例市测试局-JC-2"]
    for item in items:
        assert _targets(graph, item, EdgeKind.HELD_BY) == {department}
