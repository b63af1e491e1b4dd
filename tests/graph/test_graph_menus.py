"""One ordering conversation on each of the five shared menus."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.graph.conftest import ChatFactory

ORDERS = {
    "pizzeria": ("two large pizzas with ham and a diet coke", {"pizza": 2, "diet_coke": 1}),
    "burger": (
        "a cheese burger with no onion and a large french fries",
        {"cheese_burger": 1, "french_fries": 1},
    ),
    "burrito": (
        "one burrito with chicken white rice and black beans and chips",
        {"burrito": 1, "chips": 1},
    ),
    "coffee": ("a large iced latte with vanilla syrup", {"latte": 1}),
    "sub": ("two italian subs and a coca cola", {"italian": 2, "coca_cola": 1}),
}


@pytest.mark.parametrize("menu", sorted(ORDERS))
async def test_shared_menu_order_view_and_checkout(new_chat: ChatFactory, menu: str) -> None:
    text, expected = ORDERS[menu]
    chat = new_chat(menu)
    hello = await chat.say("hello")
    assert chat.menu.restaurant.name in hello.reply
    added = await chat.say(text)
    assert added.state["intent"] == "add_items"
    lines = await chat.cart_lines()
    got: dict[str, int] = {}
    for line in lines:
        got[line.item] = got.get(line.item, 0) + line.quantity
    assert got == expected
    card = added.card("CART_CARD")
    assert Decimal(card["subtotal"]) == sum(line.line_total for line in lines)
    shown = await chat.say("what's in my cart")
    assert shown.card("CART_CARD") == card
    await chat.sign_in()
    await chat.say("pickup")
    placed = await chat.say("yes")
    order = placed.card("ORDER_DATA")
    assert Decimal(order["subtotal"]) == Decimal(card["subtotal"])
    assert await chat.cart_lines() == []
