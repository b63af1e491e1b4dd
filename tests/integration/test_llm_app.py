"""The whole service with an LLM configured: the lifespan builds the pooled model, each turn's
Context carries it, and the chat streams the model's reply as AG-UI text chunks. The model is the
fake OpenAI server; PostgreSQL, Redis and MongoDB are the session's real ones."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from restaurant.llm import EndpointPool, PooledChatModel
from restaurant.settings import LLMEndpoint, LLMSettings, Settings
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.pool import keys
from tests.fakes.writer import echo_writer
from tests.integration.chat_support import LiveServer, cards, new_session, sse_turn

KEY_1, KEY_2 = keys("app-1", "app-2")


@pytest.fixture(scope="module")
def llm_live(app_settings: Settings, openai_server_session: FakeOpenAI) -> Iterator[LiveServer]:
    """The app on a real socket with two model endpoints on the fake server."""
    llm = LLMSettings(
        endpoints=[
            LLMEndpoint(base_url=openai_server_session.base_url, api_key=SecretStr(key))
            for key in (KEY_1, KEY_2)
        ],
        timeout_seconds=3,
        confidence_threshold=0.6,
    )
    with LiveServer(app_settings.model_copy(update={"llm": llm})) as server:
        yield server


def _events(items: list[Any]) -> list[dict[str, Any]]:
    return [item.event for item in items]


def _texts(events: list[dict[str, Any]]) -> list[str]:
    return [e["delta"] for e in events if e["type"] == "TEXT_MESSAGE_CONTENT"]


async def test_llm_app_builds_the_pool_and_streams_the_model_reply(
    llm_live: LiveServer, openai_server: FakeOpenAI
) -> None:
    model = llm_live.server.config.app.state.resources.chat_model
    assert isinstance(model, PooledChatModel)
    assert len(model.pool.endpoints) == 2

    openai_server.default = echo_writer("Lovely! ")
    # Tokens 20 ms apart, as a model's come: each is written as it comes (the runner joins only
    # text that comes within 10 ms).
    openai_server.chunk_gap = 0.02
    openai_server.script(
        Reply(
            kind="structured",
            structured={"intent": "add_items", "items": [{"item": "tiramisu", "quantity": 2}]},
        )
    )
    session = await new_session(llm_live.url)
    # The app's pool state, read from this test's loop.
    pool = EndpointPool(Redis.from_url(str(llm_live.settings.redis.url)), model.pool.endpoints)
    window, before = pool.window(), sum(s.requests for s in await pool.states())
    events = _events(
        await sse_turn(llm_live.url, session, "gimme a couple of those coffee-soaked cake things")
    )
    [cart] = cards(events, "CART_CARD")
    assert [(line["item"], line["quantity"]) for line in cart["lines"]] == [("tiramisu", 2)]
    texts = _texts(events)
    assert len(texts) >= 5  # the model's tokens, as they came
    assert "".join(texts).startswith("Lovely! ") and "$15.00" in "".join(texts)
    assert not any("intent" in t for t in texts)  # the classifier's JSON is never shown
    assert {r.key for r in openai_server.requests} <= {KEY_1, KEY_2}
    assert [r.kind for r in openai_server.requests] == ["structured", "text"]
    # The endpoint reserved as the turn started served its first call: two calls, two requests.
    if pool.window() == window:  # (a minute's counters: none to compare across their end)
        assert sum(s.requests for s in await pool.states()) - before == 2
    await pool.redis.aclose()


async def test_llm_app_answers_offline_when_every_endpoint_is_cooling(
    llm_live: LiveServer, openai_server: FakeOpenAI
) -> None:
    for key in (KEY_1, KEY_2):
        openai_server.always[key] = Reply(status=429, headers={"retry-after": "2"})
    session = await new_session(llm_live.url)
    events = _events(await sse_turn(llm_live.url, session, "a coke please"))
    assert [e["type"] for e in events][-1] == "RUN_FINISHED"
    assert not [e for e in events if e["type"] == "RUN_ERROR"]
    [cart] = cards(events, "CART_CARD")
    assert [line["item"] for line in cart["lines"]] == ["coke"]
    reply = "".join(_texts(events))
    assert "coca-cola" in reply.lower() and "$3.00" in reply
    # Nothing about the model reaches the customer ("429" as a word: timestamps and ids may
    # hold those digits, as 1796194292830 did).
    assert re.search(r"\b429\b", json.dumps(events)) is None
