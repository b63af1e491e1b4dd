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

A chat turn's changes (`for_run`) can be undone until the turn's checkpoint commits them: the row
carries the turn's id and the lines as they were before its first change, set in the statements
above (see "a chat turn's changes" below); `recover` undoes a dead turn's, and `read` is the
cart as the committed turns left it, for the REST API and the chat's history.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, aggregate_order_by, insert
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


# --- a chat turn's changes, undoable until its checkpoint is written ----------------------------
#
# A `CartService.for_run` copy (a chat turn's) tags the cart row with the turn's id as it changes
# the lines, and its first change of the turn keeps the lines as they were in `undo`, in the
# statement that locks the row anyway: no round trip of its own. The turn's checkpoint write
# commits it (`restaurant.chat.store`); a turn whose replica died before that is undone from
# `undo` (`recover`) by the session's next turn, or by the REST read (`read`). The tag of a
# committed turn is not cleared by its own turn (a statement on every turn): the next turn's
# first change takes the lines as they then are, and `read` drops it. (Not a transaction around
# the turn: a turn spans model calls, seconds, and would hold a connection and the row's lock,
# and every REST change and checkout of the cart behind it, all that time.)
#
# Any other change (the REST API's) made while a tag is on the cart is made to `undo` too, so
# undoing the turn never undoes it; placing an order empties `undo` with the cart (an order is
# never undone, and its lines must not come back). `undo` is taken as the statement that locks
# the row started, like an add's answer: a change committed while that first change of a turn
# waited for the row's lock is missing from it, and lost if that very turn is then undone.
_RUN = sa.bindparam("run", type_=sa.String)
# (`sa.null()` for "no undo", never None: None in a JSON column is the JSON value null.)
_NO_LINES = sa.literal_column("'[]'::jsonb", JSONB)
_UNDO_COLUMNS = ("id", "item_id", "quantity", "choices", "unit_price", "position", "created_at")
_UNDO_PAIRS: list[sa.ColumnElement[Any]] = []
for _column in _UNDO_COLUMNS:
    _UNDO_PAIRS += [sa.literal_column(f"'{_column}'"), CART_LINE.c[_column]]
_UNDO_LINE = sa.func.jsonb_build_object(*_UNDO_PAIRS)
# The cart's lines now, as `undo` keeps them (correlated by hand: in the upsert's DO UPDATE,
# `cart` is the row in conflict, which SQLAlchemy does not correlate by itself).
_LINES_NOW = sa.func.coalesce(
    sa.select(sa.func.jsonb_agg(aggregate_order_by(_UNDO_LINE, *_IN_ORDER)))
    .where(CART_LINE.c.cart_id == sa.literal_column("cart.id"))
    .scalar_subquery(),
    _NO_LINES,
)


def _tagged(other: sa.ColumnElement[Any] | None = None) -> dict[str, Any]:
    """The run columns after a change: a run's change tags the row, and its first keeps the
    lines in `undo`; any other change leaves the tag and makes `other` of `undo`, if any."""
    kept: sa.ColumnElement[Any] = CART.c.undo
    if other is not None:
        kept = sa.case((CART.c.undo.is_(None), sa.null()), else_=other)
    return {
        "run_id": sa.func.coalesce(_RUN, CART.c.run_id),
        "undo": sa.case(
            (_RUN.is_(None), kept),
            (CART.c.run_id.is_distinct_from(_RUN), _LINES_NOW),
            else_=CART.c.undo,
        ),
    }


# `undo`'s lines one by one, in order, to change one of them.
_KEPT = (
    sa.func.jsonb_array_elements(CART.c.undo)
    .table_valued(sa.column("value", JSONB), with_ordinality="n")
    .render_derived(name="kept")
)
_LINE_TEXT = sa.cast(sa.bindparam("line", type_=PG_UUID), sa.Text)
_QUANTITY = sa.bindparam("quantity", type_=sa.Integer)
_CHOICES = sa.bindparam("choices", type_=JSONB)
_UNIT_PRICE = sa.bindparam("unit_price", type_=sa.Numeric)
_ITEM_ID = sa.bindparam("item_id", type_=PG_UUID)


def _kept_lines(value: sa.ColumnElement[Any], *where: sa.ColumnElement[bool]) -> Any:
    return sa.func.coalesce(
        sa.select(sa.func.jsonb_agg(aggregate_order_by(value, _KEPT.c.n)))
        .select_from(_KEPT)
        .where(*where)
        .correlate(CART)
        .scalar_subquery(),
        _NO_LINES,
    )


# `undo` with the line changed as the update changes it, or without the line.
_UNDO_CHANGED = _kept_lines(
    sa.case(
        (
            _KEPT.c.value["id"].astext == _LINE_TEXT,
            _KEPT.c.value.op("||")(
                sa.func.jsonb_build_object(
                    sa.literal_column("'quantity'"),
                    _QUANTITY,
                    sa.literal_column("'choices'"),
                    _CHOICES,
                    sa.literal_column("'unit_price'"),
                    _UNIT_PRICE,
                    sa.literal_column("'item_id'"),
                    sa.func.coalesce(_ITEM_ID, _KEPT.c.value["item_id"].astext.cast(PG_UUID)),
                )
            ),
        ),
        else_=_KEPT.c.value,
    )
)
_UNDO_REMOVED = _kept_lines(_KEPT.c.value, _KEPT.c.value["id"].astext != _LINE_TEXT)

# `undo` as lines, for the read of a cart whose run may still be going, and for `recover`.
_UNDONE = (
    sa.func.jsonb_to_recordset(CART.c.undo)
    .table_valued(
        sa.column("id", PG_UUID),
        sa.column("item_id", PG_UUID),
        sa.column("quantity", sa.Integer),
        sa.column("choices", JSONB),
        sa.column("unit_price", sa.Numeric),
        sa.column("position", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    .render_derived(name="was", with_types=True)
)
# The lines `undo` keeps (a row of nulls if none), while the cart still carries the run's tag
# (no row if not). A function in FROM sees the cart before it (LATERAL by itself).
_UNDO_LINES = (
    sa.select(
        _UNDONE.c.id,
        _UNDONE.c.quantity,
        _UNDONE.c.choices,
        _UNDONE.c.unit_price,
        ITEM.c.key,
        ITEM.c.label,
        _UNDONE.c.position,
    )
    .select_from(CART.outerjoin(_UNDONE, sa.true()).outerjoin(ITEM, ITEM.c.id == _UNDONE.c.item_id))
    .where(CART.c.session_id == sa.bindparam("sid"), CART.c.run_id == _RUN)
    .order_by(_UNDONE.c.position, _UNDONE.c.created_at)
)
_RESTORE = insert(CART_LINE).from_select(
    ["id", "cart_id", "item_id", "quantity", "choices", "unit_price", "position", "created_at"],
    sa.select(
        _UNDONE.c.id,
        CART.c.id,
        _UNDONE.c.item_id,
        _UNDONE.c.quantity,
        _UNDONE.c.choices,
        _UNDONE.c.unit_price,
        _UNDONE.c.position,
        _UNDONE.c.created_at,
    )
    # A line whose item a menu import dropped since is not brought back.
    .select_from(CART.join(_UNDONE, sa.true()).join(ITEM, ITEM.c.id == _UNDONE.c.item_id))
    .where(CART.c.id == sa.bindparam("cart")),
)
_LOCK_TAGGED = (
    sa.select(CART.c.id)
    .where(
        CART.c.session_id == sa.bindparam("sid"),
        CART.c.run_id.in_(sa.bindparam("runs", expanding=True)),
    )
    .with_for_update()
)
_UNTAG = (
    sa.update(CART)
    .where(CART.c.id == sa.bindparam("cart"))
    .values(run_id=None, undo=sa.null(), updated_at=sa.bindparam("now"))
)
# A committed run's tag dropped (unless another run has tagged the cart since).
_DROP_TAG = (
    sa.update(CART)
    .where(CART.c.session_id == sa.bindparam("sid"), CART.c.run_id == _RUN)
    .values(run_id=None, undo=sa.null())
)
_TAG = sa.select(CART.c.run_id).where(CART.c.session_id == sa.bindparam("sid"))
# The lines and the tag in one statement (a cart without lines: one row of nulls and its tag).
_TAGGED_LINES = (
    sa.select(*_LINE_COLUMNS, CART.c.run_id)
    .select_from(
        CART.outerjoin(
            CART_LINE.join(ITEM, ITEM.c.id == CART_LINE.c.item_id),
            CART_LINE.c.cart_id == CART.c.id,
        )
    )
    .where(CART.c.session_id == sa.bindparam("sid"))
    .order_by(*_IN_ORDER)
)


class RunState(StrEnum):
    """Where a chat turn that tagged a cart stands."""

    COMMITTED = "committed"  # its checkpoint was written: its changes stand
    RUNNING = "running"  # not committed, and it may still be running (its session is held)
    DEAD = "dead"  # not committed, and not running: its changes are to be undone


class TurnRuns(Protocol):
    """Who knows whether a chat turn committed (the chat's turn store)."""

    async def run_state(self, session_id: str, run_id: str) -> RunState:
        """Where the run `run_id` of the chat session stands."""
        ...


# Setting `updated_at` locks the row like SELECT ... FOR UPDATE, in the statement that has to be
# made anyway (and tags it, see above). The locked update's change of `undo` waits until the
# line is priced (`_CHANGE_UNDO`); a clear empties `undo` too.
_TOUCH_CART = (
    sa.update(CART)
    .where(CART.c.session_id == sa.bindparam("sid"))
    .values(updated_at=sa.bindparam("now"), **_tagged())
    .returning(CART.c.id)
)
_TOUCH_TO_CLEAR = (
    sa.update(CART)
    .where(CART.c.session_id == sa.bindparam("sid"))
    .values(updated_at=sa.bindparam("now"), **_tagged(_NO_LINES))
    .returning(CART.c.id)
)
_CHANGE_UNDO = (
    sa.update(CART)
    .where(CART.c.id == sa.bindparam("cart"), CART.c.undo.is_not(None))
    .values(undo=_UNDO_CHANGED)
)
_REMOVE_FROM_UNDO = (
    sa.update(CART)
    .where(CART.c.id == sa.bindparam("cart"), CART.c.undo.is_not(None))
    .values(undo=_UNDO_REMOVED)
)


# Placing an order locks the cart by writing its row: an order is never undone, so a chat turn's
# `undo` empties with the cart (undoing the turn that placed it, or one running beside a REST
# checkout, must not bring the ordered lines back for a second order). Made at the lock, in the
# order's transaction: no statement of its own, and rolled back with an order refused. (A retry
# answered with the first order empties it too: only changes made since could be in it.)
_LOCK_TO_PLACE = (
    sa.update(CART)
    .where(CART.c.session_id == sa.bindparam("sid"))
    .values(undo=sa.case((CART.c.undo.is_(None), sa.null()), else_=_NO_LINES))
    .returning(CART.c.id, CART.c.restaurant_id)
)


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
# An add that is not a turn's appends its lines to `undo` too, after the last one there.
_UNDONE_BEFORE = (
    sa.func.jsonb_array_elements(sa.literal_column("cart.undo", JSONB))
    .table_valued(sa.column("value", JSONB))
    .render_derived(name="undone")
)
_UNDO_ADDED = CART.c.undo.op("||")(
    sa.func.coalesce(
        sa.select(
            sa.func.jsonb_agg(
                aggregate_order_by(
                    sa.func.jsonb_build_object(
                        *(
                            _part
                            for _column in ("id", "item_id", "quantity", "choices", "unit_price")
                            for _part in (sa.literal_column(f"'{_column}'"), _NEW_LINES.c[_column])
                        ),
                        sa.literal_column("'position'"),
                        sa.select(
                            sa.func.coalesce(
                                sa.func.max(
                                    _UNDONE_BEFORE.c.value["position"].astext.cast(sa.Integer)
                                ),
                                0,
                            )
                        )
                        .select_from(_UNDONE_BEFORE)
                        .scalar_subquery()
                        + _NEW_LINES.c.n,
                        sa.literal_column("'created_at'"),
                        sa.bindparam("now", type_=sa.DateTime(timezone=True)),
                    ),
                    _NEW_LINES.c.n,
                )
            )
        )
        .select_from(_NEW_LINES)
        .scalar_subquery(),
        _NO_LINES,
    )
)
_THE_CART = (
    _NEW_CART.values(run_id=_RUN, undo=sa.case((_RUN.is_(None), sa.null()), else_=_NO_LINES))
    .on_conflict_do_update(
        index_elements=[CART.c.session_id],
        set_={"updated_at": _NEW_CART.excluded.updated_at, **_tagged(_UNDO_ADDED)},
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
    (an add's upsert, the touch of the others, placing an order's lock): a change of the lines
    changes this.
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
    .values(updated_at=sa.bindparam("now"), **_tagged(_UNDO_CHANGED))
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
        quantity=_QUANTITY,
        choices=_CHOICES,
        unit_price=_UNIT_PRICE,
        # A swap names the new item; otherwise the line keeps its own.
        item_id=sa.func.coalesce(_ITEM_ID, CART_LINE.c.item_id),
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
    .values(updated_at=sa.bindparam("now"), **_tagged(_UNDO_REMOVED))
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


async def lock_cart_to_place(conn: AsyncConnection, session_id: str) -> sa.Row[Any, Any] | None:
    """The session's cart row (id, restaurant_id), locked until the transaction ends, to place
    it as an order (what a chat turn could undo is emptied, see `_LOCK_TO_PLACE`)."""
    return (await conn.execute(_LOCK_TO_PLACE, {"sid": session_id})).one_or_none()


def _cart(session_id: str, lines: tuple[CartLineRead, ...], currency: str) -> CartRead:
    total = subtotal(lines)
    return CartRead(
        session_id=session_id, lines=lines, subtotal=total, total=total, currency=currency
    )


class CartService:
    """A `CartStore` in PostgreSQL; `for_user` binds new carts to a signed-in customer, and
    `for_run` makes a chat turn's changes undoable until the turn commits."""

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
        self._run: str | None = None  # the chat turn whose changes these are (`for_run`)
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

    def for_run(self, run_id: str) -> CartService:
        """The same store, for the chat turn `run_id`: its changes tag the cart and can be undone
        (`recover`) until its checkpoint commits it."""
        bound = copy.copy(self)
        bound._run = run_id
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
                        "run": self._run,
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
                        "run": self._run,
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
                await conn.execute(_TOUCH_CART, self._touch(session_id))
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
            if self._run is None:  # not a turn's change: undoing the turn keeps it
                await conn.execute(_CHANGE_UNDO, {"cart": cart_id, "item_id": item_id, **values})
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
                    _REMOVE_LINE,
                    {"sid": session_id, "line": line_uuid, "now": utcnow(), "run": self._run},
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
                await conn.execute(_TOUCH_CART, self._touch(session_id))
            ).scalar_one_or_none()
            if cart_id is None:
                raise CartError(NOT_IN_CART)
            rows = (await conn.execute(CART_LINES, {"cart": cart_id})).all()
            kept = [row for row in rows if row[0] != line_uuid]
            if len(kept) == len(rows):
                raise CartError(NOT_IN_CART)  # the touch is rolled back with the rest
            await conn.execute(_DELETE_LINE, {"line": line_uuid})
            if self._run is None:  # not a turn's change: undoing the turn keeps it
                await conn.execute(_REMOVE_FROM_UNDO, {"cart": cart_id, "line": line_uuid})
        return _cart(session_id, line_reads(kept), currency)

    async def clear(self, session_id: str) -> CartRead:
        """Empty the cart."""
        currency = await self._currency()
        async with self._engine.begin() as conn:
            cart_id = (
                await conn.execute(_TOUCH_TO_CLEAR, self._touch(session_id))
            ).scalar_one_or_none()
            if cart_id is not None:
                await conn.execute(EMPTY_CART, {"cart": cart_id})
        # Under the lock every line went, so there is nothing left to read.
        return _cart(session_id, (), currency)

    def _touch(self, session_id: str) -> dict[str, Any]:
        return {"sid": session_id, "now": utcnow(), "run": self._run}

    # --- a chat turn's changes: committed, or undone --------------------------------------------

    async def read(self, session_id: str, runs: TurnRuns) -> CartRead:
        """The cart as the chat's committed turns (and every other change) left it: a turn still
        running or dead before its checkpoint shows nothing of its changes, and a dead one's are
        undone here. What the REST API and the chat's history show."""
        currency = await self._currency()
        rows: Sequence[Any] = ()
        for _ in range(3):  # the tag moved on under the read (rare): read again
            async with self._autocommit.connect() as conn:
                rows = (await conn.execute(_TAGGED_LINES, {"sid": session_id})).all()
            run = rows[0][-1] if rows else None
            if run is None:
                break
            state = await runs.run_state(session_id, run)
            if state is RunState.COMMITTED:
                # Dropped now, so the next read needs no word from the chat.
                async with self._autocommit.connect() as conn:
                    await conn.execute(_DROP_TAG, {"sid": session_id, "run": run})
                break
            if state is RunState.DEAD:
                await self.recover(session_id, [run])
                continue
            async with self._autocommit.connect() as conn:
                before = (await conn.execute(_UNDO_LINES, {"sid": session_id, "run": run})).all()
            if before:
                return _cart(
                    session_id, line_reads(r for r in before if r[4] is not None), currency
                )
        return _cart(session_id, line_reads(r for r in rows if r[0] is not None), currency)

    async def settle(self, session_id: str, runs: TurnRuns) -> bool:
        """Undo the changes of a dead turn on the cart, before a change that is not a turn's
        (placing the cart as an order over REST) relies on the lines. False while a turn that
        changed the cart may still be running (or its dead replica's lease has not lapsed): its
        changes are neither committed nor undone yet, so the lines are not to be relied on."""
        async with self._autocommit.connect() as conn:
            run = (await conn.execute(_TAG, {"sid": session_id})).scalar_one_or_none()
        if run is None:
            return True
        state = await runs.run_state(session_id, run)
        if state is RunState.DEAD:
            await self.recover(session_id, [run])
        return state is not RunState.RUNNING

    async def recover(self, session_id: str, runs: Sequence[str]) -> bool:
        """Undo the changes of `runs`, chat turns that died before their checkpoint was written
        (none of them may be running): the cart's lines back as they were before the first of
        them, if one of them tagged it. Whether the cart was one of theirs."""
        async with self._engine.begin() as conn:
            cart_id = (
                await conn.execute(_LOCK_TAGGED, {"sid": session_id, "runs": list(runs)})
            ).scalar_one_or_none()
            if cart_id is None:
                return False
            await conn.execute(EMPTY_CART, {"cart": cart_id})
            await conn.execute(_RESTORE, {"cart": cart_id})
            await conn.execute(_UNTAG, {"cart": cart_id, "now": utcnow()})
        return True

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
    "RunState",
    "TurnRuns",
    "choices_from",
    "choices_json",
    "line_reads",
    "lock_cart_to_place",
    "refuse_or_price",
]
