"""A province of any size, government by government, written as a folder of .csv files and its truth.

`generate_province` plans the governments, builds each one in turn (`build_government`: its
organisation, lists and charters, the plants, their checks, the approvals, what the analyses
must find), streams its rows to the folder, then writes the laws sheet, gives every overlap of the
truth the verdict the analysis will give it on the whole province (`judging`), and writes truth.json.
`summary` is what the command line prints about it.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import IO, Any

from loaders.demo import REFERENCE_DATE
from loaders.demo.province.approvals import stage
from loaders.demo.province.background import clean_background, similarity_report
from loaders.demo.province.cases import write_cases
from loaders.demo.province.expectations import expect
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.governments import Government
from loaders.demo.province.judging import Judging
from loaders.demo.province.laws import law_rows
from loaders.demo.province.lists import list_items, write_charters
from loaders.demo.province.organisation import organise, staff
from loaders.demo.province.plants_gaps import cite_in_charters, plant_function_findings, plant_item_gaps
from loaders.demo.province.plants_overlaps import index_citations, plant_overlaps, plant_unbased
from loaders.demo.province.rows import sheet_rows
from loaders.demo.province.state import Province
from loaders.demo.province.verification import verify_item_plants, verify_text_plants
from loaders.demo.sheets import CASE_SHEETS, SHEETS, CsvSheets
from loaders.demo.truth import write_truth

__all__ = ["DEFAULT_SEED", "build_government", "generate_province", "summary"]

DEFAULT_SEED = 7


def generate_province(
    items: int,
    out: Path,
    *,
    seed: int = DEFAULT_SEED,
    cases: int = 0,
    governments: int | None = None,
    log: IO[str] | None = None,
) -> dict[str, Any]:
    """Write the workbook of `items` power items and functions (and `cases` cases) into the folder `out`,
    and truth.json beside the sheets; returns the truth. `governments` overrides one for every 5,000
    items (the trace benchmark wants a province's staff with fewer items)."""
    started = time.perf_counter()
    province = Province(items, seed, cases, governments)
    writer = CsvSheets(out, [sheet for sheet in SHEETS if cases > 0 or sheet not in CASE_SHEETS])
    total = sum(g.items for g in province.governments)
    shares = [cases * g.items // total for g in province.governments]
    shares[0] += cases - sum(shares)
    background = []
    judging = Judging()
    for index, government in enumerate(province.governments):
        builder = build_government(province, government, sample=index < 2)
        judging.read(builder)
        for sheet, rows in sheet_rows(builder).items():
            writer.write(sheet, rows)
        write_cases(builder, shares[index], writer)
        if index < 2:
            background.append(similarity_report(builder))
        if log and (index + 1) % 20 == 0:
            print(f"  {index + 1} governments, {time.perf_counter() - started:.0f} s", file=log, flush=True)
    writer.write("法律依据", law_rows(province))
    writer.close()
    judging.judge(province.truth)
    truth = _truth_json(province, writer, background)
    write_truth(out / "truth.json", truth)
    return truth


def build_government(province: Province, government: Government, sample: bool = False) -> GovernmentBuilder:
    """One government, every step in turn (the order of the random draws); with `sample`, how similar its
    background texts were before cleaning goes into the truth."""
    builder = GovernmentBuilder(province, government, sample)
    organise(builder)
    staff(builder)
    list_items(builder)
    write_charters(builder)
    clean_background(builder)
    plant_unbased(builder)
    index_citations(builder)
    plant_overlaps(builder)
    plant_item_gaps(builder)
    cite_in_charters(builder)
    plant_function_findings(builder)
    verify_text_plants(builder)
    verify_item_plants(builder)
    stage(builder)
    expect(builder)
    builder.truth.counts["governments"] += 1
    return builder


def summary(out: Path, truth: dict[str, Any], seconds: float) -> list[str]:
    """What the command line prints about a province written to `out` in `seconds`."""
    counts = truth["counts"]
    rows = ", ".join(f"{sheet} {n:,}" for sheet, n in counts["rows"].items())
    lines = [
        f"{out}: {len(truth['governments'])} governments; {rows}",
        f"  {counts['items']:,} items and {counts['functions']:,} functions; {counts['planted_overlaps']:,} overlaps "
        f"to find ({', '.join(f'{k} {n:,}' for k, n in counts['overlaps_by_kind'].items())}); {seconds:.0f} s",
    ]
    for sample in truth["background"]["before_cleaning"] + truth["background"]["after_cleaning"]:
        lines.append(
            f"  background of {sample['government']}: {sample['texts']:,} texts, {sample['pairs_at_least_0.5']} pairs "
            f">= 0.5 and {sample['pairs_at_least_0.6']} >= 0.6 across departments; random pairs: median "
            f"{sample['random_pairs_median']}, {sample['random_pairs_at_least_0.5']} of {sample['random_pairs']:,} >= 0.5"
        )
    return lines


def _truth_json(province: Province, writer: CsvSheets, background: list[dict[str, Any]]) -> dict[str, Any]:
    truth = province.truth
    overlaps = sorted(truth.overlaps.values(), key=lambda o: o["subjects"])
    by_kind = Counter(kind for o in overlaps for kind in o["kinds"])
    return {
        "about": "What bench/generate.py planted in this workbook for the analyses to find (do not edit).",
        "seed": province.seed,
        "items_asked": province.items,
        "reference_date": REFERENCE_DATE.isoformat(),
        "counts": {
            **dict(truth.counts),
            "rows": dict(writer.rows),
            "planted_overlaps": len(overlaps),
            "overlaps_by_kind": dict(by_kind),
        },
        "governments": [
            {"name": g.name, "code": g.code, "level": g.level, "parent": g.parent}
            for g in province.governments
        ],
        "conventions": [
            "overlaps: each entry is one overlap the analysis must report: its subjects (two item or function "
            "ids, or one joint item id), every kind of evidence it must carry, and the verdict it must give it. "
            "`implied` marks a pair that follows from a plant by the definitions (a planted text similar to a "
            "third text). divided_overlaps: overlaps the analysis finds but judges DIVIDED, on qualifiers "
            "learned from the whole province, and so leaves out of its default answer.",
            "Items of different governments are never overlaps: cross_level lists examples of one catalogue "
            "item held at two levels.",
            "gaps: every finding of a kind that the data holds, computed from the rows for the kinds that can be "
            "(UNBASED_POWER, UNHELD_DUTY, MISPLACED, FUNCTION_WITHOUT_UNIT, STAGE_WITHOUT_POST, VACANT_POST, "
            "NO_HEAD and the staffing kinds, on the reference date); planted_gaps what was put in on purpose; "
            "may_also subjects an analysis may flag besides (a copied item cites the other department's law, so "
            "it may match none of its own department's functions).",
            "splits: STAGES lists the licences whose stages another department carries and the joint licences "
            "(the departments the list names count among those carrying it); CHAIN the planted chains across "
            "departments (from the last approval to what it needs); SAME_MATTER the licences planted as SAME_ITEM "
            "pairs.",
            "background: how similar unplanted texts of different departments of one government are.",
        ],
        "background": {"after_cleaning": background, **truth.background},
        "overlaps": overlaps,
        "divided_overlaps": sorted(truth.divided.values(), key=lambda o: o["subjects"]),
        "cross_level": truth.cross_level,
        "gaps": {kind: sorted(set(found)) for kind, found in sorted(truth.gaps.items())},
        "planted_gaps": {kind: sorted(set(found)) for kind, found in sorted(truth.planted_gaps.items())},
        "may_also": {kind: sorted(set(found)) for kind, found in sorted(truth.may_also.items())},
        "splits": {kind: sorted(found) for kind, found in sorted(truth.splits.items())},
    }
