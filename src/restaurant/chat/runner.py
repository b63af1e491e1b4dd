"""The turn runner: one graph run per message, serialised per session, streamed as AG-UI events.

A message becomes a task that outlives the request which sent it: a client that goes away stops
reading, never the run (an order being placed is placed). The task waits for the session's run
lock (`restaurant.chat.lock`), runs the compiled graph with `durability="exit"` (one checkpoint
write per turn, in the MULTI that appends the turn's last events), maps the stream through
`restaurant.agui.TurnMapper`, appends every event to the session's Redis Stream (fenced by the
lock) and pushes it to this replica's listeners, then hands the transcript to the background
writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import uuid4

from ag_ui.core import BaseEvent, TextMessageContentEvent
from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import StreamMode
from redis.exceptions import RedisError

from graph.builder import FINAL_NODE
from graph.checkpoint import HeldPuts, RedisSaver, Rider
from graph.context import CartStore, Context, OrderDesk
from graph.models import CartChange, CartRead, ChoiceSpec, LineSpec, OrderCreate, OrderRead
from graph.state import TurnInput
from restaurant.agui.mapping import (
    TurnMapper,
    error_run,
    is_terminal,
    run_id_of,
    state_snapshot,
    type_of,
)
from restaurant.chat.events import Delivered, EventLog, Hub
from restaurant.chat.lock import Fence, LockTimeout, SessionLock
from restaurant.chat.transcripts import TranscriptRecord, TranscriptWriter
from restaurant.llm.model import PooledChatModel

log = logging.getLogger(__name__)

AuthT = TypeVar("AuthT")
ContextFactory = Callable[[str, AuthT], Awaitable[Context]]
# A turn context's reads to make in the round trip that takes the session's lock (each must use
# the event log's Redis).
ContextReads = Callable[[str, Context], Sequence[Rider]]
# No "messages": the model's reply streams as custom events (`restaurant.agui.mapping`).
STREAM_MODES: list[StreamMode] = ["custom", "tasks", "values"]
STORE_DOWN = "A data store is not reachable right now; please try again in a moment."
# How long a PING that answered vouches for Redis. Every caller of `ready` has just checked the
# session in Redis, and a turn's first command (the run lock) fails with STORE_UNAVAILABLE too,
# so a Redis gone within this window is still reported, by the turn instead of the PING.
READY_SECONDS = 1.0
# How soon after the last node starts its model request is on its way (about 1 ms here idle,
# a few under load): the snapshot's cart read starts then, during the model's answer.
MODEL_SENT_SECONDS = 0.005


class StoreUnavailable(ConnectionError):
    """Redis could not be reached to start a turn (an OSError: the app answers 503)."""


@dataclass
class Outcome:
    """What a finished turn leaves for the transcript."""

    reply: str = ""
    intent: str | None = None
    tools: list[str] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)
    llm: bool = False
    error: str | None = None
    turn: int = 0


def _error_text(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, LockTimeout):
        return "Another message on this chat is still being answered; please try again.", "BUSY"
    if isinstance(exc, RedisError | OSError | ConnectionError):
        return STORE_DOWN, "STORE_UNAVAILABLE"
    name = type(exc).__name__
    if name in {"OperationalError", "DBAPIError", "InterfaceError", "ServerSelectionTimeoutError"}:
        return STORE_DOWN, "STORE_UNAVAILABLE"
    return "Something went wrong while answering; it has been logged. Please try again.", "INTERNAL"


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


def _starts(task: Any, node: str) -> bool:
    """Whether a "tasks" stream item is `node` starting (a result carries no "input")."""
    return isinstance(task, dict) and "input" in task and task.get("name") == node


# What a customer reads as it streams: it waits the least.
_TEXT_EVENTS = frozenset({"TEXT_MESSAGE_CONTENT"})


class _Batcher:
    """Hands a turn's events to `write` in order, one write at a time, each event after waiting
    a little for what follows it; `drain` writes everything left at once.

    The graph streams a chunk or two of events per step, and each write is a Redis round trip
    (the fenced append) and a WebSocket frame or more per event: profiled under load, a turn
    made about ten writes. A turn is over in a few milliseconds offline, or a few after the
    model's last token, so events that wait go with the turn's last ones in its final write.

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


class _SeenCart:
    """The turn's `CartStore`, remembering the cart its last call returned, so the snapshot
    after the graph need not read it again (a PostgreSQL transaction on most turns).

    `cart` is None until a call returns one, and again after an order is placed (placing
    empties the cart behind the store's back); the runner then reads the cart as before. A cart
    changed by the REST API while the turn runs shows in the next turn's snapshot.

    That read starts during the graph's last node, which never changes the cart (`read_ahead`:
    as it starts, or on the model path once the reply's request is on its way): it overlaps the
    reply and the checkpoint write instead of following them (about 1 ms of every such turn's
    latency).
    """

    def __init__(self, store: CartStore) -> None:
        self._store = store
        self.cart: CartRead | None = None
        self._ahead: asyncio.Task[CartRead] | None = None
        self._timer: asyncio.TimerHandle | None = None

    def read_ahead(self, session_id: str, after: float = 0.0) -> None:
        """Start reading the cart for the snapshot `after` seconds from now, unless this turn
        has already seen it or started the read."""
        if self.cart is not None or self._ahead is not None or self._timer is not None:
            return
        if after > 0:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(after, self._read, session_id)
        else:
            self._read(session_id)

    def _read(self, session_id: str) -> None:
        self._timer = None
        self._ahead = asyncio.create_task(self._store.get(session_id))
        # Left to finish on its own if unused (cancelling a query mid-flight would cost the
        # connection): its error, if any, is retrieved here and dropped.
        self._ahead.add_done_callback(lambda t: t.cancelled() or t.exception())

    def forget_read(self) -> None:
        """Drop a read not yet started (one under way finishes on its own)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def for_snapshot(self, session_id: str) -> CartRead | None:
        """The cart after the turn; None if it cannot be read (the snapshot is a courtesy)."""
        self.forget_read()  # the turn ended before the read was due: read now
        ahead, self._ahead = self._ahead, None
        if self.cart is not None:
            return self.cart
        try:
            return await (ahead if ahead is not None else self._store.get(session_id))
        except Exception:
            return None

    async def get(self, session_id: str) -> CartRead:
        self.cart = await self._store.get(session_id)
        return self.cart

    async def add(self, session_id: str, lines: Sequence[LineSpec]) -> CartChange:
        self.cart = None  # unknown if the call raises
        change = await self._store.add(session_id, lines)
        self.cart = change.cart
        return change

    async def update_line(
        self,
        session_id: str,
        line_id: str,
        *,
        quantity: int | None = None,
        choices: Sequence[ChoiceSpec] = (),
        item: str | None = None,
        remove: Sequence[tuple[str, str]] = (),
    ) -> CartChange:
        self.cart = None
        change = await self._store.update_line(
            session_id, line_id, quantity=quantity, choices=choices, item=item, remove=remove
        )
        self.cart = change.cart
        return change

    async def remove_line(self, session_id: str, line_id: str) -> CartRead:
        self.cart = None
        self.cart = await self._store.remove_line(session_id, line_id)
        return self.cart

    async def clear(self, session_id: str) -> CartRead:
        self.cart = None
        self.cart = await self._store.clear(session_id)
        return self.cart


class _PlacingForgets:
    """The turn's `OrderDesk`: placing an order empties the cart, so the seen cart is dropped."""

    def __init__(self, desk: OrderDesk, seen: _SeenCart) -> None:
        self._desk = desk
        self._seen = seen

    async def place(self, order: OrderCreate) -> OrderRead:
        self._seen.cart = None
        try:
            return await self._desk.place(order)
        finally:
            self._seen.cart = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._desk, name)  # reads and cancel leave the cart alone


class ChatRunner(Generic[AuthT]):
    """Starts turns in the background and streams their events to whoever listens."""

    def __init__(
        self,
        *,
        graph: CompiledStateGraph[Any, Any, Any, Any],
        contexts: ContextFactory[AuthT],
        reads: ContextReads = lambda session_id, context: (),
        events: EventLog,
        lock: SessionLock,
        transcripts: TranscriptWriter | None = None,
        hub: Hub | None = None,
        user_of: Callable[[AuthT], str | None] = lambda auth: None,
        max_waiting: int = 8,
    ) -> None:
        """Run `graph` with contexts from `contexts(session_id, auth)`, and their `reads`."""
        self.graph = graph
        self.contexts = contexts
        self.reads = reads
        self.events = events
        self.lock = lock
        self.transcripts = transcripts
        self.hub = hub or Hub()
        self.user_of = user_of
        self.max_waiting = max_waiting  # turns per session in this process, running or queued
        self._tasks: set[asyncio.Task[None]] = set()
        self._per_session: dict[str, int] = {}
        # Waiters on an asyncio.Lock wake in arrival order: messages that reach this replica
        # run in the order they came (the Redis lock alone would let waiters overtake).
        self._in_order: dict[str, asyncio.Lock] = {}
        self._idle: dict[str, asyncio.Event] = {}  # for `idle()`, while someone waits
        self._ready_until = 0.0  # monotonic time until which the last PING vouches for Redis

    # --- starting and following turns -----------------------------------------------------------

    async def ready(self) -> None:
        """Raise `StoreUnavailable` if the event log's Redis does not answer (PINGed at most
        once per `READY_SECONDS`: a PING per message was a round trip on every turn)."""
        now = time.monotonic()
        if now < self._ready_until:
            return
        try:
            await self.events.redis.ping()
        except (RedisError, OSError) as exc:
            self._ready_until = 0.0
            raise StoreUnavailable(STORE_DOWN) from exc
        self._ready_until = now + READY_SECONDS

    def start(self, session_id: str, text: str, auth: AuthT, *, run_id: str | None = None) -> str:
        """Start a turn in the background; its run id. Listen before starting to miss nothing."""
        run_id = run_id or f"run-{uuid4().hex}"
        if self._per_session.get(session_id, 0) >= self.max_waiting:
            # A flood of messages must not pile up tasks: refuse beyond a short queue.
            work = self._refuse(session_id, run_id)
        else:
            work = self._turn(session_id, text, auth, run_id)
            self._per_session[session_id] = self._per_session.get(session_id, 0) + 1
            self._in_order.setdefault(session_id, asyncio.Lock())
        task = asyncio.create_task(work, name=run_id)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return run_id

    async def _refuse(self, session_id: str, run_id: str) -> None:
        message = "Too many messages are waiting on this chat; send this one again in a moment."
        events = error_run(session_id, run_id, message, "BUSY")
        self.hub.publish(session_id, [("", e) for e in events])

    async def turn(
        self, session_id: str, text: str, auth: AuthT, *, run_id: str | None = None
    ) -> AsyncIterator[Delivered]:
        """Start a turn and yield its events, RUN_STARTED to RUN_FINISHED or RUN_ERROR.

        Closing the iterator early (the client went away) leaves the turn running.
        """
        with self.hub.subscribe(session_id) as sub:
            run_id = self.start(session_id, text, auth, run_id=run_id)
            task = next(t for t in self._tasks if t.get_name() == run_id)
            mine = False
            while True:
                item = await sub.get(wait=1.0)
                if item is None:
                    if task.done() and sub.queue.empty():
                        # Cancelled at shutdown before it could say so: end the stream clearly.
                        for event in error_run(
                            session_id, run_id, "The turn was interrupted.", "INTERRUPTED"
                        )[0 if not mine else 1 :]:
                            yield "", event
                        return
                    continue
                event = item[1]
                named = run_id_of(event)
                if named is not None and named != run_id:
                    continue  # another run's start or end (or a refused message's error)
                if not mine:
                    # Runs never interleave: from our RUN_STARTED on, every event is ours.
                    if named != run_id:
                        continue
                    mine = True
                yield item
                if is_terminal(event):
                    return

    async def close(self, grace_seconds: float = 10.0) -> None:
        """Let running turns finish for `grace_seconds`, then cancel what is left."""
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=grace_seconds)
            for task in pending:
                log.error("cancelling turn %s at shutdown", task.get_name())
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)

    @property
    def running(self) -> int:
        """Turns in progress (or waiting for their session) in this process."""
        return len(self._tasks)

    def pending(self, session_id: str) -> int:
        """Turns of one session in progress or queued in this process."""
        return self._per_session.get(session_id, 0)

    async def idle(self, session_id: str) -> None:
        """Return once no turn of the session is in progress or queued in this process."""
        while self._per_session.get(session_id):
            await self._idle.setdefault(session_id, asyncio.Event()).wait()

    # --- one turn -------------------------------------------------------------------------------

    async def _emit(
        self,
        session_id: str,
        fence: Fence | None,
        events: Sequence[BaseEvent],
        held: HeldPuts | None = None,
    ) -> None:
        """Append and publish the events, writing the checkpoint `held` back first if any."""
        before = held.take() if held is not None else ()
        ids = await self.events.append(session_id, events, fence, before)
        self.hub.publish(session_id, list(zip(ids, events, strict=True)))

    def _saver(self) -> RedisSaver | None:
        """The graph's checkpointer, when it can ride in the event log's round trips (it is a
        `RedisSaver` on the event log's own Redis client)."""
        saver = self.graph.checkpointer
        if isinstance(saver, RedisSaver) and saver.client is self.events.redis:
            return saver
        return None

    def _read_ahead(self, session_id: str, context: Context) -> list[Rider]:
        """What the turn reads first, to ride in the round trip that takes the lock: the
        context's reads, and the graph's checkpoint read when the checkpointer can ride."""
        reads = list(self.reads(session_id, context))
        saver = self._saver()
        if saver is not None:
            reads.append(lambda pipe: saver.read_ahead(pipe, session_id))
        return reads

    async def _turn(self, session_id: str, text: str, auth: AuthT, run_id: str) -> None:
        started = time.perf_counter()
        mapper = TurnMapper(thread_id=session_id, run_id=run_id)
        outcome = Outcome()
        fence: Fence | None = None
        announced = False
        try:
            async with self._in_order[session_id]:
                # RUN_STARTED is written before the graph starts, not alongside it: a replica
                # killed as its client sees RUN_STARTED has then changed nothing yet (see
                # tests/faults/test_replicas.py; overlapping the two saved a round trip but let
                # the cart change before the turn's checkpoint more often). It goes in the
                # round trip that takes the lock instead, written only if that took it; made
                # after this replica's queue, so only a wait on another replica's run of the
                # session comes before its timestamp. The turn's first reads (the context's and
                # the graph's checkpoint) ride in that round trip too, behind the script, so
                # the context is made before it (nothing in it needs the lock).
                context = await self.contexts(session_id, auth)
                start = self.events.announcement(
                    session_id, mapper.start(), self._read_ahead(session_id, context)
                )
                # The turn's checkpoint is held back to ride with its last events (or written
                # when the block ends, under the lock, if nothing took it).
                saver = self._saver()
                holding = saver.holding_puts() if saver is not None else contextlib.nullcontext()
                async with self.lock.hold(session_id, start) as fence, holding as held:
                    self.hub.publish(session_id, start.delivered())
                    announced = True
                    await self._run_graph(session_id, text, context, mapper, fence, held, outcome)
                    # This replica's listeners send the turn's last events before the lock's
                    # release is sent: the customer waits for RUN_FINISHED, not for the release.
                    await asyncio.sleep(0)
        except Exception as exc:
            message, code = _error_text(exc)
            if code == "INTERNAL":
                log.exception("turn %s on session %s failed", run_id, session_id)
            else:
                log.warning("turn %s on session %s: %s (%s)", run_id, session_id, code, exc)
            outcome.error = f"{code}: {exc}"[:500]
            # The lock was never taken or the log is down: tell this replica's listeners
            # directly instead of writing into a stream another run may own.
            events = (
                mapper.fail(message, code)
                if announced
                else error_run(session_id, run_id, message, code)
            )
            self.hub.publish(session_id, [("", e) for e in events])
        finally:
            left = self._per_session.get(session_id, 1) - 1
            if left > 0:
                self._per_session[session_id] = left
            else:
                self._per_session.pop(session_id, None)
                self._in_order.pop(session_id, None)
                if (idle := self._idle.pop(session_id, None)) is not None:
                    idle.set()
            self._record(session_id, text, auth, mapper, outcome, started)

    async def _run_graph(
        self,
        session_id: str,
        text: str,
        context: Context,
        mapper: TurnMapper,
        fence: Fence,
        held: HeldPuts | None,
        outcome: Outcome,
    ) -> None:
        seen: _SeenCart | None = None
        model: PooledChatModel | None = None
        batcher = _Batcher(lambda batch: self._emit(session_id, fence, batch, held))
        try:
            if isinstance(context.chat_model, PooledChatModel):
                # Its endpoint reserved now, while the graph works toward its first call.
                model = context.chat_model.for_turn()
            seen = _SeenCart(context.cart)
            context = dataclasses.replace(
                context,
                cart=seen,
                orders=_PlacingForgets(context.orders, seen),
                chat_model=model or context.chat_model,
            )
            config: RunnableConfig = {"configurable": {"thread_id": session_id}}
            values: Any = None
            async for mode, chunk in self.graph.astream(
                TurnInput(text=text),
                config,
                context=context,
                durability="exit",
                stream_mode=STREAM_MODES,
            ):
                if mode == "values":
                    values = chunk
                    continue
                if mode == "tasks" and _starts(chunk, FINAL_NODE):
                    # With a model the read waits until the reply's request is on its way (its
                    # own work would have delayed the request), then overlaps the model's time.
                    seen.read_ahead(session_id, MODEL_SENT_SECONDS if context.chat_model else 0)
                events = mapper.feed(mode, chunk)
                if events:
                    batcher.put(events)
            snapshot = state_snapshot(values, await seen.for_snapshot(session_id))
            outcome.intent = snapshot.get("intent")
            outcome.turn = int(snapshot.get("turn") or 0)
            await batcher.drain(mapper.finish(snapshot))
        except Exception as exc:
            if seen is not None:
                seen.forget_read()  # no snapshot follows a failed turn
            with contextlib.suppress(Exception):  # what streamed before the error goes first
                await batcher.drain()
            message, code = _error_text(exc)
            if code == "INTERNAL":
                log.exception("turn on session %s failed", session_id)
            outcome.error = f"{code}: {exc}"[:500]
            events = mapper.fail(message, code)
            try:
                await self._emit(session_id, fence, events, held)
            except Exception:  # the log itself is down: this replica's listeners still hear it
                self.hub.publish(session_id, [("", e) for e in events])
        finally:
            if model is not None:
                model.release()  # a reservation no call took

    def _record(
        self,
        session_id: str,
        text: str,
        auth: AuthT,
        mapper: TurnMapper,
        outcome: Outcome,
        started: float,
    ) -> None:
        if self.transcripts is None:
            return
        try:
            self.transcripts.submit(
                TranscriptRecord(
                    session_id=session_id,
                    user_id=self.user_of(auth),
                    turn=outcome.turn,
                    user_text=text,
                    reply_text=mapper.reply,
                    intent=outcome.intent,
                    tools=list(mapper.tools),
                    cards=list(mapper.cards),
                    latency_ms=round((time.perf_counter() - started) * 1000, 2),
                    llm=mapper.llm,
                    error=outcome.error,
                )
            )
        except Exception:  # a transcript must never fail a turn
            log.exception("could not queue the transcript of session %s", session_id)


__all__ = ["STREAM_MODES", "ChatRunner", "ContextFactory", "Outcome", "StoreUnavailable"]
