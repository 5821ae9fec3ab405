"""The commands with `--store neo4j`, on the real Neo4j of the tests: load, the analyses, serve; a
database that is not there, and one that refuses the login (on a server of this module's own, with a
password, on port 7695 and stopped when the module ends)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from loaders.demo import DEMO_WORKBOOK
from tests.api.test_cli import _free_port
from tests.stores import start_neo4j, stop_neo4j, worker_port

pytestmark = pytest.mark.neo4j

SECURED_PORT = 7695


def quanze(uri: str, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEO4J_URI": uri, "PYTHONIOENCODING": "utf-8"}
    if password is not None:
        env["NEO4J_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def loaded(neo4j_uri: str) -> str:
    result = quanze(neo4j_uri, "load", str(DEMO_WORKBOOK), "--store", "neo4j", "--replace")
    assert result.returncode == 0, result.stderr
    assert "52 Department" in result.stdout
    return neo4j_uri


def test_the_analyses_read_the_database(loaded: str) -> None:
    splits = json.loads(quanze(loaded, "splits", "--store", "neo4j", "--format", "json").stdout)
    memory = json.loads(quanze(loaded, "splits", str(DEMO_WORKBOOK), "--format", "json").stdout)
    assert splits == memory and len(splits) == 10
    trace = json.loads(
        quanze(loaded, "trace", "--store", "neo4j", "BJ20241126001", "--format", "json").stdout
    )
    assert [f["kind"] for f in trace["findings"]] == ["NOT_HOLDER"]


def test_a_workbook_with_store_neo4j_is_refused_for_reading(loaded: str) -> None:
    result = quanze(loaded, "overlaps", str(DEMO_WORKBOOK), "--store", "neo4j")
    assert result.returncode == 2
    assert "quanze load" in result.stderr


def test_serve_from_neo4j(loaded: str) -> None:
    port = _free_port()
    env = {**os.environ, "NEO4J_URI": loaded}
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--store", "neo4j", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert health.json() == {"status": "ok"}
        answer = httpx.post(
            f"http://127.0.0.1:{port}/graphql", json={"query": "{ powerItems(first: 2) { totalCount } }"}
        ).json()
        assert answer["data"]["powerItems"]["totalCount"] == 2603
    finally:
        server.terminate()
        server.communicate(timeout=20)


def test_a_database_that_is_not_there_is_a_clear_error() -> None:
    uri = f"bolt://127.0.0.1:{_free_port()}"
    for command in (
        ["gaps", "--store", "neo4j"],
        ["load", str(DEMO_WORKBOOK), "--store", "neo4j"],
        ["serve", "--store", "neo4j", "--port", str(_free_port())],
    ):
        started = time.monotonic()
        result = quanze(uri, *command)
        assert result.returncode == 2, command
        assert f"Neo4j at {uri} is unavailable" in result.stderr and "Traceback" not in result.stderr
        assert time.monotonic() - started < 20


@pytest.fixture(scope="module")
def secured() -> Iterator[tuple[str, str]]:
    """A Neo4j with a password (new for every run): its URI and the password."""
    port = worker_port(SECURED_PORT)
    password = f"s3cret-{secrets.token_hex(8)}"
    uri = start_neo4j(port, password)
    try:
        yield uri, password
    finally:
        stop_neo4j(port)


def test_a_wrong_password_is_a_clear_error_that_does_not_show_it(secured: tuple[str, str]) -> None:
    uri, password = secured
    wrong = f"wrong-{secrets.token_hex(8)}"
    for command in (["overlaps", "--store", "neo4j"], ["load", str(DEMO_WORKBOOK), "--store", "neo4j"]):
        result = quanze(uri, *command, password=wrong)
        assert result.returncode == 2, command
        assert f"quanze: Neo4j at {uri} refused the login of user 'neo4j'" in result.stderr, result.stderr
        assert "NEO4J_PASSWORD" in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
        assert wrong not in result.stderr and password not in result.stderr
    missing = quanze(uri, "gaps", "--store", "neo4j", password="")  # no password for a server with auth
    assert missing.returncode == 2 and "refused" in missing.stderr and "Traceback" not in missing.stderr
    assert password not in missing.stderr
    right = quanze(uri, "load", str(DEMO_WORKBOOK), "--store", "neo4j", "--replace", password=password)
    assert right.returncode == 0, right.stderr
    assert "52 Department" in right.stdout
