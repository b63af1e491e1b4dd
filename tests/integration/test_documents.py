"""Beanie documents on the MongoDB wire server: insert, indexed finds, sorts, counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pymongo import AsyncMongoClient

from restaurant.db.documents import AnalyticsEvent, TranscriptTurn, init_documents
from restaurant.services.transcripts import TranscriptRecord, write_transcripts


async def test_documents_transcript_round_trip(mongo_url: str) -> None:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url)
    try:
        await init_documents(client, "test_documents")
        for turn in range(3):
            await TranscriptTurn(
                session_id="s-docs",
                turn=turn,
                user_text=f"message {turn}",
                reply_text="ok",
                intent="add_items",
                tools=["add_to_cart"],
                cards=[{"name": "CART_CARD", "data": {"total": "9.50"}}],
                latency_ms=12.5,
            ).insert()
        await TranscriptTurn(session_id="s-other", user_text="hi").insert()
        turns = (
            await TranscriptTurn.find(TranscriptTurn.session_id == "s-docs")
            .sort(
                -TranscriptTurn.turn  # type: ignore[operator]
            )
            .to_list()
        )
        assert [t.turn for t in turns] == [2, 1, 0]
        assert turns[0].cards[0]["data"]["total"] == "9.50"
        assert await TranscriptTurn.find(TranscriptTurn.session_id == "s-docs").count() == 3
        indexes = await client["test_documents"]["transcript_turns"].index_information()
        assert any(
            [k for k, _ in spec["key"]] == ["session_id", "turn"] for spec in indexes.values()
        )
        await AnalyticsEvent(
            name="order_placed", session_id="s-docs", data={"total": "9.50"}
        ).insert()
        events = await AnalyticsEvent.find(AnalyticsEvent.name == "order_placed").to_list()
        assert [e.data["total"] for e in events] == ["9.50"]
    finally:
        await client.close()


async def test_documents_transcript_records_written_as_beanie_documents(mongo_url: str) -> None:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url)
    try:
        await init_documents(client, "test_records")
        placed = {"name": "ORDER_DATA", "data": {"status": "placed", "number": "A-7", "total": "9"}}
        records = [
            TranscriptRecord(
                session_id="s-rec",
                user_text="yes",
                user_id="u-1",
                turn=1,
                reply_text="Placed.",
                intent="confirm",
                tools=["place_order"],
                cards=[placed],
                latency_ms=3.5,
            ),
            # Decimal is no BSON type: such a card value is kept as its JSON text.
            TranscriptRecord(
                session_id="s-rec", user_text="hi", turn=2, cards=[{"x": Decimal("1.5")}]
            ),
        ]
        await write_transcripts(records[:1])
        await write_transcripts(records)  # a retried batch: the first record is not written twice
        turns = (
            await TranscriptTurn.find(TranscriptTurn.session_id == "s-rec").sort("turn").to_list()
        )
        assert [(t.turn, t.user_text, t.user_id, t.intent, t.tools) for t in turns] == [
            (1, "yes", "u-1", "confirm", ["place_order"]),
            (2, "hi", None, None, []),
        ]
        assert turns[0].cards == [placed] and turns[0].latency_ms == 3.5
        assert turns[0].id == records[0].id
        assert turns[1].cards == [{"x": "1.5"}]
        raw = await client["test_records"]["transcript_turns"].find_one({"_id": records[0].id})
        assert raw is not None
        await TranscriptTurn(session_id="s-beanie", user_text="yes").insert()
        beanie_raw = await client["test_records"]["transcript_turns"].find_one(
            {"session_id": "s-beanie"}
        )
        assert beanie_raw is not None and set(raw) == set(beanie_raw), "the shape Beanie writes"
        events = await AnalyticsEvent.find(AnalyticsEvent.session_id == "s-rec").to_list()
        assert [(e.name, e.user_id, e.data) for e in events] == [
            (
                "order_placed",
                "u-1",
                {"number": "A-7", "total": "9", "total_cents": 900, "lines": []},
            )
        ], "one analytics event per order placed, not one per attempt"
    finally:
        await client.close()
