"""Neo4j beside the memory store, on the same generated government: load, analyses and traces (issue #6).

    NEO4J_PORT=7696 NEO4J_DATA=/tmp/quanze-neo4j-bench NEO4J_HEAP=2g NEO4J_PAGECACHE=2g scripts/neo4j/start
    python bench/neo4j.py --uri bolt://127.0.0.1:7696                    # city (10,000 items) and 100,000
    python bench/neo4j.py --uri bolt://127.0.0.1:7696 --sizes 10000 --profile
    python bench/neo4j.py --uri bolt://127.0.0.1:7696 --sizes 1000000 --apart --stores neo4j  # a province
    NEO4J_PORT=7696 scripts/neo4j/stop
    python bench/neo4j.py --uri bolt://127.0.0.1:7696 --sizes 1000000 --apart --stores memory

THE NEO4J DATABASE AT `--uri` IS WIPED: use a server of its own, with its data outside the repository.

For each size, the workbook of `bench/generate.py` (`--items` power items and functions with their
departments, units, posts and holdings in proportion, and `max(5000, items // 10)` cases with their
steps) is generated into the cache folder (outside the repository; reused when it is there). Then, in
a fresh interpreter of its own (`--one`, so the memory of one size does not carry over), the workbook
is read once and the same graph written into a `MemoryStore` and into the Neo4j (warmed up by
loading the demo city and emptied), as
`quanze load WORKBOOK --store neo4j` writes it: in one write, which the store makes one transaction,
or a load in several when it is bigger than one transaction may be on that server (the table says
which; `--transaction-rows` sets the limit instead). Each analysis (`find_overlaps`,
`find_gaps(at=the truth's reference date)`, `find_splits`) is then timed on both stores (wall clock,
one run each after a first, cold, run on Neo4j) and the answers compared; `trace_case` is timed on
`--samples` random cases, the same ones on both stores, one call at a time after a warm-up of 50, for
its p50 and p99. The load average of the machine is printed with the timings: other work may share
its cores.

A province (1,000,000 items, 11 million nodes and edges) does not fit in this machine's 24 GB as
one process holding both stores and the workbook beside the server: `--apart` measures each store in
processes of its own, and Neo4j in two, one that reads the workbook and loads it and one that then
analyses and traces what the server holds without reading the workbook, as `quanze load` and
`quanze overlaps` would. Run the memory store's side with the server stopped (its gaps fork a second
process that needs the memory), and compare the digests of the answers the two tables print.

`--profile` says where the analyses' time goes on Neo4j: they read every edge of a kind through
`reader.edges(kind=…)` (graph/analyses/links.py). For each kind the script times reading its edges a
record an edge (as a query with an end does), in lists of `batch_size` a record (as `edges(kind=…)`
does), and making `Edge`s of those lists.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/neo4j.py`, this folder comes first on sys.path, and this file would stand in for the
# Neo4j driver (`neo4j`) that graph/neo4j/ imports: take the folder off the path first.
sys.path = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import gc  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date  # noqa: E402
from typing import Any  # noqa: E402

from graph import GraphReader, MemoryStore  # noqa: E402
from graph.analyses import find_gaps, find_overlaps, find_splits  # noqa: E402
from graph.analyses.trace import trace_case  # noqa: E402
from graph.neo4j import Neo4jSettings, Neo4jStore  # noqa: E402
from loaders.readgraph import write_graph  # noqa: E402
from loaders.workbook import read_workbook  # noqa: E402
from ontology import EdgeKind, NodeKind  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path("/tmp/quanze-bench-neo4j")
DEFAULT_SIZES = (10_000, 100_000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--uri", required=True, help="the Neo4j to use: ITS DATABASE IS WIPED")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="power items, comma-separated (default 10000,100000; 1000000 for a province)",
    )
    parser.add_argument("--samples", type=int, default=2000, help="cases to trace (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where generated workbooks go")
    parser.add_argument(
        "--transaction-rows", type=int, help="Neo4jStore's max_transaction_rows (default: from the server)"
    )
    parser.add_argument("--profile", action="store_true", help="time the edge reads of the analyses by part")
    parser.add_argument(
        "--apart",
        action="store_true",
        help="measure each store in processes of its own, one after the other, and Neo4j in two: one reads "
        "the workbook and loads it, the next analyses and traces what the server holds, as `quanze load` "
        "and `quanze overlaps` would (for 1,000,000 items: the stores and the workbook do not fit in memory "
        "together)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    parser.add_argument(  # with --one: what of Neo4j's measurement this process does
        "--phase", choices=("all", "load", "analyse"), default="all", help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--stores",
        default="memory,neo4j",
        help="the stores to measure (default memory,neo4j; one alone leaves the other column empty)",
    )
    args = parser.parse_args(argv)
    if args.cache.resolve().is_relative_to(ROOT):
        parser.error("keep the generated workbooks outside the repository")

    if args.one is not None:
        folder = workbook(args.cache, args.one, args.seed)
        print(json.dumps(measure(folder, args)), flush=True)
        return 0

    rows = []
    for size in (int(size) for size in args.sizes.split(",")):
        workbook(args.cache, size, args.seed)  # generated here, so its time is not the measurement's
        row: dict[str, Any] = {}
        runs = [(args.stores, "all")]
        if args.apart:
            runs = [(stores, "all") for stores in args.stores.split(",") if stores != "neo4j"]
            if "neo4j" in args.stores.split(","):
                runs += [("neo4j", "load"), ("neo4j", "analyse")]
        for stores, phase in runs:
            command = [sys.executable, __file__, "--one", str(size), "--stores", stores, "--phase", phase]
            finished = subprocess.run(
                [*command, *_passed_on(args)], cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False
            )
            if finished.returncode != 0:
                print(
                    f"{size:,} items, {stores} ({phase}): the measurement failed ({finished.returncode})",
                    file=sys.stderr,
                )
                break
            measured = json.loads(finished.stdout.strip().splitlines()[-1])
            if row:
                measured["rss_gb"] = max(row["rss_gb"], measured["rss_gb"])
            row.update(measured)
        else:
            for name in ANSWERS:  # measured apart: the answers compare by their digests
                if f"{name}_memory_digest" in row and f"{name}_neo4j_digest" in row:
                    row.setdefault(
                        f"{name}_same", row[f"{name}_memory_digest"] == row[f"{name}_neo4j_digest"]
                    )
            rows.append(row)
            print(table([row]), flush=True)
    if len(rows) > 1:
        print(table(rows))
    return 0


def workbook(cache: Path, items: int, seed: int) -> Path:
    """The folder of the generated workbook of `items` items, generated (in a subprocess) when missing."""
    cases = max(5000, items // 10)
    folder = cache / f"items-{items}-seed-{seed}-cases-{cases}"
    if not (folder / "truth.json").exists():
        command = [sys.executable, str(ROOT / "bench" / "generate.py"), "--items", str(items)]
        command += ["--seed", str(seed), "--cases", str(cases), "--out", str(folder)]
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, stdout=sys.stderr)
        print(f"generated {folder} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return folder


# --- one size, in its own process ---------------------------------------------------------------------


def measure(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Load, analyse and trace on the stores of `--stores`; the figures as a dictionary (printed as JSON).
    The answers are compared when both stores are measured, and given as digests to compare otherwise."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    at = date.fromisoformat(truth["reference_date"])
    row: dict[str, Any] = {"items": truth["items_asked"], "governments": len(truth["governments"])}
    if args.phase == "analyse":
        return analyse_loaded(row, at, args)

    started = time.perf_counter()
    read = read_workbook(folder)
    row["read_s"] = time.perf_counter() - started
    row["nodes"], row["edges"] = len(read.nodes), len(read.edges)
    row["cases"] = read.counts()[NodeKind.CASE]
    _log(row, f"read {row['nodes']:,} nodes and {row['edges']:,} edges in {row['read_s']:.0f} s")
    cases = sorted(node_id for node_id, node in read.nodes.items() if node.kind is NodeKind.CASE)
    chosen, warm = sampled(cases, args)
    row["trace_calls"] = len(chosen)

    stores = args.stores.split(",")
    answers: dict[str, dict[str, Any]] = {}
    if "memory" in stores:
        memory = MemoryStore()
        row["load_memory_s"], _ = timed(lambda: write_graph(read, memory))
        _log(row, f"loaded into memory in {row['load_memory_s']:.0f} s")
        if "neo4j" not in stores:
            read.nodes.clear()
            read.edges.clear()
        answers["memory"] = analyse(memory, "memory", row, at, chosen, warm)
    if "neo4j" in stores:
        store = Neo4jStore(
            Neo4jSettings.from_env({"NEO4J_URI": args.uri}), max_transaction_rows=args.transaction_rows
        )
        try:
            store.setup_schema()
            warm_up(store)
            row["server"] = server_memory(store)
            row["transaction_rows"] = store.transaction_rows()
            size = row["nodes"] + row["edges"]
            transactions = count_load_transactions(store)
            row["load_average_before"] = os.getloadavg()[0]
            row["load_neo4j_s"], _ = timed(lambda: write_graph(read, store))
            row["load_average_after"] = os.getloadavg()[0]
            row["transactions"] = len(transactions) or 1
            row["largest_transaction"] = max(transactions, default=size)
            _log(
                row,
                f"loaded into Neo4j in {row['load_neo4j_s']:.0f} s ({size / row['load_neo4j_s']:,.0f} a second)",
            )
            read.nodes.clear()
            read.edges.clear()
            if args.phase == "load":  # the next process analyses what the server holds
                return answered(row, {})
            answers["neo4j"] = analyse_neo4j(store, row, at, chosen, warm, args)
        finally:
            store.close()
    return answered(row, answers)


def analyse_loaded(row: dict[str, Any], at: date, args: argparse.Namespace) -> dict[str, Any]:
    """Analyse and trace the graph the `load` phase left in Neo4j, then empty it: the same analyses and
    traces of the same cases as on the memory store, from a process that never read the workbook."""
    store = Neo4jStore(
        Neo4jSettings.from_env({"NEO4J_URI": args.uri}), max_transaction_rows=args.transaction_rows
    )
    try:
        cases = list(store.sorted_ids(NodeKind.CASE))
        if not cases:
            raise SystemExit(f"Neo4j at {args.uri} holds no cases: run the load phase first")
        chosen, warm = sampled(cases, args)
        row["trace_calls"] = len(chosen)
        answers = {"neo4j": analyse_neo4j(store, row, at, chosen, warm, args)}
    finally:
        store.close()
    return answered(row, answers)


def analyse_neo4j(
    store: Neo4jStore,
    row: dict[str, Any],
    at: date,
    chosen: list[str],
    warm: list[str],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """`analyse` on Neo4j, then with `--profile` its edge reads; empty the database and return the answers."""
    answers = analyse(store, "neo4j", row, at, chosen, warm)
    if args.profile:
        row["edge_reads"] = profile_edge_reads(store)
    store.clear()
    return answers


def sampled(cases: list[str], args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """The cases to trace and those to warm up with, drawn from the sorted ids of all of them."""
    rng = random.Random(args.seed)
    chosen = rng.sample(cases, min(args.samples, len(cases)))
    return chosen, rng.sample(cases, min(50, len(cases)))


def answered(row: dict[str, Any], answers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`row` with this process's peak memory and the answers' digests, compared when both stores gave them."""
    row["rss_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    for name in ANSWERS:
        for store_name, found in answers.items():
            row[f"{name}_{store_name}_digest"] = hashlib.sha256(repr(found[name]).encode()).hexdigest()
        if len(answers) == 2:
            row[f"{name}_same"] = answers["memory"][name] == answers["neo4j"][name]
    return row


ANSWERS = ("overlaps", "gaps", "splits", "traces")


def analyse(
    reader: GraphReader, name: str, row: dict[str, Any], at: date, chosen: list[str], warm: list[str]
) -> dict[str, Any]:
    """Time the analyses and the traces on `reader` into `row`; return their answers."""
    gc.collect()
    analyses: dict[str, Callable[[GraphReader], Any]] = {
        "overlaps": find_overlaps,
        "gaps": lambda reader: find_gaps(reader, at=at),
        "splits": find_splits,
    }
    answers: dict[str, Any] = {}
    for analysis_name, analysis in analyses.items():
        if name == "neo4j":
            row[f"{analysis_name}_neo4j_cold_s"], _ = timed(lambda: analysis(reader))  # noqa: B023
        row[f"{analysis_name}_{name}_s"], answers[analysis_name] = timed(lambda: analysis(reader))  # noqa: B023
        row[f"{analysis_name}_found"] = len(answers[analysis_name])
        _log(row, f"{analysis_name} on {name}: {row[f'{analysis_name}_{name}_s']:.1f} s")
    row[f"load_average_analyses_{name}"] = os.getloadavg()[0]
    for case in warm:
        trace_case(reader, case)
    seconds, answers["traces"] = [], []
    for case in chosen:
        started = time.perf_counter()
        answers["traces"].append(trace_case(reader, case))
        seconds.append(time.perf_counter() - started)
    row[f"trace_{name}"] = percentiles(seconds)
    row[f"load_average_traces_{name}"] = os.getloadavg()[0]
    traced = row[f"trace_{name}"]
    _log(row, f"traces on {name}: p50 {traced['p50_ms']:.1f} ms, p99 {traced['p99_ms']:.1f} ms")
    return answers


def _log(row: dict[str, Any], message: str) -> None:
    print(f"  {row['items']:,} items: {message}", file=sys.stderr, flush=True)


def warm_up(store: Neo4jStore) -> None:
    """Load the demo city in one transaction and in several, then empty the database: the server has then
    planned the statements and compiled its code, as a server that has been running has."""
    from loaders.demo import DEMO_WORKBOOK

    demo = read_workbook(DEMO_WORKBOOK)
    in_several = Neo4jStore(store.settings, max_transaction_rows=5_000)
    try:
        for writer in (store, in_several):
            store.clear()
            write_graph(demo, writer)
    finally:
        in_several.close()
    store.clear()


def count_load_transactions(store: Neo4jStore) -> list[int]:
    """A list that gets the rows of each transaction of a load in several, as the store writes them."""
    rows: list[int] = []
    write_chunk = store.write_load_transaction

    def counted(load: str, items: Any) -> None:
        rows.append(len(items))
        write_chunk(load, items)

    store.write_load_transaction = counted  # type: ignore[method-assign]
    return rows


def server_memory(store: Neo4jStore) -> str:
    """The server's heap and page cache, as it reports them (JMX and its settings)."""
    heap = store.read_query(
        "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
        "RETURN attributes.HeapMemoryUsage.value.properties.max AS max",
        {},
        "reading the heap",
    )[0]["max"]
    cache = store.read_query(
        "CALL dbms.listConfig('server.memory.pagecache.size') YIELD value RETURN value",
        {},
        "reading the settings",
    )[0]["value"]
    return f"heap {heap / 1024**3:.1f} GiB, page cache {cache}"


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Wall-clock seconds of one call after a collection, and its result."""
    gc.collect()
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    at = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000  # noqa: E731
    return {"p50_ms": at(0.50), "p99_ms": at(0.99), "max_ms": ordered[-1] * 1000}


def profile_edge_reads(store: Neo4jStore) -> list[dict[str, Any]]:
    """For each edge kind: its edges, and the seconds of reading them a record an edge (as `edges()` with an
    end does), in lists of `batch_size` a record (as `edges(kind=…)` does), of decoding those lists into
    `Edge`s, and of `store.edges(kind=…)` in all."""
    from graph.neo4j import EDGES, EDGES_OF_KIND, edge_of

    found = []
    for kind in EdgeKind:
        records_s, records = timed(lambda: store.read_query(EDGES[(False, kind, False)], {}, "reading"))  # noqa: B023
        if not records:
            continue
        batch = {"batch": store.batch_size}
        lists_s, lists = timed(lambda: store.read_query(EDGES_OF_KIND[kind], batch, "reading"))  # noqa: B023
        rows = [row for record in lists for row in record["rows"]]
        decode_s, _ = timed(lambda: [edge_of(s, kind, t, dict(p)) for s, t, p in rows])  # noqa: B023
        total_s, _ = timed(lambda: list(store.edges(kind=kind)))  # noqa: B023
        found.append(
            {
                "kind": kind.value,
                "edges": len(records),
                "records_s": records_s,
                "lists_s": lists_s,
                "decode_s": decode_s,
                "total_s": total_s,
            }
        )
    return found


# --- the report -----------------------------------------------------------------------------------------


def table(rows: list[dict[str, Any]]) -> str:
    """The figures of each size as a Markdown table: memory and Neo4j side by side ("—": not measured)."""
    lines = []
    for row in rows:
        size = row["nodes"] + row["edges"]
        rate = {name: size / row[f"load_{name}_s"] for name in ("memory", "neo4j") if f"load_{name}_s" in row}
        lines += [
            "",
            f"### {row['items']:,} items ({row['governments']} governments): {row['nodes']:,} nodes, "
            f"{row['edges']:,} edges, {row['cases']:,} cases",
            "",
            "| | memory | Neo4j | Neo4j / memory |",
            "| --- | ---: | ---: | ---: |",
            _pair("load (s)", row.get("load_memory_s"), row.get("load_neo4j_s")),
            _pair("load (nodes+edges a second)", rate.get("memory"), rate.get("neo4j"), digits=0),
        ]
        for name in ("overlaps", "gaps", "splits"):
            label = f"{name} (s; {row[f'{name}_found']:,} found{_same(row, name)})"
            lines.append(_pair(label, row.get(f"{name}_memory_s"), row.get(f"{name}_neo4j_s")))
        for part in ("p50_ms", "p99_ms", "max_ms"):
            label = f"trace_case {part.removesuffix('_ms')} (ms; {row['trace_calls']:,} cases{_same(row, 'traces')})"
            lines.append(
                _pair(label, row.get("trace_memory", {}).get(part), row.get("trace_neo4j", {}).get(part))
            )
        notes = [
            f"Reading the workbook: {row['read_s']:.0f} s; peak memory of the measuring process {row['rss_gb']:.1f} GB."
        ]
        if "load_neo4j_s" in row:
            notes.insert(
                0,
                f"Neo4j ({row['server']}; one transaction holds up to {row['transaction_rows']:,} nodes and edges): "
                + (
                    "loaded in one transaction; "
                    if row["transactions"] == 1
                    else f"loaded in {row['transactions']} transactions of up to {row['largest_transaction']:,}; "
                )
                + "first (cold) runs of the analyses: "
                + ", ".join(
                    f"{name} {row[f'{name}_neo4j_cold_s']:.1f} s" for name in ("overlaps", "gaps", "splits")
                )
                + ".",
            )
            notes.append(
                f"Load average (2 cores): {row['load_average_before']:.1f} before the Neo4j load, "
                f"{row['load_average_after']:.1f} after it."
            )
        for name in ("memory", "neo4j"):
            if f"load_average_traces_{name}" in row:
                notes.append(
                    f"On {name}: load average {row[f'load_average_analyses_{name}']:.1f} after the analyses, "
                    f"{row[f'load_average_traces_{name}']:.1f} after the traces."
                )
        digests = [
            f"{name} {row[f'{name}_{store}_digest'][:12]}"
            for store in ("memory", "neo4j")
            for name in ANSWERS
            if f"{name}_{store}_digest" in row and f"{name}_same" not in row
        ]
        if digests:  # one store measured: compare with a run on the other
            notes.append(
                "Digests of the answers (SHA-256, to compare with another run): " + ", ".join(digests) + "."
            )
        lines += ["", " ".join(notes)]
        if row.get("edge_reads"):
            lines += [
                "",
                "| edge kind | edges | a record an edge (s) | lists of records (s) | decoding the lists (s) "
                "| edges(kind=…) (s) | µs an edge |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for read in row["edge_reads"]:
                lines.append(
                    f"| {read['kind']} | {read['edges']:,} | {read['records_s']:.2f} | {read['lists_s']:.2f} | "
                    f"{read['decode_s']:.2f} | {read['total_s']:.2f} | {read['total_s'] / read['edges'] * 1e6:.1f} |"
                )
            totals = {
                key: sum(read[key] for read in row["edge_reads"])
                for key in ("records_s", "lists_s", "decode_s", "total_s")
            }
            lines.append(
                f"| all | {sum(read['edges'] for read in row['edge_reads']):,} | {totals['records_s']:.2f} | "
                f"{totals['lists_s']:.2f} | {totals['decode_s']:.2f} | {totals['total_s']:.2f} | |"
            )
    return "\n".join(lines)


def _same(row: dict[str, Any], name: str) -> str:
    if f"{name}_same" not in row:
        return ""
    return ", same answers" if row[f"{name}_same"] else ", DIFFERENT ANSWERS"


def _pair(label: str, memory: float | None, neo4j: float | None, digits: int = 2) -> str:
    shown = [f"{value:,.{digits}f}" if value is not None else "—" for value in (memory, neo4j)]
    ratio = f"{neo4j / memory:,.1f}×" if memory and neo4j is not None else ""
    return f"| {label} | {shown[0]} | {shown[1]} | {ratio} |"


def _passed_on(args: argparse.Namespace) -> list[str]:
    passed = [
        "--uri",
        args.uri,
        "--samples",
        str(args.samples),
        "--seed",
        str(args.seed),
        "--cache",
        str(args.cache),
    ]
    if args.transaction_rows:
        passed += ["--transaction-rows", str(args.transaction_rows)]
    if args.profile:
        passed.append("--profile")
    return passed


if __name__ == "__main__":
    raise SystemExit(main())
