"""Offline reply wording: varied templates, chosen deterministically per session and turn.

The same session, turn and topic always get the same wording, so tests are stable while two
customers (or two turns) do not read identical sentences.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from decimal import Decimal

from graph.models import ENDED, CartLineRead, OrderRead

# Groups whose single choice reads as an adjective: "a large iced latte", "a thin crust pizza".
BEFORE_GROUPS = ("size", "container", "style", "roast", "crust", "volume", "count", "doneness")
_SYMBOLS = {"USD": "$", "CAD": "$", "AUD": "$", "EUR": "€", "GBP": "£"}


def pick(seed: str, variants: Sequence[str]) -> str:
    """One of the variants, the same one for the same seed."""
    return variants[zlib.crc32(seed.encode()) % len(variants)]


def price(amount: Decimal, currency: str = "USD") -> str:
    """Money as a customer reads it: '$31.50'."""
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{amount:.2f}" if symbol else f"{amount:.2f} {currency}"


def plural(label: str, quantity: int) -> str:
    """A label in the plural when the quantity asks for it."""
    if quantity == 1 or label.endswith("s"):
        return label
    if label.endswith(("x", "ch", "sh")):
        return label + "es"
    if label.endswith("y") and label[-2:-1] not in "aeiou":
        return label[:-1] + "ies"
    return label + "s"


def _count(label: str, quantity: int) -> str:
    if quantity == 1 and label.endswith("s") and not label.endswith("ss"):
        return "an order of " + label  # "an order of garlic knots", not "a garlic knots"
    if quantity == 1:
        return ("an " if label[:1] in "aeiou" else "a ") + label
    return f"{quantity} {plural(label, quantity)}"


def describe_line(line: CartLineRead, *, quantity: int | None = None) -> str:
    """A line in words: '2 large pizzas with pepperoni, extra cheese, no onions'."""
    count = line.quantity if quantity is None else quantity
    said = [c for c in line.choices if not c.default]
    # Single choices of a group (a size, a container) read best before the item name.
    groups: dict[str, int] = {}
    for c in said:
        if not c.exclude:
            groups[c.group] = groups.get(c.group, 0) + 1
    # "a large iced decaf latte": a size once, a style's options however many
    before = [
        c.label.lower()
        for c in said
        if not c.exclude
        and c.group.endswith(BEFORE_GROUPS)
        and (groups[c.group] == 1 or c.group.endswith("style"))
    ]
    after: list[str] = []
    for c in said:
        label = c.label.lower()
        if c.exclude:
            after.append(f"no {label}")
        elif label not in before:
            after.append(f"{c.qualifier} {label}" if c.qualifier else label)
    name = " ".join([*before, line.label.lower()])
    text = _count(name, count)
    if after:
        text += " with " + join(after)
    return text


def join(parts: Iterable[str], last: str = "and") -> str:
    """'a, b and c' (or 'a, b or c')."""
    items = list(parts)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def clock_time(moment: datetime) -> str:
    """'6:40 PM'."""
    return moment.strftime("%I:%M %p").lstrip("0")


def order_summary(order: OrderRead, zone: tzinfo | None = None) -> str:
    """'#1001, pickup, ready around 6:40 PM, $34.02', the time on the restaurant's clock
    (`zone`, its time zone) when known."""
    kind = {"pickup": "pickup", "delivery": "delivery", "dine_in": "dine-in"}[order.type.value]
    status = order.status.value.replace("_", " ")
    if order.status in ENDED:  # a time would read as a promise still standing
        return f"#{order.number} ({kind}, {status}, {price(order.total, order.currency)})"
    when = "arriving" if order.type.value == "delivery" else "ready"
    ready = order.ready_at.astimezone(zone) if zone is not None else order.ready_at
    return (
        f"#{order.number} ({kind}, {status}, {when} around "
        f"{clock_time(ready)}, {price(order.total, order.currency)})"
    )


ADDED = (
    "Added {what} ({total}).",
    "Got it: {what} ({total}).",
    "Done, {what} ({total}) in your cart.",
    "Okay, {what} ({total}) added.",
)
ANYTHING_ELSE = ("Anything else?", "What else can I get you?", "Anything else for you?")
UPDATED = (
    "Done, that's now {what} ({total}).",
    "Updated: {what} ({total}).",
    "Changed it to {what} ({total}).",
)
REMOVED = ("Removed {what}.", "Okay, I took off {what}.", "{What} removed.")
GREETING = (
    "Hi, welcome to {name}! What can I get you today?",
    "Hello and welcome to {name}. What would you like to order?",
    "Hey there! This is {name}. Hungry for anything in particular?",
)
CLARIFY = (
    "Sorry, I didn't catch that. Would you like to order something, see the menu, or check out?",
    "I'm not sure what you mean. Could you say it another way, or tell me what you'd like?",
    "Hmm, I didn't get that. Want to see the menu, add something, or check out?",
)
ASK_ORDER_TYPE = (
    "Is this for pickup, delivery or dine-in?",
    "Will that be pickup, delivery or dine-in?",
)
ASK_ADDRESS = (
    "What's the delivery address?",
    "Where should we deliver it? Please send the street address.",
)
ASK_PHONE = (
    "To {what}, I need to verify your phone number. What's your number?",
    "Let's verify your phone first so I can {what}. What number should I text a code to?",
)
ASK_CODE = (
    "I've texted a code to {phone}. What's the code?",
    "A code is on its way to {phone}. Please type it here.",
)
CONFIRM = (
    "Shall I place the order?",
    "Should I go ahead and place it?",
    "Ready for me to place the order?",
)
PLACED = (
    "Your order {summary} is in. Thank you!",
    "Order placed: {summary}. Thanks!",
    "All set! Order {summary} is with the kitchen.",
)
CHECKOUT_STOPPED = (
    "No problem, I've stopped the checkout. Your cart is still here.",
    "Okay, checkout cancelled; your cart is kept if you change your mind.",
)

__all__ = [
    "BEFORE_GROUPS",
    "clock_time",
    "describe_line",
    "join",
    "order_summary",
    "pick",
    "plural",
    "price",
]
