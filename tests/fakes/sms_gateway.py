"""A real HTTP server playing an SMS gateway's webhook (docs/sms.md), for tests.

`FakeSmsGateway` listens on a free 127.0.0.1 port in a thread of its own. `POST /send` with the
right bearer token and a JSON body is recorded in `messages` and answered `status` (202 unless a
test sets another); a wrong or missing token is a 401, and every request, refused or not, is kept
in `requests` with its headers.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

TOKEN = "gateway-test-token"


@dataclass
class Received:
    """One request as the gateway saw it."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeSmsGateway:
    """The gateway: where it listens, what it answers and what it was sent."""

    token: str = TOKEN
    status: int = 202
    headers: dict[str, str] = field(default_factory=dict)  # extra answer headers (Location)
    requests: list[Received] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                gateway.requests.append(Received(self.path, headers, body))
                if self.path != "/send":
                    return self._answer(404)
                if headers.get("authorization") != f"Bearer {gateway.token}":
                    return self._answer(401, {"error": "bad token"})
                if gateway.status < 300:
                    gateway.messages.append(json.loads(body))
                return self._answer(gateway.status, {"id": f"m{len(gateway.messages)}"})

            def _answer(self, status: int, payload: dict[str, str] | None = None) -> None:
                data = json.dumps(payload or {}).encode()
                self.send_response(status)
                for name, value in gateway.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the test reads `requests`

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        """The webhook: `AUTH__SMS_URL`."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/send"

    def codes(self, phone: str) -> list[str]:
        """The six-digit codes sent to `phone`, oldest first."""
        found = (re.search(r"\b\d{6}\b", m["text"]) for m in self.messages if m["to"] == phone)
        return [match.group() for match in found if match]

    def close(self) -> None:
        """Stop listening."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def sms_gateway() -> Iterator[FakeSmsGateway]:
    """A fake SMS gateway for one test."""
    gateway = FakeSmsGateway()
    try:
        yield gateway
    finally:
        gateway.close()
