"""Transcripts written to MongoDB off the hot path.

A turn only puts its record (a plain `TranscriptRecord`) in a bounded in-memory buffer: it never
awaits MongoDB and needs no Beanie binding, so turns taken while MongoDB is still down are kept
too. One background worker writes the buffer in batches (`restaurant.services.transcripts` holds
the record and the MongoDB writes). A write that fails (MongoDB slow, down or not
yet initialised) is retried with exponential backoff, oldest records first, and the records stay
in the buffer meanwhile. Each record has its `_id` from the start, so a batch retried after a
write that did land in part adds no duplicates. Only when the buffer is full is the oldest record
dropped, and every drop is counted and logged: nothing is lost silently. `stats` shows the
counters.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from restaurant.services.transcripts import TranscriptRecord, write_transcripts

log = logging.getLogger(__name__)


Init = Callable[[], Awaitable[None]]
Writer = Callable[[Sequence[TranscriptRecord]], Awaitable[None]]


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
    write: Writer = write_transcripts
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
