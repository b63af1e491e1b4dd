"""Stopping a replica without failing a request: what `restaurant serve` does on SIGTERM.

A rolling restart stops one replica while the proxy still sends it traffic. A process that stopped
listening at once would refuse requests the proxy had already picked it for, and the proxy cannot
send a refused request's body (a chat turn's POST) to another replica (see the Caddyfile). So the
first SIGTERM starts a drain:

1. `/health/ready` answers 503 at once and every response says `Connection: close`, while every
   request is still served: the proxy's health check takes the replica out of rotation within
   `drain_seconds` (longer than the Caddyfile's `health_interval`).
2. Each chat WebSocket is closed with 1012 ("service restart") once the turns in flight on its
   session have been sent on it; the browser reconnects, through the proxy, to another replica.
3. uvicorn's own graceful shutdown: it stops listening, closes idle connections and waits up to
   `chat.shutdown_grace_seconds` for the responses in flight (a turn's SSE stream) to end; then the
   chat lifespan lets turns that nobody listens to finish, for as long again.

SIGINT (Ctrl-C) or a second SIGTERM skips the drain: step 3 at once. This is `restaurant serve`
with one process (compose and `make stack` run one per replica); with `--workers N` uvicorn's
supervisor stops its workers its own way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import signal
import time
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any

import uvicorn
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from litestar import Litestar

    from restaurant.settings import Settings

log = logging.getLogger(__name__)

# What uvicorn.run exits with when the server did not start.
STARTUP_FAILURE = 3


class Drain:
    """This process's shutdown state: set by the server, read by readiness, the responses and the
    chat sockets."""

    def __init__(self) -> None:
        self.draining = False
        self.closing = asyncio.Event()  # chat sockets: close once your turns are sent
        self.sockets = 0  # chat sockets open
        self._no_sockets = asyncio.Event()

    def begin(self) -> None:
        """Step 1: readiness says 503, responses close their connections."""
        self.draining = True

    @contextlib.contextmanager
    def socket(self) -> Iterator[None]:
        """Count a chat socket while it is open."""
        self.sockets += 1
        self._no_sockets.clear()
        try:
            yield
        finally:
            self.sockets -= 1
            if not self.sockets:
                self._no_sockets.set()

    async def close_sockets(self, wait_seconds: float) -> None:
        """Step 2: ask every chat socket to close after its turns; wait up to `wait_seconds`."""
        self.closing.set()
        if self.sockets:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._no_sockets.wait(), wait_seconds)
        if self.sockets:
            log.warning("drain: %d chat socket(s) open after %.0f s", self.sockets, wait_seconds)

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """While draining, every HTTP response says `Connection: close`: the proxy opens no
        request on a connection this process is about to close."""

        async def close_connections(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP or not self.draining:
                await app(scope, receive, send)
                return

            async def closing(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = [h for h in message.get("headers", ()) if h[0] != b"connection"]
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
                await send(message)

            await app(scope, receive, closing)

        return close_connections


class DrainingServer(uvicorn.Server):
    """uvicorn's server, with the drain (the module's steps 1 and 2) before its own shutdown."""

    def __init__(
        self, config: uvicorn.Config, drain: Drain, *, drain_seconds: float, grace_seconds: float
    ) -> None:
        """Serve `config`'s app; `drain` is the app's (`app.state.drain`)."""
        super().__init__(config)
        self.drain = drain
        self.drain_seconds = drain_seconds
        self.grace_seconds = grace_seconds
        self._drain_requested = False
        self._draining: asyncio.Task[None] | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """The first SIGTERM drains; SIGINT or a second SIGTERM shut down as uvicorn does."""
        if sig == signal.SIGTERM and not self._drain_requested and not self.should_exit:
            self._drain_requested = True  # a signal handler: the next tick starts the drain
            return
        super().handle_exit(sig, frame)

    async def on_tick(self, counter: int) -> bool:
        """uvicorn's tick (every 0.1 s), which also starts the drain and ends it."""
        if self._drain_requested and self._draining is None:
            log.info(
                "SIGTERM: draining for %.1f s (readiness 503), then shutting down",
                self.drain_seconds,
            )
            self._draining = asyncio.create_task(self._drain())
        if self._draining is not None and self._draining.done():
            self.should_exit = True
        return await super().on_tick(counter)

    async def _drain(self) -> None:
        self.drain.begin()
        await asyncio.sleep(self.drain_seconds)
        started = time.monotonic()
        await self.drain.close_sockets(self.grace_seconds)
        # The sockets' wait and uvicorn's for the responses in flight share one grace period.
        left = self.grace_seconds - (time.monotonic() - started)
        self.config.timeout_graceful_shutdown = max(1, math.ceil(left))


def serve_draining(app: Litestar, settings: Settings, options: dict[str, Any]) -> None:
    """Serve `app` in this process with uvicorn `options`, draining on SIGTERM."""
    from sse_starlette.sse import AppStatus

    # sse-starlette ends every open stream when uvicorn is told to stop; a turn's stream must
    # run to its end instead (uvicorn cancels what is left after the grace period).
    AppStatus.enable_automatic_graceful_drain = False
    grace = settings.chat.shutdown_grace_seconds
    config = uvicorn.Config(app, timeout_graceful_shutdown=max(1, math.ceil(grace)), **options)
    server = DrainingServer(
        config, app.state.drain, drain_seconds=settings.drain_seconds, grace_seconds=grace
    )
    server.run()
    if not server.started:
        raise SystemExit(STARTUP_FAILURE)


__all__ = ["Drain", "DrainingServer", "serve_draining"]
