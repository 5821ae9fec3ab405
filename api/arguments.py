"""Command-line arguments every command reads alike: a date in every form a sheet accepts, and where a
report goes (`--format`, `--out`).

parser.add_argument("--at", type=date_argument)   # 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日
output_arguments(parser, ("table", "json", "csv", "xlsx"))
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from api.help import help_text, listed
from loaders.cells import CellError, parse_date

__all__ = ["date_argument", "output_arguments"]


def date_argument(text: str) -> date:
    """The date `text` writes, as `loaders.cells.parse_date` reads a cell; argparse's error otherwise."""
    try:
        return parse_date(text)
    except CellError as error:
        raise argparse.ArgumentTypeError(f"{text!r} {error}") from None


def output_arguments(
    sub: argparse.ArgumentParser,
    formats: Sequence[str],
    default: str = "table",
    sheets: tuple[str, str] | None = None,
) -> None:
    """--format (one of `formats`, `default` when none is given) and --out; `sheets`: what the xlsx's
    sheets hold, in Chinese and English, for the help."""
    zh, en = sheets or ("", "")
    sub.add_argument(
        "--format",
        choices=formats,
        default=default,
        help=help_text(
            f"输出格式：{listed(formats)}（默认 {default}）" + (f"；xlsx：{zh}" if zh else ""),
            f"{listed(formats)} (default {default})" + (f"; xlsx: {en}" if en else ""),
        ),
    )
    sub.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help=help_text(
            "写入的文件（xlsx 必须指定；默认：标准输出）",
            "the file to write (needed for xlsx; default: standard output)",
        )
        if "xlsx" in formats
        else help_text("写入的文件（默认：标准输出）", "the file to write (default: standard output)"),
    )
