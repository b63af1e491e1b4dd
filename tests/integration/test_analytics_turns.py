"""What the transcripts' writer keeps for the analytics besides the turns: `TurnCount` per
quarter of an hour (counted once, a retried batch included) and `AnalyticsTurn` (an order's
minutes since its conversation started, found in an earlier batch too), on the MongoDB wire
server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from restaurant.db.documents import AnalyticsTurn, TurnCount, init_documents
from restaurant.services.transcripts import TranscriptRecord, minute_of, write_transcripts

DATABASE = "test_analytics_turns"
START = datetime(2026, 12, 1, 18, 7, tzinfo=UTC)


@pytest.fixture
async def documents(mongo_url: str) -> AsyncIterator[None]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url)
    try:
        await client.drop_database(DATABASE)
        await init_documents(client, DATABASE)
        yield
    finally:
        await client.drop_database(DATABASE)
        await client.close()


def _turn(n: int, minutes: float, **fields: Any) -> TranscriptRecord:
    return TranscriptRecord(
        session_id="s-1",
        turn=n,
        user_text=f"turn {n}",
        created_at=START + timedelta(minutes=minutes),
        **fields,
    )


@pytest.mark.usefixtures("documents")
async def test_analytics_turns_counted_once_per_quarter() -> None:
    records = [
        _turn(1, 0),
        _turn(2, 3, intent="unknown"),
        _turn(3, 9, intent="add_items"),  # 18:16, the next quarter
    ]
    await write_transcripts(records[:2])
    await write_transcripts(records)  # a retried batch: the first two are not counted again
    counts = await TurnCount.find_all().sort("minute").to_list()
    quarter = int(minute_of(datetime(2026, 12, 1, 18, 0, tzinfo=UTC)))
    assert [(c.minute, c.turns, c.not_understood, c.started) for c in counts] == [
        (quarter, 2, 1, 1),
        (quarter + 15, 1, 0, 0),
    ]
    missed = await AnalyticsTurn.find(AnalyticsTurn.kind == "not_understood").to_list()
    assert [(m.turn, m.user_text) for m in missed] == [(2, "turn 2")]


@pytest.mark.usefixtures("documents")
async def test_analytics_turns_an_order_knows_when_its_conversation_started() -> None:
    await write_transcripts([_turn(1, 0), _turn(2, 1)])
    # The order in a later batch: its start is read back from the first batch's.
    await write_transcripts([_turn(3, 4.5, tools=["place_order"])])
    # A new conversation of the same session (its checkpoint expired), ordering at once.
    await write_transcripts([_turn(1, 60), _turn(2, 62, tools=["place_order"])])
    orders = await AnalyticsTurn.find(AnalyticsTurn.kind == "ordered").sort("minute").to_list()
    assert [(o.turn, o.minutes, o.started_minute) for o in orders] == [
        (3, pytest.approx(4.5), pytest.approx(minute_of(START))),
        (2, pytest.approx(2.0), pytest.approx(minute_of(START + timedelta(minutes=60)))),
    ]


@pytest.mark.usefixtures("documents")
async def test_analytics_turns_an_order_without_a_start_has_no_minutes() -> None:
    await write_transcripts([_turn(5, 0, tools=["place_order"])])
    [order] = await AnalyticsTurn.find(AnalyticsTurn.kind == "ordered").to_list()
    assert order.minutes is None and order.started_minute is None
