"""Transcripts in MongoDB: a turn's record, and the batched writes of records into the
collections of the Beanie documents `TranscriptTurn` and `AnalyticsEvent`, and of what the
analytics read instead of every turn: `AnalyticsTurn` and `TurnCount`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from bson import ObjectId
from bson.errors import InvalidDocument
from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from graph.intents import Intent
from restaurant.db.documents import (
    AnalyticsEvent,
    AnalyticsTurn,
    OrderedLine,
    TranscriptTurn,
    TurnCount,
)
from restaurant.db.models.base import utcnow

DUPLICATE_KEY = 11000
PLACE_ORDER = "place_order"  # the tool of the turn that placed an order
FIRST_TURN = 1  # the graph counts a conversation's turns from 1
NOT_UNDERSTOOD = Intent.UNKNOWN.value  # no intent was found
# `AnalyticsTurn.kind`: a conversation's first turn, a later one that placed an order, a turn
# not understood.
STARTED, ORDERED, MISSED = "started", "ordered", "not_understood"
QUARTER = 15  # minutes of a `TurnCount`


def minute_of(moment: datetime) -> float:
    """Minutes since 1970-01-01 UTC (a naive time is UTC, as MongoDB gives dates back)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.timestamp() / 60


def quarter_of(moment: datetime) -> int:
    """The first minute since 1970 (UTC) of the quarter of an hour `moment` falls in."""
    return int(minute_of(moment) // QUARTER * QUARTER)


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
    ordered_lines: list[dict[str, Any]] = field(init=False, repr=False)
    analytics_turns: list[dict[str, Any]] = field(init=False, repr=False)

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
                    "total_cents": cents_of(c["data"].get("total")),
                    "lines": [_line(line) for line in c["data"].get("lines") or []],
                },
                "created_at": self.created_at,
                # What the analytics range and count on (restaurant.services.analytics).
                "minute": minute_of(self.created_at),
                "quarter": quarter_of(self.created_at),
            }
            for c in self.cards
            if placing
            and c.get("name") == "ORDER_DATA"
            and (c.get("data") or {}).get("status") == "placed"
        ]
        self.ordered_lines = [line for e in self.orders_placed for line in lines_of_order(e)]
        # A first turn that also placed an order is only the conversation's start: the
        # analytics look for a start and a later order (as they did reading every turn).
        kinds = [STARTED] if self.turn == FIRST_TURN else [ORDERED] if placing else []
        minute = minute_of(self.created_at)
        if self.intent == NOT_UNDERSTOOD:
            kinds.append(MISSED)
        self.analytics_turns = [
            {
                "_id": ObjectId(),
                "session_id": self.session_id,
                "turn": self.turn,
                "kind": kind,
                "user_text": self.user_text if kind == MISSED else None,
                "created_at": self.created_at,
                "minute": minute,
                # An order's: when its conversation started, and the minutes since
                # (`_with_starts` fills them in).
                **({"started_minute": None, "minutes": None} if kind == ORDERED else {}),
            }
            for kind in kinds
        ]


def cents_of(amount: Any) -> int:
    """An amount of money ("12.49", a number, None for nothing) in whole cents."""
    try:
        value = Decimal(str(amount if amount is not None else 0))
    except InvalidOperation:
        return 0
    return int((value * 100).quantize(Decimal(1), ROUND_HALF_UP))


def lines_of_order(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The `OrderedLine`s of an `order_placed` event: its lines, and the options chosen on them
    that the menu did not choose."""
    data = event["data"]
    base = {"number": data["number"], "minute": event["minute"]}
    out: list[dict[str, Any]] = []
    for line in data["lines"]:
        out.append(
            {
                "_id": ObjectId(),
                **base,
                "kind": "item",
                "key": line["item"],
                "label": line["label"],
                "quantity": line["quantity"],
                "cents": cents_of(line["line_total"]),
            }
        )
        for choice in line["choices"]:
            if choice["default"]:
                continue
            chosen = "no" if choice["exclude"] else "yes"
            out.append(
                {
                    "_id": ObjectId(),
                    **base,
                    "kind": "option",
                    "key": f"{choice['group_label']}\x1f{choice['label']}\x1f{chosen}",
                    "label": choice["label"],
                    "quantity": line["quantity"],
                }
            )
    return out


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


async def _insert_new(collection: Any, documents: list[dict[str, Any]]) -> set[int]:
    """Insert the documents, skipping those a retried batch already wrote (same `_id`); the
    positions of those skipped."""
    try:
        await collection.insert_many(documents, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors") or []
        if not errors or any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        return {int(e["index"]) for e in errors}
    return set()


async def _with_starts(records: Sequence[TranscriptRecord]) -> None:
    """Give each order's `AnalyticsTurn` its conversation's start: the session's latest first
    turn before it, in this batch or written before (none: the order is left out of the
    analytics' turns and minutes to an order)."""
    starts: dict[str, list[float]] = {}
    for record in records:
        for mark in record.analytics_turns:
            if mark["kind"] == STARTED:
                starts.setdefault(record.session_id, []).append(mark["minute"])
    collection = AnalyticsTurn.get_pymongo_collection()
    for record in records:
        for mark in record.analytics_turns:
            if mark["kind"] != ORDERED:
                continue
            before = [m for m in starts.get(record.session_id, []) if m <= mark["minute"]]
            if before:
                start: float | None = max(before)
            else:
                found = await collection.find_one(
                    {"session_id": record.session_id, "kind": STARTED},
                    sort=[("minute", -1)],
                    projection={"minute": 1},
                )
                start = found["minute"] if found and found["minute"] <= mark["minute"] else None
            if start is not None:
                mark["started_minute"] = start
                mark["minutes"] = mark["minute"] - start


async def _count_turns(records: Sequence[TranscriptRecord]) -> None:
    """Add the records' turns to their quarters' `TurnCount`s (created on the first)."""
    turns: Counter[int] = Counter()
    missed: Counter[int] = Counter()
    started: Counter[int] = Counter()
    for record in records:
        quarter = quarter_of(record.created_at)
        turns[quarter] += 1
        missed[quarter] += record.intent == NOT_UNDERSTOOD
        started[quarter] += record.turn == FIRST_TURN
    updates = [
        UpdateOne(
            {"minute": quarter},
            {
                "$inc": {
                    "turns": count,
                    "not_understood": missed[quarter],
                    "started": started[quarter],
                }
            },
            upsert=True,
        )
        for quarter, count in sorted(turns.items())
    ]
    collection = TurnCount.get_pymongo_collection()
    try:
        await collection.bulk_write(updates, ordered=True)
    except BulkWriteError as exc:
        # Two writers created the same quarter at once: the one that lost adds to it now.
        errors = exc.details.get("writeErrors") or []
        if not errors or any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        await collection.bulk_write(updates[int(errors[0]["index"]) :], ordered=True)


async def write_transcripts(records: Sequence[TranscriptRecord]) -> None:
    """Insert the records' turns and their placed orders; a batch may be retried as a whole."""
    # The documents go straight to pymongo: the runner built the plain values itself, so
    # validating each turn into a Beanie model and through its encoder again is CPU for nothing
    # (bench/README.md). The shape is Beanie's (tests/integration read them back through the
    # documents).
    turns = [r.document() for r in records]
    try:
        already = await _insert_new(TranscriptTurn.get_pymongo_collection(), turns)
    except InvalidDocument:
        # A card value BSON has no type for: kept as the text JSON would show, not retried
        # forever (the cards are the JSON the client was sent).
        for turn in turns:
            turn["cards"] = json.loads(json.dumps(turn["cards"], default=str))
        already = await _insert_new(TranscriptTurn.get_pymongo_collection(), turns)
    orders = [event for r in records for event in r.orders_placed]
    if orders:
        await _insert_new(AnalyticsEvent.get_pymongo_collection(), orders)
        lines = [line for r in records for line in r.ordered_lines]
        if lines:
            await _insert_new(OrderedLine.get_pymongo_collection(), lines)
    marks = [turn for r in records for turn in r.analytics_turns]
    if marks:
        await _with_starts(records)
        await _insert_new(AnalyticsTurn.get_pymongo_collection(), marks)
    # Counted once: a retried batch's turns written the first time are not counted again.
    new = [r for n, r in enumerate(records) if n not in already]
    if new:
        await _count_turns(new)


__all__ = ["TranscriptRecord", "minute_of", "quarter_of", "write_transcripts"]
