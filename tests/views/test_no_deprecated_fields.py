"""Every GraphQL operation the views send is valid against the schema, asks for no deprecated field
and fits the service's limits.

The operations are read from the scripts themselves (api/static/js/*.js and views/*.js, not the vendor
files): each template literal that starts with `query`, `mutation` or `{`, its `${NAME}` pieces filled in
from the string constants of its own file, else of the file that exports them. Read statically, an
operation sent only after a click (a review's history, a review itself) is checked as surely as the
first one a view sends. graphql-core validates each with its standard rules and
`NoDeprecatedCustomRule`: the deprecated lists (`overlaps`, `gaps`, `splitApprovals`, …) stay in the
schema for one release, for other callers, and the views must already use their connections. Each must
also pass the service's default limits (api/limits.py): a page size too large for its fields is refused
whole, and the view shows an error instead of its data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import GraphQLSchema, parse, specified_rules, validate
from graphql.validation.rules.custom.no_deprecated import NoDeprecatedCustomRule

from api.limits import DEFAULT_LIMITS, check
from api.schema import SCHEMA

SCRIPTS = Path(__file__).resolve().parents[2] / "api" / "static" / "js"
FILES = sorted([*SCRIPTS.glob("*.js"), *(SCRIPTS / "views").glob("*.js")])

#: a string constant: `const NAME = "…"` or `const NAME = \`…\``, exported or not
CONSTANT = re.compile(r'^(?:export )?const (\w+) = (?:"([^"\n]*)"|`([^`]*)`)', re.MULTILINE)
TEMPLATE = re.compile(r"`([^`]*)`")
OPERATION = re.compile(r"\s*(query|mutation|\{)")
PIECE = re.compile(r"\$\{([^}]*)\}")
#: what calls the service: a file with such a call must hold at least one operation
SENDS = re.compile(r"\b(query|allNodes|departmentsByCode)\(")


def code(path: Path) -> str:
    """The script without its line comments, whose backticks quote names and would pair with a template's."""
    return "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//")
    )


def constants(path: Path) -> dict[str, str]:
    """The string constants of one script, by name."""
    return {
        match[1]: match[2] if match[2] is not None else match[3] for match in CONSTANT.finditer(code(path))
    }


OWN = {path: constants(path) for path in FILES}
EXPORTED = {
    name: text for path in FILES for name, text in OWN[path].items() if f"export const {name} =" in code(path)
}


def filled(text: str, path: Path) -> str:
    """`text` with each `${NAME}` replaced by the constant NAME (its file's own first, else an exported
    one), again until none is left; an interpolation that is no such constant fails the test."""

    def constant(match: re.Match[str]) -> str:
        name = match[1].strip()
        found = OWN[path].get(name, EXPORTED.get(name))
        assert found is not None, f"{path.name}: cannot read the GraphQL piece ${{{name}}} statically"
        return found

    while PIECE.search(text):
        text = PIECE.sub(constant, text)
    return text


def operations(path: Path) -> list[str]:
    """Every GraphQL operation the script holds, its pieces filled in."""
    return [filled(text, path) for text in TEMPLATE.findall(code(path)) if OPERATION.match(text)]


OPERATIONS = [(path, text) for path in FILES for text in operations(path)]
GRAPHQL_SCHEMA: GraphQLSchema = SCHEMA._schema


def test_every_script_that_calls_the_service_holds_its_operations() -> None:
    """The reading finds the operations: no script sends a query the test does not see."""
    senders = {path for path in FILES if SENDS.search(code(path))}
    holders = {path for path, _ in OPERATIONS}
    assert senders - holders == set(), "operations the test cannot read"
    assert len(OPERATIONS) >= len(senders)


@pytest.mark.parametrize(
    "path, text", OPERATIONS, ids=[f"{path.name}:{index}" for index, (path, _) in enumerate(OPERATIONS)]
)
def test_the_operation_asks_for_no_deprecated_field(path: Path, text: str) -> None:
    errors = validate(GRAPHQL_SCHEMA, parse(text), [*specified_rules, NoDeprecatedCustomRule])
    assert [error.message for error in errors] == [], f"{path.name}:\n{text}"


@pytest.mark.parametrize(
    "path, text", OPERATIONS, ids=[f"{path.name}:{index}" for index, (path, _) in enumerate(OPERATIONS)]
)
def test_the_operation_fits_the_default_limits(path: Path, text: str) -> None:
    errors = check(parse(text), {}, DEFAULT_LIMITS, schema=GRAPHQL_SCHEMA)
    assert [error.message for error in errors] == [], f"{path.name}:\n{text}"
