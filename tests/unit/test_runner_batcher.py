"""The runner's event batcher: one write at a time, and text waiting together written as one."""

from __future__ import annotations

import asyncio

import pytest
from ag_ui.core import (
    BaseEvent,
    CustomEvent,
    StepFinishedEvent,
    StepStartedEvent,
    TextMessageContentEvent,
    TextMessageEndEvent,
    TextMessageStartEvent,
    ToolCallStartEvent,
)

from restaurant.agui.mapping import type_of
from restaurant.chat.store import _Batcher, _joined_text


def _text(message_id: str, delta: str) -> TextMessageContentEvent:
    return TextMessageContentEvent(message_id=message_id, delta=delta)


def _deltas(events: list[BaseEvent]) -> list[tuple[str, str]]:
    return [(e.message_id, e.delta) for e in events if isinstance(e, TextMessageContentEvent)]


def test_runner_joined_text_merges_adjacent_deltas_of_one_message() -> None:
    events: list[BaseEvent] = [
        TextMessageStartEvent(message_id="m1", role="assistant"),
        _text("m1", "Two "),
        _text("m1", "pizzas, "),
        _text("m1", "$31.50."),
        TextMessageEndEvent(message_id="m1"),
        StepStartedEvent(step_name="respond"),
        _text("m2", "Any"),
        _text("m3", "thing"),
        _text("m3", " else?"),
    ]
    joined = _joined_text(events)
    assert _deltas(joined) == [("m1", "Two pizzas, $31.50."), ("m2", "Any"), ("m3", "thing else?")]
    assert [e.type for e in joined] == [
        "TEXT_MESSAGE_START",
        "TEXT_MESSAGE_CONTENT",
        "TEXT_MESSAGE_END",
        "STEP_STARTED",
        "TEXT_MESSAGE_CONTENT",
        "TEXT_MESSAGE_CONTENT",
    ]
    assert _joined_text([events[0], events[1]]) == [events[0], events[1]]  # nothing to join
    assert _joined_text([]) == []


async def test_runner_batcher_writes_text_soon_and_joins_what_comes_close() -> None:
    written: list[list[BaseEvent]] = []
    release = asyncio.Event()
    release.set()

    async def write(batch: list[BaseEvent]) -> None:
        written.append(batch)
        await release.wait()

    batcher = _Batcher(write, text_seconds=0.02)
    batcher.put([_text("m", "Hel")])
    await asyncio.sleep(0.01)
    assert written == [], "text waits a little for what follows"
    batcher.put([_text("m", "lo ")])
    await asyncio.sleep(0.03)
    assert [_deltas(b) for b in written] == [[("m", "Hello ")]], "then goes, joined"
    release.clear()
    batcher.put([_text("m", "there")])
    await asyncio.sleep(0.03)  # in flight
    for piece in (", ", "friend"):
        batcher.put([_text("m", piece)])  # put while the write is in flight
    release.set()
    await asyncio.sleep(0.03)
    assert [_deltas(b) for b in written][1:] == [[("m", "there")], [("m", ", friend")]]
    batcher.put([_text("m", "!")])
    await asyncio.sleep(0.005)
    await batcher.drain([StepFinishedEvent(step_name="respond")])
    assert _deltas(written[-1]) == [("m", "!")], "drain writes what waits at once"


async def test_runner_batcher_holds_everything_but_text_longer() -> None:
    written: list[list[str]] = []

    async def write(batch: list[BaseEvent]) -> None:
        written.append([type_of(e) for e in batch])

    batcher = _Batcher(write, hold_seconds=0.1, text_seconds=0.01)
    batcher.put([StepStartedEvent(step_name="cart")])
    batcher.put([CustomEvent(name="card", value={"type": "cart"})])
    batcher.put([ToolCallStartEvent(tool_call_id="t", tool_call_name="add_to_cart")])
    batcher.put([TextMessageStartEvent(message_id="m", role="assistant")])
    await asyncio.sleep(0.03)
    assert written == [], "steps, cards, tool calls and a message's start wait"
    batcher.put([_text("m", "Two pizzas")])
    await asyncio.sleep(0.03)
    assert written == [
        ["STEP_STARTED", "CUSTOM", "TOOL_CALL_START", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT"]
    ], "text goes sooner, with what waited before it"
    batcher.put([StepFinishedEvent(step_name="cart")])
    batcher.put([CustomEvent(name="card", value={"type": "cart"})])
    await asyncio.sleep(0.05)
    assert len(written) == 1
    await asyncio.sleep(0.1)
    assert written[-1] == ["STEP_FINISHED", "CUSTOM"], "a slow step still shows after the hold"
    batcher.put([StepStartedEvent(step_name="respond")])
    await batcher.drain()
    assert written[-1] == ["STEP_STARTED"], "drain writes what is held at once"


async def test_runner_batcher_writes_the_last_events_after_the_rest_in_the_callers_task() -> None:
    written: list[tuple[list[str], bool]] = []
    release = asyncio.Event()
    caller = asyncio.current_task()

    async def write(batch: list[BaseEvent]) -> None:
        written.append(([type_of(e) for e in batch], asyncio.current_task() is caller))
        await release.wait()

    batcher = _Batcher(write, text_seconds=0.001)
    batcher.put([TextMessageStartEvent(message_id="m", role="assistant"), _text("m", "Hi")])
    await asyncio.sleep(0.01)  # in flight in its own task
    batcher.put([_text("m", " there")])
    release.set()
    await batcher.drain([StepFinishedEvent(step_name="respond")])
    # The in-flight write's task took what was waiting, the last events included, in order.
    assert written == [
        (["TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT"], False),
        (["TEXT_MESSAGE_CONTENT", "STEP_FINISHED"], False),
    ]

    await batcher.drain([StepStartedEvent(step_name="next")])
    assert written[-1] == (["STEP_STARTED"], True), "no write in flight: no task for the last"


async def test_runner_batcher_end_of_a_reply_goes_with_the_runs_last_events() -> None:
    written: list[list[str]] = []

    async def write(batch: list[BaseEvent]) -> None:
        written.append([type_of(e) for e in batch])

    batcher = _Batcher(write, hold_seconds=0.05, text_seconds=0.02)
    batcher.put([TextMessageStartEvent(message_id="m", role="assistant"), _text("m", "Hi")])
    batcher.put([TextMessageEndEvent(message_id="m")])
    batcher.put([StepFinishedEvent(step_name="respond")])
    await asyncio.sleep(0.005)  # the checkpoint is written meanwhile
    await batcher.drain([StepStartedEvent(step_name="last")])
    assert written == [
        [
            "TEXT_MESSAGE_START",
            "TEXT_MESSAGE_CONTENT",
            "TEXT_MESSAGE_END",
            "STEP_FINISHED",
            "STEP_STARTED",
        ]
    ], "one write"


async def test_runner_batcher_raises_a_failed_writes_error_at_the_next_put_or_drain() -> None:
    async def write(batch: list[BaseEvent]) -> None:
        raise ConnectionError("redis went away")

    batcher = _Batcher(write, text_seconds=0.001)
    batcher.put([_text("m", "Hi")])
    await asyncio.sleep(0.02)
    with pytest.raises(ConnectionError):
        batcher.put([_text("m", " there")])
    batcher = _Batcher(write, text_seconds=0.001)
    batcher.put([_text("m", "Hi")])
    await asyncio.sleep(0.02)  # nothing put since: the error waits for drain
    with pytest.raises(ConnectionError):
        await batcher.drain()
