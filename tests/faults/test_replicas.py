"""Two replicas on shared stores: 200 concurrent checkouts retried across both place one order
each; kill -9 one app process during a turn and the conversation finishes on the other replica
from its checkpoint: history and cart intact, the order placeable.

Two `restaurant serve` processes share PostgreSQL, Redis and MongoDB (run_stack, as compose runs
them); the test talks to each replica directly so it decides which one serves which turn.
tests/e2e/test_stack_topology.py kills an app between two turns through Caddy; here the kill lands
while a turn is in flight and more messages are queued behind it, and the conversation is taken
all the way to a placed order on the survivor.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from restaurant.dev.stack import Stack
from tests.conftest import stack_on_test_stores
from tests.faults.stacks import ws_run
from tests.integration.auth_support import new_phone


@pytest.fixture(scope="module")
def replicas(
    make_database: Callable[[str], str],
    redis_url: str,
    mongo_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    """Two app processes (behind Caddy) on a fresh database and a Redis database of their own."""
    with stack_on_test_stores(
        "faults_replicas",
        database_url=make_database("replicas"),
        redis_url=redis_url,
        redis_db=6,
        mongo_url=mongo_url,
        data_dir=tmp_path_factory.mktemp("replicas"),
    ) as running:
        yield running


def _ws_url(stack: Stack, index: int, session_id: str, token: str) -> str:
    address = stack.app_url(index).removeprefix("http://")
    return f"ws://{address}/api/v1/chat/{session_id}?token={token}"


def _say(socket: Any, text: str) -> list[dict[str, Any]]:
    socket.send(json.dumps({"type": "message", "text": text}))
    return ws_run(socket)


def _cards(events: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e["value"] for e in events if e["type"] == "CUSTOM" and e["name"] == name]


def _sign_in(stack: Stack, client: httpx.Client, headers: dict[str, str]) -> None:
    """Sign in; `headers` takes the session's new token."""
    phone = new_phone()
    sent = client.post("/api/v1/auth/otp", json={"phone": phone}, headers=headers)
    assert sent.status_code == 200, sent.text
    codes = [
        json.loads(line)["code"]
        for line in stack.outbox_path.read_text().splitlines()
        if json.loads(line)["to"] == phone
    ]
    verified = client.post(
        "/api/v1/auth/verify", json={"phone": phone, "code": codes[-1]}, headers=headers
    )
    assert verified.status_code == 200, verified.text
    headers["Authorization"] = f"Bearer {verified.json()['token']}"
    client.cookies.clear()


def _customer(stack: Stack, sessions: int) -> tuple[dict[str, str], list[str]]:
    """A signed-in customer on replica 0 and that many chat sessions of theirs."""
    with httpx.Client(base_url=stack.app_url(0), timeout=30) as first:
        created = first.post("/api/v1/sessions").json()
        headers = {"Authorization": f"Bearer {created['token']}"}
        _sign_in(stack, first, headers)
        more = [
            first.post("/api/v1/sessions", headers=headers).json()["session_id"]
            for _ in range(sessions - 1)
        ]
    return headers, [created["session_id"], *more]


@pytest.mark.slow
async def test_replicas_200_concurrent_checkouts_retried_across_both_place_one_order_each(
    replicas: Stack,
) -> None:
    """50 carts, each checked out 4 times at once with one key, each try to either replica."""
    stack = replicas
    headers, sids = await asyncio.to_thread(_customer, stack, 50)
    clients = [
        httpx.AsyncClient(base_url=stack.app_url(i), timeout=60, headers=headers) for i in (0, 1)
    ]
    try:

        async def fill(index: int, sid: str) -> None:
            turn = await clients[index % 2].post(
                f"/api/v1/chat/{sid}/stream", json={"message": "a coke"}
            )
            assert turn.status_code == 200 and '"RUN_FINISHED"' in turn.text

        await asyncio.gather(*(fill(i, sid) for i, sid in enumerate(sids)))
        rng = random.Random(5)
        calls = [(sid, rng.randrange(2)) for sid in sids for _ in range(4)]
        rng.shuffle(calls)
        responses = await asyncio.gather(
            *(
                clients[replica].post(
                    "/api/v1/orders",
                    json={"session_id": sid, "order_type": "pickup"},
                    headers={"Idempotency-Key": f"replicas-{sid}"},
                )
                for sid, replica in calls
            )
        )
        assert {r.status_code for r in responses} == {201}, {r.text for r in responses}
        by_session: dict[str, set[str]] = {}
        for (sid, _), response in zip(calls, responses, strict=True):
            by_session.setdefault(sid, set()).add(response.json()["number"])
        assert all(len(numbers) == 1 for numbers in by_session.values()), by_session
        numbers = {n for ns in by_session.values() for n in ns}
        assert len(numbers) == 50
        for client in clients:  # both replicas list the same 50 orders: none lost, none doubled
            listed = await client.get("/api/v1/orders", params={"limit": 100})
            assert {o["number"] for o in listed.json()["orders"]} == numbers
    finally:
        for client in clients:
            await client.aclose()


@pytest.mark.slow
def test_replica_crash_mid_turn_conversation_finishes_on_the_other(replicas: Stack) -> None:
    """SIGKILL app 0 while it runs a turn; app 1 serves the rest, from the shared checkpoint."""
    stack = replicas
    with httpx.Client(base_url=stack.app_url(0), timeout=30) as first:
        created = first.post("/api/v1/sessions").json()
        sid = created["session_id"]
        headers = {"Authorization": f"Bearer {created['token']}"}
        _sign_in(stack, first, headers)
        token = headers["Authorization"].removeprefix("Bearer ")  # the signed-in session's

    with connect(_ws_url(stack, 0, sid, token), open_timeout=10) as socket:
        ws_run(socket)  # the history
        added = _say(socket, "two large pepperoni pizzas")
        assert added[-1]["type"] == "RUN_FINISHED"
        # A burst: the first turn starts, the others queue behind it on the same session.
        for text in ("a coke", "a sprite", "garlic knots"):
            socket.send(json.dumps({"type": "message", "text": text}))
        assert json.loads(socket.recv(timeout=30))["type"] == "RUN_STARTED"
        stack.kill_app(0)
        with pytest.raises((ConnectionClosed, TimeoutError)):  # noqa: PT012 - read to the end
            while True:
                socket.recv(timeout=10)
    assert stack.apps[0].poll() is not None

    try:
        with httpx.Client(base_url=stack.app_url(1), timeout=90, headers=headers) as second:
            # The other replica has the conversation the crashed one checkpointed.
            history = second.get(f"/api/v1/chat/{sid}/messages")
            assert history.status_code == 200
            said = [m["content"] for m in history.json()["messages"] if m["role"] == "user"]
            cart = second.get(f"/api/v1/chat/{sid}/cart").json()
            items = [line["item"] for line in cart["lines"]]
            assert said[0] == "two large pepperoni pizzas", (said, items)
            assert set(said[1:]) <= {"a coke", "a sprite", "garlic knots"}, (said, items)
            assert items.count("pepperoni_pizza") == 1
            assert cart["lines"][items.index("pepperoni_pizza")]["quantity"] == 2
            # What the checkpoint says was said is exactly what the cart holds: no half turn.
            expected = {"a coke": "coke", "a sprite": "sprite", "garlic knots": "garlic_knots"}
            assert sorted(items) == sorted(["pepperoni_pizza", *(expected[t] for t in said[1:])])

            # Finish on the survivor. Its first turn may wait for the dead process's run lock
            # to expire (30 s TTL); it must not fail or be refused meanwhile.
            with connect(_ws_url(stack, 1, sid, token), open_timeout=10) as socket:
                replay = ws_run(socket)
                assert replay[-1]["type"] == "RUN_FINISHED"
                more = _say(socket, "a lemonade")
                assert more[-1]["type"] == "RUN_FINISHED", more[-1]
                lines = _cards(more, "CART_CARD")[-1]["lines"]
                assert {"pepperoni_pizza", "lemonade"} <= {line["item"] for line in lines}
                _say(socket, "checkout")
                summary = _say(socket, "pickup")
                assert _cards(summary, "CART_CARD")[-1]["order_type"] == "pickup"
                placed = _say(socket, "yes")
            orders = _cards(placed, "ORDER_DATA")
            assert orders and orders[0]["status"] == "placed", placed
            number = orders[0]["number"]
            mine = second.get("/api/v1/orders").json()["orders"]
            assert [o["number"] for o in mine] == [number]
            order = second.get(f"/api/v1/orders/{number}").json()
            ordered = {line["item"]: line["quantity"] for line in order["lines"]}
            assert ordered["pepperoni_pizza"] == 2 and ordered["lemonade"] == 1
            said_after = [
                m["content"]
                for m in second.get(f"/api/v1/chat/{sid}/messages").json()["messages"]
                if m["role"] == "user"
            ]
            assert said_after[: len(said)] == said
            assert said_after[-4:] == ["a lemonade", "checkout", "pickup", "yes"]
    finally:
        stack.restart_app(0)
