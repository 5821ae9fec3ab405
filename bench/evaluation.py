"""Time the computed indicators (`graph.evaluation.compute`) of every department of a generated province.

    python bench/evaluation.py --sizes 10000,100000 --cache /tmp/quanze-bench-g
    python bench/evaluation.py --sizes 100000 --cases 100000 --cache /tmp/quanze-bench-g --json out.json

For each size the workbook of `bench/generate.py` is generated into the cache folder (reused when it
is there; `--cases` adds a case log of that many cases, a workbook of its own), then, in a fresh
interpreter of its own (`--one SIZE`), loaded into a `MemoryStore` and evaluated on the truth's
reference date: `Evaluation(store, at)`, then `indicators(department)` for every department, the
first call paying for the analyses it needs (gaps, overlaps, split approvals, the indexes of the
records), the others answered from them. Reported: load time, the time of the first department, of
all departments, and per department after the first; peak memory (`ru_maxrss`, loading included);
how many indicators were computed and how many not (their data absent), by code.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/evaluation.py`, this folder would come first on sys.path (and bench/neo4j.py stand
# in for the driver): the repository comes instead, so that `bench.analyses` is found.
_HERE = Path(__file__).resolve().parent
sys.path = [str(_HERE.parent), *(entry for entry in sys.path if Path(entry or ".").resolve() != _HERE)]

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from typing import Any  # noqa: E402

from bench.analyses import DEFAULT_CACHE, ROOT, workbook  # noqa: E402
from graph.evaluation.compute import Evaluation  # noqa: E402
from graph.memory import MemoryStore  # noqa: E402
from loaders.demo.truth import read_truth  # noqa: E402
from loaders.workbook import load_workbook  # noqa: E402
from ontology import NodeKind  # noqa: E402


def measure(folder: Path) -> dict[str, Any]:
    """Load the workbook of `folder` and evaluate every department, timed."""
    at = read_truth(folder).reference_date
    store = MemoryStore()
    started = time.perf_counter()
    report = load_workbook(folder, store)
    row: dict[str, Any] = {
        "load_s": time.perf_counter() - started,
        "items": report.counts[NodeKind.POWER_ITEM],
        "cases": report.counts[NodeKind.CASE],
    }
    departments = sorted(node.id for node in store.nodes(NodeKind.DEPARTMENT))
    row["departments"] = len(departments)
    started = time.perf_counter()
    evaluation = Evaluation(store, at)
    first = evaluation.indicators(departments[0])
    row["first_s"] = time.perf_counter() - started
    computed: Counter[str] = Counter()
    absent: Counter[str] = Counter()
    for result in first.values():
        (computed if result.computed else absent)[result.code] += 1
    rest = time.perf_counter()
    for department in departments[1:]:
        for result in evaluation.indicators(department).values():
            (computed if result.computed else absent)[result.code] += 1
    row["rest_s"] = time.perf_counter() - rest
    row["all_s"] = time.perf_counter() - started
    row["per_department_ms"] = 1000 * row["rest_s"] / max(1, len(departments) - 1)
    row["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    row["computed"] = sum(computed.values())
    row["not_computed"] = dict(sorted(absent.items()))
    return row


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| items | cases | departments | load s | first department s | all departments s "
        "| ms / department after the first | peak GB | computed | not computed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        absent = ", ".join(f"{code} × {count}" for code, count in row["not_computed"].items()) or "none"
        lines.append(
            f"| {row['items']:,} | {row['cases']:,} | {row['departments']:,} | {row['load_s']:.1f} "
            f"| {row['first_s']:.1f} | {row['all_s']:.1f} | {row['per_department_ms']:.2f} "
            f"| {row['peak_gb']:.2f} | {row['computed']:,} | {absent} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="items, comma-separated")
    parser.add_argument("--cases", type=int, default=0, help="cases of the generated case log (0: none)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help="where generated workbooks are kept"
    )
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument("--one", type=int, metavar="SIZE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(workbook(args.cache, args.one, args.seed, args.cases))))
        return
    rows = []
    for size in sorted(int(size) for size in args.sizes.split(",")):
        workbook(args.cache, size, args.seed, args.cases)
        command = [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)]
        command += ["--cache", str(args.cache), "--cases", str(args.cases)]
        output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(markdown(rows))


if __name__ == "__main__":
    main()
