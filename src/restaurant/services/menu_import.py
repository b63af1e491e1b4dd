"""Importing a menu file into PostgreSQL: validate it all first, then write in one transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col, select

from graph.menu import Menu, MenuError, load_menu
from restaurant.db.models import (
    Category,
    Item,
    ItemOptionGroup,
    MenuOption,
    OptionGroup,
    Restaurant,
)
from restaurant.db.models.base import utcnow


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    restaurant: str
    changed: bool
    version: int
    categories: int
    items: int
    option_groups: int


def menu_hash(menu: Menu) -> str:
    """A stable fingerprint of a menu's content."""
    document = menu.model_dump(mode="json")
    if document["restaurant"]["info"] is None:
        # A menu without the info block keeps the fingerprint it had before the block existed,
        # so re-importing an unchanged file after the upgrade still changes nothing.
        del document["restaurant"]["info"]
    # Nor do the fields staff set on the live menu: a pause is never a file's, and an option
    # is available unless the file says otherwise (the fingerprint of before they existed).
    document["restaurant"].pop("ordering_paused", None)
    for group in document["option_groups"]:
        for option in group["options"]:
            if option["available"]:
                del option["available"]
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def import_menu_file(
    sessions: async_sessionmaker[AsyncSession], path: str | Path
) -> ImportResult:
    """Validate the file, then import it; `MenuError` names the place when the file is broken."""
    return await import_menu(sessions, load_menu(path))


async def import_menu(sessions: async_sessionmaker[AsyncSession], menu: Menu) -> ImportResult:
    """Upsert a validated menu on its natural keys in one transaction; a rerun changes nothing."""
    fingerprint = menu_hash(menu)
    counts = {
        "categories": len(menu.categories),
        "items": len(menu.items()),
        "option_groups": len(menu.option_groups),
    }
    async with sessions() as session, session.begin():
        # Serialise imports of one restaurant: two operators importing at once would interleave.
        await session.execute(
            sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": menu.restaurant.key}
        )
        existing = (
            await session.execute(
                select(Restaurant).where(col(Restaurant.key) == menu.restaurant.key)
            )
        ).scalar_one_or_none()
        if existing is not None and existing.menu_hash == fingerprint:
            return ImportResult(menu.restaurant.key, False, existing.menu_version, **counts)
        restaurant_id = await _upsert_restaurant(session, menu, fingerprint)
        group_ids = await _upsert_groups(session, restaurant_id, menu)
        await _upsert_items(session, restaurant_id, menu, group_ids)
        version = (
            await session.execute(
                select(Restaurant.menu_version).where(col(Restaurant.id) == restaurant_id)
            )
        ).scalar_one()
    return ImportResult(menu.restaurant.key, True, version, **counts)


def info_json(menu: Menu) -> dict[str, Any] | None:
    """The restaurant's info block as stored (JSONB): the file's JSON, prices as strings."""
    info = menu.restaurant.info
    return None if info is None else info.model_dump(mode="json")


async def _upsert_restaurant(session: AsyncSession, menu: Menu, fingerprint: str) -> UUID:
    table = Restaurant.__table__  # type: ignore[attr-defined]
    now = utcnow()
    stmt = insert(table).values(
        key=menu.restaurant.key,
        name=menu.restaurant.name,
        currency=menu.restaurant.currency,
        info=info_json(menu),
        menu_version=1,
        menu_hash=fingerprint,
        created_at=now,
        updated_at=now,
        id=sa.func.gen_random_uuid(),
    )
    upsert = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "name": stmt.excluded.name,
            "currency": stmt.excluded.currency,
            "info": stmt.excluded.info,
            "menu_hash": stmt.excluded.menu_hash,
            "menu_version": table.c.menu_version + 1,
            "updated_at": now,
        },
    ).returning(table.c.id)
    return (await session.execute(upsert)).scalar_one()  # type: ignore[no-any-return]


async def _upsert_groups(session: AsyncSession, restaurant_id: UUID, menu: Menu) -> dict[str, UUID]:
    groups = OptionGroup.__table__  # type: ignore[attr-defined]
    options = MenuOption.__table__  # type: ignore[attr-defined]
    group_ids: dict[str, UUID] = {}
    for position, group in enumerate(menu.option_groups):
        stmt = insert(groups).values(
            id=sa.func.gen_random_uuid(),
            restaurant_id=restaurant_id,
            key=group.key,
            label=group.label,
            selection=group.select,
            required=group.required,
            min_choices=group.min,
            max_choices=group.max,
            qualifiers=list(group.qualifiers),
            excludable=group.excludable,
            position=position,
        )
        upsert = stmt.on_conflict_do_update(
            index_elements=["restaurant_id", "key"],
            set_={
                c: stmt.excluded[c]
                for c in (
                    "label",
                    "selection",
                    "required",
                    "min_choices",
                    "max_choices",
                    "qualifiers",
                    "excludable",
                    "position",
                )
            },
        ).returning(groups.c.id)
        group_id = (await session.execute(upsert)).scalar_one()
        group_ids[group.key] = group_id
        rows = [
            {
                "group_id": group_id,
                "key": option.key,
                "label": option.label,
                "price": option.price,
                "aliases": list(option.aliases),
                "is_default": option.default,
                "available": option.available,
                "position": i,
            }
            for i, option in enumerate(group.options)
        ]
        ostmt = insert(options).values(rows)
        oupsert = ostmt.on_conflict_do_update(
            index_elements=["group_id", "key"],
            set_={
                c: ostmt.excluded[c]
                for c in ("label", "price", "aliases", "is_default", "available", "position")
            },
        )
        await session.execute(oupsert)
        await session.execute(
            sa.delete(options).where(
                options.c.group_id == group_id,
                options.c.key.not_in([o.key for o in group.options]),
            )
        )
    await session.execute(
        sa.delete(groups).where(
            groups.c.restaurant_id == restaurant_id, groups.c.key.not_in(list(group_ids) or [""])
        )
    )
    return group_ids


async def _upsert_items(
    session: AsyncSession, restaurant_id: UUID, menu: Menu, group_ids: dict[str, UUID]
) -> None:
    categories = Category.__table__  # type: ignore[attr-defined]
    items = Item.__table__  # type: ignore[attr-defined]
    links = ItemOptionGroup.__table__  # type: ignore[attr-defined]
    item_keys: list[str] = []
    for cposition, category in enumerate(menu.categories):
        cstmt = insert(categories).values(
            id=sa.func.gen_random_uuid(),
            restaurant_id=restaurant_id,
            key=category.key,
            label=category.label,
            position=cposition,
        )
        cupsert = cstmt.on_conflict_do_update(
            index_elements=["restaurant_id", "key"],
            set_={"label": cstmt.excluded.label, "position": cstmt.excluded.position},
        ).returning(categories.c.id)
        category_id = (await session.execute(cupsert)).scalar_one()
        for iposition, item in enumerate(category.items):
            item_keys.append(item.key)
            istmt = insert(items).values(
                id=sa.func.gen_random_uuid(),
                restaurant_id=restaurant_id,
                category_id=category_id,
                key=item.key,
                label=item.label,
                description=item.description,
                image=item.image,
                price=item.price,
                aliases=list(item.aliases),
                tags=list(item.tags),
                allergens=list(item.allergens),
                available=item.available,
                position=iposition,
            )
            iupsert = istmt.on_conflict_do_update(
                index_elements=["restaurant_id", "key"],
                set_={
                    c: istmt.excluded[c]
                    for c in (
                        "category_id",
                        "label",
                        "description",
                        "image",
                        "price",
                        "aliases",
                        "tags",
                        "allergens",
                        "available",
                        "position",
                    )
                },
            ).returning(items.c.id)
            item_id = (await session.execute(iupsert)).scalar_one()
            await session.execute(sa.delete(links).where(links.c.item_id == item_id))
            if item.option_groups:
                await session.execute(
                    insert(links).values(
                        [
                            {"item_id": item_id, "group_id": group_ids[key], "position": i}
                            for i, key in enumerate(item.option_groups)
                        ]
                    )
                )
    # Items and categories the file no longer lists leave the menu. Orders keep their own copy
    # of labels and prices, so history is unaffected.
    await session.execute(
        sa.delete(items).where(
            items.c.restaurant_id == restaurant_id, items.c.key.not_in(item_keys)
        )
    )
    await session.execute(
        sa.delete(categories).where(
            categories.c.restaurant_id == restaurant_id,
            categories.c.key.not_in([c.key for c in menu.categories]),
        )
    )


__all__ = ["ImportResult", "MenuError", "import_menu", "import_menu_file", "menu_hash"]
