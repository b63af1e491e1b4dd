"""The graph's `Context` for one turn: built from the process's `Resources`, then wrapped by the
runner in a `TurnCart` and `TurnOrders` that remember the cart the turn last saw."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from uuid import UUID

from langchain_core.language_models import BaseChatModel

from graph.context import CartStore, Context, OrderDesk
from graph.models import CartChange, CartRead, ChoiceSpec, LineSpec, OrderCreate, OrderRead
from restaurant.auth.sessions import AuthSession
from restaurant.lifespan import Resources
from restaurant.services.signin import ChatIdentity, TokenHandler


async def build_context(
    resources: Resources,
    auth: AuthSession,
    chat_session_id: str,
    chat_model: BaseChatModel | None = None,
    *,
    client: str = "unknown",
    on_token: TokenHandler | None = None,
) -> Context:
    """The graph's Context for one turn on a chat the caller owns (check with `require_chat`);
    a sign-in in the turn hands the session's new token to `on_token`."""
    services = resources.services
    identity = ChatIdentity(
        services.signin, client=client, session=auth.token_hash, on_token=on_token
    )
    snapshot = await resources.menu.snapshot()
    return Context(
        session_id=chat_session_id,
        user_id=auth.user_id,
        menu=services.catalog,
        cart=services.carts.for_user(auth.user_id),
        orders=services.orders,
        identity=identity,
        # The pooled model built in the lifespan (None when no LLM is configured).
        chat_model=chat_model if chat_model is not None else resources.chat_model,
        lexicon=await services.lexicons.get(snapshot.menu, snapshot.version),
        confidence_threshold=resources.settings.llm.confidence_threshold,
    )


class TurnCart:
    """The turn's `CartStore`, remembering the cart its last call returned, so the snapshot
    after the graph need not read it again (a PostgreSQL transaction on most turns).

    `cart` is None until a call returns one, and again after an order is placed (placing
    empties the cart behind the store's back); the runner then reads the cart as before. A cart
    changed by the REST API while the turn runs shows in the next turn's snapshot.

    That read starts during the graph's last node, which never changes the cart (`read_ahead`:
    as it starts, or on the model path once the reply's request is on its way): it overlaps the
    reply and the checkpoint write instead of following them.
    """

    def __init__(self, store: CartStore) -> None:
        """Over the turn's cart store; nothing seen yet."""
        self._store = store
        self.cart: CartRead | None = None
        self._ahead: asyncio.Task[CartRead] | None = None
        self._timer: asyncio.TimerHandle | None = None

    def read_ahead(self, session_id: str, after: float = 0.0) -> None:
        """Start reading the cart for the snapshot `after` seconds from now, unless this turn
        has already seen it or started the read."""
        if self.cart is not None or self._ahead is not None or self._timer is not None:
            return
        if after > 0:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(after, self._read, session_id)
        else:
            self._read(session_id)

    def _read(self, session_id: str) -> None:
        self._timer = None
        self._ahead = asyncio.create_task(self._store.get(session_id))
        # Left to finish on its own if unused (cancelling a query mid-flight would cost the
        # connection): its error, if any, is retrieved here and dropped.
        self._ahead.add_done_callback(lambda t: t.cancelled() or t.exception())

    def forget_read(self) -> None:
        """Drop a read not yet started (one under way finishes on its own)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def for_snapshot(self, session_id: str) -> CartRead | None:
        """The cart after the turn; None if it cannot be read (the snapshot is a courtesy)."""
        self.forget_read()  # the turn ended before the read was due: read now
        ahead, self._ahead = self._ahead, None
        if self.cart is not None:
            return self.cart
        try:
            return await (ahead if ahead is not None else self._store.get(session_id))
        except Exception:
            return None

    async def get(self, session_id: str) -> CartRead:
        """The cart, remembered."""
        self.cart = await self._store.get(session_id)
        return self.cart

    async def add(self, session_id: str, lines: Sequence[LineSpec]) -> CartChange:
        """Add lines; the cart after them is remembered."""
        self.cart = None  # unknown if the call raises
        change = await self._store.add(session_id, lines)
        self.cart = change.cart
        return change

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
        """Change a line; the cart after it is remembered."""
        self.cart = None
        change = await self._store.update_line(
            session_id, line_id, quantity=quantity, choices=choices, item=item, remove=remove
        )
        self.cart = change.cart
        return change

    async def remove_line(self, session_id: str, line_id: str) -> CartRead:
        """Remove a line; the cart after it is remembered."""
        self.cart = None
        self.cart = await self._store.remove_line(session_id, line_id)
        return self.cart

    async def clear(self, session_id: str) -> CartRead:
        """Empty the cart, remembered."""
        self.cart = None
        self.cart = await self._store.clear(session_id)
        return self.cart


class TurnOrders:
    """The turn's `OrderDesk`: placing an order empties the cart, so the seen cart is dropped."""

    def __init__(self, desk: OrderDesk, seen: TurnCart) -> None:
        """Over the turn's order desk, dropping what `seen` remembers when an order is placed."""
        self._desk = desk
        self._seen = seen

    async def place(self, order: OrderCreate) -> OrderRead:
        """Place the order; the cart it empties is read again for the snapshot."""
        self._seen.cart = None
        try:
            return await self._desk.place(order)
        finally:
            self._seen.cart = None

    # Reads and cancelling leave the cart alone.

    async def list_for_user(self, user_id: UUID, *, limit: int = 5) -> list[OrderRead]:
        """The user's latest orders."""
        return await self._desk.list_for_user(user_id, limit=limit)

    async def get(self, user_id: UUID, number: str) -> OrderRead | None:
        """One of the user's orders by its number."""
        return await self._desk.get(user_id, number)

    async def cancel(self, user_id: UUID, number: str) -> OrderRead:
        """Cancel one of the user's orders."""
        return await self._desk.cancel(user_id, number)


__all__ = ["TurnCart", "TurnOrders", "build_context"]
