"""The latency of `reviewFinding` through the HTTP API: `quanze serve` on the demo with its SQLite
ledger, reviews sent one after another (each written to disk before it is answered), p50 and p99.

    python bench/ledger_api.py                    # 2,000 reviews, one client
    python bench/ledger_api.py --requests 5000 --concurrency 4

Starts `quanze serve` on loopback in a second process with a ledger in a temporary folder (never the
user's own), reviews the demo's overlaps, gaps and split approvals in turn (CONFIRMED, RECTIFYING,
OPEN), and then asks for the overlaps with their current reviews (never kept in the response cache:
each is answered anew). Prints a Markdown table.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This script is bench/ledger_api.py: keep its folder off the path so `import api` finds the package.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse
import json
import os
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from typing import Any

import httpx

from api.settings import hash_token

TOKEN = "bench-staffing-token"
STATUSES = ("CONFIRMED", "RECTIFYING", "OPEN")
REVIEW = (
    "mutation R($id: ID!, $status: ReviewStatus!) { reviewFinding(id: $id, status: $status) { status at } }"
)
FINDINGS = "{ overlaps(verdicts: []) { id } gaps { id } splitApprovals(minDepartments: 1) { id } }"
READ = "{ overlaps(verdicts: []) { id reviewStatus review { status reviewer deadline } } }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="reviews to send")
    parser.add_argument("--concurrency", type=int, default=1, help="clients sending them at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        port = _free_port()
        server = _start(port, Path(folder))
        try:
            url = f"http://127.0.0.1:{port}/graphql"
            findings = [f["id"] for found in _post(url, FINDINGS)["data"].values() for f in found]
            seconds, latencies = _burst(url, findings, args.requests, args.concurrency)
            with httpx.Client(timeout=30) as session:
                read = [_timed(url, READ, session=session) for _ in range(200)]
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"{len(findings)} findings of the demo; {args.requests} reviews, {args.concurrency} client(s)\n")
    print("| request | per second | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    print(_row("reviewFinding (written to disk)", args.requests / seconds, latencies))
    print(_row("overlaps with their reviews", len(read) / sum(read), read))


def _start(port: int, folder: Path) -> subprocess.Popen[bytes]:
    """`quanze serve` on the demo with the ledger `folder/ledger.sqlite3`, once it is ready."""
    env = {
        **os.environ,
        "QUANZE_TOKENS": json.dumps({hash_token(TOKEN): {"role": "staffing", "name": "测试"}}),
        "QUANZE_LEDGER": str(folder / "ledger.sqlite3"),
        "XDG_DATA_HOME": str(folder / "data"),
    }
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=30).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("quanze serve was not ready within 90 s")


def _burst(url: str, findings: list[str], requests: int, concurrency: int) -> tuple[float, list[float]]:
    """Send `requests` reviews from `concurrency` threads; the seconds it took and every latency."""
    latencies: list[float] = []
    numbers = iter(range(requests))
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(timeout=30) as session:
            while True:
                with lock:
                    number = next(numbers, None)
                if number is None:
                    return
                variables = {"id": findings[number % len(findings)], "status": STATUSES[number % 3]}
                latencies.append(_timed(url, REVIEW, variables, session))

    for number in range(20):  # warm up: connections, the first write of each thread
        _timed(url, REVIEW, {"id": findings[number % len(findings)], "status": "CONFIRMED"})
    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies


def _timed(
    url: str, query: str, variables: dict[str, Any] | None = None, session: httpx.Client | None = None
) -> float:
    started = time.perf_counter()
    _post(url, query, variables, session)
    return time.perf_counter() - started


def _post(
    url: str, query: str, variables: dict[str, Any] | None = None, session: httpx.Client | None = None
) -> dict[str, Any]:
    send = session.post if session else httpx.post
    response = send(
        url,
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or "errors" in body:
        raise SystemExit(f"bad answer: {response.text[:300]}")
    return body


def _row(name: str, rate: float, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return f"| {name} | {rate:,.0f} | {p50:.1f} | {p99:.1f} |"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()
