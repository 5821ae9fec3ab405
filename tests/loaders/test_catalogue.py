"""The service-catalogue reader on the Guangdong JSON Lines (../shared/data/real/guangdong-service-items).

Counts made independently with `json` and `collections.Counter` over the file: 2,262 lines, 2,262
distinct TASK_CODEs, 177 distinct DEPT_NAMEs (with the 13 bodies the stages name and no line holds:
190 departments), 11 statutory limits in natural days (自然日), 87 lines whose co_department is not
无, with 431 stages in all (审核 172, 受理 107, 决定与公开 83, 证件制定与送达 69). Of the 87, 80 name two or more bodies; the 7 that do not are
listed in SINGLE_BODY below, read line by line.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from graph import InvalidData, MemoryStore
from graph.analyses import SplitKind, find_splits
from graph.ids import department_id, power_item_id, stage_id
from loaders.catalogue import parse_co_departments, read_service_catalogue
from loaders.readgraph import WorkbookGraph
from ontology import EdgeKind, NodeKind

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CATALOGUE = DATA / "real" / "guangdong-service-items" / "policy.jsonl"
PROVINCE = "广东省人民政府"

pytestmark = pytest.mark.skipif(not CATALOGUE.is_file(), reason="the shared data is not there")

# co_department lists only one body: five name the item's own department (a procedure of several
# stages in one department: no split). Two more name the provincial 司法厅 for a city item of
# 广州市司法局: the holder carries no stage the catalogue names, and it is a split all the same
# (find_splits counts the holder among the departments), so they are not in this list.
SINGLE_BODY = {
    "11440000006939908P2442117138000": "省级农业农村（决定与公开）",
    "11440000006940116U2442102035000": "省级教育（受理,审核）",
    "1144000000694016742440809004000": "省级司法（受理,审核,决定与公开）",
    "11440000MB2D0344212442172020001": "省级食药监（受理,审核,决定与公开,证件制定与送达）",
    "11440000MB2D0344212442172020003": "省级食药监（受理,审核,决定与公开,证件制定与送达）",
}


@pytest.fixture(scope="module")
def catalogue() -> WorkbookGraph:
    return read_service_catalogue(CATALOGUE)


@pytest.fixture(scope="module")
def store(catalogue: WorkbookGraph) -> MemoryStore:
    store = MemoryStore()
    with store.writer() as writer:
        for node in catalogue.nodes.values():
            writer.add_node(node)
        for edge in catalogue.edges.values():
            writer.add_edge(edge)
    return store


def _lines() -> list[dict[str, object]]:
    return [json.loads(line) for line in CATALOGUE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_line_is_an_item_of_its_department(catalogue: WorkbookGraph) -> None:
    counts = catalogue.counts()
    assert counts[NodeKind.POWER_ITEM] == 2262 and catalogue.problems == []
    assert counts[NodeKind.GOVERNMENT] == 6  # 广东省, 广州市, 国务院 and three grouped levels below
    assert counts[NodeKind.DEPARTMENT] == 190
    assert counts[NodeKind.STAGE] == 431
    lines = _lines()
    assert len({line["TASK_CODE"] for line in lines}) == 2262
    types = Counter(
        node["power_type"] for node in catalogue.nodes.values() if node.kind is NodeKind.POWER_ITEM
    )
    assert types["行政许可"] == 510 and types["其他行政权力"] == 77 + 1586  # 公共服务 is not a power type


def test_an_item_with_its_limits_and_sub_item(catalogue: WorkbookGraph) -> None:
    item = catalogue.nodes[power_item_id("11440000006939756B2440101007000")]
    assert (item["name"], item["power_type"], item["level"]) == (
        "临时价格干预范围事项提价申报",
        "行政许可",
        "省级",
    )
    assert (item["statutory_days"], item["promised_days"]) == (30, 7)
    held = [e.target for e in catalogue.edges.values() if e.source == item.id and e.kind is EdgeKind.HELD_BY]
    assert held == [department_id(PROVINCE, "广东省发展和改革委员会")]
    sub = catalogue.nodes[power_item_id("11440000006940116U244010200300103", "民办高等职业学校设置异地校区")]
    assert sub["name"] == "高等职业学校设立（含设置分校区）"  # the sub-item's brackets taken off the name
    service = next(
        n
        for n in catalogue.nodes.values()
        if n.kind is NodeKind.POWER_ITEM and n.get("extra", {}).get("事项类型") == "公共服务"
    )
    assert service["power_type"] == "其他行政权力" and "basis_status" not in service.props
    natural = [
        n for n in catalogue.nodes.values() if "(自然日)" in str(n.get("extra", {}).get("法定时限", ""))
    ]
    assert len(natural) == 11 and all("statutory_days" not in n.props for n in natural)
    city = catalogue.nodes[power_item_id("11440100007483180K3440109011001")]
    held = [e.target for e in catalogue.edges.values() if e.source == city.id and e.kind is EdgeKind.HELD_BY]
    assert held == [department_id("广州市人民政府", "广州市司法局")]


def test_stages_are_in_procedure_order_with_the_departments_named(catalogue: WorkbookGraph) -> None:
    item = power_item_id("11440000006940116U244010200300103", "民办高等职业学校设置异地校区")
    # 省级教育（受理,审核,决定与公开,证件制定与送达）、省级发改委（审核）… eight more bodies reviewing
    stages = [catalogue.nodes[stage_id(item, step)] for step in range(1, 13)]
    assert [s["name"] for s in stages] == ["受理", *["审核"] * 9, "决定与公开", "证件制定与送达"]
    assert [s.get("role") for s in stages[:2]] == ["承办", "审核"] and stages[10]["role"] == "批准"

    def carrier(step: int) -> str:
        return next(
            e.target
            for e in catalogue.edges.values()
            if e.source == stage_id(item, step) and e.kind is EdgeKind.STAGE_DEPARTMENT
        )

    assert carrier(1) == carrier(12) == department_id(PROVINCE, "广东省教育厅")
    assert {carrier(step) for step in range(3, 11)} == {
        department_id(PROVINCE, name)
        for name in (
            "广东省发展和改革委员会",
            "广东省科学技术厅",
            "广东省工业和信息化厅",
            "广东省财政厅",
            "广东省人力资源和社会保障厅",  # 人社, written out by the mapping's abbreviations
            "广东省自然资源厅",
            "广东省住房和城乡建设厅",  # 住房与城乡建设
            "广东省机构编制委员会办公室",  # 编办: no line names it, so it is made
        )
    }
    levels = [
        (p.level, p.field)
        for p in parse_co_departments("市级司法（受理,审核）、省级司法（审核,决定与公开,证件制定与送达）")
    ]
    assert levels == [("市级", "司法"), ("省级", "司法")]


def test_the_stage_splits_are_found(store: MemoryStore, catalogue: WorkbookGraph) -> None:
    with_co = {str(line["TASK_CODE"]) for line in _lines() if line["co_department"] not in ("无", "", None)}
    assert len(with_co) == 87
    splits = [s for s in find_splits(store) if s.kind is SplitKind.STAGES]
    found = {str(catalogue.nodes[s.items[0]]["code"]) for s in splits}
    assert len(splits) == 82 and found == with_co - set(SINGLE_BODY)
    assert all(len(s.departments) >= 2 and s.lead_department in s.departments for s in splits)
    cross_level = [
        s for s in splits if any(d.startswith("department:广东省所辖地级市人民政府/") for d in s.departments)
    ]
    assert cross_level  # 省级司法 with 市级司法: the cities' justice bureaux, one grouped government
    for code, written in SINGLE_BODY.items():
        item = next(
            n for n in catalogue.nodes.values() if n.kind is NodeKind.POWER_ITEM and n["code"] == code
        )
        assert item["extra"]["联办部门"] == written


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (bytes(range(256)) * 4, "not UTF-8"),
        (b'{"a": 1}\n[1, 2]\n', "not a service catalogue"),
        (b"hello\n", "not a service catalogue"),
    ],
)
def test_a_file_that_is_not_a_catalogue_is_a_clear_error(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "items.jsonl"
    path.write_bytes(content)
    with pytest.raises(InvalidData, match=message):
        read_service_catalogue(path)


def test_bad_lines_are_reported_with_their_line(tmp_path: Path) -> None:
    good = CATALOGUE.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "items.jsonl"
    path.write_text(f"{good}\nnot json\n{{}}\n", encoding="utf-8")
    graph = read_service_catalogue(path)
    assert graph.counts()[NodeKind.POWER_ITEM] == 1
    assert [(p.row, p.reason.split(" (")[0]) for p in graph.problems] == [
        (2, "not JSON"),
        (3, "not a catalogue item"),
    ]
