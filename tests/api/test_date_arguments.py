"""The command line reads dates as the workbooks read them: `--at 2024/3/5` and `--from 2024年3月5日` are
the dates an office writes, and a date it cannot read is refused naming the argument."""

from __future__ import annotations

import argparse
import json
from datetime import date

import pytest

from api.arguments import date_argument
from loaders.demo import DEMO_WORKBOOK
from tests.api.test_cli import quanze


@pytest.mark.parametrize("text", ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "２０２４年３月５日"])
def test_every_form_a_sheet_accepts_is_a_date(text: str) -> None:
    assert date_argument(text) == date(2024, 3, 5)


@pytest.mark.parametrize("text", ["明天", "2024-13-45", ""])
def test_what_is_no_date_is_an_argument_error(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=r"is not a (real )?date"):
        date_argument(text)


def test_the_commands_take_dates_as_written() -> None:
    written = quanze(
        "cases", str(DEMO_WORKBOOK), "--from", "2024/3/5", "--to", "2024年3月31日", "--format", "json"
    )
    iso = quanze(
        "cases", str(DEMO_WORKBOOK), "--from", "2024-03-05", "--to", "2024-03-31", "--format", "json"
    )
    assert written.returncode == iso.returncode == 0, written.stderr
    assert json.loads(written.stdout) == json.loads(iso.stdout) != []
    refused = quanze("transfers", str(DEMO_WORKBOOK), "--at", "明天")
    assert refused.returncode == 2
    assert "argument --at" in refused.stderr and "'明天' is not a date" in refused.stderr
