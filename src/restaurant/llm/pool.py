"""The endpoint pool: which OpenAI-compatible endpoint (URL + key) serves the next model call.

Every replica shares the pool's state through Redis, with core commands and one Lua script (no
modules), so it works on Redis 6.2+ and Valkey:

- **rate limits**: fixed one-minute windows, `INCR`/`INCRBY` + `EXPIRE` on
  `{prefix}:{endpoint}:req:{window}` and `...:tok:{window}`. A call reserves one request and an
  estimate of its tokens before it is sent and corrects the tokens by what the answer reports.
  Choosing and reserving are one script (`acquire`), so a replica can't take a request another
  one took between its read and its write, and a call pays one round trip for both.
- **cooldown**: a 429 sets `{prefix}:{endpoint}:cooldown` with the Retry-After (seconds, an HTTP
  date, or `retry-after-ms`; `cooldown_seconds` when absent) as its time-to-live.
- **circuit breaker**: `...:fails` counts consecutive failures (timeouts, 5xx, refused
  connections, bad keys); at `failure_threshold` the breaker opens (`...:open` with
  `open_seconds` to live). When that key expires the endpoint is half-open: one replica wins the
  probe (`...:probe`, set by the script that saw none), a success closes the breaker (`fails`
  deleted), a failure opens it again.

A success costs the customer no round trip (the answer has arrived; its bookkeeping can wait),
and most successes cost none at all:

- **breaker**: the acquire reported whether the endpoint had no failures and no probe. When it
  had none, and this pool recorded no failure since, the success has no breaker to close and
  deletes nothing. Otherwise it deletes `fails` and `probe` at once, in the background, for
  every replica to see; this pool's next acquire waits for that write. A failure another
  replica records while a clean call is in flight is not cleared by that call's success: it
  came after the call started, so the answer says nothing about it (the next call clears it).
- **tokens**: the correction (what the answer used minus the estimate) waits in memory, summed
  by endpoint and window, for this pool's next acquire, whose script applies it before choosing
  (one `INCRBY` in a round trip the call makes anyway). With no acquire within
  `correction_seconds` it is written on its own. Every replica counts a call's estimate while
  the call runs; the others go on counting it up to that much longer after it answers (less
  when this replica is busy: it acquires sooner). A correction whose window has ended is
  dropped: nothing reads an ended window. `states` and `recorded` (so the model's `aclose`)
  write what waits first.

`acquire` picks the least-loaded endpoint that is neither cooling, open nor at a limit; when none
is left it raises `PoolExhausted`, which the graph answers offline.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import math
import time
from collections.abc import Callable, Collection, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Literal, Protocol

from pydantic import SecretStr
from redis.asyncio import Redis

from graph.llm import ModelUnavailable
from restaurant.settings import LLMEndpoint

log = logging.getLogger(__name__)
Breaker = Literal["closed", "open", "half_open"]
# A Retry-After longer than this is treated as this: a bogus header must not disable a key for days.
MAX_COOLDOWN_SECONDS = 3600.0


class PoolExhausted(ModelUnavailable):
    """Every endpoint is cooling down, open or at its rate limit: this turn is answered offline."""

    def __init__(self, reasons: Mapping[str, str]) -> None:
        self.reasons = dict(reasons)
        detail = "; ".join(f"{name}: {why}" for name, why in self.reasons.items()) or "no endpoint"
        super().__init__(f"no model endpoint available ({detail})")


@dataclass(frozen=True)
class Endpoint:
    """One OpenAI-compatible endpoint; `id` is stable across replicas and never shows the key."""

    id: str
    base_url: str | None
    api_key: SecretStr | None
    requests_per_minute: int
    tokens_per_minute: int

    @classmethod
    def of(cls, settings: LLMEndpoint) -> Endpoint:
        """The endpoint of one configured pool entry."""
        key = settings.api_key.get_secret_value() if settings.api_key else ""
        digest = hashlib.sha256(f"{settings.base_url or ''}\0{key}".encode()).hexdigest()
        return cls(
            id=digest[:12],
            base_url=settings.base_url,
            api_key=settings.api_key,
            requests_per_minute=settings.requests_per_minute,
            tokens_per_minute=settings.tokens_per_minute,
        )


@dataclass(frozen=True)
class PoolConfig:
    """How the pool cools, breaks and counts."""

    cooldown_seconds: float = 60.0  # after a 429 without Retry-After
    failure_threshold: int = 3  # consecutive failures that open the breaker
    open_seconds: float = 30.0  # how long an open breaker waits before a half-open probe
    probe_seconds: float = 30.0  # how long one probe holds a half-open endpoint (≥ the timeout)
    window_seconds: int = 60  # the rate-limit window
    # How long a token correction waits for this pool's next acquire to carry it.
    correction_seconds: float = 0.5
    prefix: str = "llm:pool"


@dataclass(frozen=True)
class Lease:
    """One call's reservation on an endpoint."""

    endpoint: Endpoint
    window: int
    tokens: int  # the estimate reserved in the window
    probe: bool  # the half-open probe of this endpoint
    # When the acquire found the endpoint without failures or a probe: the pool's failure count
    # as it asked. None when it found some (or nobody looked). A success closes the breaker
    # unless the lease is clean and the pool has recorded no failure since.
    clean_at: int | None = None


@dataclass(frozen=True)
class EndpointState:
    """What Redis says about one endpoint now."""

    endpoint: Endpoint
    requests: int  # this window
    tokens: int  # this window
    cooling_for: float  # seconds of cooldown left; 0 when not cooling
    failures: int  # consecutive
    breaker: Breaker
    probing: bool  # a half-open probe is in flight

    def load(self, estimate: int) -> float:
        """The larger share of the request and token limits this call would bring it to."""
        requests = (self.requests + 1) / max(self.endpoint.requests_per_minute, 1)
        tokens = (self.tokens + estimate) / max(self.endpoint.tokens_per_minute, 1)
        return max(requests, tokens)


def retry_after_seconds(
    headers: Mapping[str, str], *, now: Callable[[], float] = time.time
) -> float | None:
    """The wait a 429 asks for: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date."""
    lowered = {k.lower(): v for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - now()
        except (TypeError, ValueError, IndexError):
            return None
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_COOLDOWN_SECONDS)


def _state_keys(window: int) -> tuple[str, ...]:
    """The pieces of an endpoint's state, in the order `states()` and the script read them."""
    return (f"req:{window}", f"tok:{window}", "cooldown", "fails", "open", "probe")


def _decode(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


# Why an endpoint was passed over, by the script's code (its value: milliseconds of cooldown).
_REASONS = {
    "cooling": "cooling down for {:.1f}s",
    "open": "circuit open",
    "probing": "half-open, probe in flight",
    "excluded": "failed during this call",
    "requests": "request limit reached",
    "tokens": "token limit reached",
}

# KEYS: six per endpoint, in `_state_keys` order. ARGV: the call's token estimate, the window
# keys' time to live, the breaker's failure threshold, a probe's lease in ms, then per endpoint
# its requests and tokens per minute, 1 when this call already failed there, and this replica's
# token correction for the window (applied first; dropped when the window's counter is gone).
# Returns {chosen endpoint (1-based, 0 for none), 1 when the call is the half-open probe,
# 1 when the chosen endpoint had no failures and no probe, then a "code:value" reason per
# endpoint}. Same rules as `states()` + the choice in `acquire`.
_ACQUIRE = """
local estimate = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local threshold = tonumber(ARGV[3])
local values = redis.call('MGET', unpack(KEYS))
local reasons = {}
local best, best_load, best_probe, best_clean = 0, nil, 0, 0
for i = 0, #KEYS / 6 - 1 do
  local base = i * 6
  local requests = tonumber(values[base + 1]) or 0
  local tokens = tonumber(values[base + 2]) or 0
  local failures = tonumber(values[base + 4]) or 0
  local rpm = tonumber(ARGV[5 + i * 4])
  local tpm = tonumber(ARGV[6 + i * 4])
  local correction = tonumber(ARGV[8 + i * 4])
  if correction ~= 0 and values[base + 2] then
    tokens = redis.call('INCRBY', KEYS[base + 2], correction)
  end
  local cooling = 0
  if values[base + 3] then
    cooling = redis.call('PTTL', KEYS[base + 3])
  end
  local reason = 'candidate:'
  if cooling > 0 then
    reason = 'cooling:' .. cooling
  elseif values[base + 5] then
    reason = 'open:'
  elseif failures >= threshold and values[base + 6] then
    reason = 'probing:'
  elseif ARGV[7 + i * 4] == '1' then
    reason = 'excluded:'
  elseif requests >= rpm then
    reason = 'requests:'
  elseif tokens > 0 and tokens + estimate > tpm then
    reason = 'tokens:'
  else
    local load = math.max((requests + 1) / math.max(rpm, 1), (tokens + estimate) / math.max(tpm, 1))
    if best_load == nil or load < best_load then
      best, best_load = i + 1, load
      best_probe = failures >= threshold and 1 or 0
      best_clean = (failures == 0 and not values[base + 6]) and 1 or 0
    end
  end
  reasons[i + 1] = reason
end
if best > 0 then
  local base = (best - 1) * 6
  if best_probe == 1 then
    redis.call('SET', KEYS[base + 6], '1', 'PX', ARGV[4])
  end
  if redis.call('INCR', KEYS[base + 1]) == 1 then
    redis.call('EXPIRE', KEYS[base + 1], ttl)
  end
  if redis.call('INCRBY', KEYS[base + 2], estimate) == estimate then
    redis.call('EXPIRE', KEYS[base + 2], ttl)
  end
  reasons[best] = 'chosen:'
end
local result = {best, best_probe, best_clean}
for i = 1, #reasons do
  result[#result + 1] = reasons[i]
end
return result
"""


class _Counters(Protocol):
    """The two commands `EndpointPool._add` queues (in a Redis pipeline)."""

    def incrby(self, name: str, amount: int = 1) -> Any:
        """Queue INCRBY."""
        ...

    def expire(self, name: str, time: int) -> Any:
        """Queue EXPIRE."""
        ...


class EndpointPool:
    """Chooses endpoints and records how they answered, in Redis shared by all replicas."""

    def __init__(
        self,
        redis: Redis,
        endpoints: Sequence[Endpoint],
        config: PoolConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.redis = redis
        self.endpoints = list(endpoints)
        self.config = config or PoolConfig()
        self.clock = clock
        self._acquire = redis.register_script(_ACQUIRE)
        self._failures = 0  # moves with every failure this pool records (see `failed`)
        # Token corrections not yet written, by endpoint and window.
        self._corrections: dict[tuple[Endpoint, int], int] = {}
        self._flush: asyncio.TimerHandle | None = None  # writes them when no acquire comes
        self._writing: set[asyncio.Task[None]] = set()  # background writes in flight

    def key(self, endpoint: Endpoint, what: str) -> str:
        """The Redis key of one piece of an endpoint's state."""
        return f"{self.config.prefix}:{endpoint.id}:{what}"

    def window(self) -> int:
        """The current rate-limit window number."""
        return int(self.clock() // self.config.window_seconds)

    async def states(self) -> list[EndpointState]:
        """Every endpoint's counters, cooldown and breaker, read in one round trip."""
        await self.recorded()
        window = self.window()
        pipe = self.redis.pipeline(transaction=False)
        for endpoint in self.endpoints:
            requests, tokens, cooldown, fails, is_open, probe = (
                self.key(endpoint, what) for what in _state_keys(window)
            )
            pipe.get(requests)
            pipe.get(tokens)
            pipe.pttl(cooldown)
            pipe.get(fails)
            pipe.exists(is_open)
            pipe.exists(probe)
        values = await pipe.execute()
        states: list[EndpointState] = []
        for index, endpoint in enumerate(self.endpoints):
            requests, tokens, cooldown_ms, fails, is_open, probing = values[
                index * 6 : index * 6 + 6
            ]
            failures = int(fails or 0)
            breaker: Breaker = "closed"
            if is_open:
                breaker = "open"
            elif failures >= self.config.failure_threshold:
                breaker = "half_open"
            states.append(
                EndpointState(
                    endpoint=endpoint,
                    requests=int(requests or 0),
                    tokens=int(tokens or 0),
                    # PTTL is -2 for a missing key and -1 for one without expiry (never set so).
                    cooling_for=max(int(cooldown_ms), 0) / 1000,
                    failures=failures,
                    breaker=breaker,
                    probing=bool(probing),
                )
            )
        return states

    async def acquire(self, estimate: int, exclude: Collection[str] = ()) -> Lease:
        """Reserve one request and `estimate` tokens on the least-loaded healthy endpoint."""
        # A breaker closing (after a failure) or corrections flushed (after a quiet spell): rare,
        # and the choice must see them.
        if self._writing:
            await asyncio.gather(*self._writing, return_exceptions=True)
        window = self.window()
        failures = self._failures  # before the script reads the breakers
        keys: list[str] = []
        args: list[int | str] = [
            estimate,
            self.config.window_seconds * 2,
            self.config.failure_threshold,
            int(self.config.probe_seconds * 1000),
        ]
        # Lost if the script fails, as a failed write loses them.
        corrections = self._corrections
        for endpoint in self.endpoints:
            keys.extend(self.key(endpoint, what) for what in _state_keys(window))
            args.extend(
                (
                    endpoint.requests_per_minute,
                    endpoint.tokens_per_minute,
                    1 if endpoint.id in exclude else 0,
                    corrections.pop((endpoint, window), 0) if corrections else 0,
                )
            )
        if not corrections and self._flush is not None:
            self._flush.cancel()
            self._flush = None
        chosen, probe, clean, *why = await self._acquire(keys=keys, args=args)
        if int(chosen) == 0:
            reasons = {}
            for endpoint, reason in zip(self.endpoints, why, strict=True):
                code, value = _decode(reason).split(":", 1)
                reasons[endpoint.id] = _REASONS[code].format(float(value or 0) / 1000)
            raise PoolExhausted(reasons)
        endpoint = self.endpoints[int(chosen) - 1]
        return Lease(
            endpoint=endpoint,
            window=window,
            tokens=estimate,
            probe=bool(int(probe)),
            clean_at=failures if int(clean) else None,
        )

    async def succeeded(self, lease: Lease, tokens: int | None = None) -> None:
        """The endpoint answered: close its breaker and count the tokens it reports, now."""
        self._correct(lease, tokens)
        await self._write(lease.endpoint)

    def record_success(self, lease: Lease, tokens: int | None = None) -> None:
        """`succeeded`, without the customer waiting and, on a clean endpoint, without a round
        trip of its own (see the module's docstring)."""
        self._correct(lease, tokens)
        if lease.clean_at != self._failures:  # None never equals the count
            self._spawn(self._record(lease.endpoint))
        elif self._corrections and self._flush is None:
            self._flush = asyncio.get_running_loop().call_later(
                self.config.correction_seconds, self._write_corrections
            )

    async def recorded(self) -> None:
        """Write the token corrections waiting here and wait for every background write (errors
        are logged)."""
        self._write_corrections()
        if self._writing:
            await asyncio.gather(*self._writing, return_exceptions=True)

    def _correct(self, lease: Lease, tokens: int | None) -> None:
        if tokens is not None and tokens != lease.tokens:
            key = (lease.endpoint, lease.window)
            self._corrections[key] = self._corrections.get(key, 0) + tokens - lease.tokens

    def _write_corrections(self) -> None:
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        if self._corrections:
            self._spawn(self._record(None))

    def _spawn(self, write: Coroutine[None, None, None]) -> None:
        task = asyncio.create_task(write)
        self._writing.add(task)
        task.add_done_callback(self._writing.discard)

    async def _record(self, close: Endpoint | None) -> None:
        try:
            await self._write(close)
        except Exception as exc:  # Redis away: the next acquire fails and says so
            if close is None:
                log.warning("could not write the pool's token corrections: %s", exc)
            else:
                log.warning("could not record endpoint %s's success: %s", close.id, exc)

    async def _write(self, close: Endpoint | None) -> None:
        """Delete `close`'s breaker keys, and write every token correction waiting here."""
        corrections, self._corrections = self._corrections, {}
        window = self.window()
        pipe = self.redis.pipeline(transaction=False)
        if close is not None:
            pipe.delete(self.key(close, "fails"), self.key(close, "probe"))
        for (endpoint, corrected), tokens in corrections.items():
            if corrected == window:
                self._add(pipe, endpoint, f"tok:{window}", tokens)
        if len(pipe):
            await pipe.execute()

    def _add(self, pipe: _Counters, endpoint: Endpoint, counter: str, amount: int) -> None:
        """Add `amount` to one of an endpoint's window counters, in `pipe`."""
        key = self.key(endpoint, counter)
        pipe.incrby(key, amount)
        # Should the counter be gone (a Redis restarted), it still ends with its window.
        pipe.expire(key, self.config.window_seconds * 2)

    def resized(self, lease: Lease, estimate: int) -> Lease:
        """A lease reserved before its call's estimate was known, made that estimate (the
        difference rides the next acquire, or the call's success, as a token correction)."""
        self._correct(lease, estimate)
        return dataclasses.replace(lease, tokens=estimate)

    def give_back(self, lease: Lease) -> None:
        """A lease reserved for a call that was never made: its request and tokens are
        returned to the window and its probe freed, in the background."""
        self._spawn(self._give_back(lease))

    async def _give_back(self, lease: Lease) -> None:
        window = lease.window
        pipe = self.redis.pipeline(transaction=False)
        if window == self.window():  # an ended window is read no more
            self._add(pipe, lease.endpoint, f"req:{window}", -1)
            self._add(pipe, lease.endpoint, f"tok:{window}", -lease.tokens)
        if lease.probe:
            pipe.delete(self.key(lease.endpoint, "probe"))
        try:
            if len(pipe):
                await pipe.execute()
        except Exception as exc:  # Redis away: the window ends, the probe expires
            log.warning("could not give back endpoint %s's lease: %s", lease.endpoint.id, exc)

    async def rate_limited(self, lease: Lease, retry_after: float | None) -> float:
        """A 429: cool the endpoint down for every replica; returns the cooldown in seconds."""
        seconds = self.config.cooldown_seconds if retry_after is None else retry_after
        # A zero Retry-After still skips the endpoint for this call's retries elsewhere.
        millis = max(int(seconds * 1000), 1)
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(self.key(lease.endpoint, "cooldown"), f"{self.clock() + seconds:.3f}", px=millis)
        pipe.delete(self.key(lease.endpoint, "probe"))
        await pipe.execute()
        return seconds

    async def failed(self, lease: Lease) -> Breaker:
        """A timeout, 5xx, refused connection or bad key: count it; open the breaker at N."""
        fails_key = self.key(lease.endpoint, "fails")
        pipe = self.redis.pipeline(transaction=False)
        pipe.incr(fails_key)
        # Consecutive failures far apart are not an outage: forget them after a while.
        pipe.expire(fails_key, max(int(self.config.open_seconds * 10), 600))
        # Counted as it is sent and once it is written: every success in flight, including one
        # whose acquire read the breaker before this INCR landed, then closes the breaker.
        self._failures += 1
        try:
            failures, _ = await pipe.execute()
        finally:
            self._failures += 1
        if int(failures) < self.config.failure_threshold:
            return "closed"
        opened = self.redis.pipeline(transaction=False)
        opened.set(self.key(lease.endpoint, "open"), "1", px=int(self.config.open_seconds * 1000))
        opened.delete(self.key(lease.endpoint, "probe"))
        await opened.execute()
        return "open"

    async def released(self, lease: Lease) -> None:
        """The call failed for a reason that is not the endpoint's (a bad request): free a probe."""
        if lease.probe:
            await self.redis.delete(self.key(lease.endpoint, "probe"))


__all__ = [
    "Endpoint",
    "EndpointPool",
    "EndpointState",
    "Lease",
    "PoolConfig",
    "PoolExhausted",
    "retry_after_seconds",
]
