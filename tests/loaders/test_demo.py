"""The demo city: deterministic, shipped as generated, big enough, consistent, and holding what truth.json says.

The workbook is read back with openpyxl (merged cells filled down, as a loader must), and every
planted finding of truth.json is checked against the cells themselves, with this file's own
small readings (holders on a date, working days with the official calendar), not the generator's.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from graph.text import normalize, to_simplified
from graph.workdays import working_days as _working_days
from loaders.demo import DEMO_TRUTH, DEMO_WORKBOOK
from loaders.demo.articles import arabic_number
from loaders.demo.generate import generate_workbook
from loaders.demo.sheets import SHEETS

Rows = list[dict[str, Any]]
REFERENCE = date(2026, 11, 28)
CITY, DISTRICT = "巴中市人民政府", "巴州区人民政府"


# --- reading ---------------------------------------------------------------------------------


def _read(path: Path) -> dict[str, Rows]:
    """Sheets as lists of {header: value}, merged cells filled down, dates as `date`."""
    workbook = openpyxl.load_workbook(path)
    sheets: dict[str, Rows] = {}
    for worksheet in workbook.worksheets:
        grid = [[_value(cell) for cell in row] for row in worksheet.iter_rows(values_only=True)]
        for merged in worksheet.merged_cells.ranges:
            top = grid[merged.min_row - 1][merged.min_col - 1]
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    grid[row - 1][column - 1] = top
        headers = grid[0]
        sheets[worksheet.title] = [dict(zip(headers, row, strict=True)) for row in grid[1:]]
    return sheets


def _value(value: Any) -> Any:
    return value.date() if isinstance(value, datetime) else value


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    numbers = [int(n) for n in re.findall(r"\d+", str(value))]
    return date(*numbers[:3])


def _list(value: Any) -> list[str]:
    return [part for part in re.split(r"[、；;\n]", str(value or "")) if part]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    truth = generate_workbook(first / "demo.xlsx")
    generate_workbook(second / "demo.xlsx")
    return {
        "path": first / "demo.xlsx",
        "again": second / "demo.xlsx",
        "truth": truth,
        "sheets": _read(first / "demo.xlsx"),
    }


@pytest.fixture(scope="module")
def sheets(generated: dict[str, Any]) -> dict[str, Rows]:
    return generated["sheets"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def truth(generated: dict[str, Any]) -> dict[str, Any]:
    return generated["truth"]  # type: ignore[no-any-return]


class City:
    """Lookups over the sheets: holders on a date, items by code, department of a post."""

    def __init__(self, sheets: dict[str, Rows]) -> None:
        self.sheets = sheets
        self.posts = {p["岗位编码"]: p for p in sheets["岗位"]}
        self.items: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in sheets["权责清单"]:
            self.items[row["事项编码"]].append(row)
        self.departments = {d["部门名称"]: d for d in sheets["部门"]}
        self.by_post: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for holding in sheets["任职"]:
            if holding["岗位编码"]:
                self.by_post[holding["岗位编码"]].append(holding)

    def holders(self, post: str, day: date) -> set[str]:
        return {h["人员编号"] for h in self.by_post[post] if _covers(h, day)}

    def item(self, code: str) -> dict[str, Any]:
        return self.items[code][0]

    def stages(self, code: str) -> list[dict[str, Any]]:
        return sorted(
            (s for s in self.sheets["审批环节"] if s["事项编码"] == code), key=lambda s: s["环节序号"]
        )


@pytest.fixture(scope="module")
def city(sheets: dict[str, Rows]) -> City:
    return City(sheets)


def _covers(holding: dict[str, Any], day: date) -> bool:
    start, end = _date(holding["任职开始"]), _date(holding["任职结束"])
    return (start is None or start <= day) and (end is None or day < end)


# --- determinism and the shipped copy ---------------------------------------------------------


def test_the_same_seed_gives_the_same_workbook(generated: dict[str, Any]) -> None:
    assert generated["path"].read_bytes() == generated["again"].read_bytes()
    assert _read(generated["again"]) == generated["sheets"]


def test_another_seed_gives_another_city(tmp_path: Path, sheets: dict[str, Rows]) -> None:
    generate_workbook(tmp_path / "other.xlsx", seed=7)
    other = _read(tmp_path / "other.xlsx")
    assert other.keys() == sheets.keys()
    assert other["任职"] != sheets["任职"]


def test_the_shipped_workbook_is_a_fresh_generation(
    generated: dict[str, Any], sheets: dict[str, Rows]
) -> None:
    shipped = _read(DEMO_WORKBOOK)
    assert list(shipped) == list(sheets)
    for name in sheets:
        assert shipped[name] == sheets[name], f"sheet {name} differs: rerun python -m loaders.demo.generate"
    assert json.loads(DEMO_TRUTH.read_text(encoding="utf-8")) == json.loads(
        (generated["path"].parent / "truth.json").read_text(encoding="utf-8")
    )


def test_csv_folders_hold_the_same_rows(tmp_path: Path, sheets: dict[str, Rows]) -> None:
    generate_workbook(tmp_path / "demo", fmt="csv")
    assert (tmp_path / "truth.json").exists()
    for name, headers in SHEETS.items():
        lines = (tmp_path / "demo" / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        assert lines[0] == ",".join(headers)
        assert sum(1 for _ in csv.reader(lines[1:])) == len(sheets[name])


# --- shape and sizes -------------------------------------------------------------------------


def test_sheets_and_headers_are_those_of_the_workbook_format(sheets: dict[str, Rows]) -> None:
    assert list(sheets) == list(SHEETS)
    for name, rows in sheets.items():
        assert tuple(rows[0]) == SHEETS[name]


def test_sizes(sheets: dict[str, Rows], city: City) -> None:
    departments = sheets["部门"]
    assert sum(d["所属政府"] == CITY for d in departments) >= 40
    assert 5 <= sum(d["所属政府"] == DISTRICT for d in departments) <= 8
    assert {d["机构类型"] for d in departments} == {
        "组成部门",
        "直属机构",
        "部门管理机构",
        "事业单位",
        "议事协调机构",
    }
    assert len(sheets["内设机构"]) >= 150
    assert len(sheets["岗位"]) >= 600
    assert len(sheets["任职"]) >= 700
    assert len(sheets["职能"]) >= 60
    assert {f["职能类别"] for f in sheets["职能"]} == {"经济调节", "市场监管", "社会管理", "公共服务"}
    assert len(city.items) >= 1500
    types = Counter(rows[0]["权力类型"] for rows in city.items.values())
    assert len(types) == 10
    assert types.most_common(1)[0][0] == "行政处罚"
    assert 0.05 <= types["行政许可"] / len(city.items) <= 0.15
    assert any(len(rows) > 1 and rows[0]["子项"] for rows in city.items.values())
    assert len(sheets["办件"]) >= 200
    accepted = [day for c in sheets["办件"] if (day := _date(c["受理时间"]))]
    assert len(accepted) == len(sheets["办件"])
    assert min(accepted) >= date(2023, 1, 1) and max(accepted) <= date(2026, 10, 31)
    starts = [_date(h["任职开始"]) for h in sheets["任职"] if h["任职开始"]]
    assert any(d and d.year == 2018 for d in starts) and any(d and d.year >= 2025 for d in starts)


def test_every_department_has_one_head_and_two_to_four_deputies_covering_its_units(
    sheets: dict[str, Rows],
) -> None:
    posts = sheets["岗位"]
    assert len({p["岗位编码"] for p in posts}) == len(posts)
    for department in sheets["部门"]:
        own = [p for p in posts if p["部门"] == department["部门名称"]]
        assert sum(p["岗位类别"] == "行政首长" for p in own) == 1
        deputies = [p for p in own if p["岗位类别"] == "分管领导"]
        assert 2 <= len(deputies) <= 4
        units = {u["内设机构"] for u in sheets["内设机构"] if u["部门"] == department["部门名称"]}
        supervised = {unit for p in deputies for unit in _list(p["分管内设机构"])}
        assert supervised == units


def test_licensing_items_promise_less_than_the_law_allows(city: City) -> None:
    for rows in city.items.values():
        item = rows[0]
        if item["权力类型"] in ("行政许可", "行政确认"):
            assert item["法定时限"] and item["承诺时限"] and item["承诺时限"] < item["法定时限"]


def test_legal_bases_come_in_the_styles_users_write(city: City) -> None:
    bases = [rows[0]["设定依据"] or "" for rows in city.items.values()]
    assert any(b.startswith("【法律】") for b in bases)
    assert any("至第" in b for b in bases)
    assert any("《" in b and "中华人民共和国" not in b and "法》" in b for b in bases)
    assert any(to_simplified(b) != b for b in bases)
    assert any(re.search(r"第[０-９]+条", b) for b in bases)
    assert any(
        "《中华人民共和国城乡规划法》第四十条第一款；《四川省城乡规划条例》第三十七条" in b for b in bases
    )


# --- references ------------------------------------------------------------------------------


def test_every_code_referenced_exists(sheets: dict[str, Rows], city: City) -> None:
    departments = set(city.departments)
    for department in sheets["部门"]:
        assert department["主管部门"] in departments | {None}
    for unit in sheets["内设机构"]:
        assert unit["部门"] in departments
    units = {(u["部门"], u["内设机构"]) for u in sheets["内设机构"]}
    for post in sheets["岗位"]:
        assert post["部门"] in departments
        assert post["内设机构"] is None or (post["部门"], post["内设机构"]) in units
    for function in sheets["职能"]:
        assert function["部门"] in departments
        assert all((function["部门"], u) in units for u in _list(function["承担内设机构"]))
    for rows in city.items.values():
        item = rows[0]
        holders = _list(item["实施主体"])
        assert holders and all(h in departments for h in holders)
        assert item["承办机构"] is None or (holders[0], item["承办机构"]) in units
        assert all(code in city.items for code in _list(item["前置事项"]))
    for holding in sheets["任职"]:
        assert holding["岗位编码"] is None or holding["岗位编码"] in city.posts
        assert holding["编制所在单位"] is None or holding["编制所在单位"] in departments
    for stage in sheets["审批环节"]:
        assert stage["事项编码"] in city.items
        assert stage["岗位编码"] is None or stage["岗位编码"] in city.posts
        assert stage["实施部门"] is None or stage["实施部门"] in departments
    people = {h["人员编号"] for h in sheets["任职"]}
    cases = {c["办件编号"] for c in sheets["办件"]}
    assert len(cases) == len(sheets["办件"])
    for case in sheets["办件"]:
        assert case["事项编码"] in city.items
    for step in sheets["办件环节"]:
        assert step["办件编号"] in cases and step["经办人编号"] in people
    for record in sheets["问责"]:
        assert record["人员编号"] in people and record["办件编号"] in cases | {None}
        assert record["提出机关"] in departments


# --- overlaps --------------------------------------------------------------------------------


def test_planted_overlaps_are_in_the_data(truth: dict[str, Any], city: City) -> None:
    kinds = Counter(kind for overlap in truth["overlaps"] for kind in overlap["kinds"])
    assert all(kinds[k] >= 2 for k in ("SAME_ITEM", "JOINT", "SHARED_BASIS", "SIMILAR_TEXT"))
    assert any(len(o["kinds"]) > 1 for o in truth["overlaps"])
    functions = {f["职能编码"]: f for f in city.sheets["职能"]}
    traditional = 0
    for overlap in truth["overlaps"]:
        items = [city.item(code) for code in overlap.get("items", [])]
        if "SAME_ITEM" in overlap["kinds"]:
            assert len({normalize(i["权力名称"]) for i in items}) == 1
            assert len({i["权力类型"] for i in items}) == 1
            assert len({i["实施主体"] for i in items}) == len(items)
            assert all("、" not in i["实施主体"] for i in items)
            traditional += any(to_simplified(i["权力名称"]) != i["权力名称"] for i in items)
        if "JOINT" in overlap["kinds"]:
            assert _list(items[0]["实施主体"]) == overlap["departments"]
        if "SHARED_BASIS" in overlap["kinds"]:
            assert (
                len({i["实施主体"] for i in items}) == len(items) and len({i["权力类型"] for i in items}) == 1
            )
            for article in overlap.get("articles", []):
                assert all(_cites(i["设定依据"], article) for i in items)
        if "SIMILAR_TEXT" in overlap["kinds"]:
            texts = (
                [functions[c]["职能内容"] for c in overlap["functions"]]
                if "functions" in overlap
                else [i["权力名称"] for i in items]
            )
            assert texts[0] != texts[1] and difflib.SequenceMatcher(None, *texts).ratio() > 0.85
    assert traditional >= 1


def _cites(basis: str, article: str) -> bool:
    """Whether `basis` cites the law and article of `article` (法名第N条), in any script or numbering."""
    law, number = re.match(r"(.+?)(第.+条)", article).groups()  # type: ignore[union-attr]
    text = to_simplified(basis).translate({code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)})
    arabic = f"第{arabic_number(number[1:-1])}条"
    return law in text and (number in text or arabic in text or _in_range(text, number))


def _in_range(text: str, number: str) -> bool:
    value = arabic_number(number[1:-1])
    return any(
        arabic_number(a) <= value <= arabic_number(b) for a, b in re.findall(r"第(\w+?)条至第(\w+?)条", text)
    )


def test_not_overlaps_are_divisions_between_levels_and_general_articles(
    truth: dict[str, Any], city: City
) -> None:
    cross = [n for n in truth["not_overlaps"] if n["kind"] == "CROSS_LEVEL"]
    assert len(cross) >= 5
    for pair in cross:
        first, second = (city.item(code) for code in pair["items"])
        assert (
            normalize(first["权力名称"]) == normalize(second["权力名称"])
            and first["权力类型"] == second["权力类型"]
        )
        governments = {city.departments[i["实施主体"]]["所属政府"] for i in (first, second)}
        assert governments == {CITY, DISTRICT}
    general = [n for n in truth["not_overlaps"] if n["kind"] == "GENERAL_ARTICLE"]
    assert {(n["law"], n["article"]) for n in general} >= {
        ("行政许可法", "第十二条"),
        ("行政处罚法", "第九条"),
    }
    for article in general:
        citing = {
            rows[0]["实施主体"]
            for rows in city.items.values()
            if _cites(rows[0]["设定依据"] or "", article["law"] + article["article"])
        }
        assert len(citing) >= 8 and set(article["departments"]) <= citing | {
            d for c in citing for d in _list(c)
        }


# --- gaps ------------------------------------------------------------------------------------


def test_planted_gaps_are_in_the_data(truth: dict[str, Any], sheets: dict[str, Rows], city: City) -> None:
    gaps = truth["gaps"]
    kinds = Counter(g["kind"] for g in gaps)
    for kind in (
        "UNBASED_POWER",
        "UNHELD_DUTY",
        "MISPLACED",
        "FUNCTION_NOT_EXERCISED",
        "POWER_OUTSIDE_MANDATE",
        "FUNCTION_WITHOUT_UNIT",
        "STAGE_WITHOUT_POST",
        "VACANT_POST",
        "NO_HEAD",
        "OVER_QUOTA",
        "GHOST_PAYROLL",
        "MIXED_QUOTA",
        "CONCURRENT_POSTS",
    ):
        assert kinds[kind] >= 2, kind
    functions = {f["职能编码"]: f for f in sheets["职能"]}
    laws = sheets["法律依据"]
    current = [h for h in sheets["任职"] if _covers(h, REFERENCE)]
    for gap in gaps:
        kind = gap["kind"]
        if kind == "UNBASED_POWER":
            assert "《" not in (city.item(gap["item"])["设定依据"] or "")
        elif kind == "UNHELD_DUTY":
            row = next(r for r in laws if r["条款"] == gap["article"] and gap["law"] in r["依据名称"])
            assert row["规定职责"] and row["主管部门"]
            bases = [rows[0]["设定依据"] or "" for rows in city.items.values()] + [
                f["设定依据"] or "" for f in functions.values()
            ]
            assert not any(_cites(b, gap["law"] + gap["article"]) for b in bases)
        elif kind == "MISPLACED":
            item = city.item(gap["item"])
            assert _cites(item["设定依据"], gap["law"] + gap["article"])
            core = re.sub(r"^.*人民政府|^县级以上|^地方|(行政)?(主管)?部门$", "", gap["competent"])
            assert core and core not in item["实施主体"]
        elif kind == "FUNCTION_NOT_EXERCISED":
            function = functions[gap["function"]]
            named = set(re.findall(r"《(?:中华人民共和国)?(.+?)》", function["设定依据"] or ""))
            own = [rows[0] for rows in city.items.values() if function["部门"] in _list(rows[0]["实施主体"])]
            assert not any(law in (i["设定依据"] or "") for i in own for law in named)
        elif kind == "POWER_OUTSIDE_MANDATE":
            item = city.item(gap["item"])
            mandate = " ".join(
                f["设定依据"] or "" for f in functions.values() if f["部门"] == item["实施主体"]
            )
            assert not any(
                law in mandate for law in re.findall(r"《(?:中华人民共和国)?(.+?)》", item["设定依据"])
            )
        elif kind == "FUNCTION_WITHOUT_UNIT":
            if "function" in gap:
                assert not functions[gap["function"]]["承担内设机构"]
            else:
                assert not any(
                    p["部门"] == gap["department"] and p["内设机构"] == gap["unit"] for p in sheets["岗位"]
                )
        elif kind == "STAGE_WITHOUT_POST":
            assert not next(s for s in city.stages(gap["item"]) if s["环节序号"] == gap["step"])["岗位编码"]
        elif kind in ("VACANT_POST", "NO_HEAD"):
            assert not city.holders(gap["post"], REFERENCE)
            assert city.holders(gap["post"], date.fromisoformat(gap["since"]) - timedelta(days=1))
            if kind == "NO_HEAD":
                assert city.posts[gap["post"]]["岗位类别"] == "行政首长"
            else:
                assert (
                    gap["post"] in {s["岗位编码"] for s in sheets["审批环节"]}
                    or city.posts[gap["post"]]["岗位类别"] == "行政首长"
                )
        elif kind == "OVER_QUOTA":
            people = {
                h["人员编号"]
                for h in current
                if h["编制所在单位"] == gap["department"] and h["编制类型"] == "行政编制"
            }
            assert len(people) > city.departments[gap["department"]]["行政编制"]
        elif kind == "GHOST_PAYROLL":
            mine = [h for h in current if h["人员编号"] == gap["person"]]
            assert any(h["编制所在单位"] == gap["department"] for h in mine) and not any(
                h["岗位编码"] for h in mine
            )
        elif kind == "MIXED_QUOTA":
            row = next(h for h in current if h["人员编号"] == gap["person"] and h["岗位编码"] == gap["post"])
            assert row["编制所在单位"] != city.posts[gap["post"]]["部门"]
        elif kind == "CONCURRENT_POSTS":
            held = {
                city.posts[h["岗位编码"]]["部门"]
                for h in current
                if h["人员编号"] == gap["person"] and h["岗位编码"]
            }
            assert len(held) >= 2


def test_people_who_left_are_not_ghosts(truth: dict[str, Any], sheets: dict[str, Rows]) -> None:
    assert truth["not_gaps"]
    for fact in truth["not_gaps"]:
        assert not any(_covers(h, REFERENCE) for h in sheets["任职"] if h["人员编号"] == fact["person"])
        assert any(h["人员编号"] == fact["person"] for h in sheets["任职"])


def test_the_head_of_market_regulation_changed_on_the_first_of_june_2024(
    truth: dict[str, Any], city: City
) -> None:
    change = truth["staffing"]["head_change"]
    assert city.holders(change["post"], date(2024, 5, 31)) == {change["before"]}
    assert city.holders(change["post"], date(2024, 6, 1)) == {change["after"]}


# --- split approvals -------------------------------------------------------------------------


def test_split_approvals_chains_and_same_matters(truth: dict[str, Any], city: City) -> None:
    split = truth["split_approvals"]
    assert len(split["split_items"]) >= 3
    for entry in split["split_items"]:
        stages = city.stages(entry["item"])
        owner = city.item(entry["item"])["实施主体"]
        assert {s["实施部门"] or owner for s in stages} == set(entry["departments"])
        assert len(entry["departments"]) >= 2 and entry["lead"] in entry["departments"]
    assert any(len(e["departments"]) == 3 for e in split["split_items"])
    crossing = [c for c in split["chains"] if c["crosses_departments"]]
    assert any(len(c["departments"]) >= 3 for c in crossing)
    for chain in split["chains"]:
        for item, prerequisite in pairwise(chain["items"]):
            assert prerequisite in _list(city.item(item)["前置事项"])
        assert chain["statutory_days"] == sum(city.item(c)["法定时限"] for c in chain["items"])
    assert split["same_matter"] and all(o["power_type"] == "行政许可" for o in split["same_matter"])


# --- cases -----------------------------------------------------------------------------------


def _findings(city: City, case: dict[str, Any], steps: list[dict[str, Any]]) -> set[str]:
    """What a trace finds in a case, read straight off the sheets."""
    item = city.item(case["事项编码"])
    done = {s["环节序号"]: s for s in steps}
    found: set[str] = set()
    roles: dict[str, set[str]] = defaultdict(set)
    finished_before = None  # the finish of the performed step before
    for stage in city.stages(case["事项编码"]):
        step = done.get(stage["环节序号"])
        if step is None:
            found |= {"SKIPPED_STAGE"} if case["办结时间"] else set()
            continue
        role = stage["责任类型"] or {"审核": "审核", "决定": "批准", "批准": "批准"}.get(
            stage["环节名称"], "承办"
        )
        roles[step["经办人编号"]].add(role)
        started, finished = _date(step["开始时间"]), _date(step["完成时间"])
        holders = city.holders(stage["岗位编码"], started) if stage["岗位编码"] else None  # type: ignore[arg-type]
        if holders is not None and not holders:
            found.add("VACANT_POST")
        if holders is not None and step["经办人编号"] not in holders:
            found.add("NOT_HOLDER")  # a vacant post's too
        if finished_before and _working_days(finished_before, started) > 1:  # type: ignore[arg-type]
            found.add("IDLE_BETWEEN_STAGES")
        if finished and _working_days(started, finished) > stage["时限"]:  # type: ignore[arg-type]
            found.add("OVERDUE_STAGE")
        finished_before = finished
    if any(len(r) > 1 for r in roles.values()):
        found.add("NO_SEPARATION")
    if case["办结时间"]:
        limit = item["承诺时限"] or item["法定时限"]
        if _working_days(_date(case["受理时间"]), _date(case["办结时间"])) > limit:  # type: ignore[arg-type]
            found.add("CASE_OVERDUE")
    return found


def test_planted_cases_show_their_findings_and_the_rest_are_clean(
    truth: dict[str, Any], sheets: dict[str, Rows], city: City
) -> None:
    steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for step in sheets["办件环节"]:
        steps[step["办件编号"]].append(step)
    planted = {p["case"]: p for p in truth["cases"]["planted"]}
    kinds = Counter(p["planted"] for p in planted.values())
    for kind in (
        "OVERDUE_STAGE",
        "NOT_HOLDER",
        "SKIPPED_STAGE",
        "VACANT_POST",
        "NO_SEPARATION",
        "CASE_OVERDUE",
    ):
        assert kinds[kind] >= 2, kind
    clean = 0
    for case in sheets["办件"]:
        found = _findings(city, case, steps[case["办件编号"]])
        if case["办件编号"] in planted:
            expected = {f["kind"] for f in planted[case["办件编号"]]["findings"]}
            assert planted[case["办件编号"]]["planted"] in found and found == expected, case["办件编号"]
        else:
            assert not found, (case["办件编号"], found)
            clean += 1
    assert clean >= 200


def test_not_holder_names_someone_who_holds_the_post_today_but_did_not_then(
    truth: dict[str, Any], city: City
) -> None:
    change = truth["staffing"]["reviewer_change"]
    assert change["after"] in city.holders(change["post"], REFERENCE)
    case = next(
        p
        for p in truth["cases"]["planted"]
        if p["planted"] == "NOT_HOLDER"
        and any(f.get("performed_by") == change["after"] for f in p["findings"])
    )
    finding = next(f for f in case["findings"] if f["kind"] == "NOT_HOLDER")
    assert change["after"] not in city.holders(change["post"], date.fromisoformat(finding["on"]))


def test_holiday_stages_count_official_working_days(truth: dict[str, Any], sheets: dict[str, Rows]) -> None:
    stages = truth["cases"]["holiday_stages"]
    assert {s["holiday"] for s in stages} == {"国庆节 2024", "春节 2025"}
    for stage in stages:
        step = next(
            s for s in sheets["办件环节"] if s["办件编号"] == stage["case"] and s["环节序号"] == stage["step"]
        )
        started, finished = _date(step["开始时间"]), _date(step["完成时间"])
        assert (started.isoformat(), finished.isoformat()) == (stage["started"], stage["finished"])  # type: ignore[union-attr]
        assert _working_days(started, finished) == stage["working_days"] == 7  # type: ignore[arg-type]
        assert stage["calendar_weekdays"] > stage["working_days"] and stage["working_days"] <= stage["limit"]


def test_accountability_records_name_the_people_of_their_cases(
    truth: dict[str, Any], sheets: dict[str, Rows]
) -> None:
    records = {r["记录编号"]: r for r in sheets["问责"]}
    assert {r["责任类型"] for r in records.values()} == {"直接责任", "主要领导责任", "重要领导责任"}
    for entry in truth["cases"]["accountability"]:
        record = records[entry["record"]]
        assert record["办件编号"] == entry["case"] and record["人员编号"] == entry["person"]
        if entry["responsibility"] == "直接责任":
            assert any(
                s["经办人编号"] == entry["person"]
                for s in sheets["办件环节"]
                if s["办件编号"] == entry["case"]
            )
