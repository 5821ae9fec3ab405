"""A load run against `quanze serve` on loopback, and against bare graphql-core for comparison.

    python bench/api.py                          # 2,000 requests per query, 8 concurrent clients
    python bench/api.py --requests 5000 --concurrency 16

Starts `quanze serve` on the demo city (one uvicorn worker) in a second process,
sends a bounded number of requests from this one with httpx, and reports
requests per second and p50/p99 latency for three queries: one department with
its units and posts; a page of 50 power items with their departments and laws;
a trace (as an investigator). Then the same for the page-of-50 query answered by
a plain graphql-core schema over the same store (bench/plain_graphql.py), with
its parsed and validated document cached. Prints a Markdown table.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This script is bench/api.py: keep its folder off the path so `import api` finds the package, not itself.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import time

import httpx

HERE = Path(__file__).resolve().parent
TOKEN = "bench-investigator-token"

DEPARTMENT = (
    '{ department(name: "巴中市市场监督管理局") { name units { name posts { code name category } } } }'
)
PAGE = "{ powerItems(first: 50) { totalCount edges { node { code name powerType departments { name } laws { law article } } } } }"
TRACE = '{ trace(caseId: "BJ20241126001") { caseId findings { kind step } stages { step name performer { name } holderThen { name } departmentHead { name } workingDays } } }'


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(command: list[str], port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"{command[0]} did not start")


async def _load(
    url: str, query: str, requests: int, concurrency: int, token: str | None
) -> tuple[float, list[float]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    latencies: list[float] = []
    queue = iter(range(requests))

    async def client(session: httpx.AsyncClient) -> None:
        for _ in queue:
            started = time.perf_counter()
            response = await session.post(url, json={"query": query}, headers=headers)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200 or "errors" in response.json():
                raise SystemExit(f"bad answer: {response.text[:300]}")

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as session:
        for _ in range(20):  # warm up: caches, analyses, connections
            await session.post(url, json={"query": query}, headers=headers)
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return requests / elapsed, latencies


def _row(name: str, rate: float, latencies: list[float], size: int) -> str:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99) - 1] * 1000
    return f"| {name} | {rate:,.0f} | {p50:.1f} | {p99:.1f} | {size / 1024:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--no-response-cache",
        action="store_true",
        help="run every query in full (QUANZE_RESPONSE_CACHE=0): the cost of execution itself",
    )
    args = parser.parse_args()

    from api.settings import hash_token

    port, plain_port = _free_port(), _free_port()
    env = {**os.environ, "QUANZE_TOKENS": f'{{"{hash_token(TOKEN)}": "investigator"}}'}
    if args.no_response_cache:
        env["QUANZE_RESPONSE_CACHE"] = "0"
    quanze = _start([sys.executable, "-m", "api.cli", "serve", "--port", str(port)], port, env)
    plain = _start(
        [sys.executable, str(HERE / "plain_graphql.py"), "--port", str(plain_port)], plain_port, env
    )
    rows = []
    try:
        runs = [
            ("quanze: a department with units and posts", port, DEPARTMENT, None),
            ("quanze: a page of 50 items with departments and laws", port, PAGE, None),
            ("quanze: a trace (investigator)", port, TRACE, TOKEN),
            ("bare graphql-core, cached document: the page of 50", plain_port, PAGE, None),
        ]
        for name, target, query, token in runs:
            url = f"http://127.0.0.1:{target}/graphql"
            size = len(
                httpx.post(
                    url, json={"query": query}, headers={"Authorization": f"Bearer {token}"} if token else {}
                ).content
            )
            rate, latencies = asyncio.run(_load(url, query, args.requests, args.concurrency, token))
            rows.append(_row(name, rate, latencies, size))
    finally:
        for server in (quanze, plain):
            server.terminate()
            server.wait(timeout=20)
    print(
        f"{args.requests} requests per query, {args.concurrency} concurrent clients, one uvicorn worker each\n"
    )
    print("| query | requests/s | p50 ms | p99 ms | answer KB |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
