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


DOCUMENTS: list[type[Document]] = [TranscriptTurn, AnalyticsEvent]


async def init_documents(client: AsyncMongoClient[Any], database: str) -> None:
    """Bind the documents to a database and create their indexes."""
    await init_beanie(database=client[database], document_models=DOCUMENTS)
