"""Order board rendering benchmark: the staff's board with 500 open orders, in headless Chromium.

    uv run python -m bench.board_render                       # 500 orders, 20 timed loads
    uv run python -m bench.board_render --orders 50 --runs 3  # a quick look
    uv run python -m bench.board_render --against /tmp/before  # A/B with another build

Fills the board through the real service: `--orders` customers each hold a short chat (SSE:
two pizzas, sign in with the code from the outbox, pickup, "yes"), `--at-once` at a time, and
the kitchen moves a fifth of the orders to accepted, a fifth to preparing and a fifth to ready
(`POST /api/v1/staff/orders/{number}/status`), so every column holds some. Then Debian's
Chromium (Playwright drives it; `CHROMIUM` names another binary), signed in as a kitchen member
(the session cookie of a sign-in over REST), loads /staff `--runs` times (after one warm-up
load that is reported apart). The built frontend (frontend/dist, built with npm when missing or
older than its sources) is served by the app itself, as in production behind Caddy.

Each load is timed in the page (`performance.now()`, on the page's own clock):

- render: from the last byte of `GET /api/v1/staff/orders` (its Resource Timing `responseEnd`)
  to the first frame painted with every order's ticket in the DOM (a MutationObserver sees the
  last ticket arrive; a `requestAnimationFrame` and a task after it mark the frame as painted).
  That is the board's own work: JSON parsing, the reducer, React's render and commit, style,
  layout and paint. Target: under 200 ms.
- in the DOM: from the same `responseEnd` to the MutationObserver seeing the last ticket.
- load: from the navigation's start to that painted frame (the page's scripts, `GET
  /staff/me`, the list's request and the render).

With `--against DIR` (another build of the frontend, e.g. `npx vite build --outDir /tmp/before`
at an older commit), the two builds load alternately in the same browser session on the same
board (Playwright serves DIR's files for that build's loads; the API is the app's), so a drift
of the machine's speed falls on both; the other build's figures are reported as `against`.

Writes bench/results/board_render.json. The app is `restaurant serve` (one process) on
embedded PostgreSQL, Redis and MongoDB-wire servers of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.board import add_kitchen_member, staff_token
from bench.clients import Conversation, Outbox, Step
from bench.harness import (
    ROOT,
    app_env,
    app_server,
    embedded_stores,
    newest_mtime,
    say,
    write_results,
)

TARGET_MS = 200.0
FRONTEND = ROOT / "frontend"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
# Two pizzas with options, signed in, for pickup: a ticket of two lines.
SCRIPT: tuple[Step, ...] = (
    Step("two large pepperoni pizzas", "CART_CARD"),
    Step("a margherita pizza", "CART_CARD"),
    Step("checkout", "AUTH_REQUIRED"),
    Step("my number is {phone}", "AUTH_REQUIRED", kind="phone"),
    Step("{code}", None, kind="code"),
    Step("pickup", "CART_CARD"),
    Step("yes", "ORDER_DATA"),
)
# Where the orders stand: of every five, two stay new, one each is moved this far.
SPREAD = ((), (), ("accepted",), ("accepted", "preparing"), ("accepted", "preparing", "ready"))
# Installed before the page's scripts on every load: marks when every ticket is in the DOM and
# when the frame holding them has been painted.
PROBE = """
(() => {
  const want = %d;
  const marks = {};
  window.__board = marks;
  const observer = new MutationObserver(() => {
    if (marks.dom || document.querySelectorAll(".board [data-order]").length < want) return;
    marks.dom = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { marks.painted = performance.now(); }, 0));
  });
  observer.observe(document, { childList: true, subtree: true });
})();
"""
# The list the tickets came from: the first one read (the board reads the list again once its
# live feed opens, which may end while the first is still being drawn).
READ_MARKS = """
() => {
  const marks = window.__board;
  const lists = performance.getEntriesByType("resource")
    .filter((e) => e.name.includes("/api/v1/staff/orders") && e.responseEnd <= marks.dom);
  return { ...marks, listed: lists.length ? lists[0].responseEnd : null };
}
"""


def build_frontend() -> None:
    """frontend/dist, built (`npm ci`, `npm run build`) when missing or older than its sources."""
    sources = ["src", "public", "index.html", "staff", "package.json", "package-lock.json"]
    built = FRONTEND / "dist" / "staff" / "index.html"
    if built.exists() and built.stat().st_mtime >= newest_mtime([FRONTEND / s for s in sources]):
        return
    if shutil.which("npm") is None:
        raise SystemExit("npm is not installed: the frontend cannot be built")
    if not (FRONTEND / "node_modules").is_dir():
        say("npm ci ...")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    say("building the frontend ...")
    # vite alone: the type check is `make lint`'s, and not what this measures.
    subprocess.run(["npx", "vite", "build"], cwd=FRONTEND, check=True, capture_output=True)


async def place(port: int, outbox: Outbox, n: int) -> dict[str, Any] | None:
    """One customer's conversation, ending with the order placed; the order, or None."""
    conversation = Conversation(n, port, "sse", outbox, timeout=60, script=SCRIPT)
    try:
        await conversation.open()
        while not conversation.done:
            if (await conversation.next_turn()).error:
                return None
        order = conversation.order
        return order if order and order.get("status") == "placed" else None
    finally:
        await conversation.close()


async def fill(base: str, port: int, outbox: Outbox, orders: int, at_once: int) -> str:
    """Place `orders` orders and spread them over the columns; the kitchen member's token."""
    gate = asyncio.Semaphore(at_once)
    started = time.perf_counter()
    numbers: list[str] = []

    async def one(n: int) -> None:
        async with gate:
            for attempt in range(3):
                order = await place(port, outbox, n + attempt * 100_000)
                if order:
                    numbers.append(str(order["number"]))
                    if len(numbers) % 50 == 0:
                        took = time.perf_counter() - started
                        say(f"  {len(numbers)} orders placed ({took:.0f} s)")
                    return

    await asyncio.gather(*(one(n + 1) for n in range(orders)))
    if len(numbers) < orders:
        raise SystemExit(f"only {len(numbers)} of {orders} orders were placed")
    token = await staff_token(base, outbox)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as client:

        async def spread(index: int, number: str) -> None:
            async with gate:
                for status in SPREAD[index % len(SPREAD)]:
                    moved = await client.post(
                        f"/api/v1/staff/orders/{number}/status", json={"status": status}
                    )
                    moved.raise_for_status()

        await asyncio.gather(*(spread(i, n) for i, n in enumerate(numbers)))
        listed = (await client.get("/api/v1/staff/orders", params={"limit": orders})).json()
    say(f"{len(listed['orders'])} open orders in {time.perf_counter() - started:.0f} s")
    return token


def sign_in(context: Any, base: str, token: str) -> None:
    """The kitchen member's session (signed in over REST with the phone's code) as the
    browser's `session` cookie, set by the app (`POST /api/v1/auth/cookie`), as the chat does
    after a sign-in in a conversation."""
    answer = context.request.post(
        base + "/api/v1/auth/cookie", headers={"Authorization": f"Bearer {token}"}
    )
    if answer.status != 204:
        raise RuntimeError(f"POST /api/v1/auth/cookie: HTTP {answer.status} {answer.text()}")


def load(page: Any, base: str) -> dict[str, float]:
    """Open the board once; its marks (ms on the page's clock)."""
    page.goto(base + "/staff")
    page.wait_for_function("() => window.__board && window.__board.painted", timeout=60_000)
    marks = page.evaluate(READ_MARKS)
    if marks.get("listed") is None:
        raise RuntimeError("no GET /api/v1/staff/orders in the page's resource timing")
    return {
        "render_ms": round(marks["painted"] - marks["listed"], 1),
        "dom_ms": round(marks["dom"] - marks["listed"], 1),
        "load_ms": round(marks["painted"], 1),
    }


def serve_build(route: Any, build: list[Path | None]) -> None:
    """A page's request: from the build being timed (`build[0]`) if it has the file, or the app."""
    path = urlparse(route.request.url).path
    root = build[0]
    if root is None or path.startswith("/api/"):
        route.continue_()
        return
    name = "staff/index.html" if path.rstrip("/") == "/staff" else path.lstrip("/") or "index.html"
    file = root / name
    if file.is_file():
        route.fulfill(path=str(file))
    else:
        route.continue_()


def measure(
    base: str, token: str, orders: int, runs: int, against: Path | None = None
) -> dict[str, Any]:
    """Sign in once, then load the board `runs` times after a warm-up (and, with `against`,
    that build as many times, alternately)."""
    from playwright.sync_api import sync_playwright

    builds: dict[str, Path | None] = {"current": None}
    if against is not None:
        builds = {"against": against, "current": FRONTEND / "dist"}
    build: list[Path | None] = [None]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(context, base, token)
        page.add_init_script(PROBE % orders)
        if against is not None:
            page.route("**/*", lambda route: serve_build(route, build))
        version = browser.version
        warm: dict[str, dict[str, float]] = {}
        for name, root in builds.items():
            build[0] = root
            warm[name] = load(page, base)
            say(f"warm-up ({name}): {warm[name]}")
        loads: dict[str, list[dict[str, float]]] = {name: [] for name in builds}
        tickets: dict[str, int] = {}
        for n in range(runs):
            for name, root in builds.items():
                build[0] = root
                loads[name].append(load(page, base))
                tickets[name] = page.locator(".board [data-order]").count()
                busy = os.getloadavg()[0]
                say(f"  load {n + 1}/{runs} ({name}): {loads[name][-1]}, load average {busy:.1f}")
        browser.close()
    if errors:
        raise RuntimeError(f"errors in the page: {errors}")
    return {"chromium": version, "warm_up": warm, "loads": loads, "tickets": tickets}


def summary(values: list[float]) -> dict[str, float]:
    """p50, p99 (nearest rank) and the extremes of a list of milliseconds."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(0.99 * len(ordered) + 0.5) - 1))
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": ordered[rank],
        "min_ms": ordered[0],
        "max_ms": ordered[-1],
    }


def main() -> None:
    """Parse options, build, start stores and the app, fill the board, time its loads."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=500, help="open orders (500)")
    parser.add_argument("--runs", type=int, default=20, help="timed loads of the board (20)")
    parser.add_argument("--at-once", type=int, default=25, help="customers ordering at once (25)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--against", type=Path, default=None, help="another built frontend, loaded alternately"
    )
    parser.add_argument("--no-plot", action="store_true", help="accepted; this draws nothing")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"Chromium is not at {CHROMIUM} (apt-get install chromium)")
    build_frontend()
    with embedded_stores() as stores, app_server(stores) as app:
        add_kitchen_member(app_env(stores, app.extra["data_dir"]))
        outbox = app.extra["outbox"]
        say(f"placing {args.orders} orders, {args.at_once} customers at once ...")
        token = asyncio.run(fill(app.base, app.port, Outbox(outbox), args.orders, args.at_once))
        say(f"loading the board {args.runs} times in Chromium ...")
        measured = measure(app.base, token, args.orders, args.runs, args.against)
    loads = measured["loads"]["current"]
    tickets = measured["tickets"]["current"]
    render = summary([m["render_ms"] for m in loads])
    report: dict[str, Any] = {
        "orders": args.orders,
        "tickets": tickets,
        "render": render,
        "in_dom": summary([m["dom_ms"] for m in loads]),
        "load": summary([m["load_ms"] for m in loads]),
        "warm_up": measured["warm_up"]["current"],
        "loads": loads,
        "summary": {
            "orders": args.orders,
            "render_p50_ms": render["p50_ms"],
            "render_p99_ms": render["p99_ms"],
            "target_ms": TARGET_MS,
            "met": tickets == args.orders and render["p99_ms"] < TARGET_MS,
        },
        "settings": {
            "browser": f"{CHROMIUM.name} {measured['chromium']} (headless, Playwright)",
            "viewport": "1600x1000",
            "server": "restaurant serve (one process), frontend/dist served by the app",
            "stores": "embedded PostgreSQL, Redis and MongoDB wire",
        },
    }
    if args.against is not None:
        other = measured["loads"]["against"]
        report["against"] = {
            "build": str(args.against),
            "tickets": measured["tickets"]["against"],
            "render": summary([m["render_ms"] for m in other]),
            "in_dom": summary([m["dom_ms"] for m in other]),
            "load": summary([m["load_ms"] for m in other]),
            "warm_up": measured["warm_up"]["against"],
            "loads": other,
        }
        report["summary"]["against_render_p50_ms"] = report["against"]["render"]["p50_ms"]
        report["summary"]["against_render_p99_ms"] = report["against"]["render"]["p99_ms"]
    path = write_results("board_render", report, args.out)
    print(json.dumps(report["summary"], indent=2))
    say(f"wrote {path}")


if __name__ == "__main__":
    main()
