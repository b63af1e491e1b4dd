"""Transcripts in MongoDB: a turn's record, and the batched writes of records into the
collections of the Beanie documents `TranscriptTurn` and `AnalyticsEvent`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bson import ObjectId
from bson.errors import InvalidDocument
from pymongo.errors import BulkWriteError

from restaurant.db.documents import AnalyticsEvent, TranscriptTurn
from restaurant.db.models.base import utcnow

DUPLICATE_KEY = 11000
PLACE_ORDER = "place_order"  # the tool of the turn that placed an order


@dataclass(slots=True)
class TranscriptRecord:
    """One turn's transcript as the runner hands it over: the fields of `TranscriptTurn`."""

    session_id: str
    user_text: str
    user_id: str | None = None
    turn: int = 0
    reply_text: str = ""
    intent: str | None = None
    tools: list[str] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)
    latency_ms: float = 0.0
    llm: bool = False
    error: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    id: ObjectId = field(default_factory=ObjectId)
    orders_placed: list[dict[str, Any]] = field(init=False, repr=False)

    def document(self) -> dict[str, Any]:
        """The MongoDB document, in the shape Beanie writes and reads for `TranscriptTurn`."""
        return {
            "_id": self.id,
            "session_id": self.session_id,
            "user_id": self.user_id,
            "turn": self.turn,
            "user_text": self.user_text,
            "reply_text": self.reply_text,
            "intent": self.intent,
            "tools": self.tools,
            "cards": self.cards,
            "latency_ms": self.latency_ms,
            "llm": self.llm,
            "error": self.error,
            "created_at": self.created_at,
        }

    def __post_init__(self) -> None:
        # Made once, ids included, so a retried batch does not count an order twice. Only the
        # turn that placed the order (it called `place_order`) writes its event: a customer
        # asking "where is my order?" is shown the same "placed" card again.
        placing = PLACE_ORDER in self.tools
        self.orders_placed = [
            {
                "_id": ObjectId(),
                "name": "order_placed",
                "session_id": self.session_id,
                "user_id": self.user_id,
                "data": {
                    "number": c["data"].get("number"),
                    "total": c["data"].get("total"),
                    "lines": [_line(line) for line in c["data"].get("lines") or []],
                },
                "created_at": self.created_at,
            }
            for c in self.cards
            if placing
            and c.get("name") == "ORDER_DATA"
            and (c.get("data") or {}).get("status") == "placed"
        ]


def _line(line: dict[str, Any]) -> dict[str, Any]:
    """An ORDER_DATA card's line as the `order_placed` event keeps it: what the analytics'
    top items and options read (`restaurant.services.analytics`), without a second `$unwind`
    through the transcripts' cards."""
    return {
        "item": line.get("item"),
        "label": line.get("label"),
        "quantity": line.get("quantity"),
        "line_total": line.get("line_total"),
        "choices": [
            {
                "group_label": choice.get("group_label"),
                "label": choice.get("label"),
                "exclude": bool(choice.get("exclude")),
                "default": bool(choice.get("default")),
            }
            for choice in line.get("choices") or []
        ],
    }


async def _insert_new(collection: Any, documents: list[dict[str, Any]]) -> None:
    """Insert the documents, skipping those a retried batch already wrote (same `_id`)."""
    try:
        await collection.insert_many(documents, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors") or []
        if not errors or any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise


async def write_transcripts(records: Sequence[TranscriptRecord]) -> None:
    """Insert the records' turns and their placed orders; a batch may be retried as a whole."""
    # The documents go straight to pymongo: the runner built the plain values itself, so
    # validating each turn into a Beanie model and through its encoder again is CPU for nothing
    # (bench/README.md). The shape is Beanie's (tests/integration read them back through the
    # documents).
    turns = [r.document() for r in records]
    try:
        await _insert_new(TranscriptTurn.get_pymongo_collection(), turns)
    except InvalidDocument:
        # A card value BSON has no type for: kept as the text JSON would show, not retried
        # forever (the cards are the JSON the client was sent).
        for turn in turns:
            turn["cards"] = json.loads(json.dumps(turn["cards"], default=str))
        await _insert_new(TranscriptTurn.get_pymongo_collection(), turns)
    orders = [event for r in records for event in r.orders_placed]
    if orders:
        await _insert_new(AnalyticsEvent.get_pymongo_collection(), orders)


__all__ = ["TranscriptRecord", "write_transcripts"]
