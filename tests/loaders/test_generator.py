"""The demo generator at a small scale: a province of 2,000 items loads without problems, is the same for the
same seed (with or without its cases), and the analyses find in it what its truth plants, as they do in
the shipped city; both truth files read through one schema (`loaders.demo.truth`)."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from graph import MemoryStore
from graph.analyses import find_gaps, find_overlaps, find_splits
from loaders.demo import DEMO_TRUTH, DEMO_WORKBOOK
from loaders.demo.generate import generate
from loaders.demo.province import generate_province
from loaders.demo.sheets import CASE_SHEETS, SHEETS
from loaders.demo.truth import PlantedFindings, read_truth
from loaders.workbook import load_workbook
from ontology import NodeKind

ROOT = Path(__file__).resolve().parents[2]
ITEMS, CASES = 2000, 200
#: a truth, and what the analyses found on its workbook keyed as it names things
Scored = tuple[PlantedFindings, dict[str, Any]]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("province")
    generate_province(ITEMS, folder, cases=CASES)
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# --- the province ------------------------------------------------------------------------------------


def test_a_province_loads_without_problems(province: Path) -> None:
    truth = read_truth(province)
    store = MemoryStore()
    report = load_workbook(province, store)
    assert not report.skipped
    assert report.counts[NodeKind.POWER_ITEM] == sum(1 for _ in store.nodes(NodeKind.POWER_ITEM))
    assert report.counts[NodeKind.CASE] == CASES
    assert truth.scale == "province" and truth.items_asked == ITEMS and len(truth.governments) == 1
    assert sorted(path.stem for path in province.glob("*.csv")) == sorted(SHEETS)


def test_the_same_seed_gives_the_same_files_with_or_without_cases(province: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, items=ITEMS, cases=CASES)
    assert _files(again) == _files(province)
    without = tmp_path / "without"
    generate_province(ITEMS, without)
    ours = {name: data for name, data in _files(province).items() if Path(name).stem not in CASE_SHEETS}
    theirs = _files(without)
    assert set(ours) == set(theirs)
    assert all(ours[name] == theirs[name] for name in ours if name != "truth.json")


def test_another_seed_gives_another_province(province: Path, tmp_path: Path) -> None:
    generate_province(ITEMS, tmp_path, seed=8)
    assert (tmp_path / "权责清单.csv").read_bytes() != (province / "权责清单.csv").read_bytes()


def test_the_bench_command_writes_what_the_generator_writes(tmp_path: Path) -> None:
    for command, out in (
        ([sys.executable, str(ROOT / "bench" / "generate.py")], tmp_path / "bench"),
        ([sys.executable, "-m", "loaders.demo.generate"], tmp_path / "module"),
    ):
        subprocess.run([*command, "--items", "300", "--cases", "20", "--out", str(out)], check=True, cwd=ROOT)
    assert _files(tmp_path / "bench") == _files(tmp_path / "module")


def test_the_city_takes_no_province_options(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="give --items for a province"):
        generate(tmp_path / "demo.xlsx", cases=10)
    with pytest.raises(ValueError, match=r"written as \.csv files"):
        generate(tmp_path / "province", items=300, fmt="xlsx")


# --- the analyses find what either truth plants ------------------------------------------------------


def _found(store: MemoryStore, truth: PlantedFindings) -> dict[str, Any]:
    """What the analyses report, keyed as the truth names it."""
    overlaps: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for overlap in find_overlaps(store):
        overlaps[truth.key(overlap.subjects)].update(kind.value for kind in overlap.kinds)
    gaps: dict[str, set[str]] = defaultdict(set)
    for gap in find_gaps(store, at=truth.reference_date):
        gaps[gap.kind.value].add(gap.subject_id)
    splits: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for split in find_splits(store):
        splits[split.kind.value].add(tuple(split.items))
    return {"overlaps": overlaps, "gaps": gaps, "splits": splits}


@pytest.fixture(scope="module", params=["city", "province"])
def planted_and_found(
    request: pytest.FixtureRequest, province: Path
) -> tuple[PlantedFindings, dict[str, Any]]:
    source = DEMO_WORKBOOK if request.param == "city" else province
    truth = read_truth(DEMO_TRUTH if request.param == "city" else province)
    store = MemoryStore()
    load_workbook(source, store)
    return truth, _found(store, truth)


def test_every_planted_overlap_is_found_with_its_kinds(planted_and_found: Scored) -> None:
    truth, found = planted_and_found
    assert truth.overlaps
    for subjects, kinds in truth.overlaps.items():
        assert kinds <= found["overlaps"].get(subjects, set()), (subjects, kinds)
    if truth.scale == "province":  # a province's truth lists every overlap there is
        assert set(found["overlaps"]) == set(truth.overlaps)


def test_every_planted_gap_is_found_and_the_complete_kinds_exactly(planted_and_found: Scored) -> None:
    truth, found = planted_and_found
    assert truth.planted_gaps
    for kind, subjects in truth.planted_gaps.items():
        assert subjects <= found["gaps"][kind], (kind, sorted(subjects - found["gaps"][kind]))
    for kind, subjects in truth.exact_gaps.items():
        assert found["gaps"][kind] == subjects, kind
    for kind in ("FUNCTION_NOT_EXERCISED", "POWER_OUTSIDE_MANDATE"):
        if truth.scale == "province":
            explained = truth.planted_gaps.get(kind, frozenset()) | truth.may_also.get(kind, frozenset())
            assert found["gaps"][kind] <= explained, kind


def test_every_planted_split_is_found(planted_and_found: Scored) -> None:
    truth, found = planted_and_found
    assert set(truth.splits) == {"CHAIN", "SAME_MATTER", "STAGES"}
    for kind, planted in truth.splits.items():
        assert planted and set(planted) <= found["splits"][kind], kind
        if truth.scale == "province":
            assert found["splits"][kind] == set(planted), kind


def test_a_file_that_is_no_truth_is_refused(tmp_path: Path) -> None:
    (tmp_path / "truth.json").write_text('{"about": "something else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a truth file"):
        read_truth(tmp_path)
