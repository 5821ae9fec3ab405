"""The demo workbook with HTML and script payloads in every field a view shows, still loading whole.

    write_payload_workbook(tmp_path / "payloads.xlsx")

Names that other rows refer to (departments, governments, units, post codes, item codes, case ids,
law titles) are renamed once and the new name is written wherever the old one was, so every
reference still resolves; free texts get a payload added. Values the loader reads as a choice (权力类型,
岗位类别, 编制类型, 职能类别, 办理结果, 责任类型), numbers and dates are left as they are. Article labels
(第四十条) cannot carry one: the service rebuilds them from the article's number. What the analyses
write from these names (an overlap verdict's reason and general side name the departments and items)
carries their payloads in turn.

A payload that runs sets `window.__xss`; one injected as markup leaves an `img[src="x"]`, an
`svg[onload]` or a `script` element behind.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl

from graph.analyses import STAFFING_KINDS, find_gaps, find_overlaps, find_splits
from graph.ledger import Source, SQLiteLedger, item_snapshots
from graph.store import GraphReader
from loaders.demo import DEMO_WORKBOOK

__all__ = ["LEDGER_PAYLOADS", "MARKER", "PAYLOADS", "write_payload_ledger", "write_payload_workbook"]

#: what every payload is built around, so a test can find them as text
MARKER = "window.__xss=1"

#: payloads for names and texts; the law titles get the ones without spaces (titles lose their spaces)
PAYLOADS = (
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
    "'><img src=x onerror=window.__xss=1>",
    "<svg/onload=window.__xss=1>",
)
TITLE_PAYLOADS = ("<svg/onload=window.__xss=1>", "<script>window.__xss=1</script>")
#: a link target from data would run it: codes start with it
SCHEME = "javascript:window.__xss=1//"

#: what the ledger's texts carry: the two editions' labels, the reviewer's name and the reviews' notes
LEDGER_PAYLOADS = {
    "editions": ("2024<img src=x onerror=window.__xss=1>", "2025<script>window.__xss=1</script>"),
    "reviewer": '王"><svg onload=window.__xss=1>芳',
    "note": "理由<img src=x onerror=window.__xss=1>见附件",
}

# (sheet, column) -> what is done to the cell
RENAMED = {
    "department": [("部门", "部门名称")],
    "government": [("部门", "所属政府")],
    "unit": [("内设机构", "内设机构")],
    "post": [("岗位", "岗位编码")],
    "item": [("权责清单", "事项编码")],
    "case": [("办件", "办件编号")],
}
REFERENCES = {
    "department": [
        ("部门", "主管部门"),
        ("内设机构", "部门"),
        ("岗位", "部门"),
        ("任职", "编制所在单位"),
        ("职能", "部门"),
        ("权责清单", "实施主体"),
        ("审批环节", "实施部门"),
        ("督办", "部门"),
    ],
    "unit": [
        ("岗位", "内设机构"),
        ("岗位", "分管内设机构"),
        ("职能", "承担内设机构"),
        ("权责清单", "承办机构"),
        ("审批环节", "内设机构"),
    ],
    "post": [("任职", "岗位编码"), ("审批环节", "岗位编码")],
    "item": [("权责清单", "前置事项"), ("审批环节", "事项编码"), ("办件", "事项编码")],
    "case": [("办件环节", "办件编号"), ("问责", "办件编号")],
}
TEXTS = [
    ("部门", "部门编码"),
    ("部门", "机构类型"),
    ("内设机构", "职责"),
    ("岗位", "岗位名称"),
    ("岗位", "职级"),
    ("岗位", "岗位职责"),
    ("任职", "姓名"),
    ("职能", "职能编码"),
    ("职能", "职能内容"),
    ("权责清单", "权力名称"),
    ("权责清单", "子项"),
    ("权责清单", "设定依据"),
    ("职能", "设定依据"),
    ("权责清单", "责任事项"),
    ("权责清单", "追责情形"),
    ("权责清单", "备注"),
    ("审批环节", "环节名称"),
    ("法律依据", "效力层级"),
    ("法律依据", "条文"),
    ("法律依据", "规定职责"),
    ("办件", "问题描述"),
    ("督办", "督办事项"),
    ("办件环节", "处理意见"),
    ("问责", "记录编号"),
    ("问责", "过错情形"),
    ("问责", "问责方式"),
    ("问责", "提出机关"),
]
CITING = [("职能", "设定依据"), ("权责清单", "设定依据")]
LIST_SEPARATORS = re.compile(r"([、；;\n]+)")
LAW_PREFIX = "中华人民共和国"


def write_payload_workbook(target: Path, source: Path = DEMO_WORKBOOK) -> Path:
    """Write `source` with payloads in every shown field to `target` and return `target`."""
    book = openpyxl.load_workbook(source)
    counter = itertools.count()

    def payload() -> str:  # each in turn
        return PAYLOADS[next(counter) % len(PAYLOADS)]

    renames: dict[str, dict[str, str]] = {}
    for kind, places in RENAMED.items():
        mapping: dict[str, str] = {}
        for sheet, column in places:
            for cell in _cells(book, sheet, column):
                if isinstance(cell.value, str) and cell.value not in mapping:
                    mapping[cell.value] = _rename(kind, cell.value, payload())
        renames[kind] = mapping
    for kind, places in [*RENAMED.items(), *REFERENCES.items()]:
        mapping = renames[kind]
        for sheet, column in places:
            for cell in _cells(book, sheet, column):
                if isinstance(cell.value, str):
                    cell.value = _each_listed(cell.value, lambda name, m=mapping: m.get(name, name))

    # one text is changed the same way wherever it is: a person keeps one name, an item listed by two
    # departments stays the same item
    for sheet, column in TEXTS:
        changed: dict[str, str] = {}
        for cell in _cells(book, sheet, column):
            if isinstance(cell.value, str) and cell.value.strip():
                if cell.value not in changed:
                    changed[cell.value] = _add(column, cell.value, payload())
                cell.value = changed[cell.value]

    titles = _retitle(book)
    for sheet, column in CITING:
        for cell in _cells(book, sheet, column):
            if isinstance(cell.value, str):
                cell.value = titles(cell.value)
    book.save(target)
    return target


def write_payload_ledger(target: Path, store: GraphReader, on: date) -> Path:
    """Write to `target` a ledger of the graph in `store` with payloads in every text it keeps: two
    editions labelled with them, the later one without the first item, and a review of the first
    overlap (confirmed), staffing gap on `on` (sent for rectification) and split approval (dismissed),
    each by a reviewer whose name is one, with a note that is one. Returns `target`."""
    ledger = SQLiteLedger(target)
    try:
        items = item_snapshots(store)
        first, later = LEDGER_PAYLOADS["editions"]
        recorded = ledger.record_edition(first, [Source("payloads.xlsx", "a" * 64)], items, [])
        ledger.record_edition(
            later,
            [Source("payloads.xlsx", "b" * 64)],
            items[1:],
            [],
            at=recorded.edition.loaded_at + timedelta(days=1),
        )
        overlap = find_overlaps(store)[0].id
        gap = next(g.id for g in find_gaps(store, at=on) if g.kind in STAFFING_KINDS)
        split = find_splits(store)[0].id
        decisions = [
            (overlap, "CONFIRMED", None),
            (gap, "RECTIFYING", on + timedelta(days=30)),
            (split, "DISMISSED", None),
        ]
        for finding, status, deadline in decisions:
            ledger.review(
                finding,
                status,
                role="staffing",
                reviewer=LEDGER_PAYLOADS["reviewer"],
                note=LEDGER_PAYLOADS["note"],
                deadline=deadline,
            )
    finally:
        ledger.close()
    return target


# -- helpers --------------------------------------------------------------------------------------


def _cells(book: Any, sheet: str, column: str) -> Iterable[Any]:
    rows = book[sheet]
    header = [cell.value for cell in rows[1]]
    at = header.index(column) + 1
    for row in rows.iter_rows(min_row=2, min_col=at, max_col=at):
        yield row[0]


def _each_listed(value: str, rename: Callable[[str], str]) -> str:
    parts = LIST_SEPARATORS.split(value)
    return "".join(part if LIST_SEPARATORS.fullmatch(part) else rename(part.strip()) for part in parts)


def _rename(kind: str, value: str, payload: str) -> str:
    if kind in ("post", "case"):
        return value + payload
    if kind == "item":
        return SCHEME + value + payload
    return _inside(value, payload)


def _add(column: str, text: str, payload: str) -> str:
    if column.endswith("编码") or column == "记录编号":
        return SCHEME + text + payload
    if column in ("设定依据", "环节名称"):  # before the citations it cites; after 受理, which gives the role
        return payload + text if column == "设定依据" else text + payload
    return _inside(text, payload)


def _inside(text: str, payload: str) -> str:
    """`text` with `payload` after its first characters (a department keeps its place and its ending)."""
    at = min(3, max(1, len(text) - 1))
    return text[:at] + payload + text[at:]


def _retitle(book: Any) -> Callable[[str], str]:
    """Rename the laws of the 法律依据 sheet and return what renames them in a citation's text."""
    mapping: dict[str, str] = {}
    for cell in _cells(book, "法律依据", "依据名称"):
        if not isinstance(cell.value, str):
            continue
        name = cell.value
        if name not in mapping:
            short = name.removeprefix(LAW_PREFIX)
            mapping[name] = _inside(short, TITLE_PAYLOADS[len(mapping) % len(TITLE_PAYLOADS)])
            if name.startswith(LAW_PREFIX):
                mapping[name] = LAW_PREFIX + mapping[name]
        cell.value = mapping[name]
    titles: dict[str, str] = {}
    for old, new in mapping.items():
        short_old, short_new = old.removeprefix(LAW_PREFIX), new.removeprefix(LAW_PREFIX)
        titles[f"《{short_old}》"] = f"《{short_new}》"
        titles[f"《{LAW_PREFIX}{short_old}》"] = f"《{LAW_PREFIX}{short_new}》"
    pattern = re.compile("|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True)))
    return lambda text: pattern.sub(lambda match: titles[match.group(0)], text)
