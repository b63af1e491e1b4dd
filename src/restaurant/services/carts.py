"""The graph's `CartStore` over PostgreSQL: one cart per chat session, priced by `graph.pricing`.

Every change locks the cart row first (the upsert of an add, the `updated_at` touch of the
others), so two turns or a turn and a REST call on the same session never interleave their
read-modify-write. Lines keep the resolved choices and the unit price as they were when added,
like the in-memory cart does.

An add, the most frequent change, is one statement on an AUTOCOMMIT connection (one round trip
where BEGIN, upsert, read, insert and COMMIT were five): it creates or locks the cart, reads its
lines and appends the new ones after them. Its lines are read as the statement started, so a
change another transaction committed while the add waited for the lock shows in the next read
rather than in the add's answer, and two adds racing on one cart may give their lines the same
positions (ties are ordered by when the lines were added). No line is lost either way.

A remove is one statement on an AUTOCOMMIT connection too, and an update two (a read, then the
write, with the line priced in between), where each was a five-round-trip transaction. Both
check the cart row's version (`xmin`: every change of a cart's lines writes its row) as they
take the lock, so they answer exactly what a read under the lock gives: a cart another
transaction changed meanwhile makes them write nothing and redo the change as a transaction
that reads under the lock (`_remove_locked`, `_update_locked`). A remove of a line that isn't
there writes nothing; the one trace a race can leave is the cart's `updated_at` moved by a
change that then found its line taken by a checkout (which deletes lines under a row lock
without writing the row).

The statements are SQLAlchemy Core on the tables, built once at import: no ORM unit of work, no
identity map, and a compiled-statement cache hit on every call. A read is one statement on an
AUTOCOMMIT connection (no BEGIN/ROLLBACK round trips); `clear` is one transaction that locks the
cart and empties it, answering without a read.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, insert
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker
from sqlalchemy.sql.selectable import NamedFromClause

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
from graph.pricing import kept_choices, money, price_line, subtotal
from restaurant.db.engine import engine_of
from restaurant.db.models import Cart
from restaurant.db.models.base import utcnow
from restaurant.services.menu import MenuService

NO_SUCH_LINE = "That item isn't in your cart any more."
NOT_IN_CART = "That item isn't in your cart."

CART = Cart.metadata.tables["cart"]
CART_LINE = Cart.metadata.tables["cart_line"]
ITEM = Cart.metadata.tables["item"]
RESTAURANT = Cart.metadata.tables["restaurant"]


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
            message=f"Sorry, {item.label} is sold out right now.",
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


# Only the columns a `CartLineRead` needs (and the position, to append after the last line).
_LINE_COLUMNS = (
    CART_LINE.c.id,
    CART_LINE.c.quantity,
    CART_LINE.c.choices,
    CART_LINE.c.unit_price,
    ITEM.c.key,
    ITEM.c.label,
    CART_LINE.c.position,
)
_LINES = sa.select(*_LINE_COLUMNS).select_from(
    CART_LINE.join(ITEM, ITEM.c.id == CART_LINE.c.item_id)
)
_IN_ORDER = (CART_LINE.c.position, CART_LINE.c.created_at)

# From the session id to the lines in one statement (no cart or no lines: no rows).
_SESSION_LINES = (
    _LINES.join(CART, CART.c.id == CART_LINE.c.cart_id)
    .where(CART.c.session_id == sa.bindparam("sid"))
    .order_by(*_IN_ORDER)
)
CART_LINES = _LINES.where(CART_LINE.c.cart_id == sa.bindparam("cart")).order_by(*_IN_ORDER)

_LOCK_CART = (
    sa.select(CART.c.id, CART.c.restaurant_id)
    .where(CART.c.session_id == sa.bindparam("sid"))
    .with_for_update()
)

# Setting `updated_at` (the execution's parameter) locks the row like SELECT ... FOR UPDATE, in
# the statement that has to be made anyway.
_TOUCH_CART = sa.update(CART).where(CART.c.session_id == sa.bindparam("sid")).returning(CART.c.id)


# The add, as one statement: the cart created or locked, its lines as they were, and the new
# lines inserted after the last of them from parallel arrays (in their order). ON CONFLICT: two
# first adds on one session race to create the cart; one row wins. DO UPDATE rather than
# NOTHING: it locks the row and returns its id whether it was new or not.
_NEW_CART = insert(CART).values(
    id=sa.bindparam("new_cart_id"),
    session_id=sa.bindparam("sid"),
    restaurant_id=sa.bindparam("restaurant_id"),
    user_id=sa.bindparam("user_id"),
    created_at=sa.bindparam("now"),
    updated_at=sa.bindparam("now"),
)
_THE_CART = (
    _NEW_CART.on_conflict_do_update(
        index_elements=[CART.c.session_id], set_={"updated_at": _NEW_CART.excluded.updated_at}
    )
    .returning(CART.c.id)
    .cte("the_cart")
)
_THE_CART_ID = sa.select(_THE_CART.c.id).scalar_subquery()
_EXISTING = (
    sa.select(*_LINE_COLUMNS, CART_LINE.c.created_at)
    .select_from(CART_LINE.join(ITEM, ITEM.c.id == CART_LINE.c.item_id))
    .where(CART_LINE.c.cart_id == _THE_CART_ID)
    .cte("existing")
)
_NEW_LINES = (
    sa.func.unnest(
        sa.bindparam("line_ids", type_=ARRAY(PG_UUID)),
        sa.bindparam("item_ids", type_=ARRAY(PG_UUID)),
        sa.bindparam("quantities", type_=ARRAY(sa.Integer)),
        sa.bindparam("choice_lists", type_=ARRAY(JSONB, dimensions=1)),
        sa.bindparam("unit_prices", type_=ARRAY(sa.Numeric)),
    )
    .table_valued("id", "item_id", "quantity", "choices", "unit_price", with_ordinality="n")
    .render_derived(name="new_line")
)
_LAST_POSITION = sa.select(sa.func.coalesce(sa.func.max(_EXISTING.c.position), 0))
_APPENDED = (
    insert(CART_LINE)
    .from_select(
        ["id", "cart_id", "item_id", "quantity", "choices", "unit_price", "position", "created_at"],
        sa.select(
            _NEW_LINES.c.id,
            _THE_CART_ID,
            _NEW_LINES.c.item_id,
            _NEW_LINES.c.quantity,
            _NEW_LINES.c.choices,
            _NEW_LINES.c.unit_price,
            _LAST_POSITION.scalar_subquery() + _NEW_LINES.c.n,
            sa.bindparam("now"),
        ),
    )
    .cte("appended")
)
_ADD_LINES = (
    sa.select(*(_EXISTING.c[column.name] for column in _LINE_COLUMNS))
    .add_cte(_APPENDED)
    .order_by(_EXISTING.c.position, _EXISTING.c.created_at)
)
_UPDATE_LINE = sa.update(CART_LINE).where(CART_LINE.c.id == sa.bindparam("line"))
_DELETE_LINE = sa.delete(CART_LINE).where(CART_LINE.c.id == sa.bindparam("line"))


def _version(cart: NamedFromClause[Any]) -> sa.ColumnElement[str]:
    """Which version of a cart row this is: the id of the transaction that wrote it (`xmin`,
    as text: `xid` has no SQLAlchemy type). Every change to a cart's lines writes its cart row
    (an add's upsert, the touch of the others), except placing an order, which locks the row
    and deletes every line: a change of the lines changes this, or leaves no line to change.
    (A menu import that drops an item drops its cart lines without taking any cart's lock, so
    no read of a cart is safe from it, under the lock or not.)"""
    return sa.cast(sa.literal_column(f"{cart.name}.xmin"), sa.Text)


# An update, as two statements on an AUTOCOMMIT connection: the cart's lines and its version
# read (no lock), then, with the line priced from that read, one statement that locks the cart
# by touching it only if it is still that version and writes the line. The answer is the read
# with the new line in it: what a read under the lock gives. A cart changed in between writes
# nothing, and the update is redone in a transaction that reads under the lock
# (`_update_locked`), as every update was before.
_SEEN_LINES = _SESSION_LINES.add_columns(_version(CART).label("version"))
_TOUCH_SEEN = (
    sa.update(CART)
    .where(CART.c.session_id == sa.bindparam("sid"), _version(CART) == sa.bindparam("seen"))
    .values(updated_at=sa.bindparam("now"))
    .returning(CART.c.id)
    .cte("the_cart")
)
_CHANGE_SEEN_LINE = (
    sa.update(CART_LINE)
    .where(
        CART_LINE.c.id == sa.bindparam("line"),
        CART_LINE.c.cart_id == sa.select(_TOUCH_SEEN.c.id).scalar_subquery(),
    )
    .values(
        quantity=sa.bindparam("quantity"),
        choices=sa.bindparam("choices", type_=JSONB),
        unit_price=sa.bindparam("unit_price"),
        # A swap names the new item; otherwise the line keeps its own.
        item_id=sa.func.coalesce(sa.bindparam("item_id", type_=PG_UUID), CART_LINE.c.item_id),
    )
    .returning(CART_LINE.c.id)
)

# A remove, as one statement on an AUTOCOMMIT connection: the cart locked by touching it, only
# if the line is in it (asking for a line that isn't there writes nothing) and only if the cart
# is still the version the statement started with, the line deleted, and the cart's lines as
# the statement started (the deleted one among them), with how many went. Unchanged since the
# start, those are the lines a read under the lock gives; changed, nothing is written, and the
# remove is redone in a transaction that reads under the lock (`_remove_locked`).
_STARTED = CART.alias("started")
_HOLDING_LINE = (
    sa.update(CART)
    .where(
        CART.c.session_id == sa.bindparam("sid"),
        _version(CART)
        == sa.select(_version(_STARTED).label("version"))
        .where(_STARTED.c.session_id == sa.bindparam("sid"))
        .scalar_subquery(),
        sa.exists().where(CART_LINE.c.cart_id == CART.c.id, CART_LINE.c.id == sa.bindparam("line")),
    )
    .values(updated_at=sa.bindparam("now"))
    .returning(CART.c.id)
    .cte("the_cart")
)
_HOLDING_LINE_ID = sa.select(_HOLDING_LINE.c.id).scalar_subquery()
_GONE = (
    sa.delete(CART_LINE)
    .where(CART_LINE.c.id == sa.bindparam("line"), CART_LINE.c.cart_id == _HOLDING_LINE_ID)
    .returning(CART_LINE.c.id)
    .cte("gone")
)
_REMOVE_LINE = (
    _LINES.add_columns(sa.select(sa.func.count()).select_from(_GONE).scalar_subquery())
    .where(CART_LINE.c.cart_id == _HOLDING_LINE_ID)
    .order_by(*_IN_ORDER)
)
EMPTY_CART = sa.delete(CART_LINE).where(CART_LINE.c.cart_id == sa.bindparam("cart"))
_CLAIM = (
    sa.update(CART)
    .where(CART.c.session_id.in_(sa.bindparam("sids", expanding=True)))
    .returning(CART.c.id)
)
_MENU_IDS = (
    sa.select(RESTAURANT.c.id, ITEM.c.key, ITEM.c.id)
    .select_from(RESTAURANT.join(ITEM, ITEM.c.restaurant_id == RESTAURANT.c.id))
    .where(RESTAURANT.c.key == sa.bindparam("restaurant"))
)


def _quantity(said: int | None, was: int) -> int:
    return said if said is not None else was


def _priced_change(
    menu: Menu,
    line_id: str,
    key: str,
    label: str,
    quantity: int,
    said: Sequence[ChoiceSpec],
    was_choices: Iterable[dict[str, Any]],
    remove: Iterable[tuple[str, str]] = (),
) -> CartLineRead:
    """A line's new version (maybe of another item): what was said merged onto the stored
    choices that stay, priced."""
    item = menu.item(key)
    if item is None:
        raise CartError(f"{label} is no longer on the menu.")
    kept = kept_choices(menu, item, choices_from(was_choices), remove)
    return price_line(menu, line_id, item, quantity, said, kept)


def line_reads(rows: Iterable[Sequence[Any]]) -> tuple[CartLineRead, ...]:
    """Rows of `CART_LINES` (extra columns after its own ignored) as priced lines."""
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
        for line_id, quantity, choices, unit_price, key, label, *_ in rows
    )


async def lock_cart(conn: AsyncConnection, session_id: str) -> sa.Row[Any, Any] | None:
    """The session's cart row (id, restaurant_id), locked until the transaction ends."""
    return (await conn.execute(_LOCK_CART, {"sid": session_id})).one_or_none()


def _cart(session_id: str, lines: tuple[CartLineRead, ...], currency: str) -> CartRead:
    total = subtotal(lines)
    return CartRead(
        session_id=session_id, lines=lines, subtotal=total, total=total, currency=currency
    )


class CartService:
    """A `CartStore` in PostgreSQL; `for_user` binds new carts to a signed-in customer."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        menu: MenuService,
        *,
        user_id: UUID | None = None,
    ) -> None:
        self._engine = engine_of(sessions)
        # One statement needs no transaction around it: no BEGIN and COMMIT round trips.
        self._autocommit = self._engine.execution_options(isolation_level="AUTOCOMMIT")
        self._menu = menu
        self._user_id = user_id
        # Shared between the bound copies, so item ids load once per menu version per process.
        self._ids: list[MenuIds] = []
        self._ids_lock = asyncio.Lock()

    def for_user(self, user_id: UUID | None) -> CartService:
        """The same store, creating carts owned by `user_id`."""
        if user_id == self._user_id:
            return self
        bound = copy.copy(self)  # shares the engines and the item ids: a turn builds no engine
        bound._user_id = user_id
        return bound

    async def _menu_ids(self, conn: AsyncConnection, version: int) -> MenuIds:
        if self._ids and self._ids[0].version == version:
            return self._ids[0]
        async with self._ids_lock:
            if self._ids and self._ids[0].version == version:
                return self._ids[0]
            found = (await conn.execute(_MENU_IDS, {"restaurant": self._menu.restaurant})).all()
            if not found:
                raise CartError("The menu isn't loaded yet; please try again shortly.")
            ids = MenuIds(
                version=version,
                restaurant_id=found[0][0],
                items={key: item_id for _, key, item_id in found},
            )
            self._ids[:] = [ids]
            return ids

    async def _currency(self) -> str:
        # Read before any transaction: reading the menu inside one could wait for a second
        # pooled connection while holding the first (a deadlock).
        return (await self._menu.snapshot()).menu.restaurant.currency

    async def get(self, session_id: str) -> CartRead:
        """The cart (empty if none yet)."""
        currency = await self._currency()
        async with self._autocommit.connect() as conn:
            rows = (await conn.execute(_SESSION_LINES, {"sid": session_id})).all()
        return _cart(session_id, line_reads(rows), currency)

    async def add(self, session_id: str, lines: Sequence[LineSpec]) -> CartChange:
        """Add the lines the menu accepts; report the others in `refused`."""
        snapshot = await self._menu.snapshot()
        priced: list[CartLineRead] = []
        refused: list[Refusal] = []
        for spec in lines:
            result = refuse_or_price(snapshot.menu, spec, str(uuid4()))
            if isinstance(result, Refusal):
                refused.append(result)
            else:
                priced.append(result)
        if not priced:
            return CartChange(cart=await self.get(session_id), refused=tuple(refused))
        async with self._autocommit.connect() as conn:
            ids = await self._menu_ids(conn, snapshot.version)
            rows = (
                await conn.execute(
                    _ADD_LINES,
                    {
                        "new_cart_id": uuid4(),
                        "sid": session_id,
                        "restaurant_id": ids.restaurant_id,
                        "user_id": self._user_id,
                        "now": utcnow(),
                        "line_ids": [UUID(line.id) for line in priced],
                        "item_ids": [ids.items[line.item] for line in priced],
                        "quantities": [line.quantity for line in priced],
                        "choice_lists": [choices_json(line.choices) for line in priced],
                        "unit_prices": [line.unit_price for line in priced],
                    },
                )
            ).all()
        cart = _cart(
            session_id, line_reads(rows) + tuple(priced), snapshot.menu.restaurant.currency
        )
        return CartChange(cart=cart, lines=tuple(priced), refused=tuple(refused))

    async def update_line(
        self,
        session_id: str,
        line_id: str,
        *,
        quantity: int | None = None,
        choices: Sequence[ChoiceSpec] = (),
        item: str | None = None,
        remove: Sequence[tuple[str, str]] = (),
    ) -> CartChange:
        """Change a line's quantity, item (keeping the choices it takes too), options taken off
        and choices merged on; `CartError` if refused."""
        snapshot = await self._menu.snapshot()
        menu = snapshot.menu
        line_uuid = _uuid(line_id)
        if line_uuid is None:
            raise CartError(NO_SUCH_LINE)
        async with self._autocommit.connect() as conn:
            item_id = (
                (await self._menu_ids(conn, snapshot.version)).items.get(item) if item else None
            )
            if item is not None and item_id is None:
                raise CartError(f"{item.replace('_', ' ')} isn't on the menu.")
            rows = (await conn.execute(_SEEN_LINES, {"sid": session_id})).all()
            at = next((i for i, row in enumerate(rows) if row[0] == line_uuid), None)
            if at is None:
                raise CartError(NO_SUCH_LINE)
            _, was_quantity, was_choices, _, key, label, _, seen = rows[at]
            line = _priced_change(
                menu,
                line_id,
                item or key,
                label,
                _quantity(quantity, was_quantity),
                choices,
                was_choices,
                remove,
            )
            written = (
                await conn.execute(
                    _CHANGE_SEEN_LINE,
                    {
                        "sid": session_id,
                        "seen": seen,
                        "now": utcnow(),
                        "line": line_uuid,
                        "quantity": line.quantity,
                        "choices": choices_json(line.choices),
                        "unit_price": line.unit_price,
                        "item_id": item_id,
                    },
                )
            ).first()
        if written is None:
            # The cart changed since it was read: redo the update under its lock.
            return await self._update_locked(
                session_id, line_id, line_uuid, quantity, choices, menu, item, item_id, remove
            )
        return self._changed(session_id, rows, at, line, menu)

    @staticmethod
    def _changed(
        session_id: str,
        rows: Sequence[Sequence[Any]],
        at: int,
        line: CartLineRead,
        menu: Menu,
    ) -> CartChange:
        reads = list(line_reads(rows))
        # What a read would give back: the stored id, the new item, price and choices.
        reads[at] = line.model_copy(update={"id": reads[at].id})
        cart = _cart(session_id, tuple(reads), menu.restaurant.currency)
        return CartChange(cart=cart, lines=(line,))

    async def _update_locked(
        self,
        session_id: str,
        line_id: str,
        line_uuid: UUID,
        quantity: int | None,
        choices: Sequence[ChoiceSpec],
        menu: Menu,
        item: str | None,
        item_id: UUID | None,
        remove: Sequence[tuple[str, str]],
    ) -> CartChange:
        """`update_line` as one transaction that reads the line under the cart's lock."""
        async with self._engine.begin() as conn:
            cart_id = (
                await conn.execute(_TOUCH_CART, {"sid": session_id, "updated_at": utcnow()})
            ).scalar_one_or_none()
            if cart_id is None:
                raise CartError(NO_SUCH_LINE)
            rows = (await conn.execute(CART_LINES, {"cart": cart_id})).all()
            at = next((i for i, row in enumerate(rows) if row[0] == line_uuid), None)
            if at is None:
                raise CartError(NO_SUCH_LINE)  # the touch is rolled back with the rest
            _, was_quantity, was_choices, _, key, label, _ = rows[at]
            line = _priced_change(
                menu,
                line_id,
                item or key,
                label,
                _quantity(quantity, was_quantity),
                choices,
                was_choices,
                remove,
            )
            values: dict[str, Any] = {
                "line": line_uuid,
                "quantity": line.quantity,
                "choices": choices_json(line.choices),
                "unit_price": line.unit_price,
            }
            statement = _UPDATE_LINE.values(
                quantity=sa.bindparam("quantity"),
                choices=sa.bindparam("choices", type_=JSONB),
                unit_price=sa.bindparam("unit_price"),
            )
            if item_id is not None:
                statement = statement.values(item_id=sa.bindparam("item_id"))
                values["item_id"] = item_id
            await conn.execute(statement, values)
        return self._changed(session_id, rows, at, line, menu)

    async def remove_line(self, session_id: str, line_id: str) -> CartRead:
        """Remove a line; `CartError` if there is no such line."""
        currency = await self._currency()
        line_uuid = _uuid(line_id)
        if line_uuid is None:
            raise CartError(NOT_IN_CART)
        async with self._autocommit.connect() as conn:
            rows = (
                await conn.execute(
                    _REMOVE_LINE, {"sid": session_id, "line": line_uuid, "now": utcnow()}
                )
            ).all()
        if not rows or not rows[0][-1]:
            # No such line, or the cart changed since the statement started: ask under the lock.
            return await self._remove_locked(session_id, line_uuid, currency)
        return _cart(session_id, line_reads(row for row in rows if row[0] != line_uuid), currency)

    async def _remove_locked(self, session_id: str, line_uuid: UUID, currency: str) -> CartRead:
        """`remove_line` as one transaction that reads the lines under the cart's lock."""
        async with self._engine.begin() as conn:
            cart_id = (
                await conn.execute(_TOUCH_CART, {"sid": session_id, "updated_at": utcnow()})
            ).scalar_one_or_none()
            if cart_id is None:
                raise CartError(NOT_IN_CART)
            rows = (await conn.execute(CART_LINES, {"cart": cart_id})).all()
            kept = [row for row in rows if row[0] != line_uuid]
            if len(kept) == len(rows):
                raise CartError(NOT_IN_CART)  # the touch is rolled back with the rest
            await conn.execute(_DELETE_LINE, {"line": line_uuid})
        return _cart(session_id, line_reads(kept), currency)

    async def clear(self, session_id: str) -> CartRead:
        """Empty the cart."""
        currency = await self._currency()
        async with self._engine.begin() as conn:
            cart_id = (
                await conn.execute(_TOUCH_CART, {"sid": session_id, "updated_at": utcnow()})
            ).scalar_one_or_none()
            if cart_id is not None:
                await conn.execute(EMPTY_CART, {"cart": cart_id})
        # Under the lock every line went, so there is nothing left to read.
        return _cart(session_id, (), currency)

    async def claim(self, session_ids: Sequence[str], user_id: UUID) -> int:
        """Give the carts of these chat sessions to a user who just signed in; how many."""
        if not session_ids:
            return 0
        async with self._autocommit.connect() as conn:
            result = await conn.execute(
                _CLAIM, {"sids": list(session_ids), "user_id": user_id, "updated_at": utcnow()}
            )
            return len(result.all())


__all__ = [
    "CART",
    "CART_LINE",
    "CART_LINES",
    "EMPTY_CART",
    "CartService",
    "MenuIds",
    "choices_from",
    "choices_json",
    "line_reads",
    "lock_cart",
    "refuse_or_price",
]
