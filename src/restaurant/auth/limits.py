"""Per-address limits in Redis: how many times one client address may do something in a window.

A fixed window a key: the first hit starts it (the key's TTL), each hit counts, and past the
limit the answer is how long until the window ends (a 429's `Retry-After`). The key names the
address only by an HMAC, so Redis holds no client address.
"""

from __future__ import annotations

import hashlib
import hmac

from redis.asyncio import Redis

# Counts a hit and says how long is left of the window once the limit is passed, atomically:
# concurrent requests from one address can't slip past between a read and a write. A key left
# without a TTL (it can't be, but a limit must never last forever) gets the window again.
_HIT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
if count > tonumber(ARGV[1]) then return ttl end
return 0
"""


class AddressLimit:
    """At most `limit` hits from one client address every `window_seconds`, shared by every
    replica through Redis."""

    def __init__(
        self, redis: Redis, *, name: str, limit: int, window_seconds: int, secret: str
    ) -> None:
        self.name = name
        self.limit = limit
        self.window_seconds = window_seconds
        self._secret = secret.encode()
        self._hit = redis.register_script(_HIT)

    def key(self, address: str) -> str:
        """The Redis key counting `address`'s hits."""
        mac = hmac.new(self._secret, f"{self.name}:{address}".encode(), hashlib.sha256)
        return f"limit:{self.name}:addr:{mac.hexdigest()[:40]}"

    async def hit(self, address: str) -> int:
        """Count one hit from `address`: 0 when it is allowed, else the seconds until it is."""
        wait = await self._hit(keys=[self.key(address)], args=[self.limit, self.window_seconds])
        return max(int(wait), 1) if int(wait) else 0


__all__ = ["AddressLimit"]
