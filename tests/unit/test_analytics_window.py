"""The analytics' range of days on the restaurant's clock: its UTC bounds and day buckets."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from restaurant.services.analytics import MAX_DAYS, RangeError, Window

NEW_YORK = ZoneInfo("America/New_York")


def test_analytics_window_bounds_follow_daylight_saving() -> None:
    # November 1, 2026 is the day New York goes back to standard time: 25 hours long.
    window = Window.of(date(2026, 11, 1), date(2026, 11, 1), NEW_YORK)
    assert window.start == datetime(2026, 11, 1, 4, tzinfo=UTC)  # midnight EDT
    assert window.end == datetime(2026, 11, 2, 5, tzinfo=UTC)  # midnight EST
    assert window.end - window.start == timedelta(hours=25)
    assert window.days == (date(2026, 11, 1),)


def test_analytics_window_buckets_back_to_local_days() -> None:
    window = Window.of(date(2026, 12, 1), date(2026, 12, 2), NEW_YORK)
    assert window.bucket() == {"$dateToString": {"format": "%Y-%m-%dT%H", "date": "$created_at"}}
    assert window.local_day("2026-12-02T04") == date(2026, 12, 1)  # 23:00 in New York
    assert window.local_day("2026-12-02T05") == date(2026, 12, 2)


def test_analytics_window_counts_by_minute_in_a_zone_off_the_hour() -> None:
    window = Window.of(date(2026, 12, 1), date(2026, 12, 1), ZoneInfo("Asia/Kolkata"))
    assert window.bucket()["$dateToString"]["format"] == "%Y-%m-%dT%H:%M"
    assert window.local_day("2026-11-30T18:29") == date(2026, 11, 30)  # 23:59 in Kolkata
    assert window.local_day("2026-11-30T18:30") == date(2026, 12, 1)


def test_analytics_window_match_puts_the_bounds_under_and() -> None:
    window = Window.of(date(2026, 12, 1), date(2026, 12, 1), NEW_YORK)
    assert window.match({"intent": "unknown"}) == {
        "$and": [
            {"created_at": {"$gte": window.start}},
            {"created_at": {"$lt": window.end}},
            {"intent": "unknown"},
        ]
    }


def test_analytics_window_refuses_reversed_and_too_long_ranges() -> None:
    with pytest.raises(RangeError, match="before it starts"):
        Window.of(date(2026, 12, 2), date(2026, 12, 1), NEW_YORK)
    first = date(2026, 1, 1)
    Window.of(first, first + timedelta(days=MAX_DAYS - 1), NEW_YORK)
    with pytest.raises(RangeError, match="at most"):
        Window.of(first, first + timedelta(days=MAX_DAYS), NEW_YORK)
