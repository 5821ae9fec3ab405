"""How fast the ledger writes and reads a review, records an edition and diffs two (issue 17).

    python bench/ledger.py                                             # SQLite; 100,000 and 1,000,000 items
    python bench/ledger.py --uri bolt://127.0.0.1:7696 --stores sqlite neo4j
    python bench/ledger.py --sizes 100000 --writes 200

THE LEDGER NODES OF THE NEO4J DATABASE AT `--uri` ARE DELETED (the graph's are left alone); the SQLite
files go to `--dir` (outside the repository) and are removed.

Reviews: `--writes` reviews of distinct overlaps, one at a time (`Ledger.review`: the rules, then one
transaction appending the review and its audit entry; SQLite in WAL mode with `synchronous=FULL`, so
each write waits for the disk), then as many reads of one finding's current review
(`Ledger.current([id])`) and history; p50 and p99 in milliseconds. The issue's target is a review
answered in under 20 ms p99 (the service's round trip adds to this).

Editions: N item snapshots shaped like a province's (200 governments, 40 departments each, codes
made from a 序号 for half the governments and given by the list for the other half, a basis of some
60 characters) and 2% of N findings; `record_edition` of edition A is timed, then of edition B (1% of
the items removed, 1% added, 1% renamed a little, 1% with another basis, the half with made codes
renumbered, a tenth of the findings gone and as many new), then `edition_diff(A, B)`, which reads
both editions back. Targets: an edition of a province (1M items) adds under 10% to its load
(docs/benchmarks.md: 76 s into the memory store, 512 s into Neo4j, at 10d54fe), the diff of two
under 30 s. Each size runs in a fresh interpreter (`--one`), so its peak memory is its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/ledger.py`, this folder comes first on sys.path, and bench/neo4j.py would stand in
# for the Neo4j driver (`neo4j`) that graph/ledger/neo4j.py imports: take the folder off the path first.
sys.path = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from graph.ledger import ItemSnapshot, LedgerBase, Source, SQLiteLedger  # noqa: E402
from graph.ledger.neo4j import Neo4jLedger  # noqa: E402
from graph.neo4j import Neo4jSettings  # noqa: E402

DEFAULT_DIR = Path(tempfile.gettempdir()) / "quanze-bench"
LABELS = ("Review", "AuditEntry", "Edition", "ItemSnapshot", "LedgerMeta", "ManualScore")
TYPES = (
    ("行政许可", "XK"),
    ("行政处罚", "CF"),
    ("行政检查", "JC"),
    ("行政确认", "QR"),
    ("其他行政权力", "QT"),
)
SUBJECTS = [
    "食品",
    "药品",
    "建设工程",
    "危险化学品",
    "道路运输",
    "特种设备",
    "农药",
    "文物",
    "旅行社",
    "燃气",
    "城镇供水",
    "广告",
    "计量器具",
    "粮食",
    "测绘",
]
ACTS = ("未取得许可从事经营活动", "违反规定擅自变更", "未按规定公示信息", "拒绝接受监督检查", "伪造相关材料")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stores", nargs="+", choices=("sqlite", "neo4j"), default=["sqlite"])
    parser.add_argument("--uri", help="the Neo4j for --stores neo4j: ITS LEDGER NODES ARE DELETED")
    parser.add_argument(
        "--sizes", nargs="+", type=int, default=[100_000, 1_000_000], help="items of an edition"
    )
    parser.add_argument("--writes", type=int, default=1000, help="reviews written and read (default 1000)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where the SQLite files go")
    parser.add_argument("--one", nargs=2, metavar=("STORE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if "neo4j" in args.stores and not args.uri:
        parser.error("--stores neo4j needs --uri")
    if args.one:
        store, size = args.one[0], int(args.one[1])
        print(json.dumps(_measure(store, size, args)))
        return
    rows = []
    for store in args.stores:
        for size in [0, *args.sizes]:  # 0: the reviews alone
            command = [sys.executable, __file__, "--one", store, str(size), "--writes", str(args.writes)]
            command += ["--dir", str(args.dir)] + (["--uri", args.uri] if args.uri else [])
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"{store} {size:,}: {rows[-1]}", file=sys.stderr)
    _print_tables(rows)


def _measure(store: str, size: int, args: argparse.Namespace) -> dict[str, object]:
    ledger = _open(store, args)
    try:
        if size == 0:
            return {"store": store, **_reviews(ledger, args.writes)}
        return {"store": store, "items": size, **_editions(ledger, size)}
    finally:
        ledger.close()
        _drop(store, args)


def _open(store: str, args: argparse.Namespace) -> LedgerBase:
    if store == "sqlite":
        args.dir.mkdir(parents=True, exist_ok=True)
        path = args.dir / "ledger-bench.sqlite3"
        _drop(store, args)
        return SQLiteLedger(path)
    _drop(store, args)
    return Neo4jLedger(Neo4jSettings(uri=args.uri))


def _drop(store: str, args: argparse.Namespace) -> None:
    if store == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (args.dir / f"ledger-bench.sqlite3{suffix}").unlink(missing_ok=True)
        return
    ledger = Neo4jLedger(Neo4jSettings(uri=args.uri))
    labels = " OR ".join(f"n:{label}" for label in LABELS)
    with ledger.connection.session(notifications=False) as session:
        session.run(
            f"MATCH (n) WHERE {labels} CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS"
        )
    ledger.close()


def _reviews(ledger: LedgerBase, writes: int) -> dict[str, object]:
    findings = [f"overlap:item:XK-{number}|item:CF-{number}" for number in range(writes)]
    ledger.review("overlap:warm|up", "CONFIRMED", role="staffing", reviewer="王芳")
    written = []
    for finding in findings:
        started = time.perf_counter()
        ledger.review(finding, "RECTIFYING", role="staffing", reviewer="王芳", note="限期整改")
        written.append(time.perf_counter() - started)
    read = []
    for finding in findings:
        started = time.perf_counter()
        ledger.current([finding])
        ledger.history(finding)
        read.append(time.perf_counter() - started)
    return {"writes": writes, "write": _percentiles(written), "read": _percentiles(read)}


def _editions(ledger: LedgerBase, size: int) -> dict[str, object]:
    chance = random.Random(size)
    first = _province(size, chance)
    second = _next_edition(first, chance)
    findings = [f"overlap:{chance.getrandbits(64):016x}" for _ in range(size // 50)]
    kept = findings[len(findings) // 10 :]
    later = [*kept, *(f"gap:{chance.getrandbits(64):016x}" for _ in range(len(findings) - len(kept)))]
    sources = [Source("province.csv", "0" * 64)]
    at = datetime(2024, 3, 1, tzinfo=UTC)
    started = time.perf_counter()
    ledger.record_edition("A", sources, first, findings, at=at)
    record_a = time.perf_counter() - started
    started = time.perf_counter()
    ledger.record_edition("B", sources, second, later, at=at + timedelta(days=365))
    record_b = time.perf_counter() - started
    started = time.perf_counter()
    diff = ledger.edition_diff("A", "B")
    diffed = time.perf_counter() - started
    return {
        "record_a_s": round(record_a, 2),
        "record_b_s": round(record_b, 2),
        "diff_s": round(diffed, 2),
        "added": len(diff.added),
        "removed": len(diff.removed),
        "changed": len(diff.changed),
        "appeared": len(diff.findings_appeared),
        "resolved": len(diff.findings_resolved),
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2),
    }


def _province(size: int, chance: random.Random) -> list[ItemSnapshot]:
    """`size` items in 200 governments of 40 departments; the first half of the governments' codes
    are made from a 序号 (`<department>-XK-12`), the others given by their lists (`XK-0012-007`)."""
    items = []
    per_government = max(size // 200, 1)
    for number in range(size):
        government, place = divmod(number, per_government)
        department = f"第{government}市第{place % 40}局"
        power_type, letters = TYPES[number % len(TYPES)]
        name = f"对{chance.choice(SUBJECTS)}{chance.choice(ACTS)}行为的{power_type[2:]}（{number}）"
        code = (
            f"{department}-{letters}-{place // 40 + 1}"
            if government < 100
            else f"{letters}-{government:04}-{place:05}"
        )
        basis = f"《中华人民共和国{chance.choice(SUBJECTS)}管理条例》第{chance.randint(1, 90)}条第{chance.randint(1, 5)}款：县级以上人民政府有关部门依法履行监督管理职责"
        items.append(
            ItemSnapshot(
                code,
                name,
                power_type,
                None,
                (department,),
                basis,
                f"第{government}市人民政府",
                government < 100,
            )
        )
    return items


def _next_edition(items: list[ItemSnapshot], chance: random.Random) -> list[ItemSnapshot]:
    """The next year's lists: 1% of the items gone, 1% new, 1% renamed a little, 1% with another
    basis, and every made code renumbered (a row gone above it)."""
    following = []
    for number, item in enumerate(items):
        roll = chance.random()
        if roll < 0.01:
            continue
        if roll < 0.02:
            item = replace(item, name=item.name.replace("行为的", "的"))
        elif roll < 0.03:
            item = replace(item, basis=f"{item.basis}（2024年修订）")
        if "-" in item.code and not item.code[0].isascii():
            head, _, place = item.code.rpartition("-")
            item = replace(item, code=f"{head}-{int(place) + 1}")
        following.append(item)
        if roll > 0.99:
            following.append(replace(item, code=f"NEW-{number}", name=f"新增事项{number}"))
    return following


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


def _print_tables(rows: list[dict[str, object]]) -> None:
    print("| store | reviews | write p50 (ms) | write p99 (ms) | read p50 (ms) | read p99 (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        if "writes" in row:
            write, read = row["write"], row["read"]
            assert isinstance(write, dict) and isinstance(read, dict)
            print(
                f"| {row['store']} | {row['writes']:,} | {write['p50_ms']} | {write['p99_ms']} "
                f"| {read['p50_ms']} | {read['p99_ms']} |"
            )
    print()
    print(
        "| store | items | record A (s) | record B (s) | diff (s) | added | removed | changed | appeared | resolved | peak RSS (GB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        if "items" in row:
            print(
                f"| {row['store']} | {row['items']:,} | {row['record_a_s']} | {row['record_b_s']} | {row['diff_s']} "
                f"| {row['added']:,} | {row['removed']:,} | {row['changed']:,} | {row['appeared']:,} "
                f"| {row['resolved']:,} | {row['peak_rss_gb']} |"
            )


if __name__ == "__main__":
    main()
