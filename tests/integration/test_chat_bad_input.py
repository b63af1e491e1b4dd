"""Bad input on every chat transport: a clear error event (the WebSocket stays usable where that
makes sense) or 4xx problem details; unknown, foreign and expired sessions get nothing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import websockets
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin

from restaurant.auth.sessions import SessionService, hash_token
from restaurant.settings import ChatSettings, Settings
from tests.integration.chat_support import (
    LiveServer,
    Session,
    live,
    new_session,
    types,
    verify,
)

__all__ = ["live"]  # the fixture, imported for pytest


async def _recv_run(ws: Any) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    while not got or got[-1]["type"] not in ("RUN_FINISHED", "RUN_ERROR"):
        got.append(json.loads(await ws.recv()))
    return got


async def test_chat_websocket_bad_frames_get_errors_and_the_socket_stays_usable(
    live: LiveServer,
) -> None:
    session = await new_session(live.url)
    seen: list[dict[str, Any]] = []
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}", additional_headers=session.headers
    ) as ws:
        seen += await _recv_run(ws)  # the history
        cases: list[tuple[str | bytes, str]] = [
            ("{not json", "MALFORMED"),
            (json.dumps({"type": "hello"}), "UNKNOWN_TYPE"),
            (json.dumps(["message", "hi"]), "UNKNOWN_TYPE"),
            (json.dumps({"type": "message", "text": "x" * 5000}), "TOO_LARGE"),
            (json.dumps({"type": "message", "text": "   "}), "BAD_MESSAGE"),
            (json.dumps({"type": "message"}), "BAD_MESSAGE"),
            ('{"type": "message", "text": "hi \\ud800"}', "BAD_MESSAGE"),  # a lone surrogate
            (json.dumps({"type": "message", "text": "deliver to 1 Main St\x00"}), "BAD_MESSAGE"),
            (b"\x00\x01binary", "BINARY_FRAME"),
        ]
        for frame, code in cases:
            await ws.send(frame)
            run = await asyncio.wait_for(_recv_run(ws), 10)
            assert types(run) == ["RUN_STARTED", "RUN_ERROR"], run
            assert run[-1]["code"] == code
            assert run[-1]["message"]
            seen += run
        await ws.send(json.dumps({"type": "message", "text": "a coke"}))
        ok = await _recv_run(ws)
        assert ok[-1]["type"] == "RUN_FINISHED"
        seen += ok
    verify(seen)


async def _closed_with(ws: Any) -> tuple[int | None, list[dict[str, Any]]]:
    events: list[dict[str, Any]] = []
    try:
        while True:
            events.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None, events


async def test_chat_websocket_unknown_foreign_and_missing_sessions_are_refused(
    live: LiveServer,
) -> None:
    mine = await new_session(live.url)
    theirs = await new_session(live.url)
    for session_id, headers, code in (
        ("no-such-session", mine.headers, 4404),
        (theirs.session_id, mine.headers, 4404),
        (mine.session_id, {}, 4401),
        (mine.session_id, {"Authorization": "Bearer not-a-token"}, 4401),
    ):
        async with websockets.connect(
            f"{live.ws_url}/api/v1/chat/{session_id}", additional_headers=headers
        ) as ws:
            got, events = await _closed_with(ws)
        assert got == code
        assert types(events) == ["RUN_STARTED", "RUN_ERROR"]
        assert "session" in events[-1]["message"].lower()
        verify(events)


async def test_chat_websocket_expired_session_is_told_and_closed(
    live: LiveServer, app_settings: Settings
) -> None:
    session = await new_session(live.url)
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}", additional_headers=session.headers
    ) as ws:
        await _recv_run(ws)
        assert app_settings.redis.url
        redis = Redis.from_url(app_settings.redis.url)
        try:
            await redis.delete(SessionService._key(hash_token(session.token)))
        finally:
            await redis.aclose()
        await ws.send(json.dumps({"type": "message", "text": "a coke"}))
        code, events = await _closed_with(ws)
    assert code == 4401
    assert events[-1]["type"] == "RUN_ERROR"
    assert "expired" in events[-1]["message"]
    verify(events)


async def _post(live: LiveServer, session: Session, path: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        headers = {**session.headers, **kwargs.pop("headers", {})}
        return await client.post(path, headers=headers, **kwargs)


async def test_chat_sse_bad_requests_get_problem_details(live: LiveServer) -> None:
    mine = await new_session(live.url)
    theirs = await new_session(live.url)
    stream = f"/api/v1/chat/{mine.session_id}/stream"
    cases: list[tuple[str, dict[str, Any], int]] = [
        (stream, {"content": b"{oops", "headers": {"content-type": "application/json"}}, 400),
        (stream, {"json": {"text": "hi"}}, 422),
        (stream, {"json": {"message": ""}}, 422),
        (stream, {"json": {"message": 42}}, 422),
        (stream, {"json": {"message": "x" * 4097}}, 413),
        (stream, {"json": {"message": "deliver to 1 Main St\x00 Apt 4"}}, 422),
        # what another site's form or text/plain fetch can send without a preflight
        (stream, {"content": b'{"message": "hi"}', "headers": {"content-type": "text/plain"}}, 415),
        (stream, {"data": {"message": "hi"}}, 415),  # a form
        (
            stream,
            {
                "content": b'{"message": "hi \\ud800"}',  # a lone surrogate: no text
                "headers": {"content-type": "application/json"},
            },
            422,
        ),
        (stream, {"json": {"message": "hi"}, "headers": {"Last-Event-ID": "nope"}}, 400),
        # over 64 bits: Redis refuses it, and that is the client's mistake, not the store's
        (stream, {"json": {"message": "hi"}, "headers": {"Last-Event-ID": f"{2**64}-0"}}, 400),
        (stream, {"json": {"message": "hi"}, "headers": {"Last-Event-ID": f"1-{2**64}"}}, 400),
        ("/api/v1/chat/no-such-session/stream", {"json": {"message": "hi"}}, 404),
        (f"/api/v1/chat/{theirs.session_id}/stream", {"json": {"message": "hi"}}, 404),
        (
            stream,
            {"json": {"message": "hi"}, "headers": {"Authorization": "Bearer expired-or-made-up"}},
            401,
        ),
        ("/api/v1/agui", {"json": {"threadId": mine.session_id}}, 422),
        (
            "/api/v1/agui",
            {"json": {"threadId": mine.session_id, "runId": "r1", "messages": []}},
            422,
        ),
        (
            "/api/v1/agui",
            {
                "json": {
                    "threadId": theirs.session_id,
                    "runId": "r1",
                    "messages": [{"id": "m1", "role": "user", "content": "hi"}],
                }
            },
            404,
        ),
    ]
    for path, kwargs, status in cases:
        got = await _post(live, mine, path, **kwargs)
        assert got.status_code == status, (path, kwargs, got.text)
        assert got.headers["content-type"].startswith("application/problem+json"), got.text
        assert got.json()["detail"]
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        resume = await client.get(stream, headers=mine.headers)
        assert resume.status_code == 400
        huge = await client.get(stream, params={"last_event_id": "9" * 30}, headers=mine.headers)
        assert huge.status_code == 400, huge.text
        assert "not an event id" in huge.json()["detail"]
        foreign = await client.get(
            f"/api/v1/chat/{theirs.session_id}/messages", headers=mine.headers
        )
        assert foreign.status_code == 404


async def test_chat_websocket_flood_is_queued_then_refused_never_interleaved(
    live: LiveServer,
) -> None:
    session = await new_session(live.url)
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}", additional_headers=session.headers
    ) as ws:
        await _recv_run(ws)
        sent = 30
        for _ in range(sent):
            await ws.send(json.dumps({"type": "message", "text": "a coke"}))
        runs = [await asyncio.wait_for(_recv_run(ws), 30) for _ in range(sent)]
    ends = [run[-1] for run in runs]
    busy = [e for e in ends if e["type"] == "RUN_ERROR"]
    assert busy and all(e["code"] == "BUSY" for e in busy)
    assert sent - len(busy) >= 8  # the queue takes a few before refusing
    verify([e for run in runs for e in run])


async def test_chat_sse_body_over_the_limit_is_refused_unread(live: LiveServer) -> None:
    session = await new_session(live.url)
    got = await _post(
        live,
        session,
        f"/api/v1/chat/{session.session_id}/stream",
        json={"message": "x" * 40_000},
    )
    assert got.status_code == 413


async def test_chat_limits_come_from_the_settings(
    app_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAT__MAX_MESSAGE_BYTES", "64")
    monkeypatch.setenv("CHAT__MAX_WAITING", "2")
    chat = Settings(_env_file=None).chat  # type: ignore[call-arg]
    assert (chat.max_message_bytes, chat.max_waiting) == (64, 2)
    with pytest.raises(ValueError, match="greater than 0"):
        ChatSettings(lock_ttl_seconds=0)
    limited = app_settings.model_copy(update={"chat": chat})
    with LiveServer(limited) as server:
        session = await new_session(server.url)
        async with websockets.connect(
            f"{server.ws_url}/api/v1/chat/{session.session_id}",
            additional_headers=session.headers,
        ) as ws:
            await _recv_run(ws)
            await ws.send(json.dumps({"type": "message", "text": "x" * 65}))
            run = await asyncio.wait_for(_recv_run(ws), 10)
            assert run[-1]["code"] == "TOO_LARGE" and "64" in run[-1]["message"]
            sent = 12
            for _ in range(sent):
                await ws.send(json.dumps({"type": "message", "text": "a coke"}))
            runs = [await asyncio.wait_for(_recv_run(ws), 30) for _ in range(sent)]
    busy = [run[-1] for run in runs if run[-1]["type"] == "RUN_ERROR"]
    # Two running or queued at most: the default (8) would have taken at least eight.
    assert busy and all(e["code"] == "BUSY" for e in busy) and sent - len(busy) < 8


async def test_chat_websocket_from_another_sites_page_is_refused(live: LiveServer) -> None:
    """Browsers send Origin: another site's page gets 403 at the handshake; the app's own page
    and clients without Origin (curl, scripts) are let in."""
    session = await new_session(live.url)
    url = f"{live.ws_url}/api/v1/chat/{session.session_id}"
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(
            url, additional_headers=session.headers, origin=Origin("https://evil.example")
        ):
            pass
    assert refused.value.response.status_code == 403
    for origin in (Origin(live.url), None):
        async with websockets.connect(url, additional_headers=session.headers, origin=origin) as ws:
            history = await _recv_run(ws)
            assert history[-1]["type"] == "RUN_FINISHED"
