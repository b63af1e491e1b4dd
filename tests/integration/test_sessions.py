"""Sessions on real Redis: cookie and bearer, idle expiry refreshed on use, logout."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from restaurant.app import create_app
from restaurant.auth.sessions import SessionService, hash_token
from restaurant.lifespan import Resources
from restaurant.settings import Settings
from tests.integration.auth_support import new_caller, sign_in


async def test_sessions_create_sets_an_httponly_lax_cookie(client: AsyncTestClient[Any]) -> None:
    client.cookies.clear()
    response = await client.post("/api/v1/sessions")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"session_id", "token", "expires_in"}
    assert body["expires_in"] == 1800
    assert len(body["token"]) >= 43 and body["session_id"] != body["token"]
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"session={body['token']};")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Path=/" in cookie and "Secure" not in cookie
    # The cookie jar alone carries the session.
    me = await client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["signed_in"] is False
    cart = await client.get(f"/api/v1/chat/{body['session_id']}/cart")
    assert cart.status_code == 200
    # A token and a customer's own data are never kept by a cache.
    for private in (response, me, cart):
        assert "no-store" in private.headers.get("cache-control", ""), private.request.url
    client.cookies.clear()
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_sessions_cookie_is_secure_when_configured(app_settings: Settings) -> None:
    settings = app_settings.model_copy(
        update={"auth": app_settings.auth.model_copy(update={"cookie_secure": True})}
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        response = await client.post("/api/v1/sessions")
    assert "Secure" in response.headers["set-cookie"]


async def test_sessions_bearer_and_cookie_both_work(client: AsyncTestClient[Any]) -> None:
    caller = await new_caller(client)
    bearer = await client.get("/api/v1/me", headers=caller.headers)
    assert bearer.status_code == 200
    cookie = await client.get("/api/v1/me", headers={"Cookie": f"session={caller.token}"})
    assert cookie.status_code == 200
    # Over plain HTTP a token in the URL is ignored (only WebSocket handshakes may use it).
    query = await client.get("/api/v1/me", params={"token": caller.token})
    assert query.status_code == 401
    for headers in ({"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        bad = await client.get("/api/v1/me", headers=headers)
        assert bad.status_code == 401
        assert bad.headers["content-type"].startswith("application/problem+json")
        assert "expired" in bad.json()["detail"]


async def test_sessions_a_live_session_opens_more_chats(client: AsyncTestClient[Any]) -> None:
    caller = await sign_in(client, await new_caller(client))
    more = await client.post("/api/v1/sessions", headers=caller.headers)
    assert more.status_code == 201
    body = more.json()
    assert body["token"] == caller.token and body["session_id"] != caller.session_id
    for session_id in (caller.session_id, body["session_id"]):
        cart = await client.get(f"/api/v1/chat/{session_id}/cart", headers=caller.headers)
        assert cart.status_code == 200
    me = (await client.get("/api/v1/me", headers=caller.headers)).json()
    assert me["user_id"] == str(caller.user_id)  # still signed in


async def test_sessions_idle_expiry_is_refreshed_on_use(resources: Resources) -> None:
    sessions = SessionService(resources.redis, ttl_seconds=2)
    created = await sessions.create()
    for _ in range(3):  # used every second: alive after 3 seconds, past the 2-second idle limit
        await asyncio.sleep(1)
        assert await sessions.resolve(created.token) is not None
    await asyncio.sleep(2.3)
    assert await sessions.resolve(created.token) is None


async def test_sessions_expired_session_is_a_401(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    caller = await new_caller(client)
    # As if 30 idle minutes had passed.
    await resources.redis.delete(f"auth:sess:{hash_token(caller.token)}")
    for response in (
        await client.get("/api/v1/me", headers=caller.headers),
        await client.get(f"/api/v1/chat/{caller.session_id}/cart", headers=caller.headers),
    ):
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_sessions_tokens_are_stored_only_hashed(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    caller = await new_caller(client)
    found = False
    async for key in resources.redis.scan_iter(match="auth:*"):
        assert caller.token.encode() not in key
        kind = await resources.redis.type(key)
        values: list[bytes] = []
        if kind == b"hash":
            for field, value in (await resources.redis.hgetall(key)).items():
                values += [field, value]
        elif kind == b"set":
            values += list(await resources.redis.smembers(key))
        assert all(caller.token.encode() not in v for v in values)
        found = found or hash_token(caller.token).encode() in key
    assert found


async def test_sessions_logout_ends_the_session(client: AsyncTestClient[Any]) -> None:
    caller = await sign_in(client, await new_caller(client))
    out = await client.post("/api/v1/auth/logout", headers=caller.headers)
    assert out.status_code == 204
    assert "session=" in out.headers["set-cookie"] and "Max-Age=0" in out.headers["set-cookie"]
    assert (await client.get("/api/v1/me", headers=caller.headers)).status_code == 401
    assert (await client.post("/api/v1/auth/logout", headers=caller.headers)).status_code == 401


async def test_sessions_and_auth_routes_are_documented(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/api/docs/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/v1/sessions": {"post"},
        "/api/v1/auth/otp": {"post"},
        "/api/v1/auth/verify": {"post"},
        "/api/v1/auth/logout": {"post"},
        "/api/v1/me": {"get"},
        "/api/v1/chat/{session_id}/cart": {"get"},
        "/api/v1/chat/{session_id}/cart/lines/{line_id}": {"patch", "delete"},
        "/api/v1/orders": {"get", "post"},
        "/api/v1/orders/{number}": {"get"},
        "/api/v1/orders/{number}/cancel": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    checkout = paths["/api/v1/orders"]["post"]
    header = next(p for p in checkout["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is True


async def test_sessions_resolve_chat_finds_the_session_and_its_ownership_at_once(
    resources: Resources,
) -> None:
    sessions = SessionService(resources.redis, ttl_seconds=60, chat_ttl_seconds=120)
    mine, theirs = await sessions.create(), await sessions.create()
    auth = await sessions.resolve(mine.token)
    assert auth is not None
    key = f"auth:sess:{auth.token_hash}"
    await resources.redis.expire(key, 5)
    assert await sessions.resolve_chat(mine.token, mine.session_id) == (auth, True)
    assert await resources.redis.ttl(key) > 5, "the session's idle expiry is refreshed"
    # anonymous, the chat lives as long as its session
    assert 5 < await resources.redis.ttl(f"auth:chat:{mine.session_id}") <= 60
    for chat in (theirs.session_id, "no-such-chat", "x" * 65, ""):
        assert await sessions.resolve_chat(mine.token, chat) == (auth, False)
    for token in (None, "", "not-a-token", "t" * 300):
        assert await sessions.resolve_chat(token, mine.session_id) == (None, False)
    # Signed in (under a new token), the user reaches the chats of the user's other sessions too.
    user = uuid.uuid4()
    mine_in = await sessions.sign_in(auth, user, "+12015550100")
    other = await sessions.resolve(theirs.token)
    assert mine_in is not None and other is not None
    assert await sessions.sign_in(other, user, "+12015550100") is not None
    assert await sessions.resolve(mine.token) is None  # the old token no longer works
    signed = await sessions.resolve(mine_in.token)
    assert signed is not None and signed.user_id == user
    assert await sessions.resolve_chat(mine_in.token, theirs.session_id) == (signed, True)
    assert await resources.redis.ttl(f"auth:chat:{mine.session_id}") > 60  # the user's: longer
