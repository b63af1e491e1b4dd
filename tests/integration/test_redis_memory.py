"""The Redis memory policy the service expects (docs/deployment.md): a memory limit, and a full
Redis refuses writes (a clear 503) instead of evicting keys, so no rate limit, sign-in lock or
session silently disappears. The embedded Redis runs with it; compose sets the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from restaurant.app import create_app
from restaurant.dev.embedded import REDIS_MAXMEMORY_POLICY, EmbeddedServers
from restaurant.settings import Settings


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[str]:
    """An embedded Redis of this test alone (its memory limit is changed below)."""
    servers = EmbeddedServers(tmp_path)
    servers.start(postgres=False, mongo=False)
    assert servers.redis_url
    try:
        yield servers.redis_url
    finally:
        servers.stop()


async def _config(redis: Redis, name: str) -> str:
    value: Any = (await redis.config_get(name))[name]
    return value.decode() if isinstance(value, bytes) else str(value)


async def test_redis_embedded_runs_with_a_limit_and_noeviction(own_redis: str) -> None:
    redis = Redis.from_url(own_redis)
    try:
        assert REDIS_MAXMEMORY_POLICY == "noeviction"
        assert await _config(redis, "maxmemory-policy") == "noeviction"
        assert int(await _config(redis, "maxmemory")) == 2 * 1024**3
    finally:
        await redis.aclose()


async def test_redis_full_refuses_new_sessions_and_evicts_nothing(
    own_redis: str, app_settings: Settings
) -> None:
    settings = app_settings.model_copy(
        update={"redis": app_settings.redis.model_copy(update={"url": own_redis})}
    )
    redis = Redis.from_url(own_redis)
    try:
        async with AsyncTestClient(app=create_app(settings)) as client:
            assert (await client.post("/api/v1/sessions")).status_code == 201
            kept = sorted(await redis.keys("*"))
            assert any(key.startswith(b"limit:sessions:") for key in kept)
            await redis.config_set("maxmemory", 1)  # full from now on
            refused = await client.post("/api/v1/sessions")
            assert refused.status_code == 503
            assert "store is not reachable" in refused.json()["detail"]
            assert sorted(await redis.keys("*")) == kept  # the limit counter is still there
            await redis.config_set("maxmemory", "2gb")
            assert (await client.post("/api/v1/sessions")).status_code == 201
    finally:
        await redis.aclose()
