"""One long conversation that goes through every intent, start to finish."""

from __future__ import annotations

from graph.intents import Intent
from tests.graph.conftest import Chat

SCRIPT = [
    ("hello", Intent.GREET),
    ("help", Intent.HELP),
    ("show me the menu", Intent.BROWSE_MENU),
    ("how much is the tiramisu?", Intent.ASK_ITEM),
    ("no", Intent.DENY),
    ("two cokes", Intent.ADD_ITEMS),
    ("a margherita pizza", Intent.ADD_ITEMS),
    ("make that large", Intent.CHANGE_ITEM),
    ("remove the cokes", Intent.REMOVE_ITEMS),
    ("what's in my cart", Intent.VIEW_CART),
    ("start over", Intent.CLEAR_CART),
    ("a cobb salad", Intent.ADD_ITEMS),
    ("thanks", Intent.THANKS),
    ("checkout", Intent.CHECKOUT),
    ("my number is 555 010 2030", Intent.PROVIDE_PHONE),
    ("111111", Intent.PROVIDE_CODE),
    ("resend the code", Intent.RESEND_CODE),
    ("246810", Intent.CHECKOUT),  # the code, then the interrupted checkout resumes
    ("pickup", Intent.CHECKOUT),
    ("yes", Intent.AFFIRM),
    ("where is my order", Intent.ORDER_STATUS),
    ("cancel my order", Intent.CANCEL_ORDER),
    ("qwzx blorp", Intent.UNKNOWN),
    ("bye", Intent.GOODBYE),
]


async def test_tour_visits_every_intent_with_the_right_effects(chat: Chat) -> None:
    seen: list[Intent] = []
    for text, expected in SCRIPT:
        if text == "resend the code":
            chat.clock.advance(60)
        turn = await chat.say(text)
        seen.append(Intent(turn.state["intent"]))
        assert seen[-1] is expected, f"{text!r}: {seen[-1]} (reply {turn.reply!r})"
    assert set(seen) == set(Intent)
    placed, status, cancelled = chat.turns[19], chat.turns[20], chat.turns[21]
    number = placed.card("ORDER_DATA")["number"]
    assert [line["item"] for line in placed.card("ORDER_DATA")["lines"]] == ["cobb_salad"]
    assert status.card("ORDER_DATA")["number"] == number
    assert cancelled.card("ORDER_DATA")["status"] == "cancelled"
    assert len(chat.identity.sent) == 2
    names = [name for turn in chat.turns for name in turn.tool_names]
    for tool in (
        "search_menu",
        "describe_item",
        "add_to_cart",
        "update_cart_line",
        "remove_from_cart",
        "view_cart",
        "clear_cart",
        "start_sign_in",
        "verify_code",
        "resend_code",
        "place_order",
        "get_order_status",
        "cancel_order",
    ):
        assert tool in names
    ai = [m for m in chat.turns[-1].state["messages"] if m.type == "ai"]
    assert len(ai) == len(SCRIPT)
