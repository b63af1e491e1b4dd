"""Offline intent classification and the details read with an intent."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from graph.intents import Intent, OrderType
from graph.menu import load_menu
from graph.nlu import Lexicon, read
from graph.nlu.intent import RULES, code_in, phone_in
from tests.unit.nlu_support import DATA_DIR, MENU_NAMES, canon, reading, rows, spec

REPO = Path(__file__).resolve().parents[2]
INTENTS: list[tuple[str, str, Intent]] = [
    # greet
    ("pizzeria", "hi", Intent.GREET),
    ("burger", "hey there", Intent.GREET),
    ("coffee", "good morning!", Intent.GREET),
    ("sub", "hello, how are you", Intent.GREET),
    # browse_menu
    ("sub", "which sodas", Intent.BROWSE_MENU),
    ("burrito", "any sides?", Intent.BROWSE_MENU),
    ("pizzeria", "show me the menu", Intent.BROWSE_MENU),
    ("burger", "what do you have?", Intent.BROWSE_MENU),
    ("burrito", "what's vegetarian?", Intent.BROWSE_MENU),
    ("coffee", "anything spicy under $12?", Intent.BROWSE_MENU),
    ("sub", "what drinks do you have", Intent.BROWSE_MENU),
    ("pizzeria", "do you have anything vegan", Intent.BROWSE_MENU),
    ("burger", "anything without dairy?", Intent.BROWSE_MENU),
    ("sub", "what do you recommend", Intent.BROWSE_MENU),
    # ask_item
    ("pizzeria", "how much is a large pizza?", Intent.ASK_ITEM),
    ("burger", "what's on the double cheeseburger", Intent.ASK_ITEM),
    ("burrito", "does the quesadilla have dairy", Intent.ASK_ITEM),
    ("coffee", "how much are lattes", Intent.ASK_ITEM),
    ("burger", "how much extra to add bacon", Intent.ASK_ITEM),
    ("burrito", "how much would it be to add guac", Intent.ASK_ITEM),
    ("sub", "what's in the cold cut combo?", Intent.ASK_ITEM),
    ("sub", "is the veggie sub vegan", Intent.ASK_ITEM),
    # add_items
    ("pizzeria", "two large pizzas with ham", Intent.ADD_ITEMS),
    ("burger", "hi, can i get a cheeseburger", Intent.ADD_ITEMS),
    ("coffee", "a latte please", Intent.ADD_ITEMS),
    ("burrito", "i want a calzone", Intent.ADD_ITEMS),
    # remove_items
    ("pizzeria", "remove the coke", Intent.REMOVE_ITEMS),
    ("pizzeria", "take off one pizza", Intent.REMOVE_ITEMS),
    ("burger", "take the fries off", Intent.REMOVE_ITEMS),
    ("coffee", "delete the latte please", Intent.REMOVE_ITEMS),
    ("sub", "i don't want the cookie anymore", Intent.REMOVE_ITEMS),
    ("burrito", "remove that", Intent.REMOVE_ITEMS),
    ("burrito", "get rid of the chips", Intent.REMOVE_ITEMS),
    # change_item
    ("pizzeria", "make that large", Intent.CHANGE_ITEM),
    ("pizzeria", "actually 3 of them", Intent.CHANGE_ITEM),
    ("burger", "no onions on the burger", Intent.CHANGE_ITEM),
    ("pizzeria", "change the pizza to thin crust", Intent.CHANGE_ITEM),
    ("coffee", "make it decaf", Intent.CHANGE_ITEM),
    ("coffee", "actually make it a large", Intent.CHANGE_ITEM),
    ("sub", "add extra mayo to the turkey sub", Intent.CHANGE_ITEM),
    ("burrito", "switch the chicken to steak", Intent.CHANGE_ITEM),
    # view_cart
    ("pizzeria", "what's in my cart", Intent.VIEW_CART),
    ("burger", "show my order", Intent.VIEW_CART),
    ("coffee", "what do i have so far", Intent.VIEW_CART),
    ("sub", "how much is my total", Intent.VIEW_CART),
    ("burger", "What is the total, please?", Intent.VIEW_CART),
    ("pizzeria", "how much altogether", Intent.VIEW_CART),
    ("burrito", "what's it come to", Intent.VIEW_CART),
    ("coffee", "what do we owe you", Intent.VIEW_CART),
    ("sub", "what's the grand total", Intent.VIEW_CART),
    ("burger", "how much in total?", Intent.VIEW_CART),
    # clear_cart
    ("pizzeria", "start over", Intent.CLEAR_CART),
    ("burger", "clear my cart", Intent.CLEAR_CART),
    ("coffee", "forget everything", Intent.CLEAR_CART),
    ("sub", "empty the cart please", Intent.CLEAR_CART),
    # checkout
    ("pizzeria", "that's all, checkout", Intent.CHECKOUT),
    ("burger", "i'm ready to pay", Intent.CHECKOUT),
    ("coffee", "place my order", Intent.CHECKOUT),
    ("sub", "I'll pick it up", Intent.CHECKOUT),
    ("burrito", "deliver to 12 Main St", Intent.CHECKOUT),
    ("pizzeria", "can i get it delivered?", Intent.CHECKOUT),
    # order_status
    ("pizzeria", "where's my order", Intent.ORDER_STATUS),
    ("burger", "status of order A7K3", Intent.ORDER_STATUS),
    ("coffee", "is my order ready?", Intent.ORDER_STATUS),
    ("sub", "how long will it take", Intent.ORDER_STATUS),
    # cancel_order
    ("pizzeria", "cancel my order", Intent.CANCEL_ORDER),
    ("burrito", "i want to cancel the order", Intent.CANCEL_ORDER),
    # provide_phone
    ("pizzeria", "555-867-5309", Intent.PROVIDE_PHONE),
    ("burger", "my number is 415 555 0134", Intent.PROVIDE_PHONE),
    ("coffee", "(212) 555-1234", Intent.PROVIDE_PHONE),
    ("sub", "+44 20 7946 0958", Intent.PROVIDE_PHONE),
    ("burrito", "call me at 555.123.4567", Intent.PROVIDE_PHONE),
    # provide_code
    ("pizzeria", "482913", Intent.PROVIDE_CODE),
    ("burger", "the code is 482 913", Intent.PROVIDE_CODE),
    ("coffee", "code: 123-456", Intent.PROVIDE_CODE),
    # resend_code
    ("pizzeria", "i didn't get a code", Intent.RESEND_CODE),
    ("sub", "resend the code", Intent.RESEND_CODE),
    ("coffee", "can you send it again", Intent.RESEND_CODE),
    # help
    ("pizzeria", "help", Intent.HELP),
    ("burger", "what can you do", Intent.HELP),
    ("coffee", "how does this work?", Intent.HELP),
    # thanks / goodbye
    ("pizzeria", "thanks!", Intent.THANKS),
    ("sub", "thank you so much", Intent.THANKS),
    ("burger", "bye", Intent.GOODBYE),
    ("coffee", "see ya later", Intent.GOODBYE),
    # affirm / deny
    ("pizzeria", "yes", Intent.AFFIRM),
    ("burger", "yeah sure", Intent.AFFIRM),
    ("coffee", "yep, that's right", Intent.AFFIRM),
    ("sub", "that's all", Intent.AFFIRM),
    ("pizzeria", "no", Intent.DENY),
    ("burrito", "nope", Intent.DENY),
    ("burger", "no thanks", Intent.DENY),
    # repeat_items
    ("pizzeria", "same again", Intent.REPEAT_ITEMS),
    ("burger", "one more of those plz", Intent.REPEAT_ITEMS),
    # ask_restaurant
    ("pizzeria", "are you open?", Intent.ASK_RESTAURANT),
    ("burger", "do you deliver to 10001?", Intent.ASK_RESTAURANT),
    ("sub", "how long for pickup?", Intent.ASK_RESTAURANT),
    ("coffee", "what time do you close", Intent.ASK_RESTAURANT),
    # wait
    ("burrito", "hmm let me think", Intent.WAIT),
    ("coffee", "one sec", Intent.WAIT),
    # party: whom the order is for, nothing ordered yet
    ("burger", "there are 5 of us", Intent.PARTY),
    ("sub", "family lunch, 4 people", Intent.PARTY),
    ("sub", "kids party - 6 kids", Intent.PARTY),
    ("sub", "2 pizzas for 4 people", Intent.ADD_ITEMS),  # a dish the menu lacks, counted
    ("pizzeria", "2 pizzas for 4 people", Intent.ADD_ITEMS),
    # unknown
    ("pizzeria", "asdfgh", Intent.UNKNOWN),
    ("burger", "purple monkey dishwasher", Intent.UNKNOWN),
    ("coffee", "?", Intent.UNKNOWN),
    ("sub", "", Intent.UNKNOWN),
]


@pytest.mark.parametrize(
    ("menu", "text", "intent"), INTENTS, ids=[f"{i.value}:{t}" for _, t, i in INTENTS]
)
def test_intent_is_classified(menu: str, text: str, intent: Intent) -> None:
    assert reading(menu, text).intent is intent


def test_intent_examples_cover_every_intent() -> None:
    assert {intent for _, _, intent in INTENTS} == set(Intent)


def test_intent_every_rule_reads_its_own_examples() -> None:
    demo = Lexicon.from_menu(load_menu(REPO / "seeds" / "demo.json"))
    for rule in RULES:
        for example in rule.examples:
            got = read(demo, example).intent
            assert got is rule.intent, f"{example!r} read as {got}"


def test_intent_every_intent_has_a_rule_or_is_the_fallback() -> None:
    assert {rule.intent for rule in RULES} | {Intent.UNKNOWN} == set(Intent)


@pytest.mark.parametrize("menu", MENU_NAMES)
@pytest.mark.parametrize(
    "text", ["asdfgh qwerty", "zxcv", "blorp snazzle frum", "???", "lorem ipsum"]
)
def test_intent_gibberish_has_low_confidence(menu: str, text: str) -> None:
    got = reading(menu, text)
    assert got.intent is Intent.UNKNOWN
    assert got.confidence < 0.5


def test_intent_clear_orders_are_confident() -> None:
    assert reading("pizzeria", "two large pepperoni pizzas").confidence >= 0.9
    assert reading("pizzeria", "yes").confidence >= 0.9


def test_intent_unknown_dish_lowers_confidence() -> None:
    got = reading("burrito", "i want a calzone")
    assert got.confidence < 0.5
    assert got.unknown == ("calzone",)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("555-867-5309", "555-867-5309"),
        ("my number is 415 555 0134", "415 555 0134"),
        ("(212) 555-1234", "(212) 555-1234"),
        ("+1 415 555 0134", "+1 415 555 0134"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("5551234567", "5551234567"),
        ("it's 555.123.4567 thanks", "555.123.4567"),
        ("phone: +1-212-555-0199", "+1-212-555-0199"),
    ],
)
def test_intent_reads_phone_numbers_as_said(text: str, phone: str) -> None:
    assert phone_in(text) == phone
    got = reading("pizzeria", text)
    assert got.intent is Intent.PROVIDE_PHONE
    assert got.phone == phone


@pytest.mark.parametrize("text", ["two pizzas", "482913", "12 main st", "order #1042", "$12.50"])
def test_intent_no_phone_in_other_numbers(text: str) -> None:
    assert phone_in(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("482913", "482913"), ("the code is 482 913", "482913"), ("code: 123-456", "123456")],
)
def test_intent_reads_six_digit_codes(text: str, code: str) -> None:
    assert code_in(text) == code
    assert reading("coffee", text).code == code


def test_intent_checkout_reads_order_type_and_address() -> None:
    got = reading("pizzeria", "deliver to 12 Main St please")
    assert got.order_type is OrderType.DELIVERY
    assert got.address == "12 Main St"
    assert reading("pizzeria", "I'll pick it up").order_type is OrderType.PICKUP
    assert reading("burger", "we'll eat here, checkout").order_type is OrderType.DINE_IN


def test_intent_order_status_reads_the_order_number() -> None:
    assert reading("pizzeria", "status of order A7K3").order_number == "A7K3"
    assert reading("sub", "where is order #1042?").order_number == "1042"


def test_intent_browse_reads_tags_price_and_allergens() -> None:
    got = reading("pizzeria", "anything spicy under $12?")
    assert got.tags == ("spicy",)
    assert got.max_price == Decimal("12")
    assert got.query == "spicy"
    assert reading("burger", "what's vegetarian?").tags == ("vegetarian",)
    assert reading("burger", "something dairy free").exclude_allergens == ("dairy",)
    assert reading("sub", "anything without nuts for less than 8 dollars").max_price == Decimal("8")


def test_intent_change_without_an_item_refers_to_the_last_line() -> None:
    got = reading("pizzeria", "make that large")
    assert got.refers_to_last
    assert [(c.group, c.option) for c in got.choices] == [("pizza_size", "large")]
    again = reading("pizzeria", "actually 3 of them")
    assert again.refers_to_last
    assert again.quantity == 3


def test_intent_change_naming_the_item_carries_the_new_choices() -> None:
    got = reading("burger", "no onions on the burger")
    assert not got.refers_to_last
    assert canon([line.to_json() for line in got.items]) == spec("ham_burger -toppings.onion")


def test_intent_remove_reads_the_lines_named() -> None:
    got = reading("pizzeria", "take off one pizza")
    assert canon([line.to_json() for line in got.items]) == spec("pizza")
    assert reading("pizzeria", "remove it").refers_to_last


def test_intent_items_only_in_json_for_orders() -> None:
    got = reading("pizzeria", "remove the coke")
    assert got.items
    assert got.to_json()["items"] == []


def test_intent_order_with_delivery_stays_an_order() -> None:
    got = reading("pizzeria", "two pizzas for delivery to 12 Main St")
    assert got.intent is Intent.ADD_ITEMS
    assert got.order_type is OrderType.DELIVERY


def test_intent_another_one_repeats_the_line_talked_about() -> None:
    got = reading("coffee", "another one please")
    assert got.intent is Intent.REPEAT_ITEMS
    assert got.edit is not None
    assert got.edit.op == "repeat"
    assert got.edit.quantity == 1
    more = reading("pizzeria", "2 more of those").edit
    assert more is not None
    assert more.quantity == 2
    assert more.ref is not None
    assert more.ref.pronoun


HUMAN_INTENTS = rows(DATA_DIR / "intents_human.jsonl")


@pytest.mark.parametrize(
    "row", HUMAN_INTENTS, ids=[f"{r['intent']}:{r['text'][:40]}" for r in HUMAN_INTENTS]
)
def test_intent_reads_hand_written_message(row: dict[str, str]) -> None:
    assert reading(row["menu"], row["text"]).intent.value == row["intent"]


@pytest.mark.parametrize("text", ["12 Main Street, Springfield", "45 Oak Ave", "221b Baker Street"])
def test_intent_a_bare_address_is_the_delivery_address(text: str) -> None:
    got = reading("burger", text)
    assert got.intent is Intent.CHECKOUT
    assert got.address == text


def test_intent_options_taken_off_an_item_change_it() -> None:
    got = reading("burger", "take the onions off the burger")
    assert got.intent is Intent.CHANGE_ITEM
    assert canon([line.to_json() for line in got.items]) == spec("ham_burger -toppings.onion")
    removed = reading("burger", "remove the large fries")
    assert removed.intent is Intent.REMOVE_ITEMS
    assert canon([line.to_json() for line in removed.items]) == spec("french_fries side_size.large")


@pytest.mark.parametrize(
    ("menu", "text"),
    [
        ("pizzeria", "no onions"),
        ("pizzeria", "thin crust"),
        ("coffee", "decaf please"),
        ("coffee", "iced"),
    ],
)
def test_intent_options_alone_change_the_last_line(menu: str, text: str) -> None:
    got = reading(menu, text)
    assert got.intent is Intent.CHANGE_ITEM
    assert got.refers_to_last
    assert got.choices


def test_intent_options_with_a_count_are_an_order() -> None:
    assert reading("coffee", "a decaf").intent is Intent.ADD_ITEMS
    assert reading("pizzeria", "large pepperoni").intent is Intent.ADD_ITEMS
