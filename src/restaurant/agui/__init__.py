"""Graph stream events -> AG-UI events, and one encoding of them for SSE and WebSocket alike."""

from restaurant.agui.encoding import event_id_of, from_json, to_json, to_sse, with_id
from restaurant.agui.history import history_events, history_messages
from restaurant.agui.mapping import CARD_NAMES, TurnMapper, error_run, state_snapshot

__all__ = [
    "CARD_NAMES",
    "TurnMapper",
    "error_run",
    "event_id_of",
    "from_json",
    "history_events",
    "history_messages",
    "state_snapshot",
    "to_json",
    "to_sse",
    "with_id",
]
