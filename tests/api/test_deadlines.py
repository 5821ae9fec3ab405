"""Timeouts that stop work: the analyses computed once in the background and shared, requests that wait
for them at most until their deadline, a request's own work that stops at its deadline, `/health` that
stays cheap and `/ready` that tells when the analyses are computed.

The store is the real memory store whose reads sleep (`SlowStore`), so that an analysis or a page takes
longer than a request may, for real; the requests go through the ASGI app with httpx, concurrently.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph import MemoryStore
from graph.analyses.partitions import partitioned_overlaps
from graph.model import Edge, Node
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook
from ontology import EdgeKind, NodeKind

PAGE = """{ powerItems(first: 50) { edges { node { code departments { name units { name } } laws { law }
           stages { name } prerequisites { code } unit { name } } } } }"""
OVERLAPS = "{ overlaps { id score } }"


class SlowStore(MemoryStore):
    """The real memory store whose read primitives sleep `delay` seconds, noting when and in which thread
    each read began."""

    def __init__(self) -> None:
        super().__init__()
        self.delay = 0.0
        self.reads: list[tuple[float, str]] = []
        self._noting = threading.Lock()

    def _read(self) -> None:
        with self._noting:
            self.reads.append((time.monotonic(), threading.current_thread().name))
        if self.delay:
            time.sleep(self.delay)

    def nodes(self, kind: NodeKind) -> Iterator[Node]:
        self._read()
        return super().nodes(kind)

    def nodes_by_id(self, node_ids: Any) -> list[Node | None]:
        self._read()
        return super().nodes_by_id(node_ids)

    def edges_from(self, sources: Any, kind: EdgeKind) -> Any:
        self._read()
        return super().edges_from(sources, kind)

    def edges_to(self, targets: Any, kind: EdgeKind) -> Any:
        self._read()
        return super().edges_to(targets, kind)

    def edges(self, **ends: Any) -> Iterator[Edge]:
        self._read()
        return super().edges(**ends)

    def reads_in(self, prefix: str) -> int:
        """How many reads threads whose names start with `prefix` began."""
        return sum(1 for _, thread in self.reads if thread.startswith(prefix))


@pytest.fixture
def slow() -> SlowStore:
    store = SlowStore()
    load_workbook(DEMO_WORKBOOK, store)
    return store


@asynccontextmanager
async def asgi(store: MemoryStore, **settings: Any) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """An httpx client on the app (its lifespan not run: nothing starts before the test asks), and the
    app's query service."""
    app = create_app(Settings(response_cache=0, **settings), store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://quanze.test", timeout=30) as client:
        yield client, app.state.service


def _code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def test_concurrent_timed_out_requests_share_one_computation_and_health_stays_fast(
    slow: SlowStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUANZE_WORKERS", "1")  # in this process, as the service does for a graph this small
    partitioned_overlaps(slow, verdicts=None)
    one_computation = len(slow.reads)  # the store reads of one computation of the overlaps, as the service's
    slow.reads.clear()
    slow.delay = 0.4  # one computation: 2 s or more

    async def scenario() -> None:
        async with asgi(slow, request_timeout=0.3) as (client, service):
            started = time.monotonic()
            # More requests waiting than the worker threads of the event loop (32 at most): waiting for the
            # analysis holds none of them, so a request that needs no analysis is answered meanwhile.
            waiting = [client.post("/graphql", json={"query": OVERLAPS}) for _ in range(40)]
            *answers, other = await asyncio.gather(
                *waiting, client.post("/graphql", json={"query": "{ today }"})
            )
            assert other.status_code == 200 and other.json()["data"]["today"]
            assert [a.status_code for a in answers] == [503] * 40
            assert {_code(a) for a in answers} == {"TIMEOUT"}
            assert time.monotonic() - started < 1.5  # each gave up at its own deadline
            # The computation goes on meanwhile, and /health answers without waiting for it.
            health = await client.get("/health")
            assert health.json() == {"status": "ok"}
            assert slow.reads_in("quanze-analyses") < one_computation  # answered while it computed
            # Later requests join the same computation; the first after it ends gets the answer.
            for _ in range(60):
                answer = await client.post("/graphql", json={"query": OVERLAPS})
                if answer.status_code == 200:
                    break
                assert _code(answer) == "TIMEOUT"
            assert answer.status_code == 200 and answer.json()["data"]["overlaps"]
            assert service.analyses.computations["overlaps"] == 1

    asyncio.run(scenario())
    # However many requests asked, the overlaps were computed once, in the cache's own thread: the
    # requests' threads read nothing.
    assert slow.reads_in("quanze-analyses") == one_computation
    assert len(slow.reads) == one_computation


def test_a_timed_out_request_stops_its_own_work_at_the_deadline(slow: SlowStore) -> None:
    async def scenario() -> None:
        async with asgi(slow, request_timeout=0.3) as (client, _):
            slow.delay = 0.0
            assert "errors" not in (await client.post("/graphql", json={"query": PAGE})).json()
            whole = len(slow.reads)  # the store reads of the whole page
            assert whole >= 8
            slow.reads.clear()
            slow.delay = 0.2  # the whole page: about 2 s
            answer = await client.post("/graphql", json={"query": PAGE})
            answered = time.monotonic()
            assert answer.status_code == 503 and _code(answer) == "TIMEOUT"
            await asyncio.sleep(whole * slow.delay + 0.5)  # time enough for the page to run to its end
            after = [t for t, _ in slow.reads if t > answered]
            # The request's thread stopped at its next check: the read under way when the time was up
            # finished, and no other began.
            assert len(after) == 0, f"{len(after)} reads began after the TIMEOUT answer"
            assert len(slow.reads) <= 3 < whole

    asyncio.run(scenario())


def test_ready_answers_503_with_what_is_pending_then_200(slow: SlowStore) -> None:
    slow.delay = 0.05

    async def scenario() -> None:
        async with asgi(slow) as (client, service):
            first = await client.get("/ready")
            assert first.status_code == 503
            body = first.json()
            assert body["status"] == "not ready"
            assert set(body["analyses"]) == {"overlaps", "splits", "gaps", "staffing", "cases"}
            assert set(body["analyses"].values()) <= {"queued", "computing"}
            for _ in range(300):
                ready = await client.get("/ready")
                if ready.status_code == 200:
                    break
                await asyncio.sleep(0.1)
            assert ready.json() == {"status": "ready"}
            assert dict(service.analyses.computations) == {
                "overlaps": 1,
                "splits": 1,
                "gaps": 1,
                "staffing": 1,
                "cases": 1,
            }
            # The answers are shared: the views' queries now run without computing anything again.
            query = '{ overlaps { id } splitApprovals { id } gaps { kind } department(name: "巴中市财政局") { name } }'
            answer = await client.post("/graphql", json={"query": query})
            assert "errors" not in answer.json()
            assert sum(service.analyses.computations.values()) == 5

    asyncio.run(scenario())


def test_the_analyses_start_with_the_service_and_again_when_the_data_changes() -> None:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    app = create_app(Settings(), store)
    computations = app.state.service.analyses.computations
    with TestClient(app) as client:  # runs the lifespan, as uvicorn does
        # Nothing is asked, and the five analyses the views need are computed, once each.
        _wait(lambda: sum(computations.values()) == 5)
        assert dict(computations) == {"overlaps": 1, "splits": 1, "gaps": 1, "staffing": 1, "cases": 1}
        with store.writer() as writer:  # a load changes the store's version
            writer.add_node(
                Node("government:另一个市人民政府", NodeKind.GOVERNMENT, {"name": "另一个市人民政府"})
            )
        assert client.post("/graphql", json={"query": "{ today }"}).status_code == 200
        _wait(lambda: sum(computations.values()) == 10)
        assert dict(computations) == {"overlaps": 2, "splits": 2, "gaps": 2, "staffing": 2, "cases": 2}
        _wait(lambda: client.get("/ready").status_code == 200)


def _wait(condition: Any) -> None:
    for _ in range(300):
        if condition():
            return
        time.sleep(0.05)
    pytest.fail("waited 15 s in vain")


def test_an_analysis_that_fails_is_computed_again_when_asked_next() -> None:
    class Failing(SlowStore):
        failures = 1

        def nodes(self, kind: NodeKind) -> Iterator[Node]:
            if self.failures and threading.current_thread().name.startswith("quanze-analyses"):
                self.failures -= 1
                raise OSError("the disk went away")
            return super().nodes(kind)

    store = Failing()
    load_workbook(DEMO_WORKBOOK, store)

    async def scenario() -> None:
        async with asgi(store) as (client, service):
            failed = (await client.post("/graphql", json={"query": OVERLAPS})).json()
            assert failed["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
            answer = (await client.post("/graphql", json={"query": OVERLAPS})).json()
            assert "errors" not in answer and answer["data"]["overlaps"]
            assert service.analyses.computations["overlaps"] == 2

    asyncio.run(scenario())


def test_analyses_on_many_dates_are_refused_rather_than_queued_without_end(slow: SlowStore) -> None:
    slow.delay = 0.2

    async def scenario() -> None:
        async with asgi(slow, request_timeout=0.05) as (client, service):
            messages = []
            for day in range(1, 29):
                answer = await client.post(
                    "/graphql", json={"query": f'{{ gaps(at: "2024-02-{day:02d}") {{ kind }} }}'}
                )
                assert answer.status_code == 503 and _code(answer) == "TIMEOUT"
                messages.append(answer.json()["errors"][0]["message"])
            busy = [m for m in messages if "computing" in m and "ask again" in m]
            assert len(busy) >= 28 - service.analyses.max_queued - service.analyses.workers

    try:
        asyncio.run(scenario())
    finally:
        slow.delay = 0.0  # the computations queued finish at once


def test_quanze_serve_starts_the_analyses_before_any_request() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stderr or ()), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 90
        # Only /health is asked (it never computes): the analyses are computed all the same.
        while not all(any(f"analysis {name}" in line and "computed" in line for line in lines) for name in
                      ("overlaps", "splits", "gaps", "staffing")):  # fmt: skip
            assert server.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "quanze serve did not compute the analyses within 90 s"
            with suppress(httpx.TransportError):
                assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).json() == {"status": "ok"}
            time.sleep(0.3)
        assert httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5).json() == {"status": "ready"}
    finally:
        server.terminate()
        server.wait(timeout=20)
