"""A second customer reaches nothing of the first's: chat sessions, carts, orders (404, not 403)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from litestar.testing import AsyncTestClient

from graph.models import LineSpec
from restaurant.auth.sessions import new_chat_id
from restaurant.db.models import Cart
from restaurant.lifespan import Resources
from tests.integration.auth_support import Caller, new_caller, new_phone, sign_in


async def _cart_owner(resources: Resources, session_id: str) -> UUID | None:
    async with resources.sessions() as session:
        owner: UUID | None = (
            await session.execute(sa.select(Cart.user_id).where(Cart.session_id == session_id))
        ).scalar_one()
        return owner


async def _first_customer(
    client: AsyncTestClient[Any], resources: Resources
) -> tuple[Caller, str, str]:
    """A signed-in customer with a cart line and a placed order; returns (caller, line, number)."""
    first = await sign_in(client, await new_caller(client))
    await resources.services.carts.add(first.session_id, [LineSpec(item="greek_salad")])
    placed = await client.post(
        "/api/v1/orders",
        json={"session_id": first.session_id, "order_type": "pickup"},
        headers={**first.headers, "Idempotency-Key": "first-order"},
    )
    assert placed.status_code == 201
    line = (
        await resources.services.carts.add(first.session_id, [LineSpec(item="coke", quantity=2)])
    ).lines[0]
    return first, line.id, placed.json()["number"]


async def test_ownership_second_user_reaches_nothing(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    first, line_id, number = await _first_customer(client, resources)
    cart_before = (
        await client.get(f"/api/v1/chat/{first.session_id}/cart", headers=first.headers)
    ).json()
    second = await sign_in(client, await new_caller(client))
    anonymous = await new_caller(client)
    unknown = new_chat_id()

    for intruder in (second, anonymous):
        h = intruder.headers
        base = f"/api/v1/chat/{first.session_id}/cart"
        attempts = [
            await client.get(base, headers=h),
            await client.patch(f"{base}/lines/{line_id}", json={"quantity": 9}, headers=h),
            await client.delete(f"{base}/lines/{line_id}", headers=h),
        ]
        for response in attempts:
            assert response.status_code == 404, response.text
            assert response.json()["detail"] == "unknown session"
        # A session id that exists (someone else's) answers exactly like one that doesn't.
        ghost = await client.get(f"/api/v1/chat/{unknown}/cart", headers=h)
        assert ghost.status_code == 404
        assert ghost.json() == attempts[0].json()

    h = second.headers
    assert (await client.get(f"/api/v1/orders/{number}", headers=h)).status_code == 404
    cancel = await client.post(f"/api/v1/orders/{number}/cancel", headers=h)
    assert cancel.status_code == 404
    assert number not in [
        o["number"] for o in (await client.get("/api/v1/orders", headers=h)).json()["orders"]
    ]
    steal = await client.post(
        "/api/v1/orders",
        json={"session_id": first.session_id, "order_type": "pickup"},
        headers={**h, "Idempotency-Key": "steal"},
    )
    assert steal.status_code == 404 and steal.json()["detail"] == "unknown session"
    # Reusing the first customer's idempotency key places nothing of theirs either.
    await resources.services.carts.add(second.session_id, [LineSpec(item="sprite")])
    own = await client.post(
        "/api/v1/orders",
        json={"session_id": second.session_id, "order_type": "pickup"},
        headers={**h, "Idempotency-Key": "first-order"},
    )
    assert own.status_code == 201 and own.json()["number"] != number

    # The first customer's things are untouched.
    cart_after = (
        await client.get(f"/api/v1/chat/{first.session_id}/cart", headers=first.headers)
    ).json()
    assert cart_after == cart_before
    order = (await client.get(f"/api/v1/orders/{number}", headers=first.headers)).json()
    assert order["status"] == "placed"
    assert [
        o["number"]
        for o in (await client.get("/api/v1/orders", headers=first.headers)).json()["orders"]
    ] == [number]

    # Inside the graph too: the second user's desk can't see or cancel the first's order.
    assert second.user_id is not None
    assert await resources.services.orders.get(second.user_id, number) is None
    second_auth, owned = await resources.services.sessions.resolve_chat(
        second.token, first.session_id
    )
    assert second_auth is not None and not owned


async def test_ownership_signing_in_keeps_the_cart(
    client: AsyncTestClient[Any], resources: Resources
) -> None:
    caller = await new_caller(client)
    await resources.services.carts.add(caller.session_id, [LineSpec(item="onion_rings")])
    assert await _cart_owner(resources, caller.session_id) is None
    phone = new_phone()
    await sign_in(client, caller, phone)
    cart = (
        await client.get(f"/api/v1/chat/{caller.session_id}/cart", headers=caller.headers)
    ).json()
    assert [ln["item"] for ln in cart["lines"]] == ["onion_rings"]
    assert await _cart_owner(resources, caller.session_id) == caller.user_id

    # The same customer on a new device reaches the chat once signed in; not before.
    device = await new_caller(client)
    path = f"/api/v1/chat/{caller.session_id}/cart"
    assert (await client.get(path, headers=device.headers)).status_code == 404
    await sign_in(client, device, phone)  # its own code: the first device's cooldown is its own
    assert device.user_id == caller.user_id
    assert (await client.get(path, headers=device.headers)).status_code == 200

    # Signed out, the token reaches nothing any more.
    await client.post("/api/v1/auth/logout", headers=caller.headers)
    assert (await client.get(path, headers=caller.headers)).status_code == 401
