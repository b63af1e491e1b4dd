"""The endpoint pool: which OpenAI-compatible endpoint (URL + key) serves the next model call.

Every replica shares the pool's state through Redis, with core commands only (no Lua, no
modules), so it works on Redis 6.2+ and Valkey:

- **rate limits**: fixed one-minute windows, `INCR`/`INCRBY` + `EXPIRE` on
  `{prefix}:{endpoint}:req:{window}` and `...:tok:{window}`. A call reserves one request and an
  estimate of its tokens before it is sent and corrects the tokens by what the answer reports.
- **cooldown**: a 429 sets `{prefix}:{endpoint}:cooldown` with the Retry-After (seconds, an HTTP
  date, or `retry-after-ms`; `cooldown_seconds` when absent) as its time-to-live.
- **circuit breaker**: `...:fails` counts consecutive failures (timeouts, 5xx, refused
  connections, bad keys); at `failure_threshold` the breaker opens (`...:open` with
  `open_seconds` to live). When that key expires the endpoint is half-open: one replica wins the
  probe (`SET ...:probe NX`), a success closes the breaker (`fails` deleted), a failure opens it
  again.

`acquire` picks the least-loaded endpoint that is neither cooling, open nor at a limit; when none
is left it raises `PoolExhausted`, which the graph answers offline.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Literal

from pydantic import SecretStr
from redis.asyncio import Redis

from graph.llm import ModelUnavailable
from restaurant.settings import LLMEndpoint

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
    prefix: str = "llm:pool"


@dataclass(frozen=True)
class Lease:
    """One call's reservation on an endpoint."""

    endpoint: Endpoint
    window: int
    tokens: int  # the estimate reserved in the window
    probe: bool  # the half-open probe of this endpoint


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

    def key(self, endpoint: Endpoint, what: str) -> str:
        """The Redis key of one piece of an endpoint's state."""
        return f"{self.config.prefix}:{endpoint.id}:{what}"

    def window(self) -> int:
        """The current rate-limit window number."""
        return int(self.clock() // self.config.window_seconds)

    async def states(self) -> list[EndpointState]:
        """Every endpoint's counters, cooldown and breaker, read in one round trip."""
        window = self.window()
        pipe = self.redis.pipeline(transaction=False)
        for endpoint in self.endpoints:
            pipe.get(self.key(endpoint, f"req:{window}"))
            pipe.get(self.key(endpoint, f"tok:{window}"))
            pipe.pttl(self.key(endpoint, "cooldown"))
            pipe.get(self.key(endpoint, "fails"))
            pipe.exists(self.key(endpoint, "open"))
            pipe.exists(self.key(endpoint, "probe"))
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
        reasons: dict[str, str] = {}
        candidates: list[tuple[float, int, EndpointState]] = []
        for index, state in enumerate(await self.states()):
            endpoint = state.endpoint
            if state.cooling_for > 0:
                reasons[endpoint.id] = f"cooling down for {state.cooling_for:.1f}s"
            elif state.breaker == "open":
                reasons[endpoint.id] = "circuit open"
            elif state.breaker == "half_open" and state.probing:
                reasons[endpoint.id] = "half-open, probe in flight"
            elif endpoint.id in exclude:
                reasons[endpoint.id] = "failed during this call"
            elif state.requests >= endpoint.requests_per_minute:
                reasons[endpoint.id] = "request limit reached"
            elif state.tokens > 0 and state.tokens + estimate > endpoint.tokens_per_minute:
                reasons[endpoint.id] = "token limit reached"
            else:
                candidates.append((state.load(estimate), index, state))
        for _, _, state in sorted(candidates, key=lambda c: (c[0], c[1])):
            lease = await self._reserve(state, estimate)
            if lease is not None:
                return lease
            reasons[state.endpoint.id] = "taken by another replica"
        raise PoolExhausted(reasons)

    async def _reserve(self, state: EndpointState, estimate: int) -> Lease | None:
        endpoint = state.endpoint
        probe = state.breaker == "half_open"
        if probe:
            won = await self.redis.set(
                self.key(endpoint, "probe"),
                "1",
                nx=True,
                px=int(self.config.probe_seconds * 1000),
            )
            if not won:
                return None
        window = self.window()
        ttl = self.config.window_seconds * 2
        requests_key = self.key(endpoint, f"req:{window}")
        tokens_key = self.key(endpoint, f"tok:{window}")
        pipe = self.redis.pipeline(transaction=False)
        pipe.incr(requests_key)
        pipe.expire(requests_key, ttl)
        pipe.incrby(tokens_key, estimate)
        pipe.expire(tokens_key, ttl)
        requests, _, _, _ = await pipe.execute()
        if int(requests) > endpoint.requests_per_minute:
            # Another replica took the last request of the window between our read and INCR.
            undo = self.redis.pipeline(transaction=False)
            undo.decr(requests_key)
            undo.decrby(tokens_key, estimate)
            if probe:
                undo.delete(self.key(endpoint, "probe"))
            await undo.execute()
            return None
        return Lease(endpoint=endpoint, window=window, tokens=estimate, probe=probe)

    async def succeeded(self, lease: Lease, tokens: int | None = None) -> None:
        """The endpoint answered: close its breaker and count the tokens it reports."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.delete(self.key(lease.endpoint, "fails"), self.key(lease.endpoint, "probe"))
        if tokens is not None and tokens != lease.tokens:
            pipe.incrby(self.key(lease.endpoint, f"tok:{lease.window}"), tokens - lease.tokens)
        await pipe.execute()

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
        failures, _ = await pipe.execute()
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
