"""Generate a workbook with planted findings, and its truth: the demo city of 巴中, or a province of any size.

    python -m loaders.demo.generate --out quanze-demo.xlsx [--seed 2008] [--format xlsx|csv]
    python -m loaders.demo.generate --items 10000 --out DIR [--seed 7] [--cases 1000] [--governments N]

The scale is the number of power items. Without `--items`, the city (`build.build_city`): some
1,950 items of 52 departments, written as an .xlsx with the sheets of the workbook format (or a
folder of .csv files named after the sheets) and, beside it, `truth.json`: what was planted for
the analyses to find. With `--items N`, a province of N items and functions over max(1, N // 5000)
governments (`loaders.demo.province`), written as a folder of .csv files with its truth.json
inside; `bench/generate.py` is that command for the benchmarks. The same seed gives the same
workbook, cell for cell and byte for byte (no clock, no global random state). The shipped
`quanze-demo.xlsx` is the city with the default seed.

Both scales share the fixed data (`city.toml`, `catalogue.toml`, `province.toml`), people's
names (`names`), the sheets and their writers (`sheets`), the calendar (`graph.workdays`) and the
truth files' writer and reader (`truth`); each plants its findings its own way.

    >>> from pathlib import Path; import tempfile
    >>> truth = generate(Path(tempfile.mkdtemp()) / "demo.xlsx")  # doctest: +SKIP
    >>> truth["counts"]["权责清单"] > 1500  # doctest: +SKIP
    True
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from loaders.demo.build import DEFAULT_SEED, build_city
from loaders.demo.province import DEFAULT_SEED as PROVINCE_SEED
from loaders.demo.province import generate_province, summary
from loaders.demo.records import sheet_rows
from loaders.demo.sheets import SHEETS, write_csv, xlsx_bytes
from loaders.demo.truth import write_truth

__all__ = [
    "DEFAULT_SEED",
    "Truth",
    "build_city",
    "generate",
    "generate_province",
    "generate_workbook",
    "main",
]

Truth = dict[str, Any]


def generate(
    out: Path,
    *,
    items: int | None = None,
    seed: int | None = None,
    cases: int | None = None,
    governments: int | None = None,
    fmt: str | None = None,
    log: IO[str] | None = None,
) -> Truth:
    """Write a workbook and its truth.json, at the scale of `items`, and return the truth.

    Without `items`, the demo city (`out` an .xlsx file, or a folder for `fmt="csv"`; seed 2008 by
    default); with `items`, a province of that many items and functions with `cases` cases
    (`out` a folder of .csv files; seed 7 by default). Raises `ValueError` for options the scale
    does not take (the city's cases and governments are fixed; a province is written as .csv).
    """
    if items is None:
        if cases is not None or governments is not None:
            raise ValueError("the demo city has its own cases and governments: give --items for a province")
        return generate_workbook(out, seed=DEFAULT_SEED if seed is None else seed, fmt=fmt or "xlsx")
    if fmt not in (None, "csv"):
        raise ValueError(f"a province is written as .csv files, not {fmt!r}")
    return generate_province(
        items,
        out,
        seed=PROVINCE_SEED if seed is None else seed,
        cases=cases or 0,
        governments=governments,
        log=log,
    )


def generate_workbook(out: Path, *, seed: int = DEFAULT_SEED, fmt: str = "xlsx") -> Truth:
    """Write the demo workbook to `out` (an .xlsx file, or a folder of .csv files) and truth.json beside it.

    Returns the truth written. Raises `ValueError` for an unknown `fmt`.
    """
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"unknown format {fmt!r}: xlsx or csv")
    city = build_city(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheets = sheet_rows(city)
    if fmt == "xlsx":
        out.write_bytes(xlsx_bytes(sheets, title="巴中市权责清单、机构编制与办件示例数据"))
    else:
        write_csv(out, sheets)
    write_truth(out.parent / "truth.json", city.truth)
    return city.truth


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m loaders.demo.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the .xlsx file, or the folder for --format csv and for a province",
    )
    parser.add_argument("--items", type=int, help="a province of this many power items and functions")
    parser.add_argument(
        "--seed", type=int, help=f"default {DEFAULT_SEED} (the city), {PROVINCE_SEED} (a province)"
    )
    parser.add_argument("--cases", type=int, help="a province's cases (办件) with their steps")
    parser.add_argument(
        "--governments", type=int, help="a province's governments (default: one a 5,000 items)"
    )
    parser.add_argument("--format", dest="fmt", choices=("xlsx", "csv"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        truth = generate(
            args.out,
            items=args.items,
            seed=args.seed,
            cases=args.cases,
            governments=args.governments,
            fmt=args.fmt,
            log=sys.stderr,
        )
    except ValueError as error:
        parser.error(str(error))
    if args.items is None:
        counts = ", ".join(f"{sheet} {n}" for sheet, n in truth["counts"].items() if sheet in SHEETS)
        print(f"{args.out}: {counts}")
    else:
        print("\n".join(summary(args.out, truth, time.perf_counter() - started)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
