"""The role an approval stage carries (承办 handle, 审核 review, 批准 approve), by the words sources write.

A workbook's 审批环节 sheet names the role in its 责任类型 column (`承办`, `复核`, `签发`, or the English
name); when that is empty, and in a service catalogue, which names none, the stage's own name tells
it (`受理` -> handle, `审核` -> review, `决定` -> approve).

    >>> role_named("复核"), stage_role("受理申请"), stage_role("公示")
    (<StageRole.REVIEW: '审核'>, <StageRole.HANDLE: '承办'>, None)
"""

from __future__ import annotations

from graph.text import normalize
from ontology import StageRole

__all__ = ["role_named", "stage_role"]

_ROLE_NAMES: dict[str, StageRole] = {
    normalize(name).casefold(): role
    for role, names in {
        StageRole.HANDLE: ("承办", "handle", "经办", "办理"),
        StageRole.REVIEW: ("审核", "review", "复核"),
        StageRole.APPROVE: ("批准", "approve", "审批", "决定", "签发"),
    }.items()
    for name in names
}

# Stage names and the role they carry when the 责任类型 is left empty.
_STAGE_ROLES: tuple[tuple[str, StageRole], ...] = (
    ("审核", StageRole.REVIEW),
    ("复核", StageRole.REVIEW),
    ("复审", StageRole.REVIEW),
    ("会审", StageRole.REVIEW),
    ("批准", StageRole.APPROVE),
    ("决定", StageRole.APPROVE),
    ("审批", StageRole.APPROVE),
    ("签发", StageRole.APPROVE),
    ("审定", StageRole.APPROVE),
    ("受理", StageRole.HANDLE),
    ("审查", StageRole.HANDLE),
    ("初审", StageRole.HANDLE),
    ("核查", StageRole.HANDLE),
    ("勘", StageRole.HANDLE),
    ("送达", StageRole.HANDLE),
    ("制证", StageRole.HANDLE),
    ("发证", StageRole.HANDLE),
    ("办结", StageRole.HANDLE),
)


def role_named(text: str) -> StageRole | None:
    """The role a 责任类型 cell names (承办 / 审核 / 批准, their other words, or the English name), or None."""
    return _ROLE_NAMES.get(normalize(text).casefold())


def stage_role(name: str) -> StageRole | None:
    """The role a stage carries by its name when none is given: 受理 -> HANDLE, 审核 -> REVIEW …"""
    key = normalize(name)
    for word, role in _STAGE_ROLES:
        if word in key:
            return role
    return None
