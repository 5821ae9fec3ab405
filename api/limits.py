"""Abuse limits: what a query may ask before it runs — depth, aliases, tokens and cost.

The cost of a query is what it could make the service fetch: every field costs
one, times the size of each list it sits in. A connection field's size is its
`first` argument (from the query, its variables, or the variable's default in
the operation; 50 when absent, as in the schema), any other list's size a fixed
estimate. So

    { powerItems(first: 100) { edges { node { laws { law } } } } }

costs about 100 × (1 + 1 + 10 × 2): too much for a public endpoint at the
default limit, while a page of 50 items with their departments and laws fits.

The check runs on the event loop before anything else, so it must stay cheap
whatever the query: it collects the fields of a selection as execution does (a
fragment spread twice in one selection is collected once), it works out each
field of the document once (fragments make the same field appear at many
places), and it gives up with a refusal after visiting `max_visits` selections.

    errors = check(document, variables, LIMITS)   # [] when the query may run
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
    value_from_ast_untyped,
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
    max_visits: int = 20_000  # selections the check itself may visit before it refuses the query


DEFAULT_LIMITS = Limits()


def check(
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    limits: Limits = DEFAULT_LIMITS,
    operation_name: str | None = None,
) -> list[GraphQLError]:
    """The errors that stop this query from running (code `QUERY_TOO_COMPLEX`), or [].

    Fragments that spread each other in a cycle are not refused here: validation
    reports them with a better message.

    >>> from graphql import parse
    >>> check(parse("{ powerItems(first: 50) { totalCount } }"), {})
    []
    """
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    walker = _Walker(fragments, variables or {}, limits)
    errors: list[GraphQLError] = []
    aliases = 0
    for operation in operations:
        try:
            summary = walker.operation(operation)
        except _TooDeep:
            errors.append(_depth_error(limits))
            continue
        except _TooIntricate:
            errors.append(
                _error(
                    f"the query expands to more than {limits.max_visits:,} selections through its fragments; "
                    "spread fewer fragments"
                )
            )
            break
        aliases += summary.aliases
        if summary.depth > limits.max_depth:
            errors.append(_depth_error(limits, summary.depth))
            continue
        if summary.cost > limits.max_cost:
            errors.append(
                _error(
                    f"the query could fetch about {summary.cost:,} values; at most {limits.max_cost:,} are allowed "
                    "(ask for smaller pages with `first`, or fewer nested lists)"
                )
            )
    if aliases > limits.max_aliases:
        errors.insert(
            0, _error(f"the query uses {aliases:,} aliases; at most {limits.max_aliases} are allowed")
        )
    return errors


def _error(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "QUERY_TOO_COMPLEX"})


def _depth_error(limits: Limits, depth: int | None = None) -> GraphQLError:
    stated = f"{depth}" if depth is not None else f"more than {limits.max_depth}"
    return _error(f"the query is {stated} fields deep; at most {limits.max_depth} are allowed")


class _Summary(NamedTuple):
    """What a field, or the fields of a selection, could ask for."""

    depth: int
    cost: int
    aliases: int


_NOTHING = _Summary(depth=0, cost=0, aliases=0)


class _TooDeep(Exception):
    """The walk went past the depth limit: the query is refused whatever else it asks."""


class _TooIntricate(Exception):
    """The walk visited more selections than `Limits.max_visits`."""


class _Walker:
    """Works out what each field of one document could ask for, once per field.

    A field's answer does not depend on where its fragment is spread (collection
    starts afresh below every field, as in execution), so it is kept by the
    field's node; without that, fragments spread inside fragments make the walk
    grow as a power of the document's length.
    """

    def __init__(
        self, fragments: dict[str, FragmentDefinitionNode], variables: Mapping[str, Any], limits: Limits
    ):
        self.fragments = fragments
        self.variables = variables
        self.limits = limits
        self.visits = 0
        self._defaults: dict[str, Any] = {}
        self._fields: dict[int, _Summary] = {}
        self._open: set[int] = set()

    def operation(self, operation: OperationDefinitionNode) -> _Summary:
        """What the operation could ask for; raises _TooDeep or _TooIntricate."""
        # A field's size may come from this operation's variable defaults, so answers are not shared
        # between operations; the count of visits is, so that many operations cannot multiply it.
        self._fields.clear()
        self._defaults = {
            definition.variable.name.value: value_from_ast_untyped(definition.default_value)
            for definition in operation.variable_definitions or ()
            if definition.default_value is not None
        }
        summary, _ = self._selection(operation.selection_set, 1)
        return summary

    def _selection(self, selection_set: SelectionSetNode, level: int) -> tuple[_Summary, set[str]]:
        """The fields of a selection set taken together, and their names."""
        depth = cost = aliases = 0
        names: set[str] = set()
        for field in self._collect(selection_set):
            summary = self._field(field, level)
            depth = max(depth, summary.depth)
            cost += summary.cost
            aliases += summary.aliases
            names.add(field.name.value)
        return _Summary(depth, cost, aliases), names

    def _collect(self, selection_set: SelectionSetNode) -> list[FieldNode]:
        """The fields a selection set holds through its fragments, each fragment taken once, as execution
        collects them (an explicit stack: a chain of a thousand fragments must not overflow Python's)."""
        fields: list[FieldNode] = []
        spread: set[str] = set()
        pending: list[SelectionNode] = list(reversed(selection_set.selections))
        while pending:
            self.visits += 1
            if self.visits > self.limits.max_visits:
                raise _TooIntricate
            selection = pending.pop()
            if isinstance(selection, FieldNode):
                fields.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                pending.extend(reversed(selection.selection_set.selections))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in spread:
                    spread.add(name)
                    pending.extend(reversed(fragment.selection_set.selections))
        return fields

    def _field(self, field: FieldNode, level: int) -> _Summary:
        key = id(field)
        known = self._fields.get(key)
        if known is not None:
            return known
        if key in self._open:
            return _NOTHING  # a fragment that spreads itself: invalid, and validation says so
        if level > self.limits.max_depth:
            raise _TooDeep
        self._open.add(key)
        try:
            names: set[str] = set()
            if field.selection_set is None:
                inner = _NOTHING
            else:
                inner, names = self._selection(field.selection_set, level + 1)
        finally:
            self._open.discard(key)
        summary = _Summary(
            depth=1 + inner.depth,
            cost=(1 + inner.cost) * self._size(field, names),
            aliases=(1 if field.alias else 0) + inner.aliases,
        )
        self._fields[key] = summary
        return summary

    def _size(self, field: FieldNode, inner_names: set[str]) -> int:
        if inner_names & _CONNECTION_PARTS:  # a Relay connection: as long as its page
            first = self._argument(field, "first")
            return max(1, first if isinstance(first, int) else self.limits.default_first)
        if field.name.value in _LIST_FIELDS:
            return self.limits.list_size
        return 1

    def _argument(self, field: FieldNode, name: str) -> Any:
        """The argument's value: a literal, or the variable sent, or else the variable's default."""
        for argument in field.arguments or ():
            if argument.name.value != name:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                variable = value.name.value
                if variable in self.variables:
                    return self.variables[variable]
                return self._defaults.get(variable)
        return None
