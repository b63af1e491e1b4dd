"""Helpers for the chat tests: the app on a real uvicorn socket, SSE and WebSocket clients, the
one-time code from the outbox, and the official `@ag-ui/client` verifier (tests/agui)."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import websockets

from restaurant.app import create_app
from restaurant.settings import Settings

AGUI = Path(__file__).resolve().parents[1] / "agui"
_NPM_LOCK = threading.Lock()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    """The app served by uvicorn on 127.0.0.1 in a thread of its own."""

    settings: Settings
    port: int = field(default_factory=free_port)

    def __post_init__(self) -> None:
        self.app = create_app(self.settings)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            ws="websockets-sansio",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def chat(self) -> Any:
        """The running app's `restaurant.chat.service.Chat`."""
        return self.app.state.chat


@pytest.fixture(scope="module")
def live(app_settings: Settings) -> Iterator[LiveServer]:
    """The app on a real socket for the module's tests."""
    with LiveServer(app_settings) as server:
        yield server


# --- sessions and sign-in ------------------------------------------------------------------------


@dataclass
class Session:
    """A chat session and the token that owns it."""

    session_id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def new_session(base: str, token: str | None = None) -> Session:
    """POST /api/v1/sessions."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        reply = await client.post("/api/v1/sessions", headers=headers)
    assert reply.status_code == 201, reply.text
    body = reply.json()
    return Session(session_id=body["session_id"], token=body["token"])


def code_for(settings: Settings, phone_digits: str, *, after: int = 0) -> str:
    """The newest one-time code the file sender wrote for a phone ending in these digits."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if settings.outbox_path.exists():
            lines = settings.outbox_path.read_text().splitlines()[after:]
            for line in reversed(lines):
                record = json.loads(line)
                if str(record["to"]).endswith(phone_digits):
                    return str(record["code"])
        time.sleep(0.05)
    raise AssertionError(f"no code for …{phone_digits} in {settings.outbox_path}")


def outbox_lines(settings: Settings) -> int:
    """How many messages the outbox holds now."""
    path = settings.outbox_path
    return len(path.read_text().splitlines()) if path.exists() else 0


# --- SSE ----------------------------------------------------------------------------------------


@dataclass
class SseEvent:
    """One SSE message: its id and the AG-UI event in its data."""

    id: str | None
    event: dict[str, Any]


async def sse_events(response: httpx.Response, *, limit: int | None = None) -> list[SseEvent]:
    """Parse an SSE response into events (comments/pings skipped); stop after `limit`."""
    events: list[SseEvent] = []
    event_id: str | None = None
    data: list[str] = []
    async for line in response.aiter_lines():
        if line == "":
            if data:
                events.append(SseEvent(event_id, json.loads("\n".join(data))))
                if limit is not None and len(events) >= limit:
                    return events
            event_id, data = None, []
        elif line.startswith(":"):
            continue
        elif line.startswith("id:"):
            event_id = line[3:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    return events


async def sse_turn(
    base: str,
    session: Session,
    text: str,
    *,
    headers: dict[str, str] | None = None,
    limit: int | None = None,
) -> list[SseEvent]:
    """POST /api/v1/chat/{id}/stream and read the whole turn (only its first `limit` events,
    then go away, when given). A turn that signs in hands the session a new token: `session`
    takes it, as a client must."""
    async with (
        httpx.AsyncClient(base_url=base, timeout=60) as client,
        client.stream(
            "POST",
            f"/api/v1/chat/{session.session_id}/stream",
            json={"message": text},
            headers={**session.headers, **(headers or {})},
        ) as response,
    ):
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")
        events = await sse_events(response, limit=limit)
    adopt_token(session, [e.event for e in events])
    return events


def new_tokens(events: list[dict[str, Any]]) -> list[str]:
    """The tokens of the `SESSION_TOKEN` events among these."""
    return [
        str(e["value"]["token"])
        for e in events
        if e["type"] == "CUSTOM" and e.get("name") == "SESSION_TOKEN"
    ]


def adopt_token(session: Session, events: list[dict[str, Any]]) -> None:
    """Take the newest session token these events hand over, if any."""
    tokens = new_tokens(events)
    if tokens:
        session.token = tokens[-1]


# --- WebSocket ----------------------------------------------------------------------------------


class Socket:
    """A WebSocket to the chat that collects every event it receives (a new session token among
    them goes to `session`, when given)."""

    def __init__(self, connection: Any, session: Session | None = None) -> None:
        self.connection = connection
        self.session = session
        self.events: list[dict[str, Any]] = []

    async def next(self, wait: float = 30) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.connection.recv(), wait)
        event: dict[str, Any] = json.loads(raw)
        self.events.append(event)
        if self.session is not None:
            adopt_token(self.session, [event])
        return event

    async def run(self, wait: float = 30) -> list[dict[str, Any]]:
        """Events up to and including the next RUN_FINISHED or RUN_ERROR."""
        got: list[dict[str, Any]] = []
        while True:
            event = await self.next(wait)
            got.append(event)
            if event["type"] in ("RUN_FINISHED", "RUN_ERROR"):
                return got

    async def say(self, text: str) -> list[dict[str, Any]]:
        await self.connection.send(json.dumps({"type": "message", "text": text}))
        return await self.run()


async def open_socket(live: LiveServer, session: Session) -> AsyncIterator[Socket]:
    """Connect with the session's bearer token; yields the socket, history already read."""
    async with websockets.connect(
        f"{live.ws_url}/api/v1/chat/{session.session_id}", additional_headers=session.headers
    ) as connection:
        yield Socket(connection, session)


# --- the turn's content -------------------------------------------------------------------------


def types(events: list[dict[str, Any]]) -> list[str]:
    """The event types in order."""
    return [e["type"] for e in events]


def cards(events: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """The values of the CUSTOM events with this card name."""
    return [e["value"] for e in events if e["type"] == "CUSTOM" and e["name"] == name]


def reply(events: list[dict[str, Any]]) -> str:
    """The text of the turn's messages, joined."""
    return "".join(e["delta"] for e in events if e["type"] == "TEXT_MESSAGE_CONTENT")


# --- the official verifier ----------------------------------------------------------------------


def _npm_ci() -> None:
    with _NPM_LOCK:
        if (AGUI / "node_modules" / "@ag-ui" / "client").is_dir():
            return
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install the @ag-ui/client verifier (tests/agui)")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=AGUI, check=True, capture_output=True
        )


def check_no_interleaving(events: list[dict[str, Any]]) -> None:
    """Text messages and tool calls never overlap (stricter than the client's verifier)."""
    open_text: str | None = None
    for event in events:
        kind = event["type"]
        if kind == "TEXT_MESSAGE_START":
            open_text = event["messageId"]
        elif kind == "TEXT_MESSAGE_END":
            open_text = None
        elif kind.startswith("TOOL_CALL") and open_text is not None:
            raise AssertionError(f"{kind} while text message {open_text} is open")


def verify(events: list[dict[str, Any]]) -> None:
    """Run the events through `@ag-ui/client`'s enforcement and verifier; fail on a violation."""
    _npm_ci()
    node = shutil.which("node")
    assert node, "node is needed for the @ag-ui/client verifier"
    done = subprocess.run(
        [node, str(AGUI / "verify.mjs")],
        input=json.dumps(events),
        capture_output=True,
        text=True,
        cwd=AGUI,
        timeout=60,
    )
    assert done.returncode == 0, f"@ag-ui/client rejected the stream: {done.stderr.strip()}"
    check_no_interleaving(events)


def run_node(script: str, *args: str, timeout: float = 120) -> dict[str, Any]:
    """Run a harness script in tests/agui; its last stdout line is JSON."""
    _npm_ci()
    node = shutil.which("node")
    assert node
    done = subprocess.run(
        [node, str(AGUI / script), *args],
        capture_output=True,
        text=True,
        cwd=AGUI,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{script} failed: {done.stderr.strip()}\n{done.stdout[-2000:]}"
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


__all__ = [
    "LiveServer",
    "Session",
    "Socket",
    "SseEvent",
    "adopt_token",
    "cards",
    "check_no_interleaving",
    "code_for",
    "free_port",
    "live",
    "new_session",
    "new_tokens",
    "open_socket",
    "outbox_lines",
    "reply",
    "run_node",
    "sse_events",
    "sse_turn",
    "types",
    "verify",
]
