"""Fixtures for the fault and abuse tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from redis import Redis


@pytest.fixture(autouse=True)
def fresh_address_budget(redis_url: str) -> Iterator[None]:
    """Forget the per-address code-send counts: every test here sends from 127.0.0.1, as do
    the socket tests before it in a full run, and none of these tests is about that limit."""
    client = Redis.from_url(redis_url)
    for key in client.scan_iter(match="otp:rate:addr:*"):
        client.delete(key)
    yield
    client.close()
