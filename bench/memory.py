"""How much memory loading a workbook into the embedded store takes, per item, above an empty service.

    python bench/memory.py                                        # /tmp/quanze-bench/items-100000-seed-7
    python bench/memory.py /tmp/quanze-bench/items-10000-seed-7 /tmp/quanze-bench/items-100000-seed-7
    python bench/memory.py /tmp/quanze-bench/items-10000-seed-7 --top 25     # the biggest consumers

Each measurement runs in a fresh interpreter (`--one`), so its peak is its own. The baseline is an
interpreter that has imported what `quanze serve` imports and made an empty `MemoryStore` and the
service over it; the load is the same, then the workbook loaded as `quanze serve WORKBOOK` loads it
(`loaders.sources.load_source` into the `MemoryStore`). Peak memory is the process's peak resident set
(`ru_maxrss`); the resident set after the load (what the service keeps) is printed too. The items are
the workbook's power items and functions as its truth.json asks for them (else as loaded), and the
figure is (load peak - baseline peak) / items, in KB of 1,024 bytes.

With `--top N`, the load runs once more under `tracemalloc` and the N source lines that hold the most
memory as the store applies the write (the graph read and the store both alive) and after the load
are printed (tracemalloc slows the load and adds its own memory: its figures are for finding
consumers, not for the table).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORKBOOK = Path("/tmp/quanze-bench/items-100000-seed-7")
# bench/api.py would shadow the package api: import from the repository's root instead
sys.path[:] = [str(ROOT)] + [
    p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("workbooks", nargs="*", type=Path, default=[DEFAULT_WORKBOOK])
    parser.add_argument("--top", type=int, default=0, help="print the N lines holding the most memory")
    parser.add_argument("--one", choices=("baseline", "load", "trace"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        workbook = args.workbooks[0] if args.one != "baseline" else None
        result = _trace(workbook, args.top) if args.one == "trace" else _measure(workbook)
        print(json.dumps(result))
        return
    baseline = _child("baseline", None)
    print(f"baseline (imports, empty store and service): peak {baseline['peak_mb']:.0f} MB")
    print()
    print(
        "| workbook | items | nodes | edges | load (s) | peak (MB) | after load (MB) | KB / item above baseline |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for workbook in args.workbooks:
        row = _child("load", workbook)
        per_item = (row["peak_mb"] - baseline["peak_mb"]) * 1024 / row["items"]
        print(
            f"| {workbook.name} | {row['items']:,} | {row['nodes']:,} | {row['edges']:,} | {row['load_s']:.1f} "
            f"| {row['peak_mb']:.0f} | {row['rss_mb']:.0f} | {per_item:.2f} |",
            flush=True,
        )
    if args.top:
        for workbook in args.workbooks:
            traced = _child("trace", workbook, top=args.top)
            print(f"\n{workbook.name}: tracemalloc's peak {traced['peak_mb']:.0f} MB")
            for moment, when in (("write", "as the write is applied"), ("end", "after the load")):
                print(f"\n{workbook.name}, tracemalloc {when} ({traced[moment + '_mb']:.0f} MB traced):")
                for size_mb, count, where in traced[moment]:
                    print(f"  {size_mb:8.1f} MB {count:>10,} blocks  {where}")


def _child(what: str, workbook: Path | None, top: int = 0) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--one", what]
    if workbook is not None:
        command.append(str(workbook))
    if top:
        command += ["--top", str(top)]
    done = subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _service() -> Any:
    """An empty store and the service over it, as `quanze serve` makes them (without a ledger)."""
    from api.service import QueryService
    from graph.memory import MemoryStore

    store = MemoryStore()
    return store, QueryService(store)


def _measure(workbook: Path | None) -> dict[str, Any]:
    import api.cli  # noqa: F401  (what `quanze serve` imports)
    from loaders.sources import load_source

    store, _service_over_it = _service()
    result: dict[str, Any] = {}
    if workbook is not None:
        started = time.perf_counter()
        report = load_source(workbook, store)
        result["load_s"] = time.perf_counter() - started
        result.update(_counts(workbook, report))
        del report
    gc.collect()
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["rss_mb"] = _rss_mb()
    return result


def _trace(workbook: Path, top: int) -> dict[str, Any]:
    import api.cli  # noqa: F401
    from loaders.sources import load_source

    store, _service_over_it = _service()
    at_write: list[tracemalloc.Snapshot] = []
    apply = store._apply

    def apply_then_snapshot(writer: Any) -> None:  # the read graph and the store written are both alive
        apply(writer)
        at_write.append(tracemalloc.take_snapshot())

    store._apply = apply_then_snapshot  # type: ignore[method-assign]
    tracemalloc.start()
    report = load_source(workbook, store)
    del report
    gc.collect()
    end = tracemalloc.take_snapshot()
    _, peak = tracemalloc.get_traced_memory()
    return {
        "peak_mb": peak / 1024**2,
        "write": _top(at_write[-1], top),
        "write_mb": _total(at_write[-1]),
        "end": _top(end, top),
        "end_mb": _total(end),
    }


def _total(snapshot: tracemalloc.Snapshot) -> float:
    return sum(stat.size for stat in snapshot.statistics("filename")) / 1024**2


def _top(snapshot: tracemalloc.Snapshot, top: int) -> list[tuple[float, int, str]]:
    stats = snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]).statistics("lineno")
    return [
        (stat.size / 1024**2, stat.count, f"{stat.traceback[0].filename}:{stat.traceback[0].lineno}")
        for stat in stats[:top]
    ]


def _counts(workbook: Path, report: Any) -> dict[str, Any]:
    from ontology import NodeKind

    loaded = report.counts[NodeKind.POWER_ITEM] + report.counts[NodeKind.FUNCTION]
    items = loaded
    truth = workbook / "truth.json"
    if truth.exists():
        items = json.loads(truth.read_text(encoding="utf-8")).get("items_asked", loaded) or loaded
    return {"items": items, "loaded": loaded, "nodes": sum(report.counts.values()), "edges": report.edges}


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1024**2


if __name__ == "__main__":
    main()
