"""Embedded servers: start, stop, restart with data kept, one owner per data directory."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path

import asyncpg
import pytest
from pymongo import AsyncMongoClient
from redis.asyncio import Redis

from restaurant.dev.embedded import AlreadyRunning, EmbeddedServers, running_urls

STANDARD_PORTS = {5432, 6379, 27017}


async def _write(servers: EmbeddedServers) -> None:
    assert servers.postgres_url and servers.redis_url and servers.mongo_url
    pg = await asyncpg.connect(
        servers.postgres_url.replace("postgresql+asyncpg://", "postgresql://")
    )
    await pg.execute("CREATE TABLE IF NOT EXISTS kept (v text); INSERT INTO kept VALUES ('pg')")
    await pg.close()
    redis = Redis.from_url(servers.redis_url)
    await redis.set("kept", "redis")
    await redis.aclose()
    mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(servers.mongo_url)
    await mongo.kept.things.insert_one({"v": "mongo"})
    await mongo.close()


async def _read(servers: EmbeddedServers) -> tuple[object, object, object]:
    assert servers.postgres_url and servers.redis_url and servers.mongo_url
    pg = await asyncpg.connect(
        servers.postgres_url.replace("postgresql+asyncpg://", "postgresql://")
    )
    value = await pg.fetchval("SELECT v FROM kept")
    await pg.close()
    redis = Redis.from_url(servers.redis_url)
    cached = await redis.get("kept")
    await redis.aclose()
    mongo: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(servers.mongo_url)
    doc = await mongo.kept.things.find_one({})
    await mongo.close()
    return value, cached, doc["v"] if doc else None


def test_embedded_start_stop_restart_keeps_data(tmp_path: Path) -> None:
    servers = EmbeddedServers(tmp_path)
    servers.start()
    try:
        assert servers.redis_url and servers.redis_url.startswith("unix://")
        assert servers.postgres_url and f"host={tmp_path}" in servers.postgres_url
        assert servers.mongo_url
        mongo_port = int(servers.mongo_url.split(":")[2].split("/")[0])
        assert mongo_port not in STANDARD_PORTS
        assert running_urls(tmp_path) is not None
        asyncio.run(_write(servers))
    finally:
        servers.stop()
    assert running_urls(tmp_path) is None
    # Stopped means stopped: nothing answers on the old Redis socket.
    assert not Path(servers.redis_url.removeprefix("unix://")).exists() or not _answers(
        servers.redis_url
    )

    again = EmbeddedServers(tmp_path)
    again.start()
    try:
        assert asyncio.run(_read(again)) == ("pg", b"redis", "mongo")
    finally:
        again.stop()


def _answers(redis_url: str) -> bool:
    async def ping() -> bool:
        client = Redis.from_url(redis_url, socket_connect_timeout=1)
        try:
            return bool(await client.ping())
        except Exception:
            return False
        finally:
            await client.aclose()

    return asyncio.run(ping())


def test_embedded_second_owner_is_refused_clearly(tmp_path: Path) -> None:
    first = EmbeddedServers(tmp_path)
    first.start(postgres=False, mongo=False)
    try:
        with pytest.raises(AlreadyRunning, match=f"already using {tmp_path}"):
            EmbeddedServers(tmp_path).start(postgres=False, mongo=False)
        assert running_urls(tmp_path) == {"postgres": None, "redis": first.redis_url, "mongo": None}
    finally:
        first.stop()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has exited; only its exit status is left


def test_embedded_restart_after_a_crash_replaces_stale_servers(tmp_path: Path) -> None:
    crashed = EmbeddedServers(tmp_path)
    crashed.start(postgres=False)
    assert crashed._redis is not None and crashed._mongo is not None
    stale = (crashed._redis.pid, crashed._mongo.pid)
    # A crash of the owner: the lock goes with it, the children are still alive.
    assert crashed._lock is not None
    crashed._lock.close()
    crashed._lock = None
    crashed._redis = crashed._mongo = None
    fresh = EmbeddedServers(tmp_path)
    fresh.start(postgres=False)
    try:
        assert _answers(fresh.redis_url or "")
        for pid in stale:
            assert not _running(pid)
    finally:
        fresh.stop()
        for pid in stale:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
