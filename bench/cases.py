"""Time the case search (issue 19) at province scale: the index build, then p50, p99 and max of a page.

    python bench/cases.py                                   # 200 governments, 1,000,000 cases, in memory
    python bench/cases.py --cases 200000 --samples 2000
    python bench/cases.py --store neo4j --uri bolt://127.0.0.1:7696    # the same cases on Neo4j

The workbook is bench/trace.py's province (`bench/generate.py`, generated into the cache folder outside
the repository and shared with bench/trace.py): `--governments` governments with their staff,
`--items` power items and `--cases` cases of their licences. The case index reads the cases, their
items, the items' departments and their stages' departments, never a case's steps, so the store is
loaded through the workbook loader from the workbook without its steps and accountability sheets
(办件环节, 问责: a folder of links to the other sheets). With the steps a million cases need ~16 GB
more in the memory store (bench/trace.py), and an hour more of loading into Neo4j.

Then, timed one call at a time with `time.perf_counter` after a warm-up of 50 calls:

- the index build (`build_case_index`), split into reading the columns and making the index, and what a
  call of `graph.workdays.working_days` per case would have taken instead of the index's running count
  (measured on 100,000 cases and scaled);
- `CaseIndex.search` for `--samples` random searches, half by acceptance and half by delay: no filter, a
  department, an item code, a power type, a period, an outcome, overdue or not, and mixes of those, each
  for the first page of 50 and, a third of the time, for the page after it;
- the same searches as GraphQL requests through `QueryService` (the service, without its response
  cache): the page's cases with their item and departments, answered from the cached index.

With `--store neo4j` the nodes and edges the index reads are copied from the memory store into the
Neo4j server at `--uri` (its database is REPLACED) and everything is measured again on Neo4j: the
build reads through the store's fast path (`case_columns`, two Cypher queries), and a GraphQL page
reads the store's version and the page's items and departments from the server.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/cases.py`, this folder comes first on sys.path, and bench/trace.py would stand in
# for the standard library's `trace` module (which a library may import): take the folder off the path.
sys.path = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from api.roles import Role  # noqa: E402
from api.service import QueryService  # noqa: E402
from graph import GraphReader, MemoryStore  # noqa: E402
from graph.analyses.cases import (  # noqa: E402
    CaseIndex,
    CaseQuery,
    CaseSort,
    build_case_index,
    read_case_facts,
)
from graph.analyses.trace import trace_case  # noqa: E402
from graph.store import CaseColumns  # noqa: E402
from graph.workdays import working_days  # noqa: E402
from loaders.workbook import load_workbook  # noqa: E402
from ontology import EdgeKind, NodeKind  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path("/tmp/quanze-bench")
#: the sheets the case index never reads
LEFT_OUT = ("办件环节.csv", "问责.csv")
#: what is copied into Neo4j: what the index reads
COPIED_NODES = (NodeKind.DEPARTMENT, NodeKind.POWER_ITEM, NodeKind.STAGE, NodeKind.CASE)
COPIED_EDGES = (EdgeKind.HELD_BY, EdgeKind.STAGE_OF, EdgeKind.STAGE_DEPARTMENT, EdgeKind.CASE_OF)
OUTCOMES = ("准予", "不予", "退回", "逾期", "撤回", "準予")
PAGE = 50

QUERY = """query($department: String, $item: String, $from: Date, $to: Date, $outcome: String,
  $overdue: Boolean, $powerType: String, $sort: CaseSort, $after: String) {
  cases(department: $department, item: $item, from: $from, to: $to, outcome: $outcome, overdue: $overdue,
        powerType: $powerType, sort: $sort, first: 50, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id accepted closed outcome overdue workingDays limitDays delayDays
                   item { code name } departments { name } } } } }"""


def workbook(cache: Path, governments: int, items: int, cases: int, seed: int) -> Path:
    """bench/trace.py's workbook (generated when missing), as a folder without the sheets left out."""
    folder = cache / f"trace-governments-{governments}-items-{items}-cases-{cases}-seed-{seed}"
    if not (folder / "truth.json").exists():
        command = [sys.executable, str(ROOT / "bench" / "generate.py"), "--items", str(items)]
        command += ["--governments", str(governments), "--cases", str(cases), "--seed", str(seed)]
        command += ["--out", str(folder)]
        subprocess.run(command, check=True, cwd=ROOT)
    lean = folder.with_name(folder.name + "-without-steps")
    lean.mkdir(exist_ok=True)
    for sheet in folder.glob("*.csv"):
        link = lean / sheet.name
        if sheet.name not in LEFT_OUT and not link.exists():
            link.symlink_to(sheet)
    return lean


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    at = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000  # noqa: E731
    return {
        "calls": len(ordered),
        "p50_ms": at(0.50),
        "p99_ms": at(0.99),
        "max_ms": ordered[-1] * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
    }


def searches(store: GraphReader, index: CaseIndex, samples: int, seed: int) -> list[dict[str, Any]]:
    """`samples` random searches as GraphQL variables: filters drawn from what the cases hold."""
    rng = random.Random(seed)
    rows = index.search(CaseQuery(), first=len(index)).rows
    picked = rng.sample(rows, min(2000, len(rows)))
    names = {
        node.id: node["name"]
        for node in store.nodes_by_id(sorted({d for r in picked for d in r.departments}))
        if node
    }
    first, last = min(r.accepted for r in rows), max(r.accepted for r in rows)
    shapes: list[Callable[[], dict[str, Any]]] = [
        lambda: {},
        lambda: {"department": names[rng.choice(rng.choice(picked).departments)]},
        lambda: {"item": rng.choice(picked).item_code},
        lambda: {"powerType": "行政许可"},
        lambda: _period(rng, first, last),
        lambda: {"outcome": rng.choice(OUTCOMES)},
        lambda: {"overdue": rng.random() < 0.5},
        lambda: {"department": names[rng.choice(rng.choice(picked).departments)], "overdue": True},
        lambda: {
            "department": names[rng.choice(rng.choice(picked).departments)],
            **_period(rng, first, last),
        },
        lambda: {"overdue": True, "outcome": "准予", **_period(rng, first, last)},
    ]
    found = []
    for number in range(samples):
        variables = shapes[number % len(shapes)]()
        variables["sort"] = "DELAY" if rng.random() < 0.5 else "ACCEPTED"
        variables["next"] = rng.random() < 1 / 3
        found.append(variables)
    return found


def _period(rng: random.Random, first: date, last: date) -> dict[str, str]:
    start = first + timedelta(days=rng.randrange((last - first).days))
    return {"from": start.isoformat(), "to": (start + timedelta(days=rng.choice((31, 92, 365)))).isoformat()}


def time_index(store: GraphReader, index: CaseIndex, asked: list[dict[str, Any]]) -> dict[str, Any]:
    """`CaseIndex.search` for each search (its department resolved to an id beforehand, as the API does)."""
    from graph.queries import find_department

    departments: dict[str, str] = {}
    queries = []
    for variables in asked:
        name = variables.get("department")
        if name is not None and name not in departments:
            found = find_department(store, name)
            assert found is not None
            departments[name] = found.id
        query = CaseQuery(
            department=departments[name] if name else None,
            item=variables.get("item"),
            power_type=variables.get("powerType"),
            accepted_from=date.fromisoformat(variables["from"]) if "from" in variables else None,
            accepted_to=date.fromisoformat(variables["to"]) if "to" in variables else None,
            outcome=variables.get("outcome"),
            overdue=variables.get("overdue"),
        )
        sort = CaseSort(variables["sort"])
        after = None
        if variables["next"]:
            page = index.search(query, sort, PAGE)
            after = page.rows[-1].case if page.rows else None
        queries.append((query, sort, after))
    for query, sort, after in queries[:50]:
        index.search(query, sort, PAGE, after)
    seconds, kept = [], 0
    for query, sort, after in queries:
        started = time.perf_counter()
        page = index.search(query, sort, PAGE, after)
        seconds.append(time.perf_counter() - started)
        kept += page.total
    return {**percentiles(seconds), "mean_kept": kept / len(queries)}


def time_graphql(store: GraphReader, asked: list[dict[str, Any]]) -> dict[str, Any]:
    """The same searches as GraphQL requests of an investigator, through the service."""
    service = QueryService(store, response_cache=0)

    def run(variables: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = asyncio.run(
            service.run({"query": QUERY, "variables": variables}, Role.INVESTIGATOR)
        ).body
        assert "errors" not in body, body["errors"]
        return body

    started = time.perf_counter()
    service.analyses.cases()  # the index, built in the service's cache (a first request would wait for it)
    built = time.perf_counter() - started
    requests = []
    for variables in asked:
        wanted = {k: v for k, v in variables.items() if k != "next"}
        if variables["next"]:
            cursor = run(wanted)["data"]["cases"]["pageInfo"]["endCursor"]
            wanted["after"] = cursor
        requests.append(wanted)
    for wanted in requests[:50]:
        run(wanted)
    seconds = []
    for wanted in requests:
        started = time.perf_counter()
        run(wanted)
        seconds.append(time.perf_counter() - started)
    return {**percentiles(seconds), "service_build_s": built}


def measure(store: GraphReader, samples: int, seed: int) -> dict[str, Any]:
    row: dict[str, Any] = {}
    started = time.perf_counter()
    cases, items = store.case_columns() if isinstance(store, CaseColumns) else read_case_facts(store)
    row["read_s"] = time.perf_counter() - started
    started = time.perf_counter()
    index = CaseIndex(cases, items)
    row["index_s"] = time.perf_counter() - started
    started = time.perf_counter()
    build_case_index(store)
    row["build_s"] = time.perf_counter() - started
    sample = cases[:100_000]
    started = time.perf_counter()
    for case in sample:
        if case[4]:
            working_days(case[3], case[4])
    row["workdays_per_case_s"] = (time.perf_counter() - started) * len(cases) / max(1, len(sample))
    del cases, items, sample
    row["cases"] = len(index)
    row["overdue"] = index.search(CaseQuery(overdue=True), first=0).total
    row["traced"], row["agreed"] = agreement(store, index, seed)
    asked = searches(store, index, samples, seed)
    row["search"] = time_index(store, index, asked)
    row["graphql"] = time_graphql(store, asked)
    return row


def agreement(store: GraphReader, index: CaseIndex, seed: int, samples: int = 1000) -> tuple[int, int]:
    """How many of `samples` random cases the index and `trace_case` give the same working days and
    `overdue`: all of them, or the index is wrong."""
    rows = random.Random(seed).sample(
        index.search(CaseQuery(), first=len(index)).rows, min(samples, len(index))
    )
    agreed = 0
    for row in rows:
        trace = trace_case(store, row.case)
        agreed += trace is not None and (trace.total_working_days, trace.overdue) == (
            row.working_days,
            row.overdue,
        )
    return len(rows), agreed


def copy_to_neo4j(memory: MemoryStore, uri: str) -> tuple[Any, float]:
    """A Neo4j store at `uri` replaced by what the index reads of `memory`; and the seconds it took."""
    from graph.neo4j import Neo4jSettings, Neo4jStore

    neo4j = Neo4jStore(Neo4jSettings(uri=uri))
    neo4j.setup_schema()
    started = time.perf_counter()
    with neo4j.writer() as writer:
        writer.clear()
        for kind in COPIED_NODES:
            for node in memory.nodes(kind):
                writer.add_node(node)
        for edge_kind in COPIED_EDGES:
            for edge in memory.edges(kind=edge_kind):
                writer.add_edge(edge)
    return neo4j, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--governments", type=int, default=200)
    parser.add_argument(
        "--items", type=int, default=200_000, help="power items and functions, over all governments"
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=5_000, help="searches timed")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--store", choices=["memory", "neo4j"], default="memory")
    parser.add_argument(
        "--uri", default="bolt://127.0.0.1:7696", help="the Neo4j server (its database is replaced)"
    )
    args = parser.parse_args()
    folder = workbook(args.cache, args.governments, args.items, args.cases, args.seed)
    memory = MemoryStore()
    started = time.perf_counter()
    report = load_workbook(folder, memory)
    loaded = time.perf_counter() - started
    counts = {kind.value: count for kind, count in report.counts.items() if count}
    del report
    gc.collect()
    gc.freeze()  # as a service does once loaded: full collections no longer walk the loaded graph
    rows = [("memory", measure(memory, args.samples, args.seed))]
    print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    copied = None
    if args.store == "neo4j":
        neo4j, copied = copy_to_neo4j(memory, args.uri)
        print(f"copied into Neo4j in {copied:.0f} s", file=sys.stderr, flush=True)
        rows.append(("Neo4j", measure(neo4j, args.samples, args.seed)))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(markdown(args, counts, loaded, rss, copied, rows))


def markdown(
    args: argparse.Namespace,
    counts: dict[str, int],
    loaded: float,
    rss: float,
    copied: float | None,
    rows: list[tuple[str, dict[str, Any]]],
) -> str:
    lines = [
        f"`python bench/cases.py {' '.join(sys.argv[1:])}`".replace(" `", "`"),
        "",
        f"- the workbook without its steps: {counts.get('Case', 0):,} cases of {counts.get('PowerItem', 0):,} items, "
        f"{sum(counts.values()):,} nodes, loaded into memory in {loaded:.0f} s; peak RSS {rss:.1f} GB"
        + (f"; copied into Neo4j (what the index reads) in {copied:.0f} s" if copied is not None else ""),
    ]
    for store, row in rows:
        lines.append(
            f"- {store}: {row['cases']:,} cases indexed ({row['overdue']:,} overdue; of {row['traced']:,} random "
            f"cases, {row['agreed']:,} with the working days and `overdue` of their trace); build {row['build_s']:.1f} s "
            f"(reading {row['read_s']:.1f} s, the columns {row['index_s']:.1f} s; a `working_days` call per case "
            f"instead would take ~{row['workdays_per_case_s']:.1f} s); built in the service's cache in "
            f"{row['graphql']['service_build_s']:.1f} s; a search kept {row['search']['mean_kept']:,.0f} cases "
            "on average"
        )
    lines += [
        "",
        "| store | call | calls | p50 (ms) | p99 (ms) | max (ms) | mean (ms) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for store, row in rows:
        for name, label in (("search", "`CaseIndex.search`"), ("graphql", "GraphQL `cases` page of 50")):
            s = row[name]
            cells = [f"{s[key]:.2f}" for key in ("p50_ms", "p99_ms", "max_ms", "mean_ms")]
            lines.append(f"| {store} | {label} | {s['calls']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
