"""The graph-stream -> AG-UI mapping, on hand-made stream items (no I/O)."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from restaurant.agui.encoding import from_json, to_json, to_sse
from restaurant.agui.history import history_events, history_messages
from restaurant.agui.mapping import (
    TurnMapper,
    error_run,
    is_terminal,
    run_id_of,
    state_snapshot,
    type_of,
)


def _types(events: list[Any]) -> list[str]:
    return [type_of(e) for e in events]


def _mapper() -> TurnMapper:
    return TurnMapper(thread_id="s1", run_id="r1", now=lambda: 1)


def _start(node: str) -> tuple[str, dict[str, Any]]:
    return "tasks", {"id": f"t-{node}", "name": node, "input": {}, "triggers": []}


def _end(node: str) -> tuple[str, dict[str, Any]]:
    return "tasks", {"id": f"t-{node}", "name": node, "error": None, "result": {}}


def _feed(mapper: TurnMapper, items: list[tuple[str, Any]]) -> list[Any]:
    events: list[Any] = []
    for mode, chunk in items:
        events += mapper.feed(mode, chunk)
    return events


def test_agui_offline_turn_maps_steps_tools_cards_and_reply() -> None:
    mapper = _mapper()
    tool = {"type": "tool", "id": "call_1", "name": "add_to_cart", "args": {"n": 2}, "result": "ok"}
    card = {"type": "card", "name": "CART_CARD", "data": {"lines": [], "total": "0.00"}}
    reply = {
        "type": "reply",
        "id": "m1",
        "text": "Done, two large pizzas in your cart. Anything else?",
    }
    events = mapper.start() + _feed(
        mapper,
        [
            _start("classify_intent"),
            _end("classify_intent"),
            _start("cart"),
            ("custom", tool),
            ("custom", card),
            _end("cart"),
            _start("respond"),
            ("custom", reply),
            ("values", {"messages": [AIMessage(content=reply["text"], id="m1")]}),
            _end("respond"),
        ],
    )
    events += mapper.finish({"cart": None})
    kinds = _types(events)
    assert kinds[:3] == ["RUN_STARTED", "STEP_STARTED", "STEP_FINISHED"]
    tool_at = kinds.index("TOOL_CALL_START")
    assert kinds[tool_at : tool_at + 4] == [
        "TOOL_CALL_START",
        "TOOL_CALL_ARGS",
        "TOOL_CALL_END",
        "TOOL_CALL_RESULT",
    ]
    assert events[tool_at + 1].delta == '{"n": 2}'
    custom = events[kinds.index("CUSTOM")]
    assert (custom.name, custom.value) == ("CART_CARD", card["data"])
    contents = [e for e in events if type_of(e) == "TEXT_MESSAGE_CONTENT"]
    assert [e.delta for e in contents] == [reply["text"]], "an offline reply is all there at once"
    assert {e.message_id for e in contents} == {"m1"}
    assert kinds[-2:] == ["STATE_SNAPSHOT", "RUN_FINISHED"]
    assert kinds.count("STEP_STARTED") == kinds.count("STEP_FINISHED") == 3
    assert (mapper.reply, mapper.tools, mapper.llm) == (reply["text"], ["add_to_cart"], False)
    assert mapper.cards == [{"name": "CART_CARD", "data": card["data"]}]


def _text(message_id: str, delta: str) -> tuple[str, dict[str, Any]]:
    return "custom", {"type": "text", "id": message_id, "delta": delta}


def test_agui_the_models_reply_streams_as_text_events_and_is_not_sent_twice() -> None:
    mapper = _mapper()
    events = _feed(
        mapper,
        [
            _start("classify_intent"),
            _end("classify_intent"),
            _start("respond"),
            _text("a1", "Hel"),
            _text("a1", "lo"),
            _text("a1", ""),
            ("custom", {"type": "reply", "id": "a1", "text": "Hello"}),
            _end("respond"),
        ],
    )
    deltas = [e.delta for e in events if type_of(e) == "TEXT_MESSAGE_CONTENT"]
    assert deltas == ["Hel", "lo"]  # the reply was already streamed: not sent twice
    assert _types(events).count("TEXT_MESSAGE_START") == 1
    assert _types(events).count("TEXT_MESSAGE_END") == 1
    assert (mapper.reply, mapper.llm) == ("Hello", True)


def test_agui_text_is_closed_before_a_tool_call_and_reopened_under_a_new_id() -> None:
    mapper = _mapper()
    events = _feed(
        mapper,
        [
            _start("agent"),
            _text("a1", "Let me add that"),
            (
                "custom",
                {"type": "tool", "id": "call_1", "name": "add_to_cart", "args": {}, "result": "ok"},
            ),
            _text("a1", " - done."),
        ],
    )
    events += mapper.finish({})
    kinds = _types(events)
    assert kinds.index("TEXT_MESSAGE_END") < kinds.index("TOOL_CALL_START")
    starts = [e.message_id for e in events if type_of(e) == "TEXT_MESSAGE_START"]
    assert starts == ["a1", "a1:1"]
    assert kinds.count("TEXT_MESSAGE_END") == 2  # finish closes what is open, and the step
    assert kinds[-3:] == ["STEP_FINISHED", "STATE_SNAPSHOT", "RUN_FINISHED"]


def test_agui_failure_closes_open_parts_then_run_error() -> None:
    mapper = _mapper()
    _feed(
        mapper,
        [
            _start("agent"),
            _text("a1", "Hi"),
        ],
    )
    events = mapper.fail("A data store is not reachable right now.", "STORE_UNAVAILABLE")
    assert _types(events) == ["TEXT_MESSAGE_END", "STEP_FINISHED", "RUN_ERROR"]
    assert is_terminal(events[-1]) and run_id_of(events[-1]) == "r1"
    assert _types(error_run("s1", "r2", "busy", "BUSY")) == ["RUN_STARTED", "RUN_ERROR"]


def test_agui_unknown_cards_and_stream_items_are_ignored() -> None:
    mapper = _mapper()
    assert mapper.feed("custom", {"type": "card", "name": "SECRET", "data": {}}) == []
    assert mapper.feed("custom", {"type": "other"}) == []
    assert mapper.feed("updates", {"cart": {}}) == []
    assert mapper.feed("tasks", {"name": "__start__", "input": {}}) == []


def test_agui_state_snapshot_shows_no_secrets() -> None:
    from graph.models import CartRead

    values = {
        "intent": "checkout",
        "turn": 3,
        "signed_in": False,
        "auth_step": "code",
        "phone": "+12015550123",
        "pending": {"intent": "checkout", "reading": {"code": "123456"}},
        "checkout": {"step": "confirm", "order_type": "pickup", "address": None, "key": "idem-1"},
        "reading": {"code": "123456", "phone": "+12015550123"},
        "awaiting": "code",
    }
    cart = CartRead(session_id="s1", lines=(), subtotal=0, total=0, currency="USD")
    snapshot = state_snapshot(values, cart)
    text = repr(snapshot)
    for secret in ("123456", "idem-1", "5550123", "reading"):
        assert secret not in text
    assert snapshot["auth"] == {"step": "code", "phone": "+1••••••0123"}
    assert snapshot["pending"] == "checkout"
    assert snapshot["checkout"] == {"step": "confirm", "orderType": "pickup"}
    assert snapshot["cart"]["lines"] == 0 and snapshot["cart"]["currency"] == "USD"


def test_agui_encoding_carries_the_event_id_both_ways() -> None:
    event = error_run("s1", "r1", "busy", "BUSY")[0]
    frame = to_json(event, "1700000000000-1")
    assert '"eventId":"1700000000000-1"' in frame and '"threadId":"s1"' in frame
    assert from_json(frame).metadata == {"eventId": "1700000000000-1"}
    sse = to_sse(event, "1700000000000-1").decode()
    assert sse.startswith("id: 1700000000000-1\ndata: {") and sse.endswith("\n\n")
    assert "null" not in to_json(event)


def test_agui_history_keeps_cards_with_their_reply() -> None:
    from langchain_core.messages import HumanMessage

    card = {"type": "card", "name": "CART_CARD", "data": {"lines": []}}
    messages = [
        HumanMessage(content="a coke", id="u1"),
        AIMessage(content="Added.", id="a1", additional_kwargs={"cards": [card]}),
    ]
    assert history_messages(messages) == [
        {"id": "u1", "role": "user", "content": "a coke", "cards": []},
        {
            "id": "a1",
            "role": "assistant",
            "content": "Added.",
            "cards": [{"name": "CART_CARD", "data": {"lines": []}}],
        },
    ]
    events = history_events("s1", messages, {"intent": "add_items"})
    assert _types(events) == ["RUN_STARTED", "MESSAGES_SNAPSHOT", "STATE_SNAPSHOT", "RUN_FINISHED"]
    assert events[1].messages[1].metadata == {
        "cards": [{"name": "CART_CARD", "data": {"lines": []}}]
    }


def test_agui_a_reply_that_replaces_the_models_words_is_sent_as_its_own_message() -> None:
    mapper = _mapper()
    events = _feed(
        mapper,
        [
            _start("respond"),
            _text("a1", "That comes to "),
            ("custom", {"type": "reply", "id": "m2", "text": "Your total is $18.36."}),
            _end("respond"),
        ],
    )
    kinds = _types(events)
    assert kinds.count("TEXT_MESSAGE_START") == kinds.count("TEXT_MESSAGE_END") == 2
    last = [e for e in events if type_of(e) == "TEXT_MESSAGE_CONTENT" and e.message_id == "m2"]
    assert "".join(e.delta for e in last) == "Your total is $18.36."
    assert mapper.reply == "Your total is $18.36."
