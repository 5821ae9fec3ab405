"""A template as the TOML file `graph.evaluation.loading` reads (see its docstring for the layout).

The texts written in the workbook (评估要点, 评估方式及标准) are written as multi-line literal strings,
so that the file reads as the workbook does; `parse_template(template_toml(t), …)` is `t` again.

    >>> from graph.evaluation.model import Indicator, Template
    >>> from graph.evaluation.rules import ManualRule
    >>> text = template_toml(Template("示例", (Indicator("1", "履职", 100), Indicator("1.1", "职责", 100),
    ...                                        Indicator("1.1.1", "职责履行", 100, "①是否越位。\\n②是否缺位。", rule=ManualRule()))))
    >>> print(text.split("[[indicator]]")[-1].strip())
    code = "1.1.1"
    name = "职责履行"
    weight = 100
    points = '''
    ①是否越位。
    ②是否缺位。'''
    <BLANKLINE>
    [indicator.rule]
    kind = "manual"
"""

from __future__ import annotations

import json
from typing import Any

from graph.evaluation.model import Indicator, Template
from graph.evaluation.rule_tables import rule_table

__all__ = ["template_toml"]


def template_toml(template: Template, comment: str = "") -> str:
    """The TOML text of `template`, after `comment` (each of its lines written as a `#` line)."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    lines.append(f"name = {_value(template.name)}")
    for name, value in (("title", template.title), ("source", template.source)):
        if value:
            lines.append(f"{name} = {_value(value)}")
    lines.append(f"bodies = {_value(list(template.bodies))}")
    lines.append(f"period_years = {template.period_years}")
    grades = [{"name": grade.name, "at_least": grade.at_least} for grade in template.grades]
    lines.extend(_array("grades", grades))
    if template.own is not None:
        own = template.own
        lines.extend(["", "[own]", f"code = {_value(own.code)}", f"name = {_value(own.name)}"])
        lines.append(f"max = {_value(own.max_score)}")
        if own.note:
            lines.append(f"note = {_value(own.note)}")
    for indicator in template.indicators:
        lines.extend(["", *_indicator_lines(indicator)])
    return "\n".join(lines) + "\n"


def _indicator_lines(indicator: Indicator) -> list[str]:
    lines = [
        "[[indicator]]",
        f"code = {_value(indicator.code)}",
        f"name = {_value(indicator.name)}",
        f"weight = {_value(indicator.weight)}",
    ]
    for name, text in (("points", indicator.points), ("scoring", indicator.scoring)):
        if text:
            lines.append(f"{name} = {_text(text)}")
    if indicator.rule is not None:
        lines.extend(["", "[indicator.rule]"])
        for key, value in rule_table(indicator.rule).items():
            if isinstance(value, list):
                lines.extend(_array(key, value))
            else:
                lines.append(f"{key} = {_value(value)}")
    return lines


def _array(key: str, tables: list[dict[str, Any]]) -> list[str]:
    """An array of inline tables, one a line."""
    return [f"{key} = [", *(f"    {_value(table)}," for table in tables), "]"]


def _text(text: str) -> str:
    """A text as a multi-line literal string when it can be one, else as a basic string."""
    can_be_literal = "'''" not in text and not text.endswith("'")
    if (
        "\n" in text
        and can_be_literal
        and all(ch in "\n\t" or ch >= " " for ch in text)
        and "\x7f" not in text
    ):
        return f"'''\n{text}'''"
    return _value(text)


def _value(value: Any) -> str:
    """A value as TOML writes it: texts as basic strings, whole numbers without a decimal point."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_value(item)}" for key, item in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")
