"""Browser journeys through Caddy and two app processes (`make stack`'s topology): the app that
holds the chat's WebSocket is killed with SIGKILL mid-conversation, the page reconnects through
Caddy to the other app, and the conversation carries on with its cart and history intact (all
state is in the stores); a kitchen account marks a dish sold out on the board and a customer's
chat, on whichever app, refuses it with alternatives. Screenshots go to
test-artifacts/e2e/stack-*.png.
"""

from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from restaurant.dev.stack import Stack
from tests.e2e.test_browser_journeys import add_staff, assert_accessible, random_local, read_code

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
TURN = 30_000  # ms a turn may take on a busy two-core machine

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"Chromium is not at {CHROMIUM} (apt-get install chromium)"
)


class Shots:
    """Numbered screenshots of one journey."""

    def __init__(self, page: Any, name: str) -> None:
        self.page = page
        self.name = name
        self.count = 0

    def __call__(self, step: str) -> None:
        """Save the viewport as test-artifacts/e2e/stack-<name>-NN-<step>.png."""
        self.count += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"stack-{self.name}-{self.count:02d}-{step}.png"))


@pytest.fixture
def page(stack: Stack, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh Chromium page at laptop size; errors thrown in the page fail the test."""
    if not stack.frontend_built:
        pytest.skip("the frontend is not built (frontend/dist)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1100, "height": 860})
        context.set_default_timeout(TURN)
        new_page = context.new_page()
        errors: list[str] = []
        new_page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield new_page
        finally:
            Shots(new_page, request.node.name.removeprefix("test_stack_"))("end")
            browser.close()
        assert not errors, f"errors in the page: {errors}"


def _wait_idle(page: Any) -> None:
    page.wait_for_function("() => !document.querySelector('.status-line .dots')")


def _say(page: Any, text: str) -> None:
    page.locator("#message").fill(text)
    page.keyboard.press("Enter")


def _socket_holder(stack: Stack) -> int:
    """The app that holds the page's WebSocket: the upstream with a request in flight. (A board's
    event stream left by an earlier journey ends at its next keep-alive, 15 s at most.)"""
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        busy = {u["address"] for u in stack.upstreams() if u.get("num_requests", 0) > 0}
        holders = [i for i, port in enumerate(stack.app_ports) if f"127.0.0.1:{port}" in busy]
        if len(holders) == 1:
            return holders[0]
        time.sleep(0.2)
    raise AssertionError(f"no single app holds the socket: {stack.upstreams()}")


def test_stack_kill_the_app_mid_conversation_and_keep_chatting(stack: Stack, page: Any) -> None:
    """Order, kill -9 the app behind the socket, order more: one cart, one conversation."""
    shot = Shots(page, "kill-app")
    page.goto(stack.base_url + "/")
    page.locator(".conn-open").wait_for()
    _say(page, "add a margherita pizza")
    page.locator("[data-card=CART_CARD]").last.wait_for()
    _wait_idle(page)
    shot("first-turn")

    holder = _socket_holder(stack)
    try:
        with page.expect_websocket(timeout=TURN):  # the page opens a new one, through Caddy
            stack.kill_app(holder)
        page.locator(".conn-open").wait_for()
        shot("reconnected")
        assert _socket_holder(stack) != holder

        _say(page, "add 2 cokes")
        page.wait_for_function(
            "() => document.querySelectorAll('[data-card=CART_CARD]').length === 2"
        )
        _wait_idle(page)
        shot("second-turn")
        cart = page.locator("[data-card=CART_CARD]").last
        assert cart.locator(".cart-line").count() == 2  # the pizza from before the kill is kept

        page.reload()
        page.locator("[data-card=CART_CARD]").last.wait_for()
        assert page.locator(".user-bubble").count() == 2
        shot("after-reload")
    finally:
        stack.restart_app(holder)


def _sold_out_everywhere(stack: Stack, item: str, deadline: float) -> None:
    """Wait until every app's menu says the item is sold out (each reads the menu's version at
    most a second apart), so the chat refuses it whichever app holds the socket."""
    for index in range(len(stack.app_ports)):
        while True:
            with urllib.request.urlopen(stack.app_url(index) + "/api/v1/menu", timeout=10) as got:
                menu = json.load(got)
            found = [i for c in menu["categories"] for i in c["items"] if i["key"] == item]
            if found and found[0]["available"] is False:
                break
            assert time.monotonic() < deadline, f"app {index} still offers {item}"
            time.sleep(0.1)


def test_stack_kitchen_marks_a_dish_sold_out_and_the_chat_offers_alternatives(
    stack: Stack, page: Any
) -> None:
    """A kitchen account signs in at /staff, finds the margherita in the board's sold-out panel
    and marks it sold out by keyboard; a customer asking for one in the chat is told it is sold
    out and offered other pizzas, with nothing put in the cart; marked back, it can be ordered."""
    shot = Shots(page, "sold-out")
    local = random_local()
    add_staff(stack.stores.postgres, f"+1415{local}", "Kim Kitchen", "kitchen")
    kitchen = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
    kitchen.set_default_timeout(TURN)
    board = kitchen.new_page()
    marked = False
    try:
        board.goto(stack.base_url + "/staff")
        board.get_by_label("Mobile number").fill(f"(415) {local[:3]}-{local[3:]}")
        sent_at = time.time()
        board.get_by_role("button", name="Send code").click()
        board.get_by_label("6-digit code").fill(
            read_code(stack.outbox_path, f"+1415{local}", sent_at)
        )
        board.get_by_role("button", name="Verify").click()
        board.get_by_role("heading", name="Sold out and paused").wait_for()
        board.get_by_label("Find a dish or an option").fill("margherita")
        board.get_by_role("button", name="Mark Margherita Pizza sold out").focus()
        board.keyboard.press("Enter")
        marked = True
        board.get_by_role("button", name="Mark Margherita Pizza available").wait_for()
        board.get_by_role("status").filter(has_text="Margherita Pizza marked sold out").wait_for()
        assert_accessible(board, "the board's sold-out panel")
        _sold_out_everywhere(stack, "margherita_pizza", time.monotonic() + 15)

        page.goto(stack.base_url + "/")
        page.locator(".conn-open").wait_for()
        _say(page, "a margherita pizza please")
        page.locator(".assistant-bubble", has_text="sold out").last.wait_for()
        _wait_idle(page)
        reply = page.locator(".assistant-bubble").last.inner_text()
        assert "Margherita Pizza is sold out" in reply, reply
        assert "How about Classic Cheese Pizza" in reply, reply
        assert page.locator("[data-card=CART_CARD]").count() == 0
        shot("refused")

        board.get_by_role("button", name="Mark Margherita Pizza available").click()
        board.get_by_role("button", name="Mark Margherita Pizza sold out").wait_for()
        marked = False
    finally:
        if marked:  # never leave the other journeys a sold-out pizza
            kitchen.request.patch(
                stack.base_url + "/api/v1/staff/menu/items/margherita_pizza",
                data={"available": True},
            )
        kitchen.close()
