"""LLM-path benchmark: many conversations through the model path, the service's own overhead.

    uv run python -m bench.llm                          # 200 conversations for 30 s
    uv run python -m bench.llm --sessions 20 --seconds 5
    uv run python -m bench.llm --workers 1              # one app process

The model is the fake OpenAI-compatible server of the tests (`tests/fakes/openai_server.py`) in
a process of its own, answering every request after a fixed `--model-seconds` (0.3 s). The app
is configured with it as its one endpoint (limits high enough never to throttle), so every turn
has its reply worded by the model (and a classification call when the offline reading is
unsure): the fake streams the draft it is given back word by word
(`tests.fakes.writer.steady_answers`), which the app's reply guard accepts. `--sessions`
conversations run the whole order script over WebSocket at once, each sending a message every
`--mean-gap` seconds on average (Poisson arrivals), as people type.
The app runs through `restaurant serve --workers 2` (two uvicorn worker processes under uvicorn's
supervisor, as `bench/chat.py` runs it; `--workers N` to change), and its CPU time is the whole
process tree's.

Overhead = a turn's latency minus the model's time in it. The model's time per turn is the
number of model requests over the number of turns (counted by the fake) times the fixed answer
time: calls within a turn are sequential. Writes bench/results/llm.json and llm.png.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.chat as chat_bench
from bench.chat import Numbers, StoreCounters, open_load, warm_up
from bench.clients import HttpClient, Outbox
from bench.harness import (
    RESULTS,
    ROOT,
    Server,
    app_server,
    busy_note,
    embedded_stores,
    latency_summary,
    profiled,
    quiet_gc,
    raise_fd_limit,
    save_latency_cdf,
    say,
    server_processes,
    write_results,
)

PROBE_KEY = "bench-probe"  # the reference calls: counted apart from the app's


async def probe_model(port: int, until: float, every: float, out: list[float]) -> None:
    """Call the fake model directly, streaming, every `every` s until `until`: the model's time
    as a client on this machine sees it, in the same run (the reference for the overhead)."""
    from graph.prompts import REPLY_INPUT

    # A request like the reply writer's, so the fake streams a reply of the same length back.
    draft = (
        "Added 2 large pepperoni pizzas to your cart, 31.00 so far. Would you like anything"
        " else, a drink perhaps, or shall we check out?"
    )
    content = REPLY_INPUT.format(text="two large pepperoni pizzas", draft=draft, facts="(none)")
    body = json.dumps(
        {
            "model": "gpt-4o-mini",
            "stream": True,
            "messages": [{"role": "user", "content": content}],
        }
    ).encode()
    headers = {"Authorization": f"Bearer {PROBE_KEY}", "Content-Type": "application/json"}
    client = HttpClient(port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            async for _ in client.sse("/v1/chat/completions", headers, body):
                pass
            out.append(time.perf_counter() - started)
            await asyncio.sleep(every)
    finally:
        await client.close()


def serve_fake(latency: float) -> None:
    """Run the fake model server until stdin closes; answers `count` lines with JSON counts."""
    from tests.fakes.openai_server import FakeOpenAI
    from tests.fakes.writer import steady_answers

    fake = FakeOpenAI()
    fake.latency = latency
    # The reply writer gets its draft back word by word (a faithful rewording the app's guard
    # accepts, as a real model's mostly is); the fake's bare "OK" was refused every turn.
    fake.default = steady_answers
    fake.start()
    print(f"PORT {fake.port}", flush=True)
    # The model's answers must not wait for this process's full garbage collections either.
    with quiet_gc():
        for line in sys.stdin:
            if line.strip() == "count":
                kinds = {k: fake.count(kind=k) for k in ("structured", "tools", "text")}  # type: ignore[arg-type]
                probes = fake.count(key=PROBE_KEY)
                print(
                    json.dumps({"total": fake.count() - probes, **kinds, "probes": probes}),
                    flush=True,
                )
    fake.stop()


class FakeModel:
    """The fake model server process."""

    def __init__(self, latency: float) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.llm", "--fake-server", "--model-seconds", str(latency)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"the fake model server did not start: {line!r}")
        self.port = int(line.split()[1])

    def counts(self) -> dict[str, int]:
        """Requests received so far, by kind."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        counts: dict[str, int] = json.loads(self.process.stdout.readline())
        return counts

    def stop(self) -> None:
        """Close its stdin and wait for it to end."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def run(args: argparse.Namespace, app: Server, fake: FakeModel) -> dict[str, Any]:
    """A warm-up conversation, then the measured open load."""
    outbox = Outbox(app.extra["outbox"])
    numbers = Numbers()
    await warm_up(app, outbox, numbers, ["ws"])
    before = fake.counts()
    probes: list[float] = []
    prober = asyncio.create_task(
        probe_model(fake.port, time.perf_counter() + args.seconds + 5, 0.5, probes)
    )
    with profiled(app.pid, args.profile, args.seconds + 5):
        phase = await open_load(
            app, "ws", outbox, numbers, args.sessions, args.seconds, args.mean_gap, args.seed
        )
    prober.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await prober
    after = fake.counts()
    calls = {k: after[k] - before.get(k, 0) for k in after if k != "probes"}
    turns = max(phase["turns"], 1)
    calls_per_turn = calls["total"] / turns
    model_seconds = calls_per_turn * args.model_seconds
    latency = phase["latency"]
    overhead = {
        f"{k.removesuffix('_ms')}_ms": round(v - model_seconds * 1000, 2)
        for k, v in latency.items()
        if k in ("p50_ms", "p95_ms", "p99_ms", "mean_ms")
    }
    direct = latency_summary(probes)
    return {
        # The model called directly from this process during the run: on a busy machine it
        # takes longer than its fixed time, and that part is not the service's.
        "model_direct_latency": direct,
        "overhead_vs_direct_p50_ms": round(
            latency["p50_ms"] - calls_per_turn * direct["p50_ms"], 2
        ),
        "phase": phase,
        "model_calls": calls,
        "model_calls_per_turn": round(calls_per_turn, 3),
        "model_seconds_per_turn": round(model_seconds, 4),
        "overhead": overhead,
    }


def main() -> None:
    """Parse options, start the stores, the fake model and the app, run, save the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=200, help="conversations (default 200)")
    parser.add_argument("--seconds", type=float, default=30, help="measured time (default 30)")
    parser.add_argument("--mean-gap", type=float, default=4.0, help="seconds between messages")
    parser.add_argument("--model-seconds", type=float, default=0.3, help="fake model answer time")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of the app (2)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="py-spy the app (every worker): PATH.svg (.txt: folded)",
    )
    parser.add_argument("--fake-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fake_server:
        serve_fake(args.model_seconds)
        return
    raise_fd_limit()
    fake = FakeModel(args.model_seconds)
    say(f"fake model on 127.0.0.1:{fake.port}, answering in {args.model_seconds} s")
    try:
        endpoint = {
            "base_url": f"http://127.0.0.1:{fake.port}/v1",
            "api_key": "bench-key",
            # Limits the load never reaches: this measures the service, not the rate limiter.
            "requests_per_minute": 1_000_000,
            "tokens_per_minute": 1_000_000_000,
        }
        env = {"LLM__ENDPOINTS": json.dumps([endpoint]), "LLM__TIMEOUT_SECONDS": "10"}
        with (
            embedded_stores() as stores,
            app_server(stores, env=env, workers=args.workers) as app,
        ):
            chat_bench.COUNTERS = StoreCounters(stores)
            result = asyncio.run(run(args, app, fake))
    finally:
        fake.stop()
    phase = result["phase"]
    raw = phase.pop("_raw")
    p50_overhead = result["overhead"]["p50_ms"]
    result["summary"] = {
        "conversations": args.sessions,
        "turns": phase["turns"],
        "errors": phase["errors"],
        "model_seconds": args.model_seconds,
        "model_calls_per_turn": result["model_calls_per_turn"],
        "latency_p50_ms": phase["latency"]["p50_ms"],
        "overhead_p50_ms": p50_overhead,
        "overhead_p99_ms": result["overhead"]["p99_ms"],
        "model_direct_p50_ms": result["model_direct_latency"]["p50_ms"],
        "overhead_vs_direct_p50_ms": result["overhead_vs_direct_p50_ms"],
        "targets": {"errors": 0, "overhead_p50_ms": 20},
        "met": phase["errors"] == 0 and p50_overhead < 20,
    }
    result["settings"] = {
        "server": f"restaurant serve --workers {args.workers}: uvicorn, uvloop + httptools, "
        + server_processes(args.workers)
        + ", LOG_LEVEL=WARNING",
        "workers": args.workers,
        "model": f"tests/fakes/openai_server.py in its own process, {args.model_seconds} s",
    }
    path = write_results("llm", result, args.out)
    if not args.no_plot:
        save_latency_cdf(
            RESULTS / "llm.png",
            f"LLM-path turn latency ({args.sessions} conversations, model {args.model_seconds} s)",
            {"turn latency": raw},
            note=busy_note(),
        )
    print(json.dumps(result["summary"], indent=2))
    say(f"wrote {path}")


if __name__ == "__main__":
    main()
