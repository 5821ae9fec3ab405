"""Who may see what: the four roles and the fields each adds (shared/spec/graphql.md).

Roles are cumulative: `public` reads the published lists; `staffing` adds
persons, holdings, quotas and staffing gaps; `investigator` adds cases, traces,
responsibility chains and accountability records; `admin` adds loading data.
A field outside the caller's role answers a GraphQL error whose
`extensions.code` is `FORBIDDEN`, never a silent null.

A token is configured as a role or as a role and the name of the person who holds it: that name is
the reviewer the ledger records for the caller's reviews (`Caller`). It is personal data: the
service never logs it and never shows it to the public role.

    >>> Role.parse("Investigator").may(Grant.CASES)
    True
    >>> Role.PUBLIC.may(Grant.PERSONS)
    False
    >>> Caller.parse({"role": "staffing", "name": "王芳"}).role
    <Role.STAFFING: 'staffing'>
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import strawberry
from strawberry.permission import BasePermission

from graph.errors import QuanzeError

__all__ = ["Caller", "Forbidden", "Grant", "Role", "UnknownRole", "requires"]


class UnknownRole(QuanzeError):
    """A role name that is none of public, staffing, investigator, admin."""


class Grant(Enum):
    """What a role may see beyond the published lists."""

    PERSONS = "persons, their names and their holdings"
    STAFFING = "staffing figures: quotas and staffing gaps"
    CASES = "cases, traces, responsibility chains and accountability records"
    LOAD = "loading data"
    REVIEWS = "the ledger's reviews with their reviewers and notes"


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


@dataclass(frozen=True, slots=True)
class Caller:
    """Who a token stands for: a role, and the name of its holder (the reviewer of their reviews),
    kept out of `repr` so that no log line made of a caller shows it."""

    role: Role
    name: str | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, value: str | Mapping[str, Any]) -> Caller:
        """The caller a token's setting names: a role (`"staffing"`) or `{"role": …, "name": …}`;
        raises `UnknownRole` for an unknown role or a mapping of other keys."""
        if isinstance(value, str):
            return cls(Role.parse(value))
        extra = sorted(set(value) - {"role", "name"})
        role, name = value.get("role"), value.get("name")
        if extra or not isinstance(role, str) or not (name is None or isinstance(name, str)):
            raise UnknownRole(
                'a token is configured as a role or as {"role": "...", "name": "..."} (both text)'
            )
        return cls(Role.parse(role), name.strip() if name and name.strip() else None)


_GRANTS: dict[Role, frozenset[Grant]] = {
    Role.PUBLIC: frozenset(),
    Role.STAFFING: frozenset({Grant.PERSONS, Grant.STAFFING, Grant.REVIEWS}),
    Role.INVESTIGATOR: frozenset({Grant.PERSONS, Grant.STAFFING, Grant.REVIEWS, Grant.CASES}),
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
