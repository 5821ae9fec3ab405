"""The examples in the modules' docstrings are run: an example that no longer holds is a failing test."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("graph", "ontology", "loaders", "api")


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        names.append(package)
        root = importlib.import_module(package)
        names += [info.name for info in pkgutil.walk_packages(root.__path__, f"{package}.")]
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_the_examples_in_the_docstrings_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    assert result.failed == 0, (
        f"{result.failed} of the {result.attempted} examples in {name} fail (run it with -s)"
    )
