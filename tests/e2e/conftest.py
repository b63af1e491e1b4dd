"""End-to-end fixtures.

`stack`: the compose topology as local processes (src/restaurant/stack.py), once per session:
Caddy with the repository's Caddyfile in front of two `restaurant serve` processes, on the test
session's own embedded stores (tests/conftest.py), in a fresh database that the stack's own
migrate + seed step prepares. `stack.base_url` is Caddy; `stack.kill_app(i)` crashes one app
(SIGKILL) and `stack.restart_app(i)` brings it back, so a journey that kills an app should
restart it when it ends; `stack.outbox_path` is where one-time codes are written.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest

from restaurant.embedded import free_port
from restaurant.stack import Stack, StoreURLs, run_stack
from tests.conftest import redis_db_url


@pytest.fixture(scope="session")
def stack(
    make_database: Callable[[str], str],
    redis_url: str,
    mongo_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    """Caddy + two app processes on the session's stores; Caddy on a free port."""
    if shutil.which("caddy") is None:
        pytest.skip("caddy is not installed (`make system-deps` installs it)")
    stores = StoreURLs(
        postgres=make_database("stack"),
        # A Redis database of its own: rate limits and sessions don't meet other tests'.
        redis=redis_db_url(redis_url, 3),
        mongo=mongo_url,
        mongo_database="e2e_stack",
    )
    data_dir = tmp_path_factory.mktemp("stack")
    with run_stack(data_dir, free_port(), stores=stores, isolated=True) as running:
        yield running
