"""What the customer's chat is told of a staff move: one line per status, and the short run that
carries it with the updated ORDER_DATA card."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import pytest

from graph.cards import order_card
from graph.intents import OrderType
from graph.models import OrderRead, OrderStatus
from restaurant.agui.mapping import type_of
from restaurant.chat.order_updates import ChatOrderUpdates, order_line, order_update_events
from restaurant.services.lifecycle import Actor
from restaurant.services.order_events import OrderMoved
from tests.unit.test_card_shapes import ORDER


def _order(status: OrderStatus, kind: OrderType = OrderType.PICKUP) -> OrderRead:
    return ORDER.model_copy(update={"number": "XKA3W", "status": status, "type": kind})


@pytest.mark.parametrize(
    ("status", "kind", "line"),
    [
        (OrderStatus.ACCEPTED, OrderType.PICKUP, "Your order #XKA3W was accepted."),
        (OrderStatus.PREPARING, OrderType.PICKUP, "Your order #XKA3W is being prepared."),
        (OrderStatus.READY, OrderType.PICKUP, "Your order #XKA3W is ready for pickup."),
        (OrderStatus.READY, OrderType.DINE_IN, "Your order #XKA3W is ready."),
        (OrderStatus.COLLECTED, OrderType.PICKUP, "Your order #XKA3W was collected. Enjoy!"),
        (OrderStatus.SERVED, OrderType.DINE_IN, "Your order #XKA3W was served. Enjoy!"),
        (
            OrderStatus.OUT_FOR_DELIVERY,
            OrderType.DELIVERY,
            "Your order #XKA3W is out for delivery.",
        ),
        (OrderStatus.DELIVERED, OrderType.DELIVERY, "Your order #XKA3W was delivered. Enjoy!"),
        (OrderStatus.CANCELLED, OrderType.PICKUP, "Your order #XKA3W was cancelled."),
        (
            OrderStatus.REJECTED,
            OrderType.PICKUP,
            "Sorry, the restaurant could not take your order #XKA3W.",
        ),
    ],
)
def test_order_line_reads_each_status(status: OrderStatus, kind: OrderType, line: str) -> None:
    assert order_line(_order(status, kind)) == line


def test_order_line_gives_the_reason_of_a_rejection() -> None:
    order = _order(OrderStatus.REJECTED)
    assert order_line(order, "Out of dough.") == (
        "Sorry, the restaurant could not take your order #XKA3W: Out of dough."
    )


def test_order_update_events_are_a_run_with_the_card_and_the_line() -> None:
    order = _order(OrderStatus.READY)
    events = order_update_events("chat-1", order, "Your order #XKA3W is ready for pickup.")
    assert [type_of(e) for e in events] == [
        "RUN_STARTED",
        "CUSTOM",
        "TEXT_MESSAGE_START",
        "TEXT_MESSAGE_CONTENT",
        "TEXT_MESSAGE_END",
        "RUN_FINISHED",
    ]
    card = order_card(order)
    custom = events[1]
    assert (custom.name, custom.value) == (card["name"], card["data"])
    assert events[0].run_id == events[-1].run_id
    assert events[0].thread_id == "chat-1"


class _Written(ChatOrderUpdates):
    """Records which sessions would be written to, instead of writing."""

    def __init__(self) -> None:
        super().__init__(cast(Any, None), cast(Any, None), cast(Any, None))
        self.written: list[tuple[str, str]] = []

    async def write(self, session_id: str, order: OrderRead, reason: str | None = None) -> None:
        self.written.append((session_id, order.number))


def _moved(actor: Actor, *, answered: bool = False, session_id: str = "chat-1") -> OrderMoved:
    return OrderMoved(
        order=_order(OrderStatus.CANCELLED),
        session_id=session_id,
        previous=OrderStatus.PLACED,
        actor=actor,
        staff_name=None,
        reason=None,
        at=datetime.now(UTC),
        answered=answered,
    )


async def test_moves_are_written_unless_the_chat_turn_answered_them() -> None:
    updates = _Written()
    await updates.moved(_moved(Actor.STAFF))
    await updates.moved(_moved(Actor.CUSTOMER))  # a cancel over REST
    await updates.moved(_moved(Actor.CUSTOMER, answered=True))  # a cancel said in the chat
    await updates.moved(_moved(Actor.STAFF, session_id=""))  # no chat to tell
    await updates.idle()
    assert updates.written == [("chat-1", "XKA3W"), ("chat-1", "XKA3W")]
