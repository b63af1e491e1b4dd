"""Analytics for managers, computed in MongoDB by aggregation pipelines over what the
transcripts' writer (`restaurant.services.transcripts`) keeps for them: no document is loaded
into Python, only the figures come back (a day's quarter-hourly counts are added up here).

Reading every turn and unwinding every order's lines took seconds over 100,000 turns
(bench/README.md), so the writer keeps, beside each turn and `order_placed` event:

- `TurnCount`, per quarter of an hour: the turns, the first turns (`TranscriptTurn.turn == 1`)
  and the turns not understood;
- `AnalyticsTurn`: each turn not understood with its text, and each later turn that placed an
  order, with the minutes since its conversation's first turn;
- `OrderedLine`: each line of a placed order, and each option chosen on it that the menu did
  not choose;
- on each `order_placed` event, its total in cents;

each with its time as minutes since 1970 (UTC), the number every range here is on. What each
figure is:

- a *conversation* is a chat session whose first turn (the graph counts a conversation's turns
  from 1, in its checkpoint) falls in the range, counted on that turn's day (a chat that goes
  on after its checkpoint expired starts a new one): `TurnCount.started`;
- an *order* is an `order_placed` event, counted once per order number (`data.number`, with
  `data.total_cents`): the writer adds one for the ORDER_DATA card of status "placed" of the
  turn that called `place_order`;
- the *top items and options* add up the `OrderedLine`s of the orders placed in the range;
- the *turns and minutes to an order* run from a conversation's first turn in the range to the
  session's last turn in the range that placed an order (`AnalyticsTurn` "ordered": its `turn`
  is the number of turns so far; `minutes` since the session's latest first turn before it);
- a turn *not understood* is one whose intent is `unknown` (`graph.intents.Intent.UNKNOWN`):
  the offline reading found no intent and no model found one either.

Turns and events written before the writer kept these are not counted.

A range is a first and a last day, both included, on the restaurant's clock (`zone_of_menu`:
its menu's time zone, UTC when the menu gives none), turned into UTC instants here; a quarter
of an hour, so that its bounds (midnights in any time zone) fall between two quarters.

The same pipelines run on MongoDB and on the embedded MongoDB-wire server of the tests and
benchmarks (`restaurant.dev.embedded`: nx-27017 over neosqlite), which runs a pipeline in SQL
only when it can translate all of it, and otherwise in Python after copying every document of
the collection; each stage was tried against it, and the pipelines avoid what it gets wrong or
does the slow way:

- a range on a date (`created_at`) matches nothing as `{"$gte": a, "$lt": b}` and runs the slow
  way under `$and`: every range is on the number `minute`, which its SQL compares as it is;
- `$dateToString` ignores `timezone`, and a `$group` key computed from a number (`$floor`,
  `$divide`) runs the slow way: counts come per quarter, by its own `minute`, and are added up
  into the restaurant's days here;
- a `$group` `_id` that is a document keeps its paths as text: an option's key is one string;
- two dates cannot be subtracted, `$toDecimal` and `$unwind` run the slow way: minutes, cents
  and lines are written as their own numbers and documents;
- `$first` after a `$sort` runs the slow way: none is needed (a number's events are the same);
- `$median` is missing (MongoDB 7.0): the middle one or two of a `$sort` (`$skip`, `$limit`)
  are averaged, after a first pipeline counted them. `$push` after a `$sort`, `$dateDiff` or a
  `$project` after a `$group` would run the slow way, and under `$facet` its `$sort` ordered
  numbers wrongly;
- `$count` after a `$match` on dates counts nothing: a `$group` `$sum` counts.

How fast each query is over 100,000 turns on that server: `bench/analytics.py` and
bench/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from graph.menu import Menu
from restaurant.db.documents import AnalyticsEvent, AnalyticsTurn, OrderedLine, TurnCount
from restaurant.services.transcripts import MISSED, ORDERED, minute_of

ORDER_PLACED = "order_placed"
# A range longer than this is refused: a `$switch` branch per day.
MAX_DAYS = 366
TOP = 10
MISSED_TEXTS = 50
CENT = Decimal("0.01")


class RangeError(ValueError):
    """A date range the analytics cannot answer: reversed, or longer than `MAX_DAYS`."""


class DayCount(BaseModel):
    """One day on the restaurant's clock: conversations started and orders placed."""

    day: date
    conversations: int
    orders: int


class ItemCount(BaseModel):
    """A menu item as ordered: units, orders holding it and the money its lines brought."""

    item: str
    label: str
    quantity: int
    orders: int
    revenue: Decimal


class OptionCount(BaseModel):
    """An option chosen on ordered lines ("Size: Large", "NO Onions"): units and lines."""

    group: str
    option: str
    excluded: bool
    quantity: int
    lines: int


class MissedTurn(BaseModel):
    """A message the assistant did not understand."""

    text: str
    at: datetime
    session_id: str


class OrderFigures(BaseModel):
    """Orders, the conversations that led to one, and their value."""

    conversations: int
    orders: int
    ordering_conversations: int
    conversion: float  # ordering conversations / conversations, 0 when there were none
    revenue: Decimal
    average_order_value: Decimal | None


class OrderPace(BaseModel):
    """How long a conversation takes to reach an order: medians over the range's orders."""

    orders: int
    median_turns: float | None
    median_minutes: float | None


class Understanding(BaseModel):
    """How many turns the assistant did not understand, and their texts, newest first."""

    turns: int
    not_understood: int
    share: float
    texts: list[MissedTurn]


class Analytics(BaseModel):
    """Everything a manager's page shows for a range of days."""

    first_day: date
    last_day: date
    timezone: str
    days: list[DayCount]
    orders: OrderFigures
    top_items: list[ItemCount]
    top_options: list[OptionCount]
    pace: OrderPace
    understanding: Understanding


def zone_of_menu(menu: Menu) -> ZoneInfo:
    """The restaurant's time zone from its menu; UTC when the menu names none."""
    info = menu.restaurant.info
    return info.zone if info is not None else ZoneInfo("UTC")


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class Window:
    """A range of local days as UTC instants: `start` included, `end` excluded."""

    first_day: date
    last_day: date
    zone: ZoneInfo
    start: datetime
    end: datetime
    days: tuple[date, ...]

    @classmethod
    def of(cls, first_day: date, last_day: date, zone: ZoneInfo) -> Window:
        """The window from the start of `first_day` to the end of `last_day`, in `zone`."""
        if last_day < first_day:
            raise RangeError(f"the range ends ({last_day}) before it starts ({first_day})")
        count = (last_day - first_day).days + 1
        if count > MAX_DAYS:
            raise RangeError(f"a range of {count} days: at most {MAX_DAYS}")
        days = tuple(first_day + timedelta(days=n) for n in range(count))
        end = _midnight(last_day + timedelta(days=1), zone)
        return cls(first_day, last_day, zone, _midnight(first_day, zone), end, days)

    def minutes(self, **also: Any) -> dict[str, Any]:
        """A `$match` condition: `minute` (minutes since 1970, UTC) within the window, and the
        fields `also` equal to their values."""
        return {"minute": {"$gte": minute_of(self.start), "$lt": minute_of(self.end)}, **also}

    def minute_day(self, minute: float) -> date:
        """The local day of a minute since 1970 (UTC)."""
        return datetime.fromtimestamp(minute * 60, UTC).astimezone(self.zone).date()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def _turns(pipeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return await AnalyticsTurn.aggregate(pipeline).to_list()


async def _counts(pipeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return await TurnCount.aggregate(pipeline).to_list()


async def _lines(pipeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return await OrderedLine.aggregate(pipeline).to_list()


async def _events(pipeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return await AnalyticsEvent.aggregate(pipeline).to_list()


class AnalyticsService:
    """The managers' figures over a range of days on the restaurant's clock."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def window(self, first_day: date, last_day: date) -> Window:
        """The range as UTC instants (`RangeError` when it cannot be answered)."""
        return Window.of(first_day, last_day, self.zone)

    async def report(self, first_day: date, last_day: date) -> Analytics:
        """Every figure for the range."""
        window = self.window(first_day, last_day)
        return Analytics(
            first_day=first_day,
            last_day=last_day,
            timezone=self.zone.key,
            days=await self.per_day(window),
            orders=await self.order_figures(window),
            top_items=await self.top_items(window),
            top_options=await self.top_options(window),
            pace=await self.pace(window),
            understanding=await self.understanding(window),
        )

    async def per_day(self, window: Window) -> list[DayCount]:
        """Conversations started and orders placed on each day of the window (zeros too)."""
        started = await _counts(
            [
                {"$match": window.minutes(started={"$gt": 0})},
                {"$group": {"_id": "$minute", "count": {"$sum": "$started"}}},
            ]
        )
        placed = await _events(
            [
                {"$match": window.minutes(name=ORDER_PLACED)},
                {"$group": {"_id": "$data.number", "quarter": {"$min": "$quarter"}}},
                {"$group": {"_id": "$quarter", "count": {"$sum": 1}}},
            ]
        )
        # Buckets of an hour (at most 24 a day) and quarters (96) folded into the restaurant's
        # days here: the embedded server ignores `$dateToString`'s `timezone`.
        conversations: dict[date, int] = {}
        for row in started:
            day = window.minute_day(row["_id"])
            conversations[day] = conversations.get(day, 0) + row["count"]
        orders: dict[date, int] = {}
        for row in placed:
            day = window.minute_day(row["_id"])
            orders[day] = orders.get(day, 0) + row["count"]
        return [
            DayCount(day=day, conversations=conversations.get(day, 0), orders=orders.get(day, 0))
            for day in window.days
        ]

    async def order_figures(self, window: Window) -> OrderFigures:
        """Conversations, orders, conversion and the average order value over the window."""
        sessions = await _counts(
            [
                {"$match": window.minutes()},
                {"$group": {"_id": None, "count": {"$sum": "$started"}}},
            ]
        )
        orders = await _events(
            [
                {"$match": window.minutes(name=ORDER_PLACED)},
                {
                    "$group": {
                        "_id": "$data.number",
                        "session_id": {"$first": "$session_id"},
                        "total": {"$first": "$data.total_cents"},
                    }
                },
                {
                    "$group": {
                        "_id": "$session_id",
                        "orders": {"$sum": 1},
                        "revenue": {"$sum": "$total"},
                    }
                },
                {
                    "$group": {
                        "_id": None,
                        "sessions": {"$sum": 1},
                        "orders": {"$sum": "$orders"},
                        "revenue": {"$sum": "$revenue"},
                    }
                },
            ]
        )
        conversations = sessions[0]["count"] if sessions else 0
        row = orders[0] if orders else {"sessions": 0, "orders": 0, "revenue": 0}
        revenue = (Decimal(int(row["revenue"] or 0)) / 100).quantize(CENT)
        count = int(row["orders"])
        return OrderFigures(
            conversations=conversations,
            orders=count,
            ordering_conversations=int(row["sessions"]),
            conversion=row["sessions"] / conversations if conversations else 0.0,
            revenue=revenue,
            average_order_value=(revenue / count).quantize(CENT, ROUND_HALF_UP) if count else None,
        )

    async def top_items(self, window: Window, limit: int = TOP) -> list[ItemCount]:
        """The items ordered most in the window, by units."""
        rows = await _lines(
            [
                {"$match": window.minutes(kind="item")},
                {
                    "$group": {
                        "_id": "$key",
                        "label": {"$first": "$label"},
                        "quantity": {"$sum": "$quantity"},
                        "orders": {"$sum": 1},
                        "cents": {"$sum": "$cents"},
                    }
                },
                {"$sort": {"quantity": -1, "_id": 1}},
                {"$limit": limit},
            ]
        )
        return [
            ItemCount(
                item=row["_id"],
                label=row["label"],
                quantity=row["quantity"],
                orders=row["orders"],
                revenue=(Decimal(int(row["cents"] or 0)) / 100).quantize(CENT),
            )
            for row in rows
        ]

    async def top_options(self, window: Window, limit: int = TOP) -> list[OptionCount]:
        """The options customers chose most in the window (the defaults left out), by units."""
        rows = await _lines(
            [
                {"$match": window.minutes(kind="option")},
                {
                    "$group": {
                        "_id": "$key",
                        "quantity": {"$sum": "$quantity"},
                        "lines": {"$sum": 1},
                    }
                },
                {"$sort": {"quantity": -1, "_id": 1}},
                {"$limit": limit},
            ]
        )
        options = []
        for row in rows:
            # One string key (group, option, chosen or left out): that server does not evaluate
            # a document `_id`'s paths.
            group, option, chosen = row["_id"].split("\x1f")
            options.append(
                OptionCount(
                    group=group,
                    option=option,
                    excluded=chosen == "no",
                    quantity=row["quantity"],
                    lines=row["lines"],
                )
            )
        return options

    async def pace(self, window: Window) -> OrderPace:
        """Median turns and minutes from a conversation's first turn to its (last) order."""
        start = minute_of(window.start)
        ordering = [
            # The orders placed in the window by conversations started in it (the writer noted
            # when each started); a conversation's last order is the latest, its `turn` counts
            # the conversation's turns so far.
            {"$match": window.minutes(kind=ORDERED, started_minute={"$gte": start})},
            {
                "$group": {
                    "_id": "$session_id",
                    "turns": {"$max": "$turn"},
                    "minutes": {"$max": "$minutes"},
                }
            },
        ]
        counted = await _turns([*ordering, {"$group": {"_id": None, "count": {"$sum": 1}}}])
        count = counted[0]["count"] if counted else 0
        if not count:
            return OrderPace(orders=0, median_turns=None, median_minutes=None)
        # The middle one (odd count) or two (even): a `$sort`, a `$skip` and a `$limit`.
        middle = [{"$skip": (count - 1) // 2}, {"$limit": 1 if count % 2 else 2}]
        turns = await _turns(
            [
                *ordering,
                {"$sort": {"turns": 1}},
                *middle,
                {"$group": {"_id": None, "median": {"$avg": "$turns"}}},
            ]
        )
        minutes = await _turns(
            [
                *ordering,
                {"$sort": {"minutes": 1}},
                *middle,
                {"$group": {"_id": None, "median": {"$avg": "$minutes"}}},
            ]
        )
        return OrderPace(
            orders=count,
            median_turns=float(turns[0]["median"]),
            median_minutes=round(float(minutes[0]["median"]), 2),
        )

    async def understanding(self, window: Window, limit: int = MISSED_TEXTS) -> Understanding:
        """The share of the window's turns not understood, and the newest `limit` of them."""
        counted = await _counts(
            [
                {"$match": window.minutes()},
                {
                    "$group": {
                        "_id": None,
                        "turns": {"$sum": "$turns"},
                        "missed": {"$sum": "$not_understood"},
                    }
                },
            ]
        )
        texts = await _turns(
            [
                {"$match": window.minutes(kind=MISSED)},
                {"$sort": {"minute": -1}},
                {"$limit": limit},
            ]
        )
        turns = int(counted[0]["turns"]) if counted else 0
        missed = int(counted[0]["missed"]) if counted else 0
        return Understanding(
            turns=turns,
            not_understood=missed,
            share=missed / turns if turns else 0.0,
            texts=[
                MissedTurn(
                    text=row["user_text"],
                    at=_aware(row["created_at"]),
                    session_id=row["session_id"],
                )
                for row in texts
            ],
        )


__all__ = [
    "MAX_DAYS",
    "Analytics",
    "AnalyticsService",
    "DayCount",
    "ItemCount",
    "MissedTurn",
    "OptionCount",
    "OrderFigures",
    "OrderPace",
    "RangeError",
    "Understanding",
    "Window",
    "zone_of_menu",
]
