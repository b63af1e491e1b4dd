"""`read`: one message against one menu's lexicon, to a `Reading`.

Pure and synchronous: the lexicon is only read (its typo cache only grows), so one lexicon can
serve every thread.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from graph.intents import Intent
from graph.nlu.grammar import parse_order
from graph.nlu.intent import (
    address_in,
    allergens_in,
    classify,
    max_price_in,
    order_type_in,
    tags_in,
)
from graph.nlu.lexicon import Lexicon
from graph.nlu.reading import Reading
from graph.nlu.text import tokenize
from graph.nlu.words import COMMON_WORDS, GRAMMAR

# Words a menu question is about ("vegan", "drinks"), kept in its search text.
_QUERY_KEEP = frozenset(
    [
        "spicy",
        "vegetarian",
        "vegan",
        "halal",
        "healthy",
        "cheap",
        "hot",
        "cold",
        "sweet",
        "gluten",
        "dairy",
        "nut",
        "nuts",
        "drink",
        "drinks",
        "food",
        "lunch",
        "breakfast",
        "popular",
        "new",
        "special",
        "specials",
    ]
)
# Words of a menu question that are not what is being looked for.
_QUERY_STOP = (
    frozenset({t for p in GRAMMAR for t in p} | COMMON_WORDS)
    | frozenset(
        [
            "menu",
            "anything",
            "something",
            "options",
            "whats",
            "got",
            "sell",
            "serve",
            "offer",
            "under",
            "below",
            "dollars",
            "bucks",
            "cheaper",
            "than",
            "free",
            "kind",
            "kinds",
            "sort",
            "type",
            "types",
            "choices",
            "available",
            "list",
            "show",
            "recommend",
            "suggest",
            "carry",
        ]
    )
) - _QUERY_KEEP


_MODIFIER_START = re.compile(r"^(?:with|no|without|extra|light|hold|add|easy|less|more)\b")
_FROM_ITEM = re.compile(r"\b(?:from|off|off of|on) (?:the|my|that|this|those|both) \w+")


def _query(lexicon: Lexicon, tokens: list[str]) -> str | None:
    words = [t for t in tokens if t.isalpha() and t not in _QUERY_STOP and len(t) > 1]
    return " ".join(words) or None


def read(lexicon: Lexicon, text: str) -> Reading:
    """What a message means against a menu: intent, order lines and the details asked for."""
    tokens = tokenize(text)
    order = parse_order(lexicon, tokens)
    norm = " ".join(tokens)
    named_items = bool(order.lines) and not order.inferred
    guess = classify(
        norm,
        text,
        has_items=bool(order.lines),
        named_items=named_items,
        has_options=bool(order.loose_choices),
        has_quantity=order.loose_quantity is not None,
        unknown_words=len(order.unknown),
        content_words=order.menu_spans + len(order.unknown),
        bare_options=(order.inferred or not order.lines)
        and not order.counted
        and (len(order.loose_choices) == 1 or _MODIFIER_START.match(norm) is not None),
    )
    intent = guess.intent
    fields: dict[str, Any] = {}
    details = guess.details
    lines = tuple(order.lines)
    if (
        intent is Intent.REMOVE_ITEMS
        and any(line.choices for line in lines)
        and _FROM_ITEM.search(norm)
    ):
        # "take the onions off the burger": options removed from an item, not the item
        intent = Intent.CHANGE_ITEM
        lines = tuple(
            replace(
                line, choices=tuple(replace(c, exclude=True, qualifier=None) for c in line.choices)
            )
            for line in lines
        )
    elif intent is Intent.REMOVE_ITEMS:
        # "remove the large fries": the "remove" is not a "no" on the size
        lines = tuple(
            replace(line, choices=tuple(replace(c, exclude=False) for c in line.choices))
            for line in lines
        )
    if intent in (Intent.ADD_ITEMS, Intent.REMOVE_ITEMS, Intent.ASK_ITEM):
        fields["items"] = lines
        fields["refers_to_last"] = bool(details.get("refers_to_last", False))
        if fields["refers_to_last"] and not order.lines:
            # "another one", "remove two of them": how many of the last line
            fields["quantity"] = order.loose_quantity
    elif intent is Intent.CHANGE_ITEM:
        if named_items and not details.get("refers_to_last"):
            fields["items"] = lines
        else:
            fields["refers_to_last"] = True
            fields["items"] = tuple(order.lines) if named_items else ()
            fields["choices"] = tuple(order.loose_choices)
            quantity = order.loose_quantity
            if quantity is None and len(order.lines) == 1 and order.lines[0].quantity_said:
                quantity = order.lines[0].quantity
            fields["quantity"] = quantity
    elif intent is Intent.BROWSE_MENU:
        fields["tags"] = tags_in(norm)
        fields["max_price"] = max_price_in(text)
        fields["exclude_allergens"] = allergens_in(norm)
        fields["query"] = _query(lexicon, tokens)
        fields["items"] = tuple(order.lines)
    elif intent is Intent.PROVIDE_PHONE:
        fields["phone"] = details.get("phone")
    elif intent is Intent.PROVIDE_CODE:
        fields["code"] = details.get("code")
    elif intent in (Intent.ORDER_STATUS, Intent.CANCEL_ORDER):
        fields["order_number"] = details.get("order_number")
    if intent in (Intent.CHECKOUT, Intent.ADD_ITEMS):
        fields["order_type"] = order_type_in(norm)
        fields["address"] = address_in(text, bare=intent is Intent.CHECKOUT)
    looks_for_dish = intent in (
        Intent.ADD_ITEMS,
        Intent.ASK_ITEM,
        Intent.BROWSE_MENU,
        Intent.REMOVE_ITEMS,
        Intent.CHANGE_ITEM,
    )
    return Reading(
        text=text,
        intent=intent,
        confidence=guess.confidence,
        unknown=tuple(order.unknown) if looks_for_dish else (),
        **fields,
    )
