"""The layering of STYLE.md, kept by reading every module's imports; no import cycles; modules a
newcomer reads in one sitting.

ontology  <-  graph  <-  loaders
    ^           ^          ^
    +----------- api ------+

Within the packages, no two modules import each other, directly or through others, at module level
(a `TYPE_CHECKING` block counts: it is how a cycle is hidden); and no Python module outside tests/ is
over `MAX_LINES` lines.
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
#: the folders of Python code outside tests/ whose modules are kept short
SOURCE_FOLDERS = ("ontology", "graph", "loaders", "api", "bench", "scripts")
MAX_LINES = 800


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


def test_no_import_cycles() -> None:
    graph = _module_graph()
    cycles = [" -> ".join([*cycle, cycle[0]]) for cycle in _cycles(graph)]
    assert not cycles, "modules that import each other (at module level):\n" + "\n".join(cycles)


def test_no_module_is_too_long() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for folder in SOURCE_FOLDERS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _module_graph() -> dict[str, set[str]]:
    """Each module of the packages -> the modules of the packages it imports at module level.

    `from a.b import c` imports the module `a.b.c` when there is one, else `a.b` (as import-linter
    reads it); importing a module does not count as importing its package's `__init__`.
    """
    paths = {_module_name(path): path for package in PACKAGES for path in _modules(package)}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in _module_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name in paths)
                continue
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                if f"{base}.{alias.name}" in paths:
                    found.add(f"{base}.{alias.name}")
                elif base in paths:
                    found.add(base)
        graph[name] = found - {name}
    return graph


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """The imports run when the module is imported: not those inside functions."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each group of modules that import each other (Tarjan's strongly connected
    components, then a shortest way round from the group's first module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [_way_round(graph, group) for group in groups]


def _way_round(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for imported in sorted(graph[module] & group):
            if imported == start:
                return paths[module]
            if imported not in paths:
                paths[imported] = [*paths[module], imported]
                queue.append(imported)
    return sorted(group)
