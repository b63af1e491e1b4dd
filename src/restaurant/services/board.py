"""What the restaurant's staff read: orders as the kitchen reads them, and each order's moves.

A line reads as a ticket does: "2 × Large Pepperoni Pizza — extra cheese, NO onions". A size or
a count is always written, even when the menu chose it (the kitchen must never guess it); other
choices the menu made are the kitchen's default and left out, as the customer never said them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from graph.models import ChoiceRead, OrderRead
from graph.replies import BEFORE_GROUPS
from restaurant.auth.phone import mask_phone
from restaurant.db.engine import engine_of
from restaurant.db.models import User
from restaurant.db.models.orders import OrderStatus, OrderType
from restaurant.services.carts import choices_from
from restaurant.services.lifecycle import Actor, is_final, next_statuses
from restaurant.services.order_events import Customer
from restaurant.services.orders import ORDER, ORDER_LINE, STATUS_CHANGE, normalise_number

USER = User.metadata.tables["app_user"]
# Written even when the menu chose it.
ALWAYS_WRITTEN = ("size", "count")
# Orders some type can still move on from: what a board shows unless asked otherwise.
OPEN = tuple(s for s in OrderStatus if not all(is_final(t, s) for t in OrderType))
MAX_BOARD = 500


class _Read(BaseModel):
    model_config = ConfigDict(frozen=True)


class BoardLine(_Read):
    """One line of an order as the kitchen reads it."""

    quantity: int
    item: str
    label: str
    options: list[str]  # "Large", "extra cheese", "NO onions"
    text: str  # "2 × Large Pepperoni Pizza — extra cheese, NO onions"


class BoardCustomer(_Read):
    """Who the order is for, as far as the kitchen needs to know."""

    first_name: str | None
    phone: str  # masked: "+1******0123"


class BoardOrder(_Read):
    """An order on the board: what to make, for whom, by when, and where it can go next."""

    number: str
    type: OrderType
    status: OrderStatus
    placed_at: datetime
    ready_at: datetime | None  # the time promised to the customer
    address: str | None
    customer: BoardCustomer
    lines: list[BoardLine]
    total: Decimal
    currency: str
    next: list[OrderStatus]  # the moves staff may make from here


class StatusChangeRead(_Read):
    """One recorded move of an order."""

    from_status: OrderStatus
    to_status: OrderStatus
    actor: Actor
    staff_name: str | None
    reason: str | None
    ready_at: datetime | None
    at: datetime


def kitchen_line(quantity: int, label: str, choices: Iterable[ChoiceRead]) -> tuple[list[str], str]:
    """The options and the ticket text of a line: (["Large", "NO onions"], "2 × Large ...")."""
    before: list[str] = []
    after: list[str] = []
    for choice in choices:
        if choice.exclude:
            after.append(f"NO {choice.label.lower()}")
        elif choice.group.endswith(BEFORE_GROUPS):
            if not choice.default or choice.group.endswith(ALWAYS_WRITTEN):
                before.append(choice.label)
        elif not choice.default:
            word = choice.label.lower()
            after.append(f"{choice.qualifier} {word}" if choice.qualifier else word)
    text = f"{quantity} × {' '.join([*before, label])}"
    if after:
        text += " — " + ", ".join(after)
    return [*before, *after], text


def first_name(name: str | None) -> str | None:
    """'Ana' of 'Ana María López'; None when the customer gave no name."""
    words = (name or "").split()
    return words[0] if words else None


_BOARD = (
    sa.select(
        ORDER.c.id,
        ORDER.c.number,
        ORDER.c.order_type,
        ORDER.c.status,
        ORDER.c.address,
        ORDER.c.total,
        ORDER.c.currency,
        ORDER.c.created_at,
        ORDER.c.estimated_ready_at,
        USER.c.name,
        USER.c.phone,
    )
    .select_from(ORDER.join(USER, USER.c.id == ORDER.c.user_id))
    .order_by(ORDER.c.created_at.desc(), ORDER.c.number)
)
_IN_STATUSES = _BOARD.where(ORDER.c.status.in_(sa.bindparam("statuses", expanding=True))).limit(
    sa.bindparam("limit", type_=sa.Integer)
)
_ONE = _BOARD.where(ORDER.c.number == sa.bindparam("number"))
_LINES = (
    sa.select(
        ORDER_LINE.c.order_id,
        ORDER_LINE.c.item_key,
        ORDER_LINE.c.label,
        ORDER_LINE.c.quantity,
        ORDER_LINE.c.choices,
    )
    .where(ORDER_LINE.c.order_id.in_(sa.bindparam("orders", expanding=True)))
    .order_by(ORDER_LINE.c.position)
)
_ORDER_ID = sa.select(ORDER.c.id).where(ORDER.c.number == sa.bindparam("number"))
_HISTORY = (
    sa.select(
        STATUS_CHANGE.c.from_status,
        STATUS_CHANGE.c.to_status,
        STATUS_CHANGE.c.actor,
        STATUS_CHANGE.c.staff_name,
        STATUS_CHANGE.c.reason,
        STATUS_CHANGE.c.ready_at,
        STATUS_CHANGE.c.created_at,
    )
    .where(STATUS_CHANGE.c.order_id == sa.bindparam("order"))
    .order_by(STATUS_CHANGE.c.created_at, STATUS_CHANGE.c.id)
)


def _board_line(quantity: int, item: str, label: str, choices: Iterable[ChoiceRead]) -> BoardLine:
    options, text = kitchen_line(quantity, label, choices)
    return BoardLine(quantity=quantity, item=item, label=label, options=options, text=text)


def _line(row: sa.RowMapping) -> BoardLine:
    return _board_line(row["quantity"], row["item_key"], row["label"], choices_from(row["choices"]))


def board_order(order: OrderRead, customer: Customer) -> BoardOrder:
    """An order in hand (just placed or moved) as the board shows it: what `BoardService.order`
    reads of it, without reading it. Its `ready_at` is the promised time (every order placed has
    one)."""
    order_type = OrderType(order.type.value)
    status = OrderStatus(order.status.value)
    return BoardOrder(
        number=order.number,
        type=order_type,
        status=status,
        placed_at=order.placed_at,
        ready_at=order.ready_at,
        address=order.address,
        customer=BoardCustomer(
            first_name=first_name(customer.name), phone=mask_phone(customer.phone)
        ),
        lines=[_board_line(x.quantity, x.item, x.label, x.choices) for x in order.lines],
        total=order.total,
        currency=order.currency,
        next=next_statuses(order_type, status, Actor.STAFF),
    )


def _order(row: sa.RowMapping, lines: list[BoardLine]) -> BoardOrder:
    order_type = OrderType(row["order_type"])
    status = OrderStatus(row["status"])
    return BoardOrder(
        number=row["number"],
        type=order_type,
        status=status,
        placed_at=row["created_at"],
        ready_at=row["estimated_ready_at"],
        address=row["address"],
        customer=BoardCustomer(first_name=first_name(row["name"]), phone=mask_phone(row["phone"])),
        lines=lines,
        total=row["total"],
        currency=row["currency"],
        next=next_statuses(order_type, status, Actor.STAFF),
    )


class BoardService:
    """Reads orders for the staff: by status, newest first, and one order's recorded moves."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        # Reads only: AUTOCOMMIT, no BEGIN and ROLLBACK around them.
        self._autocommit = engine_of(sessions).execution_options(isolation_level="AUTOCOMMIT")

    async def orders(
        self, statuses: Collection[OrderStatus] = OPEN, *, limit: int = 200
    ) -> list[BoardOrder]:
        """The orders in these statuses (the open ones by default), newest first."""
        params: dict[str, Any] = {
            "statuses": [s.value for s in statuses],
            "limit": max(1, min(limit, MAX_BOARD)),
        }
        async with self._autocommit.connect() as conn:
            rows = (await conn.execute(_IN_STATUSES, params)).mappings().all()
            lines = await self._lines(conn, [row["id"] for row in rows])
        return [_order(row, lines[row["id"]]) for row in rows]

    async def order(self, number: str) -> BoardOrder | None:
        """One order by number, as the board shows it."""
        async with self._autocommit.connect() as conn:
            row = (
                (await conn.execute(_ONE, {"number": normalise_number(number)}))
                .mappings()
                .one_or_none()
            )
            if row is None:
                return None
            lines = await self._lines(conn, [row["id"]])
        return _order(row, lines[row["id"]])

    def entry(self, order: OrderRead, customer: Customer) -> BoardOrder:
        """An order in hand as the board shows it (`board_order`), without reading it."""
        return board_order(order, customer)

    async def history(self, number: str) -> list[StatusChangeRead] | None:
        """The order's recorded moves, oldest first; None if there is no such order."""
        async with self._autocommit.connect() as conn:
            order = (
                await conn.execute(_ORDER_ID, {"number": normalise_number(number)})
            ).scalar_one_or_none()
            if order is None:
                return None
            rows = (await conn.execute(_HISTORY, {"order": order})).mappings().all()
        return [
            StatusChangeRead(
                from_status=OrderStatus(row["from_status"]),
                to_status=OrderStatus(row["to_status"]),
                actor=Actor(row["actor"]),
                staff_name=row["staff_name"],
                reason=row["reason"],
                ready_at=row["ready_at"],
                at=row["created_at"],
            )
            for row in rows
        ]

    @staticmethod
    async def _lines(conn: AsyncConnection, order_ids: list[UUID]) -> dict[UUID, list[BoardLine]]:
        lines: dict[UUID, list[BoardLine]] = {order_id: [] for order_id in order_ids}
        if order_ids:
            for row in (await conn.execute(_LINES, {"orders": order_ids})).mappings():
                lines[row["order_id"]].append(_line(row))
        return lines


__all__ = [
    "OPEN",
    "BoardCustomer",
    "BoardLine",
    "BoardOrder",
    "BoardService",
    "StatusChangeRead",
    "board_order",
    "first_name",
    "kitchen_line",
]
