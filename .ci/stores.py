"""The machine's own PostgreSQL and Redis for `.ci/run`'s second integration run.

    python .ci/stores.py answer        0 if both answer on their standard ports (else say which not)
    python .ci/stores.py create NAME   a database NAME; Redis database REDIS_DB emptied; the URLs
    python .ci/stores.py drop NAME     drop NAME and every NAME_* the tests made; empty REDIS_DB

The suite reads the URLs from TEST_DATABASE_URL and TEST_REDIS_URL (tests/conftest.py). PostgreSQL
is reached as user `postgres` (CI_PG_USER) on 127.0.0.1:5432 (CI_PG_HOST, CI_PG_PORT), Redis on
127.0.0.1:6379 (CI_REDIS_HOST, CI_REDIS_PORT); REDIS_DB is the one logical database this run owns.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys

import asyncpg
from redis import Redis
from redis.exceptions import RedisError

PG_HOST = os.environ.get("CI_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("CI_PG_PORT", "5432"))
PG_USER = os.environ.get("CI_PG_USER", "postgres")
REDIS_HOST = os.environ.get("CI_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("CI_REDIS_PORT", "6379"))
# The last of Redis's 16 default databases, kept for this run: emptied before and after it.
REDIS_DB = int(os.environ.get("CI_REDIS_DB", "15"))
MONGO_PORT = 27017


def _dsn(database: str) -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


async def _postgres(*statements: str) -> list[str]:
    """Run statements on the maintenance database; the names of the databases there after."""
    conn = await asyncpg.connect(_dsn("postgres"), timeout=5)
    try:
        for statement in statements:
            await conn.execute(statement)
        return [row["datname"] for row in await conn.fetch("SELECT datname FROM pg_database")]
    finally:
        await conn.close()


def _redis() -> Redis:
    return Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=5)


def answer() -> int:
    """0 if PostgreSQL and Redis both answer; otherwise say which does not, and 1."""
    silent = []
    try:
        asyncio.run(_postgres())
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        silent.append(f"PostgreSQL on {PG_HOST}:{PG_PORT} as {PG_USER} ({exc})")
    try:
        _redis().ping()
    except RedisError as exc:
        silent.append(f"Redis on {REDIS_HOST}:{REDIS_PORT} ({exc})")
    for what in silent:
        print(f"no answer from {what}")
    return 1 if silent else 0


def mongo_answers() -> bool:
    """Whether something listens on MongoDB's standard port."""
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", MONGO_PORT)) == 0


def create(name: str) -> int:
    """The run's database and Redis database, empty; their URLs as shell assignments."""
    asyncio.run(_postgres(f'CREATE DATABASE "{name}"'))
    _redis().flushdb()
    print(f"TEST_DATABASE_URL=postgresql+asyncpg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}")
    print(f"TEST_REDIS_URL=redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}")
    if mongo_answers():
        print(f"TEST_MONGO_URL=mongodb://127.0.0.1:{MONGO_PORT}")
    return 0


def drop(name: str) -> int:
    """Drop the run's database and those the tests made next to it (`NAME_*`); empty Redis's."""
    left = asyncio.run(_postgres())
    ours = [db for db in left if db == name or db.startswith(f"{name}_")]
    asyncio.run(_postgres(*(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)' for db in ours)))
    _redis().flushdb()
    print(f"dropped {len(ours)} database(s) named {name}*, emptied Redis database {REDIS_DB}")
    return 0


def main(argv: list[str]) -> int:
    """Dispatch the subcommand (module docstring)."""
    match argv:
        case ["answer"]:
            return answer()
        case ["create", name]:
            return create(name)
        case ["drop", name]:
            return drop(name)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
