"""Lean load clients for the chat benchmarks: WebSocket and SSE conversations, an outbox reader.

The load generator shares two cores with the server, so the clients do little per event: the
SSE client is a small HTTP/1.1 keep-alive client over asyncio streams (no httpx per request),
and event frames are only parsed as JSON when their type matters.

Each conversation connects from a loopback address of its own (127.x.y.z: all of 127.0.0.0/8
is local on Linux), as real customers come from different addresses: the service limits one-time
code sends per client address, and one address for all the load would trip that limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

TERMINAL = (b'"RUN_FINISHED"', b'"RUN_ERROR"')
# uvicorn closes a keep-alive connection after 5 s idle; past this, a client opens a new one
# rather than race the server's close (browsers and httpx retry that race; so does HttpClient).
KEEP_ALIVE_REUSE_SECONDS = 4.0
AREA_CODES = ("201", "212", "415", "646", "718", "312")


def local_address(n: int) -> str:
    """The n-th client address in 127.1.0.1 ... (250 per /24, never 127.0.0.1)."""
    return f"127.{1 + (n // 62500) % 250}.{(n // 250) % 250}.{n % 250 + 1}"


def phone_for(n: int) -> tuple[str, str]:
    """(as typed, E.164) of the n-th conversation's phone: every conversation its own number,
    so the per-phone send limits never mix conversations."""
    area = AREA_CODES[(n // 10000) % len(AREA_CODES)]
    line = f"{n % 10000:04d}"
    return f"{area} 555 {line}", f"+1{area}555{line}"


# --- conversations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One message of a scripted conversation and the card its turn must show (if any)."""

    text: str
    expect: str | None = None  # a CUSTOM event name, e.g. CART_CARD
    kind: str = "talk"  # talk | phone | code: the phone and the code are filled in per session


# Browse, add with options, edit, sign in with the code from the outbox, check out.
ORDER_SCRIPT: tuple[Step, ...] = (
    Step("hi"),
    Step("show me the menu", "MENU_CARD"),
    Step("two large pepperoni pizzas", "CART_CARD"),
    Step("a margherita pizza", "CART_CARD"),
    Step("make that large", "CART_CARD"),
    Step("two cokes", "CART_CARD"),
    Step("remove the cokes", "CART_CARD"),
    Step("checkout", "AUTH_REQUIRED"),
    Step("my number is {phone}", "AUTH_REQUIRED", kind="phone"),
    Step("{code}", None, kind="code"),
    Step("pickup", "CART_CARD"),
    Step("yes", "ORDER_DATA"),
)


class TurnFailed(RuntimeError):
    """A turn ended in RUN_ERROR, lacked what it must show, or the transport failed."""


@dataclass
class TurnResult:
    """One turn as the client saw it."""

    seconds: float
    events: int
    names: list[str]  # CUSTOM event names (cards) seen
    error: str | None = None
    order: dict[str, Any] | None = None  # the ORDER_DATA value, when one came


def scan_frames(frames: list[bytes]) -> tuple[list[str], str | None, dict[str, Any] | None]:
    """Card names, the RUN_ERROR message if any, and the last ORDER_DATA value in a turn."""
    names: list[str] = []
    error: str | None = None
    order: dict[str, Any] | None = None
    for raw in frames:
        if b'"CUSTOM"' in raw:
            event = json.loads(raw)
            names.append(str(event.get("name")))
            if event.get("name") == "ORDER_DATA":
                order = event.get("value")
        elif b'"RUN_ERROR"' in raw:
            event = json.loads(raw)
            error = f"RUN_ERROR {event.get('code')}: {event.get('message')}"
    return names, error, order


# --- HTTP/1.1 over asyncio streams -------------------------------------------------------------


class HttpClient:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1:port from `local` (reopened if closed)."""

    def __init__(self, port: int, local: str | None = None, host: str = "127.0.0.1") -> None:
        self.host, self.port, self.local = host, port, local
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._idle_since = 0.0

    @property
    def _reusable(self) -> bool:
        return (
            self._reader is not None
            and self._writer is not None
            and not self._writer.is_closing()
            and not self._reader.at_eof()
            and time.monotonic() - self._idle_since < KEEP_ALIVE_REUSE_SECONDS
        )

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if not self._reusable:
            await self.close()
        if (
            self._reader is None
            or self._writer is None
            or self._writer.is_closing()
            or self._reader.at_eof()
        ):
            self._reader, self._writer = await asyncio.open_connection(
                self.host,
                self.port,
                local_addr=(self.local, 0) if self.local else None,
                limit=1 << 20,
            )
        return self._reader, self._writer

    async def close(self) -> None:
        """Close the connection."""
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(Exception):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def _send(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> asyncio.StreamReader:
        reader, writer = await self._connect()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        head.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        return reader

    async def _exchange(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[asyncio.StreamReader, int, dict[str, str]]:
        """Send the request and read the response head; on a reused connection the server
        closed meanwhile, once more on a new one (nothing was answered, so nothing was done)."""
        reused = self._reusable
        try:
            reader = await self._send(method, path, headers, body)
            status, response_headers = await self._head(reader)
        except (ConnectionError, asyncio.IncompleteReadError):
            if not reused:
                raise
            await self.close()
            reader = await self._send(method, path, headers, body)
            status, response_headers = await self._head(reader)
        return reader, status, response_headers

    def _done(self) -> None:
        self._idle_since = time.monotonic()

    async def _head(self, reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers

    async def _chunks(self, reader: asyncio.StreamReader, headers: dict[str, str]) -> Any:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    await reader.readline()  # the CRLF after the last chunk
                    return
                yield await reader.readexactly(size)
                await reader.readexactly(2)
        elif "content-length" in headers:
            yield await reader.readexactly(int(headers["content-length"]))
        else:  # until the server closes
            while chunk := await reader.read(65536):
                yield chunk
            await self.close()

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> tuple[int, bytes]:
        """Send a request and read the whole response: (status, body)."""
        reader, status, response_headers = await self._exchange(method, path, headers or {}, body)
        data = b"".join([c async for c in self._chunks(reader, response_headers)])
        self._done()
        if response_headers.get("connection", "").lower() == "close":
            await self.close()
        return status, data

    async def sse(self, path: str, headers: dict[str, str], body: bytes) -> AsyncIterator[bytes]:
        """POST and yield each SSE event's data (comments and pings skipped)."""
        reader, status, response_headers = await self._exchange("POST", path, headers, body)
        if status != 200:
            data = b"".join([c async for c in self._chunks(reader, response_headers)])
            self._done()
            raise TurnFailed(f"HTTP {status}: {data[:200]!r}")
        buffer = b""
        data_lines: list[bytes] = []
        async for chunk in self._chunks(reader, response_headers):
            buffer += chunk
            while (end := buffer.find(b"\n")) >= 0:
                line, buffer = buffer[:end].rstrip(b"\r"), buffer[end + 1 :]
                if not line:
                    if data_lines:
                        yield b"\n".join(data_lines)
                        data_lines = []
                elif line.startswith(b"data:"):
                    data_lines.append(line[5:].lstrip())
        self._done()


# --- sessions -----------------------------------------------------------------------------------


@dataclass
class ChatSession:
    """A chat session (from POST /api/v1/sessions) and how to reach it."""

    session_id: str
    token: str
    http: HttpClient

    @property
    def auth(self) -> dict[str, str]:
        """The bearer header."""
        return {"Authorization": f"Bearer {self.token}"}

    def adopt_token(self, frames: list[bytes]) -> None:
        """Take the new token a sign-in hands over (a CUSTOM SESSION_TOKEN event), if any."""
        for frame in frames:
            if b"SESSION_TOKEN" in frame:
                event = json.loads(frame)
                if event.get("name") == "SESSION_TOKEN":
                    self.token = str(event["value"]["token"])


async def new_session(port: int, local: str | None) -> ChatSession:
    """Create a session from `local`; its keep-alive connection stays for the SSE turns."""
    http = HttpClient(port, local)
    status, body = await http.request("POST", "/api/v1/sessions")
    if status != 201:
        await http.close()
        raise TurnFailed(f"POST /api/v1/sessions: HTTP {status}: {body[:200]!r}")
    data = json.loads(body)
    return ChatSession(str(data["session_id"]), str(data["token"]), http)


class SseChat:
    """Turns as `POST /api/v1/chat/{id}/stream` on the session's keep-alive connection."""

    def __init__(self, session: ChatSession, timeout: float) -> None:
        self.session = session
        self.timeout = timeout

    async def __aenter__(self) -> SseChat:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.session.http.close()

    async def say(self, text: str) -> list[bytes]:
        """One turn's event frames, RUN_STARTED to RUN_FINISHED/RUN_ERROR."""
        body = json.dumps({"message": text}).encode()
        headers = {**self.session.auth, "Content-Type": "application/json"}
        frames: list[bytes] = []

        async def read() -> None:
            async for data in self.session.http.sse(
                f"/api/v1/chat/{self.session.session_id}/stream", headers, body
            ):
                frames.append(data)

        await asyncio.wait_for(read(), self.timeout)
        self.session.adopt_token(frames)
        return frames


class WsChat:
    """Turns over one WebSocket `/api/v1/chat/{id}` (the history run is read on connect)."""

    def __init__(self, session: ChatSession, port: int, local: str | None, timeout: float) -> None:
        self.session = session
        self.port = port
        self.local = local
        self.timeout = timeout
        self.connection: ClientConnection | None = None

    async def __aenter__(self) -> WsChat:
        self.connection = await websockets.connect(
            f"ws://127.0.0.1:{self.port}/api/v1/chat/{self.session.session_id}",
            additional_headers=self.session.auth,
            local_addr=(self.local, 0) if self.local else None,
            open_timeout=self.timeout,
            max_size=1 << 22,
        )
        await self._run()  # the history run every connection starts with
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):
                await self.connection.close()
        await self.session.http.close()

    async def _run(self) -> list[bytes]:
        assert self.connection is not None
        frames: list[bytes] = []
        while True:
            raw = await asyncio.wait_for(self.connection.recv(decode=False), self.timeout)
            frames.append(raw)
            if any(t in raw for t in TERMINAL):
                return frames

    async def say(self, text: str) -> list[bytes]:
        """One turn's event frames, RUN_STARTED to RUN_FINISHED/RUN_ERROR."""
        assert self.connection is not None
        await self.connection.send(json.dumps({"type": "message", "text": text}))
        frames = await self._run()
        self.session.adopt_token(frames)  # the socket itself goes on with it
        return frames


# --- the outbox ---------------------------------------------------------------------------------


class Outbox:
    """Reads one-time codes from the app's file outbox as it grows (never the whole file again)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        self._partial = b""
        self._codes: dict[str, str] = {}

    def _refresh(self) -> None:
        try:
            with self.path.open("rb") as f:
                f.seek(self._offset)
                data = f.read()
        except FileNotFoundError:
            return
        self._offset += len(data)
        data = self._partial + data
        *lines, self._partial = data.split(b"\n")
        for line in lines:
            if line.strip():
                record = json.loads(line)
                self._codes[str(record["to"])] = str(record["code"])

    async def code_for(self, e164: str, wait: float = 10.0) -> str:
        """The newest code sent to this phone; waits for it to be written."""
        deadline = time.monotonic() + wait
        while True:
            self._refresh()
            code = self._codes.pop(e164, None)
            if code is not None:
                return code
            if time.monotonic() > deadline:
                raise TurnFailed(f"no code for {e164} in {self.path}")
            await asyncio.sleep(0.005)


# --- a scripted conversation --------------------------------------------------------------------


@dataclass
class Conversation:
    """One customer going through `script` on a transport; the turns it has done so far."""

    number: int
    port: int
    transport: str  # ws | sse
    outbox: Outbox
    timeout: float = 30.0
    script: tuple[Step, ...] = ORDER_SCRIPT
    position: int = 0
    chat: WsChat | SseChat | None = None
    order: dict[str, Any] | None = None
    results: list[TurnResult] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """Whether every step has been said."""
        return self.position >= len(self.script)

    async def open(self) -> None:
        """Create the session and connect."""
        local = local_address(self.number)
        session = await new_session(self.port, local)
        chat: WsChat | SseChat = (
            WsChat(session, self.port, local, self.timeout)
            if self.transport == "ws"
            else SseChat(session, self.timeout)
        )
        self.chat = await chat.__aenter__()

    async def close(self) -> None:
        """Disconnect (the session stays on the server)."""
        if self.chat is not None:
            with contextlib.suppress(Exception):
                await self.chat.__aexit__(None, None, None)
            self.chat = None

    async def next_turn(self, clock: Callable[[], float] = time.perf_counter) -> TurnResult:
        """Say the next step; the turn's latency and whether it showed what it must."""
        assert self.chat is not None and not self.done
        step = self.script[self.position]
        self.position += 1
        typed, e164 = phone_for(self.number)
        text = step.text
        if step.kind == "phone":
            text = text.format(phone=typed)
        elif step.kind == "code":
            text = await self.outbox.code_for(e164)
        started = clock()
        try:
            frames = await self.chat.say(text)
        except TimeoutError:
            return self._record(TurnResult(clock() - started, 0, [], f"timeout on {text!r}"))
        except (OSError, TurnFailed, websockets.ConnectionClosed) as exc:
            return self._record(
                TurnResult(clock() - started, 0, [], f"{type(exc).__name__}: {exc}")
            )
        elapsed = clock() - started
        names, error, order = scan_frames(frames)
        if error is None and step.expect and step.expect not in names:
            error = f"{text!r} showed {names or 'no card'}, expected {step.expect}"
        if (
            error is None
            and step.expect == "ORDER_DATA"
            and (order or {}).get("status") != "placed"
        ):
            error = f"the order was not placed: {order}"
        self.order = order or self.order
        return self._record(TurnResult(elapsed, len(frames), names, error, order))

    def _record(self, result: TurnResult) -> TurnResult:
        self.results.append(result)
        if result.error:
            self.position = len(self.script)  # a broken conversation is not carried on
        return result


__all__ = [
    "ORDER_SCRIPT",
    "ChatSession",
    "Conversation",
    "HttpClient",
    "Outbox",
    "SseChat",
    "Step",
    "TurnFailed",
    "TurnResult",
    "WsChat",
    "local_address",
    "new_session",
    "phone_for",
    "scan_frames",
]
