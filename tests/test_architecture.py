"""The layering of STYLE.md, kept by reading every module's imports.

ontology  <-  graph  <-  loaders
    ^           ^          ^
    +----------- api ------+
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ontology", "graph", "loaders", "api")
ALLOWED = {
    "ontology": set(),
    "graph": {"ontology"},
    "loaders": {"ontology", "graph"},
    "api": {"ontology", "graph", "loaders"},
}
FORBIDDEN_THIRD_PARTY = {"api": {"networkx", "neo4j"}}


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_flow_one_way(package: str) -> None:
    for module in _modules(package):
        ours = _imports(module) & set(PACKAGES) - {package}
        assert ours <= ALLOWED[package], (
            f"{module.relative_to(ROOT)} imports {sorted(ours - ALLOWED[package])}"
        )


@pytest.mark.parametrize("package", sorted(FORBIDDEN_THIRD_PARTY))
def test_no_store_library_in_the_api(package: str) -> None:
    for module in _modules(package):
        used = _imports(module) & FORBIDDEN_THIRD_PARTY[package]
        assert not used, f"{module.relative_to(ROOT)} imports {sorted(used)}"
        text = module.read_text(encoding="utf-8")
        assert "MATCH (" not in text, f"{module.relative_to(ROOT)} holds Cypher"
