"""A chat turn's cart changes stand once its checkpoint is written, and only then: a turn whose
replica died between its cart change and its checkpoint is undone, by the REST read of the cart
and by the session's next turn, while changes made over REST are never lost.

The dead turn is made by hand, as a killed replica leaves it (tests/faults/test_replicas.py
kills one, but cannot choose where the kill lands): its start on record in Redis
(`UncommittedRuns.begin`, as RUN_STARTED writes it), its change in PostgreSQL through
`CartService.for_run`, and no commit.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from litestar.testing import AsyncTestClient
from redis.asyncio import Redis

from graph.intents import OrderType
from graph.models import CartRead, LineSpec, OrderCreate
from restaurant.auth.sessions import new_chat_id
from restaurant.chat.events import EventLog
from restaurant.chat.lock import SessionLock, lock_key
from restaurant.chat.store import RedisTurnStore, UncommittedRuns, runs_key
from restaurant.lifespan import Resources
from restaurant.services.carts import CART, CartService, RunState
from tests.integration.auth_support import new_caller, new_phone, sign_in
from tests.integration.chat_support import LiveServer, live, new_session, sse_turn, types

__all__ = ["live"]  # the fixture, imported for pytest


@pytest.fixture
def carts(resources: Resources) -> CartService:
    return resources.services.carts


@pytest.fixture
def store(resources: Resources) -> RedisTurnStore:
    """The turn store's record of turns, on the app's Redis (what `run_state` reads)."""
    redis = resources.redis
    return RedisTurnStore(EventLog(redis), SessionLock(redis, ttl_seconds=5))


@pytest.fixture
def redis(resources: Resources) -> Redis:
    return resources.redis


async def _begin(redis: Redis, session_id: str) -> UncommittedRuns:
    """A turn's start on record, as the round trip that takes the session writes it."""
    runs = UncommittedRuns(session_id)
    await runs.read_now(redis)
    return runs


async def _commit(redis: Redis, runs: UncommittedRuns) -> None:
    """The turn's commit, as the MULTI that writes its checkpoint makes it."""
    async with redis.pipeline(transaction=True) as pipe:
        runs.commit(pipe)
        await pipe.execute()


def _items(cart: CartRead) -> list[tuple[str, int]]:
    return [(line.item, line.quantity) for line in cart.lines]


async def _tag(resources: Resources, session_id: str) -> tuple[str | None, Any]:
    """The cart row's run tag and undo copy, as stored (no undo: SQL NULL, not JSON null)."""
    async with resources.engine.connect() as conn:
        tag, none, undo = (
            await conn.execute(
                sa.select(CART.c.run_id, CART.c.undo.is_(None), CART.c.undo).where(
                    CART.c.session_id == session_id
                )
            )
        ).one()
    return tag, None if none else ("JSON null" if undo is None else undo)


async def test_cart_dead_turn_uncommitted_is_undone_by_the_rest_read(
    resources: Resources, carts: CartService, store: RedisTurnStore, redis: Redis
) -> None:
    sid = new_chat_id()
    before = await carts.add(sid, [LineSpec(item="pepperoni_pizza", quantity=2)])
    runs = await _begin(redis, sid)
    turn = carts.for_run(runs.tag)
    await turn.add(sid, [LineSpec(item="coke")])
    await turn.add(sid, [LineSpec(item="sprite")])  # the undo copy is the one before the first
    tag, undo = await _tag(resources, sid)
    assert tag == runs.tag and [line["id"] for line in undo] == [before.cart.lines[0].id]
    # While the turn may still run (its session held), the read shows the cart without it and
    # changes nothing.
    lock = SessionLock(redis, ttl_seconds=5)
    fence = await lock.acquire(sid)
    assert await store.run_state(sid, runs.tag) is RunState.RUNNING
    assert _items(await carts.read(sid, store)) == [("pepperoni_pizza", 2)]
    assert _items(await carts.get(sid)) == [("pepperoni_pizza", 2), ("coke", 1), ("sprite", 1)]
    # Dead (the session free, no commit): undone, the lines back as they were.
    await lock.release(fence)
    assert await store.run_state(sid, runs.tag) is RunState.DEAD
    read = await carts.read(sid, store)
    assert read == before.cart
    assert await carts.get(sid) == before.cart
    assert await _tag(resources, sid) == (None, None)


async def test_cart_dead_turn_committed_is_kept(
    resources: Resources, carts: CartService, store: RedisTurnStore, redis: Redis
) -> None:
    sid = new_chat_id()
    await carts.add(sid, [LineSpec(item="pepperoni_pizza", quantity=2)])
    runs = await _begin(redis, sid)
    after = await carts.for_run(runs.tag).add(sid, [LineSpec(item="coke")])
    await _commit(redis, runs)  # the replica died after its checkpoint: the turn stands
    assert await store.run_state(sid, runs.tag) is RunState.COMMITTED
    assert await carts.read(sid, store) == after.cart
    assert await carts.get(sid) == after.cart
    assert await _tag(resources, sid) == (None, None)  # the read dropped the tag
    # A REST change after it finds no undo to keep up to date.
    changed = await carts.update_line(sid, after.cart.lines[-1].id, quantity=2)
    assert _items(changed.cart) == [("pepperoni_pizza", 2), ("coke", 2)]
    await carts.remove_line(sid, after.cart.lines[-1].id)
    assert await _tag(resources, sid) == (None, None)


async def test_cart_rest_changes_are_never_undone(
    resources: Resources, carts: CartService, store: RedisTurnStore, redis: Redis
) -> None:
    sid = new_chat_id()
    # A committed turn, then REST changes: the tag is still on the cart (dropped lazily).
    first = await _begin(redis, sid)
    added = await carts.for_run(first.tag).add(
        sid, [LineSpec(item="pepperoni_pizza"), LineSpec(item="coke")]
    )
    await _commit(redis, first)
    pizza, coke = added.cart.lines
    await carts.update_line(sid, pizza.id, quantity=3)
    # A turn that dies, with REST changes made while it ran.
    second = await _begin(redis, sid)
    turn = carts.for_run(second.tag)
    await turn.add(sid, [LineSpec(item="garlic_knots")])
    await turn.update_line(sid, pizza.id, quantity=5)
    await carts.remove_line(sid, coke.id)  # over REST, during the turn
    await carts.add(sid, [LineSpec(item="lemonade")])  # not a turn's (the REST API adds none)
    assert await store.run_state(sid, second.tag) is RunState.DEAD
    read = await carts.read(sid, store)
    # The turn's knots and its quantity are gone; the quantity, removal and add stand.
    assert _items(read) == [("pepperoni_pizza", 3), ("lemonade", 1)]
    assert read.lines[0].id == pizza.id
    assert read == await carts.get(sid)


async def test_cart_rest_update_during_a_dead_turn_is_kept_and_its_lines_undone(
    carts: CartService, store: RedisTurnStore, redis: Redis
) -> None:
    sid = new_chat_id()
    before = await carts.add(sid, [LineSpec(item="pepperoni_pizza"), LineSpec(item="coke")])
    pizza, coke = before.cart.lines
    runs = await _begin(redis, sid)
    turn = carts.for_run(runs.tag)
    await turn.remove_line(sid, coke.id)
    await turn.add(sid, [LineSpec(item="sprite")])
    await carts.update_line(sid, pizza.id, quantity=4)  # over REST, while the turn runs
    await carts.recover(sid, [runs.tag])  # as the session's next turn does first
    assert _items(await carts.get(sid)) == [("pepperoni_pizza", 4), ("coke", 1)]
    assert [line.id for line in (await carts.get(sid)).lines] == [pizza.id, coke.id]
    assert await carts.read(sid, store) == await carts.get(sid)


async def test_cart_dead_turn_that_placed_an_order_leaves_the_cart_empty(
    resources: Resources, carts: CartService, store: RedisTurnStore, redis: Redis
) -> None:
    sid = new_chat_id()
    await carts.add(sid, [LineSpec(item="pepperoni_pizza")])
    runs = await _begin(redis, sid)
    await carts.for_run(runs.tag).add(sid, [LineSpec(item="coke")])
    user = await resources.services.users.upsert(new_phone())
    placed = await resources.services.orders.place(
        OrderCreate(
            session_id=sid, user_id=user, type=OrderType.PICKUP, idempotency_key=f"dead-{sid}"
        )
    )
    assert {line.item for line in placed.lines} == {"pepperoni_pizza", "coke"}
    # The order stands; the cart does not get its lines back for a second one.
    assert (await carts.read(sid, store)).lines == ()
    assert (await carts.get(sid)).lines == ()


async def test_cart_rest_checkout_undoes_a_dead_turn_first(
    resources: Resources, carts: CartService, store: RedisTurnStore, redis: Redis
) -> None:
    sid = new_chat_id()
    await carts.add(sid, [LineSpec(item="pepperoni_pizza")])
    runs = await _begin(redis, sid)
    await carts.for_run(runs.tag).add(sid, [LineSpec(item="coke")])
    # While the session is held, the turn may still be running: nothing is undone yet.
    await redis.set(lock_key(sid), "a replica's lease", px=5000)
    assert await carts.settle(sid, store) is False
    assert _items(await carts.get(sid)) == [("pepperoni_pizza", 1), ("coke", 1)]
    await redis.delete(lock_key(sid))
    assert await carts.settle(sid, store) is True
    assert _items(await carts.get(sid)) == [("pepperoni_pizza", 1)]


async def test_cart_rest_checkout_waits_for_a_turn_still_changing_the_cart(
    client: AsyncTestClient[Any], resources: Resources, carts: CartService, redis: Redis
) -> None:
    caller = await sign_in(client, await new_caller(client))
    sid = caller.session_id
    await carts.add(sid, [LineSpec(item="pepperoni_pizza")])
    runs = await _begin(redis, sid)
    await carts.for_run(runs.tag).add(sid, [LineSpec(item="coke")])
    await redis.set(lock_key(sid), "a replica's lease", px=5000)
    body = {"session_id": sid, "order_type": "pickup"}
    headers = {**caller.headers, "Idempotency-Key": "while-a-turn-runs"}
    busy = await client.post("/api/v1/orders", json=body, headers=headers)
    assert busy.status_code == 409
    assert busy.headers["retry-after"] == "1"
    assert "still changing this cart" in busy.json()["detail"]
    assert _items(await carts.get(sid)) == [("pepperoni_pizza", 1), ("coke", 1)]
    # The lease lapsed without a commit: the turn died, its coke is undone, the key orders.
    await redis.delete(lock_key(sid))
    placed = await client.post("/api/v1/orders", json=body, headers=headers)
    assert placed.status_code == 201
    assert [(line["item"], line["quantity"]) for line in placed.json()["lines"]] == [
        ("pepperoni_pizza", 1)
    ]


async def test_cart_turns_commit_and_the_next_turn_undoes_a_dead_one(
    live: LiveServer,
    resources: Resources,
    carts: CartService,
    store: RedisTurnStore,
    redis: Redis,
) -> None:
    session = await new_session(live.url)
    sid = session.session_id
    said = await sse_turn(live.url, session, "two large pepperoni pizzas")
    assert types([e.event for e in said])[-1] == "RUN_FINISHED"
    # A normal turn: its cart stands, and it left nothing uncommitted.
    cart = await carts.read(sid, store)
    assert _items(cart) == [("pepperoni_pizza", 2)] == _items(await carts.get(sid))
    assert await redis.smembers(runs_key(sid)) == set()
    # A turn that died after adding a coke, before its checkpoint...
    dead = await _begin(redis, sid)
    await carts.for_run(dead.tag).add(sid, [LineSpec(item="coke")])
    # ...is undone by the next turn before its graph reads the cart.
    more = await sse_turn(live.url, session, "a sprite")
    assert types([e.event for e in more])[-1] == "RUN_FINISHED"
    items = _items(await carts.get(sid))
    assert items == [("pepperoni_pizza", 2), ("sprite", 1)], items
    assert await redis.smembers(runs_key(sid)) == set()  # forgotten with that turn's commit
    # The tag of the committed turn stays until something reads or changes the cart.
    tag, _ = await _tag(resources, sid)
    assert tag is not None
    assert _items(await carts.read(sid, store)) == items
    assert await _tag(resources, sid) == (None, None)
