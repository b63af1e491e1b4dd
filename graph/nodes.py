"""The graph's nodes: understand a message, then act on one flow and say what happened.

Each node adds its part of the reply to `say` and its cards to `cards` (writing each card on the
custom stream as it is made); `respond` turns them into the turn's one `AIMessage`. Actions go
through the tools in `graph.tools`, exactly as a model would call them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID, uuid4

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.runtime import Runtime
from langgraph.types import Command

from graph.cards import auth_card, cart_card, mask_phone, menu_card, order_card
from graph.context import Context
from graph.intents import Intent, OrderType
from graph.llm import answer_with_tools, classify_with_model, is_unsure, write_reply
from graph.menu import Item, Menu
from graph.models import (
    CartChange,
    CartLineRead,
    CartRead,
    ChoiceSpec,
    LineSpec,
    OrderRead,
    OrderStatus,
    SignedIn,
    SignInStarted,
)
from graph.nlu import Lexicon, read
from graph.nlu.reading import Choice, Reading
from graph.pricing import money, order_totals
from graph.replies import (
    ADDED,
    ANYTHING_ELSE,
    ASK_ADDRESS,
    ASK_CODE,
    ASK_ORDER_TYPE,
    ASK_PHONE,
    CHECKOUT_STOPPED,
    CLARIFY,
    CONFIRM,
    GREETING,
    PLACED,
    REMOVED,
    UPDATED,
    describe_line,
    join,
    order_summary,
    pick,
    price,
)
from graph.routes import (
    FlowNode,
    is_address_answer,
    quantity_in,
    reread,
    resolve_intent,
    route_after_classify_intent,
)
from graph.state import Card, Checkout, Offer, State, dump_reading, load_reading
from graph.tools import run_tool
from graph.tools.auth import resend_code, start_sign_in, verify_code
from graph.tools.cart import add_to_cart, clear_cart, remove_from_cart, update_cart_line, view_cart
from graph.tools.menu import describe_item, search_menu
from graph.tools.orders import cancel_order, get_order_status, place_order

log = logging.getLogger(__name__)
TYPE_WORDS = {
    OrderType.PICKUP: "pickup",
    OrderType.DELIVERY: "delivery",
    OrderType.DINE_IN: "dine-in",
}


class _Reply:
    """This turn's reply as nodes build it: text parts and cards (streamed as they are made)."""

    def __init__(self, state: State, runtime: Runtime[Context]) -> None:
        self.say = list(state.say)
        self.cards = list(state.cards)
        self._write = runtime.stream_writer
        self._seed = f"{runtime.context.session_id}:{state.turn}"

    def line(self, text: str) -> None:
        self.say.append(text)

    def card(self, card: Card) -> None:
        self.cards.append(card)
        self._write(dict(card))

    def pick(self, topic: str, variants: Sequence[str]) -> str:
        return pick(f"{self._seed}:{topic}", variants)

    def update(self, **more: Any) -> dict[str, Any]:
        return {"say": self.say, "cards": self.cards, **more}


async def _lexicon(ctx: Context) -> Lexicon:
    # Built once per Context; the service shares one Lexicon across requests.
    if ctx.lexicon is None:
        ctx.lexicon = Lexicon.from_menu(await ctx.menu.get_menu())
    return ctx.lexicon


async def _user(ctx: Context) -> UUID | None:
    # The request's session user, or a sign-in that completed on this session since.
    return ctx.user_id or await ctx.identity.current_user(ctx.session_id)


def _specs(choices: Sequence[Choice]) -> list[ChoiceSpec]:
    return [
        ChoiceSpec(group=c.group, option=c.option, qualifier=c.qualifier, exclude=c.exclude)
        for c in choices
    ]


def _lines(reading: Reading) -> list[LineSpec]:
    return [
        LineSpec(item=line.item, quantity=line.quantity, choices=tuple(_specs(line.choices)))
        for line in reading.items
    ]


def _fit_choices(menu: Menu, item: Item, choices: Sequence[ChoiceSpec]) -> list[ChoiceSpec]:
    """Move loose choices to the item's own group: "make that large" read without knowing the
    line may name the pizza size group while the line is a drink with its own sizes."""
    groups = menu.groups_of(item)
    own = {g.key for g in groups}
    fitted: list[ChoiceSpec] = []
    for choice in choices:
        if choice.group not in own:
            home = next((g for g in groups if g.option(choice.option) is not None), None)
            if home is not None:
                choice = choice.model_copy(update={"group": home.key})
        fitted.append(choice)
    return fitted


async def classify_intent(state: State, runtime: Runtime[Context]) -> Command[FlowNode]:
    """Read the message offline (or with the model when unsure) and pick the flow."""
    ctx = runtime.context
    text = state.text.strip()
    reading = read(await _lexicon(ctx), text)
    if ctx.chat_model is not None and is_unsure(reading, ctx.confidence_threshold):
        reading = await classify_with_model(
            ctx.chat_model, await ctx.menu.get_menu(), state, reading
        )
    reading = reread(reading, state)
    signed_in = await _user(ctx) is not None
    intent = resolve_intent(reading, state)
    goto = route_after_classify_intent(intent, state, signed_in=signed_in)
    return Command(
        goto=goto,
        update={
            "messages": [HumanMessage(content=text, id=str(uuid4()))],
            "turn": state.turn + 1,
            "intent": intent.value,
            "reading": dump_reading(reading),
            "signed_in": signed_in,
            "awaiting": None,
            "say": [],
            "cards": [],
        },
    )


# --- sign-in -----------------------------------------------------------------------------------

_GATED_WHAT = {
    Intent.CHECKOUT.value: "place your order",
    Intent.ORDER_STATUS.value: "look up your orders",
    Intent.CANCEL_ORDER.value: "cancel an order",
}


async def auth_gate(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Verify the customer's phone before checkout or orders, then resume what they asked."""
    reply = _Reply(state, runtime)
    reading = load_reading(state.reading)
    intent = Intent(state.intent)
    update: dict[str, Any] = {}

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

    if intent in (Intent.CHECKOUT, Intent.ORDER_STATUS, Intent.CANCEL_ORDER):
        update["pending"] = {"intent": intent.value, "reading": state.reading}
        if reading.phone:
            await send_code(reading.phone)
        elif state.auth_step == "code" and state.phone:
            reply.line(f"First, what's the code I texted to {mask_phone(state.phone)}?")
            reply.card(auth_card("code", phone=state.phone))
            update["awaiting"] = "code"
        else:
            what = _GATED_WHAT[intent.value]
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
        if state.auth_step != "code":
            if state.signed_in:
                reply.line("You're already signed in, no code needed.")
            else:
                reply.line("I haven't sent you a code yet. What's your phone number?")
                reply.card(auth_card("phone"))
                update.update(auth_step="phone", awaiting="phone")
        else:
            code = reading.code or "".join(ch for ch in reading.text if ch.isdigit())
            _, result = await run_tool(verify_code, runtime, state, code=code)
            if isinstance(result, SignedIn):
                reply.line("Thanks, your phone is verified.")
                update.update(signed_in=True, auth_step=None, phone=None, awaiting=None)
                pending = state.pending
                if pending is not None:
                    # Resume: the interrupted request is handled as if just asked.
                    update.update(
                        intent=pending["intent"], reading=pending["reading"], pending=None
                    )
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
        # Another request (e.g. a cart change) came in mid sign-in: remind, keep waiting.
        reply.line(f"When you're ready, send the code I texted to {mask_phone(state.phone)}.")
        update["awaiting"] = "code"
    elif state.auth_step == "phone":
        reply.line("When you're ready, send me your phone number to continue.")
        update["awaiting"] = "phone"
    return reply.update(**update)


# --- menu --------------------------------------------------------------------------------------


def _suggestions(lexicon: Lexicon, menu: Menu, word: str, skip: str | None = None) -> list[Item]:
    found: list[Item] = []
    for key in lexicon.suggest(word, limit=4):
        item = menu.item(key)
        if item is not None and item.available and key != skip and item not in found:
            found.append(item)
    return found[:3]


def _did_you_mean(word: str, items: Sequence[Item], reply: _Reply) -> str:
    names = join((i.label for i in items), "or")
    if not items:
        return f'I couldn\'t find "{word}" on the menu. Want me to show you the menu?'
    return reply.pick(
        f"dym:{word}",
        (
            f'I couldn\'t find "{word}" on the menu. Did you mean {names}?',
            f'Sorry, we don\'t have "{word}". Did you mean {names}?',
        ),
    )


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _allergen_answer(menu: Menu, item: Item, text: str) -> str:
    """A direct answer when the question names an allergen the menu knows ("nut free?")."""
    said = {_stem(w) for w in re.findall(r"[a-z]+", text.lower())}
    known = {a for i in menu.items() for a in i.allergens}
    asked = sorted(a for a in known if _stem(a.lower()) in said)
    if not asked:
        return ""
    has = [a for a in asked if a in item.allergens]
    if has:
        return f"Heads up: {item.label} contains {join(has)}. "
    return f"{item.label} has no {join(asked, 'or')} listed. "


def _filter_words(reading: Reading, currency: str) -> str:
    """The search as understood, for the reply: 'vegetarian, under $12.00, without nuts'."""
    parts = [t.replace("_", " ") for t in reading.tags]
    if reading.max_price is not None:
        parts.append(f"under {price(reading.max_price, currency)}")
    if reading.exclude_allergens:
        parts.append("without " + join(reading.exclude_allergens, "or"))
    if reading.query and not parts:
        parts.append(f'"{reading.query}"')
    return ", ".join(parts)


async def menu(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Show the menu or matching items, or answer a question about an item."""
    ctx = runtime.context
    reply = _Reply(state, runtime)
    reading = load_reading(state.reading)
    full = await ctx.menu.get_menu()
    currency = full.restaurant.currency
    update: dict[str, Any] = {}
    if Intent(state.intent) is Intent.ASK_ITEM and reading.items:
        described: list[Item] = []
        for line in reading.items[:3]:
            _, item = await run_tool(describe_item, runtime, state, item=line.item)
            if item is None:
                continue
            described.append(item)
            text = _allergen_answer(full, item, reading.text)
            text += f"{'It' if text else item.label} is {price(item.price, currency)}."
            if item.description:
                text += f" {item.description}"
            if item.allergens:
                text += f" Allergens: {join(item.allergens)}."
            groups = full.groups_of(item)
            if groups:
                text += " You can choose " + join(g.label.lower() for g in groups) + "."
            if not item.available:
                text += " It isn't available right now, sorry."
            reply.line(text)
        if described:
            reply.card(menu_card(full, described))
            reply.line("Would you like to add one?")
            first = described[0]
            if first.available:
                update["offer"] = Offer(item=first.key, quantity=1, choices=[])
                update["awaiting"] = "suggestion"
        return reply.update(**update)
    filters: dict[str, Any] = {
        "text": reading.query,
        "tags": list(reading.tags) or None,
        "max_price": reading.max_price,
        "exclude_allergens": list(reading.exclude_allergens) or None,
    }
    if reading.unknown and not any(filters.values()):
        lexicon = await _lexicon(ctx)
        word = reading.unknown[0]
        reply.line(_did_you_mean(word, _suggestions(lexicon, full, word), reply))
        return reply.update()
    _, items = await run_tool(search_menu, runtime, state, **filters)
    understood = _filter_words(reading, currency)
    overview = not understood
    if understood and not items:
        reply.line(f"Sorry, nothing on the menu matches {understood}.")
        _, items = await run_tool(search_menu, runtime, state)
        overview = True
    elif understood:
        what = ", ".join(f"{i.label} ({price(i.price, currency)})" for i in items[:6])
        more = f" and {len(items) - 6} more" if len(items) > 6 else ""
        reply.line(f"Here's what I found for {understood}: {what}{more}.")
    if overview and items:
        sections = []
        for category in full.categories:
            names = [i.label for i in category.items if i.available]
            if names:
                more = ", ..." if len(names) > 4 else ""
                sections.append(f"{category.label} ({', '.join(names[:4])}{more})")
        reply.line(f"At {full.restaurant.name} we have {join(sections)}.")
    reply.card(menu_card(full, items[:40]))
    update.update(_remind(state, reply))
    if not update:
        reply.line(
            reply.pick(
                "menu-next",
                ("What would you like?", "What can I get you?", "Anything catch your eye?"),
            )
        )
    return reply.update(**update)


# --- cart --------------------------------------------------------------------------------------


def _added_text(lines: Sequence[CartLineRead], currency: str, reply: _Reply) -> str:
    total = money(sum((line.line_total for line in lines), Decimal("0")))
    what = join(describe_line(line) for line in lines)
    return reply.pick("added", ADDED).format(what=what, total=price(total, currency))


async def _add(
    state: State,
    runtime: Runtime[Context],
    reply: _Reply,
    reading: Reading,
    lines: list[LineSpec],
) -> dict[str, Any]:
    ctx = runtime.context
    full = await ctx.menu.get_menu()
    lexicon = await _lexicon(ctx)
    update: dict[str, Any] = {"offer": None}
    offer: Offer | None = None
    change: CartChange | None = None
    if lines:
        _, change = await run_tool(add_to_cart, runtime, state, items=lines)
        assert change is not None
        if change.lines:
            reply.line(_added_text(change.lines, change.cart.currency, reply))
            update["last_line_id"] = change.lines[-1].id
        for refusal in change.refused:
            text = refusal.message
            if refusal.reason in ("unknown_item", "unavailable"):
                alternatives = _suggestions(
                    lexicon, full, refusal.item.replace("_", " "), skip=refusal.item
                )
                if alternatives:
                    text += f" How about {join((a.label for a in alternatives), 'or')}?"
                    offer = offer or Offer(item=alternatives[0].key, quantity=1, choices=[])
            reply.line(text)
    for word in reading.unknown:
        alternatives = _suggestions(lexicon, full, word)
        reply.line(_did_you_mean(word, alternatives, reply))
        if alternatives and offer is None:
            offer = Offer(item=alternatives[0].key, quantity=1, choices=[])
    if change is not None and change.lines:
        reply.card(cart_card(change.cart))
    if offer is not None:
        update.update(offer=offer, awaiting="suggestion")
    elif change is not None and change.lines:
        reply.line(reply.pick("else", ANYTHING_ELSE))
        update["awaiting"] = "anything_else"
    elif not lines and not reading.unknown:
        reply.line("What would you like to add?")
    return update


def _target_lines(cart: CartRead, state: State, reading: Reading) -> list[CartLineRead]:
    """The cart lines a remove or change refers to."""
    if reading.items:
        found: list[CartLineRead] = []
        for said in reading.items:
            matches = [line for line in cart.lines if line.item == said.item]
            if said.choices:
                keyed = {(c.group, c.option) for c in said.choices if not c.exclude}
                narrowed = [m for m in matches if keyed <= {(c.group, c.option) for c in m.choices}]
                matches = narrowed or matches
            found.extend(m for m in matches if m not in found)
        return found
    last = cart.line(state.last_line_id) if state.last_line_id else None
    if last is not None:
        return [last]
    return list(cart.lines[-1:]) if len(cart.lines) == 1 else []


async def cart(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Add, remove or change cart lines, show the cart, or empty it."""
    reply = _Reply(state, runtime)
    reading = load_reading(state.reading)
    intent = Intent(state.intent)
    update: dict[str, Any] = {}
    if intent is Intent.ADD_ITEMS:
        update = await _add(state, runtime, reply, reading, _lines(reading))
    elif intent is Intent.AFFIRM and state.offer is not None:
        offer = state.offer
        spec = LineSpec(
            item=offer["item"],
            quantity=quantity_in(reading) or offer["quantity"],
            choices=tuple(ChoiceSpec(**c) for c in offer["choices"]),
        )
        update = await _add(state, runtime, reply, replace(reading, unknown=()), [spec])
    elif intent is Intent.VIEW_CART:
        _, current = await run_tool(view_cart, runtime, state)
        if current.empty:
            reply.line("Your cart is empty. What can I get you?")
        else:
            what = join(describe_line(line) for line in current.lines)
            reply.line(f"You have {what}. Subtotal {price(current.subtotal, current.currency)}.")
            reply.card(cart_card(current))
            reply.line(reply.pick("else", ANYTHING_ELSE))
            update["awaiting"] = "anything_else"
    elif intent is Intent.CLEAR_CART:
        _, current = await run_tool(clear_cart, runtime, state)
        reply.line(
            reply.pick(
                "clear",
                (
                    "Okay, I've emptied your cart. What would you like instead?",
                    "Cart cleared. Let's start fresh. What can I get you?",
                ),
            )
        )
        reply.card(cart_card(current))
        update.update(checkout=None, last_line_id=None, offer=None)
    elif intent is Intent.REMOVE_ITEMS:
        update = await _remove(state, runtime, reply, reading)
    elif intent is Intent.CHANGE_ITEM:
        current = await runtime.context.cart.get(runtime.context.session_id)
        in_cart = {line.item for line in current.lines}
        if reading.items and not any(line.item in in_cart for line in reading.items):
            # "actually add a coke": a change naming items not in the cart is an addition.
            update = await _add(state, runtime, reply, reading, _lines(reading))
            update["intent"] = Intent.ADD_ITEMS.value
        else:
            update = await _change(state, runtime, reply, reading, current)
    return reply.update(**update)


async def _remove(
    state: State, runtime: Runtime[Context], reply: _Reply, reading: Reading
) -> dict[str, Any]:
    ctx = runtime.context
    current = await ctx.cart.get(ctx.session_id)
    targets = _target_lines(current, state, reading)
    if not targets:
        if reading.items:
            names = join(i.item.replace("_", " ") for i in reading.items)
            reply.line(f"I don't see {names} in your cart.")
        else:
            reply.line("Which item should I remove?")
        if not current.empty:
            reply.card(cart_card(current))
        return {}
    said = {line.item: line for line in reading.items}
    removed: list[str] = []
    for line in targets:
        asked = said.get(line.item)
        if asked is not None and asked.quantity_said and asked.quantity < line.quantity:
            keep = line.quantity - asked.quantity
            _, change = await run_tool(
                update_cart_line, runtime, state, line_id=line.id, quantity=keep
            )
            if change is not None:
                removed.append(describe_line(line, quantity=asked.quantity))
                current = change.cart
            continue
        _, after = await run_tool(remove_from_cart, runtime, state, line_id=line.id)
        if after is not None:
            removed.append(describe_line(line))
            current = after
    what = join(removed)
    reply.line(reply.pick("removed", REMOVED).format(what=what, What=what[:1].upper() + what[1:]))
    if current.empty:
        reply.line("Your cart is empty now.")
    else:
        reply.line(f"Your subtotal is {price(current.subtotal, current.currency)}.")
    reply.card(cart_card(current))
    update: dict[str, Any] = {}
    if state.last_line_id and current.line(state.last_line_id) is None:
        update["last_line_id"] = current.lines[-1].id if current.lines else None
    if current.empty:
        update["checkout"] = None
    return update


async def _change(
    state: State, runtime: Runtime[Context], reply: _Reply, reading: Reading, current: CartRead
) -> dict[str, Any]:
    ctx = runtime.context
    targets = _target_lines(current, state, reading)
    quantity = reading.quantity
    choices = list(_specs(reading.choices))
    if reading.items:
        first = reading.items[0]
        if quantity is None and first.quantity_said:
            quantity = first.quantity
        # With an item named, its choices are the change (its own name is not a change).
        choices += _specs(first.choices)
    if not targets:
        if current.empty:
            reply.line("Your cart is empty, so there's nothing to change yet. What can I get you?")
        else:
            reply.line("Which item should I change?")
            reply.card(cart_card(current))
        return {}
    if quantity is None and not choices:
        reply.line(f"What would you like to change about the {targets[-1].label.lower()}?")
        return {"last_line_id": targets[-1].id}
    line = targets[-1]
    item = await ctx.menu.get_item(line.item)
    if item is not None:
        choices = _fit_choices(await ctx.menu.get_menu(), item, choices)
    content, change = await run_tool(
        update_cart_line,
        runtime,
        state,
        line_id=line.id,
        quantity=quantity,
        choices=choices or None,
    )
    if change is None:
        reply.line(content.removeprefix("Not changed: "))
        return {"last_line_id": line.id}
    updated = change.lines[0]
    reply.line(
        reply.pick("updated", UPDATED).format(
            what=describe_line(updated), total=price(updated.line_total, change.cart.currency)
        )
    )
    reply.card(cart_card(change.cart))
    if state.checkout is None:
        reply.line(reply.pick("else", ANYTHING_ELSE))
        return {"last_line_id": updated.id, "awaiting": "anything_else"}
    return {"last_line_id": updated.id}


# --- checkout and orders -----------------------------------------------------------------------


async def checkout(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Take the cart through order type, address and confirmation; or show or cancel orders."""
    intent = Intent(state.intent)
    reply = _Reply(state, runtime)
    if intent is Intent.ORDER_STATUS:
        return reply.update(**await _status(state, runtime, reply))
    if intent is Intent.CANCEL_ORDER:
        return reply.update(**await _cancel(state, runtime, reply))
    return reply.update(**await _checkout(state, runtime, reply, intent))


async def _checkout(
    state: State, runtime: Runtime[Context], reply: _Reply, intent: Intent
) -> dict[str, Any]:
    ctx = runtime.context
    reading = load_reading(state.reading)
    progress = state.checkout
    if intent is Intent.DENY and progress is not None:
        reply.line(reply.pick("stopped", CHECKOUT_STOPPED))
        return {"checkout": None}
    default_type = ctx.default_order_type.value if ctx.default_order_type else None
    co = (
        Checkout(
            step=progress["step"],
            order_type=progress["order_type"],
            address=progress["address"],
            key=progress["key"],
        )
        if progress is not None
        else Checkout(step="order_type", order_type=default_type, address=None, key=str(uuid4()))
    )
    changed = False
    if reading.order_type is not None and reading.order_type.value != co["order_type"]:
        co["order_type"] = reading.order_type.value
        changed = True
    if reading.address:
        co["address"] = reading.address
        changed = True
    elif progress is not None and progress["step"] == "address" and is_address_answer(reading):
        co["address"] = reading.text.strip()
        changed = True
    confirming = (
        progress is not None
        and progress["step"] == "confirm"
        and not changed
        and intent in (Intent.AFFIRM, Intent.CHECKOUT)
        and Intent(reading.intent) in (Intent.AFFIRM, Intent.CHECKOUT)
    )
    # A confirmation goes to the desk even with an empty cart: a retried "yes" after the order
    # was placed (and the cart emptied) gets the same order back by its idempotency key. So it
    # needs no read of the cart here: the desk reads it under its lock.
    current = None if confirming else await ctx.cart.get(ctx.session_id)
    if current is not None and current.empty:
        reply.line("Your cart is empty, so there's nothing to check out yet. What can I get you?")
        return {"checkout": None}
    if co["order_type"] is None:
        co["step"] = "order_type"
        reply.line(reply.pick("type", ASK_ORDER_TYPE))
        return {"checkout": co, "awaiting": "order_type"}
    order_type = OrderType(co["order_type"])
    if order_type is OrderType.DELIVERY and not co["address"]:
        co["step"] = "address"
        reply.line(reply.pick("address", ASK_ADDRESS))
        return {"checkout": co, "awaiting": "address"}
    if confirming:
        address = co["address"] if order_type is OrderType.DELIVERY else None
        # The tool reads the idempotency key from the checkout in the state it is given.
        content, order = await run_tool(
            place_order,
            runtime,
            replace(state, checkout=co),
            order_type=order_type,
            address=address,
        )
        if order is None:
            reply.line(content.removeprefix("Not placed: "))
            return {"checkout": co, "awaiting": "confirm"}
        reply.card(order_card(order))
        reply.line(reply.pick("placed", PLACED).format(summary=order_summary(order)))
        minutes = round((order.ready_at - ctx.clock()).total_seconds() / 60)
        if minutes > 0:
            reply.line(f"That's about {minutes} minutes from now.")
        return {"checkout": None, "last_order": order.number, "last_line_id": None}
    assert current is not None  # read above unless confirming
    co["step"] = "confirm"
    totals = order_totals(current.subtotal, order_type)
    what = join(describe_line(line) for line in current.lines)
    where = TYPE_WORDS[order_type]
    if order_type is OrderType.DELIVERY:
        where += f" to {co['address']}"
    money_parts = f"subtotal {price(totals.subtotal, current.currency)}"
    if totals.delivery_fee:
        money_parts += f", delivery {price(totals.delivery_fee, current.currency)}"
    money_parts += (
        f", tax {price(totals.tax, current.currency)}, total "
        f"{price(totals.total, current.currency)}"
    )
    lead = (
        "Updated order" if progress is not None and progress["step"] == "confirm" else "Your order"
    )
    reply.line(f"{lead}: {what}, for {where}; {money_parts}.")
    reply.card(cart_card(current, totals=totals, order_type=order_type.value))
    reply.line(reply.pick("confirm", CONFIRM))
    return {"checkout": co, "awaiting": "confirm"}


async def _latest(runtime: Runtime[Context], state: State) -> list[OrderRead]:
    _, orders = await run_tool(get_order_status, runtime, state)
    result: list[OrderRead] = orders
    return result


async def _status(state: State, runtime: Runtime[Context], reply: _Reply) -> dict[str, Any]:
    reading = load_reading(state.reading)
    if reading.order_number:
        _, orders = await run_tool(get_order_status, runtime, state, number=reading.order_number)
        if not orders:
            reply.line(f"I can't find order #{reading.order_number} on your account.")
            return {}
    else:
        orders = await _latest(runtime, state)
        if not orders:
            reply.line("I don't see any orders on your account yet. Want to start one?")
            return {}
    order = orders[0]
    reply.card(order_card(order))
    lead = "Your order" if reading.order_number else "Your latest order"
    reply.line(f"{lead} {order_summary(order)}.")
    if order.status is OrderStatus.PLACED:
        reply.line("It's with the kitchen; you can still cancel it if you need to.")
    return {"last_order": order.number}


async def _cancel(state: State, runtime: Runtime[Context], reply: _Reply) -> dict[str, Any]:
    reading = load_reading(state.reading)
    number = reading.order_number
    if number is None:
        orders = await _latest(runtime, state)
        open_orders = [o for o in orders if o.status is OrderStatus.PLACED]
        if not orders:
            reply.line("You don't have any orders to cancel.")
            return {}
        number = (open_orders[0] if open_orders else orders[0]).number
    content, order = await run_tool(cancel_order, runtime, state, number=number)
    if order is None:
        reply.line(content.removeprefix("Not cancelled: "))
        return {}
    reply.card(order_card(order))
    reply.line(f"Order #{order.number} is cancelled. Anything else I can do?")
    return {"last_order": order.number}


# --- talk --------------------------------------------------------------------------------------


def _remind(state: State, reply: _Reply) -> dict[str, Any]:
    """Re-ask the step in progress (sign-in or checkout), so the customer knows what's expected."""
    if state.auth_step == "code":
        reply.line(f"I'm still waiting for the code I texted to {mask_phone(state.phone)}.")
        return {"awaiting": "code"}
    if state.auth_step == "phone":
        reply.line("Send me your phone number whenever you're ready to continue.")
        return {"awaiting": "phone"}
    if state.checkout is not None:
        step = state.checkout["step"]
        questions = {"order_type": ASK_ORDER_TYPE, "address": ASK_ADDRESS, "confirm": CONFIRM}
        reply.line(reply.pick(f"remind:{step}", questions[step]))
        awaiting: Literal["order_type", "address", "confirm"] = step
        return {"awaiting": awaiting}
    return {}


async def help(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Greet, explain what the assistant can do, say thanks and goodbye."""
    ctx = runtime.context
    reply = _Reply(state, runtime)
    intent = Intent(state.intent)
    name = (await ctx.menu.get_menu()).restaurant.name
    in_flow = state.checkout is not None or state.auth_step is not None
    if intent is Intent.GREET and in_flow:
        reply.line("Hi again!")
    elif intent is Intent.GREET:
        reply.line(reply.pick("greet", GREETING).format(name=name))
    elif intent is Intent.HELP:
        reply.line(
            "I can show the menu (try 'what's vegetarian?'), take your order ('two large "
            "pizzas with extra cheese'), change it ('make that a large'), and check you out for "
            "pickup, delivery or dine-in. I can also look up or cancel your orders."
        )
    elif intent is Intent.THANKS:
        reply.line(reply.pick("thanks", ("You're welcome!", "My pleasure!", "Anytime!")))
    elif intent is Intent.GOODBYE:
        reply.line(reply.pick("bye", ("Bye, enjoy your meal!", "Thanks for stopping by!")))
    elif intent is Intent.AFFIRM:
        reply.line(reply.pick("more", ("Great, what else would you like?", "Sure, what else?")))
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
    update: dict[str, Any] = {"offer": None}
    if intent not in (Intent.GOODBYE, Intent.DENY):
        update.update(_remind(state, reply))
    return reply.update(**update)


async def fallback(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Ask a clarifying question, suggesting menu items for words that looked like one."""
    ctx = runtime.context
    reply = _Reply(state, runtime)
    reading = load_reading(state.reading)
    update: dict[str, Any] = {}
    if reading.unknown:
        full = await ctx.menu.get_menu()
        lexicon = await _lexicon(ctx)
        word = reading.unknown[0]
        alternatives = _suggestions(lexicon, full, word)
        reply.line(_did_you_mean(word, alternatives, reply))
        if alternatives:
            update.update(
                offer=Offer(item=alternatives[0].key, quantity=1, choices=[]), awaiting="suggestion"
            )
            return reply.update(**update)
    else:
        # A free-form question nothing understood: the model answers it with the tools, if any.
        answer = await answer_with_tools(ctx.chat_model, runtime, state) if ctx.chat_model else None
        reply.line(answer or reply.pick("clarify", CLARIFY))
        if answer:
            return reply.update(**update, **_remind(state, reply))
    update.update(_remind(state, reply) or {"awaiting": "clarify"})
    return reply.update(**update)


async def respond(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Send this turn's reply as one message carrying its cards."""
    ctx = runtime.context
    text = " ".join(part for part in state.say if part) or pick(
        f"{ctx.session_id}:{state.turn}", CLARIFY
    )
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
        content=text, id=message_id, additional_kwargs={"cards": [dict(c) for c in state.cards]}
    )
    runtime.stream_writer({"type": "reply", "id": message.id, "text": text})
    return {"messages": [message], "say": [], "cards": []}


__all__ = [
    "auth_gate",
    "cart",
    "checkout",
    "classify_intent",
    "fallback",
    "help",
    "menu",
    "respond",
]
