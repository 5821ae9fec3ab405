"""The properties each kind of node carries, named as in the ontology.

Python uses snake_case (`statutory_days`); the ontology names the same datatype
property in camelCase (`quanze:statutoryDays`). `rdf_name` converts one to the
other and `tests/ontology` proves every property here is declared there with the
right domain.

    >>> rdf_name("statutory_days")
    'statutoryDays'
    >>> "name" in PROPERTIES[NodeKind.PERSON]
    True
"""

from __future__ import annotations

from ontology.kinds import NodeKind

__all__ = ["PERSONAL", "PROPERTIES", "rdf_name"]

# property name -> XSD datatype local name
_NAMED = {"name": "string", "key": "string"}

PROPERTIES: dict[NodeKind, dict[str, str]] = {
    NodeKind.GOVERNMENT: {**_NAMED},
    NodeKind.DEPARTMENT: {
        **_NAMED,
        "code": "string",
        "government": "string",
        "department_kind": "string",
        "admin_quota": "integer",
        "institution_quota": "integer",
        "leader_quota": "integer",
    },
    NodeKind.UNIT: {**_NAMED, "quota": "integer", "duties": "string"},
    NodeKind.POST: {
        **_NAMED,
        "code": "string",
        "category": "string",
        "rank": "string",
        "duties": "string",
    },
    NodeKind.PERSON: {"person_id": "string", "name": "string"},
    NodeKind.HOLDING: {"start": "date", "end": "date", "quota_type": "string", "mode": "string"},
    NodeKind.FUNCTION: {
        "code": "string",
        "text": "string",
        "category": "string",
        "basis": "string",
    },
    NodeKind.POWER_ITEM: {
        **_NAMED,
        "code": "string",
        "sub_item": "string",
        "power_type": "string",
        "duties": "string",
        "triggers": "string",
        "statutory_days": "integer",
        "promised_days": "integer",
        "basis": "string",
        "basis_status": "string",
        "note": "string",
        "level": "string",
    },
    NodeKind.STAGE: {"step": "integer", "name": "string", "role": "string", "days": "integer"},
    NodeKind.LAW: {
        **_NAMED,
        "rank": "string",
        "in_catalogue": "boolean",
        "title": "string",
        "version": "date",
        "expired": "boolean",
    },
    NodeKind.ARTICLE: {
        "number": "integer",
        "suffix": "integer",
        "label": "string",
        "text": "string",
        "mandated_duty": "string",
        "competent": "string",
        "exists": "boolean",
    },
    NodeKind.CASE: {
        "case_id": "string",
        "accepted": "date",
        "closed": "date",
        "outcome": "string",
        "problem": "string",
    },
    NodeKind.CASE_STEP: {
        "step": "integer",
        "started": "date",
        "finished": "date",
        "opinion": "string",
    },
    NodeKind.ACCOUNTABILITY_RECORD: {
        "record_id": "string",
        "fault": "string",
        "responsibility": "string",
        "sanction": "string",
        "date": "date",
        "raised_by": "string",
    },
    NodeKind.SUPERVISION_NOTICE: {
        "notice_id": "string",
        "matter": "string",
        "issued": "date",
        "deadline": "date",
        "done": "date",
        "transferred": "date",
    },
}

# Properties that are personal data: never shown to the public role, never logged.
PERSONAL: dict[NodeKind, frozenset[str]] = {
    NodeKind.PERSON: frozenset({"name"}),
}


def rdf_name(prop: str) -> str:
    """The ontology's camelCase name of a snake_case property."""
    head, *rest = prop.split("_")
    return head + "".join(part.capitalize() for part in rest)
