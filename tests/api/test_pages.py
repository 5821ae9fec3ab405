"""The finding lists as pages: totals, cursors, sorts and the filters that take lists and names, on the
demo city in each store."""

from __future__ import annotations

from typing import Any

from api.roles import Role
from graph import GraphStore
from tests.api.demo_stores import demo, graphql

__all__ = ["demo"]  # the fixture, used by name

OVERLAPS = """query($first: Int, $after: String, $sort: OverlapSort!, $direction: SortDirection,
  $departments: [String!], $verdicts: [OverlapVerdict!]) {
  overlapsConnection(first: $first, after: $after, sort: $sort, direction: $direction,
    departments: $departments, verdicts: $verdicts) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id score departments { id } } } } }"""


def _every_page(
    store: GraphStore, query: str, field: str, role: Role = Role.PUBLIC, **variables: Any
) -> tuple[int, list[dict[str, Any]]]:
    """The total and every node of a connection, read page by page (`first` as given)."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        response = graphql(store, query, role, after=after, **variables)
        assert "errors" not in response, response["errors"]
        page = response["data"][field]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return page["totalCount"], nodes
        after = page["pageInfo"]["endCursor"]


def test_the_pages_of_overlaps_are_the_list_cut_in_order(demo: GraphStore) -> None:
    listed = graphql(demo, "{ overlaps { id } }")["data"]["overlaps"]
    total, paged = _every_page(demo, OVERLAPS, "overlapsConnection", first=7, sort="SCORE")
    assert len(listed) > 7  # so that there are several pages
    assert total == len(listed)
    assert [node["id"] for node in paged] == [overlap["id"] for overlap in listed]


def test_overlaps_sorted_by_score_either_way_and_by_department(demo: GraphStore) -> None:
    _, ascending = _every_page(demo, OVERLAPS, "overlapsConnection", first=500, sort="SCORE", direction="ASC")
    scores = [node["score"] for node in ascending]
    assert scores == sorted(scores) and scores[0] < scores[-1]
    _, by_department = _every_page(demo, OVERLAPS, "overlapsConnection", first=500, sort="DEPARTMENT")
    firsts = [[d["id"] for d in node["departments"]] for node in by_department]
    assert firsts == sorted(firsts)


def test_overlaps_of_a_list_of_departments_are_those_naming_any(demo: GraphStore) -> None:
    matrix = graphql(demo, "{ overlapMatrix { a { id name } b { id } } }")["data"]["overlapMatrix"]
    a, b = matrix[0]["a"]["name"], matrix[-1]["b"]["id"]  # a name, and an id
    each = {
        name: {
            node["id"]
            for node in _every_page(
                demo, OVERLAPS, "overlapsConnection", first=500, sort="SCORE", departments=[name]
            )[1]
        }
        for name in (a, b)
    }
    total, both = _every_page(
        demo, OVERLAPS, "overlapsConnection", first=500, sort="SCORE", departments=[a, b]
    )
    assert each[a] and each[b]
    assert {node["id"] for node in both} == each[a] | each[b]
    assert total == len(each[a] | each[b])


def test_an_unknown_department_in_a_list_is_answered_with_suggestions(demo: GraphStore) -> None:
    known = graphql(demo, "{ overlapMatrix { a { name } } }")["data"]["overlapMatrix"][0]["a"]["name"]
    response = graphql(demo, OVERLAPS, first=5, sort="SCORE", departments=[known, "市场监管局"])
    (error,) = response["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "巴中市市场监督管理局" in error["extensions"]["suggestions"]


GAPS = """query($first: Int, $after: String, $sort: GapSort!, $direction: SortDirection) {
  gapsConnection(first: $first, after: $after, sort: $sort, direction: $direction) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id severity department { id } } } } }"""


def test_gaps_paged_and_sorted(demo: GraphStore) -> None:
    listed = graphql(demo, "{ gaps { id } }")["data"]["gaps"]
    total, paged = _every_page(demo, GAPS, "gapsConnection", first=10, sort="SEVERITY")
    assert total == len(listed) > 10
    assert [node["id"] for node in paged] == [gap["id"] for gap in listed]
    _, mildest = _every_page(demo, GAPS, "gapsConnection", first=500, sort="SEVERITY", direction="ASC")
    severities = [node["severity"] for node in mildest]
    assert severities == sorted(severities) and severities[0] < severities[-1]
    _, by_department = _every_page(demo, GAPS, "gapsConnection", first=500, sort="DEPARTMENT")
    departments = [node["department"]["id"] if node["department"] else None for node in by_department]
    known = [d for d in departments if d is not None]
    assert known == sorted(known)
    assert departments[: len(known)] == known  # gaps of no department last


SPLITS = """query($first: Int, $after: String, $sort: SplitApprovalSort!, $department: String) {
  splitApprovalsConnection(first: $first, after: $after, sort: $sort, department: $department) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id savedDays totalDays departments { id name } } } } }"""


def test_split_approvals_by_saved_days_and_of_a_department(demo: GraphStore) -> None:
    listed = graphql(demo, "{ splitApprovals { id } }")["data"]["splitApprovals"]
    total, paged = _every_page(demo, SPLITS, "splitApprovalsConnection", first=3, sort="DEPARTMENTS")
    assert total == len(listed) > 3
    assert [node["id"] for node in paged] == [split["id"] for split in listed]
    _, saving = _every_page(demo, SPLITS, "splitApprovalsConnection", first=500, sort="SAVED_DAYS")
    saved = [node["savedDays"] for node in saving]
    stated = [days for days in saved if days is not None]
    assert stated == sorted(stated, reverse=True) and saved[: len(stated)] == stated
    name = paged[0]["departments"][-1]["name"]
    _, of_one = _every_page(demo, SPLITS, "splitApprovalsConnection", first=500, sort="DAYS", department=name)
    naming = [node["id"] for node in paged if name in {d["name"] for d in node["departments"]}]
    assert of_one and {node["id"] for node in of_one} == set(naming)


RECORDS = """query($first: Int, $after: String) {
  accountabilityRecordsConnection(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id date } } } }"""


def test_accountability_records_newest_first_for_investigators_only(demo: GraphStore) -> None:
    listed = graphql(demo, "{ accountabilityRecords { id } }", Role.INVESTIGATOR)["data"][
        "accountabilityRecords"
    ]
    total, paged = _every_page(demo, RECORDS, "accountabilityRecordsConnection", Role.INVESTIGATOR, first=2)
    assert total == len(listed) > 2
    assert {node["id"] for node in paged} == {record["id"] for record in listed}
    dates = [node["date"] for node in paged]
    assert dates == sorted(dates, reverse=True)
    forbidden = graphql(demo, RECORDS, first=2)
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


ITEMS = "query($type: String) { powerItems(powerType: $type) { totalCount } }"


def test_a_power_type_by_its_code_or_any_wording(demo: GraphStore) -> None:
    counts = {
        wording: graphql(demo, ITEMS, type=wording)["data"]["powerItems"]["totalCount"]
        for wording in ("行政许可", "XK", "xk", "ＸＫ", "许可")
    }
    assert counts["行政许可"] > 0 and set(counts.values()) == {counts["行政许可"]}
    response = graphql(demo, ITEMS, type="行政审查")
    (error,) = response["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "行政检查" in error["extensions"]["suggestions"]


def test_a_department_name_that_finds_none_is_null_with_suggestions(demo: GraphStore) -> None:
    response = graphql(demo, '{ department(name: "市场监管局") { id } }')
    assert response["data"]["department"] is None
    (error,) = response["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "巴中市市场监督管理局" in error["extensions"]["suggestions"]
    found = graphql(demo, '{ department(name: "巴中市市場監督管理局") { name } }')  # traditional script
    assert found == {"data": {"department": {"name": "巴中市市场监督管理局"}}}


def test_the_old_lists_are_deprecated_for_the_pages() -> None:
    from api.schema import SCHEMA

    fields = SCHEMA._schema.query_type.fields  # type: ignore[union-attr]
    for old in ("overlaps", "gaps", "splitApprovals", "accountabilityRecords"):
        assert fields[old].deprecation_reason == f"use {old}Connection; removed in the next release"
        assert f"{old}Connection" in fields


LISTED_ITEMS = """query($departments: [String!], $types: [String!], $type: String, $text: String) {
  powerItems(departments: $departments, powerTypes: $types, powerType: $type, text: $text, first: 500) {
    totalCount edges { node { id powerType } } } }"""


def test_power_items_of_lists_of_departments_and_types(demo: GraphStore) -> None:
    rows = graphql(demo, "{ departmentCounts { department { id name } itemCount } }")["data"][
        "departmentCounts"
    ]
    a, b = sorted((row for row in rows if row["itemCount"] <= 250), key=lambda row: row["itemCount"])[-2:]

    def ids(**variables: Any) -> set[str]:
        response = graphql(demo, LISTED_ITEMS, **variables)
        assert "errors" not in response, response["errors"]
        page = response["data"]["powerItems"]
        assert page["totalCount"] == len(page["edges"])
        return {edge["node"]["id"] for edge in page["edges"]}

    each = [ids(departments=[row["department"]["id"]]) for row in (a, b)]
    assert [len(found) for found in each] == [a["itemCount"], b["itemCount"]]
    assert ids(departments=[a["department"]["name"], b["department"]["id"]]) == each[0] | each[1]
    by_type = {code: ids(type=code) for code in ("XK", "JC")}
    assert ids(types=["XK", "行政检查"]) == by_type["XK"] | by_type["JC"]
    assert ids(types=["JC"], departments=[a["department"]["id"]]) == by_type["JC"] & each[0] != set()
    unknown = graphql(demo, LISTED_ITEMS, types=["XK", "行政审查"])
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
