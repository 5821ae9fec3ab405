"""The diff of two editions as a function: which items count as the same item across editions."""

from __future__ import annotations

from graph.ledger import ItemSnapshot, edition_diff, item_identity

BASIS = "《单用途商业预付卡管理办法》第三十九条"
NAME = "对单用途商业预付卡发卡企业违规发卡行为的处罚"
RENAMED = "对单用途商业预付卡发卡企业违规发卡的处罚"


def _item(code: str, name: str, department: str = "示例市商务局", basis: str | None = BASIS) -> ItemSnapshot:
    """An item of the department; its code is made from a 序号 when it names the department."""
    made = code.startswith(department)
    return ItemSnapshot(code, name, "行政处罚", None, (department,), basis, "示例市人民政府", made)


def test_codes_made_from_a_number_and_codes_a_list_gives() -> None:
    made, given = _item("示例市商务局-CF-1", NAME), _item("CF-001", NAME)
    assert item_identity(made) == item_identity(_item("示例市商务局-CF-7", NAME))
    assert item_identity(given) != item_identity(_item("CF-002", NAME))


def test_a_rename_is_a_change_only_within_one_department_and_basis() -> None:
    before = [_item("示例市商务局-CF-1", NAME), _item("示例市商务局-CF-2", "对未按规定公示信息的处罚")]
    elsewhere = [_item("示例市市场监督管理局-CF-1", RENAMED, department="示例市市场监督管理局")]
    other_basis = [_item("示例市商务局-CF-1", RENAMED, basis="《反不正当竞争法》第二十条")]
    for after in (elsewhere, other_basis):
        diff = edition_diff("2024", "2025", before, after, [], [])
        assert diff.changed == [] and diff.added == after and len(diff.removed) == 2


def test_of_two_candidates_the_most_similar_is_the_renamed_item() -> None:
    before = [_item("示例市商务局-CF-1", NAME)]
    closer = "对单用途商业预付卡发卡企业违规发卡行为处罚"  # 0.86 to NAME; RENAMED is 0.81
    after = [_item("示例市商务局-CF-1", RENAMED), _item("示例市商务局-CF-2", closer)]
    diff = edition_diff("2024", "2025", before, after, [], [])
    assert [(change.after.name, change.fields) for change in diff.changed] == [(closer, ("name",))]
    assert [item.name for item in diff.added] == [after[0].name] and diff.removed == []
