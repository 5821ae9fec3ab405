"""The overlap candidates judged by hand (data/overlaps_judged.tsv), and how quanze's verdicts score on them.

The judged file holds, per source, every pair quanze offers as a candidate (see its header), each
labelled by hand `OVERLAP`, `BOUNDARY` (with the general side), `DIVIDED` or `LEVEL_COPY`.
`judged_stores` loads the sources into memory stores, `found_pairs` runs `find_overlaps` with its
default thresholds and every verdict, and `score` sets what quanze found beside what was judged:

- the default answer is what the office is shown: the pairs found with a verdict in
  `DEFAULT_VERDICTS` (`OVERLAP`, `BOUNDARY`);
- precision: of the judged pairs in the default answer, the share labelled `OVERLAP` or `BOUNDARY`
  (worth acting on);
- recall, "still shown": of the judged `OVERLAP` and `BOUNDARY` pairs quanze finds (with any
  verdict), the share in the default answer, that is, what the verdicts keep of what the finders
  found; `recall_of_judged` divides by every judged `OVERLAP` and `BOUNDARY` pair instead, found or not;
- per label, the share of the pairs found with that label that get that verdict; for `BOUNDARY`
  labels given `BOUNDARY`, the share naming the judged general side;
- the `LEVEL_COPY` pairs found (an item and its own copy at another level: there must be none), and
  the pairs of the default answer nobody judged (so precision is complete only when there are none).

    stores = judged_stores(tmp_path)
    result = score(read_judged(), {source: found_pairs(store) for source, store in stores.items()})
    result.precision, result.recall, result.confusion()
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph import MemoryStore
from graph.analyses import DEFAULT_VERDICTS, Overlap, find_overlaps
from loaders.sources import load_source
from tests.graph.analyses.invented_lists import write_invented_lists, write_small_city

__all__ = [
    "JUDGED",
    "KARAMAY",
    "LABELS",
    "NOT_FOUND",
    "Judgement",
    "Pair",
    "Score",
    "found_pairs",
    "judged_stores",
    "read_judged",
    "score",
]

JUDGED = Path(__file__).resolve().parent / "data" / "overlaps_judged.tsv"
KARAMAY = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "real" / "karamay-power-lists"
LABELS = ("OVERLAP", "BOUNDARY", "DIVIDED", "LEVEL_COPY")
WORTH_ACTING_ON = frozenset({"OVERLAP", "BOUNDARY"})
NOT_FOUND = "not found"
COLUMNS = ["source", "a", "b", "a_name", "b_name", "label", "general", "reason"]

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Judgement:
    """One pair judged by hand: its source, subjects (a < b) as ids and as written, label and reason."""

    source: str
    a: str
    b: str
    a_name: str
    b_name: str
    label: str
    general: str | None  # for BOUNDARY: the subject naming no qualifier
    reason: str

    @property
    def pair(self) -> Pair:
        return (self.a, self.b)


def read_judged(path: Path = JUDGED) -> list[Judgement]:
    """The judged pairs of `path`, in file order; lines starting with # are comments, then a header.

    Raises `ValueError` for a header other than `COLUMNS` or a row without all its columns."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    header, *rows = (line.split("\t") for line in lines)
    if header != COLUMNS:
        raise ValueError(f"{path}: the header must be {COLUMNS}, not {header}")
    judged = []
    for number, cells in enumerate(rows, start=2):
        if len(cells) != len(COLUMNS):
            raise ValueError(f"{path}: data row {number} has {len(cells)} columns, not {len(COLUMNS)}")
        source, a, b, a_name, b_name, label, general, reason = cells
        judged.append(Judgement(source, a, b, a_name, b_name, label, general or None, reason))
    return judged


def judged_stores(folder: Path) -> dict[str, MemoryStore]:
    """Each source loaded into a store of its own: the Karamay lists when the shared data is beside the
    repository, the invented lists and the small city written into `folder` first."""
    stores: dict[str, MemoryStore] = {}
    if KARAMAY.is_dir():
        stores["karamay"] = _loaded(KARAMAY)
    stores["invented"] = _loaded(write_invented_lists(folder / "invented"))
    stores["smallcity"] = _loaded(write_small_city(folder / "smallcity.xlsx"))
    return stores


def found_pairs(store: MemoryStore) -> dict[Pair, Overlap]:
    """Every overlap of two subjects `find_overlaps` finds with its default thresholds, of any verdict."""
    return {
        (overlap.subjects[0], overlap.subjects[1]): overlap
        for overlap in find_overlaps(store, verdicts=None)
        if len(overlap.subjects) == 2
    }


@dataclass(frozen=True, slots=True)
class Score:
    """The judged pairs of the sources scored, each with the overlap quanze found for it (or None)."""

    rows: tuple[tuple[Judgement, Overlap | None], ...]
    unjudged: tuple[tuple[str, Overlap], ...]  # (source, overlap) shown by default but not judged

    def confusion(self) -> dict[str, Counter[str]]:
        """label -> verdict (or `NOT_FOUND`) -> number of judged pairs."""
        table: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
        for judgement, overlap in self.rows:
            table[judgement.label][NOT_FOUND if overlap is None else overlap.verdict.value] += 1
        return table

    @property
    def shown(self) -> list[Judgement]:
        """The judged pairs of the default answer."""
        return [j for j, o in self.rows if o is not None and o.verdict in DEFAULT_VERDICTS]

    @property
    def precision(self) -> float:
        return _share(sum(j.label in WORTH_ACTING_ON for j in self.shown), len(self.shown))

    @property
    def recall(self) -> float:
        """Of the pairs worth acting on that quanze finds, the share still shown by default."""
        found = [j for j, o in self.rows if o is not None and j.label in WORTH_ACTING_ON]
        return _share(sum(j.label in WORTH_ACTING_ON for j in self.shown), len(found))

    @property
    def recall_of_judged(self) -> float:
        """Of every judged pair worth acting on, found or not, the share shown by default."""
        worth = [j for j, _ in self.rows if j.label in WORTH_ACTING_ON]
        return _share(sum(j.label in WORTH_ACTING_ON for j in self.shown), len(worth))

    def verdict_recall(self, label: str) -> float:
        """Of the pairs labelled `label` that quanze finds, the share given that verdict."""
        found = [o for j, o in self.rows if o is not None and j.label == label]
        return _share(sum(o.verdict.value == label for o in found), len(found))

    @property
    def general_side_right(self) -> float:
        """Of the `BOUNDARY` labels given `BOUNDARY`, the share naming the judged general side."""
        told = [(j, o) for j, o in self.rows if o is not None and j.label == o.verdict.value == "BOUNDARY"]
        return _share(sum(o.general == j.general for j, o in told), len(told))

    @property
    def level_copies_found(self) -> list[Judgement]:
        return [j for j, o in self.rows if o is not None and j.label == "LEVEL_COPY"]


def score(judged: list[Judgement], found: Mapping[str, Mapping[Pair, Overlap]]) -> Score:
    """The judged pairs of the sources in `found` (source -> `found_pairs`) beside what was found."""
    rows = tuple((j, found[j.source].get(j.pair)) for j in judged if j.source in found)
    known = {(j.source, j.pair) for j in judged}
    unjudged = tuple(
        (source, overlap)
        for source, pairs in sorted(found.items())
        for pair, overlap in sorted(pairs.items())
        if overlap.verdict in DEFAULT_VERDICTS and (source, pair) not in known
    )
    return Score(rows, unjudged)


def _loaded(path: Path) -> MemoryStore:
    store = MemoryStore()
    load_source(path, store)
    return store


def _share(part: int, whole: int) -> float:
    """part / whole, and NaN (which meets no target) when there is nothing to divide by."""
    return part / whole if whole else float("nan")
