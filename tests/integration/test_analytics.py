"""The managers' analytics on the MongoDB wire server: a few conversations written through the
transcripts' own writer, every expected figure worked out by hand below.

The restaurant is in America/New_York (UTC-5 in December); the range is December 1-2.

| session | first turn (UTC)  | local day | turns | order (total)       | not understood        |
| ------- | ----------------- | --------- | ----- | ------------------- | --------------------- |
| s-early | Dec 1 04:00       | Nov 30    | 3     | A0 (50.00)          | 1 (outside the range) |
| s-late  | Dec 2 04:30       | Dec 1     | 4     | A1 (20.00), turn 3  | "do you have halal"   |
| s-noon  | Dec 1 16:00       | Dec 1     | 2     | A3 (9.99), turn 2   |                       |
| s-night | Dec 2 05:10       | Dec 2     | 5     | A2 (35.50), turn 5  |                       |
| s-chat  | Dec 2 15:00       | Dec 2     | 3     |                     | "can i pay in bitcoin"|
| s-next  | Dec 3 05:30       | Dec 3     | 2     | A4 (12.00)          | (outside the range)   |

s-late's fourth turn ("where is my order?") shows A1's card again. The writer records no event
for it (only the turn that called `place_order` does), but it used to, without the lines: such an
old event for A1, and one for A3, are written as they were (`OLD_EVENTS`). A1 and A3 must count
once, and their lines come from the placing turn's event.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pymongo import AsyncMongoClient

from restaurant.db.documents import AnalyticsEvent, init_documents
from restaurant.services.analytics import AnalyticsService, DayCount
from restaurant.services.transcripts import TranscriptRecord, write_transcripts

NEW_YORK = ZoneInfo("America/New_York")
DATABASE = "test_analytics"


def _line(item: str, label: str, quantity: int, total: str, *choices: dict[str, Any]) -> Any:
    return {
        "id": f"{item}-{quantity}",
        "item": item,
        "label": label,
        "quantity": quantity,
        "choices": list(choices),
        "unit_price": "0",
        "line_total": total,
    }


def _choice(group: str, option: str, *, exclude: bool = False, default: bool = False) -> Any:
    return {
        "group": group.lower(),
        "group_label": group,
        "option": option.lower(),
        "label": option,
        "qualifier": None,
        "exclude": exclude,
        "price": "0.00",
        "default": default,
    }


LARGE = _choice("Size", "Large")
MEDIUM = _choice("Size", "Medium", default=True)
NO_ONIONS = _choice("Toppings", "Onions", exclude=True)
LINES = {
    "A0": [_line("coke", "Coke", 20, "50.00")],
    "A1": [
        _line("pepperoni", "Pepperoni Pizza", 2, "17.50", LARGE, MEDIUM, NO_ONIONS),
        _line("coke", "Coke", 1, "2.50"),
    ],
    "A2": [
        _line("pepperoni", "Pepperoni Pizza", 1, "20.50", LARGE),
        _line("garlic-knots", "Garlic Knots", 3, "15.00"),
    ],
    "A3": [_line("coke", "Coke", 1, "9.99")],
    "A4": [_line("garlic-knots", "Garlic Knots", 9, "12.00")],
}
TOTALS = {"A0": "50.00", "A1": "20.00", "A2": "35.50", "A3": "9.99", "A4": "12.00"}
for _n in range(3):
    LINES[f"C{_n}"] = [_line("coke", "Coke", 1, "2.50")]
    TOTALS[f"C{_n}"] = "2.50"
    LINES[f"B{_n}"] = [_line("coke", "Coke", 1, "2.50")]
    TOTALS[f"B{_n}"] = "2.50"


def _order(number: str) -> dict[str, Any]:
    return {
        "type": "card",
        "name": "ORDER_DATA",
        "data": {
            "number": number,
            "status": "placed",
            "lines": LINES[number],
            "total": TOTALS[number],
        },
    }


def _session(session: str, start: datetime, turns: list[tuple[int, str, str | None]]) -> Any:
    """Records of one conversation: (minutes after its start, text, what the turn did)."""
    records = []
    for n, (minutes, text, did) in enumerate(turns, start=1):
        placed = did is not None and did.startswith("place ")
        shown = did is not None and did.startswith("show ")
        records.append(
            TranscriptRecord(
                session_id=session,
                turn=n,
                user_text=text,
                intent="unknown" if did == "missed" else ("affirm" if placed else "add_items"),
                tools=["place_order"] if placed else (["get_order_status"] if shown else []),
                cards=[_order(did.split()[1])] if placed or shown else [],
                created_at=start + timedelta(minutes=minutes),
            )
        )
    return records


def _utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


CONVERSATIONS = [
    *_session(
        "s-early",
        _utc(1, 4),
        [(0, "hi", None), (1, "what's halal here", "missed"), (2, "yes", "place A0")],
    ),
    *_session(
        "s-late",
        _utc(2, 4, 30),
        [
            (0, "two large pepperoni", None),
            (2, "do you have halal", "missed"),
            (6, "yes place it", "place A1"),
            (10, "where is my order?", "show A1"),
        ],
    ),
    *_session("s-noon", _utc(1, 16), [(0, "a coke", None), (3, "yes", "place A3")]),
    *_session(
        "s-night",
        _utc(2, 5, 10),
        [
            (0, "a large pepperoni", None),
            (2, "and three knots", None),
            (4, "that's all", None),
            (5, "pickup", None),
            (10, "yes", "place A2"),
        ],
    ),
    *_session(
        "s-chat",
        _utc(2, 15),
        [(0, "hello", None), (1, "can i pay in bitcoin", "missed"), (2, "ok bye", None)],
    ),
    *_session("s-next", _utc(3, 5, 30), [(0, "knots", None), (1, "yes", "place A4")]),
    # Across a new year (7 minutes) and into a leap day (6 minutes), in UTC.
    *_session("s-new-year", _utc(31, 23, 57), [(0, "hi", None), (7, "yes", "place C0")]),
    *_session(
        "s-leap",
        datetime(2028, 2, 28, 23, 58, tzinfo=UTC),
        [(0, "hi", None), (6, "yes", "place C1")],
    ),
    # November 10 (New York): orders at the 9th, 10th and 11th turn, 9, 10 and 11 minutes in.
    *(
        record
        for n, session in enumerate(["s-nine", "s-ten", "s-eleven"])
        for record in _session(
            session,
            datetime(2026, 11, 10, 17, n, tzinfo=UTC),
            [*((m, "more", None) for m in range(8 + n)), (9 + n, "yes", f"place B{n}")],
        )
    ),
]


# `order_placed` events as the writer wrote them before it copied the lines and before only the
# placing turn wrote one: s-late's "where is my order?" (A1 again) and a second one for A3.
OLD_EVENTS = [
    {"name": "order_placed", "session_id": session, "user_id": None, "created_at": at, "data": data}
    for session, at, data in [
        ("s-late", _utc(2, 4, 40), {"number": "A1", "total": "20.00"}),
        ("s-noon", _utc(1, 16, 5), {"number": "A3", "total": "9.99"}),
    ]
]


@pytest.fixture(scope="module")
async def analytics(mongo_url: str) -> AsyncIterator[AnalyticsService]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url)
    try:
        await client.drop_database(DATABASE)
        await init_documents(client, DATABASE)
        await write_transcripts(CONVERSATIONS)
        await AnalyticsEvent.get_pymongo_collection().insert_many([*OLD_EVENTS])
        yield AnalyticsService(NEW_YORK)
    finally:
        await client.drop_database(DATABASE)
        await client.close()


DEC_1, DEC_2 = date(2026, 12, 1), date(2026, 12, 2)


async def test_analytics_per_day_on_the_restaurant_clock(analytics: AnalyticsService) -> None:
    days = await analytics.per_day(analytics.window(DEC_1, DEC_2))
    # s-late starts on December 2 in UTC but 23:30 on December 1 in New York, and its order
    # (04:36 UTC) too; s-night starts 00:10 on December 2 in New York.
    assert days == [
        DayCount(day=DEC_1, conversations=2, orders=2),
        DayCount(day=DEC_2, conversations=2, orders=1),
    ]


async def test_analytics_conversion_and_average_order_value(analytics: AnalyticsService) -> None:
    figures = await analytics.order_figures(analytics.window(DEC_1, DEC_2))
    assert figures.conversations == 4
    assert figures.orders == 3  # A1 and A3 once, though two events name each
    assert figures.ordering_conversations == 3
    assert figures.conversion == 3 / 4
    assert figures.revenue == Decimal("65.49")  # 20.00 + 35.50 + 9.99
    assert figures.average_order_value == Decimal("21.83")  # 65.49 / 3


async def test_analytics_top_items_and_options(analytics: AnalyticsService) -> None:
    window = analytics.window(DEC_1, DEC_2)
    items = [(i.item, i.quantity, i.orders, i.revenue) for i in await analytics.top_items(window)]
    # Pepperoni: 2 (A1) + 1 (A2); knots 3 (A2); coke 1 (A1) + 1 (A3); A1 counted once.
    assert items == [
        ("garlic-knots", 3, 1, Decimal("15.00")),
        ("pepperoni", 3, 2, Decimal("38.00")),
        ("coke", 2, 2, Decimal("12.49")),
    ]
    options = [
        (o.group, o.option, o.excluded, o.quantity, o.lines)
        for o in await analytics.top_options(window)
    ]
    # Medium is the default size: not a choice anyone made.
    assert options == [("Size", "Large", False, 3, 2), ("Toppings", "Onions", True, 2, 1)]


async def test_analytics_median_turns_and_minutes_to_an_order(
    analytics: AnalyticsService,
) -> None:
    pace = await analytics.pace(analytics.window(DEC_1, DEC_2))
    # Turns 3 (s-late), 2 (s-noon), 5 (s-night); minutes 6, 3, 10.
    assert (pace.orders, pace.median_turns, pace.median_minutes) == (3, 3.0, 6.0)
    # December 1 alone: s-late and s-noon, an even count: the mean of the middle two.
    pace = await analytics.pace(analytics.window(DEC_1, DEC_1))
    assert (pace.orders, pace.median_turns, pace.median_minutes) == (2, 2.5, 4.5)
    # Numbers of one and two digits: sorted as numbers, 10 is the middle one (as text, 11).
    day = date(2026, 11, 10)
    pace = await analytics.pace(analytics.window(day, day))
    assert (pace.orders, pace.median_turns, pace.median_minutes) == (3, 10.0, 10.0)
    # Minutes from the dates' parts: right across a year's end and on a leap day.
    pace = await analytics.pace(analytics.window(date(2026, 12, 31), date(2026, 12, 31)))
    assert (pace.orders, pace.median_turns, pace.median_minutes) == (1, 2.0, 7.0)
    pace = await analytics.pace(analytics.window(date(2028, 2, 28), date(2028, 2, 28)))
    assert (pace.orders, pace.median_minutes) == (1, 6.0)


async def test_analytics_turns_not_understood_newest_first(analytics: AnalyticsService) -> None:
    understanding = await analytics.understanding(analytics.window(DEC_1, DEC_2))
    assert understanding.turns == 4 + 2 + 5 + 3
    assert understanding.not_understood == 2
    assert understanding.share == 2 / 14
    assert [t.text for t in understanding.texts] == ["can i pay in bitcoin", "do you have halal"]
    assert understanding.texts[0].at == _utc(2, 15, 1)
    assert understanding.texts[0].session_id == "s-chat"


async def test_analytics_report_and_an_empty_range(analytics: AnalyticsService) -> None:
    report = await analytics.report(DEC_1, DEC_2)
    assert report.timezone == "America/New_York"
    assert report.orders.orders == 3 and report.understanding.not_understood == 2
    empty = await analytics.report(date(2026, 6, 1), date(2026, 6, 3))
    assert [d.conversations + d.orders for d in empty.days] == [0, 0, 0]
    assert empty.orders.conversion == 0.0 and empty.orders.average_order_value is None
    assert empty.pace.median_turns is None and empty.understanding.texts == []
    assert empty.top_items == [] and empty.top_options == []
