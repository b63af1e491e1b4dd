"""Conversations about the menu and small talk, through the compiled graph."""

from __future__ import annotations

import uuid
from decimal import Decimal

from graph.replies import GREETING, pick
from tests.graph.conftest import Chat, ChatFactory


async def test_greet_names_the_restaurant(chat: Chat) -> None:
    turn = await chat.say("hi there")
    assert turn.state["intent"] == "greet"
    assert "Bella Forno" in turn.reply
    assert turn.tools == []
    assert turn.cards == []


async def test_help_explains_what_it_can_do(chat: Chat) -> None:
    turn = await chat.say("what can you do?")
    assert turn.state["intent"] == "help"
    assert "menu" in turn.reply
    assert "pickup" in turn.reply
    assert turn.tools == []


async def test_thanks_and_goodbye_are_answered_politely(chat: Chat) -> None:
    thanks = await chat.say("thank you")
    assert thanks.state["intent"] == "thanks"
    assert any(w in thanks.reply for w in ("welcome", "pleasure", "Anytime"))
    bye = await chat.say("bye")
    assert bye.state["intent"] == "goodbye"
    assert any(w in bye.reply for w in ("Bye", "Thanks for stopping by"))
    assert len([m for m in bye.state["messages"] if m.type == "ai"]) == 2


async def test_browse_menu_shows_every_category_and_a_menu_card(chat: Chat) -> None:
    turn = await chat.say("show me the menu")
    assert turn.state["intent"] == "browse_menu"
    assert turn.tool_names == ["search_menu"]
    data = turn.card("MENU_CARD")
    keys = {item["key"] for item in data["items"]}
    assert {"margherita_pizza", "coke", "tiramisu"} <= keys
    assert "pumpkin_cheesecake" not in keys  # unavailable items are not offered
    pizza = next(i for i in data["items"] if i["key"] == "margherita_pizza")
    assert pizza["price"] == "11.00"
    assert "vegetarian" in pizza["tags"]
    assert "gluten" in pizza["allergens"]
    assert [g["key"] for g in pizza["option_groups"]] == ["pizza_size", "crust", "toppings"]
    for label in ("Pizzas", "Burgers", "Desserts"):
        assert label in turn.reply


async def test_show_me_a_category_lists_it_and_orders_nothing(chat: Chat) -> None:
    await chat.say("two large pepperoni pizzas")
    turn = await chat.say("show me the salads")
    assert turn.state["intent"] == "browse_menu"
    keys = {item["key"] for item in turn.card("MENU_CARD")["items"]}
    assert {"caesar_salad", "garden_salad", "greek_salad"} <= keys
    assert "add_to_cart" not in turn.tool_names
    lines = [(line.item, line.quantity) for line in await chat.cart_lines()]
    assert lines == [("pepperoni_pizza", 2)]


async def test_browse_vegetarian_under_a_price_filters_the_card(chat: Chat) -> None:
    turn = await chat.say("what's vegetarian under $12?")
    assert turn.state["intent"] == "browse_menu"
    call = turn.tool("search_menu")
    assert call["args"]["tags"] == ["vegetarian"]
    items = turn.card("MENU_CARD")["items"]
    assert items
    for item in items:
        assert "vegetarian" in item["tags"]
        assert Decimal(item["price"]) <= Decimal("12")
    assert "for vegetarian, under $12.00:" in turn.reply


async def test_browse_without_an_allergen_leaves_it_out(chat: Chat) -> None:
    turn = await chat.say("show me something without dairy")
    assert turn.state["intent"] == "browse_menu"
    assert turn.tool("search_menu")["args"]["exclude_allergens"] == ["dairy"]
    items = turn.card("MENU_CARD")["items"]
    assert items
    assert all("dairy" not in item["allergens"] for item in items)
    assert "tiramisu" not in {item["key"] for item in items}


async def test_ask_item_describes_it_and_yes_adds_it(chat: Chat) -> None:
    turn = await chat.say("how much is the tiramisu?")
    assert turn.state["intent"] == "ask_item"
    assert turn.tool("describe_item")["args"] == {"item": "tiramisu"}
    assert "$7.50" in turn.reply
    assert "dairy" in turn.reply
    assert turn.card("MENU_CARD")["items"][0]["key"] == "tiramisu"
    assert turn.state["awaiting"] == "suggestion"
    yes = await chat.say("yes please")
    assert yes.tool("add_to_cart")["args"]["items"][0]["item"] == "tiramisu"
    assert [line.item for line in await chat.cart_lines()] == ["tiramisu"]


async def test_gibberish_gets_a_clarifying_question(chat: Chat) -> None:
    turn = await chat.say("asdkjh qwopeiru zzz")
    assert turn.state["intent"] == "unknown"
    assert turn.tools == []
    assert turn.cards == []
    assert "?" in turn.reply
    assert turn.state["awaiting"] == "clarify"
    assert await chat.cart_lines() == []


async def test_replies_vary_between_sessions_and_repeat_within_one(
    new_chat: ChatFactory,
) -> None:
    run = uuid.uuid4().hex[:8]
    replies = [(await new_chat(session_id=f"vary-{i}-{run}").say("hello")).reply for i in range(8)]
    assert len(set(replies)) > 1  # the wording varies with the session...
    # ...but is a function of session and turn, so a replayed turn reads the same.
    again = [pick(f"vary-{i}-{run}:1:greet", GREETING) for i in range(8)]
    assert replies == [text.format(name="Bella Forno") for text in again]


async def test_affirm_out_of_context_asks_what_they_mean(chat: Chat) -> None:
    turn = await chat.say("yes")
    assert turn.state["intent"] == "affirm"
    assert turn.tools == []
    assert "?" in turn.reply


async def test_deny_out_of_context_is_acknowledged(chat: Chat) -> None:
    turn = await chat.say("no")
    assert turn.state["intent"] == "deny"
    assert turn.tools == []
    assert any(w in turn.reply for w in ("No problem", "Okay"))


async def test_browse_with_no_match_says_so_and_shows_the_menu(chat: Chat) -> None:
    turn = await chat.say("anything spicy under $5?")
    assert "nothing on the menu matches spicy, under $5.00" in turn.reply
    first, second = (call["args"] for call in turn.tools)
    assert first["tags"] == ["spicy"]
    assert first["max_price"] == "5"
    assert second == {}  # then the whole menu
    assert len(turn.card("MENU_CARD")["items"]) > 10


async def test_ask_about_an_allergen_gets_a_direct_answer(chat: Chat) -> None:
    turn = await chat.say("does the garden salad have dairy?")
    assert turn.state["intent"] == "ask_item"
    assert turn.reply.startswith("Garden Salad has no dairy listed. It is $8.00.")
    caesar = await chat.say("does the caesar salad have fish?")
    assert caesar.reply.startswith("Heads up: Caesar Salad contains fish.")


async def test_a_number_answers_would_you_like_one(chat: Chat) -> None:
    await chat.say("how much is the cannoli?")
    turn = await chat.say("two please")
    assert turn.tool("add_to_cart")["args"]["items"] == [{"item": "cannoli", "quantity": 2}]
    assert [(line.item, line.quantity) for line in await chat.cart_lines()] == [("cannoli", 2)]


async def test_the_total_asked_any_way_is_the_carts_subtotal(new_chat: ChatFactory) -> None:
    for menu, order in (("burger", "a cheeseburger and fries"), ("pizzeria", "a large pizza")):
        chat = new_chat(menu)
        ordered = await chat.say(order)
        subtotal = ordered.card("CART_CARD")["subtotal"]
        for text in (
            "What is the total, please?",
            "what do I owe",
            "how much altogether",
            "what's it come to",
            "what's the bill",
        ):
            turn = await chat.say(text)
            assert turn.state["intent"] == "view_cart", text
            assert f"${subtotal}" in turn.reply, (text, turn.reply)
            assert turn.card("CART_CARD")["subtotal"] == subtotal


async def test_what_an_option_adds_is_its_price_not_the_carts(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await chat.say("two chicken burritos, one with black beans and one with pinto beans")
    # guacamole is a side dish too: "extra", "to add" mean the topping
    for text in (
        "how much extra is it to add guac?",
        "how much to add guacamole",
        "how much would it be to add guac on them",
        "what does guac cost extra",
    ):
        turn = await chat.say(text)
        assert turn.reply == "Guacamole is $1.50 extra.", (text, turn.reply)
        assert turn.tools == []
    side = await chat.say("how much to add queso?")  # a side only: its own price
    assert "$4.00" in side.reply
    assert [line.item for line in await chat.cart_lines()] == ["burrito", "burrito"]
    pizza = new_chat()
    await pizza.say("a large pepperoni pizza")
    turn = await pizza.say("how much extra to add mushrooms")
    assert turn.reply == "Mushrooms is $1.00 extra."


async def test_the_kinds_of_a_word_list_that_kind_only(new_chat: ChatFactory) -> None:
    sub = new_chat("sub")
    chips = await sub.say("what kinds of chips do you have?")
    keys = [item["key"] for item in chips.card("MENU_CARD")["items"]]
    assert keys == [
        "lays_classic",
        "baked_lays_original",
        "doritos_nacho_cheese",
        "sunchips_harvest_cheddar",
        "miss_vickies_jalapeno",
    ]
    assert "Doritos Nacho Cheese" in chips.reply
    assert "Chocolate Chip" not in chips.reply
    sodas = await sub.say("which sodas do you have")
    assert [i["key"] for i in sodas.card("MENU_CARD")["items"]] == ["coca_cola", "sprite"]
    cookies = await sub.say("what kind of cookies")
    assert len(cookies.card("MENU_CARD")["items"]) == 4
    drinks = await sub.say("what drinks do you have")
    assert len(drinks.card("MENU_CARD")["items"]) == 8
    assert "Gatorade" in drinks.reply  # few enough to name them all
    burger = new_chat("burger")
    shakes = await burger.say("what kind of shakes")
    assert [i["key"] for i in shakes.card("MENU_CARD")["items"]] == [
        "chocolate_shake",
        "strawberry_shake",
        "vanilla_shake",
    ]
    burgers = await burger.say("what burgers do you have")
    assert "chicken_sandwich" not in {i["key"] for i in burgers.card("MENU_CARD")["items"]}
    many = await burger.say("what drinks do you have")
    assert len(many.card("MENU_CARD")["items"]) == 15  # all on the card, a few in the text
    assert "and 7 more" in many.reply
    sides = await new_chat().say("what sides do you have")
    assert "garden_salad" not in {i["key"] for i in sides.card("MENU_CARD")["items"]}
    assert "Jalapeño Poppers" in sides.reply


async def test_a_party_said_before_the_order_is_answered_and_kept(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    # "kids" is a word of a drink's name, but a party of kids orders no drink
    party = await chat.say("it's for a birthday, 5 kids")
    assert "order for 5" in party.reply
    assert await chat.cart_lines() == []
    assert party.state["dialogue"].party == 5
    await chat.say("a milk each")
    assert [(line.item, line.quantity) for line in await chat.cart_lines()] == [("low_fat_milk", 5)]
    # a dish counted beside the party (one the menu lacks) is no party's greeting
    other = await new_chat("sub").say("3 pizzas for the 6 of us")
    assert "order for" not in other.reply
