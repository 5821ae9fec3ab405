"""The three analyses government by government (graph.analyses.partitions) against the whole graph at once.

    python bench/partitions.py --items 100000                          # the memory store
    python bench/partitions.py --items 1000000 --skip-single           # a province: partitions only
    NEO4J_PORT=7696 NEO4J_DATA=/tmp/quanze-neo4j-bench NEO4J_HEAP=2g NEO4J_PAGECACHE=2g scripts/neo4j/start
    python bench/partitions.py --items 100000 --neo4j bolt://127.0.0.1:7696   # and Neo4j (ITS DATA IS WIPED)
    python bench/partitions.py --items 100000 --neo4j bolt://127.0.0.1:7696 --loaded   # what it holds already

The workbook of `bench/generate.py` (seed 7, as bench/analyses.py makes it) is kept in `--cache`. Each
measure runs in a fresh interpreter of its own, so that peak memory does not carry over:

- *memory*: the workbook loaded into a `MemoryStore`, then `find_overlaps(verdicts=None)`,
  `find_gaps(at=2024-06-30)` and `find_splits(min_departments=1)` one after the other (*single*),
  then `analyse` of the same three in `--workers` forked processes (*partitioned*): wall clock, CPU
  of this process and of its workers, and whether the answers are the same (digests of their JSON);
  then the same beside a second thread, as in the service, where no worker is forked: the partitions
  are gathered in this process and sent to spawned workers (*in the service*).
- *neo4j*: the workbook loaded into the server once (skipped with `--loaded`), then, in a process that
  never reads the workbook (as `quanze gaps --store neo4j` is), `analyse` with `--workers` processes
  opening their own connections: wall clock, the peak resident memory of the analysing process and of
  its largest worker, and the digests, compared with the memory store's.

Peak memory is `ru_maxrss` (of the process; of its largest child for the workers), the baseline that of
the same interpreter after importing quanze. Prints a Markdown table and the JSON of each measure.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AT = date(2024, 6, 30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/quanze-bench"))
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--skip-single", action="store_true", help="only the partitions (a province)")
    parser.add_argument("--neo4j", help="the bolt URI of a Neo4j server of its own: ITS DATA IS WIPED")
    parser.add_argument("--loaded", action="store_true", help="the server holds the workbook already")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    folder = args.cache / f"items-{args.items}-seed-{args.seed}"
    if args.one:
        print(json.dumps(MEASURES[args.one](folder, args)))
        return 0
    if not (folder / "truth.json").exists():
        command = [sys.executable, str(ROOT / "bench" / "generate.py"), "--items", str(args.items)]
        subprocess.run([*command, "--seed", str(args.seed), "--out", str(folder)], check=True, cwd=ROOT)
    rows = [_in_a_process("memory", args)]
    if args.neo4j:
        if not args.loaded:
            rows.append(_in_a_process("neo4j-load", args))
        rows.append(_in_a_process("neo4j", args))
    print(table(rows, args))
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    return 0


def _in_a_process(measure: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--one",
        measure,
        "--items",
        str(args.items),
        "--seed",
        str(args.seed),
    ]
    command += ["--cache", str(args.cache), "--workers", str(args.workers)]
    command += ["--skip-single"] * args.skip_single + (["--neo4j", args.neo4j] if args.neo4j else [])
    result = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    row: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"{measure}: {row}", file=sys.stderr, flush=True)
    return row


def measure_memory(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    from graph import MemoryStore
    from loaders.sources import load_source

    baseline = _peak_mb()
    store = MemoryStore()
    started = time.perf_counter()
    load_source(folder, store)
    row: dict[str, Any] = {"measure": "memory", "items": args.items, "load s": time.perf_counter() - started}
    gc.collect()
    row["load peak MB"] = _peak_mb() - baseline
    if not args.skip_single:
        (wall, cpu, _), answers = _timed(lambda: _single(store))
        row |= {"single s": wall, "single cpu s": cpu, "single digests": _digests(*answers)}
    (wall, cpu, children), found = _timed(lambda: _partitioned(store, args.workers))
    row |= {"partitioned s": wall, "partitioned cpu s": cpu, "workers cpu s": children}
    row |= {"partitions": found.partitions, "processes": found.processes}
    row["partitioned digests"] = _digests(found.overlaps, found.gaps, found.splits)
    row["counts"] = [len(found.overlaps), len(found.gaps), len(found.splits)]
    (wall, cpu, children), found = _timed(lambda: _beside_a_thread(lambda: _partitioned(store, args.workers)))
    row |= {"service s": wall, "service cpu s": cpu, "service workers cpu s": children}
    row["service digests"] = _digests(found.overlaps, found.gaps, found.splits)
    row["load average"] = os.getloadavg()[0]
    return row


def _beside_a_thread(call: Any) -> Any:
    """`call()` while another thread runs, as in the service: no worker is forked, partitions are sent."""
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        return call()
    finally:
        stop.set()
        other.join()


def measure_neo4j_load(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    from graph.neo4j import Neo4jSettings, Neo4jStore
    from loaders.sources import load_source

    store = Neo4jStore(Neo4jSettings(uri=args.neo4j, password=""))
    store.setup_schema()
    store.clear()
    started = time.perf_counter()
    load_source(folder, store)
    return {"measure": "neo4j-load", "items": args.items, "load s": time.perf_counter() - started}


def measure_neo4j(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    from graph.neo4j import Neo4jSettings, Neo4jStore

    baseline = _peak_mb()
    store = Neo4jStore(Neo4jSettings(uri=args.neo4j, password=""))
    (wall, cpu, children), found = _timed(lambda: _partitioned(store, args.workers))
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "measure": "neo4j",
        "items": args.items,
        "partitioned s": wall,
        "partitioned cpu s": cpu,
        "workers cpu s": children,
        "partitions": found.partitions,
        "processes": found.processes,
        "baseline MB": baseline,
        "analysing peak MB": _peak_mb(),
        "worker peak MB": children_peak,
        "partitioned digests": _digests(found.overlaps, found.gaps, found.splits),
        "counts": [len(found.overlaps), len(found.gaps), len(found.splits)],
        "load average": os.getloadavg()[0],
    }


MEASURES = {"memory": measure_memory, "neo4j-load": measure_neo4j_load, "neo4j": measure_neo4j}


def _single(store: Any) -> tuple[list[Any], list[Any], list[Any]]:
    from graph.analyses import find_gaps, find_overlaps, find_splits

    return find_overlaps(store, verdicts=None), find_gaps(store, at=AT), find_splits(store, min_departments=1)


def _partitioned(store: Any, workers: int) -> Any:
    from graph.analyses.partitions import AnalysisRequest, analyse

    request = AnalysisRequest(overlaps={"verdicts": None}, splits={"min_departments": 1}, at=AT)
    return analyse(store, request, workers=workers)


def _timed(call: Any) -> tuple[tuple[float, float, float], Any]:
    """(wall s, this process's CPU s, its finished children's CPU s) of `call`, and its answer."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time()
    started = time.perf_counter()
    answer = call()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    spent = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    return (wall, time.process_time() - cpu, spent), answer


def _digests(*answers: Any) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    import hashlib

    from digests import _canonical

    return [hashlib.sha256(_canonical(answer).encode()).hexdigest()[:16] for answer in answers]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    memory = next(row for row in rows if row["measure"] == "memory")
    lines = [
        f"{args.items:,} items, {args.workers} workers",
        "",
        "| measure | s | CPU s (this + workers) | partitions | peak MB | same answers |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    if "single s" in memory:
        lines.append(
            f"| memory, whole graph | {memory['single s']:.2f} | {memory['single cpu s']:.2f} | 1 | "
            f"{memory['load peak MB']:,.0f} (load) | |"
        )
    same = memory.get("single digests", memory["partitioned digests"]) == memory["partitioned digests"]
    lines.append(
        f"| memory, partitioned | {memory['partitioned s']:.2f} | "
        f"{memory['partitioned cpu s']:.2f} + {memory['workers cpu s']:.2f} | {memory['partitions']} | | "
        f"{'yes' if same else 'NO'} |"
    )
    if "service s" in memory:
        same = memory["service digests"] == memory["partitioned digests"]
        lines.append(
            f"| memory, partitioned in the service (sent to spawned workers) | {memory['service s']:.2f} | "
            f"{memory['service cpu s']:.2f} + {memory['service workers cpu s']:.2f} | {memory['partitions']} | | "
            f"{'yes' if same else 'NO'} |"
        )
    for row in rows:
        if row["measure"] == "neo4j-load":
            lines.append(f"| neo4j, load | {row['load s']:.0f} | | | | |")
        if row["measure"] == "neo4j":
            same = row["partitioned digests"] == memory["partitioned digests"]
            lines.append(
                f"| neo4j, partitioned | {row['partitioned s']:.2f} | "
                f"{row['partitioned cpu s']:.2f} + {row['workers cpu s']:.2f} | {row['partitions']} | "
                f"{row['analysing peak MB']:,.0f} (analysing), {row['worker peak MB']:,.0f} (worker) | "
                f"{'yes' if same else 'NO'} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
