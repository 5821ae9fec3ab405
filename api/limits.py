"""Abuse limits: what a query may ask before it runs — depth, aliases, tokens and cost.

The cost of a query is what it could make the service fetch: every field costs
one, times the size of each list it sits in. A connection field's size is its
`first` argument (from the query or its variables; 50 when absent, as in the
schema), any other list's size a fixed estimate. So

    { powerItems(first: 100) { edges { node { laws { law } } } } }

costs about 100 × (1 + 1 + 10 × 2): too much for a public endpoint at the
default limit, while a page of 50 items with their departments and laws fits.

    errors = check(document, variables, LIMITS)   # [] when the query may run
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

__all__ = ["DEFAULT_LIMITS", "Limits", "check"]

_LIST_FIELDS = frozenset(
    {
        "units", "posts", "functions", "holders", "holdings", "departments", "laws", "stages",
        "prerequisites", "items", "evidence", "overlaps", "overlapMatrix", "overlapClusters", "gaps",
        "splitApprovals", "findings", "powerItems", "responsibility", "accountabilityRecords", "accountabilityCounts",
        "supervises", "sharedArticles", "sharedWords", "scores", "overlapIds", "partsCited",
    }
)  # fmt: skip
_CONNECTION_PARTS = frozenset({"edges", "totalCount", "pageInfo"})


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one query may ask for."""

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_cost: int = 50_000
    list_size: int = 10  # the estimated length of a list without `first`
    default_first: int = 50


DEFAULT_LIMITS = Limits()


def check(
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    limits: Limits = DEFAULT_LIMITS,
    operation_name: str | None = None,
) -> list[GraphQLError]:
    """The errors that stop this query from running (code `QUERY_TOO_COMPLEX`), or []."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    walker = _Walker(fragments, variables or {}, limits)
    errors: list[GraphQLError] = []
    aliases = sum(walker.aliases(op.selection_set) for op in operations)
    if aliases > limits.max_aliases:
        errors.append(_error(f"the query uses {aliases} aliases; at most {limits.max_aliases} are allowed"))
    for operation in operations:
        depth = walker.depth(operation.selection_set)
        if depth > limits.max_depth:
            errors.append(_error(f"the query is {depth} fields deep; at most {limits.max_depth} are allowed"))
            continue
        cost = walker.cost(operation.selection_set)
        if cost > limits.max_cost:
            errors.append(
                _error(
                    f"the query could fetch about {cost:,} values; at most {limits.max_cost:,} are allowed "
                    "(ask for smaller pages with `first`, or fewer nested lists)"
                )
            )
    return errors


def _error(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "QUERY_TOO_COMPLEX"})


class _Walker:
    """Walks selection sets through fragments, with a guard against fragment cycles."""

    def __init__(
        self, fragments: dict[str, FragmentDefinitionNode], variables: Mapping[str, Any], limits: Limits
    ):
        self.fragments = fragments
        self.variables = variables
        self.limits = limits

    def _fields(
        self, selection_set: SelectionSetNode | None, seen: frozenset[str] = frozenset()
    ) -> list[FieldNode]:
        fields: list[FieldNode] = []
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                fields.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                fields.extend(self._fields(selection.selection_set, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    fields.extend(self._fields(fragment.selection_set, seen | {name}))
        return fields

    def depth(self, selection_set: SelectionSetNode | None, level: int = 0) -> int:
        if level > self.limits.max_depth:
            return level  # deep enough to refuse; no need to walk further
        fields = self._fields(selection_set)
        return max((self.depth(field.selection_set, level + 1) for field in fields), default=level)

    def aliases(self, selection_set: SelectionSetNode | None, level: int = 0) -> int:
        if level > self.limits.max_depth:
            return 0
        return sum(
            (1 if field.alias else 0) + self.aliases(field.selection_set, level + 1)
            for field in self._fields(selection_set)
        )

    def cost(self, selection_set: SelectionSetNode | None, level: int = 0) -> int:
        total = 0
        for field in self._fields(selection_set):
            inner = 1 + (self.cost(field.selection_set, level + 1) if field.selection_set else 0)
            total += inner * self._size(field)
        return total

    def _size(self, field: FieldNode) -> int:
        inner = {f.name.value for f in self._fields(field.selection_set)}
        if inner & _CONNECTION_PARTS:  # a Relay connection: as long as its page
            first = self._argument(field, "first")
            return max(1, first if isinstance(first, int) else self.limits.default_first)
        if field.name.value in _LIST_FIELDS:
            return self.limits.list_size
        return 1

    def _argument(self, field: FieldNode, name: str) -> Any:
        for argument in field.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                return self.variables.get(value.name.value)
        return None
