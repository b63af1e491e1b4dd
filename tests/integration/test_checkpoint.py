"""The Redis checkpointer on a real Redis: the conformance suite, TTLs, restarts, load."""

from __future__ import annotations

import asyncio
import operator
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any, TypedDict

import pytest
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver, empty_checkpoint
from langgraph.checkpoint.conformance import checkpointer_test, validate
from langgraph.checkpoint.conformance.capabilities import ALL_CAPABILITIES
from langgraph.checkpoint.conformance.report import ProgressCallbacks
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, interrupt
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.client import Pipeline

from graph.checkpoint import RedisSaver, redis_checkpointer
from tests.integration.redis_support import before_each_pipeline

TTL = 600


class Chat(TypedDict, total=False):
    heard: Annotated[list[str], operator.add]
    said: Annotated[list[str], operator.add]
    turns: int


def listen(state: Chat) -> dict[str, Any]:
    """Count the turn."""
    return {"turns": state.get("turns", 0) + 1}


def answer(state: Chat) -> dict[str, Any]:
    """Reply with what was heard, proving earlier turns were restored."""
    return {"said": [f"turn {state['turns']}: {' / '.join(state['heard'])}"]}


def confirm(state: Chat) -> dict[str, Any]:
    """Ask the customer, pausing the run until they answer."""
    reply = interrupt("anything else?")
    return {"said": [f"confirmed: {reply}"]}


def build_chat(saver: RedisSaver, *, ask: bool = False) -> CompiledStateGraph[Any, Any, Any, Any]:
    """listen -> answer (-> confirm) as a tiny conversation."""
    builder = StateGraph(Chat)
    builder.add_node(listen)
    builder.add_node(answer)
    builder.add_edge(START, "listen")
    builder.add_edge("listen", "answer")
    if ask:
        builder.add_node(confirm)
        builder.add_edge("answer", "confirm")
        builder.add_edge("confirm", END)
    else:
        builder.add_edge("answer", END)
    return builder.compile(checkpointer=saver)


def thread(thread_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id}}


async def keys_under(client: Redis, prefix: str) -> list[bytes]:
    """Every key the test's saver created (the prefix is unique to the test)."""
    return [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]


@pytest.fixture
def prefix() -> str:
    """A key prefix of this test's own, so it only ever deletes what it wrote."""
    return f"test-checkpoint:{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def client(redis_url: str, prefix: str) -> AsyncIterator[Redis]:
    """A raw client for looking at the keys; removes the test's keys afterwards."""
    redis = Redis.from_url(redis_url)
    yield redis
    leftovers = await keys_under(redis, prefix)
    if leftovers:
        await redis.unlink(*leftovers)
    await redis.aclose()


@pytest.fixture
async def saver(redis_url: str, prefix: str, client: Redis) -> AsyncIterator[RedisSaver]:
    """A saver on its own bounded pool, under the test's prefix."""
    async with redis_checkpointer(redis_url, ttl_seconds=TTL, prefix=prefix) as opened:
        yield opened


async def test_checkpoint_conformance_all_capabilities(
    redis_url: str, prefix: str, client: Redis
) -> None:
    """The official langgraph-checkpoint-conformance suite passes, base and extended."""

    @checkpointer_test(name="RedisSaver")
    async def factory() -> AsyncIterator[RedisSaver]:
        # A fresh prefix per capability: delete_for_runs scans every thread under its prefix.
        async with redis_checkpointer(
            redis_url, prefix=f"{prefix}:{uuid.uuid4().hex[:6]}"
        ) as opened:
            yield opened

    report = await validate(factory, progress=ProgressCallbacks.verbose())
    report.print_report()
    assert report.passed_all_base(), report.to_dict()
    assert report.passed_all(), report.to_dict()
    assert {name for name, r in report.results.items() if r.detected} == {
        c.value for c in ALL_CAPABILITIES
    }


async def test_checkpoint_ttl_set_on_every_key_and_refreshed(
    saver: RedisSaver, client: Redis, prefix: str
) -> None:
    """Every key a thread writes expires; writing (and reading) the thread restores the TTL."""
    app = build_chat(saver, ask=True)
    config = thread("ttl")
    await app.ainvoke({"heard": ["hi"]}, config, durability="sync")
    # A subgraph-style namespace and pending writes, so all three key kinds exist.
    child: RunnableConfig = {"configurable": {"thread_id": "ttl", "checkpoint_ns": "child:1"}}
    stored = await saver.aput(child, empty_checkpoint(), {"source": "loop", "step": 0}, {})
    await saver.aput_writes(stored, [("x", 1)], "task")

    keys = await keys_under(client, prefix)
    assert {key.rsplit(b":", 1)[1] for key in keys} == {b"cp", b"blobs", b"writes"}
    for key in keys:
        assert 0 < await client.ttl(key) <= TTL, key

    for key in keys:
        await client.expire(key, 5)
    await app.ainvoke(Command(resume="no"), config, durability="sync")
    for key in keys:
        assert await client.ttl(key) > TTL - 30, key

    for key in keys:
        await client.expire(key, 5)
    assert await saver.aget_tuple(config) is not None
    for key in keys:
        assert await client.ttl(key) > TTL - 30, key


async def test_checkpoint_resumes_conversation_with_fresh_saver(
    redis_url: str, prefix: str, client: Redis
) -> None:
    """A new process (new pool, new saver) continues the thread where the last one stopped."""
    config = thread("restart")
    async with redis_checkpointer(redis_url, ttl_seconds=TTL, prefix=prefix) as first:
        out = await build_chat(first).ainvoke({"heard": ["a burger"]}, config, durability="exit")
        assert out["turns"] == 1
        # An interrupted turn leaves its pending writes behind for the next process.
        out = await build_chat(first, ask=True).ainvoke(
            {"heard": ["and fries"]}, config, durability="exit"
        )
        assert "__interrupt__" in out

    async with redis_checkpointer(redis_url, ttl_seconds=TTL, prefix=prefix) as second:
        app = build_chat(second, ask=True)
        snapshot = await app.aget_state(config)
        assert snapshot.next == ("confirm",)
        assert snapshot.values["turns"] == 2
        out = await app.ainvoke(Command(resume="that's all"), config, durability="exit")
        assert out["turns"] == 2
        assert out["said"] == [
            "turn 1: a burger",
            "turn 2: a burger / and fries",
            "confirmed: that's all",
        ]
        out = await build_chat(second).ainvoke({"heard": ["thanks"]}, config, durability="exit")
        assert out["turns"] == 3
        history = [s async for s in app.aget_state_history(config)]
        # durability="exit": one checkpoint per invocation (3 turns, one resumed after a pause).
        assert len(history) == 4


def build_nested(saver: BaseCheckpointSaver[Any]) -> CompiledStateGraph[Any, Any, Any, Any]:
    """A parent graph whose subgraph pauses, so checkpoints land in a child namespace."""
    inner = StateGraph(Chat)
    inner.add_node(listen)
    inner.add_node(confirm)
    inner.add_edge(START, "listen")
    inner.add_edge("listen", "confirm")
    inner.add_edge("confirm", END)
    outer = StateGraph(Chat)
    outer.add_node("order", inner.compile())
    outer.add_node(answer)
    outer.add_edge(START, "order")
    outer.add_edge("order", "answer")
    outer.add_edge("answer", END)
    return outer.compile(checkpointer=saver)


async def test_checkpoint_subgraph_resumes_like_in_memory_saver(
    redis_url: str, prefix: str, client: Redis
) -> None:
    """A pause inside a subgraph resumes in a fresh saver exactly as with InMemorySaver."""
    config = thread("nested")
    memory = build_nested(InMemorySaver())
    await memory.ainvoke({"heard": ["soup"]}, config, durability="exit")
    expected = await memory.ainvoke(Command(resume="yes"), config, durability="exit")

    async with redis_checkpointer(redis_url, ttl_seconds=TTL, prefix=prefix) as first:
        await build_nested(first).ainvoke({"heard": ["soup"]}, config, durability="exit")
        namespaces = {t.config["configurable"]["checkpoint_ns"] async for t in first.alist(config)}
        assert len(namespaces) == 2
    async with redis_checkpointer(redis_url, ttl_seconds=TTL, prefix=prefix) as second:
        out = await build_nested(second).ainvoke(Command(resume="yes"), config, durability="exit")
    assert out == expected


async def test_checkpoint_without_history_keeps_the_newest_only(
    redis_url: str, prefix: str, client: Redis
) -> None:
    """history=False: one checkpoint per namespace and only the blobs it references, while
    conversations, pauses and subgraphs run exactly as with every checkpoint kept."""
    config, nested = thread("latest"), thread("latest-nested")
    memory = build_nested(InMemorySaver())
    await memory.ainvoke({"heard": ["soup"]}, nested, durability="exit")
    expected = await memory.ainvoke(Command(resume="yes"), nested, durability="exit")
    async with redis_checkpointer(
        redis_url, ttl_seconds=TTL, prefix=prefix, history=False
    ) as saver:
        keys = saver._keys("latest")

        async def stored() -> tuple[int, set[bytes], set[bytes]]:
            newest = await saver.aget_tuple(config)
            assert newest is not None
            versions = newest.checkpoint["channel_versions"].items()
            live = {saver._blob_field("", ch, v) for ch, v in versions}
            return await client.zcard(keys.checkpoints), set(await client.hkeys(keys.blobs)), live

        app = build_chat(saver)
        for n in range(4):
            out = await app.ainvoke({"heard": [f"dish {n}"]}, config, durability="exit")
        assert out["said"][-1] == "turn 4: dish 0 / dish 1 / dish 2 / dish 3"
        count, blobs, live = await stored()
        assert count == 1 and blobs == live
        # A checkpoint at every step, and a pause with its pending writes: still the newest only,
        # and the pause resumes.
        out = await build_chat(saver, ask=True).ainvoke(
            {"heard": ["and fries"]}, config, durability="sync"
        )
        assert "__interrupt__" in out
        assert len([s async for s in app.aget_state_history(config)]) == 1
        count, blobs, live = await stored()
        assert count == 1 and blobs == live and await client.zcard(keys.writes) > 0
        out = await build_chat(saver, ask=True).ainvoke(
            Command(resume="that's all"), config, durability="exit"
        )
        assert out["said"][-1] == "confirmed: that's all" and out["turns"] == 5
        # The pause's writes went with its checkpoint.
        assert await client.zcard(keys.writes) == 0
        # A subgraph's namespace keeps its own newest checkpoint.
        await build_nested(saver).ainvoke({"heard": ["soup"]}, nested, durability="exit")
        assert await client.zcard(saver._keys("latest-nested").checkpoints) == 2
        assert (
            await build_nested(saver).ainvoke(Command(resume="yes"), nested, durability="exit")
            == expected
        )


async def test_checkpoint_read_overtaken_by_a_pruning_put_reads_again(
    redis_url: str, prefix: str, client: Redis
) -> None:
    """A read that finds the blobs of the checkpoint it read pruned by a newer put (between its
    two round trips) reads the newer checkpoint instead of a state with channels missing."""
    config = thread("overtaken")
    async with (
        redis_checkpointer(redis_url, ttl_seconds=TTL, prefix=prefix, history=False) as saver,
        redis_checkpointer(redis_url, ttl_seconds=TTL, prefix=prefix, history=False) as reader,
    ):
        reader.decoded_cache = 0  # every blob from Redis, in the read's second round trip
        app = build_chat(saver)
        await app.ainvoke({"heard": ["a burger"]}, config, durability="exit")
        executed = 0

        async def overtake(pipe: Pipeline) -> None:
            nonlocal executed
            executed += 1
            if executed == 2:  # between the record and its blobs: another turn is put
                await app.ainvoke({"heard": ["and fries"]}, config, durability="exit")

        before_each_pipeline(reader.client, overtake)
        read = await reader.aget_tuple(config)
    assert executed == 4  # read twice
    assert read is not None
    assert read.checkpoint["channel_values"]["heard"] == ["a burger", "and fries"]
    assert read.checkpoint["channel_values"]["turns"] == 2


async def test_checkpoint_100_concurrent_sessions_share_a_small_pool(
    redis_url: str, prefix: str, client: Redis
) -> None:
    """100 sessions at once through 10 connections wait for the pool instead of failing."""
    async with redis_checkpointer(
        redis_url, ttl_seconds=TTL, prefix=prefix, max_connections=10
    ) as pooled:
        assert isinstance(pooled.client.connection_pool, BlockingConnectionPool)
        app = build_chat(pooled)

        async def session(n: int) -> int:
            config = thread(f"session-{n}")
            for turn in range(3):
                out = await app.ainvoke({"heard": [f"{n}.{turn}"]}, config, durability="exit")
            return int(out["turns"])

        results = await asyncio.gather(*(session(n) for n in range(100)))
    assert results == [3] * 100


async def test_checkpoint_delete_thread_removes_every_key(
    saver: RedisSaver, client: Redis, prefix: str
) -> None:
    """adelete_thread leaves no key of the thread behind and keeps other threads."""
    app = build_chat(saver, ask=True)
    await app.ainvoke({"heard": ["x"]}, thread("doomed"), durability="sync")
    child: RunnableConfig = {"configurable": {"thread_id": "doomed", "checkpoint_ns": "child:1"}}
    await saver.aput(child, empty_checkpoint(), {"source": "loop", "step": 0}, {})
    await app.ainvoke({"heard": ["y"]}, thread("kept"), durability="sync")
    assert len(await keys_under(client, f"{prefix}:{{doomed}}")) == 3

    await saver.adelete_thread("doomed")

    assert await keys_under(client, f"{prefix}:{{doomed}}") == []
    assert await saver.aget_tuple(thread("doomed")) is None
    assert [t async for t in saver.alist(thread("doomed"))] == []
    assert await saver.aget_tuple(thread("kept")) is not None


async def test_checkpoint_sync_methods_run_from_worker_threads(saver: RedisSaver) -> None:
    """Sync calls work off the loop's thread and refuse on it, as LangGraph's async savers do."""
    await build_chat(saver).ainvoke({"heard": ["x"]}, thread("sync"), durability="exit")
    tup = await asyncio.to_thread(saver.get_tuple, thread("sync"))
    assert tup is not None
    listed = await asyncio.to_thread(lambda: list(saver.list(thread("sync"))))
    assert listed[0].config == tup.config
    with pytest.raises(asyncio.InvalidStateError):
        saver.get_tuple(thread("sync"))


async def test_checkpoint_prefix_ids_and_namespaces_stay_apart(saver: RedisSaver) -> None:
    """Ids and namespaces that prefix one another never leak into each other's ranges."""
    for ns in ("a", "ab", "a:b"):
        for checkpoint_id in ("1", "12", "2"):
            config: RunnableConfig = {"configurable": {"thread_id": "lex", "checkpoint_ns": ns}}
            checkpoint = empty_checkpoint()
            checkpoint["id"] = checkpoint_id
            await saver.aput(config, checkpoint, {"source": "loop", "step": 0}, {})

    def at(ns: str, checkpoint_id: str | None = None) -> RunnableConfig:
        conf: dict[str, Any] = {"thread_id": "lex", "checkpoint_ns": ns}
        if checkpoint_id:
            conf["checkpoint_id"] = checkpoint_id
        return {"configurable": conf}

    one = await saver.aget_tuple(at("a", "1"))
    assert one is not None
    assert one.checkpoint["id"] == "1"
    latest = await saver.aget_tuple(at("a"))
    assert latest is not None
    assert latest.checkpoint["id"] == "2"
    assert latest.config["configurable"]["checkpoint_ns"] == "a"
    assert [t.checkpoint["id"] async for t in saver.alist(at("a"))] == ["2", "12", "1"]
    assert [t.checkpoint["id"] async for t in saver.alist(at("ab"), before=at("ab", "12"))] == ["1"]
    assert await saver.aget_tuple(at("a", "3")) is None
    assert await saver.aget_tuple(at("")) is None
