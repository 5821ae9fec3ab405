"""The workbook loader: every rule of shared/spec/workbook.md, on small real spreadsheets."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from graph import InvalidData, MemoryStore
from graph.ids import department_id, person_id, post_id, power_item_id, unit_id
from loaders.readgraph import write_graph
from loaders.workbook import load_workbook, read_workbook
from ontology import EdgeKind, NodeKind
from tests.builders import Sheets, small, write_csv, write_xlsx

MARKET = department_id("示例市人民政府", "示例市市场监督管理局")
COMMERCE = department_id("示例市人民政府", "示例市商务局")


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "small.xlsx", small())


def _problems(path: Path) -> list[str]:
    with pytest.raises(InvalidData) as caught:
        read_workbook(path)
    return [str(problem) for problem in caught.value.problems]


def test_the_small_government_loads_whole(workbook: Path) -> None:
    store = MemoryStore()
    report = load_workbook(workbook, store)
    assert report.counts[NodeKind.GOVERNMENT] == 2
    assert report.counts[NodeKind.DEPARTMENT] == 4
    assert report.counts[NodeKind.UNIT] == 4
    assert report.counts[NodeKind.POST] == 9
    assert report.counts[NodeKind.PERSON] == 9
    assert report.counts[NodeKind.HOLDING] == 9
    assert report.counts[NodeKind.POWER_ITEM] == 7  # JC-001 has two sub-items
    assert report.counts[NodeKind.STAGE] == 4
    assert report.counts[NodeKind.CASE] == 2
    assert report.counts[NodeKind.CASE_STEP] == 6
    assert report.counts[NodeKind.ACCOUNTABILITY_RECORD] == 1
    item = store.node(power_item_id("XK-001"))
    assert item is not None
    assert item["power_type"] == "行政许可"
    assert (item["statutory_days"], item["promised_days"]) == (20, 10)
    assert item["basis_status"] == "parsed"
    assert [edge.target for edge in store.edges(source=item.id, kind=EdgeKind.HELD_BY)] == [MARKET]
    assert [edge.target for edge in store.edges(source=item.id, kind=EdgeKind.CITES)] == [
        "article:食品安全法/35"
    ]


def test_every_node_and_edge_remembers_its_cell(workbook: Path) -> None:
    store = MemoryStore()
    load_workbook(workbook, store)
    digest = hashlib.sha256(workbook.read_bytes()).hexdigest()
    item = store.node(power_item_id("CF-001"))
    assert item is not None and item.origin is not None
    assert (item.origin.file, item.origin.sha256, item.origin.sheet, item.origin.row) == (
        str(workbook),
        digest,
        "权责清单",
        4,
    )
    cites = next(store.edges(source=item.id, kind=EdgeKind.CITES))
    assert cites.origin is not None
    assert (cites.origin.row, cites.origin.column) == (4, "设定依据 (G)")
    assert cites.get("citations") == ("《食品安全法》第一百二十二条",)


def test_holdings_are_half_open_on_the_loaded_graph(workbook: Path) -> None:
    store = MemoryStore()
    load_workbook(workbook, store)
    head = post_id("SJ-01")
    before = store.holders(head, date(2024, 5, 31))
    after = store.holders(head, date(2024, 6, 1))
    person_of = {e.source: e.target for e in store.edges(kind=EdgeKind.HOLDING_OF)}
    assert [person_of[h.id] for h in before] == [person_id("P01")]
    assert [person_of[h.id] for h in after] == [person_id("P02")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_folder_of_csv_files_gives_the_same_graph(tmp_path: Path, workbook: Path, encoding: str) -> None:
    folder = write_csv(tmp_path / "csv", small(), encoding=encoding)
    from_csv, from_xlsx = read_workbook(folder), read_workbook(workbook)
    assert from_csv.nodes.keys() == from_xlsx.nodes.keys()
    assert from_csv.edges.keys() == from_xlsx.edges.keys()
    for node_id, node in from_xlsx.nodes.items():
        assert from_csv.nodes[node_id].props == node.props, node_id


def test_traditional_and_english_sheet_and_column_names(tmp_path: Path) -> None:
    sheets = small()
    sheets["部門"] = sheets.pop("部门")
    sheets["部門"][0] = [" 部門名稱： ", "code", "所屬政府", "【机构类型】", "parent", "行政編制", "事業編制"]
    sheets["powers"] = sheets.pop("权责清单")
    sheets["powers"][0][:5] = ["item_code", "power_type", "item", "sub_item", "department"]
    graph = read_workbook(write_xlsx(tmp_path / "t.xlsx", sheets))
    assert graph.nodes[MARKET]["department_kind"] == "组成部门"
    assert graph.nodes[power_item_id("XK-001")]["name"] == "食品经营许可"


def test_names_match_across_scripts_and_are_shown_as_written(tmp_path: Path) -> None:
    sheets = small()
    sheets["权责清单"][3][4] = "示例市市場監督管理局"  # traditional, in the powers sheet only
    sheets["权责清单"][3][2] = "對未取得食品經營許可從事食品經營活動的處罰"
    graph = read_workbook(write_xlsx(tmp_path / "t.xlsx", sheets))
    item = graph.nodes[power_item_id("CF-001")]
    assert graph.edges[(item.id, EdgeKind.HELD_BY, MARKET)]
    assert item["name"] == "對未取得食品經營許可從事食品經營活動的處罰"
    assert item["key"] == "对未取得食品经营许可从事食品经营活动的处罚"


@pytest.mark.parametrize("write", [write_xlsx, write_csv])
def test_names_match_across_whitespace_and_line_breaks_and_are_shown_as_written(
    tmp_path: Path, write: Callable[[Path, Sheets], Path]
) -> None:
    sheets = small()
    sheets["部门"][2][0] = "示例市 商务局\n"  # the one place the name is defined
    sheets["部门"][3][4] = "示例市商务局 "  # 主管部门 of the service centre
    sheets["内设机构"][1][1] = " 行政审批\n科"
    sheets["内设机构"][3][0] = "\u3000示例市商务局\u3000"  # full-width spaces
    sheets["岗位"][6][1] = "示例市\n商务局"
    sheets["岗位"][3][2] = "行政审批 科"
    sheets["权责清单"][2][4] = "示例市\u3000商务局"
    sheets["权责清单"][1][5] = "行政审批科\r\n"
    sheets["权责清单"][4][4] = "示例市市场监督管理局、 示例市 商务局 "
    sheets["任职"][7][6] = "\t示例市商务局"
    target = tmp_path / ("t.xlsx" if write is write_xlsx else "csv")
    graph = read_workbook(write(target, sheets))
    commerce, approval = graph.nodes[COMMERCE], graph.nodes[unit_id(MARKET, "行政审批科")]
    # shown as written in the departments and units sheets (trimmed), matched without whitespace
    assert (commerce["name"], commerce["key"]) == ("示例市 商务局", "示例市商务局")
    assert (approval["name"], approval["key"]) == ("行政审批\n科", "行政审批科")
    assert graph.counts()[NodeKind.DEPARTMENT] == 4 and graph.counts()[NodeKind.UNIT] == 4
    service_centre = department_id("示例市人民政府", "示例市政务服务中心")
    for edge in [
        (service_centre, EdgeKind.MANAGED_BY, COMMERCE),
        (unit_id(COMMERCE, "市场运行科"), EdgeKind.UNIT_OF, COMMERCE),
        (post_id("SW-01"), EdgeKind.POST_IN, COMMERCE),
        (post_id("SJ-11"), EdgeKind.POST_IN, unit_id(MARKET, "行政审批科")),
        (power_item_id("XK-002"), EdgeKind.HELD_BY, COMMERCE),
        (power_item_id("XK-001"), EdgeKind.HANDLED_BY, unit_id(MARKET, "行政审批科")),
        (power_item_id("QT-001"), EdgeKind.HELD_BY, COMMERCE),
        ("holding:P07/SW-01/2018-01-01", EdgeKind.QUOTA_IN, COMMERCE),
    ]:
        assert edge in graph.edges, edge
    assert graph.edges[(power_item_id("QT-001"), EdgeKind.HELD_BY, MARKET)].props["joint"]


def test_full_width_digits_and_letters_are_folded(tmp_path: Path) -> None:
    sheets = small()
    sheets["权责清单"][1][0] = "ＸＫ-００１"
    sheets["权责清单"][1][9] = "２０"
    graph = read_workbook(write_xlsx(tmp_path / "t.xlsx", sheets))
    item = graph.nodes[power_item_id("XK-001")]
    assert (item["code"], item["statutory_days"]) == ("XK-001", 20)


def test_merged_cells_carry_their_value_down(tmp_path: Path) -> None:
    sheets = small()
    special = sheets["权责清单"][6]  # spreadsheet row 7, under the first JC-001 sub-item on row 6
    special[0] = special[1] = special[2] = special[4] = None
    merges = {"权责清单": ["A6:A7", "B6:B7", "C6:C7", "E6:E7"]}
    graph = read_workbook(write_xlsx(tmp_path / "t.xlsx", sheets, merges))
    daily = graph.nodes[power_item_id("JC-001", "日常检查")]
    special_item = graph.nodes[power_item_id("JC-001", "专项检查")]
    assert daily["name"] == special_item["name"] == "食品经营监督检查"
    assert (special_item.id, EdgeKind.HELD_BY, MARKET) in graph.edges


@pytest.mark.parametrize(
    "written",
    ["2024-06-01", "2024/6/1", "2024年6月1日", "2024.6.1", datetime(2024, 6, 1), date(2024, 6, 1), 45444],
)
def test_the_date_formats(tmp_path: Path, written: object) -> None:
    sheets = small()
    sheets["任职"][2][3] = written
    graph = read_workbook(write_xlsx(tmp_path / "t.xlsx", sheets))
    holding = next(
        n for n in graph.nodes.values() if n.kind is NodeKind.HOLDING and n.id.startswith("holding:P02")
    )
    assert holding["start"] == date(2024, 6, 1)


@pytest.mark.parametrize("separator", ["、", "；", ";", "\n"])
def test_lists_in_cells(tmp_path: Path, separator: str) -> None:
    sheets = small()
    sheets["岗位"][2][6] = f"行政审批科{separator}执法稽查科"
    graph = read_workbook(write_xlsx(tmp_path / "t.xlsx", sheets))
    supervised = sorted(t for (s, k, t) in graph.edges if s == post_id("SJ-02") and k is EdgeKind.SUPERVISES)
    assert supervised == sorted([unit_id(MARKET, "行政审批科"), unit_id(MARKET, "执法稽查科")])


def test_a_list_of_departments_makes_a_joint_item(workbook: Path) -> None:
    graph = read_workbook(workbook)
    item = power_item_id("QT-001")
    held = [graph.edges[(item, EdgeKind.HELD_BY, d)] for d in (MARKET, COMMERCE)]
    assert all(edge.props["joint"] for edge in held)


def test_extra_columns_are_kept(tmp_path: Path) -> None:
    sheets = small()
    for number, row in enumerate(sheets["权责清单"]):
        row.append("公开渠道" if number == 0 else f"网站{number}")
    graph = read_workbook(write_xlsx(tmp_path / "t.xlsx", sheets))
    assert graph.nodes[power_item_id("XK-001")]["extra"] == {"公开渠道": "网站1"}


def test_unknown_sheets_are_ignored(tmp_path: Path) -> None:
    sheets = small()
    sheets["说明"] = [["填表说明"], ["请按模板填写"]]
    assert read_workbook(write_xlsx(tmp_path / "t.xlsx", sheets)).counts()[NodeKind.DEPARTMENT] == 4


def test_stage_roles_are_derived_from_stage_names(workbook: Path) -> None:
    graph = read_workbook(workbook)
    roles = {
        n["step"]: n.get("role")
        for n in graph.nodes.values()
        if n.kind is NodeKind.STAGE and n.id.startswith("stage:XK-001/")
    }
    assert roles == {1: "承办", 2: "审核", 3: "批准"}


def test_a_stage_defaults_to_the_items_department(workbook: Path) -> None:
    graph = read_workbook(workbook)
    assert ("stage:XK-001/3", EdgeKind.STAGE_DEPARTMENT, MARKET) in graph.edges
    service_centre = department_id("示例市人民政府", "示例市政务服务中心")
    assert ("stage:XK-001/1", EdgeKind.STAGE_DEPARTMENT, service_centre) in graph.edges


def test_a_basis_citing_no_law_is_recorded_as_such(workbook: Path) -> None:
    graph = read_workbook(workbook)
    assert graph.nodes[power_item_id("QT-001")]["basis_status"] == "unparsed"
    assert graph.nodes[power_item_id("JC-001", "日常检查")]["basis_status"] == "empty"


# -- bad input --------------------------------------------------------------------------------


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    sheets = small()
    for row in sheets["岗位"]:
        del row[3]  # 岗位名称
    problems = _problems(write_xlsx(tmp_path / "t.xlsx", sheets))
    assert problems == [
        f"{tmp_path / 't.xlsx'}, sheet 岗位, row 1: the required column 岗位名称 (post) is missing"
    ]


def test_a_missing_required_sheet_is_named(tmp_path: Path) -> None:
    sheets = small()
    del sheets["权责清单"]
    assert any(
        "the required sheet 权责清单 (powers) is missing" in p
        for p in _problems(write_xlsx(tmp_path / "t.xlsx", sheets))
    )


@pytest.mark.parametrize(
    ("sheet", "row", "column", "value", "expected"),
    [
        (
            "岗位",
            3,
            0,
            "SJ-01",
            "sheet 岗位, row 4, column 岗位编码 (A): is a duplicate post code (value 'SJ-01')",
        ),
        (
            "权责清单",
            2,
            4,
            "示例市环保局",
            "sheet 权责清单, row 3, column 实施主体 (E): names an unknown department (not in the departments sheet)"
            " (value '示例市环保局')",
        ),
        (
            "任职",
            4,
            2,
            "SJ-99",
            "sheet 任职, row 5, column 岗位编码 (C): names an unknown post (not in the posts sheet) (value 'SJ-99')",
        ),
        (
            "审批环节",
            1,
            0,
            "XK-999",
            "sheet 审批环节, row 2, column 事项编码 (A): names an unknown power item (not in the powers sheet)"
            " (value 'XK-999')",
        ),
        (
            "任职",
            1,
            4,
            "2019-12-31",
            "sheet 任职, row 2, column 任职结束 (E): is before the start 2020-01-01 (value '2019-12-31')",
        ),
        (
            "任职",
            1,
            3,
            "2020-13-45",
            "sheet 任职, row 2, column 任职开始 (D): is not a real date (month must be in 1..12) (value '2020-13-45')",
        ),
        (
            "任职",
            1,
            3,
            "去年",
            "sheet 任职, row 2, column 任职开始 (D): is not a date (write 2024-03-05, 2024/3/5 or 2024年3月5日)"
            " (value '去年')",
        ),
        (
            "权责清单",
            1,
            9,
            "二十天",
            "sheet 权责清单, row 2, column 法定时限 (J): is not a whole number (value '二十天')",
        ),
        ("权责清单", 1, 1, "行政审查", "sheet 权责清单, row 2, column 权力类型 (B): is not a power type"),
        (
            "办件环节",
            1,
            2,
            "P99",
            "sheet 办件环节, row 2, column 经办人编号 (C): names an unknown person (not in the holdings sheet)"
            " (value 'P99')",
        ),
    ],
)
def test_each_kind_of_bad_input_is_reported_where_it_is(
    tmp_path: Path, sheet: str, row: int, column: int, value: str, expected: str
) -> None:
    sheets = small()
    sheets[sheet][row][column] = value
    path = write_xlsx(tmp_path / "bad.xlsx", sheets)
    problems = _problems(path)
    assert any(problem.startswith(f"{path}, {expected}") for problem in problems), problems


def test_every_problem_is_collected_before_giving_up(tmp_path: Path) -> None:
    sheets = small()
    sheets["岗位"].append(["SJ-01", "示例市商务局", "", "副局长", "分管领导", "副局长", "", ""])
    sheets["任职"][1][4] = "2019-12-31"
    sheets["权责清单"][2][9] = "很快"
    problems = _problems(write_xlsx(tmp_path / "bad.xlsx", sheets))
    assert len(problems) == 3
    assert [p.split(", ")[1] for p in problems] == ["sheet 岗位", "sheet 任职", "sheet 权责清单"]


def test_a_bad_workbook_changes_nothing_already_loaded(tmp_path: Path, workbook: Path) -> None:
    store = MemoryStore()
    load_workbook(workbook, store)
    before = {kind: sorted(node.id for node in store.nodes(kind)) for kind in NodeKind}
    sheets = small()
    sheets["部门"][1][5] = "三个"
    sheets["部门"].append(["示例市新部门", "XB", "示例市人民政府", "组成部门", "", 1, ""])
    with pytest.raises(InvalidData):
        load_workbook(write_xlsx(tmp_path / "bad.xlsx", sheets), store, replace=True)
    assert {kind: sorted(node.id for node in store.nodes(kind)) for kind in NodeKind} == before


def test_skipping_bad_rows_loads_the_rest_and_reports_them(tmp_path: Path) -> None:
    sheets = small()
    sheets["权责清单"][3][4] = "示例市环保局"  # CF-001 names an unknown department
    store = MemoryStore()
    report = load_workbook(write_xlsx(tmp_path / "bad.xlsx", sheets), store, skip_bad_rows=True)
    assert store.node(power_item_id("CF-001")) is None
    assert store.node(power_item_id("XK-001")) is not None
    assert [problem.row for problem in report.skipped] == [4]


def test_a_person_named_differently_in_two_rows_is_reported_without_the_names(tmp_path: Path) -> None:
    sheets = small()
    sheets["任职"].append(["P01", "张伟伟", "SJ-02", "2010-01-01", "2015-01-01", "行政编制", ""])
    problems = _problems(write_xlsx(tmp_path / "bad.xlsx", sheets))
    assert problems == [
        f"{tmp_path / 'bad.xlsx'}, sheet 任职, row 11, column 姓名 (B): differs from the name of P01 in row 2"
    ]
    assert "张伟" not in problems[0]


def test_a_file_that_is_not_a_spreadsheet(tmp_path: Path) -> None:
    binary = tmp_path / "x.xlsx"
    binary.write_bytes(bytes(range(256)) * 4)
    assert "not a spreadsheet that can be read" in _problems(binary)[0]
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert _problems(empty) == [f"{empty}: the file is empty"]
    assert _problems(tmp_path / "missing.xlsx") == [f"{tmp_path / 'missing.xlsx'}: no such file or folder"]


# -- implausible values (issue 13) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (-5, "is negative (a count is 0 or more) (value '-5')"),  # the gap said "超出核定的-5名"
        (1e30, "is implausibly large for a count (more than 100,000) (value '10000000000000000198"),
        (100_001, "is implausibly large for a count (more than 100,000) (value '100001')"),
        (2.5, "is not a whole number (value '2.5')"),
        (float("inf"), "is a number cell without a number"),  # openpyxl writes <v/>: it was silently empty
        (float("nan"), "is a number cell without a number"),
        ("=1+2", "is a formula without a saved value"),  # openpyxl saves no value: it was silently empty
    ],
)
def test_a_quota_is_a_count_within_reason(tmp_path: Path, value: object, reason: str) -> None:
    sheets = small()
    sheets["部门"][4][5] = value  # 示例区市场监督管理局, which no other row needs
    sheets["内设机构"][1][2] = value
    path = write_xlsx(tmp_path / "quota.xlsx", sheets)
    problems = _problems(path)
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{path}, sheet 部门, row 5, column 行政编制 (F)",
        f"{path}, sheet 内设机构, row 2, column 编制数 (C)",
    ]
    assert all(reason in problem for problem in problems), problems


def test_a_count_in_a_csv_folder_is_checked_the_same(tmp_path: Path) -> None:
    sheets = small()
    sheets["部门"][4][5] = "-5"
    sheets["权责清单"][1][9] = "inf"
    problems = _problems(write_csv(tmp_path / "csv", sheets))
    assert [p.split(": ", 1)[1] for p in problems] == [
        "is negative (a count is 0 or more) (value '-5')",
        "is not a whole number (value 'inf')",
    ]


def test_a_department_managed_by_itself_or_in_a_loop_is_one_problem_naming_its_rows(tmp_path: Path) -> None:
    sheets = small()
    sheets["部门"][1][4] = "示例市市场监督管理局"  # its own parent
    path = write_xlsx(tmp_path / "self.xlsx", sheets)
    assert _problems(path) == [
        f"{path}, sheet 部门, row 2, column 主管部门 (E): names the department itself (value '示例市市场监督管理局')"
    ]
    sheets = small()
    sheets["部门"][2][4] = "示例市政务服务中心"  # 商务局 <- 政务服务中心 <- 商务局
    path = write_xlsx(tmp_path / "loop.xlsx", sheets)
    assert _problems(path) == [
        f"{path}, sheet 部门, row 3, column 主管部门 (E): the 主管部门 (parent) chain of 2 departments loops: "
        "示例市商务局 (row 3), 示例市政务服务中心 (row 4) (value '示例市政务服务中心')"
    ]
    report = load_workbook(path, MemoryStore(), skip_bad_rows=True)  # the rows load, without the loop
    assert len(report.skipped) == 1 and report.counts[NodeKind.DEPARTMENT] == 4


@pytest.mark.parametrize("size", [2, 5])
def test_prerequisites_that_loop_are_one_problem_naming_every_row(tmp_path: Path, size: int) -> None:
    sheets = small()
    rows = sheets["权责清单"]  # XK-001 (row 2) -> XK-002 -> CF-001 -> QT-001 -> JC-001 (rows 6, 7)
    codes = ["XK-001", "XK-002", "CF-001", "QT-001", "JC-001"][:size]
    for index in range(size):  # each item requires the next, the last the first
        rows[index + 1][11] = codes[(index + 1) % size]
    store = MemoryStore()
    path = write_xlsx(tmp_path / "loop.xlsx", sheets)
    problems = _problems(path)
    members = ", ".join(f"{code} (row {row})" for row, code in enumerate(codes, start=2))
    if size == 5:
        members = members.replace("JC-001 (row 6)", "JC-001 日常检查 (row 6)")
    assert problems == [
        f"{path}, sheet 权责清单, row 2, column 前置事项 (L): the 前置事项 (prerequisites) of {size} items loop: "
        f"{members} (value 'XK-002')"
    ]
    load_workbook(path, store, skip_bad_rows=True)  # the items load, without the loop's edges
    left = sorted((edge.source, edge.target) for edge in store.edges(kind=EdgeKind.REQUIRES))
    assert left == ([(power_item_id("QT-001"), power_item_id("JC-001", "专项检查"))] if size == 5 else [])


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2024/2/29 25:61", "is not a real time of day (25:61)"),
        ("2024-03-05 24:00", "is not a real time of day (24:00)"),
        ("2023/2/29", "is not a real date (day is out of range for month)"),
        ("2024-13-01", "is not a real date (month must be in 1..12)"),
        ("2024-03-05 下午", "is not a date"),
    ],
)
def test_dates_and_times_are_real(tmp_path: Path, written: str, reason: str) -> None:
    sheets = small()
    sheets["办件"][1][2] = written
    path = write_csv(tmp_path / "csv", sheets)
    problems = _problems(path)
    assert problems[0].startswith(f"{path / '办件.csv'}, sheet 办件, row 2, column 受理时间 (C): {reason}")


def test_a_date_with_a_real_time_reads_as_its_date(tmp_path: Path) -> None:
    sheets = small()
    sheets["办件"][1][2] = "2024-09-27 10:30"
    sheets["办件"][1][3] = "2024年10月15日 16时05分"
    graph = read_workbook(write_csv(tmp_path / "csv", sheets))
    case = graph.nodes["case:C-001"]
    assert (case["accepted"], case["closed"]) == (date(2024, 9, 27), date(2024, 10, 15))


def test_a_formula_without_a_saved_value_in_a_column_read_is_a_problem(tmp_path: Path) -> None:
    sheets = small()
    sheets["权责清单"][1][2] = '="食品经营许可"'  # the item's name, in a column quanze reads
    sheets["权责清单"][1].append("=1+1")  # a column without a header: not read
    path = write_xlsx(tmp_path / "formula.xlsx", sheets)
    assert _problems(path) == [
        f"{path}, sheet 权责清单, row 2, column 权力名称 (C): is a formula without a saved value (the file "
        "was written by a program that does not compute formulas): open it in Excel or WPS and save it, or "
        "write the value (value '=\"食品经营许可\"')"
    ]


def test_a_workbook_without_its_departments_sheet_says_so(tmp_path: Path) -> None:
    sheets = small()
    del sheets["部门"]
    path = write_xlsx(tmp_path / "no-departments.xlsx", sheets)
    assert _problems(path) == [f"{path}, sheet 部门: the required sheet 部门 (departments) is missing"]


def test_a_csv_field_longer_than_a_cell_is_a_located_problem(tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "csv", small())
    (folder / "职能.csv").write_text(
        '职能编码,部门,职能内容\nF-1,示例市商务局,负责\nF-2,示例市商务局,"' + "长" * 200_000 + '"\n',
        encoding="utf-8",
    )
    assert _problems(folder) == [
        f"{folder / '职能.csv'}, sheet 职能, row 3: a field longer than 131,072 characters (a spreadsheet "
        "cell holds at most 32,767); the file was not read"
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("职能编码,部门\n".encode() + b"\xff\xfe\x80\x81\xfe\xff\x80", "not UTF-8 or GB18030 text"),
        ("职能编码,部门\nF-1,\x00\n".encode(), "a binary file, not CSV text"),
    ],
)
def test_a_csv_file_in_no_encoding_read_or_with_nul_bytes_is_refused(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    folder = write_csv(tmp_path / "csv", small())
    (folder / "职能.csv").write_bytes(data)
    with pytest.raises(InvalidData, match=reason) as caught:
        read_workbook(folder)
    assert [str(problem) for problem in caught.value.problems] == [f"{folder / '职能.csv'}: {reason}"]


@pytest.mark.parametrize("as_csv", [False, True])
def test_what_rows_repeat_is_kept_once(tmp_path: Path, workbook: Path, as_csv: bool) -> None:
    """A province repeats its texts on every row (the same 所属政府, 责任事项 …): the graph read keeps one
    object of each, the edges without properties share one empty mapping, and those with the same
    properties one mapping."""
    path = write_csv(tmp_path / "csv", small()) if as_csv else workbook
    graph = read_workbook(path)
    departments = [node for node in graph.nodes.values() if node.kind is NodeKind.DEPARTMENT]
    governments = {id(node["government"]) for node in departments if node["government"] == "示例市人民政府"}
    assert len(departments) == 4 and len(governments) == 1
    empty = [edge.props for edge in graph.edges.values() if not edge.props]
    assert empty and all(props is empty[0] for props in empty)
    first = [edge.props for edge in graph.edges.values() if edge.props == {"position": 0}]
    assert len(first) > 1 and all(props is first[0] for props in first)
    targets = {id(edge.target) for edge in graph.edges.values() if edge.target == MARKET}
    assert len(targets) == 1
    item = graph.nodes[power_item_id("XK-001")]
    assert dict(item.props) == {**item.props} and item.props["power_type"] == "行政许可"


def test_a_load_hands_the_graph_over_as_it_writes(workbook: Path) -> None:
    graph = read_workbook(workbook)
    nodes, edges = dict(graph.nodes), dict(graph.edges)
    kept, released = MemoryStore(), MemoryStore()

    write_graph(graph, kept)
    assert graph.nodes == nodes and graph.edges == edges
    report = write_graph(graph, released, release=True)

    assert graph.nodes == {} and graph.edges == {}
    assert report.counts[NodeKind.POWER_ITEM] == 7 and report.edges == len(edges)
    assert [released.node(node_id) for node_id in nodes] == list(nodes.values())
    assert sorted(e.key for e in released.edges(kind=EdgeKind.CITES)) == sorted(
        e.key for e in kept.edges(kind=EdgeKind.CITES)
    )
