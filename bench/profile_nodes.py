"""CPU per graph node, tool and store call of an offline order, in-process on the real stores.

    uv run python -m bench.profile_nodes                    # 40 conversations, a table
    uv run python -m bench.profile_nodes --calls 300        # and the stores called alone
    uv run python -m bench.profile_nodes --cprofile /tmp/c.prof --cprofile-steps "make that large"
    uv run py-spy record --rate 1000 --format raw -o /tmp/s.txt -- \
        python -m bench.profile_nodes --conversations 250
    uv run python -m bench.profile_nodes --stacks /tmp/s.txt --within "cart (graph/nodes.py"

The compiled graph (`graph.builder.build_graph`, the Redis checkpointer) runs the order script of
`bench/clients.py` one conversation at a time, as the chat runner runs a turn (a Context from
`build_context` per turn, `durability="exit"`, the runner's stream modes), on embedded
PostgreSQL, Redis and MongoDB-wire servers of its own (started in a temporary directory, removed
at the end; migrations applied, the demo menu imported). No socket, no WebSocket, no event log:
this is the graph and its stores alone, one turn at a time, so nothing else runs in the process
while a turn is timed.

CPU is this process's (`time.process_time`: user + system, PostgreSQL's and Redis's own work is
theirs) and is attributed by wrapping, after compiling, each node's function (start to end), the
tools' custom events (CPU from the node's start to the event: `node -> <tool>` rows) and the
store methods (`CartService.add`, `OrderService.place`, ...). A node's time includes the store
calls it made. The first `--warmup` conversations are not counted (statement caches, prepared
statements, the lexicon). `--calls N` then times the stores alone, N calls each, on one session
at a time. `--cprofile PATH` profiles the counted turns (only those of `--cprofile-steps`, when
given) and prints the functions with the most own and cumulative time (a coroutine's cumulative
time there includes the event loop's work while it waited: py-spy's stacks attribute better).
`--stacks` reads py-spy's raw (folded) output instead of running anything, and sums, for the
samples with a `--within` frame on their stack, the samples of every frame from there up.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import gc
import json
import pstats
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

from bench.clients import ORDER_SCRIPT, phone_for
from bench.harness import embedded_stores, import_demo_always_open, machine, say

ROOT = Path(__file__).resolve().parents[1]
STREAM_MODES = ["custom", "tasks", "values"]  # the chat runner's

# (what, name) -> CPU seconds of each counted call
Samples = defaultdict[tuple[str, str], list[float]]


class Meter:
    """Collects CPU samples while `on` is set, keyed by what was measured."""

    def __init__(self) -> None:
        self.samples: Samples = defaultdict(list)
        self.on = False
        self.step = ""

    def add(self, kind: str, name: str, seconds: float) -> None:
        """One sample for the current step."""
        if self.on:
            self.samples[(self.step, f"{kind} {name}")].append(seconds)


def _timed_node(meter: Meter, name: str, afunc: Callable[..., Awaitable[Any]]) -> Any:
    """The node function, timed from its start to its end, with its tool events timed too."""

    @functools.wraps(afunc)
    async def node(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        runtime = kwargs.get("runtime")
        if runtime is not None:
            write = runtime.stream_writer

            def writer(event: Any) -> None:
                if isinstance(event, dict) and event.get("type") == "tool":
                    meter.add("node", f"{name} -> {event['name']}", time.process_time() - started)
                write(event)

            kwargs["runtime"] = runtime.override(stream_writer=writer)
        try:
            return await afunc(*args, **kwargs)
        finally:
            meter.add("node", name, time.process_time() - started)

    return node


def _time_nodes(graph: Any, meter: Meter) -> None:
    for name, node in graph.nodes.items():
        bound = node.bound
        afunc = getattr(bound, "afunc", None)
        if afunc is not None:
            bound.afunc = _timed_node(meter, name, afunc)


def _time_method(cls: type, name: str, meter: Meter) -> None:
    method = getattr(cls, name)

    @functools.wraps(method)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return await method(*args, **kwargs)
        finally:
            meter.add("store", f"{cls.__name__}.{name}", time.process_time() - started)

    setattr(cls, name, timed)


@contextmanager
def _profiling(profiler: cProfile.Profile | None, on: bool) -> Iterator[None]:
    if profiler is None or not on:
        yield
        return
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()


async def _conversation(
    resources: Any, graph: Any, meter: Meter, n: int, profile: Callable[[str], Any]
) -> None:
    """One whole order, sign-in included; a turn's CPU is recorded under its step's text."""
    from graph.state import TurnInput
    from restaurant.chat.context import build_context
    from tests.integration.auth_support import last_code

    services = resources.services
    created = await services.sessions.create()
    typed, e164 = phone_for(10_000 + n)
    client = f"127.9.{n // 250 % 250}.{n % 250 + 1}"
    config: Any = {"configurable": {"thread_id": created.session_id}}
    token = [created.token]  # a sign-in hands the session a new one

    def take_token(new: str, expires_in: int) -> None:
        token[0] = new

    for step in ORDER_SCRIPT:
        text = step.text
        if step.kind == "phone":
            text = text.format(phone=typed)
        elif step.kind == "code":
            text = last_code(resources.settings.outbox_path, e164)
        meter.step = step.text
        auth = await services.sessions.resolve(token[0])
        assert auth is not None
        with profile(step.text):
            started = time.process_time()
            context = await build_context(
                resources, auth, created.session_id, client=client, on_token=take_token
            )
            names: list[str] = []
            async for mode, chunk in graph.astream(
                TurnInput(text=text),
                config,
                context=context,
                durability="exit",
                stream_mode=STREAM_MODES,
            ):
                if mode == "custom" and isinstance(chunk, dict) and chunk.get("type") == "card":
                    names.append(chunk["name"])
            meter.add("turn", "(whole graph run)", time.process_time() - started)
        if step.expect and step.expect not in names:
            raise RuntimeError(f"{step.text!r}: no {step.expect} card (got {names})")


async def _store_calls(resources: Any, meter: Meter, calls: int) -> None:
    """The stores alone: add, update, remove, get and place, `calls` times each."""
    from graph.intents import OrderType
    from graph.models import ChoiceSpec, LineSpec, OrderCreate

    services = resources.services
    user = await services.users.upsert("+12125559999")
    pizza = LineSpec(
        item="pepperoni_pizza",
        quantity=2,
        choices=(ChoiceSpec(group="pizza_size", option="large"),),
    )
    for _ in range(calls):
        session = f"bench-{uuid4().hex[:16]}"
        carts = services.carts.for_user(user)
        meter.step = "(stores alone)"
        await carts.add(session, [pizza])
        change = await carts.add(session, [LineSpec(item="margherita_pizza")])
        line = change.cart.lines[-1].id
        await carts.update_line(
            session, line, choices=[ChoiceSpec(group="pizza_size", option="large")]
        )
        coke = await carts.add(session, [LineSpec(item="coke", quantity=2)])
        await carts.remove_line(session, coke.lines[0].id)
        await carts.get(session)
        await services.orders.place(
            OrderCreate(
                session_id=session,
                user_id=user,
                type=OrderType.PICKUP,
                idempotency_key=uuid4().hex,
            )
        )


def fold_summary(path: Path, within: str, top: int) -> str:
    """py-spy's folded stacks summed from the first frame containing `within` upwards: each
    frame's inclusive samples (counted once per stack) and the leaves' own samples."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = inside = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        frames = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        start = next((i for i, f in enumerate(frames) if within in f), None)
        if start is None:
            continue
        inside += n
        for frame in set(frames[start:]):
            inclusive[frame] += n
        own[frames[-1]] += n
    lines = [f"{total} samples, {inside} with {within!r} on the stack", "--- inclusive ---"]
    lines += [f"{v:7d} {100 * v / inside:5.1f}%  {k}" for k, v in inclusive.most_common(top)]
    lines.append("--- own ---")
    lines += [f"{v:7d} {100 * v / inside:5.1f}%  {k}" for k, v in own.most_common(top // 2)]
    return "\n".join(lines)


def _table(samples: Samples) -> list[dict[str, Any]]:
    order = {step.text: i for i, step in enumerate(ORDER_SCRIPT)}
    rows = []
    for (step, what), values in sorted(
        samples.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])
    ):
        ms = sorted(v * 1000 for v in values)
        rows.append(
            {
                "step": step,
                "what": what,
                "n": len(ms),
                "median_ms": round(statistics.median(ms), 3),
                "mean_ms": round(statistics.fmean(ms), 3),
                "p10_ms": round(ms[len(ms) // 10], 3),
            }
        )
    return rows


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Start the stores, run the conversations (and the store calls), return the figures."""
    from graph.builder import build_graph
    from graph.checkpoint import RedisSaver
    from restaurant.db.migrate import upgrade
    from restaurant.lifespan import open_resources
    from restaurant.services.carts import CartService
    from restaurant.services.orders import OrderService
    from restaurant.settings import Settings

    meter = Meter()
    for method in ("add", "update_line", "remove_line", "get", "clear"):
        _time_method(CartService, method, meter)
    _time_method(OrderService, "place", meter)
    profiler = cProfile.Profile() if args.cprofile else None
    wanted = set(args.cprofile_steps or [])

    def profile(step: str) -> Any:
        return _profiling(profiler, meter.on and (not wanted or step in wanted))

    with embedded_stores("profile-nodes-") as stores:
        await asyncio.to_thread(upgrade, stores.postgres_url)
        await import_demo_always_open(stores.postgres_url)  # the order goes in at any hour
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            db={"url": stores.postgres_url},
            redis={"url": stores.redis_url},
            mongo={"url": stores.mongo_url, "database": "profile"},
            data_dir=stores.directory / "app",
        )
        async with open_resources(settings) as resources:
            graph = build_graph(checkpointer=RedisSaver(resources.redis, ttl_seconds=600))
            _time_nodes(graph, meter)
            say(f"{args.warmup} warm-up conversations ...")
            for n in range(args.warmup):
                await _conversation(resources, graph, meter, n, profile)
            # As the service runs: start-up's objects frozen, no full collections meanwhile.
            gc.collect()
            gc.freeze()
            gc.set_threshold(gc.get_threshold()[0], gc.get_threshold()[1], 2**31 - 1)
            say(f"{args.conversations} conversations ...")
            meter.on = True
            wall = time.perf_counter()
            for n in range(args.warmup, args.warmup + args.conversations):
                await _conversation(resources, graph, meter, n, profile)
            wall = time.perf_counter() - wall
            if args.calls:
                say(f"{args.calls} x the store calls ...")
                meter.on = False
                await _store_calls(resources, meter, min(args.calls, 20))
                meter.on = True
                with _profiling(profiler, not wanted or "(stores alone)" in wanted):
                    await _store_calls(resources, meter, args.calls)
            meter.on = False
    rows = _table(meter.samples)
    if profiler is not None:
        profiler.dump_stats(args.cprofile)
        for key in ("tottime", "cumulative"):
            print(f"\n--- cProfile by {key} ---", file=sys.stderr)
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats(key).print_stats(args.top)
    return {
        "settings": {
            "conversations": args.conversations,
            "warmup": args.warmup,
            "calls": args.calls,
        },
        "machine": machine(),
        "seconds": round(wall, 2),
        "rows": rows,
    }


def main() -> None:
    """Parse the options, run, print the table on stderr and the JSON on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--calls", type=int, default=0, help="then N calls of each store method")
    parser.add_argument("--cprofile", type=Path, help="write cProfile stats of the counted turns")
    parser.add_argument(
        "--cprofile-steps", nargs="*", help="profile only these steps (texts of the script)"
    )
    parser.add_argument("--top", type=int, default=40, help="functions printed per cProfile sort")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    parser.add_argument(
        "--stacks", type=Path, help="summarise py-spy raw output instead of running"
    )
    parser.add_argument("--within", default="cart (graph/nodes.py", help="frame for --stacks")
    args = parser.parse_args()
    if args.stacks:
        print(fold_summary(args.stacks, args.within, args.top))
        return
    report = asyncio.run(run(args))
    say(f"\n{'step':28} {'what':52} {'n':>5} {'median ms':>10} {'mean ms':>8}")
    for row in report["rows"]:
        say(
            f"{row['step'][:28]:28} {row['what'][:52]:52} {row['n']:5d} "
            f"{row['median_ms']:10.3f} {row['mean_ms']:8.3f}"
        )
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
