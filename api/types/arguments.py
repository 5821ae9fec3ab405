"""The arguments the finding lists, their pages and the counts share, with their descriptions, so that
every field that takes one describes it the same way.

    def overlaps_connection(self, info: Info, departments: Departments = None, first: First = 50) -> …
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from api.types import enums  # noqa: F401  (the analyses' enums, as GraphQL enums)
from api.types.selection import SortDirection
from graph import analyses

__all__ = [
    "After",
    "At",
    "CaseNumber",
    "DepartmentKind",
    "DepartmentName",
    "Departments",
    "Direction",
    "First",
    "GapKinds",
    "Government",
    "MinScore",
    "Offset",
    "OverlapKinds",
    "PageSize",
    "PowerTypeName",
    "Text",
    "Verdicts",
]

DepartmentName = Annotated[
    str | None,
    strawberry.argument(description="A department by name (either script, full-width or not) or by id."),
]
Departments = Annotated[
    list[str] | None,
    strawberry.argument(
        description="Departments by name or id: what names any of them (or `department`). A name that "
        "finds none answers BAD_USER_INPUT with `extensions.suggestions`."
    ),
]
OverlapKinds = Annotated[
    list[analyses.OverlapKind] | None,
    strawberry.argument(description="The kinds of evidence, any of them; null or empty: every kind."),
]
Verdicts = Annotated[
    list[analyses.OverlapVerdict] | None,
    strawberry.argument(
        description="The verdicts kept (default OVERLAP and BOUNDARY); null or empty: every verdict."
    ),
]
MinScore = Annotated[float | None, strawberry.argument(description="The least score kept, 0 to 1.")]
GapKinds = Annotated[
    list[analyses.GapKind] | None,
    strawberry.argument(
        description="The kinds of gap (staffing kinds need the staffing role); null: every kind the "
        "caller's role may see."
    ),
]
At = Annotated[date | None, strawberry.argument(description="The date (ISO 8601); default today.")]
Direction = Annotated[
    SortDirection | None,
    strawberry.argument(description="ASC or DESC; null: the sort's own direction (see the sort's values)."),
]
First = Annotated[int | None, strawberry.argument(description="The page's size: 50 by default, at most 500.")]
After = Annotated[
    str | None,
    strawberry.argument(description="The `endCursor` of the page before; null for the first page."),
]
Government = Annotated[str | None, strawberry.argument(description="A government by name (either script).")]
DepartmentKind = Annotated[
    str | None, strawberry.argument(description="A 机构类型: 组成部门, 直属机构, 部门管理机构, 事业单位 …")
]
PowerTypeName = Annotated[
    str | None,
    strawberry.argument(description="A power type by any wording (行政许可, 许可, licensing) or code (XK)."),
]
Text = Annotated[
    str | None, strawberry.argument(description="Text the name, sub-item or code contains (either script).")
]
CaseNumber = Annotated[strawberry.ID | None, strawberry.argument(description="A case number (办件编号).")]
PageSize = Annotated[int, strawberry.argument(description="How many: 100 by default, at most 500.")]
Offset = Annotated[int, strawberry.argument(description="How many to skip before the page.")]
