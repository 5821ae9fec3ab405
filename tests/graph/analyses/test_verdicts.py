"""Verdicts on overlaps: the spec's examples of each verdict, through a workbook and `find_overlaps`,
and the rules one by one on `judge_overlaps` (learned qualifiers, clauses, own inspections)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import MemoryStore
from graph.analyses import (
    DEFAULT_VERDICTS,
    Overlap,
    OverlapVerdict,
    clusters_of,
    find_overlaps,
    overlap_matrix,
    select_overlaps,
)
from graph.analyses.verdicts import Side, core, judge_overlaps
from loaders.workbook import load_workbook
from tests.builders import Sheets, write_xlsx

GOV = "某市人民政府"
DEPARTMENTS = [
    "某市交通运输局",
    "某市农业农村局",
    "某市林业和草原局",
    "某市人力资源和社会保障局",
    "某市医疗保障局",
    "某市生态环境局",
    "某市统计局",
    "某市应急管理局",
]
SEED_LAW = "《中华人民共和国种子法》"


def _overlaps(tmp_path: Path, powers: list[list[str]]) -> list[Overlap]:
    sheets: Sheets = {
        "部门": [["部门名称", "所属政府"], *([name, GOV] for name in DEPARTMENTS)],
        "权责清单": [["事项编码", "权力类型", "权力名称", "实施主体", "设定依据"], *powers],
    }
    store = MemoryStore()
    load_workbook(write_xlsx(tmp_path / "v.xlsx", sheets), store)
    return find_overlaps(store, verdicts=None)


def _one(found: list[Overlap], a: str, b: str) -> Overlap:
    matching = [o for o in found if o.items == tuple(sorted((f"item:{a}", f"item:{b}")))]
    assert len(matching) == 1, [(o.items, o.verdict) for o in found]
    return matching[0]


def test_a_sector_on_one_side_is_a_boundary_naming_the_general_side(tmp_path: Path) -> None:
    basis = "《中华人民共和国大气污染防治法》第一百零六条"
    found = _overlaps(
        tmp_path,
        [
            [
                "CF-1",
                "行政处罚",
                "对使用不符合标准或者要求的船舶用燃油行为的行政处罚",
                "某市交通运输局",
                basis,
            ],
            [
                "CF-2",
                "行政处罚",
                "对渔业船舶使用不符合标准或者要求的渔业船舶用燃油行为的处罚",
                "某市农业农村局",
                basis,
            ],
            ["CF-3", "行政处罚", "对生产经营假种子的处罚", "某市林业和草原局", SEED_LAW + "第七十五条"],
            ["CF-4", "行政处罚", "對生產經營假農作物種子的處罰", "某市农业农村局", SEED_LAW + "第七十五条"],
        ],
    )
    ships, seeds = _one(found, "CF-1", "CF-2"), _one(found, "CF-3", "CF-4")
    assert (ships.verdict, ships.general) == (OverlapVerdict.BOUNDARY, "item:CF-1")
    assert (seeds.verdict, seeds.general) == (OverlapVerdict.BOUNDARY, "item:CF-3")
    assert "渔业" in ships.reason and "某市交通运输局" in ships.reason
    assert (
        "农作物" in seeds.reason
    )  # the qualifier as normalised (the name was written in traditional script)
    assert ships.evidence[-1] == ships.reason


def test_each_side_naming_its_own_sector_is_divided(tmp_path: Path) -> None:
    found = _overlaps(
        tmp_path,
        [
            ["XK-1", "行政许可", "农作物种子生产经营许可", "某市农业农村局", SEED_LAW + "第三十一条"],
            ["XK-2", "行政许可", "林草种子生产经营许可", "某市林业和草原局", SEED_LAW + "第三十一条"],
            ["XK-3", "行政许可", "农业植物检疫证书核发", "某市农业农村局", "《植物检疫条例》第七条"],
            ["XK-4", "行政许可", "林业植物检疫证书核发", "某市林业和草原局", "《植物检疫条例》第七条"],
        ],
    )
    for a, b in (("XK-1", "XK-2"), ("XK-3", "XK-4")):
        overlap = _one(found, a, b)
        assert (overlap.verdict, overlap.general) == (OverlapVerdict.DIVIDED, None)
        assert "各管各的" in overlap.reason


def test_the_general_term_against_a_kind_of_it_is_a_boundary(tmp_path: Path) -> None:
    basis = "《中华人民共和国社会保险法》第五十七条"
    found = _overlaps(
        tmp_path,
        [
            ["QR-1", "行政确认", "社会保险登记", "某市人力资源和社会保障局", basis],
            ["QR-2", "行政确认", "医疗保险登记", "某市医疗保障局", basis],
        ],
    )
    overlap = _one(found, "QR-1", "QR-2")
    assert (overlap.verdict, overlap.general) == (OverlapVerdict.BOUNDARY, "item:QR-1")


def test_the_same_item_with_nothing_between_them_is_an_overlap(tmp_path: Path) -> None:
    basis = "《中华人民共和国安全生产法》第六十五条"
    found = _overlaps(
        tmp_path,
        [
            ["JC-1", "行政检查", "对生产经营单位安全生产情况的监督检查", "某市交通运输局", basis],
            ["JC-2", "行政检查", "对生产经营单位安全生产情况的监督检查", "某市应急管理局", basis],
        ],
    )
    overlap = _one(found, "JC-1", "JC-2")
    assert (overlap.verdict, overlap.general) == (OverlapVerdict.OVERLAP, None)
    assert overlap.reason.startswith("判定为交叉")


def test_different_acts_on_the_same_objects_are_divided(tmp_path: Path) -> None:
    basis = "《中华人民共和国野生植物保护条例》第二十三条"
    found = _overlaps(
        tmp_path,
        [
            ["CF-1", "行政处罚", "对非法采集国家重点保护野生植物的处罚", "某市林业和草原局", basis],
            ["CF-2", "行政处罚", "对非法出售、收购国家重点保护野生植物的处罚", "某市农业农村局", basis],
        ],
    )
    overlap = _one(found, "CF-1", "CF-2")
    assert overlap.verdict is OverlapVerdict.DIVIDED
    assert "采集" in overlap.reason and "出售" in overlap.reason


def test_different_paragraphs_of_one_article_are_divided(tmp_path: Path) -> None:
    law = "《中华人民共和国水污染防治法》第八十九条"
    found = _overlaps(
        tmp_path,
        [
            ["CF-1", "行政处罚", "对船舶未配置防污染设备和器材的处罚", "某市交通运输局", law + "第一款"],
            [
                "CF-2",
                "行政处罚",
                "对船舶未如实记载污染物排放作业记录的处罚",
                "某市农业农村局",
                law + "第二款",
            ],
            ["CF-3", "行政处罚", "对船舶未如实记载污染物排放作业的处罚", "某市交通运输局", law + "第二款"],
        ],
    )
    assert _one(found, "CF-1", "CF-2").verdict is OverlapVerdict.DIVIDED
    assert "第一款" in _one(found, "CF-1", "CF-2").reason
    assert _one(found, "CF-2", "CF-3").verdict is not OverlapVerdict.DIVIDED  # the same paragraph


def test_obstructing_each_ones_own_inspections_is_divided(tmp_path: Path) -> None:
    found = _overlaps(
        tmp_path,
        [
            [
                "CF-1",
                "行政处罚",
                "对拒绝、阻碍监督检查的处罚",
                "某市统计局",
                "《中华人民共和国统计法》第四十一条",
            ],
            [
                "CF-2",
                "行政处罚",
                "对拒绝、阻碍监督检查的处罚",
                "某市生态环境局",
                "《中华人民共和国环境保护法》第六十三条",
            ],
        ],
    )
    overlap = _one(found, "CF-1", "CF-2")
    assert overlap.verdict is OverlapVerdict.DIVIDED
    assert "本部门" in overlap.reason


def test_obstruction_is_always_of_ones_own_inspections() -> None:
    # even when both name the same inspections and cite one article: each department punishes the
    # obstruction of its own inspections; whether the inspections overlap is for the inspection items
    a = _side("a", "对拒绝、阻碍药品现场检查的处罚", "市场监管", parts={"article:1": ()})
    b = _side("b", "对拒绝、阻碍药品现场检查行为的处罚", "卫生健康", parts={"article:1": ()})
    inspections = _side("c", "对药品生产经营企业的现场检查", "市场监管")
    copied = _side("d", "对药品生产经营企业的现场检查", "卫生健康")
    verdicts = [j.verdict for j in judge_overlaps([(a, b), (inspections, copied)], {})]
    assert verdicts == [OverlapVerdict.DIVIDED, OverlapVerdict.OVERLAP]


def test_different_sub_items_and_responsible_persons_are_divided() -> None:
    insured = Side("a", "社会保险登记（参保登记）", "行政确认", ("人社",), sub_item="参保登记")
    deregistered = Side("b", "医疗保险登记（注销登记）", "行政确认", ("医保",), sub_item="注销登记")
    registered = Side("c", "医疗保险登记（参保登记）", "行政确认", ("医保",), sub_item="参保登记")
    persons = _side("d", "对单位违法行为直接负有责任的相关人员的处罚", "交通")
    unit = _side("e", "对施工单位偷工减料的处罚", "住建")
    judgements = judge_overlaps([(insured, deregistered), (insured, registered), (persons, unit)], {})
    assert [(j.verdict, j.general) for j in judgements] == [
        (OverlapVerdict.DIVIDED, None),
        (OverlapVerdict.BOUNDARY, "a"),
        (OverlapVerdict.DIVIDED, None),
    ]
    assert "子项" in judgements[0].reason and "责任人员" in judgements[2].reason


def test_the_default_answer_leaves_divided_out_and_clusters_do_not_link_through_it(tmp_path: Path) -> None:
    basis = SEED_LAW + "第三十一条"
    store = MemoryStore()
    sheets: Sheets = {
        "部门": [["部门名称", "所属政府"], *([name, GOV] for name in DEPARTMENTS)],
        "权责清单": [
            ["事项编码", "权力类型", "权力名称", "实施主体", "设定依据"],
            ["XK-1", "行政许可", "农作物种子生产经营许可", "某市农业农村局", basis],
            ["XK-2", "行政许可", "林草种子生产经营许可", "某市林业和草原局", basis],
            ["XK-3", "行政许可", "林草种子生产经营许可", "某市应急管理局", SEED_LAW + "第三十二条"],
        ],
    }
    load_workbook(write_xlsx(tmp_path / "d.xlsx", sheets), store)
    every = find_overlaps(store, verdicts=None)
    shown = find_overlaps(store)
    assert {o.verdict for o in every} == {OverlapVerdict.DIVIDED, OverlapVerdict.OVERLAP}
    assert shown == select_overlaps(every) == [o for o in every if o.verdict in DEFAULT_VERDICTS]
    assert [o.items for o in shown] == [("item:XK-2", "item:XK-3")]
    assert select_overlaps(every, verdicts={OverlapVerdict.DIVIDED}) == [
        o for o in every if o.verdict is OverlapVerdict.DIVIDED
    ]
    # the divided pairs share XK-2 with the shown one, yet form tangles of their own
    shown_clusters = {c.id for c in clusters_of(shown)}
    divided_clusters = {c.id for c in clusters_of(select_overlaps(every, verdicts={OverlapVerdict.DIVIDED}))}
    assert shown_clusters and divided_clusters and not shown_clusters & divided_clusters
    assert len(overlap_matrix(shown)) == 1


def _side(id: str, name: str, department: str, **extra: object) -> Side:
    return Side(id, name, "行政处罚", (department,), government="g", **extra)  # type: ignore[arg-type]


def test_a_qualifier_is_learned_only_when_it_is_its_departments_own_word() -> None:
    # 娱乐场所 is in no lexicon; the first pair differs only by it, the second pair names it on one side
    pairs = [
        (
            _side("a1", "对娱乐场所未按规定安装监控设备的处罚", "公安"),
            _side("b1", "对未按规定安装监控设备的处罚", "文旅"),
        ),
        (
            _side("a2", "对娱乐场所从业人员未按规定登记的处罚", "公安"),
            _side("b2", "对从业人员未按规定登记信息的处罚", "文旅"),
        ),
    ]
    own = {"公安": ["娱乐场所甲", "娱乐场所乙", "娱乐场所丙"], "文旅": ["营业性演出"]}
    everyone = {"公安": ["娱乐场所甲", "娱乐场所乙"], "文旅": ["娱乐场所丙", "娱乐场所丁", "娱乐场所戊"]}
    learned = judge_overlaps(pairs, {}, {"g": own})
    assert [(j.verdict, j.general) for j in learned] == [
        (OverlapVerdict.BOUNDARY, "b1"),
        (OverlapVerdict.BOUNDARY, "b2"),
    ]
    common = judge_overlaps(pairs, {}, {"g": everyone})
    assert [j.verdict for j in common] == [OverlapVerdict.OVERLAP, OverlapVerdict.OVERLAP]


def test_parts_that_contain_one_another_do_not_divide() -> None:
    article = "article:x"
    whole = _side("a", "对甲行为的处罚", "甲局", parts={article: ("第一款",)})
    item = _side("b", "对甲行为的处罚", "乙局", parts={article: ("第一款第二项",)})
    other = _side("c", "对甲行为的处罚", "丙局", parts={article: ("第二款",)})
    verdicts = [j.verdict for j in judge_overlaps([(whole, item), (whole, other)], {})]
    assert verdicts == [OverlapVerdict.OVERLAP, OverlapVerdict.DIVIDED]


def test_a_declared_joint_item_is_an_overlap() -> None:
    joint = Side("x", "对乙行为的处罚", "行政处罚", ("甲局", "乙局"))
    [judgement] = judge_overlaps([(joint,)], {"甲局": "某市甲局", "乙局": "某市乙局"})
    assert judgement.verdict is OverlapVerdict.OVERLAP
    assert "某市甲局、某市乙局" in judgement.reason


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("对使用不符合标准或者要求的船舶用燃油行为的行政处罚", "使用不符合标准要求船舶用燃油"),
        ("對農作物種子生產經營許可", "农作物种子生产经营"),
        ("负责全市农田水利建设和管理，指导农田灌溉排水工作", "负责全市农田水利建设管理指导农田灌溉排水工作"),
    ],
)
def test_the_core_of_a_name(name: str, expected: str) -> None:
    assert core(name) == expected


def test_functions_of_a_small_city_differing_in_wording_only_are_an_overlap() -> None:
    a = Side("f1", "负责全市农田水利建设和管理，指导农田灌溉排水工作", None, ("农业农村",))
    b = Side("f2", "负责全市农田水利设施建设与管理，指导农村灌溉排水工作", None, ("水利",))
    [judgement] = judge_overlaps([(a, b)], {})
    assert judgement.verdict is OverlapVerdict.OVERLAP


def test_a_qualifier_learned_in_one_government_is_not_used_in_another() -> None:
    """A government's overlaps are its own: what its lists teach does not judge another's pairs (so that a
    province analysed government by government answers as analysed at once)."""

    def side(id: str, name: str, department: str, government: str) -> Side:
        return Side(id, name, "行政处罚", (department,), government=government)  # type: ignore[arg-type]

    taught = (
        side("a1", "对娱乐场所未按规定安装监控设备的处罚", "公安", "g1"),
        side("b1", "对未按规定安装监控设备的处罚", "文旅", "g1"),
    )
    elsewhere = (
        side("a2", "对娱乐场所从业人员未按规定登记的处罚", "公安2", "g2"),
        side("b2", "对从业人员未按规定登记信息的处罚", "文旅2", "g2"),
    )
    own = {"g1": {"公安": ["娱乐场所甲", "娱乐场所乙", "娱乐场所丙"], "文旅": ["营业性演出"]}}
    together = judge_overlaps([taught, elsewhere], {}, own)
    assert together[0].verdict is OverlapVerdict.BOUNDARY  # learned in g1, used in g1
    assert together[1].verdict is OverlapVerdict.OVERLAP  # not in g2
    assert judge_overlaps([elsewhere], {}, own)[0] == together[1]
