"""Judging whole conversations (tests/data/dialogue-format.md): the final cart and the checks.

Pure functions, no I/O beyond reading a conversation file: the runner (`bench/dialogues.py`) and
the tests (`tests/integration/test_dialogues.py`, `tests/unit/test_dialogue_judge.py`) import
this module, so a conversation is judged the same way everywhere.

- The cart is compared as a multiset of (item, choices) with quantities summed: two lines of one
  pepperoni pizza and one line of two are the same cart. A line's choices are compared as a
  multiset of (group, option, qualifier, exclude), without the choices the cart marks `default`
  (applied by the menu, never said by the customer; the files list only what was said).
- A check looks at one turn: `reply_has` (substrings of the reply, case ignored), and the items
  of the turn's MENU_CARD: `menu_card_has`, `menu_card_top` (among the first 6) and
  `menu_card_lacks`. When a turn sends several MENU_CARDs, their items are read in the order
  sent, as the customer sees them one below the other.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MENU_CARD_TOP = 6  # what a customer sees of a menu card without scrolling

Choice = tuple[str, str, str | None, bool]  # group, option, qualifier, exclude
LineKey = tuple[str, tuple[Choice, ...]]  # item, sorted choices


@dataclass(frozen=True)
class Check:
    """What the reply to turn `turn` (1 = the first message) must show."""

    turn: int
    reply_has: tuple[str, ...] = ()
    menu_card_has: tuple[str, ...] = ()
    menu_card_top: tuple[str, ...] = ()
    menu_card_lacks: tuple[str, ...] = ()

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Check:
        """A check from its JSON object; unknown keys are refused (a typo must not pass)."""
        known = {"turn", "reply_has", "menu_card_has", "menu_card_top", "menu_card_lacks"}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"unknown check keys {sorted(unknown)}")
        return cls(
            turn=int(raw["turn"]),
            **{k: tuple(str(v) for v in raw.get(k, ())) for k in sorted(known - {"turn"})},
        )


@dataclass(frozen=True)
class Dialogue:
    """One conversation: what the customer types, the cart expected after it, the checks."""

    id: str  # venue-tag-NN, e.g. pizzeria-dev-07 (NN: the line in its file, from 1)
    venue: str
    turns: tuple[str, ...]
    cart: tuple[Mapping[str, Any], ...]
    checks: tuple[Check, ...] = ()
    source: str = ""  # directory/file:line
    tag: str = ""  # which set it comes from: dev, own, or a file's name


def load_dialogues(path: Path, venue: str, tag: str) -> list[Dialogue]:
    """The conversations of a file, one JSON object a line (blank lines skipped)."""
    dialogues: list[Dialogue] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
            dialogues.append(
                Dialogue(
                    id=f"{venue}-{tag}-{number:02d}",
                    venue=venue,
                    turns=tuple(str(t) for t in raw["turns"]),
                    cart=tuple(raw["cart"]),
                    checks=tuple(Check.of(c) for c in raw.get("checks", ())),
                    source=f"{path.parent.name}/{path.name}:{number}",
                    tag=tag,
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a conversation ({exc})") from None
    return dialogues


# --- the cart -----------------------------------------------------------------------------------


def _choice(raw: Mapping[str, Any]) -> Choice:
    return (str(raw["group"]), str(raw["option"]), raw.get("qualifier"), bool(raw.get("exclude")))


def _choice_order(choice: Choice) -> tuple[str, str, str, bool]:
    group, option, qualifier, exclude = choice
    return group, option, qualifier or "", exclude


def canonical_cart(lines: Iterable[Mapping[str, Any]]) -> Counter[LineKey]:
    """Cart lines as (item, sorted choices) -> total quantity, default choices left out.

    Takes the expected lines of a conversation file as well as the lines of the cart API
    (`GET /api/v1/chat/{id}/cart`) or of a CART_CARD, whose choices carry `default`.
    """
    cart: Counter[LineKey] = Counter()
    for line in lines:
        said = (_choice(c) for c in line.get("choices", ()) if not c.get("default"))
        choices = tuple(sorted(said, key=_choice_order))
        cart[(str(line["item"]), choices)] += int(line.get("quantity", 1))
    return cart


def format_cart(cart: Counter[LineKey]) -> list[str]:
    """A canonical cart as short lines for people: `2 x pizza {pizza_size=large, -onions}`."""
    out = []
    lines = sorted(cart.items(), key=lambda kv: (kv[0][0], [_choice_order(c) for c in kv[0][1]]))
    for (item, choices), quantity in lines:
        said = []
        for group, option, qualifier, exclude in choices:
            word = f"{group}={option}"
            if qualifier:
                word += f" ({qualifier})"
            said.append(f"no {word}" if exclude else word)
        out.append(f"{quantity} x {item}" + (f" {{{', '.join(said)}}}" if said else ""))
    return out


# --- a turn and the whole conversation ----------------------------------------------------------


@dataclass
class TurnSeen:
    """What one turn showed the customer: the reply's text and the cards (card data)."""

    text: str
    reply: str = ""
    menu_cards: list[dict[str, Any]] = field(default_factory=list)
    cart_cards: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None  # RUN_ERROR's code and message, or the transport's failure

    @classmethod
    def of_events(cls, text: str, events: Sequence[Mapping[str, Any]]) -> TurnSeen:
        """A turn from its AG-UI events (the same over SSE and WebSocket)."""
        turn = cls(text)
        for event in events:
            kind = event.get("type")
            if kind == "TEXT_MESSAGE_CONTENT":
                turn.reply += str(event.get("delta", ""))
            elif kind == "CUSTOM" and event.get("name") == "MENU_CARD":
                turn.menu_cards.append(dict(event.get("value") or {}))
            elif kind == "CUSTOM" and event.get("name") == "CART_CARD":
                turn.cart_cards.append(dict(event.get("value") or {}))
            elif kind == "RUN_ERROR":
                turn.error = f"RUN_ERROR {event.get('code')}: {event.get('message')}"
        if not any(e.get("type") in ("RUN_FINISHED", "RUN_ERROR") for e in events):
            turn.error = turn.error or "the turn ended without RUN_FINISHED"
        return turn

    def menu_items(self) -> list[str]:
        """The item keys of the turn's MENU_CARDs, in the order shown."""
        return [str(i.get("key")) for card in self.menu_cards for i in card.get("items", ())]


@dataclass
class Held:
    """What holding a conversation through the chat API produced."""

    turns: list[TurnSeen] = field(default_factory=list)
    cart: list[dict[str, Any]] | None = None  # the cart's lines read after the last turn
    failure: str | None = None  # why the conversation stopped early (session, transport, cart)


@dataclass
class Verdict:
    """How a conversation went against its file."""

    expected: Counter[LineKey]
    actual: Counter[LineKey]
    cart_read: bool = True
    check_failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def cart_right(self) -> bool:
        """The cart read after the last turn is exactly the expected one."""
        return self.cart_read and self.expected == self.actual

    @property
    def checks_right(self) -> bool:
        """Every check holds (true for a conversation without checks)."""
        return not self.check_failures

    @property
    def passed(self) -> bool:
        """Cart right, every check holding, and every turn answered without an error."""
        return self.cart_right and self.checks_right and not self.errors


def check_turn(check: Check, turn: TurnSeen) -> list[str]:
    """What fails of one check on its turn (empty when it holds)."""
    failures = []
    reply = turn.reply.casefold()
    for wanted in check.reply_has:
        if wanted.casefold() not in reply:
            failures.append(f"turn {check.turn}: reply lacks {wanted!r}")
    items = turn.menu_items()
    if (check.menu_card_has or check.menu_card_top) and not turn.menu_cards:
        failures.append(f"turn {check.turn}: no MENU_CARD")
    else:
        for key in check.menu_card_has:
            if key not in items:
                failures.append(f"turn {check.turn}: MENU_CARD lacks {key!r}")
        top = items[:MENU_CARD_TOP]
        for key in check.menu_card_top:
            if key not in top:
                failures.append(f"turn {check.turn}: {key!r} not in the MENU_CARD's top 6 {top}")
    for key in check.menu_card_lacks:
        if key in items:
            failures.append(f"turn {check.turn}: MENU_CARD lists {key!r}")
    return failures


def judge(dialogue: Dialogue, held: Held) -> Verdict:
    """Judge a conversation held through the API against its file."""
    verdict = Verdict(
        expected=canonical_cart(dialogue.cart),
        actual=canonical_cart(held.cart or ()),
        cart_read=held.cart is not None,
    )
    for check in dialogue.checks:
        if check.turn > len(held.turns):
            verdict.check_failures.append(f"turn {check.turn}: never answered")
            continue
        verdict.check_failures += check_turn(check, held.turns[check.turn - 1])
    verdict.errors = [f"turn {n}: {t.error}" for n, t in enumerate(held.turns, 1) if t.error]
    if held.failure:
        verdict.errors.append(held.failure)
    if len(held.turns) < len(dialogue.turns):
        verdict.errors.append(f"only {len(held.turns)} of {len(dialogue.turns)} turns were held")
    if held.cart is None:
        verdict.errors.append("the cart was not read")
    return verdict


def describe(dialogue: Dialogue, held: Held, verdict: Verdict) -> str:
    """A conversation for a failure message: each turn and reply, then expected vs actual cart."""
    out = [f"{dialogue.id} ({dialogue.source})"]
    for number, turn in enumerate(held.turns, start=1):
        shown = []
        if turn.menu_cards:
            shown.append(f"MENU_CARD {turn.menu_items()[:MENU_CARD_TOP]}")
        if turn.cart_cards:
            shown.append("CART_CARD")
        out.append(f"  {number}. customer:  {turn.text}")
        out.append(f"     assistant: {turn.reply.strip()}")
        if shown:
            out.append(f"     cards:     {'; '.join(shown)}")
    for number, text in enumerate(dialogue.turns[len(held.turns) :], start=len(held.turns) + 1):
        out.append(f"  {number}. customer:  {text}   (not sent)")
    out.append("  expected cart:" + ("" if verdict.expected else " (empty)"))
    out += [f"    {line}" for line in format_cart(verdict.expected)]
    differs = "" if verdict.cart_right else "   <- differs"
    out.append("  actual cart:" + ("" if verdict.actual else " (empty)") + differs)
    out += [f"    {line}" for line in format_cart(verdict.actual)]
    out += [f"  check failed: {failure}" for failure in verdict.check_failures]
    out += [f"  error: {error}" for error in verdict.errors]
    return "\n".join(out)


__all__ = [
    "MENU_CARD_TOP",
    "Check",
    "Dialogue",
    "Held",
    "TurnSeen",
    "Verdict",
    "canonical_cart",
    "check_turn",
    "describe",
    "format_cart",
    "judge",
    "load_dialogues",
]
