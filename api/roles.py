"""Who may see what: the four roles and the fields each adds (shared/spec/graphql.md).

Roles are cumulative: `public` reads the published lists; `staffing` adds
persons, holdings, quotas and staffing gaps; `investigator` adds cases, traces,
responsibility chains and accountability records; `admin` adds loading data.
A field outside the caller's role answers a GraphQL error whose
`extensions.code` is `FORBIDDEN`, never a silent null.

    >>> Role.parse("Investigator").may(Grant.CASES)
    True
    >>> Role.PUBLIC.may(Grant.PERSONS)
    False
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.permission import BasePermission

from graph.errors import QuanzeError

__all__ = ["Forbidden", "Grant", "Role", "UnknownRole", "requires"]


class UnknownRole(QuanzeError):
    """A role name that is none of public, staffing, investigator, admin."""


class Grant(Enum):
    """What a role may see beyond the published lists."""

    PERSONS = "persons, their names and their holdings"
    STAFFING = "staffing figures: quotas and staffing gaps"
    CASES = "cases, traces, responsibility chains and accountability records"
    LOAD = "loading data"


class Role(Enum):
    """A caller's role, from the least to the most it may see."""

    PUBLIC = "public"
    STAFFING = "staffing"
    INVESTIGATOR = "investigator"
    ADMIN = "admin"

    @classmethod
    def parse(cls, name: str) -> Role:
        """The role with this name, case-insensitively; raises `UnknownRole`."""
        try:
            return cls(name.strip().lower())
        except ValueError:
            names = ", ".join(role.value for role in cls)
            raise UnknownRole(f"unknown role {name!r}: use one of {names}") from None

    def may(self, grant: Grant) -> bool:
        """Whether this role may see what `grant` covers."""
        return grant in _GRANTS[self]


_GRANTS: dict[Role, frozenset[Grant]] = {
    Role.PUBLIC: frozenset(),
    Role.STAFFING: frozenset({Grant.PERSONS, Grant.STAFFING}),
    Role.INVESTIGATOR: frozenset({Grant.PERSONS, Grant.STAFFING, Grant.CASES}),
    Role.ADMIN: frozenset(Grant),
}


class Forbidden(BasePermission):
    """The base of the permission classes `requires` makes: one per grant."""

    grant: Grant = Grant.LOAD
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 - strawberry reads it from the class

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        role: Role = info.context.role
        return role.may(self.grant)


def _permission(grant: Grant) -> type[Forbidden]:
    roles = ", ".join(role.value for role in Role if role.may(grant))
    message = f"FORBIDDEN: {grant.value} are for the roles {roles}"
    return type(f"Requires{grant.name.title()}", (Forbidden,), {"grant": grant, "message": message})


_PERMISSIONS: dict[Grant, type[Forbidden]] = {grant: _permission(grant) for grant in Grant}


def requires(grant: Grant) -> list[type[BasePermission]]:
    """The `permission_classes` argument for a field that needs `grant`."""
    return [_PERMISSIONS[grant]]
