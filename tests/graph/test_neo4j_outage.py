"""A Neo4j that is down, refuses the login, goes away or runs out of memory: a clear `StoreUnavailable`,
quickly, and recovery.

These tests run servers of their own, never the shared test server: one with a
password on port 7698, and one without on 7699 that gives a transaction at most
8 MB (10 more per pytest-xdist worker), and stop them when the module ends. On
the small one a write of 20,000 nodes is more than one transaction holds, so it
is a load in several, and a load can be made to fail half way on the server's
side.
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
        store.max_transaction_rows = 1_000_000  # all in one transaction, or nothing
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
        assert "this store writes up to 1,000,000 of them in one transaction" in str(caught.value)
        assert store.count(NodeKind.PERSON) == 0
        assert store.version == version


def test_a_write_bigger_than_a_transaction_is_a_load_in_several(plain_server: Server) -> None:
    with plain_server.store() as store:
        assert store.transaction_rows() == 1024  # db.memory.transaction.max=8m, at 8 KB a row
        store.clear()
        version = store.version
        with store.writer() as writer:
            for number in range(20_000):
                writer.add_node(Node(f"person:P{number}", NodeKind.PERSON, {"name": f"人{number}"}))
        assert store.count(NodeKind.PERSON) == 20_000
        assert store.node("person:P19999") == Node("person:P19999", NodeKind.PERSON, {"name": "人19999"})
        assert store.version == version + 1
        store.clear()  # in batches that fit too
        assert store.count(NodeKind.PERSON) == 0


def test_a_load_the_server_fails_half_way_is_undone(plain_server: Server) -> None:
    with plain_server.store() as store:
        store.clear()
        version = store.version
        with (
            pytest.raises(StoreUnavailable, match="ran out of transaction memory while loading") as caught,
            store.writer() as writer,
        ):
            for number in range(5_000):
                writer.add_node(Node(f"person:P{number}", NodeKind.PERSON, {"name": f"人{number}"}))
            # the last transaction of the load holds a name of 6 MB (12 in the server's memory): over 8 MB
            writer.add_node(Node("person:big", NodeKind.PERSON, {"name": "大" * 3_000_000}))
        assert "the load was undone: the graph is empty, as it was" in str(caught.value)
        assert store.count(NodeKind.PERSON) == 0
        assert store.version == version + 1
        with store.writer() as writer:
            writer.add_node(GOV)
        assert store.node(GOV.id) == GOV
