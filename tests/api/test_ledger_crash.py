"""`quanze serve` killed in the middle of a burst of reviews loses none it acknowledged: a real server
process with its SQLite ledger, SIGKILLed, started again on the same file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx

from api.settings import hash_token
from tests.stores import free_port

REPO = Path(__file__).resolve().parents[2]
TOKEN = "crash-staffing"
STATUSES = ("CONFIRMED", "RECTIFYING", "OPEN")
REVIEW = "mutation R($id: ID!, $status: ReviewStatus!) { reviewFinding(id: $id, status: $status) { at } }"


@contextmanager
def serving(ledger: Path, log: IO[str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`quanze serve` on the demo with the ledger `ledger` (by QUANZE_LEDGER), once it is ready."""
    port = free_port()
    env = {
        **os.environ,
        "QUANZE_TOKENS": json.dumps({hash_token(TOKEN): {"role": "staffing", "name": "王芳"}}),
        "QUANZE_LEDGER": str(ledger),
        "XDG_DATA_HOME": str(ledger.parent / "data"),  # never the user's own, whatever the default
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/ready", timeout=30).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, _tail(log)
            assert time.monotonic() < deadline, "quanze serve was not ready within 90 s"
            time.sleep(0.2)
        yield process, base
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=20)


def _post(base: str, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    return body


def _tail(log: IO[str]) -> str:
    log.seek(0)
    return "".join(log.readlines()[-30:])


def test_no_acknowledged_review_is_lost_when_the_server_is_killed(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite3"
    acknowledged: list[tuple[str, str, str]] = []  # finding, status, at: each answered by the server
    with open(tmp_path / "serve.log", "w+", encoding="utf-8") as log:
        with serving(ledger, log) as (process, base):
            found = _post(
                base, "{ overlaps(verdicts: []) { id } gaps { id } splitApprovals(minDepartments: 1) { id } }"
            )
            findings = [finding["id"] for findings in found["data"].values() for finding in findings]
            stop = threading.Event()

            def burst() -> None:
                for number in range(100_000):
                    finding, status = findings[number % len(findings)], STATUSES[number % len(STATUSES)]
                    try:
                        made = _post(base, REVIEW, id=finding, status=status)
                    except httpx.HTTPError:  # the server is gone: this one was never acknowledged
                        return
                    acknowledged.append((finding, status, made["data"]["reviewFinding"]["at"]))
                    if stop.is_set():
                        return

            writer = threading.Thread(target=burst)
            writer.start()
            while len(acknowledged) < 150 and writer.is_alive():
                time.sleep(0.01)
            process.send_signal(signal.SIGKILL)
            stop.set()
            writer.join(timeout=30)
        assert len(acknowledged) >= 150, _tail(log)
        with serving(ledger, log) as (_, base):
            history = "{ ledger(first: 500) { edges { node { findingId history { status at } } } } }"
            edges = _post(base, history)["data"]["ledger"]["edges"]
    kept = {
        (edge["node"]["findingId"], h["status"], h["at"]) for edge in edges for h in edge["node"]["history"]
    }
    assert set(acknowledged) <= kept
    assert len(kept) - len(acknowledged) <= 1  # at most the one written as the server died, unanswered
