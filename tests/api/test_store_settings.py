"""A Neo4j URI that is not one is refused with a message naming the setting, never a traceback, and never
the password; no server is needed to say so."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from graph.errors import StoreUnavailable
from graph.neo4j import Neo4jSettings

BAD_URIS = {
    "bolt://localhost:abc": "the port 'abc' is not a number",
    "bolt://localhost:99999": "not between 1 and 65535",
    "bolt://:7687": "names no host",
    "http://localhost:7474": "must start with bolt://",
    "localhost:7687": "must start with bolt://",
}


@pytest.mark.parametrize("uri", BAD_URIS, ids=list(BAD_URIS))
def test_a_bad_uri_is_refused_naming_the_setting(uri: str) -> None:
    with pytest.raises(StoreUnavailable, match="NEO4J_URI") as caught:
        Neo4jSettings.from_env({"NEO4J_URI": uri, "NEO4J_PASSWORD": "s3cret"})
    assert BAD_URIS[uri] in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_a_password_written_into_the_uri_is_not_shown() -> None:
    with pytest.raises(StoreUnavailable) as caught:
        Neo4jSettings(uri="bolt://neo4j:hunter2@localhost:abc")
    assert "hunter2" not in str(caught.value) and "neo4j:***@localhost:abc" in str(caught.value)


@pytest.mark.parametrize("uri", ["bolt://db.example:7687", "neo4j+s://db.example", "bolt://[::1]:7687"])
def test_good_uris_pass(uri: str) -> None:
    assert Neo4jSettings(uri=uri).uri == uri


@pytest.mark.parametrize("command", [["overlaps", "--store", "neo4j"], ["serve", "--store", "neo4j"]])
def test_the_command_line_shows_the_message_and_exits(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", *command],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "NEO4J_URI": "bolt://localhost:abc",
            "NEO4J_PASSWORD": "s3cret",
            "PYTHONIOENCODING": "utf-8",
        },
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert (
        "NEO4J_URI bolt://localhost:abc is not a Neo4j URI: the port 'abc' is not a number" in result.stderr
    )
    assert "s3cret" not in result.stderr + result.stdout
