"""The graph's `CartStore` over PostgreSQL: one cart per chat session, priced by `graph.pricing`.

Every change locks the cart row (`SELECT ... FOR UPDATE`), so two turns or a turn and a REST call
on the same session never interleave their read-modify-write. Lines keep the resolved choices and
the unit price as they were when added, like the in-memory cart does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from graph.menu import Menu
from graph.models import (
    CartChange,
    CartError,
    CartLineRead,
    CartRead,
    ChoiceRead,
    ChoiceSpec,
    LineSpec,
    Refusal,
)
from graph.pricing import money, price_line, subtotal
from restaurant.db.models import Cart, CartLine, Item, Restaurant
from restaurant.db.models.base import utcnow
from restaurant.services.menu import MenuService

NO_SUCH_LINE = "That item isn't in your cart any more."


@dataclass(frozen=True, slots=True)
class MenuIds:
    """Database ids of one menu version: the restaurant and each item key."""

    version: int
    restaurant_id: UUID
    items: dict[str, UUID]


def refuse_or_price(menu: Menu, spec: LineSpec, line_id: str) -> CartLineRead | Refusal:
    """A priced line, or why the menu refuses it (the in-memory cart's rules and messages)."""
    item = menu.item(spec.item)
    if item is None:
        return Refusal(
            item=spec.item,
            reason="unknown_item",
            message=f"{spec.item.replace('_', ' ')} isn't on the menu.",
        )
    if not item.available:
        return Refusal(
            item=item.key,
            reason="unavailable",
            message=f"Sorry, {item.label} isn't available right now.",
        )
    try:
        return price_line(menu, line_id, item, spec.quantity, spec.choices)
    except CartError as exc:
        return Refusal(item=item.key, reason="bad_choice", message=exc.message)


def choices_json(choices: Iterable[ChoiceRead]) -> list[dict[str, Any]]:
    """Resolved choices as stored in the JSONB snapshot column."""
    return [c.model_dump(mode="json") for c in choices]


def choices_from(rows: Iterable[dict[str, Any]]) -> tuple[ChoiceRead, ...]:
    """The JSONB snapshot back as resolved choices."""
    return tuple(ChoiceRead.model_validate(row) for row in rows)


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


async def lock_cart(session: AsyncSession, session_id: str) -> Cart | None:
    """The session's cart row, locked until the transaction ends; None if there is none."""
    result = await session.execute(
        sa.select(Cart).where(col(Cart.session_id) == session_id).with_for_update()
    )
    return result.scalar_one_or_none()


# Only the columns a `CartLineRead` needs: loading `CartLine` entities (identity map, instance
# state) was most of the ORM's share of a chat turn's CPU, and nothing here writes them back.
_LINE_COLUMNS = (
    col(CartLine.id),
    col(CartLine.quantity),
    col(CartLine.choices),
    col(CartLine.unit_price),
    col(Item.key),
    col(Item.label),
)


def _line_reads(rows: Iterable[Any]) -> tuple[CartLineRead, ...]:
    return tuple(
        CartLineRead(
            id=str(line_id),
            item=key,
            label=label,
            quantity=quantity,
            choices=choices_from(choices),
            unit_price=unit_price,
            line_total=money(unit_price * quantity),
        )
        for line_id, quantity, choices, unit_price, key, label in rows
    )


async def cart_lines(session: AsyncSession, cart_id: UUID) -> tuple[CartLineRead, ...]:
    """A cart's lines in the order they were added, priced from their snapshots."""
    rows = await session.execute(
        sa.select(*_LINE_COLUMNS)
        .join(Item, col(Item.id) == col(CartLine.item_id))
        .where(col(CartLine.cart_id) == cart_id)
        .order_by(col(CartLine.position), col(CartLine.created_at))
    )
    return _line_reads(rows.all())


class CartService:
    """A `CartStore` in PostgreSQL; `for_user` binds new carts to a signed-in customer."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        menu: MenuService,
        *,
        user_id: UUID | None = None,
        ids: list[MenuIds] | None = None,
        lock: asyncio.Lock | None = None,
    ) -> None:
        self._sessions = sessions
        self._menu = menu
        self._user_id = user_id
        # Shared between the bound copies, so item ids load once per menu version per process.
        self._ids: list[MenuIds] = ids if ids is not None else []
        self._ids_lock = lock or asyncio.Lock()

    def for_user(self, user_id: UUID | None) -> CartService:
        """The same store, creating carts owned by `user_id`."""
        if user_id == self._user_id:
            return self
        return CartService(
            self._sessions, self._menu, user_id=user_id, ids=self._ids, lock=self._ids_lock
        )

    async def _menu_ids(self, session: AsyncSession, version: int) -> MenuIds:
        if self._ids and self._ids[0].version == version:
            return self._ids[0]
        async with self._ids_lock:
            if self._ids and self._ids[0].version == version:
                return self._ids[0]
            rows = await session.execute(
                sa.select(col(Restaurant.id), col(Item.key), col(Item.id))
                .join(Item, col(Item.restaurant_id) == col(Restaurant.id))
                .where(col(Restaurant.key) == self._menu.restaurant)
            )
            found = rows.all()
            if not found:
                raise CartError("The menu isn't loaded yet; please try again shortly.")
            ids = MenuIds(
                version=version,
                restaurant_id=found[0][0],
                items={key: item_id for _, key, item_id in found},
            )
            self._ids[:] = [ids]
            return ids

    @staticmethod
    async def _read(
        session: AsyncSession, session_id: str, cart: Cart | None, currency: str
    ) -> CartRead:
        # `currency` comes from a snapshot taken before the transaction: reading the menu inside
        # it could wait for a second pooled connection while holding the first (a deadlock).
        lines = await cart_lines(session, cart.id) if cart is not None else ()
        total = subtotal(lines)
        return CartRead(
            session_id=session_id, lines=lines, subtotal=total, total=total, currency=currency
        )

    async def _ensure(self, session: AsyncSession, session_id: str, restaurant_id: UUID) -> Cart:
        # ON CONFLICT: two first adds on one session race to create the cart; one row wins.
        await session.execute(
            insert(Cart)
            .values(
                id=uuid4(),
                session_id=session_id,
                restaurant_id=restaurant_id,
                user_id=self._user_id,
                created_at=utcnow(),
                updated_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["session_id"])
        )
        cart = await lock_cart(session, session_id)
        assert cart is not None  # just inserted or already there, and carts are never deleted
        return cart

    async def get(self, session_id: str) -> CartRead:
        """The cart (empty if none yet)."""
        currency = (await self._menu.snapshot()).menu.restaurant.currency
        # One statement from the session id to the lines (no cart or no lines: no rows), where
        # loading the `Cart` entity first took a round trip of its own.
        async with self._sessions() as session:
            rows = await session.execute(
                sa.select(*_LINE_COLUMNS)
                .join(Item, col(Item.id) == col(CartLine.item_id))
                .join(Cart, col(Cart.id) == col(CartLine.cart_id))
                .where(col(Cart.session_id) == session_id)
                .order_by(col(CartLine.position), col(CartLine.created_at))
            )
            lines = _line_reads(rows.all())
        total = subtotal(lines)
        return CartRead(
            session_id=session_id, lines=lines, subtotal=total, total=total, currency=currency
        )

    async def add(self, session_id: str, lines: Sequence[LineSpec]) -> CartChange:
        """Add the lines the menu accepts; report the others in `refused`."""
        snapshot = await self._menu.snapshot()
        currency = snapshot.menu.restaurant.currency
        priced: list[CartLineRead] = []
        refused: list[Refusal] = []
        for spec in lines:
            result = refuse_or_price(snapshot.menu, spec, str(uuid4()))
            if isinstance(result, Refusal):
                refused.append(result)
            else:
                priced.append(result)
        async with self._sessions() as session, session.begin():
            if not priced:
                cart = await lock_cart(session, session_id)
                return CartChange(
                    cart=await self._read(session, session_id, cart, currency),
                    refused=tuple(refused),
                )
            ids = await self._menu_ids(session, snapshot.version)
            cart = await self._ensure(session, session_id, ids.restaurant_id)
            position = (
                await session.execute(
                    sa.select(sa.func.coalesce(sa.func.max(CartLine.position), 0)).where(
                        col(CartLine.cart_id) == cart.id
                    )
                )
            ).scalar_one()
            now = utcnow()
            for offset, line in enumerate(priced, start=1):
                session.add(
                    CartLine(
                        id=UUID(line.id),
                        cart_id=cart.id,
                        item_id=ids.items[line.item],
                        quantity=line.quantity,
                        choices=choices_json(line.choices),
                        unit_price=line.unit_price,
                        position=position + offset,
                        created_at=now,
                    )
                )
            cart.updated_at = now
            await session.flush()
            read = await self._read(session, session_id, cart, currency)
        return CartChange(cart=read, lines=tuple(priced), refused=tuple(refused))

    async def update_line(
        self,
        session_id: str,
        line_id: str,
        *,
        quantity: int | None = None,
        choices: Sequence[ChoiceSpec] = (),
    ) -> CartChange:
        """Change a line's quantity and/or merge choices onto it; `CartError` if refused."""
        menu = (await self._menu.snapshot()).menu
        currency = menu.restaurant.currency
        line_uuid = _uuid(line_id)
        async with self._sessions() as session, session.begin():
            cart = await lock_cart(session, session_id)
            if cart is None or line_uuid is None:
                raise CartError(NO_SUCH_LINE)
            found = (
                await session.execute(
                    sa.select(CartLine, col(Item.key), col(Item.label))
                    .join(Item, col(Item.id) == col(CartLine.item_id))
                    .where(col(CartLine.id) == line_uuid, col(CartLine.cart_id) == cart.id)
                )
            ).one_or_none()
            if found is None:
                raise CartError(NO_SUCH_LINE)
            row, key, label = found
            item = menu.item(key)
            if item is None:
                raise CartError(f"{label} is no longer on the menu.")
            line = price_line(
                menu,
                line_id,
                item,
                quantity if quantity is not None else row.quantity,
                choices,
                choices_from(row.choices),
            )
            row.quantity = line.quantity
            row.choices = choices_json(line.choices)
            row.unit_price = line.unit_price
            cart.updated_at = utcnow()
            await session.flush()
            read = await self._read(session, session_id, cart, currency)
        return CartChange(cart=read, lines=(line,))

    async def remove_line(self, session_id: str, line_id: str) -> CartRead:
        """Remove a line; `CartError` if there is no such line."""
        currency = (await self._menu.snapshot()).menu.restaurant.currency
        line_uuid = _uuid(line_id)
        async with self._sessions() as session, session.begin():
            cart = await lock_cart(session, session_id)
            if cart is None or line_uuid is None:
                raise CartError("That item isn't in your cart.")
            deleted = await session.execute(
                sa.delete(CartLine)
                .where(col(CartLine.id) == line_uuid, col(CartLine.cart_id) == cart.id)
                .returning(col(CartLine.id))
            )
            if deleted.scalar_one_or_none() is None:
                raise CartError("That item isn't in your cart.")
            cart.updated_at = utcnow()
            return await self._read(session, session_id, cart, currency)

    async def clear(self, session_id: str) -> CartRead:
        """Empty the cart."""
        currency = (await self._menu.snapshot()).menu.restaurant.currency
        async with self._sessions() as session, session.begin():
            cart = await lock_cart(session, session_id)
            if cart is not None:
                await session.execute(sa.delete(CartLine).where(col(CartLine.cart_id) == cart.id))
                cart.updated_at = utcnow()
            return await self._read(session, session_id, cart, currency)

    async def claim(self, session_ids: Sequence[str], user_id: UUID) -> int:
        """Give the carts of these chat sessions to a user who just signed in; how many."""
        if not session_ids:
            return 0
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                sa.update(Cart)
                .where(col(Cart.session_id).in_(list(session_ids)))
                .values(user_id=user_id, updated_at=utcnow())
                .returning(col(Cart.id))
            )
            return len(result.all())


__all__ = [
    "CartService",
    "MenuIds",
    "cart_lines",
    "choices_from",
    "choices_json",
    "lock_cart",
    "refuse_or_price",
]
