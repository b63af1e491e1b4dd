"""The order events: the fan-out tells every listener at once and a failing one stops no other;
the stream readers never wait longer than the Redis client lets a read take."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from restaurant.db.models.orders import OrderStatus
from restaurant.lifespan import redis_client
from restaurant.services.lifecycle import Actor
from restaurant.services.order_events import (
    READ_BLOCK_MS,
    BoardFeed,
    OrderEventsFanOut,
    OrderMoved,
)


class Listener:
    """Records when it was told; `wait` holds it up until released, `fails` makes it raise."""

    def __init__(self, *, wait: asyncio.Event | None = None, fails: bool = False) -> None:
        self.told: list[Any] = []
        self.wait = wait
        self.fails = fails

    async def placed(self, event: Any) -> None:
        await self.moved(event)

    async def moved(self, event: Any) -> None:
        self.told.append(event)
        if self.wait is not None:
            await self.wait.wait()
        if self.fails:
            raise RuntimeError("this listener fails")


def _moved() -> OrderMoved:
    order: Any = object()  # the fan-out hands it on without reading it
    return OrderMoved(
        order=order,
        session_id="s",
        previous=OrderStatus.PLACED,
        actor=Actor.STAFF,
        staff_name="Kim",
        reason=None,
        at=datetime(2026, 12, 5, tzinfo=UTC),
    )


async def test_order_events_fanout_tells_the_chat_while_the_board_is_still_writing() -> None:
    board_done = asyncio.Event()
    board, chat = Listener(wait=board_done), Listener()
    fanout = OrderEventsFanOut(board, chat)
    telling = asyncio.create_task(fanout.moved(_moved()))
    for _ in range(5):
        await asyncio.sleep(0)
    assert len(chat.told) == 1 and len(board.told) == 1
    assert not telling.done()  # the board's listener is still at work
    board_done.set()
    await telling


async def test_order_events_fanout_a_failing_listener_stops_no_other() -> None:
    failing, other = Listener(fails=True), Listener()
    fanout = OrderEventsFanOut(failing, other)
    await fanout.moved(_moved())
    await fanout.placed(_moved())  # type: ignore[arg-type]
    assert len(other.told) == 2 and len(failing.told) == 2


def test_order_events_stream_reads_block_less_than_the_socket_timeout() -> None:
    # An XREAD BLOCK longer than the client's socket timeout ends an idle wait in a TimeoutError
    # and a second's pause, during which new orders and moves wait.
    client = redis_client("unix:///nonexistent.sock", max_connections=1)
    timeout = client.connection_pool.make_connection().socket_timeout
    assert timeout is None or timeout > READ_BLOCK_MS / 1000
    assert BoardFeed(client).block_ms == READ_BLOCK_MS
