"""End-to-end fixtures.

`stack`: the compose topology as local processes (src/restaurant/dev/stack.py), once per session:
Caddy with the repository's Caddyfile in front of two `restaurant serve` processes, on the test
session's own embedded stores (tests/conftest.py), in a fresh database that the stack's own
migrate + seed step prepares. `stack.base_url` is Caddy; `stack.kill_app(i)` crashes one app
(SIGKILL) and `stack.restart_app(i)` brings it back, so a journey that kills an app should
restart it when it ends; `stack.outbox_path` is where one-time codes are written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from restaurant.dev.stack import Stack
from tests.conftest import stack_on_test_stores


@pytest.fixture(scope="session")
def stack(
    make_database: Callable[[str], str],
    redis_url: str,
    mongo_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    """Caddy + two app processes on the session's stores; Caddy on a free port."""
    with stack_on_test_stores(
        "e2e_stack",
        database_url=make_database("stack"),
        redis_url=redis_url,
        redis_db=3,
        mongo_url=mongo_url,
        data_dir=tmp_path_factory.mktemp("stack"),
    ) as running:
        yield running
