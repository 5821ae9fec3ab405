"""A small hand-made indicator system, as a file a user could write: two first-level indicators, five
scored ones, one of each kind of rule."""

from __future__ import annotations

from pathlib import Path

SMALL = """\
name = "示例部门"
bodies = ["组成部门"]
period_years = 3
grades = [
    { name = "优秀", at_least = 90 },
    { name = "良好", at_least = 80 },
    { name = "合格", at_least = 60 },
    { name = "不合格", at_least = 0 },
]

[own]
code = "3"
name = "个性指标"
max = 20

[[indicator]]
code = "1"
name = "履职"
weight = 60

[[indicator]]
code = "1.1"
name = "编制"
weight = 50

[[indicator]]
code = "1.1.1"
name = "在编人员在岗情况"
weight = 70
scoring = "存在1例“吃空饷”的，扣10分；30分扣完为止。"

[indicator.rule]
kind = "deduct"
cap = 30
occurrences = [
    { what = "存在1例“吃空饷”", points = 10, key = "ghost_payroll" },
    { what = "其他不在岗的情况", points = 5 },
]

[[indicator]]
code = "1.1.2"
name = "编制使用率"
weight = 30

[indicator.rule]
kind = "bands"
measure = "quota_usage_rate"
bands = [
    { above = 95, score = 100 },
    { above = 75, up_to = 95, score = 50 },
    { up_to = 75, score = 0 },
]

[[indicator]]
code = "1.2"
name = "评价"
weight = 50

[[indicator]]
code = "1.2.1"
name = "相关部门评价"
weight = 100

[indicator.rule]
kind = "grades"
grades = [{ name = "认可度非常高", score = 100 }, { name = "认可度一般", score = 60 }]

[[indicator]]
code = "2"
name = "效益"
weight = 40

[[indicator]]
code = "2.1"
name = "肯定"
weight = 100

[[indicator]]
code = "2.1.1"
name = "获得肯定情况"
weight = 40

[indicator.rule]
kind = "bonus"
what = "得到1次批示肯定"
points = 25
cap = 100

[[indicator]]
code = "2.1.2"
name = "其他"
weight = 60

[indicator.rule]
kind = "manual"
"""


def write_small(folder: Path, text: str = SMALL, name: str = "small.toml") -> Path:
    """The small system (or `text`) written as `name` in `folder`."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
