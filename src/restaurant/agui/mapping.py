"""The one mapping from the graph's stream to AG-UI events, shared by every transport.

A turn is streamed with ``stream_mode=["custom", "tasks", "values"]``:

- ``tasks``: a task's start and its result give STEP_STARTED / STEP_FINISHED per node;
- ``custom``: ``tool`` events become TOOL_CALL_START/ARGS/END + TOOL_CALL_RESULT, ``card`` events
  become CUSTOM events named after the card, ``text`` events (the model's reply as it streams,
  `graph.llm.write_reply`) become TEXT_MESSAGE_CONTENT, the ``reply`` becomes one text message;
- ``values``: the runner keeps the last one for STATE_SNAPSHOT and the transcript.

LangGraph's ``messages`` mode is not used: it put LangChain's callback handler on every node and
reported the classifier's structured output too; the reply streams its own text instead.

Text and tool calls never interleave: an open text message is closed before a tool call starts,
and at the end of the step that opened it. When the reply's message was streamed as text
events, the ``reply`` event only closes it; otherwise (offline, or the model's wording was given
up for the nodes' draft) the reply is sent as its own message in one TEXT_MESSAGE_CONTENT: it is
all there at once, and chunks sent together would only cost an event each.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from ag_ui.core import (
    BaseEvent,
    CustomEvent,
    RunErrorEvent,
    RunFinishedEvent,
    RunStartedEvent,
    StateSnapshotEvent,
    StepFinishedEvent,
    StepStartedEvent,
    TextMessageContentEvent,
    TextMessageEndEvent,
    TextMessageStartEvent,
    ToolCallArgsEvent,
    ToolCallEndEvent,
    ToolCallResultEvent,
    ToolCallStartEvent,
)
from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict  # pydantic reads TypedDicts from here on Python < 3.12

from graph.cards import CARD_NAMES, AuthStep, mask_phone
from graph.state import Awaiting, CheckoutStep

# The CUSTOM event that hands a client its session's new token after a sign-in in the chat.
SESSION_TOKEN = "SESSION_TOKEN"
TERMINAL = frozenset({"RUN_FINISHED", "RUN_ERROR"})
# The shapes of the values below are part of the wire's JSON Schema (`restaurant.agui.schema`).
_SHAPE = ConfigDict(extra="forbid")


@with_config(_SHAPE)
class SessionToken(TypedDict):
    """The value of a SESSION_TOKEN event: the session's new token and its lifetime (seconds)."""

    token: str
    expires_in: int


@with_config(_SHAPE)
class SnapshotAuth(TypedDict):
    """The sign-in in progress, its phone masked."""

    step: AuthStep | None
    phone: str | None


@with_config(_SHAPE)
class SnapshotCheckout(TypedDict):
    """The checkout in progress."""

    step: CheckoutStep
    orderType: str | None  # the snapshot's keys are camelCase, as AG-UI's are


@with_config(_SHAPE)
class SnapshotCart(TypedDict):
    """The cart in brief."""

    lines: int
    items: int
    subtotal: str
    total: str
    currency: str | None


@with_config(_SHAPE)
class StateSnapshot(TypedDict):
    """A STATE_SNAPSHOT's snapshot: what the UI may show of the conversation's state."""

    intent: str | None
    turn: int
    signedIn: bool
    auth: SnapshotAuth
    pending: str | None  # the intent a sign-in interrupted
    checkout: SnapshotCheckout | None
    awaiting: Awaiting | None  # what the last reply asked
    quickReplies: list[str]
    lastOrder: str | None
    cart: SnapshotCart | None


def _now_ms() -> int:
    return int(time.time() * 1000)


def _plain_state(values: Any) -> dict[str, Any]:
    if isinstance(values, Mapping):
        return dict(values)
    if dataclasses.is_dataclass(values) and not isinstance(values, type):
        return {f.name: getattr(values, f.name) for f in dataclasses.fields(values)}
    return {}


def _field(value: Any, name: str) -> Any:
    """A field of a state part, stored as a dataclass (or, in an old checkpoint, a dict)."""
    return value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def state_snapshot(values: Any, cart: Any = None) -> dict[str, Any]:
    """What the UI may show of the conversation's state: no codes, keys or full phone numbers."""
    state = _plain_state(values)
    checkout = state.get("checkout") or None
    pending = state.get("pending") or None
    snapshot: StateSnapshot = {
        "intent": _text(state.get("intent")),
        "turn": state.get("turn", 0),
        "signedIn": bool(state.get("signed_in")),
        "auth": {"step": state.get("auth_step"), "phone": mask_phone(state.get("phone"))},
        "pending": _text(_field(pending, "intent")) if pending is not None else None,
        "checkout": (
            {
                "step": _field(checkout, "step"),
                "orderType": _text(_field(checkout, "order_type")),
            }
            if checkout is not None
            else None
        ),
        "awaiting": state.get("awaiting"),
        "quickReplies": list(state.get("quick_replies") or []),
        "lastOrder": state.get("last_order"),
        "cart": None,
    }
    if cart is not None:
        lines = list(getattr(cart, "lines", ()))
        snapshot["cart"] = {
            "lines": len(lines),
            "items": sum(int(getattr(line, "quantity", 0)) for line in lines),
            "subtotal": str(getattr(cart, "subtotal", "0")),
            "total": str(getattr(cart, "total", "0")),
            "currency": getattr(cart, "currency", None),
        }
    return cast("dict[str, Any]", snapshot)  # its callers read it as the plain dict it is


def session_token(token: str, expires_in: int) -> CustomEvent:
    """The session's new token, for the one connection whose message signed it in: sent by its
    transport alone, never appended to the event log (so never replayed to a resuming client)
    nor kept in the history."""
    value: SessionToken = {"token": token, "expires_in": expires_in}
    return CustomEvent(name=SESSION_TOKEN, value=value, timestamp=_now_ms())


def error_run(
    thread_id: str, run_id: str, message: str, code: str, now: Callable[[], int] = _now_ms
) -> list[BaseEvent]:
    """A run that only reports an error: RUN_STARTED then RUN_ERROR (valid on its own)."""
    return [
        RunStartedEvent(thread_id=thread_id, run_id=run_id, timestamp=now()),
        RunErrorEvent(message=message, code=code, timestamp=now(), metadata={"runId": run_id}),
    ]


class TurnMapper:
    """Turns one run's graph stream into AG-UI events; also records what the transcript needs."""

    def __init__(
        self,
        *,
        thread_id: str,
        run_id: str,
        now: Callable[[], int] = _now_ms,
    ) -> None:
        """Map the run `run_id` of the thread (= chat session) `thread_id`."""
        self.thread_id = thread_id
        self.run_id = run_id
        self._now = now
        self._open_text: str | None = None  # id of the text message being streamed
        self._text_ids: dict[str, int] = {}  # message id -> how many times it was opened
        self._streamed: set[str] = set()  # ids of the messages the model's text streamed
        self._steps: list[str] = []
        self.reply = ""
        self.tools: list[str] = []
        self.cards: list[dict[str, Any]] = []
        self.llm = False  # whether a chat model was called in this run

    # --- run --------------------------------------------------------------------------------

    def start(self) -> list[BaseEvent]:
        """RUN_STARTED."""
        return [
            RunStartedEvent(thread_id=self.thread_id, run_id=self.run_id, timestamp=self._now())
        ]

    def finish(self, snapshot: dict[str, Any]) -> list[BaseEvent]:
        """Close what is open, then STATE_SNAPSHOT and RUN_FINISHED."""
        events = self._close_all()
        events.append(StateSnapshotEvent(snapshot=snapshot, timestamp=self._now()))
        events.append(
            RunFinishedEvent(thread_id=self.thread_id, run_id=self.run_id, timestamp=self._now())
        )
        return events

    def fail(self, message: str, code: str) -> list[BaseEvent]:
        """Close what is open, then RUN_ERROR with a message a person can read."""
        events = self._close_all()
        events.append(
            RunErrorEvent(
                message=message, code=code, timestamp=self._now(), metadata={"runId": self.run_id}
            )
        )
        return events

    # --- stream -----------------------------------------------------------------------------

    def feed(self, mode: str, chunk: Any) -> list[BaseEvent]:
        """The AG-UI events for one item of the graph's stream (often none)."""
        if mode == "tasks" and isinstance(chunk, Mapping):
            return self._task(chunk)
        if mode == "custom" and isinstance(chunk, Mapping):
            return self._custom(chunk)
        return []

    def _task(self, task: Mapping[str, Any]) -> list[BaseEvent]:
        name = str(task.get("name", ""))
        if not name or name.startswith("__"):
            return []
        if "input" in task:  # a task starting; its result carries "result"/"error" instead
            self._steps.append(name)
            return [StepStartedEvent(step_name=name, timestamp=self._now())]
        events = self._close_text()
        if name in self._steps:
            self._steps.remove(name)
            events.append(StepFinishedEvent(step_name=name, timestamp=self._now()))
        return events

    def _custom(self, event: Mapping[str, Any]) -> list[BaseEvent]:
        kind = event.get("type")
        if kind == "tool":
            return self._tool(event)
        if kind == "card":
            name = str(event.get("name", ""))
            if name not in CARD_NAMES:
                return []
            data = event.get("data") or {}
            self.cards.append({"name": name, "data": data})
            return [CustomEvent(name=name, value=data, timestamp=self._now())]
        if kind == "text":
            return self._text(str(event.get("id") or f"{self.run_id}-text"), event.get("delta"))
        if kind == "reply":
            return self._reply(str(event.get("id") or self.run_id), str(event.get("text", "")))
        return []

    def _tool(self, event: Mapping[str, Any]) -> list[BaseEvent]:
        call_id = str(event.get("id") or f"{self.run_id}-tool-{len(self.tools)}")
        name = str(event.get("name", "tool"))
        self.tools.append(name)
        events = self._close_text()
        now = self._now()
        events += [
            ToolCallStartEvent(tool_call_id=call_id, tool_call_name=name, timestamp=now),
            ToolCallArgsEvent(
                tool_call_id=call_id,
                delta=json.dumps(event.get("args") or {}, ensure_ascii=False, default=str),
                timestamp=now,
            ),
            ToolCallEndEvent(tool_call_id=call_id, timestamp=now),
            ToolCallResultEvent(
                message_id=f"{call_id}-result",
                tool_call_id=call_id,
                content=str(event.get("result", "")),
                role="tool",
                timestamp=now,
            ),
        ]
        return events

    def _reply(self, message_id: str, text: str) -> list[BaseEvent]:
        self.reply = text
        if message_id in self._streamed:  # the model's tokens already carried this reply
            return self._close_text()
        # Not streamed, or the model's wording was given up (say, it named a price the facts
        # don't have) and the nodes' own text replaces it: send that as its own message.
        events = self._close_text()
        if not text:
            return events
        events += self._open(message_id)
        events.append(
            TextMessageContentEvent(message_id=message_id, delta=text, timestamp=self._now())
        )
        events += self._close_text()
        return events

    def _text(self, base_id: str, delta: Any) -> list[BaseEvent]:
        self.llm = True
        if not isinstance(delta, str) or not delta:
            return []
        events: list[BaseEvent] = []
        if self._open_text is None or not self._open_text.startswith(base_id):
            events += self._close_text()
            events += self._open(base_id)
        self._streamed.add(base_id)
        assert self._open_text is not None
        events.append(
            TextMessageContentEvent(message_id=self._open_text, delta=delta, timestamp=self._now())
        )
        return events

    # --- text message bookkeeping -------------------------------------------------------------

    def _open(self, base_id: str) -> list[BaseEvent]:
        opened = self._text_ids.get(base_id, 0)
        self._text_ids[base_id] = opened + 1
        # A message closed for a tool call and continued after it gets a new id.
        message_id = base_id if opened == 0 else f"{base_id}:{opened}"
        self._open_text = message_id
        return [
            TextMessageStartEvent(message_id=message_id, role="assistant", timestamp=self._now())
        ]

    def _close_text(self) -> list[BaseEvent]:
        if self._open_text is None:
            return []
        message_id, self._open_text = self._open_text, None
        return [TextMessageEndEvent(message_id=message_id, timestamp=self._now())]

    def _close_all(self) -> list[BaseEvent]:
        events = self._close_text()
        while self._steps:
            events.append(StepFinishedEvent(step_name=self._steps.pop(), timestamp=self._now()))
        return events


def is_terminal(event: BaseEvent) -> bool:
    """Whether the event ends a run."""
    return type_of(event) in TERMINAL


def run_id_of(event: BaseEvent) -> str | None:
    """The run an event names (RUN_STARTED/RUN_FINISHED, or RUN_ERROR's metadata)."""
    run_id = getattr(event, "run_id", None)
    if isinstance(run_id, str):
        return run_id
    value = (event.metadata or {}).get("runId")
    return value if isinstance(value, str) else None


def type_of(event: BaseEvent) -> str:
    """The event's type name, e.g. "RUN_STARTED"."""
    kind = event.type
    return str(kind.value) if hasattr(kind, "value") else str(kind)


def closes(events: Sequence[BaseEvent]) -> bool:
    """Whether the last of these events ends a run."""
    return bool(events) and is_terminal(events[-1])


__all__ = [
    "CARD_NAMES",
    "SESSION_TOKEN",
    "SessionToken",
    "SnapshotAuth",
    "SnapshotCart",
    "SnapshotCheckout",
    "StateSnapshot",
    "TurnMapper",
    "closes",
    "error_run",
    "is_terminal",
    "run_id_of",
    "session_token",
    "state_snapshot",
    "type_of",
]
