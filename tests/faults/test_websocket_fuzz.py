"""A WebSocket fuzzer against the chat on a real socket: malformed, huge, binary and out-of-order
frames, rapid connect/disconnect and frames after close. The server answers each bad frame with a
clear RUN_ERROR, keeps the socket usable, and a normal turn works afterwards.

tests/integration/test_chat_bad_input.py checks one frame of each kind; this sends a seeded,
bounded mix of many, on several sockets at once.
"""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import httpx
import websockets
from websockets.exceptions import ConnectionClosed

from tests.integration.chat_support import (
    LiveServer,
    Session,
    cards,
    live,
    new_session,
    types,
    verify,
)

__all__ = ["live"]

ERROR_CODES = {"MALFORMED", "UNKNOWN_TYPE", "TOO_LARGE", "BAD_MESSAGE", "BINARY_FRAME"}


def _frames(rng: random.Random, count: int) -> list[str | bytes]:
    """A seeded mix of bad frames: broken JSON, wrong shapes, huge, binary, control bytes."""
    makers = [
        lambda: "{" * rng.randint(1, 50),
        lambda: json.dumps({"type": "message", "text": "x" * rng.randint(4097, 60_000)}),
        lambda: rng.randbytes(rng.randint(1, 2048)),
        lambda: json.dumps({"type": rng.choice(["", "run", "MESSAGE", "cancel", None, 7])}),
        lambda: json.dumps({"type": "message", "text": rng.choice([None, 3, [], {}, " \t\n"])}),
        lambda: json.dumps([rng.random() for _ in range(rng.randint(0, 20))]),
        lambda: json.dumps(rng.choice([None, True, 42, "message", 1e308])),
        lambda: "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(1, 200))),
        lambda: json.dumps({"text": "a coke"}),  # a message frame with its type missing
        lambda: json.dumps({"type": "message", "text": "a coke", "threadId": "x" * 100}),
        lambda: "\x00" * rng.randint(1, 100),
        lambda: json.dumps({"type": "message", "text": "é" * 2100}),  # over 4 KB as UTF-8
    ]
    return [rng.choice(makers)() for _ in range(count)]


async def _run(ws: Any) -> list[dict[str, Any]]:
    """Events up to the next RUN_FINISHED or RUN_ERROR."""
    got: list[dict[str, Any]] = []
    while not got or got[-1]["type"] not in ("RUN_FINISHED", "RUN_ERROR"):
        got.append(json.loads(await asyncio.wait_for(ws.recv(), 20)))
    return got


async def _fuzz_one_socket(live: LiveServer, session: Session, seed: int) -> list[dict[str, Any]]:
    """Send 40 fuzzed frames one after another on one socket; each is answered, then a turn."""
    rng = random.Random(seed)
    runs: list[dict[str, Any]] = []
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}",
        additional_headers=session.headers,
        max_size=2**22,
    ) as ws:
        await _run(ws)  # the history
        for frame in _frames(rng, 40):
            await ws.send(frame)
            run = await _run(ws)
            runs.append({"frame": frame, "events": run})
        await ws.send(json.dumps({"type": "message", "text": "a coke"}))
        runs.append({"frame": "a coke", "events": await _run(ws)})
    return runs


async def test_websocket_fuzz_bad_frames_get_clear_errors_and_the_socket_stays_usable(
    live: LiveServer,
) -> None:
    """Four sockets, 40 fuzzed frames each: every one a RUN_ERROR with a code, then a real turn."""
    sessions = [await new_session(live.url) for _ in range(4)]
    results = await asyncio.gather(
        *(_fuzz_one_socket(live, s, seed) for seed, s in enumerate(sessions))
    )
    for runs in results:
        *bad, good = runs
        for run in bad:
            events = run["events"]
            # A frame that happens to be a valid message is a turn; every other is refused clearly.
            if types(events)[-1] == "RUN_ERROR":
                assert types(events) == ["RUN_STARTED", "RUN_ERROR"], events
                assert events[-1]["code"] in ERROR_CODES, events[-1]
                assert events[-1]["message"]
            else:
                assert json.loads(run["frame"])["type"] == "message"
        assert types(good["events"])[-1] == "RUN_FINISHED"
        assert cards(good["events"], "CART_CARD")
        verify([e for run in runs for e in run["events"]])


async def test_websocket_fuzz_out_of_order_and_oversized_frames(live: LiveServer) -> None:
    """Frames before the history is read, a burst of interleaved good and bad frames, and a
    frame beyond any sane size: answered in order, or closed with 1009, never a crash."""
    session = await new_session(live.url)
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}",
        additional_headers=session.headers,
        max_size=2**22,
    ) as ws:
        # Sent before reading the history's events: out of order for a polite client.
        burst: list[str | bytes] = [
            json.dumps({"type": "message", "text": "a coke"}),
            b"\xff\xfe",
            "{oops",
            json.dumps({"type": "message", "text": "a sprite"}),
            json.dumps({"type": "hello"}),
        ]
        for frame in burst:
            await ws.send(frame)
        runs = [await _run(ws) for _ in range(len(burst) + 1)]
        outcomes = [run[-1].get("code") or run[-1]["type"] for run in runs[1:]]
        # Bad frames are refused at once and may overtake queued turns; the turns keep their order
        # and no run's events land inside another's (the verifier checks the whole stream).
        assert sorted(outcomes) == sorted(
            ["RUN_FINISHED", "BINARY_FRAME", "MALFORMED", "RUN_FINISHED", "UNKNOWN_TYPE"]
        )
        finished = [run for run in runs[1:] if run[-1]["type"] == "RUN_FINISHED"]
        labels = [json.dumps(cards(run, "CART_CARD")[-1]).lower() for run in finished]
        assert "sprite" not in labels[0] and "sprite" in labels[1]
        verify([e for run in runs for e in run])
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}",
        additional_headers=session.headers,
        max_size=2**22,
    ) as ws:
        await _run(ws)
        closed_code: int | None = None
        try:
            await ws.send("x" * (3 * 2**20))
            run = await _run(ws)
            assert run[-1]["code"] in ("TOO_LARGE", "MALFORMED"), run
        except ConnectionClosed as closed:
            closed_code = closed.rcvd.code if closed.rcvd else None
        if closed_code is not None:
            assert closed_code == 1009  # "message too big", said clearly
    await _assert_still_serving(live, session)


async def test_websocket_fuzz_rapid_connects_and_frames_after_close(live: LiveServer) -> None:
    """100 connects dropped at once (some mid-frame, some after close) leave the chat serving."""
    session = await new_session(live.url)
    rng = random.Random(7)

    async def hit_and_run(n: int) -> None:
        ws = await websockets.connect(
            f"{live.ws_url}/api/v1/chat/{session.session_id}", additional_headers=session.headers
        )
        kind = n % 4
        if kind == 1:
            await ws.send(json.dumps({"type": "message", "text": "a coke"}))
        elif kind == 2:
            await ws.send(rng.randbytes(64))
        if kind == 3:
            ws.transport.abort()  # no close handshake: the TCP connection just vanishes
            return
        await ws.close()
        try:
            await ws.send(json.dumps({"type": "message", "text": "after close"}))
        except ConnectionClosed:
            pass
        else:  # pragma: no cover - the client library refuses first
            raise AssertionError("a frame was sent after close")

    await asyncio.gather(*(hit_and_run(n) for n in range(100)))
    users = await _assert_still_serving(live, session)
    # Messages sent just before their client went away still ran (up to the queue's bound, past
    # which they are refused as BUSY); nothing sent after close ever became a turn.
    assert 1 <= users.count("a coke") <= 25
    assert set(users) == {"a coke", "two large pepperoni pizzas"}
    assert "after close" not in users


async def _assert_still_serving(live: LiveServer, session: Session) -> list[str]:
    """A normal turn works on a new socket and health is ok; returns the user messages so far."""
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}", additional_headers=session.headers
    ) as ws:
        await _run(ws)
        order = json.dumps({"type": "message", "text": "two large pepperoni pizzas"})
        await ws.send(order)
        # Every socket of a session sees all its runs: turns queued by sockets already gone
        # finish first, and a full queue refuses ours as BUSY: send it again once one finishes.
        busy = False
        for _ in range(200):
            run = await _run(ws)
            if run[-1].get("code") == "BUSY":
                busy = True
                continue
            if busy and run[-1]["type"] == "RUN_FINISHED":
                busy = False
                await ws.send(order)
            lines = cards(run, "CART_CARD")[-1]["lines"] if cards(run, "CART_CARD") else []
            if any(line["item"] == "pepperoni_pizza" for line in lines):
                break
    assert run[-1]["type"] == "RUN_FINISHED"
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        assert (await client.get("/health/ready")).status_code == 200
        history = await client.get(
            f"/api/v1/chat/{session.session_id}/messages", headers=session.headers
        )
    assert history.status_code == 200
    users = [m["content"] for m in history.json()["messages"] if m["role"] == "user"]
    # Not necessarily the last one: a frame that a dropped socket sent may reach the server's
    # queue after ours (the server reads it later than the client sent it) and run after it.
    assert "two large pepperoni pizzas" in users
    return users
