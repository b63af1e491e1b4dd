"""The per-session event log (a Redis Stream) and the in-process hub that pushes it live.

Every AG-UI event of a run is appended with XADD (MAXLEN ~ and a TTL on the key), in a Lua script
that first checks the run still holds the session's lock (the fence, see `restaurant.chat.lock`).
A run's first events (RUN_STARTED, an `Announcement`) go in the script that takes the lock, when
it is free: one round trip where there were two, and written only if the lock was taken.
The stream entry id is the event id: SSE sends it as `id:`, every event carries it in
`metadata.eventId`, and a client that reconnects with `Last-Event-ID` is sent what follows it,
from Redis, on whichever replica it reaches.

Live delivery does not hold a Redis connection per listener: the replica running a turn pushes
each appended event to its local `Hub`, and only a listener on another replica polls the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, cast

from ag_ui.core import BaseEvent
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import NoScriptError

from restaurant.agui.encoding import from_json, plain_json
from restaurant.agui.mapping import error_run, is_terminal, run_id_of, type_of
from restaurant.chat.lock import TAKE_LUA, Fence

# Both scripts below append with this: ARGV[first..] to `stream` (MAXLEN ~ `maxlen`, the key kept
# `ttl` seconds); their ids, or the first error as redis.pcall gives it ({err = ...}).
_XADD_LUA = """
local function append(stream, maxlen, ttl, first)
  local ids = {}
  for i = first, #ARGV do
    local id = redis.pcall('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'e', ARGV[i])
    if type(id) == 'table' then return id end
    ids[#ids + 1] = id
  end
  redis.call('EXPIRE', stream, ttl)
  return ids
end
"""
_APPEND = (
    _XADD_LUA
    + """
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED: the run lost its session lock')
end
return append(KEYS[2], ARGV[2], ARGV[3], 4)
"""
)
# The lock's first attempt (KEYS[1..2], ARGV[1..2]: see `TAKE_LUA`), then, only if it took the
# lock, the append to KEYS[3]. An append that fails gives the lock back (this script took it) and
# the error: the caller holds nothing, as when taking the lock fails.
_TAKE_AND_APPEND = (
    TAKE_LUA
    + _XADD_LUA
    + """
if not taken then return {number, 0} end
local ids = append(KEYS[3], ARGV[3], ARGV[4], 5)
if ids.err then
  redis.call('DEL', KEYS[1])
  return ids
end
return {number, 1, ids}
"""
)

Delivered = tuple[str, BaseEvent]  # (event id, event); the id is "" when the log was unreachable
# Commands another part queues in a pipeline the log runs anyway (a round trip made anyway); the
# function returned takes their replies, in order.
SharedCommands = Callable[[Pipeline], Callable[[list[Any]], None]]


def queue_shared(
    pipe: Pipeline, parts: Sequence[SharedCommands]
) -> Callable[[list[Any]], list[Exception]]:
    """Queue each part's commands in `pipe` behind what it holds; the function returned hands
    each part its replies from the pipeline's whole reply list (`raise_on_error=False`), except
    a part with an error among them, and returns those errors."""
    spans: list[tuple[Callable[[list[Any]], None], int, int]] = []
    for part in parts:
        start = len(pipe)
        spans.append((part(pipe), start, len(pipe)))

    def hand(replies: list[Any]) -> list[Exception]:
        errors: list[Exception] = []
        for take, start, end in spans:
            failed = [r for r in replies[start:end] if isinstance(r, Exception)]
            if failed:
                errors.extend(failed)
            else:
                take(replies[start:end])
        return errors

    return hand


def stream_key(session_id: str) -> str:
    """The session's event stream."""
    return f"chat:{{{session_id}}}:events"


def id_key(event_id: str) -> tuple[int, int]:
    """A stream id as a comparable pair ("1700000000000-3" -> (1700000000000, 3))."""
    ms, _, seq = event_id.partition("-")
    try:
        return int(ms), int(seq or 0)
    except ValueError:
        return (0, 0)


_U64 = 2**64 - 1


def valid_id(event_id: str | None) -> bool:
    """Whether a client's Last-Event-ID is a stream id Redis takes: `ms` or `ms-seq`, each an
    unsigned 64-bit number in ASCII digits (Redis refuses a larger one as a store error)."""
    if not event_id or len(event_id) > 41:
        return False
    ms, sep, seq = event_id.partition("-")
    parts = (ms, seq) if sep else (ms,)
    return all(p.isascii() and p.isdigit() and int(p) <= _U64 for p in parts)


def _ids(reply: Any) -> list[str]:
    return [i.decode() if isinstance(i, bytes) else str(i) for i in cast(list[Any], reply)]


def _entry(entry: tuple[Any, Any]) -> Delivered | None:
    raw_id, fields = entry
    data = (fields or {}).get(b"e") or (fields or {}).get("e")
    if data is None:
        return None
    event_id = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
    return event_id, from_json(data)


class EventLog:
    """Append to and read from a session's Redis Stream of AG-UI events."""

    def __init__(self, redis: Redis, *, maxlen: int = 5000, ttl_seconds: int = 86400) -> None:
        """Keep about `maxlen` events per session, for `ttl_seconds` after the last one."""
        self.redis = redis
        self.maxlen = maxlen
        self.ttl_seconds = ttl_seconds
        # EVALSHA: the script's text is sent once (redis-py reloads it after NOSCRIPT), not on
        # every append, and Redis skips hashing it each time.
        self._append = redis.register_script(_APPEND)
        self._take_and_append_script = redis.register_script(_TAKE_AND_APPEND)

    def announcement(
        self,
        session_id: str,
        events: Sequence[BaseEvent],
        also: Sequence[SharedCommands] = (),
        *,
        begin: Sequence[SharedCommands] = (),
    ) -> Announcement:
        """A run's first events, to write as its lock is taken (`SessionLock.hold`'s `first`);
        `also` reads in the same round trip when that takes the lock (`take_and_append`), and
        `begin` goes with the events whichever way they are written (see `Announcement`)."""
        return Announcement(self, session_id, events, also, begin)

    async def append(
        self,
        session_id: str,
        events: Sequence[BaseEvent],
        fence: Fence | None,
        before: Sequence[SharedCommands] = (),
    ) -> list[str]:
        """Append the events in order (only while `fence` holds the lock); their ids.

        `before` are writes to make first, in the same MULTI (a turn's checkpoint, see
        `graph.checkpoint.TurnCheckpoint`); the first error among their replies is raised."""
        if not events and not before:
            return []
        payloads = [plain_json(e) for e in events]  # reused by the transports
        keys = [fence.key if fence else stream_key(session_id), stream_key(session_id)]
        args: list[Any] = [fence.token if fence else "", self.maxlen, self.ttl_seconds, *payloads]
        if not before:
            return _ids(await self._append(keys=keys, args=args))
        async with self.redis.pipeline(transaction=True) as pipe:
            hand = queue_shared(pipe, before)
            if payloads:
                pipe.evalsha(self._append.sha, len(keys), *keys, *args)  # as in take_and_append
            replies = await pipe.execute(raise_on_error=False)
        errors = hand(replies)
        if errors:
            raise errors[0]
        if not payloads:
            return []
        ids = replies[-1]
        if isinstance(ids, NoScriptError):
            ids = await self._append(keys=keys, args=args)  # loads it again, as in take_and_append
        elif isinstance(ids, Exception):
            raise ids
        return _ids(ids)

    async def take_and_append(
        self,
        session_id: str,
        events: Sequence[BaseEvent],
        keys: list[str],
        args: list[Any],
        also: Sequence[SharedCommands] = (),
    ) -> tuple[int, list[str] | None]:
        """Try the session's lock (`keys` and `args` of its first attempt, see `TAKE_LUA`) and
        append the events only if that took it: the fencing number, and the ids (None if busy).
        Each of `also` queues reads behind the script, in the same round trip; the replies are
        handed back only if the lock was taken (so they were read under it)."""
        keys = [*keys, stream_key(session_id)]
        args = [*args, self.maxlen, self.ttl_seconds, *(plain_json(e) for e in events)]
        script = self._take_and_append_script
        if not also:
            reply = await script(keys=keys, args=args)
        else:
            # EVALSHA by hand: a pipeline running a registered script first asks Redis whether
            # it has it (SCRIPT EXISTS), a round trip of its own.
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.evalsha(script.sha, len(keys), *keys, *args)
                hand = queue_shared(pipe, also)
                replies = await pipe.execute(raise_on_error=False)
            reply = replies[0]
            if isinstance(reply, NoScriptError):
                # Redis lost its scripts (restarted, flushed): the script object loads it again,
                # and the turn reads for itself.
                reply = await script(keys=keys, args=args)
            elif isinstance(reply, Exception):
                raise reply
            elif reply[1]:
                hand(replies)  # a read that failed is made again by its reader
        number, taken, *ids = reply
        return int(number), _ids(ids[0]) if taken else None

    async def read_after(
        self, session_id: str, after: str | None, *, count: int = 1000
    ) -> list[Delivered]:
        """Events after the id `after` (all of them when None), oldest first."""
        low = f"({after}" if after else "-"
        entries = await self.redis.xrange(stream_key(session_id), min=low, max="+", count=count)
        return [item for item in map(_entry, entries or []) if item is not None]

    async def last(self, session_id: str) -> Delivered | None:
        """The newest event of the session, if any."""
        entries = await self.redis.xrevrange(stream_key(session_id), max="+", min="-", count=1)
        return _entry(entries[0]) if entries else None


class Announcement:
    """A run's first events, appended in the round trip that takes the session's lock when it is
    free, else as soon as the lock is taken (a `FirstWrite` for `SessionLock.hold`).

    `begin` are commands that go with the events either way: behind the script that tries the
    lock (run whether it took it or not, their replies handed back only if it did), and in the
    MULTI of the append under a lock taken later. They must do no harm when run by a holder-to-be
    that then waits (the turn store's record of the run's start, see `restaurant.chat.store`).
    """

    def __init__(
        self,
        log: EventLog,
        session_id: str,
        events: Sequence[BaseEvent],
        also: Sequence[SharedCommands] = (),
        begin: Sequence[SharedCommands] = (),
    ) -> None:
        """Nothing written yet."""
        self.log = log
        self.session_id = session_id
        self.events = list(events)
        self.also = also
        self.begin = begin
        self.ids: list[str] = []

    async def take(self, keys: list[str], args: list[Any]) -> tuple[int, bool]:
        """Try the lock and append the events only if it was taken."""
        number, ids = await self.log.take_and_append(
            self.session_id, self.events, keys, args, [*self.begin, *self.also]
        )
        if ids is None:
            return number, False
        self.ids = ids
        return number, True

    async def write(self, fence: Fence) -> None:
        """Append the events (with `begin`) under a lock taken later."""
        self.ids = await self.log.append(self.session_id, self.events, fence, self.begin)

    def delivered(self) -> list[Delivered]:
        """The written events with their ids, for the hub."""
        return list(zip(self.ids, self.events, strict=True))


class Subscription:
    """One listener's queue of a session's live events, or its `deliver` callback instead."""

    def __init__(self, deliver: Callable[[Sequence[Delivered]], None] | None = None) -> None:
        """An empty queue; with `deliver`, each publish is handed to it instead (at once, in the
        publisher's task: it must be quick and never raise)."""
        self.queue: asyncio.Queue[Delivered] = asyncio.Queue()
        self.deliver = deliver

    async def get(self, wait: float | None = None) -> Delivered | None:
        """The next event, or None after `wait` seconds."""
        if not self.queue.empty():
            # Most events of a turn are already queued: no wait_for (a task and a timer each).
            return self.queue.get_nowait()
        if wait is None:
            return await self.queue.get()
        try:
            return await asyncio.wait_for(self.queue.get(), wait)
        except TimeoutError:
            return None


class Hub:
    """In-process fan-out of the events this replica appends, by session."""

    def __init__(self) -> None:
        """No listeners yet."""
        self._listeners: defaultdict[str, set[Subscription]] = defaultdict(set)

    @contextlib.contextmanager
    def subscribe(
        self, session_id: str, deliver: Callable[[Sequence[Delivered]], None] | None = None
    ) -> Iterator[Subscription]:
        """Listen to a session's events for the duration of the block (see `Subscription`)."""
        sub = Subscription(deliver)
        self._listeners[session_id].add(sub)
        try:
            yield sub
        finally:
            listeners = self._listeners.get(session_id)
            if listeners is not None:
                listeners.discard(sub)
                if not listeners:
                    del self._listeners[session_id]

    def publish(self, session_id: str, items: Sequence[Delivered]) -> None:
        """Hand events to every listener of the session."""
        for sub in self._listeners.get(session_id, ()):
            if sub.deliver is not None:
                sub.deliver(items)
                continue
            for item in items:
                sub.queue.put_nowait(item)

    def listeners(self, session_id: str) -> int:
        """How many listeners the session has here."""
        return len(self._listeners.get(session_id, ()))


async def follow(
    log: EventLog,
    hub: Hub,
    session_id: str,
    after: str | None,
    *,
    poll_seconds: float = 0.25,
    running: Callable[[str], Awaitable[bool]] | None = None,
    check_seconds: float = 1.0,
) -> AsyncIterator[Delivered]:
    """What followed `after`, then live events until the session's latest run has ended.

    Listens to the local hub first (a run on this replica), then reads the backlog from Redis,
    then polls Redis for a run going on in another replica; ids already sent are skipped.

    A run whose replica died (kill -9) never writes its end. `running(session_id)` says whether a
    run holds the session's lock; once none does (the dead run's lease lapsed) and nothing more
    was written, the stream ends with RUN_ERROR `INTERRUPTED` (no event id: it is not in the log).
    So does a run whose successor's RUN_STARTED follows it without its end.
    """
    with hub.subscribe(session_id) as sub:
        last = after
        run_id: str | None = None  # the run in progress, as far as its RUN_STARTED was seen
        backlog = await log.read_after(session_id, after)
        ended = True
        for event_id, event in backlog:
            last = event_id
            if not ended and _starts_another(event, run_id):
                yield "", interrupted(session_id, run_id)
            run_id = _run_of(event, run_id)
            ended = is_terminal(event)
            yield event_id, event
        if not backlog:
            newest = await log.last(session_id)
            ended = newest is None or is_terminal(newest[1])
        quiet_since = time.monotonic()
        while not ended:
            item = await sub.get(wait=poll_seconds)
            items = [item] if item is not None else await log.read_after(session_id, last)
            if items:
                quiet_since = time.monotonic()
            elif running is not None and time.monotonic() - quiet_since >= check_seconds:
                quiet_since = time.monotonic()
                # The lock goes after a run's last event is written: read once more after it.
                if not await running(session_id) and not await log.read_after(session_id, last):
                    yield "", interrupted(session_id, run_id)
                    return
            for event_id, event in items:
                if event_id and last and id_key(event_id) <= id_key(last):
                    continue
                if event_id:
                    last = event_id
                if event_id:  # in the log (a refused message's run is told on the hub only)
                    if _starts_another(event, run_id):
                        yield "", interrupted(session_id, run_id)
                    run_id = _run_of(event, run_id)
                ended = is_terminal(event)
                yield event_id, event
                if ended:
                    break


def interrupted(session_id: str, run_id: str | None) -> BaseEvent:
    """The end of a run that died mid-way: RUN_ERROR `INTERRUPTED`, naming the run if known."""
    return error_run(
        session_id,
        run_id or "unknown",
        "The turn was interrupted (its server stopped); send the message again.",
        "INTERRUPTED",
    )[1]


def _starts_another(event: BaseEvent, run_id: str | None) -> bool:
    return run_id is not None and type_of(event) == "RUN_STARTED" and run_id_of(event) != run_id


def _run_of(event: BaseEvent, run_id: str | None) -> str | None:
    if type_of(event) == "RUN_STARTED":
        return run_id_of(event)
    return run_id


__all__ = [
    "Announcement",
    "Delivered",
    "EventLog",
    "Hub",
    "SharedCommands",
    "Subscription",
    "follow",
    "id_key",
    "interrupted",
    "queue_shared",
    "stream_key",
    "valid_id",
]
