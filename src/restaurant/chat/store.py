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

It also keeps which turns of a session began and never committed (`UncommittedRuns`). A turn's
changes to the cart in PostgreSQL are tagged with the turn (`CartService.for_run`) and stand
once the checkpoint that records the turn is written: its start is recorded with RUN_STARTED
and its commit in the MULTI that writes the checkpoint, so a turn whose replica died between
its cart change and its checkpoint is still on record. The session's next turn undoes such a
turn's changes before its graph runs, and the REST read of the cart shows the cart without
them (`run_state`). Both ride on round trips made anyway: a normal turn pays nothing for it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol
from uuid import uuid4

from ag_ui.core import BaseEvent, TextMessageContentEvent
from redis.asyncio.client import Pipeline

from graph.checkpoint import RedisSaver, TurnCheckpoint
from graph.context import Context
from restaurant.agui.mapping import is_terminal, type_of
from restaurant.auth.sessions import Lookup
from restaurant.chat.events import Delivered, EventLog, SharedCommands
from restaurant.chat.lock import FENCE_TTL_SECONDS, Fence, SessionLock, lock_key
from restaurant.services.carts import RunState

# The reads a turn's context makes first, for the store to make with the lock (see
# `RedisTurnStore`); each a read of the event log's Redis.
ContextLookups = Callable[[str, Context], Sequence[Lookup]]
Deliver = Callable[[list[Delivered]], None]


class OpenTurn(Protocol):
    """A turn holding its session: where its events go, in order, and what it commits."""

    @property
    def tag(self) -> str:
        """The id its changes elsewhere (the cart) carry until its checkpoint commits it: unique
        to this turn (the AG-UI run id is the client's to choose, and may repeat)."""
        ...

    @property
    def uncommitted(self) -> Sequence[str]:
        """The tags of the session's earlier turns that began and never committed: they died
        (this turn holds the session), and their changes are to be undone."""
        ...

    def settled(self, tags: Sequence[str]) -> None:
        """Say that the changes of `tags` were undone: the turn's commit forgets them."""
        ...

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

    async def run_state(self, session_id: str, tag: str) -> RunState:
        """Where the turn with this `OpenTurn.tag` stands: committed, maybe running, or dead."""
        ...


def runs_key(session_id: str) -> str:
    """The tags of the session's turns that began and have not committed (a set)."""
    return f"chat:{{{session_id}}}:runs"


class UncommittedRuns:
    """One turn's entry in its session's set of turns begun and not committed.

    `begin` adds the turn's tag and reads the set, with RUN_STARTED (`Announcement.begin`), and
    `commit` removes it with the turn's checkpoint, in that MULTI, along with the dead turns it
    settled. A begin that runs while another turn holds the session (a waiting turn's first
    try) does no harm: a tag in the set only matters on a cart, and a turn tags the cart only
    once it holds the session; a turn that gives up waiting is forgotten by the next commit
    that reads it. The set lives as long as the fencing counter after its last begin.

    A record of what began rather than of what committed (such as the checkpoint's metadata
    naming its turn): the checkpoint names only the last turn, and expires after half an hour
    idle, while a cart's tag stays until the cart is next changed or read. Here, a tag not in
    the set is committed however old it is, and a session's first turn that died (no
    checkpoint at all) is still on record as begun.
    """

    def __init__(self, session_id: str) -> None:
        """A new turn's entry; nothing sent yet."""
        self.key = runs_key(session_id)
        self.tag = uuid4().hex
        self.uncommitted: tuple[str, ...] = ()
        self.read = False  # the set was read under the lock (its replies were handed back)
        self._settled: tuple[str, ...] = ()

    def begin(self, pipe: Pipeline) -> Callable[[list[Any]], None]:
        """Queue the turn's start and the read of the set."""
        pipe.sadd(self.key, self.tag)
        pipe.expire(self.key, FENCE_TTL_SECONDS)
        pipe.smembers(self.key)
        return self._take

    def _take(self, replies: list[Any]) -> None:
        tags = (t.decode() if isinstance(t, bytes) else str(t) for t in replies[-1])
        self.uncommitted = tuple(sorted(t for t in tags if t != self.tag))
        self.read = True

    async def read_now(self, redis: Any) -> None:
        """Begin and read in a round trip of its own (when the first one's replies were lost)."""
        async with redis.pipeline(transaction=False) as pipe:
            take = self.begin(pipe)
            take(await pipe.execute())

    def settled(self, tags: Sequence[str]) -> None:
        """The changes of these dead turns were undone: forget them with the commit."""
        self._settled = tuple(tags)

    def commit(self, pipe: Pipeline) -> None:
        """Queue the turn's commit (in the MULTI that writes its checkpoint)."""
        pipe.srem(self.key, self.tag, *self._settled)


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
        runs: UncommittedRuns,
    ) -> None:
        self._log = log
        self._session_id = session_id
        self._fence = fence
        self._checkpoint = checkpoint
        self._deliver = deliver
        self._runs = runs
        self._batcher = _Batcher(self._append)

    @property
    def tag(self) -> str:
        """The id the turn's cart changes carry until it commits."""
        return self._runs.tag

    @property
    def uncommitted(self) -> Sequence[str]:
        """The session's earlier turns that died before committing."""
        return self._runs.uncommitted

    def settled(self, tags: Sequence[str]) -> None:
        """The changes of `tags` were undone: forgotten with this turn's commit."""
        self._runs.settled(tags)

    async def _append(self, events: Sequence[BaseEvent]) -> None:
        # The checkpoint the turn has written so far goes first, in the same MULTI (with the
        # turn's commit, see `RedisTurnStore.open`). Without a checkpoint here, the turn
        # commits with its last event.
        before: list[SharedCommands] = []
        if self._checkpoint is not None and self._checkpoint.holding:
            before.append(self._checkpoint.queue_writes)
        elif self._checkpoint is None and any(is_terminal(e) for e in events):
            before.append(self._commit)
        ids = await self._log.append(self._session_id, events, self._fence, before)
        self._deliver(list(zip(ids, events, strict=True)))

    def _commit(self, pipe: Pipeline) -> Callable[[list[Any]], None]:
        self._runs.commit(pipe)
        return lambda replies: None

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

    async def run_state(self, session_id: str, tag: str) -> RunState:
        """Committed if the turn is not on record as begun and uncommitted; else running while
        a turn holds the session (it may be that one, or one about to undo it), dead if none
        does (a dead replica's lease lapses within the lock's ttl)."""
        async with self.events.redis.pipeline(transaction=False) as pipe:
            pipe.sismember(runs_key(session_id), tag)
            pipe.exists(lock_key(session_id))
            begun, held = await pipe.execute()
        if not begun:
            return RunState.COMMITTED
        return RunState.RUNNING if held else RunState.DEAD

    @contextlib.asynccontextmanager
    async def open(
        self, session_id: str, first: Sequence[BaseEvent], context: Context, deliver: Deliver
    ) -> AsyncIterator[OpenTurn]:
        """Hold the session for the block (see `TurnStore.open`)."""
        runs = UncommittedRuns(session_id)
        # The turn commits with its checkpoint, in each MULTI that writes it.
        checkpoint = (
            self._saver.turn(session_id, with_writes=runs.commit)
            if self._saver is not None
            else None
        )
        # The turn's first reads ride behind the script that takes the lock, handed back only
        # if it took it (read under the lock); a read not handed back is made by its reader.
        reads = [_lookup(lookup) for lookup in self.lookups(session_id, context)]
        if checkpoint is not None:
            reads.append(checkpoint.queue_read)
        start = self.events.announcement(session_id, first, reads, begin=[runs.begin])
        async with (
            self.lock.hold(session_id, start) as fence,
            checkpoint if checkpoint is not None else contextlib.nullcontext(),
        ):
            if not runs.read:  # Redis had lost the take's script: its reads were not handed back
                await runs.read_now(self.events.redis)
            # The checkpoint's block ends before the lock is released: what the turn left of
            # its checkpoint is written under the lock.
            deliver(start.delivered())
            yield _RedisTurn(self.events, session_id, fence, checkpoint, deliver, runs)


__all__ = [
    "ContextLookups",
    "OpenTurn",
    "RedisTurnStore",
    "TurnStore",
    "UncommittedRuns",
    "runs_key",
]
