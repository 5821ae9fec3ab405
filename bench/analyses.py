"""Time the overlap, gap and split analyses from city to province scale, and score them against the truth.

    python bench/analyses.py                                    # 10,000, 100,000 and 1,000,000 items
    python bench/analyses.py --sizes 10000,100000 --cache /tmp/quanze-bench --seed 7
    python bench/analyses.py --sizes 1000000 --profile /tmp/quanze-bench/profiles --json out.json

For each size the workbook of `bench/generate.py` is generated into the cache folder (outside the
repository; reused when it is there), then, in a fresh interpreter of its own (`--one SIZE`, so peak
memory does not carry over between sizes), loaded into a `MemoryStore` and analysed:
`find_overlaps`, `find_gaps(at=the truth's reference date)` and `find_splits`, each timed on its
own (wall clock, and CPU time, which other processes on the machine disturb less; best of 3 runs
below a million items, 1 run at a million). Peak memory is the process's peak resident set
(`ru_maxrss`), loading included. With `--profile`, each analysis then runs once more under
pyinstrument (cProfile when pyinstrument is not installed) and the report goes to that folder.

The overlaps are scored against truth.json (read by `loaders.demo.truth.read_truth`, which gives a city's
and a province's truth one schema): a found overlap is true when its subjects (the pair of
items or functions, or the one joint item) are in the truth; precision = true found / found,
recall = planted found / planted, overall and per kind of evidence (a kind counts as found when
the overlap carries it). False positives are sorted out: pairs across governments (which must
never be reported) and texts the generator did not plant but that are similar by
`graph.similarity` as the analysis weighs them (their block and kind, at its threshold for the kind). Gaps and split approvals are scored the same way
where the truth lists all of a kind. Prints a Markdown table, the per-kind scores, the counts found,
and the growth exponent of each phase (least-squares slope of log time against log size).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.analyses import find_gaps, find_overlaps, find_splits
from graph.analyses.overlaps import DEFAULT_FUNCTION_THRESHOLD, DEFAULT_TEXT_THRESHOLD, Overlap
from graph.corpus import FUNCTION_KIND
from graph.memory import MemoryStore
from graph.similarity import idf_weights, similarity
from loaders.demo.truth import PlantedFindings, read_truth
from loaders.workbook import load_workbook
from ontology import EdgeKind, NodeKind

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path("/tmp/quanze-bench")
#: gap kinds whose every finding the truth lists (the others: the planted ones and what may come with them)
EXACT_GAPS = (
    "UNBASED_POWER",
    "UNHELD_DUTY",
    "MISPLACED",
    "FUNCTION_WITHOUT_UNIT",
    "STAGE_WITHOUT_POST",
    "VACANT_POST",
    "NO_HEAD",
    "OVER_QUOTA",
    "GHOST_PAYROLL",
    "MIXED_QUOTA",
    "CONCURRENT_POSTS",
)
PLANTED_GAPS = ("FUNCTION_NOT_EXERCISED", "POWER_OUTSIDE_MANDATE")
KINDS = ("SAME_ITEM", "JOINT", "SHARED_BASIS", "SIMILAR_TEXT")
PHASES = ("load", "overlaps", "gaps", "splits")


def workbook(cache: Path, size: int, seed: int, cases: int = 0) -> Path:
    """The folder of the generated workbook of `size` items, generated (in a subprocess) when missing."""
    folder = cache / (f"items-{size}-seed-{seed}" + (f"-cases-{cases}" if cases else ""))
    if not (folder / "truth.json").exists():
        command = [sys.executable, str(ROOT / "bench" / "generate.py"), "--items", str(size)]
        command += ["--seed", str(seed), "--cases", str(cases), "--out", str(folder)]
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT)
        print(f"generated {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return folder


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def current_gb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1024**3


def timed(call: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """The best wall-clock time and the best CPU time of `runs` calls, and the last call's result."""
    best, best_cpu, result = math.inf, math.inf, None
    for _ in range(runs):
        result = None
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        result = call()
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, result


# --- one size, in its own process ---------------------------------------------------------------------


def measure(folder: Path, runs: int, profile: Path | None = None) -> dict[str, Any]:
    truth = read_truth(folder)
    at = truth.reference_date
    row: dict[str, Any] = {
        "items": truth.items_asked,
        "governments": len(truth.governments),
        "runs": runs,
    }
    store = MemoryStore()
    started, cpu = time.perf_counter(), time.process_time()
    report = load_workbook(folder, store)
    row["load_s"], row["load_cpu_s"] = time.perf_counter() - started, time.process_time() - cpu
    row["nodes"] = sum(report.counts.values())
    row["edges"] = report.edges
    row["items_loaded"] = report.counts[NodeKind.POWER_ITEM]
    row["functions_loaded"] = report.counts[NodeKind.FUNCTION]
    del report
    gc.collect()
    row["rss_after_load_gb"] = current_gb()
    row["peak_after_load_gb"] = peak_gb()
    row["overlaps_s"], row["overlaps_cpu_s"], overlaps = timed(lambda: find_overlaps(store), runs)
    row["gaps_s"], row["gaps_cpu_s"], gaps = timed(lambda: find_gaps(store, at=at), runs)
    row["splits_s"], row["splits_cpu_s"], splits = timed(lambda: find_splits(store), runs)
    row["peak_gb"] = peak_gb()
    # a second process (graph/elsewhere.py) matches charters in a province: its peak, shared pages included
    row["children_peak_gb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    row["overlaps_found"] = len(overlaps)
    row["overlaps_by_kind"] = dict(Counter(kind.value for o in overlaps for kind in o.kinds))
    row["gaps_found"] = dict(Counter(gap.kind.value for gap in gaps))
    row["splits_found"] = dict(Counter(split.kind.value for split in splits))
    row["overlap_scores"] = score_overlaps(store, overlaps, truth)
    row["gap_scores"] = score_gaps(gaps, truth)
    row["split_scores"] = score_splits(splits, truth)
    if profile is not None:
        del overlaps, gaps, splits
        calls = {"overlaps": lambda: find_overlaps(store), "gaps": lambda: find_gaps(store, at=at)}
        calls["splits"] = lambda: find_splits(store)
        for name, call in calls.items():
            write_profile(call, profile / f"{row['items']}-{name}.txt")
    return row


def write_profile(call: Callable[[], Any], path: Path) -> None:
    """Where the time of one call goes, by pyinstrument (a sampling profiler) when it is installed, else by
    cProfile (which slows small calls more than large ones)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(call)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        path.write_text(out.getvalue(), encoding="utf-8")
        return
    sampler = Profiler(interval=0.005)
    sampler.start()
    call()
    sampler.stop()
    path.write_text(sampler.output_text(unicode=True, show_all=False), encoding="utf-8")


def score_overlaps(store: MemoryStore, overlaps: list[Overlap], truth: PlantedFindings) -> dict[str, Any]:
    planted = {subjects: set(kinds) for subjects, kinds in truth.overlaps.items()}
    found = {truth.key(overlap.subjects): overlap for overlap in overlaps}
    true = [key for key in found if key in planted]
    scores: dict[str, Any] = {
        "planted": len(planted),
        "found": len(found),
        "true": len(true),
        "precision": len(true) / len(found) if found else 1.0,
        "recall": len(true) / len(planted) if planted else 1.0,
        "by_kind": {},
    }
    for kind in KINDS:
        expected = {key for key, kinds in planted.items() if kind in kinds}
        with_kind = {key for key, overlap in found.items() if kind in {k.value for k in overlap.kinds}}
        hit = expected & with_kind
        scores["by_kind"][kind] = {
            "planted": len(expected),
            "found": len(with_kind),
            "true": len(hit),
            "precision": len(hit) / len(with_kind) if with_kind else 1.0,
            "recall": len(hit) / len(expected) if expected else 1.0,
        }
    missed = [key for key in planted if key not in found]
    scores["missed_examples"] = [[*key, sorted(planted[key])] for key in missed[:10]]
    false = [found[key] for key in found if key not in planted]
    scores["false_positives"] = classify(store, false)
    return scores


def classify(store: MemoryStore, false: list[Overlap]) -> dict[str, Any]:
    """Why overlaps not in the truth were reported: across governments (an error), or texts that really are
    similar (by `graph.similarity`, weighed as the analysis weighs their block) though nobody planted them,
    or something else."""
    government_of = {edge.source: edge.target for edge in store.edges(kind=EdgeKind.DEPARTMENT_OF)}
    kinds: Counter[str] = Counter()
    cross, similar, examples = 0, 0, []
    blocks: dict[tuple[str, str], dict[str, float]] = {}
    for overlap in false:
        kinds.update(kind.value for kind in overlap.kinds)
        if len({government_of.get(d) for d in overlap.departments}) > 1:
            cross += 1
            continue
        if len(overlap.subjects) == 2 and overlap.kinds == ("SIMILAR_TEXT",):
            a, b = (store.node(s) for s in overlap.subjects)
            if a is not None and b is not None:
                block = _block(a)
                government = government_of.get(overlap.departments[0], "")
                if (government, block) not in blocks:
                    blocks[(government, block)] = _block_weights(store, government, block, government_of)
                threshold = DEFAULT_FUNCTION_THRESHOLD if block == FUNCTION_KIND else DEFAULT_TEXT_THRESHOLD
                if similarity(_text(a), _text(b), blocks[(government, block)]) >= threshold:
                    similar += 1
        if len(examples) < 10:
            examples.append([list(overlap.subjects), [k.value for k in overlap.kinds], overlap.score])
    return {
        "count": len(false),
        "kinds": dict(kinds),
        "across_governments": cross,
        "similar_text_unplanted": similar,
        "examples": examples,
    }


def _text(node: Any) -> str:
    if node.kind is NodeKind.FUNCTION:
        return str(node["text"])
    sub = node.get("sub_item")
    return f"{node['name']}（{sub}）" if sub else str(node["name"])


def _block(node: Any) -> str:
    """The kind of text a subject is compared among: its power type, or functions."""
    return FUNCTION_KIND if node.kind is NodeKind.FUNCTION else str(node["power_type"])


def _block_weights(
    store: MemoryStore, government: str, block: str, government_of: dict[str, str]
) -> dict[str, float]:
    texts = []
    kind = NodeKind.FUNCTION if block == FUNCTION_KIND else NodeKind.POWER_ITEM
    edge = EdgeKind.FUNCTION_OF if block == FUNCTION_KIND else EdgeKind.HELD_BY
    for node in store.nodes(kind):
        if _block(node) != block:
            continue
        holders = [e.target for e in store.edges(source=node.id, kind=edge)]
        if holders and government_of.get(sorted(holders)[0]) == government:
            texts.append(_text(node))
    return idf_weights(texts, block)


def score_gaps(gaps: list[Any], truth: PlantedFindings) -> dict[str, Any]:
    found: dict[str, set[str]] = defaultdict(set)
    for gap in gaps:
        found[gap.kind.value].add(gap.subject_id)
    scores: dict[str, Any] = {}
    for kind in EXACT_GAPS:
        expected = set(truth.exact_gaps.get(kind, ()))
        hit = found[kind] & expected
        scores[kind] = {
            "expected": len(expected),
            "found": len(found[kind]),
            "precision": len(hit) / len(found[kind]) if found[kind] else 1.0,
            "recall": len(hit) / len(expected) if expected else 1.0,
        }
    for kind in PLANTED_GAPS:
        planted = set(truth.planted_gaps.get(kind, ()))
        explained = planted | set(truth.may_also.get(kind, ()))
        scores[kind] = {
            "planted": len(planted),
            "found": len(found[kind]),
            "recall": len(found[kind] & planted) / len(planted) if planted else 1.0,
            "found_explained": len(found[kind] & explained),
        }
    return scores


def score_splits(splits: list[Any], truth: PlantedFindings) -> dict[str, Any]:
    found: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for split in splits:
        found[split.kind.value].add(tuple(split.items))
    scores = {}
    for kind, planted in truth.splits.items():
        expected = {tuple(items) for items in planted}
        hit = found[kind] & expected
        scores[kind] = {
            "expected": len(expected),
            "found": len(found[kind]),
            "precision": len(hit) / len(found[kind]) if found[kind] else 1.0,
            "recall": len(hit) / len(expected) if expected else 1.0,
        }
    return scores


# --- the whole benchmark ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000", help="items, comma-separated")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help="where generated workbooks are kept"
    )
    parser.add_argument("--runs", type=int, help="runs of each analysis (default: 3, and 1 at a million)")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument(
        "--profile", type=Path, help="after timing, profile each analysis once into this folder"
    )
    parser.add_argument("--one", type=int, metavar="SIZE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        folder = workbook(args.cache, args.one, args.seed)
        runs = args.runs or (1 if args.one >= 1_000_000 else 3)
        print(json.dumps(measure(folder, runs, args.profile)))
        return
    rows = []
    for size in sorted(int(size) for size in args.sizes.split(",")):
        workbook(args.cache, size, args.seed)
        command = [
            sys.executable,
            __file__,
            "--one",
            str(size),
            "--seed",
            str(args.seed),
            "--cache",
            str(args.cache),
        ]
        if args.runs:
            command += ["--runs", str(args.runs)]
        if args.profile:
            command += ["--profile", str(args.profile)]
        output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
        print(_line(rows[-1]), file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(markdown(rows))


def _line(row: dict[str, Any]) -> str:
    scores = row["overlap_scores"]
    return (
        f"{row['items']:>9,} items: load {row['load_s']:.1f} s, overlaps {row['overlaps_s']:.2f} s, gaps "
        f"{row['gaps_s']:.2f} s, splits {row['splits_s']:.2f} s, peak {row['peak_gb']:.2f} GB; "
        f"precision {scores['precision']:.3f}, recall {scores['recall']:.3f}"
    )


def code_version() -> str:
    """The commit the analyses ran at, and whether the working tree differed from it."""
    described = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    return described.stdout.strip() or "unknown"


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"`python bench/analyses.py {' '.join(sys.argv[1:])}`".replace(" `", "`") + f" at {code_version()}",
        "",
        "Wall-clock seconds (CPU seconds in brackets); peak RSS of the process, loading included.",
        "",
        "| items | governments | nodes | load (s) | overlaps (s) | gaps (s) | splits (s) | peak RSS (GB) "
        "| precision | recall |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        scores = row["overlap_scores"]
        cells = [f"{row[f'{phase}_s']:.2f} ({row[f'{phase}_cpu_s']:.2f})" for phase in PHASES]
        lines.append(
            f"| {row['items']:,} | {row['governments']} | {row['nodes']:,} | {' | '.join(cells)} "
            f"| {row['peak_gb']:.2f} | {scores['precision']:.3f} | {scores['recall']:.3f} |"
        )
    lines += ["", "Overlaps per kind (true / found / planted, precision, recall):", ""]
    lines += ["| items | " + " | ".join(KINDS) + " | false positives |", "|---:|" + "---|" * (len(KINDS) + 1)]
    for row in rows:
        scores = row["overlap_scores"]
        cells = [
            f"{s['true']:,} / {s['found']:,} / {s['planted']:,}, {s['precision']:.3f}, {s['recall']:.3f}"
            for s in (scores["by_kind"][kind] for kind in KINDS)
        ]
        false = scores["false_positives"]
        cells.append(
            f"{false['count']:,} ({false['across_governments']} across governments, "
            f"{false['similar_text_unplanted']} unplanted similar texts)"
        )
        lines.append(f"| {row['items']:,} | " + " | ".join(cells) + " |")
    lines += ["", "Found (all kinds):", ""]
    for row in rows:
        lines.append(
            f"- {row['items']:,} items: {row['overlaps_found']:,} overlaps {row['overlaps_by_kind']}; "
            f"gaps {row['gaps_found']}; splits {row['splits_found']}"
        )
    lines += [
        "",
        "Gaps and splits against the truth (precision / recall, or recall of the planted ones):",
        "",
    ]
    for row in rows:
        parts = []
        for kind, s in {**row["gap_scores"], **row["split_scores"]}.items():
            if "precision" in s:
                parts.append(f"{kind} {s['precision']:.2f}/{s['recall']:.2f}")
            else:
                parts.append(
                    f"{kind} recall {s['recall']:.2f} ({s['found_explained']}/{s['found']} explained)"
                )
        lines.append(f"- {row['items']:,} items: " + "; ".join(parts))
    if len(rows) >= 2:
        lines += [""]
        for phase in PHASES:
            wall = _slope([(row["items"], row[f"{phase}_s"]) for row in rows])
            cpu = _slope([(row["items"], row[f"{phase}_cpu_s"]) for row in rows])
            lines.append(f"Growth of {phase}: wall-clock time ∝ N^{wall:.2f}, CPU time ∝ N^{cpu:.2f}")
    return "\n".join(lines)


def _slope(points: list[tuple[float, float]]) -> float:
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(max(y, 1e-6)) for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


if __name__ == "__main__":
    main()
