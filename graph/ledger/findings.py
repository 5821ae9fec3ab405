"""The kinds of finding the ledger reviews, known from a finding id's prefix, and who may review each.

A finding id begins with its kind (`overlap:…`, `gap:…`): the prefixes `graph.identity.FindingKind`
defines, for the analyses that make the ids and the ledger alike. Roles are the service's role names
(public, staffing, investigator, admin) as strings, so that the graph does not depend on the API: the
`staffing` role reviews overlaps, gaps, split approvals and staffing findings (warnings), the
`investigator` role case findings (trace findings and supervision transfers), `admin` everything;
`public` nothing.

    >>> finding_kind("overlap:item:a|item:b")
    <FindingKind.OVERLAP: 'overlap'>
    >>> may_review("staffing", "gap:UNHELD_DUTY:article:x"), may_review("staffing", "finding:case:1:3")
    (True, False)
"""

from __future__ import annotations

from graph.identity import FindingKind
from graph.ledger.model import InvalidReview, ReviewForbidden

__all__ = ["REVIEWERS", "FindingKind", "check_reviewer", "finding_kind", "may_review"]

#: the roles that may review each kind of finding
REVIEWERS: dict[FindingKind, frozenset[str]] = {
    FindingKind.OVERLAP: frozenset({"staffing", "admin"}),
    FindingKind.GAP: frozenset({"staffing", "admin"}),
    FindingKind.SPLIT: frozenset({"staffing", "admin"}),
    FindingKind.WARNING: frozenset({"staffing", "admin"}),
    FindingKind.FINDING: frozenset({"investigator", "admin"}),
    FindingKind.TRANSFER: frozenset({"investigator", "admin"}),
}


def finding_kind(finding_id: str) -> FindingKind:
    """The kind of the finding `finding_id` names; raises `InvalidReview` for an id of no known kind.

    >>> finding_kind("split:item:x")
    <FindingKind.SPLIT: 'split'>
    """
    prefix, colon, rest = finding_id.partition(":")
    try:
        if colon and rest:
            return FindingKind(prefix)
    except ValueError:
        pass
    prefixes = ", ".join(f"{kind.value}:" for kind in FindingKind)
    raise InvalidReview(
        f"finding id {finding_id!r} is of no known kind: it must start with one of {prefixes}"
    )


def may_review(role: str, finding_id: str) -> bool:
    """Whether a caller of `role` may review the finding `finding_id` (False for an unknown role)."""
    return role in REVIEWERS[finding_kind(finding_id)]


def check_reviewer(role: str, finding_id: str) -> None:
    """Raise `ReviewForbidden` unless `role` may review `finding_id` (`InvalidReview` for an unknown kind)."""
    kind = finding_kind(finding_id)
    if role not in REVIEWERS[kind]:
        allowed = ", ".join(sorted(REVIEWERS[kind]))
        raise ReviewForbidden(
            f"role {role!r} may not review {kind.value} findings ({finding_id}): the roles {allowed} may"
        )
