"""Shared fixtures: real servers for the whole test session, started from pip packages.

The suite never depends on servers already running on this machine: it starts its own embedded
PostgreSQL, Redis and MongoDB-wire servers in a temporary directory (no standard ports).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from bench.harness import import_demo_always_open, serve_demo_always_open
from restaurant.embedded import EmbeddedServers, free_port
from restaurant.settings import Settings
from restaurant.stack import Stack, StoreURLs, run_stack

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

# The fake OpenAI-compatible server (`openai_server` fixture) for every test that needs a model.
pytest_plugins = ["tests.fakes.openai_server"]

REPO = Path(__file__).resolve().parent.parent
LOOPBACK_SESSIONS = 1_000_000  # new sessions a minute for apps the tests drive from one address


def redis_db_url(redis_url: str, db: int) -> str:
    """The same Redis server, another logical database: keys and limits of a test's own."""
    return f"{redis_url}{'&' if '?' in redis_url else '?'}db={db}"


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
    servers.start()
    yield servers
    servers.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_url(embedded: EmbeddedServers) -> str:
    """A real Redis (unix socket URL)."""
    assert embedded.redis_url
    return embedded.redis_url


@pytest.fixture(scope="session")
def postgres_url(embedded: EmbeddedServers) -> str:
    """A real PostgreSQL (SQLAlchemy asyncpg URL)."""
    assert embedded.postgres_url
    return embedded.postgres_url


@pytest.fixture(scope="session")
def mongo_url(embedded: EmbeddedServers) -> str:
    """A real MongoDB wire server."""
    assert embedded.mongo_url
    return embedded.mongo_url


@pytest.fixture(scope="session")
def shared_menus() -> Path:
    """The five shared menu files (tests/data/menus)."""
    return DATA / "menus"


@pytest.fixture(scope="session")
def make_database(postgres_url: str) -> Callable[[str], str]:
    """Creates an empty database on the session's server and returns its URL."""
    import asyncio

    import asyncpg

    admin_dsn = postgres_url.replace("postgresql+asyncpg://", "postgresql://").replace(
        "/restaurant?", "/postgres?"
    )

    async def _run(sql: str) -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def make(name: str) -> str:
        name = f"t_{name}_{uuid.uuid4().hex[:8]}"
        asyncio.run(_run(f'CREATE DATABASE "{name}"'))
        return postgres_url.replace("/restaurant?", f"/{name}?")

    return make


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
