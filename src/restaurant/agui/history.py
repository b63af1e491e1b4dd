"""The conversation rebuilt from the checkpoint's messages, cards included.

Each reply is an `AIMessage` carrying its cards in `additional_kwargs["cards"]`, so the history is
exact without any other store. Two shapes: plain JSON for REST, and an AG-UI "history run"
(RUN_STARTED, MESSAGES_SNAPSHOT with cards in each message's `metadata.cards`, STATE_SNAPSHOT,
RUN_FINISHED) that a WebSocket sends first, valid for any AG-UI client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import uuid4

from ag_ui.core import (
    AssistantMessage,
    BaseEvent,
    MessagesSnapshotEvent,
    RunFinishedEvent,
    RunStartedEvent,
    StateSnapshotEvent,
    UserMessage,
)
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage


def _cards(message: AIMessage) -> list[dict[str, Any]]:
    cards = message.additional_kwargs.get("cards") or []
    return [
        {"name": c.get("name"), "data": c.get("data") or {}} for c in cards if isinstance(c, dict)
    ]


def history_messages(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """`[{id, role: "user"|"assistant", content, cards}]` in conversation order."""
    out: list[dict[str, Any]] = []
    for message in messages:
        if isinstance(message, HumanMessage):
            out.append({"id": message.id, "role": "user", "content": message.text, "cards": []})
        elif isinstance(message, AIMessage):
            out.append(
                {
                    "id": message.id,
                    "role": "assistant",
                    "content": message.text,
                    "cards": _cards(message),
                }
            )
    return out


def history_events(
    thread_id: str, messages: Sequence[BaseMessage], snapshot: dict[str, Any] | None = None
) -> list[BaseEvent]:
    """The history as a short AG-UI run of its own."""
    run_id = f"history-{uuid4().hex}"
    agui: list[Any] = []
    for item in history_messages(messages):
        if item["role"] == "user":
            agui.append(UserMessage(id=str(item["id"]), content=item["content"]))
        else:
            agui.append(
                AssistantMessage(
                    id=str(item["id"]), content=item["content"], metadata={"cards": item["cards"]}
                )
            )
    events: list[BaseEvent] = [
        RunStartedEvent(thread_id=thread_id, run_id=run_id),
        MessagesSnapshotEvent(messages=agui),
    ]
    if snapshot is not None:
        events.append(StateSnapshotEvent(snapshot=snapshot))
    events.append(RunFinishedEvent(thread_id=thread_id, run_id=run_id))
    return events


__all__ = ["history_events", "history_messages"]
