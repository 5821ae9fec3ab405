"""The text search's RELEVANCE order on every store: an exact name first, then a name that starts with the
text, then one that holds it, then items where only another searched text (sub-item, code) holds it; ties
by code. Compared in normalised form, so a query in traditional script or full width ranks the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import GraphStore
from graph.queries import PowerItemSort, list_power_items, power_item_ids
from loaders.workbook import load_workbook
from tests.builders import small, write_xlsx

# (code, name, sub-item): the small government's XK-001 食品经营许可 and XK-001Q (the district's) besides
ITEMS = [
    ("XK-021", "小餐饮食品经营许可", ""),
    ("XK-022", "食品经营许可证补办", ""),
    ("XK-023", "餐饮服务许可", "食品经营许可变更"),
    ("XK-024", "食品经营许可", ""),
]


@pytest.fixture
def loaded(store: GraphStore, tmp_path: Path) -> GraphStore:
    sheets = small()
    for code, name, sub_item in ITEMS:
        sheets["权责清单"].append(
            [code, "行政许可", name, sub_item, "示例市商务局", "", "", "", "", 20, 10, "", ""]
        )
    load_workbook(write_xlsx(tmp_path / "s.xlsx", sheets), store)
    return store


def codes(store: GraphStore, text: str, sort: PowerItemSort) -> list[str]:
    return [str(item["code"]) for item in list_power_items(store, text=text, sort=sort)]


def test_exact_then_starting_then_holding_then_elsewhere(loaded: GraphStore) -> None:
    exact = [code for code in codes(loaded, "食品经营许可", PowerItemSort.CODE) if code.startswith("XK-001")]
    assert exact  # the small government's own 食品经营许可, of the city and the district
    assert codes(loaded, "食品經營許可", PowerItemSort.RELEVANCE) == [
        *sorted([*exact, "XK-024"]),  # exact names, by code
        "XK-022",  # starts with it
        "CF-001",  # holds it (对未取得食品经营许可从事…的处罚), by code
        "XK-021",
        "XK-023",  # only its sub-item holds it
    ]


def test_the_code_order_and_the_ids_are_unchanged(loaded: GraphStore) -> None:
    by_code = list_power_items(loaded, text="食品经营许可", sort=PowerItemSort.CODE)
    assert [item.id for item in by_code] == sorted(item.id for item in by_code)
    assert list(power_item_ids(loaded, text="食品经营许可")) == [item.id for item in by_code]
    ranked = list_power_items(loaded, text="食品经营许可", sort=PowerItemSort.RELEVANCE)
    assert sorted(item.id for item in ranked) == [item.id for item in by_code]  # the same items


def test_a_code_in_full_width_matches_and_ranks_after_names(loaded: GraphStore) -> None:
    found = codes(loaded, "ＸＫ－０２", PowerItemSort.RELEVANCE)
    assert found == ["XK-021", "XK-022", "XK-023", "XK-024"]  # all by code only: ties by code
