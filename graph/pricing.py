"""Pure cart rules: which choices a line may have, what it costs, what an order totals.

The in-memory cart and the PostgreSQL services both call these, so a line is priced the same way
wherever it is stored. Nothing here does I/O.

Rules:
- a choice names a group the item takes and an option of that group, or it is refused;
- a select-one group keeps the last option said (saying "large" after "small" replaces it);
- in a select-many group a later mention of the same option replaces the earlier one, so
  "no onions" after "extra onions" leaves onions off;
- an option is left off ("no onions") only in an excludable group; a qualifier the group does not
  offer is dropped rather than refused, because amount words ("extra large") are loose in speech;
- groups nobody spoke about get the menu's default options; a required group with no default
  and no choice is refused with the options to pick from;
- a choice adds its option price once, twice when 'extra', nothing when left off.

Orders: the delivery fee, the delivery minimum and the preparation minutes come from the menu's
`restaurant.info` block when it has one (`DELIVERY_FEE` and `READY_MINUTES` otherwise), and
`check_order` refuses an order while the restaurant is closed or has paused new orders, one with
a line sold out since it was added, a delivery from a restaurant that doesn't deliver, and a
delivery under the minimum. Both order desks call it.

Sold out: an item or option staff marked unavailable is refused when said; a sold-out default
option is simply not put on (a required group then asks for one of the others).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from graph.intents import OrderType
from graph.menu import Item, Menu, OptionGroup
from graph.models import (
    CartError,
    CartLineRead,
    ChoiceRead,
    ChoiceSpec,
    OrderError,
    OrderUnavailable,
)
from graph.replies import join, price
from graph.search import alternatives
from graph.venue import closed_message, is_open, preparation_minutes

CENT = Decimal("0.01")
TAX_RATE = Decimal("0.08")
DELIVERY_FEE = Decimal("3.99")  # for a menu without a restaurant info block
READY_MINUTES = {OrderType.PICKUP: 20, OrderType.DELIVERY: 40, OrderType.DINE_IN: 15}  # likewise


def money(value: Decimal) -> Decimal:
    """Round to cents, halves up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _options_list(group: OptionGroup, limit: int = 6) -> str:
    options = group.available_options()
    labels = [o.label for o in options[:limit]]
    more = " and more" if len(options) > limit else ""
    return ", ".join(labels) + more


def _choice_price(option_price: Decimal, qualifier: str | None, exclude: bool) -> Decimal:
    if exclude:
        return Decimal("0")
    return option_price * 2 if qualifier == "extra" else option_price


def resolve_choices(
    menu: Menu,
    item: Item,
    said: Iterable[ChoiceSpec],
    current: Sequence[ChoiceRead] = (),
) -> tuple[ChoiceRead, ...]:
    """Merge what was said onto a line's current choices, validate, and apply defaults."""
    groups = {g.key: g for g in menu.groups_of(item)}
    # Defaults are recomputed below, so only what the customer said carries over.
    chosen: list[ChoiceSpec] = [
        ChoiceSpec(group=c.group, option=c.option, qualifier=c.qualifier, exclude=c.exclude)
        for c in current
        if not c.default
    ]
    for spec in said:
        group = groups.get(spec.group)
        if group is None:
            option_label = spec.option.replace("_", " ")
            raise CartError(f"{item.label} doesn't come with {option_label}.")
        option = group.option(spec.option)
        if option is None:
            raise CartError(
                f"{spec.option.replace('_', ' ')} isn't a {group.label.lower()} option for "
                f"{item.label}. You can choose {_options_list(group)}."
            )
        if spec.exclude and not group.excludable:
            raise CartError(f"The {group.label.lower()} of {item.label} can't be left off.")
        if not option.available and not spec.exclude:
            others = _options_list(group)
            raise CartError(
                f"Sorry, {option.label} is sold out right now."
                + (f" You can choose {others} for {item.label}." if others else "")
            )
        qualifier = spec.qualifier if spec.qualifier in group.qualifiers else None
        spec = ChoiceSpec(
            group=group.key, option=option.key, qualifier=qualifier, exclude=spec.exclude
        )
        if group.select == "one" and not spec.exclude:
            chosen = [c for c in chosen if c.group != group.key or c.exclude]
        else:
            chosen = [c for c in chosen if not (c.group == group.key and c.option == option.key)]
        chosen.append(spec)
    resolved: list[ChoiceRead] = []
    for group in groups.values():
        mine = [c for c in chosen if c.group == group.key]
        included = [c for c in mine if not c.exclude]
        if group.max is not None and len(included) > group.max:
            raise CartError(
                f"{item.label} takes at most {group.max} {group.label.lower()} "
                f"({len(included)} asked)."
            )
        if not included:
            excluded = {c.option for c in mine}
            defaults = [
                o for o in group.options if o.default and o.available and o.key not in excluded
            ]
            for option in defaults:
                resolved.append(
                    ChoiceRead(
                        group=group.key,
                        group_label=group.label,
                        option=option.key,
                        label=option.label,
                        price=option.price,
                        default=True,
                    )
                )
            if not defaults and (group.required or (group.min or 0) > 0):
                raise CartError(
                    f"Which {group.label.lower()} for {item.label}? "
                    f"You can choose {_options_list(group)}."
                )
        for spec in mine:
            option = group.option(spec.option)
            assert option is not None  # validated above
            resolved.append(
                ChoiceRead(
                    group=group.key,
                    group_label=group.label,
                    option=option.key,
                    label=option.label,
                    qualifier=spec.qualifier,
                    exclude=spec.exclude,
                    price=_choice_price(option.price, spec.qualifier, spec.exclude),
                )
            )
        if group.min is not None and 0 < len(included) < group.min:
            raise CartError(f"{item.label} needs at least {group.min} {group.label.lower()}.")
    return tuple(resolved)


def kept_choices(
    menu: Menu,
    item: Item,
    current: Sequence[ChoiceRead],
    remove: Iterable[tuple[str, str]] = (),
) -> tuple[ChoiceRead, ...]:
    """A line's choices that stay when it changes: those the customer said, less the options
    taken off, and (when the line becomes another item) only those the new item takes."""
    removed = set(remove)
    groups = {g.key: g for g in menu.groups_of(item)}
    return tuple(
        c
        for c in current
        if not c.default
        and (c.group, c.option) not in removed
        and c.group in groups
        and groups[c.group].option(c.option) is not None
    )


def unit_price(item: Item, choices: Iterable[ChoiceRead]) -> Decimal:
    """The price of one of an item with these resolved choices."""
    return money(item.price + sum((c.price for c in choices), Decimal("0")))


def price_line(
    menu: Menu,
    line_id: str,
    item: Item,
    quantity: int,
    said: Iterable[ChoiceSpec] = (),
    current: Sequence[ChoiceRead] = (),
) -> CartLineRead:
    """A validated, priced cart line."""
    if not item.available:
        raise CartError(f"Sorry, {item.label} is sold out right now.")
    if quantity < 1 or quantity > 99:
        raise CartError(f"I can put between 1 and 99 of {item.label} on one line.")
    choices = resolve_choices(menu, item, said, current)
    unit = unit_price(item, choices)
    return CartLineRead(
        id=line_id,
        item=item.key,
        label=item.label,
        quantity=quantity,
        choices=choices,
        unit_price=unit,
        line_total=money(unit * quantity),
    )


def subtotal(lines: Iterable[CartLineRead]) -> Decimal:
    """The sum of line totals."""
    return money(sum((line.line_total for line in lines), Decimal("0")))


@dataclass(frozen=True, slots=True)
class OrderTotals:
    """What an order costs, broken down."""

    subtotal: Decimal
    delivery_fee: Decimal
    tax: Decimal
    total: Decimal


def delivery_fee_of(menu: Menu | None = None) -> Decimal:
    """The menu's delivery fee (its info block's), or `DELIVERY_FEE`."""
    info = menu.restaurant.info if menu is not None else None
    if info is not None and info.delivery is not None:
        return info.delivery.fee
    return DELIVERY_FEE


def ready_minutes(order_type: OrderType, menu: Menu | None = None) -> int:
    """How long an order takes: the menu's preparation minutes, or `READY_MINUTES`."""
    info = menu.restaurant.info if menu is not None else None
    if info is not None:
        return preparation_minutes(info, order_type)
    return READY_MINUTES[order_type]


def order_totals(
    lines_subtotal: Decimal,
    order_type: OrderType,
    *,
    menu: Menu | None = None,
    tax_rate: Decimal = TAX_RATE,
    delivery_fee: Decimal | None = None,
) -> OrderTotals:
    """Subtotal, delivery fee (delivery only: the one given, else the menu's), tax on food, and
    the total."""
    if delivery_fee is None:
        delivery_fee = delivery_fee_of(menu)
    fee = delivery_fee if order_type is OrderType.DELIVERY else Decimal("0.00")
    tax = money(lines_subtotal * tax_rate)
    return OrderTotals(
        subtotal=money(lines_subtotal),
        delivery_fee=money(fee),
        tax=tax,
        total=money(lines_subtotal + fee + tax),
    )


def ready_at(placed_at: datetime, order_type: OrderType, menu: Menu | None = None) -> datetime:
    """The estimated ready (or delivered) time for an order placed now."""
    return placed_at + timedelta(minutes=ready_minutes(order_type, menu))


def paused_message(menu: Menu) -> str | None:
    """What a customer is told while a manager has paused new orders; None while they're taken."""
    said = menu.restaurant.ordering_paused
    if said is None:
        return None
    said = said.strip().rstrip(".")
    return "Sorry, we've paused new orders for now" + (f" ({said})." if said else ".")


def sold_out(menu: Menu, line: CartLineRead) -> str | None:
    """What on a cart line can't be made now ("the Margherita Pizza", "Mushrooms on the
    Margherita Pizza"); None when all of it can."""
    item = menu.item(line.item)
    if item is None or not item.available:
        return f"the {line.label}"
    for choice in line.choices:
        group = menu.group(choice.group)
        option = group.option(choice.option) if group is not None else None
        if option is not None and not option.available and not choice.exclude:
            return f"{option.label} on the {line.label}"
    return None


def sold_out_message(menu: Menu, lines: Sequence[CartLineRead]) -> str | None:
    """Which lines of a cart are sold out since they were added, with what to do about it;
    None when every line can be made."""
    gone = [(line, what) for line in lines if (what := sold_out(menu, line)) is not None]
    if not gone:
        return None
    names = join(what for _, what in gone)
    verb = "are" if len(gone) > 1 else "is"
    text = f"Sorry, {names} in your cart {verb} sold out now, so I can't place the order."
    item = menu.item(gone[0][0].item)
    if len(gone) == 1 and item is not None and not item.available:
        others = alternatives(menu, item)
        if others:
            text += f" How about {join((o.label for o in others), 'or')} instead?"
        return text + " Or I can take it off."
    it = "them" if len(gone) > 1 else "it"
    return text + f" Choose something else, or I can take {it} off."


def check_order(
    menu: Menu,
    order_type: OrderType,
    lines_subtotal: Decimal,
    now: datetime,
    lines: Sequence[CartLineRead] = (),
) -> None:
    """Raise `OrderError` if the menu's restaurant can't take this order at `now`: closed,
    no delivery, or a delivery under the minimum; `OrderUnavailable` while new orders are
    paused or a line is sold out. A menu without an info block is always open."""
    info = menu.restaurant.info
    if info is not None and not is_open(info, now):
        raise OrderError(closed_message(info, now))
    paused = paused_message(menu)
    if paused is not None:
        raise OrderUnavailable(paused + " Your cart is saved until we're taking orders again.")
    gone = sold_out_message(menu, lines)
    if gone is not None:
        raise OrderUnavailable(gone)
    if info is None:
        return
    if order_type is not OrderType.DELIVERY:
        return
    if info.delivery is None:
        raise OrderError(
            f"Sorry, we don't deliver; you can pick your order up at {info.address} "
            f"in about {info.pickup_minutes} minutes."
        )
    minimum = info.delivery.minimum
    if lines_subtotal < minimum:
        currency = menu.restaurant.currency
        raise OrderError(
            f"Delivery needs a subtotal of at least {price(minimum, currency)}; "
            f"you're at {price(money(lines_subtotal), currency)}."
        )


__all__ = [
    "DELIVERY_FEE",
    "READY_MINUTES",
    "TAX_RATE",
    "OrderTotals",
    "check_order",
    "delivery_fee_of",
    "money",
    "order_totals",
    "paused_message",
    "price_line",
    "ready_at",
    "ready_minutes",
    "resolve_choices",
    "sold_out",
    "sold_out_message",
    "subtotal",
    "unit_price",
]
