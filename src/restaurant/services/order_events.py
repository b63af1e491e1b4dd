"""The seam for the order's live parts: what `OrderService` tells once an order is placed or
moved, after the change is committed, and the restaurant-wide board stream it feeds.

`OrderService` takes one `OrderEvents`; `services.wiring` gives it an `OrderEventsFanOut` with
`BoardEvents` (below) and, once the chat starts, the chat's own listener
(`restaurant.chat.order_updates`, which writes the customer's chat).

The board stream is one Redis Stream for the whole restaurant (`BOARD_STREAM`): each placed or
moved order is appended as the board reads it (`services.board.BoardOrder`, made once at publish
time, not once per open board: from the order in hand and its customer, which the placing or
moving transaction read beside it, so the order is not read again), capped with MAXLEN ~ and kept
`ttl_seconds` after the last write. Its entry id is the SSE event's id, so a board that
reconnects with `Last-Event-ID` reads what it missed (`BoardFeed.read_after`). Live, each
process runs one reader (XREAD BLOCK on one pooled connection, however many boards are open) that
hands new entries to its local boards.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from redis.asyncio import Redis

from graph.models import OrderRead
from restaurant.db.models.orders import OrderStatus
from restaurant.services.lifecycle import Actor

log = logging.getLogger(__name__)

BOARD_STREAM = "staff:orders:events"
# How long one XREAD BLOCK waits for new entries: under the Redis client's socket timeout (5 s
# in redis-py), which would otherwise end an idle wait as a TimeoutError, a logged failure and a
# second's pause before reading again, during which new entries wait.
READ_BLOCK_MS = 2_000


@dataclass(frozen=True)
class Customer:
    """The order's customer as read in the transaction that placed or moved it: with the order,
    all its board entry shows, so the board need not read the order again."""

    name: str | None
    phone: str


@dataclass(frozen=True)
class OrderPlaced:
    """A new order, and the chat session it was placed from."""

    order: OrderRead
    session_id: str
    customer: Customer | None = None  # None: the board reads the order itself


@dataclass(frozen=True)
class OrderMoved:
    """An order after a move: where it was, who moved it and why, and when."""

    order: OrderRead
    session_id: str
    previous: OrderStatus
    actor: Actor
    staff_name: str | None
    reason: str | None
    at: datetime
    customer: Customer | None = None  # None: the board reads the order itself
    # Shown to the customer in its chat already: a cancel said in the chat, whose turn answered
    # with the card. Any other move (the staff's, a cancel over REST) is written to the chat.
    answered: bool = False


class OrderEvents(Protocol):
    """Told of each placed and moved order, after its transaction committed. A failure here is
    logged by the service and never undoes or fails the change."""

    async def placed(self, event: OrderPlaced) -> None:
        """A new order was placed."""

    async def moved(self, event: OrderMoved) -> None:
        """An order moved from one status to another."""


class NoOrderEvents:
    """Tells no one: the default until the live board and chat updates are built."""

    async def placed(self, event: OrderPlaced) -> None:
        """Nothing."""

    async def moved(self, event: OrderMoved) -> None:
        """Nothing."""


class OrderEventsFanOut:
    """Tells its listeners all at once; one that fails is logged and the others are told."""

    def __init__(self, *listeners: OrderEvents) -> None:
        """Listeners may also be added later (`add`), as the chat does when it starts."""
        self._listeners: list[OrderEvents] = list(listeners)

    def add(self, listener: OrderEvents) -> None:
        """Tell `listener` too, from now on."""
        self._listeners.append(listener)

    def remove(self, listener: OrderEvents) -> None:
        """Stop telling `listener` (a no-op if it was not told)."""
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    async def placed(self, event: OrderPlaced) -> None:
        """Tell every listener, all at once."""
        await _all_at_once([_told(each.placed(event), "placed") for each in list(self._listeners)])

    async def moved(self, event: OrderMoved) -> None:
        """Tell every listener, all at once: the customer's chat does not wait for the board's
        write to the board stream."""
        await _all_at_once([_told(each.moved(event), "moved") for each in list(self._listeners)])


async def _all_at_once(telling: list[Coroutine[Any, Any, None]]) -> None:
    """The first (the board's) runs in this task, at once; the others in tasks of their own. A
    task starts only on the event loop's next round, which on a busy process is tens of ms."""
    if not telling:
        return
    others = [asyncio.ensure_future(each) for each in telling[1:]]
    try:
        await telling[0]
    finally:
        if others:
            await asyncio.gather(*others)


async def _told(telling: Awaitable[None], what: str) -> None:
    try:
        await telling
    except Exception:
        log.exception("an order events listener failed on a %s order", what)


BoardEntry = tuple[str, str]  # (stream id, the order's JSON as the board reads it)


class _Listener:
    """One open board's queue of new entries; `closed` once the feed stops or it fell behind."""

    def __init__(self, limit: int) -> None:
        self.queue: asyncio.Queue[BoardEntry | None] = asyncio.Queue()
        self.limit = limit
        self.closed = False

    def put(self, entry: BoardEntry) -> None:
        if self.closed:
            return
        if self.queue.qsize() >= self.limit:
            # A board that stopped reading: end its stream; it resumes with Last-Event-ID.
            self.close()
            return
        self.queue.put_nowait(entry)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.queue.put_nowait(None)

    async def get(self, wait: float) -> BoardEntry | None:
        """The next entry; None after `wait` seconds, or once closed (then `closed` is set)."""
        if not self.queue.empty():
            return self.queue.get_nowait()
        try:
            return await asyncio.wait_for(self.queue.get(), wait)
        except TimeoutError:
            return None


def _decoded(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _board_entries(entries: Any) -> list[BoardEntry]:
    out: list[BoardEntry] = []
    for raw_id, fields in entries or []:
        data = (fields or {}).get(b"o") or (fields or {}).get("o")
        if data is not None:
            out.append((_decoded(raw_id), _decoded(data)))
    return out


class BoardFeed:
    """The restaurant-wide stream of placed and moved orders: written by `BoardEvents`, read by
    the boards' SSE streams (`GET /api/v1/staff/events`)."""

    def __init__(
        self,
        redis: Redis,
        *,
        maxlen: int = 10_000,
        ttl_seconds: int = 86_400,
        block_ms: int = READ_BLOCK_MS,
        queue_limit: int = 1_000,
    ) -> None:
        """Keep about `maxlen` entries, for `ttl_seconds` after the last write."""
        self.redis = redis
        self.maxlen = maxlen
        self.ttl_seconds = ttl_seconds
        self.block_ms = block_ms
        self.queue_limit = queue_limit
        self._listeners: set[_Listener] = set()
        self._reader: asyncio.Task[None] | None = None
        self._closed = False

    async def append(self, order_json: str) -> str:
        """Append one order as the board reads it (and refresh the key's TTL); its stream id."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(BOARD_STREAM, {"o": order_json}, maxlen=self.maxlen, approximate=True)
            pipe.expire(BOARD_STREAM, self.ttl_seconds)
            replies = await pipe.execute()
        return _decoded(replies[0])

    async def read_after(self, after: str, *, count: int = 1_000) -> list[BoardEntry]:
        """The entries after the id `after`, oldest first."""
        entries = await self.redis.xrange(BOARD_STREAM, min=f"({after}", max="+", count=count)
        return _board_entries(entries)

    @contextlib.contextmanager
    def listen(self) -> Iterator[_Listener]:
        """New entries for the block's duration (the process's one reader starts if need be)."""
        listener = _Listener(self.queue_limit)
        if self._closed:
            listener.close()
        self._listeners.add(listener)
        if not self._closed and (self._reader is None or self._reader.done()):
            self._reader = asyncio.create_task(self._read(), name="board-feed")
        try:
            yield listener
        finally:
            self._listeners.discard(listener)

    async def _read(self) -> None:
        last: str | None = None
        while self._listeners and not self._closed:
            try:
                if last is None:
                    newest = await self.redis.xrevrange(BOARD_STREAM, max="+", min="-", count=1)
                    last = _decoded(newest[0][0]) if newest else "0-0"
                reply: Any = await self.redis.xread({BOARD_STREAM: last}, block=self.block_ms)
            except Exception:
                log.warning("reading the board stream failed; trying again", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            for _, entries in reply or []:
                for entry in _board_entries(entries):
                    last = entry[0]
                    for listener in list(self._listeners):
                        listener.put(entry)

    async def close(self) -> None:
        """Stop the reader and end every board's stream (at shutdown, before Redis closes)."""
        self._closed = True
        for listener in list(self._listeners):
            listener.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader


class BoardReader(Protocol):
    """How the board reads one order (`services.board.BoardService`; not imported here, since
    that module reads the orders' tables from `services.orders`, which imports this one)."""

    async def order(self, number: str) -> Any:
        """The order as the board shows it (a pydantic model), or None."""

    def entry(self, order: OrderRead, customer: Customer) -> Any:
        """The same, made from an order in hand and its customer, without reading it."""


class BoardEvents:
    """Appends each placed and moved order to the board stream, as the board reads it."""

    def __init__(self, feed: BoardFeed, board: BoardReader) -> None:
        """Each event's order is made into its board entry through `board`, from the event
        (or, when the event lacks its customer, read again), then appended to `feed`."""
        self.feed = feed
        self.board = board

    async def _append(self, order: OrderRead, customer: Customer | None) -> None:
        # From the order in hand: no second read of it, on a connection from a pool that a busy
        # process's turns share, between the commit and the board.
        entry = (
            self.board.entry(order, customer)
            if customer is not None
            else await self.board.order(order.number)
        )
        if entry is not None:
            await self.feed.append(entry.model_dump_json())

    async def placed(self, event: OrderPlaced) -> None:
        """A new order goes on the board."""
        await self._append(event.order, event.customer)

    async def moved(self, event: OrderMoved) -> None:
        """A moved order goes to its new column (or off the board once final)."""
        await self._append(event.order, event.customer)


__all__ = [
    "BOARD_STREAM",
    "READ_BLOCK_MS",
    "BoardEntry",
    "BoardEvents",
    "BoardFeed",
    "BoardReader",
    "Customer",
    "NoOrderEvents",
    "OrderEvents",
    "OrderEventsFanOut",
    "OrderMoved",
    "OrderPlaced",
]
