"""How long a text search of the power items takes, in the code order and in the relevance order.

    python bench/generate.py --items 100000 --out /tmp/quanze-bench/100000
    python bench/search.py /tmp/quanze-bench/100000 --runs 5

Loads the workbook (a folder of .csv sheets, or an .xlsx) into a memory store, then for each query
prints how many items match and the best and median seconds of `list_power_items` with `sort` CODE and
RELEVANCE: both check every candidate once; RELEVANCE ranks each as it is checked and sorts the matches
on (rank, id) where CODE sorts them on id, so the two differ by a constant, not in how they grow.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from graph.memory import MemoryStore
from graph.queries import PowerItemSort, list_power_items
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import NodeKind

#: a word most items hold, one many do, one few do, a part of codes, and one in traditional script
QUERIES = ("许可", "处罚", "建筑垃圾", "-001", "營業執照")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("workbook", nargs="?", type=Path, default=DEMO_WORKBOOK)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    store = MemoryStore()
    load_workbook(args.workbook, store)
    print(f"{args.workbook.name}: {store.count(NodeKind.POWER_ITEM)} power items, {args.runs} runs")
    for text in QUERIES:
        line = [f"  {text:10}"]
        for sort in PowerItemSort:
            seconds = []
            for _ in range(args.runs):
                started = time.perf_counter()
                found = list_power_items(store, text=text, sort=sort)
                seconds.append(time.perf_counter() - started)
            line.append(f"{sort.value} best {min(seconds):6.3f} s median {statistics.median(seconds):6.3f} s")
        print(f"{line[0]} {len(found):7} found   " + "   ".join(line[1:]))


if __name__ == "__main__":
    main()
