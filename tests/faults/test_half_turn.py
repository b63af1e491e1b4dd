"""A replica killed between a turn's cart change and its checkpoint: no half turn survives.

tests/faults/test_replicas.py kills an app while turns run and cannot choose where the kill
lands. Here the (fake) model takes seconds to answer, and the reply is the turn's last node:
the turn has changed the cart in PostgreSQL long before it writes its checkpoint. The test waits
until the cart holds the turn's change, then SIGKILLs the app. The other replica's REST read
must not show the change (at once, while the dead turn's lock still holds the session, and
after it lapsed), the conversation does not have the message, and the next turn's cart is the
conversation's cart plus that turn's own change.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator

import asyncpg
import httpx
import pytest
from websockets.sync.client import connect

from restaurant.dev.stack import Stack
from tests.fakes.openai_server import FakeOpenAI
from tests.faults.stacks import slow_model, stack_with_model, ws_run

MODEL_SECONDS = 4.0  # the reply's time: the cart is changed this long before the checkpoint
LOCK_SECONDS = 3  # a dead run's lock lapses this fast here (30 s by default)


@pytest.fixture(scope="module")
def model() -> Iterator[FakeOpenAI]:
    with slow_model(MODEL_SECONDS) as server:
        yield server


@pytest.fixture(scope="module")
def database(make_database: Callable[[str], str]) -> str:
    return make_database("half_turn")


@pytest.fixture(scope="module")
def stack(
    database: str,
    redis_url: str,
    mongo_url: str,
    model: FakeOpenAI,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    with stack_with_model(
        "faults_half_turn",
        model=model,
        lock_seconds=LOCK_SECONDS,
        database_url=database,
        redis_url=redis_url,
        redis_db=12,
        mongo_url=mongo_url,
        data_dir=tmp_path_factory.mktemp("half_turn"),
    ) as running:
        yield running


def _stored(database: str, session_id: str) -> tuple[list[str], str | None]:
    """The cart's items and run tag as PostgreSQL holds them (no replica in between)."""

    async def fetch() -> tuple[list[str], str | None]:
        conn = await asyncpg.connect(database.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            rows = await conn.fetch(
                "SELECT item.key, cart.run_id FROM cart"
                " LEFT JOIN cart_line ON cart_line.cart_id = cart.id"
                " LEFT JOIN item ON item.id = cart_line.item_id"
                " WHERE cart.session_id = $1 ORDER BY cart_line.position",
                session_id,
            )
        finally:
            await conn.close()
        return [r["key"] for r in rows if r["key"]], (rows[0]["run_id"] if rows else None)

    return asyncio.run(fetch())


def _said(client: httpx.Client, session_id: str) -> list[str]:
    history = client.get(f"/api/v1/chat/{session_id}/messages")
    assert history.status_code == 200, history.text
    return [m["content"] for m in history.json()["messages"] if m["role"] == "user"]


def _items(client: httpx.Client, session_id: str) -> list[str]:
    cart = client.get(f"/api/v1/chat/{session_id}/cart")
    assert cart.status_code == 200, cart.text
    return [line["item"] for line in cart.json()["lines"]]


@pytest.mark.slow
def test_half_turn_killed_after_its_cart_change_is_undone(stack: Stack, database: str) -> None:
    with httpx.Client(base_url=stack.app_url(0), timeout=30) as first:
        created = first.post("/api/v1/sessions").json()
    sid, token = created["session_id"], created["token"]
    address = stack.app_url(0).removeprefix("http://")
    try:
        with connect(f"ws://{address}/api/v1/chat/{sid}?token={token}", open_timeout=10) as ws:
            ws_run(ws)  # the history
            ws.send(json.dumps({"type": "message", "text": "a margherita pizza"}))
            assert ws_run(ws)[-1]["type"] == "RUN_FINISHED"
            ws.send(json.dumps({"type": "message", "text": "a coke"}))
            deadline = time.monotonic() + MODEL_SECONDS
            while "coke" not in _stored(database, sid)[0]:
                assert time.monotonic() < deadline, "the turn never changed the cart"
                time.sleep(0.05)
            stack.kill_app(0)  # the model still thinking: long before the checkpoint
        items, tag = _stored(database, sid)
        assert items == ["margherita_pizza", "coke"] and tag is not None  # a half turn
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=stack.app_url(1), timeout=90, headers=headers) as second:
            # At once, while the dead turn's lock still holds the session: not shown.
            assert _said(second, sid) == ["a margherita pizza"]
            assert _items(second, sid) == ["margherita_pizza"]
            # Once it lapsed, the REST read undoes it in PostgreSQL too.
            time.sleep(LOCK_SECONDS + 0.5)
            assert _items(second, sid) == ["margherita_pizza"]
            assert _stored(database, sid) == (["margherita_pizza"], None)
            # The conversation goes on from the cart it knows.
            address = stack.app_url(1).removeprefix("http://")
            with connect(
                f"ws://{address}/api/v1/chat/{sid}?token={token}", open_timeout=10
            ) as socket:
                ws_run(socket)  # the history
                socket.send(json.dumps({"type": "message", "text": "a sprite"}))
                assert ws_run(socket)[-1]["type"] == "RUN_FINISHED"
            assert _said(second, sid) == ["a margherita pizza", "a sprite"]
            assert _items(second, sid) == ["margherita_pizza", "sprite"]
    finally:
        stack.restart_app(0)
