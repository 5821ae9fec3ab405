"""A government's rows, in the order of the workbook format: every sheet but the laws and the cases.

The laws sheet is written once for the province (`laws.law_rows`), the cases government by
government (`cases.write_cases`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from loaders.demo.catalogue import DUTIES, TRIGGERS, TYPE_CODES
from loaders.demo.province.catalogue import basis_text
from loaders.demo.province.government import GovernmentBuilder
from loaders.demo.province.kinds import stable_hash
from loaders.demo.province.records import quota_type

__all__ = ["sheet_rows"]


def sheet_rows(builder: GovernmentBuilder) -> dict[str, Sequence[Sequence[Any]]]:
    """The rows of every sheet but cases and laws, in the order of the workbook format."""
    laws = builder.p.laws
    departments = []
    for d in builder.departments:
        parent = builder.by_key.get(d.kind.parent or "")
        quota = builder.quota[d.name]
        admin, institution = ("", quota) if quota_type(d) == "事业编制" else (quota, "")
        departments.append(
            (
                d.name,
                d.code,
                builder.gov.name,
                d.kind.kind,
                parent.name if parent else "",
                admin,
                institution,
            )
        )
    functions = [
        (f.code, f.department.name, f.category, f.text, "、".join(f.units), basis_text(f.citations, laws))
        for f in builder.functions
    ]
    powers = []
    for item in builder.items:
        type_name = TYPE_CODES[item.entry.type_code]
        variants = DUTIES[type_name]
        duties = variants[stable_hash(item.entry.name) % len(variants)]
        basis = (
            item.entry.basis_text
            if item.entry.basis_text is not None
            else basis_text(item.entry.citations, laws)
        )
        holders = "、".join(d.name for d in item.departments)
        for sub in item.entry.subs or ("",):
            powers.append(
                (
                    item.code,
                    type_name,
                    item.entry.name,
                    sub,
                    holders,
                    item.unit,
                    basis,
                    duties,
                    TRIGGERS[type_name],
                    item.statutory or "",
                    item.promised or "",
                    "、".join(item.prerequisites),
                    "",
                )
            )
    return {
        "部门": departments,
        "内设机构": builder.unit_rows,
        "岗位": builder.post_rows,
        "任职": builder.holding_rows,
        "职能": functions,
        "权责清单": powers,
        "审批环节": builder.stage_rows,
    }
