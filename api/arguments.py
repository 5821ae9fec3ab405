"""Command-line arguments read as the workbooks read their cells: a date in every form a sheet accepts.

parser.add_argument("--at", type=date_argument)   # 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日
"""

from __future__ import annotations

import argparse
from datetime import date

from loaders.cells import CellError, parse_date

__all__ = ["date_argument"]


def date_argument(text: str) -> date:
    """The date `text` writes, as `loaders.cells.parse_date` reads a cell; argparse's error otherwise."""
    try:
        return parse_date(text)
    except CellError as error:
        raise argparse.ArgumentTypeError(f"{text!r} {error}") from None
