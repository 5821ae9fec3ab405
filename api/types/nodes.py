"""Graph nodes as the GraphQL types that implement `Node`, as the caller's role may see them.

A person and a holding are personal data (the staffing role and above), an accountability record is
the investigator's: for another role they answer FORBIDDEN, as the fields that lead to them do. A
node of a kind the API serves under no `Node` type (a stage, a case's step …) is None.

    entity(info, node)         # Department.of(node) for a department node, FORBIDDEN for a person …
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import GraphQLError

from api.context import Info
from api.roles import Grant
from api.types.entities import (
    AccountabilityRecord,
    Department,
    Function,
    Holding,
    Person,
    Post,
    PowerItem,
    Unit,
)
from api.types.identified import Identified
from graph.model import Node
from ontology import EdgeKind, NodeKind

__all__ = ["entity", "entity_by_id"]

#: the grant a kind of node needs, beyond the published lists
_GRANTS = {
    NodeKind.PERSON: Grant.PERSONS,
    NodeKind.HOLDING: Grant.PERSONS,
    NodeKind.ACCOUNTABILITY_RECORD: Grant.CASES,
}

_TYPES: dict[NodeKind, Callable[[Node], Identified]] = {
    NodeKind.DEPARTMENT: Department.of,
    NodeKind.UNIT: Unit.of,
    NodeKind.POST: Post.of,
    NodeKind.PERSON: Person.of,
    NodeKind.HOLDING: Holding.of,
    NodeKind.FUNCTION: Function.of,
    NodeKind.POWER_ITEM: PowerItem.of,
    NodeKind.ACCOUNTABILITY_RECORD: lambda node: AccountabilityRecord(node=node),
}


def entity(info: Info, node: Node) -> Identified | None:
    """The GraphQL type of `node` (None for a kind no `Node` type serves, or a holding of no post: a
    quota, which the API never serves as a holding); FORBIDDEN for one the caller's role may not see."""
    wrap = _TYPES.get(node.kind)
    if wrap is None:
        return None
    grant = _GRANTS.get(node.kind)
    if grant is not None and not info.context.role.may(grant):
        raise GraphQLError(
            f"FORBIDDEN: {grant.value} are not for the public", extensions={"code": "FORBIDDEN"}
        )
    if node.kind is NodeKind.HOLDING and not info.context.loaders.out(node.id, EdgeKind.HOLDING_POST):
        return None
    return wrap(node)


def entity_by_id(info: Info, node_id: str) -> Identified | None:
    """The GraphQL type of the node with this id, None when there is none (see `entity`)."""
    found = info.context.loaders.node(node_id)
    return entity(info, found) if found is not None else None
