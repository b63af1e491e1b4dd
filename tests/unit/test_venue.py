"""The restaurant's hours, delivery area and answers (graph/venue.py): pure, clocks pinned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from graph.intents import OrderType
from graph.menu import Restaurant, RestaurantInfo, load_menu
from graph.venue import (
    Coverage,
    always_open,
    answer_closing,
    answer_delivery,
    answer_delivery_to,
    answer_hours,
    answer_location,
    answer_open,
    answer_phone,
    answer_wait,
    clock_text,
    closed_message,
    closes_at,
    delivers_to,
    delivers_to_point,
    distance_km,
    hours_text,
    is_open,
    local_time,
    next_opening,
    normalise_postcode,
    open_state,
    preparation_minutes,
)

DEMO = load_menu(Path(__file__).resolve().parents[2] / "seeds" / "demo.json")
NEW_YORK = ZoneInfo("America/New_York")


def _info(**changes: Any) -> RestaurantInfo:
    """A restaurant in New York: Mon-Thu 11-22, Fri 17:00-01:00, Sat 11:00-24:00, Sun closed."""
    data: dict[str, Any] = {
        "address": "1 Main St",
        "phone": "(212) 555-0100",
        "timezone": "America/New_York",
        "latitude": 40.7205,
        "longitude": -73.9968,
        "hours": {
            **{d: [{"open": "11:00", "close": "22:00"}] for d in ("mon", "tue", "wed", "thu")},
            "fri": [{"open": "17:00", "close": "01:00"}],
            "sat": [{"open": "11:00", "close": "24:00"}],
        },
        "pickup_minutes": 15,
        "delivery_minutes": 45,
        "delivery": {
            "postcodes": ["10001", "10002"],
            "fee": "2.50",
            "minimum": "12.00",
        },
    }
    data.update(changes)
    return RestaurantInfo.model_validate(data)


def _ny(*args: int) -> datetime:
    """A New York wall-clock time, as an aware datetime."""
    return datetime(*args, tzinfo=NEW_YORK)  # type: ignore[misc]


def _restaurant(info: RestaurantInfo | None) -> Restaurant:
    return Restaurant(key="demo", name="Bella Forno", info=info)


# --- open, closes, next opening ---------------------------------------------------------------


def test_venue_open_on_a_weekday_until_its_close() -> None:
    info = _info()
    assert is_open(info, _ny(2026, 5, 4, 11, 0))  # Monday, opening minute
    assert is_open(info, _ny(2026, 5, 4, 21, 59))
    assert not is_open(info, _ny(2026, 5, 4, 22, 0))  # the close is exclusive
    assert not is_open(info, _ny(2026, 5, 4, 10, 59))
    assert closes_at(info, _ny(2026, 5, 4, 13, 0)) == _ny(2026, 5, 4, 22, 0)
    assert closes_at(info, _ny(2026, 5, 4, 23, 0)) is None  # closed


def test_venue_after_midnight_close_belongs_to_the_day_before() -> None:
    info = _info()
    friday_night = _ny(2026, 5, 8, 23, 30)
    assert is_open(info, friday_night)
    assert closes_at(info, friday_night) == _ny(2026, 5, 9, 1, 0)
    saturday_small_hours = _ny(2026, 5, 9, 0, 30)  # Friday's interval, on Saturday's date
    assert is_open(info, saturday_small_hours)
    assert closes_at(info, saturday_small_hours) == _ny(2026, 5, 9, 1, 0)
    assert not is_open(info, _ny(2026, 5, 9, 1, 0))
    assert next_opening(info, _ny(2026, 5, 9, 1, 0)) == _ny(2026, 5, 9, 11, 0)


def test_venue_24_00_close_joins_an_interval_from_midnight() -> None:
    info = _info(
        hours={
            "sat": [{"open": "11:00", "close": "24:00"}],
            "sun": [{"open": "00:00", "close": "02:00"}],
        }
    )
    assert closes_at(info, _ny(2026, 5, 9, 23, 0)) == _ny(2026, 5, 10, 2, 0)
    assert is_open(info, _ny(2026, 5, 10, 0, 0))


def test_venue_closed_day_and_the_next_opening() -> None:
    info = _info()
    sunday = _ny(2026, 5, 10, 14, 0)  # no Sunday hours: closed all day
    state = open_state(info, sunday)
    assert not state.open and state.closes_at is None
    assert state.opens_at == _ny(2026, 5, 11, 11, 0)  # Monday
    # Saturday after its 24:00 close is Sunday: the next opening is Monday's.
    assert next_opening(info, _ny(2026, 5, 10, 0, 0)) == _ny(2026, 5, 11, 11, 0)


def test_venue_next_opening_while_open_is_the_one_after() -> None:
    info = _info()
    assert next_opening(info, _ny(2026, 5, 4, 12, 0)) == _ny(2026, 5, 5, 11, 0)


def test_venue_next_opening_across_a_whole_week() -> None:
    info = _info(hours={"sat": [{"open": "11:00", "close": "15:00"}]})
    assert next_opening(info, _ny(2026, 5, 9, 16, 0)) == _ny(2026, 5, 16, 11, 0)
    assert closed_message(info, _ny(2026, 5, 9, 16, 0)) == (
        "We're closed right now; we open again next Saturday at 11:00 AM."
    )
    assert closed_message(info, _ny(2026, 5, 6, 9, 0)) == (  # a Wednesday
        "We're closed right now; we open again Saturday at 11:00 AM."
    )
    assert closed_message(info, _ny(2026, 5, 8, 9, 0)) == (
        "We're closed right now; we open again tomorrow at 11:00 AM."
    )
    assert closed_message(info, _ny(2026, 5, 9, 9, 0)) == (
        "We're closed right now; we open again today at 11:00 AM."
    )


def test_venue_the_clock_is_converted_to_the_restaurants_zone() -> None:
    info = _info()
    # 2026-05-05 01:30 UTC is Monday 9:30 PM in New York (EDT, UTC-4): open.
    utc = datetime(2026, 5, 5, 1, 30, tzinfo=UTC)
    tokyo = utc.astimezone(ZoneInfo("Asia/Tokyo"))  # Tuesday 10:30 AM in Tokyo
    assert is_open(info, utc) and is_open(info, tokyo)
    assert closes_at(info, tokyo) == _ny(2026, 5, 4, 22, 0)
    assert closes_at(info, tokyo) == datetime(2026, 5, 5, 2, 0, tzinfo=UTC)
    closing = closes_at(info, utc)
    assert closing is not None and closing.tzinfo == NEW_YORK
    assert local_time(info, utc) == _ny(2026, 5, 4, 21, 30)
    with pytest.raises(ValueError, match="aware"):
        is_open(info, datetime(2026, 5, 4, 12, 0))


def test_venue_daylight_saving_start_shortens_the_night() -> None:
    # Clocks go from 2:00 EST to 3:00 EDT in the night of Saturday 7 to Sunday 8 March 2026.
    info = _info(hours={"sat": [{"open": "17:00", "close": "03:00"}]})
    now = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)  # 1:30 AM EST
    closing = closes_at(info, now)
    assert closing == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 3:00 AM EDT
    assert closing is not None and closing - now == timedelta(minutes=30)
    assert clock_text(closing) == "3:00 AM"
    # Saturday's opening a week on is at 17:00 EDT, an hour earlier in UTC than it was.
    assert next_opening(info, now) == datetime(2026, 3, 14, 21, 0, tzinfo=UTC)
    assert not is_open(info, datetime(2026, 3, 8, 7, 0, tzinfo=UTC))


def test_venue_daylight_saving_end_lengthens_the_night() -> None:
    # Clocks go from 2:00 EDT back to 1:00 EST in the night of Saturday 31 October 2026.
    info = _info(hours={"sat": [{"open": "17:00", "close": "03:00"}]})
    first_one_thirty = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 1:30 AM EDT
    second_one_thirty = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 1:30 AM EST
    for now in (first_one_thirty, second_one_thirty):
        assert is_open(info, now)
        assert closes_at(info, now) == datetime(2026, 11, 1, 8, 0, tzinfo=UTC)  # 3:00 AM EST
    assert not is_open(info, datetime(2026, 11, 1, 8, 0, tzinfo=UTC))


def test_venue_open_around_the_clock() -> None:
    menu = always_open(DEMO)
    info = menu.restaurant.info
    assert info is not None
    now = _ny(2026, 5, 5, 4, 0)
    assert open_state(info, now).open
    assert closes_at(info, now) is None and next_opening(info, now) is None
    assert hours_text(info) == "Open 24 hours, every day"
    assert answer_open(menu.restaurant, now) == "Yes, we're open around the clock."
    assert answer_closing(menu.restaurant, now) == "We don't close: we're open around the clock."
    # Everything but the hours is the demo's.
    demo = DEMO.restaurant.info
    assert demo is not None and info.model_copy(update={"hours": demo.hours}) == demo


# --- hours for people -----------------------------------------------------------------------


def test_venue_hours_text_groups_days() -> None:
    assert DEMO.restaurant.info is not None
    assert hours_text(DEMO.restaurant.info) == (
        "Mon-Thu 11:00 AM-10:00 PM, Fri-Sat 11:00 AM-1:00 AM, Sun noon-9:00 PM"
    )
    assert hours_text(_info()) == (
        "Mon-Thu 11:00 AM-10:00 PM, Fri 5:00 PM-1:00 AM, Sat 11:00 AM-midnight, Sun closed"
    )
    split = _info(
        hours={
            day: [{"open": "17:00", "close": "22:30"}, {"open": "11:30", "close": "14:00"}]
            for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        }
    )
    assert hours_text(split) == "Every day 11:30 AM-2:00 PM and 5:00 PM-10:30 PM"
    assert clock_text(0) == "midnight" and clock_text(1440) == "midnight"
    assert clock_text(720) == "noon" and clock_text(30) == "12:30 AM"


# --- delivery -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("10001", "10001"),
        (" 10001 ", "10001"),
        ("10001-1234", "10001"),
        ("100011234", "10001"),
        ("sw1a 1aa", "SW1A1AA"),
        ("", ""),
    ],
)
def test_venue_postcodes_are_normalised(said: str, code: str) -> None:
    assert normalise_postcode(said) == code


def test_venue_delivers_to_postcodes_yes_no_or_unknown() -> None:
    listed = _info()
    assert delivers_to(listed, "10001") is Coverage.YES
    assert delivers_to(listed, " 10002-4321 ") is Coverage.YES
    assert delivers_to(listed, "10030") is Coverage.NO
    assert delivers_to(listed, "  ") is Coverage.UNKNOWN
    with_radius = _info(delivery={"postcodes": ["10001"], "radius_km": 3, "fee": "0"})
    assert delivers_to(with_radius, "10001") is Coverage.YES
    assert delivers_to(with_radius, "10030") is Coverage.UNKNOWN  # might be within 3 km
    radius_only = _info(delivery={"radius_km": 3, "fee": "0"})
    assert delivers_to(radius_only, "10001") is Coverage.UNKNOWN
    assert delivers_to(_info(delivery=None, delivery_minutes=None), "10001") is Coverage.NO


def test_venue_delivers_to_a_point_within_the_radius() -> None:
    info = _info(delivery={"radius_km": 3, "fee": "0"})
    distance = distance_km(info, 40.7484, -73.9857)  # the Empire State Building, ~3.2 km
    assert distance is not None and 3.0 < distance < 3.4
    assert delivers_to_point(info, 40.7484, -73.9857) is Coverage.NO
    assert delivers_to_point(info, 40.7170, -74.0000) is Coverage.YES
    with_codes = _info(delivery={"postcodes": ["10001"], "radius_km": 3, "fee": "0"})
    assert delivers_to_point(with_codes, 40.7484, -73.9857) is Coverage.UNKNOWN


def test_venue_preparation_minutes() -> None:
    info = _info()
    assert preparation_minutes(info, OrderType.PICKUP) == 15
    assert preparation_minutes(info, OrderType.DELIVERY) == 45
    assert preparation_minutes(info, OrderType.DINE_IN) == 15  # cooked like a pickup


# --- answers ----------------------------------------------------------------------------------


def test_venue_answers_are_you_open_and_when_do_you_close() -> None:
    demo = DEMO.restaurant
    weekday_lunch = _ny(2026, 5, 5, 12, 0)  # Tuesday
    assert answer_open(demo, weekday_lunch) == "Yes, we're open until 10:00 PM tonight."
    assert answer_closing(demo, weekday_lunch) == "We close at 10:00 PM tonight."
    friday = _ny(2026, 5, 8, 23, 0)
    assert answer_open(demo, friday) == "Yes, we're open until 1:00 AM tonight."
    after_midnight = _ny(2026, 5, 9, 0, 30)
    assert answer_closing(demo, after_midnight) == "We close at 1:00 AM tonight."
    small_hours = _ny(2026, 5, 9, 2, 0)  # Saturday 2:00 AM
    assert answer_open(demo, small_hours) == (
        "Sorry, we're closed right now; we open again today at 11:00 AM."
    )
    sunday_night = _ny(2026, 5, 10, 21, 30)
    assert answer_closing(demo, sunday_night) == (
        "We're closed right now; we open again tomorrow at 11:00 AM."
    )
    lunch_only = _restaurant(_info(hours={"mon": [{"open": "11:00", "close": "15:00"}]}))
    assert answer_closing(lunch_only, _ny(2026, 5, 4, 12, 0)) == "We close at 3:00 PM today."
    long_weekend = _restaurant(
        _info(
            hours={
                "fri": [{"open": "11:00", "close": "24:00"}],
                "sat": [{"open": "00:00", "close": "24:00"}],
                "sun": [{"open": "00:00", "close": "22:00"}],
            }
        )
    )
    assert answer_closing(long_weekend, _ny(2026, 5, 8, 12, 0)) == (
        "We close on Sunday at 10:00 PM."
    )
    assert answer_open(long_weekend, _ny(2026, 5, 8, 12, 0)) == (
        "Yes, we're open until Sunday at 10:00 PM."
    )


def test_venue_answers_hours() -> None:
    demo = DEMO.restaurant
    assert answer_hours(demo, _ny(2026, 5, 5, 12, 0)) == (
        "Our hours: Mon-Thu 11:00 AM-10:00 PM, Fri-Sat 11:00 AM-1:00 AM, Sun noon-9:00 PM. "
        "We're open now, until 10:00 PM tonight."
    )
    assert answer_hours(demo, _ny(2026, 5, 5, 8, 0)).endswith(
        "We're closed right now; we open again today at 11:00 AM."
    )


def test_venue_answers_delivery() -> None:
    demo = DEMO.restaurant
    assert answer_delivery(demo) == (
        "Yes, we deliver within 3 km of us and to 10002, 10003, 10007, 10012, 10013 and 10014. "
        "Delivery is $3.99 on orders of $15.00 or more, and takes about 40 minutes."
    )
    assert answer_delivery_to(demo, "10012-1234") == (
        "Yes, we deliver to 10012! "
        "Delivery is $3.99 on orders of $15.00 or more, and takes about 40 minutes."
    )
    assert answer_delivery_to(demo, "10030") == (
        "10030 isn't one of our delivery postcodes, but we deliver within 3 km of "
        "182 Mulberry Street, New York, NY 10012, so I can't tell from the postcode alone."
    )
    listed = _restaurant(_info())
    assert answer_delivery_to(listed, "10030") == (
        "Sorry, 10030 is outside our delivery area, but you're welcome to pick up your order "
        "at 1 Main St."
    )
    assert answer_delivery_to(listed, " ") == "Which postcode should I check?"
    free = _restaurant(_info(delivery={"radius_km": 2.5, "fee": "0.00"}))
    assert answer_delivery(free) == (
        "Yes, we deliver within 2.5 km of us. Delivery is free and takes about 45 minutes."
    )
    assert answer_delivery_to(free, "10001") == (
        "We deliver within 2.5 km of 1 Main St, so I can't tell from the postcode alone."
    )
    pickup_only = _restaurant(_info(delivery=None, delivery_minutes=None))
    no = "Sorry, we don't deliver, but pickup orders are ready in about 15 minutes at 1 Main St."
    assert answer_delivery(pickup_only) == no
    assert answer_delivery_to(pickup_only, "10001") == no
    many = _restaurant(
        _info(delivery={"postcodes": [str(10001 + i) for i in range(9)], "fee": "1"})
    )
    assert "to 10001, 10002, 10003, 10004, 10005 and 4 more postcodes." in answer_delivery(many)


def test_venue_answers_wait_location_and_phone() -> None:
    demo = DEMO.restaurant
    open_now = _ny(2026, 5, 5, 12, 0)
    assert answer_wait(demo, OrderType.PICKUP, open_now) == (
        "Pickup orders are ready in about 20 minutes."
    )
    assert answer_wait(demo, OrderType.DELIVERY, open_now) == "Delivery takes about 40 minutes."
    assert answer_wait(demo, OrderType.PICKUP, _ny(2026, 5, 5, 23, 0)) == (
        "Pickup orders are ready in about 20 minutes, once we open again tomorrow at 11:00 AM."
    )
    assert answer_location(demo) == (
        "We're at 182 Mulberry Street, New York, NY 10012. You can call us at (212) 555-0142."
    )
    assert answer_phone(demo) == "You can call us at (212) 555-0142."


def test_venue_answers_without_an_info_block() -> None:
    bare = _restaurant(None)
    now = _ny(2026, 5, 5, 12, 0)
    for answer in (
        answer_open(bare, now),
        answer_closing(bare, now),
        answer_hours(bare, now),
        answer_delivery(bare),
        answer_delivery_to(bare, "10001"),
        answer_location(bare),
        answer_phone(bare),
    ):
        assert answer.endswith("to hand, sorry.")
    assert "ready time" in answer_wait(bare, OrderType.PICKUP, now)
