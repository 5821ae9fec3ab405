"""Stores for tests: an empty store of every backend, and the real Neo4j servers behind them.

A test that takes the `store` fixture runs once per backend, `[memory]` and
`[neo4j]`, with an empty store each time; the Neo4j run carries the `neo4j`
marker, so `pytest -m "not neo4j"` leaves it out. To use the fixtures from a
conftest, import them:

    from tests.stores import *  # noqa: F403  (the fixtures, by their names in __all__)

The Neo4j of the tests is a real server started by `scripts/neo4j/start` on a
port of its own (`TEST_PORT`, 7697; for pytest-xdist worker gwN, 10*N more), so
the tests never wipe a developer's server on 7687. `QUANZE_TEST_NEO4J_URI` (and
`QUANZE_TEST_NEO4J_PASSWORD` for a server with auth) points them at another
server instead: ITS DATABASE IS WIPED. A server the fixtures started is stopped
when the session ends, unless `QUANZE_TEST_NEO4J_KEEP=1` (a warm server saves
the ~7 s start on the next run).
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from graph import Edge, GraphReader, GraphStore, MemoryStore, Node
from graph.neo4j import Neo4jSettings, Neo4jStore
from ontology import EdgeKind, NodeKind

__all__ = [
    "BACKENDS",
    "TEST_PORT",
    "free_port",
    "neo4j_store",
    "neo4j_uri",
    "port_open",
    "snapshot",
    "start_neo4j",
    "stop_neo4j",
    "store",
    "worker_port",
]

REPO = Path(__file__).resolve().parents[1]
TEST_PORT = 7697
BACKENDS = ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def worker_port(base: int) -> int:
    """The port `base` for this process: shifted by 10 for each pytest-xdist worker, so workers never share."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return base + 10 * int(worker) if worker.isdigit() else base


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something listens on `host:port`."""
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_neo4j(port: int, password: str = "", conf: str = "") -> str:
    """Start (or find running) our Neo4j on `port` with `password` (empty: no auth); return its bolt URI.

    `conf` holds extra Neo4j settings (`key=value …`, as `NEO4J_CONF`). Fails the
    test with the script's last lines when the server does not come up.
    """
    result = subprocess.run(
        [str(REPO / "scripts" / "neo4j" / "start")],
        env=_server_env(port, password, conf),
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        tail = "\n".join(result.stderr.strip().splitlines()[-25:])
        pytest.fail(
            f"scripts/neo4j/start on port {port} failed ({result.returncode}):\n{tail}", pytrace=False
        )
    return lines[-1].strip()


def stop_neo4j(port: int) -> None:
    """Stop our Neo4j on `port`, if it runs."""
    subprocess.run(
        [str(REPO / "scripts" / "neo4j" / "stop")],
        env=_server_env(port, ""),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """The bolt URI of the tests' Neo4j, started for the session unless it runs or is given."""
    given = os.environ.get("QUANZE_TEST_NEO4J_URI")
    if given:
        yield given
        return
    port = worker_port(TEST_PORT)
    was_running = port_open(port)
    uri = start_neo4j(port)
    yield uri
    if not was_running and os.environ.get("QUANZE_TEST_NEO4J_KEEP") != "1":
        stop_neo4j(port)


@pytest.fixture(scope="session")
def neo4j_store(neo4j_uri: str) -> Iterator[Neo4jStore]:
    """One Neo4j store for the session, its schema set up; tests empty it with `clear()`."""
    settings = Neo4jSettings(uri=neo4j_uri, password=os.environ.get("QUANZE_TEST_NEO4J_PASSWORD", ""))
    store = Neo4jStore(settings)
    store.setup_schema()
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> GraphStore:
    """An empty store of each backend in turn."""
    if request.param == "memory":
        return MemoryStore()
    neo4j: Neo4jStore = request.getfixturevalue("neo4j_store")
    neo4j.clear()
    return neo4j


if TYPE_CHECKING:
    _Store = MemoryStore  # what the mixin's calls to super() reach, as the type checker sees it
else:
    _Store = object


class CountingReads(_Store):
    """Mixed in before a real store's class (`class S(CountingReads, MemoryStore)`): counts, by name, the
    calls made to the store's read primitives, so that a test can say how many questions a piece of
    work asked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls: Counter[str] = Counter()

    def node(self, node_id: str) -> Node | None:
        self.calls["node"] += 1
        return super().node(node_id)

    def nodes_by_id(self, node_ids: Sequence[str]) -> list[Node | None]:
        self.calls["nodes_by_id"] += 1
        return super().nodes_by_id(node_ids)

    def nodes(self, kind: NodeKind) -> Iterator[Node]:
        self.calls["nodes"] += 1
        return super().nodes(kind)

    def edges(self, **ends: Any) -> Iterator[Edge]:
        self.calls["edges"] += 1
        return super().edges(**ends)

    def holders(self, post_id: str, on: date) -> list[Node]:
        self.calls["holders"] += 1
        return super().holders(post_id, on)

    def edges_from(self, sources: Sequence[str], kind: EdgeKind) -> Any:
        self.calls["edges_from"] += 1
        return super().edges_from(sources, kind)

    def edges_to(self, targets: Sequence[str], kind: EdgeKind) -> Any:
        self.calls["edges_to"] += 1
        return super().edges_to(targets, kind)

    def find(self, kind: NodeKind, prop: str, value: Any) -> list[Node]:
        self.calls["find"] += 1
        return super().find(kind, prop, value)


def snapshot(reader: GraphReader) -> tuple[list[Any], list[Any]]:
    """Every node with its origin, and every edge with its properties and origin, sorted: two stores
    hold the same graph when their snapshots are equal."""
    nodes = sorted((node for kind in NodeKind for node in reader.nodes(kind)), key=lambda node: node.id)
    edges = sorted((edge for kind in EdgeKind for edge in reader.edges(kind=kind)), key=lambda edge: edge.key)
    return (
        [(node, node.origin) for node in nodes],
        [(edge.key, dict(edge.props), edge.origin) for edge in edges],
    )


def _server_env(port: int, password: str, conf: str = "") -> dict[str, str]:
    """The scripts' environment: our port, password and settings, none of a developer's NEO4J_ variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEO4J_")}
    env.update(NEO4J_PORT=str(port), NEO4J_PASSWORD=password, NEO4J_CONF=conf)
    return env
