"""Helpers shared by the fault tests that run `make stack`'s topology with a slow fake model."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from restaurant.dev.stack import Stack
from tests.conftest import stack_on_test_stores
from tests.fakes.openai_server import FakeOpenAI


@contextlib.contextmanager
def slow_model(seconds: float) -> Iterator[FakeOpenAI]:
    """A fake OpenAI endpoint of a module's own: every answer takes `seconds`, so turns are
    still in flight when a test stops or kills an app."""
    server = FakeOpenAI()
    server.start()
    server.latency = seconds
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def stack_with_model(
    name: str,
    *,
    model: FakeOpenAI,
    lock_seconds: int,
    database_url: str,
    redis_url: str,
    redis_db: int,
    mongo_url: str,
    data_dir: Path,
) -> Iterator[Stack]:
    """Caddy + two apps on a fresh database and a Redis database of their own, answering through
    `model`, with a dead run's lock lapsing after `lock_seconds` (30 s by default)."""
    endpoint = {
        "base_url": model.base_url,
        "api_key": "sk-fake",
        "requests_per_minute": 100_000,
        "tokens_per_minute": 100_000_000,
    }
    with stack_on_test_stores(
        name,
        database_url=database_url,
        redis_url=redis_url,
        redis_db=redis_db,
        mongo_url=mongo_url,
        data_dir=data_dir,
        env={
            "LLM__ENDPOINTS": json.dumps([endpoint]),
            "CHAT__LOCK_TTL_SECONDS": str(lock_seconds),
        },
    ) as running:
        yield running


def ws_run(socket: Any, wait: float = 60) -> list[dict[str, Any]]:
    """The events of one run on a (sync) WebSocket, up to its RUN_FINISHED or RUN_ERROR."""
    events: list[dict[str, Any]] = []
    while not events or events[-1]["type"] not in ("RUN_FINISHED", "RUN_ERROR"):
        events.append(json.loads(socket.recv(timeout=wait)))
    return events
