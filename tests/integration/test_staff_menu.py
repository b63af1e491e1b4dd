"""Sold out and paused over REST: staff mark items and options, a manager pauses new orders, and
the menu, the cart and checkout follow.

On a database of its own: a pause or a sold-out pizza here must not refuse other modules' orders.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient

from graph.intents import OrderType
from graph.models import LineSpec, OrderCreate, OrderUnavailable
from restaurant.auth.sessions import new_chat_id
from restaurant.db.models import StaffRole
from restaurant.lifespan import Resources
from restaurant.services.wiring import Services
from restaurant.settings import Settings
from tests.conftest import LOOPBACK_SESSIONS
from tests.integration.auth_support import new_caller, new_phone, sign_in
from tests.integration.test_staff import (
    STAFF,
    Call,
    Callers,
    assert_role_answer,
    staff_caller,
)


@pytest.fixture(scope="module")
def app_settings(
    make_seeded_database: Callable[[str], str],
    redis_url: str,
    mongo_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Settings:
    """The app's settings on a seeded database of this module's own."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        db={"url": make_seeded_database("staff_menu")},
        redis={"url": redis_url},
        mongo={"url": mongo_url, "database": "test_restaurant"},
        data_dir=tmp_path_factory.mktemp("staff-menu-data"),
        menu_cache_seconds=0.2,
        auth={"new_sessions_per_address": LOOPBACK_SESSIONS},
    )


@pytest.fixture(scope="module")
async def callers(client: AsyncTestClient[Any], resources: Resources) -> Callers:
    """A signed-in customer, a kitchen member and a manager."""
    return Callers(
        customer=await sign_in(client, await new_caller(client)),
        kitchen=await staff_caller(client, resources, StaffRole.KITCHEN, "Kim Kitchen"),
        manager=await staff_caller(client, resources, StaffRole.MANAGER, "Mona Manager"),
    )


@pytest.fixture(autouse=True)
async def everything_back(resources: Resources) -> AsyncIterator[None]:
    """Each test starts and ends with everything available and ordering open."""
    yield
    async with resources.engine.begin() as conn:
        await conn.execute(sa.text("UPDATE item SET available = key <> 'pumpkin_cheesecake'"))
        await conn.execute(sa.text("UPDATE menu_option SET available = true"))
        await conn.execute(
            sa.text("UPDATE restaurant SET ordering_paused = NULL, menu_version = menu_version + 1")
        )


def _fresh(resources: Resources) -> Services:
    """The tests' own services, their menu read again at once (as a second replica's would be
    within its `menu_cache_seconds`)."""
    resources.menu.invalidate()
    return resources.services


async def _menu(client: AsyncTestClient[Any], resources: Resources, headers: dict[str, str]) -> Any:
    return await client.get(f"{STAFF}/menu", headers=headers)


async def _item(client: AsyncTestClient[Any], resources: Resources, headers: dict[str, str]) -> Any:
    return await client.patch(f"{STAFF}/menu/items/coke", json={"available": True}, headers=headers)


async def _option(
    client: AsyncTestClient[Any], resources: Resources, headers: dict[str, str]
) -> Any:
    return await client.patch(
        f"{STAFF}/menu/groups/toppings/options/onions", json={"available": True}, headers=headers
    )


async def _ordering(
    client: AsyncTestClient[Any], resources: Resources, headers: dict[str, str]
) -> Any:
    return await client.get(f"{STAFF}/ordering", headers=headers)


async def _pause(
    client: AsyncTestClient[Any], resources: Resources, headers: dict[str, str]
) -> Any:
    return await client.put(f"{STAFF}/ordering", json={"paused": False}, headers=headers)


ENDPOINTS: dict[str, tuple[Call, StaffRole]] = {
    "GET /staff/menu": (_menu, StaffRole.KITCHEN),
    "PATCH /staff/menu/items/{key}": (_item, StaffRole.KITCHEN),
    "PATCH /staff/menu/groups/{group}/options/{key}": (_option, StaffRole.KITCHEN),
    "GET /staff/ordering": (_ordering, StaffRole.KITCHEN),
    "PUT /staff/ordering": (_pause, StaffRole.MANAGER),
}


@pytest.mark.parametrize("who", ["nobody", "forged", "customer", "kitchen", "manager"])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
async def test_staff_menu_endpoints_check_the_role(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers, endpoint: str, who: str
) -> None:
    call, role = ENDPOINTS[endpoint]
    response = await call(client, resources, callers.headers(who))
    await assert_role_answer(client, callers, response, who, role)


async def test_staff_menu_refuses_bad_input_with_a_problem_detail(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    headers = callers.kitchen.headers
    unknown = await client.patch(
        f"{STAFF}/menu/items/no_such_dish", json={"available": False}, headers=headers
    )
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert "no_such_dish" in unknown.json()["detail"]
    for path in ("no_group/options/onions", "toppings/options/no_option"):
        gone = await client.patch(
            f"{STAFF}/menu/groups/{path}", json={"available": False}, headers=headers
        )
        assert gone.status_code == 404, gone.text
        assert gone.json()["detail"].startswith(("There is no option group", "The option group"))
    for body in ({"available": "no"}, {"available": 0}, {}, {"available": False, "x": 1}):
        bad = await client.patch(f"{STAFF}/menu/items/coke", json=body, headers=headers)
        assert bad.status_code == 400, (body, bad.text)
        assert bad.headers["content-type"].startswith("application/problem+json")
    bad_pause = await client.put(
        f"{STAFF}/ordering", json={"paused": "yes"}, headers=callers.manager.headers
    )
    assert bad_pause.status_code == 400
    # Nothing changed by any of it.
    menu = (await client.get(f"{STAFF}/menu", headers=headers)).json()
    assert all(i["available"] for i in menu["items"] if i["key"] != "pumpkin_cheesecake")


async def test_staff_mark_an_item_sold_out_and_back(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    before = (await client.get("/api/v1/menu")).json()["version"]
    sold = await client.patch(
        f"{STAFF}/menu/items/margherita_pizza",
        json={"available": False},
        headers=callers.kitchen.headers,
    )
    assert sold.json() == {
        "key": "margherita_pizza",
        "label": sold.json()["label"],
        "category": "pizzas",
        "available": False,
    }
    # The menu's version moved, and the public menu (and every card) says so.
    menu = (await client.get("/api/v1/menu")).json()
    assert menu["version"] > before
    item = next(i for c in menu["categories"] for i in c["items"] if i["key"] == "margherita_pizza")
    assert item["available"] is False
    # The cart refuses it, with the reason.
    change = await _fresh(resources).carts.add(new_chat_id(), [LineSpec(item="margherita_pizza")])
    assert [r.reason for r in change.refused] == ["unavailable"]
    assert "sold out" in change.refused[0].message
    back = await client.patch(
        f"{STAFF}/menu/items/margherita_pizza",
        json={"available": True},
        headers=callers.manager.headers,
    )
    assert back.json()["available"] is True
    change = await _fresh(resources).carts.add(new_chat_id(), [LineSpec(item="margherita_pizza")])
    assert not change.refused
    # Both recorded, with who did it.
    async with resources.engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.text(
                    "SELECT kind, key, available, staff_name FROM menu_change "
                    "WHERE key = 'margherita_pizza' ORDER BY created_at"
                )
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("item", "margherita_pizza", False, "Kim Kitchen"),
        ("item", "margherita_pizza", True, "Mona Manager"),
    ]


async def test_staff_mark_an_option_sold_out(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    sold = await client.patch(
        f"{STAFF}/menu/groups/toppings/options/mushrooms",
        json={"available": False},
        headers=callers.kitchen.headers,
    )
    assert sold.status_code == 200
    assert sold.json()["available"] is False
    menu = (await client.get(f"{STAFF}/menu", headers=callers.kitchen.headers)).json()
    mushrooms = next(
        o for o in menu["options"] if (o["group"], o["key"]) == ("toppings", "mushrooms")
    )
    assert mushrooms["available"] is False
    public = (await client.get("/api/v1/menu")).json()
    pizza = next(i for c in public["categories"] for i in c["items"] if i["key"] == "cheese_pizza")
    toppings = next(g for g in pizza["option_groups"] if g["key"] == "toppings")
    assert {o["key"]: o["available"] for o in toppings["options"]}["mushrooms"] is False
    change = await _fresh(resources).carts.add(
        new_chat_id(),
        [
            LineSpec.model_validate(
                {
                    "item": "cheese_pizza",
                    "choices": [
                        {"group": "pizza_size", "option": "large"},
                        {"group": "toppings", "option": "mushrooms"},
                    ],
                }
            )
        ],
    )
    assert change.refused and "Mushrooms is sold out" in change.refused[0].message


async def _cart_and_customer(
    client: AsyncTestClient[Any], resources: Resources, item: str = "margherita_pizza"
) -> tuple[str, dict[str, str]]:
    """A signed-in customer's chat session with one line in its cart."""
    caller = await sign_in(client, await new_caller(client))
    assert caller.session_id is not None
    change = await _fresh(resources).carts.add(caller.session_id, [LineSpec(item=item)])
    assert not change.refused
    return caller.session_id, dict(caller.headers)


async def _checkout(
    client: AsyncTestClient[Any], session: str, headers: dict[str, str], key: str
) -> Any:
    return await client.post(
        "/api/v1/orders/",
        json={"session_id": session, "order_type": "pickup"},
        headers={**headers, "Idempotency-Key": key},
    )


async def test_checkout_refuses_a_cart_line_sold_out_since(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    session, headers = await _cart_and_customer(client, resources)
    await client.patch(
        f"{STAFF}/menu/items/margherita_pizza",
        json={"available": False},
        headers=callers.kitchen.headers,
    )
    refused = await _checkout(client, session, headers, f"{session}-1")
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    detail = refused.json()["detail"]
    assert "Margherita" in detail and "sold out" in detail and "take it off" in detail
    # The cart is kept; back on the menu, the same cart orders.
    await client.patch(
        f"{STAFF}/menu/items/margherita_pizza",
        json={"available": True},
        headers=callers.kitchen.headers,
    )
    placed = await _checkout(client, session, headers, f"{session}-2")
    assert placed.status_code == 201, placed.text


async def test_pause_refuses_every_checkout_until_resumed(
    client: AsyncTestClient[Any], resources: Resources, callers: Callers
) -> None:
    session, headers = await _cart_and_customer(client, resources, "coke")
    paused = await client.put(
        f"{STAFF}/ordering",
        json={"paused": True, "message": "kitchen full, back in 20 minutes"},
        headers=callers.manager.headers,
    )
    assert paused.json() == {"paused": True, "message": "kitchen full, back in 20 minutes"}
    read = await client.get(f"{STAFF}/ordering", headers=callers.kitchen.headers)
    assert read.json() == paused.json()
    refused = await _checkout(client, session, headers, f"{session}-1")
    assert refused.status_code == 409
    assert "kitchen full, back in 20 minutes" in refused.json()["detail"]
    # The desk itself refuses too (the chat's checkout goes through it).
    with pytest.raises(OrderUnavailable, match="paused"):
        await resources.services.orders.place(
            OrderCreate(
                session_id=session,
                user_id=await resources.services.users.upsert(new_phone()),
                type=OrderType.PICKUP,
                idempotency_key=f"{session}-desk",
            )
        )
    resumed = await client.put(
        f"{STAFF}/ordering", json={"paused": False}, headers=callers.manager.headers
    )
    assert resumed.json() == {"paused": False, "message": None}
    placed = await _checkout(client, session, headers, f"{session}-2")
    assert placed.status_code == 201, placed.text
    async with resources.engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.text(
                    "SELECT available, message, staff_name FROM menu_change "
                    "WHERE kind = 'ordering' ORDER BY created_at"
                )
            )
        ).all()
    assert [tuple(r) for r in rows][-2:] == [
        (False, "kitchen full, back in 20 minutes", "Mona Manager"),
        (True, None, "Mona Manager"),
    ]
