"""Shared fixtures: real servers for the whole test session, started from pip packages.

The suite never depends on servers already running on this machine: it starts its own embedded
PostgreSQL, Redis and MongoDB-wire servers in a temporary directory (no standard ports). It can
be pointed at other servers instead, each on its own: `TEST_DATABASE_URL` (a database it may
create others next to and drop them), `TEST_REDIS_URL` (a logical database it may flush) and
`TEST_MONGO_URL`; `.ci/run` does so with the machine's own PostgreSQL and Redis.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from bench.harness import import_demo_always_open, serve_demo_always_open
from restaurant.dev.embedded import EmbeddedServers
from restaurant.dev.stack import Stack, StoreURLs, run_stack
from restaurant.processes import free_port
from restaurant.settings import Settings

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

# The fake OpenAI-compatible server (`openai_server` fixture) for every test that needs a model.
pytest_plugins = ["tests.fakes.openai_server"]

REPO = Path(__file__).resolve().parent.parent
# The apps and CLIs the tests start run in directories of their own (no .env from the checkout):
# a relative PYTHONPATH (`PYTHONPATH=.:src`) would miss this checkout there and import whatever
# the environment installed instead, another worktree's code and migrations.
if os.environ.get("PYTHONPATH"):
    os.environ["PYTHONPATH"] = os.pathsep.join(
        os.path.abspath(entry) if entry else entry
        for entry in os.environ["PYTHONPATH"].split(os.pathsep)
    )
LOOPBACK_SESSIONS = 1_000_000  # new sessions a minute for apps the tests drive from one address


# Servers the suite was pointed at (module docstring); None: it starts an embedded one.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or None
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL") or None
TEST_MONGO_URL = os.environ.get("TEST_MONGO_URL") or None


def redis_db_url(redis_url: str, db: int) -> str:
    """The same Redis server, another logical database: keys and limits of a test's own. On a
    server the suite was given (`TEST_REDIS_URL`), the one database it was given: the others
    may hold someone else's data."""
    if TEST_REDIS_URL is not None:
        return redis_url
    return f"{redis_url}{'&' if '?' in redis_url else '?'}db={db}"


def with_database(postgres_url: str, database: str) -> str:
    """The URL of another database on the same PostgreSQL server (a socket in the query kept)."""
    head, mark, query = postgres_url.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{database}{mark}{query}"


@contextlib.contextmanager
def stack_on_test_stores(
    name: str,
    *,
    database_url: str,
    redis_url: str,
    redis_db: int,
    mongo_url: str,
    data_dir: Path,
    env: Mapping[str, str] | None = None,
) -> Iterator[Stack]:
    """Caddy + two app processes on the session's stores, with a database and Redis db of
    their own (rate limits and sessions don't meet other tests'); skips without Caddy. `env`:
    more settings for the apps."""
    if shutil.which("caddy") is None:
        pytest.skip("caddy is not installed (`make system-deps` installs it)")
    stores = StoreURLs(
        postgres=database_url,
        redis=redis_db_url(redis_url, redis_db),
        mongo=mongo_url,
        mongo_database=name,
    )
    with run_stack(data_dir, free_port(), stores=stores, isolated=True, env=env) as running:
        # The stack's seed step imported the demo menu with its real hours; the tests place
        # orders at whatever hour they run, so the apps serve it always open instead.
        serve_demo_always_open(database_url, [running.app_url(i) for i in range(len(running.apps))])
        yield running


# The project's shared data, copied into the repository (tests/data/README.md says from where).
DATA = REPO / "tests" / "data"


@pytest.fixture(scope="session")
def embedded() -> Iterator[EmbeddedServers]:
    """One set of embedded servers for the session.

    In a directory of its own rather than pytest's tmp_path: pytest prunes old tmp_path
    directories, which can pull the data directory from under a server another run is using.
    """
    directory = Path(tempfile.mkdtemp(prefix="restaurant-test-"))
    servers = EmbeddedServers(directory)
    servers.start(
        postgres=TEST_DATABASE_URL is None,
        redis=TEST_REDIS_URL is None,
        mongo=TEST_MONGO_URL is None,
    )
    yield servers
    servers.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url(embedded: EmbeddedServers) -> str:
    """A real Redis: `TEST_REDIS_URL`, or the embedded one (unix socket URL)."""
    url = TEST_REDIS_URL or embedded.redis_url
    assert url
    return url


@pytest.fixture(scope="session")
def postgres_url(embedded: EmbeddedServers) -> str:
    """A real PostgreSQL: `TEST_DATABASE_URL`, or the embedded one (SQLAlchemy asyncpg URL)."""
    url = TEST_DATABASE_URL or embedded.postgres_url
    assert url
    return url


@pytest.fixture(scope="session")
def mongo_url(embedded: EmbeddedServers) -> Iterator[str]:
    """A real MongoDB wire server: `TEST_MONGO_URL`, or the embedded one. On a given server the
    databases the session made are dropped at its end."""
    url = TEST_MONGO_URL or embedded.mongo_url
    assert url
    if TEST_MONGO_URL is None:
        yield url
        return
    from pymongo import MongoClient

    client: MongoClient[Any] = MongoClient(url)
    before = set(client.list_database_names())
    try:
        yield url
    finally:
        for name in set(client.list_database_names()) - before:
            client.drop_database(name)
        client.close()


@pytest.fixture(scope="session")
def shared_menus() -> Path:
    """The five shared menu files (tests/data/menus)."""
    return DATA / "menus"


@pytest.fixture(scope="session")
def make_database(postgres_url: str) -> Iterator[Callable[[str], str]]:
    """Creates an empty database on the session's server and returns its URL. On a server the
    suite was given, each is named after `TEST_DATABASE_URL`'s database and dropped at the end."""
    import asyncio

    import asyncpg

    admin_dsn = with_database(postgres_url, "postgres").replace(
        "postgresql+asyncpg://", "postgresql://"
    )
    prefix = f"{postgres_url.partition('?')[0].rsplit('/', 1)[1]}_" if TEST_DATABASE_URL else "t_"
    made: list[str] = []

    async def _run(sql: str) -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def make(name: str) -> str:
        name = f"{prefix}{name}"[:54] + f"_{uuid.uuid4().hex[:8]}"  # within PostgreSQL's 63
        asyncio.run(_run(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return with_database(postgres_url, name)

    yield make
    if TEST_DATABASE_URL is not None:
        for name in made:
            asyncio.run(_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def migrated_db(make_database: Callable[[str], str]) -> str:
    """A database with every migration applied (shared by read-mostly tests)."""
    from restaurant.db.migrate import upgrade

    url = make_database("migrated")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def make_seeded_database(make_database: Callable[[str], str]) -> Callable[[str], str]:
    """Creates a migrated database with the demo menu imported (always open) and returns its
    URL."""
    import asyncio

    from restaurant.db.migrate import upgrade

    def make(name: str) -> str:
        url = make_database(name)
        upgrade(url)
        asyncio.run(import_demo_always_open(url))  # orders at any hour (see the function)
        return url

    return make


@pytest.fixture(scope="session")
def seeded_db(make_seeded_database: Callable[[str], str]) -> str:
    """A migrated database with the demo menu imported."""
    return make_seeded_database("seeded")


@pytest.fixture(scope="session")
def app_settings(
    seeded_db: str, redis_url: str, mongo_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """Settings for an app on the session's real servers, serving the demo restaurant."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        db={"url": seeded_db},
        redis={"url": redis_url},
        mongo={"url": mongo_url, "database": "test_restaurant"},
        data_dir=tmp_path_factory.mktemp("app-data"),
        menu_cache_seconds=0.2,
        # The suite starts thousands of sessions from one address (test_session_limit: the limit).
        auth={"new_sessions_per_address": LOOPBACK_SESSIONS},
    )
