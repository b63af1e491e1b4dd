"""Schemathesis over the app's OpenAPI schema, against the app on a real socket: no 5xx.

Every operation gets a bounded number of generated requests, sent with a signed-in session's
bearer token; half of the `session_id` and order `number` path parameters are replaced with ones
that session owns, so the authenticated routes are exercised past their 404s.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from restaurant.settings import Settings
from tests.integration.auth_support import new_phone
from tests.integration.chat_support import LiveServer, code_for, outbox_lines


@pytest.fixture(scope="module")
def fuzz_live(app_settings: Settings) -> Iterator[LiveServer]:
    """The app on a real socket, for this module alone."""
    with LiveServer(app_settings) as server:
        yield server


@pytest.fixture(scope="module")
def owner(fuzz_live: LiveServer) -> dict[str, str]:
    """A signed-in session with a cart and a placed order: its token, session id and number."""
    with httpx.Client(base_url=fuzz_live.url, timeout=30) as client:
        created = client.post("/api/v1/sessions").json()
        headers = {"Authorization": f"Bearer {created['token']}"}
        phone = new_phone()
        after = outbox_lines(fuzz_live.settings)
        assert client.post("/api/v1/auth/otp", json={"phone": phone}, headers=headers).is_success
        code = code_for(fuzz_live.settings, phone[-4:], after=after)
        verified = client.post(
            "/api/v1/auth/verify", json={"phone": phone, "code": code}, headers=headers
        )
        assert verified.status_code == 200, verified.text
        token = verified.json()["token"]  # the sign-in's new token: the first one is void
        headers = {"Authorization": f"Bearer {token}"}
        client.cookies.clear()
        sid = created["session_id"]
        turn = client.post(
            f"/api/v1/chat/{sid}/stream", json={"message": "a coke"}, headers=headers
        )
        assert turn.status_code == 200
        placed = client.post(
            "/api/v1/orders",
            json={"session_id": sid, "order_type": "pickup"},
            headers={**headers, "Idempotency-Key": "fuzz-order"},
        )
        assert placed.status_code == 201, placed.text
        client.post(f"/api/v1/chat/{sid}/stream", json={"message": "a sprite"}, headers=headers)
        return {
            "base": fuzz_live.url,
            "token": token,
            "session_id": sid,
            "number": placed.json()["number"],
        }


@pytest.fixture(scope="module")
def api_schema(fuzz_live: LiveServer) -> Any:
    """The schema the running app publishes."""
    return schemathesis.openapi.from_url(f"{fuzz_live.url}/api/docs/openapi.json")


def _fuzz(
    operation: Any, owner: dict[str, str], failures: list[str], statuses: dict[str, set[int]]
) -> None:
    """Send bounded generated requests to one operation; note each check that fails."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        for name in ("session_id", "number"):
            value = (case.path_parameters or {}).get(name)
            if value is not None and len(str(value)) % 2 == 0:
                case.path_parameters[name] = owner[name]
        token = owner["token"]
        if operation.label == "POST /api/v1/auth/logout":
            # Signing the owner out would leave every later operation at 401.
            token = httpx.post(f"{owner['base']}/api/v1/sessions").json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        response = case.call(headers=headers, timeout=20)
        statuses.setdefault(operation.label, set()).add(response.status_code)
        if response.status_code >= 500:
            failures.append(
                f"{operation.label} {case.path_parameters} {case.query} {case.body!r:.300}"
                f" -> {response.status_code} {response.text[:300]}"
            )

    run()


EXAMPLES = 25


def test_openapi_fuzz_finds_no_server_error(api_schema: Any, owner: dict[str, str]) -> None:
    """Generated requests to every operation, with a signed-in token, never get a 5xx."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    failures: list[str] = []
    statuses: dict[str, set[int]] = {}
    for operation in operations:
        _fuzz(operation, owner, failures, statuses)
    assert not failures, "\n".join(sorted(set(failures))[:40])
    assert set(statuses) == {operation.label for operation in operations}
    # The token and the owned ids took the requests past authentication and ownership.
    for label in ("GET /api/v1/orders", "GET /api/v1/chat/{session_id}/cart", "GET /api/v1/me"):
        assert any(200 <= code < 300 for code in statuses[label]), (label, statuses[label])
