"""`EmbeddedServers.stop_server`/`start_server`/`restart`: one server goes away and comes back on
the same address with its data, the others untouched."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from pymongo import AsyncMongoClient
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from restaurant.dev.embedded import EmbeddedServers


@pytest.fixture(scope="module")
def own_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServers]:
    """All three servers in a directory of their own."""
    servers = EmbeddedServers(Path(tmp_path_factory.mktemp("restart")))
    servers.start()
    yield servers
    servers.stop()


def _pg_dsn(servers: EmbeddedServers) -> str:
    assert servers.postgres_url
    return servers.postgres_url.replace("postgresql+asyncpg://", "postgresql://")


async def _pg(servers: EmbeddedServers, sql: str) -> object:
    conn = await asyncpg.connect(_pg_dsn(servers), timeout=5)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


async def _redis(servers: EmbeddedServers, *command: str) -> object:
    assert servers.redis_url
    client = Redis.from_url(servers.redis_url, socket_connect_timeout=2)
    try:
        return await client.execute_command(*command)
    finally:
        await client.aclose()


async def _mongo_count(servers: EmbeddedServers) -> int:
    assert servers.mongo_url
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
        servers.mongo_url, serverSelectionTimeoutMS=2000
    )
    try:
        return await client.restart_test.things.count_documents({})
    finally:
        await client.close()


async def test_embedded_restart_keeps_address_and_data(own_servers: EmbeddedServers) -> None:
    """Each server, stopped, refuses connections; started again, it has its data at its URL."""
    urls = (own_servers.postgres_url, own_servers.redis_url, own_servers.mongo_url)
    await _pg(own_servers, "CREATE TABLE kept (v int)")
    await _pg(own_servers, "INSERT INTO kept VALUES (1)")
    await _redis(own_servers, "SET", "kept", "1")
    assert own_servers.mongo_url
    writer: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(own_servers.mongo_url)
    await writer.restart_test.things.insert_one({"v": 1})
    await writer.close()

    own_servers.stop_server("redis")
    with pytest.raises(RedisConnectionError):
        await _redis(own_servers, "PING")
    assert await _pg(own_servers, "SELECT count(*) FROM kept") == 1  # the others are untouched
    own_servers.start_server("redis")
    assert await _redis(own_servers, "GET", "kept") == b"1"

    own_servers.stop_server("postgres")
    with pytest.raises(OSError, match=r"postgres|such file|refused|connect"):
        await _pg(own_servers, "SELECT 1")
    own_servers.start_server("postgres")
    assert await _pg(own_servers, "SELECT count(*) FROM kept") == 1

    own_servers.restart("mongo")
    assert await asyncio.wait_for(_mongo_count(own_servers), 10) == 1
    assert (own_servers.postgres_url, own_servers.redis_url, own_servers.mongo_url) == urls
    with pytest.raises(ValueError, match="unknown server"):
        own_servers.restart("mysql")
