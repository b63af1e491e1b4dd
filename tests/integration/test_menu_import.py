"""Menu import: every shared menu imports, re-import updates in place, nothing is half-written."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from graph.menu import MenuError, load_menu, parse_menu
from restaurant.db.models import Item, MenuOption, Restaurant
from restaurant.services.menu import load_menu_from_db
from restaurant.services.menu_import import import_menu, import_menu_file, menu_hash

MENUS = ("pizzeria", "burger", "burrito", "coffee", "sub")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def sessions(migrated_db: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_async_engine(migrated_db)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


async def _count(sessions: async_sessionmaker[AsyncSession], model: Any, restaurant: str) -> int:
    async with sessions() as session:
        rid = (
            await session.execute(sa.select(Restaurant.id).where(Restaurant.key == restaurant))
        ).scalar_one()
        if model is MenuOption:
            from restaurant.db.models import OptionGroup

            stmt = (
                sa.select(sa.func.count())
                .select_from(MenuOption)
                .join(OptionGroup)
                .where(OptionGroup.restaurant_id == rid)
            )
        else:
            stmt = sa.select(sa.func.count()).select_from(model).where(model.restaurant_id == rid)
        return int((await session.execute(stmt)).scalar_one())


@pytest.mark.parametrize("name", MENUS)
async def test_menu_import_shared_menu_round_trips(
    sessions: async_sessionmaker[AsyncSession], shared_menus: Path, name: str
) -> None:
    path = shared_menus / f"{name}.json"
    result = await import_menu_file(sessions, path)
    original = load_menu(path)
    assert result.items == len(original.items())
    async with sessions() as session:
        stored, version = await load_menu_from_db(session, name)
    assert version == result.version
    # What comes back out of PostgreSQL is the file, item for item and option for option.
    assert stored.model_dump() == original.model_dump()


async def test_menu_import_twice_changes_nothing(
    sessions: async_sessionmaker[AsyncSession], shared_menus: Path
) -> None:
    first = await import_menu_file(sessions, shared_menus / "coffee.json")
    second = await import_menu_file(sessions, shared_menus / "coffee.json")
    assert not second.changed
    assert second.version == first.version


async def test_menu_import_reimport_updates_in_place(
    sessions: async_sessionmaker[AsyncSession], shared_menus: Path
) -> None:
    data = json.loads((shared_menus / "burrito.json").read_text())
    data["restaurant"]["key"] = "burrito_edit"
    await import_menu(sessions, parse_menu(data))
    async with sessions() as session:
        before = {i.key: i.id for i in (await session.execute(sa.select(Item))).scalars()}
    data["categories"][0]["items"][0]["price"] = "11.75"
    removed = data["categories"][2]["items"].pop()["key"]
    result = await import_menu(sessions, parse_menu(data))
    assert result.changed
    async with sessions() as session:
        menu, version = await load_menu_from_db(session, "burrito_edit")
        after = {i.key: i.id for i in (await session.execute(sa.select(Item))).scalars()}
    assert version == 2
    assert str(menu.item("burrito").price) == "11.75"  # type: ignore[union-attr]
    assert menu.item(removed) is None
    # Rows are updated, not replaced: the ids of kept items do not change.
    assert before["burrito"] == after["burrito"]


async def test_menu_import_failure_leaves_nothing_half_written(
    sessions: async_sessionmaker[AsyncSession], shared_menus: Path
) -> None:
    data = json.loads((shared_menus / "sub.json").read_text())
    data["restaurant"]["key"] = "sub_atomic"
    await import_menu(sessions, parse_menu(data))
    items_before = await _count(sessions, Item, "sub_atomic")
    # Valid for the file format, but too large for NUMERIC(10,2): PostgreSQL refuses the last item.
    data["categories"][0]["items"][0]["price"] = "1.00"
    data["categories"][-1]["items"][-1]["price"] = "123456789012.00"
    with pytest.raises(sa.exc.DBAPIError):
        await import_menu(sessions, parse_menu(data))
    async with sessions() as session:
        menu, version = await load_menu_from_db(session, "sub_atomic")
    assert version == 1
    assert menu.item(data["categories"][0]["items"][0]["key"]).price != 1  # type: ignore[union-attr]
    assert await _count(sessions, Item, "sub_atomic") == items_before


async def test_menu_import_concurrent_imports_serialise(
    sessions: async_sessionmaker[AsyncSession], shared_menus: Path
) -> None:
    data = json.loads((shared_menus / "burger.json").read_text())
    data["restaurant"]["key"] = "burger_race"
    menus = []
    for price in ("5.00", "6.00", "7.00"):
        data["categories"][0]["items"][0]["price"] = price
        menus.append(parse_menu(data))
    results = await asyncio.gather(*(import_menu(sessions, m) for m in menus))
    assert sorted(r.version for r in results) == [1, 2, 3]
    assert await _count(sessions, Item, "burger_race") == len(menus[0].items())


def test_menu_import_cli_refuses_a_broken_file_before_touching_servers(
    tmp_path: Path, shared_menus: Path
) -> None:
    from click.testing import CliRunner

    from restaurant.cli import main

    data = json.loads((shared_menus / "pizzeria.json").read_text())
    data["option_groups"][2]["options"][5]["price"] = "lots"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    result = CliRunner().invoke(
        main, ["import-menu", str(broken)], env={"DATA_DIR": str(tmp_path / "data")}
    )
    assert result.exit_code == 1
    assert (
        f"{broken}: $.option_groups[2].options[5].price: must be a decimal string" in result.output
    )
    assert not (tmp_path / "data").exists()  # no server was started for a broken file


def test_menu_import_demo_seed_is_valid() -> None:
    menu = load_menu(REPO / "seeds" / "demo.json")
    assert len(menu.items()) >= 35
    assert len(menu.categories) >= 6
    with pytest.raises(MenuError):
        parse_menu({"format": "restaurant-menu/1"})


# --- the restaurant info block ------------------------------------------------------------------


def _demo_as(key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REPO / "seeds" / "demo.json").read_text())
    data["restaurant"]["key"] = key
    return data


async def test_menu_import_info_block_is_stored_served_and_idempotent(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    data = _demo_as("demo_info")
    original = parse_menu(data)
    first = await import_menu(sessions, original)
    assert (await import_menu(sessions, parse_menu(data))).changed is False  # same file: nothing
    async with sessions() as session:
        stored, version = await load_menu_from_db(session, "demo_info")
        row = (
            await session.execute(sa.select(Restaurant).where(Restaurant.key == "demo_info"))
        ).scalar_one()
    assert version == first.version
    assert stored.restaurant.info == original.restaurant.info
    assert stored.model_dump() == original.model_dump()
    assert row.info is not None and row.info["delivery"]["fee"] == "3.99"  # decimal strings

    data["restaurant"]["info"]["delivery"]["fee"] = "4.50"
    changed = await import_menu(sessions, parse_menu(data))
    assert changed.changed and changed.version == first.version + 1
    del data["restaurant"]["info"]  # the block can be taken out again
    await import_menu(sessions, parse_menu(data))
    async with sessions() as session:
        stored, _ = await load_menu_from_db(session, "demo_info")
        row = (
            await session.execute(sa.select(Restaurant).where(Restaurant.key == "demo_info"))
        ).scalar_one()
    assert stored.restaurant.info is None and row.info is None


def test_menu_import_fingerprint_without_info_is_unchanged() -> None:
    """A menu without the block hashes as it did before the block existed, so re-importing an
    unchanged file after the upgrade changes nothing (the value was computed before it)."""
    data = {
        "format": "restaurant-menu/1",
        "restaurant": {"key": "tiny", "name": "Tiny"},
        "categories": [
            {
                "key": "drinks",
                "label": "Drinks",
                "items": [{"key": "tea", "label": "Tea", "price": "2.00"}],
            }
        ],
    }
    assert menu_hash(parse_menu(data)) == (
        "f38f0164d6fd4e860cae9367a16925ec60400cd051ff542bc92b11aa835a3b48"
    )
