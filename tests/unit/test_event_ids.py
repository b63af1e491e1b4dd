"""Which Last-Event-ID values a client may send: Redis stream ids, two unsigned 64-bit numbers."""

from __future__ import annotations

import pytest

from restaurant.chat.events import valid_id


@pytest.mark.parametrize(
    "event_id", ["0", "0-1", "1764093600000-0", f"{2**64 - 1}-{2**64 - 1}", str(2**64 - 1)]
)
def test_stream_ids_are_taken(event_id: str) -> None:
    assert valid_id(event_id)


@pytest.mark.parametrize(
    "event_id",
    [None, "", "nope", "-1", "1-", "1-2-3", "１２", "²", f"{2**64}", f"1-{2**64}", "9" * 30, " 1"],
)
def test_anything_else_is_refused(event_id: str | None) -> None:
    assert not valid_id(event_id)
