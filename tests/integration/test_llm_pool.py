"""The endpoint pool over real HTTP (the fake OpenAI server) and a real Redis.

Cooldown on 429 honouring Retry-After, moving a call to the next endpoint, the circuit breaker
opening and half-opening, rate limits shared by two pool instances (two replicas), least-loaded
choice, and `PoolExhausted` when nothing is left.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import openai
import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage
from pydantic import BaseModel, SecretStr
from redis.asyncio import Redis

from graph.llm import ModelUnavailable
from restaurant.llm import EndpointPool, PoolConfig, PoolExhausted
from restaurant.llm.model import RESERVED_ESTIMATE, PooledChatModel, estimate_tokens
from restaurant.llm.pool import Lease
from restaurant.settings import LLMEndpoint, LLMSettings
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.pool import BUILT, embedded_redis, endpoint_ids, keys, pooled_model

FIXED_NOW = 1_800_000_000.0  # one rate-limit window for the whole test, whatever the time


def fixed_clock() -> float:
    """A pool clock that stays in that window."""
    return FIXED_NOW


@pytest.fixture(scope="module")
def pool_redis_url() -> Iterator[str]:
    """A Redis of these tests' own (no PostgreSQL or MongoDB needed)."""
    with embedded_redis("pool-redis-") as url:
        yield url


@pytest.fixture
async def redis(pool_redis_url: str) -> AsyncIterator[Redis]:
    """A client on that Redis."""
    client = Redis.from_url(pool_redis_url)
    yield client
    await client.aclose()


async def test_llm_pool_429_cools_the_endpoint_and_the_call_moves_on(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    k1, k2 = keys("k1", "k2")
    openai_server.script(Reply(status=429, headers={"retry-after": "7"}), key=k1)
    model = pooled_model(openai_server, redis, [k1, k2])
    ids = endpoint_ids(model)

    answer = await model.ainvoke("hello")
    assert answer.content == "OK"
    assert [r.key for r in openai_server.requests] == [k1, k2]
    ttl = await redis.pttl(f"llm:pool:{ids[k1]}:cooldown")
    assert 6000 < ttl <= 7000
    assert await redis.exists(f"llm:pool:{ids[k2]}:cooldown") == 0
    states = {s.endpoint.id: s for s in await model.pool.states()}
    assert 6 < states[ids[k1]].cooling_for <= 7
    assert states[ids[k2]].cooling_for == 0

    await model.ainvoke("again")  # straight to the endpoint that is not cooling
    assert [r.key for r in openai_server.requests] == [k1, k2, k2]


async def test_llm_pool_retry_after_as_an_http_date(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    k1, k2 = keys("k1", "k2")
    when = datetime.now(UTC) + timedelta(seconds=20)
    openai_server.script(
        Reply(status=429, headers={"retry-after": format_datetime(when, usegmt=True)}), key=k1
    )
    model = pooled_model(openai_server, redis, [k1, k2])
    await model.ainvoke("hello")
    ttl = await redis.pttl(f"llm:pool:{endpoint_ids(model)[k1]}:cooldown")
    assert 17_000 < ttl <= 20_500


async def test_llm_pool_429_without_retry_after_cools_for_the_configured_default(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    k1, k2 = keys("k1", "k2")
    openai_server.script(Reply(status=429), key=k1)
    model = pooled_model(openai_server, redis, [k1, k2])  # LLMSettings.cooldown_seconds = 60
    await model.ainvoke("hello")
    ttl = await redis.pttl(f"llm:pool:{endpoint_ids(model)[k1]}:cooldown")
    assert 58_000 < ttl <= 60_000


async def test_llm_pool_every_endpoint_cooling_raises_pool_exhausted(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    k1, k2 = keys("k1", "k2")
    for key in (k1, k2):
        openai_server.always[key] = Reply(status=429, headers={"retry-after": "30"})
    model = pooled_model(openai_server, redis, [k1, k2])
    with pytest.raises(PoolExhausted):
        await model.ainvoke("hello")
    assert openai_server.count() == 2

    with pytest.raises(ModelUnavailable) as raised:  # what the graph answers offline
        await model.ainvoke("hello again")
    assert openai_server.count() == 2  # nobody is asked while everyone cools down
    assert isinstance(raised.value, PoolExhausted)
    assert all(why.startswith("cooling down") for why in raised.value.reasons.values())


async def test_llm_pool_5xx_moves_to_the_other_endpoint_and_counts_a_failure(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    k1, k2 = keys("k1", "k2")
    openai_server.script(Reply(status=503), key=k1)
    model = pooled_model(openai_server, redis, [k1, k2])
    ids = endpoint_ids(model)
    assert (await model.ainvoke("hello")).content == "OK"
    assert [r.key for r in openai_server.requests] == [k1, k2]
    states = {s.endpoint.id: s for s in await model.pool.states()}
    assert states[ids[k1]].failures == 1
    assert states[ids[k1]].breaker == "closed"
    assert states[ids[k2]].failures == 0


async def test_llm_pool_breaker_opens_after_consecutive_failures_then_half_opens(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    openai_server.always[k1] = Reply(status=500)
    config = PoolConfig(failure_threshold=2, open_seconds=1.5)
    model = pooled_model(openai_server, redis, [k1], config=config)

    for _ in range(2):
        with pytest.raises(PoolExhausted):
            await model.ainvoke("hello")
    assert openai_server.count(k1) == 2
    [state] = await model.pool.states()
    assert (state.breaker, state.failures) == ("open", 2)

    with pytest.raises(PoolExhausted) as raised:
        await model.ainvoke("while open")
    assert openai_server.count(k1) == 2  # an open breaker sends nothing
    assert raised.value.reasons == {state.endpoint.id: "circuit open"}

    await asyncio.sleep(1.6)
    [state] = await model.pool.states()
    assert state.breaker == "half_open"
    del openai_server.always[k1]
    assert (await model.ainvoke("probe")).content == "OK"
    [state] = await model.pool.states()
    assert (state.breaker, state.failures, state.probing) == ("closed", 0, False)
    assert openai_server.count(k1) == 3


async def test_llm_pool_failed_probe_opens_the_breaker_again(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    openai_server.always[k1] = Reply(status=502)
    model = pooled_model(
        openai_server, redis, [k1], config=PoolConfig(failure_threshold=1, open_seconds=0.3)
    )
    with pytest.raises(PoolExhausted):
        await model.ainvoke("hello")
    await asyncio.sleep(0.4)
    with pytest.raises(PoolExhausted):
        await model.ainvoke("probe")  # the half-open probe fails
    assert openai_server.count(k1) == 2
    [state] = await model.pool.states()
    assert state.breaker == "open"


async def test_llm_pool_half_open_lets_one_probe_through_across_replicas(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    openai_server.always[k1] = Reply(status=500)
    config = PoolConfig(failure_threshold=1, open_seconds=0.2)
    replica_a = pooled_model(openai_server, redis, [k1], config=config)
    replica_b = pooled_model(openai_server, redis, [k1], config=config)
    with pytest.raises(PoolExhausted):
        await replica_a.ainvoke("hello")
    await asyncio.sleep(0.3)
    lease = await replica_a.pool.acquire(100)
    assert lease.probe
    with pytest.raises(PoolExhausted) as raised:
        await replica_b.pool.acquire(100)
    assert list(raised.value.reasons.values()) == ["half-open, probe in flight"]
    await replica_a.pool.succeeded(lease, 50)
    [state] = await replica_b.pool.states()
    assert state.breaker == "closed"


@pytest.mark.parametrize("reader", ["ainvoke", "astream_text"])
async def test_llm_pool_timeout_counts_toward_the_breaker_and_does_not_move(
    openai_server: FakeOpenAI, redis: Redis, reader: str
) -> None:
    k1, k2 = keys("k1", "k2")
    openai_server.script(Reply(text="late", delay=3.0), key=k1)
    model = pooled_model(openai_server, redis, [k1, k2], timeout=0.3)

    async def call() -> None:
        if reader == "ainvoke":
            await model.ainvoke("hello")
        else:  # the reply's own HTTP path
            [text async for text in model.astream_text([HumanMessage("hello")])]

    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        await call()
    assert time.monotonic() - started < 2.5  # the 0.3 s timeout, not the 3 s answer
    assert openai_server.count(k2) == 0  # the turn already waited: it answers offline
    states = {s.endpoint.id: s for s in await model.pool.states()}
    assert states[endpoint_ids(model)[k1]].failures == 1


async def test_llm_pool_success_is_written_after_the_answer_and_read_back(
    openai_server: FakeOpenAI, redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    [k1] = keys("k1")
    model = pooled_model(openai_server, redis, [k1], config=PoolConfig(failure_threshold=3))
    [endpoint] = model.pool.endpoints
    fails = model.pool.key(endpoint, "fails")
    await redis.set(fails, 2)  # two failures in a row before this call
    answer = await model.ainvoke("hello")
    assert answer.content == "OK"
    # Written in the background; this pool's own reads wait for it.
    [state] = await model.pool.states()
    assert (state.breaker, state.failures) == ("closed", 0)
    assert await redis.exists(fails) == 0

    # A Redis gone by then costs the record, never the answer already given.
    offline = EndpointPool(Redis.from_url("redis://127.0.0.1:9"), [endpoint])
    offline.record_success(Lease(endpoint=endpoint, window=1, tokens=10, probe=False), 12)
    with caplog.at_level(logging.WARNING, logger="restaurant.llm.pool"):
        await offline.recorded()
    assert f"could not record endpoint {endpoint.id}'s success" in caplog.text
    await offline.redis.aclose()


async def command_calls(redis: Redis, *names: str) -> dict[str, int]:
    """How many times the server has run each command (INFO commandstats, scripts' included)."""
    stats = await redis.info("commandstats")
    return {name: int(stats.get(f"cmdstat_{name}", {}).get("calls", 0)) for name in names}


async def test_llm_pool_success_on_a_clean_endpoint_writes_nothing_of_its_own(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")

    config = PoolConfig(correction_seconds=60)  # never written on its own in this test
    replica_a = pooled_model(openai_server, redis, [k1], config=config, clock=fixed_clock)
    replica_b = pooled_model(openai_server, redis, [k1], config=config, clock=fixed_clock)
    before = await command_calls(redis, "del", "incrby")
    answer = await replica_a.ainvoke("hello")
    assert answer.usage_metadata is not None
    used = answer.usage_metadata["total_tokens"]
    await asyncio.sleep(0.05)  # more than a background write would take
    # No failures and no probe when it was acquired: nothing to delete, and the correction
    # waits for A's next acquire (the one INCRBY is the acquire's reservation).
    assert await command_calls(redis, "del", "incrby") == {
        "del": before["del"],
        "incrby": before["incrby"] + 1,
    }
    [seen_by_b] = await replica_b.pool.states()
    assert seen_by_b.tokens == estimate_tokens([HumanMessage("hello")]) != used

    await replica_a.pool.acquire(100)  # carries the correction in its own script
    [seen_by_b] = await replica_b.pool.states()
    assert seen_by_b.tokens == used + 100
    assert await command_calls(redis, "del", "incrby") == {
        "del": before["del"],
        "incrby": before["incrby"] + 3,
    }


async def test_llm_pool_token_correction_is_written_alone_when_no_acquire_comes(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    config = PoolConfig(correction_seconds=0.1)
    replica_a = pooled_model(openai_server, redis, [k1], config=config)
    replica_b = pooled_model(openai_server, redis, [k1], config=config)
    answer = await replica_a.ainvoke("hello")
    assert answer.usage_metadata is not None
    for _ in range(50):
        [seen_by_b] = await replica_b.pool.states()
        if seen_by_b.tokens == answer.usage_metadata["total_tokens"]:
            break
        await asyncio.sleep(0.02)
    assert seen_by_b.tokens == answer.usage_metadata["total_tokens"]


async def test_llm_pool_token_correction_of_an_ended_window_is_dropped(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    now = [FIXED_NOW]
    pool = pooled_model(openai_server, redis, [k1], clock=lambda: now[0]).pool
    lease = await pool.acquire(100)
    now[0] += pool.config.window_seconds  # the call ends in the next window
    pool.record_success(lease, 40)
    await pool.recorded()
    # Nothing reads the ended window; its counter keeps the estimate and its expiry.
    counter = pool.key(pool.endpoints[0], f"tok:{lease.window}")
    assert int(await redis.get(counter) or 0) == 100
    assert await redis.ttl(counter) > 0


async def test_llm_pool_success_after_failures_closes_the_breaker_for_every_replica(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    config = PoolConfig(failure_threshold=3)
    replica_a = pooled_model(openai_server, redis, [k1], config=config)
    replica_b = pooled_model(openai_server, redis, [k1], config=config)
    [endpoint] = replica_a.pool.endpoints
    await redis.set(replica_a.pool.key(endpoint, "fails"), 2)  # B's failures, say
    lease = await replica_a.pool.acquire(100)
    assert lease.clean_at is None
    replica_a.pool.record_success(lease, 90)
    await replica_a.pool.recorded()
    [state] = await replica_b.pool.states()
    assert (state.breaker, state.failures) == ("closed", 0)


async def test_llm_pool_failure_here_while_a_clean_call_is_in_flight_is_cleared_by_its_success(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    pool = pooled_model(openai_server, redis, [k1]).pool
    clean = await pool.acquire(100)
    assert clean.clean_at is not None
    await pool.failed(await pool.acquire(100))  # another call of this replica fails meanwhile
    pool.record_success(clean, 100)  # the first answers after that failure: the endpoint works
    [state] = await pool.states()
    assert state.failures == 0


async def test_llm_pool_failure_elsewhere_while_a_clean_call_is_in_flight_stands(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    replica_a = pooled_model(openai_server, redis, [k1]).pool
    replica_b = pooled_model(openai_server, redis, [k1]).pool
    clean = await replica_a.acquire(100)
    await replica_b.failed(await replica_b.acquire(100))
    # A's call started before B's failed: its answer says nothing about that failure (a call of
    # A acquired after it clears it).
    replica_a.record_success(clean, 100)
    [state] = await replica_a.states()
    assert state.failures == 1
    replica_a.record_success(await replica_a.acquire(100), 100)
    [state] = await replica_a.states()
    assert state.failures == 0


class GatedRedis:
    """A Redis client whose pipelines run once `gate` is set (the pool's script does not wait)."""

    def __init__(self, redis: Redis, gate: asyncio.Event) -> None:
        self.redis = redis
        self.gate = gate

    def pipeline(self, transaction: bool = True) -> Any:
        """A pipeline whose `execute` first waits for the gate."""
        pipe = self.redis.pipeline(transaction=transaction)
        execute = pipe.execute

        async def gated(raise_on_error: bool = True) -> list[Any]:
            await self.gate.wait()
            return await execute(raise_on_error)

        pipe.execute = gated  # type: ignore[method-assign]
        return pipe

    def __getattr__(self, name: str) -> Any:
        return getattr(self.redis, name)


async def test_llm_pool_acquire_waits_for_a_breaker_this_replica_is_closing(
    openai_server: FakeOpenAI, redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    [k1] = keys("k1")
    pool = pooled_model(openai_server, redis, [k1], config=PoolConfig(failure_threshold=1)).pool
    gate = asyncio.Event()
    monkeypatch.setattr(pool, "redis", GatedRedis(redis, gate))
    await redis.set(pool.key(pool.endpoints[0], "fails"), 1)
    await redis.set(pool.key(pool.endpoints[0], "probe"), 1)  # this replica's probe
    pool.record_success(Lease(endpoint=pool.endpoints[0], window=1, tokens=1, probe=True))
    # Its answer closed the breaker: the next acquire waits for that instead of finding the
    # probe still in flight.
    acquiring = asyncio.create_task(pool.acquire(100))
    await asyncio.sleep(0.05)
    assert not acquiring.done()
    gate.set()
    lease = await acquiring
    assert not lease.probe and lease.clean_at is not None


async def test_llm_pool_rate_limits_are_shared_between_replicas(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")

    replica_a = pooled_model(openai_server, redis, [k1], requests_per_minute=3, clock=fixed_clock)
    replica_b = pooled_model(openai_server, redis, [k1], requests_per_minute=3, clock=fixed_clock)
    used = 0
    for model in (replica_a, replica_a, replica_b):
        answer = await model.ainvoke("hello there")
        assert answer.usage_metadata is not None
        used += answer.usage_metadata["total_tokens"]

    # A's last correction waits for its next acquire (or `correction_seconds`): written now.
    await replica_a.pool.recorded()
    [seen_by_b] = await replica_b.pool.states()
    [seen_by_a] = await replica_a.pool.states()
    assert seen_by_a.requests == seen_by_b.requests == 3
    # The estimate reserved before each call was corrected to what the server reported.
    assert seen_by_a.tokens == seen_by_b.tokens == used

    with pytest.raises(PoolExhausted) as raised:
        await replica_b.ainvoke("one too many")
    assert list(raised.value.reasons.values()) == ["request limit reached"]
    assert openai_server.count(k1) == 3


async def test_llm_pool_concurrent_replicas_never_reserve_past_the_limit(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")

    replicas = [
        pooled_model(openai_server, redis, [k1], requests_per_minute=5, clock=fixed_clock).pool
        for _ in range(3)
    ]
    outcomes = await asyncio.gather(
        *(replicas[i % 3].acquire(100) for i in range(20)), return_exceptions=True
    )
    leases = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, PoolExhausted)]
    assert len(leases) == 5 and len(refused) == 15
    assert {tuple(r.reasons.values()) for r in refused} == {("request limit reached",)}
    [state] = await replicas[0].states()
    assert (state.requests, state.tokens) == (5, 500)
    pool = replicas[0]
    assert await redis.ttl(pool.key(pool.endpoints[0], f"req:{pool.window()}")) > 0


async def test_llm_pool_picks_the_least_loaded_endpoint(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    k1, k2 = keys("k1", "k2")

    model = pooled_model(openai_server, redis, [k1, k2], requests_per_minute=10, clock=fixed_clock)
    ids = endpoint_ids(model)
    window = model.pool.window()
    # Another replica has used 6 of k1's 10 requests and most of k2's tokens this minute.
    await redis.set(f"llm:pool:{ids[k1]}:req:{window}", 6, ex=120)
    await model.ainvoke("hello")
    assert openai_server.requests[-1].key == k2  # 1/10 of k2 beats 7/10 of k1
    await redis.set(f"llm:pool:{ids[k2]}:tok:{window}", 59_900, ex=120)
    await model.ainvoke("hello")
    assert openai_server.requests[-1].key == k1  # k2 is at its token limit


async def test_llm_pool_stream_moves_before_its_first_chunk(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    k1, k2 = keys("k1", "k2")
    openai_server.script(Reply(status=429, headers={"retry-after": "5"}), key=k1)
    openai_server.script(Reply(text="one two three four five"), key=k2)
    model = pooled_model(openai_server, redis, [k1, k2])
    chunks = [chunk async for chunk in model.astream("hello")]
    texts = [c.text for c in chunks if c.text]
    # The whole text from the second endpoint (in pieces as they arrived: the chunks are 2 ms
    # apart, and a busy machine reads some of them at once, which then come as one).
    assert "".join(texts) == "one two three four five"
    assert [r.key for r in openai_server.requests] == [k1, k2]
    assert openai_server.requests[-1].stream
    total = sum(
        c.usage_metadata["total_tokens"]
        for c in chunks
        if isinstance(c, AIMessageChunk) and c.usage_metadata
    )
    states = {s.endpoint.id: s for s in await model.pool.states()}
    assert total > 0 and states[endpoint_ids(model)[k2]].tokens == total


async def test_llm_pool_text_stream_coalesces_what_arrived_while_the_reader_was_busy(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    openai_server.chunk_gap = 0.0  # every token at once, as a server's burst
    openai_server.script(Reply(text="one two three four five six"), key=k1)
    model = pooled_model(openai_server, redis, [k1])
    texts: list[str] = []
    async for chunk in model.astream("hello"):
        texts.append(chunk.text)
        await asyncio.sleep(0.05)  # a busy reader: the rest arrives meanwhile
    assert "".join(texts) == "one two three four five six"
    assert len([t for t in texts if t]) < 6


async def test_llm_pool_text_stream_sends_the_clients_extra_body_and_stream_options(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    model = pooled_model(openai_server, redis, [k1])
    for client in model.clients.values():
        client.extra_body = {"ttl": 300}
    chunks = [chunk async for chunk in model.astream("hello")]
    assert "".join(c.text for c in chunks) == "OK"
    [request] = openai_server.requests
    assert request.key == k1 and request.stream and request.model == "reply-model"
    assert request.body["ttl"] == 300 and "extra_body" not in request.body
    assert request.body["stream_options"] == {"include_usage": True}


class Verdict(BaseModel):
    """A structured answer."""

    intent: str
    quantity: int | None = None


async def test_llm_pool_structured_output_uses_the_classify_model(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    model = pooled_model(openai_server, redis, [k1])
    openai_server.script(
        Reply(structured={"intent": "add_items", "quantity": 2}),
        Reply(structured={"intent": "greet"}),
    )
    by_schema = await model.with_structured_output(Verdict).ainvoke("two please")
    by_tool = await model.with_structured_output(Verdict, method="function_calling").ainvoke("hi")
    assert by_schema == Verdict(intent="add_items", quantity=2)
    assert by_tool == Verdict(intent="greet")
    schema_request, tool_request = openai_server.requests
    assert schema_request.model == tool_request.model == "classify-model"
    assert schema_request.body["response_format"]["json_schema"]["name"] == "Verdict"
    assert tool_request.body["tool_choice"]["function"]["name"] == "Verdict"
    await model.ainvoke("and a reply")
    assert openai_server.requests[-1].model == "reply-model"


@pytest.mark.parametrize("reader", ["astream", "astream_text"])
async def test_llm_pool_probe_stream_stopped_early_still_closes_the_breaker(
    openai_server: FakeOpenAI, redis: Redis, reader: str
) -> None:
    [k1] = keys("k1")
    openai_server.script(Reply(status=500), key=k1)
    openai_server.script(Reply(text="one two three four five six"), key=k1)
    model = pooled_model(
        openai_server, redis, [k1], config=PoolConfig(failure_threshold=1, open_seconds=0.2)
    )
    with pytest.raises(PoolExhausted):
        await model.ainvoke("hello")
    await asyncio.sleep(0.3)
    stream: AsyncIterator[Any] = (
        model.astream("probe")
        if reader == "astream"
        else model.astream_text([HumanMessage("probe")])
    )
    first = await anext(stream)  # the reader (a guard) stops after the first piece
    assert isinstance(first, AIMessageChunk if reader == "astream" else str)
    await stream.aclose()  # type: ignore[attr-defined]
    del stream
    for _ in range(50):  # an abandoned inner stream is closed by the event loop
        [state] = await model.pool.states()
        if state.breaker == "closed":
            break
        await asyncio.sleep(0.02)
    assert (state.breaker, state.probing, state.failures) == ("closed", False, 0)


async def test_llm_pool_text_reply_is_plain_text_with_the_same_failover(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    k1, k2 = keys("k1", "k2")
    openai_server.script(Reply(status=429, headers={"retry-after": "5"}), key=k1)
    openai_server.script(Reply(text="one two three four five"), key=k2)
    model = pooled_model(openai_server, redis, [k1, k2])
    texts = [text async for text in model.astream_text([HumanMessage("hello")])]
    assert texts and all(isinstance(t, str) and t for t in texts)
    assert "".join(texts) == "one two three four five"
    assert [r.key for r in openai_server.requests] == [k1, k2]
    assert openai_server.requests[-1].stream and openai_server.requests[-1].model == "reply-model"
    await model.pool.recorded()
    states = {s.endpoint.id: s for s in await model.pool.states()}
    assert states[endpoint_ids(model)[k1]].cooling_for > 0
    assert states[endpoint_ids(model)[k2]].tokens > 0


async def test_llm_pool_text_reply_moves_past_a_refused_connection_and_a_server_error(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    k1, k2, k3 = keys("k1", "k2", "k3")
    settings = LLMSettings(
        endpoints=[
            LLMEndpoint(base_url="http://127.0.0.1:9/v1", api_key=SecretStr(k1)),  # nothing there
            LLMEndpoint(base_url=openai_server.base_url, api_key=SecretStr(k2)),
            LLMEndpoint(base_url=openai_server.base_url, api_key=SecretStr(k3)),
        ],
        timeout_seconds=5.0,
    )
    model = PooledChatModel.from_settings(settings, redis)
    BUILT.append(model)
    openai_server.script(Reply(status=500), key=k2)
    openai_server.script(Reply(text="at last"), key=k3)
    texts = [text async for text in model.astream_text([HumanMessage("hello")])]
    assert "".join(texts) == "at last"
    # Equally loaded endpoints are tried in order: the refused one, the failing one, the third.
    assert [r.key for r in openai_server.requests] == [k2, k3]
    states = {s.endpoint.id: s for s in await model.pool.states()}
    ids = endpoint_ids(model)
    assert [states[ids[key]].failures for key in (k1, k2, k3)] == [1, 1, 0]


async def test_llm_pool_text_reply_goes_through_the_environments_proxy(
    openai_server: FakeOpenAI, redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    k1, k2 = keys("k1", "k2")
    seen: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.readline())
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # the fake: reached directly
    settings = LLMSettings(
        endpoints=[
            LLMEndpoint(base_url="http://model.example/v1", api_key=SecretStr(k1)),
            LLMEndpoint(base_url=openai_server.base_url, api_key=SecretStr(k2)),
        ],
        timeout_seconds=5.0,
    )
    model = PooledChatModel.from_settings(settings, redis)
    BUILT.append(model)
    openai_server.script(Reply(text="through"), key=k2)
    try:
        texts = [text async for text in model.astream_text([HumanMessage("hello")])]
    finally:
        server.close()
    # The proxy was asked for the first endpoint (and failed it), the fake answered directly.
    assert seen == [b"POST http://model.example/v1/chat/completions HTTP/1.1\r\n"]
    assert "".join(texts) == "through"
    assert [r.key for r in openai_server.requests] == [k2]


async def test_llm_pool_turn_reservation_is_the_first_calls_endpoint(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    k1, k2 = keys("k1", "k2")
    model = pooled_model(openai_server, redis, [k1], clock=fixed_clock)
    plain = pooled_model(openai_server, redis, [k2], clock=fixed_clock)  # without reservation
    turn = model.for_turn()
    await asyncio.sleep(0.1)  # reserved while the turn works toward its call
    [state] = await model.pool.states()
    assert (state.requests, state.tokens) == (1, RESERVED_ESTIMATE)
    messages = [HumanMessage("hello")]
    texts = [text async for text in turn.astream_text(messages)]
    assert "".join(texts) == "OK"
    turn.release()  # taken: nothing to give back
    [state] = await model.pool.states()
    assert state.requests == 1, "the call used the reservation, not one more"
    # The tokens counted are what the answer used, as for the same call made without one.
    assert [t async for t in plain.astream_text(messages)] == texts
    [counted_plain] = await plain.pool.states()
    assert state.tokens == counted_plain.tokens != RESERVED_ESTIMATE
    assert [t async for t in turn.astream_text(messages)] == texts
    [state] = await model.pool.states()
    assert state.requests == 2, "a second call of the turn reserves its own"


async def test_llm_pool_turn_reservation_no_call_took_is_given_back(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    model = pooled_model(openai_server, redis, [k1], clock=fixed_clock)
    model.for_turn().release()  # the turn failed before its call, the reservation in flight
    for _ in range(100):
        await asyncio.sleep(0.01)
        await model.pool.recorded()
        [state] = await model.pool.states()
        if (state.requests, state.tokens) == (0, 0):
            break
    assert (state.requests, state.tokens) == (0, 0)
    assert openai_server.count() == 0


async def test_llm_pool_turn_reservation_fails_its_call_when_every_endpoint_cools(
    openai_server: FakeOpenAI, redis: Redis
) -> None:
    [k1] = keys("k1")
    model = pooled_model(openai_server, redis, [k1])
    [endpoint] = model.pool.endpoints
    await redis.set(model.pool.key(endpoint, "cooldown"), "1", px=30_000)
    turn = model.for_turn()
    with pytest.raises(PoolExhausted):  # as an acquire at the call raises it
        [text async for text in turn.astream_text([HumanMessage("hello")])]
    assert openai_server.count() == 0
    turn.release()
