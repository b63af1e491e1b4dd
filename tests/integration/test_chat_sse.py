"""The chat over SSE on a real socket: the curl endpoint, the AG-UI endpoint (raw and through the
official `HttpAgent`), history after a reload, a dropped stream resumed with Last-Event-ID, and two
messages sent at once."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import websockets

from restaurant.settings import Settings
from tests.integration.chat_support import (
    LiveServer,
    Session,
    SseEvent,
    adopt_token,
    cards,
    code_for,
    live,
    new_session,
    new_tokens,
    reply,
    run_node,
    sse_events,
    sse_turn,
    types,
    verify,
)

__all__ = ["live"]  # the fixture, imported for pytest


def _events(items: list[SseEvent]) -> list[dict[str, Any]]:
    return [item.event for item in items]


async def test_chat_sse_full_order(live: LiveServer, app_settings: Settings) -> None:
    session = await new_session(live.url)
    seen: list[dict[str, Any]] = []

    async def say(text: str) -> list[dict[str, Any]]:
        items = await sse_turn(live.url, session, text)
        # Every event has its log id, but the new token a sign-in hands this stream alone.
        logged = [item for item in items if not new_tokens([item.event])]
        assert all(item.id for item in logged), "every SSE event has an id"
        assert all(item.event["metadata"]["eventId"] == item.id for item in logged)
        assert all(item.id is None for item in items if item not in logged)
        seen.extend(_events(items))
        return _events(items)

    added = await say("a margherita pizza and a coke")
    assert len(cards(added, "CART_CARD")[0]["lines"]) == 2
    await say("checkout")
    asked = await say("my number is 201 555 0144")
    assert cards(asked, "AUTH_REQUIRED")[0]["step"] == "code", reply(asked)
    before = session.token
    signed = await say(code_for(app_settings, "0144"))
    assert new_tokens(signed) == [session.token] and session.token != before
    await say("pickup")
    placed = await say("yes")
    order = cards(placed, "ORDER_DATA")
    assert order and order[0]["status"] == "placed", reply(placed)
    verify(seen)


async def _agui_run(live: LiveServer, session: Session, text: str) -> list[dict[str, Any]]:
    body = {
        "threadId": session.session_id,
        "runId": f"r-{text[:8].replace(' ', '-')}",
        "messages": [{"id": f"u-{abs(hash(text))}", "role": "user", "content": text}],
        "state": {},
        "tools": [],
        "context": [],
        "forwardedProps": {},
    }
    async with (
        httpx.AsyncClient(base_url=live.url, timeout=60) as client,
        client.stream(
            "POST",
            "/api/v1/agui",
            json=body,
            headers={**session.headers, "Accept": "text/event-stream"},
        ) as response,
    ):
        assert response.status_code == 200, await response.aread()
        events = _events(await sse_events(response))
    adopt_token(session, events)
    assert events[0]["type"] == "RUN_STARTED" and events[0]["runId"] == body["runId"]
    assert events[-1]["type"] == "RUN_FINISHED" and events[-1]["runId"] == body["runId"]
    return events


async def test_chat_agui_endpoint_full_order(live: LiveServer, app_settings: Settings) -> None:
    session = await new_session(live.url)
    seen: list[dict[str, Any]] = []
    for text in ("two cokes", "checkout", "my number is 201 555 0155"):
        seen += await _agui_run(live, session, text)
    seen += await _agui_run(live, session, code_for(app_settings, "0155"))
    seen += await _agui_run(live, session, "pickup")
    placed = await _agui_run(live, session, "yes")
    seen += placed
    assert cards(placed, "ORDER_DATA")[0]["type"] == "pickup"
    verify(seen)


async def test_chat_agui_http_agent_holds_a_conversation(
    live: LiveServer, app_settings: Settings
) -> None:
    session = await new_session(live.url)
    script = [
        "what pizzas do you have?",
        "a large pepperoni pizza",
        "checkout",
        "my number is 201 555 0166",
        "{CODE}",
        "pickup",
        "yes",
    ]
    result = await asyncio.to_thread(
        run_node,
        "conversation.mjs",
        f"{live.url}/api/v1/agui",
        session.token,
        session.session_id,
        str(app_settings.outbox_path),
        json.dumps(script),
    )
    events = result["events"]
    assert types(events).count("RUN_STARTED") == len(script)
    assert types(events).count("RUN_FINISHED") == len(script)
    assert cards(events, "MENU_CARD")
    assert cards(events, "ORDER_DATA")[0]["status"] == "placed"
    roles = [m["role"] for m in result["messages"]]
    assert roles.count("user") == len(script)
    assert roles.count("assistant") >= len(script)
    assert result["state"]["signedIn"] is True
    verify(events)


async def test_chat_history_after_reload_has_messages_and_cards(live: LiveServer) -> None:
    session = await new_session(live.url)
    first = await sse_turn(live.url, session, "two large pepperoni pizzas")
    second = await sse_turn(live.url, session, "show me the salads")
    verify(_events(first) + _events(second))
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        got = await client.get(
            f"/api/v1/chat/{session.session_id}/messages", headers=session.headers
        )
    assert got.status_code == 200, got.text
    body = got.json()
    messages = body["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
    assert messages[0]["content"] == "two large pepperoni pizzas"
    assert messages[1]["cards"][0]["name"] == "CART_CARD"
    assert messages[1]["cards"][0]["data"]["lines"][0]["quantity"] == 2
    assert any(c["name"] == "MENU_CARD" for c in messages[3]["cards"])
    assert body["state"]["intent"]
    assert body["state"]["cart"]["lines"] == 1 and body["state"]["cart"]["total"] == "37.00"


async def test_chat_dropped_stream_resumes_with_last_event_id(live: LiveServer) -> None:
    session = await new_session(live.url)
    # The client reads three events, then goes away.
    first = await sse_turn(live.url, session, "two large pepperoni pizzas and a coke", limit=3)
    last = first[-1].id
    assert last
    for attempt in ("header", "query"):
        async with httpx.AsyncClient(base_url=live.url, timeout=60) as client:
            if attempt == "header":
                request = client.stream(
                    "GET",
                    f"/api/v1/chat/{session.session_id}/stream",
                    headers={**session.headers, "Last-Event-ID": last},
                )
            else:
                request = client.stream(
                    "GET",
                    f"/api/v1/chat/{session.session_id}/stream",
                    params={"last_event_id": last},
                    headers=session.headers,
                )
            async with request as response:
                assert response.status_code == 200
                rest = await sse_events(response)
        whole = _events(first) + _events(rest)
        ids = [i.id for i in first + rest]
        assert len(ids) == len(set(ids)), "no event is sent twice"
        assert types(whole)[0] == "RUN_STARTED" and types(whole)[-1] == "RUN_FINISHED"
        assert cards(whole, "CART_CARD"), "the run went on while nobody listened"
        verify(whole)
    # POST with Last-Event-ID resumes too, and does not send the message again.
    async with (
        httpx.AsyncClient(base_url=live.url, timeout=60) as client,
        client.stream(
            "POST",
            f"/api/v1/chat/{session.session_id}/stream",
            json={"message": "two large pepperoni pizzas and a coke"},
            headers={**session.headers, "Last-Event-ID": last},
        ) as response,
    ):
        again = await sse_events(response)
    assert [i.id for i in again] == [i.id for i in rest]
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        got = await client.get(
            f"/api/v1/chat/{session.session_id}/messages", headers=session.headers
        )
    assert [m["role"] for m in got.json()["messages"]] == ["user", "assistant"]


async def test_chat_two_messages_at_once_never_interleave(live: LiveServer) -> None:
    session = await new_session(live.url)
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}", additional_headers=session.headers
    ) as observer:
        runs = await asyncio.gather(
            sse_turn(live.url, session, "two large pepperoni pizzas"),
            sse_turn(live.url, session, "a coke"),
        )
        watched: list[dict[str, Any]] = []
        while types(watched).count("RUN_FINISHED") < 3:  # the history run, then both turns
            watched.append(json.loads(await asyncio.wait_for(observer.recv(), 30)))
    for run in runs:
        events = _events(run)
        assert types(events)[0] == "RUN_STARTED" and types(events)[-1] == "RUN_FINISHED"
        verify(events)
    # Whoever watches the session sees one run after the other, never two at once.
    starts = [i for i, e in enumerate(watched) if e["type"] == "RUN_STARTED"]
    ends = [i for i, e in enumerate(watched) if e["type"] == "RUN_FINISHED"]
    assert all(end < start for end, start in zip(ends, starts[1:], strict=False))
    verify(watched)
    lines = cards(watched, "CART_CARD")[-1]["lines"]
    assert sorted(line["item"] for line in lines) == ["coke", "pepperoni_pizza"]
