"""Truth files: what a generated workbook plants for the analyses to find, written beside it, and read back
in one schema.

The city (`truth.json` beside the demo workbook) and a province (`truth.json` in its folder) write
their truth in a layout of their own, kept as it is: the city's entries describe each plant in
its own words (item and function codes, department names, dates, the facts of each case) for the
demo's tests, a province's name the ids the analyses report, kind by kind, for the benchmarks.
`read_truth` reads either into `PlantedFindings`: the overlaps, gaps and split approvals the
analyses must report, in the ids they report them with, which is what the benchmarks and the
tests score the analyses against.

    >>> from loaders.demo import DEMO_TRUTH
    >>> planted = read_truth(DEMO_TRUTH)
    >>> planted.reference_date, planted.scale
    (datetime.date(2026, 11, 28), 'city')
    >>> sorted(planted.splits)
    ['CHAIN', 'SAME_MATTER', 'STAGES']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from graph import ids
from loaders.demo.articles import arabic_number, article_of

__all__ = ["PlantedFindings", "read_truth", "write_truth"]


def write_truth(path: Path, truth: Mapping[str, Any]) -> None:
    """Write `truth` as the JSON file `path` (UTF-8, one-space indents, keys in their order)."""
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class PlantedFindings:
    """What a truth file says the analyses must find, in the ids they report.

    `overlaps` maps an overlap's subjects (two item or function ids, or one joint item id, sorted)
    to the kinds of evidence it must carry, in the order the truth lists them. `exact_gaps` holds,
    for the gap kinds the truth lists completely, every subject the data holds; `planted_gaps` the
    subjects planted on purpose (found among others), `may_also` subjects an analysis may flag
    besides. `splits` maps a split kind to the item ids of each planted split. A city truth names
    an item with sub-items by its code: compare found subjects through `key`.
    """

    scale: str  # "city" or "province"
    reference_date: date
    governments: tuple[str, ...]
    items_asked: int | None
    overlaps: dict[tuple[str, ...], frozenset[str]]
    exact_gaps: dict[str, frozenset[str]]
    planted_gaps: dict[str, frozenset[str]]
    may_also: dict[str, frozenset[str]]
    splits: dict[str, tuple[tuple[str, ...], ...]]

    def key(self, subjects: Iterable[str]) -> tuple[str, ...]:
        """`subjects` as this truth names them (sorted; a city truth drops an item id's sub-item)."""
        if self.scale == "province":
            return tuple(sorted(subjects))
        return tuple(sorted(_item_of_sub_item(subject) for subject in subjects))


def read_truth(path: Path) -> PlantedFindings:
    """The truth file `path` (or `path`/truth.json for a folder), of either scale, as `PlantedFindings`.

    Raises `ValueError` for a JSON file that is neither a city's nor a province's truth.
    """
    if path.is_dir():
        path = path / "truth.json"
    truth = json.loads(path.read_text(encoding="utf-8"))
    if "splits" in truth and "planted_gaps" in truth:
        return _province(truth)
    if "split_approvals" in truth:
        return _city(truth)
    raise ValueError(f"{path}: not a truth file of the demo generator")


# --- a province's truth: already in the analyses' ids ------------------------------------------------


def _province(truth: dict[str, Any]) -> PlantedFindings:
    return PlantedFindings(
        scale="province",
        reference_date=date.fromisoformat(truth["reference_date"]),
        governments=tuple(government["name"] for government in truth["governments"]),
        items_asked=truth["items_asked"],
        overlaps={tuple(entry["subjects"]): frozenset(entry["kinds"]) for entry in truth["overlaps"]},
        exact_gaps={kind: frozenset(found) for kind, found in truth["gaps"].items()},
        planted_gaps={kind: frozenset(found) for kind, found in truth["planted_gaps"].items()},
        may_also={kind: frozenset(found) for kind, found in truth["may_also"].items()},
        splits={kind: tuple(tuple(items) for items in found) for kind, found in truth["splits"].items()},
    )


# --- the city's truth: plants described in their own words ------------------------------------------


def _city(truth: dict[str, Any]) -> PlantedFindings:
    governments = tuple(truth["governments"])
    overlaps: dict[tuple[str, ...], frozenset[str]] = {}
    for entry in truth["overlaps"]:
        subjects = [ids.power_item_id(code) for code in entry.get("items", ())]
        subjects += [ids.function_id(code) for code in entry.get("functions", ())]
        pairs = [tuple(subjects)] if entry["kinds"] == ["JOINT"] else combinations(sorted(subjects), 2)
        for pair in pairs:
            overlaps[pair] = overlaps.get(pair, frozenset()) | frozenset(entry["kinds"])
    planted: dict[str, set[str]] = {}
    may_also: dict[str, set[str]] = {}
    for gap in truth["gaps"]:
        subject = _gap_subject(gap, governments)
        planted.setdefault(gap["kind"], set()).add(subject)
        for kind in gap.get("may_also", ()):
            may_also.setdefault(kind, set()).add(subject)
    approvals = truth["split_approvals"]
    splits = {
        "CHAIN": tuple(
            tuple(ids.power_item_id(code) for code in chain["items"])
            for chain in approvals["chains"]
            if chain["crosses_departments"]
        ),
        "SAME_MATTER": tuple(
            tuple(sorted(ids.power_item_id(code) for code in same["items"]))
            for same in approvals["same_matter"]
        ),
        "STAGES": tuple((ids.power_item_id(split["item"]),) for split in approvals["split_items"]),
    }
    return PlantedFindings(
        scale="city",
        reference_date=date.fromisoformat(truth["reference_date"]),
        governments=governments,
        items_asked=None,
        overlaps=overlaps,
        exact_gaps={},
        planted_gaps={kind: frozenset(found) for kind, found in sorted(planted.items())},
        may_also={kind: frozenset(found) for kind, found in sorted(may_also.items())},
        splits=splits,
    )


def _gap_subject(gap: dict[str, Any], governments: tuple[str, ...]) -> str:
    """The id the analyses report a city gap on (its department, function, unit, stage, item, person, post
    or article)."""
    kind = gap["kind"]
    if kind in ("NO_HEAD", "OVER_QUOTA"):
        return _department_id(gap["department"], governments)
    if "function" in gap:
        return ids.function_id(gap["function"])
    if "unit" in gap:
        return ids.unit_id(_department_id(gap["department"], governments), gap["unit"])
    if kind == "STAGE_WITHOUT_POST":
        return ids.stage_id(ids.power_item_id(gap["item"]), gap["step"])
    if "item" in gap:
        return ids.power_item_id(gap["item"])
    if "person" in gap:
        return ids.person_id(gap["person"])
    if "post" in gap:
        return ids.post_id(gap["post"])
    return ids.article_id(gap["law"], arabic_number(article_of(gap["article"])[1:-1]))


def _department_id(name: str, governments: tuple[str, ...]) -> str:
    """A department of the city by name: its government is the one whose place its name starts with."""
    government = next(g for g in governments if name.startswith(g.removesuffix("人民政府")))
    return ids.department_id(government, name)


def _item_of_sub_item(subject: str) -> str:
    """`item:CODE/SUB` as `item:CODE`; any other id as it is."""
    return subject.split("/")[0] if subject.startswith("item:") else subject
