"""Async tools, one topic a module; the offline nodes call the very same functions.

Each tool is a LangChain tool with `response_format="content_and_artifact"`: the content is text a
model can act on (failures included, never an exception), the artifact the typed result the
offline nodes build cards from. Who the customer is comes from `runtime.context`, never from the
arguments. Every tool reports itself on the custom stream as
`{"type": "tool", "id": <tool call id>, "name": ..., "args": {...}, "result": <content>}`.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from langchain_core.tools import BaseTool
from langgraph.prebuilt import ToolRuntime
from langgraph.runtime import Runtime

from graph.context import Context
from graph.tools.auth import resend_code, start_sign_in, verify_code
from graph.tools.cart import add_to_cart, clear_cart, remove_from_cart, update_cart_line, view_cart
from graph.tools.menu import describe_item, search_menu
from graph.tools.orders import cancel_order, get_order_status, place_order

TOOLS: list[BaseTool] = [
    search_menu,
    describe_item,
    add_to_cart,
    update_cart_line,
    remove_from_cart,
    view_cart,
    clear_cart,
    place_order,
    get_order_status,
    cancel_order,
    start_sign_in,
    verify_code,
    resend_code,
]


async def run_tool(
    tool: BaseTool, runtime: Runtime[Context], state: Any, **args: Any
) -> tuple[str, Any]:
    """Call a tool from a node as the model would, minus the model: (content, artifact)."""
    tool_runtime: ToolRuntime[Context, Any] = ToolRuntime(
        state=state,
        context=runtime.context,
        config={},
        stream_writer=runtime.stream_writer,
        tool_call_id=f"call_{uuid4().hex[:16]}",
        store=runtime.store,
    )
    coroutine = getattr(tool, "coroutine", None)
    assert coroutine is not None, f"{tool.name} is not an async tool"
    content, artifact = await coroutine(**args, runtime=tool_runtime)
    return str(content), artifact


__all__ = ["TOOLS", "run_tool"]
