"""The Redis checkpointer: LangGraph checkpoints in Redis core data types, each thread on a TTL.

Only core commands are used (sorted sets, hashes, MULTI pipelines, SCAN in maintenance paths), so
it runs on Redis 6.2+ and Valkey without modules. A thread is exactly three keys, all sharing one
cluster hash tag so a MULTI may touch all of them:

``{prefix}:{<thread_id>}:cp``      sorted set, every score 0, ordered by member bytes:
                                 ``ns \\0 checkpoint_id \\0 frame(parent_id, checkpoint, metadata)``
``{prefix}:{<thread_id>}:blobs``   hash ``ns \\0 channel \\0 version`` -> frame(type, bytes)
``{prefix}:{<thread_id>}:writes``  sorted set, every score 0, ``ns \\0 checkpoint_id \\0 task_id``
                                 ``\\0 idx \\0 frame(task_path, channel, type, bytes)``

Because members start with ``ns \\0 checkpoint_id \\0``, lexicographic ranges (ZRANGEBYLEX) find
the newest checkpoint of a namespace, one checkpoint, a page before a cursor, or one checkpoint's
writes without scanning, and the record rides in the member itself, so reading the latest
checkpoint is two round trips (record, then channel blobs) and writing one is a single MULTI.
Blobs are keyed by channel version, as in LangGraph's Postgres saver, so a channel that did not
change is not written again. Every command that creates or changes a key runs in the same MULTI as
the EXPIRE of all three keys, and reads refresh the TTL too: an idle thread vanishes whole.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import sys
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar, cast

import ormsgpack
from langchain_core import messages
from langchain_core.messages import BaseMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    PendingWrite,
    get_checkpoint_id,
    get_serializable_checkpoint_metadata,
    writes_sort_key,
)
from langgraph.checkpoint.serde import jsonplus as _jsonplus
from langgraph.checkpoint.serde.base import SerializerProtocol
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import WatchError
from redis.typing import EncodableT

from graph.state import CHECKPOINT_TYPES

DEFAULT_PREFIX = "lg:ckpt"
# Threads whose newest channel values are kept decoded in process (see RedisSaver.decoded_cache).
DEFAULT_DECODED_CACHE = 256
DEFAULT_TTL_SECONDS = 1800
# Members read per ZRANGEBYLEX page in alist and maintenance; pages are fetched lazily.
_PAGE = 100
_SEP = b"\x00"
_EMPTY = "empty"
_ABSENT = object()  # kept decoded for a channel whose blob is the empty marker
_SUPERSEDED = object()  # a read overtaken by a put that pruned what it was reading
_READ_TRIES = 3

T = TypeVar("T")


# What a checkpoint of the restaurant graph holds besides plain values: LangChain's messages and
# the state's own types. The serializer revives these and refuses anything else (a checkpoint
# store is not trusted to name classes to import).
STATE_TYPES: tuple[tuple[str, str], ...] = (
    *(
        (cls.__module__, cls.__name__)
        for cls in (
            messages.HumanMessage,
            messages.AIMessage,
            messages.AIMessageChunk,
            messages.SystemMessage,
            messages.ToolMessage,
            messages.RemoveMessage,
        )
    ),
    *CHECKPOINT_TYPES,
)


class MessageMemoSerializer(JsonPlusSerializer):
    """LangGraph's serializer, byte for byte, remembering each message's encoding.

    A turn's checkpoint re-encodes the whole `messages` list, though only the turn's own two
    messages are new: profiled under load, that was ~13% of the service's CPU. The messages of
    a thread's history are the same objects from turn to turn (`RedisSaver` keeps them decoded,
    `add_messages` copies the list, not the messages) and are never changed once in the state,
    so the encoding of each is kept by identity (with the object, so an id is never reused).
    """

    def __init__(self, keep: int = 8192, allowed: Iterable[tuple[str, ...]] = STATE_TYPES) -> None:
        """Remember the encodings of up to `keep` messages; revive only the `allowed` classes
        (besides the serializer's own safe types)."""
        allowed = tuple(allowed)
        super().__init__(allowed_msgpack_modules=allowed)
        self.keep = keep
        self._memo: OrderedDict[int, tuple[BaseMessage, Any]] = OrderedDict()
        # The state's own dataclasses and enums, encoded directly: LangGraph's `_msgpack_default`
        # reaches dataclasses only after some twenty checks, one of them an isinstance against a
        # runtime Protocol, and the dialogue state nests dozens of them (profiled: ~0.2 ms a turn).
        self._direct: dict[type, Callable[[Any], ormsgpack.Ext]] = {}
        for module, name, *_ in allowed:
            cls = getattr(sys.modules.get(module), name, None)
            if isinstance(cls, type) and issubclass(cls, Enum):
                self._direct[cls] = self._enum_encoder(module, name)
            elif isinstance(cls, type) and dataclasses.is_dataclass(cls):
                self._direct[cls] = self._dataclass_encoder(cls)

    def _pack(self, value: Any) -> bytes:
        return ormsgpack.packb(value, default=self._default, option=_jsonplus._option)

    def _enum_encoder(self, module: str, name: str) -> Callable[[Any], ormsgpack.Ext]:
        # the same extension as LangGraph's, so either serializer reads what the other wrote
        kind = _jsonplus.EXT_CONSTRUCTOR_SINGLE_ARG
        return lambda obj: ormsgpack.Ext(kind, self._pack((module, name, obj.value)))

    def _dataclass_encoder(self, cls: type) -> Callable[[Any], ormsgpack.Ext]:
        module, name = cls.__module__, cls.__name__
        names = tuple(f.name for f in dataclasses.fields(cls))
        kind = _jsonplus.EXT_CONSTRUCTOR_KW_ARGS
        return lambda obj: ormsgpack.Ext(
            kind, self._pack((module, name, {n: getattr(obj, n) for n in names}))
        )

    def _default(self, obj: Any) -> Any:
        direct = self._direct.get(type(obj))
        if direct is not None:
            return direct(obj)
        if not isinstance(obj, BaseMessage):
            return _jsonplus._msgpack_default(obj)
        hit = self._memo.get(id(obj))
        if hit is not None and hit[0] is obj:
            self._memo.move_to_end(id(obj))
            return hit[1]
        ext = _jsonplus._msgpack_default(obj)
        self._memo[id(obj)] = (obj, ext)
        if len(self._memo) > self.keep:
            self._memo.popitem(last=False)
        return ext

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        """As JsonPlusSerializer, byte for byte; a message or a state class is encoded once."""
        if obj is not None and not isinstance(obj, (bytes, bytearray)):
            try:
                return "msgpack", self._pack(obj)
            except ormsgpack.MsgpackEncodeError:
                pass  # whatever the plain serializer does with it (e.g. pickle fallback)
        return super().dumps_typed(obj)


def _frame(*parts: bytes) -> bytes:
    # Length-prefixed, so serialized values may contain any byte, including the separator.
    return b"".join(len(part).to_bytes(4, "big") + part for part in parts)


def _unframe(data: bytes) -> list[bytes]:
    parts: list[bytes] = []
    view = memoryview(data)
    offset = 0
    while offset < len(view):
        size = int.from_bytes(view[offset : offset + 4], "big")
        offset += 4
        parts.append(bytes(view[offset : offset + size]))
        offset += size
    return parts


def _enc(value: str, what: str) -> bytes:
    raw = value.encode()
    if _SEP in raw:
        # NUL separates the fields of a member; LangGraph never puts one in these names.
        raise ValueError(f"{what} must not contain NUL: {value!r}")
    return raw


def _prefix_range(prefix: bytes) -> tuple[bytes, bytes]:
    """ZRANGEBYLEX (min, max) of every member starting with `prefix`, which ends in NUL."""
    return b"[" + prefix, b"(" + prefix[:-1] + b"\x01"


def _glob_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)


@dataclass(frozen=True, slots=True)
class _Keys:
    checkpoints: str
    blobs: str
    writes: str

    def all(self) -> tuple[str, str, str]:
        return self.checkpoints, self.blobs, self.writes


@dataclass(frozen=True, slots=True)
class _Record:
    """One decoded member of the checkpoints sorted set."""

    member: bytes
    ns: str
    checkpoint_id: str
    parent_id: str | None
    checkpoint: dict[str, Any]
    metadata: CheckpointMetadata


Replies = Callable[[list[Any]], None]


@dataclass(slots=True)
class _Put:
    """One checkpoint write deferred by a `TurnCheckpoint`: its commands, and what to keep once
    they ran."""

    queue: Callable[[Pipeline], None]
    stored: Callable[[], None]


class TurnCheckpoint:
    """The one hook for sharing a thread's checkpoint traffic with a caller's round trips
    (`RedisSaver.turn`), for a caller that holds the thread against other writers meanwhile.

    Before or in the block, `queue_read` queues the first read of the thread's newest
    checkpoint (root namespace) in the caller's pipeline: handed the replies, the next
    `aget_tuple` of it in the block (this task) takes them instead of a round trip of its own.
    In the block, the saver's checkpoint writes (in this task) wait: `queue_writes` queues those
    waiting in the caller's MULTI pipeline. What nobody took is written as the block ends.

    `with_writes` queues the caller's own commands in every MULTI that writes checkpoints: what
    the caller commits atomically with them.

    The chat's Redis turn store reads the thread with the round trip that takes the session's
    run lock, and writes a turn's one checkpoint (`durability="exit"`) in the MULTI that
    appends the turn's last events, RUN_FINISHED among them: stored atomically with the news
    that the turn has finished, and with the turn's commit (its changes to the cart stand).
    """

    def __init__(
        self,
        saver: RedisSaver,
        thread_id: str,
        with_writes: Callable[[Pipeline], None] | None = None,
    ) -> None:
        """Nothing queued or held yet."""
        self.saver = saver
        self.thread_id = thread_id
        self._with_writes = with_writes
        self._read: tuple[str | None, list[Any]] | None = None
        self._puts: list[_Put] = []
        self._token: Token[TurnCheckpoint | None] | None = None

    def queue_read(self, pipe: Pipeline) -> Replies:
        """Queue the first read of the thread's newest checkpoint in `pipe`; the function
        returned takes the replies of the commands queued (replies never handed change nothing,
        handed ones serve one read)."""
        guess = self.saver._first_read(pipe, self.thread_id, "", None)

        def take(replies: list[Any]) -> None:
            self._read = (guess, replies)

        return take

    def queue_writes(self, pipe: Pipeline) -> Replies:
        """Queue the checkpoint writes held so far in `pipe`, a MULTI (the caller owns them from
        now on); the function returned takes their replies, once none of them is an error."""
        puts, self._puts = self._puts, []
        for put in puts:
            put.queue(pipe)
        if puts and self._with_writes is not None:
            self._with_writes(pipe)

        def take(_replies: list[Any]) -> None:
            for put in puts:
                put.stored()

        return take

    @property
    def holding(self) -> int:
        """How many checkpoint writes wait for `queue_writes`."""
        return len(self._puts)

    def _serves(self, saver: RedisSaver, thread_id: str, ns: str, cp_id: str | None) -> bool:
        """Whether the queued read answers that one: the newest checkpoint of the root."""
        wanted = (self.saver, self.thread_id, "", None)
        return self._read is not None and (saver, thread_id, ns, cp_id) == wanted

    def _take_read(self) -> tuple[str | None, list[Any]]:
        read, self._read = self._read, None  # one read only
        assert read is not None
        return read

    async def __aenter__(self) -> TurnCheckpoint:
        self._token = _TURN.set(self)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._token is not None:
            _TURN.reset(self._token)
            self._token = None
        if not self._puts:
            return
        async with self.saver.client.pipeline(transaction=True) as pipe:
            take = self.queue_writes(pipe)
            replies = await pipe.execute(raise_on_error=False)
        errors = [r for r in replies if isinstance(r, Exception)]
        if errors:
            raise errors[0]
        take(replies)


_TURN: ContextVar[TurnCheckpoint | None] = ContextVar("checkpoint_turn", default=None)

# A put's pruning when history is off (KEYS: checkpoints, blobs, writes; ARGV[1] the namespace's
# prefix `ns \0`, ARGV[2] the kept checkpoint's prefix `ns \0 id \0`, ARGV[3..] the blob fields
# it references): every other checkpoint of the namespace and their writes (the two ranges on
# either side of the kept one), and every blob of the namespace it does not reference.
_PRUNE_LUA = """
local ns, kept = ARGV[1], ARGV[2]
local first, last = '[' .. ns, '(' .. string.sub(ns, 1, -2) .. '\\1'
for _, key in ipairs({KEYS[1], KEYS[3]}) do
  redis.call('ZREMRANGEBYLEX', key, first, '(' .. kept)
  redis.call('ZREMRANGEBYLEX', key, '[' .. string.sub(kept, 1, -2) .. '\\1', last)
end
local live = {}
for i = 3, #ARGV do live[ARGV[i]] = true end
local stale = {}
for _, field in ipairs(redis.call('HKEYS', KEYS[2])) do
  if string.sub(field, 1, #ns) == ns and not live[field] then stale[#stale + 1] = field end
end
for i = 1, #stale, 1000 do
  redis.call('HDEL', KEYS[2], unpack(stale, i, math.min(i + 999, #stale)))
end
return #stale
"""


@dataclass(slots=True)
class _DecodedThread:
    """What the saver keeps decoded of one thread."""

    # (namespace, channel) -> (blob field, decoded value): the newest version seen.
    values: dict[tuple[str, str], tuple[bytes, Any]] = field(default_factory=dict)
    latest: dict[str, str] = field(default_factory=dict)  # namespace -> newest checkpoint id


class RedisSaver(BaseCheckpointSaver[str]):
    """A LangGraph checkpointer on a `redis.asyncio.Redis` client (decode_responses=False)."""

    def __init__(
        self,
        client: Redis,
        *,
        ttl_seconds: int = DEFAULT_TTL_SECONDS,
        prefix: str = DEFAULT_PREFIX,
        refresh_on_read: bool = True,
        serde: SerializerProtocol | None = None,
        decoded_cache: int = DEFAULT_DECODED_CACHE,
        cached_channels: Iterable[str] | None = None,
        history: bool = True,
    ) -> None:
        """Keep checkpoints under `prefix`; a thread's keys expire after `ttl_seconds` idle.

        With `history=False` only the newest checkpoint of each namespace is kept: every put
        removes the older ones, their writes and the blobs the new one does not reference, in
        its MULTI (`_PRUNE_LUA`). LangGraph's state history then has one entry and runs cannot
        be replayed from older steps; what a thread costs in Redis stays that of one checkpoint
        instead of growing with every turn until the TTL (a chat's `messages` blob is the whole
        conversation, written again each turn).

        The newest value of each channel (of `cached_channels`, all when None) of up to
        `decoded_cache` threads is kept decoded in process. Profiled under load, reading back
        the `messages` list (every reply with its cards) at the start of each turn was ~17% of
        the service's CPU, and the other channels were a second round trip on every turn. A blob
        is keyed by thread, namespace, channel and version, and a version's content never
        changes, so the cache needs no invalidation: a turn that another replica wrote has a
        version this one has not seen, and is read from Redis. Values are shared between turns:
        `add_messages` copies the list and keeps the message objects as they are, and the nodes
        return new values instead of changing the state in place.

        The newest checkpoint id seen of each cached thread also lets `aget_tuple` ask for its
        pending writes in the same round trip as the newest checkpoint: when the guess is right
        (the thread's last turn ran here) a turn's read is one round trip.
        """
        super().__init__(serde=serde or MessageMemoSerializer())
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive: every key needs a TTL")
        if client.connection_pool.connection_kwargs.get("decode_responses"):
            raise ValueError(
                "the checkpointer stores bytes: use a client with decode_responses=False"
            )
        self.client = client
        self.ttl_seconds = ttl_seconds
        self.prefix = prefix
        self.refresh_on_read = refresh_on_read
        self.history = history
        self.decoded_cache = decoded_cache
        self.cached_channels = None if cached_channels is None else frozenset(cached_channels)
        # thread_id -> what is kept of it, least recently used thread first.
        self._decoded: OrderedDict[str, _DecodedThread] = OrderedDict()
        self.loop: asyncio.AbstractEventLoop | None
        try:
            self.loop = asyncio.get_running_loop()
        except RuntimeError:
            self.loop = None

    # --- keys and encoding -------------------------------------------------------------------

    def _keys(self, thread_id: object) -> _Keys:
        # The braces are a cluster hash tag: a thread's keys share a slot, so one MULTI fits.
        base = f"{self.prefix}:{{{thread_id}}}"
        return _Keys(f"{base}:cp", f"{base}:blobs", f"{base}:writes")

    def _expire(self, pipe: Pipeline, keys: _Keys) -> None:
        for key in keys.all():
            pipe.expire(key, self.ttl_seconds)

    def _dump(self, value: Any) -> bytes:
        type_, data = self.serde.dumps_typed(value)
        return _frame(type_.encode(), data)

    def _load(self, framed: bytes) -> Any:
        type_, data = _unframe(framed)
        return self.serde.loads_typed((type_.decode(), data))

    def _decode_record(self, member: bytes) -> _Record:
        ns, checkpoint_id, rest = member.split(_SEP, 2)
        parent, checkpoint, metadata = _unframe(rest)
        return _Record(
            member=member,
            ns=ns.decode(),
            checkpoint_id=checkpoint_id.decode(),
            parent_id=parent.decode() or None,
            checkpoint=self._load(checkpoint),
            metadata=self._load(metadata),
        )

    @staticmethod
    def _blob_field(ns: str, channel: str, version: str | int | float) -> bytes:
        return _SEP.join(
            (_enc(ns, "checkpoint_ns"), _enc(channel, "channel"), str(version).encode())
        )

    @staticmethod
    def _checkpoint_prefix(ns: str, checkpoint_id: str) -> bytes:
        return _enc(ns, "checkpoint_ns") + _SEP + _enc(checkpoint_id, "checkpoint_id") + _SEP

    def _blob_fields(self, record: _Record) -> list[bytes]:
        versions: ChannelVersions = record.checkpoint.get("channel_versions", {})
        return [self._blob_field(record.ns, ch, ver) for ch, ver in versions.items()]

    def _cached(self, thread_id: str, ns: str, channel: str, field: bytes) -> tuple[bool, Any]:
        """(True, value) if this exact blob is kept decoded."""
        kept = self._decoded.get(thread_id)
        entry = kept.values.get((ns, channel)) if kept is not None else None
        if entry is None or entry[0] != field:
            return False, None
        self._decoded.move_to_end(thread_id)
        return True, entry[1]

    def _kept(self, thread_id: str) -> _DecodedThread | None:
        """The thread's cache entry, made if need be (None when nothing is cached)."""
        if not self.decoded_cache:
            return None
        kept = self._decoded.get(thread_id)
        if kept is None:
            kept = self._decoded[thread_id] = _DecodedThread()
            while len(self._decoded) > self.decoded_cache:
                self._decoded.popitem(last=False)
        else:
            self._decoded.move_to_end(thread_id)
        return kept

    def _keep(self, thread_id: str, ns: str, channel: str, field: bytes, value: Any) -> None:
        if self.cached_channels is not None and channel not in self.cached_channels:
            return
        kept = self._kept(thread_id)
        if kept is not None:
            kept.values[(ns, channel)] = (field, value)

    def _keep_latest(self, thread_id: str, ns: str, checkpoint_id: str) -> None:
        kept = self._kept(thread_id)
        if kept is not None:
            kept.latest[ns] = checkpoint_id

    def _decode_writes(self, members: Iterable[bytes]) -> list[PendingWrite]:
        decoded: list[tuple[tuple[str, str, int], PendingWrite]] = []
        for member in members:
            _ns, _cp, task_id, idx, rest = member.split(_SEP, 4)
            path, channel, type_, data = _unframe(rest)
            task = task_id.decode()
            value = self.serde.loads_typed((type_.decode(), data))
            decoded.append(
                (writes_sort_key(path.decode(), task, int(idx)), (task, channel.decode(), value))
            )
        # get_tuple must return writes in writes_sort_key order: (task_path, task_id, idx).
        decoded.sort(key=lambda item: item[0])
        return [write for _key, write in decoded]

    def _tuple(
        self,
        thread_id: str,
        record: _Record,
        blobs: Sequence[bytes | None],
        writes: Iterable[bytes],
        decoded: dict[str, Any] | None = None,
    ) -> CheckpointTuple:
        """The tuple of a record; `decoded` holds channel values already decoded (their
        `blobs` entries are then ignored)."""
        values: dict[str, Any] = {}
        versions: ChannelVersions = record.checkpoint.get("channel_versions", {})
        for channel, blob in zip(versions, blobs, strict=True):
            if decoded and channel in decoded:
                if decoded[channel] is not _ABSENT:
                    values[channel] = decoded[channel]
                continue
            if blob is None:
                continue
            type_, data = _unframe(blob)
            value = (
                _ABSENT
                if type_.decode() == _EMPTY
                else self.serde.loads_typed((type_.decode(), data))
            )
            blob_field = self._blob_field(record.ns, channel, versions[channel])
            self._keep(thread_id, record.ns, channel, blob_field, value)
            if value is not _ABSENT:
                values[channel] = value

        def conf(checkpoint_id: str) -> RunnableConfig:
            return {
                "configurable": {
                    "thread_id": thread_id,
                    "checkpoint_ns": record.ns,
                    "checkpoint_id": checkpoint_id,
                }
            }

        return CheckpointTuple(
            config=conf(record.checkpoint_id),
            checkpoint=cast(Checkpoint, {**record.checkpoint, "channel_values": values}),
            metadata=record.metadata,
            parent_config=conf(record.parent_id) if record.parent_id else None,
            pending_writes=self._decode_writes(writes),
        )

    # --- the async interface -----------------------------------------------------------------

    def turn(
        self, thread_id: str, *, with_writes: Callable[[Pipeline], None] | None = None
    ) -> TurnCheckpoint:
        """The hook for sharing the thread's checkpoint read and writes with a caller's round
        trips, while the caller holds the thread; `with_writes` queues the caller's commands
        in each MULTI that writes its checkpoints (see `TurnCheckpoint`)."""
        return TurnCheckpoint(self, thread_id, with_writes)

    def _first_read(
        self, pipe: Pipeline, thread_id: str, ns: str, checkpoint_id: str | None
    ) -> str | None:
        """Queue the newest (or the named) checkpoint's record, the pending writes of the
        checkpoint this process saw last of the thread (its guess, returned), and the TTLs."""
        keys = self._keys(thread_id)
        kept = self._decoded.get(thread_id)
        # The newest checkpoint this process saw of the thread: its writes are asked for at
        # once, and used only if it is still the newest.
        guess = checkpoint_id or (kept.latest.get(ns) if kept is not None else None)
        if checkpoint_id:
            lo, hi = _prefix_range(self._checkpoint_prefix(ns, checkpoint_id))
            pipe.zrangebylex(keys.checkpoints, lo, hi, 0, 1)
        else:
            lo, hi = _prefix_range(_enc(ns, "checkpoint_ns") + _SEP)
            pipe.zrevrangebylex(keys.checkpoints, hi, lo, 0, 1)
        if guess:
            pipe.zrangebylex(keys.writes, *_prefix_range(self._checkpoint_prefix(ns, guess)))
        if self.refresh_on_read:
            self._expire(pipe, keys)
        return guess

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        """The checkpoint named by `config`, or the newest one of its thread and namespace."""
        self._bind_loop()
        for _ in range(_READ_TRIES - 1):
            found = await self._get_tuple(config)
            if found is not _SUPERSEDED:
                return cast(CheckpointTuple | None, found)
        # Overtaken every time (writes faster than reads): a missing blob's channel is left
        # out, as a read of a checkpoint whose blobs expired would.
        return cast(CheckpointTuple | None, await self._get_tuple(config, last_try=True))

    async def _get_tuple(self, config: RunnableConfig, last_try: bool = False) -> object:
        """One read, in two round trips at most: the tuple, None, or `_SUPERSEDED` when a put
        pruned the checkpoint's blobs between them (history off; read it again)."""
        configurable = config["configurable"]
        thread_id = str(configurable["thread_id"])
        ns: str = configurable.get("checkpoint_ns", "")
        checkpoint_id = get_checkpoint_id(config)
        keys = self._keys(thread_id)
        writes: list[bytes] | None = None
        turn = _TURN.get()
        if turn is not None and turn._serves(self, thread_id, ns, checkpoint_id):
            guess, replies = turn._take_read()
        else:
            async with self.client.pipeline(transaction=False) as pipe:
                guess = self._first_read(pipe, thread_id, ns, checkpoint_id)
                replies = await pipe.execute()
        if not replies[0]:
            return None
        record = self._decode_record(replies[0][0])
        if guess == record.checkpoint_id:
            writes = replies[1]
        channels = list(record.checkpoint.get("channel_versions", {}))
        all_fields = self._blob_fields(record)
        decoded: dict[str, Any] = {}
        for channel, blob_field in zip(channels, all_fields, strict=True):
            hit, value = self._cached(thread_id, record.ns, channel, blob_field)
            if hit:
                decoded[channel] = value
        # Only the blobs not kept decoded are read.
        fields = [f for ch, f in zip(channels, all_fields, strict=True) if ch not in decoded]
        fetched: list[bytes | None] = []
        if fields or writes is None:
            async with self.client.pipeline(transaction=False) as pipe:
                if fields:
                    pipe.hmget(keys.blobs, fields)
                if writes is None:
                    lo, hi = _prefix_range(self._checkpoint_prefix(ns, record.checkpoint_id))
                    pipe.zrangebylex(keys.writes, lo, hi)
                replies = await pipe.execute()
            if fields:
                fetched = replies[0]
            if writes is None:
                writes = replies[-1]
        # Every version a checkpoint references has a blob (an empty channel has its marker):
        # one missing was pruned by a newer put since the record was read.
        if not self.history and not last_try and None in fetched:
            return _SUPERSEDED
        if not checkpoint_id:
            self._keep_latest(thread_id, record.ns, record.checkpoint_id)
        found = iter(fetched)
        blobs = [None if ch in decoded else next(found) for ch in channels]
        return self._tuple(thread_id, record, blobs, writes or [], decoded)

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        """Checkpoints newest first; `filter` matches metadata keys by equality.

        With `config=None` every thread is listed by SCAN, which is a maintenance path.
        """
        self._bind_loop()
        ns: str | None = None
        checkpoint_id: str | None = None
        if config is not None:
            ns = config["configurable"].get("checkpoint_ns")
            checkpoint_id = get_checkpoint_id(config)
        before_id = get_checkpoint_id(before) if before else None
        remaining = limit
        if remaining is not None and remaining <= 0:
            return
        threads: AsyncIterator[str] = (
            _single(str(config["configurable"]["thread_id"]))
            if config is not None
            else self._scan_threads()
        )
        async for thread_id in threads:
            async for tup in self._list_thread(
                thread_id, ns, checkpoint_id, before_id, filter or {}, remaining
            ):
                yield tup
                if remaining is not None:
                    remaining -= 1
                    if remaining <= 0:
                        return

    async def _list_thread(
        self,
        thread_id: str,
        ns: str | None,
        checkpoint_id: str | None,
        before_id: str | None,
        filter: dict[str, Any],
        limit: int | None,
    ) -> AsyncIterator[CheckpointTuple]:
        keys = self._keys(thread_id)
        if ns is None:
            lo, hi = b"-", b"+"
        elif checkpoint_id:
            lo, hi = _prefix_range(self._checkpoint_prefix(ns, checkpoint_id))
        else:
            lo, hi = _prefix_range(_enc(ns, "checkpoint_ns") + _SEP)
            if before_id:
                hi = b"(" + self._checkpoint_prefix(ns, before_id)
        # Without a metadata filter, a page larger than the limit would only be thrown away.
        page = min(_PAGE, limit) if limit is not None and not filter else _PAGE
        while True:
            members = cast(
                list[bytes], await self.client.zrevrangebylex(keys.checkpoints, hi, lo, 0, page)
            )
            matches: list[tuple[_Record, list[bytes]]] = []
            for member in members:
                record = self._decode_record(member)
                if checkpoint_id and record.checkpoint_id != checkpoint_id:
                    continue
                if before_id and record.checkpoint_id >= before_id:
                    continue
                if any(record.metadata.get(k) != v for k, v in filter.items()):
                    continue
                matches.append((record, self._blob_fields(record)))
            if matches:
                # One round trip for the blobs and writes of the whole page.
                async with self.client.pipeline(transaction=False) as pipe:
                    for record, fields in matches:
                        if fields:
                            pipe.hmget(keys.blobs, fields)
                        span = _prefix_range(
                            self._checkpoint_prefix(record.ns, record.checkpoint_id)
                        )
                        pipe.zrangebylex(keys.writes, *span)
                    replies = iter(await pipe.execute())
                for record, fields in matches:
                    blobs = next(replies) if fields else []
                    yield self._tuple(thread_id, record, blobs, next(replies))
            if len(members) < page:
                return
            # Resume strictly below the last member seen, so concurrent inserts never repeat one.
            hi = b"(" + members[-1]

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        """Store a checkpoint and the blobs of its changed channels in one MULTI (or hold it for
        the caller's next round trip, see `TurnCheckpoint`)."""
        self._bind_loop()
        configurable = config["configurable"]
        thread_id = str(configurable["thread_id"])
        ns: str = configurable.get("checkpoint_ns", "")
        parent_id: str | None = configurable.get("checkpoint_id")
        stored = cast(dict[str, Any], dict(checkpoint))
        values: dict[str, Any] = stored.pop("channel_values", {})
        blobs: dict[EncodableT, EncodableT] = {
            self._blob_field(ns, channel, version): (
                self._dump(values[channel]) if channel in values else _frame(_EMPTY.encode(), b"")
            )
            for channel, version in new_versions.items()
        }
        kept = [
            (channel, self._blob_field(ns, channel, version), values.get(channel, _ABSENT))
            for channel, version in new_versions.items()
        ]
        prefix = self._checkpoint_prefix(ns, checkpoint["id"])
        member = prefix + _frame(
            (parent_id or "").encode(),
            self._dump(stored),
            self._dump(get_serializable_checkpoint_metadata(config, metadata)),
        )
        keys = self._keys(thread_id)

        def queue(pipe: Pipeline) -> None:
            if blobs:
                pipe.hset(keys.blobs, mapping=blobs)
            # Putting the same checkpoint id again replaces it instead of adding a twin.
            pipe.zremrangebylex(keys.checkpoints, *_prefix_range(prefix))
            pipe.zadd(keys.checkpoints, {member: 0})
            if not self.history:
                live = [
                    self._blob_field(ns, ch, v) for ch, v in checkpoint["channel_versions"].items()
                ]
                # EVAL, not EVALSHA: no NOSCRIPT to recover from inside someone else's MULTI.
                pipe.eval(
                    _PRUNE_LUA, 3, *keys.all(), _enc(ns, "checkpoint_ns") + _SEP, prefix, *live
                )
            self._expire(pipe, keys)

        def keep() -> None:
            # Kept only once stored: the next turn of this thread on this replica reads it back
            # without decoding (the run that wrote it has ended, nothing changes it any more).
            for channel, blob_field, value in kept:
                self._keep(thread_id, ns, channel, blob_field, value)
            self._keep_latest(thread_id, ns, checkpoint["id"])

        turn = _TURN.get()
        if turn is not None and turn.saver is self:
            turn._puts.append(_Put(queue, keep))
        else:
            async with self.client.pipeline(transaction=True) as pipe:
                queue(pipe)
                await pipe.execute()
            keep()
        return {
            "configurable": {
                "thread_id": thread_id,
                "checkpoint_ns": ns,
                "checkpoint_id": checkpoint["id"],
            }
        }

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's pending writes for a checkpoint; (task_id, idx) is the identity."""
        self._bind_loop()
        if not writes:
            return
        configurable = config["configurable"]
        thread_id = str(configurable["thread_id"])
        ns: str = configurable.get("checkpoint_ns", "")
        prefix = self._checkpoint_prefix(ns, configurable["checkpoint_id"])
        task = _enc(task_id, "task_id")
        keys = self._keys(thread_id)
        async with self.client.pipeline(transaction=True) as pipe:
            for i, (channel, value) in enumerate(writes):
                # Special channels (errors, interrupts, ...) get fixed negative slots.
                idx = WRITES_IDX_MAP.get(channel, i)
                write_prefix = prefix + task + _SEP + str(idx).encode() + _SEP
                type_, data = self.serde.dumps_typed(value)
                # The value is part of the member, so an existing write for the same slot is
                # removed first: putting the same writes again leaves one copy, the latest.
                pipe.zremrangebylex(keys.writes, *_prefix_range(write_prefix))
                member = write_prefix + _frame(
                    task_path.encode(), _enc(channel, "channel"), type_.encode(), data
                )
                pipe.zadd(keys.writes, {member: 0})
            self._expire(pipe, keys)
            await pipe.execute()

    async def adelete_thread(self, thread_id: str) -> None:
        """Remove every key of the thread."""
        self._bind_loop()
        self._decoded.pop(thread_id, None)
        await self.client.unlink(*self._keys(thread_id).all())

    async def adelete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Remove the checkpoints whose metadata `run_id` is listed, and their writes (SCANs)."""
        doomed_runs = set(run_ids)
        if not doomed_runs:
            return
        async for thread_id in self._scan_threads():
            await self._drop_checkpoints(
                thread_id,
                lambda records: [r for r in records if r.metadata.get("run_id") in doomed_runs],
            )

    async def acopy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Copy every checkpoint, blob and write of one thread into another."""
        source, target = self._keys(source_thread_id), self._keys(target_thread_id)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zrange(source.checkpoints, 0, -1)
            pipe.hgetall(source.blobs)
            pipe.zrange(source.writes, 0, -1)
            checkpoints, blobs, writes = await pipe.execute()
        if not checkpoints:
            return
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zadd(target.checkpoints, dict.fromkeys(checkpoints, 0))
            if blobs:
                pipe.hset(target.blobs, mapping=blobs)
            if writes:
                pipe.zadd(target.writes, dict.fromkeys(writes, 0))
            self._expire(pipe, target)
            await pipe.execute()

    async def aprune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Keep only each namespace's newest checkpoint (`keep_latest`) or drop all (`delete`).

        `keep_latest` does not walk back to DeltaChannel snapshots; don't prune threads of graphs
        that use DeltaChannel (this project's graph does not).
        """
        if strategy == "delete":
            for thread_id in thread_ids:
                await self.adelete_thread(thread_id)
            return
        if strategy != "keep_latest":
            raise ValueError(f"unknown prune strategy {strategy!r}: use 'keep_latest' or 'delete'")

        def older(records: list[_Record]) -> list[_Record]:
            newest: dict[str, str] = {}
            for r in records:
                newest[r.ns] = max(newest.get(r.ns, r.checkpoint_id), r.checkpoint_id)
            return [r for r in records if r.checkpoint_id != newest[r.ns]]

        for thread_id in thread_ids:
            await self._drop_checkpoints(thread_id, older)

    async def _drop_checkpoints(
        self, thread_id: str, select: Callable[[list[_Record]], list[_Record]]
    ) -> None:
        """Remove the selected checkpoints, their writes and the blobs no survivor references."""
        keys = self._keys(thread_id)
        async with self.client.pipeline(transaction=True) as pipe:
            while True:
                try:
                    # Optimistic: a concurrent put restarts the loop instead of losing its blobs.
                    await pipe.watch(*keys.all())
                    members = cast(list[bytes], await pipe.zrange(keys.checkpoints, 0, -1))
                    fields = cast(list[bytes], await pipe.hkeys(keys.blobs))
                    records = [self._decode_record(m) for m in members]
                    dropped = select(records)
                    if not dropped:
                        await pipe.unwatch()  # type: ignore[no-untyped-call]
                        return
                    gone = {r.member for r in dropped}
                    live = {
                        f for r in records if r.member not in gone for f in self._blob_fields(r)
                    }
                    stale = [f for f in fields if f not in live]
                    pipe.multi()  # type: ignore[no-untyped-call]
                    for r in dropped:
                        span = _prefix_range(self._checkpoint_prefix(r.ns, r.checkpoint_id))
                        pipe.zremrangebylex(keys.checkpoints, *span)
                        pipe.zremrangebylex(keys.writes, *span)
                    if stale:
                        pipe.hdel(keys.blobs, *stale)
                    await pipe.execute()
                    return
                except WatchError:
                    continue

    async def _scan_threads(self) -> AsyncIterator[str]:
        head = f"{self.prefix}:{{"
        tail = "}:cp"
        async for key in self.client.scan_iter(
            match=_glob_escape(head) + "*" + _glob_escape(tail), count=500
        ):
            name = key.decode() if isinstance(key, bytes) else str(key)
            yield name[len(head) : -len(tail)]

    def get_next_version(self, current: str | None, channel: None) -> str:
        """A sortable version with a random tail, so forks never reuse a (channel, version) blob."""
        if current is None:
            current_v = 0
        elif isinstance(current, int):
            current_v = current
        else:
            current_v = int(current.split(".")[0])
        return f"{current_v + 1:032}.{random.random():016}"

    # --- the sync interface: runs the async one on the saver's loop, from another thread -----

    def _bind_loop(self) -> None:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        loop = self.loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is None or running is loop:
            coro.close()
            raise asyncio.InvalidStateError(
                "Synchronous calls to RedisSaver are only allowed from a thread other than its "
                "event loop's; use the async interface (`await checkpointer.aget_tuple(...)`, "
                "`await graph.ainvoke(...)`)."
            )
        return asyncio.run_coroutine_threadsafe(coro, loop).result()

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        """Sync `aget_tuple`, for other threads only."""
        return self._run(self.aget_tuple(config))

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        """Sync `alist`, for other threads only."""
        items = self.alist(config, filter=filter, before=before, limit=limit)
        while True:
            try:
                yield self._run(_next(items))
            except StopAsyncIteration:
                return

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        """Sync `aput`, for other threads only."""
        return self._run(self.aput(config, checkpoint, metadata, new_versions))

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Sync `aput_writes`, for other threads only."""
        self._run(self.aput_writes(config, writes, task_id, task_path))

    def delete_thread(self, thread_id: str) -> None:
        """Sync `adelete_thread`, for other threads only."""
        self._run(self.adelete_thread(thread_id))

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Sync `adelete_for_runs`, for other threads only."""
        self._run(self.adelete_for_runs(run_ids))

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Sync `acopy_thread`, for other threads only."""
        self._run(self.acopy_thread(source_thread_id, target_thread_id))

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Sync `aprune`, for other threads only."""
        self._run(self.aprune(thread_ids, strategy=strategy))


async def _single(value: str) -> AsyncIterator[str]:
    yield value


async def _next(items: AsyncIterator[T]) -> T:
    return await anext(items)


@asynccontextmanager
async def redis_checkpointer(
    url: str,
    *,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    max_connections: int = 50,
    pool_timeout: float = 10.0,
    prefix: str = DEFAULT_PREFIX,
    history: bool = True,
) -> AsyncIterator[RedisSaver]:
    """A RedisSaver on its own bounded connection pool for `url`, closed on exit."""
    # The default pool raises MaxConnectionsError when saturated (seen at 100 concurrent
    # sessions); a blocking pool makes callers wait up to `pool_timeout` for a connection.
    pool = BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=pool_timeout, decode_responses=False
    )
    client = Redis.from_pool(pool)
    try:
        yield RedisSaver(client, ttl_seconds=ttl_seconds, prefix=prefix, history=history)
    finally:
        await client.aclose()


__all__ = [
    "STATE_TYPES",
    "MessageMemoSerializer",
    "RedisSaver",
    "TurnCheckpoint",
    "redis_checkpointer",
]
