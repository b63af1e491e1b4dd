"""What can be ordered right now: items and options sold out (and back), new orders paused.

Staff change the live menu here, never the menu file: each change updates its row, bumps the
restaurant's `menu_version` and records who did it (`menu_change`), in one transaction. The
bump is what carries the change to every replica: each one's `MenuService` reads the version
at most `menu_cache_seconds` (1 s) apart and on every checkout, and reloads its snapshot (and
with it the cards, the chat's answers and pricing) when it moved. A new menu import sets the
items' and options' availability to the file's again; a pause it leaves alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from restaurant.db.engine import engine_of
from restaurant.db.models import Category, Item, MenuChange, MenuOption, OptionGroup, Restaurant
from restaurant.services.menu import MenuNotFound, MenuService
from restaurant.services.staff import StaffMember

RESTAURANT = Restaurant.__table__  # type: ignore[attr-defined]
CATEGORY = Category.__table__  # type: ignore[attr-defined]
ITEM = Item.__table__  # type: ignore[attr-defined]
GROUP = OptionGroup.__table__  # type: ignore[attr-defined]
OPTION = MenuOption.__table__  # type: ignore[attr-defined]
CHANGE = MenuChange.__table__  # type: ignore[attr-defined]
MAX_MESSAGE = 300


class NotOnMenu(LookupError):
    """No item, option group or option with that key on the restaurant's menu."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ItemAvailability(BaseModel):
    """An item, its category and whether it can be ordered."""

    key: str
    label: str
    category: str
    available: bool


class OptionAvailability(BaseModel):
    """An option of a group and whether it can be chosen."""

    group: str
    group_label: str
    key: str
    label: str
    available: bool


class Ordering(BaseModel):
    """Whether new orders are taken; while paused, the message customers are told."""

    paused: bool
    message: str | None


class Availability(BaseModel):
    """The whole menu as staff mark it: every item and option, and ordering."""

    version: int
    ordering: Ordering
    items: list[ItemAvailability]
    options: list[OptionAvailability]


def _ordering(message: str | None) -> Ordering:
    return Ordering(paused=message is not None, message=message)


class AvailabilityService:
    """Marks items and options sold out or back, and pauses or resumes new orders."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], menu: MenuService) -> None:
        self._engine = engine_of(sessions)
        self._menu = menu

    async def _restaurant(self, conn: AsyncConnection, *, lock: bool = False) -> sa.RowMapping:
        query = sa.select(
            RESTAURANT.c.id, RESTAURANT.c.menu_version, RESTAURANT.c.ordering_paused
        ).where(RESTAURANT.c.key == self._menu.restaurant)
        row = (await conn.execute(query.with_for_update() if lock else query)).mappings().first()
        if row is None:
            raise MenuNotFound(f"no menu imported for restaurant {self._menu.restaurant!r}")
        return row

    async def read(self) -> Availability:
        """Every item and option with its availability, and whether orders are paused."""
        async with self._engine.connect() as conn:
            restaurant = await self._restaurant(conn)
            rid = restaurant["id"]
            items = await conn.execute(
                sa.select(
                    ITEM.c.key, ITEM.c.label, CATEGORY.c.key.label("category"), ITEM.c.available
                )
                .select_from(ITEM.join(CATEGORY, CATEGORY.c.id == ITEM.c.category_id))
                .where(ITEM.c.restaurant_id == rid)
                .order_by(CATEGORY.c.position, ITEM.c.position)
            )
            options = await conn.execute(
                sa.select(
                    GROUP.c.key.label("group"),
                    GROUP.c.label.label("group_label"),
                    OPTION.c.key,
                    OPTION.c.label,
                    OPTION.c.available,
                )
                .select_from(OPTION.join(GROUP, GROUP.c.id == OPTION.c.group_id))
                .where(GROUP.c.restaurant_id == rid)
                .order_by(GROUP.c.position, OPTION.c.position)
            )
            return Availability(
                version=restaurant["menu_version"],
                ordering=_ordering(restaurant["ordering_paused"]),
                items=[ItemAvailability.model_validate(dict(r)) for r in items.mappings()],
                options=[OptionAvailability.model_validate(dict(r)) for r in options.mappings()],
            )

    async def _changed(
        self,
        conn: AsyncConnection,
        restaurant: sa.RowMapping,
        member: StaffMember,
        *,
        kind: str,
        key: str,
        available: bool,
        message: str | None = None,
    ) -> None:
        """Bump the menu's version and record the change (in the caller's transaction)."""
        now = sa.func.now()
        await conn.execute(
            sa.update(RESTAURANT)
            .where(RESTAURANT.c.id == restaurant["id"])
            .values(menu_version=RESTAURANT.c.menu_version + 1, updated_at=now)
        )
        await conn.execute(
            sa.insert(CHANGE).values(
                id=sa.func.gen_random_uuid(),
                restaurant_id=restaurant["id"],
                kind=kind,
                key=key,
                available=available,
                message=message,
                staff_id=member.id,
                staff_name=member.name,
                created_at=now,
            )
        )

    async def set_item(self, key: str, available: bool, member: StaffMember) -> ItemAvailability:
        """Mark an item sold out (False) or back (True); `NotOnMenu` for an unknown key."""
        async with self._engine.begin() as conn:
            restaurant = await self._restaurant(conn, lock=True)
            row = (
                (
                    await conn.execute(
                        sa.update(ITEM)
                        .where(ITEM.c.restaurant_id == restaurant["id"], ITEM.c.key == key)
                        .values(available=available)
                        .returning(ITEM.c.key, ITEM.c.label, ITEM.c.category_id, ITEM.c.available)
                    )
                )
                .mappings()
                .first()
            )
            if row is None:
                raise NotOnMenu(f"There is no item {key!r} on the menu.")
            category = (
                await conn.execute(
                    sa.select(CATEGORY.c.key).where(CATEGORY.c.id == row["category_id"])
                )
            ).scalar_one()
            await self._changed(conn, restaurant, member, kind="item", key=key, available=available)
        self._menu.invalidate()
        return ItemAvailability(
            key=row["key"], label=row["label"], category=category, available=row["available"]
        )

    async def set_option(
        self, group: str, key: str, available: bool, member: StaffMember
    ) -> OptionAvailability:
        """Mark an option of a group sold out or back; `NotOnMenu` for an unknown key."""
        async with self._engine.begin() as conn:
            restaurant = await self._restaurant(conn, lock=True)
            found = (
                (
                    await conn.execute(
                        sa.select(GROUP.c.id, GROUP.c.label).where(
                            GROUP.c.restaurant_id == restaurant["id"], GROUP.c.key == group
                        )
                    )
                )
                .mappings()
                .first()
            )
            if found is None:
                raise NotOnMenu(f"There is no option group {group!r} on the menu.")
            row = (
                (
                    await conn.execute(
                        sa.update(OPTION)
                        .where(OPTION.c.group_id == found["id"], OPTION.c.key == key)
                        .values(available=available)
                        .returning(OPTION.c.key, OPTION.c.label, OPTION.c.available)
                    )
                )
                .mappings()
                .first()
            )
            if row is None:
                raise NotOnMenu(f"The option group {group!r} has no option {key!r}.")
            await self._changed(
                conn, restaurant, member, kind="option", key=f"{group}/{key}", available=available
            )
        self._menu.invalidate()
        return OptionAvailability(
            group=group,
            group_label=found["label"],
            key=row["key"],
            label=row["label"],
            available=row["available"],
        )

    async def ordering(self) -> Ordering:
        """Whether new orders are taken now."""
        async with self._engine.connect() as conn:
            return _ordering((await self._restaurant(conn))["ordering_paused"])

    async def set_ordering(
        self, paused: bool, message: str | None, member: StaffMember
    ) -> Ordering:
        """Pause new orders with a message for customers (may be empty), or resume them."""
        said = " ".join((message or "").split())[:MAX_MESSAGE] if paused else None
        async with self._engine.begin() as conn:
            restaurant = await self._restaurant(conn, lock=True)
            await conn.execute(
                sa.update(RESTAURANT)
                .where(RESTAURANT.c.id == restaurant["id"])
                .values(ordering_paused=said)
            )
            await self._changed(
                conn,
                restaurant,
                member,
                kind="ordering",
                key="",
                available=not paused,
                message=said,
            )
        self._menu.invalidate()
        return _ordering(said)


__all__ = [
    "Availability",
    "AvailabilityService",
    "ItemAvailability",
    "NotOnMenu",
    "OptionAvailability",
    "Ordering",
]
