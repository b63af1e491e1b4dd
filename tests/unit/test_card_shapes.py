"""Cards have one definition (graph/cards.py): the builders make what it says, the AG-UI mapping
and the JSON Schema take their names from it, and the frontend's generated types are up to date.
So do the values of our own events (a STATE_SNAPSHOT's, a SESSION_TOKEN's)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args, get_type_hints
from uuid import uuid4

import pytest
from pydantic import TypeAdapter, ValidationError

from graph.cards import (
    CARD_DATA,
    CARD_NAMES,
    Card,
    auth_card,
    cart_card,
    menu_card,
    order_card,
)
from graph.intents import Intent, OrderType
from graph.menu import load_menu
from graph.models import CartLineRead, CartRead, ChoiceRead, OrderRead, OrderStatus
from graph.nlu.reading import Reading
from graph.pricing import OrderTotals
from graph.state import Checkout, Pending, State
from restaurant.agui.mapping import (
    SessionToken,
    StateSnapshot,
    TurnMapper,
    session_token,
    state_snapshot,
)
from restaurant.agui.schema import wire_schema

REPO = Path(__file__).resolve().parents[2]
FRONTEND = REPO / "frontend"
GENERATED = FRONTEND / "src" / "chat" / "wire.gen.ts"
DEMO = load_menu(REPO / "seeds" / "demo.json")
LINE = CartLineRead(
    id="l1",
    item="pizza",
    label="Pizza",
    quantity=2,
    choices=(
        ChoiceRead(group="size", group_label="Size", option="large", label="Large"),
        ChoiceRead(
            group="toppings",
            group_label="Toppings",
            option="onions",
            label="Onions",
            qualifier="extra",
            price=Decimal("1.00"),
        ),
    ),
    unit_price=Decimal("13.00"),
    line_total=Decimal("26.00"),
)
CART = CartRead(session_id="s", lines=(LINE,), subtotal=Decimal("26.00"), total=Decimal("26.00"))
ORDER = OrderRead(
    number="1042",
    user_id=uuid4(),
    type=OrderType.DELIVERY,
    status=OrderStatus.PLACED,
    address="1 Main St",
    lines=(LINE,),
    subtotal=Decimal("26.00"),
    delivery_fee=Decimal("3.00"),
    tax=Decimal("2.31"),
    total=Decimal("31.31"),
    placed_at=datetime(2026, 5, 1, 12, 0, tzinfo=UTC),
    ready_at=datetime(2026, 5, 1, 12, 40, tzinfo=UTC),
)


def _cards() -> list[Card]:
    totals = OrderTotals(
        subtotal=Decimal("26.00"),
        delivery_fee=Decimal("3.00"),
        tax=Decimal("2.31"),
        total=Decimal("31.31"),
    )
    return [
        menu_card(DEMO, DEMO.items()),
        menu_card(DEMO, DEMO.items()[:2], title="Pizzas"),
        cart_card(CART),
        cart_card(CART, totals=totals, order_type="delivery"),
        order_card(ORDER),
        auth_card("phone"),
        auth_card("code", phone="+12125550123", resend_after=30),
    ]


def test_card_builders_make_exactly_the_shape_their_card_defines() -> None:
    made = _cards()
    assert {card["name"] for card in made} <= CARD_NAMES  # a new card: mypy checks its builder
    for card in made:
        assert card["type"] == "card"
        TypeAdapter(CARD_DATA[card["name"]]).validate_python(card["data"], strict=True)


def test_card_shapes_refuse_a_field_they_do_not_define() -> None:
    data: dict[str, Any] = {**auth_card("phone")["data"], "extra": 1}
    with pytest.raises(ValidationError):
        TypeAdapter(CARD_DATA["AUTH_REQUIRED"]).validate_python(data)


def test_card_names_come_from_the_card_union_in_its_order() -> None:
    assert {"MENU_CARD", "CART_CARD", "ORDER_DATA", "AUTH_REQUIRED"} <= CARD_NAMES  # the wire's
    assert list(CARD_DATA) == [get_args(get_type_hints(card)["name"])[0] for card in get_args(Card)]
    schema = wire_schema()
    assert schema["required"] == list(CARD_DATA)
    assert schema["$defs"]["CardName"]["enum"] == list(CARD_DATA)


def test_agui_mapping_streams_every_card_by_its_name_and_nothing_else() -> None:
    mapper = TurnMapper(thread_id="s1", run_id="r1", now=lambda: 1)
    for card in _cards():
        (event,) = mapper.feed("custom", card)
        assert (event.name, event.value) == (card["name"], card["data"])
    assert mapper.feed("custom", {"type": "card", "name": "NO_SUCH_CARD", "data": {}}) == []


def test_event_values_are_the_shapes_the_schema_gives() -> None:
    state = State(
        intent=Intent.CHECKOUT,
        turn=4,
        auth_step="code",
        phone="+12125550123",
        pending=Pending(
            intent=Intent.CHECKOUT, reading=Reading(text="checkout", intent=Intent.CHECKOUT)
        ),
        checkout=Checkout(step="confirm", order_type=OrderType.PICKUP, address=None, key="k"),
        awaiting="confirm",
        quick_replies=["Yes", "No"],
        last_order="1042",
    )
    for snapshot in (state_snapshot(state, CART), state_snapshot(State())):
        TypeAdapter(StateSnapshot).validate_python(snapshot, strict=True)
    value = session_token("t0k", 3600).value
    TypeAdapter(SessionToken).validate_python(value, strict=True)
    defs = wire_schema()["$defs"]
    assert {"StateSnapshot", "SessionToken"} <= set(defs)


def test_generated_typescript_types_are_what_the_card_shapes_make_now() -> None:
    """Fails when graph/cards.py changed and `npm run wire` (in frontend/) was not run."""
    if not (FRONTEND / "node_modules" / ".bin" / "json2ts").exists() or not shutil.which("npm"):
        pytest.skip("the frontend's packages are not installed (make frontend-test installs them)")
    made = subprocess.run(
        ["npm", "run", "--silent", "wire:ts"],
        cwd=FRONTEND,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout == GENERATED.read_text(encoding="utf-8"), (
        "frontend/src/chat/wire.gen.ts is stale: run `npm run wire` in frontend/"
    )
