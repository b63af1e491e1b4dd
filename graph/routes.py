"""Where a turn goes: tables from intents to nodes, and pure functions of the reading and state.

`resolve_intent` reads a message against what the assistant asked last (a bare "yes" confirms
the order, an unparsed line at the address step is the address, "never mind" in checkout stops
it). `route` looks the intent up in `ROUTES` (or, for a yes or a no, in `ANSWERS` by what was
asked), sending requests that need a verified phone through `sign_in` first. The
`route_after_<node>` functions pick the node after a flow.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from graph.intents import Intent, OrderType
from graph.nlu.reading import Reading
from graph.nlu.words import MEASURES, NUMBER_WORDS
from graph.state import Awaiting, State

Node = Literal[
    "sign_in",
    "show_menu",
    "answer_question",
    "answer_restaurant",
    "add_items",
    "edit_cart",
    "show_cart",
    "clear_cart",
    "check_out",
    "track_order",
    "cancel_order",
    "chat",
    "clarify",
]
NODES: tuple[Node, ...] = Node.__args__  # type: ignore[attr-defined]

# Every intent's flow. A new intent adds a row here and one in `graph.nlu.intent.RULES`.
ROUTES: dict[Intent, Node] = {
    Intent.GREET: "chat",
    Intent.HELP: "chat",
    Intent.THANKS: "chat",
    Intent.GOODBYE: "chat",
    Intent.WAIT: "chat",
    Intent.PARTY: "chat",
    Intent.AFFIRM: "chat",
    Intent.DENY: "chat",
    Intent.BROWSE_MENU: "show_menu",
    Intent.ASK_ITEM: "answer_question",
    Intent.ASK_RESTAURANT: "answer_restaurant",
    Intent.ADD_ITEMS: "add_items",
    Intent.CHANGE_ITEM: "edit_cart",
    Intent.REMOVE_ITEMS: "edit_cart",
    Intent.REPEAT_ITEMS: "edit_cart",
    Intent.VIEW_CART: "show_cart",
    Intent.CLEAR_CART: "clear_cart",
    Intent.CHECKOUT: "check_out",
    Intent.ORDER_STATUS: "track_order",
    Intent.CANCEL_ORDER: "cancel_order",
    Intent.PROVIDE_PHONE: "sign_in",
    Intent.PROVIDE_CODE: "sign_in",
    Intent.RESEND_CODE: "sign_in",
    Intent.UNKNOWN: "clarify",
}
# A yes or a no goes to the flow that asked: (after yes, after no).
ANSWERS: dict[Awaiting, tuple[Node, Node]] = {
    "suggestion": ("add_items", "chat"),
    "option": ("edit_cart", "chat"),
    "order_type": ("check_out", "check_out"),
    "address": ("check_out", "check_out"),
    "confirm": ("check_out", "check_out"),
    "phone": ("sign_in", "sign_in"),
    "code": ("sign_in", "sign_in"),
    "which_line": ("edit_cart", "chat"),
    "confirm_clear": ("clear_cart", "clear_cart"),
    "confirm_cancel": ("cancel_order", "cancel_order"),
    "head_count": ("chat", "chat"),  # a number is the answer (`understand`)
}
# Only these need a verified phone; questions about delivery or the menu never do.
NEEDS_SIGN_IN = frozenset({Intent.CHECKOUT, Intent.ORDER_STATUS, Intent.CANCEL_ORDER})

_DONE = re.compile(
    r"\b(that'?s (all|it|everything)|that is (all|it|everything)|"
    r"that(?:'?ll| will) (?:be (?:all|it|everything)|do)|that should do it|nothing else|"
    r"i'?m (done|good)|all set|done|check ?out)\b",
    re.I,
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
# "I'll get that", "ok one of those", "sure, I'll have it": taking what was offered.
_YES_FIRST = re.compile(r"^\W*(?:yes|yeah|yep|yup|sure|please)\b", re.I)
_TAKE_IT = re.compile(
    r"\b(?:i'?ll|i will|i'?d|let me|can i|could i|i want|gimme|give me|get me)\s+(?:take|have|get|"
    r"do|try|like)?\s*(?:that|it|one|those|them|this)\b|^(?:ok |okay |sure |yes |great |alright )*"
    r"(?:one|two|\d+) of (?:those|them|these|that|each)\b|\b(?:sounds good|perfect|lets do it)\b|"
    r"\badd (?:that|it|one|those|them)\b|\b(?:one|two|three|\d+) of (?:those|them|these)\b",
    re.I,
)
_OF_THOSE = re.compile(
    r"\b(\w+) of (?:those|them|these|that|each|the (?:\w+ )?ones?|"
    r"the (?:cheaper|cheapest|bigger) \w+)\b",
    re.I,
)
# "the cheaper one", "whichever size is cheaper", "whichever one's pricier", "cheaper of the
# two then", "whichever costs less", "the one that costs more"
_BY_PRICE = re.compile(
    r"(?:\b(?:the|whichever(?: one| size| kind)?(?:['’]?s| is)?|"
    r"the one (?:that|which)(?:['’]?s| is)) |"
    r"^\W*(?:(?:ok|okay|k|so|fine|alright|um+|hm+|then)[\s,]+)*)"
    r"(?:(more expensive|pricier|priciest|dearer)|cheaper|cheapest|less expensive)\b|"
    r"\b(?:whichever(?: one)?|the one (?:that|which)) costs? (?:(more)|less)\b",
    re.I,
)
_AND_WHAT = re.compile(
    r"^\s*(?:(?:ok|okay|so|hmm+|um+|oh)[\s,]+)*(?:and|or|also|what about|how about)\b", re.I
)
_WHAT_ABOUT = re.compile(r"^\s*(?:(?:ok|okay|so|hm+|um+|oh)[\s,]+)*what about\b", re.I)
# "and garlic fries", "and the latte", "what about onion rings", "vitamin water?": a dish
# alone, no count or article, asked the way the one before was
_A_DISH_ALONE = re.compile(
    r"^\s*(?:(?:ok|okay|so|hmm+|um+|oh)[\s,]+)*(?:"
    r"(?:and|or|what about|how about)\s+(?!(?:a|an|one|two|three|some|another|\d+)\b)"
    r"[a-z' -]+[.!?]*|(?:the\s+)?[a-z' -]+\?)\s*$",
    re.I,
)


def _bare_dish(reading: Reading) -> bool:
    """Whether a message names one dish and nothing more."""
    return (
        len(reading.items) == 1
        and not reading.items[0].inferred
        and not reading.items[0].choices
        and not reading.items[0].quantity_said
        and not reading.choices
    )


_HOW_LONG = re.compile(r"\b(how long|how soon|when will)\b", re.I)

_NUMBERS = {"zero": 0, **{word: n for word, n in NUMBER_WORDS.items() if n <= 12}}
_NUMBER = re.compile(r"\b(\d{1,2}|" + "|".join(_NUMBERS) + r")\b", re.I)


def _word_after(text: str, at: int) -> str:
    after = re.match(r"\s*([a-z]+)", text[at:].lower())
    return after.group(1) if after is not None else ""


def quantity_in(reading: Reading) -> int | None:
    """A bare quantity answer ("two please", "yes, 3"): the reading's, else a number said."""
    if reading.quantity:
        return reading.quantity
    # (not a number a measure follows: "the 2 liter please", "the 20 oz one")
    found = next(
        (
            n
            for n in _NUMBER.finditer(reading.text)
            if _word_after(reading.text, n.end()) not in MEASURES
        ),
        None,
    )
    if found is None:
        return None
    word = found.group(1).lower()
    number = int(word) if word.isdigit() else _NUMBERS[word]
    return number if 0 < number < 100 else None


def takes_offer(text: str) -> bool:
    """Whether a message takes what was offered ("I'll get that", "two of those", "add that")."""
    return bool(_TAKE_IT.search(text))


def by_price(text: str) -> bool | None:
    """Whether a message picks the dearer (True) or the cheaper (False) of what was asked about
    ("the cheaper one", "whichever size is pricier"), or picks by no price (None)."""
    found = _BY_PRICE.search(text)
    return None if found is None else found.group(1) is not None or found.group(2) is not None


def of_those(text: str) -> int | None:
    """How many of what was offered a message takes ("two of those"), if it says."""
    found = _OF_THOSE.search(text)
    if found is None:
        return None
    word = found.group(1).lower()
    return int(word) if word.isdigit() else _NUMBERS.get(word)


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


def resolve_intent(reading: Reading, state: State, *, signed_in: bool = False) -> Intent:
    """The intent to handle, given what the last reply asked for."""
    intent = reading.intent
    checkout = state.checkout
    step = checkout.step if checkout else None
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
    if (
        intent is Intent.CANCEL_ORDER
        and not signed_in
        and state.last_order is None
        and reading.order_number is None
        and state.dialogue.mentioned
    ):
        # "cancel everything" with dishes in the cart and no order placed: the cart is meant
        # (emptying it asks first)
        return Intent.CLEAR_CART
    if (
        intent is Intent.ORDER_STATUS
        and not signed_in
        and state.last_order is None
        and reading.order_number is None
        and _HOW_LONG.search(reading.text)
    ):
        # "how long will it take?" before any order: how long the kitchen takes
        return Intent.ASK_RESTAURANT
    if (
        state.awaiting == "suggestion"
        and intent is Intent.AFFIRM
        and sounds_done(reading.text)
        and not _YES_FIRST.match(reading.text)
        and not _TAKE_IT.search(reading.text)
    ):
        # "ok thx thats it" after "would you like one?": the customer is done, not taking it
        return Intent.CHECKOUT
    # "two please" / "yes, 3" to "would you like one?": take the offer, that many.
    if (
        state.awaiting == "suggestion"
        and state.dialogue.offer is not None
        and not reading.items
        and intent
        in (
            Intent.AFFIRM,
            Intent.CHANGE_ITEM,
            Intent.UNKNOWN,
            Intent.ADD_ITEMS,
            Intent.REPEAT_ITEMS,
        )
        and (
            intent is Intent.AFFIRM
            or _TAKE_IT.search(reading.text)
            or (len(reading.text.split()) <= 4 and quantity_in(reading) is not None)
            # "i'll get whichever is cheaper" of the dishes asked about
            or (len(state.dialogue.asked_about) > 1 and by_price(reading.text) is not None)
        )
    ):
        return Intent.AFFIRM
    if (
        state.awaiting == "suggestion"
        and intent in (Intent.ADD_ITEMS, Intent.CHANGE_ITEM)  # "and the curly fries?"
        and (
            (
                (
                    (reading.text.rstrip().endswith("?") and _AND_WHAT.match(reading.text))
                    or (state.intent is Intent.ASK_ITEM and _A_DISH_ALONE.match(reading.text))
                )
                and (reading.text.rstrip().endswith("?") or _bare_dish(reading))
            )
            # "hm what about a large diet coke" after a large iced tea's price: asked the same
            or (state.intent is Intent.ASK_ITEM and _WHAT_ABOUT.match(reading.text))
        )
    ):
        # "how much is a small espresso?" ... "and a cappuccino?"; "how much are sweet potato
        # fries" ... "and garlic fries", "vitamin water?": the same question of another dish
        return Intent.ASK_ITEM
    if intent is Intent.AFFIRM and state.awaiting == "anything_else" and sounds_done(reading.text):
        return Intent.CHECKOUT
    # A plain "no" to "anything else?" means done; an unsure one ("no onions") is not.
    if intent is Intent.DENY and state.awaiting == "anything_else" and reading.confidence >= 0.8:
        return Intent.CHECKOUT
    return intent


def route(intent: Intent, state: State, *, signed_in: bool) -> Node:
    """The node that handles a turn's intent."""
    if intent in (Intent.AFFIRM, Intent.DENY):
        answer = _answer(intent, state)
        if answer is not None:
            return answer
    node = ROUTES[intent]
    if intent in NEEDS_SIGN_IN and not signed_in:
        return "sign_in"
    return node


def _answer(intent: Intent, state: State) -> Node | None:
    """Where a yes or a no goes: the flow that asked, or the flow in progress."""
    awaiting = state.awaiting
    if awaiting == "suggestion" and state.dialogue.offer is None:
        awaiting = None
    if awaiting in ANSWERS:
        yes, no = ANSWERS[awaiting]
        return yes if intent is Intent.AFFIRM else no
    if state.checkout is not None:
        return "check_out"
    if state.auth_step is not None:
        return "sign_in"
    if intent is Intent.AFFIRM and awaiting != "anything_else":
        return "clarify"  # a "yes" to nothing asked
    return None


def route_after_cart(state: State) -> Literal["understand", "check_out", "respond"]:
    """After a cart change: the message's next request, if it made more than one; then back to
    the checkout in progress, so its summary is up to date."""
    if state.rest:
        return "understand"
    return "check_out" if state.checkout is not None else "respond"


def route_after_answer(state: State) -> Literal["understand", "respond"]:
    """After a question is answered: the message's next request ("is there a lunch size? If
    so, a lunch size pizza with basil"), if it made more than one."""
    return "understand" if state.rest else "respond"


def route_after_sign_in(
    state: State,
) -> Literal["check_out", "track_order", "cancel_order", "respond"]:
    """After sign-in: carry out the request the sign-in interrupted."""
    if state.signed_in and state.intent in NEEDS_SIGN_IN:
        node = ROUTES[state.intent]
        if node in ("check_out", "track_order", "cancel_order"):
            return node
    return "respond"


__all__ = [
    "ANSWERS",
    "NEEDS_SIGN_IN",
    "NODES",
    "ROUTES",
    "Node",
    "of_those",
    "quantity_in",
    "reread",
    "resolve_intent",
    "route",
    "route_after_answer",
    "route_after_cart",
    "route_after_sign_in",
    "sounds_done",
    "takes_offer",
]
