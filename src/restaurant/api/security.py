"""Who is calling: the session token from a cookie, a bearer header or a WebSocket query parameter.

Every handler that touches a chat session goes through `require_chat`, which answers 404
"unknown session" both when the id does not exist and when it is someone else's: a caller can't
tell the two apart, so guessing ids reveals nothing.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus, urlsplit

from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader
from litestar.enums import ScopeType
from litestar.plugins.problem_details import ProblemDetailsException

from restaurant.auth.sessions import AuthSession

if TYPE_CHECKING:
    from restaurant.lifespan import Resources

# Responses with a token or a customer's own data: no shared or browser cache keeps them.
PRIVATE = CacheControlHeader(no_store=True, private=True)

# Characters no text a customer types holds, which PostgreSQL refuses (NUL) or a log would carry
# as terminal controls: C0 controls but tab and newlines, and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_FREE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"  # the same, as a pydantic pattern

COOKIE = "session"
EXPIRED = "The session is missing or has expired; start a new one."
SIGN_IN_FIRST = "Sign in with your phone number first."


class Unauthenticated(ProblemDetailsException):
    """401: no session, or it expired."""

    def __init__(
        self, detail: str = "The session is missing or has expired; start a new one."
    ) -> None:
        super().__init__(
            detail=detail,
            status_code=401,
            title="Unauthorized",
            headers={"WWW-Authenticate": 'Bearer realm="restaurant"'},
        )


class UnknownSession(ProblemDetailsException):
    """404: the chat session does not exist for this caller."""

    def __init__(self) -> None:
        super().__init__(detail="unknown session", status_code=404, title="Not Found")


def token_from(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The session token: Bearer header, else `session` cookie, else `?token=` on a WebSocket."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    cookie = connection.cookies.get(COOKIE)
    if cookie:
        return cookie
    # Browsers can't set headers on a WebSocket handshake; a query parameter is the fallback
    # there only, since URLs end up in logs.
    if connection.scope["type"] == ScopeType.WEBSOCKET:
        return connection.query_params.get("token") or None
    return None


async def require_session(
    connection: ASGIConnection[Any, Any, Any, Any], resources: Resources
) -> AuthSession:
    """The caller's live session (idle expiry refreshed); 401 problem details otherwise."""
    auth = await resources.services.sessions.resolve(token_from(connection))
    if auth is None:
        raise Unauthenticated
    return auth


async def require_user(
    connection: ASGIConnection[Any, Any, Any, Any], resources: Resources
) -> AuthSession:
    """A session that has signed in; 401 problem details otherwise."""
    auth = await require_session(connection, resources)
    if auth.user_id is None:
        raise Unauthenticated(SIGN_IN_FIRST)
    return auth


async def require_chat(
    connection: ASGIConnection[Any, Any, Any, Any],
    resources: Resources,
    session_id: str,
    *,
    signed_in: bool = False,
    token: str | None = None,
) -> AuthSession:
    """The caller's session if it owns chat `session_id`; 404 "unknown session" otherwise
    (with `signed_in`, a session that has not signed in is a 401 first, as `require_user`).
    `token` overrides the connection's own (a socket's after a sign-in on it)."""
    token = token if token is not None else token_from(connection)
    auth, owned = await resources.services.sessions.resolve_chat(token, session_id)
    if auth is None:
        raise Unauthenticated
    if signed_in and auth.user_id is None:
        raise Unauthenticated(SIGN_IN_FIRST)
    if not owned:
        raise UnknownSession
    return auth


def origin_allowed(connection: ASGIConnection[Any, Any, Any, Any], allowed: list[str]) -> bool:
    """Whether a WebSocket handshake may go on: no Origin (curl, scripts, apps; not a browser),
    the app's own origin (the Host it was asked on), or one of `allowed`. Browsers always send
    Origin, so another site's page cannot talk on a visitor's cookie."""
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    if origin.rstrip("/") in {o.rstrip("/") for o in allowed}:
        return True
    host = connection.headers.get("host", "")
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host.lower()


# The loggers that print request lines: uvicorn's access log (HTTP) and its error log, which
# holds the WebSocket handshake lines ('"WebSocket /api/v1/chat/...?token=..." [accepted]').
REQUEST_LOGGERS = ("uvicorn.access", "uvicorn.error")
REDACTED = "[redacted]"


def redact_token(text: str) -> str:
    """A logged path with the value of any `token` query parameter replaced by `[redacted]`."""
    path, mark, query = text.partition("?")
    if not mark or "=" not in query:
        return text
    parts = query.split("&")
    for index, part in enumerate(parts):
        name, equals, _ = part.partition("=")
        if equals and unquote_plus(name).strip().lower() == "token":
            parts[index] = f"{name}={REDACTED}"
    return f"{path}?{'&'.join(parts)}"


class TokenRedaction(logging.Filter):
    """Keeps a `?token=` (the WebSocket's way of carrying the session token) out of the logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record's arguments (uvicorn passes the path as one) and message."""
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_token(arg) if isinstance(arg, str) and "?" in arg else arg
                for arg in record.args
            )
        if isinstance(record.msg, str) and "token=" in record.msg.lower():
            record.msg = redact_token(record.msg)
        return True


def redact_tokens_in_logs() -> None:
    """Put `TokenRedaction` on the request loggers (once per process, however often called)."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, TokenRedaction) for f in logger.filters):
            logger.addFilter(TokenRedaction())


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The peer address, for per-address limits (a proxy in front must pass the real one)."""
    client = connection.client
    return client.host if client else "unknown"


__all__ = [
    "CONTROL",
    "CONTROL_FREE",
    "COOKIE",
    "PRIVATE",
    "TokenRedaction",
    "Unauthenticated",
    "UnknownSession",
    "client_address",
    "origin_allowed",
    "redact_token",
    "redact_tokens_in_logs",
    "require_chat",
    "require_session",
    "require_user",
    "token_from",
]
