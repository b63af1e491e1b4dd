"""Run-scoped dependencies of the graph and the small Protocols it talks to the world through.

`src/restaurant/services` implements the Protocols against PostgreSQL; `graph.memory` implements
them in memory for tests, the picture and benchmarks. Every method is async and speaks the plain
pydantic models of `graph.models`. Identity always comes from here (the server-side session),
never from what a model or a customer says.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable
from uuid import UUID

from langchain_core.language_models import BaseChatModel

from graph.intents import OrderType
from graph.menu import Item, Menu
from graph.models import (
    AuthFailure,
    CartChange,
    CartRead,
    ChoiceSpec,
    LineSpec,
    OrderCreate,
    OrderRead,
    SignedIn,
    SignInStarted,
)
from graph.nlu.lexicon import Lexicon


@runtime_checkable
class MenuCatalog(Protocol):
    """The restaurant's menu."""

    async def get_menu(self) -> Menu:
        """The whole menu."""
        ...

    async def get_item(self, key: str) -> Item | None:
        """One item by key, available or not."""
        ...

    async def search(
        self,
        *,
        text: str | None = None,
        tags: Sequence[str] = (),
        max_price: Decimal | None = None,
        exclude_allergens: Sequence[str] = (),
        limit: int = 12,
    ) -> list[Item]:
        """Available items matching all filters: words in label/aliases/description, every tag,
        base price at most `max_price`, none of the allergens."""
        ...


@runtime_checkable
class CartStore(Protocol):
    """A session's cart; the store validates choices and prices lines with `graph.pricing`."""

    async def get(self, session_id: str) -> CartRead:
        """The cart (empty if none yet)."""
        ...

    async def add(self, session_id: str, lines: Sequence[LineSpec]) -> CartChange:
        """Add lines; lines the menu refuses are reported in `refused`, the others are added."""
        ...

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
        """Change a line: its quantity; its item (`item`, keeping the choices the new item takes
        too); options said before taken off (`remove`, as (group, option)); then `choices`
        merged on. Raise `CartError` if refused."""
        ...

    async def remove_line(self, session_id: str, line_id: str) -> CartRead:
        """Remove a line; raise `CartError` if there is no such line."""
        ...

    async def clear(self, session_id: str) -> CartRead:
        """Empty the cart."""
        ...


@runtime_checkable
class OrderDesk(Protocol):
    """Places and tracks orders; every read is scoped to the signed-in user."""

    async def place(self, order: OrderCreate) -> OrderRead:
        """Turn the session's cart into an order and empty the cart; the same
        `idempotency_key` returns the first order again. Raise `OrderError` if refused."""
        ...

    async def list_for_user(self, user_id: UUID, *, limit: int = 5) -> list[OrderRead]:
        """The user's orders, newest first."""
        ...

    async def get(self, user_id: UUID, number: str) -> OrderRead | None:
        """One of the user's orders by number."""
        ...

    async def cancel(self, user_id: UUID, number: str) -> OrderRead:
        """Cancel an order still 'placed'; raise `OrderError` otherwise."""
        ...


@runtime_checkable
class Identity(Protocol):
    """Phone sign-in with one-time codes, bound to the server-side session."""

    async def start_sign_in(self, session_id: str, phone: str) -> SignInStarted | AuthFailure:
        """Normalise the phone to E.164 and send a code."""
        ...

    async def verify_code(self, session_id: str, code: str) -> SignedIn | AuthFailure:
        """Check the code; on success the session belongs to the user from now on."""
        ...

    async def resend_code(self, session_id: str) -> SignInStarted | AuthFailure:
        """Send a new code to the phone of the pending sign-in."""
        ...

    async def current_user(self, session_id: str) -> UUID | None:
        """Who the session belongs to, if anyone has signed in on it."""
        ...


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


@dataclass(kw_only=True)
class Context:
    """Run-scoped dependencies, built per request by the service (or a test)."""

    session_id: str
    user_id: UUID | None  # from the server-side session, never from the model
    menu: MenuCatalog
    cart: CartStore
    orders: OrderDesk
    identity: Identity
    chat_model: BaseChatModel | None = None  # None: the offline understanding answers alone
    lexicon: Lexicon | None = None  # built from the menu once and shared across requests
    confidence_threshold: float = 0.6  # below it, a configured chat model classifies instead
    clock: Callable[[], datetime] = field(default=utc_now)
    default_order_type: OrderType | None = None  # e.g. a table QR code implies dine-in


__all__ = [
    "CartStore",
    "Context",
    "Identity",
    "MenuCatalog",
    "OrderDesk",
    "utc_now",
]
