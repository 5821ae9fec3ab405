"""The ledger of a command (`quanze serve|load --edition`, `diff`, `audit`, `export --ledger`).

With a Neo4j store the ledger is in its database; with the memory store it is the SQLite file of
`--ledger`, else of the settings (`QUANZE_LEDGER`), else the default file of the user's data
directory. An edition is checked before the load (a label taken by other files is refused before
any work) and recorded after it, with the findings the analyses found: the service's own, when it
serves the source, so that they are computed once for both.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from api.cache import AnalysisCache
from graph.ledger import (
    Ledger,
    Source,
    SQLiteLedger,
    default_label,
    default_ledger_path,
    finding_ids,
    record_loaded_edition,
    recorded_from,
    source_files,
)
from graph.memory import MemoryStore
from graph.store import GraphStore
from loaders.sources import reading

__all__ = ["Edition", "edition_to_record", "open_ledger", "record_edition", "served_findings"]

#: the label of an edition to record and the files it is read from
Edition = tuple[str, list[Source]]


def open_ledger(
    args: argparse.Namespace, store: GraphStore | None = None, file: Path | None = None
) -> Ledger:
    """The ledger of a command: in the Neo4j database of `store` (or, without one, with --store neo4j),
    else the SQLite file of `--ledger`, else `file` (the settings'), else the default file."""
    if isinstance(store, MemoryStore) or (store is None and getattr(args, "store", None) != "neo4j"):
        return SQLiteLedger(args.ledger or file or default_ledger_path())
    from graph.ledger.neo4j import Neo4jLedger  # the memory store's commands never load the driver
    from graph.neo4j import Neo4jSettings, Neo4jStore

    return Neo4jLedger(store if isinstance(store, Neo4jStore) else Neo4jSettings.from_env())


def edition_to_record(args: argparse.Namespace, ledger: Ledger, source: Path) -> Edition | None:
    """`--edition`: the label and files of the edition to record once `source` is loaded (None: no
    edition asked for). Raises `EditionExists` before any work when the label is another source's."""
    if args.edition is None:
        return None
    with reading(source):
        sources, label = source_files(source), args.edition.strip() or default_label(source)
    recorded_from(ledger, label, sources)
    return label, sources


def served_findings(analyses: AnalysisCache) -> list[str]:
    """The ids of the findings an edition records, from the service's analyses (computed now, and
    kept for its answers)."""
    today = date.today()
    return finding_ids(analyses.overlaps(), analyses.gaps(today), analyses.splits())


def record_edition(
    store: GraphStore, ledger: Ledger, edition: Edition, *, findings: list[str] | None = None
) -> None:
    """Record `edition` of the source loaded into `store` (its findings: `findings`, else found now),
    and say what its load set."""
    label, sources = edition
    record = record_loaded_edition(store, ledger, label, sources, findings=findings)
    said = (
        f"recorded edition {label}: {record.edition.items} items; {len(record.changed)} reviews set by "
        f"the load (RECTIFIED or REOPENED); {len(record.overdue)} rectifications overdue"
        if record is not None
        else f"edition {label} is recorded already from these files (a restart): nothing recorded"
    )
    print(f"quanze: {said}", file=sys.stderr)
