"""Published lists the reader was not built on: shapes of lists invented here, counted by hand.

Each list is written with openpyxl (one with xlwt, as a real .xls named .xlsx) in a shape departments
publish: an item column headed with a word the mapping does not know, among a dozen columns no table
has seen; a 地县两级 workbook with a sheet per level; a header split over two rows, under merged title
rows, with a row numbering the columns, blank rows between items and footnotes below; one power type
per sheet and no type column; a list turned on its side; a level column naming districts, under rows
that head groups of rows by level. The expected counts are written next to each list, counted from
the rows the test writes (the comment says how), not from what the reader gives.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from api.cli import main
from graph import InvalidData, MemoryStore
from graph.analyses import find_overlaps
from graph.ids import department_id, government_id, power_item_id
from loaders.headers import find_layout
from loaders.mapping import load_mapping
from loaders.published import FileSummary, read_published, read_published_with_summary
from loaders.readgraph import WorkbookGraph
from ontology import EdgeKind, NodeKind
from tests.builders import write_xlsx

CITY = "克拉玛依市人民政府"
COUNTIES = "克拉玛依市所辖县市区人民政府"
DUSHANZI = "独山子区人民政府"
BAIJIANTAN = "白碱滩区人民政府"
KARAMAY_DISTRICT = "克拉玛依区人民政府"
BASIS = "《中华人民共和国土地管理法》第七十七条"


def _holders(graph: WorkbookGraph) -> dict[str, tuple[str, str]]:
    """Each item node's (government, level), through its department, as the graph has it."""
    government_of = {e.source: e.target for e in graph.edges.values() if e.kind is EdgeKind.DEPARTMENT_OF}
    found = {}
    for edge in graph.edges.values():
        if edge.kind is EdgeKind.HELD_BY:
            government = graph.nodes[government_of[edge.target]]["name"]
            found[edge.source] = (str(government), str(graph.nodes[edge.source]["level"]))
    return found


def _per_government(graph: WorkbookGraph) -> dict[str, tuple[int, int]]:
    """Per government: its items (distinct codes) and its sub-item nodes, from the graph."""
    codes: dict[str, set[str]] = {}
    subs: Counter[str] = Counter()
    for item, (government, _) in _holders(graph).items():
        node = graph.nodes[item]
        codes.setdefault(government, set()).add(str(node["code"]))
        subs[government] += 1 if node.get("sub_item") else 0
    return {government: (len(found), subs[government]) for government, found in codes.items()}


def _one(folder: Path) -> tuple[WorkbookGraph, FileSummary]:
    graph, [summary] = read_published_with_summary(folder)
    return graph, summary


def _reads(summary: FileSummary, sheet: str | None = None) -> dict[str, tuple[str | None, str]]:
    read = (
        summary.sheet_reads[0] if sheet is None else next(r for r in summary.sheet_reads if r.sheet == sheet)
    )
    return {f"{column.header} ({column.letters})": (column.column, column.how) for column in read.columns}


# -- a generic item header among a dozen unknown columns ----------------------------------------

UNKNOWN = [
    "所属区域",
    "上级主管部门",
    "办件数量",
    "责任人",
    "联系电话",
    "监督电话",
    "更新日期",
    "是否进驻政务服务中心",
    "网办深度",
    "服务对象",
    "收费标准",
    "承诺办结时间",
]
SUBJECTS = ["国有建设用地", "测绘成果", "地质灾害防治", "矿业权", "不动产", "土地复垦", "基本农田", "地图"]
FORMS = [
    ("行政许可", "{}使用审批"),
    ("行政处罚", "对违反{}管理规定行为的处罚"),
    ("行政检查", "对{}情况的监督检查"),
    ("行政确认", "{}登记"),
]


def _generic_rows(body: str = "克拉玛依市自然资源局") -> list[list[Any]]:
    rows: list[list[Any]] = [[f"{body}权责清单"] + [""] * 16]
    rows.append(["序号", "职权", "性质", "法定依据", "执行机关", *UNKNOWN])
    for number in range(1, 31):  # 30 items: the 8 subjects × the 4 forms, the first 30 of them
        power_type, form = FORMS[(number - 1) % 4]
        subject = SUBJECTS[(number - 1) // 4]
        rows.append(
            [
                number,
                form.format(subject),
                power_type,
                f"《中华人民共和国土地管理法》第{number + 10}条",
                body,
                "克拉玛依市",
                "克拉玛依市人民政府",
                (number * 37) % 11,  # a count of cases: not a 序号
                "张三",
                "0990-6234567",
                "12345",
                "2025-01-01",
                "是" if number % 2 else "否",
                "四级",
                "自然人、法人",
                "不收费",
                "20个工作日",
            ]
        )
    return rows


def test_an_item_column_headed_with_an_unknown_word_is_read_from_its_contents(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "克拉玛依市自然资源局2025年权责清单.xlsx",
        {"Sheet1": _generic_rows()},
        {"Sheet1": ["A1:Q1"]},
    )
    graph, summary = _one(tmp_path)
    # 30 numbered rows, each one item of the city, no sub-items, nothing left over
    assert (summary.items, summary.sub_items, summary.other_levels, summary.rows_not_placed) == (30, 0, 0, 0)
    assert _per_government(graph) == {CITY: (30, 0)}
    assert summary.department == "克拉玛依市自然资源局"
    reads = _reads(summary)
    assert reads["职权 (B)"] == ("item", "contents")
    assert reads["性质 (C)"] == ("power_type", "contents")
    assert reads["法定依据 (D)"] == ("basis", "wording")
    assert reads["执行机关 (E)"] == ("department", "contents")
    assert reads["所属区域 (F)"] == ("level", "contents")  # 克拉玛依市 in every row: the city
    kept = [header for header, (column, _) in reads.items() if column is None]
    assert len(kept) == 11 and all(h.split(" (")[0] in UNKNOWN for h in kept)  # the other 11, as written
    item = graph.nodes["item:克拉玛依市自然资源局-CF-2"]
    assert item["name"] == "对违反国有建设用地管理规定行为的处罚" and item["power_type"] == "行政处罚"
    assert item["extra"]["上级主管部门"] == "克拉玛依市人民政府" and item["extra"]["办件数量"] == "8"
    assert {t.target for t in graph.edges.values() if t.source == item.id and t.kind is EdgeKind.CITES} == {
        "article:土地管理法/12"
    }


def test_check_reports_the_columns_read_from_contents_and_writes_a_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_xlsx(
        tmp_path / "克拉玛依市自然资源局2025年权责清单.xlsx",
        {"Sheet1": _generic_rows()},
        {"Sheet1": ["A1:Q1"]},
    )
    assert main(["check", str(tmp_path), "--write-mapping"]) == 0
    out = capsys.readouterr().out
    assert "column 职权 (B) read as the item name (item), from its contents (100% of 30 cells)" in out
    assert "column 执行机关 (E) read as the implementing body (department), from its contents" in out
    assert "column 法定依据 (D) read as the legal basis (basis), by its wording" in out
    assert "column 办件数量 (H) kept as written" in out
    assert "市级 克拉玛依市人民政府: 30 items, 0 sub-items" in out
    written = (tmp_path / "quanze-mapping.toml").read_text(encoding="utf-8")
    assert 'item = ["职权"]' in written and 'department = ["执行机关"]' in written
    assert "#   办件数量" in written  # a header kept in extra, listed for the user to assign
    user = load_mapping(tmp_path / "quanze-mapping.toml")
    assert user.column_for("职权") == "item" and user.column_for("事项名称") == "item"
    # read again, the folder's mapping names the columns by their wording, and the items are the same
    _graph, summary = _one(tmp_path)
    assert _reads(summary)["职权 (B)"] == ("item", "wording") and summary.items == 30
    # a second --write-mapping has nothing new to write, and leaves the user's file as it is
    assert main(["check", str(tmp_path), "--write-mapping"]) == 0
    assert "no column was read from its contents" in capsys.readouterr().out
    assert (tmp_path / "quanze-mapping.toml").read_text(encoding="utf-8") == written


def test_a_user_mapping_file_is_extended_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_xlsx(
        tmp_path / "克拉玛依市自然资源局2025年权责清单.xlsx",
        {"Sheet1": _generic_rows()},
        {"Sheet1": ["A1:Q1"]},
    )
    mine = '[columns]\nitem = ["管理事项"]\n\n[places]\n"示例市" = "四川省"\n'
    (tmp_path / "quanze-mapping.toml").write_text(mine, encoding="utf-8")
    assert main(["check", str(tmp_path), "--write-mapping"]) == 0
    capsys.readouterr()
    mapping = load_mapping(tmp_path / "quanze-mapping.toml")
    assert mapping.column_for("管理事项") == "item" and mapping.column_for("职权") == "item"
    assert mapping.places["示例市"] == "四川省"
    assert (tmp_path / "quanze-mapping.toml.bak").read_text(encoding="utf-8") == mine


# -- a 地县两级 workbook: a sheet per level, each numbering from 1 ---------------------------------

ITEMS = [  # (number, name, power type); item 3 has two sub-items
    (1, "建设用地规划许可证核发", "行政许可"),
    (2, "乡村建设规划许可证核发", "行政许可"),
    (3, "临时用地审批", "行政许可"),
    (4, "采矿权新立登记", "行政许可"),
    (5, "对非法占用土地的处罚", "行政处罚"),
    (6, "对破坏耕地的处罚", "行政处罚"),
    (7, "对未经批准进行测绘的处罚", "行政处罚"),
    (8, "对擅自转让采矿权的处罚", "行政处罚"),
    (9, "对土地复垦情况的监督检查", "行政检查"),
    (10, "对地质灾害防治工作的监督检查", "行政检查"),
]
SUBS = ("城镇临时用地审批", "农村临时用地审批")
COUNTY_BODIES = {  # the county sheet's bodies: most rows 各区…分局, a few name a district's body
    **dict.fromkeys(range(1, 8), "克拉玛依市自然资源局各区自然资源分局"),
    8: "克拉玛依市自然资源局独山子区分局",
    9: "克拉玛依市自然资源局独山子区分局",
    10: "白碱滩区自然资源局",
}


def _level_sheet(title: str, bodies: dict[int, str]) -> tuple[list[list[Any]], list[str]]:
    rows: list[list[Any]] = [[title, "", "", "", "", "", ""]]
    rows.append(["序号", "事项名称", "子项名称", "权力类型", "实施依据", "实施主体", "备注"])
    merges = ["A1:G1"]
    for number, name, power_type in ITEMS:
        if number == 3:
            start = len(rows) + 1
            rows.append([number, name, SUBS[0], power_type, BASIS, bodies[number], ""])
            rows.append(["", "", SUBS[1], "", BASIS, bodies[number], ""])
            merges += [f"A{start}:A{start + 1}", f"B{start}:B{start + 1}", f"D{start}:D{start + 1}"]
        else:
            rows.append([number, name, "", power_type, BASIS, bodies[number], ""])
    return rows, merges


def _two_levels(path: Path) -> Path:
    city, city_merges = _level_sheet(
        "克拉玛依市自然资源局权责清单（地州级）", dict.fromkeys(range(1, 11), "克拉玛依市自然资源局")
    )
    county, county_merges = _level_sheet("克拉玛依市自然资源局权责清单（区县级）", COUNTY_BODIES)
    return write_xlsx(
        path, {"地州级": city, "区县级": county}, {"地州级": city_merges, "区县级": county_merges}
    )


def test_a_workbook_with_a_sheet_per_level_gives_each_level_its_governments(tmp_path: Path) -> None:
    _two_levels(tmp_path / "克拉玛依市自然资源局地县两级权责清单.xlsx")
    graph, summary = _one(tmp_path)
    # Counted from ITEMS and COUNTY_BODIES: each sheet has 10 items, item 3 as 2 sub-items. The city
    # sheet's are the city's; of the county sheet's, items 1-7 (3 with its 2 sub-items) are the one
    # government of the districts the list does not name, 8-9 独山子区's, 10 白碱滩区's.
    assert _per_government(graph) == {
        CITY: (10, 2),
        COUNTIES: (7, 2),
        DUSHANZI: (2, 0),
        BAIJIANTAN: (1, 0),
    }
    assert {(c.government, c.level, c.items, c.sub_items) for c in summary.governments} == {
        (CITY, "市级", 10, 2),
        (COUNTIES, "县级", 7, 2),
        (DUSHANZI, "县级", 2, 0),
        (BAIJIANTAN, "县级", 1, 0),
    }
    assert summary.not_placed == [] and summary.rows_not_placed == 0 and summary.items == 10
    assert summary.other_levels == 11  # item nodes: 6 + 2 sub-items, 2, 1
    levels = Counter(level for _, level in _holders(graph).values())
    assert levels == {"市级": 11, "县级": 11}
    assert summary.department == "克拉玛依市自然资源局"
    assert [(r.sheet, r.level) for r in summary.sheet_reads] == [("地州级", "市级"), ("区县级", "县级")]
    # each sheet's items keep their own codes: the county sheet's carry its name
    city_item = graph.nodes[power_item_id("克拉玛依市自然资源局-XK-1")]
    county_item = graph.nodes[power_item_id("克拉玛依市自然资源局-区县级-XK-1", government=COUNTIES)]
    assert city_item["name"] == county_item["name"] == "建设用地规划许可证核发"
    assert county_item["level"] == "县级"
    held = {
        e.target for e in graph.edges.values() if e.source == county_item.id and e.kind is EdgeKind.HELD_BY
    }
    assert held == {department_id(COUNTIES, "克拉玛依市所辖县市区自然资源分局")}
    branch = power_item_id("克拉玛依市自然资源局-区县级-CF-8", government=DUSHANZI)
    assert {e.target for e in graph.edges.values() if e.source == branch and e.kind is EdgeKind.HELD_BY} == {
        department_id(DUSHANZI, "独山子区自然资源分局")
    }
    departments = {str(n["name"]) for n in graph.nodes.values() if n.kind is NodeKind.DEPARTMENT}
    assert departments == {
        "克拉玛依市自然资源局",
        "克拉玛依市所辖县市区自然资源分局",
        "独山子区自然资源分局",
        "白碱滩区自然资源局",
    }
    # the city has one department: no item overlaps its own county copy
    store = MemoryStore()
    with store.writer() as writer:
        for node in graph.nodes.values():
            writer.add_node(node)
        for edge in graph.edges.values():
            writer.add_edge(edge)
    assert find_overlaps(store) == []


# -- a header over two rows, merged titles, column numbers, blank rows, footnotes --------------


def _split_header(path: Path) -> Path:
    rows: list[list[Any]] = [
        ["克拉玛依市水利局权责清单", "", "", "", "", "", "", ""],
        ["填报单位：克拉玛依市水利局", "", "", "", "填报日期：2024年3月", "", "", ""],
        ["序号", "事项", "", "权力类型", "设定依据", "责任事项", "", "实施主体"],
        ["", "名称", "子项", "", "", "内容", "依据", ""],
        [1, 2, 3, 4, 5, 6, 7, 8],
    ]
    merges = ["A1:H1", "A2:D2", "E2:H2", "A3:A4", "B3:C3", "D3:D4", "E3:E4", "F3:G3", "H3:H4"]
    body = "克拉玛依市水利局"

    def item(number: Any, name: str, sub: str, power_type: str) -> list[Any]:
        return [
            number,
            name,
            sub,
            power_type,
            "《中华人民共和国水法》第四十八条",
            "受理、审查、决定",
            "《水法》",
            body,
        ]

    rows.append(item(1, "取水许可", "", "行政许可"))
    start = len(rows) + 1  # item 2 over three rows: three sub-items, the name merged over them
    rows.append(item(2, "水工程建设规划同意书审核", "河道管理范围内", "行政许可"))
    rows.append(item("", "", "蓄滞洪区内", ""))
    rows.append(item("", "", "其他水工程", ""))
    merges += [f"A{start}:A{start + 2}", f"B{start}:B{start + 2}", f"D{start}:D{start + 2}"]
    rows.append(item(3, "对未经批准擅自取水的处罚", "", "行政处罚"))
    rows.append(item(4, "对在河道管理范围内建设妨碍行洪建筑物的处罚", "", "行政处罚"))
    rows.append([""] * 8)  # a blank row between items
    start = len(rows) + 1  # item 5 over two rows: two sub-items
    rows.append(item(5, "河道采砂许可", "河道采砂", "行政许可"))
    rows.append(item("", "", "河道疏浚采砂", ""))
    merges += [f"A{start}:A{start + 1}", f"B{start}:B{start + 1}"]
    rows.append(item(6, "对水土保持情况的监督检查", "", "行政检查"))
    rows.append([""] * 8)
    rows.append([""] * 8)
    rows.append(item(7, "水利工程质量监督", "", "其他行政权力"))
    rows.append(item(8, "农业灌溉用水水费的征收", "", "行政征收"))
    footnote = len(rows) + 1
    rows.append(["注：1.本清单所列事项实行动态调整。", "", "", "", "", "", "", ""])
    rows.append(["2.本清单由克拉玛依市水利局负责解释。", "", "", "", "", "", "", ""])
    rows.append(["填表人：王五", "", "", "", "", "", "", ""])
    merges.append(f"A{footnote}:H{footnote}")
    return write_xlsx(path, {"权责清单": rows}, {"权责清单": merges})


def test_a_header_over_two_rows_under_titles_with_blank_rows_and_footnotes(tmp_path: Path) -> None:
    _split_header(tmp_path / "克拉玛依市水利局2024年权责清单.xlsx")
    graph, summary = _one(tmp_path)
    # 8 numbered items; item 2 is 3 sub-item rows, item 5 is 2: 11 item nodes, 5 of them sub-items
    assert (summary.items, summary.sub_items, summary.rows_not_placed) == (8, 5, 0)
    assert _per_government(graph) == {CITY: (8, 5)}
    assert [read.header_rows for read in summary.sheet_reads] == [(3, 4)]
    reads = _reads(summary)
    assert reads["事项名称 (B)"] == ("item", "wording") and reads["事项子项 (C)"] == ("sub_item", "wording")
    assert reads["责任事项内容 (F)"] == ("duties", "wording")
    assert reads["责任事项依据 (G)"] == ("duties_basis", "wording")
    # the three lines under the table (rows 20-22: 2 title rows, 2 header rows, the column numbers,
    # 11 item rows and 3 blank rows above them) are notes, not items; the column numbers are skipped
    assert [note.row for note in summary.notes] == [20, 21, 22]
    assert summary.rows_read == 11 + 3  # the item rows and the three notes
    item = graph.nodes[power_item_id("克拉玛依市水利局-XK-2", "蓄滞洪区内")]
    assert item["name"] == "水工程建设规划同意书审核" and item["power_type"] == "行政许可"
    assert item.origin is not None and item.origin.row == 8


# -- one power type per sheet, no type column ---------------------------------------------------


def _type_sheets(path: Path) -> Path:
    def sheet(names: list[str]) -> list[list[Any]]:
        rows: list[list[Any]] = [["序号", "事项名称", "设定依据", "实施主体", "承办机构"]]
        for number, name in enumerate(names, start=1):
            rows.append(
                [number, name, "《中华人民共和国森林法》第三十七条", "克拉玛依市林业和草原局", "林政科"]
            )
        return rows

    return write_xlsx(
        path,
        {
            "行政许可（3项）": sheet(["林木采伐许可证核发", "使用林地审核", "林草种子生产经营许可证核发"]),
            "行政处罚（4项）": sheet(
                ["对盗伐林木的处罚", "对滥伐林木的处罚", "对毁坏林木的处罚", "对非法开垦林地的处罚"]
            ),
            "行政检查（2项）": sheet(["对林木种苗质量的监督检查", "对森林防火工作的监督检查"]),
        },
    )


def test_a_type_per_sheet_and_no_type_column(tmp_path: Path) -> None:
    _type_sheets(tmp_path / "克拉玛依市林业和草原局权责清单.xlsx")
    graph, summary = _one(tmp_path)
    assert (summary.items, summary.declared_items, summary.rows_not_placed) == (9, 9, 0)  # 3 + 4 + 2
    types = Counter(str(n["power_type"]) for n in graph.nodes.values() if n.kind is NodeKind.POWER_ITEM)
    assert types == {"行政许可": 3, "行政处罚": 4, "行政检查": 2}
    assert (
        "item:克拉玛依市林业和草原局-CF-4" in graph.nodes
        and "item:克拉玛依市林业和草原局-JC-2" in graph.nodes
    )
    assert all(read.code_parts == {} for read in summary.sheet_reads)  # the types keep the codes apart


# -- a .xls named .xlsx -------------------------------------------------------------------------


def test_an_xls_named_xlsx(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("权责清单")
    sheet.write_merge(0, 0, 0, 4, "克拉玛依市气象局权责清单")
    for column, header in enumerate(["序号", "权力名称", "权力类型", "实施依据", "实施主体"]):
        sheet.write(1, column, header)
    names = [
        "雷电防护装置检测资质认定",
        "升放无人驾驶自由气球审批",
        "对违法施放气球的处罚",
        "气象设施保护检查",
        "气象灾害预警信号发布",
    ]
    types = ["行政许可", "行政许可", "行政处罚", "行政检查", "其他行政权力"]
    for number, (name, power_type) in enumerate(zip(names, types, strict=True), start=1):
        for column, value in enumerate(
            [float(number), name, power_type, "《气象法》第三十七条", "克拉玛依市气象局"]
        ):
            sheet.write(1 + number, column, value)
    path = tmp_path / "克拉玛依市气象局权责清单.xlsx"
    book.save(str(path))
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # BIFF (OLE), not OOXML
    graph, summary = _one(tmp_path)
    assert (summary.items, summary.rows_not_placed) == (5, 0)  # five numbered rows
    assert graph.nodes["item:克拉玛依市气象局-CF-3"]["name"] == "对违法施放气球的处罚"


# -- a list turned on its side -----------------------------------------------------------------


def test_a_transposed_list_is_read_turned(tmp_path: Path) -> None:
    rows = [
        ["序号", 1, 2, 3, 4],
        [
            "事项名称",
            "地震安全性评价审定",
            "对破坏地震监测设施的处罚",
            "地震监测设施保护检查",
            "建设工程抗震设防要求确定",
        ],
        ["权力类型", "行政许可", "行政处罚", "行政检查", "行政确认"],
        [
            "设定依据",
            "《防震减灾法》第三十五条",
            "《防震减灾法》第八十四条",
            "《防震减灾法》第二十三条",
            "《防震减灾法》第三十五条",
        ],
        ["实施主体", "克拉玛依市地震局", "克拉玛依市地震局", "克拉玛依市地震局", "克拉玛依市地震局"],
    ]
    write_xlsx(tmp_path / "克拉玛依市地震局权责清单.xlsx", {"Sheet1": rows})
    graph, summary = _one(tmp_path)
    assert (summary.items, summary.rows_not_placed) == (4, 0)  # columns B to E
    assert summary.sheet_reads[0].transposed
    item = graph.nodes["item:克拉玛依市地震局-CF-2"]
    assert item["name"] == "对破坏地震监测设施的处罚" and item.origin is not None and item.origin.row == 3


# -- levels by a column naming districts, and by rows over groups --------------------------------


def _grouped(path: Path) -> Path:
    header = ["序号", "事项名称", "权力类型", "设定依据", "实施主体", "所属行政区划"]
    basis = "《建设工程质量管理条例》第五十四条"
    rows: list[list[Any]] = [header, ["一、市本级"] + [""] * 5]
    merges = ["A2:F2"]
    for number, name in enumerate(
        ["建筑工程施工许可", "商品房预售许可", "对违法建设的处罚", "对建筑市场的监督检查"], 1
    ):
        power_type = "行政许可" if number <= 2 else "行政处罚" if number == 3 else "行政检查"
        rows.append([number, name, power_type, basis, "克拉玛依市住房和城乡建设局", "克拉玛依市"])
    rows.append(["二、区县级"] + [""] * 5)
    merges.append(f"A{len(rows)}:F{len(rows)}")
    for number, (name, place) in enumerate(
        [
            ("建筑工程施工许可", "独山子区"),
            ("商品房预售许可", "独山子区"),
            ("城镇排水许可", "克拉玛依区"),
            ("物业服务许可", ""),
        ],
        1,
    ):
        rows.append([number, name, "行政许可", basis, "住房和城乡建设局", place])
    return write_xlsx(path, {"Sheet1": rows}, {"Sheet1": merges})


def test_a_level_column_naming_districts_and_rows_heading_groups(tmp_path: Path) -> None:
    _grouped(tmp_path / "克拉玛依市住房和城乡建设局权责清单.xlsx")
    graph, summary = _one(tmp_path)
    # group 一 (市本级): items 1-4 of the city; group 二 (区县级) numbers from 1 again: items 1-2 in
    # 独山子区, 3 in 克拉玛依区, 4 names no district: the one government of the districts
    assert _per_government(graph) == {
        CITY: (4, 0),
        DUSHANZI: (2, 0),
        KARAMAY_DISTRICT: (1, 0),
        COUNTIES: (1, 0),
    }
    assert summary.rows_not_placed == 0 and [n.row for n in summary.notes] == [2, 7]
    assert summary.sheet_reads[0].code_parts == {"二、区县级": "区县级"}
    item = graph.nodes[power_item_id("克拉玛依市住房和城乡建设局-区县级-XK-1", government=DUSHANZI)]
    assert item["name"] == "建筑工程施工许可" and item["level"] == "县级"
    held = {e.target for e in graph.edges.values() if e.source == item.id and e.kind is EdgeKind.HELD_BY}
    assert held == {department_id(DUSHANZI, "独山子区住房和城乡建设局")}
    assert government_id(DUSHANZI) in graph.nodes


# -- all of them: ≥ 99% of item rows placed, each with its government and level ------------------


def test_every_shape_together_places_its_rows_with_their_governments(tmp_path: Path) -> None:
    generic = _generic_rows("克拉玛依市测绘地理信息局")  # another department: its own codes
    write_xlsx(
        tmp_path / "克拉玛依市测绘地理信息局2025年权责清单.xlsx", {"Sheet1": generic}, {"Sheet1": ["A1:Q1"]}
    )
    _two_levels(tmp_path / "克拉玛依市自然资源局地县两级权责清单.xlsx")
    _split_header(tmp_path / "克拉玛依市水利局2024年权责清单.xlsx")
    _type_sheets(tmp_path / "克拉玛依市林业和草原局权责清单.xlsx")
    _grouped(tmp_path / "克拉玛依市住房和城乡建设局权责清单.xlsx")
    graph, summaries = read_published_with_summary(tmp_path)
    rows = sum(s.item_rows for s in summaries)
    assert rows == 30 + 2 * 11 + 11 + 9 + 8  # the item rows written above, counted by list
    assert sum(s.placed for s in summaries) / rows >= 0.99
    # each row one item node, of the government and level counted by list: the city's rows of the
    # five lists (30, 11, 11, 9, 4), the county sheet's (8 + 2 + 1) and the 区县级 group's (2 + 1 + 1)
    levels = Counter(_holders(graph).values())
    assert levels == {
        (CITY, "市级"): 30 + 11 + 11 + 9 + 4,
        (COUNTIES, "县级"): 8 + 1,
        (DUSHANZI, "县级"): 2 + 2,
        (BAIJIANTAN, "县级"): 1,
        (KARAMAY_DISTRICT, "县级"): 1,
    }


# -- folders with files that are not lists ------------------------------------------------------


def test_a_folder_loads_the_files_it_can_read_and_lists_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _type_sheets(tmp_path / "克拉玛依市林业和草原局权责清单.xlsx")
    (tmp_path / "损坏的清单.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["日期", "产品", "数量"])
    sheet.append(["2024-01-01", "苹果", 3])
    book.save(tmp_path / "销售.xlsx")
    graph, summaries = read_published_with_summary(tmp_path)
    refused = {Path(s.file).name: s.refused for s in summaries if s.refused}
    assert set(refused) == {"损坏的清单.xlsx", "销售.xlsx"}
    assert "not a spreadsheet" in str(refused["损坏的清单.xlsx"]) and "not a power list" in str(
        refused["销售.xlsx"]
    )
    assert sum(1 for n in graph.nodes.values() if n.kind is NodeKind.POWER_ITEM) == 9
    assert {Path(p.file).name for p in graph.problems} == {"损坏的清单.xlsx", "销售.xlsx"}
    with pytest.raises(InvalidData, match="not power lists") as caught:
        read_published(tmp_path, strict=True)
    assert {Path(p.file).name for p in caught.value.problems} == {"损坏的清单.xlsx", "销售.xlsx"}
    # check lists them and exits 1; --strict stops with the reasons on stderr; load lists them too
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "销售.xlsx: refused: not a power list" in out and "林业和草原局" in out
    assert main(["check", str(tmp_path), "--strict"]) == 1
    assert "损坏的清单.xlsx" in capsys.readouterr().err
    assert main(["load", str(tmp_path), "--store", "memory"]) == 0
    captured = capsys.readouterr()
    assert "9 PowerItem" in captured.out and "not loaded:" in captured.err and "销售.xlsx" in captured.err


def test_layouts_of_lists_the_mapping_knows_are_found_by_their_wording() -> None:
    class Grid:
        def __init__(self, cells: list[list[str]]) -> None:
            self.cells = cells
            self.covered: dict[tuple[int, int], tuple[int, int]] = {}

        def own(self, row: int, column: int) -> str:
            return self.cells[row][column] if column < len(self.cells[row]) else ""

        shown = own

    grid = Grid(
        [
            ["某局权责清单", "", "", ""],
            ["序号", "事项名称", "权力类型", "实施主体"],
            ["1", "对甲的处罚", "行政处罚", "示例市测试局"],
        ]
    )
    layout = find_layout(grid, load_mapping())
    assert layout is not None and layout.header_rows == (1,) and layout.titles == ["某局权责清单"]
    assert {read.how for read in layout.reads} == {"wording"}
