"""A Neo4j that is down, refuses the login or goes away: a clear `StoreUnavailable`, quickly, and recovery.

These tests run servers of their own, never the shared test server: one with a
password on port 7698 and one without on 7699 (10 more per pytest-xdist
worker), and stop them when the module ends. The server that goes away has no
password because `scripts/neo4j/start` cannot yet start a server again with the
password it already has (Neo4j refuses "Old password and new password cannot be
the same").
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from graph import Node, StoreUnavailable
from graph.neo4j import Neo4jSettings, Neo4jStore
from ontology import NodeKind
from tests.stores import free_port, start_neo4j, stop_neo4j, worker_port

pytestmark = pytest.mark.neo4j

SECURED_PORT = 7698
PLAIN_PORT = 7699
GOV = Node("government:示例市人民政府", NodeKind.GOVERNMENT, {"name": "示例市人民政府"})


class Server:
    """A Neo4j of these tests' own, which they may stop and start again."""

    def __init__(self, port: int, password: str, conf: str = "") -> None:
        self.port = port
        self.password = password
        self.conf = conf
        self.uri = start_neo4j(port, password, conf)

    def store(self, password: str | None = None) -> Neo4jStore:
        given = self.password if password is None else password
        return Neo4jStore(Neo4jSettings(uri=self.uri, password=given), connection_timeout=2.0)

    def stop(self) -> None:
        stop_neo4j(self.port)

    def start(self) -> None:
        start_neo4j(self.port, self.password, self.conf)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Server, Server]]:
    """A server with a password (new for every run), and one without that gives a transaction at most 8 MB.

    Started side by side, as each start is mostly waiting for the JVM.
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        secured = pool.submit(Server, worker_port(SECURED_PORT), f"s3cret-{secrets.token_hex(8)}")
        plain = pool.submit(Server, worker_port(PLAIN_PORT), "", "db.memory.transaction.max=8m")
        try:
            yield secured.result(), plain.result()
        finally:
            for future in (secured, plain):
                if future.exception() is None:
                    future.result().stop()


@pytest.fixture
def server(servers: tuple[Server, Server]) -> Server:
    return servers[0]


@pytest.fixture
def plain_server(servers: tuple[Server, Server]) -> Server:
    return servers[1]


def test_settings_come_from_the_environment_and_hide_the_password() -> None:
    settings = Neo4jSettings.from_env(
        {
            "NEO4J_URI": "bolt://db.example:7687",
            "NEO4J_USER": "quanze",
            "NEO4J_PASSWORD": "hunter2",
            "NEO4J_DATABASE": "powers",
        }
    )
    assert settings == Neo4jSettings("bolt://db.example:7687", "quanze", "hunter2", "powers")
    assert "hunter2" not in repr(settings)
    assert Neo4jSettings.from_env({}) == Neo4jSettings("bolt://127.0.0.1:7687", "neo4j", "", "neo4j")
    assert Neo4jSettings.from_env({}).auth is None


def test_a_wrong_password_is_a_refused_login(server: Server) -> None:
    wrong = f"wrong-{secrets.token_hex(8)}"
    store = server.store(password=wrong)
    try:
        with pytest.raises(StoreUnavailable, match="refused the login") as caught:
            store.ping()
        message = str(caught.value)
        assert server.uri in message
        assert wrong not in message and server.password not in message
        with pytest.raises(StoreUnavailable, match="refused the login"):
            store.count(NodeKind.GOVERNMENT)
        with pytest.raises(StoreUnavailable, match="refused the login"), store.writer() as writer:
            writer.add_node(GOV)
    finally:
        store.close()


def test_no_password_for_a_server_with_auth_is_a_refused_login(server: Server) -> None:
    with server.store(password="") as store, pytest.raises(StoreUnavailable, match="refused the login"):
        store.node(GOV.id)


def test_the_right_password_logs_in(server: Server) -> None:
    with server.store() as store:
        store.ping()
        assert store.count(NodeKind.POST) >= 0


def test_nothing_listening_fails_at_once() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    with Neo4jStore(Neo4jSettings(uri=uri, password="p4ss-word"), connection_timeout=2.0) as store:
        started = time.perf_counter()
        with pytest.raises(StoreUnavailable, match="is unavailable") as caught:
            store.ping()
        assert time.perf_counter() - started < 5
        assert uri in str(caught.value) and "p4ss-word" not in str(caught.value)
        started = time.perf_counter()
        with pytest.raises(StoreUnavailable), store.writer() as writer:
            writer.add_node(GOV)
        with pytest.raises(StoreUnavailable):
            store.holders("post:SW-01", date(2024, 6, 1))
        assert time.perf_counter() - started < 5


def test_a_database_that_is_not_there_is_unavailable(server: Server) -> None:
    settings = Neo4jSettings(uri=server.uri, password=server.password, database="nosuchdatabase")
    with (
        Neo4jStore(settings) as store,
        pytest.raises(StoreUnavailable, match="no usable database 'nosuchdatabase'"),
    ):
        store.ping()


def test_the_same_store_and_service_work_again_when_the_server_comes_back(plain_server: Server) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    server = plain_server
    with server.store() as store:
        with store.writer() as writer:
            writer.clear()
            writer.add_node(GOV)
        version = store.version
        service = TestClient(create_app(Settings(), store))
        assert service.get("/health").json() == {"status": "ok"}
        server.stop()
        try:
            started = time.perf_counter()
            with pytest.raises(StoreUnavailable, match="is unavailable"):
                store.node(GOV.id)
            with pytest.raises(StoreUnavailable):
                _ = store.version
            answer = service.post("/graphql", json={"query": "{ departments { totalCount } }"})
            assert answer.status_code == 503
            assert answer.json()["errors"][0]["extensions"]["code"] == "STORE_UNAVAILABLE"
            health = service.get("/health")
            assert health.status_code == 503
            assert health.json()["status"] == "unavailable" and server.uri in health.json()["reason"]
            assert time.perf_counter() - started < 8
        finally:
            server.start()
        assert service.get("/health").json() == {"status": "ok"}
        assert service.post("/graphql", json={"query": "{ departments { totalCount } }"}).status_code == 200
        assert store.node(GOV.id) == GOV
        assert store.version == version
        with store.writer() as writer:
            writer.add_node(Node("government:示例区人民政府", NodeKind.GOVERNMENT))
        assert store.count(NodeKind.GOVERNMENT) == 2


def test_a_write_too_big_for_the_server_is_refused_whole(plain_server: Server) -> None:
    with plain_server.store() as store:
        with store.writer() as writer:
            writer.clear()
            writer.add_node(GOV)
        version = store.version
        with (
            pytest.raises(StoreUnavailable, match="ran out of transaction memory") as caught,
            store.writer() as w,
        ):
            for number in range(20_000):
                w.add_node(Node(f"person:P{number}", NodeKind.PERSON, {"name": f"人{number}"}))
        assert "rolled back" in str(caught.value)
        assert store.count(NodeKind.PERSON) == 0
        assert store.version == version
