"""The tools on the model path: run by LangGraph's ToolNode with the Context injected."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

from graph.context import Context
from graph.tools import TOOLS
from tests.graph.conftest import Chat


async def _run_calls(
    chat: Chat, calls: list[dict[str, Any]]
) -> tuple[list[ToolMessage], list[Any]]:
    builder = StateGraph(MessagesState, context_schema=Context)
    builder.add_node("tools", ToolNode(TOOLS))
    builder.add_edge(START, "tools")
    graph = builder.compile()
    events: list[Any] = []
    messages: list[ToolMessage] = []
    async for mode, chunk in graph.astream(
        {"messages": [AIMessage(content="", tool_calls=calls)]},
        context=chat.context(),
        stream_mode=["custom", "values"],
    ):
        if mode == "custom":
            events.append(chunk)
        elif isinstance(chunk, dict):
            messages = [m for m in chunk["messages"] if isinstance(m, ToolMessage)]
    return messages, events


async def test_tools_run_under_tool_node_with_context_injected(chat: Chat) -> None:
    calls = [
        {
            "name": "add_to_cart",
            "args": {
                "items": [
                    {
                        "item": "coke",
                        "quantity": 2,
                        "choices": [{"group": "drink_size", "option": "large"}],
                    }
                ]
            },
            "id": "call_1",
        },
        {"name": "place_order", "args": {"order_type": "pickup"}, "id": "call_2"},
    ]
    messages, events = await _run_calls(chat, calls)
    [line] = await chat.cart_lines()
    assert (line.item, line.quantity) == ("coke", 2)
    by_id = {m.tool_call_id: m for m in messages}
    assert "Added" in str(by_id["call_1"].content)
    # Identity comes from the Context: nobody is signed in, so the model is told to ask.
    assert "not signed in" in str(by_id["call_2"].content)
    tool_events = [e for e in events if e.get("type") == "tool"]
    # ToolNode runs calls concurrently, so compare as a set.
    assert {(e["id"], e["name"]) for e in tool_events} == {
        ("call_1", "add_to_cart"),
        ("call_2", "place_order"),
    }


async def test_tool_failures_come_back_as_text(chat: Chat) -> None:
    messages, _ = await _run_calls(
        chat,
        [
            {"name": "describe_item", "args": {"item": "lasagna"}, "id": "c1"},
            {"name": "remove_from_cart", "args": {"line_id": "l99"}, "id": "c2"},
            {"name": "verify_code", "args": {"code": "1234"}, "id": "c3"},
        ],
    )
    text = {m.tool_call_id: str(m.content) for m in messages}
    assert "search_menu" in text["c1"]
    assert text["c2"].startswith("Not removed")
    assert "no sign-in in progress" in text["c3"]
