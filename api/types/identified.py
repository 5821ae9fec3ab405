"""The `Node` interface: the types whose `id` `node(id:)` finds again (`api.types.nodes` resolves it).

It lives apart from the types that implement it (`api.types.entities`, `api.types.findings`), so that
they can declare it and `api.types.nodes` can import them all.

    @strawberry.type
    class Department(Identified): ...
"""

from __future__ import annotations

import strawberry

__all__ = ["Identified"]


@strawberry.interface(
    name="Node",
    description="Anything with a stable id: a graph node (department, unit, post, person, holding, "
    "function, power item, accountability record) or a finding (overlap, cluster, gap, split approval). "
    "`node(id:)` finds it again by that id.",
)
class Identified:
    @strawberry.field(
        description="The stable id: the same lists loaded again give the same id; `node(id:)` resolves it."
    )
    def id(self) -> strawberry.ID:
        """Each type gives its own: a field of the node's id, or a finding's id."""
        raise NotImplementedError
