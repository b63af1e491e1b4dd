"""Capacity benchmark: idle WebSocket chat sessions held at once, and the memory each costs.

    uv run python -m bench.capacity                     # 1,000 sessions held for 30 s
    uv run python -m bench.capacity --connections 50 --hold 3
    uv run python -m bench.capacity --workers 2         # the app and the echo, two workers each

Creates `--connections` chat sessions (`POST /api/v1/sessions`, each from its own 127.x.y.z
address), opens a WebSocket to each (each reads its history run), holds them all for `--hold`
seconds, then checks every one still answers a WebSocket ping and that a few of them still run a
real turn. Memory is the app's resident set (/proc/PID/status VmRSS, summed over its process
tree: with `--workers N`, the supervisor and every worker): before connecting (sessions already
created) and with every socket open; the difference over the count is the cost of one idle
connection. The bare Litestar echo (`bench/bare.py`, as many workers) holds the same number of
plain WebSockets in the same run, for the framework's own cost per connection.

File descriptors: each socket is one on both sides, so the open-file limit is raised in-process
(resource.setrlimit; the servers inherit it). Writes bench/results/capacity.json and
capacity.png.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import websockets
from websockets.asyncio.client import ClientConnection

from bench.clients import ChatSession, WsChat, local_address, new_session, scan_frames
from bench.harness import (
    RESULTS,
    Server,
    app_server,
    bare_server,
    busy_note,
    embedded_stores,
    raise_fd_limit,
    save_bar_chart,
    say,
    server_processes,
    tree_rss_bytes,
    write_results,
)


async def _in_batches(count: int, batch: int, label: str, make: Any) -> list[Any]:
    """Call `make(i)` for i < count, `batch` at a time; results (or exceptions) in order."""
    out: list[Any] = []
    started = time.perf_counter()
    last = started
    for first in range(0, count, batch):
        out += await asyncio.gather(
            *(make(i) for i in range(first, min(count, first + batch))), return_exceptions=True
        )
        if time.perf_counter() - last > 2 or len(out) == count:
            last = time.perf_counter()
            failed = sum(isinstance(x, BaseException) for x in out)
            say(f"  [{label}] {len(out)}/{count} ({last - started:.1f}s), errors {failed}")
    return out


def _errors(results: list[Any]) -> tuple[int, list[str]]:
    failed = [r for r in results if isinstance(r, BaseException)]
    return len(failed), [f"{type(e).__name__}: {e}"[:200] for e in failed[:5]]


async def _ping_all(sockets: list[ClientConnection], batch: int) -> list[Any]:
    async def ping(i: int) -> float:
        started = time.perf_counter()
        waiter = await sockets[i].ping()
        await asyncio.wait_for(waiter, 30)
        return time.perf_counter() - started

    return await _in_batches(len(sockets), batch, "ping", ping)


async def hold_app(app: Server, count: int, hold: float, batch: int, turns: int) -> dict[str, Any]:
    """Sessions, then sockets, held; memory and errors."""
    say(f"app: creating {count} sessions ...")
    sessions = await _in_batches(
        count, batch, "sessions", lambda i: new_session(app.port, local_address(i))
    )
    session_errors, session_samples = _errors(sessions)
    live = [s for s in sessions if isinstance(s, ChatSession)]
    for s in live:
        await s.http.close()  # the sockets below are the only connections held
    await asyncio.sleep(1)
    rss_before = tree_rss_bytes(app.pid)
    chats = [WsChat(s, app.port, local_address(i), 60) for i, s in enumerate(live)]
    say(f"app: opening {len(chats)} WebSockets (each reads its history run) ...")
    opened = await _in_batches(len(chats), batch, "connect", lambda i: chats[i].__aenter__())
    open_errors, open_samples = _errors(opened)
    held = [c for c in opened if isinstance(c, WsChat)]
    say(f"app: holding {len(held)} sockets for {hold:.0f} s ...")
    deadline = time.perf_counter() + hold
    rss_peak = 0
    while time.perf_counter() < deadline:
        rss_peak = max(rss_peak, tree_rss_bytes(app.pid))
        await asyncio.sleep(min(2.0, max(0.0, deadline - time.perf_counter())))
        say(f"  [hold] {len(held)} open, app RSS {tree_rss_bytes(app.pid) / 2**20:.0f} MB")
    rss_held = tree_rss_bytes(app.pid)
    sockets = [c.connection for c in held if c.connection is not None]
    pings = await _ping_all(sockets, batch)
    ping_errors, ping_samples = _errors(pings)
    # A few real turns while everything is held: the sessions are usable, not just open.
    turn_errors: list[str] = []
    turn_seconds: list[float] = []
    for chat in held[: min(turns, len(held))]:
        started = time.perf_counter()
        try:
            frames = await chat.say("show me the menu")
            _, error, _ = scan_frames(frames)
            if error:
                turn_errors.append(error)
        except Exception as exc:
            turn_errors.append(f"{type(exc).__name__}: {exc}")
        turn_seconds.append(time.perf_counter() - started)
    await _in_batches(len(held), batch, "close", lambda i: held[i].__aexit__(None, None, None))
    per_connection = (rss_held - rss_before) / max(len(held), 1)
    errors = session_errors + open_errors + ping_errors + len(turn_errors)
    return {
        "target": "app",
        "connections_asked": count,
        "connections_held": len(held),
        "hold_seconds": hold,
        "errors": errors,
        "errors_by_stage": {
            "sessions": session_errors,
            "connect": open_errors,
            "ping": ping_errors,
            "turns": len(turn_errors),
        },
        "error_samples": session_samples + open_samples + ping_samples + turn_errors[:5],
        "rss_mb_before": round(rss_before / 2**20, 1),
        "rss_mb_held": round(rss_held / 2**20, 1),
        "rss_mb_peak": round(rss_peak / 2**20, 1),
        "rss_kb_per_connection": round(per_connection / 1024, 1),
        "turns_while_held": len(turn_seconds),
        "turn_ms_while_held_max": round(max(turn_seconds, default=0) * 1000, 1),
    }


async def hold_bare(bare: Server, count: int, hold: float, batch: int) -> dict[str, Any]:
    """The same number of plain WebSockets on the bare echo app."""
    await asyncio.sleep(0.5)
    rss_before = tree_rss_bytes(bare.pid)

    async def connect(i: int) -> ClientConnection:
        return await websockets.connect(
            f"ws://127.0.0.1:{bare.port}/ws", local_addr=(local_address(i), 0), open_timeout=60
        )

    say(f"bare: opening {count} WebSockets ...")
    opened = await _in_batches(count, batch, "bare connect", connect)
    open_errors, samples = _errors(opened)
    held = [c for c in opened if isinstance(c, ClientConnection)]
    await asyncio.sleep(min(hold, 5))
    rss_held = tree_rss_bytes(bare.pid)
    pings = await _ping_all(held, batch)
    ping_errors, ping_samples = _errors(pings)

    async def close(i: int) -> None:
        with contextlib.suppress(Exception):
            await held[i].close()

    await _in_batches(len(held), batch, "bare close", close)
    return {
        "target": "bare echo",
        "connections_asked": count,
        "connections_held": len(held),
        "errors": open_errors + ping_errors,
        "error_samples": samples + ping_samples,
        "rss_mb_before": round(rss_before / 2**20, 1),
        "rss_mb_held": round(rss_held / 2**20, 1),
        "rss_kb_per_connection": round((rss_held - rss_before) / max(len(held), 1) / 1024, 1),
    }


def main() -> None:
    """Parse options, start stores and servers, hold the connections, save the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--hold", type=float, default=30, help="seconds held (default 30)")
    parser.add_argument("--batch", type=int, default=50, help="connections opened at once")
    parser.add_argument("--turns", type=int, default=20, help="real turns while all are held")
    parser.add_argument(
        "--workers", type=int, default=1, help="uvicorn workers of the app and the echo (1)"
    )
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args()
    limit = raise_fd_limit(max(65536, 4 * args.connections))
    say(f"open-file limit {limit}")
    with embedded_stores() as stores, app_server(stores, workers=args.workers) as app:
        with bare_server(stores.directory, workers=args.workers) as bare:
            bare_result = asyncio.run(hold_bare(bare, args.connections, args.hold, args.batch))
        app_result = asyncio.run(hold_app(app, args.connections, args.hold, args.batch, args.turns))
    report = {
        "fd_limit": limit,
        "settings": {
            "server": f"restaurant serve --workers {args.workers}: "
            + server_processes(args.workers)
            + "; the bare echo with the same workers",
            "workers": args.workers,
        },
        "runs": [app_result, bare_result],
        "summary": {
            "connections_held": app_result["connections_held"],
            "errors": app_result["errors"] + bare_result["errors"],
            "app_rss_kb_per_connection": app_result["rss_kb_per_connection"],
            "bare_rss_kb_per_connection": bare_result["rss_kb_per_connection"],
            "targets": {"connections": 1000, "errors": 0},
            "met": app_result["connections_held"] >= 1000 and app_result["errors"] == 0,
        },
    }
    path = write_results("capacity", report, args.out)
    if not args.no_plot:
        save_bar_chart(
            RESULTS / "capacity.png",
            f"Memory per idle WebSocket ({app_result['connections_held']} held)",
            ["app (chat session)", "bare echo"],
            [app_result["rss_kb_per_connection"], bare_result["rss_kb_per_connection"]],
            "KB of resident memory per connection",
            note=busy_note(),
        )
    print(json.dumps(report["summary"], indent=2))
    say(f"wrote {path}")


if __name__ == "__main__":
    main()
