"""Checkout retried through the chat: many sessions confirm with "yes" at once, clients abandon
requests and retry them, and each session still gets exactly one order, none lost.

The REST variant (200 concurrent POST /api/v1/orders retried with the same Idempotency-Key) is
tests/integration/test_orders.py::test_orders_rest_200_concurrent_retries_place_each_order_once;
this is the chat's path to the same desk, over real sockets.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from tests.integration.auth_support import new_phone
from tests.integration.chat_support import LiveServer, code_for, live, outbox_lines

__all__ = ["live"]

SESSIONS = 20
RETRIES = 4


def _events(text: str) -> list[dict[str, Any]]:
    return [json.loads(line[5:]) for line in text.splitlines() if line.startswith("data:")]


async def _say(client: httpx.AsyncClient, sid: str, text: str) -> list[dict[str, Any]]:
    response = await client.post(f"/api/v1/chat/{sid}/stream", json={"message": text})
    assert response.status_code == 200, response.text
    return _events(response.text)


def _orders(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e["value"] for e in events if e["type"] == "CUSTOM" and e["name"] == "ORDER_DATA"]


async def _abandoned(client: httpx.AsyncClient, sid: str) -> None:
    """A "yes" whose client gives up as soon as the stream starts."""
    async with client.stream(
        "POST", f"/api/v1/chat/{sid}/stream", json={"message": "yes"}
    ) as response:
        assert response.status_code == 200
        async for _ in response.aiter_bytes():
            break


async def test_checkout_retries_concurrent_chat_confirmations_place_one_order_each(
    live: LiveServer,
) -> None:
    """20 sessions, each confirming once abandoned and 4 times at once: 20 orders, one each."""
    async with httpx.AsyncClient(base_url=live.url, timeout=60) as client:
        created = (await client.post("/api/v1/sessions")).json()
        client.cookies.clear()
        client.headers["Authorization"] = f"Bearer {created['token']}"
        phone = new_phone()
        after = outbox_lines(live.settings)
        assert (await client.post("/api/v1/auth/otp", json={"phone": phone})).is_success
        code = code_for(live.settings, phone[-4:], after=after)
        verified = await client.post("/api/v1/auth/verify", json={"phone": phone, "code": code})
        assert verified.status_code == 200, verified.text
        client.cookies.clear()
        client.headers["Authorization"] = f"Bearer {verified.json()['token']}"  # the new one
        sids = [created["session_id"]] + [
            (await client.post("/api/v1/sessions")).json()["session_id"]
            for _ in range(SESSIONS - 1)
        ]

        async def up_to_confirmation(sid: str) -> None:
            for text in ("a coke", "checkout", "pickup"):
                events = await _say(client, sid, text)
                assert events[-1]["type"] == "RUN_FINISHED", events[-1]
            snapshot = [e for e in events if e["type"] == "STATE_SNAPSHOT"][-1]["snapshot"]
            assert snapshot["awaiting"], snapshot  # the order summary waits for a yes

        await asyncio.gather(*(up_to_confirmation(sid) for sid in sids))

        async def confirm(sid: str) -> list[list[dict[str, Any]]]:
            await _abandoned(client, sid)
            return list(await asyncio.gather(*(_say(client, sid, "yes") for _ in range(RETRIES))))

        answers = await asyncio.gather(*(confirm(sid) for sid in sids))

        numbers: dict[str, set[str]] = {}
        for sid, runs in zip(sids, answers, strict=True):
            assert all(run[-1]["type"] == "RUN_FINISHED" for run in runs), [r[-1] for r in runs]
            numbers[sid] = {o["number"] for run in runs for o in _orders(run)}
            assert len(numbers[sid]) <= 1, numbers[sid]
        listed = (await client.get("/api/v1/orders", params={"limit": 100})).json()["orders"]
        assert len(listed) == SESSIONS  # one each, none lost, none doubled
        assert all(order["status"] == "placed" for order in listed)
        by_number = {order["number"]: order for order in listed}
        placed_by: dict[str, str] = {}
        for sid in sids:
            history = (await client.get(f"/api/v1/chat/{sid}/messages")).json()["messages"]
            placed = [
                card["data"]["number"]
                for message in history
                for card in message["cards"]
                if card["name"] == "ORDER_DATA"
            ]
            # The conversation shows the one order it placed, whichever "yes" placed it.
            assert len(set(placed)) == 1 and placed[0] in by_number, placed
            assert numbers[sid] <= {placed[0]}
            placed_by[sid] = placed[0]
        assert set(placed_by.values()) == set(by_number)  # each session's own order, all listed
