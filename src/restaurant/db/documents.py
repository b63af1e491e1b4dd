"""Beanie documents in MongoDB: conversation transcripts and analytics events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pymongo
from beanie import Document, init_beanie
from pydantic import Field
from pymongo import AsyncMongoClient

from restaurant.db.models.base import utcnow


class TranscriptTurn(Document):
    """One turn of a conversation: what the customer said, what was understood and answered."""

    session_id: str
    user_id: str | None = None
    turn: int = 0
    user_text: str
    reply_text: str = ""
    intent: str | None = None
    tools: list[str] = Field(default_factory=list)
    cards: list[dict[str, Any]] = Field(default_factory=list)
    latency_ms: float = 0.0
    llm: bool = False
    error: str | None = None
    created_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "transcript_turns"
        indexes = [
            pymongo.IndexModel([("session_id", pymongo.ASCENDING), ("turn", pymongo.ASCENDING)]),
            pymongo.IndexModel(
                [("user_id", pymongo.ASCENDING), ("created_at", pymongo.DESCENDING)]
            ),
            # restaurant.services.analytics: a range of days, and the turns not understood
            # in it, newest first.
            pymongo.IndexModel([("created_at", pymongo.ASCENDING)]),
            pymongo.IndexModel([("intent", pymongo.ASCENDING), ("created_at", pymongo.DESCENDING)]),
        ]


class AnalyticsEvent(Document):
    """A product event (order placed, sign-in, fallback used) for the operator's dashboards."""

    name: str
    session_id: str | None = None
    user_id: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "analytics_events"
        indexes = [
            pymongo.IndexModel([("name", pymongo.ASCENDING), ("created_at", pymongo.DESCENDING)]),
            pymongo.IndexModel([("session_id", pymongo.ASCENDING)]),
        ]


class AnalyticsTurn(Document):
    """A turn the analytics read one by one, copied small by the transcripts' writer: a
    conversation's first turn, a later turn that placed an order, or a turn not understood (with
    its text). A turn may be copied twice: first and not understood.

    The analytics range over these (tens of thousands) rather than every turn, and over
    `minute`, the turn's time as minutes since 1970 (UTC): a number, which every server ranges,
    subtracts and indexes (restaurant.services.analytics)."""

    session_id: str
    turn: int
    kind: str  # "started" | "ordered" | "not_understood" (restaurant.services.transcripts)
    user_text: str | None = None  # a turn not understood: what the customer said
    created_at: datetime
    minute: float
    # An order's: the `minute` its conversation started (its first turn), and the minutes since.
    started_minute: float | None = None
    minutes: float | None = None

    class Settings:
        name = "analytics_turns"
        indexes = [
            pymongo.IndexModel([("kind", pymongo.ASCENDING), ("minute", pymongo.DESCENDING)]),
            # The writer: a session's latest first turn, for an order's `started_minute`.
            pymongo.IndexModel([("session_id", pymongo.ASCENDING), ("kind", pymongo.ASCENDING)]),
        ]


class TurnCount(Document):
    """The turns written in one quarter of an hour, how many of them were not understood and
    how many started a conversation: the analytics add these up instead of counting every turn.
    A quarter, so that a range's bounds (midnights in any time zone) fall on one."""

    minute: int  # the quarter's first minute since 1970 (UTC)
    turns: int = 0
    not_understood: int = 0
    started: int = 0  # first turns

    class Settings:
        name = "turn_counts"
        indexes = [pymongo.IndexModel([("minute", pymongo.ASCENDING)], unique=True)]


class OrderedLine(Document):
    """A line of a placed order (kind "item"), or an option chosen on it that the menu did not
    choose (kind "option"), copied by the transcripts' writer from the order's `order_placed`
    event: the analytics' top items and options count these rather than unwinding every order's
    lines and their options."""

    kind: str  # "item" | "option"
    number: str  # the order's
    key: str  # the item's key; an option's group, label and "yes" or "no" (left out), \x1f apart
    label: str  # the item's; an option's own
    quantity: int  # the line's
    cents: int = 0  # an item line's total
    minute: float  # the order's time, as `AnalyticsTurn.minute`

    class Settings:
        name = "ordered_lines"
        indexes = [
            pymongo.IndexModel([("kind", pymongo.ASCENDING), ("minute", pymongo.DESCENDING)]),
        ]


DOCUMENTS: list[type[Document]] = [
    TranscriptTurn,
    AnalyticsEvent,
    AnalyticsTurn,
    TurnCount,
    OrderedLine,
]


async def init_documents(client: AsyncMongoClient[Any], database: str) -> None:
    """Bind the documents to a database and create their indexes."""
    await init_beanie(database=client[database], document_models=DOCUMENTS)
