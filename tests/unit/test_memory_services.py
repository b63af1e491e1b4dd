"""The in-memory services keep the rules the SQL ones keep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import pytest

from graph.intents import OrderType
from graph.memory import MemoryCart, MemoryIdentity, MemoryOrders, normalise_phone
from graph.menu import load_menu
from graph.models import (
    AuthFailure,
    LineSpec,
    OrderCreate,
    OrderError,
    SignedIn,
    SignInStarted,
)

DEMO = Path(__file__).resolve().parents[2] / "seeds" / "demo.json"
# The demo restaurant keeps New York hours: Friday 2:00 PM there is open, Monday 11:30 PM is not.
OPEN = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)
CLOSED = datetime(2026, 5, 5, 3, 30, tzinfo=UTC)


async def test_memory_orders_one_order_per_idempotency_key() -> None:
    cart = MemoryCart(load_menu(DEMO))
    desk = MemoryOrders(cart, clock=lambda: OPEN)
    user = uuid4()
    await cart.add("s", [LineSpec(item="coke", quantity=2)])
    request = OrderCreate(session_id="s", user_id=user, type=OrderType.PICKUP, idempotency_key="k")
    first = await desk.place(request)
    again = await desk.place(request)
    assert first == again
    assert len(await desk.list_for_user(user)) == 1
    assert await desk.get(uuid4(), first.number) is None  # another user's order stays hidden
    with pytest.raises(OrderError, match="empty"):
        await desk.place(request.model_copy(update={"idempotency_key": "k2"}))


async def test_memory_orders_delivery_needs_an_address() -> None:
    cart = MemoryCart(load_menu(DEMO))
    await cart.add("s", [LineSpec(item="coke")])
    with pytest.raises(OrderError, match="address"):
        await MemoryOrders(cart, clock=lambda: OPEN).place(
            OrderCreate(
                session_id="s", user_id=uuid4(), type=OrderType.DELIVERY, idempotency_key="k"
            )
        )


async def test_memory_orders_refuse_while_closed_and_keep_the_cart() -> None:
    cart = MemoryCart(load_menu(DEMO))
    await cart.add("s", [LineSpec(item="coke")])
    now = [CLOSED]
    desk = MemoryOrders(cart, clock=lambda: now[0])
    request = OrderCreate(
        session_id="s", user_id=uuid4(), type=OrderType.PICKUP, idempotency_key="k"
    )
    with pytest.raises(OrderError) as refused:
        await desk.place(request)
    assert refused.value.message == "We're closed right now; we open again tomorrow at 11:00 AM."
    assert not (await cart.get("s")).empty
    now[0] = OPEN
    assert (await desk.place(request)).ready_at == OPEN + timedelta(minutes=20)


async def test_memory_orders_delivery_minimum_and_fee_from_the_menu() -> None:
    cart = MemoryCart(load_menu(DEMO))
    desk = MemoryOrders(cart, clock=lambda: OPEN)
    await cart.add("s", [LineSpec(item="coke", quantity=3)])  # 3 x $3.00 with the medium size
    request = OrderCreate(
        session_id="s",
        user_id=uuid4(),
        type=OrderType.DELIVERY,
        address="182 Mulberry St",
        idempotency_key="k",
    )
    with pytest.raises(OrderError) as refused:
        await desk.place(request)
    assert refused.value.message == (
        "Delivery needs a subtotal of at least $15.00; you're at $9.00."
    )
    await cart.add("s", [LineSpec(item="coke", quantity=2)])
    order = await desk.place(request)
    assert order.subtotal == Decimal("15.00") and order.delivery_fee == Decimal("3.99")
    assert order.ready_at == OPEN + timedelta(minutes=40)


async def test_memory_identity_normalises_and_verifies() -> None:
    identity = MemoryIdentity(fixed_code=None)
    started = await identity.start_sign_in("s", "(555) 010-2030")
    assert isinstance(started, SignInStarted)
    assert started.phone == "+15550102030"
    code = identity.sent[-1][1]
    signed = await identity.verify_code("s", code)
    assert isinstance(signed, SignedIn)
    assert await identity.current_user("s") == signed.user_id == identity.user_for("+15550102030")


async def test_memory_identity_tries_belong_to_the_session_that_asked() -> None:
    identity = MemoryIdentity(fixed_code=None, max_tries=3, phone_fail_limit=5)
    await identity.start_sign_in("owner", "555 010 2030")
    code = identity.sent[-1][1]
    stranger = await identity.verify_code("stranger", "000000")  # no code of its own
    assert isinstance(stranger, AuthFailure) and stranger.reason == "no_challenge"
    await identity.start_sign_in("stranger", "555 010 2030")
    for _ in range(3):
        await identity.verify_code("stranger", "999999")
    locked = await identity.start_sign_in("stranger", "555 010 2030")
    assert isinstance(locked, AuthFailure) and locked.reason == "locked"
    # The stranger locked itself out, not the owner, whose code still works.
    assert isinstance(await identity.verify_code("owner", code), SignedIn)
    # Past the phone's cap of wrong tries (3 + 2 here), no session gets a new code.
    await identity.start_sign_in("third", "555 010 2030")
    for _ in range(2):
        await identity.verify_code("third", "999999")
    capped = await identity.start_sign_in("fourth", "555 010 2030")
    assert isinstance(capped, AuthFailure) and capped.reason == "locked"


def test_normalise_phone() -> None:
    assert normalise_phone("555 010 2030") == "+15550102030"
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"
    assert normalise_phone("12345") is None
