"""Every key the service writes in Redis expires: scanned after whole conversations, anonymous and
signed in, on a Redis database of the module's own. An anonymous chat's keys live no longer than
its session."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from restaurant.settings import Settings
from tests.conftest import redis_db_url
from tests.integration.chat_support import LiveServer, code_for, new_session, sse_turn

DB = 7  # this module's own Redis database: nothing else writes there


@pytest.fixture(scope="module")
def own_db(app_settings: Settings) -> Settings:
    url = app_settings.redis.url
    assert url
    # (on a Redis the suite was given, the one database it was given)
    own = redis_db_url(url, DB)
    return app_settings.model_copy(
        update={"redis": app_settings.redis.model_copy(update={"url": own})}
    )


async def test_every_key_expires_and_anonymous_chats_end_with_their_session(
    own_db: Settings,
) -> None:
    assert own_db.redis.url
    redis = Redis.from_url(own_db.redis.url)
    try:
        await redis.flushdb()
        with LiveServer(own_db) as live:
            anonymous = await new_session(live.url)
            await sse_turn(live.url, anonymous, "a margherita pizza")
            await sse_turn(live.url, anonymous, "make it large")
            ordering = await new_session(live.url)
            for text in ("two cokes", "checkout", "my number is 201 555 0188"):
                await sse_turn(live.url, ordering, text)
            await sse_turn(live.url, ordering, code_for(own_db, "0188"))
            for text in ("pickup", "yes"):
                await sse_turn(live.url, ordering, text)
        keys = [key async for key in redis.scan_iter(count=500)]
        assert len(keys) > 10, keys  # sessions, chats, checkpoints, event logs, codes, limits
        forever = [key for key in keys if await redis.ttl(key) < 0]
        assert forever == [], forever
        session_ttl = own_db.auth.session_ttl_seconds
        chat_ttl = await redis.ttl(f"auth:chat:{anonymous.session_id}")
        assert 0 < chat_ttl <= session_ttl
        assert await redis.ttl(f"auth:chat:{ordering.session_id}") > session_ttl  # signed in
    finally:
        await redis.flushdb()
        await redis.aclose()
