"""In-memory implementations of the graph's Protocols, for tests, the picture and benchmarks.

They follow the same rules as the PostgreSQL services (pricing from `graph.pricing`, orders scoped
to their user, one order per idempotency key), so a conversation tested here behaves the same
against the real ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid5

from graph.context import utc_now
from graph.intents import OrderType
from graph.menu import Item, Menu
from graph.models import (
    CANCELLABLE,
    AuthFailure,
    CartChange,
    CartError,
    CartLineRead,
    CartRead,
    ChoiceSpec,
    LineSpec,
    OrderCreate,
    OrderError,
    OrderRead,
    OrderStatus,
    Refusal,
    SignedIn,
    SignInStarted,
)
from graph.pricing import check_order, kept_choices, order_totals, price_line, ready_at, subtotal

_USERS = UUID("6f1c0c2e-4b7d-4c43-9a51-3c1f0f6b2a10")  # namespace for stable fake user ids


def _words(text: str) -> set[str]:
    # Plurals folded so "pizzas" finds "Pizza" and "salad" finds "Salads".
    return {
        w[:-1] if len(w) > 3 and w.endswith("s") else w
        for w in re.findall(r"[a-z0-9]+", text.lower())
    }


class MemoryMenu:
    """A `MenuCatalog` over a loaded `Menu`."""

    def __init__(self, menu: Menu) -> None:
        self._menu = menu

    async def get_menu(self) -> Menu:
        """The whole menu."""
        return self._menu

    def set_menu(self, menu: Menu) -> None:
        """Serve another version of the menu (staff marked something sold out, paused...)."""
        self._menu = menu

    async def get_item(self, key: str) -> Item | None:
        """One item by key."""
        return self._menu.item(key)

    async def search(
        self,
        *,
        text: str | None = None,
        tags: Sequence[str] = (),
        max_price: Decimal | None = None,
        exclude_allergens: Sequence[str] = (),
        limit: int = 12,
    ) -> list[Item]:
        """Available items matching every filter given."""
        wanted = _words(text or "")
        found: list[Item] = []
        for category in self._menu.categories:
            for item in category.items:
                if not item.available:
                    continue
                if tags and not set(tags) <= set(item.tags):
                    continue
                if max_price is not None and item.price > max_price:
                    continue
                if set(exclude_allergens) & set(item.allergens):
                    continue
                if wanted:
                    haystack = _words(
                        " ".join(
                            (
                                item.label,
                                item.description,
                                category.label,
                                *item.aliases,
                                *item.tags,
                            )
                        )
                    )
                    if not wanted & haystack:
                        continue
                found.append(item)
        return found[:limit]


@dataclass
class _Cart:
    lines: list[CartLineRead] = field(default_factory=list)
    next_id: int = 1


class MemoryCart:
    """A `CartStore` keeping carts in a dict keyed by session."""

    def __init__(self, menu: Menu) -> None:
        self._menu = menu
        self._carts: dict[str, _Cart] = {}

    def _cart(self, session_id: str) -> _Cart:
        return self._carts.setdefault(session_id, _Cart())

    def set_menu(self, menu: Menu) -> None:
        """Price lines by another version of the menu from now on."""
        self._menu = menu

    def _read(self, session_id: str) -> CartRead:
        lines = tuple(self._cart(session_id).lines)
        total = subtotal(lines)
        return CartRead(
            session_id=session_id,
            lines=lines,
            subtotal=total,
            total=total,
            currency=self._menu.restaurant.currency,
        )

    async def get(self, session_id: str) -> CartRead:
        """The cart."""
        return self._read(session_id)

    async def add(self, session_id: str, lines: Sequence[LineSpec]) -> CartChange:
        """Add the lines the menu accepts; report the others."""
        cart = self._cart(session_id)
        added: list[CartLineRead] = []
        refused: list[Refusal] = []
        for spec in lines:
            item = self._menu.item(spec.item)
            if item is None:
                refused.append(
                    Refusal(
                        item=spec.item,
                        reason="unknown_item",
                        message=f"{spec.item.replace('_', ' ')} isn't on the menu.",
                    )
                )
                continue
            if not item.available:
                refused.append(
                    Refusal(
                        item=item.key,
                        reason="unavailable",
                        message=f"Sorry, {item.label} is sold out right now.",
                    )
                )
                continue
            try:
                line = price_line(self._menu, f"l{cart.next_id}", item, spec.quantity, spec.choices)
            except CartError as exc:
                refused.append(Refusal(item=item.key, reason="bad_choice", message=exc.message))
                continue
            cart.next_id += 1
            cart.lines.append(line)
            added.append(line)
        return CartChange(cart=self._read(session_id), lines=tuple(added), refused=tuple(refused))

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
        """Change a line's quantity, item and choices."""
        cart = self._cart(session_id)
        index = next((i for i, line in enumerate(cart.lines) if line.id == line_id), None)
        if index is None:
            raise CartError("That item isn't in your cart any more.")
        old = cart.lines[index]
        found = self._menu.item(item or old.item)
        if found is None:
            raise CartError(
                f"{(item or old.item).replace('_', ' ')} isn't on the menu."
                if item
                else f"{old.label} is no longer on the menu."
            )
        line = price_line(
            self._menu,
            old.id,
            found,
            quantity if quantity is not None else old.quantity,
            choices,
            kept_choices(self._menu, found, old.choices, remove),
        )
        cart.lines[index] = line
        return CartChange(cart=self._read(session_id), lines=(line,))

    async def remove_line(self, session_id: str, line_id: str) -> CartRead:
        """Remove a line."""
        cart = self._cart(session_id)
        kept = [line for line in cart.lines if line.id != line_id]
        if len(kept) == len(cart.lines):
            raise CartError("That item isn't in your cart.")
        cart.lines = kept
        return self._read(session_id)

    async def clear(self, session_id: str) -> CartRead:
        """Empty the cart."""
        self._cart(session_id).lines = []
        return self._read(session_id)


class MemoryOrders:
    """An `OrderDesk` placing orders from a `MemoryCart`; the restaurant's hours, delivery terms
    and preparation times come from `menu` (the cart's menu unless given)."""

    def __init__(
        self,
        cart: MemoryCart,
        *,
        clock: Callable[[], datetime] = utc_now,
        first_number: int = 1001,
        menu: Menu | None = None,
    ) -> None:
        self._cart = cart
        self._clock = clock
        self._own_menu = menu
        self._orders: dict[str, OrderRead] = {}
        self._by_key: dict[str, str] = {}
        self._next = first_number

    @property
    def _menu(self) -> Menu:
        # The cart's, unless given: a menu the cart is told of later counts here too.
        return self._own_menu if self._own_menu is not None else self._cart._menu

    async def place(self, order: OrderCreate) -> OrderRead:
        """Turn the session's cart into an order, once per idempotency key."""
        if order.idempotency_key in self._by_key:
            return self._orders[self._by_key[order.idempotency_key]]
        cart = await self._cart.get(order.session_id)
        if cart.empty:
            raise OrderError("Your cart is empty, so there is nothing to order yet.")
        if order.type is OrderType.DELIVERY and not (order.address or "").strip():
            raise OrderError("I need a delivery address to place a delivery order.")
        placed_at = self._clock()
        check_order(self._menu, order.type, cart.subtotal, placed_at, cart.lines)
        totals = order_totals(cart.subtotal, order.type, menu=self._menu)
        number = str(self._next)
        self._next += 1
        placed = OrderRead(
            number=number,
            user_id=order.user_id,
            type=order.type,
            status=OrderStatus.PLACED,
            address=order.address if order.type is OrderType.DELIVERY else None,
            lines=cart.lines,
            subtotal=totals.subtotal,
            delivery_fee=totals.delivery_fee,
            tax=totals.tax,
            total=totals.total,
            currency=cart.currency,
            placed_at=placed_at,
            ready_at=ready_at(placed_at, order.type, self._menu),
        )
        self._orders[number] = placed
        self._by_key[order.idempotency_key] = number
        await self._cart.clear(order.session_id)
        return placed

    async def list_for_user(self, user_id: UUID, *, limit: int = 5) -> list[OrderRead]:
        """The user's orders, newest first."""
        mine = [o for o in self._orders.values() if o.user_id == user_id]
        return sorted(mine, key=lambda o: int(o.number), reverse=True)[:limit]

    async def get(self, user_id: UUID, number: str) -> OrderRead | None:
        """One of the user's orders."""
        order = self._orders.get(number.lstrip("#"))
        return order if order is not None and order.user_id == user_id else None

    async def cancel(self, user_id: UUID, number: str) -> OrderRead:
        """Cancel an order the kitchen has not started preparing."""
        order = await self.get(user_id, number)
        if order is None:
            raise OrderError(f"I can't find order #{number.lstrip('#')} on your account.")
        if order.status is OrderStatus.CANCELLED:
            raise OrderError(f"Order #{order.number} is already cancelled.")
        if order.status not in CANCELLABLE:
            raise OrderError(
                f"Order #{order.number} is already {order.status.value.replace('_', ' ')}, "
                "so it can't be cancelled any more."
            )
        cancelled = order.model_copy(update={"status": OrderStatus.CANCELLED})
        self._orders[order.number] = cancelled
        return cancelled

    def set_status(self, number: str, status: OrderStatus) -> None:
        """Move an order along (what the kitchen would do); for tests."""
        self._orders[number] = self._orders[number].model_copy(update={"status": status})


def normalise_phone(text: str) -> str | None:
    """A rough E.164 form: US numbers for 10 digits, '+' numbers kept; None if not a phone."""
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+") and 8 <= len(digits) <= 15:
        return "+" + digits
    if len(digits) == 10:
        return "+1" + digits
    if len(digits) == 11 and digits.startswith("1"):
        return "+" + digits
    return None


@dataclass
class _Challenge:
    phone: str
    code: str
    tries_left: int
    sent_at: datetime


class MemoryIdentity:
    """An `Identity` that 'sends' codes into `sent` (or always uses `fixed_code`).

    As the service's (`restaurant.auth.otp`): a code and its tries belong to the session that
    asked for it, so running out of tries locks that session out of that number only; wrong
    tries on a number from every session count towards `phone_fail_limit`, past which the
    number gets no new code.
    """

    def __init__(
        self,
        *,
        fixed_code: str | None = "123456",
        max_tries: int = 3,
        resend_seconds: int = 30,
        phone_fail_limit: int = 30,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.fixed_code = fixed_code
        self.max_tries = max_tries
        self.resend_seconds = resend_seconds
        self.phone_fail_limit = phone_fail_limit
        self.sent: list[tuple[str, str]] = []  # (phone, code), in order
        self._clock = clock
        self._challenges: dict[str, _Challenge] = {}
        self._sessions: dict[str, UUID] = {}
        self._locked: set[tuple[str, str]] = set()  # (session, phone)
        self._fails: dict[str, int] = {}  # wrong tries per phone, from every session
        self._counter = 0

    def _new_code(self) -> str:
        self._counter += 1
        return self.fixed_code or f"{(self._counter * 7919) % 1000000:06d}"

    def _send(self, session_id: str, phone: str, tries: int | None = None) -> SignInStarted:
        code = self._new_code()
        tries_left = self.max_tries if tries is None else tries
        self._challenges[session_id] = _Challenge(phone, code, tries_left, self._clock())
        self.sent.append((phone, code))
        return SignInStarted(phone=phone, resend_after=self.resend_seconds)

    def user_for(self, phone: str) -> UUID:
        """The stable user id of a phone."""
        return uuid5(_USERS, phone)

    async def start_sign_in(self, session_id: str, phone: str) -> SignInStarted | AuthFailure:
        """Normalise the phone and send a code."""
        e164 = normalise_phone(phone)
        if e164 is None:
            return AuthFailure(
                reason="invalid_phone",
                message="That doesn't look like a phone number; please send it with the area code.",
            )
        if (session_id, e164) in self._locked:
            return AuthFailure(
                reason="locked",
                message="Sign-in for this number is locked for now.",
                retry_after=900,
            )
        if self._fails.get(e164, 0) >= self.phone_fail_limit:
            return AuthFailure(
                reason="locked",
                message="Too many wrong codes were tried for this number today.",
                retry_after=24 * 3600,
            )
        return self._send(session_id, e164)

    async def verify_code(self, session_id: str, code: str) -> SignedIn | AuthFailure:
        """Check the code against the pending challenge."""
        challenge = self._challenges.get(session_id)
        if challenge is None:
            return AuthFailure(reason="no_challenge", message="There is no sign-in in progress.")
        if (session_id, challenge.phone) in self._locked:
            return AuthFailure(
                reason="locked", message="Too many wrong codes.", tries_left=0, retry_after=900
            )
        if re.sub(r"\D", "", code) != challenge.code:
            challenge.tries_left -= 1
            self._fails[challenge.phone] = self._fails.get(challenge.phone, 0) + 1
            if challenge.tries_left <= 0:
                self._locked.add((session_id, challenge.phone))
                del self._challenges[session_id]
                return AuthFailure(
                    reason="locked",
                    message="Too many wrong codes.",
                    tries_left=0,
                    retry_after=900,
                )
            return AuthFailure(
                reason="wrong_code",
                message="That code doesn't match.",
                tries_left=challenge.tries_left,
            )
        del self._challenges[session_id]
        user_id = self.user_for(challenge.phone)
        self._sessions[session_id] = user_id
        return SignedIn(user_id=user_id, phone=challenge.phone)

    async def resend_code(self, session_id: str) -> SignInStarted | AuthFailure:
        """Send a new code, not sooner than `resend_seconds` after the last one."""
        challenge = self._challenges.get(session_id)
        if challenge is None:
            return AuthFailure(reason="no_challenge", message="There is no sign-in in progress.")
        waited = (self._clock() - challenge.sent_at).total_seconds()
        if waited < self.resend_seconds:
            wait = int(self.resend_seconds - waited + 0.999)
            return AuthFailure(
                reason="too_soon",
                message=f"You can ask for a new code in {wait} seconds.",
                retry_after=wait,
            )
        # A new code does not buy new tries, or resending would defeat the lock.
        return self._send(session_id, challenge.phone, challenge.tries_left)

    async def current_user(self, session_id: str) -> UUID | None:
        """Who signed in on this session."""
        return self._sessions.get(session_id)


__all__ = [
    "MemoryCart",
    "MemoryIdentity",
    "MemoryMenu",
    "MemoryOrders",
    "normalise_phone",
]
