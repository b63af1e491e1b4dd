"""New sessions per client address (issue 17, point 1): a clear 429 with Retry-After past the
limit, other addresses unaffected; the address is the one uvicorn computes behind a trusted proxy.

The app runs under uvicorn on a real socket, as `restaurant serve` runs it (proxy headers trusted
from FORWARDED_ALLOW_IPS), so each test names its clients with X-Forwarded-For from loopback.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from pydantic import SecretStr
from redis.asyncio import Redis

from restaurant.app import create_app
from restaurant.auth.limits import AddressLimit
from restaurant.processes import free_port
from restaurant.settings import Settings


@contextlib.contextmanager
def _serve(app_settings: Settings, *, trusted: str) -> Iterator[str]:
    """The app with 3 new sessions a minute per address, proxy headers trusted from `trusted`,
    and a secret of its own: its limit keys meet no other test's."""
    auth = app_settings.auth.model_copy(
        update={
            "new_sessions_per_address": 3,
            "new_sessions_window_seconds": 60,
            "secret_key": SecretStr(uuid.uuid4().hex * 2),
        }
    )
    settings = app_settings.model_copy(update={"auth": auth, "forwarded_allow_ips": trusted})
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(  # as `restaurant serve` runs it
            create_app(settings),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the app did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def limited(app_settings: Settings) -> Iterator[str]:
    """Behind a trusted proxy on loopback: X-Forwarded-For names the client."""
    with _serve(app_settings, trusted="127.0.0.1") as url:
        yield url


def _address() -> str:
    """A client address no other request uses."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


def test_session_limit_answers_429_with_retry_after_per_address(limited: str) -> None:
    first, second = _address(), _address()
    with httpx.Client(base_url=limited, timeout=10) as client:
        for _ in range(3):
            created = client.post("/api/v1/sessions", headers={"X-Forwarded-For": first})
            assert created.status_code == 201, created.text
        refused = client.post("/api/v1/sessions", headers={"X-Forwarded-For": first})
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        retry_after = int(refused.headers["retry-after"])
        assert 1 <= retry_after <= 60
        problem = refused.json()
        assert problem["status"] == 429 and problem["retry_after"] == retry_after
        assert "Too many sessions" in problem["detail"]
        assert "set-cookie" not in refused.headers
        # Another address, and the proxy itself, are not held back by the first.
        other = client.post("/api/v1/sessions", headers={"X-Forwarded-For": second})
        assert other.status_code == 201
        assert client.post("/api/v1/sessions").status_code == 201


def test_session_limit_counts_new_chats_in_a_live_session(limited: str) -> None:
    address = {"X-Forwarded-For": _address()}
    with httpx.Client(base_url=limited, timeout=10) as client:
        token = client.post("/api/v1/sessions", headers=address).json()["token"]
        client.cookies.clear()
        bearer = {**address, "Authorization": f"Bearer {token}"}
        assert client.post("/api/v1/sessions", headers=bearer).status_code == 201
        assert client.post("/api/v1/sessions", headers=bearer).status_code == 201
        assert client.post("/api/v1/sessions", headers=bearer).status_code == 429


def test_session_limit_ignores_forwarded_for_from_untrusted_peers(
    app_settings: Settings,
) -> None:
    """Without a trusted proxy a client can't name a fresh address for each request."""
    with _serve(app_settings, trusted="") as url, httpx.Client(base_url=url, timeout=10) as client:
        statuses = [
            client.post("/api/v1/sessions", headers={"X-Forwarded-For": _address()}).status_code
            for _ in range(4)
        ]
    assert statuses == [201, 201, 201, 429]


async def test_session_limit_window_ends_and_holds_under_concurrency(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    try:
        limit = AddressLimit(redis, name="test", limit=5, window_seconds=2, secret="s" * 32)
        address = _address()
        waits = await asyncio.gather(*(limit.hit(address) for _ in range(20)))
        assert waits.count(0) == 5 and all(1 <= w <= 2 for w in waits if w)
        assert 0 < await redis.ttl(limit.key(address)) <= 2
        assert address not in limit.key(address)  # Redis holds no client address
        await asyncio.sleep(2.1)
        assert await limit.hit(address) == 0  # a new window
    finally:
        await redis.aclose()
