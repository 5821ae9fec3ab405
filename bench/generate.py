"""Write a province-scale workbook with planted overlaps, gaps and split approvals, and its truth.

    python bench/generate.py --items 10000 --out /tmp/quanze-bench/10000
    python bench/generate.py --items 1000000 --seed 7 --cases 1000000 --out /tmp/quanze-bench/trace

writes a folder of UTF-8 .csv files named after the sheets of shared/spec/workbook.md (部门.csv,
内设机构.csv, 岗位.csv, 任职.csv, 职能.csv, 权责清单.csv, 审批环节.csv, 法律依据.csv, and with
`--cases` 办件.csv, 办件环节.csv and 问责.csv) and `truth.json`: what was planted, with the ids the
analyses report, and what the analyses must therefore find. The same seed gives the same files,
byte for byte (one `random.Random(seed)`, and for the cases one seeded per government so that the
rest of the workbook is the same with or without them; no clock). Keep the output outside the
repository.

The shape follows a province (issue #3): `--items` power items and functions over
max(1, items // 5000) governments (or `--governments`): a province, its cities and their counties
and districts (a city and its districts below 12 governments), each with some 40 departments named
after its place (`青川县市场监督管理局`), ~6 units a department, ~4 posts a unit plus the
leadership, ~1.5 holdings a post over the years, ~5 charter functions a department, stages for the
licensing items (~10%), a laws sheet, and `--cases` cases of the licences with their steps (demand
skewed: the n-th most asked-for licence of a government gets ~1/n of its cases).

Departments of one kind (every 市场监督管理局) list items from one catalogue, as provinces
standardise their lists, so the same item is held at several levels: a division between levels,
never an overlap. Each department adds items of its own. Names are made from templates of real
wording (`对{主体}{违法行为}的处罚`, `{事项}许可`, `{对象}监督检查`) with department-specific
vocabularies, so two background texts of different departments of one government are rarely
similar; the generator measures how rarely on a sample and writes it into truth.json.

Planted per government, at rates seen in clean-ups: SAME_ITEM pairs (one item listed by two
departments, a quarter of the copies in traditional script), JOINT items, SHARED_BASIS pairs (two
departments citing one article no other item of theirs cites), SIMILAR_TEXT pairs of items and of
functions (a few characters changed; each checked with `graph.similarity` and the block's own idf
weights to score clearly above `DEFAULT_TEXT_THRESHOLD`), gaps of each kind and split approvals
(stages carried by two departments, prerequisite chains across departments, the same licence
approved twice). Pairs that follow from a plant by the definitions (a copied text that is also
similar to another item of the source department) are written too, marked `implied`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from loaders.demo import REFERENCE_DATE
from loaders.demo.province import generate_province, summary

__all__ = ["REFERENCE_DATE", "generate", "main"]

#: the generator is `loaders.demo.province` (the demo's, at the scale of a province); this is its command
generate = generate_province


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--items", type=int, required=True, help="power items and functions, over all governments"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--governments", type=int, help="governments (default: one for every 5,000 items)")
    parser.add_argument(
        "--cases", type=int, default=0, help="cases (办件) with their steps; 0 writes no case sheets"
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="the folder to write (outside the repository)"
    )
    args = parser.parse_args(argv)
    if args.out.resolve().is_relative_to(Path(__file__).resolve().parents[1]):
        parser.error("write the workbook outside the repository")
    started = time.perf_counter()
    truth = generate_province(
        args.items, args.out, seed=args.seed, cases=args.cases, governments=args.governments, log=sys.stderr
    )
    print("\n".join(summary(args.out, truth, time.perf_counter() - started)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
