"""Following a whole order: references, swaps, edits of earlier lines, repeats, splits and the
questions in between, through the compiled graph. Each test is one of the cases a customer met
before the dialogue state existed (the list of issue 16), or a rule the assistant keeps: it
never silently does something else."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.graph.conftest import Chat, ChatFactory

Line = tuple[str, int, frozenset[str]]


async def cart(chat: Chat) -> Counter[Line]:
    """The cart as (item, quantity, said options), identical lines summed."""
    out: Counter[Line] = Counter()
    for line in await chat.cart_lines():
        said = frozenset(
            ("no " if c.exclude else "") + (f"{c.qualifier} " if c.qualifier else "") + c.option
            for c in line.choices
            if not c.default
        )
        out[(line.item, 0, said)] += line.quantity
    return Counter({(item, count, said): 1 for (item, _, said), count in out.items()})


def lines(*spec: tuple[str, int, set[str]] | tuple[str, int]) -> Counter[Line]:
    """Expected lines: (item, quantity[, said options])."""
    found: Counter[Line] = Counter()
    for entry in spec:
        said = entry[2] if len(entry) == 3 else set()  # type: ignore[misc]
        found[(entry[0], entry[1], frozenset(said))] += 1
    return found


async def talk(chat: Chat, *turns: str) -> Any:
    for text in turns:
        last = await chat.say(text)
    return last


# --- swaps ------------------------------------------------------------------------------------


async def test_conversation_switch_my_coke_to_a_sprite(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    turn = await talk(chat, "a large pepperoni pizza and a coke", "switch my coke to a sprite")
    assert "sprite" in turn.reply.lower()
    assert await cart(chat) == lines(("pizza", 1, {"large", "pepperoni"}), ("sprite", 1))


async def test_conversation_actually_make_it_a_sprite_swaps_the_coke(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a coke please", "actually make it a sprite")
    assert await cart(chat) == lines(("sprite", 1))


async def test_conversation_a_swap_keeps_the_choices_the_new_item_takes(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large coke in a bottle", "make the coke a dr pepper")
    assert await cart(chat) == lines(("dr_pepper", 1, {"large", "bottle"}))


async def test_conversation_change_the_fries_to_curly_fries(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and fries", "change the fries to curly fries")
    assert await cart(chat) == lines(("cheese_burger", 1), ("curly_fries", 1))


# --- removing ---------------------------------------------------------------------------------


async def test_conversation_remove_one_of_the_pizzas(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    turn = await talk(chat, "two large pepperoni pizzas", "remove one of the pizzas")
    assert turn.tool("remove_from_cart")["args"]["quantity"] == 1
    assert await cart(chat) == lines(("pizza", 1, {"large", "pepperoni"}))


async def test_conversation_remove_one_of_two_different_pizzas_asks_which(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    ask = await talk(chat, "a pepperoni pizza and a ham pizza", "remove one of the pizzas")
    assert ask.state["awaiting"] == "which_line"
    assert "?" in ask.reply
    assert ask.state["quick_replies"][:2] == ["A pizza with pepperoni", "A pizza with ham"]
    assert "remove_from_cart" not in ask.tool_names
    await chat.say("the ham one")
    assert await cart(chat) == lines(("pizza", 1, {"pepperoni"}))


async def test_conversation_remove_a_pizza_by_its_style(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a hawaiian pizza and a pepperoni pizza", "remove the hawaiian")
    assert await cart(chat) == lines(("pizza", 1, {"pepperoni"}))


async def test_conversation_take_off_one_of_the_cookies(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a turkey sub and 3 cookies", "take off one of the cookies")
    assert await cart(chat) == lines(("turkey_breast", 1), ("chocolate_chip", 2))


# --- options on earlier lines -----------------------------------------------------------------


async def test_conversation_put_olives_on_it(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    turn = await talk(chat, "a large sausage pizza", "put olives on it")
    assert turn.tool("update_cart_line")
    assert await cart(chat) == lines(("pizza", 1, {"large", "sausage", "olives"}))


async def test_conversation_olives_on_both_of_them(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a ham pizza and a salami pizza", "olives on both of them please")
    assert await cart(chat) == lines(
        ("pizza", 1, {"ham", "olives"}), ("pizza", 1, {"salami", "olives"})
    )


async def test_conversation_an_edit_by_option_changes_only_that_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a pizza with ham and a pizza with mushrooms", "make the one with ham large")
    assert await cart(chat) == lines(("pizza", 1, {"ham", "large"}), ("pizza", 1, {"mushrooms"}))


async def test_conversation_an_option_alone_goes_on_the_line_that_takes_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    turn = await talk(chat, "a pepperoni pizza and a coke", "add mushrooms")
    assert await cart(chat) == lines(("pizza", 1, {"pepperoni", "mushrooms"}), ("coke", 1))
    assert "add_to_cart" not in turn.tool_names  # no generic pizza made up for the option


async def test_conversation_an_option_two_lines_take_is_asked_about(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    ask = await talk(chat, "a ham pizza and a salami pizza", "add mushrooms")
    assert ask.state["awaiting"] == "which_line"
    assert "Both" in ask.state["quick_replies"]
    await chat.say("both")
    assert await cart(chat) == lines(
        ("pizza", 1, {"ham", "mushrooms"}), ("pizza", 1, {"salami", "mushrooms"})
    )


async def test_conversation_instead_replaces_the_option(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito with white rice", "brown rice instead of white")
    assert await cart(chat) == lines(("burrito", 1, {"chicken", "brown_rice"}))


async def test_conversation_hold_the_mayo_on_that(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a coke and a tuna sub", "hold the mayo on that")
    assert await cart(chat) == lines(("coca_cola", 1), ("tuna", 1, {"no regular_mayonnaise"}))


# --- quantities, splits and repeats -----------------------------------------------------------


async def test_conversation_actually_make_that_three(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(
        chat, "two cheeseburgers and a large fries", "actually make that three cheeseburgers"
    )
    assert await cart(chat) == lines(("cheese_burger", 3), ("french_fries", 1, {"large"}))


async def test_conversation_two_of_them_iced_splits_the_line(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    turn = await talk(chat, "4 lattes", "two of them iced")
    assert turn.tool("split_cart_line")["args"]["quantity"] == 2
    assert await cart(chat) == lines(("latte", 2), ("latte", 2, {"iced"}))


async def test_conversation_another_one_of_those(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a meatball marinara with extra parmesan", "another one of those")
    assert await cart(chat) == lines(("meatball_marinara", 2, {"extra parmesan_cheese"}))


async def test_conversation_the_same_again_repeats_the_last_order(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak taco and a lemonade", "the same again")
    assert await cart(chat) == lines(("taco", 2, {"steak"}), ("tractor_lemonade", 2))


async def test_conversation_one_more_of_the_first(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with bacon and a vanilla shake", "one more of the first")
    assert await cart(chat) == lines(("cheese_burger", 2, {"bacon"}), ("vanilla_shake", 1))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("add -5 pepperoni pizzas", "-5"),
        ("add 0 cokes", "0"),
        ("2.5 pizzas please", "2.5"),
        ("1000000 pizzas", "1000000"),
    ],
)
async def test_conversation_impossible_quantities_say_the_limit(
    new_chat: ChatFactory, text: str, said: str
) -> None:
    chat = new_chat("pizzeria")
    turn = await chat.say(text)
    assert f'"{said}"' in turn.reply
    assert "1 to 99" in turn.reply
    assert await chat.cart_lines() == []


# --- questions in between ---------------------------------------------------------------------


async def test_conversation_how_much_is_that_prices_the_line_with_its_options(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    turn = await talk(chat, "one large pizza with pepperoni and mushrooms", "how much is that?")
    assert "$11.25" in turn.reply
    assert turn.tool_names == []


async def test_conversation_a_priced_dish_is_ordered_as_asked(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    asked = await chat.say("how much is a double cheeseburger with bacon?")
    assert "$13.25" in asked.reply
    await chat.say("ok I'll take one")
    assert await cart(chat) == lines(("double_cheese_burger", 1, {"bacon"}))


async def test_conversation_sizes_of_the_item_with_their_prices(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    turn = await chat.say("what sizes do your pizzas come in?")
    for size in ("small", "medium", "large", "party size", "personal size"):
        assert size in turn.reply
    assert "$" in turn.reply


async def test_conversation_whether_an_option_exists(new_chat: ChatFactory) -> None:
    coffee = new_chat("coffee")
    no = await coffee.say("do you have oat milk?")
    assert no.reply.startswith("Sorry, we don't have oat milk")
    burrito = new_chat("burrito")
    yes = await burrito.say("do you have tofu?")
    assert yes.reply.startswith("Yes!")
    assert "burrito" in yes.reply.lower()


async def test_conversation_whats_good_here_recommends(chat: Chat) -> None:
    turn = await chat.say("what's good here?")
    keys = [item["key"] for item in turn.card("MENU_CARD")["items"]]
    assert keys and all(key in {"margherita_pizza", "pepperoni_pizza", "meat_lovers_pizza",
                                "classic_cheeseburger", "cobb_salad", "french_fries",
                                "garlic_knots", "chicken_wings", "coke",
                                "chocolate_lava_cake"} for key in keys)  # fmt: skip
    assert keys[0] == "margherita_pizza"
    assert "favourites" in turn.reply


async def test_conversation_vegetarian_lists_mains_first(chat: Chat) -> None:
    turn = await chat.say("what's vegetarian?")
    keys = [item["key"] for item in turn.card("MENU_CARD")["items"]]
    assert keys[:6] == [
        "cheese_pizza",
        "margherita_pizza",
        "veggie_supreme_pizza",
        "four_cheese_pizza",
        "vegan_garden_pizza",
        "garden_veggie_burger",
    ]
    assert keys.index("sprite") > keys.index("garlic_knots") > keys.index("greek_salad")


async def test_conversation_a_dish_fits_a_diet_by_its_name_or_an_option(
    new_chat: ChatFactory,
) -> None:
    sub = await new_chat("sub").say("do you have anything vegetarian?")
    assert "veggie" in [item["key"] for item in sub.card("MENU_CARD")["items"]][:6]
    pizzeria = await new_chat("pizzeria").say("anything vegan?")
    assert next(item["key"] for item in pizzeria.card("MENU_CARD")["items"]) == "pizza"
    assert "vegan" in pizzeria.reply.lower()


async def test_conversation_the_menu_opens_with_mains_and_shows_every_dish(chat: Chat) -> None:
    turn = await chat.say("show me the menu")
    items = turn.card("MENU_CARD")["items"]
    assert items[0]["key"].endswith("pizza")
    available = [i for c in chat.menu.categories for i in c.items if i.available]
    assert len(items) == len(available)


# --- sign-in and the restaurant ---------------------------------------------------------------


async def test_conversation_a_delivery_question_starts_no_sign_in(chat: Chat) -> None:
    turn = await chat.say("do you deliver to Brooklyn?")
    assert turn.state["intent"] == "ask_restaurant"
    assert "AUTH_REQUIRED" not in turn.card_names
    assert turn.state.get("auth_step") is None
    assert "deliver" in turn.reply


async def test_conversation_questions_during_sign_in_are_answered(chat: Chat) -> None:
    await talk(chat, "a margherita pizza", "checkout")
    wait = await chat.say("how long does a pizza take?")
    assert "20 minutes" in wait.reply
    assert "phone number" in wait.reply  # the sign-in is offered again once...
    menu = await chat.say("show the menu")
    assert menu.card("MENU_CARD")["items"]
    assert "phone" not in menu.reply  # ...not repeated after every answer
    code = await chat.say("555 010 2030")
    assert code.card("AUTH_REQUIRED")["step"] == "code"


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("are you open?", "Yes, we're open until 10:00 PM"),
        ("when do you close?", "We close at 10:00 PM"),
        ("do you deliver to 10012?", "Yes, we deliver to 10012!"),
        ("how long for pickup?", "Pickup orders are ready in about 20 minutes"),
    ],
)
async def test_conversation_restaurant_questions_offline(
    chat: Chat, text: str, answer: str
) -> None:
    from datetime import UTC, datetime

    chat.clock.now = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)  # a Monday, 2:00 PM in New York
    turn = await chat.say(text)
    assert answer in turn.reply


async def test_conversation_checkout_while_closed_says_when_it_opens(chat: Chat) -> None:
    from datetime import UTC, datetime

    await chat.say("a margherita pizza")
    await chat.sign_in()
    chat.clock.now = datetime(2026, 5, 5, 3, 30, tzinfo=UTC)  # Monday 11:30 PM in New York
    turn = await chat.say("checkout")
    assert "we open again tomorrow at 11:00 AM" in turn.reply
    assert turn.state["checkout"] is None


# --- lessons from conversations written blind (tests/data/dialogues-blind*) --------------------
# Each rule in other words than the conversation it came from.


async def test_conversation_one_more_but_with_another_option_is_a_new_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    turn = await talk(
        chat, "a medium pizza with ham and olives", "one more but mushrooms instead of ham"
    )
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham", "olives"}), ("pizza", 1, {"medium", "mushrooms", "olives"})
    )
    assert (
        "added" in turn.reply.lower()
        or "got it" in turn.reply.lower()
        or "done" in turn.reply.lower()
    )


async def test_conversation_the_same_dish_with_another_filling(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(
        chat, "a chicken taco with corn salsa", "and the same taco with steak instead of chicken"
    )
    assert await cart(chat) == lines(
        ("taco", 1, {"chicken", "corn_salsa"}), ("taco", 1, {"steak", "corn_salsa"})
    )


async def test_conversation_another_one_with_more_options_copies_the_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a chicken sandwich with light mayo", "and another one with bacon")
    assert await cart(chat) == lines(
        ("chicken_sandwich", 1, {"light mayonnaise"}),
        ("chicken_sandwich", 1, {"light mayonnaise", "bacon"}),
    )


async def test_conversation_one_more_but_add_an_option_is_one_request(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna sub with lettuce", "one more but add pickles to it")
    assert await cart(chat) == lines(("tuna", 1, {"lettuce"}), ("tuna", 1, {"lettuce", "pickles"}))


async def test_conversation_same_again_with_a_change_copies_the_last_lines(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(
        chat, "a small latte", "add hazelnut syrup to it", "and the same for my sister but iced"
    )
    assert await cart(chat) == lines(
        ("latte", 1, {"small", "hazelnut_syrup"}), ("latte", 1, {"small", "hazelnut_syrup", "iced"})
    )


async def test_conversation_same_but_another_dish_keeps_the_options(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(
        chat, "an italian with provolone and spinach", "one more, same but a meatball marinara"
    )
    assert await cart(chat) == lines(
        ("italian", 1, {"provolone", "spinach"}), ("meatball_marinara", 1, {"provolone", "spinach"})
    )


async def test_conversation_no_on_an_option_the_customer_added_removes_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 turkey subs with olives and tomatoes", "one of them no olives")
    assert await cart(chat) == lines(
        ("turkey_breast", 1, {"black_olives", "tomatoes"}), ("turkey_breast", 1, {"tomatoes"})
    )


async def test_conversation_the_second_one_with_no_x_changes_the_second(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger and a cheeseburger", "the second one with no pickles")
    assert await cart(chat) == lines(("ham_burger", 1), ("cheese_burger", 1, {"no pickle"}))


async def test_conversation_the_first_two_and_the_middle_one(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(
        chat,
        "a steak taco, a chicken taco and a carnitas taco",
        "sour cream on the first two",
        "and cheese on the middle one",
    )
    assert await cart(chat) == lines(
        ("taco", 1, {"steak", "sour_cream"}),
        ("taco", 1, {"chicken", "sour_cream", "cheese"}),
        ("taco", 1, {"carnitas"}),
    )


async def test_conversation_an_option_taken_off_some_units_splits_the_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 steak bowls with guac", "take the guac off one of the bowls")
    assert await cart(chat) == lines(
        ("burrito_bowl", 2, {"steak", "guacamole"}), ("burrito_bowl", 1, {"steak"})
    )


async def test_conversation_units_with_options_of_their_own(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 small lattes", "two of them with vanilla syrup and one with caramel syrup")
    assert await cart(chat) == lines(
        ("latte", 2, {"small", "vanilla_syrup"}), ("latte", 1, {"small", "caramel_syrup"})
    )


async def test_conversation_remove_some_of_two_dishes_at_once(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 large cheese pizzas and 3 sprites", "take off one pizza and two sprites")
    counted = {item: n for (item, n, _) in await cart(chat)}
    assert counted == {"pizza": 2, "sprite": 1}


async def test_conversation_never_mind_x_y_instead_swaps(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a vanilla shake", "forget the shake, a root beer instead")
    assert await cart(chat) == lines(("cheese_burger", 1), ("root_beer", 1))


async def test_conversation_a_follow_up_price_question_prices_the_dish_asked_about(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    first = await chat.say("how much are the curly fries?")
    assert "$" in first.reply
    again = await chat.say("and a large?")
    assert "large curly fries" in again.reply.lower()
    await chat.say("ok i'll take that")
    assert await cart(chat) == lines(("curly_fries", 1, {"large"}))


async def test_conversation_a_dish_picked_by_a_word_of_its_name(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "which cookies do you have?", "3 oatmeal ones please")
    assert await cart(chat) == lines(("oatmeal_raisin", 3))


async def test_conversation_what_kinds_of_x_lists_the_group(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    turn = await chat.say("which roasts do you have?")
    assert "guatemalan" in turn.reply.lower() and "french" in turn.reply.lower()


async def test_conversation_same_size_copies_the_size(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a large coke", "and a root beer, same size")
    assert await cart(chat) == lines(("coca_cola", 1, {"large"}), ("root_beer", 1, {"large"}))


async def test_conversation_on_the_chicken_names_the_chicken_sandwich(chat: Chat) -> None:
    await talk(
        chat, "a classic cheeseburger and a crispy chicken sandwich", "no tomato on the chicken"
    )
    assert await cart(chat) == lines(
        ("classic_cheeseburger", 1), ("crispy_chicken_sandwich", 1, {"no tomato"})
    )


async def test_conversation_extra_of_a_side_that_is_a_topping(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito with guacamole", "more guac please")
    assert await cart(chat) == lines(("burrito", 1, {"steak", "extra guacamole"}))


async def test_conversation_without_the_cheese_takes_the_cheese_off(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 italians with swiss", "hold the cheese on one of them")
    assert await cart(chat) == lines(("italian", 1, {"swiss"}), ("italian", 1))


async def test_conversation_the_only_dish_found_is_offered(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    found = await chat.say("anything vegetarian?")
    assert found.state["awaiting"] == "suggestion"
    await chat.say("two please, one with pickles and one with ketchup")
    assert await cart(chat) == lines(
        ("vegan_burger", 1, {"pickle"}), ("vegan_burger", 1, {"ketchup"})
    )


async def test_conversation_a_line_named_then_the_change(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large americano and a latte", "for the latte, I'd like the italian roast")
    assert await cart(chat) == lines(("americano", 1, {"large"}), ("latte", 1, {"italian"}))


async def test_conversation_more_options_with_too(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a ham sub with swiss", "lettuce and tomatoes too")
    assert await cart(chat) == lines(("black_forest_ham", 1, {"swiss", "lettuce", "tomatoes"}))


async def test_conversation_the_hot_ones_are_the_ones_not_iced(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 lattes", "make one of them iced", "and one of the hot ones decaf")
    assert await cart(chat) == lines(("latte", 1), ("latte", 1, {"iced"}), ("latte", 1, {"decaf"}))


# --- lessons from the fourth blind batch ---------------------------------------------------------


async def test_conversation_never_mind_that_takes_the_last_edit_back(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with ham and a small coke", "make the pizza a medium")
    await chat.say("no, never mind that, keep it as it was")
    assert await cart(chat) == lines(("pizza", 1, {"large", "ham"}), ("coke", 1, {"small"}))


async def test_conversation_move_an_option_to_another_line(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna sub with bacon and an italian", "move the bacon to the italian")
    assert await cart(chat) == lines(("tuna", 1), ("italian", 1, {"bacon"}))


async def test_conversation_make_n_of_them_a_choice_in_a_terse_message(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 small lattes", "make 1 iced")
    assert await cart(chat) == lines(("latte", 2, {"small"}), ("latte", 1, {"small", "iced"}))


async def test_conversation_a_dish_said_again_with_options_changes_its_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 hamburgers and 2 cokes", "cokes large", "1 hamburger w/o pickles")
    assert await cart(chat) == lines(
        ("ham_burger", 1), ("ham_burger", 1, {"no pickle"}), ("coca_cola", 2, {"large"})
    )


async def test_conversation_all_of_the_lines_said_tersely(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 chicken tacos 1 steak taco", "all w/ corn salsa")
    assert await cart(chat) == lines(
        ("taco", 2, {"chicken", "corn_salsa"}), ("taco", 1, {"steak", "corn_salsa"})
    )


async def test_conversation_make_the_dish_its_sibling(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and large fries", "make fries garlic")
    assert await cart(chat) == lines(("cheese_burger", 1), ("garlic_fries", 1, {"large"}))


async def test_conversation_units_with_options_said_without_with(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 vanilla shakes", "make the shakes one small and one large")
    assert await cart(chat) == lines(
        ("vanilla_shake", 1, {"small"}), ("vanilla_shake", 1, {"large"})
    )


async def test_conversation_what_an_option_costs(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    turn = await chat.say("does jalapenos cost extra?")
    assert "jalapenos is $" in turn.reply.lower() and "extra" in turn.reply
    assert await cart(chat) == lines()


async def test_conversation_options_named_by_their_last_word_are_listed(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    turn = await chat.say("which crusts do you have?")
    assert "thin crust" in turn.reply and "stuffed crust" in turn.reply


async def test_conversation_a_question_and_an_order_in_two_sentences(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    turn = await chat.say("Do you have a lunch size? If so, a lunch size pizza with ham please.")
    assert "lunch size" in turn.reply.lower()
    assert await cart(chat) == lines(("pizza", 1, {"lunch_size", "ham"}))


async def test_conversation_make_it_a_count_the_menu_sells(chat: Chat) -> None:
    await talk(chat, "a dozen wings with bbq sauce", "actually make it 24")
    (line,) = await chat.cart_lines()
    assert line.quantity == 1
    assert {c.option for c in line.choices if not c.default} >= {"24"}


async def test_conversation_only_and_not_say_the_new_state(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 espressos", "2 espressos only")
    await talk(chat, "a latte", "i want cappuccino, not latte")
    assert await cart(chat) == lines(("espresso", 2), ("cappuccino", 1))


async def test_conversation_the_other_two_and_the_first_one(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 small lattes, 1 with honey", "the other 2 with caramel syrup")
    await chat.say("first one iced")  # the first line: the two with caramel
    assert await cart(chat) == lines(
        ("latte", 2, {"small", "caramel_syrup", "iced"}), ("latte", 1, {"small", "honey"})
    )


# --- who a dish is for ----------------------------------------------------------------------------


async def test_conversation_a_persons_dish_is_changed(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await chat.say("a cheeseburger for my husband, a cheeseburger for me and fries for the kids")
    await chat.say("no onions on his")
    await chat.say("mine with extra pickles")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"no onion"}),
        ("cheese_burger", 1, {"extra pickle"}),
        ("french_fries", 1),
    )


async def test_conversation_the_kids_ones(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await chat.say("two chicken tacos for the kids and a steak burrito for my wife")
    await chat.say("the kids' tacos with cheese and no lettuce")
    await chat.say("my wife's burrito with brown rice")
    assert await cart(chat) == lines(
        ("taco", 2, {"chicken", "cheese", "no romaine_lettuce"}),
        ("burrito", 1, {"steak", "brown_rice"}),
    )


# --- lessons from the fifth blind batch -----------------------------------------------------------


async def test_conversation_the_whole_order_again_for_someone(chat: Chat) -> None:
    await talk(chat, "a margherita pizza and an iced tea", "my friend wants the exact same")
    assert await cart(chat) == lines(("margherita_pizza", 2), ("iced_tea", 2))


async def test_conversation_one_more_of_a_kind_in_another_flavour(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a chocolate shake and fries", "one more shake but strawberry")
    assert await cart(chat) == lines(
        ("chocolate_shake", 1), ("french_fries", 1), ("strawberry_shake", 1)
    )


async def test_conversation_some_of_what_was_offered_and_more(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "how much is a can of sprite?", "ok three of those and a large pizza")
    counted = {item: n for (item, n, _) in await cart(chat)}
    assert counted == {"sprite": 3, "pizza": 1}


async def test_conversation_one_of_them_and_the_other(chat: Chat) -> None:
    await talk(chat, "two orders of wings", "make one of them bbq and the other buffalo")
    sauces = sorted(
        next(c.option for c in line.choices if c.group == "wing_sauce")
        for line in await chat.cart_lines()
    )
    assert sauces == ["bbq", "buffalo"]


async def test_conversation_switch_to_the_other_option_of_the_group(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito with red salsa", "swap the red salsa for the corn one")
    assert await cart(chat) == lines(("burrito", 1, {"steak", "corn_salsa"}))


async def test_conversation_the_second_of_two_units(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large latte with caramel syrup", "same again", "no syrup on the second one")
    assert await cart(chat) == lines(
        ("latte", 1, {"large", "caramel_syrup"}), ("latte", 1, {"large"})
    )


async def test_conversation_a_counted_option_replaces_its_other_count(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "an americano with an extra shot", "make it two extra shots")
    assert await cart(chat) == lines(("americano", 1, {"espresso_shot_2"}))


async def test_conversation_the_dish_asked_about_taken_by_its_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "how much is a small cappuccino?", "and a large?", "ok the large one then")
    assert await cart(chat) == lines(("cappuccino", 1, {"large"}))


async def test_conversation_go_back_with_a_change(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger", "actually make that a chicken sandwich")
    await chat.say("no, go back to the hamburger, with pickles")
    assert await cart(chat) == lines(("ham_burger", 1, {"pickle"}))


async def test_conversation_fillers_and_a_typo_put_right(chat: Chat) -> None:
    await talk(chat, "a margherita pizza, garlic knots and 2 spites", "lol sprites*")
    await chat.say("ok whatever, no garlic knots")
    assert await cart(chat) == lines(("margherita_pizza", 1), ("sprite", 2))


# --- lessons from the sixth blind batch -----------------------------------------------------------


async def test_conversation_the_other_one_too_gets_the_same_change(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small pizza with ham and a small pizza with olives")
    await talk(chat, "make the ham one thin crust", "and the other one too")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "ham", "thin_crust"}),
        ("pizza", 1, {"small", "olives", "thin_crust"}),
    )


async def test_conversation_everything_again_for_someone(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger", "and a vanilla shake", "the exact same for my wife")
    assert await cart(chat) == lines(("cheese_burger", 2), ("vanilla_shake", 2))


async def test_conversation_a_bare_side_that_is_a_topping_goes_on(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak bowl with white rice", "oh and guac!")
    turn = await chat.say("is guac extra?")
    assert "$1.50" in turn.reply
    assert await cart(chat) == lines(("burrito_bowl", 1, {"steak", "white_rice", "guacamole"}))


async def test_conversation_a_dish_of_a_kind_said_tersely_is_the_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger and curly fries", "large fries")
    assert await cart(chat) == lines(("ham_burger", 1), ("curly_fries", 1, {"large"}))


async def test_conversation_so_n_of_them(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "5 hamburgers and 5 cokes", "one of us doesnt want a drink so 4 cokes")
    assert await cart(chat) == lines(("ham_burger", 5), ("coca_cola", 4))


async def test_conversation_one_and_the_others(chat: Chat) -> None:
    await talk(chat, "3 classic cheeseburgers", "one well done, the others medium rare")
    counted = {frozenset(said): n for (_, n, said) in await cart(chat)}
    assert counted == {frozenset({"well_done"}): 1, frozenset({"medium_rare"}): 2}


async def test_conversation_a_question_after_a_clause(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    turn = await chat.say("im vegetarian, which of the sandwiches can i have?")
    assert "veggie" in turn.reply.lower()
    assert await cart(chat) == lines()


async def test_conversation_more_of_a_dish_with_other_options_is_an_order(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small cheese pizza", "two large pepperoni pizzas")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "cheese"}), ("pizza", 2, {"large", "pepperoni"})
    )


# --- lessons from the seventh blind batch --------------------------------------------


async def test_conversation_someone_wants_one_too(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small latte with honey", "my friend wants one too")
    await chat.say("and one for my sister too")
    assert await cart(chat) == lines(("latte", 3, {"small", "honey"}))


async def test_conversation_all_that_twice(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "an italian with banana peppers, plus doritos", "can i get all that twice")
    assert await cart(chat) == lines(
        ("italian", 2, {"banana_peppers"}), ("doritos_nacho_cheese", 2)
    )


async def test_conversation_another_one_named_by_its_option(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pizza with ham and a medium pizza with olives")
    await talk(chat, "remove the one with ham", "and add another olives one")
    assert await cart(chat) == lines(("pizza", 2, {"medium", "olives"}))


async def test_conversation_that_as_another_dish_that_many(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(
        chat, "a steak burrito with corn salsa", "can i get that as tacos instead, two of them"
    )
    assert await cart(chat) == lines(("taco", 2, {"steak", "corn_salsa"}))


async def test_conversation_no_x_on_any_of_a_kind(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger and a veggie burger", "no onions on any of the burgers")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"no onion"}), ("vegan_burger", 1, {"no onion"})
    )


async def test_conversation_a_restated_order_adds_the_new_dish_too(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and two large cokes", "actually one coke and one diet coke")
    counted = {item: n for (item, n, _) in await cart(chat)}
    assert counted == {"cheese_burger": 1, "coca_cola": 1, "diet_coke": 1}


async def test_conversation_another_of_a_dish_with_a_change_this_time(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a diet coke", "and another diet coke, large this time")
    assert await cart(chat) == lines(("diet_coke", 1), ("diet_coke", 1, {"large"}))


# --- lessons from the eighth blind batch --------------------------------------------------


async def test_conversation_first_and_second_split_a_line_of_two(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 chicken burritos", "the first with pinto beans and the second with black")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "pinto_beans"}), ("burrito", 1, {"chicken", "black_beans"})
    )


async def test_conversation_first_and_second_over_two_lines(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(
        chat, "a hamburger and a cheeseburger", "the first with bacon, the second with jalapenos"
    )
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"bacon"}), ("cheese_burger", 1, {"jalapenos"})
    )


async def test_conversation_a_greeting_before_a_question_orders_nothing(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    turn = await talk(chat, "hi, is the steak spicy?")
    assert turn.state["intent"] == "ask_item"
    assert await cart(chat) == lines()


async def test_conversation_the_one_named_by_a_word_of_its_dish(chat: Chat) -> None:
    await talk(
        chat, "a bacon cheeseburger and a classic cheeseburger", "make the bacon one well done"
    )
    assert await cart(chat) == lines(
        ("bacon_cheeseburger", 1, {"well_done"}), ("classic_cheeseburger", 1)
    )


async def test_conversation_a_count_before_the_dish_is_no_size(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "two 2 liter pepsis", "make it 3 pepsis")
    assert await cart(chat) == lines(("pepsi", 3, {"2_liter"}))


async def test_conversation_instead_replaces_the_option_of_its_kind(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pizza with mushrooms and black olives", "kalamata olives instead")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "mushrooms", "kalamata_olives"}))


async def test_conversation_no_x_pizza_removes_that_pizza(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(
        chat,
        "a large pizza with pepperoni and a large pizza with mushrooms",
        "no mushroom pizza anymore",
    )
    assert await cart(chat) == lines(("pizza", 1, {"large", "pepperoni"}))


async def test_conversation_add_to_his_dish_changes_it(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(
        chat, "a latte and a hot chocolate", "could you add whipped cream to his hot chocolate?"
    )
    assert await cart(chat) == lines(("latte", 1), ("hot_chocolate", 1, {"whipped_cream"}))


async def test_conversation_a_change_by_pronoun_then_a_new_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger", "add bacon to it as well, and two small fries")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"bacon"}), ("french_fries", 2, {"small"})
    )


async def test_conversation_same_again_for_a_named_line(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small latte and a large cappuccino", "same again for the latte")
    assert await cart(chat) == lines(("latte", 2, {"small"}), ("cappuccino", 1, {"large"}))


async def test_conversation_ill_take_another_but_changed(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large cappuccino", "i'll take another one of those but small")
    assert await cart(chat) == lines(("cappuccino", 1, {"large"}), ("cappuccino", 1, {"small"}))


async def test_conversation_on_a_bun_is_an_option_not_a_count(chat: Chat) -> None:
    await talk(chat, "a crispy chicken sandwich", "on a lettuce wrap")
    assert await cart(chat) == lines(("crispy_chicken_sandwich", 1, {"lettuce_wrap"}))


async def test_conversation_does_it_have_x_answers_what_is_in_it(chat: Chat) -> None:
    turn = await talk(chat, "a margherita pizza", "does it have basil on it?")
    assert "basil" in turn.reply.lower()


async def test_conversation_some_units_of_two_lines_removed(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(
        chat, "3 cheeseburgers and 3 cokes", "remove one of the cheeseburgers and one of the cokes"
    )
    assert await cart(chat) == lines(("cheese_burger", 2), ("coca_cola", 2))


# --- lessons from the ninth blind batch ---------------------------------------------------


async def test_conversation_a_clause_before_a_removal(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and 4 cokes", "way too many, take off 3 of the cokes")
    await talk(chat, "hmm you know what, forget the cheeseburger")
    assert await cart(chat) == lines(("coca_cola", 1))


async def test_conversation_the_bigger_one(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small latte and a large cappuccino", "put caramel syrup in the bigger one")
    assert await cart(chat) == lines(
        ("latte", 1, {"small"}), ("cappuccino", 1, {"large", "caramel_syrup"})
    )


async def test_conversation_a_drink_after_the_drinks_went_is_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and 2 cokes", "remove the cokes", "just 1 diet coke")
    assert await cart(chat) == lines(("cheese_burger", 1), ("diet_coke", 1))


async def test_conversation_and_the_other_dish_asked_after_a_price(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much is a chicken sandwich?")
    turn = await talk(chat, "and the garlic fries?")
    assert turn.state["intent"] == "ask_item"
    assert await cart(chat) == lines()


async def test_conversation_make_it_names_what_the_option_becomes(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito with pinto beans and cheese", "actually make it black beans")
    assert await cart(chat) == lines(("burrito", 1, {"steak", "black_beans", "cheese"}))


async def test_conversation_cancel_everything_before_an_order_empties_the_cart(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 chicken tacos")
    asked = await talk(chat, "cancel everything")
    assert asked.state["intent"] == "clear_cart"
    assert await cart(chat) == lines(("taco", 2, {"chicken"}))
    await talk(chat, "yes")
    assert await cart(chat) == lines()


async def test_conversation_a_line_by_when_it_was_ordered(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger", "a chicken sandwich", "add bacon to what i ordered first")
    assert await cart(chat) == lines(("cheese_burger", 1, {"bacon"}), ("chicken_sandwich", 1))


# --- questions that are not orders, and orders that sound like questions ----------------------


async def test_conversation_a_which_question_without_its_mark_orders_nothing(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    turn = await talk(chat, "do you have queso?", "which salsa is the spiciest")
    assert turn.state["intent"] == "browse_menu"
    assert await cart(chat) == lines()
    chat = new_chat()
    await talk(chat, "which of your pizzas are vegetarian")
    assert await cart(chat) == lines()


async def test_conversation_do_with_a_count_is_an_order(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 tuna subs", "actually cancel the tunas")
    await talk(chat, "do 2 cold cut combos instead with american cheese")
    assert await cart(chat) == lines(("cold_cut_combo", 2, {"american_cheese"}))


async def test_conversation_with_an_option_asked_then_taken(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "how much is the tuna sandwich?")
    asked = await talk(chat, "with bacon?")
    assert "10.50" in asked.reply
    assert await cart(chat) == lines()
    await talk(chat, "ok i'll get that")
    assert await cart(chat) == lines(("tuna", 1, {"bacon"}))


async def test_conversation_a_price_with_options_is_the_whole_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "do u guys do gluten free crust")
    asked = await talk(chat, "how much would a small one with gluten free crust be")
    assert "10.75" in asked.reply
    await talk(chat, "ok do that with spinach and feta")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "gluten_free_crust", "spinach", "feta_cheese"})
    )


async def test_conversation_take_both_dishes_asked_about(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much is the vegan burger?", "ok and the curly fries?")
    assert await cart(chat) == lines()
    await talk(chat, "ok i'll take both")
    assert await cart(chat) == lines(("vegan_burger", 1), ("curly_fries", 1))


# --- edits said briefly -------------------------------------------------------------------------


async def test_conversation_and_the_other_line_with_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "large garlic fries and a strawberry shake", "make the fries small")
    await talk(chat, "and the shake large")
    assert await cart(chat) == lines(
        ("garlic_fries", 1, {"small"}), ("strawberry_shake", 1, {"large"})
    )


async def test_conversation_the_same_count_too(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 medium pepperoni pizzas and 3 cokes", "make that 5 pizzas")
    await talk(chat, "and 5 cokes too then")
    assert await cart(chat) == lines(("pizza", 5, {"medium", "pepperoni"}), ("coke", 5))


async def test_conversation_a_reason_around_the_request_is_let_be(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "6 cheeseburgers", "plus 6 cokes", "ugh 2 people just cancelled, so 4 of each")
    assert await cart(chat) == lines(("cheese_burger", 4), ("coca_cola", 4))
    chat = new_chat("coffee")
    await talk(chat, "4 cappuccinos for the team", "make that 5, forgot myself")
    assert await cart(chat) == lines(("cappuccino", 5))


async def test_conversation_no_worries_is_no_correction(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "do you have horchata?", "ok no worries, a blackberry izze then")
    assert await cart(chat) == lines(("blackberry_izze", 1))


async def test_conversation_instead_of_an_option_the_line_lacks(new_chat: ChatFactory) -> None:
    chat = new_chat()
    await talk(chat, "caesar salad with chicken", "can i get ranch instead of the caesar dressing")
    assert await cart(chat) == lines(("caesar_salad", 1, {"ranch", "chicken"}))


async def test_conversation_the_big_one_and_the_one_with_its_name(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small pepperoni pizza and an extra large pepperoni pizza")
    await talk(chat, "put mushrooms on the big one")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "pepperoni"}),
        ("pizza", 1, {"extra_large", "pepperoni", "mushrooms"}),
    )
    chat = new_chat()
    await talk(chat, "a cheese pizza and a pepperoni pizza, both large")
    await talk(chat, "add mushrooms to the one with pepperoni")
    assert await cart(chat) == lines(
        ("cheese_pizza", 1, {"large"}), ("pepperoni_pizza", 1, {"large", "mushrooms"})
    )


async def test_conversation_someone_wants_a_dish_not_ordered_yet(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a double cheeseburger", "for my son a hamburger with no tomato")
    await talk(chat, "my daughter wants the chicken sandwich")
    assert await cart(chat) == lines(
        ("double_cheese_burger", 1), ("ham_burger", 1, {"no tomato"}), ("chicken_sandwich", 1)
    )


# --- a dish named beside the one offered, options apart from their dish -------------------------


async def test_conversation_another_dish_than_the_one_offered(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "do you have anything without meat?")
    await talk(chat, "ok the salad then, with lettuce, tomato and extra onion")
    assert await cart(chat) == lines(("salad", 1, {"lettuce", "tomato", "extra onion"}))


async def test_conversation_the_dish_offered_with_its_options_said_after(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "is there anything vegetarian?")
    await talk(chat, "ok the veggie one then with guac, spinach and tomatoes")
    assert await cart(chat) == lines(("veggie", 1, {"guacamole", "spinach", "tomatoes"}))
    chat = new_chat("coffee")
    await talk(chat, "what syrups do you have?", "hazelnut sounds good, a large latte with that")
    assert await cart(chat) == lines(("latte", 1, {"large", "hazelnut_syrup"}))


async def test_conversation_dishes_by_a_word_after_a_listing(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "what milkshakes do you have")
    await talk(chat, "ok a large strawberry one and a small chocolate one")
    assert await cart(chat) == lines(
        ("strawberry_shake", 1, {"large"}), ("chocolate_shake", 1, {"small"})
    )
    chat = new_chat("burger")
    await talk(chat, "whats the difference between all the fries you have")
    await talk(chat, "ill try the curly ones, medium")
    assert await cart(chat) == lines(("curly_fries", 1, {"medium"}))


async def test_conversation_the_cheaper_of_the_dishes_asked_about(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much is the double cheese burger", "and the regular cheese burger?")
    await talk(chat, "ok ill get 2 of the cheaper one")
    assert await cart(chat) == lines(("cheese_burger", 2))


# --- copies, corrections and a word's sense -----------------------------------------------------


async def test_conversation_a_third_one_but_changed(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "barbacoa burrito with white rice", "another one of those")
    await talk(chat, "and a third one but with chicken instead of barbacoa")
    assert await cart(chat) == lines(
        ("burrito", 2, {"barbacoa", "white_rice"}), ("burrito", 1, {"chicken", "white_rice"})
    )
    chat = new_chat("burrito")
    await talk(chat, "a quesadilla with chicken")
    await talk(chat, "And my husband would like the same quesadilla, but with steak instead.")
    assert await cart(chat) == lines(("quesadilla", 1, {"chicken"}), ("quesadilla", 1, {"steak"}))


async def test_conversation_by_this_i_meant_that(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "one steak taco and one chicken taco, both with salsa")
    await talk(chat, "by salsa i meant the corn one")
    assert await cart(chat) == lines(
        ("taco", 1, {"steak", "corn_salsa"}), ("taco", 1, {"chicken", "corn_salsa"})
    )


async def test_conversation_an_option_by_its_own_name_first(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 medium cappuccinos", "make one of them decaf")
    await talk(chat, "and the other two with cinnamon on top")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"regular", "decaf"}), ("cappuccino", 2, {"regular", "cinnamon"})
    )


async def test_conversation_the_biggest_size(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger", "and like a huge coke. biggest you have")
    assert await cart(chat) == lines(("cheese_burger", 1), ("coca_cola", 1, {"extra_large"}))


async def test_conversation_a_side_that_is_a_topping_too(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito and a steak burrito, both with white rice")
    await talk(chat, "the steak one gets guac")
    await talk(chat, "also a guacamole on the side")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "white_rice"}),
        ("burrito", 1, {"steak", "white_rice", "guacamole"}),
        ("guacamole", 1),
    )


async def test_conversation_everything_with(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 chicken burritos and a tofu salad")
    await talk(chat, "everything with white rice and black beans")
    assert await cart(chat) == lines(
        ("burrito", 3, {"chicken", "white_rice", "black_beans"}),
        ("salad", 1, {"tofu", "white_rice", "black_beans"}),
    )


async def test_conversation_a_serving_of_a_dish_not_ordered_yet(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a plain hamburger and a cup of coffee")
    await talk(chat, "Could you also add a small order of the baby carrots? Thank you kindly.")
    assert await cart(chat) == lines(
        ("ham_burger", 1), ("coffee", 1), ("baby_carrots", 1, {"small"})
    )


async def test_conversation_a_count_put_right_in_a_sentence_after(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a steak and cheese", "and a gatorade. 2 actually")
    assert await cart(chat) == lines(("steak_and_cheese", 1), ("gatorade", 2))
    chat = new_chat("sub")
    turn = await talk(chat, "a tuna sub", "Also one orange juice. How much is all?")
    assert await cart(chat) == lines(("tuna", 1), ("orange_juice", 1))
    assert turn.state["intent"] == "view_cart"


async def test_conversation_a_bare_list_of_options(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "italian", "provolone", "lettuce tomato onion")
    assert await cart(chat) == lines(
        ("italian", 1, {"provolone", "lettuce", "tomatoes", "red_onions"})
    )
    chat = new_chat()
    await talk(chat, "24 wings, lemon pepper")
    assert await cart(chat) == lines(("chicken_wings", 1, {"24", "lemon_pepper"}))


async def test_conversation_for_a_dish_then_its_options(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "One cappuccino large, and one espresso coffee")
    await talk(chat, "And for espresso, put one extra shot")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"large"}), ("espresso", 1, {"espresso_shot_1"})
    )


async def test_conversation_i_meant_another_dish_not_that_one(new_chat: ChatFactory) -> None:
    chat = new_chat()
    await talk(chat, "can i get the jalapeno poppers")
    await talk(chat, "sorry i meant the jalapeno popper burger, not the poppers")
    assert await cart(chat) == lines(("jalapeno_popper_burger", 1))


async def test_conversation_never_mind_then_the_options(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a cold cut combo")
    await talk(chat, "actually nvm, just lettuce and mustard on it")
    assert await cart(chat) == lines(("cold_cut_combo", 1, {"lettuce", "yellow_mustard"}))


async def test_conversation_a_count_and_a_reason(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "5 hamburgers and 5 small fries for the team")
    await talk(chat, "actually 4 of each, one guy left")
    assert await cart(chat) == lines(("ham_burger", 4), ("french_fries", 4, {"small"}))


async def test_conversation_one_of_them_plain(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "4 medium pizzas with pepperoni", "make one of them just a plain pizza")
    assert await cart(chat) == lines(
        ("pizza", 3, {"medium", "pepperoni"}), ("pizza", 1, {"medium"})
    )


async def test_conversation_an_option_with_all_of_them(new_chat: ChatFactory) -> None:
    chat = new_chat()
    await talk(chat, "3 orders of garlic knots", "ranch with all three")
    assert await cart(chat) == lines(("garlic_knots", 3, {"ranch"}))


async def test_conversation_can_you_make_a_dish_not_ordered(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    asked = await talk(chat, "can you make the hot chocolate skinny?")
    assert asked.state["intent"] == "ask_item"
    assert await cart(chat) == lines()
    await talk(chat, "cool, a large skinny hot chocolate then")
    assert await cart(chat) == lines(("hot_chocolate", 1, {"large", "skinny"}))


async def test_conversation_a_sound_before_the_request(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "steak sub w extra cheddar", "hmm and add bacon")
    assert await cart(chat) == lines(("steak_and_cheese", 1, {"extra monterey_cheddar", "bacon"}))


async def test_conversation_the_kids_one_and_my_friends(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito for me and a cheese quesadilla for my son")
    await talk(chat, "can the kid's one have chicken in it too")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak"}), ("quesadilla", 1, {"cheese", "chicken"})
    )
    chat = new_chat("coffee")
    await talk(chat, "i'll have a regular americano and my friend wants a large hot chocolate")
    await talk(chat, "can you put whipped cream on my friend's")
    assert await cart(chat) == lines(
        ("americano", 1, {"regular"}), ("hot_chocolate", 1, {"large", "whipped_cream"})
    )


async def test_conversation_thats_it_after_an_offer_takes_nothing(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 cheeseburgers", "whats the difference between a cheeseburger and a double")
    await talk(chat, "ok thx thats it")
    assert await cart(chat) == lines(("cheese_burger", 2))
    chat = new_chat("burger")
    await talk(chat, "how much is a cheeseburger", "yes thats it")
    assert await cart(chat) == lines(("cheese_burger", 1))


async def test_conversation_a_count_its_option_has_already(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a 2 liter coke", "ok make it 2 of the cokes")
    assert await cart(chat) == lines(("coke", 2, {"2_liter"}))


async def test_conversation_an_option_off_the_dish_its_size_names(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "small pizza with ham", "also a large w sausage and jalapenos")
    await talk(chat, "wait take the jalapenos off the large, my wife cant do spicy")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "ham"}), ("pizza", 1, {"large", "sausage"})
    )


async def test_conversation_all_three_are_the_lines(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 chicken tacos and 1 steak taco", "ugh actually make all 3 steak")
    assert await cart(chat) == lines(("taco", 3, {"steak"}))


async def test_conversation_the_one_named_then_what_it_gets(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "chicken taco, steak taco, carnitas taco", "the chicken one with sour cream")
    assert await cart(chat) == lines(
        ("taco", 1, {"chicken", "sour_cream"}), ("taco", 1, {"steak"}), ("taco", 1, {"carnitas"})
    )


async def test_conversation_more_of_an_option_the_line_has(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(
        chat, "bowl with chicken and steak, white rice, pinto beans", "extra chicken on that"
    )
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"extra chicken", "steak", "white_rice", "pinto_beans"})
    )


async def test_conversation_make_one_another_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "chicken and bacon ranch x2", "make one a buffalo chicken instead")
    await talk(chat, "both w pepperjack")
    assert await cart(chat) == lines(
        ("chicken_and_bacon_ranch", 1, {"pepperjack"}), ("buffalo_chicken", 1, {"pepperjack"})
    )


async def test_conversation_light_on_the_rice_is_no_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    first = await talk(chat, "steak burrito w white rice but light on the rice, black beans")
    assert "couldn't find" not in first.reply
    await talk(chat, "which salsa is the hottest", "add a little red salsa too")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "light white_rice", "black_beans", "light red_chili_salsa"})
    )


async def test_conversation_one_line_for_two_people(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "Two italians for me and my wife, with oil, salt and black pepper.")
    await talk(chat, "She wants hers without onions, and mine with extra banana peppers.")
    plain = {"oil", "salt", "black_pepper"}
    assert await cart(chat) == lines(
        ("italian", 1, {*plain, "no red_onions"}),
        ("italian", 1, {*plain, "extra banana_peppers"}),
    )
    chat = new_chat("coffee")
    await talk(chat, "Morning! For me and my husband: two large americanos.")
    await talk(chat, "Mine with just a little vanilla syrup please.")
    await talk(chat, "And he wants an extra shot in his.")
    assert await cart(chat) == lines(
        ("americano", 1, {"large", "light vanilla_syrup"}),
        ("americano", 1, {"large", "espresso_shot_1"}),
    )


async def test_conversation_one_for_each_person(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    said = await talk(
        chat, "Can I get three cheeseburgers? One for me, one for my wife and one for my daughter."
    )
    assert "one for your wife" in said.reply
    await talk(chat, "My wife wants bacon on hers.", "And my daughter wants hers without cheese.")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("cheese_burger", 1, {"bacon"}), ("cheese_burger", 1, {"no cheddar"})
    )


async def test_conversation_a_bowl_made_a_burrito_instead(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(
        chat, "steak bowl with pinto beans and corn salsa", "can you make it a burrito instead"
    )
    assert await cart(chat) == lines(("burrito", 1, {"steak", "pinto_beans", "corn_salsa"}))


async def test_conversation_one_with_one_without(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "two chicken tacos", "one with sour cream, one without")
    assert await cart(chat) == lines(
        ("taco", 1, {"chicken", "sour_cream"}), ("taco", 1, {"chicken", "no sour_cream"})
    )


async def test_conversation_for_the_little_one_is_a_child(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large latte", "and a small hot chocolate for the little one")
    assert await cart(chat) == lines(("latte", 1, {"large"}), ("hot_chocolate", 1, {"small"}))


async def test_conversation_the_second_of_a_kind(new_chat: ChatFactory) -> None:
    chat = new_chat()
    await talk(chat, "a cheeseburger and a bacon burger", "the second burger on a pretzel bun")
    await talk(chat, "and no pickles on the first")
    assert await cart(chat) == lines(
        ("bacon_cheeseburger", 1, {"pretzel"}), ("classic_cheeseburger", 1, {"no pickles"})
    )


async def test_conversation_ordinals_said_out_of_order(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 burrito bowls, first one chicken, second one steak")
    await talk(chat, "the second one with brown rice, the first with white rice")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken", "white_rice"}), ("burrito_bowl", 1, {"steak", "brown_rice"})
    )


async def test_conversation_what_stays_after_what_comes_off(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(
        chat, "one lunch size pizza with tuna and olives", "actually take the olives off, just tuna"
    )
    assert await cart(chat) == lines(("pizza", 1, {"lunch_size", "tuna"}))


async def test_conversation_a_dish_not_wanted_beside_one_ordered(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "are your cookies nut free?")
    await talk(chat, "i'll skip the macadamia then. one raspberry cheesecake cookie")
    assert await cart(chat) == lines(("raspberry_cheesecake", 1))


async def test_conversation_the_chips_swapped_are_no_dish_to_add(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "and miss vickies chips", "actually switch the chips to doritos")
    assert await cart(chat) == lines(("doritos_nacho_cheese", 1))


async def test_conversation_an_option_put_inside(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "burrito with pork and white rice", "also corn salsa inside")
    assert await cart(chat) == lines(("burrito", 1, {"carnitas", "white_rice", "corn_salsa"}))


async def test_conversation_a_count_then_actually(new_chat: ChatFactory) -> None:
    chat = new_chat()
    await talk(chat, "and a lava cake", "2 lava cakes actually")
    assert await cart(chat) == lines(("chocolate_lava_cake", 2))
    await talk(chat, "a garden salad", "eh drop the salad")
    assert await cart(chat) == lines(("chocolate_lava_cake", 2))


async def test_conversation_taken_off_then_another_instead(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "and for me a flavored latte")
    await talk(chat, "hmm scratch the latte, just a large cappuccino for me")
    assert await cart(chat) == lines(("cappuccino", 1, {"large"}))
    chat = new_chat("burger")
    await talk(chat, "cheeseburger, apple slices and a milk for my kid")
    await talk(chat, "hmm take the apple slices off, swap them for baby carrots")
    assert await cart(chat) == lines(("cheese_burger", 1), ("milk", 1), ("baby_carrots", 1))


async def test_conversation_each_line_restated(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "burger, fries, coke", "fries large, coke large")
    assert await cart(chat) == lines(
        ("ham_burger", 1), ("french_fries", 1, {"large"}), ("coca_cola", 1, {"large"})
    )


async def test_conversation_a_second_one_same_or_just(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "quesadilla w chicken", "ok add a second quesadilla, same thing")
    assert await cart(chat) == lines(("quesadilla", 2, {"chicken"}))
    chat = new_chat("pizzeria")
    await talk(
        chat, "2 medium pizzas w anchovies and olives", "and one more medium with just pepperoni"
    )
    assert await cart(chat) == lines(
        ("pizza", 2, {"medium", "anchovies", "olives"}), ("pizza", 1, {"medium", "pepperoni"})
    )


async def test_conversation_a_reason_naming_someone(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "two hamburgers, a chicken sandwich, and two salads")
    said = await talk(chat, "Ah, Sam isn't coming in today. Remove one of the salads please.")
    assert "couldn't find" not in said.reply
    assert await cart(chat) == lines(("ham_burger", 2), ("chicken_sandwich", 1), ("salad", 1))
    chat = new_chat("pizzeria")
    await talk(chat, "2 large pepperoni pizzas and 1 medium bbq chicken pizza")
    await talk(chat, "one of the girls can't eat it, so please just take the bbq chicken one off")
    assert await cart(chat) == lines(("pizza", 2, {"large", "pepperoni"}))


async def test_conversation_some_of_a_line_made_plain(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "6 hamburgers with ketchup and mustard", "and 2 of the burgers plain please")
    assert await cart(chat) == lines(("ham_burger", 4, {"ketchup", "mustard"}), ("ham_burger", 2))


async def test_conversation_and_the_next_one_off_too(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "two meatball marinaras, a bag of lays and 2 orange juices")
    await talk(chat, "remove one orange juice", "and the lays")
    assert await cart(chat) == lines(("meatball_marinara", 2), ("orange_juice", 1))


async def test_conversation_no_this_that_instead(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(
        chat, "2 medium pizzas with ham", "and one of the pizzas with no ham, mushrooms instead"
    )
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham"}), ("pizza", 1, {"medium", "mushrooms"})
    )


async def test_conversation_one_too_for_someone_then_theirs(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small cappuccino with crumbles", "my friend wants one too")
    await talk(chat, "but hers with no crumbles, honey instead")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"small", "crumbles"}), ("cappuccino", 1, {"small", "honey"})
    )


async def test_conversation_a_question_about_an_option_changes_nothing(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "quesadilla with chicken", "how spicy is the red salsa?")
    assert await cart(chat) == lines(("quesadilla", 1, {"chicken"}))


async def test_conversation_this_not_that_and_scratch(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "cappucino iced with vanilla", "no wait caramel syrup not vanilla")
    assert await cart(chat) == lines(("cappuccino", 1, {"iced", "caramel_syrup"}))
    chat = new_chat("sub")
    await talk(chat, "oven roasted chicken w honey mustard", "add black pepper and salt")
    await talk(chat, "scratch the salt")
    assert await cart(chat) == lines(("oven_roasted_chicken", 1, {"honey_mustard", "black_pepper"}))


async def test_conversation_parts_said_plainly(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 chicken and bacon ranch", "one with pepperjack one with cheddar")
    assert await cart(chat) == lines(
        ("chicken_and_bacon_ranch", 1, {"pepperjack"}),
        ("chicken_and_bacon_ranch", 1, {"monterey_cheddar"}),
    )
    chat = new_chat("coffee")
    await talk(chat, "2 americanos", "one iced, one hot")
    assert await cart(chat) == lines(("americano", 1), ("americano", 1, {"iced"}))
    chat = new_chat("burrito")
    await talk(chat, "2 burritos, both chicken", "first one w black beans, second w pinto")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "black_beans"}), ("burrito", 1, {"chicken", "pinto_beans"})
    )


async def test_conversation_make_both_one_flavour(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(
        chat, "can i get a chocolate shake and a strawberry shake", "no wait make both chocolate"
    )
    assert await cart(chat) == lines(("chocolate_shake", 2))


async def test_conversation_never_mind_just_the_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "americano", "do u have oat milk?", "ok nvm just the americano. make it large")
    assert await cart(chat) == lines(("americano", 1, {"large"}))


async def test_conversation_for_the_two_of_them(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "Two large meat lovers pizzas please.")
    await talk(chat, "And a large veggie pizza for the two vegetarians.")
    assert await cart(chat) == lines(
        ("pizza", 2, {"large", "meat_lover"}), ("pizza", 1, {"large", "vegetarian"})
    )


async def test_conversation_two_of_them_decaf_after_one(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 large drip coffees", "make one of them decaf")
    await talk(chat, "actually make that two of them decaf")
    assert await cart(chat) == lines(
        ("drip_coffee", 1, {"large"}), ("drip_coffee", 2, {"large", "decaf"})
    )


async def test_conversation_swap_one_for_another_pizza(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "two medium margherita pizzas", "swap one of those for a medium mexican")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "margherita"}), ("pizza", 1, {"medium", "mexican"})
    )


# --- a slip put right in the same breath, and more of the blind conversations ------------------


async def test_conversation_an_option_taken_back_in_the_same_breath(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "steak bowl, white rice, no wait brown rice, pinto beans, corn salsa")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak", "brown_rice", "pinto_beans", "corn_salsa"})
    )


async def test_conversation_a_size_taken_back_keeps_the_rest(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "americano large, no sorry extra large, with an extra shot")
    assert await cart(chat) == lines(("americano", 1, {"extra_large", "espresso_shot_1"}))


async def test_conversation_a_dish_taken_back_in_the_same_breath(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a coke, no wait a sprite")
    assert await cart(chat) == lines(("sprite", 1))


async def test_conversation_one_of_the_pepperoni_ones_with_no_cheese(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "5 large pizzas: 3 pepperoni and 2 vegetarian")
    await talk(chat, "make one of the pepperoni ones with no cheese")
    assert await cart(chat) == lines(
        ("pizza", 2, {"large", "pepperoni"}),
        ("pizza", 1, {"large", "pepperoni", "no cheese"}),
        ("pizza", 2, {"large", "vegetarian"}),
    )


async def test_conversation_the_fries_down_to_one_stay_the_fries(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 large garlic fries", "change the fries to just 1")
    assert await cart(chat) == lines(("garlic_fries", 1, {"large"}))


async def test_conversation_no_make_that_another_side(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "hamburger extra bacon", "and a side of carrots", "no make that apple slices")
    assert await cart(chat) == lines(("ham_burger", 1, {"extra bacon"}), ("apple_slices", 1))


async def test_conversation_never_mind_the_question_then_an_order(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "one double cheesburger no lettuce", "do you have gluten free buns?")
    await talk(chat, "ok nvm. add small garlic fries")
    assert await cart(chat) == lines(
        ("double_cheese_burger", 1, {"no lettuce"}), ("garlic_fries", 1, {"small"})
    )


async def test_conversation_make_the_rice_light(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "veggie bowl, white rice, black beans", "make the rice light")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"veggie", "light white_rice", "black_beans"})
    )


async def test_conversation_the_same_for_him_with_more_on_his(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with bacon and tomato")
    await talk(chat, "And the same for my husband but add onion on his.")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"bacon", "tomato"}),
        ("cheese_burger", 1, {"bacon", "tomato", "onion"}),
    )


async def test_conversation_another_dish_with_the_same_stuff(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "burrito bowl chicken white rice black beans")
    await talk(chat, "and a burrito with the same stuff", "put guac on both")
    said = {"chicken", "white_rice", "black_beans", "guacamole"}
    assert await cart(chat) == lines(("burrito_bowl", 1, said), ("burrito", 1, said))


async def test_conversation_a_listed_one_said_as_a_small_one(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(
        chat,
        "we need 3 pizzas: a large pepperoni, a large sausage, and a small one with just extra "
        "cheese for my son",
    )
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "pepperoni"}),
        ("pizza", 1, {"large", "sausage"}),
        ("pizza", 1, {"small", "extra cheese"}),
    )


async def test_conversation_no_wait_just_one_of_the_options_added(new_chat: ChatFactory) -> None:
    chat = new_chat()
    await talk(chat, "pepperoni pizza", "add jalapenos and pineapple", "no wait just pineapple")
    assert await cart(chat) == lines(("pepperoni_pizza", 1, {"pineapple"}))


async def test_conversation_counts_of_kinds_said_by_their_word(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "4 vanilla shakes", "wait, 3 vanilla and 1 chocolate", "all large")
    assert await cart(chat) == lines(
        ("vanilla_shake", 3, {"large"}), ("chocolate_shake", 1, {"large"})
    )


async def test_conversation_make_it_hot_takes_the_ice_off(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "iced americano", "make it hot")
    assert await cart(chat) == lines(("americano", 1))


async def test_conversation_one_of_them_hot_splits_the_line(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "2 iced lattes", "make one of them hot")
    assert await cart(chat) == lines(("latte", 1, {"iced"}), ("latte", 1))


async def test_conversation_a_misspelt_dish_keeps_its_last_word(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "can i hav a chiken sandwich with bacon pls", "and sweet potatoe fries")
    assert await cart(chat) == lines(("chicken_sandwich", 1, {"bacon"}), ("sweet_potato_fries", 1))


# --- added for blind18 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("venue", "said", "expected"),
    [
        (
            "pizzeria",
            "a large hawaiian no wait a large margherita",
            ("pizza", 1, {"large", "margherita"}),
        ),
        ("pizzeria", "one pizza with shrimp, no wait, with tuna", ("pizza", 1, {"tuna"})),
        ("burger", "large coke no wait diet coke", ("diet_coke", 1, {"large"})),
        ("burger", "3 chocolate shakes, no sorry, 2", ("chocolate_shake", 2)),
        ("coffee", "2 large lattes, no wait, 2 extra large", ("latte", 2, {"extra_large"})),
        (
            None,  # the demo menu
            "a jalapeno popper burger medium well, no, well done",
            ("jalapeno_popper_burger", 1, {"well_done"}),
        ),
    ],
)
async def test_conversation_a_phrase_or_number_put_right_in_the_same_breath(
    new_chat: ChatFactory, venue: str | None, said: str, expected: tuple[str, int, set[str]]
) -> None:
    chat = new_chat(venue)
    await talk(chat, said)
    assert await cart(chat) == lines(expected)


async def test_conversation_an_option_that_opens_an_order_is_no_edit(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "extra large meat lovers pizza", "and 2 cokes")
    assert await cart(chat) == lines(("pizza", 1, {"extra_large", "meat_lover"}), ("coke", 2))


async def test_conversation_the_first_one_of_the_only_line_is_one_unit(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 italian subs", "no onions on the first one", "and pepperjack on both")
    assert await cart(chat) == lines(
        ("italian", 1, {"pepperjack"}), ("italian", 1, {"pepperjack", "no red_onions"})
    )


async def test_conversation_light_on_a_word_of_the_option_it_has(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a latte with caramel syrup", "can you go light on the syrup")
    assert await cart(chat) == lines(("latte", 1, {"light caramel_syrup"}))


async def test_conversation_extra_cheese_on_a_pizza_with_feta_is_more_cheese(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pizza with spinach and feta", "extra cheese on it")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "spinach", "feta_cheese", "extra cheese"})
    )


async def test_conversation_two_of_those_on_one_line_makes_two(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a 500 ml sprite", "actually two of those sprites")
    assert await cart(chat) == lines(("sprite", 2, {"500_ml"}))


async def test_conversation_is_an_option_spicy_offers_no_dish(new_chat: ChatFactory) -> None:
    """Asked of an option, the answer is about the option (how hot, as its names tell), and
    "put it on them" next goes to the lines in the cart, not to a dish the option was read
    onto."""
    chat = new_chat("burrito")
    await talk(chat, "3 carnitas tacos")
    asked = await chat.say("is the green salsa spicy?")
    assert "Green Chili Salsa" in asked.reply and "Red Chili Salsa is the spicy one" in asked.reply
    assert "MENU_CARD" not in asked.card_names
    await talk(chat, "ok put green salsa on them")
    assert await cart(chat) == lines(("taco", 3, {"carnitas", "green_chili_salsa"}))


async def test_conversation_is_a_dish_spicy_answers_the_heat(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    asked = await chat.say("is the chicken sandwich spicy?")
    assert "It isn't listed as spicy." in asked.reply


async def test_conversation_a_statement_asked_is_a_question(new_chat: ChatFactory) -> None:
    chat = new_chat()
    await talk(chat, "a small vegan pizza")
    before = await cart(chat)
    await talk(chat, "the vegan pizza, it has cheese?")
    assert await cart(chat) == before


async def test_conversation_add_one_after_asking_an_options_price(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "one large coffee")
    asked = await chat.say("how much is an extra shot?")
    assert "$1.75" in asked.reply
    await talk(chat, "ok add one")
    assert await cart(chat) == lines(("drip_coffee", 1, {"large", "espresso_shot_1"}))


async def test_conversation_just_the_dish_then_keeps_it(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "cheeseburger no mustard", "how much is the chicken sandwich?")
    await talk(chat, "ok just the cheeseburger then and a root beer")
    assert await cart(chat) == lines(("cheese_burger", 1, {"no mustard"}), ("root_beer", 1))


async def test_conversation_another_one_with_just_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "large pizza with ham and olives", "another one with just ham")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "ham", "olives"}), ("pizza", 1, {"large", "ham"})
    )


async def test_conversation_the_same_dish_for_a_friend(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna sandwich with cucumber and an orange juice")
    await talk(chat, "and for my friend the same sandwich")
    assert await cart(chat) == lines(("tuna", 2, {"cucumbers"}), ("orange_juice", 1))


async def test_conversation_counts_for_people_then_mine(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 lattes, one for me and two for my coworkers", "add an extra shot to mine")
    assert await cart(chat) == lines(("latte", 1, {"espresso_shot_1"}), ("latte", 2))


async def test_conversation_a_question_answered_from_a_description(new_chat: ChatFactory) -> None:
    chat = new_chat()
    asked = await chat.say("is the caesar dressing made with anchovies?")
    assert "anchovy Caesar dressing" in asked.reply
    assert asked.card("MENU_CARD")["items"][0]["key"] == "caesar_salad"


async def test_conversation_someone_wants_theirs_with_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a latte for me, and my sister wants hers iced", "both large")
    assert await cart(chat) == lines(("latte", 1, {"large"}), ("latte", 1, {"large", "iced"}))


async def test_conversation_people_say_what_they_want(new_chat: ChatFactory) -> None:
    """Each dish for the people who want it, as many as they are when said in the plural."""
    chat = new_chat("burrito")
    await talk(chat, "me and my bro want chicken burritos and my dad wants a steak one")
    await talk(chat, "add sour cream to the steak one")
    assert await cart(chat) == lines(
        ("burrito", 2, {"chicken"}), ("burrito", 1, {"steak", "sour_cream"})
    )


async def test_conversation_same_again_for_someone_then_hers(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a medium fries", "same again for my wife")
    await talk(chat, "no pickles on hers")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("cheese_burger", 1, {"no pickle"}), ("french_fries", 2, {"medium"})
    )


async def test_conversation_an_option_left_off_is_fine_after_all(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(
        chat, "a double cheeseburger", "no tomato", "sorry, i meant no onion, tomato is fine"
    )
    assert await cart(chat) == lines(("double_cheese_burger", 1, {"no onion"}))


async def test_conversation_drop_the_option_part_keeps_the_line(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large skinny latte", "actually drop the skinny part", "add caramel syrup")
    assert await cart(chat) == lines(("latte", 1, {"large", "caramel_syrup"}))


async def test_conversation_one_this_way_the_other_that_way(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "2 americanos", "one iced, the other one normal")
    assert await cart(chat) == lines(("americano", 1), ("americano", 1, {"iced"}))


async def test_conversation_the_line_named_by_two_options(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni pizza and a large mushroom and onion pizza")
    await talk(chat, "no cheese on the mushroom and onion one")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "pepperoni"}),
        ("pizza", 1, {"large", "mushrooms", "onions", "no cheese"}),
    )


async def test_conversation_a_remark_after_the_change_is_no_order(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a hamburger")
    await talk(chat, "put extra ketchup on the last one, he's obsessed with ketchup")
    assert await cart(chat) == lines(("cheese_burger", 1), ("ham_burger", 1, {"extra ketchup"}))


async def test_conversation_one_for_each_of_us(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "dinner for me and my coworker: two medium pepperoni pizzas")
    await talk(chat, "and a can of coke for each of us")
    await talk(chat, "and a bottle of water for each of us, actually there are 4 of us")
    assert await cart(chat) == lines(
        ("pizza", 2, {"medium", "pepperoni"}), ("coke", 2, {"can"}), ("water", 4, {"bottle"})
    )


async def test_conversation_a_remark_then_one_of_each_taken_off(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 chicken sandwiches, 4 medium fries and 4 cokes")
    await talk(
        chat, "ugh Marcus bailed. take off one chicken sandwich, one of the fries and one coke"
    )
    assert await cart(chat) == lines(
        ("chicken_sandwich", 1), ("french_fries", 3, {"medium"}), ("coca_cola", 3)
    )


async def test_conversation_changes_in_sentences_of_their_own(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "five burritos: two chicken, two steak and one tofu")
    await talk(chat, "All with brown rice. Cheese on the chicken and steak ones.")
    assert await cart(chat) == lines(
        ("burrito", 2, {"chicken", "brown_rice", "cheese"}),
        ("burrito", 2, {"steak", "brown_rice", "cheese"}),
        ("burrito", 1, {"tofu", "brown_rice"}),
    )


async def test_conversation_and_an_option_on_other_lines(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "4 large lattes and 2 hot chocolates")
    await talk(chat, "Two of the lattes decaf please, and whipped cream on the hot chocolates.")
    assert await cart(chat) == lines(
        ("latte", 2, {"large"}),
        ("latte", 2, {"large", "decaf"}),
        ("hot_chocolate", 2, {"whipped_cream"}),
    )


async def test_conversation_a_correction_then_some_of_a_line(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "5 cheeseburgers and 12 diet cokes")
    await talk(chat, "Correction: 10 diet cokes, and 2 of the cheeseburgers without onions.")
    assert await cart(chat) == lines(
        ("cheese_burger", 3), ("cheese_burger", 2, {"no onion"}), ("diet_coke", 10)
    )


async def test_conversation_the_same_again_of_dishes_named(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "double cheeseburger with jalapenos", "and garlic fries", "and a coke")
    await talk(chat, "the exact same again for my buddy, burger and fries")
    assert await cart(chat) == lines(
        ("double_cheese_burger", 2, {"jalapenos"}), ("garlic_fries", 2), ("coca_cola", 1)
    )


# --- added for blind19 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "edit"),
    [
        (
            "Priya wants a small margherita and Sam wants a large pepperoni",
            "make Priya's gluten free",
        ),
        (
            "a small margherita for priya and a large pepperoni for sam",
            "priya says gluten free on hers",
        ),
    ],
)
async def test_conversation_a_persons_name_owns_a_line(
    new_chat: ChatFactory, first: str, edit: str
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, first, edit, "no olives on Sam's")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "margherita", "gluten_free_crust"}),
        ("pizza", 1, {"large", "pepperoni", "no olives"}),
    )


async def test_conversation_a_name_is_never_a_misspelt_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger for jess and a chicken sandwich for liam")
    await talk(chat, "no onions on jess's", "and add bacon to Liam's")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"no onion"}), ("chicken_sandwich", 1, {"bacon"})
    )


async def test_conversation_each_persons_dish_said_as_theirs(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(
        chat,
        "my friend and i want burritos. mine is steak with pinto beans, his is chicken with black"
        " beans",
    )
    await talk(chat, "extra white rice on his")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "pinto_beans"}),
        ("burrito", 1, {"chicken", "black_beans", "extra white_rice"}),
    )


async def test_conversation_a_listed_count_with_whom_each_is_for(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(
        chat,
        "2 burritos: one steak with pinto beans for me, one chicken with black beans for my friend",
    )
    await talk(chat, "no beans on mine")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak"}), ("burrito", 1, {"chicken", "black_beans"})
    )


async def test_conversation_a_reason_after_the_change(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "veggie sub with jalapenos, olives and onions")
    await talk(chat, "take off the jalapenos, too hot for me")
    assert await cart(chat) == lines(("veggie", 1, {"black_olives", "red_onions"}))


async def test_conversation_what_she_dislikes_so_leave_it_off(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni for me and my daughter wants a small margherita")
    await talk(chat, "oh and she doesnt like basil so no basil on hers")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "pepperoni"}), ("pizza", 1, {"small", "margherita", "no basil"})
    )


async def test_conversation_from_extra_to_none_at_all(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "latte with extra foam", "actually no foam at all")
    assert await cart(chat) == lines(("latte", 1, {"no foam"}))


async def test_conversation_the_option_asked_about_on_a_dish_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "how much for an extra shot?", "ok add one to a large americano please")
    assert await cart(chat) == lines(("americano", 1, {"large", "espresso_shot_1"}))


async def test_conversation_a_listed_count_with_what_goes_on_all(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 burritos: chicken, steak and carnitas, all with white rice")
    await talk(chat, "actually put black beans in all of them too")
    assert await cart(chat) == lines(
        *(
            ("burrito", 1, {kind, "white_rice", "black_beans"})
            for kind in ("chicken", "steak", "carnitas")
        )
    )


async def test_conversation_two_options_and_then_both(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "one bowl with chicken and steak both, with rice white and beans black")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken", "steak", "white_rice", "black_beans"})
    )


@pytest.mark.parametrize("answer", ["4", "there are 4 of us"])
async def test_conversation_for_each_of_us_with_nobody_named_asks(
    new_chat: ChatFactory, answer: str
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "two large pepperoni pizzas")
    turn = await talk(chat, "and a coke for each of us")
    assert "how many of you" in turn.reply.lower()
    assert turn.state["awaiting"] == "head_count"
    await talk(chat, answer)
    assert await cart(chat) == lines(("pizza", 2, {"large", "pepperoni"}), ("coke", 4))


async def test_conversation_the_amount_of_a_group_then_its_option(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito with black beans", "extra rice on it. white rice")
    assert await cart(chat) == lines(("burrito", 1, {"chicken", "black_beans", "extra white_rice"}))


async def test_conversation_the_units_just_ordered_said_again_apart(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "two drip coffees for me and my wife")
    await talk(chat, "two large drip coffees, one with honey and one with vanilla syrup")
    assert await cart(chat) == lines(
        ("drip_coffee", 1, {"large", "honey"}), ("drip_coffee", 1, {"large", "vanilla_syrup"})
    )


async def test_conversation_for_me_a_dish_is_an_order_not_an_edit(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "One large pizza with tuna and onion for my husband")
    await talk(chat, "For me a medium pizza with chicken and mushroom, thin crust")
    await talk(chat, "Sorry, my husband say no onion, he want red onion")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "tuna", "red_onions"}),
        ("pizza", 1, {"medium", "thin_crust", "chicken", "mushrooms"}),
    )


async def test_conversation_a_listed_count_for_each_person(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(
        chat,
        "can i get 3 burritos: carnitas for me, barbacoa for my husband, and veggie for my"
        " daughter",
    )
    await talk(chat, "my daughter isnt hungry, take her burrito off", "add guac to my husband's")
    assert await cart(chat) == lines(
        ("burrito", 1, {"carnitas"}), ("burrito", 1, {"barbacoa", "guacamole"})
    )


async def test_conversation_one_dish_named_by_its_topping_taken_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "4 large pizzas: two pepperoni, one buffalo chicken, one veggie")
    await talk(chat, "Mark just told me he's out today so take off one pepperoni")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "pepperoni"}),
        ("pizza", 1, {"large", "buffalo_chicken"}),
        ("pizza", 1, {"large", "vegetarian"}),
    )


async def test_conversation_a_listed_kind_of_two_options(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 medium pizzas for the house: pepperoni, ham and pineapple, and spinach")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "pepperoni"}),
        ("pizza", 1, {"medium", "ham", "pineapple"}),
        ("pizza", 1, {"medium", "spinach"}),
    )


# --- a kind of dish replacing another -------------------------------------------------------------


async def test_conversation_the_other_one_made_another_kind(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small margherita and a large pepperoni")
    await talk(chat, "make the other one a large hawaiian")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "hawaiian"}), ("pizza", 1, {"large", "pepperoni"})
    )


async def test_conversation_a_topping_said_as_the_dish_gives_way(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni pizza", "actually make it a hawaiian")
    assert await cart(chat) == lines(("pizza", 1, {"large", "hawaiian"}))


async def test_conversation_another_kind_keeps_the_crust_and_size(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large thin crust margherita", "make it a hawaiian")
    assert await cart(chat) == lines(("pizza", 1, {"large", "thin_crust", "hawaiian"}))
    await talk(chat, "change it to a mexican")
    assert await cart(chat) == lines(("pizza", 1, {"large", "thin_crust", "mexican"}))


@pytest.mark.parametrize(
    ("said", "became"),
    [
        ("make it gluten free", {"large", "gluten_free_crust", "margherita"}),
        ("add pepperoni to it", {"large", "thin_crust", "margherita", "pepperoni"}),
        ("make it a medium", {"medium", "thin_crust", "margherita"}),
    ],
)
async def test_conversation_a_crust_topping_or_size_keeps_the_kind(
    new_chat: ChatFactory, said: str, became: set[str]
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large thin crust margherita", said)
    assert await cart(chat) == lines(("pizza", 1, became))


async def test_conversation_a_filling_said_for_the_dish_replaces_its_own(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito and a steak taco", "make the chicken burrito a steak one")
    assert await cart(chat) == lines(("burrito", 1, {"steak"}), ("taco", 1, {"steak"}))


async def test_conversation_a_decaf_is_what_the_coffee_is_not_which(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large iced latte", "make it a decaf")
    assert await cart(chat) == lines(("latte", 1, {"large", "iced", "decaf"}))


# --- a list after a dash, the middle one of a line of three ---------------------------------------


async def test_conversation_a_dish_named_after_a_dash_is_its_own_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "two pizzas - a margherita and a bbq chicken", "make both of them large")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "margherita"}), ("pizza", 1, {"large", "bbq_chicken"})
    )


async def test_conversation_the_middle_one_of_three_alike(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "three small pizzas for my kids, all pepperoni")
    await talk(chat, "my middle one wants mushrooms instead of pepperoni on hers")
    assert await cart(chat) == lines(
        ("pizza", 2, {"small", "pepperoni"}), ("pizza", 1, {"small", "mushrooms"})
    )


async def test_conversation_a_count_then_each_named_persons_kind(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(
        chat,
        "Ordering lunch for the team: 3 lunch size pizzas. Sarah wants pepperoni, Mike wants"
        " veggie, and Jen wants chicken with pesto",
    )
    await talk(chat, "Mike says no onions on his")
    assert await cart(chat) == lines(
        ("pizza", 1, {"lunch_size", "pepperoni"}),
        ("pizza", 1, {"lunch_size", "vegetarian", "no onions"}),
        ("pizza", 1, {"lunch_size", "chicken", "pesto"}),
    )


async def test_conversation_the_price_of_a_dish_named_by_its_options(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    turn = await talk(chat, "how much is a small margherita?")
    assert "11.00" in turn.reply
    await talk(chat, "ok one of those please")
    assert await cart(chat) == lines(("pizza", 1, {"small", "margherita"}))


async def test_conversation_an_order_then_thanks(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "Could you tell me how much a bottle of San Pellegrino costs?")
    await talk(chat, "Very well, I will have one of those as well. Thank you kindly.")
    assert await cart(chat) == lines(("pellegrino_sparkling_water", 1, {"bottle"}))


async def test_conversation_a_change_of_mind_then_no_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a veggie burger, a salad and a hot cocoa", "I changed my mind, no salad")
    assert await cart(chat) == lines(("vegan_burger", 1), ("hot_cocoa", 1))


async def test_conversation_a_groups_option_as_a_light_portion(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito bowl with white rice and black beans")
    await talk(chat, "Could you please make the rice a light portion?")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken", "light white_rice", "black_beans"})
    )


async def test_conversation_hell_have_is_he_will_have(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(
        chat,
        "I'm ordering for me and my husband. I'll have the salad with blue cheese, he'll have a"
        " double cheeseburger",
    )
    await talk(chat, "add bacon to his")
    assert await cart(chat) == lines(
        ("salad", 1, {"blue_cheese"}), ("double_cheese_burger", 1, {"bacon"})
    )


async def test_conversation_names_heading_a_list(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(
        chat,
        "coffee run for the office! Dave: large drip coffee, dark roast. Maria: small skinny"
        " latte. Ken: regular hot chocolate with whipped cream",
    )
    await talk(chat, "Maria wants hers iced", "and Ken says extra whipped cream")
    assert await cart(chat) == lines(
        ("drip_coffee", 1, {"large", "dark_roast"}),
        ("latte", 1, {"small", "skinny", "iced"}),
        ("hot_chocolate", 1, {"regular", "extra whipped_cream"}),
    )


async def test_conversation_a_named_child_claims_one_of_the_kids(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "two small hot chocolates for the kids, and a large latte for me")
    await talk(chat, "Lily wants whipped cream on hers", "and I'd like an extra shot in mine")
    assert await cart(chat) == lines(
        ("hot_chocolate", 1, {"small"}),
        ("hot_chocolate", 1, {"small", "whipped_cream"}),
        ("latte", 1, {"large", "espresso_shot_1"}),
    )


async def test_conversation_a_for_list_of_names_hands_out_units(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 espressos please")
    turn = await talk(chat, "for me, Rita and Paul")
    assert "one for Rita" in turn.reply
    await talk(chat, "and add an extra shot to Paul's")
    assert await cart(chat) == lines(("espresso", 2), ("espresso", 1, {"espresso_shot_1"}))


async def test_conversation_a_named_one_of_a_for_list(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 steak burritos for me, Dan and Kim", "make Dan's with chicken instead")
    await talk(chat, "Kim wants extra white rice on hers")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak"}),
        ("burrito", 1, {"chicken"}),
        ("burrito", 1, {"steak", "extra white_rice"}),
    )


async def test_conversation_a_dislike_is_the_reason_and_all_of_them_is_every_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 medium ham pizzas and a medium veggie pizza")
    await talk(chat, "change one of the ham ones to bacon")
    await talk(chat, "my son hates a thick crust so thin crust on all of them")
    assert await cart(chat) == lines(
        ("pizza", 2, {"medium", "ham", "thin_crust"}),
        ("pizza", 1, {"medium", "bacon", "thin_crust"}),
        ("pizza", 1, {"medium", "vegetarian", "thin_crust"}),
    )


async def test_conversation_never_mind_then_a_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "do you have milkshakes in mango?")
    await talk(chat, "oh never mind. a root beer then")
    assert await cart(chat) == lines(("root_beer", 1))


async def test_conversation_so_many_of_everything(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a turkey sub and a sprite")
    await talk(chat, "make it four of everything please")
    assert await cart(chat) == lines(("turkey_breast", 4), ("sprite", 4))


async def test_conversation_another_one_plain(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with bacon and no pickles", "and another cheeseburger, plain")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"bacon", "no pickle"}), ("cheese_burger", 1)
    )


async def test_conversation_a_counted_heading_before_a_dash(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 pizzas please - a small hawaiian, a small margherita and a large mexican")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "hawaiian"}),
        ("pizza", 1, {"small", "margherita"}),
        ("pizza", 1, {"large", "mexican"}),
    )


async def test_conversation_make_the_option_another_of_its_group(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito with white rice and black beans")
    await talk(chat, "actually make the black beans pinto beans")
    assert await cart(chat) == lines(("burrito", 1, {"chicken", "white_rice", "pinto_beans"}))


async def test_conversation_counts_of_options_share_out_the_line_just_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "6 tacos please", "3 chicken, 2 steak and 1 sofritas")
    assert await cart(chat) == lines(
        ("taco", 3, {"chicken"}), ("taco", 2, {"steak"}), ("taco", 1, {"tofu"})
    )
    await talk(chat, "and 2 chicken and 1 steak")  # more: nothing left to share out
    assert await cart(chat) == lines(
        ("taco", 3, {"chicken"}),
        ("taco", 2, {"steak"}),
        ("taco", 1, {"tofu"}),
        ("burrito", 2, {"chicken"}),
        ("burrito", 1, {"steak"}),
    )


async def test_conversation_changes_in_clauses_of_one_sentence(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a latte and a hot chocolate")
    await talk(chat, "the latte gets vanilla syrup, the hot chocolate gets whipped cream")
    assert await cart(chat) == lines(
        ("latte", 1, {"vanilla_syrup"}), ("hot_chocolate", 1, {"whipped_cream"})
    )


async def test_conversation_the_first_unit_shared_out_stays_first(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "2 medium pizzas", "the first one with ham, the second one with olives")
    await talk(chat, "add mushrooms to the first one")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham", "mushrooms"}), ("pizza", 1, {"medium", "olives"})
    )


async def test_conversation_one_more_the_same_but_hot(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small iced cappuccino", "one more, same but hot")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"small", "iced"}), ("cappuccino", 1, {"small"})
    )


async def test_conversation_a_question_asked_indirectly_orders_nothing(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    turn = await talk(chat, "Hi. Could you tell me if you have orange juice?")
    assert "yes" in turn.reply.lower()
    await talk(chat, "I was wondering whether the tuna has any cheese on it")
    assert await cart(chat) == lines()
    await talk(chat, "Lovely, one orange juice then")
    assert await cart(chat) == lines(("orange_juice", 1))


async def test_conversation_i_dont_need_the_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a root beer")
    turn = await talk(chat, "hmm, we don't need the root beer after all")
    assert "root beer" in turn.reply.lower()
    assert await cart(chat) == lines(("cheese_burger", 1))


@pytest.mark.parametrize("done", ["That is everything, thank you.", "that will be all, thanks"])
async def test_conversation_that_is_everything_is_done(new_chat: ChatFactory, done: str) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger with lettuce")
    turn = await talk(chat, done)
    assert turn.state["awaiting"] == "phone"
    assert await cart(chat) == lines(("ham_burger", 1, {"lettuce"}))


async def test_conversation_hot_cocoa_is_no_question_of_spice(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    turn = await talk(chat, "do you serve hot cocoa?")
    assert "spicy" not in turn.reply.lower()
    turn = await talk(chat, "anything spicy?")
    assert "hot cocoa" not in turn.reply.lower()


async def test_conversation_one_more_thing_opens_a_change(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large hawaiian pizza and 4 cans of coke")
    await talk(chat, "One more thing, please add extra ham to the hawaiian.")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "hawaiian", "extra ham"}), ("coke", 4, {"can"})
    )


async def test_conversation_who_is_hungry_is_why_not_whose(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 steak burritos")
    await talk(chat, "actually 3 steak burritos, my brother is coming")
    assert await cart(chat) == lines(("burrito", 3, {"steak"}))


async def test_conversation_so_many_of_each_dish_named(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "4 cokes and a root beer")
    await talk(chat, "actually 3 cokes and 2 root beers")
    assert await cart(chat) == lines(("coca_cola", 3), ("root_beer", 2))
    await talk(chat, "make it 2 cokes, 2 root beers and 1 iced tea")
    assert await cart(chat) == lines(("coca_cola", 2), ("root_beer", 2), ("iced_tea", 1))


@pytest.mark.parametrize(
    "asked", ["could you remove the onions?", "Would you please leave off the onions?"]
)
async def test_conversation_asked_politely_to_take_an_option_off(
    new_chat: ChatFactory, asked: str
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger with onions and pickles", asked)
    assert await cart(chat) == lines(("ham_burger", 1, {"pickle"}))


async def test_conversation_no_go_back_to_the_dish_before(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna sub", "actually make that an italian")
    await talk(chat, "no, go back to the tuna", "with lettuce")
    assert await cart(chat) == lines(("tuna", 1, {"lettuce"}))


async def test_conversation_a_size_is_fine_after_all(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small latte", "make it a large")
    await talk(chat, "no wait, small is fine. but add vanilla syrup")
    assert await cart(chat) == lines(("latte", 1, {"small", "vanilla_syrup"}))


async def test_conversation_an_order_is_no_answer_to_did_you_mean(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "we're feeding a soccer team tonight, any brisket?")
    assert await cart(chat) == lines()
    await talk(chat, "ok two cheeseburgers, one plain and one with bacon")
    assert await cart(chat) == lines(("cheese_burger", 1), ("cheese_burger", 1, {"bacon"}))


async def test_conversation_another_kind_than_the_one_asked_about(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "how much is a new york style pizza?")
    await talk(chat, "hmm I'll go with the chicago style, medium")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "chicago_style"}))


async def test_conversation_one_of_each_both_small(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "how much is an americano?", "and an espresso?")
    await talk(chat, "ok one of each, both small")
    assert await cart(chat) == lines(("americano", 1, {"small"}), ("espresso", 1, {"small"}))


async def test_conversation_i_would_like_is_mine(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "She will have a small latte and I would like a large americano.")
    await talk(chat, "Could you put an extra shot in mine?")
    assert await cart(chat) == lines(
        ("latte", 1, {"small"}), ("americano", 1, {"large", "espresso_shot_1"})
    )


async def test_conversation_the_count_then_which_ones(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "3 cookies, the oatmeal ones")
    await talk(chat, "and 2 macadamia ones")
    assert await cart(chat) == lines(("oatmeal_raisin", 3), ("white_chip_macadamia_nut", 2))


async def test_conversation_a_count_of_options_is_some_of_the_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "three small americanos", "one decaf")
    assert await cart(chat) == lines(
        ("americano", 2, {"small"}), ("americano", 1, {"small", "decaf"})
    )
    await talk(chat, "and for the other ones add honey")
    assert await cart(chat) == lines(
        ("americano", 2, {"small", "honey"}), ("americano", 1, {"small", "decaf"})
    )


async def test_conversation_counts_of_options_after_the_line_was_changed(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "5 pizzas for the party", "make them all medium")
    await talk(chat, "3 pepperoni and 2 sausage")
    assert await cart(chat) == lines(
        ("pizza", 3, {"medium", "pepperoni"}), ("pizza", 2, {"medium", "sausage"})
    )


async def test_conversation_ordinals_listed_without_one(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 bowls please", "first chicken, second steak, third carnitas")
    await talk(chat, "guac on the second one")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken"}),
        ("burrito_bowl", 1, {"steak", "guacamole"}),
        ("burrito_bowl", 1, {"carnitas"}),
    )


async def test_conversation_one_more_but_without_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna sub with pickles", "one more tuna but without pickles")
    assert await cart(chat) == lines(("tuna", 1, {"pickles"}), ("tuna", 1))


async def test_conversation_one_more_plain_of_lines_that_differ(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 hamburgers", "one of them with no tomato")
    turn = await talk(chat, "and one more hamburger, plain")
    assert "which" not in turn.reply.lower()
    assert await cart(chat) == lines(("ham_burger", 2), ("ham_burger", 1, {"no tomato"}))


async def test_conversation_an_option_in_everything(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito and a chicken bowl", "add sour cream to everything")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "sour_cream"}), ("burrito_bowl", 1, {"chicken", "sour_cream"})
    )


async def test_conversation_whose_clauses_in_one_sentence(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "two cappuccinos, one for me and one for my brother")
    await talk(chat, "mine with caramel syrup, his decaf")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"caramel_syrup"}), ("cappuccino", 1, {"decaf"})
    )


async def test_conversation_the_cheapest_of_a_kind_is_offered(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    turn = await talk(chat, "what's your cheapest drink?")
    assert "pink lemonade" in turn.reply.lower()
    assert "1.00" in turn.reply
    await talk(chat, "ok two of those")
    assert await cart(chat) == lines(("pink_lemonade", 2))


async def test_conversation_the_line_should_be_something_else(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a vanilla shake")
    await talk(chat, "actually the shake should be chocolate")
    assert await cart(chat) == lines(("cheese_burger", 1), ("chocolate_shake", 1))
    chat = new_chat("pizzeria")
    await talk(chat, "a small margherita and a large pepperoni pizza")
    await talk(chat, "the pepperoni should be on a thin crust")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "margherita"}), ("pizza", 1, {"large", "pepperoni", "thin_crust"})
    )


async def test_conversation_make_one_of_those_another_flavour(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "and 3 strawberry shakes, no wait, make one of those vanilla")
    assert await cart(chat) == lines(("strawberry_shake", 2), ("vanilla_shake", 1))


async def test_conversation_leave_one_off_just_the_others(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small thin crust pizza with ham, olives and basil")
    await talk(chat, "no actually leave off the olives, just ham and basil")
    assert await cart(chat) == lines(("pizza", 1, {"small", "thin_crust", "ham", "basil"}))


async def test_conversation_the_plain_one(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "two large cappuccinos", "one with hazelnut syrup")
    await talk(chat, "and make the plain one iced")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"large", "hazelnut_syrup"}), ("cappuccino", 1, {"large", "iced"})
    )


async def test_conversation_options_said_before_one_of_them_and_the_other(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "2 small lattes", "put vanilla syrup in one of them and hazelnut in the other")
    assert await cart(chat) == lines(
        ("latte", 1, {"small", "vanilla_syrup"}), ("latte", 1, {"small", "hazelnut_syrup"})
    )


async def test_conversation_the_other_one_after_one_was_removed(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna sub and 2 sprites", "take off one of the sprites")
    await talk(chat, "and make the other sprite a coke")
    assert await cart(chat) == lines(("tuna", 1), ("coca_cola", 1))


async def test_conversation_make_his_dish_so(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "for my son a small vanilla shake, for me a hamburger")
    await talk(chat, "make his shake a large")
    assert await cart(chat) == lines(("vanilla_shake", 1, {"large"}), ("ham_burger", 1))


async def test_conversation_scratch_one_just_the_others(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 italian subs and a tuna sub")
    await talk(chat, "scratch the tuna, just the two italians")
    assert await cart(chat) == lines(("italian", 2))


async def test_conversation_on_second_thought_two_of_those(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large latte with caramel syrup", "on second thought, two of those")
    assert len(await chat.cart_lines()) == 1
    assert (await chat.cart_lines())[0].quantity == 2


async def test_conversation_an_amount_said_after_the_option(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a turkey sub", "swiss then, extra")
    assert await cart(chat) == lines(("turkey_breast", 1, {"extra swiss"}))


async def test_conversation_a_side_for_both(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "two hamburgers for my boys", "and baby carrots for both")
    assert await cart(chat) == lines(("ham_burger", 2), ("baby_carrots", 2))


async def test_conversation_make_both_the_same_of_a_family(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a latte with vanilla syrup and a latte with caramel syrup")
    await talk(chat, "actually make both hazelnut")
    assert await cart(chat) == lines(("latte", 2, {"hazelnut_syrup"}))


async def test_conversation_give_him_two_of_those(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "my brother wants a steak burrito and I want a chicken bowl")
    await talk(chat, "actually give him two of those, he's hungry")
    assert await cart(chat) == lines(("burrito", 2, {"steak"}), ("burrito_bowl", 1, {"chicken"}))


async def test_conversation_a_large_one_is_the_dish_just_ordered(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "an americano please", "a large one")
    assert await cart(chat) == lines(("americano", 1, {"large"}))
    await talk(chat, "and a small one too")
    assert await cart(chat) == lines(("americano", 1, {"large"}), ("americano", 1, {"small"}))


async def test_conversation_make_hers_another_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "for my wife a small cappuccino, and I'll have a large americano")
    await talk(chat, "she changed her mind, make hers a small latte with caramel syrup instead")
    assert await cart(chat) == lines(
        ("latte", 1, {"small", "caramel_syrup"}), ("americano", 1, {"large"})
    )


async def test_conversation_is_there_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large cappuccino")
    turn = await talk(chat, "is there hazelnut?")
    assert "hazelnut syrup" in turn.reply.lower()
    await talk(chat, "yes add hazelnut syrup please")
    assert await cart(chat) == lines(("cappuccino", 1, {"large", "hazelnut_syrup"}))


async def test_conversation_the_dish_asked_about_one_of_each_size(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much is a strawberry shake?", "ok give me 2, one large and one small")
    assert await cart(chat) == lines(
        ("strawberry_shake", 1, {"large"}), ("strawberry_shake", 1, {"small"})
    )


async def test_conversation_one_each_for_a_group_counts_its_dishes(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "for the kids: two ham sandwiches and two super fruit punches")
    await talk(chat, "and a tuna sub for me", "the kids also want chocolate chip cookies, one each")
    assert ("chocolate_chip", 2, frozenset()) in await cart(chat)


async def test_conversation_each_of_us_counts_the_mains(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "two roasted chicken subs, one with caesar, one with ranch")
    await talk(chat, "and 2 orange juices", "and a chocolate chip cookie for each of us")
    assert ("chocolate_chip", 2, frozenset()) in await cart(chat)
    # One main dish tells nothing of how many they are: one for now, and asked.
    alone = new_chat("sub")
    await talk(alone, "a tuna sub")
    turn = await talk(alone, "and a chocolate chip cookie for each of us")
    assert "how many of you" in turn.reply.lower()
    assert ("chocolate_chip", 1, frozenset()) in await cart(alone)


async def test_conversation_a_count_said_after_the_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "four personal size pizzas with pepperoni", "plus sprites for them, four cans")
    assert await cart(chat) == lines(
        ("pizza", 4, {"personal_size", "pepperoni"}), ("sprite", 4, {"can"})
    )


async def test_conversation_for_each_of_the_kids(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 burgers for the grown-ups and 2 cheeseburgers for the kids")
    await talk(chat, "and apple slices for each of the kids", "and a milk for each kid")
    assert await cart(chat) == lines(
        ("ham_burger", 2), ("cheese_burger", 2), ("apple_slices", 2), ("milk", 2)
    )


async def test_conversation_a_drink_each(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "two vegan burgers for me and my sister", "and a lemonade each")
    assert await cart(chat) == lines(("vegan_burger", 2), ("pink_lemonade", 2))


async def test_conversation_one_of_those_for_each_of_us(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a veggie and a tuna, for me and my husband", "how much is a vitamin water?")
    await talk(chat, "ok one of those for each of us")
    assert await cart(chat) == lines(("veggie", 1), ("tuna", 1), ("vitamin_water", 2))


async def test_conversation_how_many_they_said_they_are(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "We're 4 friends watching the game. A party size pizza with pepperoni")
    await talk(chat, "and a coke each")
    assert await cart(chat) == lines(("pizza", 1, {"party_size", "pepperoni"}), ("coke", 4))


async def test_conversation_everyone_wants_options(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "for me and 2 coworkers: a cold cut combo, a tuna and a veggie")
    await talk(chat, "everyone wants lettuce and tomatoes")
    assert await cart(chat) == lines(
        ("cold_cut_combo", 1, {"lettuce", "tomatoes"}),
        ("tuna", 1, {"lettuce", "tomatoes"}),
        ("veggie", 1, {"lettuce", "tomatoes"}),
    )
    await talk(chat, "and everyone wants a coke")
    assert ("coca_cola", 3, frozenset()) in await cart(chat)


async def test_conversation_the_dish_asked_about_taken_with_a_size(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "price of sweet potato fries?", "ok 1 small")
    assert await cart(chat) == lines(("sweet_potato_fries", 1, {"small"}))
    bare = new_chat("burger")
    await talk(bare, "price of sweet potato fries?", "1 small")
    assert await cart(bare) == lines(("sweet_potato_fries", 1, {"small"}))


async def test_conversation_a_count_of_the_dish_asked_about_and_another(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "how much is a side of guac", "ok 1 and chips")
    assert await cart(chat) == lines(("guacamole", 1), ("chips", 1))
    two = new_chat("burrito")
    await talk(two, "how much is a side of guac", "ok two of those and chips")
    assert await cart(two) == lines(("guacamole", 2), ("chips", 1))


async def test_conversation_the_price_of_the_dish_named_not_the_one_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "garlic fries plz")
    turn = await talk(chat, "how much r the curly fries")
    assert "4.75" in turn.reply and "garlic" not in turn.reply.lower()


async def test_conversation_an_option_on_the_plain_one(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 steak n cheese pls", "1 w/ peppers n onions, 1 plain")
    await talk(chat, "oh n mayo on the plain one")
    assert await cart(chat) == lines(
        ("steak_and_cheese", 1, {"green_peppers", "red_onions"}),
        ("steak_and_cheese", 1, {"regular_mayonnaise"}),
    )


async def test_conversation_the_line_named_first_then_the_change(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 chicken sandwiches 1 w bacon 1 w/o lettuce", "the one w bacon add cheese")
    assert await cart(chat) == lines(
        ("chicken_sandwich", 1, {"bacon", "cheddar"}), ("chicken_sandwich", 1, {"no lettuce"})
    )
    three = new_chat("burger")
    await talk(three, "3 double cheeseburgers", "one without pickles, one with extra onions")
    await talk(three, "the one with extra onions, make that one no mustard as well")
    assert await cart(three) == lines(
        ("double_cheese_burger", 1),
        ("double_cheese_burger", 1, {"no pickle"}),
        ("double_cheese_burger", 1, {"extra onion", "no mustard"}),
    )


async def test_conversation_w_for_with_opening_a_message(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "veggie sub", "w spinach cucumbers black olives and vinaigrette")
    assert await cart(chat) == lines(
        ("veggie", 1, {"spinach", "cucumbers", "black_olives", "vinaigrette"})
    )


async def test_conversation_an_option_whose_name_has_a_diet_word(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "medium pizza w chicken")
    turn = await talk(chat, "is there vegan pepperoni?")
    assert "vegan pepperoni" in turn.reply.lower()
    await talk(chat, "ok add that to it too", "nvm take the chicken off")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "vegan_pepperoni"}))
    # A diet word alone is still a search of the menu.
    turn = await talk(chat, "do you have anything vegan?")
    assert turn.card("MENU_CARD")["items"]


async def test_conversation_toppings_instead_all_go_on(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "three medium pepperoni pizzas")
    await talk(chat, "change the third one to mushrooms and onions")
    assert await cart(chat) == lines(
        ("pizza", 2, {"medium", "pepperoni"}), ("pizza", 1, {"medium", "mushrooms", "onions"})
    )


async def test_conversation_remove_a_dish_and_one_of_another(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a veggie burger, a double cheeseburger and a chicken sandwich")
    await talk(chat, "plus 3 iced teas")
    await talk(chat, "Marco isn't hungry, cancel the chicken sandwich and one of the iced teas")
    assert await cart(chat) == lines(
        ("vegan_burger", 1, set()), ("double_cheese_burger", 1, set()), ("iced_tea", 2, set())
    )


async def test_conversation_his_one_of_a_line_nobody_owns(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "two chicken sandwiches, one for me and one for my coworker")
    await talk(chat, "and two diet cokes")
    await talk(chat, "my coworker wants a burger instead of the chicken sandwich, with cheese")
    await talk(chat, "and swap his diet coke for a seven up")
    assert await cart(chat) == lines(
        ("chicken_sandwich", 1, set()),
        ("ham_burger", 1, {"cheddar"}),
        ("diet_coke", 1, set()),
        ("seven_up", 1, set()),
    )
    team = new_chat("burger")
    await talk(team, "4 cheeseburgers for the team", "and 4 medium cokes")
    await talk(team, "one of the guys wants a medium zero sugar lemonade instead of his coke")
    assert ("coca_cola", 3, frozenset({"medium"})) in await cart(team)


async def test_conversation_no_dish_for_him_he_will_have_another(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "for me and my husband: a double cheeseburger and a hamburger")
    await talk(chat, "my husband says no hamburger for him, he'll just have a salad with bacon")
    assert await cart(chat) == lines(("double_cheese_burger", 1, set()), ("salad", 1, {"bacon"}))


async def test_conversation_some_of_a_line_become_another_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a party size pizza with pepperoni", "and 4 cokes")
    await talk(chat, "two of those cokes should be diet cokes")
    assert await cart(chat) == lines(
        ("pizza", 1, {"party_size", "pepperoni"}), ("coke", 2, set()), ("diet_coke", 2, set())
    )
    shakes = new_chat("burger")
    await talk(shakes, "2 vanilla shakes", "nah change one to strawberry")
    assert await cart(shakes) == lines(("vanilla_shake", 1, set()), ("strawberry_shake", 1, set()))


async def test_conversation_counts_of_each_dish_set(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large supreme", "and 3 cans of coke")
    await talk(chat, "Tom wants a diet coke instead, so 2 cokes and 1 diet coke, all cans")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "supreme"}), ("coke", 2, {"can"}), ("diet_coke", 1, {"can"})
    )
    chips = new_chat("sub")
    await talk(chips, "a tuna sub", "and 3 bags of baked lays")
    await talk(chips, "make that 2 bags of baked lays and 1 miss vickies")
    assert await cart(chips) == lines(
        ("tuna", 1, set()), ("baked_lays_original", 2, set()), ("miss_vickies_jalapeno", 1, set())
    )
    drinks = new_chat("burrito")
    await talk(drinks, "2 lemonades and a black tea", "and make it 3 lemonades, no tea")
    assert await cart(drinks) == lines(("tractor_lemonade", 3, set()))


async def test_conversation_a_count_and_why(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 small drip coffees for me and my two roommates")
    await talk(chat, "make that 2, one of them wants a small hot chocolate instead")
    assert await cart(chat) == lines(("drip_coffee", 2, {"small"}), ("hot_chocolate", 1, {"small"}))


async def test_conversation_the_number_said_was_the_options(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "lg cappuccino with three extra shots", "yikes make that two")
    assert await cart(chat) == lines(("cappuccino", 1, {"large", "espresso_shot_2"}))
    again = new_chat("coffee")
    await talk(again, "cappuccino with three extra shots lol", "ok maybe two")
    assert await cart(again) == lines(("cappuccino", 1, {"espresso_shot_2"}))
    # "An extra shot" counts no shots: two coffees.
    one = new_chat("coffee")
    await talk(one, "a large drip coffee", "add an extra shot", "make it 2")
    assert await cart(one) == lines(("drip_coffee", 2, {"large", "espresso_shot_1"}))


async def test_conversation_a_dish_instead_of_another(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a steak and cheese, a cold cut combo, and a black forest ham")
    await talk(chat, "oh the cold cut guy wants a meatball marinara instead")
    assert await cart(chat) == lines(
        ("steak_and_cheese", 1, set()),
        ("meatball_marinara", 1, set()),
        ("black_forest_ham", 1, set()),
    )
    pepsi = new_chat("pizzeria")
    await talk(pepsi, "a large margherita", "and 2 diet pepsis")
    await talk(pepsi, "and swap one of the diet pepsis for a regular pepsi")
    assert await cart(pepsi) == lines(
        ("pizza", 1, {"large", "margherita"}), ("diet_pepsi", 1, set()), ("pepsi", 1, set())
    )
    crust = new_chat("pizzeria")
    await talk(crust, "a large supreme and a large meat lovers", "make the supreme thick crust")
    assert await cart(crust) == lines(
        ("pizza", 1, {"large", "supreme", "thick_crust"}), ("pizza", 1, {"large", "meat_lover"})
    )


async def test_conversation_a_copy_of_mine_is_hers_alone(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a bacon burger with pickles and onions", "same as mine for Kim")
    await talk(chat, "and a chicken sandwich for my dad", "Kim wants no onions on hers")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"bacon", "pickle", "onion"}),
        ("ham_burger", 1, {"bacon", "pickle"}),
        ("chicken_sandwich", 1, set()),
    )


async def test_conversation_the_same_as_his_sisters(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(
        chat, "a small cappuccino for my son and a large latte with vanilla syrup for my daughter"
    )
    await talk(
        chat, "my other son wants one too, same as his sister's", "my daughter wants hers iced"
    )
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"small"}),
        ("latte", 1, {"large", "vanilla_syrup"}),
        ("latte", 1, {"large", "vanilla_syrup", "iced"}),
    )


async def test_conversation_a_dish_like_his_dads_instead(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna for my son and a meatball marinara for my husband with provolone")
    await talk(
        chat,
        "my son changed his mind, he wants a meatball marinara like his dad's instead of the tuna",
    )
    assert await cart(chat) == lines(("meatball_marinara", 2, {"provolone"}))


async def test_conversation_one_of_the_friends_by_name(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "three chicken burritos for me and two friends, all with brown rice")
    await talk(chat, "my friend Dana wants hers with steak instead of chicken")
    await talk(chat, "and Tom wants his as a bowl, same fillings as mine")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "brown_rice"}),
        ("burrito", 1, {"steak", "brown_rice"}),
        ("burrito_bowl", 1, {"chicken", "brown_rice"}),
    )


async def test_conversation_the_friend_who_wants_it(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a latte for me and an americano for my friend", "friend wants it large")
    assert await cart(chat) == lines(("latte", 1, set()), ("americano", 1, {"large"}))


async def test_conversation_the_reason_says_whose(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "Dev wants a small pizza with olives and ham", "Mia wants the same as Dev")
    await talk(chat, "and Kate wants a small pizza with mushrooms")
    await talk(chat, "Mia changed her mind, take the ham off hers")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "olives", "ham"}),
        ("pizza", 1, {"small", "olives"}),
        ("pizza", 1, {"small", "mushrooms"}),
    )


async def test_conversation_the_kids_ones_after_one_each(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with ham for me and a small one with olives for my son")
    await talk(chat, "a small pizza with pepperoni for my daughter", "make the kids' ones medium")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "ham"}),
        ("pizza", 1, {"medium", "olives"}),
        ("pizza", 1, {"medium", "pepperoni"}),
    )


async def test_conversation_mine_and_my_coworkers_of_one_line(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "for me and 2 coworkers: 3 steak burritos with white rice")
    await talk(
        chat, "Sam wants his with extra steak", "Ana wants hers with chicken instead of steak"
    )
    await talk(chat, "and mine with no rice")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak"}),
        ("burrito", 1, {"extra steak", "white_rice"}),
        ("burrito", 1, {"chicken", "white_rice"}),
    )


async def test_conversation_what_someone_is_having(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "Jo wants a cheeseburger with bacon", "a chicken sandwich for me")
    await talk(chat, "my son wants what Jo's having", "no bacon on his")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"bacon"}), ("cheese_burger", 1, set()), ("chicken_sandwich", 1, set())
    )


async def test_conversation_a_counted_dish_each_for_someone(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 bowls, steak for me and chicken for my roommate", "she wants no cheese")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak"}), ("burrito_bowl", 1, {"chicken", "no cheese"})
    )


async def test_conversation_a_dish_of_their_own_for_someone(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni pizza for the adults")
    await talk(chat, "and the kids get two small cheese pizzas")
    await talk(chat, "my sister wants her own small pizza with ham")
    await talk(chat, "and add a small pizza with olives for her boyfriend")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "pepperoni"}),
        ("pizza", 2, {"small", "cheese"}),
        ("pizza", 1, {"small", "ham"}),
        ("pizza", 1, {"small", "olives"}),
    )


async def test_conversation_one_for_someone_as_they_want_it(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with lettuce, onion and pickle for me")
    await talk(chat, "and one for my son with just pickle")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"lettuce", "onion", "pickle"}), ("cheese_burger", 1, {"pickle"})
    )


async def test_conversation_someone_changed_their_mind(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small americano for my dad and a large latte for me")
    await talk(chat, "my dad changed his mind, he wants a cappuccino instead")
    assert await cart(chat) == lines(("cappuccino", 1, {"small"}), ("latte", 1, {"large"}))
    await talk(chat, "the latte is mine, with caramel syrup please")
    await talk(chat, "I changed my mind, I want an iced americano instead")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"small"}), ("americano", 1, {"large", "iced", "caramel_syrup"})
    )


async def test_conversation_a_dish_swapped_whole_keeps_what_is_said(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large decaf cappuccino", "actually a large decaf drip coffee instead")
    assert await cart(chat) == lines(("drip_coffee", 1, {"large", "decaf"}))


async def test_conversation_whose_each_is_told_later(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large latte, a small americano and a hot chocolate for me, my wife and son")
    await talk(chat, "the latte is my wife's, she wants it skinny")
    await talk(chat, "and make hers iced")
    assert ("latte", 1, frozenset({"large", "skinny", "iced"})) in await cart(chat)


async def test_conversation_each_says_which_line_is_theirs(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito and a chicken burrito, for me and my sister")
    await talk(chat, "mine's the steak one, with black beans", "hers with pinto beans")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "black_beans"}), ("burrito", 1, {"chicken", "pinto_beans"})
    )


async def test_conversation_put_mine_on_it(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pepperoni pizza for my son", "and for me a medium with olives")
    await talk(chat, "ok put mine on a thin crust")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "pepperoni"}), ("pizza", 1, {"medium", "olives", "thin_crust"})
    )


async def test_conversation_a_shared_line_for_me_and_a_group(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "three lattes for me and my two kids", "the kids want theirs small")
    assert await cart(chat) == lines(("latte", 1), ("latte", 2, {"small"}))
    named = new_chat("burrito")
    await talk(named, "for me and 2 friends: 3 steak bowls", "Sam wants his with extra steak")
    await talk(named, "Jo wants hers with chicken instead of steak", "mine with corn salsa")
    assert await cart(named) == lines(
        ("burrito_bowl", 1, {"extra steak"}),
        ("burrito_bowl", 1, {"chicken"}),
        ("burrito_bowl", 1, {"steak", "corn_salsa"}),
    )


async def test_conversation_my_friend_by_name(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a hot chocolate for me and a cappuccino for my friend Ana")
    await talk(chat, "Ana wants hers iced")
    assert ("cappuccino", 1, frozenset({"iced"})) in await cart(chat)


async def test_conversation_her_dish_and_which_one_it_is(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito and a chicken burrito for me and my wife", "and 2 cokes")
    await talk(chat, "she wants a sprite instead of a coke")
    await talk(chat, "add guac to her burrito, she's the steak one")
    assert ("burrito", 1, frozenset({"steak", "guacamole"})) in await cart(chat)


async def test_conversation_two_lines_changed_in_one_breath(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna, a turkey and a veggie")
    await talk(chat, "the tuna with lettuce and the veggie with pickles and onions")
    assert await cart(chat) == lines(
        ("tuna", 1, {"lettuce"}), ("turkey_breast", 1), ("veggie", 1, {"pickles", "red_onions"})
    )


async def test_conversation_parts_keep_what_is_said_for_all(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 turkey subs", "both with swiss, one with mayo and the other with mustard")
    assert await cart(chat) == lines(
        ("turkey_breast", 1, {"swiss", "regular_mayonnaise"}),
        ("turkey_breast", 1, {"swiss", "yellow_mustard"}),
    )


async def test_conversation_no_actually_swap_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "turkey sub with provolone and lettuce")
    await talk(chat, "no actually swap the provolone for swiss")
    assert await cart(chat) == lines(("turkey_breast", 1, {"swiss", "lettuce"}))


async def test_conversation_that_one_among_lines_alike(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "gimme 2 cheeseburgers", "one with blue cheese")
    await talk(chat, "no wait, not blue cheese, put bacon on that one instead")
    assert await cart(chat) == lines(("cheese_burger", 1), ("cheese_burger", 1, {"bacon"}))


async def test_conversation_a_dish_instead_of_one_of_a_line(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "4 cold cut combos for the guys", "and 4 cokes")
    await talk(chat, "one guy wants a sprite instead of a coke")
    assert await cart(chat) == lines(("cold_cut_combo", 4), ("coca_cola", 3), ("sprite", 1))


async def test_conversation_remove_a_dish_is_one_of_them(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 small hot chocolates", "and a latte", "remove a hot chocolate")
    assert await cart(chat) == lines(("hot_chocolate", 2, {"small"}), ("latte", 1))
    await talk(chat, "remove the hot chocolates")
    assert await cart(chat) == lines(("latte", 1))


async def test_conversation_why_then_take_one_off(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "hot chocolates for the kids, 3 small ones", "and a large latte for me")
    await talk(chat, "one of the kids doesnt want a hot chocolate, take one off")
    assert await cart(chat) == lines(("hot_chocolate", 2, {"small"}), ("latte", 1, {"large"}))


async def test_conversation_just_the_one_after_another(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "lemme get a large hawaiian", "and another one")
    await talk(chat, "actually just the one hawaiian is fine")
    assert await cart(chat) == lines(("pizza", 1, {"large", "hawaiian"}))


async def test_conversation_scratch_it_make_it_another_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "large meat lovers pizza", "and a ginger ale")
    await talk(chat, "scratch the ginger ale, make it a dr pepper")
    assert await cart(chat) == lines(("pizza", 1, {"large", "meat_lover"}), ("dr_pepper", 1))


async def test_conversation_a_count_put_right(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "me and my bf: steak tacos x2 for him, chicken salad for me")
    await talk(chat, "he wants 3 tacos not 2")
    assert await cart(chat) == lines(("taco", 3, {"steak"}), ("salad", 1, {"chicken"}))


async def test_conversation_take_a_named_persons_dish_off(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger for Priya, a hamburger for Leo and a chicken sandwich for me")
    await talk(chat, "Leo had to leave, so cancel Leo's")
    assert await cart(chat) == lines(("cheese_burger", 1), ("chicken_sandwich", 1))
    await talk(chat, "oh and remove Priya's")
    assert await cart(chat) == lines(("chicken_sandwich", 1))


async def test_conversation_for_me_then_someone_wants(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "small thin crust sausage for me, my bro wants a large thin crust w olives")
    await talk(chat, "my bro wants mushrooms on his too")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "thin_crust", "sausage"}),
        ("pizza", 1, {"large", "thin_crust", "olives", "mushrooms"}),
    )


async def test_conversation_uncle_and_ill_take(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "my uncle wants a cheeseburger and i'll take a cheeseburger too")
    await talk(chat, "my uncle wants bacon on his")
    assert await cart(chat) == lines(("cheese_burger", 1), ("cheese_burger", 1, {"bacon"}))


async def test_conversation_a_names_possessive_is_no_menu_word(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small pepperoni for Sam and a small margherita for Kat")
    await talk(chat, "make Sam's a medium")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "pepperoni"}), ("pizza", 1, {"small", "margherita"})
    )


async def test_conversation_our_eldest_is_one_of_the_kids(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 small cheese pizzas for the kids and a large hawaiian for us")
    await talk(chat, "our eldest wants mushrooms on hers")
    assert await cart(chat) == lines(
        ("pizza", 2, {"small", "cheese"}),
        ("pizza", 1, {"small", "cheese", "mushrooms"}),
        ("pizza", 1, {"large", "hawaiian"}),
    )


async def test_conversation_one_twin_changes_his(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 chicken quesadillas for the twins and a steak bowl for my wife")
    await talk(chat, "one twin wants steak in his instead of chicken")
    assert await cart(chat) == lines(
        ("quesadilla", 1, {"chicken"}),
        ("quesadilla", 1, {"steak"}),
        ("burrito_bowl", 1, {"steak"}),
    )


async def test_conversation_one_of_them_wants_a_dish_not_another(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "the girls get 3 vanilla shakes, me: a coffee")
    await talk(chat, "one of the girls wants a chocolate shake not a vanilla shake")
    assert await cart(chat) == lines(("vanilla_shake", 2), ("chocolate_shake", 1), ("coffee", 1))


async def test_conversation_a_dish_instead_also_how(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger for my son and a salad for me")
    await talk(chat, "my son wants a hamburger instead, also no pickles")
    assert await cart(chat) == lines(("ham_burger", 1, {"no pickle"}), ("salad", 1))


async def test_conversation_a_line_for_two_named_after_it(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "two chicken burritos for Mo and Lee, and a steak taco for me")
    await talk(chat, "Lee wants black beans in hers")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken"}),
        ("burrito", 1, {"chicken", "black_beans"}),
        ("taco", 1, {"steak"}),
    )


async def test_conversation_the_same_as_someone_takes_their_place(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small hawaiian for Ann, a small vegetarian for Ben and a large pepperoni")
    await talk(chat, "Ben wants the same as Ann now")
    assert await cart(chat) == lines(
        ("pizza", 2, {"small", "hawaiian"}), ("pizza", 1, {"large", "pepperoni"})
    )


async def test_conversation_the_dish_named_first_then_each(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(
        chat,
        "grabbing burritos for everyone: 2 steak burritos for my dad, 2 chicken burritos for me",
    )
    await talk(chat, "my dad wants guac on his")
    assert await cart(chat) == lines(
        ("burrito", 2, {"steak", "guacamole"}), ("burrito", 2, {"chicken"})
    )


async def test_conversation_a_group_then_their_names(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "ordering for me and 2 roommates, Al and Bo. three cheeseburgers")
    await talk(chat, "Al wants no pickles on his", "and Bo wants bacon on his")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("cheese_burger", 1, {"no pickle"}), ("cheese_burger", 1, {"bacon"})
    )


async def test_conversation_dishes_then_whose_each_is(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(
        chat, "a tuna, an italian and a turkey. tuna is my sons, italian for me, turkey is for Dana"
    )
    assert await cart(chat) == lines(("tuna", 1), ("italian", 1), ("turkey_breast", 1))
    await talk(chat, "Dana wants bacon on hers")
    assert await cart(chat) == lines(("tuna", 1), ("italian", 1), ("turkey_breast", 1, {"bacon"}))


async def test_conversation_a_line_whose_list_names_two(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(
        chat,
        "2 small hot chocolates and 2 large americanos. the hot chocolates are for the kids, "
        "americanos for me and my brother",
    )
    await talk(chat, "my brother wants his americano with an extra shot")
    assert await cart(chat) == lines(
        ("hot_chocolate", 2, {"small"}),
        ("americano", 1, {"large"}),
        ("americano", 1, {"large", "espresso_shot_1"}),
    )


async def test_conversation_names_then_me_with_a_colon(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(
        chat,
        "ok coffee run for the crew. Dana: small cappuccino. Raj: large americano. Me: small latte",
    )
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"small"}), ("americano", 1, {"large"}), ("latte", 1, {"small"})
    )


async def test_conversation_the_occasion_is_no_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "grabbing coffee for the team. 3 iced americanos and 1 hot chocolate")
    assert await cart(chat) == lines(("americano", 3, {"iced"}), ("hot_chocolate", 1))


async def test_conversation_plural_dish_for_people_listed(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "cappuccinos for me and my roommate, both large")
    assert await cart(chat) == lines(("cappuccino", 2, {"large"}))


async def test_conversation_for_us_then_dishes_whose_unsaid(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "for me and my husband: a small americano and a large cappuccino")
    await talk(chat, "my husband wants his cappuccino with an extra shot")
    assert await cart(chat) == lines(
        ("americano", 1, {"small"}), ("cappuccino", 1, {"large", "espresso_shot_1"})
    )


async def test_conversation_kinds_listed_one_plain(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 americanos: honey for Rob, vanilla for Rosa and plain for me")
    assert await cart(chat) == lines(
        ("americano", 1, {"honey"}), ("americano", 1, {"vanilla_syrup"}), ("americano", 1)
    )


async def test_conversation_remove_a_named_persons_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna for Bea and an italian for Jay")
    await talk(chat, "remove Jay's")
    assert await cart(chat) == lines(("tuna", 1))
    await talk(chat, "a veggie for Lou")
    await talk(chat, "Lou cant come after all, take his off")
    assert await cart(chat) == lines(("tuna", 1))


async def test_conversation_not_coming_so_no_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a vanilla latte for Ivo and a hot chocolate for Lena")
    await talk(chat, "Lena isnt joining us anymore so no hot chocolate")
    assert await cart(chat) == lines(("latte", 1, {"vanilla_syrup"}))


async def test_conversation_my_gf_is_a_person(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "an italian for me and a tuna for my gf")
    await talk(chat, "my gf wants the veggie instead of the tuna")
    assert await cart(chat) == lines(("italian", 1), ("veggie", 1))


async def test_conversation_the_cheaper_of_the_two_is_one(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "what's the price of a sprite", "and a ginger ale?")
    await talk(chat, "the cheaper of the two please")
    assert await cart(chat) == lines(("sprite", 1))


async def test_conversation_take_off_the_dish_named_by_its_topping(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "two medium pizzas, one with ham and one with olives")
    await talk(chat, "take off the olive pizza")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "ham"}))


async def test_conversation_a_number_in_a_dish_name_is_no_count(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium cheese pizza and a 7 up", "change that 7 up to a can")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "cheese"}), ("seven_up", 1, {"can"}))


async def test_conversation_the_largest_after_a_sizes_question(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "what sizes do you do?", "the largest cappuccino please")
    assert await cart(chat) == lines(("cappuccino", 1, {"extra_large"}))


async def test_conversation_and_a_large_one_with_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small cappuccino", "and a large one with caramel syrup")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"small"}), ("cappuccino", 1, {"large", "caramel_syrup"})
    )


async def test_conversation_instead_of_an_option_the_line_with_it(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "turkey sub with provolone and tomato", "and a coke")
    await talk(chat, "make it cheddar instead of provolone")
    assert await cart(chat) == lines(
        ("turkey_breast", 1, {"tomatoes", "monterey_cheddar"}), ("coca_cola", 1)
    )


async def test_conversation_an_order_then_a_line_counted(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "an italian with lettuce")
    await talk(chat, "Also a bottled water. And the sub, three of those.")
    assert await cart(chat) == lines(("italian", 3, {"lettuce"}), ("dasani_water", 1))


async def test_conversation_a_dish_liked_then_how(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "what sides are there?", "the garlic fries look great, a large one")
    assert await cart(chat) == lines(("garlic_fries", 1, {"large"}))


async def test_conversation_swap_keeps_amounts_as_said(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "hamburger with extra pickles and onions")
    await talk(chat, "make it a double cheeseburger, same toppings")
    assert await cart(chat) == lines(("double_cheese_burger", 1, {"extra pickle", "onion"}))


async def test_conversation_another_size_with_the_same_toppings(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "medium pizza with mushrooms and olives", "how much is it?")
    await talk(chat, "and a large one with the same toppings")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "mushrooms", "olives"}),
        ("pizza", 1, {"large", "mushrooms", "olives"}),
    )


async def test_conversation_the_ones_named_by_a_word_after_a_list(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "which chips do you carry", "the jalapeno ones please")
    assert await cart(chat) == lines(("miss_vickies_jalapeno", 1))


async def test_conversation_price_of_a_line_by_its_kind(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a mexican coke and a peach orange juice")
    turn = await talk(chat, "how much was the juice?")
    assert "2.50" in turn.reply
    await talk(chat, "ok make it two of those")
    assert await cart(chat) == lines(("mexican_coca_cola", 1), ("nantucket_peach_orange_juice", 2))


async def test_conversation_one_of_a_line_becomes_a_sized_drink(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "two 2 liter sprites", "make one of the sprites a 2 liter coke")
    assert await cart(chat) == lines(("sprite", 1, {"2_liter"}), ("coke", 1, {"2_liter"}))


async def test_conversation_of_the_others_then_how_many(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "3 hamburgers", "one of them with bacon")
    await talk(chat, "and of the other two, one without onions")
    assert await cart(chat) == lines(
        ("ham_burger", 1), ("ham_burger", 1, {"bacon"}), ("ham_burger", 1, {"no onion"})
    )


async def test_conversation_the_one_of_the_options_compared(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "what's the difference between the red and green salsa?")
    await talk(chat, "a chicken burrito with the red one please")
    assert await cart(chat) == lines(("burrito", 1, {"chicken", "red_chili_salsa"}))


async def test_conversation_swap_the_line_named_by_a_word_for_a_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a double cheeseburger with bacon", "and a coke")
    await talk(chat, "swap the double for a regular cheeseburger")
    assert await cart(chat) == lines(("cheese_burger", 1, {"bacon"}), ("coca_cola", 1))


async def test_conversation_switch_the_kind_to_a_word(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a peach orange juice and a steak taco", "switch my juice to pineapple")
    assert await cart(chat) == lines(
        ("nantucket_pineapple_orange_juice", 1), ("taco", 1, {"steak"})
    )


async def test_conversation_one_of_them_wants_it_on_the_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "my two kids want hamburgers", "and two vanilla shakes")
    await talk(chat, "one of them wants cheddar on the hamburger")
    assert await cart(chat) == lines(
        ("ham_burger", 1), ("ham_burger", 1, {"cheddar"}), ("vanilla_shake", 2)
    )


async def test_conversation_what_an_option_asked_about_adds(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "is there thin crust?")
    said = await talk(chat, "how much more is it?")
    assert "0.25" in said.reply  # what the crust adds, beside the pizza's price
    chat = new_chat("coffee")
    await talk(chat, "do you have hazelnut syrup?")
    said = await talk(chat, "what does it cost?")
    assert "1.25" in said.reply
    await talk(chat, "put it in a cappuccino then")
    assert await cart(chat) == lines(("cappuccino", 1, {"hazelnut_syrup"}))


async def test_conversation_the_price_of_an_option_alone(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna sub")
    said = await talk(chat, "how much are jalapenos?")
    assert "1.50" in said.reply
    await talk(chat, "put those on it")
    assert await cart(chat) == lines(("tuna", 1, {"jalapenos"}))


async def test_conversation_an_option_priced_goes_on_my_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small americano", "how much is hazelnut syrup?")
    await talk(chat, "sure put that in my americano")
    assert await cart(chat) == lines(("americano", 1, {"small", "hazelnut_syrup"}))


async def test_conversation_a_dish_asked_about_is_named_as_asked(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    said = await talk(chat, "do you guys do a meat lovers pizza?")
    assert "meat lover" in said.reply.lower()
    chat = new_chat("coffee")
    said = await talk(chat, "got decaf cappuccinos?")
    assert "decaf" in said.reply.lower()


async def test_conversation_a_kind_asked_for_is_listed(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    said = await talk(chat, "you guys have chips?")
    assert "doritos" in said.reply.lower() and "sunchips" in said.reply.lower()
    chat = new_chat("burrito")
    said = await talk(chat, "which fillings are there?")
    assert "carnitas" in said.reply.lower()
    chat = new_chat("sub")
    said = await talk(chat, "which sauces can I get")
    assert "ranch" in said.reply.lower() and "chipotle" in said.reply.lower()


async def test_conversation_can_i_get_an_option_on_a_dish_asks(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "could I get jalapenos on a burger?")
    said = await talk(chat, "how much extra?")
    assert "jalapeno" in said.reply.lower()
    assert await cart(chat) == lines()
    chat = new_chat("coffee")
    await talk(chat, "can the cappuccino be decaf?")
    assert await cart(chat) == lines()
    chat = new_chat("pizzeria")
    said = await talk(chat, "how much more is the hawaiian option on a pizza?")
    assert "extra" in said.reply.lower()


async def test_conversation_their_dish_with_just_an_option_changes_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a veggie for me and 2 italians for my sons")
    await talk(chat, "my sons want their italian with just provolone")
    assert await cart(chat) == lines(("veggie", 1, set()), ("italian", 2, {"provolone"}))


async def test_conversation_a_dish_named_then_taken_off_is_removed(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna for me and a veggie for my sister")
    await talk(chat, "the veggie was for my sister but she's not hungry, remove it please")
    assert await cart(chat) == lines(("tuna", 1, set()))


async def test_conversation_make_someones_a_size_too_changes_theirs(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small cappuccino for my mom and a large latte for me")
    await talk(chat, "make mom's a large as well")
    assert await cart(chat) == lines(("cappuccino", 1, {"large"}), ("latte", 1, {"large"}))


async def test_conversation_a_party_size_before_a_full_stop_counts_no_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "lunch for my crew of 3. Tuna for Ana, veggie for Bo and an italian for me")
    assert await cart(chat) == lines(
        ("tuna", 1, set()), ("veggie", 1, set()), ("italian", 1, set())
    )


async def test_conversation_a_unit_split_off_for_someone_is_theirs(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "3 cheeseburgers for the team")
    await talk(chat, "one with no pickles for Dana")
    await talk(chat, "and another for Lou, same as Dana's")
    assert await cart(chat) == lines(
        ("cheese_burger", 2, set()), ("cheese_burger", 2, {"no pickle"})
    )


async def test_conversation_someone_of_a_group_not_coming_takes_one_unit_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "me and 2 coworkers, so 3 small lattes please")
    await talk(chat, "Omar wants his with vanilla syrup")
    await talk(chat, "Priya can't make it today, take hers off")
    assert await cart(chat) == lines(
        ("latte", 1, {"small"}), ("latte", 1, {"small", "vanilla_syrup"})
    )


async def test_conversation_wants_hers_on_a_crust_changes_hers(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "Ana wants a large veggie, Ben wants a large pepperoni")
    await talk(chat, "Ana would like hers on a gluten free crust")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "vegetarian", "gluten_free_crust"}),
        ("pizza", 1, {"large", "pepperoni"}),
    )


async def test_conversation_my_own_dish_then_theirs_is_one_each(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(
        chat,
        "I'd like a small hawaiian pizza. Ana wants a large pepperoni. Ben wants a medium veggie",
    )
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "hawaiian"}),
        ("pizza", 1, {"large", "pepperoni"}),
        ("pizza", 1, {"medium", "vegetarian"}),
    )


async def test_conversation_all_three_counts_every_dish_meant(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small hawaiian for my sister")
    await talk(chat, "my dad wants a small pepperoni and I want a small veggie")
    await talk(chat, "on second thought make all three medium")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "hawaiian"}),
        ("pizza", 1, {"medium", "pepperoni"}),
        ("pizza", 1, {"medium", "vegetarian"}),
    )


async def test_conversation_one_for_each_of_them_counts_the_others(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a chicken sandwich for my brother and a cheeseburger for my sister")
    await talk(chat, "oh and a coke for each of them")
    assert await cart(chat) == lines(
        ("chicken_sandwich", 1),
        ("cheese_burger", 1),
        ("coca_cola", 2),
    )


async def test_conversation_kinds_listed_without_and_split_the_line(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "two strawberry shakes please", "no wait, 1 strawberry 1 chocolate")
    assert await cart(chat) == lines(("strawberry_shake", 1, set()), ("chocolate_shake", 1, set()))


async def test_conversation_the_other_one_plain_loses_what_the_first_gets(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 turkey subs with bacon", "only one with bacon, the other one plain")
    assert await cart(chat) == lines(("turkey_breast", 1, {"bacon"}), ("turkey_breast", 1, set()))
    chat = new_chat("sub")
    await talk(chat, "two tuna subs", "one with swiss and one plain")
    assert await cart(chat) == lines(("tuna", 1, {"swiss"}), ("tuna", 1, set()))


async def test_conversation_actually_an_option_takes_the_place_of_its_like(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a turkey sub with provolone", "no, actually pepperjack")
    assert await cart(chat) == lines(("turkey_breast", 1, {"pepperjack"}))
    chat = new_chat("coffee")
    await talk(chat, "a latte with caramel syrup", "actually vanilla")
    assert await cart(chat) == lines(("latte", 1, {"vanilla_syrup"}))


async def test_conversation_take_off_a_filling_the_line_has(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a burrito with carnitas and chicken and black beans", "take the chicken off")
    assert await cart(chat) == lines(("burrito", 1, {"carnitas", "black_beans"}))


async def test_conversation_keep_it_and_add_more(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken bowl with guac", "is guac extra?")
    await talk(chat, "fine keep it and add sour cream")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"chicken", "guacamole", "sour_cream"}))


async def test_conversation_one_of_the_two_gets_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "two medium pizzas with ham", "one of the two with mushrooms")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham"}), ("pizza", 1, {"medium", "ham", "mushrooms"})
    )


async def test_conversation_instead_of_a_bare_colour_word(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak bowl with red salsa", "make that green salsa instead of red")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"steak", "green_chili_salsa"}))


async def test_conversation_no_wait_an_option_on_both_replaces_its_like(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito and a steak burrito", "white rice on the steak one")
    await talk(chat, "no wait, brown rice on both")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "brown_rice"}), ("burrito", 1, {"steak", "brown_rice"})
    )


async def test_conversation_the_option_that_names_the_line_gives_way(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "two hamburgers with ketchup, one of them with bacon")
    await talk(chat, "the one with bacon, make it jalapenos instead")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"ketchup"}), ("ham_burger", 1, {"ketchup", "jalapenos"})
    )


async def test_conversation_both_flavoured_ones_is_that_flavour_only(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 chocolate shakes and a strawberry shake, small")
    await talk(chat, "both chocolate ones large")
    assert await cart(chat) == lines(
        ("chocolate_shake", 2, {"large"}), ("strawberry_shake", 1, {"small"})
    )


async def test_conversation_also_swap_one_dish_for_another(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a coke", "also switch the coke to a root beer")
    assert await cart(chat) == lines(("cheese_burger", 1), ("root_beer", 1))


async def test_conversation_double_an_option_on_a_line(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with mushrooms and a small pizza with ham")
    await talk(chat, "double the mushrooms on the large one")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "extra mushrooms"}), ("pizza", 1, {"small", "ham"})
    )


async def test_conversation_and_the_other_dish_after_a_price_question(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a root beer and a diet coke", "how much is the root beer")
    turn = await talk(chat, "and the diet coke?")
    assert "$2.25" in turn.reply
    assert await cart(chat) == lines(("root_beer", 1), ("diet_coke", 1))


async def test_conversation_another_dish_of_another_kind_the_same_way(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a carnitas bowl with brown rice and corn salsa")
    await talk(chat, "plus a tofu bowl the same way")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"carnitas", "brown_rice", "corn_salsa"}),
        ("burrito_bowl", 1, {"tofu", "brown_rice", "corn_salsa"}),
    )


async def test_conversation_not_on_one_only_on_the_other(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small hawaiian and a small margherita", "mushrooms on both")
    await talk(chat, "no mushrooms on the hawaiian, only on the margherita")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "hawaiian"}), ("pizza", 1, {"small", "margherita", "mushrooms"})
    )


async def test_conversation_take_it_off_after_its_price(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with ham and pineapple", "how much extra is pineapple?")
    await talk(chat, "hmm leave it off then, olives instead")
    assert await cart(chat) == lines(("pizza", 1, {"large", "ham", "olives"}))


async def test_conversation_price_of_each_line(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken taco and a tofu taco with sour cream")
    turn = await talk(chat, "what do the tacos cost each?")
    assert "$10.25" in turn.reply


async def test_conversation_how_much_extra_an_option_is_on_the_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a barbacoa burrito with cheese and sour cream")
    turn = await talk(chat, "how much extra is the cheese on the burrito?")
    assert "extra" in turn.reply


async def test_conversation_names_listed_after_for_own_their_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(
        chat,
        "a large hawaiian for mom, a small pepperoni for grace and a small veggie for rose",
        "rose has a fever, cancel hers",
    )
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "hawaiian"}), ("pizza", 1, {"small", "pepperoni"})
    )


async def test_conversation_counts_after_why_the_party_changed(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 chicken burritos and 3 cokes")
    await talk(chat, "my brother bailed, so 2 burritos and 2 cokes")
    assert await cart(chat) == lines(("burrito", 2, {"chicken"}), ("mexican_coca_cola", 2))
    chat = new_chat("burrito")
    await talk(chat, "2 steak tacos for my son", "my son says only 1 taco")
    assert await cart(chat) == lines(("taco", 1, {"steak"}))
    chat = new_chat("burger")
    await talk(chat, "4 cheeseburgers", "make that 6, two more friends just showed up")
    assert await cart(chat) == lines(("cheese_burger", 6))


async def test_conversation_a_group_of_known_size_each_wants_one(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak bowl for my mom", "and the twins each want a chicken taco")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"steak"}), ("taco", 2, {"chicken"}))
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger for my dad", "all three of us want a small coke")
    assert await cart(chat) == lines(("cheese_burger", 1), ("coca_cola", 3, {"small"}))


async def test_conversation_their_own_or_shared_dish_is_new(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni for me", "my sister wants her own small pizza with ham")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "pepperoni"}), ("pizza", 1, {"small", "ham"})
    )
    chat = new_chat("pizzeria")
    await talk(
        chat, "a small veggie for my son", "and the girls are going to share one large margherita"
    )
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "vegetarian"}), ("pizza", 1, {"large", "margherita"})
    )


async def test_conversation_one_to_share_is_one_for_everyone(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni for me and a medium hawaiian for my roommate")
    await talk(chat, "and a 2 liter coke for everyone to share")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "pepperoni"}),
        ("pizza", 1, {"medium", "hawaiian"}),
        ("coke", 1, {"2_liter"}),
    )


async def test_conversation_some_of_the_many_said_again(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "4 large cheese pizzas", "2 of the 4 with extra mushrooms")
    await talk(chat, "one of the 2 large mushroom ones should be thin crust")
    assert await cart(chat) == lines(
        ("pizza", 2, {"large", "cheese"}),
        ("pizza", 1, {"large", "cheese", "extra mushrooms"}),
        ("pizza", 1, {"large", "cheese", "extra mushrooms", "thin_crust"}),
    )


async def test_conversation_he_wants_the_same_after_her_order(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a vanilla shake and a chocolate shake")
    await talk(chat, "she wants a dr pepper, and he wants the same")
    assert await cart(chat) == lines(("vanilla_shake", 1), ("chocolate_shake", 1), ("dr_pepper", 2))


async def test_conversation_his_is_the_one_not_mine(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "two cheeseburgers. mine with bacon, his just ketchup")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"bacon"}), ("cheese_burger", 1, {"ketchup"})
    )
    chat = new_chat("pizzeria")
    await talk(chat, "a medium hawaiian and a medium margherita")
    await talk(chat, "the margherita is mine. he wants olives on his")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "hawaiian", "olives"}), ("pizza", 1, {"medium", "margherita"})
    )


async def test_conversation_me_and_him_want_two_is_one_each(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "me n my sister want 2 cheeseburgers with pickles")
    await talk(chat, "my sister says bacon instead of pickles on hers")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"pickle"}), ("cheese_burger", 1, {"bacon"})
    )


async def test_conversation_the_dish_for_me_beside_hers_is_ordered(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "steak burrito for my mom, no cheese")
    await talk(chat, "chicken burrito for me with brown rice and cheese")
    await talk(chat, "and add sour cream to hers")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "no cheese", "sour_cream"}),
        ("burrito", 1, {"chicken", "brown_rice", "cheese"}),
    )


async def test_conversation_for_a_name_then_a_dish_is_theirs(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "for me a cheeseburger with bacon", "for mike a chicken sandwich, no mayo")
    await talk(chat, "for lena a salad with tomato", "mike says add pickles to his")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"bacon"}),
        ("chicken_sandwich", 1, {"no mayonnaise", "pickle"}),
        ("salad", 1, {"tomato"}),
    )


async def test_conversation_that_ones_mine_then_his_copy(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak bowl with white rice and cheese")
    await talk(chat, "that one's mine. my dad wants the same bowl but chicken instead of steak")
    await talk(chat, "and add sour cream to his")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak", "white_rice", "cheese"}),
        ("burrito_bowl", 1, {"chicken", "white_rice", "cheese", "sour_cream"}),
    )


async def test_conversation_a_count_of_the_dish_asked_about_with_some_apart(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "what does the tuna cost?", "alright 3 of them, one with bacon")
    assert await cart(chat) == lines(("tuna", 2, set()), ("tuna", 1, {"bacon"}))
    chat = new_chat("coffee")
    await talk(chat, "do you have skinny lattes?", "cool I'll take 2, one of them iced")
    assert await cart(chat) == lines(("latte", 1, {"skinny"}), ("latte", 1, {"skinny", "iced"}))


async def test_conversation_a_dish_for_each_of_a_counted_group(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small latte for each of my 4 coworkers")
    assert await cart(chat) == lines(("latte", 4, {"small"}))


async def test_conversation_the_same_for_a_counted_group_is_one_each(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "an iced americano for me. The same for my 2 friends")
    assert await cart(chat) == lines(("americano", 3, {"iced"}))
    chat = new_chat("sub")
    await talk(chat, "a tuna with bacon", "same for my three kids")
    assert await cart(chat) == lines(("tuna", 4, {"bacon"}))


async def test_conversation_one_more_with_only_options_copies_the_last(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(
        chat, "a large latte with caramel syrup", "and one more for my son, small, no caramel syrup"
    )
    assert await cart(chat) == lines(
        ("latte", 1, {"large", "caramel_syrup"}), ("latte", 1, {"small"})
    )


async def test_conversation_another_count_of_those_adds_that_many(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito with black beans", "another 3 of those please")
    assert await cart(chat) == lines(("burrito", 4, {"chicken", "black_beans"}))


async def test_conversation_options_in_all_of_the_lines(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a latte and 2 cappuccinos", "and hazelnut syrup in all three")
    assert await cart(chat) == lines(
        ("latte", 1, {"hazelnut_syrup"}), ("cappuccino", 2, {"hazelnut_syrup"})
    )


async def test_conversation_some_of_the_counted_lines_get_an_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "5 americanos for the team", "three of the five with honey")
    assert await cart(chat) == lines(("americano", 2, set()), ("americano", 3, {"honey"}))


async def test_conversation_the_non_option_ones_are_the_lines_without_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 americanos", "make 2 of them decaf", "add honey to the non-decaf one")
    assert await cart(chat) == lines(("americano", 2, {"decaf"}), ("americano", 1, {"honey"}))


async def test_conversation_a_count_put_right_after_make_it(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and 2 root beers", "make it 5 root beers, no sorry, 3")
    assert await cart(chat) == lines(("cheese_burger", 1), ("root_beer", 3))


async def test_conversation_no_this_option_that_one_replaces_it(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "an italian sub with onions and olives", "no olives, pickles")
    assert await cart(chat) == lines(("italian", 1, {"red_onions", "pickles"}))
    chat = new_chat("sub")
    await talk(chat, "an italian sub with onions and olives", "no olives, no onions")
    assert await cart(chat) == lines(("italian", 1, set()))


async def test_conversation_options_swapped_between_two_lines(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a cappuccino with vanilla syrup and a latte with caramel syrup")
    await talk(chat, "oops mixed them up, caramel on the cappuccino and vanilla on the latte")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"caramel_syrup"}), ("latte", 1, {"vanilla_syrup"})
    )
    chat = new_chat("sub")
    await talk(chat, "a tuna sub no pickles and a veggie sub no olives")
    await talk(chat, "swap those: no olives on the tuna and no pickles on the veggie")
    assert await cart(chat) == lines(
        ("tuna", 1, {"no black_olives"}), ("veggie", 1, {"no pickles"})
    )


async def test_conversation_the_other_one_with_an_option_gets_it(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "two lattes, one with vanilla syrup", "and the other one with hazelnut syrup")
    assert await cart(chat) == lines(
        ("latte", 1, {"vanilla_syrup"}), ("latte", 1, {"hazelnut_syrup"})
    )


async def test_conversation_no_wait_then_an_option_is_the_option(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small hot chocolate", "no sorry regular")
    assert await cart(chat) == lines(("hot_chocolate", 1, {"regular"}))


async def test_conversation_a_sized_one_for_someone_is_the_dish_again(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large hot chocolate", "and a small one for my daughter")
    assert await cart(chat) == lines(
        ("hot_chocolate", 1, {"large"}), ("hot_chocolate", 1, {"small"})
    )


async def test_conversation_it_after_the_price_of_a_line_named_with_and(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a veggie sub and a steak and cheese", "how much is the steak and cheese")
    await talk(chat, "ok swap it for a tuna")
    assert await cart(chat) == lines(("veggie", 1), ("tuna", 1))


async def test_conversation_so_many_then_after_a_count_change_sets_the_count(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "4 cheeseburgers and 4 root beers", "make it 3 burgers, my sister left")
    await talk(chat, "ok 3 root beers then")
    assert await cart(chat) == lines(("cheese_burger", 3), ("root_beer", 3))
    chat = new_chat("burger")
    await talk(chat, "4 cheeseburgers", "make it 3 burgers", "and 2 root beers then")
    assert await cart(chat) == lines(("cheese_burger", 3), ("root_beer", 2))


# --- undecided customers: prices asked between orders (blind41) ---------------------------


async def test_conversation_an_option_costed_on_top_of_the_dish_asked_about(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "what's a pizza cost?")
    turn = await talk(chat, "and thin crust, what does that cost on top?")
    assert "$0.25 extra" in turn.reply
    assert await cart(chat) == lines()


async def test_conversation_an_option_costed_on_a_kind_of_dish_then_put_on_one(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    turn = await talk(chat, "what does bacon cost on a burger")
    assert "$1.50 extra" in turn.reply
    await talk(chat, "alright put it on a cheeseburger")
    assert await cart(chat) == lines(("cheese_burger", 1, {"bacon"}))


async def test_conversation_adding_an_option_to_a_kind_of_dish_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito and a steak burrito")
    turn = await talk(chat, "what would it cost to add cheese to a burrito?")
    assert "$1.00 extra" in turn.reply
    assert await cart(chat) == lines(("burrito", 1, {"chicken"}), ("burrito", 1, {"steak"}))


async def test_conversation_what_an_option_a_line_has_adds(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a carnitas burrito")
    turn = await talk(chat, "how much does the carnitas add?")
    assert "$1.75 extra" in turn.reply


async def test_conversation_what_an_option_costs_is_its_price_not_its_group(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 steak tacos")
    turn = await talk(chat, "what does brown rice cost")
    assert "$1.00 extra" in turn.reply


async def test_conversation_the_other_option_of_a_group_asked_after_one(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken bowl with red salsa", "how much is the red salsa extra?")
    turn = await talk(chat, "and the corn one?")
    assert "$1.25 extra" in turn.reply
    assert await cart(chat) == lines(("burrito_bowl", 1, {"chicken", "red_chili_salsa"}))


async def test_conversation_a_price_remarked_on_before_a_change(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak quesadilla", "switch it to carnitas")
    await talk(chat, "hmm carnitas is pricier, go back to steak")
    assert await cart(chat) == lines(("quesadilla", 1, {"steak"}))


async def test_conversation_a_count_of_one_of_the_dishes_asked_about(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much are a root beer and a dr pepper")
    await talk(chat, "the dr pepper then, make it three")
    assert await cart(chat) == lines(("dr_pepper", 3))
    chat = new_chat("burger")
    await talk(chat, "how much is a milk", "and a coffee?")
    await talk(chat, "ok the milk, 2 of them")
    assert await cart(chat) == lines(("milk", 2))


async def test_conversation_the_cheaper_of_two_dishes_asked_with_a_count(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "is the iced tea or the root beer cheaper")
    await talk(chat, "ok the cheaper one, three please")
    assert await cart(chat) == lines(("root_beer", 3))


async def test_conversation_a_price_compared_is_asked_not_a_swap(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a large coca cola and a cheeseburger")
    turn = await talk(chat, "wait is a dr pepper cheaper?")
    assert "$2.25" in turn.reply
    assert await cart(chat) == lines(("coca_cola", 1, {"large"}), ("cheese_burger", 1))
    chat = new_chat("pizzeria")
    await talk(chat, "two pepsis", "how much is a dr pepper")
    await talk(chat, "same price?")
    assert await cart(chat) == lines(("pepsi", 2))


async def test_conversation_how_much_each_prices_the_lines_just_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a ham burger and a vanilla shake")
    turn = await talk(chat, "how much are they each?")
    assert "$7.00" in turn.reply and "$1.50" in turn.reply
    assert await cart(chat) == lines(("ham_burger", 1), ("vanilla_shake", 1))


async def test_conversation_do_the_dish_instead_is_a_swap(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a salad with bacon")
    await talk(chat, "hmm do the cheeseburger instead")
    assert await cart(chat) == lines(("cheese_burger", 1, {"bacon"}))


async def test_conversation_it_in_a_question_naming_a_dish_is_that_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a coffee")
    turn = await talk(chat, "hmm what about a milk, how much is it")
    assert "$4.75" in turn.reply
    await talk(chat, "ok swap the coffee for that")
    assert await cart(chat) == lines(("cheese_burger", 1), ("milk", 1))


async def test_conversation_the_option_asked_about_taken_with_another(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with ham", "how much is bacon?")
    await talk(chat, "sure add it, and some olives too")
    assert await cart(chat) == lines(("pizza", 1, {"large", "ham", "bacon", "olives"}))


async def test_conversation_a_second_of_a_kind_of_dish_is_another(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small mediterranean pizza")
    await talk(chat, "actually give me a second mediterranean")
    assert await cart(chat) == lines(("pizza", 2, {"small", "mediterranean"}))


async def test_conversation_a_word_picks_one_of_the_dishes_asked_about(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much are garlic fries and sweet potato fries")
    await talk(chat, "the garlic then. large")
    assert await cart(chat) == lines(("garlic_fries", 1, {"large"}))


async def test_conversation_and_one_with_after_a_single_dish_is_another(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito with brown rice")
    await talk(chat, "and one with steak and black beans")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "brown_rice"}), ("burrito", 1, {"steak", "black_beans"})
    )


async def test_conversation_another_crust_asked_about_is_in_the_place_of_the_first(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "do you have thin crust?")
    turn = await talk(chat, "and gluten free crust?")
    assert "thin" not in turn.reply.lower()
    await talk(chat, "ok the thin one then, medium with mushrooms")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "thin_crust", "mushrooms"}))


async def test_conversation_whether_options_go_together_is_asked(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "could i get carnitas and barbacoa together in a burrito?")
    assert await cart(chat) == lines()
    await talk(chat, "ok one burrito with carnitas and barbacoa then")
    assert await cart(chat) == lines(("burrito", 1, {"carnitas", "barbacoa"}))


async def test_conversation_a_price_asked_by_a_word_of_one_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "what shakes do you have")
    turn = await talk(chat, "how much is vanilla")
    assert "$1.50" in turn.reply
    turn = await talk(chat, "what sizes?")
    assert "large" in turn.reply.lower()
    assert await cart(chat) == lines()


async def test_conversation_and_a_dish_alone_after_a_price_is_asked_too(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much are curly fries")
    turn = await talk(chat, "and baby carrots")
    assert "$2.00" in turn.reply
    assert await cart(chat) == lines()
    await talk(chat, "ok a small of each")
    assert await cart(chat) == lines(("curly_fries", 1, {"small"}), ("baby_carrots", 1, {"small"}))


async def test_conversation_a_flavour_word_for_someone_swaps_their_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a vanilla shake for Tom", "tom wants chocolate now")
    assert await cart(chat) == lines(("cheese_burger", 1), ("chocolate_shake", 1))


async def test_conversation_a_dish_for_each_of_a_group_counted_before(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "3 hamburgers for my nephews and a small fries for each of them")
    assert await cart(chat) == lines(("ham_burger", 3), ("french_fries", 3, {"small"}))


async def test_conversation_someone_switched_or_no_longer_wants_their_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger for my dad and a chicken sandwich for my mom")
    await talk(chat, "mom switched to a veggie burger")
    assert await cart(chat) == lines(("cheese_burger", 1), ("vegan_burger", 1))
    chat = new_chat("sub")
    await talk(chat, "an italian for my brother and a veggie for me")
    await talk(chat, "my brother doesn't want the italian any more, he wants a tuna")
    assert await cart(chat) == lines(("tuna", 1), ("veggie", 1))


async def test_conversation_a_mind_changed_to_a_copy_of_someones_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a veggie for my aunt and an italian for my uncle")
    await talk(chat, "she wants cucumbers on it")
    await talk(chat, "my uncle changed his mind, he wants a veggie just like my aunt's")
    assert await cart(chat) == lines(("veggie", 2, {"cucumbers"}))


async def test_conversation_the_speaker_changed_their_mind_to_a_dish_like_another(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a turkey for my son and a ham sub for me")
    await talk(chat, "actually i changed my mind, i'll have a turkey too")
    assert await cart(chat) == lines(("turkey_breast", 2))


async def test_conversation_another_person_arriving_is_no_copy(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger for me", "another friend is joining, he wants a hamburger")
    assert await cart(chat) == lines(("cheese_burger", 1), ("ham_burger", 1))


async def test_conversation_two_people_both_want_a_dish_is_one_each(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "my sisters both want a strawberry shake")
    assert await cart(chat) == lines(("strawberry_shake", 2))


async def test_conversation_a_total_then_its_counted_dishes(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "we need 4 subs: 2 italians, 1 tuna, 1 veggie")
    assert await cart(chat) == lines(("italian", 2), ("tuna", 1), ("veggie", 1))


async def test_conversation_same_as_his_for_someone_else(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger with bacon for Leo", "and the same as his for Max")
    assert await cart(chat) == lines(("ham_burger", 2, {"bacon"}))


async def test_conversation_counts_after_what_someone_does_not_want(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "4 hamburgers and 4 root beers", "Sam doesn't want a drink, so 3 root beers")
    assert await cart(chat) == lines(("ham_burger", 4), ("root_beer", 3))


async def test_conversation_keeping_a_line_orders_none_of_it(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a vanilla shake for Amy and a root beer for Bo")
    await talk(chat, "Bo wants a chocolate shake too, keep his root beer")
    assert await cart(chat) == lines(("vanilla_shake", 1), ("root_beer", 1), ("chocolate_shake", 1))


async def test_conversation_a_remark_before_the_changes_changes_nothing(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 hamburgers and a chocolate shake")
    await talk(chat, "my niece is diabetic, cancel the chocolate shake, she'll have a diet coke")
    assert await cart(chat) == lines(("ham_burger", 2), ("diet_coke", 1))


async def test_conversation_skip_her_dish_and_her_share_of_a_line(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger for dad and a salad for grandma", "and 2 small fries")
    await talk(chat, "grandma isn't hungry, skip her salad and her fries")
    assert await cart(chat) == lines(("ham_burger", 1), ("french_fries", 1, {"small"}))


async def test_conversation_one_of_a_group_swaps_a_drink_they_share(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 tunas for the girls and a turkey for me", "and 3 sprites")
    await talk(chat, "one of the girls wants a coke instead")
    assert await cart(chat) == lines(
        ("tuna", 2), ("turkey_breast", 1), ("sprite", 2), ("coca_cola", 1)
    )


async def test_conversation_a_bag_for_each_of_us(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "an italian for Ana, a tuna for Ben and a veggie for me")
    await talk(chat, "and a bag of doritos for each of us")
    assert await cart(chat) == lines(
        ("italian", 1), ("tuna", 1), ("veggie", 1), ("doritos_nacho_cheese", 3)
    )


async def test_conversation_so_many_bags_after_the_price(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "how much are the doritos?", "ok 2 bags, one for me and one for my sister")
    assert await cart(chat) == lines(("doritos_nacho_cheese", 2))


async def test_conversation_one_of_a_group_wants_mine_instead(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 tunas for the twins and an italian for me")
    await talk(chat, "one of the twins wants the same as mine instead")
    assert await cart(chat) == lines(("tuna", 1), ("italian", 2))


async def test_conversation_no_option_then_another_instead_leaves_it_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a turkey sub", "no mayo on it, mustard instead")
    assert await cart(chat) == lines(
        ("turkey_breast", 1, {"no regular_mayonnaise", "yellow_mustard"})
    )


async def test_conversation_one_for_someone_after_a_price_and_more(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much is the chicken sandwich?")
    await talk(chat, "ok, one for my brother then, and a root beer")
    assert await cart(chat) == lines(("chicken_sandwich", 1), ("root_beer", 1))


async def test_conversation_someone_does_not_want_their_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a coke for me and a hamburger and a sprite for Lou")
    await talk(chat, "lou doesn't want the sprite after all")
    assert await cart(chat) == lines(("cheese_burger", 1), ("coca_cola", 1), ("ham_burger", 1))


async def test_conversation_all_of_us_want_two_dishes_one_of_each(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "lunch for me and 2 cousins. all three of us want hamburgers and small fries")
    await talk(chat, "one cousin wants small curly fries instead of the regular fries")
    assert await cart(chat) == lines(
        ("ham_burger", 3), ("french_fries", 2, {"small"}), ("curly_fries", 1, {"small"})
    )


async def test_conversation_one_made_another_dish_also_with_the_same_options(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "4 tunas, all with lettuce and pickles")
    await talk(chat, "make one of the tunas a turkey, also with lettuce and pickles")
    assert await cart(chat) == lines(
        ("tuna", 3, {"lettuce", "pickles"}), ("turkey_breast", 1, {"lettuce", "pickles"})
    )


async def test_conversation_someone_gone_was_one_of_the_ones_with_an_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "5 hamburgers for the team", "3 of them with bacon")
    await talk(chat, "Dana had to leave, she was one of the bacon ones, so 4 burgers now")
    assert await cart(chat) == lines(("ham_burger", 2), ("ham_burger", 2, {"bacon"}))


async def test_conversation_a_short_name_last_in_a_list_then_a_bare_count_without_them(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "3 tunas for me, Max and Ty", "Max wants extra pickles on his")
    await talk(chat, "ty isn't coming, so just 2")
    assert await cart(chat) == lines(("tuna", 1), ("tuna", 1, {"extra pickles"}))


async def test_conversation_another_option_asked_after_an_options_price(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a latte with hazelnut syrup", "how much is the hazelnut syrup?")
    turn = await talk(chat, "what about caramel?")
    assert "$0.50" in turn.reply
    turn = await talk(
        chat, "and an americano, french roast", "how much would the french roast add?"
    )
    assert "$1.50" in turn.reply
    assert await cart(chat) == lines(("latte", 1, {"hazelnut_syrup"}), ("americano", 1, {"french"}))


async def test_conversation_a_dish_named_alone_after_a_price_is_asked_about(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "how much is a cappuccino")
    turn = await talk(chat, "espresso?")
    assert "$5.00" in turn.reply
    turn = await talk(chat, "ok and the americano")
    assert "$5.50" in turn.reply
    assert await cart(chat) == lines()


async def test_conversation_prices_compared_are_answered_not_repeated(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "an italian and a tuna sub")
    turn = await talk(chat, "do they cost the same?")
    assert "$6.00" in turn.reply and "cheaper" in turn.reply
    turn = await talk(chat, "is a gatorade or a vitamin water cheaper?")
    assert "$2.25" in turn.reply and "$2.00" in turn.reply
    assert await cart(chat) == lines(("italian", 1), ("tuna", 1))


async def test_conversation_keep_a_dish_in_the_cart_is_its_line(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a veggie sub and a gatorade", "how much is a vitamin water?")
    await talk(chat, "ok i'll keep the gatorade, make it 3")
    assert await cart(chat) == lines(("veggie", 1), ("gatorade", 3))


async def test_conversation_a_second_one_same_but_changed_copies_the_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large hot chocolate", "plus another one, same but with whipped cream")
    assert await cart(chat) == lines(
        ("hot_chocolate", 1, {"large"}), ("hot_chocolate", 1, {"large", "whipped_cream"})
    )
    chat = new_chat("coffee")
    await talk(chat, "a small iced americano", "the same but hot for my brother")
    assert await cart(chat) == lines(
        ("americano", 1, {"small", "iced"}), ("americano", 1, {"small"})
    )


async def test_conversation_a_count_then_after_asking_the_lines_price_sets_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "4 cheeseburgers please")
    turn = await talk(chat, "how much are they each?")
    assert "each" in turn.reply
    await talk(chat, "hmm ok 3 cheeseburgers and a root beer then")
    assert await cart(chat) == lines(("cheese_burger", 3), ("root_beer", 1))


async def test_conversation_that_option_after_asking_about_it_goes_on_the_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "do you have pepperjack?", "ok an italian sub with that cheese")
    assert await cart(chat) == lines(("italian", 1, {"pepperjack"}))
    chat = new_chat("sub")
    await talk(chat, "a tuna sub please", "do you have jalapenos?", "ok use those on the tuna")
    assert await cart(chat) == lines(("tuna", 1, {"jalapenos"}))


async def test_conversation_a_count_with_its_measure_after_the_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "how much are the doritos?", "ok the doritos, three bags")
    assert await cart(chat) == lines(("doritos_nacho_cheese", 3))


async def test_conversation_an_option_left_off_put_back_is_no_longer_left_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger without pickles", "actually put the pickles back on")
    assert await cart(chat) == lines(("cheese_burger", 1))
    chat = new_chat("pizzeria")
    await talk(chat, "a medium veggie pizza, no peppers", "a sprite too")
    await talk(chat, "hmm the peppers are ok actually, leave them on")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "vegetarian"}), ("sprite", 1))


async def test_conversation_a_style_taken_off_a_named_dish_leaves_the_other(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small decaf americano", "a small decaf latte")
    await talk(chat, "please take the decaf off the americano")
    assert await cart(chat) == lines(("americano", 1, {"small"}), ("latte", 1, {"small", "decaf"}))


async def test_conversation_the_other_ones_after_a_line_removed_are_the_lines_left(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a hot chocolate", "a drip coffee", "an espresso", "remove the espresso")
    await talk(chat, "and make the other two small")
    assert await cart(chat) == lines(("hot_chocolate", 1, {"small"}), ("drip_coffee", 1, {"small"}))


async def test_conversation_another_sub_with_cheese_is_no_edit_of_the_first(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "an italian with provolone", "meatball marinara with pepperjack")
    assert await cart(chat) == lines(
        ("italian", 1, {"provolone"}), ("meatball_marinara", 1, {"pepperjack"})
    )


async def test_conversation_and_then_one_more_of_a_line_repeats_it(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken bowl and a carnitas bowl", "and then one more of the carnitas one")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken"}), ("burrito_bowl", 2, {"carnitas"})
    )


async def test_conversation_the_last_thing_then_a_count_sets_the_last_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger and a root beer", "the first thing, make it three of those")
    assert await cart(chat) == lines(("ham_burger", 3), ("root_beer", 1))


async def test_conversation_a_list_of_kinds_ends_with_its_sentence(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 tacos please: carnitas, barbacoa, and chicken. Also 2 bottled waters")
    assert await cart(chat) == lines(
        ("taco", 1, {"carnitas"}),
        ("taco", 1, {"barbacoa"}),
        ("taco", 1, {"chicken"}),
        ("bottled_water", 2),
    )


async def test_conversation_what_all_of_a_list_get_said_before_it(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 salads, each with corn salsa: steak, tofu, barbacoa")
    assert await cart(chat) == lines(
        ("salad", 1, {"steak", "corn_salsa"}),
        ("salad", 1, {"tofu", "corn_salsa"}),
        ("salad", 1, {"barbacoa", "corn_salsa"}),
    )


async def test_conversation_a_count_then_kinds_for_two_people(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "two tacos, barbacoa for Lou and steak for Kim", "Kim wants corn salsa")
    assert await cart(chat) == lines(
        ("taco", 1, {"barbacoa"}), ("taco", 1, {"steak", "corn_salsa"})
    )


async def test_conversation_someone_not_wanting_a_drink_takes_one_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 chicken burritos and 3 mexican cokes", "oh my brother doesn't want a drink")
    assert await cart(chat) == lines(("burrito", 3, {"chicken"}), ("mexican_coca_cola", 2))


async def test_conversation_who_left_named_by_their_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 steak tacos, 2 chicken quesadillas and 4 lemonades")
    await talk(chat, "one of the quesadilla guys left, so 1 chicken quesadilla and 3 lemonades")
    assert await cart(chat) == lines(
        ("taco", 2, {"steak"}), ("quesadilla", 1, {"chicken"}), ("tractor_lemonade", 3)
    )


async def test_conversation_someone_cant_come_so_one_of_a_kind(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "two barbacoa bowls for my cousins and a veggie bowl for me")
    await talk(chat, "my cousin cant come, so only one barbacoa bowl")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"barbacoa"}), ("burrito_bowl", 1, {"veggie"})
    )


async def test_conversation_a_dish_added_for_the_table(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito and a chicken bowl", "add two orders of chips for the table")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak"}), ("burrito_bowl", 1, {"chicken"}), ("chips", 2)
    )


async def test_conversation_someone_arriving_is_why_not_a_copy(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 carnitas tacos")
    await talk(chat, "oh one more friend is coming, add a chicken taco")
    assert await cart(chat) == lines(("taco", 2, {"carnitas"}), ("taco", 1, {"chicken"}))


async def test_conversation_two_of_a_dish_then_whose_each_is(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(
        chat,
        "hi, for me and my sister: two lattes. hers with caramel syrup, mine with vanilla syrup",
    )
    await talk(chat, "make hers large")
    assert await cart(chat) == lines(
        ("latte", 1, {"large", "caramel_syrup"}), ("latte", 1, {"vanilla_syrup"})
    )


async def test_conversation_an_options_noun_left_out_the_second_time(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "me and my sister want chicken bowls, hers with red salsa, mine with mild")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken", "red_chili_salsa"}),
        ("burrito_bowl", 1, {"chicken", "fresh_tomato_salsa"}),
    )


async def test_conversation_two_words_of_why_then_a_removal(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni pizza for Sam and a small margherita pizza for Jo")
    await talk(chat, "Jo bailed, remove her pizza")
    assert await cart(chat) == lines(("pizza", 1, {"large", "pepperoni"}))


async def test_conversation_he_only_wants_a_count_of_his_line(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 lattes for me and 3 cappuccinos for my husband", "actually he just wants 2")
    assert await cart(chat) == lines(("latte", 3), ("cappuccino", 2))


async def test_conversation_the_dish_priced_then_one_for_someone(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "how much is a taco?")
    await talk(chat, "ok one with barbacoa for my dad, and a veggie salad for my mom")
    await talk(chat, "my dad wants no cheese")
    assert await cart(chat) == lines(
        ("taco", 1, {"barbacoa", "no cheese"}), ("salad", 1, {"veggie"})
    )


async def test_conversation_same_as_hers_for_me_but_changed(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "my sister wants a large latte with vanilla syrup")
    await talk(chat, "same as hers for me, but caramel syrup instead of vanilla")
    assert await cart(chat) == lines(
        ("latte", 1, {"large", "vanilla_syrup"}), ("latte", 1, {"large", "caramel_syrup"})
    )


async def test_conversation_two_people_both_want_one_each(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "me and my brother both want a steak quesadilla")
    await talk(chat, "he wants extra cheese on his")
    assert await cart(chat) == lines(
        ("quesadilla", 1, {"steak"}), ("quesadilla", 1, {"steak", "extra cheese"})
    )


async def test_conversation_for_someone_make_it_changes_their_unit(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small latte with vanilla syrup for me", "Jo wants the exact same")
    await talk(chat, "but for Jo make it a large")
    assert await cart(chat) == lines(
        ("latte", 1, {"small", "vanilla_syrup"}), ("latte", 1, {"large", "vanilla_syrup"})
    )


async def test_conversation_a_line_shared_evenly_splits_by_the_share(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "2 lattes with vanilla syrup for my mom", "2 more, same as hers, for my aunt")
    await talk(chat, "my aunt wants caramel syrup instead of vanilla")
    assert await cart(chat) == lines(
        ("latte", 2, {"vanilla_syrup"}), ("latte", 2, {"caramel_syrup"})
    )


async def test_conversation_make_mine_another_dish_by_its_name(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak quesadilla for my son and a chicken burrito bowl for me")
    await talk(chat, "actually make mine a taco")
    assert await cart(chat) == lines(("quesadilla", 1, {"steak"}), ("taco", 1, {"chicken"}))


async def test_conversation_someone_colon_a_dish_orders_it(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 steak tacos for the kids", "grandpa: carnitas bowl, extra green salsa")
    assert await cart(chat) == lines(
        ("taco", 2, {"steak"}), ("burrito_bowl", 1, {"carnitas", "extra green_chili_salsa"})
    )


async def test_conversation_the_same_as_mine_actually_replaces_theirs(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak salad for my friend Lena, and I want a veggie quesadilla")
    await talk(chat, "Lena wants the same as mine actually, a veggie quesadilla")
    assert await cart(chat) == lines(("quesadilla", 2, {"veggie"}))


async def test_conversation_he_wants_two_options_too_on_his_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a barbacoa burrito for my dad", "and a tofu bowl for me")
    await talk(chat, "he wants cheese and guac too")
    assert await cart(chat) == lines(
        ("burrito", 1, {"barbacoa", "cheese", "guacamole"}), ("burrito_bowl", 1, {"tofu"})
    )


async def test_conversation_each_name_and_colon_starts_a_pizza_of_its_own(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "Tom: small supreme. Bea: large hawaiian w/ thin crust. me: small vegan")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "supreme"}),
        ("pizza", 1, {"large", "hawaiian", "thin_crust"}),
        ("pizza", 1, {"small", "vegan"}),
    )
    chat = new_chat("pizzeria")
    await talk(chat, "for my son: small pizza with ham. for me: small mexican with chorizo")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "ham"}), ("pizza", 1, {"small", "mexican", "chorizo"})
    )


async def test_conversation_a_crust_said_again_keeps_the_pizzas_kind(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium mediterranean pizza for my mom")
    await talk(chat, "actually she wants it on a keto crust")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "mediterranean", "keto_crust"}))


async def test_conversation_someone_who_no_longer_wants_their_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 cappuccinos and a hot chocolate for the team")
    await talk(chat, "Omar doesn't want his cappuccino anymore, he'll have an espresso")
    assert await cart(chat) == lines(("cappuccino", 2), ("hot_chocolate", 1), ("espresso", 1))
    chat = new_chat("coffee")
    await talk(chat, "two lattes and an americano", "make one of the lattes iced")
    await talk(chat, "oh, Rosa isn't coming, she was the iced latte")
    assert await cart(chat) == lines(("latte", 1), ("americano", 1))


async def test_conversation_a_verb_said_once_for_two_people(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "Bo: a small pepperoni. Lin: a small veggie")
    await talk(chat, "and Bo wants a sprite, Lin a fanta and i'll take a pepsi")
    await talk(chat, "actually Lin doesn't want a drink")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "pepperoni"}),
        ("pizza", 1, {"small", "vegetarian"}),
        ("sprite", 1),
        ("pepsi", 1),
    )


async def test_conversation_both_or_each_of_those_named_is_one_each(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "my aunts both want a small cappuccino")
    assert await cart(chat) == lines(("cappuccino", 2, {"small"}))
    chat = new_chat("coffee")
    await talk(chat, "me and my sister each want a large latte")
    await talk(chat, "she wants hers with vanilla syrup")
    assert await cart(chat) == lines(
        ("latte", 1, {"large"}), ("latte", 1, {"large", "vanilla_syrup"})
    )


async def test_conversation_a_dislike_said_after_a_swap_orders_nothing(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small pepperoni pizza and a sprite")
    await talk(chat, "swap the sprite for a fanta, my daughter hates sprite")
    assert await cart(chat) == lines(("pizza", 1, {"small", "pepperoni"}), ("fanta", 1))


async def test_conversation_what_the_one_it_is_for_meant_replaces_the_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pizza with ham and olives for my dad")
    await talk(chat, "he means kalamata olives")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "ham", "kalamata_olives"}))


async def test_conversation_someone_drops_out_so_a_bare_count(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "6 small lattes for the office")
    await talk(chat, "Greg doesn't want one after all, so 5")
    assert await cart(chat) == lines(("latte", 5, {"small"}))


async def test_conversation_the_same_drink_for_someone_else(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small cheese pizza for my nephew and a ginger ale for my niece")
    await talk(chat, "nephew too, same drink")
    assert await cart(chat) == lines(("pizza", 1, {"small", "cheese"}), ("ginger_ale", 2))


async def test_conversation_we_both_want_is_one_each_of_us(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a hot chocolate for my brother and an espresso for me")
    await talk(chat, "we both want a small americano too")
    await talk(chat, "make mine decaf")
    assert await cart(chat) == lines(
        ("hot_chocolate", 1),
        ("espresso", 1),
        ("americano", 1, {"small"}),
        ("americano", 1, {"small", "decaf"}),
    )


async def test_conversation_one_each_then_how_many_that_makes(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "two large pepperoni pizzas for the four of us")
    await talk(chat, "and everybody wants a bottle of sprite, so 4 bottles")
    assert await cart(chat) == lines(
        ("pizza", 2, {"large", "pepperoni"}), ("sprite", 4, {"bottle"})
    )


async def test_conversation_someones_dishes_off_one_by_one(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small pizza with ham for Ivy and a small pizza with bacon for Tom")
    await talk(chat, "and 2 cans of coke")
    await talk(chat, "Tom went home, take off his pizza and his coke")
    assert await cart(chat) == lines(("pizza", 1, {"small", "ham"}), ("coke", 1, {"can"}))


async def test_conversation_a_copy_for_another_one_leaves_the_shares(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "two small cappuccinos for me and my friend")
    await talk(chat, "another friend wants a small cappuccino too, but decaf")
    await talk(chat, "and mine with caramel syrup")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"small"}),
        ("cappuccino", 1, {"small", "decaf"}),
        ("cappuccino", 1, {"small", "caramel_syrup"}),
    )


async def test_conversation_a_menu_word_written_as_a_name_is_a_person(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "Ada wants a small cappuccino and Joe wants an espresso")
    assert await cart(chat) == lines(("cappuccino", 1, {"small"}), ("espresso", 1))


async def test_conversation_someone_is_changing_theirs_to_a_copy(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "Ada wants a small cappuccino and Ben wants a hot chocolate")
    await talk(chat, "Ben's changing his order to the same as Ada's")
    assert await cart(chat) == lines(("cappuccino", 2, {"small"}))
    chat = new_chat("pizzeria")
    await talk(chat, "a small pizza with ham for my sister and a large supreme for me")
    await talk(chat, "actually i'll have the same as her instead of the supreme")
    assert await cart(chat) == lines(("pizza", 2, {"small", "ham"}))


async def test_conversation_one_of_a_group_wants_an_option_of_theirs(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 cappuccinos for my nieces and an espresso for me")
    await talk(chat, "one of the nieces wants a large")
    assert await cart(chat) == lines(
        ("cappuccino", 2), ("cappuccino", 1, {"large"}), ("espresso", 1)
    )


async def test_conversation_someone_wants_his_named_one_changed(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "2 medium pizzas: one sausage, one veggie")
    await talk(chat, "my dad wants his sausage one on a thin crust")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "sausage", "thin_crust"}), ("pizza", 1, {"medium", "vegetarian"})
    )


async def test_conversation_one_unit_is_for_someone_then_what_they_want(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 large americanos and a small espresso")
    await talk(chat, "one of the americanos is for Mia, she wants caramel syrup")
    assert await cart(chat) == lines(
        ("americano", 2, {"large"}),
        ("americano", 1, {"large", "caramel_syrup"}),
        ("espresso", 1, {"small"}),
    )


async def test_conversation_two_for_two_people_then_one_each_way_says_no_owner(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "2 lattes for me and my sister, one with vanilla syrup and one with honey")
    await talk(chat, "mine is the honey one, make it iced")
    await talk(chat, "and she wants hers small")
    assert await cart(chat) == lines(
        ("latte", 1, {"small", "vanilla_syrup"}), ("latte", 1, {"iced", "honey"})
    )


async def test_conversation_a_big_order_is_no_large_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "big order for the team! 2 medium pizzas: one hawaiian, one supreme")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "hawaiian"}), ("pizza", 1, {"medium", "supreme"})
    )


async def test_conversation_how_many_people_is_no_count_of_dishes(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "ordering for me and three roommates. small pizza with ham for me")
    assert await cart(chat) == lines(("pizza", 1, {"small", "ham"}))


async def test_conversation_a_copy_for_someone_but_with_more(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "Zoe wants a small pizza with bacon")
    await talk(chat, "and Max wants the same as Zoe but add olives")
    await talk(chat, "take the bacon off Zoe's")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small"}), ("pizza", 1, {"small", "bacon", "olives"})
    )


async def test_conversation_another_size_with_the_same_toppings_is_a_copy(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "my son wants a medium pizza with sausage and mushrooms")
    await talk(chat, "I want a small one with the same toppings")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "sausage", "mushrooms"}),
        ("pizza", 1, {"small", "sausage", "mushrooms"}),
    )


async def test_conversation_which_is_cheaper_said_after_the_dishes_is_asked(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "cheeseburger or hamburger, which one costs less")
    assert await cart(chat) == lines()
    await talk(chat, "the cheaper one then, no pickles")
    assert await cart(chat) == lines(("cheese_burger", 1, {"no pickle"}))


async def test_conversation_dish_compared_by_another_word_is_asked(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "the italian or the tuna, which one is bigger")
    assert await cart(chat) == lines()
    await talk(chat, "ok the tuna, with spinach")
    assert await cart(chat) == lines(("tuna", 1, {"spinach"}))


async def test_conversation_the_cheaper_of_two_options_asked_goes_on_the_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "is hazelnut or caramel syrup cheaper")
    await talk(chat, "the cheaper one in a large latte")
    assert await cart(chat) == lines(("latte", 1, {"large", "caramel_syrup"}))


async def test_conversation_another_kind_asked_about_is_in_place_of_the_first(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "whats on the hawaiian", "and the margherita?")
    await talk(chat, "i'll take that one, small")
    assert await cart(chat) == lines(("pizza", 1, {"small", "margherita"}))


async def test_conversation_both_options_asked_one_after_the_other_go_on_the_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much is blue cheese", "and bacon?")
    await talk(chat, "ok put both on a cheeseburger")
    assert await cart(chat) == lines(("cheese_burger", 1, {"blue_cheese", "bacon"}))


async def test_conversation_a_second_dish_without_the_option_of_the_first(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with bacon", "and a second cheeseburger without the bacon")
    assert await cart(chat) == lines(("cheese_burger", 1, {"bacon"}), ("cheese_burger", 1))


async def test_conversation_skip_that_after_a_dish_price_orders_what_follows(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much is a chocolate shake")
    await talk(chat, "ok skip that, just a root beer")
    assert await cart(chat) == lines(("root_beer", 1))


async def test_conversation_skip_that_after_an_option_price_orders_the_dish_said(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much is bacon", "nah skip that. a hamburger with pickles")
    assert await cart(chat) == lines(("ham_burger", 1, {"pickle"}))


async def test_conversation_count_first_of_a_dish_asked_about(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "how much is a large latte", "and a large cappuccino?")
    await talk(chat, "ok two of the cappuccinos")
    assert await cart(chat) == lines(("cappuccino", 2, {"large"}))


async def test_conversation_dish_like_that_is_as_asked(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "how much is a small latte with hazelnut syrup")
    await talk(chat, "ok one latte like that, iced")
    assert await cart(chat) == lines(("latte", 1, {"small", "iced", "hazelnut_syrup"}))


async def test_conversation_a_line_by_another_name_of_its_option(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large hawaiian and a large pizza with all the vegetables")
    await talk(chat, "take off the veggie one")
    assert await cart(chat) == lines(("pizza", 1, {"large", "hawaiian"}))


async def test_conversation_the_price_asked_again_then_one_of_each(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "whats the difference between curly fries and garlic fries")
    turn = await talk(chat, "prices too?")
    assert "$" in turn.reply
    await talk(chat, "ok one of each")
    assert await cart(chat) == lines(("curly_fries", 1), ("garlic_fries", 1))


async def test_conversation_a_line_named_in_a_question_is_it_next(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a veggie and a buffalo chicken", "do you have feta for the buffalo one")
    await talk(chat, "never mind then, ranch on it")
    assert await cart(chat) == lines(("veggie", 1), ("buffalo_chicken", 1, {"ranch"}))


async def test_conversation_a_side_meant_instead_of_another_side(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken bowl and a side of queso")
    await talk(chat, "whoops, guacamole instead of the queso")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"chicken"}), ("guacamole", 1))


async def test_conversation_not_that_dish_this_one(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "an italian sub and some sun chips")
    await talk(chat, "not the sun chips, doritos")
    assert await cart(chat) == lines(("italian", 1), ("doritos_nacho_cheese", 1))


async def test_conversation_not_sure_is_no_correction(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "not sure yet, a tuna sub i guess")
    assert await cart(chat) == lines(("tuna", 1))


async def test_conversation_a_dish_should_be_another_without_the(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and two root beers")
    await talk(chat, "oh root beers should be chocolate shakes")
    assert await cart(chat) == lines(("cheese_burger", 1), ("chocolate_shake", 2))


async def test_conversation_the_one_named_by_its_filling_becomes_another_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito bowl and a chicken burrito bowl")
    await talk(chat, "the chicken one should be a burrito")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"steak"}), ("burrito", 1, {"chicken"}))


async def test_conversation_i_meant_another_dish_of_that_kind(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a meatball marinara and a white chip macadamia nut cookie")
    await talk(chat, "oops i meant the chocolate chip cookie")
    assert await cart(chat) == lines(("meatball_marinara", 1), ("chocolate_chip", 1))


async def test_conversation_the_change_meant_for_the_other_line(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pizza with olives and a medium pizza with bacon")
    await talk(chat, "put extra cheese on the olive one")
    await talk(chat, "oops, I meant the bacon one, not the olive one")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "olives"}), ("pizza", 1, {"medium", "bacon", "extra cheese"})
    )


async def test_conversation_not_those_ones_just_these(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 carnitas tacos and 3 barbacoa tacos")
    await talk(chat, "sour cream on all of them")
    await talk(chat, "no, not the barbacoa ones, only the carnitas")
    assert await cart(chat) == lines(
        ("taco", 3, {"carnitas", "sour_cream"}), ("taco", 3, {"barbacoa"})
    )


async def test_conversation_i_wanted_the_other_one_removed(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger, a root beer and a coffee")
    await talk(chat, "remove the coffee")
    await talk(chat, "sorry, I wanted to remove the root beer. keep the coffee")
    assert await cart(chat) == lines(("cheese_burger", 1), ("coffee", 1))


async def test_conversation_not_another_line_is_no_correction_of_the_last_edit(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger, fries and a root beer")
    await talk(chat, "make the root beer large")
    await talk(chat, "add bacon to the burger, not the fries")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"bacon"}), ("french_fries", 1), ("root_beer", 1, {"large"})
    )


async def test_conversation_a_count_put_right_in_the_same_breath_then_more(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "can we get 3 root beers, make that 4, and a small sweet potato fries")
    assert await cart(chat) == lines(("root_beer", 4), ("sweet_potato_fries", 1, {"small"}))


async def test_conversation_scratch_that_in_the_same_breath(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small margherita, no scratch that, a small meat lovers")
    assert await cart(chat) == lines(("pizza", 1, {"small", "meat_lover"}))


async def test_conversation_dots_before_taking_it_back(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a mocha... no wait, a cappuccino please")
    assert await cart(chat) == lines(("cappuccino", 1))


async def test_conversation_wait_and_one_more_thing_is_an_addition(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken quesadilla")
    await talk(chat, "oh wait, and a side of chips")
    assert await cart(chat) == lines(("quesadilla", 1, {"chicken"}), ("chips", 1))


async def test_conversation_just_one_of_the_toppings_just_ordered(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a turkey sub with lettuce, tomato and pickles")
    await talk(chat, "hmm, actually just tomato")
    assert await cart(chat) == lines(("turkey_breast", 1, {"tomatoes"}))


async def test_conversation_each_line_said_again_as_a_correction(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large cappuccino and a small americano")
    await talk(chat, "sorry, small cappuccino and large americano")
    assert await cart(chat) == lines(("cappuccino", 1, {"small"}), ("americano", 1, {"large"}))


async def test_conversation_a_bare_dish_for_a_crowd_orders_nothing_yet(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "pizzas for the hockey team!", "3 medium mushroom pizzas")
    assert await cart(chat) == lines(("pizza", 3, {"medium", "mushrooms"}))
    other = new_chat("pizzeria")
    await talk(other, "my 4 coworkers and I are getting pizza")
    assert await cart(other) == lines()
    fed = new_chat("pizzeria")
    await talk(fed, "pizza for my daughter")
    assert await cart(fed) == lines(("pizza", 1))


async def test_conversation_make_some_of_the_lines_named_by_an_option_another_style(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 small ham", "make 2 of the ham thin crust")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "ham"}), ("pizza", 2, {"small", "ham", "thin_crust"})
    )


async def test_conversation_a_plain_part_with_one_option_of_its_own(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "4 medium pizzas", "3 of them mushrooms, 1 plain with extra cheese")
    assert await cart(chat) == lines(
        ("pizza", 3, {"medium", "mushrooms"}), ("pizza", 1, {"medium", "extra cheese"})
    )


async def test_conversation_a_count_put_right_after_an_aside(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "2 large ham pizzas and a small sausage")
    await talk(chat, "oops I miscounted, we need 3 ham not 2")
    assert await cart(chat) == lines(
        ("pizza", 3, {"large", "ham"}), ("pizza", 1, {"small", "sausage"})
    )


async def test_conversation_why_then_so_make_one_of_them_another_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 large sausage pizzas")
    await talk(chat, "my cousin does not eat meat so make one of them a veggie pizza")
    assert await cart(chat) == lines(
        ("pizza", 2, {"large", "sausage"}), ("pizza", 1, {"large", "vegetarian"})
    )


async def test_conversation_a_lone_name_before_a_colon_is_whose_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "Zainab: chicken sandwich and a root beer")
    await talk(chat, "tomas: same as Zainab")
    assert await cart(chat) == lines(("chicken_sandwich", 2), ("root_beer", 2))


async def test_conversation_who_she_is_then_what_she_wants(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "Ingrid is vegan, so she wants a veggie burrito with brown rice")
    await talk(chat, "Omar wants the same as Ingrid")
    assert await cart(chat) == lines(("burrito", 2, {"veggie", "brown_rice"}))


async def test_conversation_two_names_want_a_plural_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "Tariq and Jo want steak quesadillas")
    assert await cart(chat) == lines(("quesadilla", 2, {"steak"}))


async def test_conversation_two_people_want_the_same_as_a_third(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "my sister wants a hamburger and a small fries")
    await talk(chat, "Bo and Lin want the same as my sister")
    assert await cart(chat) == lines(("ham_burger", 3), ("french_fries", 3, {"small"}))


async def test_conversation_how_many_the_party_is_said_as_for_so_many(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "lunch for 4 coworkers")
    await talk(chat, "everyone gets a hamburger and a root beer")
    assert await cart(chat) == lines(("ham_burger", 4), ("root_beer", 4))
    chat = new_chat("burger")
    await talk(chat, "ok, 3 people", "we all want cheeseburgers with fries")
    assert await cart(chat) == lines(("cheese_burger", 3), ("french_fries", 3))


async def test_conversation_a_group_each_getting_two_dishes(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "my two boys each get a hamburger and a vanilla shake")
    assert await cart(chat) == lines(("ham_burger", 2), ("vanilla_shake", 2))


async def test_conversation_one_of_us_wants_another_side(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "4 cheeseburgers and 4 fries")
    await talk(chat, "one of us wants garlic fries instead of regular fries")
    assert await cart(chat) == lines(("cheese_burger", 4), ("french_fries", 3), ("garlic_fries", 1))


async def test_conversation_someone_wants_the_dish_the_cart_lacks(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "Hana wants a double cheeseburger with bacon")
    await talk(chat, "Leo wants the veggie burger")
    assert await cart(chat) == lines(("double_cheese_burger", 1, {"bacon"}), ("vegan_burger", 1))


async def test_conversation_a_heading_for_someone_else_orders_a_dish_of_a_kin(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "grandma: steak bowl with pinto beans")
    await talk(chat, "grandpa: chicken burrito, extra cheese")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak", "pinto_beans"}), ("burrito", 1, {"chicken", "extra cheese"})
    )


async def test_conversation_the_one_named_by_their_dish_is_gone(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 chicken burritos and a steak salad")
    await talk(chat, "ok the salad guy can't make it. take his off")
    assert await cart(chat) == lines(("burrito", 3, {"chicken"}))
    await talk(chat, "and the chicken burrito girl went home")
    assert await cart(chat) == lines(("burrito", 2, {"chicken"}))


async def test_conversation_a_count_and_more_is_more_dishes(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 steak bowls")
    await talk(chat, "and 2 more steak bowls for my cousins")
    assert await cart(chat) == lines(("burrito_bowl", 4, {"steak"}))


async def test_conversation_the_party_counted_in_brackets_or_alone(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "drinks for the study crew (3)", "everyone gets a small americano")
    assert await cart(chat) == lines(("americano", 3, {"small"}))
    chat = new_chat("sub")
    await talk(chat, "family lunch, 4 people", "everyone gets a tuna")
    assert await cart(chat) == lines(("tuna", 4))


async def test_conversation_the_party_listed_one_by_one(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "ordering for my aunt, my two sisters and me", "everyone wants a veggie")
    assert await cart(chat) == lines(("veggie", 4))


async def test_conversation_we_all_want_is_one_each(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "there are 3 of us", "we all want the italian")
    assert await cart(chat) == lines(("italian", 3))


async def test_conversation_some_of_us_want_one_option_some_another(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "5 tuna subs", "three of us want pickles on it, two want jalapenos")
    assert await cart(chat) == lines(("tuna", 3, {"pickles"}), ("tuna", 2, {"jalapenos"}))


async def test_conversation_everyone_but_one_who_wants_another_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "we're 5", "everybody gets a large latte except Omar who wants an espresso")
    assert await cart(chat) == lines(("latte", 4, {"large"}), ("espresso", 1))
    chat = new_chat("coffee")
    await talk(chat, "we're 3", "everyone wants a small cappuccino")
    await talk(chat, "except for my dad, he'll have a small americano")
    assert await cart(chat) == lines(("cappuccino", 2, {"small"}), ("americano", 1, {"small"}))


async def test_conversation_a_run_for_a_crowd_orders_nothing_yet(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "grabbing coffee for the whole lab after the seminar")
    await talk(chat, "a large latte and a small americano")
    assert await cart(chat) == lines(("latte", 1, {"large"}), ("americano", 1, {"small"}))
    chat = new_chat("coffee")
    await talk(chat, "coffee run! Me: a large cappuccino")
    assert await cart(chat) == lines(("cappuccino", 1, {"large"}))


async def test_conversation_a_label_and_another_dish_is_another_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "uncle: large drip coffee", "auntie: small latte with honey")
    assert await cart(chat) == lines(
        ("drip_coffee", 1, {"large"}), ("latte", 1, {"small", "honey"})
    )


async def test_conversation_one_name_with_a_colon_is_whose_order(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "Ines: veggie with spinach", "Kofi: italian", "Tomas: same as Ines")
    assert await cart(chat) == lines(("veggie", 2, {"spinach"}), ("italian", 1))


async def test_conversation_a_dish_sharing_a_word_with_a_line_is_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a chicken teriyaki for my sister", "buffalo chicken with ranch for me")
    assert await cart(chat) == lines(
        ("sweet_onion_chicken_teriyaki", 1), ("buffalo_chicken", 1, {"ranch"})
    )


async def test_conversation_make_everything_an_option_is_every_line(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "2 small americanos and a large cappuccino", "make everything iced")
    assert await cart(chat) == lines(
        ("americano", 2, {"small", "iced"}), ("cappuccino", 1, {"large", "iced"})
    )


async def test_conversation_all_of_a_line_counted_again_with_options(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 tunas and 4 veggies", "all 4 veggies with spinach and pickles")
    assert await cart(chat) == lines(("tuna", 2), ("veggie", 4, {"spinach", "pickles"}))


async def test_conversation_so_many_want_the_same_as_someone(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "our manager wants an italian with provolone")
    await talk(chat, "and my 3 teammates want the same as the manager")
    assert await cart(chat) == lines(("italian", 4, {"provolone"}))


async def test_conversation_dishes_compared_vs_are_asked_not_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    turn = await talk(chat, "root beer vs dr pepper which costs more")
    assert "2.75" in turn.reply and "2.25" in turn.reply
    await talk(chat, "which one is healthier, a salad or a vegan burger")
    assert await cart(chat) == lines()


async def test_conversation_whichever_size_is_cheaper_of_the_two_asked(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "what does a small cappuccino cost, and a large one?")
    await talk(chat, "i'll get whichever is cheaper")
    assert await cart(chat) == lines(("cappuccino", 1, {"large"}))


async def test_conversation_with_both_of_the_options_asked_one_after_another(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "what do jalapenos cost on a burger", "and tomato?")
    await talk(chat, "alright a cheeseburger with both of them")
    assert await cart(chat) == lines(("cheese_burger", 1, {"jalapenos", "tomato"}))


async def test_conversation_the_cheaper_of_the_options_asked_goes_on_the_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "how much extra is chicken", "what about tofu?")
    await talk(chat, "the cheaper one in a burrito please")
    assert await cart(chat) == lines(("burrito", 1, {"tofu"}))


async def test_conversation_a_price_asked_as_extra_is_no_double_portion(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "is guac extra?", "how much extra is carnitas")
    await talk(chat, "ok a bowl with that")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"carnitas"}))


async def test_conversation_kinds_said_before_one_dish_noun_are_each_a_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a strawberry, vanilla and chocolate shake please")
    assert await cart(chat) == lines(
        ("strawberry_shake", 1), ("vanilla_shake", 1), ("chocolate_shake", 1)
    )


async def test_conversation_does_it_come_with_an_option_asks_of_the_dish_offered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "what's the price of a cappuccino")
    turn = await talk(chat, "does it come with cinnamon?")
    assert "cappuccino" in turn.reply.lower() and "cinnamon" in turn.reply.lower()
    await talk(chat, "ok a large cappuccino")
    await talk(chat, "and a small one for my daughter with whipped cream")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"large"}), ("cappuccino", 1, {"small", "whipped_cream"})
    )


async def test_conversation_no_said_for_each_option_leaves_the_rest_of_the_list_on(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak bowl, no corn salsa and no guac, white rice, black beans")
    assert await cart(chat) == lines(
        (
            "burrito_bowl",
            1,
            {"steak", "white_rice", "black_beans", "no corn_salsa", "no guacamole"},
        )
    )


async def test_conversation_the_dish_asked_about_is_ordered_as_asked(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "which is cheaper, a decaf americano or a decaf cappuccino?")
    await talk(chat, "fine, the cappuccino then, small")
    assert await cart(chat) == lines(("cappuccino", 1, {"small", "decaf"}))


async def test_conversation_what_about_another_dish_after_a_price_is_asked(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much for a medium root beer")
    turn = await talk(chat, "hmm what about a medium dr pepper")
    assert "2.75" in turn.reply
    await talk(chat, "ok the dr pepper")
    assert await cart(chat) == lines(("dr_pepper", 1, {"medium"}))


async def test_conversation_huh_before_an_option_picked_from_the_answer(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much is a small curly fries and a large one")
    await talk(chat, "huh, small then")
    assert await cart(chat) == lines(("curly_fries", 1, {"small"}))


async def test_conversation_the_option_asked_about_turned_down_before_an_order(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "what does bacon cost")
    await talk(chat, "too much. no bacon then. a cheeseburger with lettuce and tomato")
    assert await cart(chat) == lines(("cheese_burger", 1, {"lettuce", "tomato"}))


async def test_conversation_never_mind_that_just_another_dish_leaves_the_old_options(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with no pickles")
    await talk(chat, "forget that, just a chicken sandwich with lettuce")
    assert await cart(chat) == lines(("chicken_sandwich", 1, {"lettuce"}))


async def test_conversation_does_the_dish_have_an_option_is_no_order_of_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    turn = await talk(chat, "does the chicken sandwich have tomato on it?")
    assert "tomato" in turn.reply.lower()
    await talk(chat, "ok one with onion")
    assert await cart(chat) == lines(("chicken_sandwich", 1, {"onion"}))


async def test_conversation_an_order_said_again_after_asking_if_i_can_is_that_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "what comes in the taco")
    await talk(chat, "can i add carnitas to it")
    await talk(chat, "great, one carnitas taco with corn salsa, and a chips")
    assert await cart(chat) == lines(("taco", 1, {"carnitas", "corn_salsa"}), ("chips", 1))


async def test_conversation_a_sentence_letting_the_option_go_orders_nothing_of_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "what does a gluten free crust cost")
    await talk(chat, "hm ok forget the gluten free crust. a medium with mushrooms please")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "mushrooms"}))


async def test_conversation_the_dish_offered_turned_down_before_another_order(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "do you do jalapenos")
    await talk(chat, "nah forget it. just a small hawaiian then")
    assert await cart(chat) == lines(("pizza", 1, {"small", "hawaiian"}))


async def test_conversation_a_dislike_of_the_dish_asked_about_is_no_order(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "what comes on the meat lovers pizza")
    await talk(chat, "no ham, not a fan of it. i'll do a medium sausage pizza")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "sausage"}))


async def test_conversation_get_it_another_size_after_an_options_price(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a cappuccino please")
    await talk(chat, "how much is an extra shot")
    await talk(chat, "could i have it large")
    assert await cart(chat) == lines(("cappuccino", 1, {"large"}))


async def test_conversation_add_a_side_of_a_topping_is_the_side(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak bowl")
    await talk(chat, "add a side of guacamole as well")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"steak"}), ("guacamole", 1))


async def test_conversation_what_is_the_price_each_of_the_line(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "3 hamburgers")
    turn = await talk(chat, "what do those cost apiece?")
    assert "$7.00 each" in turn.reply
    assert await cart(chat) == lines(("ham_burger", 3))


async def test_conversation_an_option_on_just_one_of_the_line(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "two large lattes")
    await talk(chat, "vanilla syrup in only one please")
    assert await cart(chat) == lines(
        ("latte", 1, {"large"}), ("latte", 1, {"large", "vanilla_syrup"})
    )


async def test_conversation_a_dish_said_instead_takes_the_last_ones_place(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a bacon cheeseburger please")
    await talk(chat, "hmm too expensive, i'll go with a plain hamburger instead")
    assert await cart(chat) == lines(("ham_burger", 1))


async def test_conversation_a_dish_instead_of_the_one_asked_about_is_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger")
    await talk(chat, "how much is the vanilla shake?")
    await talk(chat, "a chocolate shake instead")
    assert await cart(chat) == lines(("ham_burger", 1), ("chocolate_shake", 1))


async def test_conversation_both_of_the_dishes_asked_about_is_one_of_each(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much are garlic fries")
    await talk(chat, "and curly fries?")
    await talk(chat, "sure, both of those")
    assert await cart(chat) == lines(("garlic_fries", 1), ("curly_fries", 1))


async def test_conversation_a_word_of_another_dish_asked_after_a_price(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "what does a coke cost")
    turn = await talk(chat, "what about diet?")
    assert "diet coke" in turn.reply.lower()
    await talk(chat, "ok that one")
    assert await cart(chat) == lines(("diet_coke", 1))


async def test_conversation_a_side_asked_onto_a_line_is_asked_not_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito")
    turn = await talk(chat, "could i get chips in it?")
    assert "3.50" in turn.reply
    assert await cart(chat) == lines(("burrito", 1, {"chicken"}))


async def test_conversation_keep_the_option_asked_about_leaves_the_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger with bacon")
    await talk(chat, "is the bacon extra?")
    await talk(chat, "alright keep it")
    assert await cart(chat) == lines(("ham_burger", 1, {"bacon"}))


async def test_conversation_how_much_does_a_dish_with_options_cost_offers_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "how much does a large thin crust cost")
    await talk(chat, "and with olives?")
    await talk(chat, "sure i'll have that")
    assert await cart(chat) == lines(("pizza", 1, {"large", "thin_crust", "olives"}))


async def test_conversation_is_an_option_extra_with_no_question_mark(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "an italian sub")
    turn = await talk(chat, "are jalapenos extra")
    assert "extra" in turn.reply.lower()
    await talk(chat, "ok put them on")
    assert await cart(chat) == lines(("italian", 1, {"jalapenos"}))


async def test_conversation_a_kind_asked_whether_vegan_orders_no_vegan_kind(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "is the hawaiian pizza vegetarian?")
    await talk(chat, "ok a small one then")
    assert await cart(chat) == lines(("pizza", 1, {"small", "hawaiian"}))


async def test_conversation_a_price_question_before_an_order_orders_nothing_of_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "how much is a root beer")
    await talk(chat, "is the sprite cheaper? eh, 2 root beers")
    assert await cart(chat) == lines(("root_beer", 2))


async def test_conversation_double_the_dish_named_is_as_many_again(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 chocolate chip cookies and a turkey sub")
    await talk(chat, "double my cookies")
    assert await cart(chat) == lines(("chocolate_chip", 4), ("turkey_breast", 1))


async def test_conversation_same_again_for_both_and_one_more_of_each_are_every_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large latte")
    await talk(chat, "and 2 small americanos")
    await talk(chat, "same again for both of them please")
    assert await cart(chat) == lines(("latte", 2, {"large"}), ("americano", 4, {"small"}))
    await talk(chat, "one more of each")
    assert await cart(chat) == lines(("latte", 3, {"large"}), ("americano", 5, {"small"}))


async def test_conversation_so_many_more_not_so_many_takes_the_difference_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a coke")
    await talk(chat, "3 more cokes")
    await talk(chat, "oops, just 2 more not 3")
    assert await cart(chat) == lines(("coca_cola", 3))


async def test_conversation_some_of_the_extra_ones_are_of_the_units_just_added(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a vanilla shake")
    await talk(chat, "make that 4")
    await talk(chat, "sorry, keep only two of the extra ones")
    assert await cart(chat) == lines(("vanilla_shake", 3))


async def test_conversation_the_extra_dishes_taken_off_after_another_order(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a meatball marinara")
    await talk(chat, "make it 4")
    await talk(chat, "and a bag of baked lays")
    await talk(chat, "remove the three extra subs")
    assert await cart(chat) == lines(("meatball_marinara", 1), ("baked_lays_original", 1))


async def test_conversation_same_again_on_a_line_named_is_one_more_of_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small latte")
    await talk(chat, "and an espresso")
    await talk(chat, "same again on the latte please")
    assert await cart(chat) == lines(("latte", 2, {"small"}), ("espresso", 1))


async def test_conversation_the_same_dish_again_copies_its_line_not_the_last(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger with mustard and no onion")
    await talk(chat, "and fries")
    await talk(chat, "one more hamburger, same way but add lettuce")
    await talk(chat, "same fries again but large")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"mustard", "no onion"}),
        ("ham_burger", 1, {"mustard", "no onion", "lettuce"}),
        ("french_fries", 1),
        ("french_fries", 1, {"large"}),
    )


async def test_conversation_a_copy_plain_but_without_a_topping_it_comes_with(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a chicken sandwich with bacon")
    await talk(chat, "one more of those, plain but no pickles")
    assert await cart(chat) == lines(
        ("chicken_sandwich", 1, {"bacon"}), ("chicken_sandwich", 1, {"no pickle"})
    )


async def test_conversation_same_drink_but_another_flavour_keeps_its_size(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a medium vanilla shake")
    await talk(chat, "and fries")
    await talk(chat, "same shake but chocolate")
    assert await cart(chat) == lines(
        ("vanilla_shake", 1, {"medium"}), ("french_fries", 1), ("chocolate_shake", 1, {"medium"})
    )


async def test_conversation_a_serving_of_a_line_named_after_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a bag of doritos")
    await talk(chat, "and a bag of sun chips")
    await talk(chat, "and another bag of the first")
    assert await cart(chat) == lines(("doritos_nacho_cheese", 2), ("sunchips_harvest_cheddar", 1))


async def test_conversation_a_sized_one_of_those_as_well_is_another(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a regular hot chocolate")
    await talk(chat, "plus a large one of those as well")
    assert await cart(chat) == lines(
        ("hot_chocolate", 1, {"regular"}), ("hot_chocolate", 1, {"large"})
    )


async def test_conversation_just_as_many_of_a_dish_as_the_last_one(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 chicken burritos")
    await talk(chat, "and just as many lemonades")
    assert await cart(chat) == lines(("burrito", 3, {"chicken"}), ("tractor_lemonade", 3))


async def test_conversation_two_lines_named_side_by_side_are_both_changed(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a carnitas burrito, a steak bowl and a chicken quesadilla")
    await talk(chat, "give the bowl and the quesadilla sour cream")
    assert await cart(chat) == lines(
        ("burrito", 1, {"carnitas"}),
        ("burrito_bowl", 1, {"steak", "sour_cream"}),
        ("quesadilla", 1, {"chicken", "sour_cream"}),
    )
    await talk(chat, "the burrito and bowl with brown rice")
    assert await cart(chat) == lines(
        ("burrito", 1, {"carnitas", "brown_rice"}),
        ("burrito_bowl", 1, {"steak", "sour_cream", "brown_rice"}),
        ("quesadilla", 1, {"chicken", "sour_cream"}),
    )


async def test_conversation_dishes_listed_bare_share_the_options_said_after_them(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "two chicken tacos, a steak burrito and a bowl with tofu")
    await talk(chat, "tacos and burrito with sour cream")
    assert await cart(chat) == lines(
        ("taco", 2, {"chicken", "sour_cream"}),
        ("burrito", 1, {"steak", "sour_cream"}),
        ("burrito_bowl", 1, {"tofu"}),
    )


async def test_conversation_them_all_is_every_line_not_the_last_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small cappuccino and a small drip coffee", "and 2 lattes")
    await talk(chat, "make them all extra large")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"extra_large"}),
        ("drip_coffee", 1, {"extra_large"}),
        ("latte", 2, {"extra_large"}),
    )


async def test_conversation_the_first_two_then_an_option_is_the_change(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small americano, a small latte and a small cappuccino")
    await talk(chat, "the first two large please")
    assert await cart(chat) == lines(
        ("americano", 1, {"large"}), ("latte", 1, {"large"}), ("cappuccino", 1, {"small"})
    )


async def test_conversation_the_remaining_ones_after_a_removal(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni, a large hawaiian and a large margherita")
    await talk(chat, "remove the hawaiian pizza")
    await talk(chat, "and the remaining two small")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "pepperoni"}), ("pizza", 1, {"small", "margherita"})
    )


async def test_conversation_a_size_said_as_a_plural_noun_names_the_lines_of_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small latte, a large cappuccino and a large americano")
    await talk(chat, "both larges iced")
    assert await cart(chat) == lines(
        ("latte", 1, {"small"}),
        ("cappuccino", 1, {"large", "iced"}),
        ("americano", 1, {"large", "iced"}),
    )


async def test_conversation_a_line_named_by_a_word_of_its_option_then_give_me(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small pizza with spiced sausage", "and a small margherita")
    await talk(chat, "the spiced one, give me extra cheese")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "spiced_sausage", "extra cheese"}),
        ("pizza", 1, {"small", "margherita"}),
    )


async def test_conversation_a_line_named_by_an_option_whose_name_starts_with_the(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with the works", "and a large pepperoni")
    await talk(chat, "the works one, could I get thin crust")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "all_toppings", "thin_crust"}),
        ("pizza", 1, {"large", "pepperoni"}),
    )


async def test_conversation_a_dish_ordered_again_with_another_filling_is_another_one(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "carnitas bowl", "barbacoa bowl")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"carnitas"}), ("burrito_bowl", 1, {"barbacoa"})
    )
    chat = new_chat("coffee")
    await talk(chat, "small cappuccino", "cappuccino large")  # the dish first: the line changed
    assert await cart(chat) == lines(("cappuccino", 1, {"large"}))


async def test_conversation_a_size_then_toppings_after_a_sized_pizza_is_another_pizza(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "small mushroom", "small ham")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "mushrooms"}), ("pizza", 1, {"small", "ham"})
    )
    await talk(chat, "large")  # a size alone: that pizza's
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "mushrooms"}), ("pizza", 1, {"large", "ham"})
    )


async def test_conversation_one_of_the_line_named_and_the_other_each_their_own_way(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "two cheeseburgers with onion", "and a root beer")
    await talk(chat, "make one of the burgers extra onion and the other one light onion")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"extra onion"}),
        ("cheese_burger", 1, {"light onion"}),
        ("root_beer", 1),
    )


async def test_conversation_a_size_said_again_with_a_topping_is_a_pizza_of_its_own(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 medium margherita pizzas and 1 medium mushroom")
    assert await cart(chat) == lines(
        ("pizza", 3, {"medium", "margherita"}), ("pizza", 1, {"medium", "mushrooms"})
    )


async def test_conversation_all_of_them_except_the_one_named_by_its_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a carnitas burrito, a barbacoa burrito and a veggie burrito")
    await talk(chat, "sour cream on all of them except for the barbacoa one")
    assert await cart(chat) == lines(
        ("burrito", 1, {"carnitas", "sour_cream"}),
        ("burrito", 1, {"barbacoa"}),
        ("burrito", 1, {"veggie", "sour_cream"}),
    )


async def test_conversation_one_of_the_others_after_one_was_split_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "three large lattes")
    await talk(chat, "make one of them iced")
    await talk(chat, "and one of the others decaf")
    assert await cart(chat) == lines(
        ("latte", 1, {"large"}), ("latte", 1, {"large", "iced"}), ("latte", 1, {"large", "decaf"})
    )


async def test_conversation_same_again_on_a_line_orders_as_many_again(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "3 cokes please", "and a cheeseburger")
    await talk(chat, "same again on the cokes")
    assert await cart(chat) == lines(("coca_cola", 6), ("cheese_burger", 1))


async def test_conversation_double_the_dish_doubles_its_count(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "two cheeseburgers", "a coke")
    await talk(chat, "double the cheeseburgers")
    assert await cart(chat) == lines(("cheese_burger", 4), ("coca_cola", 1))


async def test_conversation_one_more_of_each_after_one_line_is_every_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger", "and a coke")
    await talk(chat, "one more of each please")
    assert await cart(chat) == lines(("ham_burger", 2), ("coca_cola", 2))


async def test_conversation_that_dish_again_is_a_copy_of_its_line(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with bacon", "a large coke")
    await talk(chat, "that cheeseburger again")
    assert await cart(chat) == lines(("cheese_burger", 2, {"bacon"}), ("coca_cola", 1, {"large"}))


async def test_conversation_the_same_dish_for_someone_but_swap_an_option_is_one_request(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pizza with ham and black olives", "a sprite")
    await talk(chat, "the same pizza for my brother but swap the black olives for onions")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham", "olives"}),
        ("pizza", 1, {"medium", "ham", "onions"}),
        ("sprite", 1),
    )


async def test_conversation_same_dish_again_instead_of_the_normal_option_is_its_copy(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pizza with ham and black olives", "a sprite")
    await talk(chat, "same pizza again but with bbq chicken instead of the normal ham")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham", "olives"}),
        ("pizza", 1, {"medium", "bbq_chicken", "olives"}),
        ("sprite", 1),
    )


async def test_conversation_another_one_but_make_it_another_dish_copies_the_last(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger", "a large coke")
    await talk(chat, "another large one but make it a dr pepper")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("coca_cola", 1, {"large"}), ("dr_pepper", 1, {"large"})
    )


async def test_conversation_the_count_before_more_is_not_the_one_of_that_one(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small pizza with mushrooms")
    await talk(chat, "I'd like 3 more of that same one please")
    assert await cart(chat) == lines(("pizza", 4, {"small", "mushrooms"}))


async def test_conversation_one_too_many_before_a_removal_is_why(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger", "same again", "same again")
    await talk(chat, "hmm thats one too many, take one off")
    assert await cart(chat) == lines(("ham_burger", 2))


async def test_conversation_just_one_of_the_extra_ones_keeps_what_was_first_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "two cheeseburgers", "a coke", "another 3 cheeseburgers")
    await talk(chat, "hmm just one of the extra ones")
    assert await cart(chat) == lines(("cheese_burger", 3), ("coca_cola", 1))


async def test_conversation_only_one_extra_so_two_in_all(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a vanilla shake", "make it 3")
    await talk(chat, "actually only one extra, so 2 in all")
    assert await cart(chat) == lines(("vanilla_shake", 2))


async def test_conversation_a_dish_said_as_before_with_another_filling_is_another(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "carnitas taco", "barbacoa taco")
    assert await cart(chat) == lines(("taco", 1, {"carnitas"}), ("taco", 1, {"barbacoa"}))


async def test_conversation_a_dish_said_again_with_its_topping_and_one_more_is_that_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "medium pizza with sausage", "medium pizza with sausage and onions")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "sausage", "onions"}))


async def test_conversation_the_new_one_after_one_more_is_a_unit_of_that_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger", "a coke", "another cheeseburger")
    await talk(chat, "no pickles on the new one")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("cheese_burger", 1, {"no pickle"}), ("coca_cola", 1)
    )


async def test_conversation_the_extra_ones_are_no_extra_large_line(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large hot chocolate", "actually make that 4")
    # "extra" is part of the name of a size (extra large): here it means the units added
    await talk(chat, "hmm remove two of the extra ones")
    assert await cart(chat) == lines(("hot_chocolate", 2, {"large"}))


async def test_conversation_nvm_then_a_change_is_the_change(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium thin crust with ham")
    # "nvm" lets the last choice go; it takes nothing off the pizza
    await talk(chat, "nvm make it a large")
    assert await cart(chat) == lines(("pizza", 1, {"large", "thin_crust", "ham"}))


async def test_conversation_a_dish_instead_of_one_taken_off_is_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a chicken sandwich and a root beer")
    # the root beer taken off, in the same message or the one before: the shake is an order
    await talk(chat, "please remove the root beer, give me a chocolate shake instead")
    assert await cart(chat) == lines(("chicken_sandwich", 1), ("chocolate_shake", 1))
    await talk(chat, "no chocolate shake")
    await talk(chat, "and a vanilla shake instead")
    assert await cart(chat) == lines(("chicken_sandwich", 1), ("vanilla_shake", 1))


async def test_conversation_a_word_of_a_dish_listed_picks_it(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "what shakes do you have")
    # nothing was offered: a "yes" takes none of the shakes listed, it is asked which
    turn = await talk(chat, "yes")
    assert await cart(chat) == lines()
    assert "which one" in turn.reply.lower()
    assert turn.state["quick_replies"] == ["Chocolate Shake", "Strawberry Shake", "Vanilla Shake"]
    await talk(chat, "no")
    await talk(chat, "what shakes do you have")
    # a word of one shake's own name picks it among those listed
    await talk(chat, "strawberry please")
    assert await cart(chat) == lines(("strawberry_shake", 1))
    # the one named among the sodas listed is ordered, not the shake made into it
    await talk(chat, "any sodas?", "the diet one")
    assert await cart(chat) == lines(("strawberry_shake", 1), ("diet_coke", 1))
    await talk(chat, "what sides do you have", "swap my shake for the curly fries")
    assert await cart(chat) == lines(("curly_fries", 1), ("diet_coke", 1))


async def test_conversation_an_amount_said_after_a_sauce_is_that_sauces(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # the amount after the comma is the bbq sauce's, not the plain sauce's its last word names
    await talk(chat, "a large pepperoni pizza", "with bbq sauce, light")
    assert await cart(chat) == lines(("pizza", 1, {"large", "pepperoni", "light bbq_sauce"}))


async def test_conversation_a_groups_amount_asked_for_is_an_edit(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak bowl with white rice and pinto beans")
    # nothing is ordered: the beans the bowl has, more of them
    await talk(chat, "can i get the beans extra")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak", "white_rice", "extra pinto_beans"})
    )


async def test_conversation_a_many_word_amount_makes_a_side_the_topping(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito with black beans")
    # "a little bit of" and "hold the" say how much of the topping, no side of guacamole
    await talk(chat, "a little bit of guac on it")
    assert await cart(chat) == lines(("burrito", 1, {"chicken", "black_beans", "light guacamole"}))
    await talk(chat, "actually hold the guac")
    assert await cart(chat) == lines(("burrito", 1, {"chicken", "black_beans", "no guacamole"}))


async def test_conversation_an_amount_on_a_groups_plural_is_on_each_of_them(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak bowl with corn salsa and red chili salsa")
    # "both salsas" counts the salsas the bowl has, not bowls; plain "salsa" is no third one
    await talk(chat, "go easy on both of the salsas")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak", "light corn_salsa", "light red_chili_salsa"})
    )
    chat = new_chat("burrito")
    await talk(chat, "a steak bowl with white rice")
    # none on it: the salsa the word alone names, light
    await talk(chat, "light on the salsas")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak", "white_rice", "light fresh_tomato_salsa"})
    )


async def test_conversation_a_count_said_alike_before_a_colon_is_one_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    # what follows the colon goes on every bowl, not one kind each
    await talk(chat, "three bowls, all identical: barbacoa, brown rice")
    assert await cart(chat) == lines(("burrito_bowl", 3, {"barbacoa", "brown_rice"}))


async def test_conversation_make_that_and_a_word_of_a_dish_is_what_it_becomes(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a strawberry shake please")
    # "that" is the shake; "vanilla" is what it becomes, no second shake
    await talk(chat, "hmm make that vanilla")
    assert await cart(chat) == lines(("vanilla_shake", 1))


async def test_conversation_and_on_a_crust_is_the_pizzas_crust(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pizza with mushrooms")
    # the article is no count: the pizza ordered goes on that crust
    await talk(chat, "oh and on a thin crust")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "mushrooms", "thin_crust"}))


async def test_conversation_a_number_starting_an_options_name_counts_no_lines(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large cheese pizza and 2 pepsis")
    # "2 liter" is the size of both, not two of them and a liter
    await talk(chat, "make both 2 liter")
    assert await cart(chat) == lines(("pizza", 1, {"large", "cheese"}), ("pepsi", 2, {"2_liter"}))


async def test_conversation_a_message_ending_on_a_table_word_is_read(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium hawaiian pizza")
    # "the other table" as the last words: who it is for, read without failing
    await talk(chat, "one more of those for the other table")
    assert await cart(chat) == lines(("pizza", 2, {"medium", "hawaiian"}))


# --- a count spelled out by its parts -----------------------------------------------------------


async def test_conversation_a_dash_before_the_parts_of_a_count_is_no_minus(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # the dash sets off how the 5 are made up, it does not make the 3 negative
    await talk(chat, "5 pizzas - 3 pepperoni and 2 sausage, all small")
    assert await cart(chat) == lines(
        ("pizza", 3, {"small", "pepperoni"}), ("pizza", 2, {"small", "sausage"})
    )


async def test_conversation_a_total_of_drinks_counted_by_dish_takes_the_container(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # "cans of soda" says what each is served in; the 5 is no sixth line of its own
    await talk(chat, "and 5 cans of soda: 2 pepsi, 3 sprite")
    assert await cart(chat) == lines(("pepsi", 2, {"can"}), ("sprite", 3, {"can"}))


async def test_conversation_dishes_in_the_plural_listed_kind_by_kind_are_one_each(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # no count said: the list says how many, a kind said twice is two of it
    await talk(chat, "pizzas for the team: ham, pepperoni, ham. all small")
    assert await cart(chat) == lines(
        ("pizza", 2, {"small", "ham"}), ("pizza", 1, {"small", "pepperoni"})
    )
    # the options said for all of them before the colon go on each
    await talk(chat, "3 more pizzas, all large: bacon, bacon, and onions")
    assert await cart(chat) == lines(
        ("pizza", 2, {"small", "ham"}),
        ("pizza", 1, {"small", "pepperoni"}),
        ("pizza", 2, {"large", "bacon"}),
        ("pizza", 1, {"large", "onions"}),
    )


async def test_conversation_a_bare_count_then_a_sentence_of_its_parts(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "Three pizzas please. A small with olives, a medium with ham and a large one")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "olives"}),
        ("pizza", 1, {"medium", "ham"}),
        ("pizza", 1, {"large"}),
    )
    # "can you" asks; it is no can of the water
    await talk(chat, "can you add a bottle of pellegrino")
    assert (("pellegrino_sparkling_water", 1, frozenset({"bottle"})), 1) in (
        await cart(chat)
    ).items()
    assert sum(1 for line in await cart(chat) if line[0] == "pellegrino_sparkling_water") == 1


async def test_conversation_some_of_a_counted_line_said_by_its_count(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    # what the coffees are for is no dish; "all small drip" is what each of them is
    await talk(chat, "8 coffees for a conference, all small drip")
    assert await cart(chat) == lines(("drip_coffee", 8, {"small"}))
    await talk(chat, "3 of the 8 decaf")
    assert await cart(chat) == lines(
        ("drip_coffee", 5, {"small"}), ("drip_coffee", 3, {"small", "decaf"})
    )


async def test_conversation_a_line_named_by_its_kind_and_one_then_options(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "2 medium pizzas, one ham and one sausage")
    # no verb, no "the": the ham one is changed, no third pizza ordered
    await talk(chat, "ham one thin crust")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham", "thin_crust"}), ("pizza", 1, {"medium", "sausage"})
    )


async def test_conversation_dishes_in_the_plural_then_all_and_options_change_them(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 americanos and a cappuccino")
    # the count of the line said again: those three, every one of them iced
    await talk(chat, "the 3 americanos all iced")
    assert await cart(chat) == lines(("americano", 3, {"iced"}), ("cappuccino", 1))
    await talk(chat, "espresso, espresso")
    await talk(chat, "espressos both large")
    assert await cart(chat) == lines(
        ("americano", 3, {"iced"}), ("cappuccino", 1), ("espresso", 2, {"large"})
    )


async def test_conversation_a_size_said_again_with_a_kind_is_a_dish_of_its_own(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # the supreme is a third pizza of its own: it keeps none of the sausage of the two
    await talk(chat, "two medium sausage pizzas, one medium supreme")
    assert await cart(chat) == lines(
        ("pizza", 2, {"medium", "sausage"}), ("pizza", 1, {"medium", "supreme"})
    )


async def test_conversation_a_total_counted_by_dish_then_whose_each_is(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    # the parts of the 3, then whom each is for: nothing ordered twice
    await talk(
        chat,
        "3 drinks: 1 cappuccino 2 americanos. cappuccino for mom, americanos for me and my brother",
    )
    assert await cart(chat) == lines(("cappuccino", 1), ("americano", 2))


async def test_conversation_asking_if_there_is_a_dish_orders_nothing(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    # asked without "do", or with the kinds asked after the dish: questions, nothing added
    await talk(chat, "u got hazelnut syrup?")
    await talk(chat, "you guys have oat milk?")
    await talk(chat, "anything with vanilla?")
    await talk(chat, "how many shots come in a latte")
    assert await cart(chat) == lines()
    chat = new_chat("sub")
    turn = await talk(chat, "cookies? what kinds")
    assert await cart(chat) == lines()
    assert "raisin" in turn.reply.lower()
    await talk(chat, "the chocolate chip x3")
    assert await cart(chat) == lines(("chocolate_chip", 3))


async def test_conversation_words_of_several_listed_dishes_order_each(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "shake flavors?")
    # each word names one of the shakes listed, with its own count
    await talk(chat, "a strawberry and 2 vanilla, all medium")
    assert await cart(chat) == lines(
        ("strawberry_shake", 1, {"medium"}), ("vanilla_shake", 2, {"medium"})
    )
    chat = new_chat("sub")
    await talk(chat, "which subs have chicken?")
    # the word that picks the sub is not also its sauce
    await talk(chat, "the teriyaki one with provolone")
    assert await cart(chat) == lines(("sweet_onion_chicken_teriyaki", 1, {"provolone"}))


async def test_conversation_a_dish_as_a_side_is_one_line(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger, and fries as my side, large")
    assert await cart(chat) == lines(("cheese_burger", 1), ("french_fries", 1, {"large"}))
    chat = new_chat("coffee")
    # "4" after what is asked about is "for", no count
    await talk(chat, "what sizes 4 a latte?", "large please")
    assert await cart(chat) == lines(("latte", 1, {"large"}))


async def test_conversation_the_cheapest_of_a_kind_and_a_dish_picked_by_place(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    # the cheapest of the chips, not the one bag "chips" names
    turn = await talk(chat, "which chips are the cheapest?")
    assert "baked lays" in turn.reply.lower()
    chat = new_chat("burger")
    # the noun left out after "than" is the one said before; "the second one" is that shake
    turn = await talk(chat, "is the vanilla shake more expensive than the chocolate?")
    assert "chocolate" in turn.reply.lower()
    await talk(chat, "ok the second one, large")
    assert await cart(chat) == lines(("chocolate_shake", 1, {"large"}))


async def test_conversation_sizes_of_a_kind_then_one_of_them_by_its_word(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    # the sizes of the shakes, the shakes kept to pick from by a word of their own
    turn = await talk(chat, "which sizes do the shakes come in?")
    assert "strawberry" in turn.reply.lower() and "coca cola" not in turn.reply.lower()
    await talk(chat, "a small strawberry")
    assert await cart(chat) == lines(("strawberry_shake", 1, {"small"}))


async def test_conversation_a_plain_no_then_an_order_is_the_order(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "how much is the vanilla syrup?")
    # the "no" turns down the syrup; nothing comes off, the latte is ordered
    await talk(chat, "no thanks, just a small latte")
    assert await cart(chat) == lines(("latte", 1, {"small"}))
    chat = new_chat("pizzeria")
    # asked politely: the same order
    await talk(chat, "a large pizza with ham, thin crust if possible")
    assert await cart(chat) == lines(("pizza", 1, {"large", "ham", "thin_crust"}))


async def test_conversation_a_dish_without_any_meat_is_a_vegetarian_one(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    turn = await talk(chat, "do you have a sub without any meat?")
    assert "veggie" in turn.reply.lower()
    await talk(chat, "ok that one with cucumbers")
    assert await cart(chat) == lines(("veggie", 1, {"cucumbers"}))


async def test_conversation_another_dish_made_the_same_way(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger with no onions and a coke")
    # the burger's setup is copied onto the cheeseburger; the coke is no burger to copy
    await talk(chat, "and a cheeseburger done the same way")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"no onion"}), ("coca_cola", 1), ("cheese_burger", 1, {"no onion"})
    )
    # a dish the cart already holds, "the same": one more of that line
    await talk(chat, "one cheeseburger the same please")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"no onion"}), ("coca_cola", 1), ("cheese_burger", 2, {"no onion"})
    )
    chat = new_chat("burrito")
    # no article, and how many said after
    await talk(chat, "a chicken bowl with pinto beans", "and burritos made the same, three of them")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken", "pinto_beans"}), ("burrito", 3, {"chicken", "pinto_beans"})
    )


async def test_conversation_options_for_some_units_of_a_line(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 americanos", "one should be iced")
    assert await cart(chat) == lines(("americano", 2), ("americano", 1, {"iced"}))
    # "a different one": another unit of the line, not the one just changed, nor a new coffee
    await talk(chat, "and a different one with whipped cream")
    assert await cart(chat) == lines(
        ("americano", 1), ("americano", 1, {"iced"}), ("americano", 1, {"whipped_cream"})
    )


async def test_conversation_only_one_unit_keeps_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    # both have it: "only one should" takes it off the others (and "the other not" is no
    # "no decaf" written on it)
    await talk(chat, "2 decaf cappuccinos", "only one should be decaf, the other not")
    assert await cart(chat) == lines(("cappuccino", 1, {"decaf"}), ("cappuccino", 1))
    chat = new_chat("sub")
    # none has it: "only one gets" puts it on one, the options they share stay
    await talk(chat, "2 ham subs with provolone", "just one of them gets mustard")
    assert await cart(chat) == lines(
        ("black_forest_ham", 1, {"provolone"}),
        ("black_forest_ham", 1, {"provolone", "yellow_mustard"}),
    )


async def test_conversation_the_kind_of_option_swapped_on_one_unit(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 ham subs with pepperjack, cucumbers and caesar sauce")
    # the cheese of the first one becomes american cheese; the rest of it stays
    await talk(chat, "change the cheese on the first one to american")
    assert await cart(chat) == lines(
        ("black_forest_ham", 1, {"pepperjack", "cucumbers", "caesar_sauce"}),
        ("black_forest_ham", 1, {"american_cheese", "cucumbers", "caesar_sauce"}),
    )
    chat = new_chat("sub")
    await talk(chat, "a turkey sub with swiss and spinach", "swap the cheese for provolone")
    assert await cart(chat) == lines(("turkey_breast", 1, {"provolone", "spinach"}))


async def test_conversation_a_way_of_making_it_switched_keeps_the_others(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a skinny latte and an iced americano")
    await talk(chat, "oh the americano should be decaf")
    # decaf is one more way of making it: the americano stays iced
    assert await cart(chat) == lines(("latte", 1, {"skinny"}), ("americano", 1, {"iced", "decaf"}))
    await talk(chat, "switch them both to decaf")
    assert await cart(chat) == lines(
        ("latte", 1, {"skinny", "decaf"}), ("americano", 1, {"iced", "decaf"})
    )


async def test_conversation_a_dish_for_each_of_us_is_one_each(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger for my brother and a chicken sandwich for me")
    # the people named so far have one unit each of every dish ordered "for each of us"
    await talk(chat, "plus garlic fries and a vanilla shake for each of us")
    await talk(chat, "my brother would like a chocolate shake instead")
    assert await cart(chat) == lines(
        ("ham_burger", 1),
        ("chicken_sandwich", 1),
        ("garlic_fries", 2),
        ("vanilla_shake", 1),
        ("chocolate_shake", 1),
    )


async def test_conversation_mine_swapped_to_a_kind_none_of_mine_is(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "two hamburgers, one for my sister and one for me", "and 2 small seven ups")
    # my lines hold no drink: my one of the sodas nobody has claimed becomes the new one
    await talk(chat, "make mine a root beer")
    assert await cart(chat) == lines(
        ("ham_burger", 2), ("seven_up", 1, {"small"}), ("root_beer", 1, {"small"})
    )


async def test_conversation_the_same_for_another_in_the_same_message(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    # the copy for another person said after the order, in the same breath: a copy each
    await talk(chat, "a double cheeseburger and garlic fries for me and the same for my sister")
    assert await cart(chat) == lines(("double_cheese_burger", 2), ("garlic_fries", 2))
    chat = new_chat("burger")
    await talk(chat, "I'll get a hamburger, and my dad will have the same but with jalapenos")
    assert await cart(chat) == lines(("ham_burger", 1), ("ham_burger", 1, {"jalapenos"}))


async def test_conversation_his_after_one_of_a_group_is_one_unit(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "it's me and my two friends. three hamburgers and three medium root beers")
    await talk(chat, "one of my friends wants a cheeseburger instead of a hamburger")
    # "his" is the friend just spoken of, one of the group: his one of the root beers
    await talk(chat, "and he wants a medium seven up in place of his root beer")
    assert await cart(chat) == lines(
        ("ham_burger", 2),
        ("cheese_burger", 1),
        ("root_beer", 2, {"medium"}),
        ("seven_up", 1, {"medium"}),
    )


async def test_conversation_would_rather_have_one_than_another(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "for my grandkids: two hamburgers and two orders of french fries")
    # "rather have X than Y" puts X in place of Y, for one of the grandkids
    await talk(chat, "one of my grandchildren would rather have garlic fries than french fries")
    assert await cart(chat) == lines(("ham_burger", 2), ("french_fries", 1), ("garlic_fries", 1))


async def test_conversation_a_change_said_as_done_is_made(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "three hamburgers for the kids")
    # "changed hers to", told as news, is the change asked for on her one of them
    await talk(chat, "my youngest daughter switched hers to a vegan burger")
    assert await cart(chat) == lines(("ham_burger", 2), ("vegan_burger", 1))
    # "changed my mind" stays a change of mind, not a change of a dish of mine
    await talk(chat, "I changed my mind, add a vanilla shake")
    assert await cart(chat) == lines(("ham_burger", 2), ("vegan_burger", 1), ("vanilla_shake", 1))


async def test_conversation_whose_a_dish_is_said_after_the_order(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    # the sentence after the order says whose one dish is and how they want it: that dish
    # changed, nothing more ordered
    await talk(
        chat,
        "a steak burrito and a tofu bowl please. the burrito is for my son, he wants it "
        "without cheese",
    )
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "no cheese"}), ("burrito_bowl", 1, {"tofu"})
    )


async def test_conversation_a_bare_dish_for_two_named_is_one_each(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    # no count, no article, for two people named one by one: one each, told apart later
    await talk(chat, "turkey breast for my sister and me")
    await talk(chat, "hers with jalapenos")
    assert await cart(chat) == lines(("turkey_breast", 1), ("turkey_breast", 1, {"jalapenos"}))
    chat = new_chat("sub")
    # "a" may be one to share: one
    await talk(chat, "a turkey breast for my sister and me")
    assert await cart(chat) == lines(("turkey_breast", 1))


async def test_conversation_the_group_each_after_the_party_was_counted(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "it's lunch for me and my three boys. a tuna sub for me")
    # the party is four and I am one of it: the boys are the other three
    await talk(chat, "the boys each want an italian")
    assert await cart(chat) == lines(("tuna", 1), ("italian", 3))


async def test_conversation_mine_then_hers_in_sentences_of_their_own(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    # "Mine X. His Y.": one of the dish each, as each wants it, with no "is" after whose
    await talk(chat, "two bowls for my dad and me. Mine tofu with white rice. His carnitas.")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"tofu", "white_rice"}), ("burrito_bowl", 1, {"carnitas"})
    )
    # "exactly what I'm having": his made a copy of mine
    await talk(chat, "oh he wants exactly what I'm having")
    assert await cart(chat) == lines(("burrito_bowl", 2, {"tofu", "white_rice"}))


async def test_conversation_her_unit_made_another_dish_of_a_kind_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "two steak salads and a chicken burrito")
    # her one of the salads becomes a bowl; the burrito, a kind of bowl too, stays
    await talk(chat, "my friend wants her salad as a burrito bowl")
    assert await cart(chat) == lines(
        ("salad", 1, {"steak"}), ("burrito_bowl", 1, {"steak"}), ("burrito", 1, {"chicken"})
    )


async def test_conversation_on_all_three_of_a_dish_names_that_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito, a chicken burrito, a carnitas burrito and a veggie salad")
    # "all three burritos" names the burritos, every one of them: the salad stays as it is
    await talk(chat, "sour cream on all three burritos please")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "sour_cream"}),
        ("burrito", 1, {"chicken", "sour_cream"}),
        ("burrito", 1, {"carnitas", "sour_cream"}),
        ("salad", 1, {"veggie"}),
    )


async def test_conversation_bare_option_one_gets_and_everyone_gets(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 steak burritos and 1 carnitas burrito")
    # "carnitas one gets ..." is the carnitas one; "everyone gets ..." after it, every line
    await talk(chat, "carnitas one gets fajita veggies, and everybody gets cheese")
    assert await cart(chat) == lines(
        ("burrito", 2, {"steak", "cheese"}),
        ("burrito", 1, {"carnitas", "fajita_veggies", "cheese"}),
    )


async def test_conversation_make_that_two_both_the_same_way_counts_the_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "turkey with bacon")
    await talk(chat, "and a sprite")
    # "make that 2 turkeys, both the same way" names the turkey line: its count, no other dish
    await talk(chat, "make that 2 turkeys, both the same way")
    assert await cart(chat) == lines(("turkey_breast", 2, {"bacon"}), ("sprite", 1))


async def test_conversation_make_that_two_someone_wants_the_same_is_the_count(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a turkey with swiss")
    # the count is the request; "my coworker wants the same thing" says whom the one more is for
    await talk(chat, "make that two, my coworker wants the same thing")
    assert await cart(chat) == lines(("turkey_breast", 2, {"swiss"}))


async def test_conversation_his_drink_instead_stays_on_the_drinks(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 meatball marinaras for me and my son")
    await talk(chat, "and 2 sprites")
    # "instead of his sprite" names the sprites: one of them becomes the milk, the subs stay
    await talk(chat, "my son wants a milk instead of his sprite")
    assert await cart(chat) == lines(("meatball_marinara", 2), ("sprite", 1), ("low_fat_milk", 1))


async def test_conversation_the_one_picked_keeps_an_option_said_by_another_name(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "whats healthier, the veggie or the oven roasted chicken")
    # "no mayo" shares no word with "chicken", the word that picks the dish: it is kept
    await talk(chat, "fine the chicken one. spinach, tomato, cucumber, no mayo")
    assert await cart(chat) == lines(
        (
            "oven_roasted_chicken",
            1,
            {"spinach", "tomatoes", "cucumbers", "no regular_mayonnaise"},
        )
    )


async def test_conversation_a_total_then_its_parts_ending_with_a_stop(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    # the closing stop starts no list: the 10 cookies are the 5 and 5 after them
    await talk(chat, "10 bottles of water and 10 cookies, 5 chocolate chip and 5 oatmeal raisin.")
    assert await cart(chat) == lines(
        ("dasani_water", 10), ("chocolate_chip", 5), ("oatmeal_raisin", 5)
    )


async def test_conversation_how_long_for_a_pickup_order_is_a_question(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # "for a pickup order" with no dish before it is no occasion of an order: the question stays
    reply = await talk(chat, "how long for a pickup order?")
    assert not any(w in reply.reply.lower() for w in ("not sure", "didn't get", "didn't catch"))
    assert await cart(chat) == lines()


async def test_conversation_count_made_then_another_wants_the_same(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large iced latte with hazelnut syrup")
    # the copy for another is why the count grew: two in all, no third
    await talk(chat, "make that 2, my sister wants the same")
    assert await cart(chat) == lines(("latte", 2, {"large", "iced", "hazelnut_syrup"}))


async def test_conversation_line_made_more_the_same_way_is_no_other_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak quesadilla with extra cheese")
    # "make it N <dish>, both/all the same": the line counted anew, alike
    await talk(chat, "make it two quesadillas, both the same")
    assert await cart(chat) == lines(("quesadilla", 2, {"steak", "extra cheese"}))


async def test_conversation_one_is_for_me_is_whose_not_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "two skinny lattes")
    # "one is for me and one for Sam": whose each is, then Sam's option on his one
    await talk(chat, "one is for me and one for Sam, and Sam wants his large")
    assert await cart(chat) == lines(("latte", 1, {"skinny"}), ("latte", 1, {"skinny", "large"}))


async def test_conversation_bare_dish_for_a_crowd_and_a_listed_total_at_the_end(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    # a dish said bare for "a ... meeting" is what the order is for, nothing ordered
    await talk(chat, "hey, getting coffee for a staff meeting.")
    assert await cart(chat) == lines()
    chat = new_chat("burger")
    # a total, then its parts, the message's last sentence: no dish of the total
    await talk(chat, "I need five burgers for the party: three cheeseburgers and two hamburgers.")
    assert await cart(chat) == lines(("cheese_burger", 3), ("ham_burger", 2))


async def test_conversation_the_one_with_an_option_then_can_you_add(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pizza with olives and a medium pizza with ham")
    # "can you" after the line named asks; it is no can of that line, no new pizza
    await talk(chat, "the one with ham, can you add mushrooms")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "olives"}), ("pizza", 1, {"medium", "ham", "mushrooms"})
    )


async def test_conversation_a_sized_dish_for_two_people_is_one(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    # an article before the dish's options, or a dish said by its size: one, to share
    await talk(chat, "can i get a large pizza with ham for me and my sister to share")
    assert await cart(chat) == lines(("pizza", 1, {"large", "ham"}))
    chat = new_chat("pizzeria")
    await talk(chat, "medium thin crust with olives for me and Sam")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "thin_crust", "olives"}))


async def test_conversation_a_dish_said_anew_instead_takes_the_old_ones_place(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small hawaiian and a large pepperoni pizza")
    # the dish said again, by its size and its kind: the hawaiian goes, no pizza of both kinds
    await talk(chat, "the hawaiian is for my son, he wants a small margherita instead")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "margherita"}), ("pizza", 1, {"large", "pepperoni"})
    )


async def test_conversation_one_persons_dislike_counts_no_units_to_keep(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "can i get 2 small mushroom pizzas for the kids")
    # "my oldest doesnt like mushrooms" is one of theirs, not "only one keeps the mushrooms"
    await talk(chat, "actually my oldest doesnt like mushrooms, make one of them olives instead")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "mushrooms"}), ("pizza", 1, {"small", "olives"})
    )


async def test_conversation_change_the_size_to_one_no_size_kind_goes(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium hawaiian pizza")
    # "the size" names the line's size; large is of no kind of "... size" options to drop
    await talk(chat, "could you change the size to small?")
    assert await cart(chat) == lines(("pizza", 1, {"small", "hawaiian"}))


async def test_conversation_an_occasion_run_on_into_a_request_keeps_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "Ana wants a large ham pizza and Ben wants a small olive pizza")
    # "for a meeting" with no break after it runs into the request: the request stays
    await talk(chat, "Ben had to leave for a meeting so cancel his")
    assert await cart(chat) == lines(("pizza", 1, {"large", "ham"}))


async def test_conversation_the_third_unit_past_the_lines_is_the_line_of_one(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "three large ham pizzas")
    # two keep the ham, the one left is the third, made as said
    await talk(chat, "actually just two of them ham, change the third one to olives and onions")
    assert await cart(chat) == lines(
        ("pizza", 2, {"large", "ham"}), ("pizza", 1, {"large", "olives", "onions"})
    )


async def test_conversation_a_dish_ordered_on_the_option_just_priced(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "is the keto crust extra? how much")
    # "on that": the crust asked about, on the pizza the toppings say
    await talk(chat, "ok then a small ham on that")
    assert await cart(chat) == lines(("pizza", 1, {"small", "ham", "keto_crust"}))
    chat = new_chat("burrito")
    await talk(chat, "what is barbacoa?")
    await talk(chat, "ok i'll have it in a taco with corn salsa")
    assert await cart(chat) == lines(("taco", 1, {"barbacoa", "corn_salsa"}))


async def test_conversation_two_dishes_asked_if_there_then_one_of_each(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "do you have pepsi and fanta")
    # both dishes were asked about, not only the first
    await talk(chat, "one of each")
    assert await cart(chat) == lines(("pepsi", 1), ("fanta", 1))


async def test_conversation_which_costs_less_then_the_cheaper_one(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "do you have sprite and diet sprite")
    # the price compared with no "?" is asked, not a look at the menu
    await talk(chat, "which of them costs less")
    await talk(chat, "3 of the cheaper one")
    assert await cart(chat) == lines(("sprite", 3))


async def test_conversation_options_listed_then_picked_by_a_word_both_on_one_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "which salsas are there")
    # "the red one" is one of the salsas listed; "both on a taco" is the two salsas, one taco
    await talk(chat, "the red one and the corn one, both on a steak taco")
    assert await cart(chat) == lines(("taco", 1, {"steak", "red_chili_salsa", "corn_salsa"}))


async def test_conversation_one_of_the_styles_compared_is_ordered_alone(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "what's the difference between thin crust and sourdough crust")
    await talk(chat, "ok the sourdough one, small, with ham")
    assert await cart(chat) == lines(("pizza", 1, {"small", "sourdough_crust", "ham"}))
    chat = new_chat("pizzeria")
    await talk(chat, "the margherita and the mediterranean pizzas, same price?")
    # by price: the cheaper of the two styles compared, not both
    await talk(chat, "fine, the cheaper of the two, medium")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "mediterranean"}))


async def test_conversation_a_number_before_a_measure_is_no_count(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "what sizes does the pepsi come in")
    await talk(chat, "the 2 liter please")
    assert await cart(chat) == lines(("pepsi", 1, {"2_liter"}))


async def test_conversation_a_question_about_it_then_an_order(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "do you have lemonade")
    # the question is in passing: the order after it stands
    await talk(chat, "is it fresh? ok 3 lemonades")
    assert await cart(chat) == lines(("tractor_lemonade", 3))


async def test_conversation_one_of_each_of_two_dishes_asked_about(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "do you do americanos and espressos?")
    # both dishes were asked about: "one of each" takes them both, with what is said now
    await talk(chat, "great, one of each, both decaf")
    assert await cart(chat) == lines(("americano", 1, {"decaf"}), ("espresso", 1, {"decaf"}))


async def test_conversation_dishes_with_both_options_asked_about(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "do you do a latte with caramel syrup and drizzles?")
    # "with both of those": the options of the dish just asked about
    await talk(chat, "alright, 3 lattes with both of those")
    assert await cart(chat) == lines(("latte", 3, {"caramel_syrup", "drizzles"}))


async def test_conversation_both_options_put_in_one_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    # "both of those in a latte": the two syrups go in one latte, not two lattes
    await talk(chat, "vanilla and raspberry, both of those in a small latte please")
    assert await cart(chat) == lines(("latte", 1, {"small", "vanilla_syrup", "raspberry_syrup"}))


async def test_conversation_the_same_option_as_the_dish_before(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    # "the same roast": the roast said for the dish before, in the same message
    await talk(chat, "a drip coffee in french roast and an americano in the same roast")
    assert await cart(chat) == lines(("drip_coffee", 1, {"french"}), ("americano", 1, {"french"}))


async def test_conversation_an_option_named_then_asked_about_orders_nothing(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    # a roast named, then a question about it: asked, nothing ordered
    await talk(chat, "the italian roast, is it strong?")
    assert await cart(chat) == lines()


async def test_conversation_asked_how_a_dish_can_be_then_ordered_so(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "could you make an americano iced?")
    # the order says that americano again, two of them: they take its place
    await talk(chat, "perfect, two iced americanos with vanilla syrup")
    assert await cart(chat) == lines(("americano", 2, {"iced", "vanilla_syrup"}))


async def test_conversation_scratch_that_then_another_option(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a small latte with raspberry syrup")
    # "scratch that" lets the syrup go, the one said after it goes on: no line taken off
    await talk(chat, "scratch that, vanilla instead of raspberry")
    assert await cart(chat) == lines(("latte", 1, {"small", "vanilla_syrup"}))


async def test_conversation_never_mind_that_then_make_it_an_option_is_the_change(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a thin crust pizza with mushrooms")
    # "never mind that" lets the last words go; the crust said after it is put on, not left off
    await talk(chat, "never mind that make it sourdough crust")
    assert await cart(chat) == lines(("pizza", 1, {"sourdough_crust", "mushrooms"}))


async def test_conversation_an_option_swapped_for_a_side_word_is_the_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito with cheese")
    # only an option goes, so "guacamole" (a side too) is the option in its place
    await talk(chat, "could you swap the cheese for guacamole")
    assert await cart(chat) == lines(("burrito", 1, {"steak", "guacamole"}))


async def test_conversation_you_can_leave_an_option_on_puts_it_back(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small vegetarian pizza without olives")
    # "you can" is no can of soda: the olives go back on, the onions come off
    await talk(chat, "actually you can leave the olives on, but take off the onions instead")
    assert await cart(chat) == lines(("pizza", 1, {"small", "vegetarian", "no onions"}))


async def test_conversation_and_a_dish_instead_changes_the_one_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger and a small fries")
    # nothing was taken off: the fries in the cart are made large, none added
    await talk(chat, "and large fries instead")
    assert await cart(chat) == lines(("ham_burger", 1), ("french_fries", 1, {"large"}))


async def test_conversation_a_dish_let_go_with_its_toppings_kept(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger with pickles and onion")
    # "never mind that" lets the dish go, "keep the same toppings" keeps what was on it
    await talk(chat, "never mind that, make it a cheeseburger and keep the same toppings")
    assert await cart(chat) == lines(("cheese_burger", 1, {"pickle", "onion"}))


async def test_conversation_one_more_with_nothing_on_it_is_plain(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "two chicken burritos with sour cream")
    # "without anything on it" says the copy is plain: none of the line's toppings on it
    await talk(chat, "another burrito but carnitas, without anything on it")
    assert await cart(chat) == lines(
        ("burrito", 2, {"chicken", "sour_cream"}), ("burrito", 1, {"carnitas"})
    )


async def test_conversation_only_one_has_an_option_said_plain_of_an_extra_one(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "two steak burritos with extra cheese")
    # the extra cheese stays on one; "has cheese" said without its amount is still that cheese
    await talk(chat, "actually only one of them has cheese")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "extra cheese"}), ("burrito", 1, {"steak"})
    )


async def test_conversation_an_amount_on_the_kind_of_the_lines_one_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a veggie sub with spinach and extra marinara sauce")
    # "the sauce" is the one sauce the sub has: it goes light
    await talk(chat, "go easy on the sauce please")
    assert await cart(chat) == lines(("veggie", 1, {"spinach", "light marinara_sauce"}))


async def test_conversation_the_cheaper_one_beside_another_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "what does the vegan burger cost", "and the ham burger?")
    # the price picks one of the two asked about, the drink named beside it is ordered too
    await talk(chat, "fine, the cheaper one plus a diet coke")
    assert await cart(chat) == lines(("ham_burger", 1), ("diet_coke", 1))


async def test_conversation_the_cheaper_one_with_options_named_like_a_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "price of the chicken and bacon ranch?", "what about the buffalo chicken")
    # "buffalo" and "ranch" name options here, the price picks the dish
    await talk(chat, "the cheaper one please, with ranch and extra buffalo sauce")
    assert await cart(chat) == lines(
        ("buffalo_chicken", 1, {"ranch", "extra buffalo_sauce"}),
    )


async def test_conversation_two_dishes_compared_then_some_of_the_cheaper(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    # a kind word ("cookie") in a comparison of two dishes: their prices, not the kind listed
    await talk(chat, "is the chocolate chip cookie cheaper than the oatmeal raisin?")
    await talk(chat, "then 2 of the cheaper one")
    assert await cart(chat) == lines(("chocolate_chip", 2))


async def test_conversation_the_cheapest_of_those_just_listed(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "which shakes are there")
    turn = await talk(chat, "which one is cheapest?")
    assert "Vanilla Shake" in turn.reply
    await talk(chat, "ok one of that, small")
    assert await cart(chat) == lines(("vanilla_shake", 1, {"small"}))


async def test_conversation_both_of_the_dishes_asked_if_there_are(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "do you have chocolate shakes", "and strawberry?")
    await talk(chat, "great, both of those, large")
    assert await cart(chat) == lines(
        ("chocolate_shake", 1, {"large"}), ("strawberry_shake", 1, {"large"})
    )


async def test_conversation_a_yes_with_the_word_of_one_compared(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "coke or diet coke, which costs less?")
    await talk(chat, "alright diet then, small")
    assert await cart(chat) == lines(("diet_coke", 1, {"small"}))


async def test_conversation_which_is_less_of_two_then_one_of_each(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "which is less, the salad or the vegan burger?")
    await talk(chat, "ok one of each")
    assert await cart(chat) == lines(("salad", 1), ("vegan_burger", 1))


async def test_conversation_one_of_each_then_an_option_for_all(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    # "one of each" counts nothing more, the size after it is every dish's
    await talk(chat, "garlic fries and sweet potato fries, one of each, large")
    assert await cart(chat) == lines(
        ("garlic_fries", 1, {"large"}), ("sweet_potato_fries", 1, {"large"})
    )


async def test_conversation_options_on_a_dish_each_theirs(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "provolone on an italian and pepperjack on a turkey sub")
    assert await cart(chat) == lines(
        ("italian", 1, {"provolone"}), ("turkey_breast", 1, {"pepperjack"})
    )


async def test_conversation_an_amount_said_after_its_options(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    # "go light on both": the two options said last; "and plenty of it": the one before
    await talk(chat, "a cold cut combo with mayo and mustard, go light on both")
    await talk(chat, "and a tuna sub with provolone, and plenty of it")
    assert await cart(chat) == lines(
        ("cold_cut_combo", 1, {"light regular_mayonnaise", "light yellow_mustard"}),
        ("tuna", 1, {"extra provolone"}),
    )
    chat = new_chat("coffee")
    await talk(chat, "a cappuccino and an americano")
    # the dish named between the option and its amount says where it goes
    await talk(chat, "caramel syrup in the americano only, but just a little")
    assert await cart(chat) == lines(("cappuccino", 1), ("americano", 1, {"light caramel_syrup"}))


async def test_conversation_not_too_much_of_an_option_is_an_amount(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna sub with provolone")
    # "not a lot of the provolone": less of it, not "X instead of the provolone"
    await talk(chat, "not a lot of the provolone")
    assert await cart(chat) == lines(("tuna", 1, {"light provolone"}))


async def test_conversation_another_dish_made_just_like_the_last(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with bacon and no onions")
    await talk(chat, "plus a hamburger done just like that")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"bacon", "no onion"}), ("ham_burger", 1, {"bacon", "no onion"})
    )
    chat = new_chat("pizzeria")
    await talk(chat, "a large veggie pizza with no onions")
    # "a small one the same way": another of that dish, in the size said
    await talk(chat, "plus a small one made the same way")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "vegetarian", "no onions"}),
        ("pizza", 1, {"small", "vegetarian", "no onions"}),
    )


async def test_conversation_half_of_them_is_half_the_units(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "6 steak tacos please")
    # half of the line just ordered, then the other half: three and three
    await talk(chat, "half of those with corn salsa and the other half with red salsa")
    assert await cart(chat) == lines(
        ("taco", 3, {"steak", "corn_salsa"}), ("taco", 3, {"steak", "red_chili_salsa"})
    )
    chat = new_chat("pizzeria")
    # the count said in the same message
    await talk(chat, "six small pizzas, half of them with ham and the rest plain")
    assert await cart(chat) == lines(("pizza", 3, {"small"}), ("pizza", 3, {"small", "ham"}))


async def test_conversation_make_both_of_those_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a pepsi and a fanta")
    # the option after "both of these" is what they become, no line that has it
    await talk(chat, "could you make both of these 2 liter")
    assert await cart(chat) == lines(("pepsi", 1, {"2_liter"}), ("fanta", 1, {"2_liter"}))


async def test_conversation_the_first_one_and_the_last_one(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small pizza with ham, a small with olives and a small with mushrooms")
    # two places said each with "one": both lines, not the first alone
    await talk(chat, "put onions on the second one and the last one")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "ham"}),
        ("pizza", 1, {"small", "olives", "onions"}),
        ("pizza", 1, {"small", "mushrooms", "onions"}),
    )


async def test_conversation_onto_the_dish_with_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "two hamburgers, one with ketchup and one with cheddar")
    # after "on", what the dish is with singles the line out
    await talk(chat, "put bacon on the hamburger with cheddar")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"ketchup"}), ("ham_burger", 1, {"cheddar", "bacon"})
    )
    chat = new_chat("burger")
    await talk(chat, "a hamburger")
    # no line has it: it goes on as well
    await talk(chat, "put bacon on the hamburger with cheddar")
    assert await cart(chat) == lines(("ham_burger", 1, {"cheddar", "bacon"}))


async def test_conversation_one_more_for_someone_but_just_some_options(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger with pickles, onions and ketchup")
    # "hers" is the new one, with only what is said on it
    await talk(chat, "and another for my daughter but only ketchup on hers")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"pickle", "onion", "ketchup"}), ("ham_burger", 1, {"ketchup"})
    )


async def test_conversation_a_dish_named_after_options_were_listed(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "what sauces are there")
    # "buffalo" starts the sandwich's name here, not the buffalo sauce listed
    await talk(chat, "ok a buffalo chicken with ranch")
    assert await cart(chat) == lines(("buffalo_chicken", 1, {"ranch"}))


async def test_conversation_an_amount_on_the_dish_offered_is_no_pick(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "how much is a medium pizza with sausage and olives?")
    await talk(chat, "what if i add extra olives?")
    # the extra olives go on the pizza offered: its sausage stays
    await talk(chat, "ok that one with extra olives please")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "sausage", "extra olives"}))


async def test_conversation_another_one_but_hot_drops_the_iced(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "iced americano, large")
    # "hot" with a size said too: the copy is hot, in that size
    await talk(chat, "and another americano but hot and small")
    assert await cart(chat) == lines(
        ("americano", 1, {"large", "iced"}), ("americano", 1, {"small"})
    )
    chat = new_chat("coffee")
    await talk(chat, "an iced latte with vanilla syrup")
    await talk(chat, "one more latte but hot, large")
    assert await cart(chat) == lines(
        ("latte", 1, {"iced", "vanilla_syrup"}), ("latte", 1, {"large", "vanilla_syrup"})
    )


async def test_conversation_another_plain_one_not_the_option(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a decaf espresso")
    # one more, without the option said: the decaf one stays as it is
    await talk(chat, "and another normal espresso, not decaf")
    assert await cart(chat) == lines(("espresso", 1, {"decaf"}), ("espresso", 1))
    chat = new_chat("coffee")
    await talk(chat, "an iced latte")
    await talk(chat, "one more latte, not iced")
    assert await cart(chat) == lines(("latte", 1, {"iced"}), ("latte", 1))


async def test_conversation_a_count_then_both_of_them_with(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "an espresso and a hot chocolate", "add whipped cream to the hot chocolate")
    # "both" is the two said, not the two lines
    await talk(chat, "actually make it 2 hot chocolates, both with whipped cream")
    assert await cart(chat) == lines(("espresso", 1), ("hot_chocolate", 2, {"whipped_cream"}))
    chat = new_chat("coffee")
    await talk(chat, "a cappuccino and a latte")
    await talk(chat, "make it 3 lattes, all iced")
    assert await cart(chat) == lines(("cappuccino", 1), ("latte", 3, {"iced"}))


async def test_conversation_some_units_made_other_dishes(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "three vanilla shakes")
    # one each of the two named, the third stays vanilla
    await talk(chat, "make one chocolate and one strawberry")
    assert await cart(chat) == lines(
        ("vanilla_shake", 1), ("chocolate_shake", 1), ("strawberry_shake", 1)
    )
    chat = new_chat("burger")
    await talk(chat, "4 cokes please")
    await talk(chat, "make 2 of them root beer")
    assert await cart(chat) == lines(("coca_cola", 2), ("root_beer", 2))


async def test_conversation_some_of_the_line_then_the_rest(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "5 drip coffees for the office")
    # "the rest": the units not counted
    await talk(chat, "two of those large, rest small")
    assert await cart(chat) == lines(("drip_coffee", 2, {"large"}), ("drip_coffee", 3, {"small"}))
    chat = new_chat("pizzeria")
    await talk(chat, "4 medium pizzas")
    await talk(chat, "one of them with ham and the rest of them with mushrooms")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham"}), ("pizza", 3, {"medium", "mushrooms"})
    )


async def test_conversation_options_before_some_places_after_others(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "three lattes")
    # the first two have theirs said before them, the last after it
    await talk(
        chat, "hazelnut in the first one, caramel syrup in the second and the last one plain"
    )
    assert await cart(chat) == lines(
        ("latte", 1, {"hazelnut_syrup"}), ("latte", 1, {"caramel_syrup"}), ("latte", 1)
    )
    chat = new_chat("pizzeria")
    await talk(chat, "3 small pizzas")
    await talk(chat, "olives on the first, ham on the second and the third one with bacon")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "olives"}),
        ("pizza", 1, {"small", "ham"}),
        ("pizza", 1, {"small", "bacon"}),
    )


async def test_conversation_the_singles_of_a_double_compared(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "is a double cheeseburger cheaper than two regular cheeseburgers?")
    # the singles: the one whose name says no more than one
    await talk(chat, "ok the two singles then")
    assert await cart(chat) == lines(("cheese_burger", 2))
    chat = new_chat("burger")
    await talk(chat, "how much are the double cheeseburger and the cheeseburger?")
    await talk(chat, "i'll take a single, no onions")
    assert await cart(chat) == lines(("cheese_burger", 1, {"no onion"}))


async def test_conversation_a_dish_heading_counted_kinds(new_chat: ChatFactory) -> None:
    # the dish said as a heading, then counts of its kinds: that dish, not the house's
    for text, item in (
        ("tacos: 2 chicken 2 steak", "taco"),
        ("bowls - 2 chicken and 2 steak", "burrito_bowl"),
        ("quesadillas: two chicken, two steak", "quesadilla"),
    ):
        chat = new_chat("burrito")
        await talk(chat, text)
        assert await cart(chat) == lines((item, 2, {"chicken"}), (item, 2, {"steak"})), text
    chat = new_chat("coffee")
    await talk(chat, "lattes: 2 iced, 1 decaf")
    assert await cart(chat) == lines(("latte", 2, {"iced"}), ("latte", 1, {"decaf"}))


async def test_conversation_options_listed_after_the_dish_without_breaks(
    new_chat: ChatFactory,
) -> None:
    # a name that is a side and a topping, said on in the run of options after the dish
    for text, expected in (
        (
            "steak bowl brown rice pinto beans corn salsa sour cream guac",
            {"steak", "brown_rice", "pinto_beans", "corn_salsa", "sour_cream", "guacamole"},
        ),
        ("chicken burrito black beans guac", {"chicken", "black_beans", "guacamole"}),
    ):
        chat = new_chat("burrito")
        await talk(chat, text)
        item = "burrito_bowl" if "bowl" in text else "burrito"
        assert await cart(chat) == lines((item, 1, expected)), text
    chat = new_chat("burrito")
    # after "and", the side
    await talk(chat, "a steak bowl and guac")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"steak"}), ("guacamole", 1))


async def test_conversation_extra_meat_is_more_of_the_filling(new_chat: ChatFactory) -> None:
    for text, item, meat in (
        ("carnitas bowl, extra meat, white rice", "burrito_bowl", "carnitas"),
        ("a chicken burrito with double meat", "burrito", "chicken"),
        ("tofu taco with extra protein", "taco", "tofu"),
    ):
        chat = new_chat("burrito")
        await talk(chat, text)
        said = {f"extra {meat}"} | ({"white_rice"} if "rice" in text else set())
        assert await cart(chat) == lines((item, 1, said)), text
    chat = new_chat("burrito")
    # said after the order, of the line
    await talk(chat, "a barbacoa bowl with pinto beans", "extra meat please")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"extra barbacoa", "pinto_beans"}))
    chat = new_chat("pizzeria")
    # a pizza's meats only, not its other toppings
    await talk(chat, "a large pizza with pepperoni and mushrooms, extra meat")
    assert await cart(chat) == lines(("pizza", 1, {"large", "extra pepperoni", "mushrooms"}))


async def test_conversation_add_a_second_filling_too(new_chat: ChatFactory) -> None:
    # a group of many that is never left empty: the one added goes on beside
    for said in ("add steak too", "also steak", "throw in some steak as well"):
        chat = new_chat("burrito")
        await talk(chat, "quesadilla with chicken", said)
        assert await cart(chat) == lines(("quesadilla", 1, {"chicken", "steak"})), said
    for said in ("make it steak", "steak instead"):
        chat = new_chat("burrito")
        await talk(chat, "quesadilla with chicken", said)
        assert await cart(chat) == lines(("quesadilla", 1, {"steak"})), said


async def test_conversation_a_question_about_an_option_is_no_dish(new_chat: ChatFactory) -> None:
    for asked in ("what's in the fajita veggies?", "what is in the corn salsa?"):
        chat = new_chat("burrito")
        turn = await talk(chat, "chicken bowl white rice", asked)
        assert "option" in turn.reply, asked
    chat = new_chat("burrito")
    await talk(
        chat, "chicken bowl white rice", "what's in the fajita veggies?", "add fajita veggies then"
    )
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken", "white_rice", "fajita_veggies"})
    )


async def test_conversation_which_option_is_the_hottest_with_a_guess(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    turn = await talk(chat, "which salsa is the hottest, the red one?")
    assert turn.reply.startswith("Yes") and "Red Chili Salsa" in turn.reply
    await talk(chat, "ok the red one then on a carnitas taco")
    assert await cart(chat) == lines(("taco", 1, {"carnitas", "red_chili_salsa"}))
    chat = new_chat("burrito")
    turn = await talk(chat, "what's the mildest salsa, the green one?")
    assert turn.reply.startswith("No") and "Fresh Tomato Salsa" in turn.reply
    chat = new_chat("burrito")
    turn = await talk(chat, "what's your spiciest salsa")
    assert "Red Chili Salsa" in turn.reply
    assert await cart(chat) == lines()
    await talk(chat, "ok add it to a steak bowl")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"steak", "red_chili_salsa"}))


async def test_conversation_asking_whether_more_can_go_on_orders_nothing(
    new_chat: ChatFactory,
) -> None:
    for asked in (
        "is the quesadilla just cheese or can i add stuff to it",
        "does the burrito come with rice or do i have to add it",
    ):
        chat = new_chat("burrito")
        await talk(chat, asked)
        assert await cart(chat) == lines(), asked
    chat = new_chat("burrito")
    await talk(
        chat,
        "is the quesadilla just cheese or can i add stuff to it",
        "ok a steak quesadilla with sour cream",
    )
    assert await cart(chat) == lines(("quesadilla", 1, {"steak", "sour_cream"}))


@pytest.mark.parametrize(
    ("said", "after"),
    [
        ("scratch that, make it thin crust", {"large", "pepperoni", "thin_crust"}),
        ("scratch that make it thin crust", {"large", "pepperoni", "thin_crust"}),
        ("forget it, make it a medium", {"medium", "pepperoni"}),
        ("oh no scratch that, change it to a medium", {"medium", "pepperoni"}),
        ("never mind that. switch it to thin crust", {"large", "pepperoni", "thin_crust"}),
        ("scratch that, thin crust", {"large", "pepperoni", "thin_crust"}),
    ],
)
async def test_conversation_let_go_then_a_change_in_its_place(
    new_chat: ChatFactory, said: str, after: set[str]
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni pizza")
    # what was just said let go, the change said instead: the line changed, never taken off
    await talk(chat, said)
    assert await cart(chat) == lines(("pizza", 1, after))


async def test_conversation_let_go_then_a_change_of_another_line(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "2 medium pizzas, one with mushrooms one with sausage")
    await talk(chat, "scratch that, make the sausage one a large")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "mushrooms"}), ("pizza", 1, {"large", "sausage"})
    )


@pytest.mark.parametrize(
    "said",
    [
        "wait no onions on second thought. mushrooms and black olives",
        "no onions on second thoughts! mushrooms and olives",
        "hmm, on second thought no onions. mushrooms and olives",
    ],
)
async def test_conversation_on_second_thought_ends_its_sentence(
    new_chat: ChatFactory, said: str
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "large thin crust with mushrooms and onions pls")
    # the "no" of the first sentence is not said of the options listed after it
    await talk(chat, said)
    assert await cart(chat) == lines(("pizza", 1, {"large", "thin_crust", "mushrooms", "olives"}))


@pytest.mark.parametrize(
    "said",
    [
        "get me another one like that but with blue cheese instead of the bacon",
        "bring me another one but with blue cheese instead of bacon",
        "get me one more like it but swap the bacon for blue cheese",
    ],
)
async def test_conversation_get_me_another_one_with_an_option_swapped(
    new_chat: ChatFactory, said: str
) -> None:
    chat = new_chat("burger")
    await talk(chat, "double cheeseburger w extra cheese and bacon")
    # a copy of the line, one option in another's place; the line itself stays as it was
    await talk(chat, said)
    assert await cart(chat) == lines(
        ("double_cheese_burger", 1, {"extra cheddar", "bacon"}),
        ("double_cheese_burger", 1, {"extra cheddar", "blue_cheese"}),
    )


@pytest.mark.parametrize(
    ("asked", "yes"),
    [
        ("can i get caesar and ranch both on the chicken and bacon ranch?", "ok do it"),
        ("could we get caesar and ranch both on the chicken and bacon ranch?", "yes please"),
        ("can i get caesar and ranch both on the chicken and bacon ranch?", "sure, go ahead"),
    ],
)
async def test_conversation_a_yes_to_a_request_asked_as_a_question(
    new_chat: ChatFactory, asked: str, yes: str
) -> None:
    chat = new_chat("sub")
    await talk(chat, "what dressings can i get", asked)
    # what was asked for is ordered by the yes, with its options
    await talk(chat, yes)
    assert await cart(chat) == lines(("chicken_and_bacon_ranch", 1, {"caesar_sauce", "ranch"}))


async def test_conversation_an_option_price_asked_alone_offers_no_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    # only asked what the option adds: a yes then orders nothing
    await talk(chat, "how much to add bacon to a cheeseburger?", "ok")
    assert await cart(chat) == lines()


@pytest.mark.parametrize(
    "asked",
    [
        "what about vegan pepperoni, can that go on a pizza",
        "can vegan pepperoni go on a pizza",
        "how about vegan pepperoni. could it go on a pizza?",
    ],
)
async def test_conversation_can_it_go_on_a_dish_is_asked_without_its_question_mark(
    new_chat: ChatFactory, asked: str
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "do you have any vegan options?")
    # asked whether the dish takes it: nothing ordered yet
    await talk(chat, asked)
    assert await cart(chat) == lines()
    # "with that" is the option asked about, on the dish that takes it
    await talk(chat, "ok a large vegan pizza with that and extra spinach")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "vegan", "vegan_pepperoni", "extra spinach"})
    )


async def test_conversation_fries_with_that_is_no_option_asked(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "can bacon go on a cheeseburger")
    assert await cart(chat) == lines()
    # fries take no bacon: "with that" is beside the burger, not the option
    await talk(chat, "ok a cheeseburger with bacon and fries with that")
    assert await cart(chat) == lines(("cheese_burger", 1, {"bacon"}), ("french_fries", 1))


async def test_conversation_someone_the_same_but_changed_is_a_copy(new_chat: ChatFactory) -> None:
    """ "My daughter the same but add mushrooms", "my bf wants the same but add olives", "my son
    too but with whipped cream": a changed copy for them; the first line stays as it was."""
    for venue, first, then, first_said, copy_said in (
        (
            "pizzeria",
            "my son wants a small pizza with extra cheese",
            "my daughter the same but add mushrooms",
            {"small", "extra cheese"},
            {"small", "extra cheese", "mushrooms"},
        ),
        (
            "pizzeria",
            "a medium pizza with ham for me",
            "my girlfriend wants the same but add olives",
            {"medium", "ham"},
            {"medium", "ham", "olives"},
        ),
        (
            "coffee",
            "my daughter wants a small hot chocolate",
            "my son too but with whipped cream",
            {"small"},
            {"small", "whipped_cream"},
        ),
    ):
        chat = new_chat(venue)
        await talk(chat, first, then)
        item = "pizza" if venue == "pizzeria" else "hot_chocolate"
        assert await cart(chat) == lines((item, 1, first_said), (item, 1, copy_said)), then


async def test_conversation_an_order_a_copy_for_someone_then_more(new_chat: ChatFactory) -> None:
    """Sentences of one message: a dish for one, "the same with bacon added" for another, then
    a dish of the speaker's own."""
    chat = new_chat("burger")
    await talk(
        chat,
        "Sam wants a chicken sandwich with lettuce and mayo. Jo wants the same with bacon "
        "added. I'll take a salad.",
    )
    assert await cart(chat) == lines(
        ("chicken_sandwich", 1, {"lettuce", "mayonnaise"}),
        ("chicken_sandwich", 1, {"lettuce", "mayonnaise", "bacon"}),
        ("salad", 1),
    )


async def test_conversation_units_by_place_one_made_like_another(new_chat: ChatFactory) -> None:
    """ "1st one pepperoni and sausage, 2nd just pepperoni, 3rd same as the first": the units of
    the line, each by its place, the last made like the first."""
    for said in (
        "1st one pepperoni and sausage, 2nd just pepperoni, 3rd same as the first",
        "the first one with ham and olives, the second one with pepperoni, the third same as the "
        "first",
        "first with pepperoni, second with ham and olives, third like the second",
    ):
        chat = new_chat("pizzeria")
        await talk(chat, "3 large pizzas", said)
        got = await cart(chat)
        assert sorted(count for (_, count, _) in got) == [1, 2], said
        assert all("large" in opts and len(opts) > 1 for (_, _, opts) in got), said


async def test_conversation_skip_my_dish_get_another_instead(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(
        chat,
        "a small hot chocolate",
        "and an extra large americano",
        "actually skip my americano, get me a large latte instead",
    )
    assert await cart(chat) == lines(("hot_chocolate", 1, {"small"}), ("latte", 1, {"large"}))


async def test_conversation_the_same_drink_as_a_group(new_chat: ChatFactory) -> None:
    """ "The same drink as the kids but large": of the group's lines, the drink, one for the
    speaker (not their dishes, nor one for each of them)."""
    for venue, turns, drink, said in (
        (
            "pizzeria",
            (
                "two small pizzas for the twins, one with ham and one with chicken",
                "and each of the twins gets a small lemon iced tea",
                "a medium pizza with olives for me",
                "and the same drink as the kids but large",
            ),
            "lemon_ice_tea",
            {"large"},
        ),
        (
            "burger",
            (
                "two cheeseburgers and two small cokes for my kids",
                "a bacon burger for me",
                "and the same drink as the kids",
            ),
            "coca_cola",
            {"small"},
        ),
    ):
        chat = new_chat(venue)
        await talk(chat, *turns)
        got = await cart(chat)
        assert sum(n for (item, n, opts) in got if item == drink and opts == said) == (
            1 if said == {"large"} else 3
        ), turns[-1]
        assert sum(n for (item, n, _) in got if item != drink) == 3, turns[-1]


async def test_conversation_a_count_in_all_then_its_parts(new_chat: ChatFactory) -> None:
    """ "2 of them, one with ranch and one with extra buffalo sauce" after asking about a dish:
    two in all, each part with its own options."""
    chat = new_chat("sub")
    await talk(
        chat,
        "how much is the buffalo chicken sandwich?",
        "ok 2 of them, one with ranch and one with extra buffalo sauce",
    )
    assert await cart(chat) == lines(
        ("buffalo_chicken", 1, {"ranch"}), ("buffalo_chicken", 1, {"extra buffalo_sauce"})
    )


async def test_conversation_a_group_counted_once_is_that_many_each_later(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "ordering for me and my 2 kids")
    # "my 2 kids": the kids are two, for "the kids each ..." later
    await talk(chat, "the kids each want a small pepperoni pizza")
    assert await cart(chat) == lines(("pizza", 2, {"small", "pepperoni"}))
    chat = new_chat("burger")
    await talk(chat, "lunch for me, my wife and our three boys. a double cheeseburger for me")
    await talk(chat, "the boys each get a cheeseburger with no pickles")
    assert await cart(chat) == lines(
        ("double_cheese_burger", 1), ("cheese_burger", 3, {"no pickle"})
    )
    chat = new_chat("burger")
    await talk(chat, "three kids here, each wants a cheeseburger")
    # "each of them": the kids counted before
    await talk(chat, "and a strawberry shake for each of them")
    assert await cart(chat) == lines(("cheese_burger", 3), ("strawberry_shake", 3))
    chat = new_chat("coffee")
    await talk(chat, "plus a small hot chocolate for each of her 2 kids")
    assert await cart(chat) == lines(("hot_chocolate", 2, {"small"}))


async def test_conversation_each_of_a_group_is_only_the_groups_dishes(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # the twins are two; the speaker's and the wife's drinks are one each
    await talk(
        chat, "diet coke for me, my wife wants a ginger ale and the twins each want a cherry coke"
    )
    assert await cart(chat) == lines(("diet_coke", 1), ("ginger_ale", 1), ("cherry_coke", 2))
    chat = new_chat("coffee")
    await talk(chat, "a large latte for me, and the two interns each want a small americano")
    assert await cart(chat) == lines(("latte", 1, {"large"}), ("americano", 2, {"small"}))
    chat = new_chat("burger")
    await talk(chat, "2 cheeseburgers for my kids and a double cheeseburger for me")
    await talk(chat, "kids each want a chocolate shake, I'll have a large iced tea")
    assert await cart(chat) == lines(
        ("cheese_burger", 2),
        ("double_cheese_burger", 1),
        ("chocolate_shake", 2),
        ("iced_tea", 1, {"large"}),
    )
    chat = new_chat("pizzeria")
    await talk(chat, "dinner for me and my 3 kids")
    await talk(chat, "a coke for me and a fanta for each of the kids")
    assert await cart(chat) == lines(("coke", 1), ("fanta", 3))


async def test_conversation_a_group_not_wanting_its_dishes_takes_them_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 cheeseburgers for my kids and a double cheeseburger for me")
    await talk(chat, "kids each want a chocolate shake, I'll have a large iced tea")
    await talk(chat, "and a large curly fries to share")
    # "skip those" says the same again: the shakes, not the fries said last
    await talk(chat, "actually the kids don't want shakes, skip those")
    assert await cart(chat) == lines(
        ("cheese_burger", 2),
        ("double_cheese_burger", 1),
        ("iced_tea", 1, {"large"}),
        ("curly_fries", 1, {"large"}),
    )
    chat = new_chat("burger")
    await talk(chat, "2 cheeseburgers for my kids and a double cheeseburger for me")
    await talk(chat, "the kids each want a chocolate shake, I'll have a large iced tea")
    # what is left, said after: no order
    await talk(chat, "my kids dont want the shakes, just the tea")
    assert await cart(chat) == lines(
        ("cheese_burger", 2), ("double_cheese_burger", 1), ("iced_tea", 1, {"large"})
    )
    chat = new_chat("burger")
    await talk(chat, "me and my 2 sisters each want a salad")
    await talk(chat, "and 3 small minute maids")
    # the drinks nobody was said to have: the sisters' two of them
    await talk(chat, "nvm the sisters dont want drinks, just 1 minute maid for me")
    assert await cart(chat) == lines(("salad", 3), ("minute_maid", 1, {"small"}))
    chat = new_chat("sub")
    await talk(chat, "meatball marinara for me", "my brother wants the same", "and two cokes")
    await talk(chat, "actually he doesn't want a coke, just one then")
    assert await cart(chat) == lines(("meatball_marinara", 2), ("coca_cola", 1))


# --- lines named by an option they have, edited in one breath --------------------------------


@pytest.mark.parametrize(
    ("venue", "turns", "expected"),
    [
        (
            "pizzeria",
            (
                "a keto crust pizza with grilled chicken and a cauliflower crust pizza with "
                "spinach",
                "the keto one large, the cauliflower one small",
            ),
            lines(
                ("pizza", 1, {"large", "keto_crust", "grilled_chicken"}),
                ("pizza", 1, {"small", "cauliflower_crust", "spinach"}),
            ),
        ),
        (
            "pizzeria",
            (
                "a pepperoni pizza and a sausage pizza",
                "the pepperoni one thin crust, the sausage one large",
            ),
            lines(
                ("pizza", 1, {"thin_crust", "pepperoni"}),
                ("pizza", 1, {"large", "sausage"}),
            ),
        ),
        (
            "burrito",
            (
                "chicken salad, steak salad",
                "put black beans in the steak one and pinto in the chicken one",
            ),
            lines(
                ("salad", 1, {"steak", "black_beans"}),
                ("salad", 1, {"chicken", "pinto_beans"}),
            ),
        ),
        (
            "burrito",
            (
                "a chicken bowl and a steak bowl",
                "brown rice in the chicken one and white rice in the steak one",
            ),
            lines(
                ("burrito_bowl", 1, {"chicken", "brown_rice"}),
                ("burrito_bowl", 1, {"steak", "white_rice"}),
            ),
        ),
        (
            "coffee",
            (
                "small latte and small cappuccino",
                "actually make both extra large, and the latte decaf",
            ),
            lines(
                ("latte", 1, {"extra_large", "decaf"}),
                ("cappuccino", 1, {"extra_large"}),
            ),
        ),
        (
            "coffee",
            ("a latte and an americano", "make them both large, and the americano iced"),
            lines(("latte", 1, {"large"}), ("americano", 1, {"large", "iced"})),
        ),
    ],
)
async def test_conversation_lines_named_by_their_options_each_changed_in_one_message(
    new_chat: ChatFactory, venue: str, turns: tuple[str, ...], expected: Counter[Line]
) -> None:
    chat = new_chat(venue)
    await talk(chat, *turns)
    # each clause goes to its own line: nothing of one lands on the other
    assert await cart(chat) == expected


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            (
                "party size pizza with the works and a personal pizza with mozzarella and basil",
                "and the big one no anchovies",
            ),
            lines(
                ("pizza", 1, {"party_size", "all_toppings", "no anchovies"}),
                ("pizza", 1, {"personal_size", "mozzarella_cheese", "basil"}),
            ),
        ),
        (
            (
                "a lunch size cheese pizza and a large pepperoni pizza",
                "add olives to the bigger one",
            ),
            lines(
                ("pizza", 1, {"lunch_size", "cheese"}),
                ("pizza", 1, {"large", "pepperoni", "olives"}),
            ),
        ),
        (
            (
                "a party size pepperoni pizza and a small ham pizza",
                "the smaller one with extra ham",
            ),
            lines(
                ("pizza", 1, {"party_size", "pepperoni"}),
                ("pizza", 1, {"small", "extra ham"}),
            ),
        ),
    ],
)
async def test_conversation_the_big_one_is_the_line_of_the_largest_size(
    new_chat: ChatFactory, turns: tuple[str, ...], expected: Counter[Line]
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, *turns)
    # a party size is bigger than a personal one, whatever order the menu lists them in
    assert await cart(chat) == expected


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            (
                "i need a large iced latte, a large americano, and a small hot chocolate",
                "the two large ones both get an extra shot",
            ),
            lines(
                ("latte", 1, {"large", "iced", "espresso_shot_1"}),
                ("americano", 1, {"large", "espresso_shot_1"}),
                ("hot_chocolate", 1, {"small"}),
            ),
        ),
        (
            (
                "an iced latte, an iced cappuccino and a hot chocolate",
                "make the two iced ones large",
            ),
            lines(
                ("latte", 1, {"large", "iced"}),
                ("cappuccino", 1, {"large", "iced"}),
                ("hot_chocolate", 1),
            ),
        ),
    ],
)
async def test_conversation_the_two_large_ones_says_which_lines_not_how_many(
    new_chat: ChatFactory, turns: tuple[str, ...], expected: Counter[Line]
) -> None:
    chat = new_chat("coffee")
    await talk(chat, *turns)
    # nothing doubled, and the line of another size keeps its own
    assert await cart(chat) == expected


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (
            (
                "can i get a hot chocolate w whipped cream and a latte w caramel syrup",
                "latte extra large pls",
            ),
            lines(
                ("hot_chocolate", 1, {"whipped_cream"}),
                ("latte", 1, {"extra_large", "caramel_syrup"}),
            ),
        ),
        (
            ("a cappuccino with vanilla syrup", "cappuccino large please"),
            lines(("cappuccino", 1, {"large", "vanilla_syrup"})),
        ),
        (
            # an article or a count orders one more
            ("a cappuccino with vanilla syrup", "and a cappuccino large"),
            lines(("cappuccino", 1, {"vanilla_syrup"}), ("cappuccino", 1, {"large"})),
        ),
    ],
)
async def test_conversation_a_dish_then_its_size_resizes_its_line(
    new_chat: ChatFactory, turns: tuple[str, ...], expected: Counter[Line]
) -> None:
    chat = new_chat("coffee")
    await talk(chat, *turns)
    assert await cart(chat) == expected


async def test_conversation_a_dish_with_the_same_stuff_as_the_one_before_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(
        chat,
        "a chicken bowl with white rice, black beans, salsa and lettuce. plus a chicken burrito "
        "with the same stuff",
    )
    said = {"chicken", "white_rice", "black_beans", "fresh_tomato_salsa", "romaine_lettuce"}
    assert await cart(chat) == lines(("burrito_bowl", 1, said), ("burrito", 1, said))
    chat = new_chat("burrito")
    # the dish's own filling stays its own
    await talk(
        chat, "a steak burrito with brown rice and pinto beans, and a chicken bowl w the same stuff"
    )
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "brown_rice", "pinto_beans"}),
        ("burrito_bowl", 1, {"chicken", "brown_rice", "pinto_beans"}),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "3 pizzas: pepperoni, sausage, mushroom - all large",
            lines(
                ("pizza", 1, {"large", "pepperoni"}),
                ("pizza", 1, {"large", "sausage"}),
                ("pizza", 1, {"large", "mushrooms"}),
            ),
        ),
        (
            "2 pizzas: ham, olives — both small",
            lines(("pizza", 1, {"small", "ham"}), ("pizza", 1, {"small", "olives"})),
        ),
    ],
)
async def test_conversation_what_goes_on_every_one_after_a_dash(
    new_chat: ChatFactory, text: str, expected: Counter[Line]
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, text)
    assert await cart(chat) == expected


async def test_conversation_too_many_of_a_dish_then_take_some_off(new_chat: ChatFactory) -> None:
    # the dish there are too many of is the line a removal naming no dish takes units off
    for said in (
        "hmm thats too many fries, take 2 off",
        "way too many fries. take off two please",
        "we ordered too many fries, remove 2",
    ):
        chat = new_chat("burger")
        await talk(chat, "5 cheeseburgers and 5 fries", said)
        assert await cart(chat) == lines(("cheese_burger", 5), ("french_fries", 3)), said
    chat = new_chat("coffee")
    await talk(chat, "2 lattes and 3 cappuccinos", "ugh too many cappuccinos, take one off")
    assert await cart(chat) == lines(("latte", 2), ("cappuccino", 2))


async def test_conversation_scratch_a_line_then_just_make_it_so_many(
    new_chat: ChatFactory,
) -> None:
    # "just make it ..." after a removal is a request of its own
    for said in (
        "wait scratch the last one, just make it 2 of the hamburgers",
        "remove the chicken sandwich, only make it 2 hamburgers",
    ):
        chat = new_chat("burger")
        await talk(chat, "a cheeseburger", "and a hamburger w lettuce", "and a chicken sandwich")
        await talk(chat, said)
        assert await cart(chat) == lines(("cheese_burger", 1), ("ham_burger", 2, {"lettuce"})), said


async def test_conversation_what_is_left_is_every_line_still_ordered(
    new_chat: ChatFactory,
) -> None:
    for said in ("and make what's left a large", "make whatever is left large", "whats left large"):
        chat = new_chat("coffee")
        await talk(chat, "espresso, cappuccino, latte", "remove the first and the last", said)
        assert await cart(chat) == lines(("cappuccino", 1, {"large"})), said
    chat = new_chat("coffee")
    await talk(chat, "a latte and 2 hot chocolates", "drop the latte")
    await talk(chat, "make the ones that are left iced")
    assert await cart(chat) == lines(("hot_chocolate", 2, {"iced"}))


async def test_conversation_the_ones_with_just_an_option(new_chat: ChatFactory) -> None:
    # "just pepperoni": the line with that and nothing else of its kind
    for said in (
        "and take off one of the ones that's just pepperoni",
        "remove one of the ones with only pepperoni",
        "take away one of the ones which are just pepperoni",
    ):
        chat = new_chat("pizzeria")
        await talk(
            chat, "4 small pizzas, all with pepperoni", "2 of them also with mushrooms", said
        )
        assert await cart(chat) == lines(
            ("pizza", 1, {"small", "pepperoni"}),
            ("pizza", 2, {"small", "pepperoni", "mushrooms"}),
        ), said


async def test_conversation_counts_split_with_the_opposite_of_an_option(
    new_chat: ChatFactory,
) -> None:
    # "2 iced and 1 hot": the hot one without the iced, then "the hot one" is that line
    for said in ("actually 2 iced and 1 hot", "make it 2 iced and one hot", "one hot, two iced"):
        chat = new_chat("coffee")
        await talk(chat, "3 iced americanos", said, "and raspberry syrup in the hot one")
        assert await cart(chat) == lines(
            ("americano", 2, {"iced"}), ("americano", 1, {"raspberry_syrup"})
        ), said


async def test_conversation_the_lines_said_first_then_one_of_them(new_chat: ChatFactory) -> None:
    # "the cookies, make one of them oatmeal": "them" are the lines said first
    for said in (
        "the cookies, make one of them oatmeal",
        "ok the cookies, make one of those oatmeal raisin",
    ):
        chat = new_chat("sub")
        await talk(chat, "one doritos, one baked lays and two macadamia cookies", said)
        await talk(chat, "drop the baked lays")
        assert await cart(chat) == lines(
            ("doritos_nacho_cheese", 1),
            ("white_chip_macadamia_nut", 1),
            ("oatmeal_raisin", 1),
        ), said


async def test_conversation_make_it_a_count_of_the_line_an_option_names(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "6 large pepperoni pizzas and 2 large cheese lovers", "3 two liter cokes")
    # each count goes to the one line its kind or topping names, drinks ordered since or not
    await talk(chat, "wait make it 5 pepperoni, and only 1 cheese lovers")
    assert await cart(chat) == lines(
        ("pizza", 5, {"large", "pepperoni"}),
        ("pizza", 1, {"large", "cheese_lover"}),
        ("coke", 3, {"2_liter"}),
    )
    chat = new_chat("burrito")
    await talk(chat, "3 chicken tacos and 2 steak tacos", "and a bag of chips")
    await talk(chat, "oh hold on, make that 4 steak")
    assert await cart(chat) == lines(("taco", 3, {"chicken"}), ("taco", 4, {"steak"}), ("chips", 1))


async def test_conversation_make_it_more_with_the_new_ones_said_apart(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 meatball marinaras, one w/ extra parmesan")
    # the new total of the lines talked about: one more, plain
    await talk(chat, "make it three, the third one plain")
    assert await cart(chat) == lines(
        ("meatball_marinara", 2), ("meatball_marinara", 1, {"extra parmesan_cheese"})
    )
    chat = new_chat("burger")
    await talk(chat, "2 cheeseburgers", "and 2 large fries")
    # the dish said: the new one made as said
    await talk(chat, "actually make it 3 cheeseburgers, the new one with no onions")
    assert await cart(chat) == lines(
        ("cheese_burger", 2), ("cheese_burger", 1, {"no onion"}), ("french_fries", 2, {"large"})
    )
    chat = new_chat("coffee")
    await talk(chat, "2 large lattes")
    # what the lines share (the size) stays on the new one
    await talk(chat, "ok make that 3, the last one with caramel syrup")
    assert await cart(chat) == lines(
        ("latte", 2, {"large"}), ("latte", 1, {"large", "caramel_syrup"})
    )


async def test_conversation_a_dish_had_in_place_of_one_taken_off(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni pizza", "and a coffee for her")
    # off, and what she has in its place on
    await talk(chat, "actually no coffee, she says she'll just have a water")
    assert await cart(chat) == lines(("pizza", 1, {"large", "pepperoni"}), ("water", 1))
    chat = new_chat("coffee")
    await talk(chat, "a small hot chocolate with whipped cream", "and an americano for me")
    # the dish said "instead" right after the removal is ordered, not made of the other line
    await talk(chat, "actually skip my americano, get me a large latte instead")
    assert await cart(chat) == lines(
        ("hot_chocolate", 1, {"small", "whipped_cream"}), ("latte", 1, {"large"})
    )


async def test_conversation_a_dish_said_by_its_kind_is_no_answer_to_a_suggestion(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "watching the game w 3 friends")
    # a kind of pizza the offered drink does not take: the pizzas are ordered
    await talk(chat, "2 extra large meatlovers and 1 extra large hawaiian")
    assert await cart(chat) == lines(
        ("pizza", 2, {"extra_large", "meat_lover"}), ("pizza", 1, {"extra_large", "hawaiian"})
    )


async def test_conversation_one_of_the_ones_that_lack_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "4 large drip coffees", "2 of them decaf")
    # "that aren't decaf": of the line without it
    await talk(chat, "and add honey to one of the ones that aren't decaf")
    assert await cart(chat) == lines(
        ("drip_coffee", 1, {"large"}),
        ("drip_coffee", 1, {"large", "honey"}),
        ("drip_coffee", 2, {"large", "decaf"}),
    )
    chat = new_chat("burger")
    await talk(chat, "3 hamburgers, one with bacon")
    await talk(chat, "put cheddar on the ones that don't have bacon")
    assert await cart(chat) == lines(("ham_burger", 2, {"cheddar"}), ("ham_burger", 1, {"bacon"}))


async def test_conversation_the_dish_someone_will_have_is_ordered(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "veggie burger for me, no cheese")
    # "the" dish with nothing said to change: ordered beside, the veggie burger stays
    await talk(chat, "my husband will have the double cheeseburger, and our son a cheeseburger")
    assert await cart(chat) == lines(
        ("vegan_burger", 1, {"no cheddar"}), ("double_cheese_burger", 1), ("cheese_burger", 1)
    )
    chat = new_chat("sub")
    await talk(chat, "a turkey sub with provolone")
    await talk(chat, "my wife will take the meatball marinara")
    assert await cart(chat) == lines(("turkey_breast", 1, {"provolone"}), ("meatball_marinara", 1))


async def test_conversation_each_persons_options_over_the_units_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # lowercase names, one as whose ("dan's with") and one as who wants
    await talk(
        chat,
        "me and 2 friends each want a medium pizza. mine with pepperoni, "
        "dan's with just olives, and lucy wants ham",
    )
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "pepperoni"}),
        ("pizza", 1, {"medium", "olives"}),
        ("pizza", 1, {"medium", "ham"}),
    )
    # someone with no dish of their own does not want a dish said bare: one of them off
    await talk(chat, "and 3 bottles of water", "lucy doesn't want water so just 2")
    assert ("water", 2, frozenset({"bottle"})) in await cart(chat)


async def test_conversation_whose_each_is_said_before_a_colon(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 large pizzas for the three of us")
    # a head beside "mine:" is a person, even a word a dictionary has
    await talk(chat, "mine: sausage. bill: mushrooms & onions. amy: ham")
    await talk(chat, "bill wants his on thin crust")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "sausage"}),
        ("pizza", 1, {"large", "mushrooms", "onions", "thin_crust"}),
        ("pizza", 1, {"large", "ham"}),
    )
    chat = new_chat("burrito")
    await talk(chat, "two burritos for me and my sister", "mine: steak, white rice")
    # "hers:" with only options: the other burrito
    await talk(chat, "hers: chicken, pinto beans")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "white_rice"}), ("burrito", 1, {"chicken", "pinto_beans"})
    )


async def test_conversation_mine_then_the_others_in_one_message(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 steak burritos for me and my 2 brothers")
    # clauses: mine, then the others than mine
    await talk(chat, "mine with cheese, the other two with corn salsa")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "cheese"}), ("burrito", 2, {"steak", "corn_salsa"})
    )
    chat = new_chat("burger")
    await talk(chat, "3 burgers for me and 2 friends")
    # every unit but the speaker's, whose is said after
    await talk(chat, "all with bacon except mine, mine just pickles")
    assert await cart(chat) == lines(("ham_burger", 2, {"bacon"}), ("ham_burger", 1, {"pickle"}))


async def test_conversation_an_option_on_everything_but_one_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito, a steak bowl and a chicken salad")
    await talk(chat, "brown rice in everything but the salad")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "brown_rice"}),
        ("burrito_bowl", 1, {"steak", "brown_rice"}),
        ("salad", 1, {"chicken"}),
    )


async def test_conversation_a_bare_count_is_the_count_of_the_line_just_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "cheeseburger w bacon")
    # "x3" on its own: three of that line
    await talk(chat, "x3 pls")
    assert await cart(chat) == lines(("cheese_burger", 3, {"bacon"}))
    chat = new_chat("pizzeria")
    # a count after options that name the dish ("a medium hawaiian"): that many of it
    await talk(chat, "a medium hawaiian x3")
    assert await cart(chat) == lines(("pizza", 3, {"medium", "hawaiian"}))
    chat = new_chat("coffee")
    await talk(chat, "latte x4")
    # "never mind, 3": the count put right, not three taken off
    await talk(chat, "never mind, 3")
    assert await cart(chat) == lines(("latte", 3))


async def test_conversation_units_handed_out_with_digits_and_in_turn(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "3 curly fries")
    # counts of units with digits and no "and": each count gets its size
    await talk(chat, "2 medium 1 large")
    assert await cart(chat) == lines(("curly_fries", 2, {"medium"}), ("curly_fries", 1, {"large"}))
    chat = new_chat("burger")
    await talk(chat, "2 hamburgers")
    await talk(chat, "1 w/ pickles 1 w/o pickles")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"pickle"}), ("ham_burger", 1, {"no pickle"})
    )
    chat = new_chat("coffee")
    await talk(chat, "3 lattes", "one with caramel")
    # the next "one with ..." is one of the units still as they were
    await talk(chat, "one with hazelnut")
    assert await cart(chat) == lines(
        ("latte", 1), ("latte", 1, {"caramel_syrup"}), ("latte", 1, {"hazelnut_syrup"})
    )


async def test_conversation_the_same_but_changed_for_the_speaker(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "my dad wants a chicken sandwich with lettuce and no mayo")
    # "mine" is the copy the speaker orders, not a dish of theirs: his stays as it was
    await talk(chat, "i'd like the same but put cheddar on mine")
    assert await cart(chat) == lines(
        ("chicken_sandwich", 1, {"lettuce", "no mayonnaise"}),
        ("chicken_sandwich", 1, {"lettuce", "no mayonnaise", "cheddar"}),
    )


async def test_conversation_a_counted_group_wants_a_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a salad for me")
    # the count of the people before "want" counts their dish; nothing of theirs to change
    await talk(chat, "and the three coworkers want chicken sandwiches")
    assert await cart(chat) == lines(("salad", 1), ("chicken_sandwich", 3))


async def test_conversation_one_of_a_line_is_someones_then_changed(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 cheeseburgers and 2 chicken sandwiches")
    # whose one unit is, then how they want it: one change of that unit, the other stays
    await talk(chat, "one of the cheeseburgers is my dad's, he wants no pickles")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("chicken_sandwich", 2), ("cheese_burger", 1, {"no pickle"})
    )


async def test_conversation_options_said_with_and_for_someones_unit(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 small pizzas for the kids, all pepperoni")
    # "mushrooms and olives" is one list of toppings on his, not two changes
    await talk(chat, "oh my oldest wants mushrooms and olives on his instead of pepperoni")
    assert await cart(chat) == lines(
        ("pizza", 2, {"small", "pepperoni"}), ("pizza", 1, {"small", "mushrooms", "olives"})
    )


async def test_conversation_how_much_extra_is_an_option_on_the_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger with bacon")
    # "how much extra is ...": the option's price, the cart left as it is
    turn = await talk(chat, "how much extra is the bacon")
    assert "1.50" in turn.reply
    assert await cart(chat) == lines(("ham_burger", 1, {"bacon"}))


async def test_conversation_an_arrow_swaps_one_dish_for_another(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small pizza with mushrooms and a pepsi")
    # "a -> b": the one changed to the other, nothing ordered beside
    await talk(chat, "pepsi->diet coke")
    assert await cart(chat) == lines(("pizza", 1, {"small", "mushrooms"}), ("diet_coke", 1))


async def test_conversation_a_lines_count_set_as_well(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with mushrooms", "and a sprite", "make it 3 pizzas")
    # "as well", "too" after a count set: that line's count, not one more
    await talk(chat, "make the sprites 3 too")
    assert await cart(chat) == lines(("pizza", 3, {"large", "mushrooms"}), ("sprite", 3))


async def test_conversation_the_regular_ones_are_the_plain_kind_of_the_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with sausage and mushrooms")
    # "the regular one": the sausage as it comes, swapped, not a regular size
    await talk(chat, "oh i wanted italian sausage, not the normal one")
    assert await cart(chat) == lines(("pizza", 1, {"large", "italian_sausage", "mushrooms"}))


async def test_conversation_a_dish_taken_off_and_one_of_it_said_in_its_place(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large latte with vanilla syrup", "and an espresso")
    # the same dish said again with its options after the removal: ordered in its place
    await talk(chat, "scratch that latte, i'll just get a small iced latte with honey")
    assert await cart(chat) == lines(("latte", 1, {"small", "iced", "honey"}), ("espresso", 1))


async def test_conversation_a_word_of_one_ordered_dish_beside_a_size_is_that_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a hamburger, a strawberry shake and fries")
    # "shake" names no dish alone: the one shake ordered, each line its own size
    await talk(chat, "shake medium and the fries small")
    assert await cart(chat) == lines(
        ("ham_burger", 1), ("strawberry_shake", 1, {"medium"}), ("french_fries", 1, {"small"})
    )
    chat = new_chat("burger")
    await talk(chat, "a vanilla shake please")
    await talk(chat, "small shake actually")
    assert await cart(chat) == lines(("vanilla_shake", 1, {"small"}))


async def test_conversation_one_more_of_a_kind_the_same_way_after_another_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small hawaiian with extra pineapple", "and a coke")
    # the kind names the line copied (not the coke, the last line)
    await talk(chat, "another hawaiian the same way please")
    assert await cart(chat) == lines(
        ("pizza", 2, {"small", "hawaiian", "extra pineapple"}), ("coke", 1)
    )


async def test_conversation_a_plain_copy_keeps_what_is_said_the_same(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small stuffed crust pizza with sausage and onions")
    # "same crust": the crust stays on the copy, the toppings are only the one said
    await talk(chat, "and another one, same crust but just mushrooms")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "stuffed_crust", "sausage", "onions"}),
        ("pizza", 1, {"small", "stuffed_crust", "mushrooms"}),
    )


async def test_conversation_a_line_taken_off_then_a_bare_dish_after_a_comma(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large latte", "and a hot chocolate")
    # "never mind the X, Y": Y is had in X's place
    await talk(chat, "never mind the hot chocolate, americano")
    assert await cart(chat) == lines(("latte", 1, {"large"}), ("americano", 1))


async def test_conversation_that_taken_off_and_a_dish_with_its_own_options_instead(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with pickles and onions")
    # the new dish said with its options: none of the old line's carried over
    await talk(chat, "scratch that, just get a chicken sandwich with pickles")
    assert await cart(chat) == lines(("chicken_sandwich", 1, {"pickle"}))


async def test_conversation_a_line_taken_off_and_another_dish_with_the_same_stuff(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito with brown rice and guac")
    await talk(chat, "remove the burrito and do a chicken bowl with the same stuff")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"chicken", "brown_rice", "guacamole"}))


async def test_conversation_both_for_someone_is_whose_not_how_many(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    # "both for my son": whose the two dishes are, not two more of the last
    await talk(chat, "a cheeseburger and a chocolate shake, both for my son")
    assert await cart(chat) == lines(("cheese_burger", 1), ("chocolate_shake", 1))


async def test_conversation_a_count_then_as_many_sizes_is_one_of_each(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    # sizes no one drink has together, as many as the count: one drink in each size
    await talk(chat, "two cappuccinos, small and extra large")
    await talk(chat, "make the small one decaf")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"small", "decaf"}), ("cappuccino", 1, {"extra_large"})
    )


async def test_conversation_a_dish_for_all_of_so_many_is_one_each(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger for my mom, a hamburger for my dad, a chicken sandwich for me")
    # "for all 3": one each
    await talk(chat, "and curly fries for all 3")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("ham_burger", 1), ("chicken_sandwich", 1), ("curly_fries", 3)
    )


async def test_conversation_same_for_someone_after_an_order_copies_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    # "same for me" in the same breath: every dish just ordered once more
    await talk(chat, "a tuna sub with lettuce and a sprite for my wife, same for me please")
    assert await cart(chat) == lines(("tuna", 2, {"lettuce"}), ("sprite", 2))


async def test_conversation_a_group_not_wanting_a_kind_then_sharing(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 cheeseburgers for my boys and a chicken sandwich for me")
    await talk(chat, "plus a root beer for each of the boys and a coke for me")
    # the group said bare, and why after: only their drinks come off
    await talk(chat, "hmm boys don't need drinks, they can split my coke")
    assert await cart(chat) == lines(
        ("cheese_burger", 2), ("chicken_sandwich", 1), ("coca_cola", 1)
    )


async def test_conversation_his_of_my_line_made_more_is_the_unit_not_mine(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with pickles for me")
    await talk(chat, "make that 2, my son wants one as well")
    # "his": the one added for him, split off mine
    await talk(chat, "no pickles on his")
    assert await cart(chat) == lines(("cheese_burger", 1, {"pickle"}), ("cheese_burger", 1))


async def test_conversation_a_copy_with_two_swaps(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito bowl with white rice and black beans for me")
    # two "instead of"s joined by "and": each option swapped for its own
    await talk(
        chat,
        "same for my brother but chicken rather than steak and pinto beans instead of black beans",
    )
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak", "white_rice", "black_beans"}),
        ("burrito_bowl", 1, {"chicken", "white_rice", "pinto_beans"}),
    )


async def test_conversation_an_option_for_it_goes_on_the_one_line_taking_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a bacon burger", "and a lemonade")
    # "it" after the lemonade: the one line onions can come off
    await talk(chat, "no onions on it please")
    assert await cart(chat) == lines(("ham_burger", 1, {"bacon", "no onion"}), ("pink_lemonade", 1))


async def test_conversation_a_line_kept_then_more_said(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    await talk(chat, "a meatball marinara")
    await talk(chat, "is the meatball marinara or the italian bmt bigger?")
    # "stay with" keeps the line: no second one, the option goes on it
    await talk(chat, "ok i'll stay with the meatball. add extra provolone")
    assert await cart(chat) == lines(("meatball_marinara", 1, {"extra provolone"}))
    chat = new_chat("pizzeria")
    await talk(chat, "medium pizza with mushrooms", "how much are the mushrooms?")
    # "keep them." is no change; the rest is the request
    await talk(chat, "ok keep them. add black olives too")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "mushrooms", "olives"}))


async def test_conversation_same_dish_again_for_someone_with_a_swap(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with pickles and onions", "and a small fries")
    await talk(chat, "same cheeseburger again for my son but lettuce instead of onions")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"pickle", "onion"}),
        ("french_fries", 1, {"small"}),
        ("cheese_burger", 1, {"pickle", "lettuce"}),
    )


async def test_conversation_one_of_several_fillings_swapped(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a bowl with chicken and sofritas", "what is sofritas?")
    # the chicken goes, the steak beside the tofu
    await talk(chat, "ok change the chicken to steak then")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"tofu", "steak"}))


async def test_conversation_units_counted_out_at_a_bare_and(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and 3 vanilla shakes")
    # the first clause points at the line, the second counts its other units out
    await talk(chat, "make those 2 vanilla and 1 chocolate")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("vanilla_shake", 2), ("chocolate_shake", 1)
    )


async def test_conversation_a_kind_one_made_the_same_way_is_a_copy(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken bowl with white rice and black beans")
    # "a steak one ... same way": the last line again with steak, not the steak line copied
    await talk(chat, "and a steak one the same way")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken", "white_rice", "black_beans"}),
        ("burrito_bowl", 1, {"steak", "white_rice", "black_beans"}),
    )


async def test_conversation_the_first_unit_changed_stays_first(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "2 medium pizzas please", "first one with mushrooms and onions")
    # the first unit keeps the line, so "the second one" is the one left plain
    await talk(chat, "second one just pepperoni")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "mushrooms", "onions"}), ("pizza", 1, {"medium", "pepperoni"})
    )


async def test_conversation_a_word_of_the_dishs_name_is_no_unknown(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    # "mexican" is the mexican coca cola's own word: no question, so "only 2" is the count
    await talk(chat, "3 mexican cokes", "only 2")
    assert await cart(chat) == lines(("mexican_coca_cola", 2))


async def test_conversation_one_of_the_count_said_again(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "2 drip coffees, dark roast", "make it 3")
    # "the 3" is how many the line has, "pls" no word of a line
    await talk(chat, "one of the 3 decaf pls")
    assert await cart(chat) == lines(
        ("drip_coffee", 2, {"dark_roast"}), ("drip_coffee", 1, {"dark_roast", "decaf"})
    )


async def test_conversation_half_with_half_without(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "10 cheeseburgers")
    await talk(chat, "half with onions half without")
    assert await cart(chat) == lines(
        ("cheese_burger", 5, {"onion"}), ("cheese_burger", 5, {"no onion"})
    )


async def test_conversation_one_dish_named_then_the_other(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 burgers and 2 fries")
    # "one burger ..., the other ...": the two burgers ordered, no new ones
    await talk(chat, "one burger with cheese, the other with jalapenos")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"cheddar"}), ("ham_burger", 1, {"jalapenos"}), ("french_fries", 2)
    )


async def test_conversation_make_one_the_other_flavour(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 large chocolate shakes")
    # "one strawberry": one of them, the strawberry shake, still large
    await talk(chat, "make one strawberry instead")
    assert await cart(chat) == lines(
        ("chocolate_shake", 1, {"large"}), ("strawberry_shake", 1, {"large"})
    )


async def test_conversation_a_kind_of_option_off_one_unit(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 bowls", "all chicken with white rice, pinto beans and cheese")
    # the beans come off one bowl, no bowl goes
    await talk(chat, "take the beans off one of them")
    assert await cart(chat) == lines(
        ("burrito_bowl", 2, {"chicken", "white_rice", "pinto_beans", "cheese"}),
        ("burrito_bowl", 1, {"chicken", "white_rice", "cheese"}),
    )


async def test_conversation_make_one_just_an_option_it_has(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "two extra large pizzas with pepperoni and mushrooms")
    # "just pepperoni": the pepperoni it has stays, the mushrooms go
    await talk(chat, "make one of them just pepperoni")
    assert await cart(chat) == lines(
        ("pizza", 1, {"extra_large", "pepperoni", "mushrooms"}),
        ("pizza", 1, {"extra_large", "pepperoni"}),
    )


async def test_conversation_the_counted_dishes_get_an_option(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 chicken burritos with white rice", "make one of them a bowl")
    # "the two burritos get ...": the burritos left, no two more
    await talk(chat, "and the two burritos get extra rice")
    assert await cart(chat) == lines(
        ("burrito", 2, {"chicken", "extra white_rice"}),
        ("burrito_bowl", 1, {"chicken", "white_rice"}),
    )


async def test_conversation_an_option_taken_off_her_unit_of_a_shared_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 steak burritos with pinto beans and guac for me and my wife", "and chips")
    # "take ... off hers": the guac comes off her one, the burrito stays
    await talk(chat, "please take the guac off hers")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "pinto_beans", "guacamole"}),
        ("burrito", 1, {"steak", "pinto_beans"}),
        ("chips", 1),
    )


async def test_conversation_for_her_then_only_options_is_her_line(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a cappuccino for me and an iced latte for my sister")
    # "and for her ...": no dish said, so it is of hers
    await talk(chat, "and for her extra vanilla")
    assert await cart(chat) == lines(
        ("cappuccino", 1), ("latte", 1, {"iced", "extra vanilla_syrup"})
    )


async def test_conversation_mine_is_one_unit_beside_a_group(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "for me and my 2 friends, a small drip coffee each")
    # three for me and two friends: mine is one of them
    await talk(chat, "mine with an extra shot")
    assert await cart(chat) == lines(
        ("drip_coffee", 2, {"small"}), ("drip_coffee", 1, {"small", "espresso_shot_1"})
    )


async def test_conversation_a_named_kid_has_one_of_the_kids_line(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "for my kids ben and lucy 2 medium pizzas with sausage", "and a coke")
    # Ben (no line of his said) has one of the kids' two
    await talk(chat, "ben wants his with mushrooms")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "sausage"}),
        ("pizza", 1, {"medium", "sausage", "mushrooms"}),
        ("coke", 1),
    )


async def test_conversation_an_option_off_a_named_kids_one(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "3 steak burritos with cheese and black beans for my kids")
    # "off lilys": Lily's one of the kids' three (her name said only now, apostrophe gone)
    await talk(chat, "oh and take the cheese off lilys")
    assert await cart(chat) == lines(
        ("burrito", 2, {"steak", "cheese", "black_beans"}), ("burrito", 1, {"steak", "black_beans"})
    )


async def test_conversation_a_person_heading_options_orders_their_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "for me: a small thin crust with mushrooms")
    # "my brother: large ...": his own, by its options; then "mine" is the first
    await talk(chat, "my brother: large with sausage and extra cheese", "change mine to a medium")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "thin_crust", "mushrooms"}),
        ("pizza", 1, {"large", "sausage", "extra cheese"}),
    )


async def test_conversation_i_want_with_only_options_is_my_line(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito with brown rice for me", "wife: chicken bowl with white rice")
    # "i want ..." with only options: of my burrito, not the bowl talked about last
    await talk(chat, "actually i want extra rice")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "extra brown_rice"}),
        ("burrito_bowl", 1, {"chicken", "white_rice"}),
    )


async def test_conversation_everyone_wants_an_option_except_a_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito, a chicken burrito and a chicken bowl")
    # every line but the bowl's
    await talk(chat, "everybody wants cheese except the bowl")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "cheese"}),
        ("burrito", 1, {"chicken", "cheese"}),
        ("burrito_bowl", 1, {"chicken"}),
    )


async def test_conversation_all_of_a_dish_for_the_party(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "ordering for 3 friends")
    # "all cheeseburgers" with none in the cart: one for each of them, no line edited
    await talk(chat, "all cheeseburgers, all without onions")
    assert await cart(chat) == lines(("cheese_burger", 3, {"no onion"}))


async def test_conversation_for_everyone_counted_after(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "5 chicken burritos")
    await talk(chat, "and a bottled water for everybody, 5")
    assert await cart(chat) == lines(("burrito", 5, {"chicken"}), ("bottled_water", 5))


async def test_conversation_everyone_gets_a_dish_then_ones_unit_made_different(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    # what everyone gets, then his unit of it split off and changed
    await talk(chat, "everybody gets a latte, we're 4, and tom wants his iced")
    assert await cart(chat) == lines(("latte", 3), ("latte", 1, {"iced"}))


async def test_conversation_a_line_named_by_an_option_word_before_one(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "two hamburgers, one with cheese and one with bacon")
    # "the cheese one": the line with the cheese, not a cheeseburger
    await talk(chat, "add jalapenos to the cheese one")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"cheddar", "jalapenos"}), ("ham_burger", 1, {"bacon"})
    )


async def test_conversation_the_two_of_a_dish_made_another(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 bottled waters and a sparkling water")
    await talk(chat, "make the two bottled waters izzes instead")
    assert await cart(chat) == lines(("blackberry_izze", 2), ("sparkling_water", 1))
    chat = new_chat("burger")
    await talk(chat, "3 hamburgers and a coke")
    # two of the three
    await talk(chat, "no pickles on the two burgers")
    assert await cart(chat) == lines(
        ("ham_burger", 1), ("coca_cola", 1), ("ham_burger", 2, {"no pickle"})
    )


async def test_conversation_same_again_with_just_one_of_a_counted_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "large iced americano with two extra shots")
    # "with just one extra shot": how many shots, the rest of the copy as it was
    await talk(chat, "same again but with just one extra shot")
    assert await cart(chat) == lines(
        ("americano", 1, {"large", "iced", "espresso_shot_2"}),
        ("americano", 1, {"large", "iced", "espresso_shot_1"}),
    )


async def test_conversation_same_again_with_one_line_changed(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "double cheeseburger, large fries, large coke")
    # the whole order again, the drink of the copy a diet coke
    await talk(chat, "same again but make the drink a diet coke")
    assert await cart(chat) == lines(
        ("double_cheese_burger", 2),
        ("french_fries", 2, {"large"}),
        ("coca_cola", 1, {"large"}),
        ("diet_coke", 1, {"large"}),
    )


async def test_conversation_a_line_made_another_of_a_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a lemonade", "and a coke")
    # "another coke" is what the lemonade becomes, no third drink
    await talk(chat, "actually make the lemonade another coke")
    assert await cart(chat) == lines(("mexican_coca_cola", 2))


async def test_conversation_first_and_second_over_two_lines_said_apart(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "steak sub", "and a veggie sub")
    await talk(chat, "add provolone to the first one and spinach to the second")
    assert await cart(chat) == lines(
        ("steak_and_cheese", 1, {"provolone"}), ("veggie", 1, {"spinach"})
    )


async def test_conversation_a_counted_option_put_right_not_the_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(
        chat, "a large latte with caramel syrup", "and a large americano with three extra shots"
    )
    # the shots counted again, no americano taken off
    await talk(chat, "sorry two extra shots not three")
    assert await cart(chat) == lines(
        ("latte", 1, {"large", "caramel_syrup"}), ("americano", 1, {"large", "espresso_shot_2"})
    )


async def test_conversation_an_option_asked_after_is_no_part_of_the_offer(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "is the vegan pizza made with vegan cheese?")
    # the cheese was asked about, not ordered
    await talk(chat, "ok do a medium vegan with mushrooms")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "vegan", "mushrooms"}))


async def test_conversation_never_mind_with_nothing_ordered_lets_the_question_go(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "do u have onion rings")
    await talk(chat, "ok nvm then, curly fries medium")
    assert await cart(chat) == lines(("curly_fries", 1, {"medium"}))


async def test_conversation_a_kind_ordered_then_pointed_at_in_the_same_breath(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "one large meat lovers for the table")
    # "that one" is the veggie just ordered, not the meat lovers changed
    await talk(chat, "and a medium veggie for my cousin, no mushrooms on that one")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "meat_lover"}),
        ("pizza", 1, {"medium", "vegetarian", "no mushrooms"}),
    )


async def test_conversation_options_added_then_a_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "large bbq chicken pizza please", "how much is it to add bbq sauce?")
    # the sauce on the pizza, the drink beside it (no pizza of sauce alone)
    await talk(chat, "ok add bbq sauce then, and a mountain dew")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "bbq_chicken", "bbq_sauce"}), ("mountain_dew", 1)
    )


async def test_conversation_an_option_taken_off_then_a_dish(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "veggie burger with everything", "does the veggie burger have cheese on it?")
    # the cheese off the burger, the fries beside it (no burger of its own for "no cheese")
    await talk(chat, "ok then no cheese please, and a medium sweet potato fries")
    assert await cart(chat) == lines(
        ("vegan_burger", 1, {"all_toppings", "no cheddar"}), ("sweet_potato_fries", 1, {"medium"})
    )


async def test_conversation_the_amount_of_a_topping_that_is_also_a_side(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "1 steak bowl w/ brown rice + black beans + guac", "+ chips")
    # the guacamole on the bowl made extra, no side of it
    await talk(chat, "make the guac extra")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak", "brown_rice", "black_beans", "extra guacamole"}),
        ("chips", 1),
    )


async def test_conversation_an_option_on_one_line_not_the_other_is_moved(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "i want a double cheeseburger with bacon and a cheeseburger")
    # the bacon comes off the double as it goes on the cheeseburger
    await talk(chat, "actually switch it, bacon on the cheeseburger not the double")
    assert await cart(chat) == lines(("double_cheese_burger", 1), ("cheese_burger", 1, {"bacon"}))


async def test_conversation_what_someone_wants_after_a_break_is_a_dish_of_its_own(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # "wife wants medium neapolitan": no article, still her own pizza
    await talk(
        chat,
        "i want a medium chicago style with italian sausage, wife wants medium neapolitan"
        " with basil and son wants a personal pepperoni",
    )
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "chicago_style", "italian_sausage"}),
        ("pizza", 1, {"medium", "neapolitan", "basil"}),
        ("pizza", 1, {"personal_size", "pepperoni"}),
    )


async def test_conversation_groups_counted_then_each_ordered_for(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    # the party counted group by group orders nothing yet
    await talk(chat, "3 adults and 2 kids")
    assert await cart(chat) == lines()
    # dishes said bare or in the plural for a counted group: one for each of them
    await talk(chat, "adults get double cheeseburgers, kids get hamburgers with no onions")
    await talk(chat, "kids: chocolate shakes")
    assert await cart(chat) == lines(
        ("double_cheese_burger", 3), ("ham_burger", 2, {"no onion"}), ("chocolate_shake", 2)
    )
    chat = new_chat("coffee")
    await talk(chat, "we're 2 adults 3 kids. the kids each want a small hot chocolate")
    await talk(chat, "adults lattes")
    assert await cart(chat) == lines(("hot_chocolate", 3, {"small"}), ("latte", 2))


async def test_conversation_so_many_each_for_a_counted_group(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    # "each" after the group's dishes: so many for each of them (the count said is theirs)
    await talk(chat, "my 3 kids want chips and a quesadilla each")
    assert await cart(chat) == lines(("chips", 3), ("quesadilla", 3))
    chat = new_chat("burrito")
    await talk(chat, "1 adult 2 kids")
    await talk(chat, "kids get steak tacos, 3 each")
    assert await cart(chat) == lines(("taco", 6, {"steak"}))


async def test_conversation_a_group_with_none_yet_orders_by_options(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni pizza for me")
    # a dish told by its options, said for a group that has none: theirs, one each
    await talk(chat, "the boys each get a small sausage, there are 2 of them")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "pepperoni"}), ("pizza", 2, {"small", "sausage"})
    )


async def test_conversation_so_many_of_each_for_everyone(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    # "one of each" for everyone of the party: as many as they are
    await talk(chat, "3 cheeseburgers and 3 small fries for the 3 of us, everyone gets one of each")
    assert await cart(chat) == lines(("cheese_burger", 3), ("french_fries", 3, {"small"}))


async def test_conversation_all_one_way_then_a_count_another(new_chat: ChatFactory) -> None:
    chat = new_chat("coffee")
    await talk(chat, "5 coffees for the team")
    # every one large, two of them decaf: the other three stay
    await talk(chat, "all large, 2 decaf")
    assert await cart(chat) == lines(
        ("drip_coffee", 2, {"large", "decaf"}), ("drip_coffee", 3, {"large"})
    )


async def test_conversation_dishes_listed_for_a_counted_group_are_one_each(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    # three dishes for three people: handed out, not three of each
    await talk(chat, "lunch for my 3 roommates: italian, tuna, veggie")
    assert await cart(chat) == lines(("italian", 1), ("tuna", 1), ("veggie", 1))


async def test_conversation_one_of_a_line_the_other_plain_options_only(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "2 americanos and 2 small lattes")
    # "one latte iced, the other hot": the lattes split, the americanos untouched
    await talk(chat, "one latte iced, the other one normal")
    assert await cart(chat) == lines(
        ("americano", 2), ("latte", 1, {"small"}), ("latte", 1, {"small", "iced"})
    )


async def test_conversation_a_count_and_a_split_of_it_in_one_message(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a double cheeseburger")
    # the fries ordered, then one of those three made curly
    await talk(chat, "and 4 fries. make one of them sweet potato fries")
    assert await cart(chat) == lines(
        ("double_cheese_burger", 1), ("french_fries", 3), ("sweet_potato_fries", 1)
    )


async def test_conversation_it_asked_of_a_persons_line_orders_nothing_new(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni and a small ham pizza for the little one")
    # "it" is a pizza in the cart (which one, if unsure), never a new pizza for the kids
    turn = await talk(chat, "the little one's pizza, could it have pineapple too?")
    assert "which one" in turn.reply.lower()
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "pepperoni"}), ("pizza", 1, {"small", "ham"})
    )


# --- corrections in the same breath, and counts said again ------------------------------------


async def test_conversation_count_put_right_after_two_words_of_taking_back(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    # "sorry i meant": words of taking back said twice, then the count meant
    await talk(chat, "3 cheeseburgers, sorry i meant 4")
    assert await cart(chat) == lines(("cheese_burger", 4))


async def test_conversation_phrase_said_again_keeps_the_toppings_it_does_not_repeat(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # the size said again with the count: the mushrooms said before stay on
    await talk(chat, "2 medium mushroom pizzas, no wait, 4 medium")
    assert await cart(chat) == lines(("pizza", 4, {"medium", "mushrooms"}))


async def test_conversation_two_dishes_said_again_replace_both(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    # both dishes of the slip said again from their counts: neither is ordered twice
    await talk(chat, "a large fries and a root beer... i mean 2 fries and 2 root beers")
    assert await cart(chat) == lines(("french_fries", 2), ("root_beer", 2))


async def test_conversation_option_taken_back_with_its_amount_and_a_not(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    # "extra chicken not steak": the amount goes with the option meant, the "not" names the slip
    await talk(chat, "a burrito bowl with extra steak, sorry, extra chicken not steak")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"extra chicken"}))


async def test_conversation_word_begun_and_taken_back_stays_on_its_own_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    # "swi.. i mean provolone": the half word on the turkey is what is taken back, not the
    # ham's tomato
    await talk(chat, "a ham with tomato, and a turkey for my son with swi.. i mean provolone")
    assert await cart(chat) == lines(
        ("black_forest_ham", 1, {"tomatoes"}), ("turkey_breast", 1, {"provolone"})
    )


async def test_conversation_count_said_again_after_a_pause_replaces_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "4 cappuccinos")
    # "hmm, 3 ...": the count thought over, the new dish simply ordered
    await talk(chat, "hmm, 3 cappuccinos and a drip coffee")
    assert await cart(chat) == lines(("cappuccino", 3), ("drip_coffee", 1))


async def test_conversation_count_corrected_bare_and_as_enough(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    await talk(chat, "4 chicken tacos")
    await talk(chat, "hmm, 3 not 4")  # the count alone put right
    assert await cart(chat) == lines(("taco", 3, {"chicken"}))
    chat = new_chat("sub")
    await talk(chat, "6 oatmeal raisin cookies")
    await talk(chat, "4 cookies will do")  # the total, not 4 more
    assert await cart(chat) == lines(("oatmeal_raisin", 4))


async def test_conversation_each_lines_count_said_after_it(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 iced teas and 2 milks")
    # "make the X 1 and the Y 3": each line's new count follows its name
    await talk(chat, "make the iced teas 1 and the milks 3")
    assert await cart(chat) == lines(("iced_tea", 1), ("milk", 3))


async def test_conversation_i_said_puts_the_option_of_its_kind_right(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a medium thin crust pizza with ham")
    # "i said": what was asked for before, in place of the crust read (not a second crust)
    await talk(chat, "nope, i said stuffed crust")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "stuffed_crust", "ham"}))


async def test_conversation_instead_of_said_before_the_dish_wanted(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a coke")
    # "instead of X, can i get Y": the line named first is swapped, nothing else changes
    await talk(chat, "oh wait, instead of the coke, can i get a vanilla shake")
    assert await cart(chat) == lines(("cheese_burger", 1), ("vanilla_shake", 1))


async def test_conversation_that_after_an_option_asked_about_with_its_kind(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "is there a thin crust?")
    # "on that crust" / "w/ that": the option just asked about, its kind word said with "that"
    await talk(chat, "great, a small ham pizza on that crust")
    assert await cart(chat) == lines(("pizza", 1, {"small", "thin_crust", "ham"}))
    chat = new_chat("pizzeria")
    await talk(chat, "do you do sourdough crust")
    await talk(chat, "ok large pizza w/ that and olives")
    assert await cart(chat) == lines(("pizza", 1, {"large", "sourdough_crust", "olives"}))


async def test_conversation_whats_an_option_is_a_question_then_that_kind(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    # "what's <option>" asks about it (as "what is" does), it changes no line
    turn = await talk(chat, "what's decaf?")
    assert "decaf" in turn.reply.lower()
    await talk(chat, "alright a small americano with that")
    assert await cart(chat) == lines(("americano", 1, {"small", "decaf"}))


async def test_conversation_a_question_about_an_ordered_dish_makes_it_the_referent(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a chicken sandwich")
    # the question names one ordered line: "it" next is that line, not "which one?"
    await talk(chat, "is there mayo on the chicken sandwich?")
    await talk(chat, "ok then extra mayo on it please")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("chicken_sandwich", 1, {"extra mayonnaise"})
    )


async def test_conversation_a_question_in_someone_elses_words_orders_nothing(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger")
    # "she's asking if ...": a question reported, answered, not the dish ordered
    turn = await talk(chat, "my wife is asking whether the garlic fries are spicy")
    assert "garlic fries" in turn.reply.lower()
    assert await cart(chat) == lines(("cheese_burger", 1))
    await talk(chat, "ok a large garlic fries for her")
    assert await cart(chat) == lines(("cheese_burger", 1), ("garlic_fries", 1, {"large"}))


async def test_conversation_an_option_liked_then_a_dish_known_by_its_toppings_with_that(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "which crusts are there?")
    # "X sounds good, <dish by its toppings> with that": one pizza with the crust, not two
    await talk(chat, "keto crust sounds nice, a small mushroom with that")
    assert await cart(chat) == lines(("pizza", 1, {"small", "keto_crust", "mushrooms"}))


async def test_conversation_one_just_like_it_in_another_size_is_a_copy(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "a large cappuccino with caramel syrup")
    # "and the same in small", "a small one just like it": one more of the last, that size,
    # the last kept as it was
    await talk(chat, "and the same in small")
    assert await cart(chat) == lines(
        ("cappuccino", 1, {"large", "caramel_syrup"}), ("cappuccino", 1, {"small", "caramel_syrup"})
    )
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pizza with ham and olives")
    await talk(chat, "plus a large one exactly like it for my son")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham", "olives"}), ("pizza", 1, {"large", "ham", "olives"})
    )


async def test_conversation_none_of_them_with_an_option_leaves_it_off_all(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    # "none of them with onions": every one of them without the onions
    await talk(chat, "3 hamburgers please, none of them with onions")
    assert await cart(chat) == lines(("ham_burger", 3, {"no onion"}))
    await talk(chat, "and 2 chicken sandwiches, neither of them with tomato")
    assert await cart(chat) == lines(
        ("ham_burger", 3, {"no onion"}), ("chicken_sandwich", 2, {"no tomato"})
    )


async def test_conversation_everyone_wants_a_topping_goes_on_every_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a steak burrito bowl, a chicken burrito and 2 cokes")
    # a dish that is also a topping, wished by everyone: on every dish that takes it, no side
    await talk(chat, "we all want sour cream")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak", "sour_cream"}),
        ("burrito", 1, {"chicken", "sour_cream"}),
        ("mexican_coca_cola", 2),
    )


async def test_conversation_so_many_each_for_the_people_counted(new_chat: ChatFactory) -> None:
    chat = new_chat("burrito")
    # "3 tacos each for my 2 kids": so many for each of the people the message counts
    await talk(chat, "3 chicken tacos each for my 2 kids")
    assert await cart(chat) == lines(("taco", 6, {"chicken"}))
    chat = new_chat("coffee")
    # "me and 3 friends ... one each": the speaker too, the count before the people is theirs
    await talk(chat, "me and 3 friends want lattes, one each")
    assert await cart(chat) == lines(("latte", 4))
    chat = new_chat("burger")
    await talk(chat, "cheeseburgers for the 4 guys, 2 each")
    assert await cart(chat) == lines(("cheese_burger", 8))


async def test_conversation_one_more_for_someone_so_the_new_count(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 chocolate shakes")
    # "another one for my sister, so 3": one more of the line talked about, to the count said
    await talk(chat, "oh and another one for my sister, so 3 total")
    assert await cart(chat) == lines(("chocolate_shake", 3))


async def test_conversation_each_with_a_different_option_hands_them_out(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "2 large lattes")
    # "each one gets a different syrup: A and B": one unit with each option listed
    await talk(chat, "each one gets a different syrup, vanilla and caramel")
    assert await cart(chat) == lines(
        ("latte", 1, {"large", "vanilla_syrup"}), ("latte", 1, {"large", "caramel_syrup"})
    )
    chat = new_chat("burger")
    await talk(chat, "3 cheeseburgers, a different sauce on each: ketchup, mustard and mayo")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"ketchup"}),
        ("cheese_burger", 1, {"mustard"}),
        ("cheese_burger", 1, {"mayonnaise"}),
    )


async def test_conversation_someone_named_does_not_want_an_option_on_their_dish(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with mushrooms and olives for sam, a small pepperoni for me")
    # "X doesn't want the olives": the third person's "not want" leaves it off their dish
    await talk(chat, "sam does not want the olives")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "mushrooms"}), ("pizza", 1, {"small", "pepperoni"})
    )


async def test_conversation_an_option_asked_about_stays_on_the_dish_that_names_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "do you do a gluten free crust?")
    # one of the dishes ordered names the crust asked about: the other keeps its own
    await talk(chat, "ok a small gluten free with ham for my son and a medium thin crust for me")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "gluten_free_crust", "ham"}), ("pizza", 1, {"medium", "thin_crust"})
    )


async def test_conversation_plain_except_an_option_is_that_option_on_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    # "no toppings except mayo": the one option the dish has, not mayo left off
    await talk(chat, "two turkey subs, no toppings except mayo")
    assert await cart(chat) == lines(("turkey_breast", 2, {"regular_mayonnaise"}))


async def test_conversation_a_kind_and_a_dish_taken_off_together(new_chat: ChatFactory) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 vanilla shakes and 2 cheeseburgers")
    # "one shake" names the shakes by their kind, beside a dish named: one of each comes off
    await talk(chat, "someone left, remove a cheeseburger and one shake")
    assert await cart(chat) == lines(("vanilla_shake", 1), ("cheese_burger", 1))


async def test_conversation_a_count_and_an_option_alone_is_some_of_the_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "3 iced cappuccinos")
    # "one decaf": one of the cappuccinos just ordered made decaf, no new drip coffee
    await talk(chat, "one decaf")
    assert await cart(chat) == lines(
        ("cappuccino", 2, {"iced"}), ("cappuccino", 1, {"iced", "decaf"})
    )


async def test_conversation_both_of_those_and_an_option_makes_the_last_two_lines_so(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger", "a small curly fries and a small dr pepper")
    # "both of those": the two lines just ordered, made what the option says (no "make")
    await talk(chat, "both of those medium instead")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("curly_fries", 1, {"medium"}), ("dr_pepper", 1, {"medium"})
    )


async def test_conversation_places_named_with_the_dish_each_with_its_own_change(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "2 large cheese pizzas")
    # "the first pizza add ..., the second one add ...": each unit its own topping
    await talk(chat, "first pizza add olives and the second one add mushrooms")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "cheese", "olives"}), ("pizza", 1, {"large", "cheese", "mushrooms"})
    )


async def test_conversation_the_other_dish_after_something_else_was_ordered(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "2 italians, one with extra provolone", "and 2 cookies")
    # "the other sub": the italian not changed last, though the cookies came after
    await talk(chat, "the other sub no onions please")
    assert await cart(chat) == lines(
        ("italian", 1, {"extra provolone"}),
        ("italian", 1, {"no red_onions"}),
        ("chocolate_chip", 2),
    )


async def test_conversation_a_serving_of_a_line_restates_its_count(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a tuna", "and 3 doritos")
    # "one bag of the doritos": the bag is how the dish comes, no dish of its own
    await talk(chat, "only one bag of the doritos please")
    assert await cart(chat) == lines(("tuna", 1), ("doritos_nacho_cheese", 1))


async def test_conversation_both_of_a_kind_takes_in_the_other_dish_of_that_kind(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger and a chicken sandwich", "and a large fries")
    # "both sandwiches": one chicken sandwich is no two, the cheeseburger is a sandwich too
    await talk(chat, "no tomato on both sandwiches")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"no tomato"}),
        ("chicken_sandwich", 1, {"no tomato"}),
        ("french_fries", 1, {"large"}),
    )


async def test_conversation_a_verb_after_a_no_list_puts_the_next_option_on(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with mayo")
    # "no mayo, use mustard": the verb opens a clause of its own, the mustard is not left off
    await talk(chat, "no mayo, use mustard")
    assert await cart(chat) == lines(("cheese_burger", 1, {"mustard"}))


async def test_conversation_keeping_what_a_line_had_takes_the_change_back(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a medium fries and a coke", "make the fries large")
    # "keep them medium": what the fries were before the latest change, so that change goes
    await talk(chat, "hmm on second thought keep them medium")
    assert await cart(chat) == lines(("french_fries", 1, {"medium"}), ("coca_cola", 1))


async def test_conversation_skipping_an_option_said_takes_it_off_without_leaving_it_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken bowl with white rice and pinto beans")
    # the beans were the customer's own choice: skipped, they come off, not "no pinto beans"
    await talk(chat, "skip the pinto beans")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"chicken", "white_rice"}))


async def test_conversation_a_line_made_another_dish_with_its_options_said_again(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a large garlic fries and a cheeseburger")
    # "make that sweet potato fries": a dish no line is, so the fries become it; "large" is
    # said again for the new dish, not a change of the garlic fries
    await talk(chat, "actually make that sweet potato fries, large like before")
    assert await cart(chat) == lines(("sweet_potato_fries", 1, {"large"}), ("cheese_burger", 1))


async def test_conversation_the_option_named_by_its_kind_word_is_the_one_replaced(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito with corn salsa")
    # "the salsa" is the one salsa the burrito has (not the salsa the menu calls just salsa)
    await talk(chat, "could you change the salsa to green salsa")
    assert await cart(chat) == lines(("burrito", 1, {"chicken", "green_chili_salsa"}))


async def test_conversation_one_lines_count_after_its_place_is_read_as_it_stands(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "a meatball marinara and a steak and cheese")
    # "make the first one two": the first line's count (no line called "first")
    await talk(chat, "make the first one two")
    assert await cart(chat) == lines(("meatball_marinara", 2), ("steak_and_cheese", 1))


async def test_conversation_whats_up_is_a_greeting_not_a_question(new_chat: ChatFactory) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "hey whats up, i want a large supreme pizza")
    assert await cart(chat) == lines(("pizza", 1, {"large", "supreme"}))


async def test_conversation_a_count_and_options_is_an_order_after_and_or_with_a_size(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "3 medium pepperoni pizzas", "actually just 2")
    # "and one medium hawaiian": another pizza, not one of the two made hawaiian
    await talk(chat, "and one medium hawaiian")
    assert await cart(chat) == lines(
        ("pizza", 2, {"medium", "pepperoni"}), ("pizza", 1, {"medium", "hawaiian"})
    )
    coffee = new_chat("coffee")
    await talk(coffee, "iced americano lg")
    # "3 extra shots": the count is the option's own, not three americanos
    await talk(coffee, "3 extra shots")
    assert await cart(coffee) == lines(("americano", 1, {"large", "iced", "espresso_shot_3"}))


async def test_conversation_never_mind_a_dish_named_with_its_kind_removes_it_once(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "curly fries medium", "and sweet potato fries medium")
    await talk(chat, "nvm the sweet potato ones")
    assert await cart(chat) == lines(("curly_fries", 1, {"medium"}))


async def test_conversation_an_option_left_off_then_wanted_goes_on(
    new_chat: ChatFactory,
) -> None:
    # "no onions | actually i do want onions": the onions go on (not just no longer left off)
    chat = new_chat("pizzeria")
    await talk(chat, "a medium pie no onions", "hmm actually i do want onions")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "onions"}))
    chat = new_chat("burrito")
    await talk(chat, "steak bowl no sour cream", "hmm actually i do want sour cream, light tho")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"steak", "light sour_cream"}))
    chat = new_chat("sub")
    await talk(chat, "buffalo chicken sandwich", "a turkey sub no mayo")
    await talk(chat, "wait i changed my mind, i want mayo")
    assert await cart(chat) == lines(
        ("buffalo_chicken", 1), ("turkey_breast", 1, {"regular_mayonnaise"})
    )
    # put back with an amount said after it ("the honey back, but go easy on it")
    chat = new_chat("coffee")
    await talk(chat, "iced latte w honey", "take off the honey")
    await talk(chat, "actually put the honey back but go easy on it")
    assert await cart(chat) == lines(("latte", 1, {"iced", "light honey"}))


async def test_conversation_no_extra_shots_at_all_takes_off_the_count_had(
    new_chat: ChatFactory,
) -> None:
    # "no extra shots at all" on an espresso with 2 extra shots: they come off, none left off
    chat = new_chat("coffee")
    await talk(chat, "espresso with an extra shot", "hmm make that 2 extra shots")
    await talk(chat, "actually no extra shots at all, just the espresso")
    assert await cart(chat) == lines(("espresso", 1))
    chat = new_chat("coffee")
    await talk(chat, "large americano with 3 extra shots", "no extra shots")
    assert await cart(chat) == lines(("americano", 1, {"large"}))


async def test_conversation_an_amount_after_its_option_says_which_lines_or_dish_after_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "2 hamburgers with ketchup")
    # "extra on both": both lines, when only one option is said
    await talk(chat, "make the ketchup extra on both")
    assert await cart(chat) == lines(("ham_burger", 2, {"extra ketchup"}))
    coffee = new_chat("coffee")
    await talk(coffee, "latte w/ raspberry syrup and whipped cream, and an americano")
    # "extra on the latte": which dish, after the amount
    await talk(coffee, "and make the whipped cream extra on the latte")
    assert await cart(coffee) == lines(
        ("latte", 1, {"raspberry_syrup", "extra whipped_cream"}), ("americano", 1)
    )


async def test_conversation_an_amount_of_a_groups_word_goes_to_its_option_named_next(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "a burrito bowl w chicken, xtra rice (white), blk beans")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken", "extra white_rice", "black_beans"})
    )
    bowl = new_chat("burrito")
    await talk(bowl, "can i get a chicken bowl", "and light on the rice, white rice")
    assert await cart(bowl) == lines(("burrito_bowl", 1, {"chicken", "light white_rice"}))


async def test_conversation_the_normal_amount_said_again_keeps_the_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "small pizza with light sauce and basil")
    # "normal sauce is fine": the amount as it comes, the sauce stays on
    await talk(chat, "actually normal sauce is fine")
    assert await cart(chat) == lines(("pizza", 1, {"small", "sauce", "basil"}))
    coffee = new_chat("coffee")
    await talk(coffee, "iced latte extra vanilla")
    # "less ..., just normal": down to the normal amount, not light
    await talk(coffee, "ok less vanilla, just normal")
    assert await cart(coffee) == lines(("latte", 1, {"iced", "vanilla_syrup"}))


async def test_conversation_an_amount_of_it_is_of_the_option_the_line_was_ordered_with(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a small cauliflower crust pizza with vegan pepperoni")
    # "go heavy on it": the one option that comes in amounts, not the pizza
    await talk(chat, "and go heavy on it")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "cauliflower_crust", "extra vegan_pepperoni"})
    )
    coffee = new_chat("coffee")
    await talk(coffee, "a large latte with caramel syrup", "lots of it please")
    assert await cart(coffee) == lines(("latte", 1, {"large", "extra caramel_syrup"}))


async def test_conversation_names_listed_beside_for_me_are_people(new_chat: ChatFactory) -> None:
    chat = new_chat("sub")
    # "for jake ... for me ... for amy": lowercase words after "for", listed with the speaker
    await talk(chat, "a buffalo chicken for jake, a veggie for me, and a tuna for amy")
    await talk(chat, "amy's not hungry anymore, take hers off")
    assert await cart(chat) == lines(("buffalo_chicken", 1), ("veggie", 1))


async def test_conversation_someone_not_coming_takes_all_their_lines_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger for me and a double cheeseburger with bacon for my brother")
    await talk(chat, "plus a large vanilla shake for him")
    await talk(chat, "ah he just texted hes not coming. take off his stuff")
    assert await cart(chat) == lines(("cheese_burger", 1))
    other = new_chat("burger")
    await talk(other, "a hamburger for me and a cheeseburger for my brother", "fries for him")
    # "cancel his order": his lines, not the whole order
    await talk(other, "he cant make it, cancel his order")
    assert await cart(other) == lines(("ham_burger", 1))


async def test_conversation_a_line_said_whose_then_that_one_taken_off(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "one large hawaiian, one large pepperoni and a medium with spinach and feta")
    await talk(
        chat, "ugh the spinach one was for my roommate and she just bailed, take that one off"
    )
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "hawaiian"}), ("pizza", 1, {"large", "pepperoni"})
    )


async def test_conversation_someone_wants_it_too_so_the_counts_correct_the_lines(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("sub")
    await talk(chat, "turkey for mom, tuna for dad, and 2 cookies")
    await talk(chat, "actually mom wants tuna too, so 2 tunas and no turkey")
    assert await cart(chat) == lines(("tuna", 2), ("chocolate_chip", 2))


async def test_conversation_the_ones_are_for_a_lowercase_name_are_theirs(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    # "are for dave": whom the lines are for is a person, even a word a dictionary has
    await talk(chat, "3 chicken tacos and 3 carnitas tacos. the carnitas ones are for dave")
    await talk(chat, "dave wants extra cheese on his")
    assert await cart(chat) == lines(
        ("taco", 3, {"chicken"}), ("taco", 3, {"carnitas", "extra cheese"})
    )


async def test_conversation_the_same_but_light_on_a_group_changes_the_copy_only(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "my son wants a chicken burrito with white rice and cheese")
    # "light on the rice": the copy's rice, by its group's word
    await talk(chat, "and my daughter the same but light on the rice")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "white_rice", "cheese"}),
        ("burrito", 1, {"chicken", "light white_rice", "cheese"}),
    )


async def test_conversation_a_dish_the_same_as_that_one_in_an_order_copies_the_one_before(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(
        chat,
        "a steak burrito with brown rice, a chicken bowl with white rice and corn salsa, and "
        "two more chicken bowls exactly the same as that one. and 4 bottled waters",
    )
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak", "brown_rice"}),
        ("burrito_bowl", 3, {"chicken", "white_rice", "corn_salsa"}),
        ("bottled_water", 4),
    )


async def test_conversation_someone_will_have_one_too_is_a_copy_of_the_line(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "extra large cappuccino with cinnamon dolce syrup")
    await talk(chat, "my sister will have one too")
    assert await cart(chat) == lines(("cappuccino", 2, {"extra_large", "cinnamon_dolce_syrup"}))
    burger = new_chat("burger")
    await talk(burger, "a bacon cheeseburger", "he'd like one as well")
    assert await cart(burger) == lines(("cheese_burger", 2, {"bacon"}))


async def test_conversation_make_his_like_mine_replaces_his_line_with_a_copy(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(
        chat, "i want a large iced latte with an extra shot", "my bf wants a small drip coffee"
    )
    # "make his like mine": his drip coffee gives way to a copy of mine (the remark says nothing)
    await talk(chat, "actually make his like mine, he keeps stealing sips")
    assert await cart(chat) == lines(("latte", 2, {"large", "iced", "espresso_shot_1"}))
    sub = new_chat("sub")
    await talk(sub, "a chicken and bacon ranch with pepperjack", "my son wants a ham sandwich")
    # the copy said twice in one message is one copy
    await talk(sub, "ugh now he wants what im having. make his like mine")
    assert await cart(sub) == lines(("chicken_and_bacon_ranch", 2, {"pepperjack"}))
    pizza = new_chat("pizzeria")
    await talk(pizza, "a large stuffed crust with red onions", "and my son wants a small pepperoni")
    # "but keep it small": the copy in his size
    await talk(pizza, "make his just like mine but keep it small")
    assert await cart(pizza) == lines(
        ("pizza", 1, {"large", "stuffed_crust", "red_onions"}),
        ("pizza", 1, {"small", "stuffed_crust", "red_onions"}),
    )


async def test_conversation_what_im_getting_named_dish_by_dish_not_his_own_replaces_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "veggie burger with lettuce, and medium garlic fries for me")
    await talk(chat, "my bf wants a hamburger")
    # the dishes of mine named ("the fries": my garlic fries), copied for him; "no hamburger":
    # his line gives way
    await talk(
        chat,
        "actually he wants exactly what im getting, the veggie burger and the fries. no hamburger",
    )
    assert await cart(chat) == lines(
        ("vegan_burger", 2, {"lettuce"}), ("garlic_fries", 2, {"medium"})
    )


async def test_conversation_one_of_each_of_a_kind_orders_every_dish_of_it(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    # "one of each kind of fries, large": every dish named as fries, all of them large
    await talk(chat, "we want to try them all, one of each kind of fries, large")
    fries = ("french_fries", "garlic_fries", "curly_fries", "sweet_potato_fries")
    assert await cart(chat) == lines(*((key, 1, {"large"}) for key in fries))
    sub = new_chat("sub")
    await talk(sub, "a steak and cheese for me")
    # "chips ..., one of each kind you have": the chips listed together on the menu, not the
    # chocolate chip cookie
    await talk(sub, "and chips for everyone, one of each kind you have")
    chips = (
        "lays_classic",
        "baked_lays_original",
        "doritos_nacho_cheese",
        "sunchips_harvest_cheddar",
        "miss_vickies_jalapeno",
    )
    assert await cart(sub) == lines(("steak_and_cheese", 1), *((key, 1) for key in chips))
    burrito = new_chat("burrito")
    # the kind named with its count, then the dishes listed by part of their names
    await talk(burrito, "3 juices for the kids, one of each kind. apple, peach orange, pineapple")
    juices = ("apple", "peach_orange", "pineapple_orange")
    assert await cart(burrito) == lines(*((f"nantucket_{j}_juice", 1) for j in juices))


async def test_conversation_all_said_of_the_dishes_before_it_stays_off_those_after(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    # "all in cans" is said of the cokes and sprites, the bottle of the ginger ale after them
    await talk(chat, "3 cokes and 2 sprites all in cans, plus a ginger ale in a bottle")
    assert await cart(chat) == lines(
        ("coke", 3, {"can"}), ("sprite", 2, {"can"}), ("ginger_ale", 1, {"bottle"})
    )
    pizzas = new_chat("pizzeria")
    await talk(
        pizzas,
        "2 large pepperoni pizzas and a medium mushroom pizza, all thin crust, and a large "
        "sausage pizza",
    )
    assert await cart(pizzas) == lines(
        ("pizza", 2, {"large", "thin_crust", "pepperoni"}),
        ("pizza", 1, {"medium", "thin_crust", "mushrooms"}),
        ("pizza", 1, {"large", "sausage"}),
    )


async def test_conversation_is_it_possible_to_get_or_put_is_a_request(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with ham")
    # "is it possible to put ...": asked whether it can be done, the same as "could you put"
    await talk(chat, "is it possible to put some hot peppers on it too")
    assert await cart(chat) == lines(("pizza", 1, {"large", "ham", "hot_peppers"}))
    burger = new_chat("burger")
    await talk(burger, "would it be possible to get a side of curly fries, medium")
    assert await cart(burger) == lines(("curly_fries", 1, {"medium"}))


async def test_conversation_both_of_two_options_is_one_dish_with_them(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    # "both chicken and steak in a bowl": the two fillings together, not two bowls
    await talk(chat, "can i get both chicken and steak in a bowl?", "w white rice")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"chicken", "steak", "white_rice"}))


async def test_conversation_a_dish_ordered_with_the_option_asked_about_is_an_order(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "whats in the spread")
    # the option asked about, said again with a dish: that dish ordered (the cart is empty)
    await talk(chat, "ok sounds good, could u put extra spread on a hamburger for me")
    assert await cart(chat) == lines(("ham_burger", 1, {"extra spread"}))


async def test_conversation_a_question_about_a_dishs_option_names_the_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    turn = await talk(chat, "whats the difference between deep dish and chicago style")
    assert "deep dish" in turn.reply.lower() and "chicago style" in turn.reply.lower()
    burger = new_chat("burger")
    turn = await talk(burger, "what is the spread, is it like a sauce?")
    assert "spread" in turn.reply.lower()


async def test_conversation_in_that_kind_after_an_option_asked_about_is_that_option(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("coffee")
    await talk(chat, "whats a continental roast taste like")
    # "in that roast": the roast asked about, on the dish ordered
    await talk(chat, "ok sounds good. a large drip coffee in that roast then")
    assert await cart(chat) == lines(("drip_coffee", 1, {"large", "continental_roast"}))


async def test_conversation_a_choice_left_open_between_dishes_orders_nothing_yet(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    # "torn between A and B", "should i do A or B, idk": asked about, the one chosen ordered
    await talk(chat, "im torn between a steak burrito and a chicken bowl lol")
    assert await cart(chat) == lines()
    await talk(chat, "ok the chicken bowl, white rice")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"chicken", "white_rice"}))
    coffee = new_chat("coffee")
    await talk(coffee, "should i do an americano or a cappuccino, idk", "ok americano, large")
    assert await cart(coffee) == lines(("americano", 1, {"large"}))
    burger = new_chat("burger")
    # "A or actually B idk": the dish's noun said once
    await talk(burger, "can i get a strawberry shake or actually chocolate idk", "ok chocolate")
    assert await cart(burger) == lines(("chocolate_shake", 1))
    latte = new_chat("coffee")
    # "or should i get B" after A was ordered: B asked about, A stays until changed
    await talk(latte, "a latte please", "hmm or should i get a cappuccino")
    assert await cart(latte) == lines(("latte", 1))


async def test_conversation_a_dish_asked_of_oneself_then_said_again_is_one(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger? yeah a cheeseburger with bacon. and small fries")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"bacon"}), ("french_fries", 1, {"small"})
    )


async def test_conversation_two_options_compared_then_kept_as_is_change_nothing(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("pizzeria")
    await talk(chat, "a large pizza with deep dish crust")
    # "X vs Y, which is ...?" and "wait is ...?" are questions, not changes of the line
    await talk(chat, "hold on, thin crust vs deep dish, which is crispier?", "nah keep it as is")
    assert await cart(chat) == lines(("pizza", 1, {"large", "deep_dish"}))
    bowl = new_chat("burrito")
    await talk(bowl, "a steak bowl with white rice", "wait is the brown rice healthier?")
    await talk(bowl, "eh keep it like it was")
    assert await cart(bowl) == lines(("burrito_bowl", 1, {"steak", "white_rice"}))


async def test_conversation_an_option_of_everything_left_off_then_wanted_is_only_not_left_off(
    new_chat: ChatFactory,
) -> None:
    # "with everything but no mustard | he wants mustard": the mustard is part of all toppings
    chat = new_chat("burger")
    await talk(chat, "burger with everything but no pickles and no mustard")
    await talk(chat, "actually i want mustard, just no pickles")
    assert await cart(chat) == lines(("ham_burger", 1, {"all_toppings", "no pickle"}))


async def test_conversation_both_said_first_of_two_options_is_the_two_lines(
    new_chat: ChatFactory,
) -> None:
    chat = new_chat("burrito")
    await talk(chat, "2 burritos, one chicken one steak")
    # "both" said first, after two lines: the options go on both of them
    await talk(chat, "both white rice and black beans")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "white_rice", "black_beans"}),
        ("burrito", 1, {"steak", "white_rice", "black_beans"}),
    )


async def test_conversation_a_price_asked_of_two_dishes_with_vs_is_still_a_price_question(
    new_chat: ChatFactory,
) -> None:
    # "how much is A vs B": asked already, so no "which is better" made of it; the answer offers
    # both, and "ok the medium" orders the one picked
    chat = new_chat("pizzeria")
    await talk(chat, "how much is a small pepperoni vs a medium pepperoni", "ok the medium")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "pepperoni"}))


async def test_conversation_someone_changed_their_mind_to_the_same_as_another_replaces_theirs(
    new_chat: ChatFactory,
) -> None:
    # "he wants the exact same as Sam's": no remark before the copy, so Jordan's line gives way
    chat = new_chat("pizzeria")
    await talk(chat, "a large pepperoni for Sam and a large sausage for Jordan")
    await talk(chat, "Jordan changed his mind, he wants the exact same as Sam's")
    assert await cart(chat) == lines(("pizza", 2, {"large", "pepperoni"}))


async def test_conversation_two_swaps_in_one_message_each_replace_their_own_option(
    new_chat: ChatFactory,
) -> None:
    # "swap A for B and C for D": each option before its "for" goes, the one after it comes
    chat = new_chat("burrito")
    await talk(chat, "a chicken burrito with white rice, pinto beans and cheese")
    await talk(chat, "change the white rice to brown and the pinto beans to black beans")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "brown_rice", "black_beans", "cheese"})
    )
    sub = new_chat("sub")
    await talk(sub, "an italian with lettuce, pickles and mayo")
    await talk(sub, "swap mayo for ranch and the pickles for onions")
    assert await cart(sub) == lines(("italian", 1, {"lettuce", "ranch", "red_onions"}))


async def test_conversation_an_option_taken_off_then_another_put_on_is_a_swap(
    new_chat: ChatFactory,
) -> None:
    # "take X off and do Y (instead)": Y takes X's place, the line's other options stay
    chat = new_chat("burrito")
    await talk(chat, "a burrito with steak and chicken")
    await talk(chat, "remove the chicken and do barbacoa")
    assert await cart(chat) == lines(("burrito", 1, {"steak", "barbacoa"}))
    pizza = new_chat("pizzeria")
    await talk(pizza, "a medium pizza with ham and olives")
    await talk(pizza, "take the olives off, add mushrooms instead")
    assert await cart(pizza) == lines(("pizza", 1, {"medium", "ham", "mushrooms"}))
    bowl = new_chat("burrito")
    # "instead of X do Y": the verb alone, after what is replaced
    await talk(bowl, "a steak bowl with cheese and sour cream", "instead of the cheese do lettuce")
    assert await cart(bowl) == lines(
        ("burrito_bowl", 1, {"steak", "romaine_lettuce", "sour_cream"})
    )


async def test_conversation_a_swap_for_an_amount_of_an_option_keeps_the_other_options(
    new_chat: ChatFactory,
) -> None:
    # "for a normal amount of mustard": the article of an amount, no new dish
    chat = new_chat("burger")
    await talk(chat, "a hamburger with extra onions and light mayo")
    await talk(chat, "swap the mayo for a regular amount of mustard")
    assert await cart(chat) == lines(("ham_burger", 1, {"extra onion", "mustard"}))
    light = new_chat("burger")
    await talk(light, "a hamburger with extra onions and mayo")
    await talk(light, "swap the mayo for a little mustard")
    assert await cart(light) == lines(("ham_burger", 1, {"extra onion", "light mustard"}))


async def test_conversation_an_amount_said_after_a_swap_is_the_new_options(
    new_chat: ChatFactory,
) -> None:
    # "..., still extra", "but keep it light": the amount of the option just swapped in
    chat = new_chat("burrito")
    await talk(chat, "a chicken bowl with extra white rice")
    await talk(chat, "change it to brown rice but keep that extra")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"chicken", "extra brown_rice"}))
    sub = new_chat("sub")
    await talk(sub, "a turkey sub with light mayo", "swap the mayo for mustard, still light")
    assert await cart(sub) == lines(("turkey_breast", 1, {"light yellow_mustard"}))


async def test_conversation_a_swap_taken_back_keeping_the_old_option_and_adding_the_new(
    new_chat: ChatFactory,
) -> None:
    # "keep the X and add Y too" after swapping X for Y: X back, then Y on as well
    chat = new_chat("sub")
    await talk(chat, "an italian with lettuce", "change the lettuce to spinach")
    await talk(chat, "actually keep the lettuce, and put spinach on as well")
    assert await cart(chat) == lines(("italian", 1, {"lettuce", "spinach"}))
    latte = new_chat("coffee")
    await talk(latte, "a large latte with vanilla syrup", "swap vanilla for caramel")
    await talk(latte, "hmm keep the vanilla and add caramel too")
    assert await cart(latte) == lines(("latte", 1, {"large", "vanilla_syrup", "caramel_syrup"}))


async def test_conversation_an_option_swapped_off_said_fine_goes_back_on(
    new_chat: ChatFactory,
) -> None:
    # "X is fine" after the latest change took X off for Y: X back on beside Y
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with pickles", "no pickles, onions instead")
    await talk(chat, "oh well pickles are ok actually")
    assert await cart(chat) == lines(("cheese_burger", 1, {"pickle", "onion"}))


async def test_conversation_a_swap_said_no_to_puts_the_old_option_back_instead(
    new_chat: ChatFactory,
) -> None:
    # "no, X is better" after X was swapped for Y: the swap taken back, then the rest
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with mayo and pickles", "mustard instead of mayo please")
    await talk(chat, "nah, mayo is better. and add onions")
    assert await cart(chat) == lines(("cheese_burger", 1, {"mayonnaise", "pickle", "onion"}))


async def test_conversation_one_persons_line_switched_while_anothers_stays(
    new_chat: ChatFactory,
) -> None:
    # "change mine to X, hers stays Y": only my line changes, hers is left as it is
    chat = new_chat("burrito")
    await talk(chat, "two chicken burritos with white rice, one for me and one for my sister")
    await talk(chat, "change the rice on mine to brown, hers stays white")
    assert await cart(chat) == lines(
        ("burrito", 1, {"chicken", "brown_rice"}), ("burrito", 1, {"chicken", "white_rice"})
    )


async def test_conversation_part_of_the_latest_change_kept_as_before(
    new_chat: ChatFactory,
) -> None:
    # "keep X, just change Y" after a change of both: X as it was, Y as changed
    chat = new_chat("pizzeria")
    await talk(chat, "small pizza with mushrooms and thin crust")
    await talk(chat, "make it large with onions instead of mushrooms")
    await talk(chat, "no keep it small, only the topping change")
    assert await cart(chat) == lines(("pizza", 1, {"small", "thin_crust", "onions"}))


async def test_conversation_an_option_said_meant_for_another_line_moves_onto_it(
    new_chat: ChatFactory,
) -> None:
    # "the X should be the A not the B": the option comes off B and goes on A
    chat = new_chat("coffee")
    await talk(chat, "a large iced latte and a large cappuccino")
    await talk(chat, "sorry the iced was supposed to be the cappuccino, not the latte")
    assert await cart(chat) == lines(("latte", 1, {"large"}), ("cappuccino", 1, {"large", "iced"}))


async def test_conversation_a_line_named_by_meat_fish_or_spice_from_the_words_of_its_names(
    new_chat: ChatFactory,
) -> None:
    # what a dish is, said where the menu has no tag: the words of its and its options' names
    burger = new_chat("burger")
    await talk(burger, "a hamburger and a veggie burger", "the meat free one, no tomato")
    assert await cart(burger) == lines(("ham_burger", 1), ("vegan_burger", 1, {"no tomato"}))
    bowl = new_chat("burrito")
    await talk(bowl, "a carnitas bowl and a tofu bowl", "put sour cream on the vegetarian one")
    assert await cart(bowl) == lines(
        ("burrito_bowl", 1, {"carnitas"}), ("burrito_bowl", 1, {"tofu", "sour_cream"})
    )
    pizza = new_chat("pizzeria")
    await talk(pizza, "a pepperoni pizza, a cheese pizza and a coke")
    await talk(pizza, "the one with no meat, add olives")
    assert await cart(pizza) == lines(
        ("pizza", 1, {"pepperoni"}), ("pizza", 1, {"cheese", "olives"}), ("coke", 1)
    )
    sub = new_chat("sub")
    await talk(sub, "a tuna and a steak and cheese", "take off the fishy one")
    assert await cart(sub) == lines(("steak_and_cheese", 1))
    await talk(sub, "and a buffalo chicken", "the spicy one no lettuce")
    assert await cart(sub) == lines(("steak_and_cheese", 1), ("buffalo_chicken", 1, {"no lettuce"}))


async def test_conversation_a_drink_named_hot_cold_or_not_coffee_and_a_dish_by_its_tortilla(
    new_chat: ChatFactory,
) -> None:
    burger = new_chat("burger")
    await talk(burger, "a coffee and a strawberry shake", "the cold drink small")
    assert await cart(burger) == lines(("coffee", 1), ("strawberry_shake", 1, {"small"}))
    # "hot" is a word of the hot cocoa's name, but none is in the cart: the hot drink
    await talk(burger, "the hot one large please")
    assert await cart(burger) == lines(("coffee", 1, {"large"}), ("strawberry_shake", 1, {"small"}))
    coffee = new_chat("coffee")
    await talk(coffee, "a cappuccino and a hot chocolate", "make the one that isnt coffee large")
    assert await cart(coffee) == lines(("cappuccino", 1), ("hot_chocolate", 1, {"large"}))
    # a burrito bowl is in no tortilla
    bowl = new_chat("burrito")
    await talk(bowl, "a chicken burrito and a chicken bowl", "the one in the tortilla with guac")
    assert await cart(bowl) == lines(
        ("burrito", 1, {"chicken", "guacamole"}), ("burrito_bowl", 1, {"chicken"})
    )


async def test_conversation_the_little_one_and_scrap_the_big_one_are_lines_by_size(
    new_chat: ChatFactory,
) -> None:
    # "the little one" with options after it is the smaller line, no child
    chat = new_chat("pizzeria")
    await talk(
        chat, "a large cheese pizza and a small pepperoni pizza", "the little one thin crust"
    )
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "cheese"}), ("pizza", 1, {"small", "thin_crust", "pepperoni"})
    )
    cokes = new_chat("burger")
    await talk(cokes, "a large coke and a small coke", "scrap the big one")
    assert await cart(cokes) == lines(("coca_cola", 1, {"small"}))


async def test_conversation_all_with_an_option_except_some_leaves_it_off_those(
    new_chat: ChatFactory,
) -> None:
    # "all with X except one (with Y)": the ones excepted have none of what all the others share
    # (the dish's own options stay), and what is said for them instead
    chat = new_chat("coffee")
    await talk(chat, "three large hot chocolates, all with whipped cream except for one")
    assert await cart(chat) == lines(
        ("hot_chocolate", 2, {"large", "whipped_cream"}), ("hot_chocolate", 1, {"large"})
    )
    bowls = new_chat("burrito")
    await talk(bowls, "3 steak bowls, all with brown rice but one with white rice")
    assert await cart(bowls) == lines(
        ("burrito_bowl", 2, {"steak", "brown_rice"}), ("burrito_bowl", 1, {"steak", "white_rice"})
    )
    pizzas = new_chat("pizzeria")
    await talk(pizzas, "2 small pizzas, ham on all except one")
    assert await cart(pizzas) == lines(("pizza", 1, {"small", "ham"}), ("pizza", 1, {"small"}))


async def test_conversation_a_dish_for_everyone_except_someone_is_one_fewer(
    new_chat: ChatFactory,
) -> None:
    # "X for everyone except sam": the party less those left out, however the party is counted
    chat = new_chat("coffee")
    await talk(chat, "a hot chocolate for everybody except my son, there are 5 of us")
    assert await cart(chat) == lines(("hot_chocolate", 4))
    drinks = new_chat("burger")
    await talk(drinks, "a coke for everyone except jo, 4 drinks in all")
    assert await cart(drinks) == lines(("coca_cola", 3))


async def test_conversation_an_option_on_all_but_some_units_leaves_those_units_as_they_are(
    new_chat: ChatFactory,
) -> None:
    # "X on all but two", "X on all of them except one" on one line: the line split, the units
    # left out keep what they had
    chat = new_chat("sub")
    await talk(chat, "3 turkey subs", "provolone on all of them except one")
    assert await cart(chat) == lines(("turkey_breast", 1), ("turkey_breast", 2, {"provolone"}))
    bowls = new_chat("burrito")
    await talk(bowls, "4 chicken bowls", "guac on all but two")
    assert await cart(bowls) == lines(
        ("burrito_bowl", 2, {"chicken"}), ("burrito_bowl", 2, {"chicken", "guacamole"})
    )


async def test_conversation_the_last_one_of_the_only_line_is_its_last_unit(
    new_chat: ChatFactory,
) -> None:
    # "the last one" of the only line, of two: that unit split off, made so
    chat = new_chat("pizzeria")
    await talk(chat, "2 medium pizzas with ham", "the last one should be thin crust")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham"}), ("pizza", 1, {"medium", "ham", "thin_crust"})
    )


async def test_conversation_an_option_added_to_one_is_one_unit(new_chat: ChatFactory) -> None:
    # "add sour cream to one": one of the line, not the line cut down to one
    chat = new_chat("burrito")
    await talk(chat, "4 steak burritos", "add sour cream to one")
    assert await cart(chat) == lines(
        ("burrito", 3, {"steak"}), ("burrito", 1, {"steak", "sour_cream"})
    )


async def test_conversation_some_of_them_want_a_side_that_is_a_topping_too(
    new_chat: ChatFactory,
) -> None:
    # "one of them wants guac" on bowls: the topping on one unit, no side
    chat = new_chat("burrito")
    await talk(chat, "3 steak bowls", "one of them wants guac")
    assert await cart(chat) == lines(
        ("burrito_bowl", 2, {"steak"}), ("burrito_bowl", 1, {"steak", "guacamole"})
    )


async def test_conversation_that_one_is_the_unit_said_apart(new_chat: ChatFactory) -> None:
    # "make that one large": the latte said apart when ordered, no count of one
    chat = new_chat("coffee")
    await talk(chat, "2 lattes, one with caramel syrup", "make that one large")
    assert await cart(chat) == lines(("latte", 1), ("latte", 1, {"caramel_syrup", "large"}))
    # "put bacon on that one" after one was changed: the unit changed
    chat = new_chat("burger")
    await talk(
        chat, "3 cheeseburgers with onions", "no onions on one of them, put bacon on that one"
    )
    assert await cart(chat) == lines(
        ("cheese_burger", 2, {"onion"}), ("cheese_burger", 1, {"bacon"})
    )


async def test_conversation_a_line_by_place_then_a_count_of_those(new_chat: ChatFactory) -> None:
    # "the first one, i need 2 of those": the line said first gets the count
    chat = new_chat("burger")
    await talk(chat, "a hamburger", "and fries", "the first one, i need 2 of those")
    assert await cart(chat) == lines(("ham_burger", 2), ("french_fries", 1))


async def test_conversation_the_same_plus_an_option_for_someone_is_a_changed_copy(
    new_chat: ChatFactory,
) -> None:
    # "the same plus X" as "the same but with X": a copy for them with X, the first kept as is
    chat = new_chat("sub")
    await talk(chat, "a turkey with lettuce and pickles")
    await talk(chat, "my brother will have the same plus bacon")
    assert await cart(chat) == lines(
        ("turkey_breast", 1, {"lettuce", "pickles"}),
        ("turkey_breast", 1, {"lettuce", "pickles", "bacon"}),
    )
    coffee = new_chat("coffee")
    await talk(coffee, "a small hot chocolate", "and my mom the same, plus whipped cream")
    assert await cart(coffee) == lines(
        ("hot_chocolate", 1, {"small"}), ("hot_chocolate", 1, {"small", "whipped_cream"})
    )


async def test_conversation_a_dish_then_the_same_changed_for_someone_in_one_message(
    new_chat: ChatFactory,
) -> None:
    # a dish said bare (or the verb of the copy left out), then a changed copy: two lines
    chat = new_chat("burrito")
    await talk(chat, "steak burrito for me, and my sister wants the same plus sour cream")
    assert await cart(chat) == lines(
        ("burrito", 1, {"steak"}), ("burrito", 1, {"steak", "sour_cream"})
    )
    pizza = new_chat("pizzeria")
    await talk(pizza, "a small ham pizza for my dad, my mom the same but with mushrooms too")
    assert await cart(pizza) == lines(
        ("pizza", 1, {"small", "ham"}), ("pizza", 1, {"small", "ham", "mushrooms"})
    )


async def test_conversation_the_one_with_the_option_names_the_line_that_has_it(
    new_chat: ChatFactory,
) -> None:
    # "the one with the caramel": the article after "with" still names the line by its option
    chat = new_chat("coffee")
    await talk(chat, "a small latte with caramel syrup and a small hot chocolate")
    await talk(chat, "the one with the caramel, make it a large")
    assert await cart(chat) == lines(
        ("latte", 1, {"large", "caramel_syrup"}), ("hot_chocolate", 1, {"small"})
    )


async def test_conversation_one_of_each_with_how_said_before_the_list_is_how_all_of_them_are(
    new_chat: ChatFactory,
) -> None:
    # "one of each with X: A, B and C": X goes on every dish listed, not only on the first
    chat = new_chat("burrito")
    await talk(chat, "one of each in carnitas - taco, bowl, quesadilla")
    assert await cart(chat) == lines(
        ("taco", 1, {"carnitas"}),
        ("burrito_bowl", 1, {"carnitas"}),
        ("quesadilla", 1, {"carnitas"}),
    )
    coffee = new_chat("coffee")
    await talk(coffee, "could i get one of each large: a cappuccino and an americano")
    assert await cart(coffee) == lines(("cappuccino", 1, {"large"}), ("americano", 1, {"large"}))
    # kinds of one dish listed are one dish each
    pizza = new_chat("pizzeria")
    await talk(pizza, "one of each, small: pepperoni and hawaiian")
    assert await cart(pizza) == lines(
        ("pizza", 1, {"small", "pepperoni"}), ("pizza", 1, {"small", "hawaiian"})
    )


async def test_conversation_a_dish_in_several_sizes_is_one_of_it_in_each_size(
    new_chat: ChatFactory,
) -> None:
    # "a hawaiian in medium and large", "small and large sausage pizzas": one of the dish (with
    # all it was said with) in each size; then "on the large" names the large one
    chat = new_chat("pizzeria")
    await talk(chat, "a hawaiian in medium and large please")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "hawaiian"}), ("pizza", 1, {"large", "hawaiian"})
    )
    other = new_chat("pizzeria")
    await talk(other, "small and large sausage pizzas", "extra cheese on the large")
    assert await cart(other) == lines(
        ("pizza", 1, {"small", "sausage"}), ("pizza", 1, {"large", "sausage", "extra cheese"})
    )


async def test_conversation_dishes_all_around_then_how_many_that_is_counts_them(
    new_chat: ChatFactory,
) -> None:
    # "X all around with Y, that's N": N of the dish, each with Y
    chat = new_chat("burger")
    await talk(chat, "cheeseburgers all round with no onions. that's 4")
    assert await cart(chat) == lines(("cheese_burger", 4, {"no onion"}))


async def test_conversation_a_dish_each_for_people_listed_is_one_each_and_theirs_is_split_off(
    new_chat: ChatFactory,
) -> None:
    # "a X each for me and my mom": one for each of the two, hers told apart later
    chat = new_chat("burger")
    await talk(chat, "one hamburger each for me and my mom", "hers with no onions")
    assert await cart(chat) == lines(("ham_burger", 1), ("ham_burger", 1, {"no onion"}))


async def test_conversation_dishes_with_options_for_people_listed_are_one_each(
    new_chat: ChatFactory,
) -> None:
    # the plural dish with its options after it is one for each; "give me olives instead" after
    # my unit was split off goes on mine
    chat = new_chat("pizzeria")
    await talk(chat, "large pizzas with mushrooms for my brother and me")
    await talk(chat, "mine without the mushrooms, give me olives instead")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "mushrooms"}), ("pizza", 1, {"large", "olives"})
    )


async def test_conversation_lines_before_people_listed_are_theirs_and_his_dish_is_his_unit(
    new_chat: ChatFactory,
) -> None:
    # "2 X and 2 Y for me and my dad": both lines are one each; "his X no onions" is his unit
    chat = new_chat("burger")
    await talk(chat, "2 cheeseburgers and 2 cokes for me and my dad", "his cheeseburger no onions")
    assert await cart(chat) == lines(
        ("cheese_burger", 1), ("cheese_burger", 1, {"no onion"}), ("coca_cola", 2)
    )


async def test_conversation_an_option_on_ones_line_not_on_anothers_is_no_swap(
    new_chat: ChatFactory,
) -> None:
    # "one for me one for ben" names ben; "not on mine" says whose line stays, no option gone
    chat = new_chat("sub")
    await talk(chat, "2 turkey subs with swiss, one for me one for ben")
    await talk(chat, "pickles on bens, not on mine")
    assert await cart(chat) == lines(
        ("turkey_breast", 1, {"swiss"}), ("turkey_breast", 1, {"swiss", "pickles"})
    )


async def test_conversation_a_dish_for_two_people_then_both_with_an_option_is_two_with_it(
    new_chat: ChatFactory,
) -> None:
    # "X for me and my sister, both with Y": the two of them have Y, no other two ordered
    chat = new_chat("coffee")
    await talk(chat, "latte for my mom and me, both with an extra shot")
    assert await cart(chat) == lines(("latte", 2, {"espresso_shot_1"}))


async def test_conversation_dishes_named_bare_then_so_many_of_each_is_that_many_of_every_one(
    new_chat: ChatFactory,
) -> None:
    # "X and Y, 3 of each": three of every dish named (not three of the last one)
    chat = new_chat("burrito")
    await talk(chat, "my kids want chicken tacos and chips, 3 of each")
    assert await cart(chat) == lines(("taco", 3, {"chicken"}), ("chips", 3))


async def test_conversation_a_swap_kept_back_and_its_new_option_forgotten_is_no_left_off(
    new_chat: ChatFactory,
) -> None:
    # "keep it X, forget the Y" after X became Y: the change taken back, Y not marked left off
    chat = new_chat("sub")
    await talk(chat, "a turkey sub with lettuce", "swap the lettuce for spinach")
    await talk(chat, "no wait keep the lettuce, forget the spinach")
    assert await cart(chat) == lines(("turkey_breast", 1, {"lettuce"}))


async def test_conversation_light_on_an_option_names_no_line(new_chat: ChatFactory) -> None:
    # "a carnitas bowl, light on the sour cream": an amount, not "the sour cream one" in the cart
    chat = new_chat("burrito")
    await talk(
        chat, "2 chicken burritos with sour cream", "and a steak bowl, light on the sour cream"
    )
    assert await cart(chat) == lines(
        ("burrito", 2, {"chicken", "sour_cream"}),
        ("burrito_bowl", 1, {"steak", "light sour_cream"}),
    )


async def test_conversation_units_said_apart_are_only_meant_when_pointed_at(
    new_chat: ChatFactory,
) -> None:
    # after "onions on one of them", a closing "that's everything" changes no unit: only "that
    # one" points at the unit said apart
    chat = new_chat("pizzeria")
    await talk(chat, "two medium pizzas with ham", "put onions on one of them")
    await talk(chat, "no thanks, that's everything")
    assert await cart(chat) == lines(
        ("pizza", 1, {"medium", "ham"}), ("pizza", 1, {"medium", "ham", "onions"})
    )


async def test_conversation_same_but_an_option_of_a_kind_replaces_that_kind_in_the_copy(
    new_chat: ChatFactory,
) -> None:
    # "X wants the same but with brown rice", "same thing for Y but pepperjack": the copy's
    # option of that kind (white rice, american cheese) gives way, the original stays
    chat = new_chat("burrito")
    await talk(chat, "a steak bowl with white rice and pinto beans")
    await talk(chat, "my sister wants the same but with brown rice")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"steak", "white_rice", "pinto_beans"}),
        ("burrito_bowl", 1, {"steak", "brown_rice", "pinto_beans"}),
    )
    chat = new_chat("sub")
    await talk(chat, "ham sub with american cheese and lettuce")
    await talk(chat, "same thing for my dad but pepperjack")
    assert await cart(chat) == lines(
        ("black_forest_ham", 1, {"american_cheese", "lettuce"}),
        ("black_forest_ham", 1, {"pepperjack", "lettuce"}),
    )


async def test_conversation_someone_wants_the_exact_same_or_that_too_but_changed_is_a_copy(
    new_chat: ChatFactory,
) -> None:
    # "my buddy wants the exact same but swap ...", "my husband wants that too but ... instead
    # of ...": a changed copy for them, not the first one changed
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with onion and mustard")
    await talk(chat, "my buddy wants the exact same but swap the mustard for ketchup")
    assert await cart(chat) == lines(
        ("cheese_burger", 1, {"onion", "mustard"}), ("cheese_burger", 1, {"onion", "ketchup"})
    )
    chat = new_chat("burrito")
    await talk(chat, "a chicken bowl with pinto beans")
    await talk(chat, "my husband wants that too but black beans instead of pinto")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken", "pinto_beans"}),
        ("burrito_bowl", 1, {"chicken", "black_beans"}),
    )


async def test_conversation_same_but_a_flavour_changes_only_the_copy_of_that_kind(
    new_chat: ChatFactory,
) -> None:
    # "the same for my daughter but strawberry" after a hamburger and a chocolate shake: another
    # hamburger and a strawberry shake
    chat = new_chat("burger")
    await talk(chat, "a hamburger and a chocolate shake")
    await talk(chat, "the same for my daughter but strawberry")
    assert await cart(chat) == lines(
        ("ham_burger", 2), ("chocolate_shake", 1), ("strawberry_shake", 1)
    )


async def test_conversation_same_but_changed_keeps_the_count_and_is_for_the_one_named(
    new_chat: ChatFactory,
) -> None:
    # "same for my wife but steak" after 2 chicken tacos: 2 steak ones; "one more just like it
    # for my dad but ...": his, so "mine" later is the first
    chat = new_chat("burrito")
    await talk(chat, "2 chicken tacos with corn salsa", "same for my wife but steak")
    assert await cart(chat) == lines(
        ("taco", 2, {"chicken", "corn_salsa"}), ("taco", 2, {"steak", "corn_salsa"})
    )
    chat = new_chat("burrito")
    await talk(chat, "a chicken bowl with black beans")
    await talk(chat, "one more just like it for my dad but with steak instead of chicken")
    await talk(chat, "add sour cream to mine")
    assert await cart(chat) == lines(
        ("burrito_bowl", 1, {"chicken", "black_beans", "sour_cream"}),
        ("burrito_bowl", 1, {"steak", "black_beans"}),
    )


async def test_conversation_the_same_again_for_someone_but_a_dish_instead_copies_all_of_it(
    new_chat: ChatFactory,
) -> None:
    # "and the same for my younger one but X instead of Y": every dish again, Y swapped for X
    # in the copy only
    chat = new_chat("burger")
    await talk(chat, "a hamburger, curly fries and a root beer for my oldest")
    await talk(chat, "and the same for my younger one but a milk instead of the root beer")
    assert await cart(chat) == lines(
        ("ham_burger", 2), ("curly_fries", 2), ("root_beer", 1), ("milk", 1)
    )


async def test_conversation_a_changed_copy_then_another_bare_flavour_is_one_more_copy(
    new_chat: ChatFactory,
) -> None:
    # "strawberry shake for me, my wife wants the same but vanilla, and my son wants chocolate":
    # three shakes, one of each
    chat = new_chat("burger")
    await talk(
        chat,
        "a strawberry shake for me, my wife wants the same but vanilla, and my son wants chocolate",
    )
    assert await cart(chat) == lines(
        ("strawberry_shake", 1), ("vanilla_shake", 1), ("chocolate_shake", 1)
    )


async def test_conversation_superlative_said_after_its_kind_offers_that_dish(
    new_chat: ChatFactory,
) -> None:
    # "what cookie is the most expensive?", "which drink costs the least": as "what's the
    # cheapest drink", the dish named and offered ("2 of those" orders it)
    chat = new_chat("sub")
    turn = await talk(chat, "what cookie is the most expensive?")
    assert "oatmeal raisin" in turn.reply.lower()
    await talk(chat, "i'll take 2 of those")
    assert await cart(chat) == lines(("oatmeal_raisin", 2))
    chat = new_chat("burrito")
    turn = await talk(chat, "which drink costs the least")
    assert "lemonade" in turn.reply.lower()


async def test_conversation_a_tie_for_the_cheapest_names_every_dish_in_it(
    new_chat: ChatFactory,
) -> None:
    # two drinks at the lowest price: both named, and "the water, 3" picks one of them
    chat = new_chat("sub")
    turn = await talk(chat, "what's the least expensive drink")
    assert "milk" in turn.reply.lower() and "water" in turn.reply.lower()
    await talk(chat, "the water, 3 please")
    assert await cart(chat) == lines(("dasani_water", 3))


async def test_conversation_options_compared_then_picked_by_price_orders_a_dish(
    new_chat: ChatFactory,
) -> None:
    # "thin crust or stuffed crust, which is pricier?" ... "the pricier one then, large with
    # pepperoni": nothing ordered yet, so a pizza with the dearer crust (no edit of nothing)
    chat = new_chat("pizzeria")
    await talk(chat, "thin crust or stuffed crust, which is pricier?")
    await talk(chat, "the pricier one then, large with pepperoni")
    assert await cart(chat) == lines(("pizza", 1, {"large", "stuffed_crust", "pepperoni"}))
    chat = new_chat("pizzeria")
    await talk(chat, "is the hawaiian pricier than the supreme?", "ok whichever's cheaper, medium")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "supreme"}))


async def test_conversation_dishes_asked_one_by_one_then_the_cheaper_of_the_two(
    new_chat: ChatFactory,
) -> None:
    # "the cheaper of the two then, large": one of the cheaper dish ("two" counts the dishes)
    chat = new_chat("burger")
    await talk(chat, "how much are the curly fries", "and the garlic fries?")
    await talk(chat, "cheaper of the two then, large")
    assert await cart(chat) == lines(("garlic_fries", 1, {"large"}))
    chat = new_chat("sub")
    await talk(chat, "how much is the tuna", "and the italian bmt?", "whichever costs more")
    assert await cart(chat) == lines(("tuna", 1))


async def test_conversation_a_kind_besides_one_dish_lists_the_others(
    new_chat: ChatFactory,
) -> None:
    # "any shakes besides vanilla?": the other shakes listed, none ordered or offered alone
    chat = new_chat("burger")
    turn = await talk(chat, "any shakes besides vanilla?")
    assert "strawberry" in turn.reply.lower() and "chocolate" in turn.reply.lower()
    assert await cart(chat) == lines()
    await talk(chat, "ok a strawberry one")
    assert await cart(chat) == lines(("strawberry_shake", 1))
    chat = new_chat("sub")
    turn = await talk(chat, "what cookies do you have other than oatmeal raisin")
    assert "macadamia" in turn.reply.lower() and "Oatmeal Raisin (" not in turn.reply


async def test_conversation_priced_wordings_and_a_syrup_picked_by_price_onto_a_dish(
    new_chat: ChatFactory,
) -> None:
    # "lowest priced", "less pricey": as "cheapest", "cheaper"; "the cheaper syrup in a
    # mocha" after two syrups' prices: a mocha with the cheaper one, not an edit of nothing
    chat = new_chat("burger")
    turn = await talk(chat, "whats the lowest priced burger")
    assert "cheese burger" in turn.reply.lower()
    chat = new_chat("sub")
    await talk(chat, "how much is the turkey", "and the tuna?", "the less pricey one please")
    assert await cart(chat) == lines(("turkey_breast", 1))
    chat = new_chat("coffee")
    await talk(chat, "what does vanilla syrup cost?", "what about raspberry?")
    await talk(chat, "ok the pricier syrup in a latte")
    assert await cart(chat) == lines(("latte", 1, {"raspberry_syrup"}))


async def test_conversation_each_persons_unit_said_by_whose_it_is(new_chat: ChatFactory) -> None:
    # "3 lattes, mine with vanilla, ben's iced and my wife's plain": one unit each, theirs, so
    # "ben wants his skinny" and "my wife wants hers large" change only their own
    chat = new_chat("coffee")
    await talk(chat, "3 lattes, mine with vanilla, ben's iced and my wife's plain")
    await talk(chat, "ben wants his skinny too", "my wife wants hers large")
    assert await cart(chat) == lines(
        ("latte", 1, {"vanilla_syrup"}), ("latte", 1, {"iced", "skinny"}), ("latte", 1, {"large"})
    )


async def test_conversation_each_persons_unit_said_bare_after_the_count(
    new_chat: ChatFactory,
) -> None:
    # "2 hamburgers - mine with bacon, and my daughter's with no onions": her edit is on hers
    chat = new_chat("burger")
    await talk(chat, "2 hamburgers - mine with bacon, and my daughter's with no onions")
    await talk(chat, "and a cheeseburger", "my daughter wants ketchup on hers")
    assert await cart(chat) == lines(
        ("ham_burger", 1, {"bacon"}),
        ("ham_burger", 1, {"no onion", "ketchup"}),
        ("cheese_burger", 1),
    )


async def test_conversation_a_dish_with_its_price_asked_after_it_is_not_ordered(
    new_chat: ChatFactory,
) -> None:
    # "X cost?", "and Y?", then "Y it is": only the dish picked is ordered
    chat = new_chat("burger")
    await talk(chat, "baby carrots cost?", "and apple slices?", "ok apple slices it is")
    assert await cart(chat) == lines(("apple_slices", 1))


async def test_conversation_a_dish_then_which_of_two_asked_is_a_question(
    new_chat: ChatFactory,
) -> None:
    # "X: A or B?" asks how it comes; the order after it is the only one
    chat = new_chat("burrito")
    await talk(chat, "the black tea: sweetened or unsweetened?", "ok a black tea please")
    assert await cart(chat) == lines(("tractor_organic_black_tea", 1))


async def test_conversation_any_toppings_of_a_kind_asked_orders_nothing(
    new_chat: ChatFactory,
) -> None:
    # "got any X toppings?" browses; the pizza is ordered after
    chat = new_chat("pizzeria")
    await talk(chat, "got any veggie toppings?", "mushrooms and onions on a medium pizza then")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "mushrooms", "onions"}))


async def test_conversation_a_swap_asked_before_any_dish_makes_up_no_dish(
    new_chat: ChatFactory,
) -> None:
    # "could i get A instead of B?" with nothing ordered: asked, no burrito made up for it
    chat = new_chat("burrito")
    await talk(chat, "could i get brown rice instead of white rice?")
    await talk(chat, "ok a steak burrito with brown rice")
    assert await cart(chat) == lines(("burrito", 1, {"steak", "brown_rice"}))


async def test_conversation_a_dish_asked_for_with_its_option_after_it_is_asked(
    new_chat: ChatFactory,
) -> None:
    # "could i get the X iced?" asks; "one please, small" then orders it so
    chat = new_chat("coffee")
    await talk(chat, "could i get the cappuccino iced?", "ok one please, small")
    assert await cart(chat) == lines(("cappuccino", 1, {"small", "iced"}))


async def test_conversation_an_option_priced_then_put_on_a_new_dish(
    new_chat: ChatFactory,
) -> None:
    # "is X extra?" then "put it on 2 Y": the option on the new dishes, as it is (not extra)
    chat = new_chat("burrito")
    await talk(chat, "is sour cream extra?", "ok put it on 2 steak tacos")
    assert await cart(chat) == lines(("taco", 2, {"steak", "sour_cream"}))


async def test_conversation_both_after_two_dishes_priced_orders_one_of_each(
    new_chat: ChatFactory,
) -> None:
    # "X price?", "and a Y?", "both please": one of each dish asked about
    chat = new_chat("burger")
    await talk(chat, "fries price?", "and a vanilla shake?", "both please")
    assert await cart(chat) == lines(("french_fries", 1), ("vanilla_shake", 1))


async def test_conversation_a_kind_of_dish_asked_then_ordered_keeps_its_kind(
    new_chat: ChatFactory,
) -> None:
    # "any vegan pizzas?" then "one of those": the pizza made vegan
    chat = new_chat("pizzeria")
    await talk(chat, "any vegan pizzas?", "ok one of those, medium")
    assert await cart(chat) == lines(("pizza", 1, {"medium", "vegan"}))


async def test_conversation_all_but_a_named_persons_unit_is_theirs_later(
    new_chat: ChatFactory,
) -> None:
    # "pickles on all of them except jordan's": his unit left as it was, and his for later
    chat = new_chat("burger")
    await talk(chat, "3 cheeseburgers", "pickles on all of them except jordan's")
    await talk(chat, "jordan wants onions on his")
    assert await cart(chat) == lines(
        ("cheese_burger", 2, {"pickle"}), ("cheese_burger", 1, {"onion"})
    )


async def test_conversation_everyone_but_me_leaves_my_unit_out(new_chat: ChatFactory) -> None:
    # "everybody gets X except me": all units but mine, and "mine" is that one later
    chat = new_chat("coffee")
    await talk(chat, "3 medium cappuccinos", "everybody gets an extra shot except me")
    await talk(chat, "decaf for mine")
    assert await cart(chat) == lines(
        ("cappuccino", 2, {"regular", "espresso_shot_1"}), ("cappuccino", 1, {"regular", "decaf"})
    )


async def test_conversation_one_is_for_someone_then_how_theirs_is_made(
    new_chat: ChatFactory,
) -> None:
    # "one of them is for my daughter, put pineapple on hers": one unit, hers (not the line cut
    # down to one)
    chat = new_chat("pizzeria")
    await talk(
        chat, "2 large pizzas with ham", "one of them is for my daughter, put pineapple on hers"
    )
    await talk(chat, "and make hers thin crust")
    assert await cart(chat) == lines(
        ("pizza", 1, {"large", "ham"}), ("pizza", 1, {"large", "thin_crust", "ham", "pineapple"})
    )


async def test_conversation_the_one_for_someone_is_a_unit_of_the_line(
    new_chat: ChatFactory,
) -> None:
    # "add X to the one for my mom" on two alike: one of them, hers; the other is mine
    chat = new_chat("coffee")
    await talk(chat, "2 large lattes", "add vanilla syrup to the one for my mom", "mine iced")
    assert await cart(chat) == lines(
        ("latte", 1, {"large", "iced"}), ("latte", 1, {"large", "vanilla_syrup"})
    )


async def test_conversation_an_order_then_all_but_someones_in_one_message(
    new_chat: ChatFactory,
) -> None:
    # "3 X. onions on all of them except leo's": the order, then the edit, leo's unit his
    chat = new_chat("sub")
    await talk(chat, "3 tuna subs with provolone. onions on all of them except leo's")
    await talk(chat, "leo wants swiss instead of provolone")
    assert await cart(chat) == lines(
        ("tuna", 2, {"provolone", "red_onions"}), ("tuna", 1, {"swiss"})
    )


async def test_conversation_all_so_except_one_person_who_wants_one_in_its_place(
    new_chat: ChatFactory,
) -> None:
    # "all with X except dad, he wants Y instead of X": his one made Y in X's place
    chat = new_chat("burger")
    await talk(
        chat,
        "3 cheeseburgers",
        "all with pickles and onions except my dad, he wants mayo instead of onions",
    )
    assert await cart(chat) == lines(
        ("cheese_burger", 2, {"pickle", "onion"}), ("cheese_burger", 1, {"pickle", "mayonnaise"})
    )


async def test_conversation_the_only_one_who_wants_another_option_instead(
    new_chat: ChatFactory,
) -> None:
    # "X on every one, my wife's the only one who wants Y instead": hers Y, not X; then
    # "them all" is every pizza of both lines
    chat = new_chat("pizzeria")
    await talk(chat, "3 medium pizzas")
    await talk(chat, "olives on every one, my wife's the only one who wants onions instead")
    await talk(chat, "and make them all thin crust")
    assert await cart(chat) == lines(
        ("pizza", 2, {"medium", "thin_crust", "olives"}),
        ("pizza", 1, {"medium", "thin_crust", "onions"}),
    )


async def test_conversation_options_for_all_so_many_is_every_unit(new_chat: ChatFactory) -> None:
    # "thin crust for all 3" over two lines of three pizzas in all: each of them
    chat = new_chat("pizzeria")
    await talk(chat, "2 large pepperoni pizzas and a large cheese pizza", "thin crust for all 3")
    assert await cart(chat) == lines(
        ("pizza", 2, {"large", "thin_crust", "pepperoni"}),
        ("pizza", 1, {"large", "thin_crust", "cheese"}),
    )


async def test_conversation_so_many_of_the_one_with_an_option(new_chat: ChatFactory) -> None:
    # "3 of the one with bacon": the single line that option singles out, made three ("the
    # one" is no count of lines to pick from)
    chat = new_chat("burger")
    await talk(
        chat, "a cheeseburger with bacon and a hamburger", "can i get 3 of the one with bacon"
    )
    assert await cart(chat) == lines(("cheese_burger", 3, {"bacon"}), ("ham_burger", 1))


async def test_conversation_a_dish_with_each_of_some_lines(new_chat: ChatFactory) -> None:
    # "a side of chips for every taco": as many as the cart holds of them; "and with each
    # burrito too": the dish just added, again, for those
    chat = new_chat("burrito")
    await talk(chat, "2 chicken burritos and 3 steak tacos", "a side of chips for every taco")
    assert await cart(chat) == lines(
        ("burrito", 2, {"chicken"}), ("taco", 3, {"steak"}), ("chips", 3)
    )
    await talk(chat, "and with each burrito too")
    assert await cart(chat) == lines(
        ("burrito", 2, {"chicken"}), ("taco", 3, {"steak"}), ("chips", 5)
    )


async def test_conversation_a_drink_per_dish_names_no_new_dish(new_chat: ChatFactory) -> None:
    # "a coke with each burger": the burgers are the lines counted, none is added
    chat = new_chat("burger")
    await talk(chat, "2 cheeseburgers and a hamburger", "a coke with each burger")
    assert await cart(chat) == lines(("cheese_burger", 2), ("ham_burger", 1), ("coca_cola", 3))


async def test_conversation_big_before_a_measure_is_no_size(new_chat: ChatFactory) -> None:
    # "a huge 2-liter of coke": the measure says how big; no size on top of it
    chat = new_chat("pizzeria")
    await talk(chat, "a small cheese pizza", "and a huge 2-liter of coke to share")
    assert await cart(chat) == lines(("pizza", 1, {"small", "cheese"}), ("coke", 1, {"2_liter"}))


async def test_conversation_count_set_apart_after_whom_the_dish_is_for(
    new_chat: ChatFactory,
) -> None:
    # "lattes for my team, 3, all iced": the count is the lattes', said after whom they are for
    chat = new_chat("coffee")
    await talk(chat, "lattes for my team, 3, all iced with an extra shot")
    assert await cart(chat) == lines(("latte", 3, {"iced", "espresso_shot_1"}))


async def test_conversation_everyone_then_how_many_they_are(new_chat: ChatFactory) -> None:
    # "everybody wants a cheeseburger, that's 3": how many they are, said after the order, no
    # question
    chat = new_chat("burger")
    await talk(chat, "everybody wants a cheeseburger, that's 3")
    assert await cart(chat) == lines(("cheese_burger", 3))
    await talk(chat, "and a coke for everyone, so 3")
    assert await cart(chat) == lines(("cheese_burger", 3), ("coca_cola", 3))


async def test_conversation_a_count_moved_or_said_enough_sets_the_line(
    new_chat: ChatFactory,
) -> None:
    # "bump that up to 6", "uh 3 burritos should be plenty": the line's count put right
    chat = new_chat("burrito")
    await talk(chat, "4 steak tacos", "can you bump that up to 6")
    await talk(chat, "and 4 chicken burritos", "uh 3 burritos should be plenty")
    assert await cart(chat) == lines(("taco", 6, {"steak"}), ("burrito", 3, {"chicken"}))


async def test_conversation_ditching_an_option_part_takes_the_option_off(
    new_chat: ChatFactory,
) -> None:
    # "ditch the skinny bit": the option, never the line
    chat = new_chat("coffee")
    await talk(chat, "a small skinny latte", "ditch the skinny bit")
    assert await cart(chat) == lines(("latte", 1, {"small"}))


async def test_conversation_lines_taken_off_are_brought_back(new_chat: ChatFactory) -> None:
    # "bring those back" after a removal: the lines as they were
    chat = new_chat("burger")
    await talk(
        chat, "3 cokes and a cheeseburger", "take off the cokes", "oh actually bring those back"
    )
    assert await cart(chat) == lines(("cheese_burger", 1), ("coca_cola", 3))


async def test_conversation_a_word_of_another_dish_instead_swaps_the_dish(
    new_chat: ChatFactory,
) -> None:
    # "strawberry instead then" after a vanilla shake: the strawberry shake, same size
    chat = new_chat("burger")
    await talk(chat, "a medium vanilla shake", "strawberry instead then")
    assert await cart(chat) == lines(("strawberry_shake", 1, {"medium"}))


async def test_conversation_removing_an_option_a_line_has_keeps_the_line(
    new_chat: ChatFactory,
) -> None:
    # "remove the carnitas" on a steak and carnitas bowl, "take out the ice" on an iced latte:
    # the option comes off, the line stays
    chat = new_chat("burrito")
    await talk(chat, "a steak and carnitas bowl", "remove the carnitas")
    assert await cart(chat) == lines(("burrito_bowl", 1, {"steak"}))
    chat = new_chat("coffee")
    await talk(chat, "an iced latte", "take out the ice")
    assert await cart(chat) == lines(("latte", 1))


async def test_conversation_an_apology_ends_what_is_not_wanted(new_chat: ChatFactory) -> None:
    # "no caramel my bad, vanilla": the vanilla goes on, its "no" ended by the apology
    chat = new_chat("coffee")
    await talk(chat, "a latte with caramel syrup", "no caramel my bad, vanilla")
    assert await cart(chat) == lines(("latte", 1, {"vanilla_syrup"}))


async def test_conversation_options_in_place_of_the_ones_let_go(new_chat: ChatFactory) -> None:
    # "forget that, both with pepperjack": in place of the american, not beside it
    chat = new_chat("sub")
    await talk(chat, "an italian and a tuna sub both with american")
    await talk(chat, "forget that, both with pepperjack")
    assert await cart(chat) == lines(("italian", 1, {"pepperjack"}), ("tuna", 1, {"pepperjack"}))


async def test_conversation_an_option_left_off_said_fine_on_an_earlier_line(
    new_chat: ChatFactory,
) -> None:
    # "actually the tomato is fine on it" after another dish: the tomato back on the burger
    chat = new_chat("burger")
    await talk(chat, "a double cheeseburger no tomato", "and a coke")
    await talk(chat, "actually the tomato is fine on it")
    assert await cart(chat) == lines(("double_cheese_burger", 1), ("coca_cola", 1))


async def test_conversation_options_said_no_to_then_forgotten_keep_the_line(
    new_chat: ChatFactory,
) -> None:
    # "hold the onions, just drop them": the onions come off, the burger stays
    chat = new_chat("burger")
    await talk(chat, "a cheeseburger with pickles and onions", "no onions, just drop them")
    assert await cart(chat) == lines(("cheese_burger", 1, {"pickle"}))


async def test_conversation_the_option_one_is_a_line_not_the_option(new_chat: ChatFactory) -> None:
    # "remove the ice" takes the option off; "ditch the spicy sauce one" names a line by it
    chat = new_chat("burger")
    await talk(chat, "a large fries and a small curly fries", "ok lose the large one")
    assert await cart(chat) == lines(("curly_fries", 1, {"small"}))


async def test_conversation_a_copy_for_someone_counts_what_was_ordered(
    new_chat: ChatFactory,
) -> None:
    # a line doubled by "same again" is copied once for one more person; "tacos x3" three times
    chat = new_chat("burrito")
    await talk(
        chat, "a steak quesadilla", "another one of those", "the same for my dad but chicken"
    )
    assert await cart(chat) == lines(("quesadilla", 2, {"steak"}), ("quesadilla", 1, {"chicken"}))


async def test_conversation_one_is_for_someone_he_wants_his_made_so(new_chat: ChatFactory) -> None:
    # "one is for X, she wants hers with Y": one unit hers, made with Y
    chat = new_chat("coffee")
    await talk(chat, "2 small lattes", "one is for my sister, she wants hers with caramel syrup")
    assert await cart(chat) == lines(
        ("latte", 1, {"small"}), ("latte", 1, {"small", "caramel_syrup"})
    )


async def test_conversation_make_the_topping_a_size_names_the_line(new_chat: ChatFactory) -> None:
    # "make the ham a medium": the ham pizza becomes a medium, nothing put on the other one
    chat = new_chat("pizzeria")
    await talk(chat, "a small mushroom pizza and a small ham pizza", "make the ham a medium")
    assert await cart(chat) == lines(
        ("pizza", 1, {"small", "mushrooms"}), ("pizza", 1, {"medium", "ham"})
    )
