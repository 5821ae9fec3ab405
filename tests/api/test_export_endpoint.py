"""`POST /export` (api/exports.py): a view's tables written by the command line's writers, within limits.

The files are read back as a spreadsheet would: openpyxl for the workbook, the csv module for the CSV.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote

import openpyxl
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.exports import DEFAULT_EXPORT_LIMITS as LIMITS
from api.settings import Settings, hash_token
from graph import MemoryStore

TOKEN = "export-staffing-token"
FORMULA = '=HYPERLINK("http://example.com","点我")'


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(tokens={hash_token(TOKEN): "staffing"}), MemoryStore()))


def body(sheets: list[dict[str, Any]], format: str = "xlsx", title: str = "职能交叉") -> dict[str, Any]:
    return {"format": format, "title": title, "sheets": sheets}


PAIRS = {
    "name": "部门对",
    "columns": ["部门", "部门", "交叉数", "受理日期"],
    "rows": [
        ["巴中市住房和城乡建设局", "巴中市城市管理执法局", 5, "2024-03-05"],
        [FORMULA, "+1 加号开头", 0.75, "2023-13-45"],
    ],
}


def workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_a_workbook_has_the_sheets_headers_numbers_and_dates_sent(client: TestClient) -> None:
    response = client.post(
        "/export", json=body([PAIRS, {"name": "交叉事项", "columns": ["判定"], "rows": []}])
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = workbook(response.content)
    assert book.sheetnames == ["部门对", "交叉事项"]
    sheet = book["部门对"]
    assert [cell.value for cell in sheet[1]] == ["部门", "部门 (2)", "交叉数", "受理日期"]  # two of one name
    first, second = ([cell for cell in row] for row in sheet.iter_rows(min_row=2))
    assert first[2].value == 5 and first[2].data_type == "n"
    assert first[3].value == datetime(2024, 3, 5)  # an ISO date is a date
    assert second[3].value == "2023-13-45"  # not a date: the text it is
    assert second[2].value == 0.75


def test_what_users_wrote_stays_text(client: TestClient) -> None:
    book = workbook(client.post("/export", json=body([PAIRS])).content)
    cell = book["部门对"]["A3"]
    assert cell.value == FORMULA and cell.data_type == "s"  # a text cell, never a formula
    assert book["部门对"]["B3"].value == "+1 加号开头"

    text = client.post("/export", json=body([PAIRS], "csv")).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[2][0] == "'" + FORMULA  # disarmed as the CLI's CSV disarms it


def test_a_csv_is_utf8_with_a_bom_and_names_the_table_of_each_row_when_several(client: TestClient) -> None:
    one = client.post("/export", json=body([PAIRS], "csv"))
    assert one.headers["content-type"].startswith("text/csv")
    assert one.content.startswith("\ufeff".encode())
    assert next(csv.reader(io.StringIO(one.text.removeprefix("\ufeff")))) == [
        "部门",
        "部门 (2)",
        "交叉数",
        "受理日期",
    ]

    other = {"name": "聚类", "columns": ["部门", "交叉事项数"], "rows": [["巴中市林业局", 2]]}
    several = client.post("/export", json=body([PAIRS, other], "csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(several)))
    assert rows[0] == ["表", "部门", "部门 (2)", "交叉数", "受理日期", "交叉事项数"]
    assert [row[0] for row in rows[1:]] == ["部门对", "部门对", "聚类"]
    assert rows[3][1] == "巴中市林业局" and rows[3][5] == "2"


def test_the_file_is_named_in_chinese_after_the_title_and_the_day(client: TestClient) -> None:
    response = client.post("/export", json=body([PAIRS], title="办件追溯/BJ001"))
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and 'filename="quanze-export.xlsx"' in disposition
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == f"办件追溯_BJ001-{date.today().isoformat()}.xlsx"
    assert encoded.isascii()


def test_exporting_needs_no_token_but_a_wrong_one_is_refused(client: TestClient) -> None:
    assert (
        client.post("/export", json=body([PAIRS]), headers={"Authorization": f"Bearer {TOKEN}"}).status_code
        == 200
    )
    refused = client.post("/export", json=body([PAIRS]), headers={"Authorization": "Bearer not-a-token"})
    assert refused.status_code == 401


def sheet(columns: int = 1, rows: int = 1, cell: Any = "文字") -> dict[str, Any]:
    return {"name": "表", "columns": [f"列{i}" for i in range(columns)], "rows": [[cell] * columns] * rows}


TOO_MUCH = {
    "sheets": body([sheet()] * (LIMITS.max_sheets + 1)),
    "columns": body([sheet(columns=LIMITS.max_columns + 1)]),
    "rows": body([sheet(rows=LIMITS.max_rows + 1)]),
    "cells": body([sheet(columns=LIMITS.max_columns, rows=LIMITS.max_cells // LIMITS.max_columns + 1)]),
    "a cell's text": body([sheet(cell="字" * (LIMITS.max_text + 1))]),
    "a title": body([sheet()], title="长" * (LIMITS.max_name + 1)),
}


@pytest.mark.parametrize("what", TOO_MUCH, ids=list(TOO_MUCH))
def test_too_much_is_refused_with_413_in_chinese(client: TestClient, what: str) -> None:
    response = client.post("/export", json=TOO_MUCH[what])
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])


def test_a_body_over_the_limit_is_refused_before_it_is_read_whole(client: TestClient) -> None:
    raw = json.dumps(body([sheet(rows=1)])).encode() + b" " * LIMITS.max_body_bytes
    response = client.post("/export", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "字节" in response.json()["errors"][0]["message"]


BAD = {
    "not JSON": b"{format: xlsx",
    "not an object": b"[]",
    "an unknown format": json.dumps(body([sheet()], "pdf")).encode(),
    "no sheets": json.dumps(body([])).encode(),
    "a sheet without columns": json.dumps(body([{"name": "表", "columns": [], "rows": []}])).encode(),
    "a row of another width": json.dumps(
        body([{"name": "表", "columns": ["a", "b"], "rows": [["x"]]}])
    ).encode(),
    "a boolean cell": json.dumps(body([sheet(cell=True)])).encode(),
    "an object cell": json.dumps(body([sheet(cell={"a": 1})])).encode(),
    "NaN": json.dumps(body([sheet(cell=float("nan"))])).encode(),
    "a number too large": json.dumps(body([sheet(cell=0)])).replace("[0]", "[1e400]").encode(),
    "an empty sheet name": json.dumps(body([{**sheet(), "name": " "}])).encode(),
}


@pytest.mark.parametrize("what", BAD, ids=list(BAD))
def test_bad_input_is_refused_with_400_in_chinese(client: TestClient, what: str) -> None:
    response = client.post("/export", content=BAD[what], headers={"content-type": "application/json"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])
