"""Server-side sessions: random tokens, kept in Redis only as a hash, with an idle expiry.

A session (the browser, or a curl user holding a bearer token) owns chat sessions. Each chat
session id is registered with its owning session; once the session signs in, its chats also carry
the user id, so the same customer reaches them again after signing in on a new session.

Signing in gives the session a new token (`sign_in`): the session's keys move to the new token's
hash and the old token stops working. Whoever knew the token before (one planted in a browser,
say) never holds the signed-in session: only the client whose request carried the right code is
handed the new token.

Redis keys (the token itself is never stored):
- `auth:sess:{token_hash}`: hash {user, phone, pending, created}; idle TTL, refreshed on use;
- `auth:sess:{token_hash}:chats`: set of the session's chat session ids (same TTL);
- `auth:chat:{chat_id}`: hash {owner: token_hash, user: user id or ""}; the session's TTL
  while anonymous, a week once its owner signed in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from redis.asyncio import Redis
from redis.typing import EncodableT


@dataclass(frozen=True, slots=True)
class Lookup:
    """One Redis read for a caller to run in a round trip it makes anyway, and what takes its
    reply (see `restaurant.chat.store`)."""

    command: tuple[str, ...]
    take: Callable[[Any], None]


# Chats outlive one idle session so a customer who signs in again finds them; refreshed on use.
CHAT_TTL_SECONDS = 7 * 24 * 3600
MAX_TOKEN_LENGTH = 256  # tokens are 43 characters; anything much longer is not one of ours
# A session (its idle expiry refreshed) and the owner and user of a chat, in one round trip: it
# runs for every chat message. The chat's TTL is refreshed when the caller is one of them; the
# comparison only decides that refresh, `_owned` decides ownership itself, in constant time.
_RESOLVE_CHAT = """
local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then return false end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
local session_user = ''
for i = 1, #fields, 2 do
  if fields[i] == 'user' then session_user = fields[i + 1] end
end
local owner = redis.call('HGET', KEYS[3], 'owner')
if not owner then return {fields, false, false} end
local user = redis.call('HGET', KEYS[3], 'user') or ''
if owner == ARGV[2] or (session_user ~= '' and user == session_user) then
  -- an anonymous chat lives as long as its session; a signed-in user's, a week
  if user ~= '' then redis.call('EXPIRE', KEYS[3], ARGV[3])
  else redis.call('EXPIRE', KEYS[3], ARGV[1]) end
end
return {fields, owner, user}
"""
# Moves a session to a new token hash and binds it to the user; its chat ids, or false if the
# session is gone. The old token's keys no longer exist afterwards (RENAME keeps the TTLs).
_ROTATE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('RENAME', KEYS[1], KEYS[3])
redis.call('HSET', KEYS[3], 'user', ARGV[2], 'phone', ARGV[3], 'pending', '')
redis.call('EXPIRE', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 0 then return {} end
redis.call('RENAME', KEYS[2], KEYS[4])
redis.call('EXPIRE', KEYS[4], ARGV[1])
return redis.call('SMEMBERS', KEYS[4])
"""


@dataclass(frozen=True, slots=True)
class NewSession:
    """A session just created: the token to hand out once, and its first chat session."""

    token: str
    session_id: str  # the first chat session id
    expires_in: int  # idle seconds before the session expires


@dataclass(frozen=True, slots=True)
class SignedInSession:
    """A session just signed in: its new token (hand it to the caller only) and its chats."""

    token: str
    chats: list[str]
    expires_in: int  # idle seconds before the session expires


@dataclass(frozen=True, slots=True)
class AuthSession:
    """A resolved session: who (if anyone) has signed in on it."""

    token_hash: str
    user_id: UUID | None = None
    phone: str | None = None

    @property
    def signed_in(self) -> bool:
        """Whether a verified phone is bound to the session."""
        return self.user_id is not None


def hash_token(token: str) -> str:
    """The SHA-256 of a token: 256 random bits need no key or salt."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_chat_id() -> str:
    """An unguessable chat session id (fits the 64-character session_id columns)."""
    return secrets.token_urlsafe(16)


class SessionService:
    """Creates, resolves and signs in sessions, and records which chats each one owns."""

    def __init__(
        self, redis: Redis, *, ttl_seconds: int = 1800, chat_ttl_seconds: int = CHAT_TTL_SECONDS
    ) -> None:
        self._redis = redis
        self.ttl_seconds = ttl_seconds
        self.chat_ttl_seconds = max(chat_ttl_seconds, ttl_seconds)
        self._resolve_chat = redis.register_script(_RESOLVE_CHAT)
        self._rotate = redis.register_script(_ROTATE)

    @staticmethod
    def _key(token_hash: str) -> str:
        return f"auth:sess:{token_hash}"

    @staticmethod
    def _chats_key(token_hash: str) -> str:
        return f"auth:sess:{token_hash}:chats"

    @staticmethod
    def _chat_key(chat_id: str) -> str:
        return f"auth:chat:{chat_id}"

    async def create(self) -> NewSession:
        """A new anonymous session with its first chat session."""
        token = secrets.token_urlsafe(32)
        token_hash = hash_token(token)
        chat_id = new_chat_id()
        session: dict[EncodableT, EncodableT] = {
            "user": "",
            "phone": "",
            "pending": "",
            "created": _now(),
        }
        await self._register(token_hash, chat_id, None, session)
        return NewSession(token=token, session_id=chat_id, expires_in=self.ttl_seconds)

    async def _register(
        self,
        token_hash: str,
        chat_id: str,
        user_id: UUID | None,
        session: dict[EncodableT, EncodableT] | None = None,
    ) -> None:
        """Register a new chat of the session (made first from `session`'s fields, if given),
        in one MULTI."""
        async with self._redis.pipeline(transaction=True) as pipe:
            if session is not None:
                pipe.hset(self._key(token_hash), mapping=session)
                pipe.expire(self._key(token_hash), self.ttl_seconds)
            pipe.sadd(self._chats_key(token_hash), chat_id)
            pipe.expire(self._chats_key(token_hash), self.ttl_seconds)
            pipe.hset(
                self._chat_key(chat_id),
                mapping={"owner": token_hash, "user": str(user_id) if user_id else ""},
            )
            # anonymous: no longer than its session (a stranger's sessions leave nothing behind)
            chat_ttl = self.chat_ttl_seconds if user_id else self.ttl_seconds
            pipe.expire(self._chat_key(chat_id), chat_ttl)
            await pipe.execute()

    async def resolve(self, token: str | None) -> AuthSession | None:
        """The session of a token, refreshing its idle expiry; None if missing or expired."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        token_hash = hash_token(token)
        return await self.by_hash(token_hash, refresh=True)

    async def by_hash(self, token_hash: str, *, refresh: bool = False) -> AuthSession | None:
        """The session with this token hash, if it is still alive."""
        key = self._key(token_hash)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(key)
            if refresh:
                pipe.expire(key, self.ttl_seconds)
                pipe.expire(self._chats_key(token_hash), self.ttl_seconds)
            results = await pipe.execute()
        return _session(token_hash, {_text(k): _text(v) for k, v in results[0].items()})

    async def resolve_chat(
        self, token: str | None, chat_session_id: str
    ) -> tuple[AuthSession | None, bool]:
        """(`resolve(token)`, whether that session owns the chat, or its signed-in user does)."""
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None, False
        token_hash = hash_token(token)
        if not chat_session_id or len(chat_session_id) > 64:
            return await self.by_hash(token_hash, refresh=True), False
        found = await self._resolve_chat(
            keys=[
                self._key(token_hash),
                self._chats_key(token_hash),
                self._chat_key(chat_session_id),
            ],
            args=[self.ttl_seconds, token_hash, self.chat_ttl_seconds],
        )
        if not found:
            return None, False
        flat, owner, user = found
        fields = {_text(k): _text(v) for k, v in zip(flat[::2], flat[1::2], strict=True)}
        auth = _session(token_hash, fields)
        if auth is None or not owner:
            return auth, False
        return auth, self._owned(auth, _text(owner), _text(user))

    async def new_chat(self, auth: AuthSession) -> str:
        """A new chat session owned by this session (and its user, if signed in)."""
        chat_id = new_chat_id()
        await self._register(auth.token_hash, chat_id, auth.user_id)
        return chat_id

    @staticmethod
    def _owned(auth: AuthSession, owner: str, user: str) -> bool:
        return secrets.compare_digest(owner, auth.token_hash) or (
            auth.user_id is not None and user == str(auth.user_id)
        )

    async def owner_of(self, chat_session_id: str) -> AuthSession | None:
        """The live session that owns a chat session, if any (for sign-in inside the chat)."""
        owner = await self._redis.hget(self._chat_key(chat_session_id), "owner")
        if not owner:
            return None
        return await self.by_hash(_text(owner))

    async def chat_user(self, chat_session_id: str) -> UUID | None:
        """The user a chat session belongs to, if its owner has signed in."""
        return _user(await self._redis.hget(self._chat_key(chat_session_id), "user"))

    def chat_user_lookup(self, chat_session_id: str, then: Callable[[UUID | None], None]) -> Lookup:
        """`chat_user`'s read, for a caller to make in a round trip of its own: `then` gets the
        answer."""
        return Lookup(
            ("HGET", self._chat_key(chat_session_id), "user"), lambda reply: then(_user(reply))
        )

    async def chats(self, auth: AuthSession) -> list[str]:
        """The chat session ids this session created."""
        members = await self._redis.smembers(self._chats_key(auth.token_hash))
        return sorted(_text(m) for m in members)

    async def set_pending(self, token_hash: str, phone: str) -> None:
        """Remember the phone a code was sent to (so the chat can resend and verify)."""
        await self._redis.hset(self._key(token_hash), "pending", phone)

    async def pending(self, token_hash: str) -> str | None:
        """The phone of the sign-in in progress on this session."""
        phone = await self._redis.hget(self._key(token_hash), "pending")
        return _text(phone) if phone else None

    async def sign_in(self, auth: AuthSession, user_id: UUID, phone: str) -> SignedInSession | None:
        """Bind the session and its chats to a user under a new token; the old token stops
        working. None if the session has ended meanwhile."""
        token = secrets.token_urlsafe(32)
        token_hash = hash_token(token)
        moved = await self._rotate(
            keys=[
                self._key(auth.token_hash),
                self._chats_key(auth.token_hash),
                self._key(token_hash),
                self._chats_key(token_hash),
            ],
            args=[self.ttl_seconds, str(user_id), phone],
        )
        if moved is None:
            return None
        chats = sorted(_text(m) for m in moved)
        # The user field alone already lets the new token reach these chats (`_owned`).
        async with self._redis.pipeline(transaction=True) as pipe:
            for chat_id in chats:
                pipe.hset(
                    self._chat_key(chat_id), mapping={"owner": token_hash, "user": str(user_id)}
                )
                pipe.expire(self._chat_key(chat_id), self.chat_ttl_seconds)
            await pipe.execute()
        return SignedInSession(
            token=token,
            chats=chats,
            expires_in=self.ttl_seconds,
        )

    async def logout(self, auth: AuthSession) -> None:
        """End the session: its token stops working; its chats stay with the user, if any."""
        await self._redis.delete(self._key(auth.token_hash), self._chats_key(auth.token_hash))


def _session(token_hash: str, fields: dict[str, str]) -> AuthSession | None:
    if not fields:
        return None
    user = fields.get("user", "")
    phone = fields.get("phone", "")
    return AuthSession(
        token_hash=token_hash, user_id=UUID(user) if user else None, phone=phone or None
    )


def _user(value: bytes | str | None) -> UUID | None:
    return UUID(_text(value)) if value else None


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _now() -> str:
    return datetime.now(UTC).isoformat()


__all__ = [
    "AuthSession",
    "Lookup",
    "NewSession",
    "SessionService",
    "SignedInSession",
    "hash_token",
    "new_chat_id",
]
