"""Conversations that build and change a cart, through the compiled graph."""

from __future__ import annotations

from decimal import Decimal

from tests.graph.conftest import Chat


def _choices(line: object) -> set[tuple[str, str, str | None, bool]]:
    return {
        (c.group, c.option, c.qualifier, c.exclude)
        for c in line.choices  # type: ignore[attr-defined]
        if not c.default
    }


async def test_add_items_prices_choices_and_says_what_was_understood(chat: Chat) -> None:
    turn = await chat.say("two large pepperoni pizzas with extra cheese and no onions")
    assert turn.state["intent"] == "add_items"
    args = turn.tool("add_to_cart")["args"]["items"]
    assert args[0]["item"] == "pepperoni_pizza"
    assert args[0]["quantity"] == 2
    [line] = await chat.cart_lines()
    assert _choices(line) == {
        ("pizza_size", "large", None, False),
        ("toppings", "cheese", "extra", False),
        ("toppings", "onions", None, True),
    }
    # 12.50 + large 6.00 + extra cheese 2 x 1.25 + classic crust 0 = 21.00 each.
    assert line.unit_price == Decimal("21.00")
    assert line.line_total == Decimal("42.00")
    assert "2 large" in turn.reply
    assert "pepperoni pizzas" in turn.reply
    assert "extra" in turn.reply
    assert "no " in turn.reply
    assert "($42.00)" in turn.reply
    card = turn.card("CART_CARD")
    assert card["subtotal"] == "42.00"
    assert card["lines"][0]["quantity"] == 2
    assert {c["option"] for c in card["lines"][0]["choices"] if c["default"]} == {"classic"}
    assert turn.state["awaiting"] == "anything_else"


async def test_add_several_items_in_one_sentence(chat: Chat) -> None:
    turn = await chat.say("a bacon cheeseburger medium rare and three diet cokes in cans")
    lines = await chat.cart_lines()
    assert sorted((line.item, line.quantity) for line in lines) == [
        ("bacon_cheeseburger", 1),
        ("diet_coke", 3),
    ]
    burger = next(line for line in lines if line.item == "bacon_cheeseburger")
    assert ("doneness", "medium_rare", None, False) in _choices(burger)
    cokes = next(line for line in lines if line.item == "diet_coke")
    assert ("container", "can", None, False) in _choices(cokes)
    assert len(turn.card("CART_CARD")["lines"]) == 2


async def test_change_make_that_large_replaces_the_size(chat: Chat) -> None:
    await chat.say("a margherita pizza")
    [before] = await chat.cart_lines()
    turn = await chat.say("make that large")
    assert turn.state["intent"] == "change_item"
    call = turn.tool("update_cart_line")
    assert call["args"]["line_id"] == before.id
    [after] = await chat.cart_lines()
    sizes = [c.option for c in after.choices if c.group == "pizza_size"]
    assert sizes == ["large"]  # select-one: the default medium is replaced
    assert after.unit_price == Decimal("17.00")
    assert "large" in turn.reply
    assert "$17.00" in turn.reply
    assert turn.card("CART_CARD")["lines"][0]["unit_price"] == "17.00"


async def test_change_quantity_of_the_last_line(chat: Chat) -> None:
    await chat.say("a coke")
    await chat.say("a garlic knots")
    turn = await chat.say("actually 3 of them")
    assert turn.state["intent"] == "change_item"
    lines = {line.item: line.quantity for line in await chat.cart_lines()}
    assert lines == {"coke": 1, "garlic_knots": 3}
    assert "3 garlic knots" in turn.reply


async def test_change_a_named_item_leaves_an_option_off(chat: Chat) -> None:
    await chat.say("a classic cheeseburger and a coke")
    turn = await chat.say("no onions on the cheeseburger")
    assert turn.state["intent"] == "change_item"
    burger = next(line for line in await chat.cart_lines() if line.item == "classic_cheeseburger")
    assert ("burger_toppings", "onions", None, True) in _choices(burger)
    assert "no raw onions" in turn.reply  # the option's label, as the menu spells it


async def test_no_on_an_option_the_customer_added_takes_it_off(chat: Chat) -> None:
    await chat.say("a classic cheeseburger with onions and a coke")
    await chat.say("no onions on the cheeseburger")
    burger = next(line for line in await chat.cart_lines() if line.item == "classic_cheeseburger")
    assert _choices(burger) == set()  # off again, not "no onions"


async def test_change_refuses_an_option_the_item_does_not_take(chat: Chat) -> None:
    await chat.say("a coke")
    turn = await chat.say("make it a thin crust")
    [line] = await chat.cart_lines()
    assert not any(c.group == "crust" for c in line.choices)
    assert "coca-cola doesn't come with thin crust" in turn.reply.lower()
    assert "CART_CARD" not in turn.card_names


async def test_remove_an_item(chat: Chat) -> None:
    await chat.say("a caesar salad and a coke")
    turn = await chat.say("remove the coke")
    assert turn.state["intent"] == "remove_items"
    assert turn.tool_names == ["remove_from_cart"]
    assert [line.item for line in await chat.cart_lines()] == ["caesar_salad"]
    assert "coca-cola" in turn.reply.lower() or "coke" in turn.reply.lower()
    assert turn.card("CART_CARD")["subtotal"] == "9.50"


async def test_remove_some_of_a_line_lowers_its_quantity(chat: Chat) -> None:
    await chat.say("four sprites")
    turn = await chat.say("remove one sprite")
    [line] = await chat.cart_lines()
    assert line.quantity == 3
    assert turn.tool("remove_from_cart")["args"]["quantity"] == 1


async def test_remove_something_not_in_the_cart(chat: Chat) -> None:
    await chat.say("a tiramisu")
    turn = await chat.say("remove the lemonade")
    assert "don't see" in turn.reply
    assert [line.item for line in await chat.cart_lines()] == ["tiramisu"]
    assert "remove_from_cart" not in turn.tool_names


async def test_view_cart_lists_lines_and_subtotal(chat: Chat) -> None:
    empty = await chat.say("what's in my cart?")
    assert empty.state["intent"] == "view_cart"
    assert "empty" in empty.reply
    await chat.say("2 chicken wings and a lemonade")
    turn = await chat.say("show my cart")
    assert turn.tool_names == ["view_cart"]
    card = turn.card("CART_CARD")
    assert {line["item"] for line in card["lines"]} == {"chicken_wings", "lemonade"}
    assert Decimal(card["subtotal"]) == sum(Decimal(line["line_total"]) for line in card["lines"])
    assert f"${card['subtotal']}" in turn.reply


async def test_clear_cart_starts_over_once_confirmed(chat: Chat) -> None:
    await chat.say("a cannoli and a sprite")
    ask = await chat.say("start over")
    assert ask.state["intent"] == "clear_cart"
    assert ask.tool_names == []
    assert ask.state["awaiting"] == "confirm_clear"
    assert ask.state["quick_replies"] == ["Yes", "No"]
    assert len(await chat.cart_lines()) == 2
    turn = await chat.say("yes")
    assert turn.tool_names == ["clear_cart"]
    assert await chat.cart_lines() == []
    assert turn.card("CART_CARD")["lines"] == []


async def test_clear_cart_kept_on_no(chat: Chat) -> None:
    await chat.say("a cannoli")
    await chat.say("clear my cart")
    turn = await chat.say("no")
    assert turn.tool_names == []
    assert len(await chat.cart_lines()) == 1
    assert "kept" in turn.reply


async def test_unknown_item_gets_suggestions_and_yes_adds_the_first(chat: Chat) -> None:
    turn = await chat.say("can i get a pepperoni calzone")
    offer = turn.state["dialogue"].offer
    assert offer is not None
    assert "Did you mean" in turn.reply
    assert turn.state["awaiting"] == "suggestion"
    yes = await chat.say("yes")
    assert yes.tool("add_to_cart")["args"]["items"][0]["item"] == offer.item
    assert [line.item for line in await chat.cart_lines()][-1] == offer.item


async def test_unavailable_item_is_refused_with_alternatives(chat: Chat) -> None:
    turn = await chat.say("a pumpkin cheesecake please")
    assert turn.tool("add_to_cart")
    assert await chat.cart_lines() == []
    assert "sold out" in turn.reply
    assert "Cheesecake" in turn.reply  # the New York cheesecake is offered
    assert turn.state["dialogue"].offer.item != "pumpkin_cheesecake"


async def test_unknown_option_is_refused_with_a_message(chat: Chat) -> None:
    turn = await chat.say("a lemonade in a can")
    # Lemonade takes no container: the line is refused and the reason given.
    assert await chat.cart_lines() == [] or all(
        c.group != "container" for line in await chat.cart_lines() for c in line.choices
    )
    assert turn.reply


async def test_no_thanks_to_anything_else_goes_to_checkout(chat: Chat) -> None:
    await chat.say("a greek salad")
    turn = await chat.say("no thanks")
    assert turn.state["intent"] == "checkout"
    assert turn.card("AUTH_REQUIRED")["step"] == "phone"


async def test_thats_all_after_adding_goes_to_checkout(chat: Chat) -> None:
    await chat.say("a mango sorbet")
    turn = await chat.say("that's all")
    assert turn.state["intent"] == "checkout"
    assert turn.state["pending"].intent == "checkout"
    assert "AUTH_REQUIRED" in turn.card_names


async def test_make_that_large_fits_the_size_to_the_last_line(chat: Chat) -> None:
    await chat.say("a margherita pizza")
    await chat.say("a sprite")
    turn = await chat.say("make that large")
    sprite = next(line for line in await chat.cart_lines() if line.item == "sprite")
    assert [c.option for c in sprite.choices if c.group == "drink_size"] == ["large"]
    assert turn.tool("update_cart_line")["args"]["choices"] == [
        {"group": "drink_size", "option": "large"}
    ]
    pizza = next(line for line in await chat.cart_lines() if line.item == "margherita_pizza")
    assert [c.option for c in pizza.choices if c.group == "pizza_size"] == ["medium"]
