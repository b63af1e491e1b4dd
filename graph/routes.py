"""Where a turn goes: pure functions of the reading and the state, unit-testable without a graph.

`resolve_intent` reads a message against what the assistant asked last (a bare "yes" confirms
the order, an unparsed line at the address step is the address, "never mind" in checkout stops
it). The `route_after_<node>` functions pick the next node.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from graph.intents import Intent, OrderType
from graph.nlu.reading import Reading
from graph.state import State

FlowNode = Literal["auth_gate", "menu", "cart", "checkout", "help", "fallback"]
NEEDS_SIGN_IN = frozenset({Intent.CHECKOUT, Intent.ORDER_STATUS, Intent.CANCEL_ORDER})
_DONE = re.compile(
    r"\b(that'?s (all|it|everything)|nothing else|i'?m (done|good)|all set|done|check ?out)\b", re.I
)
# Raw intents an unparsed street address tends to get; at the address step they are the address.
ADDRESS_LIKE = frozenset(
    {Intent.UNKNOWN, Intent.ADD_ITEMS, Intent.CHANGE_ITEM, Intent.PROVIDE_PHONE, Intent.CHECKOUT}
)
_CODE = re.compile(r"^\s*(\d[\s-]?){4,8}\s*$")
# Answers to "pickup, delivery or dine-in?" are often one bare word the understanding, which
# reads messages without the question, has no reason to take as an order type.
_ORDER_TYPES = (
    (OrderType.DINE_IN, re.compile(r"\b(dine[\s-]?in|eat (it )?(here|in)|for here|table)\b", re.I)),
    (OrderType.DELIVERY, re.compile(r"\b(deliver\w*|bring it|send it)\b", re.I)),
    (
        OrderType.PICKUP,
        re.compile(r"\b(pick[\s-]?up|collect\w*|take[\s-]?out|to go|carry[\s-]?out)\b", re.I),
    ),
)
# Stopping a flow in progress: "never mind", "forget it", "cancel that", "stop".
_STOP = re.compile(
    r"\b(never ?mind|forget (it|that|about it)|cancel( that| it| checkout| the checkout)?|"
    r"stop|not now|don'?t bother)\b",
    re.I,
)


_NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six",
    "seven", "eight", "nine", "ten", "eleven", "twelve",
)  # fmt: skip
_NUMBERS = {word: n for n, word in enumerate(_NUMBER_WORDS)}
_NUMBER = re.compile(r"\b(\d{1,2}|" + "|".join(_NUMBERS) + r")\b", re.I)


def quantity_in(reading: Reading) -> int | None:
    """A bare quantity answer ("two please", "yes, 3"): the reading's, else a number said."""
    if reading.quantity:
        return reading.quantity
    found = _NUMBER.search(reading.text)
    if found is None:
        return None
    word = found.group(1).lower()
    number = int(word) if word.isdigit() else _NUMBERS[word]
    return number if 0 < number < 100 else None


def sounds_done(text: str) -> bool:
    """Whether an answer to "anything else?" means "no, that's everything"."""
    return bool(_DONE.search(text))


def is_address_answer(reading: Reading) -> bool:
    """Whether a message at the address step is the address itself (nothing else was read)."""
    return (
        reading.intent in ADDRESS_LIKE
        and not reading.items
        and reading.order_type is None
        and bool(reading.text.strip())
    )


def reread(reading: Reading, state: State) -> Reading:
    """Fill in what only the question asked makes clear (a bare 'delivery' at checkout)."""
    if state.checkout is not None and reading.order_type is None and not reading.items:
        for order_type, pattern in _ORDER_TYPES:
            if pattern.search(reading.text):
                return replace(reading, order_type=order_type)
    return reading


def resolve_intent(reading: Reading, state: State) -> Intent:
    """The intent to handle, given what the last reply asked for."""
    intent = reading.intent
    checkout = state.checkout
    step = checkout["step"] if checkout else None
    said_code = reading.code or _CODE.match(reading.text)
    if (
        state.auth_step == "code"
        and said_code
        and intent in (Intent.UNKNOWN, Intent.PROVIDE_CODE, Intent.PROVIDE_PHONE)
    ):
        return Intent.PROVIDE_CODE
    if (
        state.auth_step == "phone"
        and reading.phone
        and intent in (Intent.UNKNOWN, Intent.PROVIDE_PHONE, Intent.PROVIDE_CODE)
    ):
        return Intent.PROVIDE_PHONE
    in_flow = checkout is not None or state.auth_step is not None
    if in_flow and not reading.items and _STOP.search(reading.text):
        return Intent.DENY
    if checkout is not None:
        if reading.order_type is not None and intent in (
            Intent.UNKNOWN,
            Intent.CHANGE_ITEM,
            Intent.AFFIRM,
            Intent.CHECKOUT,
        ):
            return Intent.CHECKOUT
        if step == "address" and (reading.address or is_address_answer(reading)):
            return Intent.CHECKOUT
        # "cancel" while checking out stops the checkout, it does not cancel a placed order.
        if intent is Intent.CANCEL_ORDER and not reading.order_number:
            return Intent.DENY
    elif reading.order_type is not None and intent is Intent.UNKNOWN:
        return Intent.CHECKOUT
    if state.auth_step is not None and intent is Intent.CANCEL_ORDER and not reading.order_number:
        return Intent.DENY
    # "two please" / "yes, 3" to "would you like one?": take the offer, that many.
    if (
        state.awaiting == "suggestion"
        and state.offer is not None
        and not reading.items
        and intent in (Intent.AFFIRM, Intent.CHANGE_ITEM, Intent.UNKNOWN, Intent.ADD_ITEMS)
        and (intent is Intent.AFFIRM or quantity_in(reading) is not None)
    ):
        return Intent.AFFIRM
    if intent is Intent.AFFIRM and state.awaiting == "anything_else" and sounds_done(reading.text):
        return Intent.CHECKOUT
    # A plain "no" to "anything else?" means done; an unsure one ("no onions") is not.
    if intent is Intent.DENY and state.awaiting == "anything_else" and reading.confidence >= 0.8:
        return Intent.CHECKOUT
    return intent


def route_after_classify_intent(intent: Intent, state: State, *, signed_in: bool) -> FlowNode:
    """The node that handles a turn's intent."""
    awaiting = state.awaiting
    if intent in (Intent.GREET, Intent.HELP, Intent.THANKS, Intent.GOODBYE):
        return "help"
    if intent in (Intent.BROWSE_MENU, Intent.ASK_ITEM):
        return "menu"
    if intent in (
        Intent.ADD_ITEMS,
        Intent.REMOVE_ITEMS,
        Intent.CHANGE_ITEM,
        Intent.VIEW_CART,
        Intent.CLEAR_CART,
    ):
        return "cart"
    if intent in (Intent.PROVIDE_PHONE, Intent.PROVIDE_CODE, Intent.RESEND_CODE):
        return "auth_gate"
    if intent in NEEDS_SIGN_IN:
        return "checkout" if signed_in else "auth_gate"
    if intent is Intent.AFFIRM:
        if awaiting == "suggestion" and state.offer is not None:
            return "cart"
        if awaiting in ("confirm", "order_type", "address") or state.checkout is not None:
            return "checkout"
        if awaiting in ("phone", "code"):
            return "auth_gate"
        if awaiting == "anything_else":
            return "help"
        return "fallback"
    if intent is Intent.DENY:
        if state.checkout is not None:
            return "checkout"
        if state.auth_step is not None or awaiting in ("phone", "code"):
            return "auth_gate"
        return "help"
    return "fallback"


def route_after_cart(state: State) -> Literal["checkout", "auth_gate", "respond"]:
    """After a cart change: go back to the checkout or sign-in step that was in progress."""
    if state.checkout is not None:
        return "checkout"
    if state.auth_step is not None:
        return "auth_gate"
    return "respond"


def route_after_auth_gate(state: State) -> Literal["checkout", "respond"]:
    """After sign-in: replay the flow the gate interrupted."""
    if state.signed_in and Intent(state.intent) in NEEDS_SIGN_IN:
        return "checkout"
    return "respond"


__all__ = [
    "NEEDS_SIGN_IN",
    "resolve_intent",
    "route_after_auth_gate",
    "route_after_cart",
    "route_after_classify_intent",
    "sounds_done",
]
