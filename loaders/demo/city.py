"""The demo city's organisation: departments, their units and their charters (三定 functions).

巴中市人民政府 has the departments a Sichuan prefecture-level city had around the seed document
(2008), including the six supervising bodies it names (监察、财政、审计、统计、人事、法制, the
government office's 目标督查室, the service centre) and the offices that own the three clean-ups
(机构编制委员会办公室, 审批制度改革办公室). 巴州区人民政府 has a handful of departments that hold
some of the same items at district level.

Departments are keyed by their name without the city prefix (`市场监督管理局`); the full name is
`巴中市` + key. Each function lists the laws it rests on (short names, as in `catalogue.LAW_HOLDERS`)
and, where a law article imposes the duty, that article. The data is `city.toml` (with the
characters fictional names are made of); this module gives it its types.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from loaders.demo import read_data

__all__ = [
    "CITY",
    "CITY_CODE",
    "DEPARTMENTS",
    "DISTRICT",
    "DISTRICT_CODE",
    "DISTRICT_DEPARTMENTS",
    "FUNCTIONS",
    "GIVEN_NAME_CHARACTERS",
    "SURNAMES",
    "UNITS_WITHOUT_POSTS",
    "Department",
    "DistrictDepartment",
    "Function",
]

_DATA = read_data("city")

CITY: str = _DATA["city"]
CITY_CODE: str = _DATA["city_code"]
DISTRICT: str = _DATA["district"]
DISTRICT_CODE: str = _DATA["district_code"]

#: units that exist on paper but have no post (planted: FUNCTION_WITHOUT_UNIT, unit side)
UNITS_WITHOUT_POSTS: set[tuple[str, str]] = {
    (department, unit) for department, unit in _DATA["units_without_posts"]
}

SURNAMES: str = _DATA["names"]["surnames"]
GIVEN_NAME_CHARACTERS: str = _DATA["names"]["given_name_characters"]


class Department(NamedTuple):
    """A city department: key, kind, managing department (key), head's rank, units (name, duties)."""

    key: str
    kind: str
    parent: str | None
    head_rank: str
    units: tuple[tuple[str, str], ...]


class Function(NamedTuple):
    """One charter function: department key, category, text, carrying units, basis (law, article)."""

    department: str
    category: str
    text: str
    units: tuple[str, ...]
    basis: tuple[tuple[str, str | None], ...]


class DistrictDepartment(NamedTuple):
    """A district department: its full name, the city department it mirrors, its units."""

    name: str
    city_key: str
    units: tuple[tuple[str, str], ...]


def _units(specs: list[list[str]]) -> tuple[tuple[str, str], ...]:
    """[name, duties] pairs, or [name] for a unit of `common_units`."""
    common: dict[str, str] = _DATA["common_units"]
    return tuple((spec[0], spec[1] if len(spec) > 1 else common[spec[0]]) for spec in specs)


def _function(spec: dict[str, Any]) -> Function:
    """A `Function` from its table: basis items as `法` or `法:第N条`."""
    basis: list[tuple[str, str | None]] = []
    for item in spec["basis"]:
        law, _, article = item.partition(":")
        basis.append((law, article or None))
    return Function(spec["department"], spec["category"], spec["text"], tuple(spec["units"]), tuple(basis))


DEPARTMENTS: tuple[Department, ...] = tuple(
    Department(spec["key"], spec["kind"], spec.get("parent"), spec["head_rank"], _units(spec["units"]))
    for spec in _DATA["departments"]
)
DISTRICT_DEPARTMENTS: tuple[DistrictDepartment, ...] = tuple(
    DistrictDepartment(spec["name"], spec["city_key"], _units(spec["units"]))
    for spec in _DATA["district_departments"]
)
FUNCTIONS: tuple[Function, ...] = tuple(_function(spec) for spec in _DATA["functions"])
