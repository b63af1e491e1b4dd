"""Cards: the structured parts of a reply (menu items, the cart, an order, a sign-in step).

A card is `{"type": "card", "name": ..., "data": {...}}` with JSON-plain data (money as decimal
strings, times as ISO 8601), so it can be streamed as is and stored in the checkpoint.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from graph.menu import Item, Menu
from graph.models import CartLineRead, CartRead, OrderRead
from graph.pricing import OrderTotals
from graph.state import AuthStep, Card

# item_data by the identity of (menu, item): both are frozen, and a menu card rebuilt every item's
# dict on every "show me the menu" (~3% of an offline turn's CPU under load). The entry holds the
# objects themselves, so their ids cannot be reused while cached.
_ITEMS: OrderedDict[tuple[int, int], tuple[Menu, Item, dict[str, Any]]] = OrderedDict()
_ITEMS_MAX = 4096


def item_data(menu: Menu, item: Item) -> dict[str, Any]:
    """An item as cards and the menu API show it, with its option groups spelled out.

    The dict is shared between calls (cards are JSON-plain and never changed): copy to change it.
    """
    key = (id(menu), id(item))
    hit = _ITEMS.get(key)
    if hit is not None and hit[0] is menu and hit[1] is item:
        return hit[2]
    data = _item_data(menu, item)
    _ITEMS[key] = (menu, item, data)
    if len(_ITEMS) > _ITEMS_MAX:
        _ITEMS.popitem(last=False)
    return data


def _item_data(menu: Menu, item: Item) -> dict[str, Any]:
    return {
        "key": item.key,
        "label": item.label,
        "description": item.description,
        "image": item.image,
        "price": str(item.price),
        "tags": list(item.tags),
        "allergens": list(item.allergens),
        "available": item.available,
        "option_groups": [
            {
                "key": g.key,
                "label": g.label,
                "select": g.select,
                "required": g.required,
                "min": g.min,
                "max": g.max,
                "qualifiers": list(g.qualifiers),
                "excludable": g.excludable,
                "options": [
                    {"key": o.key, "label": o.label, "price": str(o.price), "default": o.default}
                    for o in g.options
                ],
            }
            for g in menu.groups_of(item)
        ],
    }


def menu_card(menu: Menu, items: Iterable[Item], *, title: str | None = None) -> Card:
    """MENU_CARD: items with price, tags, allergens and their option groups."""
    return {
        "type": "card",
        "name": "MENU_CARD",
        "data": {
            "restaurant": menu.restaurant.name,
            "currency": menu.restaurant.currency,
            "title": title,
            "items": [item_data(menu, item) for item in items],
        },
    }


def _line(line: CartLineRead) -> dict[str, Any]:
    return {
        "id": line.id,
        "item": line.item,
        "label": line.label,
        "quantity": line.quantity,
        "choices": [
            {
                "group": c.group,
                "group_label": c.group_label,
                "option": c.option,
                "label": c.label,
                "qualifier": c.qualifier,
                "exclude": c.exclude,
                "price": str(c.price),
                "default": c.default,
            }
            for c in line.choices
        ],
        "unit_price": str(line.unit_price),
        "line_total": str(line.line_total),
    }


def cart_card(
    cart: CartRead, *, totals: OrderTotals | None = None, order_type: str | None = None
) -> Card:
    """CART_CARD: the lines with their choices and prices, the subtotal and the total."""
    data: dict[str, Any] = {
        "lines": [_line(line) for line in cart.lines],
        "subtotal": str(cart.subtotal),
        "total": str(totals.total if totals else cart.total),
        "currency": cart.currency,
    }
    if totals is not None:
        data.update(
            order_type=order_type,
            delivery_fee=str(totals.delivery_fee),
            tax=str(totals.tax),
        )
    return {"type": "card", "name": "CART_CARD", "data": data}


def order_card(order: OrderRead) -> Card:
    """ORDER_DATA: number, type, status, lines, totals and the estimated ready time."""
    return {
        "type": "card",
        "name": "ORDER_DATA",
        "data": {
            "number": order.number,
            "type": order.type.value,
            "status": order.status.value,
            "address": order.address,
            "lines": [_line(line) for line in order.lines],
            "subtotal": str(order.subtotal),
            "delivery_fee": str(order.delivery_fee),
            "tax": str(order.tax),
            "total": str(order.total),
            "currency": order.currency,
            "placed_at": order.placed_at.isoformat(),
            "estimated_ready_at": order.ready_at.isoformat(),
        },
    }


def mask_phone(phone: str | None) -> str | None:
    """A phone with all but the last four digits hidden: '+1•••••••4567'."""
    if not phone:
        return None
    keep = 2 if phone.startswith("+1") else 1
    return phone[:keep] + "•" * max(len(phone) - keep - 4, 0) + phone[-4:]


def auth_card(step: AuthStep, *, phone: str | None = None, resend_after: int | None = None) -> Card:
    """AUTH_REQUIRED: which sign-in step the customer is at."""
    return {
        "type": "card",
        "name": "AUTH_REQUIRED",
        "data": {"step": step, "phone": mask_phone(phone), "resend_after": resend_after},
    }


__all__ = ["auth_card", "cart_card", "item_data", "mask_phone", "menu_card", "order_card"]
