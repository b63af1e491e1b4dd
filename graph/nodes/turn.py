"""What every flow shares: the turn's reply as it is built, and the context's lexicon and user."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from langgraph.runtime import Runtime

from graph.context import Context
from graph.nlu import Lexicon
from graph.replies import pick
from graph.state import Card, State


class Reply:
    """This turn's reply as nodes build it: text parts, cards (streamed as they are made) and
    the quick replies offered with it."""

    def __init__(self, state: State, runtime: Runtime[Context]) -> None:
        self.say = list(state.say)
        self.cards = list(state.cards)
        self.quick: list[str] = list(state.quick_replies)
        self._write = runtime.stream_writer
        self._seed = f"{runtime.context.session_id}:{state.turn}"

    def line(self, text: str) -> None:
        """Add a sentence (or a few) to the reply."""
        self.say.append(text)

    def card(self, card: Card) -> None:
        """Add a card, streaming it now."""
        self.cards.append(card)
        self._write(dict(card))

    def offer(self, *answers: str) -> None:
        """Quick replies the customer can tap instead of typing."""
        self.quick = list(answers)

    def pick(self, topic: str, variants: Sequence[str]) -> str:
        """One wording of several, the same for the same session, turn and topic."""
        return pick(f"{self._seed}:{topic}", variants)

    def update(self, **more: Any) -> dict[str, Any]:
        """The node's state update: the reply so far plus `more`."""
        return {"say": self.say, "cards": self.cards, "quick_replies": self.quick, **more}


async def lexicon_of(ctx: Context) -> Lexicon:
    """The menu's lexicon: built once per Context; the service shares one across requests."""
    if ctx.lexicon is None:
        ctx.lexicon = Lexicon.from_menu(await ctx.menu.get_menu())
    return ctx.lexicon


async def zone_of(ctx: Context) -> ZoneInfo | None:
    """The restaurant's time zone, when its menu says (times are then told on its clock)."""
    info = (await ctx.menu.get_menu()).restaurant.info
    return info.zone if info is not None else None


async def user_of(ctx: Context) -> UUID | None:
    """The request's session user, or a sign-in that completed on this session since."""
    return ctx.user_id or await ctx.identity.current_user(ctx.session_id)


__all__ = ["Reply", "lexicon_of", "user_of", "zone_of"]
