"""GraphiQL at GET /graphql in Chromium with every request to another origin refused (an intranet).

The page loads React, ReactDOM and GraphiQL from this origin (`scripts/vendor-web`), under its own
Content-Security-Policy (api/headers.py): the test fails on a refused request, a script error or a
policy violation, runs the example query and reads the answer in the result pane.
"""

from __future__ import annotations

import json
from typing import Any

from tests.views.conftest import Server

TIMEOUT_MS = 20_000

#: collects the page's policy violations from the time it starts
VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation", (event) =>
  window.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""


def test_graphiql_runs_a_query_with_no_other_origin(browser: Any, server: Server) -> None:
    context = browser.new_context(base_url=server.base, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(VIOLATIONS)
    elsewhere: list[str] = []
    errors: list[str] = []

    def only_here(route: Any) -> None:
        if route.request.url.startswith(server.base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        page.goto("/graphql")
        page.wait_for_selector(".graphiql-query-editor .CodeMirror")
        assert "权责清单" in page.inner_text(".graphiql-query-editor")  # our example, in Chinese
        page.click(".graphiql-execute-button")
        page.wait_for_function("() => document.querySelector('.result-window')?.innerText.includes('}')")
        answer = json.loads(
            page.evaluate("document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()")
        )
        expected = server.query("{ powerItems(first: 1) { totalCount } }")["powerItems"]["totalCount"]
        assert answer["data"]["powerItems"]["totalCount"] == expected
        assert len(answer["data"]["powerItems"]["edges"]) == 5
        assert page.locator(".graphiql-editor-tools", has_text="Headers").count() == 1  # for a token
        assert page.evaluate("window.violations") == []
    finally:
        context.close()
    assert elsewhere == [] and errors == []
