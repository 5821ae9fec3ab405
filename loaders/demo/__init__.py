"""The demo data of the product: one realistic city, 巴中市, as a workbook users could have written.

`generate.py` builds it from a seed (the shipped copy uses the default seed), `truth.json` beside
the workbook lists what was planted in it for the analyses to find, and `laws.json` is the
extract of real national laws it cites (remade by `extract_laws.py`).
"""

from pathlib import Path

__all__ = ["DEMO_LAWS", "DEMO_TRUTH", "DEMO_WORKBOOK"]

DEMO_WORKBOOK = Path(__file__).with_name("quanze-demo.xlsx")
DEMO_TRUTH = Path(__file__).with_name("truth.json")
DEMO_LAWS = Path(__file__).with_name("laws.json")
