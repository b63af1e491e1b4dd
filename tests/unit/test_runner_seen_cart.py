"""The runner's view of the turn's cart: the snapshot's read starts as the last node starts and
is never made when the turn has already seen the cart."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import uuid4

from graph.intents import OrderType
from graph.memory import MemoryCart, MemoryOrders
from graph.menu import load_menu
from graph.models import CartRead, LineSpec, OrderCreate
from graph.venue import always_open
from restaurant.chat.context import TurnCart, TurnOrders

DEMO = Path(__file__).resolve().parents[2] / "seeds" / "demo.json"


class _Gated(MemoryCart):
    """The in-memory cart whose reads wait for `gate` and are counted (or fail)."""

    def __init__(self) -> None:
        super().__init__(always_open(load_menu(DEMO)))  # orders at any hour the test runs
        self.gate = asyncio.Event()
        self.reads = 0
        self.error: Exception | None = None

    async def get(self, session_id: str) -> CartRead:
        self.reads += 1
        await self.gate.wait()
        if self.error is not None:
            raise self.error
        return await super().get(session_id)


async def test_runner_cart_read_ahead_is_the_snapshot_read() -> None:
    store = _Gated()
    await store.add("s", [LineSpec(item="coke", quantity=2)])
    seen = TurnCart(store)
    seen.read_ahead("s")
    seen.read_ahead("s")  # once a turn
    await asyncio.sleep(0)
    assert store.reads == 1  # already under way while the last node runs
    store.gate.set()
    cart = await seen.for_snapshot("s")
    assert cart is not None and [line.quantity for line in cart.lines] == [2]
    assert store.reads == 1


async def test_runner_cart_seen_in_the_turn_is_not_read_again() -> None:
    store = _Gated()
    seen = TurnCart(store)
    change = await seen.add("s", [LineSpec(item="coke", quantity=1)])
    seen.read_ahead("s")
    assert await seen.for_snapshot("s") == change.cart
    assert store.reads == 0


async def test_runner_cart_after_an_order_is_read_again_and_empty() -> None:
    store = _Gated()
    store.gate.set()
    seen = TurnCart(store)
    await seen.add("s", [LineSpec(item="coke", quantity=1)])
    desk = TurnOrders(MemoryOrders(store), seen)
    order = OrderCreate(session_id="s", user_id=uuid4(), type=OrderType.PICKUP, idempotency_key="k")
    await desk.place(order)
    reads = store.reads
    seen.read_ahead("s")
    cart = await seen.for_snapshot("s")
    assert cart is not None and not cart.lines and store.reads == reads + 1


async def test_runner_cart_that_cannot_be_read_leaves_the_snapshot_without_it() -> None:
    store = _Gated()
    store.error = ConnectionError("PostgreSQL went away")
    store.gate.set()
    seen = TurnCart(store)
    seen.read_ahead("s")
    assert await seen.for_snapshot("s") is None
    assert await TurnCart(store).for_snapshot("s") is None  # without a read ahead too


async def test_runner_cart_read_ahead_can_wait_for_the_models_request() -> None:
    store = _Gated()
    store.gate.set()
    seen = TurnCart(store)
    seen.read_ahead("s", after=0.05)
    await asyncio.sleep(0.01)
    assert store.reads == 0  # not while the reply's request is being sent
    await asyncio.sleep(0.08)
    assert store.reads == 1  # then, during the model's answer
    assert await seen.for_snapshot("s") is not None and store.reads == 1

    early = TurnCart(store)
    early.read_ahead("s", after=10)
    assert await early.for_snapshot("s") is not None  # a turn over sooner reads at once
    assert store.reads == 2
