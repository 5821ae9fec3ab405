"""The analyses government by government give the whole graph's answers: on the demo, the shared real
lists, a generated province and hand-made cities whose data crosses governments; on every store."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from graph import Edge, GraphStore, MemoryStore, Node
from graph.analyses import GapKind, find_gaps, find_overlaps, find_splits, partitions
from graph.analyses.partitions import (
    Analysed,
    AnalysisRequest,
    analyse,
    gather,
    partitioned_gaps,
    partitioned_overlaps,
    partitioned_splits,
)
from graph.subgraph import Subgraph
from loaders.demo import DEMO_WORKBOOK
from loaders.demo.province import generate_province
from loaders.sources import load_source
from loaders.workbook import load_workbook
from ontology import EdgeKind, NodeKind
from tests.builders import Sheets, small, write_xlsx

AT = date(2024, 6, 30)
REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "real"
EVERYTHING = AnalysisRequest(overlaps={"verdicts": None}, splits={"min_departments": 1}, at=AT)


def single(reader: GraphStore) -> tuple[list, list, list]:
    return (
        find_overlaps(reader, verdicts=None),
        find_gaps(reader, at=AT),
        find_splits(reader, min_departments=1),
    )


def assert_same(reader: GraphStore, *, workers: int = 2) -> int:
    """Assert the partitioned answers are the single graph's; return how many partitions there were."""
    found = analyse(reader, EVERYTHING, workers=workers)
    overlaps, gaps, splits = single(reader)
    assert found.overlaps == overlaps
    assert found.gaps == gaps
    assert found.splits == splits
    return found.partitions


# -- hand-made cities whose data crosses governments ---------------------------------------------------

COUNTY_DEPARTMENT = ["示例县市场监督管理局", "XSJ", "示例县人民政府", "组成部门", "", 1, ""]
COUNTY_POST = ["XSJ-01", "示例县市场监督管理局", "", "局长", "行政首长", "局长", "", ""]
COUNTY_ITEM = [
    "XK-001X",
    "行政许可",
    "食品经营许可",
    "",
    "示例县市场监督管理局",
    "",
    "",
    "",
    "",
    20,
    10,
    "",
    "",
]


def three_governments() -> Sheets:
    """示例市 and 示例区 of `SMALL`, and 示例县 with a department, a post and an item of its own."""
    sheets = small()
    sheets["部门"].append(list(COUNTY_DEPARTMENT))
    sheets["岗位"].append(list(COUNTY_POST))
    sheets["权责清单"].append(list(COUNTY_ITEM))
    sheets["任职"].append(["P20", "孙丽", "XSJ-01", "2020-01-01", "", "行政编制", "示例县市场监督管理局"])
    return sheets


def person_in_two_governments(sheets: Sheets) -> None:
    """刘洋 (P04) also heads 示例县's bureau: posts in two governments (兼职)."""
    sheets["任职"].append(["P04", "刘洋", "XSJ-01", "2023-01-01", "", "", ""])


def quota_of_another_government(sheets: Sheets) -> None:
    """A person working in 示例县 on a quota of 示例市商务局 (混用编制 across governments)."""
    sheets["任职"].append(["P21", "吴刚", "XSJ-01", "2023-01-01", "", "行政编制", "示例市商务局"])


def stage_of_another_government(sheets: Sheets) -> None:
    """示例县's licence has a stage carried by 示例市's service centre (a split across levels)."""
    sheets["审批环节"].append(["XK-001X", 1, "受理", "承办", "示例市政务服务中心", "综合窗口", "ZW-11", 1])
    sheets["审批环节"].append(["XK-001X", 2, "决定", "批准", "示例县市场监督管理局", "", "XSJ-01", 5])


def requires_another_government(sheets: Sheets) -> None:
    """示例县's licence requires 示例市's licence first (a chain across governments)."""
    sheets["权责清单"][-1][11] = "XK-001"


def duty_cited_in_one_government(sheets: Sheets) -> None:
    """A law's duty that only 示例县's item cites: no UNHELD_DUTY, though 示例市 does not cite it."""
    sheets["法律依据"].append(
        [
            "中华人民共和国食品安全法",
            "法律",
            "第八十七条",
            "……",
            "食品安全抽样检验",
            "县级以上人民政府食品安全监督管理部门",
        ]
    )
    sheets["权责清单"][-1][6] = "《中华人民共和国食品安全法》第八十七条"


def unheld_duty(sheets: Sheets) -> None:
    """A law's duty that nothing cites: one UNHELD_DUTY, found once however many partitions."""
    sheets["法律依据"].append(["中华人民共和国食品安全法", "法律", "第九十条", "……", "食品召回监督", ""])


CROSSINGS: dict[str, Callable[[Sheets], None]] = {
    "apart": lambda sheets: None,
    "person in two governments": person_in_two_governments,
    "quota of another government": quota_of_another_government,
    "stage of another government": stage_of_another_government,
    "requires another government": requires_another_government,
    "duty cited in one government": duty_cited_in_one_government,
    "unheld duty": unheld_duty,
}


@pytest.mark.parametrize("crossing", CROSSINGS)
def test_a_city_whose_data_crosses_governments(store: GraphStore, tmp_path: Path, crossing: str) -> None:
    sheets = three_governments()
    CROSSINGS[crossing](sheets)
    load_workbook(write_xlsx(tmp_path / "city.xlsx", sheets), store)
    assert store.count(NodeKind.GOVERNMENT) == 3
    partitions = assert_same(store)
    joined = crossing in {
        "person in two governments",
        "quota of another government",
        "stage of another government",
        "requires another government",
    }
    # 示例区 shares no one and nothing with the others; 示例县 is joined to 示例市 by what crosses
    assert partitions == (2 if joined else 3)


def test_the_findings_that_cross_governments_are_found(tmp_path: Path) -> None:
    sheets = three_governments()
    person_in_two_governments(sheets)
    quota_of_another_government(sheets)
    unheld_duty(sheets)
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "city.xlsx", sheets), store)
    gaps = partitioned_gaps(store, at=AT, workers=1)
    kinds = {(gap.kind, gap.subject_id) for gap in gaps}
    assert (GapKind.CONCURRENT_POSTS, "person:P04") in kinds
    assert (GapKind.MIXED_QUOTA, "person:P21") in kinds
    assert (GapKind.GHOST_PAYROLL, "person:P21") not in kinds  # it works, in the other government
    unheld = [gap.subject_name for gap in gaps if gap.kind is GapKind.UNHELD_DUTY]
    assert len(unheld) == len(set(unheld)) == 2  # 第一百零九条 of `SMALL`, and 第九十条: each once
    assert any("第九十条" in title for title in unheld)


def test_nodes_of_no_government_are_a_partition_of_their_own(store: GraphStore, tmp_path: Path) -> None:
    load_workbook(write_xlsx(tmp_path / "city.xlsx", three_governments()), store)
    with store.writer() as writer:  # a department of no government, and an item of none
        writer.add_node(Node("department:无主部门", NodeKind.DEPARTMENT, {"name": "某某管理办公室"}))
        item = {"name": "某某事项的确认", "power_type": "行政确认", "code": "QR-9", "basis_status": "empty"}
        writer.add_node(Node("item:QR-9", NodeKind.POWER_ITEM, {**item, "basis": ""}))
        writer.add_node(Node("item:QR-10", NodeKind.POWER_ITEM, {**item, "code": "QR-10", "basis": ""}))
        writer.add_edge(Edge("item:QR-9", EdgeKind.HELD_BY, "department:无主部门"))
    partitions = assert_same(store)
    assert partitions == 4
    gaps = partitioned_gaps(store, at=AT, kinds={GapKind.UNBASED_POWER})
    assert {"item:QR-9", "item:QR-10"} <= {gap.subject_id for gap in gaps}


def test_one_department_and_one_kind(tmp_path: Path) -> None:
    sheets = three_governments()
    person_in_two_governments(sheets)
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "city.xlsx", sheets), store)
    department = "department:示例市人民政府/示例市市场监督管理局"
    assert partitioned_gaps(store, at=AT, department=department) == find_gaps(
        store, at=AT, department=department
    )
    kinds = {GapKind.VACANT_POST, GapKind.NO_HEAD}
    assert partitioned_gaps(store, at=AT, kinds=kinds) == find_gaps(store, at=AT, kinds=kinds)
    assert partitioned_overlaps(store, department=department) == find_overlaps(store, department=department)
    assert partitioned_splits(store) == find_splits(store)


def test_a_partition_holds_what_belongs_to_its_government(tmp_path: Path) -> None:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "city.xlsx", three_governments()), store)
    county = gather(store, [("government", "government:示例县人民政府")])
    assert county.bridges == frozenset()
    graph = county.graph
    assert [node.id for node in graph.nodes(NodeKind.GOVERNMENT)] == ["government:示例县人民政府"]
    assert {node["name"] for node in graph.nodes(NodeKind.DEPARTMENT)} == {"示例县市场监督管理局"}
    assert {node.id for node in graph.nodes(NodeKind.PERSON)} == {"person:P20"}
    assert graph.count(NodeKind.POWER_ITEM) == 1
    assert graph.count(NodeKind.CASE) == 0  # the analyses do not read the cases
    city = gather(store, [("government", "government:示例市人民政府")])
    assert city.graph.count(NodeKind.ARTICLE) >= 1  # the articles its items cite come with them
    assert "person:P20" not in {node.id for node in city.graph.nodes(NodeKind.PERSON)}


def test_in_a_worker_process_from_the_command_line(tmp_path: Path) -> None:
    """The command line is a process of one thread: its partitions are analysed in forked workers."""
    sheets = three_governments()
    stage_of_another_government(sheets)
    book = write_xlsx(tmp_path / "city.xlsx", sheets)
    script = (
        "import json, sys; from datetime import date; from graph import MemoryStore;"
        "from graph.analyses.partitions import analyse, AnalysisRequest, _may_fork;"
        "from loaders.workbook import load_workbook; from tests.builders import *;"
        "store = MemoryStore(); load_workbook(sys.argv[1], store);"
        "found = analyse(store, AnalysisRequest(overlaps={'verdicts': None}, at=date(2024, 6, 30)), workers=2);"
        "print(json.dumps([_may_fork(), found.processes, found.partitions, [g.id for g in found.gaps],"
        " [o.id for o in found.overlaps], [s.items for s in found.splits]]))"
    )
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", script, str(book)], capture_output=True, text=True, check=True, cwd=root
    )
    may_fork, processes, partitions, gaps, overlaps, splits = json.loads(result.stdout)
    store = MemoryStore()
    load_workbook(book, store)
    assert may_fork and processes == 2 and partitions == 2
    assert gaps == [gap.id for gap in find_gaps(store, at=AT)]
    assert overlaps == [overlap.id for overlap in find_overlaps(store, verdicts=None)]
    assert splits == [list(split.items) for split in find_splits(store)]


# -- the demo, the real lists, a generated province ---------------------------------------------------


def test_the_demo(store: GraphStore) -> None:
    load_workbook(DEMO_WORKBOOK, store)
    assert_same(store)


@pytest.mark.parametrize(
    "source", ["karamay-power-lists", "guangdong-service-items/policy.jsonl"], ids=["karamay", "guangdong"]
)
def test_the_shared_real_lists(store: GraphStore, source: str) -> None:
    load_source(REAL / source, store)
    assert store.count(NodeKind.GOVERNMENT) > 1
    assert_same(store)


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("province") / "province"
    generate_province(6000, folder, seed=3, governments=4)
    return folder


def test_a_generated_province(store: GraphStore, province: Path) -> None:
    load_source(province, store)
    assert store.count(NodeKind.GOVERNMENT) == 4
    assert assert_same(store) == 4  # a generated province's governments are apart


def test_in_place_and_in_workers_alike(province: Path) -> None:
    store = MemoryStore()
    load_source(province, store)
    here, there = analyse(store, EVERYTHING, workers=1), analyse(store, EVERYTHING, workers=3)
    assert (here.overlaps, here.gaps, here.splits) == (there.overlaps, there.gaps, there.splits)


@pytest.mark.neo4j
def test_neo4j_from_a_process_of_several_threads(
    neo4j_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in the service: no fork, so the workers of a big graph are started afresh and open the database
    themselves (this small one is as big as `SPAWN_FROM` says)."""
    monkeypatch.setattr(partitions, "SPAWN_FROM", 1)
    sheets = three_governments()
    person_in_two_governments(sheets)
    neo4j_store.clear()  # type: ignore[attr-defined]
    load_workbook(write_xlsx(tmp_path / "city.xlsx", sheets), neo4j_store)
    found = in_another_thread_running(lambda: analyse(neo4j_store, EVERYTHING, workers=2))
    assert found.processes == 2 and found.partitions == 2
    assert (found.overlaps, found.gaps, found.splits) == single(neo4j_store)


def in_another_thread_running(call: Callable[[], Analysed]) -> Analysed:
    """`call()` while a second thread runs, as in the service."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        return call()
    finally:
        stop.set()
        other.join()


def test_in_memory_from_a_process_of_several_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A graph in this process's memory, where no worker may be forked: a small one analysed at once, in
    one piece; a big one gathered here and sent to spawned workers partition by partition."""
    sheets = three_governments()
    person_in_two_governments(sheets)
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "city.xlsx", sheets), store)
    found = in_another_thread_running(lambda: analyse(store, EVERYTHING))
    assert (found.partitions, found.processes) == (1, 1)
    assert (found.overlaps, found.gaps, found.splits) == single(store)
    monkeypatch.setattr(partitions, "SPAWN_FROM", 1)
    found = in_another_thread_running(lambda: analyse(store, EVERYTHING, workers=2))
    assert (found.partitions, found.processes) == (2, 2)
    assert (found.overlaps, found.gaps, found.splits) == single(store)


def test_a_partition_sent_to_a_worker_is_the_same_there(tmp_path: Path) -> None:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    graph = gather(store, [("government", "government:巴中市人民政府")]).graph
    again = Subgraph.of_parts(pickle.loads(pickle.dumps(graph.parts())))
    for kind in NodeKind:
        assert sorted(again.nodes(kind), key=lambda node: node.id) == sorted(
            graph.nodes(kind), key=lambda node: node.id
        )
    for kind in EdgeKind:
        assert sorted((e.key, dict(e.props)) for e in again.edges(kind=kind)) == sorted(
            (e.key, dict(e.props)) for e in graph.edges(kind=kind)
        )
