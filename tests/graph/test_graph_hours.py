"""The restaurant's hours and delivery terms at checkout, through the compiled graph.

The demo menu keeps New York hours (Mon-Thu 11:00-22:00, Fri-Sat 11:00-01:00, Sun 12:00-21:00)
and a $15.00 delivery minimum. The chat's clock is pinned (tests/graph/conftest.py: Friday
2026-05-01 18:00 UTC, 2:00 PM in New York), and these tests move it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from graph.intents import OrderType
from graph.menu import Menu
from graph.venue import always_open
from tests.graph.conftest import Chat, ChatFactory


async def _to_confirmation(chat: Chat, order: str, order_type: str, address: str = "") -> None:
    await chat.say(order)
    await chat.sign_in()
    await chat.say(order_type)
    if address:
        await chat.say(address)


async def test_hours_closed_restaurant_refuses_the_order_and_keeps_the_cart(chat: Chat) -> None:
    await _to_confirmation(chat, "a margherita pizza", "pickup")
    chat.clock.now = datetime(2026, 5, 5, 3, 30, tzinfo=UTC)  # Monday 11:30 PM in New York
    refused = await chat.say("yes")
    assert "ORDER_DATA" not in refused.card_names
    assert "We're closed right now; we open again tomorrow at 11:00 AM." in refused.reply
    assert [line.item for line in await chat.cart_lines()] == ["margherita_pizza"]
    chat.clock.now = datetime(2026, 5, 5, 15, 1, tzinfo=UTC)  # Tuesday 11:01 AM: open again
    placed = await chat.say("yes")
    order = placed.card("ORDER_DATA")
    assert order["status"] == "placed"
    assert order["estimated_ready_at"] == "2026-05-05T15:21:00+00:00"  # pickup: 20 minutes


async def test_hours_open_after_midnight_on_a_friday(chat: Chat) -> None:
    await _to_confirmation(chat, "a margherita pizza", "pickup")
    chat.clock.now = datetime(2026, 5, 2, 4, 45, tzinfo=UTC)  # Saturday 12:45 AM in New York
    placed = await chat.say("yes")
    assert placed.card("ORDER_DATA")["status"] == "placed"


async def test_hours_delivery_under_the_minimum_is_refused(chat: Chat) -> None:
    await _to_confirmation(chat, "a coke", "delivery")
    # Refused when the address completes the order or at its confirmation, never placed.
    turns = [await chat.say("12 Main Street"), await chat.say("yes")]
    assert all("ORDER_DATA" not in turn.card_names for turn in turns)
    # A coke is $2.50, $3.00 with the default medium size.
    refusal = "Delivery needs a subtotal of at least $15.00; you're at $3.00."
    assert any(refusal in turn.reply for turn in turns)
    assert [line.item for line in await chat.cart_lines()] == ["coke"]
    switched = await chat.say("make it pickup instead")
    assert switched.card("CART_CARD")["order_type"] == "pickup"
    placed = await chat.say("yes")
    assert placed.card("ORDER_DATA")["type"] == "pickup"


async def test_hours_always_open_menu_takes_orders_at_any_hour(
    new_chat: ChatFactory, demo_menu: Menu
) -> None:
    chat = new_chat(always_open(demo_menu))
    await _to_confirmation(chat, "a margherita pizza", "pickup")
    chat.clock.now = datetime(2026, 5, 5, 8, 0, tzinfo=UTC)  # 4:00 AM in New York
    placed = await chat.say("yes")
    assert placed.card("ORDER_DATA")["type"] == OrderType.PICKUP.value
