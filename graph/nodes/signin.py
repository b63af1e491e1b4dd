"""Sign-in: a phone number and a one-time code, asked for only when checkout or the order history
needs them. Other requests in between are answered as usual (`respond` offers the step in
progress again once); the interrupted request is carried out once the phone is verified."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graph.cards import auth_card, mask_phone
from graph.context import Context
from graph.intents import Intent
from graph.models import SignedIn, SignInStarted
from graph.nodes.turn import Reply
from graph.replies import ASK_CODE, ASK_PHONE
from graph.routes import NEEDS_SIGN_IN
from graph.state import Pending, State
from graph.tools import run_tool
from graph.tools.auth import resend_code, start_sign_in, verify_code

_GATED_WHAT = {
    Intent.CHECKOUT: "place your order",
    Intent.ORDER_STATUS: "look up your orders",
    Intent.CANCEL_ORDER: "cancel an order",
}


async def sign_in(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Verify the customer's phone before checkout or orders, then resume what they asked."""
    reply = Reply(state, runtime)
    reading = state.reading
    assert reading is not None
    intent = state.intent
    update: dict[str, Any] = {"reminded": False}

    async def send_code(phone: str) -> None:
        _, result = await run_tool(start_sign_in, runtime, state, phone=phone)
        if isinstance(result, SignInStarted):
            reply.line(reply.pick("code", ASK_CODE).format(phone=mask_phone(result.phone)))
            reply.card(auth_card("code", phone=result.phone, resend_after=result.resend_after))
            update.update(auth_step="code", phone=result.phone, awaiting="code")
        else:
            reply.line(f"{result.message} What number should I text the code to?")
            reply.card(auth_card("phone"))
            update.update(auth_step="phone", phone=None, awaiting="phone")

    if intent in NEEDS_SIGN_IN:
        update["pending"] = Pending(intent=intent, reading=reading)
        if reading.phone:
            await send_code(reading.phone)
        elif state.auth_step == "code" and state.phone:
            reply.line(f"First, what's the code I texted to {mask_phone(state.phone)}?")
            reply.card(auth_card("code", phone=state.phone))
            update["awaiting"] = "code"
        else:
            what = _GATED_WHAT[intent]
            reply.line(reply.pick("phone", ASK_PHONE).format(what=what))
            reply.card(auth_card("phone"))
            update.update(auth_step="phone", awaiting="phone")
    elif intent is Intent.PROVIDE_PHONE:
        if state.signed_in:
            reply.line("You're already signed in on this chat.")
        elif reading.phone:
            await send_code(reading.phone)
        else:
            reply.line("Please send the full number, with the area code.")
            reply.card(auth_card("phone"))
            update.update(auth_step="phone", awaiting="phone")
    elif intent is Intent.PROVIDE_CODE:
        await _check_code(state, runtime, reply, update)
    elif intent is Intent.RESEND_CODE:
        if state.auth_step != "code":
            reply.line("There's no code to resend yet. What's your phone number?")
            reply.card(auth_card("phone"))
            update.update(auth_step="phone", awaiting="phone")
        else:
            _, result = await run_tool(resend_code, runtime, state)
            if isinstance(result, SignInStarted):
                reply.line(f"I've sent a new code to {mask_phone(result.phone)}.")
                reply.card(auth_card("code", phone=result.phone, resend_after=result.resend_after))
            else:
                reply.line(result.message)
                reply.card(auth_card("code", phone=state.phone, resend_after=result.retry_after))
            update["awaiting"] = "code"
    elif intent is Intent.DENY:
        reply.line("No problem, I've stopped the sign-in. Your cart is still here.")
        update.update(auth_step=None, phone=None, pending=None, awaiting=None)
    elif state.auth_step == "code":
        reply.line(f"When you're ready, send the code I texted to {mask_phone(state.phone)}.")
        update["awaiting"] = "code"
    elif state.auth_step == "phone":
        reply.line("When you're ready, send me your phone number to continue.")
        update["awaiting"] = "phone"
    return reply.update(**update)


async def _check_code(
    state: State, runtime: Runtime[Context], reply: Reply, update: dict[str, Any]
) -> None:
    reading = state.reading
    assert reading is not None
    if state.auth_step != "code":
        if state.signed_in:
            reply.line("You're already signed in, no code needed.")
        else:
            reply.line("I haven't sent you a code yet. What's your phone number?")
            reply.card(auth_card("phone"))
            update.update(auth_step="phone", awaiting="phone")
        return
    code = reading.code or "".join(ch for ch in reading.text if ch.isdigit())
    _, result = await run_tool(verify_code, runtime, state, code=code)
    if isinstance(result, SignedIn):
        reply.line("Thanks, your phone is verified.")
        update.update(signed_in=True, auth_step=None, phone=None, awaiting=None)
        pending = state.pending
        if pending is not None:
            # Resume: the interrupted request is handled as if just asked.
            update.update(intent=pending.intent, reading=pending.reading, pending=None)
    elif result.reason == "locked":
        minutes = max((result.retry_after or 900) // 60, 1)
        reply.line(
            f"That's too many wrong codes, so sign-in is locked for {minutes} minutes. "
            "Your cart is saved; you can keep browsing in the meantime."
        )
        update.update(auth_step=None, phone=None, pending=None, awaiting=None)
    elif result.reason == "wrong_code":
        left = result.tries_left or 0
        tries = "1 try" if left == 1 else f"{left} tries"
        reply.line(
            f"Hmm, that code doesn't match. You have {tries} left; "
            "say 'resend' if you need a new code."
        )
        reply.card(auth_card("code", phone=state.phone))
        update["awaiting"] = "code"
    else:
        reply.line(f"{result.message} What's your phone number?")
        reply.card(auth_card("phone"))
        update.update(auth_step="phone", phone=None, awaiting="phone")


def sign_in_reminder(state: State) -> str | None:
    """The sign-in step in progress, offered again once after a request that was not about it."""
    if state.reminded or state.awaiting in ("phone", "code"):
        return None
    if state.auth_step == "code":
        return f"Whenever you're ready, send the code I texted to {mask_phone(state.phone)}."
    if state.auth_step == "phone":
        return "Whenever you're ready to check out, send me your phone number."
    return None


__all__ = ["sign_in", "sign_in_reminder"]
