"""A real HTTP server speaking the OpenAI chat-completions wire format, for tests.

`FakeOpenAI` runs a tiny Starlette app under uvicorn on a free 127.0.0.1 port, in a thread of
its own (so a test's event loop blocking or a slow answer never stalls the other side). It serves
`POST /v1/chat/completions`, non-streaming and streaming (SSE `data: {...}` chunks, then
`data: [DONE]`, with a usage chunk when `stream_options.include_usage` is set).

What it answers is scripted per test with `Reply` objects:

- `Reply(text="...")`: an assistant message; streamed a word at a time.
- `Reply(tool_calls=[("search_menu", {"text": "pizza"})])`: tool calls; streamed as an id/name
  delta and then the JSON arguments in several pieces.
- `Reply(structured={...})`: whatever structured output the request asked for: JSON content for
  a `json_schema`/`json_object` response format, a call of the forced function otherwise.
- `Reply(status=429, headers={"retry-after": "2"})`, `Reply(status=500)`: errors.
- `delay=` seconds before answering (timeouts), `chunk_delay=` between streamed chunks.

Replies are taken in order, first from the queue of the request's API key, then from the shared
queue; `kind` restricts a reply to "structured", "tools" or "text" requests. `always[key]` answers
every request of that key (e.g. an endpoint that is down). With nothing scripted, `default`
decides (an "OK" text by default). `latency` is every answer's time, counted from the request's
arrival (the answer is made during the wait, so this server's own work doesn't add to it; a
model's time is fixed, and a benchmark measures the client); `chunk_gap` spaces the
streamed chunks of every answer (a real model sends its tokens some milliseconds apart; the
`openai_server` fixture sets 2 ms, so a test sees the pieces a client that keeps up sees; the
first chunk still comes after exactly `latency`). Every request is recorded with its key and
body, and `count(key)` says how many a key made.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

Kind = Literal["structured", "tools", "text"]


@dataclass
class Reply:
    """One scripted answer."""

    text: str | None = None
    tool_calls: list[tuple[str, dict[str, Any]]] | None = None
    structured: dict[str, Any] | None = None
    raw_content: str | None = None  # content sent as is, e.g. malformed JSON
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    error: str = "scripted error"
    delay: float = 0.0
    chunk_delay: float = 0.0
    kind: Kind | None = None


@dataclass
class Recorded:
    """One request the server received."""

    key: str | None
    body: dict[str, Any]
    kind: Kind
    at: float

    @property
    def stream(self) -> bool:
        """Whether the request asked for a stream."""
        return bool(self.body.get("stream"))

    @property
    def model(self) -> str:
        """The model the request named."""
        return str(self.body.get("model", ""))

    @property
    def tool_names(self) -> list[str]:
        """The names of the tools the request offered."""
        return [t["function"]["name"] for t in self.body.get("tools") or []]

    def last_text(self, role: str = "user") -> str:
        """The content of the last message with this role."""
        for message in reversed(self.body.get("messages", [])):
            if message.get("role") == role:
                content = message.get("content")
                return content if isinstance(content, str) else json.dumps(content)
        return ""


def request_kind(body: dict[str, Any]) -> Kind:
    """What a request asks for: structured output, a turn with tools, or text."""
    response_format = body.get("response_format") or {}
    if response_format.get("type") in ("json_schema", "json_object"):
        return "structured"
    choice = body.get("tool_choice")
    if isinstance(choice, dict) or (choice in ("required", "any") and len(body["tools"]) == 1):
        return "structured"
    return "tools" if body.get("tools") else "text"


def _forced_function(body: dict[str, Any]) -> str:
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return str(choice["function"]["name"])
    return str(body["tools"][0]["function"]["name"])


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


class FakeOpenAI:
    """The fake server: script it, point a client at `base_url`, read what it received."""

    def __init__(self) -> None:
        self.queues: dict[str | None, list[Reply]] = {}
        self.always: dict[str | None, Reply] = {}
        self.default: Callable[[Recorded], Reply] = lambda _: Reply(text="OK")
        self.latency = 0.0
        self.chunk_gap = 0.0
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- scripting ------------------------------------------------------------------------------

    def script(self, *replies: Reply, key: str | None = None) -> None:
        """Queue replies for one API key (or for any key)."""
        with self._lock:
            self.queues.setdefault(key, []).extend(replies)

    def reset(self) -> None:
        """Forget scripts, behaviours and recorded requests."""
        with self._lock:
            self.queues.clear()
            self.always.clear()
            self.requests.clear()
        self.default = lambda _: Reply(text="OK")
        self.latency = 0.0
        self.chunk_gap = 0.0

    def count(self, key: str | None = None, kind: Kind | None = None) -> int:
        """How many requests a key (or everyone) made, optionally of one kind."""
        return len(
            [
                r
                for r in self.requests
                if (key is None or r.key == key) and (kind is None or r.kind == kind)
            ]
        )

    def of_kind(self, kind: Kind) -> list[Recorded]:
        """The recorded requests of one kind, in order."""
        return [r for r in self.requests if r.kind == kind]

    def _next(self, recorded: Recorded) -> Reply:
        with self._lock:
            if recorded.key in self.always:
                return self.always[recorded.key]
            for key in (recorded.key, None):
                queue = self.queues.get(key, [])
                for index, reply in enumerate(queue):
                    if reply.kind is None or reply.kind == recorded.kind:
                        return queue.pop(index)
        return self.default(recorded)

    # --- serving --------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The URL to give an OpenAI client."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, port: int = 0) -> None:
        """Serve on `port` (a free one by default) in a thread; return once it accepts."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        self.port = sock.getsockname()[1]
        app = Starlette(routes=[Route("/v1/chat/completions", self._completions, methods=["POST"])])
        config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_keep_alive=30)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake OpenAI server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    async def _completions(self, request: Request) -> Response:
        arrived = time.monotonic()
        body = await request.json()
        auth = request.headers.get("authorization", "")
        key = auth.removeprefix("Bearer ").strip() or None
        recorded = Recorded(key=key, body=body, kind=request_kind(body), at=arrived)
        with self._lock:
            self.requests.append(recorded)
        reply = self._next(recorded)
        # The answer is made before the wait, and the wait counts from the request's arrival:
        # the first byte leaves `latency` after the request came in, whatever this server's
        # own work (a model's time is fixed; a benchmark measures the client, not this fake).
        response = self._answer(reply, body)
        wait = arrived + self.latency + reply.delay - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        return response

    def _answer(self, reply: Reply, body: dict[str, Any]) -> Response:
        if reply.status != 200:
            kind = "rate_limit_error" if reply.status == 429 else "server_error"
            return JSONResponse(
                {"error": {"message": reply.error, "type": kind, "code": None}},
                status_code=reply.status,
                headers=reply.headers,
            )
        content, calls = self._render(reply, body)
        model = str(body.get("model", "fake-model"))
        prompt_tokens = _tokens(json.dumps(body.get("messages", [])))
        completion_tokens = _tokens((content or "") + json.dumps([c[1] for c in calls]))
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            chunks = _stream_chunks(model, content, calls, usage if include_usage else None)
            events = [f"data: {json.dumps(item)}\n\n".encode() for item in chunks]
            events.append(b"data: [DONE]\n\n")
            if not reply.chunk_delay and not self.chunk_gap:
                # Nothing between the chunks: the whole stream in one write, without the task
                # group a streaming response costs (~1 ms of this server's own time a call).
                return Response(b"".join(events), media_type="text/event-stream")
            return StreamingResponse(
                _sse(events, reply.chunk_delay, self.chunk_gap), media_type="text/event-stream"
            )
        message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
        if calls:
            message["tool_calls"] = [
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": name, "arguments": json.dumps(args)},
                }
                for call_id, (name, args) in zip(_call_ids(calls), calls, strict=True)
            ]
        return JSONResponse(
            {
                "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": message,
                        "finish_reason": "tool_calls" if calls else "stop",
                        "logprobs": None,
                    }
                ],
                "usage": usage,
            }
        )

    @staticmethod
    def _render(
        reply: Reply, body: dict[str, Any]
    ) -> tuple[str | None, list[tuple[str, dict[str, Any]]]]:
        if reply.raw_content is not None:
            return reply.raw_content, []
        if reply.structured is not None:
            response_format = body.get("response_format") or {}
            if response_format.get("type") in ("json_schema", "json_object"):
                return json.dumps(reply.structured), []
            return None, [(_forced_function(body), reply.structured)]
        if reply.tool_calls:
            return reply.text, list(reply.tool_calls)
        return reply.text if reply.text is not None else "", []


def _call_ids(calls: list[tuple[str, dict[str, Any]]]) -> list[str]:
    return [f"call_{uuid.uuid4().hex[:12]}" for _ in calls]


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _words(text: str) -> list[str]:
    # A word and its following space per chunk: joined they give the text back exactly.
    parts: list[str] = []
    for word in text.split(" "):
        parts.append(word + " ")
    parts[-1] = parts[-1][:-1]
    return [p for p in parts if p]


def _stream_chunks(
    model: str,
    content: str | None,
    calls: list[tuple[str, dict[str, Any]]],
    usage: dict[str, int] | None,
) -> Iterator[dict[str, Any]]:
    chunk_id = f"chatcmpl-{uuid.uuid4().hex[:12]}"
    created = int(time.time())

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {
            "id": chunk_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        }

    yield chunk({"role": "assistant", "content": ""})
    for word in _words(content or ""):
        yield chunk({"content": word})
    for index, (call_id, (name, args)) in enumerate(zip(_call_ids(calls), calls, strict=True)):
        yield chunk(
            {
                "tool_calls": [
                    {
                        "index": index,
                        "id": call_id,
                        "type": "function",
                        "function": {"name": name, "arguments": ""},
                    }
                ]
            }
        )
        for piece in _pieces(json.dumps(args), 7):
            yield chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
    yield chunk({}, "tool_calls" if calls else "stop")
    if usage is not None:
        yield {
            "id": chunk_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [],
            "usage": usage,
        }


async def _sse(events: list[bytes], delay: float, gap: float) -> AsyncIterator[bytes]:
    for index, event in enumerate(events[:-1]):
        if delay:
            await asyncio.sleep(delay)
        elif gap and index:
            await asyncio.sleep(gap)
        yield event
    yield events[-1]


@pytest.fixture(scope="session")
def openai_server_session() -> Iterator[FakeOpenAI]:
    """One fake OpenAI server for the test session."""
    server = FakeOpenAI()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def openai_server(openai_server_session: FakeOpenAI) -> Iterator[FakeOpenAI]:
    """The session's fake OpenAI server, with no scripts and no recorded requests, streaming its
    chunks 2 ms apart as a model does (the reader coalesces only what arrived together)."""
    openai_server_session.reset()
    openai_server_session.chunk_gap = 0.002
    yield openai_server_session
    openai_server_session.reset()


def main() -> None:
    """Serve the fake on a fixed port until interrupted (`--port 8081 --latency 0.3`)."""
    import argparse
    import signal

    # The package's own module, not __main__: the answers' Reply class is that module's.
    from tests.fakes.openai_server import FakeOpenAI as Server
    from tests.fakes.writer import steady_answers

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds before each answer")
    args = parser.parse_args()
    server = Server()
    server.default = steady_answers
    server.latency = args.latency
    server.start(port=args.port)
    print(f"fake OpenAI server on {server.base_url} ({args.latency}s latency)", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    server.stop()


__all__ = ["FakeOpenAI", "Recorded", "Reply", "openai_server", "openai_server_session"]

if __name__ == "__main__":
    main()
