"""The turn runner: one graph run per message, serialised per session, streamed as AG-UI events.

A message becomes a task that outlives the request which sent it: a client that goes away stops
reading, never the run (an order being placed is placed). The task opens the turn in its
`TurnStore` (`restaurant.chat.store`: the session's run lock, its event log, the checkpoint),
runs the compiled graph with `durability="exit"` (one checkpoint write per turn, stored with the
turn's last events: the turn's commit point, see "Restarts and crashes" in docs/chat.md), maps
the stream through `restaurant.agui.TurnMapper`, hands every event to the store and pushes it,
once appended, to this replica's listeners, then hands the transcript to the background writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import uuid4

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import StreamMode
from redis.exceptions import RedisError

from graph.builder import FINAL_NODE
from graph.context import CartStore, Context
from graph.state import TurnInput
from restaurant.agui.mapping import TurnMapper, error_run, is_terminal, run_id_of, state_snapshot
from restaurant.chat.context import TurnCart, TurnOrders
from restaurant.chat.events import Delivered, Hub
from restaurant.chat.lock import LockTimeout
from restaurant.chat.store import OpenTurn, TurnStore
from restaurant.chat.transcripts import TranscriptRecord, TranscriptWriter
from restaurant.llm.model import PooledChatModel
from restaurant.services.carts import CartService

log = logging.getLogger(__name__)

AuthT = TypeVar("AuthT")
ContextFactory = Callable[[str, AuthT], Awaitable[Context]]
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


def _starts(task: Any, node: str) -> bool:
    """Whether a "tasks" stream item is `node` starting (a result carries no "input")."""
    return isinstance(task, dict) and "input" in task and task.get("name") == node


class ChatRunner(Generic[AuthT]):
    """Starts turns in the background and streams their events to whoever listens."""

    def __init__(
        self,
        *,
        graph: CompiledStateGraph[Any, Any, Any, Any],
        contexts: ContextFactory[AuthT],
        store: TurnStore,
        transcripts: TranscriptWriter | None = None,
        hub: Hub | None = None,
        user_of: Callable[[AuthT], str | None] = lambda auth: None,
        max_waiting: int = 8,
    ) -> None:
        """Run `graph` with contexts from `contexts(session_id, auth)`, keeping each turn in
        `store`."""
        self.graph = graph
        self.contexts = contexts
        self.store = store
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
        """Raise `StoreUnavailable` if the turn store does not answer (PINGed at most once per
        `READY_SECONDS`: a PING per message was a round trip on every turn)."""
        now = time.monotonic()
        if now < self._ready_until:
            return
        try:
            await self.store.ping()
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

    async def _turn(self, session_id: str, text: str, auth: AuthT, run_id: str) -> None:
        started = time.perf_counter()
        mapper = TurnMapper(thread_id=session_id, run_id=run_id)
        outcome = Outcome()
        announced = False

        def deliver(items: list[Delivered]) -> None:
            nonlocal announced
            announced = True  # RUN_STARTED is the first delivered
            self.hub.publish(session_id, items)

        try:
            async with self._in_order[session_id]:
                # RUN_STARTED is written before the graph starts, not alongside it: a replica
                # killed as its client sees RUN_STARTED has then changed nothing yet (see
                # tests/faults/test_replicas.py). The store writes it as the turn takes the
                # session, made after this replica's queue, so only a wait on another replica's
                # run of the session comes before its timestamp. The context is made before
                # (nothing in it needs the session): the store reads what it reads first as it
                # takes the session.
                context = await self.contexts(session_id, auth)
                async with self.store.open(session_id, mapper.start(), context, deliver) as turn:
                    await self._run_graph(session_id, text, context, mapper, turn, outcome)
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
        turn: OpenTurn,
        outcome: Outcome,
    ) -> None:
        seen: TurnCart | None = None
        model: PooledChatModel | None = None
        try:
            if isinstance(context.chat_model, PooledChatModel):
                # Its endpoint reserved now, while the graph works toward its first call.
                model = context.chat_model.for_turn()
            seen = TurnCart(await self._turn_cart(session_id, context, turn))
            context = dataclasses.replace(
                context,
                cart=seen,
                orders=TurnOrders(context.orders, seen),
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
                    turn.put(events)
            snapshot = state_snapshot(values, await seen.for_snapshot(session_id))
            outcome.intent = snapshot.get("intent")
            outcome.turn = int(snapshot.get("turn") or 0)
            await turn.flush(mapper.finish(snapshot))
        except Exception as exc:
            if seen is not None:
                seen.forget_read()  # no snapshot follows a failed turn
            with contextlib.suppress(Exception):  # what streamed before the error goes first
                await turn.flush()
            message, code = _error_text(exc)
            if code == "INTERNAL":
                log.exception("turn on session %s failed", session_id)
            outcome.error = f"{code}: {exc}"[:500]
            events = mapper.fail(message, code)
            try:
                await turn.flush(events)
            except Exception:  # the log itself is down: this replica's listeners still hear it
                self.hub.publish(session_id, [("", e) for e in events])
        finally:
            if model is not None:
                model.release()  # a reservation no call took

    @staticmethod
    async def _turn_cart(session_id: str, context: Context, turn: OpenTurn) -> CartStore:
        """The cart store of the turn: its changes tagged with the turn until its checkpoint
        commits them, after undoing those of earlier turns that died before theirs.

        The undoing is the session's first statement, before the graph reads the cart, and
        only after a crash: a normal turn finds no uncommitted turn in the round trip that
        took the session, and pays nothing. A cart store of another kind (in memory) lives
        and dies with the process: there is nothing to undo."""
        cart = context.cart
        if not isinstance(cart, CartService):
            return cart
        if turn.uncommitted:
            # Dead before their checkpoint (this turn holds the session): the conversation
            # never heard of their changes, so the cart must not keep them.
            await cart.recover(session_id, turn.uncommitted)
            turn.settled(turn.uncommitted)
        return cart.for_run(turn.tag)

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
