"""Findings keep their ids: loading the same sources in another row order, into the other store, or a
new edition in which the same subjects show the same problem gives the same ids (shared/spec/ledger.md,
"Findings have stable identities"). A published list numbers its items by 序号, so the reader makes
their codes from the rows' order; the demo workbook gives real codes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path

import openpyxl

from graph import GraphStore, MemoryStore
from graph.analyses import find_gaps, find_overlaps, find_splits
from graph.analyses.trace import trace_case
from graph.identity import FindingKind
from graph.ledger import finding_kind, item_snapshots
from loaders.demo import DEMO_WORKBOOK
from loaders.sources import load_source
from ontology import NodeKind

AT = date(2025, 1, 1)
GOVERNMENT = "示例市人民政府"
#: two departments' licensing lists: an item without a basis each (UNBASED_POWER), and one matter both
#: approve (a SAME_ITEM overlap and a SAME_MATTER split approval)
LISTS = {
    "示例市商务局": [
        ("单用途商业预付卡备案", "《单用途商业预付卡管理办法》第七条"),
        ("成品油零售经营许可", ""),
        ("酒类经营许可", "《酒类流通管理办法》第五条"),
    ],
    "示例市市场监督管理局": [
        ("食品经营许可", "《食品安全法》第三十五条"),
        ("酒类经营许可", "《酒类流通管理办法》第五条"),
        ("广告发布登记", ""),
    ],
}


def finding_ids(reader: GraphStore) -> dict[FindingKind, list[str]]:
    """The ids of every overlap (every verdict), gap and split approval, and of every case's trace
    findings, by kind; each list sorted."""
    traces = [trace_case(reader, case.id) for case in reader.nodes(NodeKind.CASE)]
    found = {
        FindingKind.OVERLAP: [overlap.id for overlap in find_overlaps(reader, verdicts=None)],
        FindingKind.GAP: [gap.id for gap in find_gaps(reader, at=AT)],
        FindingKind.SPLIT: [split.id for split in find_splits(reader)],
        FindingKind.FINDING: [f.id for trace in traces if trace for f in trace.findings],
    }
    return {kind: sorted(ids) for kind, ids in found.items()}


def write_lists(folder: Path, lists: dict[str, list[tuple[str, str]]]) -> Path:
    """Each department's list as a workbook of one licensing sheet, its rows numbered 1, 2, … as given."""
    folder.mkdir(parents=True)
    for department, rows in lists.items():
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "行政许可"
        sheet.append([f"{department}权责清单"])
        sheet.append(["序号", "事项名称", "实施主体", "设定依据"])
        for number, (name, basis) in enumerate(rows, start=1):
            sheet.append([number, name, department, basis])
        book.save(folder / f"{department}权责清单.xlsx")
    return folder


def reversed_rows(source: Path, target: Path, sheets: Collection[str] | None = None) -> Path:
    """A copy of the workbook `source` whose sheets (of `sheets`, default all) list their rows under the
    header in reverse, an item spread over merged rows (its sub-items) kept together as one block."""
    book = openpyxl.load_workbook(source)
    for sheet in book.worksheets:
        if sheets is not None and sheet.title not in sheets:
            continue
        merges = [
            (cells.min_row, cells.max_row, cells.min_col, cells.max_col) for cells in sheet.merged_cells
        ]
        for cells in list(sheet.merged_cells):
            sheet.unmerge_cells(str(cells))
        bottom_of = {top: bottom for top, bottom, _, _ in merges}
        blocks, row = [], 2
        while row <= sheet.max_row:
            blocks.append((row, bottom_of.get(row, row)))
            row = blocks[-1][1] + 1
        rows = {number: [cell.value for cell in sheet[number]] for number in range(2, sheet.max_row + 1)}
        moved, number = {}, 2
        for top, bottom in reversed(blocks):
            moved[top] = number
            for old in range(top, bottom + 1):
                for column, value in enumerate(rows[old], start=1):
                    sheet.cell(number, column).value = value
                number += 1
        for top, bottom, first, last in merges:
            start = moved[top]
            sheet.merge_cells(
                start_row=start, end_row=start + bottom - top, start_column=first, end_column=last
            )
    book.save(target)
    return target


def _loaded(source: Path, store: GraphStore | None = None) -> GraphStore:
    store = store if store is not None else MemoryStore()
    load_source(source, store, government=GOVERNMENT if source.is_dir() else None)
    return store


def _counts(ids: dict[FindingKind, list[str]]) -> dict[FindingKind, int]:
    return {kind: len(found) for kind, found in ids.items()}


def test_a_list_numbered_by_its_rows_gives_the_same_ids_in_another_order(
    store: GraphStore, tmp_path: Path
) -> None:
    first = finding_ids(_loaded(write_lists(tmp_path / "first", LISTS)))
    turned = {department: rows[::-1] for department, rows in LISTS.items()}
    again = _loaded(write_lists(tmp_path / "turned", turned), store)
    assert _counts(first) == {
        FindingKind.OVERLAP: 1,
        FindingKind.GAP: 2,
        FindingKind.SPLIT: 1,
        FindingKind.FINDING: 0,
    }
    assert finding_ids(again) == first
    codes = {item.name: item.code for item in item_snapshots(again) if item.departments == ("示例市商务局",)}
    assert codes["单用途商业预付卡备案"].endswith(
        "-XK-3"
    )  # its code moved with the rows; its findings' ids did not


def test_a_new_edition_keeps_the_ids_of_the_findings_whose_subjects_did_not_change(tmp_path: Path) -> None:
    """2025 adds an item at the top of one list (every 序号 below moves) and drops the other list's
    item without a basis: that gap goes, the other findings keep their ids, and the new item's appear."""
    lists_2025 = {
        "示例市商务局": [("拍卖业务许可", ""), *LISTS["示例市商务局"]],
        "示例市市场监督管理局": LISTS["示例市市场监督管理局"][:2],
    }
    before = finding_ids(_loaded(write_lists(tmp_path / "2024", LISTS)))
    after = finding_ids(_loaded(write_lists(tmp_path / "2025", lists_2025)))
    assert after[FindingKind.OVERLAP] == before[FindingKind.OVERLAP]
    assert after[FindingKind.SPLIT] == before[FindingKind.SPLIT]
    assert len(set(before[FindingKind.GAP]) & set(after[FindingKind.GAP])) == 1  # 成品油零售经营许可's
    assert len(set(after[FindingKind.GAP]) - set(before[FindingKind.GAP])) == 1  # 拍卖业务许可's


def test_the_demo_gives_the_same_ids_in_another_row_order_and_on_each_store(
    store: GraphStore, tmp_path: Path
) -> None:
    first = finding_ids(_loaded(DEMO_WORKBOOK))
    again = finding_ids(_loaded(reversed_rows(DEMO_WORKBOOK, tmp_path / "reversed.xlsx"), store))
    assert all(first[kind] for kind in FindingKind if kind in first), _counts(first)
    assert again == first


def test_every_finding_of_the_demo_has_an_id_of_its_own_and_of_its_kind() -> None:
    found = finding_ids(_loaded(DEMO_WORKBOOK))
    for kind, ids in found.items():
        assert len(set(ids)) == len(ids), kind
        assert {finding_kind(finding) for finding in ids} <= {kind}
    trace_ids: Sequence[str] = found[FindingKind.FINDING]
    assert all(finding.startswith("finding:case:") for finding in trace_ids)
