"""`node(id:)`: every id a client reads is found again, as the caller's role may see it, on the demo city
in each store; a gap's subject and an overlap's cluster are objects."""

from __future__ import annotations

from api.roles import Role
from graph import GraphStore
from tests.api.demo_stores import demo, graphql

__all__ = ["demo"]  # the fixture, used by name

IDS = """{
  departments(first: 3) { edges { node { id units { id posts { id } } functions { id }
    powerItems(first: 3) { edges { node { id } } } } } }
  overlapsConnection(first: 5) { edges { node { id overlapCluster { id } } } }
  gapsConnection(first: 5) { edges { node { id } } }
  splitApprovalsConnection(first: 5) { edges { node { id } } }
}"""

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


def test_every_id_read_resolves_to_its_type(demo: GraphStore) -> None:
    data = graphql(demo, IDS)["data"]
    expected: dict[str, str] = {}
    for edge in data["departments"]["edges"]:
        department = edge["node"]
        expected[department["id"]] = "Department"
        expected.update({unit["id"]: "Unit" for unit in department["units"]})
        expected.update({post["id"]: "Post" for unit in department["units"] for post in unit["posts"]})
        expected.update({function["id"]: "Function" for function in department["functions"]})
        expected.update({e["node"]["id"]: "PowerItem" for e in department["powerItems"]["edges"]})
    for edge in data["overlapsConnection"]["edges"]:
        expected[edge["node"]["id"]] = "Overlap"
        expected[edge["node"]["overlapCluster"]["id"]] = "OverlapCluster"
    expected.update({e["node"]["id"]: "Gap" for e in data["gapsConnection"]["edges"]})
    expected.update({e["node"]["id"]: "SplitApproval" for e in data["splitApprovalsConnection"]["edges"]})
    assert set(expected.values()) == {
        "Department", "Unit", "Post", "Function", "PowerItem", "Overlap", "OverlapCluster", "Gap", "SplitApproval"
    }  # fmt: skip
    for node_id, typename in expected.items():
        found = graphql(demo, NODE, id=node_id)
        assert found == {"data": {"node": {"__typename": typename, "id": node_id}}}, node_id


def test_an_id_of_nothing_is_null(demo: GraphStore) -> None:
    for node_id in ("department:无此政府/无此局", "overlap:000000000000", "gap:NO_HEAD:x", "cluster:x", "x"):
        assert graphql(demo, NODE, id=node_id) == {"data": {"node": None}}, node_id


PERSON = """{ departments(first: 50) { edges { node { posts { holders { id person { id } } } } } } }"""


def test_a_person_is_found_by_the_roles_that_see_persons_only(demo: GraphStore) -> None:
    departments = graphql(demo, PERSON, Role.STAFFING)["data"]["departments"]["edges"]
    holding = next(
        holder for edge in departments for post in edge["node"]["posts"] for holder in post["holders"]
    )
    query = "query($id: ID!) { node(id: $id) { id ... on Person { name } ... on Holding { start } } }"
    for node_id in (holding["person"]["id"], holding["id"]):
        seen = graphql(demo, query, Role.STAFFING, id=node_id)
        assert seen["data"]["node"]["id"] == node_id and "errors" not in seen
        public = graphql(demo, query, id=node_id)
        assert public["data"]["node"] is None
        assert public["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_staffing_gap_is_found_by_the_staffing_role_only(demo: GraphStore) -> None:
    gaps = graphql(demo, "{ gaps(kinds: [VACANT_POST, NO_HEAD, OVER_QUOTA]) { id } }", Role.STAFFING)
    gap = gaps["data"]["gaps"][0]["id"]
    assert graphql(demo, NODE, Role.STAFFING, id=gap)["data"]["node"] == {"__typename": "Gap", "id": gap}
    public = graphql(demo, NODE, id=gap)
    assert public["data"]["node"] is None and public["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_gap_subject_is_the_node_its_id_names(demo: GraphStore) -> None:
    query = "{ gaps { subjectId subject { __typename id ... on PowerItem { code } } } }"
    gaps = graphql(demo, query)["data"]["gaps"]
    resolved = [gap for gap in gaps if gap["subject"] is not None]
    assert resolved and all(gap["subject"]["id"] == gap["subjectId"] for gap in resolved)
    assert any(gap["subject"]["__typename"] == "PowerItem" and gap["subject"]["code"] for gap in resolved)


def test_an_overlap_cluster_holds_the_overlaps_themselves(demo: GraphStore) -> None:
    query = """{ overlaps { id cluster overlapCluster { id overlapCount overlapIds overlaps { id } } }
      overlapClusters { id overlapIds } }"""
    data = graphql(demo, query)["data"]
    clusters = {cluster["id"]: cluster["overlapIds"] for cluster in data["overlapClusters"]}
    assert any(len(ids) > 1 for ids in clusters.values())
    for overlap in data["overlaps"]:
        cluster = overlap["overlapCluster"]
        assert cluster["id"] == overlap["cluster"]
        assert overlap["id"] in {o["id"] for o in cluster["overlaps"]}
        assert (
            sorted(o["id"] for o in cluster["overlaps"]) == cluster["overlapIds"] == clusters[cluster["id"]]
        )
        assert cluster["overlapCount"] == len(cluster["overlaps"])
