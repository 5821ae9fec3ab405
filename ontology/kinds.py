"""The kinds of node and edge in a quanze graph, named as in the ontology.

`ontology/quanze.ttl` is the one statement of what exists; this module gives the
same names to Python. Each `NodeKind` value is the local name of an OWL class in
the quanze namespace, each `EdgeKind` value the local name of an object property,
and `EDGE_ENDS` repeats the properties' domains and ranges. `tests/ontology`
proves the two agree.

    >>> NodeKind.DEPARTMENT.value
    'Department'
    >>> EDGE_ENDS[EdgeKind.UNIT_OF]
    (frozenset({<NodeKind.UNIT: 'Unit'>}), frozenset({<NodeKind.DEPARTMENT: 'Department'>}))
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "EDGE_ENDS",
    "NAMESPACE",
    "EdgeKind",
    "NodeKind",
    "PostCategory",
    "PowerType",
    "StageRole",
]

NAMESPACE = "https://w3id.org/quanze/ontology#"


class NodeKind(StrEnum):
    """A kind of node: an OWL class of the quanze ontology."""

    GOVERNMENT = "Government"
    DEPARTMENT = "Department"
    UNIT = "Unit"
    POST = "Post"
    PERSON = "Person"
    HOLDING = "Holding"
    FUNCTION = "Function"
    POWER_ITEM = "PowerItem"
    STAGE = "Stage"
    LAW = "Law"
    ARTICLE = "Article"
    CASE = "Case"
    CASE_STEP = "CaseStep"
    ACCOUNTABILITY_RECORD = "AccountabilityRecord"
    SUPERVISION_NOTICE = "SupervisionNotice"


class EdgeKind(StrEnum):
    """A kind of edge: an OWL object property of the quanze ontology."""

    DEPARTMENT_OF = "departmentOf"  # department -> its government
    MANAGED_BY = "managedBy"  # department -> the department that manages it (主管部门)
    UNIT_OF = "unitOf"  # unit -> department
    POST_IN = "postIn"  # post -> its unit, or its department for leadership posts
    SUPERVISES = "supervises"  # a 分管领导 post -> the units it is in charge of
    HOLDING_OF = "holdingOf"  # holding -> the person who holds
    HOLDING_POST = "holdingPost"  # holding -> the post held
    QUOTA_IN = "quotaIn"  # holding -> the department whose quota the person sits on
    FUNCTION_OF = "functionOf"  # function -> department (三定 charter)
    CARRIED_BY = "carriedBy"  # function -> unit that carries it
    HELD_BY = "heldBy"  # power item -> department (实施主体)
    HANDLED_BY = "handledBy"  # power item -> unit (承办机构)
    CITES = "cites"  # power item, function -> article or law (设定依据)
    ARTICLE_OF = "articleOf"  # article -> law
    REQUIRES = "requires"  # power item -> prerequisite power item (前置事项)
    STAGE_OF = "stageOf"  # stage -> power item
    STAGE_DEPARTMENT = "stageDepartment"  # stage -> department carrying it
    STAGE_UNIT = "stageUnit"  # stage -> unit
    STAGE_POST = "stagePost"  # stage -> answerable post
    CASE_OF = "caseOf"  # case -> power item
    STEP_OF = "stepOf"  # case step -> case
    STEP_STAGE = "stepStage"  # case step -> the stage it performs
    PERFORMED_BY = "performedBy"  # case step -> person (经办人)
    RECORD_OF = "recordOf"  # accountability record -> person held to account
    RECORD_CASE = "recordCase"  # accountability record -> case
    NOTICE_TO = "noticeTo"  # supervision notice -> the department it is sent to


class PowerType(StrEnum):
    """The ten power types (权力类型) of a power item."""

    LICENSING = "行政许可"
    PENALTY = "行政处罚"
    COERCION = "行政强制"
    LEVY = "行政征收"
    BENEFIT = "行政给付"
    INSPECTION = "行政检查"
    CONFIRMATION = "行政确认"
    REWARD = "行政奖励"
    ADJUDICATION = "行政裁决"
    OTHER = "其他行政权力"


class PostCategory(StrEnum):
    """The four categories (岗位类别) of a post, as the workbook writes them."""

    HEAD = "行政首长"  # the department's head
    DEPUTY = "分管领导"  # a deputy in charge of named units (`EdgeKind.SUPERVISES`)
    UNIT_HEAD = "内设机构负责人"  # the head of an internal unit
    STAFF = "工作人员"


class StageRole(StrEnum):
    """The three responsibility roles of an approval stage (承办 / 审核 / 批准)."""

    HANDLE = "承办"
    REVIEW = "审核"
    APPROVE = "批准"


def _ends(sources: set[NodeKind], targets: set[NodeKind]) -> tuple[frozenset[NodeKind], frozenset[NodeKind]]:
    return frozenset(sources), frozenset(targets)


_N = NodeKind
EDGE_ENDS: dict[EdgeKind, tuple[frozenset[NodeKind], frozenset[NodeKind]]] = {
    EdgeKind.DEPARTMENT_OF: _ends({_N.DEPARTMENT}, {_N.GOVERNMENT}),
    EdgeKind.MANAGED_BY: _ends({_N.DEPARTMENT}, {_N.DEPARTMENT}),
    EdgeKind.UNIT_OF: _ends({_N.UNIT}, {_N.DEPARTMENT}),
    EdgeKind.POST_IN: _ends({_N.POST}, {_N.UNIT, _N.DEPARTMENT}),
    EdgeKind.SUPERVISES: _ends({_N.POST}, {_N.UNIT}),
    EdgeKind.HOLDING_OF: _ends({_N.HOLDING}, {_N.PERSON}),
    EdgeKind.HOLDING_POST: _ends({_N.HOLDING}, {_N.POST}),
    EdgeKind.QUOTA_IN: _ends({_N.HOLDING}, {_N.DEPARTMENT}),
    EdgeKind.FUNCTION_OF: _ends({_N.FUNCTION}, {_N.DEPARTMENT}),
    EdgeKind.CARRIED_BY: _ends({_N.FUNCTION}, {_N.UNIT}),
    EdgeKind.HELD_BY: _ends({_N.POWER_ITEM}, {_N.DEPARTMENT}),
    EdgeKind.HANDLED_BY: _ends({_N.POWER_ITEM}, {_N.UNIT}),
    EdgeKind.CITES: _ends({_N.POWER_ITEM, _N.FUNCTION}, {_N.ARTICLE, _N.LAW}),
    EdgeKind.ARTICLE_OF: _ends({_N.ARTICLE}, {_N.LAW}),
    EdgeKind.REQUIRES: _ends({_N.POWER_ITEM}, {_N.POWER_ITEM}),
    EdgeKind.STAGE_OF: _ends({_N.STAGE}, {_N.POWER_ITEM}),
    EdgeKind.STAGE_DEPARTMENT: _ends({_N.STAGE}, {_N.DEPARTMENT}),
    EdgeKind.STAGE_UNIT: _ends({_N.STAGE}, {_N.UNIT}),
    EdgeKind.STAGE_POST: _ends({_N.STAGE}, {_N.POST}),
    EdgeKind.CASE_OF: _ends({_N.CASE}, {_N.POWER_ITEM}),
    EdgeKind.STEP_OF: _ends({_N.CASE_STEP}, {_N.CASE}),
    EdgeKind.STEP_STAGE: _ends({_N.CASE_STEP}, {_N.STAGE}),
    EdgeKind.PERFORMED_BY: _ends({_N.CASE_STEP}, {_N.PERSON}),
    EdgeKind.RECORD_OF: _ends({_N.ACCOUNTABILITY_RECORD}, {_N.PERSON}),
    EdgeKind.RECORD_CASE: _ends({_N.ACCOUNTABILITY_RECORD}, {_N.CASE}),
    EdgeKind.NOTICE_TO: _ends({_N.SUPERVISION_NOTICE}, {_N.DEPARTMENT}),
}
