"""Small talk and the rest: greetings, help, thanks, goodbye, "let me think", and a clarifying
question for what nothing else understood (answered by the model, when there is one)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from langgraph.runtime import Runtime

from graph.cards import menu_card
from graph.context import Context
from graph.intents import Intent
from graph.llm import answer_with_tools
from graph.menu import Item, Menu
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
    elif intent is Intent.PARTY:
        # (understand keeps the party's size, for "a coke each" later)
        party = f"an order for {state.dialogue.party}" if state.dialogue.party else "a group order"
        reply.line(f"Sure, {party}. What would everyone like?")
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
    listed = state.dialogue.asked_about
    if (
        state.intent is Intent.AFFIRM
        and state.asked == "suggestion"
        and state.dialogue.offer is None
        and len(listed) > 1
    ):
        # "yes" after "what shakes do you have?": which of those listed
        menu = await ctx.menu.get_menu()
        labels = [item.label for spec in listed if (item := menu.item(spec.item)) is not None]
        reply.line("Which one would you like?")
        reply.offer(*labels[:6])
        return reply.update(awaiting="suggestion")
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
    if not answer and _QUESTION.search(reading.text):
        # "is the caesar dressing made with anchovies?": the dish whose words say so
        menu = await ctx.menu.get_menu()
        found = described(menu, reading.text)
        if found is not None:
            reply.line(f"From our menu: {found.label}: {found.description.rstrip('.')}.")
            reply.card(menu_card(menu, [found]))
            return reply.update()
    reply.line(answer or reply.pick("clarify", CLARIFY))
    if not answer:
        update["awaiting"] = "clarify"
    return reply.update(**update)


_QUESTION = re.compile(r"\?\s*$|^\s*(?:is|are|does|do|what|which|how|any)\b", re.I)
# words of a question that say nothing of a dish
_ASKING_WORDS = frozenset(
    re.findall(
        r"\w+",
        "is are does do did was what which how there their they them that this have has with made"
        " make any your you from into contain contains come comes served inside kind",
    )
)


def described(menu: Menu, text: str) -> Item | None:
    """The one dish whose name and description hold at least two of a question's words (by
    their first five letters: "anchovies" finds "anchovy"), when one holds the most."""
    words = {
        w[:5] for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3 and w not in _ASKING_WORDS
    }
    scored = []
    for item in menu.items():
        said = {w[:5] for w in re.findall(r"[a-z]+", f"{item.label} {item.description}".lower())}
        scored.append((len(words & said), item))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or scored[0][0] < 2 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1] if scored[0][1].description else None


__all__ = ["HELP", "chat", "clarify"]
