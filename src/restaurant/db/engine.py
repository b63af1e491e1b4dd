"""The async SQLAlchemy engine and session factory."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from restaurant.settings import DatabaseSettings


def _drop_closed(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: Any) -> None:
    """Hand out no pooled connection the server has closed: a fresh one is made instead."""
    driver = record.driver_connection
    is_closed = getattr(driver, "is_closed", None)
    if is_closed is not None and is_closed():
        raise DisconnectionError("the server closed this pooled connection")


def create_engine(settings: DatabaseSettings, url: str) -> AsyncEngine:
    """An asyncpg engine with a bounded pool."""
    engine = create_async_engine(
        url,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        echo=settings.echo,
        # Errors and logs name the statement, never its values (addresses, phones, user ids).
        hide_parameters=True,
    )
    # A restarted PostgreSQL is picked up again without a restart here. Not `pool_pre_ping`:
    # its ping is a BEGIN, a query and a ROLLBACK (three round trips and a transaction) on every
    # checkout, which was half of a chat turn's PostgreSQL transactions. asyncpg sees the
    # server close a socket as it happens, so a flag check finds the dead connections; one
    # that dies in use fails its statement and SQLAlchemy invalidates the pool.
    event.listen(engine.sync_engine, "checkout", _drop_closed)
    return engine


def engine_of(sessions: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    """The engine a session factory is bound to (the services run Core statements on it)."""
    bind = sessions.kw.get("bind")
    if not isinstance(bind, AsyncEngine):
        raise TypeError("the session factory is not bound to an AsyncEngine")
    return bind


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
