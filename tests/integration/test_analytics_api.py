"""`GET /api/v1/staff/analytics`: managers only, the range on the restaurant's clock, and the
figures of what the transcripts' writer wrote (the figures themselves: test_analytics.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from litestar.testing import AsyncTestClient

from restaurant.db.models import StaffRole
from restaurant.lifespan import Resources
from restaurant.services.staff import StaffService
from restaurant.services.transcripts import TranscriptRecord, write_transcripts
from tests.integration.auth_support import Caller, new_caller, new_phone, sign_in

ANALYTICS = "/api/v1/staff/analytics"


async def _staff(client: AsyncTestClient[Any], resources: Resources, role: StaffRole) -> Caller:
    phone = new_phone()
    await StaffService(resources.sessions).add(phone, f"A {role.value}", role)
    return await sign_in(client, await new_caller(client), phone)


@pytest.fixture(scope="module")
async def callers(client: AsyncTestClient[Any], resources: Resources) -> dict[str, Caller]:
    """A signed-in customer, a kitchen member and a manager."""
    return {
        "customer": await sign_in(client, await new_caller(client)),
        "kitchen": await _staff(client, resources, StaffRole.KITCHEN),
        "manager": await _staff(client, resources, StaffRole.MANAGER),
    }


@pytest.mark.parametrize("who", ["nobody", "customer", "kitchen"])
async def test_analytics_api_is_for_managers_only(
    client: AsyncTestClient[Any], callers: dict[str, Caller], who: str
) -> None:
    headers = callers[who].headers if who in callers else {}
    response = await client.get(ANALYTICS, headers=headers)
    if who == "kitchen":
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/problem+json")
    else:
        # Exactly what a path that does not exist answers.
        missing = await client.get("/api/v1/no-such-path", headers=headers)
        assert (response.status_code, response.json()) == (404, missing.json())


async def test_analytics_api_answers_a_manager(
    client: AsyncTestClient[Any], resources: Resources, callers: dict[str, Caller]
) -> None:
    session = f"s-api-{uuid4().hex[:8]}"
    now = datetime.now(UTC)
    placed = {
        "name": "ORDER_DATA",
        "data": {"number": f"T{uuid4().hex[:6]}", "status": "placed", "total": "12.34"},
    }
    await write_transcripts(
        [
            TranscriptRecord(
                session_id=session, turn=1, user_text="hi", intent="greet", created_at=now
            ),
            TranscriptRecord(
                session_id=session,
                turn=2,
                user_text=f"teach me {session}",
                intent="unknown",
                created_at=now + timedelta(seconds=1),
            ),
            TranscriptRecord(
                session_id=session,
                turn=3,
                user_text="yes",
                intent="affirm",
                tools=["place_order"],
                cards=[placed],
                created_at=now + timedelta(seconds=2),
            ),
        ]
    )
    manager = callers["manager"].headers
    response = await client.get(ANALYTICS, headers=manager)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["timezone"] == "America/New_York"  # the demo menu's
    assert len(body["days"]) == 7 and body["last_day"] == body["days"][-1]["day"]
    assert body["orders"]["orders"] >= 1 and body["orders"]["conversations"] >= 1
    assert body["understanding"]["texts"][0]["text"] == f"teach me {session}"
    assert "private" in response.headers["cache-control"]

    one_day = await client.get(
        ANALYTICS, params={"from": "2026-01-05", "to": "2026-01-05"}, headers=manager
    )
    assert one_day.status_code == 200
    assert [d["day"] for d in one_day.json()["days"]] == ["2026-01-05"]

    reversed_range = await client.get(
        ANALYTICS, params={"from": "2026-01-05", "to": "2026-01-01"}, headers=manager
    )
    assert reversed_range.status_code == 400
    assert "before it starts" in reversed_range.json()["detail"]
