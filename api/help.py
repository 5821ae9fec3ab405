"""The language of `quanze --help`: Chinese, the language of its users, or English on request.

    quanze gaps --help                    # 中文: 用法、位置参数、选项, every option described
    QUANZE_LANG=en quanze gaps --help     # English

Only `QUANZE_LANG` decides (`en…` for English; unset or anything else, Chinese), never the locale:
servers are often installed with `en_US.UTF-8` or `C.UTF-8` whoever reads them, so a locale says
nothing of the reader. Every help text is written in both languages where the option is defined
(`help_text("参考日期（默认今天）", "the reference date (default today)")`), and argparse's own words
(usage:, positional arguments, options, show this help message and exit, error:) come from
`HelpParser` and its `HelpFormatter`, so that a Chinese help is never half English. The messages of
usage errors stay English, as every error of the command line is.

The parser class, not a translation of argparse's `gettext` catalogue: argparse reads its words through
a module-global `_`, which would change them for every parser of the process; a subclass changes them
for quanze's parsers only, and its subcommands inherit it (`add_parser` makes parsers of the parent's
class).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any, Literal, NoReturn

__all__ = ["LANGUAGE_VARIABLE", "HelpFormatter", "HelpParser", "help_language", "help_text", "listed"]

#: the environment variable that asks for English help
LANGUAGE_VARIABLE = "QUANZE_LANG"

#: argparse's prefix of the usage, and the Chinese one as wide on a terminal (its wrapped lines align)
_USAGE, _CHINESE_USAGE = "usage: ", "用法： "
#: argparse's section headings, in Chinese
_HEADINGS = {"positional arguments": "位置参数", "options": "选项"}
#: a word of Latin script, or one wide character (a Chinese character breaks a line anywhere)
_WORD = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\S")
#: punctuation that never begins a line: it stays with the character before it
_CLOSING = set("，。；：、）》」』！？),.;:")


def help_language() -> Literal["zh", "en"]:
    """`en` when `QUANZE_LANG` starts with `en` (any case), else `zh`."""
    return "en" if os.environ.get(LANGUAGE_VARIABLE, "").strip().lower().startswith("en") else "zh"


def help_text(zh: str, en: str) -> str:
    """The text of a help in the language of the help: `zh` or `en` (`help_language`)."""
    return en if help_language() == "en" else zh


def listed(words: Sequence[str]) -> str:
    """`words` as a help lists them: "table、json 或 csv", or "table, json or csv"."""
    *rest, last = words
    if not rest:
        return last
    return help_text(f"{'、'.join(rest)} 或 {last}", f"{', '.join(rest)} or {last}")


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter with its headings in the help's language, and lines wrapped by the width
    they take on a terminal (a Chinese character takes two columns), breaking between Chinese
    characters as between words."""

    def format_help(self) -> str:
        text = super().format_help()
        if help_language() == "zh" and text.startswith(_USAGE):
            return _CHINESE_USAGE + text.removeprefix(_USAGE)
        return text

    def start_section(self, heading: str | None) -> None:
        if heading is not None and help_language() == "zh":
            heading = _HEADINGS.get(heading, heading)
        super().start_section(heading)

    # argparse's own formatters (RawTextHelpFormatter …) change the wrapping by these two methods
    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in _wrap(" ".join(text.split()), width - len(indent)))


class HelpParser(argparse.ArgumentParser):
    """An argparse parser whose help, usage and error prefix are in the help's language: its own
    `-h/--help` (argparse's is English), `HelpFormatter`, and 错误 for error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False  # argparse's -h says its help in English: the parser adds its own
        super().__init__(*args, **kwargs)
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help=help_text("显示本帮助并退出", "show this help message and exit"),
        )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {help_text('错误：', 'error: ')}{message}\n")


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns (a line of one long word is longer)."""
    lines: list[str] = []
    line, used = "", 0
    for match in _WORD.finditer(text):
        word = match.group()
        spaced = match.start() > 0 and text[match.start() - 1] == " "
        gap = 1 if spaced and line else 0
        step = _columns(word)
        if line and used + gap + step > width and word[0] not in _CLOSING:
            lines.append(line)
            line, used, gap = "", 0, 0
        line += " " * gap + word
        used += gap + step
    return [*lines, line] if line else lines


def _columns(text: str) -> int:
    """The columns `text` takes on a terminal."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)
