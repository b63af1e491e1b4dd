"""Menu tools: search the menu, describe an item."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime

from graph.context import Context
from graph.menu import Item, Menu
from graph.replies import price
from graph.search import dietary, in_course_order
from graph.tools._report import report


def item_line(item: Item, currency: str = "USD") -> str:
    """One item as a line of text: 'Pizza (pizza) $9.00 - Build your own pizza. [vegetarian]'."""
    text = f"{item.label} ({item.key}) {price(item.price, currency)}"
    if item.description:
        text += f" - {item.description}"
    if item.tags:
        text += f" [{', '.join(item.tags)}]"
    if not item.available:
        text += " (not available right now)"
    return text


def describe(menu: Menu, item: Item) -> str:
    """An item with its allergens and the options it takes, as text."""
    text = item_line(item, menu.restaurant.currency)
    if item.allergens:
        text += f". Allergens: {', '.join(item.allergens)}"
    for group in menu.groups_of(item):
        options = ", ".join(o.label for o in group.options[:12])
        more = ", ..." if len(group.options) > 12 else ""
        text += f". {group.label} ({group.key}, choose {group.select}): {options}{more}"
    return text


@tool(response_format="content_and_artifact")
async def search_menu(
    runtime: ToolRuntime[Context, Any],
    text: str | None = None,
    tags: list[str] | None = None,
    max_price: Decimal | None = None,
    exclude_allergens: list[str] | None = None,
) -> tuple[str, list[Item]]:
    """Search the menu. `text`: words to look for in names and descriptions ("chicken"); `tags`:
    dietary tags every result must have (vegetarian, vegan, spicy, gluten_free, halal, popular,
    new); `max_price`: highest base price; `exclude_allergens`: allergens to avoid ("nuts",
    "dairy"). All empty lists the whole menu. Returns one item a line with its key and price."""
    ctx = runtime.context
    menu = await ctx.menu.get_menu()
    if tags:
        # Tags are matched here, not by the catalog: a dish fits a wish by its tag, its name or
        # an option it takes (`graph.search`), which a tag filter alone would miss.
        found = dietary(menu, tags)
        if text or max_price is not None or exclude_allergens:
            keep = {
                i.key
                for i in await ctx.menu.search(
                    text=text,
                    max_price=max_price,
                    exclude_allergens=exclude_allergens or (),
                    limit=len(menu.items()),
                )
            }
            found = [i for i in found if i.key in keep]
        items = found[:40]
    else:
        items = await ctx.menu.search(
            text=text,
            max_price=max_price,
            exclude_allergens=exclude_allergens or (),
            limit=len(menu.items()),
        )
        if not text:
            items = in_course_order(menu, items)  # with words, the catalog's best match first
    if items:
        content = "\n".join(item_line(i, menu.restaurant.currency) for i in items)
    else:
        content = "Nothing on the menu matches that. Try fewer filters or other words."
    args = {
        "text": text,
        "tags": tags,
        "max_price": max_price,
        "exclude_allergens": exclude_allergens,
    }
    report(runtime, "search_menu", args, content)
    return content, items


@tool(response_format="content_and_artifact")
async def describe_item(runtime: ToolRuntime[Context, Any], item: str) -> tuple[str, Item | None]:
    """Describe one menu item by its key (from search_menu): price, description, allergens and
    the option groups and options it takes, so you can answer questions or build an order."""
    ctx = runtime.context
    found = await ctx.menu.get_item(item)
    if found is None:
        content = f"There is no item with key {item!r}. Use search_menu to find the right key."
    else:
        content = describe(await ctx.menu.get_menu(), found)
    report(runtime, "describe_item", {"item": item}, content)
    return content, found


__all__ = ["describe", "describe_item", "item_line", "search_menu"]
