"""Recording a loaded source as an edition: its files, its items, and the findings present in it.

`quanze serve|load SOURCE --edition LABEL` and the service call `record_loaded_edition` once the
graph is loaded. The findings are what the analyses a load runs find: every overlap (of every
verdict, so that an overlap judged `DIVIDED` in one edition and `OVERLAP` in the next keeps its
review), the gaps on the day of the load, and the split approvals; the findings of case traces are
not looked for, so the edition says nothing of them (`kinds`).

Serving the same source again under its label (a restart) records nothing; the label with other
files is refused, since an edition's sources never change.

    >>> record_loaded_edition(store, ledger, "2024", source_files(Path("示例市.xlsx")))   # doctest: +SKIP
    EditionRecord(edition=Edition(label='2024', …), changed=[], overdue=[])
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from graph.analyses import Gap, Overlap, SplitApproval
from graph.analyses.partitions import AnalysisRequest, analyse
from graph.identity import FindingKind
from graph.ledger.base import Ledger
from graph.ledger.model import EditionExists, EditionRecord, LedgerError, Source
from graph.ledger.rules import now
from graph.ledger.snapshots import item_snapshots
from graph.store import GraphReader

__all__ = [
    "LOAD_KINDS",
    "default_label",
    "finding_ids",
    "findings_present",
    "record_loaded_edition",
    "recorded_from",
    "source_files",
]

#: the kinds of finding the analyses of a load look for
LOAD_KINDS = (FindingKind.OVERLAP, FindingKind.GAP, FindingKind.SPLIT)
#: a split approval is a finding of an edition when it is over at least this many departments
SPLIT_DEPARTMENTS = 2
_CHUNK = 1 << 20


def source_files(source: Path) -> list[Source]:
    """The files of `source` with the SHA-256 digests of their bytes: the file itself, or every file
    of the folder (its path inside the folder as its name, sorted), but hidden files and the lock
    files an office suite leaves beside an open workbook (`~$…`). Raises `OSError` when one cannot be
    read, and `LedgerError` for a folder with no file."""
    if not source.is_dir():
        return [Source(source.name, _sha256(source))]
    files = sorted(
        path
        for path in source.rglob("*")
        if path.is_file() and not any(part.startswith((".", "~$")) for part in path.relative_to(source).parts)
    )
    if not files:
        raise LedgerError(f"{source}: the folder holds no file to record as an edition")
    return [Source(path.relative_to(source).as_posix(), _sha256(path)) for path in files]


def default_label(source: Path) -> str:
    """The label of an edition none was given for: the year the newest file of `source` was written."""
    files = [source] if source.is_file() else [path for path in source.rglob("*") if path.is_file()]
    return str(datetime.fromtimestamp(max(path.stat().st_mtime for path in files)).year)


def findings_present(reader: GraphReader, on: date) -> list[str]:
    """The ids of the findings of `LOAD_KINDS` in the graph: every overlap (every verdict), the gaps on
    the day `on`, the split approvals; sorted."""
    found = analyse(reader, AnalysisRequest(overlaps={"verdicts": None}, splits={}, at=on))
    return finding_ids(found.overlaps, found.gaps, found.splits)


def finding_ids(
    overlaps: Iterable[Overlap], gaps: Iterable[Gap], splits: Iterable[SplitApproval]
) -> list[str]:
    """The ids of these findings, sorted: what `findings_present` gives from analyses already computed
    (the service's), every overlap given and gap given, and the split approvals over two departments
    or more (`find_splits`' default: those over one are shown only when asked for)."""
    ids = {overlap.id for overlap in overlaps}
    ids.update(gap.id for gap in gaps)
    ids.update(split.id for split in splits if len(split.departments) >= SPLIT_DEPARTMENTS)
    return sorted(ids)


def record_loaded_edition(
    reader: GraphReader,
    ledger: Ledger,
    label: str,
    sources: Sequence[Source],
    at: datetime | None = None,
    *,
    findings: Iterable[str] | None = None,
) -> EditionRecord | None:
    """Record the graph of `reader`, loaded from `sources`, as the edition `label` loaded at `at`
    (default now): its item snapshots and the findings present (`findings_present`, gaps on the local
    day of `at`; or `findings`, the ids of those the caller found already: the analyses are most of
    the work); the ledger then verifies the reviews of the findings of `LOAD_KINDS` against them.

    Returns None, recording nothing, when `label` is recorded already from the same files (the same
    names and digests: a restart). Raises `EditionExists` naming what differs when it was recorded
    from other files, and `LedgerError` for an empty label.
    """
    label = label.strip()
    if recorded_from(ledger, label, sources):
        return None
    when = now() if at is None else at
    return ledger.record_edition(
        label,
        sources,
        item_snapshots(reader),
        findings_present(reader, when.astimezone().date()) if findings is None else findings,
        at=when,
        kinds=LOAD_KINDS,
    )


def recorded_from(ledger: Ledger, label: str, sources: Sequence[Source]) -> bool:
    """Whether the edition `label` is recorded from these very files (False: it is not recorded);
    raises `EditionExists`, naming what differs, when it was recorded from other files. A load asks
    first, so that a label taken is refused before the work."""
    recorded = next((edition for edition in ledger.editions() if edition.label == label.strip()), None)
    if recorded is None:
        return False
    if sorted(recorded.sources, key=_key) != sorted(sources, key=_key):
        raise EditionExists(
            f"edition {label!r} was recorded from other files ({_differing(recorded.sources, sources)}); "
            "an edition's sources never change: give this one another label"
        )
    return True


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _key(source: Source) -> tuple[str, str]:
    return (source.name, source.sha256)


def _differing(recorded: Iterable[Source], given: Iterable[Source]) -> str:
    """What differs between the files recorded and those given, for a person: names and changes."""
    before = {source.name: source.sha256 for source in recorded}
    after = {source.name: source.sha256 for source in given}
    parts = [
        f"{name} changed" for name in sorted(before.keys() & after.keys()) if before[name] != after[name]
    ]
    parts += [f"{name} is new" for name in sorted(after.keys() - before.keys())]
    parts += [f"{name} is gone" for name in sorted(before.keys() - after.keys())]
    return ", ".join(parts)
