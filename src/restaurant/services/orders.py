"""The graph's `OrderDesk` over PostgreSQL: checkout in one transaction, idempotent per key.

Placing locks the session's cart row first, so retries of one checkout queue up behind each
other: the first turns the cart into an order and empties it in the same transaction, the next
ones find its `idempotency_key` and return that order. The unique index on the key is the last
word even across sessions (`ON CONFLICT DO NOTHING`). Order numbers are five characters from an
alphabet without look-alikes, redrawn on the rare collision.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from graph.context import utc_now
from graph.intents import OrderType
from graph.models import CartLineRead, OrderCreate, OrderError, OrderRead, OrderStatus
from graph.pricing import order_totals, ready_at, subtotal
from restaurant.db.models import CartLine, Order, OrderLine
from restaurant.db.models.orders import TRANSITIONS
from restaurant.db.models.orders import OrderStatus as DbStatus
from restaurant.services.carts import cart_lines as read_cart_lines
from restaurant.services.carts import choices_from, choices_json, lock_cart
from restaurant.services.menu import MenuService

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: read aloud or off a receipt, none is mistaken for another.
NUMBER_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
NUMBER_LENGTH = 5
NUMBER_ATTEMPTS = 10


def new_order_number() -> str:
    """A random order number like 'A7K3Q': always a letter and a digit in it."""
    while True:
        number = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))
        # The chat recognises "order A7K3Q" by its digit; a letter keeps it from reading as a
        # quantity or a price.
        if any(c.isdigit() for c in number) and any(c.isalpha() for c in number):
            return number


def normalise_number(number: str) -> str:
    """'#a7k3q ' -> 'A7K3Q'."""
    return number.strip().lstrip("#").strip().upper()


def _read(order: Order, lines: Sequence[OrderLine]) -> OrderRead:
    return OrderRead(
        number=order.number,
        user_id=order.user_id,
        type=OrderType(order.order_type),
        status=OrderStatus(order.status),
        address=order.address,
        lines=tuple(
            CartLineRead(
                id=str(line.id),
                item=line.item_key,
                label=line.label,
                quantity=line.quantity,
                choices=choices_from(line.choices),
                unit_price=line.unit_price,
                line_total=line.line_total,
            )
            for line in lines
        ),
        subtotal=order.subtotal,
        delivery_fee=order.delivery_fee,
        tax=order.tax,
        total=order.total,
        currency=order.currency,
        placed_at=order.created_at,
        ready_at=order.estimated_ready_at or order.created_at,
    )


class OrderService:
    """An `OrderDesk` in PostgreSQL, plus `advance` for the kitchen's status moves."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        menu: MenuService,
        *,
        clock: Callable[[], datetime] = utc_now,
        numbers: Callable[[], str] = new_order_number,
    ) -> None:
        self._sessions = sessions
        self._menu = menu
        self._clock = clock
        self._numbers = numbers

    async def _lines(
        self, session: AsyncSession, order_ids: Sequence[UUID]
    ) -> dict[UUID, list[OrderLine]]:
        if not order_ids:
            return {}
        rows = await session.execute(
            sa.select(OrderLine)
            .where(col(OrderLine.order_id).in_(list(order_ids)))
            .order_by(col(OrderLine.position))
        )
        lines: dict[UUID, list[OrderLine]] = {i: [] for i in order_ids}
        for line in rows.scalars():
            lines[line.order_id].append(line)
        return lines

    async def _by_key(self, session: AsyncSession, key: str) -> OrderRead | None:
        order = (
            await session.execute(sa.select(Order).where(col(Order.idempotency_key) == key))
        ).scalar_one_or_none()
        if order is None:
            return None
        return _read(order, (await self._lines(session, [order.id]))[order.id])

    @staticmethod
    def _same_customer(order: OrderRead, request: OrderCreate) -> OrderRead:
        if order.user_id != request.user_id:
            # Keys are per checkout; another customer's key reveals nothing about its order.
            raise OrderError("That checkout was already used; please start a new one.")
        return order

    async def place(self, order: OrderCreate) -> OrderRead:
        """Turn the session's cart into an order and empty the cart, once per idempotency key."""
        key = order.idempotency_key
        if not key:
            raise OrderError("An idempotency key is required.")
        if len(key) > 128:  # the column's width; a digest keeps long keys distinct
            key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
        # Read before the transaction: never wait for a second connection while holding one.
        currency = (await self._menu.snapshot()).menu.restaurant.currency
        async with self._sessions() as session, session.begin():
            cart = await lock_cart(session, order.session_id)
            # Read after taking the lock: a retry that waited on it sees the first one's order.
            existing = await self._by_key(session, key)
            if existing is not None:
                return self._same_customer(existing, order)
            lines = await read_cart_lines(session, cart.id) if cart is not None else ()
            if cart is None or not lines:
                raise OrderError("Your cart is empty, so there is nothing to order yet.")
            address = (order.address or "").strip() or None
            if order.type is OrderType.DELIVERY and address is None:
                raise OrderError("I need a delivery address to place a delivery order.")
            if address is not None and len(address) > 500:
                raise OrderError("That address is too long; please shorten it.")
            placed = await self._insert(
                session, order, key, cart.restaurant_id, lines, address, currency
            )
            if placed is None:
                # The key was used by another session's checkout committed meanwhile.
                existing = await self._by_key(session, key)
                assert existing is not None
                return self._same_customer(existing, order)
            await session.execute(sa.delete(CartLine).where(col(CartLine.cart_id) == cart.id))
            return placed

    async def _insert(
        self,
        session: AsyncSession,
        order: OrderCreate,
        key: str,
        restaurant_id: UUID,
        lines: Sequence[CartLineRead],
        address: str | None,
        currency: str,
    ) -> OrderRead | None:
        totals = order_totals(subtotal(lines), order.type)
        placed_at = self._clock()
        values = {
            "restaurant_id": restaurant_id,
            "user_id": order.user_id,
            "session_id": order.session_id,
            "idempotency_key": key,
            "order_type": order.type.value,
            "address": address if order.type is OrderType.DELIVERY else None,
            "status": DbStatus.PLACED.value,
            "currency": currency,
            "subtotal": totals.subtotal,
            "delivery_fee": totals.delivery_fee,
            "tax": totals.tax,
            "total": totals.total,
            "estimated_ready_at": ready_at(placed_at, order.type),
            "created_at": placed_at,
            "updated_at": placed_at,
        }
        for _ in range(NUMBER_ATTEMPTS):
            order_id = uuid4()
            try:
                async with session.begin_nested():
                    inserted = (
                        await session.execute(
                            insert(Order)
                            .values(id=order_id, number=self._numbers(), **values)
                            .on_conflict_do_nothing(index_elements=["idempotency_key"])
                            .returning(col(Order.id))
                        )
                    ).scalar_one_or_none()
            except IntegrityError as exc:
                if "number" in str(exc.orig):
                    continue  # the number is taken: draw another
                raise
            if inserted is None:
                return None
            break
        else:
            raise OrderError("Could not number the order; please try again.")
        rows = [
            OrderLine(
                order_id=order_id,
                item_key=line.item,
                label=line.label,
                quantity=line.quantity,
                choices=choices_json(line.choices),
                unit_price=line.unit_price,
                line_total=line.line_total,
                position=position,
            )
            for position, line in enumerate(lines, start=1)
        ]
        session.add_all(rows)
        await session.flush()
        created = await session.get(Order, order_id)
        assert created is not None
        return _read(created, rows)

    async def list_for_user(self, user_id: UUID, *, limit: int = 5) -> list[OrderRead]:
        """The user's orders, newest first."""
        async with self._sessions() as session:
            orders = (
                (
                    await session.execute(
                        sa.select(Order)
                        .where(col(Order.user_id) == user_id)
                        .order_by(col(Order.created_at).desc(), col(Order.number))
                        .limit(max(1, min(limit, 1000)))
                    )
                )
                .scalars()
                .all()
            )
            lines = await self._lines(session, [o.id for o in orders])
            return [_read(o, lines[o.id]) for o in orders]

    async def get(self, user_id: UUID, number: str) -> OrderRead | None:
        """One of the user's orders by number (another user's order is not found)."""
        async with self._sessions() as session:
            order = (
                await session.execute(
                    sa.select(Order).where(
                        col(Order.number) == normalise_number(number), col(Order.user_id) == user_id
                    )
                )
            ).scalar_one_or_none()
            if order is None:
                return None
            return _read(order, (await self._lines(session, [order.id]))[order.id])

    async def cancel(self, user_id: UUID, number: str) -> OrderRead:
        """Cancel an order still 'placed'; `OrderError` otherwise."""
        wanted = normalise_number(number)
        async with self._sessions() as session, session.begin():
            order = (
                await session.execute(
                    sa.select(Order)
                    .where(col(Order.number) == wanted, col(Order.user_id) == user_id)
                    .with_for_update()
                )
            ).scalar_one_or_none()
            if order is None:
                raise OrderNotFound(f"I can't find order #{wanted} on your account.")
            if order.status == DbStatus.CANCELLED:
                raise OrderConflict(f"Order #{order.number} is already cancelled.")
            if order.status != DbStatus.PLACED:
                raise OrderConflict(
                    f"Order #{order.number} is already {order.status.replace('_', ' ')}, "
                    "so it can't be cancelled any more."
                )
            order.status = DbStatus.CANCELLED.value
            order.updated_at = self._clock()
            await session.flush()
            return _read(order, (await self._lines(session, [order.id]))[order.id])

    async def advance(self, number: str, status: DbStatus) -> OrderRead:
        """Move an order along the status machine (the kitchen's side); `OrderError` if illegal."""
        wanted = normalise_number(number)
        async with self._sessions() as session, session.begin():
            order = (
                await session.execute(
                    sa.select(Order).where(col(Order.number) == wanted).with_for_update()
                )
            ).scalar_one_or_none()
            if order is None:
                raise OrderNotFound(f"There is no order #{wanted}.")
            current = DbStatus(order.status)
            if status not in TRANSITIONS[current]:
                raise OrderConflict(
                    f"Order #{order.number} can't go from {current.value} to {status.value}."
                )
            order.status = status.value
            order.updated_at = self._clock()
            await session.flush()
            return _read(order, (await self._lines(session, [order.id]))[order.id])


class OrderNotFound(OrderError):
    """No such order for this customer."""


class OrderConflict(OrderError):
    """The order's status does not allow the change."""


__all__ = [
    "NUMBER_ALPHABET",
    "OrderConflict",
    "OrderNotFound",
    "OrderService",
    "new_order_number",
    "normalise_number",
]
