"""Cart tools: add, change, remove, view, clear. The cart belongs to the session in Context."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from graph.context import Context
from graph.models import CartChange, CartError, CartRead, ChoiceSpec, LineSpec
from graph.replies import describe_line, price
from graph.tools._report import report


def cart_text(cart: CartRead) -> str:
    """The cart as text a model can reason about: one line each with its id."""
    if cart.empty:
        return "The cart is empty."
    lines = [
        f"[{line.id}] {describe_line(line)}: {price(line.line_total, cart.currency)}"
        for line in cart.lines
    ]
    return "\n".join([*lines, f"Subtotal: {price(cart.subtotal, cart.currency)}"])


@tool(response_format="content_and_artifact")
async def add_to_cart(
    runtime: ToolRuntime[Context, Any], items: list[LineSpec]
) -> tuple[str, CartChange]:
    """Add items to the customer's cart. Each item: the menu `item` key, a `quantity`, and
    `choices` as {group, option, qualifier ('light'|'extra'), exclude (true for 'no X')} using
    the keys from describe_item. Defaults are filled in by the cart. Lines the menu refuses come
    back with the reason; fix the choice or ask the customer."""
    ctx = runtime.context
    change = await ctx.cart.add(ctx.session_id, items)
    parts = [f"Added [{line.id}] {describe_line(line)}" for line in change.lines]
    parts += [f"Refused {r.item}: {r.message}" for r in change.refused]
    content = "\n".join([*parts, cart_text(change.cart)])
    report(runtime, "add_to_cart", {"items": items}, content)
    return content, change


@tool(response_format="content_and_artifact")
async def update_cart_line(
    runtime: ToolRuntime[Context, Any],
    line_id: str,
    quantity: int | None = None,
    choices: list[ChoiceSpec] | None = None,
) -> tuple[str, CartChange | None]:
    """Change one cart line (ids from view_cart): a new `quantity`, and/or `choices` merged onto
    the line (a size replaces the old size; exclude=true takes an option off)."""
    ctx = runtime.context
    change: CartChange | None
    try:
        change = await ctx.cart.update_line(
            ctx.session_id, line_id, quantity=quantity, choices=choices or ()
        )
        content = f"Updated [{line_id}] {describe_line(change.lines[0])}\n{cart_text(change.cart)}"
    except CartError as exc:
        change, content = None, f"Not changed: {exc.message}"
    report(
        runtime,
        "update_cart_line",
        {"line_id": line_id, "quantity": quantity, "choices": choices},
        content,
    )
    return content, change


@tool(response_format="content_and_artifact")
async def remove_from_cart(
    runtime: ToolRuntime[Context, Any], line_id: str
) -> tuple[str, CartRead | None]:
    """Remove one line from the cart by its id (from view_cart)."""
    ctx = runtime.context
    cart: CartRead | None
    try:
        cart = await ctx.cart.remove_line(ctx.session_id, line_id)
        content = f"Removed [{line_id}].\n{cart_text(cart)}"
    except CartError as exc:
        cart, content = None, f"Not removed: {exc.message}"
    report(runtime, "remove_from_cart", {"line_id": line_id}, content)
    return content, cart


@tool(response_format="content_and_artifact")
async def view_cart(runtime: ToolRuntime[Context, Any]) -> tuple[str, CartRead]:
    """Show the customer's cart: each line with its id, choices and price, and the subtotal."""
    ctx = runtime.context
    cart = await ctx.cart.get(ctx.session_id)
    content = cart_text(cart)
    report(runtime, "view_cart", {}, content)
    return content, cart


@tool(response_format="content_and_artifact")
async def clear_cart(runtime: ToolRuntime[Context, Any]) -> tuple[str, CartRead]:
    """Empty the customer's cart (only when they ask to start over)."""
    ctx = runtime.context
    cart = await ctx.cart.clear(ctx.session_id)
    content = "The cart is now empty."
    report(runtime, "clear_cart", {}, content)
    return content, cart


__all__ = [
    "add_to_cart",
    "cart_text",
    "clear_cart",
    "remove_from_cart",
    "update_cart_line",
    "view_cart",
]
