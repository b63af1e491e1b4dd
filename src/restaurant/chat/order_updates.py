"""The customer hears it: each move of an order is written to the chat it was placed from.

An `OrderEvents` listener (`restaurant.services.order_events`). For a move the staff made (or
the customer's cancel over REST), it appends to the session's event log a short run of its own:
RUN_STARTED, the updated `ORDER_DATA` card (a CUSTOM event, as a turn's card) and one line of
text ("Your order #XKA3W is ready for pickup."), then RUN_FINISHED. It is written under the
session's run lock, in the round trip that takes it when it is free (an `Announcement`), so it
never lands inside a turn's events; this replica's listeners (an open WebSocket) get it at once
through the hub, and a client that resumes with `Last-Event-ID` reads it from the log on any
replica. Under the same lock the line and its card are added to the conversation's checkpoint
(`remember`) as the assistant's message, so the history (a reload, a new socket's
MESSAGES_SNAPSHOT) shows it too.

An open socket on another replica hears it as well: each write is noted on one restaurant-wide
stream (`NOTICES`: the session and the ids of its events, capped, with a TTL), which every
replica reads with one XREAD BLOCK (`relay`); a replica with listeners on that session reads the
events from the session's log and hands them to its hub.

The write runs in a task of its own: the staff's request never waits for a turn in progress on
that chat (nor does the customer's own turn wait for itself). A cancel said in the chat
(`OrderMoved.answered`) and a new order are not written: the turn or the request that made them
already answered. A cancel over REST is written: the chat in the browser would still show the
order placed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import uuid4

from ag_ui.core import (
    BaseEvent,
    CustomEvent,
    RunFinishedEvent,
    RunStartedEvent,
    TextMessageContentEvent,
    TextMessageEndEvent,
    TextMessageStartEvent,
)
from langchain_core.messages import AIMessage

from graph.cards import order_card
from graph.intents import OrderType
from graph.models import OrderRead, OrderStatus
from restaurant.chat.events import Delivered, EventLog, Hub, id_key
from restaurant.chat.lock import SessionLock
from restaurant.services.order_events import READ_BLOCK_MS, OrderMoved, OrderPlaced

log = logging.getLogger(__name__)

NOTICES = "chat:order-updates"  # which session's log got an update, for the other replicas
NOTICES_MAXLEN = 1000
NOTICES_TTL_SECONDS = 3600

# Adds an assistant message to a chat's conversation (its checkpoint), under the session's lock.
Remember = Callable[[str, AIMessage], Awaitable[None]]

_SAID: dict[OrderStatus, str] = {
    OrderStatus.ACCEPTED: "Your order #{number} was accepted.",
    OrderStatus.PREPARING: "Your order #{number} is being prepared.",
    OrderStatus.OUT_FOR_DELIVERY: "Your order #{number} is out for delivery.",
    OrderStatus.DELIVERED: "Your order #{number} was delivered. Enjoy!",
    OrderStatus.COLLECTED: "Your order #{number} was collected. Enjoy!",
    OrderStatus.SERVED: "Your order #{number} was served. Enjoy!",
    OrderStatus.CANCELLED: "Your order #{number} was cancelled.",
}


def order_line(order: OrderRead, reason: str | None = None) -> str:
    """The one line the customer reads about the order's new status."""
    number = order.number
    if order.status is OrderStatus.READY:
        if order.type is OrderType.PICKUP:
            return f"Your order #{number} is ready for pickup."
        return f"Your order #{number} is ready."
    if order.status is OrderStatus.REJECTED:
        why = f": {reason.rstrip('.')}." if reason else "."
        return f"Sorry, the restaurant could not take your order #{number}{why}"
    said = _SAID.get(order.status)
    if said is None:
        return f"Your order #{number} is now {order.status.value.replace('_', ' ')}."
    return said.format(number=number)


def order_update_message(order: OrderRead, text: str, message_id: str) -> AIMessage:
    """The update as the conversation keeps it: the assistant's line with the order's card."""
    return AIMessage(
        content=text, id=message_id, additional_kwargs={"cards": [dict(order_card(order))]}
    )


def order_update_events(
    session_id: str, order: OrderRead, text: str, message_id: str | None = None
) -> list[BaseEvent]:
    """A short run of its own: the updated ORDER_DATA card and one line of text."""
    run_id = f"order-{order.number}-{uuid4().hex[:12]}"
    message_id = message_id or f"{run_id}-text"
    card = order_card(order)
    return [
        RunStartedEvent(thread_id=session_id, run_id=run_id),
        CustomEvent(name=card["name"], value=card["data"]),
        TextMessageStartEvent(message_id=message_id, role="assistant"),
        TextMessageContentEvent(message_id=message_id, delta=text),
        TextMessageEndEvent(message_id=message_id),
        RunFinishedEvent(thread_id=session_id, run_id=run_id),
    ]


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _before(event_id: str) -> str:
    """The stream id just before `event_id` (read_after's bound is exclusive)."""
    ms, seq = id_key(event_id)
    if seq:
        return f"{ms}-{seq - 1}"
    return f"{max(ms - 1, 0)}-18446744073709551615"


class ChatOrderUpdates:
    """Writes each move of an order to its chat session's event log (see the module)."""

    def __init__(
        self, events: EventLog, lock: SessionLock, hub: Hub, remember: Remember | None = None
    ) -> None:
        """Append through `events` under `lock`, add the message with `remember`; publish to
        this replica's `hub`."""
        self.events = events
        self.lock = lock
        self.hub = hub
        self.remember = remember
        self.origin = uuid4().hex  # this replica, in its notices
        self.block_ms = READ_BLOCK_MS  # under the Redis client's socket timeout
        self._tasks: set[asyncio.Task[None]] = set()
        self._relay: asyncio.Task[None] | None = None
        self._closing = False  # set by close(): the relay stops

    async def placed(self, event: OrderPlaced) -> None:
        """Nothing: the turn or request that placed it answered with the order."""

    async def moved(self, event: OrderMoved) -> None:
        """Write the move to the customer's chat, in the background, unless its chat turn
        answered it."""
        if event.answered or not event.session_id:
            return
        task = asyncio.create_task(self.write(event.session_id, event.order, event.reason))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def write(self, session_id: str, order: OrderRead, reason: str | None = None) -> None:
        """Append the update under the session's lock and hand it to this replica's listeners."""
        text = order_line(order, reason)
        message_id = f"order-{order.number}-{uuid4().hex}"
        events = order_update_events(session_id, order, text, message_id)
        announcement = self.events.announcement(session_id, events)
        try:
            async with self.lock.hold(session_id, first=announcement):
                # Written as the lock was taken: listeners first, then the conversation's copy.
                await self._tell(session_id, order.number, announcement.delivered())
                if self.remember is not None:
                    try:
                        await self.remember(
                            session_id, order_update_message(order, text, message_id)
                        )
                    except Exception:  # the event log has it; only a reload would miss it
                        log.exception(
                            "could not add order %s's update to chat %s's history",
                            order.number,
                            session_id,
                        )
        except Exception:
            log.exception("could not write order %s's update to chat %s", order.number, session_id)

    async def _tell(self, session_id: str, number: str, written: list[Delivered]) -> None:
        self.hub.publish(session_id, written)
        if written:
            try:
                await self._notify(session_id, written)
            except Exception:  # other replicas' sockets miss it live; a resume or reload shows it
                log.warning("could not note order %s's update for other replicas", number)

    async def _notify(self, session_id: str, written: list[Delivered]) -> None:
        fields: dict[Any, Any] = {
            "s": session_id,
            "f": written[0][0],
            "l": written[-1][0],
            "o": self.origin,
        }
        async with self.events.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(NOTICES, fields, maxlen=NOTICES_MAXLEN, approximate=True)
            pipe.expire(NOTICES, NOTICES_TTL_SECONDS)
            await pipe.execute()

    def start(self) -> None:
        """Start relaying the other replicas' updates to this replica's listeners."""
        if self._relay is None or self._relay.done():
            self._relay = asyncio.create_task(self.relay(), name="chat-order-updates")

    async def relay(self) -> None:
        """Hand each update another replica wrote to this replica's listeners of its session."""
        redis = self.events.redis
        last: str | None = None
        while not self._closing:
            try:
                if last is None:
                    newest = await redis.xrevrange(NOTICES, max="+", min="-", count=1)
                    last = _text(newest[0][0]) if newest else "0-0"
                reply: Any = await redis.xread({NOTICES: last}, block=self.block_ms)
                for _, entries in reply or []:
                    for raw_id, fields in entries:
                        last = _text(raw_id)
                        await self._relay_one({_text(k): _text(v) for k, v in fields.items()})
            except asyncio.CancelledError:
                raise
            except Exception:
                # (a cancel can surface as another error from inside redis-py's pool: the loop
                # ends on the flag, not only on CancelledError)
                if self._closing:
                    return
                log.warning("relaying order updates failed; trying again", exc_info=True)
                await asyncio.sleep(1.0)

    async def _relay_one(self, notice: dict[str, str]) -> None:
        session_id = notice.get("s", "")
        if notice.get("o") == self.origin or not self.hub.listeners(session_id):
            return
        first, last = notice.get("f", ""), notice.get("l", "")
        items = await self.events.read_after(session_id, _before(first))
        self.hub.publish(session_id, [item for item in items if id_key(item[0]) <= id_key(last)])

    async def idle(self) -> None:
        """Return once every write started so far has ended (for tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self, grace_seconds: float = 10.0) -> None:
        """Stop relaying; let the writes in flight finish for `grace_seconds`, then cancel what
        is left."""
        self._closing = True
        if self._relay is not None:
            self._relay.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._relay
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.idle(), grace_seconds)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)


__all__ = [
    "NOTICES",
    "ChatOrderUpdates",
    "Remember",
    "order_line",
    "order_update_events",
    "order_update_message",
]
