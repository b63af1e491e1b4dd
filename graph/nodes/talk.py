"""Small talk and the rest: greetings, help, thanks, goodbye, "let me think", and a clarifying
question for what nothing else understood (answered by the model, when there is one)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from langgraph.runtime import Runtime

from graph.context import Context
from graph.intents import Intent
from graph.llm import answer_with_tools
from graph.models import LineSpec
from graph.nodes.cart import did_you_mean, suggestions
from graph.nodes.turn import Reply, lexicon_of
from graph.replies import CLARIFY, GREETING
from graph.state import State

HELP = (
    "I can show the menu (try 'what's vegetarian?'), take your order ('two large pizzas with "
    "extra cheese'), change it ('make the second one large', 'add olives to both', 'same "
    "again'), answer questions ('how much is that?', 'are you open?') and check you out for "
    "pickup, delivery or dine-in. I can also look up or cancel your orders."
)


async def chat(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Greet, explain what the assistant can do, say thanks and goodbye, wait."""
    ctx = runtime.context
    reply = Reply(state, runtime)
    intent = state.intent
    name = (await ctx.menu.get_menu()).restaurant.name
    in_flow = state.checkout is not None or state.auth_step is not None
    update: dict[str, Any] = {}
    if intent is Intent.GREET and in_flow:
        reply.line("Hi again!")
    elif intent is Intent.GREET:
        reply.line(reply.pick("greet", GREETING).format(name=name))
    elif intent is Intent.HELP:
        reply.line(HELP)
    elif intent is Intent.THANKS:
        reply.line(reply.pick("thanks", ("You're welcome!", "My pleasure!", "Anytime!")))
    elif intent is Intent.GOODBYE:
        reply.line(reply.pick("bye", ("Bye, enjoy your meal!", "Thanks for stopping by!")))
    elif intent is Intent.WAIT:
        reply.line(reply.pick("wait", ("Take your time!", "Sure, no rush.")))
    elif intent is Intent.AFFIRM:
        reply.line(reply.pick("more", ("Great, what else would you like?", "Sure, what else?")))
    elif state.asked == "which_line":
        reply.line("Okay, I've left your cart as it is.")
    else:
        reply.line(
            reply.pick(
                "deny",
                (
                    "No problem. Anything else I can help with?",
                    "Okay! Let me know if you need anything.",
                ),
            )
        )
    if state.dialogue.offer is not None:
        update["dialogue"] = replace(state.dialogue, offer=None)  # a "no thanks" to the offer
    return reply.update(**update)


async def clarify(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Ask a clarifying question, suggesting menu items for words that looked like one."""
    ctx = runtime.context
    reply = Reply(state, runtime)
    reading = state.reading
    assert reading is not None
    update: dict[str, Any] = {}
    if reading.unknown:
        menu = await ctx.menu.get_menu()
        lexicon = await lexicon_of(ctx)
        word = reading.unknown[0]
        alternatives = suggestions(lexicon, menu, word)
        reply.line(did_you_mean(word, alternatives, reply))
        if alternatives:
            offer = LineSpec(item=alternatives[0].key)
            reply.offer("Yes", "No")
            return reply.update(
                dialogue=replace(state.dialogue, offer=offer), awaiting="suggestion"
            )
        return reply.update(awaiting="clarify")
    # A free-form question nothing understood: the model answers it with the tools, if any.
    answer = await answer_with_tools(ctx.chat_model, runtime, state) if ctx.chat_model else None
    reply.line(answer or reply.pick("clarify", CLARIFY))
    if not answer:
        update["awaiting"] = "clarify"
    return reply.update(**update)


__all__ = ["HELP", "chat", "clarify"]
