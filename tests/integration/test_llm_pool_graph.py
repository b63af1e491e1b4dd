"""The compiled graph on the pooled model: cooling, timeouts and an open breaker all end in the
offline answer, and a 429 on one endpoint is answered by the other. Real HTTP, real Redis (pool
state and checkpoints)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from langgraph.checkpoint.base import BaseCheckpointSaver
from redis.asyncio import Redis

from graph.checkpoint import redis_checkpointer
from graph.menu import Menu, load_menu
from graph.state import TurnInput
from restaurant.llm import PoolConfig, PooledChatModel
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.pool import embedded_redis, endpoint_ids, keys, pooled_model
from tests.fakes.writer import echo_writer
from tests.graph.conftest import Chat

DEMO_MENU = Path(__file__).resolve().parents[2] / "seeds" / "demo.json"


@pytest.fixture(scope="module")
def graph_redis_url() -> Iterator[str]:
    """A Redis of these tests' own for the pool's state and the checkpoints."""
    with embedded_redis("pool-graph-redis-") as url:
        yield url


@pytest.fixture
async def redis(graph_redis_url: str) -> AsyncIterator[Redis]:
    """A client on that Redis."""
    client = Redis.from_url(graph_redis_url)
    yield client
    await client.aclose()


@pytest.fixture
async def saver(graph_redis_url: str) -> AsyncIterator[BaseCheckpointSaver[str]]:
    """Checkpoints on that Redis."""
    async with redis_checkpointer(graph_redis_url) as redis_saver:
        yield redis_saver


@pytest.fixture(scope="module")
def demo_menu() -> Menu:
    """The demo menu."""
    return load_menu(DEMO_MENU)


def chat_on(model: PooledChatModel, saver: BaseCheckpointSaver[str], menu: Menu) -> Chat:
    """A chat whose every message is unsure, so each turn asks the classifier and the writer."""
    return Chat(menu=menu, saver=saver, chat_model=model, confidence_threshold=0.99)


async def test_llm_pool_graph_every_endpoint_cooling_answers_offline(
    openai_server: FakeOpenAI, redis: Redis, saver: BaseCheckpointSaver[str], demo_menu: Menu
) -> None:
    k1, k2 = keys("k1", "k2")
    for key in (k1, k2):
        openai_server.always[key] = Reply(status=429, headers={"retry-after": "30"})
    model = pooled_model(openai_server, redis, [k1, k2])
    chat = chat_on(model, saver, demo_menu)

    turn = await chat.say("a coke")
    assert [line.item for line in await chat.cart_lines()] == ["coke"]
    assert "coca-cola ($3.00)" in turn.reply
    assert [r.key for r in openai_server.requests] == [k1, k2]  # the classifier tried both
    for endpoint_id in endpoint_ids(model).values():
        assert 25_000 < await redis.pttl(f"llm:pool:{endpoint_id}:cooldown") <= 30_000

    turn = await chat.say("and a sprite")
    assert [line.item for line in await chat.cart_lines()] == ["coke", "sprite"]
    assert "sprite" in turn.reply.lower()
    assert openai_server.count() == 2  # cooling endpoints are not even asked


async def test_llm_pool_graph_429_on_one_endpoint_is_answered_by_the_other(
    openai_server: FakeOpenAI, redis: Redis, saver: BaseCheckpointSaver[str], demo_menu: Menu
) -> None:
    k1, k2 = keys("k1", "k2")
    openai_server.default = echo_writer("Lovely choice! ")
    openai_server.script(Reply(status=429, headers={"retry-after": "10"}), key=k1)
    openai_server.script(
        Reply(
            kind="structured",
            structured={"intent": "add_items", "items": [{"item": "tiramisu", "quantity": 2}]},
        )
    )
    model = pooled_model(openai_server, redis, [k1, k2])
    chat = chat_on(model, saver, demo_menu)
    custom = [
        event
        async for event in chat.graph.astream(
            TurnInput(text="two of the coffee cake things"),
            chat.config,
            context=chat.context(),
            stream_mode="custom",
            durability="exit",
        )
    ]
    assert [(line.item, line.quantity) for line in await chat.cart_lines()] == [("tiramisu", 2)]
    assert [(r.key, r.kind) for r in openai_server.requests] == [
        (k1, "structured"),
        (k2, "structured"),
        (k2, "text"),
    ]
    # The pooled model streams the reply as plain text: `text` events on the custom stream.
    tokens = [e["delta"] for e in custom if e.get("type") == "text"]
    assert len(tokens) >= 5 and "".join(tokens).startswith("Lovely choice! ")
    state = (await chat.graph.aget_state(chat.config)).values
    assert state["messages"][-1].content == "".join(tokens)


async def test_llm_pool_graph_timeouts_answer_offline_and_open_the_breaker(
    openai_server: FakeOpenAI, redis: Redis, saver: BaseCheckpointSaver[str], demo_menu: Menu
) -> None:
    [k1] = keys("k1")
    openai_server.always[k1] = Reply(text="too late", delay=2.0)
    model = pooled_model(
        openai_server,
        redis,
        [k1],
        timeout=0.3,
        config=PoolConfig(failure_threshold=2, open_seconds=60),
    )
    chat = chat_on(model, saver, demo_menu)
    turn = await chat.say("a coke")  # the classifier and the writer both time out
    assert "coca-cola ($3.00)" in turn.reply and "too late" not in turn.reply
    [state] = await model.pool.states()
    assert state.breaker == "open"

    turn = await chat.say("what's in my cart?")
    assert "coca-cola" in turn.reply.lower()
    assert openai_server.count(k1) == 2  # open: the second turn asked nobody
