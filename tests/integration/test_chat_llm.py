"""LLM mode through the chat: the model's reply arrives token by token as one text message, the
classifier's structured output never shows, and the whole stream passes the AG-UI verifier.
The model is the fake OpenAI server on a real socket."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from restaurant.settings import LLMEndpoint, LLMSettings, Settings
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.pool import keys
from tests.fakes.writer import echo_writer
from tests.integration.chat_support import (
    LiveServer,
    new_session,
    reply,
    sse_turn,
    types,
    verify,
)

(KEY,) = keys("chat-llm")


@pytest.fixture(scope="module")
def llm_chat(app_settings: Settings, openai_server_session: FakeOpenAI) -> Iterator[LiveServer]:
    """The app with one model endpoint on the fake server."""
    llm = LLMSettings(
        endpoints=[LLMEndpoint(base_url=openai_server_session.base_url, api_key=SecretStr(KEY))],
        timeout_seconds=3,
    )
    with LiveServer(app_settings.model_copy(update={"llm": llm})) as server:
        yield server


async def test_chat_llm_reply_streams_as_one_message_and_the_classifier_stays_silent(
    llm_chat: LiveServer, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer("Sure thing! ")
    # Tokens 20 ms apart, as a model's come: each is written as it comes (the runner joins only
    # text that comes within 10 ms).
    openai_server.chunk_gap = 0.02
    openai_server.script(
        Reply(
            kind="structured",
            structured={"intent": "add_items", "items": [{"item": "tiramisu", "quantity": 2}]},
        )
    )
    session = await new_session(llm_chat.url)
    events: list[dict[str, Any]] = [
        e.event for e in await sse_turn(llm_chat.url, session, "two of those coffee cake things")
    ]
    kinds = types(events)
    assert kinds.count("TEXT_MESSAGE_START") == 1 and kinds.count("TEXT_MESSAGE_END") == 1
    deltas = [e["delta"] for e in events if e["type"] == "TEXT_MESSAGE_CONTENT"]
    assert len(deltas) >= 5 and "".join(deltas).startswith("Sure thing! ")
    assert not any("intent" in d or "{" in d for d in deltas)
    # The text streamed while the respond step ran, inside it.
    respond = [i for i, e in enumerate(events) if e.get("stepName") == "respond"]
    first_text = kinds.index("TEXT_MESSAGE_CONTENT")
    assert respond[0] < first_text < respond[1]
    verify(events)
    assert await llm_chat.chat.transcripts.flush(10)


async def _cart(base: str, session: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        got = await client.get(f"/api/v1/chat/{session.session_id}/cart", headers=session.headers)
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    return body


async def test_chat_llm_makes_an_edit_the_offline_reading_cannot_map(
    llm_chat: LiveServer, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer("")
    session = await new_session(llm_chat.url)
    await sse_turn(llm_chat.url, session, "a coke and a margherita pizza")
    coke = next(
        line for line in (await _cart(llm_chat.url, session))["lines"] if line["item"] == "coke"
    )
    openai_server.script(
        Reply(
            kind="tools",
            tool_calls=[("update_cart_line", {"line_id": coke["id"], "item": "bottled_water"})],
        ),
        Reply(kind="tools", text="I swapped your Coca-Cola for a bottled water."),
    )
    events = [
        e.event
        for e in await sse_turn(
            llm_chat.url, session, "swap the coke for the cheapest drink you have"
        )
    ]
    lines = (await _cart(llm_chat.url, session))["lines"]
    assert sorted(line["item"] for line in lines) == ["bottled_water", "margherita_pizza"]
    # The model saw the cart's lines with their ids, and only the edit tools.
    request = openai_server.of_kind("tools")[-2].body
    assert coke["id"] in request["messages"][0]["content"]
    assert {t["function"]["name"] for t in request["tools"]} == {
        "update_cart_line",
        "split_cart_line",
        "remove_from_cart",
        "add_to_cart",
    }
    assert "bottled water" in reply(events).lower()
    verify(events)


async def test_chat_llm_edit_calls_are_checked_before_anything_changes(
    llm_chat: LiveServer, openai_server: FakeOpenAI
) -> None:
    openai_server.default = echo_writer("")
    session = await new_session(llm_chat.url)
    await sse_turn(llm_chat.url, session, "a coke and a margherita pizza")
    before = await _cart(llm_chat.url, session)
    coke = next(line for line in before["lines"] if line["item"] == "coke")
    openai_server.script(
        # One call a menu refuses (no such option) and one it allows: neither runs.
        Reply(
            kind="tools",
            tool_calls=[
                ("update_cart_line", {"line_id": coke["id"], "quantity": 2}),
                (
                    "update_cart_line",
                    {
                        "line_id": coke["id"],
                        "choices": [{"group": "drink_size", "option": "gallon"}],
                    },
                ),
            ],
        ),
        Reply(kind="tools", text="Sorry, I can't do that."),
    )
    events = [
        e.event
        for e in await sse_turn(
            llm_chat.url, session, "swap the coke for the cheapest drink you have"
        )
    ]
    assert await _cart(llm_chat.url, session) == before
    refused = openai_server.of_kind("tools")[-1].body["messages"]
    results = [m["content"] for m in refused if m["role"] == "tool"]
    assert any("no option drink_size.gallon" in text for text in results)
    assert any("another call of this round was refused" in text for text in results)
    assert "cheapest" in reply(events).lower() or "couldn't find" in reply(events).lower()
