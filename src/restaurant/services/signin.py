"""Phone sign-in, one mechanism for REST and the chat: a code to the phone, then the session.

`SignInService` works on an `AuthSession` (REST); `ChatIdentity` is the graph's `Identity`,
keyed by chat session id, and works on the session of the turn's caller (else the chat's owner),
so a code asked for in the chat can be verified over REST and the other way round. A successful
sign-in binds the session, its chats and their carts to the user (the cart filled while signed
out is kept), under a new token: REST answers it, the chat hands it to the one connection whose
message carried the code.

A code is asked for and checked by a session (`AuthSession.token_hash` is the requester of
`OtpService`): tries belong to it, and another session's guesses never touch them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from graph.models import AuthFailure, SignedIn, SignInStarted
from restaurant.auth.otp import CodeSent, OtpService
from restaurant.auth.phone import InvalidPhone, normalise_phone
from restaurant.auth.senders import SendError
from restaurant.auth.sessions import AuthSession, Lookup, SessionService, hash_token
from restaurant.services.carts import CartService
from restaurant.services.users import UserService

log = logging.getLogger(__name__)
SESSION_GONE = AuthFailure(
    reason="no_challenge", message="This chat's session has expired; please start a new one."
)
# A new token for the caller's connection only: (token, idle seconds before it expires).
TokenHandler = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class Verified:
    """A completed sign-in: who, and the session's new token (the old one no longer works)."""

    signed_in: SignedIn
    token: str
    expires_in: int


class SignInService:
    """Starts, resends and completes sign-ins on a session."""

    def __init__(
        self,
        otp: OtpService,
        sessions: SessionService,
        users: UserService,
        carts: CartService,
        *,
        region: str = "US",
    ) -> None:
        self.otp = otp
        self.sessions = sessions
        self.users = users
        self.carts = carts
        self.region = region

    async def start(
        self, auth: AuthSession, phone: str, client: str = "unknown"
    ) -> CodeSent | AuthFailure:
        """Normalise the phone, send it a code and remember it as the session's pending sign-in."""
        try:
            e164 = normalise_phone(phone, self.region)
        except InvalidPhone as exc:
            return AuthFailure(reason="invalid_phone", message=str(exc))
        sent = await self.otp.send(e164, client, requester=auth.token_hash)
        if isinstance(sent, CodeSent):
            await self.sessions.set_pending(auth.token_hash, e164)
        return sent

    async def resend(self, auth: AuthSession, client: str = "unknown") -> CodeSent | AuthFailure:
        """A new code to the phone of the pending sign-in."""
        phone = await self.sessions.pending(auth.token_hash)
        if phone is None:
            return AuthFailure(
                reason="no_challenge", message="There is no sign-in in progress to resend."
            )
        return await self.start(auth, phone, client)

    async def verify(
        self, auth: AuthSession, code: str, phone: str | None = None
    ) -> Verified | AuthFailure:
        """Check the session's code for `phone` (default: the pending one); on success sign the
        session in under a new token."""
        if phone is None:
            e164 = await self.sessions.pending(auth.token_hash)
            if e164 is None:
                return AuthFailure(
                    reason="no_challenge", message="Ask for a code first: no sign-in is pending."
                )
        else:
            try:
                e164 = normalise_phone(phone, self.region)
            except InvalidPhone as exc:
                return AuthFailure(reason="invalid_phone", message=str(exc))
        checked = await self.otp.verify(e164, code, requester=auth.token_hash)
        if isinstance(checked, AuthFailure):
            return checked
        user_id = await self.users.upsert(e164)
        session = await self.sessions.sign_in(auth, user_id, e164)
        if session is None:  # ended (logout, expiry) while the code was being checked
            return SESSION_GONE
        await self.carts.claim(session.chats, user_id)
        return Verified(
            signed_in=SignedIn(user_id=user_id, phone=e164),
            token=session.token,
            expires_in=session.expires_in,
        )


class ChatIdentity:
    """The graph's `Identity`: the sign-in of the session talking in a chat.

    That is the caller's session (`session`, its token hash) when the turn was sent by one,
    else the session that owns the chat. A successful `verify_code` hands the session's new
    token to `on_token`, which gives it to the caller's connection alone: never to the graph's
    state, the event log or the transcript, which others may read.

    `user_lookup` is the first `current_user` read, for the turn's store to make in the round
    trip that takes the turn's run lock instead of a round trip in the middle of its first node
    (on every turn before sign-in); later calls, and any after a sign-in through this identity,
    read again.
    """

    def __init__(
        self,
        signin: SignInService,
        *,
        client: str = "unknown",
        session: str | None = None,
        on_token: TokenHandler | None = None,
    ) -> None:
        self._signin = signin
        self._client = client
        self._session = session
        self._on_token = on_token
        self._ahead: tuple[str, UUID | None] | None = None

    def user_lookup(self, session_id: str) -> Lookup:
        """Who the chat belongs to, as a read for a caller to make in a round trip of its own
        while it holds the chat's run lock; the next `current_user` takes the answer, if it was
        handed back."""

        def known(user_id: UUID | None) -> None:
            self._ahead = (session_id, user_id)

        return self._signin.sessions.chat_user_lookup(session_id, known)

    async def _owner(self, session_id: str) -> AuthSession | None:
        if self._session is not None:
            # The caller (checked to own the chat), read again: it may have signed in since.
            return await self._signin.sessions.by_hash(self._session)
        return await self._signin.sessions.owner_of(session_id)

    def _not_sent(self, exc: SendError) -> AuthFailure:
        log.warning("sign-in code not sent: %s", exc)
        # The chat tells the customer to retry; REST answers 502 for the same failure.
        wait = self._signin.otp.resend_seconds
        return AuthFailure(
            reason="too_soon",
            message=f"The code couldn't be sent just now; please try again in {wait} seconds.",
            retry_after=wait,
        )

    @staticmethod
    def _started(sent: CodeSent | AuthFailure) -> SignInStarted | AuthFailure:
        if isinstance(sent, AuthFailure):
            return sent
        return SignInStarted(phone=sent.phone, resend_after=sent.resend_after)

    async def start_sign_in(self, session_id: str, phone: str) -> SignInStarted | AuthFailure:
        """Normalise the phone to E.164 and send a code."""
        auth = await self._owner(session_id)
        if auth is None:
            return SESSION_GONE
        try:
            return self._started(await self._signin.start(auth, phone, self._client))
        except SendError as exc:
            return self._not_sent(exc)

    async def verify_code(self, session_id: str, code: str) -> SignedIn | AuthFailure:
        """Check the code; on success the session (and this chat) belong to the user."""
        self._ahead = None  # what was read before a sign-in is not the answer after it
        auth = await self._owner(session_id)
        if auth is None:
            return SESSION_GONE
        verified = await self._signin.verify(auth, code)
        if isinstance(verified, AuthFailure):
            return verified
        self._session = hash_token(verified.token)  # later calls of this turn: the new token
        if self._on_token is not None:
            self._on_token(verified.token, verified.expires_in)
        return verified.signed_in

    async def resend_code(self, session_id: str) -> SignInStarted | AuthFailure:
        """Send a new code to the phone of the pending sign-in."""
        auth = await self._owner(session_id)
        if auth is None:
            return SESSION_GONE
        try:
            return self._started(await self._signin.resend(auth, self._client))
        except SendError as exc:
            return self._not_sent(exc)

    async def current_user(self, session_id: str) -> UUID | None:
        """Who the chat belongs to, if its session has signed in."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead[0] == session_id:
            return ahead[1]
        return await self._signin.sessions.chat_user(session_id)


__all__ = ["SESSION_GONE", "ChatIdentity", "SignInService", "TokenHandler", "Verified"]
