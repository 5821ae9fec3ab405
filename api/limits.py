"""Abuse limits: what a query may ask before it runs — depth, aliases, tokens and cost.

The cost of a query estimates the values its answer could hold: every field
costs one (a text field, such as an article's `text`, a function's `text` or an
overlap's `evidence`, costs `Limits.text_weight`), times the length of each list
it sits in. A connection's length is its `first` argument (from the query, its
variables, or the variable's default in the operation; the page size of 50 when
absent, as in the schema), and so is a paged list's (its argument's default when
absent); any other list's is an estimate of how long such a list runs
(`LIST_SIZES`, by type and field: a power item cites a few laws, an overlap has
two sides; `Limits.list_size` for the others). Lists are told from
other fields by the schema, so the same field name on two types may cost apart.
So

    { powerItems(first: 100) { edges { node { laws { law text } } } } }

costs about 100 × (1 + 1 + 1 + 5 × (1 + 1 + 20)) = 11,300, and sixteen aliases of
`laws(first: 500) { edges { node { text } } }` about 180,000: too much for a public
endpoint at the default limit of 50,000, while the views' queries fit. What the
estimate misses, the service's cap on the size of an answer catches.

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
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    value_from_ast_untyped,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

__all__ = ["DEFAULT_LIMITS", "LIST_SIZES", "TEXT_FIELDS", "Limits", "check"]

#: how long a list of the schema runs, as a generous estimate for the cost (`Limits.list_size` for others)
LIST_SIZES: dict[str, int] = {
    # the analyses, as long as the data makes them
    "Query.overlaps": 30, "Query.overlapMatrix": 30, "Query.overlapClusters": 20, "Query.gaps": 100,
    "Query.splitApprovals": 20, "Query.responsibility": 6, "Query.accountabilityRecords": 50,
    "Query.accountabilityCounts": 50, "Query.supervisionTransfers": 50, "Transfer.notices": 3,
    "Transfer.noticeDetails": 3,
    # an overlap is between two subjects, with a score per kind of evidence
    "Overlap.departments": 2, "Overlap.items": 2, "Overlap.functions": 2, "Overlap.kinds": 4,
    "Overlap.scores": 4, "Overlap.evidence": 4, "Overlap.sharedArticles": 5,
    # a power item, a function, a post, a person
    "PowerItem.departments": 3, "PowerItem.laws": 5, "PowerItem.stages": 6, "PowerItem.prerequisites": 3,
    "Function.laws": 5, "Function.units": 5, "LawArticle.partsCited": 3, "Post.holders": 3,
    "Post.supervises": 5, "Person.holdings": 5, "Department.posts": 30,
    # a case, a split approval, a gap
    "CaseTrace.stages": 6, "CaseTrace.accountability": 5, "StageTrace.laws": 5, "SplitApproval.items": 5,
    "SplitApproval.departments": 5, "Gap.evidence": 5,
    # the ledger: a finding's reviews, the editions, what an edition diff lists beside its pages of items
    "Review.history": 10, "Query.editions": 10, "Edition.sources": 20, "Edition.digests": 20,
    "ItemSnapshot.departments": 3, "ItemChange.fields": 3, "EditionDiff.findingsAppeared": 100,
    "EditionDiff.findingsResolved": 100,
    # the evaluation (Query.scorecards and Query.warnings are paged: as long as their `first`): a
    # template's third-level indicators, each with its deductions' evidence and its manual scores
    "Scorecard.indicators": 40, "Scorecard.unscored": 40, "IndicatorScore.evidence": 5,
    "IndicatorScore.findings": 5, "IndicatorScore.history": 5, "Warning.departments": 2,
    "Warning.evidence": 5,
}  # fmt: skip
#: fields holding prose (an article, a charter's function, a list's duties): each costs `Limits.text_weight`
TEXT_FIELDS = frozenset(
    {"text", "duties", "basis", "triggers", "evidence", "detail", "fault", "mandatedDuty"}
)


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one query may ask for."""

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_cost: int = 50_000
    list_size: int = 10  # the estimated length of a list that LIST_SIZES does not name
    default_first: int = 50  # the page of a connection without `first`
    text_weight: int = 20  # what a text field costs against any other value
    max_visits: int = 20_000  # selections the check itself may visit before it refuses the query


DEFAULT_LIMITS = Limits()


def check(
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    limits: Limits = DEFAULT_LIMITS,
    operation_name: str | None = None,
    schema: GraphQLSchema | None = None,
) -> list[GraphQLError]:
    """The errors that stop this query from running (code `QUERY_TOO_COMPLEX`), or [].

    `schema` tells lists from other fields (the service's schema when not given).
    Fragments that spread each other in a cycle, and fields the schema does not
    have, are not refused here: validation reports them with a better message.

    >>> from graphql import parse
    >>> check(parse("{ powerItems(first: 50) { totalCount } }"), {})
    []
    """
    if schema is None:
        from api.schema import SCHEMA  # here: the schema is built from the types, which need not be loaded

        schema = SCHEMA._schema
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    walker = _Walker(schema, fragments, variables or {}, limits)
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
                    f"the query's estimated cost is {summary.cost:,}: it could fetch that many values, a text "
                    f"counting {limits.text_weight}; at most {limits.max_cost:,} are allowed "
                    "(ask for smaller pages with `first`, fewer nested lists or fewer text fields)"
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
    starts afresh below every field, as in execution, and the type a field is
    selected on is written beside it), so it is kept by the field's node;
    without that, fragments spread inside fragments make the walk grow as a
    power of the document's length.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        limits: Limits,
    ):
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.limits = limits
        self.visits = 0
        self._defaults: dict[str, Any] = {}
        self._fields: dict[int, _Summary] = {}
        self._open: set[int] = set()
        self._introspecting = 0  # how many introspection fields the walk is inside

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
        root = self.schema.get_root_type(operation.operation)
        return self._selection(operation.selection_set, root, 1)

    def _selection(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None, level: int
    ) -> _Summary:
        """The fields of a selection set taken together."""
        depth = cost = aliases = 0
        for field, on in self._collect(selection_set, parent):
            summary = self._field(field, on, level)
            depth = max(depth, summary.depth)
            cost += summary.cost
            aliases += summary.aliases
        return _Summary(depth, cost, aliases)

    def _collect(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None
    ) -> list[tuple[FieldNode, GraphQLNamedType | None]]:
        """The fields a selection set holds through its fragments, each fragment taken once, as execution
        collects them, with the type each is selected on (an explicit stack: a chain of a thousand
        fragments must not overflow Python's)."""
        fields: list[tuple[FieldNode, GraphQLNamedType | None]] = []
        spread: set[str] = set()
        pending: list[tuple[SelectionNode, GraphQLNamedType | None]] = [
            (selection, parent) for selection in reversed(selection_set.selections)
        ]
        while pending:
            self.visits += 1
            if self.visits > self.limits.max_visits:
                raise _TooIntricate
            selection, on = pending.pop()
            if isinstance(selection, FieldNode):
                fields.append((selection, on))
            elif isinstance(selection, InlineFragmentNode):
                inner = self._type(selection.type_condition.name.value) if selection.type_condition else on
                pending.extend((s, inner) for s in reversed(selection.selection_set.selections))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in spread:
                    spread.add(name)
                    inner = self._type(fragment.type_condition.name.value)
                    pending.extend((s, inner) for s in reversed(fragment.selection_set.selections))
        return fields

    def _field(self, field: FieldNode, on: GraphQLNamedType | None, level: int) -> _Summary:
        key = id(field)
        known = self._fields.get(key)
        if known is not None:
            return known
        if key in self._open:
            return _NOTHING  # a fragment that spreads itself: invalid, and validation says so
        if level > self.limits.max_depth and not self._introspecting:
            raise _TooDeep
        definition = _field_definition(on, field.name.value)
        introspection = field.name.value in _INTROSPECTION_ROOTS
        self._open.add(key)
        self._introspecting += introspection
        try:
            if field.selection_set is None or definition is None:
                inner = _NOTHING
            else:
                inner = self._selection(field.selection_set, get_named_type(definition.type), level + 1)
        finally:
            self._open.discard(key)
            self._introspecting -= introspection
        if introspection:
            # What introspection answers is bounded by the schema itself (GraphiQL's query nests `ofType`
            # deeper than any data query may); a deployment that must not answer it turns it off
            # (QUANZE_INTROSPECTION=false). Its aliases still count.
            summary = _Summary(depth=1, cost=1, aliases=(1 if field.alias else 0) + inner.aliases)
            self._fields[key] = summary
            return summary
        if field.selection_set is None and field.name.value in TEXT_FIELDS:
            own = self.limits.text_weight
        else:
            own = 1
        summary = _Summary(
            depth=1 + inner.depth,
            cost=(own + inner.cost) * self._size(field, on, definition),
            aliases=(1 if field.alias else 0) + inner.aliases,
        )
        self._fields[key] = summary
        return summary

    def _size(self, field: FieldNode, on: GraphQLNamedType | None, definition: GraphQLField | None) -> int:
        """How many times the field's value is there: a connection's page, a list's estimated length, or 1."""
        if definition is None or on is None:
            return 1
        returned = get_named_type(definition.type)
        if returned.name.endswith("Connection"):  # a Relay connection: as long as its page
            first = self._argument(field, "first")
            return max(1, first if isinstance(first, int) else self.limits.default_first)
        if is_list_type(get_nullable_type(definition.type)) and not on.name.endswith("Connection"):
            if "first" in definition.args:  # a paged list: as long as its page
                first = self._argument(field, "first")
                default = definition.args["first"].default_value
                return max(1, first if isinstance(first, int) else default if isinstance(default, int) else 1)
            return LIST_SIZES.get(f"{on.name}.{field.name.value}", self.limits.list_size)
        return 1

    def _type(self, name: str) -> GraphQLNamedType | None:
        return self.schema.get_type(name)

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


#: the root fields of introspection
_INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})


def _field_definition(on: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    """The field `name` of the type `on` (introspection's too), or None when it has none."""
    if name == "__schema":
        return SchemaMetaFieldDef
    if name == "__type":
        return TypeMetaFieldDef
    if isinstance(on, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = on.fields.get(name)
        return found
    return None
