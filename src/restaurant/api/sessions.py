"""`POST /api/v1/sessions`: a session token (cookie and body) and a chat session to talk in."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.plugins.problem_details import ProblemDetailsException
from pydantic import BaseModel, Field

from restaurant.api.security import COOKIE, PRIVATE, client_address, token_from
from restaurant.lifespan import Resources


class SessionCreated(BaseModel):
    """A chat session to talk in, and the token that owns it."""

    session_id: str = Field(description="the chat session id: use it in /api/v1/chat/{session_id}")
    token: str = Field(description="send back as the `session` cookie or `Authorization: Bearer`")
    expires_in: int = Field(description="idle seconds before the session expires")


def session_cookie(resources: Resources, token: str) -> Cookie:
    """The HttpOnly, SameSite=Lax cookie that carries the session token."""
    return Cookie(
        key=COOKIE,
        value=token,
        path="/",
        httponly=True,
        samesite="lax",
        secure=resources.settings.auth.cookie_secure,
    )


class TooManySessions(ProblemDetailsException):
    """429: this client address started too many sessions in the current window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            detail=(
                "Too many sessions were started from this address; "
                f"try again in {retry_after} seconds."
            ),
            status_code=429,
            title="Too Many Requests",
            headers={"Retry-After": str(retry_after)},
            extra={"retry_after": retry_after},
        )


class SessionController(Controller):
    """Sessions: who is talking, before and after signing in."""

    path = "/api/v1/sessions"
    tags = ["sessions"]
    cache_control = PRIVATE  # tokens and personal data: never stored by a cache
    request_max_body_size = 4096

    @post(
        "/",
        status_code=201,
        summary="Start a chat session",
        description=(
            "Without a live session token this creates a new session (token in the body and as "
            "an HttpOnly `session` cookie) with its first chat session. With one (cookie or "
            "bearer), it opens another chat session in it, signed in if the session is. "
            "Each client address may call it `AUTH__NEW_SESSIONS_PER_ADDRESS` times a window "
            "(429 with Retry-After beyond)."
        ),
    )
    async def create_session(
        self, request: Request[Any, Any, Any], resources: NamedDependency[Resources]
    ) -> Response[SessionCreated]:
        """A new chat session, in the caller's session if it is still alive."""
        services = resources.services
        # Every call counts, a new chat in a live session too: each one leaves keys in Redis.
        wait = await services.new_sessions.hit(client_address(request))
        if wait:
            raise TooManySessions(wait)
        sessions = services.sessions
        token = token_from(request)
        auth = await sessions.resolve(token)
        if auth is not None and token is not None:
            body = SessionCreated(
                session_id=await sessions.new_chat(auth),
                token=token,
                expires_in=sessions.ttl_seconds,
            )
        else:
            created = await sessions.create()
            body = SessionCreated(
                session_id=created.session_id, token=created.token, expires_in=created.expires_in
            )
        return Response(body, status_code=201, cookies=[session_cookie(resources, body.token)])


__all__ = ["SessionController", "SessionCreated", "TooManySessions", "session_cookie"]
