"""Finding cases: the `cases` query on hand-made cases and the demo, on every store, and `quanze cases`.

The expected answers are worked out here from the rules (the item's limit, `graph.workdays`, the
departments the sheets give the item and its stages), or taken from the trace of each case, never
from the index under test.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from api.cli_cases import CASE_COLUMNS
from api.roles import Role
from api.service import QueryService
from graph import GraphStore, MemoryStore, Node
from graph.analyses.cases import CaseQuery, build_case_index, read_case_facts
from graph.analyses.trace import trace_case
from graph.ids import department_id
from graph.neo4j import Neo4jStore
from graph.text import normalize
from graph.workdays import working_days
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import NodeKind
from tests.api.test_cli import quanze
from tests.builders import Sheets, small, write_csv, write_xlsx

SJ = department_id("示例市人民政府", "示例市市场监督管理局")
SW = department_id("示例市人民政府", "示例市商务局")
ZW = department_id("示例市人民政府", "示例市政务服务中心")

#: the small government's items: departments (the list's and its stages'), limit, power type
ITEMS = {
    "XK-001": ({SJ, ZW}, 10, "行政许可"),  # 承诺 10 (法定 20); stage 1 carried by 政务服务中心
    "XK-002": ({SW}, 8, "行政许可"),
    "CF-001": ({SJ}, None, "行政处罚"),  # no limit
}

#: besides the two cases of the small government: (number, item, accepted, closed, outcome)
ADDED = [
    ("C-010", "XK-002", "2025-01-06", "2025-01-27", "不予"),  # over the Spring Festival's make-up Sunday
    ("C-011", "XK-002", "2025-02-03", "", ""),  # still open
    ("C-012", "CF-001", "2025-03-03", "2025-03-31", "準予"),  # no limit; the outcome in traditional script
    ("C-013", "XK-001", "2025-03-03", "2025-03-04", "撤回"),
    ("C-014", "XK-001", "2025-03-03", "2025-04-30", "准予"),
]

FIELDS = "id item { code } accepted closed outcome overdue workingDays limitDays delayDays departments { id }"
SEARCH = f"""query($department: String, $item: String, $from: Date, $to: Date, $outcome: String,
  $overdue: Boolean, $powerType: String, $sort: CaseSort, $first: Int, $after: String) {{
  cases(department: $department, item: $item, from: $from, to: $to, outcome: $outcome, overdue: $overdue,
        powerType: $powerType, sort: $sort, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage hasPreviousPage endCursor }} edges {{ cursor node {{ {FIELDS} }} }} }} }}"""


def _sheets() -> Sheets:
    sheets = small()
    sheets["办件"].extend([[*case, ""] for case in ADDED])
    return sheets


def _expected(sheets: Sheets) -> list[dict[str, Any]]:
    """Every case as `cases` must answer it, worked out from the rules."""
    found = []
    for number, item, accepted, closed, outcome, _ in sheets["办件"][1:]:
        departments, limit, _ = ITEMS[item]
        start = date.fromisoformat(accepted)
        days = working_days(start, date.fromisoformat(closed)) if closed else None
        judged = days is not None and limit is not None
        found.append(
            {
                "id": number,
                "item": {"code": item},
                "accepted": accepted,
                "closed": closed or None,
                "outcome": normalize(outcome) or None,  # the loader writes 準予 as 准予
                "overdue": judged and days > limit,  # type: ignore[operator]
                "workingDays": days,
                "limitDays": limit,
                "delayDays": max(0, days - limit) if judged else None,  # type: ignore[operator]
                "departments": [{"id": d} for d in sorted(departments)],
            }
        )
    return found


def _keeps(case: dict[str, Any], filters: dict[str, Any]) -> bool:
    departments, _, power_type = ITEMS[case["item"]["code"]]
    return (
        filters.get("department") in (None, *departments)
        and filters.get("item") in (None, case["item"]["code"], f"item:{case['item']['code']}")
        and filters.get("powerType") in (None, power_type)
        and filters.get("from", "") <= case["accepted"] <= filters.get("to", "9999")
        and ("outcome" not in filters or normalize(filters["outcome"]) == case["outcome"])
        and filters.get("overdue") in (None, case["overdue"])
    )


def _ordered(cases: list[dict[str, Any]], sort: str) -> list[str]:
    newest = sorted(cases, key=lambda case: case["id"])
    newest.sort(key=lambda case: case["accepted"], reverse=True)
    if sort == "DELAY":
        newest.sort(key=lambda case: (case["delayDays"] is None, -(case["delayDays"] or 0)))
    return [case["id"] for case in newest]


@pytest.fixture
def hand_made(store: GraphStore, tmp_path: Path) -> GraphStore:
    load_workbook(write_xlsx(tmp_path / "cases.xlsx", _sheets()), store)
    return store


class Client:
    """One service over a store, so that every request of a test reads the same case index."""

    def __init__(self, store: GraphStore) -> None:
        self.service = QueryService(store)

    def run(self, query: str, role: Role = Role.INVESTIGATOR, **variables: Any) -> dict[str, Any]:
        request = {"query": query, "variables": variables}
        body: dict[str, Any] = asyncio.run(self.service.run(request, role)).body
        return body

    def every_page(self, first: int, **variables: Any) -> tuple[list[dict[str, Any]], set[int]]:
        """Every case of a search, page by page; and the totals the pages gave."""
        found: list[dict[str, Any]] = []
        totals: set[int] = set()
        after = None
        while True:
            response = self.run(SEARCH, first=first, after=after, **variables)
            assert "errors" not in response, response
            page = response["data"]["cases"]
            totals.add(page["totalCount"])
            found.extend(edge["node"] for edge in page["edges"])
            assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
            if not page["pageInfo"]["hasNextPage"]:
                return found, totals
            assert len(page["edges"]) == first
            after = page["pageInfo"]["endCursor"]


FILTERS = [
    {},
    {"department": "示例市市場監督管理局"},  # by name, in traditional script
    {"department": "示例市政务服务中心"},  # carries a stage of XK-001, holds no item of its own
    {"item": "XK-002"},
    {"item": "item:XK-001"},
    {"powerType": "行政处罚"},
    {"from": "2024-09-27", "to": "2025-03-03"},  # both ends inclusive
    {"outcome": "準予"},  # in either script
    {"outcome": "逾期"},
    {"overdue": True},
    {"overdue": False},
    {"department": "示例市市场监督管理局", "overdue": True, "from": "2024-01-01"},
]


@pytest.mark.parametrize("sort", ["ACCEPTED", "DELAY"])
@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all"
)
def test_a_search_pages_through_every_case_it_keeps_once_in_order(
    hand_made: GraphStore, filters: dict[str, Any], sort: str
) -> None:
    expected = [case for case in _expected(_sheets()) if _keeps(case, _resolved(filters))]
    found, totals = Client(hand_made).every_page(2, sort=sort, **filters)
    assert [case["id"] for case in found] == _ordered(expected, sort)
    assert totals == {len(expected)}
    by_id = {case["id"]: case for case in expected}
    assert found == [by_id[case["id"]] for case in found]


def test_the_rules_on_the_hand_made_cases(hand_made: GraphStore) -> None:
    """What the expectations above rest on: overdue across a holiday, open, without a limit."""
    found = {case["id"]: case for case in Client(hand_made).every_page(50)[0]}
    assert (found["C-002"]["workingDays"], found["C-002"]["delayDays"], found["C-002"]["overdue"]) == (
        16,
        6,
        True,
    )
    assert found["C-010"]["overdue"] and found["C-010"]["workingDays"] > 8
    assert (found["C-011"]["closed"], found["C-011"]["delayDays"], found["C-011"]["overdue"]) == (
        None,
        None,
        False,
    )
    assert (found["C-012"]["limitDays"], found["C-012"]["delayDays"]) == (None, None)
    assert (found["C-013"]["delayDays"], found["C-013"]["overdue"]) == (0, False)


def test_a_graph_without_cases_has_an_empty_index_and_search() -> None:
    """A folder of published lists has no case log: the index (computed when the service starts) is
    empty rather than an error, or the service would never be ready."""
    store = MemoryStore()
    with store.writer() as writer:
        writer.add_node(Node("government:示例市人民政府", NodeKind.GOVERNMENT, {"name": "示例市人民政府"}))
    assert len(build_case_index(store)) == 0
    found = Client(store).run("{ cases(overdue: true) { totalCount edges { node { id } } } }")
    assert found == {"data": {"cases": {"totalCount": 0, "edges": []}}}


def test_every_case_agrees_with_its_trace(hand_made: GraphStore) -> None:
    query = "{ cases(first: 500) { edges { node { id overdue workingDays trace { caseId overdue totalWorkingDays } } } } }"
    response = Client(hand_made).run(query)
    nodes = [edge["node"] for edge in response["data"]["cases"]["edges"]]
    assert len(nodes) == len(_sheets()["办件"]) - 1
    for node in nodes:
        assert node["trace"] == {
            "caseId": node["id"],
            "overdue": node["overdue"],
            "totalWorkingDays": node["workingDays"],
        }


def test_every_demo_case_agrees_with_its_trace(store: GraphStore) -> None:
    """The index and the trace decide working days and `overdue` alike, on every store."""
    load_workbook(DEMO_WORKBOOK, store)
    index = build_case_index(store)
    rows = index.search(CaseQuery(), first=len(index)).rows
    assert len(rows) == store.count(NodeKind.CASE) > 300
    assert any(row.overdue for row in rows) and any(row.closed is None for row in rows)
    for row in rows:
        trace = trace_case(store, row.case)
        assert trace is not None
        assert (row.case_id, row.accepted, row.closed, row.outcome) == (
            trace.case_id,
            trace.accepted,
            trace.closed,
            trace.outcome,
        )
        assert (row.working_days, row.overdue) == (trace.total_working_days, trace.overdue), row.case_id


@pytest.mark.neo4j
def test_the_neo4j_fast_path_reads_what_the_primitives_read(neo4j_store: Neo4jStore) -> None:
    neo4j_store.clear()
    load_workbook(DEMO_WORKBOOK, neo4j_store)
    fast_cases, fast_items = neo4j_store.case_columns()
    cases, items = read_case_facts(neo4j_store)
    assert sorted(fast_cases) == sorted(cases) and len(cases) > 300
    assert sorted((item.id, item.props, d) for item, d in fast_items) == sorted(
        (item.id, item.props, d) for item, d in items
    )


def test_a_cursor_stays_right_while_the_graph_does_not_change(hand_made: GraphStore) -> None:
    client = Client(hand_made)
    first = client.run(SEARCH, first=3, sort="DELAY")["data"]["cases"]
    rest = client.run(SEARCH, first=50, sort="DELAY", after=first["pageInfo"]["endCursor"])["data"]["cases"]
    everything = client.run(SEARCH, first=50, sort="DELAY")["data"]["cases"]
    assert [e["node"]["id"] for e in first["edges"] + rest["edges"]] == [
        e["node"]["id"] for e in everything["edges"]
    ]
    assert rest["totalCount"] == everything["totalCount"] == len(everything["edges"])


@pytest.mark.parametrize(
    ("variables", "says"),
    [
        ({"department": "示例市不存在局"}, "no department"),
        ({"from": "2025-03-04", "to": "2025-03-03"}, "after"),
        ({"item": "XK-999"}, "no power item"),
        ({"after": "bm90LWEtY3Vyc29y"}, "cursor"),
        ({"after": "cXVhbnplOmNhc2U6Tk9ORQ"}, "points to nothing"),  # quanze:case:NONE
        ({"first": 501}, "first"),
    ],
)
def test_bad_input_is_refused(hand_made: GraphStore, variables: dict[str, Any], says: str) -> None:
    response = Client(hand_made).run(SEARCH, **variables)
    assert response["data"] is None
    (error,) = response["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and says in error["message"], error


def test_an_item_without_cases_finds_none(hand_made: GraphStore) -> None:
    response = Client(hand_made).run(SEARCH, item="QT-001")
    assert response["data"]["cases"]["totalCount"] == 0


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.STAFFING])
def test_only_investigators_may_find_cases(role: Role) -> None:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    response = Client(store).run(SEARCH, role=role)
    assert [error["extensions"]["code"] for error in response["errors"]] == ["FORBIDDEN"]
    assert "BJ" not in json.dumps(response["data"])


# -- the command line ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sheets = _sheets()
    sheets["办件"].append(["=HYPERLINK(1)", "XK-001", "2025-05-06", "", "", ""])  # a formula from the data
    return write_csv(tmp_path_factory.mktemp("cases") / "cases", sheets)  # a .csv keeps it a text


def test_the_command_lists_cases_by_delay_with_chinese_heads(workbook: Path) -> None:
    result = quanze(
        "cases", str(workbook), "--department", "示例市市场监督管理局", "--overdue", "--sort", "delay"
    )
    assert result.returncode == 0, result.stderr
    head, _, *lines = result.stdout.splitlines()
    assert head.split() == [
        "办件编号",
        "事项",
        "部门",
        "受理日期",
        "办结日期",
        "结果",
        "用时",
        "时限",
        "超期",
    ]
    expected = [c for c in _expected(_sheets()) if _keeps(c, {"department": SJ, "overdue": True})]
    assert [line.split()[0] for line in lines[:-1]] == _ordered(expected, "DELAY")


def test_the_command_writes_text_cells_and_no_formula(workbook: Path, tmp_path: Path) -> None:
    result = quanze("cases", str(workbook), "--format", "csv", "--limit", "0")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(_sheets()["办件"])  # the cases and the one added here
    assert "'=HYPERLINK(1)" in {row["办件编号"] for row in rows}
    out = tmp_path / "cases.xlsx"
    result = quanze("cases", str(workbook), "--format", "xlsx", "--out", str(out), "--item", "XK-001")
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(out)["办件"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    assert texts and all(cell.data_type == "s" for cell in texts)  # never a formula
    assert "=HYPERLINK(1)" in {cell.value for cell in texts}
    days, limits = (sheet.cell(2, CASE_COLUMNS.index(column) + 1) for column in ("受理日期", "时限"))
    assert days.is_date and (limits.value is None or limits.data_type == "n")


def test_the_command_limits_and_refuses_bad_input(workbook: Path) -> None:
    result = quanze("cases", str(workbook), "--limit", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2 and "2 of 8 cases" in result.stderr
    refused = quanze("cases", str(workbook), "--from", "2025-02-01", "--to", "2025-01-01")
    assert refused.returncode != 0 and "after" in refused.stderr and "Traceback" not in refused.stderr


def _resolved(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters as `_keeps` reads them: departments by id."""
    names = {"示例市市場監督管理局": SJ, "示例市市场监督管理局": SJ, "示例市政务服务中心": ZW}
    return {k: names.get(v, v) if k == "department" else v for k, v in filters.items()}
