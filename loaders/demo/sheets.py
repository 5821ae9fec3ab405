"""The sheets of a generated workbook: their headers, and the writers to .xlsx and to folders of .csv files.

Both scales write through here: the city as one .xlsx file (or a folder of .csv files), a
province as a folder of .csv files streamed government by government (`CsvSheets`). A cell is a
string, a number, a `date` or None (an empty cell); the .csv files write dates as ISO.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_csv(folder, {"部门": [("巴中市财政局", "511900013", "巴中市人民政府", None, None, 40, None)]})
    >>> (folder / "部门.csv").read_text(encoding="utf-8").splitlines()[1]
    '巴中市财政局,511900013,巴中市人民政府,,,40,'
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

__all__ = ["CASE_SHEETS", "FIXED_TIME", "SHEETS", "CsvSheets", "Row", "write_csv", "xlsx_bytes"]

#: sheet name -> headers, as users write them (simplified Chinese), in the order of workbook.md
SHEETS: dict[str, tuple[str, ...]] = {
    "部门": ("部门名称", "部门编码", "所属政府", "机构类型", "主管部门", "行政编制", "事业编制", "领导职数"),
    "内设机构": ("部门", "内设机构", "编制数", "职责"),
    "岗位": ("岗位编码", "部门", "内设机构", "岗位名称", "岗位类别", "职级", "分管内设机构", "岗位职责"),
    "任职": (
        "人员编号",
        "姓名",
        "岗位编码",
        "任职开始",
        "任职结束",
        "编制类型",
        "编制所在单位",
        "任职方式",
    ),
    "职能": ("职能编码", "部门", "职能类别", "职能内容", "承担内设机构", "设定依据"),
    "权责清单": (
        "事项编码",
        "权力类型",
        "权力名称",
        "子项",
        "实施主体",
        "承办机构",
        "设定依据",
        "责任事项",
        "追责情形",
        "法定时限",
        "承诺时限",
        "前置事项",
        "备注",
    ),
    "审批环节": ("事项编码", "环节序号", "环节名称", "责任类型", "实施部门", "内设机构", "岗位编码", "时限"),
    "法律依据": ("依据名称", "效力层级", "条款", "条文", "规定职责", "主管部门"),
    "办件": ("办件编号", "事项编码", "受理时间", "办结时间", "办理结果", "问题描述"),
    "办件环节": ("办件编号", "环节序号", "经办人编号", "开始时间", "完成时间", "处理意见"),
    "问责": ("记录编号", "人员编号", "办件编号", "过错情形", "责任类型", "问责方式", "决定日期", "提出机关"),
    "督办": ("通知编号", "部门", "督办事项", "发出日期", "办结时限", "办结日期", "移送日期"),
}
#: the sheets of the case log, which a workbook without cases leaves out
CASE_SHEETS = ("办件", "办件环节", "问责", "督办")
#: the workbook's created / modified time, and its zip entries' time: fixed, so bytes are stable
FIXED_TIME = datetime(2026, 11, 28, 9, 0, 0)

Row = Sequence[Any]


class CsvSheets:
    """A folder of UTF-8 .csv files, one a sheet with its headers first, written row by row as they come.

    Used as a context manager (the files are closed on leaving); `rows` counts what each sheet got.
    """

    def __init__(self, folder: Path, sheets: Iterable[str] = SHEETS) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.rows: Counter[str] = Counter()
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        for sheet in sheets:
            handle = (folder / f"{sheet}.csv").open("w", encoding="utf-8", newline="")
            self._files[sheet] = handle
            self._writers[sheet] = csv.writer(handle)
            self._writers[sheet].writerow(SHEETS[sheet])

    def write(self, sheet: str, rows: Iterable[Row]) -> None:
        """Append `rows` to `sheet` (None as an empty cell, a date as ISO)."""
        rows = list(rows)
        self._writers[sheet].writerows(rows)
        self.rows[sheet] += len(rows)

    def close(self) -> None:
        """Close every file."""
        for handle in self._files.values():
            handle.close()

    def __enter__(self) -> CsvSheets:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def write_csv(folder: Path, sheets: Mapping[str, Sequence[Row]]) -> None:
    """Write `sheets` (sheet name -> rows) as a folder of .csv files named after the sheets."""
    with CsvSheets(folder, sheets) as out:
        for sheet, rows in sheets.items():
            out.write(sheet, rows)


def xlsx_bytes(sheets: Mapping[str, Sequence[Row]], *, title: str) -> bytes:
    """The .xlsx file of `sheets`, the same bytes for the same rows (no clock: `FIXED_TIME`).

    Headers are bold and frozen, columns as wide as their content usually is, dates shown as
    `yyyy-mm-dd`; in 权责清单 an item with several sub-items has its item cells (事项编码, 权力类型,
    权力名称, 实施主体) merged over its rows, as published lists have them.
    """
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
            for first, last in _item_spans(rows):
                for column in _MERGED_COLUMNS:
                    worksheet.merge_cells(
                        start_row=first + 1, start_column=column, end_row=last + 1, end_column=column
                    )
    workbook.properties.creator = "quanze demo generator"
    workbook.properties.title = title
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()  # not Workbook.save, which stamps the current time
    return _stable_zip(buffer.getvalue())


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
#: 事项编码, 权力类型, 权力名称, 实施主体: the cells an item's sub-item rows share
_MERGED_COLUMNS = (1, 2, 3, 5)


def _item_spans(rows: Sequence[Row]) -> list[tuple[int, int]]:
    """(first, last) data rows (1-based, header excluded) of the items with several rows (sub-items)."""
    spans, first = [], 1
    for number in range(1, len(rows) + 1):
        if number == len(rows) or rows[number][0] != rows[first - 1][0]:
            if number > first:
                spans.append((first, number))
            first = number + 1
    return spans


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
