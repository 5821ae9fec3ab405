"""Overlap verdicts through GraphQL: the default answer leaves the divisions (DIVIDED) out, `verdicts`
asks for them, the matrix and the clusters follow, and a boundary names its general side.

`write_verdict_workbook` is a small city whose three overlaps have obvious verdicts (the reports, the
command line and the views use it too): one item listed alike by two departments (OVERLAP), a penalty
on seeds of any kind against one on crop seeds (BOUNDARY, the general side the seeds' item), and the
licensing of crop seeds against that of forest and grass seeds (DIVIDED).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from api.app import execute
from graph import MemoryStore
from graph.ids import power_item_id
from loaders.sources import load_source
from tests.builders import Sheets, write_xlsx

GOVERNMENT = "示例市人民政府"
AGRICULTURE = "示例市农业农村局"
FORESTRY = "示例市林业和草原局"
URBAN = "示例市城市管理局"
HOUSING = "示例市住房和城乡建设局"
SEED_LAW = "《中华人民共和国种子法》"

#: the item codes of each overlap, and its verdict
SAME = ("XK-CG-01", "XK-ZJ-01")
BOUNDARY = ("CF-LC-01", "CF-NY-01")
DIVIDED = ("XK-NY-02", "XK-LC-02")
GENERAL = "CF-LC-01"  # 对生产经营假种子的处罚: names no kind of seed
VERDICTS = {SAME: "OVERLAP", BOUNDARY: "BOUNDARY", DIVIDED: "DIVIDED"}

OVERLAPS = """query($verdicts: [OverlapVerdict!]) {
  overlaps(verdicts: $verdicts) { id verdict reason evidence cluster items { code } general { code name }
    generalFunction { code } departments { name } }
  overlapMatrix(verdicts: $verdicts) { a { name } b { name } count }
  overlapClusters(verdicts: $verdicts) { id overlapIds overlapCount }
}"""


def verdict_sheets() -> Sheets:
    """The small city of the three verdicts, as sheets."""
    departments = [
        ["部门名称", "所属政府"],
        *([name, GOVERNMENT] for name in (AGRICULTURE, FORESTRY, URBAN, HOUSING)),
    ]
    powers = [
        ["事项编码", "权力类型", "权力名称", "实施主体", "设定依据"],
        ["XK-CG-01", "行政许可", "城市建筑垃圾处置核准", URBAN, "《城市市容和环境卫生管理条例》第三十九条"],
        ["XK-ZJ-01", "行政许可", "城市建筑垃圾处置核准", HOUSING, "《城市市容和环境卫生管理条例》第三十九条"],
        ["CF-LC-01", "行政处罚", "对生产经营假种子的处罚", FORESTRY, f"{SEED_LAW}第七十五条"],
        ["CF-NY-01", "行政处罚", "对生产经营假农作物种子的处罚", AGRICULTURE, f"{SEED_LAW}第七十五条"],
        ["XK-NY-02", "行政许可", "农作物种子生产经营许可", AGRICULTURE, f"{SEED_LAW}第三十一条"],
        ["XK-LC-02", "行政许可", "林草种子生产经营许可", FORESTRY, f"{SEED_LAW}第三十一条"],
    ]
    return {"部门": departments, "权责清单": powers}


def write_verdict_workbook(path: Path) -> Path:
    """Write the small city of the three verdicts as an .xlsx file at `path`; return `path`."""
    return write_xlsx(path, verdict_sheets())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    store = MemoryStore()
    load_source(write_verdict_workbook(tmp_path_factory.mktemp("verdicts") / "seeds.xlsx"), store)
    return store


def run(store: MemoryStore, query: str, **variables: Any) -> dict[str, Any]:
    response = asyncio.run(execute(store, query, variables=variables))
    assert "errors" not in response, response["errors"]
    data: dict[str, Any] = response["data"]
    return data


def by_items(overlaps: list[dict[str, Any]]) -> dict[tuple[str, ...], dict[str, Any]]:
    """The overlaps by the codes of their items, in the order of the codes above."""
    return {
        codes: overlap
        for overlap in overlaps
        for codes in VERDICTS
        if sorted(codes) == sorted(item["code"] for item in overlap["items"])
    }


def test_the_contract_defaults_to_the_verdicts_the_office_must_act_on(store: MemoryStore) -> None:
    query = (
        '{ __type(name: "Query") { fields(includeDeprecated: true) { name args { name defaultValue } } } }'
    )
    fields = {field["name"]: field["args"] for field in run(store, query)["__type"]["fields"]}
    for name in ("overlaps", "overlapMatrix", "overlapClusters"):
        verdicts = next(arg for arg in fields[name] if arg["name"] == "verdicts")
        assert verdicts["defaultValue"] == "[OVERLAP, BOUNDARY]", name


def test_each_overlap_carries_its_verdict_and_reason(store: MemoryStore) -> None:
    found = by_items(run(store, OVERLAPS, verdicts=[])["overlaps"])  # an empty list: every verdict
    assert {codes: overlap["verdict"] for codes, overlap in found.items()} == VERDICTS
    for overlap in found.values():
        assert overlap["reason"] and overlap["evidence"][-1] == overlap["reason"]


def test_the_default_leaves_the_divisions_out(store: MemoryStore) -> None:
    default = run(store, OVERLAPS)
    every = run(store, OVERLAPS, verdicts=["OVERLAP", "BOUNDARY", "DIVIDED"])
    assert set(by_items(default["overlaps"])) == {SAME, BOUNDARY}
    assert set(by_items(every["overlaps"])) == {SAME, BOUNDARY, DIVIDED}
    assert {o["verdict"] for o in default["overlaps"]} <= {"OVERLAP", "BOUNDARY"}
    assert [o["id"] for o in run(store, OVERLAPS, verdicts=None)["overlaps"]] == [
        o["id"] for o in every["overlaps"]
    ]  # null, as an empty list: every verdict


def test_divided_gives_only_the_divisions(store: MemoryStore) -> None:
    divided = run(store, OVERLAPS, verdicts=["DIVIDED"])
    assert set(by_items(divided["overlaps"])) == {DIVIDED}
    assert {o["verdict"] for o in divided["overlaps"]} == {"DIVIDED"}
    [pair] = divided["overlapMatrix"]
    assert ({pair["a"]["name"], pair["b"]["name"]}, pair["count"]) == ({AGRICULTURE, FORESTRY}, 1)


@pytest.mark.parametrize("verdicts", [None, ["DIVIDED"], ["OVERLAP"], ["OVERLAP", "BOUNDARY", "DIVIDED"]])
def test_the_matrix_and_the_clusters_count_the_overlaps_of_the_same_verdicts(
    store: MemoryStore, verdicts: list[str] | None
) -> None:
    data = run(store, OVERLAPS, **({"verdicts": verdicts} if verdicts is not None else {}))
    overlaps = data["overlaps"]
    assert sum(pair["count"] for pair in data["overlapMatrix"]) == len(overlaps)  # every overlap is a pair
    assert sum(cluster["overlapCount"] for cluster in data["overlapClusters"]) == len(overlaps)
    assert {i for c in data["overlapClusters"] for i in c["overlapIds"]} == {o["id"] for o in overlaps}
    assert {c["id"] for c in data["overlapClusters"]} == {o["cluster"] for o in overlaps}


def test_a_division_is_clustered_apart_from_the_boundary_it_shares_a_department_pair_with(
    store: MemoryStore,
) -> None:
    found = by_items(run(store, OVERLAPS, verdicts=[])["overlaps"])
    assert found[BOUNDARY]["cluster"] != found[DIVIDED]["cluster"]
    default = run(store, OVERLAPS)["overlapClusters"]
    assert found[DIVIDED]["id"] not in {i for cluster in default for i in cluster["overlapIds"]}


def test_a_boundary_names_its_general_item(store: MemoryStore) -> None:
    found = by_items(run(store, OVERLAPS)["overlaps"])
    assert found[BOUNDARY]["general"] == {"code": GENERAL, "name": "对生产经营假种子的处罚"}
    assert found[BOUNDARY]["generalFunction"] is None
    assert found[SAME]["general"] is None and found[SAME]["generalFunction"] is None


def test_the_general_item_is_the_item_itself(store: MemoryStore) -> None:
    query = "{ overlaps(verdicts: [BOUNDARY]) { general { id departments { name } laws { article } } } }"
    [overlap] = run(store, query)["overlaps"]
    general = overlap["general"]
    assert general["id"] == power_item_id(GENERAL)
    assert [d["name"] for d in general["departments"]] == [FORESTRY]
    assert [law["article"] for law in general["laws"]] == ["第七十五条"]


def test_a_verdict_the_schema_does_not_know_is_refused(store: MemoryStore) -> None:
    response = asyncio.run(execute(store, "{ overlaps(verdicts: [SIMILAR]) { id } }"))
    assert response["errors"] and response.get("data") is None
