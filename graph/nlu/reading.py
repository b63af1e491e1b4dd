"""What the offline understanding read in one message: the contract between graph.nlu and nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from graph.intents import Intent, OrderType

Qualifier = Literal["light", "extra"]


@dataclass(frozen=True, slots=True)
class Choice:
    """One option said for an order line: `group`/`option` are menu keys."""

    group: str
    option: str
    qualifier: Qualifier | None = None
    exclude: bool = False

    def to_json(self) -> dict[str, Any]:
        """The `restaurant parse` form: qualifier and exclude only when said."""
        out: dict[str, Any] = {"group": self.group, "option": self.option}
        if self.qualifier:
            out["qualifier"] = self.qualifier
        if self.exclude:
            out["exclude"] = True
        return out


@dataclass(frozen=True, slots=True)
class OrderLine:
    """One item the message names, with what was said about it (no defaults filled in)."""

    item: str
    quantity: int = 1
    choices: tuple[Choice, ...] = ()
    quantity_said: bool = False  # "pizza" vs "one pizza": matters for "actually 3 of them"

    def to_json(self) -> dict[str, Any]:
        """The `restaurant parse` form of a line."""
        return {
            "item": self.item,
            "quantity": self.quantity,
            "choices": [c.to_json() for c in self.choices],
        }


@dataclass(frozen=True, slots=True)
class Reading:
    """Everything the offline understanding got from one message.

    `items` are the lines ordered (add_items) or referred to (remove_items, change_item,
    ask_item). For change_item, `refers_to_last` is true when the message points back ("make
    that large", "actually 3 of them"); then `quantity`/`choices` hold the new values.
    `confidence` is 0..1: below the configured threshold the LLM (when there is one) decides.
    """

    text: str
    intent: Intent
    items: tuple[OrderLine, ...] = ()
    confidence: float = 1.0
    refers_to_last: bool = False
    quantity: int | None = None  # a new quantity without an item ("actually 3 of them")
    choices: tuple[Choice, ...] = ()  # choices without an item ("make that large")
    phone: str | None = None  # digits as said, normalised later by the identity service
    code: str | None = None  # a one-time code
    order_type: OrderType | None = None
    address: str | None = None
    order_number: str | None = None
    query: str | None = None  # free text for menu search ("something spicy")
    tags: tuple[str, ...] = ()  # dietary tags asked for ("vegetarian", "spicy")
    max_price: Decimal | None = None  # "under $12"
    exclude_allergens: tuple[str, ...] = ()  # "without nuts", "dairy free"
    unknown: tuple[str, ...] = ()  # words that looked like an item but matched nothing
    extras: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The `restaurant parse` output: `items` only for add_items."""
        items = [line.to_json() for line in self.items] if self.intent is Intent.ADD_ITEMS else []
        return {"text": self.text, "intent": self.intent.value, "items": items}
