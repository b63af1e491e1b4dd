"""Sold out and paused in the pure rules: the alternatives offered for a sold-out dish, an option
refused when said, and the order check naming what can't be made or saying the pause."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from graph.intents import OrderType
from graph.menu import Item, Menu, load_menu
from graph.models import CartError, ChoiceSpec, OrderUnavailable
from graph.pricing import check_order, paused_message, price_line, sold_out_message
from graph.search import alternatives

DEMO = Path(__file__).resolve().parents[2] / "seeds" / "demo.json"
FRIDAY_AFTERNOON = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)  # open


@pytest.fixture(scope="module")
def menu() -> Menu:
    return load_menu(DEMO)


def _item(menu: Menu, key: str) -> Item:
    item = menu.item(key)
    assert item is not None
    return item


def _marked(menu: Menu, items: set[str] = set(), options: set[tuple[str, str]] = set()) -> Menu:  # noqa: B006 - never changed
    """The menu with these items and (group, option) pairs sold out."""
    categories = tuple(
        c.model_copy(
            update={
                "items": tuple(
                    i.model_copy(update={"available": i.key not in items}) for i in c.items
                )
            }
        )
        for c in menu.categories
    )
    groups = tuple(
        g.model_copy(
            update={
                "options": tuple(
                    o.model_copy(update={"available": (g.key, o.key) not in options})
                    for o in g.options
                )
            }
        )
        for g in menu.option_groups
    )
    return menu.model_copy(update={"categories": categories, "option_groups": groups})


def test_alternatives_come_from_the_same_category_and_are_available(menu: Menu) -> None:
    found = alternatives(menu, _item(menu, "margherita_pizza"))
    assert [i.key for i in found] == ["cheese_pizza", "pepperoni_pizza", "four_cheese_pizza"]
    marked = _marked(menu, items={"margherita_pizza", "cheese_pizza"})
    again = alternatives(marked, _item(marked, "margherita_pizza"))
    assert "cheese_pizza" not in [i.key for i in again]
    assert all(i.key.endswith("_pizza") for i in again)
    # A drink's are drinks; the sold-out cheesecake's are desserts, the other cheesecake first.
    assert all(
        i.key in {c.key for c in menu.categories[4].items}
        for i in alternatives(menu, _item(menu, "coke"))
    )
    assert alternatives(menu, _item(menu, "pumpkin_cheesecake"))[0].key == "ny_cheesecake"


def test_a_sold_out_option_is_refused_when_said_and_left_off_as_a_default(menu: Menu) -> None:
    marked = _marked(menu, options={("toppings", "mushrooms"), ("crust", "classic")})
    pizza = _item(marked, "cheese_pizza")
    with pytest.raises(CartError, match=r"Mushrooms is sold out right now\. You can choose"):
        price_line(marked, "l1", pizza, 1, [ChoiceSpec(group="toppings", option="mushrooms")])
    # "no mushrooms" is still fine: nothing is asked of the kitchen.
    line = price_line(
        marked,
        "l1",
        pizza,
        1,
        [
            ChoiceSpec(group="toppings", option="mushrooms", exclude=True),
            ChoiceSpec(group="crust", option="thin"),
        ],
    )
    assert ("crust", "thin") in [(c.group, c.option) for c in line.choices]
    assert "classic" not in [c.option for c in line.choices]


def test_the_order_check_names_lines_sold_out_since(menu: Menu) -> None:
    lines = [
        price_line(menu, "l1", _item(menu, "margherita_pizza"), 1),
        price_line(
            menu,
            "l2",
            _item(menu, "cheese_pizza"),
            1,
            [ChoiceSpec(group="toppings", option="mushrooms")],
        ),
    ]
    assert sold_out_message(menu, lines) is None
    check_order(menu, OrderType.PICKUP, Decimal("30"), FRIDAY_AFTERNOON, lines)
    dish = _marked(menu, items={"margherita_pizza"})
    with pytest.raises(OrderUnavailable) as refused:
        check_order(dish, OrderType.PICKUP, Decimal("30"), FRIDAY_AFTERNOON, lines)
    assert refused.value.message.startswith(
        "Sorry, the Margherita Pizza in your cart is sold out now, so I can't place the order."
        " How about Classic Cheese Pizza"
    )
    assert refused.value.message.endswith("Or I can take it off.")
    both = _marked(menu, items={"margherita_pizza"}, options={("toppings", "mushrooms")})
    message = sold_out_message(both, lines)
    assert message is not None
    assert (
        "the Margherita Pizza and Mushrooms on the Classic Cheese Pizza in your cart are" in message
    )
    assert message.endswith("Choose something else, or I can take them off.")


def test_a_pause_refuses_every_order_with_its_message(menu: Menu) -> None:
    paused = menu.model_copy(
        update={
            "restaurant": menu.restaurant.model_copy(
                update={"ordering_paused": "kitchen full, back in 20 minutes."}
            )
        }
    )
    assert paused_message(menu) is None
    assert paused_message(paused) == (
        "Sorry, we've paused new orders for now (kitchen full, back in 20 minutes)."
    )
    with pytest.raises(OrderUnavailable, match="back in 20 minutes"):
        check_order(paused, OrderType.PICKUP, Decimal("30"), FRIDAY_AFTERNOON)
    silent = paused.model_copy(
        update={"restaurant": paused.restaurant.model_copy(update={"ordering_paused": ""})}
    )
    assert paused_message(silent) == "Sorry, we've paused new orders for now."
