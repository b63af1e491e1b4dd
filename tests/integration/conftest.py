"""Fixtures for the integration tests: the app and its resources on the session's real servers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from restaurant.app import create_app
from restaurant.lifespan import Resources, open_resources
from restaurant.settings import Settings
from tests.fakes.pool import close_built


@pytest.fixture(autouse=True)
async def close_pooled_models() -> AsyncIterator[None]:
    """The pooled models a test built, closed on its own event loop."""
    yield
    await close_built()


@pytest.fixture(scope="module")
async def client(app_settings: Settings) -> AsyncIterator[AsyncTestClient[Any]]:
    """The app through Litestar's test client, one per test module."""
    async with AsyncTestClient(app=create_app(app_settings)) as client:
        yield client


@pytest.fixture(scope="module")
async def resources(app_settings: Settings) -> AsyncIterator[Resources]:
    """The app's clients and services, opened on the tests' own event loop."""
    async with open_resources(app_settings) as resources:
        yield resources
