"""An order line as the kitchen reads it, and the customer's first name."""

from __future__ import annotations

from graph.models import ChoiceRead
from restaurant.services.board import first_name, kitchen_line


def _choice(group: str, label: str, **kw: object) -> ChoiceRead:
    return ChoiceRead(group=group, group_label=group, option=label.lower(), label=label, **kw)  # type: ignore[arg-type]


def test_board_kitchen_line_reads_like_a_ticket() -> None:
    choices = [
        _choice("pizza_size", "Large"),
        _choice("crust", "Classic", default=True),  # the kitchen's default: not written
        _choice("toppings", "Cheese", qualifier="extra"),
        _choice("toppings", "Onions", exclude=True),
        _choice("toppings", "Basil"),
    ]
    options, text = kitchen_line(2, "Pepperoni Pizza", choices)
    assert text == "2 × Large Pepperoni Pizza — extra cheese, NO onions, basil"
    assert options == ["Large", "extra cheese", "NO onions", "basil"]


def test_board_kitchen_line_always_writes_a_size_or_count() -> None:
    _, text = kitchen_line(
        1,
        "Wings",
        [_choice("wing_count", "6 pieces", default=True), _choice("dip", "Ranch")],
    )
    assert text == "1 × 6 pieces Wings — ranch"
    _, text = kitchen_line(1, "Coke", [_choice("drink_size", "Medium", default=True)])
    assert text == "1 × Medium Coke"
    _, text = kitchen_line(3, "Garlic Knots", [])
    assert text == "3 × Garlic Knots"
    _, text = kitchen_line(1, "Pizza", [_choice("crust", "Thin")])  # said: written
    assert text == "1 × Thin Pizza"


def test_board_first_name() -> None:
    assert first_name("Ana María López") == "Ana"
    assert first_name("  ") is None
    assert first_name(None) is None
