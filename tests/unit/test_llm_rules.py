"""The model path's pure rules: when the reading is unsure, what a reply may say, how a
classification maps onto the menu, and how long a 429 asks to wait."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import SecretStr
from redis.asyncio import Redis

from graph.cards import auth_card, cart_card, menu_card
from graph.intents import Intent
from graph.llm import (
    Classification,
    UngroundedReply,
    _facts,
    _numbers,
    card_facts,
    grounded,
    guarded,
    is_unsure,
    reading_from,
    write_reply,
)
from graph.menu import load_menu
from graph.models import CartLineRead, CartRead
from graph.nlu.reading import Reading
from graph.state import State
from restaurant.llm.model import COMPLETION_ESTIMATE, PooledChatModel, estimate_tokens
from restaurant.llm.pool import MAX_COOLDOWN_SECONDS, retry_after_seconds
from restaurant.settings import LLMEndpoint, LLMSettings

DEMO = load_menu(Path(__file__).resolve().parents[2] / "seeds" / "demo.json")
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC).timestamp()


def test_is_unsure_below_the_threshold_or_for_an_unknown_intent() -> None:
    assert is_unsure(Reading(text="x", intent=Intent.ADD_ITEMS, confidence=0.55), 0.6)
    assert not is_unsure(Reading(text="x", intent=Intent.ADD_ITEMS, confidence=0.6), 0.6)
    assert is_unsure(Reading(text="x", intent=Intent.UNKNOWN, confidence=0.9), 0.6)
    assert not is_unsure(Reading(text="yes", intent=Intent.AFFIRM, confidence=0.95), 0.6)


@pytest.mark.parametrize(
    ("reply", "ok"),
    [
        ("Great, 2 large pizzas ($31.50) are in. Anything else?", True),
        ("Great, 2 large pizzas for $29.99 are in. Anything else?", False),  # invented price
        ("Great, 3 large pizzas ($31.50) are in. Anything else?", False),  # invented quantity
        ("Great, the pizzas are in. Anything else?", False),  # dropped the price
        ("Great, 2 large pizzas ($31.50) are in.", False),  # dropped the question
    ],
)
def test_grounded_replies_keep_the_drafts_numbers_and_question(reply: str, ok: bool) -> None:
    draft = "Added 2 large pizzas ($31.50). Anything else?"
    assert grounded(reply, draft, draft=draft) is ok


def test_reading_from_keeps_only_what_the_menu_has() -> None:
    offline = Reading(text="t", intent=Intent.UNKNOWN, confidence=0.2, unknown=("fizzy",))
    result = Classification.model_validate(
        {
            "intent": "add_items",
            "items": [
                {"item": "caviar"},
                {
                    "item": "coke",
                    "quantity": 250,
                    "choices": [
                        {"group": "drink_size", "option": "large"},
                        {"group": "drink_size", "option": "bucket"},
                        {"group": "toppings", "option": "onions"},
                    ],
                },
            ],
            "tags": ["vegan", "keto"],
            "max_price": 12,
            "exclude_allergens": ["nuts", "kryptonite"],
        }
    )
    reading = reading_from(result, DEMO, offline)
    assert reading.intent is Intent.ADD_ITEMS and reading.confidence == 1.0
    [line] = reading.items
    assert (line.item, line.quantity, line.quantity_said) == ("coke", 99, True)
    assert [(c.group, c.option) for c in line.choices] == [("drink_size", "large")]
    assert reading.unknown == ()
    assert reading.tags == ("vegan",)
    assert reading.max_price == Decimal("12")
    known_allergens = {a for i in DEMO.items() for a in i.allergens}
    assert set(reading.exclude_allergens) <= known_allergens


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        (
            {"retry-after": format_datetime(datetime.fromtimestamp(NOW + 42, UTC), usegmt=True)},
            42.0,
        ),
        ({"retry-after": format_datetime(datetime.fromtimestamp(NOW - 5, UTC), usegmt=True)}, 0.0),
        ({"retry-after": "86400"}, MAX_COOLDOWN_SECONDS),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_seconds_reads_seconds_dates_and_milliseconds(
    headers: dict[str, str], seconds: float | None
) -> None:
    assert retry_after_seconds(headers, now=lambda: NOW) == seconds


def test_estimate_tokens_counts_the_prompt_and_a_completion() -> None:
    assert estimate_tokens([HumanMessage("x" * 400)]) == (400 + 16) // 4 + COMPLETION_ESTIMATE


class Pieces(BaseChatModel):
    """Streams a reply in the given pieces."""

    pieces: list[str]

    @property
    def _llm_type(self) -> str:
        return "pieces"

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage("".join(self.pieces)))])

    async def _astream(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> AsyncIterator[ChatGenerationChunk]:
        for piece in self.pieces:
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


async def _pieces(*pieces: str) -> AsyncIterator[str]:
    for piece in pieces:
        yield piece


async def test_guarded_reply_holds_numbers_back_until_they_are_complete() -> None:
    source = _pieces("Total ", "$3", "1.", "50", " for ", "2", ".")
    relayed = [p async for p in guarded(source, frozenset({"31.50", "2"}))]
    assert relayed == ["Total ", "$31.50 for ", "2."]


async def _streamed_until_refused(source: AsyncIterator[str], allowed: set[str]) -> str:
    """What the relay streamed before refusing (it must refuse)."""
    streamed: list[str] = []

    async def read() -> None:
        async for piece in guarded(source, frozenset(allowed)):
            streamed.append(piece)

    with pytest.raises(UngroundedReply):
        await read()
    return "".join(streamed)


async def test_guarded_reply_stops_before_an_invented_number() -> None:
    source = _pieces("Only ", "$1", ".99", " today!")
    assert await _streamed_until_refused(source, {"3.00"}) == "Only "


async def test_guarded_reply_sends_what_precedes_an_invented_number_in_a_coalesced_chunk() -> None:
    source = _pieces("Two pizzas for $31.50, only $1.99 for a coke!")
    assert await _streamed_until_refused(source, {"31.50"}) == "Two pizzas for $31.50, only "


async def test_write_reply_streams_any_chat_models_text_as_text_events() -> None:
    """A LangChain chat model without `astream_text` is read through `astream`."""
    state = State(text="two cokes")
    events: list[dict[str, Any]] = []
    model = Pieces(pieces=["Two cokes, ", "$3", ".00", ". Anything else?"])
    written = await write_reply(
        model, state, "Added 2 cokes, $3.00. Anything else?", restaurant="R", write=events.append
    )
    assert written is not None and written.text == "Two cokes, $3.00. Anything else?"
    assert [e["delta"] for e in events] == ["Two cokes, ", "$3.00. Anything else?"]
    assert {e["type"] for e in events} == {"text"} and {e["id"] for e in events} == {written.id}

    invented = Pieces(pieces=["Two cokes, only ", "$1.99", "!"])
    events.clear()
    draft = "Added 2 cokes, $3.00. Anything else?"
    assert await write_reply(invented, state, draft, restaurant="R", write=events.append) is None
    assert "".join(e["delta"] for e in events) == "Two cokes, only "


def test_card_facts_are_the_cards_json_and_its_numbers_whatever_is_cached() -> None:
    cart = CartRead(
        session_id="s",
        lines=(
            CartLineRead(
                id="l1",
                item="tiramisu",
                label="Tiramisu",
                quantity=2,
                unit_price=Decimal("7.50"),
                line_total=Decimal("15.00"),
            ),
        ),
        subtotal=Decimal("15.00"),
        total=Decimal("15.00"),
    )
    items = list(DEMO.items())
    for cards in (
        [menu_card(DEMO, items)],
        [menu_card(DEMO, items[:3], title="Pizzas"), cart_card(cart)],
        [auth_card("phone")],
    ):
        plain = json.dumps([{"card": c["name"], **c["data"]} for c in cards], default=str)
        for _ in range(2):  # cold, then from the cache of item encodings
            assert card_facts(cards) == plain
            assert _facts(cards) == (plain, _numbers(plain))


def test_pool_settings_reach_the_pool() -> None:
    settings = LLMSettings(
        endpoints=[
            LLMEndpoint(base_url="http://127.0.0.1:9/v1", api_key=SecretStr("a")),
            LLMEndpoint(base_url="http://127.0.0.1:9/v1", api_key=SecretStr("b")),
        ],
        cooldown_seconds=45,
        breaker_failures=5,
        breaker_open_seconds=12,
        timeout_seconds=20,
    )
    model = PooledChatModel.from_settings(settings, Redis.from_url("redis://127.0.0.1:9"))
    config = model.pool.config
    assert (config.cooldown_seconds, config.failure_threshold, config.open_seconds) == (45, 5, 12)
    assert config.probe_seconds >= settings.timeout_seconds
    ids = [e.id for e in model.pool.endpoints]
    assert len(set(ids)) == 2 and all("a" != i != "b" for i in ids)  # ids never show the key
    assert all(client.max_retries == 0 for client in model.clients.values())
