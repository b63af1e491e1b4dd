"""Stores that go away: Redis down gives 503 / RUN_ERROR with a clear message and service comes
back by itself; an absent MongoDB never slows or fails a turn (transcripts wait and retry)."""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from restaurant.dev.embedded import EmbeddedServers
from restaurant.settings import Settings
from tests.integration.chat_support import LiveServer, new_session, sse_turn, types, verify


def on_redis(settings: Settings, servers: EmbeddedServers) -> Settings:
    """`settings` with the Redis of `servers`."""
    assert servers.redis_url
    return settings.model_copy(
        update={"redis": settings.redis.model_copy(update={"url": servers.redis_url})}
    )


@pytest.fixture
def own_redis() -> Iterator[EmbeddedServers]:
    """A Redis of this test's own, so stopping it disturbs no other test."""
    with tempfile.TemporaryDirectory(prefix="chat-redis-") as directory:
        servers = EmbeddedServers(Path(directory))
        servers.start(postgres=False, redis=True, mongo=False)
        yield servers
        servers.stop()


async def test_chat_redis_down_is_503_and_run_error_then_recovers(
    app_settings: Settings, own_redis: EmbeddedServers
) -> None:
    with LiveServer(on_redis(app_settings, own_redis)) as live:
        session = await new_session(live.url)
        ok = await sse_turn(live.url, session, "a coke")
        assert ok[-1].event["type"] == "RUN_FINISHED"
        async with websockets.connect(
            f"{live.ws_url}/api/v1/chat/{session.session_id}", additional_headers=session.headers
        ) as ws:
            for _ in range(4):  # the history run
                await ws.recv()
            own_redis.stop()
            await ws.send(json.dumps({"type": "message", "text": "a coke"}))
            events = [json.loads(await ws.recv()) for _ in range(2)]
            assert types(events) == ["RUN_STARTED", "RUN_ERROR"]
            assert events[1]["code"] == "STORE_UNAVAILABLE"
            assert "not reachable" in events[1]["message"]
            verify(events)
            async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
                down = await client.post(
                    f"/api/v1/chat/{session.session_id}/stream",
                    json={"message": "a coke"},
                    headers=session.headers,
                )
            assert down.status_code == 503
            assert down.headers["content-type"].startswith("application/problem+json")
            assert "retry" in down.json()["detail"]
            own_redis.start(postgres=False, redis=True, mongo=False)
            # Same socket, same data (append-only file): the session and the chat are back.
            for _ in range(50):
                await ws.send(json.dumps({"type": "message", "text": "a coke"}))
                run: list[dict[str, Any]] = []
                while not run or run[-1]["type"] not in ("RUN_FINISHED", "RUN_ERROR"):
                    run.append(json.loads(await ws.recv()))
                if run[-1]["type"] == "RUN_FINISHED":
                    break
                await asyncio.sleep(0.1)
            assert run[-1]["type"] == "RUN_FINISHED"
            back = await sse_turn(live.url, session, "a coke")
            assert back[-1].event["type"] == "RUN_FINISHED"
            verify([e.event for e in back])


async def test_chat_without_mongodb_turns_still_answer_quickly(app_settings: Settings) -> None:
    settings = app_settings.model_copy(
        update={
            "mongo": app_settings.mongo.model_copy(
                update={"url": "mongodb://127.0.0.1:9/?serverSelectionTimeoutMS=500"}
            )
        }
    )
    with LiveServer(settings) as live:
        session = await new_session(live.url)
        started = time.perf_counter()
        for text in ("a coke", "two large pepperoni pizzas"):
            events = await sse_turn(live.url, session, text)
            assert events[-1].event["type"] == "RUN_FINISHED"
            verify([e.event for e in events])
        assert time.perf_counter() - started < 5, "MongoDB being away costs a turn nothing"
        transcripts = live.chat.transcripts
        for _ in range(50):
            if transcripts.stats.failures:
                break
            await asyncio.sleep(0.1)
        stats = transcripts.describe()
        assert stats["failures"] >= 1 and stats["pending"] == 2 and stats["dropped"] == 0


async def test_chat_socket_closes_4503_when_redis_is_down_at_connect(
    app_settings: Settings, own_redis: EmbeddedServers
) -> None:
    with LiveServer(on_redis(app_settings, own_redis)) as live:
        session = await new_session(live.url)
        own_redis.stop()
        async with websockets.connect(
            f"{live.ws_url}/api/v1/chat/{session.session_id}", additional_headers=session.headers
        ) as ws:
            events: list[dict[str, Any]] = []
            with pytest.raises(ConnectionClosed) as closed:  # noqa: PT012 - read to the close
                while True:
                    events.append(json.loads(await ws.recv()))
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4503
        assert events[-1]["code"] == "STORE_UNAVAILABLE"
        verify(events)
