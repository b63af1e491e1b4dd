"""One-time sign-in codes: six digits from `secrets`, kept in Redis only as an HMAC.

A code belongs to the phone it was sent to *and* to the requester that asked for it (the
session, named by its token hash): a guess is only ever compared with the guesser's own code.
So a stranger's guesses never use up the owner's tries or lock the owner out, and the answer to
a stranger is the same whether or not someone else has a code pending for that number (there is
nothing of anyone else's to compare with).

Rules:
- a code lives `ttl_seconds` (5 minutes); a new code for the same phone and requester replaces
  it but keeps the tries already used, so asking again never buys more guesses;
- every guess is counted atomically in Redis before it is compared (with `hmac.compare_digest`);
  the `max_attempts`-th wrong guess locks that requester out of that phone for `lock_seconds`
  (the right code included, and new codes);
- wrong guesses are also counted per phone, whoever made them: past `phone_fail_limit` in
  `phone_fail_window` (a day) no new code is sent to that number. This stops guessing spread
  over many sessions, each with a code of its own. It refuses new codes only: a code already
  sent keeps its own tries, so reaching the cap (which takes many codes sent to the owner's
  phone, each limited as below) never locks out a code the owner is holding;
- sends are limited per requester and phone (one per `resend_seconds`), per phone
  (`phone_limit` per `phone_window`, against SMS bombing) and per client address
  (`address_limit` per `address_window`).

What an answer says, and to whom:
- `wrong_code` with `tries_left`, `expired`, and the requester's own `locked` describe only the
  requester's own code: the owner learns how many tries are left, a stranger learns nothing
  about anyone else's code. A guess with no code of one's own is always `no_challenge`, with
  the same words, whether or not the number has a code pending elsewhere;
- sending can still say "too many codes for this number" or, past the daily cap, "locked":
  that tells of many requests or wrong tries today, never of a code pending now, and is the
  price of limiting what a number can be sent and guessed.

Keys name phones, requesters and addresses only by an HMAC, so Redis holds neither a code nor a
number, and every key expires.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from redis.asyncio import Redis

from graph.models import AuthFailure
from restaurant.auth.senders import CodeSender

CODE_DIGITS = 6
LOCK_SECONDS = 900
PHONE_FAIL_LIMIT = 30
PHONE_FAIL_WINDOW = 24 * 3600

# Checks the caps, the lock and the limits and records the send, atomically: concurrent
# requests for one phone or from one address can't slip past a limit between a read and a write.
_SEND = """
local fails = tonumber(redis.call('GET', KEYS[1]) or '0')
if fails >= tonumber(ARGV[6]) then return {'phone_locked', redis.call('TTL', KEYS[1])} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'locked', redis.call('TTL', KEYS[2])} end
local cool = redis.call('TTL', KEYS[3])
if cool > 0 then return {'too_soon', cool} end
local sent = tonumber(redis.call('GET', KEYS[4]) or '0')
if sent >= tonumber(ARGV[2]) then return {'phone_limit', redis.call('TTL', KEYS[4])} end
local from = tonumber(redis.call('GET', KEYS[5]) or '0')
if from >= tonumber(ARGV[4]) then return {'address_limit', redis.call('TTL', KEYS[5])} end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[1])
if redis.call('INCR', KEYS[4]) == 1 then redis.call('EXPIRE', KEYS[4], ARGV[3]) end
if redis.call('INCR', KEYS[5]) == 1 then redis.call('EXPIRE', KEYS[5], ARGV[5]) end
return {'ok', 0}
"""

# Stores the new code's MAC; the tries used so far survive a resend (HSETNX keeps them).
_STORE = """
redis.call('HSET', KEYS[1], 'mac', ARGV[1])
redis.call('HSETNX', KEYS[1], 'attempts', 0)
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
return 1
"""

# Counts a guess before it is compared; past the limit the requester is locked out of the phone
# and the code dropped.
_ATTEMPT = """
if redis.call('EXISTS', KEYS[2]) == 1 then return {'locked', redis.call('TTL', KEYS[2]), ''} end
local mac = redis.call('HGET', KEYS[1], 'mac')
if not mac then return {'none', 0, ''} end
local n = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if n > tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[2])
  redis.call('DEL', KEYS[1])
  return {'locked', tonumber(ARGV[2]), ''}
end
return {'try', n, mac}
"""

# A right guess consumes the code: of two concurrent right guesses only one signs in.
_CONSUME = """
if redis.call('HGET', KEYS[1], 'mac') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# A wrong guess counts against the phone's daily cap; the last allowed one locks at once.
_WRONG = """
if redis.call('INCR', KEYS[3]) == 1 then redis.call('EXPIRE', KEYS[3], ARGV[3]) end
if ARGV[1] == '1' then
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[2])
  redis.call('DEL', KEYS[1])
end
return 1
"""


@dataclass(frozen=True, slots=True)
class CodeSent:
    """A code is on its way: to which phone, and when another may be asked for."""

    phone: str
    resend_after: int
    expires_in: int


@dataclass(frozen=True, slots=True)
class CodeAccepted:
    """The code matched and is now used up."""

    phone: str


def new_code() -> str:
    """Six random digits."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


class OtpService:
    """Issues and checks one-time codes for E.164 phones (normalise them before calling), each
    code owned by the requester (a session's token hash) that asked for it."""

    def __init__(
        self,
        redis: Redis,
        sender: CodeSender,
        *,
        secret: str,
        ttl_seconds: int = 300,
        max_attempts: int = 5,
        resend_seconds: int = 30,
        lock_seconds: int = LOCK_SECONDS,
        phone_limit: int = 5,
        phone_window: int = 3600,
        phone_fail_limit: int = PHONE_FAIL_LIMIT,
        phone_fail_window: int = PHONE_FAIL_WINDOW,
        address_limit: int = 30,
        address_window: int = 900,
        brand: str = "Restaurant",
    ) -> None:
        self._redis = redis
        self.sender = sender
        self._secret = secret.encode()
        self.ttl_seconds = ttl_seconds
        self.max_attempts = max_attempts
        self.resend_seconds = resend_seconds
        self.lock_seconds = lock_seconds
        self.phone_limit = phone_limit
        self.phone_window = phone_window
        self.phone_fail_limit = phone_fail_limit
        self.phone_fail_window = phone_fail_window
        self.address_limit = address_limit
        self.address_window = address_window
        self.brand = brand
        self._send = redis.register_script(_SEND)
        self._store = redis.register_script(_STORE)
        self._attempt = redis.register_script(_ATTEMPT)
        self._consume = redis.register_script(_CONSUME)
        self._wrong = redis.register_script(_WRONG)

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def keys(self, phone: str, requester: str) -> dict[str, str]:
        """The Redis keys of a requester's code for a phone (code, lock, resend cooldown, "a
        code was sent") and of the phone's own counters (sends, wrong tries)."""
        pid = self._mac("phone", phone)[:40]
        mine = f"{pid}:{self._mac('requester', requester)[:32]}"
        return {
            "code": f"otp:code:{mine}",
            "lock": f"otp:lock:{mine}",
            "cool": f"otp:cool:{mine}",
            "sent": f"otp:sent:{mine}",
            "rate": f"otp:rate:phone:{pid}",
            "fails": f"otp:fail:{pid}",
        }

    def code_mac(self, phone: str, code: str) -> str:
        """HMAC-SHA256 of a code, bound to its phone, keyed with the app's secret."""
        return self._mac("code", f"{phone}:{code}")

    async def send(
        self, phone: str, client: str = "unknown", *, requester: str
    ) -> CodeSent | AuthFailure:
        """Send `requester` a new code for `phone` if no cap, lock or limit stands in the way."""
        keys = self.keys(phone, requester)
        address_key = f"otp:rate:addr:{self._mac('addr', client)[:40]}"
        outcome, wait = await self._send(
            keys=[keys["fails"], keys["lock"], keys["cool"], keys["rate"], address_key],
            args=[
                self.resend_seconds,
                self.phone_limit,
                self.phone_window,
                self.address_limit,
                self.address_window,
                self.phone_fail_limit,
            ],
        )
        outcome = outcome.decode() if isinstance(outcome, bytes) else str(outcome)
        wait = max(int(wait), 1)
        if outcome == "phone_locked":
            return AuthFailure(
                reason="locked",
                message=(
                    "Too many wrong codes were tried for this number today; "
                    f"ask for a new code in {_minutes(wait)}."
                ),
                retry_after=wait,
            )
        if outcome == "locked":
            return _locked(wait)
        if outcome == "too_soon":
            return AuthFailure(
                reason="too_soon",
                message=f"A code was just sent; you can ask for another in {wait} seconds.",
                retry_after=wait,
            )
        if outcome in ("phone_limit", "address_limit"):
            return AuthFailure(
                reason="too_soon",
                message=(
                    "Too many codes were asked for "
                    + ("this number" if outcome == "phone_limit" else "from this address")
                    + f"; try again in {_minutes(wait)}."
                ),
                retry_after=wait,
            )
        code = new_code()
        await self._store(
            keys=[keys["code"], keys["sent"]],
            args=[self.code_mac(phone, code), self.ttl_seconds, self.phone_window],
        )
        minutes = max(self.ttl_seconds // 60, 1)
        text = f"{code} is your {self.brand} sign-in code. It expires in {minutes} minutes."
        await self.sender.send(phone, code, text)
        return CodeSent(phone=phone, resend_after=self.resend_seconds, expires_in=self.ttl_seconds)

    async def verify(self, phone: str, code: str, *, requester: str) -> CodeAccepted | AuthFailure:
        """Check `requester`'s guess against its own code: the right code once, never while
        that requester is locked out of the phone."""
        keys = self.keys(phone, requester)
        status, count, mac = await self._attempt(
            keys=[keys["code"], keys["lock"]], args=[self.max_attempts, self.lock_seconds]
        )
        status = status.decode() if isinstance(status, bytes) else str(status)
        if status == "locked":
            return _locked(max(int(count), 1))
        if status == "none":
            # "sent" is the requester's own too: a stranger never hears "expired".
            if await self._redis.exists(keys["sent"]):
                return AuthFailure(
                    reason="expired", message="That code has expired; ask for a new one."
                )
            return NO_CODE
        stored = mac.decode() if isinstance(mac, bytes) else str(mac)
        guess = "".join(code.split())
        expected = self.code_mac(phone, guess)
        # compare_digest: how long the check takes says nothing about how close a guess was.
        if hmac.compare_digest(stored.encode(), expected.encode()):
            if await self._consume(keys=[keys["code"]], args=[stored]):
                await self._redis.delete(keys["sent"])
                return CodeAccepted(phone=phone)
            return AuthFailure(
                reason="no_challenge", message="That code was already used; ask for a new one."
            )
        tries_left = self.max_attempts - int(count)
        await self._wrong(
            keys=[keys["code"], keys["lock"], keys["fails"]],
            args=[
                "1" if tries_left <= 0 else "0",
                self.lock_seconds,
                self.phone_fail_window,
            ],
        )
        if tries_left <= 0:
            return _locked(self.lock_seconds)
        return AuthFailure(
            reason="wrong_code",
            message="That code doesn't match.",
            tries_left=tries_left,
        )


# The one answer to a guess without a code of one's own: the same words whether or not anyone
# else has a code pending for the number.
NO_CODE = AuthFailure(
    reason="no_challenge", message="No code is waiting for this number here; ask for one first."
)


def _minutes(seconds: int) -> str:
    if seconds >= 2 * 3600:
        hours = (seconds + 3599) // 3600
        return f"{hours} hours"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _locked(retry_after: int) -> AuthFailure:
    return AuthFailure(
        reason="locked",
        message=(
            f"Too many wrong codes: sign-in for this number is locked for {_minutes(retry_after)}."
        ),
        tries_left=0,
        retry_after=retry_after,
    )


__all__ = ["NO_CODE", "CodeAccepted", "CodeSent", "OtpService", "new_code"]
