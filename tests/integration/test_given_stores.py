"""The suite runs on servers it is given (`TEST_DATABASE_URL`, `TEST_REDIS_URL`,
`TEST_MONGO_URL`), as `.ci/run` does with the machine's own PostgreSQL and Redis, instead of its
embedded ones: a module of it is run here in a pytest of its own, pointed at servers this test
owns, and the traces it leaves are looked for on them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest
from redis.asyncio import Redis

from tests.conftest import TEST_REDIS_URL, redis_db_url, with_database

REPO = Path(__file__).resolve().parents[2]
GIVEN_DB = 9  # the Redis database the inner run is given: nothing else here writes there


def _asyncpg(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@pytest.mark.slow
@pytest.mark.skipif(
    TEST_REDIS_URL is not None, reason="on given servers already: the inner run would share them"
)
async def test_the_suite_runs_on_the_servers_it_is_given(
    postgres_url: str, redis_url: str, mongo_url: str
) -> None:
    given_redis = redis_db_url(redis_url, GIVEN_DB)
    marker = f"given-{uuid.uuid4().hex}"
    redis = Redis.from_url(given_redis)
    database = f"given_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(_asyncpg(postgres_url))
    try:
        await redis.set(marker, "1", ex=600)
        await admin.execute(f'CREATE DATABASE "{database}"')
        env = {
            **os.environ,
            "TEST_DATABASE_URL": with_database(postgres_url, database),
            "TEST_REDIS_URL": given_redis,
            "TEST_MONGO_URL": mongo_url,
        }
        inner = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             "tests/integration/test_redis_keys.py"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert inner.returncode == 0, inner.stdout[-3000:] + inner.stderr[-3000:]
        assert "1 passed" in inner.stdout
        # Its Redis module emptied the database it was given (the marker is gone) ...
        assert await redis.exists(marker) == 0
        # ... and the databases it made on the given PostgreSQL, named after the given one,
        # were dropped at its end.
        names = {r["datname"] for r in await admin.fetch("SELECT datname FROM pg_database")}
        assert database in names
        assert not {n for n in names if n.startswith(f"{database}_")}
    finally:
        await redis.aclose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        await admin.close()
