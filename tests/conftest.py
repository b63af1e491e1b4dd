"""Shared fixtures: real servers for the whole test session, started from pip packages.

The suite never depends on servers already running on this machine: it starts its own embedded
PostgreSQL, Redis and MongoDB-wire servers in a temporary directory (no standard ports).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from restaurant.embedded import EmbeddedServers

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServers]:
    """One set of embedded servers for the session."""
    servers = EmbeddedServers(tmp_path_factory.mktemp("servers"))
    servers.start()
    yield servers
    servers.stop()


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
    """The five shared menu files."""
    path = SHARED / "menus"
    assert path.is_dir(), f"the shared menus are expected at {path}"
    return path
