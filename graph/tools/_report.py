"""The custom stream event each tool writes, so callers see tool calls on either path."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from langgraph.prebuilt import ToolRuntime
from pydantic import BaseModel

from graph.context import Context


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def report(runtime: ToolRuntime[Any, Any], name: str, args: dict[str, Any], result: str) -> None:
    """Write `{"type": "tool", ...}` on the custom stream."""
    runtime.stream_writer(
        {
            "type": "tool",
            "id": runtime.tool_call_id,
            "name": name,
            "args": _plain({k: v for k, v in args.items() if v not in (None, [], ())}),
            "result": result,
        }
    )


async def user_of(runtime: ToolRuntime[Context, Any]) -> UUID | None:
    """The signed-in user: the request's session, else a sign-in that happened this run."""
    context = runtime.context
    return context.user_id or await context.identity.current_user(context.session_id)
