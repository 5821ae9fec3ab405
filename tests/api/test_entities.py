"""The entity part of the GraphQL API over HTTP, on the small government."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.settings import Settings, hash_token
from graph import MemoryStore
from loaders.workbook import load_workbook
from ontology import EdgeKind, NodeKind
from tests.builders import small, write_xlsx

TOKENS = {"staff-token": "staffing", "inv-token": "investigator"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> MemoryStore:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path_factory.mktemp("wb") / "small.xlsx", small()), store)
    return store


@pytest.fixture(scope="module")
def client(store: MemoryStore) -> httpx.Client:
    settings = Settings(tokens={hash_token(token): role for token, role in TOKENS.items()})
    app = create_app(settings, store)
    from fastapi.testclient import TestClient

    return TestClient(app)


def _post(client: httpx.Client, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_health(client: httpx.Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}


def test_graphiql_is_served_on_get(client: httpx.Client) -> None:
    response = client.get("/graphql")
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_departments_with_total_count_and_paging(client: httpx.Client) -> None:
    query = """query($after: String) { departments(government: "示例市人民政府", first: 2, after: $after) {
        totalCount edges { cursor node { name kind } } pageInfo { hasNextPage endCursor } } }"""
    first = _post(client, query)["data"]["departments"]
    assert first["totalCount"] == 3
    assert [edge["node"]["name"] for edge in first["edges"]] == ["示例市商务局", "示例市市场监督管理局"]
    assert first["pageInfo"]["hasNextPage"] is True
    second = _post(client, query, after=first["pageInfo"]["endCursor"])["data"]["departments"]
    assert [edge["node"]["name"] for edge in second["edges"]] == ["示例市政务服务中心"]
    assert second["pageInfo"]["hasNextPage"] is False


def test_a_department_in_traditional_script_with_units_posts_and_functions(client: httpx.Client) -> None:
    query = """{ department(name: "示例市市場監督管理局") { name government
        units { name posts { code } } posts { code category unit { name } department { name } }
        functions { code laws { law article } } powerItems(first: 10) { totalCount } } }"""
    department = _post(client, query)["data"]["department"]
    assert department["name"] == "示例市市场监督管理局"
    assert {unit["name"]: [p["code"] for p in unit["posts"]] for unit in department["units"]} == {
        "执法稽查科": ["SJ-21"],
        "行政审批科": ["SJ-11", "SJ-12"],
    }
    assert [post["code"] for post in department["posts"]] == ["SJ-01", "SJ-02", "SJ-11", "SJ-12", "SJ-21"]
    assert department["functions"] == [
        {"code": "F-SJ-1", "laws": [{"law": "中华人民共和国食品安全法", "article": "第三十五条"}]}
    ]
    assert department["powerItems"]["totalCount"] == 5


def test_power_items_filtered_by_type_and_text_in_either_script(client: httpx.Client) -> None:
    query = """query($text: String) { powerItems(powerType: "行政許可", text: $text) {
        totalCount edges { node { code departments { name } statutoryDays promisedDays
        laws { law article partsCited rank text } stages { step name role department { name } post { code } } } } } }"""
    items = _post(client, query, text="食品經營")["data"]["powerItems"]
    assert [edge["node"]["code"] for edge in items["edges"]] == ["XK-001", "XK-001Q"]
    licence = items["edges"][0]["node"]
    assert licence["laws"] == [
        {
            "law": "中华人民共和国食品安全法",
            "article": "第三十五条",
            "partsCited": ["第一款"],
            "rank": "法律",
            "text": "国家对食品生产经营实行许可制度。",
        }
    ]
    assert [
        (s["step"], s["role"], s["department"]["name"], s["post"]["code"]) for s in licence["stages"]
    ] == [
        (1, "HANDLE", "示例市政务服务中心", "ZW-11"),
        (2, "REVIEW", "示例市市场监督管理局", "SJ-11"),
        (3, "APPROVE", "示例市市场监督管理局", "SJ-02"),
    ]


def test_power_items_filtered_by_any_wording_of_the_type_in_the_one_table(client: httpx.Client) -> None:
    """The filter reads a power type as the loaders do (loaders/mappings/power_lists.toml): 行政审批 is a
    wording of 行政许可 there, as 许可 is, in either script; the English name too."""
    query = """query($type: String) { powerItems(powerType: $type, first: 500) { totalCount } }"""
    wordings = ("行政许可", "许可", "行政审批", "行政審批", "许可类", "licensing")
    counts = {
        wording: _post(client, query, type=wording)["data"]["powerItems"]["totalCount"]
        for wording in wordings
    }
    assert counts["行政许可"] > 0
    assert counts == dict.fromkeys(wordings, counts["行政许可"])
    refused = _post(client, query, type="行政审查")  # no power type: refused, with the nearest names
    assert refused["data"] is None or refused["data"]["powerItems"] is None
    (error,) = refused["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "行政检查" in error["extensions"]["suggestions"]


ITEMS_OF = """query($department: String) { powerItems(department: $department, first: 500) {
    totalCount edges { node { id code departments { name } } } } }"""


def test_power_items_of_a_department_are_exactly_those_it_holds(
    client: httpx.Client, store: MemoryStore
) -> None:
    everything = {node.id for node in store.nodes(NodeKind.POWER_ITEM)}
    for department in store.nodes(NodeKind.DEPARTMENT):
        held = sorted(edge.source for edge in store.edges(target=department.id, kind=EdgeKind.HELD_BY))
        items = _post(client, ITEMS_OF, department=department["name"])["data"]["powerItems"]
        assert [edge["node"]["id"] for edge in items["edges"]] == held, department["name"]
        assert items["totalCount"] == len(held)
        assert all(
            department["name"] in {d["name"] for d in edge["node"]["departments"]} for edge in items["edges"]
        )
        assert set(held) < everything  # the filter leaves items out
    market = _post(client, ITEMS_OF, department="示例市市场监督管理局")["data"]["powerItems"]
    traditional = _post(client, ITEMS_OF, department="示例市市場監督管理局")["data"]["powerItems"]
    assert traditional == market and market["totalCount"] == 5


def test_a_power_item_with_its_prerequisites_and_source(client: httpx.Client) -> None:
    query = '{ powerItem(code: "XK-002") { name prerequisites { code } source { sheet row column } } }'
    item = _post(client, query)["data"]["powerItem"]
    assert item == {
        "name": "酒类商品零售许可",
        "prerequisites": [{"code": "XK-001"}],
        "source": {"sheet": "权责清单", "row": 3, "column": None},
    }


def test_sources_name_the_file_without_the_servers_folders(client: httpx.Client, store: MemoryStore) -> None:
    query = """{ powerItem(code: "XK-002") { source { file sha256 } }
                 department(name: "示例市商务局") { source { file } units { source { file } } } }"""
    for token in (None, "staff-token"):
        data = _post(client, query, token=token)["data"]
        files = {data["powerItem"]["source"]["file"], data["department"]["source"]["file"]}
        files |= {unit["source"]["file"] for unit in data["department"]["units"]}
        assert files == {"small.xlsx"}
        assert len(data["powerItem"]["source"]["sha256"]) == 64
    item = next(node for node in store.nodes(NodeKind.POWER_ITEM) if node["code"] == "XK-002")
    assert item.origin is not None and Path(item.origin.file).is_absolute()  # what the store keeps


def test_laws_list_each_law_then_its_articles(client: httpx.Client) -> None:
    query = "{ laws(first: 20) { totalCount edges { node { law article } } } }"
    laws = _post(client, query)["data"]["laws"]
    food = [
        edge["node"]["article"] for edge in laws["edges"] if edge["node"]["law"] == "中华人民共和国食品安全法"
    ]
    assert food == [None, "第三十五条", "第一百零九条", "第一百二十二条"]


HOLDERS = '{ department(name: "示例市市场监督管理局") { adminQuota posts { code holders(at: "2024-05-31") { person { name } start } } } }'


def test_the_public_never_sees_persons_or_quotas(client: httpx.Client) -> None:
    response = _post(client, HOLDERS)
    codes = {error["extensions"]["code"] for error in response["errors"]}
    assert codes == {"FORBIDDEN"}
    paths = sorted(tuple(error["path"]) for error in response["errors"])
    assert ("department", "adminQuota") in paths
    assert ("department", "posts", 0, "holders") in paths
    assert "张伟" not in str(response)


def test_staffing_sees_holders_as_they_were_on_the_date(client: httpx.Client) -> None:
    response = _post(client, HOLDERS, token="staff-token")
    assert "errors" not in response
    department = response["data"]["department"]
    assert department["adminQuota"] == 3
    holders = {post["code"]: [h["person"]["name"] for h in post["holders"]] for post in department["posts"]}
    assert holders["SJ-01"] == ["张伟"]  # 王芳 holds it from 2024-06-01, not on 2024-05-31


def test_an_unknown_token_is_refused(client: httpx.Client) -> None:
    response = client.post("/graphql", json={"query": "{ today }"}, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_bad_cursor_is_a_user_error(client: httpx.Client) -> None:
    response = _post(client, '{ departments(after: "garbage") { totalCount } }')
    assert response["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_workbook_file_is_not_needed_after_loading(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "gone.xlsx", small())
    store = MemoryStore()
    load_workbook(path, store)
    path.unlink()
    from fastapi.testclient import TestClient

    client = TestClient(create_app(Settings(), store))
    assert _post(client, "{ departments { totalCount } }")["data"]["departments"]["totalCount"] == 4


STAFFING = '{ department(name: "示例市商务局") { staffing(at: "2026-11-28") { adminQuota onAdminQuota posts postsHeld peopleAtWork } } }'


def test_staffing_figures_are_for_the_staffing_role(client: httpx.Client) -> None:
    assert _post(client, STAFFING)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    figures = _post(client, STAFFING, token="staff-token")["data"]["department"]["staffing"]
    # P06, P07 and P09 sit on its 2 places; of its two posts only SW-01 (P07) is held
    assert figures == {"adminQuota": 2, "onAdminQuota": 3, "posts": 2, "postsHeld": 1, "peopleAtWork": 1}
