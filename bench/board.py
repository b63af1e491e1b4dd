"""Order board benchmark: from `place_order` to the order on the boards, and from a staff move to
the customer's chat, with many chat sessions ordering at once.

    uv run python -m bench.board                               # 200 sessions, 2 boards
    uv run python -m bench.board --sessions 10 --boards 1      # a quick look

`--boards` staff boards follow `GET /api/v1/staff/events` (SSE) as a kitchen member. Then
`--sessions` chat conversations (WebSocket, `clients.ORDER_SCRIPT`: browse, add, sign in with the
code from the outbox, pickup, "yes") run at once; each ends with its order placed.

- place → board: from the order's `placed_at` (set in the transaction that places it, on the
  app's clock, this machine's) to its `placed` event arriving on each board; split at the
  time Redis appended it to the board stream (its entry id, the SSE event's id, is that time
  in milliseconds): place → stream (the commit, the board's read of the order and the append)
  and stream → board (the process's stream reader, the board's SSE stream and this client).
- move → chat: once every order is placed, the kitchen accepts each (`POST
  /api/v1/staff/orders/{number}/status`, `--moves-at-once` at a time) and the time runs from
  sending the move to the customer's open socket receiving the update's run (the ORDER_DATA card
  and its line).

The app runs through `restaurant serve --workers N` (2: each worker reads the board stream and
the chat notices once) on embedded PostgreSQL, Redis and MongoDB-wire servers of its own; the load
comes from this process. Writes bench/results/board.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.clients import Conversation, Outbox, WsChat
from bench.harness import (
    app_env,
    app_server,
    embedded_stores,
    latency_summary,
    raise_fd_limit,
    say,
    write_results,
)

STAFF_PHONE = "+12125550199"
STAFF_ADD = (sys.executable, "-m", "restaurant.cli", "staff", "add")
TARGET_P99_MS = 1000.0


def add_kitchen_member(env: dict[str, str]) -> None:
    """`restaurant staff add` on the run's database."""
    subprocess.run(
        [*STAFF_ADD, STAFF_PHONE, "--name", "Bench Kitchen", "--role", "kitchen"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


async def staff_token(base: str, outbox: Outbox) -> str:
    """Sign the kitchen member in over REST (phone and one-time code): their token."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        session = (await client.post("/api/v1/sessions")).json()
        headers = {"Authorization": f"Bearer {session['token']}"}
        sent = await client.post("/api/v1/auth/otp", json={"phone": STAFF_PHONE}, headers=headers)
        sent.raise_for_status()
        code = await outbox.code_for(STAFF_PHONE)
        verified = await client.post(
            "/api/v1/auth/verify", json={"phone": STAFF_PHONE, "code": code}, headers=headers
        )
        verified.raise_for_status()
        return str(verified.json()["token"])


class Board:
    """One open board: when each order's `placed` event arrived (wall clock)."""

    def __init__(self) -> None:
        self.placed: dict[str, float] = {}
        # When Redis appended each order's `placed` entry to the board stream (its id's time).
        self.appended: dict[str, float] = {}
        self.listening = asyncio.Event()
        self.errors: list[str] = []

    async def follow(self, base: str, token: str) -> None:
        """Read the feed until cancelled."""
        headers = {"Authorization": f"Bearer {token}"}
        try:
            async with (
                httpx.AsyncClient(base_url=base, timeout=None) as client,
                client.stream("GET", "/api/v1/staff/events", headers=headers) as response,
            ):
                if response.status_code != 200:
                    self.errors.append(f"HTTP {response.status_code}")
                    self.listening.set()
                    return
                entry = ""
                async for line in response.aiter_lines():
                    if line.startswith(": listening"):
                        self.listening.set()
                    elif line.startswith("id:"):
                        entry = line[3:].strip()
                    elif line.startswith("data:"):
                        arrived = time.time()
                        order = json.loads(line[5:])["order"]
                        if order["status"] == "placed":
                            self.placed.setdefault(order["number"], arrived)
                            if entry:
                                appended = int(entry.split("-")[0]) / 1000
                                self.appended.setdefault(order["number"], appended)
        except httpx.HTTPError as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")
            self.listening.set()


async def converse(conversation: Conversation) -> str | None:
    """The whole script; the order's number, or None if a turn failed."""
    await conversation.open()
    while not conversation.done:
        result = await conversation.next_turn()
        if result.error:
            return None
    order = conversation.order or {}
    return str(order["number"]) if order.get("status") == "placed" else None


async def move_to_chat(
    client: httpx.AsyncClient,
    token: str,
    conversation: Conversation,
    number: str,
    gate: asyncio.Semaphore,
) -> float | None:
    """Accept the order; seconds until the customer's socket got the update's run."""
    chat = conversation.chat
    assert isinstance(chat, WsChat)
    async with gate:
        started = time.perf_counter()
        reply = await client.post(
            f"/api/v1/staff/orders/{number}/status",
            json={"status": "accepted"},
            headers={"Authorization": f"Bearer {token}"},
        )
        if reply.status_code != 200:
            return None
        frames = await chat._run()  # the update's run: RUN_STARTED ... RUN_FINISHED
        elapsed = time.perf_counter() - started
    return elapsed if any(b"ORDER_DATA" in f for f in frames) else None


async def run(args: argparse.Namespace, base: str, port: int, outbox: Outbox) -> dict[str, Any]:
    """Open the boards, order from every session, then move every order."""
    token = await staff_token(base, outbox)
    boards = [Board() for _ in range(args.boards)]
    followers = [asyncio.create_task(b.follow(base, token)) for b in boards]
    try:
        for board in boards:
            await asyncio.wait_for(board.listening.wait(), 30)
        conversations = [Conversation(n + 1, port, "ws", outbox) for n in range(args.sessions)]
        say(f"{args.sessions} sessions ordering at once, {args.boards} board(s) watching ...")
        started = time.perf_counter()
        numbers = await asyncio.gather(*(converse(c) for c in conversations))
        ordering_seconds = time.perf_counter() - started
        placed = {n: c.order for n, c in zip(numbers, conversations, strict=True) if n and c.order}
        await asyncio.sleep(1.0)  # the last events' way to the boards
        to_board: list[float] = []
        to_stream: list[float] = []  # placed_at to the board stream's entry (the app's part)
        stream_to_board: list[float] = []  # the entry to the board (reader, SSE, the client)
        missing = 0
        for number, order in placed.items():
            at = datetime.fromisoformat(str(order["placed_at"])).timestamp()
            for board in boards:
                if number in board.placed:
                    to_board.append(max(board.placed[number] - at, 0.0))
                    if number in board.appended:
                        to_stream.append(max(board.appended[number] - at, 0.0))
                        stream_to_board.append(
                            max(board.placed[number] - board.appended[number], 0.0)
                        )
                else:
                    missing += 1
        say(f"moving {len(placed)} orders, {args.moves_at_once} at a time ...")
        gate = asyncio.Semaphore(args.moves_at_once)
        # One client for every move, its connections kept open as a board's browser keeps them.
        # A client per move cost this process about 0.1 s of CPU each on this machine (httpx
        # loads the CA bundle), during which the other moves' replies and frames waited.
        limits = httpx.Limits(max_connections=args.moves_at_once)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
            moves = await asyncio.gather(
                *(
                    move_to_chat(client, token, c, n, gate)
                    for n, c in zip(numbers, conversations, strict=True)
                    if n
                )
            )
        for conversation in conversations:
            await conversation.close()
    finally:
        for follower in followers:
            follower.cancel()
        for follower in followers:
            with contextlib.suppress(asyncio.CancelledError):
                await follower
    to_chat = [m for m in moves if m is not None]
    board_latency = latency_summary(to_board)
    chat_latency = latency_summary(to_chat)
    return {
        "sessions": args.sessions,
        "boards": args.boards,
        "orders": len(placed),
        "failed_conversations": args.sessions - len(placed),
        "ordering_seconds": round(ordering_seconds, 2),
        "place_to_board": board_latency | {"events": len(to_board), "missing": missing},
        "place_to_stream": latency_summary(to_stream),
        "stream_to_board": latency_summary(stream_to_board),
        "move_to_chat": chat_latency | {"moves": len(to_chat), "failed": len(moves) - len(to_chat)},
        "board_errors": [e for b in boards for e in b.errors],
        "summary": {
            "place_to_board_p50_ms": board_latency["p50_ms"],
            "place_to_board_p99_ms": board_latency["p99_ms"],
            "place_to_stream_p99_ms": latency_summary(to_stream)["p99_ms"],
            "stream_to_board_p99_ms": latency_summary(stream_to_board)["p99_ms"],
            "move_to_chat_p50_ms": chat_latency["p50_ms"],
            "move_to_chat_p99_ms": chat_latency["p99_ms"],
            "met": bool(
                placed
                and not missing
                and len(to_chat) == len(placed)
                and board_latency["p99_ms"] < TARGET_P99_MS
                and chat_latency["p99_ms"] < TARGET_P99_MS
            ),
        },
    }


def main() -> None:
    """Parse options, start stores and the app, measure, save the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=200, help="ordering at once (200)")
    parser.add_argument("--boards", type=int, default=2, help="open boards (2)")
    parser.add_argument("--moves-at-once", type=int, default=20, help="staff moves at once (20)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of the app (2)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-plot", action="store_true", help="accepted; this draws nothing")
    args = parser.parse_args()
    raise_fd_limit()
    with embedded_stores() as stores, app_server(stores, workers=args.workers) as app:
        add_kitchen_member(app_env(stores, app.extra["data_dir"]))
        report = asyncio.run(run(args, app.base, app.port, Outbox(app.extra["outbox"])))
    report["settings"] = {
        "server": f"restaurant serve --workers {args.workers}",
        "stores": "embedded PostgreSQL, Redis and MongoDB wire",
        "chat": "WebSocket, clients.ORDER_SCRIPT",
    }
    path = write_results("board", report, args.out)
    print(json.dumps(report["summary"], indent=2))
    say(f"wrote {path}")


if __name__ == "__main__":
    main()
