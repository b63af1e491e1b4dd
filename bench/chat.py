"""Chat benchmark: whole orders over WebSocket and SSE on the offline path, real stores.

    uv run python -m bench.chat                              # the full run (about 3 minutes)
    uv run python -m bench.chat --seconds 5 --open-seconds 5 --sessions 10 --open-sessions 20
    uv run python -m bench.chat --workers 1                  # one app process (and one echo)

Each conversation creates a session (`POST /api/v1/sessions`), then says `clients.ORDER_SCRIPT`:
browse, add with options, edit, check out with the one-time code read from the app's outbox,
pickup, confirm; the order must be placed. Every turn is timed from sending the message to its
RUN_FINISHED, and counts as an error on RUN_ERROR, a timeout, a broken connection or a missing
card (e.g. no ORDER_DATA after "yes").

- closed loop: `--sessions` conversations at once, each sending its next message as soon as the
  last one is answered, a new conversation when one ends, for `--seconds`: turns/s and latency.
  Little's law: with N sessions back to back, latency can't be below N / throughput.
- open load: `--open-sessions` sessions, each sending a message every `--mean-gap` seconds on
  average (exponential gaps: Poisson arrivals), for `--open-seconds`: latency at a realistic load.
- echo: the same closed loop against a bare Litestar WebSocket echo (`bench/bare.py`): the
  transport's own limit on this machine, in the same run.

The app runs through `restaurant serve --workers 2` (two uvicorn worker processes under
uvicorn's supervisor: a turn is CPU-bound, and one process uses one of the two cores) on embedded
PostgreSQL, Redis and MongoDB-wire servers of its own; the bare echo runs with the same number of
workers (`--workers N` sets both). The app's CPU time and memory are its whole process tree's
(supervisor and workers). The load comes from this process. Writes bench/results/chat.json,
chat_throughput.png and chat_latency.png.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import websockets

from bench.clients import ORDER_SCRIPT, Conversation, Outbox, TurnResult
from bench.harness import (
    RESULTS,
    Server,
    Stores,
    app_server,
    bare_server,
    busy_note,
    embedded_stores,
    latency_summary,
    profiled,
    quiet_gc,
    raise_fd_limit,
    save_bar_chart,
    save_latency_cdf,
    say,
    server_processes,
    tree_cpu_seconds,
    tree_rss_bytes,
    write_results,
)


@dataclass
class Tally:
    """What one load phase measured, updated as turns finish."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    conversations: int = 0
    orders: int = 0
    late: list[float] = field(default_factory=list)  # open load: send time minus planned time
    by_step: dict[str, list[float]] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    finished: float = 0.0

    def add(self, result: TurnResult, step: str = "") -> None:
        """Count one turn."""
        self.latencies.append(result.seconds)
        if step:
            self.by_step.setdefault(step, []).append(result.seconds)
        if result.error:
            self.fail(result.error)

    def fail(self, message: str) -> None:
        """Count one error (the first few are kept as samples)."""
        self.errors += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(message[:300])

    def status(self) -> str:
        """A progress line."""
        elapsed = time.perf_counter() - self.started
        rate = len(self.latencies) / elapsed if elapsed > 0 else 0.0
        return (
            f"turns={len(self.latencies)} ({rate:.0f}/s) conversations={self.conversations} "
            f"orders={self.orders} errors={self.errors}"
        )

    def report(self, **extra: Any) -> dict[str, Any]:
        """The phase's numbers as JSON."""
        seconds = (self.finished or time.perf_counter()) - self.started
        report: dict[str, Any] = {
            "name": self.name,
            "seconds": round(seconds, 2),
            "turns": len(self.latencies),
            "turns_per_second": round(len(self.latencies) / seconds, 1) if seconds > 0 else 0.0,
            "latency": latency_summary(self.latencies),
            "errors": self.errors,
            "error_samples": self.error_samples,
            "conversations_finished": self.conversations,
            "orders_placed": self.orders,
            **extra,
        }
        if self.late:
            report["send_lateness"] = latency_summary(self.late)
        if self.by_step:
            report["p50_ms_by_step"] = {
                step: latency_summary(values)["p50_ms"] for step, values in self.by_step.items()
            }
        return report


class StoreCounters:
    """Cumulative Redis commands and PostgreSQL transactions (round trips per turn), Redis's
    memory (bytes it grows by per turn), and what the conversations' checkpoints hold."""

    def __init__(self, stores: Stores) -> None:
        self.redis_url = stores.redis_url
        self.postgres_dsn = stores.postgres_url.replace("postgresql+asyncpg://", "postgresql://")

    async def read(self) -> dict[str, int]:
        """The counters now (the reading itself adds a handful)."""
        import asyncpg
        from redis.asyncio import Redis

        redis = Redis.from_url(self.redis_url)
        try:
            stats = await redis.info("commandstats")
            memory = await redis.info("memory")
        finally:
            await redis.aclose()
        conn = await asyncpg.connect(self.postgres_dsn)
        try:
            transactions = await conn.fetchval(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                " WHERE datname = current_database()"
            )
        finally:
            await conn.close()
        return {
            "redis_commands": sum(int(v["calls"]) for v in stats.values()),
            "pg_transactions": int(transactions or 0),
            "redis_used_memory": int(memory["used_memory"]),
        }

    async def checkpoints(self) -> dict[str, float]:
        """How many conversations have checkpoints in Redis, and their memory each (KB)."""
        from redis.asyncio import Redis

        redis = Redis.from_url(self.redis_url)
        try:
            keys = [key async for key in redis.scan_iter(match="lg:ckpt:*", count=1000)]
            async with redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.memory_usage(key)
                sizes = await pipe.execute()
        finally:
            await redis.aclose()
        threads = len({key.rsplit(b":", 1)[0] for key in keys})
        return {
            "checkpoint_threads": threads,
            "checkpoint_kb_per_thread": round(
                sum(s or 0 for s in sizes) / max(threads, 1) / 1024, 1
            ),
        }


COUNTERS: StoreCounters | None = None  # set by the script that owns the stores


async def _progress(tally: Tally, every: float = 2.0) -> None:
    while True:
        await asyncio.sleep(every)
        say(f"  [{tally.name}] {time.perf_counter() - tally.started:5.1f}s {tally.status()}")


async def _measured(
    tally: Tally, app: Server | None, work: Callable[[], Awaitable[None]]
) -> dict[str, Any]:
    """Run `work` with progress lines; the tally's report with the app's CPU per turn."""
    counters = COUNTERS if app is not None and app.name == "app" else None
    stores_before = await counters.read() if counters else {}
    # The server's whole process tree: with workers, the supervisor and every worker.
    cpu_before = tree_cpu_seconds(app.pid) if app else 0.0
    ticker = asyncio.create_task(_progress(tally))
    try:
        with quiet_gc():
            await work()
    finally:
        ticker.cancel()
        tally.finished = time.perf_counter()
    extra: dict[str, Any] = {}
    if app is not None:
        used = tree_cpu_seconds(app.pid) - cpu_before
        turns = max(len(tally.latencies), 1)
        extra = {
            "app_cpu_ms_per_turn": round(used / turns * 1000, 2),
            "app_cpu_utilisation": round(used / max(tally.finished - tally.started, 1e-9), 2),
            "app_rss_mb": round(tree_rss_bytes(app.pid) / 2**20, 1),
            "app_workers": app.workers,
        }
    if counters:
        await asyncio.sleep(1.2)  # PostgreSQL publishes its statistics about once a second
        stores_after = await counters.read()
        for key, value in stores_after.items():
            per_turn = (value - stores_before[key]) / max(len(tally.latencies), 1)
            extra[f"{key}_per_turn"] = round(per_turn, 2)
        extra.update(await counters.checkpoints())
    report = tally.report(**extra)
    report["_raw"] = tally.latencies  # for the plots; not written to the JSON
    say(
        f"  [{tally.name}] done: {report['turns_per_second']} turns/s, "
        f"p50 {report['latency']['p50_ms']} ms, p99 {report['latency']['p99_ms']} ms, "
        f"errors {report['errors']}"
    )
    return report


class Numbers:
    """Conversation numbers, unique within the run (each its own phone and client address)."""

    def __init__(self) -> None:
        self._next = 0

    def take(self) -> int:
        """The next number."""
        self._next += 1
        return self._next


async def _conversation(
    tally: Tally,
    numbers: Numbers,
    app: Server,
    transport: str,
    outbox: Outbox,
    keep_going: Callable[[], bool],
    before_turn: Callable[[], Awaitable[bool]] | None = None,
) -> None:
    """Conversations one after the other while `keep_going()`; `before_turn` may wait (open
    load) and says whether to go on."""
    while keep_going():
        conversation = Conversation(numbers.take(), app.port, transport, outbox)
        try:
            await conversation.open()
        except Exception as exc:  # counted, then a fresh conversation
            tally.fail(f"open: {type(exc).__name__}: {exc}")
            await conversation.close()
            await asyncio.sleep(0.1)
            continue
        try:
            while not conversation.done:
                if before_turn is not None and not await before_turn():
                    return
                step = conversation.script[conversation.position].text
                try:
                    result = await conversation.next_turn()
                except Exception as exc:  # e.g. no code in the outbox
                    tally.fail(f"{type(exc).__name__}: {exc}")
                    break
                tally.add(result, step)
                if not keep_going() and before_turn is None:
                    return
            if conversation.order and conversation.order.get("status") == "placed":
                tally.orders += 1
            if conversation.done and not any(r.error for r in conversation.results):
                tally.conversations += 1
        finally:
            await conversation.close()


async def closed_loop(
    app: Server,
    transport: str,
    outbox: Outbox,
    numbers: Numbers,
    sessions: int,
    seconds: float,
    profile: Path | None = None,
) -> dict[str, Any]:
    """`sessions` conversations back to back for `seconds`."""
    tally = Tally(f"{transport} closed")
    deadline = time.perf_counter() + seconds

    async def work() -> None:
        await asyncio.gather(
            *(
                _conversation(
                    tally, numbers, app, transport, outbox, lambda: time.perf_counter() < deadline
                )
                for _ in range(sessions)
            )
        )

    say(f"{tally.name}: {sessions} sessions back to back for {seconds:.0f} s ...")
    with profiled(app.pid, profile, seconds):
        report = await _measured(tally, app, work)
    return report | {"sessions": sessions, "transport": transport}


async def open_load(
    app: Server,
    transport: str,
    outbox: Outbox,
    numbers: Numbers,
    sessions: int,
    seconds: float,
    mean_gap: float,
    seed: int,
) -> dict[str, Any]:
    """`sessions` sessions, each sending after exponential gaps of `mean_gap` s on average."""
    tally = Tally(f"{transport} open")
    rng = random.Random(seed)
    # The sessions connect during a short ramp before the clock starts: customers arrive over
    # time, and 200 connections at the same instant would only measure that instant.
    ramp = min(5.0, 0.02 * sessions)
    start = time.perf_counter() + ramp
    tally.started = start
    deadline = start + seconds

    def pacer() -> Callable[[], Awaitable[bool]]:
        planned = start + rng.expovariate(1 / mean_gap)

        async def before_turn() -> bool:
            nonlocal planned
            now = time.perf_counter()
            if planned >= deadline:
                return False
            if planned > now:
                await asyncio.sleep(planned - now)
            tally.late.append(max(0.0, time.perf_counter() - planned))
            planned += rng.expovariate(1 / mean_gap)
            return True

        return before_turn

    async def work() -> None:
        await asyncio.gather(
            *(
                _conversation(
                    tally,
                    numbers,
                    app,
                    transport,
                    outbox,
                    lambda: time.perf_counter() < deadline,
                    pacer(),
                )
                for _ in range(sessions)
            )
        )

    say(
        f"{tally.name}: {sessions} sessions, a message every {mean_gap:g} s on average "
        f"(~{sessions / mean_gap:.0f}/s), for {seconds:.0f} s ..."
    )
    return await _measured(tally, app, work) | {
        "sessions": sessions,
        "transport": transport,
        "mean_gap_seconds": mean_gap,
        "offered_messages_per_second": round(sessions / mean_gap, 1),
    }


async def echo_loop(bare: Server, sessions: int, seconds: float) -> dict[str, Any]:
    """The closed loop against the bare WebSocket echo: the transport's own limit."""
    tally = Tally("ws echo")
    deadline = time.perf_counter() + seconds
    frame = json.dumps({"type": "message", "text": "two large pepperoni pizzas"})

    async def one() -> None:
        try:
            async with websockets.connect(f"ws://127.0.0.1:{bare.port}/ws") as ws:
                while time.perf_counter() < deadline:
                    started = time.perf_counter()
                    await ws.send(frame)
                    await asyncio.wait_for(ws.recv(), 30)
                    tally.latencies.append(time.perf_counter() - started)
        except Exception as exc:
            tally.fail(f"{type(exc).__name__}: {exc}")

    async def work() -> None:
        await asyncio.gather(*(one() for _ in range(sessions)))

    say(f"{tally.name}: {sessions} connections back to back for {seconds:.0f} s ...")
    return await _measured(tally, bare, work) | {"sessions": sessions, "transport": "ws"}


async def warm_up(app: Server, outbox: Outbox, numbers: Numbers, transports: list[str]) -> None:
    """One whole conversation per transport before measuring (first connections, caches)."""
    for transport in transports:
        conversation = Conversation(numbers.take(), app.port, transport, outbox)
        await conversation.open()
        try:
            while not conversation.done:
                result = await conversation.next_turn()
                if result.error:
                    raise SystemExit(f"the warm-up conversation over {transport}: {result.error}")
        finally:
            await conversation.close()
        say(f"  warm-up over {transport}: {len(conversation.results)} turns, order placed")


async def run(args: argparse.Namespace, app: Server, bare: Server) -> dict[str, Any]:
    """Every phase, one after the other."""
    outbox = Outbox(app.extra["outbox"])
    numbers = Numbers()
    transports = [t for t in args.transports.split(",") if t]
    await warm_up(app, outbox, numbers, transports)
    phases: list[dict[str, Any]] = [await echo_loop(bare, args.sessions, args.seconds)]
    for transport in transports:
        phases.append(
            await closed_loop(
                app,
                transport,
                outbox,
                numbers,
                args.sessions,
                args.seconds,
                args.profile.with_stem(f"{args.profile.stem}-{transport}")
                if args.profile
                else None,
            )
        )
        await asyncio.sleep(1)
    for transport in transports:
        phases.append(
            await open_load(
                app,
                transport,
                outbox,
                numbers,
                args.open_sessions,
                args.open_seconds,
                args.mean_gap,
                args.seed,
            )
        )
        await asyncio.sleep(1)
    return {"phases": phases}


def summarise(phases: list[dict[str, Any]]) -> dict[str, Any]:
    """The headline numbers and whether they meet issue 6's targets."""
    by = {p["name"]: p for p in phases}
    summary: dict[str, Any] = {"errors": sum(p["errors"] for p in phases)}
    for name, p in by.items():
        key = name.replace(" ", "_")
        summary[key] = {
            "turns_per_second": p["turns_per_second"],
            "p50_ms": p["latency"]["p50_ms"],
            "p95_ms": p["latency"]["p95_ms"],
            "p99_ms": p["latency"]["p99_ms"],
            "errors": p["errors"],
        }
    checks = []
    for transport in ("ws", "sse"):
        closed, opened = by.get(f"{transport} closed"), by.get(f"{transport} open")
        if closed:
            checks.append(closed["turns_per_second"] >= 100 and closed["errors"] == 0)
        if opened:
            checks.append(
                opened["latency"]["p50_ms"] < 25
                and opened["latency"]["p99_ms"] < 100
                and opened["errors"] == 0
            )
    summary["targets"] = {
        "closed_turns_per_second": 100,
        "open_p50_ms": 25,
        "open_p99_ms": 100,
        "errors": 0,
    }
    summary["met"] = bool(checks) and all(checks)
    return summary


def plots(phases: list[dict[str, Any]], raw: dict[str, list[float]]) -> None:
    """Throughput bars and latency curves."""
    closed = [p for p in phases if "closed" in p["name"] or p["name"] == "ws echo"]
    save_bar_chart(
        RESULTS / "chat_throughput.png",
        "Chat turns/s, closed loop (whole orders, real stores)",
        [p["name"] for p in closed],
        [p["turns_per_second"] for p in closed],
        "turns (echo: messages) per second",
        target=100,
        note=busy_note(),
    )
    save_latency_cdf(
        RESULTS / "chat_latency.png",
        "Chat turn latency (send to RUN_FINISHED)",
        raw,
        note=busy_note(),
    )


def main() -> None:
    """Parse options, start stores and servers, run the phases, save the results."""
    global COUNTERS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=100, help="closed loop (default 100)")
    parser.add_argument("--seconds", type=float, default=20, help="each closed loop (default 20)")
    parser.add_argument("--open-sessions", type=int, default=200, help="open load (default 200)")
    parser.add_argument("--open-seconds", type=float, default=30, help="each open load (30)")
    parser.add_argument("--mean-gap", type=float, default=4.0, help="open load: mean seconds")
    parser.add_argument("--transports", default="ws,sse", help="ws,sse (default both)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--workers", type=int, default=2, help="uvicorn workers of the app and the echo (2)"
    )
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="py-spy the app (every worker) during each closed loop: PATH.svg flame graph "
        "(.txt: folded stacks)",
    )
    args = parser.parse_args()
    raise_fd_limit()
    with (
        embedded_stores() as stores,
        app_server(stores, workers=args.workers) as app,
        bare_server(stores.directory, workers=args.workers) as bare,
    ):
        COUNTERS = StoreCounters(stores)
        report = asyncio.run(run(args, app, bare))
    phases = report["phases"]
    raw = {p["name"]: p.pop("_raw") for p in phases}
    report["summary"] = summarise(phases)
    report["script"] = [s.text for s in ORDER_SCRIPT]
    report["settings"] = {
        "server": f"restaurant serve --workers {args.workers}: uvicorn, uvloop + httptools, "
        + server_processes(args.workers)
        + ", LOG_LEVEL=WARNING; the bare echo with the same workers",
        "workers": args.workers,
        "stores": "embedded PostgreSQL 18, Redis 6.2 (unix socket), nx-27017 MongoDB wire",
        "load": "one asyncio process; each conversation from its own 127.x.y.z address",
    }
    path = write_results("chat", report, args.out)
    if not args.no_plot:
        plots(phases, raw)
    print(json.dumps(report["summary"], indent=2))
    say(f"wrote {path}")


if __name__ == "__main__":
    main()
