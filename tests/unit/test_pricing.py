"""The pure cart rules shared by the in-memory and the SQL cart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from graph.intents import OrderType
from graph.menu import Item, Menu, load_menu
from graph.models import CartError, ChoiceSpec, OrderError
from graph.pricing import (
    DELIVERY_FEE,
    READY_MINUTES,
    check_order,
    delivery_fee_of,
    order_totals,
    price_line,
    ready_at,
    ready_minutes,
    resolve_choices,
)

DEMO = Path(__file__).resolve().parents[2] / "seeds" / "demo.json"


@pytest.fixture(scope="module")
def menu() -> Menu:
    return load_menu(DEMO)


def _item(menu: Menu, key: str) -> Item:
    item = menu.item(key)
    assert item is not None
    return item


def test_pricing_applies_defaults_when_nothing_is_said(menu: Menu) -> None:
    line = price_line(menu, "l1", _item(menu, "margherita_pizza"), 1)
    assert {(c.group, c.option, c.default) for c in line.choices} == {
        ("pizza_size", "medium", True),
        ("crust", "classic", True),
    }
    assert line.unit_price == Decimal("14.00")


def test_pricing_select_one_replaces_and_extra_counts_twice(menu: Menu) -> None:
    item = _item(menu, "pepperoni_pizza")
    said = [
        ChoiceSpec(group="pizza_size", option="small"),
        ChoiceSpec(group="pizza_size", option="large"),
        ChoiceSpec(group="toppings", option="cheese", qualifier="extra"),
        ChoiceSpec(group="toppings", option="onions", exclude=True),
    ]
    line = price_line(menu, "l1", item, 2, said)
    sizes = [c.option for c in line.choices if c.group == "pizza_size"]
    assert sizes == ["large"]
    assert line.unit_price == Decimal("21.00")  # 12.50 + 6.00 + 2 x 1.25 + 0 (onions off)
    assert line.line_total == Decimal("42.00")


def test_pricing_later_mention_of_an_option_wins(menu: Menu) -> None:
    item = _item(menu, "classic_cheeseburger")
    first = resolve_choices(menu, item, [ChoiceSpec(group="burger_toppings", option="bacon")])
    second = resolve_choices(
        menu, item, [ChoiceSpec(group="burger_toppings", option="bacon", exclude=True)], first
    )
    bacon = [c for c in second if c.option == "bacon"]
    assert len(bacon) == 1
    assert bacon[0].exclude
    assert bacon[0].price == 0


def test_pricing_refuses_unknown_options_with_a_message(menu: Menu) -> None:
    item = _item(menu, "coke")
    with pytest.raises(CartError, match="doesn't come with"):
        resolve_choices(menu, item, [ChoiceSpec(group="crust", option="thin")])
    with pytest.raises(CartError, match="You can choose"):
        resolve_choices(menu, item, [ChoiceSpec(group="container", option="keg")])


def test_pricing_refuses_leaving_off_a_select_one_option(menu: Menu) -> None:
    with pytest.raises(CartError, match="can't be left off"):
        resolve_choices(
            menu,
            _item(menu, "coke"),
            [ChoiceSpec(group="drink_size", option="large", exclude=True)],
        )


def test_pricing_drops_a_qualifier_the_group_does_not_offer(menu: Menu) -> None:
    choices = resolve_choices(
        menu,
        _item(menu, "coke"),
        [ChoiceSpec(group="drink_size", option="large", qualifier="extra")],
    )
    assert [(c.option, c.qualifier) for c in choices if c.group == "drink_size"] == [
        ("large", None)
    ]


def test_pricing_refuses_an_unavailable_item(menu: Menu) -> None:
    with pytest.raises(CartError, match="sold out"):
        price_line(menu, "l1", _item(menu, "pumpkin_cheesecake"), 1)


def test_order_totals_add_tax_and_the_delivery_fee() -> None:
    pickup = order_totals(Decimal("17.00"), OrderType.PICKUP)
    assert (pickup.delivery_fee, pickup.tax, pickup.total) == (
        Decimal("0.00"),
        Decimal("1.36"),
        Decimal("18.36"),
    )
    delivery = order_totals(Decimal("17.00"), OrderType.DELIVERY)
    assert delivery.total == Decimal("22.35")


def _with_info(menu: Menu, **changes: object) -> Menu:
    """The demo menu with fields of its info block replaced."""
    info = menu.restaurant.info
    assert info is not None
    restaurant = menu.restaurant.model_copy(update={"info": info.model_copy(update=changes)})
    return menu.model_copy(update={"restaurant": restaurant})


def test_order_fee_and_minutes_come_from_the_info_block(menu: Menu) -> None:
    assert menu.restaurant.info is not None and menu.restaurant.info.delivery is not None
    fee = menu.restaurant.info.delivery.model_copy(update={"fee": Decimal("5.00")})
    dearer = _with_info(menu, delivery=fee, delivery_minutes=55)
    assert delivery_fee_of(dearer) == Decimal("5.00")
    totals = order_totals(Decimal("20.00"), OrderType.DELIVERY, menu=dearer)
    assert totals.total == Decimal("26.60")
    assert order_totals(Decimal("20.00"), OrderType.PICKUP, menu=dearer).delivery_fee == 0
    placed = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)
    assert ready_at(placed, OrderType.DELIVERY, dearer) - placed == timedelta(minutes=55)
    assert ready_minutes(OrderType.PICKUP, dearer) == 20
    assert ready_minutes(OrderType.DINE_IN, dearer) == 20  # the info's pickup minutes
    # Without an info block: today's constants, and any order at any hour.
    bare = menu.model_copy(update={"restaurant": menu.restaurant.model_copy(update={"info": None})})
    assert delivery_fee_of(bare) == delivery_fee_of(None) == DELIVERY_FEE
    assert ready_minutes(OrderType.DINE_IN, bare) == READY_MINUTES[OrderType.DINE_IN]
    check_order(bare, OrderType.DELIVERY, Decimal("1.00"), datetime(2026, 5, 5, 8, tzinfo=UTC))


def test_order_check_refuses_closed_hours_and_small_deliveries(menu: Menu) -> None:
    friday_afternoon = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)  # 2:00 PM in New York
    check_order(menu, OrderType.DELIVERY, Decimal("15.00"), friday_afternoon)
    check_order(menu, OrderType.PICKUP, Decimal("1.00"), friday_afternoon)
    with pytest.raises(OrderError) as small:
        check_order(menu, OrderType.DELIVERY, Decimal("9.5"), friday_afternoon)
    assert small.value.message == "Delivery needs a subtotal of at least $15.00; you're at $9.50."
    thursday_night = datetime(2026, 5, 1, 3, 0, tzinfo=UTC)  # Thursday 11:00 PM in New York
    with pytest.raises(OrderError) as closed:
        check_order(menu, OrderType.PICKUP, Decimal("20.00"), thursday_night)
    assert closed.value.message == "We're closed right now; we open again tomorrow at 11:00 AM."
    pickup_only = _with_info(menu, delivery=None)
    with pytest.raises(OrderError, match="we don't deliver"):
        check_order(pickup_only, OrderType.DELIVERY, Decimal("50.00"), friday_afternoon)
    check_order(pickup_only, OrderType.PICKUP, Decimal("50.00"), friday_afternoon)
