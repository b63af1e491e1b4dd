"""The Redis checkpointer's decoded cache: a hit gives what Redis holds, a turn written by
another replica (another saver on the same Redis) is never hidden by it, and a turn that ran
here is read back in one round trip, pending writes included."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any, TypedDict

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from redis.asyncio.client import Pipeline

from graph.checkpoint import RedisSaver, redis_checkpointer
from tests.integration.redis_support import before_each_pipeline


class Talk(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    turns: int


def _reply(state: Talk) -> dict[str, Any]:
    turns = state.get("turns", 0) + 1
    card = {"name": "CART_CARD", "data": {"lines": [{"item": "pizza", "quantity": turns}]}}
    return {
        "messages": [AIMessage(content=f"turn {turns}", additional_kwargs={"cards": [card]})],
        "turns": turns,
    }


def _graph(saver: RedisSaver) -> Any:
    builder = StateGraph(Talk)
    builder.add_node("reply", _reply)
    builder.add_edge(START, "reply")
    builder.add_edge("reply", END)
    return builder.compile(checkpointer=saver)


async def _say(graph: Any, config: RunnableConfig, text: str) -> list[AnyMessage]:
    state = await graph.ainvoke(
        {"messages": [HumanMessage(content=text)]}, config, durability="exit"
    )
    return list(state["messages"])


async def test_checkpoint_cache_follows_turns_written_by_another_replica(redis_url: str) -> None:
    config: RunnableConfig = {"configurable": {"thread_id": f"cache-{uuid.uuid4().hex}"}}
    async with (
        redis_checkpointer(redis_url) as one,
        redis_checkpointer(redis_url) as two,
        redis_checkpointer(redis_url) as cold,
    ):
        cold.decoded_cache = 0  # reads everything from Redis
        first, second = _graph(one), _graph(two)
        await _say(first, config, "a")
        await _say(first, config, "b")  # read back from the cache of `one`
        await _say(second, config, "c")  # `two` never saw the thread: from Redis
        messages = await _say(first, config, "d")  # `one` must not use its older copy
        assert [m.content for m in messages] == [
            "a",
            "turn 1",
            "b",
            "turn 2",
            "c",
            "turn 3",
            "d",
            "turn 4",
        ]
        cached = await one.aget_tuple(config)
        fresh = await cold.aget_tuple(config)
        assert cached is not None and fresh is not None
        assert cached.checkpoint["channel_values"] == fresh.checkpoint["channel_values"]
        assert cached.checkpoint["channel_versions"] == fresh.checkpoint["channel_versions"]


async def test_checkpoint_cache_is_bounded_and_forgets_deleted_threads(redis_url: str) -> None:
    async with redis_checkpointer(redis_url) as saver:
        saver.decoded_cache = 3
        graph = _graph(saver)
        threads = [f"bound-{uuid.uuid4().hex}" for _ in range(5)]
        for thread in threads:
            await _say(graph, {"configurable": {"thread_id": thread}}, "hi")
        assert len(saver._decoded) == 3
        await saver.adelete_thread(threads[-1])
        assert threads[-1] not in saver._decoded
        assert await saver.aget_tuple({"configurable": {"thread_id": threads[-1]}}) is None


class _Counting:
    """Counts the pipelines a saver's client executes."""

    def __init__(self, saver: RedisSaver) -> None:
        self.count = 0
        before_each_pipeline(saver.client, self._count)

    async def _count(self, pipe: Pipeline) -> None:
        self.count += 1


async def test_checkpoint_read_of_a_turn_run_here_is_one_round_trip(redis_url: str) -> None:
    config: RunnableConfig = {"configurable": {"thread_id": f"trip-{uuid.uuid4().hex}"}}
    async with redis_checkpointer(redis_url) as here, redis_checkpointer(redis_url) as there:
        await _say(_graph(here), config, "a")
        counting = _Counting(here)
        first = await here.aget_tuple(config)
        assert first is not None and counting.count == 1, "checkpoint, writes, blobs: cached"
        assert first.pending_writes == []
        # Writes pending on the newest checkpoint come back with it, in the same round trip.
        await here.aput_writes(first.config, [("turns", 7)], "task-1")
        counting.count = 0
        again = await here.aget_tuple(config)
        assert again is not None and counting.count == 1
        assert again.pending_writes == [("task-1", "turns", 7)]
        # Another replica's turn makes the guess stale: still the right checkpoint and writes.
        await _say(_graph(there), config, "b")
        latest = await there.aget_tuple(config)
        moved = await here.aget_tuple(config)
        assert latest is not None and moved is not None
        assert moved.config == latest.config and moved.pending_writes == latest.pending_writes
        assert moved.checkpoint["channel_values"] == latest.checkpoint["channel_values"]
        assert [m.content for m in moved.checkpoint["channel_values"]["messages"]][-1] == "turn 2"


async def test_checkpoint_turn_read_rides_in_the_callers_round_trip(redis_url: str) -> None:
    thread = f"ahead-{uuid.uuid4().hex}"
    config: RunnableConfig = {"configurable": {"thread_id": thread}}
    async with redis_checkpointer(redis_url) as saver:
        await _say(_graph(saver), config, "a")
        plain = await saver.aget_tuple(config)
        assert plain is not None

        async def queued(turn: Any) -> list[Any]:
            async with saver.client.pipeline(transaction=False) as pipe:
                pipe.ping()  # the caller's own command comes first
                take = turn.queue_read(pipe)
                _, *replies = await pipe.execute()
            take(replies)
            return replies

        counting = _Counting(saver)

        async def in_turn() -> tuple[Any, int, int]:
            async with saver.turn(thread) as turn:
                await queued(turn)
                counting.count = 0
                ahead = await saver.aget_tuple(config)
                trips = counting.count
                await saver.aget_tuple(config)  # the replies serve one read
                return ahead, trips, counting.count - trips

        ahead, trips, again = await asyncio.create_task(in_turn())
        assert ahead is not None and (trips, again) == (0, 1)
        assert ahead.config == plain.config
        assert ahead.checkpoint["channel_values"] == plain.checkpoint["channel_values"]
        # Outside the turn's block (here: handed in another task): not this read's.
        await asyncio.create_task(queued(saver.turn(thread)))
        counting.count = 0
        assert await saver.aget_tuple(config) is not None and counting.count == 1

        async def other_thread() -> int:
            async with saver.turn(thread) as turn:
                await queued(turn)
                counting.count = 0
                await saver.aget_tuple({"configurable": {"thread_id": f"other-{thread}"}})
                return counting.count

        assert await asyncio.create_task(other_thread()) == 1


async def _queue_writes(saver: RedisSaver, turn: Any, *own: str) -> list[Any]:
    """Write what the turn holds in a MULTI of the caller's (with its own SET first); the
    errors among the replies, after handing them over if there are none."""
    async with saver.client.pipeline(transaction=True) as pipe:
        for key in own:
            pipe.set(key, "x", ex=60)  # the caller's own command, same MULTI
        start = len(pipe)
        take = turn.queue_writes(pipe)
        replies = await pipe.execute(raise_on_error=False)
    errors = [r for r in replies[start:] if isinstance(r, Exception)]
    if not errors:
        take(replies[start:])
    return errors


async def test_checkpoint_turn_writes_ride_in_the_callers_round_trip(redis_url: str) -> None:
    thread = f"held-{uuid.uuid4().hex}"
    config: RunnableConfig = {"configurable": {"thread_id": thread}}
    async with redis_checkpointer(redis_url) as saver:
        cold = RedisSaver(saver.client, decoded_cache=0)  # what Redis holds
        graph = _graph(saver)
        async with saver.turn(thread) as turn:
            await _say(graph, config, "a")
            assert turn.holding == 1 and await cold.aget_tuple(config) is None
            assert await _queue_writes(saver, turn, f"own-{thread}") == []
            assert turn.holding == 0
            stored = await cold.aget_tuple(config)
            assert stored is not None
            assert [m.content for m in stored.checkpoint["channel_values"]["messages"]] == [
                "a",
                "turn 1",
            ]
            # Kept decoded only once stored: the next read of it here is one round trip.
            assert (
                saver._decoded[thread].latest[""] == stored.config["configurable"]["checkpoint_id"]
            )
            # A put nobody takes is written as the block ends.
            await _say(graph, config, "b")
            assert turn.holding == 1
        latest = await cold.aget_tuple(config)
        assert latest is not None and latest.checkpoint["channel_values"]["turns"] == 2
        # Outside the block, and in a task started outside it, puts are written at once.
        await asyncio.create_task(_say(graph, config, "c"))
        latest = await cold.aget_tuple(config)
        assert latest is not None and latest.checkpoint["channel_values"]["turns"] == 3

        # A held put that fails is reported, and nothing of it is kept as stored.
        broken = f"broken-{uuid.uuid4().hex}"
        await saver.client.set(saver._keys(broken).blobs, "not a hash", ex=60)
        async with saver.turn(broken) as turn:
            await _say(graph, {"configurable": {"thread_id": broken}}, "a")
            errors = await _queue_writes(saver, turn)
        assert len(errors) == 1 and "WRONGTYPE" in str(errors[0])
        assert broken not in saver._decoded or not saver._decoded[broken].latest


def test_message_memo_serializer_writes_what_langgraph_writes() -> None:
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    from graph.checkpoint import MessageMemoSerializer

    card = {"name": "MENU_CARD", "data": {"items": [{"key": "coke", "price": "2.50"}]}}
    history: list[AnyMessage] = [
        HumanMessage(content="a coke", id="h1"),
        AIMessage(content="Added a coke.", id="a1", additional_kwargs={"cards": [card]}),
    ]
    memo, plain = MessageMemoSerializer(keep=2), JsonPlusSerializer()
    first = memo.dumps_typed(history)
    assert first == plain.dumps_typed(history)
    longer = [*history, HumanMessage(content="and a pizza", id="h2")]
    # Two remembered, one new, one forgotten again (keep=2): the bytes never change.
    assert memo.dumps_typed(longer) == plain.dumps_typed(longer)
    assert len(memo._memo) == 2
    assert memo.loads_typed(memo.dumps_typed(longer)) == longer
    for value in ({"a": 1}, [1, 2], None, b"raw", "text"):
        assert memo.dumps_typed(value) == plain.dumps_typed(value)


def test_state_classes_encode_as_langgraph_encodes_them() -> None:
    """The state's own dataclasses and enums take a shorter path, to the same bytes."""
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    from graph.checkpoint import STATE_TYPES, MessageMemoSerializer
    from graph.dialogue import Dialogue
    from graph.intents import Intent, OrderType
    from graph.models import ChoiceSpec, LineSpec
    from graph.nlu.reading import Choice, Edit, Ref
    from graph.state import Checkout

    pizza = LineSpec(item="pizza", quantity=2, choices=(ChoiceSpec(group="size", option="large"),))
    dialogue = Dialogue(
        mentioned=("l1", "l2"),
        added=(pizza,),
        asked=Edit(op="change", ref=Ref(every=True), choices=(Choice("toppings", "olives"),)),
        candidates=("l1", "l2"),
        undo=(("l1", pizza), ("l2", None)),
        owners=(("l1", "Sam"),),
    )
    values = [
        dialogue,
        Checkout(step="confirm", order_type=OrderType.PICKUP, address=None, key="k"),
        Intent.ADD_ITEMS,
        {"dialogue": dialogue, "intent": Intent.CHANGE_ITEM, "spec": pizza},
    ]
    memo, plain = MessageMemoSerializer(), JsonPlusSerializer(allowed_msgpack_modules=STATE_TYPES)
    assert memo._direct  # the state's classes do take the shorter path
    for value in values:
        assert memo.dumps_typed(value) == plain.dumps_typed(value)
        assert memo.loads_typed(memo.dumps_typed(value)) == value
