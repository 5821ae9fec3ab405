"""Pairs of short texts that say nearly the same thing, found exactly and without comparing all pairs.

The overlap analysis reports two power items (or two department functions) of one government as
`SIMILAR_TEXT` when their wording is close: `对单用途商业预付卡发卡企业违规发卡行为的检查` and
`对单用途商业预付卡发卡企业违规发卡的检查`. This module finds every such pair.

The measure
-----------
A text's tokens are the *set* of character bigrams of its `normalize`d form (simplified script,
half-width, no whitespace) with punctuation and brackets dropped, so `食品（经营）` and `食品經營`
have the same tokens; a one-character text has that character as its only token, and a text with no
letter, digit or ideograph has no tokens and is similar to nothing. The similarity of two texts is
the weighted Jaccard index of their token sets, `Σ shared / Σ union`; with `weights="none"` every
token weighs 1 and it is the plain Jaccard index.

A token weighs its smoothed inverse document frequency among the texts of its block *and* the
reference corpus's texts of the block's kind (`graph.corpus`: the bigrams of real published lists,
shipped with quanze): with N those texts and df those holding the token, `log((N + 1) / (df + 1)) + 1`
(the smoothed IDF of scikit-learn's TfidfVectorizer), rounded to a multiple of 2**-24 so that every
sum of weights is exact and no score depends on the order it was added up in. A bigram every list
uses (`处罚` among penalties, `负责` among functions) weighs 1, one no text has used about 1 + log N.
Counted in a block alone, the weights of a small city are noise: among two texts every shared bigram
weighs least and every difference most. The reference corpus (1,805 penalty names, 1,175 functions
and duties …) outweighs a small block and is outweighed by a province's, so a city's weights are
nearly the lists' and a province's nearly its own. Chosen by measuring (docs/benchmarks.md): counted
in the block alone, the weights leave near-identical names of a small city apart; in the reference
alone, or in one corpus for every kind, they let a generated province's template texts
(`对在{X}工作中做出突出贡献的单位和个人的奖励`) pair, as a power type's names and functions are
different registers: each kind has its own counts. Counting over every block of a call gave the same
figures, but a government's scores would then depend on what else is loaded, and every block's tokens
would be held at once. Of the floors measured (0.001, 1, 2, 4), 1 alone kept the planted province
exact at 100,000 items; a larger one tends to plain Jaccard.

    >>> similarity("负责全市食品安全监督管理工作", "負責全市食品安全監督管理工作")
    1.0
    >>> round(similarity("对单用途商业预付卡发卡企业违规发卡行为的检查", "对单用途商业预付卡发卡企业违规发卡的检查"), 4)
    0.8095

How the pairs are found (and why none is missed)
------------------------------------------------
`similar_pairs` is the AllPairs / PPJoin prefix filter (Bayardo et al. 2007, Xiao et al. 2008)
for weighted Jaccard. Within a block every token gets a place in one global order, heaviest first,
ties by rarity in the block, then by the token's characters, and every text lists its tokens in that order. Write `w(·)` for a
sum of weights, `W_x = w(x)`, `I = w(x ∩ y)`, and `J = I / (W_x + W_y − I)` for a threshold `t`.

1. *Prefix.* The probing prefix `P(x)` is the shortest head of `x` whose tail `S(x) = x − P(x)`
   weighs `w(S(x)) < t·W_x`. Claim: if `J(x, y) ≥ t` then `P(x)` and `P(y)` share a token. Suppose
   not, and let `p_x`, `p_y` be the last tokens of the two prefixes, say `p_x ≤ p_y` in the order. A
   token `u` in both texts that lies in `P(x)` has `u ≤ p_x ≤ p_y`, so it lies in `P(y)` too, which
   was excluded; so every shared token lies in `S(x)`, and `I ≤ w(S(x)) < t·W_x ≤ t·w(x ∪ y)`, that
   is `J < t`. The case `p_y < p_x` is the same with the texts swapped. Any longer prefix keeps
   the argument, so the prefixes are cut with a safety margin of 1e-9 against rounding.
2. *Index prefix.* Texts are visited by increasing weight and each probes the texts visited
   before it, so a text `y` in the index is never heavier than the text `x` probing it. `J ≥ t`
   means `I ≥ t/(1+t)·(W_x + W_y) ≥ 2t/(1+t)·W_y`, so `y` is indexed under the shorter prefix
   with `w(S(y)) < 2t/(1+t)·W_y`. The argument of 1 goes through: when the shared tokens all lie
   in `S(y)`, `I ≤ w(S(y)) < 2t/(1+t)·W_y ≤ t/(1+t)·(W_x + W_y)`, that is `J < t`.
3. *Size.* `J ≤ min(W_x, W_y) / max(W_x, W_y)`, so `J ≥ t` needs `W_y ≥ t·W_x`; postings are
   kept in visiting order, hence by weight, and lighter ones are cut off with a bisection.
4. *Position.* A candidate is first met through the first token the two texts share in the
   order (an earlier shared token would be in both prefixes and would have met it first), so
   `I` is at most the weight of either text from that token on; a candidate whose bound is below
   `t/(1+t)·(W_x + W_y)` cannot reach `t` and is dropped without being verified.
5. *Verification.* What survives, and is not of the same group, is scored exactly, with the
   same sums as `similarity`, and kept when the score is at least `t`.

Filters 1–4 drop only pairs that provably score below `t`, and 5 is the definition, so the result is
the brute-force result at the same threshold; the tests check exactly that.

What the caller should know
---------------------------
- Short texts rarely pair. One changed character changes two bigrams: under plain Jaccard a text
  of n characters with one changed inside it scores (n − 3)/(n + 1), 0.33 at five characters,
  0.6 only from nine; a change at either end costs one bigram. Two one-character texts pair only
  when they are the same character, and a one-character text never pairs with a longer one.
- IDF cannot make every near-identical pair score as plain Jaccard does. The bigrams a text shares
  with a close variant are mostly common words (`负责全市`, `管理`, `工作`) and its differences mostly
  rare junctions (`利设`, `设与`), which any document frequency weighs more: `负责全市农田水利建设和管理，
  指导农田灌溉排水工作` and `负责全市农田水利设施建设与管理，指导农村灌溉排水工作` score 0.61 plain, 0.57
  in a city of twelve functions (0.46 when counted in the block alone), and no other pair of that city
  reaches 0.25.
- The weights are counted per block and kind, so the same two texts can score differently in two
  blocks, but a block's scores do not depend on the other blocks or on what else is loaded; use
  `idf_weights` over a block's texts and kind to reproduce a score with `similarity`.
- The cyclic garbage collector is paused during a call (see `graph.collector`). A province,
  a million texts in 200 blocks, takes about 25 s of one core (bench/similarity.py) and about 50 MB
  beyond the texts and the pairs found. Time grows linearly with the number of blocks and faster
  with the size of a block: the same 100,000 texts take 2 s in 20 blocks and 40 s in one.
- `shared` is computed on the normalised texts and then cut out of `a` as written (traditional
  script, full-width brackets, and any line break inside the phrase as in the source); when OpenCC
  changes the length of `a` (it does not for ordinary text) the normalised phrase is given instead.
"""

from __future__ import annotations

import math
import re
import sys
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import TypeVar

from graph.collector import collector_paused
from graph.corpus import ReferenceCorpus, reference_corpus
from graph.errors import QuanzeError
from graph.text import fold_width, normalize, to_simplified

__all__ = ["SimilarPair", "Text", "idf_weights", "similar_pairs", "similarity", "tokens", "tokens_of"]


@dataclass(frozen=True, slots=True)
class Text:
    """One text to compare: only texts of the same `block` and `kind` are compared, never two of one
    `group`. The kind says what the text is (a power type for an item's name, `职能` for a function):
    the weights of its bigrams are counted among texts of its kind."""

    id: str
    text: str
    block: str
    group: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class SimilarPair:
    """Two similar texts: `a` is the smaller id, `shared` the phrases they share as written in `a`."""

    a: str
    b: str
    score: float
    shared: tuple[str, ...]


def tokens(text: str) -> list[str]:
    """The character bigrams of `text`, in order: what the similarity is measured on.

    The text is `normalize`d and stripped of everything but letters, digits and ideographs;
    a one-character text gives that character, an empty one nothing. The measure uses the set.

    >>> tokens("食品（經營）")
    ['食品', '品经', '经营']
    >>> tokens("药")
    ['药']
    """
    return _bigrams(_DROP.sub("", normalize(text)))


def tokens_of(texts: list[str]) -> list[list[str]]:
    """`tokens` of each text, normalised in one pass over all of them (much faster for many texts).

    >>> tokens_of(["食品（經營）", "药"])
    [['食品', '品经', '经营'], ['药']]
    """
    return [_bigrams(_DROP.sub("", normal)) for normal in _normalized(texts)]


def idf_weights(
    texts: Iterable[str], kind: str = "", reference: ReferenceCorpus | None = None
) -> dict[str, float]:
    """Each token's weight among `texts` of `kind`: `log((N + 1) / (df + 1)) + 1`, where N counts
    `texts` and the reference corpus's texts of `kind` (the shipped one unless given), and df those of
    them holding the token; rounded to a multiple of 2**-24.

    These are the weights `similar_pairs` gives a block made of `texts` of `kind`.

    >>> weights = idf_weights(["对未取得食品经营许可从事食品经营活动的处罚", "对擅自占用城市道路行为的处罚"], "行政处罚")
    >>> [round(weights[token], 2) for token in ("处罚", "道路", "占用")]  # in 1,807, 43 and 5 of the 1,807 texts
    [1.0, 4.72, 6.71]
    """
    corpus = reference_corpus() if reference is None else reference
    sets = [set(tokens(text)) for text in texts]
    frequency = Counter(chain.from_iterable(sets))
    known = corpus.frequency.get(kind, {})
    for token in frequency:
        frequency[token] += known.get(token, 0)
    return _idf(len(sets) + corpus.documents.get(kind, 0), frequency)


def similarity(a: str, b: str, weights: Mapping[str, float] | None = None) -> float:
    """The weighted Jaccard index of the token sets of `a` and `b`, in [0, 1] (not rounded).

    Without `weights` every token weighs 1 (plain Jaccard); a token missing from `weights` weighs 1.
    A text without tokens is similar to nothing (0.0), not even to itself.

    >>> similarity("食品经营许可", "食品经营许可证")
    0.8333333333333334
    >>> similarity("食品", "")
    0.0
    """
    set_a, set_b = set(tokens(a)), set(tokens(b))
    if not set_a or not set_b:
        return 0.0
    if weights is None:
        shared = len(set_a & set_b)
        return shared / (len(set_a) + len(set_b) - shared)
    weight = weights.get
    shared_weight = math.fsum(weight(token, 1.0) for token in set_a & set_b)
    union = math.fsum(weight(token, 1.0) for token in set_a | set_b)
    return shared_weight / union if union > 0 else 0.0


def similar_pairs(
    texts: Iterable[Text],
    threshold: float = 0.6,
    *,
    weights: str = "idf",
    reference: ReferenceCorpus | None = None,
) -> list[SimilarPair]:
    """Every pair of texts of one block and kind and of different groups whose similarity is
    `threshold` or more.

    Returns the pairs sorted by falling score, then `a`, then `b`; the score is rounded to 4
    places, the comparison with `threshold` is made before rounding. `weights` is `"idf"` (inverse
    document frequency among the block's texts and the reference corpus's texts of their kind:
    `idf_weights`; the shipped corpus unless `reference` is given) or `"none"` (plain Jaccard). A text given twice is taken once. Raises `QuanzeError` for a threshold
    outside (0, 1], an unknown `weights`, or one id given with two different texts, blocks, groups or
    kinds.

    >>> pairs = similar_pairs([
    ...     Text("item:1", "对未取得食品经营许可从事食品经营活动的处罚", "巴中市", "市场监督管理局"),
    ...     Text("item:2", "對未取得食品經營許可從事食品經營活動的處罰", "巴中市", "商务局"),
    ...     Text("item:3", "对未取得食品经营许可从事食品经营活动的处罚", "巴中市", "市场监督管理局"),
    ... ])
    >>> [(pair.a, pair.b, pair.score) for pair in pairs]
    [('item:1', 'item:2', 1.0), ('item:2', 'item:3', 1.0)]
    >>> pairs[0].shared
    ('对未取得食品经营许可从事食品经营活动的处罚',)
    """
    if not 0 < threshold <= 1:
        raise QuanzeError(f"a similarity threshold must be in (0, 1], not {threshold!r}")
    if weights not in ("idf", "none"):
        raise QuanzeError(f"unknown weights {weights!r}: choose 'idf' or 'none'")
    blocks: dict[tuple[str, str], list[Text]] = {}
    for text in texts:
        blocks.setdefault((text.block, text.kind), []).append(text)
    ordered = [_distinct(blocks.pop(key)) for key in sorted(blocks)]
    _check_one_block_each(ordered)
    if weights == "idf":
        weigh = _corpus_weights(reference_corpus() if reference is None else reference)
    else:
        weigh = _plain_weights
    found: list[SimilarPair] = []
    with collector_paused():
        known = _KnownTokens(text.text for block in ordered for text in block)
        for block in ordered:
            found.extend(_block_pairs(block, threshold, weigh, known))
    found.sort(key=_pair_order)
    return found


# --- private ---------------------------------------------------------------------------------

_DROP = re.compile(r"[\W_]+")  # everything but letters, digits and ideographs (str.isalnum)
_SEPARATOR = "\ue000"  # joins a block's texts for one pass of normalisation; private use, never alnum
_DROP_KEEPING_SEPARATOR = re.compile(r"[^\w\ue000]+|_+")
_SPACE = re.compile(r"\s+")
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]+")  # what fold_width changes
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"  # one machine word a character
_IDF_FLOOR = 1.0  # a token in every text still weighs 1: the smoothed IDF of scikit-learn's TfidfVectorizer
_QUANTUM = 2.0**24  # weights are multiples of 1/_QUANTUM: sums of them are exact in a double
_MARGIN = 1 - 1e-9  # filters keep a little more than the bounds ask, against rounding
_MAX_SHARED = 5
_Token = TypeVar("_Token", str, int)


_by_id = attrgetter("id")


def _pair_order(pair: SimilarPair) -> tuple[float, str, str]:
    return (-pair.score, pair.a, pair.b)


def _distinct(block: list[Text]) -> list[Text]:
    """`block` sorted by id, each text once; raises `QuanzeError` for an id with two texts."""
    block.sort(key=_by_id)
    if len(set(map(_by_id, block))) == len(block):
        return block
    distinct = [block[0]]
    for text in block[1:]:
        if text.id != distinct[-1].id:
            distinct.append(text)
        elif text != distinct[-1]:
            raise QuanzeError(f"text {text.id!r} is given twice, differently: {distinct[-1]!r} and {text!r}")
    return distinct


def _check_one_block_each(blocks: list[list[Text]]) -> None:
    """Raises `QuanzeError` when one id is in two blocks."""
    ids: set[str] = set()
    for block in blocks:
        ids.update(map(_by_id, block))
    if len(ids) == sum(map(len, blocks)):
        return
    where: dict[str, Text] = {}
    for text in chain.from_iterable(blocks):
        other = where.setdefault(text.id, text)
        if other is not text:
            raise QuanzeError(f"text {text.id!r} is given in two blocks: {other!r} and {text!r}")


def _bigrams(text: str) -> list[str]:
    if len(text) < 2:
        return [text] if text else []
    return [text[i : i + 2] for i in range(len(text) - 1)]


def _idf(count: int, frequency: Mapping[_Token, int]) -> dict[_Token, float]:
    """`log((count + 1) / (df + 1)) + 1` for each token's df, rounded to a multiple of 2**-24."""
    weight = _IdfOf(count)
    return {token: weight[df] for token, df in frequency.items()}


class _IdfOf(dict[int, float]):
    """`log((count + 1) / (df + 1)) + 1` of each df looked up, rounded to a multiple of 2**-24: computed once
    a df, as the tokens of a block share a few hundred of them."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def __missing__(self, df: int) -> float:
        weight = self[df] = round((math.log((self.count + 1) / (df + 1)) + _IDF_FLOOR) * _QUANTUM) / _QUANTUM
        return weight


def _normalized(texts: list[str]) -> list[str]:
    """`normalize` of each text, in one pass of the converter over the whole block."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:
        return [normalize(text) for text in texts]
    folded = _FULL_WIDTH.sub(_fold_width, joined)  # fold_width, touching only what it changes
    normal = _SPACE.sub("", to_simplified(folded)).split(_SEPARATOR)
    return normal if len(normal) == len(texts) else [normalize(text) for text in texts]


def _fold_width(match: re.Match[str]) -> str:
    return fold_width(match.group())


def _bigram_keys(normal: list[str]) -> list[set[int]]:
    """The token set of each normalised text, a token as an integer that stands for its characters.

    The texts, stripped of what is not a letter, digit or ideograph, are laid end to end in UTF-32;
    eight bytes from an even character are the bigram starting there, read as one integer, and
    eight bytes from an odd character the ones starting there: two casts give every bigram of the
    block without making a string of each. A one-character text is that character and a zero.
    """
    joined = _SEPARATOR.join(normal)
    if joined.count(_SEPARATOR) == len(normal) - 1:
        cleaned = _DROP_KEEPING_SEPARATOR.sub("", joined).split(_SEPARATOR)
    else:
        cleaned = [_DROP.sub("", text) for text in normal]
    joined = "".join(cleaned)
    data = memoryview(joined.encode(_UTF32))
    even = data[: len(joined) // 2 * 8].cast("Q").tolist()
    odd = data[4 : 4 + max(len(joined) - 1, 0) // 2 * 8].cast("Q").tolist()
    sets: list[set[int]] = []
    start = 0
    for text in cleaned:
        end = start + len(text)
        if end - start > 1:
            bigrams = set(even[(start + 1) // 2 : end // 2])
            bigrams.update(odd[start // 2 : (end - 1) // 2])
        elif end > start:
            bigrams = {memoryview((text + "\0").encode(_UTF32)).cast("Q")[0]}
        else:
            bigrams = set()
        sets.append(bigrams)
        start = end
    return sets


_Weigh = Callable[[str, int, Mapping[int, int]], dict[int, float]]
"""The weights of a block's tokens, from its kind, its number of texts and its tokens' frequencies."""


def _plain_weights(kind: str, count: int, frequency: Mapping[int, int]) -> dict[int, float]:
    return dict.fromkeys(frequency, 1.0)


def _corpus_weights(reference: ReferenceCorpus) -> _Weigh:
    """`idf_weights` of a block: its frequencies and those of the reference corpus's texts of its kind."""
    keyed: dict[str, dict[int, int]] = {}

    def weigh(kind: str, count: int, frequency: Mapping[int, int]) -> dict[int, float]:
        known = keyed.get(kind)
        if known is None:
            known = keyed[kind] = {_token_key(t): df for t, df in reference.frequency.get(kind, {}).items()}
        seen = known.get
        documents = count + reference.documents.get(kind, 0)
        weight = _IdfOf(documents)
        return {token: weight[df + seen(token, 0)] for token, df in frequency.items()}

    return weigh


def _token_key(token: str) -> int:
    """The integer `_bigram_keys` stands a token by."""
    return int(memoryview(token.ljust(2, "\0").encode(_UTF32)).cast("Q")[0])


class _KnownTokens:
    """The normalised form and token set of each text that several blocks hold, made once: the same
    standard item is listed by every county of a province (a million items of 200 governments hold
    about 140,000 texts). A text is kept until the last block holding it has taken it."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.left = Counter(texts)  # blocks still to take each text
        self.known: dict[str, tuple[str, set[int]]] = {}

    def of(self, texts: list[str]) -> tuple[list[str], list[set[int]]]:
        """The normalised forms of `texts` and their token sets (`_bigram_keys`), which must not be changed."""
        known, left = self.known, self.left
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        normal = _normalized(missing)
        made = dict(zip(missing, zip(normal, _bigram_keys(normal), strict=True), strict=True))
        found = [known.get(text) or made[text] for text in texts]
        for text in dict.fromkeys(texts):
            left[text] -= 1
            if left[text] > 0 and text in made:
                known[text] = made[text]
            elif not left[text]:
                del left[text]
                known.pop(text, None)
        return [pair[0] for pair in found], [pair[1] for pair in found]


def _block_pairs(
    texts: list[Text], threshold: float, weigh: _Weigh, known: _KnownTokens
) -> list[SimilarPair]:
    """The similar pairs of one block (of one kind), its tokens weighing what `weigh` gives them;
    `texts` are sorted by id and have distinct ids."""
    normal, bigram_sets = known.of([text.text for text in texts])
    frequency = Counter(chain.from_iterable(bigram_sets))
    weight_of = weigh(texts[0].kind, len(texts), frequency)
    # the global order: heaviest first, then rarest in the block, then by key (stable sorts, all in C);
    # with equal weights (plain Jaccard) the rarest come first, which keeps the prefixes selective
    vocabulary = sorted(sorted(frequency), key=frequency.__getitem__)
    vocabulary.sort(key=weight_of.__getitem__, reverse=True)
    rank = {token: place for place, token in enumerate(vocabulary)}
    weight = list(map(weight_of.__getitem__, vocabulary))
    ranked = [sorted(map(rank.__getitem__, bigrams)) for bigrams in bigram_sets]
    total = [sum(map(weight.__getitem__, ranks)) for ranks in ranked]
    del frequency, vocabulary, rank, bigram_sets, weight_of
    group_of: dict[str, int] = {}
    group = [group_of.setdefault(text.group, len(group_of)) for text in texts]
    matches = _join(ranked, total, weight, group, threshold)
    del ranked, total, weight
    pairs = []
    places: dict[int, list[int] | None] = {}
    for x, y, score in matches:
        first, second = (x, y) if x < y else (y, x)  # texts are sorted by id
        written, spans = texts[first].text, _shared_phrases(normal[first], normal[second])
        if first not in places:
            places[first] = _written_places(written, normal[first])
        place = places[first]
        if place is None:
            shared = tuple(normal[first][start:end] for start, end in spans)
        else:
            shared = tuple(written[place[start] : place[end - 1] + 1] for start, end in spans)
        pairs.append(SimilarPair(texts[first].id, texts[second].id, round(score, 4), shared))
    return pairs


def _join(
    ranked: list[list[int]], total: list[float], weight: list[float], group: list[int], threshold: float
) -> list[tuple[int, int, float]]:
    """The pairs (x, y, score) scoring `threshold` or more: the prefix filter of the module docstring.

    `ranked[x]` is text x's tokens as places in the global order, ascending, `weight[place]` a
    token's weight, `total[x]` the weight of text x, and `group[x]` its group.
    """
    # postings[place]: (text, its total, its weight from this place on), in visiting order, hence by
    # total; totals[place] the same totals, to cut off the light ones with a bisection
    postings: list[list[tuple[int, float, float]] | None] = [None] * len(weight)
    totals: list[list[float]] = [[]] * len(weight)  # each replaced by its own list when first used
    met = [-1] * len(ranked)  # met[y] == x: y was already met by x
    lightest_share = threshold * _MARGIN
    pair_share = threshold / (1 + threshold) * _MARGIN
    index_share = 2 * threshold / (1 + threshold) * _MARGIN
    weight_at = weight.__getitem__
    matches: list[tuple[int, int, float]] = []
    for x in sorted(range(len(ranked)), key=total.__getitem__):
        total_x = total[x]
        if not total_x:
            continue
        group_x = group[x]
        set_x: set[int] | None = None  # made for the first candidate verified
        lightest = lightest_share * total_x
        keep = index_share * total_x
        rest = total_x
        for place in ranked[x]:
            if rest < lightest:
                break
            entries = postings[place]
            if entries is None:
                if rest >= keep:
                    postings[place] = [(x, total_x, rest)]
                    totals[place] = [total_x]
                rest -= weight[place]
                continue
            light = bisect_left(totals[place], lightest)
            if light:  # too light for x, and for every later (heavier) text too
                del entries[:light], totals[place][:light]
            for y, total_y, rest_y in entries:
                if met[y] == x:
                    continue
                met[y] = x
                if group[y] == group_x:
                    continue
                if (rest_y if rest_y < rest else rest) < pair_share * (total_x + total_y):
                    continue
                if set_x is None:
                    set_x = set(ranked[x])
                shared = sum(map(weight_at, set_x.intersection(ranked[y])))
                score = shared / (total_x + total_y - shared)
                if score >= threshold:
                    matches.append((x, y, score))
            if rest >= keep:
                entries.append((x, total_x, rest))
                totals[place].append(total_x)
            rest -= weight[place]
    return matches


def _shared_phrases(a: str, b: str) -> list[tuple[int, int]]:
    """Where in `a` the phrases it shares with `b` are, as (start, end), longest first, at most five.

    From each place in `a` the longest run of characters also found in `b` is taken, unless it is
    the tail of the run found from the place before; runs are trimmed of punctuation at both ends,
    kept when two characters or more are left, and dropped when they repeat or lie inside a longer
    one. Longest first, then by place in `a`.
    """
    runs: dict[str, int] = {}  # phrase -> where it first starts in a
    length = 0  # of the run from the place before: all but its first character is in b
    for start in range(len(a) - 1):
        tail = length - 1
        length = max(tail, 0)
        while start + length < len(a) and a[start : start + length + 1] in b:
            length += 1
        if length < 2 or length == tail:
            continue
        left, right = start, start + length
        while left < right and not a[left].isalnum():
            left += 1
        while right > left and not a[right - 1].isalnum():
            right -= 1
        if right - left >= 2:
            runs.setdefault(a[left:right], left)
    kept: list[str] = []
    for phrase in sorted(runs, key=lambda phrase: (-len(phrase), runs[phrase])):
        if not any(phrase in longer for longer in kept):
            kept.append(phrase)
            if len(kept) == _MAX_SHARED:
                break
    return [(runs[phrase], runs[phrase] + len(phrase)) for phrase in kept]


def _written_places(written: str, normal: str) -> list[int] | None:
    """Where each character of `normal` (the normalised `written`) stands in `written`, if it can be told."""
    converted = to_simplified(fold_width(written))
    if len(converted) != len(written):
        return None
    places = [place for place, char in enumerate(converted) if not char.isspace()]
    return places if len(places) == len(normal) else None
