"""Beanie documents on the MongoDB wire server: insert, indexed finds, sorts, counts."""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient

from restaurant.db.documents import AnalyticsEvent, TranscriptTurn, init_documents


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
