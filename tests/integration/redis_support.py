"""Watching the pipelines a Redis client runs (round trips, and what goes in each)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline


def before_each_pipeline(client: Redis, hook: Callable[[Pipeline], Awaitable[None]]) -> None:
    """Await `hook(pipe)` just before each pipeline `client` makes from now on is executed."""
    original = client.pipeline

    def pipeline(*args: Any, **kwargs: Any) -> Any:
        pipe = original(*args, **kwargs)
        execute = pipe.execute

        async def hooked(*a: Any, **k: Any) -> Any:
            await hook(pipe)
            return await execute(*a, **k)

        pipe.execute = hooked  # type: ignore[method-assign]
        return pipe

    client.pipeline = pipeline  # type: ignore[method-assign]
