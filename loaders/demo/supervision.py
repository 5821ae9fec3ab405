"""The demo city's supervision notices (督办), with the transfers (移送监察) they oblige as planted truth.

`plant_supervision` writes the 督办 rows and returns the truth's `supervision` section: the matters
with two notices to one department (`transfers`, each a `TRANSFER_DUE` the analysis must report, with
its notices in date order, the day it was transferred and the working days after the second notice)
and the notices that must not be joined into one (`not_transfers`). Planted:

- a matter transferred a few days after its second notice, the second worded "关于…的督办";
- a matter with two notices never transferred;
- a matter whose second notice is in traditional script with full-width digits, so that only the
  normalisation joins them, transferred two weeks later;
- a matter transferred across the National Day holiday of 2025 and its make-up working days;
- a matter with a single notice (no transfer due);
- two different matters to one department, worded alike but for the quarter, each with one notice.

No random draw: the rest of the city does not change with them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.workdays import working_days
from loaders.demo.records import DemoCity, Notice

__all__ = ["plant_supervision"]

_CITY = "巴中市"

#: (department, [notices: (number, matter as written, issued, transferred)]) for each planted matter
_MATTERS: tuple[tuple[str, tuple[tuple[str, str, date, date | None], ...]], ...] = (
    (
        "住房和城乡建设局",
        (
            ("DB-2025-011", "推进城区老旧小区改造", date(2025, 3, 3), None),
            ("DB-2025-019", "关于推进城区老旧小区改造的督办", date(2025, 4, 7), date(2025, 4, 14)),
        ),
    ),
    (
        "生态环境局",
        (
            ("DB-2025-023", "整治城区餐饮油烟污染", date(2025, 5, 12), None),
            ("DB-2025-031", "整治城区餐饮油烟污染", date(2025, 6, 16), None),
        ),
    ),
    (
        "交通运输局",
        (
            ("DB-2025-027", "完成2025年农村公路危桥改造", date(2025, 6, 2), None),
            ("DB-2025-035", "完成２０２５年農村公路危橋改造", date(2025, 7, 1), date(2025, 7, 15)),
        ),
    ),
    (
        "农业农村局",
        (
            ("DB-2025-041", "落实高标准农田建设任务", date(2025, 8, 25), None),
            ("DB-2025-052", "落实高标准农田建设任务", date(2025, 9, 26), date(2025, 10, 13)),
        ),
    ),
    ("水利局", (("DB-2025-044", "加快城区防洪堤建设", date(2025, 9, 1), None),)),
    ("卫生健康委员会", (("DB-2026-003", "开展第一季度医疗机构安全检查", date(2026, 3, 2), None),)),
    ("卫生健康委员会", (("DB-2026-015", "开展第二季度医疗机构安全检查", date(2026, 6, 1), None),)),
)


def plant_supervision(city: DemoCity) -> dict[str, Any]:
    """Add the planted notices to `city` and return the truth's `supervision` section."""
    transfers: list[dict[str, Any]] = []
    not_transfers: list[dict[str, Any]] = []
    for department, notices in _MATTERS:
        name = city.department(_CITY + department).name
        for number, matter, issued, transferred in notices:
            city.notices.append(Notice(number, name, matter, issued, transferred=transferred))
        numbers = [number for number, *_ in notices]
        if len(notices) < 2:
            not_transfers.append({"department": name, "notices": numbers, "matter": notices[0][1]})
            continue
        due = notices[1][2]
        moved = min((t for *_, t in notices if t is not None), default=None)
        transfers.append(
            {
                "department": name,
                "matter": notices[0][1],
                "notices": numbers,
                "due": due.isoformat(),
                "transferred": moved.isoformat() if moved else None,
                "working_days": working_days(due, moved) if moved else None,
            }
        )
    return {
        "about": "TRANSFER_DUE: two supervision notices to one department on one matter (matched after "
        "normalisation) oblige a transfer to the supervision department; working_days from the second "
        "notice to the transfer. not_transfers: single notices, none joined with another.",
        "transfers": transfers,
        "not_transfers": not_transfers,
    }
