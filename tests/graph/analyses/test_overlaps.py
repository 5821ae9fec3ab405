"""Overlaps: each kind planted on a small government, the false alarms that must not be raised, and
invariants over random workbooks (symmetric, independent of row order)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import MemoryStore
from graph.analyses import Overlap, OverlapKind, clusters_of, find_overlaps, overlap_matrix
from graph.ids import department_id
from loaders.workbook import load_workbook
from tests.builders import Sheets, write_csv, write_xlsx

GOV = "某市人民政府"
POWER_HEADER = ["事项编码", "权力类型", "权力名称", "实施主体", "设定依据"]
FUNCTION_HEADER = ["职能编码", "部门", "职能内容"]
GENERAL = "《中华人民共和国行政处罚法》第八条"
DEPARTMENTS = [
    "某市市场监督管理局",
    "某市商务局",
    "某市交通运输局",
    "某市文化广电旅游局",
    "某市农业农村局",
    "某市住房和城乡建设局",
    "某市生态环境局",
    "某市水利局",
]


def _dept(name: str) -> str:
    return department_id(GOV, name)


def _government(powers: list[list[str]], functions: list[list[str]] | None = None) -> Sheets:
    departments = [
        ["部门名称", "所属政府"],
        *([name, GOV] for name in DEPARTMENTS),
        ["某县市场监督管理局", "某县人民政府"],
    ]
    sheets: Sheets = {"部门": departments, "权责清单": [POWER_HEADER, *powers]}
    if functions:
        sheets["职能"] = [FUNCTION_HEADER, *functions]
    return sheets


def _general_penalties() -> list[list[str]]:
    """Every department lists a penalty citing the Administrative Penalty Law's general article."""
    return [
        [f"CF-G{n}", "行政处罚", f"对违反{name[2:-1]}管理规定行为的处罚", name, GENERAL]
        for n, name in enumerate(DEPARTMENTS)
    ]


def _overlaps(tmp_path: Path, sheets: Sheets, **options: object) -> list[Overlap]:
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "o.xlsx", sheets), store)
    return find_overlaps(store, **options)  # type: ignore[arg-type]


def test_the_same_item_in_two_departments_in_either_script(tmp_path: Path) -> None:
    powers = [
        ["XK-1", "行政许可", "食品经营许可", "某市市场监督管理局", ""],
        ["XK-2", "行政許可", "食品經營許可", "某市商务局", ""],
        [
            "XK-3",
            "行政许可",
            "食品经营许可",
            "某县市场监督管理局",
            "",
        ],  # the county: a division between levels
        ["CF-1", "行政处罚", "食品经营许可", "某市交通运输局", ""],  # another power type
    ]
    found = _overlaps(tmp_path, _government(powers))
    assert [(o.kinds, o.items) for o in found] == [((OverlapKind.SAME_ITEM,), ("item:XK-1", "item:XK-2"))]
    assert found[0].departments == (_dept("某市商务局"), _dept("某市市场监督管理局"))
    assert found[0].score == 1.0
    assert "食品經營許可" in found[0].evidence[0] or "食品经营许可" in found[0].evidence[0]


def test_a_joint_item_is_listed_as_declared(tmp_path: Path) -> None:
    powers = [["QT-1", "其他行政权力", "重要商品市场联合监测", "某市市场监督管理局、某市商务局", ""]]
    found = _overlaps(tmp_path, _government(powers))
    assert [(o.kinds, o.items, len(o.departments)) for o in found] == [
        ((OverlapKind.JOINT,), ("item:QT-1",), 2)
    ]


def test_a_shared_rare_article_is_an_overlap_and_a_general_one_is_not(tmp_path: Path) -> None:
    powers = [
        *_general_penalties(),
        [
            "CF-1",
            "行政处罚",
            "对无证运输危险化学品的处罚",
            "某市交通运输局",
            f"{GENERAL}；《危险化学品安全管理条例》第八十七条第一款",
        ],
        [
            "CF-2",
            "行政处罚",
            "对道路危险货物运输违法行为的处罚",
            "某市生态环境局",
            "《危险化学品安全管理条例》第八十七条",
        ],
        [
            "XK-9",
            "行政许可",
            "危险化学品运输许可",
            "某市水利局",
            "《危险化学品安全管理条例》第八十七条",
        ],  # another type
    ]
    found = _overlaps(tmp_path, _government(powers))
    assert [(o.kinds, o.items) for o in found] == [((OverlapKind.SHARED_BASIS,), ("item:CF-1", "item:CF-2"))]
    overlap = found[0]
    assert overlap.shared_articles == ("article:危险化学品安全管理条例/87",)  # 第八十七条第一款 is 第八十七条
    assert 0.9 < overlap.score < 1.0  # the general article weighs almost nothing
    assert "8个部门中2个引用" in overlap.evidence[0]


def test_similar_texts_of_functions_in_two_departments(tmp_path: Path) -> None:
    functions = [
        ["F1", "某市住房和城乡建设局", "负责城市市容环境卫生、园林绿化和市政公用设施的监督管理"],
        ["F2", "某市文化广电旅游局", "負責城市市容環境衛生、園林綠化和市政公用設施的監督管理工作"],
        [
            "F3",
            "某市住房和城乡建设局",
            "负责城市市容环境卫生、园林绿化和市政公用设施的监督管理工作",
        ],  # same department
        ["F4", "某市水利局", "负责全市水资源的统一监督管理"],
    ]
    found = _overlaps(tmp_path, _government(_general_penalties(), functions))
    pairs = {(o.functions, o.kinds) for o in found if o.functions}
    assert pairs == {
        (("function:F1", "function:F2"), (OverlapKind.SIMILAR_TEXT,)),
        (("function:F2", "function:F3"), (OverlapKind.SIMILAR_TEXT,)),
    }
    best = next(o for o in found if o.functions == ("function:F2", "function:F3"))
    assert best.score == 1.0 or best.score > 0.9
    assert any("市容" in word for word in best.shared_words)


def test_a_pair_found_by_several_kinds_is_one_overlap(tmp_path: Path) -> None:
    powers = [
        *_general_penalties(),
        [
            "XK-1",
            "行政许可",
            "城市建筑垃圾处置核准",
            "某市住房和城乡建设局",
            "《城市市容和环境卫生管理条例》第十六条",
        ],
        [
            "XK-2",
            "行政许可",
            "城市建筑垃圾处置核准",
            "某市生态环境局",
            "《城市市容和环境卫生管理条例》第十六条",
        ],
    ]
    found = [o for o in _overlaps(tmp_path, _government(powers)) if o.items == ("item:XK-1", "item:XK-2")]
    assert len(found) == 1
    assert found[0].kinds == (OverlapKind.SAME_ITEM, OverlapKind.SHARED_BASIS)
    assert len(found[0].evidence) == 3  # one line per kind, then the verdict's reason
    assert found[0].evidence[-1] == found[0].reason


def test_matrix_and_clusters(tmp_path: Path) -> None:
    powers = [
        ["XK-1", "行政许可", "甲许可", "某市市场监督管理局", ""],
        ["XK-2", "行政许可", "甲许可", "某市商务局", ""],
        ["XK-3", "行政许可", "甲许可", "某市水利局", ""],
        ["XK-4", "行政许可", "乙许可", "某市商务局", ""],
        ["XK-5", "行政许可", "乙许可", "某市水利局", ""],
    ]
    found = _overlaps(tmp_path, _government(powers))
    assert len(found) == 4  # 甲: three pairs; 乙: one
    matrix = {(a, b): n for a, b, n in overlap_matrix(found)}
    assert matrix[(_dept("某市商务局"), _dept("某市水利局"))] == 2
    assert matrix[(_dept("某市商务局"), _dept("某市市场监督管理局"))] == 1
    clusters = clusters_of(found)
    assert [len(c.items) for c in clusters] == [3, 2]
    assert len({o.cluster for o in found}) == 2


def test_filters(tmp_path: Path) -> None:
    powers = [
        ["XK-1", "行政许可", "甲许可", "某市市场监督管理局", ""],
        ["XK-2", "行政许可", "甲许可", "某市商务局", ""],
        ["QT-1", "其他行政权力", "联合监测", "某市水利局、某市生态环境局", ""],
    ]
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "f.xlsx", _government(powers)), store)
    assert [o.kinds for o in find_overlaps(store, kinds=[OverlapKind.JOINT])] == [(OverlapKind.JOINT,)]
    assert [o.items for o in find_overlaps(store, department=_dept("某市商务局"))] == [
        ("item:XK-1", "item:XK-2")
    ]
    assert find_overlaps(store, min_score=1.01) == []


# -- invariants -------------------------------------------------------------------------------

NAMES = [
    "食品经营许可",
    "食品經營許可",
    "药品零售许可",
    "建设工程规划许可",
    "对无证经营食品的处罚",
    "对无证经营药品的处罚",
    "道路运输经营许可",
    "危险化学品经营许可",
    "对违法排污的处罚",
]
TYPES = ["行政许可", "行政处罚"]
ARTICLES = [GENERAL, "《食品安全法》第三十五条", "《药品管理法》第五十一条", "《道路运输条例》第十条", ""]

rows = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(TYPES),
        st.sets(st.integers(0, 7), min_size=1, max_size=2),
        st.sampled_from(ARTICLES),
    ),
    min_size=2,
    max_size=14,
)


def _random_government(drawn: list[tuple[str, str, set[int], str]]) -> list[list[str]]:
    return [
        [f"X-{n:02d}", kind, name, "、".join(DEPARTMENTS[d] for d in sorted(depts)), basis]
        for n, (name, kind, depts, basis) in enumerate(drawn)
    ]


def _signature(overlaps: list[Overlap]) -> list[tuple[object, ...]]:
    return [(o.id, o.kinds, o.score, o.departments, o.items, o.cluster) for o in overlaps]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows, st.randoms(use_true_random=False))
def test_overlaps_do_not_depend_on_row_order(tmp_path: Path, drawn: list, shuffle: random.Random) -> None:
    powers = _random_government(drawn)
    shuffled = powers[:]
    shuffle.shuffle(shuffled)
    results = []
    for name, ordered in (("a", powers), ("b", shuffled)):
        store = MemoryStore()
        load_workbook(write_csv(tmp_path / name, _government(ordered)), store)
        results.append(_signature(find_overlaps(store)))
    assert results[0] == results[1]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows)
def test_overlaps_are_symmetric(tmp_path: Path, drawn: list) -> None:
    store = MemoryStore()
    load_workbook(write_csv(tmp_path / "s", _government(_random_government(drawn))), store)
    found = find_overlaps(store)
    for overlap in found:
        for department in overlap.departments:
            assert overlap in find_overlaps(store, department=department)
    matrix = overlap_matrix(found)
    assert all(a < b for a, b, _ in matrix)
    for a, b, count in matrix:
        assert count == sum(1 for o in found if a in o.departments and b in o.departments)


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_a_higher_text_threshold_finds_a_subset(tmp_path: Path, threshold: float) -> None:
    functions = [
        ["F1", "某市商务局", "负责全市商品流通和市场运行监测"],
        ["F2", "某市市场监督管理局", "负责全市商品流通市场运行的监测"],
    ]
    low = _overlaps(tmp_path, _government(_general_penalties(), functions), text_threshold=0.3)
    high = _overlaps(tmp_path, _government(_general_penalties(), functions), text_threshold=threshold)
    assert {o.id for o in high} <= {o.id for o in low}
