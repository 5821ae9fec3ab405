"""How long the view builders' counts and pages take on a generated province, the analyses cached.

    python bench/generate.py --items 50000 --out /tmp/quanze-bench/50000
    python bench/counts.py /tmp/quanze-bench/50000 --runs 5

Loads the workbook into a memory store, runs the analyses once (as the service does when it starts),
then times `departmentCounts` (every department with its items, overlaps and gaps), one page of
`overlapsConnection` and `powerTypeCounts` through the schema: the first answer (which builds the
indexes of a store version) and the best and median of the next `--runs`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/counts.py`, this folder comes first on sys.path, and bench/api.py would stand in
# for the project's `api` package: take the folder off the path.
sys.path = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402

from api.cache import AnalysisCache  # noqa: E402
from api.context import Context  # noqa: E402
from api.schema import SCHEMA  # noqa: E402
from graph.memory import MemoryStore  # noqa: E402
from loaders.sources import load_source  # noqa: E402

QUERIES = {
    "departmentCounts": "{ departmentCounts { department { name } itemCount overlapCount gapCount "
    "itemsByPowerType { code count } } }",
    "overlapsConnection": "{ overlapsConnection(first: 50, sort: DEPARTMENT) { totalCount "
    "edges { node { id departments { name } } } } }",
    "powerTypeCounts": "{ powerTypeCounts { code count } }",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a workbook or a folder of .csv sheets")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    store = MemoryStore()
    started = time.perf_counter()
    load_source(args.source, store)
    print(f"load {time.perf_counter() - started:.1f} s")
    cache = AnalysisCache(store)
    started = time.perf_counter()
    cache.overlaps()
    cache.gaps(date.today())
    print(f"analyses {time.perf_counter() - started:.1f} s")
    for name, query in QUERIES.items():
        first = _answer(store, cache, query)
        times = [_answer(store, cache, query) for _ in range(args.runs)]
        print(
            f"{name}: first {first:.3f} s, best {min(times):.3f} s, median {statistics.median(times):.3f} s"
        )


def _answer(store: MemoryStore, cache: AnalysisCache, query: str) -> float:
    started = time.perf_counter()
    result = asyncio.run(SCHEMA.execute(query, context_value=Context(reader=store, analyses=cache)))
    assert not result.errors, result.errors
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
