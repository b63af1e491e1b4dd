"""The customer's orders: where an order is, and cancelling one (after a yes)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from graph.cards import order_card
from graph.context import Context
from graph.intents import Intent
from graph.models import CANCELLABLE, OrderRead
from graph.nodes.turn import Reply, zone_of
from graph.replies import order_summary
from graph.state import State
from graph.tools import run_tool
from graph.tools.orders import cancel_order as cancel_order_tool
from graph.tools.orders import get_order_status


async def _latest(runtime: Runtime[Context], state: State) -> list[OrderRead]:
    _, orders = await run_tool(get_order_status, runtime, state)
    result: list[OrderRead] = orders
    return result


async def track_order(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Show the order asked about, or the latest one."""
    reply = Reply(state, runtime)
    reading = state.reading
    assert reading is not None
    if reading.order_number:
        _, orders = await run_tool(get_order_status, runtime, state, number=reading.order_number)
        if not orders:
            reply.line(f"I can't find order #{reading.order_number} on your account.")
            return reply.update()
    else:
        orders = await _latest(runtime, state)
        if not orders:
            reply.line("I don't see any orders on your account yet. Want to start one?")
            return reply.update()
    order = orders[0]
    reply.card(order_card(order))
    lead = "Your order" if reading.order_number else "Your latest order"
    reply.line(f"{lead} {order_summary(order, await zone_of(runtime.context))}.")
    if order.status in CANCELLABLE:
        reply.line("It's with the kitchen; you can still cancel it if you need to.")
    return reply.update(last_order=order.number)


async def cancel_order(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Cancel an order, once the customer has said yes to cancelling that one."""
    reply = Reply(state, runtime)
    reading = state.reading
    assert reading is not None
    if state.asked == "confirm_cancel" and state.cancelling is not None:
        if state.intent is Intent.DENY:
            reply.line(f"Okay, order #{state.cancelling} stays as it is.")
            return reply.update(cancelling=None)
        content, order = await run_tool(cancel_order_tool, runtime, state, number=state.cancelling)
        if order is None:
            reply.line(content.removeprefix("Not cancelled: "))
            return reply.update(cancelling=None)
        reply.card(order_card(order))
        reply.line(f"Order #{order.number} is cancelled. Anything else I can do?")
        return reply.update(last_order=order.number, cancelling=None)
    number = reading.order_number
    if number is None:
        orders = await _latest(runtime, state)
        open_orders = [o for o in orders if o.status in CANCELLABLE]
        if not orders:
            reply.line("You don't have any orders to cancel.")
            return reply.update()
        target = open_orders[0] if open_orders else orders[0]
    else:
        _, found = await run_tool(get_order_status, runtime, state, number=number)
        if not found:
            reply.line(f"I can't find order #{number} on your account.")
            return reply.update()
        target = found[0]
    if target.status not in CANCELLABLE:
        state_words = target.status.value.replace("_", " ")
        reply.line(f"Order #{target.number} is already {state_words}, so it can't be cancelled.")
        reply.card(order_card(target))
        return reply.update(last_order=target.number)
    reply.card(order_card(target))
    zone = await zone_of(runtime.context)
    reply.line(f"Do you want me to cancel order {order_summary(target, zone)}?")
    reply.offer("Yes", "No")
    return reply.update(awaiting="confirm_cancel", cancelling=target.number)


__all__ = ["cancel_order", "track_order"]
