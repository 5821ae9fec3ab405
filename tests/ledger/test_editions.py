"""Editions on both backends: what a load verifies (rectified, reopened, overdue), a label twice, the
diff of two editions (added, removed, changed, renamed a little, a list whose codes are made from its
序号), and that an edition survives closing. One body for SQLite and Neo4j."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from graph import MemoryStore
from graph.ledger import (
    EditionExists,
    FindingKind,
    ItemSnapshot,
    LedgerBase,
    ReviewStatus,
    Source,
    UnknownEdition,
    item_snapshots,
)
from loaders.sources import load_source
from tests.ledger.conftest import AT

A, B, C, D = (f"overlap:item:XK-{number}|item:XK-9" for number in range(1, 5))
SOURCES = [Source("示例市权责清单.xlsx", "ab" * 32)]
ITEMS = [
    ItemSnapshot(
        "XK-001",
        "食品经营许可",
        "行政许可",
        None,
        ("示例市市场监督管理局",),
        "《食品安全法》第三十五条",
        "示例市人民政府",
    ),
    ItemSnapshot(
        "CF-001",
        "对未取得食品经营许可从事食品经营活动的处罚",
        "行政处罚",
        None,
        ("示例市市场监督管理局",),
        "《食品安全法》第一百二十二条",
        "示例市人民政府",
    ),
    ItemSnapshot(
        "JC-001",
        "对建筑施工企业的检查",
        "行政检查",
        "安全生产",
        ("示例市住房和城乡建设局",),
        None,
        "示例市人民政府",
    ),
]


def test_a_load_verifies_the_reviews_against_its_findings(open_ledger: Callable[[], LedgerBase]) -> None:
    ledger = open_ledger()
    ledger.review(A, "CONFIRMED", role="staffing", reviewer="王芳", at=AT)
    ledger.review(B, "RECTIFYING", role="staffing", reviewer="王芳", deadline=date(2024, 6, 30), at=AT)
    ledger.review(C, "DISMISSED", role="staffing", reviewer="王芳", note="属正常分工", at=AT)
    ledger.review(D, "RECTIFYING", role="staffing", reviewer="王芳", deadline=date(2025, 6, 30), at=AT)
    ledger.review("finding:case:1:2", "CONFIRMED", role="investigator", reviewer="李强", at=AT)
    loaded = AT + timedelta(days=365)
    record = ledger.record_edition(
        "2025", SOURCES, ITEMS, [D, "gap:new"], at=loaded, kinds=[FindingKind.OVERLAP, FindingKind.GAP]
    )
    assert [(review.finding_id, review.status) for review in record.changed] == [
        (A, ReviewStatus.RECTIFIED),
        (B, ReviewStatus.RECTIFIED),
    ]
    assert all(
        review.edition == "2025" and review.reviewer is None and review.at == loaded
        for review in record.changed
    )
    assert record.overdue == []  # D is present but its deadline is ahead
    current = ledger.current()
    assert {finding: review.status for finding, review in current.items()} == {
        A: ReviewStatus.RECTIFIED,
        B: ReviewStatus.RECTIFIED,
        C: ReviewStatus.DISMISSED,  # dismissed and gone: nothing to verify
        D: ReviewStatus.RECTIFYING,
        "finding:case:1:2": ReviewStatus.CONFIRMED,  # traces were not looked for by this edition
    }
    audit = ledger.audit()
    assert [(entry.actor, entry.action, entry.subject) for entry in audit[-3:]] == [
        ("system", "edition", "2025"),
        ("system", "review", A),
        ("system", "review", B),
    ]

    later = loaded + timedelta(days=365)
    again = ledger.record_edition("2026", SOURCES, ITEMS, [A, D], at=later)
    assert [(review.finding_id, review.status) for review in again.changed] == [
        ("finding:case:1:2", ReviewStatus.RECTIFIED),  # every kind judged by default
        (A, ReviewStatus.REOPENED),
    ]
    assert [(review.finding_id, review.deadline) for review in again.overdue] == [(D, date(2025, 6, 30))]
    assert [review.status for review in ledger.history(A)] == [
        ReviewStatus.CONFIRMED,
        ReviewStatus.RECTIFIED,
        ReviewStatus.REOPENED,
    ]
    assert [review.edition for review in ledger.history(A)] == [None, "2025", "2026"]


def test_a_label_is_recorded_once(ledger: LedgerBase) -> None:
    ledger.record_edition("2024", SOURCES, ITEMS, [A], at=AT)
    entries = len(ledger.audit())
    with pytest.raises(EditionExists, match="edition '2024' is recorded already"):
        ledger.record_edition("2024", SOURCES, ITEMS[:1], [B], at=AT + timedelta(days=1))
    assert [edition.label for edition in ledger.editions()] == ["2024"]
    assert ledger.items("2024") == sorted(ITEMS, key=lambda item: item.code) and ledger.findings("2024") == [
        A
    ]
    assert len(ledger.audit()) == entries


def test_editions_survive_closing(open_ledger: Callable[[], LedgerBase]) -> None:
    ledger = open_ledger()
    record = ledger.record_edition("2024", SOURCES, ITEMS, [B, A], at=AT)
    ledger.close()
    again = open_ledger()
    assert again.editions() == [record.edition] and record.edition.items == 3
    assert again.items("2024") == sorted(ITEMS, key=lambda item: item.code)
    assert again.findings("2024") == [A, B]
    with pytest.raises(UnknownEdition, match="edition '2023' is not recorded \\(recorded: 2024\\)"):
        again.edition_diff("2023", "2024")


def test_the_diff_of_two_editions(ledger: LedgerBase) -> None:
    licence, penalty, inspection = ITEMS
    renamed = replace(penalty, name="对未取得食品经营许可从事食品生产经营活动的处罚")
    moved = replace(inspection, departments=("示例市应急管理局",), basis="《安全生产法》第六十五条")
    new = ItemSnapshot(
        "QR-001", "特种设备使用登记", "行政确认", None, ("示例市市场监督管理局",), None, "示例市人民政府"
    )
    ledger.record_edition("2024", SOURCES, ITEMS, [A, B], at=AT)
    ledger.record_edition("2025", SOURCES, [renamed, moved, new], [B, C], at=AT + timedelta(days=365))
    diff = ledger.edition_diff("2024", "2025")
    assert (diff.from_label, diff.to_label) == ("2024", "2025")
    assert diff.added == [new] and diff.removed == [licence]
    assert [(change.code, change.fields) for change in diff.changed] == [
        ("CF-001", ("name",)),
        ("JC-001", ("departments", "basis")),
    ]
    assert diff.changed[0].before == penalty and diff.changed[0].after == renamed
    assert diff.findings_appeared == [C] and diff.findings_resolved == [A]
    assert ledger.edition_diff("2025", "2025").changed == []


def test_items_listed_alike_are_in_no_part_of_the_diff_whatever_their_order(ledger: LedgerBase) -> None:
    licence, penalty, inspection = ITEMS
    joint = replace(licence, departments=("示例市市场监督管理局", "示例市卫生健康委员会"))
    listed = [
        ItemSnapshot(f"XK-{n:03d}", f"第{n}项许可", "行政许可", None, (), None, "示例市人民政府")
        for n in range(2, 40)
    ]
    ledger.record_edition("2024", SOURCES, [joint, penalty, inspection, *listed], [A], at=AT)
    reordered = replace(joint, departments=tuple(reversed(joint.departments)))  # the same departments
    repealed = replace(penalty, basis=None)
    later = [*reversed(listed), inspection, reordered, repealed, replace(penalty, sub_item="一般程序")]
    ledger.record_edition("2025", SOURCES, later, [A], at=AT + timedelta(days=365))
    diff = ledger.edition_diff("2024", "2025")
    assert diff.removed == [] and diff.added == [replace(penalty, sub_item="一般程序")]
    assert [(change.code, change.fields, change.after) for change in diff.changed] == [
        ("CF-001", ("basis",), repealed)
    ]


def test_a_list_numbered_by_its_rows_is_diffed_by_names(ledger: LedgerBase, tmp_path: Path) -> None:
    """A published list gives no codes: the reader makes them from the 序号, which moves when a row
    above goes; the items are matched by department, type and name, and one renamed a little is
    changed, not removed and added."""
    first = _published_list(
        tmp_path / "2024",
        [
            "对甲企业的处罚",
            "对单用途商业预付卡发卡企业违规发卡行为的处罚",
            "对未按规定公示信息的处罚",
        ],
    )
    second = _published_list(
        tmp_path / "2025",
        [
            "对单用途商业预付卡发卡企业违规发卡的处罚",  # was 2, now 1, renamed a little
            "对未按规定公示信息的处罚",  # was 3, now 2
            "对违规销售农药行为的处罚",
        ],
    )
    assert all(item.code_made for item in first + second)
    ledger.record_edition("2024", SOURCES, first, [], at=AT)
    ledger.record_edition("2025", SOURCES, second, [], at=AT + timedelta(days=365))
    diff = ledger.edition_diff("2024", "2025")
    assert [item.name for item in diff.removed] == ["对甲企业的处罚"]
    assert [item.name for item in diff.added] == ["对违规销售农药行为的处罚"]
    assert [(change.before.name, change.after.name, change.fields) for change in diff.changed] == [
        (
            "对单用途商业预付卡发卡企业违规发卡行为的处罚",
            "对单用途商业预付卡发卡企业违规发卡的处罚",
            ("name",),
        ),
    ]
    assert diff.changed[0].before.code.endswith("-CF-2") and diff.changed[0].code.endswith("-CF-1")


def _published_list(folder: Path, names: list[str]) -> list[ItemSnapshot]:
    """The snapshots of a published list of one department's penalties, numbered 1, 2, … as written."""
    folder.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "行政处罚"
    sheet.append(["示例市商务局权责清单"])
    sheet.append(["序号", "事项名称", "实施主体", "设定依据"])
    for number, name in enumerate(names, start=1):
        sheet.append([number, name, "示例市商务局", "《单用途商业预付卡管理办法》第三十九条"])
    book.save(folder / "示例市商务局权责清单.xlsx")
    store = MemoryStore()
    load_source(folder, store, government="示例市人民政府")
    return item_snapshots(store)
