"""One wire form for AG-UI events: the official encoder's JSON, with the event's log id in
`metadata.eventId` (a field the protocol leaves open, so verifiers keep it)."""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

from ag_ui.core import BaseEvent, Event
from pydantic import TypeAdapter

_EVENT: TypeAdapter[Any] = TypeAdapter(Event)
# The JSON of recent events, by identity: the event log stores each event's JSON and the
# transports then send the same event with its id. Serialising it (and copying it to add the id)
# again for each was two pydantic dumps an event, ~25 events a turn. Events are never changed
# once mapped; the entry holds the event itself, so its id() cannot be reused while cached.
_PLAIN: OrderedDict[int, tuple[BaseEvent, str]] = OrderedDict()
_PLAIN_MAX = 4096


def with_id(event: BaseEvent, event_id: str | None) -> BaseEvent:
    """The event with its log id in `metadata.eventId` (unchanged when there is no id)."""
    if not event_id:
        return event
    return event.model_copy(update={"metadata": {**(event.metadata or {}), "eventId": event_id}})


def event_id_of(event: BaseEvent) -> str | None:
    """The log id carried in `metadata.eventId`, if any."""
    value = (event.metadata or {}).get("eventId")
    return value if isinstance(value, str) else None


def plain_json(event: BaseEvent) -> str:
    """The event as camelCase JSON without a log id (what the event log stores); remembered."""
    key = id(event)
    hit = _PLAIN.get(key)
    if hit is not None and hit[0] is event:
        return hit[1]
    data = event.model_dump_json(by_alias=True)
    _PLAIN[key] = (event, data)
    if len(_PLAIN) > _PLAIN_MAX:
        _PLAIN.popitem(last=False)
    return data


def to_json(event: BaseEvent, event_id: str | None = None) -> str:
    """A WebSocket text frame: the event as camelCase JSON, optional fields left out."""
    if not event_id:
        return plain_json(event)
    if event.metadata is None:
        # The same object as `with_id` gives, with `metadata` last instead of after the common
        # fields: key order means nothing in JSON, and the event's JSON is not made again.
        plain = plain_json(event)
        return f'{plain[:-1]},"metadata":{{"eventId":{json.dumps(event_id)}}}}}'
    return with_id(event, event_id).model_dump_json(by_alias=True)


def to_sse(event: BaseEvent, event_id: str | None = None) -> bytes:
    """An SSE message as the official encoder writes it (`data: <json>`), with an `id:` line
    for Last-Event-ID."""
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}data: {to_json(event, event_id)}\n\n".encode()


def from_json(data: str | bytes) -> BaseEvent:
    """An event back from its JSON (as stored in the event log)."""
    event: BaseEvent = _EVENT.validate_json(data)
    return event


__all__ = ["event_id_of", "from_json", "plain_json", "to_json", "to_sse", "with_id"]
