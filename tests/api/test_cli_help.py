"""`quanze --help` in Chinese, the users' language, and in English with QUANZE_LANG=en: every command and
every option described in both, argparse's own words translated, lines that fit the terminal."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator

import pytest

from api.cli import _parser, main

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ARGPARSE_WORDS = ("usage:", "options:", "positional arguments:", "show this help message and exit", "error:")


def _commands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """The parser and each of its subcommands' parsers, by name."""
    yield "quanze", parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"quanze {name}", sub


def _helps(language: str, monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str | None]:
    """Every action of every command, (command, its option strings or name) -> its help."""
    monkeypatch.setenv("QUANZE_LANG", language)
    return {
        (command, "/".join(action.option_strings) or action.dest): action.help
        for command, parser in _commands(_parser())
        for action in parser._actions
    }


def _columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in line)


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 0
    return capsys.readouterr().out


def test_every_command_and_option_has_a_help_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    chinese = _helps("zh", monkeypatch)
    english = _helps("en", monkeypatch)
    assert chinese.keys() == english.keys() and len(chinese) > 100  # the subcommands walked too
    undescribed = [key for key, text in chinese.items() if not text or text == argparse.SUPPRESS]
    assert undescribed == []
    assert [key for key, text in english.items() if not text] == []
    not_chinese = [key for key, text in chinese.items() if not CHINESE.search(str(text))]
    assert not_chinese == []
    untranslated = [key for key in chinese if chinese[key] == english[key]]
    assert untranslated == []


@pytest.mark.parametrize("command", ["", "gaps", "cases", "scorecard", "transfers", "trace"])
def test_the_chinese_help_says_argparse_s_words_in_chinese_too(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUANZE_LANG", raising=False)
    text = _help([command, "--help"] if command else ["--help"], capsys)
    assert text.startswith("用法： quanze") and "选项" in text and "显示本帮助并退出" in text
    assert [word for word in ARGPARSE_WORDS if word in text] == []
    monkeypatch.setenv("QUANZE_LANG", "en")
    english = _help([command, "--help"] if command else ["--help"], capsys)
    assert english.startswith("usage: quanze") and "show this help message and exit" in english


def test_the_chinese_help_fits_the_terminal_and_its_usage_lines_align(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUANZE_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    for command in ("gaps", "overlaps", "check", "cases", "export"):
        lines = _help([command, "--help"], capsys).splitlines()
        too_wide = [line for line in lines if CHINESE.search(line) and _columns(line) > 80]
        assert too_wide == []
        usage = lines[: next(n for n, line in enumerate(lines) if not line)]
        first = _columns(usage[0][: usage[0].index("[")])
        assert all(_columns(line) - len(line.lstrip()) == first for line in usage[1:]), usage


def test_english_is_asked_for_with_quanze_lang_never_by_the_locale() -> None:
    def help_of(**environment: str) -> str:
        env = {
            key: value for key, value in os.environ.items() if key not in ("QUANZE_LANG", "LC_ALL", "LANG")
        }
        result = subprocess.run(
            [sys.executable, "-m", "api.cli", "cases", "--help"],
            capture_output=True,
            text=True,
            env={**env, "PYTHONIOENCODING": "utf-8", **environment},
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "只列出超期的办件" in help_of(LC_ALL="C.UTF-8")
    assert "只列出超期的办件" in help_of(LANG="en_US.UTF-8")
    assert "only overdue cases" in help_of(QUANZE_LANG="en", LANG="zh_CN.UTF-8")
    assert "只列出超期的办件" in help_of(QUANZE_LANG="zh")


def test_a_usage_error_has_the_prefixes_of_the_help_s_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUANZE_LANG", raising=False)
    with pytest.raises(SystemExit) as exit:
        main(["gaps", "--at", "明天"])
    assert exit.value.code == 2
    usage, *_, error = capsys.readouterr().err.splitlines()
    assert usage.startswith("用法： quanze gaps")
    assert error.startswith("quanze gaps: 错误：argument --at: '明天'")  # the message itself in English
    monkeypatch.setenv("QUANZE_LANG", "en")
    with pytest.raises(SystemExit):
        main(["gaps", "--format", "pdf"])
    usage, *_, error = capsys.readouterr().err.splitlines()
    assert usage.startswith("usage: quanze gaps") and error.startswith(
        "quanze gaps: error: argument --format"
    )
