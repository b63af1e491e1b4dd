"""Order tools: place the cart as an order, look orders up, cancel one. All need a signed-in
customer, whom Context names; a tool never takes a user id from its arguments."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from graph.context import Context
from graph.intents import OrderType
from graph.models import OrderCreate, OrderError, OrderRead
from graph.replies import order_summary
from graph.tools._report import report, user_of

NOT_SIGNED_IN = "The customer is not signed in; ask for their phone number and verify it first."


def _checkout_key(state: Any) -> str | None:
    checkout = getattr(state, "checkout", None)
    if checkout is None and isinstance(state, dict):
        checkout = state.get("checkout")
    key = getattr(checkout, "key", None)
    return key if isinstance(key, str) else None


@tool(response_format="content_and_artifact")
async def place_order(
    runtime: ToolRuntime[Context, Any], order_type: OrderType, address: str | None = None
) -> tuple[str, OrderRead | None]:
    """Place the customer's cart as an order, only after they confirmed the summary.
    `order_type`: pickup, delivery (then `address` is required) or dine_in."""
    ctx = runtime.context
    args = {"order_type": order_type.value, "address": address}
    user_id = await user_of(runtime)
    order: OrderRead | None = None
    if user_id is None:
        content = NOT_SIGNED_IN
    else:
        # The checkout's key survives a retried turn, so a retried "yes" places one order.
        key = _checkout_key(runtime.state) or f"{ctx.session_id}:{runtime.tool_call_id}"
        try:
            order = await ctx.orders.place(
                OrderCreate(
                    session_id=ctx.session_id,
                    user_id=user_id,
                    type=order_type,
                    address=address,
                    idempotency_key=key,
                )
            )
            content = f"Placed order {order_summary(order)}."
        except OrderError as exc:
            content = f"Not placed: {exc.message}"
    report(runtime, "place_order", args, content)
    return content, order


@tool(response_format="content_and_artifact")
async def get_order_status(
    runtime: ToolRuntime[Context, Any], number: str | None = None
) -> tuple[str, list[OrderRead]]:
    """Look up the customer's order by `number`, or their recent orders (newest first) when no
    number is given. Returns each order's number, type, status, ready time and total."""
    ctx = runtime.context
    user_id = await user_of(runtime)
    orders: list[OrderRead] = []
    if user_id is None:
        content = NOT_SIGNED_IN
    elif number:
        order = await ctx.orders.get(user_id, number.lstrip("#"))
        orders = [order] if order else []
        content = (
            f"Order {order_summary(order)}."
            if order
            else f"There is no order #{number.lstrip('#')} on this customer's account."
        )
    else:
        orders = await ctx.orders.list_for_user(user_id, limit=5)
        content = (
            "\n".join(f"Order {order_summary(o)}" for o in orders)
            if orders
            else "The customer has no orders yet."
        )
    report(runtime, "get_order_status", {"number": number}, content)
    return content, orders


@tool(response_format="content_and_artifact")
async def cancel_order(
    runtime: ToolRuntime[Context, Any], number: str
) -> tuple[str, OrderRead | None]:
    """Cancel the customer's order by `number`; only possible while its status is 'placed'."""
    ctx = runtime.context
    user_id = await user_of(runtime)
    order: OrderRead | None = None
    if user_id is None:
        content = NOT_SIGNED_IN
    else:
        try:
            order = await ctx.orders.cancel(user_id, number.lstrip("#"))
            content = f"Cancelled order #{order.number}."
        except OrderError as exc:
            content = f"Not cancelled: {exc.message}"
    report(runtime, "cancel_order", {"number": number}, content)
    return content, order


__all__ = ["cancel_order", "get_order_status", "place_order"]
