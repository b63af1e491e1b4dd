"""The browser chat, end to end: headless Chromium (Debian's, through Playwright) drives the built
frontend served by the app on the test session's embedded stores.

Journeys: browse the menu from a card, add an item with options, change a quantity in the cart
card, sign in with the code read from the outbox, check out for pickup, see the confirmation, and
reload to see the whole conversation and its cards again; the graph page lighting up during a
turn; a phone-sized screen used by keyboard; the kitchen's order board (/staff) signing in,
hearing of a customer's new order and moving it by keyboard; a manager's analytics
(/staff/analytics) counting an order placed in the chat. axe-core, injected into the page,
finds no violations on the chat, the graph page, the board and the analytics. Each saves
screenshots to test-artifacts/e2e/.

`e2e_base_url` and `e2e_outbox` are the only things a journey needs from the server. By default
they come from one app served in this process; with E2E_STACK=1 they come from the `stack`
fixture (conftest.py: Caddy in front of two app processes), the same journeys through the proxy.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.harness import newest_mtime
from restaurant.processes import free_port
from restaurant.settings import Settings
from tests.conftest import LOOPBACK_SESSIONS, redis_db_url

REPO = Path(__file__).resolve().parents[2]
FRONTEND = REPO / "frontend"
DIST = FRONTEND / "dist"
ARTIFACTS = REPO / "test-artifacts" / "e2e"
# E2E_DOCS_SCREENSHOTS=1 also refreshes the README's pictures in docs/screenshots/.
DOCS = REPO / "docs" / "screenshots" if os.environ.get("E2E_DOCS_SCREENSHOTS") else None
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TURN = 30_000  # ms a turn may take on a busy two-core machine

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"Chromium is not at {CHROMIUM} (apt-get install chromium)"
    ),
    # The first journey may also build the frontend (npm ci + vite build) on a busy machine.
    pytest.mark.timeout(900),
]


# --- the frontend ---------------------------------------------------------------------------


def _npm(*args: str) -> None:
    result = subprocess.run(
        ["npm", *args], cwd=FRONTEND, capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"npm {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )


@pytest.fixture(scope="session")
def frontend_dist() -> Path:
    """frontend/dist, built (`npm ci && npm run build`) when missing or older than its sources."""
    sources = [
        FRONTEND / n
        for n in (
            "src",
            "public",
            "index.html",
            "staff",
            "package.json",
            "package-lock.json",
            "vite.config.ts",
        )
    ]
    built = DIST / "index.html"
    if not built.exists() or built.stat().st_mtime < newest_mtime(sources):
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed: the frontend cannot be built")
        installed = FRONTEND / "node_modules" / ".package-lock.json"
        if (
            not installed.exists()
            or installed.stat().st_mtime < (FRONTEND / "package-lock.json").stat().st_mtime
        ):
            _npm("ci", "--no-audit", "--no-fund")
        _npm("run", "build")
    return DIST


# --- the app --------------------------------------------------------------------------------


@dataclass
class RunningApp:
    """An app served by uvicorn in a thread of this process."""

    base_url: str
    settings: Settings


@pytest.fixture(scope="session")
def e2e_database(make_seeded_database: Callable[[str], str]) -> str:
    """A migrated database with the demo menu, used by these journeys alone."""
    return make_seeded_database("browser")


@pytest.fixture(scope="session")
def e2e_app(
    e2e_database: str,
    redis_url: str,
    mongo_url: str,
    frontend_dist: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningApp]:
    """The app with the built frontend at `/`, on a free port, on the session's stores."""
    import uvicorn

    from restaurant.app import create_app

    redis = redis_db_url(redis_url, 5)  # rate limits of our own
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        db={"url": e2e_database},
        redis={"url": redis},
        mongo={"url": mongo_url, "database": "e2e_browser"},
        data_dir=tmp_path_factory.mktemp("browser-app"),
        frontend_dir=frontend_dist,
        auth={"new_sessions_per_address": LOOPBACK_SESSIONS},  # every page from 127.0.0.1
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="e2e-app", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start for the browser journeys")
        time.sleep(0.1)
    yield RunningApp(base_url=f"http://127.0.0.1:{port}", settings=settings)
    server.should_exit = True
    thread.join(timeout=30)


THROUGH_STACK = bool(os.environ.get("E2E_STACK"))


@pytest.fixture(scope="session")
def e2e_server(request: pytest.FixtureRequest, frontend_dist: Path) -> Any:
    """What serves the journeys: the in-process app, or (E2E_STACK=1) Caddy + two apps."""
    return request.getfixturevalue("stack" if THROUGH_STACK else "e2e_app")


@pytest.fixture(scope="session")
def e2e_base_url(e2e_server: Any) -> str:
    """Where the browser goes."""
    return str(e2e_server.base_url)


@pytest.fixture(scope="session")
def e2e_outbox(e2e_server: Any) -> Path:
    """The file the one-time codes are written to."""
    return Path(e2e_server.outbox_path if THROUGH_STACK else e2e_server.settings.outbox_path)


@pytest.fixture(scope="session")
def e2e_database_url(e2e_server: Any) -> str:
    """The database the server reads: where staff members are added."""
    return str(e2e_server.stores.postgres if THROUGH_STACK else e2e_server.settings.db.url)


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(e2e_base_url: str) -> Iterator[Any]:
    """Debian's Chromium, headless.

    Module-scoped, and after the server: Playwright's sync API keeps an event loop running in
    this thread while it is open, and fixtures that call `asyncio.run` must not come after it.
    """
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Journey:
    """A page with a name: screenshots go to test-artifacts/e2e/<name>-NN-<step>.png."""

    def __init__(self, page: Any, name: str) -> None:
        self.page = page
        self.name = name
        self.shots = 0
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def shot(self, step: str) -> Path:
        """Save a screenshot of the viewport."""
        self.shots += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{step}.png"
        self.page.screenshot(path=str(path))
        return path

    def doc(self, name: str) -> None:
        """Save the viewport as docs/screenshots/<name>.png, when asked to."""
        if DOCS is not None:
            DOCS.mkdir(parents=True, exist_ok=True)
            path = DOCS / f"{name}.png"
            self.page.screenshot(path=str(path))
            # 256 colours are plenty for a flat UI and keep the committed pictures small.
            from PIL import Image

            with Image.open(path) as picture:
                small = picture.convert("RGB").quantize(256, dither=Image.Dither.NONE)
            small.save(path, optimize=True)


@pytest.fixture
def journey(browser: Any, request: pytest.FixtureRequest) -> Iterator[Journey]:
    """A fresh browser context (own cookies and storage) at a laptop size."""
    context = browser.new_context(viewport={"width": 1100, "height": 860})
    context.set_default_timeout(TURN)
    trip = Journey(context.new_page(), request.node.name.removeprefix("test_"))
    yield trip
    trip.shot("end")  # where it stopped, passed or not
    context.close()
    assert not trip.errors, f"errors in the page: {trip.errors}"


# --- helpers --------------------------------------------------------------------------------


def open_chat(page: Any, base_url: str) -> None:
    """Open the chat and wait for the socket."""
    page.goto(base_url + "/")
    page.locator(".conn-open").wait_for()


def wait_idle(page: Any) -> None:
    """Wait until no turn is running (the status line is empty)."""
    page.wait_for_function("() => !document.querySelector('.status-line .dots')")


def card(page: Any, name: str) -> Any:
    """The last card of a kind."""
    return page.locator(f"[data-card={name}]").last


def read_code(outbox: Path, phone_e164: str, after: float) -> str:
    """The newest one-time code sent to the phone, written after `after` (epoch seconds)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if outbox.exists():
            for line in reversed(outbox.read_text().splitlines()):
                message = json.loads(line)
                if message.get("to") == phone_e164 and outbox.stat().st_mtime >= after - 1:
                    found = re.search(r"\b\d{6}\b", str(message.get("code") or message["text"]))
                    assert found, f"no 6-digit code in {message}"
                    return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no code for {phone_e164} in {outbox}")


AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"  # a devDependency of the frontend


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is now, one line each: rule, impact, where."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, so the page's Content-Security-Policy (which
        # refuses inline scripts) does not stop it.
        page.evaluate(AXE.read_text() + "\n;0")
    # Cards rise in and new orders pulse: colours are judged once those finite animations end.
    found: list[str] = page.evaluate(
        """async () => {
            await Promise.all(document.getAnimations()
                .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
                .map((a) => a.finished.catch(() => null)));
            const result = await axe.run(document, { resultTypes: ["violations"] });
            return result.violations.map((v) =>
                `${v.id} (${v.impact}): ${v.nodes.map((n) =>
                    `${n.target.join(" ")}: ${n.failureSummary}`).join("; ")}`);
        }"""
    )
    return found


def assert_accessible(page: Any, where: str) -> None:
    """No axe-core violations on the page."""
    violations = axe_violations(page)
    assert not violations, f"axe-core on {where}:\n" + "\n".join(violations)


def random_local() -> str:
    """Seven digits for a (415) number no other journey uses."""
    return f"{random.randint(200, 999)}{random.randint(0, 9999):04d}"


def add_staff(database_url: str, phone_e164: str, name: str, role: str) -> None:
    """A staff member, as `restaurant staff add` makes one. In a thread of its own: Playwright's
    sync API keeps an event loop in this one."""
    from restaurant.db.engine import create_engine, session_factory
    from restaurant.db.models import StaffRole
    from restaurant.services.staff import StaffService

    settings = Settings(_env_file=None, db={"url": database_url})  # type: ignore[call-arg]

    async def add() -> None:
        engine = create_engine(settings.db, database_url)
        try:
            await StaffService(session_factory(engine)).add(phone_e164, name, StaffRole(role))
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(add())).result(timeout=60)


def place_order_over_rest(api: Any, base_url: str, outbox: Path) -> str:
    """A customer's order of two cokes for pickup, through the REST API; its number."""
    sid = api.post(f"{base_url}/api/v1/sessions", data={}).json()["session_id"]
    turn = api.post(f"{base_url}/api/v1/chat/{sid}/stream", data={"message": "add 2 cokes"})
    assert turn.ok, turn.text()
    local = random_local()
    sent_at = time.time()
    sent = api.post(f"{base_url}/api/v1/auth/otp", data={"phone": f"(415) {local}"})
    assert sent.ok, sent.text()
    code = read_code(outbox, f"+1415{local}", sent_at)
    verified = api.post(
        f"{base_url}/api/v1/auth/verify", data={"phone": f"(415) {local}", "code": code}
    )
    assert verified.ok, verified.text()
    placed = api.post(
        f"{base_url}/api/v1/orders",
        data={"session_id": sid, "order_type": "pickup"},
        headers={"Idempotency-Key": f"e2e-board-{random.randint(0, 10**9)}"},
    )
    assert placed.status == 201, placed.text()
    return str(placed.json()["number"])


def place_order_in_chat(api: Any, base_url: str, outbox: Path) -> str:
    """A customer's order of two cokes for pickup, said in the chat (signed in over REST first):
    the turn that places it leaves the transcript and the `order_placed` event the analytics
    read. Its number."""
    sid = api.post(f"{base_url}/api/v1/sessions", data={}).json()["session_id"]
    local = random_local()
    sent_at = time.time()
    sent = api.post(f"{base_url}/api/v1/auth/otp", data={"phone": f"(415) {local}"})
    assert sent.ok, sent.text()
    code = read_code(outbox, f"+1415{local}", sent_at)
    verified = api.post(
        f"{base_url}/api/v1/auth/verify", data={"phone": f"(415) {local}", "code": code}
    )
    assert verified.ok, verified.text()
    for message in ("add 2 cokes", "checkout", "pickup", "yes"):
        turn = api.post(f"{base_url}/api/v1/chat/{sid}/stream", data={"message": message})
        assert turn.ok, turn.text()
    orders = api.get(f"{base_url}/api/v1/orders").json()
    listed = orders["orders"] if isinstance(orders, dict) else orders
    assert listed, f"the chat placed no order: {turn.text()[-2000:]}"
    return str(listed[0]["number"])


def figure(page: Any, name: str) -> str:
    """A figure of the analytics' "At a glance", by its name."""
    term = page.locator("dt", has_text=re.compile(f"^{re.escape(name)}$"))
    return str(page.locator(".analytics-figures > div").filter(has=term).locator("dd").inner_text())


def focused_label(page: Any) -> str | None:
    """The aria-label of the element that has the keyboard's focus."""
    label: str | None = page.evaluate("() => document.activeElement?.getAttribute('aria-label')")
    return label


def session_id(page: Any) -> str:
    """The chat session the page keeps in localStorage."""
    value = page.evaluate("() => localStorage.getItem('restaurant.session_id')")
    assert value, "the page keeps its session id"
    return str(value)


# --- journeys -------------------------------------------------------------------------------


def test_order_from_menu_card_to_confirmation_and_back_after_reload(
    journey: Journey, e2e_base_url: str, e2e_outbox: Path
) -> None:
    """Menu card -> options -> cart card +1 -> sign in with the outbox code -> pickup -> order;
    a reload shows every message and card again."""
    page = journey.page
    open_chat(page, e2e_base_url)
    journey.shot("start")

    # Browse the menu from a card.
    page.get_by_role("button", name="Show the menu").click()
    menu = card(page, "MENU_CARD")
    menu.wait_for()
    wait_idle(page)
    journey.shot("menu")
    assert_accessible(page, "the chat with a menu card")
    show_all = menu.get_by_role("button", name=re.compile(r"^Show all \d+ dishes$"))
    if show_all.count():
        show_all.click()

    # Add an item with options.
    menu.get_by_role("button", name="Add Pepperoni Pizza, choose options").click()
    dialog = page.get_by_role("dialog", name="Pepperoni Pizza")
    dialog.wait_for()
    dialog.get_by_label('Large 14"').check()
    dialog.get_by_label("Thin Crust").check()
    dialog.get_by_role("checkbox", name=re.compile(r"^Mushrooms")).check()
    dialog.get_by_label("Amount of Mushrooms").select_option("extra")
    dialog.get_by_role("button", name="One more").click()
    journey.shot("options")
    dialog.get_by_role("button", name=re.compile(r"^Add to order")).click()
    cart = card(page, "CART_CARD")
    cart.wait_for()
    wait_idle(page)
    line = cart.locator(".cart-line", has_text="Pepperoni Pizza")
    assert "extra Mushrooms" in line.inner_text()
    assert "Thin Crust" in line.inner_text()
    assert line.locator("output.qty").inner_text() == "2"
    journey.shot("cart")

    # Change a quantity in the cart card.
    line.get_by_role("button", name="One more Pepperoni Pizza").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-card=CART_CARD] .cart-line output.qty')]"
        ".some(o => o.textContent === '3')"
    )
    # The button stayed focused through the change (a disabled one would drop it to the body).
    assert focused_label(page) == "One more Pepperoni Pizza"
    sid = session_id(page)
    stored = page.request.get(f"{e2e_base_url}/api/v1/chat/{sid}/cart").json()
    assert [ln["quantity"] for ln in stored["lines"] if ln["item"] == "pepperoni_pizza"] == [3]
    journey.shot("cart-changed")
    journey.doc("chat-cart")
    assert_accessible(page, "the chat with a cart card")

    # Check out: sign in inside the chat with the code from the outbox.
    cart.get_by_role("button", name="Checkout", exact=True).click()
    auth = card(page, "AUTH_REQUIRED")
    auth.get_by_label("Mobile number").wait_for()
    wait_idle(page)
    local = f"{random.randint(200, 999)}{random.randint(0, 9999):04d}"
    sent_at = time.time()
    auth.get_by_label("Mobile number").fill(f"(415) {local[:3]}-{local[3:]}")
    journey.shot("phone")
    auth.get_by_role("button", name="Send code").click()
    code_box = card(page, "AUTH_REQUIRED").get_by_label("6-digit code")
    code_box.wait_for()
    wait_idle(page)
    assert re.search(r"Resend code in \d+s", card(page, "AUTH_REQUIRED").inner_text())
    code = read_code(e2e_outbox, f"+1415{local}", sent_at)
    code_box.fill(code)
    journey.shot("code")
    card(page, "AUTH_REQUIRED").get_by_role("button", name="Verify").click()

    # Pickup, then place the order from the summary card.
    page.get_by_role("group", name="Suggestions").get_by_role("button", name="Pickup").click()
    summary = page.locator("[data-card=CART_CARD]", has_text="Review your order").last
    summary.wait_for()
    wait_idle(page)
    journey.shot("review")
    summary.get_by_role("button", name=re.compile(r"^Place order")).click()
    order = card(page, "ORDER_DATA")
    order.wait_for()
    wait_idle(page)
    text = order.inner_text()
    assert re.search(r"Order #\w+", text)
    assert "Pickup" in text and "Placed" in text and "Ready for pickup at" in text
    assert "3 × Pepperoni Pizza" in text
    journey.shot("confirmation")
    journey.doc("chat-order")
    assert_accessible(page, "the chat with an order card")

    # Reload: the same conversation, cards included.
    def conversation() -> dict[str, Any]:
        return {
            "user": page.locator(".user-bubble").all_inner_texts(),
            "cards": page.locator("[data-card]").evaluate_all(
                "els => els.map(e => e.dataset.card)"
            ),
            "replies": page.locator(".assistant-bubble:not(.welcome)").count(),
        }

    before = conversation()
    page.reload()
    card(page, "ORDER_DATA").wait_for()
    after = conversation()
    assert after == before
    assert session_id(page) == sid
    assert re.search(r"Order #\w+", card(page, "ORDER_DATA").inner_text())
    journey.shot("reloaded")


def test_graph_page_lights_up_the_running_nodes(journey: Journey, e2e_base_url: str) -> None:
    """The graph page draws the agent and marks the nodes a turn passes through."""
    page = journey.page
    page.goto(e2e_base_url + "/#/graph")
    page.locator(".conn-open").wait_for()
    page.locator(".graph-picture svg g.node").first.wait_for()
    assert page.locator(".graph-picture g.node").count() >= 5
    journey.shot("drawn")
    assert_accessible(page, "the graph page")
    page.get_by_label("Message").fill("what's vegetarian?")
    page.get_by_role("button", name="Send").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.graph-picture g.node.node-visited').length >= 2"
    )
    page.get_by_text(re.compile(r"^Last turn: ")).wait_for()
    visited = page.locator("g.node.node-visited").evaluate_all("els => els.map(e => e.id)")
    assert any("understand" in v for v in visited)
    journey.shot("lit")
    journey.doc("graph")


def test_phone_sized_screen_by_keyboard(browser: Any, e2e_base_url: str) -> None:
    """At 390x844 nothing scrolls sideways, and the chat works from the keyboard alone."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    context.set_default_timeout(TURN)
    page = context.new_page()
    trip = Journey(page, "phone_sized_screen_by_keyboard")
    try:
        open_chat(page, e2e_base_url)
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Enter")
        page.locator("#message").focus()
        page.keyboard.type("show me the pizzas")
        page.keyboard.press("Enter")
        card(page, "MENU_CARD").wait_for()
        wait_idle(page)
        trip.shot("menu")
        trip.doc("phone")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        add = card(page, "MENU_CARD").get_by_role("button", name=re.compile(r"^Add ")).first
        add.focus()
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        trip.shot("dialog")
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        page.wait_for_function("() => document.activeElement !== document.body")
        assert (focused_label(page) or "").startswith("Add "), "the focus is back on Add"
        assert not trip.errors, trip.errors
    finally:
        context.close()


def _conversation(page: Any) -> dict[str, Any]:
    return {
        "user": page.locator(".user-bubble").all_inner_texts(),
        "replies": page.locator(".assistant-bubble:not(.welcome)").all_inner_texts(),
        "cards": page.locator("[data-card]").evaluate_all("els => els.map(e => e.dataset.card)"),
    }


def test_dropped_websocket_mid_turn_reconnects_and_resumes_without_loss_or_repeats(
    journey: Journey, e2e_base_url: str
) -> None:
    """The socket is cut right after a turn's cart card: the reconnect catches up on the rest of
    the turn (its reply and RUN_FINISHED) from the resume stream, each event shown once."""
    page = journey.page
    cut = {"done": False}
    sockets: list[Any] = []
    resumes: list[str] = []
    page.on(
        "request", lambda r: resumes.append(r.url) if "/stream?last_event_id=" in r.url else None
    )

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        sockets.append(ws)

        def from_server(message: str | bytes) -> None:
            ws.send(message)
            if not cut["done"] and isinstance(message, str) and '"CART_CARD"' in message:
                cut["done"] = True
                ws.close(code=1012, reason="test: connection lost")
                server.close()

        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/api/v1/chat/[^/]+$"), route)
    open_chat(page, e2e_base_url)
    page.get_by_role("button", name="Show the menu").click()
    card(page, "MENU_CARD").wait_for()
    wait_idle(page)

    page.locator("#message").fill("add 2 cokes")
    page.keyboard.press("Enter")
    card(page, "CART_CARD").wait_for()
    page.locator(".conn-open").wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.assistant-bubble:not(.welcome)')].length >= 2"
    )
    wait_idle(page)
    assert cut["done"] and len(sockets) >= 2, "the socket was cut and opened again"
    assert resumes, "the reconnect asked for the events after the last one seen"
    journey.shot("resumed")
    live = _conversation(page)
    assert live["cards"] == ["MENU_CARD", "CART_CARD"]
    assert len(live["replies"]) == 2 and len(set(live["replies"])) == 2

    # The conversation after a catch-up is the one the server keeps.
    page.reload()
    card(page, "CART_CARD").wait_for()
    assert _conversation(page) == live

    # And the chat goes on over the new socket.
    page.locator("#message").fill("view my cart")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('[data-card=CART_CARD]').length === 2")
    wait_idle(page)
    assert page.locator(".user-bubble").count() == 3


def test_sse_transport_holds_a_conversation_and_reload_restores_it(
    journey: Journey, e2e_base_url: str
) -> None:
    """`?transport=sse`: turns run through @ag-ui/client's HttpAgent on POST /api/v1/agui; the
    history after a reload comes from GET .../messages."""
    page = journey.page
    posts: list[str] = []
    page.on(
        "request",
        lambda r: (
            posts.append(r.url) if r.method == "POST" and r.url.endswith("/api/v1/agui") else None
        ),
    )
    page.goto(e2e_base_url + "/?transport=sse")
    page.locator(".conn-open").wait_for()
    assert page.get_by_label("Transport").input_value() == "sse"
    page.get_by_role("button", name="Show the menu").click()
    card(page, "MENU_CARD").wait_for()
    wait_idle(page)
    page.locator("#message").fill("add a lemonade")
    page.keyboard.press("Enter")
    card(page, "CART_CARD").wait_for()
    wait_idle(page)
    assert len(posts) == 2
    journey.shot("sse")
    before = _conversation(page)
    page.reload()
    card(page, "CART_CARD").wait_for()
    assert _conversation(page) == before


def test_kitchen_board_hears_of_a_new_order_and_moves_it_by_keyboard(
    browser: Any, e2e_base_url: str, e2e_outbox: Path, e2e_database_url: str
) -> None:
    """A kitchen member signs in at /staff; a customer's order appears on the board as new
    (highlighted, announced), and is accepted, prepared and made ready from the keyboard, the
    focus following it from column to column; the customer's order says ready. A customer who
    opens /staff is told they are not staff."""
    local = random_local()
    add_staff(e2e_database_url, f"+1415{local}", "Kim Kitchen", "kitchen")
    kitchen = browser.new_context(viewport={"width": 1400, "height": 900})
    kitchen.set_default_timeout(TURN)
    trip = Journey(kitchen.new_page(), "kitchen_board")
    customer = browser.new_context(viewport={"width": 1100, "height": 860})
    customer.set_default_timeout(TURN)
    page = trip.page
    try:
        page.goto(e2e_base_url + "/staff")
        page.get_by_label("Mobile number").fill(f"(415) {local[:3]}-{local[3:]}")
        assert_accessible(page, "the staff sign-in")
        sent_at = time.time()
        page.get_by_role("button", name="Send code").click()
        code = read_code(e2e_outbox, f"+1415{local}", sent_at)
        page.get_by_label("6-digit code").fill(code)
        page.get_by_role("button", name="Verify").click()
        page.get_by_role("heading", name=re.compile(r"^New")).wait_for()
        assert "Kim Kitchen" in page.locator(".staff-who").inner_text()
        trip.shot("board")
        assert_accessible(page, "the empty board")

        number = place_order_over_rest(customer.request, e2e_base_url, e2e_outbox)
        # Without /api/v1/staff/events the board re-reads its list every 5 s.
        ticket = page.locator(f'.column-placed [data-order="{number}"]')
        ticket.wait_for(timeout=15_000)
        text = ticket.inner_text()
        assert "New" in ticket.locator("h3").inner_text()
        assert re.search(r"2 × .*Coca-Cola", text), text
        assert "Pickup" in text and "Promised" in text and "*" in text  # the masked phone
        live = page.locator(".board-page [role=status]")
        assert f"New order #{number}" in live.inner_text()
        trip.shot("new-order")
        trip.doc("board")
        assert_accessible(page, "the board with a new order")

        for button, column in (
            ("Accept", "accepted"),
            ("Start preparing", "preparing"),
            ("Mark ready", "ready"),
        ):
            page.locator(f'[data-order="{number}"]').get_by_role(
                "button", name=button, exact=True
            ).focus()
            page.keyboard.press("Enter")
            page.locator(f'.column-{column} [data-order="{number}"]').wait_for()
            page.wait_for_function(
                f"() => document.activeElement?.dataset?.order === {json.dumps(number)}"
            )
        trip.shot("ready")
        mine = customer.request.get(f"{e2e_base_url}/api/v1/orders/{number}")
        assert mine.ok and mine.json()["status"] == "ready", mine.text()

        # The customer's own session is signed in, but not as staff.
        other = customer.new_page()
        other.goto(e2e_base_url + "/staff")
        other.get_by_role("heading", name="This phone is not on the staff").wait_for()
        assert_accessible(other, "the board for a customer")

        # The analytics are the managers': a kitchen account is told so (the API's 403).
        page.goto(e2e_base_url + "/staff/analytics")
        page.get_by_role("heading", name="Managers only").wait_for()
        assert_accessible(page, "the analytics for a kitchen account")
    finally:
        trip.shot("end")
        customer.close()
        kitchen.close()
    assert not trip.errors, f"errors in the page: {trip.errors}"


def test_manager_sees_a_chat_order_in_the_analytics(
    browser: Any, e2e_base_url: str, e2e_outbox: Path, e2e_database_url: str
) -> None:
    """A manager signs in at /staff/analytics and sees the last 7 days; a customer orders two
    cokes in the chat; the manager asks again and the order is in the figures: one more order,
    Coca-Cola among the top items. Each chart has its table, and axe-core finds no violations."""
    local = random_local()
    add_staff(e2e_database_url, f"+1415{local}", "Mia Manager", "manager")
    manager = browser.new_context(viewport={"width": 1280, "height": 1000})
    manager.set_default_timeout(TURN)
    trip = Journey(manager.new_page(), "manager_analytics")
    customer = browser.new_context(viewport={"width": 1100, "height": 860})
    customer.set_default_timeout(TURN)
    page = trip.page
    try:
        page.goto(e2e_base_url + "/staff/analytics")
        page.get_by_label("Mobile number").fill(f"(415) {local[:3]}-{local[3:]}")
        sent_at = time.time()
        page.get_by_role("button", name="Send code").click()
        code = read_code(e2e_outbox, f"+1415{local}", sent_at)
        page.get_by_label("6-digit code").fill(code)
        page.get_by_role("button", name="Verify").click()
        page.get_by_role("heading", name="At a glance").wait_for()
        assert "Mia Manager" in page.locator(".staff-who").inner_text()
        # The last 7 days, today included, by default.
        first, last = (
            page.get_by_label("From", exact=True).input_value(),
            page.get_by_label("To", exact=True).input_value(),
        )
        assert first and last and first < last, (first, last)
        before = int(figure(page, "Orders"))

        number = place_order_in_chat(customer.request, e2e_base_url, e2e_outbox)
        # The transcripts are written in the background: ask again until the order is counted.
        deadline = time.monotonic() + 30
        while int(figure(page, "Orders")) == before and time.monotonic() < deadline:
            page.get_by_role("button", name="Show", exact=True).click()
            page.wait_for_function(
                "() => !document.querySelector('[role=status]')?.textContent?.includes('Reading')"
            )
            time.sleep(0.5)
        assert int(figure(page, "Orders")) == before + 1, f"order {number} is not in the figures"
        items = page.locator("section", has=page.get_by_role("heading", name="Top items"))
        assert re.search(r"Coca-Cola", items.locator("table").inner_text())
        # Each chart is an image with its summary for a name, and a table of the same figures.
        charts = page.locator("canvas[role=img]")
        assert charts.count() >= 2  # per day and the top items; the options when any were chosen
        assert "orders" in (charts.first.get_attribute("aria-label") or "")
        assert page.locator(".analytics-table").count() == charts.count()
        page.get_by_role("heading", name="Not understood, newest first").wait_for()
        trip.shot("figures")
        trip.doc("analytics")
        assert_accessible(page, "the analytics")

        # A range in the future has no orders; a reversed one is refused before asking.
        page.get_by_label("From", exact=True).fill("2099-01-01")
        page.get_by_label("To", exact=True).fill("2099-01-07")
        page.get_by_role("button", name="Show", exact=True).click()
        page.wait_for_function(
            "() => document.querySelector('[role=status]')?.textContent?.includes('Jan 7')"
        )
        assert figure(page, "Orders") == "0"
        page.get_by_label("To", exact=True).fill("2098-12-01")
        page.get_by_role("button", name="Show", exact=True).click()
        page.get_by_role("alert").filter(has_text="before the first").wait_for()
        assert_accessible(page, "the analytics with a wrong range")
    finally:
        trip.shot("end")
        customer.close()
        manager.close()
    assert not trip.errors, f"errors in the page: {trip.errors}"
