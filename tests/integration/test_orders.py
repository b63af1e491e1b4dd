"""Orders over real PostgreSQL: one order per idempotency key under load, numbers, statuses."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from graph.intents import OrderType
from graph.memory import MemoryCart, MemoryOrders
from graph.menu import WEEKDAYS, Menu, OpeningHours, load_menu
from graph.models import LineSpec, OrderCreate, OrderError, OrderStatus
from graph.venue import DAY_NAMES
from restaurant.app import create_app
from restaurant.auth.sessions import new_chat_id
from restaurant.db.engine import create_engine
from restaurant.db.migrate import upgrade
from restaurant.db.models import StaffRole
from restaurant.db.models.orders import OrderStatus as Status
from restaurant.lifespan import Resources, open_resources
from restaurant.services.carts import CartService
from restaurant.services.menu import MenuService
from restaurant.services.menu_import import import_menu
from restaurant.services.orders import (
    NUMBER_ALPHABET,
    OrderConflict,
    OrderNotFound,
    OrderService,
    new_order_number,
)
from restaurant.services.staff import StaffService
from restaurant.services.users import UserService
from restaurant.settings import Settings
from tests.integration.auth_support import new_caller, new_phone, sign_in

REPO = Path(__file__).resolve().parents[2]


def resources_staff(resources: Resources) -> StaffService:
    """The staff accounts on the test's database."""
    return StaffService(resources.sessions)


async def _user(resources: Resources) -> UUID:
    return await resources.services.users.upsert(new_phone())


async def _filled_cart(resources: Resources, *lines: LineSpec) -> str:
    session = new_chat_id()
    change = await resources.services.carts.add(session, lines or [LineSpec(item="coke")])
    assert not change.refused
    return session


def test_orders_numbers_avoid_look_alikes() -> None:
    numbers = {new_order_number() for _ in range(2000)}
    assert len(numbers) > 1990
    assert all(len(n) == 5 and set(n) <= set(NUMBER_ALPHABET) for n in numbers)
    assert all(any(c.isdigit() for c in n) and any(c.isalpha() for c in n) for n in numbers)
    assert not set("0O1IL2Z5S8BUV") & set(NUMBER_ALPHABET)


async def test_orders_place_totals_like_the_memory_desk(resources: Resources) -> None:
    lines = (
        LineSpec(item="pepperoni_pizza", quantity=2),
        LineSpec(item="french_fries"),
        LineSpec(item="coke", quantity=3),
    )
    user = await _user(resources)
    session = await _filled_cart(resources, *lines)
    request = OrderCreate(
        session_id=session,
        user_id=user,
        type=OrderType.DELIVERY,
        address="1 Main St",
        idempotency_key=f"totals-{session}",
    )
    order = await resources.services.orders.place(request)
    memory_cart = MemoryCart((await resources.menu.snapshot()).menu)
    await memory_cart.add(session, lines)
    expected = await MemoryOrders(memory_cart).place(request)
    for field in (
        "subtotal",
        "delivery_fee",
        "tax",
        "total",
        "type",
        "status",
        "address",
        "currency",
    ):
        assert getattr(order, field) == getattr(expected, field), field
    assert order.delivery_fee == Decimal("3.99")
    assert [(ln.item, ln.quantity, ln.line_total) for ln in order.lines] == [
        (ln.item, ln.quantity, ln.line_total) for ln in expected.lines
    ]
    assert (order.ready_at - order.placed_at).total_seconds() == 40 * 60
    assert (await resources.services.carts.get(session)).empty  # the cart became the order
    assert await resources.services.orders.get(user, order.number.lower()) == order
    assert await resources.services.orders.get(user, f"#{order.number}") == order


async def test_orders_refuse_empty_carts_and_deliveries_without_address(
    resources: Resources,
) -> None:
    orders = resources.services.orders
    user = await _user(resources)
    with pytest.raises(OrderError, match="empty"):
        await orders.place(
            OrderCreate(
                session_id=new_chat_id(), user_id=user, type=OrderType.PICKUP, idempotency_key="e1"
            )
        )
    session = await _filled_cart(resources)
    with pytest.raises(OrderError, match="address"):
        await orders.place(
            OrderCreate(
                session_id=session,
                user_id=user,
                type=OrderType.DELIVERY,
                address="   ",
                idempotency_key=f"addr-{session}",
            )
        )
    assert not (await resources.services.carts.get(session)).empty  # nothing was taken


async def test_orders_200_concurrent_checkouts_retried_make_one_order_each(
    resources: Resources,
) -> None:
    """200 checkouts, each sent 3 times at once with its key: 200 orders, none lost or doubled."""
    user = await _user(resources)
    sessions = await asyncio.gather(
        *(
            _filled_cart(resources, LineSpec(item="tiramisu", quantity=1 + i % 3))
            for i in range(200)
        )
    )
    requests = [
        OrderCreate(
            session_id=session,
            user_id=user,
            type=OrderType.PICKUP,
            idempotency_key=f"load-{session}",
        )
        for session in sessions
    ]
    attempts = [request for request in requests for _ in range(3)]
    random.shuffle(attempts)
    placed = await asyncio.gather(*(resources.services.orders.place(r) for r in attempts))
    by_key: dict[str, set[str]] = {}
    for request, order in zip(attempts, placed, strict=True):
        by_key.setdefault(request.idempotency_key, set()).add(order.number)
    assert len(by_key) == 200
    assert all(len(numbers) == 1 for numbers in by_key.values())  # every retry got the first order
    numbers = [next(iter(n)) for n in by_key.values()]
    assert len(set(numbers)) == 200  # unique order numbers
    mine = await resources.services.orders.list_for_user(user, limit=100)
    assert len(mine) == 100
    everything = await resources.services.orders.list_for_user(user, limit=1000)
    assert sorted(o.number for o in everything) == sorted(numbers)
    # Each order carries its own cart's lines, and every cart is now empty.
    for request in requests[:20]:
        order = next(
            o for o in everything if o.number == next(iter(by_key[request.idempotency_key]))
        )
        assert len(order.lines) == 1 and order.lines[0].item == "tiramisu"
        assert (await resources.services.carts.get(request.session_id)).empty


async def test_orders_one_key_on_several_carts_makes_one_order(resources: Resources) -> None:
    """A key is the last word across sessions too: checkouts of several carts with one key
    at once make one order, the others get it back and keep their carts; another customer
    with that key is refused."""
    user = await _user(resources)
    sessions = await asyncio.gather(*(_filled_cart(resources) for _ in range(8)))
    key = f"shared-{sessions[0]}"
    placed = await asyncio.gather(
        *(
            resources.services.orders.place(
                OrderCreate(
                    session_id=session, user_id=user, type=OrderType.PICKUP, idempotency_key=key
                )
            )
            for session in sessions
        )
    )
    assert len({order.number for order in placed}) == 1
    assert len(await resources.services.orders.list_for_user(user, limit=100)) == 1
    emptied = [(await resources.services.carts.get(s)).empty for s in sessions]
    assert emptied.count(True) == 1
    with pytest.raises(OrderError, match="already used"):
        await resources.services.orders.place(
            OrderCreate(
                session_id=sessions[emptied.index(False)],
                user_id=await _user(resources),
                type=OrderType.PICKUP,
                idempotency_key=key,
            )
        )


async def test_orders_number_collisions_are_redrawn(resources: Resources) -> None:
    taken = "".join(random.choice(NUMBER_ALPHABET) for _ in range(5))
    fresh = "".join(random.choice(NUMBER_ALPHABET) for _ in range(5))
    draws = itertools.chain([taken, taken, taken, fresh], itertools.repeat(fresh))
    orders = OrderService(resources.sessions, resources.menu, numbers=lambda: next(draws))
    user = await _user(resources)
    first = await orders.place(
        OrderCreate(
            session_id=await _filled_cart(resources),
            user_id=user,
            type=OrderType.DINE_IN,
            idempotency_key=f"c1-{taken}",
        )
    )
    second = await orders.place(
        OrderCreate(
            session_id=await _filled_cart(resources),
            user_id=user,
            type=OrderType.DINE_IN,
            idempotency_key=f"c2-{taken}",
        )
    )
    assert (first.number, second.number) == (taken, fresh)
    # The draws that collided wrote nothing: no line went to the order holding the number, and
    # each order reads back as it was answered.
    assert await orders.get(user, taken) == first and len(first.lines) == 1
    assert await orders.get(user, fresh) == second and len(second.lines) == 1


async def test_orders_customer_cancels_only_before_preparing(resources: Resources) -> None:
    # Every move of the table is tested in test_order_lifecycle.py; this is the customer's side.
    orders = resources.services.orders
    user = await _user(resources)
    kitchen, _ = await resources_staff(resources).add(new_phone(), "Kit", StaffRole.KITCHEN)

    async def place() -> str:
        session = await _filled_cart(resources)
        order = await orders.place(
            OrderCreate(
                session_id=session, user_id=user, type=OrderType.PICKUP, idempotency_key=session
            )
        )
        assert order.status is OrderStatus.PLACED
        return order.number

    number = await place()
    assert (await orders.cancel(user, number)).status is OrderStatus.CANCELLED
    with pytest.raises(OrderConflict, match="already cancelled"):
        await orders.cancel(user, number)
    with pytest.raises(OrderConflict):
        await orders.set_status(number, Status.ACCEPTED, staff=kitchen)
    number = await place()
    await orders.set_status(number, Status.ACCEPTED, staff=kitchen)
    assert (await orders.cancel(user, number)).status is OrderStatus.CANCELLED
    number = await place()
    await orders.set_status(number, Status.ACCEPTED, staff=kitchen)
    await orders.set_status(number, Status.PREPARING, staff=kitchen)
    with pytest.raises(OrderConflict, match="already preparing, so it can't be cancelled"):
        await orders.cancel(user, number)
    with pytest.raises(OrderNotFound):
        await orders.cancel(await _user(resources), number)  # another customer's order


async def test_orders_rest_checkout_list_get_cancel(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    caller = await sign_in(client, await new_caller(client))
    await resources.services.carts.add(
        caller.session_id, [LineSpec(item="margherita_pizza"), LineSpec(item="sprite")]
    )
    body = {"session_id": caller.session_id, "order_type": "pickup"}
    for bad in (
        {**body, "order_type": "teleport"},
        {**body, "order_type": "delivery", "address": "x" * 501},
        # PostgreSQL refuses NUL in text: a clear 400 here, never "store unavailable"
        {**body, "order_type": "delivery", "address": "12 Main St\x00 Apt 4"},
        {**body, "session_id": "abc\x00"},
        {**body, "tip": "100"},
        {"order_type": "pickup"},
    ):
        refused = await client.post(
            "/api/v1/orders", json=bad, headers={**caller.headers, "Idempotency-Key": "bad"}
        )
        assert refused.status_code == 400, bad
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "unavailable" not in refused.text
    missing_key = await client.post("/api/v1/orders", json=body, headers=caller.headers)
    assert missing_key.status_code == 400
    assert "Idempotency-Key" in missing_key.text
    headers = {**caller.headers, "Idempotency-Key": "checkout-1"}
    responses = await asyncio.gather(
        *(client.post("/api/v1/orders", json=body, headers=headers) for _ in range(5))
    )
    assert {r.status_code for r in responses} == {201}
    numbers = {r.json()["number"] for r in responses}
    assert len(numbers) == 1
    number = numbers.pop()
    order = responses[0].json()
    assert order["status"] == "placed"
    assert order["type"] == "pickup"
    assert Decimal(str(order["total"])) == Decimal(str(order["subtotal"])) + Decimal(
        str(order["tax"])
    )

    again = await client.post(
        "/api/v1/orders", json=body, headers={**caller.headers, "Idempotency-Key": "checkout-2"}
    )
    assert again.status_code == 422
    assert "empty" in again.json()["detail"]

    listed = await client.get("/api/v1/orders", headers=caller.headers)
    assert [o["number"] for o in listed.json()["orders"]] == [number]
    got = await client.get(f"/api/v1/orders/{number.lower()}", headers=caller.headers)
    assert got.status_code == 200 and got.json()["number"] == number

    cancelled = await client.post(f"/api/v1/orders/{number}/cancel", headers=caller.headers)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    twice = await client.post(f"/api/v1/orders/{number}/cancel", headers=caller.headers)
    assert twice.status_code == 409
    assert twice.headers["content-type"].startswith("application/problem+json")

    await resources.services.carts.add(caller.session_id, [LineSpec(item="coke")])
    placed = await client.post(
        "/api/v1/orders", json=body, headers={**caller.headers, "Idempotency-Key": "checkout-3"}
    )
    kitchen, _ = await resources_staff(resources).add(new_phone(), "Kit", StaffRole.KITCHEN)
    for step in (Status.ACCEPTED, Status.PREPARING):
        await resources.services.orders.set_status(placed.json()["number"], step, staff=kitchen)
    late = await client.post(
        f"/api/v1/orders/{placed.json()['number']}/cancel", headers=caller.headers
    )
    assert late.status_code == 409
    assert "preparing" in late.json()["detail"]


async def test_orders_rest_needs_a_signed_in_session(client: AsyncTestClient[Any]) -> None:
    anonymous = await new_caller(client)
    for method, path in (("GET", "/api/v1/orders"), ("GET", "/api/v1/orders/AAAAA")):
        response = await client.request(method, path, headers=anonymous.headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")
    response = await client.post(
        "/api/v1/orders",
        json={"session_id": anonymous.session_id, "order_type": "pickup"},
        headers={**anonymous.headers, "Idempotency-Key": "k"},
    )
    assert response.status_code == 401
    assert (await client.get("/api/v1/orders")).status_code == 401  # no token at all


async def test_orders_rest_200_concurrent_retries_place_each_order_once(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    caller = await sign_in(client, await new_caller(client))
    chats = [
        (await client.post("/api/v1/sessions", headers=caller.headers)).json()["session_id"]
        for _ in range(50)
    ]
    await asyncio.gather(
        *(resources.services.carts.add(chat, [LineSpec(item="coke")]) for chat in chats)
    )
    calls = [(chat, f"key-{chat}") for chat in chats for _ in range(4)]
    random.shuffle(calls)
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/v1/orders",
                json={"session_id": chat, "order_type": "dine_in"},
                headers={**caller.headers, "Idempotency-Key": key},
            )
            for chat, key in calls
        )
    )
    assert {r.status_code for r in responses} == {201}
    by_chat: dict[str, set[str]] = {}
    for (chat, _), response in zip(calls, responses, strict=True):
        by_chat.setdefault(chat, set()).add(response.json()["number"])
    assert all(len(numbers) == 1 for numbers in by_chat.values())
    numbers = {n for ns in by_chat.values() for n in ns}
    assert len(numbers) == 50
    listed = await client.get("/api/v1/orders", params={"limit": 100}, headers=caller.headers)
    assert {o["number"] for o in listed.json()["orders"]} == numbers


# --- the restaurant's hours and delivery terms --------------------------------------------------
# The shared test database serves the demo menu always open (tests/conftest.py), so no test
# depends on the hour it runs at; these use the demo's real New York hours in databases of their
# own, with the order desk's clock pinned, or hours that exclude whenever the test runs.

NEW_YORK = ZoneInfo("America/New_York")
FRIDAY_AFTERNOON = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)  # 2:00 PM in New York: open
MONDAY_NIGHT = datetime(2026, 5, 5, 3, 30, tzinfo=UTC)  # Monday 11:30 PM in New York: closed


async def _import(url: str, menu: Menu) -> None:
    engine = create_async_engine(url)
    try:
        await import_menu(async_sessionmaker(engine), menu)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def real_hours_db(make_database: Callable[[str], str]) -> str:
    """A database of its own with the demo menu as the file has it: New York hours."""
    url = make_database("real_hours")
    upgrade(url)
    asyncio.run(_import(url, load_menu(REPO / "seeds" / "demo.json")))
    return url


@dataclass
class _Desk:
    """The PostgreSQL cart and order services on `real_hours_db`, the desk's clock settable."""

    carts: CartService
    users: UserService
    orders: OrderService
    now: list[datetime]

    async def cart(self, *lines: LineSpec) -> str:
        session = new_chat_id()
        assert not (await self.carts.add(session, lines)).refused
        return session


@pytest.fixture
async def desk(real_hours_db: str) -> AsyncIterator[_Desk]:
    engine = create_async_engine(real_hours_db)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    menu = MenuService(sessions, "demo")
    now = [FRIDAY_AFTERNOON]
    yield _Desk(
        CartService(sessions, menu),
        UserService(sessions),
        OrderService(sessions, menu, clock=lambda: now[0]),
        now,
    )
    await engine.dispose()


async def test_orders_closed_restaurant_refuses_and_keeps_the_cart(desk: _Desk) -> None:
    session = await desk.cart(LineSpec(item="margherita_pizza"))
    request = OrderCreate(
        session_id=session,
        user_id=await desk.users.upsert(new_phone()),
        type=OrderType.PICKUP,
        idempotency_key=f"closed-{session}",
    )
    desk.now[0] = MONDAY_NIGHT
    with pytest.raises(OrderError) as refused:
        await desk.orders.place(request)
    assert refused.value.message == "We're closed right now; we open again tomorrow at 11:00 AM."
    assert not (await desk.carts.get(session)).empty  # nothing was taken
    desk.now[0] = datetime(2026, 5, 5, 15, 0, tzinfo=UTC)  # Tuesday 11:00 AM: open again
    order = await desk.orders.place(request)
    assert order.ready_at - order.placed_at == timedelta(minutes=20)
    # A retry with the same key after closing time is the order already placed, not a refusal.
    desk.now[0] = datetime(2026, 5, 6, 3, 0, tzinfo=UTC)
    assert await desk.orders.place(request) == order


async def test_orders_delivery_minimum_and_terms_from_the_menu(desk: _Desk) -> None:
    session = await desk.cart(LineSpec(item="coke", quantity=3))  # $9.00 with the medium size
    request = OrderCreate(
        session_id=session,
        user_id=await desk.users.upsert(new_phone()),
        type=OrderType.DELIVERY,
        address="182 Mulberry Street",
        idempotency_key=f"minimum-{session}",
    )
    with pytest.raises(OrderError) as refused:
        await desk.orders.place(request)
    assert refused.value.message == (
        "Delivery needs a subtotal of at least $15.00; you're at $9.00."
    )
    await desk.carts.add(session, [LineSpec(item="coke", quantity=2)])
    order = await desk.orders.place(request)
    assert (order.subtotal, order.delivery_fee) == (Decimal("15.00"), Decimal("3.99"))
    assert order.ready_at - order.placed_at == timedelta(minutes=40)


def _closed_whenever_this_runs() -> tuple[Menu, int]:
    """The demo menu open only from noon to 1 PM on the day three days from now (in New York),
    and that weekday: closed at any hour the test runs."""
    demo = load_menu(REPO / "seeds" / "demo.json")
    assert demo.restaurant.info is not None
    day = (datetime.now(NEW_YORK) + timedelta(days=3)).weekday()
    hours = OpeningHours.model_validate({WEEKDAYS[day]: [{"open": "12:00", "close": "13:00"}]})
    info = demo.restaurant.info.model_copy(update={"hours": hours})
    restaurant = demo.restaurant.model_copy(update={"info": info})
    return demo.model_copy(update={"restaurant": restaurant}), day


@pytest.fixture(scope="module")
def closed_hours_db(make_database: Callable[[str], str]) -> tuple[str, int]:
    """A database with `_closed_whenever_this_runs()` imported, and its one open weekday."""
    url = make_database("closed_hours")
    upgrade(url)
    menu, day = _closed_whenever_this_runs()
    asyncio.run(_import(url, menu))
    return url, day


async def test_orders_rest_and_menu_api_when_closed(
    closed_hours_db: tuple[str, int], app_settings: Settings
) -> None:
    """The REST checkout goes through the same desk: 422 with the message the chat would say;
    the menu API carries the info block and the week's hours for people."""
    url, day = closed_hours_db
    settings = app_settings.model_copy(
        update={"db": app_settings.db.model_copy(update={"url": url})}
    )
    async with (
        AsyncTestClient(app=create_app(settings)) as client,
        open_resources(settings) as resources,  # the same stores, on this test's event loop
    ):
        body = (await client.get("/api/v1/menu")).json()
        assert body["restaurant"]["info"]["timezone"] == "America/New_York"
        assert body["restaurant"]["info"]["delivery"]["minimum"] == "15.00"
        assert f"{WEEKDAYS[day].capitalize()} noon-1:00 PM" in body["restaurant"]["hours_text"]
        caller = await sign_in(client, await new_caller(client))
        await resources.services.carts.add(caller.session_id, [LineSpec(item="margherita_pizza")])
        refused = await client.post(
            "/api/v1/orders",
            json={"session_id": caller.session_id, "order_type": "pickup"},
            headers={**caller.headers, "Idempotency-Key": "closed-1"},
        )
        assert refused.status_code == 422
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["detail"] == (
            f"We're closed right now; we open again {DAY_NAMES[day]} at noon."
        )


async def test_database_errors_never_carry_the_values(app_settings: Settings) -> None:
    """A statement that PostgreSQL refuses names no address, phone or user id in its error (and so
    in no log line): the engine hides parameters."""
    assert app_settings.db.url
    engine = create_engine(app_settings.db, app_settings.db.url)
    try:
        async with engine.connect() as conn:
            with pytest.raises(DBAPIError) as refused:
                await conn.execute(sa.text("SELECT CAST(:a AS text)"), {"a": "12 Secret St\x00"})
    finally:
        await engine.dispose()
    assert "Secret" not in str(refused.value)
    assert "hidden" in str(refused.value)
