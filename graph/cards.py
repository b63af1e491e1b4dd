"""Cards: the structured parts of a reply (menu items, the cart, an order, a sign-in step).

A card is `{"type": "card", "name": ..., "data": {...}}` with JSON-plain data (money as decimal
strings, times as ISO 8601), so it is streamed as is (an AG-UI CUSTOM event named after the card,
its data the value) and stored in the checkpoint.

The TypedDicts below are the one definition of every card: the AG-UI mapping takes the names from
`Card`, and `restaurant.agui.schema` turns them, through pydantic, into the JSON Schema that the
frontend's TypeScript types are generated from (`npm run wire` in `frontend/`). They are
TypedDicts rather than `BaseModel`s because a card is built on every turn and kept as the plain
dict it is sent as: mypy checks each builder against its shape, and no turn pays for a model's
validation or dump (the tests validate what the builders make against the same shapes).

A new card: its data and envelope TypedDicts here, a member of `Card`, a builder, and a component
in `frontend/src/cards/` that registers itself with `cardView("NAME", Component)`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal, NotRequired, get_args, get_type_hints

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict  # pydantic reads TypedDicts from here on Python < 3.12

from graph.menu import Item, Menu, Qualifier, Select
from graph.models import CartLineRead, CartRead, OrderRead
from graph.pricing import OrderTotals

AuthStep = Literal["phone", "code"]
_SHAPE = ConfigDict(extra="forbid")  # no other field: the TypeScript types get no catch-all key


@with_config(_SHAPE)
class MenuOption(TypedDict):
    """An option of a group, with what it adds to the item's price (sold out: not available)."""

    key: str
    label: str
    price: str
    default: bool
    available: bool


@with_config(_SHAPE)
class MenuOptionGroup(TypedDict):
    """An item's option group: one or many of its options, and how much of each."""

    key: str
    label: str
    select: Select
    required: bool
    min: int | None
    max: int | None
    qualifiers: list[Qualifier]
    excludable: bool
    options: list[MenuOption]


@with_config(_SHAPE)
class MenuItem(TypedDict):
    """An item as cards and the menu API show it, with its option groups spelled out."""

    key: str
    label: str
    description: str
    image: str | None
    price: str
    tags: list[str]
    allergens: list[str]
    available: bool
    option_groups: list[MenuOptionGroup]
    category: NotRequired[str]  # the menu API's items say it; a card's do not


@with_config(_SHAPE)
class MenuCardData(TypedDict):
    """MENU_CARD: items with price, tags, allergens and their option groups."""

    restaurant: str
    currency: str
    title: str | None
    items: list[MenuItem]


@with_config(_SHAPE)
class LineChoice(TypedDict):
    """An option on a cart or order line."""

    group: str
    group_label: str
    option: str
    label: str
    qualifier: Qualifier | None
    exclude: bool
    price: str
    default: bool


@with_config(_SHAPE)
class CartLine(TypedDict):
    """A line of a cart or an order, priced."""

    id: str
    item: str
    label: str
    quantity: int
    choices: list[LineChoice]
    unit_price: str
    line_total: str


@with_config(_SHAPE)
class CartCardData(TypedDict):
    """CART_CARD: the lines, the subtotal and the total (at checkout, with the fee and tax)."""

    lines: list[CartLine]
    subtotal: str
    total: str
    currency: str
    order_type: NotRequired[str | None]
    delivery_fee: NotRequired[str]
    tax: NotRequired[str]


@with_config(_SHAPE)
class OrderCardData(TypedDict):
    """ORDER_DATA: number, type, status, lines, totals and the estimated ready time."""

    number: str
    type: str
    status: str
    address: str | None
    lines: list[CartLine]
    subtotal: str
    delivery_fee: str
    tax: str
    total: str
    currency: str
    placed_at: str
    estimated_ready_at: str


@with_config(_SHAPE)
class AuthCardData(TypedDict):
    """AUTH_REQUIRED: which sign-in step the customer is at."""

    step: AuthStep
    phone: str | None  # masked
    resend_after: int | None  # seconds until another code may be sent


class MenuCard(TypedDict):
    """A MENU_CARD as the graph streams and stores it."""

    type: Literal["card"]
    name: Literal["MENU_CARD"]
    data: MenuCardData


class CartCard(TypedDict):
    """A CART_CARD as the graph streams and stores it."""

    type: Literal["card"]
    name: Literal["CART_CARD"]
    data: CartCardData


class OrderCard(TypedDict):
    """An ORDER_DATA card as the graph streams and stores it."""

    type: Literal["card"]
    name: Literal["ORDER_DATA"]
    data: OrderCardData


class AuthCard(TypedDict):
    """An AUTH_REQUIRED card as the graph streams and stores it."""

    type: Literal["card"]
    name: Literal["AUTH_REQUIRED"]
    data: AuthCardData


# Every card there is: the one list of them.
Card = MenuCard | CartCard | OrderCard | AuthCard


def _data_by_name() -> dict[str, type[Any]]:
    found: dict[str, type[Any]] = {}
    for card in get_args(Card):
        hints = get_type_hints(card)
        (name,) = get_args(hints["name"])
        found[name] = hints["data"]
    return found


# Each card's data shape by the card's name, in `Card`'s order.
CARD_DATA: Mapping[str, type[Any]] = MappingProxyType(_data_by_name())
CARD_NAMES = frozenset(CARD_DATA)

# item_data by the identity of (menu, item): both are frozen, and a menu card rebuilt every item's
# dict on every "show me the menu" (~3% of an offline turn's CPU under load). The entry holds the
# objects themselves, so their ids cannot be reused while cached.
_ITEMS: OrderedDict[tuple[int, int], tuple[Menu, Item, MenuItem]] = OrderedDict()
_ITEMS_MAX = 4096


def item_data(menu: Menu, item: Item) -> MenuItem:
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


def _item_data(menu: Menu, item: Item) -> MenuItem:
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
                    {
                        "key": o.key,
                        "label": o.label,
                        "price": str(o.price),
                        "default": o.default,
                        "available": o.available,
                    }
                    for o in g.options
                ],
            }
            for g in menu.groups_of(item)
        ],
    }


def menu_card(menu: Menu, items: Iterable[Item], *, title: str | None = None) -> MenuCard:
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


def _line(line: CartLineRead) -> CartLine:
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
) -> CartCard:
    """CART_CARD: the lines with their choices and prices, the subtotal and the total."""
    data: CartCardData = {
        "lines": [_line(line) for line in cart.lines],
        "subtotal": str(cart.subtotal),
        "total": str(totals.total if totals else cart.total),
        "currency": cart.currency,
    }
    if totals is not None:
        data["order_type"] = order_type
        data["delivery_fee"] = str(totals.delivery_fee)
        data["tax"] = str(totals.tax)
    return {"type": "card", "name": "CART_CARD", "data": data}


def order_card(order: OrderRead) -> OrderCard:
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


def auth_card(
    step: AuthStep, *, phone: str | None = None, resend_after: int | None = None
) -> AuthCard:
    """AUTH_REQUIRED: which sign-in step the customer is at."""
    return {
        "type": "card",
        "name": "AUTH_REQUIRED",
        "data": {"step": step, "phone": mask_phone(phone), "resend_after": resend_after},
    }


__all__ = [
    "CARD_DATA",
    "CARD_NAMES",
    "AuthCard",
    "AuthCardData",
    "AuthStep",
    "Card",
    "CartCard",
    "CartCardData",
    "CartLine",
    "LineChoice",
    "MenuCard",
    "MenuCardData",
    "MenuItem",
    "MenuOption",
    "MenuOptionGroup",
    "OrderCard",
    "OrderCardData",
    "auth_card",
    "cart_card",
    "item_data",
    "mask_phone",
    "menu_card",
    "order_card",
]
