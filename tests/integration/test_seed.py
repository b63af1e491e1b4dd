"""`restaurant seed`: imports the demo menu once; a second run changes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import asyncpg
from click.testing import CliRunner

from restaurant.cli import main


def _snapshot(url: str) -> list[tuple[object, ...]]:
    async def fetch() -> list[tuple[object, ...]]:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            rows = await conn.fetch(
                "SELECT i.id, i.key, i.price, i.tags, i.allergens, r.menu_version, r.updated_at "
                "FROM item i JOIN restaurant r ON r.id = i.restaurant_id ORDER BY i.key"
            )
        finally:
            await conn.close()
        return [tuple(r) for r in rows]

    return asyncio.run(fetch())


def test_seed_twice_changes_nothing(make_database: Callable[[str], str], tmp_path: object) -> None:
    url = make_database("seed")
    env = {"DB__URL": url, "DATA_DIR": str(tmp_path)}
    first = CliRunner().invoke(main, ["seed"], env=env)
    assert first.exit_code == 0, first.output
    assert "demo: imported (menu version 1" in first.output
    before = _snapshot(url)
    assert len(before) >= 35
    second = CliRunner().invoke(main, ["seed"], env=env)
    assert second.exit_code == 0, second.output
    assert "demo: unchanged (menu version 1" in second.output
    assert _snapshot(url) == before
