"""The chat's transports: a WebSocket, SSE for curl, SSE for AG-UI clients, and the history.

All three stream the same AG-UI events (`restaurant.agui`), each with its log id: SSE as `id:`,
and every event in `metadata.eventId`. Every endpoint checks that the caller owns the chat
session (`require_chat`: 404 for an unknown or someone else's session, 401 without a live one).

A turn that signs the session in gives it a new token (`restaurant.auth.sessions`); the stream or
socket that sent the code, and it alone, gets a CUSTOM `SESSION_TOKEN` event carrying it, with no
event id: it is not in the event log, so no other listener or resuming client ever sees it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Any
from uuid import uuid4

from ag_ui.core import BaseEvent, RunAgentInput, UserMessage
from litestar import Controller, Request, WebSocket, get, post, websocket
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect
from litestar.params import PathParameter, QueryParameter
from litestar.plugins.problem_details import ProblemDetailsException
from pydantic import ValidationError
from redis.exceptions import RedisError
from sse_starlette import EventSourceResponse

from restaurant.agui.encoding import to_json, to_sse
from restaurant.agui.history import history_events, history_messages
from restaurant.agui.mapping import error_run, is_terminal, session_token, state_snapshot, type_of
from restaurant.api.security import (
    CONTROL,
    client_address,
    origin_allowed,
    require_chat,
    token_from,
)
from restaurant.auth.sessions import AuthSession
from restaurant.chat.events import Delivered, follow, valid_id
from restaurant.chat.runner import STORE_DOWN, StoreUnavailable
from restaurant.chat.service import Caller, Chat
from restaurant.drain import Drain
from restaurant.lifespan import Resources

# Any string: one that is no chat of the caller's is answered as an unknown session.
ChatId = Annotated[str, PathParameter(description="chat session id")]
log = logging.getLogger(__name__)

# WebSocket close codes (4000-4999 are the application's): the HTTP status they stand for.
WS_UNKNOWN_SESSION = 4404
WS_UNAUTHORIZED = 4401
WS_STORE_DOWN = 4503
WS_FORBIDDEN_ORIGIN = 4403  # closed before accepting: the client sees HTTP 403
WS_SERVICE_RESTART = 1012  # the replica is stopping: reconnect (through the proxy, elsewhere)


class BadMessage(ProblemDetailsException):
    """A chat message the service will not run (empty, too large, malformed)."""

    def __init__(self, detail: str, status_code: int = 422) -> None:
        title = "Payload Too Large" if status_code == 413 else "Unprocessable Content"
        super().__init__(detail=detail, status_code=status_code, title=title)


def check_text(text: Any, limit: int) -> str:
    """The message text, or `BadMessage` saying what is wrong with it."""
    if not isinstance(text, str):
        raise BadMessage("The message must be a string of text.")
    try:
        size = len(text.encode())
    except UnicodeEncodeError:  # JSON's "\ud800": a lone surrogate is no character at all
        raise BadMessage("The message holds an invalid character (a lone surrogate).") from None
    if size > limit:
        raise BadMessage(f"The message is over {limit} bytes; send a shorter one.", 413)
    if CONTROL.search(text):
        raise BadMessage("The message holds a control character (such as NUL); send plain text.")
    if not text.strip():
        raise BadMessage("The message is empty; type something to send.")
    return text.strip()


async def _history(
    resources: Resources, chat: Chat, session_id: str, auth: AuthSession
) -> tuple[list[Any], dict[str, Any]]:
    state = await resources.graph.aget_state({"configurable": {"thread_id": session_id}})
    values = dict(state.values or {})
    cart = None
    with contextlib.suppress(Exception):  # the snapshot's cart is a courtesy, not the history
        # As the checkpointed turns left it, like the conversation beside it.
        carts = resources.services.carts.for_user(auth.user_id)
        cart = await carts.read(session_id, chat.runner.store)
    return list(values.get("messages") or []), state_snapshot(values, cart)


def _sse(
    chat: Chat, items: AsyncIterator[Delivered], headers: dict[str, str] | None = None
) -> EventSourceResponse:
    async def body() -> AsyncIterator[bytes]:
        async for event_id, event in items:
            yield to_sse(event, event_id or None)

    return EventSourceResponse(
        body(),
        ping=chat.options.ping_seconds,
        # no-store: a turn that signs in carries the session's new token (SESSION_TOKEN).
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no", **(headers or {})},
    )


class _NewToken:
    """The session's new token, when this request's turn signs it in: for its own stream only."""

    def __init__(self) -> None:
        self.event: BaseEvent | None = None

    def __call__(self, token: str, expires_in: int) -> None:
        self.event = session_token(token, expires_in)


async def _handing_over(
    items: AsyncIterator[Delivered], new: _NewToken
) -> AsyncIterator[Delivered]:
    """The turn's events, with the new token (if the turn signed in) sent as soon as it exists:
    before the event that follows, so always before the run's end."""
    async for item in items:
        if new.event is not None:
            event, new.event = new.event, None
            yield "", event
        yield item


async def _guarded(
    items: AsyncIterator[Delivered], session_id: str, run_id: str
) -> AsyncIterator[Delivered]:
    """Ends a stream with RUN_ERROR instead of a broken connection when a store fails mid-way."""
    started = False
    try:
        async for item in items:
            started = started or type_of(item[1]) == "RUN_STARTED"
            yield item
    except (RedisError, OSError) as exc:
        log.warning("stream of session %s broke: %s", session_id, exc)
        for event in error_run(session_id, run_id, STORE_DOWN, "STORE_UNAVAILABLE")[
            1 if started else 0 :
        ]:
            yield "", event


class ChatController(Controller):
    """`/api/v1/chat/{session_id}`: SSE streams of turns, resumption and the history."""

    path = "/api/v1/chat"
    tags = ["chat"]
    # A 4 KB message is at most ~24 KB of JSON (escapes); anything bigger is refused unread.
    request_max_body_size = 32 * 1024

    @post(
        "/{session_id:str}/stream",
        summary="Send a message; stream the turn as AG-UI events (SSE)",
        description=(
            'Body `{"message": "..."}` (at most 4 KB). With a `Last-Event-ID` header the message'
            " is not sent again: the stream resumes after that event instead."
        ),
        status_code=200,
    )
    async def stream(
        self,
        request: Request[Any, Any, Any],
        session_id: ChatId,
        resources: NamedDependency[Resources],
        chat: NamedDependency[Chat],
    ) -> EventSourceResponse:
        """One turn as SSE, or the rest of an interrupted one."""
        auth = await require_chat(request, resources, session_id)
        last = request.headers.get("last-event-id")
        if last:
            return await self._resume(chat, session_id, last)
        try:
            data = json.loads(await request.body() or b"null")
        except ValueError:
            raise BadMessage('The body must be JSON: {"message": "..."}.', 400) from None
        if not isinstance(data, dict) or "message" not in data:
            raise BadMessage('The body must be {"message": "..."}.')
        text = check_text(data["message"], chat.options.max_message_bytes)
        await chat.runner.ready()
        new = _NewToken()
        caller = Caller(auth=auth, client=client_address(request), on_token=new)
        run_id = f"run-{uuid4().hex}"
        items = chat.runner.turn(session_id, text, caller, run_id=run_id)
        return _sse(chat, _handing_over(_guarded(items, session_id, run_id), new))

    @get(
        "/{session_id:str}/stream",
        summary="Resume a turn's stream after Last-Event-ID (SSE)",
        description="The header `Last-Event-ID` (or `?last_event_id=`) names the last event seen.",
    )
    async def resume(
        self,
        request: Request[Any, Any, Any],
        session_id: ChatId,
        resources: NamedDependency[Resources],
        chat: NamedDependency[Chat],
        last_event_id: Annotated[
            str | None, QueryParameter(description="the last event seen, as Last-Event-ID")
        ] = None,
    ) -> EventSourceResponse:
        """What followed the last event seen, then the rest of the turn live."""
        await require_chat(request, resources, session_id)
        last = request.headers.get("last-event-id") or last_event_id
        if not last:
            raise BadMessage("Say where to resume: send the Last-Event-ID header.", 400)
        return await self._resume(chat, session_id, last)

    async def _resume(self, chat: Chat, session_id: str, last: str) -> EventSourceResponse:
        if not valid_id(last):
            raise BadMessage(f"Last-Event-ID {last[:60]!r} is not an event id of this chat.", 400)
        await chat.runner.ready()
        items = follow(
            chat.events, chat.runner.hub, session_id, last, running=chat.runner.store.running
        )
        return _sse(chat, _guarded(items, session_id, f"resume-{uuid4().hex}"))

    @get("/{session_id:str}/messages", summary="The conversation so far, cards included")
    async def messages(
        self,
        request: Request[Any, Any, Any],
        session_id: ChatId,
        resources: NamedDependency[Resources],
        chat: NamedDependency[Chat],
    ) -> dict[str, Any]:
        """`{session_id, messages: [{id, role, content, cards}], state}` from the checkpoint."""
        auth = await require_chat(request, resources, session_id)
        messages, snapshot = await _history(resources, chat, session_id, auth)
        return {"session_id": session_id, "messages": history_messages(messages), "state": snapshot}


class AguiController(Controller):
    """`/api/v1/agui`: the AG-UI HTTP protocol, for `@ag-ui/client`'s `HttpAgent`."""

    path = "/api/v1/agui"
    tags = ["chat"]
    # AG-UI clients send the whole conversation every run.
    request_max_body_size = 2 * 1024 * 1024

    @post(
        "/",
        summary="Run one turn from an AG-UI RunAgentInput (SSE)",
        description=(
            "`threadId` is the chat session; the last user message is the turn's text; `runId`"
            " is echoed in RUN_STARTED/RUN_FINISHED."
        ),
        status_code=200,
    )
    async def run(
        self,
        request: Request[Any, Any, Any],
        resources: NamedDependency[Resources],
        chat: NamedDependency[Chat],
    ) -> EventSourceResponse:
        """The turn's AG-UI events."""
        try:
            data = RunAgentInput.model_validate_json(await request.body())
        except (ValidationError, ValueError) as exc:
            raise BadMessage(f"Not an AG-UI RunAgentInput: {str(exc)[:300]}") from None
        if len(data.run_id) > 128:
            raise BadMessage("runId is longer than 128 characters.")
        auth = await require_chat(request, resources, data.thread_id)
        users = [m for m in data.messages if isinstance(m, UserMessage)]
        if not users or not isinstance(users[-1].content, str):
            raise BadMessage("The input has no user message with text to answer.")
        text = check_text(users[-1].content, chat.options.max_message_bytes)
        await chat.runner.ready()
        new = _NewToken()
        caller = Caller(auth=auth, client=client_address(request), on_token=new)
        items = chat.runner.turn(data.thread_id, text, caller, run_id=data.run_id)
        return _sse(chat, _handing_over(_guarded(items, data.thread_id, data.run_id), new))


# --- WebSocket ------------------------------------------------------------------------------


class _Outbox:
    """The socket's one writer. Errors about bad frames (each a short run of its own) wait for
    the end of a run in progress, so a stream never carries a run inside another."""

    def __init__(self, socket: WebSocket[Any, Any, Any]) -> None:
        self.socket = socket
        self.queue: asyncio.Queue[tuple[list[Delivered], bool]] = asyncio.Queue()
        self.in_run = False
        self.held: list[Delivered] = []
        self.closed = False  # closing for a restart: a message that comes now does not run

    def put(self, event_id: str, event: BaseEvent) -> None:
        self.queue.put_nowait(([(event_id, event)], False))

    def take(self, items: Sequence[Delivered]) -> None:
        """The hub's delivery of what this replica publishes on the session, straight into the
        queue (a task in between was one more wait of the event loop on every event's way)."""
        if items and not items[0][0] and type_of(items[0][1]) == "RUN_STARTED":
            # A message refused before its run began (busy, store down): its events, published
            # together, wait for the end of a run in progress.
            self.put_aside([event for _, event in items])
        else:
            self.queue.put_nowait((list(items), False))

    def put_aside(self, events: list[BaseEvent]) -> None:
        self.queue.put_nowait(([("", e) for e in events], True))

    async def run(self) -> None:
        while True:
            items, aside = await self.queue.get()
            try:
                await self._send(items, aside)
            finally:
                self.queue.task_done()  # `_close_when_draining` joins the queue

    async def _send(self, items: list[Delivered], aside: bool) -> None:
        if aside and self.in_run:
            self.held += items
            return
        for event_id, event in items:
            if not aside and type_of(event) == "RUN_STARTED":
                self.in_run = True
            await self.socket.send_text(to_json(event, event_id or None))
            if not aside and is_terminal(event):
                self.in_run = False
                for held_id, held in self.held:
                    await self.socket.send_text(to_json(held, held_id or None))
                self.held.clear()


class _SocketToken:
    """The token a socket speaks with: its handshake's, then the one a sign-in on it was given,
    which is also sent to this socket (and no other) as a `SESSION_TOKEN` event."""

    def __init__(self, token: str | None, outbox: _Outbox) -> None:
        self.token = token
        self._outbox = outbox

    def __call__(self, token: str, expires_in: int) -> None:
        self.token = token
        self._outbox.put("", session_token(token, expires_in))


async def _close_when_draining(
    socket: WebSocket[Any, Any, Any], chat: Chat, session_id: str, outbox: _Outbox, drain: Drain
) -> None:
    """Once the process drains (restaurant/drain.py), close the socket with 1012 as soon as the
    session's turns in flight here have been sent on it: the client reconnects elsewhere."""
    await drain.closing.wait()
    await chat.runner.idle(session_id)
    await outbox.queue.join()  # their last events are sent
    while chat.runner.pending(session_id):  # a message came in meanwhile
        await chat.runner.idle(session_id)
        await outbox.queue.join()
    # From here a message does not run: its RUN_STARTED never came, so the client sends it again
    # once reconnected (docs/chat.md).
    outbox.closed = True
    await socket.close(code=WS_SERVICE_RESTART, reason="server restarting; reconnect")


def _frame_error(outbox: _Outbox, session_id: str, message: str, code: str) -> None:
    outbox.put_aside(error_run(session_id, f"rejected-{uuid4().hex}", message, code))


def _parse_frame(message: dict[str, Any], limit: int) -> tuple[str | None, str, str]:
    """(text, error message, error code) of one client frame."""
    if message.get("bytes") is not None:
        return None, "Binary frames are not accepted; send JSON text frames.", "BINARY_FRAME"
    raw = message.get("text") or ""
    if len(raw.encode()) > limit + 256:
        return None, f"The message is over {limit} bytes; send a shorter one.", "TOO_LARGE"
    try:
        frame = json.loads(raw)
    except ValueError:
        return None, 'Malformed JSON; send {"type": "message", "text": "..."}.', "MALFORMED"
    if not isinstance(frame, dict) or frame.get("type") != "message":
        kind = frame.get("type") if isinstance(frame, dict) else None
        return (
            None,
            f'Unknown message type {kind!r}; the only type is "message".',
            "UNKNOWN_TYPE",
        )
    try:
        return check_text(frame.get("text"), limit), "", ""
    except BadMessage as exc:
        code = "TOO_LARGE" if exc.status_code == 413 else "BAD_MESSAGE"
        return None, str(exc.detail), code


@websocket("/api/v1/chat/{session_id:str}")
async def chat_socket(socket: WebSocket[Any, Any, Any], session_id: ChatId) -> None:
    """Frames in: `{"type": "message", "text": "..."}`. Frames out: AG-UI events as JSON, first
    a short run with the history (MESSAGES_SNAPSHOT, cards in each message's metadata)."""
    resources: Resources = socket.app.state.resources
    chat: Chat = socket.app.state.chat
    if not origin_allowed(socket, resources.settings.allowed_origins):
        # Another site's page: refused at the handshake (HTTP 403), before any cookie is used.
        await socket.close(code=WS_FORBIDDEN_ORIGIN, reason="origin not allowed")
        return
    await socket.accept()
    try:
        auth = await require_chat(socket, resources, session_id)
    except ProblemDetailsException as exc:
        code = WS_UNKNOWN_SESSION if exc.status_code == 404 else WS_UNAUTHORIZED
        for event in error_run(session_id, f"rejected-{uuid4().hex}", str(exc.detail), str(code)):
            await socket.send_text(to_json(event))
        await socket.close(code=code, reason=str(exc.detail)[:120])
        return
    except (RedisError, OSError):
        for event in error_run(
            session_id, f"rejected-{uuid4().hex}", STORE_DOWN, "STORE_UNAVAILABLE"
        ):
            await socket.send_text(to_json(event))
        await socket.close(code=WS_STORE_DOWN, reason="store unavailable")
        return
    outbox = _Outbox(socket)
    tasks: list[asyncio.Task[None]] = []
    # Listen before reading the history, so nothing said in between is missed.
    with (
        socket.app.state.drain.socket(),
        chat.runner.hub.subscribe(session_id, deliver=outbox.take),
    ):
        try:
            try:
                messages, snapshot = await _history(resources, chat, session_id, auth)
                for event in history_events(session_id, messages, snapshot):
                    outbox.put("", event)
            except (RedisError, OSError):
                _frame_error(outbox, session_id, STORE_DOWN, "STORE_UNAVAILABLE")
            tasks.append(asyncio.create_task(outbox.run()))
            drain: Drain = socket.app.state.drain
            tasks.append(
                asyncio.create_task(_close_when_draining(socket, chat, session_id, outbox, drain))
            )
            token = _SocketToken(token_from(socket), outbox)
            await _receive(socket, resources, chat, session_id, outbox, tasks, token)
        except WebSocketDisconnect:
            pass
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


async def _receive(
    socket: WebSocket[Any, Any, Any],
    resources: Resources,
    chat: Chat,
    session_id: str,
    outbox: _Outbox,
    tasks: list[asyncio.Task[None]],
    token: _SocketToken,
) -> None:
    limit = chat.options.max_message_bytes
    while True:
        message = await socket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if any(t.done() for t in tasks):
            return  # the writer failed: the socket is gone
        text, error, code = _parse_frame(dict(message), limit)
        if text is None:
            _frame_error(outbox, session_id, error, code)
            continue
        try:
            # Again per message: the session may have expired, or signed in, since connecting.
            auth = await require_chat(socket, resources, session_id, token=token.token)
            await chat.runner.ready()
        except ProblemDetailsException as exc:
            code_ = WS_UNKNOWN_SESSION if exc.status_code == 404 else WS_UNAUTHORIZED
            _frame_error(outbox, session_id, str(exc.detail), str(code_))
            await asyncio.sleep(0.05)  # let the writer send it before closing
            await socket.close(code=code_, reason=str(exc.detail)[:120])
            return
        except (RedisError, OSError, StoreUnavailable):
            _frame_error(outbox, session_id, STORE_DOWN, "STORE_UNAVAILABLE")
            continue
        if outbox.closed:
            continue  # the socket is closing for a restart (`_close_when_draining`)
        caller = Caller(auth=auth, client=client_address(socket), on_token=token)
        chat.runner.start(session_id, text, caller)


__all__ = ["AguiController", "ChatController", "chat_socket", "check_text"]
