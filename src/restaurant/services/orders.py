"""The graph's `OrderDesk` over PostgreSQL: checkout in one transaction, idempotent per key.

Placing locks the session's cart row first, so retries of one checkout queue up behind each
other: the first turns the cart into an order and empties it in the same transaction, the next
ones find its `idempotency_key` and return that order. The unique index on the key is the last
word even across sessions (`ON CONFLICT DO NOTHING`). Order numbers are five characters from an
alphabet without look-alikes, redrawn on the rare collision.

Under the lock, one statement reads the cart's lines and whether the key was used, and one
inserts the order with its lines and empties the cart: five round trips with BEGIN, the lock
and COMMIT (there were eight).

Moves (the staff's `set_status`, the customer's `cancel`) lock the order's row, ask
`restaurant.services.lifecycle` whether the move is allowed, and write the new status and its
record in `order_status_change` in one transaction. Once committed, placing and moving are told
to the `OrderEvents` the service was given (`restaurant.services.order_events`).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, insert
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from graph.context import utc_now
from graph.intents import OrderType
from graph.menu import Menu
from graph.models import CartLineRead, OrderCreate, OrderError, OrderRead, OrderStatus
from graph.pricing import check_order, order_totals, ready_at, subtotal
from restaurant.db.engine import engine_of
from restaurant.db.models import Order, OrderStatusChange, User
from restaurant.db.models.orders import OrderStatus as DbStatus
from restaurant.db.models.orders import OrderType as DbType
from restaurant.services.carts import (
    CART_LINE,
    CART_LINES,
    choices_from,
    choices_json,
    line_reads,
    lock_cart_to_place,
)
from restaurant.services.lifecycle import Actor, BadMove, IllegalMove, check_move
from restaurant.services.menu import MenuService
from restaurant.services.order_events import (
    Customer,
    NoOrderEvents,
    OrderEvents,
    OrderMoved,
    OrderPlaced,
)
from restaurant.services.staff import StaffMember

log = logging.getLogger(__name__)

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: read aloud or off a receipt, none is mistaken for another.
NUMBER_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
NUMBER_LENGTH = 5
NUMBER_ATTEMPTS = 10

ORDER = Order.metadata.tables["customer_order"]
USER = User.metadata.tables["app_user"]
ORDER_LINE = Order.metadata.tables["order_line"]
STATUS_CHANGE = OrderStatusChange.metadata.tables["order_status_change"]
# How far ahead a kitchen may promise an order when accepting it.
MAX_PROMISE = timedelta(hours=24)

# A row by column name: a read's `RowMapping` or the values just written.
Record = Mapping[Any, Any]

# SQLAlchemy Core, built once: what `_read` needs and nothing else.
_ORDERS = sa.select(
    ORDER.c.id,
    ORDER.c.number,
    ORDER.c.user_id,
    ORDER.c.order_type,
    ORDER.c.status,
    ORDER.c.address,
    ORDER.c.subtotal,
    ORDER.c.delivery_fee,
    ORDER.c.tax,
    ORDER.c.total,
    ORDER.c.currency,
    ORDER.c.created_at,
    ORDER.c.estimated_ready_at,
    ORDER.c.session_id,
)
_BY_KEY = _ORDERS.where(ORDER.c.idempotency_key == sa.bindparam("key"))
_KEY_TAKEN = sa.select(ORDER.c.id).where(ORDER.c.idempotency_key == sa.bindparam("key"))
_USERS_ORDER = _ORDERS.where(
    ORDER.c.number == sa.bindparam("number"), ORDER.c.user_id == sa.bindparam("user")
)
# A move locks the order's row (not its customer's) and reads, beside it, the customer's name
# and phone: with the moved order, all its board entry shows (`OrderMoved.customer`).
_CUSTOMER = (USER.c.name.label("customer_name"), USER.c.phone.label("customer_phone"))
_WITH_CUSTOMER = ORDER.outerjoin(USER, USER.c.id == ORDER.c.user_id)
_LOCK_USERS_ORDER = (
    _USERS_ORDER.add_columns(*_CUSTOMER).select_from(_WITH_CUSTOMER).with_for_update(of=ORDER)
)
_LOCK_ORDER = (
    _ORDERS.add_columns(*_CUSTOMER)
    .select_from(_WITH_CUSTOMER)
    .where(ORDER.c.number == sa.bindparam("number"))
    .with_for_update(of=ORDER)
)
_USERS_ORDERS = (
    _ORDERS.where(ORDER.c.user_id == sa.bindparam("user"))
    .order_by(ORDER.c.created_at.desc(), ORDER.c.number)
    .limit(sa.bindparam("limit", type_=sa.Integer))
)
_LINES_OF = (
    sa.select(
        ORDER_LINE.c.order_id,
        ORDER_LINE.c.id,
        ORDER_LINE.c.item_key,
        ORDER_LINE.c.label,
        ORDER_LINE.c.quantity,
        ORDER_LINE.c.choices,
        ORDER_LINE.c.unit_price,
        ORDER_LINE.c.line_total,
    )
    .where(ORDER_LINE.c.order_id.in_(sa.bindparam("orders", expanding=True)))
    .order_by(ORDER_LINE.c.position)
)
# The cart's lines (read under its lock) and, on each, the id of the order already placed with
# this idempotency key, if any: one round trip where there were two.
_LINES_AND_KEY = CART_LINES.add_columns(
    sa.select(ORDER.c.id).where(ORDER.c.idempotency_key == sa.bindparam("key")).scalar_subquery()
)

# The order, its lines (from parallel arrays, in their order) and the emptied cart, as one
# statement: one round trip where there were three. No conflict target: a taken idempotency key
# and a taken number both insert nothing (and need no savepoint to recover from); then no line
# is inserted and the cart keeps its lines, and `_insert` tells the two apart.
_ORDER_VALUES = (
    "id",
    "number",
    "restaurant_id",
    "user_id",
    "session_id",
    "idempotency_key",
    "order_type",
    "address",
    "status",
    "currency",
    "subtotal",
    "delivery_fee",
    "tax",
    "total",
    "estimated_ready_at",
    "created_at",
    "updated_at",
)
_NEW_ORDER = (
    insert(ORDER)
    .values({name: sa.bindparam(name, type_=ORDER.c[name].type) for name in _ORDER_VALUES})
    .on_conflict_do_nothing()
    .returning(ORDER.c.id, ORDER.c.user_id)
    .cte("new_order")
)
# An order line's own columns, as the given lines (one array each, in this order) carry them.
_LINE_FIELDS = ("item_key", "label", "quantity", "choices", "unit_price", "line_total")
_GIVEN_LINES = (
    sa.func.unnest(
        sa.bindparam("line_ids", type_=ARRAY(PG_UUID)),
        sa.bindparam("item_keys", type_=ARRAY(sa.String)),
        sa.bindparam("labels", type_=ARRAY(sa.String)),
        sa.bindparam("quantities", type_=ARRAY(sa.Integer)),
        sa.bindparam("choice_lists", type_=ARRAY(JSONB, dimensions=1)),
        sa.bindparam("unit_prices", type_=ARRAY(sa.Numeric)),
        sa.bindparam("line_totals", type_=ARRAY(sa.Numeric)),
    )
    .table_valued("id", *_LINE_FIELDS, with_ordinality="position")
    .render_derived(name="given_line")
)
_NEW_LINES = (
    insert(ORDER_LINE)
    .from_select(
        ["id", "order_id", *_LINE_FIELDS, "position"],
        sa.select(
            _GIVEN_LINES.c.id,
            _NEW_ORDER.c.id,
            *(_GIVEN_LINES.c[name] for name in _LINE_FIELDS),
            _GIVEN_LINES.c.position,
        ).select_from(_GIVEN_LINES.join(_NEW_ORDER, sa.true())),
    )
    .cte("new_lines")
)
_EMPTIED = (
    sa.delete(CART_LINE)
    .where(CART_LINE.c.cart_id == sa.bindparam("cart"), sa.exists(sa.select(_NEW_ORDER.c.id)))
    .cte("emptied")
)
# The new order's id and its customer's name and phone (`OrderPlaced.customer`, what its board
# entry shows of them); no row when nothing was inserted.
_PLACE = (
    sa.select(_NEW_ORDER.c.id, *_CUSTOMER)
    .select_from(_NEW_ORDER.outerjoin(USER, USER.c.id == _NEW_ORDER.c.user_id))
    .add_cte(_NEW_LINES)
    .add_cte(_EMPTIED)
)
_SET_STATUS = sa.update(ORDER).where(ORDER.c.id == sa.bindparam("order"))
_RECORD_CHANGE = sa.insert(STATUS_CHANGE)


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


def _read(order: Record, lines: Iterable[Record]) -> OrderRead:
    return OrderRead(
        number=order["number"],
        user_id=order["user_id"],
        type=OrderType(order["order_type"]),
        status=OrderStatus(order["status"]),
        address=order["address"],
        lines=tuple(
            CartLineRead(
                id=str(line["id"]),
                item=line["item_key"],
                label=line["label"],
                quantity=line["quantity"],
                choices=choices_from(line["choices"]),
                unit_price=line["unit_price"],
                line_total=line["line_total"],
            )
            for line in lines
        ),
        subtotal=order["subtotal"],
        delivery_fee=order["delivery_fee"],
        tax=order["tax"],
        total=order["total"],
        currency=order["currency"],
        placed_at=order["created_at"],
        ready_at=order["estimated_ready_at"] or order["created_at"],
    )


def _customer(row: Record) -> Customer | None:
    """The customer's name and phone read beside an order (`_CUSTOMER`); None without them."""
    phone = row["customer_phone"]
    return None if phone is None else Customer(name=row["customer_name"], phone=phone)


class OrderService:
    """An `OrderDesk` in PostgreSQL, plus `set_status` for the staff's moves of an order."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        menu: MenuService,
        *,
        clock: Callable[[], datetime] = utc_now,
        numbers: Callable[[], str] = new_order_number,
        events: OrderEvents | None = None,
    ) -> None:
        self._engine = engine_of(sessions)
        # Reads run on AUTOCOMMIT connections: no BEGIN and ROLLBACK round trips around them.
        self._autocommit = self._engine.execution_options(isolation_level="AUTOCOMMIT")
        self._menu = menu
        self._clock = clock
        self._numbers = numbers
        self._events: OrderEvents = events or NoOrderEvents()

    @staticmethod
    async def _lines(conn: AsyncConnection, order_ids: Sequence[UUID]) -> dict[UUID, list[Record]]:
        if not order_ids:
            return {}
        rows = await conn.execute(_LINES_OF, {"orders": list(order_ids)})
        lines: dict[UUID, list[Record]] = {i: [] for i in order_ids}
        for line in rows.mappings():
            lines[line["order_id"]].append(line)
        return lines

    async def _one(
        self, conn: AsyncConnection, statement: sa.Select[Any], params: dict[str, Any]
    ) -> OrderRead | None:
        order = (await conn.execute(statement, params)).mappings().one_or_none()
        if order is None:
            return None
        return _read(order, (await self._lines(conn, [order["id"]]))[order["id"]])

    @staticmethod
    def _same_customer(order: OrderRead, request: OrderCreate) -> OrderRead:
        if order.user_id != request.user_id:
            # Keys are per checkout; another customer's key reveals nothing about its order.
            raise OrderError("That checkout was already used; please start a new one.")
        return order

    async def place(self, order: OrderCreate) -> OrderRead:
        """Turn the session's cart into an order and empty the cart, once per idempotency key."""
        placed, new, customer = await self._place(order)
        if new:  # a retry answered with the first order tells no one again
            await self._tell(
                self._events.placed, OrderPlaced(placed, order.session_id, customer=customer)
            )
        return placed

    async def _tell(self, listener: Callable[[Any], Any], event: Any) -> None:
        # After the commit: the change stands whatever a listener does.
        try:
            await listener(event)
        except Exception:
            log.exception("telling the order events listener failed; the change stands")

    async def _place(self, order: OrderCreate) -> tuple[OrderRead, bool, Customer | None]:
        """The order, whether it is new (not placed before with this key) and, when new, its
        customer as read in the transaction."""
        key = order.idempotency_key
        if not key:
            raise OrderError("An idempotency key is required.")
        if len(key) > 128:  # the column's width; a digest keeps long keys distinct
            key = "sha256:" + hashlib.sha256(key.encode()).hexdigest()
        # Read before the transaction: never wait for a second connection while holding one.
        # Fresh: the version is read now, not within the cache's seconds, so a pause or a sold
        # out made on any replica is refused here at once.
        menu = (await self._menu.snapshot(fresh=True)).menu
        async with self._engine.begin() as conn:
            cart = await lock_cart_to_place(conn, order.session_id)
            # Read after taking the lock: a retry that waited on it sees the first one's order.
            rows = (
                (await conn.execute(_LINES_AND_KEY, {"cart": cart.id, "key": key})).all()
                if cart is not None
                else []
            )
            if not rows or rows[0][-1] is not None:
                # No lines to say whether the key is taken, or it is: the order placed with it.
                existing = await self._one(conn, _BY_KEY, {"key": key})
                if existing is not None:
                    return self._same_customer(existing, order), False, None
            if cart is None or not rows:
                raise OrderError("Your cart is empty, so there is nothing to order yet.")
            lines = line_reads(rows)
            address = (order.address or "").strip() or None
            if order.type is OrderType.DELIVERY and address is None:
                raise OrderError("I need a delivery address to place a delivery order.")
            if address is not None and len(address) > 500:
                raise OrderError("That address is too long; please shorten it.")
            placed_at = self._clock()
            # Open now, and a delivery over the minimum (the same rules as the in-memory desk).
            check_order(menu, order.type, subtotal(lines), placed_at, lines)
            inserted = await self._insert(
                conn, order, key, cart.id, cart.restaurant_id, lines, address, menu, placed_at
            )
            if inserted is None:
                # The key was used by another session's checkout committed meanwhile.
                existing = await self._one(conn, _BY_KEY, {"key": key})
                assert existing is not None
                return self._same_customer(existing, order), False, None
            placed, customer = inserted
            return placed, True, customer

    async def _insert(
        self,
        conn: AsyncConnection,
        order: OrderCreate,
        key: str,
        cart_id: UUID,
        restaurant_id: UUID,
        lines: Sequence[CartLineRead],
        address: str | None,
        menu: Menu,
        placed_at: datetime,
    ) -> tuple[OrderRead, Customer | None] | None:
        """Insert the order and its lines and empty the cart; None if the key is taken."""
        totals = order_totals(subtotal(lines), order.type, menu=menu)
        values = {
            "restaurant_id": restaurant_id,
            "user_id": order.user_id,
            "session_id": order.session_id,
            "idempotency_key": key,
            "order_type": order.type.value,
            "address": address if order.type is OrderType.DELIVERY else None,
            "status": DbStatus.PLACED.value,
            "currency": menu.restaurant.currency,
            "subtotal": totals.subtotal,
            "delivery_fee": totals.delivery_fee,
            "tax": totals.tax,
            "total": totals.total,
            "estimated_ready_at": ready_at(placed_at, order.type, menu),
            "created_at": placed_at,
            "updated_at": placed_at,
        }
        rows = [
            {
                "id": uuid4(),
                "item_key": line.item,
                "label": line.label,
                "quantity": line.quantity,
                "choices": choices_json(line.choices),
                "unit_price": line.unit_price,
                "line_total": line.line_total,
            }
            for line in lines
        ]
        given = {
            "cart": cart_id,
            "line_ids": [line["id"] for line in rows],
            "item_keys": [line["item_key"] for line in rows],
            "labels": [line["label"] for line in rows],
            "quantities": [line["quantity"] for line in rows],
            "choice_lists": [line["choices"] for line in rows],
            "unit_prices": [line["unit_price"] for line in rows],
            "line_totals": [line["line_total"] for line in rows],
        }
        for _ in range(NUMBER_ATTEMPTS):
            row = {"id": uuid4(), "number": self._numbers(), **values}
            new = (await conn.execute(_PLACE, {**row, **given})).mappings().first()
            if new is not None:
                break
            # Nothing inserted: the key is taken (by a checkout committed meanwhile) or else
            # the number is, and another is drawn.
            if (await conn.execute(_KEY_TAKEN, {"key": key})).first() is not None:
                return None
        else:
            raise OrderError("Could not number the order; please try again.")
        # Answered from what was written (as a read would give it back), not read again.
        return _read(row, rows), _customer(new)

    async def list_for_user(self, user_id: UUID, *, limit: int = 5) -> list[OrderRead]:
        """The user's orders, newest first."""
        async with self._autocommit.connect() as conn:
            orders = (
                (
                    await conn.execute(
                        _USERS_ORDERS, {"user": user_id, "limit": max(1, min(limit, 1000))}
                    )
                )
                .mappings()
                .all()
            )
            lines = await self._lines(conn, [o["id"] for o in orders])
        return [_read(o, lines[o["id"]]) for o in orders]

    async def get(self, user_id: UUID, number: str) -> OrderRead | None:
        """One of the user's orders by number (another user's order is not found)."""
        async with self._autocommit.connect() as conn:
            return await self._one(
                conn, _USERS_ORDER, {"number": normalise_number(number), "user": user_id}
            )

    async def cancel(self, user_id: UUID, number: str, *, answered: bool = True) -> OrderRead:
        """Cancel one of the customer's orders before the kitchen starts preparing it;
        `OrderNotFound` for another's, `OrderConflict` once it is too late.

        `answered`: the caller shows the cancelled order in the order's chat itself (the chat's
        turn, through the graph's `OrderDesk`); the REST request passes False, and the chat is
        told as it is of a staff move (`OrderMoved.answered`)."""
        moved = await self._move(
            _LOCK_USERS_ORDER,
            {"number": normalise_number(number), "user": user_id},
            DbStatus.CANCELLED,
            Actor.CUSTOMER,
            not_found=f"I can't find order #{normalise_number(number)} on your account.",
            answered=answered,
        )
        return moved.order

    async def set_status(
        self,
        number: str,
        status: DbStatus,
        *,
        staff: StaffMember,
        reason: str | None = None,
        ready_at: datetime | None = None,
    ) -> OrderRead:
        """A staff member's move of an order (`restaurant.services.lifecycle`'s table), with a
        reason to reject and a new promised time when accepting; `OrderNotFound`,
        `OrderConflict` for a move the table refuses, `OrderRefused` for one asked wrongly."""
        moved = await self.staff_move(number, status, staff=staff, reason=reason, ready_at=ready_at)
        return moved.order

    async def staff_move(
        self,
        number: str,
        status: DbStatus,
        *,
        staff: StaffMember,
        reason: str | None = None,
        ready_at: datetime | None = None,
    ) -> OrderMoved:
        """`set_status`, answered with the move as it was told (the order and its customer,
        which make its board entry without reading it again)."""
        wanted = normalise_number(number)
        return await self._move(
            _LOCK_ORDER,
            {"number": wanted},
            status,
            Actor.STAFF,
            not_found=f"There is no order #{wanted}.",
            staff=staff,
            reason=reason,
            ready_at=ready_at,
        )

    async def _move(
        self,
        lock: sa.Select[Any],
        params: dict[str, Any],
        target: DbStatus,
        actor: Actor,
        *,
        not_found: str,
        staff: StaffMember | None = None,
        reason: str | None = None,
        ready_at: datetime | None = None,
        answered: bool = False,
    ) -> OrderMoved:
        reason = (reason or "").strip() or None
        async with self._engine.begin() as conn:
            order = (await conn.execute(lock, params)).mappings().one_or_none()
            if order is None:
                raise OrderNotFound(not_found)
            source = DbStatus(order["status"])
            try:
                check_move(
                    order["number"],
                    DbType(order["order_type"]),
                    source,
                    target,
                    actor,
                    reason=reason,
                    ready_at_given=ready_at is not None,
                )
            except IllegalMove as exc:
                raise OrderConflict(str(exc)) from exc
            except BadMove as exc:
                raise OrderRefused(str(exc)) from exc
            now = self._clock()
            if ready_at is not None and not now < ready_at <= now + MAX_PROMISE:
                raise OrderRefused("The ready time must be later today: in the next 24 hours.")
            changes: dict[str, Any] = {"status": target.value, "updated_at": now}
            if ready_at is not None:
                changes["estimated_ready_at"] = ready_at
            await conn.execute(_SET_STATUS.values(changes), {"order": order["id"]})
            await conn.execute(
                _RECORD_CHANGE,
                {
                    "id": uuid4(),
                    "order_id": order["id"],
                    "from_status": source.value,
                    "to_status": target.value,
                    "actor": actor.value,
                    "staff_id": staff.id if staff is not None else None,
                    "staff_name": staff.name if staff is not None else None,
                    "reason": reason,
                    "ready_at": ready_at,
                    "created_at": now,
                },
            )
            lines = await self._lines(conn, [order["id"]])
        record = {**order, **changes}
        moved = OrderMoved(
            order=_read(record, lines[order["id"]]),
            session_id=order["session_id"],
            previous=source,
            actor=actor,
            staff_name=staff.name if staff is not None else None,
            reason=reason,
            at=now,
            # Without a promised time the order's `ready_at` is not the board's: the board
            # reads that order itself.
            customer=_customer(order) if record["estimated_ready_at"] is not None else None,
            answered=answered,
        )
        await self._tell(self._events.moved, moved)
        return moved


class OrderNotFound(OrderError):
    """No such order for this customer."""


class OrderConflict(OrderError):
    """The order's status does not allow the change."""


class OrderRefused(OrderError):
    """A change the order's status allows, asked for wrongly (no reason, a time out of range)."""


__all__ = [
    "NUMBER_ALPHABET",
    "OrderConflict",
    "OrderNotFound",
    "OrderRefused",
    "OrderService",
    "new_order_number",
    "normalise_number",
]
