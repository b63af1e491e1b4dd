"""The restaurant itself: open or closed, its hours for people, where it delivers, how long
orders take, and the short sentences that answer customers' questions about it.

Pure functions over the menu file's `restaurant.info` block (`RestaurantInfo`) and an aware
`now` the caller passes (`Context.clock()`, an order desk's clock), so tests pin the time.
Opening hours are worked out on the restaurant's wall clock in its time zone: an interval
17:00-01:00 runs into the next day, a day left out is closed, and the times given back are
aware datetimes in the restaurant's zone, which keeps them right across daylight-saving changes.

The `answer_*` functions take the menu's `Restaurant` and also answer when it has no info block.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from graph.intents import OrderType
from graph.menu import WEEKDAYS, Menu, Opening, OpeningHours, Restaurant, RestaurantInfo
from graph.replies import price

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ALL_DAY = Opening(open="00:00", close="24:00")
# The days of hours looked at after today: a week and a day, so that the same weekday next week
# is in (open_state also looks at yesterday, for last night's interval running past midnight).
_LOOKAHEAD_DAYS = 8
_EARTH_RADIUS_KM = 6371.0


class Coverage(StrEnum):
    """Whether the restaurant delivers somewhere: yes, no, or it can't tell from what it has."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"  # e.g. a postcode outside the list while a radius also applies


@dataclass(frozen=True, slots=True)
class OpenState:
    """Open or closed at a moment, and the next change (aware, in the restaurant's zone)."""

    open: bool
    # When open: the end of the current opening; None when it runs for over a week (around
    # the clock). None when closed.
    closes_at: datetime | None
    # The next opening after the moment (after the current one when open); None when there is
    # none within a week (open around the clock).
    opens_at: datetime | None


# --- hours ------------------------------------------------------------------------------------


def _wall_clock(now: datetime, zone: ZoneInfo) -> datetime:
    """`now` as the restaurant's wall clock reads it (naive)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone).replace(tzinfo=None)


def _aware(wall: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in the restaurant's zone (a time skipped by a DST change moves on)."""
    return wall.replace(tzinfo=zone).astimezone(zone)


def _spans(hours: OpeningHours, first: date, days: int) -> list[tuple[datetime, datetime]]:
    """The opening intervals of `days` days from `first`, on the wall clock, sorted, with
    overlapping and touching ones joined (Friday to 24:00 and Saturday from 00:00 are one)."""
    raw: list[tuple[datetime, datetime]] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        midnight = datetime.combine(day, time())
        for opening in hours.of(day.weekday()):
            opens, closes = opening.minutes
            raw.append((midnight + timedelta(minutes=opens), midnight + timedelta(minutes=closes)))
    raw.sort()
    joined: list[tuple[datetime, datetime]] = []
    for start, end in raw:
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def open_state(info: RestaurantInfo, now: datetime) -> OpenState:
    """Whether the restaurant is open at `now`, when it closes, and when it next opens."""
    zone = info.zone
    wall = _wall_clock(now, zone)
    first = wall.date() - timedelta(days=1)
    spans = _spans(info.hours, first, _LOOKAHEAD_DAYS + 1)
    week_ahead = wall + timedelta(days=7)
    current = next(((s, e) for s, e in spans if s <= wall < e), None)
    after = current[1] if current is not None else wall
    upcoming = next((s for s, _ in spans if s > after), None)
    if current is not None and current[1] >= week_ahead:
        upcoming = None  # no closing within the week: no next opening either
    return OpenState(
        open=current is not None,
        closes_at=(
            _aware(current[1], zone) if current is not None and current[1] < week_ahead else None
        ),
        opens_at=_aware(upcoming, zone) if upcoming is not None else None,
    )


def is_open(info: RestaurantInfo, now: datetime) -> bool:
    """Whether the restaurant is open at `now`."""
    return open_state(info, now).open


def closes_at(info: RestaurantInfo, now: datetime) -> datetime | None:
    """When the current opening ends (restaurant's zone); None if closed or open around the
    clock."""
    return open_state(info, now).closes_at


def next_opening(info: RestaurantInfo, now: datetime) -> datetime | None:
    """The next time the restaurant opens after `now` (restaurant's zone): while closed, when
    it opens again; while open, the opening after this one. None if it never closes."""
    return open_state(info, now).opens_at


def local_time(info: RestaurantInfo, moment: datetime) -> datetime:
    """An aware moment on the restaurant's clock (for a ready time shown to people)."""
    return moment.astimezone(info.zone)


def clock_text(moment: datetime | int) -> str:
    """'11:00 AM', '10:30 PM', 'noon', 'midnight': a datetime's time, or minutes from midnight."""
    minutes = moment if isinstance(moment, int) else moment.hour * 60 + moment.minute
    minutes %= 1440
    if minutes == 0:
        return "midnight"
    if minutes == 720:
        return "noon"
    hour, minute = divmod(minutes, 60)
    return f"{hour % 12 or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def _day_text(openings: Sequence[Opening]) -> str:
    if not openings:
        return "closed"
    parts = []
    for opening in sorted(openings, key=lambda o: o.minutes):
        start, end = opening.minutes
        if (start, end) == (0, 1440):
            parts.append("open 24 hours")
        else:
            parts.append(f"{clock_text(start)}-{clock_text(end)}")
    return " and ".join(parts)


def hours_text(info: RestaurantInfo) -> str:
    """The week's hours for people: 'Mon-Thu 11:00 AM-10:00 PM, Fri-Sat 11:00 AM-midnight,
    Sun closed'."""
    days = [_day_text(info.hours.of(day)) for day in range(7)]
    if len(set(days)) == 1:
        return "Open 24 hours, every day" if days[0] == "open 24 hours" else f"Every day {days[0]}"
    groups: list[tuple[int, int, str]] = []  # (first day, last day, text)
    for day, text in enumerate(days):
        if groups and groups[-1][2] == text:
            groups[-1] = (groups[-1][0], day, text)
        else:
            groups.append((day, day, text))
    names = [name.capitalize() for name in WEEKDAYS]
    return ", ".join(
        f"{names[a]}{'' if a == b else '-' + names[b]} {text}" for a, b, text in groups
    )


def _opens_words(opens: datetime, wall: datetime) -> str:
    """'today at 11:00 AM', 'tomorrow at 11:00 AM', 'Saturday at 11:00 AM', 'next Friday ...'."""
    days = (opens.date() - wall.date()).days
    if opens.hour == 0 and opens.minute == 0:
        if days == 1:
            return "tonight at midnight"
        return f"at midnight on {DAY_NAMES[(opens.weekday() - 1) % 7]} night"
    at = f"at {clock_text(opens)}"
    if days <= 0:
        return f"today {at}"
    if days == 1:
        return f"tomorrow {at}"
    name = DAY_NAMES[opens.weekday()]
    return f"{name} {at}" if days < 7 else f"next {name} {at}"


def _closes_words(closes: datetime, wall: datetime) -> tuple[str, bool]:
    """('10:00 PM tonight', False) for a close within a day; ('Sunday at 10:00 PM', True)."""
    days = (closes.date() - wall.date()).days
    clock = clock_text(closes)
    if closes.replace(tzinfo=None) - wall <= timedelta(days=1):
        if closes.hour < 6 or (days == 0 and closes.hour >= 17):
            # Midnight and the small hours are still "tonight" to a customer.
            return f"{clock} tonight", False
        return (f"{clock} today" if days == 0 else f"{clock} tomorrow"), False
    return f"{DAY_NAMES[closes.weekday()]} at {clock}", True


def _closed_words(info: RestaurantInfo, now: datetime) -> str:
    """'closed right now; we open again Saturday at 11:00 AM'."""
    opens = next_opening(info, now)
    if opens is None:
        return "closed right now"
    return f"closed right now; we open again {_opens_words(opens, _wall_clock(now, info.zone))}"


def closed_message(info: RestaurantInfo, now: datetime) -> str:
    """Why an order is refused: 'We're closed right now; we open again Saturday at 11:00 AM.'"""
    return f"We're {_closed_words(info, now)}."


# --- delivery and preparation -----------------------------------------------------------------


def normalise_postcode(text: str) -> str:
    """How postcodes are compared: spaces and dashes dropped, upper case, and a US ZIP+4 cut
    to its five digits (' 10001-1234 ' -> '10001', 'sw1a 1aa' -> 'SW1A1AA')."""
    code = re.sub(r"[\s\-]+", "", text).upper()
    return code[:5] if re.fullmatch(r"\d{9}", code) else code


def delivers_to(info: RestaurantInfo, postcode: str) -> Coverage:
    """Whether the restaurant delivers to a postcode. With a radius (and the postcode not on
    the list) it can't tell from a postcode alone: UNKNOWN."""
    delivery = info.delivery
    if delivery is None:
        return Coverage.NO
    code = normalise_postcode(postcode)
    if code and code in {normalise_postcode(p) for p in delivery.postcodes}:
        return Coverage.YES
    if delivery.radius_km is not None or not code:
        return Coverage.UNKNOWN
    return Coverage.NO


def distance_km(info: RestaurantInfo, latitude: float, longitude: float) -> float | None:
    """The great-circle distance from the restaurant; None if its location isn't given."""
    if info.latitude is None or info.longitude is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (info.latitude, info.longitude, latitude, longitude))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def delivers_to_point(info: RestaurantInfo, latitude: float, longitude: float) -> Coverage:
    """Whether the restaurant delivers to a place (e.g. a geocoded address): YES inside the
    radius; outside it, NO unless listed postcodes might still cover it (UNKNOWN)."""
    delivery = info.delivery
    if delivery is None:
        return Coverage.NO
    distance = distance_km(info, latitude, longitude)
    if delivery.radius_km is not None and distance is not None and distance <= delivery.radius_km:
        return Coverage.YES
    return Coverage.UNKNOWN if delivery.postcodes else Coverage.NO


def preparation_minutes(info: RestaurantInfo, order_type: OrderType) -> int:
    """How long an order takes: delivery minutes for a delivery, pickup minutes otherwise
    (a dine-in order is cooked like a pickup one)."""
    if order_type is OrderType.DELIVERY and info.delivery_minutes is not None:
        return info.delivery_minutes
    return info.pickup_minutes


def always_open(menu: Menu) -> Menu:
    """The menu with its restaurant open all day, every day (for tests, demos and load runs
    that must not depend on the hour); a menu without an info block comes back unchanged."""
    info = menu.restaurant.info
    if info is None:
        return menu
    hours = OpeningHours(**dict.fromkeys(WEEKDAYS, (ALL_DAY,)))
    restaurant = menu.restaurant.model_copy(
        update={"info": info.model_copy(update={"hours": hours})}
    )
    return menu.model_copy(update={"restaurant": restaurant})


# --- answers ------------------------------------------------------------------------------------


def answer_open(restaurant: Restaurant, now: datetime) -> str:
    """'Are you open?'"""
    info = restaurant.info
    if info is None:
        return "I don't have our opening hours to hand, sorry."
    state = open_state(info, now)
    if not state.open:
        return f"Sorry, we're {_closed_words(info, now)}."
    if state.closes_at is None:
        return "Yes, we're open around the clock."
    words, _ = _closes_words(state.closes_at, _wall_clock(now, info.zone))
    return f"Yes, we're open until {words}."


def answer_closing(restaurant: Restaurant, now: datetime) -> str:
    """'When do you close?'"""
    info = restaurant.info
    if info is None:
        return "I don't have our opening hours to hand, sorry."
    state = open_state(info, now)
    if not state.open:
        return closed_message(info, now)
    if state.closes_at is None:
        return "We don't close: we're open around the clock."
    words, on_a_day = _closes_words(state.closes_at, _wall_clock(now, info.zone))
    return f"We close {'on' if on_a_day else 'at'} {words}."


def answer_hours(restaurant: Restaurant, now: datetime) -> str:
    """'What are your hours?': the week, then whether we're open right now."""
    info = restaurant.info
    if info is None:
        return "I don't have our opening hours to hand, sorry."
    state = open_state(info, now)
    if not state.open:
        status = f" We're {_closed_words(info, now)}."
    elif state.closes_at is not None:
        words, _ = _closes_words(state.closes_at, _wall_clock(now, info.zone))
        status = f" We're open now, until {words}."
    else:
        status = ""
    return f"Our hours: {hours_text(info)}.{status}"


def _area_text(info: RestaurantInfo, most: int = 6) -> str:
    delivery = info.delivery
    assert delivery is not None
    parts = []
    if delivery.radius_km is not None:
        parts.append(f"within {delivery.radius_km:g} km of us")
    codes = list(delivery.postcodes)
    if codes:
        shown = codes[:most]
        if len(codes) > most:
            shown = codes[: most - 1]
            listed = ", ".join(shown) + f" and {len(codes) - len(shown)} more postcodes"
        else:
            listed = ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]
        parts.append(f"to {listed}")
    return " and ".join(parts)


def _terms_text(restaurant: Restaurant, info: RestaurantInfo) -> str:
    """'Delivery is $3.99 on orders of $15.00 or more, and takes about 40 minutes.'"""
    delivery = info.delivery
    assert delivery is not None
    fee = (
        "Delivery is free"
        if delivery.fee == 0
        else f"Delivery is {price(delivery.fee, restaurant.currency)}"
    )
    if delivery.minimum > Decimal("0"):
        fee += f" on orders of {price(delivery.minimum, restaurant.currency)} or more,"
    minutes = preparation_minutes(info, OrderType.DELIVERY)
    return f"{fee} and takes about {minutes} minutes."


def _no_delivery(info: RestaurantInfo) -> str:
    return (
        "Sorry, we don't deliver, but pickup orders are ready in about "
        f"{info.pickup_minutes} minutes at {info.address}."
    )


def answer_delivery(restaurant: Restaurant) -> str:
    """'Do you deliver?': the area, the fee and minimum, the time."""
    info = restaurant.info
    if info is None:
        return "I don't have our delivery details to hand, sorry."
    if info.delivery is None:
        return _no_delivery(info)
    return f"Yes, we deliver {_area_text(info)}. {_terms_text(restaurant, info)}"


def answer_delivery_to(restaurant: Restaurant, postcode: str) -> str:
    """'Do you deliver to 10001?'"""
    info = restaurant.info
    if info is None:
        return "I don't have our delivery area to hand, sorry."
    delivery = info.delivery
    if delivery is None:
        return _no_delivery(info)
    code = normalise_postcode(postcode)
    coverage = delivers_to(info, postcode)
    if coverage is Coverage.YES:
        return f"Yes, we deliver to {code}! {_terms_text(restaurant, info)}"
    if coverage is Coverage.NO:
        return (
            f"Sorry, {code} is outside our delivery area, but you're welcome to pick up "
            f"your order at {info.address}."
        )
    if not code:
        return "Which postcode should I check?"
    radius = f"we deliver within {delivery.radius_km:g} km of {info.address}"
    if delivery.postcodes:
        return (
            f"{code} isn't one of our delivery postcodes, but {radius}, so I can't tell "
            "from the postcode alone."
        )
    return f"{radius[0].upper()}{radius[1:]}, so I can't tell from the postcode alone."


def answer_wait(restaurant: Restaurant, order_type: OrderType, now: datetime) -> str:
    """'How long for pickup?' / 'How long does delivery take?'"""
    info = restaurant.info
    if info is None:
        return "It depends on the kitchen; I'll give you a ready time when you place the order."
    if order_type is OrderType.DELIVERY and info.delivery is None:
        return _no_delivery(info)
    minutes = preparation_minutes(info, order_type)
    lead = {
        OrderType.PICKUP: f"Pickup orders are ready in about {minutes} minutes",
        OrderType.DELIVERY: f"Delivery takes about {minutes} minutes",
        OrderType.DINE_IN: f"Dine-in orders are ready in about {minutes} minutes",
    }[order_type]
    state = open_state(info, now)
    if state.open or state.opens_at is None:
        return f"{lead}."
    when = _opens_words(state.opens_at, _wall_clock(now, info.zone))
    return f"{lead}, once we open again {when}."


def answer_location(restaurant: Restaurant) -> str:
    """'Where are you?'"""
    info = restaurant.info
    if info is None:
        return "I don't have our address to hand, sorry."
    return f"We're at {info.address}. You can call us at {info.phone}."


def answer_phone(restaurant: Restaurant) -> str:
    """'What's your phone number?'"""
    info = restaurant.info
    if info is None:
        return "I don't have our phone number to hand, sorry."
    return f"You can call us at {info.phone}."


__all__ = [
    "ALL_DAY",
    "DAY_NAMES",
    "Coverage",
    "OpenState",
    "always_open",
    "answer_closing",
    "answer_delivery",
    "answer_delivery_to",
    "answer_hours",
    "answer_location",
    "answer_open",
    "answer_phone",
    "answer_wait",
    "clock_text",
    "closed_message",
    "closes_at",
    "delivers_to",
    "delivers_to_point",
    "distance_km",
    "hours_text",
    "is_open",
    "local_time",
    "next_opening",
    "normalise_postcode",
    "open_state",
    "preparation_minutes",
]
