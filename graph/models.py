"""Plain pydantic models the graph exchanges with its services: what goes in, what comes back.

The Protocols in `graph.context` are typed with these, so `src/restaurant/services` can implement
them against PostgreSQL and the in-memory doubles in `graph.memory` alike. Money is `Decimal`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from graph.intents import OrderType

Qualifier = Literal["light", "extra"]
MAX_QUANTITY = 99  # the most units of one item a line (and a REST request) may hold


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ChoiceSpec(_Model):
    """One option asked for on a line: menu keys, plus how much of it or 'leave it off'."""

    group: str = Field(description="option group key, e.g. 'pizza_size' or 'toppings'")
    option: str = Field(description="option key inside the group, e.g. 'large' or 'onions'")
    qualifier: Qualifier | None = Field(default=None, description="'light' or 'extra'")
    exclude: bool = Field(default=False, description="true for 'no onions' / 'without onions'")


class LineSpec(_Model):
    """One item to put in the cart, with what the customer said about it."""

    item: str = Field(description="menu item key, e.g. 'pizza' or 'diet_coke'")
    quantity: int = Field(default=1, ge=1, le=MAX_QUANTITY)
    choices: tuple[ChoiceSpec, ...] = ()


class ChoiceRead(_Model):
    """A resolved option on a cart or order line, with labels for people."""

    group: str
    group_label: str
    option: str
    label: str
    qualifier: Qualifier | None = None
    exclude: bool = False
    price: Decimal = Decimal("0")  # what this choice adds to the unit price
    default: bool = False  # applied by the menu, not said by the customer


class CartLineRead(_Model):
    """One line of a cart (or of a placed order), priced."""

    id: str
    item: str
    label: str
    quantity: int
    choices: tuple[ChoiceRead, ...] = ()
    unit_price: Decimal
    line_total: Decimal


class CartRead(_Model):
    """A session's cart."""

    session_id: str
    lines: tuple[CartLineRead, ...] = ()
    subtotal: Decimal = Decimal("0.00")
    total: Decimal = Decimal("0.00")
    currency: str = "USD"

    @property
    def empty(self) -> bool:
        """Whether the cart has no lines."""
        return not self.lines

    def line(self, line_id: str) -> CartLineRead | None:
        """The line with this id, if the cart has it."""
        return next((line for line in self.lines if line.id == line_id), None)


class Refusal(_Model):
    """A line the cart would not take, with a reason a customer can act on."""

    item: str
    reason: Literal["unknown_item", "unavailable", "bad_choice", "bad_quantity"]
    message: str


class CartChange(_Model):
    """The cart after an add or update, and which lines changed or were refused."""

    cart: CartRead
    lines: tuple[CartLineRead, ...] = ()  # the lines added or updated, in request order
    refused: tuple[Refusal, ...] = ()


class OrderStatus(StrEnum):
    """Where an order is. Pickup: placed, accepted, preparing, ready, collected; delivery:
    ... preparing, out_for_delivery, delivered; dine-in: ... ready, served. Or rejected by the
    kitchen (from placed), or cancelled by the customer (before preparing). The service's table
    of moves is `restaurant.services.lifecycle`."""

    PLACED = "placed"
    ACCEPTED = "accepted"  # by the kitchen, with the time it promises
    PREPARING = "preparing"
    READY = "ready"
    OUT_FOR_DELIVERY = "out_for_delivery"
    COLLECTED = "collected"
    DELIVERED = "delivered"
    SERVED = "served"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


# The statuses a customer may still cancel from: before the kitchen starts preparing. The
# service's table says the same (a unit test compares them); the chat reads it to know whether
# to offer cancelling at all.
CANCELLABLE = frozenset({OrderStatus.PLACED, OrderStatus.ACCEPTED})
# The statuses no order leaves (the table's too): done, rejected or cancelled.
ENDED = frozenset(
    {
        OrderStatus.COLLECTED,
        OrderStatus.DELIVERED,
        OrderStatus.SERVED,
        OrderStatus.REJECTED,
        OrderStatus.CANCELLED,
    }
)


class OrderCreate(_Model):
    """What checkout asks the order desk for: the cart of `session_id` becomes an order."""

    session_id: str
    user_id: UUID
    type: OrderType
    address: str | None = None
    idempotency_key: str  # the same key places at most one order


class OrderRead(_Model):
    """A placed order."""

    number: str
    user_id: UUID
    type: OrderType
    status: OrderStatus
    address: str | None = None
    lines: tuple[CartLineRead, ...]
    subtotal: Decimal
    delivery_fee: Decimal
    tax: Decimal
    total: Decimal
    currency: str = "USD"
    placed_at: datetime
    ready_at: datetime  # the estimate given to the customer


class SignInStarted(_Model):
    """A code was sent: the normalised phone and how long until a resend is allowed."""

    phone: str  # E.164
    resend_after: int  # seconds


class SignedIn(_Model):
    """A code matched: who the session now belongs to."""

    user_id: UUID
    phone: str


class AuthFailure(_Model):
    """A sign-in step that did not work, with what the customer can do about it."""

    reason: Literal["invalid_phone", "wrong_code", "locked", "expired", "no_challenge", "too_soon"]
    message: str
    tries_left: int | None = None
    retry_after: int | None = None  # seconds


class ServiceError(Exception):
    """A request a service refuses; the message is shown to the customer as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CartError(ServiceError):
    """A cart change that cannot be made (no such line, a choice the item does not take)."""


class OrderError(ServiceError):
    """An order that cannot be placed or changed (empty cart, no address, already preparing)."""


class OrderUnavailable(OrderError):
    """An order the restaurant cannot take now: ordering is paused, or a line is sold out.
    (The REST API answers it with 409: the request was fine, the restaurant's state is not.)"""


__all__ = [
    "CANCELLABLE",
    "ENDED",
    "MAX_QUANTITY",
    "AuthFailure",
    "CartChange",
    "CartError",
    "CartLineRead",
    "CartRead",
    "ChoiceRead",
    "ChoiceSpec",
    "LineSpec",
    "OrderCreate",
    "OrderError",
    "OrderRead",
    "OrderStatus",
    "OrderUnavailable",
    "Qualifier",
    "Refusal",
    "ServiceError",
    "SignInStarted",
    "SignedIn",
]
