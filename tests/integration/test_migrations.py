"""Alembic owns the schema: it upgrades, downgrades and upgrades again on real PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import asyncpg

from restaurant.db.migrate import downgrade, upgrade

TABLES = {
    "restaurant",
    "category",
    "option_group",
    "menu_option",
    "item",
    "item_option_group",
    "app_user",
    "cart",
    "cart_line",
    "customer_order",
    "order_line",
    "staff",
    "order_status_change",
    "alembic_version",
}


def _tables(url: str) -> set[str]:
    async def fetch() -> set[str]:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        finally:
            await conn.close()
        return {r["tablename"] for r in rows}

    return asyncio.run(fetch())


def test_migrations_upgrade_downgrade_upgrade(make_database: Callable[[str], str]) -> None:
    url = make_database("migrations")
    upgrade(url)
    assert _tables(url) == TABLES
    downgrade(url, "base")
    assert _tables(url) == {"alembic_version"}
    upgrade(url)
    assert _tables(url) == TABLES


def test_migrations_match_the_models(make_database: Callable[[str], str]) -> None:
    """Autogenerate finds nothing to add: the migration and the SQLModel tables agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import restaurant.db.models  # noqa: F401

    url = make_database("drift")
    upgrade(url)

    async def diff() -> list[object]:
        from sqlalchemy.ext.asyncio import create_async_engine

        aengine = create_async_engine(url)
        async with aengine.connect() as conn:
            result = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), SQLModel.metadata)
            )
        await aengine.dispose()
        return list(result)

    assert asyncio.run(diff()) == []


def _columns(url: str, table: str) -> set[str]:
    async def fetch() -> set[str]:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            rows = await conn.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_name = $1", table
            )
        finally:
            await conn.close()
        return {r["column_name"] for r in rows}

    return asyncio.run(fetch())


def test_migrations_restaurant_info_column_comes_and_goes(
    make_database: Callable[[str], str],
) -> None:
    url = make_database("info_column")
    upgrade(url)
    assert "info" in _columns(url, "restaurant")
    downgrade(url, "0002")
    assert "info" not in _columns(url, "restaurant")
    upgrade(url)
    assert "info" in _columns(url, "restaurant")
