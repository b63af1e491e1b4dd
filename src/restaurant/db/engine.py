"""The async SQLAlchemy engine and session factory."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from restaurant.settings import DatabaseSettings


def create_engine(settings: DatabaseSettings, url: str) -> AsyncEngine:
    """An asyncpg engine with a bounded pool."""
    return create_async_engine(
        url,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_pre_ping=True,  # a restarted PostgreSQL is picked up again without a restart here
        echo=settings.echo,
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
