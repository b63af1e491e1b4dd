"""The analytics' range of days on the restaurant's clock: its UTC bounds, in minutes too, and
the local day of a minute."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from restaurant.services.analytics import MAX_DAYS, RangeError, Window
from restaurant.services.transcripts import minute_of, quarter_of

NEW_YORK = ZoneInfo("America/New_York")


def test_analytics_window_bounds_follow_daylight_saving() -> None:
    # November 1, 2026 is the day New York goes back to standard time: 25 hours long.
    window = Window.of(date(2026, 11, 1), date(2026, 11, 1), NEW_YORK)
    assert window.start == datetime(2026, 11, 1, 4, tzinfo=UTC)  # midnight EDT
    assert window.end == datetime(2026, 11, 2, 5, tzinfo=UTC)  # midnight EST
    assert window.end - window.start == timedelta(hours=25)
    assert window.days == (date(2026, 11, 1),)


def test_analytics_window_minutes_back_to_local_days() -> None:
    window = Window.of(date(2026, 12, 1), date(2026, 12, 2), NEW_YORK)
    late = minute_of(datetime(2026, 12, 2, 4, 45, tzinfo=UTC))  # 23:45 in New York
    assert window.minute_day(late) == date(2026, 12, 1)
    assert window.minute_day(late + 15) == date(2026, 12, 2)


def test_analytics_window_quarters_in_a_zone_off_the_hour() -> None:
    window = Window.of(date(2026, 12, 1), date(2026, 12, 1), ZoneInfo("Asia/Kolkata"))
    quarter = quarter_of(datetime(2026, 11, 30, 18, 29, tzinfo=UTC))  # 23:59 in Kolkata
    assert window.minute_day(quarter) == date(2026, 11, 30)
    assert window.minute_day(quarter + 15) == date(2026, 12, 1)  # 18:30 UTC, midnight there
    assert minute_of(window.start) == quarter + 15


def test_analytics_window_minutes_bound_the_range() -> None:
    window = Window.of(date(2026, 12, 1), date(2026, 12, 1), NEW_YORK)
    assert window.minutes(kind="ordered") == {
        "minute": {"$gte": minute_of(window.start), "$lt": minute_of(window.end)},
        "kind": "ordered",
    }
    assert minute_of(window.end) - minute_of(window.start) == 24 * 60


def test_analytics_window_refuses_reversed_and_too_long_ranges() -> None:
    with pytest.raises(RangeError, match="before it starts"):
        Window.of(date(2026, 12, 2), date(2026, 12, 1), NEW_YORK)
    first = date(2026, 1, 1)
    Window.of(first, first + timedelta(days=MAX_DAYS - 1), NEW_YORK)
    with pytest.raises(RangeError, match="at most"):
        Window.of(first, first + timedelta(days=MAX_DAYS), NEW_YORK)
