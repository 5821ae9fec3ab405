"""A load run against `quanze serve` on loopback, and against bare graphql-core for comparison.

    python bench/api.py                          # 2,000 requests per query, 8 concurrent clients
    python bench/api.py --requests 5000 --concurrency 16

Starts `quanze serve` on the demo city (one uvicorn worker) in a second process,
sends a bounded number of requests from this one with httpx, and reports
requests per second and p50/p99 latency for three queries: one department with
its units and posts; a page of 50 power items with their departments and laws;
a trace (as an investigator). Then the same for the page-of-50 query answered by
a plain graphql-core schema over the same store (bench/plain_graphql.py), with
its parsed and validated document cached. Prints a Markdown table, and the page's
requests/s as a multiple of bare graphql-core's.

The page and its bare graphql-core twin are measured in alternating rounds (a
quarter of the requests each, quanze first in odd rounds and second in even
ones), so that whatever else the machine runs weighs on both alike.

    python bench/api.py --in-process             # no HTTP: one request's processor time, both ways

With `--in-process`, no server: the page is answered in this process, one request
at a time, by `QueryService.run` (parse, limits, roles, plan, encoding: all but
HTTP) and by the bare graphql-core schema (`execute` of the cached document, then
`json.dumps`), alternately, and the median and best time of each are printed —
the figure least moved by whatever else the machine runs.
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


def _in_process(requests: int) -> None:
    """Print the median and best milliseconds of one page request, quanze's service against bare
    graphql-core's execute (both over the demo city, each with its cache warm), taken alternately."""
    import json

    from graphql import execute

    from api.roles import Role
    from api.service import QueryService

    sys.path.insert(0, str(HERE))  # after `api` is imported: bench/api.py would shadow it
    import plain_graphql

    service = QueryService(plain_graphql.STORE, response_cache=0)
    loop = asyncio.new_event_loop()

    def quanze() -> None:
        loop.run_until_complete(service.run({"query": PAGE}, Role.PUBLIC))

    def bare() -> None:
        result = execute(plain_graphql.SCHEMA, plain_graphql._document(PAGE))
        json.dumps({"data": result.data}, ensure_ascii=False).encode()

    times: dict[str, list[float]] = {"quanze: QueryService.run": [], "bare graphql-core: execute": []}
    for _ in range(20):
        quanze(), bare()
    for _ in range(requests):
        for name, answer in zip(times, (quanze, bare), strict=True):
            started = time.perf_counter()
            answer()
            times[name].append((time.perf_counter() - started) * 1000)
    loop.close()
    print(f"{requests} requests each, one at a time, alternately, in one process\n")
    print("| the page of 50 | median ms | best ms |")
    print("|---|---|---|")
    for name, taken in times.items():
        print(f"| {name} | {statistics.median(taken):.2f} | {min(taken):.2f} |")
    ratio = statistics.median(times["bare graphql-core: execute"]) / statistics.median(
        times["quanze: QueryService.run"]
    )
    print(f"\nquanze answers the page in {1 / ratio:.2f}× bare graphql-core's time")


def _url(port: int) -> str:
    return f"http://127.0.0.1:{port}/graphql"


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
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="no HTTP: time one request of the page in this process, quanze's and bare graphql-core's",
    )
    args = parser.parse_args()
    if args.in_process:
        _in_process(args.requests)
        return

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
        measured: dict[str, tuple[float, list[float]]] = {}
        for name, target, query, token in runs[:1] + runs[2:3]:
            measured[name] = asyncio.run(_load(_url(target), query, args.requests, args.concurrency, token))
        # the page and bare graphql-core's, in alternating rounds: the same weather for both
        page, plain_page = runs[1], runs[3]
        elapsed = {page[0]: 0.0, plain_page[0]: 0.0}
        latencies: dict[str, list[float]] = {page[0]: [], plain_page[0]: []}
        rounds = 4
        for number in range(rounds):
            for name, target, query, token in (page, plain_page) if number % 2 == 0 else (plain_page, page):
                share = args.requests // rounds
                rate, taken = asyncio.run(_load(_url(target), query, share, args.concurrency, token))
                elapsed[name] += share / rate
                latencies[name] += taken
        for name in elapsed:
            measured[name] = (len(latencies[name]) / elapsed[name], latencies[name])
        for name, target, query, token in runs:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            size = len(httpx.post(_url(target), json={"query": query}, headers=headers).content)
            rows.append(_row(name, *measured[name], size))
        ratio = measured[page[0]][0] / measured[plain_page[0]][0]
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
    print(f"\nthe page of 50: {ratio:.2f}× bare graphql-core's requests/s")


if __name__ == "__main__":
    main()
