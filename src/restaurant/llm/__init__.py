"""The model behind the assistant: an endpoint pool shared through Redis, seen as one chat model."""

from __future__ import annotations

from redis.asyncio import Redis

from restaurant.llm.model import PooledChatModel
from restaurant.llm.pool import Endpoint, EndpointPool, PoolConfig, PoolExhausted
from restaurant.settings import LLMSettings


def build_chat_model(settings: LLMSettings, redis: Redis) -> PooledChatModel | None:
    """The pooled chat model when any endpoint is configured, else None (offline only)."""
    if not settings.configured:
        return None
    return PooledChatModel.from_settings(settings, redis)


__all__ = [
    "Endpoint",
    "EndpointPool",
    "PoolConfig",
    "PoolExhausted",
    "PooledChatModel",
    "build_chat_model",
]
