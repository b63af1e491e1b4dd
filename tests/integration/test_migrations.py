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
    "menu_change",
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


def _sql(url: str, *statements: str) -> list[tuple[object, ...]]:
    """Run the statements; the rows of the last one."""

    async def run() -> list[tuple[object, ...]]:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            for statement in statements[:-1]:
                await conn.execute(statement)
            return [tuple(r) for r in await conn.fetch(statements[-1])]
        finally:
            await conn.close()

    return asyncio.run(run())


_ORDER = (
    "INSERT INTO customer_order (id, number, idempotency_key, restaurant_id, user_id, session_id, "
    "order_type, address, status, currency, subtotal, delivery_fee, tax, total, created_at, "
    "updated_at) VALUES (gen_random_uuid(), '{number}', '{number}', "
    "'00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 's', "
    "'{kind}', 'a', '{status}', 'USD', 1, 0, 0, 1, now(), now())"
)
_STATUSES = "SELECT number, status FROM customer_order ORDER BY number"


def test_migrations_order_statuses_move_to_the_lifecycle_and_back(
    make_database: Callable[[str], str],
) -> None:
    url = make_database("statuses")
    upgrade(url, "0003")
    old = [
        ("A1", "pickup", "confirmed"),
        ("A2", "pickup", "completed"),
        ("A3", "delivery", "completed"),
        ("A4", "dine_in", "completed"),
        ("A5", "delivery", "ready"),
    ]
    _sql(
        url,
        "INSERT INTO restaurant (id, key, name, currency, menu_version, menu_hash, created_at, "
        "updated_at) VALUES ('00000000-0000-0000-0000-000000000001', 'r', 'R', 'USD', 1, '', "
        "now(), now())",
        "INSERT INTO app_user (id, phone, created_at) VALUES "
        "('00000000-0000-0000-0000-000000000002', '+12125550100', now())",
        *(_ORDER.format(number=n, kind=k, status=s) for n, k, s in old),
        "SELECT 1",
    )
    upgrade(url)
    assert _sql(url, _STATUSES) == [
        ("A1", "accepted"),
        ("A2", "collected"),
        ("A3", "delivered"),
        ("A4", "served"),
        ("A5", "ready"),
    ]
    rows = _sql(
        url,
        _ORDER.format(number="A6", kind="delivery", status="out_for_delivery"),
        _ORDER.format(number="A7", kind="pickup", status="rejected"),
        _STATUSES,
    )
    assert len(rows) == 7
    downgrade(url, "0003")
    assert [status for _, status in _sql(url, _STATUSES)] == [
        "confirmed",
        "completed",
        "completed",
        "completed",
        "ready",
        "ready",
        "cancelled",
    ]
