"""A new session token at sign-in (issue 17, point 5), on real Redis and PostgreSQL.

Whoever planted a token in a browser must not get the session that signs in with it: the sign-in
gives the session a new token, handed only to the client whose request carried the code (REST:
the answer and its cookie; the chat: a `SESSION_TOKEN` event on that stream or socket alone),
and the old one stops working.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import websockets
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis
from websockets.exceptions import ConnectionClosed

from restaurant.settings import Settings
from tests.integration.auth_support import last_code, new_caller, new_phone, resources_of
from tests.integration.chat_support import (
    LiveServer,
    Session,
    Socket,
    code_for,
    live,
    new_session,
    new_tokens,
    outbox_lines,
    reply,
    sse_events,
    verify,
)

__all__ = ["live"]  # the fixture, imported for pytest


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_auth_rotation_rest_sign_in_gives_a_new_token_and_voids_the_planted_one(
    client: AsyncTestClient[Any],
) -> None:
    planted = await new_caller(client)  # an attacker's session, its token put in a browser
    victim_token = planted.token
    phone = new_phone()
    sent = await client.post("/api/v1/auth/otp", json={"phone": phone}, headers=planted.headers)
    assert sent.status_code == 200
    code = last_code(resources_of(client).settings.outbox_path, phone)
    verified = await client.post(
        "/api/v1/auth/verify", json={"phone": phone, "code": code}, headers=planted.headers
    )
    assert verified.status_code == 200, verified.text
    body = verified.json()
    assert set(body) == {"user_id", "phone", "token", "expires_in"}
    token = body["token"]
    assert token != victim_token and len(token) >= 43
    cookie = verified.headers["set-cookie"]
    assert cookie.startswith(f"session={token};") and "httponly" in cookie.lower()
    assert "no-store" in verified.headers["cache-control"]
    client.cookies.clear()

    # The planted token reaches nothing of the signed-in session.
    chat = f"/api/v1/chat/{planted.session_id}"
    for path in ("/api/v1/me", "/api/v1/orders", f"{chat}/cart", f"{chat}/messages"):
        assert (await client.get(path, headers=_bearer(victim_token))).status_code == 401, path
    # The new one holds it, chats included.
    me = (await client.get("/api/v1/me", headers=_bearer(token))).json()
    assert me["signed_in"] is True and me["user_id"] == body["user_id"]
    assert (await client.get(f"{chat}/cart", headers=_bearer(token))).status_code == 200
    assert (await client.get("/api/v1/orders", headers=_bearer(token))).status_code == 200


async def test_auth_rotation_cookie_follows_a_bearer_token(client: AsyncTestClient[Any]) -> None:
    """How the browser takes a token the chat handed it: the cookie is HttpOnly."""
    caller = await new_caller(client)
    answer = await client.post("/api/v1/auth/cookie", headers=caller.headers)
    assert answer.status_code == 204
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"session={caller.token};") and "samesite=lax" in cookie.lower()
    assert "no-store" in answer.headers["cache-control"]
    client.cookies.clear()
    nobody = await client.post("/api/v1/auth/cookie", headers=_bearer("not-a-token"))
    assert nobody.status_code == 401 and "set-cookie" not in nobody.headers


async def _sign_in_over_sse(live: LiveServer, session: Session, settings: Settings) -> list[Any]:
    """Checkout, a phone, then the code: the code turn's SSE items (ids and events)."""
    async with httpx.AsyncClient(base_url=live.url, timeout=60) as client:

        async def turn(text: str) -> list[Any]:
            async with client.stream(
                "POST",
                f"/api/v1/chat/{session.session_id}/stream",
                json={"message": text},
                headers=session.headers,
            ) as response:
                assert response.status_code == 200, await response.aread()
                assert response.headers["cache-control"] == "no-store"  # it may carry a token
                return await sse_events(response)

        await turn("a coke")
        await turn("checkout")
        phone = new_phone()
        after = outbox_lines(settings)
        await turn(f"my number is {phone[2:]}")
        return await turn(code_for(settings, phone[-4:], after=after))


async def test_auth_rotation_chat_sign_in_hands_the_new_token_to_its_stream_only(
    live: LiveServer, app_settings: Settings
) -> None:
    session = await new_session(live.url)
    planted = session.token
    items = await _sign_in_over_sse(live, session, app_settings)
    events = [item.event for item in items]
    tokens = new_tokens(events)
    assert len(tokens) == 1 and tokens[0] != planted
    token = tokens[0]
    handed = next(item for item in items if new_tokens([item.event]))
    assert handed.id is None and "metadata" not in handed.event  # not in the event log
    assert handed.event["value"]["expires_in"] == app_settings.auth.session_ttl_seconds
    assert events.index(handed.event) < len(events) - 1 and events[-1]["type"] == "RUN_FINISHED"
    assert "pickup" in reply(events).lower()
    verify(events)

    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        assert (await client.get("/api/v1/me", headers=_bearer(planted))).status_code == 401
        me = (await client.get("/api/v1/me", headers=_bearer(token))).json()
        assert me["signed_in"] is True
        sid = session.session_id
        stale = await client.post(
            f"/api/v1/chat/{sid}/stream", json={"message": "pickup"}, headers=_bearer(planted)
        )
        assert stale.status_code == 401
        # Neither the history nor a resumed stream, nor the event log itself, holds the token.
        history = await client.get(f"/api/v1/chat/{sid}/messages", headers=_bearer(token))
        assert history.status_code == 200 and token not in history.text
        first = items[0].id
        resumed = await client.get(
            f"/api/v1/chat/{sid}/stream", headers={**_bearer(token), "Last-Event-ID": first}
        )
        assert resumed.status_code == 200 and "RUN_FINISHED" in resumed.text
        assert token not in resumed.text and "SESSION_TOKEN" not in resumed.text
    assert app_settings.redis.url
    redis = Redis.from_url(app_settings.redis.url)
    try:
        logged = await redis.xrange(f"chat:{{{sid}}}:events")
        assert logged and all(token.encode() not in fields[b"e"] for _, fields in logged)
        async for key in redis.scan_iter(match="*"):
            assert token.encode() not in key
    finally:
        await redis.aclose()


async def _closed_code(socket: Any) -> int | None:
    try:
        while True:
            await asyncio.wait_for(socket.recv(), 10)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


async def test_auth_rotation_chat_sign_in_over_websocket_keeps_its_socket_and_drops_others(
    live: LiveServer, app_settings: Settings
) -> None:
    """The socket that sent the code gets the new token and goes on; another socket on the same
    chat and token (the one who planted it, listening) hears no token and is closed."""
    session = await new_session(live.url)
    planted = session.token
    url = f"{live.ws_url}/api/v1/chat/{session.session_id}"
    async with (
        websockets.connect(url, additional_headers=session.headers) as mine,
        websockets.connect(url, additional_headers=_bearer(planted)) as theirs,
    ):
        ws, other = Socket(mine), Socket(theirs)
        await ws.run()
        await other.run()  # the histories
        await ws.say("a coke")
        await ws.say("checkout")
        after = outbox_lines(app_settings)
        await ws.say("my number is 201 555 0199")
        signed = await ws.say(code_for(app_settings, "0199", after=after))
        tokens = new_tokens(signed)
        assert len(tokens) == 1 and tokens[0] != planted
        assert "pickup" in reply(signed).lower()
        # The other socket heard the turns (the same chat, the same replica), never the token.
        while len([e for e in other.events if e["type"] == "RUN_FINISHED"]) < 5:
            await other.next()
        assert new_tokens(other.events) == []
        assert tokens[0] not in json.dumps(other.events)
        # This socket goes on with the new token; the other is told its session is gone.
        more = await ws.say("pickup")
        assert more[-1]["type"] == "RUN_FINISHED", more[-1]
        await theirs.send(json.dumps({"type": "message", "text": "show me my orders"}))
        assert await _closed_code(theirs) == 4401
        verify(ws.events)
    # A new connection: the old token is refused, the new one reaches the chat.
    async with websockets.connect(url, additional_headers=_bearer(planted)) as again:
        assert await _closed_code(again) == 4401
    async with websockets.connect(url, additional_headers=_bearer(tokens[0])) as again:
        history = await Socket(again).run()
        assert history[-1]["type"] == "RUN_FINISHED"
        assert history[2]["snapshot"]["signedIn"] is True
