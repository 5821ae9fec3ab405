"""The demo data of the product: one realistic city, 巴中市, as a workbook users could have written.

`generate.py` builds it from a seed (the shipped copy uses the default seed), `truth.json` beside
the workbook lists what was planted in it for the analyses to find, and `laws.json` is the
extract of real national laws it cites (remade by `extract_laws.py`). The same generator writes
a province of any size (`province/`, for the tests and the benchmarks).

The fixed data both are made of is kept as data beside the code: `city.toml` (the city's
organisation, charters and the characters of names), `catalogue.toml` (what its departments
hold), `plants.toml` (what the city plants besides) and `province.toml` (what a province's
governments are made of), read by `read_data`.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["DEMO_LAWS", "DEMO_TRUTH", "DEMO_WORKBOOK", "REFERENCE_DATE", "read_data"]

DEMO_WORKBOOK = Path(__file__).with_name("quanze-demo.xlsx")
DEMO_TRUTH = Path(__file__).with_name("truth.json")
DEMO_LAWS = Path(__file__).with_name("laws.json")
#: the day the analyses are run for ("today" for every generated workbook)
REFERENCE_DATE = date(2026, 11, 28)


@cache
def read_data(name: str) -> dict[str, Any]:
    """The data file `name`.toml of this folder (`city`, `catalogue`, `plants` or `province`), parsed.

    >>> read_data("city")["city"]
    '巴中市人民政府'
    """
    with Path(__file__).with_name(f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)
