"""The chat over a real WebSocket: a whole order, history on reconnect, bad frames, bad sessions."""

from __future__ import annotations

import json
from contextlib import asynccontextmanager

import httpx
import websockets

from restaurant.settings import Settings
from tests.integration.chat_support import (
    LiveServer,
    Session,
    Socket,
    cards,
    code_for,
    live,
    new_session,
    reply,
    types,
    verify,
)

__all__ = ["live"]  # the fixture, imported for pytest


@asynccontextmanager
async def connect(live: LiveServer, session: Session):  # type: ignore[no-untyped-def]
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}", additional_headers=session.headers
    ) as connection:
        yield Socket(connection, session)  # takes the new token a sign-in hands over


async def test_chat_websocket_full_order(live: LiveServer, app_settings: Settings) -> None:
    session = await new_session(live.url)
    async with connect(live, session) as ws:
        history = await ws.run()
        assert types(history) == [
            "RUN_STARTED",
            "MESSAGES_SNAPSHOT",
            "STATE_SNAPSHOT",
            "RUN_FINISHED",
        ]
        added = await ws.say("two large pepperoni pizzas")
        assert types(added)[0] == "RUN_STARTED" and types(added)[-1] == "RUN_FINISHED"
        assert "STEP_STARTED" in types(added) and "TOOL_CALL_START" in types(added)
        assert cards(added, "CART_CARD")[0]["lines"][0]["quantity"] == 2
        assert "pepperoni" in reply(added).lower()
        assert all(e.get("metadata", {}).get("eventId") for e in added)
        gate = await ws.say("checkout")
        assert cards(gate, "AUTH_REQUIRED")[0]["step"] == "phone"
        asked = await ws.say("my number is 201 555 0123")
        assert cards(asked, "AUTH_REQUIRED")[0]["step"] == "code", reply(asked)
        verified = await ws.say(code_for(app_settings, "0123"))
        assert "pickup" in reply(verified).lower(), reply(verified)
        snapshot = [e for e in verified if e["type"] == "STATE_SNAPSHOT"][-1]["snapshot"]
        assert snapshot["signedIn"] is True
        summary = await ws.say("pickup")
        assert cards(summary, "CART_CARD")[-1]["order_type"] == "pickup"
        placed = await ws.say("yes")
        order = cards(placed, "ORDER_DATA")
        assert order and order[0]["type"] == "pickup" and order[0]["status"] == "placed", reply(
            placed
        )
    # A reload: a new socket starts with the whole conversation, cards included.
    async with connect(live, session) as again:
        history = await again.run()
    snapshot = history[1]
    assert snapshot["type"] == "MESSAGES_SNAPSHOT"
    messages = snapshot["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"] * 6
    assert messages[0]["content"] == "two large pepperoni pizzas"
    assert messages[1]["metadata"]["cards"][0]["name"] == "CART_CARD"
    order_cards = [c for c in messages[-1]["metadata"]["cards"] if c["name"] == "ORDER_DATA"]
    assert order_cards[0]["data"] == order[0]
    assert history[2]["snapshot"]["lastOrder"] == order[0]["number"]
    assert history[2]["snapshot"]["cart"]["lines"] == 0  # the order emptied it
    verify(ws.events)
    verify(again.events)


async def test_chat_websocket_messages_sent_together_run_in_order(live: LiveServer) -> None:
    session = await new_session(live.url)
    texts = ["a coke", "a sprite", "two cokes", "a margherita pizza", "a caesar salad", "a coke"]
    async with connect(live, session) as ws:
        await ws.run()
        for text in texts:
            await ws.connection.send(json.dumps({"type": "message", "text": text}))
        for _ in texts:
            await ws.run()
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        got = await client.get(
            f"/api/v1/chat/{session.session_id}/messages", headers=session.headers
        )
    users = [m["content"] for m in got.json()["messages"] if m["role"] == "user"]
    assert users == texts
    verify(ws.events)
