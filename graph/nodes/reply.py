"""The last node of every turn: one reply message carrying the turn's cards."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from langchain_core.messages import AIMessage
from langgraph.runtime import Runtime

from graph.context import Context
from graph.intents import Intent
from graph.llm import write_reply
from graph.nodes.checkout import checkout_reminder
from graph.nodes.signin import sign_in_reminder
from graph.nodes.turn import Reply
from graph.replies import ANYTHING_ELSE, CLARIFY, pick
from graph.state import State

# Turns about the sign-in itself never get the reminder of it.
_SIGN_IN = frozenset(
    {Intent.PROVIDE_PHONE, Intent.PROVIDE_CODE, Intent.RESEND_CODE, Intent.CHECKOUT}
)


async def respond(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Send this turn's reply as one message carrying its cards."""
    ctx = runtime.context
    reply = Reply(state, runtime)
    update: dict[str, Any] = {"rest": []}
    if state.intent not in _SIGN_IN:
        # A sign-in in progress is offered again once, not repeated after every answer.
        reminder = sign_in_reminder(state)
        if reminder is not None:
            reply.line(reminder)
            update["reminded"] = True
    # A checkout in progress can't go on without its answer: its question is asked again.
    update.update(checkout_reminder(state, reply))
    # A message with several requests asks "anything else?" once, at the end.
    asks = [k for k, part in enumerate(reply.say) if part in ANYTHING_ELSE]
    say = [part for k, part in enumerate(reply.say) if part not in ANYTHING_ELSE or k == asks[-1]]
    text = " ".join(part for part in say if part) or pick(f"{ctx.session_id}:{state.turn}", CLARIFY)
    message_id = str(uuid4())
    if ctx.chat_model is not None:
        # The model words the reply from these facts; its streamed message keeps its id.
        restaurant = (await ctx.menu.get_menu()).restaurant.name
        written = await write_reply(
            ctx.chat_model, state, text, restaurant=restaurant, write=runtime.stream_writer
        )
        if written is not None:
            text, message_id = str(written.content), str(written.id or message_id)
    message = AIMessage(
        content=text,
        id=message_id,
        additional_kwargs={"cards": [dict(c) for c in state.cards]},
    )
    runtime.stream_writer({"type": "reply", "id": message.id, "text": text})
    return {**update, "messages": [message], "say": [], "cards": [], "quick_replies": reply.quick}


__all__ = ["respond"]
