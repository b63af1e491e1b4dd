"""Analytics for managers, computed in MongoDB by aggregation pipelines over the transcripts and
the analytics events: no document is loaded into Python, only the figures come back (a day's
hourly or quarter-hourly counts are added up here, below).

What each figure is read from (what `restaurant.services.transcripts` writes). The turns are
not read one by one: the writer counts every turn into `TurnCount` (per quarter of an hour:
turns, first turns, turns not understood) and copies the few the analytics read one by one
into `AnalyticsTurn` (a turn not understood, with its text; a turn that placed an order, with
the minutes since its conversation started), each with its time as a number of minutes;
reading every turn took seconds over 100,000 of them (bench/README.md).

- a *conversation* is a chat session whose first turn (`TranscriptTurn.turn == 1`: the graph
  counts a conversation's turns from 1, in its checkpoint) falls in the range, counted on that
  turn's day (a chat that goes on after its checkpoint expired starts a new one):
  `TurnCount.started`;
- an *order* is an `order_placed` event (`AnalyticsEvent`, its `data.number` and `data.total`),
  counted once per order number: the writer adds one for the ORDER_DATA card of status "placed"
  of the turn that called `place_order`; before, it added one for every such card, and a
  customer asking "where is my order?" is shown that card again;
- an order's *items and options* are the lines of its `order_placed` event (`data.lines`: the
  placed card's lines, copied by the writer), the first event of its number; orders whose events
  were written before the writer copied the lines have none and are left out of the top items
  and options (reading them from the transcripts' cards took two `$unwind` stages over every
  turn: bench/README.md);
- the *turns and minutes to an order* run from a conversation's first turn in the range to
  the session's last turn in the range that called `place_order` (kind "ordered", with
  `started_minute` and `minutes`, which the writer finds from the session's latest first turn);
  that turn's `turn` is the number of turns so far;
- a turn *not understood* is one whose intent is `unknown` (`graph.intents.Intent.UNKNOWN`):
  the offline reading found no intent and no model found one either (kind "not_understood",
  with its text; `TurnCount.not_understood`).

Turns written before the writer made `AnalyticsTurn` and `TurnCount` are not in them.

A range is a first and a last day, both included, on the restaurant's clock (`zone_of_menu`:
its menu's time zone, UTC when the menu gives none), turned into UTC instants here.

The same pipelines run on MongoDB and on the embedded MongoDB-wire server of the tests and
benchmarks (`restaurant.dev.embedded`: nx-27017 over neosqlite), which gets several things
wrong; each was tried against it, and the pipelines avoid what it gets wrong:

- a `{"$gte": a, "$lt": b}` on a date matches nothing (its SQL compares the stored date object
  with the bound value): the two bounds go under `$and`, which it evaluates correctly but only
  after copying the whole collection into a table of its own; over turns, the range is on the
  number `minute` instead, which its SQL compares and indexes as it is;
- `$dateToString` ignores `timezone`, and a date that went through `$group` comes out as text:
  events are counted by UTC hour (by minute for a zone off the hour) straight from the stored
  date, and the hours are added up into local days in Python;
- a `$group` `_id` that is a document keeps its paths as text: one `$concat` string instead;
- two dates cannot be subtracted (`$subtract` fails, `$toLong` gives null): the writer keeps
  a turn's minutes since 1970 beside its date, and an order's minutes since its start;
- a `$group` `_id` computed from a number (`$floor`, `$divide`) runs the slow way: quarters
  are grouped by their own `minute`;
- `$median` is missing (MongoDB 7.0): the middle one or two of a `$sort` (`$skip`, `$limit`)
  are averaged, after a first pipeline counted them. `$push` after a `$sort`, `$dateDiff` or a
  `$project` after a `$group` would make it run the pipeline the slow way (in Python, over
  every document of the collection) and under `$facet` its `$sort` ordered numbers wrongly;
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

from bson import Decimal128
from pydantic import BaseModel

from graph.menu import Menu
from restaurant.db.documents import AnalyticsEvent, AnalyticsTurn, TurnCount
from restaurant.services.transcripts import MISSED, ORDERED, minute_of

ORDER_PLACED = "order_placed"
# A range longer than this is refused: a `$switch` branch per day.
MAX_DAYS = 366
TOP = 10
MISSED_TEXTS = 50
CENT = Decimal("0.01")
HOUR = "%Y-%m-%dT%H"
MINUTE = "%Y-%m-%dT%H:%M"


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

    def match(self, *also: dict[str, Any], field: str = "created_at") -> dict[str, Any]:
        """A `$match` condition: `field` within the window, and the conditions `also`."""
        # Two conditions under `$and`, not one `{"$gte", "$lt"}`: the embedded server's SQL
        # translation of the latter compares the stored date object with the bound value and
        # matches nothing; it evaluates the `$and` form correctly.
        return {"$and": [{field: {"$gte": self.start}}, {field: {"$lt": self.end}}, *also]}

    def minutes(self, **also: Any) -> dict[str, Any]:
        """A `$match` condition: `minute` (minutes since 1970, UTC) within the window, and the
        fields `also` equal to their values."""
        return {"minute": {"$gte": minute_of(self.start), "$lt": minute_of(self.end)}, **also}

    def minute_day(self, minute: float) -> date:
        """The local day of a minute since 1970 (UTC)."""
        return datetime.fromtimestamp(minute * 60, UTC).astimezone(self.zone).date()

    def bucket(self, path: str = "$created_at") -> dict[str, Any]:
        """An expression: the UTC hour (or minute, for a zone off the hour) of the date at
        `path`, as text that `local_day` reads back."""
        return {"$dateToString": {"format": self._format, "date": path}}

    @property
    def _format(self) -> str:
        offsets = {
            self.zone.utcoffset(datetime.combine(day, time()))
            for day in (*self.days, self.last_day + timedelta(days=1))
        }
        whole = all(o is not None and o % timedelta(hours=1) == timedelta() for o in offsets)
        return HOUR if whole else MINUTE

    def local_day(self, bucket: str) -> date:
        """The local day of a bucket made by `bucket`."""
        moment = datetime.strptime(bucket, self._format).replace(tzinfo=UTC)
        return moment.astimezone(self.zone).date()


def _placed_lines(window: Window) -> list[dict[str, Any]]:
    """Stages: one document per order placed in the window, with its `lines`, from its
    `order_placed` event (the transcripts' writer copies the placed card's lines into it).

    Counted once per order number: events written before the lines were (and before only the
    placing turn wrote one) have none, and a number may have several of them; those orders
    count in the order figures but not in the top items and options."""
    return [
        {"$match": window.match({"name": ORDER_PLACED})},
        {"$sort": {"created_at": 1}},
        {"$group": {"_id": "$data.number", "lines": {"$first": "$data.lines"}}},
    ]


def _number(value: Any) -> Decimal:
    if isinstance(value, Decimal128):
        return value.to_decimal()
    return Decimal(str(value or 0))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def _turns(pipeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return await AnalyticsTurn.aggregate(pipeline).to_list()


async def _counts(pipeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return await TurnCount.aggregate(pipeline).to_list()


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
                {"$match": window.match({"name": ORDER_PLACED})},
                {"$sort": {"created_at": 1}},
                {"$group": {"_id": "$data.number", "bucket": {"$first": window.bucket()}}},
                {"$group": {"_id": "$bucket", "count": {"$sum": 1}}},
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
            day = window.local_day(row["_id"])
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
                {"$match": window.match({"name": ORDER_PLACED})},
                {
                    "$group": {
                        "_id": "$data.number",
                        "session_id": {"$first": "$session_id"},
                        "total": {"$first": "$data.total"},
                    }
                },
                {
                    "$group": {
                        "_id": "$session_id",
                        "orders": {"$sum": 1},
                        "revenue": {"$sum": {"$toDecimal": "$total"}},
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
        revenue = _number(row["revenue"]).quantize(CENT, ROUND_HALF_UP)
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
        rows = await _events(
            [
                *_placed_lines(window),
                {"$unwind": "$lines"},
                {
                    "$group": {
                        "_id": "$lines.item",
                        "label": {"$first": "$lines.label"},
                        "quantity": {"$sum": "$lines.quantity"},
                        "orders": {"$sum": 1},
                        "revenue": {"$sum": {"$toDecimal": "$lines.line_total"}},
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
                revenue=_number(row["revenue"]).quantize(CENT, ROUND_HALF_UP),
            )
            for row in rows
        ]

    async def top_options(self, window: Window, limit: int = TOP) -> list[OptionCount]:
        """The options customers chose most in the window (the defaults left out), by units."""
        # A group key of one string: that server does not evaluate a document `_id`'s paths.
        key = {
            "$concat": [
                "$lines.choices.group_label",
                "\x1f",
                "$lines.choices.label",
                "\x1f",
                {"$cond": [{"$eq": ["$lines.choices.exclude", True]}, "no", "yes"]},
            ]
        }
        rows = await _events(
            [
                *_placed_lines(window),
                {"$unwind": "$lines"},
                {"$unwind": "$lines.choices"},
                {"$match": {"lines.choices.default": False}},
                {
                    "$group": {
                        "_id": key,
                        "quantity": {"$sum": "$lines.quantity"},
                        "lines": {"$sum": 1},
                    }
                },
                {"$sort": {"quantity": -1, "_id": 1}},
                {"$limit": limit},
            ]
        )
        options = []
        for row in rows:
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
