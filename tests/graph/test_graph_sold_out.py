"""Sold out and paused through the compiled graph: what the assistant says when staff mark a dish
or an option sold out, or a manager pauses new orders, while a customer is ordering."""

from __future__ import annotations

from graph.menu import Menu
from tests.graph.conftest import Chat

PAUSE = "kitchen full, back in 20 minutes"


def _sold_out(menu: Menu, item: str | None = None, option: tuple[str, str] | None = None) -> Menu:
    """The menu with an item or an option (group, option) marked sold out."""
    categories = tuple(
        c.model_copy(
            update={
                "items": tuple(
                    i.model_copy(update={"available": False}) if i.key == item else i
                    for i in c.items
                )
            }
        )
        for c in menu.categories
    )
    groups = tuple(
        g.model_copy(
            update={
                "options": tuple(
                    o.model_copy(update={"available": False}) if option == (g.key, o.key) else o
                    for o in g.options
                )
            }
        )
        for g in menu.option_groups
    )
    return menu.model_copy(update={"categories": categories, "option_groups": groups})


def _paused(menu: Menu, message: str | None) -> Menu:
    restaurant = menu.restaurant.model_copy(update={"ordering_paused": message})
    return menu.model_copy(update={"restaurant": restaurant})


def _staff_change(chat: Chat, menu: Menu) -> None:
    """What a staff member's change does: every service reads the new menu version."""
    chat.catalog.set_menu(menu)
    chat.cart.set_menu(menu)


async def test_a_sold_out_dish_is_refused_with_alternatives_of_its_kind(chat: Chat) -> None:
    _staff_change(chat, _sold_out(chat.menu, item="margherita_pizza"))
    turn = await chat.say("a margherita pizza please")
    assert await chat.cart_lines() == []
    assert "Margherita Pizza is sold out" in turn.reply
    # Pizzas, the closest first; never a drink or a dessert.
    assert "How about Classic Cheese Pizza" in turn.reply
    assert "Coca-Cola" not in turn.reply
    assert turn.state["dialogue"].offer.item == "cheese_pizza"
    yes = await chat.say("yes")
    assert yes.tool("add_to_cart")
    assert [line.item for line in await chat.cart_lines()] == ["cheese_pizza"]


async def test_a_sold_out_dish_asked_about_says_so(chat: Chat) -> None:
    _staff_change(chat, _sold_out(chat.menu, item="margherita_pizza"))
    turn = await chat.say("what's on the margherita pizza?")
    assert "sold out" in turn.reply
    item = next(i for i in turn.card("MENU_CARD")["items"] if i["key"] == "margherita_pizza")
    assert item["available"] is False


async def test_a_sold_out_option_is_refused_and_shown_on_the_card(chat: Chat) -> None:
    _staff_change(chat, _sold_out(chat.menu, option=("toppings", "mushrooms")))
    turn = await chat.say("a large cheese pizza with mushrooms")
    assert "Mushrooms is sold out" in turn.reply
    assert not any(
        c.option == "mushrooms" for line in await chat.cart_lines() for c in line.choices
    )
    shown = await chat.say("show me the pizzas")
    toppings = next(
        g for g in shown.card("MENU_CARD")["items"][0]["option_groups"] if g["key"] == "toppings"
    )
    assert {o["key"]: o["available"] for o in toppings["options"]}["mushrooms"] is False


async def test_a_cart_line_sold_out_since_is_named_before_checkout(chat: Chat) -> None:
    await chat.say("a margherita pizza and a coke")
    await chat.sign_in()
    _staff_change(chat, _sold_out(chat.menu, item="margherita_pizza"))
    turn = await chat.say("pickup")
    assert "the Margherita Pizza in your cart is sold out now" in turn.reply
    assert "Cheese Pizza" in turn.reply and "take it off" in turn.reply
    assert turn.state["checkout"] is None  # no summary of an order that can't be placed
    assert "total" not in turn.reply
    assert turn.state["quick_replies"] == ["Remove the Margherita Pizza"]
    await chat.say("Remove the Margherita Pizza")
    assert [line.item for line in await chat.cart_lines()] == ["coke"]
    again = await chat.say("checkout")
    assert again.state["checkout"] is not None
    assert "sold out" not in again.reply


async def test_a_line_sold_out_at_the_confirmation_is_refused_by_the_desk(chat: Chat) -> None:
    await chat.say("a margherita pizza")
    await chat.sign_in()
    summary = await chat.say("pickup")
    assert summary.state["checkout"].step == "confirm"
    _staff_change(chat, _sold_out(chat.menu, item="margherita_pizza"))
    turn = await chat.say("yes")
    assert "ORDER_DATA" not in turn.card_names
    assert "Margherita Pizza in your cart is sold out" in turn.reply
    assert [line.item for line in await chat.cart_lines()] == ["margherita_pizza"]


async def test_a_pause_is_told_on_the_first_order_and_refuses_checkout(chat: Chat) -> None:
    _staff_change(chat, _paused(chat.menu, PAUSE))
    turn = await chat.say("two cokes")
    assert [line.quantity for line in await chat.cart_lines()] == [2]  # the cart is kept
    assert f"paused new orders for now ({PAUSE})" in turn.reply
    more = await chat.say("and a sprite")
    assert "paused" not in more.reply  # told once, not on every line
    await chat.sign_in()
    stopped = await chat.say("checkout")
    assert PAUSE in stopped.reply and "cart is saved" in stopped.reply
    assert stopped.state["checkout"] is None
    _staff_change(chat, _paused(chat.menu, None))
    resumed = await chat.say("checkout")
    assert "paused" not in resumed.reply
    assert resumed.state["checkout"] is not None


async def test_a_pause_at_the_confirmation_refuses_the_order(chat: Chat) -> None:
    await chat.say("a coke")
    await chat.sign_in()
    await chat.say("pickup")
    _staff_change(chat, _paused(chat.menu, PAUSE))
    turn = await chat.say("yes")
    assert "ORDER_DATA" not in turn.card_names
    assert PAUSE in turn.reply
