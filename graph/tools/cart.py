"""Cart tools: add, change, remove, view, clear. The cart belongs to the session in Context."""

from __future__ import annotations

from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime
from pydantic import BaseModel, Field

from graph.context import Context
from graph.models import MAX_QUANTITY, CartChange, CartError, CartRead, ChoiceSpec, LineSpec
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


def _check_quantity(quantity: int | None) -> None:
    if quantity is not None and not 1 <= quantity <= MAX_QUANTITY:
        raise CartError(f"Quantities must be whole numbers from 1 to {MAX_QUANTITY}.")


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


class OptionKey(BaseModel):
    """An option of a line by its keys."""

    group: str = Field(description="option group key")
    option: str = Field(description="option key inside the group")


@tool(response_format="content_and_artifact")
async def update_cart_line(
    runtime: ToolRuntime[Context, Any],
    line_id: str,
    quantity: int | None = None,
    item: str | None = None,
    choices: list[ChoiceSpec] | None = None,
    remove_options: list[OptionKey] | None = None,
) -> tuple[str, CartChange | None]:
    """Change one cart line (ids from view_cart). `quantity`: the line's new quantity (1-99).
    `item`: another menu item for the line (a swap: "make the coke a sprite"); the line keeps the
    choices the new item also takes. `choices`: options merged onto the line (a size replaces
    the old size; exclude=true leaves an option off). `remove_options`: options said earlier to
    take off the line ("provolone instead of swiss": remove swiss, add provolone)."""
    ctx = runtime.context
    change: CartChange | None
    try:
        _check_quantity(quantity)
        change = await ctx.cart.update_line(
            ctx.session_id,
            line_id,
            quantity=quantity,
            choices=choices or (),
            item=item,
            remove=tuple((o.group, o.option) for o in remove_options or ()),
        )
        content = f"Updated [{line_id}] {describe_line(change.lines[0])}\n{cart_text(change.cart)}"
    except CartError as exc:
        change, content = None, f"Not changed: {exc.message}"
    args = {
        "line_id": line_id,
        "quantity": quantity,
        "item": item,
        "choices": choices,
        "remove_options": remove_options,
    }
    report(runtime, "update_cart_line", args, content)
    return content, change


@tool(response_format="content_and_artifact")
async def split_cart_line(
    runtime: ToolRuntime[Context, Any],
    line_id: str,
    quantity: int,
    item: str | None = None,
    choices: list[ChoiceSpec] | None = None,
    remove_options: list[OptionKey] | None = None,
) -> tuple[str, CartChange | None]:
    """Take `quantity` units off a line (ids from view_cart) into a new line of their own, changed
    as in update_cart_line: "make one of them thin crust" on 3 pizzas leaves 2 as they were and
    1 thin crust. `quantity` must be less than the line's."""
    ctx = runtime.context
    change: CartChange | None = None
    try:
        cart = await ctx.cart.get(ctx.session_id)
        line = cart.line(line_id)
        if line is None:
            raise CartError("That item isn't in your cart any more.")
        if not 1 <= quantity < line.quantity:
            raise CartError(
                f"To split {describe_line(line)}, say how many of the {line.quantity} to change."
            )
        removed = {(o.group, o.option) for o in remove_options or ()}
        kept = [
            ChoiceSpec(group=c.group, option=c.option, qualifier=c.qualifier, exclude=c.exclude)
            for c in line.choices
            if not c.default and (c.group, c.option) not in removed
        ]
        spec = LineSpec(
            item=item or line.item, quantity=quantity, choices=(*kept, *(choices or ()))
        )
        added = await ctx.cart.add(ctx.session_id, [spec])
        if added.refused:
            raise CartError(added.refused[0].message)
        kept_line = await ctx.cart.update_line(
            ctx.session_id, line_id, quantity=line.quantity - quantity
        )
        change = CartChange(cart=kept_line.cart, lines=(kept_line.lines[0], *added.lines))
        content = (
            f"Split [{line_id}] into {describe_line(change.lines[0])} and "
            f"[{added.lines[0].id}] {describe_line(added.lines[0])}\n{cart_text(change.cart)}"
        )
    except CartError as exc:
        change, content = None, f"Not changed: {exc.message}"
    args = {
        "line_id": line_id,
        "quantity": quantity,
        "item": item,
        "choices": choices,
        "remove_options": remove_options,
    }
    report(runtime, "split_cart_line", args, content)
    return content, change


@tool(response_format="content_and_artifact")
async def remove_from_cart(
    runtime: ToolRuntime[Context, Any], line_id: str, quantity: int | None = None
) -> tuple[str, CartRead | None]:
    """Remove one line from the cart by its id (from view_cart), or only `quantity` of its units
    ("take off one of the cookies")."""
    ctx = runtime.context
    cart: CartRead | None
    try:
        # The line's count is needed only to take off some of its units.
        line = None if quantity is None else (await ctx.cart.get(ctx.session_id)).line(line_id)
        if quantity is not None and line is not None and 0 < quantity < line.quantity:
            cart = (
                await ctx.cart.update_line(
                    ctx.session_id, line_id, quantity=line.quantity - quantity
                )
            ).cart
            content = f"Removed {quantity} of [{line_id}].\n{cart_text(cart)}"
        else:
            cart = await ctx.cart.remove_line(ctx.session_id, line_id)
            content = f"Removed [{line_id}].\n{cart_text(cart)}"
    except CartError as exc:
        cart, content = None, f"Not removed: {exc.message}"
    report(runtime, "remove_from_cart", {"line_id": line_id, "quantity": quantity}, content)
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
    "OptionKey",
    "add_to_cart",
    "cart_text",
    "clear_cart",
    "remove_from_cart",
    "split_cart_line",
    "update_cart_line",
    "view_cart",
]
