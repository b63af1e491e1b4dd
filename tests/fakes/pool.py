"""Pooled chat models on the fake OpenAI server, for the pool's tests."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import SecretStr
from redis.asyncio import Redis

from restaurant.dev.embedded import EmbeddedServers
from restaurant.llm import PoolConfig, PooledChatModel
from restaurant.settings import LLMEndpoint, LLMSettings
from tests.fakes.openai_server import FakeOpenAI

# Every model `pooled_model` built, closed (with its HTTP connections) after each test by the
# integration tests' `close_pooled_models` fixture.
BUILT: list[PooledChatModel] = []


async def close_built() -> None:
    """Close the models built since the last call."""
    while BUILT:
        await BUILT.pop().aclose()


def keys(*names: str) -> list[str]:
    """API keys unique to one test, so its endpoints' Redis state is its own."""
    tag = uuid.uuid4().hex[:8]
    return [f"{name}-{tag}" for name in names]


def pooled_model(
    server: FakeOpenAI,
    redis: Redis,
    api_keys: Sequence[str],
    *,
    timeout: float = 5.0,
    requests_per_minute: int = 60,
    tokens_per_minute: int = 60_000,
    config: PoolConfig | None = None,
    clock: Callable[[], float] | None = None,
) -> PooledChatModel:
    """A `PooledChatModel` built from settings as the lifespan builds it, one endpoint a key."""
    settings = LLMSettings(
        endpoints=[
            LLMEndpoint(
                base_url=server.base_url,
                api_key=SecretStr(key),
                requests_per_minute=requests_per_minute,
                tokens_per_minute=tokens_per_minute,
            )
            for key in api_keys
        ],
        timeout_seconds=timeout,
        reply_model="reply-model",
        classify_model="classify-model",
    )
    model = PooledChatModel.from_settings(settings, redis, config=config)
    BUILT.append(model)
    if clock is not None:
        model.pool.clock = clock
    return model


def endpoint_ids(model: PooledChatModel) -> dict[str, str]:
    """API key -> endpoint id."""
    return {
        e.api_key.get_secret_value(): e.id for e in model.pool.endpoints if e.api_key is not None
    }


@contextmanager
def embedded_redis(prefix: str) -> Iterator[str]:
    """A Redis of a test module's own in a private temporary directory; yields its URL."""
    with tempfile.TemporaryDirectory(prefix=prefix) as directory:
        servers = EmbeddedServers(Path(directory))
        servers.start(postgres=False, redis=True, mongo=False)
        try:
            assert servers.redis_url
            yield servers.redis_url
        finally:
            servers.stop()
