"""Checkout: order type, delivery address, a summary with the totals, and "yes" to place it.

The restaurant must be open (a closed one says when it opens again) and taking orders (a
manager may pause them), every line must still be available (one sold out since it was added is
named, with alternatives) and a delivery must reach the menu's minimum; the order desk checks all
of it again when it places the order.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import uuid4

from langgraph.runtime import Runtime

from graph.cards import cart_card, order_card
from graph.context import Context
from graph.dialogue import Dialogue
from graph.intents import Intent, OrderType
from graph.models import OrderError
from graph.nodes.turn import Reply
from graph.pricing import check_order, order_totals, paused_message, sold_out, sold_out_message
from graph.replies import (
    ASK_ADDRESS,
    ASK_ORDER_TYPE,
    CHECKOUT_STOPPED,
    CONFIRM,
    PLACED,
    describe_line,
    join,
    order_summary,
    price,
)
from graph.routes import is_address_answer
from graph.state import Checkout, State
from graph.tools import run_tool
from graph.tools.orders import place_order
from graph.venue import closed_message, is_open

TYPE_WORDS = {
    OrderType.PICKUP: "pickup",
    OrderType.DELIVERY: "delivery",
    OrderType.DINE_IN: "dine-in",
}


async def check_out(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Take the cart through order type, address and confirmation, and place the order."""
    ctx = runtime.context
    reply = Reply(state, runtime)
    reading = state.reading
    assert reading is not None
    intent = state.intent
    progress = state.checkout
    if intent is Intent.DENY and progress is not None:
        reply.line(reply.pick("stopped", CHECKOUT_STOPPED))
        return reply.update(checkout=None)
    menu = await ctx.menu.get_menu()
    info = menu.restaurant.info
    confirming_now = progress is not None and progress.step == "confirm"
    if not confirming_now and info is not None and not is_open(info, ctx.clock()):
        # Said before the details are asked for; a "yes" at the summary goes to the desk,
        # which refuses it the same way (and keeps the summary for when it opens).
        reply.line(f"{closed_message(info, ctx.clock())} Your cart is saved until then.")
        return reply.update(checkout=None)
    paused = paused_message(menu)
    if paused is not None:
        reply.line(f"{paused} Your cart is saved until we're taking orders again.")
        return reply.update(checkout=None)
    co = progress or Checkout(
        step="order_type", order_type=ctx.default_order_type, address=None, key=str(uuid4())
    )
    changed = False
    if reading.order_type is not None and reading.order_type != co.order_type:
        co = replace(co, order_type=reading.order_type)
        changed = True
    if reading.address:
        co = replace(co, address=reading.address)
        changed = True
    elif progress is not None and progress.step == "address" and is_address_answer(reading):
        co = replace(co, address=reading.text.strip())
        changed = True
    confirming = (
        progress is not None
        and progress.step == "confirm"
        and not changed
        and intent in (Intent.AFFIRM, Intent.CHECKOUT)
        and reading.intent in (Intent.AFFIRM, Intent.CHECKOUT)
    )
    # A confirmation goes to the desk even with an empty cart: a retried "yes" after the order
    # was placed (and the cart emptied) gets the same order back by its idempotency key. So it
    # needs no read of the cart here: the desk reads it under its lock.
    current = None if confirming else await ctx.cart.get(ctx.session_id)
    if current is not None and current.empty:
        reply.line("Your cart is empty, so there's nothing to check out yet. What can I get you?")
        return reply.update(checkout=None)
    if co.order_type is None:
        reply.line(reply.pick("type", ASK_ORDER_TYPE))
        reply.offer("Pickup", "Delivery", "Dine-in")
        return reply.update(checkout=replace(co, step="order_type"), awaiting="order_type")
    order_type = co.order_type
    if order_type is OrderType.DELIVERY and not co.address:
        reply.line(reply.pick("address", ASK_ADDRESS))
        return reply.update(checkout=replace(co, step="address"), awaiting="address")
    if confirming:
        address = co.address if order_type is OrderType.DELIVERY else None
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
            return reply.update(checkout=co, awaiting="confirm")
        reply.card(order_card(order))
        summary = order_summary(order, info.zone if info is not None else None)
        reply.line(reply.pick("placed", PLACED).format(summary=summary))
        minutes = round((order.ready_at - ctx.clock()).total_seconds() / 60)
        if minutes > 0:
            reply.line(f"That's about {minutes} minutes from now.")
        return reply.update(checkout=None, last_order=order.number, dialogue=Dialogue())
    assert current is not None  # read above unless confirming
    gone = sold_out_message(menu, current.lines)
    if gone is not None:
        # Said before the summary: what to do about the line, not the totals of an order that
        # cannot be placed.
        reply.line(gone)
        reply.card(cart_card(current))
        reply.offer(*(f"Remove the {line.label}" for line in current.lines if sold_out(menu, line)))
        return reply.update(checkout=None)
    try:
        check_order(menu, order_type, current.subtotal, ctx.clock(), current.lines)
    except OrderError as exc:
        reply.line(exc.message)
        if order_type is OrderType.DELIVERY and info is not None and is_open(info, ctx.clock()):
            reply.line("You can add something more, or choose pickup instead.")
            reply.offer("Pickup")
            return reply.update(checkout=replace(co, step="order_type"), awaiting="order_type")
        return reply.update(checkout=None)
    co = replace(co, step="confirm")
    totals = order_totals(current.subtotal, order_type, menu=menu)
    what = join(describe_line(line) for line in current.lines)
    where = TYPE_WORDS[order_type]
    if order_type is OrderType.DELIVERY:
        where += f" to {co.address}"
    money_parts = f"subtotal {price(totals.subtotal, current.currency)}"
    if totals.delivery_fee:
        money_parts += f", delivery {price(totals.delivery_fee, current.currency)}"
    money_parts += (
        f", tax {price(totals.tax, current.currency)}, total "
        f"{price(totals.total, current.currency)}"
    )
    lead = "Updated order" if progress is not None and progress.step == "confirm" else "Your order"
    reply.line(f"{lead}: {what}, for {where}; {money_parts}.")
    reply.card(cart_card(current, totals=totals, order_type=order_type.value))
    reply.line(reply.pick("confirm", CONFIRM))
    reply.offer("Yes", "No")
    return reply.update(checkout=co, awaiting="confirm")


def checkout_reminder(state: State, reply: Reply) -> dict[str, Any]:
    """The checkout step in progress, asked again after a request that was not about it."""
    checkout = state.checkout
    if checkout is None or state.awaiting is not None:
        return {}
    questions = {"order_type": ASK_ORDER_TYPE, "address": ASK_ADDRESS, "confirm": CONFIRM}
    reply.line(reply.pick(f"remind:{checkout.step}", questions[checkout.step]))
    if checkout.step == "confirm":
        reply.offer("Yes", "No")
    elif checkout.step == "order_type":
        reply.offer("Pickup", "Delivery", "Dine-in")
    return {"awaiting": checkout.step}


__all__ = ["TYPE_WORDS", "check_out", "checkout_reminder"]
