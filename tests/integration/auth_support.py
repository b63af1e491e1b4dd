"""Helpers for the session, sign-in, cart and order tests: sessions, phones, the outbox."""

from __future__ import annotations

import itertools
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from litestar.testing import AsyncTestClient

from restaurant.lifespan import Resources

_numbers = itertools.count(int(secrets.token_hex(2), 16) % 4000 + 1000)


def new_phone() -> str:
    """A valid, unused US number in E.164 (the 212-555 block)."""
    return f"+1212555{next(_numbers) % 10000:04d}"


@dataclass
class Caller:
    """A client's session: its bearer token and first chat session."""

    token: str
    session_id: str
    user_id: UUID | None = None
    phone: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        """The bearer header of this session."""
        return {"Authorization": f"Bearer {self.token}"}


def resources_of(client: AsyncTestClient[Any]) -> Resources:
    """The app's process-wide resources."""
    resources: Resources = client.app.state.resources
    return resources


async def new_caller(client: AsyncTestClient[Any]) -> Caller:
    """A fresh session; the cookie jar is cleared so only the bearer header speaks for it."""
    response = await client.post("/api/v1/sessions")
    assert response.status_code == 201, response.text
    body = response.json()
    client.cookies.clear()
    return Caller(token=body["token"], session_id=body["session_id"])


def last_code(outbox: Path, phone: str) -> str:
    """The newest code the outbox holds for a phone."""
    codes = [
        message["code"]
        for message in map(json.loads, outbox.read_text().splitlines())
        if message["to"] == phone
    ]
    assert codes, f"no code was sent to {phone}"
    return str(codes[-1])


async def sign_in(client: AsyncTestClient[Any], caller: Caller, phone: str | None = None) -> Caller:
    """Sign the caller's session in over REST with the code read from the outbox; the caller
    takes the session's new token."""
    phone = phone or new_phone()
    sent = await client.post("/api/v1/auth/otp", json={"phone": phone}, headers=caller.headers)
    assert sent.status_code == 200, sent.text
    code = last_code(resources_of(client).settings.outbox_path, phone)
    verified = await client.post(
        "/api/v1/auth/verify", json={"phone": phone, "code": code}, headers=caller.headers
    )
    assert verified.status_code == 200, verified.text
    caller.user_id = UUID(verified.json()["user_id"])
    caller.phone = phone
    caller.token = verified.json()["token"]  # a sign-in gives the session a new token
    client.cookies.clear()  # set to the new token: only the bearer header speaks for the caller
    return caller


async def forget_address_limits(resources: Resources) -> None:
    """Every request of the test client comes from 'testclient': a fresh per-address budget."""
    async for key in resources.redis.scan_iter(match="otp:rate:addr:*"):
        await resources.redis.delete(key)


async def ask_code(client: AsyncTestClient[Any], caller: Caller, phone: str) -> Any:
    """Ask for a code over REST."""
    return await client.post("/api/v1/auth/otp", json={"phone": phone}, headers=caller.headers)


async def verify_code(client: AsyncTestClient[Any], caller: Caller, phone: str, code: str) -> Any:
    """Verify over REST; on success the caller takes the session's new token."""
    response = await client.post(
        "/api/v1/auth/verify", json={"phone": phone, "code": code}, headers=caller.headers
    )
    client.cookies.clear()  # the bearer header alone speaks for a caller
    if response.status_code == 200:
        caller.token = response.json()["token"]
    return response


def wrong_code(code: str, n: int = 1) -> str:
    """A code that is not this one."""
    return f"{(int(code) + n) % 1_000_000:06d}"
