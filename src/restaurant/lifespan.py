"""Owns the long-lived clients: SQL engine, Redis pool, MongoDB client with Beanie."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from langchain_core.language_models import BaseChatModel
from langgraph.graph.state import CompiledStateGraph
from litestar import Litestar
from pymongo import AsyncMongoClient
from redis.asyncio import BlockingConnectionPool, Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from graph.builder import build_graph
from graph.checkpoint import RedisSaver
from graph.context import Context
from graph.state import State, TurnInput
from restaurant.db.documents import init_documents
from restaurant.db.engine import create_engine, session_factory
from restaurant.llm import build_chat_model
from restaurant.services.menu import MenuService
from restaurant.services.wiring import Services
from restaurant.settings import Settings

log = logging.getLogger(__name__)
NEVER = 2**31 - 1  # a threshold no count reaches


class NotConfigured(RuntimeError):
    """The app was created without a store URL (`restaurant serve` fills them in)."""


@dataclass
class Resources:
    """Everything a request may need, created once per process."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: Redis
    mongo: AsyncMongoClient[Any]
    menu: MenuService
    # Compiled once per process; checkpoints on the shared Redis client, one TTL per thread.
    graph: CompiledStateGraph[State, Context, TurnInput, State]
    # The pooled model when `settings.llm` names any endpoint; None: the offline path alone.
    chat_model: BaseChatModel | None = None

    @cached_property
    def services(self) -> Services:
        """Carts, orders, sessions and sign-in, wired on first use over the clients above."""
        return Services.build(self.settings, self.sessions, self.redis, self.menu)


def redis_client(url: str, max_connections: int) -> Redis:
    """A Redis client over a bounded pool that waits for a free connection instead of failing."""
    pool = BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=10, health_check_interval=30
    )
    # from_pool: closing the client then closes the pool it owns.
    return Redis.from_pool(pool)


@asynccontextmanager
async def open_resources(settings: Settings) -> AsyncIterator[Resources]:
    """Open every client; close them in reverse order."""
    missing = [
        name
        for name, url in (
            ("DB__URL", settings.db.url),
            ("REDIS__URL", settings.redis.url),
            ("MONGO__URL", settings.mongo.url),
        )
        if not url
    ]
    if missing:
        raise NotConfigured(
            f"missing {', '.join(missing)}: use `restaurant serve`, which starts embedded servers"
        )
    assert settings.db.url and settings.redis.url and settings.mongo.url
    engine = create_engine(settings.db, settings.db.url)
    sessions = session_factory(engine)
    redis = redis_client(settings.redis.url, settings.redis.max_connections)
    # A short server-selection timeout: a missing MongoDB must never hold up a turn for 30 s.
    mongo: AsyncMongoClient[Any] = AsyncMongoClient(
        settings.mongo.url, serverSelectionTimeoutMS=3000
    )
    chat_model = build_chat_model(settings.llm, redis)
    try:
        try:
            await init_documents(mongo, settings.mongo.database)
        except Exception as exc:  # transcripts are off the hot path: start without them
            log.warning("MongoDB not ready at start (%s); transcripts will be retried", exc)
        yield Resources(
            settings=settings,
            engine=engine,
            sessions=sessions,
            redis=redis,
            mongo=mongo,
            menu=MenuService(sessions, settings.restaurant, settings.menu_cache_seconds),
            graph=build_graph(
                checkpointer=RedisSaver(
                    redis,
                    ttl_seconds=settings.redis.checkpoint_ttl_seconds,
                    history=settings.redis.checkpoint_history,
                )
            ),
            chat_model=chat_model,
        )
    finally:
        if chat_model is not None:
            await chat_model.aclose()
        await mongo.close()
        await redis.aclose()
        await engine.dispose()


def lifespan_for(settings: Settings) -> Any:
    """The Litestar lifespan that puts `Resources` on `app.state.resources`."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with open_resources(settings) as resources:
            app.state.resources = resources
            collector = asyncio.create_task(
                scheduled_full_collections(settings.gc_full_collect_seconds)
            )
            thresholds = gc.get_threshold()
            try:
                yield
            finally:
                collector.cancel()
                gc.set_threshold(*thresholds)
                if "services" in vars(resources):  # built on first use (a cached property)
                    # The boards' streams end and the stream's reader stops before Redis closes.
                    await resources.services.board_feed.close()

    return lifespan


async def scheduled_full_collections(every_seconds: float) -> None:
    """Full garbage collections every `every_seconds` instead of whenever CPython's thresholds
    say, after freezing what start-up made.

    A full collection walks every object the collector tracks and stops the event loop while it
    does: under load it came every ~6 s and took 60-140 ms (caches of conversations, ~150k
    objects, beyond the ~260k frozen ones), the worst of the p99 of an otherwise ~20 ms turn
    (measured with gc.callbacks during bench/chat.py). The young generations are still collected
    as CPython decides (a millisecond or less); cyclic garbage that reaches the oldest one waits
    for the next scheduled pass (a few MB at most in between).
    """
    if not gc.get_freeze_count():  # once a process (tests start many apps)
        # What start-up made (modules, graph, clients) lives as long as the process: frozen,
        # no collection walks it again.
        gc.collect()
        gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)
    while True:
        await asyncio.sleep(every_seconds)
        gc.collect()
