"""The turn runner's guarantees on real stores: the fenced run lock, turns that outlive their
client, and transcripts in MongoDB written off the hot path (retried, never silently lost)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from typing import Any

import httpx
import pytest
from ag_ui.core import CustomEvent, RunFinishedEvent, RunStartedEvent
from langgraph.checkpoint.memory import InMemorySaver
from pymongo import AsyncMongoClient
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import ResponseError

from graph.checkpoint import RedisSaver
from graph.context import Context
from graph.menu import load_menu
from restaurant.agui.mapping import type_of
from restaurant.chat.events import Delivered, EventLog, stream_key
from restaurant.chat.lock import Fence, LockTimeout, SessionLock, lock_key
from restaurant.chat.runner import ChatRunner
from restaurant.chat.store import RedisTurnStore
from restaurant.chat.transcripts import TranscriptRecord, TranscriptWriter
from restaurant.settings import Settings
from tests.graph.conftest import DEMO_MENU
from tests.graph.conftest import Chat as ChatSession
from tests.integration.chat_support import (
    LiveServer,
    cards,
    code_for,
    live,
    new_session,
    sse_events,
    sse_turn,
    types,
    verify,
)
from tests.integration.redis_support import before_each_pipeline

__all__ = ["live"]  # the fixture, imported for pytest


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


class _Counting(Redis):
    """A client that remembers the command of every round trip it makes: a pipeline's is its
    script's (what rides on a script: the turn's record of its start, its first reads), else
    its first command's."""

    sent: list[str]

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        self.sent.append(str(args[0]))
        return await super().execute_command(*args, **options)


@pytest.fixture
async def counting(redis_url: str) -> AsyncIterator[_Counting]:
    client = _Counting.from_url(redis_url)
    client.sent = []

    async def record(pipe: Pipeline) -> None:
        names = [str(c[0][0]) for c in pipe.command_stack]
        client.sent.append("EVALSHA" if "EVALSHA" in names else names[0])

    before_each_pipeline(client, record)
    yield client
    await client.aclose()


async def test_chat_lock_serialises_and_fences_a_stale_holder(redis: Redis) -> None:
    lock = SessionLock(redis, ttl_seconds=5, wait_seconds=5)
    log = EventLog(redis, maxlen=100, ttl_seconds=60)
    sid = f"lock-{time.time_ns()}"
    first = await lock.acquire(sid)
    waiter = asyncio.create_task(lock.acquire(sid))
    await asyncio.sleep(0.2)
    assert not waiter.done(), "a second run waits while the first holds the lock"
    # The first holder stalls past its lease: the lock goes to the waiter...
    await redis.delete(first.key)
    second = await asyncio.wait_for(waiter, 5)
    assert second.number > first.number
    event = CustomEvent(name="CART_CARD", value={})
    # ...and the stale holder can no longer write a single event.
    with pytest.raises(ResponseError, match="FENCED"):
        await log.append(sid, [event], first)
    ids = await log.append(sid, [event, event], second)
    assert len(ids) == 2 and ids[0] < ids[1]
    assert [i for i, _ in await log.read_after(sid, None)] == ids
    assert await redis.ttl(f"chat:{{{sid}}}:events") > 0
    await lock.release(first)  # not the holder: a no-op
    assert await redis.get(second.key) == second.token.encode()
    await lock.release(second)
    assert await redis.get(second.key) is None


async def test_chat_lock_gives_up_after_its_wait(redis: Redis) -> None:
    lock = SessionLock(redis, ttl_seconds=5, wait_seconds=0.3)
    sid = f"busy-{time.time_ns()}"
    held = await lock.acquire(sid)
    with pytest.raises(LockTimeout):
        await lock.acquire(sid)
    await lock.release(held)


async def test_chat_lock_lease_is_renewed_while_held(redis: Redis) -> None:
    lock = SessionLock(redis, ttl_seconds=0.6, wait_seconds=5)
    sid = f"renew-{time.time_ns()}"
    async with lock.hold(sid) as fence:
        await asyncio.sleep(1.5)  # over twice the lease
        assert await redis.get(fence.key) == fence.token.encode()
    assert await redis.get(fence.key) is None


async def test_chat_lock_free_is_taken_and_announced_in_one_round_trip(
    counting: _Counting,
) -> None:
    lock = SessionLock(counting, ttl_seconds=5, wait_seconds=5)
    log = EventLog(counting, maxlen=100, ttl_seconds=60)
    async with lock.hold(f"warm-{time.time_ns()}"):  # the scripts loaded: EVALSHA alone below
        pass
    async with lock.hold(f"warm-{time.time_ns()}", log.announcement("warm", [])):
        pass
    sid = f"announce-{time.time_ns()}"
    started = RunStartedEvent(thread_id=sid, run_id="r1")
    start = log.announcement(sid, [started])
    counting.sent.clear()
    async with lock.hold(sid, start) as fence:
        assert counting.sent == ["EVALSHA"], "the lock and RUN_STARTED in one round trip"
        assert await counting.get(lock_key(sid)) == fence.token.encode()
        assert start.delivered() == [(start.ids[0], started)]
        written = await log.read_after(sid, None)
        assert [i for i, _ in written] == start.ids
        assert type_of(written[0][1]) == "RUN_STARTED"
        assert 0 < await counting.ttl(stream_key(sid)) <= 60
        # Still fenced: a later holder's events go after it, the stale holder's never.
        await counting.delete(fence.key)
        later = await lock.acquire(sid)
        assert later.number > fence.number
        with pytest.raises(ResponseError, match="FENCED"):
            await log.append(sid, [started], fence)
        await lock.release(later)
    assert len(await log.read_after(sid, None)) == 1


async def test_chat_lock_reads_ride_with_the_take_and_count_only_if_it_took(
    redis: Redis,
) -> None:
    lock = SessionLock(redis, ttl_seconds=5, wait_seconds=5, poll_seconds=0.01)
    log = EventLog(redis, maxlen=100, ttl_seconds=60)
    sid = f"reads-{time.time_ns()}"
    await redis.set(f"value-{sid}", "before")
    handed: list[list[Any]] = []

    def read(pipe: Any) -> Any:
        pipe.get(f"value-{sid}")
        pipe.strlen(f"value-{sid}")
        return handed.append

    def also_read(pipe: Any) -> Any:
        pipe.exists(f"value-{sid}")
        return handed.append

    async with lock.hold(f"warm-{sid}", log.announcement(f"warm-{sid}", [])):
        pass  # the script loaded
    # Free: the reads' replies, each reader its own, in the round trip that took the lock.
    start = log.announcement(sid, [RunStartedEvent(thread_id=sid, run_id="r1")], [read, also_read])
    async with lock.hold(sid, start):
        assert handed == [[b"before", 6], [1]]
        assert len(start.ids) == 1
    # Busy: they were read before the lock was taken, so they are not handed back.
    handed.clear()
    holder = await lock.acquire(sid)
    start = log.announcement(sid, [RunStartedEvent(thread_id=sid, run_id="r2")], [read])
    waiter = asyncio.create_task(_hold(lock, sid, start))
    await asyncio.sleep(0.1)
    await redis.set(f"value-{sid}", "changed while waiting")
    await lock.release(holder)
    await asyncio.wait_for(waiter, 5)
    assert handed == [] and len(start.ids) == 1
    # Redis lost its scripts: the take still works (the script is loaded again), without reads.
    await redis.script_flush()
    start = log.announcement(sid, [RunStartedEvent(thread_id=sid, run_id="r3")], [read])
    async with lock.hold(sid, start) as fence:
        assert await redis.get(lock_key(sid)) == fence.token.encode()
    assert handed == [] and len(start.ids) == 1
    assert len(await log.read_after(sid, None)) == 3


async def _hold(lock: SessionLock, sid: str, start: Any) -> None:
    async with lock.hold(sid, start):
        pass


async def test_chat_lock_busy_announces_once_taken_and_not_before(redis: Redis) -> None:
    lock = SessionLock(redis, ttl_seconds=5, wait_seconds=5, poll_seconds=0.01)
    log = EventLog(redis, maxlen=100, ttl_seconds=60)
    sid = f"busy-announce-{time.time_ns()}"
    holder = await lock.acquire(sid)
    start = log.announcement(sid, [RunStartedEvent(thread_id=sid, run_id="r2")])
    seen: list[Delivered] = []

    async def run() -> Fence:
        async with lock.hold(sid, start) as fence:
            seen.extend(await log.read_after(sid, None))
            return fence

    waiter = asyncio.create_task(run())
    await asyncio.sleep(0.2)
    assert not waiter.done()
    assert await log.read_after(sid, None) == [], "the failed first attempt wrote nothing"
    await lock.release(holder)
    fence = await asyncio.wait_for(waiter, 5)
    assert fence.number > holder.number
    assert [i for i, _ in seen] == start.ids and len(start.ids) == 1, "written before the block"
    assert await redis.get(lock_key(sid)) is None


async def test_chat_lock_announcement_that_fails_leaves_the_lock_free(redis: Redis) -> None:
    lock = SessionLock(redis, ttl_seconds=5, wait_seconds=5)
    log = EventLog(redis, maxlen=100, ttl_seconds=60)
    sid = f"announce-fails-{time.time_ns()}"
    await redis.set(stream_key(sid), "not a stream")  # every XADD to it fails
    start = log.announcement(sid, [RunStartedEvent(thread_id=sid, run_id="r3")])

    async def run() -> None:
        async with lock.hold(sid, start):
            pytest.fail("the block runs only after the announcement was written")

    with pytest.raises(ResponseError, match="WRONGTYPE"):
        await run()
    # The script that took the lock gave it back: the next run need not wait out the lease.
    assert await redis.get(lock_key(sid)) is None
    # The same when the lock was busy at first: the announcement fails after it was taken.
    holder = await lock.acquire(sid)
    waiter = asyncio.create_task(run())
    await asyncio.sleep(0.1)
    await lock.release(holder)
    with pytest.raises(ResponseError, match="WRONGTYPE"):
        await asyncio.wait_for(waiter, 5)
    assert await redis.get(lock_key(sid)) is None
    assert await redis.get(stream_key(sid)) == b"not a stream"


async def test_chat_run_started_that_cannot_be_written_ends_the_run(redis: Redis) -> None:
    chat = ChatSession(menu=load_menu(DEMO_MENU), saver=InMemorySaver())
    log = EventLog(redis, maxlen=100, ttl_seconds=60)

    async def contexts(session_id: str, auth: None) -> Context:
        return replace(chat.context(), session_id=session_id)

    runner: ChatRunner[None] = ChatRunner(
        graph=chat.graph,
        contexts=contexts,
        store=RedisTurnStore(log, SessionLock(redis), chat.graph.checkpointer),
    )
    sid = chat.session_id
    await redis.set(stream_key(sid), "not a stream")  # Redis refuses the XADD
    failed = [event async for _, event in runner.turn(sid, "two cokes", None)]
    # RUN_STARTED was never written: the listeners hear RUN_STARTED and RUN_ERROR from this
    # replica, and nothing of the run reached the log after it.
    assert [type_of(e) for e in failed] == ["RUN_STARTED", "RUN_ERROR"]
    assert failed[-1].code == "STORE_UNAVAILABLE"
    assert await redis.get(stream_key(sid)) == b"not a stream"
    assert not (await chat.cart.get(sid)).lines, "the graph never ran"
    assert await redis.get(lock_key(sid)) is None, "nor is the lock left to expire"
    await redis.delete(stream_key(sid))

    answered = [item async for item in runner.turn(sid, "two cokes", None)]
    kinds = [type_of(e) for _, e in answered]
    assert kinds[0] == "RUN_STARTED" and kinds[-1] == "RUN_FINISHED"
    assert "TEXT_MESSAGE_CONTENT" in kinds
    # Every event the listeners got was written first, in the order they got them.
    assert [i for i, _ in answered] == [i for i, _ in await log.read_after(sid, None)]


async def test_chat_turn_takes_its_lock_and_announces_in_one_round_trip(
    counting: _Counting, redis: Redis
) -> None:
    chat = ChatSession(menu=load_menu(DEMO_MENU), saver=InMemorySaver())
    log = EventLog(counting, maxlen=100, ttl_seconds=60)
    lock = SessionLock(counting, poll_seconds=0.01)

    async def contexts(session_id: str, auth: None) -> Context:
        return replace(chat.context(), session_id=session_id)

    runner: ChatRunner[None] = ChatRunner(
        graph=chat.graph,
        contexts=contexts,
        store=RedisTurnStore(log, lock, chat.graph.checkpointer),
    )
    sid = chat.session_id
    [_ async for _ in runner.turn(sid, "hi", None)]  # the scripts loaded: EVALSHA alone below
    before_start: list[list[str]] = []

    def deliver(items: Sequence[Delivered]) -> None:
        if any(type_of(e) == "RUN_STARTED" for _, e in items):
            before_start.append(list(counting.sent))

    with runner.hub.subscribe(sid, deliver):
        counting.sent.clear()
        first = [item async for item in runner.turn(sid, "two cokes", None)]
        # Busy at first (held by another client): the turn waits, then writes RUN_STARTED
        # once it has the lock, before the graph starts.
        other = SessionLock(redis)
        holder = await other.acquire(sid)
        counting.sent.clear()
        waiting = runner.turn(sid, "a sprite", None)
        late = asyncio.create_task(anext(waiting))
        await asyncio.sleep(0.1)
        assert not late.done()
        await other.release(holder)
        second = [await asyncio.wait_for(late, 5), *[item async for item in waiting]]
    assert before_start[0] == ["EVALSHA"], "nothing but the one script before RUN_STARTED"
    # The script that found the lock busy, the polling SETs, then the fenced append.
    first_try, *polls, append = before_start[1]
    assert (first_try, append) == ("EVALSHA", "EVALSHA") and set(polls) == {"SET"}
    for answered in (first, second):
        assert type_of(answered[0][1]) == "RUN_STARTED"
        assert type_of(answered[-1][1]) == "RUN_FINISHED"
    written = [i for i, _ in await log.read_after(sid, None)]
    assert [i for i, _ in first + second] == written[-len(first) - len(second) :]


def _record_pipelines(client: Redis) -> list[tuple[bool, list[str]]]:
    """(whether a MULTI, its commands' names) of every pipeline `client` executes from now on."""
    executed: list[tuple[bool, list[str]]] = []

    async def record(pipe: Pipeline) -> None:
        executed.append((pipe.is_transaction, [str(c[0][0]) for c in pipe.command_stack]))

    before_each_pipeline(client, record)
    return executed


class _BrokenCart:
    """A cart store whose every call fails (a bug, not a store outage)."""

    def __getattr__(self, name: str) -> Any:
        async def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("cart bug")

        return fail


async def test_chat_turn_writes_its_checkpoint_with_its_last_events(redis: Redis) -> None:
    chat = ChatSession(menu=load_menu(DEMO_MENU), saver=RedisSaver(redis, ttl_seconds=60))
    cold = RedisSaver(redis, decoded_cache=0)  # what Redis holds
    log = EventLog(redis, maxlen=100, ttl_seconds=60)
    broken = False

    async def contexts(session_id: str, auth: None) -> Context:
        context = replace(chat.context(), session_id=session_id)
        return replace(context, cart=_BrokenCart()) if broken else context

    runner: ChatRunner[None] = ChatRunner(
        graph=chat.graph,
        contexts=contexts,
        store=RedisTurnStore(log, SessionLock(redis), chat.graph.checkpointer),
    )
    sid = chat.session_id
    [_ async for _ in runner.turn(sid, "hi", None)]  # the scripts loaded
    executed = _record_pipelines(redis)
    turn = [event async for _, event in runner.turn(sid, "two cokes", None)]
    assert type_of(turn[-1]) == "RUN_FINISHED"
    # One write of the checkpoint, in the MULTI that appends the turn's last events.
    [(multi, commands)] = [p for p in executed if "ZADD" in p[1]]
    assert multi and commands[-1] == "EVALSHA" and "HSET" in commands
    stored = await cold.aget_tuple(chat.config)
    assert stored is not None
    values = stored.checkpoint["channel_values"]
    assert values["messages"][-1].content == "".join(
        e.delta for e in turn if type_of(e) == "TEXT_MESSAGE_CONTENT"
    )
    # A turn that fails still stores its checkpoint, with its RUN_ERROR.
    broken = True
    executed.clear()
    failed = [event async for _, event in runner.turn(sid, "a sprite", None)]
    assert type_of(failed[-1]) == "RUN_ERROR"
    [(multi, commands)] = [p for p in executed if "ZADD" in p[1] and "EVALSHA" in p[1]]
    assert multi and commands[-1] == "EVALSHA"
    after = await cold.aget_tuple(chat.config)
    assert after is not None and after.config != stored.config
    assert [m.content for m in after.checkpoint["channel_values"]["messages"]] == [
        m.content for m in values["messages"]
    ] + ["a sprite"]


async def test_chat_transcripts_retry_keep_and_count(caplog: pytest.LogCaptureFixture) -> None:
    # Records need no Beanie binding: turns taken while MongoDB is down are kept too.
    calls: list[int] = []
    healthy = asyncio.Event()

    async def init() -> None:
        return None

    async def write(turns: Sequence[TranscriptRecord]) -> None:
        calls.append(len(turns))
        if not healthy.is_set():
            raise ConnectionError("mongo is down")

    writer = TranscriptWriter(init=init, write=write, capacity=3, backoff_seconds=0.01)
    writer.start()
    try:
        for n in range(5):
            writer.submit(TranscriptRecord(session_id="s", user_text=f"m{n}"))
        await asyncio.sleep(0.2)
        assert writer.stats.failures >= 2, "failed writes are retried"
        assert writer.describe()["pending"] == 3, "kept in the bounded buffer meanwhile"
        assert writer.stats.dropped == 2, "what did not fit is counted"
        assert "dropped" in caplog.text, "and logged"
        healthy.set()
        assert await writer.flush(5)
        assert writer.stats.written == 3
        assert writer.stats.last_error and "mongo is down" in writer.stats.last_error
    finally:
        await writer.stop()


async def test_chat_transcripts_written_together_when_they_come_close() -> None:
    batches: list[list[str]] = []

    async def init() -> None:
        return None

    async def write(turns: Sequence[TranscriptRecord]) -> None:
        batches.append([t.user_text for t in turns])

    writer = TranscriptWriter(init=init, write=write, batch=3, linger_seconds=0.2)
    writer.start()
    try:
        await asyncio.sleep(0.05)  # the writer waits for the first record
        for n in range(4):
            writer.submit(TranscriptRecord(session_id="s", user_text=f"m{n}"))
            await asyncio.sleep(0.02)
        assert await writer.flush(5)
        # The first record waited for the others (lingering); what was left over went at once.
        assert batches == [["m0", "m1", "m2"], ["m3"]]
    finally:
        await writer.stop()


async def test_chat_turns_outlive_their_client_and_leave_transcripts(
    live: LiveServer, app_settings: Settings, mongo_url: str
) -> None:
    session = await new_session(live.url)
    await sse_turn(live.url, session, "a margherita pizza")
    await sse_turn(live.url, session, "checkout")
    await sse_turn(live.url, session, "my number is 201 555 0177")
    await sse_turn(live.url, session, code_for(app_settings, "0177"))
    await sse_turn(live.url, session, "pickup")
    # The customer says yes and closes the tab right away: the order is placed all the same.
    started = await sse_turn(live.url, session, "yes", limit=1)
    assert started[0].event["type"] == "RUN_STARTED"
    history: list[dict[str, Any]] = []
    for _ in range(100):
        async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
            got = await client.get(
                f"/api/v1/chat/{session.session_id}/messages", headers=session.headers
            )
        history = got.json()["messages"]
        if len(history) == 12:
            break
        await asyncio.sleep(0.1)
    placed = [c for c in history[-1]["cards"] if c["name"] == "ORDER_DATA"]
    assert placed and placed[0]["data"]["status"] == "placed", history[-1]
    # The whole run is in the event log for whoever comes back.
    async with (
        httpx.AsyncClient(base_url=live.url, timeout=60) as client,
        client.stream(
            "GET",
            f"/api/v1/chat/{session.session_id}/stream",
            headers={**session.headers, "Last-Event-ID": str(started[0].id)},
        ) as response,
    ):
        rest = [s.event for s in await sse_events(response)]
    assert cards(rest, "ORDER_DATA") and types(rest)[-1] == "RUN_FINISHED"
    verify([started[0].event, *rest])

    assert await live.chat.transcripts.flush(10)
    mongo: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url)
    try:
        collection = mongo[app_settings.mongo.database]["transcript_turns"]
        turns = [
            t async for t in collection.find({"session_id": session.session_id}).sort("turn", 1)
        ]
        assert [t["user_text"] for t in turns][-1] == "yes"
        last = turns[-1]
        assert last["intent"] and last["tools"] and last["latency_ms"] > 0
        assert any(c["name"] == "ORDER_DATA" for c in last["cards"])
        assert last["llm"] is False and last["user_id"]
        assert "ORDER_DATA" not in [c["name"] for t in turns[:-1] for c in t["cards"]]
        events = mongo[app_settings.mongo.database]["analytics_events"]
        assert await events.count_documents(
            {"session_id": session.session_id, "name": "order_placed"}
        )
    finally:
        await mongo.close()


async def test_chat_resume_follows_a_run_of_another_replica_with_keep_alive(
    live: LiveServer, redis: Redis
) -> None:
    session = await new_session(live.url)
    sid = session.session_id
    log = EventLog(redis)
    # A run going on in another replica: its events reach this one only through Redis.
    await log.append(sid, [RunStartedEvent(thread_id=sid, run_id="elsewhere")], None)
    live.chat.options = live.chat.options.model_copy(update={"ping_seconds": 0.2})

    async def the_other_replica() -> None:
        await asyncio.sleep(1.0)
        await log.append(
            sid,
            [
                CustomEvent(name="CART_CARD", value={"lines": []}),
                RunFinishedEvent(thread_id=sid, run_id="elsewhere"),
            ],
            None,
        )

    other = asyncio.create_task(the_other_replica())
    comments: list[str] = []
    data: list[dict[str, Any]] = []
    try:
        async with (
            httpx.AsyncClient(base_url=live.url, timeout=30) as client,
            client.stream(
                "GET",
                f"/api/v1/chat/{sid}/stream",
                headers={**session.headers, "Last-Event-ID": "0-1"},
            ) as response,
        ):
            async for line in response.aiter_lines():
                if line.startswith(":"):
                    comments.append(line)
                elif line.startswith("data:"):
                    data.append(json.loads(line[5:]))
    finally:
        live.chat.options = live.chat.options.model_copy(update={"ping_seconds": 15})
        await other
    assert types(data) == ["RUN_STARTED", "CUSTOM", "RUN_FINISHED"]
    assert comments, "keep-alive comments while the run was quiet"
    verify(data)


async def test_chat_a_client_that_leaves_leaves_no_listener(live: LiveServer) -> None:
    session = await new_session(live.url)
    await sse_turn(live.url, session, "two large pepperoni pizzas", limit=1)
    hub = live.chat.runner.hub
    for _ in range(100):
        if hub.listeners(session.session_id) == 0 and live.chat.runner.running == 0:
            break
        await asyncio.sleep(0.05)
    assert hub.listeners(session.session_id) == 0
    assert live.chat.runner.running == 0


async def test_chat_a_message_that_waits_too_long_is_told_busy(
    live: LiveServer, redis: Redis
) -> None:
    session = await new_session(live.url)
    lock = SessionLock(redis, ttl_seconds=10)
    held = await lock.acquire(session.session_id)  # a turn that takes its time
    runner_lock = live.chat.lock
    wait, runner_lock.wait_seconds = runner_lock.wait_seconds, 0.5
    try:
        events = [e.event for e in await sse_turn(live.url, session, "a coke")]
    finally:
        runner_lock.wait_seconds = wait
        await lock.release(held)
    assert types(events) == ["RUN_STARTED", "RUN_ERROR"]
    assert events[-1]["code"] == "BUSY" and "try again" in events[-1]["message"]
    verify(events)
    after = [e.event for e in await sse_turn(live.url, session, "a coke")]
    assert after[-1]["type"] == "RUN_FINISHED"


async def test_chat_graph_picture(live: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        got = await client.get("/api/v1/graph")
    assert got.status_code == 200
    body = got.json()
    assert body["mermaid"].startswith("---") or "graph TD" in body["mermaid"]
    assert {"understand", "edit_cart", "check_out", "sign_in", "respond"} <= set(body["nodes"])
    assert {"source": "edit_cart", "target": "check_out", "conditional": True} in body["edges"]
