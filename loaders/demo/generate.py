"""Generate the demo workbook: the city of 巴中 as its staffing office and service centre would send it.

    python -m loaders.demo.generate --out quanze-demo.xlsx [--seed 2008] [--format xlsx|csv]

writes the workbook (an .xlsx with the sheets of the workbook format, or a folder of .csv files
named after the sheets) and, beside it, `truth.json`: what was planted for the analyses to find.
The same seed gives the same workbook, cell for cell and byte for byte (no clock, no global
random state). The shipped `quanze-demo.xlsx` is this script's output with the default seed.

    >>> from pathlib import Path; import tempfile
    >>> truth = generate_workbook(Path(tempfile.mkdtemp()) / "demo.xlsx")  # doctest: +SKIP
    >>> truth["counts"]["权责清单"] > 1500  # doctest: +SKIP
    True
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from loaders.demo import DEMO_LAWS
from loaders.demo.plants import (
    OVER_QUOTA,
    describe_gaps,
    describe_overlaps,
    plan_staffing,
    plant_cases,
    plant_prerequisites,
    resolve_splits,
    stages_without_post,
)
from loaders.demo.powers import (
    STAGED_CONFIRMATIONS,
    Laws,
    build_functions,
    build_items,
    build_laws_sheet,
    build_stages,
)
from loaders.demo.records import SHEETS, DemoCity
from loaders.demo.staffing import REFERENCE_DATE, build_holdings, build_organisation, build_posts, set_quotas

__all__ = ["DEFAULT_SEED", "SHEETS", "Truth", "build_city", "generate_workbook", "main"]

DEFAULT_SEED = 2008
#: the workbook's created / modified time, and its zip entries' time: fixed, so bytes are stable
FIXED_TIME = datetime(2026, 11, 28, 9, 0, 0)

Truth = dict[str, Any]


def generate_workbook(out: Path, *, seed: int = DEFAULT_SEED, fmt: str = "xlsx") -> Truth:
    """Write the demo workbook to `out` (an .xlsx file, or a folder of .csv files) and truth.json beside it.

    Returns the truth written. Raises `ValueError` for an unknown `fmt`.
    """
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"unknown format {fmt!r}: xlsx or csv")
    city = build_city(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheets = _sheet_rows(city)
    if fmt == "xlsx":
        out.write_bytes(_xlsx_bytes(sheets, _merged_item_rows(city)))
    else:
        _write_csv(out, sheets)
    truth_path = out.parent / "truth.json"
    truth_path.write_text(json.dumps(city.truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return city.truth


def build_city(seed: int = DEFAULT_SEED) -> DemoCity:
    """The whole demo city for `seed`, with its truth; deterministic for a seed."""
    rng = random.Random(seed)
    extract = json.loads(DEMO_LAWS.read_text(encoding="utf-8"))
    laws = Laws(extract)
    city = DemoCity()
    build_organisation(city)
    item_facts = build_items(city, laws, rng)
    chains = plant_prerequisites(city)
    splits = resolve_splits(city)
    approval_units = {
        (i.departments[0], i.unit or "")
        for i in city.items
        if i.power_type == "行政许可" or i.name in STAGED_CONFIRMATIONS
    }
    approval_units |= {(department, unit) for stages in splits.values() for _, department, unit in stages}
    build_posts(city, rng, approval_units)
    build_stages(city, rng, splits, stages_without_post(city))
    plan, staffing_facts = plan_staffing(city, rng)
    build_holdings(city, rng, plan)
    over = set_quotas(city, rng, OVER_QUOTA)
    build_functions(city, laws, rng)
    build_laws_sheet(city, laws, extract)
    case_truth = plant_cases(city, rng, staffing_facts)
    overlaps = describe_overlaps(city, item_facts["general_citers"], item_facts["district_copies"])
    city.truth = {
        "about": "What the demo workbook plants for the analyses to find (generated with it; do not edit).",
        "seed": seed,
        "reference_date": REFERENCE_DATE.isoformat(),
        "governments": sorted({d.government for d in city.departments}),
        "counts": _counts(city),
        "conventions": _CONVENTIONS,
        **overlaps,
        "gaps": describe_gaps(city, staffing_facts, over),
        "not_gaps": [{"kind": "GHOST_PAYROLL", **fact} for fact in staffing_facts["not_ghosts"]]
        + [
            {
                "kind": "GHOST_PAYROLL",
                "person": fact["last_holder"],
                "department": fact["department"],
                "reason": f"left: head post ended {fact['since']}, no quota row after",
            }
            for fact in staffing_facts["no_head"]
        ],
        "split_approvals": _split_approvals(city, chains, overlaps["overlaps"]),
        "staffing": {
            key: staffing_facts[key]
            for key in ("head_change", "no_head", "acting", "reviewer_change", "vacancy_window")
        },
        "cases": case_truth,
    }
    return city


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m loaders.demo.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="the .xlsx file, or the folder for --format csv"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--format", dest="fmt", choices=("xlsx", "csv"), default="xlsx")
    args = parser.parse_args(argv)
    truth = generate_workbook(args.out, seed=args.seed, fmt=args.fmt)
    counts = ", ".join(f"{sheet} {n}" for sheet, n in truth["counts"].items() if sheet in SHEETS)
    print(f"{args.out}: {counts}")
    return 0


_CONVENTIONS = [
    "Dates are ISO; the reference date is the day the staffing and vacancy findings are checked for.",
    "Working days exclude weekends and official holidays and include official make-up days; a stage "
    "started on S and finished on F took the working days in (S, F].",
    "The answerable person of a step is the holder of the stage's post on the day the step started. "
    "VACANT_POST: nobody held it; NOT_HOLDER: somebody else did.",
    "CASE_OVERDUE: the working days from acceptance to closing exceed the promised limit (the statutory one "
    "where none is promised). SKIPPED_STAGE applies to closed cases only.",
    "Overlaps are within one government: items held by 巴中市人民政府 and 巴州区人民政府 departments are divisions "
    "between levels (not_overlaps, CROSS_LEVEL).",
    "A holding row without 岗位编码 is a person on a quota holding no post over [任职开始, 任职结束); a holding "
    "row without 编制类型 (a concurrent post) puts nobody on a quota.",
    "Each planted case lists every finding a trace must report for it; clean cases have none.",
    "may_also names kinds an analysis may also report for the same subject, depending on how it reads "
    "the definition (a concurrent post without a quota; an item with no basis matched by wording only).",
    "The lists of planted findings are what the demo guarantees, not all there is: like real lists, the data "
    "has other near-duplicate wordings where two laws word an offence alike (SIMILAR_TEXT candidates).",
]


def _counts(city: DemoCity) -> dict[str, Any]:
    sheets = _sheet_rows(city)
    counts: dict[str, Any] = {sheet: len(rows) for sheet, rows in sheets.items()}
    city_items = [i for i in city.items if i.government == city.departments[0].government]
    counts["departments_city"] = sum(d.government == city.departments[0].government for d in city.departments)
    counts["departments_district"] = len(city.departments) - counts["departments_city"]
    counts["items"] = len(city.items)
    counts["items_city"] = len(city_items)
    counts["items_by_type"] = dict(Counter(i.power_type for i in city_items).most_common())
    counts["people"] = len({h.person for h in city.holdings})
    return counts


def _split_approvals(
    city: DemoCity, chains: list[dict[str, Any]], overlaps: list[dict[str, Any]]
) -> dict[str, Any]:
    split_items = []
    for item in city.items:
        stages = city.stages_of(item.code)
        departments = [s.department or item.departments[0] for s in stages]
        if len(set(departments)) > 1:
            count = Counter(departments)
            approver = next((d for s, d in zip(stages, departments, strict=True) if s.role == "批准"), None)
            lead = max(count, key=lambda d: (count[d], d == approver))
            split_items.append(
                {
                    "item": item.code,
                    "name": item.name,
                    "departments": sorted(set(departments)),
                    "stages": [
                        {"step": s.step, "stage": s.name, "department": d}
                        for s, d in zip(stages, departments, strict=True)
                    ],
                    "lead": lead,
                }
            )
    for chain in chains:
        items = [city.item(code) for code in chain["items"]]
        chain["stages"] = sum(len(city.stages_of(i.code)) for i in items)
        chain["statutory_days"] = sum(i.statutory_days or 0 for i in items)
        chain["promised_days"] = sum(i.promised_days or 0 for i in items)
        chain["crosses_departments"] = len(chain["departments"]) > 1
    same_matter = [o for o in overlaps if "SAME_ITEM" in o["kinds"] and o["power_type"] == "行政许可"]
    return {"split_items": split_items, "chains": chains, "same_matter": same_matter}


# --- writing ---------------------------------------------------------------------------------

Row = tuple[Any, ...]


def _sheet_rows(city: DemoCity) -> dict[str, list[Row]]:
    return {
        "部门": [d.row() for d in city.departments],
        "内设机构": [u.row() for u in city.units],
        "岗位": [p.row() for p in city.posts],
        "任职": [_holding_row(h.row()) for h in city.holdings],
        "职能": [f.row() for f in city.functions],
        "权责清单": [row for item in city.items for row in item.rows()],
        "审批环节": [s.row() for s in city.stages],
        "法律依据": [law.row() for law in city.laws],
        "办件": [c.row() for c in city.cases],
        "办件环节": [s.row() for c in city.cases for s in c.steps],
        "问责": [r.row() for r in city.records],
    }


def _holding_row(row: Row) -> Row:
    """A few start dates written as users type them (2024/3/5, 2024年3月5日) rather than as Excel dates."""
    person, start = row[0], row[3]
    number = int(str(person)[1:])
    if isinstance(start, date) and number % 37 == 5:
        start = f"{start.year}/{start.month}/{start.day}"
    elif isinstance(start, date) and number % 41 == 7:
        start = f"{start.year}年{start.month}月{start.day}日"
    return (*row[:3], start, *row[4:])


def _merged_item_rows(city: DemoCity) -> list[tuple[int, int]]:
    """(first, last) data rows (1-based, header excluded) of items with several sub-items."""
    spans, row = [], 1
    for item in city.items:
        count = len(item.sub_items) or 1
        if count > 1:
            spans.append((row, row + count - 1))
        row += count
    return spans


_WIDTHS = {
    "部门名称": 28,
    "部门": 28,
    "内设机构": 22,
    "岗位名称": 26,
    "岗位职责": 50,
    "职能内容": 60,
    "权力名称": 50,
    "子项": 30,
    "实施主体": 28,
    "承办机构": 22,
    "设定依据": 60,
    "责任事项": 40,
    "追责情形": 40,
    "依据名称": 36,
    "条文": 80,
    "规定职责": 40,
    "主管部门": 36,
    "职责": 50,
    "分管内设机构": 40,
    "过错情形": 40,
    "提出机关": 24,
}
_MERGED_COLUMNS = (
    1,
    2,
    3,
    5,
)  # 事项编码, 权力类型, 权力名称, 实施主体 span their sub-items, as in published lists


def _xlsx_bytes(sheets: dict[str, list[Row]], merged: list[tuple[int, int]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, rows in sheets.items():
        worksheet = workbook.create_sheet(sheet)
        headers = SHEETS[sheet]
        worksheet.append(list(headers))
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            worksheet.append(list(row))
        for column, header in enumerate(headers, start=1):
            letter = worksheet.cell(row=1, column=column).column_letter
            worksheet.column_dimensions[letter].width = _WIDTHS.get(header, 14)
        for line in worksheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        worksheet.freeze_panes = "A2"
        if sheet == "权责清单":
            for first, last in merged:
                for column in _MERGED_COLUMNS:
                    worksheet.merge_cells(
                        start_row=first + 1, start_column=column, end_row=last + 1, end_column=column
                    )
    workbook.properties.creator = "quanze demo generator"
    workbook.properties.title = "巴中市权责清单、机构编制与办件示例数据"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()  # not Workbook.save, which stamps the current time
    return _stable_zip(buffer.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The same zip with every entry's time fixed, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _write_csv(folder: Path, sheets: dict[str, list[Row]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for sheet, rows in sheets.items():
        with (folder / f"{sheet}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(SHEETS[sheet])
            writer.writerows(_csv_cells(row) for row in rows)


def _csv_cells(row: Iterable[Any]) -> list[str]:
    return [
        "" if value is None else value.isoformat() if isinstance(value, date) else str(value) for value in row
    ]


if __name__ == "__main__":
    raise SystemExit(main())
