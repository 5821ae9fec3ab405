"""How long loading a workbook takes: reading the cells, building the graph, writing the store.

    python bench/load.py                     # the demo workbook, best of 5
    python bench/load.py path/to/book.xlsx --runs 3

Prints one line per phase (best of the runs, in seconds) and the whole load.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from graph.memory import MemoryStore
from loaders.demo import DEMO_WORKBOOK
from loaders.tables import read_tables
from loaders.workbook import load_workbook, read_workbook


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("workbook", nargs="?", type=Path, default=DEMO_WORKBOOK)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    phases: dict[str, list[float]] = {
        "read cells": [],
        "read workbook (cells + graph)": [],
        "load into memory store": [],
    }
    for _ in range(args.runs):
        started = time.perf_counter()
        read_tables(args.workbook)
        phases["read cells"].append(time.perf_counter() - started)
        started = time.perf_counter()
        graph = read_workbook(args.workbook)
        phases["read workbook (cells + graph)"].append(time.perf_counter() - started)
        started = time.perf_counter()
        report = load_workbook(args.workbook, MemoryStore())
        phases["load into memory store"].append(time.perf_counter() - started)
    print(f"{args.workbook.name}: {len(graph.nodes)} nodes, {report.edges} edges, {args.runs} runs")
    for phase, seconds in phases.items():
        print(f"  {phase:32} best {min(seconds):6.3f} s   median {statistics.median(seconds):6.3f} s")


if __name__ == "__main__":
    main()
