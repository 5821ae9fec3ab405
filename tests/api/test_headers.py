"""Security headers on every response of the service: the views, their static files, /graphql, /health.

The views get a Content-Security-Policy without inline script; GraphiQL (GET /graphql in a browser)
gets its own, which is as tight but for `data:` fonts and images, and loads every file from here.
"""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph import MemoryStore
from loaders.demo import DEMO_WORKBOOK
from loaders.workbook import load_workbook

COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
VIEWS = (
    "default-src 'self'",
    "script-src 'self';",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)


@pytest.fixture(scope="module")
def client() -> TestClient:
    store = MemoryStore()
    load_workbook(DEMO_WORKBOOK, store)
    return TestClient(create_app(Settings(), store))


def _policy(response: httpx.Response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as directive -> sources."""
    directives = [
        part.split() for part in response.headers["content-security-policy"].split(";") if part.strip()
    ]
    return {name: sources for name, *sources in directives}


REQUESTS = {
    "the views": ("GET", "/"),
    "the views' script": ("GET", "/js/main.js"),
    "a vendored library": ("GET", "/vendor/echarts/echarts.esm.min.js"),
    "the style sheet": ("GET", "/app.css"),
    "a missing file": ("GET", "/no-such-file.js"),
    "a query": ("POST", "/graphql"),
    "a persisted query by GET": ("GET", "/graphql?query=%7B__typename%7D"),
    "a bad request": ("POST", "/graphql?bad"),
    "health": ("GET", "/health"),
}


@pytest.mark.parametrize("what", REQUESTS, ids=list(REQUESTS))
def test_every_response_carries_the_security_headers(client: TestClient, what: str) -> None:
    method, path = REQUESTS[what]
    if what == "a query":
        response = client.post(path, json={"query": "{ departments(first: 1) { totalCount } }"})
        assert response.status_code == 200
    elif what == "a bad request":
        response = client.post("/graphql", content=b"not json", headers={"content-type": "application/json"})
        assert response.status_code == 400
    else:
        response = client.request(method, path)
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, f"{what}: {name} is {response.headers.get(name)!r}"
    header = response.headers["content-security-policy"]
    for directive in VIEWS:
        assert directive in header + ";", f"{what}: {directive} is missing from {header}"
    policy = _policy(response)
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    assert policy["script-src"] == ["'self'"]
    assert all(source == "'self'" or source.startswith("'sha256-") for source in policy["style-src"])


class _Inline(HTMLParser):
    """What in a page the views' policy would refuse: inline scripts, handlers, style attributes, data: links."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.refused: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.refused.append(f"<{tag} {name}>")
            if name in ("href", "src") and (value or "").strip().lower().startswith(("data:", "javascript:")):
                self.refused.append(f"<{tag} {name}={value}>")
        if tag == "style":
            self.refused.append("<style>")
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.refused.append(f"an inline script: {data.strip()[:40]}")


def test_the_views_page_has_no_inline_script_handler_or_style(client: TestClient) -> None:
    page = _Inline()
    page.feed(client.get("/").text)
    assert page.scripts == [{"type": "module", "src": "js/main.js"}]
    assert not page.refused


def test_graphiql_is_served_from_this_origin_without_inline_script(client: TestClient) -> None:
    response = client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = _Inline()
    page.feed(response.text)
    sources = [script.get("src") or "" for script in page.scripts]
    assert sources and not page.refused  # script files only, no inline script or style
    for source in sources:  # each file it loads is served here, none from another origin
        assert not source.startswith(("http:", "https:", "//"))
        assert client.get(f"/{source}").status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert "https://unpkg.com" not in response.headers["content-security-policy"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    for name, value in COMMON.items():
        assert response.headers[name] == value


def test_the_views_policy_is_not_loosened_for_graphql_answers(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": "{ __typename }"})
    assert response.headers["content-type"].startswith("application/json")
    assert _policy(response)["script-src"] == ["'self'"]
