"""The built frontend runs under the Caddyfile's Content-Security-Policy: the chat page (with its
WebSocket) and the graph page (Mermaid) load in headless Chromium through Caddy without a single
policy violation, while an injected inline script is refused.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from restaurant.dev.stack import Stack

CHROMIUM = Path("/usr/bin/chromium")
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
def page(stack: Stack) -> Iterator[Any]:
    """A Chromium page that records CSP violations in `window.__violations`."""
    if not stack.frontend_built:
        pytest.skip("the frontend is not built (frontend/dist): nothing to check the CSP against")
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = browser.new_page()
            page.add_init_script(WATCH)
            yield page
        finally:
            browser.close()


def test_stack_frontend_runs_under_the_csp(stack: Stack, page: Any) -> None:
    """Chat and graph pages, a sent message, and no violation; an inline script is blocked."""
    page.goto(f"{stack.base_url}/")
    page.get_by_role("textbox").first.fill("a margherita pizza")
    page.keyboard.press("Enter")
    page.wait_for_timeout(1500)
    chat_violations = page.evaluate("window.__violations")
    page.goto(f"{stack.base_url}/#/graph")
    page.wait_for_selector("svg", timeout=20_000)
    page.wait_for_timeout(1000)
    graph_violations = page.evaluate("window.__violations")
    assert chat_violations == []
    assert graph_violations == []
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.head.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
