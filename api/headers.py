"""Security headers on every response: a Content-Security-Policy without inline script, and the usual others.

    app.add_middleware(SecurityHeaders)        # in create_app, after the other middleware: outermost

Every response (the views, their static files, /graphql, /health, errors) gets

- `Content-Security-Policy: VIEWS_POLICY`: scripts, styles, images, fonts and requests from this
  origin only; no inline script or event handler, no plugins, no `<base>`, no framing, forms post here;
- `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`.

What the views need beyond `'self'`: ECharts and Cytoscape set element styles through the CSSOM
(`element.style.…`), which a policy does not restrict, so neither `'unsafe-inline'` nor
`'unsafe-eval'` is given. Cytoscape adds one `<style>` element to the page
(`.__________cytoscape_container { position: relative; }`); it is allowed by its hash rather than by
`'unsafe-inline'` for styles, so a new Cytoscape that writes another rule shows up as a violation in
the views' tests.

GraphiQL (the HTML page at `GET /graphql`, `api/static/graphiql.html`) loads React, ReactDOM and
GraphiQL from this origin (`api/static/vendor/`, from `scripts/vendor-web`) and starts them with a
script file, so that it too runs no inline script and asks no other origin. Its page gets
`GRAPHIQL_POLICY`: the views' without Cytoscape's style, with `data:` fonts and images (its stylesheet
carries its fonts and icons as `data:` URLs). It needs no `'unsafe-eval'` and no inline style
(CodeMirror and React set styles through the CSSOM), so neither is given: the GraphiQL test fails
on any violation.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["GRAPHIQL_POLICY", "HEADERS", "VIEWS_POLICY", "SecurityHeaders", "policy_for"]

#: the `<style>` Cytoscape writes into the page, by its sha256 (see the module docstring)
CYTOSCAPE_STYLE = "'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='"

_LOCKED = "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

VIEWS_POLICY = (
    "default-src 'self'; script-src 'self'; "
    f"style-src 'self' {CYTOSCAPE_STYLE}; img-src 'self'; font-src 'self'; connect-src 'self'; {_LOCKED}"
)

GRAPHIQL_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    f"font-src 'self' data:; connect-src 'self'; {_LOCKED}"
)

#: the headers every response carries besides its policy
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}

GRAPHQL_PATH = "/graphql"


def policy_for(path: str, method: str, content_type: str) -> str:
    """The Content-Security-Policy of a response: GRAPHIQL_POLICY for the GraphiQL page, else VIEWS_POLICY.

    >>> policy_for("/graphql", "GET", "text/html; charset=utf-8") == GRAPHIQL_POLICY
    True
    >>> policy_for("/graphql", "GET", "application/json") == VIEWS_POLICY
    True
    """
    graphiql = path == GRAPHQL_PATH and method == "GET" and content_type.startswith("text/html")
    return GRAPHIQL_POLICY if graphiql else VIEWS_POLICY


class SecurityHeaders:
    """A plain ASGI middleware that sets the security headers on every HTTP response it passes on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                content_type = headers.get("content-type", "")
                headers["Content-Security-Policy"] = policy_for(scope["path"], scope["method"], content_type)
                for name, value in HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
