"""The PostgreSQL cart keeps the in-memory cart's rules and prices, over real PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient

from graph.memory import MemoryCart, MemoryMenu
from graph.models import CartError, CartRead, ChoiceSpec, LineSpec
from restaurant.auth.sessions import new_chat_id
from restaurant.db.engine import create_engine, session_factory
from restaurant.lifespan import Resources, open_resources
from restaurant.services.carts import NO_SUCH_LINE, NOT_IN_CART, CartService
from restaurant.settings import Settings
from tests.integration.auth_support import new_caller

LINES = [
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
    LineSpec(
        item="classic_cheeseburger", choices=(ChoiceSpec(group="doneness", option="well_done"),)
    ),
    LineSpec(item="tiramisu", quantity=3),
    LineSpec(item="unicorn_steak"),  # refused: not on the menu
    LineSpec(item="pumpkin_cheesecake"),  # refused: unavailable
    LineSpec(item="coke", choices=(ChoiceSpec(group="toppings", option="bacon"),)),  # bad choice
]


@pytest.fixture(scope="module")
async def resources(app_settings: Settings) -> AsyncIterator[Resources]:
    # The test client runs the app on its own event loop; services called from the tests get
    # their own pools on the tests' loop (asyncpg connections can't cross loops).
    async with open_resources(app_settings) as resources:
        yield resources


@pytest.fixture
def carts(resources: Resources) -> CartService:
    return resources.services.carts


def _plain(cart: CartRead) -> list[tuple[Any, ...]]:
    return [
        (ln.item, ln.label, ln.quantity, ln.choices, ln.unit_price, ln.line_total)
        for ln in cart.lines
    ]


async def test_carts_price_like_the_memory_cart(resources: Resources, carts: CartService) -> None:
    menu = (await resources.menu.snapshot()).menu
    memory = MemoryCart(menu)
    session = new_chat_id()
    real = await carts.add(session, LINES)
    expected = await memory.add("m", LINES)
    assert _plain(real.cart) == _plain(expected.cart)
    assert real.cart.subtotal == expected.cart.subtotal == real.cart.total
    assert [r.model_dump() for r in real.refused] == [r.model_dump() for r in expected.refused]
    assert [r.reason for r in real.refused] == ["unknown_item", "unavailable", "bad_choice"]
    pizza = real.cart.lines[0]
    # 12.50 + large 6.00 + extra mushrooms 2 x 1.00, pepperoni left off: 20.50 each.
    assert pizza.unit_price == Decimal("20.50")
    assert pizza.line_total == Decimal("41.00")
    assert {(c.group, c.option, c.default) for c in pizza.choices} >= {("crust", "classic", True)}
    # Read back from the database, the cart is the same as the one the add answered.
    assert await carts.get(session) == real.cart


async def test_carts_update_and_remove_like_the_memory_cart(
    resources: Resources, carts: CartService
) -> None:
    menu = (await resources.menu.snapshot()).menu
    memory = MemoryCart(menu)
    session = new_chat_id()
    real = (await carts.add(session, LINES[:3])).cart
    mem = (await memory.add("m", LINES[:3])).cart
    change = [
        ChoiceSpec(group="pizza_size", option="small"),
        ChoiceSpec(group="crust", option="stuffed"),
    ]
    real_change = await carts.update_line(session, real.lines[0].id, quantity=3, choices=change)
    mem_change = await memory.update_line("m", mem.lines[0].id, quantity=3, choices=change)
    assert _plain(real_change.cart) == _plain(mem_change.cart)
    # 12.50 + small 0 + stuffed 2.50 + extra mushrooms 2 x 1.00
    assert real_change.lines[0].unit_price == Decimal("17.00")
    after = await carts.remove_line(session, real.lines[1].id)
    mem_after = await memory.remove_line("m", mem.lines[1].id)
    assert _plain(after) == _plain(mem_after)
    assert [ln.item for ln in after.lines] == ["pepperoni_pizza", "classic_cheeseburger"]
    with pytest.raises(CartError, match="isn't in your cart"):
        await carts.remove_line(session, real.lines[1].id)
    with pytest.raises(CartError, match="isn't in your cart"):
        await carts.update_line(session, "not-a-line-id", quantity=1)
    with pytest.raises(CartError, match=r"at most|isn.t a|doesn.t come"):
        await carts.update_line(
            session, after.lines[0].id, choices=[ChoiceSpec(group="bun", option="sesame")]
        )
    assert await carts.get(session) == after  # a refused change changes nothing
    cleared = await carts.clear(session)
    assert cleared.empty and cleared.subtotal == Decimal("0.00")


async def test_carts_changes_answer_what_a_read_gives(carts: CartService) -> None:
    """A change answers from the lines it read under the lock and what it wrote, not from a
    second read: the answer is the cart a read gives right after."""
    session = new_chat_id()
    first = await carts.add(session, LINES[:2])
    assert await carts.get(session) == first.cart
    more = await carts.add(session, [LINES[3], LINES[0], LINES[4]])
    items = [ln.item for ln in more.cart.lines]
    assert items == ["pepperoni_pizza", "coke", "tiramisu", "pepperoni_pizza"]  # appended
    assert [r.reason for r in more.refused] == ["unknown_item"]
    assert await carts.get(session) == more.cart
    refused_only = await carts.add(session, [LINES[5]])
    assert refused_only.cart == more.cart and not refused_only.lines
    coke = more.cart.lines[1]
    # Any spelling of the line id finds it; the cart shows the stored one.
    changed = await carts.update_line(
        session,
        coke.id.upper(),
        quantity=2,
        choices=[ChoiceSpec(group="drink_size", option="large")],
    )
    assert changed.cart.lines[1].id == coke.id and changed.cart.lines[1].quantity == 2
    assert await carts.get(session) == changed.cart
    removed = await carts.remove_line(session, more.cart.lines[2].id)
    assert [ln.item for ln in removed.lines] == ["pepperoni_pizza", "coke", "pepperoni_pizza"]
    assert await carts.get(session) == removed
    assert await carts.clear(session) == await carts.get(session)
    with pytest.raises(CartError, match="isn't in your cart"):
        await carts.remove_line(session, coke.id)
    with pytest.raises(CartError, match="isn't in your cart"):
        await carts.update_line(new_chat_id(), coke.id, quantity=1)


async def test_carts_survive_connections_the_server_closed(
    app_settings: Settings, resources: Resources
) -> None:
    """Pooled connections PostgreSQL has closed (a restart, an idle timeout, a terminated
    backend) are replaced when checked out, not handed to a turn."""
    assert app_settings.db.url
    engine = create_engine(app_settings.db, app_settings.db.url)
    carts = CartService(session_factory(engine), resources.menu)
    try:
        session = new_chat_id()
        await carts.add(session, [LINES[3]])
        pooled = [await engine.connect() for _ in range(3)]
        pids = [(await c.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one() for c in pooled]
        for conn in pooled:
            await conn.close()
        async with resources.engine.connect() as admin:
            await admin.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM unnest(CAST(:pids AS int[])) AS pid"
                ),
                {"pids": pids},
            )
        await asyncio.sleep(0.3)  # the sockets' end reaches the pooled connections
        carts_read = await asyncio.gather(*(carts.get(session) for _ in range(3)))
        assert all(len(cart.lines) == 1 for cart in carts_read)
    finally:
        await engine.dispose()


async def test_carts_concurrent_adds_lose_no_line(carts: CartService) -> None:
    session = new_chat_id()
    await asyncio.gather(
        *(carts.add(session, [LineSpec(item="coke", quantity=1)]) for _ in range(40))
    )
    cart = await carts.get(session)
    assert len(cart.lines) == 40
    assert cart.subtotal == Decimal("120.00")  # 40 x (2.50 + medium 0.50)


async def test_carts_concurrent_quantity_changes_serialise(carts: CartService) -> None:
    session = new_chat_id()
    line = (await carts.add(session, [LineSpec(item="tiramisu")])).lines[0]
    await asyncio.gather(*(carts.update_line(session, line.id, quantity=q) for q in range(1, 31)))
    cart = await carts.get(session)
    assert len(cart.lines) == 1
    assert cart.lines[0].line_total == cart.lines[0].unit_price * cart.lines[0].quantity


async def test_carts_concurrent_choice_changes_lose_none(
    resources: Resources, carts: CartService
) -> None:
    """Each change merges onto the line as the others left it: no topping is lost."""
    session = new_chat_id()
    line = (await carts.add(session, [LineSpec(item="cheese_pizza")])).lines[0]
    toppings = ["pepperoni", "sausage", "bacon", "ham", "chicken", "mushrooms", "onions"]
    await asyncio.gather(
        *(
            carts.update_line(session, line.id, choices=[ChoiceSpec(group="toppings", option=t)])
            for t in toppings
        )
    )
    stored = (await carts.get(session)).lines[0]
    assert {c.option for c in stored.choices if c.group == "toppings"} == set(toppings)
    memory = MemoryCart((await resources.menu.snapshot()).menu)
    alone = (await memory.add("m", [LineSpec(item="cheese_pizza")])).lines[0]
    together = await memory.update_line(
        "m", alone.id, choices=[ChoiceSpec(group="toppings", option=t) for t in toppings]
    )
    assert stored.unit_price == together.lines[0].unit_price == stored.line_total


async def test_carts_concurrent_updates_and_removes_leave_no_line(carts: CartService) -> None:
    """An update racing a remove either lands first or finds no line: none comes back."""
    for _ in range(10):
        session = new_chat_id()
        line = (await carts.add(session, [LineSpec(item="tiramisu")])).lines[0]
        updated, removed = await asyncio.gather(
            carts.update_line(session, line.id, quantity=5),
            carts.remove_line(session, line.id),
            return_exceptions=True,
        )
        assert isinstance(removed, CartRead) and removed.empty
        assert not isinstance(updated, BaseException) or (
            isinstance(updated, CartError) and updated.message == NO_SUCH_LINE
        )
        assert (await carts.get(session)).empty


async def _updated_at(resources: Resources, session: str) -> Any:
    async with resources.engine.connect() as conn:
        return (
            await conn.execute(
                sa.text("SELECT updated_at FROM cart WHERE session_id = :sid"), {"sid": session}
            )
        ).scalar_one()


async def test_carts_refused_changes_write_nothing(
    resources: Resources, carts: CartService
) -> None:
    """Another session's line, a missing line, a refused choice: the same errors as ever, and
    neither cart is touched."""
    mine, theirs = new_chat_id(), new_chat_id()
    own = (await carts.add(mine, [LineSpec(item="coke")])).lines[0]
    other = await carts.add(theirs, [LineSpec(item="tiramisu")])
    before = (await _updated_at(resources, mine), await _updated_at(resources, theirs))
    their_line = other.lines[0].id
    with pytest.raises(CartError) as no_line:
        await carts.update_line(mine, their_line, quantity=3)
    assert no_line.value.message == NO_SUCH_LINE
    with pytest.raises(CartError) as not_in_cart:
        await carts.remove_line(mine, their_line)
    assert not_in_cart.value.message == NOT_IN_CART
    with pytest.raises(CartError, match="doesn't come with"):
        await carts.update_line(mine, own.id, choices=[ChoiceSpec(group="bun", option="sesame")])
    with pytest.raises(CartError) as no_cart:
        await carts.update_line(new_chat_id(), own.id, quantity=2)
    assert no_cart.value.message == NO_SUCH_LINE
    assert (await _updated_at(resources, mine), await _updated_at(resources, theirs)) == before
    assert await carts.get(theirs) == other.cart


async def _wait_for_lock_waiter(resources: Resources) -> None:
    async with resources.engine.connect() as conn:
        for _ in range(200):
            waiting = await conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            )
            if waiting.scalar_one():
                return
            await asyncio.sleep(0.01)
    raise AssertionError("the change never waited for the cart's lock")


async def _another_change(resources: Resources, session: str) -> AsyncIterator[Any]:
    """A change of the cart in a transaction of its own, as the service makes one: the cart row
    written first (which locks it), then the lines; committed when the block ends."""
    async with resources.engine.begin() as conn:
        await conn.execute(
            sa.text("UPDATE cart SET updated_at = now() WHERE session_id = :sid"), {"sid": session}
        )
        yield conn


async def test_carts_update_redone_when_the_cart_changed_after_its_read(
    resources: Resources, carts: CartService
) -> None:
    """The cart changes between the update's read and its write (which waits for the cart's
    lock meanwhile): the update is redone on the line as it then is, not on what it read."""
    session = new_chat_id()
    line = (await carts.add(session, [LineSpec(item="cheese_pizza")])).lines[0]
    async with contextlib.asynccontextmanager(_another_change)(resources, session) as other:
        update = asyncio.create_task(
            carts.update_line(
                session, line.id, choices=[ChoiceSpec(group="toppings", option="onions")]
            )
        )
        await _wait_for_lock_waiter(resources)
        await other.execute(
            sa.text("UPDATE cart_line SET quantity = 4 WHERE id = :line"), {"line": line.id}
        )
    change = await update
    assert change.lines[0].quantity == 4
    assert [c.option for c in change.lines[0].choices if c.group == "toppings"] == ["onions"]
    assert await carts.get(session) == change.cart


async def test_carts_remove_answers_the_cart_as_changed_while_it_waited(
    resources: Resources, carts: CartService
) -> None:
    """A remove that waited for the cart's lock answers with the lines as the other change left
    them (as a read under the lock does), not as they were when it started."""
    session = new_chat_id()
    first = await carts.add(session, [LineSpec(item="coke"), LineSpec(item="tiramisu")])
    coke, tiramisu = first.lines
    async with contextlib.asynccontextmanager(_another_change)(resources, session) as other:
        remove = asyncio.create_task(carts.remove_line(session, coke.id))
        await _wait_for_lock_waiter(resources)
        await other.execute(
            sa.text("DELETE FROM cart_line WHERE id = :line"), {"line": tiramisu.id}
        )
    after = await remove
    assert after.empty
    assert await carts.get(session) == after


async def test_carts_rest_get_patch_delete(
    client: AsyncTestClient[Any], carts: CartService
) -> None:
    caller = await new_caller(client)
    base = f"/api/v1/chat/{caller.session_id}/cart"
    empty = await client.get(base, headers=caller.headers)
    assert empty.status_code == 200
    assert empty.json()["lines"] == []
    added = await carts.add(caller.session_id, LINES[:2])
    pizza, coke = added.cart.lines
    body = (await client.get(base, headers=caller.headers)).json()
    assert [ln["id"] for ln in body["lines"]] == [pizza.id, coke.id]
    assert Decimal(str(body["subtotal"])) == added.cart.subtotal

    patched = await client.patch(
        f"{base}/lines/{coke.id}",
        json={"quantity": 4, "choices": [{"group": "drink_size", "option": "large"}]},
        headers=caller.headers,
    )
    assert patched.status_code == 200, patched.text
    line = patched.json()["lines"][0]
    assert line["quantity"] == 4
    assert Decimal(str(line["unit_price"])) == Decimal("4.25")  # 2.50 + large 1.00 + bottle 0.75

    refused = await client.patch(
        f"{base}/lines/{coke.id}",
        json={"choices": [{"group": "toppings", "option": "bacon"}]},
        headers=caller.headers,
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "doesn't come with" in refused.json()["detail"]

    for bad in ({"quantity": 0}, {"quantity": 100}, {}, {"quantity": 2, "price": "0.01"}):
        response = await client.patch(f"{base}/lines/{coke.id}", json=bad, headers=caller.headers)
        assert response.status_code == 400, bad
        assert response.headers["content-type"].startswith("application/problem+json")

    removed = await client.delete(f"{base}/lines/{pizza.id}", headers=caller.headers)
    assert removed.status_code == 200
    assert [ln["item"] for ln in removed.json()["lines"]] == ["coke"]
    again = await client.delete(f"{base}/lines/{pizza.id}", headers=caller.headers)
    assert again.status_code == 404
    missing = await client.patch(
        f"{base}/lines/{pizza.id}", json={"quantity": 2}, headers=caller.headers
    )
    assert missing.status_code == 404


async def test_carts_catalog_searches_the_cached_menu(resources: Resources) -> None:
    catalog = resources.services.catalog
    menu = await catalog.get_menu()
    memory = MemoryMenu(menu)
    assert await catalog.get_item("pumpkin_cheesecake") == menu.item("pumpkin_cheesecake")
    assert await catalog.get_item("nope") is None
    filters: list[dict[str, Any]] = [
        {"tags": ["vegetarian"]},
        {"max_price": Decimal("5.00")},
        {"exclude_allergens": ["dairy", "gluten"]},
        {"tags": ["vegan"], "max_price": Decimal("12")},
    ]
    for given in filters:
        found = {i.key for i in await catalog.search(limit=500, **given)}
        assert found == {i.key for i in await memory.search(limit=500, **given)}, given
        assert "pumpkin_cheesecake" not in found  # unavailable items are never offered
    pizzas = [i.key for i in await catalog.search(text="peperoni piza")]  # typos tolerated
    assert pizzas[0] == "pepperoni_pizza"
    cokes = await catalog.search(text="diet coke", limit=3)
    assert cokes[0].key == "diet_coke" and len(cokes) <= 3
