"""The look at a spreadsheet before calamine reads it (loaders/spreadsheets.py), on real files made
with openpyxl, rewritten part by part, and on a small .xls and .ods built byte by byte.

Without the look, each file marked "aborts" below ends the process: calamine asks for hundreds of
gigabytes (a grid from A1 to a far cell, room for a declared count, a loop of sectors) and Rust's
allocator gives up, with no exception for Python to catch.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import python_calamine

from graph import InvalidData
from loaders.spreadsheets import MAX_SHEET_CELLS, read_spreadsheet
from loaders.workbook import read_workbook
from tests.builders import small
from tests.loaders.spreadsheet_files import biff_workbook, compound_file, ods_file, replace_part, xlsx_bytes

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LISTS = DATA / "real" / "karamay-power-lists"
SHEET = [["部门名称", "所属政府"], ["示例市商务局", "示例市人民政府"]]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _read(path: Path) -> tuple[dict[str, list[list[object]]], list[str]]:
    book = read_spreadsheet(path, path.read_bytes())
    return {sheet.name: sheet.rows for sheet in book.sheets}, [str(problem) for problem in book.problems]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("XFD1048576", "row 1048576, column XFD: the sheet reaches column XFD (16,384 columns)"),  # aborts
        ("XFD100000", "row 100000, column XFD: the sheet reaches column XFD"),  # 1 GB and more
        ("SR40000", "row 40000, column SR: the sheet spans 40,000 rows × 512 columns"),
    ],
)
def test_a_far_cell_is_a_located_problem_and_the_other_sheets_are_read(
    tmp_path: Path, cell: str, message: str
) -> None:
    path = _write(tmp_path, "far.xlsx", xlsx_bytes({"部门": SHEET, "内设机构": SHEET}, {"部门": {cell: "x"}}))
    sheets, problems = _read(path)
    assert list(sheets) == ["内设机构"] and sheets["内设机构"] == SHEET
    assert len(problems) == 1 and problems[0].startswith(f"{path}, sheet 部门, {message}")
    assert problems[0].endswith("; the sheet was not read")


def test_far_cells_of_white_space_leave_the_sheet_small(tmp_path: Path) -> None:
    plain = _write(tmp_path, "plain.xlsx", xlsx_bytes(small()))
    spaced = _write(
        tmp_path, "spaced.xlsx", xlsx_bytes(small(), {"部门": {"XFD1048576": " ", "Z300": "\u3000"}})
    )
    assert _read(spaced) == _read(plain)
    assert read_workbook(spaced).counts() == read_workbook(plain).counts()  # and the workbook loads


def test_a_sheet_whose_xml_is_broken_or_missing_is_a_problem_of_that_sheet(tmp_path: Path) -> None:
    data = xlsx_bytes({"部门": SHEET, "内设机构": SHEET, "岗位": SHEET})
    broken = replace_part(data, "xl/worksheets/sheet2.xml", lambda xml: xml[: len(xml) // 2])
    missing = replace_part(broken, "xl/worksheets/sheet3.xml", lambda xml: None)
    path = _write(tmp_path, "broken.xlsx", missing)
    sheets, problems = _read(path)
    assert list(sheets) == ["部门"]
    assert problems[0].startswith(f"{path}, sheet 内设机构: its XML is broken (")
    assert problems[1] == (
        f"{path}, sheet 岗位: its part /xl/worksheets/sheet3.xml is not in the file; the sheet was not read"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (  # calamine would read the cell at a wrapped-around row and column: aborts
            lambda xml: xml.replace(b'r="B2"', b'r="ZZZZZ99999999999"'),
            "a cell reference 'ZZZZZ99999999999' that is not a cell of a sheet",
        ),
        (  # a billion laughs
            lambda xml: (
                b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                + xml.replace(
                    b"\xe7\xa4\xba\xe4\xbe\x8b\xe5\xb8\x82\xe5\x95\x86\xe5\x8a\xa1\xe5\xb1\x80", b"&b;"
                )
            ),
            "its XML declares a document type (DTD), which a spreadsheet never does",
        ),
        (  # two references for one cell: calamine's attribute reader takes the last
            lambda xml: xml.replace(b'r="B2"', b'r="B2" r="XFD1048576"'),
            "its XML is broken (duplicate attribute",
        ),
    ],
)
def test_xml_that_calamine_would_misread_is_refused(
    tmp_path: Path, change: Callable[[bytes], bytes], message: str
) -> None:
    data = xlsx_bytes({"部门": SHEET})
    path = _write(tmp_path, "odd.xlsx", replace_part(data, "xl/worksheets/sheet1.xml", change))
    sheets, problems = _read(path)
    assert sheets == {} and len(problems) == 1
    assert problems[0].startswith(f"{path}, sheet 部门: {message}"), problems[0]


def test_a_bogus_count_of_shared_strings_refuses_the_file(tmp_path: Path) -> None:  # aborts
    table = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
        b' uniqueCount="100000000000"><si><t>x</t></si></sst>'
    )
    data = replace_part(xlsx_bytes({"部门": SHEET}), "xl/sharedStrings.xml", lambda xml: table)
    path = _write(tmp_path, "strings.xlsx", data)
    with pytest.raises(InvalidData, match=r"sharedStrings\.xml declares 100000000000 strings") as caught:
        read_spreadsheet(path, path.read_bytes())
    assert caught.value.problems[0].file == str(path)


def test_cells_that_read_as_empty_are_flagged_with_what_they_hold(tmp_path: Path) -> None:
    cells = {"部门": {"C2": "=SUM(1,2)", "D2": float("inf"), "E2": "x"}}
    data = xlsx_bytes({"部门": SHEET}, cells)
    data = replace_part(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<c r="E2"[^>]*>.*?</c>', b'<c r="E2" t="e"><v>#DIV/0!</v></c>', xml),
    )
    path = _write(tmp_path, "flagged.xlsx", data)
    book = read_spreadsheet(path, path.read_bytes())
    flagged = book.sheets[0].flagged
    assert sorted(flagged) == [(1, 2), (1, 3), (1, 4)]
    assert flagged[(1, 2)][0] == "=SUM(1,2)" and "formula without a saved value" in flagged[(1, 2)][1]
    assert "number cell without a number" in flagged[(1, 3)][1]
    assert flagged[(1, 4)] == ("#DIV/0!", "is an error value, which reads as empty")
    assert book.sheets[0].rows[1][2:5] == ["", "", ""]  # what calamine gives them


def test_an_xls_with_a_far_cell_or_a_huge_declared_size_or_a_looping_chain_is_refused(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.xls", compound_file(biff_workbook([(0, 0, 1.0), (2, 1, 5.0)])))
    assert _read(good) == ({"Sheet1": [[1.0], [], ["", 5.0]]}, [])
    cases = {
        "far.xls": (
            compound_file(biff_workbook([(0, 0, 1.0), (65000, 60000, 5.0)])),
            "row 65001, column CJSS",
        ),
        "declared.xls": (  # DIMENSIONS rows 100 to 1: calamine reserves 2^32 rows × 200 columns
            compound_file(
                biff_workbook([(0, 0, 1.0)], dimensions=bytes.fromhex("64000000 01000000 0000 c800 0000"))
            ),
            "a sheet declares 4,294,967,197 rows × 200 columns",
        ),
        "loop.xls": (
            compound_file(biff_workbook([(0, 0, 1.0)]), looping_directory=True),
            "a compound file whose sector chain loops",
        ),
    }
    for name, (data, message) in cases.items():  # each aborts without the look
        path = _write(tmp_path, name, data)
        with pytest.raises(InvalidData) as caught:
            read_spreadsheet(path, data)
        assert message in str(caught.value.problems[0]), name
        assert caught.value.problems[0].file == str(path)


def test_an_ods_with_repeated_cells_beyond_the_caps_is_refused_and_its_formulas_flagged(
    tmp_path: Path,
) -> None:
    value = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    good = ods_file(
        f"<table:table-row>{value.format('a')}{value.format('b')}</table:table-row>"
        '<table:table-row><table:table-cell table:formula="of:=1+2"/></table:table-row>'
    )
    path = _write(tmp_path, "good.ods", good)
    book = read_spreadsheet(path, good)
    assert book.sheets[0].rows == [["a", "b"], [""]]
    assert book.sheets[0].flagged[(1, 0)][0] == "of:=1+2"
    bomb = ods_file(  # a million rows of a hundred ones: 3.2 GB in calamine
        '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell table:number-columns-repeated="100" office:value-type="float" office:value="1"/>'
        "</table:table-row>"
    )
    path = _write(tmp_path, "bomb.ods", bomb)
    with pytest.raises(InvalidData, match=f"more than {MAX_SHEET_CELLS:,} cells; the file was not read"):
        read_spreadsheet(path, bomb)


def test_an_xlsb_or_a_zip_of_something_else_is_refused_with_a_message(tmp_path: Path) -> None:
    relations = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>'
    )
    binary = replace_part(xlsx_bytes({"部门": SHEET}), "_rels/.rels", lambda xml: relations)
    with pytest.raises(InvalidData, match=r"an \.xlsb \(binary\) workbook, which is not read"):
        read_spreadsheet(tmp_path / "book.xlsb", binary)
    other = replace_part(xlsx_bytes({"部门": SHEET}), "_rels/.rels", lambda xml: None)
    with pytest.raises(InvalidData, match=r"a zip file that is not a spreadsheet"):
        read_spreadsheet(tmp_path / "other.xlsx", other)


@pytest.mark.skipif(not LISTS.is_dir(), reason="the shared data is not there")
def test_the_real_lists_read_as_calamine_reads_them() -> None:
    """Every Karamay list gives the cells calamine gives, trailing empty cells and rows trimmed."""
    for path in sorted(LISTS.glob("*.xls*")):
        data = path.read_bytes()
        book = read_spreadsheet(path, data)
        assert book.problems == [], path.name
        calamine = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        assert [sheet.name for sheet in book.sheets] == calamine.sheet_names
        for sheet in book.sheets:
            rows = [
                list(row) for row in calamine.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
            ]
            for row in rows:
                while row and (row[-1] is None or (isinstance(row[-1], str) and not row[-1].strip())):
                    row.pop()
            while rows and not rows[-1]:
                rows.pop()
            assert sheet.rows == rows, (path.name, sheet.name)
            assert sheet.flagged == {}, (path.name, sheet.name)


def test_a_panic_in_calamine_is_a_message_without_its_backtrace(tmp_path: Path) -> None:
    """A defined name (Lbl) record too short for calamine: it panics (a Rust index out of range) while
    it opens the file. The panic is a problem of the file; Rust's own report of it (a backtrace with
    RUST_BACKTRACE set) is kept off the terminal."""
    path = _write(
        tmp_path,
        "short name.xls",
        compound_file(biff_workbook([(0, 0, 1.0)], records=((0x0018, b"\x00\x00\x00\x05"),))),
    )
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "RUST_BACKTRACE": "1"},
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"quanze: {path}: not a spreadsheet that can be read (PanicException: ")
    assert "panicked at" not in result.stderr and "stack backtrace" not in result.stderr, result.stderr
