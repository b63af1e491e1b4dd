"""The board stream's entries are made from the order in hand (the placing or moving transaction
read its customer beside it), not read again: each must be what the board's own read of the order
gives, to the byte of its JSON."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa

from graph.intents import OrderType
from graph.models import ChoiceSpec, LineSpec, OrderCreate
from restaurant.auth.sessions import new_chat_id
from restaurant.db.models import StaffRole
from restaurant.db.models.orders import OrderStatus as Status
from restaurant.lifespan import Resources
from restaurant.services.board import USER, BoardService, board_order
from restaurant.services.order_events import (
    BoardEvents,
    OrderEventsFanOut,
    OrderMoved,
    OrderPlaced,
)
from restaurant.services.orders import OrderService
from restaurant.services.staff import StaffService
from tests.integration.auth_support import new_phone

LINES = (
    LineSpec(
        item="pepperoni_pizza",
        quantity=2,
        choices=(
            ChoiceSpec(group="pizza_size", option="large"),
            ChoiceSpec(group="toppings", option="mushrooms", qualifier="extra"),
            ChoiceSpec(group="toppings", option="pepperoni", exclude=True),
        ),
    ),
    LineSpec(item="coke", choices=(ChoiceSpec(group="container", option="bottle"),)),
    LineSpec(item="french_fries"),
)


class Recorder:
    """Keeps every event it is told."""

    def __init__(self) -> None:
        self.told: list[Any] = []

    async def placed(self, event: OrderPlaced) -> None:
        self.told.append(event)

    async def moved(self, event: OrderMoved) -> None:
        self.told.append(event)


class Feed:
    """Keeps what the board events would append to the stream."""

    def __init__(self) -> None:
        self.appended: list[str] = []

    async def append(self, order_json: str) -> str:
        self.appended.append(order_json)
        return f"{len(self.appended)}-0"


class CountingBoard(BoardService):
    """The board's reader, counting its reads of one order."""

    reads = 0

    async def order(self, number: str) -> Any:
        self.reads += 1
        return await super().order(number)


async def _customer(resources: Resources, name: str | None) -> UUID:
    user = await resources.services.users.upsert(new_phone())
    async with resources.engine.begin() as conn:
        await conn.execute(sa.update(USER).where(USER.c.id == user).values(name=name))
    return user


async def _place(orders: OrderService, resources: Resources, user: UUID, kind: OrderType) -> str:
    session = new_chat_id()
    change = await resources.services.carts.add(session, list(LINES))
    assert not change.refused
    address = "1 Main St, Apt 4" if kind is OrderType.DELIVERY else None
    request = OrderCreate(
        session_id=session, user_id=user, type=kind, address=address, idempotency_key=session
    )
    return (await orders.place(request)).number


async def test_board_entries_from_the_order_in_hand_are_the_boards_read(
    resources: Resources,
) -> None:
    recorder = Recorder()
    orders = OrderService(resources.sessions, resources.menu, events=OrderEventsFanOut(recorder))
    board = BoardService(resources.sessions)
    kitchen, _ = await StaffService(resources.sessions).add(new_phone(), "Kit", StaffRole.KITCHEN)
    named = await _customer(resources, "Ana María López")
    nameless = await _customer(resources, None)

    async def same_as_read(number: str) -> None:
        event = recorder.told[-1]
        assert event.order.number == number and event.customer is not None
        read = await board.order(number)
        assert read is not None
        made = board_order(event.order, event.customer)
        assert made.model_dump_json() == read.model_dump_json()

    number = await _place(orders, resources, named, OrderType.DELIVERY)
    await same_as_read(number)
    await orders.set_status(number, Status.ACCEPTED, staff=kitchen)
    await same_as_read(number)
    await orders.set_status(number, Status.PREPARING, staff=kitchen)
    await same_as_read(number)
    await orders.set_status(number, Status.OUT_FOR_DELIVERY, staff=kitchen)
    await same_as_read(number)

    number = await _place(orders, resources, nameless, OrderType.PICKUP)
    await same_as_read(number)
    await orders.cancel(nameless, number)  # the customer's own move: off the board
    await same_as_read(number)

    number = await _place(orders, resources, named, OrderType.PICKUP)
    await orders.set_status(number, Status.REJECTED, staff=kitchen, reason="Out of dough")
    await same_as_read(number)
    assert len(recorder.told) == 8
    first = recorder.told[0]
    assert board_order(first.order, first.customer).customer.first_name == "Ana"


async def test_board_events_read_the_order_only_when_the_event_lacks_its_customer(
    resources: Resources,
) -> None:
    recorder, feed = Recorder(), Feed()
    board = CountingBoard(resources.sessions)
    orders = OrderService(
        resources.sessions,
        resources.menu,
        events=OrderEventsFanOut(recorder, BoardEvents(feed, board)),  # type: ignore[arg-type]
    )
    user = await _customer(resources, "Kim Lee")
    number = await _place(orders, resources, user, OrderType.PICKUP)
    assert board.reads == 0 and len(feed.appended) == 1
    read = await board.order(number)
    assert read is not None and feed.appended[0] == read.model_dump_json()

    # An event without its customer (as before): the board reads the order itself.
    events = BoardEvents(feed, board)  # type: ignore[arg-type]
    placed = recorder.told[-1]
    await events.placed(OrderPlaced(placed.order, placed.session_id))
    assert board.reads == 2 and feed.appended[-1] == read.model_dump_json()
