"""Time responsibility traces (issue #4) on the memory store at province scale: p50, p99 and max.

    python bench/trace.py                                   # 200 governments, up to 1,000,000 cases
    python bench/trace.py --cases 200000 --samples 10000 --cache /tmp/quanze-bench
    python bench/trace.py --cases 200000 --freeze           # gc.freeze() after loading (see below)

The workbook comes from `bench/generate.py` (generated into the cache folder outside the repository,
reused when it is there): `--governments` governments with their whole staff (about 1,150 posts and
1,750 holdings each: ~230,000 posts and ~350,000 holdings for 200), `--items` power items (their
licences have stages with answerable posts) and `--cases` cases of those licences with their steps
(~4 a case), performed by the holders of the stages' posts (mostly) on the cases' own dates.

It is loaded into a `MemoryStore` through the workbook loader, then `trace_case` is timed on
`--samples` random cases and `responsibility(reader, item, at)` on `--samples` random licensing
items and dates, one call at a time with `time.perf_counter`, after a warm-up of 100 calls each;
the first (cold) call is reported apart.

Memory: through the loader each case with its steps costs ~16 KB in the memory store (measured:
100,000 cases with 410,000 steps added 1.57 GB and took 72 s to load), so a million cases need
~16 GB besides the province (~5 GB). When the cases asked for do not fit in the memory available
(MemAvailable less a 20% margin), the script says so and uses as many as fit, in steps of 50,000.
A trace reads a handful of dictionary entries whatever the number of cases, which the script
shows with `--scaling` (the same measurement at a fifth of the cases, in a second process).

`--freeze` calls `gc.freeze()` after loading: the collector then no longer walks the millions of
loaded objects when a trace's allocations set off a full collection, which is what makes the
slowest calls slow.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from graph.analyses.trace import responsibility, trace_case
from graph.memory import MemoryStore
from loaders.demo.truth import read_truth
from loaders.workbook import load_workbook
from ontology import EdgeKind, NodeKind

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path("/tmp/quanze-bench")
#: measured (see the docstring): store memory for a case and its steps, and for the rest of the province
CASE_BYTES = 16_000
PROVINCE_BYTES_PER_GOVERNMENT = 25_000_000
STEP = 50_000


def available_bytes() -> int:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def cases_that_fit(asked: int, governments: int) -> int:
    budget = available_bytes() * 0.8 - governments * PROVINCE_BYTES_PER_GOVERNMENT
    fit = max(STEP, int(budget // CASE_BYTES) // STEP * STEP)
    return min(asked, fit)


def workbook(cache: Path, governments: int, items: int, cases: int, seed: int) -> Path:
    folder = cache / f"trace-governments-{governments}-items-{items}-cases-{cases}-seed-{seed}"
    if not (folder / "truth.json").exists():
        command = [sys.executable, str(ROOT / "bench" / "generate.py"), "--items", str(items)]
        command += ["--governments", str(governments), "--cases", str(cases), "--seed", str(seed)]
        command += ["--out", str(folder)]
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT)
        print(f"generated {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return folder


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    at = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000  # noqa: E731
    return {
        "calls": len(ordered),
        "p50_ms": at(0.50),
        "p90_ms": at(0.90),
        "p99_ms": at(0.99),
        "max_ms": ordered[-1] * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
    }


def measure(folder: Path, samples: int, seed: int, freeze: bool) -> dict[str, Any]:
    reference = read_truth(folder).reference_date
    store = MemoryStore()
    started = time.perf_counter()
    report = load_workbook(folder, store)
    row: dict[str, Any] = {
        "load_s": time.perf_counter() - started,
        "counts": {kind.value: count for kind, count in report.counts.items() if count},
        "edges": report.edges,
    }
    del report
    gc.collect()
    if freeze:
        gc.freeze()
    row["rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    rng = random.Random(seed)
    cases = sorted(node.id for node in store.nodes(NodeKind.CASE))
    items = sorted({edge.target for edge in store.edges(kind=EdgeKind.STAGE_OF)})
    chosen = rng.sample(cases, min(samples, len(cases)))
    first = reference - timedelta(days=4 * 365)
    dates = [first + timedelta(days=rng.randrange(4 * 365)) for _ in range(samples)]
    asked = [rng.choice(items) for _ in range(samples)]

    started = time.perf_counter()
    trace_case(store, chosen[0])
    row["trace_first_ms"] = (time.perf_counter() - started) * 1000
    for case in rng.sample(cases, min(100, len(cases))):
        trace_case(store, case)
    seconds, cpu, stages, findings, named = [], [], 0, 0, 0
    for case in chosen:
        started, used = time.perf_counter(), time.thread_time()
        trace = trace_case(store, case)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - used)
        assert trace is not None
        stages += len(trace.stages)
        findings += len(trace.findings)
        named += sum(1 for stage in trace.stages if stage.holder_then)
    row["trace_case"] = percentiles(seconds)
    row["trace_case_cpu"] = percentiles(cpu)
    row["trace_stages"] = stages
    row["trace_findings"] = findings
    row["trace_stages_with_holder"] = named

    for item, at in zip(asked[:100], dates[:100], strict=True):
        responsibility(store, item, at)
    seconds, cpu = [], []
    for item, at in zip(asked, dates, strict=True):
        started, used = time.perf_counter(), time.thread_time()
        responsibility(store, item, at)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - used)
    row["responsibility"] = percentiles(seconds)
    row["responsibility_cpu"] = percentiles(cpu)
    row["gc_collections"] = [generation["collections"] for generation in gc.get_stats()]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--governments", type=int, default=200)
    parser.add_argument(
        "--items", type=int, default=200_000, help="power items and functions, over all governments"
    )
    parser.add_argument(
        "--cases", type=int, default=1_000_000, help="cases asked for (as many as fit are used)"
    )
    parser.add_argument("--samples", type=int, default=10_000, help="calls timed of each function")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() after loading")
    parser.add_argument("--scaling", action="store_true", help="also measure at a fifth of the cases")
    parser.add_argument("--one", type=int, metavar="CASES", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        folder = workbook(args.cache, args.governments, args.items, args.one, args.seed)
        print(json.dumps(measure(folder, args.samples, args.seed, args.freeze)))
        return
    cases = cases_that_fit(args.cases, args.governments)
    if cases < args.cases:
        print(
            f"{args.cases:,} cases do not fit in the memory available ({available_bytes() / 1024**3:.1f} GB, "
            f"~{CASE_BYTES / 1000:.0f} KB a case in the store): measuring with {cases:,}",
            file=sys.stderr,
            flush=True,
        )
    rows = []
    for count in ([max(STEP, cases // 5 // STEP * STEP)] if args.scaling else []) + [cases]:
        workbook(args.cache, args.governments, args.items, count, args.seed)
        command = [sys.executable, __file__, "--one", str(count), "--governments", str(args.governments)]
        command += ["--items", str(args.items), "--samples", str(args.samples), "--seed", str(args.seed)]
        command += ["--cache", str(args.cache)] + (["--freeze"] if args.freeze else [])
        output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
        row = json.loads(output.strip().splitlines()[-1])
        row["cases"] = count
        rows.append(row)
    print(markdown(rows, args))


def markdown(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [f"`python bench/trace.py {' '.join(sys.argv[1:])}`".replace(" `", "`"), ""]
    for row in rows:
        counts = row["counts"]
        lines.append(
            f"- {row['cases']:,} cases: {counts.get('Post', 0):,} posts, {counts.get('Holding', 0):,} holdings, "
            f"{counts.get('PowerItem', 0):,} items, {counts.get('Case', 0):,} cases, {counts.get('CaseStep', 0):,} "
            f"steps, {sum(counts.values()):,} nodes and {row['edges']:,} edges; loaded in {row['load_s']:.0f} s, "
            f"peak RSS {row['rss_gb']:.1f} GB; first trace {row['trace_first_ms']:.2f} ms; "
            f"{row['trace_stages']:,} stages traced, {row['trace_stages_with_holder']:,} with the post's holder "
            f"then, {row['trace_findings']:,} findings; collections per generation {row['gc_collections']}"
        )
    lines += [
        "",
        "Wall-clock milliseconds a call (`time.perf_counter`), the thread's CPU milliseconds in brackets",
        "(`time.thread_time`: what is left when other processes take the cores).",
        "",
        "| cases loaded | call | calls | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | mean (ms) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        for name in ("trace_case", "responsibility"):
            s, c = row[name], row[f"{name}_cpu"]
            cells = [
                f"{s[key]:.3f} ({c[key]:.3f})" for key in ("p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms")
            ]
            lines.append(f"| {row['cases']:,} | `{name}` | {s['calls']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
