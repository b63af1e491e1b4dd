"""The graph's state: the conversation plus where each flow stands.

Every field holds plain JSON-like values (str, int, dict, list) or LangChain messages, so the
checkpoint serialiser never needs to revive a custom class. An assistant reply is one `AIMessage`
per turn carrying its cards in `additional_kwargs["cards"]`, so the service rebuilds the history,
cards included, from the checkpoint alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Literal, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

from graph.intents import Intent, OrderType
from graph.nlu.reading import Choice, OrderLine, Reading

AuthStep = Literal["phone", "code"]
CheckoutStep = Literal["order_type", "address", "confirm"]
# What the last reply asked, so "yes", "no" or a bare answer is read against it.
Awaiting = Literal[
    "anything_else", "suggestion", "order_type", "address", "confirm", "phone", "code", "clarify"
]


class Checkout(TypedDict):
    """Checkout progress."""

    step: CheckoutStep
    order_type: str | None  # an OrderType value
    address: str | None
    key: str  # idempotency key of this checkout: a retried "yes" places one order


class Pending(TypedDict):
    """A flow the auth gate interrupted, replayed once the phone is verified."""

    intent: str
    reading: dict[str, Any]


class Offer(TypedDict):
    """An item suggested for a word the menu did not know; "yes" adds it."""

    item: str
    quantity: int
    choices: list[dict[str, Any]]


class Card(TypedDict):
    """A structured part of a reply the UI renders."""

    type: Literal["card"]
    name: Literal["MENU_CARD", "CART_CARD", "ORDER_DATA", "AUTH_REQUIRED"]
    data: dict[str, Any]


@dataclass(kw_only=True)
class TurnInput:
    """What a turn starts from: the customer's message."""

    text: str


@dataclass(kw_only=True)
class State:
    """Conversation and flow state, checkpointed per thread (= chat session)."""

    messages: Annotated[list[AnyMessage], add_messages] = field(default_factory=list)
    text: str = ""  # this turn's message
    turn: int = 0  # turns so far, seeds the choice of reply wording
    intent: str = Intent.UNKNOWN.value  # what this turn is handled as
    reading: dict[str, Any] = field(default_factory=dict)  # `dump_reading` of this turn
    signed_in: bool = False
    auth_step: AuthStep | None = None
    phone: str | None = None  # E.164 of the sign-in in progress
    pending: Pending | None = None
    checkout: Checkout | None = None
    awaiting: Awaiting | None = None
    last_line_id: str | None = None  # the cart line "make that large" refers to
    offer: Offer | None = None
    last_order: str | None = None  # number of the order placed or shown last
    say: list[str] = field(default_factory=list)  # this turn's reply so far, one part a node
    cards: list[Card] = field(default_factory=list)  # this turn's cards so far


def dump_reading(reading: Reading) -> dict[str, Any]:
    """A `Reading` as plain values for the state."""

    def choices(items: tuple[Choice, ...]) -> list[dict[str, Any]]:
        return [
            {"group": c.group, "option": c.option, "qualifier": c.qualifier, "exclude": c.exclude}
            for c in items
        ]

    return {
        "text": reading.text,
        "intent": reading.intent.value,
        "items": [
            {
                "item": line.item,
                "quantity": line.quantity,
                "quantity_said": line.quantity_said,
                "choices": choices(line.choices),
            }
            for line in reading.items
        ],
        "confidence": reading.confidence,
        "refers_to_last": reading.refers_to_last,
        "quantity": reading.quantity,
        "choices": choices(reading.choices),
        "phone": reading.phone,
        "code": reading.code,
        "order_type": reading.order_type.value if reading.order_type else None,
        "address": reading.address,
        "order_number": reading.order_number,
        "query": reading.query,
        "tags": list(reading.tags),
        "max_price": str(reading.max_price) if reading.max_price is not None else None,
        "exclude_allergens": list(reading.exclude_allergens),
        "unknown": list(reading.unknown),
    }


def load_reading(data: dict[str, Any]) -> Reading:
    """The `Reading` back from `dump_reading`'s form."""
    if not data:
        return Reading(text="", intent=Intent.UNKNOWN, confidence=0.0)

    def choices(items: list[dict[str, Any]]) -> tuple[Choice, ...]:
        return tuple(
            Choice(
                group=c["group"],
                option=c["option"],
                qualifier=c.get("qualifier"),
                exclude=bool(c.get("exclude")),
            )
            for c in items
        )

    return Reading(
        text=data.get("text", ""),
        intent=Intent(data.get("intent", Intent.UNKNOWN.value)),
        items=tuple(
            OrderLine(
                item=line["item"],
                quantity=int(line.get("quantity", 1)),
                choices=choices(line.get("choices", [])),
                quantity_said=bool(line.get("quantity_said")),
            )
            for line in data.get("items", [])
        ),
        confidence=float(data.get("confidence", 1.0)),
        refers_to_last=bool(data.get("refers_to_last")),
        quantity=data.get("quantity"),
        choices=choices(data.get("choices", [])),
        phone=data.get("phone"),
        code=data.get("code"),
        order_type=OrderType(data["order_type"]) if data.get("order_type") else None,
        address=data.get("address"),
        order_number=data.get("order_number"),
        query=data.get("query"),
        tags=tuple(data.get("tags", [])),
        max_price=Decimal(data["max_price"]) if data.get("max_price") else None,
        exclude_allergens=tuple(data.get("exclude_allergens", [])),
        unknown=tuple(data.get("unknown", [])),
    )


__all__ = [
    "AuthStep",
    "Awaiting",
    "Card",
    "Checkout",
    "CheckoutStep",
    "Offer",
    "Pending",
    "State",
    "TurnInput",
    "dump_reading",
    "load_reading",
]
