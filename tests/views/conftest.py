"""The views' fixtures: `quanze serve` on the demo with two tokens, and Debian's Chromium driven by Playwright.

`payload_server` serves the demo with HTML and script payloads in every shown field (`payloads.py`);
`ledger_payload_server` serves them with a ledger whose editions, reviewers and notes carry payloads too,
through `serve_with_ledger`: the app in this process with a ledger of its own and tokens with names.
A server that answers any request with a 500 or logs a traceback fails the session when it stops.

Chromium comes from Debian (`scripts/install-browser`); Playwright's own browser download is never used.
A missing browser, font or Playwright fails the tests with what to install: CI installs them.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
import uvicorn
from python_calamine import CalamineWorkbook

from api.app import create_app
from api.settings import Settings, hash_token
from graph import MemoryStore
from graph.ledger import SQLiteLedger
from loaders.demo import DEMO_TRUTH, DEMO_WORKBOOK
from loaders.workbook import load_workbook
from tests.views.payloads import write_payload_ledger, write_payload_workbook

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "views"
INVESTIGATOR_TOKEN = "views-investigator-token"
STAFFING_TOKEN = "views-staffing-token"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL = "run scripts/install-browser (Debian's chromium, chromium-driver, fonts-noto-cjk and Playwright for Python)"


@dataclass(frozen=True)
class Server:
    """The running service, with the bearer tokens it knows."""

    base: str
    investigator_token: str = INVESTIGATOR_TOKEN
    staffing_token: str = STAFFING_TOKEN

    def query(self, text: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        """The `data` of one GraphQL answer, as the views' expectations."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        answer = httpx.post(
            f"{self.base}/graphql",
            json={"query": text, "variables": variables or {}},
            headers=headers,
            timeout=30,
        ).json()
        assert "errors" not in answer, answer["errors"]
        return answer["data"]


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    return dict(json.loads(DEMO_TRUTH.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def people() -> dict[str, str]:
    """人员编号 -> 姓名, from the demo workbook's 任职 sheet."""
    rows = CalamineWorkbook.from_path(str(DEMO_WORKBOOK)).get_sheet_by_name("任职").to_python()
    header = [str(cell) for cell in rows[0]]
    number, name = header.index("人员编号"), header.index("姓名")
    return {str(row[number]): str(row[name]) for row in rows[1:] if row[name]}


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    yield from serve()


@pytest.fixture(scope="session")
def payload_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`quanze serve` on the demo workbook with HTML and script payloads in every shown field."""
    workbook = write_payload_workbook(tmp_path_factory.mktemp("payloads") / "payloads.xlsx")
    yield from serve(workbook)


@pytest.fixture(scope="session")
def ledger_payload_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The payload workbook served with a ledger of payloads (`payloads.write_payload_ledger`)."""
    folder = tmp_path_factory.mktemp("ledger-payloads")
    workbook = write_payload_workbook(folder / "payloads.xlsx")
    store = loaded(workbook)
    ledger = write_payload_ledger(folder / "ledger.sqlite3", store, date.today())
    yield from serve_with_ledger(
        store, ledger, {STAFFING_TOKEN: "staffing", INVESTIGATOR_TOKEN: "investigator"}
    )


def loaded(workbook: Path) -> MemoryStore:
    """A memory store holding `workbook`."""
    store = MemoryStore()
    load_workbook(workbook, store)
    return store


def serve_with_ledger(store: MemoryStore, ledger: Path, callers: dict[str, Any]) -> Iterator[Server]:
    """Serve `store` with the ledger in the SQLite file `ledger` and the tokens `callers` (token -> a
    role, or {"role": …, "name": …}) until the generator resumes: the app of `quanze serve`, run by
    uvicorn in a thread of this process, so that the test writes the ledger directly before it serves.
    A request answered with a 500 shows as a console error, which the pages of the tests fail on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    settings = Settings(tokens={hash_token(token): caller for token, caller in callers.items()})
    opened = SQLiteLedger(ledger)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, store, ledger=opened), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, name="views-ledger-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not server.started or httpx.get(f"{base}/ready", timeout=60).status_code != 200:
            assert thread.is_alive(), "the views' ledger server stopped before it was ready"
            assert time.monotonic() < deadline, "the views' ledger server was not ready within 90 s"
            time.sleep(0.3)
        yield Server(base)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        opened.close()


def serve(workbook: Path | None = None) -> Iterator[Server]:
    """Run `quanze serve` (on `workbook`, or the demo) with the two tokens until the generator resumes.

    Fails, when it stops, if the server answered any request with a 500 or logged a traceback.
    """
    # its log goes to a file: a pipe nobody reads fills up and stops the server (a line per request)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        yield from _serve(workbook, log)
        written = _tail(log, lines=None)
    at = written.find("Traceback")
    assert at < 0 and '"status": 500' not in written, f"quanze serve failed a request:\n{written[at:][:3000]}"


def _serve(workbook: Path | None, log: IO[str]) -> Iterator[Server]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    tokens = {hash_token(INVESTIGATOR_TOKEN): "investigator", hash_token(STAFFING_TOKEN): "staffing"}
    source = [str(workbook)] if workbook else []
    ledger = Path(tempfile.mkdtemp(prefix="quanze-views-")) / "ledger.sqlite3"  # never the user's own
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", *source, "--port", str(port), "--ledger", str(ledger)],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "QUANZE_TOKENS": json.dumps(tokens), "PYTHONIOENCODING": "utf-8"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                # /ready computes the analyses once, so the pages do not wait for them
                if httpx.get(f"{base}/ready", timeout=60).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, _tail(log)
            assert time.monotonic() < deadline, "quanze serve did not answer /ready within 90 s"
            time.sleep(0.3)
        assert httpx.get(f"{base}/", timeout=10).headers["content-type"].startswith("text/html"), (
            "quanze serve does not serve api/static/index.html at /"
        )
        yield Server(base)
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(ledger.parent, ignore_errors=True)


def _tail(log: IO[str], lines: int | None = 40) -> str:
    log.flush()
    log.seek(0)
    return "\n".join(log.read().splitlines()[-lines:] if lines else log.read().splitlines())


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("QUANZE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Debian's chromium is not installed ({path} is missing): {INSTALL}", pytrace=False)
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    if not fonts.stdout.strip():
        pytest.fail(
            f"no font with Chinese glyphs is installed (fc-list :lang=zh is empty): {INSTALL}", pytrace=False
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"Playwright for Python is not installed: {INSTALL}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def wait_heading(page: Any, text: str) -> None:
    """Wait until the overlap map's list heading reads `text`: the hash changes before the list is drawn."""
    page.wait_for_function(
        "(t) => document.querySelector('#overlaps-heading')?.textContent.includes(t)", arg=text
    )
