"""The text-similarity engine: the measure, the rules of pairing, and exactness against brute force."""

from __future__ import annotations

import math
import random
from collections import Counter
from itertools import combinations, product
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.corpus import FUNCTION_KIND, ReferenceCorpus, read_corpus, reference_corpus, write_corpus
from graph.errors import QuanzeError
from graph.similarity import SimilarPair, Text, idf_weights, similar_pairs, similarity, tokens, tokens_of
from loaders.reference_corpus import build_corpus

_TRADITIONAL = opencc.OpenCC("s2t")
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"

NAMES = [
    "对未取得食品经营许可从事食品经营活动的处罚",
    "对食品生产经营者未按规定建立进货查验记录制度的处罚",
    "对单用途商业预付卡发卡企业违规发卡行为的检查",
    "对道路运输经营者未按规定维护和检测运输车辆的处罚",
    "对生产经营单位未按规定对从业人员进行安全生产教育和培训的处罚",
    "危险化学品经营许可证核发",
    "对建设单位未取得施工许可证擅自施工的处罚",
    "对违反城市市容和环境卫生管理规定行为的行政处罚",
    "对特种设备使用单位未按规定办理使用登记的处罚",
    "对药品经营企业未按照规定实施药品经营质量管理规范的处罚",
    "烟花爆竹经营（零售）许可",
    "对擅自占用城市道路行为的处罚",
    "负责全市食品安全监督管理工作",
    "负责全市粮食和重要物资储备的宏观调控和统筹规划，拟订储备品种目录并组织实施",
    "负责城市市容环境卫生、园林绿化和市政公用设施的监督管理",
    "拟订全市道路运输行业发展规划并组织实施",
    "对医疗机构使用未经注册的医疗器械的处罚",
    "对出版物发行单位未按规定报送统计资料的处罚",
    "对旅行社未经许可经营出境旅游业务的处罚",
    "对农药经营者未按规定建立采购台账的处罚",
]
FILLERS = "的和及与等其相关有关规定管理工作活动行为单位人员食品药品安全建设"


def _mutated(text: str, rng: random.Random) -> str:
    """`text` with a few characters inserted, deleted or replaced, sometimes in traditional script."""
    chars = list(text)
    for _ in range(rng.randint(0, 4)):
        where = rng.randrange(len(chars))
        roll = rng.random()
        if roll < 0.35:
            chars.insert(where, rng.choice(FILLERS))
        elif roll < 0.7 and len(chars) > 4:
            del chars[where]
        else:
            chars[where] = rng.choice(FILLERS)
    mutated = "".join(chars)
    return str(_TRADITIONAL.convert(mutated)) if rng.random() < 0.15 else mutated


def _kind(name: str) -> str:
    """What a test text is: a function, a penalty item, or nothing the reference corpus knows."""
    if name.startswith(("负责", "拟订")):
        return FUNCTION_KIND
    return "行政处罚" if name.endswith("处罚") else ""


def _corpus(count: int, blocks: int, seed: int) -> list[Text]:
    rng = random.Random(seed)
    texts = []
    for number in range(count):
        name = rng.choice(NAMES)
        texts.append(
            Text(
                f"item:{number:05d}",
                _mutated(name, rng),
                f"gov:{number % blocks}",
                f"dept:{rng.randrange(8)}",
                _kind(name),
            )
        )
    return texts


def _idf(texts: list[str], kind: str, reference: ReferenceCorpus) -> dict[str, float]:
    """IDF as the module documents it, computed here independently."""
    frequency = Counter(token for text in texts for token in set(tokens(text)))
    known = reference.frequency.get(kind, {})
    count = len(texts) + reference.documents.get(kind, 0)
    return {
        token: round((math.log((count + 1) / (df + known.get(token, 0) + 1)) + 1) * 2**24) / 2**24
        for token, df in frequency.items()
    }


def _all_scores(
    texts: list[Text], idf: bool, minimum: float = 0.0, reference: ReferenceCorpus | None = None
) -> dict[tuple[str, str], float]:
    """Brute force: every pair of one block and kind and of different groups scored, those of `minimum`
    or more kept; weights counted over the block's texts and the reference corpus's of their kind."""
    corpus = reference_corpus() if reference is None else reference
    scores: dict[tuple[str, str], float] = {}
    for block, kind in sorted({(text.block, text.kind) for text in texts}):
        members = [text for text in texts if text.block == block and text.kind == kind]
        weight = _idf([text.text for text in members], kind, corpus) if idf else {}
        sets = [set(tokens(text.text)) for text in members]
        totals = [sum(weight[token] for token in token_set) if idf else len(token_set) for token_set in sets]
        for x, y in combinations(range(len(members)), 2):
            if members[x].group == members[y].group or not sets[x] or not sets[y]:
                continue
            shared = sets[x] & sets[y]
            weight_shared = sum(weight[token] for token in shared) if idf else len(shared)
            score = weight_shared / (totals[x] + totals[y] - weight_shared)
            if score >= minimum:
                scores[(min(members[x].id, members[y].id), max(members[x].id, members[y].id))] = score
    return scores


CORPUS = _corpus(2400, 3, seed=7)


@pytest.fixture(scope="module", params=["idf", "none"])
def brute_force(request: pytest.FixtureRequest) -> tuple[str, dict[tuple[str, str], float]]:
    return request.param, _all_scores(CORPUS, idf=request.param == "idf", minimum=0.5)


def _as_dict(pairs: list[SimilarPair]) -> dict[tuple[str, str], float]:
    return {(pair.a, pair.b): pair.score for pair in pairs}


# --- the measure ---------------------------------------------------------------------------------


def test_tokens_are_bigrams_of_the_normalised_text_without_punctuation() -> None:
    assert tokens("食品（經營）") == ["食品", "品经", "经营"]
    assert tokens("ＡＢ 1") == ["AB", "B1"]
    assert tokens("药") == ["药"]
    assert tokens("（）、") == []


@given(st.lists(st.text(alphabet="食品經营许可證药ＡＢab1１（）、 \n\u3000", max_size=12), max_size=8))
def test_tokens_of_many_texts_are_the_tokens_of_each(texts: list[str]) -> None:
    assert tokens_of(texts) == [tokens(text) for text in texts]


def test_traditional_and_simplified_versions_score_one() -> None:
    simplified = "对未取得食品经营许可从事食品经营活动的处罚"
    traditional = "對未取得食品經營許可從事食品經營活動的處罰"
    assert similarity(simplified, traditional) == 1.0
    pairs = similar_pairs(
        [Text("a", simplified, "gov", "市场监管局"), Text("b", traditional, "gov", "商务局")]
    )
    assert [(pair.a, pair.b, pair.score) for pair in pairs] == [("a", "b", 1.0)]


def test_plain_jaccard_of_bigram_sets() -> None:
    # 食品经营许可: 5 bigrams; 食品经营许可证: the same 5 and 可证
    assert similarity("食品经营许可", "食品经营许可证") == 5 / 6
    assert similarity("食品", "药品") == 0.0
    assert similarity("", "") == 0.0


def test_weights_count_rare_bigrams_more() -> None:
    weights = {"食品": 0.1, "品经": 1.0, "经营": 1.0, "药品": 5.0, "品生": 1.0, "生产": 1.0}
    # shared 食品 weighs little, the rest is different
    assert similarity("食品经营", "药品生产", weights) == 0.0
    assert similarity("食品经营", "食品生产", weights) == pytest.approx(0.1 / 4.1)


def test_idf_weights_follow_the_formula() -> None:
    texts = ["食品经营", "食品生产", "药品生产", "药品经营许可"]
    reference = ReferenceCorpus({"行政许可": 10}, {"行政许可": {"许可": 8, "经营": 3}})
    weights = idf_weights(texts, "行政许可", reference)
    assert weights["食品"] == pytest.approx(math.log(15 / 3) + 1, abs=1e-7)  # in 2 of 14 texts
    assert weights["许可"] == pytest.approx(math.log(15 / 10) + 1, abs=1e-7)  # in 1 + 8 of them
    assert weights["经营"] == pytest.approx(math.log(15 / 6) + 1, abs=1e-7)  # in 2 + 3
    assert all(weight * 2**24 == int(weight * 2**24) for weight in weights.values())
    # a kind the corpus does not know counts the texts alone
    assert idf_weights(texts, "职能", reference)["食品"] == pytest.approx(math.log(5 / 3) + 1, abs=1e-7)


def test_the_shipped_corpus_weighs_a_word_every_list_uses_least() -> None:
    corpus = reference_corpus()
    assert corpus.documents["行政处罚"] > 1000 and corpus.documents[FUNCTION_KIND] > 1000
    weights = idf_weights(["对擅自占用城市道路行为的处罚"], "行政处罚")
    assert weights["处罚"] == min(weights.values()) == pytest.approx(1.0, abs=1e-6)
    assert weights["占用"] > weights["道路"] > weights["处罚"]


@pytest.mark.skipif(not REAL.is_dir(), reason="the shared data is not there")
def test_the_shipped_corpus_is_what_the_shared_lists_give() -> None:
    assert build_corpus(REAL) == reference_corpus()


def test_a_corpus_is_written_and_read_back(tmp_path: Path) -> None:
    corpus = ReferenceCorpus.of(
        {"行政许可": [tokens("食品经营许可"), tokens("药品经营许可"), tokens("食品经营许可")], "职能": []}
    )
    assert corpus.documents == {"行政许可": 3, "职能": 0}
    assert corpus.frequency["行政许可"] == {"品经": 3, "经营": 3, "营许": 3, "许可": 3, "食品": 2}
    write_corpus(corpus, tmp_path / "corpus.tsv")
    assert read_corpus(tmp_path / "corpus.tsv") == corpus
    (tmp_path / "bad.tsv").write_text("行政许可\t许可\n", encoding="utf-8")
    with pytest.raises(QuanzeError, match=r"bad\.tsv, line 1"):
        read_corpus(tmp_path / "bad.tsv")


# --- the rules of pairing ------------------------------------------------------------------------


def test_a_pair_within_one_group_is_never_returned() -> None:
    texts = [
        Text("a", "对未取得食品经营许可从事食品经营活动的处罚", "gov", "市场监管局"),
        Text("b", "对未取得食品经营许可从事食品经营活动的处罚", "gov", "市场监管局"),
        Text("c", "对未取得食品经营许可从事食品经营的处罚", "gov", "商务局"),
    ]
    assert {(pair.a, pair.b) for pair in similar_pairs(texts, 0.5, weights="none")} == {
        ("a", "c"),
        ("b", "c"),
    }


def test_texts_of_different_blocks_are_never_paired() -> None:
    texts = [
        Text("a", "负责全市食品安全监督管理工作", "巴中市", "市场监管局"),
        Text("b", "负责全市食品安全监督管理工作", "南充市", "商务局"),
    ]
    assert similar_pairs(texts, 0.1) == []


def test_pairs_carry_the_smaller_id_first_and_the_shared_phrases_as_written_in_it() -> None:
    texts = [
        Text(
            "z", "负责全市粮食和重要物资储备的统筹规划和宏观调控，拟订储备品种目录并组织实施", "gov", "粮储局"
        ),
        Text(
            "a", "負責全市糧食和重要物資儲備的宏觀調控和統籌規劃，擬訂儲備品種目錄並組織實施", "gov", "发改委"
        ),
    ]
    [pair] = similar_pairs(texts, 0.5, weights="none")
    assert (pair.a, pair.b) == ("a", "z")
    assert pair.shared == (
        "負責全市糧食和重要物資儲備的",
        "擬訂儲備品種目錄並組織實施",
        "宏觀調控",
        "統籌規劃",
    )


def test_shared_phrases_keep_line_breaks_and_width_as_written() -> None:
    texts = [Text("a", "食品经营\n许可（含网络）", "gov", "x"), Text("b", "食品经营许可", "gov", "y")]
    [pair] = similar_pairs(texts, 0.5, weights="none")
    assert pair.shared == ("食品经营\n许可",)


def test_a_text_given_twice_is_taken_once() -> None:
    text = Text("a", "负责全市食品安全监督管理工作", "gov", "市场监管局")
    other = Text("b", "负责全市食品安全监督管理", "gov", "卫健委")
    once = similar_pairs([text, other], 0.5, weights="none")
    assert similar_pairs([text, other, text], 0.5, weights="none") == once
    assert len(once) == 1


def test_one_id_with_two_texts_is_refused() -> None:
    texts = [Text("a", "负责全市食品安全监督管理工作", "gov", "x"), Text("a", "负责全市食品安全", "gov", "x")]
    with pytest.raises(QuanzeError, match="'a' is given twice"):
        similar_pairs(texts)
    texts = [Text("a", "负责全市食品安全", "巴中市", "x"), Text("a", "负责全市食品安全", "南充市", "x")]
    with pytest.raises(QuanzeError, match="'a' is given in two blocks"):
        similar_pairs(texts)


@pytest.mark.parametrize("threshold", [0, -0.1, 1.5, math.nan])
def test_a_threshold_outside_zero_to_one_is_refused(threshold: float) -> None:
    with pytest.raises(QuanzeError, match="threshold must be in"):
        similar_pairs([], threshold)


def test_unknown_weights_are_refused() -> None:
    with pytest.raises(QuanzeError, match="unknown weights 'tfidf'"):
        similar_pairs([], weights="tfidf")


def test_texts_without_tokens_pair_with_nothing() -> None:
    texts = [Text("a", "（）", "gov", "x"), Text("b", "（）", "gov", "y"), Text("c", "", "gov", "z")]
    assert similar_pairs(texts, 0.01) == []


def test_scores_agree_with_similarity_under_the_weights_of_their_block() -> None:
    by_id = {text.id: text for text in CORPUS}
    pairs = similar_pairs(CORPUS, 0.6)
    assert {by_id[pair.a].kind for pair in pairs} == {"", "行政处罚", FUNCTION_KIND}
    for pair in pairs:
        a, b = by_id[pair.a], by_id[pair.b]
        block = [text.text for text in CORPUS if (text.block, text.kind) == (a.block, a.kind)]
        assert pair.score == round(similarity(a.text, b.text, idf_weights(block, a.kind)), 4)


def test_the_scores_of_a_block_do_not_depend_on_the_other_blocks() -> None:
    one = [text for text in CORPUS if text.block == "gov:0"]
    pairs = similar_pairs(one, 0.6)
    assert pairs
    assert pairs == [pair for pair in similar_pairs(CORPUS, 0.6) if pair.a in {text.id for text in one}]


def test_near_identical_names_pair_in_a_block_of_two() -> None:
    # counted among two texts only, every shared bigram would weigh least: the corpus says which are rare
    texts = [
        Text("a", "对未取得食品经营许可从事食品经营活动的处罚", "gov", "市场监督管理局", "行政处罚"),
        Text("b", "对未取得食品经营许可从事食品经营活动行为的行政处罚", "gov", "商务局", "行政处罚"),
    ]
    [pair] = similar_pairs(texts)
    assert pair.score >= 0.7
    assert similar_pairs(texts, reference=ReferenceCorpus()) == []


def test_texts_of_different_kinds_are_never_paired() -> None:
    texts = [
        Text("a", "食品经营许可", "gov", "市场监督管理局", "行政许可"),
        Text("b", "食品经营许可", "gov", "商务局", "行政检查"),
    ]
    assert similar_pairs(texts, 0.1) == []
    assert len(similar_pairs([texts[0], Text("b", "食品经营许可", "gov", "商务局", "行政许可")])) == 1


@pytest.mark.parametrize("weights", ["idf", "none"])
def test_a_pair_scoring_the_threshold_exactly_is_kept_and_one_just_under_it_is_not(weights: str) -> None:
    texts = _corpus(300, 2, seed=11)
    scores = _all_scores(texts, weights == "idf", minimum=0.5)
    distinct = sorted(set(scores.values()))
    assert len(distinct) > 10
    for score in distinct[:: len(distinct) // 6]:
        at = {pair for pair, found in scores.items() if found >= score}
        assert set(_as_dict(similar_pairs(texts, score, weights=weights))) == at
        just_above = {pair for pair in at if scores[pair] > score}
        assert set(_as_dict(similar_pairs(texts, math.nextafter(score, 2.0), weights=weights))) == just_above


@pytest.mark.parametrize("weights", ["idf", "none"])
def test_texts_are_normalised_in_a_block_as_one_by_one(weights: str) -> None:
    # OpenCC converts by phrase: 乾隆 stays, 乾 alone becomes 干; whitespace splits a phrase
    written = [
        "乾隆年間的頭髮",
        "乾 隆年間的頭髮",
        "\ue000乾隆年間",
        "ＡＢＣ食品經營",
        "ABC食品经营",
        "食品\n經營（許可）",
    ]
    texts = [Text(f"t:{number}", text, "gov", f"dept:{number}") for number, text in enumerate(written)]
    expected = {
        pair: round(score, 4) for pair, score in _all_scores(texts, weights == "idf").items() if score > 0
    }
    assert _as_dict(similar_pairs(texts, 1e-9, weights=weights)) == expected


# --- exactness ---------------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.8])
def test_the_pairs_are_exactly_the_brute_force_pairs(
    brute_force: tuple[str, dict[tuple[str, str], float]], threshold: float
) -> None:
    weights, scores = brute_force
    expected = {pair: round(score, 4) for pair, score in scores.items() if score >= threshold}
    found = similar_pairs(CORPUS, threshold, weights=weights)
    assert len(expected) > 100  # the corpus is dense enough for the test to mean something
    assert _as_dict(found) == expected
    assert found == sorted(found, key=lambda pair: (-pair.score, pair.a, pair.b))
    assert all(pair.a < pair.b and pair.shared for pair in found)


@pytest.mark.parametrize("weights", ["idf", "none"])
@pytest.mark.parametrize("threshold", [0.3, 0.5, 2 / 3, 0.75, 1.0])
def test_every_short_text_over_a_few_characters_pairs_as_brute_force_says(
    weights: str, threshold: float
) -> None:
    # every text of one to four characters over four: many bigrams, each shared by many texts
    texts = [
        Text(f"t:{text}", text, "gov", f"dept:{text}")
        for length in range(1, 5)
        for text in map("".join, product("食品经营", repeat=length))
    ]
    expected = {
        pair: round(score, 4)
        for pair, score in _all_scores(texts, weights == "idf").items()
        if score >= threshold
    }
    assert _as_dict(similar_pairs(texts, threshold, weights=weights)) == expected


# --- invariants ----------------------------------------------------------------------------------

CHARACTERS = "食品药经营许可证处罚对未取得从事活动的监督管理負責監督經營藥"
BASES = ["食品经营许可", "药品经营许可证", "对未取得许可从事活动的处罚", "負責監督管理", "经营"]


@st.composite
def near_duplicates(draw: st.DrawFn) -> str:
    """One of a few base texts with a piece cut out and another put in: texts that often pair."""
    base = draw(st.sampled_from(BASES))
    start = draw(st.integers(0, len(base)))
    end = draw(st.integers(start, min(len(base), start + 3)))
    return base[:start] + draw(st.text(alphabet=CHARACTERS, max_size=2)) + base[end:]


short_texts = st.one_of(
    st.text(alphabet=CHARACTERS + "（），、 ", max_size=14),
    st.text(alphabet="食品经营", max_size=5),  # few bigrams, shared by many texts
    near_duplicates(),
)
text_lists = st.lists(
    st.builds(
        Text,
        id=st.sampled_from([f"item:{number}" for number in range(30)]),
        text=short_texts,
        block=st.sampled_from(["gov:1", "gov:2"]),
        group=st.sampled_from(["dept:1", "dept:2", "dept:3"]),
        kind=st.sampled_from(["", "行政许可", FUNCTION_KIND]),
    ),
    max_size=30,
    unique_by=lambda text: text.id,
)


@settings(max_examples=150, deadline=None)
@given(text_lists, st.floats(min_value=0.05, max_value=1.0), st.sampled_from(["idf", "none"]), st.randoms())
def test_the_result_is_brute_force_whatever_the_input_order(
    texts: list[Text], threshold: float, weights: str, rng: random.Random
) -> None:
    found = similar_pairs(texts, threshold, weights=weights)
    expected = {
        pair: round(score, 4)
        for pair, score in _all_scores(texts, weights == "idf").items()
        if score >= threshold
    }
    assert _as_dict(found) == expected
    assert all(0.0 <= pair.score <= 1.0 for pair in found)
    shuffled = list(texts)
    rng.shuffle(shuffled)
    assert similar_pairs(shuffled, threshold, weights=weights) == found


@given(short_texts, short_texts)
def test_similarity_is_symmetric_and_within_zero_and_one(a: str, b: str) -> None:
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0
    weights = idf_weights([a, b, "食品经营"])
    assert similarity(a, b, weights) == similarity(b, a, weights)
    assert 0.0 <= similarity(a, b, weights) <= 1.0


@given(short_texts)
def test_a_text_is_wholly_similar_to_itself(text: str) -> None:
    if tokens(text):
        assert similarity(text, text) == 1.0
        assert similarity(text, text, idf_weights([text, "食品"])) == 1.0
    else:
        assert similarity(text, text) == 0.0
