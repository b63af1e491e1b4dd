"""The `order_placed` events a transcript record makes: only for the turn that placed the order,
with the placed card's lines (what the analytics' top items and options read)."""

from __future__ import annotations

from typing import Any

from restaurant.services.transcripts import TranscriptRecord, cents_of

CARD: dict[str, Any] = {
    "type": "card",
    "name": "ORDER_DATA",
    "data": {
        "number": "XKA3W",
        "status": "placed",
        "total": "31.00",
        "lines": [
            {
                "id": "l1",
                "item": "pepperoni",
                "label": "Pepperoni Pizza",
                "quantity": 2,
                "unit_price": "15.50",
                "line_total": "31.00",
                "choices": [
                    {
                        "group": "size",
                        "group_label": "Size",
                        "option": "large",
                        "label": "Large",
                        "qualifier": None,
                        "exclude": False,
                        "price": "3.00",
                        "default": False,
                    }
                ],
            }
        ],
    },
}


def test_transcript_events_placing_turn_keeps_the_lines() -> None:
    record = TranscriptRecord(session_id="s", user_text="yes", tools=["place_order"], cards=[CARD])
    [event] = record.orders_placed
    assert event["name"] == "order_placed"
    assert event["data"] == {
        "number": "XKA3W",
        "total": "31.00",
        "total_cents": 3100,
        "lines": [
            {
                "item": "pepperoni",
                "label": "Pepperoni Pizza",
                "quantity": 2,
                "line_total": "31.00",
                "choices": [
                    {"group_label": "Size", "label": "Large", "exclude": False, "default": False}
                ],
            }
        ],
    }


def test_transcript_events_where_is_my_order_writes_none() -> None:
    shown = TranscriptRecord(
        session_id="s", user_text="where is my order?", tools=["get_order_status"], cards=[CARD]
    )
    assert shown.orders_placed == []


def test_transcript_events_placing_turn_copies_its_lines_and_chosen_options() -> None:
    menu_chose = {**CARD["data"]["lines"][0]["choices"][0], "label": "Medium", "default": True}
    no_onions = {
        **CARD["data"]["lines"][0]["choices"][0],
        "group_label": "Toppings",
        "label": "Onions",
        "exclude": True,
    }
    line = {**CARD["data"]["lines"][0], "choices": [menu_chose, no_onions]}
    card = {**CARD, "data": {**CARD["data"], "lines": [line]}}
    record = TranscriptRecord(session_id="s", user_text="yes", tools=["place_order"], cards=[card])
    [event] = record.orders_placed
    lines = [
        {k: v for k, v in doc.items() if k not in ("_id", "minute")} for doc in record.ordered_lines
    ]
    assert lines == [
        {
            "number": "XKA3W",
            "kind": "item",
            "key": "pepperoni",
            "label": "Pepperoni Pizza",
            "quantity": 2,
            "cents": 3100,
        },
        {
            "number": "XKA3W",
            "kind": "option",
            "key": "Toppings\x1fOnions\x1fno",
            "label": "Onions",
            "quantity": 2,
        },
    ]
    assert {doc["minute"] for doc in record.ordered_lines} == {event["minute"]}
    assert len({doc["_id"] for doc in record.ordered_lines}) == 2


def test_transcript_events_cents() -> None:
    assert [cents_of(a) for a in ("12.49", "0.005", 3, None, "n/a")] == [1249, 1, 300, 0, 0]
