"""What recording an edition adds to serving a source (issue 17's target: under 10% at a million items).

    python bench/edition_load.py                                   # the demo workbook
    python bench/edition_load.py --items 1000000 --cache /tmp/quanze-bench   # a generated province

Does what `quanze serve SOURCE --edition 2024 --ledger FILE` does, phase by phase, in this process:
loads the source into the memory store; computes the analyses the service computes as it starts
(`api.cache.AnalysisCache`: overlaps of every verdict, split approvals, gaps and staffing of today);
then records the edition, with the findings those analyses found (`api.ledgers.served_findings`):
the item snapshots read from the graph (`item_snapshots`) and the ledger's transaction. The ledger is
a SQLite file in a temporary folder. Prints each phase in seconds (wall clock) and the edition's share
of the load alone and of the load with the analyses.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as `python bench/edition_load.py`, this folder comes first on sys.path (bench/neo4j.py would stand
# in for the driver): take it off the path first.
sys.path = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402

from api.cache import AnalysisCache  # noqa: E402
from api.ledgers import served_findings  # noqa: E402
from graph.ledger import SQLiteLedger, item_snapshots, source_files  # noqa: E402
from graph.memory import MemoryStore  # noqa: E402
from loaders.demo import DEMO_WORKBOOK  # noqa: E402
from loaders.sources import load_source  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("source", nargs="?", type=Path, help="a workbook or list folder (default: the demo)")
    parser.add_argument("--items", type=int, help="a generated province of this many items instead")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "quanze-bench")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.items:
        sys.path.insert(0, str(ROOT / "bench"))
        from analyses import workbook  # bench/analyses.py generates and caches it

        source = workbook(args.cache, args.items, args.seed)
        sys.path.pop(0)
    else:
        source = args.source or DEMO_WORKBOOK

    phases: dict[str, float] = {}
    store = MemoryStore()
    started = time.perf_counter()
    load_source(source, store)
    phases["load"] = time.perf_counter() - started

    started = time.perf_counter()
    analyses = AnalysisCache(store)
    findings = served_findings(analyses)
    analyses.staffing(date.today())  # the service computes it too, as it starts
    phases["analyses"] = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        ledger = SQLiteLedger(Path(folder) / "ledger.sqlite3")
        started = time.perf_counter()
        sources = source_files(Path(source))
        phases["edition: source digests"] = time.perf_counter() - started
        started = time.perf_counter()
        items = item_snapshots(store)
        phases["edition: item snapshots"] = time.perf_counter() - started
        started = time.perf_counter()
        ledger.record_edition("2024", sources, items, findings)
        phases["edition: ledger transaction"] = time.perf_counter() - started
        ledger.close()

    edition = sum(seconds for phase, seconds in phases.items() if phase.startswith("edition"))
    print(
        "| phase | s |\n|---|---:|\n"
        + "".join(f"| {phase} | {seconds:.2f} |\n" for phase, seconds in phases.items())
    )
    print(f"{len(items):,} items, {len(findings):,} findings; peak RSS {_peak_gb():.1f} GB")
    print(
        f"the edition adds {edition:.2f} s: {edition / phases['load']:.1%} of the load, "
        f"{edition / (phases['load'] + phases['analyses']):.1%} of the load and the analyses"
    )


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


if __name__ == "__main__":
    main()
