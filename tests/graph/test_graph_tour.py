"""One long conversation that goes through every intent, start to finish."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from graph.intents import Intent
from tests.graph.conftest import Chat

SCRIPT = [
    ("hello", Intent.GREET),
    ("help", Intent.HELP),
    ("show me the menu", Intent.BROWSE_MENU),
    ("how much is the tiramisu?", Intent.ASK_ITEM),
    ("no", Intent.DENY),
    ("are you open?", Intent.ASK_RESTAURANT),
    ("two cokes", Intent.ADD_ITEMS),
    ("a margherita pizza", Intent.ADD_ITEMS),
    ("make that large", Intent.CHANGE_ITEM),
    ("one more of those", Intent.REPEAT_ITEMS),
    ("remove the cokes", Intent.REMOVE_ITEMS),
    ("what's in my cart", Intent.VIEW_CART),
    ("start over", Intent.CLEAR_CART),
    ("yes", Intent.AFFIRM),  # the cart is emptied once confirmed
    ("hmm let me think", Intent.WAIT),
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
    ("yes", Intent.AFFIRM),  # cancelled once confirmed
    ("qwzx blorp", Intent.UNKNOWN),
    ("there are 4 of us", Intent.PARTY),
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
    placed, status, cancelled = chat.turns[23], chat.turns[24], chat.turns[26]
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


async def test_turns_stay_on_the_event_loops_thread(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No step of a turn goes to a thread pool (LangGraph sends a plain function on a
    conditional edge there): the cart's and the sign-in's routing run in the turn's task."""
    sent: list[str] = []

    def inline(executor: Any, func: Any, *args: Any) -> asyncio.Future[Any]:
        """Records what was sent, and runs it here instead."""
        sent.append(getattr(func, "__qualname__", repr(func)))
        future = asyncio.get_running_loop().create_future()
        future.set_result(func(*args))
        return future

    monkeypatch.setattr(asyncio.get_running_loop(), "run_in_executor", inline)
    await chat.say("two cokes")
    after_code = await chat.sign_in()
    assert after_code.state["signed_in"] is True
    assert after_code.state["checkout"] is not None  # routed from the sign-in back to checkout
    assert sent == []
