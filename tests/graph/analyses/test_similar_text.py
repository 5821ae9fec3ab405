"""SIMILAR_TEXT at every size: near-identical texts of a small city pair as a province's do, and items
are compared only within one government and one level of government."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from graph import MemoryStore
from graph.analyses import Overlap, OverlapKind, find_overlaps
from graph.similarity import similarity
from loaders.workbook import load_workbook
from ontology import NodeKind
from tests.builders import Sheets, write_xlsx

GOV = "小城市人民政府"
POWER_HEADER = ["事项编码", "权力类型", "权力名称", "实施主体", "设定依据"]
FUNCTION_HEADER = ["职能编码", "部门", "职能内容"]
IRRIGATION = "负责全市农田水利建设和管理，指导农田灌溉排水工作"
IRRIGATION_AGAIN = "负责全市农田水利设施建设与管理，指导农村灌溉排水工作"
FUNCTIONS = [
    ["ZN-01", "农业农村局", IRRIGATION],
    ["ZN-02", "农业农村局", "负责全市种植业、畜牧业、渔业的监督管理"],
    ["ZN-03", "水利局", IRRIGATION_AGAIN],
    ["ZN-04", "水利局", "负责全市水资源的统一监督管理"],
    ["ZN-05", "市场监督管理局", "负责全市食品安全监督管理综合协调"],
    ["ZN-06", "生态环境局", "负责全市生态环境监督执法，组织开展环境保护执法检查"],
    ["ZN-07", "自然资源局", "负责全市自然资源调查监测评价和确权登记"],
    ["ZN-08", "住房和城乡建设局", "负责全市建筑市场和工程质量安全的监督管理"],
    ["ZN-09", "交通运输局", "负责全市公路、水路交通运输行业的监督管理"],
    ["ZN-10", "应急管理局", "负责全市安全生产综合监督管理和应急救援工作"],
    ["ZN-11", "卫生健康委员会", "负责全市医疗机构和医疗服务的行业监督管理"],
    ["ZN-12", "教育局", "负责全市各级各类教育的统筹规划和协调管理"],
]


def _city(powers: list[list[str]], functions: list[list[str]]) -> Sheets:
    departments = sorted({row[3] for row in powers} | {row[1] for row in functions})
    return {
        "部门": [["部门名称", "所属政府"], *([name, GOV] for name in departments)],
        "权责清单": [POWER_HEADER, *powers],
        "职能": [FUNCTION_HEADER, *functions],
    }


def _store(tmp_path: Path, sheets: Sheets) -> MemoryStore:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "city.xlsx", sheets), store)
    return store


def test_near_identical_functions_of_a_city_of_ten_departments_stand_out(tmp_path: Path) -> None:
    # counted among the city's twelve functions alone, the bigrams the two share are common and their
    # differences rare (0.46 with the weights of a block); the reference corpus knows which are which
    powers = [["XK-1", "行政许可", "取水许可", "水利局", ""]]
    found = _similar(_store(tmp_path, _city(powers, FUNCTIONS)), text_threshold=0.3)
    assert [o.functions for o in found] == [("function:ZN-01", "function:ZN-03")]
    assert 0.55 <= found[0].score < similarity(IRRIGATION, IRRIGATION_AGAIN)  # plain Jaccard: 0.607


def test_near_identical_item_names_of_a_city_of_two_departments_pair(tmp_path: Path) -> None:
    powers = [
        ["CF-1", "行政处罚", "对未取得食品经营许可从事食品经营活动的处罚", "市场监督管理局", ""],
        ["CF-2", "行政处罚", "对未取得食品经营许可从事食品经营活动行为的行政处罚", "商务局", ""],
    ]
    [overlap] = _similar(_store(tmp_path, _city(powers, [])))
    assert overlap.items == ("item:CF-1", "item:CF-2")
    assert overlap.score >= 0.7


def test_items_of_two_levels_of_one_government_are_never_compared(tmp_path: Path) -> None:
    powers = [
        ["XK-1", "行政许可", "食品经营许可", "市场监督管理局", "《中华人民共和国食品安全法》第三十五条"],
        ["XK-2", "行政许可", "食品经营许可", "商务局", "《中华人民共和国食品安全法》第三十五条"],
        [
            "XK-3",
            "行政许可",
            "食品经营许可（含网络经营）",
            "商务局",
            "《中华人民共和国食品安全法》第三十五条",
        ],
    ]
    store = _store(tmp_path, _city(powers, []))
    every_kind = find_overlaps(store, verdicts=None)
    assert {o.items for o in every_kind} >= {("item:XK-1", "item:XK-2"), ("item:XK-1", "item:XK-3")}
    _set_levels(store, {"item:XK-1": "市级", "item:XK-2": "县级", "item:XK-3": "县级"})
    assert find_overlaps(store, verdicts=None) == []
    _set_levels(store, {"item:XK-1": "县级"})
    assert {o.items for o in find_overlaps(store, verdicts=None)} == {o.items for o in every_kind}


def _similar(store: MemoryStore, text_threshold: float = 0.6) -> list[Overlap]:
    return find_overlaps(
        store, kinds={OverlapKind.SIMILAR_TEXT}, verdicts=None, text_threshold=text_threshold
    )


def _set_levels(store: MemoryStore, levels: dict[str, str]) -> None:
    """Give items a level of government, as published lists do (a workbook has no level column)."""
    with store.writer() as writer:
        for item in store.nodes(NodeKind.POWER_ITEM):
            if item.id in levels:
                writer.add_node(replace(item, props={**item.props, "level": levels[item.id]}))
