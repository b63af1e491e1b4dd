"""One wire form for AG-UI events: the official encoder's JSON, with the event's log id in
`metadata.eventId` (a field the protocol leaves open, so verifiers keep it)."""

from __future__ import annotations

from typing import Any

from ag_ui.core import BaseEvent, Event
from ag_ui.encoder import EventEncoder
from pydantic import TypeAdapter

_ENCODER = EventEncoder()
_EVENT: TypeAdapter[Any] = TypeAdapter(Event)


def with_id(event: BaseEvent, event_id: str | None) -> BaseEvent:
    """The event with its log id in `metadata.eventId` (unchanged when there is no id)."""
    if not event_id:
        return event
    return event.model_copy(update={"metadata": {**(event.metadata or {}), "eventId": event_id}})


def event_id_of(event: BaseEvent) -> str | None:
    """The log id carried in `metadata.eventId`, if any."""
    value = (event.metadata or {}).get("eventId")
    return value if isinstance(value, str) else None


def to_json(event: BaseEvent, event_id: str | None = None) -> str:
    """A WebSocket text frame: the event as camelCase JSON, optional fields left out."""
    return with_id(event, event_id).model_dump_json(by_alias=True)


def to_sse(event: BaseEvent, event_id: str | None = None) -> bytes:
    """An SSE message from the official encoder, with an `id:` line for Last-Event-ID."""
    data = _ENCODER.encode(with_id(event, event_id))
    head = f"id: {event_id}\n" if event_id else ""
    return (head + data).encode()


def from_json(data: str | bytes) -> BaseEvent:
    """An event back from its JSON (as stored in the event log)."""
    event: BaseEvent = _EVENT.validate_json(data)
    return event


__all__ = ["event_id_of", "from_json", "to_json", "to_sse", "with_id"]
