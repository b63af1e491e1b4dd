"""Where one-time codes go: a file outbox (development, tests) or an SMS provider over HTTP."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import httpx

from restaurant.settings import Settings


class SendError(RuntimeError):
    """The code could not be delivered; the message says what the provider answered."""


class CodeSender(Protocol):
    """Delivers a sign-in code to a phone."""

    async def send(self, phone: str, code: str, text: str) -> None:
        """Deliver `text` (which contains `code`) to `phone`; raise `SendError` on failure."""
        ...


class FileOutbox:
    """Appends each message as one JSON line {"to", "code", "text", "sent_at"} to a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = asyncio.Lock()  # one writer at a time: lines never interleave

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as outbox:
            outbox.write(line + "\n")

    async def send(self, phone: str, code: str, text: str) -> None:
        """Append the message to the outbox file."""
        line = json.dumps(
            {"to": phone, "code": code, "text": text, "sent_at": datetime.now(UTC).isoformat()}
        )
        async with self._lock:
            try:
                await asyncio.to_thread(self._append, line)
            except OSError as exc:
                raise SendError(f"could not write the outbox {self.path}: {exc}") from exc


class HttpSender:
    """Posts {"to", "text"} as JSON to an SMS gateway's webhook with a bearer token; any 2xx is
    delivered (the contract: docs/sms.md)."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,  # tests pass a MockTransport
    ) -> None:
        self.url = url
        self._token = token
        self._timeout = timeout
        self._transport = transport

    async def send(self, phone: str, code: str, text: str) -> None:
        """Send the message; any transport error or non-2xx answer is a `SendError`."""
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else {}
        try:
            async with httpx.AsyncClient(
                timeout=self._timeout, transport=self._transport
            ) as client:
                response = await client.post(
                    self.url, json={"to": phone, "text": text}, headers=headers
                )
        except httpx.HTTPError as exc:
            raise SendError(f"SMS provider unreachable: {type(exc).__name__}: {exc}") from exc
        # Not only 4xx/5xx: a redirect is not followed (the token would go along), so it is no
        # delivery either.
        if not response.is_success:
            raise SendError(f"SMS provider answered {response.status_code}: {response.text[:200]}")


def sender_from(settings: Settings) -> CodeSender:
    """The sender the settings choose."""
    auth = settings.auth
    if auth.sms_sender == "http":
        if not auth.sms_url:
            raise ValueError("AUTH__SMS_URL must be set when AUTH__SMS_SENDER=http")
        token = auth.sms_token.get_secret_value() if auth.sms_token else None
        return HttpSender(auth.sms_url, token)
    return FileOutbox(settings.outbox_path)


__all__ = ["CodeSender", "FileOutbox", "HttpSender", "SendError", "sender_from"]
