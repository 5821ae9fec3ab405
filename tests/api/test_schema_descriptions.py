"""The schema describes itself: every type, field, argument and enum value a client can meet has a
description, so GraphiQL's documentation and a view builder's generated types say what each one is (its
units, when it is null, which roles see it). And the renames keep their deprecations."""

from __future__ import annotations

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    get_named_type,
    specified_scalar_types,
)

from api.schema import SCHEMA

OURS: GraphQLSchema = SCHEMA._schema


def undescribed(kind: GraphQLNamedType) -> list[str]:
    """The parts of a type without a description, named as SDL reads them: the type itself, `Type.field`,
    `Type.field(argument)`, `Input.field`, `Enum.VALUE`."""
    name = kind.name
    missing = [] if kind.description else [name]
    if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
        for field_name, field in kind.fields.items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
            missing += [
                f"{name}.{field_name}({arg_name})"
                for arg_name, arg in field.args.items()
                if not arg.description
            ]
    elif isinstance(kind, GraphQLInputObjectType):
        missing += [
            f"{name}.{field_name}" for field_name, field in kind.fields.items() if not field.description
        ]
    elif isinstance(kind, GraphQLEnumType):
        missing += [
            f"{name}.{value_name}" for value_name, value in kind.values.items() if not value.description
        ]
    return missing


def described_types(schema: GraphQLSchema) -> list[str]:
    """The names of the schema's types a description is owed for: all but introspection's and the
    built-in scalars (String, Int, Float, Boolean, ID), whose meaning the GraphQL spec gives."""
    return sorted(
        name for name in schema.type_map if not name.startswith("__") and name not in specified_scalar_types
    )


@pytest.mark.parametrize("name", described_types(OURS))
def test_every_part_of_the_schema_is_described(name: str) -> None:
    missing = undescribed(OURS.type_map[name])
    assert not missing, f"no description on {', '.join(missing)}"


def test_an_undescribed_part_would_be_named() -> None:
    """The walk itself can fail: each kind of part without a description is named, the described not."""
    schema = build_schema('''
        """Described."""
        type Query {
          """Described."""
          pages(first: Int, """Described.""" after: String): Kind
          bare: String
        }
        enum Kind { """Described.""" ONE TWO }
        input Filter { name: String }
        scalar Date
    ''')
    found = {name: undescribed(schema.type_map[name]) for name in described_types(schema)}
    assert found == {
        "Query": ["Query.pages(first)", "Query.bare"],
        "Kind": ["Kind", "Kind.TWO"],
        "Filter": ["Filter", "Filter.name"],
        "Date": ["Date"],
    }


def test_the_stage_role_is_renamed_and_the_old_name_kept_deprecated() -> None:
    """Every stage's role is a `StageRole`; `Role` stays one release, every value deprecated, returned by
    no field (so it is not taken for the caller's `AccessRole`)."""
    stage_roles = {
        f"{kind.name}.role": get_named_type(kind.fields["role"].type).name
        for kind in OURS.type_map.values()
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType) and kind.name.startswith("Stage")
    }
    assert stage_roles == dict.fromkeys(
        ["Stage.role", "StageChain.role", "StageResponsibility.role", "StageTrace.role"], "StageRole"
    )
    old, new = OURS.type_map["Role"], OURS.type_map["StageRole"]
    assert isinstance(old, GraphQLEnumType) and isinstance(new, GraphQLEnumType)
    assert list(old.values) == list(new.values) == ["HANDLE", "REVIEW", "APPROVE"]
    assert all("StageRole" in (value.deprecation_reason or "") for value in old.values.values())
    returning_role = [
        f"{kind.name}.{field_name}"
        for kind in OURS.type_map.values()
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType)
        for field_name, field in kind.fields.items()
        if get_named_type(field.type).name == "Role"
        or any(get_named_type(arg.type).name == "Role" for arg in field.args.values())
    ]
    assert returning_role == []


@pytest.mark.parametrize(
    "old, new", [("posts", "postsConnection"), ("accountabilityRecords", "accountabilityRecordsConnection")]
)
def test_a_department_list_that_grows_is_deprecated_for_its_page(old: str, new: str) -> None:
    department = OURS.type_map["Department"]
    assert isinstance(department, GraphQLObjectType)
    assert new in (department.fields[old].deprecation_reason or "")
    page = get_named_type(department.fields[new].type)
    assert isinstance(page, GraphQLObjectType)
    assert {"edges", "pageInfo", "totalCount"} <= set(page.fields)
    assert {"first", "after"} == set(department.fields[new].args)
