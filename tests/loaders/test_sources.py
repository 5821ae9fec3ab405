"""`read_source`: one path, whatever it holds, or a clear error."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from graph import InvalidData
from loaders import tables
from loaders.demo import DEMO_WORKBOOK
from loaders.sources import kind_of_source, read_source
from ontology import NodeKind
from tests.builders import small, write_csv, write_xlsx

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LISTS = DATA / "real" / "karamay-power-lists"
CATALOGUE = DATA / "real" / "guangdong-service-items" / "policy.jsonl"


def test_a_quanze_workbook_file_and_folder(tmp_path: Path) -> None:
    assert kind_of_source(DEMO_WORKBOOK) == "workbook"
    folder = write_csv(tmp_path / "csv", small())
    assert kind_of_source(folder) == "workbook"
    assert read_source(folder).counts()[NodeKind.DEPARTMENT] == 4


@pytest.mark.skipif(not LISTS.is_dir(), reason="the shared data is not there")
def test_published_lists_file_and_folder() -> None:
    one = LISTS / "附件：克拉玛依市财政局2025年权责清单 (1).xlsx"  # an .xls file named .xlsx
    assert kind_of_source(one) == kind_of_source(LISTS) == "published"
    assert read_source(one).counts()[NodeKind.POWER_ITEM] == 19
    assert read_source(LISTS).counts()[NodeKind.POWER_ITEM] == 2373


@pytest.mark.skipif(not CATALOGUE.is_file(), reason="the shared data is not there")
def test_a_service_catalogue() -> None:
    assert kind_of_source(CATALOGUE) == "catalogue"
    assert read_source(CATALOGUE).counts()[NodeKind.POWER_ITEM] == 2262


def test_each_source_is_read_from_disk_and_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telling what a file is reads it; the reader then reads on from what was read, not the file again."""
    read: list[str] = []
    opened: list[str] = []
    read_bytes, open_spreadsheet = Path.read_bytes, tables.open_spreadsheet
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path.name) or read_bytes(path))
    monkeypatch.setattr(
        tables,
        "open_spreadsheet",
        lambda path, data: opened.append(path.name) or open_spreadsheet(path, data),
    )
    workbook = write_xlsx(tmp_path / "small.xlsx", small())
    lists = tmp_path / "lists.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["示例市测试局权责清单"])
    sheet.append(["序号", "事项名称", "权力类型", "实施主体"])
    sheet.append([1, "对甲的处罚", "行政处罚", "示例市测试局"])
    book.save(lists)
    for path in (workbook, lists):
        read.clear()
        opened.clear()
        assert read_source(path).counts()[NodeKind.POWER_ITEM] > 0
        assert read == opened == [path.name]


def _bad_file(folder: Path, kind: str) -> Path:
    """A file that is not a source: a random spreadsheet, an empty file, a binary …"""
    if kind == "random spreadsheet":
        path = folder / "sales.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "销售"
        sheet.append(["日期", "产品", "数量", "金额"])
        sheet.append(["2024-01-01", "苹果", 3, 12.5])
        book.save(path)
        return path
    contents: dict[str, tuple[str, bytes]] = {
        "empty": ("empty.xlsx", b""),
        "binary": ("blob.bin", bytes(range(256)) * 8),
        "broken spreadsheet": ("fake.xls", b"\xd0\xcf\x11\xe0" + bytes(600)),
        "text": ("notes.txt", b"hello"),
        "other json lines": ("items.jsonl", b'{"a": 1}\n'),
    }
    if kind == "missing":
        return folder / "missing.xlsx"
    name, data = contents[kind]
    (folder / name).write_bytes(data)
    return folder / name


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("random spreadsheet", "not a power list"),
        ("empty", "the file is empty"),
        ("binary", "a binary file"),
        ("broken spreadsheet", "not a spreadsheet"),
        ("text", "a file of unknown kind"),
        ("other json lines", "not a service catalogue"),
        ("missing", "no such file"),
    ],
)
def test_anything_else_is_a_clear_error(tmp_path: Path, kind: str, message: str) -> None:
    path = _bad_file(tmp_path, kind)
    with pytest.raises(InvalidData, match=message) as caught:
        read_source(path)
    assert caught.value.problems and caught.value.problems[0].file == str(path)


def test_a_folder_of_unrelated_files_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "b.png").write_bytes(b"\x89PNG")
    with pytest.raises(InvalidData, match="none of them a workbook sheet, a spreadsheet or a catalogue"):
        read_source(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InvalidData, match="holds nothing"):
        read_source(empty)


def test_a_workbook_missing_a_required_sheet_is_a_workbook_that_says_so(tmp_path: Path) -> None:
    sheets = small()
    del sheets["部门"]  # was read as a published list: 0 units, 0 posts, exit 0
    path = write_xlsx(tmp_path / "no-departments.xlsx", sheets)
    assert kind_of_source(path) == "workbook"
    with pytest.raises(InvalidData, match=r"the required sheet 部门 \(departments\) is missing"):
        read_source(path)
    only_powers = write_xlsx(tmp_path / "only-powers.xlsx", {"权责清单": small()["权责清单"]})
    assert kind_of_source(only_powers) == "workbook"  # headed by the workbook's own columns (事项编码 …)
    folder = write_csv(tmp_path / "csv", {"岗位": small()["岗位"]})
    assert kind_of_source(folder) == "workbook"
    with pytest.raises(InvalidData, match=r"the required sheet 部门 \(departments\) is missing"):
        read_source(folder)


def test_a_list_whose_sheet_is_named_like_the_powers_sheet_is_still_a_published_list(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "权责清单"
    sheet.append(["示例市商务局权责清单"])
    sheet.append(["序号", "权力类型", "事项名称", "实施主体", "设定依据"])
    sheet.append([1, "行政许可", "酒类商品零售许可", "示例市商务局", "《酒类流通管理办法》第六条"])
    book.save(path)
    assert kind_of_source(path) == "published"
