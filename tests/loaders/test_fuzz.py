"""No input crashes quanze: `quanze check` (in process, through `api.cli.main`) on mutated sources.

Valid seeds of every source kind (a small workbook as .xlsx and as a folder of .csv files, a published
list, a JSON Lines service catalogue) are mutated by hypothesis: cells replaced with odd values (huge,
negative, not a number, formulas, long, control characters, deep brackets), far cells, sheets and XML
parts deleted or cut, bytes flipped and files truncated. Whatever comes out, `check` ends with exit
0 or 1, and on 1 its message names the file: never an exception. The examples are derandomised (the
same every run) and bounded, a few seconds per kind.

The inputs that crashed quanze before (issue 13) are kept below as explicit cases, for `check`,
`query` and `serve`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.cli import main
from tests.builders import Sheets, small
from tests.loaders.spreadsheet_files import biff_workbook, compound_file, ods_file, replace_part, xlsx_bytes

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LISTS = DATA / "real" / "karamay-power-lists"
REAL_LISTS = [
    LISTS / name
    for name in ("2025年克拉玛依市统计局权责清单.xlsx", "克拉玛依市机关事务管理局2024年权责清单.xls")
    if (LISTS / name).is_file()
]
QUERY = "{ departments(first: 1) { totalCount } }"

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible, CI is stable
    database=None,  # nothing written into the tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def run(*argv: str) -> tuple[int, str]:
    """`quanze ARGV` in this process: the exit code and what it printed (stdout and stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue() + err.getvalue()


def check_ends_cleanly(path: Path) -> None:
    code, printed = run("check", str(path))
    assert code in (0, 1), printed
    assert "Traceback" not in printed
    if code == 1:
        assert str(path) in printed, printed


# -- seeds -------------------------------------------------------------------------------------


def catalogue_lines() -> list[dict[str, Any]]:
    """Three items of the Guangdong catalogue's shape, one split over two departments."""
    base = {"AREA_CODE_TEXT": "广东省广州市", "matter_level": "市级", "TASK_TYPE_TEXT": "行政许可"}
    return [
        {
            **base,
            "TASK_CODE": "11440100MB2C0001",
            "DEPT_NAME": "广州市市场监督管理局",
            "TASK_NAME": "食品经营许可",
            "handle_time": "20(工作日)",
            "handle_time_limit": "10(工作日)",
            "co_department": "市级教育（受理）、市级市场监管（审核,决定与公开）",
        },
        {**base, "TASK_CODE": "11440100MB2C0002", "DEPT_NAME": "广州市教育局", "TASK_NAME": "民办学校设立"},
        {
            **base,
            "TASK_CODE": "11440100MB2C0003",
            "DEPT_NAME": "广州市司法局",
            "TASK_NAME": "律师执业许可（变更）",
            "subTaskName": "变更",
            "handle_time": "90(自然日)",
        },
    ]


def published_list() -> Sheets:
    """A small list as departments post them: a title row, a header, items and a sub-item."""
    return {
        "行政许可（2项）": [
            ["示例市商务局权责清单"],
            ["序号", "权力类型", "权力名称", "子项名称", "实施主体", "设定依据", "备注"],
            [1, "行政许可", "酒类商品零售许可", "", "示例市商务局", "《酒类流通管理办法》第六条", ""],
            [
                2,
                "行政许可",
                "成品油零售经营资格审批",
                "新设",
                "示例市商务局",
                "《成品油市场管理办法》第七条",
                "",
            ],
            ["", "", "", "变更", "示例市商务局", "", ""],
        ]
    }


# -- mutations -----------------------------------------------------------------------------------

ODD_VALUES: list[Any] = [
    10**30,
    -5,
    1e308,
    float("nan"),
    float("inf"),
    2.5,
    0,
    "=1/0",
    "=SUM(A1:A3)",
    '=HYPERLINK("http://x","y")',
    "[" * 3000,
    "长" * 40_000,
    "2024/2/29 25:61",
    "2023-02-29",
    " ",
    "\u3000",
    "<img src=x onerror=alert(1)>",
    "𠀀𠀁",
    "XK-001",
    "示例市商务局",
]
TEXT_ONLY: list[Any] = [
    "\x01\x02\x1b",
    "a\x00b",
    "\ud800",
    '"unbalanced',
    "a,b\nc",
    "\r\n\r\n",
    "x" * 140_000,
]
FAR_CELLS = ["XFD1048576", "A1048576", "XFD1", "SR40000", "Z100000", "AMJ2"]


@st.composite
def changed_sheets(
    draw: st.DrawFn, seed: Sheets, text_values: bool
) -> tuple[Sheets, dict[str, dict[str, Any]]]:
    """`seed` with a few cells replaced by odd values, rows removed or repeated, sheets removed, and far
    cells added (for .xlsx only: {sheet: {reference: value}})."""
    sheets = {name: [list(row) for row in rows] for name, rows in seed.items()}
    far: dict[str, dict[str, Any]] = {}
    values = ODD_VALUES + (TEXT_ONLY if text_values else [])
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(sheets))) if sheets else None
        action = draw(st.sampled_from(["cell", "cell", "cell", "row", "repeat", "sheet", "far"]))
        if name is None:
            break
        rows = sheets[name]
        if action == "cell" and rows:
            row = rows[draw(st.integers(0, len(rows) - 1))]
            column = draw(st.integers(0, len(row) + 1))
            row.extend([""] * (column + 1 - len(row)))
            row[column] = draw(st.sampled_from(values))
        elif action == "row" and len(rows) > 1:
            del rows[draw(st.integers(0, len(rows) - 1))]
        elif action == "repeat" and rows:
            rows.append(list(rows[draw(st.integers(0, len(rows) - 1))]))
        elif action == "sheet":
            del sheets[name]
        elif action == "far":
            far.setdefault(name, {})[draw(st.sampled_from(FAR_CELLS))] = draw(st.sampled_from(["x", " ", 7]))
    return sheets, far


def _xlsx(sheets: Sheets, far: dict[str, dict[str, Any]]) -> bytes:
    if not sheets:
        sheets = {"Sheet": []}
    return xlsx_bytes(sheets, {name: cells for name, cells in far.items() if name in sheets})


@st.composite
def changed_bytes(draw: st.DrawFn, data: bytes, start: int = 0) -> bytes:
    """`data` with bytes flipped (from `start` on), cut short, or with a piece repeated."""
    action = draw(st.sampled_from(["flip", "flip", "cut", "repeat"]))
    if len(data) <= start:
        return data
    if action == "cut":
        return data[: draw(st.integers(0, len(data) - 1))]
    if action == "repeat":
        at = draw(st.integers(start, len(data) - 1))
        piece = data[at : at + draw(st.integers(1, 4096))]
        return data[:at] + piece * draw(st.integers(2, 50)) + data[at:]
    changed = bytearray(data)
    for _ in range(draw(st.integers(1, 16))):
        changed[draw(st.integers(start, len(changed) - 1))] = draw(st.integers(0, 255))
    return bytes(changed)


PART_CHANGES: dict[str, Callable[[bytes], bytes | None]] = {
    "removed": lambda xml: None,
    "cut": lambda xml: xml[: len(xml) // 3],
    "junk": lambda xml: b"\x00\xff not xml at all",
    "doctype": lambda xml: (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + xml.split(b"?>", 1)[-1]
    ),
    "far reference": lambda xml: xml.replace(b'r="A1"', b'r="XFD1048576"', 1),
    "wrapped reference": lambda xml: xml.replace(b'r="B2"', b'r="ZZZZZ99999999999"', 1),
    "many strings": lambda xml: xml.replace(b"<sst ", b'<sst uniqueCount="100000000000" ', 1),
}


@st.composite
def changed_zip(draw: st.DrawFn, data: bytes) -> bytes:
    """An .xlsx or .ods with one of its parts removed or changed (bytes flipped in the XML itself, so
    that the zip stays readable), or the file's own bytes changed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
        parts = {name: archive.read(name) for name in names}
    if draw(st.booleans()):
        return draw(changed_bytes(data))
    name = draw(st.sampled_from([*names, "xl/sharedStrings.xml"]))
    change = draw(st.sampled_from(["flip", *PART_CHANGES]))
    if change == "flip":
        flipped = draw(changed_bytes(parts.get(name, b"")))
        return replace_part(data, name, lambda xml: flipped)
    if change == "many strings" and name not in parts:
        return replace_part(
            data, name, lambda xml: b'<sst uniqueCount="100000000000"><si><t>x</t></si></sst>'
        )
    return replace_part(data, name, PART_CHANGES[change])


# -- the fuzz tests --------------------------------------------------------------------------------


@FUZZ
@given(st.data())
def test_check_never_crashes_on_a_changed_xlsx_workbook(data: st.DataObject) -> None:
    sheets, far = data.draw(changed_sheets(small(), text_values=False))
    book = _xlsx(sheets, far)
    if data.draw(st.booleans()):
        book = data.draw(changed_zip(book))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "workbook.xlsx"
        path.write_bytes(book)
        check_ends_cleanly(path)


@FUZZ
@given(st.data())
def test_check_never_crashes_on_a_changed_csv_folder(data: st.DataObject) -> None:
    sheets, _ = data.draw(changed_sheets(small(), text_values=True))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "workbook"
        root.mkdir()
        for name, rows in sheets.items():
            text = io.StringIO()
            csv.writer(text).writerows(rows)
            (root / f"{name}.csv").write_bytes(text.getvalue().encode("utf-8", "surrogatepass"))
        files = sorted(root.iterdir())
        if files and data.draw(st.integers(0, 2)) == 0:  # the bytes of one file changed
            changed = data.draw(st.sampled_from(files))
            changed.write_bytes(data.draw(changed_bytes(changed.read_bytes())))
        check_ends_cleanly(root)


PUBLISHED_SEEDS = ["built", *(path.name for path in REAL_LISTS)]


@FUZZ
@given(st.data())
def test_check_never_crashes_on_a_changed_published_list(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(PUBLISHED_SEEDS))
    if seed == "built":
        sheets, far = data.draw(changed_sheets(published_list(), text_values=False))
        book = _xlsx(sheets, far)
        suffix = ".xlsx"
    else:
        original = LISTS / seed
        book, suffix = original.read_bytes(), original.suffix
    if seed != "built" or data.draw(st.booleans()):
        start = 1536 if book[:2] != b"PK" and data.draw(st.booleans()) else 0  # an .xls: its records
        book = data.draw(changed_zip(book) if book[:2] == b"PK" else changed_bytes(book, start))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"list{suffix}"
        path.write_bytes(book)
        check_ends_cleanly(path)


ODD_LINES = [
    "[" * 100_000,
    '{"TASK_CODE": ' + "9" * 5000 + "}",
    '{"TASK_CODE": "X", "DEPT_NAME":',
    "null",
    "[]",
    '"just a string"',
    '{"TASK_CODE": [], "DEPT_NAME": {}, "TASK_NAME": 5}',
    '{"TASK_CODE": "X", "DEPT_NAME": "局", "TASK_NAME": "事项", "AREA_CODE_TEXT": 5, "co_department": ["x"]}',
    '{"TASK_CODE": "X", "DEPT_NAME": "局", "TASK_NAME": "事项", "handle_time": {"a": 1}, "subTaskName": 7}',
    '{"TASK_CODE": "X", "DEPT_NAME": "局", "TASK_NAME": "事项", "co_department": "' + "（" * 5000 + '"}',
    '{"TASK_CODE": "X\\u0000", "DEPT_NAME": "\\ud800", "TASK_NAME": "<script>"}',
]


@FUZZ
@given(st.data())
def test_check_never_crashes_on_a_changed_catalogue(data: st.DataObject) -> None:
    lines = [json.dumps(line, ensure_ascii=False) for line in catalogue_lines()]
    for _ in range(data.draw(st.integers(1, 3))):
        lines[data.draw(st.integers(0, len(lines) - 1))] = data.draw(st.sampled_from(ODD_LINES))
        if data.draw(st.booleans()):
            lines.append(data.draw(st.sampled_from(ODD_LINES)))
    encoded = "\n".join(lines).encode("utf-8", "surrogatepass")
    if data.draw(st.integers(0, 3)) == 0:
        encoded = data.draw(changed_bytes(encoded))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalogue.jsonl"
        path.write_bytes(encoded)
        check_ends_cleanly(path)


@FUZZ
@given(st.data())
def test_check_never_crashes_on_a_changed_ods_or_xls(data: st.DataObject) -> None:
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    header = "".join(cell.format(text) for text in ("部门名称", "所属政府"))
    row = "".join(cell.format(text) for text in ("示例市商务局", "示例市人民政府"))
    seeds = {
        "book.ods": ods_file(
            f"<table:table-row>{header}</table:table-row><table:table-row>{row}</table:table-row>", "部门"
        ),
        "book.xls": compound_file(biff_workbook([(0, 0, 1.0), (1, 1, 2.0)], "部门")),
    }
    name = data.draw(st.sampled_from(sorted(seeds)))
    book = seeds[name]
    # an .xls: as often in its BIFF records (from byte 1,536, after the header, FAT and directory)
    start = 1536 if name.endswith(".xls") and data.draw(st.booleans()) else 0
    book = data.draw(changed_zip(book) if name.endswith(".ods") else changed_bytes(book, start))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(book)
        check_ends_cleanly(path)


# -- the inputs that crashed quanze (issue 13), for check, query and serve ------------------------------


def _broken_part(data: bytes, name: str = "docProps/app.xml") -> bytes:
    """The zip with a byte of the packed `name` changed: its CRC no longer holds (a traceback once, when
    a far blank cell made the reader copy the other parts)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    changed = bytearray(data)
    changed[start + 5] ^= 0xFF
    return bytes(changed)


def _crash_inputs(folder: Path) -> dict[str, Path]:
    """Each input that gave a traceback, an abort or a silent pass, written into `folder`."""
    inputs: dict[str, Path] = {}

    def write(name: str, data: bytes) -> None:
        inputs[name] = folder / name
        inputs[name].write_bytes(data)

    workbook = xlsx_bytes(small())
    write("far cell.xlsx", xlsx_bytes(small(), {"部门": {"XFD1048576": "x"}}))
    write(
        "corrupt sheet.xlsx",
        replace_part(workbook, "xl/worksheets/sheet2.xml", lambda xml: xml[: len(xml) // 2]),
    )
    write("missing sheet.xlsx", replace_part(workbook, "xl/worksheets/sheet2.xml", lambda xml: None))
    write("many strings.xlsx", replace_part(workbook, "xl/sharedStrings.xml", PART_CHANGES["many strings"]))
    write(
        "far blank and a broken part.xlsx", _broken_part(xlsx_bytes(small(), {"部门": {"XFD1048576": " "}}))
    )
    newer = xlsx_bytes(small())  # a zip whose central directory asks for version 6.4: zipfile refuses it
    at = newer.index(b"PK\x01\x02")
    write("zip version 6.4.xlsx", newer[: at + 6] + b"\x40\x00" + newer[at + 8 :])
    write(  # a defined name too short for calamine: it panics as it opens the file
        "short name.xls",
        compound_file(biff_workbook([(0, 0, 1.0)], records=((0x0018, b"\x00\x00\x00\x05"),))),
    )
    no_departments = small()
    del no_departments["部门"]
    write("no departments.xlsx", xlsx_bytes(no_departments))
    write("far cell.xls", compound_file(biff_workbook([(0, 0, 1.0), (65000, 60000, 5.0)])))
    write("looping.xls", compound_file(biff_workbook([(0, 0, 1.0)]), looping_directory=True))
    write(
        "bomb.ods",
        ods_file(
            '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
            'table:number-columns-repeated="100" office:value-type="float" office:value="1"/></table:table-row>'
        ),
    )
    fields = folder / "long field"
    fields.mkdir()
    for name, rows in small().items():
        with (fields / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
            csv.writer(file).writerows(rows)
    (fields / "职能.csv").write_text(
        '职能编码,部门,职能内容\nF-1,示例市商务局,"' + "x" * 200_000 + '"\n', encoding="utf-8"
    )
    inputs["long field"] = fields
    good = "\n".join(json.dumps(line, ensure_ascii=False) for line in catalogue_lines())
    write("deep brackets.jsonl", (good + "\n" + "[" * 100_000 + "\n").encode())
    write("broken line.jsonl", (good + '\n{"TASK_CODE":\n').encode())
    return inputs


CRASHES = [
    "far cell.xlsx",
    "corrupt sheet.xlsx",
    "missing sheet.xlsx",
    "many strings.xlsx",
    "zip version 6.4.xlsx",
    "short name.xls",
    "no departments.xlsx",
    "far cell.xls",
    "looping.xls",
    "bomb.ods",
    "long field",
    "deep brackets.jsonl",
    "broken line.jsonl",
]
REFUSED = CRASHES[:-2]  # a load refuses these; a catalogue's bad lines are left out, and said


@pytest.mark.parametrize("name", CRASHES)
def test_check_reports_each_input_that_crashed_it(tmp_path: Path, name: str) -> None:
    path = _crash_inputs(tmp_path)[name]
    code, printed = run("check", str(path))
    assert code == 1 and "Traceback" not in printed, printed
    assert f"quanze: {path}" in printed or f"{path}:" in printed, printed


@pytest.mark.parametrize("name", REFUSED)
def test_query_and_serve_end_with_a_message_on_each(tmp_path: Path, name: str) -> None:
    path = _crash_inputs(tmp_path)[name]
    for argv in (("query", str(path), QUERY), ("serve", str(path))):
        code, printed = run(*argv)
        assert code == 1, (argv, printed)
        assert printed.startswith(f"quanze: {path}"), (argv, printed)


@pytest.mark.parametrize("name", ["deep brackets.jsonl", "broken line.jsonl"])
def test_query_on_a_catalogue_with_a_bad_line_says_it_left_it_out(tmp_path: Path, name: str) -> None:
    path = _crash_inputs(tmp_path)[name]
    code, printed = run("query", str(path), QUERY)
    assert code == 0 and f"skipped: {path}, row 4: not JSON" in printed, printed


def test_a_far_blank_cell_beside_a_part_that_cannot_be_unpacked_reads_as_the_small_sheet(
    tmp_path: Path,
) -> None:
    path = _crash_inputs(tmp_path)["far blank and a broken part.xlsx"]
    code, printed = run("check", str(path))
    assert code == 0 and "no problems; 4 Department, 4 Unit, 9 Post" in printed, printed


def test_the_seeds_check_clean(tmp_path: Path) -> None:
    """The fuzz tests start from sources that pass."""
    workbook = tmp_path / "workbook.xlsx"
    workbook.write_bytes(xlsx_bytes(small()))
    assert run("check", str(workbook))[0] == 0
    catalogue = tmp_path / "catalogue.jsonl"
    catalogue.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in catalogue_lines()), "utf-8"
    )
    assert run("check", str(catalogue))[0] == 0
    listed = tmp_path / "list.xlsx"
    listed.write_bytes(xlsx_bytes(published_list()))
    code, printed = run("check", str(listed))
    assert code == 0, printed
    assert openpyxl.load_workbook(listed).sheetnames == list(published_list())
