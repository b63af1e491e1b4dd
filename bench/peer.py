"""Peer benchmark: our service against LangGraph's own server on the same graph, same run.

    uv run python -m bench.peer                          # 100 sessions, 20 s each side
    uv run python -m bench.peer --sessions 10 --seconds 5
    uv run python -m bench.peer --workers 2             # our app with two uvicorn workers

The peer is `langgraph dev` (`langgraph-cli[inmem]`: in-memory runs and checkpoints) serving
`graph.builder.build_graph()` on the in-memory services (`bench/peer/peer_graph.py`,
`bench/peer/langgraph.json`), with `--n-jobs-per-worker` as high as the number of sessions so
it never queues runs for lack of workers, no reloader, telemetry, version check or tracing.
Each peer turn is `POST /threads/{id}/runs/wait` (the least work the peer can do for a turn:
no streaming); ours is the WebSocket turn of `bench/chat.py` (every AG-UI event streamed) on real
PostgreSQL, Redis and MongoDB-wire. Both sides run the same order script in a closed loop with
`--sessions` conversations for `--seconds`, one side after the other. Ours runs with `--workers`
uvicorn workers (default 1; the peer is one `langgraph dev` process either way). Writes
bench/results/peer.json and peer.png.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.chat as chat_bench
from bench.chat import Numbers, StoreCounters, Tally, _measured, closed_loop, warm_up
from bench.clients import ORDER_SCRIPT, HttpClient, Outbox, TurnResult, phone_for
from bench.harness import (
    RESULTS,
    ROOT,
    Server,
    app_server,
    busy_note,
    embedded_stores,
    free_port,
    raise_fd_limit,
    save_bar_chart,
    say,
    serve,
    server_processes,
    write_results,
)

PEER_DIR = ROOT / "bench" / "peer"
PEER_CODE = "246810"  # bench/peer/peer_graph.py: the in-memory identity's fixed code
# No analytics, version check, tracing or license look-ups: the peer must not reach the internet.
PEER_ENV = {
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    "LANGGRAPH_NO_VERSION_CHECK": "true",
    "LANGSMITH_TRACING": "false",
    "LANGCHAIN_TRACING_V2": "false",
}
PEER_UNSET = (
    "LANGSMITH_API_KEY",
    "LANGCHAIN_API_KEY",
    "LANGSMITH_ENDPOINT",
    "LANGGRAPH_CLOUD_LICENSE_KEY",
    "LANGSMITH_CONTROL_PLANE_API_KEY",
)


def peer_config(directory: Path) -> Path:
    """`bench/peer/langgraph.json` with absolute paths, written into `directory`.

    `langgraph dev` resolves the config's paths against its working directory and keeps its
    in-memory state there (`.langgraph_api/`), so it runs in the run's temporary directory.
    """
    config = json.loads((PEER_DIR / "langgraph.json").read_text())
    config.pop("$comment", None)
    config["dependencies"] = [str(PEER_DIR)]
    config["graphs"] = {
        name: str(PEER_DIR / spec.removeprefix("./")) for name, spec in config["graphs"].items()
    }
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "langgraph.json"
    path.write_text(json.dumps(config, indent=2))
    return path


def langgraph_binary() -> str:
    """The `langgraph` CLI of this environment."""
    path = Path(sys.executable).parent / "langgraph"
    if not path.exists():
        sys.exit('langgraph-cli is missing: uv sync (it is the dev dependency "langgraph-cli")')
    return str(path)


class PeerConversation:
    """One customer going through the order script on the peer's REST API."""

    def __init__(self, number: int, port: int, timeout: float = 30) -> None:
        self.number = number
        self.http = HttpClient(port)
        self.timeout = timeout
        self.thread_id = ""
        self.position = 0
        self.order: dict[str, Any] | None = None
        self.failed = False

    @property
    def done(self) -> bool:
        """Whether every step has been said."""
        return self.position >= len(ORDER_SCRIPT) or self.failed

    async def open(self) -> None:
        """Create the thread."""
        status, body = await self.http.request(
            "POST", "/threads", {"Content-Type": "application/json"}, b"{}"
        )
        if status != 200:
            raise RuntimeError(f"POST /threads: HTTP {status}: {body[:200]!r}")
        self.thread_id = str(json.loads(body)["thread_id"])

    async def next_turn(self) -> TurnResult:
        """Say the next step and check the reply's cards."""
        step = ORDER_SCRIPT[self.position]
        self.position += 1
        typed, _ = phone_for(self.number)
        text = step.text.format(phone=typed) if step.kind == "phone" else step.text
        if step.kind == "code":
            text = PEER_CODE
        body = json.dumps(
            {
                "assistant_id": "restaurant",
                "input": {"text": text},
                "context": {"session_id": self.thread_id},
            }
        ).encode()
        started = time.perf_counter()
        try:
            status, raw = await asyncio.wait_for(
                self.http.request(
                    "POST",
                    f"/threads/{self.thread_id}/runs/wait",
                    {"Content-Type": "application/json"},
                    body,
                ),
                self.timeout,
            )
        except (TimeoutError, OSError) as exc:
            self.failed = True
            return TurnResult(time.perf_counter() - started, 0, [], f"{type(exc).__name__}: {exc}")
        elapsed = time.perf_counter() - started
        if status != 200:
            self.failed = True
            return TurnResult(elapsed, 0, [], f"HTTP {status}: {raw[:200]!r}")
        values = json.loads(raw)
        messages = values.get("messages") or []
        last = messages[-1] if messages else {}
        cards = (last.get("additional_kwargs") or {}).get("cards") or []
        names = [str(c.get("name")) for c in cards]
        error = values.get("__error__") and f"run error: {values['__error__']}"
        if not error and step.expect and step.expect not in names:
            error = f"{text!r} showed {names or 'no card'}, expected {step.expect}"
        for card in cards:
            if card.get("name") == "ORDER_DATA":
                self.order = card.get("data")
        if error:
            self.failed = True
        return TurnResult(elapsed, 1, names, error or None, self.order)


async def peer_loop(peer: Server, sessions: int, seconds: float) -> dict[str, Any]:
    """`sessions` conversations back to back on the peer for `seconds`."""
    tally = Tally("peer closed")
    deadline = time.perf_counter() + seconds
    numbers = Numbers()

    async def one() -> None:
        while time.perf_counter() < deadline:
            conversation = PeerConversation(100_000 + numbers.take(), peer.port)
            try:
                await conversation.open()
                while not conversation.done and time.perf_counter() < deadline:
                    step = ORDER_SCRIPT[conversation.position].text
                    tally.add(await conversation.next_turn(), step)
                if conversation.order and conversation.order.get("status") == "placed":
                    tally.orders += 1
                    tally.conversations += 1
            except Exception as exc:
                tally.fail(f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(0.1)
            finally:
                await conversation.http.close()

    async def work() -> None:
        await asyncio.gather(*(one() for _ in range(sessions)))

    say(f"{tally.name}: {sessions} sessions back to back for {seconds:.0f} s ...")
    return await _measured(tally, peer, work) | {"sessions": sessions, "transport": "REST wait"}


async def peer_warm_up(peer: Server) -> None:
    """One whole conversation on the peer before measuring; fail loudly if it breaks."""
    conversation = PeerConversation(99_999, peer.port, timeout=60)
    await conversation.open()
    try:
        while not conversation.done:
            result = await conversation.next_turn()
            if result.error:
                raise SystemExit(f"the peer warm-up conversation failed: {result.error}")
    finally:
        await conversation.http.close()
    say(f"  peer warm-up: {conversation.position} turns, order placed")


async def run_ours(args: argparse.Namespace, app: Server) -> dict[str, Any]:
    """Our side: warm-up, then the WebSocket closed loop."""
    outbox = Outbox(app.extra["outbox"])
    numbers = Numbers()
    await warm_up(app, outbox, numbers, ["ws"])
    return await closed_loop(app, "ws", outbox, numbers, args.sessions, args.seconds)


async def run_peer(args: argparse.Namespace, peer: Server) -> dict[str, Any]:
    """The peer's side: warm-up, then its closed loop."""
    await peer_warm_up(peer)
    return await peer_loop(peer, args.sessions, args.seconds)


def main() -> None:
    """Parse options, start both servers, run both sides, save the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of ours (1)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args()
    raise_fd_limit()
    binary = langgraph_binary()
    with embedded_stores() as stores:
        with app_server(stores, workers=args.workers) as app:
            chat_bench.COUNTERS = StoreCounters(stores)
            ours = asyncio.run(run_ours(args, app))
        port = free_port()
        argv = [binary, "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1"]
        peer_dir = stores.directory / "peer"
        argv += ["--port", str(port), "--config", str(peer_config(peer_dir))]
        argv += ["--n-jobs-per-worker", str(max(10, args.sessions))]
        with serve(
            "langgraph-dev",
            argv,
            port=port,
            ready_path="/ok",
            log_dir=stores.directory,
            env=PEER_ENV,
            unset=PEER_UNSET,
            cwd=peer_dir,
            timeout=120,
        ) as peer:
            theirs = asyncio.run(run_peer(args, peer))
    raw = {"ours (WebSocket, real stores)": ours.pop("_raw"), "langgraph dev": theirs.pop("_raw")}
    ratio = (
        ours["turns_per_second"] / theirs["turns_per_second"] if theirs["turns_per_second"] else 0
    )
    report = {
        "ours": ours,
        "peer": theirs,
        "peer_server": "langgraph dev (langgraph-cli[inmem]), in-memory runs and checkpoints",
        "our_server": f"restaurant serve --workers {args.workers}: "
        + server_processes(args.workers),
        "workers": args.workers,
        "summary": {
            "ours_turns_per_second": ours["turns_per_second"],
            "peer_turns_per_second": theirs["turns_per_second"],
            "ratio": round(ratio, 2),
            "ours_p50_ms": ours["latency"]["p50_ms"],
            "peer_p50_ms": theirs["latency"]["p50_ms"],
            "errors": ours["errors"] + theirs["errors"],
            "targets": {"ratio": 3.0, "errors": 0},
            "met": ratio >= 3 and ours["errors"] + theirs["errors"] == 0,
        },
    }
    path = write_results("peer", report, args.out)
    if not args.no_plot:
        save_bar_chart(
            RESULTS / "peer.png",
            f"Turns/s on the same graph, {args.sessions} sessions back to back",
            list(raw),
            [ours["turns_per_second"], theirs["turns_per_second"]],
            "turns per second",
            note=busy_note(),
        )
    print(json.dumps(report["summary"], indent=2))
    say(f"wrote {path}")


if __name__ == "__main__":
    main()
