"""How the overlap verdicts score on the pairs judged by hand (tests/graph/analyses/data/overlaps_judged.tsv).

    python bench/verdicts.py                 # every source, the top 20 of the Karamay lists
    python bench/verdicts.py --top 40

Loads the sources of the judged file (the Karamay lists when ../shared/data is beside the
repository, the invented lists and the small city of tests/graph/analyses/invented_lists.py written
into a temporary folder), runs `find_overlaps` with its default thresholds and every verdict, and
prints, as Markdown, per source and over all of them: the confusion table of the hand label against
quanze's verdict (`not found` when quanze offers no overlap for the pair); the precision of the
default answer (verdict `OVERLAP` or `BOUNDARY`), counting the labels `OVERLAP` and `BOUNDARY` as
right; its recall, of the `OVERLAP` and `BOUNDARY` pairs found ("still shown") and of all those
judged; per label, the share of the pairs found that get that verdict; the share of `BOUNDARY`
verdicts naming the judged general side; the `LEVEL_COPY` pairs found (must be none) and the pairs
shown that nobody judged. Then the top overlaps of the Karamay lists by score, with verdict and label.
The scoring is tests/graph/analyses/judged.py, which the tests of the targets use too.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the judged set and its scoring live with the tests

from graph.analyses import Overlap  # noqa: E402
from graph.memory import MemoryStore  # noqa: E402
from tests.graph.analyses.judged import (  # noqa: E402
    LABELS,
    NOT_FOUND,
    Judgement,
    Pair,
    Score,
    found_pairs,
    judged_stores,
    read_judged,
    score,
)

VERDICTS = ("OVERLAP", "BOUNDARY", "DIVIDED", NOT_FOUND)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--top", type=int, default=20, help="how many Karamay overlaps to list (default 20)")
    args = parser.parse_args()

    judged = read_judged()
    with tempfile.TemporaryDirectory() as folder:
        stores = judged_stores(Path(folder))
    found = {source: found_pairs(store) for source, store in stores.items()}
    if "karamay" not in found:
        print("(the shared data is not beside the repository: the Karamay lists are left out)\n")
    for source in sorted(found):
        _report(
            f"{source}: {sum(j.source == source for j in judged)} judged pairs",
            score(judged, {source: found[source]}),
        )
    _report(f"all sources: {sum(j.source in found for j in judged)} judged pairs", score(judged, found))
    if "karamay" in stores:
        _top(stores["karamay"], found["karamay"], _labels(judged, "karamay"), args.top)


def _labels(judged: list[Judgement], source: str) -> dict[Pair, str]:
    return {j.pair: j.label for j in judged if j.source == source}


def _report(title: str, result: Score) -> None:
    table = result.confusion()
    print(f"## {title}\n")
    print("| label \\ verdict | " + " | ".join(VERDICTS) + " | total |")
    print("|---|" + "---:|" * (len(VERDICTS) + 1))
    for label in LABELS:
        counts = table[label]
        print(f"| {label} | " + " | ".join(str(counts[v]) for v in VERDICTS) + f" | {sum(counts.values())} |")
    print()
    print(
        f"- precision of the default answer (OVERLAP, BOUNDARY): {result.precision:.3f} of {len(result.shown)} shown"
    )
    print(f"- recall, of the OVERLAP and BOUNDARY pairs found: {result.recall:.3f}")
    print(f"- recall, of every OVERLAP and BOUNDARY pair judged: {result.recall_of_judged:.3f}")
    for label in LABELS[:3]:
        print(f"- {label} pairs found given {label}: {result.verdict_recall(label):.3f}")
    print(
        f"- BOUNDARY verdicts on BOUNDARY pairs naming the judged general side: {result.general_side_right:.3f}"
    )
    print(f"- LEVEL_COPY pairs found: {len(result.level_copies_found)}")
    print(f"- pairs shown by default that are not judged: {len(result.unjudged)}")
    for source, overlap in result.unjudged:
        print(f"  - {source}: {' / '.join(overlap.subjects)} ({overlap.verdict.value}, {overlap.score:.2f})")
    print()


def _top(store: MemoryStore, found: dict[Pair, Overlap], labels: dict[Pair, str], top: int) -> None:
    print(f"## The top {top} overlaps of the Karamay lists by score\n")
    print("| # | score | verdict | label | kinds | departments | subjects |")
    print("|---:|---:|---|---|---|---|---|")
    ranked = sorted(found.items(), key=lambda kv: (-kv[1].score, kv[1].id))[:top]
    for rank, (pair, overlap) in enumerate(ranked, start=1):
        departments = " / ".join(_short(store, d) for d in overlap.departments)
        names = " / ".join(_name(store, s) for s in pair)
        kinds = ", ".join(kind.value for kind in overlap.kinds)
        label = labels.get(pair, "not judged")
        print(
            f"| {rank} | {overlap.score:.2f} | {overlap.verdict.value} | {label} | {kinds} | {departments} | {names} |"
        )
    print()


def _short(store: MemoryStore, department: str) -> str:
    node = store.node(department)
    return str(node["name"]).removeprefix("克拉玛依市") if node else department


def _name(store: MemoryStore, subject: str) -> str:
    node = store.node(subject)
    return str(node.get("name") or node.get("text")) if node else subject


if __name__ == "__main__":
    main()
