"""Sign-in tools: send a code to a phone, check it, send a new one. The session in Context is
what gets signed in; the phone is the only thing taken from the customer."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from graph.cards import mask_phone
from graph.context import Context
from graph.models import AuthFailure, SignedIn, SignInStarted
from graph.tools._report import report


def _failure_text(failure: AuthFailure) -> str:
    text = failure.message
    if failure.tries_left:
        text += f" {failure.tries_left} tries left."
    if failure.retry_after:
        text += f" Retry after {failure.retry_after} seconds."
    return text


@tool(response_format="content_and_artifact")
async def start_sign_in(
    runtime: ToolRuntime[Context, Any], phone: str
) -> tuple[str, SignInStarted | AuthFailure]:
    """Text a one-time code to the customer's `phone` (as they typed it) to verify them.
    Needed before checkout and before looking at or cancelling orders."""
    ctx = runtime.context
    result = await ctx.identity.start_sign_in(ctx.session_id, phone)
    if isinstance(result, SignInStarted):
        content = f"Code sent to {mask_phone(result.phone)}; ask the customer for it."
    else:
        content = f"Could not send a code: {_failure_text(result)}"
    report(runtime, "start_sign_in", {"phone": mask_phone(phone)}, content)
    return content, result


@tool(response_format="content_and_artifact")
async def verify_code(
    runtime: ToolRuntime[Context, Any], code: str
) -> tuple[str, SignedIn | AuthFailure]:
    """Check the one-time `code` the customer received; on success they are signed in."""
    ctx = runtime.context
    result = await ctx.identity.verify_code(ctx.session_id, code)
    if isinstance(result, SignedIn):
        content = "Verified: the customer is signed in."
    else:
        content = f"Not verified: {_failure_text(result)}"
    report(runtime, "verify_code", {"code": "•" * len(code)}, content)
    return content, result


@tool(response_format="content_and_artifact")
async def resend_code(
    runtime: ToolRuntime[Context, Any],
) -> tuple[str, SignInStarted | AuthFailure]:
    """Send a new one-time code to the phone of the sign-in in progress."""
    ctx = runtime.context
    result = await ctx.identity.resend_code(ctx.session_id)
    if isinstance(result, SignInStarted):
        content = f"New code sent to {mask_phone(result.phone)}."
    else:
        content = f"No new code: {_failure_text(result)}"
    report(runtime, "resend_code", {}, content)
    return content, result


__all__ = ["resend_code", "start_sign_in", "verify_code"]
