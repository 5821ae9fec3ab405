"""Digests of everything quanze answers on a source: the loaded graph, overlaps, gaps, splits, traces.

    python bench/digests.py                                  # the demo and the shared real data
    python bench/digests.py --items 10000 --cache /tmp/quanze-bench

prints one line per source and answer with a SHA-256 (its first 16 digits) of the answer written as
canonical JSON (dataclasses as dicts, keys sorted), so that two commits can be compared: a change that
should not change behaviour (a refactoring) keeps every digest. The answers are those of the memory
store, on a fixed reference date; `--items N` adds a generated province of N items with cases
(`bench/generate.py`, kept in `--cache`).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import enum  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
from datetime import date  # noqa: E402
from typing import Any  # noqa: E402

from graph import MemoryStore  # noqa: E402
from graph.analyses import find_gaps, find_overlaps, find_splits  # noqa: E402
from graph.analyses.trace import trace_case  # noqa: E402
from loaders.demo import DEMO_WORKBOOK  # noqa: E402
from loaders.sources import load_source  # noqa: E402
from ontology import EdgeKind, NodeKind  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"
AT = date(2024, 6, 30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, help="also a generated province of this many items")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/quanze-bench"), help="where it is kept")
    args = parser.parse_args(argv)
    sources = {
        "demo": DEMO_WORKBOOK,
        "karamay": REAL / "karamay-power-lists",
        "guangdong": REAL / "guangdong-service-items" / "policy.jsonl",
    }
    if args.items:
        folder = args.cache / f"digests-{args.items}"
        if not (folder / "truth.json").is_file():
            generate = [sys.executable, str(ROOT / "bench" / "generate.py"), "--items", str(args.items)]
            subprocess.run([*generate, "--cases", str(args.items // 10), "--out", str(folder)], check=True)
        sources[f"province-{args.items}"] = folder
    for name, path in sources.items():
        for answer, digest in digests(path).items():
            print(f"{name:<16} {answer:<9} {digest}")
    return 0


def digests(path: Path) -> dict[str, str]:
    """The digest of each answer on the source at `path`, loaded into a memory store."""
    store = MemoryStore()
    load_source(path, store)
    nodes = sorted(_canonical(node) for kind in NodeKind for node in store.nodes(kind))
    edges = sorted(_canonical(edge) for kind in EdgeKind for edge in store.edges(kind=kind))
    cases = sorted(node.id for node in store.nodes(NodeKind.CASE))
    answers = {
        "graph": [nodes, edges],
        "overlaps": find_overlaps(store, verdicts=None),
        "gaps": find_gaps(store, at=AT),
        "splits": find_splits(store),
        "traces": [trace_case(store, case) for case in cases],
    }
    return {
        name: hashlib.sha256(_canonical(found).encode()).hexdigest()[:16] for name, found in answers.items()
    }


def _canonical(value: Any) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True, default=str)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(_plain(key)): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=repr)
    return value


if __name__ == "__main__":
    raise SystemExit(main())
