"""Transcripts written to MongoDB off the hot path.

A turn only puts its record (a plain `TranscriptRecord`) in a bounded in-memory buffer: it never
awaits MongoDB and needs no Beanie binding, so turns taken while MongoDB is still down are kept
too. One background worker writes the buffer in batches into the collections of the Beanie
documents `TranscriptTurn` and `AnalyticsEvent`. A write that fails (MongoDB slow, down or not
yet initialised) is retried with exponential backoff, oldest records first, and the records stay
in the buffer meanwhile. Each record has its `_id` from the start, so a batch retried after a
write that did land in part adds no duplicates. Only when the buffer is full is the oldest record
dropped, and every drop is counted and logged: nothing is lost silently. `stats` shows the
counters.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bson import ObjectId
from bson.errors import InvalidDocument
from pymongo.errors import BulkWriteError

from restaurant.db.documents import AnalyticsEvent, TranscriptTurn
from restaurant.db.models.base import utcnow

log = logging.getLogger(__name__)

DUPLICATE_KEY = 11000


@dataclass(slots=True)
class TranscriptRecord:
    """One turn's transcript as the runner hands it over: the fields of `TranscriptTurn`."""

    session_id: str
    user_text: str
    user_id: str | None = None
    turn: int = 0
    reply_text: str = ""
    intent: str | None = None
    tools: list[str] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)
    latency_ms: float = 0.0
    llm: bool = False
    error: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    id: ObjectId = field(default_factory=ObjectId)
    orders_placed: list[dict[str, Any]] = field(init=False, repr=False)

    def document(self) -> dict[str, Any]:
        """The MongoDB document, in the shape Beanie writes and reads for `TranscriptTurn`."""
        return {
            "_id": self.id,
            "session_id": self.session_id,
            "user_id": self.user_id,
            "turn": self.turn,
            "user_text": self.user_text,
            "reply_text": self.reply_text,
            "intent": self.intent,
            "tools": self.tools,
            "cards": self.cards,
            "latency_ms": self.latency_ms,
            "llm": self.llm,
            "error": self.error,
            "created_at": self.created_at,
        }

    def __post_init__(self) -> None:
        # Made once, ids included, so a retried batch does not count an order twice.
        self.orders_placed = [
            {
                "_id": ObjectId(),
                "name": "order_placed",
                "session_id": self.session_id,
                "user_id": self.user_id,
                "data": {"number": c["data"].get("number"), "total": c["data"].get("total")},
                "created_at": self.created_at,
            }
            for c in self.cards
            if c.get("name") == "ORDER_DATA" and (c.get("data") or {}).get("status") == "placed"
        ]


Init = Callable[[], Awaitable[None]]
Writer = Callable[[Sequence[TranscriptRecord]], Awaitable[None]]


async def _insert_new(collection: Any, documents: list[dict[str, Any]]) -> None:
    """Insert the documents, skipping those a retried batch already wrote (same `_id`)."""
    try:
        await collection.insert_many(documents, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors") or []
        if not errors or any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise


async def _insert(records: Sequence[TranscriptRecord]) -> None:
    # The documents go straight to pymongo: validating each turn into a Beanie model and
    # through Beanie's encoder was ~6% of the app's CPU under load (py-spy, bench/chat.py), for
    # plain values the runner built itself. The shape is Beanie's (tests/integration read them
    # back through the documents).
    turns = [r.document() for r in records]
    try:
        await _insert_new(TranscriptTurn.get_pymongo_collection(), turns)
    except InvalidDocument:
        # A card value BSON has no type for: kept as the text JSON would show, not retried
        # forever (the cards are the JSON the client was sent).
        for turn in turns:
            turn["cards"] = json.loads(json.dumps(turn["cards"], default=str))
        await _insert_new(TranscriptTurn.get_pymongo_collection(), turns)
    orders = [event for r in records for event in r.orders_placed]
    if orders:
        await _insert_new(AnalyticsEvent.get_pymongo_collection(), orders)


@dataclass
class TranscriptStats:
    """What the writer has done so far."""

    written: int = 0
    failures: int = 0  # failed write attempts (each retried)
    dropped: int = 0  # records given up because the buffer was full
    pending: int = 0
    last_error: str | None = None


@dataclass
class TranscriptWriter:
    """A bounded buffer of transcript turns and the worker that writes them."""

    init: Init  # binds Beanie; run again after a failure, so a late MongoDB is picked up
    write: Writer = _insert
    capacity: int = 10_000
    batch: int = 100
    timeout_seconds: float = 5.0
    # A batch waits this long for more records after the first: under load a write per turn
    # was ~3% of the app's CPU (pymongo's per-call work), against one write per batch.
    linger_seconds: float = 0.5
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 30.0
    stats: TranscriptStats = field(default_factory=TranscriptStats)

    def __post_init__(self) -> None:
        self._buffer: deque[TranscriptRecord] = deque()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._ready = False

    def submit(self, turn: TranscriptRecord) -> None:
        """Queue a turn's record; never blocks and never raises."""
        if len(self._buffer) >= self.capacity:
            lost = self._buffer.popleft()
            self.stats.dropped += 1
            log.error(
                "transcript buffer full (%d): dropped the turn of session %s from %s",
                self.capacity,
                lost.session_id,
                lost.created_at.isoformat(),
            )
        self._buffer.append(turn)
        self.stats.pending = len(self._buffer)
        self._wake.set()

    def start(self) -> None:
        """Start the worker."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="transcripts")

    async def stop(self, grace_seconds: float = 3.0) -> None:
        """Try to flush for `grace_seconds`, then stop; what is left is logged as lost."""
        if self._task is None:
            return
        if self._ready:
            await self.flush(grace_seconds)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self._buffer:
            log.error("stopping with %d transcript turns unwritten", len(self._buffer))

    async def flush(self, wait: float = 10.0) -> bool:
        """Wait until the buffer is empty (tests, shutdown); False after `wait` seconds."""
        deadline = asyncio.get_running_loop().time() + wait
        while self._buffer:
            if asyncio.get_running_loop().time() >= deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    async def _run(self) -> None:
        delay = self.backoff_seconds
        while True:
            if not self._buffer:
                self._wake.clear()
                await self._wake.wait()
                if len(self._buffer) < self.batch:
                    await asyncio.sleep(self.linger_seconds)
            batch = [self._buffer[i] for i in range(min(self.batch, len(self._buffer)))]
            try:
                async with asyncio.timeout(self.timeout_seconds):
                    if not self._ready:
                        await self.init()
                        self._ready = True
                    await self.write(batch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # MongoDB down or slow: keep the records, back off
                self._ready = False
                self.stats.failures += 1
                self.stats.last_error = f"{type(exc).__name__}: {exc}"[:300]
                log.warning(
                    "transcript write failed (%d pending, retry in %.1fs): %s",
                    len(self._buffer),
                    delay,
                    self.stats.last_error,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_backoff_seconds)
                continue
            delay = self.backoff_seconds
            # The batch is the buffer's head unless drops happened meanwhile; remove by identity.
            written = {id(t) for t in batch}
            self._buffer = deque(t for t in self._buffer if id(t) not in written)
            self.stats.written += len(batch)
            self.stats.pending = len(self._buffer)

    def describe(self) -> dict[str, Any]:
        """The counters as plain values."""
        return {
            "written": self.stats.written,
            "failures": self.stats.failures,
            "dropped": self.stats.dropped,
            "pending": len(self._buffer),
            "last_error": self.stats.last_error,
        }


__all__ = ["TranscriptRecord", "TranscriptStats", "TranscriptWriter"]
