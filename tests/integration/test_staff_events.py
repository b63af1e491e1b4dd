"""The live parts of the order's life: the board's feed (`GET /api/v1/staff/events`, SSE from the
restaurant's Redis stream) and the customer's chat hearing each staff move.

The app runs on a real socket (uvicorn); staff and customers sign in over REST as anyone does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx
import pytest
import websockets
from litestar.testing import AsyncTestClient

from graph.models import LineSpec
from restaurant.chat.events import id_key
from restaurant.db.models import StaffRole
from restaurant.lifespan import Resources
from restaurant.services.order_events import BOARD_STREAM
from restaurant.settings import Settings
from tests.integration.auth_support import Caller, new_caller, sign_in
from tests.integration.chat_support import (
    LiveServer,
    Session,
    Socket,
    live,
    sse_events,
    sse_turn,
)
from tests.integration.test_staff import staff_caller

__all__ = ["live"]  # the fixture, imported for pytest

EVENTS = "/api/v1/staff/events"
# An order's update in its chat: a short run of the card, then one line.
UPDATE_RUN = [
    "RUN_STARTED",
    "CUSTOM",
    "TEXT_MESSAGE_START",
    "TEXT_MESSAGE_CONTENT",
    "TEXT_MESSAGE_END",
    "RUN_FINISHED",
]


@dataclass
class BoardEvent:
    """One SSE message of the board's feed."""

    id: str | None
    name: str | None
    data: dict[str, Any]


@dataclass
class Board:
    """An open board's feed: what it received so far, read in a task of its own."""

    events: asyncio.Queue[BoardEvent] = field(default_factory=asyncio.Queue)
    listening: asyncio.Event = field(default_factory=asyncio.Event)
    status: int = 0

    async def next_for(self, number: str, wait: float = 10.0) -> BoardEvent:
        """The next event about order `number` (others are skipped)."""
        async with asyncio.timeout(wait):
            while True:
                event = await self.events.get()
                if event.data["order"]["number"] == number:
                    return event


async def _read_board(base: str, headers: dict[str, str], board: Board) -> None:
    event_id: str | None = None
    name: str | None = None
    data: list[str] = []
    async with (
        httpx.AsyncClient(base_url=base, timeout=None) as client,
        client.stream("GET", EVENTS, headers=headers) as response,
    ):
        board.status = response.status_code
        if response.status_code != 200:
            board.listening.set()
            return
        async for line in response.aiter_lines():
            if line.startswith(": listening"):
                board.listening.set()
            elif line.startswith(":"):
                continue
            elif line.startswith("id:"):
                event_id = line[3:].strip()
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "" and data:
                board.events.put_nowait(BoardEvent(event_id, name, json.loads("\n".join(data))))
                event_id, name, data = None, None, []


@contextlib.asynccontextmanager
async def open_board(base: str, headers: dict[str, str]) -> AsyncIterator[Board]:
    """Follow the board's feed for the block (once it says it is listening)."""
    board = Board()
    task = asyncio.create_task(_read_board(base, headers, board))
    try:
        async with asyncio.timeout(10):
            await board.listening.wait()
        yield board
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@dataclass
class People:
    """A signed-in customer, a kitchen member and a manager."""

    customer: Caller
    kitchen: Caller
    manager: Caller


@pytest.fixture(scope="module")
async def people(client: AsyncTestClient[Any], resources: Resources) -> People:
    return People(
        customer=await sign_in(client, await new_caller(client)),
        kitchen=await staff_caller(client, resources, StaffRole.KITCHEN, "Kai Kitchen"),
        manager=await staff_caller(client, resources, StaffRole.MANAGER, "Max Manager"),
    )


async def _order_over_rest(base: str, resources: Resources, customer: Caller) -> dict[str, Any]:
    """The customer's chat cart (a coke) placed with POST /api/v1/orders."""
    change = await resources.services.carts.add(customer.session_id, [LineSpec(item="coke")])
    assert not change.refused
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        reply = await client.post(
            "/api/v1/orders/",
            json={"session_id": customer.session_id, "order_type": "pickup"},
            headers={**customer.headers, "Idempotency-Key": uuid4().hex},
        )
    assert reply.status_code == 201, reply.text
    body: dict[str, Any] = reply.json()
    return body


async def _move(base: str, kitchen: Caller, number: str, status: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        reply = await client.post(
            f"/api/v1/staff/orders/{number}/status",
            json={"status": status},
            headers=kitchen.headers,
        )
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


async def _chat_log(base: str, customer: Caller, after: str = "0-0") -> list[dict[str, Any]]:
    """The chat's events after `after`, read as a reconnecting client does (Last-Event-ID)."""
    async with (
        httpx.AsyncClient(base_url=base, timeout=30) as client,
        client.stream(
            "GET",
            f"/api/v1/chat/{customer.session_id}/stream",
            headers={**customer.headers, "Last-Event-ID": after},
        ) as response,
    ):
        assert response.status_code == 200, await response.aread()
        return [e.event for e in await sse_events(response)]


async def test_staff_events_is_not_there_for_strangers_and_customers(
    client: AsyncTestClient[Any], people: People
) -> None:
    missing = await client.get("/api/v1/no-such-path")
    for headers in ({}, {"Authorization": "Bearer forged"}, people.customer.headers):
        response = await client.get(EVENTS, headers=headers)
        assert (response.status_code, response.json()) == (404, missing.json())
        resumed = await client.get(f"{EVENTS}?last_event_id=nonsense", headers=headers)
        assert resumed.status_code == 404  # before the query is read


async def test_staff_events_open_for_kitchen_and_managers(live: LiveServer, people: People) -> None:
    for member in (people.kitchen, people.manager):
        async with open_board(live.url, member.headers) as board:
            assert board.status == 200
        async with httpx.AsyncClient(base_url=live.url, timeout=10) as client:
            response = await client.get(
                EVENTS, headers={**member.headers, "Last-Event-ID": "not-an-id"}
            )
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_staff_events_show_placed_and_moved_orders_and_the_chat_hears_it(
    live: LiveServer, resources: Resources, people: People
) -> None:
    customer, kitchen = people.customer, people.kitchen
    async with (
        open_board(live.url, kitchen.headers) as board,
        websockets.connect(
            f"{live.ws_url}/api/v1/chat/{customer.session_id}",
            additional_headers=customer.headers,
        ) as connection,
    ):
        socket = Socket(connection)
        await socket.run()  # the history's run
        order = await _order_over_rest(live.url, resources, customer)
        number = order["number"]

        placed = await board.next_for(number)
        assert placed.name == "order" and placed.id
        board_order = placed.data["order"]
        assert board_order["status"] == "placed"
        # Exactly the order as GET /staff/orders shows it.
        async with httpx.AsyncClient(base_url=live.url, timeout=10) as client:
            listed = (await client.get("/api/v1/staff/orders", headers=kitchen.headers)).json()
        assert board_order in listed["orders"]

        moved = await _move(live.url, kitchen, number, "accepted")
        accepted = await board.next_for(number)
        assert accepted.data["order"] == moved
        assert accepted.id is not None and placed.id is not None
        assert id_key(accepted.id) > id_key(placed.id)

        # The open chat socket gets the move as a short run: the card, then one line.
        update = await socket.run(wait=10)
        assert [e["type"] for e in update] == UPDATE_RUN
        card = update[1]
        assert card["name"] == "ORDER_DATA"
        assert (card["value"]["number"], card["value"]["status"]) == (number, "accepted")
        assert update[3]["delta"] == f"Your order #{number} was accepted."
        assert all(e["metadata"]["eventId"] for e in update)  # in the event log

    # A reconnecting client reads it from the event log.
    await _move(live.url, kitchen, number, "preparing")
    await _move(live.url, kitchen, number, "ready")
    ready_line = f"Your order #{number} is ready for pickup."
    for _ in range(100):  # written in the background, after each move's answer
        logged = await _chat_log(live.url, customer)
        texts = [e.get("delta") for e in logged if e["type"] == "TEXT_MESSAGE_CONTENT"]
        if ready_line in texts:
            break
        await asyncio.sleep(0.05)
    assert texts[-3:] == [
        f"Your order #{number} was accepted.",
        f"Your order #{number} is being prepared.",
        ready_line,
    ]
    statuses = [e["value"]["status"] for e in logged if e.get("name") == "ORDER_DATA"]
    assert statuses[-3:] == ["accepted", "preparing", "ready"]

    # A reload reads the history: the same lines, each with its card.
    async with httpx.AsyncClient(base_url=live.url, timeout=10) as client:
        history = await client.get(
            f"/api/v1/chat/{customer.session_id}/messages", headers=customer.headers
        )
    assert history.status_code == 200, history.text
    said = [m for m in history.json()["messages"] if m["role"] == "assistant"]
    assert [m["content"] for m in said[-3:]] == texts[-3:]
    assert [m["cards"][0]["data"]["status"] for m in said[-3:]] == statuses[-3:]

    # The conversation goes on from there, the updates kept.
    session = Session(customer.session_id, customer.token)
    turn = await sse_turn(live.url, session, "where is my order?")
    assert turn[-1].event["type"] == "RUN_FINISHED"
    async with httpx.AsyncClient(base_url=live.url, timeout=10) as client:
        history = await client.get(
            f"/api/v1/chat/{customer.session_id}/messages", headers=session.headers
        )
    contents = [m["content"] for m in history.json()["messages"]]
    assert ready_line in contents and contents[-2:][0] == "where is my order?"


def _cards(events: list[dict[str, Any]], number: str) -> list[str]:
    """The statuses of order `number`'s ORDER_DATA cards among `events`."""
    return [
        e["value"]["status"]
        for e in events
        if e.get("name") == "ORDER_DATA" and e["value"]["number"] == number
    ]


async def test_customer_cancel_over_rest_reaches_the_chat_once_and_one_in_the_chat_is_not_repeated(
    live: LiveServer, client: AsyncTestClient[Any], resources: Resources
) -> None:
    customer = await sign_in(client, await new_caller(client))  # a chat of its own
    in_chat = (await _order_over_rest(live.url, resources, customer))["number"]
    over_rest = (await _order_over_rest(live.url, resources, customer))["number"]
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{customer.session_id}", additional_headers=customer.headers
    ) as connection:
        socket = Socket(connection)
        await socket.run()  # the history's run

        # Said in the chat: the turn answers with the cancelled card.
        asked = await socket.say(f"cancel order {in_chat}")
        assert _cards(asked, in_chat) == ["placed"]  # asked with its card
        turn = await socket.say("yes")
        assert _cards(turn, in_chat) == ["cancelled"]

        # Over REST: the open chat gets the cancelled card and its line, as for a staff move.
        async with httpx.AsyncClient(base_url=live.url, timeout=30) as rest:
            reply = await rest.post(f"/api/v1/orders/{over_rest}/cancel", headers=customer.headers)
        assert reply.status_code == 200 and reply.json()["status"] == "cancelled", reply.text
        update = await socket.run(wait=10)  # the first run after the turn: no copy of its cancel
        assert [e["type"] for e in update] == UPDATE_RUN
        assert _cards(update, over_rest) == ["cancelled"]
        assert update[3]["delta"] == f"Your order #{over_rest} was cancelled."

    # The event log and the history have each cancel once.
    logged = await _chat_log(live.url, customer)
    assert _cards(logged, in_chat) == ["placed", "cancelled"]
    assert _cards(logged, over_rest) == ["cancelled"]
    texts = [e.get("delta") for e in logged if e["type"] == "TEXT_MESSAGE_CONTENT"]
    assert texts.count(f"Your order #{over_rest} was cancelled.") == 1
    assert not [t for t in texts if t and t.startswith(f"Your order #{in_chat}")]
    async with httpx.AsyncClient(base_url=live.url, timeout=10) as rest:
        history = await rest.get(
            f"/api/v1/chat/{customer.session_id}/messages", headers=customer.headers
        )
    assert history.status_code == 200, history.text
    said = [m for m in history.json()["messages"] if m["role"] == "assistant"]
    assert [m["content"] for m in said].count(f"Your order #{over_rest} was cancelled.") == 1
    shown = [c["data"] for m in said for c in m.get("cards") or [] if c["name"] == "ORDER_DATA"]
    assert [c["status"] for c in shown if c["number"] == over_rest] == ["cancelled"]
    assert [c["status"] for c in shown if c["number"] == in_chat] == ["placed", "cancelled"]


async def test_staff_events_resume_after_last_event_id(
    live: LiveServer, resources: Resources, people: People
) -> None:
    customer, kitchen = people.customer, people.kitchen
    async with open_board(live.url, kitchen.headers) as board:
        order = await _order_over_rest(live.url, resources, customer)
        number = order["number"]
        seen = await board.next_for(number)
    # The board is closed while the order moves twice; it reconnects with the last id it saw.
    await _move(live.url, kitchen, number, "accepted")
    await _move(live.url, kitchen, number, "preparing")
    assert seen.id is not None
    for headers in (
        {**kitchen.headers, "Last-Event-ID": seen.id},
        kitchen.headers,  # with ?last_event_id= below
    ):
        query = "" if "Last-Event-ID" in headers else f"?last_event_id={seen.id}"
        async with (
            httpx.AsyncClient(base_url=live.url, timeout=10) as client,
            client.stream("GET", EVENTS + query, headers=headers) as response,
        ):
            assert response.status_code == 200
            caught: list[tuple[str, str]] = []
            async for line in response.aiter_lines():
                if line.startswith(": listening"):
                    break
                if line.startswith("data:"):
                    body = json.loads(line[5:])
                    caught.append((body["order"]["number"], body["order"]["status"]))
        mine = [status for n, status in caught if n == number]
        assert mine == ["accepted", "preparing"]


async def test_staff_events_stream_is_capped_and_expires(
    live: LiveServer, resources: Resources, people: People
) -> None:
    await _order_over_rest(live.url, resources, people.customer)
    ttl = await resources.redis.ttl(BOARD_STREAM)
    assert 0 < ttl <= 86_400


async def test_staff_move_reaches_a_chat_socket_on_another_replica(
    live: LiveServer, app_settings: Settings, resources: Resources, people: People
) -> None:
    customer, kitchen = people.customer, people.kitchen
    order = await _order_over_rest(live.url, resources, customer)
    with LiveServer(app_settings) as other:
        async with websockets.connect(
            f"{other.ws_url}/api/v1/chat/{customer.session_id}",
            additional_headers=customer.headers,
        ) as connection:
            socket = Socket(connection)
            await socket.run()  # the history's run
            await _move(live.url, kitchen, order["number"], "accepted")  # on the first replica
            update = await socket.run(wait=10)
    assert update[1]["name"] == "ORDER_DATA"
    assert update[1]["value"]["status"] == "accepted"
    assert update[3]["delta"] == f"Your order #{order['number']} was accepted."


async def test_staff_events_end_when_the_replica_drains(
    app_settings: Settings, people: People
) -> None:
    with LiveServer(app_settings) as other:
        board = Board()
        reader = asyncio.create_task(_read_board(other.url, people.kitchen.headers, board))
        async with asyncio.timeout(10):
            await board.listening.wait()
        # Step 2 of a drain (restaurant/drain.py): no chat socket waits on it in this server, and
        # the board's stream looks at it every second.
        other.app.state.drain.closing.set()
        async with asyncio.timeout(5):
            await reader  # the stream ended: the browser reconnects, through the proxy, elsewhere
