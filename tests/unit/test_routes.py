"""Routing a turn: the reading read against what the assistant asked last."""

from __future__ import annotations

from graph.intents import Intent, OrderType
from graph.nlu.reading import OrderLine, Reading
from graph.routes import (
    quantity_in,
    reread,
    resolve_intent,
    route_after_cart,
    route_after_classify_intent,
)
from graph.state import Checkout, State


def _checkout(step: str = "confirm", order_type: str | None = "pickup") -> Checkout:
    return Checkout(step=step, order_type=order_type, address=None, key="k")  # type: ignore[typeddict-item]


def test_routes_gated_intents_need_sign_in() -> None:
    state = State()
    for intent in (Intent.CHECKOUT, Intent.ORDER_STATUS, Intent.CANCEL_ORDER):
        assert route_after_classify_intent(intent, state, signed_in=False) == "auth_gate"
        assert route_after_classify_intent(intent, state, signed_in=True) == "checkout"


def test_routes_yes_depends_on_the_question() -> None:
    yes = Intent.AFFIRM
    assert route_after_classify_intent(yes, State(), signed_in=False) == "fallback"
    confirm = State(checkout=_checkout(), awaiting="confirm")
    assert route_after_classify_intent(yes, confirm, signed_in=True) == "checkout"
    offer = State(awaiting="suggestion", offer={"item": "coke", "quantity": 1, "choices": []})
    assert route_after_classify_intent(yes, offer, signed_in=False) == "cart"


def test_routes_stop_phrases_end_the_flow_in_progress() -> None:
    state = State(checkout=_checkout())
    reading = Reading(text="never mind", intent=Intent.UNKNOWN, confidence=0.1)
    assert resolve_intent(reading, state) is Intent.DENY
    assert resolve_intent(reading, State()) is Intent.UNKNOWN


def test_routes_bare_order_type_at_checkout() -> None:
    state = State(checkout=_checkout("order_type", None))
    reading = reread(Reading(text="delivery", intent=Intent.UNKNOWN), state)
    assert reading.order_type is OrderType.DELIVERY
    assert resolve_intent(reading, state) is Intent.CHECKOUT


def test_routes_address_answer_at_the_address_step() -> None:
    state = State(checkout=_checkout("address", "delivery"))
    reading = Reading(text="12 Main St", intent=Intent.ADD_ITEMS, confidence=0.4)
    assert resolve_intent(reading, state) is Intent.CHECKOUT
    order = Reading(text="a coke", intent=Intent.ADD_ITEMS, items=(OrderLine(item="coke"),))
    assert resolve_intent(order, state) is Intent.ADD_ITEMS


def test_routes_digits_while_waiting_for_the_code() -> None:
    state = State(auth_step="code")
    reading = Reading(text="24 68 10", intent=Intent.UNKNOWN)
    assert resolve_intent(reading, state) is Intent.PROVIDE_CODE


def test_routes_after_cart_return_to_the_step_in_progress() -> None:
    assert route_after_cart(State()) == "respond"
    assert route_after_cart(State(checkout=_checkout())) == "checkout"
    assert route_after_cart(State(auth_step="code")) == "auth_gate"


def test_routes_a_number_takes_the_offer() -> None:
    state = State(awaiting="suggestion", offer={"item": "coke", "quantity": 1, "choices": []})
    reading = Reading(text="two please", intent=Intent.UNKNOWN, confidence=0.1)
    assert resolve_intent(reading, state) is Intent.AFFIRM
    assert quantity_in(reading) == 2
    assert resolve_intent(reading, State()) is Intent.UNKNOWN
