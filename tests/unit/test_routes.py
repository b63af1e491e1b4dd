"""Routing a turn: the reading read against what the assistant asked last, and the tables."""

from __future__ import annotations

from graph.builder import build_graph
from graph.dialogue import Dialogue
from graph.intents import Intent, OrderType
from graph.models import LineSpec
from graph.nlu.reading import OrderLine, Reading
from graph.routes import (
    ANSWERS,
    NODES,
    ROUTES,
    quantity_in,
    reread,
    resolve_intent,
    route,
    route_after_cart,
    route_after_sign_in,
)
from graph.state import Checkout, CheckoutStep, Pending, State

COKE = Dialogue(offer=LineSpec(item="coke"))


def _checkout(step: CheckoutStep = "confirm", order_type: OrderType | None = None) -> Checkout:
    return Checkout(step=step, order_type=order_type or OrderType.PICKUP, address=None, key="k")


def test_routes_every_intent_has_a_flow_and_every_flow_is_a_node() -> None:
    assert set(ROUTES) == set(Intent)
    nodes = set(build_graph().get_graph().nodes)
    assert set(ROUTES.values()) <= set(NODES) <= nodes
    assert {node for pair in ANSWERS.values() for node in pair} <= nodes


def test_routes_gated_intents_need_sign_in() -> None:
    state = State()
    flows = {
        Intent.CHECKOUT: "check_out",
        Intent.ORDER_STATUS: "track_order",
        Intent.CANCEL_ORDER: "cancel_order",
    }
    for intent, flow in flows.items():
        assert route(intent, state, signed_in=False) == "sign_in"
        assert route(intent, state, signed_in=True) == flow


def test_routes_a_question_about_delivery_needs_no_sign_in() -> None:
    assert route(Intent.ASK_RESTAURANT, State(), signed_in=False) == "answer_restaurant"
    assert route(Intent.BROWSE_MENU, State(auth_step="phone"), signed_in=False) == "show_menu"


def test_routes_yes_depends_on_the_question() -> None:
    yes = Intent.AFFIRM
    assert route(yes, State(), signed_in=False) == "clarify"
    confirm = State(checkout=_checkout(), awaiting="confirm")
    assert route(yes, confirm, signed_in=True) == "check_out"
    offer = State(awaiting="suggestion", dialogue=COKE)
    assert route(yes, offer, signed_in=False) == "add_items"
    assert route(yes, State(awaiting="confirm_clear"), signed_in=False) == "clear_cart"
    assert route(Intent.DENY, State(awaiting="confirm_cancel"), signed_in=True) == "cancel_order"


def test_routes_stop_phrases_end_the_flow_in_progress() -> None:
    state = State(checkout=_checkout())
    reading = Reading(text="never mind", intent=Intent.UNKNOWN, confidence=0.1)
    assert resolve_intent(reading, state) is Intent.DENY
    assert resolve_intent(reading, State()) is Intent.UNKNOWN


def test_routes_bare_order_type_at_checkout() -> None:
    state = State(checkout=_checkout("order_type"))
    reading = reread(Reading(text="delivery", intent=Intent.UNKNOWN), state)
    assert reading.order_type is OrderType.DELIVERY
    assert resolve_intent(reading, state) is Intent.CHECKOUT


def test_routes_address_answer_at_the_address_step() -> None:
    state = State(checkout=_checkout("address", OrderType.DELIVERY))
    reading = Reading(text="12 Main St", intent=Intent.ADD_ITEMS, confidence=0.4)
    assert resolve_intent(reading, state) is Intent.CHECKOUT
    order = Reading(text="a coke", intent=Intent.ADD_ITEMS, items=(OrderLine(item="coke"),))
    assert resolve_intent(order, state) is Intent.ADD_ITEMS


def test_routes_digits_while_waiting_for_the_code() -> None:
    state = State(auth_step="code")
    reading = Reading(text="24 68 10", intent=Intent.UNKNOWN)
    assert resolve_intent(reading, state) is Intent.PROVIDE_CODE


def test_routes_how_long_before_any_order_asks_the_restaurant() -> None:
    reading = Reading(text="how long will it take", intent=Intent.ORDER_STATUS)
    assert resolve_intent(reading, State()) is Intent.ASK_RESTAURANT
    assert resolve_intent(reading, State(last_order="1001")) is Intent.ORDER_STATUS


def test_routes_after_cart_return_to_the_step_in_progress() -> None:
    assert route_after_cart(State()) == "respond"
    assert route_after_cart(State(checkout=_checkout())) == "check_out"
    assert route_after_cart(State(rest=["and add a coke"])) == "understand"


def test_routes_after_sign_in_resume_what_it_interrupted() -> None:
    pending = Pending(
        intent=Intent.CHECKOUT, reading=Reading(text="checkout", intent=Intent.CHECKOUT)
    )
    assert route_after_sign_in(State(signed_in=True, intent=Intent.CHECKOUT)) == "check_out"
    assert route_after_sign_in(State(signed_in=False, pending=pending)) == "respond"
    assert route_after_sign_in(State(signed_in=True, intent=Intent.CANCEL_ORDER)) == "cancel_order"


def test_routes_a_number_takes_the_offer() -> None:
    state = State(awaiting="suggestion", dialogue=COKE)
    reading = Reading(text="two please", intent=Intent.UNKNOWN, confidence=0.1)
    assert resolve_intent(reading, state) is Intent.AFFIRM
    assert quantity_in(reading) == 2
    assert resolve_intent(reading, State()) is Intent.UNKNOWN
