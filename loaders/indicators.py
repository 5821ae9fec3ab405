"""Read the official indicator workbook (机构编制执行情况和使用效益评估指标体系, .xls) into templates.

Each sheet of the workbook is a template: a title (…指标体系（政府部门）), a remark (备注: 共性指标100分，
个性指标20分, 评估时间段为近5年), and under the header 一级指标 | 二级指标 | 三级指标 | 评估要点、评估方式和标准
| 权重 one row per third-level indicator. `read_indicator_workbook` reads what the workbook says: codes,
names, levels, weights, the points to check and the scoring rule as written; every rule is `manual`
(the machine-readable rules are written by hand in the shipped files, `graph/evaluation/systems/`).
What makes the workbook hard, and how it is read:

- the first- and second-level names and weights are merged cells over their rows, and repeated where
  a page breaks: a name like the one above it is the same indicator (its weight, when repeated, must
  agree);
- the weights are text, "所在一级指标权重25%", in three columns (first, second, third level): the column
  gives the level, and a label that names another level (党委部门's 3.1) is read by its column, with a
  note;
- a third-level indicator alone under its parent may have no code (履行机构编制主体责任情况): it is given
  its parent's code and its place (1.1.1), with a note;
- the points and the rule share one cell, split at 评估方式及标准;
- the department's own indicators (6.个性指标) are a row with no weight, worth what the remark says.

`python -m loaders.indicators XLS --out DIR` writes a TOML file per template into DIR; a file already
there keeps its rules, bodies and grades (what the workbook does not say), and everything the workbook
says is written again from it.

    >>> read_indicator_workbook(Path("指标体系.xls"))[1].template.find("4.1.1").weight   # doctest: +SKIP
    50.0
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from graph.errors import InvalidData, Problem
from graph.evaluation import (
    MAX_INDICATORS,
    Indicator,
    ManualRule,
    OwnIndicators,
    Template,
    load_template,
)
from graph.evaluation.writing import template_toml
from loaders.spreadsheets import SheetCells, read_spreadsheet

__all__ = [
    "FILE_NAMES",
    "MAX_WORKBOOK_BYTES",
    "WorkbookTemplate",
    "main",
    "read_indicator_workbook",
    "write_templates",
]

#: the largest workbook read (the real one is ~60 KB)
MAX_WORKBOOK_BYTES = 10_000_000
#: the file each template of the real workbook is written to; another template: its name
FILE_NAMES = {"党委部门": "party-committee", "政府部门": "government", "直属事业单位": "public-institution"}
HEADER = ("一级指标", "二级指标", "三级指标")
#: the columns of a row: the three levels' names, the points and rule, the three levels' weights
_NAME_COLUMNS = (0, 1, 2)
_TEXT_COLUMN = 3
_WEIGHT_COLUMNS = (4, 5, 6)
_LEVEL_NAMES = {"一": 1, "二": 2, "三": 3}
_CODE = re.compile(r"(\d+(?:\.\d+)*)\.?\s*(\S.*)", re.DOTALL)
_WEIGHT = re.compile(r"(?:所在)?([一二三])级指标权重\s*(\d+(?:\.\d+)?)\s*[%％]")
_SCORING = re.compile(r"评估方式及标准[：:]?")
_POINTS = re.compile(r"^\s*评估要点[：:]")


@dataclass(frozen=True)
class WorkbookTemplate:
    """A template as one sheet of the workbook states it, and what the reading noted about it."""

    sheet: str
    template: Template
    common_max: float | None
    """What the remark says the common indicators are worth (共性指标100分); None when it does not."""
    notes: tuple[Problem, ...] = ()
    """Where the sheet was read by a rule of its own: codes given, weights read by their column."""


def read_indicator_workbook(path: Path) -> list[WorkbookTemplate]:
    """The templates of the workbook at `path`, one per sheet, every rule `manual`.

    Raises `InvalidData` with every problem (a file over `MAX_WORKBOOK_BYTES`, a sheet without the
    header, an indicator without a weight or with a code out of place …), each with its sheet and row.
    """
    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        reason = f"the workbook is larger than {MAX_WORKBOOK_BYTES} bytes ({size})"
        raise InvalidData(f"{path}: {reason}", [Problem("", None, None, None, reason, str(path))])
    book = read_spreadsheet(path, path.read_bytes())
    problems = list(book.problems)
    templates = []
    for sheet in book.sheets:
        reading = _SheetReading(path, sheet)
        found = reading.read()
        problems.extend(reading.problems)
        if found is not None:
            templates.append(found)
    if problems:
        raise InvalidData(f"{path}: not an indicator workbook that can be read", problems)
    return templates


def write_templates(workbook: Path, read: list[WorkbookTemplate], out: Path) -> list[Path]:
    """Write a TOML file per template `read` from `workbook` into the folder `out`; return the files.

    A file already in `out` keeps its rules, bodies and grades; one that is not a valid template is
    not overwritten (`InvalidData`).
    """
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for found in read:
        target = out / f"{FILE_NAMES.get(found.template.name, found.template.name)}.toml"
        template = found.template
        if target.exists():
            template = kept_from(load_template(target), template)
        comment = (
            f"{template.title or template.name}, read from {workbook.name} (sheet {found.sheet}) by\n"
            "`python -m loaders.indicators`: codes, names, weights, points and scoring are the workbook's\n"
            "(tests/evaluation/ checks that they agree with it); the rules, bodies and grades are written\n"
            "by hand and kept when the file is written again."
        )
        target.write_text(template_toml(template, comment), encoding="utf-8")
        written.append(target)
    return written


def kept_from(existing: Template, read: Template) -> Template:
    """`read` (from the workbook) with the rules, bodies and grades of `existing` (a file written before):
    the rule of each third-level indicator whose code the file has."""
    indicators = []
    for indicator in read.indicators:
        before = existing.find(indicator.code)
        if indicator.rule is not None and before is not None and before.rule is not None:
            indicator = replace(indicator, rule=before.rule)
        indicators.append(indicator)
    return replace(read, indicators=tuple(indicators), bodies=existing.bodies, grades=existing.grades)


def main(argv: Sequence[str] | None = None) -> int:
    """The script: `python -m loaders.indicators XLS --out DIR`."""
    parser = argparse.ArgumentParser(prog="python -m loaders.indicators", description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path, help="the indicator workbook (.xls, .xlsx)")
    parser.add_argument("--out", type=Path, required=True, help="the folder of the TOML files")
    arguments = parser.parse_args(argv)
    try:
        read = read_indicator_workbook(arguments.workbook)
        for note in (note for found in read for note in found.notes):
            print(f"note: {note}", file=sys.stderr)
        for path in write_templates(arguments.workbook, read, arguments.out):
            print(path)
    except (InvalidData, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


class _SheetReading:
    """The reading of one sheet: the indicators found so far, and the problems and notes."""

    def __init__(self, path: Path, sheet: SheetCells) -> None:
        self.path = path
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.indicators: list[Indicator] = []
        self.current: list[Indicator | None] = [None, None]  # the first- and second-level being read

    def read(self) -> WorkbookTemplate | None:
        rows = self.sheet.rows
        header = next(
            (i for i, row in enumerate(rows) if tuple(_cell(row, j) for j in _NAME_COLUMNS) == HEADER), None
        )
        if header is None:
            self._problem(None, None, "", "no header row 一级指标 | 二级指标 | 三级指标: not a template")
            return None
        before = [_cell(row, 0) for row in rows[:header]]
        title = next((text for text in before if "指标体系" in text), "")
        remark = next((text for text in before if text.startswith("备注")), "")
        named = re.findall(r"[（(]([^（()）]+)[）)]", title)
        own: OwnIndicators | None = None
        for number, row in enumerate(rows[header + 1 :], header + 2):
            cells = [_cell(row, j) for j in range(max(_WEIGHT_COLUMNS) + 1)]
            if cells[0] and not cells[2] and not any(cells[j] for j in _WEIGHT_COLUMNS):
                own = self._own(number, cells, remark)
            elif any(cells):
                self._row(number, cells)
        if len(self.indicators) > MAX_INDICATORS:
            self._problem(None, None, "", f"more than {MAX_INDICATORS} indicators ({len(self.indicators)})")
        template = Template(
            named[-1] if named else self.sheet.name,
            tuple(self.indicators),
            title=title,
            source=f"{self.path.name}, sheet {self.sheet.name}",
            period_years=int(_number(r"近(\d+)年", remark) or 5),
            own=own,
        )
        return WorkbookTemplate(
            self.sheet.name, template, _number(r"共性指标(\d+)分", remark), tuple(self.notes)
        )

    def _row(self, number: int, cells: list[str]) -> None:
        for level in (1, 2):
            if cells[level - 1]:
                self._heading(number, cells, level)
        if cells[2]:
            self._scored(number, cells)
        elif not cells[0] and not cells[1]:
            self._problem(number, "三级指标", "", "a row without an indicator")

    def _heading(self, number: int, cells: list[str], level: int) -> None:
        """A first- or second-level name in its column: a new indicator, or the one above repeated."""
        placed, parent = self._parent(number, level)
        if not placed:
            return
        code, name = self._code(number, cells[level - 1], level, parent)
        weight = _cell_weight(cells[_WEIGHT_COLUMNS[level - 1]])
        current = self.current[level - 1]
        if current is not None and (current.code, current.name) == (code, name):
            if weight is not None and weight[1] != current.weight:
                self._problem(
                    number, "权重", cells[_WEIGHT_COLUMNS[level - 1]], f"{code} repeated with another weight"
                )
            return
        if weight is None:
            self._problem(
                number, "权重", cells[_WEIGHT_COLUMNS[level - 1]], f"no weight for the indicator {code}"
            )
            return
        self._labelled(number, code, level, weight[0])
        indicator = Indicator(code, name, weight[1])
        self._add(number, indicator)
        self.current[level - 1] = indicator
        if level == 1:
            self.current[1] = None

    def _scored(self, number: int, cells: list[str]) -> None:
        placed, parent = self._parent(number, 3)
        if not placed:
            return
        code, name = self._code(number, cells[2], 3, parent)
        weight = _cell_weight(cells[_WEIGHT_COLUMNS[2]])
        if weight is None:
            self._problem(number, "权重", cells[_WEIGHT_COLUMNS[2]], f"no weight for the indicator {code}")
            return
        self._labelled(number, code, 3, weight[0])
        points, scoring = _split_text(cells[_TEXT_COLUMN])
        if not points:
            self._note(
                number, "评估要点", f"{code}: no 评估要点 before 评估方式及标准; the whole text is its rule"
            )
        self._add(number, Indicator(code, name, weight[1], points, scoring, ManualRule()))

    def _own(self, number: int, cells: list[str], remark: str) -> OwnIndicators | None:
        code, name = self._code(number, cells[0], 1, None)
        most = _number(r"个性指标(\d+)分", remark)
        if most is None:
            self._note(number, "一级指标", f"{code}: the remark does not say what own indicators are worth")
            return None
        return OwnIndicators(code, name, most, cells[1])

    def _parent(self, number: int, level: int) -> tuple[bool, str | None]:
        """Whether a new indicator of `level` has one to be under (a problem when not), and its code
        (None for the first level)."""
        if level == 1:
            return True, None
        above = self.current[level - 2]
        if above is None:
            self._problem(
                number, HEADER[level - 1], "", f"a {HEADER[level - 1]} before any {HEADER[level - 2]}"
            )
            return False, None
        return True, above.code

    def _code(self, number: int, text: str, level: int, parent: str | None) -> tuple[str, str]:
        """The code and name in `text` (4.1.1编制使用率); a name without a code is given its parent's
        code and its place under it."""
        match = _CODE.fullmatch(text)
        if match is None:
            siblings = sum(1 for indicator in self.indicators if indicator.parent == parent)
            code = f"{parent}.{siblings + 1}" if parent else str(siblings + 1)
            self._note(number, HEADER[level - 1], f"{text} has no code: read as {code}")
            return code, text
        code, name = match.group(1), match.group(2).strip()
        if code.count(".") + 1 != level or (parent is not None and not code.startswith(f"{parent}.")):
            where = f"under {parent}" if parent else "at the first level"
            self._problem(number, HEADER[level - 1], text, f"the code {code} does not belong {where}")
        return code, name

    def _labelled(self, number: int, code: str, level: int, labelled: int) -> None:
        if labelled != level:
            column = HEADER[level - 1][:2]
            self._note(
                number,
                "权重",
                f"{code}: the weight in the {column} column is labelled {HEADER[labelled - 1][:2]}; read as {column}",
            )

    def _add(self, number: int, indicator: Indicator) -> None:
        if any(found.code == indicator.code for found in self.indicators):
            self._problem(
                number, HEADER[indicator.level - 1], indicator.code, "a second indicator with this code"
            )
        else:
            self.indicators.append(indicator)

    def _problem(self, row: int | None, column: str | None, value: str, reason: str) -> None:
        self.problems.append(Problem(self.sheet.name, row, column, value, reason, str(self.path)))

    def _note(self, row: int, column: str, reason: str) -> None:
        self.notes.append(Problem(self.sheet.name, row, column, None, reason, str(self.path)))


def _cell(row: list[object], column: int) -> str:
    value = row[column] if column < len(row) else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def _cell_weight(text: str) -> tuple[int, float] | None:
    """(the level the label names, the weight in percent) of a weight cell, or None."""
    match = _WEIGHT.fullmatch(text)
    return (_LEVEL_NAMES[match.group(1)], float(match.group(2))) if match else None


def _split_text(text: str) -> tuple[str, str]:
    """The points to check (评估要点) and the scoring rule (评估方式及标准) of an indicator's cell."""
    match = _SCORING.search(text)
    if match is None:
        return "", text
    return _POINTS.sub("", text[: match.start()]).strip(), text[match.end() :].strip()


def _number(pattern: str, text: str) -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


if __name__ == "__main__":
    sys.exit(main())
