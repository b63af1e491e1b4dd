"""A per-session run lock in Redis, so runs on one session never interleave, on any replica.

The lock is `SET chat:{sid}:lock <token> NX PX ttl`. The token starts with a fencing number
(`INCR chat:{sid}:fence`), which only grows: every write a holder makes to the event log checks in
the same Lua script that the lock still holds its token, so a holder that stalled past its lease
(and lost the lock to the next run) cannot append a single event after that. While a run is in
progress a watchdog renews the lease; a replica that dies frees the session after at most `ttl`.

A second message on a busy session waits (polling with backoff and jitter, holding no connection
while it sleeps) until the lock is free or `wait` seconds have passed. Messages reaching the same
replica also queue in arrival order before this lock (`ChatRunner`), so they run in that order.

A holder's first write (a run's RUN_STARTED) can go in the round trip that takes the lock: a
`FirstWrite` runs a script that begins with `TAKE_LUA` and writes only if that took the lock
(`restaurant.chat.events.Announcement`). When the lock was busy, it is written as soon as the
lock is taken, before the holder's block starts, as any fenced write.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import uuid4

from redis.asyncio import Redis

log = logging.getLogger(__name__)

# The fencing counter lives a week past its last use: far longer than any holder of the lock
# (leases of seconds), so a counter that starts again never meets an old holder's number.
FENCE_TTL_SECONDS = 7 * 24 * 3600
# The first attempt in one round trip: take the next fencing number and try the lock with it
# (KEYS[1] the lock, KEYS[2] the fencing counter; ARGV[1] the nonce, ARGV[2] the lease in ms).
# A fragment: it leaves `number` and `taken` (false if busy) to the rest of its script. Later
# attempts retry the SET with the same token.
TAKE_LUA = f"""
local number = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], {FENCE_TTL_SECONDS})
local taken = redis.call('SET', KEYS[1], number .. ':' .. ARGV[1], 'NX', 'PX', ARGV[2])
"""
_TAKE = TAKE_LUA + "return {number, taken and 1 or 0}\n"
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


class LockTimeout(TimeoutError):
    """The session stayed busy for longer than the caller was willing to wait."""


def lock_key(session_id: str) -> str:
    """The lock's key; the hash tag keeps a session's keys in one cluster slot."""
    return f"chat:{{{session_id}}}:lock"


def fence_key(session_id: str) -> str:
    """The session's fencing counter (only ever incremented)."""
    return f"chat:{{{session_id}}}:fence"


@dataclass(frozen=True, slots=True)
class Fence:
    """Proof of holding a session's lock: the key and the token it holds."""

    key: str
    token: str

    @property
    def number(self) -> int:
        """The fencing number: larger for every later holder of the same session."""
        return int(self.token.split(":", 1)[0])


class FirstWrite(Protocol):
    """What a holder writes first, in the round trip that takes the lock when it is free."""

    async def take(self, keys: list[str], args: list[Any]) -> tuple[int, bool]:
        """Run a script that begins with `TAKE_LUA` over `keys` and `args` (more may follow
        them) and writes only if it took the lock; the fencing number and whether it did."""
        ...

    async def write(self, fence: Fence) -> None:
        """Write under a lock taken later (it was busy at first)."""
        ...


class SessionLock:
    """Acquire, renew and release the per-session run lock."""

    def __init__(
        self,
        redis: Redis,
        *,
        ttl_seconds: float = 30.0,
        wait_seconds: float = 120.0,
        poll_seconds: float = 0.01,
        max_poll_seconds: float = 0.2,
    ) -> None:
        """Leases last `ttl_seconds` (renewed while held); waiters give up after `wait_seconds`."""
        self.redis = redis
        self.ttl_ms = int(ttl_seconds * 1000)
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds
        self.max_poll_seconds = max_poll_seconds
        # EVALSHA rather than EVAL: the scripts are sent once, not with every release/renewal.
        self._take_script = redis.register_script(_TAKE)
        self._release = redis.register_script(_RELEASE)
        self._renew = redis.register_script(_RENEW)

    async def acquire(self, session_id: str) -> Fence:
        """Wait for the session's lock; raise `LockTimeout` after `wait_seconds`."""
        fence, _ = await self._take(session_id, None)
        return fence

    async def _take(self, session_id: str, first: FirstWrite | None) -> tuple[Fence, bool]:
        """Wait for the lock; the fence, and whether the first attempt took it (writing `first`)."""
        key = lock_key(session_id)
        nonce = uuid4().hex
        deadline = time.monotonic() + self.wait_seconds
        # INCR then SET NX were two round trips on every turn; one script does both (and the
        # holder's first write, if any).
        keys: list[str] = [key, fence_key(session_id)]
        args: list[Any] = [nonce, self.ttl_ms]
        if first is not None:
            number, taken = await first.take(keys, args)
        else:
            number, taken = await self._take_script(keys=keys, args=args)
        token = f"{int(number)}:{nonce}"
        if taken:
            return Fence(key=key, token=token), True
        delay = self.poll_seconds
        while True:
            if time.monotonic() >= deadline:
                raise LockTimeout(f"session {session_id} stayed busy for {self.wait_seconds:.0f}s")
            await asyncio.sleep(delay * (0.5 + random.random()))  # jitter only, not a secret
            delay = min(delay * 1.5, self.max_poll_seconds)
            if await self.redis.set(key, token, nx=True, px=self.ttl_ms):
                return Fence(key=key, token=token), False

    async def release(self, fence: Fence) -> None:
        """Free the lock if it still holds our token (never someone else's)."""
        await self._release(keys=[fence.key], args=[fence.token])

    async def renew(self, fence: Fence) -> bool:
        """Extend the lease; False if the lock was lost."""
        done = await self._renew(keys=[fence.key], args=[fence.token, self.ttl_ms])
        return bool(done)

    async def held(self, session_id: str) -> bool:
        """Whether a run holds the session now (a dead replica's lease lapses within `ttl`)."""
        return bool(await self.redis.exists(lock_key(session_id)))

    @contextlib.asynccontextmanager
    async def hold(self, session_id: str, first: FirstWrite | None = None) -> AsyncIterator[Fence]:
        """Hold the session's lock for the block, renewing the lease in the background; `first`
        is written under it before the block starts (with the taking, if the lock is free)."""
        fence, written = await self._take(session_id, first)
        # A timer, not a task: most turns end long before the first renewal is due, and a
        # watchdog task made and cancelled on every turn was measurable under load.
        watchdog = _Watchdog(self, fence)
        try:
            if first is not None and not written:
                await first.write(fence)  # the lock was busy at first; released if this fails
            yield fence
        finally:
            await watchdog.stop()
            try:
                await self.release(fence)
            except Exception:  # the lease then runs out by itself within ttl
                log.warning("could not release %s; it expires by itself", fence.key, exc_info=True)


class _Watchdog:
    """Renews a held lease every third of its time until stopped."""

    def __init__(self, lock: SessionLock, fence: Fence) -> None:
        self._lock = lock
        self._fence = fence
        self._loop = asyncio.get_running_loop()
        self._task: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = self._loop.call_later(
            lock.ttl_ms / 3000, self._due
        )

    def _due(self) -> None:
        self._timer = None
        self._task = self._loop.create_task(self._renew())

    async def _renew(self) -> None:
        try:
            if not await self._lock.renew(self._fence):
                log.error("lost the run lock %s (token %s)", self._fence.key, self._fence.token)
                return
        except Exception:  # a blip: the lease still has two thirds of its time
            log.warning("could not renew %s", self._fence.key, exc_info=True)
        self._timer = self._loop.call_later(self._lock.ttl_ms / 3000, self._due)

    async def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._timer is not None:  # set by a renewal that finished as it was cancelled
            self._timer.cancel()


__all__ = [
    "TAKE_LUA",
    "Fence",
    "FirstWrite",
    "LockTimeout",
    "SessionLock",
    "fence_key",
    "lock_key",
]
