"""`POST /export`: the tables a view shows, as the workbook or the CSV file the command line writes.

    {"format": "xlsx", "title": "职能交叉",
     "sheets": [{"name": "部门间交叉", "columns": ["部门", "交叉数"], "rows": [["市场监管局", 3]]}]}

The browser sends what it already shows (js/export.js reads the view's tables); the service only
formats it, with the command line's writers (`api.reports`): `write_workbook` for `.xlsx` (every text
a text cell, never a formula, numbers as numbers) and `write_report` for `.csv` (UTF-8 with a BOM, a
text that begins like a formula prefixed with `'`). A cell is a text, a number or null; a text that is
an ISO date (`2024-03-05`) becomes a date. The answer is the file, named in Chinese after the title and
the day (`Content-Disposition` with RFC 5987's `filename*=UTF-8''…` and an ASCII `filename` for old
clients).

Nothing of the store is read, so exporting needs no role: a token, when sent, is checked as /graphql
checks it (app.py), but the views send none. What a request may hold is bounded by `ExportLimits`
(here, not in `api.limits`, whose limits are a GraphQL query's): its body, its sheets, its columns,
its rows and cells, the length of a text. Bad input is answered 400, too much 413, each with a
message in Chinese.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from api.reports import Report, write_report, write_workbook

__all__ = [
    "DEFAULT_EXPORT_LIMITS",
    "FORMATS",
    "Export",
    "ExportError",
    "ExportLimits",
    "answer_export",
    "parse_export",
]

#: what a view exports to, with each file's media type
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

#: the column naming each row's table when a CSV holds several
SHEET_COLUMN = "表"


@dataclass(frozen=True, slots=True)
class ExportLimits:
    """How much one export may hold: a view's tables with room to spare, well under what would slow
    the service (openpyxl writes about 100,000 cells a second)."""

    max_body_bytes: int = 4 * 1024 * 1024
    max_sheets: int = 20
    max_columns: int = 60
    max_rows: int = 20_000  # in one sheet
    max_cells: int = 200_000  # in every sheet together
    max_text: int = 32_767  # Excel's longest cell text
    max_name: int = 100  # a title, a sheet's or a column's name


DEFAULT_EXPORT_LIMITS = ExportLimits()

Cell = str | int | float | date | None


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table of a view: its name, its header and its rows of cells."""

    name: str
    columns: tuple[str, ...]
    rows: list[list[Cell]]


@dataclass(frozen=True, slots=True)
class Export:
    """What the browser asked for: a format, a title for the file's name, the sheets."""

    format: str
    title: str
    sheets: list[Sheet]


class ExportError(Exception):
    """A request that cannot be exported: its message (in Chinese, for the user) and HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


async def answer_export(request: Request, limits: ExportLimits = DEFAULT_EXPORT_LIMITS) -> Response:
    """The file of the export that `request` posts, or a 400/413 whose JSON body says what is wrong."""
    try:
        export = parse_export(await _body(request, limits.max_body_bytes), limits)
    except ExportError as error:
        return _refusal(error)
    content = await run_in_threadpool(_write, export)
    return Response(
        content,
        media_type=FORMATS[export.format],
        headers={"Content-Disposition": _disposition(export), "Cache-Control": "no-store"},
    )


def parse_export(raw: bytes, limits: ExportLimits = DEFAULT_EXPORT_LIMITS) -> Export:
    """The export a request body asks for; raises `ExportError` saying, in Chinese, what is wrong.

    >>> parse_export(b'{"format": "csv", "title": "t", "sheets": [{"name": "s", "columns": ["a"], "rows": [[1]]}]}').sheets[0].rows
    [[1]]
    """
    if len(raw) > limits.max_body_bytes:
        raise _too_large(limits.max_body_bytes)
    try:
        body = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise ExportError("请求内容不是有效的 JSON") from error
    if not isinstance(body, dict):
        raise ExportError("请求内容应为 JSON 对象：{format, title, sheets}")
    format = body.get("format")
    if format not in FORMATS:
        raise ExportError(f"导出格式应为 {' 或 '.join(FORMATS)}")
    title = _name(body.get("title"), "标题", limits)
    sheets = body.get("sheets")
    if not isinstance(sheets, list) or not sheets:
        raise ExportError("没有要导出的表格（sheets 应为非空列表）")
    if len(sheets) > limits.max_sheets:
        raise ExportError(f"一次最多导出 {limits.max_sheets} 张表，收到 {len(sheets)} 张", 413)
    parsed = [_sheet(sheet, number, limits) for number, sheet in enumerate(sheets, start=1)]
    cells = sum(len(sheet.columns) * len(sheet.rows) for sheet in parsed)
    if cells > limits.max_cells:
        raise ExportError(f"一次最多导出 {limits.max_cells:,} 个单元格，收到 {cells:,} 个", 413)
    return Export(format, title, parsed)


def _sheet(sheet: Any, number: int, limits: ExportLimits) -> Sheet:
    where = f"第 {number} 张表"
    if not isinstance(sheet, dict):
        raise ExportError(f"{where}应为 JSON 对象：{{name, columns, rows}}")
    name = _name(sheet.get("name"), f"{where}的名称", limits)
    columns = sheet.get("columns")
    if not isinstance(columns, list) or not columns:
        raise ExportError(f"{where}（{name}）没有列名（columns 应为非空列表）")
    if len(columns) > limits.max_columns:
        raise ExportError(f"{where}（{name}）有 {len(columns)} 列，最多 {limits.max_columns} 列", 413)
    names = tuple(_name(column, f"{where}（{name}）的列名", limits) for column in columns)
    rows = sheet.get("rows")
    if not isinstance(rows, list):
        raise ExportError(f"{where}（{name}）的 rows 应为列表")
    if len(rows) > limits.max_rows:
        raise ExportError(f"{where}（{name}）有 {len(rows):,} 行，最多 {limits.max_rows:,} 行", 413)
    cells = [
        _row(row, len(names), f"{where}（{name}）第 {index} 行", limits) for index, row in enumerate(rows, 1)
    ]
    return Sheet(name, names, cells)


def _row(row: Any, width: int, where: str, limits: ExportLimits) -> list[Cell]:
    if not isinstance(row, list) or len(row) != width:
        raise ExportError(f"{where}应为 {width} 个单元格的列表")
    return [_cell(value, where, limits) for value in row]


def _cell(value: Any, where: str, limits: ExportLimits) -> Cell:
    """A cell as the writers take it: a text (an ISO date as a date), a finite number, or None."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):  # 1e400 reads as infinity
            raise ExportError(f"{where}有超出范围的数字")
        return value
    if not isinstance(value, str):
        raise ExportError(f"{where}有不能导出的单元格：应为文字、数字或空")
    if len(value) > limits.max_text:
        raise ExportError(f"{where}有超过 {limits.max_text:,} 个字的单元格", 413)
    return _as_date(value)


#: a text that is exactly a calendar date as the views show it
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _as_date(text: str) -> str | date:
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:  # 2023-13-45 stays the text it is
            return text
    return text


def _name(value: Any, what: str, limits: ExportLimits) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ExportError(f"{what}应为非空文字")
    if len(value) > limits.max_name:
        raise ExportError(f"{what}超过 {limits.max_name} 个字", 413)
    return value.strip()


def _no_constant(constant: str) -> None:
    raise ValueError(f"{constant} is not a number JSON allows")


async def _body(request: Request, limit: int) -> bytes:
    """The request's body, refused with a 413 as soon as it is over `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise _too_large(limit)
    return bytes(raw)


def _too_large(limit: int) -> ExportError:
    return ExportError(f"导出内容超过 {limit:,} 字节，请缩小范围后分次导出", 413)


def _write(export: Export) -> bytes:
    """The file's bytes, written by the command line's writers into a folder of its own."""
    with tempfile.TemporaryDirectory(prefix="quanze-export-") as folder:
        out = Path(folder) / f"export.{export.format}"
        if export.format == "xlsx":
            write_workbook(_workbook_sheets(export.sheets), out)
        else:
            write_report(_csv_report(export), "csv", out)
        return out.read_bytes()


def _workbook_sheets(sheets: list[Sheet]) -> dict[str, tuple[list[str], list[dict[str, Cell]]]]:
    """The sheets as `write_workbook` takes them, names and columns made distinct (a view may show two
    tables under one heading, or two columns of one name: "部门", "部门 (2)")."""
    named: dict[str, tuple[list[str], list[dict[str, Cell]]]] = {}
    for sheet in sheets:
        name = _distinct(_sheet_name(sheet.name), named, limit=31)
        columns = _columns(sheet.columns)
        named[name] = (columns, [dict(zip(columns, row, strict=True)) for row in sheet.rows])
    return named


def _csv_report(export: Export) -> Report:
    """The sheets as one report for the CSV writer: a single table as it is; several one after the
    other, each row naming its table in a first column "表"."""
    many = len(export.sheets) > 1
    columns: list[str] = [SHEET_COLUMN] if many else []
    rows: list[dict[str, Any]] = []
    for sheet in export.sheets:
        names = _columns(sheet.columns, reserved={SHEET_COLUMN} if many else set())
        columns.extend(name for name in names if name not in columns)
        for row in sheet.rows:
            rows.append(
                {**({SHEET_COLUMN: sheet.name} if many else {}), **dict(zip(names, row, strict=True))}
            )
    return Report(export.title, tuple(columns), rows, sheet_of=SHEET_COLUMN if many else columns[0])


def _columns(columns: tuple[str, ...], reserved: set[str] | None = None) -> list[str]:
    """The column names made distinct from each other and from the `reserved` ones."""
    reserved = reserved or set()
    distinct: list[str] = []
    for column in columns:
        distinct.append(_distinct(column, {*reserved, *distinct}))
    return distinct


def _distinct(name: str, taken: Collection[str], limit: int | None = None) -> str:
    """`name`, or `name (2)`, `name (3)`… when it is taken, cut to `limit` characters."""
    candidate, number = name[:limit] if limit else name, 1
    while candidate in taken:
        number += 1
        suffix = f" ({number})"
        candidate = (name[: limit - len(suffix)] if limit else name) + suffix
    return candidate


#: the characters Excel refuses in a sheet's name (`write_workbook` writes them as `_` too)
_SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str) -> str:
    return _SHEET_NAME_REFUSED.sub("_", name)


#: what a file name may not hold on Windows, and the control characters
_FILE_NAME_REFUSED = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def _disposition(export: Export) -> str:
    """An attachment named `<title>-<today>.<format>`, in UTF-8 per RFC 5987, with an ASCII fallback."""
    title = _FILE_NAME_REFUSED.sub("_", export.title)[:60]
    name = f"{title}-{date.today().isoformat()}.{export.format}"
    return f"attachment; filename=\"quanze-export.{export.format}\"; filename*=UTF-8''{quote(name, safe='')}"


def _refusal(error: ExportError) -> Response:
    code = "PAYLOAD_TOO_LARGE" if error.status == 413 else "BAD_REQUEST"
    body = {"errors": [{"message": error.message, "extensions": {"code": code}}]}
    return Response(json.dumps(body, ensure_ascii=False), error.status, media_type="application/json")
