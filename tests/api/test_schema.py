"""The schema: the printed file kept in the tree, and the contract clients rely on."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
    Undefined,
    build_schema,
)

from api.schema import SCHEMA, print_schema

HERE = Path(__file__).parent
CONTRACT = build_schema((HERE / "contract.graphql").read_text(encoding="utf-8"))
OURS: GraphQLSchema = SCHEMA._schema


def test_the_schema_file_is_up_to_date() -> None:
    kept = (Path(__file__).parents[2] / "api" / "schema.graphql").read_text(encoding="utf-8")
    assert kept == print_schema(), (
        "api/schema.graphql drifted: run `python -m api.schema > api/schema.graphql`"
    )


def _shape(kind: GraphQLType) -> str:
    """A type as written in SDL: [Department!]!"""
    if isinstance(kind, GraphQLNonNull):
        return _shape(kind.of_type) + "!"
    if isinstance(kind, GraphQLList):
        return f"[{_shape(kind.of_type)}]"
    return str(kind.name)  # type: ignore[attr-defined]


def _compatible_output(contract: GraphQLType, ours: GraphQLType) -> bool:
    """Ours may be stricter (non-null where the contract allows null), never looser or another type."""
    if isinstance(contract, GraphQLNonNull):
        return isinstance(ours, GraphQLNonNull) and _compatible_output(contract.of_type, ours.of_type)
    if isinstance(ours, GraphQLNonNull):
        ours = ours.of_type
    if isinstance(contract, GraphQLList):
        return isinstance(ours, GraphQLList) and _compatible_output(contract.of_type, ours.of_type)
    return not isinstance(ours, GraphQLList) and contract.name == ours.name  # type: ignore[attr-defined]


def _compatible_input(contract: GraphQLType, ours: GraphQLType) -> bool:
    """Ours may be looser (accept null where the contract needs a value), never stricter."""
    if isinstance(ours, GraphQLNonNull):
        return isinstance(contract, GraphQLNonNull) and _compatible_input(contract.of_type, ours.of_type)
    if isinstance(contract, GraphQLNonNull):
        contract = contract.of_type
    if isinstance(contract, GraphQLList):
        return isinstance(ours, GraphQLList) and _compatible_input(contract.of_type, ours.of_type)
    return not isinstance(ours, GraphQLList) and contract.name == ours.name  # type: ignore[attr-defined]


CONTRACT_TYPES = sorted(name for name in CONTRACT.type_map if not name.startswith("__"))


@pytest.mark.parametrize("name", CONTRACT_TYPES)
def test_every_name_of_the_contract_is_served(name: str) -> None:
    contract = CONTRACT.type_map[name]
    ours = OURS.type_map.get(name)
    assert ours is not None, f"the contract's type {name} is missing"
    assert isinstance(ours, type(contract)), f"{name} is a {type(contract).__name__} in the contract"
    if isinstance(contract, GraphQLEnumType):
        assert isinstance(ours, GraphQLEnumType)
        missing = set(contract.values) - set(ours.values)
        assert not missing, f"{name} lost values {sorted(missing)}"
    if isinstance(contract, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
        assert isinstance(ours, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType)
        for field_name, field in contract.fields.items():
            mine = ours.fields.get(field_name)
            assert mine is not None, f"{name}.{field_name} is missing"
            assert _compatible_output(field.type, mine.type), (
                f"{name}.{field_name}: the contract says {_shape(field.type)}, we serve {_shape(mine.type)}"
            )
            for arg_name, arg in getattr(field, "args", {}).items():
                my_arg = mine.args.get(arg_name)
                assert my_arg is not None, f"{name}.{field_name}({arg_name}) is missing"
                assert _compatible_input(arg.type, my_arg.type), f"{name}.{field_name}({arg_name})"
                if arg.default_value is not Undefined:
                    assert my_arg.default_value == arg.default_value, (
                        f"{name}.{field_name}({arg_name}) default"
                    )
            required = {
                a
                for a, v in mine.args.items()
                if isinstance(v.type, GraphQLNonNull) and v.default_value is Undefined
            }
            added = required - set(getattr(field, "args", {}))
            assert not added, f"{name}.{field_name} now requires {sorted(added)}"


def test_a_breaking_change_would_be_caught() -> None:
    """The comparison itself can fail: a contract with a field we do not serve is refused."""
    broken = build_schema("type Query { departments(first: Int = 50): [Nothing!]! } type Nothing { x: Int }")
    assert not _compatible_output(
        broken.query_type.fields["departments"].type,  # type: ignore[union-attr]
        OURS.query_type.fields["departments"].type,
    )  # type: ignore[union-attr]
