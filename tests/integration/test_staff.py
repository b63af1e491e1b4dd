"""Staff accounts and the order board's REST: who may call what, and orders moved over HTTP.

Every staff endpoint is called with no token, a customer's, a kitchen member's and a manager's:
the first two get the 404 of a path that does not exist, a kitchen member gets 403 on a
manager's endpoint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient

from graph.intents import OrderType
from graph.models import ChoiceSpec, LineSpec, OrderCreate, OrderRead
from restaurant.auth.sessions import new_chat_id
from restaurant.db.models import OrderStatus as DbStatus
from restaurant.db.models import StaffRole
from restaurant.lifespan import Resources
from restaurant.services.order_events import Customer, OrderMoved, OrderPlaced
from restaurant.services.orders import OrderService
from restaurant.services.staff import StaffService
from tests.integration.auth_support import (
    Caller,
    new_caller,
    new_phone,
    sign_in,
)

STAFF = "/api/v1/staff"
PIZZA = LineSpec(
    item="pepperoni_pizza",
    quantity=2,
    choices=(
        ChoiceSpec(group="pizza_size", option="large"),
        ChoiceSpec(group="toppings", option="cheese", qualifier="extra"),
        ChoiceSpec(group="toppings", option="onions", exclude=True),
    ),
)


async def place(resources: Resources, order_type: OrderType = OrderType.PICKUP) -> OrderRead:
    """A new order of a new customer: two large pepperoni pizzas (three for a delivery)."""
    session = new_chat_id()
    lines = [PIZZA, LineSpec(item="coke")]
    if order_type is OrderType.DELIVERY:
        lines.append(LineSpec(item="pepperoni_pizza"))
    change = await resources.services.carts.add(session, lines)
    assert not change.refused
    return await resources.services.orders.place(
        OrderCreate(
            session_id=session,
            user_id=await resources.services.users.upsert(new_phone()),
            type=order_type,
            address="1 Main St" if order_type is OrderType.DELIVERY else None,
            idempotency_key=session,
        )
    )


async def staff_caller(
    client: AsyncTestClient[Any], resources: Resources, role: StaffRole, name: str
) -> Caller:
    """A staff member added to the staff table, then signed in as any customer is."""
    phone = new_phone()
    await StaffService(resources.sessions).add(phone, name, role)
    return await sign_in(client, await new_caller(client), phone)


@dataclass
class Callers:
    """One caller of each kind."""

    customer: Caller
    kitchen: Caller
    manager: Caller

    def headers(self, who: str) -> dict[str, str]:
        """The bearer header of `who` ('nobody' has none, 'forged' one no session has)."""
        if who == "nobody":
            return {}
        if who == "forged":
            return {"Authorization": "Bearer not-a-session-token"}
        return dict(getattr(self, who).headers)


@pytest.fixture(scope="module")
async def callers(client: AsyncTestClient[Any], resources: Resources) -> Callers:
    """A signed-in customer, a kitchen member and a manager."""
    return Callers(
        customer=await sign_in(client, await new_caller(client)),
        kitchen=await staff_caller(client, resources, StaffRole.KITCHEN, "Kim Kitchen"),
        manager=await staff_caller(client, resources, StaffRole.MANAGER, "Mona Manager"),
    )


Call = Callable[[AsyncTestClient[Any], Resources, dict[str, str]], Awaitable[Any]]


async def _me(client: AsyncTestClient[Any], resources: Resources, headers: dict[str, str]) -> Any:
    return await client.get(f"{STAFF}/me", headers=headers)


async def _members(
    client: AsyncTestClient[Any], resources: Resources, headers: dict[str, str]
) -> Any:
    return await client.get(f"{STAFF}/members", headers=headers)


async def _orders(
    client: AsyncTestClient[Any], resources: Resources, headers: dict[str, str]
) -> Any:
    return await client.get(f"{STAFF}/orders", headers=headers)


async def _move(client: AsyncTestClient[Any], resources: Resources, headers: dict[str, str]) -> Any:
    number = (await place(resources)).number
    return await client.post(
        f"{STAFF}/orders/{number}/status", json={"status": "accepted"}, headers=headers
    )


async def _history(
    client: AsyncTestClient[Any], resources: Resources, headers: dict[str, str]
) -> Any:
    number = (await place(resources)).number
    return await client.get(f"{STAFF}/orders/{number}/history", headers=headers)


# Each staff endpoint and the role it needs.
ENDPOINTS: dict[str, tuple[Call, StaffRole]] = {
    "GET /staff/me": (_me, StaffRole.KITCHEN),
    "GET /staff/members": (_members, StaffRole.MANAGER),
    "GET /staff/orders": (_orders, StaffRole.KITCHEN),
    "POST /staff/orders/{number}/status": (_move, StaffRole.KITCHEN),
    "GET /staff/orders/{number}/history": (_history, StaffRole.MANAGER),
}


@pytest.mark.parametrize("who", ["nobody", "forged", "customer", "kitchen", "manager"])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
async def test_staff_endpoints_check_the_role(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers, endpoint: str, who: str
) -> None:
    call, role = ENDPOINTS[endpoint]
    response = await call(client, resources, callers.headers(who))
    await assert_role_answer(client, callers, response, who, role)


async def assert_role_answer(
    client: AsyncTestClient[Any], callers: Callers, response: Any, who: str, role: StaffRole
) -> None:
    """What a staff endpoint that needs `role` answered `who`: the staff API is not there for
    anyone but staff (exactly what a path that does not exist answers), a kitchen account is
    refused a manager's page, and the rest is served."""
    if who in ("nobody", "forged", "customer"):
        missing = await client.get("/api/v1/no-such-path", headers=callers.headers(who))
        assert (response.status_code, response.json()) == (404, missing.json())
    elif who == "kitchen" and role is StaffRole.MANAGER:
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/problem+json")
    else:
        assert response.status_code == 200, response.text


async def test_staff_guard_answers_before_reading_the_request(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    # A customer's bad body or query gets the same 404, never a 400 that shows the route.
    for who in ("nobody", "forged", "customer"):
        headers = callers.headers(who)
        bad_body = await client.post(f"{STAFF}/orders/AAAAA/status", json={"x": 1}, headers=headers)
        bad_query = await client.get(f"{STAFF}/orders?limit=-1", headers=headers)
        not_json = await client.post(
            f"{STAFF}/orders/AAAAA/status",
            content=b"status=accepted",
            headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert bad_body.status_code == bad_query.status_code == not_json.status_code == 404
    # A removed member is a stranger at once: the role is read on each request.
    gone = await staff_caller(client, resources, StaffRole.MANAGER, "Gone Soon")
    assert (await _me(client, resources, gone.headers)).json()["role"] == "manager"
    assert gone.phone is not None
    assert await StaffService(resources.sessions).remove(gone.phone)
    assert (await _me(client, resources, gone.headers)).status_code == 404


async def test_staff_me_and_members(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    me = (await _me(client, resources, callers.kitchen.headers)).json()
    assert me == {"phone": callers.kitchen.phone, "name": "Kim Kitchen", "role": "kitchen"}
    members = (await _members(client, resources, callers.manager.headers)).json()["members"]
    roles = [m["role"] for m in members]
    assert roles == sorted(roles, key=lambda r: r != "manager")  # managers first
    assert {"phone": callers.manager.phone, "name": "Mona Manager", "role": "manager"} in members


async def test_staff_board_reads_orders_as_the_kitchen_does(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    order = await place(resources)
    async with resources.engine.begin() as conn:
        await conn.execute(
            sa.text("UPDATE app_user SET name = 'Ana María López' WHERE id = :id"),
            {"id": order.user_id},
        )
    response = await client.get(f"{STAFF}/orders?status=placed", headers=callers.kitchen.headers)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store, private"
    board = response.json()["orders"]
    mine = next(o for o in board if o["number"] == order.number)
    assert [line["text"] for line in mine["lines"]] == [
        '2 × Large 14" Pepperoni Pizza — extra mozzarella, NO red onions',
        "1 × Medium 20 oz Coca-Cola",  # a size is written even when the menu chose it
    ]
    assert mine["lines"][0]["options"] == ['Large 14"', "extra mozzarella", "NO red onions"]
    assert mine["customer"]["first_name"] == "Ana"
    phone = mine["customer"]["phone"]
    assert phone.startswith("+1*") and "*" * 6 in phone and len(phone) == 12
    assert mine["type"] == "pickup" and mine["status"] == "placed"
    assert mine["next"] == ["accepted", "rejected"]
    assert datetime.fromisoformat(mine["ready_at"]) == order.ready_at
    assert all(o["status"] == "placed" for o in board)
    placed_at = [o["placed_at"] for o in board]
    assert placed_at == sorted(placed_at, reverse=True)  # newest first

    # Repeated or comma-separated; an unknown status is a 400; the default is the open ones.
    await client.post(
        f"{STAFF}/orders/{order.number}/status",
        json={"status": "accepted"},
        headers=callers.kitchen.headers,
    )
    for query in ("status=placed,accepted", "status=placed&status=accepted", ""):
        listed = await client.get(f"{STAFF}/orders?{query}", headers=callers.kitchen.headers)
        assert order.number in {o["number"] for o in listed.json()["orders"]}, query
    only_placed = await client.get(f"{STAFF}/orders?status=placed", headers=callers.kitchen.headers)
    assert order.number not in {o["number"] for o in only_placed.json()["orders"]}
    unknown = await client.get(f"{STAFF}/orders?status=done", headers=callers.kitchen.headers)
    assert unknown.status_code == 400
    assert "out_for_delivery" in unknown.json()["detail"]


PATHS = {
    OrderType.PICKUP: ["accepted", "preparing", "ready", "collected"],
    OrderType.DELIVERY: ["accepted", "preparing", "out_for_delivery", "delivered"],
    OrderType.DINE_IN: ["accepted", "preparing", "ready", "served"],
}
EVERY_STATUS = [
    "placed",
    "accepted",
    "preparing",
    "ready",
    "out_for_delivery",
    "collected",
    "delivered",
    "served",
    "rejected",
    "cancelled",
]


@pytest.mark.parametrize("order_type", list(PATHS), ids=lambda t: t.value)
async def test_staff_move_orders_along_their_path_over_rest(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers, order_type: OrderType
) -> None:
    order = await place(resources, order_type)
    url = f"{STAFF}/orders/{order.number.lower()}/status"
    kitchen = callers.kitchen.headers
    status = "placed"
    promised = (datetime.now(UTC) + timedelta(minutes=50)).replace(microsecond=0)
    for step in PATHS[order_type]:
        # Every status but the next step (and rejecting from placed) is a 409 problem.
        for wrong in EVERY_STATUS:
            if wrong == step or (status == "placed" and wrong == "rejected"):
                continue
            refused = await client.post(url, json={"status": wrong}, headers=kitchen)
            assert refused.status_code == 409, (status, wrong)
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert f"#{order.number}" in refused.json()["detail"]
        body: dict[str, Any] = {"status": step}
        if step == "accepted":
            body["ready_at"] = promised.isoformat()
        else:  # a new time is only for accepting
            late = await client.post(
                url, json={**body, "ready_at": promised.isoformat()}, headers=kitchen
            )
            assert late.status_code == 422
        moved = await client.post(url, json=body, headers=kitchen)
        assert moved.status_code == 200, moved.text
        assert moved.json()["status"] == step
        status = step
    final = moved.json()
    assert final["next"] == []
    assert datetime.fromisoformat(final["ready_at"]) == promised

    history = await client.get(
        f"{STAFF}/orders/{order.number}/history", headers=callers.manager.headers
    )
    changes = history.json()["changes"]
    assert [(c["from_status"], c["to_status"]) for c in changes] == list(
        zip(["placed", *PATHS[order_type][:-1]], PATHS[order_type], strict=True)
    )
    assert {(c["actor"], c["staff_name"]) for c in changes} == {("staff", "Kim Kitchen")}
    assert datetime.fromisoformat(changes[0]["ready_at"]) == promised
    assert all(c["ready_at"] is None for c in changes[1:])
    times = [c["at"] for c in changes]
    assert times == sorted(times)


async def test_staff_reject_needs_a_reason_and_the_customer_sees_it(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    customer = await sign_in(client, await new_caller(client))
    await resources.services.carts.add(customer.session_id, [LineSpec(item="coke")])
    placed = await client.post(
        "/api/v1/orders",
        json={"session_id": customer.session_id, "order_type": "pickup"},
        headers={**customer.headers, "Idempotency-Key": "reject-me"},
    )
    number = placed.json()["number"]
    url = f"{STAFF}/orders/{number}/status"
    for body in ({"status": "rejected"}, {"status": "rejected", "reason": "  "}):
        refused = await client.post(url, json=body, headers=callers.manager.headers)
        assert refused.status_code == 422
        assert "reason" in refused.json()["detail"]
    too_far = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    refused = await client.post(
        url, json={"status": "accepted", "ready_at": too_far}, headers=callers.kitchen.headers
    )
    assert refused.status_code == 422
    naive = await client.post(
        url,
        json={"status": "accepted", "ready_at": "2030-01-01T10:00:00"},
        headers=callers.kitchen.headers,
    )
    assert naive.status_code == 400
    rejected = await client.post(
        url, json={"status": "rejected", "reason": "Out of dough"}, headers=callers.manager.headers
    )
    assert rejected.json()["status"] == "rejected"
    mine = await client.get(f"/api/v1/orders/{number}", headers=customer.headers)
    assert mine.json()["status"] == "rejected"
    late = await client.post(f"/api/v1/orders/{number}/cancel", headers=customer.headers)
    assert late.status_code == 409
    history = await client.get(f"{STAFF}/orders/{number}/history", headers=callers.manager.headers)
    assert [(c["to_status"], c["reason"], c["staff_name"]) for c in history.json()["changes"]] == [
        ("rejected", "Out of dough", "Mona Manager")
    ]
    missing = await client.post(
        f"{STAFF}/orders/AAAAA/status", json={"status": "accepted"}, headers=callers.kitchen.headers
    )
    assert missing.status_code == 404 and "AAAAA" in missing.json()["detail"]


async def test_staff_customer_cancel_is_recorded_and_ends_staff_moves(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    customer = await sign_in(client, await new_caller(client))
    await resources.services.carts.add(customer.session_id, [LineSpec(item="coke")])
    placed = await client.post(
        "/api/v1/orders",
        json={"session_id": customer.session_id, "order_type": "pickup"},
        headers={**customer.headers, "Idempotency-Key": "cancel-me"},
    )
    number = placed.json()["number"]
    url = f"{STAFF}/orders/{number}/status"
    assert (
        await client.post(url, json={"status": "accepted"}, headers=callers.kitchen.headers)
    ).status_code == 200
    cancelled = await client.post(f"/api/v1/orders/{number}/cancel", headers=customer.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    # Staff cannot cancel, nor move a cancelled order.
    for status in ("preparing", "cancelled"):
        refused = await client.post(url, json={"status": status}, headers=callers.manager.headers)
        assert refused.status_code == 409
    history = await client.get(f"{STAFF}/orders/{number}/history", headers=callers.manager.headers)
    assert [(c["to_status"], c["actor"], c["staff_name"]) for c in history.json()["changes"]] == [
        ("accepted", "staff", "Kim Kitchen"),
        ("cancelled", "customer", None),
    ]


class Recorder:
    """An `OrderEvents` that keeps what it is told."""

    def __init__(self) -> None:
        self.events: list[OrderPlaced | OrderMoved] = []

    async def placed(self, event: OrderPlaced) -> None:
        """Keep it."""
        self.events.append(event)

    async def moved(self, event: OrderMoved) -> None:
        """Keep it."""
        self.events.append(event)


async def test_staff_order_events_are_told_after_each_change(resources: Resources) -> None:
    recorder = Recorder()
    orders = OrderService(resources.sessions, resources.menu, events=recorder)
    session = new_chat_id()
    await resources.services.carts.add(session, [LineSpec(item="coke")])
    phone = new_phone()
    user = await resources.services.users.upsert(phone)
    request = OrderCreate(
        session_id=session, user_id=user, type=OrderType.PICKUP, idempotency_key=session
    )
    order = await orders.place(request)
    assert await orders.place(request) == order  # a retry tells no one again
    member, _ = await StaffService(resources.sessions).add(new_phone(), "Kai", StaffRole.KITCHEN)
    await orders.set_status(order.number, DbStatus.ACCEPTED, staff=member)
    await orders.cancel(user, order.number)
    placed, accepted, cancelled = recorder.events
    # With its customer as the transaction read them: the board's entry needs no read.
    customer = Customer(name=None, phone=phone)
    assert placed == OrderPlaced(order=order, session_id=session, customer=customer)
    assert accepted.customer == cancelled.customer == customer
    assert isinstance(accepted, OrderMoved) and isinstance(cancelled, OrderMoved)
    assert (accepted.previous, accepted.order.status, accepted.staff_name) == (
        "placed",
        "accepted",
        "Kai",
    )
    assert (cancelled.previous, cancelled.actor, cancelled.session_id) == (
        "accepted",
        "customer",
        session,
    )

    class Broken(Recorder):
        async def moved(self, event: OrderMoved) -> None:
            raise RuntimeError("the listener is down")

    # A listener's failure never fails the change, which is committed before it is told.
    broken = OrderService(resources.sessions, resources.menu, events=Broken())
    other = await place(resources)
    moved = await broken.set_status(other.number, DbStatus.ACCEPTED, staff=member)
    assert moved.status == "accepted"


async def test_staff_two_moves_at_once_one_wins(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    # The row lock queues them: the second sees 'accepted' and is refused, recorded once.
    order = await place(resources)
    url = f"{STAFF}/orders/{order.number}/status"
    answers = await asyncio.gather(
        client.post(url, json={"status": "accepted"}, headers=callers.kitchen.headers),
        client.post(url, json={"status": "accepted"}, headers=callers.manager.headers),
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    history = await client.get(
        f"{STAFF}/orders/{order.number}/history", headers=callers.manager.headers
    )
    assert len(history.json()["changes"]) == 1
