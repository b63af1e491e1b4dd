"""Phone sign-in over REST: ask for a code, verify it (a new session token), sign out, who am I."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.plugins.problem_details import ProblemDetailsException
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from graph.models import AuthFailure
from restaurant.api.security import (
    COOKIE,
    PRIVATE,
    client_address,
    require_session,
    token_from,
)
from restaurant.api.sessions import session_cookie
from restaurant.auth.otp import CodeSent
from restaurant.auth.phone import mask_phone
from restaurant.auth.senders import SendError
from restaurant.lifespan import Resources

_STATUS = {
    "invalid_phone": (400, "Invalid Phone Number"),
    "wrong_code": (400, "Wrong Code"),
    "expired": (400, "Code Expired"),
    "no_challenge": (400, "No Code Pending"),
    "locked": (423, "Locked"),
    "too_soon": (429, "Too Many Requests"),
}


class OtpRequest(BaseModel):
    """Which phone to text a code to."""

    model_config = ConfigDict(extra="forbid")

    phone: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="as typed, e.g. '(212) 555-0123' or '+44 20 7946 0958'"
    )


class OtpSent(BaseModel):
    """A code is on its way."""

    phone: str = Field(description="the E.164 number, masked: '+1******0123'")
    resend_after: int = Field(description="seconds before another code may be asked for")
    expires_in: int = Field(description="seconds the code stays valid")


class VerifyRequest(BaseModel):
    """The code received for a phone."""

    model_config = ConfigDict(extra="forbid")

    phone: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    code: Annotated[str, StringConstraints(pattern=r"^\s*\d{6}\s*$")] = Field(
        description="the six digits received"
    )


class Me(BaseModel):
    """The caller's session."""

    signed_in: bool
    user_id: UUID | None = None
    phone: str | None = Field(default=None, description="E.164, masked")


class SignedInRead(BaseModel):
    """Who the session belongs to now, and its new token."""

    user_id: UUID
    phone: str = Field(description="E.164")
    token: str = Field(
        description=(
            "the session's new token (also set as the `session` cookie): the one sent with this "
            "request no longer works"
        )
    )
    expires_in: int = Field(description="idle seconds before the session expires")


def auth_problem(failure: AuthFailure) -> ProblemDetailsException:
    """An `AuthFailure` as problem details: 400, 423 locked, or 429 with Retry-After."""
    status, title = _STATUS[failure.reason]
    extra: dict[str, Any] = {"reason": failure.reason}
    headers: dict[str, str] = {}
    if failure.tries_left is not None:
        extra["tries_left"] = failure.tries_left
    if failure.retry_after is not None:
        extra["retry_after"] = failure.retry_after
        headers["Retry-After"] = str(failure.retry_after)
    return ProblemDetailsException(
        detail=failure.message, status_code=status, title=title, extra=extra, headers=headers
    )


class AuthController(Controller):
    """`/api/v1/auth/*` and `/api/v1/me`: sign in on the caller's session with a phone code."""

    path = "/api/v1"
    tags = ["auth"]
    cache_control = PRIVATE  # tokens and personal data: never stored by a cache
    request_max_body_size = 4096

    @post(
        "/auth/otp",
        status_code=200,
        summary="Text a sign-in code",
        description=(
            "Needs a session (cookie or bearer, see POST /api/v1/sessions). 400 for an invalid "
            "number, 423 while the number is locked, 429 with Retry-After when codes were asked "
            "for too often (per number and per client address), 502 if the SMS did not go out."
        ),
    )
    async def send_code(
        self,
        request: Request[Any, Any, Any],
        resources: NamedDependency[Resources],
        data: JSONBody[OtpRequest],
    ) -> OtpSent:
        """Send a code to the phone and make it the session's pending sign-in."""
        auth = await require_session(request, resources)
        try:
            sent = await resources.services.signin.start(auth, data.phone, client_address(request))
        except SendError as exc:
            raise ProblemDetailsException(
                detail="The code could not be sent; please try again shortly.",
                status_code=502,
                title="Code Not Sent",
                extra={"reason": str(exc)[:200]},
            ) from exc
        if not isinstance(sent, CodeSent):
            raise auth_problem(sent)
        return OtpSent(
            phone=mask_phone(sent.phone), resend_after=sent.resend_after, expires_in=sent.expires_in
        )

    @post(
        "/auth/verify",
        status_code=200,
        summary="Verify a sign-in code",
        description=(
            "On success the session, its chats and their carts belong to the user (created on the "
            "first sign-in), under a new token: in the body and the `session` cookie; the old "
            "token stops working. Only the code this session asked for is checked: 400 "
            "`wrong_code` (with tries_left) or `expired` for it, 423 after 5 wrong tries (even "
            "for the right code), and 400 `no_challenge` when this session has no code for the "
            "number, the same answer whether or not another session has one."
        ),
    )
    async def verify_code(
        self,
        request: Request[Any, Any, Any],
        resources: NamedDependency[Resources],
        data: JSONBody[VerifyRequest],
    ) -> Response[SignedInRead]:
        """Check the code and sign the session in under a new token."""
        auth = await require_session(request, resources)
        result = await resources.services.signin.verify(auth, data.code.strip(), data.phone)
        if isinstance(result, AuthFailure):
            raise auth_problem(result)
        body = SignedInRead(
            user_id=result.signed_in.user_id,
            phone=result.signed_in.phone,
            token=result.token,
            expires_in=result.expires_in,
        )
        return Response(body, cookies=[session_cookie(resources, result.token)])

    @post(
        "/auth/cookie",
        status_code=204,
        summary="Put the session token in the cookie",
        description=(
            "Sets the HttpOnly `session` cookie to the caller's live token (bearer). A browser "
            "calls it with the token of a `SESSION_TOKEN` chat event: a sign-in in the chat "
            "rotates the token, and a WebSocket or SSE stream cannot set a cookie."
        ),
    )
    async def set_cookie(
        self, request: Request[Any, Any, Any], resources: NamedDependency[Resources]
    ) -> Response[None]:
        """The cookie for the caller's token."""
        await require_session(request, resources)
        token = token_from(request)
        assert token is not None  # a live session was found for it
        return Response(None, status_code=204, cookies=[session_cookie(resources, token)])

    @post("/auth/logout", status_code=204, summary="End the session")
    async def logout(
        self, request: Request[Any, Any, Any], resources: NamedDependency[Resources]
    ) -> Response[None]:
        """Forget the session token and clear the cookie."""
        auth = await require_session(request, resources)
        await resources.services.sessions.logout(auth)
        return Response(
            None,
            status_code=204,
            cookies=[
                Cookie(key=COOKIE, value="", path="/", max_age=0, httponly=True, samesite="lax")
            ],
        )

    @get("/me", summary="The caller's session")
    async def me(
        self, request: Request[Any, Any, Any], resources: NamedDependency[Resources]
    ) -> Me:
        """Whether the session has signed in, and as whom."""
        auth = await require_session(request, resources)
        return Me(
            signed_in=auth.user_id is not None,
            user_id=auth.user_id,
            phone=mask_phone(auth.phone) if auth.phone else None,
        )


__all__ = ["AuthController", "auth_problem"]
