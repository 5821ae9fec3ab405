"""Execution plans: a query document compiled once per (text, operation, role) into a tree of plain calls.

graphql-core's executor works out, for every field of every object of an answer, what to call and how
to complete what it returns: a page of 50 items with their departments and laws is ~500 fields, and
that bookkeeping (with strawberry's wrapper around every resolver) costs more than the resolvers. A
plan does the bookkeeping once per document: the fields each selection collects (fragments and all),
how each is resolved (an attribute of the source, the resolver called directly, or strawberry's full
resolver with its arguments coerced), how its value is completed (a leaf serialised, a list, an
object, an interface's or union's runtime type), and whether the caller's role may see it (the
`api.roles` permissions answer from the role alone, so a plan is made for one role).

A plan only ever answers what strawberry would answer without an error. It is learnt from a request
strawberry ran without errors (so the document is valid, and a query, not a mutation), and anything
it does not cover makes no plan: directives (`@skip`, `@include`), introspection, fields whose
extensions are not role permissions, a field the role may not see, async resolvers, a schema with
exception handlers. At run time,
anything unexpected (a resolver raising, a null where the schema says non-null, a variable that does
not coerce, the deadline, an analysis not computed yet) raises `PlanAbandoned`, and the service runs
the request through strawberry, which reports it as it always has.

    plans = PlanCache(schema)
    plan = plans.get(query, operation, role)            # None until learnt
    data = plan.run(context, variables)                 # the `data` of the answer, or PlanAbandoned
    plans.learn(query, document, operation, role)       # after strawberry answered it without errors

Resolvers see `info.context`, `info.field_name`, `info.schema` … as under strawberry; `info.path` is
the field's path without the positions of the lists it sits in, and an interface's or union's type
resolution is given the field's name and the schema, as strawberry's reads them (nothing in `api`
reads more).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLField,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_argument_values,
    get_variable_values,
    is_abstract_type,
    is_leaf_type,
)
from graphql.language import DocumentNode
from graphql.pyutils import Path, is_iterable
from strawberry.permission import PermissionExtension
from strawberry.schema.schema import _OperationContextAwareGraphQLResolveInfo
from strawberry.types.field import StrawberryField

from api.roles import Forbidden, Role

__all__ = ["Plan", "PlanAbandoned", "PlanCache", "compile_plan"]

#: graphql-core's bounds of an Int (a 32-bit signed integer)
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


class PlanAbandoned(Exception):
    """A plan met something only strawberry's executor answers as it should (an error, mostly)."""


class _Unplannable(Exception):
    """The document holds something a plan does not cover: strawberry answers it every time."""


class PlanCache:
    """The plans of the documents the service has answered, by (query text, operation name, role):
    at most `size`, the least recently used forgotten first. Thread-safe (requests run in threads)."""

    def __init__(self, schema: strawberry.Schema, size: int = 512) -> None:
        self.schema = schema
        self.size = size
        self._plans: OrderedDict[tuple[str, str | None, Role], Plan | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, query: str, operation: str | None, role: Role) -> Plan | None:
        """The plan for this document, operation and role; None when none is learnt or none can be made."""
        key = (query, operation, role)
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
            return plan

    def known(self, query: str, operation: str | None, role: Role) -> bool:
        """Whether this document was learnt already (with a plan or found unplannable)."""
        return (query, operation, role) in self._plans

    def learn(self, query: str, document: DocumentNode, operation: str | None, role: Role) -> Plan | None:
        """Make and keep the plan of a document strawberry has just answered without errors for `role`
        (None, kept too, when a plan cannot cover it)."""
        plan = compile_plan(self.schema, document, operation, role)
        with self._lock:
            self._plans[(query, operation, role)] = plan
            while len(self._plans) > self.size:
                self._plans.popitem(last=False)
        return plan


def compile_plan(
    schema: strawberry.Schema, document: DocumentNode, operation_name: str | None, role: Role
) -> Plan | None:
    """The plan answering the operation `operation_name` (or the only one) of a valid `document` for a
    caller of `role`; None when the document holds what a plan does not cover (see the module)."""
    try:
        return Plan(schema, document, operation_name, role)
    except _Unplannable:
        return None


#: what a compiled selection is: (source, request) -> the object's answer
_Run = Callable[[Any, "_Request"], Any]


class Plan:
    """One operation of one document, compiled for one role: `run` answers its `data`."""

    def __init__(
        self, schema: strawberry.Schema, document: DocumentNode, operation_name: str | None, role: Role
    ) -> None:
        self.strawberry = schema
        self.schema: GraphQLSchema = schema._schema
        self.role = role
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        chosen = [
            o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)
        ]
        if len(chosen) != 1 or chosen[0].operation is not OperationType.QUERY:
            raise _Unplannable
        self.operation = chosen[0]
        self.fragments: dict[str, FragmentDefinitionNode] = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        handlers: tuple[Any, ...] = getattr(schema.schema_converter, "_exception_handler_specs", ())
        if _has_directives(document) or handlers:
            raise _Unplannable  # exception handlers turn a resolver's error into an answer: strawberry's
        self.info_class = schema.config.info_class
        #: whether the last run took less processor time than one of the interpreter's thread switch
        #: intervals (waiting for the interpreter or the processor does not count)
        self.quick = False
        root = self.schema.query_type
        assert root is not None
        self._root = self._object(root, [self.operation.selection_set])

    def run(self, context: Any, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of the answer for the request of `context` with `variables`; raises
        `PlanAbandoned` (with the cause chained) for anything strawberry should answer instead."""
        coerced = get_variable_values(
            self.schema, self.operation.variable_definitions or (), dict(variables or {})
        )
        if isinstance(coerced, list):
            raise PlanAbandoned("the variables do not coerce")
        request = _Request(self, context, coerced)
        started = time.thread_time()  # this thread's processor time: not the time others held it
        try:
            data: dict[str, Any] = self._root(None, request)
        except PlanAbandoned:
            raise
        except Exception as error:
            raise PlanAbandoned(type(error).__name__) from error
        finally:
            self.quick = time.thread_time() - started < sys.getswitchinterval()
        return data

    # -- compiling --

    def _object(self, parent: GraphQLObjectType, selections: list[SelectionSetNode]) -> _Run:
        """The run of the fields `selections` collect on objects of the type `parent`: each field is
        (its key, the attribute it reads or None, else its resolver, its completion)."""
        fields = [
            (key, *self._field(parent, key, nodes))
            for key, nodes in self._collect(parent, selections).items()
        ]
        is_type_of = parent.is_type_of

        def run(source: Any, request: _Request) -> dict[str, Any]:
            if is_type_of is not None and not is_type_of(source, None):  # type: ignore[arg-type]
                raise PlanAbandoned(f"not a {parent.name}")
            return {
                key: complete(
                    getattr(source, attribute) if attribute is not None else resolve(source, request),
                    request,
                )
                for key, attribute, resolve, complete in fields
            }

        return run

    def _field(
        self, parent: GraphQLObjectType, key: str, nodes: list[FieldNode]
    ) -> tuple[str | None, Callable[[Any, _Request], Any], Callable[[Any, _Request], Any]]:
        """How the field under `key` is resolved on a source (the attribute strawberry's basic field
        reads, or else a resolver) and how its value is completed."""
        name = nodes[0].name.value
        if name == "__typename":
            typename = parent.name
            return None, (lambda source, request: typename), (lambda value, request: value)
        definition = parent.fields.get(name)
        if definition is None or name.startswith("__"):
            raise _Unplannable
        field = definition.extensions.get("strawberry-definition")
        complete = self._completion(definition.type, nodes)
        basic = getattr(definition.resolve, "_is_default", False)  # strawberry's: an attribute
        if isinstance(field, StrawberryField) and basic and field.default_resolver is getattr:
            return field.python_name, _unused, complete
        return None, self._resolver(parent, key, nodes, definition), complete

    def _resolver(
        self, parent: GraphQLObjectType, key: str, nodes: list[FieldNode], definition: GraphQLField
    ) -> Callable[[Any, _Request], Any]:
        field = definition.extensions.get("strawberry-definition")
        if not isinstance(field, StrawberryField) or definition.resolve is None:
            raise _Unplannable
        if getattr(definition.resolve, "_is_default", False):  # a basic field, another default resolver
            python_name, default = field.python_name, field.default_resolver
            return lambda source, request: default(source, python_name)
        resolver = field.base_resolver
        if resolver is None or field.is_async:
            raise _Unplannable
        permitted = self._permitted(field)
        slot = _InfoSlot(key, nodes, definition, parent)
        if definition.args or not permitted:
            # strawberry's own resolver: it coerces the arguments and checks the permissions
            resolve = definition.resolve

            def general(source: Any, request: _Request) -> Any:
                raw, arguments = request.raw(slot)
                return resolve(source, raw, **arguments)

            return general
        # a resolver without arguments, whose only extensions are permissions the role passes: called
        # directly, as strawberry's `get_arguments` would call it
        call = resolver.wrapped_func if callable(resolver.wrapped_func) else resolver.__call__
        takes_self = resolver.self_parameter is not None
        names = [p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p is not None]
        info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None

        def direct(source: Any, request: _Request) -> Any:
            kwargs = dict.fromkeys(names, source)
            if info_name is not None:
                kwargs[info_name] = request.info(slot, field)
            return call(source, **kwargs) if takes_self else call(**kwargs)

        return direct

    def _permitted(self, field: StrawberryField) -> bool:
        """Whether the field's extensions are only `api.roles` permissions, all of which the plan's role
        passes (then the resolver may be called without them); False for other extensions, which
        strawberry's resolver runs; raises _Unplannable when the role is refused (strawberry answers
        FORBIDDEN)."""
        if not field.extensions:
            return True
        for extension in field.extensions:
            if not isinstance(extension, PermissionExtension):
                return False
            for permission in extension.permissions:
                if not isinstance(permission, Forbidden):
                    return False
                if not self.role.may(permission.grant):
                    raise _Unplannable
        return True

    def _completion(self, kind: GraphQLOutputType, nodes: list[FieldNode]) -> Callable[[Any, _Request], Any]:
        """How a value of the type `kind` is completed, as graphql-core's `complete_value` does it (a
        null where the type is non-null abandons the plan)."""
        required = isinstance(kind, GraphQLNonNull)
        if isinstance(kind, GraphQLNonNull):
            kind = kind.of_type
        if is_leaf_type(kind):
            return _leaf(kind, required)
        if isinstance(kind, GraphQLList):
            item = self._completion(kind.of_type, nodes)

            def listed(value: Any, request: _Request) -> list[Any] | None:
                if value is None:
                    if required:
                        raise PlanAbandoned("null for a non-null list")
                    return None
                if value.__class__ is not list and (not is_iterable(value) or isinstance(value, Exception)):
                    raise PlanAbandoned("not a list")
                return [item(one, request) for one in value]

            return listed
        selections = [node.selection_set for node in nodes if node.selection_set is not None]
        if isinstance(kind, GraphQLObjectType):
            run = self._object(kind, selections)

            def object_value(value: Any, request: _Request) -> Any:
                if value is None:
                    if required:
                        raise PlanAbandoned("null for a non-null object")
                    return None
                if isinstance(value, Exception):
                    raise PlanAbandoned("an error for a value")
                return run(value, request)

            return object_value
        if is_abstract_type(kind):
            abstract = self._abstract(kind, nodes, selections)

            def abstract_or_null(value: Any, request: _Request) -> Any:
                if value is None:
                    if required:
                        raise PlanAbandoned("null for a non-null object")
                    return None
                return abstract(value, request)

            return abstract_or_null
        raise _Unplannable

    def _abstract(
        self, kind: Any, nodes: list[FieldNode], selections: list[SelectionSetNode]
    ) -> Callable[[Any, _Request], Any]:
        """An interface's or a union's value: its runtime type found as graphql-core finds it, each
        runtime type's selection compiled the first time it is met."""
        resolve_type = kind.resolve_type
        if resolve_type is None:
            raise _Unplannable
        runs: dict[str, _Run] = {}
        lock = threading.Lock()
        slot = _InfoSlot(nodes[0].alias.value if nodes[0].alias else nodes[0].name.value, nodes, None, kind)

        def abstract_value(value: Any, request: _Request) -> Any:
            if isinstance(value, Exception):
                raise PlanAbandoned("an error for a value")
            name = resolve_type(value, request.raw(slot)[0], kind)
            run = runs.get(name) if isinstance(name, str) else None
            if run is None:
                runtime = self.schema.get_type(name) if isinstance(name, str) else None
                if not isinstance(runtime, GraphQLObjectType) or not self.schema.is_sub_type(kind, runtime):
                    raise PlanAbandoned("no runtime type")
                try:
                    compiled = self._object(runtime, selections)
                except _Unplannable as error:
                    raise PlanAbandoned("a runtime type a plan does not cover") from error
                with lock:
                    run = runs.setdefault(name, compiled)
            return run(value, request)

        return abstract_value

    def _collect(
        self, parent: GraphQLObjectType, selections: list[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        """The field nodes of `selections` on an object of the type `parent`, by response key in the
        order execution answers them (fragments whose type does not match left out, each named
        fragment spread once)."""
        fields: dict[str, list[FieldNode]] = {}
        spread: set[str] = set()

        def visit(selection_set: SelectionSetNode) -> None:
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    key = selection.alias.value if selection.alias else selection.name.value
                    fields.setdefault(key, []).append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    if self._matches(selection.type_condition, parent):
                        visit(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if name in spread or fragment is None:
                        continue
                    spread.add(name)
                    if self._matches(fragment.type_condition, parent):
                        visit(fragment.selection_set)

        for selection_set in selections:
            visit(selection_set)
        return fields

    def _matches(self, condition: Any, parent: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        wanted = self.schema.get_type(condition.name.value)
        if wanted is parent:
            return True
        return wanted is not None and is_abstract_type(wanted) and self.schema.is_sub_type(wanted, parent)


class _InfoSlot:
    """What a field's resolve info is made of; made into one info per request, when first needed."""

    __slots__ = ("definition", "key", "nodes", "parent")

    def __init__(
        self, key: str, nodes: list[FieldNode], definition: GraphQLField | None, parent: Any
    ) -> None:
        self.key = key
        self.nodes = nodes
        self.definition = definition
        self.parent = parent


class _Request:
    """One run of a plan: the context, the coerced variables, and each field's info and arguments."""

    __slots__ = ("_infos", "_raws", "context", "plan", "variables")

    def __init__(self, plan: Plan, context: Any, variables: Any) -> None:
        self.plan = plan
        self.context = context
        self.variables = variables
        self._raws: dict[int, tuple[Any, dict[str, Any]]] = {}
        self._infos: dict[int, Any] = {}

    def raw(self, slot: _InfoSlot) -> tuple[Any, dict[str, Any]]:
        """graphql-core's resolve info for the field, and its arguments coerced (as graphql-core does)."""
        found = self._raws.get(id(slot))
        if found is None:
            plan = self.plan
            definition = slot.definition
            return_type = definition.type if definition is not None else slot.parent
            raw = _OperationContextAwareGraphQLResolveInfo(
                slot.nodes[0].name.value,
                slot.nodes,
                return_type,
                slot.parent,
                Path(None, slot.key, getattr(slot.parent, "name", None)),
                plan.schema,
                plan.fragments,
                None,
                plan.operation,
                self.variables.coerced,
                self.context,
                _never_awaitable,
                None,
                None,
                None,  # type: ignore[arg-type]  # strawberry's, when no operation extensions were sent
            )
            arguments = (
                get_argument_values(definition, slot.nodes[0], self.variables)
                if definition is not None
                else {}
            )
            found = (raw, arguments)
            self._raws[id(slot)] = found
        return found

    def info(self, slot: _InfoSlot, field: StrawberryField) -> Any:
        """strawberry's `Info` for the field, as its resolvers are given it."""
        found = self._infos.get(id(slot))
        if found is None:
            found = self.plan.info_class(_raw_info=self.raw(slot)[0], _field=field)
            self._infos[id(slot)] = found
        return found


def _never_awaitable(value: Any) -> bool:
    return False


def _unused(source: Any, request: _Request) -> Any:  # pragma: no cover - an attribute is read instead
    raise AssertionError("a basic field is read as an attribute")


def _leaf(kind: Any, required: bool) -> Callable[[Any, _Request], Any]:
    """A scalar's or an enum's serialisation, as graphql-core's `complete_leaf_value` does it (the
    built-in text, integer and boolean taken as they are when they already are one); a null where
    the type is non-null abandons the plan."""
    serialize = kind.serialize

    def serialised(value: Any, request: _Request) -> Any:
        if value is None:
            if required:
                raise PlanAbandoned("null for a non-null leaf")
            return None
        if isinstance(value, Exception):
            raise PlanAbandoned("an error for a value")
        result = serialize(value)
        if result is None:
            raise PlanAbandoned("a leaf serialised as null")
        return result

    if kind is GraphQLString:
        return lambda value, request: value if value.__class__ is str else serialised(value, request)
    if kind is GraphQLInt:
        return lambda value, request: (
            value if value.__class__ is int and _INT_MIN <= value <= _INT_MAX else serialised(value, request)
        )
    if kind is GraphQLBoolean:
        return lambda value, request: value if value.__class__ is bool else serialised(value, request)
    return serialised


def _has_directives(document: DocumentNode) -> bool:
    """Whether any selection of the document carries a directive (`@skip`, `@include` …)."""
    pending: list[Any] = [d.selection_set for d in document.definitions if hasattr(d, "selection_set")]
    for definition in document.definitions:
        if getattr(definition, "directives", None):
            return True
    while pending:
        selection_set = pending.pop()
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if selection.directives:
                return True
            pending.append(getattr(selection, "selection_set", None))
    return False
