"""Where a turn's run keeps what it reads and writes: the one storage seam of the chat runner.

A `TurnStore` opens a turn on a session: it takes the session's run lock (writing the run's
first events with it, and reading what the turn reads first), appends the turn's events with the
graph's checkpoint, and releases the lock when the turn ends. The runner sees events and ids,
never a connection or a pipeline.

`RedisTurnStore` keeps it all in one Redis: the lock (`restaurant.chat.lock`), the event log
(`restaurant.chat.events`) and, when the graph checkpoints on the same client, the checkpoint
(`graph.checkpoint.TurnCheckpoint`). It owns every round-trip detail:

- the lock, the run's first events and the turn's first reads (the checkpoint, and who the chat
  belongs to before sign-in) go in one round trip;
- the turn's events are written in batches, one write at a time (`_Batcher`);
- the checkpoint is written in the MULTI that appends the turn's last events, RUN_FINISHED or
  RUN_ERROR among them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from ag_ui.core import BaseEvent, TextMessageContentEvent
from redis.asyncio.client import Pipeline

from graph.checkpoint import RedisSaver, TurnCheckpoint
from graph.context import Context
from restaurant.agui.mapping import type_of
from restaurant.auth.sessions import Lookup
from restaurant.chat.events import Delivered, EventLog, SharedCommands
from restaurant.chat.lock import Fence, SessionLock

# The reads a turn's context makes first, for the store to make with the lock (see
# `RedisTurnStore`); each a read of the event log's Redis.
ContextLookups = Callable[[str, Context], Sequence[Lookup]]
Deliver = Callable[[list[Delivered]], None]


class OpenTurn(Protocol):
    """A turn holding its session: where its events go, in order."""

    def put(self, events: Sequence[BaseEvent]) -> None:
        """Queue events to append soon; raises the error of an append that failed since."""
        ...

    async def flush(self, last: Sequence[BaseEvent] = ()) -> None:
        """Append everything queued and then `last`, with the checkpoint the turn has written
        so far; return once all is appended."""
        ...


class TurnStore(Protocol):
    """The storage of the chat's turns."""

    def open(
        self, session_id: str, first: Sequence[BaseEvent], context: Context, deliver: Deliver
    ) -> AbstractAsyncContextManager[OpenTurn]:
        """Hold the session for the block: wait for its run lock, append `first` with it and
        read what the turn reads first; hand every appended event, with its id, to `deliver`.
        The block's end writes what the turn left and releases the session."""
        ...

    async def ping(self) -> None:
        """Raise if the store does not answer."""
        ...

    async def running(self, session_id: str) -> bool:
        """Whether a turn holds the session now (on any replica)."""
        ...


def _joined_text(events: list[BaseEvent]) -> list[BaseEvent]:
    """The events with each run of TEXT_MESSAGE_CONTENT of one message made one event."""
    joined: list[BaseEvent] = []
    run: list[TextMessageContentEvent] = []
    for event in [*events, None]:
        if (
            isinstance(event, TextMessageContentEvent)
            and run
            and event.message_id == run[0].message_id
        ):
            run.append(event)
            continue
        if len(run) > 1:
            joined.append(run[0].model_copy(update={"delta": "".join(e.delta for e in run)}))
        elif run:
            joined.append(run[0])
        run = []
        if isinstance(event, TextMessageContentEvent):
            run = [event]
        elif event is not None:
            joined.append(event)
    return joined


# What a customer reads as it streams: it waits the least.
_TEXT_EVENTS = frozenset({"TEXT_MESSAGE_CONTENT"})


class _Batcher:
    """Hands a turn's events to `write` in order, one write at a time, each event after waiting
    a little for what follows it; `drain` writes everything left at once.

    The graph streams a chunk or two of events per step, and each write is a Redis round trip
    (the fenced append) and a WebSocket frame or more per event. A turn is over in a few
    milliseconds offline, or a few after the model's last token, so events that wait go with
    the turn's last ones in its final write.

    The reply's text (TEXT_MESSAGE_CONTENT) waits at most `text_seconds`, every other event (a
    node started or finished, a tool call, a card, a message's start and end) at most
    `hold_seconds`; events put while a write is in flight wait for it too. Adjacent text events
    of one message written together are joined into one: a model's tokens stream one by one
    when they come apart, fewer and larger when they come close or the service is busy, the
    same text.

    On the model path, what the nodes showed before the reply (the cart card, the tool calls)
    is written while the model thinks instead of delaying its request, and the reply's end goes
    with the checkpoint's STATE_SNAPSHOT and RUN_FINISHED in one write instead of competing
    with the checkpoint write before it (bench/README.md). Both waits are well under what a
    person notices; a slow step still shows within `hold_seconds`.
    """

    def __init__(
        self,
        write: Callable[[list[BaseEvent]], Awaitable[None]],
        hold_seconds: float = 0.05,
        text_seconds: float = 0.01,
    ) -> None:
        self._write = write
        self._hold_seconds = hold_seconds
        self._text_seconds = text_seconds
        self._pending: list[BaseEvent] = []
        self._task: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None

    def put(self, events: Sequence[BaseEvent]) -> None:
        """Queue events; raises the error of a write that failed since the last call."""
        if self._task is not None and self._task.done():
            task, self._task = self._task, None
            task.result()
        self._pending.extend(events)
        wait = self._hold_seconds
        if any(type_of(e) in _TEXT_EVENTS for e in events):
            wait = self._text_seconds
        loop = asyncio.get_running_loop()
        due = loop.time() + wait
        if self._timer is not None:
            if self._timer.when() <= due:
                return  # written sooner anyway
            self._timer.cancel()
        self._timer = loop.call_at(due, self._due)

    def _due(self) -> None:
        self._timer = None
        task = self._task
        if task is not None and (not task.done() or task.cancelled() or task.exception()):
            return  # the write in flight takes them, or the failed one's error is raised
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        # Until the pending events are no longer due (more put since, waiting on their timer).
        while self._pending and self._timer is None:
            batch, self._pending = _joined_text(self._pending), []
            await self._write(batch)

    async def drain(self, last: Sequence[BaseEvent] = ()) -> None:
        """Write `last` after everything put and wait until all is written; raises a write's
        error. What no write in flight takes (a turn's last events) is written in the caller's
        task: a task started and then waited for was two more waits of the event loop at the
        end of every turn."""
        self._pending.extend(last)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._task is not None:
            task, self._task = self._task, None
            await task  # takes what is pending (nothing waits on a timer now)
        await self._run()


class _RedisTurn:
    """An open turn of `RedisTurnStore`: fenced appends, in batches, with the checkpoint."""

    def __init__(
        self,
        log: EventLog,
        session_id: str,
        fence: Fence,
        checkpoint: TurnCheckpoint | None,
        deliver: Deliver,
    ) -> None:
        self._log = log
        self._session_id = session_id
        self._fence = fence
        self._checkpoint = checkpoint
        self._deliver = deliver
        self._batcher = _Batcher(self._append)

    async def _append(self, events: Sequence[BaseEvent]) -> None:
        # The checkpoint the turn has written so far goes first, in the same MULTI.
        before: list[SharedCommands] = []
        if self._checkpoint is not None and self._checkpoint.holding:
            before.append(self._checkpoint.queue_writes)
        ids = await self._log.append(self._session_id, events, self._fence, before)
        self._deliver(list(zip(ids, events, strict=True)))

    def put(self, events: Sequence[BaseEvent]) -> None:
        """Queue events to append soon (see `_Batcher`)."""
        self._batcher.put(events)

    async def flush(self, last: Sequence[BaseEvent] = ()) -> None:
        """Append what is queued and `last`, with the checkpoint; wait until all is appended."""
        await self._batcher.drain(last)


def _lookup(lookup: Lookup) -> SharedCommands:
    def queue(pipe: Pipeline) -> Callable[[list[Any]], None]:
        pipe.execute_command(*lookup.command)
        return lambda replies: lookup.take(replies[0])

    return queue


class RedisTurnStore:
    """A `TurnStore` in one Redis: the session's run lock, its event log and, when the graph's
    checkpointer is a `RedisSaver` on the same client, the checkpoint."""

    def __init__(
        self,
        events: EventLog,
        lock: SessionLock,
        checkpointer: object = None,
        *,
        lookups: ContextLookups = lambda session_id, context: (),
    ) -> None:
        """Turns on `events` and `lock` (one Redis client); `lookups` says what a turn's context
        reads first (each on that client)."""
        self.events = events
        self.lock = lock
        self.lookups = lookups
        # Only a saver on the log's own client can share its round trips (and its MULTI).
        self._saver = (
            checkpointer
            if isinstance(checkpointer, RedisSaver) and checkpointer.client is events.redis
            else None
        )

    async def ping(self) -> None:
        """PING the Redis of the log."""
        await self.events.redis.ping()

    async def running(self, session_id: str) -> bool:
        """Whether a turn holds the session's run lock."""
        return await self.lock.held(session_id)

    @contextlib.asynccontextmanager
    async def open(
        self, session_id: str, first: Sequence[BaseEvent], context: Context, deliver: Deliver
    ) -> AsyncIterator[OpenTurn]:
        """Hold the session for the block (see `TurnStore.open`)."""
        checkpoint = self._saver.turn(session_id) if self._saver is not None else None
        # The turn's first reads ride behind the script that takes the lock, handed back only
        # if it took it (read under the lock); a read not handed back is made by its reader.
        reads = [_lookup(lookup) for lookup in self.lookups(session_id, context)]
        if checkpoint is not None:
            reads.append(checkpoint.queue_read)
        start = self.events.announcement(session_id, first, reads)
        async with (
            self.lock.hold(session_id, start) as fence,
            checkpoint if checkpoint is not None else contextlib.nullcontext(),
        ):
            # The checkpoint's block ends before the lock is released: what the turn left of
            # its checkpoint is written under the lock.
            deliver(start.delivered())
            yield _RedisTurn(self.events, session_id, fence, checkpoint, deliver)


__all__ = ["ContextLookups", "OpenTurn", "RedisTurnStore", "TurnStore"]
